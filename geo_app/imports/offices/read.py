"""Read an office list into text cells: a table (CSV/XLSX, via :mod:`geo_app.imports.reader`) or GIS points.

GeoJSON, GeoPackage, FlatGeobuf and Shapefile points are read with pyogrio; their
coordinates become ``_e, _n`` in SWEREF 99 TM (EPSG:3006), their attributes text cells.
Records are numbered as :mod:`geo_app.errors` says: table rows as a spreadsheet shows
them, features from 1.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo_app.analysis.geometry import METRIC_CRS
from geo_app.errors import FEATURES, TABLE_ROWS, FileFormatError, RowOrigin, ValidationError, where
from geo_app.imports import reader as table_reader
from geo_app.imports.offices.crs import check_declared_crs

GEO_SUFFIXES = (".geojson", ".gpkg", ".fgb", ".shp")
POINT, MULTIPOINT = 0, 4  # shapely geometry type ids


def is_points_file(path: Path) -> bool:
    """True for a GIS file (by its suffix), or a ``.json`` file that is GeoJSON rather than JSON-stat."""
    suffix = path.suffix.lower()
    if suffix in GEO_SUFFIXES:
        return True
    if suffix != ".json":
        return False
    with path.open("rb") as fh:
        head = fh.read(2000).decode("utf-8", "ignore")
    return '"FeatureCollection"' in head or '"Feature"' in head


def read_points_file(path: Path, name: str) -> tuple[pd.DataFrame, str]:
    """Read GIS points as a table of text cells with ``_e, _n`` in EPSG:3006.

    Parameters
    ----------
    path : pathlib.Path
        A GeoJSON/GeoPackage (or FlatGeobuf/Shapefile) file with one layer of points.
    name : str
        File name, for messages.

    Returns
    -------
    (pandas.DataFrame, str)
        One row per feature (indexed by its 0-based position) and the file's CRS.

    Raises
    ------
    InputError
        Unreadable file, no features, a feature without geometry, lines or polygons, a
        MultiPoint of several points, or a CRS declaration the coordinates contradict.
    """
    table_reader.check_geo_file(path, name)  # size, layers and feature count before reading
    try:
        gdf = pyogrio.read_dataframe(path)
    except table_reader.geo_errors() as exc:
        raise FileFormatError(f"{name}: not a readable GeoJSON/GeoPackage file ({exc})") from exc
    if len(gdf) == 0:
        raise FileFormatError(f"{name}: the file has no features")
    geoms = gdf.geometry.values
    missing = shapely.is_empty(geoms) | pd.isna(geoms)
    if missing.any():
        pos = int(np.flatnonzero(missing)[0])
        raise ValidationError(f"{where(name, pos, origin=FEATURES)}: the feature has no geometry; give it a point")
    kinds = set(shapely.get_type_id(geoms))
    if kinds - {POINT, MULTIPOINT}:
        raise ValidationError(f"{name}: offices must be points; the file has {sorted(set(gdf.geom_type))}")
    if MULTIPOINT in kinds:  # MultiPoint with one point is common from GIS exports
        several = shapely.get_num_geometries(geoms) != 1
        if several.any():
            pos = int(np.flatnonzero(several)[0])
            raise ValidationError(
                f"{where(name, pos, origin=FEATURES)}: a MultiPoint with several points cannot be one office"
            )
        geoms = shapely.get_geometry(geoms, 0)
    x, y = pd.Series(shapely.get_x(geoms)), pd.Series(shapely.get_y(geoms))
    crs = check_declared_crs(x, y, gdf.crs, name)
    pts = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=crs).to_crs(METRIC_CRS)
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    table = table.astype(object).where(table.notna(), "").astype(str)
    table["_e"], table["_n"] = pts.x.to_numpy(), pts.y.to_numpy()
    return table, crs


def read_office_file(path: Path, name: str) -> tuple[pd.DataFrame, str | None, RowOrigin]:
    """Read any office list: GIS points or a table.

    Returns
    -------
    (pandas.DataFrame, str or None, RowOrigin)
        Text cells indexed by record position; the CRS of GIS points (None for a table,
        whose coordinate columns are parsed later); how the file numbers its records.
    """
    if is_points_file(path):
        table, crs = read_points_file(path, name)
        return table, crs, FEATURES
    return table_reader.read_table(path, name), None, TABLE_ROWS
