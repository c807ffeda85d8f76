"""Offices in the views: their map layers, the register note, the office table, tooltips and a clicked office's facts.

No Streamlit. The map has one tooltip template for every layer (deck.gl fills ``{key}`` from the
hovered object and leaves a key the object lacks as the raw text ``{key}``), so every office record
carries every key of the template: the first line names the office, its status and the area it is
drawn in; the template's value lines then read as that area's figures (what the map shows there).
A click selects the record's ``office`` id; :func:`office_facts` turns it into the side panel's facts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from geo_app.analysis.gaps import COUNTING_STATUSES
from geo_app.analysis.presence import REFERENCE_COUNTS, STATUSES
from geo_app.i18n import t
from geo_app.layers.spec import AGENCY_COLOURS, hex_to_rgba
from geo_app.views.links import http_link
from geo_app.views.point_layers import PointStyle, point_layer
from geo_app.views.presence_view import agency_name

# The pickable office layers (ids are stable across reruns; see :func:`office_layers`).
OFFICE_LAYER_IDS = ("offices_af", "offices_ssc", "offices_kommun", "offices_other", "offices_closed")
OFFICE_KEY = "office"  # the record key holding the office id (what a click selects)
# The same pattern Streamlit's deck.gl tooltip uses to find the keys it fills.
_TOOLTIP_KEY = re.compile(r"{(.*?)}")


def tooltip_keys(template: str) -> list[str]:
    """The keys a tooltip template asks the hovered object for, in order, each once."""
    return list(dict.fromkeys(_TOOLTIP_KEY.findall(template or "")))


def every_view_template(template: str, props: pd.DataFrame, lang: str) -> str:
    """A template with the keys of every view that shares ``template``'s first line.

    Office records built for it fill the tooltip of any layer and year, so their file (and URL)
    stays the same across layer and year switches: deck.gl re-fetches nothing and the switch
    draws one frame instead of two (docs/map_speed.md). The first line (``{name}, {kommun}`` on
    area layers, ``{name}`` on kommun layers) decides how an office names its place, so it is kept.
    """
    first = (template or "").split("\n", 1)[0]
    other = "_en" if lang == "sv" else "_sv"
    values = [c for c in props.columns if c.startswith(("v_", "pop_")) and not c.endswith(other)]
    return "\n".join([first, *(f"{{{c}}}" for c in values)])


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


def office_records(points: pd.DataFrame, fields: pd.DataFrame | None) -> Iterable[dict[str, Any]]:
    """Extra record keys per office point: its id and its tooltip fields (nothing without ``fields``)."""
    if fields is None:
        return [{} for _ in range(len(points))]
    shown = fields.reindex(points.index).fillna("–")
    return [{OFFICE_KEY: str(i), **row} for i, row in zip(points.index, shown.to_dict("records"), strict=True)]


def picked_office(objects: Iterable[dict[str, Any]]) -> str | None:
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


STATUS_ALPHA = {"open": 255, "closing": 255, "uncertain": 170, "closed": 110, "planned": 110}


CLOSED_COLOUR = [70, 70, 70, 230]  # closed offices: a dark grey ring whatever the agency


def office_points(offices: gpd.GeoDataFrame, show_closed: bool = False) -> pd.DataFrame:
    """Office records for the map (EPSG:4326), one row per office; closed ones only if asked."""
    shown = offices if show_closed else offices[offices["status"].isin(("open", "closing", "uncertain", "planned"))]
    ll = shown.geometry.to_crs(4326)
    return pd.DataFrame(
        {
            "lon": ll.x.round(5),
            "lat": ll.y.round(5),
            "agency": shown["agency"],
            "name": shown["name"],
            "status": shown["status"],
        },
        index=shown.index,
    )


def office_layers(
    points: pd.DataFrame,
    fields: pd.DataFrame | None = None,
    publish: Callable[[bytes, str], str] | None = None,
) -> list[pdk.Layer]:
    """Office layers: AF thick rings, SSC filled dots, kommunsamverkan orange dots, other offices small dots.

    Closed offices (when shown) are a separate layer of small dark-grey rings, whatever the agency.

    Other offices have a dark edge (shape, not only colour); planned ones are faded.

    With ``fields`` (per office, the map's tooltip keys: :func:`geo_app.views.office_view.office_tooltips`)
    the layers are pickable: each record carries its ``office`` id (what a click selects) and the
    tooltip's keys. With ``publish`` (:func:`geo_app.views.static_files.publish`) the records go to a
    static file and the spec holds its URL. Layer ids stay the same either way.
    """
    styles = {  # agency: (filled, radius px, line width px)
        "af": (False, 7, 3.5),
        "ssc": (True, 6, 1.5),
        "kommun": (True, 5, 2.0),
        "other": (True, 4, 1.5),
    }
    pickable = fields is not None

    def data(records: list[dict[str, Any]], layer_id: str) -> list[dict[str, Any]] | str:
        if publish is None:
            return records
        return publish(json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), layer_id)

    layers = []
    closed = points[points["status"] == "closed"]
    points = points[points["status"] != "closed"]
    for agency, (filled, radius, width) in styles.items():
        sub = points[points["agency"] == agency]
        if agency in ("other", "kommun") and sub.empty:
            continue
        records = [
            {
                "position": [r.lon, r.lat],
                "color": hex_to_rgba(AGENCY_COLOURS[agency], STATUS_ALPHA.get(r.status, 255)),
                **extra,
            }
            for r, extra in zip(sub.itertuples(), office_records(sub, fields), strict=True)
        ]
        edge = [20, 20, 20, 255] if agency in ("other", "kommun") else [255, 255, 255, 255]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=f"offices_{agency}",
                data=data(records, f"offices_{agency}"),
                get_position="position",
                filled=True,
                stroked=True,
                get_fill_color="color" if filled else [255, 255, 255, 230],
                get_line_color="color" if not filled else edge,
                radius_units=pdk.types.String("pixels"),
                get_radius=radius,
                line_width_units=pdk.types.String("pixels"),
                get_line_width=width,
                pickable=pickable,
            )
        )
    if not closed.empty:
        records = [
            {"position": [r.lon, r.lat], **extra}
            for r, extra in zip(closed.itertuples(), office_records(closed, fields), strict=True)
        ]
        closed_style = PointStyle(line=CLOSED_COLOUR, radius_px=4, width_px=2, pickable=pickable)
        layers.append(point_layer("offices_closed", data(records, "offices_closed"), closed_style))
    return layers


def office_note(offices: gpd.GeoDataFrame, lang: str) -> str:
    """Note like "Incomplete register – N of about 112 AF …" on the offices' date.

    Per agency whose list an import replaced, say so.
    """
    usable = offices[offices["status"].isin(COUNTING_STATUSES)]
    counts = usable.groupby("agency").size()
    origin = offices["origin"]
    replaced = [
        a
        for a in ("af", "ssc")
        if (offices["agency"] == a).any() and not (origin[offices["agency"] == a] == "embedded").any()
    ]
    lines = [t("gaps.imported_list", lang, agency=agency_name(a, lang), n=int(counts.get(a, 0))) for a in replaced]
    if len(replaced) < 2:
        lines.insert(
            0,
            t(
                "gaps.incomplete",
                lang,
                af=int(counts.get("af", 0)),
                ssc=int(counts.get("ssc", 0)),
                af_ref=REFERENCE_COUNTS["af"],
                ssc_ref=REFERENCE_COUNTS["ssc"],
                day=offices.attrs.get("as_of", ""),
            ),
        )
    return "\n\n".join(lines)


_OFFICE_COLUMNS = {
    "agency": "offices.col.agency",
    "name": "offices.col.name",
    "kommunnamn": "col.kommunnamn",
    "status": "offices.col.status",
    "status_date": "offices.col.date",
    "precision": "offices.col.precision",
    "origin": "offices.col.origin",
    "source_url": "offices.col.source",
    "conflict": "presence.col.conflict",
    "source_text": "offices.col.source_text",
}


def origin_text(origin: str, lang: str) -> str:
    """Where an office row comes from: the embedded register, or the named import."""
    return t("offices.origin.embedded", lang) if origin == "embedded" else f"import: {origin}"


def office_table(offices: gpd.GeoDataFrame, kommun_names: pd.Series, lang: str) -> pd.DataFrame:
    """One row per office with agency, name, kommun, status + date, precision, origin and source (for display)."""
    out = pd.DataFrame(
        {
            "agency": offices["agency"].map(lambda a: agency_name(a, lang)),
            "name": offices["name"],
            "kommunnamn": offices["kommunkod"].map(kommun_names),
            "status": offices["status"].map(lambda s: t(f"status.{s}", lang)),
            "status_date": offices["status_date"].fillna(""),
            "precision": offices["precision"].map(lambda p: t(f"precision.{p}", lang)),
            "origin": offices["origin"].map(lambda o: origin_text(o, lang)),
            "conflict": offices["conflict"].fillna("") if "conflict" in offices else "",
            # only http(s) URLs go to the link column; anything else is shown as text beside it
            "source_url": offices["source_url"].map(http_link),
            "source_text": offices["source_url"].fillna("").map(lambda v: "" if http_link(v) else str(v)),
        },
        index=offices.index,
    )
    out = out.sort_values(["agency", "kommunnamn", "name"])
    return out.rename(columns={k: t(v, lang) for k, v in _OFFICE_COLUMNS.items()})
