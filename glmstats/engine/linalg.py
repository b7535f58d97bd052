"""Solving the weighted least-squares step from its p x p summaries, with R's aliasing rule.

Two routes lead to the same :class:`Step`:

- :func:`solve_cholesky` from X'WX and X'Wz: a Cholesky factorisation of the
  column-equilibrated cross-product. It declines (returns None) when any column is
  nearly a combination of the earlier ones, which is also when it would lose accuracy;
- :func:`solve_qr` from the R factor of the weighted design (see
  :class:`glmstats.engine.gram.TriangularFactor`): R's limited-pivoting rule of LINPACK's
  ``dqrdc2`` (used by ``glm.fit``) decides which columns are aliased.

One equilibrated Cholesky factorisation (:func:`equilibrated_cholesky`) serves both the
IRLS step and the Newton step of the multinomial model (:func:`solve_spd`, :func:`inverse_spd`).

Threshold. The Cholesky route is used when every pivot of the equilibrated X'WX
is at least ``MIN_PIVOT`` = 1e-4, i.e. no column has less than 1e-4 of its (weighted)
norm outside the span of the columns before it; this bounds the condition number of
the equilibrated X'WX near 1e8, so the solve keeps about 8 significant digits at
least.  Otherwise the step is recomputed by the QR route.
"""

from dataclasses import dataclass

import numpy as np
from .._lazy import scipy_linalg as linalg

__all__ = ["Step", "SchurParts", "equilibrated_cholesky", "solve_cholesky", "solve_schur", "solve_qr", "solve_spd",
           "inverse_spd", "MIN_PIVOT", "unscaled_cov", "schur_inverse"]

MIN_PIVOT = 1e-4

#: Up to this many columns, triangular systems are solved with numpy's LU solver (microseconds at this
#: size, and a first fit then never imports scipy.linalg, ~0.1 s); above it with scipy's BLAS trsm.
NUMPY_SOLVE_MAX_P = 300


def solve_triangular(a, b, lower=False):
    """Solve a x = b for a triangular ``a`` (lower or upper)."""
    if a.shape[0] <= NUMPY_SOLVE_MAX_P:
        return np.linalg.solve(a, b)
    return linalg.solve_triangular(a, b, lower=lower, check_finite=False)


@dataclass
class Step:
    """The solution of one weighted least-squares problem.

    Attributes
    ----------
    beta : ndarray (p,)
        Coefficients, 0 for aliased columns (R's predictions treat NA as 0).
    kept : ndarray of bool (p,)
        False for aliased columns.
    r : ndarray (k, k) or None
        Upper-triangular factor of X_k'WX_k for the k kept columns (None from :func:`solve_schur`).
    """

    beta: np.ndarray
    kept: np.ndarray
    r: np.ndarray

    @property
    def rank(self):
        return int(self.kept.sum())


def equilibrated_cholesky(a):
    """``(lower, d)`` with lower lower' = D^-1 A D^-1, D = diag(A)^(1/2); None when A is not positive definite.

    The diagonal of ``lower`` holds the relative residual norms of each column regressed on the
    earlier ones (in the metric A): the quantity R's ``dqrdc2`` compares with its tolerance.
    """
    d = np.sqrt(np.diag(a))
    if not (np.all(np.isfinite(d)) and np.all(d > 0)):
        return None
    try:
        return np.linalg.cholesky(a / np.outer(d, d)), d
    except np.linalg.LinAlgError:
        return None


def solve_cholesky(xtwx, xtwz, min_pivot=MIN_PIVOT):
    """Solve X'WX b = X'Wz by Cholesky, or return None when the QR route is needed.

    Notes
    -----
    Declines when a pivot of the equilibrated X'WX (:func:`equilibrated_cholesky`) is below
    ``min_pivot``: a column nearly a combination of the earlier ones.
    """
    found = equilibrated_cholesky(xtwx) if np.all(np.isfinite(xtwz)) else None
    if found is None:
        return None
    lower, d = found
    if np.min(np.diag(lower)) < min_pivot:
        return None
    beta = solve_triangular(lower.T, solve_triangular(lower, xtwz / d, lower=True)) / d
    p = xtwx.shape[0]
    return Step(beta=beta, kept=np.ones(p, dtype=bool), r=lower.T * d[None, :])


def _unit_scale(a):
    d = np.sqrt(np.diag(a))
    d[~(d > 0)] = 1.0
    return d


def solve_spd(a, b):
    """a^-1 b for a symmetric positive (semi)definite a: equilibrated Cholesky, least squares if it fails."""
    found = equilibrated_cholesky(a)
    if found is None:
        return np.linalg.lstsq(a, b, rcond=None)[0]
    lower, d = found
    return solve_triangular(lower.T, solve_triangular(lower, b / d, lower=True)) / d


def inverse_spd(a):
    """a^-1 for a symmetric positive (semi)definite a (symmetrised): equilibrated Cholesky, the pseudo-inverse of
    the equilibrated matrix if it fails."""
    found = equilibrated_cholesky(a)
    if found is None:
        d = _unit_scale(a)
        inv = np.linalg.pinv(a / np.outer(d, d))
    else:
        lower, d = found
        linv = solve_triangular(lower, np.eye(d.size), lower=True)
        inv = linv.T @ linv
    inv = inv / np.outer(d, d)
    return (inv + inv.T) / 2.0


@dataclass
class SchurParts:
    """X'WX and X'Wz split into a block with a diagonal part: columns ``diag_cols`` (D = diag(dg)) and the
    others (``a`` = their block, ``b`` = others x diag_cols), with X'Wz as ``z_o`` and ``z_d``."""

    others: np.ndarray
    diag_cols: np.ndarray
    a: np.ndarray
    b: np.ndarray
    dg: np.ndarray
    z_o: np.ndarray
    z_d: np.ndarray


def _schur_complement(parts, min_pivot):
    """(B D^-1, the Cholesky Step of S = A - B D^-1 B' with right-hand side z_o - B D^-1 z_d), or None."""
    dg = parts.dg
    if not (np.all(np.isfinite(dg)) and np.all(dg > 0)):
        return None
    bs = parts.b / dg
    inner = solve_cholesky(parts.a - bs @ parts.b.T, parts.z_o - bs @ parts.z_d, min_pivot)
    return None if inner is None else (bs, inner)


def solve_schur(parts, min_pivot=MIN_PIVOT):
    """Solve X'WX b = X'Wz when the block of ``parts.diag_cols`` is diagonal, eliminating it first.

    Notes
    -----
    With the columns split into o (others) and d (diagonal block D), the Schur complement
    S = A - B D^-1 B' of the o-block is small: b_o = S^-1 (z_o - B D^-1 z_d) by
    :func:`solve_cholesky`, then b_d = D^-1 (z_d - B' b_o). A factor with thousands of
    levels then costs O(levels x others^2) instead of a Cholesky of the whole matrix.
    Returns None (use the full route) when D has a non-positive entry or S is ill-conditioned.
    """
    found = _schur_complement(parts, min_pivot)
    if found is None:
        return None
    _, inner = found
    p = parts.others.size + parts.diag_cols.size
    beta = np.empty(p)
    beta[parts.others] = inner.beta
    beta[parts.diag_cols] = (parts.z_d - parts.b.T @ inner.beta) / parts.dg
    return Step(beta=beta, kept=np.ones(p, dtype=bool), r=None)


def schur_inverse(parts, min_pivot=MIN_PIVOT):
    """(X'WX)^-1 when the block of ``parts.diag_cols`` is diagonal, or None (use a full factorisation).

    Notes
    -----
    With S = A - B D^-1 B' (see :func:`solve_schur`):

        inverse_oo = S^-1,   inverse_od = -S^-1 B D^-1,   inverse_dd = D^-1 + D^-1 B' S^-1 B D^-1.

    For a factor with L levels and k other columns this costs O(L^2 k) instead of the
    O((L + k)^3) of a Cholesky of the whole matrix.
    """
    found = _schur_complement(parts, min_pivot)
    if found is None:
        return None
    bs, inner = found
    o, d = parts.others, parts.diag_cols
    s_inv = unscaled_cov(inner.r)
    cross = -s_inv @ bs                               # inverse_od
    cov = np.empty((o.size + d.size,) * 2)
    cov[np.ix_(o, o)] = s_inv
    cov[np.ix_(o, d)] = cross
    cov[np.ix_(d, o)] = cross.T
    dd = -bs.T @ cross                                # D^-1 B' S^-1 B D^-1
    dd[np.diag_indices_from(dd)] += 1.0 / parts.dg
    cov[np.ix_(d, d)] = dd
    return cov


def _kept_columns(r, tol):
    """R's ``dqrdc2`` rule on the columns of R: a column whose norm, after removing its
    projection on the kept earlier columns, falls below ``tol`` times its own norm is aliased."""
    p = r.shape[1]
    basis = np.empty((r.shape[0], p))
    kept = np.zeros(p, dtype=bool)
    k = 0
    for j in range(p):
        v = r[:, j]
        norm = np.linalg.norm(v)
        if norm == 0 or not np.isfinite(norm):
            continue
        q = basis[:, :k]
        res = v - q @ (q.T @ v)
        res -= q @ (q.T @ res)  # twice is enough (Kahan-Parlett)
        rnorm = np.linalg.norm(res)
        if rnorm >= tol * norm:
            basis[:, k] = res / rnorm
            kept[j] = True
            k += 1
    return kept


def solve_qr(r, qtz, tol):
    """Solve the least-squares problem summarised by (R, Q'z), dropping aliased columns as R does.

    Parameters
    ----------
    r : ndarray (p, p)
        Upper-triangular factor of the weighted design.
    qtz : ndarray (p,)
        Q' W^(1/2) z.
    tol : float
        Relative tolerance of the aliasing rule (R's glm.fit: ``min(1e-7, epsilon/1000)``).
    """
    kept = _kept_columns(r, tol)
    p = r.shape[1]
    beta = np.zeros(p)
    if not kept.any():
        return Step(beta=beta, kept=kept, r=np.zeros((0, 0)))
    q2, r2 = np.linalg.qr(r[:, kept])
    beta[kept] = solve_triangular(r2, q2.T @ qtz)
    return Step(beta=beta, kept=kept, r=r2)


def unscaled_cov(r):
    """(R'R)^-1 for an upper-triangular R: the unscaled covariance (X'WX)^-1."""
    if r.shape[0] == 0:
        return np.zeros((0, 0))
    rinv = solve_triangular(r, np.eye(r.shape[0]))
    return rinv @ rinv.T
