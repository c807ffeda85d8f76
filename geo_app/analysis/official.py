"""SCB's official figures per RegSO 2025 area for 2024 (``statistics/regso_2024_scb.csv``).

The reader checks the file against the RegSO 2025 areas (every code exactly once, the
kommun code matching the area's) and turns it into area columns named like the rest of
``regso.parquet`` (``<measure>_2024``). Every problem names file, row and column.

The population column of the source is *not* labelled with a year there; its national
sum (10,605,436) is not SCB's population on 31 December 2024 (10,587,710, Kolada's
``folkmangd_scb``), so it is kept as ``folkmangd_scb_senaste`` ("latest in the source",
2025) and never as ``folkmangd_2024``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_app.errors import ValidationError, where

OFFICIAL_YEAR = 2024
# source column → (area column, lowest, highest allowed value)
OFFICIAL_COLUMNS: dict[str, tuple[str, float, float]] = {
    "unemp_2024": ("arbetsloshet_bas_pct_2024", 0.0, 100.0),
    "employment_2024": ("sysselsattningsgrad_pct_2024", 0.0, 100.0),
    "low_econ_2024": ("lag_ek_standard_pct_2024", 0.0, 100.0),
    "higher_ed_2024": ("eftergymnasial_pct_2024", 0.0, 100.0),
    "socio_2024": ("socioek_indexvarde_2024", 0.0, 100.0),
    "income_med_2024": ("medianinkomst_tkr_2024", 0.0, 100_000.0),
    "foreign_2024": ("andel_utrikes_fodda_pct_2024", 0.0, 100.0),
    "pop": ("folkmangd_scb_senaste", 0.0, 1_000_000.0),
}
KEY_COLUMNS = ("code", "kommun")
# The official unemployment column the gap rule uses by default (SCB BAS, unemployed ÷ labour force 20–64).
UNEMPLOYMENT_COLUMN = "arbetsloshet_bas_pct_2024"
EMPLOYMENT_COLUMN = "sysselsattningsgrad_pct_2024"
POPULATION_COLUMN = "folkmangd_scb_senaste"


def read_official(path: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """Read and check SCB's 2024 figures per RegSO 2025 area.

    Parameters
    ----------
    path : pathlib.Path
        ``regso_2024_scb.csv`` (or a refreshed file with the same columns).
    areas : pandas.DataFrame
        The RegSO 2025 areas, indexed by ``regsokod`` with ``kommunkod``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``areas``: the area columns of :data:`OFFICIAL_COLUMNS` (float;
        ``NaN`` where SCB has no value — never filled).

    Raises
    ------
    ValidationError
        A missing column, an unknown, duplicate or missing area code, a kommun code that
        does not match the area's, or a value that is not a number in range.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return check_official(raw, areas, path.name)


def check_official(raw: pd.DataFrame, areas: pd.DataFrame, name: str) -> pd.DataFrame:
    """Validate the text table ``raw`` (as read, all columns ``str``); see :func:`read_official`."""
    for col in (*KEY_COLUMNS, *OFFICIAL_COLUMNS):
        if col not in raw.columns:
            raise ValidationError(f"{where(name)}: missing column {col!r} (columns: {list(raw.columns)[:12]})")
    codes = raw["code"].str.strip()
    _check_codes(codes, raw["kommun"].str.strip(), areas, name)
    out = pd.DataFrame(index=pd.Index(codes.to_numpy(), name="regsokod"))
    for src, (col, low, high) in OFFICIAL_COLUMNS.items():
        out[col] = _numbers(raw[src], name, src, low, high)
    return out.reindex(areas.index)


def _check_codes(codes: pd.Series, kommun: pd.Series, areas: pd.DataFrame, name: str) -> None:
    dup = codes.duplicated(keep="first")
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise ValidationError(f"{where(name, pos, 'code')}: area {codes.iloc[pos]!r} appears twice")
    unknown = ~codes.isin(areas.index)
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise ValidationError(f"{where(name, pos, 'code')}: {codes.iloc[pos]!r} is not a RegSO 2025 code")
    missing = areas.index.difference(codes)
    if len(missing):
        raise ValidationError(f"{where(name)}: {len(missing)} RegSO 2025 areas missing, e.g. {list(missing[:3])}")
    wrong = kommun.str.zfill(4).to_numpy() != areas.loc[codes, "kommunkod"].to_numpy()
    if wrong.any():
        pos = int(np.flatnonzero(wrong)[0])
        raise ValidationError(
            f"{where(name, pos, 'kommun')}: kommun {kommun.iloc[pos]!r} does not match area {codes.iloc[pos]}"
        )


def _numbers(text: pd.Series, name: str, column: str, low: float, high: float) -> np.ndarray:
    """The column as floats (empty → ``NaN``); a non-number or a value out of range is an error."""
    stripped = text.str.strip()
    values = pd.to_numeric(stripped.where(stripped != ""), errors="coerce")
    bad = values.isna() & (stripped != "")
    bad |= values.notna() & ((values < low) | (values > high))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValidationError(
            f"{where(name, pos, column)}: {text.iloc[pos]!r} is not a number between {low:g} and {high:g}"
        )
    return np.asarray(values.to_numpy(float))


def realign_swapped_codes(
    figures: pd.DataFrame, keys_2020: pd.DataFrame, before: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Undo a blind 2020-code join in ``figures`` where the evidence says it happened.

    SCB swapped RegSO codes between 2020 and 2025 in a few kommuner (Perstorp, Munkfors,
    Lycksele, Jokkmokk; ``keys_2020`` rows with ``code_changed``). A table keyed by the 2020
    codes but labelled with 2025 codes puts each value on the swapped area. Per kommun, three
    checks compare the file as it stands with the values moved to the area the 2020 code names:
    population and foreign-born share continuity (Σ of absolute gaps to the name-matched 2023
    figures) and whether the index value orders the areas as their områdestyp 2023 does
    (discordant pairs). The values are moved when more checks favour moving than keeping.

    Parameters
    ----------
    figures : pandas.DataFrame
        From :func:`check_official`, indexed by 2025 code.
    keys_2020 : pandas.DataFrame
        Indexed by 2020 code: ``regsokod`` (2025) and ``code_changed``.
    before : pandas.DataFrame
        Per 2025 area, name-matched: ``folkmangd_2023``, ``andel_utrikes_fodda_pct_2023``,
        ``omradestyp_2023``.

    Returns
    -------
    (pandas.DataFrame, dict)
        The figures (moved where needed) and, per kommun with swapped codes, the codes, the
        decision and each check's score as filed / moved (lower is better).
    """
    changed = keys_2020[keys_2020["code_changed"] & keys_2020["regsokod"].notna()]
    out = figures.copy()
    report: dict[str, dict[str, Any]] = {}
    for kommun, rows in changed.groupby(changed.index.str[:4]):
        old, new = list(rows.index), list(rows["regsokod"])
        checks = {
            name: (_gap(figures.loc[new, col], before.loc[new, ref]), _gap(figures.loc[old, col], before.loc[new, ref]))
            for name, col, ref in (
                ("population", POPULATION_COLUMN, "folkmangd_2023"),
                ("foreign_born", "andel_utrikes_fodda_pct_2024", "andel_utrikes_fodda_pct_2023"),
            )
        }
        types = before.loc[new, "omradestyp_2023"].to_numpy(float)
        checks["index_vs_type"] = (
            _discordant(figures.loc[new, "socioek_indexvarde_2024"].to_numpy(float), types),
            _discordant(figures.loc[old, "socioek_indexvarde_2024"].to_numpy(float), types),
        )
        votes = sum(np.sign(as_filed - moved) for as_filed, moved in checks.values())
        move = bool(votes > 0)
        if move:
            out.loc[new] = figures.loc[old].to_numpy()
        report[str(kommun)] = {
            "codes": sorted(new),
            "moved": move,
            **{f"{k}_as_filed": round(a, 3) for k, (a, _) in checks.items()},
            **{f"{k}_moved": round(m, 3) for k, (_, m) in checks.items()},
        }
    return out, report


def _gap(values: pd.Series, reference: pd.Series) -> float:
    """Σ |values − reference| (positions matched, not labels)."""
    return float(np.nansum(np.abs(values.to_numpy(float) - reference.to_numpy(float))))


def _discordant(index: np.ndarray, types: np.ndarray) -> float:
    """Pairs whose index value and områdestyp disagree (a lower type, more challenged, needs a higher index)."""
    n = 0
    for i in range(len(types)):
        for j in range(len(types)):
            if types[i] < types[j] and index[i] < index[j]:
                n += 1
    return float(n)


def unemployed_share_of_population(unemployment: pd.Series, employment: pd.Series) -> pd.Series:
    """BAS unemployment turned into unemployed as % of the *population* 20–64 (N03937's denominator).

    With ``u`` = unemployed ÷ labour force and ``e`` = employed ÷ population (both %), the labour
    force is ``e / (1 − u/100)`` % of the population, so unemployed ÷ population = ``u · e / (100 − u)``.
    """
    return (unemployment * employment / (100.0 - unemployment)).rename("unemployed_pct_of_population")
