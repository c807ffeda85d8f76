"""Page "Närvaroluckor": rule controls, gap areas and offices on the map, kommun and area tables (UI only)."""

from datetime import date

import streamlit as st

from geo_app.analysis import gaps
from geo_app.app import controls, road_ui, ui
from geo_app.export import gpkg as export
from geo_app.export import tables as dl
from geo_app.i18n import fmt_number, t
from geo_app.views import gap_state, gap_view, maplayers, office_view, presence_view, seed_view
from geo_app.views import map_view as nm
from geo_app.views.mapspec import (
    MAP_HEIGHT_PX,
    SWEDEN_BOUNDS,
    build_deck,
    tooltip_text,
    view_for_bounds,
)

lang = ui.language()
b = ui.bundle()
types_spec = b.layers["omradestyp"]
ui.init_state_once(
    "gaps",
    lambda params: gap_state.widget_values(
        gap_state.decode(params, gap_state.defaults_for(b), gap_state.options_for(b))[0]
    ),
)
st.title(t("gaps.heading", lang))
st.caption(t("gaps.intro", lang))

inputs, c7 = controls.rule_widgets("g", lang, agencies_default=st.session_state["g_ag"].split(","))
year, indicator, max_km, agencies = inputs.year, inputs.indicator, inputs.max_km, inputs.agencies
show_closed = c7.checkbox(t("gaps.show_closed", lang), key="g_closed")
c8, c9, c10 = st.columns([1.4, 1.2, 1.4])
with c8:
    as_of = ui.as_of_input("g_asof", t("presence.as_of", lang), lang)
compare = c9.checkbox(t("presence.compare", lang), value=st.session_state.get("g_asof2") is not None, key="g_cmp")
as_of2 = None
if compare:
    if st.session_state.get("g_asof2") is None:
        st.session_state["g_asof2"] = date(2023, 1, 1)
    with c10:
        as_of2 = ui.as_of_input("g_asof2", t("presence.compare_date", lang), lang)
measure, max_min = road_ui.measure_widgets("g", lang)
z1, z2, _ = st.columns([2, 2, 3])
place_lan, place_kommun = controls.place_pickers(lang, "g_", z1, z2, lan_help=t("gaps.zoom", lang))

checked = controls.check(inputs, lang)
if checked is None:
    st.stop()
types, above = checked
state = gap_state.GapState(
    year=year,
    indicator=indicator,
    types=types,
    above=above,
    max_km=max_km,
    agencies=tuple(agencies),
    as_of=as_of,
    as_of2=as_of2,
    lan=place_lan,
    kommun=place_kommun,
    measure=measure,
    max_min=gaps.DEFAULT_MAX_MIN if max_min is None else max_min,
)
rule = b.gap_rule(state.rule_options())
network = road_ui.road_network() if measure == "road" else None
ui.set_query_params(gap_state.encode(state))
offices = ui.presence(as_of)
points = ui.area_points()
result = ui.gap_result(rule, as_of)  # cached: choosing a place re-runs no analysis

counts = result.summary()
km_text = fmt_number(max_km, 0 if max_km == round(max_km) else 1)
st.subheader(t("presence.summary", lang, day=as_of.isoformat(), km=km_text, **counts))
st.caption(t("presence.unknown_note", lang))
st.caption(road_ui.measure_note(result.distances["measure"][result.rule], network, (max_km, max_min), lang))
if rule.indicator_kind == "estimate":
    st.warning(t("gaps.estimate_warning", lang))
st.info(office_view.office_note(offices, lang))
if "conflict" in offices and (n_conflicts := int((offices["conflict"].fillna("") != "").sum())):
    st.caption(t("presence.conflicts", lang, n=n_conflicts))

# The tables of the chosen place (all of Sweden by default), headers naming the indicator.
place = nm.place_name(b, nm.ViewChoice(lan=place_lan or None, kommun=place_kommun or None), lang)
ind_label = gap_view.indicator_label(b, rule, lang)
kommun_lan = b.kommun["lanskod"]


def here(table):
    """The rows of a gap table in the chosen län or kommun."""
    return gap_view.in_place(table, kommun_lan, place_lan, place_kommun)


kt = gap_view.kommun_table_for_display(here(result.kommuner), lang, ind_label)
at_ = gap_view.area_table_for_display(here(result.areas), lang, ind_label)
ut = gap_view.area_table_for_display(here(result.unknown_areas), lang, ind_label)
kt_dec, at_dec, ut_dec = gap_view.display_decimals(kt), gap_view.display_decimals(at_), gap_view.display_decimals(ut)

# A selected table row zooms the map to that kommun or area (the area wins when both are selected).
picked_kommun = ui.selected_row(st.session_state.get("g_kommun_rows"), kt.index)
picked_area = ui.selected_row(st.session_state.get("g_area_rows"), at_.index)

map_col, side_col = st.columns([3, 1])
with map_col:
    # Same stable, light layers as the map page; a chosen kommun or län is drawn in detail.
    focus_kommun = picked_kommun or place_kommun
    region = ("kommun", focus_kommun) if focus_kommun else (("lan", place_lan) if place_lan else None)
    layers = maplayers.map_layers(b.files, b.layers, types_spec, year, region)
    layers.append(gap_view.unknown_marker_layer(points[result.unknown]))
    layers.append(gap_view.gap_marker_layer(points[result.gap]))
    src = nm.source_line(b, types_spec, year, lang)
    tooltip = tooltip_text(types_spec, year, lang, src, year)
    layers += ui.office_layers(show_closed, as_of, tooltip, lang)  # pickable: a click shows the office
    deck = build_deck(layers, view_for_bounds(SWEDEN_BOUNDS), tooltip)
    ui.focus_gap_map(deck, picked_area, picked_kommun or place_kommun, place_lan)
    gap_event = st.pydeck_chart(
        deck,
        key="gap_map",
        width="stretch",
        height=MAP_HEIGHT_PX,
        on_select="rerun",
        selection_mode="single-object",
    )
with side_col:
    st.subheader(t("map.legend", lang))
    ui.legend(types_spec, lang)
    st.text(t("gaps.legend_points", lang))
    st.caption(b.catalogue["presence"].note_in(lang))
    clicked_office = office_view.picked_office(maplayers.picked(gap_event, office_view.OFFICE_LAYER_IDS))
    if clicked_office in offices.index.astype(str):  # an office clicked (and still listed on this date)
        st.subheader(t("map.facts", lang))
        ui.office_panel(offices, clicked_office, lang)
        st.caption(ui.md_escape(b.catalogue["presence"].citation(lang)))

if as_of2 is not None:
    other = ui.gap_result(rule, as_of2)
    summary, changed = presence_view.compare_dates(other, result)
    st.subheader(t("presence.compare_heading", lang, first=as_of2.isoformat(), second=as_of.isoformat()))
    shown = summary.rename(
        index=lambda k: t(f"presence.compare.row.{k}", lang),
        columns={
            "first": as_of2.isoformat(),
            "second": as_of.isoformat(),
            "change": t("presence.compare.col.change", lang),
        },
    )
    ui.table(shown, lang, width="content", key="g_cmp_summary")
    st.text(t("presence.compare_changed", lang))
    if changed.empty:
        st.caption(t("presence.compare_none", lang))
    else:
        for col in ("first", "second"):
            changed[col] = changed[col].map(lambda c: t(f"presence.class.{c}", lang))
        ui.table(changed.rename(columns={"first": as_of2.isoformat(), "second": as_of.isoformat()}), lang, height=240)

about = gap_view.rule_about(b, rule, offices, lang, place, as_of.isoformat())
suffix = "" if not (place_lan or place_kommun) else f": {place}"
st.subheader(t("gaps.kommun_table", lang) + suffix)
st.caption(t("gaps.row_hint", lang))
ui.table(kt, lang, kt_dec, height=320, key="g_kommun_rows", on_select="rerun", selection_mode="single-row")
d1, d2, d3 = st.columns(3)
ui.download_buttons(t("gaps.download_csv", lang), kt, f"narvaroluckor_kommuner_{year}", lang, "dl_kommun", kt_dec, d1)
# Workbook and GeoPackage are made on click (deferred), not on every slider move.
d2.download_button(
    t("compare.download_xlsx", lang),
    lambda: dl.to_xlsx(
        {t("sheet.kommuner", lang): kt, t("sheet.areas", lang): at_, t("sheet.unknown", lang): ut},
        about,
        lang,
        {**kt_dec, **at_dec, **ut_dec},
    ),
    file_name=f"narvaroluckor_{year}.xlsx",
    key="dl_xlsx",
    mime=dl.XLSX_MIME,
)
st.subheader(t("gaps.area_table", lang, km=km_text) + suffix)
ui.table(at_, lang, at_dec, height=320, key="g_area_rows", on_select="rerun", selection_mode="single-row")
ui.download_buttons(t("gaps.download_csv", lang), at_, f"narvaroluckor_omraden_{year}", lang, "dl_areas", at_dec)
st.subheader(t("presence.unknown_table", lang) + f" ({len(ut)})" + suffix)
ui.table(ut, lang, ut_dec, height=240)
ui.download_buttons(
    t("gaps.download_csv", lang),
    ut,
    f"narvaro_okand_omraden_{year}_{as_of.isoformat()}",
    lang,
    "dl_unknown",
    ut_dec,
)
# Why presence is unknown: the agency and kommun each unknown area rests on (the next fact to look for).
why = presence_view.unknown_why(result, b.regso, points, ui.presence_states(as_of), ui.presence_evidence(as_of))
st.subheader(t("presence.why_heading", lang, n=len(why)))
if why.empty:
    st.caption(t("presence.why_none", lang))
else:
    st.caption(t("presence.why_intro", lang))
    wt = presence_view.unknown_why_table(why, lang)
    ui.table(wt, lang, height=240, key="g_why")
    ui.download_buttons(
        t("gaps.download_csv", lang), wt, f"narvaro_okand_varfor_{as_of.isoformat()}", lang, "dl_why", {}
    )
st.caption(ui.md_escape(src + "; " + b.catalogue["presence"].citation(lang)))

# "Export what you see": the current rule's gap areas, with every area, kommun, län and office.
d3.download_button(
    t("compare.download_gpkg", lang),
    lambda: export.export_gpkg(b, offices, export.ExportChoice(), gap=result),
    file_name=export.file_name(export.ExportChoice()),
    mime="application/geopackage+sqlite3",
    key="g_gpkg_dl",
)

# The seed question with official data, beside Af's published 60 (different measure and year).
st.subheader(t("seed.heading", lang))
st.caption(t("seed.explain", lang))
ui.table(seed_view.seed_table(b, lang), lang, hide_index=True, key="g_seed")
