"""Point and ring layers of a fixed pixel size (offices, unknown areas, what-if points)."""

from __future__ import annotations

import pydeck as pdk


def ring_layer(  # noqa: PLR0913
    layer_id: str, data: list[dict] | str, colour: list[int], radius_px: float, width_px: float, pickable: bool
) -> pdk.Layer:
    """Unfilled rings of a fixed pixel size at each record's ``position`` (closed offices, unknown areas)."""
    return point_layer(layer_id, data, None, colour, radius_px, width_px, pickable=pickable)


def point_layer(  # noqa: PLR0913
    layer_id: str,
    data: list[dict] | str,
    fill: list[int] | str | None,
    line: list[int] | str,
    radius_px: float,
    width_px: float,
    pickable: bool = False,
) -> pdk.Layer:
    """Points of a fixed pixel size at each record's ``position``; ``fill`` None draws rings only."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=data,
        get_position="position",
        filled=fill is not None,
        stroked=True,
        get_fill_color=fill if fill is not None else [0, 0, 0, 0],
        get_line_color=line,
        radius_units=pdk.types.String("pixels"),
        get_radius=radius_px,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=width_px,
        pickable=pickable,
    )
