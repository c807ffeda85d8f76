"""All UI strings, in Swedish (default) and English, and Swedish number formats.

Every string a page shows goes through :func:`t`. Numbers are always formatted
the Swedish way (space as thousands separator, decimal comma) through babel.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from geo_app import formats
from geo_app.formats import NUMBER_LOCALE

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
# Feature string tables beside the core table: one TOML file per feature, merged at import.
STRINGS_DIR = Path(__file__).resolve().parent / "strings"

_CORE_STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"sv": "Närvarokartan", "en": "Närvarokartan (presence map)"},
    "app.language": {"sv": "Språk", "en": "Language"},
    "page.map": {"sv": "Karta", "en": "Map"},
    "page.data": {"sv": "Data och källor", "en": "Data and sources"},
    "map.heading": {
        "sv": "Områdestyp och indikatorer per RegSO-område",
        "en": "Area type and indicators by RegSO area",
    },
    "map.intro": {
        "sv": "SCB:s regionala statistikområden (RegSO 2025) färgade efter områdestyp i det "
        "socioekonomiska indexet. Välj år, län eller kommun, eller sök ett område.",
        "en": "SCB's regional statistical areas (RegSO 2025) coloured by area type in the "
        "socioeconomic index. Choose a year, län or kommun, or search for an area.",
    },
    "map.year": {"sv": "År", "en": "Year"},
    "map.lan": {"sv": "Län", "en": "County (län)"},
    "map.kommun": {"sv": "Kommun", "en": "Municipality (kommun)"},
    "map.all_sweden": {"sv": "Hela Sverige", "en": "All of Sweden"},
    "map.all_in_lan": {"sv": "Alla kommuner i länet", "en": "All kommuner in the län"},
    "map.search": {"sv": "Sök område (namn eller kod)", "en": "Search area (name or code)"},
    "map.search_placeholder": {"sv": "t.ex. Lindängen eller 1280R002", "en": "e.g. Lindängen or 1280R002"},
    "map.search_hits": {"sv": "{n} träffar – välj område", "en": "{n} matches – choose an area"},
    "map.search_nothing": {"sv": "Inget område matchar.", "en": "No area matches."},
    "map.search_none": {"sv": "– inget valt –", "en": "– none –"},
    "map.legend": {"sv": "Teckenförklaring", "en": "Legend"},
    "map.no_data_note": {
        "sv": "Grått = uppgift saknas (området finns inte i SCB:s index för året).",
        "en": "Grey = no data (the area is not in SCB's index for that year).",
    },
    "map.outlines": {
        "sv": "Tunna linjer: kommungränser, tjocka: länsgränser.",
        "en": "Thin lines: kommun boundaries; thick: län boundaries.",
    },
    "map.alt": {
        "sv": "Karta över {n} RegSO-områden i {place} färgade efter {layer} {year}.",
        "en": "Map of {n} RegSO areas in {place} coloured by {layer} {year}.",
    },
    "map.table": {"sv": "Tabell över det kartan visar", "en": "Table of what the map shows"},
    "map.facts": {"sv": "Valt område", "en": "Selected area"},
    "map.facts_hint": {
        "sv": "Klicka på ett område eller ett kontor i kartan, eller sök ett område, för att se fakta här.",
        "en": "Click an area or an office on the map, or search for an area, to see its facts here.",
    },
    "map.link": {
        "sv": "Länken i adressfältet öppnar samma vy (län, kommun, år, språk).",
        "en": "The link in the address bar reopens this view (län, kommun, year, language).",
    },
    "col.regsokod": {"sv": "RegSO-kod", "en": "RegSO code"},
    "col.regsonamn": {"sv": "Område", "en": "Area"},
    "col.kommunnamn": {"sv": "Kommun", "en": "Kommun"},
    "col.lansnamn": {"sv": "Län", "en": "Län"},
    "col.omradestyp": {"sv": "Områdestyp", "en": "Area type"},
    "col.omradestyp_namn": {"sv": "Områdestyp (namn)", "en": "Area type (name)"},
    "col.folkmangd": {"sv": "Folkmängd", "en": "Population"},
    "col.andel_utrikes_fodda_pct": {"sv": "Utrikes födda, %", "en": "Foreign-born, %"},
    "col.medel_loneinkomst_tkr": {"sv": "Medellöneinkomst, tkr", "en": "Mean wage income, kSEK"},
    "col.kommunkod": {"sv": "Kommunkod", "en": "Kommun code"},
    "col.pop_type12": {"sv": "Folkmängd i typ 1–2, {year}", "en": "Population in types 1–2, {year}"},
    "map.table_kommun": {"sv": "Områden per typ och kommun", "en": "Areas per type and kommun"},
    "map.table_hint": {
        "sv": "Välj ett län eller en kommun för att se varje område i tabellen.",
        "en": "Choose a län or kommun to see every area in the table.",
    },
    "col.count": {"sv": "Antal områden", "en": "Areas"},
    "col.population": {"sv": "Folkmängd", "en": "Population"},
    "tooltip.population": {"sv": "Folkmängd {year}", "en": "Population {year}"},
    "source.line": {"sv": "Källa: {source}, {year}", "en": "Source: {source}, {year}"},
    "source.official": {"sv": "Källa: {source}, {year}", "en": "Source: {source}, {year}"},
    "source.reference": {
        "sv": "Referensvärde per områdestyp – källa: {source}, {year}",
        "en": "Type-level reference value – source: {source}, {year}",
    },
    "source.estimate": {
        "sv": "MODELLSKATTNING, inte mätt per område – bygger på: {source}, {year}",
        "en": "MODEL ESTIMATE, not measured per area – based on: {source}, {year}",
    },
    "source.imported": {
        "sv": "Importerad av användaren: {source}, {year}",
        "en": "Imported by the user: {source}, {year}",
    },
    "kind.official": {"sv": "Officiell statistik", "en": "Official statistics"},
    "kind.reference": {"sv": "Referensvärde per områdestyp", "en": "Type-level reference value"},
    "kind.estimate": {"sv": "Modellskattning", "en": "Model estimate"},
    "kind.imported": {"sv": "Importerad", "en": "Imported"},
    "ref.national": {"sv": "Riket", "en": "Sweden"},
    "ref.computed": {
        "sv": "Riket (befolkningsviktat medel av {level}, beräknat)",
        "en": "Sweden (population-weighted mean of {level}, computed)",
    },
    "ref.line": {"sv": "Jämförelse – {label}: {value}", "en": "Reference – {label}: {value}"},
    "level.regso": {"sv": "områdena", "en": "the areas"},
    "level.kommun": {"sv": "kommunerna", "en": "the kommuner"},
    "col.kommun_mean": {"sv": "Kommunmedel", "en": "Kommun mean"},
    "map.facts_sources": {
        "sv": "Källor: SCB (områdestyp, befolkning, inkomst), Kolada N03937 (kommun), Af 2024 (referensvärden "
        "per typ), Polisen (utsatta områden). Modellskattningar är märkta – se sidan Data och källor.",
        "en": "Sources: SCB (area type, population, income), Kolada N03937 (kommun), Af 2024 (type-level "
        "reference values), Police (vulnerable areas). Model estimates are marked – see Data and sources.",
    },
    "import.heading": {"sv": "Importera egna siffror", "en": "Import your own figures"},
    "import.intro": {
        "sv": "CSV (komma eller semikolon, decimalpunkt eller -komma, UTF-8 eller Windows-1252), XLSX eller "
        'SCB:s JSON-stat 2.0. Nyckel: RegSO 2025- eller 2020-kod, "Kommun (Område)" eller kommunkod. '
        "Importerade värden visas som egna lager, märkta Importerad; en ny områdestypsårgång blir valbar på kartan.",
        "en": "CSV (comma or semicolon, decimal point or comma, UTF-8 or Windows-1252), XLSX or SCB's "
        'JSON-stat 2.0. Key: RegSO 2025 or 2020 code, "Kommun (Område)" or kommun code. Imported values '
        "become their own layers, marked Imported; a new area-type year becomes selectable on the map.",
    },
    "import.file": {"sv": "Fil", "en": "File"},
    "import.name": {"sv": "Namn (valfritt)", "en": "Name (optional)"},
    "import.year": {"sv": "År (om filen saknar årskolumn)", "en": "Year (if the file has no year column)"},
    "import.key": {"sv": "Nyckel", "en": "Key"},
    "import.key.auto": {"sv": "Känn igen automatiskt", "en": "Detect automatically"},
    "import.key.regso2025": {"sv": "RegSO 2025-kod", "en": "RegSO 2025 code"},
    "import.key.regso2020": {"sv": "RegSO 2020-kod", "en": "RegSO 2020 code"},
    "import.key.label": {"sv": '"Kommun (Område)"', "en": '"Kommun (Område)"'},
    "import.key.kommun": {"sv": "Kommunkod", "en": "Kommun code"},
    "import.allow_unmatched": {
        "sv": "Importera matchade rader även om vissa nycklar är okända",
        "en": "Import matched rows even if some keys are unknown",
    },
    "import.check": {"sv": "Granska filen", "en": "Check the file"},
    "import.refused": {
        "sv": "Filen importerades inte; inget har ändrats.",
        "en": "The file was not imported; nothing changed.",
    },
    "import.preview": {"sv": "Förhandsvisning – inget är sparat än", "en": "Preview – nothing saved yet"},
    "import.save": {"sv": "Spara importen", "en": "Save the import"},
    "import.saved": {"sv": "Sparade {name} ({n} rader).", "en": "Saved {name} ({n} rows)."},
    "import.list": {"sv": "Dina importer", "en": "Your imports"},
    "import.rows": {"sv": "rader", "en": "rows"},
    "import.remove": {"sv": "Ta bort", "en": "Remove"},
    "page.gaps": {"sv": "Närvaroluckor", "en": "Presence gaps"},
    "gaps.heading": {
        "sv": "Närvaroluckor: utmanade områden långt från statlig närvaro",
        "en": "Presence gaps: challenged areas far from state presence",
    },
    "gaps.intro": {
        "sv": "Regel: områdestyp i valda typer och (valfritt) en indikator över tröskeln. En lucka är ett sådant "
        "område vars närmaste öppna kontor ligger längre bort än avståndet, fågelvägen i SWEREF 99 TM från en "
        "punkt inuti området. Standard 20 km ≈ en halvtimmes resa med bil; en planeringsgräns, inte en norm.",
        "en": "Rule: area type in the chosen types and (optionally) an indicator above the threshold. A gap is "
        "such an area whose nearest open office is farther than the distance, straight line in SWEREF 99 TM from "
        "a point inside the area. Default 20 km ≈ half an hour by car; a planning limit, not a norm.",
    },
    "gaps.types": {"sv": "Områdestyper (t.ex. 1,2)", "en": "Area types (e.g. 1,2)"},
    "gaps.indicator": {"sv": "Indikator", "en": "Indicator"},
    "gaps.no_indicator": {"sv": "Ingen – bara områdestyp", "en": "None – area type only"},
    "gaps.above": {"sv": "Över", "en": "Above"},
    "gaps.max_km": {
        "sv": "Lucka om närmaste kontor är längre bort än (km)",
        "en": "Gap if the nearest office is farther than (km)",
    },
    "gaps.agencies": {"sv": "Kontor som räknas", "en": "Offices that count"},
    "gaps.show_closed": {"sv": "Visa stängda kontor", "en": "Show closed offices"},
    "gaps.bad_types": {
        "sv": "Ange områdestyper 1–5 åtskilda med komma.",
        "en": "Give area types 1–5 separated by commas.",
    },
    "gaps.no_agency": {"sv": "Välj minst en myndighet.", "en": "Choose at least one agency."},
    "gaps.summary": {
        "sv": "{kommuner} kommuner har {areas} områden som matchar regeln; {gaps} av dem ligger mer än {km} km från närmaste kontor",
        "en": "{kommuner} kommuner have {areas} areas matching the rule; {gaps} of them are more than {km} km from the nearest office",
    },
    "gaps.estimate_warning": {
        "sv": "Indikatorn är en MODELLSKATTNING (se docs/estimates.md), inte uppmätt per område. Importera "
        "verklig områdesarbetslöshet på sidan Data och källor så används den i stället.",
        "en": "The indicator is a MODEL ESTIMATE (see docs/estimates.md), not measured per area. Import real "
        "per-area unemployment on the Data and sources page and it is used instead.",
    },
    "gaps.incomplete": {
        "sv": "Ofullständigt kontorsregister (offentliga källor), per {day}: {af} AF-kontor (publicerat cirka "
        "{af_ref} i slutet av 2020) och {ssc} servicekontor (publicerat {ssc_ref} i slutet av 2024). Där "
        "registret inte vet om det finns kontor kallas inget område lucka – de visas som ”närvaro okänd”.",
        "en": "Incomplete office register (public sources), as of {day}: {af} AF offices (published: about "
        "{af_ref} at the end of 2020) and {ssc} service offices (published: {ssc_ref} at the end of 2024). Where "
        "the register does not know whether there are offices, no area is called a gap – it shows as "
        "'presence unknown'.",
    },
    "gaps.imported_list": {
        "sv": "{agency}: importerad lista ({n} kontor) ersätter registret från offentliga källor.",
        "en": "{agency}: imported list ({n} offices) replaces the register from public sources.",
    },
    "offices.show": {"sv": "Visa kontor", "en": "Show offices"},
    "offices.table": {"sv": "Kontorslista", "en": "Office list"},
    "offices.col.agency": {"sv": "Myndighet", "en": "Agency"},
    "offices.col.name": {"sv": "Kontor", "en": "Office"},
    "offices.col.status": {"sv": "Status", "en": "Status"},
    "offices.col.date": {"sv": "Datum (status)", "en": "Date (status)"},
    "offices.col.precision": {"sv": "Lägesnoggrannhet", "en": "Location precision"},
    "offices.col.origin": {"sv": "Ursprung", "en": "Origin"},
    "offices.col.source": {"sv": "Källa", "en": "Source"},
    "offices.origin.embedded": {"sv": "register (offentliga källor)", "en": "register (public sources)"},
    "status.open": {"sv": "öppet", "en": "open"},
    "status.closing": {"sv": "stänger", "en": "closing"},
    "status.uncertain": {"sv": "stänger/osäkert (kan ha stängt)", "en": "closing/uncertain (may have closed)"},
    "status.closed": {"sv": "stängt", "en": "closed"},
    "status.planned": {"sv": "planerat", "en": "planned"},
    "precision.coordinates": {"sv": "koordinater (adress)", "en": "coordinates (address)"},
    "precision.area": {"sv": "område (RegSO)", "en": "area (RegSO)"},
    "precision.town": {"sv": "ort", "en": "town"},
    "precision.kommun": {"sv": "kommun", "en": "kommun"},
    "officeimport.heading": {"sv": "Importera kontorslista", "en": "Import an office list"},
    "officeimport.intro": {
        "sv": "CSV/XLSX med namn och koordinater (WGS84 lat/lon eller SWEREF 99 TM E/N, känns igen automatiskt) "
        "eller med adress, postnummer och ort (placeras på område, ort eller kommun), eller GeoJSON/GeoPackage "
        "med punkter. Filen granskas först; inget sparas förrän du bekräftar.",
        "en": "CSV/XLSX with names and coordinates (WGS84 lat/lon or SWEREF 99 TM E/N, detected) or with "
        "address, postal code and town (placed on area, town or kommun), or GeoJSON/GeoPackage points. The file "
        "is checked first; nothing is saved until you confirm.",
    },
    "officeimport.agency": {"sv": "Myndighet", "en": "Agency"},
    "officeimport.agency.other": {"sv": "Annan", "en": "Other"},
    "officeimport.replace": {
        "sv": "Ersätt den inbäddade listan för myndigheten",
        "en": "Replace the embedded list for the agency",
    },
    "page.compare": {"sv": "Jämför", "en": "Compare"},
    "compare.heading": {"sv": "Jämför kommuner, län och områden", "en": "Compare kommuner, län and areas"},
    "compare.intro": {
        "sv": "Välj flera kommuner, län eller RegSO-områden och se dem sida vid sida med riksvärde och det värde "
        "områdestyperna ger. Länken i adressfältet öppnar samma jämförelse.",
        "en": "Choose several kommuner, län or RegSO areas and see them side by side with the national value and "
        "the value their area types imply. The link in the address bar opens the same comparison.",
    },
    "compare.level": {"sv": "Jämför", "en": "Compare"},
    "compare.level.kommun": {"sv": "Kommuner", "en": "Kommuner"},
    "compare.level.lan": {"sv": "Län", "en": "Län"},
    "compare.level.regso": {"sv": "RegSO-områden", "en": "RegSO areas"},
    "compare.units": {"sv": "Välj (sök genom att skriva)", "en": "Choose (type to search)"},
    "compare.type12_in_lan": {"sv": "Lägg till områdestyp 1–2 i länet", "en": "Add the type 1–2 areas of the län"},
    "compare.add": {"sv": "Lägg till", "en": "Add"},
    "compare.none": {"sv": "Välj minst en enhet att jämföra.", "en": "Choose at least one unit to compare."},
    "compare.indicators": {"sv": "Indikatorer", "en": "Indicators"},
    "compare.typeref_note": {
        "sv": "Områdestypsreferens = värdet om varje område låg på riksgenomsnittet för sin områdestyp, vägt med "
        "enhetens befolkning per typ. Värden för kommuner och län är befolkningsvägda medel av områdena "
        "(folkmängd: summa).",
        "en": "Area type reference = the value if every area were at the national mean for its area type, weighted "
        "by the unit's population per type. Values for kommuner and län are population-weighted means of the "
        "areas (population: sum).",
    },
    "compare.chart": {"sv": "Diagram: välj indikator", "en": "Chart: choose an indicator"},
    "compare.chart_caption": {
        "sv": "Staplar: enheternas värden. Linje: riksvärdet. Punkt: områdestypsreferensen.",
        "en": "Bars: the units' values. Line: the national value. Dot: the area type reference.",
    },
    "compare.small_multiples": {"sv": "Alla indikatorer i små diagram", "en": "All indicators as small charts"},
    "compare.csv_per_table": {"sv": "CSV per tabell", "en": "CSV per table"},
    "compare.ranking": {"sv": "Rangordning", "en": "Ranking"},
    "compare.distribution": {"sv": "Befolkning per områdestyp", "en": "Population by area type"},
    "compare.changes": {"sv": "Områden som bytte områdestyp {a}→{b}", "en": "Areas that changed area type {a}→{b}"},
    "compare.no_changes": {"sv": "Inga områden bytte typ.", "en": "No area changed type."},
    "compare.similar": {"sv": "Liknande kommuner", "en": "Similar kommuner"},
    "compare.similar_to": {"sv": "Liknande kommuner som", "en": "Kommuner similar to"},
    "compare.similar_note": {
        "sv": "Närmast i fem standardiserade indikatorer (z-värden): log folkmängd, andel i områdestyp 1–2, "
        "andel utrikes födda, öppet arbetslösa (N03937) och förgymnasial utbildning. Avstånd 1 = i snitt en "
        "standardavvikelse ifrån.",
        "en": "Nearest in five standardised indicators (z-scores): log population, share in area type 1–2, "
        "foreign-born share, openly unemployed (N03937) and pre-upper-secondary education. Distance 1 = one "
        "standard deviation apart on average.",
    },
    "compare.add_similar": {"sv": "Jämför med dessa", "en": "Compare with these"},
    "compare.download_xlsx": {"sv": "Ladda ner XLSX", "en": "Download XLSX"},
    "compare.export": {"sv": "GeoPackage för QGIS/ArcGIS", "en": "GeoPackage for QGIS/ArcGIS"},
    "compare.export_note": {
        "sv": "Filen innehåller de valda enheternas områden, kommuner, län, kontor och luckresultat i SWEREF 99 TM, "
        "med färdig stil för QGIS och källor i varje lagers beskrivning och i tabellen om_data.",
        "en": "The file holds the chosen units' areas, kommuner, län, offices and gap results in SWEREF 99 TM, "
        "pre-styled for QGIS, with sources in each layer's description and in the om_data table.",
    },
    "compare.download_gpkg": {"sv": "Ladda ner GeoPackage", "en": "Download GeoPackage"},
    "compare.col.indicator": {"sv": "Indikator", "en": "Indicator"},
    "compare.col.national": {"sv": "Riket", "en": "Sweden"},
    "compare.col.typeref": {"sv": "Områdestypsreferens", "en": "Area type reference"},
    "compare.col.kind": {"sv": "Slag", "en": "Kind"},
    "compare.col.year": {"sv": "År", "en": "Year"},
    "compare.col.source": {"sv": "Källa", "en": "Source"},
    "compare.col.unit": {"sv": "Enhet", "en": "Unit"},
    "compare.col.value": {"sv": "Värde", "en": "Value"},
    "compare.col.rank": {"sv": "Plats", "en": "Rank"},
    "compare.col.people": {"sv": "personer", "en": "people"},
    "compare.col.change": {"sv": "Förändring", "en": "Change"},
    "compare.col.distance": {"sv": "Avstånd", "en": "Distance"},
    "compare.change.up": {"sv": "upp (bättre förutsättningar)", "en": "up (better conditions)"},
    "compare.change.down": {"sv": "ned (större utmaningar)", "en": "down (greater challenges)"},
    "compare.feature.pop_log": {"sv": "log10 folkmängd", "en": "log10 population"},
    "compare.feature.share_type12": {"sv": "Andel i typ 1–2, %", "en": "Share in type 1–2, %"},
    "compare.feature.foreign_born": {"sv": "Utrikes födda, %", "en": "Foreign-born, %"},
    "compare.feature.unemployment": {"sv": "Öppet arbetslösa, %", "en": "Openly unemployed, %"},
    "compare.feature.no_gymnasium": {"sv": "Förgymnasial utbildning, %", "en": "Pre-upper-secondary education, %"},
    "gaps.legend_points": {
        "sv": "◯ Arbetsförmedlingen (blå ring)\n● Statens servicecenter (grön prick)\n● Kommunsamverkan (orange, mörk kant)\n"
        "• Annat importerat kontor (grå, mörk kant)\n∘ Stängt kontor (liten mörkgrå ring)\nBlekt = planerat\n"
        "Grå ring = närvaro okänd\nLila fläck = lucka",
        "en": "◯ Arbetsförmedlingen (blue ring)\n● Statens servicecenter (green dot)\n● Kommun collaboration (orange, dark edge)\n"
        "• Other imported office (grey, dark edge)\n∘ Closed office (small dark-grey ring)\nFaded = planned\n"
        "Grey ring = presence unknown\nPurple blot = gap",
    },
    "gaps.kommun_table": {
        "sv": "Kommuner med områden som matchar regeln",
        "en": "Kommuner with areas matching the rule",
    },
    "gaps.area_table": {
        "sv": "Luckor: områden mer än {km} km från närmaste kontor",
        "en": "Gaps: areas more than {km} km from the nearest office",
    },
    "gaps.download_csv": {"sv": "Ladda ner CSV", "en": "Download CSV"},
    "gaps.col.areas": {"sv": "Områden", "en": "Areas"},
    "gaps.col.indicator_max": {"sv": "Indikator, högsta", "en": "Indicator, highest"},
    "gaps.col.indicator": {"sv": "Indikator", "en": "Indicator"},
    "gaps.col.has_af": {"sv": "AF-kontor i kommunen", "en": "AF office in kommun"},
    "gaps.col.has_ssc": {"sv": "Servicekontor i kommunen", "en": "Service office in kommun"},
    "gaps.col.max_km": {"sv": "Längsta avstånd, km", "en": "Longest distance, km"},
    "gaps.col.mean_km": {"sv": "Medelavstånd, km", "en": "Mean distance, km"},
    "gaps.col.km_any": {"sv": "Närmaste kontor, km", "en": "Nearest office, km"},
    "gaps.col.nearest_any": {"sv": "Närmaste kontor", "en": "Nearest office"},
    "gaps.col.km_af": {"sv": "Närmaste AF, km", "en": "Nearest AF, km"},
    "gaps.col.km_ssc": {"sv": "Närmaste servicekontor, km", "en": "Nearest service office, km"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "map.layer": {"sv": "Visa på kartan", "en": "Show on the map"},
    "map.kind": {"sv": "Slag av uppgift", "en": "Kind of figure"},
    "data.heading": {"sv": "Data och källor", "en": "Data and sources"},
    "data.intro": {
        "sv": "Alla dataset som appen visar, med källa, år, licens och slag (officiell statistik, "
        "modellskattning eller importerad).",
        "en": "Every dataset the app shows, with source, year, licence and kind (official statistics, "
        "model estimate or imported).",
    },
    "data.name": {"sv": "Dataset", "en": "Dataset"},
    "data.source": {"sv": "Källa", "en": "Source"},
    "data.year": {"sv": "År", "en": "Year"},
    "data.licence": {"sv": "Licens", "en": "Licence"},
    "data.kind": {"sv": "Slag", "en": "Kind"},
    "data.rows": {"sv": "Rader", "en": "Rows"},
    "data.note": {"sv": "Anmärkning", "en": "Note"},
    "na": {"sv": "uppgift saknas", "en": "no data"},
}


def _load_string_files(folder: Path) -> dict[str, dict[str, str]]:
    """Read the feature string tables ``geo_app/strings/*.toml`` (``["key"]`` tables with ``sv``/``en``).

    Raises
    ------
    ValueError
        If a key is defined twice (in two files, or in a file and the core table) or lacks Swedish.
    """
    out: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            table = tomllib.load(fh)
        for key, entry in table.items():
            if key in out or key in _CORE_STRINGS:
                raise ValueError(f"{path.name}: string key {key!r} is defined twice")
            if not isinstance(entry, dict) or not isinstance(entry.get("sv"), str):
                raise ValueError(f'{path.name}: string key {key!r} needs a Swedish text (sv = "…")')
            out[key] = {lang: str(text) for lang, text in entry.items()}
    return out


STRINGS: dict[str, dict[str, str]] = {**_CORE_STRINGS, **_load_string_files(STRINGS_DIR)}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}``.

    Falls back to Swedish, then to the key itself, so a missing translation is
    visible rather than fatal.
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**kwargs) if kwargs else text


def normalise_language(value: object) -> str:
    """Return ``value`` if it is a supported language code, else the default."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def fmt_number(value: float | int | None, decimals: int = 0, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a number the Swedish way (``12 345,6``); missing values as 'uppgift saknas'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("na", lang)
    try:
        if pd.isna(value):
            return t("na", lang)
    except (TypeError, ValueError):
        pass
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=NUMBER_LOCALE)


def fmt_numbers(values: Iterable[float | None], decimals: int = 0, missing: str | None = None) -> list[str]:
    """Format many numbers like :func:`fmt_number`; missing values become ``missing`` ('uppgift saknas')."""
    return formats.fmt_numbers(values, decimals, t("na") if missing is None else missing)
