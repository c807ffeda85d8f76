"""The dated presence register: sourced events → office periods → status on a date (pure).

Inputs are *events* mined from public records (``data/sources/presence/*_events*.csv``),
one row per thing a source said about an office: ``opened``, ``exists``, ``kept``,
``remote`` (kept as an office staff travel to), ``moved``, ``planned``,
``closing_decided`` and ``closed``, each with its own date and source.

Reading rules (documented in ``docs/presence.md``):

* **Dates are bounds.** ``YYYY-MM-DD`` is that day; ``YYYY-MM`` and ``YYYY`` are intervals. An
  opening dated with an interval counts from the first day after it. A closure dated with an
  interval may have happened any day inside it: the office is **uncertain** ("stänger/osäkert")
  from the interval's start until it has certainly closed — the end of the interval, or the
  source's own date if earlier ("closed" stated on D means closed no later than D: a source of
  2025-06-02 saying "closed in spring 2025", dated ``2025``, is closed from 2025-06-02).
  "stängt sedan …" in a note gives the exact day (:mod:`geo_app.analysis.source_dates`).
* **Later evidence wins.** A ``kept``/``remote`` row after a closure decision reverses it;
  any open evidence after a decided (not carried out) closure date means the closure did
  not happen; open evidence after an explicit ``closed`` row starts a new period (reopened).
  Each overruled row is named in ``conflict``.
* **Decided closures.** A ``closing_decided`` row's ``event_date`` after its source date is the
  planned last day (or period): "closing" until then (uncertain inside a planned month or year),
  closed after it. A decision without a date is uncertain from the decision and *presumed*
  carried out by the end of the following year; ``closed_presumed`` says so.
* **Plans.** A ``planned`` row never makes an office open; an office known only from plans
  stays ``planned`` (unconfirmed) whatever the date.
* An office first seen in an ``exists`` row without an ``opened`` row is taken to have been
  open before it was first seen (the opening is not dated).
* **Complete lists make "none" known.** Where the register reaches a published count with named
  offices (:func:`completeness`, ``complete``), every kommun without an office of that agency on
  that date is "known none" from that date, recorded with the count's source
  (:func:`register_lists`, :func:`kommun_evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from geo_app.analysis.names import base_name, office_key
from geo_app.analysis.periods import EVENTS, OPEN_EVIDENCE, PRESENT, Period, period_status
from geo_app.analysis.periods import build_periods as _build_periods
from geo_app.analysis.source_dates import (
    AS_OF_RANGE,
    DATE_RE,
    EARLIEST,
    certain_from,
    check_as_of,
    closed_since,
    event_bounds,
    parse_when,
)
from geo_app.errors import InputError, ValidationError, where

__all__ = [
    "AS_OF_RANGE",
    "DATE_RE",
    "EARLIEST",
    "EVENTS",
    "OPEN_EVIDENCE",
    "PRESENT",
    "Period",
    "base_name",
    "certain_from",
    "check_as_of",
    "closed_since",
    "event_bounds",
    "office_key",
    "parse_when",
    "period_status",
]

EVENT_COLUMNS = (
    "agency",
    "name",
    "place",
    "kommun_kod",
    "kommun_namn",
    "address",
    "event",
    "event_date",
    "source_url",
    "source_date",
    "source_title",
    "confidence",
    "note",
)
SAMVERKAN_COLUMNS = (
    "kommun_kod",
    "kommun_namn",
    "attribute",
    "value",
    "event_date",
    "source_url",
    "source_date",
    "confidence",
    "note",
)
SAMVERKAN_ATTRIBUTES = (
    "af_agreement",
    "samstart",
    "lokal_narvaro_via_kommun",
    "kommun_service_point",
    "no_af_office",
    "no_ssc_office",
)
# Samverkan attributes that place a collaboration point (presence type "kommun").
SAMVERKAN_POINTS = ("kommun_service_point", "lokal_narvaro_via_kommun")
CONFIDENCES = ("high", "medium", "low")
REGISTER_AGENCIES = ("af", "ssc", "kommun")
# Not visitor offices: inspection units, customer service, head office, project offices.
NOT_VISITOR_OFFICE = re.compile(r"granskning och kontroll|kansli|kundservice|huvudkontor", re.IGNORECASE)
STATES = ("known", "none", "unknown")


def _text_columns(table: pd.DataFrame, columns: Sequence[str], label: str) -> pd.DataFrame:
    """The ``columns`` of a source table as stripped text ("" where empty); refuse missing ones."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{label}: missing column(s) {', '.join(missing)}")
    out = table[list(columns)].astype("string").fillna("")
    for col in out.columns:
        out[col] = out[col].str.strip()
    return out


def _check_kommun_code(code: str, label: str, pos: int) -> None:
    if not re.fullmatch(r"\d{3,4}", code):
        raise ValidationError(
            f"{where(label, pos, 'kommun_kod')}: {code!r} is not a kommun code (three or four digits)"
        )


def _check_dates(row: Any, label: str, pos: int) -> None:
    for col in ("event_date", "source_date"):
        try:
            parse_when(getattr(row, col))
        except InputError as exc:
            raise ValidationError(f"{where(label, pos, col)}: {exc}") from None


def check_events(events: pd.DataFrame, label: str) -> pd.DataFrame:
    """Validate an events table (columns, agencies, events, dates, kommun codes); return it tidied.

    Raises :class:`~geo_app.errors.ValidationError` naming ``label`` (the file), the row and the
    column through :func:`geo_app.errors.where` (rows as a spreadsheet shows them: header is row 1).
    """
    out = _text_columns(events, EVENT_COLUMNS, label)
    for pos, row in enumerate(out.itertuples(index=False)):
        if row.agency not in ("af", "ssc"):
            raise ValidationError(f"{where(label, pos, 'agency')}: {row.agency!r} is not af or ssc")
        if row.event not in EVENTS:
            raise ValidationError(f"{where(label, pos, 'event')}: {row.event!r} is not one of {', '.join(EVENTS)}")
        if not row.name:
            raise ValidationError(f"{where(label, pos, 'name')}: empty; give the office's name")
        _check_kommun_code(row.kommun_kod, label, pos)
        if row.confidence and row.confidence not in CONFIDENCES:
            raise ValidationError(
                f"{where(label, pos, 'confidence')}: {row.confidence!r} is not one of {', '.join(CONFIDENCES)}"
            )
        _check_dates(row, label, pos)
    out["kommun_kod"] = out["kommun_kod"].str.zfill(4)
    return out


def check_samverkan(facts: pd.DataFrame, label: str) -> pd.DataFrame:
    """Validate a kommun collaboration table like :func:`check_events`."""
    out = _text_columns(facts, SAMVERKAN_COLUMNS, label)
    for pos, row in enumerate(out.itertuples(index=False)):
        if row.attribute not in SAMVERKAN_ATTRIBUTES:
            raise ValidationError(
                f"{where(label, pos, 'attribute')}: {row.attribute!r} is not one of {', '.join(SAMVERKAN_ATTRIBUTES)}"
            )
        _check_kommun_code(row.kommun_kod, label, pos)
        _check_dates(row, label, pos)
    out["kommun_kod"] = out["kommun_kod"].str.zfill(4)
    return out


def samverkan_events(facts: pd.DataFrame) -> pd.DataFrame:
    """Collaboration points (``kommun_service_point``, ``lokal_narvaro_via_kommun``) as ``exists`` events.

    Agency ``kommun``, one office per kommun (``Kommunsamverkan <kommun>``), placed later at the
    kommun's main town with precision ``kommun``.
    """
    rows = facts[facts["attribute"].isin(SAMVERKAN_POINTS) & ~facts["value"].str.casefold().isin(["no", "nej", "0"])]
    return pd.DataFrame(
        {
            "agency": "kommun",
            "name": "Kommunsamverkan " + rows["kommun_namn"],
            "place": rows["kommun_namn"],
            "kommun_kod": rows["kommun_kod"],
            "kommun_namn": rows["kommun_namn"],
            "address": "",
            "event": "exists",
            "event_date": rows["event_date"],
            "source_url": rows["source_url"],
            "source_date": rows["source_date"],
            "source_title": rows["attribute"],
            "confidence": rows["confidence"],
            "note": rows["note"],
        }
    ).reset_index(drop=True)


def build_periods(events: pd.DataFrame) -> pd.DataFrame:
    """One row per office and period from validated events (see module docstring).

    Offices that are not visitor offices (:data:`NOT_VISITOR_OFFICE`) are left out; the columns
    are the fields of :class:`geo_app.analysis.periods.Period` plus ``n_sources`` and ``source_url``.
    """
    return _build_periods(events, NOT_VISITOR_OFFICE)


_PRIORITY = {"open": 4, "closing": 4, "uncertain": 3, "closed": 2, "planned": 1, "": 0}


def status_as_of(periods: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The register on a date: one row per office (the period that applies), with ``status`` and ``status_date``.

    Offices not yet known to exist on ``as_of`` (neither open nor planned) are left out. Of an
    office's periods, an open one wins over an uncertain or closed one, and the later period wins a
    tie. ``status_date`` and ``status_source`` are the date and source of the row that decides it.
    """
    if periods.empty:
        return periods.assign(status=pd.Series(dtype=object), status_date=pd.Series(dtype=object))
    out = periods.assign(status=period_status(periods, as_of))
    out = out[out["status"] != ""]
    out = out.assign(_prio=out["status"].map(_PRIORITY))
    out = out.sort_values(["office_id", "_prio", "period"], kind="stable").groupby("office_id").tail(1)
    decided = [_status_evidence(p) for p in out.itertuples()]
    out = out.assign(status_date=[d for d, _ in decided], status_source=[s for _, s in decided]).drop(columns="_prio")
    return out.reset_index().set_index("office_id").sort_index()


def _status_evidence(p: Any) -> tuple[str, str]:
    """The date and source of the row that decides a period's status."""
    if p.status in ("closed", "uncertain"):
        return p.closed or p.closing_planned or p.closed_from, p.closed_source or p.closing_decided_source
    if p.status == "closing":
        return p.closing_planned or p.closing_decided, p.closing_decided_source
    if p.status == "planned":
        return p.planned, p.planned_source
    return p.opened or p.last_seen, p.opened_source or p.source_url


@dataclass(frozen=True)
class CompleteList:
    """A date on which the register names every office of an agency (it reaches a published count).

    ``kommuner`` are the kommuner with an office of ``agency`` on ``day``; every other kommun is
    "known none" from that day, on the word of ``source_url``.
    """

    agency: str
    day: str
    source_url: str
    kommuner: frozenset[str]


@dataclass(frozen=True)
class KnownLists:
    """Complete lists: imported (agency → ISO date of a ``--replace`` import) and from the register."""

    imported: Mapping[str, str] = field(default_factory=dict)
    register: Sequence[CompleteList] = ()


def register_lists(periods: pd.DataFrame, table: pd.DataFrame) -> tuple[CompleteList, ...]:
    """The complete lists the register holds: the rows of :func:`completeness` marked ``complete``."""
    out = []
    if "complete" not in table:
        return ()
    for row in table[table["complete"].astype(bool)].itertuples(index=False):
        on = status_as_of(periods, date.fromisoformat(row.date))
        live = on[on["status"].isin(PRESENT) & (on["agency"] == row.agency)]
        out.append(CompleteList(row.agency, row.date, row.source_url, frozenset(live["kommunkod"])))
    return tuple(sorted(out, key=lambda c: (c.agency, c.day)))


EVIDENCE_COLUMNS = ("kommunkod", "agency", "state", "reason", "detail", "since", "source_url")


@dataclass(frozen=True)
class _Context:
    offices: pd.DataFrame
    facts: pd.DataFrame | None
    day: str
    lists: KnownLists


def kommun_evidence(
    offices: pd.DataFrame,
    facts: pd.DataFrame | None,
    kommuner: Sequence[str] | pd.Index,
    as_of: date,
    complete: Mapping[str, str] | KnownLists | None = None,
) -> pd.DataFrame:
    """Per kommun and agency what the register knows on ``as_of`` and why (long table).

    Returns ``kommunkod, agency, state`` (known / none / unknown), ``reason`` — ``office`` (an office
    open or closing), ``fact`` (a ``no_<agency>_office`` fact), ``closed`` (the kommun's offices closed
    by a sourced closure), ``complete_list`` (the register names every office on a published date),
    ``imported_list``; for unknown: ``uncertain`` (an office that may have closed), ``presumed`` (a
    closure presumed, not sourced), ``no_facts`` — ``detail`` (office names), ``since`` and
    ``source_url``. Parameters as :func:`kommun_states`.
    """
    lists = complete if isinstance(complete, KnownLists) else KnownLists(imported=dict(complete or {}))
    ctx = _Context(offices, facts, as_of.isoformat(), lists)
    codes = pd.Index(kommuner, name="kommunkod")
    frames = [_agency_evidence(ctx, agency, codes) for agency in REGISTER_AGENCIES]
    return pd.concat(frames, ignore_index=True)[list(EVIDENCE_COLUMNS)]


def _agency_evidence(ctx: _Context, agency: str, codes: pd.Index) -> pd.DataFrame:
    """One agency's rows of :func:`kommun_evidence`, strongest evidence last (later rows win)."""
    rows = ctx.offices[ctx.offices["agency"] == agency]
    blank = {"state": "unknown", "reason": "no_facts", "detail": "", "since": "", "source_url": ""}
    ev = pd.DataFrame(blank, index=codes)
    closed = rows[rows["status"] == "closed"]
    presumed = _presumed(closed)
    _put(ev, closed[presumed], "unknown", "presumed")
    _put(ev, rows[rows["status"] == "uncertain"], "unknown", "uncertain")
    sure = closed[~presumed & ~closed["kommunkod"].isin(closed.loc[presumed, "kommunkod"])]
    sure = sure[~sure["kommunkod"].isin(rows.loc[rows["status"] == "uncertain", "kommunkod"])]
    _put(ev, sure, "none", "closed")
    for item in [c for c in ctx.lists.register if c.agency == agency and c.day <= ctx.day][-1:]:
        free = ~codes.isin(list(item.kommuner)) & (ev["reason"] != "uncertain")
        ev.loc[free, ["state", "reason", "detail", "since", "source_url"]] = [
            "none", "complete_list", "", item.day, item.source_url
        ]  # fmt: skip
    _facts_none(ev, ctx, agency)
    if agency in ctx.lists.imported and ctx.lists.imported[agency] <= ctx.day:
        since = ctx.lists.imported[agency]
        ev.loc[:, ["state", "reason", "detail", "since", "source_url"]] = ["none", "imported_list", "", since, ""]
    _put(ev, rows[rows["status"].isin(PRESENT)], "known", "office")
    return ev.reset_index().assign(agency=agency)


def _presumed(closed: pd.DataFrame) -> pd.Series:
    if "closed_presumed" not in closed:
        return pd.Series(False, index=closed.index)
    return closed["closed_presumed"].fillna(False).astype(bool)


def _text(rows: pd.DataFrame, col: str) -> list[str]:
    return rows[col].fillna("").astype(str).tolist() if col in rows else [""] * len(rows)


_EVIDENCE_FIELDS = ["state", "reason", "detail", "since", "source_url"]


def _put(ev: pd.DataFrame, rows: pd.DataFrame, state: str, reason: str) -> None:
    """Mark the kommuner of ``rows`` with ``state``/``reason``, office names and the deciding source."""
    found: dict[str, list[Any]] = {}
    sources = [s or u for s, u in zip(_text(rows, "status_source"), _text(rows, "source_url"), strict=True)]
    for code, name, since, url in zip(
        _text(rows, "kommunkod"), _text(rows, "name"), _text(rows, "status_date"), sources, strict=True
    ):
        if code in ev.index:
            entry = found.setdefault(code, [[], "", ""])
            entry[0].append(name)
            entry[1], entry[2] = max(entry[1], since), url
    if found:
        values = [[state, reason, "; ".join(names), since, url] for names, since, url in found.values()]
        ev.loc[list(found), _EVIDENCE_FIELDS] = values


def _facts_none(ev: pd.DataFrame, ctx: _Context, agency: str) -> None:
    """``no_<agency>_office`` facts: true from the first day they certainly hold."""
    if ctx.facts is None or not len(ctx.facts):
        return
    said = ctx.facts[ctx.facts["attribute"] == f"no_{agency}_office"]
    found: dict[str, list[Any]] = {}
    for code, when, said_on, url in zip(
        _text(said, "kommunkod"),
        _text(said, "event_date"),
        _text(said, "source_date"),
        _text(said, "source_url"),
        strict=True,
    ):
        since = (certain_from(when or said_on) or EARLIEST).isoformat()
        if since <= ctx.day and code in ev.index:
            found[code] = ["none", "fact", "", since, url]
    if found:
        ev.loc[list(found), _EVIDENCE_FIELDS] = list(found.values())


def kommun_states(
    offices: pd.DataFrame,
    facts: pd.DataFrame | None,
    kommuner: Sequence[str] | pd.Index,
    as_of: date,
    complete: Mapping[str, str] | KnownLists | None = None,
) -> pd.DataFrame:
    """What the register knows per kommun and agency on ``as_of``: known, none or unknown.

    Parameters
    ----------
    offices : pandas.DataFrame
        :func:`status_as_of` output (possibly with imported offices): ``agency, kommunkod,
        status`` and, for embedded rows, ``closed_presumed``.
    facts : pandas.DataFrame
        Kommun collaboration facts (``kommunkod, attribute, event_date, source_date``);
        ``no_<agency>_office`` says a kommun has none of that agency's offices.
    kommuner : sequence of str
        All kommun codes.
    complete : dict or KnownLists, optional
        Agency → ISO date of an imported complete list (from that date, a kommun with no office
        of that agency in the list is "none"), or :class:`KnownLists` with the register's own
        complete lists as well (:func:`register_lists`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kommunkod``, one column per agency of :data:`REGISTER_AGENCIES` with
        ``known``, ``none`` or ``unknown``; why: :func:`kommun_evidence`.
    """
    ev = kommun_evidence(offices, facts, kommuner, as_of, complete)
    out = ev.pivot(index="kommunkod", columns="agency", values="state")
    out.columns.name = None
    return out.reindex(index=pd.Index(kommuner, name="kommunkod"), columns=list(REGISTER_AGENCIES))


def counts_by_year(periods: pd.DataFrame, years: range) -> dict[str, Any]:
    """Offices (open or closing) and kommuner with one, per agency on 31 December of each year."""
    out: dict[str, Any] = {}
    for year in years:
        on = status_as_of(periods, date(year, 12, 31))
        live = on[on["status"].isin(PRESENT)]
        out[str(year)] = {
            a: {
                "offices": int((live["agency"] == a).sum()),
                "kommuner": int(live.loc[live["agency"] == a, "kommunkod"].nunique()),
            }
            for a in REGISTER_AGENCIES
        }
    return out


def published_bounds(count: object) -> tuple[int, int] | None:
    """A published count as ``(low, high)``: ``"112"`` → (112, 112), ``"110–115"`` → (110, 115)."""
    numbers = [int(n) for n in re.findall(r"\d+", str(count or ""))]
    return (min(numbers), max(numbers)) if numbers else None


def reaches(register: int, published: object) -> bool:
    """The register names every office a published count has: at least its top, at most 5 % above."""
    bounds = published_bounds(published)
    return bounds is not None and bounds[1] <= register <= bounds[1] * 1.05


def completeness(periods: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Published counts beside the register's count on the same date.

    ``published`` has ``agency, date, count, kommuner, what, source_url, source_date``; the result
    adds ``register_offices`` and ``register_kommuner`` (offices open or closing on ``date``),
    ``register_uncertain`` (offices that may have closed by then) and ``complete``: the register
    reaches the published count of offices or of kommuner (:func:`reaches`), so every other kommun
    has none of that agency's offices on that date.
    """
    rows = []
    for p in published.itertuples(index=False):
        on = status_as_of(periods, date.fromisoformat(p.date))
        on = on[on["agency"] == p.agency]
        live = on[on["status"].isin(PRESENT)]
        kommuner = "" if pd.isna(p.kommuner) else str(p.kommuner)
        n, nk = int(len(live)), int(live["kommunkod"].nunique())
        rows.append(
            {
                "agency": p.agency,
                "date": p.date,
                "published": str(p.count),
                "published_kommuner": kommuner,
                "register_offices": n,
                "register_kommuner": nk,
                "register_uncertain": int((on["status"] == "uncertain").sum()),
                "complete": reaches(n, p.count) or (bool(kommuner) and reaches(nk, kommuner)),
                "what": p.what,
                "source_url": p.source_url,
                "source_date": p.source_date,
            }
        )
    return pd.DataFrame(rows)
