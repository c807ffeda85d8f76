"""Streamlit glue shared by the pages: cached data, language, URL state, small widgets.

This is the only module of the package that imports Streamlit; analysis code
never does.
"""

from geo_app.app.ui.cache import (
    aliases,
    area_points,
    area_sizes,
    bundle,
    gap_result,
    indicator_table,
    office_layers,
    presence,
    presence_evidence,
    presence_states,
    private_imports,
)
from geo_app.app.ui.chrome import CAPTION_COLOUR, FOCUS_COLOUR, page_chrome
from geo_app.app.ui.focus import candidate_label, district_panel, focus_gap_map, focus_map, search_places
from geo_app.app.ui.state import (
    LANG_KEY,
    init_state_once,
    language,
    language_selector,
    query_params,
    set_query_params,
)
from geo_app.app.ui.widgets import (
    KIND_COLOURS,
    altair,
    as_of_input,
    download_buttons,
    facts_panel,
    formatted_table,
    kind_badge,
    legend,
    md_escape,
    office_panel,
    selected_row,
    table,
)
from geo_app.formats import DECIMAL_SEPARATOR, GROUP_SEPARATOR

__all__ = [
    "CAPTION_COLOUR",
    "DECIMAL_SEPARATOR",
    "FOCUS_COLOUR",
    "GROUP_SEPARATOR",
    "KIND_COLOURS",
    "LANG_KEY",
    "aliases",
    "altair",
    "area_points",
    "area_sizes",
    "as_of_input",
    "bundle",
    "gap_result",
    "candidate_label",
    "district_panel",
    "download_buttons",
    "facts_panel",
    "focus_gap_map",
    "focus_map",
    "formatted_table",
    "indicator_table",
    "init_state_once",
    "kind_badge",
    "language",
    "language_selector",
    "legend",
    "md_escape",
    "office_layers",
    "office_panel",
    "page_chrome",
    "presence",
    "presence_evidence",
    "presence_states",
    "private_imports",
    "query_params",
    "search_places",
    "selected_row",
    "set_query_params",
    "table",
]
