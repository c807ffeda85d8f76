"""Gap analysis on small hand-built geometries, office status rules and the embedded presence layer."""

from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo_app.analysis import gaps
from geo_app.analysis.names import fold_name
from geo_app.data import loaders
from geo_app.errors import InputError

CRS = "EPSG:3006"


def offices(rows):
    df = pd.DataFrame(rows, columns=["name", "agency", "status", "x", "y"])
    return gpd.GeoDataFrame(df.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(df.x, df.y), crs=CRS)


@pytest.fixture()
def areas():
    # Three 1 km squares on a line: A at x 0–1 km, B at 10–11 km, C at 50–51 km.
    geoms = [box(0, 0, 1000, 1000), box(10_000, 0, 11_000, 1000), box(50_000, 0, 51_000, 1000)]
    return gpd.GeoDataFrame(
        {"typ": [1, 2, 4], "arbl": [25.0, 5.0, 30.0]}, geometry=geoms, index=["A", "B", "C"], crs=CRS
    )


def test_distances_against_hand_computed_values(areas):
    pts = gaps.area_points(areas)
    offs = offices([("AF Ett", "af", "open", 500, 500 + 3000), ("SSC Två", "ssc", "open", 10_500, 500)])
    d = gaps.presence_distances(pts, offs)
    assert pts["A"].distance(Point(500, 500)) < 1  # point_on_surface of a square is its centre here
    assert d.loc["A", "dist_km_af"] == pytest.approx(3.0, abs=0.01)
    assert d.loc["B", "dist_km_ssc"] == pytest.approx(0.0, abs=0.01)
    assert d.loc["C", "dist_km_any"] == pytest.approx(40.0, abs=0.01)
    assert d.loc["C", "nearest_any"] == "SSC Två"
    assert d.loc["A", "n_within_any"] == 2  # both within 10 km of A's centre (3 km and 10 km)


def test_several_nearest_offices_are_all_named(areas):
    pts = gaps.area_points(areas)
    offs = offices([("Norr", "af", "open", 500, 2500), ("Söder", "af", "open", 500, -1500)])
    d = gaps.nearest_offices(pts, offs)
    assert d.loc["A", "nearest"] == "Norr; Söder"
    assert d.loc["A", "dist_km"] == pytest.approx(2.0, abs=0.01)


def typed(areas):
    """The fixture's types as the områdestyp column of 2023 (what a gap rule reads)."""
    return areas.rename(columns={"typ": "omradestyp_2023"})


def test_empty_presence_list_gives_no_distance_and_all_far(areas):
    pts = gaps.area_points(areas)
    d = gaps.presence_distances(pts, offices([]))
    assert d["dist_km_any"].isna().all() and (d["n_within_any"] == 0).all()
    assert gaps.gap_areas(typed(areas), d, gaps.GapRule(2023)).tolist() == [True, True, False]


def test_closed_offices_do_not_count(areas):
    pts = gaps.area_points(areas)
    offs = offices([("Stängt", "ssc", "closed", 500, 500), ("Öppet", "af", "open", 50_500, 500)])
    d = gaps.presence_distances(pts, offs)
    assert d.loc["A", "nearest_any"] == "Öppet"


def test_gap_rule_types_indicator_and_distance(areas):
    pts = gaps.area_points(areas)
    d = gaps.presence_distances(pts, offices([("X", "af", "open", 10_500, 500)]))
    # A: type 1, 10 km away; B: type 2, on the office; C: type 4.
    areas = typed(areas)
    assert gaps.gap_areas(areas, d, gaps.GapRule(2023, max_km=5)).tolist() == [True, False, False]
    assert gaps.gap_areas(areas, d, gaps.GapRule(2023, max_km=15)).tolist() == [False, False, False]
    rule = gaps.GapRule(2023, types=(1, 2, 4), max_km=5, indicator="arbl", above=20)
    assert gaps.gap_areas(areas, d, rule).tolist() == [
        True,
        False,
        True,
    ]
    with pytest.raises(InputError, match="unknown indicator"):
        gaps.gap_areas(areas, d, gaps.GapRule(2023, indicator="nope"))


def test_points_outside_sweden_are_rejected():
    sweden = box(0, 0, 100_000, 100_000)
    gaps.check_points_in_sweden(offices([("in", "af", "open", 50_000, 50_000)]), sweden)
    with pytest.raises(InputError, match="outside Sweden: far"):
        gaps.check_points_in_sweden(
            offices([("in", "af", "open", 5, 5), ("far", "af", "open", 500_000, 5)]).set_index("name"), sweden
        )


def test_fold_name_matches_geonames_spellings():
    folded = fold_name(pd.Series(["Växjö", "Vaexjoe", "Vaxjo Kommun", "Umeå", "Umea"]))
    assert folded.tolist() == ["vaxjo", "vaxjo", "vaxjo", "umea", "umea"]


def test_embedded_presence_layer():
    offs = loaders.load_presence(date(2026, 11, 21))
    assert offs.crs.to_epsg() == 3006 and offs.index.is_unique
    assert set(offs["agency"]) == {"af", "ssc", "kommun"}
    assert set(offs["precision"]) <= {"area", "town", "kommun"}
    assert offs["source_url"].str.startswith("http").all()
    assert offs["regsokod"].notna().all()  # every point lies in a RegSO area
    # The 2025 closures decided by SSC's board have passed by late 2026; before the decision they were open.
    assert offs.loc["ssc-1784-servicekontor_arvika", "status"] == "closed"
    assert loaders.load_presence(date(2025, 1, 1)).loc["ssc-1784-servicekontor_arvika", "status"] == "open"
    assert loaders.load_presence(date(2025, 5, 1)).loc["ssc-1784-servicekontor_arvika", "status"] == "closing"
    vivalla = offs.loc["ssc-1880-servicekontor_orebro_vivalla"]
    assert vivalla["precision"] == "area" and vivalla["regsokod"].startswith("1880")
    # Kommunsamverkan points sit at the kommun's main town, with precision "kommun".
    assert (offs.loc[offs["agency"] == "kommun", "precision"] == "kommun").all()


def test_national_distances_on_real_data():
    regso = loaders.load_regso()
    d = gaps.presence_distances(gaps.area_points(regso), loaders.load_presence(date(2026, 11, 21)))
    assert len(d) == 3363 and d["dist_km_any"].notna().all()
    assert (d["dist_km_any"] <= d[["dist_km_af", "dist_km_ssc"]].min(axis=1) + 1e-9).all()
    assert d["dist_km_any"].max() < 500


def test_kommun_table_counts_rule_areas_near_or_far(areas):
    areas = areas.assign(
        kommunkod=["0001", "0001", "0002"],
        kommunnamn=["Ett", "Ett", "Två"],
        folkmangd_2023=[100, 200, 300],
        omradestyp_2023=[1, 2, 1],
    )
    offs = offices([("AF Ett", "af", "open", 10_500, 500)]).assign(kommunkod=["0001"])
    d = gaps.presence_distances(gaps.area_points(areas), offs)
    rule = gaps.rule_areas(areas, "omradestyp_2023")
    table = gaps.kommun_gap_table(areas, d, rule, offs, 2023)
    # Kommun 0001: A (10 km away) and B (on the office) both match the rule, whatever the distance.
    assert table.loc["0001", "areas"] == 2 and table.loc["0001", "population"] == 300
    assert table.loc["0001", "max_dist_km_any"] == pytest.approx(10.0, abs=0.1)
    assert bool(table.loc["0001", "has_af"]) and not bool(table.loc["0001", "has_ssc"])
    assert table.loc["0002", "areas"] == 1 and not bool(table.loc["0002", "has_af"])
