"""Benchmark of the national map: load time, spec and geometry bytes, rerun cost, first paint.

Run with ``./dev bench`` (or ``python benchmarks/bench_map.py``). Prints a Markdown
table for the README and writes ``benchmarks/results/bench_map.json``.

What is measured
----------------
- data load: :func:`geo_app.views.map_view.load_bundle` in a fresh process (parquet
  reads, feature properties, static files);
- spec bytes per rerun: the pydeck JSON of the map for the national view, a year
  switch and a kommun zoom; for comparison the same map with the geometry inline;
- server time per rerun: an ``AppTest`` rerun after changing the year / kommun;
- geometry bytes: the static GeoJSON files, raw and gzipped (what the browser fetches once);
- browser: time from navigation to the first painted områdestyp colours in headless
  Chromium (software WebGL here, so slower than a laptop), and the websocket bytes
  the browser receives when the year is switched.
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
    from geo_app.views import map_view as nm

    code = (
        "import time; t=time.perf_counter(); from geo_app.views.map_view import load_bundle; "
        "load_bundle(); print(time.perf_counter()-t)"
    )
    load_s = float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True).strip())
    b = nm.load_bundle()
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
    from geo_app.views.gap_view import rule_from_options

    offices = loaders.load_presence()
    gap = gaps.analyse(b.regso, offices, rule_from_options(b))
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
    from geo_app.views.gap_view import rule_from_options

    offices = loaders.load_presence()
    rule = rule_from_options(b)
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


def bench_browser() -> dict:
    import tempfile

    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_http
    from playwright.sync_api import sync_playwright
    from test_browser import palette_pixels

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo_app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out: dict = {}
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1100}
            )
            page = ctx.new_page()
            frames: list[int] = []
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived", lambda f: frames.append(len(f) if isinstance(f, (bytes, str)) else 0)
                ),
            )
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
            canvas.wait_for(timeout=120_000)
            out["browser_canvas_s"] = round(time.perf_counter() - t0, 2)
            while palette_pixels(canvas.screenshot())["4"] < 200:
                if time.perf_counter() - t0 > 180:
                    raise TimeoutError("map did not paint")
                time.sleep(0.2)
            out["browser_first_paint_s"] = round(time.perf_counter() - t0, 2)
            time.sleep(2)
            frames.clear()
            t1 = time.perf_counter()
            page.get_by_text("2022", exact=True).click()
            page.wait_for_function("() => window.location.search.includes('year=2022')", timeout=60_000)
            time.sleep(2)
            out["browser_year_switch_ws_bytes"] = sum(frames)
            out["browser_year_switch_url_s"] = round(time.perf_counter() - t1 - 2, 2)
            ctx.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main() -> None:
    results = {**bench_python(), **bench_apptest(), **bench_browser()}
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "bench_map.json").write_text(json.dumps(results, indent=2) + "\n")
    print("| measure | value |\n|---|---|")
    for k, v in results.items():
        print(f"| {k} | {v:,} |".replace(",", " "))


if __name__ == "__main__":
    main()
