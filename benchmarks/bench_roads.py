"""Road network benchmark (issue 24): Gotland, and the national scale by a synthetic network.

    .venv/bin/python benchmarks/bench_roads.py [--tiles 72] [--skip-national] [--json]

Gotland (the embedded Pipos network, 28,493 edges): load time (kept Parquet and the source
``.zip``), nearest office by road for every area (all agencies, the gap analysis' road columns),
a travel-time matrix for siting and one MCLP run on it.

National scale: no national copy of Pipos' network exists on this machine, so the Gotland network
is tiled (offset copies side by side inside SWEREF 99 TM's Swedish range; 72 tiles ≈ 2.05 M edges,
≈ 20 M segments, as large as Sweden's network) and written in Pipos' binary layout. A fresh process
then reads it (``read_pipos``), and times one multi-source nearest-office query (3,363 points,
300 offices); peak memory is the child's maximum RSS. Goals: load < 60 s and < 2 GB, query < 5 s.

National gap analysis by road: the same tiles are kept as an imported network (Parquet in a fresh
user data folder, as ``geo-app import roads`` leaves it), and another fresh process runs
``geo-app gaps --measure road`` (default rule; then ``--types 1,2,3,4,5 --indicator none``, and the
latter with ``--max-min 30``) and the brief's context (``report.context.make_context``: the default
rule by car, 30 min) on the real 3,363 areas, offices and register. The tiles lie over southern and
central Sweden (x 200–920 km, y 6.0–7.0 M m) but are Gotland's roads, not the roads there: the
areas that happen to lie within 2 km of a tile's road (or are crossed by one) are measured by car,
the others straight. So it measures the work at national size — snapping 3,363 areas and the
offices, the nearest-office runs, "presence unknown" by road to where the roads enter the real
unknown kommuner (the register's 2026 states) — not plausible minutes. Goals (issue 24's spirit):
a gap analysis < 10 s, peak < 2.5 GB.
Figures are from one run on the 2-core machine; they are not asserted by the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from spopt.locate import MCLP

from geo_app.analysis import gaps, routing
from geo_app.analysis.roads import RoadNetwork
from geo_app.analysis.siting import solver
from geo_app.data import loaders, paths
from geo_app.data import roads as road_files
from geo_app.layers.bundle import load_bundle

TILE_COLUMNS = 9  # Gotland is ≈ 79 × 125 km; 9 columns × 8 rows fit x 200–920 km, y 6.0–7.0 M m


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - start, 3)


def tiled(network: RoadNetwork, tiles: int) -> RoadNetwork:
    """``tiles`` offset copies of ``network`` (disjoint; each a full Gotland)."""
    x0, y0, x1, y1 = network.bounds()
    step_x, step_y = x1 - x0 + 1_000, y1 - y0 + 1_000
    shifts = [
        (200_000 + (k % TILE_COLUMNS) * step_x - x0, 6_000_000 + (k // TILE_COLUMNS) * step_y - y0)
        for k in range(tiles)
    ]
    n_vertices = len(network.coords)
    return RoadNetwork(
        name=f"{tiles} tiles of {network.name}",
        coords=np.concatenate([network.coords + shift for shift in shifts]),
        offsets=np.r_[0, np.concatenate([network.offsets[1:] + k * n_vertices for k in range(tiles)])],
        length_m=np.tile(network.length_m, tiles),
        speed_fwd=np.tile(network.speed_fwd, tiles),
        speed_bwd=np.tile(network.speed_bwd, tiles),
        attr=np.tile(network.attr, tiles),
    )


def gotland() -> dict:
    """Gotland figures: loads, nearest office for all areas, matrix and one MCLP run."""
    embedded = paths.embedded_data_dir() / road_files.EMBEDDED_NAME
    network, load_parquet_s = _timed(lambda: road_files.read_parquet(embedded))
    _, load_zip_s = _timed(lambda: road_files.read_gotland(paths.DEFAULT_SOURCE_DIR))
    bundle = load_bundle()
    areas = bundle.regso[bundle.regso["kommunkod"] == "0980"]
    offices = loaders.load_presence()
    points = gaps.area_points(areas)
    rule = replace(bundle.gap_rule(), measure="road", agencies=("af", "ssc", "kommun"))
    result, nearest_s = _timed(lambda: gaps.analyse(areas, offices, rule, roads=network))
    candidates = np.asarray(network.nodes[0][:: max(1, network.n_nodes // 400)])
    (minutes, _, _), matrix_s = _timed(lambda: routing.time_matrix(network, routing.xy_of(points), candidates))
    return {
        "edges": network.n_edges,
        "load_parquet_s": load_parquet_s,
        "load_zip_s": load_zip_s,
        "areas": len(areas),
        "nearest_all_agencies_s": nearest_s,
        "areas_by_road": int((result.distances["measure"] == "road").sum()),
        "matrix": f"{minutes.shape[0]} × {minutes.shape[1]}",
        "matrix_s": matrix_s,
        "siting_s": _siting(minutes),
    }


def _siting(minutes: np.ndarray) -> float:
    """One MCLP run (spopt, HiGHS) covering within 20 minutes, on the road matrix."""
    cost = np.where(np.isfinite(minutes), minutes, 1e6)
    weights = np.ones(len(cost))
    start = time.perf_counter()
    with solver.quiet_stdout():  # HiGHS prints its banner even with msg=False; --json keeps stdout JSON only
        MCLP.from_cost_matrix(cost, weights, service_radius=20.0, p_facilities=3).solve(solver.highs(60.0))
    return round(time.perf_counter() - start, 3)


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def national_child(path: str) -> dict:
    """In a fresh process: read the synthetic Pipos file, one multi-source query, peak RSS."""
    before_mb = _peak_mb()  # the interpreter and its imports
    network, load_s = _timed(lambda: road_files.read_pipos(Path(path)))
    load_rss = _peak_mb()
    rng = np.random.default_rng(24)
    nodes = network.nodes[0]
    x0, y0, x1, y1 = network.bounds()
    points = np.column_stack([rng.uniform(x0, x1, 3_363), rng.uniform(y0, y1, 3_363)])
    offices = nodes[rng.choice(len(nodes), 300, replace=False)]
    _, geometry_s = _timed(lambda: network.tree)
    _, arcs_s = _timed(lambda: network.arcs)
    found, query_s = _timed(lambda: routing.nearest_by_road(network, points, offices))
    other = nodes[rng.choice(len(nodes), 300, replace=False)]
    _, query2_s = _timed(lambda: routing.nearest_by_road(network, points, other))
    return {
        "edges": network.n_edges,
        "vertices": len(network.coords),
        "nodes": network.n_nodes,
        "imports_mb": before_mb,
        "load_s": load_s,
        "load_peak_mb": load_rss,
        "snap_index_s (once)": geometry_s,
        "graph_arcs_s (once)": arcs_s,
        "query_s": query_s,
        "query_again_s": query2_s,
        "points_routed": int(found["road_min"].notna().sum()),
        "peak_mb": _peak_mb(),
    }


GAP_RUNS = {  # label: geo-app gaps options (besides --measure road)
    "default_rule": [],
    "all_types": ["--types", "1,2,3,4,5", "--indicator", "none"],
    "all_types_30min": ["--types", "1,2,3,4,5", "--indicator", "none", "--max-min", "30"],
}


def _cli(argv: list[str]) -> tuple[float, str]:
    """Run ``geo-app`` in this process; seconds and its stderr (the summary lines)."""
    from geo_app.cli._main import main

    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    seconds = round(time.perf_counter() - start, 2)
    if code != 0:
        raise RuntimeError(f"geo-app {' '.join(argv)} exited {code}: {err.getvalue()}")
    return seconds, err.getvalue()


def gaps_child(out_dir: str) -> dict:
    """In a fresh process whose user data folder holds the synthetic network: CLI gap runs and the brief."""
    from geo_app.analysis.gap_rule import RuleOptions
    from geo_app.report.context import make_context

    figures: dict = {"imports_mb": _peak_mb()}
    csv = str(Path(out_dir) / "gaps.csv")
    first = ["gaps", "--measure", "road", "--format", "csv", "--out", csv]
    figures["cli_cold_s (read network, index, arcs, analysis)"], _ = _cli(first)
    network = road_files.load_roads()
    assert network is not None and network.n_edges > 2_000_000, "the synthetic network is not the one in use"
    figures["edges"] = network.n_edges
    bundle = load_bundle()
    offices, states = loaders.load_presence(), loaders.load_presence_states()
    points = gaps.area_points(bundle.regso)
    for label, options in GAP_RUNS.items():
        figures[f"cli_{label}_s"], summary = _cli([*first, *options])
        figures[f"cli_{label}_summary"] = summary.splitlines()[0]
        types = {"types": (1, 2, 3, 4, 5), "indicator": None} if options else {}
        minutes = {"max_min": 30.0} if "--max-min" in options else {}
        rule = bundle.gap_rule(RuleOptions(measure="road", **types, **minutes))
        result, figures[f"analyse_{label}_s"] = _timed(
            lambda rule=rule: gaps.analyse(bundle.regso, offices, rule, points, states=states, roads=network)
        )
        causes = result.causes if result.causes is not None else None
        figures[f"analyse_{label}"] = {
            "areas_by_road": int((result.distances["measure"] == "road").sum()),
            "unknown_pairs_by_road": 0 if causes is None else int((causes["measure"] == "road").sum()),
            **result.summary(),
        }
    context, figures["brief_context_s"] = _timed(lambda: make_context(bundle))
    figures["brief_rule"] = context.rule.limit_text()
    figures["peak_mb"] = _peak_mb()
    return figures


def write_synthetic(path: str, tiles: int, user_dir: str | None = None) -> None:
    """In a child process: the tiled network in Pipos' layout (the parent stays small, so the
    measuring child's peak RSS — which Linux carries over from the process that started it — is its own);
    with ``user_dir`` also as an imported network (Parquet) there."""
    base = road_files.read_parquet(paths.embedded_data_dir() / road_files.EMBEDDED_NAME)
    network = tiled(base, tiles)
    Path(path).write_bytes(road_files.pipos_bytes(network))
    if user_dir:
        folder = road_files.imported_roads_dir(Path(user_dir))
        folder.mkdir(parents=True, exist_ok=True)
        road_files.write_parquet(
            replace(network, name="synthetic national (tiled Gotland)"), folder / "synthetic.parquet"
        )


def national(tiles: int, with_gaps: bool = True) -> dict:
    """Write the tiled network as a Pipos ``.bin`` (and Parquet) and measure it in child processes."""
    with tempfile.TemporaryDirectory(prefix="bench-roads-") as tmp:
        path = Path(tmp) / "national_synthetic.bin"
        user_dir = Path(tmp) / "user"
        write = [sys.executable, __file__, "--write", str(path), "--tiles", str(tiles), "--user-dir", str(user_dir)]
        _, write_s = _timed(lambda: subprocess.run(write, check=True))
        size_mb = round(path.stat().st_size / 1024**2)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(path)], check=True, capture_output=True, text=True
        )
        out = {"tiles": tiles, "file_mb": size_mb, "write_s": write_s, **json.loads(child.stdout)}
        if with_gaps:
            env = {**os.environ, "GEO_APP_DATA_DIR": str(user_dir)}
            run = [sys.executable, __file__, "--gaps-child", tmp]
            gap_child = subprocess.run(run, check=True, capture_output=True, text=True, env=env)
            out["gaps"] = json.loads(gap_child.stdout)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=72, help="copies of Gotland (72 ≈ 2.05 M edges)")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-gaps", action="store_true", help="national: no gap analysis / brief by road")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--write", help=argparse.SUPPRESS)
    parser.add_argument("--user-dir", help=argparse.SUPPRESS)
    parser.add_argument("--gaps-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_synthetic(args.write, args.tiles, args.user_dir)
        return
    if args.child:
        print(json.dumps(national_child(args.child)))
        return
    if args.gaps_child:
        print(json.dumps(gaps_child(args.gaps_child)))
        return
    out = {"national": national(args.tiles, not args.skip_gaps)} if not args.skip_national else {}
    out = {"gotland": gotland(), **out}  # national first: the parent is still small when it starts the children
    if args.json:
        print(json.dumps(out, indent=1))
        return
    for section, figures in out.items():
        print(section)
        for key, value in figures.items():
            if isinstance(value, dict):
                print(f"  {key}")
                for sub, figure in value.items():
                    print(f"    {sub:46} {figure}")
            else:
                print(f"  {key:24} {value}")


if __name__ == "__main__":
    main()
