"""Invariants of the committed derived data (data/regso/), checked against the raw inputs."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest
import shapely

from geo_app.analysis import area_keys
from geo_app.data import loaders
from geo_app.data.catalogue import KINDS
from geo_app.data.paths import EMBEDDED_DATA_DIR


@pytest.fixture(scope="module")
def regso():
    return loaders.load_regso()


def test_counts(regso):
    assert len(regso) == 3363 and regso.index.is_unique
    assert len(loaders.load_kommun()) == 290
    assert len(loaders.load_lan()) == 21
    assert regso["kommunkod"].nunique() == 290 and regso["lanskod"].nunique() == 21
    assert regso.crs.to_epsg() == 3006


def test_names_complete(regso):
    for col in ("regsonamn", "kommunnamn", "lanskod", "lansnamn"):
        assert regso[col].notna().all(), col
    assert regso.loc["1280R001", "kommunnamn"] == "Malmö"
    assert regso.loc["1280R001", "lansnamn"] == "Skåne län"


@pytest.mark.parametrize("year", [2022, 2023])
def test_type_counts_equal_the_source_file(regso, shared_data, year):
    source = area_keys.parse_index_csv(shared_data / "index" / f"regso_socioekonomisk_index_{year}.csv", year)
    # One source row (Kiruna (Bolaget)) has no 2025 area: subtract it, nothing else may differ.
    bolaget = int(source["Kiruna (Bolaget)"])
    expected = source.value_counts().sort_index()
    expected[bolaget] -= 1
    got = regso[f"omradestyp_{year}"].value_counts().sort_index()
    assert got.to_dict() == expected.to_dict()
    assert regso[f"omradestyp_{year}"].isna().sum() == 1
    assert pd.isna(regso.loc["2523R011", f"omradestyp_{year}"])  # Gällivare (Repisvaara-Dundret): new in 2025


def test_renamed_areas_get_their_type(regso, shared_data):
    src = area_keys.parse_index_csv(shared_data / "index" / "regso_socioekonomisk_index_2023.csv", 2023)
    renamed = {
        "0120R012": "Värmdö (Norra Värdölandet-Skärgården)",
        "0160R009": "Täby (Karlsund)",
        "0160R013": "Täby (Näsby Park)",
        "1280R086": "Malmö (RegSO-Ön norr)",
        "1984R005": "Arboga (Nästkvarn-Studrestaden)",
        "2584R015": "Kiruna (Övre Norrmalm)",
    }
    for code, label in renamed.items():
        assert regso.loc[code, "omradestyp_2023"] == src[label], code


def test_code_swaps_follow_names(regso, shared_data):
    stats = pd.read_csv(
        shared_data / "statistics" / "regso2020_befolkning_utrikesfodda_loneinkomst_upplatelse_2020_2023.csv",
        dtype={"regso_kod": str},
    )
    s2023 = stats[stats["year"] == 2023].set_index("regso_kod")
    swaps = {
        "1275R002": "1275R005",
        "1762R001": "1762R002",
        "2481R003": "2481R005",
        "2510R001": "2510R002",
        "2510R003": "2510R004",
    }
    for a, b in swaps.items():
        for code_2025, code_2020 in ((a, b), (b, a)):
            assert regso.loc[code_2025, "regsonamn"] == s2023.loc[code_2020, "regso_namn"]
            assert regso.loc[code_2025, "folkmangd_2023"] == s2023.loc[code_2020, "folkmangd"]


def test_population_total_matches_source(regso, shared_data):
    stats = pd.read_csv(
        shared_data / "statistics" / "regso2020_befolkning_utrikesfodda_loneinkomst_upplatelse_2020_2023.csv",
        dtype={"regso_kod": str},
    )
    src = stats[(stats["year"] == 2023) & (stats["regso_kod"] != "2584R001")]["folkmangd"].sum()
    assert regso["folkmangd_2023"].sum() == src


def test_geometry_valid_and_coverage_glued(regso):
    assert shapely.is_valid(regso.geometry.values).all()
    assert shapely.coverage_is_valid(regso.geometry.values)
    for level in ("regso", "kommun", "lan"):
        display = loaders.load_display(level)
        assert display.crs.to_epsg() == 4326
        # Neighbours share edges exactly: no gaps or overlaps in the display coverage.
        assert shapely.coverage_is_valid(display.values), level
        # Rounding to 6 decimals may pinch a ring where it nearly touches itself
        # (renders fine); documented tolerance: at most one such polygon per level.
        assert (~shapely.is_valid(display.values)).sum() <= 1, level


def test_export_geometry_is_a_valid_coverage_close_to_the_analysis_geometry(regso):
    counts = {"regso": len(regso), "kommun": 290, "lan": 21}
    for level, n in counts.items():
        geoms = loaders.load_export_geometry(level)
        assert len(geoms) == n and geoms.crs.to_epsg() == 3006, level
        assert shapely.is_valid(geoms.values).all() and shapely.coverage_is_valid(geoms.values), level
    export = loaders.load_export_geometry("regso").reindex(regso.index)
    # 50 m simplification: every area keeps its size within a few per cent (small areas) and its place
    rel = (export.area - regso.area).abs() / regso.area
    assert rel.median() < 0.005 and rel.max() < 0.25
    assert export.total_bounds == pytest.approx(regso.total_bounds, abs=100)


def test_geocoding_tables_for_office_imports():
    towns, postal = loaders.load_towns(), loaders.load_postal_codes()
    assert len(towns) == 733 and towns["lat"].between(55, 69.1).all() and towns["lon"].between(10.9, 24.2).all()
    assert len(postal) > 15_000 and postal.index.str.fullmatch(r"\d{5}").all()
    assert set(postal["kommunkod"]) <= set(loaders.load_kommun().index)


def test_kommun_outlines_match_dissolved_areas(regso):
    kommun = loaders.load_kommun()
    union = regso.loc[regso["kommunkod"] == "0180"].geometry.union_all()
    assert union.symmetric_difference(kommun.loc["0180"].geometry).area < 1.0  # m²


def test_manifest_matches_committed_files():
    manifest = json.loads((EMBEDDED_DATA_DIR / "manifest.json").read_text())
    for name, digest in manifest.items():
        assert hashlib.sha256((EMBEDDED_DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_catalogue_has_source_year_licence_kind():
    cat = loaders.load_catalogue()
    assert {d.id for d in cat} >= {"regso_2025", "omradestyp", "befolkning", "kommun_lan_granser"}
    for d in cat:
        assert d.source and d.year and d.licence and d.kind in KINDS
        assert d.rows > 0


@pytest.mark.slow
def test_build_command_is_byte_for_byte_reproducible(shared_data, tmp_path):
    # The documented command, in a fresh process, exactly as a developer runs it.
    out = tmp_path / "regso"
    proc = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "build-data", "--source", str(shared_data), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    committed = json.loads((EMBEDDED_DATA_DIR / "manifest.json").read_text())
    assert json.loads((out / "manifest.json").read_text()) == committed
