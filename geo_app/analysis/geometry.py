"""Geometry helpers for polygon coverages (areas that tile the country).

All work happens in SWEREF 99 TM (EPSG:3006); only :func:`to_display` moves to
EPSG:4326 for the browser.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo_app.errors import InputError

METRIC_CRS = "EPSG:3006"
BROWSER_CRS = "EPSG:4326"

ANALYSIS_TOLERANCE_M = 5.0  # committed analysis geometry: within 5 m of SCB's lines
DISPLAY_TOLERANCE_M = 200.0  # browser geometry: below a pixel at national and län zoom
EXPORT_TOLERANCE_M = 50.0  # GeoPackage geometry: a national export stays well under 15 MB
DISPLAY_DECIMALS = 6  # ≈ 0.1 m in the GeoJSON; 5 decimals made 7 rings cross themselves


def check_metric(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Raise :class:`InputError` unless ``gdf`` is in EPSG:3006 with valid geometry."""
    if gdf.crs is None or gdf.crs.to_epsg() != 3006:
        raise InputError(f"{what}: expected CRS EPSG:3006 (SWEREF 99 TM), got {gdf.crs}")
    invalid = ~shapely.is_valid(gdf.geometry.values)
    if invalid.any():
        first = gdf.index[np.flatnonzero(invalid)[0]]
        reason = shapely.is_valid_reason(gdf.geometry.values[invalid][0])
        raise InputError(f"{what}: {int(invalid.sum())} invalid geometries, first {first}: {reason}")


def simplify_coverage(geoms: gpd.GeoSeries, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify a polygon coverage while keeping shared edges shared.

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Non-overlapping polygons in a metric CRS.
    tolerance_m : float
        Simplification tolerance in metres.

    Returns
    -------
    geopandas.GeoSeries
        Simplified polygons, same index and CRS. Unlike ``simplify``, no gaps or
        overlaps open between neighbours.
    """
    out = shapely.coverage_simplify(geoms.values, tolerance_m)
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs)


def dissolve_coverage(gdf: gpd.GeoDataFrame, by: str) -> gpd.GeoSeries:
    """Union the polygons of a coverage per group, exactly along shared edges.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A polygon coverage.
    by : str
        Column to group by (e.g. ``kommunkod``).

    Returns
    -------
    geopandas.GeoSeries
        One geometry per group, indexed by the group value, sorted.
    """
    groups = gdf.groupby(by, sort=True).geometry
    merged = groups.agg(lambda g: shapely.coverage_union_all(g.values))
    return gpd.GeoSeries(merged.to_numpy(), index=merged.index, crs=gdf.crs)


def to_display(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Project to EPSG:4326 and round coordinates to :data:`DISPLAY_DECIMALS` for the browser.

    Rounding each coordinate (rather than ``set_precision``, which rebuilds each
    polygon on its own) moves a vertex shared by neighbours to the same place in
    both, so the coverage keeps no gaps or overlaps.
    """
    wgs = geoms.to_crs(BROWSER_CRS)
    rounded = shapely.transform(wgs.values, lambda xy: np.round(xy, DISPLAY_DECIMALS))
    return gpd.GeoSeries(rounded, index=geoms.index, crs=BROWSER_CRS)


def representative_points(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """A point guaranteed inside each polygon (unlike the centroid)."""
    return gpd.GeoSeries(shapely.point_on_surface(geoms.values), index=geoms.index, crs=geoms.crs)
