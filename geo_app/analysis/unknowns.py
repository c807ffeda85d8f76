"""Why presence is unknown: which agency in which kommun leaves an area "presence unknown" (pure).

An area matching the gap rule, farther than the distance from every known office, is "presence
unknown" when a kommun within the distance (its own included) has unknown presence for a counted
agency (:func:`geo_app.analysis.gaps.presence_unknown`). :func:`unknown_causes` names those
(agency, kommun) pairs per area; :func:`cause_table` counts the areas each pair holds back and
joins what the register knows there (:func:`geo_app.analysis.register.kommun_evidence`), so the
next fact to look for is the first row.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo_app.analysis.gaps import GapResult, GapRule
from geo_app.analysis.unknown_reach import Reach, unknown_pairs

CAUSE_COLUMNS = ("regsokod", "agency", "kommunkod")
TABLE_COLUMNS = ("agency", "kommunkod", "kommunnamn", "areas", "area_codes", "reason", "detail", "since", "source_url")


def unknown_causes(
    areas: gpd.GeoDataFrame,
    points: gpd.GeoSeries,
    flagged: pd.Series,
    states: pd.DataFrame | None,
    rule: GapRule,
) -> pd.DataFrame:
    """The (agency, kommun) pairs with unknown presence within the rule's straight distance of each flagged area.

    :func:`geo_app.analysis.gaps.analyse` keeps the pairs on the gap's own measure (by road where the
    rule measures by road) in ``GapResult.causes``; :func:`result_causes` prefers those.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas (EPSG:3006) with ``kommunkod``.
    points : geopandas.GeoSeries
        The areas' measuring points, same index.
    flagged : pandas.Series
        Boolean: the areas listed as "presence unknown" (``GapResult.unknown``).
    states : pandas.DataFrame or None
        Per ``kommunkod`` and agency ``known`` / ``none`` / ``unknown``.
    rule : GapRule
        Its ``agencies`` count and ``max_km`` is the distance.

    Returns
    -------
    pandas.DataFrame
        ``regsokod, agency, kommunkod``, one row per flagged area and cause, sorted.
    """
    pairs = unknown_pairs(areas, points, states, Reach(rule.agencies, rule.max_km), flagged)
    return pairs[list(CAUSE_COLUMNS)]


def result_causes(
    result: GapResult, areas: gpd.GeoDataFrame, points: gpd.GeoSeries, states: pd.DataFrame | None
) -> pd.DataFrame:
    """The causes of ``result``'s unknown areas: those it was decided on, else :func:`unknown_causes`."""
    if result.causes is not None:
        return result.causes[list(CAUSE_COLUMNS)].reset_index(drop=True)
    if result.rule_used is None:
        raise ValueError("the gap result does not record its rule")
    return unknown_causes(areas, points, result.unknown, states, result.rule_used)


def cause_table(causes: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Per (agency, kommun): how many "presence unknown" areas it holds back, and what is known there.

    ``evidence`` is :func:`geo_app.analysis.register.kommun_evidence` output (with ``kommunnamn``
    when available). Sorted by areas (most first), then agency and kommun code.
    """
    if causes.empty:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    grouped = causes.groupby(["agency", "kommunkod"], sort=True)["regsokod"]
    out = pd.DataFrame({"areas": grouped.size(), "area_codes": grouped.agg(lambda s: ", ".join(sorted(s)))})
    why = evidence.set_index(["agency", "kommunkod"])
    for col in ("kommunnamn", "reason", "detail", "since", "source_url"):
        out[col] = why[col].reindex(out.index).fillna("").to_numpy() if col in why else ""
    out = out.reset_index().sort_values(["areas", "agency", "kommunkod"], ascending=[False, True, True], kind="stable")
    return out[list(TABLE_COLUMNS)].reset_index(drop=True)


def area_causes(causes: pd.DataFrame) -> pd.Series:
    """Per flagged area the causes as text: ``"af 0123; ssc 0163"`` (indexed by ``regsokod``)."""
    if causes.empty:
        return pd.Series(dtype=object, name="unknown_because")
    text = causes["agency"] + " " + causes["kommunkod"]
    return text.groupby(causes["regsokod"]).agg("; ".join).rename("unknown_because")
