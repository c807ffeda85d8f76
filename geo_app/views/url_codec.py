"""The pages' typed URL codecs (Karta, Närvaroluckor): read a bounded value, parse it or keep a default.

A page's state is a frozen dataclass; its codec module declares, per query parameter, the field it
fills and a parser that raises :class:`ValueError` (or :class:`~geo_app.errors.InputError`, a
``ValueError``) for an unusable value. :func:`decode_fields` applies them: an unusable value keeps
the default and is reported by key — never an exception. Dates are parsed by
:func:`geo_app.dates.parse_day` only (:func:`as_of_day`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from geo_app.analysis.presence import AGENCIES
from geo_app.analysis.source_dates import check_as_of
from geo_app.dates import parse_day

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

MAX_PARAM_CHARS = 4000  # longer URL values are refused whole
S = TypeVar("S", bound="DataclassInstance")  # a page's state: a dataclass
Parsers = Mapping[str, tuple[str, Callable[[str], Any]]]  # query key → (state field, parser)


def read(params: Mapping[str, object], key: str, max_chars: int = MAX_PARAM_CHARS) -> str | None:
    """A query parameter as stripped text; ``None`` when missing, empty or longer than ``max_chars``."""
    value = params.get(key)
    if value is None:
        return None
    text = str(value)
    if len(text) > max_chars:
        return None
    return text.strip() or None


def decode_fields(params: Mapping[str, object], defaults: S, parsers: Parsers) -> tuple[S, list[str]]:
    """``defaults`` with each parsable query parameter applied; also the keys whose value was refused.

    A value longer than :data:`MAX_PARAM_CHARS` is refused whole; an empty one is "not set".
    """
    state, refused = defaults, []
    for key, (name, parse) in parsers.items():
        raw = params.get(key)
        text = read(params, key)
        if text is None:
            if raw is not None and str(raw).strip():  # too long
                refused.append(key)
            continue
        try:
            state = replace(state, **{name: parse(text)})
        except ValueError:
            refused.append(key)
    return state, refused


def one_of(options: Collection[str]) -> Callable[[str], str]:
    """A parser accepting only the given codes or ids."""

    def parse(text: str) -> str:
        if text in options:
            return text
        raise ValueError(text)

    return parse


def int_of(options: Collection[int]) -> Callable[[str], int]:
    """A parser accepting only the given whole numbers (digits only: no signs, spaces or exponents)."""

    def parse(text: str) -> int:
        if text.isascii() and text.isdigit() and int(text) in options:
            return int(text)
        raise ValueError(text)

    return parse


def float_in(low: float, high: float) -> Callable[[str], float]:
    """A parser accepting a finite number in ``[low, high]``."""

    def parse(text: str) -> float:
        value = float(text)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(text)
        return value

    return parse


def agencies(text: str) -> tuple[str, ...]:
    """``af,ssc`` → ``("af", "ssc")``: known agencies, in the link's order, each once, at least one."""
    found = tuple(dict.fromkeys(a.strip() for a in text.split(",") if a.strip()))
    if not found or not set(found) <= set(AGENCIES):
        raise ValueError(text)
    return found


def as_of_day(text: str) -> date:
    """A ``YYYY-MM-DD`` as-of date (:func:`~geo_app.dates.parse_day`) inside the app's range."""
    return check_as_of(parse_day(text))


def number_text(value: float) -> str:
    """A float as the pages have always written it (``20.0``, ``12.5``): Python's exact round trip."""
    return str(float(value))
