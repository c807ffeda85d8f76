"""Siting by car on the road network: cost matrices in minutes, and the demand they can measure.

A facility-location model must compare like with like, so a road run measures only the demand
areas whose point lies on the network (:data:`~geo_app.analysis.roads.SNAP_MAX_M`); the others
are returned separately (the caller says they were left out, or runs them by straight line).
Existing offices and candidates off the network cannot be reached by car (cost ``inf``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.roads import RoadNetwork, snap
from geo_app.analysis.routing import access_points, time_matrix, xy_of
from geo_app.analysis.siting.base import SitingError
from geo_app.analysis.siting.suggest import CostMatrices


def road_demand(network: RoadNetwork, demand: gpd.GeoDataFrame, areas: gpd.GeoSeries) -> tuple[gpd.GeoDataFrame, int]:
    """The demand a road run can measure, at its areas' access points, and how many are left out.

    Access points: :func:`geo_app.analysis.routing.access_points`; left out are demand areas
    without any road near their point or crossing them.
    """
    if len(demand) == 0:
        return demand, 0
    xy = access_points(network, areas.reindex(demand.index), demand.geometry.to_crs(METRIC_CRS))
    placed = demand.set_geometry(gpd.GeoSeries(shapely.points(xy), index=demand.index, crs=METRIC_CRS))
    on = on_road_network(network, placed)
    return placed[on], int((~on).sum())


def on_road_network(network: RoadNetwork, demand: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean per demand area: its point is within the snapping distance of a road."""
    if len(demand) == 0:
        return np.zeros(0, dtype=bool)
    return snap(network, xy_of(demand.geometry.to_crs(METRIC_CRS))).on_network


def road_costs(
    network: RoadNetwork,
    demand: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    existing: gpd.GeoDataFrame,
    max_min: float | None,
) -> CostMatrices:
    """Car minutes demand × existing offices and demand × candidates, limit ``max_min``.

    ``demand`` should hold only areas on the network (:func:`on_road_network`); each Dijkstra
    run is bounded by three times the limit, beyond which nothing can be covered.
    """
    if max_min is None or not max_min > 0:
        raise SitingError("siting by road needs a time limit in minutes (--max-min, or the page's minutes)")
    dem = xy_of(demand.geometry.to_crs(METRIC_CRS)) if len(demand) else np.zeros((0, 2))
    cand = xy_of(candidates.geometry.to_crs(METRIC_CRS)) if len(candidates) else np.zeros((0, 2))
    ex = xy_of(existing.geometry.to_crs(METRIC_CRS)) if len(existing) else np.zeros((0, 2))
    both, _, _ = time_matrix(network, dem, np.concatenate([ex, cand]), limit_min=3 * max_min)
    return CostMatrices(both[:, : len(ex)], both[:, len(ex) :], float(max_min), "min")
