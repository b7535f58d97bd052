"""Elastic-net penalized GLMs: ``GLM.fit_regularized`` and ``regularization_path``.

The objective (the contract in API.md; scikit-learn's GLM regressors, glum, and glmnet with
``standardize = FALSE``) is

    F(b) = 1 / (2 sum(w)) * sum_i w_i d(y_i, mu_i)
           + alpha * sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio) / 2 b_j^2)

with w the prior weights (var_weights * freq_weights), d the family's unit deviance,
mu_i = g^{-1}(x_i'b + offset_i) and v_j the penalty weights (0 for the intercept, 1 for
the other columns unless ``penalty_weights=`` says otherwise).

The solver (:func:`glmstats.engine.penalized.fit_elastic_net`, as glmnet and glum): an outer
Newton / Fisher-scoring loop on the deviance part, each iteration one threaded pass over the rows
by the same engine as IRLS, and an inner cyclic coordinate descent on the penalized weighted
least-squares problem; this module is the front end (penalty weights, checks, results, the
path and alpha_max).

Family/link pairs whose unit deviance is convex in eta for every admissible y are accepted
(see :func:`check_convex`): then F is convex in b and the solution is unique (for l1_ratio < 1
and penalized columns). One non-convex case is fitted too, with a
:class:`~glmstats.exceptions.NonConvexWarning` (see :func:`check_penalizable`): the log link with
variance mu^p, p > 2 (Tweedie p > 2, inverse Gaussian), as scikit-learn's ``TweedieRegressor`` and
glum fit it.
"""

import warnings
from functools import cached_property

import numpy as np
import pandas as pd

from ..exceptions import ConvergenceWarning, NonConvexWarning
from ..families import links as L
from ..engine.irls import irls
from ..engine.passes import evaluate
from ..engine.penalized import fit_elastic_net, penalized_objective
from ..engine.trace import verbose_output
from ..report.summary import PenalizedSummary

__all__ = ["fit_regularized", "regularization_path", "alpha_max", "PenalizedResults", "RegularizationPath",
           "check_convex", "check_penalizable", "penalized_objective"]


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
            "Tweedie 1 < p < 2) or the negative binomial, and binomial with probit/cloglog/loglog; "
            "fit_regularized also fits the log link with variance mu^p, p > 2 (Tweedie p > 2), with a warning")


def check_penalizable(family, stacklevel=4):
    """Raise ValueError unless the penalized fit of ``family`` is well defined; warn when it is not convex.

    Accepted: the families of :func:`check_convex`, and, with a
    :class:`~glmstats.exceptions.NonConvexWarning`, the log link with variance V(mu) = mu^p, p > 2
    (Tweedie p > 2, inverse Gaussian; scikit-learn: ``TweedieRegressor(power=p, link="log")``; glum).

    Notes
    -----
    With eta = log mu the unit deviance has d''(eta) = 2 mu^(1-p) ((p - 1) y + (2 - p) mu), negative
    where mu > (p - 1) y / (p - 2): F may have several stationary points. Fisher scoring stays well
    defined, its working weights w mu^(2-p) being positive, and each of its steps is a descent direction
    of F (the step-halving line search then decreases F), so the fit converges to a stationary point
    (the KKT conditions hold, ``kkt_max``): the minimum scikit-learn's and glum's solvers reach from the
    null-model start on ordinary data. The observed (Newton) weights, which can be negative here, are not
    used (the family declares no ``newton_term`` for p > 2).
    """
    if family.deviance_convex_in_eta:
        return
    p = family.variance_power
    if isinstance(family.link, L.Log) and p is not None and p > 2:
        warnings.warn(f"the penalized objective of {family!r} is not convex in the coefficients (log link, "
                      f"variance power {p:g} > 2): Fisher scoring finds a stationary point, which may not be the "
                      "only minimum (try other start_params to check)", NonConvexWarning, stacklevel=stacklevel)
        return
    check_convex(family)


# ----------------------------------------------------------------------------------------------
# penalty set-up
def _penalty_weights(model, penalty_weights):
    """Per-column penalty weights v_j (length p); default 1, 0 for the intercept."""
    names = list(model.exog_names)
    p = len(names)
    v = np.ones(p)
    icpt = model.intercept_index
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


# ----------------------------------------------------------------------------------------------
def _check_scalar(value, name, low=0.0, high=None):
    if not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value) or value < low or (
            high is not None and value > high):
        rng = f"in [{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise ValueError(f"{name} must be a finite number {rng}, got {value!r}")
    return float(value)


def fit_regularized(model, alpha, l1_ratio=0.0, *, penalty_weights=None, start_params=None, maxiter=100, tol=1e-10,
                    cd_maxiter=10000, cd_tol=1e-12, verbose=False):
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
        Outer convergence: the step proposed by the inner solve satisfies ``max_j |db_j| / (1 + |b_j|) < tol``.
    cd_maxiter, cd_tol : int, float
        Coordinate-descent sweeps per inner problem and their convergence threshold
        (max_j (A_jj + l2_j) db_j^2 < cd_tol, glmnet's criterion).
    verbose : bool
        Print one line per outer iteration while fitting (objective, deviance, largest proposed
        change, step-halvings): DEBUG records of the logger ``glmstats.fit`` sent to stdout for the
        duration of the fit; ``res.fit_history`` keeps them.

    Returns
    -------
    PenalizedResults

    Notes
    -----
    Minimises::

        F(b) = 1/(2 sum(w)) sum_i w_i d(y_i, mu_i) + alpha sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio)/2 b_j^2)

    with w = var_weights * freq_weights (R's prior weights), d the unit deviance and the
    offset in eta. With ``l1_ratio = 0`` this is the objective of scikit-learn's
    PoissonRegressor / GammaRegressor / TweedieRegressor(alpha=alpha) and of
    LogisticRegression(C=1 / (alpha n)); with ``l1_ratio > 0`` that of glmnet
    (standardize = FALSE) and glum (``alpha``, ``l1_ratio``). No standard errors are computed:
    the usual GLM formulas are not valid for penalized estimates.

    The family must make F convex (:func:`check_convex`), except the log link with variance mu^p,
    p > 2 (Tweedie p > 2, inverse Gaussian: scikit-learn's ``TweedieRegressor(power=p, link="log")``),
    fitted by Fisher scoring with a :class:`~glmstats.exceptions.NonConvexWarning`
    (:func:`check_penalizable`).
    """
    check_penalizable(model.family)
    alpha = _check_scalar(alpha, "alpha")
    l1_ratio = _check_scalar(l1_ratio, "l1_ratio", 0.0, 1.0)
    if not (isinstance(maxiter, (int, np.integer)) and maxiter >= 1):
        raise ValueError(f"maxiter must be a positive integer, got {maxiter!r}")
    tol = _check_scalar(tol, "tol")
    if tol <= 0:
        raise ValueError("tol must be positive")
    v, icpt = _penalty_weights(model, penalty_weights)
    with verbose_output(verbose):
        fit = fit_elastic_net(model.data, model.family, alpha, l1_ratio, v, icpt, start_params=start_params,
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
    fit_history : DataFrame
        One row per outer iteration: ``iteration``, ``objective``, ``deviance``, ``max_change`` (the
        largest proposed ``|db_j| / (1 + |b_j|)``, the convergence criterion) and ``step_halvings``.
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
        self._history = fit["history"]
        self.converged = bool(fit["converged"])
        self.kkt_max = float(fit["kkt"])
        self.tol = tol
        self.maxiter = maxiter
        self.nobs = model.nobs
        self.n_nonzero = int(np.sum(fit["beta"] != 0))
        self.method = "IRLS + coordinate descent (elastic net)"

    @property
    def fit_history(self):
        columns, rows = self._history  # a DataFrame only when asked for: a path makes many fits
        return pd.DataFrame(list(rows), columns=list(columns)).astype({"iteration": int, "step_halvings": int})

    @cached_property
    def linear_predictor(self):
        """eta = X b + offset (computed when first asked for, by row blocks)."""
        d = self.model.data
        eta = np.concatenate([eb for *_, eb in d.blocks(beta=self.params.to_numpy())] or [np.zeros(0)])
        return pd.Series(eta, index=self.model.row_index, name="linear_predictor")

    @cached_property
    def fittedvalues(self):
        """Fitted means g^{-1}(eta)."""
        return pd.Series(self.family.link.inverse(self.linear_predictor.to_numpy()), index=self.model.row_index,
                         name="fitted")

    def predict(self, newdata=None, which="mean", offset=None, exposure=None):
        """Predicted mean (``which="mean"``) or linear predictor (``"linear"``), as GLMResults.predict."""
        if which not in ("mean", "linear"):
            raise ValueError(f'which must be "mean" or "linear", got {which!r}')
        if newdata is None:
            out = self.linear_predictor if which == "linear" else self.fittedvalues
            return out.copy()
        X, off = self.model.design_rows(newdata, offset=offset, exposure=exposure)
        eta = X.matvec(self.params.to_numpy()) + off
        index = newdata.index if isinstance(newdata, (pd.DataFrame, pd.Series)) else None
        values = eta if which == "linear" else self.family.link.inverse(eta)
        return pd.Series(values, index=index, name="linear_predictor" if which == "linear" else "predicted_mean")

    def summary(self):
        """Plain-text report: coefficients and penalty weights only (no SEs or p-values, see Notes)."""
        return PenalizedSummary(self)

    def __repr__(self):
        return (f"<PenalizedResults {self.family!r} alpha={self.alpha:g} l1_ratio={self.l1_ratio:g} "
                f"objective={self.objective:.10g} nonzero={self.n_nonzero}/{len(self.params)}>")

    def _repr_html_(self):
        """In a notebook: the summary (coefficients and penalty weights)."""
        return self.summary()._repr_html_()


# ----------------------------------------------------------------------------------------------
def alpha_max(model, l1_ratio=1.0, penalty_weights=None):
    """Smallest alpha at which every penalized coefficient is 0 (glmnet's lambda.max).

    Notes
    -----
    At the fit with only the unpenalized columns (the intercept), b = 0 for the penalized
    columns is optimal iff ``|g_j| <= alpha l1_ratio v_j``, where g_j = x_j' w (y - mu) mu'(eta)
    / V(mu) / sum(w) is the gradient of the deviance part. So ``alpha_max = max_j |g_j| /
    (l1_ratio v_j)`` over v_j > 0. For l1_ratio < 1e-3 (ridge has no finite alpha_max) l1_ratio
    = 1e-3 is used, as glmnet and scikit-learn do. The value returned is 1e-10 (relative) above
    that bound, so that rounding in the gradient cannot leave a coefficient of 1e-15 at alpha_max.
    """
    check_penalizable(model.family, stacklevel=3)
    v, _ = _penalty_weights(model, penalty_weights)
    d = model.data
    free = v == 0
    sum_w = float(np.sum(d.weights))
    beta = np.zeros(d.X.shape[1])
    if free.any():
        fit = irls(d.with_columns(np.flatnonzero(free)), model.family, maxiter=100, tol=1e-12)
        beta[free] = np.nan_to_num(fit.beta)
    cur = evaluate(d, model.family, beta=beta, newton=True)
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

    def _display(self):
        """The path as a frame (alpha, non-zero coefficients, deviance, objective, iterations, then the
        coefficients), its heading and notes: what __repr__ and _repr_html_ show."""
        frame = pd.DataFrame({"Df": self.n_nonzero, "Deviance": self.deviance, "Objective": self.objective,
                              "Iterations": self.n_iter}, index=pd.Index(self.alphas, name="alpha"))
        frame = pd.concat([frame, self.coefs.set_axis(frame.index)], axis=1)
        heading = [f"Elastic-net path: {len(self.alphas)} alphas, l1_ratio = {self.l1_ratio:g}"]
        notes = [] if self.converged.all() else [f"{int((~self.converged).sum())} fit(s) did not converge"]
        return frame, heading, notes

    def __repr__(self):
        from ..report.display import frame_text

        frame, heading, notes = self._display()
        return frame_text(frame.reset_index(), heading=heading, notes=notes)

    def _repr_html_(self):
        from ..report.display import frame_html

        frame, heading, notes = self._display()
        return frame_html(frame.reset_index(), heading=heading, notes=notes)


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
