"""CPU profile (CDP Profiler) + long tasks of the map page: first load, then a län change.

Usage: python benchmarks/profile_map.py [--url URL] [--out DIR]
Prints the top self-time functions per phase and the long tasks.
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
import time
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

LONGTASK_JS = """
window.__lt = [];
new PerformanceObserver(l => { for (const e of l.getEntries())
  window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); })
  .observe({type: 'longtask', buffered: true});
"""


def top(profile: dict, n: int = 25) -> list[tuple[float, str]]:
    nodes = {nd["id"]: nd for nd in profile["nodes"]}
    self_us = collections.Counter()
    deltas = profile["timeDeltas"]
    for sid, dt in zip(profile["samples"], deltas, strict=False):
        self_us[sid] += dt
    agg = collections.Counter()
    for nid, us in self_us.items():
        cf = nodes[nid]["callFrame"]
        key = f"{cf['functionName'] or '(anon)'} {cf['url'].rsplit('/', 1)[-1]}:{cf['lineNumber']}:{cf['columnNumber']}"
        agg[key] += us
    return [(us / 1000, k) for k, us in agg.most_common(n)]


def inclusive(profile: dict, names: list[str]) -> dict[str, float]:
    """Inclusive ms of nodes whose function name is in names (outermost only)."""
    nodes = {nd["id"]: nd for nd in profile["nodes"]}
    parent = {}
    for nd in profile["nodes"]:
        for c in nd.get("children", []):
            parent[c] = nd["id"]
    out = collections.Counter()
    for sid, dt in zip(profile["samples"], profile["timeDeltas"], strict=False):
        seen = set()
        x = sid
        while x is not None:
            fn = nodes[x]["callFrame"]["functionName"]
            if fn in names and fn not in seen:
                seen.add(fn)
                out[fn] += dt
            x = parent.get(x)
    return {k: v / 1000 for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--out", default="/tmp/prof")
    ap.add_argument("--lan", default="Skåne län (12)")
    ap.add_argument("--wait", type=float, default=25, help="seconds to record after the canvas appears")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as prof_dir:
        ctx = p.chromium.launch_persistent_context(
            prof_dir, executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1100}
        )
        page = ctx.new_page()
        page.add_init_script(LONGTASK_JS)
        cdp = ctx.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        cdp.send("Profiler.start")
        t0 = time.time()
        page.goto(args.url)
        page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=120_000)
        time.sleep(args.wait)
        prof = cdp.send("Profiler.stop")["profile"]
        (out / "load.cpuprofile").write_text(json.dumps(prof))
        print("LOAD long tasks", page.evaluate("window.__lt"), f"{time.time() - t0:.1f}s")
        for ms, k in top(prof):
            print(f"  {ms:8.0f} ms  {k}")
        page.evaluate("window.__lt = []")
        cdp.send("Profiler.start")
        sel = page.locator("[data-testid=stSelectbox]").filter(has_text="Län").first
        sel.click()
        page.get_by_role("option", name=args.lan).click()
        time.sleep(20)
        prof = cdp.send("Profiler.stop")["profile"]
        (out / "lan.cpuprofile").write_text(json.dumps(prof))
        print("LÄN long tasks", page.evaluate("window.__lt"))
        for ms, k in top(prof):
            print(f"  {ms:8.0f} ms  {k}")
        page.screenshot(path=str(out / "after_lan.png"))
        ctx.close()


if __name__ == "__main__":
    main()
