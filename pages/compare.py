"""Page "Jämför": kommuner, län or areas side by side, references, charts, peers, downloads (UI only)."""

from datetime import date

import streamlit as st

from geo_app.analysis import compare, gaps
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.app import brief_ui, ui
from geo_app.errors import InputError
from geo_app.export import gpkg as export
from geo_app.export import tables as dl
from geo_app.i18n import t
from geo_app.views import compare_state
from geo_app.views import compare_view as cv

lang = ui.language()
b = ui.bundle()
types_spec = b.layers["omradestyp"]
ui.init_state_once(
    "compare",
    lambda params: compare_state.widget_values(
        compare_state.decode(params, compare_state.CompareState(year=b.types_year), compare_state.options_for(b))[0]
    ),
)
st.title(t("compare.heading", lang))
st.caption(t("compare.intro", lang))
# The session's first view without units in the link answers before the first click: the kommuner of
# the gap rule in a län (the map's län if one was chosen there). Coming back shows the last selection.
if not st.session_state.get("_c_opened"):
    st.session_state["_c_opened"] = True
    if not st.session_state["c_codes"] and st.session_state["c_level"] == "kommun":
        first_year = st.session_state["c_year"]
        opening = cv.opening_selection(b, first_year, lang, st.session_state.get("lan") or None)
        st.session_state["c_codes"] = ",".join(opening.codes)
        st.session_state.setdefault("c_lan12", opening.lan)
        st.session_state["_c_opening"] = (first_year, opening.lan, opening.codes)


def use_selection(level: str, codes) -> None:
    """Button callback (runs before the widgets exist): replace the compared units."""
    st.session_state["c_codes"] = ",".join(codes)
    st.session_state["c_level"] = level
    st.session_state.pop("c_pick", None)


names = {
    "kommun": b.kommun["kommunnamn"].to_dict(),
    "lan": b.lan["lansnamn"].to_dict(),
    "regso": (b.regso["regsonamn"].str.removeprefix("RegSO-") + ", " + b.regso["kommunnamn"]).to_dict(),
}
c1, c2 = st.columns([2, 1])
level = c1.radio(
    t("compare.level", lang),
    list(compare.LEVELS),
    key="c_level",
    horizontal=True,
    format_func=lambda lv: t(f"compare.level.{lv}", lang),
)
year = c2.radio(t("map.year", lang), types_spec.years, key="c_year", horizontal=True)
if "c_pick" not in st.session_state or st.session_state.get("_c_level_was") != level:
    wanted = [c for c in st.session_state["c_codes"].split(",") if c in names[level]]
    st.session_state["c_pick"] = wanted[: cv.MAX_UNITS]
    st.session_state["_c_level_was"] = level
with st.expander(t("compare.type12_in_lan", lang)):
    lan_for_areas = st.selectbox(
        t("map.lan", lang),
        list(names["lan"]),
        format_func=names["lan"].get,
        key="c_lan12",
        placeholder=t("ui.choose_one", lang),
    )
    st.button(
        t("compare.add", lang),
        key="c_add12",
        on_click=use_selection,
        args=("regso", cv.challenged_areas(b, lan_for_areas, year)[: cv.MAX_UNITS]),
    )
codes = st.multiselect(
    t("compare.units", lang),
    list(names[level]),
    key="c_pick",
    max_selections=cv.MAX_UNITS,
    format_func=lambda c: f"{names[level][c]} ({c})",
    select_all=False,  # "Västra" + Enter adds the first match, never "Select 2 matches"
    filter_mode="contains",
    placeholder=t("ui.choose_many", lang),
)
st.session_state["c_codes"] = ",".join(codes)  # the last selection, kept when the visitor comes back
opening_year, opening_lan, opening_codes = st.session_state.get("_c_opening", (year, None, ()))
if codes and tuple(codes) == opening_codes:
    st.caption(cv.opening_selection(b, opening_year, lang, opening_lan).note)
ui.set_query_params(
    compare_state.encode(
        compare_state.CompareState(
            year, level, tuple(codes), st.session_state.get("c_ind") or "", st.session_state.get("c_sim") or ""
        )
    )
)
if not codes:
    st.info(t("compare.none", lang))
    st.stop()
try:
    sel = cv.parse_selection(b, level, codes, year)
except InputError as exc:
    st.error(ui.md_escape(str(exc)))
    st.stop()

# Indicators: every value with the national and the områdestyp reference beside it.
st.subheader(t("compare.indicators", lang))
table = ui.indicator_table(sel, lang)
shown = cv.indicator_display(table, lang)
ui.table(shown, lang, hide_index=True, height=min(38 + 35 * len(shown), 560))
st.caption(t("compare.typeref_note", lang))
note = cv.unemployment_note(table, lang)
if note:
    st.caption(note)

layers = list(dict.fromkeys(table["layer"]))
if st.session_state.get("c_ind") not in layers:
    st.session_state["c_ind"] = next(
        (lid for lid in ("arbetsloshet_scb", "arbetsloshet_af_modell", "utrikes_fodda") if lid in layers), layers[0]
    )
chart_col, rank_col = st.columns([3, 2])
with chart_col:
    layer = st.selectbox(
        t("compare.chart", lang),
        layers,
        key="c_ind",
        format_func=lambda lid: f"{b.layers[lid].title_in(lang)} – {table.loc[table['layer'] == lid, 'kind'].iloc[0]}",
        placeholder=t("ui.choose_one", lang),
    )
    ui.altair(cv.indicator_chart(table, layer, lang), width="stretch")
    st.caption(
        ui.md_escape(t("compare.chart_caption", lang) + " " + table.loc[table["layer"] == layer, "source"].iloc[0])
    )
with rank_col:
    st.markdown("**" + t("compare.ranking", lang) + "**")
    ranked = cv.ranking_table(table, layer, lang)
    ui.table(ranked, lang, {t("compare.col.value", lang): b.layers[layer].decimals})

with st.expander(t("compare.small_multiples", lang)):
    ui.altair(cv.small_multiples(table, lang))
    st.caption(t("compare.chart_caption", lang))

tables = {"indikatorer": cv.indicator_display(table, lang, formatted=False), "rangordning": ranked}
if level != "regso":
    st.subheader(t("compare.distribution", lang) + f", {year}")
    ui.altair(cv.distribution_chart(b, sel, lang), width="stretch")
    tables["omradestyper"] = cv.distribution_table(b, sel, lang)
    ui.table(tables["omradestyper"], lang)
years = types_spec.years
st.subheader(t("compare.changes", lang, a=years[0], b=years[-1]))
tables["typbyten"] = cv.changes_table(b, sel, lang)
if tables["typbyten"].empty:
    st.caption(t("compare.no_changes", lang))
else:
    ui.table(tables["typbyten"], lang)

st.subheader(t("compare.similar", lang))
kommun_options = list(names["kommun"])
if st.session_state.get("c_sim") not in kommun_options:
    st.session_state["c_sim"] = (
        codes[0]
        if level == "kommun"
        else b.regso.at[codes[0], "kommunkod"]
        if level == "regso"
        else b.kommun.index[b.kommun["lanskod"] == codes[0]][0]
    )
peer = st.selectbox(
    t("compare.similar_to", lang),
    kommun_options,
    key="c_sim",
    format_func=names["kommun"].get,
    placeholder=t("ui.choose_one", lang),
)
tables["liknande"] = cv.similar_table(b, peer, year, lang)
ui.table(tables["liknande"], lang, {t("compare.col.distance", lang): 2})
st.caption(t("compare.similar_note", lang))
st.button(
    t("compare.add_similar", lang),
    key="c_use_similar",
    on_click=use_selection,
    args=("kommun", list(dict.fromkeys([peer, *tables["liknande"].index]))),
)

st.subheader(t("compare.export", lang))
st.caption(t("compare.export_note", lang))
d1, d2, d3 = st.columns(3)
about = cv.about_rows(b, sel, table, lang, date.today().isoformat())
sheets = {t(f"compare.sheet.{name}", lang): frame for name, frame in tables.items()}
ui.download_buttons(
    t("gaps.download_csv", lang),
    tables["indikatorer"],
    f"jamforelse_{'_'.join(codes[:4])}",
    lang,
    "c_csv",
    container=d1,
)
d2.download_button(
    t("compare.download_xlsx", lang),
    lambda: dl.to_xlsx(sheets, about, lang),
    key="c_xlsx",
    file_name=f"jamforelse_{'_'.join(codes[:4])}.xlsx",
    mime=dl.XLSX_MIME,
)
with st.expander(t("compare.csv_per_table", lang)):
    for i, (name, frame) in enumerate(sheets.items()):
        ui.download_buttons(f"{name}.csv", frame, f"jamforelse_{name}", lang, f"c_csv_{i}")
choice = cv.export_choice(sel)


as_of = ui.as_of_input("c_asof", t("presence.as_of", lang), lang)
# shared objects; the callback runs outside the script
offices, points = ui.presence(as_of), ui.area_points()
states = ui.presence_states(as_of)


def make_gpkg() -> bytes:
    """The GeoPackage of the compared units with the default gap rule, made when the button is clicked."""
    gap = gaps.analyse(b.regso, offices, b.gap_rule(RuleOptions(year=year)), points, states=states)
    return export.export_gpkg(b, offices, choice, gap=gap)


d3.download_button(
    t("compare.download_gpkg", lang),
    make_gpkg,
    file_name=export.file_name(choice),
    mime="application/geopackage+sqlite3",
    key="c_gpkg_dl",
    type="primary",
)

brief_ui.download_buttons(b, level, codes, lang, brief_ui.BriefInputs(year, as_of, offices, points, states))
