"""Open an exported GeoPackage in real QGIS (headless), apply every stored style, render PNGs.

Run with Debian's Python (QGIS' bindings are built for it, not for the venv):

    apt-get install -y python3-qgis qgis-providers
    .venv/bin/geo-app export /tmp/sverige.gpkg
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis_check.py /tmp/sverige.gpkg [OUT_DIR] [--json]

For every spatial layer and every style in the file's ``layer_styles`` table it loads the
style as QGIS does and checks that **every feature is drawn by some class**: a rule-based
renderer must give each feature a symbol (a range rule or the ELSE rule), a categorized
renderer a category (or the catch-all), a graduated renderer a range. With ``OUT_DIR`` it
renders one PNG per layer (its default style) and ``sverige.png`` with all layers.
Prints a report (``--json``: machine-readable, used by ``tests/test_qgis.py``); exit 1 when a
feature is not drawn.
"""

import json
import os
import sqlite3
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsExpressionContextUtils,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

LAYERS = ("omraden", "kommuner", "lan", "kontor", "luckor")
KEY = {"omraden": "regsokod", "kommuner": "kommunkod", "lan": "lanskod", "kontor": "kontor_id", "luckor": "regsokod"}
DRAW_ORDER = ("kontor", "luckor", "lan", "kommuner", "omraden")  # first is drawn on top


def stored_styles(path):
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT f_table_name, styleName, styleQML, useAsDefault FROM layer_styles ORDER BY id"
        ).fetchall()
    return rows


def apply_style(layer, qml):
    doc = QDomDocument()
    doc.setContent(qml)
    ok, err = layer.importNamedStyle(doc)
    if not ok:
        raise RuntimeError(f"{layer.name()}: style not applied: {err}")


def labels_by_key(renderer):
    return {item.ruleKey(): item.label() for item in renderer.legendSymbolItems()}


def check_layer(layer, key_field):
    """Features the current renderer draws with no symbol, and the legend label per feature key."""
    renderer = layer.renderer().clone()
    ctx = QgsRenderContext()
    ctx.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer.startRender(ctx, layer.fields())
    legend = labels_by_key(renderer)
    missed, labels, classes = [], {}, {}
    kind = renderer.type()
    for feature in layer.getFeatures():
        ctx.expressionContext().setFeature(feature)
        key = str(feature[key_field])
        drawn = renderer.willRenderFeature(feature, ctx) and bool(renderer.symbolsForFeature(feature, ctx))
        if kind == "categorizedSymbol":  # a category for the value, or the catch-all (empty value)
            values = {c.value() for c in renderer.categories() if c.renderState()}
            value = feature[renderer.classAttribute()]
            drawn = drawn and (str(value) in {str(v) for v in values} or "" in values or None in values)
        elif kind == "graduatedSymbol":
            value = feature[renderer.classAttribute()]
            drawn = drawn and renderer.rangeForValue(float(value)) is not None if value is not None else False
        if not drawn:
            missed.append(key)
        keys = renderer.legendKeysForFeature(feature, ctx)
        labels[key] = [legend.get(k, "") for k in keys]
        for k in keys:
            classes[legend.get(k, k)] = classes.get(legend.get(k, k), 0) + 1
    renderer.stopRender(ctx)
    return missed, labels, classes


def render(layers, extent, png, size=(700, 900)):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(png))


def main(argv):
    as_json = "--json" in argv
    args = [a for a in argv if a != "--json"]
    path, out = args[0], (Path(args[1]) if len(args) > 1 else None)
    app = QgsApplication([], False)
    app.initQgis()
    report = {"qgis": Qgis.QGIS_VERSION, "layers": {}}
    styles = stored_styles(path)
    layers = {}
    for name in LAYERS:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        info = {"valid": layer.isValid(), "features": layer.featureCount(), "crs": layer.crs().authid()}
        if not layer.isValid():  # not in this file (an export of some layers only)
            report["layers"][name] = {**info, "styles": {}}
            continue
        _, info["default_loaded"] = layer.loadDefaultStyle()
        info["default_renderer"] = layer.renderer().type()
        md = layer.metadata()
        info["metadata"] = {
            "title": md.title(),
            "abstract": md.abstract(),
            "licences": md.licenses(),
            "rights": md.rights(),
            "links": [link.url for link in md.links()],
        }
        info["aliases"] = {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}
        info["styles"] = {}
        for table, style, qml, default in styles:
            if table != name:
                continue
            apply_style(layer, qml)
            missed, labels, classes = check_layer(layer, KEY[name])
            if name == "omraden":  # keep the report small: labels of a few named areas only
                labels = {k: labels[k] for k in ("2523R011", "1280R011") if k in labels}
            info["styles"][style] = {
                "default": bool(default),
                "renderer": layer.renderer().type(),
                "missed": missed,
                "classes": classes,
                "labels": labels,
            }
        layer.loadDefaultStyle()
        report["layers"][name] = info
        layers[name] = layer
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        extent = next(iter(layers.values())).extent()
        if "omraden" in layers:
            extent = layers["omraden"].extent()
        for name, layer in layers.items():
            render([layer], extent, out / f"qgis_{name}.png")
        render([layers[n] for n in DRAW_ORDER if n in layers], extent, out / "qgis_alla_lager.png")
        report["png"] = sorted(str(p) for p in out.glob("qgis_*.png"))
    del layer, layers  # before QGIS exits: a layer outliving the application crashes Python at exit
    app.exitQgis()
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for name, info in report["layers"].items():
            if not info["valid"]:
                print(f"{name:9} not in the file")
                continue
            print(
                f"{name:9} valid={info['valid']} features={info['features']:5} {info['crs']} "
                f"default={info['default_renderer']} title={info['metadata']['title']!r}"
            )
            for style, s in info["styles"].items():
                flag = "OK" if not s["missed"] else f"NOT DRAWN: {s['missed'][:5]} ({len(s['missed'])})"
                print(f"    {'*' if s['default'] else ' '} {style:34} {s['renderer']:18} {flag}")
    missed = any(s["missed"] for info in report["layers"].values() for s in info["styles"].values())
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
