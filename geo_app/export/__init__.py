"""Files for other tools: the styled GeoPackage (``gpkg``, ``qml``) and table downloads (``tables``)."""

from geo_app.export import gpkg, qml, spreadsheet

__all__ = ["gpkg", "qml", "spreadsheet"]
