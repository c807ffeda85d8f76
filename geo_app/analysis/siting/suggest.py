"""Where N new offices do most: the matrices, a solver, sites and totals beside the greedy baseline."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.siting import solver
from geo_app.analysis.siting.base import DEFAULT_TIME_LIMIT_S, OBJECTIVES, SitingError, distances_km, xy
from geo_app.analysis.siting.coverage import dedupe_columns, greedy_cover, solve_coverage
from geo_app.analysis.siting.demand import weights_for
from geo_app.analysis.siting.pmedian import greedy_median, solve_pmedian


@dataclass(frozen=True)
class CostMatrices:
    """What siting measures: demand × existing offices, demand × candidates, the covering limit and unit.

    ``unit`` is ``"km"`` (straight line) or ``"min"`` (car on the road network); every figure of a
    suggestion (``max_km``, p-median means) is in it, so a result never mixes the two.
    """

    existing: np.ndarray
    candidates: np.ndarray
    limit: float
    unit: str = "km"


@dataclass(frozen=True)
class SiteSuggestion:
    """Chosen sites, totals and the greedy baseline.

    ``sites``/``greedy``: indexed by candidate id, ``name, kind, kommunkod, kommunnamn, lon, lat,
    demand_added`` (weight of demand newly within ``max_km`` whose nearest new site it is),
    ``areas_added``, ``order`` (greedy: pick order). ``totals``/``greedy_totals``: ``objective,
    weight, weight_kind, max_km, sites, demand_total, covered_before, covered_after,
    areas_total, areas_covered_before, areas_covered_after, optimal, status, solve_seconds``
    (p-median also ``mean_km_before``/``mean_km_after`` over the demand not covered before).
    ``uncovered``: demand areas still beyond ``max_km`` after the optimum.
    """

    sites: pd.DataFrame
    totals: pd.Series
    greedy: pd.DataFrame
    greedy_totals: pd.Series
    uncovered: pd.DataFrame = field(default_factory=pd.DataFrame)


def suggest_sites(
    demand: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    existing: gpd.GeoDataFrame,
    max_km: float,
    n: int | None = None,
    objective: str = "mclp",
    weight: str = "population",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    *,
    costs: CostMatrices | None = None,
) -> SiteSuggestion:
    """Suggest where new offices do most for the demand, with PySAL ``spopt`` on HiGHS.

    The existing presence is locked in: demand already within ``max_km`` of an existing office
    is covered before anything is chosen and is left out of the coverage models (MCLP, LSCP); in
    the p-median model the existing offices nearest to that uncovered demand are *predefined*
    facilities (``predefined_facilities_arr``), so a new site only counts where it is nearer.
    Candidates that cover no uncovered demand, and candidates covering exactly the same demand as
    an earlier one (order: as given), are dropped before solving — the optimum is unchanged.

    Parameters
    ----------
    demand : geopandas.GeoDataFrame
        From :func:`demand_areas`: points (EPSG:3006) with ``population``, ``unemployed``,
        ``regsonamn``, ``kommunnamn``.
    candidates : geopandas.GeoDataFrame
        From :func:`candidate_sites`: points (EPSG:3006) with ``name, kind, kommunkod, kommunnamn``.
    existing : geopandas.GeoDataFrame
        Offices that already count (see :func:`counting_offices`); may be empty.
    max_km : float
        Coverage distance (straight line).
    n : int, optional
        Number of new sites (MCLP, p-median). Not used by LSCP, which finds the fewest.
    objective : {"mclp", "lscp", "pmedian"}
        MCLP: maximise covered weight with ``n`` sites. LSCP: cover every demand area with as few
        sites as possible. p-median: minimise the weighted distance of the uncovered demand to its
        nearest office (existing or new) with ``n`` sites.
    weight : {"population", "unemployed", "equal"}
        Demand weight; its kind is reported in ``totals["weight_kind"]``.
    time_limit_s : float
        Solver time limit; when hit, the best solution found is returned with ``optimal=False``.
    costs : CostMatrices, optional
        Demand × existing and demand × candidate costs with their own limit and unit (e.g. car
        minutes on the road network, :func:`geo_app.analysis.siting.roadcost.road_costs`); by
        default the straight line in km against ``max_km``.

    Returns
    -------
    SiteSuggestion

    Raises
    ------
    SitingError
        ``n`` ≤ 0 or more than the candidates; LSCP with demand no candidate can reach (names the
        areas and the distance that would reach them); unknown objective or weight.
    """
    if objective not in OBJECTIVES:
        raise SitingError(f"unknown objective {objective!r}: use one of {', '.join(OBJECTIVES)}")
    if not max_km > 0:
        raise SitingError(f"the distance must be positive, got {max_km} km")
    if not time_limit_s > 0:
        raise SitingError(f"the time limit must be positive, got {time_limit_s} s")
    w_all, weight_kind = weights_for(demand, weight)
    if objective != "lscp":
        if n is None or n <= 0:
            raise SitingError(f"ask for at least one new site (n = {n}), or use objective lscp to cover all")
        if n > len(candidates):
            raise SitingError(
                f"n = {n} but there are only {len(candidates)} candidate sites: ask for at most "
                f"{len(candidates)} or add candidate kinds (towns, areas, ssc)"
            )
    elif len(candidates) == 0:
        raise SitingError("no candidate sites: choose some of towns, areas, ssc")
    dem_xy = xy(demand.geometry.values) if len(demand) else np.zeros((0, 2))
    cand_xy = xy(candidates.geometry.values) if len(candidates) else np.zeros((0, 2))
    if costs is None:
        ex_xy = xy(existing.geometry.to_crs(METRIC_CRS).values) if len(existing) else np.zeros((0, 2))
        costs = CostMatrices(distances_km(dem_xy, ex_xy), distances_km(dem_xy, cand_xy), max_km)
    max_km = costs.limit  # from here on: the limit in the costs' unit (km, or minutes by road)
    ex_cost = costs.existing
    d0 = ex_cost.min(axis=1) if ex_cost.shape[1] else np.full(len(dem_xy), np.inf)
    covered0 = d0 <= max_km
    todo = np.flatnonzero(~covered0)
    cost = costs.candidates[todo]  # uncovered demand × candidates
    cover = cost <= max_km
    w = w_all[todo]

    if objective == "lscp":
        unreachable = ~cover.any(axis=1)
        if unreachable.any():
            rows = demand.iloc[todo[unreachable]]
            need = cost[unreachable].min(axis=1) if cost.shape[1] else np.full(unreachable.sum(), np.inf)
            named = ", ".join(
                f"{c} {r.regsonamn} ({r.kommunnamn}, nearest candidate {d:.0f} {costs.unit})"
                for c, r, d in zip(rows.index[:8], rows.itertuples(), need[:8], strict=False)
            )
            more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
            raise SitingError(
                f"cover-all is infeasible: {len(rows)} area(s) have no candidate site within {max_km:g} {costs.unit}: "
                f"{named}{more}. Raise the limit to at least {np.ceil(need.max()):.0f} {costs.unit}, add "
                "candidate kinds (towns, areas, ssc), or ask for N sites (MCLP) instead"
            )

    if objective == "lscp":
        greedy = greedy_cover(cover, w, None)
    elif objective == "mclp":
        greedy = greedy_cover(cover, w, n)
    else:
        greedy = greedy_median(cost, w, d0[todo], int(n or 0))
    import spopt.locate  # noqa: F401 - a few seconds on first import; not part of the solve time

    t0 = time.perf_counter()
    if objective in ("mclp", "lscp"):
        cols = dedupe_columns(cover)
        chosen, optimal, status = solve_coverage(cover[:, cols], w, n, objective, time_limit_s)
        chosen = None if chosen is None else [int(cols[j]) for j in chosen]
    else:
        chosen, optimal, status = solve_pmedian(
            cost, w, d0[todo], ex_cost[todo], int(n or 0), time_limit_s, seeds=greedy
        )
    seconds = time.perf_counter() - t0
    if chosen is None:
        chosen = list(greedy)
    elif not optimal and solver.score(greedy, cost, w, d0[todo], max_km, objective) > solver.score(
        chosen, cost, w, d0[todo], max_km, objective
    ):
        chosen, status = list(greedy), f"{status}; the greedy sites were better and are shown"

    def report(
        picks: list[int], optimal: bool | None, status: str, seconds: float
    ) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
        sub = cost[:, picks] if picks else np.full((len(todo), 1), np.inf)
        nearest = np.argmin(sub, axis=1) if picks else np.zeros(len(todo), int)
        newly = sub[np.arange(len(todo)), nearest] <= max_km if picks else np.zeros(len(todo), bool)
        sites = candidates.iloc[picks][["name", "kind", "kommunkod", "kommunnamn"]].copy()
        ll = candidates.geometry.iloc[picks].to_crs(4326)
        sites["lon"], sites["lat"] = ll.x.round(5).to_numpy(), ll.y.round(5).to_numpy()
        sites["demand_added"] = [float(w[newly & (nearest == k)].sum()) for k in range(len(picks))]
        sites["areas_added"] = [int((newly & (nearest == k)).sum()) for k in range(len(picks))]
        sites["order"] = np.arange(1, len(picks) + 1)
        sites["demand_added"] = sites["demand_added"].round(1)
        covered = covered0.copy()
        covered[todo[newly]] = True
        totals = {
            "objective": objective,
            "weight": weight,
            "weight_kind": weight_kind,
            "max_km": float(max_km),
            "unit": costs.unit,
            "sites": len(picks),
            "demand_total": round(float(w_all.sum()), 1),
            "covered_before": round(float(w_all[covered0].sum()), 1),
            "covered_after": round(float(w_all[covered].sum()), 1),
            "areas_total": len(demand),
            "areas_covered_before": int(covered0.sum()),
            "areas_covered_after": int(covered.sum()),
            "optimal": optimal,
            "status": status,
            "solve_seconds": round(seconds, 3),
        }
        if objective == "pmedian":
            best = np.minimum(d0[todo], sub.min(axis=1)) if picks else d0[todo]
            ws = w.sum()
            totals["mean_km_before"] = round(float((w * d0[todo]).sum() / ws), 2) if ws > 0 else float("nan")
            totals["mean_km_after"] = round(float((w * best).sum() / ws), 2) if ws > 0 else float("nan")
        return sites, pd.Series(totals), covered

    sites, totals, covered = report(chosen, optimal, status, seconds)
    if objective != "lscp":  # the model decides which sites; the report orders them by what they add
        sites = sites.sort_values("demand_added", ascending=False)
        sites["order"] = np.arange(1, len(sites) + 1)
    g_sites, g_totals, _ = report(greedy, None, "greedy", 0.0)
    uncovered = demand.loc[~covered, ["regsonamn", "kommunkod", "kommunnamn", "population"]].copy()
    return SiteSuggestion(sites, totals, g_sites, g_totals, uncovered)
