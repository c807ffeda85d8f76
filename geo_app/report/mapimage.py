"""The brief's map, drawn on the server: RegSO areas by områdestyp, kommun outlines, offices (PNG).

Readable in black and white: types 1 and 2 are hatched (dense cross-hatch, diagonal lines)
besides their colour, offices differ in shape (AF ring, SSC triangle, other square), and
kommun boundaries are thick black lines. Matplotlib's object API (no pyplot state), so it
is safe to call from the app's threads.
"""

from __future__ import annotations

import io
import textwrap

import geopandas as gpd
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo_app.analysis import compare
from geo_app.analysis.gaps import COUNTING_STATUSES
from geo_app.i18n import t
from geo_app.layers.bundle import Bundle

HATCHES = {1: "xxxx", 2: "////"}
NO_DATA = "#8c8c8c"
OFFICE_STYLE = {  # marker, face, edge, size
    "af": ("o", "white", "#0b5394", 70),
    "ssc": ("^", "#38761d", "black", 60),
    "other": ("s", "#5a5a5a", "black", 40),
}
WIDTH_IN, HEIGHT_IN, MIN_HEIGHT_IN, DPI = 6.7, 4.6, 3.4, 150
MAP_SHARE = 0.64  # of the width; the legend has the rest


def _scale_bar(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    minx, miny, maxx, _ = bounds
    span = maxx - minx
    km = max(1, int(10 ** np.floor(np.log10(max(span / 5000.0, 1.0)))))
    for nice in (1, 2, 5, 10):
        if km * nice * 1000 > span / 5:
            km *= nice
            break
    x0, y0 = minx + span * 0.03, miny + (bounds[3] - miny) * 0.03
    ax.plot([x0, x0 + km * 1000], [y0, y0], color="black", linewidth=3, solid_capstyle="butt", zorder=6)
    ax.text(x0, y0, f" {km} km\n", fontsize=7, va="bottom", ha="left", zorder=6)


def map_geometry(bundle: Bundle) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    """The display geometry of areas and kommuner (simplified for the screen) in EPSG:3006, for print maps."""
    return bundle.display["regso"].to_crs(3006), bundle.display["kommun"].to_crs(3006)


def _wrap(label: str, width: int = 30) -> str:
    return textwrap.fill(label, width, subsequent_indent="   ")


def render_map(  # noqa: PLR0913
    bundle: Bundle,
    level: str,
    code: str,
    year: int,
    offices: gpd.GeoDataFrame,
    lang: str = "sv",
    geometry: tuple[gpd.GeoSeries, gpd.GeoSeries] | None = None,
) -> tuple[bytes, int, int]:
    """PNG of the unit's areas, kommun outlines and counting offices.

    ``geometry`` is :func:`map_geometry` of the bundle (computed here if not given; a batch passes it once).

    Returns
    -------
    (bytes, int, int)
        The PNG, the number of areas drawn and of offices drawn.
    """
    regso_geom, kommun_geom = geometry or map_geometry(bundle)
    areas = compare.areas_of(bundle.regso.drop(columns="geometry"), level, [code])
    areas = gpd.GeoDataFrame(areas, geometry=regso_geom.reindex(areas.index).values, crs=regso_geom.crs)
    kommuner = kommun_geom[kommun_geom.index.isin(areas["kommunkod"].unique())]
    spec = bundle.layers["omradestyp"]
    colours = {int(c.value): c.color for c in spec.classes if c.value is not None}
    labels = [label for _, label in spec.legend(lang)]
    type_col = f"omradestyp_{year}"

    bounds = _padded_bounds(areas)
    # The figure's height follows the unit's shape (no empty bands, no second "tight" draw).
    aspect = (bounds[3] - bounds[1]) / max(bounds[2] - bounds[0], 1.0)
    height = float(np.clip(WIDTH_IN * MAP_SHARE * aspect, MIN_HEIGHT_IN, HEIGHT_IN))
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, MAP_SHARE, 1.0))
    ax.set_axis_off()
    ax.set_aspect("equal")
    types = areas[type_col]
    for ty in compare.TYPES:
        sub = areas[types == ty]
        if len(sub):
            sub.plot(
                ax=ax,
                facecolor=colours.get(ty, NO_DATA),
                edgecolor="#333333",
                linewidth=0.35,
                hatch=HATCHES.get(ty),
            )
    missing = areas[types.isna()]
    if len(missing):
        missing.plot(ax=ax, facecolor=NO_DATA, edgecolor="#333333", linewidth=0.35, hatch="..")
    kommuner.boundary.plot(ax=ax, color="black", linewidth=1.3)
    shown = _draw_offices(ax, offices, bounds)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    _scale_bar(ax, bounds)
    handles = _legend_handles(colours, labels, (len(missing) > 0, (shown["agency"] == "other").any()), lang)
    legend_ax = fig.add_axes((MAP_SHARE + 0.005, 0.0, 1.0 - MAP_SHARE - 0.005, 1.0))
    legend_ax.set_axis_off()
    legend_ax.legend(
        handles=handles,
        loc="center left",
        fontsize=7,
        frameon=False,
        handlelength=2.2,
        handleheight=1.6,
        labelspacing=0.9,
        title=f"{t('col.omradestyp', lang)} {year}",
        title_fontsize=8,
        alignment="left",
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue(), len(areas), len(shown)


def _padded_bounds(areas: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = areas.total_bounds
    pad = 0.03 * max(maxx - minx, maxy - miny)
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def _draw_offices(ax: Axes, offices: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The counting offices inside ``bounds``, drawn per agency; returns them."""
    shown = offices[offices["status"].isin(COUNTING_STATUSES)]
    shown = shown.cx[bounds[0] : bounds[2], bounds[1] : bounds[3]]
    for agency, (marker, face, edge, size) in OFFICE_STYLE.items():
        pts = shown[shown["agency"] == agency]
        if len(pts):
            ax.scatter(
                pts.geometry.x,
                pts.geometry.y,
                marker=marker,
                s=size,
                facecolors=face,
                edgecolors=edge,
                linewidths=2.0 if agency == "af" else 0.8,
                zorder=5,
            )
    return shown


def _legend_handles(colours: dict[int, str], labels: list[str], shown: tuple[bool, bool], lang: str) -> list[Artist]:
    """Legend entries: the types (hatched 1–2), no data if drawn, kommun outline, the agencies drawn."""
    missing, other = shown
    handles: list[Artist] = [
        Patch(facecolor=colours[ty], edgecolor="#333333", hatch=HATCHES.get(ty), label=_wrap(labels[i]))
        for i, ty in enumerate(compare.TYPES)
    ]
    if missing:
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#333333", hatch="..", label=_wrap(labels[-1])))
    handles.append(Line2D([], [], color="black", linewidth=1.3, label=t("brief.map.kommun", lang)))
    for agency, (marker, face, edge, size) in OFFICE_STYLE.items():
        if agency == "other" and not other:
            continue
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker=marker,
                markersize=np.sqrt(size),
                markerfacecolor=face,
                markeredgecolor=edge,
                markeredgewidth=2.0 if agency == "af" else 0.8,
                label=_wrap(t(f"brief.map.{agency}", lang)),
            )
        )
    return handles
