"""Newton's method on the multinomial logit likelihood, on arrays (``gs.multinom``).

With J classes (code 0 the reference), K = J - 1 linear predictors eta_k = X b_k and the
frequency weights w, each iteration is one pass over the rows, in row blocks and in the
partitions of :mod:`glmstats.engine.blocks` (threads, summed in a fixed order):

    log-likelihood  sum_i w_i (eta_{i, y_i} - log sum_k exp(eta_ik))        (eta_i0 = 0)
    gradient        X'W(Y - P)                                              (p x K)
    information     blocks X' diag(w p_k (delta_kl - p_l)) X                (pK x pK, class-major)

then a solve (:func:`glmstats.engine.linalg.solve_spd`, the equilibrated Cholesky IRLS uses)
and step-halving (:func:`glmstats.engine.stephalving.halve_step`) while the log-likelihood is not
finite or decreases; the convergence rule is R's glm.fit rule on the deviance -2 llf.
"""

import numpy as np

from ..families import Gaussian
from .blocks import block_rows, map_partitions, row_blocks
from .data import GLMData
from .linalg import solve_spd
from .passes import evaluate
from .stephalving import halve_step
from .trace import DEVIANCE_COLUMNS, DEVIANCE_MESSAGE, Trace

__all__ = ["multinomial_derivs", "newton_multinomial", "kept_columns", "MAX_HALVINGS"]

#: Halvings of a Newton step before the fit gives up (a finite, non-decreasing log-likelihood not found).
MAX_HALVINGS = 60


def multinomial_derivs(X, codes, w, B):
    """Log-likelihood, gradient (p, K) and information matrix (pK, pK, class-major) at B.

    X is a design matrix (its dense row blocks are read); ``codes`` the class codes (0 the reference),
    ``w`` the frequency weights. Accumulated over row blocks: per block the n_b x K probabilities and
    K(K+1)/2 weighted cross-products X_b' diag(c) X_b.
    """
    n, p = X.shape
    K = B.shape[1]
    rows_per_block = block_rows(n, p * (K + 1))

    def partition(rows):
        lo, hi = rows
        ll = 0.0
        grad = np.zeros((p, K))
        info = np.zeros((p * K, p * K))
        for sl in row_blocks(hi - lo, rows_per_block):
            sl = slice(sl.start + lo, sl.stop + lo)
            Xb, cb, wb = X.rows(sl).to_dense(), codes[sl], w[sl]
            eta = np.column_stack([np.zeros(Xb.shape[0]), np.dot(Xb, B)])
            top = eta.max(axis=1, keepdims=True)
            lse = top[:, 0] + np.log(np.exp(eta - top).sum(axis=1))
            ll += float(np.sum(wb * (eta[np.arange(len(cb)), cb] - lse)))
            P = np.exp(eta[:, 1:] - lse[:, None])
            resid = -P
            resid[np.arange(len(cb)), cb - 1] += (cb > 0)  # class indicators minus probabilities
            grad += np.dot(Xb.T, wb[:, None] * resid)  # np.dot releases the GIL (glmstats.engine.gram)
            for k in range(K):
                for m in range(k, K):
                    c = wb * P[:, k] * ((k == m) - P[:, m])
                    block = np.dot(Xb.T, Xb * c[:, None])
                    info[k * p:(k + 1) * p, m * p:(m + 1) * p] += block
                    if m != k:
                        info[m * p:(m + 1) * p, k * p:(k + 1) * p] += block.T
        return ll, grad, info

    parts = map_partitions(partition, n, p * (K + 1))
    ll, grad, info = parts[0]
    for part_ll, part_grad, part_info in parts[1:]:
        ll, grad, info = ll + part_ll, grad + part_grad, info + part_info
    return ll, grad, info


def newton_multinomial(X, codes, w, B, maxiter, tol, label="Newton"):
    """Maximise the multinomial log-likelihood from B (p x K) by Newton's method.

    ``label`` starts the DEBUG record logged per iteration on ``glmstats.fit`` (None: no records).

    Returns
    -------
    (B, llf, information, converged, n_iter, history) : tuple
        ``history`` (a :class:`~glmstats.engine.trace.History`) has one row per iteration: the deviance
        -2 llf, its relative change |dev - dev_old| / (|dev| + 0.1) and the step-halvings.

    Raises
    ------
    ValueError
        The log-likelihood is not finite at the starting values.
    FloatingPointError
        Step-halving found no finite, non-decreasing log-likelihood.
    """
    K = B.shape[1]
    ll, grad, info = multinomial_derivs(X, codes, w, B)
    if not np.isfinite(ll):
        raise ValueError("the log-likelihood is not finite at the starting values")
    converged, n_iter = False, 0
    trace = Trace(label, DEVIANCE_COLUMNS, DEVIANCE_MESSAGE)
    for n_iter in range(1, maxiter + 1):
        step = solve_spd(info, grad.T.ravel()).reshape(K, -1).T
        dev_old = -2.0 * ll
        floor = ll - 1e-12 * (abs(ll) + 1.0)  # a decrease beyond rounding noise means Newton overshot
        found, (ll_new, grad, info), halvings = halve_step(lambda b: multinomial_derivs(X, codes, w, b),
                                                     lambda d: np.isfinite(d[0]) and d[0] >= floor,
                                                     B + step, B, MAX_HALVINGS)
        if found is None:
            raise FloatingPointError("step-halving failed to find a finite, non-decreasing log-likelihood")
        B, ll = found, ll_new
        change = abs(-2.0 * ll - dev_old) / (abs(-2.0 * ll) + 0.1)
        trace.record(n_iter, -2.0 * ll, change, halvings)
        if change < tol:
            converged = True
            break
    return B, ll, info, converged, n_iter, trace.finish(converged)


def kept_columns(X, tol):
    """R's aliasing rule on the unweighted design X (which columns are not combinations of earlier ones): the
    kept columns of the least-squares problem an IRLS step solves, X'X by the design's own cross-products,
    R's pivoted QR only when their Cholesky declines."""
    n, p = X.shape
    data = GLMData(X=X, y=np.zeros(n), weights=np.broadcast_to(1.0, (n,)), offset=np.broadcast_to(0.0, (n,)))
    step = evaluate(data, Gaussian(), beta=np.zeros(p)).acc.solve(tol)
    if step is None:
        step = evaluate(data, Gaussian(), beta=np.zeros(p), use_qr=True).acc.solve(tol)
    return step.kept
