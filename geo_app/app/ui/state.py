"""View state in the URL: the language; a page's state (views/*_state codecs) on its first run; changes back."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from geo_app.i18n import LANGUAGES, normalise_language, t

LANG_KEY = "lang"


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


def query_params() -> dict[str, str]:
    """The URL's query parameters (the last value of a repeated one)."""
    return st.query_params.to_dict()


def init_state_once(page: str, values: Callable[[dict[str, str]], Mapping[str, object]]) -> None:
    """On a session's first run of ``page``, put its URL state into widget state.

    ``values`` turns the query parameters into widget keys and values (a page's typed codec,
    e.g. :mod:`geo_app.views.map_state`); it runs once per session. Keys already set stay.
    """
    flag = f"_url_state_loaded_{page}"
    if st.session_state.get(flag):
        return
    for key, value in values(query_params()).items():
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
