"""Import the user's own list of offices (CSV, XLSX, GeoJSON or GeoPackage points).

``prepare_offices`` reads and validates a file and returns an :class:`OfficeImport`
(a preview, nothing written); ``save_offices`` stores it atomically (see
:mod:`geo_app.data.user_store`). ``merge_offices`` puts stored lists together with the
embedded one. Every row is placed at the best precision the file allows:

``coordinates``
    the file gives coordinates: WGS84 latitude/longitude or SWEREF 99 TM E/N
    (detected from the values, or stated with ``crs``); GeoJSON/GeoPackage points;
``area``, ``town``, ``kommun``
    an address row: the postal code (or a kommun column) gives the kommun, then the
    office name or town is matched like the embedded list (:func:`geo_app.analysis.presence.geocode`).
    Street addresses are not geocoded (no address register is embedded).

Rejected with an :class:`~geo_app.errors.InputError` naming file, row and column:
missing name or location columns, latitude/longitude swapped, coordinates in
another CRS, points in the sea or abroad, duplicate offices, unknown postal codes,
kommuner or statuses, dates that are not dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``),
a closing date before the opening date.

Agency ``kommun`` is kommun collaboration (kommunsamverkan): service points where Af meets
jobseekers through the kommun, and per kommun the agreement status (columns ``avtal`` /
``samstart``, ja/nej). A ``replace`` list is a complete list: the agency counts as complete
(a kommun without an office in it is "known to have none") from ``list_date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo_app.analysis import gaps, presence, register
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.data import user_store
from geo_app.errors import InputError
from geo_app.imports import reader as table_reader

AGENCY_CHOICES = ("af", "ssc", "kommun", "other")
GEO_SUFFIXES = (".geojson", ".gpkg", ".fgb", ".shp")
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
STATUS_WORDS = {
    "open": ("open", "öppet", "öppen", "oppet", "aktiv", "active", "befintligt", "finns"),
    "closing": ("closing", "stänger", "avvecklas", "läggs ner", "avveckling beslutad"),
    "closed": ("closed", "stängt", "stängd", "nedlagt", "avvecklat", "nedlagd"),
    "planned": ("planned", "planerat", "planerad", "öppnar"),
}
# Sweden's extent with a margin: used to tell coordinate systems apart.
WGS84_LAT = (55.0, 69.2)
WGS84_LON = (10.5, 24.5)
SWEREF_E = (200_000.0, 1_000_000.0)
SWEREF_N = (6_100_000.0, 7_700_000.0)
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

    def entry(self) -> dict:
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


def _norm(header: str) -> str:
    return "_".join(str(header).strip().casefold().replace("-", " ").split())


def find_columns(columns: list[str]) -> dict[str, str]:
    """Map each role in :data:`HEADERS` to the file's column that spells it (first match)."""
    out: dict[str, str] = {}
    for col in columns:
        for role, spellings in HEADERS.items():
            if role not in out and _norm(col) in spellings:
                out[role] = col
                break
    return out


def read_points_file(path: Path, name: str) -> tuple[pd.DataFrame, str]:
    """Read GeoJSON/GeoPackage points as a table with ``_e, _n`` in EPSG:3006; returns (table, source CRS)."""
    table_reader.check_geo_file(path, name)  # size, layers and feature count before reading
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several DataSourceError kinds
        raise InputError(f"{name}: not a readable GeoJSON/GeoPackage file ({exc})") from exc
    if len(gdf) == 0:
        raise InputError(f"{name}: the file has no features")
    geoms = gdf.geometry.values
    if shapely.is_empty(geoms).any() or pd.isna(geoms).any():
        row = int(np.flatnonzero(shapely.is_empty(geoms) | pd.isna(geoms))[0]) + 1
        raise InputError(f"{name}: feature {row} has no geometry")
    kinds = set(shapely.get_type_id(geoms))
    if kinds - {0, 4}:
        raise InputError(f"{name}: offices must be points; the file has {sorted(set(gdf.geom_type))}")
    if 4 in kinds:  # MultiPoint with one point is common from GIS exports
        if (shapely.get_num_geometries(geoms) != 1).any():
            raise InputError(f"{name}: a MultiPoint with several points cannot be one office")
        geoms = shapely.get_geometry(geoms, 0)
    x, y = pd.Series(shapely.get_x(geoms)), pd.Series(shapely.get_y(geoms))
    if gdf.crs is None:
        crs = _detect_crs(x, y, "x", "y", name, geo=True)
    else:
        crs = gdf.crs.to_string()
        guess = _guess_crs(x, y)
        if gdf.crs.to_epsg() in (4326, 3006) and guess != crs:
            if guess is None:
                _detect_crs(x, y, "x", "y", name, geo=True)  # raises: swapped or unknown
            raise InputError(
                f"{name}: the file declares {crs} but its coordinates look like {guess} "
                "(the CRS in the file is wrong; fix it in the GIS and export again)"
            )
    pts = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=crs).to_crs(METRIC_CRS)
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    table = table.astype(object).where(table.notna(), "").astype(str)
    table["_e"], table["_n"] = pts.x.to_numpy(), pts.y.to_numpy()
    return table, crs


def _in(values: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    return values.between(*bounds)


def _guess_crs(a: pd.Series, b: pd.Series) -> str | None:
    """``"EPSG:4326"`` or ``"EPSG:3006"`` if all values (a = x/lon/E, b = y/lat/N) fit Sweden in it, else None."""
    a, b = a.dropna(), b.dropna()
    if _in(a, WGS84_LON).all() and _in(b, WGS84_LAT).all():
        return "EPSG:4326"
    if _in(a, SWEREF_E).all() and _in(b, SWEREF_N).all():
        return "EPSG:3006"
    return None


def _detect_crs(a: pd.Series, b: pd.Series, a_col: str, b_col: str, name: str, geo: bool = False) -> str:
    """Tell WGS84 from SWEREF 99 TM by the values of two coordinate columns; explain when neither fits."""
    guess = _guess_crs(a, b)
    if guess is not None:
        return guess
    a, b = a.dropna(), b.dropna()
    if _in(a, WGS84_LAT).all() and _in(b, WGS84_LON).all():
        raise InputError(
            f"{name}: columns {a_col!r} and {b_col!r} look swapped: {a_col!r} holds values "
            f"{a.min():g}–{a.max():g}, which are latitudes in Sweden, and {b_col!r} {b.min():g}–{b.max():g}, "
            "which are longitudes; swap the column names"
        )
    if _in(a, SWEREF_N).all() and _in(b, SWEREF_E).all():
        raise InputError(
            f"{name}: columns {a_col!r} and {b_col!r} look swapped: SWEREF 99 TM northings "
            f"(≈ 6.1–7.7 million) are in {a_col!r}; swap the column names"
        )
    hint = ""
    if a.between(1_200_000, 1_900_000).all() and _in(b, SWEREF_N).all():
        hint = " They look like RT90 2.5 gon V (EPSG:3021): state that CRS or convert to SWEREF 99 TM."
    elif a.between(1_100_000, 2_800_000).all() and b.between(7_300_000, 11_000_000).all():
        hint = " They look like Web Mercator (EPSG:3857): state that CRS or convert."
    where = "features" if geo else "rows"
    raise InputError(
        f"{name}: coordinates in {a_col!r}/{b_col!r} ({a.min():g}–{a.max():g} / {b.min():g}–{b.max():g}) are "
        f"neither WGS84 longitude/latitude nor SWEREF 99 TM E/N for Sweden in all {where}.{hint}"
    )


def _coordinates(df: pd.DataFrame, cols: dict[str, str], name: str, crs: str | None) -> tuple[pd.DataFrame, str]:
    """Parse coordinate columns into ``_e, _n`` (EPSG:3006; NaN where a row has none)."""
    if "lat" in cols and "lon" in cols:
        a_col, b_col = cols["lon"], cols["lat"]
    elif "east" in cols and "north" in cols:
        a_col, b_col = cols["east"], cols["north"]
    else:
        df = df.assign(_e=np.nan, _n=np.nan)
        return df, "address"
    a = table_reader.parse_numbers(df[a_col], a_col, name)
    b = table_reader.parse_numbers(df[b_col], b_col, name)
    half = a.isna() != b.isna()
    if half.any():
        row = int(np.flatnonzero(half)[0]) + 2
        raise InputError(f"{name}: row {row}: only one of {a_col!r}/{b_col!r} is filled in")
    if a.notna().any():
        if crs is not None and "east" in cols and a.median() > b.median() > 1000:
            # a stated projected CRS: northings (> 6 million in Sweden) exceed eastings whatever the headers say
            a, b = b, a
        if crs is None:
            # "x"/"y" mean east/north in GIS but north/east in Swedish surveying: decide by the values.
            crs = _detect_crs(a, b, a_col, b_col, name)
        has = a.notna()
        pts = gpd.GeoSeries(gpd.points_from_xy(a[has], b[has]), index=a.index[has], crs=crs).to_crs(METRIC_CRS)
        e, n = pd.Series(np.nan, index=df.index), pd.Series(np.nan, index=df.index)
        e[has], n[has] = pts.x, pts.y
        if not np.isfinite(e[has]).all():
            raise InputError(f"{name}: the coordinates cannot be transformed from {crs} to SWEREF 99 TM")
    else:
        e = n = pd.Series(np.nan, index=df.index)
        crs = "address"
    return df.assign(_e=e.to_numpy(), _n=n.to_numpy()), crs


def _status(df: pd.DataFrame, cols: dict[str, str], name: str) -> pd.Series:
    if "status" not in cols:
        return pd.Series("open", index=df.index)
    lookup = {w: s for s, words in STATUS_WORDS.items() for w in words}
    text = df[cols["status"]].fillna("").astype(str).str.strip().str.casefold()
    status = text.map(lookup).where(text != "", "open")
    if status.isna().any():
        row = int(np.flatnonzero(status.isna())[0])
        raise InputError(
            f"{name}: row {row + 2}, column {cols['status']!r}: unknown status "
            f"{df[cols['status']].iloc[row]!r} (use open, closing, closed or planned)"
        )
    return status


def _kommun_codes(
    df: pd.DataFrame, cols: dict[str, str], kommun: pd.DataFrame, postal: pd.DataFrame, name: str
) -> tuple[pd.Series, pd.Series]:
    """Kommun code and town name per row, from the postal code, a kommun column or a unique town name."""
    code = pd.Series(pd.NA, index=df.index, dtype="string")
    town = df[cols["town"]].fillna("").astype(str).str.strip() if "town" in cols else pd.Series("", index=df.index)
    if "postal" in cols:
        raw = (
            df[cols["postal"]]
            .fillna("")
            .astype(str)
            .str.replace(r"\s", "", regex=True)
            .str.replace(r"\.0$", "", regex=True)
        )
        filled = raw != ""
        bad = filled & ~raw.str.fullmatch(r"\d{5}")
        unknown = filled & ~bad & ~raw.isin(postal.index)
        for mask, what in ((bad, "is not a five-digit postal code"), (unknown, "is not a known postal code")):
            if mask.any():
                row = int(np.flatnonzero(mask)[0])
                raise InputError(
                    f"{name}: row {row + 2}, column {cols['postal']!r}: {df[cols['postal']].iloc[row]!r} {what}"
                )
        code[filled] = raw[filled].map(postal["kommunkod"])
        town = town.where(town != "", raw.map(postal["locality"]).fillna(""))
    if "kommun" in cols:
        given = df[cols["kommun"]].fillna("").astype(str).str.strip()
        by_name = pd.Series(kommun.index, index=kommun["kommunnamn"].str.casefold().to_numpy())
        as_code = given.str.zfill(4).where(given.str.fullmatch(r"\d{3,4}"), "")
        resolved = as_code.where(
            as_code.isin(kommun.index), given.str.casefold().str.removesuffix(" kommun").map(by_name)
        )
        bad = (given != "") & resolved.isna()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"{name}: row {row + 2}, column {cols['kommun']!r}: unknown kommun {given.iloc[row]!r}")
        code = code.fillna(resolved.astype("string"))
    return code, town


def prepare_offices(
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
    list_date: str | None = None,
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
        ``af``, ``ssc`` or ``other``; a file's ``agency`` column may say it per row.
    replace : bool
        The list replaces the embedded offices of ``agency`` instead of adding to them.
    crs : str, optional
        CRS of the coordinate columns when detection is not wanted (e.g. ``"EPSG:3021"``).
    file_name, import_id : str, optional
        Name for messages and the catalogue; name of the import (same name replaces).
    list_date : str, optional
        A ``replace`` list is complete from this day (``YYYY-MM-DD``, 2015–2035; default today).

    Returns
    -------
    OfficeImport
        ``table`` indexed by office id with ``agency, name, kommunkod, status, status_date,
        address, source_url, precision, regsokod, row, e, n`` (EPSG:3006 coordinates).
    """
    path = Path(path)
    name = file_name or path.name
    import_id = user_store.check_name(import_id) if import_id else user_store.default_name(path.stem)
    if agency not in AGENCY_CHOICES:
        raise InputError(f"agency must be one of {AGENCY_CHOICES}, got {agency!r}")
    try:
        valid_from = register.check_as_of(list_date).isoformat()
    except InputError as exc:
        raise InputError(f"--list-date: {exc}") from None
    if crs is not None:
        try:
            crs = gpd.GeoSeries([], crs=crs).crs.to_string()
        except Exception as exc:  # pyproj.CRSError
            raise InputError(f"unknown CRS {crs!r}") from exc
    if path.suffix.lower() in GEO_SUFFIXES or _is_geojson(path):
        df, used_crs = read_points_file(path, name)
        first_row = 1
    else:
        df = table_reader.read_table(path, name)
        first_row = 2
        used_crs = None
    df = df.reset_index(drop=True)
    table_reader.check_office_count(len(df), name)
    cols = find_columns(list(df.columns))
    if "name" not in cols:
        raise InputError(f"{name}: no name column (expected one of: namn, name, kontor); columns: {list(df.columns)}")
    if used_crs is None:
        has_coords = ("lat" in cols and "lon" in cols) or ("east" in cols and "north" in cols)
        if not has_coords and not ({"postal", "kommun"} & cols.keys()):
            half = [r for r in ("lat", "lon", "east", "north") if r in cols]
            extra = f" (found only {[cols[r] for r in half]})" if half else ""
            raise InputError(
                f"{name}: no location columns{extra}: give lat + lon (WGS84), E + N (SWEREF 99 TM), "
                f"or postnummer/kommun with ort; columns: {list(df.columns)}"
            )
        df, used_crs = _coordinates(df, cols, name, crs)

    names = df[cols["name"]].fillna("").astype(str).str.strip()
    if (names == "").any():
        row = int(np.flatnonzero(names == "")[0]) + first_row
        raise InputError(f"{name}: row {row}, column {cols['name']!r}: an office needs a name")
    agencies = pd.Series(agency, index=df.index)
    if "agency" in cols:
        given = df[cols["agency"]].fillna("").astype(str).str.strip().str.casefold()
        alias = {
            "arbetsförmedlingen": "af",
            "statens servicecenter": "ssc",
            "kommunsamverkan": "kommun",
            **{a: a for a in AGENCY_CHOICES},
        }
        mapped = given.map(alias)
        bad = (given != "") & mapped.isna()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{name}: row {row + first_row}, column {cols['agency']!r}: unknown agency "
                f"{df[cols['agency']].iloc[row]!r} (af, ssc, kommun or other)"
            )
        agencies = mapped.where(given != "", agency)
    dup = pd.DataFrame({"a": agencies, "n": presence.fold_name(names)}).duplicated(keep=False)
    if dup.any():
        rows = [int(i) + first_row for i in np.flatnonzero(dup)[:4]]
        raise InputError(f"{name}: office {names[dup].iloc[0]!r} occurs more than once (rows {rows})")

    status = _status(df, cols, name)
    kommunkod, town = _kommun_codes(df, cols, kommun, postal, name)

    def text(role: str) -> pd.Series:
        if role not in cols:
            return pd.Series("", index=df.index)
        return df[cols[role]].fillna("").astype(str).str.strip()

    source = text("source")
    dates = {role: _dates(text(role), cols.get(role, role), name, first_row) for role in ("date", "opened", "closed")}
    _check_order(dates["opened"], dates["closed"], cols, name, first_row)
    yes_no: dict[str, pd.Series] = {
        role: _yes_no(text(role), cols[role], name, first_row) for role in ("agreement", "samstart") if role in cols
    }
    table = pd.DataFrame(
        {
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
            "row": df.index + first_row,
            "e": df["_e"].astype(float),
            "n": df["_n"].astype(float),
        }
    )
    table.index = pd.Index([f"imp-{import_id}-{i + 1:04d}" for i in range(len(df))], name="office_id")

    table = _geocode_missing(table, town, regso, towns, name)
    _check_inside(table, lan, name)
    pts = gpd.GeoDataFrame(table[[]], geometry=gpd.points_from_xy(table["e"], table["n"]), crs=METRIC_CRS)
    hit = gpd.sjoin(pts, regso[["kommunkod", "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    table["regsokod"] = hit["regsokod"].astype("string").reindex(table.index)
    table["kommunkod"] = hit["kommunkod"].astype("string").fillna(table["kommunkod"]).reindex(table.index)
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


def _dates(values: pd.Series, column: str, name: str, first_row: int) -> pd.Series:
    """Check a date column (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or empty); a datetime from XLSX becomes its day."""
    out = values.str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$", r"\1", regex=True)
    for i, v in enumerate(out):
        try:
            register.parse_when(v)
        except InputError as exc:
            raise InputError(f"{name}: row {i + first_row}, column {column!r}: {exc}") from None
    return out


def _check_order(opened: pd.Series, closed: pd.Series, cols: dict[str, str], name: str, first_row: int) -> None:
    """Refuse a row whose closing date lies before its opening date."""
    for i, (o, c) in enumerate(zip(opened, closed, strict=True)):
        o_span, c_span = register.parse_when(o), register.parse_when(c)
        if o_span and c_span and c_span[1] <= o_span[0]:
            raise InputError(
                f"{name}: row {i + first_row}, column {cols.get('closed', 'closed')!r}: closing date {c} is before "
                f"the opening date {o} (column {cols.get('opened', 'opened')!r})"
            )


_YES = {"ja", "yes", "j", "y", "1", "true", "sant", "x"}
_NO = {"nej", "no", "n", "0", "false", "falskt"}


def _yes_no(values: pd.Series, column: str, name: str, first_row: int) -> pd.Series:
    """ja/nej (yes/no, 1/0) → "yes"/"no"; empty stays empty; anything else is refused."""
    low = values.str.casefold()
    bad = (low != "") & ~low.isin(_YES | _NO)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}: row {i + first_row}, column {column!r}: {values.iloc[i]!r} is not ja/nej")
    return low.map(lambda v: "yes" if v in _YES else ("no" if v in _NO else ""))


def _is_geojson(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    with path.open("rb") as fh:
        head = fh.read(2000).decode("utf-8", "ignore")
    return '"FeatureCollection"' in head or '"Feature"' in head


def _geocode_missing(
    table: pd.DataFrame, town: pd.Series, regso: gpd.GeoDataFrame, towns: pd.DataFrame, name: str
) -> pd.DataFrame:
    """Place rows without coordinates through kommun + office name/town (see module docstring)."""
    todo = table["e"].isna().to_numpy()
    if not todo.any():
        return table
    town = pd.Series(town.to_numpy(), index=table.index)
    # A kommun from a unique GeoNames town when neither postal code nor kommun was given.
    if table.loc[todo, "kommunkod"].isna().any():
        key = presence.fold_name(towns["name"])
        counts = key.value_counts()
        unique = towns.assign(key=key)[key.map(counts) == 1].set_index("key")
        pts = gpd.GeoSeries.from_xy(unique["lon"], unique["lat"], index=unique.index, crs="EPSG:4326").to_crs(
            METRIC_CRS
        )
        in_kommun = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), regso[["kommunkod", "geometry"]], predicate="within")
        kommun_by_town = in_kommun.groupby(level=0)["kommunkod"].first()
        guess = presence.fold_name(town).map(kommun_by_town)
        table["kommunkod"] = table["kommunkod"].fillna(guess.astype("string"))
    missing = todo & table["kommunkod"].isna().to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InputError(
            f"{name}: row {table['row'].iloc[i]}: cannot place {table['name'].iloc[i]!r}: no coordinates, and no "
            "postal code, kommun or unique town name to find its kommun"
        )
    rows = table[todo]
    query = [_geocode_query(n, t) for n, t in zip(rows["name"], town[todo], strict=False)]
    located = presence.geocode(
        pd.DataFrame({"name": query, "kommunkod": rows["kommunkod"].astype(str)}, index=rows.index), regso, towns
    )
    table.loc[todo, "e"] = located.geometry.x
    table.loc[todo, "n"] = located.geometry.y
    table.loc[todo, "precision"] = located["precision"]
    return table


def _geocode_query(office: str, town: str) -> str:
    """``"<town> <part of town>"`` for :func:`geo_app.analysis.presence.geocode`.

    "Arbetsförmedlingen Vivalla" in Örebro → "Örebro Vivalla" (an area match),
    "Kontor Gällivare" → "Gällivare" (a town match).
    """
    rest = presence.fold_name(pd.Series([office])).iloc[0]
    rest = " ".join(w for w in rest.split() if w not in AGENCY_WORDS)
    place = presence.fold_name(pd.Series([town])).iloc[0] if town else ""
    if not place:
        return rest or office
    if not rest or rest == place or rest.startswith(place + " "):
        return rest or place
    return f"{place} {rest}"


def _check_inside(table: pd.DataFrame, lan: gpd.GeoDataFrame, name: str) -> None:
    """Raise naming the rows whose point lies in the sea or abroad.

    Beyond :data:`~geo_app.analysis.gaps.OUTSIDE_TOLERANCE_M` of the coast or border.
    """
    far = gaps.distance_outside_m(shapely.points(table["e"].to_numpy(), table["n"].to_numpy()), lan.geometry.values)
    out = np.flatnonzero(far > gaps.OUTSIDE_TOLERANCE_M)
    if len(out):
        shown = "; ".join(
            f"row {table['row'].iloc[i]} {table['name'].iloc[i]!r} {far[i] / 1000:.1f} km outside" for i in out[:5]
        )
        raise InputError(
            f"{name}: {len(out)} office(s) lie in the sea or outside Sweden ({shown}); "
            "check the coordinates and their CRS"
        )


def save_offices(imp: OfficeImport, data_dir: Path | None = None, **kwargs) -> dict:
    """Store a prepared office list (one transaction; keywords: see :func:`user_store.save`)."""
    return user_store.save(imp.entry(), imp.table, data_dir, **kwargs)
