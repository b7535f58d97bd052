"""The elastic-net penalized GLM solver on arrays (``GLM.fit_regularized``).

The objective (the contract in API.md; scikit-learn's GLM regressors, glum, and glmnet with
``standardize = FALSE``) is

    F(b) = 1 / (2 sum(w)) * sum_i w_i d(y_i, mu_i)
           + alpha * sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio) / 2 b_j^2)

with w the prior weights (var_weights * freq_weights), d the family's unit deviance,
mu_i = g^{-1}(x_i'b + offset_i) and v_j the penalty weights.

The template (as glmnet and glum): an outer Newton / Fisher-scoring loop on the deviance part,
each iteration one pass over the rows by the engine's threaded pass
(:func:`glmstats.engine.passes.evaluate`, with the same kernels and accumulators as IRLS), and an
inner cyclic coordinate descent on the penalized weighted least-squares problem:

1. setup: starting coefficients (``start_params``, or the null model: the intercept at
   g(weighted mean of y), everything else 0);
2. a pass: deviance, domain checks, and the p x p cross-products G = X'HX, c = X'Hz. H are the
   Fisher weights w_i (d mu / d eta)^2 / V(mu_i) (the Hessian for canonical links), except where the
   family declares the observed (Newton) correction (``family.newton_term``: the log link with a
   power or negative binomial variance; non-negative exactly where the deviance is convex;
   quadratic convergence);
3. inner solve: minimise  1/2 b'(G/sum w)b - b'(c/sum w) + penalty  by coordinate descent on
   the Gram matrix (active-set sweeps), then "polish" it exactly by solving the linear
   system on the active set with the signs fixed (checked against the KKT conditions);
4. line search: step-halving (:func:`glmstats.engine.stephalving.halve_step`) on F until it
   decreases (guarantees descent, also when the step leaves the family's domain);
5. convergence: the largest change proposed by the inner solve, |db_j| / (1 + |b_j|), < tol;
6. the trace (:class:`glmstats.engine.trace.Trace`): each outer iteration's objective, deviance,
   largest proposed change and step-halvings are kept and logged on ``glmstats.fit`` at DEBUG.
"""

import numpy as np

from .passes import evaluate
from .stephalving import halve_step
from .trace import Trace

__all__ = ["fit_elastic_net", "penalized_objective", "MAX_HALVINGS", "HISTORY_COLUMNS"]

#: The columns of a penalized fit's history (after ``iteration``).
HISTORY_COLUMNS = ("objective", "deviance", "max_change", "step_halvings")

#: Halvings of the line search before the step is declared unable to decrease the objective.
MAX_HALVINGS = 60


def penalized_objective(deviance, sum_w, beta, alpha, l1_ratio, penalty_weights):
    """F(b) = deviance / (2 sum(w)) + alpha * sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio) / 2 b_j^2)."""
    pen = np.sum(penalty_weights * (l1_ratio * np.abs(beta) + 0.5 * (1.0 - l1_ratio) * beta ** 2))
    return deviance / (2.0 * sum_w) + alpha * pen


# ----------------------------------------------------------------------------------------------
# the inner problem: min 1/2 b'Ab - r'b + sum_j l1_j |b_j| + 1/2 sum_j l2_j b_j^2
def _soft(u, t):
    return np.sign(u) * max(abs(u) - t, 0.0)


def _coordinate_descent(A, r, b, l1, l2, maxiter, tol):
    """Cyclic coordinate descent on the Gram matrix A with active-set sweeps (glmnet's strategy).

    Returns the solution and the number of sweeps. ``g = r - A b`` is kept up to date, so one
    coordinate update costs O(p).
    """
    b = b.copy()
    g = r - A @ b
    denom = np.diag(A) + l2
    usable = denom > 0
    b[~usable] = 0.0
    sweeps = 0

    def sweep(cols):
        biggest = 0.0
        for j in cols:
            bj = b[j]
            new = _soft(g[j] + A[j, j] * bj, l1[j]) / denom[j]
            d = new - bj
            if d != 0.0:
                g[:] -= d * A[j]  # A is symmetric: row j (contiguous) = column j
                b[j] = new
                biggest = max(biggest, denom[j] * d * d)
        return biggest

    all_cols = np.flatnonzero(usable)
    while sweeps < maxiter:
        sweeps += 1
        if sweep(all_cols) < tol:
            break
        active = np.flatnonzero(usable & (b != 0))
        while sweeps < maxiter:
            sweeps += 1
            if sweep(active) < tol:
                break
    return b, sweeps


def _polish(A, r, b, l1, l2):
    """Exact solution on the active set of ``b`` with its signs fixed, if it satisfies the KKT conditions."""
    denom = np.diag(A) + l2
    active = (b != 0) | ((l1 == 0) & (denom > 0))
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return b
    s = np.sign(b[idx])
    M = A[np.ix_(idx, idx)] + np.diag(l2[idx])
    rhs = r[idx] - l1[idx] * s
    try:
        sol = np.linalg.solve(M, rhs)
    except np.linalg.LinAlgError:
        return b
    if not np.all(np.isfinite(sol)):
        return b
    pen = l1[idx] > 0
    if np.any(np.sign(sol[pen]) != s[pen]):
        return b
    out = np.zeros_like(b)
    out[idx] = sol
    grad = r - A @ out  # must be within [-l1, l1] for the zero coefficients
    zero = ~active
    if np.any(np.abs(grad[zero]) > l1[zero] * (1 + 1e-10) + 1e-14):
        return b
    return out


def _inner_solve(A, r, b, l1, l2, cd_maxiter, cd_tol):
    """Solve the penalized weighted least-squares problem; ridge-only problems directly."""
    if np.all(l1 == 0):
        usable = np.diag(A) + l2 > 0
        idx = np.flatnonzero(usable)
        out = np.zeros_like(b)
        try:
            out[idx] = np.linalg.solve(A[np.ix_(idx, idx)] + np.diag(l2[idx]), r[idx])
        except np.linalg.LinAlgError:
            out[:] = np.nan
        if np.all(np.isfinite(out)):
            return out, 0
    sol, sweeps = _coordinate_descent(A, r, b, l1, l2, cd_maxiter, cd_tol)
    return _polish(A, r, sol, l1, l2), sweeps


def _kkt_violation(grad, beta, alpha, l1_ratio, v):
    """Largest violation of the stationarity conditions of F (grad: gradient of the deviance part)."""
    l1 = alpha * l1_ratio * v
    g = grad + alpha * (1.0 - l1_ratio) * v * beta
    nz = beta != 0
    viol = np.where(nz, np.abs(g + l1 * np.sign(beta)), np.maximum(np.abs(g) - l1, 0.0))
    return float(np.max(viol)) if viol.size else 0.0


def _line_search(data, family, beta, target, objective, bound):
    """Halve the step from ``beta`` towards ``target`` until F falls to ``bound`` or below: (point, pass, F,
    halvings), or (None, None, None, halvings) when it never does."""
    def evaluate_at(b):
        pas = evaluate(data, family, beta=b, newton=True)
        return pas, objective(b, pas)

    found, (pas, f_new), halvings = halve_step(evaluate_at, lambda result: result[1] <= bound, target, beta,
                                               MAX_HALVINGS)
    return (None, None, None, halvings) if found is None else (found, pas, f_new, halvings)


def fit_elastic_net(data, family, alpha, l1_ratio, v, icpt, *, start_params, maxiter, tol, cd_maxiter, cd_tol,
                    label="Penalized"):
    """Minimise the penalized objective (module notes) on ``data``.

    Parameters
    ----------
    data : GLMData
    family : Family
        A family whose deviance is convex in eta (``family.deviance_convex_in_eta``), or one whose Fisher
        weights are positive (the log link with variance mu^p, p > 2: the objective is not convex, the fit
        a stationary point; see :func:`glmstats.models.penalized.check_penalizable`).
    alpha, l1_ratio : float
    v : ndarray (p,)
        Penalty weights (0 = unpenalized).
    icpt : int or None
        The intercept's column (the null-model start sets it).
    start_params : array-like or None
    maxiter, tol, cd_maxiter, cd_tol
        See :func:`glmstats.models.penalized.fit_regularized`.
    label : str or None
        Starts the DEBUG record logged per outer iteration; None: no records.

    Returns
    -------
    dict
        ``beta``, ``deviance``, ``objective``, ``n_iter``, ``converged``, ``kkt`` (largest violation of the
        optimality conditions), ``grad`` (gradient of the deviance part at beta) and ``history`` (one row
        per outer iteration: objective and deviance after it, the largest proposed change
        |db_j| / (1 + |b_j|), step-halvings; an iteration whose line search failed shows
        :data:`MAX_HALVINGS` and the unchanged objective).
    """
    X = data.X
    p = X.shape[1]
    sum_w = float(np.sum(data.weights))
    link = family.link
    l1 = alpha * l1_ratio * v
    l2 = alpha * (1.0 - l1_ratio) * v

    def objective(beta, current):
        if not current.valid:
            return np.inf
        return penalized_objective(current.deviance, sum_w, beta, alpha, l1_ratio, v)

    if start_params is not None:
        beta = np.asarray(start_params, dtype=float).reshape(-1).copy()
        if beta.shape != (p,):
            raise ValueError(f"start_params has length {beta.size}, but the design has {p} columns")
        if not np.all(np.isfinite(beta)):
            raise ValueError("start_params must be finite")
    else:
        beta = np.zeros(p)
        if icpt is not None:
            pos = data.weights > 0
            ybar = np.sum(data.weights[pos] * data.y[pos]) / np.sum(data.weights[pos])
            i = int(np.flatnonzero(pos)[0])
            with np.errstate(all="ignore"):
                b0 = float(link(np.asarray([ybar]))[0]) / X.rows(slice(i, i + 1)).to_dense()[0, icpt]
            if np.isfinite(b0):
                beta[icpt] = b0
    current = evaluate(data, family, beta=beta, newton=True)
    f_old = objective(beta, current)
    if not np.isfinite(f_old):
        if start_params is not None:
            raise ValueError("start_params give a non-finite deviance (mu outside the family's domain)")
        # as R's glm.fit: the first working problem comes from the family's starting mu
        with np.errstate(all="ignore"):
            eta0 = link(family.starting_mu(data.y, data.weights))
        first = evaluate(data, family, eta=eta0, newton=True)
        A, r = first.acc.xtwx / sum_w, first.acc.xtwz / sum_w
        beta, _ = _inner_solve(A, r, np.zeros(p), l1, l2, cd_maxiter, cd_tol)
        current = evaluate(data, family, beta=beta, newton=True)
        f_old = objective(beta, current)
        if not np.isfinite(f_old):
            raise ValueError("cannot find valid starting values for the penalized fit (mu outside the family's "
                             "domain); please supply start_params")

    converged = False
    n_iter = 0
    eps_f = 64 * np.finfo(float).eps
    trace = Trace(label, HISTORY_COLUMNS, "objective = %.12g, deviance = %.10g, max change = %.3g, step-halvings = %d")
    for n_iter in range(1, maxiter + 1):
        A, r = current.acc.xtwx / sum_w, current.acc.xtwz / sum_w
        target, _ = _inner_solve(A, r, beta, l1, l2, cd_maxiter, cd_tol)
        direction = target - beta
        change = np.max(np.abs(direction) / (1.0 + np.abs(beta))) if p else 0.0
        bound = f_old + eps_f * (abs(f_old) + 1.0)
        cand, cand_pass, f_new, halvings = _line_search(data, family, beta, target, objective, bound)
        if cand is None:
            trace.record(n_iter, f_old, current.deviance, change, halvings)
            # no decrease possible: beta is optimal to rounding if the proposed step is tiny
            converged = change < np.sqrt(tol)
            break
        beta, current, f_old = cand, cand_pass, f_new
        trace.record(n_iter, f_old, current.deviance, change, halvings)
        # the full (Newton) step, not the halved one: a tiny halved step is no sign of convergence
        if change < tol:
            converged = True
            break

    grad = -(current.acc.xtwz - current.acc.xtwx @ beta) / sum_w
    return {"beta": beta, "deviance": current.deviance, "objective": f_old, "n_iter": n_iter,
            "converged": converged, "kkt": _kkt_violation(grad, beta, alpha, l1_ratio, v), "grad": grad,
            "history": trace.finish(converged)}
