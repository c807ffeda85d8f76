"""Load benchmark: N concurrent browser sessions against one `geo-app serve` on loopback.

Run with ``python benchmarks/bench_load.py [--sessions 20] [--rounds 2]``. Starts the server with an
empty user data directory, opens N browser contexts in Debian's headless Chromium at once (each its
own Streamlit session, each a different kommun), and measures per session the **page-ready time**:
navigation until the map canvas and the legend are shown and the kommun table has rendered. It samples
the server's RSS (the Streamlit process and its children) during the run. Prints a Markdown table and
writes ``benchmarks/results/bench_load.json``.

Headless Chromium renders WebGL in software here and all sessions share this machine's cores with
the server, so times are upper bounds of what real browsers on other machines see.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KOMMUNER = ["0180", "1280", "1480", "0380", "0580", "1880", "2480", "0680", "1780", "2580"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="waves of N concurrent sessions (first = cold)")
    parser.add_argument("--timeout-ms", type=int, default=300_000, help="per session")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_http

    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = dict(os.environ, GEO_APP_DATA_DIR=str(tmp / "data"), GEO_APP_CACHE_DIR=str(tmp / "cache"))
    env.pop("GEO_APP_DATABASE_URL", None)
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "geo_app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(rss_mb(server.pid))
            time.sleep(0.5)

    results: dict = {"sessions": args.sessions, "rounds": []}
    try:
        wait_http(base + "/_stcore/health", timeout=120)
        idle = rss_mb(server.pid)
        threading.Thread(target=sample, daemon=True).start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for r in range(args.rounds):
                contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(args.sessions)]
                pages = [c.new_page() for c in contexts]
                starts = []
                for i, page in enumerate(pages):  # start all navigations before waiting for any
                    starts.append(time.perf_counter())
                    page.goto(f"{base}/?kommun={KOMMUNER[i % len(KOMMUNER)]}", wait_until="commit")
                ready, failed = [], 0
                for i, (start, page) in enumerate(zip(starts, pages, strict=True)):
                    try:
                        page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=args.timeout_ms)
                        page.get_by_test_id("map-legend").wait_for(timeout=args.timeout_ms)
                        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=args.timeout_ms)
                        ready.append(time.perf_counter() - start)
                    except Exception:  # noqa: BLE001 - a session that never got ready is counted, not fatal
                        failed += 1
                    print(f"round {r + 1} session {i + 1}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
                if not ready:
                    raise SystemExit("no session became ready")
                results["rounds"].append(
                    {
                        "round": r + 1,
                        "p50_s": round(statistics.median(ready), 2),
                        "p95_s": round(percentile(ready, 0.95), 2),
                        "max_s": round(max(ready), 2),
                        "ready": len(ready),
                        "failed": failed,
                        "rss_after_mb": round(rss_mb(server.pid)),
                    }
                )
                for c in contexts:
                    c.close()
            browser.close()
        stop.set()
        results["rss_idle_mb"] = round(idle)
        results["rss_peak_mb"] = round(max(samples)) if samples else None
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        log.close()

    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_load.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(f"| {args.sessions} concurrent sessions | ready | p50 page-ready | p95 | max | server RSS after |")
    print("|---|---|---|---|---|---|")
    for r in results["rounds"]:
        label = "cold (first wave)" if r["round"] == 1 else f"wave {r['round']}"
        print(
            f"| {label} | {r['ready']}/{args.sessions} | {r['p50_s']} s | {r['p95_s']} s | {r['max_s']} s "
            f"| {r['rss_after_mb']} MB |"
        )
    print(f"\nserver RSS idle {results['rss_idle_mb']} MB, peak {results['rss_peak_mb']} MB")


if __name__ == "__main__":
    main()
