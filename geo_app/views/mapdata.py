"""Feature properties and GeoJSON payloads for the browser map (pure functions).

The national geometry is sent to the browser once, as a static file the
browser caches; every map view (layer × year) is a precomputed property of
that file, so switching year or zooming only changes accessor strings in a
spec of a few kilobytes.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely

from geo_app.i18n import LANGUAGES, fmt_numbers
from geo_app.layers.spec import LayerSpec


def fill_property(layer_id: str, year: int | None) -> str:
    """Name of the feature property holding the fill colour of a view."""
    return f"f_{layer_id}_{year}" if year is not None else f"f_{layer_id}"


def label_property(spec: LayerSpec, year: int | None, lang: str) -> str:
    """Name of the feature property holding the tooltip text of a view's value.

    Categorical layers have one label per language; graduated layers one
    number, formatted the Swedish way, shared by both languages.
    """
    base = f"v_{spec.id}_{year}" if year is not None else f"v_{spec.id}"
    return f"{base}_{lang}" if spec.style == "categorical" else base


def population_property(year: int) -> str:
    """Name of the property with the population, formatted the Swedish way."""
    return f"pop_{year}"


def layer_properties(frame: pd.DataFrame, specs: list[LayerSpec], names: dict[str, str]) -> pd.DataFrame:
    """Per-feature properties for every view (layer × year) of the given layers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Areas or kommuner indexed by code, with the layers' columns.
    specs : list of LayerSpec
        Categorical or graduated layers of the frame's level.
    names : dict
        Property name → column of ``frame`` to copy as text (e.g. ``{"name": "regsonamn"}``).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``: ``code``, the ``names`` properties, per view a fill
        colour (``f_…``) and its value text (``v_…``), and ``pop_<year>`` for the
        years with a ``folkmangd_<year>`` column.
    """
    props = pd.DataFrame({"code": frame.index.astype(str)}, index=frame.index)
    for prop, col in names.items():
        props[prop] = frame[col].astype("string")
    years: set[int] = set()
    for spec in specs:
        for year in spec.years or (None,):
            values = frame[spec.column_for(year)]
            props[fill_property(spec.id, year)] = spec.fill_colours(values)
            for lang in LANGUAGES if spec.style == "categorical" else ("sv",):
                props[label_property(spec, year, lang)] = spec.value_labels(values, lang)
            if year is not None:
                years.add(year)
    for year in sorted(years):
        col = f"folkmangd_{year}"
        if col in frame:
            props[population_property(year)] = fmt_numbers(frame[col].astype(float).to_numpy())
    return props


def feature_collection(geoms: gpd.GeoSeries, props: pd.DataFrame | None = None) -> bytes:
    """Serialise geometries and properties as compact GeoJSON (UTF-8 bytes).

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Geometries in EPSG:4326, already snapped for display.
    props : pandas.DataFrame, optional
        Properties, indexed like ``geoms``; values must be JSON-serialisable.

    Returns
    -------
    bytes
        A ``FeatureCollection`` with one feature per geometry, in index order.
    """
    if geoms.crs is not None and geoms.crs.to_epsg() != 4326:
        raise ValueError("feature_collection expects EPSG:4326 geometry")
    geometry_json = shapely.to_geojson(geoms.values)
    if props is None:
        props = pd.DataFrame(index=geoms.index)
    props = props.reindex(geoms.index)
    records = props.astype(object).where(props.notna(), None).to_dict("records")
    parts = [
        '{"type":"Feature","geometry":'
        + g
        + ',"properties":'
        + json.dumps(p, ensure_ascii=False, separators=(",", ":"))
        + "}"
        for g, p in zip(geometry_json, records, strict=False)
    ]
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode("utf-8")
