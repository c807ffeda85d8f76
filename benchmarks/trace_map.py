"""Chromium trace (CDP Tracing) of a first load and a län change; summarises what the main thread did.

Usage: python benchmarks/trace_map.py --url URL [--lan "Skåne län (12)"]
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
import time
from pathlib import Path

from profile_map import CHROMIUM_ARGS, LONGTASK_JS

CATS = (
    "toplevel,blink,gpu,v8,devtools.timeline,disabled-by-default-devtools.timeline,"
    "disabled-by-default-gpu.service,cc,viz"
)


def summarise(events: list[dict], label: str, min_ms: float = 50) -> None:  # noqa: ARG001
    names = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            names[(e["pid"], e["tid"])] = e["args"]["name"]
    main = {k for k, v in names.items() if v == "CrRendererMain"}
    gpu = {k for k, v in names.items() if v in ("CrGpuMain", "VizCompositorThread")}
    # top-level slices on the renderer main thread, longer than min_ms, with their heaviest children
    per_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in main | gpu:
            per_thread[(e["pid"], e["tid"])].append(e)
    for key, evs in per_thread.items():
        agg = collections.Counter()
        cnt = collections.Counter()
        for e in evs:
            agg[e["name"]] += e.get("dur", 0) / 1000
            cnt[e["name"]] += 1
        print(f"[{label}] thread {names[key]}: heaviest slice names (inclusive ms, count)")
        for n, ms in agg.most_common(18):
            print(f"   {ms:9.0f} {cnt[n]:6d}  {n}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--lan", default="Skåne län (12)")
    ap.add_argument("--out", default="/tmp/trace")
    ap.add_argument("--wait", type=float, default=25)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory():
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = ctx.new_page()
        page.add_init_script(LONGTASK_JS)
        for phase in ("load", "lan"):
            browser.start_tracing(page=page, categories=CATS.split(","))
            if phase == "load":
                page.goto(args.url)
                page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=120_000)
            else:
                page.evaluate("window.__lt = []")
                page.locator("[data-testid=stSelectbox]").filter(has_text="Län").first.click()
                page.get_by_role("option", name=args.lan).click()
            time.sleep(args.wait)
            data = browser.stop_tracing()
            (out / f"{phase}.json").write_bytes(data)
            print(phase, "long tasks", page.evaluate("window.__lt"))
            summarise(json.loads(data)["traceEvents"], phase)
        browser.close()


if __name__ == "__main__":
    main()
