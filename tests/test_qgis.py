"""The national GeoPackage in real QGIS (Debian ``python3-qgis``, offscreen): every stored style draws
every feature, field titles and metadata arrive, and one PNG per layer lands in ``tests/artifacts/qgis``.

QGIS' Python bindings are built for Debian's ``/usr/bin/python3``, not the venv, so the check runs
``scripts/qgis_check.py`` in a subprocess and reads its JSON report.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import ARTIFACTS
from PIL import Image

from geo_app.analysis import gaps
from geo_app.data import loaders
from geo_app.export import gpkg as export

pytestmark = pytest.mark.qgis

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parents[1] / "scripts" / "qgis_check.py"


def _has_qgis() -> bool:
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True)
    return probe.returncode == 0


def _run(path: Path, tmp: Path, out: Path | None = None) -> tuple[int, dict]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp),  # QGIS writes its profile under $HOME
        "XDG_RUNTIME_DIR": str(tmp),
        "PYTHONPATH": "",
    }
    args = [SYSTEM_PYTHON, str(SCRIPT), str(path), *([str(out)] if out else []), "--json"]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def national(bundle, tmp_path_factory):
    assert _has_qgis(), "install Debian's python3-qgis (./dev test does it as root)"
    offices = loaders.load_presence()
    gap = gaps.analyse(bundle.regso, offices, bundle.gap_rule())
    folder = tmp_path_factory.mktemp("qgis")
    path = folder / "sverige.gpkg"
    export.export_gpkg(bundle, offices, export.ExportChoice(), path, gap=gap)
    out = ARTIFACTS / "qgis"
    shutil.rmtree(out, ignore_errors=True)
    code, report = _run(path, folder, out)
    return path, folder, code, report, out


def test_every_stored_style_draws_every_feature(national):
    path, _, code, report, _ = national
    missed = {
        f"{layer}/{style}": s["missed"][:5]
        for layer, info in report["layers"].items()
        for style, s in info["styles"].items()
        if s["missed"]
    }
    assert not missed and code == 0
    layers = report["layers"]
    assert report["qgis"].startswith("3.")
    for name, info in layers.items():
        assert info["valid"] and info["crs"] == "EPSG:3006" and info["default_loaded"], name
        assert info["styles"], f"{name}: no stored style applied"
    assert layers["omraden"]["features"] == 3363 and layers["kommuner"]["features"] == 290
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT count(*) FROM layer_styles").fetchone()[0]
    assert sum(len(info["styles"]) for info in layers.values()) == stored  # every style was tried
    kommuner = layers["kommuner"]["styles"]
    # Gnosjö's 28.5758 %, the highest value, is drawn in the open top class
    assert "23 och mer %" in kommuner["forgymnasial_kommun_2021"]["labels"]["0617"]
    assert not kommuner["arbetsloshet_kommun_2017"]["missed"]
    omraden = layers["omraden"]["styles"]
    # Repisvaara-Dundret has no type and no figures: grey "Uppgift saknas", not a hole
    assert omraden["omradestyp_2023"]["labels"]["2523R011"] == ["Uppgift saknas"]
    assert "Uppgift saknas" in omraden["arbetsloshet_af_modell_2020"]["labels"]["2523R011"]
    assert omraden["arbetsloshet_af_modell_2020"]["classes"]["20 och mer %"] > 0
    kontor = layers["kontor"]["styles"]["myndighet_status"]["classes"]
    assert kontor["Arbetsförmedlingen: stängt"] > 0 and kontor["Statens servicecenter: öppet"] > 0


def test_field_titles_and_metadata_reach_qgis(national):
    _, _, _, report, _ = national
    omraden = report["layers"]["omraden"]
    assert omraden["aliases"]["regsonamn"] == "Område (RegSO)"
    assert "modellskattning" in omraden["aliases"]["arbetsloshet_af_modell_pct_2023"].casefold()
    assert report["layers"]["luckor"]["aliases"]["avstand_km"].startswith("Avstånd")
    md = omraden["metadata"]
    assert md["title"] == export.LAYER_TITLES["omraden"]
    assert md["abstract"].startswith("RegSO 2025-områden") and any("CC0" in x for x in md["licences"])
    assert md["rights"] and md["links"]
    assert "Luckregel" in report["layers"]["luckor"]["metadata"]["abstract"]


def test_one_png_per_layer(national):
    *_, report, out = national
    for name in [*export.LAYERS, "alla_lager"]:
        png = out / f"qgis_{name}.png"
        assert png.exists(), png
        colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 3, f"{png}: blank render"
    # National scale: no grey outline blobs over the cities. Neutral grey pixels were 0.54 % of the
    # land with 0.1 mm grey outlines per area; with hairlines in each fill's own hue 0.03 %.
    rgb = np.asarray(Image.open(out / "qgis_omraden.png").convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grey = (abs(r - g) < 10) & (abs(g - b) < 10) & (r > 40) & (r < 200)
    land = ~((r > 250) & (g > 250) & (b > 250))
    assert grey.sum() / land.sum() < 0.002


def test_the_check_fails_on_a_style_that_hides_a_feature(bundle, national):
    """The check can fail: a graduated top class written rounded down (the old export) hides Gnosjö.

    The same file has two statuses the embedded list lacks (a planned office, one with no status).
    """
    _, folder, *_ = national
    offices = loaders.load_presence().copy()
    af = offices.index[offices["agency"] == "af"]
    offices.loc[af[0], "status"] = "planned"
    offices.loc[af[1], "status"] = None
    broken = folder / "broken.gpkg"
    export.export_gpkg(bundle, offices, export.ExportChoice(layers=("kommuner", "kontor")), broken)
    qml = (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.22.0" styleCategories="Symbology">'
        '<renderer-v2 type="graduatedSymbol" attr="forgymnasial_pct_2021" graduatedMethod="GraduatedColor" '
        'symbollevels="0" enableorderby="0" forceraster="0"><ranges>'
        '<range lower="0.000000" upper="28.575700" label="x" symbol="0" render="true"/></ranges><symbols>'
        '<symbol type="fill" name="0" alpha="1"><layer class="SimpleFill"><Option type="Map">'
        '<Option name="color" value="1,2,3,255" type="QString"/></Option></layer></symbol></symbols>'
        "</renderer-v2></qgis>"
    )
    with sqlite3.connect(broken) as db:
        db.execute("UPDATE layer_styles SET styleQML = ? WHERE styleName = 'forgymnasial_kommun_2021'", (qml,))
    db.close()
    code, report = _run(broken, folder)
    assert code == 1
    assert report["layers"]["kommuner"]["styles"]["forgymnasial_kommun_2021"]["missed"] == ["0617"]
    kontor = report["layers"]["kontor"]["styles"]["myndighet_status"]
    assert not kontor["missed"]
    assert kontor["classes"]["Arbetsförmedlingen: planerat"] == 1
    assert kontor["classes"]["Arbetsförmedlingen: status okänd"] == 1
