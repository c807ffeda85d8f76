"""Candidate sites for new offices: GeoNames towns, RegSO area points, existing SSC offices."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_app.analysis.gaps import COUNTING_STATUSES, OUTSIDE_TOLERANCE_M, area_points
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.siting.base import CANDIDATE_KINDS, SitingError, lonlat_to_metric


def candidate_sites(
    areas: gpd.GeoDataFrame,
    towns: pd.DataFrame,
    offices: gpd.GeoDataFrame,
    kinds: Iterable[str] = CANDIDATE_KINDS,
    points: gpd.GeoSeries | None = None,
) -> gpd.GeoDataFrame:
    """Where a new office could go: GeoNames towns, RegSO area points, existing SSC offices (co-location).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``regsonamn, kommunkod, kommunnamn``.
    towns : pandas.DataFrame
        GeoNames towns ``lat, lon, name`` (``data/regso/towns.parquet``).
    offices : geopandas.GeoDataFrame
        Offices; SSC offices that are open or closing become co-location candidates.
    kinds : iterable of str
        Some of ``towns``, ``areas``, ``ssc``.
    points : geopandas.GeoSeries, optional
        Precomputed area points.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed ``town:<name>:<i>``, ``area:<regsokod>``, ``ssc:<office id>``: ``kind, name,
        kommunkod, kommunnamn`` and the point (EPSG:3006). Towns farther than ``OUTSIDE_TOLERANCE_M``
        outside Sweden are dropped; a town's kommun is the area it lies in (or the nearest).
    """
    kinds = tuple(kinds)
    unknown = sorted(set(kinds) - set(CANDIDATE_KINDS))
    if unknown or not kinds:
        raise SitingError(f"unknown candidate kind {unknown[:1] or kinds!r}: use some of {', '.join(CANDIDATE_KINDS)}")
    frames = []
    tree = shapely.STRtree(areas.geometry.values)
    codes = areas.index.to_numpy()

    def locate(geom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (pi, ai), dist = tree.query_nearest(geom, return_distance=True)
        first = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
        return codes[ai[first]], dist[first]

    if "towns" in kinds and len(towns):
        geom = lonlat_to_metric(towns["lon"].to_numpy(float), towns["lat"].to_numpy(float))
        code, dist = locate(geom)
        ok = dist <= OUTSIDE_TOLERANCE_M
        frames.append(
            pd.DataFrame(
                {
                    "kind": "town",
                    "name": towns["name"].to_numpy()[ok],
                    "regsokod": code[ok],
                    "geometry": geom[ok],
                },
                index=[f"town:{n}:{i}" for n, i in zip(towns["name"].to_numpy()[ok], np.flatnonzero(ok), strict=True)],
            )
        )
    if "areas" in kinds:
        pts = area_points(areas) if points is None else points
        frames.append(
            pd.DataFrame(
                {
                    "kind": "area",
                    "name": areas["regsonamn"].to_numpy(),
                    "regsokod": codes,
                    "geometry": pts.reindex(areas.index).values,
                },
                index=[f"area:{c}" for c in codes],
            )
        )
    if "ssc" in kinds:
        ssc = (
            offices[(offices["agency"] == "ssc") & offices["status"].isin(COUNTING_STATUSES)]
            if "status" in offices
            else offices[offices["agency"] == "ssc"]
        )
        if len(ssc):
            geom = ssc.geometry.to_crs(METRIC_CRS).values
            code, _ = locate(geom)
            frames.append(
                pd.DataFrame(
                    {"kind": "ssc", "name": ssc["name"].astype(str).to_numpy(), "regsokod": code, "geometry": geom},
                    index=[f"ssc:{i}" for i in ssc.index],
                )
            )
    out = pd.concat(frames) if frames else pd.DataFrame(columns=["kind", "name", "regsokod", "geometry"])
    out["kommunkod"] = areas["kommunkod"].reindex(out["regsokod"]).to_numpy()
    out["kommunnamn"] = areas["kommunnamn"].reindex(out["regsokod"]).to_numpy()
    out.index.name = "site_id"
    return gpd.GeoDataFrame(
        out[["kind", "name", "kommunkod", "kommunnamn", "regsokod", "geometry"]], geometry="geometry", crs=METRIC_CRS
    )
