"""``geo-app route``, ``geo-app gaps --measure road`` and ``geo-app import roads`` (issue 24)."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo_app.analysis import gaps, roads, routing, siting
from geo_app.cli import main
from geo_app.data import roads as road_files
from tests.test_roads import EDGES, LJUGARN, VISBY, X0, Y0, hand_areas_and_office, hand_network, pipos_bytes


def run_json(capsys, *args: str) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_route_visby_ljugarn_by_road(capsys, user_dir):
    got = run_json(
        capsys, "route", "--from", "{},{}".format(*VISBY), "--to", "{},{}".format(*LJUGARN), "--format", "json"
    )
    assert {"km", "minutes", "straight_km", "measure"} <= set(got)
    assert got["measure"] == "road" and got["km"] > got["straight_km"] > 35
    assert got["km"] / 90 * 60 < got["minutes"] < got["km"] / 50 * 60
    assert "Gotland" in got["network"]


def test_route_off_the_network_is_the_straight_line_and_says_so(capsys, user_dir):
    got = run_json(capsys, "route", "--from", "{},{}".format(*VISBY), "--to", "18.07,59.33", "--format", "json")
    assert got["measure"] == "straight" and got["minutes"] is None and got["km"] == got["straight_km"] > 150
    assert main(["route", "--from", "18.29", "--to", "18.3,57.6"]) == 2
    assert main(["route", "--from", "2.35,48.85", "--to", "18.3,57.6"]) == 2
    assert "not in Sweden" in capsys.readouterr().err


def test_gaps_by_road_fills_gotland_and_labels_the_rest_straight(capsys, user_dir):
    args = ["gaps", "--measure", "road", "--max-min", "30", "--types", "1,2,3,4,5", "--indicator", "none"]
    assert main([*args, "--by", "all", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out), dtype={"regsokod": str, "kommunkod": str})
    for agency in ("af", "ssc", "any"):
        assert {f"road_km_{agency}", f"road_min_{agency}"} <= set(table.columns)
    gotland = table[table["kommunkod"] == "0980"]
    rest = table[table["kommunkod"] != "0980"]
    by_road = gotland[gotland["measure"] == "road"]
    assert len(by_road) >= len(gotland) - 3 and by_road[["road_km_any", "road_min_any"]].notna().all().all()
    assert (by_road["road_km_any"] >= by_road["dist_km_any"] - 2).all()  # snap distances aside, road ≥ ruler
    # a Gotland area by road is a gap by minutes; every other area is measured by the straight line, labelled so
    assert (by_road["gap"] == (by_road["road_min_any"] > 30)).all()
    assert set(rest["measure"]) == {"straight"} and rest["road_km_any"].isna().all()
    off = gotland[gotland["measure"] == "straight"]
    assert off["road_km_any"].isna().all() and off["gap"].notna().all()
    # Visby omland's inside point is 8.3 km out at sea: it is measured from the nearest road crossing it
    assert gotland.set_index("regsokod").loc["0980R011", "measure"] == "road"
    assert "by car on Pipos" in captured.err and "30 min by car" in captured.err
    # the default is the straight line, as before
    assert main(["gaps", "--types", "1,2,3,4,5", "--indicator", "none", "--by", "all"]) == 0
    plain = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"regsokod": str})
    assert set(plain["measure"]) == {"straight"} and "road_km_any" not in plain


def hand_lines(tmp_path, **overrides) -> str:
    """The hand-built network as a GeoPackage of lines with OSM-style maxspeed/oneway."""
    net = hand_network()
    lines = [shapely.LineString(net.coords[net.offsets[i] : net.offsets[i + 1]]) for i in range(net.n_edges)]
    frame = gpd.GeoDataFrame(
        {
            "maxspeed": [str(max(e[3], e[4])) for e in EDGES],
            "oneway": ["yes" if e[4] == 0 and e[3] > 0 else "no" for e in EDGES],
            "ferry": [int(e[5] == roads.FERRY) for e in EDGES],
            "length_m": [e[2] for e in EDGES],
        },
        geometry=lines,
        crs="EPSG:3006",
    )
    for column, (row, value) in overrides.items():
        frame.loc[row, column] = value
    path = tmp_path / "vagar.gpkg"
    frame.to_file(path, engine="pyogrio")
    return str(path)


def test_import_lines_then_route_on_them(capsys, user_dir, tmp_path):
    path = hand_lines(tmp_path)
    assert main(["import", "roads", path, "--name", "hand"]) == 0
    assert "7 edges" in capsys.readouterr().err
    network = road_files.load_roads()
    assert network is not None and network.n_edges == len(EDGES)
    # C → A: B ← C is one-way, so round by D (2236 + 1000 m at 30 km/h)
    r = routing.route(network, np.array([X0 + 2000, Y0]), np.array([X0, Y0]))
    assert r["minutes"] == pytest.approx((2236 + 1000) * 3.6 / 30 / 60, abs=0.01)
    assert (network.attr & roads.FERRY).sum() == roads.FERRY  # one ferry edge, excluded


def test_import_pipos_zip_and_a_bad_file_changes_nothing(capsys, user_dir, tmp_path):
    with zipfile.ZipFile(tmp_path / "net.zip", "w") as archive:
        archive.writestr("net.bin", pipos_bytes(hand_network()))
    assert main(["import", "roads", str(tmp_path / "net.zip"), "--name", "pipos"]) == 0
    kept = road_files.imported_roads_dir() / "pipos.parquet"
    before = kept.read_bytes()
    capsys.readouterr()
    bad = hand_lines(tmp_path, maxspeed=(3, "fast"))
    assert main(["import", "roads", bad, "--name", "pipos"]) == 2
    err = capsys.readouterr().err
    assert "vagar.gpkg: feature 4, column 'maxspeed'" in err and "'fast'" in err
    assert kept.read_bytes() == before and sorted(p.name for p in kept.parent.iterdir()) == ["pipos.parquet"]
    (tmp_path / "junk.bin").write_bytes(b"\x00" * 40)
    assert main(["import", "roads", str(tmp_path / "junk.bin")]) == 2
    assert "not a Pipos road network" in capsys.readouterr().err
    assert main(["import", "roads", str(tmp_path / "net.zip"), "--dry-run", "--name", "other"]) == 0
    assert not (kept.parent / "other.parquet").exists()


# --- scenario and suggested sites by road ----------------------------------------------------------


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return Transformer.from_crs(3006, 4326, always_xy=True).transform(x, y)


def test_scenario_by_road_closes_a_gap_the_ruler_never_saw():
    areas, office = hand_areas_and_office()
    office.index = pd.Index(["af-b"], name="office_id")
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=20.0, measure="road", max_min=3.0)
    lon, lat = _lonlat(X0 + 2000, Y0 + 100)  # beside C
    add = pd.DataFrame({"lon": [lon], "lat": [lat], "agency": ["af"]})
    result = siting.scenario(areas, office, rule, add=add, roads=hand_network())
    table = result.areas
    assert table.loc["Q", "road_min_before"] == pytest.approx(7.47, abs=0.05) and table.loc["Q", "gap_before"]
    assert table.loc["Q", "road_min_after"] < 1 and not table.loc["Q", "gap_after"]
    assert table.loc["Q", "change"] == "closed" and table.loc["R", "measure"] == "straight"
    straight = siting.scenario(areas, office, replace(rule, measure="straight"), add=add, roads=hand_network())
    assert not straight.areas.loc["Q", "gap_before"] and "measure" not in straight.areas


def test_suggest_by_road_picks_the_site_a_car_can_reach():
    net = hand_network()
    demand = gpd.GeoDataFrame(
        {"population": [100.0], "unemployed": [5.0], "regsonamn": ["Q"], "kommunkod": ["0001"], "kommunnamn": ["Ett"]},
        geometry=gpd.points_from_xy([X0 + 2000], [Y0]),
        index=pd.Index(["Q"], name="regsokod"),
        crs="EPSG:3006",
    )
    cands = gpd.GeoDataFrame(
        {"name": ["E", "D"], "kind": ["town", "town"], "kommunkod": ["0001"] * 2, "kommunnamn": ["Ett"] * 2},
        geometry=gpd.points_from_xy([X0 + 3000, X0], [Y0, Y0 + 1000]),
        index=pd.Index(["town:E", "town:D"], name="site_id"),
        crs="EPSG:3006",
    )
    existing = cands.iloc[:0]
    # by ruler E is 1 km from Q; by car C → E is prohibited and D is 4.5 min away (C-D at 30 km/h)
    plain = siting.suggest_sites(demand, cands, existing, 1.5, n=1)
    assert list(plain.sites["name"]) == ["E"]
    assert siting.on_road_network(net, demand).all()
    costs = siting.road_costs(net, demand, cands, existing, 5.0)
    assert costs.unit == "min" and np.isinf(costs.candidates[0, 0])
    assert costs.candidates[0, 1] == pytest.approx(2236 * 3.6 / 30 / 60, abs=0.01)
    by_road = siting.suggest_sites(demand, cands, existing, 1.5, n=1, costs=costs)
    assert list(by_road.sites["name"]) == ["D"] and by_road.totals["unit"] == "min"
    assert by_road.totals["max_km"] == 5.0 and by_road.totals["areas_covered_after"] == 1
    with pytest.raises(siting.SitingError, match="minutes"):
        siting.road_costs(net, demand, cands, existing, None)


def test_brief_uses_car_time_where_the_network_covers_the_area(user_dir):
    from geo_app.layers.bundle import load_bundle
    from geo_app.report.content import build_brief
    from geo_app.report.context import make_context

    ctx = make_context(load_bundle())
    assert ctx.rule.measure == "road" and ctx.rule.max_min == gaps.DEFAULT_MAX_MIN and "Gotland" in ctx.roads
    gotland = ctx.gap.distances.loc[ctx.bundle.regso["kommunkod"] == "0980"]
    assert (gotland["measure"] == "road").sum() >= 8
    assert set(ctx.gap.distances.loc[ctx.bundle.regso["kommunkod"] != "0980", "measure"]) == {"straight"}
    assert "restiden med bil längs vägarna: lucka om mer än 30 min" in build_brief(ctx, "kommun", "0980").gap_rule
    assert "bil" not in build_brief(ctx, "kommun", "1282").gap_rule  # Landskrona: no network, straight line only


def test_geopackage_gap_layer_carries_the_road_fields(user_dir):
    from geo_app.analysis.gap_rule import RuleOptions
    from geo_app.data import loaders
    from geo_app.export import gpkg
    from geo_app.layers.bundle import load_bundle

    bundle = load_bundle()
    rule = bundle.gap_rule(RuleOptions(types=(1, 2, 3, 4, 5), indicator="none", measure="road", max_min=20.0))
    result = gaps.analyse(bundle.regso, loaders.load_presence(), rule, roads=road_files.load_roads())
    gotland = bundle.regso.index[bundle.regso["kommunkod"] == "0980"]
    frame, rows = gpkg.gap_layer(bundle, result, gotland)
    assert len(frame) and {"vag_km", "bil_min", "omvagsfaktor", "matt", "avstand_km"} <= set(frame.columns)
    by_road = frame[frame["matt"] == "road"]
    assert len(by_road) and (by_road["bil_min"] > 20).all() and by_road["vag_km"].notna().all()
    assert "20 minuter med bil" in frame["regel"].iloc[0]
    titles = {r["falt"]: r["beskrivning"] for r in rows}
    assert titles["bil_min"].startswith("Restid med bil") and titles["matt"].startswith("Mått för området")


def test_export_by_road_round_trips_the_gap_csv_road_columns(capsys, user_dir, tmp_path):
    import pyogrio

    rule = ["--measure", "road", "--max-min", "20", "--types", "1,2,3,4,5", "--indicator", "none"]
    out = tmp_path / "gotland.gpkg"
    assert main(["export", str(out), "--kommun", "0980", "--layers", "luckor", *rule]) == 0
    assert "20 min by car" in capsys.readouterr().err
    layer = pyogrio.read_dataframe(out, layer="luckor").set_index("regsokod")
    assert main(["gaps", *rule, "--by", "area", "--format", "csv"]) == 0
    csv = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"regsokod": str, "kommunkod": str})
    csv = csv[csv["kommunkod"] == "0980"].set_index("regsokod")
    assert len(layer) and sorted(layer.index) == sorted(csv.index)  # the same gaps as `geo-app gaps`
    for agency, suffix in (("af", "_af"), ("ssc", "_ssc"), ("any", "")):
        for gpkg_field, csv_column in (
            (f"bil_min{suffix}", f"road_min_{agency}"),
            (f"vag_km{suffix}", f"road_km_{agency}"),
        ):
            pd.testing.assert_series_equal(
                layer[gpkg_field].loc[csv.index], csv[csv_column], check_names=False, check_dtype=False
            )
    assert layer["matt"].equals(csv["measure"].loc[layer.index].rename("matt"))
    assert (layer["matt"] == "road").sum() >= 1 and (layer.loc[layer["matt"] == "road", "bil_min"] > 20).all()
    om_data = pyogrio.read_dataframe(out, layer="om_data")
    titles = dict(zip(om_data["falt"], om_data["beskrivning"], strict=False))
    assert "[CSV road_min_af]" in titles["bil_min_af"] and "[CSV measure]" in titles["matt"]
    # straight (the default): no road fields, every area labelled straight
    straight = tmp_path / "straight.gpkg"
    assert main(["export", str(straight), "--kommun", "0980", "--layers", "luckor", *rule[4:], "--max-km", "5"]) == 0
    plain = pyogrio.read_dataframe(straight, layer="luckor")
    assert len(plain) and set(plain["matt"]) == {"straight"} and "bil_min" not in plain
