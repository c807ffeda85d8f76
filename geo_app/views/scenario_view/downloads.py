"""The scenario's downloads: a styled GeoPackage (EPSG:3006) and an XLSX workbook."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo_app.analysis import siting
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.presence import AGENCIES
from geo_app.export import qml
from geo_app.export.gpkg import Style, style_row
from geo_app.export.spreadsheet import to_xlsx
from geo_app.views.scenario_view.tables import national_table

OFFICE_LAYER, AREA_LAYER = "scenario_kontor", "omraden_fore_efter"  # GeoPackage layers


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
        ("closed", "Lucka stängd (inom avståndet efter)", qml.fill_symbol("#1a9850")),
        ("opened", "Ny lucka (utanför avståndet efter)", qml.fill_symbol("#d73027")),
        ("", "Oförändrad", qml.fill_symbol("#dadaeb", alpha=160)),
        (None, "Uppgift saknas", qml.fill_symbol("#bdbdbd", alpha=120)),
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    rows = [
        (OFFICE_LAYER, "andring", qml.categorized("andring", office_cats, geometry="point"), "Kontor i scenariot"),
        (AREA_LAYER, "forandring", qml.categorized("change", area_cats), "Områden före/efter scenariot"),
    ]
    return pd.DataFrame([style_row(Style(*row), True, stamp) for row in rows])


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
