"""Refresh the official figures from SCB's PxWeb API v2 and Kolada (``geo-app update-data``).

Nothing in the app's default commands uses the network; this module is the only one that does,
and only when a user runs ``geo-app update-data``. It fetches, per table, the figures the app
uses, checks them against the RegSO 2025 areas and the 290 kommuner, and writes one CSV per
table plus ``provenance.json`` (URL, date, SHA-256 per table) into a *refresh folder*. The data
in use (``data/regso/``, the user's imports) is never written: the folder is assembled in a
temporary directory and moved into place only when every table passed.

Clients: ``pxwebpy`` (SCB's PxWeb API v2, JSON-stat 2.0, rate limit and 429 back-off) and
``koladapy`` (Kolada API v3). ``--base-url`` points both at a mirror.

The tables and content codes are declared in :data:`SCB_TABLES` and :data:`KOLADA_KPIS`; a
response that lacks a declared dimension, code, area or kommun is a :class:`RefreshError`
naming the table (SCB changes table layouts between releases).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import requests
from koladapy import KoladaAPI
from koladapy.exceptions import KoladaAPIError
from pxweb import PxApi

from geo_app.errors import InputError

SCB_URL = "https://api.scb.se/OV0104/v2beta/api/v2"
KOLADA_URL = "https://api.kolada.se/v3/"
REGSO_SUFFIX = "_RegSO2025"  # how SCB's tables spell RegSO 2025 codes (code list vs_RegSO2025), from 2024 on
REGSO_CODELIST = "vs_RegSO2025"


class RefreshError(InputError):
    """A fetch failed or its answer does not look like the declared table; the data in use is untouched."""


@dataclass(frozen=True)
class ScbTable:
    """One SCB table: what to select and how its content codes become the app's columns.

    ``measures`` maps an output column to ``(numerator code, denominator code or "")``: a ratio
    in percent, or the value itself when there is no denominator.
    """

    key: str
    table: str
    title: str
    measures: dict[str, tuple[str, str]]
    select: dict[str, list[str]] = field(default_factory=dict)

    def contents(self) -> list[str]:
        """The content codes to ask for."""
        return sorted({c for pair in self.measures.values() for c in pair if c})


# Content codes as SCB's tables give them (TAB6680: 0000089W unemployed, 0000089V labour force;
# TAB6586: 000008IT index value, 000008IU områdestyp; TAB6574: 000007Y7 population). Variables
# left out (sex, age in TAB6574) are eliminated, i.e. SCB returns their total.
SCB_TABLES: tuple[ScbTable, ...] = (
    ScbTable(
        "bas",
        "TAB6680",
        "Arbetsmarknadsstatus (BAS) per RegSO, 20–64 år",
        {"arbetsloshet_bas_pct": ("0000089W", "0000089V")},
        {"Alder": ["20-64"], "Kon": ["1+2"]},
    ),
    ScbTable(
        "index",
        "TAB6586",
        "Socioekonomiskt index och områdestyp per RegSO",
        {"socioek_indexvarde": ("000008IT", ""), "omradestyp": ("000008IU", "")},
    ),
    ScbTable("population", "TAB6574", "Folkmängd per RegSO", {"folkmangd": ("000007Y7", "")}),
)
KOLADA_KPIS: dict[str, str] = {"N03937": "arbetsloshet_pct"}  # openly unemployed 18–65, % of population


@dataclass(frozen=True)
class Fetched:
    """One refreshed table: the frame (indexed by code), where it came from and its checksum."""

    key: str
    frame: pd.DataFrame
    url: str
    sha256: str


@dataclass(frozen=True)
class RefreshOptions:
    """What ``update-data`` fetches and where from (see :func:`refresh`)."""

    year: int
    regso: Iterable[str]
    kommuner: Iterable[str]
    scb_url: str = SCB_URL
    kolada_url: str = KOLADA_URL
    timeout: int = 60


def _failure(where: str, exc: BaseException) -> RefreshError:
    """A :class:`RefreshError` for a failed call: the client's first line, and what to do on 429/5xx."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "429" in text:
        text += " (rate limited: wait a minute and run update-data again)"
    elif any(f" {code}" in text for code in range(500, 600)):
        text += " (the server failed: try again later, or use --base-url for a mirror)"
    return RefreshError(f"{where}: {text}; nothing was written")


def _checksum(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(lineterminator="\n").encode("utf-8")).hexdigest()


def _column_for(rows: pd.DataFrame, wanted: set[str], table: str, what: str) -> str:
    """The response column holding the requested codes.

    pxwebpy names columns by label, not by id: the column whose values are all asked for, else
    the one sharing most codes with the request.
    """
    candidates = [c for c in rows.columns if c != "value"]
    for col in candidates:
        if set(rows[col].astype(str)) <= wanted:
            return str(col)
    overlap = {col: len(set(rows[col].astype(str)) & wanted) for col in candidates}
    best = max(overlap, key=overlap.__getitem__, default=None)
    if best is not None and overlap[best] > 0:
        return str(best)
    raise RefreshError(f"SCB {table}: the answer has no {what} dimension with the asked codes (table layout changed?)")


def scb_rows(api: PxApi, spec: ScbTable, year: int, regso: list[str]) -> pd.DataFrame:
    """Ask SCB for ``spec`` in ``year`` for the RegSO 2025 areas; one row per cell (codes, ``value``)."""
    codes: dict[str, list[str] | str] = {
        "Region": [c + REGSO_SUFFIX for c in regso],
        "ContentsCode": spec.contents(),
        "Tid": [str(year)],
        **spec.select,
    }
    try:
        rows = api.get_table_data(spec.table, value_codes=codes, code_list={"Region": REGSO_CODELIST}, show="code")
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise _failure(f"SCB {spec.table}", exc) from exc
    return pd.DataFrame(rows)


def scb_frame(rows: pd.DataFrame, spec: ScbTable, regso: list[str]) -> pd.DataFrame:
    """Turn :func:`scb_rows` into one column per measure, indexed by RegSO 2025 code (checked)."""
    if rows.empty or "value" not in rows:
        raise RefreshError(f"SCB {spec.table}: empty answer")
    asked = {c + REGSO_SUFFIX for c in regso} | set(regso)
    region = _column_for(rows, asked, spec.table, "region")
    contents = _column_for(rows, set(spec.contents()), spec.table, "content")
    missing_codes = set(spec.contents()) - set(rows[contents])
    if missing_codes:
        raise RefreshError(f"SCB {spec.table}: content codes {sorted(missing_codes)} missing (table layout changed?)")
    wide = rows.assign(code=rows[region].str.removesuffix(REGSO_SUFFIX)).pivot_table(
        index="code", columns=contents, values="value", aggfunc="first", dropna=False
    )
    missing = sorted(set(regso) - set(wide.index))
    if missing:
        raise RefreshError(f"SCB {spec.table}: {len(missing)} RegSO 2025 areas missing, e.g. {missing[:3]}")
    out = pd.DataFrame(index=pd.Index(sorted(regso), name="regsokod"))
    for col, (num, den) in spec.measures.items():
        values = pd.to_numeric(wide[num], errors="coerce")
        if den:
            values = 100.0 * values / pd.to_numeric(wide[den], errors="coerce").where(lambda s: s > 0)
        out[col] = values.reindex(out.index).round(3)
    return out


def kolada_frame(api: KoladaAPI, kpi: str, year: int, kommuner: list[str]) -> pd.DataFrame:
    """One Kolada KPI for ``year`` per kommun (total of both sexes), indexed by ``kommunkod`` (checked)."""
    try:
        entries = api.get_values(kpi_id=kpi, years=year)
    except (KoladaAPIError, requests.RequestException) as exc:
        raise _failure(f"Kolada {kpi}", exc) from exc
    values = {}
    for entry in entries:
        code = str(entry.get("municipality", ""))
        total = [v.get("value") for v in entry.get("values") or [] if v.get("gender") in ("T", None)]
        if code in kommuner and total:
            values[code] = total[0]
    missing = sorted(set(kommuner) - set(values))
    if missing:
        raise RefreshError(f"Kolada {kpi} {year}: {len(missing)} kommuner missing, e.g. {missing[:3]}")
    frame = pd.DataFrame({KOLADA_KPIS[kpi]: pd.Series(values, dtype=float)}).sort_index()
    frame.index.name = "kommunkod"
    return frame


def refresh(opts: RefreshOptions, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter) -> list[Fetched]:
    """Fetch every declared table; the first failure raises :class:`RefreshError` (nothing is written).

    ``progress`` wraps the list of tables (the CLI passes a ``tqdm`` progress bar).
    """
    regso, kommuner = sorted(opts.regso), sorted(opts.kommuner)
    try:
        scb = PxApi(opts.scb_url, language="sv", timeout=opts.timeout, disable_cache=True, max_workers=1)
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise _failure(f"SCB API at {opts.scb_url}", exc) from exc
    kolada = KoladaAPI(base_url=opts.kolada_url, timeout=opts.timeout, max_retries=2)
    jobs: list[tuple[str, Callable[..., pd.DataFrame], str]] = [
        (
            f"scb_{t.key}",
            lambda t=t: scb_frame(scb_rows(scb, t, opts.year, regso), t, regso),
            f"{opts.scb_url}/tables/{t.table}/data",
        )
        for t in SCB_TABLES
    ] + [
        (f"kolada_{kpi}", lambda kpi=kpi: kolada_frame(kolada, kpi, opts.year, kommuner), f"{opts.kolada_url}data/")
        for kpi in KOLADA_KPIS
    ]
    out = []
    for key, job, url in progress(jobs):
        frame = job()
        out.append(Fetched(key, frame, url, _checksum(frame)))
    return out


def compare_with(fetched: Fetched, in_use: pd.DataFrame, year: int) -> dict[str, dict[str, float]]:
    """What changed against the data in use.

    Per column with a ``<col>_<year>`` counterpart: values compared, how many differ (by more
    than 0.001, or known on one side only) and the largest difference.
    """
    out = {}
    for col in fetched.frame.columns:
        current = f"{col}_{year}"
        if current not in in_use.columns:
            out[col] = {"compared": 0.0, "changed": float("nan"), "max_abs_diff": float("nan")}
            continue
        new = fetched.frame[col]
        old = pd.to_numeric(in_use[current], errors="coerce").reindex(new.index)
        diff = (new - old).abs()
        both = new.notna() & old.notna()
        out[col] = {
            "compared": float(both.sum()),
            "changed": float((diff[both] > 0.001).sum() + (new.notna() != old.notna()).sum()),
            "max_abs_diff": float(diff[both].max()) if both.any() else float("nan"),
        }
    return out


def write_refresh(fetched: list[Fetched], out_dir: Path, retrieved: date) -> Path:
    """Write one CSV per table and ``provenance.json`` into ``out_dir``, atomically.

    The files are written to a temporary folder beside ``out_dir`` and swapped in only when all
    are written; a failure leaves an earlier ``out_dir`` as it was.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".refresh-", dir=out_dir.parent))
    try:
        provenance = {}
        for f in fetched:
            f.frame.to_csv(tmp / f"{f.key}.csv", lineterminator="\n")
            provenance[f.key] = {"url": f.url, "retrieved": retrieved.isoformat(), "sha256": f.sha256}
        (tmp / "provenance.json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n", "utf-8")
        old = out_dir.with_name(out_dir.name + ".old")
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
