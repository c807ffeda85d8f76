"""Before → after tables (national, per kommun, changed areas) and the suggestion tables, with translated headers."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo_app.analysis import siting
from geo_app.i18n import fmt_number, t
from geo_app.views.scenario_view.state import NewPoint

MEASURES = ("known_gap_areas", "unknown_areas", "gap_population", "gap_unemployed")
UNSPLIT_MEASURES = ("gap_areas", "gap_population", "gap_unemployed")  # a result without split_unknown


def unemployed_kind_key(kind: str) -> str:
    """``kind.estimate`` / ``kind.imported`` for an :func:`~geo_app.analysis.siting.unemployed_for` label."""
    return "kind.imported" if str(kind).startswith("imported") else "kind.estimate"


def measure_label(
    measure: str, lang: str, unemployed_kind: str = "", max_km: float | None = None, year: int | str = ""
) -> str:
    """Translated name of a before/after measure; population says its year, the unemployed their kind."""
    km = fmt_number(max_km or 0, 0 if float(max_km or 0).is_integer() else 1, lang)
    if measure == "gap_unemployed":
        return t("scen.m.gap_unemployed", lang, kind=t(unemployed_kind_key(unemployed_kind), lang), km=km)
    return t(f"scen.m.{measure}", lang, km=km, year=year)


def measures_of(result: siting.ScenarioResult) -> tuple[str, ...]:
    """The before/after measures a result has: known gaps and unknown presence split, or not."""
    return MEASURES if "known_gap_areas_before" in result.national else UNSPLIT_MEASURES


def national_table(result: siting.ScenarioResult, lang: str, max_km: float, pop_year: int | str = "") -> pd.DataFrame:
    """Before, after and change per measure for Sweden (numbers; the page formats them the Swedish way)."""
    nat = result.national
    rows = []
    for m in measures_of(result):
        if f"{m}_before" not in nat:
            continue
        before, after = float(nat[f"{m}_before"]), float(nat[f"{m}_after"])
        rows.append(
            {
                t("scen.col.measure", lang): measure_label(m, lang, result.unemployed_kind, max_km, pop_year),
                t("scen.col.before", lang): before,
                t("scen.col.after", lang): after,
                t("scen.col.change", lang): after - before,
            }
        )
    return pd.DataFrame(rows).set_index(t("scen.col.measure", lang))


def cards(result: siting.ScenarioResult, lang: str, max_km: float, pop_year: int | str = "") -> list[dict[str, str]]:
    """Metric cards: label, before, after and the change, formatted the Swedish way."""
    out = []
    nat = result.national
    for m in measures_of(result):
        if f"{m}_before" not in nat:
            continue
        before, after = float(nat[f"{m}_before"]), float(nat[f"{m}_after"])
        delta = after - before
        out.append(
            {
                "measure": m,
                "label": measure_label(m, lang, result.unemployed_kind, max_km, pop_year),
                "before": fmt_number(before, 0, lang),
                "after": fmt_number(after, 0, lang),
                "delta": ("+" if delta > 0 else "") + fmt_number(delta, 0, lang) if delta else "0",
            }
        )
    return out


_KOMMUN_COLUMNS = {
    "kommunnamn": "col.kommunnamn",
    "rule_areas": "scen.col.rule_areas",
    "known_gap_areas_before": "scen.col.known_gap_areas_before",
    "known_gap_areas_after": "scen.col.known_gap_areas_after",
    "unknown_areas_before": "scen.col.unknown_areas_before",
    "unknown_areas_after": "scen.col.unknown_areas_after",
    "gap_areas_before": "scen.col.gap_areas_before",
    "gap_areas_after": "scen.col.gap_areas_after",
    "gap_population_before": "scen.col.gap_population_before",
    "gap_population_after": "scen.col.gap_population_after",
    "gap_unemployed_before": "scen.col.gap_unemployed_before",
    "gap_unemployed_after": "scen.col.gap_unemployed_after",
    "changed": "scen.col.changed",
}
_AREA_COLUMNS = {
    "regsonamn": "col.regsonamn",
    "kommunnamn": "col.kommunnamn",
    "omradestyp": "col.omradestyp",
    "population": "col.population",
    "dist_km_before": "scen.col.km_before",
    "dist_km_after": "scen.col.km_after",
    "nearest_after": "scen.col.nearest_after",
    "change": "scen.col.change_status",
    "presence_unknown": "scen.col.presence_unknown",
}
DECIMALS = {"km": 1, "unemployed": 0}


def kommun_table(result: siting.ScenarioResult, lang: str) -> pd.DataFrame:
    """Per kommun with rule areas: gap areas, population and unemployed before/after (translated headers)."""
    table = result.kommuner
    keep = [c for c in _KOMMUN_COLUMNS if c in table.columns]
    if "known_gap_areas_before" in keep:  # split: the all-areas count is the sum of the two
        keep = [c for c in keep if c not in ("gap_areas_before", "gap_areas_after")]
    out = table[keep].copy()
    out["changed"] = out["changed"].map({True: t("yes", lang), False: t("no", lang)})
    kind = t(unemployed_kind_key(result.unemployed_kind), lang)
    out.columns = [t(_KOMMUN_COLUMNS[c], lang, kind=kind) for c in keep]
    out.index.name = t("col.kommunkod", lang)
    return out


def changed_area_table(result: siting.ScenarioResult, lang: str, office_names: Mapping[str, str]) -> pd.DataFrame:
    """The rule's areas whose gap status changed (closed first, then opened), translated headers."""
    areas = result.areas[result.areas["change"] != ""]
    order = areas["change"].map({"closed": 0, "opened": 1})
    areas = areas.assign(_o=order).sort_values(["_o", "dist_km_before"], ascending=[True, False])
    cols = [c for c in _AREA_COLUMNS if c in areas.columns]
    out = areas[cols].copy()
    if "presence_unknown" in out:
        out["presence_unknown"] = out["presence_unknown"].map({True: t("yes", lang), False: t("no", lang)})
    out["nearest_after"] = out["nearest_after"].map(lambda o: office_names.get(str(o), str(o)) if o else "")
    out["change"] = out["change"].map(lambda c: t(f"scen.change.{c}", lang))
    out.columns = [t(_AREA_COLUMNS[c], lang) for c in cols]
    out.index.name = t("col.regsokod", lang)
    return out


def number_formats(table: pd.DataFrame, lang: str) -> dict[str, int]:
    """Decimals per displayed column: distances 1, the rest 0 (for ``ui.formatted_table``)."""
    km = {t("scen.col.km_before", lang), t("scen.col.km_after", lang)}
    return {c: (1 if c in km else 0) for c in table.columns if pd.api.types.is_numeric_dtype(table[c])}


def weight_label(weight: str, lang: str, unemployed_kind: str = "") -> str:
    """Demand weight with its kind: population (official), unemployed (estimate/imported), equal."""
    if weight == "unemployed":
        kind = t(unemployed_kind_key(unemployed_kind), lang) if unemployed_kind else t("kind.estimate", lang)
        return t("scen.weight.unemployed", lang, kind=kind)
    return t(f"scen.weight.{weight}", lang)


_SITE_COLUMNS = {
    "name": "scen.col.site",
    "kind": "scen.col.site_kind",
    "kommunnamn": "col.kommunnamn",
    "demand_added": "scen.col.demand_added",
    "areas_added": "scen.col.areas_added",
    "lon": "scen.col.lon",
    "lat": "scen.col.lat",
}


def sites_table(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Chosen sites: name, kind, kommun, demand and areas added, lon/lat (translated headers)."""
    keep = [c for c in _SITE_COLUMNS if c in sites.columns]
    out = sites[keep].copy()
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda k: t(f"scen.site_kind.{k}", lang))
    out.columns = [t(_SITE_COLUMNS[c], lang) for c in keep]
    out.index.name = t("scen.col.site_id", lang)
    return out


def suggestion_points(s: siting.SiteSuggestion, agency: str) -> tuple[NewPoint, ...]:
    """The chosen sites as what-if points (for "Gör till scenario")."""
    return tuple(
        NewPoint(round(float(x), 5), round(float(y), 5), agency)
        for x, y in zip(s.sites["lon"], s.sites["lat"], strict=True)
    )
