"""The one matrix operation IRLS needs: weighted cross-products accumulated over row blocks.

Each IRLS iteration reduces the n rows of (X, z) with working weights w to p x p
summaries, one row block at a time, so that no n-by-p temporary is ever formed
and the same code serves an in-memory fit, a chunked one, or a sum over
partitions:

- :class:`CrossProducts` accumulates X'WX and X'Wz (fast: one symmetric rank-k
  update per block);
- :class:`RightHandSide` accumulates X'Wz alone when X'WX is known (working weights
  that do not change between iterations);
- :class:`TriangularFactor` accumulates the R factor of the QR decomposition of
  [W^(1/2) X, W^(1/2) z] by stacking each block under the current R (a "tall
  skinny" QR), which is as accurate as a QR of the whole weighted design.  IRLS
  falls back to it when X'WX is too ill-conditioned for a Cholesky solve.

Both reduce to the same summary, an upper-triangular R with R'R = X'WX and the
projection q = R^{-T} X'Wz, which :mod:`glmstats.engine.linalg` solves. Every accumulator has the
same interface: ``add(X_block, w, z)`` (X_block a design matrix, :mod:`glmstats.engine.matrix`),
``merge(other)``, ``solve(rank_tol)`` (the step, or None when the QR route is needed) and
``covariance(kept)`` (what the covariance needs, or None likewise); a design matrix with another
structure brings its own (:class:`glmstats.engine.factor_matrix.FactorCrossProducts`).

The block products are written ``np.dot(A, B)``, not ``A @ B``: numpy's matmul keeps the GIL
during its BLAS call, np.dot releases it, and only then do the partitions of a pass, evaluated
in threads (:mod:`glmstats.engine.passes`), run their products in parallel (measured here: two threads
took as long as one with ``@``, half as long with np.dot).
"""

import numpy as np

from . import linalg
from .blocks import qr_block_rows, scratch

__all__ = ["NormalEquations", "CrossProducts", "RightHandSide", "TriangularFactor", "cholesky_covariance"]


def cholesky_covariance(acc, kept):
    """``(r, None, None)`` with r the triangular factor of X_k'WX_k for the kept columns, from an accumulator's
    X'WX; None when its equilibrated Cholesky declines (the QR route is needed)."""
    step = linalg.solve_cholesky(acc.xtwx[np.ix_(kept, kept)], acc.xtwz[kept])
    return None if step is None else (step.r, None, None)


class NormalEquations:
    """What the accumulators of X'WX and X'Wz share: the step and the covariance from the normal equations."""

    def solve(self, rank_tol):
        """The weighted least-squares step by Cholesky, or None (ill-conditioned: use the QR route)."""
        return linalg.solve_cholesky(self.xtwx, self.xtwz)

    def covariance(self, kept):
        return cholesky_covariance(self, kept)


class CrossProducts(NormalEquations):
    """Accumulates X'WX and X'Wz over row blocks.

    Parameters
    ----------
    p : int
        Number of columns of X.
    transposed : bool
        Accumulate by the general product (X_b' W) X_b (for a narrow design in one thread, in small blocks:
        see :mod:`glmstats.engine.blocks`).

    Notes
    -----
    Each block adds B'B with B = [W^(1/2) X_b, W^(1/2) z_b] (one symmetric BLAS product):
    its leading p x p block is X_b'WX_b and its last column X_b'Wz_b. With ``transposed`` it
    adds T X_b and T z_b with T = X_b' W (p x n_b) instead, and X'WX is symmetrised when read.
    B and T are the thread's scratch arrays (:func:`scratch`), reused from block to block and from
    pass to pass.
    """

    def __init__(self, p, transposed=False):
        self.p = p
        self.transposed = transposed
        self._aug = np.zeros((p + 1, p + 1))

    def add(self, X, w, z):
        """Add the block's X'WX and X'Wz (X: a dense row block; w: working weights, z: working response)."""
        X = X.array
        m, p = X.shape[0], self.p
        if self.transposed:
            T = scratch("cross_products_t", p * m).reshape(p, m)
            np.multiply(X.T, w, out=T)
            self._aug[:p, :p] += np.dot(T, X)  # np.dot, not @: see the module notes
            self._aug[:p, p] += np.dot(T, z)
            return
        B = scratch("cross_products", m, p + 1)
        sw = np.sqrt(w)
        np.multiply(X, sw[:, None], out=B[:, :p])
        np.multiply(z, sw, out=B[:, p])
        self._aug += np.dot(B.T, B)  # np.dot, not @: see the module notes

    def merge(self, other):
        """Add another accumulator's sums (partitions combined)."""
        self._aug += other._aug  # noqa: SLF001 -- the same class
        return self

    @property
    def xtwx(self):
        a = self._aug[:self.p, :self.p]
        return (a + a.T) / 2.0 if self.transposed else a

    @property
    def xtwz(self):
        return self._aug[:self.p, self.p]


class RightHandSide(NormalEquations):
    """Accumulates X'Wz alone, for a known X'WX (working weights that do not change between iterations).

    Parameters
    ----------
    xtwx : ndarray (p, p)
        The fixed X'WX.
    """

    def __init__(self, xtwx):
        self.xtwx = xtwx
        self.xtwz = np.zeros(xtwx.shape[0])

    def add(self, X, w, z):
        self.xtwz += X.rmatvec(w * z)

    def merge(self, other):
        self.xtwz += other.xtwz
        return self


class TriangularFactor:
    """Accumulates the R factor of the QR decomposition of [W^(1/2) X, W^(1/2) z] over row blocks.

    Notes
    -----
    With R_aug the (p+1) x (p+1) factor so far, adding a block B = [W^(1/2) X_b, W^(1/2) z_b]
    replaces R_aug by the R factor of [R_aug; B]: the Householder reflections that
    reduce the stacked matrix are orthogonal, so the final factor is that of all rows.
    The last column holds q = Q'W^(1/2)z; its last entry is the residual norm.
    """

    def __init__(self, p):
        self.p = p
        self.r_aug = np.zeros((0, p + 1))

    def add(self, X, w, z):
        # in pieces (a block of a structured design, factor codes, is densified a few rows at a time)
        step = qr_block_rows(self.p + 1)
        for start in range(0, X.shape[0], step):
            sl = slice(start, start + step)
            xb = X.rows(sl).to_dense() if X.shape[0] > step else X.to_dense()
            sw = np.sqrt(w[sl])
            block = np.empty((xb.shape[0], self.p + 1))
            block[:, :self.p] = xb * sw[:, None]
            block[:, self.p] = z[sl] * sw
            self.r_aug = np.linalg.qr(np.vstack([self.r_aug, block]), mode="r")

    def merge(self, other):
        self.r_aug = np.linalg.qr(np.vstack([self.r_aug, other.r_aug]), mode="r")
        return self

    @property
    def r(self):
        """The p x p upper-triangular factor (rows padded with zeros when fewer than p rows were seen)."""
        out = np.zeros((self.p, self.p))
        k = min(self.r_aug.shape[0], self.p)
        out[:k] = self.r_aug[:k, :self.p]
        return out

    @property
    def qtz(self):
        out = np.zeros(self.p)
        k = min(self.r_aug.shape[0], self.p)
        out[:k] = self.r_aug[:k, self.p]
        return out

    def solve(self, rank_tol):
        """The step by R's pivoting rule (:func:`glmstats.engine.linalg.solve_qr`); never None."""
        return linalg.solve_qr(self.r, self.qtz, rank_tol)

    def covariance(self, kept):
        r = self.r[:, kept]
        return (np.linalg.qr(r, mode="r") if r.shape[1] else np.zeros((0, 0))), None, None
