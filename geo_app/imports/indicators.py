"""Import the user's own indicator figures (per RegSO area or per kommun).

``prepare_indicators`` reads and validates a file and returns an
:class:`IndicatorImport` — a preview of what would be imported and what did not
match — without writing anything. ``save_indicators`` stores it (atomically,
see :mod:`geo_app.data.user_store`). Keys: RegSO 2025 codes, RegSO 2020 codes (mapped
through SCB's names, so the 2020→2025 code swaps are handled), SCB's
``"Kommun (Område)"`` labels, or kommun codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from geo_app.analysis import area_keys
from geo_app.data import user_store
from geo_app.errors import TABLE_ROWS, InputError, ValidationError, where
from geo_app.imports import reader as table_reader

KEY_TYPES = ("regso2025", "regso2020", "label", "kommun")
YEAR_HEADERS = ("year", "år", "ar", "tid", "time")
PERCENT_HINTS = ("%", "pct", "andel", "procent", "share", "proportion")
TYPE_HINTS = ("områdestyp", "omradestyp", "area type", "area_type")
MIN_KEY_MATCH = 0.5
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass
class IndicatorImport:
    """A validated import, not yet stored."""

    file: str
    id: str
    level: str  # "regso" or "kommun"
    key_type: str
    key_column: str
    table: pd.DataFrame  # indexed by code, columns "<slug>_<year>" (or "<slug>")
    columns: list[dict[str, Any]]  # {"header", "slug", "role": "value"|"omradestyp", "percent"}
    years: list[int]
    rows: int
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (row number as in errors.where, key)
    ignored: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Plain-text lines describing the import (for the CLI and the page)."""
        years = ", ".join(map(str, self.years)) or "–"
        lines = [
            f"file: {self.file}",
            f"name: {self.id}",
            f"level: {self.level}; key: {self.key_type} in column {self.key_column!r}",
            f"rows: {self.rows}; matched: {len(self.table)}; unmatched: {len(self.unmatched)}",
            f"years: {years}",
            "columns: "
            + "; ".join(f"{c['header']} ({c['role']}{', %' if c['percent'] else ''})" for c in self.columns),
        ]
        if self.ignored:
            lines.append("ignored text columns: " + ", ".join(self.ignored))
        for row, key in self.unmatched[:10]:
            lines.append(f"unmatched: row {row}: {key!r}")
        return lines

    def entry(self) -> dict[str, Any]:
        """The catalogue entry (without storage fields)."""
        return {
            "id": self.id,
            "kind": "indicators",
            "file": self.file,
            "level": self.level,
            "key_type": self.key_type,
            "key_column": self.key_column,
            "columns": self.columns,
            "years": self.years,
            "rows": self.rows,
            "matched": int(len(self.table)),
            "unmatched": len(self.unmatched),
        }


def _normalise_codes(values: pd.Series) -> pd.Series:
    out = values.astype(str).str.strip().str.upper()
    return out.str.replace(r"_REGSO20(20|25)$", "", regex=True)


KEY_PROBE_ROWS = 50
KEY_SAMPLE_ROWS = 2_000  # key detection looks at this many rows per column (cost: columns × sample, not × rows)


def _share_in(values: pd.Series, known: set[object]) -> float:
    """Share of ``values`` found in ``known`` (plain set lookups: cost by rows, not by the size of ``known``)."""
    if len(values) == 0:
        return 0.0
    return sum(1 for v in values.tolist() if v in known) / len(values)


def _key_matches(
    values: pd.Series,
    regso_codes: set[object],
    kommun_codes_known: set[object],
    codes_2020: set[object],
    labels: set[object],
) -> dict[str, float]:
    codes = _normalise_codes(values).astype(object)
    digits = values.astype(str).str.strip()
    kommun_codes = digits.where(digits.str.fullmatch(r"\d{3,4}"), "").str.zfill(4).astype(object)
    return {
        "regso2025": _share_in(codes, regso_codes),
        "regso2020": _share_in(codes, codes_2020),
        "label": _share_in(area_keys.labels_2020_as_2025(values).astype(object), labels),
        "kommun": _share_in(kommun_codes, kommun_codes_known),
    }


class KeyTables(NamedTuple):
    """What key cells are matched against: areas, kommuner and the RegSO 2020 → 2025 key.

    ``regso`` and ``kommun`` are indexed by code (names for label keys); ``keys_2020`` has
    ``regsokod`` and ``label_2020``, indexed by 2020 code.
    """

    regso: pd.DataFrame
    kommun: pd.DataFrame
    keys_2020: pd.DataFrame


def detect_key(
    df: pd.DataFrame, tables: KeyTables, key_type: str | None = None, name: str = "the file"
) -> tuple[str, str]:
    """``(column, key type)`` of the column that best matches known codes or labels.

    The known codes and labels are computed once, and each column is judged on a sample of
    at most :data:`KEY_SAMPLE_ROWS` rows, so a wide file costs columns × sample, not columns × rows.
    """
    regso, kommun, keys_2020 = tables
    known = (
        set(regso.index),
        set(kommun.index),
        set(keys_2020.index),
        set(area_keys.labels_2025(regso)) | set(area_keys.labels_2020_as_2025(keys_2020["label_2020"])),
    )
    sample = df.head(KEY_SAMPLE_ROWS)
    best = (0.0, "", "")
    for col in df.columns:
        if col.casefold() in YEAR_HEADERS:
            continue
        rates = _key_matches(sample[col].head(KEY_PROBE_ROWS), *known)  # a cheap probe first
        if max(rates.values()) > 0:
            rates = _key_matches(sample[col], *known)
        mentions_2020 = "2020" in col or sample[col].astype(str).str.upper().str.endswith("_REGSO2020").any()
        for kt, rate in rates.items():
            if key_type and kt != key_type:
                continue
            # RegSO 2020 and 2025 codes mostly coincide: prefer 2025 unless the file says 2020;
            # prefer codes to labels when both match equally.
            preferred = "regso2020" if mentions_2020 else "regso2025"
            bonus = 0.002 if kt == preferred else (0.001 if kt != "label" else 0.0)
            if rate + bonus > best[0]:
                best = (rate + bonus, col, kt)
    if best[0] < MIN_KEY_MATCH:
        wanted = key_type or "RegSO 2025/2020 codes, 'Kommun (Område)' names or kommun codes"
        shown = list(df.columns)[:20]
        more = f" … ({len(df.columns)} in all)" if len(df.columns) > 20 else ""
        raise InputError(f"{name}: no key column found: no column has mostly {wanted} (columns: {shown}{more})")
    return best[1], best[2]


def _to_codes(keys: pd.Series, key_type: str, regso: pd.DataFrame, keys_2020: pd.DataFrame) -> pd.Series:
    """Map key cells to RegSO 2025 / kommun codes (``<NA>`` where unknown)."""
    if key_type == "regso2025":
        codes = _normalise_codes(keys)
        return codes.where(codes.isin(regso.index)).astype("string")
    if key_type == "regso2020":
        codes = _normalise_codes(keys)
        return codes.map(keys_2020["regsokod"]).astype("string")
    if key_type == "label":
        uniq = pd.Series(keys.unique(), index=keys.unique())
        return keys.map(area_keys.match_labels(uniq, regso)).astype("string")
    digits = keys.astype(str).str.strip()
    return digits.where(digits.str.fullmatch(r"\d{3,4}")).str.zfill(4).astype("string")


def _check_2020_names(df: pd.DataFrame, key_col: str, keys_2020: pd.DataFrame, name: str) -> None:
    """Where a file has RegSO 2020 codes *and* area labels, they must agree (SCB swapped codes)."""
    codes = _normalise_codes(df[key_col])
    expected = area_keys.normalise_name(codes.map(keys_2020["label_2020"]))
    known = set(area_keys.normalise_name(keys_2020["label_2020"]).dropna())
    for col in df.columns:
        if col == key_col:
            continue
        got = area_keys.normalise_name(df[col])
        same = (got == expected).fillna(False)
        if got.isin(known).mean() >= 0.5:  # this is a label column
            bad = (~same) & expected.notna()
            if bad.any():
                pos = int(bad.to_numpy().nonzero()[0][0])
                raise ValidationError(
                    f"{where(name, df.index[pos], col)}: RegSO 2020 code {df[key_col].iloc[pos]!r} is "
                    f"{codes.map(keys_2020['label_2020']).iloc[pos]!r} in SCB's key, but the file calls it "
                    f"{df[col].iloc[pos]!r} (SCB swapped some codes between 2020 and 2025)"
                )
            return


def prepare_indicators(  # noqa: PLR0913
    path: Path | str,
    regso: pd.DataFrame,
    kommun: pd.DataFrame,
    keys_2020: pd.DataFrame,
    *,
    file_name: str | None = None,
    import_id: str | None = None,
    year: int | None = None,
    key_type: str | None = None,
    allow_unmatched: bool = False,
) -> IndicatorImport:
    """Read and validate an indicator file; nothing is written.

    Parameters
    ----------
    path : path-like
        CSV, XLSX or JSON-stat 2.0 file.
    regso, kommun : pandas.DataFrame
        Known areas and kommuner, indexed by code (names used for label keys).
    keys_2020 : pandas.DataFrame
        RegSO 2020 → 2025 key (``regsokod``, ``label_2020``), indexed by 2020 code.
    file_name : str, optional
        Name for messages and the catalogue (default: the path's name).
    import_id : str, optional
        Name of the import, an identifier (:func:`geo_app.data.user_store.check_name`;
        refused otherwise, never rewritten); default: from the file name.
    year : int, optional
        Year of the figures in a file without a year column.
    key_type : str, optional
        Force the key type (one of :data:`KEY_TYPES`) instead of detecting it.
    allow_unmatched : bool
        Import the matched rows even if some keys are unknown (they are listed).

    Raises
    ------
    InputError
        Naming the file, row and column: no key column, unknown or duplicate keys,
        non-numeric values, percentages outside 0–100, områdestyp not 1–5, …
    """
    path = Path(path)
    name = file_name or path.name
    if key_type is not None and key_type not in KEY_TYPES:
        raise InputError(f"key type must be one of {KEY_TYPES}, got {key_type!r}")
    if import_id:
        user_store.check_name(import_id)  # before any work
    df = table_reader.read_table(path, name)
    key_col, kt = detect_key(df, KeyTables(regso, kommun, keys_2020), key_type, name)
    if kt == "regso2020":
        _check_2020_names(df, key_col, keys_2020, name)
    src = _Source(df, name, key_col, kt)
    year_col = next((c for c in df.columns if c.casefold() in YEAR_HEADERS), None)
    row_year = _row_years(src, year_col, year)
    codes, unmatched = _matched_codes(src, _to_codes(df[key_col], kt, regso, keys_2020), row_year, allow_unmatched)
    columns, ignored, values = _value_columns(src, year_col, row_year)
    wide, years = _wide_table(codes, row_year, values)
    return IndicatorImport(
        file=name,
        id=user_store.check_name(import_id) if import_id else user_store.default_name(path.stem),
        level="kommun" if kt == "kommun" else "regso",
        key_type=kt,
        key_column=key_col,
        table=wide,
        columns=columns,
        years=years,
        rows=len(df),
        unmatched=unmatched,
        ignored=ignored,
    )


@dataclass(frozen=True)
class _Source:
    """The file's table as read, its name for messages, and its key column and key type."""

    df: pd.DataFrame
    name: str
    key_col: str
    key_type: str


def _first(mask: pd.Series) -> int:
    return int(mask.to_numpy().nonzero()[0][0])


def _row_years(src: _Source, year_col: str | None, year: int | None) -> pd.Series:
    """The year of every row: the file's year column (whole years in range), else ``year`` (may be None)."""
    df, name = src.df, src.name
    if year_col is None:
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        return pd.Series(year, index=df.index, dtype="object")
    years_cell = table_reader.parse_numbers(df[year_col], year_col, name)
    not_whole = years_cell.isna() | (years_cell % 1 != 0)
    if not_whole.any():
        raise ValidationError(f"{where(name, df.index[_first(not_whole)], year_col)}: a year is needed on every row")
    out_of_range = ~years_cell.between(MIN_YEAR, MAX_YEAR)
    if out_of_range.any():
        pos = _first(out_of_range)
        raise ValidationError(
            f"{where(name, df.index[pos], year_col)}: year {df[year_col].iloc[pos]!r} is outside {MIN_YEAR}–{MAX_YEAR}"
        )
    return years_cell.astype(int)


def _matched_codes(
    src: _Source, codes: pd.Series, row_year: pd.Series, allow_unmatched: bool
) -> tuple[pd.Series, list[tuple[int, str]]]:
    """The area/kommun code per row; unknown keys refused (or listed with ``allow_unmatched``), duplicates refused."""
    df, name, key_col = src.df, src.name, src.key_col
    missing = [i for i in range(len(df)) if pd.isna(codes.iloc[i])]
    unmatched = [(TABLE_ROWS.number(df.index[i]), str(df[key_col].iloc[i])) for i in missing]
    if unmatched and not allow_unmatched:
        shown = ", ".join(f"{TABLE_ROWS.label(df.index[i])}: {df[key_col].iloc[i]!r}" for i in missing[:5])
        raise ValidationError(
            f"{name}: {len(unmatched)} of {len(df)} keys in column {key_col!r} are unknown {src.key_type} keys "
            f"({shown}); fix them or import the rest with --allow-unmatched"
        )
    dup = pd.DataFrame({"code": codes, "year": row_year}).duplicated(keep=False) & codes.notna()
    if dup.any():
        rows = TABLE_ROWS.labels(df.index[dup.to_numpy()][:4])
        raise ValidationError(f"{name}: key {df[key_col][dup].iloc[0]!r} occurs more than once ({rows}); keep one")
    return codes, unmatched


def _value_columns(
    src: _Source, year_col: str | None, row_year: pd.Series
) -> tuple[list[dict[str, Any]], list[str], dict[str, pd.Series]]:
    """The numeric value columns (checked), the ignored text columns, and the values by slug."""
    columns: list[dict[str, Any]] = []
    ignored: list[str] = []
    values: dict[str, pd.Series] = {}
    for col in src.df.columns:
        if col in (src.key_col, year_col):
            continue
        if table_reader.looks_numeric(src.df[col]) < 0.5:
            ignored.append(col)
            continue
        nums = table_reader.parse_numbers(src.df[col], col, src.name)
        percent, is_type = _check_values(src, col, nums, row_year)
        slug = user_store.slug(col)
        if any(c["slug"] == slug for c in columns):
            slug = f"{slug}_{len(columns)}"
        columns.append({"header": col, "slug": slug, "role": "omradestyp" if is_type else "value", "percent": percent})
        values[slug] = nums
    if not columns:
        raise InputError(
            f"{src.name}: no numeric value column besides the key {src.key_col!r} (columns: {list(src.df.columns)})"
        )
    return columns, ignored, values


def _check_values(src: _Source, col: str, nums: pd.Series, row_year: pd.Series) -> tuple[bool, bool]:
    """(percent?, områdestyp?) of a value column by its header; percentages 0–100, types 1–5 with a year."""
    df, name, fold = src.df, src.name, col.casefold()
    percent = any(h in fold for h in PERCENT_HINTS)
    is_type = any(h in fold for h in TYPE_HINTS)
    if percent and not nums.dropna().between(0, 100).all():
        pos = _first(~nums.between(0, 100) & nums.notna())
        raise ValidationError(f"{where(name, df.index[pos], col)}: {df[col].iloc[pos]!r} is outside 0–100 %")
    if is_type:
        bad = nums.notna() & ~nums.isin([1, 2, 3, 4, 5])
        if bad.any():
            pos = _first(bad)
            raise ValidationError(
                f"{where(name, df.index[pos], col)}: områdestyp must be 1–5, got {df[col].iloc[pos]!r}"
            )
        if row_year.isna().any():
            raise InputError(f"{name}: column {col!r} holds områdestyp; say which year it is (--year)")
    return percent, is_type


def _wide_table(codes: pd.Series, row_year: pd.Series, values: dict[str, pd.Series]) -> tuple[pd.DataFrame, list[int]]:
    """One row per code, a column per value and year (``<slug>_<year>``), and the years."""
    keep = codes.notna()
    long = pd.DataFrame({"code": codes[keep], "year": row_year[keep], **{s: v[keep] for s, v in values.items()}})
    years = sorted({int(y) for y in long["year"].dropna()})
    if years:
        wide = long.pivot(index="code", columns="year")
        wide.columns = [f"{s}_{int(y)}" for s, y in wide.columns]
    else:
        wide = long.drop(columns="year").set_index("code")
    wide.index = wide.index.astype(str)
    wide.index.name = "code"
    return wide.sort_index(), years


def save_indicators(imp: IndicatorImport, data_dir: Path | None = None, **kwargs: Any) -> dict[str, Any]:
    """Store a prepared import (one transaction; ``replace``, ``actor``, ``sha256``: see :func:`user_store.save`)."""
    return user_store.save(imp.entry(), imp.table, data_dir, **kwargs)
