"""Layer declarations, map properties and the map spec (no browser)."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo_app.errors import InputError
from geo_app.layers.spec import load_layers, parse_layer
from geo_app.views import map_view as nm
from geo_app.views import mapdata, mapspec

CATEGORICAL = {
    "id": "t",
    "level": "regso",
    "style": "categorical",
    "title": {"sv": "T", "en": "T"},
    "column": "typ_{year}",
    "years": [2022, 2023],
    "classes": [
        {"value": 1, "color": "#ff0000", "label": {"sv": "Ett", "en": "One"}},
        {"value": 2, "color": "#00ff00", "label": {"sv": "Två", "en": "Two"}},
    ],
    "no_data": {"color": "#808080", "label": {"sv": "Saknas", "en": "Missing"}},
}


def test_categorical_classes_colours_and_labels():
    spec = parse_layer(CATEGORICAL)
    values = pd.Series([1, 2, None, 7], index=list("abcd"), dtype="Int64")
    assert spec.class_index(values).tolist() == [0, 1, 2, 2]
    assert spec.fill_colours(values)["a"] == [255, 0, 0, 210]
    assert spec.class_labels(values, "en").tolist() == ["One", "Two", "Missing", "Missing"]
    assert spec.column_for(2022) == "typ_2022"
    assert spec.legend("sv")[-1] == ("#808080", "Saknas")


def test_graduated_bins_are_half_open():
    spec = parse_layer(
        {
            **CATEGORICAL,
            "style": "graduated",
            "classes": [
                {"upper": 10, "color": "#111111", "label": {"sv": "< 10"}},
                {"lower": 10, "upper": 20, "color": "#222222", "label": {"sv": "10–20"}},
                {"lower": 20, "color": "#333333", "label": {"sv": "≥ 20"}},
            ],
        }
    )
    assert spec.class_index(pd.Series([9.99, 10, 19.99, 20, 100])).tolist() == [0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    "broken, message",
    [
        ({k: v for k, v in CATEGORICAL.items() if k != "id"}, "missing 'id'"),
        ({**CATEGORICAL, "style": "pie"}, "style must be one of"),
        ({**CATEGORICAL, "title": {"en": "only english"}}, "title: needs"),
        ({**CATEGORICAL, "classes": [{"value": 1, "color": "red", "label": {"sv": "x"}}]}, "#rrggbb"),
    ],
)
def test_bad_declarations_are_refused_clearly(broken, message):
    with pytest.raises(InputError, match=message):
        parse_layer(broken, "layers/t.toml")


def test_project_declarations_load():
    layers = load_layers()
    assert {"omradestyp", "kommun_outline", "lan_outline"} <= set(layers)
    typ = layers["omradestyp"]
    assert [c.value for c in typ.classes] == [1, 2, 3, 4, 5]
    assert typ.classes[0].label["sv"].endswith("Stora socioekonomiska utmaningar")
    assert typ.classes[4].label["en"].endswith("Very good socioeconomic conditions")


def test_feature_collection_is_compact_geojson():
    geoms = gpd.GeoSeries([box(11, 55, 12, 56), box(12, 55, 13, 56)], index=["A", "B"], crs=4326)
    props = pd.DataFrame({"name": ["<b>x</b>", None]}, index=["A", "B"])
    fc = json.loads(mapdata.feature_collection(geoms, props))
    assert [f["properties"]["name"] for f in fc["features"]] == ["<b>x</b>", None]
    assert fc["features"][0]["geometry"]["type"] == "Polygon"
    with pytest.raises(ValueError):
        mapdata.feature_collection(geoms.to_crs(3006))


def test_view_for_bounds_fits_and_centres():
    view = mapspec.view_for_bounds((18.0, 59.2, 18.2, 59.4))
    assert view["longitude"] == pytest.approx(18.1)
    assert 59.2 < view["latitude"] < 59.4
    assert 8 < view["zoom"] < 12
    assert mapspec.view_for_bounds(mapspec.SWEDEN_BOUNDS)["zoom"] < 5


def test_national_deck_references_geometry_by_url(bundle):
    choice = nm.normalise_choice(bundle, nm.ViewChoice())
    deck = nm.map_deck(bundle, choice, "sv")
    spec = json.loads(deck.to_json())
    areas = next(layer for layer in spec["layers"] if layer["id"] == "areas")
    assert areas["data"].startswith("app/static/gen/areas-national-")
    assert areas["getFillColor"] == "@@=properties.f_omradestyp_2023"
    assert len(json.dumps(spec)) < 10_000  # no geometry inline
    tooltip = deck._tooltip  # what st.pydeck_chart sends beside the spec
    assert "text" in tooltip and "html" not in tooltip  # tooltips are text, never HTML
    assert "Källa: SCB" in tooltip["text"] and "2023" in tooltip["text"]


def test_year_and_kommun_changes_stay_small(bundle):
    for choice in (nm.ViewChoice(year=2022), nm.ViewChoice(kommun="2584"), nm.ViewChoice(lan="25")):
        deck_json = nm.map_deck(bundle, nm.normalise_choice(bundle, choice), "sv").to_json()
        assert len(deck_json.encode()) < 200_000, choice


def test_normalise_choice_ignores_bad_url_values(bundle):
    c = nm.normalise_choice(bundle, nm.ViewChoice(year=1999, lan="99", kommun="<script>", area="nope"))
    assert (c.year, c.lan, c.kommun, c.area) == (2023, None, None, None)
    c = nm.normalise_choice(bundle, nm.ViewChoice(kommun="1280"))
    assert c.lan == "12"  # kommun implies its län
    c = nm.normalise_choice(bundle, nm.ViewChoice(lan="01", kommun="1280"))
    assert c.kommun is None  # kommun outside the chosen län is dropped


def test_type_counts_add_up(bundle):
    counts = nm.class_counts(bundle, nm.normalise_choice(bundle, nm.ViewChoice()), "sv")
    assert counts["Antal områden"].sum() == 3363
    malmo = nm.class_counts(bundle, nm.normalise_choice(bundle, nm.ViewChoice(kommun="1280")), "sv")
    assert malmo["Antal områden"].sum() == (bundle.regso["kommunkod"] == "1280").sum()


def test_static_payload_carries_every_view(bundle):
    from geo_app.data.paths import STATIC_DIR

    path = STATIC_DIR / bundle.urls["regso"].removeprefix("app/static/")
    fc = json.loads(path.read_text("utf-8"))
    assert len(fc["features"]) == 3363
    props = fc["features"][0]["properties"]
    for key in (
        "code",
        "name",
        "kommun",
        "f_omradestyp_2022",
        "f_omradestyp_2023",
        "v_omradestyp_2023_sv",
        "v_omradestyp_2023_en",
        "pop_2023",
    ):
        assert key in props


def test_kommun_summary_counts_every_area_once(bundle):
    choice = nm.normalise_choice(bundle, nm.ViewChoice(year=2022))
    summary = nm.kommun_summary(bundle, choice, "sv")
    counts = nm.class_counts(bundle, choice, "sv")
    assert len(summary) == 290
    assert summary[counts.index.tolist()].sum().tolist() == counts["Antal områden"].tolist()
    pop12 = bundle.regso.loc[bundle.regso["omradestyp_2022"].isin([1, 2]), "folkmangd_2022"].sum()
    assert summary["Folkmängd i typ 1–2, 2022"].sum() == pop12


def test_published_type_references_agree_between_the_build_and_the_layer_declarations(bundle):
    """The build writes Af's type values (analysis.indicators); the layers show them: one set of numbers."""
    from geo_app.analysis import indicators

    for layer, by_type, national in (
        ("langtid_typref", indicators.LONG_TERM_SHARE_BY_TYPE, indicators.LONG_TERM_SHARE_NATIONAL),
        ("utbildning_typref", indicators.NO_GYMNASIUM_SHARE_BY_TYPE, indicators.NO_GYMNASIUM_SHARE_NATIONAL),
    ):
        spec = bundle.layers[layer]
        assert [c.value for c in spec.classes] == [by_type[t] for t in sorted(by_type)], layer
        assert spec.reference is not None and spec.reference["value"] == national, layer
        column = bundle.regso[spec.column]
        for t, value in by_type.items():
            assert (column[bundle.regso["omradestyp_2022"] == t] == value).all(), (layer, t)


def test_building_a_map_deck_does_not_retry_pydecks_jupyter_import(bundle, monkeypatch):
    """pydeck asked five times per Deck, by a failing import compiled anew each time (server time per rerun)."""
    import builtins

    seen = []
    real_import = builtins.__import__

    def spy(name, *args, **kwargs):
        if "widget" in name:
            seen.append(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", spy)
    nm.map_deck(bundle, nm.normalise_choice(bundle, nm.ViewChoice(lan="12")), "sv").to_json()
    assert seen == []
