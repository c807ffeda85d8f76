"""The dated register as the CLI and pages show it: office listing, completeness, two-date comparison (no Streamlit)."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd

from geo_app.analysis import gaps, unknowns
from geo_app.analysis.presence import AGENCIES
from geo_app.analysis.register import check_as_of
from geo_app.dates import parse_day
from geo_app.i18n import t

LISTING_COLUMNS = ("agency", "name", "kommunkod", "kommunnamn", "status", "opened", "closed", "precision", "source")


def agency_name(agency: str, lang: str) -> str:
    """An agency's name as the pages show it in ``lang`` (an unknown code as it is)."""
    return t(f"agency.{agency}", lang) if agency in AGENCIES else agency


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def office_listing(offices: gpd.GeoDataFrame, kommun_names: pd.Series, agency: str | None = None) -> pd.DataFrame:
    """``geo-app offices``: one row per office on the offices' date.

    Columns :data:`LISTING_COLUMNS` plus ``closing_decided``, ``status_date``, ``conflict``
    (a later source overruled an earlier one) and ``origin``; ``closed`` is the closure date as
    the source gave it (a decided closure: the planned last day; a presumed one: the day it is
    presumed from, marked ``(antaget)``); ``source`` is the source of the status; sorted by agency,
    kommun, name.
    """
    shown = offices if agency is None else offices[offices["agency"] == agency]
    closed = _text(shown, "closed")
    planned_end = _text(shown, "closing_planned")
    closed = closed.where(closed != "", planned_end)
    if "closed_presumed" in shown:
        presumed = shown["closed_presumed"].fillna(False).astype(bool) & (closed == "")
        closed = closed.where(~presumed, _text(shown, "closed_from") + " (antaget)")
    out = pd.DataFrame(
        {
            "agency": shown["agency"],
            "name": shown["name"],
            "kommunkod": shown["kommunkod"].astype(str),
            "kommunnamn": shown["kommunkod"].astype(str).map(kommun_names).fillna(""),
            "status": shown["status"],
            "opened": _text(shown, "opened"),
            "closed": closed,
            "precision": shown["precision"],
            "source": _text(shown, "source_url"),
            "closing_decided": _text(shown, "closing_decided"),
            "status_date": _text(shown, "status_date"),
            "conflict": _text(shown, "conflict"),
            "origin": _text(shown, "origin"),
        },
        index=shown.index,
    )
    out.index.name = "office_id"
    return out.sort_values(["agency", "kommunnamn", "name"], kind="stable")


def completeness_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The completeness table with translated headers (agency names, published vs register)."""
    out = table.assign(agency=table["agency"].map(lambda a: agency_name(a, lang)))
    cols = {
        "agency": "offices.col.agency",
        "date": "presence.col.date",
        "published": "presence.col.published",
        "published_kommuner": "presence.col.published_kommuner",
        "register_offices": "presence.col.register",
        "register_kommuner": "presence.col.register_kommuner",
        "register_uncertain": "presence.col.register_uncertain",
        "complete": "presence.col.complete",
        "what": "presence.col.what",
        "source_url": "offices.col.source",
    }
    cols = {k: v for k, v in cols.items() if k in out}
    if "complete" in out:
        out["complete"] = out["complete"].map({True: t("yes", lang), False: t("no", lang)})
    out = out[list(cols)]
    out.columns = [t(v, lang) for v in cols.values()]
    return out


def completeness_lines(table: pd.DataFrame) -> list[str]:
    """Plain-text lines for ``geo-app info`` (English, like all CLI text): the register's count vs the published one."""
    lines = ["Office register completeness (register offices open on each date vs the published count):"]
    for r in table.itertuples(index=False):
        kommuner = f" in {r.published_kommuner} kommuner" if r.published_kommuner else ""
        uncertain = getattr(r, "register_uncertain", 0)
        more = f" (+{uncertain} uncertain)" if uncertain else ""
        complete = "  complete: other kommuner known none" if getattr(r, "complete", False) else ""
        lines.append(
            f"  {r.agency:4} {r.date}  register {r.register_offices:>4} offices in {r.register_kommuner:>3} kommuner"
            f"{more}  |  published {r.published}{kommuner}{complete}  — {r.source_url}"
        )
    return lines


def state_counts(states: pd.DataFrame) -> pd.DataFrame:
    """Kommuner per agency and knowledge state (known / none / unknown)."""
    return states.apply(lambda c: c.value_counts()).reindex(["known", "none", "unknown"]).fillna(0).astype(int)


def compare_dates(first: gaps.GapResult, second: gaps.GapResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two gap analyses of the same rule on two dates.

    Returns
    -------
    (summary, changed)
        ``summary``: one row per count of :meth:`GapResult.summary`, columns ``first, second,
        change``. ``changed``: areas whose class (gap / presence unknown / near) differs, indexed
        by ``regsokod``, with ``regsonamn, kommunnamn, first, second, dist_km_first, dist_km_second``.
    """
    a, b = first.summary(), second.summary()
    summary = pd.DataFrame({"first": a, "second": b})
    summary["change"] = summary["second"] - summary["first"]

    def cls(r: gaps.GapResult) -> pd.Series:
        out = pd.Series("near", index=r.rule.index, dtype=object)
        out[r.unknown.reindex(out.index).fillna(False).astype(bool)] = "unknown"
        out[r.gap.reindex(out.index).fillna(False).astype(bool)] = "gap"
        return out[r.rule]

    c1, c2 = cls(first), cls(second)
    idx = c1.index.union(c2.index)
    c1, c2 = c1.reindex(idx).fillna("near"), c2.reindex(idx).fillna("near")
    diff = idx[(c1 != c2).to_numpy()]
    names = pd.concat([first.areas, first.unknown_areas, second.areas, second.unknown_areas])
    changed = pd.DataFrame(
        {
            "first": c1[diff],
            "second": c2[diff],
            "dist_km_first": first.distances["dist_km_any"].reindex(diff).round(1),
            "dist_km_second": second.distances["dist_km_any"].reindex(diff).round(1),
        },
        index=diff,
    )
    changed.insert(0, "kommunnamn", names["kommunnamn"].groupby(level=0).first().reindex(diff))
    changed.insert(0, "regsonamn", names["regsonamn"].groupby(level=0).first().reindex(diff))
    changed.index.name = "regsokod"
    return summary, changed


def url_day(text: str | None) -> date | None:
    """A page's as-of date from its URL (``YYYY-MM-DD``, 2015–2035); ``None`` for empty."""
    day = parse_day(text)
    return None if day is None else check_as_of(day)


UNKNOWN_LISTING_COLUMNS = ("agency", "kommunkod", "kommunnamn", "state", "reason", "detail", "since", "source_url")


def unknown_why(
    result: gaps.GapResult, areas: gpd.GeoDataFrame, points: gpd.GeoSeries, states: pd.DataFrame, evidence: pd.DataFrame
) -> pd.DataFrame:
    """Per agency and kommun: how many "presence unknown" areas of ``result`` depend on it, and why.

    The same table for the gap page and ``geo-app gaps --by why``
    (:func:`geo_app.analysis.unknowns.cause_table`).
    """
    return unknowns.cause_table(unknowns.result_causes(result, areas, points, states), evidence)


def unknown_why_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`unknown_why` with translated headers, agency names and reasons (text, never HTML)."""
    out = table.assign(
        agency=table["agency"].map(lambda a: agency_name(a, lang)),
        reason=table["reason"].map(lambda r: t(f"presence.reason.{r}", lang) if r else ""),
    )
    out.columns = [t(f"presence.why.col.{c}", lang) for c in out.columns]
    return out


def unknown_why_lines(table: pd.DataFrame, limit: int = 10) -> list[str]:
    """English lines for ``geo-app gaps``: the agency–kommun pairs that leave areas unknown, most first."""
    if table.empty:
        return []
    lines = ["presence unknown because (agency, kommun: areas that depend on it, what the register knows):"]
    for r in table.head(limit).itertuples(index=False):
        lines.append(f"  {r.agency:4} {r.kommunkod} {r.kommunnamn}: {r.areas} areas — {r.reason}")
    if len(table) > limit:
        lines.append(f"  … and {len(table) - limit} more (--by why lists them all)")
    return lines


def unknown_listing(evidence: pd.DataFrame, agency: str | None = None) -> pd.DataFrame:
    """The kommuner where an agency's presence is unknown, with why (``geo-app offices --unknown``)."""
    rows = evidence[evidence["state"] == "unknown"]
    if agency:
        rows = rows[rows["agency"] == agency]
    cols = [c for c in UNKNOWN_LISTING_COLUMNS if c in rows]
    return rows[cols].sort_values(["agency", "kommunkod"], kind="stable").reset_index(drop=True)
