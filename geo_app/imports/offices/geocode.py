"""Place office rows that have no coordinates, with the embedded data only (no address register).

The postal code (or a kommun column, or a town name that is unique in Sweden) gives the
kommun; then the office name or town is matched like the embedded office list
(:func:`geo_app.analysis.presence.geocode`): an area, a town or the kommun, with the
precision recorded per row. Street addresses are kept as text, not geocoded.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis import presence
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.names import fold_name
from geo_app.errors import RowOrigin, ValidationError, where
from geo_app.imports.offices.validate import first_true

# Words of an office name that say whose office it is, not where it is.
AGENCY_WORDS = {
    "arbetsformedlingen",
    "af",
    "statens",
    "servicecenter",
    "servicekontor",
    "kontor",
    "kontoret",
    "ssc",
    "office",
}


def postal_kommun(
    postal_codes: pd.Series, column: str, postal: pd.DataFrame, name: str, origin: RowOrigin
) -> tuple[pd.Series, pd.Series]:
    """Kommun code and postal town per row from a postal code column (``<NA>``/"" where empty).

    Raises
    ------
    ValidationError
        For a code that is not five digits, or not a known postal code.
    """
    raw = postal_codes.fillna("").astype(str).str.replace(r"\s", "", regex=True).str.replace(r"\.0$", "", regex=True)
    filled = raw != ""
    bad = filled & ~raw.str.fullmatch(r"\d{5}")
    unknown = filled & ~bad & ~raw.isin(postal.index)
    for mask, what in ((bad, "is not a five-digit postal code"), (unknown, "is not a known postal code")):
        if mask.any():
            pos, record = first_true(mask)
            raise ValidationError(f"{where(name, record, column, origin)}: {postal_codes.iloc[pos]!r} {what}")
    code = pd.Series(pd.NA, index=raw.index, dtype="string")
    code[filled] = raw[filled].map(postal["kommunkod"])
    return code, raw.map(postal["locality"]).fillna("")


def named_kommun(given: pd.Series, column: str, kommun: pd.DataFrame, name: str, origin: RowOrigin) -> pd.Series:
    """Kommun code per row from a column holding kommun codes (``"180"``, ``"0180"``) or names ("Ale kommun")."""
    given = given.fillna("").astype(str).str.strip()
    by_name = pd.Series(kommun.index, index=kommun["kommunnamn"].str.casefold().to_numpy())
    as_code = given.str.zfill(4).where(given.str.fullmatch(r"\d{3,4}"), "")
    resolved = as_code.where(as_code.isin(kommun.index), given.str.casefold().str.removesuffix(" kommun").map(by_name))
    bad = (given != "") & resolved.isna()
    if bad.any():
        pos, record = first_true(bad)
        raise ValidationError(
            f"{where(name, record, column, origin)}: unknown kommun {given.iloc[pos]!r} "
            "(give its name or four-digit code)"
        )
    return resolved.astype("string")


def kommun_codes(  # noqa: PLR0913
    df: pd.DataFrame, cols: dict[str, str], kommun: pd.DataFrame, postal: pd.DataFrame, name: str, origin: RowOrigin
) -> tuple[pd.Series, pd.Series]:
    """Kommun code and town name per row, from the postal code and/or a kommun column.

    Parameters
    ----------
    df : pandas.DataFrame
        Text cells indexed by record position.
    cols : dict
        Roles → headers (:func:`~geo_app.imports.offices.columns.find_columns`).
    kommun, postal : pandas.DataFrame
        Known kommuner (indexed by code, with ``kommunnamn``) and postal codes (``kommunkod``, ``locality``).
    name : str
        File name; ``origin`` how it numbers its records (both for messages).

    Returns
    -------
    (pandas.Series, pandas.Series)
        Kommun code (``<NA>`` where neither column gives one) and town ("" where unknown).
    """
    code = pd.Series(pd.NA, index=df.index, dtype="string")
    town = df[cols["town"]].fillna("").astype(str).str.strip() if "town" in cols else pd.Series("", index=df.index)
    if "postal" in cols:
        code, postal_town = postal_kommun(df[cols["postal"]], cols["postal"], postal, name, origin)
        town = town.where(town != "", postal_town)
    if "kommun" in cols:
        code = code.fillna(named_kommun(df[cols["kommun"]], cols["kommun"], kommun, name, origin))
    return code, town


def kommun_by_unique_town(towns: pd.DataFrame, regso: gpd.GeoDataFrame) -> pd.Series:
    """Kommun code by folded town name, for the GeoNames towns whose name occurs once in Sweden."""
    key = fold_name(towns["name"])
    counts = key.value_counts()
    unique = towns.assign(key=key)[key.map(counts) == 1].set_index("key")
    pts = gpd.GeoSeries.from_xy(unique["lon"], unique["lat"], index=unique.index, crs="EPSG:4326").to_crs(METRIC_CRS)
    in_kommun = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), regso[["kommunkod", "geometry"]], predicate="within")
    return in_kommun.groupby(level=0)["kommunkod"].first()


def geocode_query(office: str, town: str) -> str:
    """``"<town> <part of town>"`` for :func:`geo_app.analysis.presence.geocode`.

    "Arbetsförmedlingen Vivalla" in Örebro → "Örebro Vivalla" (an area match),
    "Kontor Gällivare" → "Gällivare" (a town match).
    """
    rest = fold_name(pd.Series([office])).iloc[0]
    rest = " ".join(w for w in rest.split() if w not in AGENCY_WORDS)
    place = fold_name(pd.Series([town])).iloc[0] if town else ""
    if not place:
        return rest or office
    if not rest or rest == place or rest.startswith(place + " "):
        return rest or place
    return f"{place} {rest}"


def geocode_missing(  # noqa: PLR0913
    table: pd.DataFrame,
    town: pd.Series,
    positions: pd.Index,
    regso: gpd.GeoDataFrame,
    towns: pd.DataFrame,
    name: str,
    origin: RowOrigin,
) -> pd.DataFrame:
    """Place the rows of ``table`` without coordinates through kommun + office name/town.

    Parameters
    ----------
    table : pandas.DataFrame
        Offices with ``name, kommunkod, e, n, precision`` (``e``/``n`` NaN where to be placed).
    town : pandas.Series
        Town name per row, in the order of ``table``.
    positions : pandas.Index
        Each row's record position in the file (for messages).
    regso : geopandas.GeoDataFrame
        Areas (EPSG:3006).
    towns : pandas.DataFrame
        Embedded GeoNames towns (``name, lat, lon``).
    name : str
        File name; ``origin`` how it numbers its records.

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``e, n, precision`` filled in (and ``kommunkod`` from a unique town name).

    Raises
    ------
    ValidationError
        For a row with no coordinates and nothing that gives its kommun.
    """
    todo = table["e"].isna().to_numpy()
    if not todo.any():
        return table
    town = pd.Series(town.to_numpy(), index=table.index)
    if table.loc[todo, "kommunkod"].isna().any():  # neither postal code nor kommun: a unique town name
        guess = fold_name(town).map(kommun_by_unique_town(towns, regso))
        table["kommunkod"] = table["kommunkod"].fillna(guess.astype("string"))
    missing = todo & table["kommunkod"].isna().to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValidationError(
            f"{where(name, positions[i], origin=origin)}: cannot place {table['name'].iloc[i]!r}: no coordinates, "
            "and no postal code, kommun or unique town name to find its kommun; add one of them"
        )
    rows = table[todo]
    query = [geocode_query(n, t) for n, t in zip(rows["name"], town[todo], strict=False)]
    located = presence.geocode(
        pd.DataFrame({"name": query, "kommunkod": rows["kommunkod"].astype(str)}, index=rows.index), regso, towns
    )
    table.loc[todo, "e"] = located.geometry.x
    table.loc[todo, "n"] = located.geometry.y
    table.loc[todo, "precision"] = located["precision"]
    return table
