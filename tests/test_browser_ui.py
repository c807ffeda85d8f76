"""Paths a user takes, in Debian's Chromium: typing in the multiselect, page language, contrast, focus, downloads."""

import io
import re

import pandas as pd
import pytest
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def _contrast(rgb_a, rgb_b) -> float:
    def lum(rgb):
        out = []
        for c in rgb:
            c = c / 255
            out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]

    hi, lo = sorted((lum(rgb_a), lum(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    return tuple(int(round(n)) for n in nums)


def test_typing_vastra_and_enter_picks_one_lan(app_server, page):
    """The trap of the issue: "Västra" + Enter selected "2 matches" (Västra Götaland and Västernorrland)."""
    page.goto(app_server + "/jamfor?c_level=lan")
    box = page.get_by_test_id("stMultiSelect").first
    box.wait_for(timeout=90_000)
    field = box.locator("input").first
    field.click()
    field.press_sequentially("Västra", delay=60)
    page.wait_for_timeout(500)
    field.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('c_codes=')", timeout=30_000)
    page.wait_for_timeout(1500)
    chips = box.inner_text()
    assert "Västra Götalands län" in chips
    assert "Västernorrland" not in chips
    assert re.search(r"c_codes=14(&|$)", page.url), page.url


def test_page_language_contrast_and_map_focus(app_server, page):
    page.goto(app_server + "/")
    page.locator("[data-testid='stDeckGlJsonChart']").first.wait_for(timeout=120_000)
    page.wait_for_function("() => document.documentElement.lang === 'sv'", timeout=30_000)
    # captions with sources and methods: at least 4.5:1 against the page background
    caption = page.locator("[data-testid='stCaptionContainer']").first
    caption.wait_for(timeout=30_000)
    colour, opacity = caption.evaluate(
        """e => { const p = e.querySelector('p') || e; let o = 1;
                  for (let n = p; n && n !== document.body; n = n.parentElement)
                    o *= parseFloat(getComputedStyle(n).opacity);
                  return [getComputedStyle(p).color, o]; }"""
    )
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.stApp') || document.body).backgroundColor"
    )
    seen = tuple(opacity * c + (1 - opacity) * b for c, b in zip(_rgb(colour), _rgb(background), strict=True))
    assert _contrast(seen, _rgb(background)) >= 4.5, (colour, opacity, background)
    # the map is reachable by keyboard and shows a focus ring
    chart = page.locator("[data-testid='stDeckGlJsonChart']").first
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stDeckGlJsonChart']\").getAttribute('tabindex') === '0'",
        timeout=30_000,
    )
    chart.focus()
    ring = chart.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
    assert ring[0] != "none" and ring[1] >= 2, ring
    assert chart.get_attribute("aria-label").startswith("Karta")
    # English mode: the page says so
    page.goto(app_server + "/?lang=en")
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "focus_ring.png"))


def test_gap_csv_download_opens_in_swedish_excel(app_server, page):
    page.goto(app_server + "/luckor?g_km=5")
    page.get_by_text("kommuner har").first.wait_for(timeout=120_000)
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=120_000)
    page.wait_for_timeout(3000)  # let the first run finish (the button is replaced on each rerun)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Ladda ner CSV").first.click(timeout=120_000)
    with open(info.value.path(), "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows å, ä, ö
    table = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Kommunkod": str})
    assert "Kommun" in table.columns and "Folkmängd" in table.columns  # headers in the UI language
    assert table["Folkmängd"].dtype.kind == "i"  # whole numbers, no "2023.0"
    longest = next(c for c in table.columns if c.startswith("Längsta avstånd"))
    assert table[longest].dtype.kind == "f"  # decimal comma read back as numbers
    assert set(table.filter(like="AF-kontor").iloc[:, 0]) <= {"ja", "nej", "okänt", "ej i listan"}


def test_tooltip_near_the_right_edge_stays_inside_the_map(app_server, page):
    page.goto(app_server + "/?kommun=1280")
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for(timeout=120_000)
    page.wait_for_timeout(8000)
    box = canvas.bounding_box()
    tip = page.locator(".deck-tooltip").first
    for fy in (0.45, 0.55, 0.35, 0.65):
        page.mouse.move(box["x"] + box["width"] * 0.97, box["y"] + box["height"] * fy)
        page.wait_for_timeout(1500)
        if tip.count() and tip.is_visible():
            break
    assert tip.is_visible(), "no tooltip near the right edge"
    shown = tip.bounding_box()
    assert shown["x"] + shown["width"] <= box["x"] + box["width"] + 1, (shown, box)
    assert shown["x"] >= box["x"] - 1


def test_chart_axes_use_swedish_numbers(app_server, page):
    page.goto(app_server + "/jamfor?c_level=kommun&c_codes=1280,1283,0180&c_ind=befolkning")
    page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for(timeout=120_000)
    page.wait_for_timeout(3000)
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')].map(t => t.textContent)"
    )
    numbers = [t for t in ticks if any(ch.isdigit() for ch in t)]
    assert any("\xa0000" in t for t in numbers), numbers  # "200 000", not "200,000"
    assert not any("," in t and t.replace(",", "").replace("\xa0", "").isdigit() and len(t) > 4 for t in numbers)
    assert "Helsingborg" in ticks  # unit names are not cut ("Helsingb…")
