"""What-if scenarios and suggested sites as the pages show them (no Streamlit).

The analysis is :mod:`geo_app.analysis.siting`; this module holds what the "Scenario" and
"Förslag" pages need around it:

* the scenario in the URL — added points ``s_add=lon,lat:agency;…``, closed offices
  ``s_rm=id,id``, the rule ``s_year, s_types, s_ind, s_above, s_km, s_ag`` — encoded and decoded
  by pure functions; hostile or broken values are dropped with a message (never an exception);
* the check that added points lie in Sweden (per point, so one bad point does not sink the rest);
* before → after tables (national and per kommun) with translated headers, and the changed areas;
* the deck layers: changed areas filled ("closed" green, "opened" red), remaining gaps, offices
  (closed ones crossed out), added points, suggested sites;
* the downloads: a GeoPackage (EPSG:3006) and an XLSX workbook.
"""

from __future__ import annotations

import json
import math
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import pyogrio

from geo_app.analysis import siting
from geo_app.analysis.gaps import CHALLENGED_TYPES, DEFAULT_MAX_KM, OUTSIDE_TOLERANCE_M, distance_outside_m
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.presence import AGENCIES
from geo_app.analysis.register import check_as_of
from geo_app.errors import InputError
from geo_app.export import qml
from geo_app.export.gpkg import style_row
from geo_app.export.spreadsheet import to_xlsx
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import declared_types_year
from geo_app.views import gap_view, mapdata, mapspec

MAX_POINTS = 50  # added points kept from a URL or the page
MAX_PARAM_CHARS = 4000  # longer URL values are refused whole
KM_RANGE = (1.0, 100.0)
ADD_KEY, REMOVE_KEY = "s_add", "s_rm"
RULE_KEYS = ("s_year", "s_types", "s_ind", "s_above", "s_km", "s_ag", "s_asof")
CHANGE_COLOURS = {"closed": [26, 152, 80, 200], "opened": [215, 48, 39, 200]}
ADDED_COLOUR = [255, 140, 0, 255]
SUGGESTED_COLOUR = [255, 200, 0, 255]
MEASURES = ("known_gap_areas", "unknown_areas", "gap_population", "gap_unemployed")
UNSPLIT_MEASURES = ("gap_areas", "gap_population", "gap_unemployed")  # a result without split_unknown
OFFICE_LAYER, AREA_LAYER = "scenario_kontor", "omraden_fore_efter"  # GeoPackage layers

Problem = tuple[str, dict[str, object]]  # (string key, format arguments): translated by the page


@dataclass(frozen=True)
class NewPoint:
    """A what-if office: WGS84 degrees and an agency (af, ssc, other)."""

    lon: float
    lat: float
    agency: str = "af"


@dataclass(frozen=True)
class ScenarioState:
    """Everything a scenario link holds: the rule's choices, added points, closed office ids.

    ``year`` defaults to the declared default områdestyp year (``layers/omradestyp.toml``).
    """

    year: int = field(default_factory=declared_types_year)
    types: tuple[int, ...] = CHALLENGED_TYPES
    indicator: str = "default"
    above: float = gap_view.DEFAULT_ABOVE
    max_km: float = DEFAULT_MAX_KM
    agencies: tuple[str, ...] = ("af", "ssc")
    as_of: str = ""  # presence on this date (YYYY-MM-DD); "" = today
    points: tuple[NewPoint, ...] = ()
    removed: tuple[str, ...] = ()

    def rule(self, bundle: Bundle) -> siting.GapRule:
        """The gap rule (same builder as the gap page and the CLI)."""
        return gap_view.rule_from_options(
            bundle,
            year=self.year,
            types=self.types,
            indicator=self.indicator,
            above=self.above,
            max_km=self.max_km,
            agencies=self.agencies,
        )


# --------------------------------------------------------------------------- URL


def _num(x: float) -> str:
    """A coordinate or threshold with at most 5 decimals (≈ 1 m), no trailing zeros."""
    text = f"{round(float(x), 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def encode_points(points: Iterable[NewPoint]) -> str:
    """``lon,lat:agency;lon,lat:agency`` (5 decimals)."""
    return ";".join(f"{_num(p.lon)},{_num(p.lat)}:{p.agency}" for p in points)


def decode_points(text: str | None, default_agency: str = "af") -> tuple[tuple[NewPoint, ...], list[Problem]]:
    """Parse :func:`encode_points` text; broken items are skipped with a problem each.

    Only syntax is checked here (numbers, degrees, agency, count); whether a point lies in
    Sweden is :func:`check_points`.
    """
    if not text:
        return (), []
    if len(text) > MAX_PARAM_CHARS:
        return (), [("scen.url.too_long", {"what": ADD_KEY, "n": MAX_PARAM_CHARS})]
    points: list[NewPoint] = []
    problems: list[Problem] = []
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        if len(points) >= MAX_POINTS:
            problems.append(("scen.url.too_many", {"n": MAX_POINTS}))
            break
        coords, _, agency = item.partition(":")
        agency = agency.strip() or default_agency
        try:
            lon, lat = (float(x) for x in coords.split(","))
        except ValueError:
            problems.append(("scen.url.bad_point", {"item": item[:60]}))
            continue
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            problems.append(("scen.url.bad_point", {"item": item[:60]}))
            continue
        if agency not in AGENCIES:
            problems.append(("scen.url.bad_agency", {"item": item[:60]}))
            continue
        points.append(NewPoint(round(lon, 5), round(lat, 5), agency))
    return tuple(points), problems


def encode_state(state: ScenarioState, defaults: ScenarioState | None = None) -> dict[str, str | None]:
    """Query parameters for ``state``; values equal to ``defaults`` (and empty lists) become ``None`` (removed)."""
    d = defaults or ScenarioState()
    values: dict[str, tuple[object, object]] = {
        "s_year": (state.year, d.year),
        "s_types": (",".join(map(str, state.types)), ",".join(map(str, d.types))),
        "s_ind": (state.indicator, d.indicator),
        "s_above": (_num(state.above), _num(d.above)),
        "s_km": (_num(state.max_km), _num(d.max_km)),
        "s_ag": (",".join(state.agencies), ",".join(d.agencies)),
        "s_asof": (state.as_of, d.as_of),
    }
    out: dict[str, str | None] = {k: (None if v == dv else str(v)) for k, (v, dv) in values.items()}
    out[ADD_KEY] = encode_points(state.points) or None
    out[REMOVE_KEY] = ",".join(state.removed) or None
    return out


def decode_state(
    params: Mapping[str, str | None],
    defaults: ScenarioState,
    *,
    years: Sequence[int],
    indicators: Sequence[str],
    office_ids: Iterable[str],
) -> tuple[ScenarioState, list[Problem]]:
    """A scenario from query parameters; every unusable value falls back to ``defaults`` with a problem.

    Parameters
    ----------
    params : mapping
        The URL's query parameters (strings).
    defaults : ScenarioState
        The page's defaults (e.g. the default indicator, the latest year).
    years, indicators : sequence
        Allowed områdestyp years and indicator ids (``"none"`` included by the caller).
    office_ids : iterable of str
        Ids of offices that can be closed.
    """
    problems: list[Problem] = []

    def get(key: str) -> str | None:
        value = params.get(key)
        if value is None or str(value).strip() == "":
            return None
        value = str(value)
        if len(value) > MAX_PARAM_CHARS:
            problems.append(("scen.url.too_long", {"what": key, "n": MAX_PARAM_CHARS}))
            return None
        return value.strip()

    def bad(key: str, value: str) -> None:
        problems.append(("scen.url.bad_value", {"param": key, "value": value[:60]}))

    state = defaults
    if (v := get("s_year")) is not None:
        if v.isdigit() and int(v) in years:
            state = replace(state, year=int(v))
        else:
            bad("s_year", v)
    if (v := get("s_types")) is not None:
        try:
            types = tuple(sorted({int(x) for x in v.split(",") if x.strip()}))
            if not types or not set(types) <= {1, 2, 3, 4, 5}:
                raise ValueError(v)
            state = replace(state, types=types)
        except ValueError:
            bad("s_types", v)
    if (v := get("s_ind")) is not None:
        if v in indicators:
            state = replace(state, indicator=v)
        else:
            bad("s_ind", v)
    if (v := get("s_above")) is not None:
        try:
            above = float(v)
            if not (math.isfinite(above) and above >= 0):
                raise ValueError(v)
            state = replace(state, above=above)
        except ValueError:
            bad("s_above", v)
    if (v := get("s_km")) is not None:
        try:
            km = float(v)
            if not (KM_RANGE[0] <= km <= KM_RANGE[1]):
                raise ValueError(v)
            state = replace(state, max_km=km)
        except ValueError:
            bad("s_km", v)
    if (v := get("s_ag")) is not None:
        agencies = tuple(dict.fromkeys(a.strip() for a in v.split(",") if a.strip()))
        if agencies and set(agencies) <= set(AGENCIES):
            state = replace(state, agencies=agencies)
        else:
            bad("s_ag", v)
    if (v := get("s_asof")) is not None:
        try:
            state = replace(state, as_of=check_as_of(v).isoformat())
        except (InputError, ValueError):
            bad("s_asof", v)
    points, point_problems = decode_points(get(ADD_KEY), state.agencies[0])
    problems += point_problems
    removed: list[str] = []
    known = set(office_ids)
    if (v := get(REMOVE_KEY)) is not None:
        for oid in dict.fromkeys(x.strip() for x in v.split(",") if x.strip()):
            if oid in known:
                removed.append(oid)
            else:
                problems.append(("scen.url.unknown_office", {"id": oid[:60]}))
    return replace(state, points=points, removed=tuple(removed)), problems


# --------------------------------------------------------------------------- points and offices


def check_points(
    points: Sequence[NewPoint], areas: gpd.GeoDataFrame, tolerance_m: float = OUTSIDE_TOLERANCE_M
) -> tuple[tuple[NewPoint, ...], list[Problem]]:
    """Keep the points on land in Sweden; each other one becomes a problem (with a swapped lon/lat hint)."""
    if not points:
        return (), []
    lon = np.array([p.lon for p in points], float)
    lat = np.array([p.lat for p in points], float)
    land = areas.geometry.values
    outside = distance_outside_m(siting.lonlat_to_metric(lon, lat), land)
    swapped = distance_outside_m(siting.lonlat_to_metric(lat, lon), land)
    keep, problems = [], []
    for p, out, sw in zip(points, outside, swapped, strict=True):
        if out <= tolerance_m:
            keep.append(p)
        else:
            key = "scen.point_swapped" if sw <= tolerance_m else "scen.point_outside"
            problems.append((key, {"lon": _num(p.lon), "lat": _num(p.lat), "km": round(out / 1000, 1)}))
    return tuple(keep), problems


def place_of(points: Sequence[NewPoint], areas: gpd.GeoDataFrame) -> list[tuple[str, str, str]]:
    """The (area code, area name, kommun name) each point lies in (or is nearest to)."""
    if not points:
        return []
    geom = siting.lonlat_to_metric([p.lon for p in points], [p.lat for p in points])
    _, idx = areas.sindex.nearest(geom, return_all=False)
    rows = areas.iloc[idx]
    return list(zip(rows.index.astype(str), rows["regsonamn"].astype(str), rows["kommunnamn"].astype(str), strict=True))


def added_offices(points: Sequence[NewPoint], areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Office rows for checked points (``new-1, new-2, …``), named after the area they are in."""
    frame = pd.DataFrame(
        {
            "lon": [p.lon for p in points],
            "lat": [p.lat for p in points],
            "agency": [p.agency for p in points],
            "name": [f"Ny punkt {i + 1}: {a}, {k}" for i, (_, a, k) in enumerate(place_of(points, areas))],
        }
    )
    return siting.new_offices(frame, areas)


def office_label(offices: gpd.GeoDataFrame, kommun_names: Mapping[str, str], lang: str = "sv") -> dict[str, str]:
    """Office id → "AF · Name (Kommun)" for pick lists."""
    short = {"af": "AF", "ssc": "SSC", "other": t("agency.other.short", lang)}
    return {
        str(oid): f"{short.get(a, a)} · {n} ({kommun_names.get(k, k)})"
        for oid, a, n, k in zip(offices.index, offices["agency"], offices["name"], offices["kommunkod"], strict=True)
    }


# --------------------------------------------------------------------------- search


def fold(text: str) -> str:
    """Casefold without diacritics, GeoNames' ASCII spellings merged (``Malmoe`` = ``Malmö`` = ``malmo``)."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("oe", "o").replace("ae", "a").replace("-", " ")


def search_table(candidates: gpd.GeoDataFrame) -> pd.DataFrame:
    """Towns and areas to search (from :func:`geo_app.analysis.siting.candidate_sites`): label, lon, lat, key."""
    ll = candidates.geometry.to_crs(4326)
    kind = candidates["kind"].map({"town": "ort", "area": "RegSO", "ssc": "SSC"}).fillna(candidates["kind"])
    label = candidates["name"].astype(str) + " (" + candidates["kommunnamn"].astype(str) + ", " + kind + ")"
    out = pd.DataFrame(
        {
            "label": label,
            "lon": ll.x.round(5),
            "lat": ll.y.round(5),
            "key": [fold(f"{n} {k}") for n, k in zip(candidates["name"], candidates["kommunnamn"], strict=True)],
            "town": candidates["kind"] == "town",
        },
        index=candidates.index,
    )
    return out.sort_values(["town", "label"], ascending=[False, True])


def search(table: pd.DataFrame, query: str, limit: int = 30) -> pd.DataFrame:
    """Rows whose name + kommun contain every word of ``query`` (folded); names starting with it first."""
    words = fold(query).split()
    if not words:
        return table.iloc[:0]
    hit = np.ones(len(table), bool)
    for w in words:
        hit &= table["key"].str.contains(w, regex=False).to_numpy()
    found = table[hit]
    starts = found["key"].str.startswith(words[0])
    return pd.concat([found[starts], found[~starts]]).head(limit)


# --------------------------------------------------------------------------- unknown presence


def unemployed_kind_key(kind: str) -> str:
    """``kind.estimate`` / ``kind.imported`` for an :func:`~geo_app.analysis.siting.unemployed_for` label."""
    return "kind.imported" if str(kind).startswith("imported") else "kind.estimate"


def measure_label(
    measure: str, lang: str, unemployed_kind: str = "", max_km: float | None = None, year: int | str = ""
) -> str:
    """Translated name of a before/after measure; population says its year, the unemployed their kind."""
    km = fmt_number(max_km or 0, 0 if float(max_km or 0).is_integer() else 1, lang)
    if measure == "gap_unemployed":
        return t("scen.m.gap_unemployed", lang, kind=t(unemployed_kind_key(unemployed_kind), lang), km=km)
    return t(f"scen.m.{measure}", lang, km=km, year=year)


def measures_of(result: siting.ScenarioResult) -> tuple[str, ...]:
    """The before/after measures a result has: known gaps and unknown presence split, or not."""
    return MEASURES if "known_gap_areas_before" in result.national else UNSPLIT_MEASURES


def national_table(result: siting.ScenarioResult, lang: str, max_km: float, pop_year: int | str = "") -> pd.DataFrame:
    """Before, after and change per measure for Sweden (numbers; the page formats them the Swedish way)."""
    nat = result.national
    rows = []
    for m in measures_of(result):
        if f"{m}_before" not in nat:
            continue
        before, after = float(nat[f"{m}_before"]), float(nat[f"{m}_after"])
        rows.append(
            {
                t("scen.col.measure", lang): measure_label(m, lang, result.unemployed_kind, max_km, pop_year),
                t("scen.col.before", lang): before,
                t("scen.col.after", lang): after,
                t("scen.col.change", lang): after - before,
            }
        )
    return pd.DataFrame(rows).set_index(t("scen.col.measure", lang))


def cards(result: siting.ScenarioResult, lang: str, max_km: float, pop_year: int | str = "") -> list[dict[str, str]]:
    """Metric cards: label, before, after and the change, formatted the Swedish way."""
    out = []
    nat = result.national
    for m in measures_of(result):
        if f"{m}_before" not in nat:
            continue
        before, after = float(nat[f"{m}_before"]), float(nat[f"{m}_after"])
        delta = after - before
        out.append(
            {
                "measure": m,
                "label": measure_label(m, lang, result.unemployed_kind, max_km, pop_year),
                "before": fmt_number(before, 0, lang),
                "after": fmt_number(after, 0, lang),
                "delta": ("+" if delta > 0 else "") + fmt_number(delta, 0, lang) if delta else "0",
            }
        )
    return out


_KOMMUN_COLUMNS = {
    "kommunnamn": "col.kommunnamn",
    "rule_areas": "scen.col.rule_areas",
    "known_gap_areas_before": "scen.col.known_gap_areas_before",
    "known_gap_areas_after": "scen.col.known_gap_areas_after",
    "unknown_areas_before": "scen.col.unknown_areas_before",
    "unknown_areas_after": "scen.col.unknown_areas_after",
    "gap_areas_before": "scen.col.gap_areas_before",
    "gap_areas_after": "scen.col.gap_areas_after",
    "gap_population_before": "scen.col.gap_population_before",
    "gap_population_after": "scen.col.gap_population_after",
    "gap_unemployed_before": "scen.col.gap_unemployed_before",
    "gap_unemployed_after": "scen.col.gap_unemployed_after",
    "changed": "scen.col.changed",
}
_AREA_COLUMNS = {
    "regsonamn": "col.regsonamn",
    "kommunnamn": "col.kommunnamn",
    "omradestyp": "col.omradestyp",
    "population": "col.population",
    "dist_km_before": "scen.col.km_before",
    "dist_km_after": "scen.col.km_after",
    "nearest_after": "scen.col.nearest_after",
    "change": "scen.col.change_status",
    "presence_unknown": "scen.col.presence_unknown",
}
DECIMALS = {"km": 1, "unemployed": 0}


def kommun_table(result: siting.ScenarioResult, lang: str) -> pd.DataFrame:
    """Per kommun with rule areas: gap areas, population and unemployed before/after (translated headers)."""
    table = result.kommuner
    keep = [c for c in _KOMMUN_COLUMNS if c in table.columns]
    if "known_gap_areas_before" in keep:  # split: the all-areas count is the sum of the two
        keep = [c for c in keep if c not in ("gap_areas_before", "gap_areas_after")]
    out = table[keep].copy()
    out["changed"] = out["changed"].map({True: t("yes", lang), False: t("no", lang)})
    kind = t(unemployed_kind_key(result.unemployed_kind), lang)
    out.columns = [t(_KOMMUN_COLUMNS[c], lang, kind=kind) for c in keep]
    out.index.name = t("col.kommunkod", lang)
    return out


def changed_area_table(result: siting.ScenarioResult, lang: str, office_names: Mapping[str, str]) -> pd.DataFrame:
    """The rule's areas whose gap status changed (closed first, then opened), translated headers."""
    areas = result.areas[result.areas["change"] != ""]
    order = areas["change"].map({"closed": 0, "opened": 1})
    areas = areas.assign(_o=order).sort_values(["_o", "dist_km_before"], ascending=[True, False])
    cols = [c for c in _AREA_COLUMNS if c in areas.columns]
    out = areas[cols].copy()
    if "presence_unknown" in out:
        out["presence_unknown"] = out["presence_unknown"].map({True: t("yes", lang), False: t("no", lang)})
    out["nearest_after"] = out["nearest_after"].map(lambda o: office_names.get(str(o), str(o)) if o else "")
    out["change"] = out["change"].map(lambda c: t(f"scen.change.{c}", lang))
    out.columns = [t(_AREA_COLUMNS[c], lang) for c in cols]
    out.index.name = t("col.regsokod", lang)
    return out


def number_formats(table: pd.DataFrame, lang: str) -> dict[str, int]:
    """Decimals per displayed column: distances 1, the rest 0 (for ``ui.formatted_table``)."""
    km = {t("scen.col.km_before", lang), t("scen.col.km_after", lang)}
    return {c: (1 if c in km else 0) for c in table.columns if pd.api.types.is_numeric_dtype(table[c])}


# --------------------------------------------------------------------------- map


def _scatter(layer_id: str, records: list[dict], fill, line, radius: float, width: float, filled=True) -> pdk.Layer:
    return gap_view.point_layer(layer_id, records, fill if filled else None, line, radius, width)


def changed_areas_layer(bundle: Bundle, result: siting.ScenarioResult) -> pdk.Layer | None:
    """The areas whose gap status changed, filled green ("closed": no longer a gap) or red ("opened")."""
    changed = result.areas.loc[result.areas["change"] != "", "change"]
    if changed.empty:
        return None
    geoms = bundle.display["regso"].reindex(changed.index).dropna()
    props = pd.DataFrame({"change": changed.reindex(geoms.index)})
    fc = json.loads(mapdata.feature_collection(geoms, props).decode("utf-8"))
    for feature in fc["features"]:
        feature["properties"]["color"] = CHANGE_COLOURS[feature["properties"]["change"]]
    return pdk.Layer(
        "GeoJsonLayer",
        id="changed_areas",
        data=fc,
        pickable=False,
        filled=True,
        stroked=True,
        get_fill_color="properties.color",
        get_line_color=[30, 30, 30, 255],
        line_width_units=pdk.types.String("pixels"),
        get_line_width=2,
    )


def point_records(lon: Iterable[float], lat: Iterable[float]) -> list[dict]:
    """Small inline records ``{"position": [lon, lat]}`` for a scatter layer."""
    return [{"position": [round(float(x), 5), round(float(y), 5)]} for x, y in zip(lon, lat, strict=True)]


def scenario_layers(
    bundle: Bundle,
    result: siting.ScenarioResult,
    offices: gpd.GeoDataFrame,
    points: gpd.GeoSeries,
    show_closed: bool = False,
) -> list[pdk.Layer]:
    """Layers above the area map: changed areas, gaps after, offices after, closed offices, added points."""
    layers: list[pdk.Layer] = []
    changed = changed_areas_layer(bundle, result)
    if changed is not None:
        layers.append(changed)
    layers.append(gap_view.gap_marker_layer(points[result.areas["gap_after"]]))
    kept = offices.drop(index=list(result.removed))
    layers += gap_view.office_layers(gap_view.office_points(kept, show_closed))
    if result.removed:
        ll = offices.loc[list(result.removed)].geometry.to_crs(4326)
        layers.append(
            _scatter("removed_offices", point_records(ll.x, ll.y), [255, 255, 255, 0], [200, 0, 0, 255], 8, 3, False)
        )
    if len(result.added):
        ll = result.added.geometry.to_crs(4326)
        layers.append(_scatter("added_offices", point_records(ll.x, ll.y), ADDED_COLOUR, [0, 0, 0, 255], 9, 2))
    return layers


def suggestion_layers(s: siting.SiteSuggestion) -> list[pdk.Layer]:
    """Chosen sites (gold, black edge) and the greedy baseline's sites (small hollow grey rings)."""
    layers = []
    if len(s.greedy):
        layers.append(
            _scatter(
                "greedy_sites",
                point_records(s.greedy["lon"], s.greedy["lat"]),
                [0, 0, 0, 0],
                [90, 90, 90, 255],
                12,
                2,
                False,
            )
        )
    if len(s.sites):
        layers.append(
            _scatter(
                "suggested_sites", point_records(s.sites["lon"], s.sites["lat"]), SUGGESTED_COLOUR, [0, 0, 0, 255], 9, 2
            )
        )
    return layers


def focus_bounds(
    bundle: Bundle, result: siting.ScenarioResult, offices: gpd.GeoDataFrame, pad_deg: float = 0.25
) -> tuple[float, float, float, float]:
    """Bounds (degrees) around what the scenario changed: added points, closed offices, changed areas.

    All of Sweden when nothing changed.
    """
    xs: list[float] = []
    ys: list[float] = []
    for frame in (result.added, offices.loc[list(result.removed)]):
        if len(frame):
            ll = frame.geometry.to_crs(4326)
            xs += ll.x.tolist()
            ys += ll.y.tolist()
    for code in result.areas.index[result.areas["change"] != ""]:
        minx, miny, maxx, maxy = bundle.bounds.get(f"regso:{code}", (np.nan,) * 4)
        xs += [minx, maxx]
        ys += [miny, maxy]
    xs = [x for x in xs if np.isfinite(x)]
    ys = [y for y in ys if np.isfinite(y)]
    if not xs or not ys:
        return mapspec.SWEDEN_BOUNDS
    return (min(xs) - pad_deg, min(ys) - pad_deg / 2, max(xs) + pad_deg, max(ys) + pad_deg / 2)


def deck(
    bundle: Bundle,
    year: int,
    lang: str,
    layers: list[pdk.Layer],
    source_line: str,
    bounds: tuple[float, float, float, float] = mapspec.SWEDEN_BOUNDS,
) -> pdk.Deck:
    """Areas by områdestyp (by URL, pickable for clicks), borders, then ``layers`` on top.

    The same stable, light layers as the map page (:func:`geo_app.views.maplayers.map_layers`).
    """
    from geo_app.views import maplayers

    types_spec = bundle.layers["omradestyp"]
    base = maplayers.map_layers(bundle.files, bundle.layers, types_spec, year)
    tooltip = mapspec.tooltip_text(types_spec, year, lang, source_line, year)
    return mapspec.build_deck(base + layers, mapspec.view_for_bounds(bounds), tooltip)


# --------------------------------------------------------------------------- suggestions


def weight_label(weight: str, lang: str, unemployed_kind: str = "") -> str:
    """Demand weight with its kind: population (official), unemployed (estimate/imported), equal."""
    if weight == "unemployed":
        kind = t(unemployed_kind_key(unemployed_kind), lang) if unemployed_kind else t("kind.estimate", lang)
        return t("scen.weight.unemployed", lang, kind=kind)
    return t(f"scen.weight.{weight}", lang)


_SITE_COLUMNS = {
    "name": "scen.col.site",
    "kind": "scen.col.site_kind",
    "kommunnamn": "col.kommunnamn",
    "demand_added": "scen.col.demand_added",
    "areas_added": "scen.col.areas_added",
    "lon": "scen.col.lon",
    "lat": "scen.col.lat",
}


def sites_table(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Chosen sites: name, kind, kommun, demand and areas added, lon/lat (translated headers)."""
    keep = [c for c in _SITE_COLUMNS if c in sites.columns]
    out = sites[keep].copy()
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda k: t(f"scen.site_kind.{k}", lang))
    out.columns = [t(_SITE_COLUMNS[c], lang) for c in keep]
    out.index.name = t("scen.col.site_id", lang)
    return out


def suggestion_points(s: siting.SiteSuggestion, agency: str) -> tuple[NewPoint, ...]:
    """The chosen sites as what-if points (for "Gör till scenario")."""
    return tuple(
        NewPoint(round(float(x), 5), round(float(y), 5), agency)
        for x, y in zip(s.sites["lon"], s.sites["lat"], strict=True)
    )


# --------------------------------------------------------------------------- downloads


def export_frames(
    result: siting.ScenarioResult, offices: gpd.GeoDataFrame, geometry: gpd.GeoSeries
) -> dict[str, gpd.GeoDataFrame]:
    """The GeoPackage layers (EPSG:3006).

    ``scenario_kontor``: every office that counts after the scenario plus the closed ones, with
    ``andring`` (``ny`` / ``stangd`` / ``oforandrad``); ``omraden_fore_efter``: the rule's areas with
    distance and gap status before and after, in the export geometry.
    """
    status = pd.Series("oforandrad", index=offices.index.astype(str))
    status.loc[list(result.removed)] = "stangd"
    old = pd.DataFrame(
        {
            "kontor_id": offices.index.astype(str),
            "myndighet": offices["agency"].map(AGENCIES),
            "agency": offices["agency"],
            "namn": offices["name"].astype(str),
            "status": offices["status"],
            "andring": status.to_numpy(),
        }
    )
    new = pd.DataFrame(
        {
            "kontor_id": result.added.index.astype(str),
            "myndighet": result.added["agency"].map(AGENCIES),
            "agency": result.added["agency"],
            "namn": result.added["name"].astype(str),
            "status": "open",
            "andring": "ny",
        }
    )
    geoms = np.concatenate(
        [offices.geometry.to_crs(METRIC_CRS).values, result.added.geometry.to_crs(METRIC_CRS).values]
    )
    kontor = gpd.GeoDataFrame(pd.concat([old, new], ignore_index=True), geometry=geoms, crs=METRIC_CRS)
    areas = result.areas[result.areas["rule"]].drop(columns="rule").copy()
    for c in ("nearest_before", "nearest_after"):
        areas[c] = areas[c].astype("string").fillna("")
    areas.index.name = "regsokod"
    omr = gpd.GeoDataFrame(areas.reset_index(), geometry=geometry.reindex(areas.index).to_numpy(), crs=METRIC_CRS)
    return {OFFICE_LAYER: kontor, AREA_LAYER: omr}


def qgis_styles() -> pd.DataFrame:
    """``layer_styles`` rows for QGIS: offices by ``andring`` (new / closed / unchanged), areas by ``change``."""
    office_cats = [
        ("ny", "Nytt kontor (scenario)", qml.marker_symbol("", "#ff8c00", "star", 5.0)),
        ("stangd", "Stängt kontor (scenario)", qml.marker_symbol("", "#c80000", "cross2", 4.0)),
        ("oforandrad", "Oförändrat kontor", qml.marker_symbol("", "#0b5394", "circle", 2.5)),
        (None, "Uppgift saknas", qml.marker_symbol("", "#5a5a5a", "diamond", 2.5)),
    ]
    area_cats = [
        ("closed", "Lucka stängd (inom avståndet efter)", qml.fill_symbol("", "#1a9850")),
        ("opened", "Ny lucka (utanför avståndet efter)", qml.fill_symbol("", "#d73027")),
        ("", "Oförändrad", qml.fill_symbol("", "#dadaeb", alpha=160)),
        (None, "Uppgift saknas", qml.fill_symbol("", "#bdbdbd", alpha=120)),
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    rows = [
        (OFFICE_LAYER, "andring", qml.categorized("andring", office_cats, geometry="point"), "Kontor i scenariot"),
        (AREA_LAYER, "forandring", qml.categorized("change", area_cats), "Områden före/efter scenariot"),
    ]
    return pd.DataFrame(
        [style_row(layer, name, text, True, description, stamp) for layer, name, text, description in rows]
    )


def to_gpkg(frames: Mapping[str, gpd.GeoDataFrame]) -> bytes:
    """The frames as one GeoPackage (bytes; points stay points, areas become MultiPolygons), styled for QGIS."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.gpkg"
        for i, (name, frame) in enumerate(frames.items()):
            is_point = name.endswith("kontor")
            pyogrio.write_dataframe(
                frame,
                path,
                layer=name,
                driver="GPKG",
                append=i > 0,
                geometry_type="Point" if is_point else "MultiPolygon",
                promote_to_multi=not is_point,
                layer_options={"GEOMETRY_NAME": "geom", "DESCRIPTION": f"Närvarokartan scenario: {name}"},
                dataset_options={"VERSION": "1.2"} if i == 0 else None,
            )
        pyogrio.write_dataframe(
            qgis_styles(), path, layer="layer_styles", driver="GPKG", append=True, layer_options={"FID": "id"}
        )
        return path.read_bytes()


def to_workbook(result: siting.ScenarioResult, lang: str, max_km: float, pop_year: int | str = "") -> bytes:
    """One XLSX: national before/after, per kommun, the rule's areas, added and closed offices."""
    areas = result.areas[result.areas["rule"]].drop(columns="rule")
    added = result.added.drop(columns="geometry").assign(
        lon=result.added.geometry.to_crs(4326).x.round(5), lat=result.added.geometry.to_crs(4326).y.round(5)
    )
    return to_xlsx(
        {
            "riket": national_table(result, lang, max_km, pop_year),
            "kommuner": result.kommuner,
            "omraden": areas,
            "nya_kontor": pd.DataFrame(added),
            "stangda_kontor": pd.DataFrame({"kontor_id": list(result.removed)}),
        }
    )
