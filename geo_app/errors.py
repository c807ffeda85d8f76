"""Exceptions with messages meant for a person, and one way to say where in a file a problem is.

``InputError`` is bad input (a file, a code, an option): the CLI exits 2. Its
sub-classes let callers tell cases apart; every message names what to fix.
Anything else is unexpected: the CLI exits 1.

Where a problem is, is said by :func:`where` only, in one format and from one row origin:
``"<file>: row 7, column 'andel'"``. Rows are numbered as a spreadsheet shows the file
(Excel, LibreOffice): the header is row 1, so the first record is row 2, and blank rows
count (:data:`TABLE_ROWS`). GeoJSON/GeoPackage features are numbered from 1 in file order
(:data:`FEATURES`). Code passes :func:`where` the record's 0-based position in the file,
never a number it computed itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class InputError(ValueError):
    """Invalid input, described so the user can fix it."""


class DataMissingError(InputError):
    """A required data file is missing (for example, derived data not built)."""


class FileFormatError(InputError):
    """A file cannot be read as what it claims to be (malformed, wrong encoding, unsupported kind)."""


class LimitError(InputError):
    """A file or request is larger than the configured limits (checked before the work is done)."""


class ValidationError(InputError):
    """A value in a readable file is wrong: an unknown key, a non-number, a value out of range."""


@dataclass(frozen=True)
class RowOrigin:
    """How a file numbers its records, so every message counts them the same way.

    Parameters
    ----------
    unit : str
        ``"row"`` for tables (the header is row 1, so the first record is row 2),
        ``"feature"`` for GeoJSON/GeoPackage features (the first is feature 1).
    first : int
        The number of the first record.
    """

    unit: str = "row"
    first: int = 2

    def number(self, position: int) -> int:
        """The number a person sees for the record at 0-based ``position``."""
        return int(position) + self.first

    def label(self, position: int) -> str:
        """``"row 7"`` (or ``"feature 6"``) for the record at 0-based ``position``."""
        return f"{self.unit} {self.number(position)}"

    def labels(self, positions: Iterable[int]) -> str:
        """``"rows [2, 3]"`` (or ``"features [1, 2]"``) for several records."""
        return f"{self.unit}s {[self.number(p) for p in positions]}"


TABLE_ROWS = RowOrigin("row", 2)
FEATURES = RowOrigin("feature", 1)


def where(file: str, position: int | None = None, column: str | None = None, origin: RowOrigin = TABLE_ROWS) -> str:
    """``"data.csv: row 7, column 'andel'"`` for a record at 0-based ``position``.

    Parameters
    ----------
    file : str
        The file name as the user knows it.
    position : int, optional
        0-based record position; omitted for file-level problems.
    column : str, optional
        Column (or property) name.
    origin : RowOrigin
        How the file numbers its records (:data:`TABLE_ROWS` or :data:`FEATURES`).

    Returns
    -------
    str
    """
    parts = [] if position is None else [origin.label(position)]
    if column is not None:
        parts.append(f"column {column!r}")
    return f"{file}: {', '.join(parts)}" if parts else file
