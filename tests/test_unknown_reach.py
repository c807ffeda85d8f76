""" "Presence unknown" on the gap's own measure: by car where the rule measures by road (hand-built network).

Area A (kommun 0001) is far from its only office by both measures. Kommun 0002 (area B) lies 10 km
away in a straight line but 30.5 km round a lake by road (30.5 min at 60 km/h); kommun 0003 (area C)
lies 18 km away in a straight line, and a motorway (one 30 km edge at 120 km/h) enters it after
18 km = 9 min. Kommun 0005 (area E) has no road at all, 3.6 km from A.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from shapely.geometry import Point, box

from geo_app.analysis import gaps, roads, routing, siting, unknown_reach, unknowns

X0, Y0 = 600_000.0, 6_600_000.0
# (vertices relative to X0, Y0; km/h both ways)
LINES = [
    ([(0, 0), (0, 10_000)], 60),  # A north
    ([(0, 10_000), (10_500, 10_000)], 60),  # round the lake
    ([(10_500, 10_000), (10_500, 0)], 60),  # down to B
    ([(10_500, 0), (100_000, 0)], 90),  # on to the office in 0004
    ([(0, 0), (-15_000, 0), (-30_000, 0)], 120),  # the motorway west, one edge through C
]
KOMMUNER = ["0001", "0002", "0003", "0004", "0005"]


def network() -> roads.RoadNetwork:
    coords, offsets, lengths, speeds = [], [0], [], []
    for vertices, speed in LINES:
        coords += [(X0 + x, Y0 + y) for x, y in vertices]
        offsets.append(len(coords))
        lengths.append(float(np.hypot(*np.diff(np.array(vertices, dtype=float), axis=0).T).sum()))
        speeds.append(speed)
    n = len(LINES)
    return roads.RoadNetwork(
        name="hand-built",
        coords=np.array(coords, dtype=float),
        offsets=np.array(offsets, dtype=np.int64),
        length_m=np.array(lengths, dtype=np.float32),
        speed_fwd=np.array(speeds, dtype=np.uint8),
        speed_bwd=np.array(speeds, dtype=np.uint8),
        attr=np.zeros(n, dtype=np.uint32),
    )


def world() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    boxes = {
        "A": (-500, -500, 500, 500),
        "B": (10_000, -500, 11_000, 500),
        "C": (-19_000, -500, -18_000, 500),
        "D": (99_500, -500, 100_500, 500),
        "E": (3_000, -3_000, 4_000, -2_000),
    }
    areas = gpd.GeoDataFrame(
        {
            "regsonamn": list(boxes),
            "kommunkod": KOMMUNER,
            "kommunnamn": ["Ett", "Två", "Tre", "Fyra", "Fem"],
            "lanskod": ["01"] * 5,
            "omradestyp_2023": [1, 3, 3, 3, 3],  # only A is in the rule
            "folkmangd_2023": [100] * 5,
        },
        geometry=[box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in boxes.values()],
        index=pd.Index(list(boxes), name="regsokod"),
        crs="EPSG:3006",
    )
    office = gpd.GeoDataFrame(
        {"name": ["AF Fyra"], "agency": ["af"], "status": ["open"], "kommunkod": ["0004"]},
        geometry=gpd.points_from_xy([X0 + 100_000], [Y0]),
        crs="EPSG:3006",
    )
    return areas, office


def states(unknown: str) -> pd.DataFrame:
    """Every kommun's AF presence known or none, but ``unknown``'s."""
    af = ["unknown" if k == unknown else ("known" if k == "0004" else "none") for k in KOMMUNER]
    return pd.DataFrame({"af": af}, index=pd.Index(KOMMUNER, name="kommunkod"))


def run(unknown: str, measure: str, **limits: float) -> gaps.GapResult:
    areas, office = world()
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), measure=measure, **limits)
    return gaps.analyse(areas, office, rule, states=states(unknown), roads=network())


def test_a_kommun_near_in_a_straight_line_but_far_by_road():
    straight = run("0002", "straight", max_km=15.0)
    assert straight.unknown["A"] and not straight.gap["A"]
    assert straight.causes.values.tolist() == [["A", "af", "0002", "straight"]]
    road = run("0002", "road", max_km=15.0, max_min=10.0)
    assert road.distances.loc["A", "measure"] == "road" and road.distances.loc["A", "road_min_any"] > 10
    # 30.5 min round the lake: an office the register does not know there is not within 10 min
    assert road.gap["A"] and not road.unknown["A"] and road.causes.empty
    by_km = run("0002", "road", max_km=15.0)  # road km: 30.5 km > 15
    assert by_km.gap["A"] and not by_km.unknown["A"]


def test_a_kommun_far_in_a_straight_line_but_near_by_road():
    straight = run("0003", "straight", max_km=15.0)  # C is 18 km away
    assert straight.gap["A"] and not straight.unknown["A"]
    road = run("0003", "road", max_km=15.0, max_min=10.0)
    # the motorway enters C after 18 km = 9 min, though the edge's end node is 15 min away
    assert road.unknown["A"] and not road.gap["A"]
    assert road.causes.values.tolist() == [["A", "af", "0003", "road"]]
    assert road.unknown_areas.loc["A", "unknown_measure"] == "road"
    assert not run("0003", "road", max_km=15.0, max_min=8.5).unknown["A"]  # 9 min > 8.5
    assert run("0003", "road", max_km=18.5).unknown["A"]  # by road km: 18 ≤ 18.5
    assert not run("0003", "road", max_km=17.5).unknown["A"]


def test_a_kommun_without_roads_is_judged_by_the_straight_line_and_says_so():
    road = run("0005", "road", max_km=15.0, max_min=10.0)
    assert road.unknown["A"] and road.causes.values.tolist() == [["A", "af", "0005", "straight"]]
    assert road.unknown_areas.loc["A", "unknown_measure"] == "straight"
    assert "unknown_measure" in run("0005", "straight", max_km=15.0).unknown_areas


def test_own_kommun_unknown_is_always_unknown_by_road():
    road = run("0001", "road", max_km=15.0, max_min=1.0)
    assert road.unknown["A"] and road.causes.values.tolist() == [["A", "af", "0001", "road"]]


@pytest.mark.parametrize(("unknown", "expected"), [("0002", False), ("0003", True), ("0005", True)])
def test_scenario_and_why_table_measure_as_the_gap(unknown, expected):
    areas, office = world()
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=15.0, measure="road", max_min=10.0)
    result = siting.scenario(areas, office, rule, roads=network())
    flagged = siting.presence_unknown_in(result, areas, gaps.area_points(areas), states(unknown))
    assert bool(flagged["A"]) is expected
    split = siting.split_unknown(result, flagged)
    assert split.national["unknown_areas_before"] == int(expected)
    assert split.national["known_gap_areas_before"] == int(not expected)
    gap = run(unknown, "road", max_km=15.0, max_min=10.0)
    causes = unknowns.result_causes(gap, areas, gaps.area_points(areas), states(unknown))
    assert causes["kommunkod"].tolist() == ([unknown] if expected else [])


def grid_world(seed: int) -> tuple[roads.RoadNetwork, gpd.GeoDataFrame]:
    """A 6 × 6 km road grid (1 km edges, mixed speeds, some one-way) under nine 2 km areas in three kommuner."""
    rng = np.random.default_rng(seed)
    ends = [((x, y), (x + 1, y)) for x in range(5) for y in range(6)] + [
        ((x, y), (x, y + 1)) for x in range(6) for y in range(5)
    ]
    speeds = rng.choice([30, 50, 70, 90], len(ends)).astype(np.uint8)
    one_way = rng.random(len(ends)) < 0.25
    coords = np.array([(X0 + 1_000.0 * x, Y0 + 1_000.0 * y) for pair in ends for x, y in pair])
    network = roads.RoadNetwork(
        name="grid",
        coords=coords,
        offsets=np.arange(0, 2 * len(ends) + 1, 2, dtype=np.int64),
        length_m=np.full(len(ends), 1_000.0, dtype=np.float32),
        speed_fwd=speeds,
        speed_bwd=np.where(one_way, 0, speeds).astype(np.uint8),
        attr=np.zeros(len(ends), dtype=np.uint32),
    )
    cells = [(i, j) for i in range(3) for j in range(3)]  # kommun = column: boundaries cross edges mid-way
    areas = gpd.GeoDataFrame(
        {"kommunkod": [f"000{i + 1}" for i, _ in cells]},
        geometry=[
            box(X0 - 500 + 2_000 * i, Y0 - 500 + 2_000 * j, X0 + 1_500 + 2_000 * i, Y0 + 1_500 + 2_000 * j)
            for i, j in cells
        ],
        index=pd.Index([f"R{i}{j}" for i, j in cells], name="regsokod"),
        crs="EPSG:3006",
    )
    return network, areas


def reference_reach(network: roads.RoadNetwork, xy: np.ndarray, areas: gpd.GeoDataFrame, limit: float, by_min: bool):
    """(area, kommun) within ``limit``: one Dijkstra per area, every edge crossing a kommun's area intersected."""
    origins = roads.snap(network, xy)
    graph, o_ids, _ = roads.build_graph(network, origins, roads.snap(network, np.empty((0, 2))))
    size = graph.time.shape[0]
    metres = sparse.csr_matrix((np.maximum(graph.metres, 1e-3), (graph.key // size, graph.key % size)), (size, size))
    t_fwd, t_bwd = network.seconds()
    length = network.length_m.astype(float)
    w_fwd, w_bwd = (
        (t_fwd, t_bwd)
        if by_min
        else (np.where(np.isfinite(t_fwd), length, np.inf), np.where(np.isfinite(t_bwd), length, np.inf))
    )
    _, u, v = network.nodes
    found = set()
    for i, oid in enumerate(o_ids):
        dist = csgraph.dijkstra(graph.time if by_min else metres, indices=oid)
        for code, poly in zip(areas["kommunkod"], areas.geometry, strict=True):
            for e, line in enumerate(network.geometry):
                if not line.intersects(poly):
                    continue
                at = [line.project(Point(c), normalized=True) for c in shapely.get_coordinates(line & poly)]
                best = min(
                    dist[u[e]] + min(at) * w_fwd[e] if np.isfinite(w_fwd[e]) else np.inf,
                    dist[v[e]] + (1 - max(at)) * w_bwd[e] if np.isfinite(w_bwd[e]) else np.inf,
                )
                if best <= limit:
                    found.add((areas.index[i], code))
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_reach_by_road_equals_one_dijkstra_per_area(seed):
    """The per-kommun runs from a sink on the reversed graph give what one run per area gives."""
    network, areas = grid_world(seed)
    points = gaps.area_points(areas)
    xy = routing.access_points(network, areas.geometry, points)
    unknown = pd.DataFrame({"af": ["unknown"] * 3}, index=pd.Index(["0001", "0002", "0003"], name="kommunkod"))
    checked = 0
    for max_min, max_km in [(1.0, 9.0), (2.0, 9.0), (3.5, 9.0), (None, 1.2), (None, 2.6), (None, 4.0)]:
        reach = unknown_reach.Reach(("af",), max_km, max_min, network, xy, np.ones(len(areas), dtype=bool))
        pairs = unknown_reach.unknown_pairs(areas, points, unknown, reach)
        assert set(pairs["measure"]) == {"road"}
        limit = max_min * 60.0 if max_min is not None else max_km * 1e3
        expected = reference_reach(network, xy, areas, limit, max_min is not None)
        expected |= set(zip(areas.index, areas["kommunkod"], strict=True))  # its own kommun always
        assert set(zip(pairs["regsokod"], pairs["kommunkod"], strict=True)) == expected
        checked += len(expected) - len(areas)
    assert checked > 20  # the limits reach neighbouring kommuner, not only the own
