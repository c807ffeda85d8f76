"""Benchmark of the map: the browser ratio table (floor vs this app vs the naive peers), and more.

Run with ``./dev bench`` (or ``python benchmarks/bench_map.py``). By default it runs the shared
harness ``../shared/bench/measure.py`` in one go on

- the **floor** (``calibration/tiny_pydeck_app.py``: Streamlit + a three-square pydeck map),
- **this app**: first paint, then a repaint after choosing a län (``--select-label Län``), and a
  second series with a repaint after switching the layer (``Visa på kartan``), and the
  Närvaroluckor page (``/luckor``) with a repaint after choosing a län,
- the two **naive peers** (``peers/pydeck_app.py``, ``peers/folium_app.py``; folium and
  streamlit-folium come from a separate venv in ``~/.cache/narvarokartan-bench``, made with uv from
  the harness's ``requirements.txt`` on first use),

and prints one Markdown table: medians, each figure as a ratio to the floor measured in the same
run, and the longest main-thread tasks of the first load and of each interaction. Raw rows go to
``benchmarks/results/measure.jsonl``, the table to ``benchmarks/results/ratios.md``.

``--python`` adds the older server-side figures (data load, spec bytes, AppTest reruns, export,
gap analysis, import), written to ``benchmarks/results/bench_map.json``.
"""

from __future__ import annotations

import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _median_ms(fn, n: int = 7) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_python() -> dict:
    from geo_app.data.paths import STATIC_DIR
    from geo_app.layers.bundle import load_bundle
    from geo_app.views import map_view as nm

    code = (
        "import time; t=time.perf_counter(); from geo_app.layers.bundle import load_bundle; "
        "from geo_app.views.map_view import publish_map; publish_map(load_bundle()); print(time.perf_counter()-t)"
    )
    load_s = float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True).strip())
    b = nm.publish_map(load_bundle())
    out: dict = {"data_load_s": round(load_s, 2)}
    views = {
        "national": nm.ViewChoice(),
        "year_2022": nm.ViewChoice(year=2022),
        "kommun_1280": nm.ViewChoice(kommun="1280"),
        "kommun_2584": nm.ViewChoice(kommun="2584"),
        "overlay_estimate": nm.ViewChoice(layer="arbetsloshet_modell"),
        "overlay_kommun_n03937": nm.ViewChoice(layer="arbetsloshet_kommun", year=2015),
    }
    for name, choice in views.items():
        c = nm.normalise_choice(b, choice)
        spec = nm.map_deck(b, c, "sv").to_json()
        out[f"spec_bytes_{name}"] = len(spec.encode())
        out[f"spec_ms_{name}"] = round(_median_ms(lambda c=c: nm.map_deck(b, c, "sv").to_json()), 1)
    for level, url in b.urls.items():
        raw = (STATIC_DIR / url.removeprefix("app/static/")).read_bytes()
        out[f"geojson_{level}_bytes"] = len(raw)
        out[f"geojson_{level}_gzip_bytes"] = len(gzip.compress(raw, 6))
    # The naive alternative: the same area layer with its GeoJSON inline in the spec.
    import pydeck as pdk

    inline = json.loads((STATIC_DIR / b.urls["regso"].removeprefix("app/static/")).read_text("utf-8"))
    naive = pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", data=inline, get_fill_color="properties.f_omradestyp_2023")])
    t = time.perf_counter()
    out["naive_inline_spec_bytes"] = len(naive.to_json().encode())
    out["naive_inline_spec_ms"] = round((time.perf_counter() - t) * 1000)
    out["import_3363_rows_validate_ms"] = round(bench_import(b), 1)
    out.update(bench_gaps(b))
    out.update(bench_export(b))
    return out


def bench_export(b) -> dict:
    """GeoPackage export with all layers: all of Sweden and one kommun (Malmö), written to a temporary file."""
    import tempfile

    from geo_app.analysis import gaps
    from geo_app.data import loaders
    from geo_app.export import gpkg as export

    offices = loaders.load_presence()
    gap = gaps.analyse(b.regso, offices, b.gap_rule())
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name, choice in (
            ("national", export.ExportChoice()),
            ("kommun_1280", export.ExportChoice(kommun=("1280",))),
        ):
            path = Path(d) / f"{name}.gpkg"
            export.export_gpkg(b, offices, choice, path, gap=gap)  # warm: export geometry read once per process
            out[f"export_{name}_ms"] = round(
                _median_ms(lambda c=choice, p=path: export.export_gpkg(b, offices, c, p, gap=gap), n=5), 1
            )
            out[f"export_{name}_bytes"] = path.stat().st_size
    return out


def bench_gaps(b) -> dict:
    """The whole gap analysis (all areas × all offices), with the area points shared as the app does."""
    from geo_app.analysis import gaps
    from geo_app.data import loaders

    offices = loaders.load_presence()
    rule = b.gap_rule()
    points = gaps.area_points(b.regso)
    return {
        "gap_analysis_ms": round(_median_ms(lambda: gaps.analyse(b.regso, offices, rule, points)), 1),
        "gap_analysis_with_points_ms": round(_median_ms(lambda: gaps.analyse(b.regso, offices, rule)), 1),
    }


def bench_import(b) -> float:
    """Validate and preview a 3,363-row Swedish Excel CSV (``;``, decimal comma, cp1252)."""
    import tempfile

    from geo_app.data import loaders
    from geo_app.imports import indicators as indicator_import

    keys = loaders.load_regso2020_keys()
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "alla_omraden.csv"
        rows = ["RegSO-kod;Andel arbetslösa %;Antal"] + [
            f"{c};{(i % 300) / 10:.1f}".replace(".", ",") + f";{i}" for i, c in enumerate(b.regso.index)
        ]
        f.write_bytes("\r\n".join(rows).encode("cp1252"))
        return _median_ms(lambda: indicator_import.prepare_indicators(f, b.regso, b.kommun, keys, year=2024), n=5)


def bench_apptest() -> dict:
    from streamlit.testing.v1 import AppTest

    from geo_app.data.paths import APP_SCRIPT, page_script

    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120).run()
    at.run()  # warm caches
    out = {}
    years = iter([2022, 2023] * 10)
    out["rerun_ms_year_switch"] = round(_median_ms(lambda: at.radio(key="year").set_value(next(years)).run()), 1)
    kommuner = iter(["1280", "0180", "1480", "2584"] * 5)

    def zoom():
        k = next(kommuner)
        at.selectbox(key="lan").set_value("").run()
        t = time.perf_counter()
        at.selectbox(key="kommun").set_value(k).run()
        return time.perf_counter() - t

    out["rerun_ms_kommun_zoom"] = round(statistics.median(zoom() for _ in range(6)) * 1000, 1)
    at.selectbox(key="kommun").set_value("").run()
    at.selectbox(key="lan").set_value("").run()
    layers = iter(["arbetsloshet_modell", "utrikes_fodda", "arbetsloshet_kommun", "omradestyp"] * 5)
    out["rerun_ms_overlay_switch"] = round(
        _median_ms(lambda: at.selectbox(key="layer").set_value(next(layers)).run()), 1
    )
    at.switch_page(page_script("presence_gaps.py")).run()
    at.run()
    distances = iter([10.0, 20.0, 30.0, 40.0] * 5)
    out["rerun_ms_gap_slider"] = round(_median_ms(lambda: at.slider(key="g_km").set_value(next(distances)).run()), 1)
    spec = next(c for c in at.get("deck_gl_json_chart"))
    out["spec_bytes_gap_page"] = len(spec.proto.json.encode())
    at.query_params["c_codes"] = "1280,0180,1480"
    at.switch_page(page_script("compare.py")).run()
    at.run()
    pairs = iter([("1280", "0180", "1480"), ("1280", "0180")] * 5)
    out["rerun_ms_compare_selection"] = round(
        _median_ms(lambda: at.multiselect(key="c_pick").set_value(list(next(pairs))).run()), 1
    )
    return out


HARNESS = ROOT.parent / "shared" / "bench"
CACHE = Path.home() / ".cache" / "narvarokartan-bench"


def peers_streamlit() -> Path | None:
    """``streamlit`` of a venv with folium + streamlit-folium (the harness's requirements), made once."""
    venv = CACHE / "venv"
    exe = venv / "bin" / "streamlit"
    if exe.exists():
        return exe
    req = HARNESS / "requirements.txt"
    try:
        subprocess.run(["uv", "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
        subprocess.run(
            ["uv", "pip", "install", "--quiet", "-r", str(req)],
            check=True,
            env={**__import__("os").environ, "VIRTUAL_ENV": str(venv)},
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"bench: no venv for the folium peer ({exc}); skipping it", file=sys.stderr)
        return None
    return exe


def measure(label: str, args: list[str], runs: int, out: Path, quiet_wait: float = 90) -> tuple[dict, list[dict]]:
    """Run measure.py once; return its summary and its measured rows."""
    cmd = [
        sys.executable,
        str(HARNESS / "measure.py"),
        *args,
        "--label",
        label,
        "--runs",
        str(runs),
        "--cdn-mirror",
        str(CACHE / "cdn"),
        "--out",
        str(out),
        "--max-quiet-wait",
        str(quiet_wait),
    ]
    print("bench:", label, "...", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    rows, summary = [], {}
    for line in proc.stdout.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if "summary" in obj:
            summary = obj
        elif obj.get("phase") == "measured":
            rows.append(obj)
    if not summary:
        print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
    return summary, rows


def _longest(rows: list[dict], key: str) -> float | None:
    """Median over runs of the longest main-thread task (s) in ``key`` (a timeline)."""
    vals = [max((t[1] for t in r.get(key, {}).get("longest_tasks", [])), default=0.0) for r in rows]
    return statistics.median(vals) if vals else None


SERIES = ("floor", "app: län", "app: layer", "gaps: län", "pydeck peer", "folium peer")


def ratio_table(
    runs: int = 3, quiet_wait: float = 90, only: tuple[str, ...] = (), tag: str = "", port_base: int = 8681
) -> str:
    """Measure floor, app (län, layer) and peers in one go; return the Markdown ratio table.

    ``only``: measure just these series (the floor is always measured: ratios need it); ``tag``
    names the result files (``measure-<tag>.jsonl``, ``ratios-<tag>.md``).
    """
    if not (HARNESS / "measure.py").exists():
        return f"(no harness at {HARNESS}: ratio table skipped)"
    (CACHE / "cdn").parent.mkdir(parents=True, exist_ok=True)
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    suffix = f"-{tag}" if tag else ""
    out = out_dir / f"measure{suffix}.jsonl"
    serve = f"{sys.executable} -m geo_app.cli serve --port {{port}}"
    series = [
        (
            "floor",
            [
                "--app",
                str(HARNESS / "calibration" / "tiny_pydeck_app.py"),
                "--port",
                str(port_base + 0),
                "--ready",
                "canvas",
                "--min-gl-verts",
                "10",
                "--select-label",
                "Markera områdestyp",
            ],
        ),
        (
            "app: län",
            [
                "--cmd",
                serve.format(port=port_base + 1),
                "--port",
                str(port_base + 1),
                "--ready",
                "canvas",
                "--select-label",
                "Län",
            ],
        ),
        (
            "app: layer",
            [
                "--cmd",
                serve.format(port=port_base + 2),
                "--port",
                str(port_base + 2),
                "--ready",
                "canvas",
                "--select-label",
                "Visa på kartan",
            ],
        ),
        (
            "gaps: län",  # the Närvaroluckor page (its map, rule and tables): choose a län
            [
                "--cmd",
                serve.format(port=port_base + 5),
                "--port",
                str(port_base + 5),
                "--page-url",
                f"http://127.0.0.1:{port_base + 5}/luckor",
                "--ready",
                "canvas",
                "--select-label",
                "Län",
            ],
        ),
        (
            "pydeck peer",
            [
                "--app",
                str(HARNESS / "peers" / "pydeck_app.py"),
                "--port",
                str(port_base + 3),
                "--ready",
                "canvas",
                "--select-label",
                "Markera områdestyp",
            ],
        ),
    ]
    folium = peers_streamlit() if not only or "folium peer" in only else None
    if folium:
        series.append(
            (
                "folium peer",
                [
                    "--app",
                    str(HARNESS / "peers" / "folium_app.py"),
                    "--port",
                    str(port_base + 4),
                    "--ready",
                    "leaflet",
                    "--streamlit",
                    str(folium),
                    "--select-label",
                    "Markera områdestyp",
                ],
            )
        )
    if only:
        series = [(label, args) for label, args in series if label == "floor" or label in only]
    results = {label: measure(label, args, runs, out, quiet_wait) for label, args in series}
    floor = results["floor"][0].get("median", {})

    def cell(value, base, unit="", scale=1.0, digits=2):
        if value is None:
            return "–"
        text = f"{value * scale:.{digits}f}{unit}"
        return f"{text} ({value / base:.1f}×)" if base else text

    lines = [
        "| series | first paint s | first load MB | repaint s | repaint KB (ws) | longest task: load / repaint s | n |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, (summary, rows) in results.items():
        med = summary.get("median", {})
        first_mb = med.get("first_total_bytes")
        extra = (
            ""
            if label == "floor" or first_mb is None or floor.get("first_total_bytes") is None
            else f" (+{(first_mb - floor['first_total_bytes']) / 1e6:.2f})"
        )
        lines.append(
            f"| {label} | {cell(med.get('first_paint_s'), floor.get('first_paint_s'))} "
            f"| {cell(first_mb, None, '', 1e-6)}{extra} "
            f"| {cell(med.get('rerun_s'), floor.get('rerun_s'))} "
            f"| {cell(med.get('rerun_total_bytes'), None, '', 1e-3, 1)} "
            f"({cell(med.get('rerun_ws_bytes'), None, '', 1e-3, 1)}) "
            f"| {cell(_longest(rows, 'first_timeline'), None)} / {cell(_longest(rows, 'rerun_timeline'), None)} "
            f"| {summary.get('n', 0)} |"
        )
    table = "\n".join(lines)
    (out_dir / f"ratios{suffix}.md").write_text(table + "\n")
    return table


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="measured loads per series (medians)")
    ap.add_argument("--python", action="store_true", help="also the server-side figures (bench_map.json)")
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=90,
        help="seconds measure.py waits for a quiet machine before each run (then runs anyway)",
    )
    ap.add_argument(
        "--series",
        action="append",
        choices=[s for s in SERIES if s != "floor"],
        default=[],
        help="measure only this series (repeatable; the floor always runs). Default: all",
    )
    ap.add_argument("--port-base", type=int, default=8681, help="first of the six server ports")
    ap.add_argument("--tag", default="", help="result files measure-TAG.jsonl and ratios-TAG.md (a step's raw figures)")
    args = ap.parse_args()
    if args.python:
        results = {**bench_python(), **bench_apptest()}
        out_dir = ROOT / "benchmarks" / "results"
        out_dir.mkdir(exist_ok=True)
        (out_dir / "bench_map.json").write_text(json.dumps(results, indent=2) + "\n")
        print("| measure | value |\n|---|---|")
        for k, v in results.items():
            print(f"| {k} | {v:,} |".replace(",", " "))
        print()
    print(ratio_table(args.runs, args.quiet_wait, tuple(args.series), args.tag, args.port_base))


if __name__ == "__main__":
    main()
