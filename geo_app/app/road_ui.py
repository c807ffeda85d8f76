"""The road measure on the pages: the network in use, the measure widgets, what was measured how."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo_app.analysis.gaps import DEFAULT_MAX_MIN
from geo_app.analysis.roads import SNAP_MAX_M, RoadNetwork
from geo_app.analysis.routing import ROAD, STRAIGHT, access_points, xy_of
from geo_app.app import ui
from geo_app.data import roads as road_files
from geo_app.data import user_store
from geo_app.i18n import fmt_number, t
from geo_app.views.gap_state import MINUTES_RANGE
from geo_app.views.road_view import road_facts

DEFAULT_MINUTES = DEFAULT_MAX_MIN


def _files_key() -> str:
    return "|".join(f"{path}:{mtime}:{size}" for path, mtime, size in road_files.files_key())


def road_network() -> RoadNetwork | None:
    """The network in use (the newest import, else Gotland): :func:`geo_app.data.roads.load_roads`, cached there."""
    return road_files.load_roads()


@st.cache_data(show_spinner=False, max_entries=256)
def _area_road_facts(code: str, day: date, lang: str, files_key: str, imports_version: str) -> dict[str, str]:
    del files_key, imports_version  # cache keys
    network, points = road_network(), ui.area_points().loc[[code]]
    point = access_points(network, ui.bundle().regso.geometry.loc[[code]], points)[0] if network else xy_of(points)[0]
    return road_facts(network, point, ui.presence(day), lang)


def area_road_facts(code: str, as_of: date | None, lang: str) -> dict[str, str]:
    """:func:`geo_app.views.road_view.road_facts` for one area, cached (a national query takes seconds)."""
    return _area_road_facts(code, as_of or date.today(), lang, _files_key(), user_store.version())


def measure_widgets(prefix: str, lang: str) -> tuple[str, float | None]:
    """A measure radio and, by road, a minutes slider (keys ``{prefix}_measure``, ``{prefix}_min``)."""
    c1, c2, _ = st.columns([2, 2, 1.4])
    if st.session_state.get(f"{prefix}_measure") not in (STRAIGHT, ROAD):
        st.session_state[f"{prefix}_measure"] = STRAIGHT
    measure = c1.radio(
        t("roads.measure", lang),
        (STRAIGHT, ROAD),
        key=f"{prefix}_measure",
        horizontal=True,
        format_func=lambda m: t(f"roads.measure.{m}", lang),
        help=t("roads.measure_help", lang),
    )
    if measure != ROAD:
        return STRAIGHT, None
    if f"{prefix}_min" not in st.session_state:
        st.session_state[f"{prefix}_min"] = DEFAULT_MINUTES
    minutes = c2.slider(t("roads.max_min", lang), *MINUTES_RANGE, step=5.0, key=f"{prefix}_min", format="%.0f min")
    return ROAD, float(minutes)


def scen_note(network: RoadNetwork, limits: tuple[float, float | None], lang: str) -> str:
    """The Scenario/Förslag pages' line saying the measure (car where the network covers the area)."""
    max_km, max_min = limits
    km = f"{fmt_number(max_km, 0)} km"
    minutes = t("roads.minutes", lang, n=fmt_number(max_min, 0)) if max_min is not None else km
    return t("roads.scen_note", lang, network=network.name, minutes=minutes, km=km)


def measure_note(measure: pd.Series, network: RoadNetwork | None, limits: tuple[float, float | None], lang: str) -> str:
    """Which measure the areas in the rule got, in words (``measure``: per area in the rule)."""
    max_km, max_min = limits
    by_road = int((measure == ROAD).sum())
    if network is None or by_road == 0 and max_min is None:
        return t("roads.note_straight", lang)
    km = f"{fmt_number(max_km, 0)} km"
    minutes = t("roads.minutes", lang, n=fmt_number(max_min, 0)) if max_min is not None else km
    return t(
        "roads.note",
        lang,
        network=network.name,
        road=by_road,
        straight=int(len(measure) - by_road),
        snap=f"{fmt_number(SNAP_MAX_M / 1000, 0)} km",
        minutes=minutes,
        km=km,
    )
