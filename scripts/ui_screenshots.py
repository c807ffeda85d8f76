"""Screenshots of the Karta, Närvaroluckor and Jämför pages for docs/img/ (Playwright + Debian chromium).

Usage: ``geo-app serve --port 8765 &`` then ``python scripts/ui_screenshots.py http://127.0.0.1:8765``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


def settle(page, seconds: float = 14) -> None:
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=180_000)
    time.sleep(seconds)


def main(url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})

        page.goto(url + "/")
        settle(page, 20)
        page.screenshot(path=str(OUT / "national_map.png"))

        page.goto(url + "/?area=rosengard")
        page.get_by_text("träffar – välj område").first.wait_for(timeout=120_000)
        page.get_by_test_id("stSelectbox").last.click()
        page.get_by_role("option", name="Rosengård, Malmö – stadsdel, 5 RegSO-områden").click()
        settle(page, 12)
        page.screenshot(path=str(OUT / "karta_rosengard.png"))

        page.goto(url + "/luckor?g_lan=20")
        settle(page, 14)
        page.set_viewport_size({"width": 1400, "height": 2000})
        time.sleep(3)
        page.screenshot(path=str(OUT / "narvaroluckor.png"))

        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(url + "/jamfor?c_level=kommun&c_codes=1280,1283,0180&c_year=2023")
        page.locator("[data-testid=stVegaLiteChart]").first.wait_for(timeout=120_000)
        time.sleep(6)
        page.set_viewport_size({"width": 1400, "height": 2100})
        time.sleep(3)
        page.screenshot(path=str(OUT / "jamfor.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765")
