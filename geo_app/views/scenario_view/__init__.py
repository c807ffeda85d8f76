"""What-if scenarios and suggested sites as the pages show them (no Streamlit).

The analysis is :mod:`geo_app.analysis.siting`; this module holds what the "Scenario" and
"Förslag" pages need around it:

* the scenario in the URL — added points ``s_add=lon,lat:agency;…``, closed offices
  ``s_rm=id,id``, the rule ``s_year, s_types, s_ind, s_above, s_km, s_ag`` — encoded and decoded
  by pure functions; hostile or broken values are dropped with a message (never an exception);
* the check that added points lie in Sweden (per point, so one bad point does not sink the rest);
* before → after tables (national and per kommun) with translated headers, and the changed areas;
* the deck layers: changed areas filled ("closed" green, "opened" red), remaining gaps, offices
  (closed ones crossed out), added points, suggested sites;
* the downloads: a GeoPackage (EPSG:3006) and an XLSX workbook.
"""

from geo_app.views.scenario_view.downloads import (
    AREA_LAYER,
    OFFICE_LAYER,
    export_frames,
    qgis_styles,
    to_gpkg,
    to_workbook,
)
from geo_app.views.scenario_view.layers import (
    ADDED_COLOUR,
    CHANGE_COLOURS,
    SUGGESTED_COLOUR,
    changed_areas_layer,
    deck,
    focus_bounds,
    point_records,
    scenario_layers,
    suggestion_layers,
)
from geo_app.views.scenario_view.points import (
    added_offices,
    check_points,
    fold,
    office_label,
    place_of,
    search,
    search_table,
)
from geo_app.views.scenario_view.state import (
    ADD_KEY,
    KM_RANGE,
    MAX_PARAM_CHARS,
    MAX_POINTS,
    REMOVE_KEY,
    RULE_KEYS,
    NewPoint,
    Problem,
    ScenarioState,
    decode_points,
    decode_state,
    encode_points,
    encode_state,
)
from geo_app.views.scenario_view.tables import (
    DECIMALS,
    MEASURES,
    UNSPLIT_MEASURES,
    cards,
    changed_area_table,
    kommun_table,
    measure_label,
    measures_of,
    national_table,
    number_formats,
    sites_table,
    suggestion_points,
    unemployed_kind_key,
    weight_label,
)

__all__ = [
    "ADDED_COLOUR",
    "ADD_KEY",
    "AREA_LAYER",
    "CHANGE_COLOURS",
    "DECIMALS",
    "KM_RANGE",
    "MAX_PARAM_CHARS",
    "MAX_POINTS",
    "MEASURES",
    "OFFICE_LAYER",
    "REMOVE_KEY",
    "RULE_KEYS",
    "SUGGESTED_COLOUR",
    "UNSPLIT_MEASURES",
    "NewPoint",
    "Problem",
    "ScenarioState",
    "added_offices",
    "cards",
    "changed_area_table",
    "changed_areas_layer",
    "check_points",
    "deck",
    "decode_points",
    "decode_state",
    "encode_points",
    "encode_state",
    "export_frames",
    "focus_bounds",
    "fold",
    "kommun_table",
    "measure_label",
    "measures_of",
    "national_table",
    "number_formats",
    "office_label",
    "place_of",
    "point_records",
    "qgis_styles",
    "scenario_layers",
    "search",
    "search_table",
    "sites_table",
    "suggestion_layers",
    "suggestion_points",
    "to_gpkg",
    "to_workbook",
    "unemployed_kind_key",
    "weight_label",
]
