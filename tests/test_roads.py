"""Road network: Pipos binary reader, the kept Parquet form, snapping and car routing (issue 24).

A hand-built network checks every rule against times computed by hand; the real Gotland
network checks invariants (road ≥ straight line, plausible minutes, both engines agree).
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo_app.analysis import gaps, roads, routing
from geo_app.data import roads as road_files
from geo_app.errors import InputError

X0, Y0 = 600_000.0, 6_600_000.0  # somewhere in Sweden (EPSG:3006)

# name: (from, to, length m, km/h forward, km/h backward, attribute)
#   A(0,0) — B(1000,0) — C(2000,0) — E(3000,0); A — D(0,1000) — C; F(2000,1000) by a ferry and a dead road
NODES = {"A": (0, 0), "B": (1000, 0), "C": (2000, 0), "D": (0, 1000), "E": (3000, 0), "F": (2000, 1000)}
EDGES = [
    ("A", "B", 1000.0, 60, 60, 0),
    ("B", "C", 1000.0, 60, 0, 0),  # one-way B → C (speed 0 backward)
    ("A", "D", 1000.0, 30, 30, 0),
    ("D", "C", 2236.0, 30, 30, 0),
    ("C", "E", 1000.0, 90, 90, roads.FORWARD_PROHIBITED),  # only E → C may be driven
    ("D", "F", 2000.0, 20, 20, roads.FERRY),  # ferry: excluded
    ("B", "F", 1000.0, 0, 0, 0),  # speed 0 both ways: not drivable
]


def hand_network() -> roads.RoadNetwork:
    coords, offsets = [], [0]
    for a, b, *_ in EDGES:
        (xa, ya), (xb, yb) = NODES[a], NODES[b]
        coords += [(X0 + xa, Y0 + ya), (X0 + (xa + xb) / 2, Y0 + (ya + yb) / 2), (X0 + xb, Y0 + yb)]
        offsets.append(len(coords))
    return roads.RoadNetwork(
        name="hand-built",
        coords=np.array(coords, dtype=float),
        offsets=np.array(offsets, dtype=np.int64),
        length_m=np.array([e[2] for e in EDGES], dtype=np.float32),
        speed_fwd=np.array([e[3] for e in EDGES], dtype=np.uint8),
        speed_bwd=np.array([e[4] for e in EDGES], dtype=np.uint8),
        attr=np.array([e[5] for e in EDGES], dtype=np.uint32),
    )


def at(name: str, dx: float = 0.0, dy: float = 0.0) -> np.ndarray:
    x, y = NODES[name]
    return np.array([X0 + x + dx, Y0 + y + dy])


def test_nodes_join_end_points_rounded_to_whole_metres():
    net = hand_network()
    assert net.n_nodes == len(NODES)
    moved = net.coords.copy()
    moved[0] += 0.3  # A's end of edge 0 moved 0.3 m: still the same node after rounding
    net2 = replace(net, coords=moved)
    assert net2.n_nodes == len(NODES)


def test_route_by_hand_one_way_prohibited_speed_zero_and_ferry():
    net = hand_network()
    # A → C: A-B 1000 m at 60 (60 s) + B-C 1000 m at 60 (60 s) = 2 min, 2 km
    r = routing.route(net, at("A"), at("C"))
    assert r["measure"] == "road"
    assert r["minutes"] == pytest.approx(2.0, abs=0.01)
    assert r["km"] == pytest.approx(2.0, abs=0.001)
    assert r["straight_km"] == pytest.approx(2.0)
    # C → A: B ← C is one-way, so C-D (2236 m at 30: 268.32 s) + D-A (1000 m at 30: 120 s)
    r = routing.route(net, at("C"), at("A"))
    assert r["minutes"] == pytest.approx((2236 + 1000) * 3.6 / 30 / 60, abs=0.01)
    assert r["km"] == pytest.approx(3.236, abs=0.001)
    # C → E is prohibited forward; E → C allowed (1000 m at 90 = 40 s)
    assert routing.route(net, at("E"), at("C"))["minutes"] == pytest.approx(40 / 60, abs=0.01)
    assert routing.route(net, at("C"), at("E"))["measure"] == "straight"  # no drivable way: straight line, said so
    # F only by ferry or the speed-0 road: not reachable by car
    r = routing.route(net, at("A"), at("F"))
    assert r["measure"] == "straight" and r["minutes"] is None and r["km"] == r["straight_km"]


def test_points_snap_to_the_middle_of_an_edge():
    net = hand_network()
    # 250 m along A-B, 40 m off it → 750 m to B at 60 km/h, then B-C: 45 s + 60 s
    r = routing.route(net, at("A", 250, 40), at("C"))
    assert r["snap_from_m"] == pytest.approx(40.0)
    assert r["minutes"] == pytest.approx(105 / 60, abs=0.01)
    # two points on the same edge: directly along it, not through its ends
    r = routing.route(net, at("A", 200, 0), at("A", 700, 0))
    assert r["km"] == pytest.approx(0.5, abs=0.001)
    # the same edge against a one-way: around by D (B-C is one-way B → C)
    r = routing.route(net, at("B", 700, 0), at("B", 200, 0))
    assert r["km"] > 3.0


def test_far_point_falls_back_to_the_straight_line():
    net = hand_network()
    far = at("A", 0, -(roads.SNAP_MAX_M + 500))
    r = routing.route(net, far, at("C"))
    assert r["measure"] == "straight" and r["minutes"] is None
    assert r["snap_from_m"] == pytest.approx(roads.SNAP_MAX_M + 500)
    assert r["km"] == pytest.approx(np.hypot(2000, roads.SNAP_MAX_M + 500) / 1000, abs=0.001)


def test_nearest_office_is_nearest_in_time_not_in_metres():
    net = hand_network()
    points = np.array([at("C"), at("A"), at("A", 0, -5000)])
    # office 0 at B: C cannot drive to B (one-way) except round A; office 1 at E, reached from C? No: C → E prohibited.
    offices = np.array([at("B"), at("E"), at("D")])
    got = routing.nearest_by_road(net, points, offices)
    # From C: to B = C-D-A-B (268.32 + 120 + 60 s); to D = 268.32 s → D (office 2)
    assert got.loc[0, "office"] == 2
    assert got.loc[0, "road_min"] == pytest.approx(2236 * 3.6 / 30 / 60, abs=0.01)
    # From A: to B 60 s, to D 120 s → B
    assert got.loc[1, "office"] == 0 and got.loc[1, "road_km"] == pytest.approx(1.0, abs=0.001)
    # the far-off point has no road figure and says it is off the network
    assert not got.loc[2, "on_network"] and np.isnan(got.loc[2, "road_min"]) and got.loc[2, "office"] == -1


def test_time_matrix_equals_single_routes():
    net = hand_network()
    origins = np.array([at("A"), at("C"), at("E", 100, 30)])
    dests = np.array([at("B"), at("D"), at("F")])
    minutes, o_on, d_on = routing.time_matrix(net, origins, dests)
    assert o_on.all() and d_on.all()
    for i, o in enumerate(origins):
        for j, d in enumerate(dests):
            r = routing.route(net, o, d)
            expected = np.inf if r["minutes"] is None else r["minutes"]
            assert minutes[i, j] == pytest.approx(expected, abs=0.01)


# --- the Pipos binary ---------------------------------------------------------------------------


def pipos_bytes(net: roads.RoadNetwork, magic: int = road_files.PIPOS_MAGIC) -> bytes:
    """Write ``net`` in Pipos' binary layout (each pair of vertices one segment)."""
    parts = []
    segments = 0
    for i in range(net.n_edges):
        xy = net.coords[net.offsets[i] : net.offsets[i + 1]]
        segs = np.column_stack([xy[:-1], xy[1:]]).astype("<f4")
        segments += len(segs)
        head = struct.pack("<fBBII", net.length_m[i], net.speed_fwd[i], net.speed_bwd[i], net.attr[i], len(segs))
        parts.append(head + segs.tobytes())
    return struct.pack("<III", magic, net.n_edges, segments) + b"".join(parts)


def test_pipos_binary_and_zip_round_trip(tmp_path: Path):
    net = hand_network()
    (tmp_path / "n.bin").write_bytes(pipos_bytes(net))
    with zipfile.ZipFile(tmp_path / "n.zip", "w") as archive:
        archive.write(tmp_path / "n.bin", "n.bin")
    for name in ("n.bin", "n.zip"):
        got = road_files.read_pipos(tmp_path / name)
        assert np.array_equal(got.coords, net.coords.astype(np.float32).astype(float))
        assert np.array_equal(got.offsets, net.offsets)
        assert np.array_equal(got.speed_bwd, net.speed_bwd) and np.array_equal(got.attr, net.attr)
    road_files.write_parquet(got, tmp_path / "n.parquet")
    back = road_files.read_parquet(tmp_path / "n.parquet")
    for field in ("coords", "offsets", "length_m", "speed_fwd", "speed_bwd", "attr"):
        assert np.array_equal(getattr(back, field), getattr(got, field)), field
    assert routing.route(back, at("C"), at("A")) == routing.route(net, at("C"), at("A"))


def _bad_files(net: roads.RoadNetwork) -> dict[str, tuple[bytes, str]]:
    good = pipos_bytes(net)
    nan = bytearray(good)
    nan[12 + 14 : 12 + 18] = struct.pack("<f", float("nan"))  # first x of edge 1
    far = replace(net, coords=net.coords - [0, 5_000_000])
    return {
        "magic": (pipos_bytes(net, magic=0x1234), "not a Pipos road network"),
        "truncated": (good[:-10], "file has"),
        "padded": (good + b"\0" * 16, "file has"),
        "short": (b"\x96\x95", "too short"),
        "nan": (bytes(nan), "edge 1: coordinate is not a number"),
        "outside": (pipos_bytes(far), "not SWEREF 99 TM"),
        "huge": (struct.pack("<III", road_files.PIPOS_MAGIC, road_files.MAX_EDGES + 1, 0), "limits"),
    }


@pytest.mark.parametrize("case", ["magic", "truncated", "padded", "short", "nan", "outside", "huge"])
def test_hostile_pipos_files_are_refused_with_file_and_edge(tmp_path: Path, case: str):
    data, message = _bad_files(hand_network())[case]
    path = tmp_path / f"{case}.bin"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as err:
        road_files.read_pipos(path)
    assert path.name in str(err.value)


def test_zip_with_two_networks_is_refused(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a.bin", pipos_bytes(hand_network()))
        archive.writestr("b.bin", pipos_bytes(hand_network()))
    with pytest.raises(InputError, match="exactly one .bin"):
        road_files.read_pipos(tmp_path / "two.zip")


# --- the real network: Gotland ------------------------------------------------------------------

VISBY = (18.2948, 57.6348)  # Stora torget
LJUGARN = (18.7108, 57.3291)


@pytest.fixture(scope="module")
def gotland() -> roads.RoadNetwork:
    network = road_files.load_roads(user_dir=Path("/nonexistent"))
    assert network is not None
    return network


def to_3006(lon: float, lat: float) -> np.ndarray:
    from pyproj import Transformer

    return np.array(Transformer.from_crs(4326, 3006, always_xy=True).transform(lon, lat))


def test_gotland_embedded_matches_the_source(gotland: roads.RoadNetwork):
    summary = gotland.summary()
    assert summary["edges"] == 28_493
    assert summary["km"] == pytest.approx(6_185, abs=1)
    assert summary["ferry_edges"] == 1
    assert 20_000 < summary["nodes"] < 28_493


def test_visby_to_ljugarn_is_longer_by_road_and_plausible(gotland: roads.RoadNetwork):
    r = routing.route(gotland, to_3006(*VISBY), to_3006(*LJUGARN))
    assert r["measure"] == "road"
    assert r["km"] > r["straight_km"] > 35
    assert r["km"] < 1.5 * r["straight_km"]
    # Gotland's roads run at 30–90 km/h (70 on most): the time lies between those speeds
    assert r["km"] / 90 * 60 < r["minutes"] < r["km"] / 50 * 60
    assert 30 < r["minutes"] < 50  # Pipos' own figure: about 37 minutes
    back = routing.route(gotland, to_3006(*LJUGARN), to_3006(*VISBY))
    assert back["minutes"] == pytest.approx(r["minutes"], rel=0.05)


def test_gotland_nearest_and_matrix_agree(gotland: roads.RoadNetwork):
    rng = np.random.default_rng(24)
    x0, y0, x1, y1 = gotland.bounds()
    nodes = gotland.nodes[0]
    points = nodes[rng.choice(len(nodes), 60, replace=False)] + rng.normal(0, 50, (60, 2))
    offices = nodes[rng.choice(len(nodes), 5, replace=False)]
    near = routing.nearest_by_road(gotland, points, offices)
    minutes, _, _ = routing.time_matrix(gotland, points, offices)
    best = minutes.min(axis=1)
    reached = np.isfinite(best)
    assert reached.mean() > 0.8  # ≈ 95 % of nodes are in the largest connected part
    assert np.allclose(near["road_min"].to_numpy()[reached], best[reached], atol=1e-6)
    assert np.isnan(near["road_min"].to_numpy()[~reached]).all()
    straight = np.hypot(*(points[reached, None, :] - offices[None]).transpose(2, 0, 1)).min(axis=1) / 1000
    assert (near["road_km"].to_numpy()[reached] >= straight - 2 * roads.SNAP_MAX_M / 1000).all()
    # off the island: no road figure
    assert not routing.nearest_by_road(gotland, np.array([[x0 - 50_000, y0]]), offices)["on_network"].iloc[0]
    assert x1 > x0 and y1 > y0


# --- the gap rule by road -------------------------------------------------------------------------


def hand_areas_and_office():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    centres = {"P": at("A"), "Q": at("C"), "R": at("A", 0, -5000)}
    areas = gpd.GeoDataFrame(
        {
            "regsonamn": list(centres),
            "kommunkod": ["0001"] * 3,
            "kommunnamn": ["Ett"] * 3,
            "lanskod": ["01"] * 3,
            "omradestyp_2023": [1, 1, 1],
            "folkmangd_2023": [100, 200, 300],
        },
        geometry=[box(x - 10, y - 10, x + 10, y + 10) for x, y in centres.values()],
        index=pd.Index(list(centres), name="regsokod"),
        crs="EPSG:3006",
    )
    office = gpd.GeoDataFrame(
        {"name": ["AF B"], "agency": ["af"], "status": ["open"], "kommunkod": ["0001"]},
        geometry=gpd.points_from_xy([at("B")[0]], [at("B")[1]]),
        crs="EPSG:3006",
    )
    return areas, office


def test_gap_rule_in_minutes_by_road_with_a_labelled_straight_fallback():

    areas, office = hand_areas_and_office()
    net = hand_network()
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=20.0, measure="road", max_min=3.0)
    result = gaps.analyse(areas, office, rule, roads=net)
    d = result.distances
    # P: A → B 1 min; Q: 1 km from B in a straight line, but C → B only round by D: 7.5 min; R: off the network
    assert d.loc["P", "road_min_af"] == pytest.approx(1.0, abs=0.01)
    assert d.loc["Q", "road_min_af"] == pytest.approx((2236 * 3.6 / 30 + 120 + 60) / 60, abs=0.02)
    assert d.loc["Q", "dist_km_af"] == pytest.approx(1.0, abs=0.02)
    assert d["measure"].to_dict() == {"P": "road", "Q": "road", "R": "straight"}
    assert np.isnan(d.loc["R", "road_km_any"]) and d.loc["R", "snap_m"] > roads.SNAP_MAX_M
    assert result.gap.to_dict() == {"P": False, "Q": True, "R": False}
    assert list(result.areas.index) == ["Q"] and result.areas.loc["Q", "measure"] == "road"
    # by road km instead of minutes: Q's 3.3 km is within 20 km
    assert not gaps.analyse(areas, office, replace(rule, max_min=None), roads=net).gap.any()
    # straight line: the same road columns for information, every area labelled "straight"
    straight = gaps.analyse(areas, office, replace(rule, measure="straight", max_km=1.5), roads=net)
    assert set(straight.distances["measure"]) == {"straight"}
    assert straight.gap.to_dict() == {"P": False, "Q": False, "R": True}  # Q is 1 km away by ruler
    with pytest.raises(InputError, match="measure"):
        gaps.analyse(areas, office, replace(rule, measure="ruler"), roads=net)


def test_embedded_gotland_writes_back_the_source_bytes(gotland: roads.RoadNetwork):
    """The kept Parquet form loses nothing: written in Pipos' layout it is the source file, byte for byte."""
    from geo_app.data.paths import DEFAULT_SOURCE_DIR

    source = DEFAULT_SOURCE_DIR / road_files.GOTLAND_SOURCE
    if not source.exists():
        pytest.skip("../shared/data is not beside this checkout")
    with zipfile.ZipFile(source) as archive:
        original = archive.read(archive.namelist()[0])
    assert road_files.pipos_bytes(gotland) == original


def test_an_area_whose_inside_point_is_far_from_roads_is_measured_from_its_own_road():
    from shapely.geometry import box

    areas, office = hand_areas_and_office()
    # a big area around the network whose inside point lies ≈ 3 km south of every road
    big = box(X0 - 500, Y0 - 8_000, X0 + 3_500, Y0 + 1_500)
    inside = routing.xy_of(np.array([big.point_on_surface()], dtype=object))[0]
    assert roads.snap(hand_network(), inside).distance_m[0] > roads.SNAP_MAX_M
    xy = routing.access_points(hand_network(), np.array([big], dtype=object), np.array([big.point_on_surface()]))
    assert roads.snap(hand_network(), xy).distance_m[0] < 1.0 and big.contains(shapely.Point(xy[0]))
    areas.loc["P", "geometry"] = big
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=20.0, measure="road", max_min=3.0)
    assert gaps.analyse(areas, office, rule, roads=hand_network()).distances.loc["P", "measure"] == "road"


def test_gotland_nodes_and_arcs_as_sorted_unique_end_points(gotland: roads.RoadNetwork):
    """Node numbers follow the (x, y)-sorted unique rounded end points; one fastest arc per node pair."""
    n = gotland.n_edges
    ends = np.rint(np.concatenate([gotland.coords[gotland.offsets[:-1]], gotland.coords[gotland.offsets[1:] - 1]]))
    node_xy, inverse = np.unique(ends.astype(np.int64), axis=0, return_inverse=True)
    assert np.array_equal(gotland.nodes[0], node_xy.astype(float))
    assert np.array_equal(gotland.nodes[1], inverse.ravel()[:n]) and np.array_equal(
        gotland.nodes[2], inverse.ravel()[n:]
    )
    tail, head, seconds, _ = gotland.arcs
    key = tail * gotland.n_nodes + head
    assert np.all(np.diff(key) > 0)  # sorted, one per (tail, head)
    t_fwd, _ = gotland.seconds()
    u, v = gotland.nodes[1], gotland.nodes[2]
    drivable = np.flatnonzero(np.isfinite(t_fwd) & (u != v))
    at = np.searchsorted(key, u[drivable] * gotland.n_nodes + v[drivable])
    assert np.all(seconds[at] <= t_fwd[drivable])  # never slower than any parallel edge
