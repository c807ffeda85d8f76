"""What-if scenarios and suggested sites (geo_app.analysis.siting) and their CLI commands."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo_app.analysis import gaps, siting
from geo_app.analysis.gaps import GapRule
from geo_app.cli import main
from geo_app.data import loaders
from geo_app.errors import InputError

X0, Y0 = 500_000.0, 6_600_000.0  # a line of points in EPSG:3006 (central Sweden)


def line_points(km, **columns) -> gpd.GeoDataFrame:
    """Points at ``X0 + km`` on a horizontal line, with the given columns."""
    geom = shapely.points(X0 + np.asarray(km, float) * 1000.0, np.full(len(km), Y0))
    return gpd.GeoDataFrame(columns, geometry=geom, crs="EPSG:3006")


def demand_line(km, weights) -> gpd.GeoDataFrame:
    n = len(km)
    d = line_points(
        km,
        regsonamn=[f"A{i}" for i in range(n)],
        kommunkod="0001",
        kommunnamn="K",
        population=np.asarray(weights, float),
        unemployed=np.asarray(weights, float) / 10,
        unemployed_kind="test",
    )
    d.index = [f"A{i}" for i in range(n)]
    return d


def candidate_line(km) -> gpd.GeoDataFrame:
    c = line_points(km, name=[f"C{k:g}" for k in km], kind="town", kommunkod="0001", kommunnamn="K")
    c.index = [f"C{k:g}" for k in km]
    return c


NO_OFFICES = line_points([], agency=[], name=[], status=[])

# Demand a=0, b=10, e=15, c=20, d=30 km (weights 3, 3, 1, 3, 3); sites L=5, M=15, R=25; radius 5.5 km.
# Greedy takes M (b+e+c = 7) and then L or R (+3) = 10; the optimum L+R covers 12.
TRAP_DEMAND = ([0, 10, 15, 20, 30], [3, 3, 1, 3, 3])
TRAP_SITES = [5, 15, 25]


# --------------------------------------------------------------------------- hand-built optima


def test_mclp_finds_the_optimum_greedy_misses():
    s = siting.suggest_sites(demand_line(*TRAP_DEMAND), candidate_line(TRAP_SITES), NO_OFFICES, 5.5, n=2)
    assert set(s.sites.index) == {"C5", "C25"}
    assert s.totals["covered_after"] == 12 and s.totals["covered_before"] == 0
    assert s.totals["optimal"] and s.totals["status"] == "optimal"
    assert s.greedy_totals["covered_after"] == 10 and s.greedy.index[0] == "C15"
    assert s.sites["demand_added"].sum() == 12 and set(s.sites["demand_added"]) == {6.0}
    assert list(s.sites.columns[:7]) == ["name", "kind", "kommunkod", "kommunnamn", "lon", "lat", "demand_added"]
    assert s.totals["weight_kind"].startswith("population")
    assert list(s.uncovered.index) == ["A2"]


def test_mclp_with_existing_office_locked_in():
    # An office at 5 km already covers a and b: the best single new site is then R (c + d = 6), not M.
    existing = line_points([5], agency=["af"], name=["Kontor"], status=["open"])
    s = siting.suggest_sites(demand_line(*TRAP_DEMAND), candidate_line(TRAP_SITES), existing, 5.5, n=1)
    assert list(s.sites.index) == ["C25"]
    assert s.totals["covered_before"] == 6 and s.totals["covered_after"] == 12
    assert s.totals["areas_covered_before"] == 2 and s.totals["areas_covered_after"] == 4


def test_mclp_equal_weight_and_unemployed_weight_are_labelled():
    d, c = demand_line(*TRAP_DEMAND), candidate_line(TRAP_SITES)
    eq = siting.suggest_sites(d, c, NO_OFFICES, 5.5, n=1, weight="equal")
    assert list(eq.sites.index) == ["C15"] and eq.totals["covered_after"] == 3  # three areas
    assert eq.totals["weight_kind"].startswith("equal")
    un = siting.suggest_sites(d, c, NO_OFFICES, 5.5, n=2, weight="unemployed")
    assert un.totals["weight_kind"] == "unemployed (test)" and un.totals["covered_after"] == pytest.approx(1.2)


def test_lscp_fewest_sites_to_cover_all():
    s = siting.suggest_sites(
        demand_line([0, 10, 20, 30], [1, 1, 1, 1]), candidate_line([5, 15, 25]), NO_OFFICES, 5.5, objective="lscp"
    )
    assert set(s.sites.index) == {"C5", "C25"} and s.totals["optimal"]
    assert s.totals["covered_after"] == s.totals["demand_total"] == 4
    assert s.greedy_totals["sites"] >= 2


def test_pmedian_least_weighted_distance_with_existing_office():
    # Office at 0 km (covers A0 within 1 km). Uncovered: 10 km (weight 5), 20 km (weight 1).
    # A site at 12: 5·2 + 1·8 = 18; at 20: 5·10 (to the office) + 0 = 50. → 12.
    existing = line_points([0], agency=["ssc"], name=["Kontor"], status=["open"])
    s = siting.suggest_sites(
        demand_line([0, 10, 20], [9, 5, 1]), candidate_line([12, 20]), existing, 1.0, n=1, objective="pmedian"
    )
    assert list(s.sites.index) == ["C12"] and s.totals["optimal"]
    assert s.totals["mean_km_before"] == pytest.approx((5 * 10 + 1 * 20) / 6, abs=0.01)
    assert s.totals["mean_km_after"] == pytest.approx(18 / 6, abs=0.01)
    assert s.greedy_totals["mean_km_after"] >= s.totals["mean_km_after"]


# --------------------------------------------------------------------------- bad input


def test_bad_n_and_unknown_options():
    d, c = demand_line(*TRAP_DEMAND), candidate_line(TRAP_SITES)
    for kw, words in (
        ({"n": 0}, "at least one"),
        ({"n": -2}, "at least one"),
        ({"n": 4}, "only 3 candidate"),
        ({"n": 1, "objective": "pcenter"}, "unknown objective"),
        ({"n": 1, "weight": "votes"}, "unknown weight"),
        ({"n": 1, "time_limit_s": 0}, "time limit"),
    ):
        with pytest.raises(siting.SitingError, match=words):
            siting.suggest_sites(d, c, NO_OFFICES, 5.5, **kw)
    assert issubclass(siting.SitingError, InputError)


def test_cover_all_infeasible_names_the_unreachable_areas():
    d = demand_line([0, 10, 100], [1, 1, 1])
    with pytest.raises(siting.SitingError) as err:
        siting.suggest_sites(d, candidate_line([5, 15]), NO_OFFICES, 5.5, objective="lscp")
    msg = str(err.value)
    assert "A2" in msg and "1 area(s)" in msg and "85 km" in msg and "A0" not in msg


@pytest.fixture(scope="module")
def regso():
    return loaders.load_regso()


@pytest.mark.parametrize(
    "lon,lat,words",
    [
        (11.0, 57.5, "in the sea or abroad"),  # Kattegat
        (10.75, 59.91, "outside Sweden"),  # Oslo
        (59.33, 18.07, "look swapped"),  # Stockholm with lon and lat swapped
    ],
)
def test_new_office_outside_sweden_is_refused(regso, lon, lat, words):
    with pytest.raises(siting.SitingError, match=words):
        siting.new_offices(pd.DataFrame({"lon": [lon], "lat": [lat]}), regso)


def test_new_office_on_land_and_unknown_agency(regso):
    ok = siting.new_offices(pd.DataFrame({"lon": [18.07], "lat": [59.33], "agency": ["ssc"]}), regso)
    assert list(ok.index) == ["new-1"] and ok.crs.to_epsg() == 3006 and ok["agency"].iloc[0] == "ssc"
    with pytest.raises(siting.SitingError, match="use af, ssc or other"):
        siting.new_offices(pd.DataFrame({"lon": [18.07], "lat": [59.33], "agency": ["police"]}), regso)


# --------------------------------------------------------------------------- scenario arithmetic


def squares(km, types, pops, kommun) -> gpd.GeoDataFrame:
    """1 km squares centred on the line at ``km``."""
    geom = [shapely.box(X0 + k * 1000 - 500, Y0 - 500, X0 + k * 1000 + 500, Y0 + 500) for k in km]
    idx = pd.Index([f"R{i}" for i in range(len(km))], name="regsokod")
    return gpd.GeoDataFrame(
        {
            "regsonamn": [f"Område {i}" for i in range(len(km))],
            "kommunkod": kommun,
            "kommunnamn": [f"K{k}" for k in kommun],
            "omradestyp_2023": types,
            "folkmangd_2023": pops,
        },
        index=idx,
        geometry=geom,
        crs="EPSG:3006",
    )


@pytest.fixture()
def line_world():
    areas = squares([0, 10, 20, 30, 40], [1, 2, 1, 3, 2], [100, 200, 300, 400, 500], ["01", "01", "01", "02", "02"])
    pts = gaps.area_points(areas)
    offices = gpd.GeoDataFrame(
        {"agency": ["af"], "name": ["Kontor 0"], "status": ["open"]},
        index=pd.Index(["af-0"], name="office_id"),
        geometry=[pts.iloc[0]],
        crs="EPSG:3006",
    )
    return areas, offices, pts, GapRule(year=2023, types=(1, 2), max_km=15.0)


def at(pts, i) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"agency": ["af"]}, geometry=[pts.iloc[i]], crs="EPSG:3006")


def test_scenario_adding_a_point_closes_exactly_the_expected_gaps(line_world):
    areas, offices, pts, rule = line_world
    unemp = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=areas.index)
    r = siting.scenario(areas, offices, rule, add=at(pts, 4), points=pts, unemployed=unemp)
    # before: R2 (20 km, type 1) and R4 (40 km, type 2) are gaps; R3 is type 3 (not in the rule)
    assert list(r.areas.index[r.areas["gap_before"]]) == ["R2", "R4"]
    assert list(r.areas.index[r.areas["gap_after"]]) == ["R2"]  # R2 is 20 km from both offices
    assert r.areas["change"].to_dict() == {"R0": "", "R1": "", "R2": "", "R3": "", "R4": "closed"}
    assert r.areas.loc["R4", "dist_km_before"] == 40 and r.areas.loc["R4", "dist_km_after"] == 0
    n = r.national
    assert (n["rule_areas"], n["gap_areas_before"], n["gap_areas_after"]) == (4, 2, 1)
    assert (n["gap_population_before"], n["gap_population_after"]) == (800, 300)
    assert (n["gap_unemployed_before"], n["gap_unemployed_after"]) == (8, 3)
    assert r.kommuner.loc["02", "gap_areas_before"] == 1 and r.kommuner.loc["02", "gap_areas_after"] == 0
    assert r.kommuner.loc["01", "gap_population_after"] == 300
    assert r.kommuner.index[0] == "02"  # changed kommuner first


def test_scenario_point_in_the_middle_closes_both_and_removal_opens(line_world):
    areas, offices, pts, rule = line_world
    r = siting.scenario(areas, offices, rule, add=at(pts, 3), points=pts)
    assert r.national["gap_areas_after"] == 0 and set(r.areas.index[r.areas["change"] == "closed"]) == {"R2", "R4"}
    assert "gap_unemployed_after" not in r.national  # no unemployment given → not reported
    closed = siting.scenario(areas, offices, rule, remove=["af-0"], points=pts)
    assert closed.removed == ("af-0",)
    assert list(closed.areas.index[closed.areas["change"] == "opened"]) == ["R0", "R1"]
    assert closed.national["gap_areas_after"] == 4 and closed.areas["dist_km_after"].isna().all()
    by_name = siting.scenario(areas, offices, rule, remove=["kontor 0"], points=pts)
    assert by_name.removed == ("af-0",)
    with pytest.raises(siting.SitingError, match="unknown office 'af-9'"):
        siting.scenario(areas, offices, rule, remove=["af-9"], points=pts)
    # an office of an agency the rule does not count changes nothing
    other = at(pts, 4).assign(agency="other")
    assert siting.scenario(areas, offices, rule, add=other, points=pts).national["gap_areas_after"] == 2


# --------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def real():
    areas = loaders.load_regso()
    offices = loaders.load_presence(today=date(2026, 1, 1), user_dir=None)
    offices = offices[offices["origin"] == "embedded"]  # the committed list only, whatever the user imported
    pts = gaps.area_points(areas)
    rule = GapRule(year=2023, types=(1, 2), max_km=20.0)
    demand = siting.demand_areas(areas, rule, pts)
    cands = siting.candidate_sites(areas, loaders.load_towns(), offices, points=pts)
    return areas, offices, pts, rule, demand, cands


def test_real_candidates_and_demand(real):
    areas, offices, pts, rule, demand, cands = real
    assert len(demand) == int(areas["omradestyp_2023"].isin([1, 2]).sum())
    assert set(cands["kind"]) == {"town", "area", "ssc"} and cands["kommunkod"].notna().all()
    assert cands.index.is_unique and (cands["kind"] == "area").sum() == len(areas)


def test_real_optimum_never_worse_than_greedy(real):
    areas, offices, pts, rule, demand, cands = real
    existing = siting.counting_offices(offices, rule)
    mclp = siting.suggest_sites(demand, cands, existing, rule.max_km, n=5)
    assert mclp.totals["optimal"] and mclp.totals["sites"] == 5
    assert mclp.totals["covered_after"] >= mclp.greedy_totals["covered_after"] > mclp.totals["covered_before"]
    assert mclp.sites["demand_added"].sum() == pytest.approx(
        mclp.totals["covered_after"] - mclp.totals["covered_before"]
    )
    assert mclp.totals["solve_seconds"] < 10
    lscp = siting.suggest_sites(demand, cands, existing, rule.max_km, objective="lscp")
    assert lscp.totals["optimal"] and lscp.totals["covered_after"] == lscp.totals["demand_total"]
    assert lscp.totals["sites"] <= lscp.greedy_totals["sites"] and lscp.totals["solve_seconds"] < 10
    pmed = siting.suggest_sites(demand, cands[cands["kind"] != "area"], existing, rule.max_km, n=3, objective="pmedian")
    assert pmed.totals["mean_km_after"] <= pmed.greedy_totals["mean_km_after"] + 1e-9


def test_real_scenario_recompute_covers_every_area(real):
    # The speed budget (≤ 100 ms) is held by benchmarks/bench_siting.py, not by a timed test.
    areas, offices, pts, rule, *_ = real
    add = siting.new_offices(pd.DataFrame({"lon": [17.3], "lat": [62.39]}), areas)  # Sundsvall
    r = siting.scenario(areas, offices, rule, add=add, points=pts)
    assert r.national["gap_areas_after"] <= r.national["gap_areas_before"]
    assert len(r.areas) == len(areas) and r.areas.index.equals(areas.index)


# --------------------------------------------------------------------------- CLI


def test_cli_scenario_csv_and_json(user_dir, capsys):
    assert main(["scenario", "--add", "17.3,62.39:af", "--indicator", "none"]) == 0
    out, err = capsys.readouterr()
    header = out.splitlines()[0].split(",")
    assert header == [
        "regsokod",
        "regsonamn",
        "kommunkod",
        "kommunnamn",
        "omradestyp",
        "population",
        "unemployed",
        "dist_km_before",
        "dist_km_after",
        "nearest_before",
        "nearest_after",
        "gap_before",
        "gap_after",
        "change",
        "presence_unknown",
    ]
    assert "known_gap_areas:" in err and "unknown_presence_areas:" in err and "→" in err
    assert main(["scenario", "--add", "17.3,62.39", "--by", "kommun", "--format", "json", "--indicator", "none"]) == 0
    doc = json.loads(capsys.readouterr().out)
    beyond = doc["summary"]["beyond_distance_areas"]
    assert beyond["after"] <= beyond["before"]
    known, unknown = doc["summary"]["known_gap_areas"], doc["summary"]["unknown_presence_areas"]
    for when in ("before", "after"):  # a gap never rests on unknown presence: the two parts add up
        assert known[when] + unknown[when] == beyond[when]
    assert doc["summary"]["added"][0]["agency"] == "af" and "kommuner" in doc


def test_cli_suggest_csv_and_json(user_dir, capsys):
    assert main(["suggest", "--n", "2", "--candidates", "towns,ssc", "--indicator", "none"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split(",")[:8] == [
        "site_id",
        "name",
        "kind",
        "kommunkod",
        "kommunnamn",
        "lon",
        "lat",
        "demand_added",
    ]
    assert len(out.splitlines()) == 3 and "optimal: yes" in err and "greedy baseline" in err
    assert (
        main(["suggest", "--cover-all", "--candidates", "towns,areas", "--format", "json", "--weight", "unemployed"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    t = doc["totals"]
    assert {"covered_before", "covered_after", "optimal", "solve_seconds"} <= set(t)
    assert t["objective"] == "lscp" and t["weight_kind"].startswith("unemployed (estimate")
    assert t["covered_after"] == t["demand_total"] and doc["sites"] and "greedy" in doc


@pytest.mark.parametrize(
    "args,words",
    [
        (["suggest", "--n", "0"], "at least one"),
        (["suggest", "--n", "99999", "--candidates", "ssc"], "candidate sites"),
        (["suggest", "--n", "2", "--candidates", "towns,shops"], "--candidates"),
        (["suggest", "--cover-all", "--objective", "mclp"], "--cover-all"),
        (["suggest", "--cover-all", "--candidates", "ssc", "--agencies", "af", "--max-km", "5"], "infeasible"),
        (["scenario", "--add", "11.0,57.5"], "outside Sweden"),
        (["scenario", "--add", "18.07;59.33"], "LON,LAT"),
        (["scenario", "--remove", "af-1280-malmo"], "did you mean"),
        (["scenario", "--add", "18.07,59.33", "--types", "1,9"], "--types"),
    ],
)
def test_cli_bad_input_exits_2(user_dir, capsys, args, words):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "geo-app: error:" in err and words in err


def test_cli_suggest_needs_n_or_cover_all(capsys):
    assert main(["suggest"]) == 2  # argparse: one of --n / --cover-all is required


def test_time_limit_without_a_solution_falls_back_to_greedy(monkeypatch):
    monkeypatch.setattr(siting.solver, "run_model", lambda *_: False)
    s = siting.suggest_sites(demand_line(*TRAP_DEMAND), candidate_line(TRAP_SITES), NO_OFFICES, 5.5, n=2)
    assert not s.totals["optimal"] and "not proven optimal" in s.totals["status"]
    assert list(s.sites.index) == list(s.greedy.sort_values("demand_added", ascending=False).index)
    assert s.totals["covered_after"] == s.greedy_totals["covered_after"] == 10


def test_time_limit_with_an_incumbent_is_not_proven_optimal():
    import pulp

    class Stopped:  # what PuLP's HiGHS gives after kTimeLimit with a solution
        status, sol_status = pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible

    optimal, status = siting.solver.status_of(Stopped())
    assert not optimal and "not proven optimal" in status


@pytest.mark.parametrize("objective", ["mclp", "lscp", "pmedian"])
def test_no_demand_left_gives_no_sites(objective):
    existing = line_points([10], agency=["af"], name=["Kontor"], status=["open"])
    n = None if objective == "lscp" else 2
    s = siting.suggest_sites(
        demand_line([0, 10, 20], [1, 1, 1]), candidate_line(TRAP_SITES), existing, 15.0, n=n, objective=objective
    )
    assert s.sites.empty and s.greedy.empty and s.totals["optimal"]
    assert s.totals["covered_before"] == s.totals["covered_after"] == 3
    empty = siting.suggest_sites(
        demand_line([], []), candidate_line(TRAP_SITES), NO_OFFICES, 5.0, n=n, objective=objective
    )
    assert empty.sites.empty and empty.totals["demand_total"] == 0
