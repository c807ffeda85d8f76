"""Start page: every RegSO area coloured by områdestyp (UI only)."""

import streamlit as st

from geo_app.app import controls, road_ui, ui
from geo_app.export import tables as dl
from geo_app.i18n import fmt_number, t
from geo_app.views import map_state, maplayers, office_view
from geo_app.views import map_view as nm
from geo_app.views.mapspec import MAP_HEIGHT_PX

lang = ui.language()
b = ui.bundle()
layer_ids = [s.id for s in nm.fill_layers(b)]

ui.init_state_once("map", lambda params: map_state.widget_values(map_state.decode(params, map_state.options_for(b))[0]))
if st.session_state.get("layer") not in layer_ids:
    st.session_state["layer"] = "omradestyp"
spec = b.layers[st.session_state["layer"]]
if spec.years and st.session_state.get("year") not in spec.years:
    st.session_state["year"] = spec.default_year
st.title(t("map.heading", lang))
st.caption(t("map.intro", lang))

c_layer, c_year = st.columns([3, 2])
with c_layer:
    st.selectbox(
        t("map.layer", lang),
        layer_ids,
        key="layer",
        format_func=lambda i: f"{b.layers[i].title_in(lang)} – {nm.kind_label(b.layers[i], lang)}",
        placeholder=t("ui.choose_one", lang),
    )
with c_year:
    if not spec.years:
        year = None
        st.caption(ui.md_escape(nm.source_line(b, spec, None, lang)))
    elif len(spec.years) <= 4:
        year = st.radio(t("map.year", lang), spec.years, key="year", horizontal=True)
    else:
        year = st.select_slider(t("map.year", lang), spec.years, key="year")
c_lan, c_kommun, c_search = st.columns([2, 2, 3])
lan, kommun = controls.place_pickers(lang, "", c_lan, c_kommun)
with c_search:
    query = st.text_input(t("map.search", lang), key="q", placeholder=t("map.search_placeholder", lang))
    candidates = ui.search_places(query)
    found = candidates[0] if len(candidates) == 1 else None
    if len(candidates) > 1:  # more than one plausible place: the user chooses (each with its kommun)
        by_key = {c.key: c for c in candidates}
        picked_key = st.selectbox(
            t("map.search_hits", lang, n=len(candidates)),
            ["", *by_key],
            key="area_pick",
            format_func=lambda k: t("map.search_none", lang) if k == "" else ui.candidate_label(by_key[k], lang),
            placeholder=t("ui.choose_one", lang),
        )
        found = by_key.get(picked_key)
    elif query.strip() and not candidates:
        st.caption(t("map.search_nothing", lang))
area = found.codes[0] if found is not None and not found.is_alias else ""
district_kommun = found.kommunkod if found is not None and found.is_alias and not kommun else kommun

choice = nm.normalise_choice(b, nm.ViewChoice(spec.id, year, lan, district_kommun, area))
alias_text = query.strip() if found is not None and found.is_alias else ""
ui.set_query_params(
    map_state.encode(
        map_state.MapState(choice.layer, choice.year, choice.lan or "", choice.kommun or "", choice.area or alias_text)
    )
)

map_col, side_col = st.columns([3, 1])
with map_col:
    place = nm.place_name(b, choice, lang)
    n_areas = len(nm.areas_in_view(b, choice))
    o1, o2 = st.columns([1, 1])
    show_offices = o1.checkbox(t("offices.show", lang), value=True, key="offices")
    with o2:
        as_of = ui.as_of_input("m_asof", t("presence.as_of", lang), lang) if show_offices else None
    offices = ui.presence(as_of)
    tooltip = nm.tooltip_template(b, choice, lang)
    office_layers = ui.office_layers(False, as_of, tooltip, lang) if show_offices else []
    deck = nm.map_deck(b, choice, lang, office_layers)
    ui.focus_map(deck, choice, found)  # a found place in its town; a kommun by where people live
    event = st.pydeck_chart(
        deck,
        on_select="rerun",
        selection_mode="single-object",
        key="map",
        width="stretch",
        height=MAP_HEIGHT_PX,
    )
    st.caption(
        ui.md_escape(
            t("map.alt", lang, n=n_areas, place=place, layer=spec.title_in(lang), year=choice.year or "")
            + " "
            + t("map.outlines", lang)
        )
    )
    st.caption(ui.md_escape(nm.source_line(b, spec, choice.year, lang) + ". " + t("map.link", lang)))

# A click selects an area on any of the area layers (a kommun polygon is not an area).
picked = next(
    (
        c
        for c in ((o.get("properties") or {}).get("code") for o in maplayers.picked(event, maplayers.AREA_LAYER_IDS))
        if c in b.regso.index
    ),
    None,
)
office = office_view.picked_office(maplayers.picked(event, office_view.OFFICE_LAYER_IDS)) if show_offices else None

with side_col:
    st.subheader(t("map.legend", lang))
    ui.legend(spec, lang, nm.class_counts(b, choice, lang))
    ui.kind_badge(spec, lang)
    ref = nm.national_reference(b, spec, choice.year, lang)
    if ref is not None:
        st.text(t("ref.line", lang, label=ref[1], value=fmt_number(ref[0], spec.decimals) + " " + spec.unit_in(lang)))
    if spec.id == "omradestyp":
        st.caption(t("map.no_data_note", lang))
    else:
        st.caption(ui.md_escape(spec.description.get(lang) or spec.description.get("sv", "")))
    if show_offices:
        st.text(t("gaps.legend_points", lang).rsplit("\n", 2)[0])
    st.subheader(t("map.facts", lang))
    shown = picked or choice.area
    if office is not None and ui.office_panel(offices, office, lang):  # an office gone on this date: the area
        st.caption(ui.md_escape(b.catalogue["presence"].citation(lang)))
    elif found is not None and found.is_alias and not picked:
        ui.district_panel(found, lang)
    elif shown:
        ui.facts_panel(nm.area_facts(b, shown, choice.year, lang))
        ui.facts_panel(road_ui.area_road_facts(shown, as_of, lang))
        st.caption(t("map.facts_sources", lang))
    else:
        st.caption(t("map.facts_hint", lang))

st.subheader(t("map.table", lang) + f": {place}, {choice.year}")
# The table alternative renders only on request: st.dataframe pulls ≈ 1.2 MB of Streamlit's table code
# (DataFrame + Arrow chunks) into the first load and redraws its canvas on every rerun (docs/map_speed.md).
if st.toggle(t("map.show_table", lang), key="m_table", help=t("map.show_table_help", lang)):
    if n_areas <= nm.AREA_TABLE_MAX_ROWS:
        table = nm.area_table(b, choice, lang)
        py = nm.population_year(b, choice.year)
        decimals = {**nm.value_decimals(lang, py), **nm.value_decimals(lang, choice.year, spec)}
        st.dataframe(ui.formatted_table(table, decimals), width="stretch", height=320)
    else:
        st.caption(t("map.table_kommun", lang) + ". " + t("map.table_hint", lang))
        table = nm.kommun_summary(b, choice, lang)
        decimals = {
            c: (spec.decimals if spec.id != "omradestyp" and i == len(table.columns) - 1 else 0)
            for i, c in enumerate(table.columns[2:], start=2)
        }
        st.dataframe(ui.formatted_table(table, decimals), width="stretch", height=320)
    st.caption(
        ui.md_escape(nm.source_line(b, spec, choice.year, lang) + "; " + b.catalogue["befolkning"].citation(lang))
    )
    # the app's own formula-safe CSV (Streamlit's table export is off: client.disableDataExport)
    ui.download_buttons(t("gaps.download_csv", lang), table, f"karta_{choice.year}", lang, "m_csv", decimals)

    in_view = (
        offices
        if not (choice.kommun or choice.lan)
        else offices[offices["kommunkod"].isin(b.regso.loc[nm.areas_in_view(b, choice), "kommunkod"])]
    )
    with st.expander(t("offices.table", lang) + f": {place} ({len(in_view)})"):
        st.info(office_view.office_note(offices, lang))
        office_rows = office_view.office_table(in_view, b.kommun["kommunnamn"], lang)
        st.dataframe(
            office_rows,
            width="stretch",
            hide_index=True,
            column_config={t("offices.col.source", lang): st.column_config.LinkColumn()},
        )
        st.caption(b.catalogue["presence"].citation(lang) + ". " + b.catalogue["presence"].note_in(lang))
        st.download_button(  # made on click: the expander's content runs on every rerun of the map
            t("gaps.download_csv", lang),
            lambda: dl.to_csv(office_rows, lang),
            file_name="kontor.csv",
            mime=dl.CSV_MIME,
            key="m_offices_csv",
            help=t("download.csv_help", lang),
        )
