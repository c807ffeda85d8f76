"""Benchmark of the printable brief: one kommun, one län, all 49 kommuner of Västra Götaland.

Run with ``.venv/bin/python benchmarks/bench_brief.py``. Prints a Markdown table for the
README and writes ``benchmarks/results/bench_brief.json``.

What is measured
----------------
- setup: loading the bundle and the offices, the default gap analysis and the print-map
  geometry (:func:`geo_app.report.context.make_context`), once per batch or app process;
- one brief: content + map + HTML + PDF for Landskrona (1282), median of 5 after a warm-up
  (the first PDF of a process also loads the fonts: reported separately);
- one län brief: Skåne (12), same;
- the batch: ``geo-app brief --all-in-lan 14`` in a fresh process, PDF, wall time
  including Python start and data loading (the figure a user waits for).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _cpu_timed(fn):
    """(result, wall seconds, CPU seconds of this process)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def main() -> None:
    from geo_app.layers.bundle import load_bundle
    from geo_app.report import brief as rb
    from geo_app.report import context

    as_of = date.today()
    with tempfile.TemporaryDirectory() as user:
        (bundle, t_bundle) = _timed(lambda: load_bundle(user_dir=Path(user)))
        from geo_app.data import loaders

        offices = loaders.load_presence(today=as_of, user_dir=Path(user))
        ctx, t_ctx = _timed(lambda: context.make_context(bundle, context.BriefInputs(as_of=as_of, offices=offices)))

    def one(level: str, code: str) -> tuple[float, float, float, float]:
        brief, t_content, c_content = _cpu_timed(lambda: rb.make_brief(ctx, level, code))
        pdf, t_pdf, c_pdf = _cpu_timed(lambda: rb.render(brief, "pdf"))
        assert pdf[:5] == b"%PDF-"
        return t_content, t_pdf, t_content + t_pdf, c_content + c_pdf

    first = one("kommun", "1282")
    results: dict[str, object] = {"bundle_s": t_bundle, "context_s": t_ctx, "first_kommun_s": first[2]}
    for label, level, code in (("kommun_1282", "kommun", "1282"), ("lan_12", "lan", "12")):
        runs = [one(level, code) for _ in range(5)]
        results[label] = {
            "content_and_map_s": statistics.median(r[0] for r in runs),
            "pdf_s": statistics.median(r[1] for r in runs),
            "total_s": statistics.median(r[2] for r in runs),
            "cpu_s": statistics.median(r[3] for r in runs),
        }
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "geo_app.cli", "brief", "--all-in-lan", "14", "--out", out],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        batch = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        batch_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        assert proc.returncode == 0, proc.stderr
        files = len(list(Path(out).glob("*.pdf")))
    results["batch_lan_14"] = {"files": files, "wall_s": batch, "cpu_s": batch_cpu}
    results["load_average_1min"] = os.getloadavg()[0]
    results["cores"] = os.cpu_count()

    k, lan = results["kommun_1282"], results["lan_12"]
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores (wall time grows with it; CPU time does not)")
    print("| step | wall | CPU |")
    print("|---|---|---|")
    print(f"| load bundle (once per process) | {t_bundle:.1f} s | |")
    print(f"| offices, default gap rule, map geometry (once per batch) | {t_ctx:.1f} s | |")
    print(f"| first kommun brief of a process (fonts load) | {first[2]:.1f} s | {first[3]:.1f} s |")
    for name, r in (("kommun brief, Landskrona", k), ("län brief, Skåne", lan)):
        assert isinstance(r, dict)
        print(
            f"| {name}: content + map / PDF / **total** | "
            f"{r['content_and_map_s']:.2f} / {r['pdf_s']:.2f} / **{r['total_s']:.2f} s** | {r['cpu_s']:.2f} s |"
        )
    print(f"| `geo-app brief --all-in-lan 14` ({files} PDFs, fresh process) | **{batch:.0f} s** | {batch_cpu:.0f} s |")
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "bench_brief.json").write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    main()
