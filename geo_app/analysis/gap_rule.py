"""The gap rule from user choices: which areas (types, indicator > threshold), how far, which presence counts.

One builder for the gap page, Scenario, Förslag, the brief, the export and the CLI. It reads the
layer declarations through a small protocol (a layer's id, kind, level, style, order, title and
its column per year), so the analysis does not depend on the layer package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from geo_app.analysis.gaps import (
    DEFAULT_AGENCIES,
    DEFAULT_MAX_KM,
    DEFAULT_RADIUS_KM,
    DEFAULT_TYPES,
    GapRule,
)
from geo_app.analysis.routing import STRAIGHT
from geo_app.errors import InputError

DEFAULT_ABOVE = 20.0  # % (the default indicator: unemployment)
UNEMPLOYMENT_WORDS = ("arbetsl", "unemploy")
OFFICIAL_UNEMPLOYMENT = "arbetsloshet_scb"  # SCB BAS per area, unemployed ÷ labour force 20–64 (2024)
ESTIMATE_UNEMPLOYMENT = "arbetsloshet_af_modell"  # the model estimate on BAS's measure (2020–2023)
_KIND_ORDER = {"imported": 0, "estimate": 1, "official": 2}


class IndicatorLayer(Protocol):
    """What the rule reads of a layer declaration (:class:`geo_app.layers.spec.LayerSpec`)."""

    @property
    def id(self) -> str: ...  # noqa: D102
    @property
    def kind(self) -> str: ...  # noqa: D102
    @property
    def level(self) -> str: ...  # noqa: D102
    @property
    def style(self) -> str: ...  # noqa: D102
    @property
    def order(self) -> int: ...  # noqa: D102
    def title_in(self, lang: str) -> str: ...  # noqa: D102
    def year_for(self, year: int | None) -> int | None: ...  # noqa: D102
    def column_for(self, year: int | None) -> str: ...  # noqa: D102


L = TypeVar("L", bound=IndicatorLayer)


@dataclass(frozen=True, kw_only=True)
class RuleOptions:
    """The user's choices for a gap rule (keyword-only; every field has the gap page's default).

    ``indicator`` is a layer id, an area column, ``"default"`` (see :func:`default_indicator`) or
    ``None``/``"none"`` (områdestyp only). ``year`` is the områdestyp year (default: the
    ``omradestyp`` declaration's ``default_year``). A layer with years uses ``year`` if it has it,
    else its latest year.
    """

    year: int | None = None
    types: tuple[int, ...] = DEFAULT_TYPES
    indicator: str | None = "default"
    above: float | None = DEFAULT_ABOVE
    max_km: float = DEFAULT_MAX_KM
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    radius_km: float = DEFAULT_RADIUS_KM
    measure: str = STRAIGHT  # "road": car time/road km where a road network covers the area
    max_min: float | None = None  # with measure "road": minutes by car instead of road km


def indicator_layers(layers: Mapping[str, L]) -> list[L]:
    """RegSO-level graduated layers usable in the rule: imported first, then estimates, then official."""
    specs = [s for s in layers.values() if s.level == "regso" and s.style == "graduated" and s.kind in _KIND_ORDER]
    return sorted(specs, key=lambda s: (_KIND_ORDER[s.kind], s.order))


def default_indicator(layers: Mapping[str, L]) -> L | None:
    """The rule's default unemployment indicator.

    Imported unemployment (the user's real figures win), else SCB's official per-area figure
    (:data:`OFFICIAL_UNEMPLOYMENT`, 2024), else the model estimate (years without official figures).
    """
    for spec in indicator_layers(layers):
        if spec.kind == "imported" and any(w in spec.title_in("sv").casefold() for w in UNEMPLOYMENT_WORDS):
            return spec
    return layers.get(OFFICIAL_UNEMPLOYMENT) or layers.get(ESTIMATE_UNEMPLOYMENT)


def rule_from_options(
    layers: Mapping[str, IndicatorLayer],
    columns: Iterable[str],
    default_year: int,
    options: RuleOptions | None = None,
) -> GapRule:
    """The :class:`~geo_app.analysis.gaps.GapRule` of ``options`` (default: the gap page's defaults).

    Parameters
    ----------
    layers : mapping of str to IndicatorLayer
        The layer declarations (embedded and imported), by id.
    columns : iterable of str
        The area table's columns (an indicator may name one directly).
    default_year : int
        The områdestyp year when ``options.year`` is None.
    options : RuleOptions, optional
        The user's choices.

    Raises
    ------
    InputError
        An indicator that is neither a layer nor an area column (names the usable layers).
    """
    o = options or RuleOptions()
    year = default_year if o.year is None else o.year
    types, agencies = tuple(o.types), tuple(o.agencies)
    if o.indicator in (None, "", "none"):
        return GapRule(year, types, None, None, "", o.max_km, agencies, o.radius_km, o.measure, o.max_min)
    spec = default_indicator(layers) if o.indicator == "default" else layers.get(o.indicator)
    if spec is not None:
        column, kind = spec.column_for(spec.year_for(year)), spec.kind
    elif o.indicator in set(columns):
        column, kind = o.indicator, "official"
    else:
        names = ", ".join(s.id for s in indicator_layers(layers))
        raise InputError(f"unknown indicator {o.indicator!r} (layers: {names})")
    return GapRule(year, types, column, o.above, kind, o.max_km, agencies, o.radius_km, o.measure, o.max_min)
