"""Streamlit glue shared by the pages: cached data, language, URL state, small widgets.

This is the only module of the package that imports Streamlit; analysis code
never does.
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from geo_app.data import user_store
from geo_app.i18n import LANGUAGES, NUMBER_LOCALE, fmt_number, normalise_language, t
from geo_app.layers.spec import LayerSpec
from geo_app.views import map_view as national_map

LANG_KEY = "lang"
GROUP_SEPARATOR = get_group_symbol(NUMBER_LOCALE)  # U+00A0 in sv_SE
DECIMAL_SEPARATOR = get_decimal_symbol(NUMBER_LOCALE)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def md_escape(text: object) -> str:
    """Text safe inside Markdown (captions, messages): every Markdown/HTML character escaped, newlines flattened.

    ``![x](http://…)`` stays the literal characters: no image is fetched, no link drawn.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def private_imports() -> user_store.PrivateImports:
    """The session's private imports, made the active overlay of the store (call once per run)."""
    private = st.session_state.setdefault("_private_imports", user_store.PrivateImports())
    user_store.use_private(private)
    return private


@st.cache_resource(show_spinner=False, max_entries=4)
def _bundle(imports_version: str) -> national_map.Bundle:
    return national_map.load_bundle()


def bundle() -> national_map.Bundle:
    """The shared, read-only data bundle (one per server process and state of the user's imports)."""
    return _bundle(user_store.version())


@st.cache_resource(show_spinner=False, max_entries=6)
def _presence(day: str, imports_version: str):
    from geo_app.data import loaders

    return loaders.load_presence(day)


def presence(as_of=None):
    """Office points with their status on ``as_of`` (default today; shared, refreshed after an import)."""
    from datetime import date

    return _presence((as_of or date.today()).isoformat(), user_store.version())


@st.cache_resource(show_spinner=False, max_entries=6)
def _presence_states(day: str, imports_version: str):
    from geo_app.data import loaders

    return loaders.load_presence_states(day)


def presence_states(as_of=None):
    """Per kommun and agency on ``as_of``: known / none / unknown (shared like :func:`presence`)."""
    from datetime import date

    return _presence_states((as_of or date.today()).isoformat(), user_store.version())


@st.cache_resource(show_spinner=False, max_entries=8)
def _office_layers(day: str, imports_version: str, show_closed: bool):
    from datetime import date

    from geo_app.views import gap_view

    return gap_view.office_layers(gap_view.office_points(presence(date.fromisoformat(day)), show_closed))


def office_layers(show_closed: bool = False, as_of=None):
    """The office point layers for the map on ``as_of`` (shared like :func:`presence`)."""
    from datetime import date

    return _office_layers((as_of or date.today()).isoformat(), user_store.version(), show_closed)


def as_of_input(key: str, label: str, lang: str):
    """A date control for "presence as of" (2015–2035, default today; kept in the URL by the page)."""
    from datetime import date

    from geo_app.analysis.register import AS_OF_RANGE

    return (
        st.date_input(label, min_value=AS_OF_RANGE[0], max_value=AS_OF_RANGE[1], key=key, format="YYYY-MM-DD")
        or date.today()
    )


@st.cache_resource(show_spinner=False)
def area_points():
    """A point inside every RegSO area (EPSG:3006), computed once per process (imports add no areas)."""
    from geo_app.analysis.gaps import area_points as points_inside

    return points_inside(bundle().regso)


@st.cache_data(show_spinner=False, max_entries=64)
def _indicator_table(level: str, codes: tuple[str, ...], year: int, lang: str, imports_version: str) -> pd.DataFrame:
    from geo_app.views import compare_view

    return compare_view.indicator_table(bundle(), compare_view.Selection(level, codes, year), lang)


def indicator_table(sel, lang: str) -> pd.DataFrame:
    """The compare page's indicator table, cached per selection, language and state of the imports."""
    return _indicator_table(sel.level, tuple(sel.codes), sel.year, lang, user_store.version())


def language() -> str:
    """The current UI language; set by :func:`language_selector` on every run."""
    return normalise_language(st.session_state.get(LANG_KEY, st.query_params.get(LANG_KEY)))


def language_selector() -> str:
    """Sidebar language switch; Swedish by default, initialised from the URL."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalise_language(st.query_params.get(LANG_KEY))
    names = {"sv": "Svenska", "en": "English"}
    lang = st.sidebar.radio(
        t("app.language", st.session_state[LANG_KEY]),
        LANGUAGES,
        format_func=names.get,
        key=LANG_KEY,
        horizontal=True,
    )
    set_query_params({LANG_KEY: lang if lang != "sv" else None})
    return lang


def init_state_from_url(
    defaults: dict[str, object],
    parse: dict[str, Callable[[str], object]] | None = None,
    url_keys: dict[str, str] | None = None,
) -> None:
    """On a session's first run, copy URL query parameters into widget state.

    Parameters
    ----------
    defaults : dict
        Widget key → default value when the URL does not set it.
    parse : dict, optional
        Widget key → function turning the URL string into the widget value.
    url_keys : dict, optional
        Widget key → query parameter name, where they differ.
    """
    flag = "_url_state_loaded_" + "_".join(sorted(defaults))
    if st.session_state.get(flag):
        return
    parse = parse or {}
    for key, default in defaults.items():
        raw = st.query_params.get((url_keys or {}).get(key, key))
        value = default
        if raw not in (None, ""):
            try:
                value = parse.get(key, str)(raw)
            except (TypeError, ValueError):
                value = default
        st.session_state.setdefault(key, value)
    st.session_state[flag] = True


def set_query_params(values: dict[str, object]) -> None:
    """Write view state to the URL; ``None`` removes a parameter. Only changes are written."""
    for key, value in values.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def legend(spec: LayerSpec, lang: str, counts: pd.DataFrame | None = None) -> None:
    """Legend with colour swatches and names (text escaped; colour never the only carrier)."""
    rows = []
    for colour, label in spec.legend(lang):
        n = ""
        if counts is not None and label in counts.index:
            n = f" <span style='color:#555'>({html.escape(fmt_number(counts.loc[label].iloc[0]))})</span>"
        rows.append(
            "<div style='display:flex;align-items:center;gap:.45em;margin:.15em 0'>"
            f"<span style='display:inline-block;width:1.1em;height:1.1em;background:{html.escape(colour)};"
            "border:1px solid #444'></span>"
            f"<span>{html.escape(label)}{n}</span></div>"
        )
    st.markdown(
        f"<div role='list' aria-label='{html.escape(t('map.legend', lang))}' data-testid='map-legend'>"
        + "".join(rows)
        + "</div>",
        unsafe_allow_html=True,
    )


def formatted_table(df: pd.DataFrame, decimals: dict[str, int]) -> pd.io.formats.style.Styler:
    """A Styler that shows numbers the Swedish way while keeping them sortable.

    Separators come from babel's Swedish locale data; pandas applies them.
    """
    styler = df.style
    for col, d in decimals.items():
        if col in df.columns:
            styler = styler.format(
                precision=d, thousands=GROUP_SEPARATOR, decimal=DECIMAL_SEPARATOR, subset=[col], na_rep=t("na", "sv")
            )
    return styler


KIND_COLOURS = {"official": "#1a7f37", "reference": "#6f42c1", "estimate": "#b35900", "imported": "#0969da"}


def kind_badge(spec: LayerSpec, lang: str) -> None:
    """A coloured text badge saying whether the layer is official, reference, estimate or imported."""
    colour = KIND_COLOURS.get(spec.kind, "#444")
    text = html.escape(t(f"kind.{spec.kind}", lang))
    st.markdown(
        f"<div data-testid='kind-badge' data-kind='{html.escape(spec.kind)}' style='display:inline-block;"
        f"border:2px solid {colour};color:{colour};border-radius:4px;padding:0 .4em;font-weight:600'>"
        f"{html.escape(t('map.kind', lang))}: {text}</div>",
        unsafe_allow_html=True,
    )


def facts_panel(facts: dict[str, object], decimals: Iterable[tuple[str, int]] = ()) -> None:
    """Show label/value pairs as plain text (never HTML)."""
    dec = dict(decimals)
    for label, value in facts.items():
        shown = fmt_number(float(value), dec.get(label, 0)) if isinstance(value, numbers.Real) else str(value)
        st.text(f"{label}: {shown}")
