"""Page "Förslag": where N new offices would reach most demand (MCLP / LSCP / p-median) (UI only)."""

import dataclasses

import streamlit as st

from geo_app.analysis import siting
from geo_app.analysis.presence import AGENCIES
from geo_app.app import siting_ui, ui
from geo_app.data.paths import PAGES_DIR
from geo_app.i18n import fmt_number, t
from geo_app.views import gap_view
from geo_app.views import map_view as nm
from geo_app.views import scenario_view as sv
from geo_app.views.mapspec import MAP_HEIGHT_PX
from geo_app.views.presence_view import agency_name

lang = ui.language()
b = ui.bundle()
state, rule, as_of = siting_ui.page_start("suggest", "sugg", lang)
ui.set_query_params({k: v for k, v in sv.encode_state(state, siting_ui.defaults()).items() if k in sv.RULE_KEYS})
unemployed, unemployed_kind = siting_ui.unemployed(rule.year)

c1, c2 = st.columns([1, 3])
objective = c2.radio(
    t("sugg.objective", lang), siting.OBJECTIVES, format_func=lambda o: t(f"sugg.obj.{o}", lang), key="f_obj"
)
n = c1.number_input(
    t("sugg.n", lang), min_value=1, max_value=50, value=3, step=1, key="f_n", disabled=objective == "lscp"
)
c3, c4, c5, c6 = st.columns([2, 2, 1.2, 1])
kinds = c3.multiselect(
    t("sugg.candidates", lang),
    list(siting.CANDIDATE_KINDS),
    default=list(siting.CANDIDATE_KINDS),
    format_func=lambda k: t(f"sugg.cand.{k}", lang),
    key="f_cand",
    placeholder=t("ui.choose_many", lang),
)
weights = [w for w in siting.WEIGHTS if w != "unemployed" or unemployed is not None]
weight = c4.radio(
    t("sugg.weight", lang), weights, format_func=lambda w: sv.weight_label(w, lang, unemployed_kind), key="f_weight"
)
agency = c5.selectbox(
    t("sugg.agency", lang),
    list(AGENCIES),
    format_func=lambda a: agency_name(a, lang),
    key="f_agency",
    placeholder=t("ui.choose_one", lang),
)
# whole seconds: Streamlit's number input writes decimals with a point ("30.00"), never a comma
time_limit = c6.number_input(t("sugg.time_limit", lang), min_value=1, max_value=120, value=30, step=1, key="f_time")
inputs = (
    dataclasses.astuple(rule),
    state.as_of,
    None if objective == "lscp" else int(n),
    objective,
    tuple(kinds),
    weight,
    float(time_limit),
)
if st.button(t("sugg.run", lang), key="f_run", type="primary"):
    st.session_state["f_inputs"] = inputs
if not kinds:
    st.warning(t("sugg.no_candidates", lang))
    st.stop()
if st.session_state.get("f_inputs") != inputs:
    st.info(t("sugg.press_run", lang))
    st.stop()

with st.spinner(t("sugg.spinner_import", lang)):
    siting_ui.spopt_loaded()
try:
    with st.spinner(t("sugg.spinner", lang), show_time=True):
        request = siting_ui.SuggestRequest(inputs[2], objective, tuple(kinds), weight, float(time_limit))
        s = siting_ui.suggestion(rule, request, as_of)
except siting.SitingError as exc:
    st.error(t("sugg.error", lang, detail=str(exc)))
    st.stop()

tot, greedy = s.totals, s.greedy_totals
km = fmt_number(rule.max_km, 0 if float(rule.max_km).is_integer() else 1, lang)
st.subheader(t("sugg.result", lang, n=int(tot["sites"])))
if tot.get("measure") == "road":
    minutes = t("roads.minutes", lang, n=fmt_number(tot["max_km"], 0, lang))
    network = siting_ui.roads_for(rule)
    weight_text = sv.weight_label(weight, lang, unemployed_kind)
    st.text(t("roads.weight_line_road", lang, weight=weight_text, minutes=minutes, network=network.name))
    st.caption(t("roads.suggest_left_out", lang, road=int(tot["areas_total"]), left=int(tot["left_out_areas"])))
else:
    st.text(t("sugg.weight_line", lang, weight=sv.weight_label(weight, lang, unemployed_kind), km=km))
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("sugg.covered_before", lang), fmt_number(tot["covered_before"], 0, lang))
m2.metric(
    t("sugg.covered_after", lang),
    fmt_number(tot["covered_after"], 0, lang),
    delta=fmt_number(tot["covered_after"] - tot["covered_before"], 0, lang),
)
m3.metric(t("sugg.optimal", lang), t("yes" if tot["optimal"] else "no", lang), help=str(tot["status"]))
m4.metric(t("sugg.seconds", lang), fmt_number(tot["solve_seconds"], 2, lang) + " s")
st.text(
    t(
        "sugg.of_total",
        lang,
        total=fmt_number(tot["demand_total"], 0, lang),
        before=int(tot["areas_covered_before"]),
        after=int(tot["areas_covered_after"]),
        areas=int(tot["areas_total"]),
    )
)
if "mean_km_before" in tot:
    st.text(
        t(
            "sugg.mean_km",
            lang,
            before=fmt_number(tot["mean_km_before"], 1, lang),
            after=fmt_number(tot["mean_km_after"], 1, lang),
        )
    )
st.text(t("sugg.greedy", lang, sites=int(greedy["sites"]), covered=fmt_number(greedy["covered_after"], 0, lang)))
if len(s.uncovered):
    st.caption(t("sugg.uncovered", lang, n=len(s.uncovered)))


def to_scenario() -> None:
    """Hand the suggestion to the Scenario page: its points, this rule, nothing closed."""
    st.session_state["f_handoff"] = True


st.button(t("sugg.to_scenario", lang), key="f_to_scenario", on_click=to_scenario, type="primary")
if st.session_state.pop("f_handoff", False):
    chosen = dataclasses.replace(state, points=sv.suggestion_points(s, agency), removed=())
    params = {k: v for k, v in sv.encode_state(chosen, siting_ui.defaults()).items() if v is not None}
    st.session_state[siting_ui.LOADED] = False  # the Scenario page reads these parameters on its first run
    st.switch_page(str(PAGES_DIR / "scenario.py"), query_params=params)

map_col, side_col = st.columns([3, 2])
with map_col:
    offices = ui.presence(as_of)
    points = ui.area_points()
    far = siting.scenario(b.regso, offices, rule, points=points, roads=siting_ui.roads_for(rule)).areas["gap_before"]
    layers = [gap_view.gap_marker_layer(points[far])]
    layers += ui.office_layers(False, as_of)
    layers += sv.suggestion_layers(s)
    src = nm.source_line(b, b.layers["omradestyp"], rule.year, lang)
    st.pydeck_chart(sv.deck(b, rule.year, lang, layers), key="f_map", width="stretch", height=MAP_HEIGHT_PX)
    st.text(t("sugg.legend", lang))
    st.caption(src + "; " + b.catalogue["presence"].citation(lang))
with side_col:
    st.subheader(t("sugg.sites", lang))
    table = sv.sites_table(s.sites, lang)
    decimals = {c: 0 for c in table.columns if c not in (t("scen.col.lon", lang), t("scen.col.lat", lang))}
    decimals |= {t("scen.col.lon", lang): 5, t("scen.col.lat", lang): 5}
    st.dataframe(ui.formatted_table(table, decimals), width="stretch")
    ui.download_buttons(t("gaps.download_csv", lang), table, "forslag", lang, "f_csv", decimals)
