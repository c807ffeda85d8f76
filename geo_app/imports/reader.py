"""Read a user's table file into text columns: CSV, XLSX or PxWeb JSON-stat 2.0.

Swedish Excel writes CSV with ``;`` and decimal comma, in UTF-8 with a BOM or in
Windows-1252; all of these are read. Every cell comes back as text (``str``);
:func:`parse_numbers` turns a column into numbers and says which cell is not one.
Errors are :class:`~geo_app.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo_app.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
MISSING_MARKERS = {"", "..", ".", "-", "–", "na", "n/a", "nan", "saknas"}
SPACES = str.maketrans("", "", " \u00a0\u202f\t")


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
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name}: the file is empty")
    if size > MAX_BYTES:
        raise InputError(f"{name}: the file is too large ({size / 1e6:.0f} MB; at most {MAX_BYTES / 1e6:.0f} MB)")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_text(decode(path.read_bytes(), name), name)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, name)
    if suffix in (".json", ".jsonstat"):
        return read_jsonstat(path.read_bytes(), name)
    raise InputError(f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .json (JSON-stat 2.0)")


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
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{name}: malformed CSV ({exc})") from exc
    if df.empty:
        raise InputError(f"{name}: no data rows below the header")
    return _clean_headers(df, name)


def read_xlsx(path: Path, name: str) -> pd.DataFrame:
    """First sheet of an Excel workbook as text cells (openpyxl)."""
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl", keep_default_na=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputError(f"{name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc
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


def _categories(dims: dict, d: str, n: int, name: str) -> tuple[list[str], list[str]]:
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


def _values(raw, total: int, name: str) -> list:
    if isinstance(raw, list):
        if len(raw) != total:
            raise InputError(f"{name}: JSON-stat 'value' has {len(raw)} entries, expected {total}")
        return raw
    if isinstance(raw, dict):  # sparse form {"index": value}
        out = [None] * total
        for k, v in raw.items():
            out[int(k)] = v
        return out
    raise InputError(f"{name}: JSON-stat dataset has no 'value'")


def parse_numbers(column: pd.Series, header: str, name: str, first_row: int = 2) -> pd.Series:
    """Text cells → float (decimal comma or point, spaces as thousands separators).

    Empty cells and SCB's ``..`` are missing. Raises InputError naming the first cell
    that is not a number (row numbers as a spreadsheet shows them: header is row 1).
    """
    text = column.astype(str).str.translate(SPACES).str.replace("\u2212", "-", regex=False)
    missing = text.str.casefold().isin(MISSING_MARKERS)
    comma = text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)
    text = text.where(~comma, text.str.replace(",", ".", regex=False))
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{name}: row {pos + first_row}, column {header!r}: {column.iloc[pos]!r} is not a number")
    return values.astype(float)


def looks_numeric(column: pd.Series) -> float:
    """Share of the non-missing cells that parse as numbers (0–1)."""
    text = column.astype(str).str.translate(SPACES)
    present = ~text.str.casefold().isin(MISSING_MARKERS)
    if not present.any():
        return 0.0
    num = pd.to_numeric(text[present].str.replace(",", ".", regex=False), errors="coerce")
    return float(num.notna().mean())
