"""Office and place names folded to keys (pure; shared by the register, geocoding and imports)."""

from __future__ import annotations

import re

import pandas as pd

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "-": " "})
_PLACEHOLDER = re.compile(r"\s*\((?:nytt|ort)\b[^)]*\)\s*$", re.IGNORECASE)


def fold_name(names: pd.Series) -> pd.Series:
    """Fold Swedish place names and GeoNames' ASCII spellings to one key.

    ``Växjö``, ``Vaexjoe`` and ``Vaxjo`` all become ``vaxjo``; ``Umeå`` and
    ``Umea`` become ``umea``; a trailing ``kommun`` is dropped.
    """
    s = names.astype("string").str.casefold().str.translate(_FOLD)
    s = s.str.replace(r"ae", "a", regex=True).str.replace(r"oe", "o", regex=True)
    s = s.str.replace(r"\bkommun\b", "", regex=True).str.replace(r"[^a-z0-9 ]", " ", regex=True)
    return s.str.split().str.join(" ")


def base_name(name: str) -> str:
    """The office name without a plan or town placeholder.

    ``"Servicekontor Laholm (nytt, fas 1)"`` → ``"Servicekontor Laholm"``, so a plan and the office
    that opened are one office.
    """
    return _PLACEHOLDER.sub("", name).strip()


def office_key(agency: str, kommunkod: str, name: str) -> str:
    """Stable id ``<agency>-<kommunkod>-<folded name>`` (placeholders dropped, see :func:`base_name`)."""
    return f"{agency}-{kommunkod}-" + str(fold_name(pd.Series([base_name(name)])).iloc[0]).replace(" ", "_")
