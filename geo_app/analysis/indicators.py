"""Labour-market indicators: official kommun figures, police areas, type-level references.

Readers turn the raw source files into frames indexed by code; the other
functions are pure and return Series indexed like their input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo_app.errors import InputError

UNEMPLOYMENT_YEARS = tuple(range(2011, 2025))
ESTIMATE_YEARS = (2020, 2021, 2022, 2023)  # years with both N03937 and area covariates

# Published reference values per områdestyp (Arbetsförmedlingen, "Uppdrag att minska
# långtidsarbetslösheten", återrapport 2, 2024; data 2022). Type-level, not area measurements.
TYPE_REFERENCE_SOURCE = "Arbetsförmedlingen, återrapport 2 (2024), data 2022"
LONG_TERM_SHARE_BY_TYPE = {1: 67.5, 2: 63.0}
LONG_TERM_SHARE_NATIONAL = 59.4
NO_GYMNASIUM_SHARE_BY_TYPE = {1: 51.0, 2: 42.5}
NO_GYMNASIUM_SHARE_NATIONAL = 35.0
TYPE_REFERENCE_YEAR = 2022
# Af's own unemployment measure (registered unemployed incl. programmes, % of the registered
# labour force 16–64), riket 2022, from the same report; used to rescale the N03937 estimate.
AF_NATIONAL_UNEMPLOYMENT_2022 = 7.2


def read_kommun_n03937(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kolada N03937 per kommun and year, as two wide frames indexed by ``kommunkod``.

    Returns
    -------
    (rate, population)
        ``arbetsloshet_pct_<year>`` (%) and ``folkmangd_<year>`` (SCB population, same file).
    """
    raw = pd.read_csv(path, dtype={"kommun_kod": str})
    col = "oppet_arbetslosa_18_65_andel_av_bef_pct_N03937"
    for needed in ("kommun_kod", "year", col, "folkmangd_scb"):
        if needed not in raw.columns:
            raise InputError(f"{path}: missing column {needed!r}")

    def wide(values: str, prefix: str) -> pd.DataFrame:
        out = raw.pivot(index="kommun_kod", columns="year", values=values)
        out.columns = [f"{prefix}_{y}" for y in out.columns]
        out.index = out.index.str.zfill(4)
        out.index.name = "kommunkod"
        return out

    return wide(col, "arbetsloshet_pct"), wide("folkmangd_scb", "folkmangd")


def af_definition_factor(kommun_rate: pd.Series, kommun_pop: pd.Series) -> float:
    """Ratio of Af's national unemployment (2022) to the population-weighted N03937 national value (2022).

    Multiplying an N03937-based figure by this factor gives a rough figure on Af's
    definition (share of the registered labour force), which is what Af's "areas
    above 20 %" uses. One national factor: the labour-force share of the population
    varies between areas, so the rescaled figure is rough.
    """
    return AF_NATIONAL_UNEMPLOYMENT_2022 / weighted_mean(kommun_rate, kommun_pop)


def read_forgymnasial(path: Path) -> pd.Series:
    """Share (%) of 16–74 with at most förgymnasial education, end of 2021, by ``kommunkod``."""
    raw = pd.read_csv(path, dtype={"municip_code": str})
    s = pd.Series(
        raw["share_elementary_school"].to_numpy(float) * 100,
        index=raw["municip_code"].str.zfill(4),
        name="forgymnasial_pct_2021",
    )
    s.index.name = "kommunkod"
    return s


def read_police_areas(path: Path) -> pd.DataFrame:
    """Police "utsatta områden" shares (% of the unit's *area*), one row per code.

    Returns
    -------
    pandas.DataFrame
        Indexed by code (RegSO 2025 or kommun, suffix ``_RegSO2025`` stripped) with
        ``level``, ``uso_pct``, ``uso_utsatt_pct``, ``uso_sarskilt_pct``.
    """
    raw = pd.read_csv(path, sep=";", dtype={"code": str})
    raw["code"] = raw["code"].str.replace("_RegSO2025", "", regex=False)
    out = raw.set_index("code")[["level", "share_pct", "utsatt_pct", "sarskilt_pct"]]
    return out.rename(
        columns={"share_pct": "uso_pct", "utsatt_pct": "uso_utsatt_pct", "sarskilt_pct": "uso_sarskilt_pct"}
    )


def type_reference(types: pd.Series, by_type: dict[int, float]) -> pd.Series:
    """The published type-level value for each area's områdestyp (``NaN`` where none is published)."""
    return types.map(lambda v: by_type.get(int(v), np.nan) if pd.notna(v) else np.nan).astype(float)


def column_year(frame: pd.DataFrame, prefix: str, year: int | None) -> int:
    """``year`` if ``frame`` has ``<prefix><year>``, else the latest year it has."""
    years = sorted(
        int(c.rsplit("_", 1)[1]) for c in frame.columns if c.startswith(prefix) and c.rsplit("_", 1)[1].isdigit()
    )
    return year if year in years else years[-1]


def population_year(frame: pd.DataFrame, year: int | None) -> int:
    """``year`` if ``frame`` has ``folkmangd_<year>``, else the latest year it has."""
    return column_year(frame, "folkmangd_", year)


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Weighted mean of the non-missing values (``NaN`` if there are none)."""
    ok = values.notna() & weights.notna()
    if not ok.any():
        return float("nan")
    return float(np.average(values[ok].astype(float), weights=weights[ok].astype(float)))


def weighted_group_mean(values: pd.Series, groups: pd.Series, weights: pd.Series) -> pd.Series:
    """Weighted mean of ``values`` per group (rows with a missing value or weight left out).

    Returns a Series indexed by group; NaN for a group without any usable row.
    """
    ok = values.notna() & weights.notna()
    num = (values * weights).where(ok).groupby(groups).sum()
    den = weights.where(ok).groupby(groups).sum()
    return num / den.where(den > 0)
