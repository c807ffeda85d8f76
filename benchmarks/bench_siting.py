"""Benchmark of the siting analysis: what-if recompute and facility-location solve times.

Run with ``.venv/bin/python benchmarks/bench_siting.py`` (light: one process, single-threaded
HiGHS). Prints a Markdown table for the README.

What is measured
----------------
- scenario recompute: :func:`geo_app.analysis.siting.scenario` for all 3,363 areas after adding
  one point (area points precomputed, as the page caches them), median of 7;
- the same with one office removed as well;
- ``import spopt.locate`` (once per process; libpysal, pointpats, scikit-learn);
- MCLP N=10 / N=3, LSCP (cover all), p-median N=5 over the type 1–2 areas (områdestyp 2023,
  indicator off, 20 km, AF + SSC count) with towns + RegSO area points + SSC offices as candidates
  (≈ 4,100) and with towns + SSC only (≈ 780): solve seconds as reported (model build + HiGHS;
  spopt's import excluded), whether HiGHS proved the optimum, and the greedy baseline's coverage.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

import pandas as pd

from geo_app.analysis import gaps, siting
from geo_app.analysis.gaps import GapRule
from geo_app.data import loaders


def _median_ms(fn, n: int = 7) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    areas = loaders.load_regso()
    offices = loaders.load_presence(today=date.today())
    rule = GapRule(year=2023, types=(1, 2), max_km=20.0)
    points = gaps.area_points(areas)
    rows: list[tuple[str, str]] = []

    add = siting.new_offices(pd.DataFrame({"lon": [17.3], "lat": [62.39]}), areas)  # Sundsvall
    gone = offices.index[0]
    rows.append(
        (
            "scenario recompute, 3,363 areas, add 1 point",
            f"{_median_ms(lambda: siting.scenario(areas, offices, rule, add=add, points=points)):.0f} ms",
        )
    )
    rows.append(
        (
            "scenario recompute, add 1 point + remove 1 office",
            f"{_median_ms(lambda: siting.scenario(areas, offices, rule, add=add, remove=[gone], points=points)):.0f}"
            " ms",
        )
    )
    rows.append(
        (
            "new_offices (WGS84 → EPSG:3006 + 'in Sweden' check), 1 point",
            f"{_median_ms(lambda: siting.new_offices(pd.DataFrame({'lon': [17.3], 'lat': [62.39]}), areas)):.0f} ms",
        )
    )

    t = time.perf_counter()
    import spopt.locate  # noqa: F401

    rows.append(("import spopt.locate (once per process)", f"{time.perf_counter() - t:.1f} s"))
    demand = siting.demand_areas(areas, rule, points)
    existing = siting.counting_offices(offices, rule)
    towns = loaders.load_towns()
    for kinds in (("towns", "areas", "ssc"), ("towns", "ssc")):
        cands = siting.candidate_sites(areas, towns, offices, kinds, points=points)
        label = f"{len(demand)} type 1–2 areas × {len(cands):,} candidates ({'+'.join(kinds)})"
        for objective, n in (("mclp", 10), ("mclp", 3), ("lscp", None), ("pmedian", 5)):
            t = time.perf_counter()
            s = siting.suggest_sites(demand, cands, existing, rule.max_km, n=n, objective=objective)
            wall = time.perf_counter() - t
            tot, g = s.totals, s.greedy_totals
            if objective == "pmedian":
                versus = f"mean km {tot['mean_km_before']} → {tot['mean_km_after']} (greedy {g['mean_km_after']})"
            elif objective == "lscp":
                versus = f"{tot['sites']} sites (greedy {g['sites']})"
            else:
                versus = f"covered {tot['covered_after']:,.0f} (greedy {g['covered_after']:,.0f})"
            what = f"{objective.upper()}{'' if n is None else f' N={n}'}, {label}"
            rows.append(
                (
                    what,
                    f"{tot['solve_seconds']:.2f} s solve ({wall:.2f} s wall), "
                    f"optimal: {'yes' if tot['optimal'] else 'no'}; {versus}",
                )
            )

    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
