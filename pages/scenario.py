"""Page "Scenario": add points and close offices, see gaps before → after (UI only)."""

import streamlit as st

from geo_app.analysis import siting
from geo_app.analysis.indicators import population_year
from geo_app.analysis.presence import AGENCIES
from geo_app.app import siting_ui, ui
from geo_app.data.paths import PAGES_DIR
from geo_app.i18n import t
from geo_app.views import map_view as nm
from geo_app.views import maplayers
from geo_app.views import scenario_view as sv
from geo_app.views.mapspec import MAP_HEIGHT_PX
from geo_app.views.presence_view import agency_name

lang = ui.language()
b = ui.bundle()
state, rule, as_of = siting_ui.page_start("scenario", "scen", lang)
offices = ui.presence(as_of)
points = ui.area_points()
labels = siting_ui.office_labels(as_of, lang)
unemployed, unemployed_kind = siting_ui.unemployed(rule.year)
try:
    added = siting_ui.added_offices(state.points)
    result = siting.scenario(
        b.regso,
        offices,
        rule,
        add=added,
        remove=state.removed,
        points=points,
        unemployed=unemployed,
        unemployed_kind=unemployed_kind,
        roads=siting_ui.roads_for(rule),
    )
except siting.SitingError as exc:
    st.error(t("scen.error", lang, detail=str(exc)))
    st.stop()
result = siting.split_unknown(result, siting_ui.unknown_presence(result, as_of))
ui.set_query_params(sv.encode_state(state, siting_ui.defaults()))


def _changed() -> None:
    st.session_state[siting_ui.PROBLEMS] = []


def add_point(lon: float, lat: float) -> None:
    """Add a point with the chosen agency; close the office it replaces, if one is chosen."""
    ss = st.session_state
    if len(ss.get("s_points", [])) >= sv.MAX_POINTS:
        ss[siting_ui.PROBLEMS] = [("scen.max_points", {"n": sv.MAX_POINTS})]
        return
    ss["s_points"] = [*ss.get("s_points", []), sv.NewPoint(round(lon, 5), round(lat, 5), ss.get("s_agency", "af"))]
    moved = ss.get("s_replaces")
    if moved and moved not in ss.get("s_rm", []):
        ss["s_rm"] = [*ss.get("s_rm", []), moved]
    ss["s_replaces"] = ""
    _changed()
    siting_ui.remember()


def drop_point(i: int) -> None:
    """Remove the i-th added point."""
    ss = st.session_state
    ss["s_points"] = [p for j, p in enumerate(ss.get("s_points", [])) if j != i]
    _changed()


def clear() -> None:
    """Remove every added point and reopen every closed office."""
    st.session_state["s_points"] = []
    st.session_state["s_rm"] = []
    _changed()
    siting_ui.remember()


# ---- before → after, all of Sweden
st.subheader(t("scen.before_after", lang))
n_changed = int((result.areas["change"] != "").sum())
st.text(t("scen.summary", lang, added=len(result.added), removed=len(result.removed), changed=n_changed))
pop_year = population_year(b.regso, rule.year)
cards = sv.cards(result, lang, rule.max_km, pop_year)
for col, card in zip(st.columns(len(cards)), cards, strict=True):
    col.metric(
        card["label"],
        f"{card['before']} → {card['after']}",
        delta=card["delta"],
        delta_color="inverse",
        help=t("scen.before", lang, value=card["before"]),
    )
st.caption(t("scen.unknown_note", lang))
if unemployed is not None:
    st.caption(
        t(
            "scen.unemployed_note",
            lang,
            kind=t(sv.unemployed_kind_key(unemployed_kind), lang),
            detail=unemployed_kind.split(": ", 1)[-1],
        )
    )

map_col, side_col = st.columns([3, 2])
with side_col:
    st.subheader(t("scen.add_heading", lang))
    query = st.text_input(t("scen.search", lang), key="s_q", help=t("scen.search_help", lang))
    hits = sv.search(siting_ui.search_table(), query) if query else None
    pick = None
    if hits is not None and hits.empty:
        st.info(t("scen.no_match", lang))
    elif hits is not None:
        pick = st.selectbox(
            t("scen.pick", lang),
            hits.index.tolist(),
            format_func=lambda i: hits.loc[i, "label"],
            key="s_pick",
            placeholder=t("ui.choose_one", lang),
        )
    a1, a2 = st.columns(2)
    st.session_state.setdefault("s_agency", state.agencies[0])  # as the CLI: the rule's first agency
    a1.selectbox(
        t("scen.agency", lang),
        list(AGENCIES),
        format_func=lambda a: agency_name(a, lang),
        key="s_agency",
        placeholder=t("ui.choose_one", lang),
    )
    movable = [str(i) for i in offices.index[offices["status"].isin(siting.COUNTING_STATUSES)]]
    a2.selectbox(
        t("scen.replaces", lang),
        ["", *movable],
        format_func=lambda i: labels.get(i, t("scen.replaces_none", lang)),
        key="s_replaces",
        placeholder=t("ui.choose_one", lang),
    )
    if pick is not None:
        st.button(
            t("scen.add", lang),
            key="s_add_btn",
            type="primary",
            on_click=add_point,
            args=(float(hits.loc[pick, "lon"]), float(hits.loc[pick, "lat"])),
        )

    st.subheader(t("scen.points", lang))
    if not state.points:
        st.caption(t("scen.no_points", lang))
    for i, (p, (_, area, kommun)) in enumerate(zip(state.points, sv.place_of(state.points, b.regso), strict=True)):
        c1, c2 = st.columns([6, 1])
        c1.text(f"{i + 1}. {agency_name(p.agency, lang)}: {area}, {kommun} ({p.lon}, {p.lat})")
        c2.button("✕", key=f"s_del_{i}", on_click=drop_point, args=(i,), help=t("scen.remove_point", lang))

    st.subheader(t("scen.close_offices", lang))
    agency_filter = st.radio(
        t("scen.close_agency", lang),
        ["all", *AGENCIES],
        format_func=lambda a: t("scen.all_agencies", lang) if a == "all" else agency_name(a, lang),
        key="s_rm_ag",
        horizontal=True,
    )
    shown = [i for i in movable if agency_filter == "all" or offices.loc[i, "agency"] == agency_filter]
    options = list(dict.fromkeys([*st.session_state.get("s_rm", []), *shown]))
    st.multiselect(
        t("scen.close_offices", lang),
        options,
        format_func=lambda i: labels.get(i, i),
        key="s_rm",
        on_change=_changed,
        placeholder=t("scen.pick_offices", lang),
    )
    siting_ui.remember()
    st.button(t("scen.clear", lang), key="s_clear", on_click=clear)
    st.caption(t("scen.link", lang))
    st.page_link(str(PAGES_DIR / "suggest.py"), label=t("scen.suggest_link", lang), icon="➡️")

with map_col:
    types_spec = b.layers["omradestyp"]
    src = nm.source_line(b, types_spec, rule.year, lang)
    layers = sv.scenario_layers(b, result, offices, points)
    deck = sv.deck(b, rule.year, lang, layers, sv.focus_bounds(b, result, offices))
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", key="s_map", width="stretch", height=MAP_HEIGHT_PX
    )
    clicked = None
    for obj in maplayers.picked(event, maplayers.AREA_LAYER_IDS):
        clicked = (obj.get("properties") or {}).get("code") or clicked
    if clicked in b.regso.index:
        st.text(
            t("scen.clicked", lang, area=b.regso.loc[clicked, "regsonamn"], kommun=b.regso.loc[clicked, "kommunnamn"])
        )
        here = points.loc[[clicked]].to_crs(4326).iloc[0]
        st.button(
            t("scen.add_clicked", lang), key="s_add_click", on_click=add_point, args=(float(here.x), float(here.y))
        )
    else:
        st.caption(t("scen.click_hint", lang))
    st.text(t("scen.legend", lang))
    st.caption(src + "; " + b.catalogue["presence"].citation(lang))

st.subheader(t("scen.national_table", lang))
national = sv.national_table(result, lang, rule.max_km, pop_year)
st.dataframe(ui.formatted_table(national, sv.number_formats(national, lang)), width="stretch")
st.subheader(t("scen.kommun_table", lang))
kt = sv.kommun_table(result, lang)
st.dataframe(ui.formatted_table(kt, sv.number_formats(kt, lang)), width="stretch", height=320)

st.subheader(t("scen.area_table", lang))
changed = sv.changed_area_table(result, lang, {k: v.split(" · ", 1)[-1] for k, v in labels.items()})
if changed.empty:
    st.caption(t("scen.no_change", lang))
else:
    st.dataframe(ui.formatted_table(changed, sv.number_formats(changed, lang)), width="stretch", height=280)

d1, d2 = st.columns(2)
# Made on click (deferred), not on every rerun.
d1.download_button(
    t("scen.download_gpkg", lang),
    lambda: sv.to_gpkg(sv.export_frames(result, offices, siting_ui.export_geometry())),
    file_name=f"narvarokartan_scenario_{rule.year}.gpkg",
    mime="application/geopackage+sqlite3",
    key="s_gpkg",
)
d2.download_button(
    t("scen.download_xlsx", lang),
    lambda: sv.to_workbook(result, lang, rule.max_km, pop_year),
    file_name=f"narvarokartan_scenario_{rule.year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="s_xlsx",
)
