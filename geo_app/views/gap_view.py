"""Presence gaps as the page shows them: rule choices, indicator menu, map layers (no Streamlit).

The CLI (``geo-app gaps``) and the page both build their :class:`~geo_app.analysis.gaps.GapRule`
here, so the same options give the same tables.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from geo_app.analysis.gap_rule import indicator_layers
from geo_app.analysis.gaps import GapRule
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import Bundle
from geo_app.views.office_view import office_note
from geo_app.views.point_layers import ring_layer
from geo_app.views.presence_view import agency_name

UNKNOWN_COLOUR = [80, 80, 80, 220]  # areas where presence is unknown: a grey ring, not the purple gap blot


def unknown_marker_layer(points: gpd.GeoSeries) -> pdk.Layer:
    """A grey ring on areas where presence is unknown (EPSG:3006 points): drawn apart from the gap blots."""
    pts = points.to_crs(4326)
    records = [{"position": [round(p.x, 5), round(p.y, 5)]} for p in pts]
    return ring_layer("unknown_areas", records, UNKNOWN_COLOUR, (12, 2.5))


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
    for spec in indicator_layers(bundle.layers):
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


def rule_about(  # noqa: PLR0913
    bundle: Bundle, rule: GapRule, offices: gpd.GeoDataFrame, lang: str, place: str, as_of: str
) -> list[tuple[str, str]]:
    """What a gap download was made from: rule, threshold, distance, agencies, date, sources and kinds."""
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
