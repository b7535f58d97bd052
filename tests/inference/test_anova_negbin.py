"""Likelihood-ratio tests between glm_nb fits (theta estimated in each) vs MASS: ``gs.anova(nb1, nb2, ...)``.

Expected values: tests/reference_extra/negbin/anova_negbin.json, written by generate_anova_negbin.R beside it
(R 4.2.2, MASS 7.3-58.2: ``anova(glm.nb(f1, data), glm.nb(f2, data), ...)``, ``MASS:::anova.negbin``), for
quine (MASS's example: ``Days ~ Sex/(Age + Eth*Lrn)`` and larger models; and smaller ones given last) and
warpbreaks. "tight": glm.nb with ``glm.control(epsilon = 1e-12, maxit = 100)``, converged to the ML as
``fit()`` is; "default": glm.nb's default control, MASS's printed numbers.
"""
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

REF = json.loads((pathlib.Path(__file__).resolve().parents[1] / "reference_extra" / "negbin"
                  / "anova_negbin.json").read_text())
CASES = REF["cases"]
NUMERIC = ["theta", "Resid. df", "2 x log-lik.", "df", "LR stat.", "Pr(Chi)"]


def _fits(name):
    case = CASES[name]
    data = gs.datasets.load(case["data"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.RankDeficientWarning)  # quine's Sex/(Age*Eth*Lrn) has empty cells
        return [gs.glm_nb(f, data).fit() for f in case["formulas_py"]]


def _want(name, control):
    t = CASES[name][control]["anova"]
    return pd.DataFrame({c: t["data"][c] for c in t["columns"]}, index=t["rownames"])


@pytest.fixture(scope="module")
def fits():
    return {name: _fits(name) for name in CASES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_table_vs_mass(fits, name):
    got = gs.anova(*fits[name])
    want = _want(name, "tight")
    assert list(got.columns) == list(want.columns)
    assert list(got.index) == list(want.index)
    assert list(got["Test"]) == list(want["Test"])
    for col in NUMERIC:
        # both converged to the ML (MASS at epsilon 1e-12): theta agrees to ~1e-9 relative, 2 x log-lik. to ~1e-14
        np.testing.assert_allclose(got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float, na_value=np.nan),
                                   rtol=1e-7, err_msg=f"{name}: {col}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_table_vs_mass_default_control(fits, name):
    """MASS's printed numbers (glm.nb's default control, epsilon 1e-8) differ from the ML only in theta's
    last digits: theta by up to ~1e-8 relative here; the log-likelihoods, at their maximum, by ~1e-15."""
    got = gs.anova(*fits[name])
    want = _want(name, "default")
    for col in NUMERIC:
        rtol = 1e-6 if col == "theta" else 1e-9
        np.testing.assert_allclose(got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float, na_value=np.nan),
                                   rtol=rtol, err_msg=f"{name}: {col}")


def test_sorted_by_residual_df_as_mass(fits):
    """Given largest first, the table lists the models by decreasing residual df (MASS's sort.list(-df))."""
    got = gs.anova(*fits["quine_smaller_first_given_last"])
    assert list(got["Model"]) == ["Sex + Age", "Eth + Sex + Age + Lrn", "Sex/(Age + Eth*Lrn)"]
    assert list(got["Resid. df"]) == [141, 139, 132]
    back = gs.anova(*reversed(fits["quine_smaller_first_given_last"]))
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(back))


def test_statistic_is_twice_loglik_difference(fits):
    small, _, large = fits["warpbreaks"]
    got = gs.anova(small, large)
    assert got["LR stat."].iloc[1] == pytest.approx(2 * (large.llf - small.llf), rel=1e-12)
    assert got["df"].iloc[1] == small.df_resid - large.df_resid == 4
    assert got["theta"].tolist() == [small.theta, large.theta]


def test_print_as_mass(fits):
    text = repr(gs.anova(*fits["quine_mass_example"]))
    lines = text.splitlines()
    assert lines[:3] == ["Likelihood ratio tests of Negative Binomial Models", "", "Response: Days"]
    # MASS: "2 Sex + ... 1.686899       128       -1055.398 1 vs 2     4  7.627279 0.10622602"
    assert lines[-2].split()[-9:] == ["1.686899", "128", "-1055.398", "1", "vs", "2", "4", "7.627279", "0.10622602"]
    assert lines[-3].split()[-4:] == ["Eth*Lrn)", "1.597991", "132", "-1063.025"]  # NaN and "" printed blank
    assert "<table" in gs.anova(*fits["quine_mass_example"])._repr_html_()


def test_other_tests_warn_as_mass(fits):
    with pytest.warns(gs.GLMStatsWarning, match="only Chi-squared LR tests"):
        got = gs.anova(*fits["warpbreaks"], test="F")
    assert "LR stat." in got.columns


def test_not_nested_is_an_error():
    wb = gs.datasets.load("warpbreaks")
    a, b = gs.glm_nb("breaks ~ wool", wb).fit(), gs.glm_nb("breaks ~ tension", wb).fit()
    with pytest.raises(ValueError, match="not nested"):
        gs.anova(a, b)


def test_mixed_with_a_glm_is_an_error(fits):
    nb = fits["warpbreaks"][0]
    wb = gs.datasets.load("warpbreaks")
    pois = gs.glm("breaks ~ wool * tension", wb, family="poisson").fit()
    with pytest.raises(ValueError, match="glm_nb fits only"):
        gs.anova(nb, pois)


def test_different_rows_are_an_error():
    wb = gs.datasets.load("warpbreaks")
    a, b = gs.glm_nb("breaks ~ wool", wb.iloc[:50]).fit(), gs.glm_nb("breaks ~ wool + tension", wb).fit()
    with pytest.raises(ValueError, match="same rows"):
        gs.anova(a, b)


def test_one_model_is_the_sequential_table_at_fixed_theta(fits):
    """One fit: R's anova(nb) (anova.glm at theta fixed), with MASS's warning."""
    res = fits["warpbreaks"][2]
    with pytest.warns(gs.GLMStatsWarning, match="without re-estimating theta"):
        one = gs.anova(res)
    with pytest.warns(gs.GLMStatsWarning, match="without re-estimating theta"):
        seq = res.anova()
    assert list(one.index) == list(seq.index) == ["NULL", "wool", "tension", "wool:tension"]
    assert one.heading[2] == "Model: Negative Binomial(12.0822), link: log"  # R: format(round(theta, 4))
