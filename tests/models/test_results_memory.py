"""The results' statistics are computed by row blocks (issue 13): summary() after fit() adds no n-vector.

The log-likelihood, the null model (its deviance, its refit with an offset, its log-likelihood), AIC, BIC and
Pearson's chi2 are sums over rows; they are added up a row block at a time, as the fit's own passes do. On 2e6
rows an n-vector is 16 MB; the extra peak of ``summary()`` (measured with tracemalloc, which traces numpy's
allocations) must stay below a few dense blocks of X (``BLOCK_ELEMENTS`` doubles each, 2 MB), whatever n.
Before the change it was 109-142 MB here (the means, the null model's means and their temporaries as
n-vectors). The numbers themselves are R's elsewhere (tests/test_reference_glm.py); here they are checked
against the same sums over whole n-vectors.
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
from glmstats.engine.blocks import BLOCK_ELEMENTS

N = 2_000_000
BOUND = 4 * BLOCK_ELEMENTS * 8  # 8 MB: four dense blocks of X; an n-vector is 16 MB


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(13)
    df = pd.DataFrame({"x1": rng.normal(size=N), "x2": rng.normal(size=N), "x3": rng.normal(size=N),
                       "t": rng.uniform(0.5, 2.0, N), "w": rng.uniform(0.5, 2.0, N)})
    df["y"] = rng.poisson(np.exp(0.5 + 0.2 * df.x1 - 0.1 * df.x2)).astype(float)
    df["g"] = df.y + rng.normal(size=N)
    # the modules a summary imports (scipy.stats for the p-values) are loaded once, not counted
    str(gs.glm("y ~ x1", df.head(1000), family="poisson").fit().summary())
    return df


CASES = {
    "poisson": ("y ~ x1 + x2 + x3", "poisson", {}),
    "poisson, offset (null refit)": ("y ~ x1 + x2 + offset(np.log(t))", "poisson", {}),
    "poisson, offset, no intercept": ("y ~ 0 + x1 + offset(np.log(t))", "poisson", {}),
    "gaussian, weights (scale by blocks)": ("g ~ x1 + x2", "gaussian", {"var_weights": "w"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_summary_after_fit_adds_no_n_vector(data, case):
    formula, family, kwargs = CASES[case]
    res = gs.glm(formula, data, family=family, **kwargs).fit()
    tracemalloc.start()
    try:
        text = str(res.summary())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Log-Likelihood" in text
    assert peak < BOUND, f"{case}: summary() peaked at {peak / 2**20:.1f} MB (bound {BOUND / 2**20:.0f} MB)"

    # the same sums over whole n-vectors
    state = res.fit_state
    y, fam = state.data.y, res.family
    mu = fam.link.inverse(state.data.X.matvec(state.estimate) + state.data.offset)
    w = np.broadcast_to(np.asarray(state.var_weights, dtype=float), y.shape)
    scale = fam.loglike_scale(res.deviance, w)
    np.testing.assert_allclose(res.llf, fam.loglike(y, mu, w, scale), rtol=1e-12)
    np.testing.assert_allclose(res.pearson_chi2, np.sum(w * (y - mu) ** 2 / fam.variance(mu)), rtol=1e-12)
    if "offset" not in formula or "0 +" in formula:  # the null means: the weighted mean of y, or the offset alone
        mu0 = (fam.link.inverse(state.data.offset) if "0 +" in formula else np.full_like(y, np.sum(w * y) / np.sum(w)))
        np.testing.assert_allclose(res.null_deviance, fam.deviance(y, mu0, w), rtol=1e-12)
        np.testing.assert_allclose(res.llnull, fam.loglike(y, mu0, w, fam.loglike_scale(res.null_deviance, w)),
                                   rtol=1e-12)
