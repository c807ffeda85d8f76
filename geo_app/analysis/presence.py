"""Office presence: geocoding of the register, the register on a date, imported lists.

No complete public register of Arbetsförmedlingen offices or Statens servicecenter
servicekontor exists; ``data/sources/presence/`` holds sourced events mined from public
records, which :mod:`geo_app.analysis.register` turns into dated office periods. This
module places each office at the best available precision:

``area``
    the page names a part of town that is a RegSO area (point inside that area);
``town``
    a GeoNames place (≥ 1,000 inhabitants) with that name in the kommun;
``kommun``
    neither: a point inside the kommun's most populous RegSO area.

All functions are pure (frames in, frames out); geometry in EPSG:3006.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis.geometry import METRIC_CRS, representative_points
from geo_app.analysis.names import fold_name
from geo_app.analysis.register import certain_from, status_as_of

AGENCIES = {
    "af": "Arbetsförmedlingen",
    "ssc": "Statens servicecenter",
    "kommun": "Kommunsamverkan",
    "other": "Annat kontor",
}
STATUSES = ("open", "planned", "closing", "uncertain", "closed")
__all__ = ["fold_name"]
# Reference counts for the "incomplete list" note (Af end 2020; SSC end 2024: 148 in 126 kommuner).
REFERENCE_COUNTS = {"af": "112", "ssc": "148"}


def geocoding_name(names: pd.Series) -> pd.Series:
    """The place part of an office name for :func:`geocode`.

    ``"Arbetsförmedlingen Stockholm Kista"`` → ``"Stockholm Kista"``; ``"Servicekontor Göteborg
    (Järntorget)"`` → ``"Göteborg"``; ``"Kommunsamverkan Ale"`` → ``"Ale"``.
    """
    out = names.astype(str).str.replace(r"\s*\(.*$", "", regex=True)
    out = out.str.replace(
        r"^(Arbetsförmedlingen|Servicekontor(et)?|Statens servicecenter|Kommunsamverkan)\s+", "", regex=True
    )
    return out.str.strip()


def offices_as_of(register: gpd.GeoDataFrame, as_of: date) -> gpd.GeoDataFrame:
    """The register on a date: one row per office with ``status`` and ``status_date`` (EPSG:3006).

    See :func:`geo_app.analysis.register.status_as_of` for the reading rules. Adds the columns
    the views expect: ``mention`` (what the deciding source said, e.g. ``closed 2025-01``) and
    ``mentions`` (number of sources of the period).
    """
    on = status_as_of(register, as_of)
    on = on.assign(
        mention=on["status"] + " " + on["status_date"].astype(str),
        mentions=on["n_sources"],
        source_url=on["status_source"].where(on["status_source"] != "", on["source_url"]),
    )
    return gpd.GeoDataFrame(on, geometry="geometry", crs=register.crs)


def imported_as_of(table: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """An imported office table's rows on ``as_of``: status from its dates where it has them.

    An office whose ``opened`` date is after ``as_of`` is left out (or kept as ``planned`` when the
    file says planned); one whose ``closed`` date is on or before ``as_of`` is ``closed``; a ``closed``
    status dated after ``as_of`` reads ``closing``.
    """
    day = as_of.isoformat()
    out = table.copy()
    opened = out["opened"].fillna("") if "opened" in out else pd.Series("", index=out.index)
    closed = out["closed"].fillna("") if "closed" in out else pd.Series("", index=out.index)
    opened_from = opened.map(lambda d: (certain_from(d) or date.min).isoformat())
    closed_from = closed.map(lambda d: (certain_from(d) or date.max).isoformat())
    status_from = out["status_date"].fillna("").map(lambda d: (certain_from(d) or date.min).isoformat())
    status = out["status"].copy()
    status[(status == "closed") & (status_from > day)] = "closing"
    status[closed_from <= day] = "closed"
    not_yet = opened_from > day
    status[not_yet & (status != "planned")] = ""
    out["status"] = status
    return out[out["status"] != ""]


def geocode(offices: pd.DataFrame, regso: gpd.GeoDataFrame, towns: pd.DataFrame) -> gpd.GeoDataFrame:
    """Place each office at the best available precision (see module docstring).

    Parameters
    ----------
    offices : pandas.DataFrame
        From :func:`latest_mentions`.
    regso : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``regsonamn, kommunkod, kommunnamn, folkmangd_2023``.
    towns : pandas.DataFrame
        GeoNames ``lat, lon, name, admin2``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``offices`` plus ``precision``, ``regsokod`` (area the point lies in) and point
        geometry in EPSG:3006.
    """
    inside = representative_points(regso.geometry)
    area_key = fold_name(regso["regsonamn"])
    town_pts = gpd.GeoSeries.from_xy(towns["lon"], towns["lat"], crs="EPSG:4326").to_crs(METRIC_CRS)
    town_key = fold_name(towns["name"]).fillna("").to_numpy(dtype=object)
    town_kommun = fold_name(towns["admin2"]).fillna("").to_numpy(dtype=object)
    kommun_key = fold_name(regso.groupby("kommunkod")["kommunnamn"].first())  # to compare with GeoNames admin2
    points, precision = [], []
    for office in offices.itertuples():
        in_kommun = regso["kommunkod"] == office.kommunkod
        words = fold_name(pd.Series([office.name])).iloc[0].split()
        kommun = kommun_key.get(office.kommunkod, "")
        # 1) a part of town named after the town name, e.g. "Örebro Vivalla" → area "Vivalla"
        tail = " ".join(words[1:]) if len(words) > 1 else ("" if " ".join(words) == kommun else " ".join(words))
        hit = in_kommun & area_key.str.contains(rf"\b{re.escape(tail)}\b", regex=True) if tail else None
        if hit is not None and hit.any():
            best = regso.loc[hit, "folkmangd_2023"].fillna(0).idxmax()
            points.append(inside[best])
            precision.append("area")
            continue
        # 2) a GeoNames town in that kommun (full name, then its first word)
        found = None
        for cand in (" ".join(words), words[0] if words else ""):
            idx = np.flatnonzero((town_key == cand) & (town_kommun == kommun))
            if len(idx) == 0:
                idx = np.flatnonzero(town_key == cand)
                idx = idx if len(idx) == 1 else idx[:0]
            if len(idx):
                found = town_pts.iloc[idx[0]]
                break
        if found is not None:
            points.append(found)
            precision.append("town")
            continue
        # 3) fallback: inside the kommun's most populous area
        best = regso.loc[in_kommun, "folkmangd_2023"].fillna(0).idxmax()
        points.append(inside[best])
        precision.append("kommun")
    out = gpd.GeoDataFrame(offices.copy(), geometry=gpd.GeoSeries(points, index=offices.index, crs=METRIC_CRS))
    out["precision"] = precision
    joined = gpd.sjoin(out[["geometry"]], regso[["geometry"]], how="left", predicate="within")
    out["regsokod"] = joined.groupby(level=0)["regsokod"].first().reindex(out.index)
    return out


def merge_offices(
    embedded: gpd.GeoDataFrame, imports: list[tuple[dict[str, Any], pd.DataFrame]], as_of: date | None = None
) -> gpd.GeoDataFrame:
    """The embedded offices plus the user's lists; a ``replace`` list drops the embedded offices of its agency.

    Parameters
    ----------
    embedded : geopandas.GeoDataFrame
        :func:`offices_as_of` output (with ``status``), EPSG:3006.
    imports : list of (dict, pandas.DataFrame)
        Catalogue entry and stored table of each office import.
    as_of : datetime.date, optional
        Read the imported rows' dates as of this day (:func:`imported_as_of`); default: as stored.

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns as ``embedded`` plus ``origin`` (``"embedded"`` or the import's id).
    """
    out = embedded.assign(origin="embedded")
    replaced = {e["agency"] for e, _ in imports if e.get("mode") == "replace"}
    out = out[~out["agency"].isin(replaced)]
    frames = [out]
    for entry, table in imports:
        if as_of is not None:
            table = imported_as_of(table, as_of)
        pts = gpd.GeoDataFrame(
            table.drop(columns=["e", "n", "row"]).assign(
                mention=table["status"],
                mentions=1,
                origin=entry["id"],
                source_url=table["source_url"],
            ),
            geometry=gpd.points_from_xy(table["e"], table["n"]),
            crs=METRIC_CRS,
        )
        frames.append(pts)
    merged = pd.concat(frames)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=METRIC_CRS)


def complete_lists(imports: list[tuple[dict[str, Any], pd.DataFrame]]) -> dict[str, str]:
    """Agency → date from which an imported complete (``replace``) list says where all its offices are."""
    out: dict[str, str] = {}
    for entry, _ in imports:
        if entry.get("mode") == "replace" and entry.get("agency") in ("af", "ssc", "kommun"):
            day = str(entry.get("list_date") or entry.get("imported_at", ""))[:10]
            out[entry["agency"]] = min(out.get(entry["agency"], day), day)
    return out
