"""Column subsets of a factor-codes design are never densified (issue 11): anova, drop1, nested-model
comparison and profile intervals on 1e5 rows with a 1,000-level factor stay far below the dense design's size.

The dense design would hold 1e5 x 1001 doubles (800 MB); peaks are measured with tracemalloc (numpy's
allocations are traced) and must stay below a tenth of that. The numbers themselves are checked against the
same analyses on a dense design (a smaller model) elsewhere (tests/test_factor_codes.py, tests/test_anova.py).
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
from glmstats.engine.factor_matrix import FactorMatrix

N, LEVELS = 100_000, 1000
DENSE_BYTES = N * (LEVELS + 1) * 8


@pytest.fixture(scope="module")
def fits():
    rng = np.random.default_rng(42)
    g = rng.integers(0, LEVELS, N)
    df = pd.DataFrame({"x": rng.normal(size=N), "g": pd.Categorical.from_codes(g, [f"L{k:04d}" for k in range(LEVELS)])})
    df["y"] = rng.poisson(np.exp(0.3 + 0.2 * df.x + rng.normal(0, 0.3, LEVELS)[g])).astype(float)
    big = gs.glm("y ~ x + C(g)", df, family="poisson").fit()
    small = gs.glm("y ~ x", df, family="poisson").fit()
    return big, small


def _peak(func):
    tracemalloc.start()
    try:
        out = func()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_design_is_kept_as_codes_and_column_subsets_stay_codes(fits):
    big, _ = fits
    X = big.fit_state.data.X
    assert isinstance(X, FactorMatrix)
    sub, peak = _peak(lambda: X.columns(np.arange(0, X.shape[1], 3)))
    assert isinstance(sub, FactorMatrix) and sub.shape == (N, len(range(0, X.shape[1], 3)))
    assert peak < 0.02 * DENSE_BYTES
    one, peak = _peak(lambda: X.columns([500]).to_dense())  # one dummy column: an n-vector
    assert one.shape == (N, 1) and peak < 0.01 * DENSE_BYTES
    # the same column as the dense rows of a block (another path through the codes)
    np.testing.assert_array_equal(one[:2000, 0], X.rows(slice(0, 2000)).to_dense()[:, 500])
    assert one[:, 0].sum() > 0


@pytest.mark.parametrize("analysis", ["anova", "drop1", "nested", "profile"])
def test_analyses_never_densify_the_factor(fits, analysis):
    big, small = fits
    run = {"anova": lambda: big.anova(),
           "drop1": lambda: big.drop1(test="Chisq"),
           "nested": lambda: gs.anova(small, big),
           "profile": lambda: big.conf_int(method="profile", parm=["x", "C(g)[T.L0500]"])}[analysis]
    table, peak = _peak(run)
    print(f"{analysis}: peak {peak / 2**20:.1f} MB (dense design {DENSE_BYTES / 2**20:.0f} MB)")
    assert peak < 0.1 * DENSE_BYTES, f"{analysis}: peak {peak / 2**20:.0f} MB"
    if analysis == "profile":  # the profile interval brackets the estimate, close to the Wald one
        wald = big.conf_int(parm=["x", "C(g)[T.L0500]"])
        assert np.all(table["lower"] < big.params[table.index]) and np.all(big.params[table.index] < table["upper"])
        np.testing.assert_allclose(table, wald, rtol=0.05)
    elif analysis == "nested":
        assert table["Df"].iloc[1] == LEVELS - 1 and table["Pr(>Chi)"].iloc[1] < 1e-10
    else:
        assert np.isfinite(table["Deviance"].iloc[1:]).all()
