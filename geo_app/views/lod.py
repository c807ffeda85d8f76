"""Levels of detail for the browser map: light geometry that software WebGL draws fast.

Measured in headless Chromium with software WebGL (SwiftShader) on 2 cores, every vertex
deck.gl draws costs main-thread time on each frame (the compositor reads the canvas back):
≈ 1 µs per polygon-fill vertex, ≈ 8 µs per ``LineLayer`` segment and ≈ 50 µs per
``PathLayer`` vertex (GeoJSON strokes). So the map draws

- all areas filled, without strokes, from a coarse national coverage (:data:`NATIONAL_TOLERANCE_M`);
- kommun and län borders as ``LineLayer`` segments (each shared edge once), not as strokes;
- for a chosen län (:data:`LAN_TOLERANCE_M`) or kommun (50 m), only that region's areas and
  borders, in the detail its zoom needs, on top of the coarse national areas.

All geometry is a coverage (coverage-simplified, coordinates rounded per vertex), so an edge
two areas share has the same two end points in both and appears once in :func:`edge_table`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_app.analysis.geometry import dissolve_coverage, simplify_coverage, to_display
from geo_app.views.mapdata import feature_collection
from geo_app.views.static_files import publish

NATIONAL_TOLERANCE_M = 1500.0  # national view: ≈ 2.4 km per pixel
LAN_TOLERANCE_M = 400.0  # a län view: zoom 6–8.5, ≈ 0.3–1.5 km per pixel
# kommun and area views use the 50 m export geometry (zoom 8–13)
SCALE = 1_000_000  # coordinates are rounded to 6 decimals: compare them as integers
# A region file also carries the coarse national areas around the region (its "context"), within
# these multiples of the region's larger side beyond its box: what a region view shows on a map up
# to ≈ 1.6:1 wide (the Karta page's map column is ≈ 1.2:1 on a 1400 px window). The national layer is
# hidden in a region view, so a region change draws the national areas in no frame, and the file stays
# small: every feature carries the values and tooltip texts of every layer (≈ 4 KB), see docs/map_speed.md.
CONTEXT_MARGIN_X, CONTEXT_MARGIN_Y = 0.5, 0.15


def edge_table(geoms: gpd.GeoSeries) -> pd.DataFrame:
    """Every distinct ring segment of a coverage, with the area(s) on its sides.

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Polygons (EPSG:4326, rounded per vertex) indexed by area code.

    Returns
    -------
    pandas.DataFrame
        ``x1, y1, x2, y2`` (degrees) and ``a``, ``b``: the codes of the areas on either
        side (``b`` empty for an outer edge: coast or national border). Shared edges once.
    """
    rings = shapely.get_rings(shapely.get_parts(geoms.values))
    part_idx = np.repeat(np.arange(len(geoms)), shapely.get_num_geometries(geoms.values))
    parts = shapely.get_parts(geoms.values)
    ring_counts = shapely.get_num_interior_rings(parts) + 1
    ring_owner = np.repeat(part_idx, ring_counts)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[:-1] == ring_idx[1:]
    start = coords[:-1][same]
    end = coords[1:][same]
    owner = ring_owner[ring_idx[:-1][same]]
    keep = ~(start == end).all(axis=1)
    start, end, owner = start[keep], end[keep], owner[keep]
    si = np.round(start * SCALE).astype(np.int64)
    ei = np.round(end * SCALE).astype(np.int64)
    swap = (si[:, 0] > ei[:, 0]) | ((si[:, 0] == ei[:, 0]) & (si[:, 1] > ei[:, 1]))
    lo = np.where(swap[:, None], ei, si)
    hi = np.where(swap[:, None], si, ei)
    codes = np.asarray(geoms.index.astype(str))
    df = pd.DataFrame({"k1": lo[:, 0], "k2": lo[:, 1], "k3": hi[:, 0], "k4": hi[:, 1], "o": owner})
    g = df.groupby(["k1", "k2", "k3", "k4"], sort=True)["o"]
    first, last, n = g.min(), g.max(), g.size()
    keys = first.index.to_frame(index=False).to_numpy()
    out = pd.DataFrame(
        {
            "x1": keys[:, 0] / SCALE,
            "y1": keys[:, 1] / SCALE,
            "x2": keys[:, 2] / SCALE,
            "y2": keys[:, 3] / SCALE,
            "a": codes[first.to_numpy()],
            "b": np.where(n.to_numpy() > 1, codes[last.to_numpy()], ""),
        }
    )
    return out


def national_geometry(analysis: gpd.GeoSeries) -> gpd.GeoSeries:
    """The coarse national display coverage (EPSG:4326) from the analysis geometry (EPSG:3006)."""
    return to_display(simplify_coverage(analysis, NATIONAL_TOLERANCE_M))


def edge_kinds(edges: pd.DataFrame, kommun_of: pd.Series) -> np.ndarray:
    """``"lan"`` (län border, coast or national border), ``"kommun"`` or ``"area"`` per edge."""
    ka = kommun_of.reindex(edges["a"]).to_numpy(dtype=object)
    kb = kommun_of.reindex(edges["b"]).to_numpy(dtype=object)
    outer = (edges["b"] == "").to_numpy()
    la = np.array([str(k)[:2] for k in ka])
    lb = np.array([str(k)[:2] for k in kb])
    return np.where(outer | (la != lb), "lan", np.where(ka != kb, "kommun", "area"))


def segments_json(edges: pd.DataFrame, styles: dict[str, tuple[list[int], float]] | None = None) -> bytes:
    """A ``LineLayer`` payload: ``[{"s": [x, y], "t": [x, y]}, …]`` (5 decimals ≈ 1 m).

    With ``styles`` (edge kind → (RGBA, width px)) each segment carries its colour ``c`` and
    width ``w``, so one layer (one fetch, one draw call) draws every kind.
    """
    xy = np.round(edges[["x1", "y1", "x2", "y2"]].to_numpy(), 5)
    head = [f'{{"s":[{r[0]:.5f},{r[1]:.5f}],"t":[{r[2]:.5f},{r[3]:.5f}]' for r in xy]
    if styles is not None:
        style = {k: f',"c":{json.dumps(c, separators=(",", ":"))},"w":{w:g}' for k, (c, w) in styles.items()}
        head = [h + style[k] for h, k in zip(head, edges["kind"], strict=True)]
    return ("[" + ",".join(h + "}" for h in head) + "]").encode("utf-8")


def with_member(collection: bytes, name: str, value: bytes) -> bytes:
    """A JSON object (``collection``, UTF-8) with one more member ``name`` set to the JSON ``value``."""
    body = collection.rstrip()
    if not body.endswith(b"}"):
        raise ValueError("not a JSON object")
    return body[:-1] + b',"' + name.encode() + b'":' + value + b"}"


def region_of(level: str, code: str, kommun_of: pd.Series) -> pd.Index:
    """Codes of the areas in a län (``level="lan"``) or kommun."""
    if level == "lan":
        return kommun_of.index[kommun_of.str[:2] == code]
    return kommun_of.index[kommun_of == code]


def context_codes(national: gpd.GeoSeries, codes: pd.Index) -> pd.Index:
    """Areas (not in ``codes``) whose coarse geometry lies near the region ``codes`` (EPSG:4326).

    "Near": intersecting the region's box grown by :data:`CONTEXT_MARGIN_X` of its larger side
    east and west and :data:`CONTEXT_MARGIN_Y` north and south (sides measured in km-like units,
    longitude scaled by the cosine of the latitude).
    """
    minx, miny, maxx, maxy = national.loc[codes].total_bounds
    coslat = max(float(np.cos(np.radians((miny + maxy) / 2))), 0.1)
    side = max((maxx - minx) * coslat, maxy - miny)
    box = shapely.box(
        minx - CONTEXT_MARGIN_X * side / coslat,
        miny - CONTEXT_MARGIN_Y * side,
        maxx + CONTEXT_MARGIN_X * side / coslat,
        maxy + CONTEXT_MARGIN_Y * side,
    )
    near = national.index[national.sindex.query(box, predicate="intersects")]
    return near.difference(codes).sort_values()


def context_lan_edges(edges: pd.DataFrame, around: pd.Index, region: pd.Index) -> pd.DataFrame:
    """The län borders and coasts (``kind == "lan"``) of the areas ``around`` a region, not touching it.

    Parameters
    ----------
    edges : pandas.DataFrame
        :func:`edge_table` with ``kind`` (:func:`edge_kinds`) of the coarse national coverage.
    around, region : pandas.Index
        The context's and the region's area codes (the region's own borders come from its detailed table).
    """
    a, b = edges["a"], edges["b"]
    touches = a.isin(around) | b.isin(around)
    return edges[(edges["kind"] == "lan") & touches & ~(a.isin(region) | b.isin(region))]


RegionView = tuple[str, tuple[str, ...]]  # (fill property, label properties) of a view


def view_properties(props: pd.DataFrame, fill: str, labels: Sequence[str]) -> pd.DataFrame:
    """One view's feature properties: the fill as ``f``, its label texts, and the view-free columns.

    Parameters
    ----------
    props : pandas.DataFrame
        Every view's properties (:func:`geo_app.views.mapdata.layer_properties`): fills ``f_…`` and
        texts ``v_…`` per view, beside view-free columns (``code``, ``name``, ``pop_<year>``, …).
    fill : str
        The view's fill property (``f_omradestyp_2023``).
    labels : sequence of str
        The view's label properties the tooltip reads (those missing in ``props`` are skipped).

    Returns
    -------
    pandas.DataFrame
        The view-free columns, the ``labels`` and ``f``. The fill has one generic name so that while
        another view's file loads, deck.gl keeps colouring the old features with their own fill.
    """
    if fill not in props.columns:
        raise KeyError(f"no fill property {fill!r} in the map's feature properties")
    free = [c for c in props.columns if not c.startswith(("f_", "v_"))]
    own = [c for c in labels if c in props.columns]
    return props[free + own].assign(f=props[fill])


class MapFiles:
    """The browser files of the map, published once per process (national) or on first use (regions).

    Parameters
    ----------
    national : geopandas.GeoSeries
        The coarse area coverage (EPSG:4326) of the national view.
    regional : dict
        ``{"lan": f, "kommun": g}``: functions returning the area coverage (EPSG:4326) for a
        län view and for a kommun (or area) view; each called once, on first use.
    kommun_of : pandas.Series
        Area code → kommun code.
    area_props, kommun_props : pandas.DataFrame
        Feature properties (:func:`geo_app.views.mapdata.layer_properties`) per area and per kommun.
    """

    def __init__(  # noqa: PLR0913
        self,
        national: gpd.GeoSeries,
        regional: Mapping[str, Callable[[], gpd.GeoSeries]],
        kommun_of: pd.Series,
        area_props: pd.DataFrame,
        kommun_props: pd.DataFrame,
        static_dir: Path | None = None,
        styles: dict[str, tuple[list[int], float]] | None = None,
    ) -> None:
        self._geoms = {"national": national}
        self._loaders = dict(regional)
        self.kommun_of = kommun_of.astype(str)
        lan_of = self.kommun_of.str[:2]
        self.area_props = area_props.assign(
            k=self.kommun_of.reindex(area_props.index), l=lan_of.reindex(area_props.index)
        )
        self.kommun_props = kommun_props.assign(
            k=kommun_props.index.astype(str), l=kommun_props.index.astype(str).str[:2], kommun=kommun_props["name"]
        )
        # kommun-layer values on every area, so a region's detailed areas can show kommun layers too
        kcols = [c for c in kommun_props.columns if c.startswith(("f_", "v_"))]
        self.detail_props = self.area_props.join(
            kommun_props[kcols].reindex(self.kommun_of.reindex(area_props.index)).set_axis(area_props.index)
        )
        self.static_dir = static_dir
        # edge kind → (RGBA, width px) for the region line files; "outline" is the region's boundary
        self.styles = styles or {
            "area": ([70, 70, 70, 80], 1),
            "kommun": ([85, 85, 85, 230], 1),
            "lan": ([17, 17, 17, 230], 1.6),
            "outline": ([120, 0, 160, 255], 3),
        }
        self._edges: dict[str, pd.DataFrame] = {}
        self._urls: dict[tuple[object, ...], dict[str, str]] = {}
        self._parts: dict[tuple[str, ...], tuple[gpd.GeoSeries, bytes]] = {}

    def _publish(self, payload: bytes, stem: str) -> str:
        return publish(payload, stem, self.static_dir)

    def geoms(self, lod: str) -> gpd.GeoSeries:
        """The area coverage of a level of detail: ``national``, ``lan`` or ``kommun``."""
        if lod not in self._geoms:
            self._geoms[lod] = self._loaders[lod]()
        return self._geoms[lod]

    def edges(self, lod: str) -> pd.DataFrame:
        """:func:`edge_table` of a level of detail, with ``kind`` (cached)."""
        if lod not in self._edges:
            e = edge_table(self.geoms(lod))
            self._edges[lod] = e.assign(kind=edge_kinds(e, self.kommun_of))
        return self._edges[lod]

    def national(self) -> dict[str, str]:
        """URLs of the national layers: ``areas``, ``kommun_areas``, ``kommun_lines``, ``lan_lines``."""
        key = ("national",)
        if key not in self._urls:
            geoms = self.geoms("national")
            kommun = dissolve_coverage(
                gpd.GeoDataFrame({"k": self.kommun_of.reindex(geoms.index)}, geometry=geoms), "k"
            )
            e = self.edges("national")
            self._urls[key] = {
                "areas": self._publish(feature_collection(geoms, self.area_props), "areas-national"),
                "kommun_areas": self._publish(feature_collection(kommun, self.kommun_props), "kommun-national"),
                "kommun_lines": self._publish(segments_json(e[e["kind"] == "kommun"]), "kommun-lines"),
                "lan_lines": self._publish(segments_json(e[e["kind"] == "lan"]), "lan-lines"),
            }
        return self._urls[key]

    def _region_parts(self, level: str, code: str) -> tuple[gpd.GeoSeries, bytes]:
        """A region's shown areas (the coarse context first, then its own) and its line payload (cached)."""
        key = ("parts", level, code)
        if key not in self._parts:
            codes = region_of(level, code, self.kommun_of)
            geoms = self.geoms(level).loc[codes]
            e = self.edges(level)
            a_in, b_in = e["a"].isin(codes).to_numpy(), e["b"].isin(codes).to_numpy()
            lines = e[a_in | b_in].copy()
            lines.loc[(a_in != b_in)[a_in | b_in], "kind"] = "outline"
            lines = lines.sort_values(
                "kind", key=lambda k: k.map({"area": 0, "kommun": 1, "lan": 2, "outline": 3}), kind="stable"
            )  # later rows draw on top
            # the coarse areas around the region first, the region's detailed areas drawn over them
            around = context_codes(self.geoms("national"), codes)
            shown = gpd.GeoSeries(pd.concat([self.geoms("national").loc[around], geoms]), crs=geoms.crs)
            # … and the län borders and coasts around it (the national line layers are hidden in a region view)
            lines = pd.concat([context_lan_edges(self.edges("national"), around, codes), lines])
            self._parts[key] = (shown, segments_json(lines, styles=self.styles))
        return self._parts[key]

    def region(self, level: str, code: str, view: RegionView | None = None) -> dict[str, str]:
        """URLs of a län's or kommun's detailed layers: ``areas`` and ``lines`` (one file).

        The file is the region's areas as a GeoJSON ``FeatureCollection`` (after the coarse areas
        around it, :func:`context_codes`: the national layer is hidden in a region view) with one more member,
        ``lines``: the area, kommun and län borders touching the region, and its own boundary as
        ``outline``, each with colour and width (read by the line layer's ``dataTransform``).
        One file, so deck.gl fetches it once (layers share a URL's data) and both layers get
        their data in the same frame: a region change draws one frame less.

        ``view`` (fill property, label properties) makes a file for one view: its features carry
        that view's fill as ``f`` and its tooltip texts only (:func:`view_properties`), ≈ 7× lighter
        than every view's (the parse of the file was most of a region change in the browser,
        docs/map_speed.md). Without ``view`` the features carry every view's properties.
        """
        key = ("region", level, code, view)
        if key not in self._urls:
            shown, lines = self._region_parts(level, code)
            props = self.detail_props.loc[shown.index]
            if view is not None:
                props = view_properties(props, *view)
            payload = with_member(feature_collection(shown, props), "lines", lines)
            url = self._publish(payload, f"region-{level}-{code}")
            self._urls[key] = {"areas": url, "lines": url}
        return self._urls[key]

    def area_outline(self, code: str) -> str:
        """URL of one area's boundary segments (kommun-view geometry)."""
        key = ("area", code)
        if key not in self._urls:
            e = self.edges("kommun")
            self._urls[key] = {
                "outline": self._publish(segments_json(e[(e["a"] == code) != (e["b"] == code)]), f"outline-area-{code}")
            }
        return self._urls[key]["outline"]


def regional_geometry(export: gpd.GeoSeries) -> dict[str, Callable[[], gpd.GeoSeries]]:
    """The ``regional`` argument of :class:`MapFiles` from the 50 m export coverage (EPSG:3006)."""
    return {"lan": lambda: to_display(simplify_coverage(export, LAN_TOLERANCE_M)), "kommun": lambda: to_display(export)}
