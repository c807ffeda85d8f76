"""Shared by the what-if and the suggestions: constants, the error, which offices count, coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from geo_app.analysis.gaps import COUNTING_STATUSES, GapRule
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.errors import InputError

OBJECTIVES = ("mclp", "lscp", "pmedian")


WEIGHTS = ("population", "unemployed", "equal")


CANDIDATE_KINDS = ("towns", "areas", "ssc")


DEFAULT_TIME_LIMIT_S = 30.0


class SitingError(InputError):
    """Invalid input to a scenario or a site suggestion, described so the user can fix it."""


def counting_offices(
    offices: gpd.GeoDataFrame, rule: GapRule, statuses: tuple[str, ...] = COUNTING_STATUSES
) -> gpd.GeoDataFrame:
    """The offices that count as presence under ``rule``: agency in ``rule.agencies``, usable status."""
    keep = offices["agency"].isin(rule.agencies)
    if "status" in offices:
        keep &= offices["status"].isin(statuses)
    return offices[keep]


def lonlat_to_metric(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """WGS84 degrees → points in EPSG:3006."""
    return np.asarray(gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(METRIC_CRS).values)


def type_column_of(areas: pd.DataFrame, year: int) -> str:
    """The områdestyp column of ``year``; :class:`SitingError` naming the years the data has."""
    column = f"omradestyp_{year}"
    if column not in areas:
        years = sorted(c.removeprefix("omradestyp_") for c in areas.columns if str(c).startswith("omradestyp_"))
        raise SitingError(f"no områdestyp for {year}: use a year the data has ({', '.join(years) or 'none'})")
    return column


def xy(geoms: ArrayLike) -> np.ndarray:
    """An (n, 2) array of the points' coordinates."""
    return np.asarray(shapely.get_coordinates(np.asarray(geoms, dtype=object)))


def distances_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance matrix (km) between two (n, 2) coordinate arrays in metres."""
    d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)) / 1000.0
    return np.asarray(d)
