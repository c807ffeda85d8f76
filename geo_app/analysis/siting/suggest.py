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


def suggest_sites(  # noqa: PLR0913
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
    _check_request(objective, n, max_km, time_limit_s, len(candidates))
    w_all, weight_kind = weights_for(demand, weight)
    if costs is None:
        costs = straight_line_costs(demand, candidates, existing, max_km)
    p = _problem(costs, w_all, objective, weight, weight_kind)
    if objective == "lscp":
        _check_reachable(p, demand)
    greedy = _greedy(p, n)
    import spopt.locate  # noqa: F401 - a few seconds on first import; not part of the solve time

    t0 = time.perf_counter()
    chosen, optimal, status = _solve(p, n, time_limit_s, greedy)
    seconds = time.perf_counter() - t0
    if chosen is None:
        chosen = list(greedy)
    elif not optimal and _score(p, greedy) > _score(p, chosen):
        chosen, status = list(greedy), f"{status}; the greedy sites were better and are shown"
    sites, totals, covered = _report(p, candidates, chosen, (optimal, status, seconds))
    if objective != "lscp":  # the model decides which sites; the report orders them by what they add
        sites = sites.sort_values("demand_added", ascending=False)
        sites["order"] = np.arange(1, len(sites) + 1)
    g_sites, g_totals, _ = _report(p, candidates, greedy, (None, "greedy", 0.0))
    uncovered = demand.loc[~covered, ["regsonamn", "kommunkod", "kommunnamn", "population"]].copy()
    return SiteSuggestion(sites, totals, g_sites, g_totals, uncovered)


@dataclass(frozen=True)
class _Problem:
    """A suggestion's inputs as matrices: what is covered before, the uncovered demand × candidates."""

    objective: str
    weight: str
    weight_kind: str
    unit: str
    limit: float
    w_all: np.ndarray  # weight of every demand area
    covered0: np.ndarray  # demand covered by the existing offices
    todo: np.ndarray  # positions of the demand not covered before
    d0: np.ndarray  # cost from each uncovered demand area to its nearest existing office
    ex_cost: np.ndarray  # uncovered demand × existing offices
    cost: np.ndarray  # uncovered demand × candidates
    w: np.ndarray  # weight of the uncovered demand

    @property
    def uncovered(self) -> solver.Uncovered:
        """The solvers' view: uncovered demand × candidates, weights, cost to the nearest existing office."""
        return solver.Uncovered(self.cost, self.w, self.d0)

    @property
    def cover(self) -> np.ndarray:
        """Uncovered demand × candidates: within the limit."""
        return self.cost <= self.limit


def _check_request(objective: str, n: int | None, max_km: float, time_limit_s: float, n_candidates: int) -> None:
    """Refuse an unknown objective, a non-positive limit or time, an impossible number of sites."""
    if objective not in OBJECTIVES:
        raise SitingError(f"unknown objective {objective!r}: use one of {', '.join(OBJECTIVES)}")
    if not max_km > 0:
        raise SitingError(f"the distance must be positive, got {max_km} km")
    if not time_limit_s > 0:
        raise SitingError(f"the time limit must be positive, got {time_limit_s} s")
    if objective == "lscp":
        if n_candidates == 0:
            raise SitingError("no candidate sites: choose some of towns, areas, ssc")
        return
    if n is None or n <= 0:
        raise SitingError(f"ask for at least one new site (n = {n}), or use objective lscp to cover all")
    if n > n_candidates:
        raise SitingError(
            f"n = {n} but there are only {n_candidates} candidate sites: ask for at most "
            f"{n_candidates} or add candidate kinds (towns, areas, ssc)"
        )


def straight_line_costs(
    demand: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame, existing: gpd.GeoDataFrame, max_km: float
) -> CostMatrices:
    """Straight-line km (EPSG:3006): demand × existing offices and demand × candidates."""
    dem_xy = xy(demand.geometry.values) if len(demand) else np.zeros((0, 2))
    cand_xy = xy(candidates.geometry.values) if len(candidates) else np.zeros((0, 2))
    ex_xy = xy(existing.geometry.to_crs(METRIC_CRS).values) if len(existing) else np.zeros((0, 2))
    return CostMatrices(distances_km(dem_xy, ex_xy), distances_km(dem_xy, cand_xy), max_km)


def _problem(costs: CostMatrices, w_all: np.ndarray, objective: str, weight: str, weight_kind: str) -> _Problem:
    """The matrices of a suggestion; the limit is in the costs' unit (km, or minutes by road)."""
    n_demand = costs.candidates.shape[0]
    d_all = costs.existing.min(axis=1) if costs.existing.shape[1] else np.full(n_demand, np.inf)
    covered0 = d_all <= costs.limit
    todo = np.flatnonzero(~covered0)
    return _Problem(
        objective=objective,
        weight=weight,
        weight_kind=weight_kind,
        unit=costs.unit,
        limit=costs.limit,
        w_all=w_all,
        covered0=covered0,
        todo=todo,
        d0=d_all[todo],
        ex_cost=costs.existing[todo],
        cost=costs.candidates[todo],
        w=w_all[todo],
    )


def _check_reachable(p: _Problem, demand: gpd.GeoDataFrame) -> None:
    """Cover-all (LSCP) needs a candidate within the limit of every uncovered area; else name them."""
    unreachable = ~p.cover.any(axis=1)
    if not unreachable.any():
        return
    rows = demand.iloc[p.todo[unreachable]]
    need = p.cost[unreachable].min(axis=1) if p.cost.shape[1] else np.full(unreachable.sum(), np.inf)
    named = ", ".join(
        f"{c} {r.regsonamn} ({r.kommunnamn}, nearest candidate {d:.0f} {p.unit})"
        for c, r, d in zip(rows.index[:8], rows.itertuples(), need[:8], strict=False)
    )
    more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
    raise SitingError(
        f"cover-all is infeasible: {len(rows)} area(s) have no candidate site within {p.limit:g} {p.unit}: "
        f"{named}{more}. Raise the limit to at least {np.ceil(need.max()):.0f} {p.unit}, add "
        "candidate kinds (towns, areas, ssc), or ask for N sites (MCLP) instead"
    )


def _greedy(p: _Problem, n: int | None) -> list[int]:
    """The greedy baseline of the objective (also the p-median's seeds)."""
    if p.objective == "lscp":
        return greedy_cover(p.cover, p.w, None)
    if p.objective == "mclp":
        return greedy_cover(p.cover, p.w, n)
    return greedy_median(p.cost, p.w, p.d0, int(n or 0))


def _solve(p: _Problem, n: int | None, time_limit_s: float, greedy: list[int]) -> tuple[list[int] | None, bool, str]:
    """The model's sites (candidate positions), proven optimal or not, and its status."""
    if p.objective in ("mclp", "lscp"):
        cols = dedupe_columns(p.cover)
        chosen, optimal, status = solve_coverage(p.cover[:, cols], p.w, n, p.objective, time_limit_s)
        return (None if chosen is None else [int(cols[j]) for j in chosen]), optimal, status
    return solve_pmedian(p.uncovered, p.ex_cost, int(n or 0), time_limit_s, seeds=greedy)


def _score(p: _Problem, picks: list[int]) -> float:
    return solver.score(picks, p.uncovered, p.limit, p.objective)


def _report(
    p: _Problem, candidates: gpd.GeoDataFrame, picks: list[int], how: tuple[bool | None, str, float]
) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    """Sites (what each adds), totals before/after and which demand is covered after ``picks``."""
    optimal, status, seconds = how
    n_todo = len(p.todo)
    sub = p.cost[:, picks] if picks else np.full((n_todo, 1), np.inf)
    nearest = np.argmin(sub, axis=1) if picks else np.zeros(n_todo, int)
    newly = sub[np.arange(n_todo), nearest] <= p.limit if picks else np.zeros(n_todo, bool)
    sites = candidates.iloc[picks][["name", "kind", "kommunkod", "kommunnamn"]].copy()
    ll = candidates.geometry.iloc[picks].to_crs(4326)
    sites["lon"], sites["lat"] = ll.x.round(5).to_numpy(), ll.y.round(5).to_numpy()
    sites["demand_added"] = [round(float(p.w[newly & (nearest == k)].sum()), 1) for k in range(len(picks))]
    sites["areas_added"] = [int((newly & (nearest == k)).sum()) for k in range(len(picks))]
    sites["order"] = np.arange(1, len(picks) + 1)
    covered = p.covered0.copy()
    covered[p.todo[newly]] = True
    totals: dict[str, object] = {
        "objective": p.objective,
        "weight": p.weight,
        "weight_kind": p.weight_kind,
        "max_km": float(p.limit),
        "unit": p.unit,
        "sites": len(picks),
        "demand_total": round(float(p.w_all.sum()), 1),
        "covered_before": round(float(p.w_all[p.covered0].sum()), 1),
        "covered_after": round(float(p.w_all[covered].sum()), 1),
        "areas_total": len(p.w_all),
        "areas_covered_before": int(p.covered0.sum()),
        "areas_covered_after": int(covered.sum()),
        "optimal": optimal,
        "status": status,
        "solve_seconds": round(seconds, 3),
    }
    if p.objective == "pmedian":
        best = np.minimum(p.d0, sub.min(axis=1)) if picks else p.d0
        ws = p.w.sum()
        totals["mean_km_before"] = round(float((p.w * p.d0).sum() / ws), 2) if ws > 0 else float("nan")
        totals["mean_km_after"] = round(float((p.w * best).sum() / ws), 2) if ws > 0 else float("nan")
    return sites, pd.Series(totals), covered
