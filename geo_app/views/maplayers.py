"""deck.gl layers of the map views, built so the browser redraws cheaply (no Streamlit).

Every layer keeps its ``id`` and ``data`` URL across reruns unless the place changes;
year and layer switches only change accessor strings (with ``updateTriggers``), so
deck.gl recomputes one colour attribute and never re-fetches or re-tessellates. Lines are
``LineLayer`` segments (see :mod:`geo_app.views.lod` for why not GeoJSON strokes), areas are
filled without strokes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pydeck as pdk

from geo_app.i18n import LANGUAGES
from geo_app.layers.spec import LayerSpec, hex_to_rgba
from geo_app.views.lod import MapFiles, RegionView
from geo_app.views.mapdata import fill_property, label_property

HIGHLIGHT_COLOUR = [120, 0, 160, 255]
AREA_LINE_COLOUR = [70, 70, 70, 80]
AREA_LAYER_IDS = ("areas", "kommun_areas", "areas_detail")  # the pickable area layers


def area_layer(layer_id: str, url: str, fill: str, triggers: Sequence[object], visible: bool = True) -> pdk.Layer:
    """Filled, pickable areas without strokes (strokes are the expensive part in software WebGL)."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=url,
        pickable=True,
        filled=True,
        stroked=False,
        visible=visible,
        get_fill_color=fill,
        update_triggers={"getFillColor": triggers},
    )


def line_layer(layer_id: str, url: str, colour: list[int], width_px: float, visible: bool = True) -> pdk.Layer:
    """Segments ``{"s": [x, y], "t": [x, y]}`` as a ``LineLayer`` in pixels.

    Colour and width are accessors (per-segment attributes) even when constant, like the region
    lines' ``c``/``w``: software WebGL (SwiftShader) compiles a draw routine per vertex layout, so
    every line layer sharing one layout means the first region change does not pay a compile
    (≈ 0.35 s measured) for a layout the national view never drew (docs/map_speed.md).
    """
    return pdk.Layer(
        "LineLayer",
        id=layer_id,
        data=url,
        get_source_position="s",
        get_target_position="t",
        get_color=json.dumps(list(colour), separators=(",", ":")),
        get_width=f"{max(width_px, 1.0):g}",
        width_units=pdk.types.String("pixels"),
        pickable=False,
        visible=visible,
    )


def line_styles(layers: dict[str, LayerSpec]) -> dict[str, tuple[list[int], float]]:
    """Edge kind → (RGBA, width px), from the kommun/län outline declarations."""
    k, lan = layers.get("kommun_outline"), layers.get("lan_outline")
    return {
        "area": (AREA_LINE_COLOUR, 1.0),
        "kommun": (hex_to_rgba(k.line_color, 230) if k else [85, 85, 85, 230], max(k.line_width_px if k else 1, 1.0)),
        "lan": (
            hex_to_rgba(lan.line_color, 230) if lan else [17, 17, 17, 230],
            max(lan.line_width_px if lan else 1.6, 1.0),
        ),
        "outline": (HIGHLIGHT_COLOUR, 3.0),
    }


def region_view(spec: LayerSpec, year: int | None) -> RegionView:
    """The fill and label properties of a view, for its region files (:meth:`MapFiles.region`)."""
    labels = tuple(dict.fromkeys(label_property(spec, year, lang) for lang in LANGUAGES))
    return fill_property(spec.id, year), labels


def map_layers(  # noqa: PLR0913
    files: MapFiles,
    layers: dict[str, LayerSpec],
    spec: LayerSpec,
    year: int | None,
    region: tuple[str, str] | None = None,
    outline: str | None = None,
) -> list[pdk.Layer]:
    """The layers of a view.

    National view: all areas (coarse) filled, kommun and län borders. Region view (a län or
    kommun, ``region=("lan", "12")``): that region's areas and borders in detail, its outline
    highlighted, over the coarse areas and län borders around it (all from the region's file: the
    national layers are hidden); going back to Sweden re-fetches and re-tessellates nothing.
    ``outline`` (URL) adds another highlight (a chosen area).
    """
    nat = files.national()
    fill = f"properties.{fill_property(spec.id, year)}"
    triggers = [spec.id, year]
    styles = line_styles(layers)
    # Around a region the national layer is hidden: the region file carries the coarse areas near
    # it (hovering a neighbour still shows its tooltip). So a region change's first frames (new
    # layers with the old view, then the new view, before the region file arrives) draw no
    # national areas: ≈ 60 ms less each in software WebGL (docs/map_speed.md).
    out = [area_layer("areas", nat["areas"], fill, triggers, visible=spec.level == "regso" and not region)]
    if spec.level == "kommun":
        out.append(area_layer("kommun_areas", nat["kommun_areas"], fill, triggers))
    if region:
        # a file per view, its features carrying that view's fill as ``f``: while another view's file
        # loads, the old features keep their own colours (docs/map_speed.md)
        detail = files.region(*region, view=region_view(spec, year))
        out.append(area_layer("areas_detail", detail["areas"], "properties.f", triggers))
    if "kommun_outline" in layers:
        colour, width = styles["kommun"]
        out.append(line_layer("kommun_lines", nat["kommun_lines"], colour, width, visible=not region))
    if "lan_outline" in layers:
        colour, width = styles["lan"]
        # hidden in a region view: the region file carries the län borders around the region, so a region
        # change's first frames (before that file arrives) draw offices only (docs/map_speed.md)
        out.append(line_layer("lan_lines", nat["lan_lines"], colour, width, visible=not region))
    if region:
        out.append(
            pdk.Layer(
                "LineLayer",
                id="region_lines",
                data=detail["lines"],
                data_transform="lines",  # the region file's segments (the areas layer reads its features)
                get_source_position="s",
                get_target_position="t",
                get_color="c",
                get_width="w",
                width_units=pdk.types.String("pixels"),
                pickable=False,
            )
        )
    if outline:
        out.append(line_layer("highlight_area", outline, HIGHLIGHT_COLOUR, 3.0))
    return out


def picked(event: object, layer_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The objects a map click selected on the given layers (the event is an object or, in tests, a dict)."""
    selection = (event or {}).get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    objects = (selection or {}).get("objects", {}) or {}
    return [obj for lid in layer_ids for obj in (objects.get(lid) or [])]
