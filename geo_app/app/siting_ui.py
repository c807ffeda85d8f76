"""Streamlit glue for the Scenario and Förslag pages: cached inputs, the shared rule controls, URL state.

Both pages use the same rule widgets (keys ``s_year, s_types, s_ind, s_above, s_km, s_ag_pick``)
and the same scenario state (``s_points``: added :class:`~geo_app.views.scenario_view.NewPoint`,
``s_rm``: closed office ids), read from the URL on a session's first visit (or after
"Gör till scenario") and mirrored outside the widgets so a page switch keeps them.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo_app.analysis import gaps, siting
from geo_app.analysis.gap_rule import default_indicator
from geo_app.analysis.roads import RoadNetwork
from geo_app.app import controls, road_ui, ui
from geo_app.data import loaders, user_store
from geo_app.errors import InputError
from geo_app.i18n import t
from geo_app.views import gap_view, presence_view
from geo_app.views import scenario_view as sv

RULE_WIDGETS = ("s_year", "s_types", "s_ind", "s_above", "s_km", "s_ag_pick", "s_asof", "s_measure", "s_min")
MIRROR = "_s_mirror"
LOADED = "_s_loaded"
PROBLEMS = "_s_problems"
PAGE = "_s_page"


# --------------------------------------------------------------------------- cached inputs


@st.cache_data(show_spinner=False, max_entries=8)
def _unemployed(year: int, imports_version: str) -> tuple[pd.Series, str]:  # noqa: ARG001 (cache key)
    b = ui.bundle()
    return siting.unemployed_for(b.regso, b.layers, year)


def unemployed(year: int) -> tuple[pd.Series | None, str]:
    """Unemployed per area and its kind label (``None`` when the data has none for the year)."""
    try:
        return _unemployed(year, user_store.version())
    except siting.SitingError:
        return None, ""


@st.cache_resource(show_spinner=False, max_entries=8)
def _candidates(kinds: tuple[str, ...], day: date, imports_version: str) -> gpd.GeoDataFrame:  # noqa: ARG001 (cache key)

    b = ui.bundle()
    offices = ui.presence(day)
    return siting.candidate_sites(b.regso, loaders.load_towns(), offices, kinds, points=ui.area_points())


def candidates(kinds: tuple[str, ...], as_of: date | None = None) -> gpd.GeoDataFrame:
    """Candidate sites (towns, area points, SSC offices on ``as_of``), shared per process, date and imports."""
    return _candidates(tuple(kinds), as_of or date.today(), user_store.version())


@st.cache_data(show_spinner=False, max_entries=64)
def _added(points: tuple[tuple[float, float, str], ...]) -> gpd.GeoDataFrame:
    return sv.added_offices([sv.NewPoint(*p) for p in points], ui.bundle().regso)


def added_offices(points: Iterable[sv.NewPoint]) -> gpd.GeoDataFrame:
    """:func:`geo_app.views.scenario_view.added_offices`, cached per list of points (the land check costs ≈ 30 ms)."""
    return _added(tuple((p.lon, p.lat, p.agency) for p in points))


@st.cache_resource(show_spinner=False, max_entries=2)
def _office_labels(day: date, lang: str, imports_version: str) -> dict[str, str]:  # noqa: ARG001 (cache key)
    b = ui.bundle()
    offices = ui.presence(day)
    return sv.office_label(offices, dict(zip(b.regso["kommunkod"], b.regso["kommunnamn"], strict=False)), lang)


def office_labels(as_of: date | None = None, lang: str = "sv") -> dict[str, str]:
    """Office id → "AF · Name (Kommun)", shared like :func:`geo_app.app.ui.presence`."""
    return _office_labels(as_of or date.today(), lang, user_store.version())


def unknown_presence(result: siting.ScenarioResult, as_of: date | None = None) -> pd.Series:
    """Areas where a counted agency's presence is unknown within the limit, measured as their gap (as the CLI)."""
    return siting.presence_unknown_in(result, ui.bundle().regso, ui.area_points(), ui.presence_states(as_of))


@st.cache_resource(show_spinner=False)
def search_table() -> pd.DataFrame:
    """Towns and RegSO areas to search for a new point (built once per process)."""
    b = ui.bundle()
    empty = ui.presence().iloc[:0]
    return sv.search_table(
        siting.candidate_sites(b.regso, loaders.load_towns(), empty, ("towns", "areas"), points=ui.area_points())
    )


@st.cache_resource(show_spinner=False)
def export_geometry() -> gpd.GeoSeries:
    """RegSO export geometry (EPSG:3006, 50 m), loaded once."""
    return loaders.load_export_geometry("regso")


@st.cache_resource(show_spinner=False)
def spopt_loaded() -> bool:
    """Import spopt (≈ 4 s the first time in a process: libpysal, scikit-learn) once."""
    import pulp  # noqa: F401
    import spopt.locate  # noqa: F401

    return True


@dataclasses.dataclass(frozen=True)
class SuggestRequest:
    """What the Förslag page asks for: ``n`` sites (``None`` for cover-all), objective, candidate kinds, weight."""

    n: int | None
    objective: str
    kinds: tuple[str, ...]
    weight: str
    time_limit_s: float


@st.cache_data(show_spinner=False, max_entries=32)
def _suggestion(
    rule_fields: tuple[Any, ...],
    request_fields: tuple[Any, ...],
    day: date,
    imports_version: str,  # noqa: ARG001 (cache key)
) -> siting.SiteSuggestion:
    b = ui.bundle()
    rule = gaps.GapRule(*rule_fields)
    n, objective, kinds, weight, time_limit_s = request_fields
    as_of = day
    offices = ui.presence(as_of)
    unemp, kind = unemployed(rule.year) if weight == "unemployed" else (None, "")
    demand = siting.demand_areas(b.regso, rule, ui.area_points(), unemp, kind)
    cands, existing = candidates(kinds, as_of), siting.counting_offices(offices, rule)
    network = road_ui.road_network() if rule.measure == "road" else None
    costs, left_out = None, 0
    if network is not None:  # by car: the demand on the network only (never mixed with straight lines)
        demand, left_out = siting.road_demand(network, demand, b.regso.geometry)
        costs = siting.road_costs(network, demand, cands, existing, rule.max_min)
    s = siting.suggest_sites(
        demand,
        cands,
        existing,
        rule.max_km,
        n=n,
        objective=objective,
        weight=weight,
        time_limit_s=time_limit_s,
        costs=costs,
    )
    extra = pd.Series({"measure": "road" if network is not None else "straight", "left_out_areas": left_out})
    return dataclasses.replace(s, totals=pd.concat([s.totals, extra]))


def suggestion(rule: gaps.GapRule, request: SuggestRequest, as_of: date | None = None) -> siting.SiteSuggestion:
    """:func:`geo_app.analysis.siting.suggest_sites` as the CLI calls it, cached per inputs and date."""
    fields = (request.n, request.objective, tuple(request.kinds), request.weight, float(request.time_limit_s))
    return _suggestion(dataclasses.astuple(rule), fields, as_of or date.today(), user_store.version())


# --------------------------------------------------------------------------- state


def defaults() -> sv.ScenarioState:
    """The page defaults: the declared default områdestyp year, the gap page's default indicator."""
    b = ui.bundle()
    default = default_indicator(b.layers)
    return sv.ScenarioState(year=b.types_year, indicator=default.id if default else "none")


def load_state(page: str) -> list[sv.Problem]:
    """Fill the scenario state from the URL on the first visit (or when asked to); restore it otherwise.

    Returns the problems with the URL's values (points abroad included: they are dropped), kept
    until the scenario is changed.
    """
    ss = st.session_state
    came_from = ss.get(PAGE)
    ss[PAGE] = page
    if not ss.get(LOADED):
        b = ui.bundle()
        params = {k: st.query_params.get(k) for k in (*sv.RULE_KEYS, sv.ADD_KEY, sv.REMOVE_KEY)}
        office_ids = {str(i) for i in ui.presence().index}
        with contextlib.suppress(InputError):  # offices of the link's date too (decode_state reports a bad date)
            office_ids |= {str(i) for i in ui.presence(presence_view.url_day(params.get("s_asof"))).index}
        state, problems = sv.decode_state(
            params,
            defaults(),
            years=b.layers["omradestyp"].years,
            indicators=controls.indicator_ids(),
            office_ids=office_ids,
        )
        points, outside = sv.check_points(state.points, b.regso)
        set_state(dataclasses.replace(state, points=points))
        ss[LOADED] = True
        found: list[sv.Problem] = problems + outside
        ss[PROBLEMS] = found
        return found
    for key, value in ss.get(MIRROR, {}).items():  # a page switch drops (or orphans) widget state: put it back
        if came_from != page or key not in ss:
            ss[key] = value
    kept: list[sv.Problem] = ss.get(PROBLEMS, [])
    return kept


def set_state(state: sv.ScenarioState) -> None:
    """Put a scenario into the widgets and the state (before the widgets are drawn)."""
    ss = st.session_state
    ss["s_year"] = state.year
    ss["s_types"] = ",".join(map(str, state.types))
    ss["s_ind"] = state.indicator
    ss["s_above"] = gap_view.threshold_text(state.above)
    ss["s_km"] = float(state.max_km)
    ss["s_ag_pick"] = list(state.agencies)
    ss["s_asof"] = state.as_of or date.today()
    ss["s_points"] = list(state.points)
    ss["s_rm"] = list(state.removed)
    remember()


def remember() -> None:
    """Mirror the widget values outside the widgets (they survive a page switch)."""
    ss = st.session_state
    ss[MIRROR] = {k: ss[k] for k in (*RULE_WIDGETS, "s_rm") if k in ss}


def as_of_date(state: sv.ScenarioState) -> date | None:
    """The state's as-of date (``None`` = today)."""
    return state.as_of


def rule_controls(lang: str) -> sv.ScenarioState | None:
    """The gap rule's widgets (the gap page's, keys ``s_*``); ``None`` after showing an error for unusable input."""
    inputs, c7 = controls.rule_widgets("s", lang)
    with c7:
        as_of = ui.as_of_input("s_asof", t("scen.as_of", lang), lang)
    remember()
    checked = controls.check(inputs, lang)
    if checked is None:
        return None
    types, above = checked
    return sv.ScenarioState(
        year=inputs.year,
        types=types,
        indicator=inputs.indicator,
        above=above,
        max_km=inputs.max_km,
        agencies=inputs.agencies,
        as_of=None if as_of == date.today() else as_of,
        points=tuple(st.session_state.get("s_points", [])),
        removed=tuple(st.session_state.get("s_rm", [])),
    )


def page_start(page: str, prefix: str, lang: str) -> tuple[sv.ScenarioState, gaps.GapRule, date | None]:
    """The top of the Scenario and Förslag pages: heading, intro, the link's problems and the rule.

    ``prefix`` names the page's strings (``scen``, ``sugg``: ``{prefix}.heading``, ``{prefix}.intro``).
    Returns the scenario state, its gap rule and its as-of date; stops the page on unusable input.
    """
    problems = load_state(page)
    st.title(t(f"{prefix}.heading", lang))
    st.caption(t(f"{prefix}.intro", lang))
    show_problems(problems, lang)
    with st.expander(t("scen.rule", lang), expanded=False):
        state = rule_controls(lang)
        measure, max_min = road_ui.measure_widgets("s", lang)
        remember()
    if state is None:
        st.stop()
    rule = dataclasses.replace(state.rule(ui.bundle()), measure=measure, max_min=max_min)
    network = road_ui.road_network() if measure == "road" else None
    if network is not None:
        st.caption(road_ui.scen_note(network, (rule.max_km, max_min), lang))
    return state, rule, as_of_date(state)


def roads_for(rule: gaps.GapRule) -> RoadNetwork | None:
    """The road network when the rule measures by road, else ``None``."""
    return road_ui.road_network() if rule.measure == "road" else None


def show_problems(problems: list[sv.Problem], lang: str) -> None:
    """Each problem as a warning (plain text)."""
    for key, args in problems:
        st.warning(t(key, lang, **args))
