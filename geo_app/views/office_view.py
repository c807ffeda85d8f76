"""Offices on the map as something to hover and click: tooltip fields and the facts of a clicked office.

No Streamlit. The map has one tooltip template for every layer (deck.gl fills ``{key}`` from the
hovered object and leaves a key the object lacks as the raw text ``{key}``), so every office record
carries every key of the template: the first line names the office, its status and the area it is
drawn in; the template's value lines then read as that area's figures (what the map shows there).
A click selects the record's ``office`` id; :func:`office_facts` turns it into the side panel's facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from geo_app.analysis.presence import STATUSES
from geo_app.i18n import t
from geo_app.views.gap_view import http_link, origin_text
from geo_app.views.presence_view import agency_name

# The pickable office layers (ids are stable across reruns; see geo_app.views.gap_view.office_layers).
OFFICE_LAYER_IDS = ("offices_af", "offices_ssc", "offices_kommun", "offices_other", "offices_closed")
OFFICE_KEY = "office"  # the record key holding the office id (what a click selects)
# The same pattern Streamlit's deck.gl tooltip uses to find the keys it fills.
_TOOLTIP_KEY = re.compile(r"{(.*?)}")


def tooltip_keys(template: str) -> list[str]:
    """The keys a tooltip template asks the hovered object for, in order, each once."""
    return list(dict.fromkeys(_TOOLTIP_KEY.findall(template or "")))


def _text(value: object) -> str:
    """Text of a cell; missing (None, NaN, NA) is ``""``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def status_text(status: object, lang: str) -> str:
    """``öppet``/``stängt``/… or ``okänd`` for a status the register does not know (never blank)."""
    s = _text(status)
    return t(f"status.{s}", lang) if s in STATUSES else t("officeclick.status_unknown", lang)


def office_tooltips(offices: pd.DataFrame, template: str, props: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per office, the text for every key of the map's tooltip ``template``.

    Parameters
    ----------
    offices : pandas.DataFrame
        Offices indexed by id, with ``name``, ``status``, ``kommunkod``/``kommunnamn`` and
        ``regsokod`` (the area the point is drawn in).
    template : str
        The deck's tooltip text (``{name}, {kommun}`` on the first line for area layers, ``{name}``
        for kommun layers, then value lines).
    props : pandas.DataFrame
        The map's feature properties per area (``name``, ``kommun``, ``v_…``, ``pop_…``; kommun
        layers' values joined on), as the area files carry them.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``offices``, one column per key, every cell text (never missing): ``name``
        is "Kontor: <name> (<status>) · område: <area>" (``· kommun: <kommun>`` when the template
        has no ``{kommun}`` line), ``kommun`` the office's kommun, other keys the area's value
        under the point (``–`` where the office lies in no known area).
    """
    keys = tooltip_keys(template)
    index = offices.index
    codes = offices["regsokod"] if "regsokod" in offices else pd.Series(None, index=index, dtype=object)
    rows = props.reindex(codes.map(_text).to_numpy()).set_axis(index)
    kommun = pd.Series(
        [
            _text(k) or _text(p)
            for k, p in zip(
                offices.get("kommunnamn", pd.Series(None, index=index)),
                rows.get("kommun", pd.Series(None, index=index)),
                strict=True,
            )
        ],
        index=index,
        dtype=object,
    )
    area_name = rows.get("name", pd.Series(None, index=index)).map(_text)
    with_kommun_line = "kommun" in keys
    out = pd.DataFrame(index=index)
    for key in keys:
        if key == "name":
            out[key] = [
                t(
                    "officeclick.tip",
                    lang,
                    name=_text(n),
                    status=status_text(s, lang),
                    where=t("officeclick.tip_area", lang, area=a)
                    if with_kommun_line and a
                    else t("officeclick.tip_kommun", lang, kommun=k or t("na", lang)),
                )
                for n, s, a, k in zip(offices["name"], offices["status"], area_name, kommun, strict=True)
            ]
        elif key == "kommun":
            out[key] = kommun
        elif key in rows:
            out[key] = rows[key].map(lambda v: _text(v) or "–")
        else:
            out[key] = "–"
    return out


def office_records(points: pd.DataFrame, fields: pd.DataFrame | None) -> Iterable[dict]:
    """Extra record keys per office point: its id and its tooltip fields (nothing without ``fields``)."""
    if fields is None:
        return [{} for _ in range(len(points))]
    shown = fields.reindex(points.index).fillna("–")
    return [{OFFICE_KEY: str(i), **row} for i, row in zip(points.index, shown.to_dict("records"), strict=True)]


def picked_office(objects: Iterable[dict]) -> str | None:
    """The office id of the first clicked office record (see ``maplayers.picked``), if any."""
    return next((str(o[OFFICE_KEY]) for o in objects if o.get(OFFICE_KEY) not in (None, "")), None)


def office_facts(
    offices: pd.DataFrame, office_id: str | None, kommun_names: pd.Series, lang: str
) -> dict[str, str] | None:
    """Label → text for the clicked office on the offices' date, or None if it is not in the list.

    Agency, office, place, kommun, status on the date (``okänd`` when the register does not say),
    the date of that status, opened/closed dates the sources give, location precision, origin,
    conflicting sources, and the source URL as plain text (``uppgift saknas`` when missing).
    """
    row = _office_row(offices, office_id)
    if row is None:
        return None
    na = t("na", lang)
    day = _text(offices.attrs.get("as_of", ""))
    kommunkod = _text(row.get("kommunkod"))
    kommun = _text(kommun_names.get(kommunkod)) or _text(row.get("kommunnamn"))
    agency = _text(row.get("agency"))
    precision = _text(row.get("precision"))
    facts = {
        t("offices.col.agency", lang): agency_name(agency, lang) if agency else na,
        t("offices.col.name", lang): _text(row.get("name")) or na,
    }
    if _text(row.get("place")):
        facts[t("officeclick.place", lang)] = _text(row.get("place"))
    facts[t("col.kommunnamn", lang)] = (
        f"{kommun} ({kommunkod})" if kommun and kommunkod else (kommun or kommunkod or na)
    )
    status_label = t("officeclick.status_on", lang, day=day) if day else t("offices.col.status", lang)
    facts[status_label] = status_text(row.get("status"), lang)
    facts[t("offices.col.date", lang)] = _text(row.get("status_date")) or na
    if _text(row.get("opened")):
        facts[t("officeclick.opened", lang)] = _text(row.get("opened"))
    closed = _text(row.get("closed")) or _text(row.get("closing_planned"))
    if not closed and _text(row.get("closed_presumed")) == "True" and _text(row.get("closed_from")):
        closed = t("officeclick.presumed", lang, day=_text(row.get("closed_from")))
    if closed:
        facts[t("officeclick.closed", lang)] = closed
    facts[t("offices.col.precision", lang)] = (
        t(f"precision.{precision}", lang) if precision in ("coordinates", "area", "town", "kommun") else na
    )
    facts[t("offices.col.origin", lang)] = origin_text(_text(row.get("origin")) or "embedded", lang)
    if _text(row.get("conflict")):
        facts[t("presence.col.conflict", lang)] = _text(row.get("conflict"))
    facts[t("offices.col.source", lang)] = _text(row.get("source_url")) or na
    return facts


def office_source_link(offices: pd.DataFrame, office_id: str | None) -> str | None:
    """The office's source as a clickable ``http(s)`` URL, or None (missing, ``javascript:`` …)."""
    row = _office_row(offices, office_id)
    return None if row is None else http_link(row["source_url"])


def _office_row(offices: pd.DataFrame, office_id: str | None) -> pd.Series | None:
    """The row of the office whose id (as text, as a click returns it) is ``office_id``; None if absent."""
    match = offices[offices.index.astype(str) == office_id] if office_id is not None else offices.iloc[:0]
    return None if match.empty else match.iloc[0]
