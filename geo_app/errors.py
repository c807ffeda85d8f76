"""Exceptions with messages meant for a person.

``InputError`` is bad input (a file, a code, an option): the CLI exits 2.
Anything else is unexpected: the CLI exits 1.
"""


class InputError(ValueError):
    """Invalid input, described so the user can fix it."""


class DataMissingError(InputError):
    """A required data file is missing (for example, derived data not built)."""
