"""Which column of an office list plays which role (name, coordinates, address, dates …), told by its header."""

from __future__ import annotations

import pandas as pd

AGENCY_CHOICES = ("af", "ssc", "kommun", "other")
# Header spellings (casefolded, spaces → "_") for each role.
HEADERS = {
    "name": ("namn", "name", "kontor", "kontorsnamn", "office", "office_name", "ort_eller_kontor", "servicekontor"),
    "lat": ("lat", "latitud", "latitude", "lat_wgs84", "breddgrad"),
    "lon": ("lon", "lng", "long", "longitud", "longitude", "lon_wgs84", "längdgrad", "langdgrad"),
    "east": ("e", "x", "east", "easting", "östlig", "ostlig", "e_sweref", "sweref_e", "x_coord"),
    "north": ("n", "y", "north", "northing", "nordlig", "n_sweref", "sweref_n", "y_coord"),
    "address": ("adress", "address", "gatuadress", "besöksadress", "besoksadress", "street", "adress_enligt_sidan"),
    "postal": ("postnummer", "postnr", "postal_code", "postcode", "zip", "zip_code"),
    "town": ("ort", "postort", "town", "city", "locality", "stad"),
    "kommun": ("kommun", "kommunkod", "kommunnamn", "municipality", "kommun_kod"),
    "agency": ("myndighet", "agency"),
    "status": ("status",),
    "date": ("datum", "date", "status_date", "statusdatum"),
    "opened": ("öppnat", "oppnat", "öppnad", "oppnad", "öppnades", "opened", "open_date", "startdatum"),
    "closed": ("stängt", "stangt", "stängd", "stangd", "stängdes", "closed", "closed_date", "slutdatum"),
    "agreement": ("avtal", "överenskommelse", "overenskommelse", "agreement", "af_agreement", "samverkansavtal"),
    "samstart": ("samstart",),
    "source": ("källa", "kalla", "source", "url", "source_url", "kalla_url", "länk", "link"),
}


def normalise_header(header: object) -> str:
    """A header as :data:`HEADERS` spells it: casefolded, ``-`` and runs of spaces become ``_``."""
    return "_".join(str(header).strip().casefold().replace("-", " ").split())


def find_columns(columns: list[str]) -> dict[str, str]:
    """Map each role in :data:`HEADERS` to the file's column that spells it (first match).

    Parameters
    ----------
    columns : list of str
        The file's headers, in file order.

    Returns
    -------
    dict
        ``{role: header}`` for the roles found; a header serves one role at most.
    """
    out: dict[str, str] = {}
    for col in columns:
        for role, spellings in HEADERS.items():
            if role not in out and normalise_header(col) in spellings:
                out[role] = col
                break
    return out


def has_coordinates(cols: dict[str, str]) -> bool:
    """True when the roles include a full coordinate pair (lat + lon, or E + N)."""
    return ("lat" in cols and "lon" in cols) or ("east" in cols and "north" in cols)


def text(df: pd.DataFrame, cols: dict[str, str], role: str) -> pd.Series:
    """The stripped text of the column playing ``role`` ("" where empty, or everywhere if no column does)."""
    if role not in cols:
        return pd.Series("", index=df.index)
    return df[cols[role]].fillna("").astype(str).str.strip()
