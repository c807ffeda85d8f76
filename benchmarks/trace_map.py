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


def timeline(events: list[dict], label: str, min_ms: float = 30) -> None:
    """Main-thread tasks longer than ``min_ms`` in order: start (s from the first), duration, heaviest children."""
    names = {
        (e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    main = {k for k, v in names.items() if v == "CrRendererMain"}
    evs = sorted(
        (e for e in events if e.get("ph") == "X" and (e["pid"], e["tid"]) in main and "dur" in e), key=lambda e: e["ts"]
    )
    if not evs:
        return
    t0 = evs[0]["ts"]
    tasks = [e for e in evs if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask") and e["dur"] >= min_ms * 1000]
    print(f"[{label}] main-thread tasks >= {min_ms:.0f} ms: start s, ms, heaviest inner slices")
    for task in tasks:
        end = task["ts"] + task["dur"]
        inner = collections.Counter()
        for e in evs:
            if (
                task["ts"] < e["ts"] < end
                and e is not task
                and e["name"] not in ("RunTask", "ThreadControllerImpl::RunTask")
            ):
                inner[e["name"]] = max(inner[e["name"]], e["dur"] / 1000)
        top = ", ".join(f"{n} {ms:.0f}" for n, ms in inner.most_common(5))
        print(f"   {(task['ts'] - t0) / 1e6:7.2f} {task['dur'] / 1000:7.0f}  {top}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--lan", default="Skåne län (12)", help="the option to choose (e.g. 'Stockholms län (01)')")
    ap.add_argument("--label", default="Län", help="the selectbox to change (e.g. 'Visa på kartan' for a layer)")
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
                page.locator("[data-testid=stSelectbox]").filter(has_text=args.label).first.click()
                page.get_by_role("option", name=args.lan).click()
            time.sleep(args.wait)
            data = browser.stop_tracing()
            (out / f"{phase}.json").write_bytes(data)
            print(phase, "long tasks", page.evaluate("window.__lt"))
            events = json.loads(data)["traceEvents"]
            summarise(events, phase)
            timeline(events, phase)
        browser.close()


if __name__ == "__main__":
    main()
