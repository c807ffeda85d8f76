"""Cached, shared data for the pages: the bundle, offices and their states on a date, layers, points, tables."""

from __future__ import annotations

from datetime import date
from functools import partial

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import streamlit as st

from geo_app.analysis import gaps
from geo_app.analysis.gaps import area_points as points_inside
from geo_app.analysis.routing import ROAD
from geo_app.data import loaders, roads, user_store
from geo_app.data.aliases import AreaAlias, load_aliases
from geo_app.layers.bundle import load_bundle
from geo_app.views import compare_view, office_view
from geo_app.views import map_view as national_map
from geo_app.views.static_files import publish


def private_imports() -> user_store.PrivateImports:
    """The session's private imports, made the active overlay of the store (call once per run)."""
    private: user_store.PrivateImports = st.session_state.setdefault("_private_imports", user_store.PrivateImports())
    user_store.use_private(private)
    return private


@st.cache_resource(show_spinner=False, max_entries=4)
def _bundle(imports_version: str) -> national_map.MapBundle:
    # Region files (detailed areas and borders per län or kommun) are made on first use and kept.
    return national_map.publish_map(load_bundle())


def bundle() -> national_map.MapBundle:
    """The shared, read-only data bundle (one per server process and state of the user's imports)."""
    return _bundle(user_store.version())


@st.cache_resource(show_spinner=False, max_entries=6)
def _presence(day: date, imports_version: str) -> gpd.GeoDataFrame:
    return loaders.load_presence(day)


def presence(as_of: date | None = None) -> gpd.GeoDataFrame:
    """Office points with their status on ``as_of`` (default today; shared, refreshed after an import)."""
    return _presence(as_of or date.today(), user_store.version())


@st.cache_resource(show_spinner=False, max_entries=6)
def _presence_states(day: date, imports_version: str) -> pd.DataFrame:
    return loaders.load_presence_states(day)


def presence_states(as_of: date | None = None) -> pd.DataFrame:
    """Per kommun and agency on ``as_of``: known / none / unknown (shared like :func:`presence`)."""
    return _presence_states(as_of or date.today(), user_store.version())


@st.cache_resource(show_spinner=False, max_entries=6)
def _presence_evidence(day: date, imports_version: str) -> pd.DataFrame:
    return loaders.load_presence_evidence(day)


def presence_evidence(as_of: date | None = None) -> pd.DataFrame:
    """Per kommun and agency on ``as_of``: the state and why (shared like :func:`presence_states`)."""
    return _presence_evidence(as_of or date.today(), user_store.version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _office_layers(
    day: date, imports_version: str, show_closed: bool, first_line: str | None, lang: str
) -> list[pdk.Layer]:
    offices = presence(day)
    points = office_view.office_points(offices, show_closed)
    if first_line is None:
        return office_view.office_layers(points)
    files = bundle().files
    # the keys of every view, not only this one's: one office file per date across layer/year switches
    keys = office_view.every_view_template(first_line, files.detail_props, lang)
    fields = office_view.office_tooltips(offices.loc[points.index], keys, files.detail_props, lang)
    return office_view.office_layers(points, fields, partial(publish, static_dir=files.static_dir))


def office_layers(
    show_closed: bool = False, as_of: date | None = None, tooltip: str | None = None, lang: str = "sv"
) -> list[pdk.Layer]:
    """The office point layers for the map on ``as_of`` (shared like :func:`presence`).

    With the map's ``tooltip`` template the offices are pickable (a click selects the office, the
    tooltip names it) and their records are a static file; without it, plain inline points.
    """
    first_line = None if tooltip is None else tooltip.split("\n", 1)[0]  # the records hold every view's keys
    return _office_layers(as_of or date.today(), user_store.version(), show_closed, first_line, lang)


@st.cache_resource(show_spinner=False)
def area_points() -> gpd.GeoSeries:
    """A point inside every RegSO area (EPSG:3006), computed once per process (imports add no areas)."""
    return points_inside(bundle().regso)


@st.cache_resource(show_spinner=False, max_entries=16)
def _gap_result(rule: gaps.GapRule, day: date, imports_version: str, roads_key: tuple[object, ...]) -> gaps.GapResult:
    network = roads.load_roads() if rule.measure == ROAD else None
    return gaps.analyse(bundle().regso, presence(day), rule, area_points(), states=presence_states(day), roads=network)


def gap_result(rule: gaps.GapRule, day: date) -> gaps.GapResult:
    """:func:`geo_app.analysis.gaps.analyse` of a rule on a date, shared (read-only) across reruns and sessions.

    Keyed by the rule, the date, the imports and the road files in use: choosing a place on the gap
    page (a filter of the tables and the map's zoom) re-runs no analysis.
    """
    key = roads.files_key() if rule.measure == ROAD else ()
    return _gap_result(rule, day, user_store.version(), key)


@st.cache_data(show_spinner=False, max_entries=64)
def _indicator_table(level: str, codes: tuple[str, ...], year: int, lang: str, imports_version: str) -> pd.DataFrame:
    return compare_view.indicator_table(bundle(), compare_view.Selection(level, codes, year), lang)


def indicator_table(sel: compare_view.Selection, lang: str) -> pd.DataFrame:
    """The compare page's indicator table, cached per selection, language and state of the imports."""
    return _indicator_table(sel.level, tuple(sel.codes), sel.year, lang, user_store.version())


@st.cache_resource(show_spinner=False)
def aliases() -> tuple[AreaAlias, ...]:
    """The district aliases (``data/area_aliases.toml``), read once per process."""
    return load_aliases()


@st.cache_resource(show_spinner=False)
def area_sizes() -> pd.Series:
    """Each RegSO area's size in m² (EPSG:3006), for the populated-extent zoom; computed once."""
    return bundle().regso.geometry.area
