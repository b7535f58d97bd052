"""The array interface with pandas and masked inputs: rows are never paired silently by position when
the labels say otherwise, and values hidden under a mask are never used."""

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

rng = np.random.default_rng(3)
N = 40
X = np.column_stack([np.ones(N), rng.normal(size=N)])
Y = rng.poisson(np.exp(0.2 + 0.5 * X[:, 1])).astype(float)


def test_pandas_inputs_with_different_indexes_are_an_error():
    y = pd.Series(Y, index=np.arange(N))
    Xdf = pd.DataFrame(X, columns=["const", "x"], index=np.arange(N)[::-1])
    with pytest.raises(ValueError, match="indexes of endog and exog differ"):
        gs.GLM(y, Xdf, family="poisson")
    w = pd.Series(np.ones(N), index=np.arange(N) + 5)
    with pytest.raises(ValueError, match="indexes of endog and var_weights differ"):
        gs.GLM(y, X, family="poisson", var_weights=w)


def test_pandas_inputs_with_the_same_index_keep_it():
    idx = pd.Index([f"r{i}" for i in range(N)])
    res = gs.GLM(pd.Series(Y, index=idx), pd.DataFrame(X, index=idx, columns=["const", "x"]), family="poisson").fit()
    assert res.fittedvalues.index.equals(idx)
    np.testing.assert_allclose(res.params.to_numpy(), gs.GLM(Y, X, family="poisson").fit().params.to_numpy())


@pytest.mark.parametrize("where", ["endog", "exog", "var_weights", "offset"])
def test_masked_values_are_missing(where):
    mask = np.zeros(N, dtype=bool)
    mask[[3, 17, 30]] = True
    y, x, w, off = Y.copy(), X.copy(), np.ones(N), np.zeros(N)
    # values under the mask that would wreck the fit if they were read
    kwargs = {"var_weights": w, "offset": off}
    if where == "endog":
        y[mask] = 1e300
        y = np.ma.masked_array(y, mask)
    elif where == "exog":
        x[mask, 1] = 1e300
        x = np.ma.masked_array(x, np.column_stack([np.zeros(N, bool), mask]))
    else:
        kwargs[where][mask] = 1e300
        kwargs[where] = np.ma.masked_array(kwargs[where], mask)
    res = gs.GLM(y, x, family="poisson", **kwargs).fit()
    ref = gs.GLM(Y[~mask], X[~mask], family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    assert res.nobs == N - 3


def test_masked_values_with_missing_raise():
    y = np.ma.masked_array(Y, np.arange(N) == 0)
    with pytest.raises(ValueError, match="missing values"):
        gs.GLM(y, X, family="poisson", missing="raise")
