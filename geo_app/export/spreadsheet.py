"""Tables as downloads, kept for callers of ``spreadsheet.to_xlsx`` (e.g. the scenario workbook).

The one implementation is :mod:`geo_app.export.tables` (XLSX with the index as columns, formula-safe
text cells). Here floats keep 6 decimals (coordinates), as these callers expect.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo_app.export import tables

KEEP_DECIMALS = 6


def to_xlsx(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """Several tables as one workbook, one sheet each (floats to 6 decimals; text never a formula)."""
    return tables.to_xlsx(frames, default_decimals=KEEP_DECIMALS)
