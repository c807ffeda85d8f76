"""Streamlit glue shared by the pages: cached data, language, URL state, small widgets.

This is the only module of the package that imports Streamlit; analysis code
never does.
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from geo_app.data import user_store
from geo_app.i18n import LANGUAGES, NUMBER_LOCALE, fmt_number, normalise_language, t
from geo_app.layers.spec import LayerSpec
from geo_app.views import map_view as national_map
from geo_app.views.mapspec import MAP_BACKGROUND

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
    # Region files (detailed areas and borders per län or kommun) are made on first use and kept.
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


@st.cache_resource(show_spinner=False, max_entries=32)
def _office_layers(day: str, imports_version: str, show_closed: bool, tooltip: str | None, lang: str):
    from datetime import date
    from functools import partial

    from geo_app.views import gap_view, office_view
    from geo_app.views.static_files import publish

    offices = presence(date.fromisoformat(day))
    points = gap_view.office_points(offices, show_closed)
    if tooltip is None:
        return gap_view.office_layers(points)
    files = bundle().files
    fields = office_view.office_tooltips(offices.loc[points.index], tooltip, files.detail_props, lang)
    return gap_view.office_layers(points, fields, partial(publish, static_dir=files.static_dir))


def office_layers(show_closed: bool = False, as_of=None, tooltip: str | None = None, lang: str = "sv"):
    """The office point layers for the map on ``as_of`` (shared like :func:`presence`).

    With the map's ``tooltip`` template the offices are pickable (a click selects the office, the
    tooltip names it) and their records are a static file; without it, plain inline points.
    """
    from datetime import date

    return _office_layers((as_of or date.today()).isoformat(), user_store.version(), show_closed, tooltip, lang)


def office_panel(offices, office_id: str | None, lang: str) -> bool:
    """The facts side panel for a clicked office (plain text; the source as a link if http(s)); False if none."""
    from geo_app.views import office_view

    facts = office_view.office_facts(offices, office_id, bundle().kommun["kommunnamn"], lang)
    if facts is None:
        return False
    st.markdown(f"**{md_escape(t('officeclick.heading', lang))}**")
    facts_panel(facts)
    link = office_view.office_source_link(offices, office_id)
    if link:
        st.link_button(t("officeclick.open_source", lang), link)
    return True


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
    # st.html (sanitised by DOMPurify, already loaded for page_chrome), not st.markdown with HTML:
    # that pulls Streamlit's rehype-raw chunk (≈ 190 KB) into the map page's first load.
    st.html(
        f"<div role='list' aria-label='{html.escape(t('map.legend', lang))}' data-testid='map-legend'>"
        + "".join(rows)
        + "</div>"
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
    st.html(  # st.html, not st.markdown with HTML (see legend)
        f"<div data-testid='kind-badge' data-kind='{html.escape(spec.kind)}' style='display:inline-block;"
        f"border:2px solid {colour};color:{colour};border-radius:4px;padding:0 .4em;font-weight:600'>"
        f"{html.escape(t('map.kind', lang))}: {text}</div>"
    )


def facts_panel(facts: Mapping[str, object], decimals: Iterable[tuple[str, int]] = ()) -> None:
    """Show label/value pairs as plain text (never HTML)."""
    dec = dict(decimals)
    for label, value in facts.items():
        shown = fmt_number(float(value), dec.get(label, 0)) if isinstance(value, numbers.Real) else str(value)
        st.text(f"{label}: {shown}")


# --- Search, zoom and Swedish tables (issue 13) -------------------------------------------------


@st.cache_resource(show_spinner=False)
def _aliases():
    from geo_app.data.aliases import load_aliases

    return load_aliases()


@st.cache_resource(show_spinner=False)
def area_sizes() -> pd.Series:
    """Each RegSO area's size in m² (EPSG:3006), for the populated-extent zoom; computed once."""
    return bundle().regso.geometry.area


def search_places(query: str):
    """Places matching the search text (district aliases and areas; diacritics folded)."""
    from geo_app.views import search

    return search.search(bundle().regso, _aliases(), query)


def candidate_label(candidate, lang: str) -> str:
    """A search result as the chooser shows it: name, kommun and code or number of areas."""
    if candidate.is_alias:
        return t("search.alias_label", lang, name=candidate.name, kommun=candidate.kommun, n=len(candidate.codes))
    return f"{candidate.name}, {candidate.kommun} ({candidate.codes[0]})"


def focus_map(deck, choice, found) -> None:
    """Zoom the built map: a found place shown in its town, a kommun fitted to where people live."""
    from geo_app.views import search

    b = bundle()
    if found is not None:
        outline = search.outline_of(b.display["regso"], found.codes) if found.is_alias else None
        search.refocus(deck, search.focus_bounds(b.bounds, found.codes), outline)
    elif choice.kommun and not choice.area:
        pop = f"folkmangd_{national_map.population_year(b, choice.year)}"
        search.refocus(deck, search.kommun_view_bounds(b.regso, b.bounds, area_sizes(), choice.kommun, pop))


def district_panel(found, lang: str) -> None:
    """The facts side panel for a district alias: its areas, what it covers and the sources (plain text)."""
    alias = found.alias
    st.text(t("search.alias_heading", lang, name=found.name, kommun=found.kommun))
    names = bundle().regso.loc[list(found.codes), "regsonamn"]
    from geo_app.views.search import display_names

    st.text("\n".join(f"– {n} ({c})" for c, n in display_names(names).items()))
    st.caption(t("search.alias_note", lang) + " " + alias.note)
    st.caption(t("search.alias_sources", lang) + " " + ", ".join(alias.sources))


def table(
    df: pd.DataFrame,
    lang: str,
    decimals: dict[str, int] | None = None,
    plain: Iterable[str] = (),
    **kwargs,
):
    """``st.dataframe`` with every numeric column shown the Swedish way (sorting stays numeric)."""
    from geo_app.views.tables import swedish_styler

    kwargs.setdefault("width", "stretch")
    return st.dataframe(swedish_styler(df, decimals, plain, lang), **kwargs)


def altair(chart, **kwargs):
    """``st.altair_chart`` with a Swedish number locale (decimal comma, space as thousands separator)."""
    from geo_app.views.tables import with_swedish_locale

    return st.altair_chart(with_swedish_locale(chart), **kwargs)


def download_buttons(
    label_prefix: str,
    frame: pd.DataFrame,
    file_stem: str,
    lang: str,
    key: str,
    decimals: dict[str, int] | None = None,
    container=None,
) -> None:
    """One CSV download of a table, in the Swedish Excel dialect in the Swedish UI (see geo_app.export.tables)."""
    from geo_app.export import tables as dl

    (container or st).download_button(
        label_prefix,
        dl.to_csv(frame, lang, decimals),
        file_name=f"{file_stem}.csv",
        mime=dl.CSV_MIME,
        key=key,
        help=t("download.csv_help", lang),
    )


def selected_row(state, index: pd.Index) -> str | None:
    """The code of the row selected in a ``st.dataframe(on_select=…)`` (its widget state), if any."""
    rows: list[int] = []
    if state is not None:
        selection = state.get("selection", {}) if isinstance(state, dict) else getattr(state, "selection", {})
        rows = (selection or {}).get("rows", []) if isinstance(selection, dict) else getattr(selection, "rows", [])
    if rows and 0 <= rows[0] < len(index):
        return str(index[rows[0]])
    return None


def focus_gap_map(deck, area: str | None, kommun: str | None, lan: str | None) -> None:
    """Zoom the gap map to a selected area (in its town, outlined), a kommun (where people live) or a län.

    A kommun or län is the map's region: its ``region_lines`` already outline it, so it is not outlined again.
    """
    from geo_app.views import search

    b = bundle()
    if area and f"regso:{area}" in b.bounds:
        search.refocus(deck, search.focus_bounds(b.bounds, [area]), search.outline_of(b.display["regso"], [area]))
    elif kommun and kommun in b.kommun.index:
        pop = f"folkmangd_{national_map.population_year(b, None)}"
        search.refocus(deck, search.kommun_view_bounds(b.regso, b.bounds, area_sizes(), kommun, pop))
    elif lan and lan in b.lan.index:
        search.refocus(deck, b.bounds[f"lan:{lan}"])


# --- Accessibility chrome (issue 13, point 10) --------------------------------------------------

# Captions carry sources and methods: #4b4f5c on white is 8.0:1 (Streamlit draws them at 60 % opacity,
# ≈ 3.9:1), so both colour and opacity are set.
CAPTION_COLOUR = "#4b4f5c"
FOCUS_COLOUR = "#0b5394"
_PAGE_CSS = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: {CAPTION_COLOUR} !important; opacity: 1 !important;
}}
[data-testid="stWidgetLabel"] [data-testid="stTooltipHoverTarget"] svg {{ color: {CAPTION_COLOUR}; }}
[data-testid="stDeckGlJsonChart"] {{ background: {MAP_BACKGROUND}; }}
[data-testid="stDeckGlJsonChart"]:focus, [data-testid="stDeckGlJsonChart"]:focus-within {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
</style>"""
# Streamlit writes <html lang="en">; screen readers then read Swedish with English rules. Set the page
# language on every run, and make the map reachable by keyboard (tabindex) with a name, so its focus ring shows.
_PAGE_JS = """<script>
(function () {{
  const doc = document;
  doc.documentElement.lang = "{lang}";
  const label = "{label}";
  const mark = () => doc.querySelectorAll('[data-testid="stDeckGlJsonChart"]').forEach((el) => {{
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", label);
  }});
  // deck.gl puts a tooltip's left edge at the pointer; near the map's right or bottom edge the box
  // would be cut off by the chart frame, so shift it back inside the map (it keeps its size).
  const keepTooltipsInside = () => doc.querySelectorAll(".deck-tooltip").forEach((tip) => {{
    const chart = tip.closest('[data-testid="stDeckGlJsonChart"]');
    if (!chart || tip.style.display === "none") return;
    const frame = chart.getBoundingClientRect();
    const box = tip.getBoundingClientRect();
    const oldX = parseFloat(tip.style.marginLeft) || 0;
    const oldY = parseFloat(tip.style.marginTop) || 0;
    const dx = Math.min(0, frame.right - 6 - (box.right - oldX));
    const dy = Math.min(0, frame.bottom - 6 - (box.bottom - oldY));
    const newX = box.width + 24 > frame.width ? 0 : Math.max(dx, -(box.width + 24));
    const newY = Math.max(dy, -(box.height + 24));
    if (Math.abs(newX - oldX) > 0.5) tip.style.marginLeft = newX + "px";
    if (Math.abs(newY - oldY) > 0.5) tip.style.marginTop = newY + "px";
  }});
  mark();
  if (!window.__narvaroTooltips) {{
    window.__narvaroTooltips = new MutationObserver(keepTooltipsInside);
    window.__narvaroTooltips.observe(doc.body, {{ subtree: true, attributes: true, attributeFilter: ["style"] }});
  }}
  if (!window.__narvaroObserver) {{
    window.__narvaroObserver = new MutationObserver(mark);
    window.__narvaroObserver.observe(doc.body, {{ childList: true, subtree: true }});
  }}
}})();
</script>"""


def page_chrome(lang: str) -> None:
    """Page language on ``<html lang>``, readable caption contrast and a visible focus ring on the map."""
    st.html(_PAGE_CSS)
    st.html(
        _PAGE_JS.format(lang=html.escape(lang), label=html.escape(t("a11y.map_label", lang))),
        unsafe_allow_javascript=True,
        width="content",
    )
