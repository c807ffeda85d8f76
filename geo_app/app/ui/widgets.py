"""Small widgets: escaped text, office and facts panels, the as-of date, legends, badges, Swedish tables, downloads."""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo_app.analysis.register import AS_OF_RANGE
from geo_app.app.ui.cache import bundle
from geo_app.export import tables as dl
from geo_app.formats import DECIMAL_SEPARATOR, GROUP_SEPARATOR
from geo_app.i18n import fmt_number, t
from geo_app.layers.spec import LayerSpec
from geo_app.views import office_view
from geo_app.views.tables import swedish_styler, with_swedish_locale

if TYPE_CHECKING:
    from streamlit.elements.vega_charts import AltairChart

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def md_escape(text: object) -> str:
    """Text safe inside Markdown (captions, messages): every Markdown/HTML character escaped, newlines flattened.

    ``![x](http://…)`` stays the literal characters: no image is fetched, no link drawn.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def office_panel(offices: gpd.GeoDataFrame, office_id: str | None, lang: str) -> bool:
    """The facts side panel for a clicked office (plain text; the source as a link if http(s)); False if none."""
    facts = office_view.office_facts(offices, office_id, bundle().kommun["kommunnamn"], lang)
    if facts is None:
        return False
    st.markdown(f"**{md_escape(t('officeclick.heading', lang))}**")
    facts_panel(facts)
    link = office_view.office_source_link(offices, office_id)
    if link:
        st.link_button(t("officeclick.open_source", lang), link)
    return True


def as_of_input(key: str, label: str, lang: str) -> date:  # noqa: ARG001 - pages pass their language to every widget
    """A date control for "presence as of" (2015–2035, default today; kept in the URL by the page)."""
    day = st.date_input(label, min_value=AS_OF_RANGE[0], max_value=AS_OF_RANGE[1], key=key, format="YYYY-MM-DD")
    return day if isinstance(day, date) else date.today()


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


def table(
    df: pd.DataFrame,
    lang: str,
    decimals: dict[str, int] | None = None,
    plain: Iterable[str] = (),
    **kwargs: Any,
) -> Any:
    """``st.dataframe`` with every numeric column shown the Swedish way (sorting stays numeric)."""
    kwargs.setdefault("width", "stretch")
    return st.dataframe(swedish_styler(df, decimals, plain, lang), **kwargs)


def altair(chart: AltairChart, **kwargs: Any) -> Any:
    """``st.altair_chart`` with a Swedish number locale (decimal comma, space as thousands separator)."""
    return st.altair_chart(with_swedish_locale(chart), **kwargs)


def download_buttons(  # noqa: PLR0913
    label_prefix: str,
    frame: pd.DataFrame,
    file_stem: str,
    lang: str,
    key: str,
    decimals: dict[str, int] | None = None,
    container: Any = None,
) -> None:
    """One CSV download of a table, in the Swedish Excel dialect in the Swedish UI (see geo_app.export.tables)."""
    (container or st).download_button(
        label_prefix,
        partial(dl.to_csv, frame, lang, decimals),  # made on click, not on every rerun
        file_name=f"{file_stem}.csv",
        mime=dl.CSV_MIME,
        key=key,
        help=t("download.csv_help", lang),
    )


def selected_row(state: object, index: pd.Index) -> str | None:
    """The code of the row selected in a ``st.dataframe(on_select=…)`` (its widget state), if any."""
    rows: list[int] = []
    if state is not None:
        selection = state.get("selection", {}) if isinstance(state, dict) else getattr(state, "selection", {})
        rows = (selection or {}).get("rows", []) if isinstance(selection, dict) else getattr(selection, "rows", [])
    if rows and 0 <= rows[0] < len(index):
        return str(index[rows[0]])
    return None
