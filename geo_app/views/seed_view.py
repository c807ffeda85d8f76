"""The seed question with official data: kommuner with type 1–2 areas above 20 % unemployment.

Arbetsförmedlingen's *Återrapport 2* (2024, data 2022) says "in 60 kommuner there are areas with
socioeconomic challenges where unemployment is above 20 %" — Af's own register measure (registered
unemployed incl. programmes ÷ registered labour force 16–64) and Af's own area delimitation. The
app answers the same question with SCB's official per-area unemployment 2024 (BAS: unemployed ÷
labour force 20–64) on the 2023 and 2022 area types, and shows the model estimate beside them. The
page (Närvaroluckor) and ``geo-app gaps --by kommun`` print the same rows (no Streamlit here).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo_app.analysis.gap_rule import DEFAULT_ABOVE, ESTIMATE_UNEMPLOYMENT, OFFICIAL_UNEMPLOYMENT
from geo_app.analysis.gaps import rule_areas
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import Bundle

SEED_TYPES = (1, 2)
AF_KOMMUNER = 60  # Arbetsförmedlingen, Återrapport 2 (2024), data 2022
AF_YEAR = 2022


@dataclass(frozen=True)
class SeedRow:
    """One answer to the seed question: whose measure, which years, how many kommuner and areas."""

    key: str  # "official", "estimate" or "af"
    layer: str  # layer id ("" for Af's published figure)
    figures_year: int
    types_year: int | None
    kommuner: int
    areas: int | None  # None: not published


def seed_rows(bundle: Bundle) -> list[SeedRow]:
    """Official 2024 on the 2023 and 2022 types, the estimate on its own years, Af's published 60."""
    rows = []
    for key, layer_id in (("official", OFFICIAL_UNEMPLOYMENT), ("estimate", ESTIMATE_UNEMPLOYMENT)):
        spec = bundle.layers.get(layer_id)
        if spec is None:
            continue
        for types_year in sorted(bundle.layers["omradestyp"].years, reverse=True):
            figures_year = spec.year_for(types_year)
            hit = rule_areas(
                bundle.regso, f"omradestyp_{types_year}", SEED_TYPES, spec.column_for(figures_year), DEFAULT_ABOVE
            )
            kommuner = int(bundle.regso.loc[hit, "kommunkod"].nunique())
            rows.append(SeedRow(key, layer_id, int(figures_year or 0), types_year, kommuner, int(hit.sum())))
    rows.append(SeedRow("af", "", AF_YEAR, None, AF_KOMMUNER, None))
    return rows


def seed_table(bundle: Bundle, lang: str) -> pd.DataFrame:
    """The rows of :func:`seed_rows` with headers and words in ``lang`` (what the page shows)."""
    records = []
    for r in seed_rows(bundle):
        spec = bundle.layers.get(r.layer)
        records.append(
            {
                t("seed.col.measure", lang): spec.title_in(lang) if spec else t("seed.af_measure", lang),
                t("seed.col.definition", lang): t(f"seed.definition.{r.key}", lang),
                t("seed.col.figures_year", lang): str(r.figures_year),
                t("seed.col.types_year", lang): str(r.types_year) if r.types_year else t("seed.af_types", lang),
                t("seed.col.kind", lang): t(f"kind.{spec.kind}", lang) if spec else t("seed.af_kind", lang),
                t("seed.col.kommuner", lang): fmt_number(r.kommuner, 0, lang),
                t("seed.col.areas", lang): fmt_number(r.areas, 0, lang)
                if r.areas is not None
                else t("seed.not_published", lang),
            }
        )
    return pd.DataFrame(records)


def seed_lines(bundle: Bundle) -> list[str]:
    """The same rows as plain English lines (``geo-app gaps --by kommun`` prints them on stderr)."""
    out = [f"Seed question: kommuner with type {'–'.join(map(str, SEED_TYPES))} areas above {DEFAULT_ABOVE:g} %"]
    for r in seed_rows(bundle):
        if r.key == "af":
            out.append(f"  Af, Återrapport 2 (data {r.figures_year}, Af's register definition): {r.kommuner} kommuner")
            continue
        what = "SCB BAS (official)" if r.key == "official" else "model estimate"
        out.append(
            f"  {what} {r.figures_year}, types {r.types_year}: {r.kommuner} kommuner, {r.areas} areas ({r.layer})"
        )
    return out
