"""Point and ring layers of a fixed pixel size (offices, unknown areas, what-if points)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydeck as pdk


@dataclass(frozen=True, kw_only=True)
class PointStyle:
    """How a point layer draws: ``fill`` None draws rings only; sizes in pixels."""

    line: list[int] | str
    radius_px: float
    width_px: float
    fill: list[int] | str | None = None
    pickable: bool = False


def ring_layer(
    layer_id: str, data: list[dict[str, Any]] | str, colour: list[int], size: tuple[float, float]
) -> pdk.Layer:
    """Unfilled rings (``size`` = radius, line width in pixels) at each record's ``position``."""
    return point_layer(layer_id, data, PointStyle(line=colour, radius_px=size[0], width_px=size[1]))


def point_layer(layer_id: str, data: list[dict[str, Any]] | str, style: PointStyle) -> pdk.Layer:
    """Points of a fixed pixel size at each record's ``position``, drawn as ``style`` says."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=data,
        get_position="position",
        filled=style.fill is not None,
        stroked=True,
        get_fill_color=style.fill if style.fill is not None else [0, 0, 0, 0],
        get_line_color=style.line,
        radius_units=pdk.types.String("pixels"),
        get_radius=style.radius_px,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=style.width_px,
        pickable=style.pickable,
    )
