"""Network log of a first load: every HTTP response (URL, type, bytes on the wire), and the difference to the floor.

Usage: python benchmarks/network_map.py --url http://127.0.0.1:8682/ [--floor http://127.0.0.1:8681/]
           [--wait 8] [--json out.json]

Opens each URL in a fresh headless Chromium context (Debian's /usr/bin/chromium), waits for the
deck.gl canvas and then ``--wait`` seconds, and lists the responses by size. With ``--floor`` it
prints the responses (by path, hash stripped) the page fetches beyond the floor's: the bytes that
make "first-load bytes floor + X MB".
"""

from __future__ import annotations

import argparse
import json
import re
import time

from profile_map import CHROMIUM_ARGS


def first_load(browser, url: str, wait: float) -> list[dict]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = ctx.new_page()
    reqs: list = []
    page.on("requestfinished", lambda r: reqs.append(r))
    t0 = time.time()
    page.goto(url)
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=180_000)
    time.sleep(wait)
    rows = []
    for r in reqs:
        try:
            z = r.sizes()
            size = z["responseHeadersSize"] + z["responseBodySize"]
        except Exception:  # noqa: BLE001 - a request without sizes counts 0
            size = 0
        rows.append({"url": r.url, "type": r.resource_type, "bytes": size})
    ctx.close()
    print(f"{url}: {len(rows)} responses, {sum(r['bytes'] for r in rows) / 1e6:.2f} MB in {time.time() - t0:.0f} s")
    return rows


def key(url: str) -> str:
    """The file name without Vite's content hash (``DataFrame.-f9-1zS0.js`` → ``DataFrame.js``)."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    return re.sub(r"\.[A-Za-z0-9_-]{8}\.(js|css)$", r".\1", name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--floor")
    ap.add_argument("--wait", type=float, default=8)
    ap.add_argument("--json")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        app = first_load(browser, args.url, args.wait)
        floor = first_load(browser, args.floor, args.wait) if args.floor else []
        browser.close()
    print("\nlargest responses of the page:")
    for r in sorted(app, key=lambda r: -r["bytes"])[:40]:
        print(f"  {r['bytes'] / 1e3:9.1f} KB  {r['type']:10s} {key(r['url'])}")
    if floor:
        have = {key(r["url"]) for r in floor}
        extra = sorted((r for r in app if key(r["url"]) not in have), key=lambda r: -r["bytes"])
        print(f"\nbeyond the floor: {sum(r['bytes'] for r in extra) / 1e6:.2f} MB")
        for r in extra:
            print(f"  {r['bytes'] / 1e3:9.1f} KB  {r['type']:10s} {key(r['url'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"app": app, "floor": floor}, f, indent=1)


if __name__ == "__main__":
    main()
