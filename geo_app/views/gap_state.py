"""The Närvaroluckor page's view in the URL: the gap rule, the as-of dates, the place; a typed codec.

``?g_year=2023&g_types=1,2&g_ind=…&g_above=20.0&g_km=20.0&g_ag=af,ssc&g_asof=2026-06-01``
``&g_asof2=2023-01-01&g_lan=12&g_kommun=1280&g_measure=road&g_min=30.0``. Unknown or hostile values
fall back to the default (never an exception); dates are parsed by :func:`geo_app.dates.parse_day`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from geo_app.analysis.gap_rule import DEFAULT_ABOVE, RuleOptions, default_indicator, indicator_layers
from geo_app.analysis.gaps import CHALLENGED_TYPES, DEFAULT_MAX_KM, DEFAULT_MAX_MIN
from geo_app.analysis.routing import ROAD, STRAIGHT
from geo_app.layers.bundle import Bundle
from geo_app.views import url_codec
from geo_app.views.gap_view import parse_threshold, parse_types, threshold_text
from geo_app.views.scenario_view import KM_RANGE

MINUTES_RANGE = (5.0, 120.0)  # the road measure's minutes slider
URL_KEYS = (
    "g_year",
    "g_types",
    "g_ind",
    "g_above",
    "g_km",
    "g_ag",
    "g_asof",
    "g_asof2",
    "g_lan",
    "g_kommun",
    "g_measure",
    "g_min",
)


@dataclass(frozen=True)
class GapState:
    """What a gap-page link holds: the rule, the as-of date (and one to compare with), the place shown.

    ``as_of`` is always written to the URL, so a shared link shows the same day's presence.
    ``max_min`` is the road measure's limit (used when ``measure`` is ``"road"``).
    """

    year: int
    indicator: str = "none"
    types: tuple[int, ...] = CHALLENGED_TYPES
    above: float = DEFAULT_ABOVE
    max_km: float = DEFAULT_MAX_KM
    agencies: tuple[str, ...] = ("af", "ssc")
    as_of: date = field(default_factory=date.today)
    as_of2: date | None = None
    lan: str = ""
    kommun: str = ""
    measure: str = STRAIGHT
    max_min: float = DEFAULT_MAX_MIN

    def rule_options(self) -> RuleOptions:
        """The gap rule's options (the same builder as the CLI and the Scenario page)."""
        return RuleOptions(
            year=self.year,
            types=self.types,
            indicator=self.indicator,
            above=self.above,
            max_km=self.max_km,
            agencies=self.agencies,
            measure=self.measure,
            max_min=self.max_min if self.measure == ROAD else None,
        )


@dataclass(frozen=True)
class GapOptions:
    """What a gap-page link may name: områdestyp years, indicator ids, län and kommun codes."""

    years: Sequence[int]
    indicators: Collection[str]
    lans: Collection[str]
    kommuner: Mapping[str, str]  # kommun code → its län code


def defaults_for(bundle: Bundle) -> GapState:
    """The page's defaults: the declared områdestyp year, the default indicator, today."""
    default = default_indicator(bundle.layers)
    return GapState(year=bundle.types_year, indicator=default.id if default else "none")


def options_for(bundle: Bundle) -> GapOptions:
    """What the bundle offers: områdestyp years, ``"none"`` and the rule's indicators, län and kommuner."""
    return GapOptions(
        years=tuple(bundle.layers["omradestyp"].years),
        indicators=("none", *[s.id for s in indicator_layers(bundle.layers)]),
        lans=frozenset(map(str, bundle.lan.index)),
        kommuner=bundle.kommun["lanskod"].astype(str).to_dict(),
    )


def decode(params: Mapping[str, object], defaults: GapState, options: GapOptions) -> tuple[GapState, list[str]]:
    """The gap page's state from a link; also the query keys whose values were refused (they keep the default).

    A kommun outside the link's län is dropped; a kommun without a län stays (the page lists every kommun).
    """
    state, refused = url_codec.decode_fields(
        params,
        defaults,
        {
            "g_year": ("year", url_codec.int_of(options.years)),
            "g_types": ("types", _types),
            "g_ind": ("indicator", url_codec.one_of(options.indicators)),
            "g_above": ("above", _above),
            "g_km": ("max_km", url_codec.float_in(*KM_RANGE)),
            "g_ag": ("agencies", url_codec.agencies),
            "g_asof": ("as_of", url_codec.as_of_day),
            "g_asof2": ("as_of2", url_codec.as_of_day),
            "g_lan": ("lan", url_codec.one_of(options.lans)),
            "g_kommun": ("kommun", url_codec.one_of(options.kommuner)),
            "g_measure": ("measure", url_codec.one_of((STRAIGHT, ROAD))),
            "g_min": ("max_min", url_codec.float_in(*MINUTES_RANGE)),
        },
    )
    if state.kommun and state.lan and options.kommuner[state.kommun] != state.lan:
        state, refused = replace(state, kommun=""), [*refused, "g_kommun"]
    return state, refused


def encode(state: GapState) -> dict[str, str | None]:
    """Query parameters for ``state``; ``None`` removes one (no second date, no place, straight-line measure)."""
    by_road = state.measure == ROAD
    return {
        "g_measure": ROAD if by_road else None,
        "g_min": url_codec.number_text(state.max_min) if by_road or state.max_min != DEFAULT_MAX_MIN else None,
        "g_year": str(state.year),
        "g_types": ",".join(map(str, state.types)),
        "g_ind": state.indicator,
        "g_above": url_codec.number_text(state.above),
        "g_km": url_codec.number_text(state.max_km),
        "g_ag": ",".join(state.agencies),
        "g_asof": state.as_of.isoformat(),
        "g_asof2": state.as_of2.isoformat() if state.as_of2 else None,
        "g_lan": state.lan or None,
        "g_kommun": state.kommun or None,
    }


def widget_values(state: GapState) -> dict[str, object]:
    """The page's widget keys and values for ``state`` (``g_ag``: the agencies' default, not a widget)."""
    return {
        "g_year": state.year,
        "g_types": ",".join(map(str, state.types)),
        "g_ind": state.indicator,
        "g_above": threshold_text(state.above),
        "g_km": float(state.max_km),
        "g_ag": ",".join(state.agencies),
        "g_asof": state.as_of,
        "g_asof2": state.as_of2,
        "g_lan": state.lan,
        "g_kommun": state.kommun,
        "g_measure": state.measure,
        "g_min": float(state.max_min),
    }


def _types(text: str) -> tuple[int, ...]:
    types = parse_types(text)
    if types is None:
        raise ValueError(text)
    return types


def _above(text: str) -> float:
    value = parse_threshold(text)  # also a Swedish "12,5"
    if value is None or value == float("inf"):
        raise ValueError(text)
    return value
