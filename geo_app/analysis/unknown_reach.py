"""Which kommuner with unknown presence are within the rule's limit of an area — on the gap's own measure (pure).

An area far from every known office is "presence unknown", not a gap, when a counted agency's
presence is unknown in a kommun within the limit (its own kommun included): an office the
register does not know could be there. The limit is measured as the gap is:

- **straight** areas (the rule measures by straight line, or the area has no road figure): the
  straight line from the area's point to the kommun's nearest edge, against ``max_km``;
- **road** areas (the rule measures by road and the area was measured by car): by car from the
  area's access point to where a drivable road first enters the kommun, against ``max_min``
  minutes (or ``max_km`` of road when no minutes are given; the shortest road distance there).
  A kommun the network does not reach at all (no road of it inside) is judged by the straight
  line — labelled ``straight`` in the pair's ``measure``, never a silent mix.

Engine: SciPy's ``csgraph.dijkstra`` from the road areas, bounded by the limit (chunked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from geo_app.analysis.roads import RoadNetwork, build_graph, snap
from geo_app.analysis.routing import ROAD, STRAIGHT

PAIR_COLUMNS = ("regsokod", "agency", "kommunkod", "measure")


@dataclass(frozen=True)
class Reach:
    """How near a kommun with unknown presence must be: the rule's limits and, by road, the network.

    ``road_xy`` (access points, ``(n, 2)`` EPSG:3006) and ``by_road`` (True where the area's gap was
    measured by car) are in the areas' order; without ``network`` every area is measured straight.
    """

    agencies: tuple[str, ...]
    max_km: float
    max_min: float | None = None
    network: RoadNetwork | None = None
    road_xy: np.ndarray | None = None
    by_road: np.ndarray | None = None


def unknown_pairs(
    areas: gpd.GeoDataFrame,
    points: gpd.GeoSeries,
    states: pd.DataFrame | None,
    reach: Reach,
    flagged: pd.Series | None = None,
) -> pd.DataFrame:
    """Per area (those ``flagged``, default all) the unknown (agency, kommun) pairs within the limit.

    Returns
    -------
    pandas.DataFrame
        ``regsokod, agency, kommunkod, measure`` (``road`` / ``straight``: how the pair was
        measured), sorted, one row per pair.
    """
    cols = [a for a in reach.agencies if states is not None and a in states.columns]
    rows = np.ones(len(areas), dtype=bool) if flagged is None else flagged.reindex(areas.index, fill_value=False)
    rows = np.asarray(rows, dtype=bool)
    if states is None or not cols or not rows.any():
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    unknown = states[cols].eq("unknown")
    kommuner = list(unknown.index[unknown.any(axis=1)])
    by_road = np.zeros(len(areas), dtype=bool) if reach.network is None or reach.by_road is None else reach.by_road
    road_rows, straight_rows = np.flatnonzero(rows & by_road), np.flatnonzero(rows & ~by_road)
    found = [_straight(areas, points, straight_rows, kommuner, reach.max_km)]
    if len(road_rows):
        found.append(_by_road(areas, points, road_rows, kommuner, reach))
    near = pd.concat(found, ignore_index=True)  # (position, kommunkod, measure)
    long = unknown.loc[kommuner].stack()
    long = long[long].reset_index()
    long.columns = ["kommunkod", "agency", "_"]
    out = near.merge(long[["kommunkod", "agency"]], on="kommunkod")
    out.insert(0, "regsokod", areas.index.to_numpy()[out.pop("position").to_numpy()])
    out = out[list(PAIR_COLUMNS)].sort_values(["regsokod", "agency", "kommunkod", "measure"], kind="stable")
    return out.drop_duplicates(["regsokod", "agency", "kommunkod"]).reset_index(drop=True)


def _none() -> pd.DataFrame:
    """No (position, kommunkod, measure) rows."""
    empty = {"position": np.empty(0, dtype=np.int64), "kommunkod": np.empty(0, dtype=object)}
    return pd.DataFrame({**empty, "measure": np.empty(0, dtype=object)})


def _straight(
    areas: gpd.GeoDataFrame, points: gpd.GeoSeries, rows: np.ndarray, kommuner: Sequence[str], max_km: float
) -> pd.DataFrame:
    """(position, kommunkod) of ``rows`` within ``max_km`` in a straight line of a kommun's areas."""
    polys = areas[areas["kommunkod"].isin(list(kommuner))]
    if len(rows) == 0 or polys.empty:
        return _none()
    tree = shapely.STRtree(polys.geometry.to_numpy())
    pi, ti = tree.query(points.reindex(areas.index).to_numpy()[rows], predicate="dwithin", distance=max_km * 1000.0)
    return pd.DataFrame(
        {"position": rows[pi], "kommunkod": polys["kommunkod"].to_numpy()[ti], "measure": STRAIGHT}
    ).drop_duplicates()


def _by_road(
    areas: gpd.GeoDataFrame, points: gpd.GeoSeries, rows: np.ndarray, kommuner: Sequence[str], reach: Reach
) -> pd.DataFrame:
    """(position, kommunkod, measure) for the road areas ``rows``: own kommun, by car, or straight off the network."""
    network = reach.network
    assert network is not None and reach.road_xy is not None
    polys = areas[areas["kommunkod"].isin(list(kommuner))]
    own = areas["kommunkod"].to_numpy()[rows]
    parts = [pd.DataFrame({"position": rows, "kommunkod": own, "measure": ROAD})[np.isin(own, kommuner)]]
    if polys.empty:
        return parts[0]
    pi, ei = network.tree.query(polys.geometry.to_numpy(), predicate="intersects")
    codes = polys["kommunkod"].to_numpy()
    off_network = sorted(set(kommuner) - set(codes[pi]))  # no road inside: the straight line, labelled
    parts.append(_straight(areas, points, rows, off_network, reach.max_km))
    if len(pi):
        entries = _Entries(polys.geometry.to_numpy()[pi], ei, codes[pi])
        parts.append(_reached(network, reach, rows, entries))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class _Entries:
    """Edges crossing a kommun's areas: the polygon, the edge and the kommun, one row per pair."""

    polys: np.ndarray
    edge: np.ndarray
    kommun: np.ndarray

    def fractions(self, network: RoadNetwork, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each kept edge first enters its polygon driving forward (from 0) and backward (from 1)."""
        lines = network.geometry[self.edge[keep]]
        inside = shapely.intersection(lines, self.polys[keep])
        xy, which = shapely.get_coordinates(inside, return_index=True)
        at = shapely.line_locate_point(lines[which], shapely.points(xy), normalized=True)
        lo = np.ones(len(lines))
        hi = np.zeros(len(lines))
        np.minimum.at(lo, which, at)
        np.maximum.at(hi, which, at)
        return lo, 1.0 - hi


def _weights(network: RoadNetwork, reach: Reach) -> tuple[np.ndarray, np.ndarray, float]:
    """Per edge the cost forward and backward (seconds, or metres for a road-km limit; inf = not drivable)."""
    t_fwd, t_bwd = network.seconds()
    if reach.max_min is not None:
        return t_fwd, t_bwd, reach.max_min * 60.0
    metres = network.length_m.astype(np.float64)
    limit = reach.max_km * 1e3
    return np.where(np.isfinite(t_fwd), metres, np.inf), np.where(np.isfinite(t_bwd), metres, np.inf), limit


def _reached(network: RoadNetwork, reach: Reach, rows: np.ndarray, entries: _Entries) -> pd.DataFrame:
    """(position, kommunkod, ``road``) where a road into the kommun is entered within the limit by car."""
    assert reach.road_xy is not None
    origins = snap(network, reach.road_xy[rows])
    graph, o_ids, _ = build_graph(network, origins, snap(network, np.empty((0, 2))))
    w_fwd, w_bwd, limit = _weights(network, reach)
    matrix = graph.time
    if reach.max_min is None:  # shortest road km: the same arcs weighted by metres
        size = matrix.shape[0]
        matrix = sparse.csr_matrix(
            (np.maximum(graph.metres, 1e-3), (graph.key // size, graph.key % size)), shape=(size, size)
        )
    _, u, v = network.nodes
    tail_f, tail_b = u[entries.edge], v[entries.edge]
    on = np.flatnonzero(o_ids >= 0)
    chunk = max(1, min(256, 20_000_000 // max(matrix.shape[0], 1)))
    found: list[tuple[np.ndarray, ...]] = []  # (origin, entry, cost to the tail forward, backward): reached only
    for start in range(0, len(on), chunk):
        part = on[start : start + chunk]
        dist = csgraph.dijkstra(matrix, indices=o_ids[part], limit=limit)
        fwd, bwd = dist[:, tail_f], dist[:, tail_b]
        oi, ki = np.nonzero(np.isfinite(fwd) | np.isfinite(bwd))
        found.append((part[oi], ki, fwd[oi, ki], bwd[oi, ki]))
    origin, entry, near_f, near_b = (np.concatenate([f[i] for f in found]) for i in range(4))
    if len(entry) == 0:
        return _none()
    keep, at = np.unique(entry, return_inverse=True)
    f_fwd, f_bwd = entries.fractions(network, keep)
    e = entries.edge[entry]
    with np.errstate(invalid="ignore"):  # 0 × inf (a direction not drivable) is NaN; fmin skips it
        cost = np.fmin(near_f + f_fwd[at] * w_fwd[e], near_b + f_bwd[at] * w_bwd[e])
    ok = cost <= limit
    return pd.DataFrame(
        {"position": rows[origin[ok]], "kommunkod": entries.kommun[entry[ok]], "measure": ROAD}
    ).drop_duplicates()


def flags(areas: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """True for the areas with at least one pair (``presence_unknown``), indexed like ``areas``."""
    return pd.Series(areas.index.isin(pairs["regsokod"]), index=areas.index, name="presence_unknown")


def measures(pairs: pd.DataFrame) -> pd.Series:
    """Per area how its unknown pairs were measured: ``road``, ``straight`` or ``road; straight``."""
    if pairs.empty:
        return pd.Series(dtype=object, name="unknown_measure")
    return pairs.groupby("regsokod")["measure"].agg(lambda s: "; ".join(sorted(set(s)))).rename("unknown_measure")
