"""Model estimate of unemployment per RegSO area, calibrated to the official kommun figure.

Per-area unemployment is not public. This module distributes each kommun's
official figure (Kolada N03937: openly registered unemployed 18–65 as a share of
the *population* 18–65) over the kommun's areas, in proportion to a relative
risk computed from official area covariates. The estimate is deterministic and
calibrated: the population-weighted mean of the areas of a kommun equals the
official kommun figure exactly (up to floating point).

Method (see ``docs/estimates.md``)
----------------------------------
1. Across the 290 kommuner, fit by population-weighted least squares
   ``log(u_k) = b0 + b1 * f_k + b2 * log(w_k)`` where ``f_k`` is the share of
   foreign-born (%) and ``w_k`` the mean wage income (tkr), both
   population-weighted means of the kommun's areas (official SCB figures).
2. Relative risk of area ``a``: ``r_a = exp(b1 * f_a + b2 * log(w_a))``.
3. Calibrate within each kommun: ``u_a = u_k * r_a * P_k / sum(p_a * r_a)``,
   where ``p_a`` is the area's total population and ``P_k = sum(p_a)``.

Pure functions: DataFrames in, Series/DataFrames out, indexed by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from geo_app.analysis.indicators import weighted_group_mean

MODEL_VERSION = "2"  # 2: BAS-definition factor fitted on official 2024 (was Af's 7.2 % for 2022)


@dataclass(frozen=True)
class RiskModel:
    """Coefficients of the kommun-level regression (on ``log`` unemployment)."""

    intercept: float
    foreign_born: float
    log_income: float
    n: int
    r2: float

    def as_dict(self) -> dict[str, float]:
        """The coefficients under the names ``build_report.json`` uses."""
        return {
            "intercept": self.intercept,
            "foreign_born_pct": self.foreign_born,
            "log_income_tkr": self.log_income,
            "n_kommuner": self.n,
            "r2": self.r2,
        }


def kommun_covariates(areas: pd.DataFrame, foreign: str, income: str, pop: str) -> pd.DataFrame:
    """Population-weighted kommun means of the area covariates.

    Parameters
    ----------
    areas : pandas.DataFrame
        Indexed by ``regsokod`` with ``kommunkod`` and the named columns.
    foreign, income, pop : str
        Column names of foreign-born share (%), mean wage income (tkr) and population.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kommunkod``: ``foreign_born``, ``income``, ``pop``.
    """
    d = areas[["kommunkod", foreign, income, pop]].dropna()
    w = d[pop].astype(float)
    return pd.DataFrame(
        {
            "foreign_born": weighted_group_mean(d[foreign].astype(float), d["kommunkod"], w),
            "income": weighted_group_mean(d[income].astype(float), d["kommunkod"], w),
            "pop": w.groupby(d["kommunkod"]).sum(),
        }
    )


def fit_risk_model(rate: pd.Series, covariates: pd.DataFrame) -> RiskModel:
    """Population-weighted least squares of ``log(rate)`` on foreign-born share and log income.

    Parameters
    ----------
    rate : pandas.Series
        Official kommun rate (%), indexed by ``kommunkod``; must be > 0.
    covariates : pandas.DataFrame
        From :func:`kommun_covariates`, same index.
    """
    d = covariates.join(rate.rename("rate"), how="inner").dropna()
    d = d[d["rate"] > 0]
    if len(d) < 10:
        raise ValueError(f"too few kommuner with data to fit the model ({len(d)})")
    design = np.column_stack([np.ones(len(d)), d["foreign_born"], np.log(d["income"])])
    y = np.log(d["rate"].to_numpy(float))
    sw = np.sqrt(d["pop"].to_numpy(float))
    beta, *_ = np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)
    resid = y - design @ beta
    wm = np.average(y, weights=sw**2)
    r2 = 1 - np.sum(sw**2 * resid**2) / np.sum(sw**2 * (y - wm) ** 2)
    # Rounded to 10 significant digits: BLAS code paths (AVX2, AVX-512 …) differ in the last digits of a
    # least-squares solution; the rounded model, and everything built from it, is the same on every CPU.
    return RiskModel(_sig(beta[0]), _sig(beta[1]), _sig(beta[2]), int(len(d)), _sig(r2))


def _sig(x: float, digits: int = 10) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    return float(f"{float(x):.{digits}g}")


class Covariates(NamedTuple):
    """The area columns the model reads: foreign-born share (%), mean wage income and population."""

    foreign: str
    income: str
    pop: str

    @classmethod
    def of_year(cls, year: int) -> Covariates:
        """The columns of one year (foreign-born share, wage income, population of ``year``)."""
        return cls(f"andel_utrikes_fodda_pct_{year}", f"medel_loneinkomst_tkr_{year}", f"folkmangd_{year}")


def calibrated_area_rate(
    areas: pd.DataFrame, kommun_rate: pd.Series, model: RiskModel, columns: Covariates
) -> pd.Series:
    """Distribute each kommun's rate over its areas (calibrated relative risk).

    Returns
    -------
    pandas.Series
        Estimated rate (%) per area, indexed like ``areas``; ``NaN`` where an area
        lacks covariates or its kommun lacks an official figure.
    """
    foreign, income, pop = columns
    risk = np.exp(
        model.foreign_born * areas[foreign].astype(float) + model.log_income * np.log(areas[income].astype(float))
    )
    p = areas[pop].astype(float)
    ok = risk.notna() & p.notna() & areas["kommunkod"].map(kommun_rate).notna()
    num = (p * risk).where(ok).groupby(areas["kommunkod"]).sum()
    den = p.where(ok).groupby(areas["kommunkod"]).sum()
    scale = kommun_rate.reindex(num.index) * den / num  # u_k * P_k / sum(p_a r_a)
    out = risk * areas["kommunkod"].map(scale)
    return out.where(ok).rename("rate")
