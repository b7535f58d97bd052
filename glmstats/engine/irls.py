"""Iteratively reweighted least squares on arrays: R's ``glm.fit``.

One iteration reads the data once, block by block (:func:`_evaluate`; the rows are split
into partitions evaluated in threads, and the per-row formulas are evaluated by
:mod:`glmstats.working`): for the current coefficients it computes eta, mu, the deviance,
the domain checks, and the cross-products of the next weighted least-squares problem, with

    working weights   w_i = prior_i * (d mu / d eta)^2 / V(mu_i)
    working response  z_i = eta_i - offset_i + (y_i - mu_i) / (d mu / d eta)

Solving that problem (:mod:`glmstats.linalg`) gives the next coefficients.  As in
R, the fit starts from the family's ``starting_mu`` (or ``start_params``), halves
the step while the deviance is not finite or eta/mu leave their valid region, and
stops when |dev - dev_old| / (|dev| + 0.1) < tol.  The pass that evaluates new
coefficients also accumulates the cross-products at them, for the next step.  As in R
(whose ``summary.glm`` uses the QR of the last weighted least-squares fit), the
covariance comes from the cross-products of the last step solved, that is from the
working weights of the iterate before the returned one.  So when the deviance changes
suggest that the next evaluation will meet the convergence rule (:func:`_will_converge`),
that evaluation is a light pass, eta and the deviance only; if it does not converge after
all, the full pass follows.
"""

import os
from dataclasses import dataclass

import numpy as np

from . import linalg
from .gram import SMALL_P, CrossProducts, RightHandSide, TriangularFactor, default_block_rows, row_blocks
from .kernels import kernel_for

__all__ = ["GLMData", "IRLSFit", "irls", "evaluate_mu", "FitError", "data_blocks", "new_accumulator", "map_partitions"]


class FitError(ValueError):
    """IRLS cannot start or cannot find valid coefficients (R's glm.fit errors)."""


@dataclass
class GLMData:
    """The arrays IRLS reads: X (n, p), y (n,), prior weights (n,) = var_weights * freq_weights, offset (n,).

    Unit weights and a zero offset may be given as read-only broadcast arrays
    (``np.broadcast_to(1.0, n)``): they take no memory, and IRLS skips the arithmetic with them.
    """

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    offset: np.ndarray

    @property
    def shape(self):
        return self.X.shape

    def _cached(self, name, compute):
        if name not in self.__dict__:
            self.__dict__[name] = compute()
        return self.__dict__[name]

    @property
    def all_positive(self):
        """True when every prior weight is positive (the common case: no row drops out)."""
        return self._cached("_all_positive", lambda: _all_equal(self.weights, 1.0) or bool(np.all(self.weights > 0)))

    @property
    def unit_weights(self):
        """True when every prior weight is 1."""
        return self._cached("_unit_weights", lambda: _all_equal(self.weights, 1.0))

    @property
    def zero_offset(self):
        """True when every offset is 0."""
        return self._cached("_zero_offset", lambda: _all_equal(self.offset, 0.0))

    @property
    def binary_y(self):
        """True when every response is 0 or 1."""
        return self._cached("_binary_y", lambda: bool(np.all((self.y == 0) | (self.y == 1))))


def _all_equal(a, value):
    if a.ndim == 1 and a.strides == (0,):  # a broadcast constant: one element to look at
        return a.shape[0] == 0 or a[0] == value
    return bool(np.all(a == value))


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
    eta_range: tuple = None   # (min, max) of the linear predictor at beta, from the last pass
    cov_unscaled: np.ndarray = None  # (X_k'WX_k)^-1 when computed without r (a large factor's diagonal block)
    gram: object = None       # when r is None: the accumulator whose X'WX (all columns kept) gives r on demand
    weights_at: tuple = (None, None)  # (beta, eta) of the iterate whose working weights give r (R's fit$weights)

    def factor(self):
        """The upper-triangular factor r (computed from ``gram`` by Cholesky when IRLS did not need it)."""
        if self.r is None:
            self.r = np.linalg.cholesky(self.gram.xtwx).T  # R'R = L L' = X'WX
        return self.r

    def unscaled_cov(self):
        """(X_k'WX_k)^-1 for the kept columns."""
        if self.cov_unscaled is None:
            self.cov_unscaled = linalg.unscaled_cov(self.factor())
        return self.cov_unscaled


@dataclass
class _Pass:
    deviance: float
    valid: bool
    acc: object
    eta_range: tuple
    w_is_prior: bool  # every block's working weights were the prior weights


def new_accumulator(X, use_qr=False, small=False):
    """The accumulator of one pass: a QR factor, a FactorMatrix's own cross-products, or X'WX and X'Wz
    (``small``: by the general product, see :class:`glmstats.gram.CrossProducts`)."""
    if use_qr:
        return TriangularFactor(X.shape[1])
    return X.cross_products() if hasattr(X, "cross_products") else CrossProducts(X.shape[1], transposed=small)


def data_blocks(data, beta=None, eta=None, block_rows=None, rows=None):
    """Yield ``(X_b, y_b, prior_b, offset_b, eta_b)`` for each row block (of ``rows = (start, stop)``).

    X_b is an ndarray, or a FactorMatrix view for a design with factors kept as codes; eta_b is
    ``eta`` sliced when ``eta`` is an array, ``eta(slice)`` when it is a function, else X_b beta + offset_b,
    computed while the block is in cache.
    """
    X = data.X
    n, p = X.shape
    lo, hi = rows or (0, n)
    structured = hasattr(X, "rows")
    add_offset = not data.zero_offset
    for sl in row_blocks(hi - lo, p, block_rows or getattr(X, "block_rows", None)):
        sl = slice(sl.start + lo, sl.stop + lo)
        xb = X.rows(sl) if structured else X[sl]
        ob = data.offset[sl]
        if eta is None:
            eb = np.dot(xb, beta) if isinstance(xb, np.ndarray) else xb @ beta  # np.dot: see glmstats.gram
            if add_offset:
                eb += ob
        else:
            eb = eta(sl) if callable(eta) else eta[sl]
        yield xb, data.y[sl], data.weights[sl], ob, eb


# ------------------------------------------------------------------------------------------------
# one pass over the rows, split into partitions evaluated in threads

#: A pass splits the rows into a power of two of partitions (at most MAX_PARTITIONS, each holding at least
#: PARTITION_ELEMENTS elements of X, 16 MB), evaluated in parallel and summed in a fixed order: the result
#: does not depend on the number of threads. Below two partitions' worth a fit runs in one thread: a second
#: one would gain little and double the work memory.
MAX_PARTITIONS = 8
PARTITION_ELEMENTS = 1 << 21

_pool = None


def n_threads():
    """Threads for IRLS passes: ``GLMSTATS_NUM_THREADS`` if set, else the CPUs this process may use."""
    env = os.environ.get("GLMSTATS_NUM_THREADS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise ValueError(f"GLMSTATS_NUM_THREADS must be a positive integer, got {env!r}")
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _map(func, items):
    """[func(item) for item in items], in a thread pool when there are several items and CPUs.

    numpy's ufuncs and BLAS release the GIL, so the partitions of a pass run in parallel.
    """
    global _pool
    threads = n_threads()
    if len(items) == 1 or threads == 1:
        return [func(item) for item in items]
    if _pool is None or _pool[0] != os.getpid() or _pool[1] != threads:  # a forked child needs its own threads
        from concurrent.futures import ThreadPoolExecutor

        _pool = (os.getpid(), threads, ThreadPoolExecutor(threads, thread_name_prefix="glmstats"))
    return [f.result() for f in [_pool[2].submit(func, item) for item in items]]


def _partitions(n, p):
    """The partitions ``(start, stop)`` of n rows of p columns (a function of n and p alone)."""
    k = 1
    while k < MAX_PARTITIONS and n * max(p, 1) >= 2 * k * PARTITION_ELEMENTS:
        k *= 2
    bounds = [n * i // k for i in range(k + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def map_partitions(func, n, p):
    """[func((start, stop)) for each partition of n rows of p columns], in the thread pool: a pass."""
    return _map(func, _partitions(n, p))


def _evaluate(data, family, beta=None, eta=None, use_qr=False, block_rows=None, fixed_gram=None,
              deviance_only=False):
    """One pass over the rows: deviance, validity of eta and mu, and the cross-products at beta (or eta).

    ``eta`` (an array, or a function of a row slice) replaces X beta + offset. Of the linear
    predictor only its range is kept: no n-vector outlives the pass. ``fixed_gram``: X'WX when
    the working weights are the prior weights (then only X'Wz is accumulated; should a block's
    weights differ, the pass is made again in full). ``deviance_only``: no cross-products
    (the pass's ``acc`` is None).
    """
    n, p = data.X.shape
    prior_none, offset_none = data.unit_weights, data.zero_offset
    rhs_only = fixed_gram is not None and not use_qr
    partitions = _partitions(n, p)
    # a pass in one thread over a narrow dense design: small blocks, general product (glmstats.gram.SMALL_P)
    small = len(partitions) == 1 and p <= SMALL_P and isinstance(data.X, np.ndarray)
    # the block size follows from all n rows, not from a partition's
    block_rows = block_rows or getattr(data.X, "block_rows", None) or default_block_rows(n, p, small)

    def rows_pass(rows):
        kernel = kernel_for(family, data)
        if deviance_only:
            acc = None
        else:
            acc = RightHandSide(fixed_gram) if rhs_only else new_accumulator(data.X, use_qr, small)
        dev, valid, lo, hi, w_is_prior = 0.0, True, np.inf, -np.inf, True
        with np.errstate(all="ignore"):  # numpy's error state is per thread
            for xb, yb, wb, ob, eb in data_blocks(data, beta, eta, block_rows, rows):
                terms = kernel(yb, None if prior_none else wb, None if offset_none else ob, eb)
                dev += terms.deviance
                valid = valid and terms.valid
                lo, hi = np.minimum(lo, terms.eta_range[0]), np.maximum(hi, terms.eta_range[1])  # NaN propagates
                w_is_prior = w_is_prior and terms.w_is_prior
                if acc is not None:
                    acc.add(xb, terms.w, terms.z)
        return dev, valid, acc, (lo, hi), w_is_prior

    parts = _map(rows_pass, partitions)
    w_is_prior = all(part[4] for part in parts)
    if rhs_only and not w_is_prior:
        return _evaluate(data, family, beta, eta, use_qr, block_rows)
    dev = sum(part[0] for part in parts)
    valid = all(part[1] for part in parts)
    acc = parts[0][2]
    for part in parts[1:] if acc is not None else ():
        acc.merge(part[2])
    if not np.isfinite(dev):
        valid = False
    eta_range = (float(np.min([part[3][0] for part in parts])), float(np.max([part[3][1] for part in parts])))
    return _Pass(dev, valid, acc, eta_range, w_is_prior)


def _solve(acc, data, family, beta, eta, rank_tol, state, block_rows):
    """Solve the weighted least-squares step from a pass; switch to the QR route for good when needed.

    Returns the Step and the accumulator it was solved from (the QR factor when the route switched).
    """
    if hasattr(acc, "xtwx"):  # cross-products (dense or factor codes), not a QR factor
        parts = acc.schur_parts() if hasattr(acc, "schur_parts") else None
        step = linalg.solve_schur(parts) if parts is not None else None
        if step is None:
            step = linalg.solve_cholesky(acc.xtwx, acc.xtwz)
        if step is not None:
            return step, acc
        state["use_qr"] = True
        acc = _evaluate(data, family, beta=beta, eta=eta, use_qr=True, block_rows=block_rows).acc
    return linalg.solve_qr(acc.r, acc.qtz, rank_tol), acc


def _will_converge(changes, tol):
    """Whether the next relative deviance change is expected below ``tol``.

    ``changes`` are the relative changes |dev - dev_old| / (|dev| + 0.1) so far. The next one is
    extrapolated as c_k^2 / c_(k-1): exact for a geometric (linear) rate, an overestimate for
    IRLS's usual quadratic one, so a wrong guess is rare; it costs one light pass.
    """
    if len(changes) < 2 or not changes[-2] > 0:
        return False
    return changes[-1] * changes[-1] / changes[-2] < tol


def _factor(acc, kept, data, family, beta, eta, block_rows):
    """What the covariance needs: ``(r, cov_unscaled, gram)`` for the kept columns, from the pass at
    ``beta`` (or ``eta``) whose accumulator is ``acc``.

    Usually the upper-triangular factor r of X_k'WX_k; when a large factor's diagonal block allows
    it, the inverse by blocks (:func:`glmstats.linalg.schur_inverse`) instead, r being computed only
    if asked for (influence measures).
    """
    if hasattr(acc, "xtwx"):  # cross-products (dense or factor codes), not a QR factor
        parts = acc.schur_parts() if hasattr(acc, "schur_parts") and kept.all() else None
        cov = linalg.schur_inverse(parts) if parts is not None else None
        if cov is not None:
            return None, cov, acc
        g = acc.xtwx[np.ix_(kept, kept)]
        step = linalg.solve_cholesky(g, acc.xtwz[kept])
        if step is not None:
            return step.r, None, None
        acc = _evaluate(data, family, beta=beta, eta=eta, use_qr=True, block_rows=block_rows).acc
    r = acc.r[:, kept]
    return (np.linalg.qr(r, mode="r") if r.shape[1] else np.zeros((0, 0))), None, None


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
        def eta(sl):  # the starting eta, block by block
            with np.errstate(all="ignore"):
                mu = family.starting_mu(data.y[sl], data.weights[sl]) if mustart is None else mustart[sl]
                return link(mu)
        beta_old = None
        beta = None
    else:
        beta = np.asarray(start_params, dtype=float).copy()
        if beta.shape != (p,):
            raise ValueError(f"start_params has length {beta.size}, but the design has {p} columns")
        eta = None
        beta_old = beta.copy()
    current = _evaluate(data, family, beta=beta, eta=eta, block_rows=block_rows)
    # working weights equal to the prior weights (Gamma, log link): X'WX is computed once
    fixed_gram = current.acc.xtwx.copy() if current.w_is_prior and isinstance(current.acc, CrossProducts) else None
    if not current.valid:
        raise FitError("cannot find valid starting values: the starting mu or eta is outside the family's or "
                       "link's domain; please supply start_params")
    dev_old = current.deviance
    converged = boundary = False
    n_halvings = 0
    n_iter = 0
    step = None
    solved, solved_at = current.acc, (beta, eta)  # the last step solved, and where: R's covariance
    last_step = np.zeros(p)
    changes = []
    for n_iter in range(1, maxiter + 1):
        step, solved = _solve(current.acc, data, family, beta, eta, rank_tol, state, block_rows)
        solved_at = (beta, eta)
        if not np.all(np.isfinite(step.beta)):
            break
        beta_new = step.beta
        if _will_converge(changes, tol):  # a light pass; the full one only if it does not converge after all
            probe = _evaluate(data, family, beta=beta_new, block_rows=block_rows, deviance_only=True)
            if probe.valid and abs(probe.deviance - dev_old) / (abs(probe.deviance) + 0.1) < tol:
                last_step = beta_new - (beta_old if beta_old is not None else beta_new)
                beta, current, converged, boundary = beta_new, probe, True, False
                break
        current = _evaluate(data, family, beta=beta_new, use_qr=state["use_qr"], block_rows=block_rows,
                            fixed_gram=fixed_gram)
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
            current = _evaluate(data, family, beta=beta_new, use_qr=state["use_qr"], block_rows=block_rows,
                            fixed_gram=fixed_gram)
        if halvings:
            boundary = True
            n_halvings += halvings
        last_step = beta_new - (beta_old if beta_old is not None else beta_new)
        beta, eta = beta_new, None
        dev = current.deviance
        changes.append(abs(dev - dev_old) / (abs(dev) + 0.1))
        if changes[-1] < tol:
            converged = True
            break
        dev_old = dev
        beta_old = beta.copy()

    if beta is None:  # maxiter == 0 or a non-finite first solve
        raise FitError("IRLS produced no coefficients (non-finite values in the first weighted least-squares step)")
    kept = step.kept if step is not None else np.ones(p, dtype=bool)
    r, cov, gram = _factor(solved, kept, data, family, *solved_at, block_rows)
    out = beta.copy()
    out[~kept] = np.nan
    return IRLSFit(beta=out, kept=kept, r=r, cov_unscaled=cov, gram=gram, weights_at=solved_at,
                   deviance=current.deviance,
                   n_iter=n_iter, converged=converged,
                   eta_range=current.eta_range,  # every return path has evaluated its beta
                   boundary=boundary, n_halvings=n_halvings, last_step=last_step)
