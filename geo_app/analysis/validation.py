"""How wrong is the model estimate? Checked against SCB's official per-area unemployment 2024.

The estimate (:mod:`geo_app.analysis.estimate`) is re-run for 2024 — Kolada N03937 2024 per
kommun, the latest area covariates (2023) — and compared area by area with the official figure:

* on the rule's definition, SCB BAS (unemployed ÷ labour force 20–64), the estimate rescaled by a
  national factor: Af's (7.2 % ÷ N03937 2022, model 1) or BAS's own (2024, model 2);
* on N03937's definition (share of the *population*), the unscaled estimate against BAS turned
  into unemployed ÷ population 20–64 (:func:`geo_app.analysis.official.unemployed_share_of_population`).
  Still not the same measure: BAS counts the unemployed from the labour-market register
  (20–64), N03937 the openly unemployed registered at Af (18–65).

Pure: frames in, frames out, indexed by code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo_app.analysis import estimate, indicators, official

VALIDATION_YEAR = official.OFFICIAL_YEAR
COVARIATE_YEAR = 2023  # the latest year with area covariates (foreign-born share, wage income)
RULE_TYPES = (1, 2)
RULE_TYPES_YEAR = 2023
RULE_ABOVE = 20.0


@dataclass(frozen=True)
class Variant:
    """One estimate compared with one official measure, per area (same index)."""

    name: str
    estimate: pd.Series
    official: pd.Series
    adopted: bool = True  # False: shown for reference only (e.g. fitted in-sample)


def estimate_for_year(areas: pd.DataFrame, kommun_rate: pd.Series, covariate_year: int = COVARIATE_YEAR) -> pd.Series:
    """The N03937-definition estimate for a year with the kommun rate ``kommun_rate`` (model as built)."""
    cols = estimate.Covariates.of_year(covariate_year)
    model = estimate.fit_risk_model(kommun_rate, estimate.kommun_covariates(areas, *cols))
    return estimate.calibrated_area_rate(areas, kommun_rate, model, cols)


def bas_definition_factor(areas: pd.DataFrame, kommun_rate: pd.Series, kommun_pop: pd.Series) -> float:
    """National SCB BAS 2024 (population-weighted over areas) ÷ national N03937 2024 (model 2's factor).

    Rounded to four decimals, like the factor stored in ``build_report.json``.
    """
    bas = indicators.weighted_mean(areas[official.UNEMPLOYMENT_COLUMN], areas[official.POPULATION_COLUMN].astype(float))
    return round(bas / indicators.weighted_mean(kommun_rate, kommun_pop), 4)


def variants(areas: pd.DataFrame, kommun: pd.DataFrame) -> list[Variant]:
    """The comparisons the validation table shows (see the module docstring).

    ``kommun`` needs ``arbetsloshet_pct_<year>`` and ``folkmangd_<year>`` for 2022 and 2024.
    """
    y = VALIDATION_YEAR
    rate = kommun[f"arbetsloshet_pct_{y}"]
    est = estimate_for_year(areas, rate)
    bas = areas[official.UNEMPLOYMENT_COLUMN]
    af = round(indicators.af_definition_factor(kommun["arbetsloshet_pct_2022"], kommun["folkmangd_2022"]), 4)
    factor = bas_definition_factor(areas, rate, kommun[f"folkmangd_{y}"])
    kommun_bas = indicators.weighted_group_mean(
        bas, areas["kommunkod"], areas[official.POPULATION_COLUMN].astype(float)
    )
    per_kommun = areas["kommunkod"].map(kommun_bas / rate)
    share = official.unemployed_share_of_population(bas, areas[official.EMPLOYMENT_COLUMN])
    return [
        Variant(f"model 1: N03937 × Af factor {af:.2f} vs BAS", est * af, bas),
        Variant(f"model 2: N03937 × BAS factor {factor:.2f} vs BAS", est * factor, bas),
        Variant("N03937 estimate vs BAS as share of population 20–64", est, share),
        Variant("reference: N03937 × per-kommun BAS factor (in-sample) vs BAS", est * per_kommun, bas, adopted=False),
    ]


def error_summary(v: Variant) -> dict[str, float]:
    """Area errors (estimate − official, percentage points).

    Median and 90th percentile of the absolute error, mean error (bias) and the rank correlation (Spearman).
    """
    ok = v.estimate.notna() & v.official.notna()
    err = (v.estimate - v.official)[ok]
    return {
        "areas": int(ok.sum()),
        "median_abs_pp": float(err.abs().median()),
        "p90_abs_pp": float(err.abs().quantile(0.9)),
        "bias_pp": float(err.mean()),
        "spearman": float(v.estimate[ok].corr(v.official[ok], method="spearman")),
    }


def kommun_errors(v: Variant, kommunkod: pd.Series) -> pd.DataFrame:
    """Per kommun: areas, median absolute error and mean error (pp), indexed by ``kommunkod``."""
    err = (v.estimate - v.official).dropna()
    groups = kommunkod.loc[err.index]
    out = pd.DataFrame(
        {
            "areas": err.groupby(groups).size(),
            "median_abs_pp": err.abs().groupby(groups).median(),
            "bias_pp": err.groupby(groups).mean(),
        }
    )
    out.index.name = "kommunkod"
    return out


def rule_errors(v: Variant, types: pd.Series, kommunkod: pd.Series, above: float = RULE_ABOVE) -> dict[str, int]:
    """The gap rule "type 1–2 and unemployment > ``above``" by the estimate vs by the official figure.

    Areas with a missing value on either side are left out (unknown is not "no").
    """
    known = v.estimate.notna() & v.official.notna() & types.notna()
    in_types = types.isin(RULE_TYPES) & known
    est = in_types & (v.estimate > above)
    off = in_types & (v.official > above)
    return {
        "official": int(off.sum()),
        "estimate": int(est.sum()),
        "both": int((est & off).sum()),
        "false_positive": int((est & ~off).sum()),
        "false_negative": int((off & ~est).sum()),
        "kommuner_official": int(kommunkod[off].nunique()),
        "kommuner_estimate": int(kommunkod[est].nunique()),
    }


def validation_table(areas: pd.DataFrame, kommun: pd.DataFrame) -> pd.DataFrame:
    """One row per :func:`variants` entry: area errors, kommun errors and the rule at 20 %.

    Kommun columns: the median over kommuner of each kommun's median absolute error, and how many
    kommuner have a median absolute error above 2 pp.
    """
    types = areas[f"omradestyp_{RULE_TYPES_YEAR}"]
    rows = []
    for v in variants(areas, kommun):
        per_kommun = kommun_errors(v, areas["kommunkod"])
        rows.append(
            {
                "variant": v.name,
                "adopted": v.adopted,
                **error_summary(v),
                "kommun_median_abs_pp": float(per_kommun["median_abs_pp"].median()),
                "kommuner_over_2pp": int((per_kommun["median_abs_pp"] > 2.0).sum()),
                **{f"rule_{k}": n for k, n in rule_errors(v, types, areas["kommunkod"]).items()},
            }
        )
    return pd.DataFrame(rows).set_index("variant")


def worst_kommuner(areas: pd.DataFrame, kommun: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` kommuner where model 2 misses most (median absolute error), with names."""
    v = variants(areas, kommun)[1]
    out = kommun_errors(v, areas["kommunkod"]).join(kommun[["kommunnamn"]])
    return out.sort_values(["median_abs_pp", "areas"], ascending=[False, False]).head(n).round(2)


def rounded(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """``table`` with float columns rounded (for reports and the build report)."""
    floats = table.select_dtypes(include=[np.floating]).columns
    return table.assign(**{c: table[c].round(digits) for c in floats})
