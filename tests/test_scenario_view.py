"""Scenario view model (geo_app.views.scenario_view): URL round trip, hostile values, tables, downloads."""

from __future__ import annotations

import io
import math
from datetime import date

import numpy as np
import pandas as pd
import pyogrio
import pytest

from geo_app.analysis import gaps, siting
from geo_app.data import loaders
from geo_app.views import mapspec
from geo_app.views import scenario_view as sv
from geo_app.views.scenario_view import NewPoint, ScenarioState

YEARS = (2022, 2023)
INDICATORS = ("none", "arbetsloshet_af_modell", "arbetsloshet_modell")
BOLLNAS = NewPoint(16.39464, 61.34817, "af")  # GeoNames "Bollnas": Gärdet (2183R006) comes within 20 km
BORAS_AF = "af-1490-arbetsformedlingen_boras"  # closing it puts two Borås areas beyond 20 km


def decode(params, office_ids=("af-1280-malmo", "ssc-0180-x")):
    return sv.decode_state(
        params,
        ScenarioState(indicator="arbetsloshet_af_modell"),
        years=YEARS,
        indicators=INDICATORS,
        office_ids=office_ids,
    )


def test_url_round_trip():
    state = ScenarioState(
        year=2022,
        types=(1, 2, 3),
        indicator="none",
        above=12.5,
        max_km=35.0,
        agencies=("ssc",),
        points=(NewPoint(18.07, 59.33, "ssc"), NewPoint(13.00073, 55.60587, "af"), NewPoint(-0.5, 0.0, "other")),
        as_of=date(2020, 6, 30),
        removed=("af-1280-malmo", "ssc-0180-x"),
    )
    params = sv.encode_state(state, ScenarioState(indicator="arbetsloshet_af_modell"))
    assert params["s_add"] == "18.07,59.33:ssc;13.00073,55.60587:af;-0.5,0:other"
    assert params["s_rm"] == "af-1280-malmo,ssc-0180-x"
    back, problems = decode({k: v for k, v in params.items() if v is not None})
    assert problems == []
    assert back == state


def test_defaults_leave_the_url_empty():
    d = ScenarioState(indicator="arbetsloshet_af_modell")
    assert all(v is None for v in sv.encode_state(d, d).values())
    assert decode({}) == (d, [])


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"s_add": "abc"}, "scen.url.bad_point"),
        ({"s_add": "nan,nan"}, "scen.url.bad_point"),
        ({"s_add": "1e999,59"}, "scen.url.bad_point"),
        ({"s_add": "500,59"}, "scen.url.bad_point"),
        ({"s_add": "18,59,3"}, "scen.url.bad_point"),
        ({"s_add": "18,59:<script>alert(1)</script>"}, "scen.url.bad_agency"),
        ({"s_add": "x" * 5000}, "scen.url.too_long"),
        ({"s_add": ";".join(["18,59"] * 60)}, "scen.url.too_many"),
        ({"s_rm": "af-9999-nowhere"}, "scen.url.unknown_office"),
        ({"s_km": "0"}, "scen.url.bad_value"),
        ({"s_km": "inf"}, "scen.url.bad_value"),
        ({"s_km": "1000"}, "scen.url.bad_value"),
        ({"s_types": "9"}, "scen.url.bad_value"),
        ({"s_types": "1;DROP"}, "scen.url.bad_value"),
        ({"s_year": "abc"}, "scen.url.bad_value"),
        ({"s_year": "1999"}, "scen.url.bad_value"),
        ({"s_ind": "../../etc/passwd"}, "scen.url.bad_value"),
        ({"s_above": "-5"}, "scen.url.bad_value"),
        ({"s_ag": "af,nsa"}, "scen.url.bad_value"),
        ({"s_asof": "2099-01-01"}, "scen.url.bad_value"),
        ({"s_asof": "yesterday"}, "scen.url.bad_value"),
    ],
)
def test_hostile_url_values_are_ignored_with_a_message(params, problem):
    state, problems = decode(
        {**params, "s_add": params.get("s_add", "") + (";" if "s_add" in params else "") + "18,59"}
    )
    assert problem in [key for key, _ in problems]
    # the rest of the link still works: the good point is kept (unless the value was refused whole)
    if problem != "scen.url.too_long":
        assert NewPoint(18.0, 59.0, "af") in state.points
    assert len(state.points) <= sv.MAX_POINTS
    assert state.max_km == 20.0 and state.types == (1, 2) and state.year == 2023


def test_points_abroad_or_swapped_are_dropped_with_a_message(bundle):
    ok, problems = sv.check_points(
        [NewPoint(18.07, 59.33), NewPoint(5.0, 5.0), NewPoint(59.33, 18.07), NewPoint(10.75, 59.91)], bundle.regso
    )
    assert ok == (NewPoint(18.07, 59.33),)
    keys = [k for k, _ in problems]
    assert keys == ["scen.point_outside", "scen.point_swapped", "scen.point_outside"]  # Oslo is abroad
    assert problems[0][1]["lon"] == "5"


def test_search_folds_swedish_letters_and_geonames_spellings(bundle):
    towns = pd.DataFrame({"lat": [55.60587, 67.85572], "lon": [13.00073, 20.22513], "name": ["Malmoe", "Kiruna"]})
    table = sv.search_table(
        siting.candidate_sites(bundle.regso, towns, loaders.load_presence().iloc[:0], ("towns", "areas"))
    )
    for query in ("Malmö", "malmo", "MALMOE"):
        hits = sv.search(table, query)
        assert hits.iloc[0]["label"] == "Malmoe (Malmö, ort)"  # the town first, then Malmö's areas
        assert len(hits) > 5
    assert sv.search(table, "rosengård malmö")["label"].str.contains("Rosengård").all()
    assert sv.search(table, "   ").empty and sv.search(table, "zzzz").empty


@pytest.fixture(scope="module")
def bollnas(bundle):

    rule = bundle.gap_rule()
    unemployed, kind = siting.unemployed_for(bundle.regso, bundle.layers, rule.year)
    offices = loaders.load_presence()
    added = sv.added_offices([BOLLNAS], bundle.regso)
    result = siting.scenario(
        bundle.regso,
        offices,
        rule,
        add=added,
        remove=[BORAS_AF],
        points=gaps.area_points(bundle.regso),
        unemployed=unemployed,
        unemployed_kind=kind,
    )
    states = loaders.load_presence_states()
    unknown = gaps.presence_unknown(bundle.regso, gaps.area_points(bundle.regso), states, rule.agencies, rule.max_km)
    return siting.split_unknown(result, unknown), offices


def test_tables_before_after(bollnas):
    # Bollnäs gets an office (Gärdet comes within 20 km); Borås' AF office closes (two areas go beyond)
    result, _ = bollnas
    name = result.added.loc["new-1", "name"]
    assert name.startswith("Ny punkt 1: ") and "Bollnäs" in name
    change = result.areas["change"]
    assert set(change[change == "closed"].index) == {"2183R006"}
    assert set(change[change == "opened"].index) == {"1490R019", "1490R025"}
    nat = result.national
    beyond = nat["gap_areas_after"] - nat["gap_areas_before"]
    assert beyond == 1
    # the register does not know every agency's presence there: not reported as gaps
    assert nat["known_gap_areas_before"] + nat["unknown_areas_before"] == nat["gap_areas_before"]
    assert nat["known_gap_areas_after"] + nat["unknown_areas_after"] == nat["gap_areas_after"]
    assert result.areas.loc[["2183R006", "1490R019"], "presence_unknown"].all()
    table = sv.national_table(result, "sv", 20.0, 2023)
    unknown = table.loc["Regelns områden > 20 km från listade kontor, närvaron okänd"]
    assert (
        unknown["Efter"] - unknown["Före"]
        == unknown["Förändring"]
        == nat["unknown_areas_after"] - nat["unknown_areas_before"]
    )
    assert "Arbetslösa i regelns områden > 20 km från listade kontor – Modellskattning" in table.index
    cards = sv.cards(result, "sv", 20.0, 2023)
    assert [c["measure"] for c in cards] == list(sv.MEASURES)
    assert cards[2]["label"] == "Folkmängd i regelns områden > 20 km från listade kontor (SCB 2023)"  # source, year
    assert "\xa0" in cards[2]["before"]  # Swedish thousands separator
    kt = sv.kommun_table(result, "sv")
    assert kt.loc["2183", "Närvaro okänd före"] == 1 and kt.loc["2183", "Närvaro okänd efter"] == 0
    assert kt.loc["1490", "Närvaro okänd efter"] == 2 and kt.loc["1490", "Folkmängd utanför avståndet före"] == 0
    assert set(kt.index[:2]) == {"2183", "1490"} and (kt.iloc[:2]["Ändras"] == "ja").all()  # changed first
    assert "Arbetslösa utanför avståndet före (Modellskattning)" in kt.columns
    assert "Utanför avståndet före" not in kt.columns  # split into known gaps + unknown presence
    en = sv.kommun_table(result, "en")
    assert "Gaps before (presence known)" in en.columns and en.index.name == "Kommun code"
    changed = sv.changed_area_table(result, "sv", {})
    assert list(changed.index) == ["2183R006", "1490R019", "1490R025"] or list(changed.index[1:]) == [
        "1490R025",
        "1490R019",
    ]
    assert changed["Förändring"].iloc[0] == "inom avståndet nu (var utanför)"
    assert (changed["Förändring"].iloc[1:] == "utanför avståndet nu (var inom)").all()
    assert (changed["Närvaro okänd"] == "ja").all()
    assert changed["Km efter"].iloc[0] <= 20 < changed["Km före"].iloc[0]
    assert sv.number_formats(changed, "sv")["Km efter"] == 1
    unsplit = sv.cards(replace_national(result), "sv", 20.0)
    assert [c["measure"] for c in unsplit] == list(sv.UNSPLIT_MEASURES)


def replace_national(result):
    import dataclasses

    return dataclasses.replace(
        result, national=result.national.drop([i for i in result.national.index if "known" in i])
    )


def test_layers_show_changes_added_and_closed(bundle, bollnas):
    result, offices = bollnas
    layers = sv.scenario_layers(bundle, result, offices, gaps.area_points(bundle.regso))
    ids = [layer.id for layer in layers]
    assert ids[0] == "changed_areas" and "added_offices" in ids and "removed_offices" in ids
    changed = layers[0].data["features"]
    assert {f["properties"]["change"] for f in changed} == {"closed", "opened"}
    assert all(f["properties"]["color"] == sv.CHANGE_COLOURS[f["properties"]["change"]] for f in changed)
    added = next(layer for layer in layers if layer.id == "added_offices")
    assert added.data == [{"position": [BOLLNAS.lon, BOLLNAS.lat]}]
    shown = offices[(offices["agency"] == "af") & offices["status"].isin(("open", "closing", "planned"))]
    assert BORAS_AF in shown.index
    af = next(layer for layer in layers if layer.id == "offices_af")
    assert len(af.data) == len(shown) - 1  # the closed office is drawn as a red ring instead


def test_geopackage_and_workbook(bollnas):
    result, offices = bollnas
    data = sv.to_gpkg(sv.export_frames(result, offices, loaders.load_export_geometry("regso")))
    assert data[:16] == b"SQLite format 3\x00"
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "s.gpkg"
        path.write_bytes(data)
        layers = dict(pyogrio.list_layers(path))
        assert layers == {"scenario_kontor": "Point", "omraden_fore_efter": "MultiPolygon", "layer_styles": None}
        styles = pyogrio.read_dataframe(path, layer="layer_styles")
        kontor = pyogrio.read_dataframe(path, layer="scenario_kontor")
        omr = pyogrio.read_dataframe(path, layer="omraden_fore_efter")
    assert kontor.crs.to_epsg() == 3006 and omr.crs.to_epsg() == 3006
    assert set(styles["f_table_name"]) == {"scenario_kontor", "omraden_fore_efter"} and styles["useAsDefault"].all()
    assert 'attr="andring"' in styles["styleQML"].iloc[0] and 'attr="change"' in styles["styleQML"].iloc[1]
    assert kontor.set_index("kontor_id").loc[BORAS_AF, "andring"] == "stangd"
    assert (kontor["andring"] == "ny").sum() == 1
    assert len(omr) == int(result.areas["rule"].sum())
    row = omr.set_index("regsokod").loc["2183R006"]  # now within the distance of the new point
    assert row["dist_km_before"] > 20 >= row["dist_km_after"] and not row["gap_after"]
    assert omr.geometry.notna().all()
    book = pd.read_excel(io.BytesIO(sv.to_workbook(result, "sv", 20.0)), sheet_name=None)
    assert set(book) == {"riket", "kommuner", "omraden", "nya_kontor", "stangda_kontor"}
    assert book["stangda_kontor"]["kontor_id"].tolist() == [BORAS_AF]
    assert math.isclose(book["nya_kontor"]["lon"].iloc[0], BOLLNAS.lon, abs_tol=1e-5)


def test_suggestion_helpers():
    sites = pd.DataFrame(
        {"name": ["A"], "kind": ["town"], "kommunnamn": ["K"], "lon": [18.0], "lat": [59.0], "demand_added": [10.0]},
        index=pd.Index(["town:A:1"], name="site_id"),
    )
    s = siting.SiteSuggestion(sites, pd.Series(dtype=object), sites.iloc[:0], pd.Series(dtype=object))
    assert sv.suggestion_points(s, "ssc") == (NewPoint(18.0, 59.0, "ssc"),)
    table = sv.sites_table(sites, "en")
    assert list(table.columns[:3]) == ["Site", "Kind of site", "Kommun"] and table.iloc[0, 1] == "town"
    assert sv.weight_label("unemployed", "sv", "imported: x") == "arbetslösa – Importerad"
    assert sv.weight_label("unemployed", "en", "estimate: y") == "unemployed – Model estimate"
    assert "official" in sv.weight_label("population", "en")
    assert [layer.id for layer in sv.suggestion_layers(s)] == ["suggested_sites"]
    assert np.isclose(sv.suggestion_layers(s)[0].data[0]["position"][0], 18.0)


def test_map_focuses_on_what_changed(bundle, bollnas):
    result, offices = bollnas
    minx, miny, maxx, maxy = sv.focus_bounds(bundle, result, offices)
    assert minx < 12.94 < 16.39 < maxx and miny < 57.72 < 61.35 < maxy  # Borås (closed) and Bollnäs (added)
    assert maxy < 62.5 and minx > 12.0
    empty = siting.scenario(bundle.regso, offices, result_rule(bundle), points=gaps.area_points(bundle.regso))
    assert sv.focus_bounds(bundle, empty, offices) == mapspec.SWEDEN_BOUNDS


def result_rule(bundle):

    return bundle.gap_rule()
