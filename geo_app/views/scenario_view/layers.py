"""The deck: changed areas, remaining gaps, offices, added points and suggested sites, and where to look."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk

from geo_app.analysis import siting
from geo_app.layers.bundle import Bundle
from geo_app.views import gap_view, mapdata, maplayers, mapspec, office_view
from geo_app.views.map_view import MapBundle, source_line
from geo_app.views.point_layers import PointStyle, point_layer

CHANGE_COLOURS = {"closed": [26, 152, 80, 200], "opened": [215, 48, 39, 200]}
ADDED_COLOUR = [255, 140, 0, 255]
SUGGESTED_COLOUR = [255, 200, 0, 255]


REMOVED_STYLE = PointStyle(line=[200, 0, 0, 255], radius_px=8, width_px=3)
ADDED_STYLE = PointStyle(fill=ADDED_COLOUR, line=[0, 0, 0, 255], radius_px=9, width_px=2)
GREEDY_STYLE = PointStyle(line=[90, 90, 90, 255], radius_px=12, width_px=2)
SUGGESTED_STYLE = PointStyle(fill=SUGGESTED_COLOUR, line=[0, 0, 0, 255], radius_px=9, width_px=2)


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


def point_records(lon: Iterable[float], lat: Iterable[float]) -> list[dict[str, Any]]:
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
    layers += office_view.office_layers(office_view.office_points(kept, show_closed))
    if result.removed:
        ll = offices.loc[list(result.removed)].geometry.to_crs(4326)
        layers.append(point_layer("removed_offices", point_records(ll.x, ll.y), REMOVED_STYLE))
    if len(result.added):
        ll = result.added.geometry.to_crs(4326)
        layers.append(point_layer("added_offices", point_records(ll.x, ll.y), ADDED_STYLE))
    return layers


def suggestion_layers(s: siting.SiteSuggestion) -> list[pdk.Layer]:
    """Chosen sites (gold, black edge) and the greedy baseline's sites (small hollow grey rings)."""
    layers = []
    if len(s.greedy):
        layers.append(point_layer("greedy_sites", point_records(s.greedy["lon"], s.greedy["lat"]), GREEDY_STYLE))
    if len(s.sites):
        layers.append(point_layer("suggested_sites", point_records(s.sites["lon"], s.sites["lat"]), SUGGESTED_STYLE))
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
    bundle: MapBundle,
    year: int,
    lang: str,
    layers: list[pdk.Layer],
    bounds: tuple[float, float, float, float] = mapspec.SWEDEN_BOUNDS,
) -> pdk.Deck:
    """Areas by områdestyp (by URL, pickable for clicks), borders, then ``layers`` on top.

    The same stable, light layers as the map page (:func:`geo_app.views.maplayers.map_layers`);
    the tooltip names the områdestyp's source (:func:`geo_app.views.map_view.source_line`).
    """
    types_spec = bundle.layers["omradestyp"]
    base = maplayers.map_layers(bundle.files, bundle.layers, types_spec, year)
    tooltip = mapspec.tooltip_text(types_spec, year, lang, source_line(bundle, types_spec, year, lang), year)
    return mapspec.build_deck(base + layers, mapspec.view_for_bounds(bounds), tooltip)
