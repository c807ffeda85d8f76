"""Controls several pages share, one function each, keyed by a prefix.

:func:`rule_widgets`: the gap rule's widgets for the gap page (keys ``g_*``) and the Scenario/Förslag
pages (``s_*``): year, områdestyper, indicator, threshold (a Swedish text input: ``20`` or ``12,5``),
distance and agencies; :func:`check` turns the typed text into numbers or shows what is wrong.
:func:`place_pickers`: the län and kommun choice of the map (keys ``lan``, ``kommun``) and gap pages (``g_lan``, …).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo_app.analysis.gap_rule import indicator_layers
from geo_app.analysis.presence import AGENCIES
from geo_app.app import ui
from geo_app.i18n import t
from geo_app.views import gap_view, presence_view
from geo_app.views import map_view as nm
from geo_app.views.scenario_view import KM_RANGE


@dataclass(frozen=True)
class RuleInputs:
    """What the rule widgets hold, as typed (``types_text``, ``above_text``) or chosen."""

    year: int
    types_text: str
    indicator: str
    above_text: str
    max_km: float
    agencies: tuple[str, ...]


def indicator_ids() -> list[str]:
    """``"none"`` and the indicator layers usable in the rule."""
    return ["none", *[s.id for s in indicator_layers(ui.bundle().layers)]]


def rule_widgets(
    prefix: str, lang: str, agencies_default: list[str] | None = None
) -> tuple[RuleInputs, DeltaGenerator]:
    """Draw the rule's widgets (keys ``{prefix}_year, _types, _ind, _above, _km, _ag_pick``).

    Returns the :class:`RuleInputs` and the free third column of the second row (for the
    caller's own widget: the gap page's "show closed", the scenario's date).
    """
    b = ui.bundle()
    types_spec = b.layers["omradestyp"]
    ids = indicator_ids()
    if st.session_state.get(f"{prefix}_ind") not in ids:
        st.session_state[f"{prefix}_ind"] = ids[0]
    c1, c2, c3, c4 = st.columns([1.2, 1.6, 2.6, 1.2])
    year = c1.radio(t("map.year", lang), types_spec.years, key=f"{prefix}_year", horizontal=True)
    types_text = c2.text_input(t("gaps.types", lang), key=f"{prefix}_types")
    indicator = c3.selectbox(
        t("gaps.indicator", lang),
        ids,
        key=f"{prefix}_ind",
        format_func=lambda i: (
            t("gaps.no_indicator", lang)
            if i == "none"
            else f"{b.layers[i].title_in(lang)} – {nm.kind_label(b.layers[i], lang)}"
        ),
        placeholder=t("ui.choose_one", lang),
    )
    above_text = c4.text_input(t("gaps.above", lang), key=f"{prefix}_above")  # Swedish: "20" or "12,5"
    c5, c6, c7 = st.columns([2, 2, 1.4])
    max_km = c5.slider(t("gaps.max_km", lang), *KM_RANGE, step=1.0, key=f"{prefix}_km", format="%.0f km")
    agencies = c6.multiselect(
        t("gaps.agencies", lang),
        list(AGENCIES),
        default=agencies_default,
        format_func=lambda a: presence_view.agency_name(a, lang),
        key=f"{prefix}_ag_pick",
        select_all=False,  # typing + Enter picks the first match, never "select all matches"
        filter_mode="contains",
        placeholder=t("ui.choose_many", lang),
    )
    inputs = RuleInputs(int(year), types_text, indicator, above_text, float(max_km), tuple(agencies))
    return inputs, c7


def check(inputs: RuleInputs, lang: str) -> tuple[tuple[int, ...], float] | None:
    """The områdestyper and the threshold as numbers; ``None`` after showing what is wrong."""
    types = gap_view.parse_types(inputs.types_text)
    if types is None:
        st.error(t("gaps.bad_types", lang))
        return None
    above = gap_view.parse_threshold(inputs.above_text)
    if above is None:
        st.error(t("gaps.above_bad", lang))
        return None
    if not inputs.agencies:
        st.warning(t("gaps.no_agency", lang))
        return None
    return types, above


def place_pickers(
    lang: str, prefix: str, lan_col: DeltaGenerator, kommun_col: DeltaGenerator, lan_help: str | None = None
) -> tuple[str, str]:
    """A län and a kommun selectbox (keys ``{prefix}lan``, ``{prefix}kommun``; kommuner of the chosen län).

    Unknown values in the state fall back to "". Returns the chosen län and kommun codes (``""`` for
    all of Sweden / the whole län).
    """
    lan_key, kommun_key = f"{prefix}lan", f"{prefix}kommun"
    b = ui.bundle()
    lan_names = b.lan["lansnamn"].to_dict()
    kommun_names = b.kommun["kommunnamn"].to_dict()
    if st.session_state.get(lan_key) not in ("", *lan_names):
        st.session_state[lan_key] = ""
    lan = lan_col.selectbox(
        t("map.lan", lang),
        ["", *lan_names],
        key=lan_key,
        format_func=lambda c: t("map.all_sweden", lang) if c == "" else f"{lan_names[c]} ({c})",
        help=lan_help,
        placeholder=t("ui.choose_one", lang),
    )
    options = ["", *[k for k in kommun_names if not lan or b.kommun.at[k, "lanskod"] == lan]]
    if st.session_state.get(kommun_key) not in options:
        st.session_state[kommun_key] = ""
    kommun = kommun_col.selectbox(
        t("map.kommun", lang),
        options,
        key=kommun_key,
        format_func=lambda c: t("map.all_in_lan", lang) if c == "" else f"{kommun_names[c]} ({c})",
        placeholder=t("ui.choose_one", lang),
    )
    return lan, kommun
