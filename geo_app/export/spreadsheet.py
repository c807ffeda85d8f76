"""Tables as downloads, kept for callers of ``spreadsheet.to_xlsx``.

The one implementation is :mod:`geo_app.export.tables` (Swedish Excel CSV, XLSX with an
"about" sheet, formula-safe).
"""

from __future__ import annotations

from geo_app.export.tables import to_csv, to_xlsx

__all__ = ["to_csv", "to_xlsx"]
