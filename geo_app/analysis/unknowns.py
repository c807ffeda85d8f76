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
import shapely

from geo_app.analysis.gaps import GapRule

CAUSE_COLUMNS = ("regsokod", "agency", "kommunkod")
TABLE_COLUMNS = ("agency", "kommunkod", "kommunnamn", "areas", "area_codes", "reason", "detail", "since", "source_url")


def unknown_causes(
    areas: gpd.GeoDataFrame,
    points: gpd.GeoSeries,
    flagged: pd.Series,
    states: pd.DataFrame | None,
    rule: GapRule,
) -> pd.DataFrame:
    """The (agency, kommun) pairs with unknown presence within the rule's distance of each flagged area.

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
    codes = flagged.index[flagged.reindex(areas.index, fill_value=False).to_numpy(bool)]
    if states is None or len(codes) == 0:
        return pd.DataFrame(columns=list(CAUSE_COLUMNS))
    frames = []
    pts = points.reindex(codes).to_numpy()
    for agency in [a for a in rule.agencies if a in states.columns]:
        unknown = states.index[states[agency] == "unknown"]
        polys = areas[areas["kommunkod"].isin(list(unknown))]
        if polys.empty:
            continue
        tree = shapely.STRtree(polys.geometry.to_numpy())
        pi, ti = tree.query(pts, predicate="dwithin", distance=rule.max_km * 1000.0)
        frames.append(
            pd.DataFrame({"regsokod": codes[pi], "agency": agency, "kommunkod": polys["kommunkod"].to_numpy()[ti]})
        )
    if not frames:
        return pd.DataFrame(columns=list(CAUSE_COLUMNS))
    out = pd.concat(frames, ignore_index=True).drop_duplicates()
    return out.sort_values(list(CAUSE_COLUMNS), kind="stable").reset_index(drop=True)


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
