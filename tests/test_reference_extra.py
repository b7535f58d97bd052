"""Extra R reference cases: odd links, weights, aliasing, separation, step-halving, missing values,
models without an intercept.

Expected values: tests/reference_extra/cases/*/expected.json, computed by
tests/reference_extra/generate_extra.R (R 4.2.2; sessionInfo.txt beside it) -- never by glmstats.
Cases with a finite MLE store the fully converged fit (R's fit continued to machine precision)
and are compared at rtol 1e-6 with a glmstats fit at tol=1e-15. Separation cases have no
finite MLE: they store R's iterate at epsilon = 1e-8, which glmstats must reproduce by
following R's path (same start, same steps, same stopping rule).
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

CASES = Path(__file__).parent / "reference_extra" / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.json").exists())


def _num(v):
    return np.nan if v is None else float(v)


def _vec(obj):
    if isinstance(obj, dict):
        return np.array([_num(v) for v in obj.values()])
    if isinstance(obj, list):
        return np.array([_num(v) for v in obj])
    return _num(obj)


def load(name):
    ex = json.loads((CASES / name / "expected.json").read_text())
    data = pd.read_csv(CASES / name / "data.csv", keep_default_na=False, na_values=["NA"])
    return ex, data


def family_of(ex):
    spec = dict(ex["family_py"])
    name, link = spec.pop("family"), spec.pop("link", None)
    if name == "quasi":
        return gs.families.Quasi(link=link, variance=spec["variance"])
    return gs.families.get_family(name, link)


def fit(name, **kw):
    ex, data = load(name)
    model = gs.glm(ex["formula_py"], data=data, family=family_of(ex), **(ex["formula_py_kwargs"] or {}))
    start = ex["start"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit(start_params=start, **kw)
    return ex, res, [w.category for w in caught]


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("separation")])
def test_converged_fit_matches_r(name):
    ex, res, _ = fit(name, tol=1e-15, maxiter=200)
    rtol = 1e-6
    np.testing.assert_allclose(res.params.to_numpy(), _vec(ex["coefficients"]), rtol=rtol, atol=1e-12)
    np.testing.assert_allclose(res.bse.to_numpy(), _vec(ex["se"]), rtol=rtol)
    np.testing.assert_allclose(res.tvalues.to_numpy(), _vec(ex["statistic"]), rtol=rtol, atol=1e-10)
    np.testing.assert_allclose(res.pvalues.to_numpy(), _vec(ex["pvalues"]), rtol=rtol)
    for ours, key in [(res.scale, "dispersion"), (res.deviance, "deviance"), (res.null_deviance, "null_deviance"),
                      (res.pearson_chi2, "pearson_chi2"), (res.aic, "aic"), (res.bic, "bic"), (res.llf, "logLik")]:
        np.testing.assert_allclose(ours, _num(ex[key]), rtol=rtol, err_msg=key)
    assert res.df_resid == ex["df_residual"]
    assert res.df_model == ex["df_null"] - ex["df_residual"]
    assert res.rank == ex["rank"] and res.nobs == ex["nobs"]
    assert res.n_dropped == ex["n_dropped"]
    np.testing.assert_allclose(res.fittedvalues.to_numpy(), _vec(ex["fitted_values"]), rtol=rtol)
    np.testing.assert_array_equal(res.aliased.to_numpy(), np.array(list(ex["aliased"].values())))


@pytest.mark.parametrize("name", NAMES)
def test_standard_fit_follows_r(name):
    """At R's default epsilon the iteration count, convergence and warnings are R's."""
    ex, res, caught = fit(name, tol=1e-8, maxiter=100)
    assert res.n_iter == ex["iterations"]
    assert res.converged == ex["converged"]
    r_warn = ex["r_warnings"] if isinstance(ex["r_warnings"], str) else " ".join(ex["r_warnings"])
    if "fitted probabilities numerically 0 or 1" in r_warn:
        assert gs.PerfectSeparationWarning in caught
    elif name != "separation_quasi":  # glmstats also detects the quasi-separation R's 10-eps rule misses
        assert gs.PerfectSeparationWarning not in caught
    assert (gs.RankDeficientWarning in caught) == any(ex["aliased"].values())
    if name.startswith("separation"):
        # no finite MLE: the returned iterate is R's (same path, same stopping rule)
        np.testing.assert_allclose(res.params.to_numpy(), _vec(ex["std_coefficients"]), rtol=1e-6)


def test_quasi_separation_is_detected_beyond_r():
    """R's rule misses it (probabilities stop ~1e-9 from 1); glmstats names the diverging coefficient."""
    ex, data = load("separation_quasi")
    with pytest.warns(gs.PerfectSeparationWarning, match="coefficients involved: g "):
        res = gs.glm("y ~ x + g", data=data, family="binomial").fit()
    assert res.separation == ["g"]


def test_separation_names_diverging_coefficients():
    ex, data = load("separation_complete")
    with pytest.warns(gs.PerfectSeparationWarning, match="coefficients involved: Intercept, x"):
        res = gs.glm("y ~ x", data=data, family="binomial").fit()
    assert res.separation == ["Intercept", "x"]
