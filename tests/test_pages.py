"""Streamlit pages through AppTest: language, year, kommun zoom, URL state, data page."""

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from geo_app.analysis.gap_rule import RuleOptions
from geo_app.data.paths import APP_SCRIPT, STATIC_DIR, page_script

TIMEOUT = 60


def app(**query) -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def deck_spec(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert charts, "no map on the page"
    return json.loads(charts[0].proto.json)


def show_tables(at: AppTest) -> AppTest:
    """Switch on the map page's table alternative (off by default: its code loads on request)."""
    return at.toggle(key="m_table").set_value(True).run()


def area_layer(at: AppTest) -> dict:
    return next(layer for layer in deck_spec(at)["layers"] if layer["id"] == "areas")


def test_start_page_is_swedish_national_map():
    at = app()
    assert not at.exception
    assert at.title[0].value == "Områdestyp och indikatorer per RegSO-område"
    assert area_layer(at)["getFillColor"] == "@@=properties.f_omradestyp_2023"
    assert deck_spec(at)["initialViewState"]["zoom"] < 5
    legend = " ".join(m.value for m in at.html)
    assert "Stora socioekonomiska utmaningar" in legend and "Uppgift saknas" in legend
    assert not at.dataframe  # the table alternative is behind "Visa som tabell" (fast first load)
    table = show_tables(at).dataframe[0].value  # national view: one row per kommun
    assert len(table) == 290 and table.iloc[:, 2:8].to_numpy().sum() == 3363


def test_language_switch_to_english():
    at = app()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Area type and indicators by RegSO area"
    legend = " ".join(m.value for m in at.html)
    assert "Major socioeconomic challenges" in legend
    assert at.query_params["lang"] == "en"


def test_year_switch_changes_only_the_accessor():
    at = app()
    before = deck_spec(at)
    at.radio(key="year").set_value(2022).run()
    after = deck_spec(at)
    assert area_layer(at)["getFillColor"] == "@@=properties.f_omradestyp_2022"
    assert area_layer(at)["data"] == next(layer for layer in before["layers"] if layer["id"] == "areas")["data"]
    assert len(json.dumps(after)) < 200_000
    assert at.query_params["year"] == "2022"


def test_kommun_zoom_and_url():
    at = app()
    at.selectbox(key="lan").set_value("12").run()
    at.selectbox(key="kommun").set_value("1280").run()
    spec = deck_spec(at)
    view = spec["initialViewState"]
    assert 55.4 < view["latitude"] < 55.7 and 12.8 < view["longitude"] < 13.3 and view["zoom"] > 8
    assert any(layer["id"] == "region_lines" and "region-kommun-1280" in layer["data"] for layer in spec["layers"])
    assert at.query_params["kommun"] == "1280" and at.query_params["lan"] == "12"
    assert at.subheader[-1].value.startswith("Tabell över det kartan visar: Malmö")
    table = show_tables(at).dataframe[0].value
    assert len(table) == 91 and (table["Kommun"] == "Malmö").all()


def test_query_params_reopen_the_view():
    at = app(kommun="0180", year="2022", lang="en")
    assert at.title[0].value == "Area type and indicators by RegSO area"
    assert area_layer(at)["getFillColor"] == "@@=properties.f_omradestyp_2022"
    assert at.selectbox(key="kommun").value == "0180"
    assert at.selectbox(key="lan").value == "01"


def test_bad_query_params_fall_back_quietly():
    at = app(kommun="<script>alert(1)</script>", year="abc", lan="99")
    assert not at.exception
    assert area_layer(at)["getFillColor"] == "@@=properties.f_omradestyp_2023"


def test_hostile_map_links_fall_back_to_defaults():
    at = app(layer="x" * 5000, year="2022", lan="12", kommun="0180", area="q" * 5000)
    assert not at.exception
    assert area_layer(at)["getFillColor"] == "@@=properties.f_omradestyp_2022"  # the good values stay
    assert at.selectbox(key="lan").value == "12" and at.selectbox(key="kommun").value == ""  # 0180 is not in Skåne
    assert at.text_input(key="q").value == "" and "layer" not in at.query_params and "area" not in at.query_params


def test_hostile_gap_links_fall_back_to_defaults():
    at = app(
        g_ag="af,nsa", g_asof="2026-13-45", g_km="1000", g_min="1", g_measure="road", g_types="1;DROP", g_year="2022"
    )
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception and not at.error
    assert at.multiselect(key="g_ag_pick").value == ["af", "ssc"] and at.slider(key="g_km").value == 20.0
    assert at.date_input(key="g_asof").value == date.today() and at.text_input(key="g_types").value == "1,2"
    assert at.radio(key="g_year").value == 2022 and at.slider(key="g_min").value == 30.0
    assert at.query_params["g_ag"] == "af,ssc" and at.query_params["g_measure"] == "road"


def test_search_selects_an_area_and_shows_its_facts():
    at = app()
    at.text_input(key="q").input("1280r002").run()
    texts = [t.value for t in at.text]
    assert any("Område: Almvik syd-Lindängen syd" in t for t in texts)  # without SCB's "RegSO-" prefix
    assert not any("RegSO-Almvik" in t for t in texts)
    assert any(t.startswith("Områdestyp 2023: 1 Stora") for t in texts)
    assert any(layer["id"] == "highlight_area" for layer in deck_spec(at)["layers"])


def test_search_by_name_lists_matches():
    at = app()
    at.text_input(key="q").input("lindängen malmö").run()
    pick = at.selectbox(key="area_pick")
    assert len(pick.options) > 2  # several Lindängen areas in Malmö, plus "none"
    label = next(o for o in pick.options if "(1280R" in o)
    assert ", Malmö (1280R" in label  # each candidate names its kommun
    pick.set_value("area:" + label.split("(")[-1].rstrip(")")).run()
    assert any(layer["id"] == "highlight_area" for layer in deck_spec(at)["layers"])
    assert at.query_params["area"].startswith("1280R")


def test_area_link_reopens_the_area():
    at = app(area="0114R001")
    assert at.text_input(key="q").value == "0114R001"
    assert any("Bollstanäs" in t.value for t in at.text)


def test_map_click_selection_shows_facts():
    at = app()
    at.session_state["map"] = {
        "selection": {"indices": {"areas": [0]}, "objects": {"areas": [{"properties": {"code": "0114R001"}}]}}
    }
    at.run()
    assert any("Bollstanäs" in t.value for t in at.text)


def kinds_of(df):
    return dict(zip(df["Dataset"], df["Slag"], strict=True))


def test_data_page_lists_catalogue():
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT).run()
    at.switch_page(page_script("data_sources.py")).run()
    assert not at.exception
    assert at.title[0].value == "Data och källor"
    df = at.dataframe[0].value
    assert "Licens" in df.columns and "Slag" in df.columns
    kinds = dict(zip(df.iloc[:, 0] if "Id" not in df.columns else df["Id"], df["Slag"], strict=False))
    assert set(df["Slag"]) == {
        "Officiell statistik",
        "Sammanställning av offentliga uppgifter",  # the office list: compiled from public mentions
        "Referensvärde per områdestyp",
        "Modellskattning",
    }
    office_list = next(name for name in df["Dataset"] if name.startswith("Daterat kontorsregister"))
    assert kinds_of(df)[office_list] == "Sammanställning av offentliga uppgifter"
    assert "Modellskattning" in kinds.values()
    assert df["Källa"].str.contains("SCB").any()


def chosen_layer(at: AppTest, layer_id: str) -> dict:
    return next(layer for layer in deck_spec(at)["layers"] if layer["id"] == layer_id)


def test_overlay_switch_keeps_geometry_and_labels_the_estimate():
    at = app()
    regso_url = area_layer(at)["data"]
    at.selectbox(key="layer").set_value("arbetsloshet_modell").run()
    assert not at.exception
    layer = chosen_layer(at, "areas")
    assert layer["getFillColor"] == "@@=properties.f_arbetsloshet_modell_2023"
    assert layer["data"] == regso_url  # same cached geometry file, only the accessor changed
    assert len(json.dumps(deck_spec(at))) < 200_000
    badge = " ".join(m.value for m in at.html if "kind-badge" in m.value)
    assert "Modellskattning" in badge and "data-kind='estimate'" in badge
    assert any("Riket" in t.value for t in at.text)  # national reference beside the indicator
    assert at.query_params["layer"] == "arbetsloshet_modell"
    # the kommun table gains the kommun mean of the estimate, labelled as such
    assert any("modellskattning" in c.casefold() for c in show_tables(at).dataframe[0].value.columns)


def test_kommun_layer_from_a_link_has_fourteen_years():
    at = app(layer="arbetsloshet_kommun", year="2015")
    assert not at.exception
    layer = chosen_layer(at, "kommun_areas")
    assert layer["getFillColor"] == "@@=properties.f_arbetsloshet_kommun_2015"
    assert "kommun-national-" in layer["data"]
    assert list(at.select_slider(key="year").options) == [str(y) for y in range(2011, 2025)]
    table = show_tables(at).dataframe[0].value
    assert len(table) == 290


def test_layer_without_years_and_reference_kind():
    at = app(layer="langtid_typref")
    assert not at.exception
    assert chosen_layer(at, "areas")["getFillColor"] == "@@=properties.f_langtid_typref"
    badge = " ".join(m.value for m in at.html if "kind-badge" in m.value)
    assert "data-kind='reference'" in badge
    assert "year" not in at.query_params


def test_gap_page_matches_the_cli(tmp_path):
    import io
    import subprocess
    import sys

    import pandas as pd

    at = app()
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    assert "kommuner har" in at.subheader[0].value
    page_table = at.dataframe[0].value
    out = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "gaps", "--by", "kommun"], capture_output=True, text=True, check=True
    ).stdout
    cli_table = pd.read_csv(io.StringIO(out), dtype={"kommunkod": str}).set_index("kommunkod")
    assert list(page_table.index) == list(cli_table.index)
    assert page_table["Områden"].tolist() == cli_table["areas"].tolist()
    assert (cli_table["indicator_kind"] == "official").all()  # SCB's unemployment per area 2024 by default
    # a stricter distance leaves fewer or equal gaps, without re-sending area geometry
    before = at.dataframe[1].value
    regso_url = next(layer for layer in deck_spec(at)["layers"] if layer["id"] == "areas")["data"]
    at.slider(key="g_km").set_value(40.0).run()
    assert len(at.dataframe[1].value) <= len(before)
    assert next(layer for layer in deck_spec(at)["layers"] if layer["id"] == "areas")["data"] == regso_url
    assert len(json.dumps(deck_spec(at))) < 200_000
    assert at.query_params["g_km"] == "40.0"
    # presence unknown: its own table, counted in the summary, drawn as its own layer
    unknown = at.dataframe[2].value
    assert f"{len(unknown)} områden till" in at.subheader[0].value
    assert any(layer["id"] == "unknown_areas" for layer in deck_spec(at)["layers"])
    # compare two dates: a summary table of counts on both dates
    at.date_input(key="g_asof").set_value(date(2026, 6, 1)).run()
    at.checkbox(key="g_cmp").check().run()
    assert not at.exception and at.query_params["g_asof"] == "2026-06-01" and at.query_params["g_asof2"] == "2023-01-01"
    summary = at.dataframe[0].value
    assert list(summary.columns[:2]) == ["2023-01-01", "2026-06-01"] and "Luckor" in summary.index


def test_offices_on_the_main_map_with_a_table_per_office():
    at = app(kommun="1280")
    ids = [layer["id"] for layer in deck_spec(at)["layers"]]
    assert ids[-3:] == ["offices_af", "offices_ssc", "offices_kommun"]  # drawn on top of the areas
    af = next(layer for layer in deck_spec(at)["layers"] if layer["id"] == "offices_af")
    assert af["data"].startswith("app/static/gen/offices_af-")  # by URL: no office records in every rerun
    assert len(json.loads((STATIC_DIR / af["data"].removeprefix("app/static/")).read_text("utf-8"))) >= 1
    assert len(at.get("deck_gl_json_chart")[0].proto.json) < 20_000  # points by URL: a small spec per rerun
    offices = show_tables(at).dataframe[1].value  # in the expander: the offices of the chosen kommun
    assert set(offices["Kommun"]) == {"Malmö"} and len(offices) >= 1
    assert {"Myndighet", "Status", "Lägesnoggrannhet", "Källa"} <= set(offices.columns)
    assert offices["Källa"].str.startswith("http").all()
    assert any("Ofullständigt kontorsregister" in i.value for i in at.info)
    # The offices as of an earlier date: Malmö Värnhem (opened 2022) and later plans are not there in 2016.
    n_now = len(offices)
    at.date_input(key="m_asof").set_value(date(2016, 1, 1)).run()
    assert not at.exception and len(at.dataframe[1].value) < n_now
    at.checkbox(key="offices").uncheck().run()
    assert not any(layer["id"].startswith("offices_") for layer in deck_spec(at)["layers"])


def test_hostile_compare_links_fall_back_to_defaults():
    at = app(c_level="<script>", c_codes="1280,9999,<b>x</b>", c_year="abc", c_ind="x" * 5000, c_sim="99")
    at.switch_page(page_script("compare.py")).run()
    assert not at.exception
    assert at.radio(key="c_level").value == "kommun" and at.radio(key="c_year").value == 2023
    assert at.multiselect(key="c_pick").value == ["1280"]  # the good code stays
    assert at.query_params["c_level"] == "kommun" and at.query_params["c_codes"] == "1280"
    assert at.selectbox(key="c_sim").value == "1280" and "c_ind" not in at.query_params  # refused: too long


def test_compare_page_tables_and_url_state():
    at = app(c_level="kommun", c_codes="1280,0180,9999", c_year="2023")
    at.switch_page(page_script("compare.py")).run()
    assert not at.exception
    assert at.multiselect(key="c_pick").value == ["1280", "0180"]  # unknown code dropped quietly
    indicators = at.dataframe[0].value
    assert {"Riket", "Områdestypsreferens", "Slag", "Källa", "År"} <= set(indicators.columns)
    population = indicators["Indikator"].str.startswith("Folkmängd") & ~indicators["Indikator"].str.contains("senaste")
    malmo = indicators[(indicators["Enhet"] == "Malmö") & population]
    value = malmo["Värde"].item()  # Swedish format: non-breaking space between thousands
    assert "\xa0" in value and int(value.replace("\xa0", "")) > 300_000
    riket = indicators.loc[indicators["Indikator"].str.startswith("Folkmängd"), "Riket"]
    assert riket.map(lambda v: int(v.replace("\xa0", "")) > 10_000_000).all()  # Sweden's population, not "no data"
    kinds = list(indicators["Slag"])
    assert kinds.index("Modellskattning") > max(i for i, k in enumerate(kinds) if k == "Officiell statistik")
    dist = at.dataframe[2].value
    assert len(dist) == 2 and dist.filter(like=": %").sum(axis=1).round(0).eq(100).all()
    assert at.query_params["c_codes"] == "1280,0180"
    # similar kommuner: the button puts the peers into the comparison
    at.selectbox(key="c_sim").set_value("1280").run()
    similar = at.dataframe[-1].value
    assert similar.index[0] == "1280" and "(vald)" in similar.iloc[0, 0]  # the chosen kommun's own values on top
    peers = list(similar.index[1:])
    at.button(key="c_use_similar").click().run()
    assert at.multiselect(key="c_pick").value == ["1280", *peers]
    # the type 1–2 areas of a län become the selection
    at.selectbox(key="c_lan12").set_value("12").run()
    at.button(key="c_add12").click().run()
    assert at.radio(key="c_level").value == "regso"
    assert all(c.startswith("12") for c in at.multiselect(key="c_pick").value)


def test_compare_page_opens_with_the_kommuner_of_the_gap_rule_and_keeps_the_last_selection(bundle):
    from geo_app.views import compare_view as cv

    compare = page_script("compare.py")
    at = app()
    at.switch_page(compare).run()
    assert not at.exception
    codes = at.multiselect(key="c_pick").value
    assert 1 <= len(codes) <= cv.OPENING_UNITS
    assert not [i for i in at.info if i.value.startswith("Välj minst en enhet")]  # answers before a click
    assert "Malmö" in set(at.dataframe[0].value["Enhet"])  # the indicator table, for the preselected kommuner
    # the kommuner of the län with the most areas matching the default rule, most matching areas first
    counts = cv.rule_counts(bundle, bundle.gap_rule(RuleOptions(year=bundle.types_year)))
    lan = counts["lanskod"].iloc[0]
    assert codes == list(counts.loc[counts["lanskod"] == lan, "kommunkod"].iloc[: cv.OPENING_UNITS])
    assert at.selectbox(key="c_lan12").value == lan
    assert any(c.value.startswith("Förvalt:") and "luckregeln" in c.value for c in at.caption)
    assert at.query_params["c_codes"] == ",".join(codes)  # the link reopens the same view
    # the visitor's own choice is kept: leaving the page and coming back shows it, and no "Förvalt" note
    at.multiselect(key="c_pick").set_value(["0180", "1480"]).run()
    at.switch_page(page_script("national_map.py")).run()
    at.switch_page(compare).run()
    assert at.multiselect(key="c_pick").value == ["0180", "1480"]
    assert not any(c.value.startswith("Förvalt:") for c in at.caption)
    # emptied on purpose, it stays empty
    at.multiselect(key="c_pick").set_value([]).run()
    assert [i for i in at.info if i.value.startswith("Välj minst en enhet")]


def test_compare_page_opens_with_the_maps_lan():
    at = app(lan="01")
    at.switch_page(page_script("compare.py")).run()
    codes = at.multiselect(key="c_pick").value
    assert codes and all(c.startswith("01") for c in codes) and codes[0] == "0180"  # Stockholm first


def test_gap_page_says_why_presence_is_unknown_like_the_cli():
    import io
    import subprocess
    import sys

    import pandas as pd

    at = app(g_km="3.0", g_asof="2026-06-01")
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    heading = next(s.value for s in at.subheader if s.value.startswith("Varför är närvaron okänd"))
    why = next(d.value for d in at.dataframe if "Varför okänt" in d.value.columns)
    out = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "gaps", "--by", "why", "--max-km", "3", "--as-of", "2026-06-01"],
        capture_output=True,
        text=True,
        check=True,
    )
    cli = pd.read_csv(io.StringIO(out.stdout), dtype={"kommunkod": str})
    assert f"({len(cli)})" in heading and len(cli) > 0
    assert why["Kommunkod"].tolist() == cli["kommunkod"].tolist()
    assert why["Områden"].tolist() == cli["areas"].tolist()
    # the CLI's summary names the first agency and kommun to look into
    first = cli.iloc[0]
    assert f"{first['kommunkod']} {first['kommunnamn']}: {first['areas']} areas" in out.stderr


def test_choosing_a_place_on_the_gap_page_reruns_no_analysis(monkeypatch):
    """The place only filters the tables and zooms the map: the analysis of the rule is shared (ui.gap_result)."""
    from geo_app.analysis import gaps

    calls = []
    real = gaps.analyse
    monkeypatch.setattr(gaps, "analyse", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    at = app()
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    calls.clear()
    kommuner = at.dataframe[0].value
    at.selectbox(key="g_lan").set_value("12").run()
    assert not at.exception and calls == []
    assert set(at.dataframe[0].value.index) < set(kommuner.index)  # the tables follow the place
    at.slider(key="g_km").set_value(35.0).run()  # a new rule is a new analysis
    assert len(calls) == 1 and calls[0].max_km == 35.0
