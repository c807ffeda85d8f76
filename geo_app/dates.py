"""The as-of date: parsed once where it enters (a CLI option, a page's URL state, the brief), a date inside.

Everything past the entry point takes a :class:`datetime.date` (``None`` = today);
:func:`geo_app.analysis.source_dates.check_as_of` checks its range.
"""

from __future__ import annotations

from datetime import date

from geo_app.errors import InputError


def parse_day(text: str | None, what: str = "as-of date") -> date | None:
    """``YYYY-MM-DD`` → a date; ``None`` for no text; :class:`InputError` naming ``what`` otherwise."""
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise InputError(f"{what}: not a date: {text!r} (expected a date YYYY-MM-DD)") from exc
