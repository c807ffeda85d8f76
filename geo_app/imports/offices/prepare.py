"""Read, check and place an office list: :func:`prepare_offices` (a preview) and :func:`save_offices`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_app.analysis import presence, register
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.data import user_store
from geo_app.errors import InputError, RowOrigin
from geo_app.imports import reader as table_reader
from geo_app.imports.offices import columns, geocode, read, validate
from geo_app.imports.offices import crs as office_crs
from geo_app.imports.offices.columns import AGENCY_CHOICES


@dataclass
class OfficeImport:
    """A validated office list, not yet stored."""

    file: str
    id: str
    agency: str
    replace: bool
    crs: str  # "EPSG:4326", "EPSG:3006", the stated CRS, or "address" when nothing had coordinates
    table: pd.DataFrame  # one row per office, see :func:`prepare_offices`
    rows: int
    ignored: list[str] = field(default_factory=list)
    list_date: str = ""  # a replace (complete) list: valid from this day

    def precision_counts(self) -> dict[str, int]:
        """Rows per location precision (``area``, ``town``, ``kommun``, ``coordinates``)."""
        return {k: int(v) for k, v in self.table["precision"].value_counts().sort_index().items()}

    def summary(self) -> list[str]:
        """Plain-text lines describing the import (for the CLI and the page)."""
        mode = "replaces" if self.replace else "adds to"
        lines = [
            f"file: {self.file}",
            f"name: {self.id}",
            f"agency: {self.agency} ({presence.AGENCIES.get(self.agency, 'other')}); {mode} the embedded list",
            f"rows: {self.rows}; offices: {len(self.table)}; coordinates: {self.crs}",
            "precision: " + ", ".join(f"{k} {v}" for k, v in self.precision_counts().items()),
            "status: " + ", ".join(f"{k} {v}" for k, v in self.table["status"].value_counts().sort_index().items()),
        ]
        if self.ignored:
            lines.append("ignored columns: " + ", ".join(self.ignored))
        return lines

    def entry(self) -> dict[str, Any]:
        """The catalogue entry (without storage fields)."""
        return {
            "id": self.id,
            "kind": "offices",
            "file": self.file,
            "agency": self.agency,
            "mode": "replace" if self.replace else "add",
            "crs": self.crs,
            "rows": self.rows,
            "matched": int(len(self.table)),
            "precision": self.precision_counts(),
            **({"list_date": self.list_date} if self.replace else {}),
        }


def _check_options(agency: str, list_date: date | None) -> str:
    """Refuse an unknown agency or a list date outside 2015–2035; the list date as ``YYYY-MM-DD``."""
    if agency not in AGENCY_CHOICES:
        raise InputError(f"agency must be one of {AGENCY_CHOICES}, got {agency!r}")
    try:
        return register.check_as_of(list_date).isoformat()
    except InputError as exc:
        raise InputError(f"--list-date: {exc}") from None


def _check_name_column(df: pd.DataFrame, cols: dict[str, str], name: str) -> None:
    if "name" not in cols:
        raise InputError(f"{name}: no name column (expected one of: namn, name, kontor); columns: {list(df.columns)}")


def _check_location_columns(df: pd.DataFrame, cols: dict[str, str], name: str) -> None:
    """A table needs coordinates or something that gives a kommun (postal code, kommun)."""
    if not columns.has_coordinates(cols) and not ({"postal", "kommun"} & cols.keys()):
        half = [r for r in ("lat", "lon", "east", "north") if r in cols]
        extra = f" (found only {[cols[r] for r in half]})" if half else ""
        raise InputError(
            f"{name}: no location columns{extra}: give lat + lon (WGS84), E + N (SWEREF 99 TM), "
            f"or postnummer/kommun with ort; columns: {list(df.columns)}"
        )


def _offices_table(  # noqa: PLR0913
    df: pd.DataFrame, cols: dict[str, str], agency: str, kommun: pd.DataFrame, postal: pd.DataFrame, name: str,
    origin: RowOrigin, import_id: str,
) -> tuple[pd.DataFrame, pd.Series]:  # fmt: skip
    """One row per office with checked values, and its town name.

    Coordinates are as read (NaN for address rows); placing and areas come later. The checks
    run in a fixed order (names, agencies, duplicates, status, places, dates), so a file with
    several problems always gets the same message first.
    """

    def text(role: str) -> pd.Series:
        return columns.text(df, cols, role)

    def col(role: str) -> str:
        return cols.get(role, role)

    names = validate.office_names(df[cols["name"]], cols["name"], name, origin)
    agencies = validate.agencies(text("agency"), col("agency"), agency, name, origin)
    validate.check_unique(agencies, names, name, origin)
    status = validate.statuses(text("status"), col("status"), name, origin)
    kommunkod, town = geocode.kommun_codes(df, cols, kommun, postal, name, origin)
    dates = {role: validate.dates(text(role), col(role), name, origin) for role in ("date", "opened", "closed")}
    validate.check_order(dates["opened"], dates["closed"], (col("opened"), col("closed")), name, origin)
    yes_no: dict[str, pd.Series] = {
        role: validate.yes_no(text(role), cols[role], name, origin)
        for role in ("agreement", "samstart")
        if role in cols
    }
    source = text("source")
    data: dict[str, Any] = {
        "agency": agencies,
        "name": names,
        "kommunkod": kommunkod,
        "status": status,
        "status_date": dates["date"],
        "opened": dates["opened"],
        "closed": dates["closed"],
        **yes_no,
        "address": text("address"),
        "source_url": source.where(source != "", f"fil: {name}"),
        "precision": "coordinates",
        "regsokod": pd.NA,
        "row": [origin.number(p) for p in df.index],
        "e": df["_e"].astype(float),
        "n": df["_n"].astype(float),
    }
    table = pd.DataFrame(data)
    table.index = pd.Index([f"imp-{import_id}-{i + 1:04d}" for i in range(len(df))], name="office_id")
    return table, town


def _area_of_points(table: pd.DataFrame, regso: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each office's RegSO area and, from it, its kommun (the file's kommun where a point is in no area)."""
    pts = gpd.GeoDataFrame(table[[]], geometry=gpd.points_from_xy(table["e"], table["n"]), crs=METRIC_CRS)
    hit = gpd.sjoin(pts, regso[["kommunkod", "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    table["regsokod"] = hit["regsokod"].astype("string").reindex(table.index)
    table["kommunkod"] = hit["kommunkod"].astype("string").fillna(table["kommunkod"]).reindex(table.index)
    return table


def prepare_offices(  # noqa: PLR0913
    path: Path | str,
    regso: gpd.GeoDataFrame,
    kommun: gpd.GeoDataFrame,
    lan: gpd.GeoDataFrame,
    towns: pd.DataFrame,
    postal: pd.DataFrame,
    *,
    agency: str,
    replace: bool = False,
    crs: str | None = None,
    file_name: str | None = None,
    import_id: str | None = None,
    list_date: date | None = None,
) -> OfficeImport:
    """Read and validate an office list; nothing is written.

    Parameters
    ----------
    path : path-like
        CSV/XLSX with a name column and coordinates or address + postal code/town,
        or GeoJSON/GeoPackage points.
    regso, kommun, lan : geopandas.GeoDataFrame
        Areas, kommuner and län (EPSG:3006); län are Sweden's outline for the sea/abroad check.
    towns, postal : pandas.DataFrame
        Embedded geocoding tables (:func:`geo_app.data.loaders.load_towns`, ``load_postal_codes``).
    agency : str
        ``af``, ``ssc``, ``kommun`` or ``other``; a file's ``agency`` column may say it per row.
    replace : bool
        The list replaces the embedded offices of ``agency`` instead of adding to them.
    crs : str, optional
        CRS of the coordinate columns when detection is not wanted (e.g. ``"EPSG:3021"``).
    file_name, import_id : str, optional
        Name for messages and the catalogue; name of the import (same name replaces).
    list_date : datetime.date, optional
        A ``replace`` list is complete from this day (2015–2035; default today).

    Returns
    -------
    OfficeImport
        ``table`` indexed by office id with ``agency, name, kommunkod, status, status_date,
        address, source_url, precision, regsokod, row, e, n`` (EPSG:3006 coordinates; ``row``
        is the row or feature number as :mod:`geo_app.errors` counts them).

    Raises
    ------
    InputError
        Naming file, row (or feature) and column; see :mod:`geo_app.imports.offices`.
    """
    path = Path(path)
    name = file_name or path.name
    import_id = user_store.check_name(import_id) if import_id else user_store.default_name(path.stem)
    valid_from = _check_options(agency, list_date)
    stated_crs = office_crs.check_crs(crs)
    df, used_crs, origin = read.read_office_file(path, name)
    table_reader.check_office_count(len(df), name)
    cols = columns.find_columns(list(df.columns))
    _check_name_column(df, cols, name)
    if used_crs is None:  # a table: coordinates from its columns, if any
        _check_location_columns(df, cols, name)
        df, used_crs = office_crs.coordinates(df, cols, name, stated_crs)
    table, town = _offices_table(df, cols, agency, kommun, postal, name, origin, import_id)
    table = geocode.geocode_missing(table, town, df.index, regso, towns, name, origin)
    names = pd.Series(table["name"].to_numpy(), index=df.index)
    validate.check_inside(table[["e", "n"]].to_numpy(), names, lan, name, origin)
    table = _area_of_points(table, regso)
    return OfficeImport(
        file=name,
        id=import_id,
        agency=agency,
        replace=replace,
        crs=used_crs,
        table=table,
        rows=len(df),
        ignored=[c for c in df.columns if c not in cols.values() and not c.startswith("_")],
        list_date=valid_from if replace else "",
    )


def save_offices(imp: OfficeImport, data_dir: Path | None = None, **kwargs: Any) -> dict[str, Any]:
    """Store a prepared office list (one transaction; keywords: see :func:`user_store.save`)."""
    return user_store.save(imp.entry(), imp.table, data_dir, **kwargs)
