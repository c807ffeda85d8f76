"""Derive ``data/regso/`` from the raw inputs in ``../shared/data``.

Run with ``geo-app build-data [--source PATH] [--out PATH]``. The build is
deterministic: the same inputs and the same locked package versions give the
same bytes (``manifest.json`` records a SHA-256 per file).

Outputs
-------
regso.parquet
    3,363 RegSO 2025 areas, EPSG:3006, analysis geometry (coverage-simplified 5 m),
    names, områdestyp 2022/2023, population / foreign-born / wage income 2020–2023.
kommun.parquet, lan.parquet
    Dissolved from ``regso.parquet`` so outlines match exactly; names from SCB.
regso_display.parquet, kommun_display.parquet, lan_display.parquet
    Display geometry in EPSG:4326 (coverage-simplified 200 m, five decimals).
catalogue.json
    Every dataset with source, year, licence, rows and kind.
build_report.json
    What the joins matched, renamed, swapped and left unmatched.
manifest.json
    SHA-256 of every output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from geo_app import area_keys, geometry, presence
from geo_app.catalogue import EMBEDDED, write_catalogue
from geo_app.errors import DataMissingError, InputError

INDEX_YEARS = (2022, 2023)
STAT_YEARS = (2020, 2021, 2022, 2023)
# source column → derived column prefix (suffix _<year>)
STAT_COLUMNS = {
    "folkmangd": "folkmangd",
    "utrikes_fodda": "utrikes_fodda",
    "andel_utrikes_fodda_pct": "andel_utrikes_fodda_pct",
    "medel_loneinkomst_tkr": "medel_loneinkomst_tkr",
}
OUTPUT_FILES = (
    "regso.parquet",
    "kommun.parquet",
    "lan.parquet",
    "regso_display.parquet",
    "kommun_display.parquet",
    "lan_display.parquet",
    "presence.parquet",
    "catalogue.json",
    "build_report.json",
)


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataMissingError(f"source file missing: {path}")
    return path


def read_areas(source: Path) -> gpd.GeoDataFrame:
    """Read RegSO 2025 polygons with kommun and län names, indexed by ``regsokod``."""
    gpkg = _require(source / "boundaries" / "RegSO_2025.gpkg")
    areas = gpd.read_file(
        gpkg, layer="RegSO_2025", columns=["regsokod", "regsonamn", "kommunkod", "lanskod"], engine="pyogrio"
    )
    geometry.check_metric(areas, str(gpkg))
    kommun = pd.read_parquet(_require(source / "boundaries" / "kommun.parquet"), columns=["kommun_kod", "kommun"])
    lan = pd.read_parquet(_require(source / "boundaries" / "lan.parquet"), columns=["lan_kod", "lan"])
    areas = areas.merge(kommun.rename(columns={"kommun_kod": "kommunkod", "kommun": "kommunnamn"}), how="left")
    areas = areas.merge(lan.rename(columns={"lan_kod": "lanskod", "lan": "lansnamn"}), how="left")
    for col in ("kommunnamn", "lansnamn"):
        missing = areas[col].isna()
        if missing.any():
            raise InputError(f"{col}: no name for codes {sorted(areas.loc[missing, 'kommunkod'].unique())[:5]}")
    areas = areas.set_index("regsokod").sort_index()
    cols = ["regsonamn", "kommunkod", "kommunnamn", "lanskod", "lansnamn", "geometry"]
    return areas[cols]


def join_omradestyp(areas: pd.DataFrame, index_by_label: dict[int, pd.Series]) -> tuple[pd.DataFrame, dict]:
    """Attach områdestyp per year to RegSO 2025 areas by name.

    Parameters
    ----------
    areas : pandas.DataFrame
        Indexed by ``regsokod`` with ``kommunnamn`` and ``regsonamn``.
    index_by_label : dict of int to pandas.Series
        Per year, områdestyp indexed by SCB's ``"Kommun (Område)"`` label.

    Returns
    -------
    (pandas.DataFrame, dict)
        Columns ``omradestyp_<year>`` (Int64, ``<NA>`` = no data) indexed like ``areas``,
        and a report of unmatched labels and areas per year.
    """
    out = pd.DataFrame(index=areas.index)
    report: dict = {}
    for year, series in sorted(index_by_label.items()):
        codes = area_keys.match_labels(pd.Series(series.index, index=series.index), areas)
        matched = pd.Series(series.to_numpy(), index=codes.to_numpy())[codes.notna().to_numpy()]
        out[f"omradestyp_{year}"] = matched.reindex(areas.index).astype("Int64")
        report[str(year)] = {
            "labels": int(len(series)),
            "matched": int(codes.notna().sum()),
            "unmatched_labels": sorted(codes.index[codes.isna()].tolist()),
            "areas_without_value": sorted(out.index[out[f"omradestyp_{year}"].isna()].tolist()),
        }
    return out, report


def pivot_statistics(stats: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Turn the long RegSO 2020 statistics table into wide columns on 2025 codes.

    Parameters
    ----------
    stats : pandas.DataFrame
        Long table with ``regso_kod`` (2020), ``year`` and the :data:`STAT_COLUMNS`.
    crosswalk : pandas.DataFrame
        From :func:`geo_app.area_keys.crosswalk_2020_to_2025`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``regsokod`` (2025), one column per statistic and year,
        e.g. ``folkmangd_2023``. Areas gone in 2025 are dropped.
    """
    long = stats.merge(crosswalk[["regsokod"]], left_on="regso_kod", right_index=True, how="left")
    long = long[long["regsokod"].notna()]
    wide = long.pivot(index="regsokod", columns="year", values=list(STAT_COLUMNS))
    wide.columns = [f"{STAT_COLUMNS[col]}_{year}" for col, year in wide.columns]
    wide.index = wide.index.astype(str)
    ordered = [f"{p}_{y}" for p in STAT_COLUMNS.values() for y in STAT_YEARS]
    wide = wide[ordered]
    for col in ordered:
        if col.startswith(("folkmangd", "utrikes_fodda")):
            wide[col] = wide[col].astype("Int64")
    return wide


def read_statistics(source: Path) -> pd.DataFrame:
    """Read the RegSO 2020 population / foreign-born / income table."""
    path = _require(source / "statistics" / "regso2020_befolkning_utrikesfodda_loneinkomst_upplatelse_2020_2023.csv")
    stats = pd.read_csv(path, dtype={"regso_kod": str, "kommun_kod": str})
    years = sorted(stats["year"].unique().tolist())
    if years != list(STAT_YEARS):
        raise InputError(f"{path}: expected years {STAT_YEARS}, got {years}")
    return stats


def build_areas(source: Path) -> tuple[gpd.GeoDataFrame, dict]:
    """Assemble the RegSO 2025 table with all attributes (full-resolution geometry)."""
    areas = read_areas(source)
    index = {
        y: area_keys.parse_index_csv(_require(source / "index" / f"regso_socioekonomisk_index_{y}.csv"), y)
        for y in INDEX_YEARS
    }
    types, type_report = join_omradestyp(areas, index)
    stats = read_statistics(source)
    names_2020 = stats.drop_duplicates("regso_kod")[["regso_kod", "kommun_namn", "regso_namn"]]
    crosswalk = area_keys.crosswalk_2020_to_2025(names_2020, areas)
    wide = pivot_statistics(stats, crosswalk)
    out = areas.join(types).join(wide)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=areas.crs)
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    report = {
        "areas": int(len(out)),
        "omradestyp": type_report,
        "type_counts": {
            str(y): {str(k): int(v) for k, v in out[f"omradestyp_{y}"].value_counts().sort_index().items()}
            for y in INDEX_YEARS
        },
        "statistics": {
            "codes_2020": int(len(crosswalk)),
            "gone_in_2025": sorted(crosswalk.index[crosswalk["regsokod"].isna()].tolist()),
            "code_changed_2020_to_2025": {
                k: v for k, v in crosswalk.loc[crosswalk["code_changed"], "regsokod"].sort_index().items()
            },
            "areas_without_statistics": sorted(out.index[out["folkmangd_2023"].isna()].tolist()),
        },
    }
    return out, report


def build_presence(source: Path, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Offices from the public mention files, latest mention per office, geocoded (EPSG:3006)."""
    folder = source / "presence"
    read = lambda name: pd.read_csv(_require(folder / name), dtype=str, encoding="utf-8-sig")  # noqa: E731
    mentions = presence.read_mentions(
        read("af_kontor_mentions.csv"), read("ssc_servicekontor_mentions.csv"),
        read("ssc_servicekontor_more_mentions.csv"), areas.groupby("kommunkod")["kommunnamn"].first(),
    )
    towns = pd.read_csv(_require(source / "places" / "geonames_se_cities1000.csv"))
    return presence.geocode(presence.latest_mentions(mentions), areas, towns)


def build(source: Path, out_dir: Path) -> dict:
    """Run the whole build from ``source`` into ``out_dir`` and return the manifest.

    Outputs are written to a temporary directory first and moved into place only
    when all succeeded, so a failed build leaves ``out_dir`` as it was.
    """
    source = Path(source)
    if not source.is_dir():
        raise DataMissingError(f"source directory not found: {source}")
    areas_full, report = build_areas(source)

    areas = areas_full.copy()
    areas["geometry"] = geometry.simplify_coverage(areas_full.geometry, geometry.ANALYSIS_TOLERANCE_M)
    kommun_names = areas.groupby("kommunkod")[["kommunnamn", "lanskod", "lansnamn"]].first()
    kommun = gpd.GeoDataFrame(
        kommun_names, geometry=geometry.dissolve_coverage(areas, "kommunkod"), crs=areas.crs
    )
    lan = gpd.GeoDataFrame(
        areas.groupby("lanskod")[["lansnamn"]].first(), geometry=geometry.dissolve_coverage(areas, "lanskod"),
        crs=areas.crs,
    )

    display = gpd.GeoDataFrame(geometry=geometry.simplify_coverage(areas.geometry, geometry.DISPLAY_TOLERANCE_M))
    display["kommunkod"] = areas["kommunkod"]
    display["lanskod"] = areas["lanskod"]
    kommun_display = geometry.to_display(geometry.dissolve_coverage(display, "kommunkod"))
    lan_display = geometry.to_display(geometry.dissolve_coverage(display, "lanskod"))
    regso_display = geometry.to_display(display.geometry)

    offices = build_presence(source, areas)
    report["presence"] = {
        "offices": int(len(offices)),
        "by_agency": {k: int(v) for k, v in offices["agency"].value_counts().sort_index().items()},
        "by_precision": {k: int(v) for k, v in offices["precision"].value_counts().sort_index().items()},
    }

    catalogue = []
    rows = {"regso_2025": len(areas), "kommun_lan_granser": len(kommun) + len(lan),
            "omradestyp": int(areas["omradestyp_2023"].notna().sum()), "befolkning": int(areas["folkmangd_2023"].notna().sum()),
            "presence": len(offices)}
    for ds in EMBEDDED:
        catalogue.append(replace(ds, rows=rows.get(ds.id, 0)))

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        _write_parquet(areas, tmp / "regso.parquet")
        _write_parquet(kommun, tmp / "kommun.parquet")
        _write_parquet(lan, tmp / "lan.parquet")
        _write_parquet(gpd.GeoDataFrame(geometry=regso_display), tmp / "regso_display.parquet")
        _write_parquet(gpd.GeoDataFrame(geometry=kommun_display), tmp / "kommun_display.parquet")
        _write_parquet(gpd.GeoDataFrame(geometry=lan_display), tmp / "lan_display.parquet")
        _write_parquet(offices, tmp / "presence.parquet")
        write_catalogue(catalogue, tmp / "catalogue.json")
        (tmp / "build_report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8"
        )
        manifest = {name: _sha256(tmp / name) for name in OUTPUT_FILES}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in (*OUTPUT_FILES, "manifest.json"):
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # No bbox covering column, a fixed compression and a CRS made afresh from its EPSG
    # code (not one reused from a file read earlier in the process) keep the bytes stable.
    gdf = gdf.set_crs(pyproj.CRS.from_epsg(gdf.crs.to_epsg()), allow_override=True)
    gdf.to_parquet(path, compression="zstd", index=True, write_covering_bbox=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
