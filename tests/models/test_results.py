"""The fit state and the results (glmstats.models.fit_state, glmstats.models.results): fit() freezes one state,
runs the diagnostics once, and the results and every inference function read that state only, never the model.

Numbers are compared with the same quantities computed directly from the data (closed forms) or between two
paths through the package; R's values are checked in the reference suites (tests/test_reference_glm.py).
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
import glmstats.models.glm as glm_module


class _Trap:
    """Stands in for the model: any attribute read fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the results read model.{name} after fit()")


@pytest.fixture()
def fitted():
    df = gs.datasets.load("dobson")
    res = gs.glm("counts ~ outcome + treatment", data=df, family="poisson").fit()
    return df, res


def test_results_and_inference_never_call_back_into_the_model(fitted):
    df, res = fitted
    small = gs.glm("counts ~ outcome", data=df, family="poisson").fit()
    res.model = _Trap()
    small.model = _Trap()
    res.null_deviance, res.llf, res.llnull, res.aic, res.pearson_chi2
    res.fittedvalues, res.resid_deviance, res.resid_pearson, res.resid_working, res.resid_anscombe
    res.predict(df.head(3)), res.get_prediction(df.head(3)).summary_frame()
    res.anova(test="Rao"), res.drop1(test="Chisq"), gs.anova(small, res, test="Rao")
    res.conf_int(method="profile"), res.wald_test("outcome[T.2] = 0")
    res.get_influence().summary_frame(), res.get_robustcov_results("HC3").bse, res.simulate(2, seed=1)
    str(res.summary()), res.summary().render("latex")


def test_the_fit_state_is_frozen_and_complete(fitted):
    df, res = fitted
    state = res.fit_state
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.beta = None
    assert state.rank == 5 and state.has_intercept and state.nobs == 9
    np.testing.assert_array_equal(state.data.y, df["counts"].to_numpy(dtype=float))
    np.testing.assert_allclose(state.mu, np.exp(state.eta), rtol=1e-15)
    # the dispersion numerator and Pearson's X2 from their definitions
    y, mu = state.data.y, state.mu
    np.testing.assert_allclose(state.pearson_chi2, np.sum((y - mu) ** 2 / mu), rtol=1e-12)
    w = state.working_weights
    np.testing.assert_allclose(state.working_chi2, np.sum(w * ((y - mu) / mu) ** 2), rtol=1e-8)
    # the covariance is the inverse of X'WX at the covariance's iterate (R's weights(fit, "working"))
    X = state.data.X.to_dense()
    np.testing.assert_allclose(state.cov_unscaled, np.linalg.inv(X.T @ (X * w[:, None])), rtol=1e-10, atol=1e-15)


def test_fit_runs_the_diagnostics_once(monkeypatch):
    calls = []
    real = glm_module.diagnose

    def counting(state, **kwargs):
        calls.append(state)
        return real(state, **kwargs)

    monkeypatch.setattr(glm_module, "diagnose", counting)
    df = pd.DataFrame({"y": [0.0, 0, 0, 1, 1, 1], "x": [1.0, 2, 3, 4, 5, 6]})
    with pytest.warns(gs.PerfectSeparationWarning):
        res = gs.glm("y ~ x", df, family="binomial").fit()
    assert len(calls) == 1 and calls[0] is res.fit_state
    assert res.separated and res.separation  # carried by the results, not recomputed


def test_the_model_holds_each_array_once():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(50), rng.normal(size=50)])
    y = rng.poisson(2.0, 50).astype(float)
    m = gs.GLM(y, X, family="poisson", var_weights=np.full(50, 2.0))
    assert not any(hasattr(m, name) for name in ("_y", "_X", "_offset", "_var_weights", "_freq_weights"))
    assert m.data.y is not None and m.var_weights.shape == (50,) and m.intercept_index == 0
