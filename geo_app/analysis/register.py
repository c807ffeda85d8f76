"""The dated presence register: sourced events → office periods → status on a date (pure).

Inputs are *events* mined from public records (``data/sources/presence/*_events*.csv``),
one row per thing a source said about an office: ``opened``, ``exists``, ``kept``,
``remote`` (kept as an office staff travel to), ``moved``, ``planned``,
``closing_decided`` and ``closed``, each with its own date and source.

Reading rules (documented in ``docs/presence.md``):

* **Date forms.** ``YYYY-MM-DD`` is that day. ``YYYY-MM`` and ``YYYY`` are periods: an
  opening or closure dated with a period takes effect on the first day after it, the first
  day it has *certainly* happened (a closure dated ``2025-01`` counts from 2025-02-01, one
  dated ``2024`` from 2025-01-01). For ordering evidence that an office *exists*, the start
  of the period is used (the weakest claim of lateness). Undated rows sort first.
* **"stängt sedan …"** in a closure's note (``stängt sedan årsskiftet 2024/2025``,
  ``stängt sedan 2025-01-07``) gives the exact closure day.
* **Later evidence wins.** A ``kept``/``remote`` row after a closure decision reverses it;
  any open evidence after a decided (not carried out) closure date means the closure did
  not happen; open evidence after an explicit ``closed`` row starts a new period (reopened).
  Each overruled row is named in ``conflict``.
* **Decided closures.** The ``event_date`` of a ``closing_decided`` row after its source
  date is the planned last day: closed from the day after. A decision without a date is
  *presumed* carried out by the end of the year after the decision (Af's 2019 decisions:
  "avvecklas 2019–2020"); ``closed_presumed`` says so.
* **Plans.** A ``planned`` row never makes an office open; an office known only from plans
  stays ``planned`` (unconfirmed) whatever the date.
* An office first seen in an ``exists`` row without an ``opened`` row is taken to have been
  open before it was first seen (the opening is not dated).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from geo_app.errors import InputError, ValidationError, where

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
EVENTS = ("opened", "exists", "kept", "remote", "moved", "planned", "closing_decided", "closed")
OPEN_EVIDENCE = ("opened", "exists", "kept", "remote", "moved")
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
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
EARLIEST = date(1900, 1, 1)
AS_OF_RANGE = (date(2015, 1, 1), date(2035, 12, 31))
STATES = ("known", "none", "unknown")

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        )
    )
}


def parse_when(text: object) -> tuple[date, date] | None:
    """A date text as ``(first day, first day after)``; ``None`` when empty.

    ``"2025-01-07"`` → (2025-01-07, 2025-01-08); ``"2025-01"`` → (2025-01-01, 2025-02-01);
    ``"2024"`` → (2024-01-01, 2025-01-01).

    Raises
    ------
    InputError
        The text is not one of the three forms or not a real day.
    """
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text).strip()
    if not s or s.casefold() in ("nan", "<na>", "none"):
        return None
    m = DATE_RE.fullmatch(s)
    if not m:
        raise InputError(f"not a date: {s!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        if d:
            start = date(y, int(mo), int(d))
            return start, start + timedelta(days=1)
        if mo:
            start = date(y, int(mo), 1)
            return start, (date(y + 1, 1, 1) if start.month == 12 else date(y, start.month + 1, 1))
        return date(y, 1, 1), date(y + 1, 1, 1)
    except ValueError as exc:
        raise InputError(f"not a date: {s!r}") from exc


def certain_from(text: object) -> date | None:
    """The first day on which an event dated ``text`` has certainly happened (see module docstring)."""
    span = parse_when(text)
    if span is None:
        return None
    start, end = span
    return start if end - start == timedelta(days=1) else end


def check_as_of(as_of: date | str | None) -> date:
    """An as-of date (default today) inside 2015–2035, else :class:`InputError`."""
    if as_of is None:
        return date.today()
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of.strip())
        except ValueError as exc:
            raise InputError(f"as-of date: not a date: {as_of!r} (expected YYYY-MM-DD)") from exc
    if not AS_OF_RANGE[0] <= as_of <= AS_OF_RANGE[1]:
        raise InputError(f"as-of date {as_of.isoformat()} is outside {AS_OF_RANGE[0].year}–{AS_OF_RANGE[1].year}")
    return as_of


def closed_since(note: object) -> date | None:
    """The day a note's "stängt sedan …" names, if any.

    ``"stängt sedan årsskiftet 2024/2025"`` → 2025-01-01; ``"stängt sedan 2025-01-07"`` →
    2025-01-07; ``"stängt sedan mars 2024"`` → 2024-03-01; ``"stängt sedan 2023"`` → 2023-01-01.
    """
    t = str(note or "").casefold()
    m = re.search(r"stängt?\s+sedan\s+(.{0,40})", t)
    if not m:
        return None
    rest = m[1]
    if y := re.match(r"(?:års|nyårs)skiftet['\"’”]?\s*(\d{4})\s*/\s*(\d{2,4})", rest):
        return date(int(y[1]) + 1, 1, 1)
    if d := re.match(r"(\d{4})-(\d{2})-(\d{2})", rest):
        return date(int(d[1]), int(d[2]), int(d[3]))
    if (mo := re.match(r"([a-zåäö]+)\s+(\d{4})", rest)) and mo[1] in _MONTHS:
        return date(int(mo[2]), _MONTHS[mo[1]], 1)
    if y := re.match(r"(\d{4})\b", rest):
        return date(int(y[1]), 1, 1)
    return None


_PLACEHOLDER = re.compile(r"\s*\((?:nytt|ort)\b[^)]*\)\s*$", re.IGNORECASE)


def base_name(name: str) -> str:
    """The office name without a plan or town placeholder.

    ``"Servicekontor Laholm (nytt, fas 1)"`` → ``"Servicekontor Laholm"``, so a plan and the office
    that opened are one office.
    """
    return _PLACEHOLDER.sub("", name).strip()


def office_key(agency: str, kommunkod: str, name: str) -> str:
    """Stable id ``<agency>-<kommunkod>-<folded name>`` (placeholders dropped, see :func:`base_name`)."""
    from geo_app.analysis.presence import fold_name

    return f"{agency}-{kommunkod}-" + fold_name(pd.Series([base_name(name)])).iloc[0].replace(" ", "_")


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


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _sort_day(row: Any) -> date:
    """Where an event sits on the time line (see module docstring)."""
    when = row.event_date or row.source_date
    if row.event == "closed":
        return closed_since(row.note) or certain_from(when) or EARLIEST
    if row.event in ("closing_decided", "planned"):
        span = parse_when(row.source_date or row.event_date)
    else:
        span = parse_when(when)
    return span[0] if span else EARLIEST


def build_periods(events: pd.DataFrame) -> pd.DataFrame:
    """One row per office and period from validated events (see module docstring).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period_id`` (``<office id>#<n>``) with ``office_id, period, agency, name,
        place, kommunkod, address, confirmed, open_from, opened, opened_source, opened_source_date,
        first_seen, last_seen, planned, planned_from, planned_source, closing_decided,
        closing_decided_from, closing_decided_source, closing_decided_source_date, closing_planned,
        closing_until (a decision overruled from that day), closed, closed_from, closed_presumed,
        closed_source, closed_source_date, remote,
        confidence, conflict, sources, n_sources, source_url``. Dates are ISO text ("" = none):
        ``*_from`` are the effective days the status rules use; ``opened``/``closed``/
        ``closing_decided`` are the dates as the sources gave them.
    """
    ev = events.copy()
    ev = ev[~ev["name"].str.contains(NOT_VISITOR_OFFICE)]
    ev["office_id"] = [office_key(a, k, n) for a, k, n in zip(ev["agency"], ev["kommun_kod"], ev["name"], strict=True)]
    ev["day"] = [_sort_day(r) for r in ev.itertuples(index=False)]
    # Same day: open evidence before a closure (the closure is then the later word); then by source.
    ev["rank"] = ev["event"].map(lambda e: 0 if e in OPEN_EVIDENCE else (1 if e == "planned" else 2))
    ev = ev.sort_values(["office_id", "day", "rank", "source_date", "source_url", "event"], kind="stable")
    records = []
    for office_id, group in ev.groupby("office_id", sort=True):
        records.extend(_office_periods(office_id, group))
    out = pd.DataFrame.from_records(records)
    if out.empty:
        return out
    return out.set_index("period_id").sort_index()


def _new_period(office_id: str, n: int, first: Any) -> dict:
    return {
        "period_id": f"{office_id}#{n}",
        "office_id": office_id,
        "period": n,
        "agency": first.agency,
        "name": base_name(first.name),
        "place": first.place,
        "kommunkod": first.kommun_kod,
        "address": "",
        "confirmed": False,
        "open_from": "",
        "opened": "",
        "opened_source": "",
        "opened_source_date": "",
        "first_seen": "",
        "last_seen": "",
        "planned": "",
        "planned_from": "",
        "planned_source": "",
        "closing_decided": "",
        "closing_decided_from": "",
        "closing_decided_source": "",
        "closing_decided_source_date": "",
        "closing_planned": "",
        "closing_until": "",
        "closed": "",
        "closed_from": "",
        "closed_presumed": False,
        "closed_source": "",
        "closed_source_date": "",
        "remote": False,
        "confidence": "",
        "conflict": [],
        "sources": [],
    }


def _office_periods(office_id: str, group: pd.DataFrame) -> list[dict]:
    periods: list[dict] = []
    cur: dict | None = None
    for row in group.itertuples(index=False):
        day: date = row.day
        when = row.event_date or row.source_date
        src = f"{row.source_date or row.event_date or 'odaterad'} {row.source_url}".strip()
        if (
            cur is not None
            and row.event in OPEN_EVIDENCE
            and cur["closed_from"]
            and day >= date.fromisoformat(cur["closed_from"])
        ):
            if cur["closed"]:
                cur = None  # reopened after an explicit closure: a new period
            else:  # a decided (scheduled or presumed) closure contradicted by later evidence
                cur["conflict"].append(
                    f"avveckling {cur['closed_from']} ({cur['closing_decided_source']}) "
                    f"motsägs av {row.event} {when} ({row.source_url})"
                )
                _clear_closure(cur, _iso(day))
        if cur is None:
            cur = _new_period(office_id, len(periods) + 1, row)
            periods.append(cur)
            if len(periods) > 1 and row.event in OPEN_EVIDENCE:
                cur["open_from"] = _iso(day)
        cur["sources"].append(src)
        if row.address:
            cur["address"] = row.address
        cur["confidence"] = row.confidence or cur["confidence"]
        seen = _iso(day if day != EARLIEST else None)
        if row.event == "planned":
            if not cur["confirmed"]:
                cur["planned"] = cur["planned"] or when
                cur["planned_from"] = cur["planned_from"] or seen
                cur["planned_source"] = cur["planned_source"] or row.source_url
            continue
        if not cur["confirmed"]:  # any open evidence or closure says the office existed
            cur["confirmed"] = True
            cur["first_seen"] = seen
            if cur["planned"] and not cur["open_from"]:
                cur["open_from"] = seen  # planned before: not open before first seen
        if row.event in OPEN_EVIDENCE:
            cur["last_seen"] = max(cur["last_seen"], seen)
            if row.event == "opened" and not cur["opened"] and when:
                cur["opened"], cur["opened_source"], cur["opened_source_date"] = when, row.source_url, row.source_date
                cur["open_from"] = _iso(certain_from(when))
            if row.event == "remote":
                cur["remote"] = True
            if (
                cur["closing_decided"]
                and not cur["closing_until"]
                and row.event in ("kept", "remote")
                and seen >= cur["closing_decided_from"]
            ):
                cur["conflict"].append(
                    f"avvecklingsbeslut {cur['closing_decided']} ({cur['closing_decided_source']}) "
                    f"upphävt av {row.event} {when} ({row.source_url})"
                )
                _clear_closure(cur, seen)
            continue
        if row.event == "closing_decided":
            decided = parse_when(row.source_date or row.event_date)
            cur["closing_decided"] = row.source_date or row.event_date
            cur["closing_decided_from"] = _iso(decided[0] if decided else EARLIEST)
            cur["closing_decided_source"], cur["closing_decided_source_date"] = row.source_url, row.source_date
            cur["closing_until"] = ""
            planned = parse_when(row.event_date)
            if planned and decided and planned[0] > decided[0]:
                cur["closing_planned"] = row.event_date
                # the planned date is the last day open: closed from the day after
                cur["closed_from"] = _iso(planned[1])
                cur["closed_presumed"] = False
                cur["closed"] = ""
            elif not cur["closed"]:
                year = (decided[0] if decided else EARLIEST).year
                cur["closed_from"] = _iso(date(year + 2, 1, 1)) if decided else ""
                cur["closed_presumed"] = bool(decided)
            continue
        if row.event == "closed":
            explicit = closed_since(row.note) or certain_from(when)
            if explicit is None:
                continue
            if not cur["closed"] or cur["closed_presumed"] or explicit < date.fromisoformat(cur["closed_from"]):
                cur["closed"] = when
                cur["closed_from"] = _iso(explicit)
                cur["closed_source"], cur["closed_source_date"] = row.source_url, row.source_date
            cur["closed_presumed"] = False
    for p in periods:
        if p["closed_from"] and p["open_from"] and p["closed_from"] < p["open_from"]:
            p["conflict"].append(f"stängd {p['closed_from']} före öppnad {p['open_from']}")
            p["open_from"] = p["closed_from"]
        if not p["closed_source"] and p["closed_from"]:
            p["closed_source"], p["closed_source_date"] = p["closing_decided_source"], p["closing_decided_source_date"]
        p["n_sources"] = len(p["sources"])
        p["source_url"] = p["sources"][-1].split(" ", 1)[-1] if p["sources"] else ""
        p["sources"] = " ; ".join(p["sources"])
        p["conflict"] = " ; ".join(p["conflict"])
    return periods


def _clear_closure(p: dict, until: str) -> None:
    """A closure decision overruled on ``until``: the office was "closing" until then, then open again."""
    p["closing_until"] = until
    for k in ("closing_planned", "closed", "closed_from", "closed_source", "closed_source_date"):
        p[k] = ""
    p["closed_presumed"] = False


def period_status(periods: pd.DataFrame, as_of: date) -> pd.Series:
    """Each period's status on ``as_of``: open, closing, closed, planned or "" (not yet known to exist)."""
    day = as_of.isoformat()
    out = []
    for p in periods.itertuples():
        if not p.confirmed or p.open_from and day < p.open_from:
            out.append("planned" if p.planned_from and p.planned_from <= day else "")
        elif p.closed_from and day >= p.closed_from:
            out.append("closed")
        elif (
            p.closing_decided_from
            and day >= p.closing_decided_from
            and not (p.closing_until and day >= p.closing_until)
        ):
            out.append("closing")
        else:
            out.append("open")
    return pd.Series(out, index=periods.index, name="status", dtype=object)


_PRIORITY = {"open": 3, "closing": 3, "planned": 1, "closed": 2, "": 0}


def status_as_of(periods: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The register on a date: one row per office (the period that applies), with ``status`` and ``status_date``.

    Offices not yet known to exist on ``as_of`` (neither open nor planned) are left out. Of an
    office's periods, an open one wins over a closed one, and the later period wins a tie.
    ``status_date`` and ``status_source`` are the date and source of the row that decides the status.
    """
    if periods.empty:
        return periods.assign(status=pd.Series(dtype=object), status_date=pd.Series(dtype=object))
    out = periods.assign(status=period_status(periods, as_of))
    out = out[out["status"] != ""]
    out = out.assign(_prio=out["status"].map(_PRIORITY))
    out = out.sort_values(["office_id", "_prio", "period"], kind="stable").groupby("office_id").tail(1)
    status_date, status_source = [], []
    for p in out.itertuples():
        if p.status == "closed":
            status_date.append(p.closed or p.closing_planned or p.closed_from)
            status_source.append(p.closed_source or p.closing_decided_source)
        elif p.status == "closing":
            status_date.append(p.closing_planned or p.closing_decided)
            status_source.append(p.closing_decided_source)
        elif p.status == "planned":
            status_date.append(p.planned)
            status_source.append(p.planned_source)
        else:
            status_date.append(p.opened or p.last_seen)
            status_source.append(p.opened_source or p.source_url)
    out = out.assign(status_date=status_date, status_source=status_source).drop(columns="_prio")
    return out.reset_index().set_index("office_id").sort_index()


def kommun_states(
    offices: pd.DataFrame,
    facts: pd.DataFrame,
    kommuner: pd.Index,
    as_of: date,
    complete: dict[str, str] | None = None,
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
    kommuner : pandas.Index
        All kommun codes.
    complete : dict, optional
        Agency → ISO date of an imported complete list: from that date, a kommun with no office
        of that agency in the list is "none".

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kommunkod``, one column per agency of :data:`REGISTER_AGENCIES` with
        ``known`` (an office open or closing), ``none`` (a source says there is none: a
        ``no_<agency>_office`` fact, the kommun's offices all closed by a sourced — not presumed —
        closure, or a complete imported list) or ``unknown``.
    """
    day = as_of.isoformat()
    complete = complete or {}
    out = pd.DataFrame(index=pd.Index(kommuner, name="kommunkod"))
    for agency in REGISTER_AGENCIES:
        rows = offices[offices["agency"] == agency]
        live = set(rows.loc[rows["status"].isin(("open", "closing")), "kommunkod"])
        state = pd.Series("unknown", index=out.index, dtype=object)
        closed = rows[rows["status"] == "closed"]
        presumed = (
            closed["closed_presumed"].fillna(False).astype(bool)
            if "closed_presumed" in closed
            else pd.Series(False, index=closed.index)
        )
        sure_closed = set(closed.loc[~presumed, "kommunkod"]) - set(closed.loc[presumed, "kommunkod"])
        state[state.index.isin(list(sure_closed))] = "none"
        if facts is not None and len(facts):
            said = facts[facts["attribute"] == f"no_{agency}_office"]
            # true from the first day it certainly holds (the event date's period, else the source date)
            when = [
                (certain_from(d or s) or EARLIEST).isoformat()
                for d, s in zip(said["event_date"], said["source_date"], strict=True)
            ]
            none_codes = set(said.loc[[w <= day for w in when], "kommunkod"])
            state[state.index.isin(list(none_codes))] = "none"
        if agency in complete and complete[agency] <= day:
            state[:] = "none"
        state[state.index.isin(list(live))] = "known"
        out[agency] = state
    return out


def counts_by_year(periods: pd.DataFrame, years: range) -> dict:
    """Offices (open or closing) and kommuner with one, per agency on 31 December of each year."""
    out: dict = {}
    for year in years:
        on = status_as_of(periods, date(year, 12, 31))
        live = on[on["status"].isin(("open", "closing"))]
        out[str(year)] = {
            a: {
                "offices": int((live["agency"] == a).sum()),
                "kommuner": int(live.loc[live["agency"] == a, "kommunkod"].nunique()),
            }
            for a in REGISTER_AGENCIES
        }
    return out


def completeness(periods: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Published counts beside the register's count on the same date.

    ``published`` has ``agency, date, count, kommuner, what, source_url, source_date``; the result
    adds ``register_offices`` and ``register_kommuner`` (offices open or closing on ``date``).
    """
    rows = []
    for p in published.itertuples(index=False):
        on = status_as_of(periods, date.fromisoformat(p.date))
        live = on[on["status"].isin(("open", "closing")) & (on["agency"] == p.agency)]
        rows.append(
            {
                "agency": p.agency,
                "date": p.date,
                "published": str(p.count),
                "published_kommuner": "" if pd.isna(p.kommuner) else str(p.kommuner),
                "register_offices": int(len(live)),
                "register_kommuner": int(live["kommunkod"].nunique()),
                "what": p.what,
                "source_url": p.source_url,
                "source_date": p.source_date,
            }
        )
    return pd.DataFrame(rows)
