"""The scenario in the URL: added points, closed offices, the rule; a typed codec that drops hostile values."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from geo_app.analysis import siting
from geo_app.analysis.gap_rule import DEFAULT_ABOVE, RuleOptions
from geo_app.analysis.gaps import CHALLENGED_TYPES, DEFAULT_MAX_KM
from geo_app.analysis.presence import AGENCIES
from geo_app.analysis.register import check_as_of
from geo_app.dates import parse_day
from geo_app.errors import InputError
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import declared_types_year
from geo_app.views import url_codec

MAX_POINTS = 50  # added points kept from a URL or the page
MAX_PARAM_CHARS = 4000  # longer URL values are refused whole
KM_RANGE = (1.0, 100.0)
ADD_KEY, REMOVE_KEY = "s_add", "s_rm"
RULE_KEYS = ("s_year", "s_types", "s_ind", "s_above", "s_km", "s_ag", "s_asof")
Problem = tuple[str, dict[str, object]]  # (string key, format arguments): translated by the page


@dataclass(frozen=True)
class NewPoint:
    """A what-if office: WGS84 degrees and an agency (af, ssc, other)."""

    lon: float
    lat: float
    agency: str = "af"


@dataclass(frozen=True)
class ScenarioState:
    """Everything a scenario link holds: the rule's choices, added points, closed office ids.

    ``year`` defaults to the declared default områdestyp year (``layers/omradestyp.toml``).
    """

    year: int = field(default_factory=declared_types_year)
    types: tuple[int, ...] = CHALLENGED_TYPES
    indicator: str = "default"
    above: float = DEFAULT_ABOVE
    max_km: float = DEFAULT_MAX_KM
    agencies: tuple[str, ...] = ("af", "ssc")
    as_of: date | None = None  # presence on this date; None = today
    points: tuple[NewPoint, ...] = ()
    removed: tuple[str, ...] = ()

    def rule(self, bundle: Bundle) -> siting.GapRule:
        """The gap rule (same builder as the gap page and the CLI)."""
        return bundle.gap_rule(
            RuleOptions(
                year=self.year,
                types=self.types,
                indicator=self.indicator,
                above=self.above,
                max_km=self.max_km,
                agencies=self.agencies,
            )
        )


def url_number(x: float) -> str:
    """A coordinate or threshold with at most 5 decimals (≈ 1 m), no trailing zeros."""
    text = f"{round(float(x), 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def encode_points(points: Iterable[NewPoint]) -> str:
    """``lon,lat:agency;lon,lat:agency`` (5 decimals)."""
    return ";".join(f"{url_number(p.lon)},{url_number(p.lat)}:{p.agency}" for p in points)


def decode_points(text: str | None, default_agency: str = "af") -> tuple[tuple[NewPoint, ...], list[Problem]]:
    """Parse :func:`encode_points` text; broken items are skipped with a problem each.

    Only syntax is checked here (numbers, degrees, agency, count); whether a point lies in
    Sweden is :func:`check_points`.
    """
    if not text:
        return (), []
    if len(text) > MAX_PARAM_CHARS:
        return (), [("scen.url.too_long", {"what": ADD_KEY, "n": MAX_PARAM_CHARS})]
    points: list[NewPoint] = []
    problems: list[Problem] = []
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        if len(points) >= MAX_POINTS:
            problems.append(("scen.url.too_many", {"n": MAX_POINTS}))
            break
        coords, _, agency = item.partition(":")
        agency = agency.strip() or default_agency
        try:
            lon, lat = (float(x) for x in coords.split(","))
        except ValueError:
            problems.append(("scen.url.bad_point", {"item": item[:60]}))
            continue
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            problems.append(("scen.url.bad_point", {"item": item[:60]}))
            continue
        if agency not in AGENCIES:
            problems.append(("scen.url.bad_agency", {"item": item[:60]}))
            continue
        points.append(NewPoint(round(lon, 5), round(lat, 5), agency))
    return tuple(points), problems


def encode_state(state: ScenarioState, defaults: ScenarioState | None = None) -> dict[str, str | None]:
    """Query parameters for ``state``; values equal to ``defaults`` (and empty lists) become ``None`` (removed)."""
    d = defaults or ScenarioState()
    values: dict[str, tuple[object, object]] = {
        "s_year": (state.year, d.year),
        "s_types": (",".join(map(str, state.types)), ",".join(map(str, d.types))),
        "s_ind": (state.indicator, d.indicator),
        "s_above": (url_number(state.above), url_number(d.above)),
        "s_km": (url_number(state.max_km), url_number(d.max_km)),
        "s_ag": (",".join(state.agencies), ",".join(d.agencies)),
        "s_asof": (state.as_of, d.as_of),
    }
    out: dict[str, str | None] = {k: (None if v == dv else str(v)) for k, (v, dv) in values.items()}
    out[ADD_KEY] = encode_points(state.points) or None
    out[REMOVE_KEY] = ",".join(state.removed) or None
    return out


def decode_state(
    params: Mapping[str, str | None],
    defaults: ScenarioState,
    *,
    years: Sequence[int],
    indicators: Sequence[str],
    office_ids: Iterable[str],
) -> tuple[ScenarioState, list[Problem]]:
    """A scenario from query parameters; every unusable value falls back to ``defaults`` with a problem.

    Parameters
    ----------
    params : mapping
        The URL's query parameters (strings).
    defaults : ScenarioState
        The page's defaults (e.g. the default indicator, the latest year).
    years, indicators : sequence
        Allowed områdestyp years and indicator ids (``"none"`` included by the caller).
    office_ids : iterable of str
        Ids of offices that can be closed.
    """
    problems: list[Problem] = []

    def get(key: str) -> str | None:
        value = params.get(key)
        if value is None or str(value).strip() == "":
            return None
        value = str(value)
        if len(value) > MAX_PARAM_CHARS:
            problems.append(("scen.url.too_long", {"what": key, "n": MAX_PARAM_CHARS}))
            return None
        return value.strip()

    def bad(key: str, value: str) -> None:
        problems.append(("scen.url.bad_value", {"param": key, "value": value[:60]}))

    state = defaults
    for key, (name, parse) in _rule_parsers(years, indicators).items():
        if (v := get(key)) is not None:
            try:
                state = replace(state, **{name: parse(v)})
            except (InputError, ValueError):
                bad(key, v)
    points, point_problems = decode_points(get(ADD_KEY), state.agencies[0])
    problems += point_problems
    removed: list[str] = []
    known = set(office_ids)
    for oid in dict.fromkeys(x.strip() for x in (get(REMOVE_KEY) or "").split(",") if x.strip()):
        if oid in known:
            removed.append(oid)
        else:
            problems.append(("scen.url.unknown_office", {"id": oid[:60]}))
    return replace(state, points=points, removed=tuple(removed)), problems


def _rule_parsers(years: Sequence[int], indicators: Sequence[str]) -> dict[str, tuple[str, Callable[[str], Any]]]:
    """URL key → (state field, parser); a parser raises ValueError (or InputError) for an unusable value."""
    return {
        "s_year": ("year", url_codec.int_of(years)),
        "s_types": ("types", _types),
        "s_ind": ("indicator", url_codec.one_of(indicators)),
        "s_above": ("above", _above),
        "s_km": ("max_km", url_codec.float_in(*KM_RANGE)),
        "s_ag": ("agencies", url_codec.agencies),
        "s_asof": ("as_of", _as_of),
    }


def _types(v: str) -> tuple[int, ...]:
    types = tuple(sorted({int(x) for x in v.split(",") if x.strip()}))
    if not types or not set(types) <= {1, 2, 3, 4, 5}:
        raise ValueError(v)
    return types


def _above(v: str) -> float:
    above = float(v)
    if not (math.isfinite(above) and above >= 0):
        raise ValueError(v)
    return above


def _as_of(v: str) -> date | None:
    day = parse_day(v)
    return None if day is None else check_as_of(day)
