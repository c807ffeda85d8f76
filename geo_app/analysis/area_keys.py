"""Keys that tie SCB tables to RegSO 2025 areas.

SCB publishes the socioekonomiskt index by *label* (``"Kommun (Område)"``) on
RegSO **2020** areas, and other statistics by RegSO 2020 *code*. The polygons
are RegSO **2025**. Between the two SCB renamed six areas and swapped codes in
Perstorp, Munkfors, Lycksele and Jokkmokk, so codes are never joined blindly:
every link goes through the (kommun, normalised name) pair.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo_app.errors import InputError, ValidationError, where

# Index label (RegSO 2020 name) → RegSO 2025 ``regsonamn``; from ../shared/data/README.md.
RENAMES_2020_TO_2025: dict[str, str] = {
    "Värmdö (Norra Värdölandet-Skärgården)": "Norra Värmdölandet-Skärgården",
    "Täby (Karlsund)": "Karlslund",
    "Täby (Näsby Park)": "Näsbypark",
    "Malmö (RegSO-Ön norr)": "RegSO-Ön",
    "Arboga (Nästkvarn-Studrestaden)": "Nästkvarn-Sturestaden",
    "Kiruna (Övre Norrmalm)": "Norrmalm",
}

_WHITESPACE = re.compile(r"\s+")


def normalise_name(names: pd.Series) -> pd.Series:
    """Casefold and collapse whitespace so names from different tables compare equal.

    Parameters
    ----------
    names : pandas.Series
        Area or kommun names.

    Returns
    -------
    pandas.Series
        Normalised names, same index.
    """
    return names.astype("string").str.replace(_WHITESPACE, " ", regex=True).str.strip().str.casefold()


def area_label(kommunnamn: pd.Series, regsonamn: pd.Series) -> pd.Series:
    """Build SCB's ``"Kommun (Område)"`` label from kommun and area names."""
    return kommunnamn.astype("string") + " (" + regsonamn.astype("string") + ")"


def labels_2025(areas: pd.DataFrame) -> pd.Series:
    """Normalised labels of RegSO 2025 areas.

    Parameters
    ----------
    areas : pandas.DataFrame
        Indexed by ``regsokod`` with ``kommunnamn`` and ``regsonamn``.

    Returns
    -------
    pandas.Series
        Normalised ``"kommun (område)"`` labels indexed by ``regsokod``.
    """
    return normalise_name(area_label(areas["kommunnamn"], areas["regsonamn"]))


def labels_2020_as_2025(labels: pd.Series) -> pd.Series:
    """Rewrite RegSO 2020 labels to the names the areas carry in 2025, then normalise.

    Parameters
    ----------
    labels : pandas.Series
        ``"Kommun (Område)"`` labels as SCB's 2020-based tables write them.

    Returns
    -------
    pandas.Series
        Normalised labels comparable with :func:`labels_2025`, same index.
    """
    renamed = labels.astype("string").copy()
    for old, new_name in RENAMES_2020_TO_2025.items():
        kommun = old.split(" (", 1)[0]
        renamed = renamed.mask(renamed == old, f"{kommun} ({new_name})")
    return normalise_name(renamed)


def match_labels(labels: pd.Series, areas: pd.DataFrame) -> pd.Series:
    """Find the RegSO 2025 code for each 2020-based label.

    Parameters
    ----------
    labels : pandas.Series
        ``"Kommun (Område)"`` labels (any index).
    areas : pandas.DataFrame
        RegSO 2025 areas indexed by ``regsokod`` with ``kommunnamn``, ``regsonamn``.

    Returns
    -------
    pandas.Series
        ``regsokod`` per label (``<NA>`` where no 2025 area has that name), same index
        as ``labels``.

    Raises
    ------
    InputError
        If a label occurs twice, or two 2025 areas share a label (the join would be
        ambiguous).
    """
    wanted = labels_2020_as_2025(labels)
    dup = wanted[wanted.duplicated(keep=False)]
    if len(dup):
        raise InputError(f"duplicate area labels: {sorted(set(labels[dup.index]))[:5]}")
    have = labels_2025(areas)
    if have.duplicated().any():
        raise InputError(f"RegSO 2025 labels not unique: {sorted(set(have[have.duplicated()]))[:5]}")
    lookup = pd.Series(have.index, index=have.to_numpy())
    return wanted.map(lookup).astype("string")


def crosswalk_2020_to_2025(regso2020: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Map RegSO 2020 codes to RegSO 2025 codes through names.

    Parameters
    ----------
    regso2020 : pandas.DataFrame
        One row per RegSO 2020 area with ``regso_kod``, ``kommun_namn``, ``regso_namn``.
    areas : pandas.DataFrame
        RegSO 2025 areas indexed by ``regsokod`` with ``kommunnamn``, ``regsonamn``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``regso_kod`` (2020) with ``regsokod`` (2025, ``<NA>`` if the area is
        gone) and ``code_changed`` (True where the same area has another code in 2025,
        as after SCB's code swaps).
    """
    labels = area_label(regso2020["kommun_namn"], regso2020["regso_namn"])
    labels.index = regso2020["regso_kod"]
    code_2025 = match_labels(labels, areas)
    out = pd.DataFrame({"regsokod": code_2025})
    out["code_changed"] = out["regsokod"].notna() & (out["regsokod"] != out.index.to_series())
    out.index.name = "regso_kod"
    return out


def parse_index_csv(path: str | Path, year: int) -> pd.Series:
    """Read SCB's områdestyp table as published (``Område,<year>`` plus footnotes).

    Parameters
    ----------
    path : str or path-like
        CSV file; first column the ``"Kommun (Område)"`` label, second the type.
    year : int
        The year the second column must be named after.

    Returns
    -------
    pandas.Series
        Områdestyp (Int64, 1–5) indexed by label, named ``omradestyp_<year>``.

    Raises
    ------
    InputError
        If the year column is missing or a data row holds something other than 1–5.
    """
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if str(year) not in raw.columns:
        raise InputError(f"{path}: no column '{year}' (columns: {list(raw.columns)})")
    label_col = raw.columns[0]
    # SCB appends footnote rows with an empty value column; data rows all have a value.
    rows = raw[raw[str(year)].str.strip() != ""]
    values = pd.to_numeric(rows[str(year)], errors="coerce")
    bad = rows[~values.isin([1, 2, 3, 4, 5])]
    if len(bad):
        first = bad.index[0]
        raise ValidationError(
            f"{where(str(path), first, str(year))}: områdestyp must be 1–5, got {bad.iloc[0][str(year)]!r}"
        )
    return pd.Series(values.astype("Int64").to_numpy(), index=rows[label_col].to_numpy(), name=f"omradestyp_{year}")
