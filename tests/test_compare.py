"""Comparison logic on small hand-built frames: type distribution, type changes, ranking, similar units."""

import numpy as np
import pandas as pd
import pytest

from geo_app.analysis import compare
from geo_app.layers.spec import LayerSpec


@pytest.fixture
def areas():
    # Two kommuner: K1 with areas a1 (type 1, 1,000 people), a2 (type 3, 3,000), a3 (no type, 500);
    # K2 with b1 (type 5, 2,000) and b2 (type 2 → 3, 1,000).
    return pd.DataFrame(
        {
            "kommunkod": ["K1", "K1", "K1", "K2", "K2"],
            "lanskod": ["L", "L", "L", "L", "L"],
            "regsonamn": ["A1", "A2", "A3", "B1", "B2"],
            "kommunnamn": ["Ett", "Ett", "Ett", "Två", "Två"],
            "omradestyp_2022": [1, 4, np.nan, 5, 2],
            "omradestyp_2023": [1, 3, np.nan, 5, 3],
            "folkmangd_2023": [1000, 3000, 500, 2000, 1000],
            "rate_2023": [20.0, 10.0, np.nan, 2.0, 8.0],
        },
        index=pd.Index(["a1", "a2", "a3", "b1", "b2"], name="regsokod"),
    )


def spec(aggregate="mean"):
    return LayerSpec(
        id="rate",
        level="regso",
        style="graduated",
        title={"sv": "x"},
        column="rate_{year}",
        years=(2023,),
        default_year=2023,
        aggregate=aggregate,
    )


def test_type_distribution_counts_people_and_shares(areas):
    d = compare.type_distribution(areas, "kommun", ["K1", "K2"], 2023)
    assert d.loc["K1", ["pop_1", "pop_2", "pop_3", "pop_4", "pop_5"]].tolist() == [1000, 0, 3000, 0, 0]
    assert d.loc["K1", "share_1"] == 25.0 and d.loc["K1", "share_3"] == 75.0  # shares of people with a type
    assert d.loc["K1", "pop_no_type"] == 500 and d.loc["K1", "areas_3"] == 1
    assert d.loc["K2", ["share_3", "share_5"]].tolist() == [33.3, 66.7]
    lan = compare.type_distribution(areas, "lan", ["L"], 2023)
    assert lan.loc["L", "pop_3"] == 4000


def test_type_changes_up_and_down(areas):
    ch = compare.type_changes(areas, "kommun", ["K1", "K2"], 2022, 2023)
    assert set(ch.index) == {"a2", "b2"}  # a3 has no type, a1 and b1 did not move
    assert ch.loc["a2", "change"] == "down" and ch.loc["a2", "steps"] == -1
    assert ch.loc["b2", "change"] == "up" and ch.loc["b2", "unit"] == "K2"


def test_unit_values_weight_by_population_or_sum(areas):
    v = compare.unit_values(areas, pd.DataFrame(), spec(), 2023, compare.Units("kommun", ("K1", "K2")))
    assert v["K1"] == pytest.approx((20 * 1000 + 10 * 3000) / 4000)  # a3 has no value: not in the weight
    assert v["K2"] == pytest.approx((2 * 2000 + 8 * 1000) / 3000)
    s = compare.unit_values(areas, pd.DataFrame(), spec("sum"), 2023, compare.Units("kommun", ("K1", "K2")))
    assert s.tolist() == [30.0, 10.0]
    assert compare.unit_values(areas, pd.DataFrame(), spec(), 2023, compare.Units("regso", ("b2",))).tolist() == [8.0]


def test_type_mix_reference_is_the_national_type_mean_weighted_by_the_units_mix(areas):
    # national type means: type 1 = 20, type 3 = (10*3000 + 8*1000)/4000 = 9.5, type 5 = 2
    ref = compare.type_mix_reference(areas, spec(), 2023, 2023, compare.Units("kommun", ("K1", "K2")))
    assert ref["K1"] == pytest.approx((20 * 1000 + 9.5 * 3000) / 4000)
    assert ref["K2"] == pytest.approx((2 * 2000 + 9.5 * 1000) / 3000)
    assert compare.type_mix_reference(areas, spec("sum"), 2023, 2023, compare.Units("kommun", ("K1",))).isna().all()


def test_ranking_puts_missing_last():
    r = compare.ranking(pd.Series({"x": 3.0, "y": np.nan, "z": 7.0}))
    assert list(r.index) == ["z", "x", "y"] and r["rank"].tolist()[:2] == [1, 2]


def test_similar_units_are_nearest_in_standardised_space():
    f = pd.DataFrame(
        {"a": [0.0, 1.0, 10.0, 2.0, np.nan], "b": [0.0, 100.0, 0.0, 0.0, 5.0]}, index=["p", "q", "r", "s", "t"]
    )
    near = compare.similar_units(f, "p", n=3)
    # z-scores: "a" has sd ≈ 3.9, "b" sd ≈ 43: q differs by 100 in b (≈ 2.3 sd), r by 10 in a (≈ 2.6 sd).
    assert list(near.index) == ["s", "q", "r"] and "t" not in near.index  # t lacks a feature
    assert near["distance"].is_monotonic_increasing and near.loc["s", "distance"] < 0.5
    with pytest.raises(KeyError):
        compare.similar_units(f, "nope")
