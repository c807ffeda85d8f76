"""Office presence from public *mentions*: status, geocoding and the embedded point layer.

No complete public register of Arbetsförmedlingen offices or Statens servicecenter
servicekontor exists; ``../shared/data/presence/`` lists what public pages said, with
dates and sources. This module turns those mentions into one point per office with
its latest known status, geocoded to the best available precision:

``area``
    the page names a part of town that is a RegSO area (point inside that area);
``town``
    a GeoNames place (≥ 1,000 inhabitants) with that name in the kommun;
``kommun``
    neither: a point inside the kommun's most populous RegSO area.

All functions are pure (frames in, frames out); geometry in EPSG:3006.
"""

from __future__ import annotations

import re
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_app.analysis.geometry import METRIC_CRS, representative_points
from geo_app.errors import InputError

AGENCIES = {"af": "Arbetsförmedlingen", "ssc": "Statens servicecenter", "other": "Annat kontor"}
STATUSES = ("open", "planned", "closing", "closed")
# Reference counts for the "incomplete list" note (Länsstyrelserna 2021; SSC end 2024).
REFERENCE_COUNTS = {"af": "112", "ssc": "117–147"}

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "-": " "})


def fold_name(names: pd.Series) -> pd.Series:
    """Fold Swedish place names and GeoNames' ASCII spellings to one key.

    ``Växjö``, ``Vaexjoe`` and ``Vaxjo`` all become ``vaxjo``; ``Umeå`` and
    ``Umea`` become ``umea``; a trailing ``kommun`` is dropped.
    """
    s = names.astype("string").str.casefold().str.translate(_FOLD)
    s = s.str.replace(r"ae", "a", regex=True).str.replace(r"oe", "o", regex=True)
    s = s.str.replace(r"\bkommun\b", "", regex=True).str.replace(r"[^a-z0-9 ]", " ", regex=True)
    return s.str.split().str.join(" ")


def classify_status(text: str, when: str, today: date) -> tuple[str, str]:
    """Read a mention's Swedish status text as ``(status, date)``.

    Parameters
    ----------
    text : str
        What the page said, e.g. ``"avveckling beslutad (styrelsen 2025-04-10)"``.
    when : str
        The mention's date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; may be empty).
    today : datetime.date
        Reference date: a closure whose date has passed is ``closed``.

    Returns
    -------
    (str, str)
        One of :data:`STATUSES` and the date as given.
    """
    t = text.casefold()
    if "ingen nedläggning" in t:
        return "open", when
    if any(w in t for w in ("nedlagt", "avvecklat", "uppsagd före")):
        return "closed", when
    # "befintligt kontor … stängt måndagar" is an open office with shorter hours.
    if any(
        w in t
        for w in (
            "befintlig",
            "finns",
            "öppnat",
            "öppnar",
            "invigt",
            "behålls",
            "blir kvar",
            "fast bemanning",
            "oklart",
        )
    ):
        return "open", when
    if any(w in t for w in ("stäng", "läggs ner", "avveckl", "uppsag")):
        day = _parse_date(when)
        return ("closed" if day is not None and day <= today else "closing"), when
    if any(w in t for w in ("planerat", "föreslaget")):
        # A plan dated in an earlier year than today is read as carried out (SSC reported its
        # 2023 openings, e.g. Malmö Mobilia and Helsingborg Drottninghög); unconfirmed.
        year = re.match(r"(\d{4})", str(when or "").strip())
        return ("open" if year and int(year[1]) < today.year else "planned"), when
    return "open", when


def _parse_date(when: str) -> date | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(when or "").strip())
    return date(int(m[1]), int(m[2]), int(m[3])) if m else None


def _sort_key(when: str) -> str:
    """Dates as sortable strings; undated mentions sort first (weakest evidence)."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(when or "").strip())
    return "" if not m else f"{m[1]}-{m[2] or '00'}-{m[3] or '00'}"


def read_mentions(af: pd.DataFrame, ssc: pd.DataFrame, ssc_more: pd.DataFrame, kommun_names: pd.Series) -> pd.DataFrame:
    """Bring the three mention files to one shape.

    Returns
    -------
    pandas.DataFrame
        ``agency, place, kommunkod, text, date, address, source_url`` (one row per mention).
    """
    # Exact (casefolded) names: ASCII folding would merge Håbo and Habo.
    code_by_name = pd.Series(kommun_names.index, index=kommun_names.str.casefold().to_numpy())
    frames = []
    for agency, df in (("af", af), ("ssc", ssc_more)):
        frames.append(
            pd.DataFrame(
                {
                    "agency": agency,
                    "place": df["ort_eller_kontor"],
                    "kommunkod": df["kommun_kod_tolkat"].astype(str).str.zfill(4),
                    "text": df["status_enligt_sidan"],
                    "date": df["datum"],
                    "address": df["adress_enligt_sidan"],
                    "source_url": df["kalla_url"],
                }
            )
        )
    frames.append(
        pd.DataFrame(
            {
                "agency": "ssc",
                "place": ssc["ort_eller_kontor"],
                "kommunkod": ssc["kommun_namn"].str.strip().str.casefold().map(code_by_name),
                "text": ssc["handelse"],
                "date": ssc["datum"],
                "address": "",
                "source_url": ssc["kalla_url"],
            }
        )
    )
    out = pd.concat(frames, ignore_index=True).fillna({"date": "", "address": "", "text": ""})
    if out["kommunkod"].isna().any():
        missing = out.loc[out["kommunkod"].isna(), "place"].tolist()
        raise InputError(f"mentions with unknown kommun: {missing[:5]}")
    return out


def latest_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (agency, place, kommun): the latest mention.

    The status is not stored: it depends on the day it is read (a decided closure
    becomes ``closed`` when its date passes), see :func:`with_status`.

    Returns
    -------
    pandas.DataFrame
        Indexed by a stable office id ``<agency>-<kommunkod>-<place key>`` with
        ``agency, name, kommunkod, status_date, mention, address, source_url,
        mentions`` (number of mentions of that office).
    """
    m = mentions.copy()
    m["name"] = m["place"].str.replace(r"\s*\(.*$", "", regex=True).str.strip()
    m["key"] = m["agency"] + "-" + m["kommunkod"] + "-" + fold_name(m["name"]).str.replace(" ", "_")
    m["sort"] = m["date"].map(_sort_key)
    m = m.sort_values(["key", "sort"], kind="stable")
    counts = m.groupby("key").size()
    last = m.groupby("key").tail(1).set_index("key")
    out = pd.DataFrame(
        {
            "agency": last["agency"],
            "name": last["name"],
            "kommunkod": last["kommunkod"],
            "status_date": last["date"],
            "mention": last["text"],
            "address": last["address"],
            "source_url": last["source_url"],
            "mentions": counts.reindex(last.index),
        }
    )
    out.index.name = "office_id"
    return out.sort_index()


def with_status(offices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Add ``status`` (one of :data:`STATUSES`) as of ``today``; same index."""
    out = offices.copy()
    out["status"] = [classify_status(t, d, today)[0] for t, d in zip(out["mention"], out["status_date"], strict=False)]
    return out


def geocode(offices: pd.DataFrame, regso: gpd.GeoDataFrame, towns: pd.DataFrame) -> gpd.GeoDataFrame:
    """Place each office at the best available precision (see module docstring).

    Parameters
    ----------
    offices : pandas.DataFrame
        From :func:`latest_mentions`.
    regso : geopandas.GeoDataFrame
        RegSO areas (EPSG:3006) with ``regsonamn, kommunkod, kommunnamn, folkmangd_2023``.
    towns : pandas.DataFrame
        GeoNames ``lat, lon, name, admin2``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``offices`` plus ``precision``, ``regsokod`` (area the point lies in) and point
        geometry in EPSG:3006.
    """
    inside = representative_points(regso.geometry)
    area_key = fold_name(regso["regsonamn"])
    town_pts = gpd.GeoSeries.from_xy(towns["lon"], towns["lat"], crs="EPSG:4326").to_crs(METRIC_CRS)
    town_key = fold_name(towns["name"]).fillna("").to_numpy(dtype=object)
    town_kommun = fold_name(towns["admin2"]).fillna("").to_numpy(dtype=object)
    kommun_key = fold_name(regso.groupby("kommunkod")["kommunnamn"].first())  # to compare with GeoNames admin2
    points, precision = [], []
    for office in offices.itertuples():
        in_kommun = regso["kommunkod"] == office.kommunkod
        words = fold_name(pd.Series([office.name])).iloc[0].split()
        kommun = kommun_key.get(office.kommunkod, "")
        # 1) a part of town named after the town name, e.g. "Örebro Vivalla" → area "Vivalla"
        tail = " ".join(words[1:]) if len(words) > 1 else ("" if " ".join(words) == kommun else " ".join(words))
        hit = in_kommun & area_key.str.contains(rf"\b{re.escape(tail)}\b", regex=True) if tail else None
        if hit is not None and hit.any():
            best = regso.loc[hit, "folkmangd_2023"].fillna(0).idxmax()
            points.append(inside[best])
            precision.append("area")
            continue
        # 2) a GeoNames town in that kommun (full name, then its first word)
        found = None
        for cand in (" ".join(words), words[0] if words else ""):
            idx = np.flatnonzero((town_key == cand) & (town_kommun == kommun))
            if len(idx) == 0:
                idx = np.flatnonzero(town_key == cand)
                idx = idx if len(idx) == 1 else idx[:0]
            if len(idx):
                found = town_pts.iloc[idx[0]]
                break
        if found is not None:
            points.append(found)
            precision.append("town")
            continue
        # 3) fallback: inside the kommun's most populous area
        best = regso.loc[in_kommun, "folkmangd_2023"].fillna(0).idxmax()
        points.append(inside[best])
        precision.append("kommun")
    out = gpd.GeoDataFrame(offices.copy(), geometry=gpd.GeoSeries(points, index=offices.index, crs=METRIC_CRS))
    out["precision"] = precision
    joined = gpd.sjoin(out[["geometry"]], regso[["geometry"]], how="left", predicate="within")
    out["regsokod"] = joined.groupby(level=0)["regsokod"].first().reindex(out.index)
    return out


def merge_offices(embedded: gpd.GeoDataFrame, imports: list[tuple[dict, pd.DataFrame]]) -> gpd.GeoDataFrame:
    """The embedded offices plus the user's lists; a ``replace`` list drops the embedded offices of its agency.

    Parameters
    ----------
    embedded : geopandas.GeoDataFrame
        :func:`geo_app.data.loaders.load_presence` output (with ``status``), EPSG:3006.
    imports : list of (dict, pandas.DataFrame)
        Catalogue entry and stored table of each office import.

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns as ``embedded`` plus ``origin`` (``"embedded"`` or the import's id).
    """
    out = embedded.assign(origin="embedded")
    replaced = {e["agency"] for e, _ in imports if e.get("mode") == "replace"}
    out = out[~out["agency"].isin(replaced)]
    frames = [out]
    for entry, table in imports:
        pts = gpd.GeoDataFrame(
            table.drop(columns=["e", "n", "row"]).assign(
                mention=table["status"],
                mentions=1,
                origin=entry["id"],
            ),
            geometry=gpd.points_from_xy(table["e"], table["n"]),
            crs=METRIC_CRS,
        )
        frames.append(pts)
    merged = pd.concat(frames)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=METRIC_CRS)
