"""Offices on the Karta page: pickable layers, a tooltip that reads right, the facts of a clicked office.

The real mouse click is in tests/test_browser.py (test_real_mouse_click_selects_an_office); here the
view-model functions and the page with a selection as Streamlit returns it.
"""

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geo_app.data.paths import APP_SCRIPT, STATIC_DIR, page_script
from geo_app.views import office_view
from geo_app.views.map_view import ViewChoice, tooltip_template

KOMMUN = pd.Series({"1280": "Malmö", "0180": "Stockholm"})


def fill_like_streamlit(template: str, obj: dict) -> str:
    """Streamlit 1.67's deck.gl tooltip: ``{key}`` from the object, else left as the raw ``{key}``."""
    return re.sub(r"{(.*?)}", lambda m: str(obj[m.group(1)]) if m.group(1) in obj else m.group(0), template)


def frame(**rows) -> gpd.GeoDataFrame:
    base = {
        "agency": "af",
        "name": "Arbetsförmedlingen Malmö",
        "place": "Malmö",
        "kommunkod": "1280",
        "kommunnamn": "Malmö",
        "regsokod": "1280R001",
        "status": "open",
        "status_date": "2020-06-15",
        "opened": "",
        "closed": "",
        "closing_planned": "",
        "closed_presumed": False,
        "closed_from": "",
        "precision": "town",
        "origin": "embedded",
        "conflict": "",
        "source_url": "https://example.org/af-malmo",
    }
    records = {k: {**base, **v} for k, v in rows.items()}
    df = pd.DataFrame.from_dict(records, orient="index")
    out = gpd.GeoDataFrame(df, geometry=[Point(374000, 6164000)] * len(df), crs=3006)
    out.attrs["as_of"] = "2026-06-01"
    return out


def test_facts_of_an_open_office():
    offices = frame(a={})
    facts = office_view.office_facts(offices, "a", KOMMUN, "sv")
    assert facts["Myndighet"] == "Arbetsförmedlingen"
    assert facts["Kontor"] == "Arbetsförmedlingen Malmö"
    assert facts["Ort"] == "Malmö"
    assert facts["Kommun"] == "Malmö (1280)"
    assert facts["Status per 2026-06-01"] == "öppet"
    assert facts["Datum (status)"] == "2020-06-15"
    assert facts["Lägesnoggrannhet"] == "ort"
    assert facts["Källa"] == "https://example.org/af-malmo"
    assert office_view.office_source_link(offices, "a") == "https://example.org/af-malmo"
    assert office_view.office_facts(offices, "nope", KOMMUN, "sv") is None
    assert office_view.office_facts(offices, None, KOMMUN, "sv") is None


def test_facts_of_a_closed_office_and_one_whose_status_is_unknown():
    offices = frame(
        closed={"status": "closed", "status_date": "", "closed_presumed": True, "closed_from": "2021-01-01"},
        unknown={
            "status": None,
            "status_date": None,
            "precision": None,
            "source_url": "javascript:alert(1)",
            "place": None,
            "origin": "mina_kontor",
        },
    )
    closed = office_view.office_facts(offices, "closed", KOMMUN, "sv")
    assert closed["Status per 2026-06-01"] == "stängt"
    assert closed["Stängt/stänger"] == "2021-01-01 (antaget)"
    assert closed["Datum (status)"] == "uppgift saknas"  # unknown is not none: no blank, no "nej"
    unknown = office_view.office_facts(offices, "unknown", KOMMUN, "en")
    assert unknown["Status on 2026-06-01"] == "unknown"
    assert unknown["Date (status)"] == "no data"
    assert unknown["Location precision"] == "no data"
    assert unknown["Origin"] == "import: mina_kontor"
    assert "Place" not in unknown
    assert unknown["Source"] == "javascript:alert(1)"  # shown as text …
    assert office_view.office_source_link(offices, "unknown") is None  # … never as a link
    assert all(isinstance(v, str) and v and v != "None" for v in unknown.values())


def test_tooltip_over_an_office_fills_every_key_of_the_template(bundle):
    offices = frame(
        a={"regsokod": "0114R001", "kommunkod": "0114", "kommunnamn": "Upplands Väsby"}, b={"regsokod": None}
    )
    choices = (ViewChoice(), ViewChoice(layer="arbetsloshet_kommun", year=2015), ViewChoice("langtid_typref", None))
    for choice in choices:
        template = tooltip_template(bundle, choice, "sv")
        fields = office_view.office_tooltips(offices, template, bundle.files.detail_props, "sv")
        assert list(fields.columns) == office_view.tooltip_keys(template)
        for office_id in fields.index:
            text = fill_like_streamlit(template, fields.loc[office_id].to_dict())
            assert "{" not in text and "None" not in text and "nan" not in text, text
        first = fill_like_streamlit(template, fields.loc["a"].to_dict()).splitlines()[0]
        if bundle.layers[choice.layer].level == "regso":
            # the office, its status and the area it is drawn in; the value lines are that area's
            assert first == "Kontor: Arbetsförmedlingen Malmö (öppet) · område: Bollstanäs, Upplands Väsby", first
            area_value = bundle.files.detail_props.at["0114R001", office_view.tooltip_keys(template)[2]]
            assert fields.at["a", office_view.tooltip_keys(template)[2]] == area_value
        else:
            assert first == "Kontor: Arbetsförmedlingen Malmö (öppet) · kommun: Upplands Väsby", first
    english = office_view.office_tooltips(offices, "{name}, {kommun}", bundle.files.detail_props, "en")
    assert english.at["b", "name"] == "Office: Arbetsförmedlingen Malmö (open) · kommun: Malmö"  # no area known


def test_office_layers_are_pickable_with_stable_ids_and_data_by_url(tmp_path):
    offices = frame(a={}, b={"agency": "ssc", "name": "Servicekontor Malmö"}, c={"status": "closed"})
    points = office_view.office_points(offices, show_closed=True)
    fields = office_view.office_tooltips(offices, "{name}, {kommun}", pd.DataFrame(), "sv")
    published = {}

    def publish(payload: bytes, stem: str) -> str:
        published[stem] = json.loads(payload)
        return f"app/static/gen/{stem}.json"

    layers = {layer.id: layer for layer in office_view.office_layers(points, fields, publish)}
    assert set(layers) == {"offices_af", "offices_ssc", "offices_closed"} <= set(office_view.OFFICE_LAYER_IDS)
    assert all(layer.pickable for layer in layers.values())
    assert layers["offices_af"].data == "app/static/gen/offices_af.json"
    (rec,) = published["offices_af"]
    assert rec["office"] == "a" and rec["name"].startswith("Kontor: Arbetsförmedlingen Malmö (öppet)")
    assert published["offices_closed"][0]["office"] == "c"
    # a click on one of them, as Streamlit returns it, names the office
    event = {"selection": {"objects": {"offices_ssc": [published["offices_ssc"][0]]}}}
    from geo_app.views import maplayers

    assert office_view.picked_office(maplayers.picked(event, office_view.OFFICE_LAYER_IDS)) == "b"
    # without tooltip fields (Förslag page): plain inline points, not pickable, same ids
    plain = office_view.office_layers(points)
    assert [layer.id for layer in plain] == list(layers) and not any(layer.pickable for layer in plain)
    assert "office" not in plain[0].data[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_karta_page_shows_a_clicked_office(lang):
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["kommun"] = "1280"
    at.query_params["lang"] = lang
    at.run()
    chart = at.get("deck_gl_json_chart")[0].proto
    spec, tooltip = json.loads(chart.json), json.loads(chart.tooltip)
    af = next(layer for layer in spec["layers"] if layer["id"] == "offices_af")
    assert af["pickable"] is True
    records = json.loads((STATIC_DIR / af["data"].removeprefix("app/static/")).read_text("utf-8"))
    malmo = next(r for r in records if "Malmö" in r["name"])
    for key in office_view.tooltip_keys(tooltip["text"]):
        assert key in malmo  # no raw "{key}" over an office
    at.session_state["map"] = {"selection": {"indices": {"offices_af": [0]}, "objects": {"offices_af": [malmo]}}}
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    label = "Kontor" if lang == "sv" else "Office"
    assert any(t.startswith(f"{label}: Arbetsförmedlingen") for t in texts), texts
    assert any(t.startswith(("Status per ", "Status on ")) for t in texts)
    assert any(t.startswith(("Källa: http", "Source: http")) for t in texts)


def test_gap_page_shows_a_clicked_office():
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=90)
    at.run()
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    chart = at.get("deck_gl_json_chart")[0].proto
    spec, tooltip = json.loads(chart.json), json.loads(chart.tooltip)
    ssc = next(layer for layer in spec["layers"] if layer["id"] == "offices_ssc")
    records = json.loads((STATIC_DIR / ssc["data"].removeprefix("app/static/")).read_text("utf-8"))
    assert set(office_view.tooltip_keys(tooltip["text"])) <= set(records[0])
    at.session_state["gap_map"] = {
        "selection": {"indices": {"offices_ssc": [0]}, "objects": {"offices_ssc": [records[0]]}}
    }
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any(t.startswith("Myndighet: Statens servicecenter") for t in texts), texts


def test_office_files_stay_across_layer_and_year_switches_and_fill_every_views_tooltip():
    """A layer or year switch re-fetches no office file (one frame, not two: docs/map_speed.md)."""
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.run()

    def offices_and_tooltip() -> tuple[dict[str, str], str]:
        chart = at.get("deck_gl_json_chart")[0].proto
        urls = {x["id"]: x["data"] for x in json.loads(chart.json)["layers"] if x["id"].startswith("offices_")}
        return urls, json.loads(chart.tooltip)["text"]

    first, _ = offices_and_tooltip()
    assert first and all(isinstance(u, str) and u.startswith("app/static/gen/") for u in first.values())
    for layer_id in ("befolkning", "arbetsloshet_modell", "utrikes_fodda"):
        at.selectbox(key="layer").set_value(layer_id).run()
        assert not at.exception
        urls, tooltip = offices_and_tooltip()
        assert urls == first, layer_id  # the same files: nothing to fetch
        records = json.loads((STATIC_DIR / urls["offices_af"].removeprefix("app/static/")).read_text("utf-8"))
        assert all(key in records[0] for key in office_view.tooltip_keys(tooltip)), layer_id
    at.select_slider(key="year").set_value(2022).run()
    assert offices_and_tooltip()[0] == first
