"""GeoPackage export: round trip of every layer, QML styles, metadata, GDAL's validator, CLI == app."""

import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geo_app import cli
from geo_app.analysis import gaps
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.analysis.presence import AGENCIES
from geo_app.data import loaders
from geo_app.export import gpkg as export
from geo_app.views import compare_view

VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
# GeoPackage 1.2 (VERSION=1.2): GDAL 3.6's validator reports nothing. (A 1.4 file drew two
# "rtree_<t>_geom_update1/update3 trigger missing" lines per layer, as GDAL 3.12 writes 1.4's triggers.)
EXPECTED_VALIDATOR_LINES: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def offices():
    return loaders.load_presence()


@pytest.fixture(scope="module")
def national(bundle, offices, tmp_path_factory):
    gap = gaps.analyse(bundle.regso, offices, bundle.gap_rule())
    path = tmp_path_factory.mktemp("gpkg") / "sverige.gpkg"
    export.export_gpkg(bundle, offices, export.ExportChoice(), path, gap=gap)
    return path, gap


def test_every_layer_round_trips(bundle, offices, national):
    path, gap = national
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {*export.LAYERS, "om_data", "layer_styles"}
    areas = pyogrio.read_dataframe(path, layer="omraden")
    assert len(areas) == len(bundle.regso) and areas.crs.to_epsg() == 3006
    assert (areas.geometry.is_valid).all()
    a = areas.set_index("regsokod").loc[bundle.regso.index]
    assert a["omradestyp_2023"].equals(bundle.regso["omradestyp_2023"].astype(a["omradestyp_2023"].dtype))
    est = "arbetsloshet_af_modell_pct_2023"
    assert (a[est] - bundle.regso[est]).abs().max() < 1e-9
    kommuner = pyogrio.read_dataframe(path, layer="kommuner").set_index("kommunkod")
    assert len(kommuner) == 290 and kommuner.loc["1280", "kommunnamn"] == "Malmö"
    assert kommuner.loc["1280", "arbetsloshet_pct_2023"] == pytest.approx(
        bundle.kommun.at["1280", "arbetsloshet_pct_2023"]
    )
    assert len(pyogrio.read_dataframe(path, layer="lan")) == 21
    kontor = pyogrio.read_dataframe(path, layer="kontor")
    assert len(kontor) == len(offices) and set(kontor["myndighet"]) <= set(AGENCIES.values())
    assert "agency" not in kontor  # one agency column, Swedish
    # the as-of reading of the register: the day it was read on, and each office's dated status
    assert set(kontor["per_datum"]) == {offices.attrs["as_of"]}
    closed = kontor[kontor["status"] == "closed"]
    assert len(closed) and (closed["stangt"] != "").any() and {"oppnat", "avveckling_beslutad"} <= set(kontor.columns)
    assert kontor.geometry.geom_type.eq("Point").all()
    luckor = pyogrio.read_dataframe(path, layer="luckor")
    assert len(luckor) == len(gap.areas) and "avstand_km" in luckor
    english = {"indicator", "indicator_kind", "dist_km_any", "nearest_any", "n_within_any", "dist_km_af"}
    assert not english & set(luckor.columns), "Swedish field names in every layer"
    # the layer records its rule and says which indicator it holds
    assert luckor["regel"].str.contains("områdestyp 1, 2 (2023)", regex=False).all()
    assert luckor["regel"].str.contains("över 20 %", regex=False).all()
    assert luckor["indikator"].str.contains("arbetsloshet_bas_pct_2024", regex=False).all()
    assert luckor["indikator"].str.contains("Arbetslöshet 20–64 (SCB)", regex=False).all()
    om = pyogrio.read_dataframe(path, layer="om_data", read_geometry=False)
    assert {"lager", "falt", "slag", "kalla", "ar", "licens"} <= set(om.columns)
    documented = set(om.loc[om["lager"] == "omraden", "falt"])
    assert {c for c in areas.columns if c.endswith("_2023") and c != "folkmangd_2023"} <= documented
    assert om.loc[om["falt"] == est, "slag"].item() == "estimate"


def test_layer_styles_are_qml_for_every_spatial_layer(national):
    path, _ = national
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, styleName, styleQML, useAsDefault FROM layer_styles").fetchall()
        contents = dict(db.execute("SELECT table_name, description FROM gpkg_contents").fetchall())
        meta = db.execute("SELECT count(*) FROM gpkg_metadata").fetchone()[0]
    for layer in export.LAYERS:
        mine = [r for r in rows if r[0] == layer]
        assert sum(r[3] for r in mine) == 1, f"{layer}: exactly one default style"
        for _, name, text, _ in mine:
            root = ET.fromstring(text.split("\n", 1)[1])  # after the DOCTYPE line
            assert root.tag == "qgis" and root.find("renderer-v2") is not None, name
    types = next(r[2] for r in rows if r[0] == "omraden" and r[3])
    cats = ET.fromstring(types.split("\n", 1)[1]).findall(".//category")
    assert [c.get("value") for c in cats][:5] == ["1", "2", "3", "4", "5"]
    assert cats[0].get("label") == "1 Stora socioekonomiska utmaningar"
    assert any(r[0] == "omraden" and "RuleRenderer" in r[2] for r in rows)  # numeric classes: rule-based
    kontor = ET.fromstring(next(r[2] for r in rows if r[0] == "kontor").split("\n", 1)[1])
    sizes = [float(o.get("value")) for o in kontor.iter("Option") if o.get("name") == "size"]
    assert min(sizes) >= 2  # visible markers (QGIS draws size 0 as nothing)
    filters = [r.get("filter") for r in kontor.iter("rule")]
    for status in ("open", "closing", "planned", "closed"):
        assert f"\"status\" = '{status}'" in filters
    labels = [r.get("label") for r in kontor.iter("rule")]
    assert "Arbetsförmedlingen: stängt" in labels and "Arbetsförmedlingen: planerat" in labels
    luckor = next(r[2] for r in rows if r[0] == "luckor" and r[3])
    assert '"avstand_km"' in luckor  # a column the gap layer has, whatever the rule's year
    assert "CentroidFill" in luckor  # a marker per gap area: visible at national scale
    assert "Källor:" in contents["omraden"] and "SWEREF 99 TM" in contents["kontor"]
    assert meta >= 2  # dataset and layer metadata


def _qml(text: str) -> ET.Element:
    return ET.fromstring(text.split("\n", 1)[1])  # after the DOCTYPE line


def test_every_style_has_a_no_data_rule_and_open_ended_classes(bundle, national):
    path, _ = national
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, styleName, styleQML FROM layer_styles").fetchall()
    names = {(t, n) for t, n, _ in rows}
    # one style per year: "switching the year" is choosing a stored style
    assert {("kommuner", f"arbetsloshet_kommun_{y}") for y in range(2011, 2025)} <= names
    assert ("omraden", "arbetsloshet_af_modell_2020") in names and ("omraden", "omradestyp_2022") in names
    for table, name, text in rows:
        root = _qml(text)
        renderer = root.find("renderer-v2")
        kind = renderer.get("type")
        assert kind != "graduatedSymbol", f"{table}/{name}: QGIS' graduated renderer draws no NULL"
        if kind == "RuleRenderer":
            leaves = [r for r in renderer.iter("rule") if r.get("symbol") is not None]
            assert any(r.get("filter") == "ELSE" for r in leaves), f"{table}/{name}: no ELSE rule"
        elif kind == "categorizedSymbol":
            assert any(c.get("value") == "" for c in renderer.iter("category")), f"{table}/{name}: no catch-all"
        aliases = {a.get("field"): a.get("name") for a in root.iter("alias")}
        assert aliases, f"{table}/{name}: no field aliases"
    forgym = _qml(next(t for tb, n, t in rows if n == "forgymnasial_kommun_2021"))
    rules = [r for r in forgym.iter("rule") if r.get("symbol") is not None]
    # bottom and top classes open-ended: nothing above 23 % (Gnosjö 28.58 %) or below 14 % is cut off
    assert rules[0].get("filter") == '"forgymnasial_pct_2021" < 14.0'
    assert rules[-2].get("filter") == '"forgymnasial_pct_2021" >= 23.0'
    assert rules[-1].get("filter") == "ELSE" and rules[-1].get("label") == "Uppgift saknas"
    gnosjo = bundle.kommun.at["0617", "forgymnasial_pct_2021"]
    assert gnosjo == pytest.approx(28.5758, abs=1e-3)
    # every estimate style says so in its legend heading
    for _, name, text in rows:
        spec = bundle.layers.get(name.rsplit("_", 1)[0]) or bundle.layers.get(name)
        if spec is not None and spec.kind == "estimate":
            heading = _qml(text).find("renderer-v2/rules/rule").get("label")
            assert "modellskattning" in heading.casefold(), heading
    af = _qml(next(t for tb, n, t in rows if n == "arbetsloshet_af_modell_2023"))
    assert af.find(".//alias[@field='arbetsloshet_af_modell_pct_2023']").get("name").startswith("Arbetslöshet")


def test_field_titles_and_qgis_metadata(national):
    path, _ = national
    with sqlite3.connect(path) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        columns = db.execute(
            "SELECT table_name, column_name, name, title, description FROM gpkg_data_columns"
        ).fetchall()
        schema = db.execute(
            "SELECT table_name, column_name, scope FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'"
        ).fetchall()
        qgis_md = db.execute(
            "SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r "
            "ON r.md_file_id = m.id WHERE m.md_standard_uri = 'http://mrcc.com/qgis.dtd'"
        ).fetchall()
        identifiers = dict(db.execute("SELECT table_name, identifier FROM gpkg_contents").fetchall())
    assert version == 10200  # GeoPackage 1.2: QGIS 3.22's GDAL 3.6 opens it without a warning
    assert sorted(schema) == [
        ("gpkg_data_column_constraints", None, "read-write"),
        ("gpkg_data_columns", None, "read-write"),
    ]
    titles = {(t, c): (title, d) for t, c, _, title, d in columns}
    for layer in export.LAYERS:
        fields = list(pyogrio.read_info(path, layer=layer)["fields"])
        assert all((layer, c) in titles for c in fields), f"{layer}: a field without a title"
    assert titles[("kontor", "myndighet")][0] == "Myndighet"
    title, description = titles[("omraden", "arbetsloshet_af_modell_pct_2023")]
    assert "modellskattning" in title.casefold() and "Slag: Modellskattning" in description
    assert titles[("luckor", "avstand_km")][0].startswith("Avstånd till närmaste kontor")
    docs = {table: ET.fromstring(text.split("\n", 1)[1]) for table, text in qgis_md}
    assert set(docs) == set(export.LAYERS)
    assert docs["omraden"].findtext("title") == export.LAYER_TITLES["omraden"] == identifiers["omraden"]
    assert any("CC0" in x.text for x in docs["omraden"].iter("license"))
    assert docs["omraden"].findtext("rights").startswith("Källor:")
    assert docs["kommuner"].find("links/link").get("url").startswith("https://")
    assert "Luckregel: områdestyp 1, 2 (2023)" in docs["luckor"].findtext("abstract")


def test_gdal_validator_accepts_the_file(national):
    assert VALIDATOR.exists(), "install python3-gdal (./dev test does it as root)"
    path, _ = national
    proc = subprocess.run(["/usr/bin/python3", str(VALIDATOR), "-k", str(path)], capture_output=True, text=True)
    expected = {line.format(layer) for layer in export.LAYERS for line in EXPECTED_VALIDATOR_LINES}
    lines = {line.split(": ", 1)[-1].strip() for line in (proc.stdout + proc.stderr).splitlines() if line.strip()}
    assert lines <= expected, lines - expected
    info = subprocess.run(["ogrinfo", "-so", "-ro", str(path), "omraden"], capture_output=True, text=True)
    assert info.returncode == 0 and "3006" in info.stdout


def test_size_of_the_national_export(national):
    assert national[0].stat().st_size < 15_000_000


def test_kommun_export_from_the_cli_equals_the_app_export(bundle, offices, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "--kommun", "1280"]) == 0
    made = list(tmp_path.glob("narvarokartan_1280_*.gpkg"))
    assert len(made) == 1
    sel = compare_view.parse_selection(bundle, "kommun", ["1280"], 2023)
    choice = compare_view.export_choice(sel)
    gap = gaps.analyse(
        bundle.regso, offices, bundle.gap_rule(RuleOptions(year=2023)), states=loaders.load_presence_states()
    )
    app_file = tmp_path / "app.gpkg"
    app_file.write_bytes(export.export_gpkg(bundle, offices, choice, gap=gap))
    for layer in [*export.LAYERS, "om_data"]:
        a = pyogrio.read_dataframe(made[0], layer=layer)
        b = pyogrio.read_dataframe(app_file, layer=layer)
        pd.testing.assert_frame_equal(a, b, check_like=False)
    areas = pyogrio.read_dataframe(app_file, layer="omraden")
    assert set(areas["kommunkod"]) == {"1280"} and len(areas) == (bundle.regso["kommunkod"] == "1280").sum()
    assert set(pyogrio.read_dataframe(app_file, layer="lan")["lanskod"]) == {"12"}


def test_bad_export_choices_exit_2(tmp_path, capsys):
    assert cli.main(["export", str(tmp_path / "x.gpkg"), "--kommun", "9999"]) == 2
    assert cli.main(["export", str(tmp_path / "x.gpkg"), "--layers", "omraden,karta"]) == 2
    err = capsys.readouterr().err
    assert "9999" in err and "karta" in err and not (tmp_path / "x.gpkg").exists()
