"""The Scenario and Förslag pages through AppTest, and page = CLI for the same inputs."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from geo_app.cli import main
from geo_app.data.paths import APP_SCRIPT, page_script

TIMEOUT = 120
UNKNOWN = "Regelns områden > 20 km från listade kontor, närvaron okänd"
KNOWN = "Luckor: regelns områden > 20 km från närvaro (närvaron känd)"
BOLLNAS = "16.39464,61.34817"  # GeoNames "Bollnas": Gärdet (2183R006) comes within 20 km
BORAS_AF = "af-1490-arbetsformedlingen_boras"  # closing it puts two Borås areas beyond 20 km


def page(name: str = "scenario.py", **query) -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page_script(name)).run()


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """Card label → (before, after) as shown."""
    out = {}
    for m in at.metric:
        before, _, after = m.value.partition(" → ")
        out[m.label] = (before, after)
    return out


def number(text: str) -> float:
    return float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def deck_layers(at: AppTest, key: str = "s_map") -> dict[str, dict]:
    chart = at.get("deck_gl_json_chart")[0]
    return {layer["id"]: layer for layer in json.loads(chart.proto.json)["layers"]}


def test_add_a_point_by_search_changes_before_after():
    at = page()
    assert not at.exception
    assert at.title[0].value.startswith("Scenario")
    first = metrics(at)
    assert first[UNKNOWN][0] == first[UNKNOWN][1]  # nothing changed yet
    assert any("Modellskattning" in label for label in first)  # the unemployed card says its kind
    assert KNOWN in first  # confirmed gaps apart from areas where presence is unknown
    at.text_input(key="s_q").input("Bollnäs").run()
    pick = at.selectbox(key="s_pick")
    assert pick.options[0] == "Bollnas (Bollnäs, ort)"
    at.button(key="s_add_btn").click().run()
    assert not at.exception
    before, after = metrics(at)[UNKNOWN]
    assert number(after) == number(before) - 1
    pop = next(v for k, v in metrics(at).items() if k.startswith("Folkmängd"))
    assert number(pop[1]) < number(pop[0])
    assert at.query_params["s_add"] == f"{BOLLNAS}:af"
    assert "added_offices" in deck_layers(at) and "changed_areas" in deck_layers(at)
    changed = at.dataframe[-1].value
    assert list(changed.index) == ["2183R006"] and changed["Närvaro okänd"].tolist() == ["ja"]
    kommuner = at.dataframe[1].value
    assert kommuner.index[0] == "2183" and kommuner.iloc[0]["Ändras"] == "ja"
    # remove it again: back to the start
    at.button(key="s_del_0").click().run()
    assert metrics(at)[UNKNOWN] == first[UNKNOWN]
    assert "s_add" not in at.query_params


def test_url_round_trip_reopens_the_scenario():
    at = page(s_add=f"{BOLLNAS}:ssc;20.2,67.85", s_rm=BORAS_AF, s_km="25", s_types="1", s_asof="2024-06-30")
    assert not at.exception and not at.warning
    assert at.slider(key="s_km").value == 25.0
    assert at.text_input(key="s_types").value == "1"
    assert at.multiselect(key="s_rm").value == [BORAS_AF]
    assert str(at.date_input(key="s_asof").value) == "2024-06-30"
    assert [t.value for t in at.text if t.value.startswith(("1.", "2."))][0].startswith("1. Statens servicecenter")
    assert at.query_params["s_add"] == f"{BOLLNAS}:ssc;20.2,67.85:af"
    assert at.query_params["s_rm"] == BORAS_AF and at.query_params["s_km"] == "25"
    assert at.query_params["s_asof"] == "2024-06-30"
    assert "removed_offices" in deck_layers(at)
    # a second session from the same link sees the same figures
    again = page(**{k: at.query_params[k] for k in ("s_add", "s_rm", "s_km", "s_types", "s_asof")})
    assert metrics(again) == metrics(at)


def test_bad_link_shows_messages_not_a_crash():
    at = page(
        s_add="5,5:af;59.33,18.07;abc;18,59:<b>x</b>", s_rm="<script>", s_km="1e9", s_year="1850", s_asof="2099-1-1"
    )
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "utanför Sverige" in warnings  # 5,5: in the sea
    assert "ser ombytta ut" in warnings  # lat/lon swapped
    assert "Ogiltig punkt" in warnings and "Okänd myndighet" in warnings and "Okänt kontor" in warnings
    assert "s_km=1e9" in warnings and "s_year=1850" in warnings and "s_asof=2099-1-1" in warnings
    assert at.slider(key="s_km").value == 20.0
    assert "s_add" not in at.query_params and "s_rm" not in at.query_params  # dropped, not kept
    assert metrics(at)[UNKNOWN][0] == metrics(at)[UNKNOWN][1]


def test_english_and_map_click_adds_a_point():
    at = page(lang="en")
    assert at.title[0].value.startswith("Scenario: what if")
    assert any(label.startswith("Gaps: the rule's areas") for label in metrics(at))
    assert any("Model estimate" in label for label in metrics(at))
    at.session_state["s_map"] = {
        "selection": {"indices": {"areas": [0]}, "objects": {"areas": [{"properties": {"code": "2183R006"}}]}}
    }
    at.run()
    assert any(t.value.startswith("Clicked area: Gärdet, Bollnäs") for t in at.text)
    at.button(key="s_add_click").click().run()
    before, after = next(v for k, v in metrics(at).items() if k.endswith("presence unknown"))
    assert number(after) < number(before)
    assert at.query_params["s_add"].endswith(":af")


def test_close_an_office_and_move_one():
    at = page()
    at.multiselect(key="s_rm").select(BORAS_AF).run()
    before, after = metrics(at)[UNKNOWN]
    assert number(after) == number(before) + 2  # two Borås areas lose their nearest listed office
    assert at.query_params["s_rm"] == BORAS_AF
    # "move": add a point that replaces an office
    at = page()
    at.text_input(key="s_q").input("Bollnäs").run()
    at.selectbox(key="s_replaces").set_value(BORAS_AF).run()
    at.button(key="s_add_btn").click().run()
    assert at.multiselect(key="s_rm").value == [BORAS_AF]
    assert at.query_params["s_add"] == f"{BOLLNAS}:af"
    before, after = metrics(at)[UNKNOWN]
    assert number(after) == number(before) + 1


def test_scenario_page_equals_the_cli(capsys):
    args = ["--add", f"{BOLLNAS}:af", "17.0,62.4:ssc", "--remove", BORAS_AF, "--max-km", "25", "--as-of", "2025-01-01"]
    assert main(["scenario", *args, "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)["summary"]
    at = page(s_add=f"{BOLLNAS}:af;17,62.4:ssc", s_rm=BORAS_AF, s_km="25", s_asof="2025-01-01")
    assert not at.exception
    (k0, k1), (u0, u1), (p0, p1), (e0, e1) = metrics(at).values()
    # page and CLI split the same way: known gaps and areas where presence is unknown
    assert (number(k0), number(k1)) == (cli["known_gap_areas"]["before"], cli["known_gap_areas"]["after"])
    assert (number(u0), number(u1)) == (cli["unknown_presence_areas"]["before"], cli["unknown_presence_areas"]["after"])
    pop, unemp = cli["beyond_distance_population"], cli["beyond_distance_unemployed"]
    assert (number(p0), number(p1)) == (round(pop["before"]), round(pop["after"]))
    assert (number(e0), number(e1)) == (round(unemp["before"]), round(unemp["after"]))
    beyond = cli["beyond_distance_areas"]
    assert beyond["before"] != beyond["after"]  # the scenario changes something
    national = at.dataframe[0].value
    assert national["Efter"].tolist()[2] == pop["after"]


@pytest.fixture(scope="module")
def suggested():
    at = page("suggest.py")
    assert not at.exception
    assert any("Beräkna förslag" in i.value for i in at.info)
    at.button(key="f_run").click().run()
    assert not at.exception
    return at


def test_suggest_page_equals_the_cli(suggested, capsys):
    at = suggested
    assert main(["suggest", "--n", "3", "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    table = at.dataframe[0].value
    assert list(table.index) == [s["site_id"] for s in cli["sites"]]
    assert table["Tillkommande täckt efterfrågan"].round(0).tolist() == [round(s["demand_added"]) for s in cli["sites"]]
    shown = {m.label: m.value for m in at.metric}
    assert number(shown["Täckt efterfrågan före"]) == round(cli["totals"]["covered_before"])
    assert number(shown["Täckt efterfrågan efter"]) == round(cli["totals"]["covered_after"])
    assert shown["Bevisat optimal"] == ("ja" if cli["totals"]["optimal"] else "nej")
    assert shown["Lösningstid"].endswith(" s")
    texts = " ".join(t.value for t in at.text)
    assert "Girig jämförelse" in texts and "folkmängd (SCB, officiell statistik)" in texts
    assert "suggested_sites" in deck_layers(at, "f_map") and "greedy_sites" in deck_layers(at, "f_map")


def test_suggestion_becomes_a_scenario(suggested):
    at = suggested
    sites = at.dataframe[0].value
    at.button(key="f_to_scenario").click().run()
    assert not at.exception
    assert at.title[0].value.startswith("Scenario")
    points = at.query_params["s_add"].split(";")
    assert len(points) == len(sites)
    lon, lat = (float(x) for x in points[0].removesuffix(":af").split(","))
    assert (lon, lat) == (round(sites.iloc[0]["Longitud"], 5), round(sites.iloc[0]["Latitud"], 5))
    (k0, k1), (u0, u1) = list(metrics(at).values())[:2]
    assert number(k1) + number(u1) < number(k0) + number(u0)


def test_suggest_bad_input_is_a_message():
    at = page("suggest.py", s_km="1")
    at.radio(key="f_obj").set_value("lscp").run()
    at.multiselect(key="f_cand").set_value(["ssc"]).run()
    at.button(key="f_run").click().run()
    assert not at.exception
    assert at.error and "Inget förslag" in at.error[0].value  # some areas no candidate reaches within 1 km
    at.multiselect(key="f_cand").set_value([]).run()
    assert any("minst ett slag" in w.value for w in at.warning)


def test_rule_and_scenario_survive_page_switches():
    at = page(s_km="30", s_types="1", s_add=f"{BOLLNAS}:af")
    at.switch_page(page_script("suggest.py")).run()
    assert not at.exception and not at.error
    assert at.slider(key="s_km").value == 30.0 and at.text_input(key="s_types").value == "1"
    at.switch_page(page_script("national_map.py")).run()
    at.switch_page(page_script("scenario.py")).run()
    assert not at.exception and not at.error
    assert at.slider(key="s_km").value == 30.0 and at.text_input(key="s_types").value == "1"
    assert at.query_params["s_add"] == f"{BOLLNAS}:af"


def test_scenario_threshold_is_the_gap_pages_swedish_text_input():
    at = page(s_above="12.5")
    assert not at.exception
    assert at.text_input(key="s_above").value == "12,5"  # the gap page's input, not a "12.50" number box
    at.text_input(key="s_above").input("15").run()
    assert not at.exception and at.query_params["s_above"] == "15"
    at.text_input(key="s_above").input("tolv").run()
    assert any("Skriv tröskeln som ett tal" in e.value for e in at.error)
