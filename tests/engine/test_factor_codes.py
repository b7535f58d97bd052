"""The factor-codes engine (glmstats.engine.factor_matrix) gives the dense engine's numbers.

Every formula case of the R reference suite is fitted twice: with factors kept as integer
codes (forced by lowering design.FACTOR_CODES_MIN_ELEMENTS to 0) and with the dense model
matrix (which tests/test_reference_glm.py checks against R). Cases whose formulas the codes
engine does not take (interactions) fall back to the dense path, which is checked too.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
import glmstats.formula.design as design
from glmstats.engine.factor_matrix import FactorMatrix
import _glmref as H


def _fit(case, force_codes, monkeypatch):
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0 if force_codes else 10**18)
    model = H.formula_model(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return model, model.fit(**H.TIGHT)


@pytest.mark.parametrize("case", H.GLM_CASES)
def test_codes_engine_matches_dense_engine(case, monkeypatch):
    m_codes, codes = _fit(case, True, monkeypatch)
    m_dense, dense = _fit(case, False, monkeypatch)
    assert not isinstance(m_dense.data.X, FactorMatrix)  # a dense design
    assert list(codes.params.index) == list(dense.params.index)
    np.testing.assert_allclose(codes.params, dense.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(codes.bse, dense.bse, rtol=1e-9)
    np.testing.assert_allclose(codes.deviance, dense.deviance, rtol=1e-12)
    np.testing.assert_allclose(codes.null_deviance, dense.null_deviance, rtol=1e-12)
    np.testing.assert_allclose(codes.fittedvalues, dense.fittedvalues, rtol=1e-9)
    newdata = H.load(case).file("newdata")
    if newdata is not None and H.load(case).ex["exposure_column"] is None:
        np.testing.assert_allclose(codes.predict(newdata), dense.predict(newdata), rtol=1e-9)


def test_codes_engine_is_used_for_main_effect_factors(monkeypatch):
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0)
    df = gs.datasets.load("insurance")
    m = gs.glm("Claims ~ C(District) + Group + Age + offset(np.log(Holders))", data=df, family="poisson")
    assert isinstance(m.data.X, FactorMatrix)
    dense = m.data.X.to_dense()
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 10**18)
    ref = gs.glm("Claims ~ C(District) + Group + Age + offset(np.log(Holders))", data=df, family="poisson")
    np.testing.assert_array_equal(dense, ref.data.X.to_dense())
    np.testing.assert_array_equal(m.data.offset, ref.data.offset)


def test_large_factor_uses_schur_solve_and_matches_dense(monkeypatch):
    """A 300-level factor (diagonal block eliminated first) against the dense engine."""
    rng = np.random.default_rng(3)
    n = 6000
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.integers(0, 300, n).astype(str),
                       "h": rng.choice(list("abcd"), n)})
    eta = 0.2 + 0.5 * df.x + rng.normal(size=300)[df.g.astype(int)] * 0.3
    df["y"] = rng.poisson(np.exp(eta))
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0)
    codes = gs.glm("y ~ x + g + h", data=df, family="poisson").fit(tol=1e-12)
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 10**18)
    dense = gs.glm("y ~ x + g + h", data=df, family="poisson").fit(tol=1e-12)
    np.testing.assert_allclose(codes.params, dense.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(codes.bse, dense.bse, rtol=1e-8)
    assert codes.n_iter == dense.n_iter
    # the covariance came from the block inverse (no 300-column triangular factor) ...
    assert codes.fit_state.r is None
    np.testing.assert_allclose(codes.cov_params(), dense.cov_params(), rtol=1e-8, atol=1e-14)
    # ... and the factor is computed when the influence measures ask for it
    np.testing.assert_allclose(codes.get_influence().hat_matrix_diag, dense.get_influence().hat_matrix_diag,
                               rtol=1e-8)


def test_cross_product_blocks_equal_the_dense_products():
    """X'WX blocks filled from the factor-codes summaries (any rows/columns), merged partitions, Schur parts."""
    rng = np.random.default_rng(11)
    n, levels = 3000, (4, 70, 9)
    dense = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    factors, start = [], dense.shape[1]
    for L in levels:
        codes = rng.integers(0, L, n)
        factors.append((codes, np.arange(start, start + L - 1)))  # code 0: the reference level
        start += L - 1
    X = FactorMatrix(dense, [0, 1, 2], factors, start)
    Xd = X.to_dense()
    w, z = rng.uniform(0.1, 2.0, n), rng.normal(size=n)
    acc = X.cross_products()
    half = n // 2
    other = X.cross_products()
    acc.add(X.rows(slice(0, half)), w[:half], z[:half])
    other.add(X.rows(slice(half, n)), w[half:], z[half:])
    acc.merge(other)
    G, b = Xd.T @ (Xd * w[:, None]), Xd.T @ (w * z)
    np.testing.assert_allclose(acc.xtwx, G, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(acc.xtwz, b, rtol=1e-12, atol=1e-9)
    rows, cols = rng.permutation(start)[:40], rng.permutation(start)[:25]
    np.testing.assert_allclose(acc.block(rows, cols), G[np.ix_(rows, cols)], rtol=1e-12, atol=1e-9)
    parts = acc.schur_parts()
    d = np.asarray(factors[1][1])
    np.testing.assert_array_equal(parts.diag_cols, d)
    np.testing.assert_allclose(parts.a, G[np.ix_(parts.others, parts.others)], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(parts.b, G[np.ix_(parts.others, d)], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(parts.dg, np.diag(G)[d], rtol=1e-12)
    from glmstats.engine import linalg
    np.testing.assert_allclose(linalg.schur_inverse(parts), np.linalg.inv(G), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(linalg.solve_schur(parts).beta, np.linalg.solve(G, b), rtol=1e-8, atol=1e-12)


def test_integer_columns_are_numbers_not_factor_candidates(monkeypatch):
    """An int64 column with many distinct values (and an int64 response and exposure) leaves the formula on the codes path
    (issue 13): it is a number, so its values need not be in the rows the spec is learned on. Before, any
    column with over 1e5 distinct values ruled the codes out (1e6 rows: 27 s and 2.4 GB instead of 0.3 s and
    64 MB, tracemalloc running). C(k) of an integer column is still a factor."""
    rng = np.random.default_rng(13)
    n = 300_000
    df = pd.DataFrame({"f": rng.integers(0, 50, n).astype(str), "k": rng.integers(0, 10**9, n),
                       "m": rng.integers(0, 4, n), "e": rng.integers(10**8, 10**9, n)})
    df["y"] = rng.poisson(np.exp(0.3 + 4e-10 * df.k + 0.1 * df.m)) * 10**6 + rng.integers(0, 10**6, n)  # int64
    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0)
    formula = "y ~ C(f) + k + C(m) + offset(np.log(e) - 20)"  # an int64 exposure of many values, too
    as_int = gs.glm(formula, df, family="quasipoisson")
    as_float = gs.glm(formula, df.assign(k=df.k.astype(float), e=df.e.astype(float)), family="quasipoisson")
    assert isinstance(as_int.data.X, FactorMatrix) and isinstance(as_float.data.X, FactorMatrix)
    assert len(as_int.data.X.factors) == 2  # C(f) and C(m) kept as codes, k a dense column
    a, b = as_int.fit(tol=1e-10), as_float.fit(tol=1e-10)
    assert list(a.params.index) == list(b.params.index) and "C(m)[T.3]" in a.params.index
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a.bse, b.bse, rtol=1e-12)
