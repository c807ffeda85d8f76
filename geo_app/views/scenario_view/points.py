"""Added points and closed offices: the check that points lie in Sweden, their place, office labels, site search."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis import siting
from geo_app.analysis.gaps import OUTSIDE_TOLERANCE_M, distance_outside_m
from geo_app.i18n import t
from geo_app.views.scenario_view.state import NewPoint, Problem, url_number


def check_points(
    points: Sequence[NewPoint], areas: gpd.GeoDataFrame, tolerance_m: float = OUTSIDE_TOLERANCE_M
) -> tuple[tuple[NewPoint, ...], list[Problem]]:
    """Keep the points on land in Sweden; each other one becomes a problem (with a swapped lon/lat hint)."""
    if not points:
        return (), []
    lon = np.array([p.lon for p in points], float)
    lat = np.array([p.lat for p in points], float)
    land = areas.geometry.values
    outside = distance_outside_m(siting.lonlat_to_metric(lon, lat), land)
    swapped = distance_outside_m(siting.lonlat_to_metric(lat, lon), land)
    keep, problems = [], []
    for p, out, sw in zip(points, outside, swapped, strict=True):
        if out <= tolerance_m:
            keep.append(p)
        else:
            key = "scen.point_swapped" if sw <= tolerance_m else "scen.point_outside"
            problems.append((key, {"lon": url_number(p.lon), "lat": url_number(p.lat), "km": round(out / 1000, 1)}))
    return tuple(keep), problems


def place_of(points: Sequence[NewPoint], areas: gpd.GeoDataFrame) -> list[tuple[str, str, str]]:
    """The (area code, area name, kommun name) each point lies in (or is nearest to)."""
    if not points:
        return []
    geom = siting.lonlat_to_metric([p.lon for p in points], [p.lat for p in points])
    _, idx = areas.sindex.nearest(geom, return_all=False)
    rows = areas.iloc[idx]
    return list(zip(rows.index.astype(str), rows["regsonamn"].astype(str), rows["kommunnamn"].astype(str), strict=True))


def added_offices(points: Sequence[NewPoint], areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Office rows for checked points (``new-1, new-2, …``), named after the area they are in."""
    frame = pd.DataFrame(
        {
            "lon": [p.lon for p in points],
            "lat": [p.lat for p in points],
            "agency": [p.agency for p in points],
            "name": [f"Ny punkt {i + 1}: {a}, {k}" for i, (_, a, k) in enumerate(place_of(points, areas))],
        }
    )
    return siting.new_offices(frame, areas)


def office_label(offices: gpd.GeoDataFrame, kommun_names: Mapping[str, str], lang: str = "sv") -> dict[str, str]:
    """Office id → "AF · Name (Kommun)" for pick lists."""
    short = {"af": "AF", "ssc": "SSC", "other": t("agency.other.short", lang)}
    return {
        str(oid): f"{short.get(a, a)} · {n} ({kommun_names.get(k, k)})"
        for oid, a, n, k in zip(offices.index, offices["agency"], offices["name"], offices["kommunkod"], strict=True)
    }


def fold(text: str) -> str:
    """Casefold without diacritics, GeoNames' ASCII spellings merged (``Malmoe`` = ``Malmö`` = ``malmo``)."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("oe", "o").replace("ae", "a").replace("-", " ")


def search_table(candidates: gpd.GeoDataFrame) -> pd.DataFrame:
    """Towns and areas to search (from :func:`geo_app.analysis.siting.candidate_sites`): label, lon, lat, key."""
    ll = candidates.geometry.to_crs(4326)
    kind = candidates["kind"].map({"town": "ort", "area": "RegSO", "ssc": "SSC"}).fillna(candidates["kind"])
    label = candidates["name"].astype(str) + " (" + candidates["kommunnamn"].astype(str) + ", " + kind + ")"
    out = pd.DataFrame(
        {
            "label": label,
            "lon": ll.x.round(5),
            "lat": ll.y.round(5),
            "key": [fold(f"{n} {k}") for n, k in zip(candidates["name"], candidates["kommunnamn"], strict=True)],
            "town": candidates["kind"] == "town",
        },
        index=candidates.index,
    )
    return out.sort_values(["town", "label"], ascending=[False, True])


def search(table: pd.DataFrame, query: str, limit: int = 30) -> pd.DataFrame:
    """Rows whose name + kommun contain every word of ``query`` (folded); names starting with it first."""
    words = fold(query).split()
    if not words:
        return table.iloc[:0]
    hit = np.ones(len(table), bool)
    for w in words:
        hit &= table["key"].str.contains(w, regex=False).to_numpy()
    found = table[hit]
    starts = found["key"].str.startswith(words[0])
    return pd.concat([found[starts], found[~starts]]).head(limit)
