"""Levels of detail for the browser map: coarse national coverage, border segments, region files."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo_app.data import loaders
from geo_app.data.paths import STATIC_DIR
from geo_app.views import lod, maplayers
from geo_app.views import map_view as nm


def _read(url: str):
    return json.loads((STATIC_DIR / url.removeprefix("app/static/")).read_text("utf-8"))


@pytest.fixture(scope="module")
def national():
    return lod.national_geometry(loaders.load_export_geometry("regso"))


def test_national_geometry_covers_every_area_and_stays_glued(national):
    regso = loaders.load_regso()
    assert list(national.index) == list(regso.index)  # every area, same order
    assert national.crs.to_epsg() == 4326
    assert not shapely.is_empty(national.values).any()
    assert shapely.is_valid(national.values).all()
    # neighbours glued: no gaps, no overlaps; rounding to 6 decimals leaves a few sub-pixel
    # mismatches at national zoom (4 Göteborg areas, each < 400 m ≈ 1/6 px there)
    bad = shapely.length(shapely.coverage_invalid_edges(national.values))
    assert (bad > 0).sum() <= 5 and bad.max() < 0.03
    # light enough for software WebGL (the reason it exists), yet far from a few triangles
    n = shapely.get_num_coordinates(national.values).sum()
    assert 20_000 < n < 45_000
    # each coarse area still overlaps its detailed self (nothing moved to another place)
    detail = loaders.load_display("regso")
    assert shapely.intersects(national.values, detail.values).all()


def test_the_map_uses_the_national_geometry(bundle, national):
    fc = _read(bundle.files.national()["areas"])
    assert [f["properties"]["code"] for f in fc["features"]] == list(national.index)
    n = sum(len(json.dumps(f["geometry"]["coordinates"])) for f in fc["features"])
    assert n < 2_500_000  # coarse: a small fraction of the 200 m display file


def test_edge_table_lists_shared_edges_once_with_both_sides(national):
    edges = lod.edge_table(national)
    keys = edges[["x1", "y1", "x2", "y2"]].round(6)
    assert not keys.duplicated().any()
    shared = edges[edges["b"] != ""]
    assert (shared["a"] != shared["b"]).all()
    # every area has edges, and the areas' perimeters equal the sum of their edges' lengths
    length = np.hypot(edges["x2"] - edges["x1"], edges["y2"] - edges["y1"])
    per_area = length.groupby(edges["a"]).sum().add(length[edges["b"] != ""].groupby(shared["b"]).sum(), fill_value=0)
    assert set(per_area.index) == set(national.index)
    perimeter = pd.Series(shapely.length(national.values), index=national.index)
    assert np.allclose(per_area.reindex(national.index), perimeter, rtol=1e-6)
    # outer edges (coast, national border) are a small part: the coverage has no inner gaps
    assert (edges["b"] == "").mean() < 0.1


def test_edge_kinds_follow_kommun_and_lan(bundle):
    files = bundle.files
    edges = files.edges("national")
    k = files.kommun_of
    lan = edges[edges["kind"] == "lan"]
    kommun = edges[edges["kind"] == "kommun"]
    area = edges[edges["kind"] == "area"]
    assert (k[area["a"]].to_numpy() == k[area["b"]].to_numpy()).all()
    assert (k[kommun["a"]].to_numpy() != k[kommun["b"]].to_numpy()).all()
    assert (k[kommun["a"]].str[:2].to_numpy() == k[kommun["b"]].str[:2].to_numpy()).all()
    inner = lan[lan["b"] != ""]
    assert (k[inner["a"]].str[:2].to_numpy() != k[inner["b"]].str[:2].to_numpy()).all()


def test_every_area_is_pickable_by_code_nationally_and_in_its_regions(bundle):
    files = bundle.files
    nat = _read(files.national()["areas"])
    codes = [f["properties"]["code"] for f in nat["features"]]
    assert codes == list(bundle.regso.index)
    props = nat["features"][0]["properties"]
    for key in ("code", "name", "kommun", "k", "l", "f_omradestyp_2023", "v_omradestyp_2023_sv", "pop_2023"):
        assert key in props
    seen = []
    for lan in bundle.lan.index:
        urls = files.region("lan", lan)
        fc = _read(urls["areas"])
        own = [f for f in fc["features"] if f["properties"]["l"] == lan]
        seen += [f["properties"]["code"] for f in own]
        # the coarse areas around the län come first (the region's detailed areas are drawn over them)
        around = fc["features"][: len(fc["features"]) - len(own)]
        assert all(f["properties"]["l"] != lan for f in around)
        assert [f["properties"]["code"] for f in around] == list(lod.context_codes(files.geoms("national"), pd.Index(
            [f["properties"]["code"] for f in own])))  # fmt: skip
        # kommun layers can be shown on a region's detailed areas
        assert "f_arbetsloshet_kommun_2015" in fc["features"][-1]["properties"]
    assert sorted(seen) == sorted(bundle.regso.index)  # each area in exactly one län file as its own


def test_region_areas_and_lines_come_in_one_file(bundle):
    # one fetch per region change: the line layer reads the file's "lines" member (dataTransform)
    urls = bundle.files.region("lan", "01")
    assert urls["areas"] == urls["lines"]
    region = _read(urls["areas"])
    assert region["type"] == "FeatureCollection" and len(region["features"]) > 100
    assert isinstance(region["lines"], list) and {"s", "t", "c", "w"} <= set(region["lines"][0])
    choice = nm.normalise_choice(bundle, nm.ViewChoice(lan="01"))
    spec = json.loads(nm.map_deck(bundle, choice, "sv").to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    view = maplayers.region_view(bundle.layers[choice.layer], choice.year)
    url = bundle.files.region("lan", "01", view)["areas"]
    assert layers["region_lines"]["data"] == layers["areas_detail"]["data"] == url
    assert layers["region_lines"]["dataTransform"] == "@@=lines"
    assert "dataTransform" not in layers["areas_detail"]
    assert lod.with_member(b'{"a": 1} ', "b", b"[2]") == b'{"a": 1,"b":[2]}'
    with pytest.raises(ValueError):
        lod.with_member(b"[1]", "b", b"2")


def test_region_lines_and_outline(bundle):
    files = bundle.files
    lines = _read(files.region("kommun", "1280")["lines"])["lines"]
    colours = {tuple(s["c"]) for s in lines}
    assert tuple(maplayers.HIGHLIGHT_COLOUR) in colours  # Malmö's own boundary, highlighted
    outline = [s for s in lines if s["c"] == maplayers.HIGHLIGHT_COLOUR]
    # the outline closes: every end point is shared by an even number of outline segments
    ends = pd.Series([tuple(s["s"]) for s in outline] + [tuple(s["t"]) for s in outline]).value_counts()
    assert (ends % 2 == 0).all()
    malmo = bundle.display["kommun"].loc["1280"]
    xs = np.array([s["s"][0] for s in outline])
    ys = np.array([s["s"][1] for s in outline])
    minx, miny, maxx, maxy = malmo.bounds
    assert xs.min() == pytest.approx(minx, abs=0.01) and ys.max() == pytest.approx(maxy, abs=0.01)


def test_spec_keeps_layer_ids_and_data_across_year_and_layer_switches(bundle):
    def layers(choice):
        spec = json.loads(nm.map_deck(bundle, nm.normalise_choice(bundle, choice), "sv").to_json())
        return {layer["id"]: layer for layer in spec["layers"]}

    a, b = layers(nm.ViewChoice(year=2023)), layers(nm.ViewChoice(year=2022))
    assert a["areas"]["data"] == b["areas"]["data"]
    assert a["areas"]["getFillColor"] != b["areas"]["getFillColor"]
    assert a["areas"]["updateTriggers"] != b["areas"]["updateTriggers"]  # so deck.gl recolours
    c = layers(nm.ViewChoice(layer="arbetsloshet_modell"))
    assert c["areas"]["data"] == a["areas"]["data"] and c["areas"]["id"] == "areas"
    s, m = layers(nm.ViewChoice(lan="12")), layers(nm.ViewChoice(lan="12", year=2022))
    # a region file per view, its fill under one name: the old features keep their colours while the new load
    assert s["areas_detail"]["data"] != m["areas_detail"]["data"]
    assert s["areas_detail"]["getFillColor"] == m["areas_detail"]["getFillColor"] == "@@=properties.f"
    assert s["region_lines"]["data"] == s["areas_detail"]["data"]
    assert s["areas"]["data"] == a["areas"]["data"]  # the national layer stays (nothing to re-fetch) …
    assert a["areas"]["visible"] and not s["areas"]["visible"]  # … hidden: the region file has the areas around
    assert [k for k in s if k in ("areas", "areas_detail")] == ["areas", "areas_detail"]  # detail on top
    for spec in (a, c, s):
        assert all(layer["@@type"] != "GeoJsonLayer" or layer.get("stroked") is False for layer in spec.values())
        assert len(json.dumps(spec)) < 20_000
        # one vertex layout for every line layer (colour and width per segment): software WebGL compiles
        # a draw routine per layout, so the first region change must not bring a new one
        lines = [layer for layer in spec.values() if layer["@@type"] == "LineLayer"]
        assert lines and all(str(layer["getColor"]).startswith("@@=") for layer in lines)
        assert all(str(layer["getWidth"]).startswith("@@=") for layer in lines)


def test_no_base_map_and_nothing_from_outside(bundle):
    # deck.gl alone (no MapLibre canvas to redraw on every view change); the background is page CSS
    spec = json.loads(nm.map_deck(bundle, nm.normalise_choice(bundle, nm.ViewChoice(lan="12")), "sv").to_json())
    # pydeck's placeholder, which Streamlit drops; a missing mapStyle would make Streamlit load CARTO's style
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "http" not in json.dumps(spec)


def test_large_inline_layer_data_goes_by_url_small_stays_inline():
    import pydeck as pdk

    from geo_app.views import mapspec

    rows = [{"position": [11.0 + i / 100, 57.0], "color": [1, 2, 3, 255]} for i in range(200)]
    big = pdk.Layer("ScatterplotLayer", id="offices_af", data=rows, get_position="position")
    small = pdk.Layer("ScatterplotLayer", id="highlight", data=rows[:2], get_position="position")
    deck = mapspec.build_deck([big, small], mapspec.view_for_bounds(mapspec.SWEDEN_BOUNDS), None)
    spec = json.loads(deck.to_json())
    by_id = {layer["id"]: layer for layer in spec["layers"]}
    assert by_id["offices_af"]["data"].startswith("app/static/gen/layer-offices_af-")
    assert _read(by_id["offices_af"]["data"]) == rows  # the same rows, from a cached file
    assert by_id["highlight"]["data"] == rows[:2]
    assert big.data is rows  # the caller's (maybe cached) layer is unchanged
    again = json.loads(mapspec.build_deck([big], mapspec.view_for_bounds(mapspec.SWEDEN_BOUNDS), None).to_json())
    assert again["layers"][0]["data"] == by_id["offices_af"]["data"]  # stable URL: nothing re-read on a rerun
    assert len(json.dumps(spec)) < 5_000


def test_a_region_file_carries_the_coarse_areas_around_it(bundle):
    """What a region view shows outside the region, now that the national layer is hidden there."""
    nat = bundle.files.geoms("national")
    codes = lod.region_of("kommun", "1280", bundle.files.kommun_of)
    around = lod.context_codes(nat, codes)
    assert around.intersection(codes).empty and len(around) > 20
    assert {"1233", "1263", "1230"} <= set(bundle.regso.loc[around, "kommunkod"])  # Vellinge, Trelleborg, Staffanstorp
    assert "0180" not in set(bundle.regso.loc[around, "kommunkod"])  # not all of Sweden
    minx, miny, maxx, maxy = nat.loc[codes].total_bounds
    inside = nat.loc[around].intersects(shapely.box(minx, miny, maxx, maxy))
    assert inside.sum() > 0  # neighbours that touch the region's box are there


def test_view_properties_keep_one_view_with_its_fill_as_f():
    props = pd.DataFrame(
        {
            "code": ["A", "B"],
            "pop_2023": ["1", "2"],
            "f_t_2023": [[1, 2, 3, 4], [5, 6, 7, 8]],
            "v_t_2023_sv": ["x", "y"],
            "v_t_2023_en": ["X", "Y"],
            "f_u": [[0, 0, 0, 0], [9, 9, 9, 9]],
            "v_u": ["1,0", "2,0"],
        },
        index=["A", "B"],
    )
    out = lod.view_properties(props, "f_t_2023", ("v_t_2023_sv", "v_t_2023_en", "v_gone"))
    assert list(out.columns) == ["code", "pop_2023", "v_t_2023_sv", "v_t_2023_en", "f"]
    assert out.loc["B", "f"] == [5, 6, 7, 8]
    assert list(lod.view_properties(props, "f_u", ("v_u",)).columns) == ["code", "pop_2023", "v_u", "f"]
    with pytest.raises(KeyError, match="f_none"):
        lod.view_properties(props, "f_none", ())


def test_a_region_view_file_is_that_views_properties_only(bundle):
    """A region change fetches and parses one view's properties, not every view's (docs/map_speed.md)."""
    spec = bundle.layers["arbetsloshet_scb"]
    year = spec.year_for(None)
    view = maplayers.region_view(spec, year)
    every = bundle.files.region("lan", "01")["areas"]
    one = bundle.files.region("lan", "01", view=view)["areas"]
    full, light = _read(every), _read(one)
    assert [f["properties"]["code"] for f in light["features"]] == [f["properties"]["code"] for f in full["features"]]
    assert light["lines"] == full["lines"]
    for a, b in zip(full["features"], light["features"], strict=True):
        assert b["properties"]["f"] == a["properties"][view[0]]
        assert not any(k.startswith("f_") or (k.startswith("v_") and k not in view[1]) for k in b["properties"])
        assert b["properties"][view[1][0]] == a["properties"][view[1][0]]
    assert len(json.dumps(light)) * 4 < len(json.dumps(full))


def test_context_lan_edges_are_the_borders_around_a_region_not_its_own():
    # three unit squares in a row, each its own län: A | B | C
    squares = gpd.GeoSeries([shapely.box(i, 0, i + 1, 1) for i in range(3)], index=["A", "B", "C"], crs="EPSG:4326")
    kommun_of = pd.Series({"A": "0101", "B": "0201", "C": "0301"})
    edges = lod.edge_table(squares)
    edges = edges.assign(kind=lod.edge_kinds(edges, kommun_of))
    ctx = lod.context_lan_edges(edges, pd.Index(["B"]), pd.Index(["A"]))
    assert not (ctx["a"].isin(["A"]) | ctx["b"].isin(["A"])).any()  # the region's own borders come in detail
    assert ((ctx["a"] == "B") | (ctx["b"] == "B")).all()
    assert len(ctx) == 3  # B's top, bottom (coast) and its border with C
    assert len(lod.context_lan_edges(edges, pd.Index(["B"]), pd.Index([]))) == 4


def test_region_view_draws_the_lan_borders_around_it_from_its_own_file(bundle):
    choice = nm.normalise_choice(bundle, nm.ViewChoice(lan="12"))
    layers = {layer["id"]: layer for layer in json.loads(nm.map_deck(bundle, choice, "sv").to_json())["layers"]}
    # the national lines are hidden: a region change's first frames draw no national segments
    assert layers["lan_lines"]["visible"] is False and layers["kommun_lines"]["visible"] is False
    national = json.loads(nm.map_deck(bundle, nm.ViewChoice(), "sv").to_json())["layers"]
    assert next(layer for layer in national if layer["id"] == "lan_lines")["visible"] is True
    files = bundle.files
    lines = _read(layers["region_lines"]["data"])["lines"]
    lan_colour = files.styles["lan"][0]
    drawn = {(tuple(s["s"]), tuple(s["t"])) for s in lines if s["c"] == lan_colour}
    codes = lod.region_of("lan", "12", files.kommun_of)
    around = lod.context_codes(files.geoms("national"), codes)
    ctx = lod.context_lan_edges(files.edges("national"), around, codes)
    assert len(ctx) > 50 and {((r.x1, r.y1), (r.x2, r.y2)) for r in ctx.round(5).itertuples()} <= drawn
