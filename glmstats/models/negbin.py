"""Negative binomial regression with theta estimated by maximum likelihood (R: ``MASS::glm.nb``).

The model is y ~ NB(mu, theta) with variance mu + mu^2 / theta and g(mu) = X b + offset.
For fixed theta it is a GLM (:class:`glmstats.families.NegativeBinomial` with
alpha = 1/theta); theta itself is not a GLM parameter.  As in MASS, the two are
estimated by alternation:

1. a Poisson fit (or a negative binomial fit at ``init_theta``) gives mu;
2. theta by ML at fixed mu (:func:`theta_ml`, MASS's ``theta.ml``: Newton's method on
   the score, started from the moment estimate);
3. IRLS at that theta, started from the current mu; back to 2. until both the
   log-likelihood and theta settle (MASS's criterion).

MASS stops there, with theta estimated one step behind the coefficients.  ``fit()``
then continues the alternation to machine precision (each IRLS run to convergence, theta
to 1e-15 relative), so that coefficients, theta and the log-likelihood belong to the same
maximum; ``fit(polish=False)`` returns MASS's values as MASS returns them.

Standard errors are those glm.nb reports: the coefficients' from the GLM at the final
theta with dispersion 1, theta's from the information of theta at fixed mu.
"""

import copy
import warnings
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from .. import families as F
from ..families import links as L
from ..exceptions import ConvergenceWarning, FitError
from ..engine.irls import evaluate_mu, irls
from ..engine.trace import Trace, verbose_output
from .glm import GLM
from .diagnostics import diagnose
from .results import GLMResults

__all__ = ["NegativeBinomialModel", "NegativeBinomialResults", "ThetaML", "glm_nb", "theta_ml"]

_THETA_EPS = np.finfo(float).eps ** 0.25  # MASS::theta.ml's default eps


class ThetaML(NamedTuple):
    """What :func:`theta_ml` returns."""

    theta: float
    se: float          # 1 / sqrt(information), at the last Newton iterate before the final step (MASS)
    n_iter: int
    warning: str       # "" or MASS's warning text ("iteration limit reached", "estimate truncated at zero")


def _y_groups(y, w):
    """Distinct counts and their summed weights: the gamma-function terms depend on y only, and counts
    repeat, so they are evaluated once per distinct value (polygamma is slow on long arrays)."""
    yu, inverse = np.unique(y, return_inverse=True)
    if yu.size > 0.5 * y.size:
        return y, w
    return yu, np.bincount(inverse.ravel(), weights=w, minlength=yu.size)


def _score(theta, y, mu, w, groups=None):
    """d loglik / d theta at fixed mu (MASS's ``score`` in ``theta.ml``)."""
    yu, wy = _y_groups(y, w) if groups is None else groups
    return float(np.sum(wy * special.digamma(theta + yu))
                 + np.sum(w * (-special.digamma(theta) + np.log(theta) + 1.0 - np.log(theta + mu)
                               - (y + theta) / (mu + theta))))


def _information(theta, y, mu, w, groups=None):
    yu, wy = _y_groups(y, w) if groups is None else groups
    return float(-np.sum(wy * special.polygamma(1, theta + yu))
                 + np.sum(w * (special.polygamma(1, theta) - 1.0 / theta + 2.0 / (mu + theta)
                               - (y + theta) / (mu + theta) ** 2)))


def theta_information(theta, y, mu, weights=None):
    """Observed information of theta at fixed mu, -d^2 loglik / d theta^2 (MASS's ``info`` in ``theta.ml``).

    Notes
    -----
    sum_i w_i [ -psi'(theta + y_i) + psi'(theta) - 1/theta + 2/(mu_i + theta) - (y_i + theta)/(mu_i + theta)^2 ],
    psi' the trigamma function.
    """
    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    return _information(float(theta), y, mu, w)


def theta_ml(y, mu, weights=None, *, limit=10, eps=_THETA_EPS):
    """ML estimate of theta at fixed means (R: ``MASS::theta.ml(y, mu, sum(w), w, limit, eps)``).

    Parameters
    ----------
    y, mu : array-like
        Counts and their (fixed) means.
    weights : array-like, optional
        Prior weights; they multiply each observation's log-likelihood.
    limit : int
        Newton iterations allowed (as MASS, at most ``limit - 1`` are done).
    eps : float
        Stop when the Newton step ``|delta theta| <= eps`` (MASS's default: machine epsilon^(1/4)).

    Returns
    -------
    ThetaML
        ``theta``, its standard error ``se`` and the number of Newton steps.

    Notes
    -----
    Newton's method on the score
    U(theta) = sum w [psi(theta + y) - psi(theta) + log(theta) + 1 - log(theta + mu) - (y + theta)/(mu + theta)],
    started from the moment estimate theta_0 = sum(w) / sum(w (y/mu - 1)^2). As MASS, each step
    takes ``|theta|`` first, and ``se`` = 1/sqrt(I) with I the observed information
    (:func:`theta_information`) at the iterate before the last step.
    """
    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = float(np.sum(w) / np.sum(w * (y / mu - 1.0) ** 2))
    if not np.isfinite(t0) or t0 <= 0:
        raise FitError("cannot start theta.ml: the moment estimate of theta is not a positive number "
                       "(the fitted means equal the counts, or mu is not positive)")
    groups = _y_groups(y, w)
    it, delta, info = 0, 1.0, np.nan
    message = ""
    while True:
        it += 1
        if not (it < limit and abs(delta) > eps):
            break
        t0 = abs(t0)
        i_new = _information(t0, y, mu, w, groups)
        with np.errstate(divide="ignore", invalid="ignore"):
            d_new = np.float64(_score(t0, y, mu, w, groups)) / np.float64(i_new)
        if not (np.isfinite(d_new) and i_new > 0):
            # theta so large that the information underflows: no overdispersion left to estimate
            # (where R's Newton would go on to Inf/NaN); keep the last finite iterate
            message = "theta diverges (information of theta vanished: no overdispersion)"
            break
        info, delta = i_new, float(d_new)
        t0 = t0 + delta
    if t0 < 0:
        t0, message = 0.0, "estimate truncated at zero"
    if it == limit:
        message = "iteration limit reached"
    return ThetaML(theta=float(t0), se=float(np.sqrt(1.0 / info)) if info > 0 else np.nan, n_iter=it - 1,
                   warning=message)


def _nb_loglike(theta, y, mu, w):
    """MASS's ``loglik`` in glm.nb: sum w log dnbinom(y, size = theta, mu = mu) (the family's log-likelihood)."""
    return F.NegativeBinomial(1.0 / theta).loglike(y, mu, w)


@dataclass
class _Alternation:
    """Where MASS's alternation stopped."""

    fit: object            # IRLSFit of the last IRLS run
    family: object         # the family that run used (theta one step behind ``theta``)
    theta: float
    theta_se: float
    theta_warning: str
    n_outer: int
    outer_converged: bool
    history: object        # trace.History of the alternation: theta, 2 x log-likelihood, IRLS iterations


def _check_init_theta(init_theta):
    if init_theta is None:
        return None
    try:
        value = float(init_theta)
    except (TypeError, ValueError):
        raise ValueError(f"init_theta must be a positive number, got {init_theta!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"init_theta must be a positive number, got {init_theta!r}")
    return value


def _family(theta, link):
    if not (np.isfinite(theta) and theta > 0):
        raise FitError(f"theta.ml gave theta = {theta:g}; the negative binomial is not defined there "
                       "(the data may be under-dispersed: try a Poisson model)")
    return F.NegativeBinomial(alpha=1.0 / theta, link=link)


class NegativeBinomialModel:
    """Negative binomial GLM with theta estimated by ML (R: ``MASS::glm.nb``).

    Build it with :func:`glm_nb` (formula) or from arrays with the arguments of
    :class:`glmstats.GLM` (without ``family``); call :meth:`fit`.

    Attributes
    ----------
    glm : GLM
        The underlying GLM (its family is a placeholder NegativeBinomial; the fitted
        results carry a model whose family has the estimated theta).
    link : Link
    init_theta : float or None
    """

    def __init__(self, endog, exog, link="log", offset=None, exposure=None, var_weights=None, freq_weights=None,
                 missing="drop", init_theta=None):
        link, init_theta = L.get_link(link), _check_init_theta(init_theta)
        self._init(GLM(endog, exog, family=F.NegativeBinomial(1.0, link=link), offset=offset, exposure=exposure,
                       var_weights=var_weights, freq_weights=freq_weights, missing=missing), init_theta)

    @classmethod
    def from_formula(cls, formula, data, *, link="log", offset=None, exposure=None, var_weights=None,
                     freq_weights=None, missing="drop", init_theta=None):
        """Build the model from a formula and a DataFrame; see :func:`glm_nb`."""
        link, init_theta = L.get_link(link), _check_init_theta(init_theta)
        self = cls.__new__(cls)
        self._init(GLM.from_formula(formula, data, family=F.NegativeBinomial(1.0, link=link), offset=offset,
                                    exposure=exposure, var_weights=var_weights, freq_weights=freq_weights,
                                    missing=missing), init_theta)
        return self

    def _init(self, glm, init_theta):
        self.glm = glm
        self.link = glm.family.link
        self.init_theta = init_theta

    # the GLM's descriptive attributes, for convenience
    formula = property(lambda self: self.glm.formula)
    design = property(lambda self: self.glm.design)
    exog_names = property(lambda self: self.glm.exog_names)
    endog_name = property(lambda self: self.glm.endog_name)
    nobs = property(lambda self: self.glm.nobs)

    def __repr__(self):
        what = self.formula if self.formula is not None else f"{len(self.exog_names)} columns"
        return f"<NegativeBinomialModel: {what}, link={self.link.name!r}>"

    # ------------------------------------------------------------------------------------
    def fit(self, *, maxiter=100, tol=1e-8, polish=True, start_params=None, cov_type="nonrobust", cov_kwds=None,
            use_t=None, verbose=False):
        """Estimate the coefficients and theta (R: ``MASS::glm.nb``).

        Parameters
        ----------
        maxiter : int
            R's ``maxit``: the IRLS iterations of each fit, the alternations, and theta.ml's
            Newton steps (``limit``).
        tol : float
            R's ``epsilon``: each IRLS fit stops when ``|dev - dev_old| / (|dev| + 0.1) < tol``, and
            the alternation when ``|L - L_old| / d1 + |theta - theta_old| < tol``, with
            d1 = sqrt(2 max(1, df_resid)) (MASS's rule).
        polish : bool
            True (default): continue the alternation to machine precision, so that every number
            is that of the converged ML (theta to 1e-15 relative). False: stop where MASS stops and
            return its values as MASS returns them (coefficients of the last IRLS fit, which used
            the previous theta; theta's SE at the last Newton iterate but one).
        start_params : array-like, optional
            Starting coefficients of the initial Poisson fit (R's ``start``).
        cov_type, cov_kwds, use_t :
            As :meth:`glmstats.GLM.fit`; the covariance is that of the coefficients at fixed theta.
        verbose : bool
            Print the iterations while fitting (DEBUG records of the logger ``glmstats.fit`` sent to
            stdout; MASS's ``glm.nb(trace = 2)``): one line per IRLS iteration of the fits in MASS's
            alternation, one per alternation (theta, 2 x log-likelihood) and, with ``polish``, one per
            polishing alternation (theta and its relative change; its IRLS fits are not traced).

        Returns
        -------
        NegativeBinomialResults

        Notes
        -----
        ``n_iter`` is R's ``iter`` of the glm.nb object: the IRLS iterations of the last fit of
        MASS's alternation (``summary`` prints it as the number of Fisher scoring iterations);
        ``n_iter_outer`` counts the alternations. ``fit_history`` is the history of that last IRLS fit
        (at the theta before the final one, so with ``polish`` its last deviance is not ``deviance``);
        ``theta_history`` that of the alternation.
        """
        if not (isinstance(maxiter, (int, np.integer)) and maxiter >= 2):
            raise ValueError(f"maxiter must be an integer >= 2, got {maxiter!r}")
        if not (isinstance(tol, (int, float, np.floating)) and tol > 0):
            raise ValueError(f"tol must be a positive number, got {tol!r}")
        maxiter = int(maxiter)
        with verbose_output(verbose):
            a = self._alternate(maxiter, float(tol), start_params)
            polished = polish and not a.theta_warning  # (a theta.ml warning: no finite maximum to polish towards)
            if polished:
                theta, fit, family = self._polish(a.fit, a.theta, maxiter)
        if not a.outer_converged:
            warnings.warn(f"alternation limit reached: theta and the coefficients did not settle in {maxiter} "
                          "alternations (MASS: 'alternation limit reached')", ConvergenceWarning, stacklevel=2)
        if a.theta_warning:
            warnings.warn(f"theta.ml: {a.theta_warning} (theta = {a.theta:g})", ConvergenceWarning, stacklevel=2)
        if not polished:
            fit, family, theta, theta_se = a.fit, a.family, a.theta, a.theta_se
        else:
            y, mu, w = self._positive(evaluate_mu(self.glm.data, family, fit.beta)[1])
            theta_se = 1.0 / np.sqrt(theta_information(theta, y, mu, w))

        converged = a.fit.converged and a.outer_converged and not a.theta_warning
        state = self.glm.fit_state(replace(fit, n_iter=a.fit.n_iter, converged=converged, history=a.fit.history),
                                   tol=tol, maxiter=maxiter, family=family)
        # rank deficiency, separation and the last IRLS fit's convergence, worded as for any GLM
        diagnosis = diagnose(state, converged=a.fit.converged)
        return NegativeBinomialResults(_fitted_glm(self.glm, family), state, separation=diagnosis.separation,
                                       theta=theta, theta_se=theta_se, n_iter_outer=a.n_outer, polished=bool(polish),
                                       theta_history=a.history, cov_type=cov_type, cov_kwds=cov_kwds, use_t=use_t)

    def _positive(self, mu):
        """y, mu and the prior weights of the rows with positive weight (the others carry no likelihood)."""
        d = self.glm.data
        pos = d.weights > 0
        return d.y[pos], mu[pos], d.weights[pos]

    def _irls(self, family, beta, **kwargs):
        start = None if beta is None else np.where(np.isnan(beta), 0.0, beta)  # aliased columns count as 0
        return irls(self.glm.data, family, start_params=start, **kwargs)

    def _alternate(self, maxiter, tol, start_params):
        """MASS::glm.nb's loop, step by step (see the module docstring)."""
        d = self.glm.data
        link = self.link
        fam0 = F.Poisson(link=link) if self.init_theta is None else _family(self.init_theta, link)
        fit = self._irls(fam0, start_params, maxiter=maxiter, tol=tol)
        mu = evaluate_mu(d, fam0, fit.beta)[1]
        th = theta_ml(*self._positive(mu), limit=maxiter)
        fam = fit_family = _family(th.theta, link)
        df_resid = float(np.sum(self.glm.freq_weights[d.weights > 0])) - int(fit.kept.sum())
        d1 = np.sqrt(2.0 * max(1.0, df_resid))
        delta = 1.0
        lm = _nb_loglike(th.theta, *self._positive(mu))
        lm0 = lm + 2.0 * d1
        n_outer = 0
        # row 0: the theta of the initial fit (MASS's "Initial value for 'theta'")
        trace = Trace("Theta", ("theta", "twologlik", "irls_iterations"),
                      "theta = %.8g, 2 x log-likelihood = %.10g, IRLS iterations = %d")
        trace.record(0, th.theta, 2.0 * lm, fit.n_iter)
        while n_outer < maxiter and abs(lm0 - lm) / d1 + abs(delta) > tol:
            n_outer += 1
            fit = self._irls(fam, fit.beta, maxiter=maxiter, tol=tol)
            fit_family = fam
            t_old = th.theta
            th = theta_ml(*self._positive(mu), limit=maxiter)  # at the mu *before* this fit, as MASS
            fam = _family(th.theta, link)
            mu = evaluate_mu(d, fit_family, fit.beta)[1]
            delta = t_old - th.theta
            lm0, lm = lm, _nb_loglike(th.theta, *self._positive(mu))
            trace.record(n_outer, th.theta, 2.0 * lm, fit.n_iter)
        return _Alternation(fit=fit, family=fit_family, theta=th.theta, theta_se=th.se, theta_warning=th.warning,
                            n_outer=n_outer, outer_converged=not (abs(lm0 - lm) / d1 + abs(delta) > tol),
                            history=trace.finish(True))

    def _polish(self, fit, theta, maxiter):
        """Alternate fixed-theta IRLS (to machine precision) and theta.ml (to 1e-11) until theta is stable.

        The stopping rule is theta's relative change <= 1e-15, or no further decrease once it is below
        1e-12 (rounding noise).
        """
        d = self.glm.data
        beta = fit.beta
        change_old = np.inf
        # one line per alternation; its IRLS fits (to machine precision) are not traced
        trace = Trace("Theta polish", ("theta", "relative_change"), "theta = %.15g, relative change = %.3g")
        for k in range(1, max(maxiter, 100) + 1):
            fam = _family(theta, self.link)
            beta = self._irls(fam, beta, maxiter=200, tol=1e-15, label=None).beta
            th = theta_ml(*self._positive(evaluate_mu(d, fam, beta)[1]), limit=1000, eps=1e-11)
            if th.warning:
                break
            change = abs(th.theta - theta) / theta
            theta = th.theta
            trace.record(k, theta, change)
            if change <= 1e-15 or (change < 1e-12 and change >= change_old):
                break
            change_old = change
        fam = _family(theta, self.link)
        # R's rule bounds the change in deviance, which leaves the coefficients ~sqrt(tol) off for
        # non-canonical links: a few more steps
        fit = self._irls(fam, beta, maxiter=200, tol=1e-15, label=None)
        return theta, self._irls(fam, fit.beta, maxiter=3, tol=1e-300, label=None), fam


def _fitted_glm(glm, family):
    """A shallow copy of the GLM whose family carries the estimated theta (the data arrays are shared)."""
    model = copy.copy(glm)
    model.family = family
    return model


class NegativeBinomialResults(GLMResults):
    """Results of :meth:`NegativeBinomialModel.fit` (R: a ``negbin`` object and ``summary.negbin``).

    Everything of :class:`~glmstats.models.results.GLMResults` at the estimated theta (dispersion
    fixed at 1, ``family`` = NegativeBinomial(alpha = 1/theta)), plus:

    Attributes
    ----------
    theta, theta_se : float
        MASS's ``theta`` and ``SE.theta`` (1/sqrt(information of theta at fixed mu)).
    alpha : float
        1/theta (statsmodels' parametrisation, variance mu + alpha mu^2).
    twologlik : float
        2 llf (MASS's ``twologlik``).
    n_iter_outer : int
        Alternations of IRLS and theta.ml in MASS's loop.
    polished : bool
        Whether the alternation was continued to the converged ML (``fit(polish=True)``).
    theta_history : DataFrame
        MASS's alternation, one row each (``alternation`` 0 is the initial fit): ``theta`` by ML at
        the means before that alternation's IRLS fit, ``twologlik`` at that theta and the means after
        it, and ``irls_iterations`` of the fit (R: the lines of ``glm.nb(trace = TRUE)``).

    Notes
    -----
    ``llf`` is the negative binomial log-likelihood at theta; ``aic`` = -2 llf + 2 (rank + 1)
    and ``bic`` = -2 llf + log(nobs) (rank + 1) count theta as a parameter (R: ``AIC``/``BIC`` of a
    negbin object). ``null_deviance`` and ``llnull`` are those of the intercept-only model at
    the final theta (R's ``null.deviance``).
    """

    method = "IRLS, theta by ML"

    def __init__(self, model, state, *, theta, theta_se, n_iter_outer, polished, theta_history=None, **kwargs):
        super().__init__(model, state, **kwargs)
        self._theta_history = theta_history
        self.theta = float(theta)
        self.theta_se = float(theta_se)
        self.alpha = 1.0 / self.theta
        self.n_iter_outer = int(n_iter_outer)
        self.polished = polished

    @property
    def k_loglike(self):
        """rank + 1: theta is a parameter (R: ``AIC`` of a negbin object)."""
        return self.rank + 1

    @property
    def extract_aic(self):
        """R's ``extractAIC`` of a negbin object (MASS's ``extractAIC.negbin``): -2 llf + 2 rank, theta not
        counted; the AIC column of R's ``drop1`` is anchored on it."""
        return -2.0 * self.llf + 2.0 * self.rank

    @property
    def theta_history(self):
        columns, rows = self._theta_history
        frame = pd.DataFrame(list(rows), columns=["alternation"] + list(columns[1:]))
        return frame.astype({"alternation": int, "irls_iterations": int})

    @property
    def twologlik(self):
        return 2.0 * self.llf

    def summary(self, alpha=0.05, *, digits=6):
        """The GLM summary with theta and its standard error in the header (R: ``summary.negbin``).

        Parameters
        ----------
        alpha : float, default 0.05
            The confidence intervals have level ``1 - alpha`` (a number in (0, 1)).
        digits : int, default 6

        Returns
        -------
        glmstats.report.summary.Summary
        """
        from ..report.summary import Summary

        return Summary(self, alpha=alpha, digits=digits,
                       extra_rows=[("Theta", self.theta), ("Std. Err. theta", self.theta_se)])

    def __repr__(self):
        """Short text (R's ``print.negbin``): the GLM's, then theta and its standard error."""
        from ..report.display import glm_repr
        from ..report.format import fmt_num

        return (f"{glm_repr(self)}\nTheta: {fmt_num(self.theta, 4)}  (Std. Err. {fmt_num(self.theta_se, 4)}), "
                "estimated by ML")


def glm_nb(formula, data, *, link="log", offset=None, exposure=None, var_weights=None, freq_weights=None,
           missing="drop", init_theta=None):
    """Negative binomial regression with theta estimated by ML (R: ``MASS::glm.nb``).

    Parameters
    ----------
    formula : str
        e.g. ``"Days ~ Eth + Sex + Age + Lrn"``; ``offset(np.log(t))`` terms work as in :func:`glmstats.glm`.
    data : pandas.DataFrame
    link : {"log", "sqrt", "identity"} or Link
        MASS's links for the negative binomial (default log).
    offset, exposure, var_weights, freq_weights : str or array-like, optional
        As :func:`glmstats.glm`; ``var_weights`` are R's ``weights`` (they multiply each
        observation's log-likelihood, also in the estimation of theta).
    missing : {"drop", "raise"}
    init_theta : float, optional
        Start from a negative binomial fit at this theta instead of a Poisson fit (R's ``init.theta``).

    Returns
    -------
    NegativeBinomialModel
        Call ``.fit()`` on it (see :meth:`NegativeBinomialModel.fit`).

    Examples
    --------
    >>> res = gs.glm_nb("Days ~ Eth + Sex + Age + Lrn", data=quine).fit()
    >>> res.theta, res.theta_se     # MASS: 1.275, 0.161
    """
    return NegativeBinomialModel.from_formula(formula, data, link=link, offset=offset, exposure=exposure,
                                              var_weights=var_weights, freq_weights=freq_weights, missing=missing,
                                              init_theta=init_theta)
