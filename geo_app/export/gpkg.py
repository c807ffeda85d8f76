"""GeoPackage export: one layer per theme in EPSG:3006, pre-styled for QGIS, documented for ArcGIS.

Layers (each optional, chosen with ``layers``):

``omraden``   RegSO areas with områdestyp and every indicator column;
``kommuner``  kommuner with their kommun-level indicators;
``lan``       län outlines;
``kontor``    office points (agency, status, precision, source);
``luckor``    areas matching the gap rule, with distances to the nearest office;
``om_data``   (always) a non-spatial table: one row per layer field with kind, source, year, licence.

QGIS reads the ``layer_styles`` table (one default QML style per layer, plus
non-default graduated styles for the indicators); ArcGIS users get source, year and
licence in each layer's description (``gpkg_contents.description``) and in
``om_data``; dataset and layer metadata go to ``gpkg_metadata``.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import pyogrio

from geo_app.analysis.gaps import GapResult, GapRule
from geo_app.analysis.geometry import EXPORT_TOLERANCE_M, METRIC_CRS
from geo_app.analysis.presence import AGENCIES
from geo_app.data import loaders
from geo_app.errors import InputError
from geo_app.export import gpkg_meta, gpkg_roads, qml
from geo_app.formats import fmt_numbers
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import AGENCY_COLOURS, LayerSpec

LAYERS = ("omraden", "kommuner", "lan", "kontor", "luckor")
IDENTITY = {
    "omraden": ["regsonamn", "kommunkod", "kommunnamn", "lanskod", "lansnamn"],
    "kommuner": ["kommunnamn", "lanskod", "lansnamn"],
    "lan": ["lansnamn"],
}
LEVEL_OF = {"omraden": "regso", "kommuner": "kommun", "lan": "lan"}
OFFICE_SHAPES = {
    "af": ("circle", False),
    "ssc": ("circle", True),
    "kommun": ("diamond", True),
    "other": ("square", True),
}
# Gap areas by distance to the nearest office, km (purple: not in the områdestyp palette)
GAP_CLASSES = [
    (0, 30, "under 30 km", "#dadaeb"),
    (30, 50, "30–50 km", "#bcbddc"),
    (50, 100, "50–100 km", "#9e9ac8"),
    (100, 10_000, "100 km och mer", "#6a51a3"),
]
# Office status (column ``status``) → legend label; the style keys on these values.
OFFICE_STATUSES = {
    "open": "öppet",
    "closing": "stänger (beslut fattat, ännu öppet)",
    "planned": "planerat",
    "uncertain": "stänger/osäkert (kan ha stängt)",
    "closed": "stängt",
}
# Readable layer titles: gpkg_contents.identifier (QGIS' metadata title) and the QGIS metadata.
LAYER_TITLES = {
    "omraden": "RegSO-områden med områdestyp och indikatorer",
    "kommuner": "Kommuner med indikatorer",
    "lan": "Län",
    "kontor": "Kontor: Arbetsförmedlingen och Statens servicecenter (ofullständig lista)",
    "luckor": "Närvaroluckor enligt luckregeln",
}
# Titles of the fields that are not indicator columns (indicator titles come from the layer declarations).
FIELD_TITLES = {
    "regsokod": "RegSO-kod",
    "regsonamn": "Område (RegSO)",
    "kommunkod": "Kommunkod",
    "kommunnamn": "Kommun",
    "lanskod": "Länskod",
    "lansnamn": "Län",
    "kontor_id": "Kontors-id",
    "myndighet": "Myndighet",
    "namn": "Kontor",
    "status": "Status (open = öppet, closing = stänger, planned = planerat, closed = stängt)",
    "statusdatum": "Statusdatum",
    "oppnat": "Öppnat (datum enligt källan)",
    "avveckling_beslutad": "Avveckling beslutad (datum)",
    "stangt": "Stängt (datum enligt källan)",
    "per_datum": "Status per datum (registrets läsdag)",
    "lagesnoggrannhet": "Lägesnoggrannhet (area = område, town = ort, kommun = kommun)",
    "kalla_url": "Källa (webbadress)",
    "ursprung": "Ursprung (embedded = inbyggd lista, annars importens namn)",
    "regel": "Luckregel",
    "indikator": "Indikator i regeln",
    "indikator_varde": "Indikatorns värde",
    "indikator_slag": "Indikatorns slag (official/estimate/imported)",
    "avstand_km": "Avstånd till närmaste kontor, km (fågelvägen)",
    "narmaste_kontor": "Närmaste kontor",
    "antal_inom_radie": "Antal kontor inom radien",
}
# The gap table's (English) columns → the layer's Swedish field names; ``any`` = any counted agency.
GAP_FIELDS = {"indicator": "indikator_varde", "indicator_kind": "indikator_slag"}
for _agency, _suffix in (("af", "_af"), ("ssc", "_ssc"), ("any", "")):
    GAP_FIELDS[f"dist_km_{_agency}"] = f"avstand_km{_suffix}"
    GAP_FIELDS[f"nearest_{_agency}"] = f"narmaste_kontor{_suffix}"
    GAP_FIELDS[f"n_within_{_agency}"] = f"antal_inom_radie{_suffix}"
    if _suffix:
        name = AGENCIES[_agency]
        FIELD_TITLES[f"avstand_km{_suffix}"] = f"Avstånd till närmaste kontor ({name}), km (fågelvägen)"
        FIELD_TITLES[f"narmaste_kontor{_suffix}"] = f"Närmaste kontor ({name})"
        FIELD_TITLES[f"antal_inom_radie{_suffix}"] = f"Antal kontor ({name}) inom radien"
GAP_FIELDS |= gpkg_roads.FIELDS  # car minutes, road km and the measure (issue 24)
FIELD_TITLES |= gpkg_roads.TITLES
KIND_SV = {
    "official": "officiell uppgift",
    "compiled": "sammanställning av offentliga uppgifter",  # the office list (catalogue kind "compiled")
    "reference": "referensvärde per områdestyp",
    "estimate": "Modellskattning",
    "imported": "importerad",
}


@dataclass(frozen=True)
class ExportChoice:
    """What goes into the file: all of Sweden, or the areas of some kommuner, län or areas."""

    kommun: tuple[str, ...] = ()
    lan: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    layers: tuple[str, ...] = LAYERS

    def label(self) -> str:
        """Short text for the file name: ``sverige``, ``1280``, ``1280_0180``, ``lan12``, ``3omraden``."""
        parts = [*self.kommun, *(f"lan{c}" for c in self.lan)]
        if self.area:
            parts.append(f"{len(self.area)}omraden")
        if not parts:
            return "sverige"
        return "_".join(parts[:4]) + ("_m_fl" if len(parts) > 4 else "")


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column of ``frame`` ("" where missing, also for imported offices without it)."""
    if column not in frame:
        return pd.Series("", index=frame.index)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def file_name(choice: ExportChoice, today: date | None = None) -> str:
    """``narvarokartan_<what>_<date>.gpkg``, e.g. ``narvarokartan_1280_2026-11-21.gpkg``."""
    return f"narvarokartan_{choice.label()}_{(today or date.today()).isoformat()}.gpkg"


@functools.lru_cache(maxsize=3)
def _geometry(level: str) -> gpd.GeoSeries:
    """Export geometry per level, read once per process (read-only; callers reindex a copy)."""
    return loaders.load_export_geometry(level)


def check_choice(bundle: Bundle, choice: ExportChoice) -> None:
    """Raise :class:`InputError` naming unknown codes or layer names."""
    for what, codes, known in (
        ("kommun", choice.kommun, bundle.kommun.index),
        ("län", choice.lan, bundle.lan.index),
        ("area", choice.area, bundle.regso.index),
    ):
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InputError(f"unknown {what} code(s): {', '.join(unknown[:5])}")
    bad = [name for name in choice.layers if name not in LAYERS]
    if bad:
        raise InputError(f"unknown layer(s) {bad}; choose from {', '.join(LAYERS)}")


def selected_areas(bundle: Bundle, choice: ExportChoice) -> pd.Index:
    """Codes of the areas in the choice (all areas when nothing is chosen)."""
    r = bundle.regso
    if not (choice.kommun or choice.lan or choice.area):
        return r.index
    keep = r["kommunkod"].isin(choice.kommun) | r["lanskod"].isin(choice.lan) | r.index.isin(choice.area)
    return r.index[keep]


def _frame(bundle: Bundle, level: str) -> gpd.GeoDataFrame:
    return {"regso": bundle.regso, "kommun": bundle.kommun, "lan": bundle.lan}[level]


def _layer_columns(bundle: Bundle, level: str) -> list[tuple[str, LayerSpec, int | None]]:
    """``(column, spec, year)`` for every fill layer at ``level`` and each of its years."""
    frame = _frame(bundle, level)
    out: list[tuple[str, LayerSpec, int | None]] = []
    for spec in bundle.layers.values():
        if spec.level != level or not spec.is_fill:
            continue
        for year in spec.years or (None,):
            column = spec.column_for(year)
            if column in frame.columns and column not in [c for c, _, _ in out]:
                out.append((column, spec, year))
    return out


def _describe(bundle: Bundle, spec: LayerSpec, year: int | None) -> dict[str, str]:
    ds = bundle.catalogue.get(spec.dataset_for(year))
    return {
        "beskrivning": qml.heading(spec, year),
        "slag": spec.kind,
        "kalla": ds.source if ds else spec.dataset,
        "ar": str(year) if year else (ds.year if ds else ""),
        "licens": ds.licence if ds else "",
        "url": ds.url if ds else "",
    }


def _indicator_spec(bundle: Bundle, column: str) -> tuple[LayerSpec, int | None] | None:
    """The area layer declaration (and year) whose column is ``column``."""
    for column_, spec, year in _layer_columns(bundle, "regso"):
        if column_ == column:
            return spec, year
    return None


def _sv(value: float) -> str:
    """A rule's number the Swedish way, without a trailing ``,0``: ``20``, ``12,5``."""
    return fmt_numbers([value], 1, "")[0].removesuffix(",0")


def rule_text(bundle: Bundle, rule: GapRule) -> str:
    """The gap rule in Swedish words, e.g. *områdestyp 1, 2 (2023); … över 20 %; mer än 20 km …*."""
    parts = [f"områdestyp {', '.join(str(t) for t in rule.types)} ({rule.year})"]
    if rule.indicator:
        found = _indicator_spec(bundle, rule.indicator)
        name = qml.heading(*found) if found else rule.indicator
        unit = f" {found[0].unit_in('sv')}" if found and found[0].unit_in("sv") else ""
        above = "" if rule.above is None else f" över {_sv(rule.above)}{unit}"
        parts.append(f"{name}{above}")
    agencies = ", ".join(AGENCIES.get(a, a) for a in rule.agencies)
    parts.append(
        f"mer än {_sv(rule.max_km)} km fågelvägen till närmaste kontor ({agencies}) som är öppet eller beslutat "
        f"att stänga (antal kontor inom {_sv(rule.radius_km)} km i fälten antal_inom_radie)"
    )
    return "Luckregel: " + "; ".join(parts) + gpkg_roads.rule_words(rule) + "."


def gap_layer(bundle: Bundle, gap: GapResult, areas: pd.Index) -> tuple[gpd.GeoDataFrame, list[dict[str, str]]]:
    """The ``luckor`` layer (Swedish field names, the rule and the indicator named) and its om_data rows."""
    hit = gap.areas.index.intersection(areas)
    table = gap.areas.loc[hit].rename(columns=GAP_FIELDS)
    table.index.name = "regsokod"
    rule = gap.rule_used
    found = _indicator_spec(bundle, rule.indicator) if rule and rule.indicator else None
    if "indikator_varde" in table:
        label = qml.heading(*found) if found else str(rule.indicator if rule else "")
        table.insert(
            table.columns.get_loc("indikator_varde"), "indikator", f"{label} [{rule.indicator if rule else ''}]"
        )
    table["regel"] = rule_text(bundle, rule) if rule else ""
    geoms = _geometry("regso").reindex(hit)
    frame = gpd.GeoDataFrame(table.reset_index(), geometry=geoms.to_numpy(), crs=METRIC_CRS)
    own = {
        "slag": "estimate" if "estimate" in set(table.get("indikator_slag", [])) else "official",
        "kalla": "Närvarokartan, beräknat",
        "ar": str(date.today().year),
        "licens": "CC BY 4.0",
        "url": "",
    }
    rows = []
    for c in frame.columns:
        if c == "geometry":
            continue
        spec_year = _indicator_spec(bundle, c) or (found if c == "indikator_varde" else None)
        if spec_year is not None:
            rows.append({"lager": "luckor", "falt": c, **_describe(bundle, *spec_year)})
        else:
            rows.append({"lager": "luckor", "falt": c, "beskrivning": FIELD_TITLES.get(c, c), **own})
    return frame, rows


def export_frames(
    bundle: Bundle, offices: gpd.GeoDataFrame, choice: ExportChoice, gap: GapResult | None = None
) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """The tables to write (pure): layer name → frame; ``om_data`` documents every field.

    Geometry is the committed export geometry (coverage-simplified to
    :data:`~geo_app.analysis.geometry.EXPORT_TOLERANCE_M` in EPSG:3006, no gaps between neighbours).
    """
    check_choice(bundle, choice)
    areas = selected_areas(bundle, choice)
    kommuner = pd.Index(sorted(bundle.regso.loc[areas, "kommunkod"].unique()))
    lans = pd.Index(sorted(bundle.regso.loc[areas, "lanskod"].unique()))
    codes = {"omraden": areas, "kommuner": kommuner, "lan": lans}
    frames: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
    fields: list[dict[str, str]] = []
    for name in ("omraden", "kommuner", "lan"):
        if name not in choice.layers:
            continue
        level = LEVEL_OF[name]
        frame = _frame(bundle, level).loc[codes[name]]
        columns = _layer_columns(bundle, level)
        table = frame[IDENTITY[name] + [c for c, _, _ in columns]].copy()
        table.index.name = {"regso": "regsokod", "kommun": "kommunkod", "lan": "lanskod"}[level]
        geoms = _geometry(level).reindex(table.index)
        frames[name] = gpd.GeoDataFrame(table.reset_index(), geometry=geoms.to_numpy(), crs=METRIC_CRS)
        fields += [
            {
                "lager": name,
                "falt": c,
                "beskrivning": FIELD_TITLES[c],
                "slag": "official",
                "kalla": "SCB",
                "ar": "2025",
                "licens": "CC0",
                "url": "",
            }
            for c in [table.index.name, *IDENTITY[name]]
        ]
        fields += [{"lager": name, "falt": c, **_describe(bundle, spec, year)} for c, spec, year in columns]
    if "kontor" in choice.layers:
        shown = offices[offices["kommunkod"].isin(kommuner)]
        pts = pd.DataFrame(
            {
                "kontor_id": shown.index.astype(str),
                "myndighet": shown["agency"].map(AGENCIES),
                "namn": shown["name"],
                "kommunkod": shown["kommunkod"],
                "status": shown["status"],
                "statusdatum": shown["status_date"].fillna(""),
                # as-of reading of the dated register (docs/presence.md): dates as the sources gave them
                "oppnat": _text_column(shown, "opened"),
                "avveckling_beslutad": _text_column(shown, "closing_decided"),
                "stangt": _text_column(shown, "closed").where(
                    lambda c: c != "", _text_column(shown, "closing_planned")
                ),
                "per_datum": offices.attrs.get("as_of", ""),
                "lagesnoggrannhet": shown["precision"],
                "kalla_url": shown["source_url"].fillna(""),
                "ursprung": shown["origin"],
            }
        )
        frames["kontor"] = gpd.GeoDataFrame(
            pts.reset_index(drop=True), geometry=shown.geometry.to_numpy(), crs=METRIC_CRS
        )
        ds = bundle.catalogue["presence"]
        source = {"slag": ds.kind, "kalla": ds.source, "ar": ds.year, "licens": ds.licence, "url": ds.url}
        fields += [
            {"lager": "kontor", "falt": c, "beskrivning": FIELD_TITLES.get(c, c), **source}
            for c in frames["kontor"].columns
            if c != "geometry"
        ]
    if "luckor" in choice.layers and gap is not None:
        table, rows = gap_layer(bundle, gap, areas)
        frames["luckor"] = table
        fields += rows
    frames["om_data"] = pd.DataFrame(
        fields, columns=["lager", "falt", "beskrivning", "slag", "kalla", "ar", "licens", "url"]
    )
    return frames


def _description(name: str, frame: pd.DataFrame, fields: pd.DataFrame, rule: str = "") -> str:
    mine = fields[fields["lager"] == name]
    sources = sorted(
        {f"{k} ({a}; {lic})" for k, a, lic in zip(mine["kalla"], mine["ar"], mine["licens"], strict=False)}
    )
    head = {
        "omraden": "RegSO 2025-områden med områdestyp och indikatorer",
        "kommuner": "Kommuner med indikatorer per kommun",
        "lan": "Län",
        "kontor": "Arbetsförmedlingens kontor och Statens servicecenters servicekontor (OFULLSTÄNDIG lista)",
        "luckor": "Närvaroluckor: områden enligt luckregeln med avstånd till närmaste kontor",
    }[name]
    kinds = sorted(KIND_SV.get(k, k) for k in set(mine["slag"]))
    return (
        f"{head}. {rule + ' ' if rule else ''}{len(frame)} objekt, SWEREF 99 TM (EPSG:3006), "
        f"geometri förenklad {EXPORT_TOLERANCE_M:g} m. "
        f"Slag: {', '.join(kinds)}. Källor: {'; '.join(sources)}. Fält beskrivs i tabellen om_data."
    )[:2000]


def field_titles(fields: pd.DataFrame, layer: str) -> dict[str, str]:
    """Field name → readable title (QGIS aliases, ``gpkg_data_columns.title``) for one layer."""
    mine = fields[fields["lager"] == layer]
    return dict(zip(mine["falt"], mine["beskrivning"], strict=True))


def _fill_styles(bundle: Bundle, level: str, aliases: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(name, qml, description)`` for every fill layer and year at ``level``.

    One style per year: choosing another year is choosing another stored style (each draws every feature).
    """
    out = []
    for column, spec, year in _layer_columns(bundle, level):
        name = f"{spec.id}_{year}" if year else spec.id
        out.append((name, qml.layer_style(spec, column, year=year, aliases=aliases), qml.heading(spec, year)))
    return out


def _office_style(aliases: dict[str, str]) -> str:
    """Offices by agency (shape, colour) and status (open / closing / planned / closed), with ELSE rules."""
    rules = []
    for agency, name in AGENCIES.items():
        shape, filled = OFFICE_SHAPES[agency]
        colour = AGENCY_COLOURS[agency]
        children = [
            qml.Rule(f"{name}: {label}", f"\"status\" = '{status}'", qml.office_symbol(colour, shape, filled, status))
            for status, label in OFFICE_STATUSES.items()
        ]
        children.append(qml.Rule(f"{name}: status okänd", "ELSE", qml.office_symbol(colour, shape, filled, "unknown")))
        rules.append(qml.Rule(name, f"\"myndighet\" = '{name}'", None, children))
    rules.append(
        qml.Rule(
            "Annan myndighet eller uppgift saknas",
            "ELSE",
            qml.office_symbol(AGENCY_COLOURS["other"], "diamond", True, "open"),
        )
    )
    return qml.rule_based(rules, geometry="point", aliases=aliases)


class Style(NamedTuple):
    """A QML style for a GeoPackage layer: the layer, the style's name, its QML text and description."""

    layer: str
    name: str
    text: str
    description: str


def style_row(style: Style, default: bool, update_time: str = "") -> dict[str, object]:
    """One row of a GeoPackage's ``layer_styles`` table (QGIS's layout): a QML style for ``style.layer``."""
    layer, name, text, description = style
    return {
        "f_table_catalog": "",
        "f_table_schema": "",
        "f_table_name": layer,
        "f_geometry_column": "geom",
        "styleName": name,
        "styleQML": text,
        "styleSLD": "",
        "useAsDefault": default,
        "description": description,
        "owner": "narvarokartan",
        "ui": "",
        "update_time": update_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
    }


def styles(bundle: Bundle, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``layer_styles`` rows: a default QML style per spatial layer, extra styles for indicators.

    Every style has a rule or category for missing values, so QGIS draws every feature whichever
    style (year) is chosen; ``tests/test_qgis.py`` checks that in real QGIS.
    """
    rows = []
    fields = frames["om_data"]

    def add(layer: str, name: str, text: str, default: bool, description: str) -> None:
        rows.append(style_row(Style(layer, name, text, description), default))

    types = bundle.layers["omradestyp"]
    default_types = f"{types.id}_{types.default_year}"
    if "omraden" in frames:
        for name, text, description in _fill_styles(bundle, "regso", field_titles(fields, "omraden")):
            add("omraden", name, text, name == default_types, description)
    if "luckor" in frames:
        aliases = field_titles(fields, "luckor")
        classes = [(lo, hi, label, qml.gap_symbol(colour)) for lo, hi, label, colour in GAP_CLASSES]
        rule = frames["luckor"]["regel"].iloc[0] if len(frames["luckor"]) else ""
        add(
            "luckor",
            "avstand",
            qml.ranges(
                "avstand_km",
                classes,
                "Närvaroluckor: avstånd till närmaste kontor (km, fågelvägen)",
                (qml.NO_DATA_LABEL, qml.gap_symbol(qml.NO_DATA_COLOUR)),
                aliases=aliases,
            ),
            True,
            f"Avstånd till närmaste kontor, km. {rule}",
        )
    if "kommuner" in frames:
        aliases = field_titles(fields, "kommuner")
        # The default is the outline: the kommun layer drawn over the areas must not hide them.
        add(
            "kommuner",
            "kommungranser",
            qml.single(qml.fill_symbol("#ffffff", "#333333", 0.15, filled=False), aliases=aliases),
            True,
            "Kommungränser",
        )
        for name, text, description in _fill_styles(bundle, "kommun", aliases):
            add("kommuner", name, text, False, description)
    if "lan" in frames:
        add(
            "lan",
            "langranser",
            qml.single(qml.fill_symbol("#ffffff", "#000000", 0.4, filled=False), aliases=field_titles(fields, "lan")),
            True,
            "Länsgränser",
        )
    if "kontor" in frames:
        add(
            "kontor",
            "myndighet_status",
            _office_style(field_titles(fields, "kontor")),
            True,
            "Kontor per myndighet och status",
        )
    return pd.DataFrame(rows)


def write_gpkg(bundle: Bundle, frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Write the frames, ``layer_styles`` and metadata to a new GeoPackage at ``target`` (replaced if it exists).

    GeoPackage 1.2 (QGIS 3.22's GDAL 3.6 warns about 1.4, which this file does not need).
    """
    target = Path(target)
    target.unlink(missing_ok=True)
    fields = frames["om_data"]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    dataset_meta = {
        "TITLE": "Närvarokartan – RegSO, områdestyp och statlig närvaro",
        "CREATED": stamp,
        "CRS": "EPSG:3006 SWEREF 99 TM",
        "LICENCE": "se om_data per fält",
        "NOTE": "Modellskattningar är märkta slag=estimate; kontorslistan är ofullständig.",
    }
    rule = ""
    if "luckor" in frames and len(frames["luckor"]):
        rule = str(frames["luckor"]["regel"].iloc[0])
    descriptions = {}
    first = True
    for name, frame in frames.items():
        if name == "om_data":
            continue
        description = _description(name, frame, fields, rule if name == "luckor" else "")
        descriptions[name] = description
        pyogrio.write_dataframe(
            frame,
            target,
            layer=name,
            driver="GPKG",
            append=not first,
            # a declared type even for an empty layer (no gaps in the selection), which QGIS needs
            geometry_type="Point" if name == "kontor" else "MultiPolygon",
            promote_to_multi=name != "kontor",
            layer_options={"DESCRIPTION": description, "IDENTIFIER": LAYER_TITLES[name], "GEOMETRY_NAME": "geom"},
            dataset_options={"VERSION": "1.2"} if first else None,
            layer_metadata={"SOURCES": description},
            dataset_metadata=dataset_meta if first else None,
        )
        first = False
    if first:
        raise InputError("nothing to export: choose at least one spatial layer")
    pyogrio.write_dataframe(
        fields,
        target,
        layer="om_data",
        driver="GPKG",
        append=True,
        layer_options={"DESCRIPTION": "Fältbeskrivningar: slag, källa, år och licens per fält"},
    )
    pyogrio.write_dataframe(
        styles(bundle, frames), target, layer="layer_styles", driver="GPKG", append=True, layer_options={"FID": "id"}
    )
    layers = [name for name in frames if name != "om_data"]
    gpkg_meta.write_data_columns(target, fields, layers, KIND_SV)
    gpkg_meta.write_qgis_metadata(
        target, {n: gpkg_meta.layer_metadata(n, LAYER_TITLES[n], descriptions[n], fields) for n in layers}
    )


def export_gpkg(
    bundle: Bundle,
    offices: gpd.GeoDataFrame,
    choice: ExportChoice,
    target: Path | None = None,
    gap: GapResult | None = None,
) -> bytes | None:
    """Build and write the export to ``target``; without a target, return the file's bytes (for a download)."""
    frames = export_frames(bundle, offices, choice, gap)
    if target is not None:
        # Written next to the target and moved into place: a failed export leaves no half file.
        target = Path(target)
        tmp = target.with_name(f".partial-{target.name}")
        try:
            write_gpkg(bundle, frames, tmp)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        write_gpkg(bundle, frames, path)
        return path.read_bytes()
