"""Office periods from sourced events: one :class:`Period` per office and period, its status on a date (pure).

The reading rules are in :mod:`geo_app.analysis.register` (module docstring) and docs/presence.md.
Dates are ISO text in the periods ("" = none) so the table writes to Parquet as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from geo_app.analysis.names import base_name, office_key
from geo_app.analysis.source_dates import EARLIEST, certain_from, event_bounds, parse_when

EVENTS = ("opened", "exists", "kept", "remote", "moved", "planned", "closing_decided", "closed")
OPEN_EVIDENCE = ("opened", "exists", "kept", "remote", "moved")
# Statuses that count as presence; "uncertain" (a closure that may already have happened) does not.
PRESENT = ("open", "closing")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


@dataclass
class Period:
    """One office and period: what the sources say and the effective days the status rules use.

    ``open_from``, ``closing_decided_from``, ``closing_until``, ``uncertain_from`` and ``closed_from``
    are the effective days; ``opened``, ``closing_decided``, ``closed`` the dates as the sources gave
    them. Between ``uncertain_from`` and ``closed_from`` the office may already have closed.
    """

    period_id: str
    office_id: str
    period: int
    agency: str
    name: str
    place: str
    kommunkod: str
    address: str = ""
    confirmed: bool = False
    open_from: str = ""
    opened: str = ""
    opened_source: str = ""
    opened_source_date: str = ""
    first_seen: str = ""
    last_seen: str = ""
    planned: str = ""
    planned_from: str = ""
    planned_source: str = ""
    closing_decided: str = ""
    closing_decided_from: str = ""
    closing_decided_source: str = ""
    closing_decided_source_date: str = ""
    closing_planned: str = ""
    closing_until: str = ""
    uncertain_from: str = ""
    closed: str = ""
    closed_from: str = ""
    closed_presumed: bool = False
    closed_source: str = ""
    closed_source_date: str = ""
    remote: bool = False
    confidence: str = ""
    conflict: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def clear_closure(self, until: str) -> None:
        """A closure overruled on ``until``: "closing" until then, then open again."""
        self.closing_until = until
        self.closing_planned = self.closed = self.closed_from = self.uncertain_from = ""
        self.closed_source = self.closed_source_date = ""
        self.closed_presumed = False

    def record(self) -> dict[str, Any]:
        """The period as a table row (lists joined, the last source's URL as ``source_url``)."""
        if self.closed_from and self.open_from and self.closed_from < self.open_from:
            self.conflict.append(f"stängd {self.closed_from} före öppnad {self.open_from}")
            self.open_from = self.closed_from
        if not self.closed_source and self.closed_from:
            self.closed_source, self.closed_source_date = self.closing_decided_source, self.closing_decided_source_date
        out = asdict(self)
        out["n_sources"] = len(self.sources)
        out["source_url"] = self.sources[-1].split(" ", 1)[-1] if self.sources else ""
        out["sources"] = " ; ".join(self.sources)
        out["conflict"] = " ; ".join(self.conflict)
        return out


def sort_day(row: Any) -> date:
    """Where an event sits on the time line: a closure when it certainly happened, else its start."""
    when = row.event_date or row.source_date
    if row.event == "closed":
        bounds = event_bounds(row.event_date, row.source_date, row.note)
        return bounds[1] if bounds else EARLIEST
    if row.event in ("closing_decided", "planned"):
        span = parse_when(row.source_date or row.event_date)
    else:
        span = parse_when(when)
    return span[0] if span else EARLIEST


def build_periods(events: pd.DataFrame, skip: Any = None) -> pd.DataFrame:
    """One row per office and period from validated events (rows whose name matches ``skip`` left out).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period_id`` (``<office id>#<n>``), the fields of :class:`Period` plus
        ``n_sources`` and ``source_url``.
    """
    ev = events.copy()
    if skip is not None:
        ev = ev[~ev["name"].str.contains(skip)]
    ev["office_id"] = [office_key(a, k, n) for a, k, n in zip(ev["agency"], ev["kommun_kod"], ev["name"], strict=True)]
    ev["day"] = [sort_day(r) for r in ev.itertuples(index=False)]
    # Same day: open evidence before a closure (the closure is then the later word); then by source.
    ev["rank"] = ev["event"].map(lambda e: 0 if e in OPEN_EVIDENCE else (1 if e == "planned" else 2))
    ev = ev.sort_values(["office_id", "day", "rank", "source_date", "source_url", "event"], kind="stable")
    records: list[dict[str, Any]] = []
    for office_id, group in ev.groupby("office_id", sort=True):
        records.extend(p.record() for p in office_periods(str(office_id), group))
    out = pd.DataFrame.from_records(records)
    if out.empty:
        return out
    return out.set_index("period_id").sort_index()


def office_periods(office_id: str, group: pd.DataFrame) -> list[Period]:
    """The periods of one office from its events in time order."""
    periods: list[Period] = []
    cur: Period | None = None
    for row in group.itertuples(index=False):
        day: date = row.day
        cur = _reopen_or_continue(cur, row, day)
        if cur is None:
            cur = _new_period(office_id, len(periods) + 1, row)
            periods.append(cur)
            if len(periods) > 1 and row.event in OPEN_EVIDENCE:
                cur.open_from = _iso(day)
        _apply(cur, row, day)
    return periods


def _new_period(office_id: str, n: int, first: Any) -> Period:
    return Period(
        period_id=f"{office_id}#{n}",
        office_id=office_id,
        period=n,
        agency=first.agency,
        name=base_name(first.name),
        place=first.place,
        kommunkod=first.kommun_kod,
    )


def _reopen_or_continue(cur: Period | None, row: Any, day: date) -> Period | None:
    """The current period, or ``None`` when open evidence after an explicit closure starts a new one.

    A decided closure contradicted by later open evidence is cleared (and named in ``conflict``).
    """
    if cur is None or row.event not in OPEN_EVIDENCE or not cur.closed_from:
        return cur
    if day < date.fromisoformat(cur.closed_from):
        return cur
    if cur.closed:
        return None  # reopened after an explicit closure: a new period
    when = row.event_date or row.source_date
    cur.conflict.append(
        f"avveckling {cur.closed_from} ({cur.closing_decided_source}) motsägs av {row.event} {when} ({row.source_url})"
    )
    cur.clear_closure(_iso(day))
    return cur


def _apply(cur: Period, row: Any, day: date) -> None:
    """Fold one event into the period."""
    when = row.event_date or row.source_date
    cur.sources.append(f"{row.source_date or row.event_date or 'odaterad'} {row.source_url}".strip())
    if row.address:
        cur.address = row.address
    cur.confidence = row.confidence or cur.confidence
    seen = _iso(day if day != EARLIEST else None)
    if row.event == "planned":
        if not cur.confirmed:
            cur.planned = cur.planned or when
            cur.planned_from = cur.planned_from or seen
            cur.planned_source = cur.planned_source or row.source_url
        return
    if not cur.confirmed:  # any open evidence or closure says the office existed
        cur.confirmed = True
        cur.first_seen = seen
        if cur.planned and not cur.open_from:
            cur.open_from = seen  # planned before: not open before first seen
    if row.event in OPEN_EVIDENCE:
        _apply_open(cur, row, seen)
    elif row.event == "closing_decided":
        _apply_decision(cur, row)
    elif row.event == "closed":
        _apply_closed(cur, row)


def _apply_open(cur: Period, row: Any, seen: str) -> None:
    when = row.event_date or row.source_date
    cur.last_seen = max(cur.last_seen, seen)
    if row.event == "opened" and not cur.opened and when:
        cur.opened, cur.opened_source, cur.opened_source_date = when, row.source_url, row.source_date
        cur.open_from = _iso(certain_from(when))
    if row.event == "remote":
        cur.remote = True
    reverses = row.event in ("kept", "remote") and cur.closing_decided and not cur.closing_until
    if reverses and seen >= cur.closing_decided_from:
        cur.conflict.append(
            f"avvecklingsbeslut {cur.closing_decided} ({cur.closing_decided_source}) "
            f"upphävt av {row.event} {when} ({row.source_url})"
        )
        cur.clear_closure(seen)


def _apply_decision(cur: Period, row: Any) -> None:
    """Fold a closure decision into the period.

    Planned for a day: closing, then closed; for a month or year: closing, uncertain inside it,
    then closed; undated: uncertain, presumed done by the end of the next year.
    """
    decided = parse_when(row.source_date or row.event_date)
    start = decided[0] if decided else EARLIEST
    prior_from, prior_uncertain = cur.closing_decided_from, cur.uncertain_from
    planned = parse_when(row.event_date)
    undated = not (planned and decided and planned[1] > decided[1])
    if undated and cur.closing_planned and not cur.closing_until:
        # an undated word on a closure already planned for a date adds no date: the plan stands
        cur.closing_decided_from = min(filter(None, (prior_from, _iso(start))))
        return
    cur.closing_decided = row.source_date or row.event_date
    cur.closing_decided_from = min(filter(None, (prior_from, _iso(start))))
    cur.closing_decided_source, cur.closing_decided_source_date = row.source_url, row.source_date
    cur.closing_until = ""
    if planned and decided and not undated:  # a planned day or period after the decision
        cur.closing_planned = row.event_date
        cur.closed_from = _iso(planned[1])  # the planned day (or period) is the last open: closed after it
        exact = (planned[1] - planned[0]).days == 1
        cur.uncertain_from = "" if exact else _iso(max(planned[0], start))
        cur.closed_presumed = False
        cur.closed = ""
    elif not cur.closed:
        cur.closed_from = _iso(date(start.year + 2, 1, 1)) if decided else ""
        cur.uncertain_from = _iso(start) if decided else ""
        cur.closed_presumed = bool(decided)
    if prior_uncertain and cur.uncertain_from:  # an earlier decision made it uncertain already
        cur.uncertain_from = min(prior_uncertain, cur.uncertain_from)


def _apply_closed(cur: Period, row: Any) -> None:
    """A stated closure: certainly closed from its bound, maybe closed since its interval's start."""
    when = row.event_date or row.source_date
    bounds = event_bounds(row.event_date, row.source_date, row.note)
    if bounds is None:
        return
    earliest, certain = bounds
    if not cur.closed or cur.closed_presumed or certain < date.fromisoformat(cur.closed_from):
        cur.closed = when
        cur.closed_from = _iso(certain)
        cur.uncertain_from = _iso(earliest) if earliest < certain else ""
        cur.closed_source, cur.closed_source_date = row.source_url, row.source_date
    cur.closed_presumed = False


def period_status(periods: pd.DataFrame, as_of: date) -> pd.Series:
    """Each period's status on ``as_of``: open, closing, uncertain, closed, planned or "" (not yet known)."""
    day = as_of.isoformat()
    out = []
    for p in periods.itertuples():
        uncertain_from = getattr(p, "uncertain_from", "") or ""
        if not p.confirmed or p.open_from and day < p.open_from:
            out.append("planned" if p.planned_from and p.planned_from <= day else "")
        elif p.closed_from and day >= p.closed_from:
            out.append("closed")
        elif uncertain_from and day >= uncertain_from:
            out.append("uncertain")
        elif (
            p.closing_decided_from
            and day >= p.closing_decided_from
            and not (p.closing_until and day >= p.closing_until)
        ):
            out.append("closing")
        else:
            out.append("open")
    return pd.Series(out, index=periods.index, name="status", dtype=object)
