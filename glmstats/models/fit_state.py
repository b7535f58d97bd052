"""FitState: a fitted GLM as every consumer reads it.

``fit()`` runs IRLS on the model's data and freezes what came out, with what went in, into one
:class:`FitState`. The results, the robust covariances, the analysis of deviance, the influence
measures, the profile intervals, the predictions and the negative binomial and Tweedie models
read it through these public names; nothing reads a model's or a results object's privates, and
nothing calls back into the model.

The data path of a fit: formula -> Design -> model (inputs checked, GLMData) -> engine (IRLS) ->
FitState -> results and inference -> report.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..engine.blocks import vector_blocks
from ..engine.kernels import working_terms

__all__ = ["FitState"]


@dataclass(frozen=True, eq=False)
class FitState:
    """The arrays IRLS used, the family, the estimates and the iterate of the covariance (frozen).

    Attributes
    ----------
    data : GLMData
        What IRLS read: the design matrix, y, the prior weights (var_weights * freq_weights, times the
        trials of a two-column binomial response) and the offset.
    family : Family
    beta : ndarray
        Estimates, NaN for aliased columns (R's NA).
    kept : ndarray of bool
        False for aliased columns.
    deviance : float
    n_iter, converged, boundary, n_halvings
        IRLS's iterations, convergence, whether the last step was halved, how many halvings in all.
    last_step : ndarray
        beta minus the previous iterate (the diverging directions under separation).
    eta_range : tuple
        (min, max) of the linear predictor at beta, from IRLS's last pass.
    weights_at : tuple
        (beta, eta) of the iterate whose working weights give the covariance (R's ``fit$weights``:
        the iterate before the returned one); both None: the estimate itself.
    cov_unscaled : ndarray
        (X_k'WX_k)^-1 over the kept columns, W those working weights.
    var_weights, freq_weights : ndarray
        The two parts of the prior weights (``var_weights`` includes the trials of a two-column response).
    n_trials : ndarray or None
        The trials of a two-column (successes, failures) response.
    has_offset : bool
    intercept_index : int or None
        The column that plays the intercept (formula ``Intercept``, or the array interface's first
        non-zero constant column).
    exog_names : list of str
    row_index : pandas.Index
        Labels of the rows used.
    nobs : number
        Rows with positive weight, counted with their frequency weights.
    terms : tuple
        (intercept columns, [(term name, columns, factor names)]): the formula's terms, or one term a
        column for the array interface (``anova``, ``drop1``).
    design_rows : DesignRows
        Makes the design rows and offset of new data (``predict``).
    tol, maxiter
        The IRLS options of the fit (submodel refits use them).
    history : glmstats.engine.trace.History or None
        IRLS's iterations: deviance, relative change and step-halvings, one row each.
    """

    data: object
    family: object
    beta: np.ndarray
    kept: np.ndarray
    deviance: float
    n_iter: int
    converged: bool
    boundary: bool
    n_halvings: int
    last_step: np.ndarray
    eta_range: tuple
    weights_at: tuple
    cov_unscaled: np.ndarray
    var_weights: np.ndarray
    freq_weights: np.ndarray
    n_trials: object
    has_offset: bool
    intercept_index: object
    exog_names: list
    row_index: object
    nobs: object
    terms: tuple
    design_rows: object
    tol: float
    maxiter: int
    r: np.ndarray = field(default=None, repr=False)
    gram: object = field(default=None, repr=False)
    history: object = field(default=None, repr=False)

    @classmethod
    def from_irls(cls, fit, **model_facts):
        """The state of an :class:`~glmstats.engine.irls.IRLSFit` and the model facts it was run on."""
        return cls(beta=fit.beta, kept=fit.kept, deviance=fit.deviance, n_iter=fit.n_iter, converged=fit.converged,
                   boundary=fit.boundary, n_halvings=fit.n_halvings, last_step=fit.last_step,
                   eta_range=fit.eta_range, weights_at=fit.weights_at, cov_unscaled=fit.unscaled_cov(), r=fit.r,
                   gram=fit.gram, history=fit.history, **model_facts)

    # --- coefficients -------------------------------------------------------------------------
    @property
    def rank(self):
        return int(self.kept.sum())

    @property
    def has_intercept(self):
        return self.intercept_index is not None

    @property
    def estimate(self):
        """beta with aliased coefficients as 0 (R's predictions count NA as 0)."""
        return np.where(self.kept, self.beta, 0.0)

    def factor(self):
        """The upper-triangular factor R of X_k'WX_k (R'R), computed when first asked for if IRLS did not need
        it (a large factor's covariance is inverted by blocks)."""
        if self.r is None:
            object.__setattr__(self, "r", np.linalg.cholesky(self.gram.xtwx).T)
        return self.r

    # --- the linear predictor and the means, by row blocks or as n-vectors ----------------------
    def eta_blocks(self):
        """Yield (slice, eta) over row blocks: from :attr:`eta` once computed, else from X and the estimates."""
        if "eta" in self.__dict__:
            for sl in vector_blocks(self.data.y.shape[0]):
                yield sl, self.eta[sl]
            return
        start = 0
        for *_, eta in self.data.blocks(beta=self.estimate):
            yield slice(start, start + eta.shape[0]), eta
            start += eta.shape[0]

    @cached_property
    def eta(self):
        """The linear predictor X b + offset (computed when first needed, by row blocks: IRLS keeps no n-vector)."""
        eta = np.empty(self.data.y.shape[0])
        for sl, block in self.eta_blocks():
            eta[sl] = block
        return eta

    @cached_property
    def mu(self):
        """Fitted means (computed when first needed: a binomial or Poisson fit's standard errors do not need them)."""
        return self.family.link.inverse(self.eta)

    def weights_eta_blocks(self):
        """Yield eta by row blocks at the iterate whose working weights the covariance uses (:attr:`weights_at`)."""
        beta, eta = self.weights_at
        if beta is None and eta is None:
            beta = self.estimate
        for *_, block in self.data.blocks(beta=beta, eta=eta):
            yield block

    @cached_property
    def weights_eta(self):
        """The n-vector of :meth:`weights_eta_blocks` (influence measures, Rao tests)."""
        return np.concatenate(list(self.weights_eta_blocks()) or [np.zeros(0)])

    @cached_property
    def working_weights(self):
        """R's ``weights(fit, "working")``: the working weights of the covariance's iterate, 0 for rows R's fit
        leaves out."""
        d = self.data
        return working_terms(self.family, d.y, d.weights, self.weights_eta)[0]

    def working_blocks(self):
        """Yield (slice, X_b, w, r) by row blocks: X_b the block's design matrix, w the working weights of the
        covariance's iterate, r the working residuals (y - mu) / (d mu / d eta) at the estimate (both 0 for the
        rows R's fit leaves out)."""
        d = self.data
        start = 0
        estimate = d.blocks(beta=self.estimate)  # the same blocks as weights_eta_blocks
        for (xb, yb, wb, _, eta), eta_w in zip(estimate, self.weights_eta_blocks()):
            sl = slice(start, start + eta.shape[0])
            start = sl.stop
            yield (sl, xb, *working_terms(self.family, yb, wb, eta, eta_weights=eta_w))

    @cached_property
    def working_chi2(self):
        """R's ``summary.glm`` dispersion numerator: sum of working weight times squared working residual, w from
        the covariance's iterate, r at the estimate (Pearson's X2 once converged to machine precision)."""
        return float(sum(np.sum(w * r * r) for _, _, w, r in self.working_blocks()))

    @cached_property
    def pearson_chi2(self):
        """sum of w (y - mu)^2 / V(mu) over rows with positive weight, accumulated by row blocks."""
        d, family = self.data, self.family
        total = 0.0
        with np.errstate(all="ignore"):
            for sl, eta in self.eta_blocks():
                w = d.weights[sl]
                mu = family.link.inverse(eta)
                terms = w * (d.y[sl] - mu) ** 2 / family.variance(mu)
                total += float(np.sum(terms[w > 0]))
        return total

    # --- likelihood ------------------------------------------------------------------------------
    def mu_blocks(self):
        """Yield (slice, mu) over row blocks: the fitted means, from :attr:`mu` once computed, else from X."""
        if "mu" in self.__dict__:
            for sl in vector_blocks(self.data.y.shape[0]):
                yield sl, self.mu[sl]
            return
        for sl, eta in self.eta_blocks():
            yield sl, self.family.link.inverse(eta)

    def loglike(self, mu, deviance):
        """The log-likelihood at means ``mu`` with R's conventions (``logLik.glm``): the family's, with the
        dispersion R plugs in (from ``deviance``) and R's prior weights; a two-column binomial response is
        R's dbinom(s, s + f, mu) times the user's weights.

        ``mu`` is an n-vector or an iterable of (slice, means) over the rows in order (:meth:`mu_blocks`,
        :meth:`glmstats.models.null_model.NullModel.mu_blocks`): the sums are made by row blocks, so that no
        n-vector is formed.
        """
        if isinstance(mu, np.ndarray):
            mu = ((sl, mu[sl]) for sl in vector_blocks(mu.shape[0]))
        family = self.family
        totals = [family.loglike_scale_total(*self._loglike_weights(sl)) for sl in vector_blocks(self.data.y.shape[0])]
        if not totals or totals[0] is None:
            scale = 1.0
        else:
            with np.errstate(all="ignore"):
                scale = float(np.divide(deviance, np.sum(totals)))
        ll = 0.0
        for sl, mu_b in mu:
            w, f = self._loglike_weights(sl)
            ll += family.loglike(self.data.y[sl], mu_b, w, scale, freq_weights=f)
        return float(ll)

    def _loglike_weights(self, sl):
        """R's prior and frequency weights of the likelihood on the rows ``sl`` (a two-column binomial response:
        the trials, and the user's weights as frequencies)."""
        w, f = self.var_weights[sl], self.freq_weights[sl]
        if self.n_trials is not None:
            trials = self.n_trials[sl]
            w, f = trials, f * w / np.where(trials > 0, trials, 1.0)
        return w, f
