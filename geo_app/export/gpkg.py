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

import geopandas as gpd
import pandas as pd
import pyogrio

from geo_app.analysis.gaps import GapResult
from geo_app.analysis.geometry import EXPORT_TOLERANCE_M, METRIC_CRS
from geo_app.analysis.presence import AGENCIES
from geo_app.data import loaders
from geo_app.errors import InputError
from geo_app.export import qml
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import LayerSpec

LAYERS = ("omraden", "kommuner", "lan", "kontor", "luckor")
IDENTITY = {
    "omraden": ["regsonamn", "kommunkod", "kommunnamn", "lanskod", "lansnamn"],
    "kommuner": ["kommunnamn", "lanskod", "lansnamn"],
    "lan": ["lansnamn"],
}
LEVEL_OF = {"omraden": "regso", "kommuner": "kommun", "lan": "lan"}
OFFICE_SHAPES = {"af": ("circle", False), "ssc": ("circle", True), "other": ("square", True)}
# Gap areas by distance to the nearest office, km (purple: not in the områdestyp palette)
GAP_CLASSES = [
    (0, 30, "under 30 km", "#dadaeb"),
    (30, 50, "30–50 km", "#bcbddc"),
    (50, 100, "50–100 km", "#9e9ac8"),
    (100, 10_000, "100 km och mer", "#6a51a3"),
]
OFFICE_COLOURS = {"af": "#0b5394", "ssc": "#38761d", "other": "#5a5a5a"}


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


def _describe(bundle: Bundle, spec, year) -> dict[str, str]:
    ds = bundle.catalogue.get(spec.dataset_for(year))
    return {
        "beskrivning": spec.title_in("sv")
        + (f" {year}" if year else "")
        + (f" ({spec.unit_in('sv')})" if spec.unit_in("sv") else ""),
        "slag": spec.kind,
        "kalla": ds.source if ds else spec.dataset,
        "ar": str(year) if year else (ds.year if ds else ""),
        "licens": ds.licence if ds else "",
        "url": ds.url if ds else "",
    }


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
    fields: list[dict] = []
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
        fields.append(
            {
                "lager": name,
                "falt": table.index.name,
                "beskrivning": "kod (SCB)",
                "slag": "official",
                "kalla": "SCB",
                "ar": "2025",
                "licens": "CC0",
                "url": "",
            }
        )
        fields += [{"lager": name, "falt": c, **_describe(bundle, spec, year)} for c, spec, year in columns]
    if "kontor" in choice.layers:
        shown = offices[offices["kommunkod"].isin(kommuner)]
        pts = pd.DataFrame(
            {
                "kontor_id": shown.index.astype(str),
                "myndighet": shown["agency"].map(AGENCIES),
                "agency": shown["agency"],
                "namn": shown["name"],
                "kommunkod": shown["kommunkod"],
                "status": shown["status"],
                "statusdatum": shown["status_date"].fillna(""),
                "lagesnoggrannhet": shown["precision"],
                "kalla_url": shown["source_url"].fillna(""),
                "ursprung": shown["origin"],
            }
        )
        frames["kontor"] = gpd.GeoDataFrame(
            pts.reset_index(drop=True), geometry=shown.geometry.to_numpy(), crs=METRIC_CRS
        )
        ds = bundle.catalogue["presence"]
        fields.append(
            {
                "lager": "kontor",
                "falt": "*",
                "beskrivning": ds.name_sv,
                "slag": "official",
                "kalla": ds.source,
                "ar": ds.year,
                "licens": ds.licence,
                "url": ds.url,
            }
        )
    if "luckor" in choice.layers and gap is not None:
        hit = gap.areas.index.intersection(areas)
        table = gap.areas.loc[hit].copy()
        table.index.name = "regsokod"
        geoms = _geometry("regso").reindex(hit)
        frames["luckor"] = gpd.GeoDataFrame(table.reset_index(), geometry=geoms.to_numpy(), crs=METRIC_CRS)
        fields.append(
            {
                "lager": "luckor",
                "falt": "*",
                "beskrivning": "områden som matchar luckregeln, avstånd "
                "fågelvägen i km till närmaste kontor (SWEREF 99 TM)",
                "slag": "estimate" if "estimate" in set(table.get("indicator_kind", [])) else "official",
                "kalla": "Närvarokartan, beräknat",
                "ar": str(date.today().year),
                "licens": "CC BY 4.0",
                "url": "",
            }
        )
    frames["om_data"] = pd.DataFrame(
        fields, columns=["lager", "falt", "beskrivning", "slag", "kalla", "ar", "licens", "url"]
    )
    return frames


def _description(name: str, frame: pd.DataFrame, fields: pd.DataFrame) -> str:
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
    kinds = sorted(set(mine["slag"]))
    return (
        f"{head}. {len(frame)} objekt, SWEREF 99 TM (EPSG:3006), geometri förenklad {EXPORT_TOLERANCE_M:g} m. "
        f"Slag: {', '.join(kinds)}. Källor: {'; '.join(sources)}. Fält beskrivs i tabellen om_data."
    )[:2000]


def styles(bundle: Bundle, frames: dict) -> pd.DataFrame:
    """The ``layer_styles`` rows: a default QML style per spatial layer, extra styles for indicators."""
    rows = []

    def add(layer: str, name: str, text: str, default: bool, description: str) -> None:
        rows.append(
            {
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
                "update_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            }
        )

    types = bundle.layers["omradestyp"]
    if "omraden" in frames:
        add(
            "omraden",
            "omradestyp",
            qml.layer_style(types, types.column_for(types.default_year)),
            True,
            types.title_in("sv"),
        )
    if "luckor" in frames:
        ranges = [(lo, hi, label, qml.fill_symbol("", colour)) for lo, hi, label, colour in GAP_CLASSES]
        add("luckor", "avstand", qml.graduated("dist_km_any", ranges), True, "Avstånd till närmaste kontor, km")
    if "omraden" in frames:
        for column, spec, year in _layer_columns(bundle, "regso"):
            if spec.style == "graduated" and year in (spec.default_year, None):
                add(
                    "omraden",
                    spec.id,
                    qml.layer_style(spec, column, values=frames["omraden"][column]),
                    False,
                    spec.title_in("sv"),
                )
    if "kommuner" in frames:
        first = True
        for column, spec, year in _layer_columns(bundle, "kommun"):
            if spec.style == "graduated" and year in (spec.default_year, None):
                add(
                    "kommuner",
                    spec.id,
                    qml.layer_style(spec, column, values=frames["kommuner"][column]),
                    first,
                    spec.title_in("sv"),
                )
                first = False
        add(
            "kommuner",
            "kommungranser",
            qml.single(qml.fill_symbol("", "#ffffff", "#333333", 0.3, filled=False)),
            first,
            "Kommungränser",
        )
    if "lan" in frames:
        add(
            "lan",
            "langranser",
            qml.single(qml.fill_symbol("", "#ffffff", "#000000", 0.6, filled=False)),
            True,
            "Länsgränser",
        )
    if "kontor" in frames:
        cats = [
            (
                a,
                AGENCIES[a],
                qml.marker_symbol("", OFFICE_COLOURS[a], shape=OFFICE_SHAPES[a][0], filled=OFFICE_SHAPES[a][1]),
            )
            for a in AGENCIES
        ]
        add("kontor", "myndighet", qml.categorized("agency", cats, geometry="point"), True, "Kontor per myndighet")
    return pd.DataFrame(rows)


def write_gpkg(bundle: Bundle, frames: dict, target: Path) -> None:
    """Write the frames, ``layer_styles`` and metadata to a new GeoPackage at ``target`` (replaced if it exists)."""
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
    first = True
    for name, frame in frames.items():
        if name == "om_data":
            continue
        description = _description(name, frame, fields)
        pyogrio.write_dataframe(
            frame,
            target,
            layer=name,
            driver="GPKG",
            append=not first,
            # a declared type even for an empty layer (no gaps in the selection), which QGIS needs
            geometry_type="Point" if name == "kontor" else "MultiPolygon",
            promote_to_multi=name != "kontor",
            layer_options={"DESCRIPTION": description, "IDENTIFIER": name, "GEOMETRY_NAME": "geom"},
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
