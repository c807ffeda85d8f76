"""Paths through the pages (AppTest): gap-page zoom and row-to-map, Swedish threshold input, English mode,
import previews in the UI language, the accessibility statement, wording that never claims a fact from absence."""

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo_app.data import loaders
from geo_app.data.paths import APP_SCRIPT, page_script
from geo_app.imports import indicators as indicator_import
from geo_app.imports import offices as office_import
from geo_app.views import preview

TIMEOUT = 90


def gap_page(**query) -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception, at.exception
    return at


def view(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]


def layer_ids(at: AppTest) -> list[str]:
    return [layer["id"] for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]]


def test_gap_page_zooms_to_a_kommun_and_filters_the_tables():
    at = gap_page()
    national = view(at)
    assert national["zoom"] < 5
    at.selectbox(key="g_lan").set_value("12").run()
    at.selectbox(key="g_kommun").set_value("1280").run()
    assert not at.exception
    zoomed = view(at)
    assert zoomed["zoom"] > 9 and 55.5 < zoomed["latitude"] < 55.7
    # the kommun is outlined once, by the region's lines (no second outline on top of them)
    assert "region_lines" in layer_ids(at) and "highlight_group" not in layer_ids(at)
    kommuner = at.dataframe[0].value
    assert list(kommuner.index) == ["1280"]
    assert (at.dataframe[1].value["Kommun"] == "Malmö").all()
    assert at.query_params["g_kommun"] == "1280"


def test_selecting_a_gap_row_zooms_the_map_to_that_area():
    at = gap_page(g_km="3")  # a strict distance, so there are gap rows to select (9 with the default rule)
    areas = at.dataframe[1].value
    assert len(areas) > 0
    first = areas.index[0]
    at.session_state["g_area_rows"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    v = view(at)
    assert v["zoom"] > 9
    from geo_app.layers.bundle import load_bundle

    box = load_bundle().bounds[f"regso:{first}"]
    assert box[1] - 0.1 < v["latitude"] < box[3] + 0.1 and box[0] - 0.2 < v["longitude"] < box[2] + 0.2
    assert "highlight_group" in layer_ids(at)
    # a kommun row zooms to that kommun
    at.session_state["g_area_rows"] = {"selection": {"rows": [], "columns": [], "cells": []}}
    at.session_state["g_kommun_rows"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert view(at)["zoom"] > 7


def test_threshold_input_is_swedish_and_accepts_a_decimal_comma():
    at = gap_page()
    assert at.text_input(key="g_above").value == "20"
    before = int(at.subheader[0].value.split(" har ")[1].split(" ")[0])
    at.text_input(key="g_above").input("12,5").run()
    assert not at.exception
    after = int(at.subheader[0].value.split(" har ")[1].split(" ")[0])
    assert after >= before and at.query_params["g_above"] == "12.5"
    at.text_input(key="g_above").input("tolv").run()
    assert any("Skriv tröskeln som ett tal" in e.value for e in at.error)


def test_gap_kommun_table_never_says_no_from_absence():
    at = gap_page()
    table = at.dataframe[0].value
    column = next(c for c in table.columns if c.startswith("AF-kontor"))
    # "nej" only where a source says so (presence register), else "okänt" – never "nej" from absence
    assert set(table[column]) <= {"ja", "nej", "okänt", "ej i listan"} and "okänt" in set(table[column])
    assert any(c.startswith("Indikator, högsta: Arbetslöshet 20–64 (SCB)") for c in table.columns)


def test_english_mode_has_english_sources_and_notes():
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(page_script("data_sources.py")).run()
    catalogue = at.dataframe[0].value
    assert (
        catalogue.loc[catalogue["Dataset"].str.startswith("Dated office register"), "Source"]
        .item()
        .startswith("Public sources")
    )
    assert not catalogue["Note"].str.contains("OFULLSTÄNDIG|Andel av|Personer med").any()
    assert "Compiled from public records" in set(catalogue["Kind"])
    at.switch_page(page_script("national_map.py")).run()
    at.toggle(key="m_table").set_value(True).run()  # the office list's sources: with the tables
    captions = " ".join(c.value for c in at.caption)
    assert "INCOMPLETE register" in captions and "OFULLSTÄNDIG" not in captions


def test_import_previews_speak_the_ui_language(tmp_path):
    regso, kommun = loaders.load_regso(), loaders.load_kommun()
    f = tmp_path / "egna.csv"
    pd.DataFrame({"regsokod": regso.index[:5], "Andel (%)": [1.5, 2, 3, 4, 5]}).to_csv(f, index=False)
    imp = indicator_import.prepare_indicators(f, regso, kommun, loaders.load_regso2020_keys(), year=2024)
    sv = preview.indicator_summary(imp, "sv")
    assert sv[0].startswith("Fil: ") and any(line.startswith("Rader: 5; matchade: 5") for line in sv)
    assert any(line.startswith("År: 2024") for line in sv)
    assert not any(line.startswith(("file:", "rows:", "years:")) for line in sv)
    assert preview.indicator_summary(imp, "en")[0].startswith("File: ")
    o = tmp_path / "kontor.csv"
    o.write_text("namn;lat;lon\nKontor Malmö;55.605;13.003\n", encoding="utf-8")
    offices = office_import.prepare_offices(
        o,
        regso,
        kommun,
        loaders.load_lan(),
        loaders.load_towns(),
        loaders.load_postal_codes(),
        agency="af",
    )
    lines = preview.office_summary(offices, "sv")
    assert lines[0].startswith("Fil: ") and any("läggs till den inbyggda listan" in line for line in lines)


def test_accessibility_statement_page():
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT).run()
    at.switch_page(page_script("accessibility.py")).run()
    assert not at.exception
    assert at.title[0].value == "Tillgänglighetsredogörelse"
    body = " ".join(m.value for m in at.markdown)
    for part in ("WCAG 2.1", "delvis förenlig", "Innehåll som inte är tillgängligt", "digg.se/tdosanmalan"):
        assert part in body
