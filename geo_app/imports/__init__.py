"""Reading the user's own files: tables, indicator figures and office lists, validated before use.

``reader`` (CSV/XLSX/JSON-stat tables), ``indicators`` (indicator imports), ``offices``
(office list imports).
"""

from geo_app.imports import indicators, offices, reader

__all__ = ["indicators", "offices", "reader"]
