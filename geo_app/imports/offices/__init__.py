"""Import the user's own list of offices (CSV, XLSX, GeoJSON or GeoPackage points).

:func:`prepare_offices` reads and validates a file and returns an :class:`OfficeImport`
(a preview, nothing written); :func:`save_offices` stores it atomically (see
:mod:`geo_app.data.user_store`). Stored lists are merged with the embedded one by
:func:`geo_app.analysis.presence.merge_offices`. Every row is placed at the best precision
the file allows:

``coordinates``
    the file gives coordinates: WGS84 latitude/longitude or SWEREF 99 TM E/N
    (detected from the values, or stated with ``crs``); GeoJSON/GeoPackage points;
``area``, ``town``, ``kommun``
    an address row: the postal code (or a kommun column) gives the kommun, then the
    office name or town is matched like the embedded list (:func:`geo_app.analysis.presence.geocode`).
    Street addresses are not geocoded (no address register is embedded).

Rejected with an :class:`~geo_app.errors.InputError` naming file, row (or feature) and
column (:func:`geo_app.errors.where`): missing name or location columns, latitude/longitude
swapped, coordinates in another CRS, points in the sea or abroad, duplicate offices, unknown
postal codes, kommuner or statuses, dates that are not dates (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``), a closing date before the opening date.

Agency ``kommun`` is kommun collaboration (kommunsamverkan): service points where Af meets
jobseekers through the kommun, and per kommun the agreement status (columns ``avtal`` /
``samstart``, ja/nej). A ``replace`` list is a complete list: the agency counts as complete
(a kommun without an office in it is "known to have none") from ``list_date``.

Modules, in the order a file goes through them:

``read``
    the file into text cells (tables through :mod:`geo_app.imports.reader`, GIS points through pyogrio);
``columns``
    which column is the name, the coordinates, the postal code … (by header);
``crs``
    which coordinate system the coordinates are in, and SWEREF 99 TM;
``validate``
    names, agencies, duplicates, statuses, dates, ja/nej, points inside Sweden;
``geocode``
    kommun from postal code/kommun/town, and a place for rows without coordinates;
``prepare``
    :func:`prepare_offices` putting them together, :class:`OfficeImport`, :func:`save_offices`.
"""

from geo_app.imports.offices.columns import AGENCY_CHOICES, HEADERS, find_columns
from geo_app.imports.offices.prepare import OfficeImport, prepare_offices, save_offices
from geo_app.imports.offices.read import GEO_SUFFIXES, read_points_file
from geo_app.imports.offices.validate import STATUS_WORDS

__all__ = [
    "AGENCY_CHOICES",
    "GEO_SUFFIXES",
    "HEADERS",
    "STATUS_WORDS",
    "OfficeImport",
    "find_columns",
    "prepare_offices",
    "read_points_file",
    "save_offices",
]
