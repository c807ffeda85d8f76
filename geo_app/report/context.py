"""What a brief is made from: the shared context of a batch, the brief's parts, the checks of date and unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import pandas as pd

from geo_app.analysis import compare, gaps
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.analysis.register import check_as_of as register_check
from geo_app.data import loaders
from geo_app.data.roads import load_roads
from geo_app.errors import InputError
from geo_app.layers.bundle import Bundle
from geo_app.views import compare_view as cv

LEVELS = ("kommun", "lan")
MAX_ROWS = 15  # long lists (a län's type changes, offices, gap areas) are cut here: the app has them all


@dataclass(frozen=True)
class BriefContext:
    """What every brief of a batch shares: data, offices as of ``as_of``, the default gap analysis."""

    bundle: Bundle
    offices: gpd.GeoDataFrame
    as_of: date
    year: int
    rule: gaps.GapRule
    gap: gaps.GapResult
    features: pd.DataFrame = field(repr=False)
    states: pd.DataFrame | None = field(default=None, repr=False)  # known / none / unknown per kommun, agency
    geometry: tuple[gpd.GeoSeries, gpd.GeoSeries] | None = field(default=None, repr=False)  # print-map geometry
    roads: str = ""  # the road network's name when the rule measures by car where it covers an area


def check_as_of(as_of: date) -> None:
    """Raise :class:`InputError` if presence cannot be stated on ``as_of`` (the register's range)."""
    try:
        register_check(as_of)
    except InputError as exc:
        raise InputError(f"--as-of: {exc} (the presence data)") from exc


@dataclass(frozen=True)
class BriefInputs:
    """What a brief is made of besides the bundle; ``None`` = the default (year, today) or load it.

    ``offices``, ``points`` (the areas' points) and ``states`` may be passed in when the caller has
    them (the app's shared objects); without ``states`` they are loaded with the offices (as the gap
    page does).
    """

    year: int | None = None
    as_of: date | None = None
    offices: gpd.GeoDataFrame | None = None
    points: gpd.GeoSeries | None = None
    states: pd.DataFrame | None = None


def make_context(bundle: Bundle, inputs: BriefInputs | None = None) -> BriefContext:
    """Load offices and what is known of presence as of the inputs' date (default today); run the default gap rule once.

    See :class:`BriefInputs` for what the caller may pass in.
    """
    inputs = inputs or BriefInputs()
    as_of, year, offices, points, states = inputs.as_of, inputs.year, inputs.offices, inputs.points, inputs.states
    as_of = as_of or date.today()
    check_as_of(as_of)
    if offices is None:
        offices = loaders.load_presence(as_of)
        if states is None:
            states = loaders.load_presence_states(as_of)
    year = year if year in bundle.layers["omradestyp"].years else bundle.types_year
    network = load_roads()  # cached; by car where the network covers the area (Gotland embedded), else straight
    options = RuleOptions(year=year)
    if network is not None:
        options = RuleOptions(year=year, measure="road", max_min=gaps.DEFAULT_MAX_MIN)
    rule = bundle.gap_rule(options)
    result = gaps.analyse(bundle.regso, offices, rule, points, states=states, roads=network)
    features = compare.kommun_features(bundle.regso, bundle.kommun, year)
    from geo_app.report.mapimage import map_geometry

    roads = network.name if network is not None else ""
    return BriefContext(bundle, offices, as_of, year, rule, result, features, states, map_geometry(bundle), roads)


def check_unit(bundle: Bundle, level: str, code: str) -> str:
    """The unit code, checked; :class:`InputError` naming an unknown code."""
    if level not in LEVELS:
        raise InputError(f"a brief is made for a kommun or a län, not {level!r}")
    cv.parse_selection(bundle, level, [code], max(bundle.layers["omradestyp"].years))
    return str(code).strip()


@dataclass
class Table:
    """A printable table: headers, rows of display strings, which columns are numbers, a source line."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    source: str = ""
    caption: str = ""
    note: str = ""
    row_keys: list[str] = field(default_factory=list)


@dataclass
class KeyFigure:
    """One indicator row: display strings exactly as the Jämför page formats them."""

    layer: str
    indicator: str
    value: str
    national: str
    type_reference: str
    kind: str
    estimate: bool
    year: str
    source: str
    source_ref: int = 0  # 1-based number of ``source`` in the brief's key-figure source list


@dataclass
class Brief:
    """Everything one brief shows, as display strings (see :func:`build_brief`)."""

    level: str
    code: str
    name: str
    title: str
    lang: str
    made: date
    as_of: date
    year: int
    key_figures: list[KeyFigure]
    key_note: str
    key_sources: list[str]
    types: Table
    changes_heading: str
    changes_summary: str
    changes: Table
    office_counts: Table
    offices: Table
    office_note: str
    presence_none: str
    collaboration: str
    gap_rule: str
    gap_estimate: bool
    gap_kommuner: Table
    gap_areas: Table
    unknown_areas: Table
    unknowns: list[str]
    peers_heading: str
    peers: Table
    sources: list[str]
    map_alt: str
    map_caption: str
    map_source: str
    map_png: bytes = b""


def kommuner_of(bundle: Bundle, level: str, code: str) -> list[str]:
    """The kommun codes of the unit (the kommun itself, or the län's kommuner)."""
    if level == "kommun":
        return [code]
    return list(bundle.kommun.index[bundle.kommun["lanskod"] == code])


def unit_name(bundle: Bundle, level: str, code: str) -> str:
    """The unit's name as the Jämför page shows it ("Landskrona", "Skåne län")."""
    return str(cv.unit_names(bundle, cv.Selection(level, (code,), bundle.types_year))[code])
