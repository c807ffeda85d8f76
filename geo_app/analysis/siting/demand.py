"""The demand: the rule's areas as weighted points, and unemployed per area (imported or estimated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis.gap_rule import UNEMPLOYMENT_WORDS
from geo_app.analysis.gaps import GapRule, area_points, rule_areas
from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.indicators import population_year
from geo_app.analysis.siting.base import WEIGHTS, SitingError, type_column_of


def estimated_unemployed(areas: pd.DataFrame, pct_column: str, population_column: str) -> pd.Series:
    """Unemployed per area as ``rate / 100 × population`` (an index of head counts; NaN rate → 0)."""
    rate = pd.to_numeric(areas[pct_column], errors="coerce").fillna(0.0)
    pop = pd.to_numeric(areas[population_column], errors="coerce").fillna(0.0)
    return (rate / 100.0 * pop).rename("unemployed")


def unemployed_for(areas: pd.DataFrame, layers: Mapping[str, Any], year: int) -> tuple[pd.Series, str]:
    """Unemployed per area and what kind of figure it is.

    An imported unemployment layer (title containing "arbetsl"/"unemploy") wins: a percentage
    is multiplied by the area's population, a count is used as is. Otherwise the model estimate of
    N03937 (openly unemployed 18–65, % of the population 18–65) times the **total** population: an
    index that over-counts heads (the population includes children and pensioners) but ranks
    areas like head counts would.

    Parameters
    ----------
    areas : pandas.DataFrame
        RegSO areas with ``folkmangd_<year>`` and the layer columns.
    layers : dict[str, geo_app.layers.LayerSpec]
        The bundle's layers (embedded and imported).
    year : int
        Figures for this year when the layer has it, else its default year.

    Returns
    -------
    (pandas.Series, str)
        Counts per area (indexed like ``areas``) and a label such as
        ``"estimate: arbetsloshet_modell_pct_2023 × folkmangd_2023"``.
    """
    pop_col = f"folkmangd_{population_year(areas, year)}"
    for spec in sorted(layers.values(), key=lambda s: s.order):
        title = str(spec.title.get("sv", "")) + " " + str(spec.title.get("en", ""))
        if spec.kind == "imported" and spec.level == "regso" and any(w in title.casefold() for w in UNEMPLOYMENT_WORDS):
            col = spec.column_for(spec.year_for(year))
            if col in areas:
                if "%" in str(spec.unit.get("sv", "")):
                    return estimated_unemployed(areas, col, pop_col), f"imported: {col} × {pop_col}"
                return pd.to_numeric(areas[col], errors="coerce").fillna(0.0).rename("unemployed"), f"imported: {col}"
    spec = layers.get("arbetsloshet_modell")
    col = spec.column_for(spec.year_for(year)) if spec is not None else f"arbetsloshet_modell_pct_{year}"
    if col not in areas:
        raise SitingError(
            f"no unemployment figures for {year}: import them (geo-app import indicators) or weight by population"
        )
    return estimated_unemployed(areas, col, pop_col), f"estimate: {col} × {pop_col}"


def demand_areas(
    areas: gpd.GeoDataFrame,
    rule: GapRule,
    points: gpd.GeoSeries | None = None,
    unemployed: pd.Series | None = None,
    unemployed_kind: str = "",
) -> gpd.GeoDataFrame:
    """The demand for :func:`suggest_sites`: areas matching the rule (types and indicator), as points.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``regsokod``: ``regsonamn, kommunkod, kommunnamn, population, unemployed,
        unemployed_kind`` and the area's measuring point (EPSG:3006).
    """
    type_column = type_column_of(areas, rule.year)
    pts = area_points(areas) if points is None else points
    hit = rule_areas(areas, type_column, rule.types, rule.indicator, rule.above)
    idx = hit[hit].index
    pop = pd.to_numeric(areas.loc[idx, f"folkmangd_{population_year(areas, rule.year)}"], errors="coerce").fillna(0)
    unemp = (
        unemployed.reindex(idx).astype(float).fillna(0.0) if unemployed is not None else pd.Series(np.nan, index=idx)
    )
    return gpd.GeoDataFrame(
        {
            "regsonamn": areas.loc[idx, "regsonamn"],
            "kommunkod": areas.loc[idx, "kommunkod"],
            "kommunnamn": areas.loc[idx, "kommunnamn"],
            "population": pop,
            "unemployed": unemp,
            "unemployed_kind": unemployed_kind,
        },
        index=idx,
        geometry=pts.loc[idx].values,
        crs=METRIC_CRS,
    )


def weights_for(demand: pd.DataFrame, weight: str) -> tuple[np.ndarray, str]:
    """Weight per demand area and its label (population / unemployed with its kind / equal)."""
    if weight == "population":
        return demand["population"].to_numpy(float), "population (SCB, official)"
    if weight == "unemployed":
        w = demand["unemployed"].to_numpy(float)
        if np.isnan(w).all():
            raise SitingError(
                "no unemployment figures in the demand: pass unemployed= to demand_areas "
                "(see unemployed_for) or weight by population"
            )
        kind = demand["unemployed_kind"].iloc[0] if "unemployed_kind" in demand and len(demand) else ""
        return np.nan_to_num(w), f"unemployed ({kind})" if kind else "unemployed"
    if weight == "equal":
        return np.ones(len(demand)), "equal (each area counts 1)"
    raise SitingError(f"unknown weight {weight!r}: use one of {', '.join(WEIGHTS)}")
