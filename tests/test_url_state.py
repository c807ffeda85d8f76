"""Typed URL codecs of the Karta, Närvaroluckor and Jämför pages (geo_app.views.map_state, gap_state,
compare_state): round trips, hostile values falling back to defaults, old links decoding as before."""

from __future__ import annotations

from datetime import date

import pytest

from geo_app.views import compare_state, gap_state, map_state, url_codec
from geo_app.views.compare_state import CompareState
from geo_app.views.compare_view import MAX_UNITS
from geo_app.views.gap_state import GapOptions, GapState
from geo_app.views.map_state import MapOptions, MapState

MAP = MapOptions(
    layer_years={"omradestyp": (2022, 2023), "arbetsloshet_kommun": tuple(range(2011, 2025)), "langtid_typref": ()},
    default_years={"omradestyp": 2023, "arbetsloshet_kommun": 2024, "langtid_typref": None},
    kommun_lan={"0180": "01", "1280": "12", "1283": "12"},
    lans=frozenset({"01", "12"}),
)
GAP = GapOptions(
    years=(2022, 2023),
    indicators=("none", "arbetsloshet_scb", "arbetsloshet_af_modell"),
    lans=frozenset({"01", "12"}),
    kommuner={"0180": "01", "1280": "12"},
)
TODAY = date(2026, 6, 1)
GAP_DEFAULTS = GapState(year=2023, indicator="arbetsloshet_scb", as_of=TODAY)
LONG = "x" * (url_codec.MAX_PARAM_CHARS + 1)


@pytest.mark.parametrize(
    "state",
    [
        MapState(year=2023),
        MapState("omradestyp", 2022, "12", "1280", "1280R002"),
        MapState("arbetsloshet_kommun", 2011, "01", "", ""),
        MapState("langtid_typref", None, "12", "1283", ""),
        MapState("omradestyp", 2023, "", "", "Rosengård"),  # a district searched by name
        MapState("omradestyp", 2023, "", "", "lindängen malmö & <b>"),
    ],
)
def test_map_state_round_trip(state):
    back, refused = map_state.decode(map_state.encode(state), MAP)
    assert (back, refused) == (state, [])


def test_map_defaults_leave_the_url_empty_and_a_kommun_picks_its_lan():
    assert all(v is None for k, v in map_state.encode(MAP.default_state()).items() if k != "year")
    assert map_state.decode({}, MAP) == (MapState(year=2023), [])
    state, refused = map_state.decode({"kommun": "1280"}, MAP)  # an old link with only the kommun
    assert (state.lan, state.kommun, refused) == ("12", "1280", [])


@pytest.mark.parametrize(
    ("params", "refused", "expected"),
    [
        ({"year": "abc"}, ["year"], MapState(year=2023)),
        ({"year": "2015"}, ["year"], MapState(year=2023)),  # not a year of the layer
        ({"year": "２０２２"}, ["year"], MapState(year=2023)),  # full-width digits
        ({"year": "1e3"}, ["year"], MapState(year=2023)),
        ({"lan": "99"}, ["lan"], MapState(year=2023)),
        ({"kommun": "<script>alert(1)</script>"}, ["kommun"], MapState(year=2023)),
        ({"lan": "01", "kommun": "1280"}, ["kommun"], MapState(year=2023, lan="01")),  # kommun of another län
        ({"layer": "../../etc/passwd", "year": "2011"}, ["layer", "year"], MapState(year=2023)),
        ({"layer": "arbetsloshet_kommun"}, [], MapState("arbetsloshet_kommun", 2024)),
        ({"layer": "langtid_typref", "year": "2022"}, [], MapState("langtid_typref", None)),  # no years: ignored
        ({"area": "a" * (map_state.MAX_SEARCH_CHARS + 1)}, ["area"], MapState(year=2023)),
        ({"area": LONG, "lan": LONG}, ["lan", "area"], MapState(year=2023)),
        ({"lan": "", "kommun": "   "}, [], MapState(year=2023)),  # empty = not set
    ],
)
def test_map_hostile_values_fall_back_to_defaults(params, refused, expected):
    assert map_state.decode(params, MAP) == (expected, refused)


@pytest.mark.parametrize(
    "state",
    [
        GAP_DEFAULTS,
        GapState(
            year=2022,
            indicator="none",
            types=(3, 1),
            above=12.5,
            max_km=37.0,
            agencies=("ssc",),
            as_of=date(2015, 1, 1),
            as_of2=date(2023, 1, 1),
            lan="12",
            kommun="1280",
            measure="road",
            max_min=45.0,
        ),
        GapState(year=2023, above=0.0, max_km=1.0, agencies=("kommun", "af"), as_of=TODAY, kommun="0180"),
        GapState(year=2023, above=1 / 3, max_km=100.0, as_of=TODAY, measure="road"),  # default minutes, by road
        GapState(year=2023, above=123456.789, as_of=TODAY, max_min=5.0),  # minutes kept while measuring straight
    ],
)
def test_gap_state_round_trip(state):
    assert gap_state.decode(gap_state.encode(state), GAP_DEFAULTS, GAP) == (state, [])


def test_gap_url_is_what_the_page_always_wrote():
    """Old links and tests read these exact texts: floats as Python writes them, the as-of date always."""
    params = gap_state.encode(GapState(year=2023, indicator="arbetsloshet_scb", max_km=40.0, above=12.5, as_of=TODAY))
    assert params == {
        "g_measure": None,
        "g_min": None,
        "g_year": "2023",
        "g_types": "1,2",
        "g_ind": "arbetsloshet_scb",
        "g_above": "12.5",
        "g_km": "40.0",
        "g_ag": "af,ssc",
        "g_asof": "2026-06-01",
        "g_asof2": None,
        "g_lan": None,
        "g_kommun": None,
    }


def test_gap_old_link_decodes():
    link = {"g_year": "2022", "g_types": "1,2", "g_above": "12,5", "g_km": "3", "g_asof": "2026-06-01", "lang": "en"}
    state, refused = gap_state.decode(link, GAP_DEFAULTS, GAP)
    assert refused == []
    assert (state.year, state.above, state.max_km, state.as_of) == (2022, 12.5, 3.0, date(2026, 6, 1))
    widgets = gap_state.widget_values(state)
    assert widgets["g_above"] == "12,5" and widgets["g_types"] == "1,2" and widgets["g_asof"] == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("params", "refused"),
    [
        ({"g_year": "abc"}, ["g_year"]),
        ({"g_year": "1999"}, ["g_year"]),
        ({"g_types": "9"}, ["g_types"]),
        ({"g_types": "1;DROP TABLE"}, ["g_types"]),
        ({"g_ind": "../../etc/passwd"}, ["g_ind"]),
        ({"g_above": "-5"}, ["g_above"]),
        ({"g_above": "inf"}, ["g_above"]),
        ({"g_above": "nan"}, ["g_above"]),
        ({"g_km": "0"}, ["g_km"]),
        ({"g_km": "1e999"}, ["g_km"]),
        ({"g_km": "nan"}, ["g_km"]),
        ({"g_ag": "af,nsa"}, ["g_ag"]),
        ({"g_ag": ","}, ["g_ag"]),
        ({"g_asof": "2026-13-45"}, ["g_asof"]),
        ({"g_asof": "2099-01-01"}, ["g_asof"]),  # outside the app's range
        ({"g_asof": "yesterday"}, ["g_asof"]),
        ({"g_asof2": "2026-02-30"}, ["g_asof2"]),
        ({"g_lan": "99"}, ["g_lan"]),
        ({"g_kommun": "9999"}, ["g_kommun"]),
        ({"g_lan": "01", "g_kommun": "1280"}, ["g_kommun"]),  # a kommun of another län
        ({"g_measure": "flight"}, ["g_measure"]),
        ({"g_min": "1"}, ["g_min"]),
        ({"g_min": "abc"}, ["g_min"]),
        ({"g_types": LONG, "g_ind": LONG}, ["g_types", "g_ind"]),
    ],
)
def test_gap_hostile_values_fall_back_to_defaults(params, refused):
    state, got = gap_state.decode(params, GAP_DEFAULTS, GAP)
    assert got == refused
    kept = {"g_lan": "01"} if "g_lan" in params and params["g_lan"] == "01" else {}
    assert state == gap_state.decode(kept, GAP_DEFAULTS, GAP)[0]  # everything else is the default


def test_a_kommun_without_its_lan_stays_on_the_gap_page():
    state, refused = gap_state.decode({"g_kommun": "1280"}, GAP_DEFAULTS, GAP)
    assert (state.lan, state.kommun, refused) == ("", "1280", [])


def test_options_come_from_the_bundle(bundle):
    options = map_state.options_for(bundle)
    assert "omradestyp" in options.layer_years and len(options.kommun_lan) == 290 and len(options.lans) == 21
    state, refused = map_state.decode({"kommun": "0180", "year": "2022", "lang": "en"}, options)
    assert (state.lan, state.year, refused) == ("01", 2022, [])
    gap_options = gap_state.options_for(bundle)
    defaults = gap_state.defaults_for(bundle)
    assert defaults.indicator in gap_options.indicators and defaults.year == bundle.types_year
    assert gap_state.decode({"g_ind": "none", "g_year": "abc"}, defaults, gap_options)[1] == ["g_year"]


COMPARE = compare_state.CompareOptions(
    years=(2022, 2023),
    units={"kommun": {"0180", "1280", "1283"}, "lan": {"01", "12"}, "regso": {"1280R001", "1280R002"}},
    layers={"arbetsloshet_scb", "befolkning"},
)
COMPARE_DEFAULTS = CompareState(year=2023)


@pytest.mark.parametrize(
    "state",
    [
        COMPARE_DEFAULTS,
        CompareState(2022, "kommun", ("1280", "0180"), "arbetsloshet_scb", "1283"),
        CompareState(2023, "lan", ("12",), "befolkning", ""),
        CompareState(2023, "regso", ("1280R002", "1280R001"), "", "1280"),
    ],
)
def test_compare_state_round_trip(state):
    assert compare_state.decode(compare_state.encode(state), COMPARE_DEFAULTS, COMPARE) == (state, [])


@pytest.mark.parametrize(
    ("params", "refused", "expected"),
    [
        ({"c_level": "xyz"}, ["c_level"], COMPARE_DEFAULTS),
        ({"c_year": "abc"}, ["c_year"], COMPARE_DEFAULTS),
        ({"c_ind": "../../etc/passwd"}, ["c_ind"], COMPARE_DEFAULTS),
        ({"c_sim": "12"}, ["c_sim"], COMPARE_DEFAULTS),  # a län is not a kommun
        ({"c_codes": "1280,0180,9999"}, ["c_codes"], CompareState(2023, codes=("1280", "0180"))),
        ({"c_codes": "1280,1280, 0180"}, [], CompareState(2023, codes=("1280", "0180"))),  # each once
        ({"c_level": "lan", "c_codes": "1280,12"}, ["c_codes"], CompareState(2023, "lan", ("12",))),
        ({"c_codes": "x" * (url_codec.MAX_PARAM_CHARS + 1)}, ["c_codes"], COMPARE_DEFAULTS),
        ({"c_codes": ",".join(["1280"] * 50)}, [], CompareState(2023, codes=("1280",))),
    ],
)
def test_compare_hostile_values_fall_back_to_defaults(params, refused, expected):
    assert compare_state.decode(params, COMPARE_DEFAULTS, COMPARE) == (expected, refused)


def test_compare_keeps_at_most_max_units():
    many = {f"{i:04d}" for i in range(MAX_UNITS + 5)}
    options = compare_state.CompareOptions(years=(2023,), units={**COMPARE.units, "kommun": many}, layers=set())
    state, refused = compare_state.decode({"c_codes": ",".join(sorted(many))}, COMPARE_DEFAULTS, options)
    assert len(state.codes) == MAX_UNITS and refused == ["c_codes"]
