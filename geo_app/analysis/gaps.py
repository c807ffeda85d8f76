"""Presence gaps: straight-line distance from every area to the nearest office (pure).

Distances are "fågelvägen" (straight line) in kilometres, measured in EPSG:3006
from a point guaranteed inside each area (``point_on_surface``). Per-area
population-weighted points would be better but SCB's public RegSO tables carry no
sub-area population, so they cannot be justified from the data we have; road
distance is another thing (Tillväxtverket's Pipos uses the road network).

Unknown is not none: an area far from every *known* office is a gap only where the register
knows the presence around it. :func:`presence_unknown` flags the areas that lie within the
distance of a kommun where a counted agency's presence is ``unknown`` (an office there that the
register does not know could be near); those are listed as "presence unknown", never as gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_app.analysis import unknown_reach
from geo_app.analysis.geometry import check_metric, representative_points
from geo_app.analysis.indicators import population_year
from geo_app.analysis.roads import RoadNetwork
from geo_app.analysis.routing import ROAD, STRAIGHT, access_points, road_distances
from geo_app.analysis.unknown_reach import Reach, unknown_pairs
from geo_app.errors import InputError

# SCB's områdestyp 1–2 (stora socioekonomiska utmaningar, socioekonomiska utmaningar): one place.
CHALLENGED_TYPES = (1, 2)
DEFAULT_TYPES = CHALLENGED_TYPES  # the default gap rule looks at the challenged types
# Default distance for a gap: 20 km in a straight line is roughly 25–30 minutes by road
# outside the cities, the order of travel time the state's service reviews treat as far.
DEFAULT_MAX_KM = 20.0
# By car (issue 24): 30 minutes is the car time the 20 km above stands for (the brief and pages' default).
DEFAULT_MAX_MIN = 30.0
DEFAULT_RADIUS_KM = 10.0
DEFAULT_AGENCIES = ("af", "ssc")  # the presence a default gap rule counts
COUNTING_STATUSES = ("open", "closing")  # offices a visitor can use today
OUTSIDE_TOLERANCE_M = 2_000.0  # coast lines are generalised: an office on the shore must pass


def area_points(areas: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The point each area is measured from: inside the polygon, same index."""
    check_metric(areas, "area_points: areas")
    return representative_points(areas.geometry)


def distance_outside_m(points: np.ndarray, land: np.ndarray) -> np.ndarray:
    """Metres from each point to the nearest of the ``land`` polygons (0 inside; EPSG:3006).

    ``land`` is one geometry (Sweden) or several (e.g. the 21 län); an STRtree finds the nearest.
    """
    parts = np.asarray(land, dtype=object).reshape(-1)
    (pi, _), dist = shapely.STRtree(parts).query_nearest(np.asarray(points), return_distance=True)
    out = np.zeros(len(points))
    out[pi] = dist
    return out


def check_points_in_sweden(
    offices: gpd.GeoDataFrame, sweden: shapely.Geometry | np.ndarray, tolerance_m: float = OUTSIDE_TOLERANCE_M
) -> None:
    """Raise :class:`InputError` naming offices that lie outside Sweden (beyond ``tolerance_m``)."""
    check_metric(offices, "offices")
    outside = offices.index[distance_outside_m(offices.geometry.values, sweden) > tolerance_m]
    if len(outside):
        raise InputError(f"{len(outside)} office(s) outside Sweden: {', '.join(map(str, outside[:5]))}")


def nearest_offices(
    points: gpd.GeoSeries, offices: gpd.GeoDataFrame, radius_km: float = DEFAULT_RADIUS_KM
) -> pd.DataFrame:
    """Distance to, and name of, the nearest office per point; offices within a radius.

    Parameters
    ----------
    points : geopandas.GeoSeries
        Measuring points (EPSG:3006), e.g. from :func:`area_points`.
    offices : geopandas.GeoDataFrame
        Office points (EPSG:3006) with ``name``; may be empty.
    radius_km : float
        Radius for ``n_within``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``points``: ``dist_km`` (NaN when there is no office),
        ``nearest`` (names of all offices at that same shortest distance, joined
        with "; "), ``n_within`` (offices within ``radius_km``).
    """
    n = len(points)
    out = pd.DataFrame(
        {"dist_km": np.full(n, np.nan), "nearest": [""] * n, "n_within": np.zeros(n, dtype="int64")}, index=points.index
    )
    if len(offices) == 0 or n == 0:
        return out
    tree = shapely.STRtree(offices.geometry.values)
    (pi, oi), dist = tree.query_nearest(points.values, return_distance=True, all_matches=True)
    names = offices["name"].astype(str).to_numpy(dtype=object)
    # query_nearest returns pairs ordered by point; ties give a point several pairs.
    starts = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
    dist_km = np.full(n, np.nan)
    dist_km[pi[starts]] = dist[starts] / 1000.0
    nearest = np.full(n, "", dtype=object)
    nearest[pi[starts]] = names[oi[starts]]
    counts = np.diff(np.r_[starts, len(pi)])
    for start, count in zip(starts[counts > 1], counts[counts > 1], strict=False):  # rare: equidistant offices
        nearest[pi[start]] = "; ".join(sorted(names[oi[start : start + count]]))
    within_p, _ = tree.query(points.values, predicate="dwithin", distance=radius_km * 1000.0)
    out["dist_km"] = dist_km
    out["nearest"] = nearest
    out["n_within"] = np.bincount(within_p, minlength=n)
    return out


def presence_distances(
    points: gpd.GeoSeries,
    offices: gpd.GeoDataFrame,
    agencies: tuple[str, ...] = DEFAULT_AGENCIES,
    radius_km: float = DEFAULT_RADIUS_KM,
    statuses: tuple[str, ...] = COUNTING_STATUSES,
) -> pd.DataFrame:
    """Nearest-office columns per agency and for any of ``agencies``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``points``: ``dist_km_<agency>``, ``nearest_<agency>``,
        ``n_within_<agency>`` for each agency and for ``any``.
    """
    usable = offices[offices["status"].isin(statuses)] if "status" in offices else offices
    parts = []
    for agency in (*agencies, "any"):
        subset = usable[usable["agency"].isin(agencies)] if agency == "any" else usable[usable["agency"] == agency]
        parts.append(nearest_offices(points, subset, radius_km).add_suffix(f"_{agency}"))
    return pd.concat(parts, axis=1)


def rule_areas(
    areas: pd.DataFrame,
    type_column: str,
    types: Sequence[int] = DEFAULT_TYPES,
    indicator: str | None = None,
    above: float | None = None,
) -> pd.Series:
    """Which areas match the rule, whatever their distance to an office.

    The rule is "områdestyp in ``types``" and, when ``indicator`` is given,
    "``indicator`` > ``above``".

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``areas``.
    """
    rule = areas[type_column].isin(list(types)).fillna(False).astype(bool)
    if indicator is not None:
        if indicator not in areas:
            raise InputError(f"unknown indicator column {indicator!r}")
        rule &= (pd.to_numeric(areas[indicator], errors="coerce") > (above if above is not None else 0)).fillna(False)
    return rule.rename("rule")


def gap_areas(areas: pd.DataFrame, distances: pd.DataFrame, rule: GapRule) -> pd.Series:
    """Which areas are gaps: matching :func:`rule_areas` and beyond the rule's limit from any office.

    An area with no office at all counts as far. The type column is ``omradestyp_<rule.year>``;
    presence unknown is not considered here (:func:`analyse` splits it off).

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``areas``.
    """
    matches = rule_areas(areas, f"omradestyp_{rule.year}", rule.types, rule.indicator, rule.above)
    return (matches & far_from_presence(distances, areas.index, rule.max_km, rule.max_min)).rename("gap")


def far_from_presence(
    distances: pd.DataFrame, index: pd.Index, max_km: float, max_min: float | None = None
) -> pd.Series:
    """True where the nearest counted office is farther than the limit (or there is none), indexed by ``index``.

    Where ``distances`` says ``measure == "road"`` the road figure counts: minutes against
    ``max_min`` when given, else road km against ``max_km``; elsewhere the straight line
    (``dist_km_any``) against ``max_km``.
    """
    far = distances["dist_km_any"].reindex(index)
    out = far.isna() | (far > max_km)
    if "measure" not in distances:
        return out
    road = (distances["measure"].reindex(index) == ROAD).fillna(False).astype(bool)
    if not road.any():
        return out
    value = distances["road_min_any" if max_min is not None else "road_km_any"].reindex(index)
    limit = max_min if max_min is not None else max_km
    return out.where(~road, value.isna() | (value > limit))


def measured(
    distances: pd.DataFrame, rule: GapRule, roads: RoadNetwork | None, points: gpd.GeoSeries, offices: gpd.GeoDataFrame
) -> pd.DataFrame:
    """``distances`` plus the road columns (when a network is given) and ``measure`` per area.

    ``measure`` is ``"road"`` where the rule measures by road and the area has a road figure to a
    counted office, else ``"straight"`` (no network there, the point is off it, or no office can
    be reached by car): never a silent mix.
    """
    out = distances.copy()
    if roads is not None:
        usable = offices[offices["status"].isin(COUNTING_STATUSES)] if "status" in offices else offices
        out = out.join(road_distances(roads, points, usable, rule.agencies))
    road = out["road_min_any"].notna() if "road_min_any" in out else pd.Series(False, index=out.index)
    if "road_km_any" in out:  # how much longer the road is than the ruler (not for areas next to the office)
        straight = out["dist_km_any"].where(out["dist_km_any"] >= 1.0)
        out["detour_any"] = (out["road_km_any"] / straight).round(2)
    out["measure"] = np.where(road & (rule.measure == ROAD), ROAD, STRAIGHT)
    return out


def presence_unknown(
    areas: gpd.GeoDataFrame,
    points: gpd.GeoSeries,
    states: pd.DataFrame | None,
    agencies: Sequence[str],
    max_km: float,
) -> pd.Series:
    """True where a counted agency's presence is unknown within ``max_km`` of the area's point (straight line).

    :func:`analyse` measures it as the gap (by road where the rule does, :func:`reach_of`).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas (EPSG:3006) with ``kommunkod``.
    points : geopandas.GeoSeries
        The areas' measuring points (:func:`area_points`), same index.
    states : pandas.DataFrame or None
        Per ``kommunkod`` and agency ``known`` / ``none`` / ``unknown``
        (:func:`geo_app.analysis.register.kommun_states`); ``None`` = everything known.
    agencies : sequence of str
        The agencies that count; those without a column in ``states`` (e.g. imported "other")
        are taken as known.

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``areas``. An area in a kommun with unknown presence is always
        True (distance 0); so is an area within ``max_km`` of such a kommun.
    """
    return unknown_reach.flags(areas, unknown_pairs(areas, points, states, Reach(tuple(agencies), max_km)))


def reach_of(rule: GapRule, roads: RoadNetwork | None, road_xy: np.ndarray | None, measure: pd.Series) -> Reach:
    """How :func:`geo_app.analysis.unknown_reach.unknown_pairs` measures for ``rule``: as the gap is measured.

    By road (``rule.measure == "road"`` and a network) for the areas whose ``measure`` is ``"road"``,
    from ``road_xy`` (the areas' access points, ``(n, 2)``); the straight line for the rest.
    """
    if roads is None or road_xy is None or rule.measure != ROAD:
        return Reach(rule.agencies, rule.max_km)
    by_road = (measure == ROAD).to_numpy(dtype=bool)
    return Reach(rule.agencies, rule.max_km, rule.max_min, roads, road_xy, by_road)


def area_gap_table(
    areas: pd.DataFrame, distances: pd.DataFrame, gap: pd.Series, year: int, indicator: str | None = None
) -> pd.DataFrame:
    """The gap areas with names, type, population, indicator and nearest offices, indexed by ``regsokod``.

    The population is of ``year`` or, without one, the latest year ``areas`` has (:func:`population_year`).
    """
    pop = f"folkmangd_{population_year(areas, year)}"
    cols = ["regsonamn", "kommunkod", "kommunnamn", "lanskod", f"omradestyp_{year}", pop]
    out = areas.loc[gap[gap].index, cols]
    if indicator:
        out = out.assign(indicator=areas.loc[out.index, indicator].astype(float).round(4))
    out = out.join(distances)
    dist_cols = [c for c in out.columns if c.startswith(("dist_km", "road_km", "road_min", "snap_m"))]
    out[dist_cols] = out[dist_cols].round(2)
    return out.sort_values("dist_km_any", ascending=False, na_position="first")


def kommun_gap_table(  # noqa: PLR0913
    areas: pd.DataFrame,
    distances: pd.DataFrame,
    rule: pd.Series,
    offices: pd.DataFrame,
    year: int,
    statuses: tuple[str, ...] = COUNTING_STATUSES,
    indicator: str | None = None,
    gap: pd.Series | None = None,
    unknown: pd.Series | None = None,
    states: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Kommuner with areas matching ``rule``: how many, population, presence and distances.

    Parameters
    ----------
    rule : pandas.Series
        Boolean per area: the area matches the rule (e.g. type 1–2 and indicator above
        the threshold), regardless of distance.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kommunkod``: ``kommunnamn, areas, population, has_af, has_ssc, has_kommun,
        max_dist_km_any, mean_dist_km_any`` (and ``indicator_max`` with an indicator; ``gaps`` and
        ``unknown`` area counts when given; ``state_<agency>`` known/none/unknown with ``states``);
        sorted by population, largest first.
    """
    hit = areas.loc[rule[rule].index]
    usable = offices[offices["status"].isin(statuses)] if "status" in offices else offices
    by = hit.groupby("kommunkod")
    dist = distances.loc[hit.index, "dist_km_any"].groupby(hit["kommunkod"])
    out = pd.DataFrame(
        {
            "kommunnamn": by["kommunnamn"].first(),
            "areas": by.size(),
            "population": by[f"folkmangd_{year}"].sum().astype("int64"),
            "max_dist_km_any": dist.max().round(1),
            "mean_dist_km_any": dist.mean().round(1),
        }
    )
    if indicator:
        out["indicator_max"] = hit[indicator].astype(float).groupby(hit["kommunkod"]).max().round(2)
    for agency in ("af", "ssc", "kommun"):
        present = set(usable.loc[usable["agency"] == agency, "kommunkod"])
        out[f"has_{agency}"] = out.index.isin(list(present))
    for name, flags in (("gaps", gap), ("unknown", unknown)):
        if flags is not None:
            out[name] = flags.reindex(hit.index).fillna(False).astype(int).groupby(hit["kommunkod"]).sum()
    if states is not None:
        for agency in states.columns:
            out[f"state_{agency}"] = states[agency].reindex(out.index).fillna("unknown")
    out.index.name = "kommunkod"
    return out.sort_values(["population", "areas"], ascending=False)


@dataclass(frozen=True)
class GapRule:
    """A presence-gap rule, as set on the page or the CLI.

    ``year`` is the områdestyp year (no default here: callers take it from the layer
    declarations, see :func:`geo_app.analysis.gap_rule.rule_from_options`). ``indicator`` is an
    area column (e.g. ``arbetsloshet_af_modell_pct_2023``) that must exceed ``above``;
    ``indicator_kind`` (official / estimate / imported) is reported beside it.
    """

    year: int
    types: tuple[int, ...] = DEFAULT_TYPES
    indicator: str | None = None
    above: float | None = None
    indicator_kind: str = ""
    max_km: float = DEFAULT_MAX_KM
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    radius_km: float = DEFAULT_RADIUS_KM
    measure: str = STRAIGHT  # "road": car time/road km where a road network covers the area
    max_min: float | None = None  # with measure "road": minutes by car instead of road km

    def limit_text(self) -> str:
        """The distance limit in words (English; the pages translate their own)."""
        if self.measure != ROAD:
            return f"{self.max_km:g} km straight line"
        road = f"{self.max_min:g} min by car" if self.max_min is not None else f"{self.max_km:g} km by road"
        return f"{road} (straight line {self.max_km:g} km where no road network covers the area)"


@dataclass(frozen=True)
class GapResult:
    """Everything the gap page and ``geo-app gaps`` show, indexed by code."""

    distances: pd.DataFrame
    rule: pd.Series
    gap: pd.Series
    areas: pd.DataFrame
    kommuner: pd.DataFrame
    unknown: pd.Series  # matching the rule, far from known offices, but presence around it unknown
    unknown_areas: pd.DataFrame
    rule_used: GapRule | None = None  # the rule that produced this result (the export records it)
    causes: pd.DataFrame | None = None  # regsokod, agency, kommunkod, measure: what each unknown area rests on

    def summary(self) -> dict[str, int]:
        """Counts every summary shows: kommuner and areas matching the rule, gaps, presence unknown."""
        return {
            "kommuner": int(len(self.kommuner)),
            "areas": int(self.rule.sum()),
            "gaps": int(self.gap.sum()),
            "unknown": int(self.unknown.sum()),
            "gap_kommuner": int(self.areas["kommunkod"].nunique()),
            "unknown_kommuner": int(self.unknown_areas["kommunkod"].nunique()),
        }


def analyse(  # noqa: PLR0913
    areas: gpd.GeoDataFrame,
    offices: gpd.GeoDataFrame,
    rule: GapRule,
    points: gpd.GeoSeries | None = None,
    states: pd.DataFrame | None = None,
    roads: RoadNetwork | None = None,
) -> GapResult:
    """Run the whole gap analysis for one rule (pure; ≈ 20 ms for Sweden).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``omradestyp_<year>``, ``folkmangd_<year>`` and the indicator.
    offices : geopandas.GeoDataFrame
        Office points (EPSG:3006) with ``agency`` and ``status``.
    rule : GapRule
    points : geopandas.GeoSeries, optional
        Precomputed :func:`area_points` (shared across sessions by the app).
    states : pandas.DataFrame, optional
        What the register knows per kommun and agency (known / none / unknown) on the offices'
        date; areas that would be gaps but rest on an unknown are ``unknown``, not gaps
        (:func:`presence_unknown`). Without it every kommun counts as known.
    roads : RoadNetwork, optional
        The road network: adds ``road_km_*``, ``road_min_*`` and ``snap_m``; with
        ``rule.measure == "road"`` the gap rule uses them where the area has a road figure.
    """
    type_column = f"omradestyp_{rule.year}"
    if type_column not in areas:
        raise InputError(f"no områdestyp for {rule.year}")
    if rule.max_km <= 0 or rule.radius_km <= 0 or (rule.max_min is not None and rule.max_min <= 0):
        raise InputError("distances must be positive")
    if rule.measure not in (ROAD, STRAIGHT):
        raise InputError(f"measure must be {ROAD!r} or {STRAIGHT!r}, got {rule.measure!r}")
    pts = area_points(areas) if points is None else points
    distances = presence_distances(pts, offices, rule.agencies, rule.radius_km)
    road_xy = None if roads is None else access_points(roads, areas.geometry, pts.reindex(areas.index))
    road_pts = pts if road_xy is None else pd.Series(shapely.points(road_xy), areas.index)
    distances = measured(distances, rule, roads, road_pts, offices)
    matches = rule_areas(areas, type_column, rule.types, rule.indicator, rule.above)
    far = matches & far_from_presence(distances, areas.index, rule.max_km, rule.max_min)
    reach = reach_of(rule, roads, road_xy, distances["measure"].reindex(areas.index))
    causes = unknown_pairs(areas, pts, states, reach, far)  # on the gap's own measure
    unsure = far & unknown_reach.flags(areas, causes)
    gap = (far & ~unsure).rename("gap")
    unsure = unsure.rename("presence_unknown")
    pop_year = population_year(areas, rule.year)
    area_table = area_gap_table(areas, distances, gap, rule.year, rule.indicator)
    unknown_table = area_gap_table(areas, distances, unsure, rule.year, rule.indicator)
    unknown_table["unknown_measure"] = unknown_reach.measures(causes).reindex(unknown_table.index)
    kommun_table = kommun_gap_table(
        areas,
        distances,
        matches,
        offices,
        pop_year,
        indicator=rule.indicator,
        gap=gap,
        unknown=unsure,
        states=states[[a for a in rule.agencies if a in states.columns]] if states is not None else None,
    )
    if rule.indicator:
        for table in (area_table, unknown_table, kommun_table):
            table["indicator_kind"] = rule.indicator_kind
    return GapResult(distances, matches, gap, area_table, kommun_table, unsure, unknown_table, rule, causes)


def rule_area_table(areas: pd.DataFrame, result: GapResult) -> pd.DataFrame:
    """Every area matching the rule, gap or not, with its distances, ``measure``, ``gap`` and ``presence_unknown``."""
    rule = result.rule_used
    year = rule.year if rule is not None else 0
    indicator = rule.indicator if rule is not None else None
    table = area_gap_table(areas, result.distances, result.rule, year, indicator)
    if rule is not None and rule.indicator:
        table["indicator_kind"] = rule.indicator_kind
    return table.assign(gap=result.gap.reindex(table.index), presence_unknown=result.unknown.reindex(table.index))


def measure_text(result: GapResult, roads: RoadNetwork | None) -> str:
    """How the areas in the rule were measured, in words (English; CLI messages)."""
    measure = result.distances.loc[result.rule[result.rule].index, "measure"]
    by_road = int((measure == ROAD).sum())
    if roads is None:
        return (
            "every area by straight line (no road network in use)"
            if result.rule_used and (result.rule_used.measure == ROAD)
            else "every area by straight line"
        )
    return (
        f"{by_road} areas by car on {roads.name}, {len(measure) - by_road} by straight line "
        "(no network there, the area's point is off it, or no counted office reachable by car)"
    )
