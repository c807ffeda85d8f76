"""Presence gaps as the page shows them: rule choices, indicator menu, map layers (no Streamlit).

The CLI (``geo-app gaps``) and the page both build their :class:`~geo_app.analysis.gaps.GapRule`
here, so the same options give the same tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from geo_app.analysis.gaps import COUNTING_STATUSES, DEFAULT_MAX_KM, DEFAULT_RADIUS_KM, DEFAULT_TYPES, GapRule
from geo_app.analysis.presence import REFERENCE_COUNTS
from geo_app.errors import InputError
from geo_app.i18n import t
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import AGENCY_COLOURS, LayerSpec, hex_to_rgba
from geo_app.views.presence_view import agency_name

DEFAULT_ABOVE = 20.0
OFFICIAL_UNEMPLOYMENT = "arbetsloshet_scb"  # SCB BAS per area, unemployed ÷ labour force 20–64 (2024)
ESTIMATE_UNEMPLOYMENT = "arbetsloshet_af_modell"  # the model estimate on BAS's measure (2020–2023)
UNEMPLOYMENT_WORDS = ("arbetsl", "unemploy")
STATUS_ALPHA = {"open": 255, "closing": 255, "uncertain": 170, "closed": 110, "planned": 110}
CLOSED_COLOUR = [70, 70, 70, 230]  # closed offices: a dark grey ring whatever the agency
UNKNOWN_COLOUR = [80, 80, 80, 220]  # areas where presence is unknown: a grey ring, not the purple gap blot


def indicator_layers(bundle: Bundle) -> list[LayerSpec]:
    """RegSO-level graduated layers usable in the rule: imported first, then estimates, then official."""
    order = {"imported": 0, "estimate": 1, "official": 2}
    specs = [s for s in bundle.layers.values() if s.level == "regso" and s.style == "graduated" and s.kind in order]
    return sorted(specs, key=lambda s: (order[s.kind], s.order))


def default_indicator(bundle: Bundle) -> LayerSpec | None:
    """The rule's default unemployment indicator.

    Imported unemployment (the user's real figures win), else SCB's official per-area figure
    (:data:`OFFICIAL_UNEMPLOYMENT`, 2024), else the model estimate (years without official figures).
    """
    for spec in indicator_layers(bundle):
        if spec.kind == "imported" and any(w in spec.title_in("sv").casefold() for w in UNEMPLOYMENT_WORDS):
            return spec
    return bundle.layers.get(OFFICIAL_UNEMPLOYMENT) or bundle.layers.get(ESTIMATE_UNEMPLOYMENT)


def rule_from_options(
    bundle: Bundle,
    *,
    year: int | None = None,
    types=DEFAULT_TYPES,
    indicator: str | None = "default",
    above: float | None = DEFAULT_ABOVE,
    max_km: float = DEFAULT_MAX_KM,
    agencies=("af", "ssc"),
    radius_km: float = DEFAULT_RADIUS_KM,
    measure: str = "straight",
    max_min: float | None = None,
) -> GapRule:
    """Build a rule from user choices.

    ``indicator`` is a layer id, an area column, ``"default"`` (see :func:`default_indicator`)
    or ``None``/``"none"`` (områdestyp only). ``year`` is the områdestyp year (default: the
    ``omradestyp`` declaration's ``default_year``). A layer with years uses ``year`` if it has
    it, else its latest year.
    """
    if year is None:
        year = bundle.types_year
    if indicator in (None, "", "none"):
        return GapRule(year, tuple(types), None, None, "", max_km, tuple(agencies), radius_km, measure, max_min)
    spec = default_indicator(bundle) if indicator == "default" else bundle.layers.get(indicator)
    if spec is not None:
        column, kind = spec.column_for(spec.year_for(year)), spec.kind
    elif indicator in bundle.regso.columns:
        column, kind = indicator, "official"
    else:
        names = ", ".join(s.id for s in indicator_layers(bundle))
        raise InputError(f"unknown indicator {indicator!r} (layers: {names})")
    return GapRule(year, tuple(types), column, above, kind, max_km, tuple(agencies), radius_km, measure, max_min)


def office_points(offices: gpd.GeoDataFrame, show_closed: bool = False) -> pd.DataFrame:
    """Office records for the map (EPSG:4326), one row per office; closed ones only if asked."""
    shown = offices if show_closed else offices[offices["status"].isin(("open", "closing", "uncertain", "planned"))]
    ll = shown.geometry.to_crs(4326)
    return pd.DataFrame(
        {
            "lon": ll.x.round(5),
            "lat": ll.y.round(5),
            "agency": shown["agency"],
            "name": shown["name"],
            "status": shown["status"],
        },
        index=shown.index,
    )


def office_layers(
    points: pd.DataFrame,
    fields: pd.DataFrame | None = None,
    publish: Callable[[bytes, str], str] | None = None,
) -> list[pdk.Layer]:
    """Office layers: AF thick rings, SSC filled dots, kommunsamverkan orange dots, other offices small dots.

    Closed offices (when shown) are a separate layer of small dark-grey rings, whatever the agency.

    Other offices have a dark edge (shape, not only colour); planned ones are faded.

    With ``fields`` (per office, the map's tooltip keys: :func:`geo_app.views.office_view.office_tooltips`)
    the layers are pickable: each record carries its ``office`` id (what a click selects) and the
    tooltip's keys. With ``publish`` (:func:`geo_app.views.static_files.publish`) the records go to a
    static file and the spec holds its URL. Layer ids stay the same either way.
    """
    from geo_app.views.office_view import office_records

    styles = {  # agency: (filled, radius px, line width px)
        "af": (False, 7, 3.5),
        "ssc": (True, 6, 1.5),
        "kommun": (True, 5, 2.0),
        "other": (True, 4, 1.5),
    }
    pickable = fields is not None

    def data(records: list[dict], layer_id: str) -> list[dict] | str:
        if publish is None:
            return records
        return publish(json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), layer_id)

    layers = []
    closed = points[points["status"] == "closed"]
    points = points[points["status"] != "closed"]
    for agency, (filled, radius, width) in styles.items():
        sub = points[points["agency"] == agency]
        if agency in ("other", "kommun") and sub.empty:
            continue
        records = [
            {
                "position": [r.lon, r.lat],
                "color": hex_to_rgba(AGENCY_COLOURS[agency], STATUS_ALPHA.get(r.status, 255)),
                **extra,
            }
            for r, extra in zip(sub.itertuples(), office_records(sub, fields), strict=True)
        ]
        edge = [20, 20, 20, 255] if agency in ("other", "kommun") else [255, 255, 255, 255]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=f"offices_{agency}",
                data=data(records, f"offices_{agency}"),
                get_position="position",
                filled=True,
                stroked=True,
                get_fill_color="color" if filled else [255, 255, 255, 230],
                get_line_color="color" if not filled else edge,
                radius_units=pdk.types.String("pixels"),
                get_radius=radius,
                line_width_units=pdk.types.String("pixels"),
                get_line_width=width,
                pickable=pickable,
            )
        )
    if not closed.empty:
        records = [
            {"position": [r.lon, r.lat], **extra}
            for r, extra in zip(closed.itertuples(), office_records(closed, fields), strict=True)
        ]
        layers.append(ring_layer("offices_closed", data(records, "offices_closed"), CLOSED_COLOUR, 4, 2, pickable))
    return layers


def ring_layer(
    layer_id: str, data: list[dict] | str, colour: list[int], radius_px: float, width_px: float, pickable: bool
) -> pdk.Layer:
    """Unfilled rings of a fixed pixel size at each record's ``position`` (closed offices, unknown areas)."""
    return point_layer(layer_id, data, None, colour, radius_px, width_px, pickable=pickable)


def point_layer(
    layer_id: str,
    data: list[dict] | str,
    fill: list[int] | str | None,
    line: list[int] | str,
    radius_px: float,
    width_px: float,
    pickable: bool = False,
) -> pdk.Layer:
    """Points of a fixed pixel size at each record's ``position``; ``fill`` None draws rings only."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=data,
        get_position="position",
        filled=fill is not None,
        stroked=True,
        get_fill_color=fill if fill is not None else [0, 0, 0, 0],
        get_line_color=line,
        radius_units=pdk.types.String("pixels"),
        get_radius=radius_px,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=width_px,
        pickable=pickable,
    )


def unknown_marker_layer(points: gpd.GeoSeries) -> pdk.Layer:
    """A grey ring on areas where presence is unknown (EPSG:3006 points): drawn apart from the gap blots."""
    pts = points.to_crs(4326)
    records = [{"position": [round(p.x, 5), round(p.y, 5)]} for p in pts]
    return ring_layer("unknown_areas", records, UNKNOWN_COLOUR, 12, 2.5, pickable=False)


def office_note(offices: gpd.GeoDataFrame, lang: str) -> str:
    """Note like "Incomplete register – N of about 112 AF …" on the offices' date.

    Per agency whose list an import replaced, say so.
    """
    usable = offices[offices["status"].isin(COUNTING_STATUSES)]
    counts = usable.groupby("agency").size()
    origin = offices["origin"]
    replaced = [
        a
        for a in ("af", "ssc")
        if (offices["agency"] == a).any() and not (origin[offices["agency"] == a] == "embedded").any()
    ]
    lines = [t("gaps.imported_list", lang, agency=agency_name(a, lang), n=int(counts.get(a, 0))) for a in replaced]
    if len(replaced) < 2:
        lines.insert(
            0,
            t(
                "gaps.incomplete",
                lang,
                af=int(counts.get("af", 0)),
                ssc=int(counts.get("ssc", 0)),
                af_ref=REFERENCE_COUNTS["af"],
                ssc_ref=REFERENCE_COUNTS["ssc"],
                day=offices.attrs.get("as_of", ""),
            ),
        )
    return "\n\n".join(lines)


_OFFICE_COLUMNS = {
    "agency": "offices.col.agency",
    "name": "offices.col.name",
    "kommunnamn": "col.kommunnamn",
    "status": "offices.col.status",
    "status_date": "offices.col.date",
    "precision": "offices.col.precision",
    "origin": "offices.col.origin",
    "source_url": "offices.col.source",
    "conflict": "presence.col.conflict",
    "source_text": "offices.col.source_text",
}


def http_link(value: object) -> str | None:
    """``value`` if it is an ``http(s)://`` URL (safe to make clickable), else None (``javascript:``, ``data:`` …)."""
    text = str(value or "").strip()
    return text if re.fullmatch(r"https?://[^\s<>\"']+", text, flags=re.IGNORECASE) else None


def origin_text(origin: str, lang: str) -> str:
    """Where an office row comes from: the embedded register, or the named import."""
    return t("offices.origin.embedded", lang) if origin == "embedded" else f"import: {origin}"


def office_table(offices: gpd.GeoDataFrame, kommun_names: pd.Series, lang: str) -> pd.DataFrame:
    """One row per office with agency, name, kommun, status + date, precision, origin and source (for display)."""
    out = pd.DataFrame(
        {
            "agency": offices["agency"].map(lambda a: agency_name(a, lang)),
            "name": offices["name"],
            "kommunnamn": offices["kommunkod"].map(kommun_names),
            "status": offices["status"].map(lambda s: t(f"status.{s}", lang)),
            "status_date": offices["status_date"].fillna(""),
            "precision": offices["precision"].map(lambda p: t(f"precision.{p}", lang)),
            "origin": offices["origin"].map(lambda o: origin_text(o, lang)),
            "conflict": offices["conflict"].fillna("") if "conflict" in offices else "",
            # only http(s) URLs go to the link column; anything else is shown as text beside it
            "source_url": offices["source_url"].map(http_link),
            "source_text": offices["source_url"].fillna("").map(lambda v: "" if http_link(v) else str(v)),
        },
        index=offices.index,
    )
    out = out.sort_values(["agency", "kommunnamn", "name"])
    return out.rename(columns={k: t(v, lang) for k, v in _OFFICE_COLUMNS.items()})


def gap_marker_layer(points: gpd.GeoSeries) -> pdk.Layer:
    """A purple halo on the given area points (EPSG:3006; small inline data).

    Sized in metres (1.5 km) with pixel bounds: small dots at national scale that do not
    merge into discs, a visible ring around the area when zoomed in.
    """
    pts = points.to_crs(4326)
    records = [{"position": [round(p.x, 5), round(p.y, 5)]} for p in pts]
    return pdk.Layer(
        "ScatterplotLayer",
        id="gap_areas",
        data=records,
        get_position="position",
        filled=True,
        get_fill_color=[120, 0, 160, 150],
        stroked=True,
        get_line_color=[255, 255, 255, 230],
        line_width_min_pixels=1,
        radius_units=pdk.types.String("meters"),
        get_radius=1500,
        radius_min_pixels=4,
        radius_max_pixels=22,
        pickable=False,
    )


_KOMMUN_COLUMNS = {
    "kommunnamn": "col.kommunnamn",
    "areas": "gaps.col.areas",
    "population": "col.population",
    "indicator_max": "gaps.col.indicator_max",
    "indicator_kind": "map.kind",
    "has_af": "gaps.col.has_af",
    "has_ssc": "gaps.col.has_ssc",
    "has_kommun": "presence.col.has_kommun",
    "gaps": "presence.col.gaps",
    "unknown": "presence.col.unknown",
    "state_af": "presence.col.state_af",
    "state_ssc": "presence.col.state_ssc",
    "state_kommun": "presence.col.state_kommun",
    "max_dist_km_any": "gaps.col.max_km",
    "mean_dist_km_any": "gaps.col.mean_km",
}
_AREA_COLUMNS = {
    "regsonamn": "col.regsonamn",
    "kommunnamn": "col.kommunnamn",
    "indicator": "gaps.col.indicator",
    "indicator_kind": "map.kind",
    "dist_km_any": "gaps.col.km_any",
    "nearest_any": "gaps.col.nearest_any",
    "dist_km_af": "gaps.col.km_af",
    "dist_km_ssc": "gaps.col.km_ssc",
    "road_min_any": "roads.col.min_any",
    "road_km_any": "roads.col.km_any",
    "detour_any": "roads.col.detour_any",
    "measure": "roads.col.measure",
}


def _display(
    table: pd.DataFrame, columns: dict[str, str], lang: str, index_key: str, indicator: str | None = None
) -> pd.DataFrame:
    keep = [c for c in columns if c in table.columns]
    out = table[keep].copy()
    if "indicator_kind" in out:
        out["indicator_kind"] = out["indicator_kind"].map(lambda k: t(f"kind.{k}", lang) if k else "")
    for agency in ("af", "ssc", "kommun"):
        has, state = f"has_{agency}", f"state_{agency}"
        if has in out and state in table:
            # unknown is not none: "no" only where a source says so, else "unknown"
            word = {"known": t("yes", lang), "none": t("no", lang), "unknown": t("presence.state.unknown", lang)}
            out[has] = [t("yes", lang) if h else word[s] for h, s in zip(out[has], table[state], strict=True)]
        elif has in out:
            # without the register's knowledge a missing office is "not in the list", never "no"
            out[has] = out[has].map({True: t("yes", lang), False: t("gaps.not_in_list", lang)})
        if state in out:
            out = out.drop(columns=state)
            keep = [c for c in keep if c != state]
    if "regsonamn" in out:
        out["regsonamn"] = out["regsonamn"].astype(str).str.removeprefix("RegSO-")
    if "measure" in out:
        out["measure"] = out["measure"].map(lambda m: t(f"roads.measure.{m}", lang))
    headers = [t(columns[c], lang) for c in keep]
    if indicator:  # say which indicator ("Indikator, högsta: Arbetslöshet … 2023 (%)")
        headers = [
            f"{h}: {indicator}" if c in ("indicator", "indicator_max") else h
            for c, h in zip(keep, headers, strict=True)
        ]
    out.columns = headers
    out.index.name = t(index_key, lang)
    return out


def indicator_label(bundle: Bundle, rule: GapRule, lang: str) -> str | None:
    """The rule's indicator in words: title, year and unit ("Arbetslöshet 20–64 (SCB) 2024 (%)")."""
    if not rule.indicator:
        return None
    for spec in indicator_layers(bundle):
        year = spec.year_for(rule.year)
        if spec.column_for(year) == rule.indicator:
            unit = spec.unit_in(lang)
            return f"{spec.title_in(lang)}{f' {year}' if year else ''}" + (f" ({unit})" if unit else "")
    return rule.indicator


def kommun_table_for_display(table: pd.DataFrame, lang: str, indicator: str | None = None) -> pd.DataFrame:
    """The kommun table with translated headers; ``indicator`` names the rule's indicator in its column."""
    return _display(table, _KOMMUN_COLUMNS, lang, "col.kommunkod", indicator)


def area_table_for_display(table: pd.DataFrame, lang: str, indicator: str | None = None) -> pd.DataFrame:
    """The gap-area table with translated headers and the area type and population kept (named, with year)."""
    out = _display(table, _AREA_COLUMNS, lang, "col.regsokod", indicator)
    for col in table.columns:
        for prefix, key in (("omradestyp_", "col.omradestyp"), ("folkmangd_", "col.folkmangd")):
            if col.startswith(prefix):
                out.insert(2, f"{t(key, lang)} {col.removeprefix(prefix)}", table[col])
    return out


# Decimals the gap tables show and download (distances and indicator one decimal).
def display_decimals(display: pd.DataFrame) -> dict[str, int]:
    """Column → decimals for a displayed gap table (floats one decimal; counts and people whole)."""
    return {c: 1 for c in display.columns if pd.api.types.is_float_dtype(display[c])}


def distance_about(rule: GapRule, lang: str) -> str:
    """The rule's distance in words: straight-line km, or car minutes / road km with the straight fallback."""
    from geo_app.i18n import fmt_number

    straight = f"> {fmt_number(rule.max_km, 1)} km ({t('about.straight_line', lang)})"
    if rule.measure != "road":
        return straight
    road = (
        t("roads.minutes", lang, n=fmt_number(rule.max_min, 0))
        if rule.max_min is not None
        else f"{fmt_number(rule.max_km, 1)} km"
    )
    return f"> {road} ({t('roads.measure.road', lang)}); {straight}"


def rule_about(
    bundle: Bundle, rule: GapRule, offices: gpd.GeoDataFrame, lang: str, place: str, as_of: str
) -> list[tuple[str, str]]:
    """What a gap download was made from: rule, threshold, distance, agencies, date, sources and kinds."""
    from geo_app.i18n import fmt_number

    types_spec = bundle.layers["omradestyp"]
    label = indicator_label(bundle, rule, lang)
    rows = [
        (t("about.what", lang), t("gaps.heading", lang)),
        (t("about.place", lang), place),
        (t("about.as_of", lang), as_of),
        (t("about.types", lang), f"{', '.join(map(str, rule.types))} ({types_spec.title_in(lang)} {rule.year})"),
        (
            t("about.indicator", lang),
            t("gaps.no_indicator", lang)
            if label is None
            else f"{label} > {fmt_number(rule.above or 0, 1)} [{t(f'kind.{rule.indicator_kind}', lang)}]",
        ),
        (t("about.distance", lang), distance_about(rule, lang)),
        (t("about.agencies", lang), ", ".join(agency_name(a, lang) for a in rule.agencies)),
        (t("about.sources", lang), bundle.catalogue["presence"].citation(lang)),
        (t("about.office_note", lang), office_note(offices, lang).replace("\n\n", " ")),
    ]
    for ds in ("omradestyp", "befolkning"):
        if ds in bundle.catalogue:
            rows.append((t("about.sources", lang), bundle.catalogue[ds].citation(lang)))
    return rows


def threshold_text(value: float) -> str:
    """A threshold as the Swedish input shows it: ``20`` or ``12,5``."""
    from geo_app.i18n import fmt_number

    v = float(value)
    return fmt_number(v, 0) if v == round(v) else fmt_number(v, 2).rstrip("0")


def parse_types(text: object) -> tuple[int, ...] | None:
    """Områdestyper as typed ("1,2", " 1 , 3 "); ``None`` unless they are some of 1–5."""
    try:
        types = tuple(int(x) for x in str(text or "").split(",") if x.strip())
    except ValueError:
        return None
    return types if types and set(types) <= {1, 2, 3, 4, 5} else None


def parse_threshold(text: object) -> float | None:
    """The number in a threshold input ("20", "12,5", "12.5", " 1 000 "); ``None`` if it is not one (or < 0)."""
    raw = str(text or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value >= 0 and value == value else None


def in_place(result_table: pd.DataFrame, kommun_lan: pd.Series, lan: str = "", kommun: str = "") -> pd.DataFrame:
    """Rows of a gap table (indexed by kommun or area code, with ``kommunkod`` for areas) in a län or kommun."""
    codes = result_table["kommunkod"] if "kommunkod" in result_table.columns else result_table.index.to_series()
    if kommun:
        return result_table[codes == kommun]
    if lan:
        return result_table[codes.map(kommun_lan) == lan]
    return result_table
