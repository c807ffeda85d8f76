"""Build the pydeck map spec from layer declarations (no Streamlit).

Heavy geometry is referenced by URL (see :mod:`geo_app.views.static_files`); the spec
itself holds only accessor strings, a view state, a tooltip template and, at
most, the small outline of the chosen kommun or län.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pydeck as pdk
import pydeck.bindings.deck as pdk_deck

from geo_app.i18n import t
from geo_app.layers.spec import LayerSpec
from geo_app.views.mapdata import label_property, population_property
from geo_app.views.static_files import publish

# pydeck 0.9 asks five times per Deck whether its Jupyter widget is there, by importing it; without
# ipywidgets the failed import is compiled again each time (≈ 25 ms per map rerun on a quiet machine,
# on the server before the map is sent). Ask once: the answer does not change while the app runs.
_HAS_JUPYTER_EXTRA = pdk_deck.has_jupyter_extra()
pdk_deck.has_jupyter_extra = lambda: _HAS_JUPYTER_EXTRA

SWEDEN_BOUNDS = (10.9, 55.2, 24.2, 69.1)
MAP_HEIGHT_PX = 640
MAP_WIDTH_PX = 720
HIGHLIGHT_COLOUR = [120, 0, 160, 255]  # purple: not in the RdYlBu palette
# No base map: pydeck's default ``map_style`` (its "__MAP_STYLE__" placeholder, which Streamlit drops)
# makes Streamlit draw deck.gl alone, without a MapLibre canvas. The background colour comes from the
# page CSS (geo_app.app.ui); kommun/län outlines carry the geography, and nothing is requested from
# outside. (A MapLibre background-only style, as before, cost a second WebGL canvas that MapLibre
# redrew for ≈ 20 frames after every view change: docs/map_speed.md.)
MAP_BACKGROUND = "#e9eef2"


def view_for_bounds(
    bounds: tuple[float, float, float, float], width: int = MAP_WIDTH_PX, height: int = MAP_HEIGHT_PX
) -> dict[str, float]:
    """Centre and Web-Mercator zoom that fit ``bounds`` (degrees) in a ``width``×``height`` map.

    Returns
    -------
    dict
        ``latitude``, ``longitude``, ``zoom`` (rounded to 2 decimals so a view is stable).
    """
    minx, miny, maxx, maxy = bounds

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(maxx - minx, 1e-4) / 360.0
    span_y = max(merc_y(maxy) - merc_y(miny), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width / 512 / span_x), math.log2(height / 512 / span_y)) - 0.15
    centre_y = (merc_y(maxy) + merc_y(miny)) / 2
    lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"latitude": round(lat, 5), "longitude": round((minx + maxx) / 2, 5), "zoom": round(min(zoom, 13), 2)}


def tooltip_text(spec: LayerSpec, year: int | None, lang: str, source_line: str, pop_year: int | None = None) -> str:
    """Plain-text tooltip template (deck.gl fills ``{property}``; text, never HTML).

    Lines: the place, the layer's value for the view, its kind when it is not an
    official figure (estimate, reference, imported), the population and the source.
    """
    when = f" {year}" if year is not None else ""
    lines = ["{name}, {kommun}" if spec.level == "regso" else "{name}"]
    lines.append(f"{spec.title_in(lang)}{when}: {{{label_property(spec, year, lang)}}}")
    if spec.kind != "official":
        lines.append(t(f"kind.{spec.kind}", lang).upper())
    if pop_year is not None:
        lines.append(f"{t('tooltip.population', lang, year=pop_year)}: {{{population_property(pop_year)}}}")
    lines.append(source_line)
    return "\n".join(lines)


def highlight_layer(feature_collection: dict[str, Any], layer_id: str = "highlight") -> pdk.Layer:
    """A thick outline around the chosen kommun, län or area (small inline data)."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=feature_collection,
        pickable=False,
        filled=False,
        stroked=True,
        get_line_color=HIGHLIGHT_COLOUR,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=3,
    )


# Tooltips at most 300 px wide (long source lines wrap); the page CSS lets them overflow the map's
# box (see geo_app/app/ui.py), so one near the map's right edge is not cut off. (No ``transform``
# here: deck.gl positions the box with it.)
TOOLTIP_STYLE = {"whiteSpace": "pre-line", "fontSize": "13px", "maxWidth": "300px", "overflowWrap": "anywhere"}


INLINE_MAX_BYTES = 2_000  # inline layer data larger than this goes to a static file (see data_by_url)


def _plain(value: object) -> object:
    """NumPy scalars as Python numbers (for ``json.dumps``)."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def data_by_url(layer: pdk.Layer, max_bytes: int = INLINE_MAX_BYTES) -> pdk.Layer:
    """The layer with its inline ``data`` (a list of records) moved to a content-addressed static file.

    Streamlit re-sends the whole deck spec on every rerun, and deck.gl re-reads inline data it
    gets as a new array; office points inline were ≈ 40 KB per rerun. By URL the spec stays a
    few KB and an unchanged file is neither re-sent nor re-read (same URL, same data). Small data
    (a search highlight) stays inline. The given layer is not changed (layers may be cached).
    """
    data = layer.data
    if not isinstance(data, list) or not data:
        return layer
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain).encode("utf-8")
    if len(payload) <= max_bytes:
        return layer
    out = copy.copy(layer)
    out.data = publish(payload, f"layer-{layer.id}")
    return out


def build_deck(layers: list[pdk.Layer], view: dict[str, float], tooltip: str | None) -> pdk.Deck:
    """Assemble the deck without a base map (no outside requests, no MapLibre canvas); large inline data by URL."""
    return pdk.Deck(
        layers=[data_by_url(layer) for layer in layers],
        initial_view_state=pdk.ViewState(**view, min_zoom=3.5, max_zoom=14, pitch=0, bearing=0),
        map_provider=None,
        tooltip={"text": tooltip, "style": TOOLTIP_STYLE} if tooltip else False,
        height=MAP_HEIGHT_PX,
    )
