"""Derive ``data/regso/`` from the raw inputs in ``../shared/data``.

Run with ``geo-app build-data [--source PATH] [--out PATH]``. The build is
deterministic: the same inputs and the same locked package versions give the
same bytes (``manifest.json`` records a SHA-256 per file).

Outputs
-------
regso.parquet
    3,363 RegSO 2025 areas, EPSG:3006, analysis geometry (coverage-simplified 5 m),
    names, områdestyp 2022/2023, population / foreign-born / wage income 2020–2023, SCB's
    official figures per area 2024 (unemployment BAS, employment, low economic standard,
    post-secondary education, index value, median income, foreign-born, latest population).
kommun.parquet, lan.parquet
    Dissolved from ``regso.parquet`` so outlines match exactly; names from SCB.
regso_display.parquet, kommun_display.parquet, lan_display.parquet
    Display geometry in EPSG:4326 (coverage-simplified 200 m, five decimals).
presence_register.parquet
    The dated office register (AF, SSC, kommun collaboration points): one row per office and
    period, geocoded, every row sourced (from ``data/sources/presence/``; see docs/presence.md).
kommun_samverkan.parquet, presence_completeness.parquet
    Kommun collaboration facts (long); published office counts beside the register's counts.
roads_gotland.parquet
    Pipos' road network for Gotland (edges, speeds per direction, geometry; see geo_app.data.roads).
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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj

from geo_app.analysis import area_keys, estimate, geometry, indicators, official, presence, register, validation
from geo_app.analysis.roads import RoadNetwork
from geo_app.data import paths, roads
from geo_app.data.catalogue import EMBEDDED, Dataset, write_catalogue
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
    "presence_register.parquet",
    "kommun_samverkan.parquet",
    "presence_completeness.parquet",
    "regso2020_keys.parquet",
    "regso_export.parquet",
    "kommun_export.parquet",
    "lan_export.parquet",
    "towns.parquet",
    "postal_codes.parquet",
    "catalogue.json",
    "build_report.json",
    "roads_gotland.parquet",
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


def join_omradestyp(areas: pd.DataFrame, index_by_label: dict[int, pd.Series]) -> tuple[pd.DataFrame, dict[str, Any]]:
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
    report: dict[str, Any] = {}
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


def build_areas(source: Path) -> tuple[gpd.GeoDataFrame, dict[str, Any], pd.DataFrame]:
    """Assemble the RegSO 2025 table with all attributes (full-resolution geometry).

    Returns the areas, the join report and the RegSO 2020 → 2025 key table
    (``regsokod``, ``code_changed``, ``label_2020`` indexed by the 2020 code), which
    the import of user files needs.
    """
    areas = read_areas(source)
    index = {
        y: area_keys.parse_index_csv(_require(source / "index" / f"regso_socioekonomisk_index_{y}.csv"), y)
        for y in INDEX_YEARS
    }
    types, type_report = join_omradestyp(areas, index)
    stats = read_statistics(source)
    names_2020 = stats.drop_duplicates("regso_kod")[["regso_kod", "kommun_namn", "regso_namn"]]
    crosswalk = area_keys.crosswalk_2020_to_2025(names_2020, areas)
    crosswalk["label_2020"] = area_keys.area_label(names_2020["kommun_namn"], names_2020["regso_namn"]).to_numpy()
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
            "code_changed_2020_to_2025": dict(
                crosswalk.loc[crosswalk["code_changed"], "regsokod"].sort_index().items()
            ),
            "areas_without_statistics": sorted(out.index[out["folkmangd_2023"].isna()].tolist()),
        },
    }
    return out, report, crosswalk


def add_official(areas: pd.DataFrame, source: Path, keys_2020: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Attach SCB's official figures per area 2024 (``statistics/regso_2024_scb.csv``).

    Where the file followed the RegSO 2020 codes in a kommun whose codes SCB swapped in 2025
    (population, foreign-born share and type order say so:
    :func:`geo_app.analysis.official.realign_swapped_codes`), the values are moved to the area they
    describe; the report lists every check.
    """
    path = _require(source / "statistics" / "regso_2024_scb.csv")
    figures = official.read_official(path, areas)
    before = areas[["folkmangd_2023", "andel_utrikes_fodda_pct_2023", "omradestyp_2023"]]
    figures, moved = official.realign_swapped_codes(figures, keys_2020, before)
    report = {
        "file": path.name,
        "areas": int(figures[official.UNEMPLOYMENT_COLUMN].notna().sum()),
        "missing": {c: sorted(figures.index[figures[c].isna()]) for c in figures.columns if figures[c].isna().any()},
        "swapped_codes_2020_2025": moved,
    }
    return areas.join(figures), report


def add_indicators(
    areas: pd.DataFrame, kommun: pd.DataFrame, source: Path
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Attach kommun statistics, police areas, type references and the area estimate.

    Returns
    -------
    (areas, kommun, report)
        Copies with the new columns (see ``docs/estimates.md`` for the estimate) and a
        report of the fitted model per year and the calibration check.
    """
    stats = source / "statistics"
    unemployment, pop = indicators.read_kommun_n03937(_require(stats / "kommun_oppet_arbetslosa_N03937_2011_2024.csv"))
    edu = indicators.read_forgymnasial(_require(stats / "kommun_forgymnasial_2021.csv"))
    police = indicators.read_police_areas(_require(stats / "polisen_uso_kommun_regso_2025_transcribed.csv"))
    for name, codes, known in (("N03937", unemployment.index, kommun.index), ("förgymnasial", edu.index, kommun.index)):
        if set(codes) != set(known):
            raise InputError(
                f"{name}: kommun codes differ from the 290 kommuner: {sorted(set(codes) ^ set(known))[:5]}"
            )
    kommun = kommun.join(unemployment).join(pop.astype("Int64")).join(edu)
    for level, frame in (("regso", areas), ("kommun", kommun)):
        rows = police[police["level"] == level]
        unknown = sorted(set(rows.index) - set(frame.index))
        if unknown:
            raise InputError(f"police areas: unknown {level} codes {unknown[:5]}")
        for col in ("uso_pct", "uso_utsatt_pct", "uso_sarskilt_pct"):
            frame[col] = rows[col].reindex(frame.index).fillna(0.0).astype(float)
    areas["langtid_typref_pct"] = indicators.type_reference(
        areas["omradestyp_2022"], indicators.LONG_TERM_SHARE_BY_TYPE
    )
    areas["utan_gymnasium_typref_pct"] = indicators.type_reference(
        areas["omradestyp_2022"], indicators.NO_GYMNASIUM_SHARE_BY_TYPE
    )
    # Model 2: one national factor from N03937 to SCB BAS (unemployed ÷ labour force 20–64), fitted on 2024
    # (docs/estimates.md, "Validation"); model 1 used Af's 7.2 % for 2022 and was 2.6 pp too high.
    factor = validation.bas_definition_factor(areas, kommun["arbetsloshet_pct_2024"], kommun["folkmangd_2024"])
    report: dict[str, Any] = {"model_version": estimate.MODEL_VERSION, "bas_definition_factor": factor}
    for year in indicators.ESTIMATE_YEARS:
        cols = estimate.Covariates.of_year(year)
        rate = kommun[f"arbetsloshet_pct_{year}"]
        model = estimate.fit_risk_model(rate, estimate.kommun_covariates(areas, *cols))
        col = f"arbetsloshet_modell_pct_{year}"
        areas[col] = estimate.calibrated_area_rate(areas, rate, model, cols).round(4)
        areas[f"arbetsloshet_af_modell_pct_{year}"] = (areas[col] * round(factor, 4)).round(4)
        back = indicators.weighted_group_mean(areas[col], areas["kommunkod"], areas[f"folkmangd_{year}"].astype(float))
        report[str(year)] = {**model.as_dict(), "max_calibration_error_pp": float(f"{(back - rate).abs().max():.6g}")}
    table = validation.rounded(validation.validation_table(areas, kommun), 3)
    report["validation_2024"] = table.reset_index().to_dict(orient="records")
    return areas, kommun, report


def read_presence_sources(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """All ``*_events*.csv``, ``kommun_samverkan*.csv`` and ``published_counts*.csv`` in ``folder``, validated."""

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)

    event_files = sorted(folder.glob("*_events*.csv"))
    fact_files = sorted(folder.glob("kommun_samverkan*.csv"))
    if not event_files:
        raise DataMissingError(f"no *_events*.csv in {folder}")
    events = pd.concat([register.check_events(read(f), f.name) for f in event_files], ignore_index=True)
    facts = pd.concat([register.check_samverkan(read(f), f.name) for f in fact_files], ignore_index=True)
    _require(folder / "published_counts.csv")
    published = pd.concat([read(f) for f in sorted(folder.glob("published_counts*.csv"))], ignore_index=True)
    return events, facts, published.sort_values(["agency", "date", "source_url"], kind="stable").reset_index(drop=True)


def build_presence(
    folder: Path, areas: gpd.GeoDataFrame, towns: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """The dated register (geocoded periods, EPSG:3006), the kommun facts and the completeness table."""
    events, facts, published = read_presence_sources(folder)
    known = set(areas["kommunkod"])
    for label, codes in (("events", events["kommun_kod"]), ("kommun_samverkan", facts["kommun_kod"])):
        unknown = sorted(set(codes) - known)
        if unknown:
            raise InputError(f"presence {label}: unknown kommun codes {unknown[:5]}")
    periods = register.build_periods(pd.concat([events, register.samverkan_events(facts)], ignore_index=True))
    offices = periods.groupby("office_id")[["agency", "name", "kommunkod"]].first()
    offices["name"] = presence.geocoding_name(offices["name"])
    located = presence.geocode(offices, areas, towns)
    located.loc[located["agency"] == "kommun", "precision"] = "kommun"
    geo = located.loc[periods["office_id"], ["precision", "regsokod", "geometry"]].set_axis(periods.index)
    out = gpd.GeoDataFrame(
        periods.join(geo[["precision", "regsokod"]]), geometry=geo.geometry.to_numpy(), crs=located.crs
    )
    out["kommunnamn"] = out["kommunkod"].map(areas.groupby("kommunkod")["kommunnamn"].first())
    facts = facts.rename(columns={"kommun_kod": "kommunkod"}).sort_values(["kommunkod", "attribute", "source_url"])
    return out, facts.reset_index(drop=True), register.completeness(periods, published)


def read_towns(source: Path) -> pd.DataFrame:
    """GeoNames places ≥ 1,000 inhabitants: ``lat, lon, name, admin2`` (embedded for geocoding imports)."""
    towns = pd.read_csv(_require(source / "places" / "geonames_se_cities1000.csv"))
    return towns[["lat", "lon", "name", "admin2"]].reset_index(drop=True)


def read_postal_codes(source: Path) -> pd.DataFrame:
    """Postal code → locality and kommun code, indexed by the five-digit code as text."""
    postal = pd.read_csv(_require(source / "places" / "postal_to_municipality.csv"), dtype=str)
    out = pd.DataFrame(
        {
            "locality": postal["locality"].to_numpy(),
            "kommunkod": postal["municipality_code"].str.zfill(4).to_numpy(),
        },
        index=pd.Index(postal["postal_code"].str.replace(" ", "").str.zfill(5), name="postal_code"),
    )
    return out[~out.index.duplicated()].sort_index()


@dataclass(frozen=True)
class _Outputs:
    """Everything the build writes (:data:`OUTPUT_FILES`), before it is written."""

    areas: gpd.GeoDataFrame
    kommun: gpd.GeoDataFrame
    lan: gpd.GeoDataFrame
    display: dict[str, gpd.GeoSeries]
    export: dict[str, gpd.GeoSeries]
    offices: gpd.GeoDataFrame
    samverkan: pd.DataFrame
    complete: pd.DataFrame
    keys_2020: pd.DataFrame
    towns: pd.DataFrame
    postal: pd.DataFrame
    road_network: RoadNetwork
    report: dict[str, Any]


def build(source: Path, out_dir: Path, presence_dir: Path | None = None) -> dict[str, Any]:
    """Run the whole build from ``source`` into ``out_dir`` and return the manifest.

    Outputs are written to a temporary directory first and moved into place only
    when all succeeded, so a failed build leaves ``out_dir`` as it was.
    """
    source = Path(source)
    if not source.is_dir():
        raise DataMissingError(f"source directory not found: {source}")
    areas_full, report, keys_2020 = build_areas(source)

    areas = areas_full.copy()
    areas["geometry"] = geometry.simplify_coverage(areas_full.geometry, geometry.ANALYSIS_TOLERANCE_M)
    kommun, lan = _dissolve_levels(areas)
    display = _display_geometries(areas)
    export_geoms = _export_geometries(areas)

    areas, report["official_2024"] = add_official(areas, source, keys_2020)
    areas, kommun, report["estimate"] = add_indicators(areas, kommun, source)
    kommun = _geometry_last(kommun)
    areas = _geometry_last(areas)

    towns, postal = read_towns(source), read_postal_codes(source)
    offices, samverkan, complete = build_presence(Path(presence_dir or paths.PRESENCE_SOURCE_DIR), areas, towns)
    report["presence"] = _presence_report(offices, complete)

    road_network = roads.read_gotland(source)
    report["roads"] = road_network.summary()
    outputs = _Outputs(
        areas=areas,
        kommun=kommun,
        lan=lan,
        display=display,
        export=export_geoms,
        offices=offices,
        samverkan=samverkan,
        complete=complete,
        keys_2020=keys_2020,
        towns=towns,
        postal=postal,
        road_network=road_network,
        report=report,
    )
    return _write_outputs(outputs, Path(out_dir))


def _geometry_last(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf[[c for c in gdf.columns if c != "geometry"] + ["geometry"]]


def _dissolve_levels(areas: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Kommun and län dissolved from the (analysis) areas, with their names."""
    kommun_names = areas.groupby("kommunkod")[["kommunnamn", "lanskod", "lansnamn"]].first()
    kommun = gpd.GeoDataFrame(kommun_names, geometry=geometry.dissolve_coverage(areas, "kommunkod"), crs=areas.crs)
    lan = gpd.GeoDataFrame(
        areas.groupby("lanskod")[["lansnamn"]].first(),
        geometry=geometry.dissolve_coverage(areas, "lanskod"),
        crs=areas.crs,
    )
    return kommun, lan


def _display_geometries(areas: gpd.GeoDataFrame) -> dict[str, gpd.GeoSeries]:
    """Display geometry (EPSG:4326) per level: ``regso``, ``kommun``, ``lan``."""
    display = gpd.GeoDataFrame(geometry=geometry.simplify_coverage(areas.geometry, geometry.DISPLAY_TOLERANCE_M))
    display["kommunkod"] = areas["kommunkod"]
    display["lanskod"] = areas["lanskod"]
    kommun_display = geometry.to_display(geometry.dissolve_coverage(display, "kommunkod"))
    lan_display = geometry.to_display(geometry.dissolve_coverage(display, "lanskod"))
    regso_display = geometry.to_display(display.geometry)
    return {"regso": regso_display, "kommun": kommun_display, "lan": lan_display}


def _export_geometries(areas: gpd.GeoDataFrame) -> dict[str, gpd.GeoSeries]:
    """Export geometry per level: ``regso``, ``kommun``, ``lan``."""
    export = gpd.GeoDataFrame(geometry=geometry.simplify_coverage(areas.geometry, geometry.EXPORT_TOLERANCE_M))
    export["kommunkod"] = areas["kommunkod"]
    export["lanskod"] = areas["lanskod"]
    return {
        "regso": export.geometry,
        "kommun": geometry.dissolve_coverage(export, "kommunkod"),
        "lan": geometry.dissolve_coverage(export, "lanskod"),
    }


def _presence_report(offices: gpd.GeoDataFrame, complete: pd.DataFrame) -> dict[str, Any]:
    """The build report's summary of the office register."""
    return {
        "periods": int(len(offices)),
        "offices": int(offices["office_id"].nunique()),
        "by_agency": {k: int(v) for k, v in offices.groupby("agency")["office_id"].nunique().sort_index().items()},
        "by_precision": {k: int(v) for k, v in offices["precision"].value_counts().sort_index().items()},
        "unconfirmed_plans": int((~offices["confirmed"]).sum()),
        "presumed_closures": int(offices["closed_presumed"].sum()),
        "conflicts": int((offices["conflict"] != "").sum()),
        "by_year": register.counts_by_year(offices, range(2015, 2027)),
        "completeness": complete.drop(columns=["what"]).to_dict(orient="records"),
    }


def _catalogue(out: _Outputs) -> list[Dataset]:
    """The embedded datasets with their row counts."""
    areas, kommun = out.areas, out.kommun
    catalogue = []
    rows = {
        "vagnat": out.road_network.n_edges,
        "regso_2025": len(areas),
        "kommun_lan_granser": len(kommun) + len(out.lan),
        "omradestyp": int(areas["omradestyp_2023"].notna().sum()),
        "befolkning": int(areas["folkmangd_2023"].notna().sum()),
        "presence": int(out.offices["office_id"].nunique()),
        "arbetsloshet_kommun": len(kommun),
        "orter": len(out.towns) + len(out.postal),
        "forgymnasial_kommun": len(kommun),
        "polisen_uso": int((areas["uso_pct"] > 0).sum() + (kommun["uso_pct"] > 0).sum()),
        "typreferens": int(areas["langtid_typref_pct"].notna().sum()),
        "arbetsloshet_modell": int(areas["arbetsloshet_modell_pct_2023"].notna().sum()),
        "scb_regso_2024": int(areas[official.UNEMPLOYMENT_COLUMN].notna().sum()),
        "scb_regso_folkmangd": int(areas[official.POPULATION_COLUMN].notna().sum()),
    }
    for ds in EMBEDDED:
        catalogue.append(replace(ds, rows=rows.get(ds.id, 0)))
    return catalogue


def _write_outputs(out: _Outputs, out_dir: Path) -> dict[str, Any]:
    """Write every output to a temporary directory, then move all into ``out_dir``; return the manifest."""
    catalogue = _catalogue(out)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        _write_parquet(out.areas, tmp / "regso.parquet")
        _write_parquet(out.kommun, tmp / "kommun.parquet")
        _write_parquet(out.lan, tmp / "lan.parquet")
        for level, geoms in out.display.items():
            _write_parquet(gpd.GeoDataFrame(geometry=geoms), tmp / f"{level}_display.parquet")
        _write_parquet(out.offices, tmp / "presence_register.parquet")
        out.samverkan.to_parquet(tmp / "kommun_samverkan.parquet", compression="zstd", index=True)
        out.complete.to_parquet(tmp / "presence_completeness.parquet", compression="zstd", index=True)
        for level, geoms in out.export.items():
            _write_parquet(gpd.GeoDataFrame(geometry=geoms), tmp / f"{level}_export.parquet")
        out.keys_2020.to_parquet(tmp / "regso2020_keys.parquet", compression="zstd", index=True)
        out.towns.to_parquet(tmp / "towns.parquet", compression="zstd", index=True)
        out.postal.to_parquet(tmp / "postal_codes.parquet", compression="zstd", index=True)
        roads.write_parquet(out.road_network, tmp / roads.EMBEDDED_NAME)
        write_catalogue(catalogue, tmp / "catalogue.json")
        (tmp / "build_report.json").write_text(
            json.dumps(out.report, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8"
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
