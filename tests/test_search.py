"""The map's search: diacritics folded, several plausible places offered with their kommun, district aliases."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from geo_app.data.aliases import load_aliases
from geo_app.data.paths import APP_SCRIPT
from geo_app.views import search


@pytest.fixture(scope="module")
def aliases():
    return load_aliases()


def test_fold_strips_diacritics_case_and_scb_prefix():
    assert search.fold("Rosengård") == "rosengard"
    assert search.fold("RegSO-Örtagården syd-Herrgården syd") == "ortagarden syd herrgarden syd"
    assert search.fold("  Tjärna   Ängar ") == "tjarna angar"
    assert search.display_name("RegSO-Kryddgården") == "Kryddgården"
    assert search.display_name("Kiruna C") == "Kiruna C"


def test_without_diacritics_finds_the_same_places(bundle, aliases):
    with_ring = [c.key for c in search.search(bundle.regso, aliases, "Rosengård")]
    without = [c.key for c in search.search(bundle.regso, aliases, "rosengard")]
    assert with_ring == without and with_ring
    assert [c.key for c in search.search(bundle.regso, aliases, "tjarna angar")] == ["area:2081R013"]


def test_rosengard_offers_malmo_district_and_helsingborg_area(bundle, aliases):
    found = search.search(bundle.regso, aliases, "Rosengård")
    assert len(found) >= 2  # never a silent jump to one of them
    first = found[0]
    assert first.is_alias and first.kommun == "Malmö" and first.name == "Rosengård"
    names = set(bundle.regso.loc[list(first.codes), "regsonamn"].map(search.display_name))
    assert {"Kryddgården", "Herrgården norr", "Örtagården norr"} <= names
    assert any(c.kommun == "Helsingborg" and not c.is_alias for c in found)
    # narrowing by kommun leaves only Malmö's
    assert [c.kommun for c in search.search(bundle.regso, aliases, "rosengard malmo")] == ["Malmö"]


def test_exact_code_and_empty_query(bundle, aliases):
    assert [c.key for c in search.search(bundle.regso, aliases, "1280r002")] == ["area:1280R002"]
    assert search.search(bundle.regso, aliases, "   ") == []
    assert search.search(bundle.regso, aliases, "zzzz-no-such-place") == []


@pytest.mark.parametrize("name", ["Järva", "Angered", "Biskopsgården", "Gottsunda"])
def test_other_district_aliases(bundle, aliases, name):
    found = search.search(bundle.regso, aliases, search.fold(name))
    alias = next(c for c in found if c.is_alias)
    assert alias.name == name and len(alias.codes) >= 4


def test_alias_table_matches_the_data_and_names_its_sources(bundle, aliases):
    assert len(aliases) >= 5
    for alias in aliases:
        assert alias.sources and all(s.startswith("https://") for s in alias.sources), alias.name
        assert set(alias.areas) <= set(bundle.regso.index), alias.name
        assert (bundle.regso.loc[list(alias.areas), "kommunkod"] == alias.kommunkod).all(), alias.name
        shown = list(bundle.regso.loc[list(alias.areas), "regsonamn"].map(search.display_name))
        assert shown == list(alias.area_names), alias.name


def test_found_area_is_shown_in_its_town(bundle):
    box = search.focus_bounds(bundle.bounds, ["1280R042"])  # Kryddgården, a few hundred metres across
    assert box[2] - box[0] >= search.MIN_SPAN_LON - 1e-9 and box[3] - box[1] >= search.MIN_SPAN_LAT - 1e-9
    raw = bundle.bounds["regso:1280R042"]
    assert box[0] <= raw[0] and box[2] >= raw[2]


def test_kommun_zoom_fits_where_people_live_not_the_sea(bundle):
    sizes = bundle.regso.geometry.area
    full = bundle.bounds["kommun:1280"]
    malmo = search.kommun_view_bounds(bundle.regso, bundle.bounds, sizes, "1280", "folkmangd_2023")
    assert malmo[0] > full[0] + 0.05  # the Öresund west of Klagshamn is left out
    assert malmo[0] < 12.95 and malmo[2] > 13.05  # the city itself is in
    # Kiruna's people live in a small part of a huge kommun: the whole kommun is shown
    assert (
        search.kommun_view_bounds(bundle.regso, bundle.bounds, sizes, "2584", "folkmangd_2023")
        == (bundle.bounds["kommun:2584"])
    )


def _deck(at):
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_page_offers_the_choice_and_zooms_to_the_district():
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60).run()
    at.text_input(key="q").input("rosengard").run()
    pick = at.selectbox(key="area_pick")
    assert any("Rosengård, Malmö" in o for o in pick.options)
    assert any("Helsingborg" in o for o in pick.options)
    pick.set_value("alias:1280:Rosengård").run()
    assert not at.exception
    spec = _deck(at)
    assert any(layer["id"] == "highlight_group" for layer in spec["layers"])
    view = spec["initialViewState"]
    assert 55.55 < view["latitude"] < 55.62 and 12.98 < view["longitude"] < 13.1
    assert 10 < view["zoom"] <= 12.5  # the district in its town, not the block
    assert any("Kryddgården" in t.value for t in at.text)
    assert at.query_params["area"] == "rosengard"
