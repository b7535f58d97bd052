"""Convergence that R's rule is fooled into by the scale of the deviance.

R 4.2.2, glm(y ~ x, poisson, weights = rep(1e-300, n)) stops after 1 iteration and reports
converged = TRUE at coefficients far from the MLE (which does not depend on a common factor of
the weights): every deviance change is below epsilon * 0.1. glmstats scales the 0.1 with the
weights' mean when it is below 1. A Gamma log-link fit with one response of 1e-300 diverges
(R: "inner loop 1; cannot correct step size"); glmstats may stop on a halved step and must warn.
"""

import warnings

import numpy as np
import pytest

import glmstats as gs

rng = np.random.default_rng(1)
N = 50
x = rng.normal(size=N)
X = np.column_stack([np.ones(N), x])
Y = rng.poisson(np.exp(0.5 + 0.3 * x)).astype(float)


@pytest.mark.parametrize("c", [1e-300, 1e-30, 1e-5, 0.5, 1.0, 1e6])
def test_a_common_factor_of_the_weights_does_not_change_the_fit(c):
    ref = gs.GLM(Y, X, family="poisson").fit()
    res = gs.GLM(Y, X, family="poisson", var_weights=np.full(N, c)).fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-7)
    assert res.converged and res.fit_state.n_iter >= ref.fit_state.n_iter - 1
    np.testing.assert_allclose(res.deviance, c * ref.deviance, rtol=1e-7)


def test_tiny_weights_history_uses_the_scaled_rule():
    res = gs.GLM(Y, X, family="poisson", var_weights=np.full(N, 1e-300)).fit()
    h = res.fit_history
    dev = np.r_[np.nan, h["deviance"].to_numpy()]
    # the rule's slack is 0.1 times the mean weight: |dev - dev_old| / (|dev| + 1e-301)
    np.testing.assert_allclose(h["relative_change"].to_numpy()[1:],
                               np.abs(np.diff(dev[1:])) / (np.abs(dev[2:]) + 0.1 * 1e-300), rtol=1e-12)


@pytest.mark.parametrize("seed", [5, 6])
def test_a_fit_that_stops_on_halved_steps_warns(seed):
    r = np.random.default_rng(seed)
    n = [10, 30, 100, 1000][seed % 4]
    xs = r.normal(size=n)
    Xs = np.column_stack([np.ones(n), xs])
    y = r.gamma(2.0, np.exp(0.5 + 0.3 * xs) / 2)
    y[seed % n] = 1e-300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.PerfectSeparationWarning)
        with pytest.warns(gs.ConvergenceWarning, match="halved"):
            gs.GLM(y, Xs, family="Gamma", link=gs.links.Log()).fit()
