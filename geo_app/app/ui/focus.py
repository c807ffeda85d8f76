"""Search and map focus: places matching a text, the chooser's labels, zooming the built map, the district panel."""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from geo_app.app.ui.cache import aliases, area_sizes, bundle
from geo_app.i18n import t
from geo_app.views import map_view as national_map
from geo_app.views import search
from geo_app.views.search import display_names


def search_places(query: str) -> list[search.Candidate]:
    """Places matching the search text (district aliases and areas; diacritics folded)."""
    return search.search(bundle().regso, aliases(), query)


def candidate_label(candidate: search.Candidate, lang: str) -> str:
    """A search result as the chooser shows it: name, kommun and code or number of areas."""
    if candidate.is_alias:
        return t("search.alias_label", lang, name=candidate.name, kommun=candidate.kommun, n=len(candidate.codes))
    return f"{candidate.name}, {candidate.kommun} ({candidate.codes[0]})"


def focus_map(deck: pdk.Deck, choice: national_map.ViewChoice, found: search.Candidate | None) -> None:
    """Zoom the built map: a found place shown in its town, a kommun fitted to where people live."""
    b = bundle()
    if found is not None:
        outline = search.outline_of(b.display["regso"], found.codes) if found.is_alias else None
        search.refocus(deck, search.focus_bounds(b.bounds, found.codes), outline)
    elif choice.kommun and not choice.area:
        pop = f"folkmangd_{national_map.population_year(b, choice.year)}"
        search.refocus(deck, search.kommun_view_bounds(b.regso, b.bounds, area_sizes(), choice.kommun, pop))


def district_panel(found: search.Candidate, lang: str) -> None:
    """The facts side panel for a district alias: its areas, what it covers and the sources (plain text)."""
    alias = found.alias
    if alias is None:  # an area, not a district: nothing to explain
        return
    st.text(t("search.alias_heading", lang, name=found.name, kommun=found.kommun))
    names = bundle().regso.loc[list(found.codes), "regsonamn"]

    st.text("\n".join(f"– {n} ({c})" for c, n in display_names(names).items()))
    st.caption(t("search.alias_note", lang) + " " + alias.note)
    st.caption(t("search.alias_sources", lang) + " " + ", ".join(alias.sources))


def focus_gap_map(deck: pdk.Deck, area: str | None, kommun: str | None, lan: str | None) -> None:
    """Zoom the gap map to a selected area (in its town, outlined), a kommun (where people live) or a län.

    A kommun or län is the map's region: its ``region_lines`` already outline it, so it is not outlined again.
    """
    b = bundle()
    if area and f"regso:{area}" in b.bounds:
        search.refocus(deck, search.focus_bounds(b.bounds, [area]), search.outline_of(b.display["regso"], [area]))
    elif kommun and kommun in b.kommun.index:
        pop = f"folkmangd_{national_map.population_year(b, None)}"
        search.refocus(deck, search.kommun_view_bounds(b.regso, b.bounds, area_sizes(), kommun, pop))
    elif lan and lan in b.lan.index:
        search.refocus(deck, b.bounds[f"lan:{lan}"])
