"""The map in a real browser: Debian's Chromium through Playwright."""

import io
import subprocess
import time

import numpy as np
import pytest
from conftest import ARTIFACTS, EDITOR_PASSWORD
from PIL import Image

from tests.helpers import review_upload

pytestmark = pytest.mark.browser

PALETTE = {"1": (215, 25, 28), "4": (171, 217, 233), "5": (44, 123, 182)}


def palette_pixels(png: bytes) -> dict[str, int]:
    """Count pixels close to områdestyp colours (blended with the background at ~85 % opacity)."""
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB").resize((300, 300)), dtype=int)
    bg = np.array([233, 238, 242])
    counts = {}
    for k, rgb in PALETTE.items():
        target = 0.843 * np.array(rgb) + 0.157 * bg
        counts[k] = int((np.abs(img - target).sum(axis=2) < 40).sum())
    return counts


def wait_for_map(page, timeout: float = 120) -> dict[str, int]:
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for(timeout=timeout * 1000)
    deadline = time.time() + timeout
    counts = {}
    while time.time() < deadline:
        counts = palette_pixels(canvas.screenshot())
        if counts["4"] > 200:
            return counts
        time.sleep(1)
    raise AssertionError(f"map never painted the områdestyp colours: {counts}")


def test_compare_page_from_a_sent_link(app_server, page):
    # The link a chief sends: three kommuner; the page opens with tables, charts and downloads.
    # First browser test on purpose: the first visitor of a fresh server once got Streamlit's
    # "Page not found" dialog on a non-start page (see geo_app/streamlit_launcher.py).
    page.goto(app_server + "/jamfor?c_level=kommun&c_codes=1280,0180,1480&c_year=2023")
    page.get_by_text("Befolkning per områdestyp").first.wait_for(timeout=90_000)
    for chip in ("Malmö (1280)", "Stockholm (0180)", "Göteborg (1480)"):
        page.get_by_text(chip).first.wait_for(timeout=30_000)
    text = page.locator("[data-testid=stMain]").inner_text()
    assert page.get_by_text("Page not found").count() == 0
    # the type reference explained, and the chart's source and year (SCB's official unemployment per area,
    # 2024, by default since issue 22; the model estimate before)
    assert "Områdestypsreferens" in text and "Källa: SCB, RegSO-tabeller" in text and "BAS TAB6680" in text
    charts = page.locator("[data-testid=stVegaLiteChart]")
    charts.first.wait_for(timeout=60_000)
    charts.nth(1).wait_for(state="attached", timeout=60_000)  # may come a moment later on a loaded machine
    assert charts.count() >= 2  # indicator bars with reference line, stacked type distribution
    assert page.get_by_role("button", name="Ladda ner XLSX").count() == 1
    assert "c_codes=1280%2C0180%2C1480" in page.url or "c_codes=1280,0180,1480" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)


def test_national_map_paints_with_legend(app_server, page):
    geojson = []
    page.on("response", lambda r: geojson.append(r) if "/app/static/gen/areas-national-" in r.url else None)
    page.goto(app_server + "/")
    counts = wait_for_map(page)
    assert counts["5"] > 0  # several classes drawn, not a flat fill
    legend = page.get_by_test_id("map-legend")
    text = legend.inner_text()
    for label in ("1 Stora socioekonomiska utmaningar", "3 Socioekonomiskt blandade", "Uppgift saknas"):
        assert label in text
    assert geojson and geojson[0].status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "national_map.png"), full_page=True)


def test_kommun_link_opens_zoomed_in_english(app_server, page):
    page.goto(app_server + "/?kommun=1280&lang=en&year=2022")
    counts = wait_for_map(page)
    assert counts["1"] > 50  # Malmö's type-1 areas fill a good part of the zoomed map
    assert "Major socioeconomic challenges" in page.get_by_test_id("map-legend").inner_text()
    assert page.get_by_text("Table of what the map shows: Malmö, 2022").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "malmo_2022_en.png"), full_page=True)


HOSTILE = '<img src=x onerror="window.__xss=1">Arbetslöshet %'
MD_NAME = "![bild](https:evil.example) [länk](https:evil.example) "


def assert_inert(page) -> None:
    """Markdown/HTML from a file name or header drew no image, link or element."""
    assert page.locator("img[src*='evil']").count() == 0
    assert page.locator("a[href*='evil']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.__xss") is None


def test_import_in_the_browser_shows_on_the_map_and_html_stays_text(app_server, page, tmp_path):
    from geo_app.data import loaders, user_store

    regso = loaders.load_regso()
    malmo = regso.index[regso["kommunkod"] == "1280"]
    f = tmp_path / f"{MD_NAME}<i>egna.csv"
    lines = [f"regsokod;{HOSTILE}"] + [f"{c};{i % 40},5" for i, c in enumerate(malmo)]
    f.write_bytes("\n".join(lines).encode("cp1252"))

    page.goto(app_server + "/")
    page.get_by_role("link", name="Data och källor").click()
    page.get_by_text("Importera egna siffror").wait_for(timeout=60_000)
    page.get_by_label("Redaktörslösenord").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Du är inloggad som redaktör").wait_for(timeout=60_000)
    page.locator("input[type=file]").first.set_input_files(str(f))
    review_upload(page, f.name)
    page.get_by_role("button", name="Spara importen").click()
    page.get_by_text("Dina importer").wait_for(timeout=60_000)
    assert_inert(page)
    assert page.get_by_text(MD_NAME, exact=False).count() >= 1  # the file name shown literally

    layer = f"imp_{user_store.default_name(MD_NAME + '<i>egna')}_{user_store.slug(HOSTILE)}"
    page.goto(app_server + f"/?layer={layer}&kommun=1280")
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for(timeout=120_000)
    badge = page.get_by_test_id("kind-badge")
    badge.wait_for(timeout=60_000)
    assert "Importerad" in badge.inner_text()
    # the header is shown literally, as text, in the layer menu and the table
    assert page.get_by_text(HOSTILE, exact=False).count() >= 1
    time.sleep(3)
    box = canvas.bounding_box()
    for dx, dy in ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45), (0.5, 0.6)):
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        time.sleep(1)
        tip = page.locator(".deck-tooltip")
        if tip.count() and "Importerad".upper() in tip.first.inner_text().upper():
            assert "<img" in tip.first.inner_text()  # shown as text
            break
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert_inert(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "imported_layer.png"), full_page=True)


def test_gap_page_in_the_browser(app_server, page):
    # the indicator is named: an earlier browser test imports unemployment figures for Malmö, which the rule
    # would otherwise default to (and then no area would be "presence unknown")
    page.goto(app_server + "/luckor?g_km=15&g_ind=arbetsloshet_scb")
    wait_for_map(page)
    page.get_by_text("kommuner har").first.wait_for(timeout=60_000)
    assert page.get_by_text("Ofullständigt kontorsregister").first.is_visible()
    # kommuner, gaps, presence unknown, and why it is unknown (agency and kommun)
    assert page.get_by_role("button", name="Ladda ner CSV").count() == 4
    assert page.get_by_text("Varför är närvaron okänd?").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presence_gaps.png"), full_page=True)
    # The date control, typed into like a user does: presence as of 1 June 2026.
    # (Streamlit's date field has one spin button per part, its names in the page language — "år, …" — by
    # app/chrome_text; typing the digits moves from year to day.)
    page.get_by_role("spinbutton", name="år, Närvaro per datum").click()
    page.keyboard.type("20260601", delay=80)
    page.locator("h1").first.click()  # leaving the field commits the date
    page.get_by_text("Per 2026-06-01:").first.wait_for(timeout=60_000)
    assert "g_asof=2026-06-01" in page.url
    # Compare with a second date (default 2023-01-01): counts on both dates side by side.
    page.get_by_text("Jämför med ett annat datum").first.click()
    page.get_by_text("Luckor vid två datum: 2023-01-01 och 2026-06-01").first.wait_for(timeout=60_000)
    assert "g_asof2=2023-01-01" in page.url
    page.screenshot(path=str(ARTIFACTS / "presence_gaps_two_dates.png"), full_page=True)


def test_compare_page_downloads_the_brief_as_pdf(app_server, page, tmp_path):
    # The chief's brief from the Jämför page: the PDF of the chosen kommun, made on click.
    page.goto(app_server + "/jamfor?c_level=kommun&c_codes=1282&c_year=2023")
    button = page.get_by_role("button", name="Ladda ner PDF – Landskrona")
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("lagesbild_kommun_1282_") and download.suggested_filename.endswith(
        ".pdf"
    )
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Landskrona kommun – lägesbild" in text and "Modellskattning" in text
    assert page.get_by_role("button", name="Ladda ner HTML (för utskrift) – Landskrona").count() == 1


# --- real mouse, real picking: the map must stay light enough to pick (software WebGL here) -------

LONGTASKS = """
window.__lt = [];
new PerformanceObserver(l => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)); })
  .observe({type: 'longtask', buffered: true});
"""


def _pixel(box: dict, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a point on a deck.gl map (Web Mercator, 512-px world at zoom 0)."""
    import math

    def merc(lo, la):
        scale = 512 * 2 ** view["zoom"] / (2 * math.pi)
        return scale * math.radians(lo), -scale * math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    cx, cy = merc(view["longitude"], view["latitude"])
    x, y = merc(lon, lat)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def _settle(page, quiet_s: float = 3.0, timeout: float = 90) -> None:
    """Wait until no main-thread long task has been added for ``quiet_s`` seconds."""
    deadline = time.time() + timeout
    n, since = -1, time.time()
    while time.time() < deadline:
        m = page.evaluate("window.__lt.length")
        if m != n:
            n, since = m, time.time()
        elif time.time() - since > quiet_s:
            return
        time.sleep(0.25)


def _open_national_map(page, app_server: str) -> tuple[dict, dict]:
    """Open the start page with the long-task observer, wait until the map is drawn and quiet.

    Returns the map's bounding box and its national view (for :func:`_pixel`).
    """
    from geo_app.views import mapspec

    page.add_init_script(LONGTASKS)
    page.goto(app_server + "/")
    wait_for_map(page)
    _settle(page)
    box = page.locator("[data-testid='stDeckGlJsonChart']").first.bounding_box()
    return box, mapspec.view_for_bounds(mapspec.SWEDEN_BOUNDS)


def _hover_until_tooltip(page, xy: tuple[float, float], text: str, timeout: float = 60) -> None:
    """Move the mouse onto ``xy`` (wiggling a pixel) until deck.gl's tooltip names ``text``: picking works there."""
    deadline = time.time() + timeout
    tip = page.locator(".deck-tooltip")
    i = 0
    while time.time() < deadline:
        page.mouse.move(xy[0] + (i % 2), xy[1])
        i += 1
        time.sleep(1.0)
        if tip.count() and text in tip.first.inner_text():
            return
    raise AssertionError(f"no tooltip with {text!r} at {xy}")


def test_real_mouse_click_selects_an_area(app_server, page, bundle):
    import shapely

    from geo_app.data import loaders
    from geo_app.views import lod
    from geo_app.views.search import display_name

    box, view = _open_national_map(page, app_server)
    # the area with the widest inside at national zoom; click its pole of inaccessibility
    geoms = lod.national_geometry(loaders.load_export_geometry("regso"))
    code = geoms.index[int(np.argmax(shapely.area(geoms.values)))]
    centre = shapely.get_coordinates(shapely.maximum_inscribed_circle(geoms.loc[[code]].values, 0.01))[0]
    name = display_name(bundle.regso.at[code, "regsonamn"])
    _hover_until_tooltip(page, _pixel(box, view, *centre), name)
    page.mouse.click(*_pixel(box, view, *centre))
    page.get_by_text(f"RegSO-kod: {code}").wait_for(timeout=90_000)
    assert page.get_by_text(f"Område: {name}").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "clicked_area.png"), full_page=True)


def test_choosing_a_lan_repaints_without_long_main_thread_tasks(app_server, page):
    _open_national_map(page, app_server)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    before = canvas.screenshot()
    page.evaluate("window.__lt = []")
    t0 = time.time()
    page.locator("[data-testid=stSelectbox]").filter(has_text="Län").first.click()
    page.get_by_role("option", name="Skåne län (12)").click()
    page.wait_for_function("() => window.location.search.includes('lan=12')", timeout=60_000)
    _settle(page)
    tasks = page.evaluate("window.__lt")
    after = canvas.screenshot()
    assert after != before  # the map was drawn again (zoomed to Skåne)
    counts = palette_pixels(after)
    assert counts["1"] + counts["4"] + counts["5"] > 500  # Skåne's areas coloured, in detail
    # The old map (11 MB GeoJSON with strokes) blocked the main thread 7.3 s + 5.1 s here on a quiet
    # machine (≈ 0.3–0.5 s now). Generous bound: the CI machine is shared (load 15+ seen) and renders
    # WebGL in software, which stretches every frame.
    assert max(tasks or [0]) < 3000, tasks
    print(f"län change: settled after {time.time() - t0:.1f} s, long tasks {tasks}")
    # The table alternative: not on the page until asked for (its code is not in the first load),
    # then reachable by keyboard: focus the toggle, press Space, the table of Skåne's areas appears.
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    toggle = page.get_by_role("switch", name="Visa som tabell")
    toggle.focus()
    page.keyboard.press("Space")
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=90_000)
    assert page.get_by_text("Tabell över det kartan visar: Skåne län").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lan_12.png"), full_page=True)


def test_real_mouse_click_selects_an_office(app_server, page):
    from datetime import date

    from scipy.spatial import cKDTree

    from geo_app.data import loaders
    from geo_app.i18n import t
    from geo_app.views import office_view

    box, view = _open_national_map(page, app_server)
    # the offices the page draws today; click the one farthest from any other (no overlapping dot)
    today = date.today().isoformat()
    offices = loaders.load_presence(date.today())
    shown = office_view.office_points(offices)
    xy = np.column_stack([shown["lon"] * np.cos(np.radians(62)), shown["lat"]])
    dist, _ = cKDTree(xy).query(xy, k=2)
    office = shown.index[int(np.argmax(dist[:, 1]))]
    name = offices.at[office, "name"]
    target = _pixel(box, view, shown.at[office, "lon"], shown.at[office, "lat"])
    _hover_until_tooltip(page, target, f"Kontor: {name}")
    tip = page.locator(".deck-tooltip").first.inner_text()
    assert "{" not in tip and "}" not in tip, tip  # every key of the shared template filled over an office
    page.mouse.click(*target)
    page.get_by_text(f"Kontor: {name}", exact=True).wait_for(timeout=90_000)
    status = t(f"status.{offices.at[office, 'status']}", "sv")
    precision = t(f"precision.{offices.at[office, 'precision']}", "sv")
    assert page.get_by_text(f"Status per {today}: {status}", exact=True).count() == 1
    assert page.get_by_text(f"Lägesnoggrannhet: {precision}", exact=True).count() == 1
    assert page.get_by_text(f"Källa: {offices.at[office, 'source_url']}", exact=True).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "clicked_office.png"), full_page=True)
