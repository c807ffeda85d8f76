"""SCB's official per-area figures 2024: reading and checking the file, the layers, the gap rule's default."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo_app.analysis import official
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.data import loaders, paths
from geo_app.data.paths import APP_SCRIPT, page_script
from geo_app.errors import ValidationError
from geo_app.layers.bundle import load_bundle
from geo_app.views import seed_view

AREAS = pd.DataFrame({"kommunkod": ["0114", "0114", "0180"]}, index=pd.Index(["0114R001", "0114R002", "0180R001"]))
HEADER = ["code", "name", "kommun", "pop", *[c for c in official.OFFICIAL_COLUMNS if c != "pop"]]


def table(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HEADER, dtype=str)


def good_rows() -> list[list[str]]:
    return [
        ["0114R001", "A", "0114", "5851", "2.639", "86.8", "3.0", "51.8", "3.7", "424.5", "25.9"],
        ["0114R002", "B", "0114", "2824", "4.308", "82.7", "10.0", "48.9", "", "349.6", "44.7"],
        ["0180R001", "C", "0180", "9000", "21.5", "60.1", "40.0", "20.0", "30.2", "200.0", "70.0"],
    ]


def test_check_official_names_columns_and_keeps_missing_as_missing():
    out = official.check_official(table(good_rows()), AREAS, "f.csv")
    assert list(out.index) == list(AREAS.index)
    assert out.at["0180R001", "arbetsloshet_bas_pct_2024"] == 21.5
    assert pd.isna(out.at["0114R002", "socioek_indexvarde_2024"])  # empty cell: unknown, never 0
    assert out.at["0114R001", "folkmangd_scb_senaste"] == 5851


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[1].__setitem__(0, "0114R001"), "f.csv: row 3, column 'code': area '0114R001' appears twice"),
        (lambda r: r[2].__setitem__(0, "9999R001"), "f.csv: row 4, column 'code': '9999R001' is not a RegSO 2025 code"),
        (lambda r: r.pop(), "f.csv: 1 RegSO 2025 areas missing"),
        (lambda r: r[2].__setitem__(2, "0114"), "f.csv: row 4, column 'kommun': kommun '0114' does not match"),
        (lambda r: r[0].__setitem__(4, "n/a"), "f.csv: row 2, column 'unemp_2024': 'n/a' is not a number"),
        (lambda r: r[1].__setitem__(5, "120"), "f.csv: row 3, column 'employment_2024': '120' is not a number"),
    ],
)
def test_check_official_refuses_bad_rows_naming_file_row_column(change, message):
    rows = good_rows()
    change(rows)
    with pytest.raises(ValidationError) as err:
        official.check_official(table(rows), AREAS, "f.csv")
    assert message in str(err.value)


def test_check_official_refuses_a_changed_layout():
    with pytest.raises(ValidationError, match="missing column 'unemp_2024'"):
        official.check_official(table(good_rows()).rename(columns={"unemp_2024": "unemployment"}), AREAS, "f.csv")


def test_unemployed_share_of_population_inverts_the_labour_force_share():
    # 100 people 20–64: 80 employed, 20 unemployed → BAS 20 % of the labour force, 80 % employed, 20 % of people.
    share = official.unemployed_share_of_population(pd.Series([20.0]), pd.Series([80.0]))
    assert share.iloc[0] == pytest.approx(20.0)


def expected_official(shared_data) -> pd.DataFrame:
    """The shared file per 2025 area: unchanged, except in the kommuner whose file values followed the
    2020 codes (build_report.json lists them), where each area takes the row of its 2020 code."""
    src = pd.read_csv(shared_data / "statistics" / "regso_2024_scb.csv", dtype={"code": str}).set_index("code")
    report = json.loads((paths.EMBEDDED_DATA_DIR / "build_report.json").read_text("utf-8"))["official_2024"]
    keys = pd.read_parquet(paths.EMBEDDED_DATA_DIR / "regso2020_keys.parquet")
    moved = [k for k, v in report["swapped_codes_2020_2025"].items() if v["moved"]]
    assert sorted(moved) == ["1275", "1762", "2481", "2510"]  # Perstorp, Munkfors, Lycksele, Jokkmokk
    rows = keys[keys["code_changed"] & keys.index.str[:4].isin(moved)]
    out = src.copy()
    out.loc[rows["regsokod"].to_list()] = src.loc[rows.index.to_list()].to_numpy()
    return out


def test_realign_moves_values_only_where_the_evidence_says_the_file_used_2020_codes():
    keys = pd.DataFrame(
        {"regsokod": ["0114R002", "0114R001"], "code_changed": [True, True]}, index=["0114R001", "0114R002"]
    )
    figures = official.check_official(table(good_rows()), AREAS, "f.csv")
    # Name-matched 2023 figures: R001 and R002 have each other's population and foreign-born share.
    before = pd.DataFrame(
        {
            "folkmangd_2023": [2800.0, 5900.0, 9000.0],
            "andel_utrikes_fodda_pct_2023": [44.0, 26.0, 70.0],
            "omradestyp_2023": [3, 4, 1],
        },
        index=AREAS.index,
    )
    out, report = official.realign_swapped_codes(figures, keys, before)
    assert report["0114"]["moved"] and out.at["0114R001", "folkmangd_scb_senaste"] == 2824
    assert out.at["0114R002", "arbetsloshet_bas_pct_2024"] == 2.639
    assert out.at["0180R001", "folkmangd_scb_senaste"] == 9000
    # 2023 figures that fit the file as it stands: nothing moves
    fitting = before.loc[["0114R002", "0114R001", "0180R001"]].set_axis(AREAS.index)
    out, report = official.realign_swapped_codes(figures, keys, fitting)
    assert not report["0114"]["moved"] and out.equals(figures)


def test_built_areas_carry_the_shared_file(shared_data):
    src = expected_official(shared_data)
    regso = loaders.load_regso()
    assert len(src) == len(regso) == 3363
    for col, (area_col, _, _) in official.OFFICIAL_COLUMNS.items():
        pd.testing.assert_series_equal(regso[area_col], src[col].reindex(regso.index).astype(float), check_names=False)
    assert regso["socioek_indexvarde_2024"].isna().sum() == 1  # 2523R011, new in 2025


def test_official_layers_are_declared_with_source_and_year():
    b = load_bundle()
    for lid in ("arbetsloshet_scb", "sysselsattning", "lag_ek_standard", "eftergymnasial", "socioek_index"):
        spec = b.layers[lid]
        assert spec.kind == "official" and spec.years == (2024,)
        assert b.catalogue[spec.dataset].year == "2024" and "SCB" in b.catalogue[spec.dataset].source
        assert spec.column_for(2024) in b.regso.columns
    assert b.layers["utrikes_fodda"].dataset_for(2024) == "scb_regso_2024"
    assert b.layers["utrikes_fodda"].dataset_for(2023) == "befolkning"


def test_gap_rule_defaults_to_official_2024_unemployment():
    b = load_bundle()
    rule = b.gap_rule()
    assert (rule.indicator, rule.indicator_kind, rule.above) == ("arbetsloshet_bas_pct_2024", "official", 20.0)
    # The estimate stays choosable, for the years without official figures.
    est = b.gap_rule(RuleOptions(year=2022, indicator="arbetsloshet_af_modell"))
    assert (est.indicator, est.indicator_kind) == ("arbetsloshet_af_modell_pct_2022", "estimate")


def test_cli_gaps_csv_is_official_2024_and_equals_the_shared_file_for_every_area(tmp_path, shared_data):
    src = expected_official(shared_data)
    frames = []
    for by in ("area", "unknown"):  # every typed area: all types, any value, offices "never" near
        out = tmp_path / f"{by}.csv"
        args = ["gaps", "--types", "1,2,3,4,5", "--above", "0", "--max-km", "0.001", "--by", by, "--out", str(out)]
        cmd = [sys.executable, "-m", "geo_app.cli", *args, "--format", "csv"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        frames.append(pd.read_csv(out, dtype={"regsokod": str, "kommunkod": str}))
    got = pd.concat(frames).set_index("regsokod")
    # Every typed area but the few with an office inside (distance 0 ≤ 1 m); 2523R011 has no områdestyp.
    assert got.index.is_unique and 3300 < len(got) <= 3362
    assert set(got["indicator_kind"]) == {"official"}
    pd.testing.assert_series_equal(got["indicator"], src.loc[got.index, "unemp_2024"], check_names=False)


def test_cli_gaps_by_all_names_the_indicator_kind(tmp_path):
    out = tmp_path / "all.csv"
    cmd = [sys.executable, "-m", "geo_app.cli", "gaps", "--by", "all", "--format", "csv", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(out, dtype={"regsokod": str})
    assert len(got) == 53 and set(got["indicator_kind"]) == {"official"}


def test_seed_question_page_and_cli_give_the_same_counts():
    b = load_bundle()
    rows = seed_view.seed_rows(b)
    official_2023 = next(r for r in rows if r.key == "official" and r.types_year == 2023)
    assert (official_2023.kommuner, official_2023.areas, official_2023.figures_year) == (28, 53, 2024)
    assert next(r for r in rows if r.key == "af").kommuner == 60
    proc = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "gaps", "--by", "kommun", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = seed_view.seed_lines(b)
    assert proc.stderr.splitlines()[-len(lines) :] == lines
    # The official rule's kommun table is the answer itself: 28 kommuner, all official.
    table = pd.read_csv(io.StringIO(proc.stdout), dtype={"kommunkod": str})
    assert len(table) == official_2023.kommuner and set(table["indicator_kind"]) == {"official"}
    # The page shows the same rows, explained beside Af's 60.
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
    at.run()
    at.switch_page(page_script("presence_gaps.py")).run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "Kommuner" in d.value.columns and "Mått" in d.value.columns)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), seed_view.seed_table(b, "sv"))
    assert any("60 kommuner" in c.value for c in at.caption)


def test_cli_info_lists_the_official_layers_with_source_and_year():
    proc = subprocess.run([sys.executable, "-m", "geo_app.cli", "info"], capture_output=True, text=True, check=True)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("  ") and line.split()}
    for lid in ("arbetsloshet_scb", "sysselsattning", "lag_ek_standard", "eftergymnasial", "socioek_index"):
        assert " official  2024 " in lines[lid] and "SCB" in lines[lid] and lines[lid].endswith("(2024)")
    assert "(2025)" in lines["befolkning_senaste"] and " estimate  2020–2023 " in lines["arbetsloshet_af_modell"]
