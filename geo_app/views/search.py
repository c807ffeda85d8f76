"""The map's search and zoom: diacritic-folding area search, district aliases, "show it in its town" views.

Pure functions on the bundle's frames (no Streamlit). ``search`` returns *candidates*:
a district alias (several RegSO areas, e.g. Malmö's Rosengård) or one area, each
labelled with its kommun, so the page can let the user choose whenever more than
one place matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from geo_app.data.aliases import AreaAlias
from geo_app.views import mapspec

SCB_NAME_PREFIX = "RegSO-"
# The smallest extent a found area is shown in (degrees): about 9 km × 7 km, so the town is recognisable.
MIN_SPAN_LON = 0.16
MIN_SPAN_LAT = 0.065
DENSE_RATIO = 0.1  # a kommun zoom keeps areas at least this share as dense as where the median resident lives
KOMMUN_MIN_SHARE = 0.15  # a populated box smaller than this share of the kommun's box: show the whole kommun


def display_name(name: object) -> str:
    """An area's name without SCB's "RegSO-" prefix (Malmö's areas carry it); the code is unchanged."""
    text = str(name)
    return text.removeprefix(SCB_NAME_PREFIX)


def display_names(names: pd.Series) -> pd.Series:
    """:func:`display_name` for a column."""
    return names.astype(str).str.removeprefix(SCB_NAME_PREFIX)


def fold(text: object) -> str:
    """Casefold, strip diacritics (å→a, ö→o, é→e), turn hyphens into spaces and collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.casefold().replace(SCB_NAME_PREFIX.casefold(), "")
    return " ".join(bare.replace("-", " ").replace(",", " ").split())


@dataclass(frozen=True)
class Candidate:
    """One search result: an area or a district alias, with the kommun it lies in."""

    key: str  # "area:<code>" or "alias:<kommunkod>:<name>"
    name: str
    kommun: str
    kommunkod: str
    codes: tuple[str, ...]
    alias: AreaAlias | None = None

    @property
    def is_alias(self) -> bool:
        """True for a district that spans several areas."""
        return self.alias is not None


def search(regso: pd.DataFrame, aliases: Sequence[AreaAlias], query: str, limit: int = 50) -> list[Candidate]:
    """Places matching ``query``: an exact RegSO code, district aliases, then areas.

    Every word of the folded query must occur in the folded "name kommun code" (so
    "rosengard" finds Rosengård and "rosengård malmö" only Malmö's). Aliases come first,
    then areas whose name starts with the query, then the rest, each by name. An empty
    query matches nothing.
    """
    q = fold(query)
    if not q:
        return []
    code = str(query).strip().upper()
    if code in regso.index:
        return [_area(regso, code)]
    words = q.split()
    out: list[Candidate] = []
    for alias in aliases:
        if alias.kommunkod not in set(regso["kommunkod"]):
            continue
        kommun = str(regso.loc[regso["kommunkod"] == alias.kommunkod, "kommunnamn"].iloc[0])
        hay = fold(f"{alias.name} {kommun}")
        if all(w in hay for w in words):
            codes = tuple(c for c in alias.areas if c in regso.index)
            out.append(
                Candidate(f"alias:{alias.kommunkod}:{alias.name}", alias.name, kommun, alias.kommunkod, codes, alias)
            )
    names = regso["regsonamn"].map(fold)
    hay = names + " " + regso["kommunnamn"].map(fold) + " " + regso.index.str.casefold()
    hit = pd.Series(True, index=regso.index)
    for w in words:
        hit &= hay.str.contains(w, regex=False)
    found = regso.index[hit]
    starts = names[found].str.startswith(q)
    order = sorted(found, key=lambda c: (not starts[c], names[c], c))
    out += [_area(regso, c) for c in order[: max(limit - len(out), 0)]]
    return out


def _area(regso: pd.DataFrame, code: str) -> Candidate:
    row = regso.loc[code]
    return Candidate(
        f"area:{code}", display_name(row["regsonamn"]), str(row["kommunnamn"]), str(row["kommunkod"]), (code,)
    )


def find(candidates: Sequence[Candidate], key: str | None) -> Candidate | None:
    """The candidate with ``key`` (``None`` if none has it)."""
    return next((c for c in candidates if c.key == key), None)


def expand_bounds(
    bounds: tuple[float, float, float, float], min_lon: float = MIN_SPAN_LON, min_lat: float = MIN_SPAN_LAT
) -> tuple[float, float, float, float]:
    """``bounds`` grown around their centre to at least ``min_lon`` × ``min_lat`` degrees."""
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_x, half_y = max(maxx - minx, min_lon) / 2, max(maxy - miny, min_lat) / 2
    return (cx - half_x, cy - half_y, cx + half_x, cy + half_y)


def union_bounds(boxes: Sequence[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    """The box around several boxes."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def focus_bounds(
    bounds: dict[str, tuple[float, float, float, float]], codes: Sequence[str]
) -> tuple[float, float, float, float] | None:
    """Bounds that show the given RegSO areas in their town (their box, grown to a town-sized minimum)."""
    boxes = [bounds[f"regso:{c}"] for c in codes if f"regso:{c}" in bounds]
    return expand_bounds(union_bounds(boxes)) if boxes else None


def dense_bounds(
    regso: pd.DataFrame,
    bounds: dict[str, tuple[float, float, float, float]],
    areas: pd.Series,
    codes: Sequence[str],
    population: str,
) -> tuple[float, float, float, float] | None:
    """The extent where people live: the areas at least :data:`DENSE_RATIO` as dense as the typical resident's.

    A kommun's RegSO areas reach into the sea (Malmö's south-west areas cover part of
    the Öresund) or the fjäll; sparsely populated areas are left out of the zoom so a
    zoom to Malmö shows the city. ``areas`` holds each area's size in any unit. Falls
    back to all the areas when none qualifies; never larger than their box.
    """
    codes = [c for c in codes if f"regso:{c}" in bounds]
    if not codes:
        return None
    pop = pd.to_numeric(regso.loc[codes, population], errors="coerce").fillna(0.0)
    size = areas.reindex(codes).astype(float)
    density = pop / size.where(size > 0)
    if pop.sum() <= 0 or density.isna().all():
        return union_bounds([bounds[f"regso:{c}"] for c in codes])
    order = density.sort_values()
    cum = pop[order.index].cumsum() / pop.sum()
    typical = float(order[cum >= 0.5].iloc[0])  # the density the median resident lives at
    keep = [c for c in codes if density.get(c, 0) >= DENSE_RATIO * typical] or codes
    return union_bounds([bounds[f"regso:{c}"] for c in keep])


def kommun_view_bounds(
    regso: pd.DataFrame,
    bounds: dict[str, tuple[float, float, float, float]],
    areas: pd.Series,
    kommunkod: str,
    population: str,
) -> tuple[float, float, float, float]:
    """What a zoom to a kommun fits: its populated extent (:func:`dense_bounds`) padded by 8 %.

    When people live in a small part of a large kommun (Kiruna: the town is 1 % of the
    kommun's box), the whole kommun is shown instead (its populated box covers less than
    :data:`KOMMUN_MIN_SHARE` of the kommun's box).
    """
    full = bounds[f"kommun:{kommunkod}"]
    codes = regso.index[regso["kommunkod"] == kommunkod]
    dense = dense_bounds(regso, bounds, areas, codes, population)
    if dense is None:
        return full

    def box_area(b: tuple[float, float, float, float]) -> float:
        return max(b[2] - b[0], 1e-9) * max(b[3] - b[1], 1e-9)

    if box_area(dense) < KOMMUN_MIN_SHARE * box_area(full):
        return full
    pad_x, pad_y = 0.08 * (dense[2] - dense[0]), 0.08 * (dense[3] - dense[1])
    padded = (dense[0] - pad_x, dense[1] - pad_y, dense[2] + pad_x, dense[3] + pad_y)
    return (max(padded[0], full[0]), max(padded[1], full[1]), min(padded[2], full[2]), min(padded[3], full[3]))


def refocus(
    deck: pdk.Deck, bounds: tuple[float, float, float, float] | None, outline: dict[str, Any] | None = None
) -> pdk.Deck:
    """Point an already built map at ``bounds`` and, if given, outline a group of areas (a district alias).

    Works on the :class:`pydeck.Deck` the map view builds, so the map code itself stays as it is.
    """
    if bounds is not None:
        old = deck.initial_view_state
        deck.initial_view_state = pdk.ViewState(
            **mapspec.view_for_bounds(bounds),
            min_zoom=getattr(old, "min_zoom", 3.5),
            max_zoom=getattr(old, "max_zoom", 14),
            pitch=0,
            bearing=0,
        )
    if outline is not None:
        deck.layers.append(mapspec.highlight_layer(outline, "highlight_group"))
    return deck


def outline_of(display: pd.Series, codes: Sequence[str]) -> dict[str, Any]:
    """A small FeatureCollection of the given areas' display outlines (for :func:`refocus`)."""
    shapes = gpd.GeoSeries(display.reindex([c for c in codes if c in display.index]))
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": c}, "geometry": g.__geo_interface__} for c, g in shapes.items()
        ],
    }
