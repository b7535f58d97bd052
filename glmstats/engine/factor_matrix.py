"""A design matrix whose factor (categorical) columns are kept as integer codes.

A factor with L levels contributes up to L dummy columns, of which each row has at
most one equal to 1. Stored densely, the 2113 columns of three factors with 10, 100
and 2000 levels take 17 GB for a million rows; stored as one integer code per row
and factor they take 12 MB. :class:`FactorMatrix` keeps the numeric columns as a
dense block and each factor as codes, and computes what IRLS needs without ever
forming the dummy columns:

- ``X b`` (``matvec``): the dense part times its coefficients plus, per factor, a lookup of the
  level's coefficient; ``X'v`` (``rmatvec``): the dense part's product plus per-level sums;
- X'WX and X'Wz (:class:`FactorCrossProducts`): the dense block's cross-product, the
  weighted level counts (a diagonal block per factor), the weighted per-level sums
  of the dense columns (factor x dense blocks) and the weighted counts of level
  pairs (factor x factor blocks).

- a subset of columns (``columns``): the kept dense columns, and per factor its codes looked up
  in a table that sends a dropped level's code to 0 ("no column"), so that the n x p dummy matrix
  is never formed (anova, drop1 and profile intervals refit column subsets).

It implements the design-matrix protocol (:mod:`glmstats.engine.matrix`).

Code 0 means "no column" (the reference level of a treatment contrast); code c >= 1
means column ``cols[c - 1]``.
"""

import numpy as np
from scipy import sparse

from . import blocks, linalg
from .gram import cholesky_covariance
from .matrix import DesignMatrix

__all__ = ["FactorMatrix", "FactorCrossProducts"]


class FactorMatrix(DesignMatrix):
    """An n x p design: dense columns plus factors kept as codes.

    Parameters
    ----------
    dense : ndarray (n, p_dense)
        The numeric columns.
    dense_cols : sequence of int
        Their positions among the p columns.
    factors : list of (codes, cols)
        ``codes``: int array (n,), 0 = no column, c = column ``cols[c - 1]``; ``cols``: positions.
    p : int
        Total number of columns.
    """

    def __init__(self, dense, dense_cols, factors, p):
        self.dense = np.ascontiguousarray(dense, dtype=float)
        self.dense_cols = np.asarray(dense_cols, dtype=np.intp)
        # np.intp: bincount would convert any other integer type on every call
        self.factors = [(np.asarray(codes, dtype=np.intp), np.asarray(cols, dtype=np.intp))
                        for codes, cols in factors]
        self.shape = (self.dense.shape[0], int(p))

    def rows(self, key):
        """The rows ``key`` (slice or index array) as a FactorMatrix."""
        return FactorMatrix(self.dense[key], self.dense_cols, [(c[key], cols) for c, cols in self.factors],
                            self.shape[1])

    def matvec(self, beta):
        beta = np.asarray(beta, dtype=float)
        eta = np.dot(self.dense, beta[self.dense_cols])  # np.dot releases the GIL (glmstats.engine.gram)
        for codes, cols in self.factors:
            eta += np.concatenate(([0.0], beta[cols]))[codes]
        return eta

    def rmatvec(self, v):
        out = np.zeros(self.shape[1])
        out[self.dense_cols] = np.dot(v, self.dense)
        for codes, cols in self.factors:
            out[cols] = np.bincount(codes, weights=v, minlength=len(cols) + 1)[1:]
        return out

    def cross_products(self, one_thread=False):
        return FactorCrossProducts(self)

    def block_rows(self, one_thread=False):
        return blocks.FACTOR_BLOCK_ROWS

    def columns(self, cols):
        """The columns ``cols`` as a FactorMatrix: a factor's dropped levels get code 0 (no column)."""
        cols = np.asarray(cols, dtype=np.intp)
        where = np.full(self.shape[1], -1, dtype=np.intp)
        where[cols] = np.arange(cols.size)
        keep = np.flatnonzero(where[self.dense_cols] >= 0)
        dense = self.dense if keep.size == self.dense.shape[1] else np.take(self.dense, keep, axis=1)
        factors = []
        for codes, fcols in self.factors:
            new = where[fcols]
            kept = new >= 0
            if kept.all():
                factors.append((codes, new))
            elif kept.any():
                lookup = np.zeros(fcols.size + 1, dtype=np.intp)
                lookup[1:][kept] = np.arange(1, int(kept.sum()) + 1)
                factors.append((lookup[codes], new[kept]))
        return FactorMatrix(dense, where[self.dense_cols[keep]], factors, cols.size)

    def to_dense(self):
        """The dense n x p matrix (only for small row blocks: this is what the class avoids)."""
        n, p = self.shape
        out = np.zeros((n, p))
        out[:, self.dense_cols] = self.dense
        rows = np.arange(n)
        for codes, cols in self.factors:
            hit = codes > 0
            out[rows[hit], cols[codes[hit] - 1]] = 1.0
        return out

    def numeric_columns(self):
        return [(int(j), self.dense[:, i]) for i, j in enumerate(self.dense_cols)]

    def __repr__(self):
        return (f"FactorMatrix({self.shape[0]} x {self.shape[1]}: {self.dense.shape[1]} dense columns, "
                f"factors of {[len(c) + 1 for _, c in self.factors]} codes)")


def _one_hot(codes, n_levels, values):
    """Sparse (n_levels x n) matrix with ``values`` at (codes[i], i)."""
    n = codes.shape[0]
    return sparse.csr_matrix((values, (codes, np.arange(n))), shape=(n_levels, n))


class FactorCrossProducts:
    """Accumulates X'WX and X'Wz of a :class:`FactorMatrix` over row blocks, by blocks of structure.

    Notes
    -----
    With D the dense columns and F_k the dummy columns of factor k (level counts
    including the "no column" code 0):

    - D'WD: a symmetric rank-k update;
    - F_k'WF_k = diag(sum of w per level);
    - F_k'WD: per-level sums of w * D (a sparse one-hot times D);
    - F_j'WF_k: weighted counts of level pairs (one ``bincount`` on the pair codes);
    - X'Wz: D'Wz and per-level sums of w * z.
    """

    def __init__(self, template):
        self.template = template
        pd_ = template.dense.shape[1]
        self.dd = np.zeros((pd_, pd_))
        self.dz = np.zeros(pd_)
        sizes = [len(cols) + 1 for _, cols in template.factors]
        self.diag = [np.zeros(s) for s in sizes]
        self.fz = [np.zeros(s) for s in sizes]
        self.fd = [np.zeros((pd_, s)) for s in sizes]  # dense columns x levels
        self.ff = {(j, k): np.zeros((sizes[j], sizes[k])) for k in range(len(sizes)) for j in range(k)}
        self._assembled = None

    def add(self, X, w, z):
        D = X.dense
        Ds = D * np.sqrt(w)[:, None]
        self.dd += np.dot(Ds.T, Ds)
        wz = w * z
        self.dz += np.dot(D.T, wz)
        codes = [c for c, _ in X.factors]
        few_dense = 0 < D.shape[1] <= 32
        wd = D.T * w if few_dense else None  # (p_dense, n): contiguous rows for bincount
        for k, c in enumerate(codes):
            size = self.diag[k].shape[0]
            self.diag[k] += np.bincount(c, weights=w, minlength=size)
            self.fz[k] += np.bincount(c, weights=wz, minlength=size)
            if few_dense:
                for j in range(D.shape[1]):
                    self.fd[k][j] += np.bincount(c, weights=wd[j], minlength=size)
            elif D.shape[1]:
                self.fd[k] += (_one_hot(c, size, w) @ D).T
            for j in range(k):
                sj = self.diag[j].shape[0]
                pair = codes[j] * size + c
                self.ff[(j, k)] += np.bincount(pair, weights=w, minlength=sj * size).reshape(sj, size)
        self._assembled = None

    def merge(self, other):
        """Add another accumulator's sums (partitions combined)."""
        self.dd += other.dd
        self.dz += other.dz
        for mine, theirs in ((self.diag, other.diag), (self.fz, other.fz), (self.fd, other.fd)):
            for a, b in zip(mine, theirs):
                a += b
        for key, block in other.ff.items():
            self.ff[key] += block
        self._assembled = None
        return self

    @property
    def diagonal_cols(self):
        """Columns of the largest factor: their block of X'WX is diagonal (each row has one level), so the
        solve can eliminate them first (:func:`glmstats.engine.linalg.solve_schur`); None when no factor is large."""
        sizes = [len(cols) for _, cols in self.template.factors]
        if not sizes or max(sizes) < 64:
            return None
        return self.template.factors[int(np.argmax(sizes))][1]

    def _parts(self):
        """(row positions, column positions, values) of every stored block of X'WX (the diagonal blocks of
        the factors as vectors, with ``None`` for their column positions)."""
        t = self.template
        dc = t.dense_cols
        cols = [c for _, c in t.factors]
        yield dc, dc, self.dd
        for k, ck in enumerate(cols):
            yield ck, None, self.diag[k][1:]
            yield dc, ck, self.fd[k][:, 1:]
            for j in range(k):
                yield cols[j], ck, self.ff[(j, k)][1:, 1:]

    def block(self, rows, cols):
        """X'WX[rows][:, cols] (positions), filled from the stored blocks without forming X'WX."""
        p = self.template.shape[1]
        where_r = np.full(p, -1)
        where_r[rows] = np.arange(len(rows))
        where_c = np.full(p, -1)
        where_c[cols] = np.arange(len(cols))
        out = np.zeros((len(rows), len(cols)))
        for r_pos, c_pos, values in self._parts():
            if c_pos is None:  # a diagonal block
                i, j = where_r[r_pos], where_c[r_pos]
                hit = (i >= 0) & (j >= 0)
                out[i[hit], j[hit]] = values[hit]
                continue
            for a_pos, b_pos, vals, wa, wb in ((r_pos, c_pos, values, where_r, where_c),
                                               (c_pos, r_pos, values.T, where_r, where_c)):
                ia, jb = wa[a_pos], wb[b_pos]
                sa, sb = np.flatnonzero(ia >= 0), np.flatnonzero(jb >= 0)
                if sa.size and sb.size:
                    out[np.ix_(ia[sa], jb[sb])] = vals[np.ix_(sa, sb)]
                if a_pos is b_pos:  # the dense block is symmetric and stored once
                    break
        return out

    def rhs(self, cols):
        """X'Wz[cols]."""
        t = self.template
        b = np.zeros(t.shape[1])
        b[t.dense_cols] = self.dz
        for k, (_, ck) in enumerate(t.factors):
            b[ck] = self.fz[k][1:]
        return b[cols]

    def solve(self, rank_tol):
        """The step with the largest factor eliminated first when it is large (:func:`glmstats.engine.linalg.
        solve_schur`), else by Cholesky of the whole X'WX; None when the QR route is needed."""
        parts = self.schur_parts()
        step = linalg.solve_schur(parts) if parts is not None else None
        return step if step is not None else linalg.solve_cholesky(self.xtwx, self.xtwz)

    def covariance(self, kept):
        """(r, cov_unscaled, gram): the inverse by blocks (r computed on demand from this accumulator) when a
        large factor allows it, else the Cholesky factor of X_k'WX_k; None when the QR route is needed."""
        parts = self.schur_parts() if kept.all() else None
        cov = linalg.schur_inverse(parts) if parts is not None else None
        if cov is not None:
            return None, cov, self
        return cholesky_covariance(self, kept)

    def schur_parts(self):
        """The pieces :func:`glmstats.engine.linalg.solve_schur` needs, or None without a large factor."""
        d = self.diagonal_cols
        if d is None:
            return None
        k = [len(c) for _, c in self.template.factors].index(len(d))
        o = np.setdiff1d(np.arange(self.template.shape[1]), d)
        return linalg.SchurParts(others=o, diag_cols=np.asarray(d), a=self.block(o, o), b=self.block(o, d),
                                 dg=self.diag[k][1:].copy(), z_o=self.rhs(o), z_d=self.rhs(d))

    @property
    def xtwx(self):
        if self._assembled is None:
            p = self.template.shape[1]
            self._assembled = self.block(np.arange(p), np.arange(p))
        return self._assembled

    @property
    def xtwz(self):
        return self.rhs(np.arange(self.template.shape[1]))
