"""The Scenario page in a real browser (Debian's Chromium through Playwright): add a point by search."""

import time

import pytest
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def first_card(page) -> str:
    """The card of the rule's areas beyond the distance where presence is unknown (the second card)."""
    return page.locator("[data-testid=stMetricValue]").nth(1).inner_text().strip()


def gap_counts(text: str) -> tuple[int, int]:
    before, after = text.split("→")
    return int(before.strip().replace("\xa0", "")), int(after.strip().replace("\xa0", ""))


def test_add_a_point_by_search_in_the_browser(app_server, page):
    page.set_default_timeout(90_000)  # the shared CI machine can be very loaded
    # the indicator is named (SCB's official 2024 unemployment): an earlier browser test may have imported
    # unemployment figures for Malmö, which the rule would otherwise default to
    page.goto(app_server + "/scenario?s_ind=arbetsloshet_scb")
    page.get_by_text("Före → efter, hela Sverige").wait_for(timeout=90_000)
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=60_000)
    before, after = gap_counts(first_card(page))
    assert before == after and before > 1

    search = page.get_by_role("textbox", name="Sök ort eller RegSO-område")
    search.click()
    page.keyboard.type("Bollnäs", delay=40)
    page.keyboard.press("Enter")
    hits = page.locator("[data-testid=stSelectbox]").filter(has_text="Träffar")
    hits.wait_for(timeout=60_000)
    shown = hits.inner_text() + " ".join(hits.locator("input").evaluate_all("els => els.map(e => e.value)"))
    assert "Bollnas (Bollnäs, ort)" in shown  # the town first, picked by default
    page.get_by_role("button", name="Lägg till punkt").click()

    deadline = time.time() + 60
    while time.time() < deadline and gap_counts(first_card(page))[1] == after:
        time.sleep(0.5)
    assert gap_counts(first_card(page)) == (before, before - 1)  # Gärdet, Bollnäs, comes within 20 km
    assert page.get_by_text("1. Arbetsförmedlingen: ").first.is_visible()
    assert "s_add=16.39464%2C61.34817%3Aaf" in page.url or "s_add=16.39464,61.34817:af" in page.url
    assert page.get_by_text("Page not found").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.screenshot(path=str(ARTIFACTS / "scenario.png"), full_page=True)
