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

from geo_app.analysis.roads import RoadNetwork, Snap, build_graph, fastest_arcs, snap
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
    reached, with_roads = _reached(network, reach, rows, polys)
    # a kommun without any road inside is judged by the straight line, labelled: look only at those
    # within the straight limit whose roads no origin reached (the others have roads)
    near = _straight(areas, points, rows, kommuner, reach.max_km)
    unsure = polys[polys["kommunkod"].isin(np.setdiff1d(near["kommunkod"].unique(), with_roads))]
    pi, _ = network.tree.query(unsure.geometry.to_numpy(), predicate="intersects")
    with_roads = np.union1d(with_roads, unsure["kommunkod"].to_numpy()[pi])
    return pd.concat([*parts, reached, near[~near["kommunkod"].isin(with_roads)]], ignore_index=True)


@dataclass(frozen=True)
class _Entries:
    """Edges crossing a kommun's areas: the polygon, the edge and the kommun, one row per pair."""

    polys: np.ndarray
    edge: np.ndarray
    kommun: np.ndarray

    def fractions(self, network: RoadNetwork) -> tuple[np.ndarray, np.ndarray]:
        """Where each edge first enters its polygon driving forward (from 0) and backward (from 1).

        An edge inside its polygon is entered at once both ways (0, 0) without an overlay; only
        the edges crossing the polygon's boundary are intersected with it.
        """
        lines = network.geometry[self.edge]
        cross = np.flatnonzero(~shapely.contains_properly(self.polys, lines))
        lo, hi = np.zeros(len(lines)), np.ones(len(lines))
        inside = shapely.intersection(lines[cross], self.polys[cross])
        xy, which = shapely.get_coordinates(inside, return_index=True)
        at = shapely.line_locate_point(lines[cross][which], shapely.points(xy), normalized=True)
        lo[cross], hi[cross] = 1.0, 0.0
        np.minimum.at(lo, cross[which], at)
        np.maximum.at(hi, cross[which], at)
        return lo, 1.0 - hi


def _weights(network: RoadNetwork, reach: Reach) -> tuple[np.ndarray, np.ndarray, float]:
    """Per edge the cost forward and backward (seconds, or metres for a road-km limit; inf = not drivable)."""
    t_fwd, t_bwd = network.seconds()
    if reach.max_min is not None:
        return t_fwd, t_bwd, reach.max_min * 60.0
    metres = network.length_m.astype(np.float64)
    limit = reach.max_km * 1e3
    return np.where(np.isfinite(t_fwd), metres, np.inf), np.where(np.isfinite(t_bwd), metres, np.inf), limit


def _graphs(network: RoadNetwork, reach: Reach, origins: Snap) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The graph with the origins' virtual nodes (seconds, or metres for a road-km limit) and their ids."""
    graph, o_ids, _ = build_graph(network, origins, snap(network, np.empty((0, 2))))
    if reach.max_min is not None:
        return graph.time, o_ids
    size = graph.time.shape[0]  # shortest road km: the same arcs weighted by metres
    metres = sparse.csr_matrix((np.maximum(graph.metres, 1e-3), (graph.key // size, graph.key % size)), (size, size))
    return metres, o_ids


def _entries(network: RoadNetwork, reach: Reach, polys: gpd.GeoDataFrame, near: np.ndarray) -> _Entries:
    """The (polygon, edge) pairs of the edges with an end reached within the limit (``near``: cost per node)."""
    _, u, v = network.nodes
    w_fwd, w_bwd, _ = _weights(network, reach)
    start = np.isfinite(near[: network.n_nodes])
    edge = np.flatnonzero((start[u] & np.isfinite(w_fwd)) | (start[v] & np.isfinite(w_bwd)))
    reached = np.zeros(network.n_edges, dtype=bool)
    reached[edge] = True
    geometry = polys.geometry.to_numpy()
    pi, ei = network.tree.query(geometry)  # boxes only: the exact test for the reached edges alone
    pi, ei = pi[reached[ei]], ei[reached[ei]]
    used, at = np.unique(pi, return_inverse=True)
    own = shapely.from_wkb(shapely.to_wkb(geometry[used]))  # copies, prepared here (never the caller's areas)
    shapely.prepare(own)
    hit = shapely.intersects(own[at], network.geometry[ei])
    return _Entries(own[at[hit]], ei[hit], polys["kommunkod"].to_numpy()[pi[hit]])


def _reached(
    network: RoadNetwork, reach: Reach, rows: np.ndarray, polys: gpd.GeoDataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """Where a road into a kommun is entered within the limit by car, and the kommuner whose roads were reached.

    The first is (position, kommunkod, ``road``); the second the kommuner with a reached road
    inside (so with roads).

    One multi-source Dijkstra from all origins (``min_only``, bounded by the limit) finds the roads
    any of them reaches; only those are intersected with the kommuner. Then one sink node per
    kommun, joined from each entry edge's tail by the cost of driving on to where the edge enters
    the kommun, and a bounded Dijkstra from each sink on the reversed graph gives every origin its
    cost to enter that kommun: the minimum over the kommun's entries, as from each origin.
    """
    assert reach.road_xy is not None
    origins = snap(network, reach.road_xy[rows])
    on = np.flatnonzero(origins.on_network)
    if len(on) == 0:
        return _none(), np.empty(0, dtype=object)
    forward, o_ids = _graphs(network, reach, origins)
    w_fwd, w_bwd, limit = _weights(network, reach)
    near = csgraph.dijkstra(forward, indices=o_ids[on], limit=limit, min_only=True)
    entries = _entries(network, reach, polys, near)
    if len(entries.edge) == 0:
        return _none(), np.empty(0, dtype=object)
    f_fwd, f_bwd = entries.fractions(network)
    codes, kommun = np.unique(entries.kommun, return_inverse=True)
    _, u, v = network.nodes
    e = entries.edge
    with np.errstate(invalid="ignore"):  # 0 × inf (a direction not drivable) is NaN: no entry that way
        cost = np.concatenate([f_fwd * w_fwd[e], f_bwd * w_bwd[e]])
    # Only nodes some origin reaches within the limit can lie on a path within it: the reversed graph
    # keeps those (renumbered), then one sink per kommun.
    keep = np.isfinite(near)
    new_id = np.cumsum(keep) - 1
    size = int(keep.sum())
    tail = np.concatenate([u[e], v[e]])
    ok = keep[tail]  # an entry whose tail no origin reaches is not within the limit
    sink = size + np.concatenate([kommun, kommun])[ok]
    # fraction 0 gives a zero-cost arc: kept (SciPy takes explicit zeros in a sparse graph as arcs)
    s_tail, s_head, s_cost, _ = fastest_arcs(new_id[tail[ok]], sink, cost[ok], cost[ok])
    arcs = forward.tocoo()
    inside = keep[arcs.row] & keep[arcs.col]
    heads, tails = new_id[arcs.col[inside]], new_id[arcs.row[inside]]
    n = size + len(codes)
    reverse = sparse.csr_matrix(
        (
            np.concatenate([arcs.data[inside], s_cost]),
            (np.concatenate([heads, s_head]), np.concatenate([tails, s_tail])),
        ),
        shape=(n, n),
    )
    start = new_id[o_ids[on]]
    found = []
    for k in range(len(codes)):
        dist = csgraph.dijkstra(reverse, indices=size + k, limit=limit, min_only=True)
        hit = on[dist[start] <= limit]
        found.append(pd.DataFrame({"position": rows[hit], "kommunkod": codes[k], "measure": ROAD}))
    return pd.concat(found, ignore_index=True), codes


def flags(areas: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """True for the areas with at least one pair (``presence_unknown``), indexed like ``areas``."""
    return pd.Series(areas.index.isin(pairs["regsokod"]), index=areas.index, name="presence_unknown")


def measures(pairs: pd.DataFrame) -> pd.Series:
    """Per area how its unknown pairs were measured: ``road``, ``straight`` or ``road; straight``."""
    if pairs.empty:
        return pd.Series(dtype=object, name="unknown_measure")
    return pairs.groupby("regsokod")["measure"].agg(lambda s: "; ".join(sorted(set(s)))).rename("unknown_measure")
