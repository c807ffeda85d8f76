"""The model estimate checked against official area figures: error measures, the rule at 20 %, the table."""

import numpy as np
import pandas as pd
import pytest

from geo_app.analysis import validation
from geo_app.data import loaders

IDX = pd.Index(["A1", "A2", "A3", "B1", "B2"], name="regsokod")
KOMMUN = pd.Series(["0001", "0001", "0001", "0002", "0002"], index=IDX)
TYPES = pd.Series([1, 2, 3, 1, np.nan], index=IDX)


def variant(est, off):
    return validation.Variant("v", pd.Series(est, index=IDX, dtype=float), pd.Series(off, index=IDX, dtype=float))


def test_error_summary_is_in_percentage_points_and_skips_unknowns():
    s = validation.error_summary(variant([1, 2, 3, 4, np.nan], [2, 2, 5, 0, 9]))
    # errors −1, 0, −2, +4 (the last area is unknown on one side: left out)
    assert s["areas"] == 4 and s["median_abs_pp"] == 1.5 and s["bias_pp"] == pytest.approx(0.25)
    assert s["p90_abs_pp"] == pytest.approx(3.4)


def test_kommun_errors_group_by_kommun():
    k = validation.kommun_errors(variant([1, 2, 3, 4, 5], [2, 2, 5, 0, 5]), KOMMUN)
    assert k.loc["0001", "median_abs_pp"] == 1.0 and k.loc["0002", "median_abs_pp"] == 2.0
    assert k.loc["0002", "bias_pp"] == 2.0 and list(k["areas"]) == [3, 2]


def test_rule_errors_count_hits_misses_and_false_alarms_among_type_1_2():
    v = variant([25, 10, 30, 21, 40], [22, 24, 10, 5, 40])
    r = validation.rule_errors(v, TYPES, KOMMUN)
    # A1 both; A2 missed; A3 type 3 (not in the rule); B1 false alarm; B2 no type (unknown, left out)
    assert r == {
        "official": 2,
        "estimate": 2,
        "both": 1,
        "false_positive": 1,
        "false_negative": 1,
        "kommuner_official": 1,
        "kommuner_estimate": 2,
    }


def test_validation_table_on_real_data_recalibration_is_better():
    table = validation.validation_table(loaders.load_regso(), loaders.load_kommun())
    m1, m2 = table.iloc[0], table.iloc[1]
    assert m1["areas"] == m2["areas"] == 3362
    assert m2["median_abs_pp"] < m1["median_abs_pp"] and m2["p90_abs_pp"] < m1["p90_abs_pp"]
    assert abs(m2["bias_pp"]) < abs(m1["bias_pp"])
    wrong = lambda r: r["rule_false_positive"] + r["rule_false_negative"]  # noqa: E731
    assert wrong(m2) < wrong(m1) and m1["rule_official"] == 53 and m1["rule_kommuner_official"] == 28


def test_docs_validation_table_is_current():
    import subprocess
    import sys

    from geo_app.data.paths import REPO_ROOT

    script = REPO_ROOT / "scripts" / "estimate_validation.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, "docs/estimates.md is out of date: run scripts/estimate_validation.py"
