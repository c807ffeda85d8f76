"""The Närvaroluckor page by road (issue 24): the measure is chosen, said, and equals the CLI's."""

from __future__ import annotations

import io

import pandas as pd

from geo_app.cli import main
from geo_app.data.paths import page_script
from tests.test_pages import app


def test_gap_page_by_road_says_its_measure_and_matches_the_cli(capsys, user_dir):
    at = app(g_types="1,2,3,4,5", g_ind="none", g_measure="road", g_min="30")
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    assert at.radio(key="g_measure").value == "road"
    notes = " ".join(c.value for c in at.caption)
    assert "Mått: bil på vägnätet (Pipos Tillgänglighetsvägnät" in notes and "gräns 30 min" in notes
    areas = at.dataframe[1].value
    assert {"Bil, minuter", "Väg, km", "Mått"} <= set(areas.columns)
    gotland = areas.loc[areas.index.str.startswith("0980")]
    assert len(gotland) and set(gotland["Mått"]) <= {"Bil på vägnätet", "Fågelvägen"}
    assert (areas.loc[~areas.index.str.startswith("0980"), "Mått"] == "Fågelvägen").all()
    args = ["gaps", "--measure", "road", "--max-min", "30", "--types", "1,2,3,4,5", "--indicator", "none"]
    assert main([*args, "--format", "csv"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"regsokod": str}).set_index("regsokod")
    assert sorted(areas.index) == sorted(cli.index)
    by_road = cli[cli["measure"] == "road"]
    assert (areas.loc[by_road.index, "Bil, minuter"].round(1) == by_road["road_min_any"].round(1)).all()
    at.radio(key="g_measure").set_value("straight").run()
    assert "Mått: fågelvägen för alla områden." in " ".join(c.value for c in at.caption)
    assert "g_measure" not in at.query_params


def test_scenario_and_suggest_pages_by_road_say_so(user_dir):
    at = app(s_types="1,2,3,4,5", s_ind="none", s_add="18.42,57.2:af")
    at.switch_page(page_script("scenario.py")).run()
    assert not at.exception
    at.radio(key="s_measure").set_value("road").run()
    assert not at.exception
    notes = " ".join(c.value for c in at.caption)
    assert "Mått: bil på vägnätet (Pipos Tillgänglighetsvägnät" in notes and "gräns 30 min" in notes
    at.switch_page(page_script("suggest.py")).run()
    assert not at.exception
    assert at.radio(key="s_measure").value == "road"  # the rule (with its measure) goes with the user
    at.button(key="f_run").click().run(timeout=120)
    assert not at.exception and not at.error
    texts = " ".join(x.value for x in at.text) + " ".join(c.value for c in at.caption)
    assert "min med bil på vägnätet (Pipos" in texts and "områden utan vägnät är inte med" in texts


def test_area_facts_give_car_time_on_gotland_and_the_straight_line_elsewhere(user_dir):
    at = app(area="0980R006")  # Hemse, on Gotland: by car to Visby
    texts = [x.value for x in at.text]
    assert any(s.startswith("Restid med bil, min: ") for s in texts)
    road = float(next(s for s in texts if s.startswith("Vägavstånd, km: ")).split(": ")[1].replace(",", "."))
    straight = float(next(s for s in texts if s.startswith("Fågelvägen, km: ")).split(": ")[1].replace(",", "."))
    assert road > straight > 30
    assert any(s.startswith("Omvägsfaktor (väg ÷ fågelväg): ") for s in texts)
    assert any(s.startswith("Mått: bil på vägnätet: Pipos") for s in texts)
    at = app(area="0114R001")  # Upplands Väsby: no network there
    texts = [x.value for x in at.text]
    assert any(s.startswith("Fågelvägen, km: ") for s in texts)
    assert not any(s.startswith("Restid med bil") for s in texts)
    assert any(s.startswith("Mått: fågelvägen (inget vägnät här") for s in texts)
