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
from geo_app.data import loaders
from geo_app.export import gpkg as export
from geo_app.views import compare_view
from geo_app.views.gap_view import rule_from_options

VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
EXPECTED_VALIDATOR_LINES = ("rtree_{}_geom_update1 trigger missing", "rtree_{}_geom_update3 trigger missing")


@pytest.fixture(scope="module")
def offices():
    return loaders.load_presence()


@pytest.fixture(scope="module")
def national(bundle, offices, tmp_path_factory):
    gap = gaps.analyse(bundle.regso, offices, rule_from_options(bundle))
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
    assert len(kontor) == len(offices) and set(kontor["agency"]) <= {"af", "ssc", "other"}
    assert kontor.geometry.geom_type.eq("Point").all()
    luckor = pyogrio.read_dataframe(path, layer="luckor")
    assert len(luckor) == len(gap.areas) and "dist_km_any" in luckor
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
    assert any(r[0] == "omraden" and "graduatedSymbol" in r[2] for r in rows)
    shapes = {
        o.get("value")
        for o in ET.fromstring(next(r[2] for r in rows if r[0] == "kontor").split("\n", 1)[1]).iter("Option")
        if o.get("name") == "name"
    }
    assert {"circle", "square"} <= shapes
    kontor = ET.fromstring(next(r[2] for r in rows if r[0] == "kontor").split("\n", 1)[1])
    sizes = [float(o.get("value")) for o in kontor.iter("Option") if o.get("name") == "size"]
    assert len(sizes) == 3 and min(sizes) >= 2  # visible markers (QGIS draws size 0 as nothing)
    luckor = next(r[2] for r in rows if r[0] == "luckor" and r[3])
    assert 'attr="dist_km_any"' in luckor  # a column the gap layer has, whatever the rule's year
    assert "Källor:" in contents["omraden"] and "SWEREF 99 TM" in contents["kontor"]
    assert meta >= 2  # dataset and layer metadata


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
    gap = gaps.analyse(bundle.regso, offices, rule_from_options(bundle, year=2023))
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
