"""A road network for car travel time, in Pipos' model (pure; numpy, SciPy sparse graphs, shapely).

Tillväxtverket's Pipos routes on its "Tillgänglighetsvägnät": edges with a length, a speed per
direction (km/h, 0 = not drivable that way) and attribute bits (ferry, forward/backward
prohibited). Edges are joined into nodes where their end points coincide after rounding x and y
to whole metres, as Pipos does. Coordinates are SWEREF 99 TM (EPSG:3006).

Assumptions, stated once:

- **Car time** is length ÷ speed of the direction driven; a direction with speed 0 or a
  prohibited bit is not drivable.
- **Ferries are excluded** (attribute ``0x10``): the network carries no timetable or waiting
  time, so a ferry leg cannot be given a travel time worth reporting (Gotland's one ferry edge has
  speed 0 anyway). An area reached only by ferry has no road time.
- Points **snap** to the nearest point on an edge (STRtree); the snap distance is reported but
  not added to the route. A point farther than :data:`SNAP_MAX_M` from every road is not on the
  network and falls back to the straight line (labelled so by the callers).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from scipy import sparse

from geo_app.errors import InputError, RowOrigin, where

EDGES = RowOrigin("edge", 1)  # Pipos' edges (and a line file's features) are numbered from 1

SNAP_MAX_M = 2_000.0  # farther from every road than this: not on the network, straight line instead
FERRY = 0x10
FORWARD_PROHIBITED = 0x20
BACKWARD_PROHIBITED = 0x40
MOTORWAY = 0x80
DISCONNECTED = 0x100
SNAP_SIMPLIFY_M = 2.0  # the snapping geometry may be this far from the road's own (fewer vertices)
MIN_EDGE_S = 1e-3  # a zero-length edge still costs something: SciPy drops explicit zeros


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """Edges of a road network with their geometry, in EPSG:3006.

    Parameters
    ----------
    name : str
        Short name shown with every road figure (e.g. ``"Pipos Tillgänglighetsvägnät 2024-01-01"``).
    coords : numpy.ndarray
        ``(V, 2)`` float64 vertex coordinates of all edges, edge after edge.
    offsets : numpy.ndarray
        ``(E + 1,)`` int64: edge ``i`` has vertices ``coords[offsets[i]:offsets[i + 1]]`` (≥ 2).
    length_m : numpy.ndarray
        ``(E,)`` metres along each edge.
    speed_fwd, speed_bwd : numpy.ndarray
        ``(E,)`` km/h from the first to the last vertex and back; 0 = not drivable.
    attr : numpy.ndarray
        ``(E,)`` uint32 Pipos attribute bits (0 when the source has none).
    """

    name: str
    coords: np.ndarray
    offsets: np.ndarray
    length_m: np.ndarray
    speed_fwd: np.ndarray
    speed_bwd: np.ndarray
    attr: np.ndarray

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return int(len(self.length_m))

    @cached_property
    def nodes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(node_xy, u, v)``: node coordinates (whole metres) and each edge's end nodes."""
        ends = np.concatenate([self.coords[self.offsets[:-1]], self.coords[self.offsets[1:] - 1]])
        xy = np.rint(ends).astype(np.int64)
        del ends
        if len(xy) == 0:
            return np.empty((0, 2)), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        low = xy.min(axis=0)
        span_y = int(xy[:, 1].max() - low[1]) + 1
        # one integer per point, ordered as the (x, y) rows: a 1-D unique (far less memory than axis=0)
        key = (xy[:, 0] - low[0]) * span_y + (xy[:, 1] - low[1])
        del xy
        unique, inverse = np.unique(key, return_inverse=True)
        node_xy = np.column_stack([unique // span_y + low[0], unique % span_y + low[1]])
        n = self.n_edges
        return node_xy.astype(np.float64), inverse[:n], inverse[n:]

    @cached_property
    def arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The drivable directed arcs ``(tail, head, seconds, metres)``, fastest per node pair (built once)."""
        return fastest_arcs(*_base_arcs(self))

    @property
    def n_nodes(self) -> int:
        """Number of nodes (end points joined after rounding to whole metres)."""
        return int(len(self.nodes[0]))

    def drivable(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean per edge: drivable forward, backward (speed > 0, not prohibited, not a ferry)."""
        ferry = (self.attr & FERRY) != 0
        fwd = (self.speed_fwd > 0) & ((self.attr & FORWARD_PROHIBITED) == 0) & ~ferry
        bwd = (self.speed_bwd > 0) & ((self.attr & BACKWARD_PROHIBITED) == 0) & ~ferry
        return fwd, bwd

    def seconds(self) -> tuple[np.ndarray, np.ndarray]:
        """Car seconds per edge forward and backward (``inf`` where not drivable)."""
        return self._seconds

    @cached_property
    def _seconds(self) -> tuple[np.ndarray, np.ndarray]:
        fwd, bwd = self.drivable()
        length = self.length_m.astype(np.float64)
        with np.errstate(divide="ignore"):
            t_fwd = np.where(fwd, length * 3.6 / np.maximum(self.speed_fwd, 1), np.inf)
            t_bwd = np.where(bwd, length * 3.6 / np.maximum(self.speed_bwd, 1), np.inf)
        return np.maximum(t_fwd, MIN_EDGE_S), np.maximum(t_bwd, MIN_EDGE_S)

    @cached_property
    def geometry(self) -> np.ndarray:
        """One shapely LineString per edge, simplified by :data:`SNAP_SIMPLIFY_M` (built on first use).

        Built block by block so a national network never holds two full copies of its vertices.
        """
        out = np.empty(self.n_edges, dtype=object)
        for a in range(0, self.n_edges, 250_000):
            b = min(a + 250_000, self.n_edges)
            lo, hi = self.offsets[a], self.offsets[b]
            index = np.repeat(np.arange(b - a), np.diff(self.offsets[a : b + 1]))
            lines = shapely.linestrings(self.coords[lo:hi], indices=index)
            out[a:b] = shapely.simplify(lines, SNAP_SIMPLIFY_M, preserve_topology=False)
        return out

    @cached_property
    def tree(self) -> shapely.STRtree:
        """STRtree over the edges, for snapping."""
        return shapely.STRtree(self.geometry)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of all vertices."""
        lo, hi = self.coords.min(axis=0), self.coords.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    def summary(self) -> dict[str, float | int | str]:
        """Counts for messages and the catalogue: edges, nodes, km, drivable edges."""
        fwd, bwd = self.drivable()
        return {
            "name": self.name,
            "edges": self.n_edges,
            "nodes": self.n_nodes,
            "km": round(float(self.length_m.astype(np.float64).sum()) / 1000.0, 1),
            "drivable_edges": int((fwd | bwd).sum()),
            "ferry_edges": int(((self.attr & FERRY) != 0).sum()),
        }


def validate(network: RoadNetwork, source: str) -> None:
    """Raise :class:`InputError` naming ``source`` and the first bad edge if the arrays are inconsistent."""
    n = network.n_edges
    if n == 0:
        raise InputError(f"{source}: the network has no edges")
    checks = [
        (len(network.offsets) != n + 1, "offsets do not match the edge count", 0),
        (network.coords.ndim != 2 or network.coords.shape[1] != 2, "coordinates are not x, y pairs", 0),
    ]
    for bad, what, row in checks:
        if bad:
            raise InputError(f"{where(source, row, origin=EDGES)}: {what}")
    for what, mask in (
        ("fewer than two vertices", np.diff(network.offsets) < 2),
        ("length is not a finite number ≥ 0", ~np.isfinite(network.length_m) | (network.length_m < 0)),
    ):
        bad_rows = np.flatnonzero(mask)
        if len(bad_rows):
            raise InputError(f"{where(source, int(bad_rows[0]), origin=EDGES)}: {what} ({len(bad_rows)} edge(s))")
    bad_xy = np.flatnonzero(~np.isfinite(network.coords).all(axis=1))
    if len(bad_xy):
        edge = int(np.searchsorted(network.offsets, bad_xy[0], side="right")) - 1
        raise InputError(f"{where(source, edge, origin=EDGES)}: coordinate is not a number")
    x0, y0, x1, y1 = network.bounds()
    if x0 < 150_000 or x1 > 1_000_000 or y0 < 6_000_000 or y1 > 7_800_000:
        raise InputError(
            f"{source}: coordinates x {x0:,.0f}–{x1:,.0f}, y {y0:,.0f}–{y1:,.0f} are not SWEREF 99 TM "
            "(EPSG:3006) in Sweden"
        )


@dataclass(frozen=True)
class Snap:
    """Where points meet the network: edge, fraction along it, snap distance (metres)."""

    edge: np.ndarray  # int64, -1 where not on the network
    fraction: np.ndarray  # 0 at the edge's first vertex, 1 at its last
    distance_m: np.ndarray  # NaN where the network is empty

    @property
    def on_network(self) -> np.ndarray:
        """True where the point is within :data:`SNAP_MAX_M` of a road."""
        return self.edge >= 0


def snap(network: RoadNetwork, xy: np.ndarray, max_m: float = SNAP_MAX_M) -> Snap:
    """Snap ``(n, 2)`` points (EPSG:3006) to the nearest edge within ``max_m`` (STRtree)."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    n = len(xy)
    edge = np.full(n, -1, dtype=np.int64)
    fraction = np.zeros(n)
    distance = np.full(n, np.nan)
    if n == 0:
        return Snap(edge, fraction, distance)
    points = shapely.points(xy)
    (pi, ei), dist = network.tree.query_nearest(points, return_distance=True)
    first = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])  # ties: the lowest edge number
    pi, ei, dist = pi[first], ei[first], dist[first]
    distance[pi] = dist
    near = dist <= max_m
    edge[pi[near]] = ei[near]
    fraction[pi[near]] = shapely.line_locate_point(network.geometry[ei[near]], points[pi[near]], normalized=True)
    return Snap(edge, fraction, distance)


@dataclass(frozen=True)
class Graph:
    """A directed graph of the network plus virtual nodes for snapped points.

    ``time`` is a CSR matrix of car seconds; ``key`` (``tail * size + head``, sorted) and
    ``metres`` give each arc's length for :meth:`metres_of`.
    """

    time: sparse.csr_matrix
    key: np.ndarray
    metres: np.ndarray

    def metres_of(self, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
        """Length of the arcs ``tail → head`` (which must exist)."""
        size = self.time.shape[0]
        return np.asarray(self.metres[np.searchsorted(self.key, tail.astype(np.int64) * size + head)])


def _base_arcs(network: RoadNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Directed arcs ``(tail, head, seconds, metres)`` of the drivable edges."""
    _, u, v = network.nodes
    t_fwd, t_bwd = network.seconds()
    length = network.length_m.astype(np.float64)
    fwd, bwd = np.isfinite(t_fwd), np.isfinite(t_bwd)
    tail = np.concatenate([u[fwd], v[bwd]])
    head = np.concatenate([v[fwd], u[bwd]])
    return tail, head, np.concatenate([t_fwd[fwd], t_bwd[bwd]]), np.concatenate([length[fwd], length[bwd]])


def _share(fraction: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Seconds for ``fraction`` of an edge; a point at the end node itself costs nothing to reach."""
    out = np.full(len(fraction), MIN_EDGE_S)
    part = fraction > 0
    out[part] = np.maximum(fraction[part] * seconds[part], MIN_EDGE_S)
    return out


def _point_arcs(
    network: RoadNetwork, where: Snap, first_id: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Virtual node ids for snapped points and the arcs joining each to its edge's two ends.

    A point at fraction ``f`` of edge ``u → v`` splits it: ``u → p`` and ``p → v`` forward,
    ``v → p`` and ``p → u`` backward, each with its share of the edge's time and length.
    """
    _, u, v = network.nodes
    t_fwd, t_bwd = network.seconds()
    on = np.flatnonzero(where.on_network)
    ids = np.full(len(where.edge), -1, dtype=np.int64)
    ids[on] = first_id + np.arange(len(on))
    e, f, p = where.edge[on], where.fraction[on], ids[on]
    length = network.length_m[e].astype(np.float64)
    parts = [
        (u[e], p, _share(f, t_fwd[e]), f * length),
        (p, v[e], _share(1 - f, t_fwd[e]), (1 - f) * length),
        (v[e], p, _share(1 - f, t_bwd[e]), (1 - f) * length),
        (p, u[e], _share(f, t_bwd[e]), f * length),
    ]
    arrays = tuple(np.concatenate([part[i] for part in parts]) for i in range(4))
    return ids, arrays  # type: ignore[return-value]


def _same_edge_arcs(
    network: RoadNetwork, origins: Snap, o_ids: np.ndarray, dests: Snap, d_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Direct arcs between an origin and a destination on the same edge (not through its ends)."""
    t_fwd, t_bwd = network.seconds()
    oi, di = np.flatnonzero(origins.on_network), np.flatnonzero(dests.on_network)
    order = np.argsort(dests.edge[di], kind="stable")
    de = dests.edge[di][order]
    lo = np.searchsorted(de, origins.edge[oi], side="left")
    hi = np.searchsorted(de, origins.edge[oi], side="right")
    counts = hi - lo
    o = np.repeat(oi, counts)
    d = di[order][np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)] or [np.empty(0, int)])]
    e = origins.edge[o]
    delta = dests.fraction[d] - origins.fraction[o]
    seconds = np.where(delta >= 0, delta * t_fwd[e], -delta * t_bwd[e])
    metres = np.abs(delta) * network.length_m[e].astype(np.float64)
    ok = np.isfinite(seconds)
    return o_ids[o][ok], d_ids[d][ok], np.maximum(seconds[ok], MIN_EDGE_S), metres[ok]


def build_graph(network: RoadNetwork, origins: Snap, dests: Snap) -> tuple[Graph, np.ndarray, np.ndarray]:
    """The network's directed graph with virtual nodes for ``origins`` and ``dests``.

    Returns
    -------
    tuple
        ``(graph, origin_ids, dest_ids)``; ids are -1 where a point is not on the network.
    """
    n = network.n_nodes
    o_ids, o_arcs = _point_arcs(network, origins, n)
    d_ids, d_arcs = _point_arcs(network, dests, n + int(origins.on_network.sum()))
    extra = [o_arcs, d_arcs, _same_edge_arcs(network, origins, o_ids, dests, d_ids)]
    virtual = fastest_arcs(*(np.concatenate([a[i] for a in extra]) for i in range(4)))
    # The base arcs never share a (tail, head) pair with the virtual ones (those touch a new node).
    tail, head, seconds, metres = (np.concatenate([b, x]) for b, x in zip(network.arcs, virtual, strict=True))
    size = n + int(origins.on_network.sum()) + int(dests.on_network.sum())
    key = tail.astype(np.int64) * size + head
    order = np.argsort(key, kind="stable")  # the base part is sorted already: radix sort, linear
    time = sparse.csr_matrix((seconds, (tail, head)), shape=(size, size))
    return Graph(time, key[order], metres[order]), o_ids, d_ids


def fastest_arcs(
    tail: np.ndarray, head: np.ndarray, seconds: np.ndarray, metres: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Drivable arcs without loops, one per ``(tail, head)`` — the fastest — sorted by tail, head.

    A CSR matrix would add parallel arcs up; this keeps the fastest of them.
    """
    keep = np.flatnonzero(np.isfinite(seconds) & (tail != head))
    order = keep[np.lexsort((seconds[keep], head[keep], tail[keep]))]  # one index, so few copies of the arcs
    del keep
    t, h = tail[order], head[order]
    chosen = order[np.r_[True, (t[1:] != t[:-1]) | (h[1:] != h[:-1])]]
    del t, h, order
    return tail[chosen], head[chosen], seconds[chosen], metres[chosen]
