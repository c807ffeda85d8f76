"""Checks on an office list's values: names, agencies, duplicates, statuses, dates, ja/nej and the points' place.

Each check takes the columns it needs and the file's :class:`~geo_app.errors.RowOrigin`
and either returns the tidied values or raises a :class:`~geo_app.errors.ValidationError`
naming file, row (or feature) and column through :func:`geo_app.errors.where`. Series
are indexed by the record's 0-based position in the file, which is what ``where`` is given.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_app.analysis import gaps, register
from geo_app.analysis.names import fold_name
from geo_app.errors import InputError, RowOrigin, ValidationError, where
from geo_app.imports.offices.columns import AGENCY_CHOICES

STATUS_WORDS = {
    "open": ("open", "öppet", "öppen", "oppet", "aktiv", "active", "befintligt", "finns"),
    "closing": ("closing", "stänger", "avvecklas", "läggs ner", "avveckling beslutad"),
    "closed": ("closed", "stängt", "stängd", "nedlagt", "avvecklat", "nedlagd"),
    "planned": ("planned", "planerat", "planerad", "öppnar"),
}
AGENCY_ALIASES = {
    "arbetsförmedlingen": "af",
    "statens servicecenter": "ssc",
    "kommunsamverkan": "kommun",
    **{a: a for a in AGENCY_CHOICES},
}
YES = frozenset({"ja", "yes", "j", "y", "1", "true", "sant", "x"})
NO = frozenset({"nej", "no", "n", "0", "false", "falskt"})


def first_true(mask: pd.Series) -> tuple[int, int]:
    """``(position in the series, record position in the file)`` of the first True in ``mask``."""
    pos = int(np.flatnonzero(mask.to_numpy())[0])
    return pos, int(mask.index[pos])


def office_names(names: pd.Series, column: str, name: str, origin: RowOrigin) -> pd.Series:
    """The office names, stripped; every office needs one.

    Parameters
    ----------
    names : pandas.Series
        The name column's cells, indexed by record position.
    column : str
        Its header; ``name`` is the file name (both for the message).
    origin : RowOrigin
        How the file numbers its records.
    """
    out = names.fillna("").astype(str).str.strip()
    if (out == "").any():
        _, record = first_true(out == "")
        raise ValidationError(f"{where(name, record, column, origin)}: an office needs a name; fill it in")
    return out


def agencies(given: pd.Series, column: str, default: str, name: str, origin: RowOrigin) -> pd.Series:
    """The agency of each row: the file's agency column where filled in, else ``default``.

    ``given`` holds the agency column's cells ("" everywhere when the file has none); names
    like "Arbetsförmedlingen" are accepted.
    """
    folded = given.fillna("").astype(str).str.strip().str.casefold()
    mapped = folded.map(AGENCY_ALIASES)
    bad = (folded != "") & mapped.isna()
    if bad.any():
        pos, record = first_true(bad)
        raise ValidationError(
            f"{where(name, record, column, origin)}: unknown agency {given.iloc[pos]!r} (af, ssc, kommun or other)"
        )
    return mapped.where(folded != "", default)


def check_unique(agency: pd.Series, names: pd.Series, name: str, origin: RowOrigin) -> None:
    """Refuse an office that occurs twice for one agency (names compared by their folded key)."""
    dup = pd.DataFrame({"a": agency, "n": fold_name(names)}).duplicated(keep=False)
    if dup.any():
        raise ValidationError(
            f"{name}: office {names[dup].iloc[0]!r} occurs more than once "
            f"({origin.labels(dup.index[dup.to_numpy()][:4])}); keep one row per office"
        )


def statuses(values: pd.Series, column: str, name: str, origin: RowOrigin) -> pd.Series:
    """``open``, ``closing``, ``closed`` or ``planned`` per row from Swedish or English words; empty is open."""
    lookup = {w: s for s, words in STATUS_WORDS.items() for w in words}
    folded = values.fillna("").astype(str).str.strip().str.casefold()
    status = folded.map(lookup).where(folded != "", "open")
    if status.isna().any():
        pos, record = first_true(status.isna())
        raise ValidationError(
            f"{where(name, record, column, origin)}: unknown status {values.iloc[pos]!r} "
            "(use open, closing, closed or planned)"
        )
    return status


def dates(values: pd.Series, column: str, name: str, origin: RowOrigin) -> pd.Series:
    """Check a date column (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or empty); a datetime from XLSX becomes its day."""
    out = values.str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$", r"\1", regex=True)
    for record, value in out.items():
        try:
            register.parse_when(value)
        except InputError as exc:
            raise ValidationError(f"{where(name, record, column, origin)}: {exc}") from None
    return out


def check_order(opened: pd.Series, closed: pd.Series, headers: tuple[str, str], name: str, origin: RowOrigin) -> None:
    """Refuse a row whose closing date lies before its opening date (``headers``: the two columns' names)."""
    opened_col, closed_col = headers
    for record, o, c in zip(opened.index, opened, closed, strict=True):
        o_span, c_span = register.parse_when(o), register.parse_when(c)
        if o_span and c_span and c_span[1] <= o_span[0]:
            raise ValidationError(
                f"{where(name, record, closed_col, origin)}: closing date {c} is before "
                f"the opening date {o} (column {opened_col!r})"
            )


def yes_no(values: pd.Series, column: str, name: str, origin: RowOrigin) -> pd.Series:
    """ja/nej (yes/no, 1/0) → ``"yes"``/``"no"``; empty stays empty; anything else is refused."""
    low = values.str.casefold()
    bad = (low != "") & ~low.isin(YES | NO)
    if bad.any():
        pos, record = first_true(bad)
        raise ValidationError(f"{where(name, record, column, origin)}: {values.iloc[pos]!r} is not ja/nej")
    return low.map(lambda v: "yes" if v in YES else ("no" if v in NO else ""))


def check_inside(xy: np.ndarray, names: pd.Series, lan: gpd.GeoDataFrame, name: str, origin: RowOrigin) -> None:
    """Refuse points in the sea or abroad: beyond :data:`~geo_app.analysis.gaps.OUTSIDE_TOLERANCE_M` of the coast.

    Parameters
    ----------
    xy : numpy.ndarray
        SWEREF 99 TM coordinates ``(n, 2)``: east, north per office, in the order of ``names``.
    names : pandas.Series
        Office names indexed by record position.
    lan : geopandas.GeoDataFrame
        The län (Sweden's outline).
    name : str
        File name; ``origin`` how it numbers its records (both for the message).
    """
    far = gaps.distance_outside_m(shapely.points(xy[:, 0], xy[:, 1]), lan.geometry.values)
    out = np.flatnonzero(far > gaps.OUTSIDE_TOLERANCE_M)
    if len(out):
        shown = "; ".join(
            f"{origin.label(names.index[i])} {names.iloc[i]!r} {far[i] / 1000:.1f} km outside" for i in out[:5]
        )
        raise ValidationError(
            f"{name}: {len(out)} office(s) lie in the sea or outside Sweden ({shown}); "
            "check the coordinates and their CRS"
        )
