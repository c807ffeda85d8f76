"""QGIS layer styles (``.qml`` XML) from layer declarations, for the GeoPackage ``layer_styles`` table.

QGIS applies the default style of a layer from ``layer_styles`` when it opens a
GeoPackage layer; each function returns one complete QML document (a string).
Built with :mod:`xml.etree.ElementTree`, so names and labels are escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from geo_app.layers.spec import LayerSpec, hex_to_rgba

QGIS_VERSION = "3.28.0"
NO_DATA_COLOUR = "#8c8c8c"


def _rgba(colour: str | list[int], alpha: int = 255) -> str:
    rgba = hex_to_rgba(colour, alpha) if isinstance(colour, str) else colour
    return ",".join(str(int(v)) for v in rgba)


def _options(parent: ET.Element, values: Mapping[str, object]) -> None:
    opt = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(opt, "Option", name=name, value=str(value), type="QString")


def fill_symbol(
    name: str, colour: str, outline: str = "#505050", outline_mm: float = 0.1, filled: bool = True, alpha: int = 255
) -> ET.Element:
    """A polygon symbol: solid fill (or none) with an outline."""
    sym = ET.Element("symbol", type="fill", name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(sym, "layer", {"class": "SimpleFill", "enabled": "1", "pass": "0", "locked": "0"})
    _options(
        layer,
        {
            "color": _rgba(colour, alpha),
            "style": "solid" if filled else "no",
            "outline_color": _rgba(outline),
            "outline_style": "solid",
            "outline_width": outline_mm,
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )
    return sym


def marker_symbol(name: str, colour: str, shape: str, size_mm: float = 3.0, filled: bool = True) -> ET.Element:
    """A point symbol: ``shape`` is a QGIS simple marker name (circle, square, triangle, …)."""
    sym = ET.Element("symbol", type="marker", name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(sym, "layer", {"class": "SimpleMarker", "enabled": "1", "pass": "0", "locked": "0"})
    _options(
        layer,
        {
            "name": shape,
            "size": size_mm,
            "size_unit": "MM",
            "color": _rgba(colour) if filled else "255,255,255,230",
            "outline_color": _rgba(colour) if not filled else "255,255,255,255",
            "outline_width": 0.2 if filled else 0.8,
            "outline_width_unit": "MM",
            "outline_style": "solid",
        },
    )
    return sym


def _document(renderer: ET.Element) -> str:
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology")
    root.append(renderer)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerGeometryType").text = "0" if renderer.get("geometry") == "point" else "2"
    renderer.attrib.pop("geometry", None)
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body


def categorized(field: str, categories: Sequence[tuple[object, str, ET.Element]], geometry: str = "polygon") -> str:
    """A categorized renderer: ``(value, label, symbol)`` per category (symbol names are set here)."""
    renderer = ET.Element(
        "renderer-v2",
        type="categorizedSymbol",
        attr=field,
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
        geometry=geometry,
    )
    cats, symbols = ET.SubElement(renderer, "categories"), ET.SubElement(renderer, "symbols")
    for i, (value, label, symbol) in enumerate(categories):
        ET.SubElement(
            cats, "category", value="" if value is None else str(value), label=label, symbol=str(i), render="true"
        )
        symbol.set("name", str(i))
        symbols.append(symbol)
    return _document(renderer)


def graduated(field: str, ranges: Sequence[tuple[float, float, str, ET.Element]]) -> str:
    """A graduated renderer: ``(lower, upper, label, symbol)`` per class."""
    renderer = ET.Element(
        "renderer-v2",
        type="graduatedSymbol",
        attr=field,
        graduatedMethod="GraduatedColor",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
        geometry="polygon",
    )
    rng, symbols = ET.SubElement(renderer, "ranges"), ET.SubElement(renderer, "symbols")
    for i, (lower, upper, label, symbol) in enumerate(ranges):
        ET.SubElement(
            rng, "range", lower=f"{lower:.6f}", upper=f"{upper:.6f}", label=label, symbol=str(i), render="true"
        )
        symbol.set("name", str(i))
        symbols.append(symbol)
    return _document(renderer)


def single(symbol: ET.Element, geometry: str = "polygon") -> str:
    """One symbol for every feature."""
    renderer = ET.Element(
        "renderer-v2", type="singleSymbol", symbollevels="0", enableorderby="0", forceraster="0", geometry=geometry
    )
    symbols = ET.SubElement(renderer, "symbols")
    symbol.set("name", "0")
    symbols.append(symbol)
    return _document(renderer)


def layer_style(spec: LayerSpec, field: str, lang: str = "sv", values=None) -> str:
    """The QML for a fill layer declaration on ``field``: its classes, colours and legend labels.

    Graduated classes without a bound get the data's minimum/maximum (``values``) or ±1e9.
    """
    if spec.style == "categorical":
        cats = [(c.value, c.label.get(lang) or c.label["sv"], fill_symbol("", c.color)) for c in spec.classes]
        if spec.no_data is not None:
            cats.append(
                (None, spec.no_data.label.get(lang) or spec.no_data.label["sv"], fill_symbol("", spec.no_data.color))
            )
        return categorized(field, cats)
    lo = float(min(values.min(), 0)) if values is not None and len(values.dropna()) else -1e9
    hi = float(values.max()) if values is not None and len(values.dropna()) else 1e9
    ranges = []
    for c in spec.classes:
        lower = c.lower if c.lower is not None else lo
        upper = c.upper if c.upper is not None else max(hi, lower)
        ranges.append((lower, upper, c.label.get(lang) or c.label["sv"], fill_symbol("", c.color)))
    return graduated(field, ranges)
