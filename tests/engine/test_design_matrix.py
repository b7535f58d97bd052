"""The design-matrix protocol (glmstats.engine.matrix): the dense and the factor-codes implementations agree
operation by operation, a factor design is never an ndarray in disguise, and a third implementation (here a
test double holding its rows in chunks, as a Dask-backed matrix would) fits a GLM with no other change.

Expected values come from plain numpy on the dense matrix built independently from the codes.
"""

import dataclasses

import numpy as np
import pytest

import glmstats as gs
from glmstats.engine import blocks
from glmstats.engine.data import GLMData
from glmstats.engine.factor_matrix import FactorMatrix
from glmstats.engine.gram import CrossProducts
from glmstats.engine.irls import irls
from glmstats.engine.matrix import DenseMatrix, DesignMatrix


def _factor_design(n=2500, levels=(5, 90), seed=0):
    """A FactorMatrix and its dense equivalent built by hand (dummy columns from the codes)."""
    rng = np.random.default_rng(seed)
    dense = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    factors, start, columns = [], dense.shape[1], [dense]
    for L in levels:
        codes = rng.integers(0, L, n)
        factors.append((codes, np.arange(start, start + L - 1)))
        columns.append((codes[:, None] == np.arange(1, L)[None, :]).astype(float))
        start += L - 1
    return FactorMatrix(dense, [0, 1, 2], factors, start), np.hstack(columns)


def test_factor_and_dense_implementations_agree():
    F, A = _factor_design()
    D = DenseMatrix(A)
    rng = np.random.default_rng(1)
    b, v = rng.normal(size=A.shape[1]), rng.normal(size=A.shape[0])
    for M in (F, D):
        assert isinstance(M, DesignMatrix) and M.shape == A.shape
        np.testing.assert_allclose(M.matvec(b), A @ b, rtol=1e-12)
        np.testing.assert_allclose(M.rmatvec(v), A.T @ v, rtol=1e-12, atol=1e-10)
        np.testing.assert_array_equal(M.rows(slice(100, 300)).to_dense(), A[100:300])
        idx = rng.choice(A.shape[0], 50, replace=False)
        np.testing.assert_array_equal(M.rows(idx).to_dense(), A[idx])
        cols = rng.permutation(A.shape[1])[:40]  # any order, factor levels dropped
        sub = M.columns(cols)
        assert type(sub) is type(M)
        np.testing.assert_array_equal(sub.to_dense(), A[:, cols])
        np.testing.assert_allclose(sub.matvec(b[:40]), A[:, cols] @ b[:40], rtol=1e-12)
    assert [j for j, _ in F.numeric_columns()] == [0, 1, 2]
    assert [j for j, _ in D.numeric_columns()] == list(range(A.shape[1]))


def test_cross_product_accumulators_agree_and_solve_alike():
    F, A = _factor_design(levels=(5, 80))  # 79 levels: the largest factor is eliminated first (Schur)
    rng = np.random.default_rng(2)
    w, z = rng.uniform(0.2, 3.0, A.shape[0]), rng.normal(size=A.shape[0])
    accs = []
    for M in (F, DenseMatrix(A)):
        acc = M.cross_products()
        for sl in blocks.row_blocks(A.shape[0], 700):
            acc.add(M.rows(sl), w[sl], z[sl])
        accs.append(acc)
    G = A.T @ (A * w[:, None])
    for acc in accs:
        np.testing.assert_allclose(acc.xtwx, G, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(acc.solve(1e-7).beta, np.linalg.solve(G, A.T @ (w * z)), rtol=1e-8, atol=1e-10)
    kept = np.ones(A.shape[1], dtype=bool)
    r_f, cov_f, _ = accs[0].covariance(kept)
    r_d, _, _ = accs[1].covariance(kept)
    assert r_f is None  # the factor's block inverse: no triangular factor formed
    np.testing.assert_allclose(cov_f, np.linalg.inv(G), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(r_d.T @ r_d, G, rtol=1e-12, atol=1e-9)


def test_a_factor_design_does_not_pose_as_an_ndarray():
    F, _ = _factor_design(n=50)
    for attr in ("__array__", "__getitem__", "__matmul__", "ndim", "dtype"):
        assert not hasattr(F, attr), attr
    assert np.asarray(F, dtype=object).shape == ()  # numpy sees one object, not a matrix


def test_narrow_dense_designs_take_the_general_product_in_one_thread():
    narrow, wide = DenseMatrix(np.ones((1000, 3))), DenseMatrix(np.ones((1000, blocks.SMALL_P + 1)))
    assert narrow.cross_products(one_thread=True).transposed and not narrow.cross_products().transposed
    assert not wide.cross_products(one_thread=True).transposed
    assert narrow.block_rows(one_thread=True) < narrow.block_rows() or narrow.block_rows() == 256


@dataclasses.dataclass
class ChunkedMatrix(DesignMatrix):
    """A test double: rows held in separate chunks (as partitions of a distributed frame would be)."""

    chunks: list

    def __post_init__(self):
        self.shape = (sum(c.shape[0] for c in self.chunks), self.chunks[0].shape[1])

    def _all(self):
        return np.vstack(self.chunks)

    def rows(self, key):
        return ChunkedMatrix([self._all()[key]])

    def matvec(self, beta):
        return np.concatenate([c @ beta for c in self.chunks])

    def rmatvec(self, v):
        out, start = 0.0, 0
        for c in self.chunks:
            out = out + v[start:start + c.shape[0]] @ c
            start += c.shape[0]
        return out

    def cross_products(self, one_thread=False):
        return _DensifyingCrossProducts(self.shape[1])

    def block_rows(self, one_thread=False):
        return blocks.block_rows(self.shape[0], self.shape[1])

    def columns(self, cols):
        return ChunkedMatrix([c[:, cols] for c in self.chunks])

    def to_dense(self):
        return self._all()

    def numeric_columns(self):
        return list(enumerate(self._all().T))


class _DensifyingCrossProducts(CrossProducts):
    def add(self, X, w, z):
        super().add(DenseMatrix(X.to_dense()), w, z)


def test_a_third_implementation_fits_like_the_dense_one():
    rng = np.random.default_rng(4)
    n = 3000
    A = np.column_stack([np.ones(n), rng.normal(size=(n, 3))])
    y = rng.poisson(np.exp(0.2 + A[:, 1:] @ np.array([0.3, -0.2, 0.1]))).astype(float)
    ones, zeros = np.broadcast_to(1.0, (n,)), np.broadcast_to(0.0, (n,))
    fam = gs.families.Poisson()
    dense = irls(GLMData(X=A, y=y, weights=ones, offset=zeros), fam, tol=1e-12)
    chunked = irls(GLMData(X=ChunkedMatrix([A[:1000], A[1000:]]), y=y, weights=ones, offset=zeros), fam, tol=1e-12)
    np.testing.assert_allclose(chunked.beta, dense.beta, rtol=1e-12)
    np.testing.assert_allclose(chunked.unscaled_cov(), dense.unscaled_cov(), rtol=1e-10)
    assert chunked.n_iter == dense.n_iter


@pytest.mark.parametrize("threads", ["1", "2"])
def test_penalized_passes_run_on_the_threaded_engine(threads, monkeypatch):
    """fit_regularized: the same coefficients in one thread or two (partitions summed in a fixed order)."""
    monkeypatch.setattr(blocks, "PARTITION_ELEMENTS", 2000)  # several partitions on small data
    monkeypatch.setenv("GLMSTATS_NUM_THREADS", threads)
    rng = np.random.default_rng(5)
    n = 4000
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 6))])
    y = rng.poisson(np.exp(0.3 + X[:, 1:] @ rng.uniform(-0.3, 0.3, 6))).astype(float)
    res = gs.GLM(y, X, family="poisson").fit_regularized(alpha=0.01, l1_ratio=0.5)
    monkeypatch.setenv("GLMSTATS_NUM_THREADS", "1")
    monkeypatch.setattr(blocks, "PARTITION_ELEMENTS", 1 << 40)  # one partition
    one = gs.GLM(y, X, family="poisson").fit_regularized(alpha=0.01, l1_ratio=0.5)
    np.testing.assert_allclose(res.params, one.params, rtol=1e-10, atol=1e-12)
    assert res.converged and res.kkt_max < 1e-8


def test_the_intercept_matrix_is_a_column_of_ones_made_by_blocks():
    """InterceptMatrix (the null model's refit) answers as DenseMatrix(ones) does, and fits the same intercept."""
    from glmstats.engine.matrix import InterceptMatrix

    n = 3000
    rng = np.random.default_rng(5)
    X, ones = InterceptMatrix(n), DenseMatrix(np.ones((n, 1)))
    v = rng.normal(size=n)
    assert X.shape == ones.shape and X.block_rows() == ones.block_rows()
    np.testing.assert_array_equal(X.matvec(np.array([0.7])), ones.matvec(np.array([0.7])))
    np.testing.assert_allclose(X.rmatvec(v), ones.rmatvec(v), rtol=1e-14)
    np.testing.assert_array_equal(X.rows(slice(10, 50)).to_dense(), np.ones((40, 1)))
    np.testing.assert_array_equal(X.rows(np.array([3, 4, 9])).to_dense(), np.ones((3, 1)))
    assert X.columns([0]) is X and X.numeric_columns() == []
    y = rng.poisson(2.0, n).astype(float)
    offset = rng.normal(0, 0.3, n)
    unit = np.broadcast_to(1.0, n)
    fits = [irls(GLMData(X=M, y=y, weights=unit, offset=offset), gs.families.Poisson(), tol=1e-12) for M in (X, ones)]
    np.testing.assert_array_equal(fits[0].beta, fits[1].beta)
    assert fits[0].deviance == fits[1].deviance
