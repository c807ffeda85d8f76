"""The Jämför page's view in the URL: level, compared units, year, chart indicator, peer kommun; a typed codec.

``?c_level=kommun&c_codes=1280,0180&c_year=2023&c_ind=arbetsloshet_scb&c_sim=1280``. Unknown or
hostile values fall back to the default (never an exception); unknown unit codes are dropped, the
rest kept (at most :data:`~geo_app.views.compare_view.MAX_UNITS`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from geo_app.analysis.compare import LEVELS
from geo_app.layers.bundle import Bundle
from geo_app.views import url_codec
from geo_app.views.compare_view import MAX_UNITS, compared_layers

URL_KEYS = ("c_level", "c_codes", "c_year", "c_ind", "c_sim")


@dataclass(frozen=True)
class CompareState:
    """What a Jämför link holds.

    ``indicator`` (the chart's layer) and ``similar`` (the kommun whose peers are listed) are ``""``
    until chosen: the page picks them from the units.
    """

    year: int
    level: str = "kommun"
    codes: tuple[str, ...] = ()
    indicator: str = ""
    similar: str = ""


@dataclass(frozen=True)
class CompareOptions:
    """What a Jämför link may name: områdestyp years, unit codes per level, chart layers, kommuner."""

    years: Sequence[int]
    units: Mapping[str, Collection[str]]  # level → its known codes
    layers: Collection[str]


def options_for(bundle: Bundle) -> CompareOptions:
    """The bundle's years, kommun/län/area codes and compared layers."""
    return CompareOptions(
        years=tuple(bundle.layers["omradestyp"].years),
        units={
            "kommun": frozenset(map(str, bundle.kommun.index)),
            "lan": frozenset(map(str, bundle.lan.index)),
            "regso": frozenset(map(str, bundle.regso.index)),
        },
        layers=frozenset(s.id for s in compared_layers(bundle)),
    )


def decode(
    params: Mapping[str, object], defaults: CompareState, options: CompareOptions
) -> tuple[CompareState, list[str]]:
    """The page's state from a link; also the query keys whose values were (partly) refused."""
    state, refused = url_codec.decode_fields(
        params,
        defaults,
        {
            "c_level": ("level", url_codec.one_of(LEVELS)),
            "c_year": ("year", url_codec.int_of(options.years)),
            "c_ind": ("indicator", url_codec.one_of(options.layers)),
            "c_sim": ("similar", url_codec.one_of(options.units["kommun"])),
        },
    )
    raw, text = params.get("c_codes"), url_codec.read(params, "c_codes")
    if text is None:
        if raw is not None and str(raw).strip():  # too long
            refused.append("c_codes")
        return state, refused
    wanted = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    codes = tuple(c for c in wanted if c in options.units[state.level])[:MAX_UNITS]
    if len(codes) < len(wanted):
        refused.append("c_codes")
    return replace(state, codes=codes), refused


def encode(state: CompareState) -> dict[str, str | None]:
    """Query parameters for ``state`` (as the page has always written them); ``None`` removes one."""
    return {
        "c_level": state.level,
        "c_codes": ",".join(state.codes),
        "c_year": str(state.year),
        "c_ind": state.indicator or None,
        "c_sim": state.similar or None,
    }


def widget_values(state: CompareState) -> dict[str, object]:
    """The page's widget keys and values (``c_codes``: the selection kept between visits, not a widget)."""
    return {
        "c_level": state.level,
        "c_codes": ",".join(state.codes),
        "c_year": state.year,
        "c_ind": state.indicator,
        "c_sim": state.similar,
    }
