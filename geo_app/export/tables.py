"""Tables as downloads (CSV and XLSX) for every page: Swedish Excel dialect, tidy numbers, no live formulas.

One module so every download behaves the same:

* **CSV** in the Swedish UI is what Swedish Excel opens with a double click: ``;`` between
  fields, decimal comma, UTF-8 *with* BOM (so å, ä, ö survive). The English UI gets ``,``
  and a decimal point (also with BOM).
* **Numbers** are rounded to the decimals the page shows (no ``48.941176470588236``);
  whole-number columns that pandas holds as floats because of a gap (years, counts) are
  written as integers (no ``2023.0``).
* **Formula safety**: text that starts with ``=``, ``+``, ``-``, ``@``, tab or CR (e.g.
  from an imported file's names) never becomes a live formula, in cells and in headers
  (an imported column's name heads columns). In CSV such text gets a leading ``'``
  (OWASP's advice); in XLSX every text, headers included, is written as a string cell
  (openpyxl would otherwise store ``=…`` as a formula). Numbers stay numbers. Streamlit's
  own table export (which writes formulas live) is switched off (``client.disableDataExport``).
* **XLSX**: one sheet per table with its index as ordinary columns (no ``Unnamed: 0``)
  and a first sheet ("Om tabellerna" / "About") that records the rule, threshold,
  as-of date, sources and kinds the page passes in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d\s\u00a0]*([.,]\d+)?%?$")
DEFAULT_DECIMALS = 2
# Coordinates keep ≈ 1 m (degrees) or 1 m (metres) unless a caller says otherwise.
COORDINATE_DECIMALS = {"lon": 5, "lat": 5, "e": 0, "n": 0}
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ABOUT_SHEET = {"sv": "Om tabellerna", "en": "About"}
ABOUT_HEADERS = {"sv": ("Uppgift", "Värde"), "en": ("Item", "Value")}


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet could run as a formula (``=1+1``, ``@SUM(…)``, ``-2+3``, tab/CR-prefixed).

    Plain numbers written as text (``-12,5``) are not formula-like.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return False
    return not _PLAIN_NUMBER.match(value)


def defuse(value: object) -> object:
    """Text that could be a formula, prefixed with ``'``; everything else unchanged."""
    return "'" + value if is_formula_like(value) and isinstance(value, str) else value


def _whole(col: pd.Series) -> bool:
    values = col.dropna()
    return bool(len(values)) and bool(np.all(np.isfinite(values))) and bool((values == values.round()).all())


def tidy(
    df: pd.DataFrame, decimals: Mapping[str, int] | None = None, default_decimals: int = DEFAULT_DECIMALS
) -> pd.DataFrame:
    """A copy with the index as columns (if it is named), floats rounded and whole-number floats as integers.

    Parameters
    ----------
    df : pandas.DataFrame
        A table as a page shows it (headers in the UI language).
    decimals : mapping, optional
        Column → decimals; other float columns get ``default_decimals`` (:data:`DEFAULT_DECIMALS`).
    default_decimals : int
        Decimals for float columns not in ``decimals`` (coordinates want 5 or more).
    """
    out = df.copy()
    named = any(name is not None for name in out.index.names)
    out = out.reset_index() if named else out.reset_index(drop=True)
    out.columns = [str(c) for c in out.columns]
    decimals = {**COORDINATE_DECIMALS, **dict(decimals or {})}
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_float_dtype(s):
            if _whole(s) and col not in decimals:
                out[col] = s.round().astype("Int64")
            else:
                out[col] = s.round(decimals.get(col, default_decimals))
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(lambda v: v if not isinstance(v, float) or v == v else None)
    return out


def to_csv(
    df: pd.DataFrame,
    lang: str = "sv",
    decimals: Mapping[str, int] | None = None,
    default_decimals: int = DEFAULT_DECIMALS,
) -> bytes:
    """The table as CSV bytes: Swedish Excel dialect (``;``, decimal comma) for ``sv``, else ``,`` and ``.``.

    Always UTF-8 with BOM; formula-like text is prefixed with ``'``.
    """
    out = defused(tidy(df, decimals, default_decimals))
    sep, dec = (";", ",") if lang == "sv" else (",", ".")
    text: str = out.to_csv(index=False, sep=sep, decimal=dec, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def defused(df: pd.DataFrame) -> pd.DataFrame:
    """A copy for a text file (CSV): formula-like headers and text cells prefixed with ``'``.

    Headers too: an imported column called ``=HYPERLINK(…)`` names an indicator, and that name
    heads a column of the page's tables. Index labels are not written; numbers stay numbers.
    """
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].astype(object).map(defuse)
    out.columns = pd.Index([defuse(str(c)) for c in out.columns], dtype=object)
    return out


def plain_csv(df: pd.DataFrame) -> str:
    """The CLI's CSV: pandas' dialect (``,``, decimal point, the index as the first column), formula-safe.

    Office names and imported column names reach these files too; they are opened in spreadsheets.
    """
    text: str = defused(df).to_csv()
    return text


def about_rows(items: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    """Label/value pairs for the "about" sheet, values as text."""
    return [(str(k), "" if v is None else str(v)) for k, v in items]


def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    about: Iterable[tuple[str, object]] = (),
    lang: str = "sv",
    decimals: Mapping[str, int] | None = None,
    default_decimals: int = DEFAULT_DECIMALS,
) -> bytes:
    """Several tables as one workbook: an "about" sheet (if given) first, then one sheet per table.

    Sheet names are cut to Excel's 31 characters; every text cell is a string cell (never a formula).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    sheets: list[tuple[str, pd.DataFrame]] = []
    rows = about_rows(about)
    if rows:
        sheets.append((ABOUT_SHEET.get(lang, ABOUT_SHEET["sv"]), pd.DataFrame(rows, columns=ABOUT_HEADERS[lang])))
    sheets += [(name, tidy(frame, decimals, default_decimals)) for name, frame in tables.items()]
    used: set[str] = set()
    for name, frame in sheets:
        title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Blad"
        while title in used:
            title = title[:29] + f"_{len(used)}"
        used.add(title)
        ws = wb.create_sheet(title)
        ws.append([_cell(ws, c) for c in frame.columns])
        for record in frame.itertuples(index=False):
            ws.append([_cell(ws, v) for v in record])
        for i, col in enumerate(frame.columns, start=1):
            width = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))], default=8)
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Worksheet, value: object) -> Cell | bool | int | float | None:
    """A value for ``ws.append``: numbers as numbers, missing as empty, text as an explicit string cell."""
    from openpyxl.cell.cell import Cell

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    cell = Cell(ws, row=1, column=1)  # ws.append moves it to its place
    cell.value = str(value)
    cell.data_type = "s"  # never "f": text is text, even when it starts with "="
    return cell
