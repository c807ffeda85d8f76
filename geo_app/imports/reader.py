"""Read a user's table file into text columns: CSV, XLSX or PxWeb JSON-stat 2.0.

Swedish Excel writes CSV with ``;`` and decimal comma, in UTF-8 with a BOM or in
Windows-1252; all of these are read. Every cell comes back as text (``str``);
:func:`parse_numbers` turns a column into numbers and says which cell is not one.
Errors are :class:`~geo_app.errors.InputError` naming the file and the problem.

A table's index is each record's 0-based position in the file, blank lines included, so
that :func:`geo_app.errors.where` names the row a spreadsheet shows (header = row 1) even
where a CSV has blank lines, which are skipped.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from geo_app.errors import TABLE_ROWS, FileFormatError, InputError, LimitError, RowOrigin, ValidationError, where

MB = 1024 * 1024
MAX_BYTES = 50 * MB  # the largest file of any kind; Streamlit's server.maxUploadSize matches it
# Per format, checked from the size alone — before an upload is written to disk or a file is parsed.
SIZE_LIMITS = {
    ".csv": 50 * MB,
    ".txt": 50 * MB,
    ".tsv": 50 * MB,
    ".xlsx": 20 * MB,
    ".xlsm": 20 * MB,
    ".json": 20 * MB,
    ".jsonstat": 20 * MB,
    ".geojson": 20 * MB,
    ".gpkg": 50 * MB,
    ".fgb": 20 * MB,
    ".shp": 20 * MB,
}
MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_CELLS = 5_000_000
MAX_CELL_CHARS = 500
MAX_HEADER_CHARS = 200
MAX_SHEETS = 50
MAX_JSONSTAT_DIMENSIONS = 10
MAX_FEATURES = 20_000
# A workbook is a zip: its declared uncompressed size and ratio are checked before any XML is parsed.
MAX_XLSX_UNCOMPRESSED = 200 * MB
MAX_XLSX_RATIO = 200
MAX_XLSX_MEMBERS = 2_000
MISSING_MARKERS = {"", "..", ".", "-", "–", "na", "n/a", "nan", "saknas"}
SPACES = str.maketrans("", "", " \u00a0\u202f\t")
# What openpyxl raises for a damaged or fake workbook (zip, XML and value errors; with its
# InvalidFileException: :func:`xlsx_errors`); anything else is a bug.
XLSX_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
)


def read_table(path: Path | str, name: str | None = None) -> pd.DataFrame:
    """Read ``path`` (by its extension) into a frame of text cells.

    Parameters
    ----------
    path : path-like
        ``.csv``/``.txt``, ``.xlsx`` or ``.json`` (JSON-stat 2.0 dataset).
    name : str, optional
        File name to use in messages (uploads are read from a temporary path).

    Returns
    -------
    pandas.DataFrame
        Text cells; a JSON-stat dataset becomes a long table (see :func:`read_jsonstat`).
    """
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    check_size(name, path.stat().st_size, suffix)
    if suffix in (".csv", ".txt", ".tsv"):
        df = read_csv_text(decode(path.read_bytes(), name), name)
    elif suffix in (".xlsx", ".xlsm"):
        df = read_xlsx(path, name)
    elif suffix in (".json", ".jsonstat"):
        df = read_jsonstat(path.read_bytes(), name)
    else:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .json (JSON-stat 2.0)"
        )
    check_shape(df, name)
    return df


def size_limit(suffix: str) -> int:
    """The size limit in bytes for a file type (``".csv"`` …); :data:`MAX_BYTES` for others."""
    return min(SIZE_LIMITS.get(suffix.lower(), MAX_BYTES), MAX_BYTES)


def check_size(name: str, size: int, suffix: str | None = None) -> None:
    """Refuse an empty or too large file from its size alone (before writing or parsing it)."""
    if size == 0:
        raise InputError(f"{name}: the file is empty")
    limit = size_limit(suffix if suffix is not None else Path(name).suffix)
    if size > limit:
        kind = (suffix or Path(name).suffix or "this").lstrip(".")
        raise LimitError(
            f"{name}: the file is too large ({size / MB:.1f} MB; at most {limit / MB:.0f} MB for a {kind} file)"
        )


def check_shape(df: pd.DataFrame, name: str, origin: RowOrigin = TABLE_ROWS) -> None:
    """Refuse tables beyond the row/column/cell caps and over-long headers or cells."""
    rows, cols = df.shape
    if cols > MAX_COLUMNS:
        raise LimitError(f"{name}: too many columns ({cols}; at most {MAX_COLUMNS})")
    if rows > MAX_ROWS:
        raise LimitError(f"{name}: too many rows ({rows}; at most {MAX_ROWS:,})".replace(",", " "))
    if rows * cols > MAX_CELLS:
        raise LimitError(f"{name}: too many cells ({rows} × {cols}; at most {MAX_CELLS:,})".replace(",", " "))
    for col in df.columns:
        if len(str(col)) > MAX_HEADER_CHARS:
            raise LimitError(
                f"{name}: column header {str(col)[:40]!r}… is too long ({len(str(col))} characters; "
                f"at most {MAX_HEADER_CHARS})"
            )
        lengths = df[col].astype(str).str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            pos = int(lengths.to_numpy().argmax())
            raise LimitError(
                f"{where(name, df.index[pos], str(col), origin)}: the cell has {int(lengths.iloc[pos])} "
                f"characters (at most {MAX_CELL_CHARS}); shorten it"
            )


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; refuse binary or mis-encoded text."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: this is not a text file (binary content, or UTF-16); save it as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: unknown text encoding (neither UTF-8 nor Windows-1252): {exc}") from exc
    if "Ã¥" in text or "Ã¤" in text or "Ã¶" in text:
        raise InputError(f"{name}: wrong encoding – 'å/ä/ö' appear as 'Ã¥/Ã¤/Ã¶' (UTF-8 saved as Windows-1252 twice)")
    return text


def read_csv_text(text: str, name: str) -> pd.DataFrame:
    """Parse CSV text with a sniffed delimiter (``;``, ``,`` or tab) into text cells."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError(f"{name}: the file is empty")
    sample = "\n".join(lines[:20])
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ";,\t"}
        sep = max(counts, key=lambda k: counts[k])
    try:
        header = next(csv.reader([lines[0]], delimiter=sep))
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV header ({exc})") from exc
    if len(header) > MAX_COLUMNS:
        raise LimitError(f"{name}: too many columns ({len(header)}; at most {MAX_COLUMNS})")
    if len(lines) - 1 > MAX_ROWS:
        raise LimitError(f"{name}: too many rows ({len(lines) - 1}; at most {MAX_ROWS})")
    _check_duplicate_headers(header, name)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{name}: malformed CSV ({exc})") from exc
    if df.empty:
        raise InputError(f"{name}: no data rows below the header")
    if len(lines) < len(text.splitlines()):  # blank lines: pandas skipped them, the spreadsheet shows them
        df.index = record_positions(text, sep, len(df))
    return _clean_headers(df, name)


def record_positions(text: str, sep: str, n: int) -> pd.Index:
    """Each data record's 0-based position in a CSV counting blank lines, as a spreadsheet numbers rows.

    Parameters
    ----------
    text : str
        The CSV text.
    sep : str
        Its delimiter.
    n : int
        The number of data records pandas read (blank lines skipped).

    Returns
    -------
    pandas.Index
        Position ``p`` is spreadsheet row ``p + 2`` (:data:`geo_app.errors.TABLE_ROWS`): a record
        after two blank lines is two rows further down than its count says. Where the csv module
        and pandas disagree on the records (malformed quoting), ``0 … n-1``.
    """
    kept: list[int] = []
    header_seen = False
    for i, record in enumerate(csv.reader(io.StringIO(text), delimiter=sep)):
        if len(record) <= 1 and not "".join(record).strip():
            continue  # a blank line: pandas skips it
        if header_seen:
            kept.append(i - 1)
        header_seen = True
    return pd.Index(kept) if len(kept) == n else pd.RangeIndex(n)


def _check_duplicate_headers(header: Sequence[object], name: str) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = str(h).strip()
        if key and key in seen:
            raise InputError(
                f"{name}: column header {key!r} is used twice (columns {seen[key] + 1} and {i + 1}); rename one of them"
            )
        seen[key] = i


def xlsx_errors() -> tuple[type[Exception], ...]:
    """What reading a damaged workbook raises: :data:`XLSX_ERRORS` and openpyxl's ``InvalidFileException``."""
    from openpyxl.utils.exceptions import InvalidFileException

    return (*XLSX_ERRORS, InvalidFileException)


def check_xlsx_container(path: Path, name: str) -> None:
    """Refuse a workbook whose zip declares too much (a zip bomb) before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name}: not a readable .xlsx workbook (not a zip archive: {exc})") from exc
    if len(infos) > MAX_XLSX_MEMBERS:
        raise LimitError(f"{name}: the workbook has {len(infos)} parts (at most {MAX_XLSX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise LimitError(
            f"{name}: the workbook unpacks to {total / MB:.0f} MB (at most {MAX_XLSX_UNCOMPRESSED / MB:.0f} MB); "
            "save a smaller extract"
        )
    for i in infos:
        if i.file_size > 1 * MB and i.file_size > MAX_XLSX_RATIO * max(i.compress_size, 1):
            raise LimitError(
                f"{name}: part {i.filename!r} unpacks {i.file_size // max(i.compress_size, 1)}-fold "
                f"(at most {MAX_XLSX_RATIO}); the file looks like a zip bomb"
            )
    sheets = [i.filename for i in infos if re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename)]
    if len(sheets) > MAX_SHEETS:
        raise LimitError(f"{name}: the workbook has {len(sheets)} sheets (at most {MAX_SHEETS})")


def _check_xlsx_dimensions(path: Path, name: str) -> None:
    """Rows and columns of the first sheet, from its declared dimension or by streaming (capped)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except xlsx_errors() as exc:
        raise FileFormatError(f"{name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if len(wb.sheetnames) > MAX_SHEETS:
            raise LimitError(f"{name}: the workbook has {len(wb.sheetnames)} sheets (at most {MAX_SHEETS})")
        ws = wb.worksheets[0]
        rows, cols = ws.max_row, ws.max_column  # from the sheet's <dimension>, when declared
        if rows is not None and rows > MAX_ROWS + 1:
            raise LimitError(f"{name}: the first sheet has {rows} rows (at most {MAX_ROWS})")
        if cols is not None and cols > MAX_COLUMNS:
            raise LimitError(f"{name}: the first sheet has {cols} columns (at most {MAX_COLUMNS})")
        if rows is None or cols is None:
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > MAX_ROWS + 1:
                    raise LimitError(f"{name}: the first sheet has more than {MAX_ROWS} rows")
                if len(row) > MAX_COLUMNS:
                    raise LimitError(f"{name}: the first sheet has {len(row)} columns (at most {MAX_COLUMNS})")
        header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        _check_duplicate_headers([h for h in header if h is not None], name)
    finally:
        wb.close()


def read_xlsx(path: Path, name: str) -> pd.DataFrame:
    """First sheet of an Excel workbook as text cells (openpyxl), after the size and shape checks."""
    check_xlsx_container(path, name)
    _check_xlsx_dimensions(path, name)
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl", keep_default_na=False)
    except xlsx_errors() as exc:
        raise FileFormatError(f"{name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    if df.empty:
        raise InputError(f"{name}: the first sheet has no data rows")
    return _clean_headers(df, name)


def _clean_headers(df: pd.DataFrame, name: str) -> pd.DataFrame:
    df.columns = [str(c).strip() for c in df.columns]
    if any(c == "" or c.startswith("Unnamed:") for c in df.columns):
        raise InputError(f"{name}: a column has no header (header row: {list(df.columns)})")
    dup = [c for c in df.columns if list(df.columns).count(c) > 1]
    if dup:
        raise InputError(f"{name}: column header used twice: {sorted(set(dup))}")
    return df.apply(lambda s: s.astype(str).str.strip())


def read_jsonstat(data: bytes, name: str) -> pd.DataFrame:
    """A JSON-stat 2.0 ``dataset`` as a long table.

    Returns
    -------
    pandas.DataFrame
        Columns ``<geo dim>`` (category code), ``<geo dim>_label``, ``year`` (if a time
        dimension exists) and one column per category of the metric dimension (named by
        its label), values as text. The geo dimension is the one with role ``geo`` (else
        the first that is neither time nor metric).
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except RecursionError as exc:
        raise InputError(f"{name}: the JSON is nested too deeply to be a JSON-stat dataset") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or str(doc.get("version", "")) != "2.0":
        raise InputError(f'{name}: not a JSON-stat 2.0 dataset (need "version": "2.0" and "class": "dataset")')
    try:
        ids, sizes, dims = list(doc["id"]), [int(s) for s in doc["size"]], doc["dimension"]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{name}: JSON-stat dataset lacks 'id', 'size' or 'dimension' ({exc})") from exc
    if len(ids) != len(sizes):
        raise InputError(f"{name}: JSON-stat 'id' and 'size' differ in length")
    if len(ids) > MAX_JSONSTAT_DIMENSIONS:
        raise LimitError(f"{name}: JSON-stat dataset has {len(ids)} dimensions (at most {MAX_JSONSTAT_DIMENSIONS})")
    if any(n < 1 for n in sizes):
        raise InputError(f"{name}: JSON-stat 'size' has a dimension of size {min(sizes)}")
    cells = math.prod(sizes)  # exact (Python integers): checked before anything is allocated
    if cells > MAX_CELLS:
        raise LimitError(
            f"{name}: JSON-stat dataset describes {cells:,} cells (sizes {sizes}); at most {MAX_CELLS:,}".replace(
                ",", " "
            )
        )
    cats = {d: _categories(dims, d, n, name) for d, n in zip(ids, sizes, strict=False)}
    role = doc.get("role", {})
    time = (role.get("time") or [d for d in ids if d.lower() in ("tid", "time", "year", "år")] or [None])[0]
    metric = (role.get("metric") or [d for d in ids if d.lower() == "contentscode"] or [None])[0]
    geo = (role.get("geo") or [d for d in ids if d not in (time, metric)] or [None])[0]
    if geo is None:
        raise InputError(f"{name}: JSON-stat dataset has no region dimension")
    total = int(np.prod(sizes))
    values = _values(doc.get("value"), total, name)
    grid = np.unravel_index(np.arange(total), sizes)  # row-major, as JSON-stat specifies
    long = pd.DataFrame({d: np.asarray(cats[d][0], dtype=object)[grid[i]] for i, d in enumerate(ids)})
    long["value"] = values
    other = [d for d in ids if d not in (geo, time, metric) and len(cats[d][0]) > 1]
    if other:
        raise InputError(f"{name}: JSON-stat dimension(s) {other} have several categories; filter the table to one")
    index = [geo] + ([time] if time else [])
    if metric:
        long[metric] = long[metric].map(dict(zip(*cats[metric], strict=False)))
        wide = long.pivot_table(index=index, columns=metric, values="value", aggfunc="first", sort=False)
        wide = wide.reset_index()
        wide.columns.name = None
    else:
        wide = long[index + ["value"]].rename(columns={"value": doc.get("label", "value")})
    wide.insert(1, f"{geo}_label", wide[geo].map(dict(zip(*cats[geo], strict=False))))
    if time:
        wide = wide.rename(columns={time: "year"})
    return wide.astype(str).replace({"None": "", "nan": ""})


def _categories(dims: dict[str, Any], d: str, n: int, name: str) -> tuple[list[str], list[str]]:
    """``(codes, labels)`` of a dimension, in index order."""
    try:
        cat = dims[d]["category"]
    except (KeyError, TypeError) as exc:
        raise InputError(f"{name}: JSON-stat dimension {d!r} has no 'category'") from exc
    index = cat.get("index")
    labels = cat.get("label", {})
    if index is None:
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    else:
        codes = [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    if len(codes) != n:
        raise InputError(f"{name}: JSON-stat dimension {d!r} has {len(codes)} categories but size says {n}")
    return codes, [str(labels.get(c, c)) for c in codes]


def _values(raw: object, total: int, name: str) -> list[object]:
    if isinstance(raw, list):
        if len(raw) != total:
            raise InputError(f"{name}: JSON-stat 'value' has {len(raw)} entries, expected {total}")
        return raw
    if isinstance(raw, dict):  # sparse form {"index": value}
        out: list[object] = [None] * total
        for k, v in raw.items():
            try:
                i = int(k)
            except ValueError:
                i = -1
            if not 0 <= i < total:
                raise InputError(
                    f"{name}: JSON-stat 'value' index {k!r} is outside the cube (0–{total - 1}); "
                    "the file is inconsistent"
                )
            out[i] = v
        return out
    raise InputError(f"{name}: JSON-stat dataset has no 'value'")


def parse_numbers(column: pd.Series, header: str, name: str, origin: RowOrigin = TABLE_ROWS) -> pd.Series:
    """Text cells → float (decimal comma or point, spaces as thousands separators).

    Parameters
    ----------
    column : pandas.Series
        Text cells indexed by record position (as :func:`read_table` returns them).
    header, name : str
        The column's header and the file's name, for messages.
    origin : RowOrigin
        How the file numbers its records (:data:`geo_app.errors.TABLE_ROWS`: header is row 1).

    Returns
    -------
    pandas.Series
        Floats; empty cells and SCB's ``..`` are missing (NaN).

    Raises
    ------
    ValidationError
        Naming the first cell that is not a (finite) number, or whose separators are ambiguous.
    """
    text = column.astype(str).str.translate(SPACES).str.replace("\u2212", "-", regex=False)
    missing = text.str.casefold().isin(MISSING_MARKERS)
    _check_separators(text.where(~missing, ""), column, header, name, origin)
    comma = text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)
    text = text.where(~comma, text.str.replace(",", ".", regex=False))
    # only plain decimal numbers: "inf", "nan", "1e309" or hex are not figures from a statistics table
    plain = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?")
    values = pd.to_numeric(text.where(~missing & plain.fillna(False)), errors="coerce")
    bad = (values.isna() | ~np.isfinite(values.fillna(0))) & ~missing
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValidationError(
            f"{where(name, column.index[pos], header, origin)}: {column.iloc[pos]!r} is not a (finite) number"
        )
    return values.astype(float)


_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?\d*,\d+")
_POINT_DECIMAL = re.compile(r"[+-]?\d*\.\d+([eE][+-]?\d+)?")


def _check_separators(text: pd.Series, column: pd.Series, header: str, name: str, origin: RowOrigin) -> None:
    """Refuse English thousands separators ("1,234", "1,234.5") and columns mixing decimal comma and point."""

    def refuse(mask: pd.Series, why: str) -> None:
        pos = int(np.flatnonzero(mask.to_numpy())[0])
        raise ValidationError(f"{where(name, column.index[pos], header, origin)}: {column.iloc[pos]!r} {why}")

    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    if both.any():
        refuse(both, "has both ',' and '.' (English thousands separators?); write the number without them")
    several = text.str.count(",") > 1
    if several.any():
        refuse(several, "has several commas (English thousands separators?); write the number without them")
    comma = text.str.fullmatch(_COMMA_DECIMAL).fillna(False)
    point = text.str.fullmatch(_POINT_DECIMAL).fillna(False)
    if comma.any() and point.any():
        refuse(
            comma if comma.idxmax() > point.idxmax() else point,
            "mixes decimal comma and decimal point with other rows of the column; use one",
        )
    thousands = text.str.fullmatch(_THOUSANDS).fillna(False)
    if comma.any() and thousands[comma].all():
        refuse(
            thousands,
            "is ambiguous: English thousands (1234) or a Swedish decimal (1.234)? Every comma in the column "
            "has three digits after it; write whole numbers without separators, or decimals with fewer digits",
        )


def looks_numeric(column: pd.Series) -> float:
    """Share of the non-missing cells that parse as numbers (0–1)."""
    text = column.astype(str).str.translate(SPACES)
    present = ~text.str.casefold().isin(MISSING_MARKERS)
    if not present.any():
        return 0.0
    num = pd.to_numeric(text[present].str.replace(",", ".", regex=False), errors="coerce")
    return float((num.notna() & np.isfinite(num.fillna(0))).mean() if len(num) else 0.0)


def geo_errors() -> tuple[type[Exception], ...]:
    """What pyogrio raises for a file GDAL cannot read (its data source and layer errors, bad values, I/O)."""
    return (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, OSError)


def check_geo_file(path: Path, name: str) -> None:
    """Size, layers and feature count of a GeoJSON/GeoPackage, checked before its features are read.

    A file with several layers is refused naming them (which one is the office list is not guessed).
    """
    check_size(name, path.stat().st_size, path.suffix.lower() if path.suffix.lower() != ".json" else ".geojson")
    try:
        layers = pyogrio.list_layers(path)
    except geo_errors() as exc:
        raise FileFormatError(f"{name}: not a readable GeoJSON/GeoPackage file ({exc})") from exc
    if len(layers) > 1:
        names = ", ".join(repr(str(lyr[0])) for lyr in layers[:10])
        raise InputError(
            f"{name}: the file has {len(layers)} layers ({names}); save the office layer alone in its own file"
        )
    try:
        features = pyogrio.read_info(path)["features"]
    except geo_errors() as exc:
        raise FileFormatError(f"{name}: not a readable GeoJSON/GeoPackage file ({exc})") from exc
    check_office_count(int(features), name)


def check_office_count(n: int, name: str) -> None:
    """Refuse an office list longer than :data:`MAX_FEATURES` (no agency has that many offices)."""
    if n > MAX_FEATURES:
        raise LimitError(f"{name}: {n} offices is more than an office list can hold (at most {MAX_FEATURES})")
