"""Reading the user's own files: tables, indicator figures and office lists, validated before use.

``reader`` (CSV/XLSX/JSON-stat tables), ``indicators`` (indicator imports), ``offices``
(office list imports: a sub-package with one module per step, see its docstring).
Every message names file, row (or feature) and column through :func:`geo_app.errors.where`.
"""

from geo_app.imports import indicators, offices, reader

__all__ = ["indicators", "offices", "reader"]
