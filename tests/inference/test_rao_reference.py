"""Rao score tests vs R, with and without an intercept: ``gs.anova(m_small, m_large, test="Rao")``,
``m_large.anova(test="Rao")`` and ``m_large.drop1(test="Rao")``.

Expected values: tests/reference_extra/rao/rao.json, written by generate_rao.R beside it (R 4.2.2,
``glm(..., control = glm.control(epsilon = 1e-12, maxit = 100))``; ``anova(m_small, m_large, test = "Rao")``,
``anova(m_large, test = "Rao")``, ``drop1(m_large, test = "Rao")``). R's ``cars`` is stored there as cars.csv;
the other data frames are the package's datasets.

R's auxiliary regression of the smaller fit's working residuals measures its null deviance from their
weighted mean only when the model has an intercept (``anova.glm``, ``anova.glmlist``), so for a Gaussian fit
without an intercept the score equals the deviance difference (2122.66 on ``dist ~ speed + I(speed^2) - 1``
against ``dist ~ speed - 1``); ``drop1.glm`` always centres (``glm.fit(x, r, w)``, intercept = TRUE).
"""
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

HERE = pathlib.Path(__file__).resolve().parents[1] / "reference_extra" / "rao"
REF = json.loads((HERE / "rao.json").read_text())
CASES = REF["cases"]
# The models are fitted with R's control (tol=1e-12, maxiter=100: the same iterates), and anova(m_small, m_large)
# evaluates the score with R's m$weights (the last iteration's), so the pair agrees to ~1e-9. The sequential
# table and drop1 refit submodels, whose working weights R takes before its last update and we after it: a
# convergence-level difference, up to 3e-7 relative on the statistics seen here. p-values are compared as
# -log(p): a tail p-value moves by about Rao/2 times the relative change of Rao (1.3e-5 at p = 1.6e-19).
# A wrong centring moves the statistics by percents.
RTOL = 1e-7
RTOL_REFIT = 2e-6


def _data(name):
    if name == "cars":
        return pd.read_csv(HERE / "cars.csv")
    return gs.datasets.load(name)


def _fit(case, formula):
    family, _, link = case["family"].partition(":")
    kwargs = dict(case["kwargs_py"] or {})
    model = gs.glm(formula, _data(case["data"]), family=family, link=link or None, **kwargs)
    return model.fit(tol=1e-12, maxiter=100)


def _table(want):
    return pd.DataFrame({c: np.array(want["data"][c], dtype=float) for c in want["columns"]}, index=want["rownames"])


def _compare(got, want, what, rtol=RTOL):
    want = _table(want)
    assert list(got.columns) == list(want.columns), what
    assert got.shape == want.shape, what
    scale = np.nanmax(np.abs(want.to_numpy(dtype=float)))
    for col in want.columns:
        g, w = got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float)
        if col.startswith("Pr("):
            with np.errstate(divide="ignore"):  # R's p of 0 (a statistic of thousands) is ours too: inf == inf
                g, w = -np.log(g), -np.log(w)
        # a statistic that is 0 in exact arithmetic is rounding noise in R's table
        atol = 0.0 if col.startswith("Pr(") or "Df" in col else 1e-11 * scale
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=f"{what}: {col}")


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    c = dict(CASES[request.param], name=request.param)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        c["small"], c["large"] = _fit(c, c["small_py"]), _fit(c, c["large_py"])
    return c


def test_intercept_as_in_r(case):
    assert case["small"].fit_state.has_intercept == case["intercept_small"]
    assert case["large"].fit_state.has_intercept == case["intercept_large"]


def test_anova_pair(case):
    _compare(gs.anova(case["small"], case["large"], test="Rao"), case["anova_pair"], case["name"])


def test_anova_pair_reversed_order(case):
    """Larger model first: the same statistic with its sign turned, as R's anova.glmlist."""
    got = gs.anova(case["large"], case["small"], test="Rao")
    want = CASES[case["name"]]["anova_pair"]["data"]["Rao"][1]
    np.testing.assert_allclose(got["Rao"].iloc[1], -want, rtol=RTOL)


def test_anova_sequential(case):
    _compare(case["large"].anova(test="Rao"), case["anova_sequential"], case["name"], RTOL_REFIT)


def test_drop1(case):
    _compare(case["large"].drop1(test="Rao"), case["drop1"], case["name"], RTOL_REFIT)


def test_gaussian_score_is_deviance_difference():
    """For a Gaussian fit the score statistic is the deviance difference, with or without an intercept."""
    for name in ("gaussian_cars_no_intercept", "gaussian_cars_intercept"):
        c = CASES[name]
        small, large = _fit(c, c["small_py"]), _fit(c, c["large_py"])
        tab = gs.anova(small, large, test="Rao")
        np.testing.assert_allclose(tab["Rao"].iloc[1], tab["Deviance"].iloc[1], rtol=1e-10)
    np.testing.assert_allclose(tab["Rao"].iloc[1], CASES[name]["anova_pair"]["data"]["Deviance"][1], rtol=1e-10)
