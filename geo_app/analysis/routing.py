"""Car travel time on a road network: nearest office in one pass, time matrices for siting (pure).

The engine is SciPy's ``csgraph.dijkstra``: "nearest office" is one multi-source run from all
offices on the reversed graph (``min_only=True``), so every area gets the time *to* its nearest
office by the directions a car may drive. Road kilometres are those of the fastest route (summed
along the shortest-path tree). Points off the network (see :mod:`geo_app.analysis.roads`) get no
road figure: callers fall back to the straight line and label it ``measure = "straight"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csgraph

from geo_app.analysis.roads import SNAP_MAX_M, Graph, RoadNetwork, build_graph, snap

ROAD = "road"
STRAIGHT = "straight"


def xy_of(points: object) -> np.ndarray:
    """``(n, 2)`` coordinates of a GeoSeries / array of shapely points."""
    return np.asarray(shapely.get_coordinates(np.asarray(getattr(points, "values", points), dtype=object))).reshape(
        -1, 2
    )


def _path_lengths(graph: Graph, pred: np.ndarray) -> np.ndarray:
    """Metres from every node to the root of its tree on the reversed graph (pointer doubling).

    ``pred`` comes from Dijkstra on the *reversed* graph, so node ``k``'s next step towards the
    root is the forward arc ``k → pred[k]``.
    """
    n = len(pred)
    has = np.flatnonzero(pred >= 0)
    acc = np.zeros(n)
    acc[has] = graph.metres_of(has, pred[has])
    ptr = pred.astype(np.int64).copy()
    while True:
        live = np.flatnonzero(ptr >= 0)
        if len(live) == 0:
            return acc
        parent = ptr[live]
        acc[live] = acc[live] + acc[parent]
        ptr[live] = ptr[parent]


def nearest_by_road(network: RoadNetwork, points_xy: np.ndarray, offices_xy: np.ndarray) -> pd.DataFrame:
    """Car time and road km from every point to its nearest office (one multi-source Dijkstra).

    Parameters
    ----------
    network : RoadNetwork
    points_xy, offices_xy : numpy.ndarray
        ``(n, 2)`` and ``(m, 2)`` coordinates in EPSG:3006.

    Returns
    -------
    pandas.DataFrame
        One row per point (positional index): ``road_min``, ``road_km`` (NaN where the point or
        every office is off the network, or no office can be reached), ``office`` (position of
        the nearest office, -1 if none), ``snap_m`` (metres from the point to the road; NaN on an
        empty network), ``on_network`` (snap within :data:`~geo_app.analysis.roads.SNAP_MAX_M`).
    """
    origins = snap(network, points_xy)
    dests = snap(network, offices_xy)
    n = len(origins.edge)
    out = pd.DataFrame(
        {
            "road_min": np.full(n, np.nan),
            "road_km": np.full(n, np.nan),
            "office": np.full(n, -1, dtype=np.int64),
            "snap_m": origins.distance_m,
            "on_network": origins.on_network,
        }
    )
    if n == 0 or not dests.on_network.any() or not origins.on_network.any():
        return out
    graph, o_ids, d_ids = build_graph(network, origins, dests)
    time_t = graph.time.T.tocsr()
    sources = d_ids[d_ids >= 0]
    dist, pred, origin_of = csgraph.dijkstra(time_t, indices=sources, min_only=True, return_predecessors=True)
    metres = _path_lengths(graph, pred)
    on = np.flatnonzero(o_ids >= 0)
    node = o_ids[on]
    reached = np.isfinite(dist[node])
    office_of_node = pd.Series(np.arange(len(d_ids)), index=d_ids).drop(-1, errors="ignore")
    rows, node = on[reached], node[reached]
    out.loc[rows, "road_min"] = dist[node] / 60.0
    out.loc[rows, "road_km"] = metres[node] / 1000.0
    out.loc[rows, "office"] = office_of_node.reindex(origin_of[node]).to_numpy()
    return out


def time_matrix(
    network: RoadNetwork, origins_xy: np.ndarray, dests_xy: np.ndarray, limit_min: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Car minutes from every origin to every destination (``inf`` = unreachable or off the network).

    Dijkstra runs from the origins in chunks (bounded by ``limit_min`` when given), so memory
    stays at chunk × nodes however large the network.

    Returns
    -------
    tuple
        ``(minutes (n_origins, n_dests), origin_on_network, dest_on_network)``.
    """
    origins = snap(network, origins_xy)
    dests = snap(network, dests_xy)
    minutes = np.full((len(origins.edge), len(dests.edge)), np.inf)
    if not origins.on_network.any() or not dests.on_network.any():
        return minutes, origins.on_network, dests.on_network
    graph, o_ids, d_ids = build_graph(network, origins, dests)
    rows = np.flatnonzero(o_ids >= 0)
    cols = np.flatnonzero(d_ids >= 0)
    limit = np.inf if limit_min is None else limit_min * 60.0
    chunk = max(1, min(256, 20_000_000 // max(graph.time.shape[0], 1)))
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        dist = csgraph.dijkstra(graph.time, indices=o_ids[part], limit=limit)
        minutes[np.ix_(part, cols)] = dist[:, d_ids[cols]] / 60.0
    return minutes, origins.on_network, dests.on_network


def route(network: RoadNetwork, start_xy: np.ndarray, end_xy: np.ndarray) -> dict[str, float | str | None]:
    """One route by car: ``km``, ``minutes``, ``straight_km``, ``measure`` and both snap distances.

    Off the network (or no drivable connection) the measure is the straight line:
    ``km = straight_km``, ``minutes = None``, ``measure = "straight"``.
    """
    start = np.asarray(start_xy, dtype=np.float64).reshape(1, 2)
    end = np.asarray(end_xy, dtype=np.float64).reshape(1, 2)
    straight_km = float(np.hypot(*(end - start)[0])) / 1000.0
    found = nearest_by_road(network, start, end).iloc[0]
    end_snap = snap(network, end)
    out: dict[str, float | str | None] = {
        "km": round(straight_km, 3),
        "minutes": None,
        "straight_km": round(straight_km, 3),
        "measure": STRAIGHT,
        "snap_from_m": _round_or_none(found["snap_m"]),
        "snap_to_m": _round_or_none(end_snap.distance_m[0]),
        "snap_max_m": SNAP_MAX_M,
    }
    if np.isfinite(found["road_min"]):
        out.update(km=round(float(found["road_km"]), 3), minutes=round(float(found["road_min"]), 2), measure=ROAD)
    return out


def _round_or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 1)


def road_distances(
    network: RoadNetwork, points: pd.Series, offices: pd.DataFrame, agencies: tuple[str, ...]
) -> pd.DataFrame:
    """Road columns per agency and for ``any`` of ``agencies``, indexed like ``points``.

    Parameters
    ----------
    network : RoadNetwork
    points : geopandas.GeoSeries
        The areas' measuring points (EPSG:3006).
    offices : geopandas.GeoDataFrame
        The counted offices (already filtered by status), EPSG:3006, with ``agency`` and ``name``.
    agencies : tuple of str

    Returns
    -------
    pandas.DataFrame
        ``road_km_<agency>``, ``road_min_<agency>``, ``road_nearest_<agency>`` (NaN / "" where the
        area or every office of that agency is off the network or unreachable by car) and
        ``snap_m`` (metres from the area's point to the nearest road).
    """
    xy = xy_of(points)
    names = offices["name"].astype(str).to_numpy(dtype=object)
    parts = []
    snap_m = np.full(len(xy), np.nan)
    for agency in (*agencies, "any"):
        mask = offices["agency"].isin(agencies) if agency == "any" else offices["agency"] == agency
        mask = np.asarray(mask, dtype=bool)
        found = nearest_by_road(network, xy, xy_of(offices.geometry[mask]))
        snap_m = found["snap_m"].to_numpy()
        chosen = np.where(found["office"] >= 0, names[mask][np.maximum(found["office"], 0)] if mask.any() else "", "")
        parts.append(
            pd.DataFrame(
                {
                    f"road_km_{agency}": found["road_km"].to_numpy(),
                    f"road_min_{agency}": found["road_min"].to_numpy(),
                    f"road_nearest_{agency}": chosen,
                },
                index=points.index,
            )
        )
    out = pd.concat(parts, axis=1)
    out["snap_m"] = snap_m
    return out


def access_points(network: RoadNetwork, areas: pd.Series, points: pd.Series) -> np.ndarray:
    """Where each area meets the road network: its inside point, or the nearest road point inside it.

    The second when the inside point lies farther than the snapping distance from every road: the
    point on a road *crossing the area* nearest to the inside point. So an area whose inside point is
    in the sea but which has roads (Gotland's *Visby omland*: 8.3 km) is measured from its own roads;
    an area without any road keeps its inside point (and falls back to the straight line).
    ``areas`` are polygons, ``points`` the inside points (EPSG:3006).
    """
    xy = xy_of(points).copy()
    off = np.flatnonzero(~snap(network, xy).on_network)
    if len(off) == 0:
        return xy
    polys = np.asarray(getattr(areas, "values", areas), dtype=object)[off]
    pi, ei = network.tree.query(polys, predicate="intersects")
    if len(pi) == 0:
        return xy
    lines = shapely.shortest_line(network.geometry[ei], shapely.points(xy[off][pi]))
    best = pd.Series(shapely.length(lines)).groupby(pi).idxmin().to_numpy()
    xy[off[pi[best]]] = shapely.get_coordinates(shapely.get_point(lines[best], 0))
    return xy
