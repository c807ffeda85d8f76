"""Coordinates of an office list: which CRS they are in (detected from the values, or stated) and SWEREF 99 TM.

Sweden's extent tells WGS84 longitude/latitude from SWEREF 99 TM E/N; swapped columns,
RT90 and Web Mercator are recognised and explained rather than guessed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo_app.analysis.geometry import METRIC_CRS
from geo_app.errors import FEATURES, TABLE_ROWS, InputError, RowOrigin, ValidationError, where
from geo_app.imports import reader as table_reader

# Sweden's extent with a margin: used to tell coordinate systems apart.
WGS84_LAT = (55.0, 69.2)
WGS84_LON = (10.5, 24.5)
SWEREF_E = (200_000.0, 1_000_000.0)
SWEREF_N = (6_100_000.0, 7_700_000.0)


def check_crs(crs: str | None) -> str | None:
    """A stated CRS in its canonical spelling (``"epsg:3021"`` → ``"EPSG:3021"``); None stays None.

    Raises
    ------
    InputError
        If pyproj does not know the CRS.
    """
    if crs is None:
        return None
    try:
        return pyproj.CRS.from_user_input(crs).to_string()
    except pyproj.exceptions.CRSError as exc:
        raise InputError(f"unknown CRS {crs!r} (give it as EPSG:3006, EPSG:4326, EPSG:3021 …)") from exc


def _inside(values: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    return values.between(*bounds)


def guess_crs(a: pd.Series, b: pd.Series) -> str | None:
    """``"EPSG:4326"`` or ``"EPSG:3006"`` if all values fit Sweden in that CRS, else None.

    Parameters
    ----------
    a, b : pandas.Series
        x/longitude/E and y/latitude/N values (missing ones are ignored).
    """
    a, b = a.dropna(), b.dropna()
    if _inside(a, WGS84_LON).all() and _inside(b, WGS84_LAT).all():
        return "EPSG:4326"
    if _inside(a, SWEREF_E).all() and _inside(b, SWEREF_N).all():
        return "EPSG:3006"
    return None


def detect_crs(a: pd.Series, b: pd.Series, headers: tuple[str, str], name: str, origin: RowOrigin = TABLE_ROWS) -> str:
    """Tell WGS84 from SWEREF 99 TM by the values of two coordinate columns; explain when neither fits.

    Parameters
    ----------
    a, b : pandas.Series
        x/longitude/E and y/latitude/N values.
    headers : tuple of str
        Their column names ``(a_col, b_col)``, for the message.
    name : str
        File name, for the message.
    origin : RowOrigin
        How the file counts its records (rows or features), for the message.

    Returns
    -------
    str
        ``"EPSG:4326"`` or ``"EPSG:3006"``.

    Raises
    ------
    ValidationError
        Naming swapped columns, or the CRS the values look like (RT90, Web Mercator) and what to do.
    """
    a_col, b_col = headers
    guess = guess_crs(a, b)
    if guess is not None:
        return guess
    a, b = a.dropna(), b.dropna()
    if _inside(a, WGS84_LAT).all() and _inside(b, WGS84_LON).all():
        raise ValidationError(
            f"{name}: columns {a_col!r} and {b_col!r} look swapped: {a_col!r} holds values "
            f"{a.min():g}–{a.max():g}, which are latitudes in Sweden, and {b_col!r} {b.min():g}–{b.max():g}, "
            "which are longitudes; swap the column names"
        )
    if _inside(a, SWEREF_N).all() and _inside(b, SWEREF_E).all():
        raise ValidationError(
            f"{name}: columns {a_col!r} and {b_col!r} look swapped: SWEREF 99 TM northings "
            f"(≈ 6.1–7.7 million) are in {a_col!r}; swap the column names"
        )
    hint = ""
    if a.between(1_200_000, 1_900_000).all() and _inside(b, SWEREF_N).all():
        hint = " They look like RT90 2.5 gon V (EPSG:3021): state that CRS or convert to SWEREF 99 TM."
    elif a.between(1_100_000, 2_800_000).all() and b.between(7_300_000, 11_000_000).all():
        hint = " They look like Web Mercator (EPSG:3857): state that CRS or convert."
    raise ValidationError(
        f"{name}: coordinates in {a_col!r}/{b_col!r} ({a.min():g}–{a.max():g} / {b.min():g}–{b.max():g}) are "
        f"neither WGS84 longitude/latitude nor SWEREF 99 TM E/N for Sweden in all {origin.unit}s.{hint}"
    )


def check_declared_crs(x: pd.Series, y: pd.Series, declared: pyproj.CRS | None, name: str) -> str:
    """The CRS of a GIS file's points: the declared one, checked against the values, or detected.

    A file declaring WGS84 or SWEREF 99 TM whose values fit the other (or neither) is refused:
    the declaration is wrong, and converting by it would put the offices elsewhere.
    """
    if declared is None:
        return detect_crs(x, y, ("x", "y"), name, origin=FEATURES)
    crs = declared.to_string()
    guess = guess_crs(x, y)
    if declared.to_epsg() in (4326, 3006) and guess != crs:
        if guess is None:
            detect_crs(x, y, ("x", "y"), name, origin=FEATURES)  # raises: swapped or unknown
        raise ValidationError(
            f"{name}: the file declares {crs} but its coordinates look like {guess} "
            "(the CRS in the file is wrong; fix it in the GIS and export again)"
        )
    return crs


def to_metric(a: pd.Series, b: pd.Series, crs: str, name: str) -> tuple[pd.Series, pd.Series]:
    """E and N in SWEREF 99 TM (EPSG:3006) of points given in ``crs``; NaN where a point is missing."""
    has = a.notna()
    pts = gpd.GeoSeries(gpd.points_from_xy(a[has], b[has]), index=a.index[has], crs=crs).to_crs(METRIC_CRS)
    e, n = pd.Series(np.nan, index=a.index), pd.Series(np.nan, index=a.index)
    e[has], n[has] = pts.x, pts.y
    if not np.isfinite(e[has]).all():
        raise ValidationError(f"{name}: the coordinates cannot be transformed from {crs} to SWEREF 99 TM")
    return e, n


def coordinates(df: pd.DataFrame, cols: dict[str, str], name: str, crs: str | None) -> tuple[pd.DataFrame, str]:
    """Parse a table's coordinate columns into ``_e, _n`` (EPSG:3006; NaN where a row has none).

    Parameters
    ----------
    df : pandas.DataFrame
        Text cells, indexed by record position (see :func:`geo_app.imports.reader.read_table`).
    cols : dict
        Roles → headers (:func:`~geo_app.imports.offices.columns.find_columns`).
    name : str
        File name, for messages.
    crs : str, optional
        The stated CRS; detected from the values when None.

    Returns
    -------
    (pandas.DataFrame, str)
        ``df`` with ``_e, _n`` added, and the CRS used (``"address"`` when no row has coordinates).
    """
    if "lat" in cols and "lon" in cols:
        a_col, b_col = cols["lon"], cols["lat"]
    elif "east" in cols and "north" in cols:
        a_col, b_col = cols["east"], cols["north"]
    else:
        return df.assign(_e=np.nan, _n=np.nan), "address"
    a = table_reader.parse_numbers(df[a_col], a_col, name)
    b = table_reader.parse_numbers(df[b_col], b_col, name)
    half = a.isna() != b.isna()
    if half.any():
        pos = int(np.flatnonzero(half)[0])
        empty = a_col if pd.isna(a.iloc[pos]) else b_col
        raise ValidationError(
            f"{where(name, df.index[pos], empty)}: only one of {a_col!r}/{b_col!r} is filled in; "
            "give both coordinates or neither"
        )
    if not a.notna().any():
        return df.assign(_e=np.nan, _n=np.nan), "address"
    if crs is not None and "east" in cols and a.median() > b.median() > 1000:
        # a stated projected CRS: northings (> 6 million in Sweden) exceed eastings whatever the headers say
        a, b = b, a
    if crs is None:
        # "x"/"y" mean east/north in GIS but north/east in Swedish surveying: decide by the values.
        crs = detect_crs(a, b, (a_col, b_col), name)
    e, n = to_metric(a, b, crs, name)
    return df.assign(_e=e.to_numpy(), _n=n.to_numpy()), crs
