"""Dates as public sources give them: days, months and years as intervals, bounds (pure).

A source's date is a **bound**: an event dated ``2025-01`` happened some day in January 2025, one
stated on the source's own date D happened no later than D. :func:`event_bounds` turns an event's
date, its source's date and its note into ``(earliest, certain)``: the first day it may have
happened and the first day it certainly had.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

from geo_app.errors import InputError

DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
EARLIEST = date(1900, 1, 1)
AS_OF_RANGE = (date(2015, 1, 1), date(2035, 12, 31))
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        )
    )
}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    s = str(value).strip()
    return "" if s.casefold() in ("nan", "<na>", "none") else s


def parse_when(text: object) -> tuple[date, date] | None:
    """A date text as ``(first day, first day after)``; ``None`` when empty.

    ``"2025-01-07"`` → (2025-01-07, 2025-01-08); ``"2025-01"`` → (2025-01-01, 2025-02-01);
    ``"2024"`` → (2024-01-01, 2025-01-01).

    Raises
    ------
    InputError
        The text is not one of the three forms or not a real day.
    """
    s = _text(text)
    if not s:
        return None
    m = DATE_RE.fullmatch(s)
    if not m:
        raise InputError(f"not a date: {s!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        if d:
            start = date(y, int(mo), int(d))
            return start, start + timedelta(days=1)
        if mo:
            start = date(y, int(mo), 1)
            return start, (date(y + 1, 1, 1) if start.month == 12 else date(y, start.month + 1, 1))
        return date(y, 1, 1), date(y + 1, 1, 1)
    except ValueError as exc:
        raise InputError(f"not a date: {s!r}") from exc


def certain_from(text: object) -> date | None:
    """The first day on which an event dated ``text`` has certainly happened.

    A day is itself; a month or a year is over on the first day after it.
    """
    span = parse_when(text)
    if span is None:
        return None
    start, end = span
    return start if end - start == timedelta(days=1) else end


def check_as_of(as_of: date | None) -> date:
    """An as-of date (default today) inside 2015–2035, else :class:`InputError`.

    Text is parsed once at the entry point (:func:`geo_app.dates.parse_day`), not here.
    """
    if as_of is None:
        return date.today()
    if not isinstance(as_of, date):
        raise TypeError(
            f"as-of date: expected a datetime.date (parse text with geo_app.dates.parse_day), got {as_of!r}"
        )
    if not AS_OF_RANGE[0] <= as_of <= AS_OF_RANGE[1]:
        raise InputError(f"as-of date {as_of.isoformat()} is outside {AS_OF_RANGE[0].year}–{AS_OF_RANGE[1].year}")
    return as_of


def closed_since(note: object) -> date | None:
    """The day a note's "stängt sedan …" names, if any.

    ``"stängt sedan årsskiftet 2024/2025"`` → 2025-01-01; ``"stängt sedan 2025-01-07"`` →
    2025-01-07; ``"stängt sedan mars 2024"`` → 2024-03-01; ``"stängt sedan 2023"`` → 2023-01-01.
    """
    t = str(note or "").casefold()
    m = re.search(r"stängt?\s+sedan\s+(.{0,40})", t)
    if not m:
        return None
    rest = m[1]
    if y := re.match(r"(?:års|nyårs)skiftet['\"’”]?\s*(\d{4})\s*/\s*(\d{2,4})", rest):
        return date(int(y[1]) + 1, 1, 1)
    if d := re.match(r"(\d{4})-(\d{2})-(\d{2})", rest):
        return date(int(d[1]), int(d[2]), int(d[3]))
    if (mo := re.match(r"([a-zåäö]+)\s+(\d{4})", rest)) and mo[1] in _MONTHS:
        return date(int(mo[2]), _MONTHS[mo[1]], 1)
    if y := re.match(r"(\d{4})\b", rest):
        return date(int(y[1]), 1, 1)
    return None


def event_bounds(event_date: object, source_date: object, note: object = "") -> tuple[date, date] | None:
    """When a stated event (a closure) happened: ``(earliest, certain)``; ``None`` without any date.

    ``certain`` is the first day the event had certainly happened: the exact day a note's
    "stängt sedan …" or the event's own day names; else the end of the event's interval — but
    never later than the source's own date (a source dated D that says "closed" means closed no
    later than D). ``earliest`` is the start of the event's interval (``certain`` when exact or
    undated). Between the two the event may or may not have happened yet.

    Examples: ``("2025", "2025-06-02")`` → (2025-01-01, 2025-06-02); ``("2025-01", "2025-04-10")``
    → (2025-01-01, 2025-02-01); ``("2025-03-14", "2025-03-20")`` → (2025-03-14, 2025-03-14).
    """
    if exact := closed_since(note):
        return exact, exact
    span = parse_when(event_date)
    said = certain_from(source_date)
    if span is None:
        return (said, said) if said else None
    certain = certain_from(event_date) or span[1]
    if said is not None and span[0] <= said < certain:
        certain = said
    return span[0], certain
