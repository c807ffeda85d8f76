"""Indicators: the calibrated area estimate, type-level references and labelling of kinds."""

import numpy as np
import pandas as pd
import pytest

from geo_app.analysis import estimate, indicators
from geo_app.data import loaders
from geo_app.views import map_view as nm
from geo_app.views import mapspec


def toy_areas() -> pd.DataFrame:
    # Two kommuner; in "0001" the area with more foreign-born and lower income should get more.
    return pd.DataFrame(
        {
            "kommunkod": ["0001", "0001", "0001", "0002", "0002"],
            "f": [10.0, 40.0, 20.0, 5.0, np.nan],
            "w": [300.0, 180.0, 250.0, 320.0, 310.0],
            "p": [1000, 3000, 2000, 500, 800],
        },
        index=["0001R001", "0001R002", "0001R003", "0002R001", "0002R002"],
    )


def test_calibration_reproduces_the_kommun_figure_on_a_toy():
    areas = toy_areas()
    rate = pd.Series({"0001": 3.0, "0002": 2.0})
    model = estimate.RiskModel(intercept=0.0, foreign_born=0.03, log_income=-0.5, n=2, r2=1.0)
    est = estimate.calibrated_area_rate(areas, rate, model, estimate.Covariates("f", "w", "p"))
    assert est.index.equals(areas.index)
    back = indicators.weighted_group_mean(est, areas["kommunkod"], areas["p"].astype(float))
    assert back["0001"] == pytest.approx(3.0) and back["0002"] == pytest.approx(2.0)
    assert est["0001R002"] > est["0001R003"] > est["0001R001"]  # risk ordering kept
    assert np.isnan(est["0002R002"]) and est["0002R001"] == pytest.approx(2.0)  # no covariate → no estimate


def test_fit_recovers_known_coefficients():
    rng = np.random.default_rng(1)
    cov = pd.DataFrame(
        {"foreign_born": rng.uniform(5, 40, 50), "income": rng.uniform(200, 400, 50), "pop": rng.uniform(1e3, 1e5, 50)},
        index=[f"{i:04d}" for i in range(50)],
    )
    rate = np.exp(1.0 + 0.02 * cov["foreign_born"] - 0.3 * np.log(cov["income"]))
    m = estimate.fit_risk_model(rate, cov)
    assert m.foreign_born == pytest.approx(0.02) and m.log_income == pytest.approx(-0.3) and m.r2 == pytest.approx(1.0)


def test_type_reference_only_for_published_types():
    types = pd.Series([1, 2, 3, 5, pd.NA], dtype="Int64")
    ref = indicators.type_reference(types, indicators.LONG_TERM_SHARE_BY_TYPE)
    assert ref.iloc[0] == 67.5 and ref.iloc[1] == 63.0 and ref.iloc[2:].isna().all()


@pytest.mark.parametrize("year", indicators.ESTIMATE_YEARS)
def test_estimate_is_calibrated_to_every_kommun_on_real_data(year):
    regso, kommun = loaders.load_regso(), loaders.load_kommun()
    est = regso[f"arbetsloshet_modell_pct_{year}"]
    assert est.notna().sum() == 3362  # all but the new area without statistics
    back = indicators.weighted_group_mean(est, regso["kommunkod"], regso[f"folkmangd_{year}"].astype(float))
    diff = (back - kommun[f"arbetsloshet_pct_{year}"]).abs()
    assert len(diff) == 290 and diff.max() < 0.01
    # The BAS-definition variant (model 2) is the same estimate times one national factor: SCB BAS 2024
    # over N03937 2024, nationally (docs/estimates.md, "Validation").
    ratio = regso[f"arbetsloshet_af_modell_pct_{year}"] / est
    assert ratio.max() - ratio.min() < 0.01 and 1.5 < ratio.median() < 2.5


def test_type_references_and_police_areas_on_real_data():
    regso = loaders.load_regso()
    t1 = regso["omradestyp_2022"] == 1
    assert (regso.loc[t1, "langtid_typref_pct"] == 67.5).all()
    assert (regso.loc[t1, "utan_gymnasium_typref_pct"] == 51.0).all()
    assert regso.loc[regso["omradestyp_2022"].isin([3, 4, 5]), "langtid_typref_pct"].isna().all()
    assert (regso["uso_pct"] > 0).sum() == 180 and regso["uso_pct"].between(0, 100).all()


def test_every_non_official_layer_is_labelled_in_legend_tooltip_table(bundle):
    for spec in nm.fill_layers(bundle):
        choice = nm.normalise_choice(bundle, nm.ViewChoice(spec.id, None, None, "1280", None))
        tip = nm.map_deck(bundle, choice, "sv")._tooltip["text"]
        src = nm.source_line(bundle, spec, choice.year, "sv")
        if spec.kind == "estimate":
            assert "MODELLSKATTNING" in tip and src.startswith("MODELLSKATTNING")
            assert "modellskattning" in nm.value_column_label(spec, choice.year, "sv").casefold()
            if spec.level == "regso":
                assert any("modellskattning" in c.casefold() for c in nm.area_table(bundle, choice, "sv").columns)
        elif spec.kind == "reference":
            assert "REFERENSVÄRDE PER OMRÅDESTYP" in tip
            assert "referensvärde" in nm.value_column_label(spec, choice.year, "sv").casefold()
        else:
            assert spec.kind == "official" and "MODELLSKATTNING" not in tip
        assert "<" not in tip  # tooltip is a text template


def test_national_reference_values(bundle):
    ref = nm.national_reference(bundle, bundle.layers["langtid_typref"], None, "sv")
    assert ref[0] == 59.4
    ref = nm.national_reference(bundle, bundle.layers["utrikes_fodda"], 2023, "sv")
    regso = bundle.regso
    assert ref[0] == pytest.approx(100 * regso["utrikes_fodda_2023"].sum() / regso["folkmangd_2023"].sum(), abs=0.01)
    assert nm.national_reference(bundle, bundle.layers["omradestyp"], 2023, "sv") is None


def test_graduated_value_text_is_swedish():
    from geo_app.layers.spec import load_layers

    s = load_layers()["arbetsloshet_modell"]
    labels = s.value_labels(pd.Series([1.234, np.nan, 12345.6]), "en")
    assert labels.tolist() == ["1,23 %", "No data", "12\u00a0345,60 %"]
    assert mapspec.tooltip_text(s, 2023, "en", "x").count("MODEL ESTIMATE") == 1
