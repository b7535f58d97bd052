"""Elastic-net penalized GLMs: ``GLM.fit_regularized`` and ``regularization_path``.

The objective (the contract in API.md; scikit-learn's GLM regressors, glum, and glmnet with
``standardize = FALSE``) is

    F(b) = 1 / (2 sum(w)) * sum_i w_i d(y_i, mu_i)
           + alpha * sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio) / 2 b_j^2)

with w the prior weights (var_weights * freq_weights), d the family's unit deviance,
mu_i = g^{-1}(x_i'b + offset_i) and v_j the penalty weights (0 for the intercept, 1 for
the other columns unless ``penalty_weights=`` says otherwise).

Solver (as glmnet and glum): an outer Newton / Fisher-scoring loop on the deviance part
and an inner cyclic coordinate descent on the penalized weighted least-squares problem.

1. setup: starting coefficients (``start_params``, or the null model: the intercept at
   g(weighted mean of y), everything else 0);
2. one pass over the rows, block by block (:mod:`glmstats.gram`): deviance, domain checks,
   and the p x p cross-products G = X'HX, c = X'Hz. H are the Fisher weights
   w_i (d mu / d eta)^2 / V(mu_i) (the Hessian for canonical links), except for the log link
   with a power or negative binomial variance, where the observed (Newton) weights are used
   (non-negative exactly where the deviance is convex; quadratic convergence);
3. inner solve: minimise  1/2 b'(G/sum w)b - b'(c/sum w) + penalty  by coordinate descent on
   the Gram matrix (active-set sweeps), then "polish" it exactly by solving the linear
   system on the active set with the signs fixed (checked against the KKT conditions);
4. line search: step-halving on F until it decreases (guarantees descent, also when the
   step leaves the family's domain);
5. convergence: the largest change proposed by the inner solve, |db_j| / (1 + |b_j|), < tol.

Only family/link pairs whose unit deviance is convex in eta for every admissible y are
accepted (see :func:`check_convex`): then F is convex in b and the solution is unique (for
l1_ratio < 1 and penalized columns).
"""

import warnings

import numpy as np
import pandas as pd

from ..exceptions import ConvergenceWarning
from ..engine.irls import GLMData, data_blocks, irls, new_accumulator
from ..report.summary import PenalizedSummary

__all__ = ["fit_regularized", "regularization_path", "alpha_max", "PenalizedResults", "RegularizationPath",
           "check_convex", "penalized_objective"]


# ----------------------------------------------------------------------------------------------
# convexity
def check_convex(family):
    """Raise ValueError unless the unit deviance of ``family`` is convex in eta (so F is convex in b).

    Notes
    -----
    The rule (``family.deviance_convex_in_eta``): d(y, g^{-1}(eta)) must be convex in eta for every y
    in the family's domain; a sum of convex functions of linear functions of b is convex, and the
    penalty is convex.

    - canonical links (theta = eta): d''(eta) = 2 V(mu) >= 0. Gaussian/identity, binomial/logit,
      Poisson/log, Gamma/inverse, inverse Gaussian/1/mu^2, Tweedie with mu^(1-p) (their quasi
      versions share the deviance);
    - log link with V(mu) = mu^p, 1 <= p <= 2 (Poisson, Gamma, Tweedie 1 < p < 2, quasi "mu"/"mu^2"):
      d''(eta) = 2 mu^(1-p) ((p - 1) y + (2 - p) mu) >= 0. For p > 2 (inverse Gaussian with log
      link) or p = 0 (Gaussian with log link) this is negative for some y, mu: refused;
    - negative binomial (fixed alpha) with log link: d''(eta) = 2 (1 + alpha y) mu / (1 + alpha mu)^2 >= 0;
    - binomial with probit, cloglog or loglog links: -log F(eta) and -log(1 - F(eta)) are convex
      when F has a log-concave density (normal, Gumbel); the cauchit link (Cauchy) is not.
    Everything else (identity or sqrt links for Poisson, log link for binomial, ...) is refused.
    """
    if not family.deviance_convex_in_eta:
        raise ValueError(
            f"fit_regularized needs a family/link whose deviance is convex in the coefficients; "
            f"{family!r} (link {family.link.name!r}) is not (or not known to be). Accepted: canonical links "
            "(gaussian/identity, binomial/logit, poisson/log, Gamma/inverse, inverse.gaussian/1/mu^2, "
            "Tweedie/mu^(1-p)), the log link with variance mu^p for 1 <= p <= 2 (Poisson, Gamma, "
            "Tweedie 1 < p < 2) or the negative binomial, and binomial with probit/cloglog/loglog")


# ----------------------------------------------------------------------------------------------
# one pass over the rows
class _Pass:
    """Deviance, validity and the cross-products G = X'HX, c = X'Hz at beta (H: Newton or Fisher weights)."""

    def __init__(self, deviance, valid, acc):
        self.deviance, self.valid, self.acc = deviance, valid, acc


def _evaluate(data, family, beta, eta=None, block_rows=None):
    link = family.link
    k = family.newton_term
    acc = new_accumulator(data.X)
    dev, valid = 0.0, True
    with np.errstate(all="ignore"):
        for xb, yb, wb, ob, eb in data_blocks(data, beta, eta, block_rows):
            mb = link.inverse(eb)
            valid = valid and link.valid_eta(eb) and family.valid_mu(mb)
            pos = wb > 0
            dev += float(np.sum(wb[pos] * family.unit_deviance(yb[pos], mb[pos])))
            mu_eta = link.inverse_deriv(eb)
            ratio = mu_eta / family.variance(mb)           # score_i = w_i (y_i - mu_i) ratio_i
            h = mu_eta * ratio if k is None else mu_eta * ratio - (yb - mb) * k(mb)
            good = pos & (h > 0) & np.isfinite(h) & np.isfinite(ratio)
            hh = np.where(good, wb * h, 0.0)
            zz = np.where(good, eb - ob + (yb - mb) * ratio / np.where(good, h, 1.0), 0.0)
            acc.add(xb, hh, zz)
    if not np.isfinite(dev):
        valid = False
    return _Pass(dev, valid, acc)


# ----------------------------------------------------------------------------------------------
# penalty set-up
def _constant_column(X, weights):
    """Index of the first non-zero constant column (over rows with positive weight), or None."""
    xs = np.asarray(X[weights > 0])
    if xs.shape[0] == 0:
        return None
    const = np.all(xs == xs[:1], axis=0) & (xs[0] != 0)
    idx = np.flatnonzero(const)
    return int(idx[0]) if idx.size else None


def _intercept_index(model):
    if not getattr(model, "has_intercept", False):
        return None
    names = list(model.exog_names)
    if model.design is not None and "Intercept" in names:
        return names.index("Intercept")
    return _constant_column(model.data.X, model.data.weights)


def _penalty_weights(model, penalty_weights):
    """Per-column penalty weights v_j (length p); default 1, 0 for the intercept."""
    names = list(model.exog_names)
    p = len(names)
    v = np.ones(p)
    icpt = _intercept_index(model)
    if icpt is not None:
        v[icpt] = 0.0
    if penalty_weights is None:
        return v, icpt
    if isinstance(penalty_weights, dict):
        unknown = [k for k in penalty_weights if k not in names]
        if unknown:
            raise ValueError(f"penalty_weights names unknown columns {unknown}; the columns are {names}")
        for k, val in penalty_weights.items():
            v[names.index(k)] = float(val)
    else:
        if isinstance(penalty_weights, pd.Series):
            missing = [n for n in names if n not in penalty_weights.index]
            if missing:
                raise ValueError(f"penalty_weights has no entry for the columns {missing}")
            penalty_weights = penalty_weights.reindex(names).to_numpy()
        arr = np.asarray(penalty_weights, dtype=float).reshape(-1)
        if arr.shape[0] != p:
            raise ValueError(f"penalty_weights has length {arr.shape[0]}, but the design has {p} columns")
        v = arr.copy()
    if not np.all(np.isfinite(v)) or np.any(v < 0):
        raise ValueError("penalty_weights must be finite and non-negative (0 = unpenalized)")
    return v, icpt


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


# ----------------------------------------------------------------------------------------------
def _check_scalar(value, name, low=0.0, high=None):
    if not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value) or value < low or (
            high is not None and value > high):
        rng = f"in [{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise ValueError(f"{name} must be a finite number {rng}, got {value!r}")
    return float(value)


def _fit_arrays(data, family, alpha, l1_ratio, v, icpt, *, start_params, maxiter, tol, cd_maxiter, cd_tol):
    """The solver on arrays. Returns a dict of beta, deviance, objective, n_iter, converged, kkt."""
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
            with np.errstate(all="ignore"):
                first = np.asarray(X[np.flatnonzero(pos)[:1]])  # one row (X may be a FactorMatrix)
                b0 = float(link(np.asarray([ybar]))[0]) / first[0, icpt]
            if np.isfinite(b0):
                beta[icpt] = b0
    current = _evaluate(data, family, beta=beta)
    f_old = objective(beta, current)
    if not np.isfinite(f_old):
        if start_params is not None:
            raise ValueError("start_params give a non-finite deviance (mu outside the family's domain)")
        # as R's glm.fit: the first working problem comes from the family's starting mu
        with np.errstate(all="ignore"):
            eta0 = link(family.starting_mu(data.y, data.weights))
        first = _evaluate(data, family, None, eta=eta0)
        A, r = first.acc.xtwx / sum_w, first.acc.xtwz / sum_w
        beta, _ = _inner_solve(A, r, np.zeros(p), l1, l2, cd_maxiter, cd_tol)
        current = _evaluate(data, family, beta=beta)
        f_old = objective(beta, current)
        if not np.isfinite(f_old):
            raise ValueError("cannot find valid starting values for the penalized fit (mu outside the family's "
                             "domain); please supply start_params")

    converged = False
    n_iter = 0
    eps_f = 64 * np.finfo(float).eps
    for n_iter in range(1, maxiter + 1):
        A, r = current.acc.xtwx / sum_w, current.acc.xtwz / sum_w
        target, _ = _inner_solve(A, r, beta, l1, l2, cd_maxiter, cd_tol)
        direction = target - beta
        t = 1.0
        accepted = False
        for _ in range(60):
            cand = beta + t * direction
            cand_pass = _evaluate(data, family, beta=cand)
            f_new = objective(cand, cand_pass)
            if f_new <= f_old + eps_f * (abs(f_old) + 1.0):
                accepted = True
                break
            t *= 0.5
        change = np.max(np.abs(direction) / (1.0 + np.abs(beta))) if p else 0.0
        if not accepted:
            # no decrease possible: beta is optimal to rounding if the proposed step is tiny
            converged = change < np.sqrt(tol)
            break
        beta, current, f_old = cand, cand_pass, f_new
        # the full (Newton) step, not the halved one: a tiny halved step is no sign of convergence
        if change < tol:
            converged = True
            break

    grad = -(current.acc.xtwz - current.acc.xtwx @ beta) / sum_w
    return {"beta": beta, "deviance": current.deviance, "objective": f_old, "n_iter": n_iter,
            "converged": converged, "kkt": _kkt_violation(grad, beta, alpha, l1_ratio, v), "grad": grad}


def fit_regularized(model, alpha, l1_ratio=0.0, *, penalty_weights=None, start_params=None, maxiter=100, tol=1e-10,
                    cd_maxiter=10000, cd_tol=1e-12):
    """Elastic-net penalized GLM fit (R: ``glmnet(x, y, family, alpha = l1_ratio, lambda = alpha,
    standardize = FALSE)``; scikit-learn: ``PoissonRegressor(alpha=alpha)`` etc. for l1_ratio = 0).

    Parameters
    ----------
    model : GLM
    alpha : float
        Penalty strength (>= 0): glmnet's ``lambda``, scikit-learn's ``alpha``.
    l1_ratio : float in [0, 1]
        Mix of L1 (lasso) and L2 (ridge) penalties: glmnet's ``alpha``; 0 = ridge, 1 = lasso.
    penalty_weights : array-like (p,), Series or dict {column name: weight}, optional
        Per-column penalty weights v_j >= 0 multiplying both penalty terms (0 = unpenalized).
        Default: 1 for every column except the intercept (0). An array or Series gives every
        column's weight (the intercept included); a dict overrides only the named columns.
        The weights are used as given, not rescaled (glmnet rescales its ``penalty.factor`` to
        sum to the number of columns; pass ``pf * nvars / sum(pf)`` to reproduce it).
    start_params : array-like (p,), optional
        Starting coefficients (warm start); default: the null model.
    maxiter : int
        Maximum outer (Newton / Fisher scoring) iterations.
    tol : float
        Outer convergence: the step proposed by the inner solve satisfies max_j |db_j| / (1 + |b_j|) < tol.
    cd_maxiter, cd_tol : int, float
        Coordinate-descent sweeps per inner problem and their convergence threshold
        (max_j (A_jj + l2_j) db_j^2 < cd_tol, glmnet's criterion).

    Returns
    -------
    PenalizedResults

    Notes
    -----
    Minimises

        F(b) = 1/(2 sum(w)) sum_i w_i d(y_i, mu_i) + alpha sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio)/2 b_j^2)

    with w = var_weights * freq_weights (R's prior weights), d the unit deviance and the
    offset in eta. With ``l1_ratio = 0`` this is the objective of scikit-learn's
    PoissonRegressor / GammaRegressor / TweedieRegressor(alpha=alpha) and of
    LogisticRegression(C=1 / (alpha n)); with ``l1_ratio > 0`` that of glmnet
    (standardize = FALSE) and glum (``alpha``, ``l1_ratio``). No standard errors are computed:
    the usual GLM formulas are not valid for penalized estimates.
    """
    check_convex(model.family)
    alpha = _check_scalar(alpha, "alpha")
    l1_ratio = _check_scalar(l1_ratio, "l1_ratio", 0.0, 1.0)
    if not (isinstance(maxiter, (int, np.integer)) and maxiter >= 1):
        raise ValueError(f"maxiter must be a positive integer, got {maxiter!r}")
    tol = _check_scalar(tol, "tol")
    if tol <= 0:
        raise ValueError("tol must be positive")
    v, icpt = _penalty_weights(model, penalty_weights)
    fit = _fit_arrays(model.data, model.family, alpha, l1_ratio, v, icpt, start_params=start_params,
                      maxiter=int(maxiter), tol=tol, cd_maxiter=int(cd_maxiter), cd_tol=float(cd_tol))
    if not fit["converged"]:
        warnings.warn(f"the penalized fit did not converge in {maxiter} iterations (tol={tol:g}); the last "
                      "iterate is returned", ConvergenceWarning, stacklevel=3)
    return PenalizedResults(model, fit, alpha=alpha, l1_ratio=l1_ratio, penalty_weights=v, tol=tol, maxiter=maxiter)


# ----------------------------------------------------------------------------------------------
class PenalizedResults:
    """Result of :func:`fit_regularized`.

    Attributes
    ----------
    params : Series
        Coefficients by column name.
    alpha, l1_ratio : float
    penalty_weights : Series
        The v_j used (0 = unpenalized).
    objective : float
        F at params (see :func:`fit_regularized`).
    deviance : float
        sum_i w_i d(y_i, mu_i) (R's deviance; not divided by 2 sum(w)).
    n_iter, converged
        Outer iterations and whether the coefficient change fell below ``tol``.
    kkt_max : float
        Largest violation of the optimality (KKT) conditions at params: a check of the solution.
    fittedvalues, linear_predictor : Series
    nobs, n_nonzero

    Notes
    -----
    There are no standard errors, z/t statistics, p-values or confidence intervals: the
    penalized estimates are biased towards 0 and (with l1_ratio > 0) the selected set is
    data-dependent, so the usual GLM formulas do not give valid inference.
    """

    def __init__(self, model, fit, *, alpha, l1_ratio, penalty_weights, tol, maxiter):
        names = list(model.exog_names)
        self.model = model
        self.family = model.family
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.params = pd.Series(fit["beta"], index=names, name="coef")
        self.penalty_weights = pd.Series(penalty_weights, index=names, name="penalty_weight")
        self.objective = float(fit["objective"])
        self.deviance = float(fit["deviance"])
        self.n_iter = int(fit["n_iter"])
        self.converged = bool(fit["converged"])
        self.kkt_max = float(fit["kkt"])
        self.tol = tol
        self.maxiter = maxiter
        self.nobs = model.nobs
        self.n_nonzero = int(np.sum(fit["beta"] != 0))
        d = model.data
        eta = d.X @ fit["beta"] + d.offset
        self.linear_predictor = pd.Series(eta, index=model.row_index, name="linear_predictor")
        self.fittedvalues = pd.Series(self.family.link.inverse(eta), index=model.row_index, name="fitted")
        self.method = "IRLS + coordinate descent (elastic net)"

    def predict(self, newdata=None, which="mean", offset=None, exposure=None):
        """Predicted mean (``which="mean"``) or linear predictor (``"linear"``), as GLMResults.predict."""
        if which not in ("mean", "linear"):
            raise ValueError(f'which must be "mean" or "linear", got {which!r}')
        if newdata is None:
            out = self.linear_predictor if which == "linear" else self.fittedvalues
            return out.copy()
        X, off = self.model._new_exog(newdata, offset=offset, exposure=exposure)
        eta = X @ self.params.to_numpy() + off
        index = newdata.index if isinstance(newdata, (pd.DataFrame, pd.Series)) else None
        values = eta if which == "linear" else self.family.link.inverse(eta)
        return pd.Series(values, index=index, name="linear_predictor" if which == "linear" else "predicted_mean")

    def summary(self):
        """Plain-text report: coefficients and penalty weights only (no SEs or p-values, see Notes)."""
        return PenalizedSummary(self)

    def __repr__(self):
        return (f"<PenalizedResults {self.family!r} alpha={self.alpha:g} l1_ratio={self.l1_ratio:g} "
                f"objective={self.objective:.10g} nonzero={self.n_nonzero}/{len(self.params)}>")


# ----------------------------------------------------------------------------------------------
def _columns(X, cols):
    """Dense copy of the columns ``cols`` of X (a FactorMatrix's dense columns without densifying the rest)."""
    if isinstance(X, np.ndarray):
        return np.ascontiguousarray(X[:, cols])
    dense_cols = list(getattr(X, "dense_cols", []))
    if all(c in dense_cols for c in cols):
        return np.ascontiguousarray(X.dense[:, [dense_cols.index(c) for c in cols]])
    return np.ascontiguousarray(np.asarray(X)[:, cols])


def alpha_max(model, l1_ratio=1.0, penalty_weights=None):
    """Smallest alpha at which every penalized coefficient is 0 (glmnet's lambda.max).

    Notes
    -----
    At the fit with only the unpenalized columns (the intercept), b = 0 for the penalized
    columns is optimal iff |g_j| <= alpha l1_ratio v_j, where g_j = x_j' w (y - mu) mu'(eta)
    / V(mu) / sum(w) is the gradient of the deviance part. So alpha_max = max_j |g_j| /
    (l1_ratio v_j) over v_j > 0. For l1_ratio < 1e-3 (ridge has no finite alpha_max) l1_ratio
    = 1e-3 is used, as glmnet and scikit-learn do. The value returned is 1e-10 (relative) above
    that bound, so that rounding in the gradient cannot leave a coefficient of 1e-15 at alpha_max.
    """
    check_convex(model.family)
    v, _ = _penalty_weights(model, penalty_weights)
    d = model.data
    free = v == 0
    sum_w = float(np.sum(d.weights))
    beta = np.zeros(d.X.shape[1])
    if free.any():
        sub = GLMData(X=_columns(d.X, np.flatnonzero(free)), y=d.y, weights=d.weights, offset=d.offset)
        fit = irls(sub, model.family, maxiter=100, tol=1e-12)
        beta[free] = np.nan_to_num(fit.beta)
    cur = _evaluate(d, model.family, beta=beta)
    grad = (cur.acc.xtwz - cur.acc.xtwx @ beta) / sum_w
    pen = v > 0
    if not pen.any():
        return 0.0
    # raised by 1e-10 relative: the fit at alpha_max then stays exactly 0 whatever the rounding of the gradient
    return float(np.max(np.abs(grad[pen]) / (max(l1_ratio, 1e-3) * v[pen]))) * (1.0 + 1e-10)


class RegularizationPath:
    """Coefficients along a decreasing alpha grid.

    Attributes
    ----------
    alphas : ndarray
        The grid, decreasing.
    coefs : DataFrame
        Rows: alphas (index named ``alpha``); columns: the terms.
    l1_ratio : float
    objective, deviance, n_iter, converged, n_nonzero : ndarray
        Per alpha.
    """

    def __init__(self, alphas, l1_ratio, coefs, objective, deviance, n_iter, converged):
        self.alphas = np.asarray(alphas, dtype=float)
        self.l1_ratio = l1_ratio
        self.coefs = coefs
        self.objective = np.asarray(objective)
        self.deviance = np.asarray(deviance)
        self.n_iter = np.asarray(n_iter)
        self.converged = np.asarray(converged)
        self.n_nonzero = (coefs.to_numpy() != 0).sum(axis=1)

    def __repr__(self):
        return (f"<RegularizationPath {len(self.alphas)} alphas from {self.alphas[0]:.4g} to {self.alphas[-1]:.4g}, "
                f"l1_ratio={self.l1_ratio:g}>")


def regularization_path(model, alphas=None, l1_ratio=1.0, n_alphas=100, eps=1e-3, **kwargs):
    """Elastic-net fits along a decreasing alpha grid with warm starts (R: ``glmnet``'s lambda path).

    Parameters
    ----------
    model : GLM
    alphas : array-like, optional
        The grid (sorted decreasing). Default: ``n_alphas`` values log-spaced from
        :func:`alpha_max` down to ``eps * alpha_max``.
    l1_ratio : float
        As in :func:`fit_regularized`; default 1 (lasso), as glmnet's default ``alpha = 1``.
    n_alphas, eps
        The default grid.
    **kwargs
        Passed to :func:`fit_regularized` (``penalty_weights``, ``tol``, ...).

    Returns
    -------
    RegularizationPath
        ``.alphas`` and ``.coefs`` (DataFrame, rows alphas, columns terms).
    """
    l1_ratio = _check_scalar(l1_ratio, "l1_ratio", 0.0, 1.0)
    if alphas is None:
        amax = alpha_max(model, l1_ratio, kwargs.get("penalty_weights"))
        if not amax > 0:
            raise ValueError("alpha_max is 0 (nothing is penalized or the null fit is exact); pass alphas=")
        alphas = np.geomspace(amax, amax * eps, int(n_alphas))
    alphas = np.sort(np.asarray(alphas, dtype=float).reshape(-1))[::-1]
    if alphas.size == 0 or np.any(alphas < 0) or not np.all(np.isfinite(alphas)):
        raise ValueError("alphas must be a non-empty set of finite non-negative numbers")
    start = kwargs.pop("start_params", None)
    rows, obj, dev, nit, conv = [], [], [], [], []
    for a in alphas:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            res = fit_regularized(model, a, l1_ratio=l1_ratio, start_params=start, **kwargs)
        for w in caught:
            if not issubclass(w.category, ConvergenceWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        start = res.params.to_numpy()
        rows.append(start)
        obj.append(res.objective)
        dev.append(res.deviance)
        nit.append(res.n_iter)
        conv.append(res.converged)
    if not all(conv):
        bad = [f"{a:.4g}" for a, c in zip(alphas, conv) if not c]
        warnings.warn(f"the penalized fit did not converge at alpha = {', '.join(bad)}", ConvergenceWarning,
                      stacklevel=2)
    coefs = pd.DataFrame(np.vstack(rows), index=pd.Index(alphas, name="alpha"), columns=list(model.exog_names))
    return RegularizationPath(alphas, l1_ratio, coefs, obj, dev, nit, conv)
