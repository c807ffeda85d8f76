"""Join logic on tiny hand-made frames: names, renames, code swaps, unmatched areas."""

import pandas as pd
import pytest

from geo_app.analysis import area_keys
from geo_app.data.build import join_omradestyp, pivot_statistics
from geo_app.errors import InputError


@pytest.fixture()
def areas_2025():
    # Perstorp-like swap: in 2025 the codes of the two areas are exchanged; Täby renamed.
    return pd.DataFrame(
        {
            "kommunnamn": ["Perstorp", "Perstorp", "Täby", "Gällivare"],
            "regsonamn": [
                "Perstorp sydöstra tätorten",
                "Perstorp nordöstra tätorten",
                "Näsbypark",
                "Repisvaara-Dundret",
            ],
        },
        index=pd.Index(["1275R002", "1275R005", "0160R013", "2523R011"], name="regsokod"),
    )


def test_normalise_name_casefolds_and_collapses_whitespace():
    s = pd.Series(["  Täby  (Ella  Gård)", "TÄBY (ella gård)"])
    out = area_keys.normalise_name(s)
    assert out.iloc[0] == out.iloc[1] == "täby (ella gård)"


def test_labels_2020_apply_the_six_renames():
    labels = pd.Series(["Täby (Näsby Park)", "Kiruna (Övre Norrmalm)", "Täby (Näsby Slott)"])
    assert area_keys.labels_2020_as_2025(labels).tolist() == [
        "täby (näsbypark)",
        "kiruna (norrmalm)",
        "täby (näsby slott)",
    ]


def test_crosswalk_follows_names_not_codes(areas_2025):
    regso2020 = pd.DataFrame(
        {
            "regso_kod": ["1275R002", "1275R005", "0160R013", "2584R001"],
            "kommun_namn": ["Perstorp", "Perstorp", "Täby", "Kiruna"],
            "regso_namn": ["Perstorp nordöstra tätorten", "Perstorp sydöstra tätorten", "Näsby Park", "Bolaget"],
        }
    )
    cw = area_keys.crosswalk_2020_to_2025(regso2020, areas_2025)
    assert cw.loc["1275R002", "regsokod"] == "1275R005"
    assert cw.loc["1275R005", "regsokod"] == "1275R002"
    assert bool(cw.loc["1275R002", "code_changed"]) is True
    assert cw.loc["0160R013", "regsokod"] == "0160R013"
    assert bool(cw.loc["0160R013", "code_changed"]) is False
    assert pd.isna(cw.loc["2584R001", "regsokod"])  # gone in 2025: not guessed


def test_join_omradestyp_leaves_unmatched_as_no_data(areas_2025):
    index = {
        2023: pd.Series(
            [1, 3, 5, 2],
            index=[
                "Perstorp (Perstorp nordöstra tätorten)",
                "Perstorp (Perstorp sydöstra tätorten)",
                "Täby (Näsby Park)",
                "Kiruna (Bolaget)",
            ],
        )
    }
    types, report = join_omradestyp(areas_2025, index)
    col = types["omradestyp_2023"]
    assert col["1275R005"] == 1 and col["1275R002"] == 3 and col["0160R013"] == 5
    assert pd.isna(col["2523R011"])
    assert report["2023"]["unmatched_labels"] == ["Kiruna (Bolaget)"]
    assert report["2023"]["areas_without_value"] == ["2523R011"]


def test_duplicate_labels_are_refused(areas_2025):
    with pytest.raises(InputError, match="duplicate"):
        area_keys.match_labels(pd.Series(["Täby (Näsbypark)", "Täby (Näsby Park)"]), areas_2025)


def test_pivot_statistics_moves_values_to_the_2025_code(areas_2025):
    cw = pd.DataFrame(
        {"regsokod": ["1275R005", "1275R002"], "code_changed": [True, True]},
        index=pd.Index(["1275R002", "1275R005"], name="regso_kod"),
    )
    rows = []
    for code, pop in (("1275R002", 100), ("1275R005", 200)):
        for year in (2020, 2021, 2022, 2023):
            rows.append(
                {
                    "regso_kod": code,
                    "year": year,
                    "folkmangd": pop + year - 2020,
                    "utrikes_fodda": 1,
                    "andel_utrikes_fodda_pct": 1.0,
                    "medel_loneinkomst_tkr": 300.0,
                }
            )
    wide = pivot_statistics(pd.DataFrame(rows), cw)
    assert wide.loc["1275R005", "folkmangd_2023"] == 103
    assert wide.loc["1275R002", "folkmangd_2020"] == 200


def test_parse_index_csv_drops_footnotes_and_checks_values(tmp_path):
    good = tmp_path / "i.csv"
    good.write_text("\ufeffOmråde,2023\nA (B),1\nA (C),5\n,\nDatabas:,\n", "utf-8")
    s = area_keys.parse_index_csv(good, 2023)
    assert s.to_dict() == {"A (B)": 1, "A (C)": 5}
    bad = tmp_path / "bad.csv"
    bad.write_text("Område,2023\nA (B),7\n", "utf-8")
    with pytest.raises(InputError, match="bad.csv: row 2, column '2023': områdestyp must be 1–5, got '7'"):
        area_keys.parse_index_csv(bad, 2023)
    with pytest.raises(InputError, match="no column '2022'"):
        area_keys.parse_index_csv(good, 2022)
