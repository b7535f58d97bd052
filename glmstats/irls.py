"""Iteratively reweighted least squares on arrays: R's ``glm.fit``.

One iteration reads the data once, block by block (:func:`_evaluate`): for the
current coefficients it computes eta, mu, the deviance, the domain checks, and the
cross-products of the next weighted least-squares problem, with

    working weights   w_i = prior_i * (d mu / d eta)^2 / V(mu_i)
    working response  z_i = eta_i - offset_i + (y_i - mu_i) / (d mu / d eta)

Solving that problem (:mod:`glmstats.linalg`) gives the next coefficients.  As in
R, the fit starts from the family's ``starting_mu`` (or ``start_params``), halves
the step while the deviance is not finite or eta/mu leave their valid region, and
stops when |dev - dev_old| / (|dev| + 0.1) < tol.  Because the pass that evaluates
the new coefficients also accumulates the cross-products at them, the covariance
comes from the weights at the returned estimate.
"""

from dataclasses import dataclass

import numpy as np

from . import linalg
from .gram import CrossProducts, TriangularFactor, row_blocks

__all__ = ["GLMData", "IRLSFit", "irls", "evaluate_mu", "FitError", "data_blocks", "new_accumulator"]


class FitError(ValueError):
    """IRLS cannot start or cannot find valid coefficients (R's glm.fit errors)."""


@dataclass
class GLMData:
    """The arrays IRLS reads: X (n, p), y (n,), prior weights (n,) = var_weights * freq_weights, offset (n,)."""

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    offset: np.ndarray

    @property
    def shape(self):
        return self.X.shape

    @property
    def all_positive(self):
        """True when every prior weight is positive (the common case: no row drops out)."""
        if not hasattr(self, "_all_positive"):
            self._all_positive = bool(np.all(self.weights > 0))
        return self._all_positive


@dataclass
class IRLSFit:
    """What IRLS returns (arrays only; labelling happens in the results)."""

    beta: np.ndarray          # NaN for aliased columns
    kept: np.ndarray          # False for aliased columns
    r: np.ndarray             # upper-triangular factor of X'WX (kept columns) at beta
    deviance: float
    n_iter: int
    converged: bool
    boundary: bool            # a step was halved in the last iteration
    n_halvings: int
    last_step: np.ndarray     # beta - previous beta at the end (diverging directions under separation)
    eta: np.ndarray = None    # the linear predictor at beta (offset included), kept from the last pass


@dataclass
class _Pass:
    deviance: float
    valid: bool
    acc: object
    eta: np.ndarray


def new_accumulator(X, use_qr=False):
    """The accumulator of one pass: a QR factor, a FactorMatrix's own cross-products, or X'WX and X'Wz."""
    if use_qr:
        return TriangularFactor(X.shape[1])
    return X.cross_products() if hasattr(X, "cross_products") else CrossProducts(X.shape[1])


def data_blocks(data, beta=None, eta=None, block_rows=None):
    """Yield ``(X_b, y_b, prior_b, offset_b, eta_b)`` for each row block.

    X_b is an ndarray, or a FactorMatrix view for a design with factors kept as codes; eta_b is
    ``eta`` sliced when given, else X_b beta + offset_b, computed while the block is in cache.
    """
    X = data.X
    n, p = X.shape
    structured = hasattr(X, "rows")
    for sl in row_blocks(n, p, block_rows or getattr(X, "block_rows", None)):
        xb = X.rows(sl) if structured else X[sl]
        ob = data.offset[sl]
        eb = eta[sl] if eta is not None else xb @ beta + ob
        yield xb, data.y[sl], data.weights[sl], ob, eb


def _evaluate(data, family, beta=None, eta=None, use_qr=False, block_rows=None):
    """One pass over the rows: deviance, validity of eta and mu, and the cross-products at beta (or eta)."""
    link = family.link
    acc = new_accumulator(data.X, use_qr)
    dev, valid = 0.0, True
    all_positive = data.all_positive
    with np.errstate(all="ignore"):
        eta_out = np.empty(data.y.shape[0])
        start = 0
        for xb, yb, wb, ob, eb in data_blocks(data, beta, eta, block_rows):
            eta_out[start:start + eb.shape[0]] = eb  # kept: the results need eta at the final estimate
            start += eb.shape[0]
            mb = link.inverse(eb)
            valid = valid and link.valid_eta(eb) and family.valid_mu(mb)
            mu_eta = link.inverse_deriv(eb)
            ww = wb * mu_eta ** 2 / family.variance(mb)
            zz = eb - ob + (yb - mb) / mu_eta
            if all_positive:
                dev += float(np.dot(wb, family.unit_deviance(yb, mb)))
                fast = np.isfinite(ww.sum() + zz.sum())  # finite sums: every entry is finite
            else:
                pos = wb > 0
                dev += float(np.dot(wb[pos], family.unit_deviance(yb[pos], mb[pos])))
                fast = False
            if not fast:  # zero weights, mu.eta == 0 or non-finite values: those rows drop out (R's `good`)
                good = (wb > 0) & (mu_eta != 0) & np.isfinite(ww) & np.isfinite(zz)
                ww, zz = np.where(good, ww, 0.0), np.where(good, zz, 0.0)
            acc.add(xb, ww, zz)
    if not np.isfinite(dev):
        valid = False
    return _Pass(dev, valid, acc, eta_out)


def _solve(acc, data, family, beta, eta, rank_tol, state, block_rows):
    """Solve the weighted least-squares step from a pass; switch to the QR route for good when needed."""
    if hasattr(acc, "xtwx"):  # cross-products (dense or factor codes), not a QR factor
        step = None
        if getattr(acc, "diagonal_cols", None) is not None:
            step = linalg.solve_schur(acc.xtwx, acc.xtwz, acc.diagonal_cols)
        if step is None:
            step = linalg.solve_cholesky(acc.xtwx, acc.xtwz)
        if step is not None:
            return step
        state["use_qr"] = True
        acc = _evaluate(data, family, beta=beta, eta=eta, use_qr=True, block_rows=block_rows).acc
    return linalg.solve_qr(acc.r, acc.qtz, rank_tol)


def _factor(acc, kept, data, family, beta, block_rows):
    """Upper-triangular factor of X_k'WX_k at beta for the kept columns (covariance)."""
    if hasattr(acc, "xtwx"):  # cross-products (dense or factor codes), not a QR factor
        g = acc.xtwx[np.ix_(kept, kept)]
        step = linalg.solve_cholesky(g, acc.xtwz[kept])
        if step is not None:
            return step.r
        acc = _evaluate(data, family, beta=beta, use_qr=True, block_rows=block_rows).acc
    r = acc.r[:, kept]
    return np.linalg.qr(r, mode="r") if r.shape[1] else np.zeros((0, 0))


def evaluate_mu(data, family, beta):
    """eta and mu at beta (aliased coefficients count as 0)."""
    eta = data.X @ np.where(np.isnan(beta), 0.0, beta) + data.offset
    return eta, family.link.inverse(eta)


def irls(data, family, *, start_params=None, mustart=None, maxiter=100, tol=1e-8, block_rows=None):
    """Fit a GLM by IRLS with R's starting values, step-halving and convergence rule.

    Parameters
    ----------
    data : GLMData
    family : Family
    start_params : array, optional
        Starting coefficients (R's ``start``); otherwise mu starts at ``mustart`` (R's ``mustart``)
        or ``family.starting_mu(y)``.
    maxiter : int
    tol : float
        R's ``epsilon``: stop when |dev - dev_old| / (|dev| + 0.1) < tol.

    Returns
    -------
    IRLSFit

    Notes
    -----
    Aliasing uses R's tolerance ``min(1e-7, tol / 1000)``, bounded below by 1e-11 so that a
    very small ``tol`` (as in tests that fit to machine precision) still detects exact
    collinearity.
    """
    n, p = data.X.shape
    rank_tol = max(min(1e-7, tol / 1000.0), 1e-11)
    state = {"use_qr": False}
    link = family.link

    if start_params is None:
        with np.errstate(all="ignore"):
            eta = link(family.starting_mu(data.y, data.weights) if mustart is None else mustart)
        beta_old = None
        beta = None
    else:
        beta = np.asarray(start_params, dtype=float).copy()
        if beta.shape != (p,):
            raise ValueError(f"start_params has length {beta.size}, but the design has {p} columns")
        eta = None
        beta_old = beta.copy()
    current = _evaluate(data, family, beta=beta, eta=eta, block_rows=block_rows)
    if not current.valid:
        raise FitError("cannot find valid starting values: the starting mu or eta is outside the family's or "
                       "link's domain; please supply start_params")
    dev_old = current.deviance
    converged = boundary = False
    n_halvings = 0
    n_iter = 0
    step = None
    last_step = np.zeros(p)
    for n_iter in range(1, maxiter + 1):
        step = _solve(current.acc, data, family, beta, eta, rank_tol, state, block_rows)
        if not np.all(np.isfinite(step.beta)):
            break
        beta_new = step.beta
        current = _evaluate(data, family, beta=beta_new, use_qr=state["use_qr"], block_rows=block_rows)
        boundary = False
        halvings = 0
        while not current.valid:
            if beta_old is None:
                raise FitError("no valid set of coefficients has been found (the first step left the family's "
                               "domain); please supply start_params")
            halvings += 1
            if halvings > maxiter:
                raise FitError("cannot correct the step size: the deviance stays non-finite or mu stays outside "
                               "the family's domain after repeated step-halving")
            beta_new = (beta_new + beta_old) / 2.0
            current = _evaluate(data, family, beta=beta_new, use_qr=state["use_qr"], block_rows=block_rows)
        if halvings:
            boundary = True
            n_halvings += halvings
        last_step = beta_new - (beta_old if beta_old is not None else beta_new)
        beta, eta = beta_new, None
        dev = current.deviance
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
        beta_old = beta.copy()

    if beta is None:  # maxiter == 0 or a non-finite first solve
        raise FitError("IRLS produced no coefficients (non-finite values in the first weighted least-squares step)")
    kept = step.kept if step is not None else np.ones(p, dtype=bool)
    r = _factor(current.acc, kept, data, family, beta, block_rows)
    out = beta.copy()
    out[~kept] = np.nan
    return IRLSFit(beta=out, kept=kept, r=r, deviance=current.deviance, n_iter=n_iter, converged=converged,
                   eta=current.eta,  # every return path has evaluated its beta
                   boundary=boundary, n_halvings=n_halvings, last_step=last_step)
