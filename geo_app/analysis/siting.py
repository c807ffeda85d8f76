"""Decide where to be: what-if scenarios and suggested sites for presence (pure, no Streamlit).

Two questions, both on the gap rule of :mod:`geo_app.analysis.gaps` (straight-line distance in
EPSG:3006 from each area's inside point to the nearest *counting* office):

*What if* we open an office here, or close that one?
    :func:`scenario` recomputes every area's distance and gap status after adding points and
    removing offices, with before/after summaries per kommun and for Sweden (≈ 20–40 ms).
*Where* should N new offices go?
    :func:`suggest_sites` solves a facility-location model with PySAL ``spopt``
    (MCLP: cover most demand with N sites; LSCP: fewest sites covering all demand;
    p-median: least weighted distance with N sites) on HiGHS through PuLP, with the existing
    presence locked in, and returns a greedy baseline beside the optimum.

What a page should call (everything frames in, frames out; cache the first three per data version):

1. ``points = geo_app.analysis.gaps.area_points(bundle.regso)`` — measuring points, shared with the gap page;
2. ``unemployed, kind = unemployed_for(bundle.regso, bundle.layers, rule.year)``;
3. ``cands = candidate_sites(bundle.regso, geo_app.data.loaders.load_towns(), offices, kinds, points=points)``;
4. what-if: ``added = new_offices(df_with_lon_lat_agency, bundle.regso)`` (raises
   :class:`SitingError` for points abroad / in the sea), then
   ``res = scenario(bundle.regso, offices, rule, add=added, remove=ids, points=points,
   unemployed=unemployed)`` → ``res.national`` (metric cards), ``res.kommuner``,
   ``res.areas`` (``change`` = "closed"/"opened" for the map);
5. suggestions: ``demand = demand_areas(bundle.regso, rule, points, unemployed, kind)``;
   ``s = suggest_sites(demand, cands, counting_offices(offices, rule), rule.max_km, n=3,
   objective="mclp", weight="population")`` → ``s.sites`` (points to draw, with lon/lat),
   ``s.totals`` (before/after, optimal yes/no, seconds, weight kind), ``s.greedy`` and
   ``s.greedy_totals`` (baseline). A chosen site can be fed back into :func:`scenario` as ``add``.

``rule`` is :func:`geo_app.views.gap_view.rule_from_options` as on the gap page. The first
:func:`suggest_sites` call imports spopt (≈ 4 s: libpysal, scikit-learn); a page should cache the
suggestion on its inputs and show a spinner. :class:`SitingError` messages are meant for the user.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from geo_app.analysis.gaps import (
    COUNTING_STATUSES,
    OUTSIDE_TOLERANCE_M,
    GapRule,
    area_points,
    distance_outside_m,
    far_from_presence,
    nearest_offices,
    rule_areas,
)
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.indicators import population_year
from geo_app.errors import InputError

OBJECTIVES = ("mclp", "lscp", "pmedian")
WEIGHTS = ("population", "unemployed", "equal")
CANDIDATE_KINDS = ("towns", "areas", "ssc")
DEFAULT_TIME_LIMIT_S = 30.0
PMEDIAN_POOL = 200  # p-median candidates kept (spopt builds one variable per demand × candidate)
UNEMPLOYMENT_WORDS = ("arbetsl", "unemploy")


class SitingError(InputError):
    """Invalid input to a scenario or a site suggestion, described so the user can fix it."""


# --------------------------------------------------------------------------- inputs


def counting_offices(
    offices: gpd.GeoDataFrame, rule: GapRule, statuses: tuple[str, ...] = COUNTING_STATUSES
) -> gpd.GeoDataFrame:
    """The offices that count as presence under ``rule``: agency in ``rule.agencies``, usable status."""
    keep = offices["agency"].isin(rule.agencies)
    if "status" in offices:
        keep &= offices["status"].isin(statuses)
    return offices[keep]


def _lonlat_to_metric(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    return gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(METRIC_CRS).values


def new_offices(
    points: pd.DataFrame, areas: gpd.GeoDataFrame, default_agency: str = "af", tolerance_m: float = OUTSIDE_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Turn what-if points (WGS84 ``lon, lat``; optional ``agency``, ``name``) into office rows.

    Parameters
    ----------
    points : pandas.DataFrame
        One row per new office: ``lon``, ``lat`` in degrees (WGS84), optionally ``agency``
        (af / ssc / other) and ``name``. A GeoDataFrame is taken as is (any CRS).
    areas : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006): together they are Sweden's land, used for the check.
    default_agency : str
        Agency of rows without one.
    tolerance_m : float
        How far outside the (generalised) coast a point may lie.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed ``new-1, new-2, …`` with ``agency, name, status`` (``open``), ``origin``
        (``what-if``) and point geometry in EPSG:3006.

    Raises
    ------
    SitingError
        A point outside Sweden or in the sea (says how far, and whether lon/lat look swapped),
        or an unknown agency.
    """
    n = len(points)
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    if isinstance(points, gpd.GeoDataFrame):
        geom = points.geometry.to_crs(METRIC_CRS).values
    else:
        for col in ("lon", "lat"):
            if col not in points:
                raise SitingError(f"new offices need columns lon and lat (WGS84 degrees), missing {col!r}")
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(dtype=float)
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(dtype=float)
        bad = ~(np.isfinite(lon) & np.isfinite(lat)) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise SitingError(
                f"new office {j + 1}: lon/lat {points['lon'].iloc[j]}, {points['lat'].iloc[j]} "
                "are not degrees; give LON,LAT in WGS84, e.g. 18.07,59.33"
            )
        geom = _lonlat_to_metric(lon, lat)
    land = areas.geometry.values
    outside = distance_outside_m(geom, land) if n else np.zeros(0)
    for i in np.flatnonzero(outside > tolerance_m):
        where = f"(E {geom[i].x:.0f}, N {geom[i].y:.0f})"
        hint = "give a point on land in Sweden (LON,LAT in WGS84 degrees, e.g. 18.07,59.33)"
        if lon is not None and lat is not None:
            where = f"({lon[i]:.5f}, {lat[i]:.5f})"
            swapped = _lonlat_to_metric([lat[i]], [lon[i]])
            if distance_outside_m(swapped, land)[0] <= tolerance_m:
                hint = f"lon and lat look swapped: did you mean {lat[i]:.5f},{lon[i]:.5f}?"
        raise SitingError(
            f"new office {i + 1} {where} is {outside[i] / 1000:.1f} km outside Sweden (in the sea or abroad): {hint}"
        )
    agency = (
        points["agency"].fillna(default_agency).astype(str) if "agency" in points else pd.Series([default_agency] * n)
    )
    unknown = sorted(set(agency) - {"af", "ssc", "other"})
    if unknown:
        raise SitingError(f"unknown agency {unknown[0]!r} for a new office: use af, ssc or other")
    index = pd.Index([f"new-{i + 1}" for i in range(n)], name="office_id")
    names = (
        points["name"].astype(str).to_numpy()
        if "name" in points
        else np.array([f"Nytt kontor {i + 1}" for i in range(n)], dtype=object)
    )
    return gpd.GeoDataFrame(
        {"agency": agency.to_numpy(), "name": names, "status": "open", "origin": "what-if"},
        index=index,
        geometry=gpd.GeoSeries(geom, index=index, crs=METRIC_CRS),
    )


def resolve_office_ids(offices: pd.DataFrame, wanted: Iterable[str]) -> list[str]:
    """Office ids for ``wanted`` (ids, or names when unique, case-insensitive).

    Raises
    ------
    SitingError
        Unknown id (with the closest ids), or a name shared by several offices (lists their ids).
    """
    ids = [str(i) for i in offices.index]
    by_name: dict[str, list] = {}
    for oid, name in zip(ids, offices["name"].astype(str), strict=True):
        by_name.setdefault(name.casefold(), []).append(oid)
    out = []
    for w in wanted:
        w = str(w).strip()
        if w in ids:
            out.append(w)
        elif len(by_name.get(w.casefold(), [])) == 1:
            out.append(by_name[w.casefold()][0])
        elif len(by_name.get(w.casefold(), [])) > 1:
            raise SitingError(f"office name {w!r} is ambiguous: use one of the ids {', '.join(by_name[w.casefold()])}")
        else:
            close = difflib.get_close_matches(w, ids, n=3, cutoff=0.5)
            hint = (
                f"did you mean {', '.join(close)}?"
                if close
                else "ids look like af-1280-arbetsformedlingen_malmo (see geo-app offices)"
            )
            raise SitingError(f"unknown office {w!r} to remove: {hint}")
    return out


def estimated_unemployed(areas: pd.DataFrame, pct_column: str, population_column: str) -> pd.Series:
    """Unemployed per area as ``rate / 100 × population`` (an index of head counts; NaN rate → 0)."""
    rate = pd.to_numeric(areas[pct_column], errors="coerce").fillna(0.0)
    pop = pd.to_numeric(areas[population_column], errors="coerce").fillna(0.0)
    return (rate / 100.0 * pop).rename("unemployed")


def unemployed_for(areas: pd.DataFrame, layers: Mapping[str, Any], year: int) -> tuple[pd.Series, str]:
    """Unemployed per area and what kind of figure it is.

    An imported unemployment layer (title containing "arbetsl"/"unemploy") wins: a percentage
    is multiplied by the area's population, a count is used as is. Otherwise the model estimate of
    N03937 (openly unemployed 18–65, % of the population 18–65) times the **total** population: an
    index that over-counts heads (the population includes children and pensioners) but ranks
    areas like head counts would.

    Parameters
    ----------
    areas : pandas.DataFrame
        RegSO areas with ``folkmangd_<year>`` and the layer columns.
    layers : dict[str, geo_app.layers.LayerSpec]
        The bundle's layers (embedded and imported).
    year : int
        Figures for this year when the layer has it, else its default year.

    Returns
    -------
    (pandas.Series, str)
        Counts per area (indexed like ``areas``) and a label such as
        ``"estimate: arbetsloshet_modell_pct_2023 × folkmangd_2023"``.
    """
    pop_col = f"folkmangd_{population_year(areas, year)}"
    for spec in sorted(layers.values(), key=lambda s: s.order):
        title = str(spec.title.get("sv", "")) + " " + str(spec.title.get("en", ""))
        if spec.kind == "imported" and spec.level == "regso" and any(w in title.casefold() for w in UNEMPLOYMENT_WORDS):
            col = spec.column_for(spec.year_for(year))
            if col in areas:
                if "%" in str(spec.unit.get("sv", "")):
                    return estimated_unemployed(areas, col, pop_col), f"imported: {col} × {pop_col}"
                return pd.to_numeric(areas[col], errors="coerce").fillna(0.0).rename("unemployed"), f"imported: {col}"
    spec = layers.get("arbetsloshet_modell")
    col = spec.column_for(spec.year_for(year)) if spec is not None else f"arbetsloshet_modell_pct_{year}"
    if col not in areas:
        raise SitingError(
            f"no unemployment figures for {year}: import them (geo-app import indicators) or weight by population"
        )
    return estimated_unemployed(areas, col, pop_col), f"estimate: {col} × {pop_col}"


# --------------------------------------------------------------------------- what-if


def _type_column(areas: pd.DataFrame, year: int) -> str:
    """The områdestyp column of ``year``; :class:`SitingError` naming the years the data has."""
    column = f"omradestyp_{year}"
    if column not in areas:
        years = sorted(c.removeprefix("omradestyp_") for c in areas.columns if str(c).startswith("omradestyp_"))
        raise SitingError(f"no områdestyp for {year}: use a year the data has ({', '.join(years) or 'none'})")
    return column


@dataclass(frozen=True)
class ScenarioResult:
    """Before/after of a what-if, indexed by code.

    ``areas``: every area with ``rule`` (matches the gap rule whatever the distance),
    ``dist_km_before/after``, ``nearest_before/after``, ``gap_before/after`` and ``change``
    ("closed": was a gap, is not; "opened": became a gap; "" otherwise).
    ``kommuner``: kommuner with rule areas: ``gap_areas``, ``gap_population``, ``gap_unemployed``
    before/after. ``national``: the same sums for Sweden plus ``rule_areas``.
    """

    areas: pd.DataFrame
    kommuner: pd.DataFrame
    national: pd.Series
    added: gpd.GeoDataFrame
    removed: tuple[str, ...]
    unemployed_kind: str = ""


def scenario(
    areas: gpd.GeoDataFrame,
    offices: gpd.GeoDataFrame,
    rule: GapRule,
    add: gpd.GeoDataFrame | pd.DataFrame | None = None,
    remove: Iterable[str] = (),
    *,
    points: gpd.GeoSeries | None = None,
    unemployed: pd.Series | None = None,
    unemployed_kind: str = "",
) -> ScenarioResult:
    """Recompute the gap analysis after adding and removing offices (pure; ≈ 20–40 ms for Sweden).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``regsonamn, kommunkod, kommunnamn, omradestyp_<year>,
        folkmangd_<year>`` and the rule's indicator, indexed by ``regsokod``.
    offices : geopandas.GeoDataFrame
        Office points (EPSG:3006) with ``agency``, ``status``, ``name``, indexed by office id.
    rule : geo_app.gaps.GapRule
        Which areas, which distance, which agencies count.
    add : geopandas.GeoDataFrame or pandas.DataFrame, optional
        New offices: the output of :func:`new_offices`, or a frame with ``lon, lat`` (and
        ``agency``; default the rule's first agency) that is passed through it.
    remove : iterable of str
        Office ids (or unique names) to close.
    points : geopandas.GeoSeries, optional
        Precomputed :func:`geo_app.gaps.area_points` (the page caches them).
    unemployed : pandas.Series, optional
        Unemployed per area (see :func:`unemployed_for`); NaN sums when not given.
    unemployed_kind : str
        What ``unemployed`` is, reported in the result.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    SitingError
        Points outside Sweden, unknown office ids, a non-positive distance.
    """
    if rule.max_km <= 0:
        raise SitingError(f"the distance must be positive, got {rule.max_km} km")
    type_column = _type_column(areas, rule.year)
    pts = area_points(areas) if points is None else points
    if add is None or len(add) == 0:
        added = new_offices(pd.DataFrame({"lon": [], "lat": []}), areas)
    elif "origin" in add and (add.get("origin") == "what-if").all() and isinstance(add, gpd.GeoDataFrame):
        added = add
    else:
        added = new_offices(add, areas, default_agency=rule.agencies[0])
    removed = tuple(resolve_office_ids(offices, remove))
    before_offices = counting_offices(offices, rule)
    after_offices = counting_offices(pd.concat([offices.drop(index=list(removed)), added.to_crs(offices.crs)]), rule)
    before = nearest_offices(pts, before_offices, rule.radius_km)
    after = nearest_offices(pts, after_offices, rule.radius_km)
    matches = rule_areas(areas, type_column, rule.types, rule.indicator, rule.above)
    gap_before = matches & far_from_presence(
        before.rename(columns={"dist_km": "dist_km_any"}), areas.index, rule.max_km
    )
    gap_after = matches & far_from_presence(after.rename(columns={"dist_km": "dist_km_any"}), areas.index, rule.max_km)
    pop = pd.to_numeric(areas[f"folkmangd_{population_year(areas, rule.year)}"], errors="coerce").fillna(0)
    unemp = (
        unemployed.reindex(areas.index).astype(float)
        if unemployed is not None
        else pd.Series(np.nan, index=areas.index)
    )
    change = np.where(gap_before & ~gap_after, "closed", np.where(~gap_before & gap_after, "opened", ""))
    table = pd.DataFrame(
        {
            "regsonamn": areas["regsonamn"],
            "kommunkod": areas["kommunkod"],
            "kommunnamn": areas["kommunnamn"],
            "omradestyp": areas[type_column],
            "population": pop.astype("int64"),
            "unemployed": unemp.round(1),
            "rule": matches,
            "dist_km_before": before["dist_km"].round(2),
            "dist_km_after": after["dist_km"].round(2),
            "nearest_before": before["nearest"],
            "nearest_after": after["nearest"],
            "gap_before": gap_before,
            "gap_after": gap_after,
            "change": change,
        },
        index=areas.index,
    )

    def sums(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame | pd.Series:
        parts = {}
        for when in ("before", "after"):
            g = frame[f"gap_{when}"]
            cols = pd.DataFrame(
                {
                    "gap_areas": g.astype(int),
                    "gap_population": frame["population"].where(g, 0),
                    "gap_unemployed": frame["unemployed"].where(g, 0),
                }
            )
            parts[when] = cols.groupby(frame[by]).sum(min_count=1) if by else cols.sum(min_count=1)
        if by:
            out = pd.concat(parts, axis=1)
            out.columns = [f"{c}_{w}" for w, c in out.columns]
            return out
        return pd.Series({f"{c}_{w}": v for w, p in parts.items() for c, v in p.items()})

    hit = table[table["rule"]]
    kommuner = sums(hit, "kommunkod")
    kommuner.insert(0, "kommunnamn", hit.groupby("kommunkod")["kommunnamn"].first())
    kommuner.insert(1, "rule_areas", hit.groupby("kommunkod").size())
    order = ["gap_areas", "gap_population", "gap_unemployed"]
    kommuner = kommuner[["kommunnamn", "rule_areas"] + [f"{c}_{w}" for c in order for w in ("before", "after")]]
    kommuner["changed"] = kommuner["gap_areas_before"] != kommuner["gap_areas_after"]
    kommuner = kommuner.sort_values(["changed", "gap_population_before"], ascending=False)
    national = sums(hit)
    national = pd.concat(
        [pd.Series({"rule_areas": len(hit)}), national[[f"{c}_{w}" for c in order for w in ("before", "after")]]]
    )
    if unemployed is None:
        kommuner = kommuner.drop(columns=["gap_unemployed_before", "gap_unemployed_after"])
        national = national.drop(["gap_unemployed_before", "gap_unemployed_after"])
    return ScenarioResult(table, kommuner, national, added, removed, unemployed_kind)


# --------------------------------------------------------------------------- suggestions


def demand_areas(
    areas: gpd.GeoDataFrame,
    rule: GapRule,
    points: gpd.GeoSeries | None = None,
    unemployed: pd.Series | None = None,
    unemployed_kind: str = "",
) -> gpd.GeoDataFrame:
    """The demand for :func:`suggest_sites`: areas matching the rule (types and indicator), as points.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``regsokod``: ``regsonamn, kommunkod, kommunnamn, population, unemployed,
        unemployed_kind`` and the area's measuring point (EPSG:3006).
    """
    type_column = _type_column(areas, rule.year)
    pts = area_points(areas) if points is None else points
    hit = rule_areas(areas, type_column, rule.types, rule.indicator, rule.above)
    idx = hit[hit].index
    pop = pd.to_numeric(areas.loc[idx, f"folkmangd_{population_year(areas, rule.year)}"], errors="coerce").fillna(0)
    unemp = (
        unemployed.reindex(idx).astype(float).fillna(0.0) if unemployed is not None else pd.Series(np.nan, index=idx)
    )
    return gpd.GeoDataFrame(
        {
            "regsonamn": areas.loc[idx, "regsonamn"],
            "kommunkod": areas.loc[idx, "kommunkod"],
            "kommunnamn": areas.loc[idx, "kommunnamn"],
            "population": pop,
            "unemployed": unemp,
            "unemployed_kind": unemployed_kind,
        },
        index=idx,
        geometry=pts.loc[idx].values,
        crs=METRIC_CRS,
    )


def candidate_sites(
    areas: gpd.GeoDataFrame,
    towns: pd.DataFrame,
    offices: gpd.GeoDataFrame,
    kinds: Iterable[str] = CANDIDATE_KINDS,
    points: gpd.GeoSeries | None = None,
    tolerance_m: float = OUTSIDE_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """Where a new office could go: GeoNames towns, RegSO area points, existing SSC offices (co-location).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``regsonamn, kommunkod, kommunnamn``.
    towns : pandas.DataFrame
        GeoNames towns ``lat, lon, name`` (``data/regso/towns.parquet``).
    offices : geopandas.GeoDataFrame
        Offices; SSC offices that are open or closing become co-location candidates.
    kinds : iterable of str
        Some of ``towns``, ``areas``, ``ssc``.
    points : geopandas.GeoSeries, optional
        Precomputed area points.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed ``town:<name>:<i>``, ``area:<regsokod>``, ``ssc:<office id>``: ``kind, name,
        kommunkod, kommunnamn`` and the point (EPSG:3006). Towns farther than ``tolerance_m``
        outside Sweden are dropped; a town's kommun is the area it lies in (or the nearest).
    """
    kinds = tuple(kinds)
    unknown = sorted(set(kinds) - set(CANDIDATE_KINDS))
    if unknown or not kinds:
        raise SitingError(f"unknown candidate kind {unknown[:1] or kinds!r}: use some of {', '.join(CANDIDATE_KINDS)}")
    frames = []
    tree = shapely.STRtree(areas.geometry.values)
    codes = areas.index.to_numpy()

    def locate(geom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (pi, ai), dist = tree.query_nearest(geom, return_distance=True)
        first = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
        return codes[ai[first]], dist[first]

    if "towns" in kinds and len(towns):
        geom = _lonlat_to_metric(towns["lon"].to_numpy(float), towns["lat"].to_numpy(float))
        code, dist = locate(geom)
        ok = dist <= tolerance_m
        frames.append(
            pd.DataFrame(
                {
                    "kind": "town",
                    "name": towns["name"].to_numpy()[ok],
                    "regsokod": code[ok],
                    "geometry": geom[ok],
                },
                index=[f"town:{n}:{i}" for n, i in zip(towns["name"].to_numpy()[ok], np.flatnonzero(ok), strict=True)],
            )
        )
    if "areas" in kinds:
        pts = area_points(areas) if points is None else points
        frames.append(
            pd.DataFrame(
                {
                    "kind": "area",
                    "name": areas["regsonamn"].to_numpy(),
                    "regsokod": codes,
                    "geometry": pts.reindex(areas.index).values,
                },
                index=[f"area:{c}" for c in codes],
            )
        )
    if "ssc" in kinds:
        ssc = (
            offices[(offices["agency"] == "ssc") & offices["status"].isin(COUNTING_STATUSES)]
            if "status" in offices
            else offices[offices["agency"] == "ssc"]
        )
        if len(ssc):
            geom = ssc.geometry.to_crs(METRIC_CRS).values
            code, _ = locate(geom)
            frames.append(
                pd.DataFrame(
                    {"kind": "ssc", "name": ssc["name"].astype(str).to_numpy(), "regsokod": code, "geometry": geom},
                    index=[f"ssc:{i}" for i in ssc.index],
                )
            )
    out = pd.concat(frames) if frames else pd.DataFrame(columns=["kind", "name", "regsokod", "geometry"])
    out["kommunkod"] = areas["kommunkod"].reindex(out["regsokod"]).to_numpy()
    out["kommunnamn"] = areas["kommunnamn"].reindex(out["regsokod"]).to_numpy()
    out.index.name = "site_id"
    return gpd.GeoDataFrame(
        out[["kind", "name", "kommunkod", "kommunnamn", "regsokod", "geometry"]], geometry="geometry", crs=METRIC_CRS
    )


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


def _xy(geoms: ArrayLike) -> np.ndarray:
    return shapely.get_coordinates(np.asarray(geoms, dtype=object))


def _distances_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance matrix (km) between two (n, 2) coordinate arrays in metres."""
    d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)) / 1000.0
    return d


def weights_for(demand: pd.DataFrame, weight: str) -> tuple[np.ndarray, str]:
    """Weight per demand area and its label (population / unemployed with its kind / equal)."""
    if weight == "population":
        return demand["population"].to_numpy(float), "population (SCB, official)"
    if weight == "unemployed":
        w = demand["unemployed"].to_numpy(float)
        if np.isnan(w).all():
            raise SitingError(
                "no unemployment figures in the demand: pass unemployed= to demand_areas "
                "(see unemployed_for) or weight by population"
            )
        kind = demand["unemployed_kind"].iloc[0] if "unemployed_kind" in demand and len(demand) else ""
        return np.nan_to_num(w), f"unemployed ({kind})" if kind else "unemployed"
    if weight == "equal":
        return np.ones(len(demand)), "equal (each area counts 1)"
    raise SitingError(f"unknown weight {weight!r}: use one of {', '.join(WEIGHTS)}")


def _solver(time_limit_s: float) -> Any:
    import pulp

    if pulp.HiGHS().available():
        return pulp.HiGHS(msg=False, timeLimit=time_limit_s, threads=1)
    return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s)  # pragma: no cover - HiGHS ships with highspy


def _greedy_cover(cover: np.ndarray, w: np.ndarray, n: int | None) -> list[int]:
    """Greedy max coverage: pick the column adding most uncovered weight (n picks, or until all covered)."""
    left = np.ones(cover.shape[0], bool)
    picks: list[int] = []
    cw = cover.astype(np.float64)
    while (n is None and left.any()) or (n is not None and len(picks) < n):
        gain = (w * left) @ cw if n is not None else left.astype(float) @ cw
        if n is None:  # set cover: count areas, weight breaks ties
            gain = gain + 1e-9 * ((w * left) @ cw)
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        picks.append(j)
        left &= ~cover[:, j]
    return picks


def _greedy_median(cost: np.ndarray, w: np.ndarray, d0: np.ndarray, n: int) -> list[int]:
    """Greedy p-median: pick the column that lowers the weighted distance most (from ``d0``)."""
    best = d0.copy()
    picks: list[int] = []
    for _ in range(n):
        saved = (w[:, None] * np.maximum(0.0, best[:, None] - cost)).sum(axis=0)
        j = int(np.argmax(saved)) if saved.size else 0
        if not saved.size or saved[j] <= 0:  # nothing left to gain: fewer sites than asked
            break
        picks.append(j)
        best = np.minimum(best, cost[:, j])
    return picks


def _dedupe_columns(cover: np.ndarray) -> np.ndarray:
    """Indices of the first column of each distinct non-empty coverage pattern."""
    useful = np.flatnonzero(cover.any(axis=0))
    if len(useful) == 0:
        return useful
    packed = np.packbits(cover[:, useful], axis=0)
    _, first = np.unique(packed.T, axis=0, return_index=True)
    return useful[np.sort(first)]


def suggest_sites(
    demand: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    existing: gpd.GeoDataFrame,
    max_km: float,
    n: int | None = None,
    objective: str = "mclp",
    weight: str = "population",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
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
    dem_xy = _xy(demand.geometry.values) if len(demand) else np.zeros((0, 2))
    cand_xy = _xy(candidates.geometry.values) if len(candidates) else np.zeros((0, 2))
    if len(existing):
        ex_xy = _xy(existing.geometry.to_crs(METRIC_CRS).values)
        ex_cost = _distances_km(dem_xy, ex_xy)
        d0 = ex_cost.min(axis=1) if len(dem_xy) else np.zeros(0)
    else:
        ex_cost, d0 = np.zeros((len(dem_xy), 0)), np.full(len(dem_xy), np.inf)
    covered0 = d0 <= max_km
    todo = np.flatnonzero(~covered0)
    cost = _distances_km(dem_xy[todo], cand_xy)  # uncovered demand × candidates
    cover = cost <= max_km
    w = w_all[todo]

    if objective == "lscp":
        unreachable = ~cover.any(axis=1)
        if unreachable.any():
            rows = demand.iloc[todo[unreachable]]
            need = cost[unreachable].min(axis=1) if cost.shape[1] else np.full(unreachable.sum(), np.inf)
            named = ", ".join(
                f"{c} {r.regsonamn} ({r.kommunnamn}, nearest candidate {d:.0f} km)"
                for c, r, d in zip(rows.index[:8], rows.itertuples(), need[:8], strict=False)
            )
            more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
            raise SitingError(
                f"cover-all is infeasible: {len(rows)} area(s) have no candidate site within {max_km:g} km: "
                f"{named}{more}. Raise the distance to at least {np.ceil(need.max()):.0f} km, add "
                "candidate kinds (towns, areas, ssc), or ask for N sites (MCLP) instead"
            )

    if objective == "lscp":
        greedy = _greedy_cover(cover, w, None)
    elif objective == "mclp":
        greedy = _greedy_cover(cover, w, n)
    else:
        greedy = _greedy_median(cost, w, d0[todo], int(n or 0))
    import spopt.locate  # noqa: F401 - a few seconds on first import; not part of the solve time

    t0 = time.perf_counter()
    if objective in ("mclp", "lscp"):
        cols = _dedupe_columns(cover)
        chosen, optimal, status = _solve_coverage(cover[:, cols], w, n, objective, time_limit_s)
        chosen = None if chosen is None else [int(cols[j]) for j in chosen]
    else:
        chosen, optimal, status = _solve_pmedian(
            cost, w, d0[todo], ex_cost[todo], int(n or 0), time_limit_s, seeds=greedy
        )
    seconds = time.perf_counter() - t0
    if chosen is None:
        chosen = list(greedy)
    elif not optimal and _score(greedy, cost, w, d0[todo], max_km, objective) > _score(
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


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner even with ``msg=False``), e.g. in the CLI's CSV."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured stdout (pytest, Streamlit): nothing to guard
        yield
        return
    saved = os.dup(fd)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


@contextlib.contextmanager
def _no_pulp_deprecations() -> Iterator[None]:
    """Spopt builds variables the PuLP 3 way; PuLP 3.3 warns once per variable (tens of thousands)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _run(model: Any, time_limit_s: float) -> bool:
    """Solve an spopt model on HiGHS, quietly; False when no integer solution was found in time."""
    try:
        with _quiet_stdout(), _no_pulp_deprecations():
            model.solve(_solver(time_limit_s), results=False)
    except RuntimeError:  # spopt: "Model is not solved" (e.g. the time limit hit before a first solution)
        return False
    return True


NO_SOLUTION = "time limit: the solver found no solution, the greedy sites are shown; not proven optimal"


def _score(
    picks: Sequence[int], cost: np.ndarray, w: np.ndarray, d0: np.ndarray, max_km: float, objective: str
) -> float:
    """Higher is better: covered weight (MCLP), minus the number of sites (LSCP), minus weighted km (p-median)."""
    if objective == "lscp":
        return -float(len(picks))
    best = np.minimum(d0, cost[:, list(picks)].min(axis=1)) if len(picks) else d0
    if objective == "mclp":
        return float(w[best <= max_km].sum())
    return -float((w * best).sum())


def _status(problem: Any) -> tuple[bool, str]:
    import pulp

    optimal = problem.sol_status == pulp.LpSolutionOptimal
    return optimal, "optimal" if optimal else "time limit: best found, not proven optimal"


def _solve_coverage(
    cover: np.ndarray, w: np.ndarray, n: int | None, objective: str, time_limit_s: float
) -> tuple[list[int] | None, bool, str]:
    """MCLP (n sites) or LSCP (cover all) on a 0/1 coverage matrix with spopt; chosen column indices."""
    from spopt.locate import LSCP, MCLP

    n_dem, n_cand = cover.shape
    if n_dem == 0 or n_cand == 0:
        return [], True, "nothing to cover" if n_dem == 0 else "no candidate reaches the uncovered demand"
    cost = np.where(cover, 0.0, 1.0)  # spopt covers where cost <= radius
    with _no_pulp_deprecations():
        if objective == "mclp":
            p = min(int(n or 0), n_cand)  # more sites than useful columns add nothing
            model = MCLP.from_cost_matrix(cost, w, service_radius=0.5, p_facilities=p, name="mclp")
        else:
            model = LSCP.from_cost_matrix(cost, service_radius=0.5, name="lscp")
    if not _run(model, time_limit_s):
        return None, False, NO_SOLUTION
    chosen = [j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5]
    optimal, status = _status(model.problem)
    return chosen, optimal, status


def _solve_pmedian(
    cost: np.ndarray,
    w: np.ndarray,
    d0: np.ndarray,
    ex_cost: np.ndarray,
    n: int,
    time_limit_s: float,
    seeds: Sequence[int] = (),
    pool_size: int = PMEDIAN_POOL,
) -> tuple[list[int] | None, bool, str]:
    """p-median over the uncovered demand with the nearest existing offices as predefined facilities.

    spopt's p-median is dense (one assignment variable per demand × site), so the candidates are
    the ``pool_size`` best single sites (largest weighted distance saved) plus ``seeds`` (the greedy
    picks, so the result is never worse than greedy); "optimal" then means optimal among the pool
    and is only claimed when the pool holds every candidate that is nearer than an existing office.
    """
    from spopt.locate import PMedian

    if cost.shape[0] == 0:
        return [], True, "nothing to cover"
    saved = (w[:, None] * np.maximum(0.0, d0[:, None] - cost)).sum(axis=0)
    useful = np.flatnonzero(saved > 0)
    if len(useful) == 0:
        return [], True, "no candidate is nearer than the existing offices"
    pool = np.union1d(useful[np.argsort(-saved[useful], kind="stable")[:pool_size]], np.asarray(seeds, int))
    p = min(int(n), len(pool))
    ex_cols = np.unique(np.argmin(ex_cost, axis=1)) if ex_cost.shape[1] else np.zeros(0, int)
    full = np.hstack([cost[:, pool], ex_cost[:, ex_cols]])
    predefined = np.r_[np.zeros(len(pool), bool), np.ones(len(ex_cols), bool)]
    with _no_pulp_deprecations():
        model = PMedian.from_cost_matrix(
            full,
            np.asarray(w, float),
            p_facilities=p + len(ex_cols),
            predefined_facilities_arr=predefined if len(ex_cols) else None,
            name="pmedian",
        )
    if not _run(model, time_limit_s):
        return None, False, NO_SOLUTION
    chosen = [int(pool[j]) for j, v in enumerate(model.fac_vars[: len(pool)]) if (v.value() or 0) > 0.5]
    optimal, status = _status(model.problem)
    if len(pool) < len(useful):
        status = (
            f"{status} among the {len(pool)} best single sites (of {len(useful)} nearer than an existing "
            "office); not proven optimal over all candidates"
        )
        optimal = False
    return chosen, optimal, status


def split_unknown(result: ScenarioResult, unknown: pd.Series) -> ScenarioResult:
    """Tell confirmed gaps from areas beyond the distance where presence is unknown.

    ``unknown`` is :func:`geo_app.analysis.gaps.presence_unknown` (the register does not know a
    counted agency's presence in or near the area's kommun). What-if points do not change it. The
    siting result counts every rule area beyond the distance as ``gap_*``; here those sums stay
    (they are "beyond the distance from listed offices": population, unemployed) and
    ``known_gap_areas_*`` / ``unknown_areas_*`` split the area counts. ``areas`` gains
    ``presence_unknown``; a never-known status is not reported as a gap.
    """
    u = unknown.reindex(result.areas.index).fillna(False).astype(bool)
    areas = result.areas.assign(presence_unknown=u & result.areas["rule"])
    hit = areas[areas["rule"]]
    extra = pd.DataFrame(
        {
            f"{what}_{when}": (hit[f"gap_{when}"] & (hit["presence_unknown"] == (what == "unknown_areas"))).astype(int)
            for what in ("known_gap_areas", "unknown_areas")
            for when in ("before", "after")
        },
        index=hit.index,
    )
    kommuner = result.kommuner.join(extra.groupby(hit["kommunkod"]).sum())
    national = pd.concat([result.national, extra.sum()])
    return replace(result, areas=areas, kommuner=kommuner, national=national)


# --------------------------------------------------------------------------- tables
