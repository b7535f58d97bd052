"""Sandwich covariances against R's sandwich package on the glm objects of the reference suite.

Expected values: tests/reference/cases/*/expected.json, keys vcovHC.HC0..HC3
(``sandwich::vcovHC(m, type)``) and vcovCL.vcov (``sandwich::vcovCL(m, cluster = g, type = "HC1",
cadjust = TRUE)``), R 4.2.2 / sandwich 3.0-2 (tests/reference/README.md).
"""

import warnings

import numpy as np
import pytest

import glmstats as gs
import _glmref as H

CLUSTER_CASES = [c for c in H.GLM_CASES if H.load(c).ex.get("cluster_column")]


def _robust_fit(case, **fit_kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return H.array_model(case).fit(**H.TIGHT, **fit_kw)


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
@pytest.mark.parametrize("case", H.GLM_CASES)
def test_vcovHC(case, cov_type):
    ex = H.load(case).ex
    want = np.array([[np.nan if v is None else v for v in row] for row in ex["vcovHC"][cov_type]["values"]])
    res = _robust_fit(case, cov_type=cov_type)
    scale = np.max(np.abs(want))
    # entries that are 0 in exact arithmetic (dobson's balanced design) are rounding noise in R
    np.testing.assert_allclose(res.cov_params().to_numpy(), want, rtol=1e-6, atol=1e-12 * scale)
    assert res.cov_type == cov_type
    np.testing.assert_allclose(res.bse, np.sqrt(np.diag(want)), rtol=1e-6)
    switched = _robust_fit(case).get_robustcov_results(cov_type)
    np.testing.assert_allclose(switched.cov_params().to_numpy(), res.cov_params().to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("case", CLUSTER_CASES)
def test_vcovCL(case):
    c = H.load(case)
    groups = c.file("y")["cluster"].to_numpy()
    want = np.array(c.ex["vcovCL"]["vcov"]["values"], dtype=float)
    res = _robust_fit(case, cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(res.cov_params().to_numpy(), want, rtol=1e-6)
    assert "cluster" in str(res.summary())


def test_cluster_errors():
    res = _robust_fit(CLUSTER_CASES[0])
    with pytest.raises(ValueError, match="groups"):
        res.get_robustcov_results("cluster")
    with pytest.raises(ValueError, match="length"):
        res.get_robustcov_results("cluster", groups=np.arange(3))


@pytest.mark.parametrize("family", ["poisson", "binomial", "gaussian", "Gamma"])
@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3", "cluster"])
def test_freq_weights_equal_duplicated_rows(family, cov_type):
    # A frequency weight f stands for f identical rows: every covariance must equal that of
    # the fit on the rows repeated f times (the independent reference; R's sandwich has no
    # frequency weights).
    rng = np.random.default_rng(7)
    n = 60
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    eta = 0.3 + 0.4 * x1 - 0.2 * x2
    y = {"poisson": rng.poisson(np.exp(eta)),
         "binomial": rng.binomial(1, 1 / (1 + np.exp(-eta))),
         "gaussian": eta + rng.normal(size=n),
         "Gamma": rng.gamma(2.0, np.exp(eta) / 2.0)}[family]
    freq = rng.integers(1, 5, size=n)
    groups = rng.integers(0, 8, size=n)
    X = np.column_stack([np.ones(n), x1, x2])
    rep = np.repeat(np.arange(n), freq)

    # The same start for both fits: binomial's default start (R's mustart = (w y + 0.5) / (w + 1))
    # depends on the weights, and the covariance is taken at the last-but-one iterate (R's
    # fit$weights), so different starts would differ at ~1e-6.
    start = gs.GLM(y, X, family=family).fit().params

    def fit(y, X, groups, **kw):
        kwds = {"groups": groups} if cov_type == "cluster" else None
        return gs.GLM(y, X, family=family, **kw).fit(cov_type=cov_type, cov_kwds=kwds, tol=1e-12,
                                                     start_params=start)

    weighted = fit(y, X, groups, freq_weights=freq)
    duplicated = fit(y[rep], X[rep], groups[rep])
    np.testing.assert_allclose(weighted.params, duplicated.params, rtol=1e-9)
    np.testing.assert_allclose(weighted.cov_params(), duplicated.cov_params(), rtol=1e-8, atol=1e-14)
