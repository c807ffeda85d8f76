"""QGIS layer styles (``.qml`` XML) from layer declarations, for the GeoPackage ``layer_styles`` table.

QGIS applies the default style of a layer from ``layer_styles`` when it opens a
GeoPackage layer; each function returns one complete QML document (a string).
Built with :mod:`xml.etree.ElementTree`, so names and labels are escaped.

Every style draws every feature (checked in real QGIS by ``tests/test_qgis.py``):

* numeric classes are a **rule-based** renderer, because QGIS' graduated renderer draws
  nothing for NULL and has no "else" class. The rules use the app's own semantics
  (``lower <= v < upper``), the bottom and top classes are open-ended and bounds are
  written with full precision (``repr``), so no value of any year falls outside;
  an ``ELSE`` rule labelled *Uppgift saknas* catches NULL;
* categorized styles end with QGIS' catch-all category (empty value), which takes NULL
  and any value not listed.

Each document carries ``<aliases>`` (field titles shown by QGIS in the attribute table,
identify results and forms) when given.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from geo_app.layers.spec import LayerSpec, hex_to_rgba

QGIS_VERSION = "3.22.0"
NO_DATA_COLOUR = "#8c8c8c"
NO_DATA_LABEL = "Uppgift saknas"
ESTIMATE_LABEL = "Modellskattning"
# What QGIS applies from a stored style: symbology, legend and the field aliases.
STYLE_CATEGORIES = "Symbology|Fields|Legend"


def _rgba(colour: str | list[int], alpha: int = 255) -> str:
    rgba = hex_to_rgba(colour, alpha) if isinstance(colour, str) else colour
    return ",".join(str(int(v)) for v in rgba)


def darker(colour: str, factor: float = 0.75) -> str:
    """``colour`` with each channel scaled by ``factor`` (same hue, darker): for hairline outlines."""
    r, g, b, _ = hex_to_rgba(colour)
    return "#" + "".join(f"{int(round(v * factor)):02x}" for v in (r, g, b))


def _options(parent: ET.Element, values: Mapping[str, object]) -> None:
    opt = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(opt, "Option", name=name, value=str(value), type="QString")


def _symbol(kind: str) -> ET.Element:
    return ET.Element("symbol", type=kind, name="", alpha="1", clip_to_extent="1", force_rhr="0")


class Outline(NamedTuple):
    """A symbol's outline: colour (as the symbol layer takes it), width in mm, QGIS line style."""

    colour: str
    mm: float
    style: str = "solid"


def _simple_fill(sym: ET.Element, colour: str, outline: Outline, filled: bool, alpha: int) -> None:
    """A SimpleFill layer; ``outline.colour`` is a hex colour."""
    layer = ET.SubElement(sym, "layer", {"class": "SimpleFill", "enabled": "1", "pass": "0", "locked": "0"})
    _options(
        layer,
        {
            "color": _rgba(colour, alpha),
            "style": "solid" if filled else "no",
            "outline_color": _rgba(outline.colour),
            "outline_style": outline.style,
            "outline_width": outline.mm,
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )


def fill_symbol(
    colour: str, outline: str = "#505050", outline_mm: float = 0.1, filled: bool = True, alpha: int = 255
) -> ET.Element:
    """A polygon symbol: solid fill (or none) with a solid outline (width 0 = a one-pixel hairline in QGIS)."""
    sym = _symbol("fill")
    _simple_fill(sym, colour, Outline(outline, outline_mm), filled, alpha)
    return sym


def area_symbol(colour: str) -> ET.Element:
    """A fill for many small areas: a hairline in a darker shade of the fill, never a grey outline.

    At national scale a 0.1 mm grey outline per RegSO area turns the cities into grey
    blobs; a one-pixel outline of the same hue keeps the class colour readable.
    """
    return fill_symbol(colour, darker(colour), 0.0)


def _simple_marker(sym: ET.Element, shape: str, size_mm: float, fill: str, outline: Outline) -> None:
    """A SimpleMarker layer; ``fill`` and ``outline.colour`` are ``r,g,b,a`` texts."""
    layer = ET.SubElement(sym, "layer", {"class": "SimpleMarker", "enabled": "1", "pass": "0", "locked": "0"})
    _options(
        layer,
        {
            "name": shape,
            "size": size_mm,
            "size_unit": "MM",
            "color": fill,
            "outline_color": outline.colour,
            "outline_width": outline.mm,
            "outline_width_unit": "MM",
            "outline_style": outline.style,
        },
    )


def marker_symbol(name: str, colour: str, shape: str, size_mm: float = 3.0, filled: bool = True) -> ET.Element:
    """A point symbol: ``shape`` is a QGIS simple marker name (circle, square, triangle, …)."""
    sym = _symbol("marker")
    sym.set("name", name)
    _simple_marker(
        sym,
        shape,
        size_mm,
        _rgba(colour) if filled else "255,255,255,230",
        Outline(_rgba(colour) if not filled else "255,255,255,255", 0.2 if filled else 0.8),
    )
    return sym


def office_symbol(colour: str, shape: str, filled: bool, status: str) -> ET.Element:
    """An office marker by status.

    Open: the agency's symbol; ``closing``: the same with a dashed dark ring; ``planned``: hollow with
    a dashed outline; ``closed`` (and unknown): grey and hollow with a cross.
    """
    sym = _symbol("marker")
    if status in ("open", "closing"):
        fill = _rgba(colour) if filled else "255,255,255,230"
        outline = _rgba(colour) if not filled else "255,255,255,255"
        _simple_marker(sym, shape, 3.0, fill, Outline(outline, 0.2 if filled else 0.8))
        if status == "closing":
            _simple_marker(sym, "circle", 4.4, "0,0,0,0", Outline("40,40,40,255", 0.35, "dash"))
    elif status in ("planned", "uncertain"):
        _simple_marker(sym, shape, 3.0, "255,255,255,200", Outline(_rgba(colour), 0.6, "dash"))
    else:  # closed (and unknown status: drawn, but not as an open office)
        _simple_marker(sym, shape, 3.0, "255,255,255,160", Outline("120,120,120,255", 0.5))
        _simple_marker(sym, "cross2", 2.2, "0,0,0,0", Outline("90,90,90,255", 0.4))
    return sym


def gap_symbol(colour: str, outline: str = "#3f007d") -> ET.Element:
    """A gap area: fill, a thick outline, and a marker on a point inside it so it shows at national scale."""
    sym = _symbol("fill")
    _simple_fill(sym, colour, Outline(outline, 0.6), True, 255)
    centroid = ET.SubElement(sym, "layer", {"class": "CentroidFill", "enabled": "1", "pass": "0", "locked": "0"})
    _options(centroid, {"point_on_surface": "1", "point_on_all_parts": "0", "clip_points": "0"})
    marker = _symbol("marker")
    marker.set("name", "@0@1")
    _simple_marker(marker, "diamond", 3.4, _rgba(colour), Outline(_rgba(outline), 0.6))
    centroid.append(marker)
    return sym


def _aliases(root: ET.Element, aliases: Mapping[str, str] | None) -> None:
    if not aliases:
        return
    node = ET.SubElement(root, "aliases")
    for i, (name, title) in enumerate(aliases.items()):
        ET.SubElement(node, "alias", field=name, index=str(i), name=title)


def _document(renderer: ET.Element, aliases: Mapping[str, str] | None = None) -> str:
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories=STYLE_CATEGORIES)
    point = renderer.get("geometry") == "point"
    renderer.attrib.pop("geometry", None)
    root.append(renderer)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    _aliases(root, aliases)
    ET.SubElement(root, "layerGeometryType").text = "0" if point else "2"
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body


def categorized(
    field: str,
    categories: Sequence[tuple[object, str, ET.Element]],
    geometry: str = "polygon",
    aliases: Mapping[str, str] | None = None,
) -> str:
    """A categorized renderer: ``(value, label, symbol)`` per category (symbol names are set here).

    A category with value ``None`` is QGIS' catch-all (empty value): NULL and unlisted values.
    """
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
    return _document(renderer, aliases)


@dataclass
class Rule:
    """One rule of a rule-based renderer: ``filter`` is a QGIS expression, ``"ELSE"`` or None (all)."""

    label: str
    filter: str | None = None
    symbol: ET.Element | None = None
    children: list[Rule] = field(default_factory=list)


def rule_based(rules: Sequence[Rule], geometry: str = "polygon", aliases: Mapping[str, str] | None = None) -> str:
    """A rule-based renderer (rules may nest: a rule without symbol is a legend heading)."""
    renderer = ET.Element(
        "renderer-v2", type="RuleRenderer", symbollevels="0", enableorderby="0", forceraster="0", geometry=geometry
    )
    root = ET.SubElement(renderer, "rules", key="{root}")
    symbols = ET.SubElement(renderer, "symbols")
    counter = [0]

    def add(parent: ET.Element, rule: Rule, key: str) -> None:
        attrs = {"key": key, "label": rule.label}
        if rule.filter:
            attrs["filter"] = rule.filter
        if rule.symbol is not None:
            name = str(counter[0])
            counter[0] += 1
            rule.symbol.set("name", name)
            symbols.append(rule.symbol)
            attrs["symbol"] = name
        node = ET.SubElement(parent, "rule", attrs)
        for i, child in enumerate(rule.children):
            add(node, child, f"{key}-{i}")

    for i, rule in enumerate(rules):
        add(root, rule, f"r{i}")
    return _document(renderer, aliases)


def _quote(field_name: str) -> str:
    return '"' + field_name.replace('"', '""') + '"'


def _num(value: float) -> str:
    """A bound with full precision (``repr``: the shortest text that reads back as the same float)."""
    return repr(float(value))


def range_filter(field_name: str, lower: float | None, upper: float | None) -> str:
    """``lower <= field < upper`` as a QGIS expression; a missing bound is open (−inf / +inf)."""
    f = _quote(field_name)
    parts = []
    if lower is not None:
        parts.append(f"{f} >= {_num(lower)}")
    if upper is not None:
        parts.append(f"{f} < {_num(upper)}")
    return " AND ".join(parts) if parts else f"{f} IS NOT NULL"


def ranges(
    field_name: str,
    classes: Sequence[tuple[float | None, float | None, str, ET.Element]],
    heading: str,
    no_data: tuple[str, ET.Element] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """Numeric classes ``(lower, upper, label, symbol)`` under a legend ``heading``, plus an ELSE rule.

    The first class's lower and the last class's upper bound are dropped (open-ended), so
    values beyond the declared bounds still get the outer classes.
    """
    children = []
    last = len(classes) - 1
    for i, (lower, upper, label, symbol) in enumerate(classes):
        lo = None if i == 0 else lower
        hi = None if i == last else upper
        children.append(Rule(label, range_filter(field_name, lo, hi), symbol))
    label, symbol = no_data or (NO_DATA_LABEL, area_symbol(NO_DATA_COLOUR))
    children.append(Rule(label, "ELSE", symbol))
    return rule_based([Rule(heading, None, None, children)], "polygon", aliases)


def single(symbol: ET.Element, geometry: str = "polygon", aliases: Mapping[str, str] | None = None) -> str:
    """One symbol for every feature."""
    renderer = ET.Element(
        "renderer-v2", type="singleSymbol", symbollevels="0", enableorderby="0", forceraster="0", geometry=geometry
    )
    symbols = ET.SubElement(renderer, "symbols")
    symbol.set("name", "0")
    symbols.append(symbol)
    return _document(renderer, aliases)


def heading(spec: LayerSpec, year: int | None, lang: str = "sv") -> str:
    """The legend heading of a fill style: title, year, unit, and *Modellskattning* for estimates."""
    text = spec.title_in(lang) + (f" {year}" if year else "")
    unit = spec.unit_in(lang)
    if unit:
        text += f" ({unit})"
    if spec.kind == "estimate" and ESTIMATE_LABEL.casefold() not in text.casefold():
        text += f" – {ESTIMATE_LABEL}"
    return text


def layer_style(
    spec: LayerSpec,
    field: str,
    lang: str = "sv",
    year: int | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """The QML for a fill layer declaration on ``field``: its classes, colours and legend labels.

    Categorical layers: categories plus the catch-all "Uppgift saknas"; graduated layers: open-ended
    range rules plus an ELSE rule (see the module docstring).
    """
    nd_label = (spec.no_data.label.get(lang) or spec.no_data.label["sv"]) if spec.no_data else NO_DATA_LABEL
    nd_colour = spec.no_data.color if spec.no_data else NO_DATA_COLOUR
    if spec.style == "categorical":
        cats: list[tuple[object, str, ET.Element]] = [
            (c.value, c.label.get(lang) or c.label["sv"], area_symbol(c.color)) for c in spec.classes
        ]
        cats.append((None, nd_label, area_symbol(nd_colour)))
        return categorized(field, cats, aliases=aliases)
    classes = [(c.lower, c.upper, c.label.get(lang) or c.label["sv"], area_symbol(c.color)) for c in spec.classes]
    return ranges(field, classes, heading(spec, year, lang), (nd_label, area_symbol(nd_colour)), aliases=aliases)
