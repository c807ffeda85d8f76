"""Compare kommuner, län or RegSO areas side by side (pure: frames in, frames out).

A *unit* is a kommun (``kommunkod``), a län (``lanskod``) or a RegSO area
(``regsokod``). Area indicators are combined into a unit value by population
weight (or summed, for counts: ``LayerSpec.aggregate``); kommun indicators are
taken as they are for kommuner and population-weighted for län.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from geo_app.analysis.gaps import CHALLENGED_TYPES
from geo_app.analysis.indicators import column_year, population_year, weighted_group_mean


class IndicatorSpec(Protocol):
    """What the comparison needs to know of an indicator (``LayerSpec`` satisfies it)."""

    @property
    def level(self) -> str:
        """``"regso"`` or ``"kommun"``."""
        ...

    @property
    def aggregate(self) -> str:
        """``"mean"`` (population-weighted) or ``"sum"``."""
        ...

    def column_for(self, year: int | None) -> str:
        """The data column for ``year``."""
        ...


LEVELS = {"kommun": "kommunkod", "lan": "lanskod", "regso": None}


@dataclass(frozen=True)
class Units:
    """The units compared: a level (``kommun``, ``lan``, ``regso``) and their codes, in order."""

    level: str
    codes: tuple[str, ...]


TYPES = (1, 2, 3, 4, 5)


def unit_of_areas(regso: pd.DataFrame, level: str) -> pd.Series:
    """The unit code of every area at ``level`` (the area's own code for ``regso``)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {tuple(LEVELS)}, got {level!r}")
    return pd.Series(regso.index, index=regso.index) if level == "regso" else regso[LEVELS[level]]


def areas_of(regso: pd.DataFrame, level: str, codes: Sequence[str]) -> pd.DataFrame:
    """The areas inside the chosen units, with a ``unit`` column."""
    unit = unit_of_areas(regso, level)
    keep = unit.isin(list(codes))
    return regso.loc[keep].assign(unit=unit[keep])


def type_distribution(regso: pd.DataFrame, level: str, codes: Sequence[str], year: int) -> pd.DataFrame:
    """How each unit's population is spread over the five områdestyper.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit code: ``areas_<t>``, ``pop_<t>`` and ``share_<t>`` (% of the
        unit's population in areas with a type) for t = 1…5, plus ``pop_no_type``.
        The population year is ``year`` or the latest before it.
    """
    areas = areas_of(regso, level, codes)
    types = areas[f"omradestyp_{year}"]
    pop = areas[f"folkmangd_{population_year(regso, year)}"].fillna(0)
    out = pd.DataFrame(index=pd.Index(list(codes), name="code"))

    def per_unit(values: pd.Series) -> pd.Series:
        return values.groupby(areas["unit"]).sum().reindex(out.index, fill_value=0).astype("int64")

    for t in TYPES:
        hit = types == t
        out[f"areas_{t}"] = per_unit(hit)
        out[f"pop_{t}"] = per_unit(pop.where(hit, 0))
    total = out[[f"pop_{t}" for t in TYPES]].sum(axis=1)
    for t in TYPES:
        out[f"share_{t}"] = (100 * out[f"pop_{t}"] / total.where(total > 0)).round(1)
    out["pop_no_type"] = per_unit(pop.where(types.isna(), 0))
    return out


def type_changes(regso: pd.DataFrame, level: str, codes: Sequence[str], before: int, after: int) -> pd.DataFrame:
    """Areas in the units whose områdestyp changed between two years.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``regsokod``: ``unit, regsonamn, kommunnamn, type_before, type_after, change``
        where ``change`` is ``"up"`` (towards 5, better conditions) or ``"down"``; sorted by unit
        and size of the change.
    """
    areas = areas_of(regso, level, codes)
    a, b = areas[f"omradestyp_{before}"], areas[f"omradestyp_{after}"]
    moved = a.notna() & b.notna() & (a != b)
    out = pd.DataFrame(
        {
            "unit": areas["unit"],
            "regsonamn": areas["regsonamn"],
            "kommunnamn": areas["kommunnamn"],
            "type_before": a.astype("Int64"),
            "type_after": b.astype("Int64"),
        }
    )[moved]
    out["change"] = np.where(out["type_after"] > out["type_before"], "up", "down")
    out["steps"] = (out["type_after"] - out["type_before"]).astype("int64")
    out.index.name = "regsokod"
    return out.sort_values(
        ["unit", "steps", "regsonamn"], key=lambda s: s.abs() if s.name == "steps" else s, ascending=[True, False, True]
    )


def unit_values(
    regso: pd.DataFrame, kommun: pd.DataFrame, spec: IndicatorSpec, year: int | None, units: Units
) -> pd.Series:
    """One value per unit for a graduated layer (see module docstring), indexed by unit code."""
    level, codes = units.level, list(units.codes)
    column = spec.column_for(year)
    if spec.level == "kommun":
        if level == "kommun":
            return kommun[column].reindex(codes).astype(float)
        if level == "regso":  # an area gets its kommun's value
            return regso.loc[codes, "kommunkod"].map(kommun[column]).astype(float)
        weight = kommun[f"folkmangd_{population_year(kommun, year)}"].astype(float)
        return weighted_group_mean(kommun[column].astype(float), kommun["lanskod"], weight).reindex(codes)
    areas = areas_of(regso, level, codes)
    values = areas[column].astype(float)
    if spec.aggregate == "sum":
        return values.groupby(areas["unit"]).sum(min_count=1).reindex(codes)
    weight = areas[f"folkmangd_{population_year(regso, year)}"].astype(float)
    return weighted_group_mean(values, areas["unit"], weight).reindex(codes)


def type_mix_reference(
    regso: pd.DataFrame, spec: IndicatorSpec, year: int | None, type_year: int, units: Units
) -> pd.Series:
    """What each unit's value would be if every area were at its type's national mean.

    The områdestyp reference for a unit: national population-weighted means per type,
    weighted by the unit's own population in each type. NaN for kommun layers and sums.
    """
    level, codes = units.level, list(units.codes)
    if spec.level != "regso" or spec.aggregate != "mean":
        return pd.Series(np.nan, index=codes, dtype=float)
    column = spec.column_for(year)
    weight = regso[f"folkmangd_{population_year(regso, year)}"].astype(float)
    types = regso[f"omradestyp_{type_year}"]
    by_type = weighted_group_mean(regso[column].astype(float), types, weight)
    areas = areas_of(regso, level, codes)
    expected = areas[f"omradestyp_{type_year}"].map(by_type).astype(float)
    return weighted_group_mean(expected, areas["unit"], weight.reindex(areas.index)).reindex(codes)


def ranking(values: pd.Series, ascending: bool = False) -> pd.DataFrame:
    """Rank units on one indicator (1 = highest unless ``ascending``); missing values last."""
    out = pd.DataFrame({"value": values})
    out["rank"] = values.rank(ascending=ascending, method="min").astype("Int64")
    return out.sort_values(["rank"], na_position="last")


def kommun_features(regso: pd.DataFrame, kommun: pd.DataFrame, year: int) -> pd.DataFrame:
    """Indicators used to find similar kommuner, indexed by ``kommunkod``.

    ``pop_log`` (log10 population), ``share_type12`` (% of the population in områdestyp
    1–2), ``foreign_born`` (%), ``unemployment`` (N03937, %) and ``no_gymnasium``
    (förgymnasial education, 2021, %).
    """
    py = population_year(regso, year)
    pop = regso[f"folkmangd_{py}"].astype(float)
    types = regso[f"omradestyp_{year}"]
    by = regso["kommunkod"]
    total = pop.groupby(by).sum()
    out = pd.DataFrame(index=kommun.index)
    out["pop_log"] = np.log10(total.reindex(out.index))
    out["share_type12"] = (100 * pop.where(types.isin(CHALLENGED_TYPES), 0).groupby(by).sum() / total).reindex(
        out.index
    )
    foreign = regso[f"utrikes_fodda_{py}"].astype(float).groupby(by).sum()
    out["foreign_born"] = (100 * foreign / total).reindex(out.index)
    out["unemployment"] = kommun[f"arbetsloshet_pct_{column_year(kommun, 'arbetsloshet_pct_', year)}"].astype(float)
    out["no_gymnasium"] = kommun["forgymnasial_pct_2021"].astype(float)
    return out


def similar_units(features: pd.DataFrame, code: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` units nearest to ``code`` in standardised feature space.

    Each feature is turned into a z-score over all units; the distance is the
    Euclidean distance divided by √(number of features), so 1.0 means "one standard
    deviation apart on average". Units with a missing feature are skipped.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit code (nearest first): ``distance`` and the raw features.
    """
    if code not in features.index:
        raise KeyError(code)
    complete = features.dropna()
    z = (complete - complete.mean()) / complete.std(ddof=0).replace(0, 1)
    if code not in z.index:
        return features.iloc[0:0].assign(distance=pd.Series(dtype=float))
    dist = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1) / z.shape[1]).drop(code)
    nearest = dist.sort_values(kind="stable").head(n)
    return complete.loc[nearest.index].assign(distance=nearest.round(3))[["distance", *features.columns]]
