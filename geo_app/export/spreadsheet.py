"""Tables as downloads: one Excel workbook from several tables (pandas + openpyxl)."""

from __future__ import annotations

import io

import pandas as pd


def to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """Several tables as one Excel workbook, one sheet each (sheet names cut to Excel's 31 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name[:31])
    return buf.getvalue()
