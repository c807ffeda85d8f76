"""Open an exported GeoPackage in real QGIS (headless) and report each layer's default style.

Not part of the test suite (QGIS is ≈ 230 Debian packages). Run with Debian's Python:

    apt-get install -y python3-qgis qgis-providers
    .venv/bin/geo-app export /tmp/skane.gpkg --lan 12
    /usr/bin/python3 scripts/qgis_check.py /tmp/skane.gpkg [/tmp/skane.png]

Prints, per layer: valid, features, CRS, renderer type and classification field;
with a second argument also renders areas, län and offices to a PNG.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsVectorLayer  # noqa: E402
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

LAYERS = ("omraden", "kommuner", "lan", "kontor", "luckor")


def main(path: str, png: str | None = None) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    layers = {}
    for name in LAYERS:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        _, styled = layer.loadDefaultStyle()
        r = layer.renderer()
        field = r.classAttribute() if hasattr(r, "classAttribute") else ""
        print(
            f"{name:9} valid={layer.isValid()} features={layer.featureCount():5} {layer.crs().authid()} "
            f"styled={styled} {r.type()} {field}"
        )
        layers[name] = layer
    if png:
        settings = QgsMapSettings()
        settings.setLayers([layers["kontor"], layers["lan"], layers["omraden"]])  # first is drawn on top
        settings.setDestinationCrs(layers["omraden"].crs())
        settings.setExtent(layers["omraden"].extent())
        settings.setOutputSize(QSize(700, 900))
        settings.setBackgroundColor(QColor("white"))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(png)
        print(f"rendered → {png}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
