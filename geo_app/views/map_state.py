"""The Karta page's view in the URL: layer, year, län, kommun and the searched area; a typed codec.

``?layer=arbetsloshet_modell&year=2022&lan=12&kommun=1280&area=1280R002``. Unknown or hostile
values fall back to the default (never an exception); a kommun alone also picks its län.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from geo_app.layers.bundle import Bundle
from geo_app.views import url_codec

DEFAULT_LAYER = "omradestyp"
MAX_SEARCH_CHARS = 200  # a place or area searched for (the ``area`` parameter): longer text is refused
URL_KEYS = ("layer", "year", "lan", "kommun", "area")


@dataclass(frozen=True)
class MapState:
    """What a map link holds. ``year`` is ``None`` for a layer without years.

    ``area`` is an area code or the searched text (a district's name): the search box's value.
    """

    layer: str = DEFAULT_LAYER
    year: int | None = None
    lan: str = ""
    kommun: str = ""
    area: str = ""


@dataclass(frozen=True)
class MapOptions:
    """What a map link may name: the fill layers with their years and default year, län and kommuner."""

    layer_years: Mapping[str, Sequence[int]]  # fill layer → its years (empty: a layer without years)
    default_years: Mapping[str, int | None]
    kommun_lan: Mapping[str, str]  # kommun code → its län code
    lans: frozenset[str] = field(default_factory=frozenset)

    def default_state(self) -> MapState:
        """The start page: områdestyp in its declared default year, all of Sweden."""
        return MapState(year=self.default_years.get(DEFAULT_LAYER))


def options_for(bundle: Bundle) -> MapOptions:
    """The bundle's fill layers (the layer menu), län and kommuner."""
    fills = [s for s in bundle.layers.values() if s.is_fill]
    return MapOptions(
        layer_years={s.id: tuple(s.years) for s in fills},
        default_years={s.id: s.default_year for s in fills},
        kommun_lan=bundle.kommun["lanskod"].astype(str).to_dict(),
        lans=frozenset(map(str, bundle.lan.index)),
    )


def decode(params: Mapping[str, object], options: MapOptions) -> tuple[MapState, list[str]]:
    """The map state of a link; also the query keys whose values were refused (they keep the default)."""
    layer, refused = url_codec.decode_fields(
        params, options.default_state(), {"layer": ("layer", url_codec.one_of(options.layer_years))}
    )
    years = options.layer_years[layer.layer]
    start = replace(layer, year=options.default_years.get(layer.layer) if years else None)
    parsers: url_codec.Parsers = {
        "lan": ("lan", url_codec.one_of(options.lans)),
        "kommun": ("kommun", url_codec.one_of(options.kommun_lan)),
        "area": ("area", _search_text),
    }
    if years:
        parsers = {"year": ("year", url_codec.int_of(years)), **parsers}
    state, more = url_codec.decode_fields(params, start, parsers)
    refused += more
    if state.kommun and state.lan and options.kommun_lan[state.kommun] != state.lan:
        state, refused = replace(state, kommun=""), [*refused, "kommun"]  # a kommun of another län
    elif state.kommun and not state.lan:
        state = replace(state, lan=options.kommun_lan[state.kommun])
    return state, refused


def encode(state: MapState) -> dict[str, str | None]:
    """Query parameters for ``state``; ``None`` removes one (the default layer, no year, no place)."""
    return {
        "layer": None if state.layer == DEFAULT_LAYER else state.layer,
        "year": None if state.year is None else str(state.year),
        "lan": state.lan or None,
        "kommun": state.kommun or None,
        "area": state.area or None,
    }


def widget_values(state: MapState) -> dict[str, object]:
    """The page's widget keys and values for ``state`` (the search box's key is ``q``)."""
    return {"layer": state.layer, "year": state.year, "lan": state.lan, "kommun": state.kommun, "q": state.area}


def _search_text(text: str) -> str:
    if len(text) > MAX_SEARCH_CHARS:
        raise ValueError(text[:60])
    return text
