"""GLMResults: estimates, fit statistics, residuals and predictions of a fitted GLM.

Numbers follow R: ``summary.glm`` (dispersion, standard errors, t or z), ``logLik.glm``,
``AIC``, ``BIC``, ``residuals.glm``, ``predict.glm``; robust covariances follow the
sandwich package (``vcovHC``, ``vcovCL``) on a glm object.
"""

from functools import cached_property

import numpy as np
import pandas as pd
from .._lazy import stats

from ..engine.gram import row_blocks, vector_blocks
from ..engine.irls import data_blocks

__all__ = ["GLMResults"]


class GLMResults:
    """Results of :meth:`GLM.fit` (R: a ``glm`` object with its ``summary``).

    Attributes
    ----------
    params, bse, tvalues, pvalues : Series
        Estimates, standard errors, Wald statistics (t or z) and their p-values, by term;
        NaN for aliased terms (R's NA).
    scale : float
        The dispersion: 1 when fixed, otherwise Pearson chi2 / df_resid (R's summary.glm) or as asked.
    nobs, df_resid, df_model, rank : number
        R's nobs (rows with non-zero weight, times freq_weights), df.residual, df.null - df.residual, rank.
    deviance, null_deviance, pearson_chi2, llf, llnull, aic, bic : float
    converged, n_iter : bool, int
    use_t : bool
        Whether t/F (dispersion estimated) or z/chi2 reference distributions are used.
    """

    method = "IRLS"

    def __init__(self, model, fit, *, scale=None, cov_type="nonrobust", cov_kwds=None, use_t=None, tol=1e-8,
                 maxiter=100):
        self.model = model
        self.family = model.family
        self.endog_name = model.endog_name
        self.tol, self.maxiter = tol, maxiter
        self._fit = fit
        names = model.exog_names
        self._beta = fit.beta
        # an object-dtype index: pandas' default string index would load pyarrow on a first fit (~10 ms)
        self._param_index = pd.Index(names, dtype=object)
        self.aliased = pd.Series(~fit.kept, index=self._param_index)
        self.rank = int(fit.kept.sum())
        self.n_iter = fit.n_iter
        self.converged = fit.converged
        self.boundary = fit.boundary
        self.deviance = fit.deviance
        self.n_dropped = model.n_dropped
        self.dropped_columns = list(model.dropped_columns)
        self.nobs = model.nobs
        self.df_resid = self.nobs - self.rank
        self.df_model = (self.nobs - int(model.has_intercept)) - self.df_resid

        involved = model.separation(fit, self._eta_blocks)
        self.separated = involved is not None
        self.separation = involved or []

        self._set_scale(scale)
        self.use_t = (not self.fixed_scale) if use_t is None else bool(use_t)
        self._cov_unscaled = fit.unscaled_cov()
        self._set_cov(cov_type, cov_kwds or {})

    def _eta_blocks(self):
        """Yield (slice, eta) over row blocks: from ``_eta`` once computed, else from X and the estimates."""
        d = self.model.data
        if "_eta" in self.__dict__:
            for sl in vector_blocks(d.y.shape[0]):
                yield sl, self._eta[sl]
            return
        start = 0
        for *_, eta in data_blocks(d, beta=np.where(self._fit.kept, self._fit.beta, 0.0)):
            yield slice(start, start + eta.shape[0]), eta
            start += eta.shape[0]

    @cached_property
    def _eta(self):
        """The linear predictor X b + offset (computed when first needed, by row blocks: IRLS keeps no n-vector)."""
        eta = np.empty(self.model.data.y.shape[0])
        for sl, block in self._eta_blocks():
            eta[sl] = block
        return eta

    def _weights_eta_blocks(self):
        """Yield eta by row blocks at the iterate whose working weights the covariance uses: as R's
        ``glm.fit``, the one before the last update (the same as the estimate once converged to machine
        precision)."""
        beta, eta = self._fit.weights_at
        if beta is None and eta is None:
            beta = np.where(self._fit.kept, self._fit.beta, 0.0)
        for *_, block in data_blocks(self.model.data, beta=beta, eta=eta):
            yield block

    def _block_working_weights(self, eta, prior):
        """prior * (d mu / d eta)^2 / V(mu), 0 where R's fit leaves a row out (zero prior weight,
        d mu / d eta = 0, a non-finite weight)."""
        link = self.family.link
        with np.errstate(all="ignore"):
            w = prior * link.inverse_deriv(eta) ** 2 / self.family.variance(link.inverse(eta))
        return np.where((prior > 0) & np.isfinite(w) & (w > 0), w, 0.0)

    @cached_property
    def _weights_eta(self):
        """The n-vector of :meth:`_weights_eta_blocks` (for influence measures and the Rao test)."""
        return np.concatenate(list(self._weights_eta_blocks()) or [np.zeros(0)])

    @cached_property
    def _working_weights(self):
        """R's ``weights(fit, "working")``: the working weights of the covariance's iterate."""
        return self._block_working_weights(self._weights_eta, self.model.data.weights)

    @cached_property
    def _working_chi2(self):
        """R's ``summary.glm`` dispersion numerator: sum of working weight times squared working residual,
        sum w_i ((y_i - mu_i) / (d mu / d eta)_i)^2, w from the covariance's iterate, mu from the estimate
        (equal to ``pearson_chi2`` once the fit has converged to machine precision), by row blocks."""
        d, link = self.model.data, self.family.link
        estimate = data_blocks(d, beta=np.where(self._fit.kept, self._fit.beta, 0.0))  # the same blocks as
        total = 0.0                                                                      # _weights_eta_blocks
        with np.errstate(all="ignore"):
            for (_, yb, wb, _, eta), eta_w in zip(estimate, self._weights_eta_blocks()):
                w = self._block_working_weights(eta_w, wb)
                r = (yb - link.inverse(eta)) / link.inverse_deriv(eta)
                total += float(np.sum((w * r * r)[w > 0]))
        return total

    @cached_property
    def _mu(self):
        """Fitted means (computed when first needed: a binomial or Poisson fit's standard errors do not need them)."""
        return self.family.link.inverse(self._eta)

    @cached_property
    def pearson_chi2(self):
        """sum of w (y - mu)^2 / V(mu) over rows with positive weight, accumulated by row blocks."""
        d = self.model.data
        total = 0.0
        with np.errstate(all="ignore"):
            for sl, eta in self._eta_blocks():
                w = d.weights[sl]
                mu = self.family.link.inverse(eta)
                terms = w * (d.y[sl] - mu) ** 2 / self.family.variance(mu)
                total += float(np.sum(terms[w > 0]))
        return total

    # --- dispersion and covariance -----------------------------------------------------
    def _set_scale(self, scale):
        #: the dispersion was given as a number to fit(scale=...) (R's drop1 treats that case apart)
        self.scale_fixed_by_user = scale is not None and not isinstance(scale, str)
        if isinstance(scale, str):
            stat = self.pearson_chi2 if scale == "X2" else self.deviance
            self.fixed_scale = False
            self.scale_method = ("Pearson chi2" if scale == "X2" else "deviance") + " / df_resid"
            self.scale = stat / self.df_resid if self.df_resid > 0 else np.nan
        elif scale is not None:
            self.fixed_scale, self.scale, self.scale_method = True, float(scale), "fixed by the user"
        elif self.family.fixed_scale:
            self.fixed_scale, self.scale, self.scale_method = True, 1.0, "fixed at 1"
        else:
            # R's summary.glm: working weights times squared working residuals (Pearson's X2 at convergence)
            self.fixed_scale = False
            self.scale_method = "Pearson chi2 / df_resid"
            self.scale = self._working_chi2 / self.df_resid if self.df_resid > 0 else np.nan
        if not np.isfinite(self.scale):
            import warnings

            warnings.warn("no residual degrees of freedom to estimate the dispersion: scale, standard errors and "
                          "tests are NaN", RuntimeWarning, stacklevel=4)

    def _expand(self, cov_kept):
        p = len(self.model.exog_names)
        cov = np.full((p, p), np.nan)
        kept = self._fit.kept
        cov[np.ix_(kept, kept)] = cov_kept
        return cov

    def _set_cov(self, cov_type, cov_kwds):
        self.cov_type = cov_type
        self.cov_kwds = dict(cov_kwds)
        if cov_type == "nonrobust":
            self._cov = self._expand(self.scale * self._cov_unscaled)
        else:
            self._cov = self._expand(self._sandwich(cov_type, cov_kwds))

    def _sandwich(self, cov_type, cov_kwds):
        """(X'WX)^-1 M (X'WX)^-1 with M from the score contributions x_i w_i r_i (working weight times
        working residual), as sandwich's vcovHC / vcovCL on a glm (the dispersion cancels)."""
        d = self.model.data
        kept = self._fit.kept
        bread = self._cov_unscaled
        link = self.family.link
        k = int(kept.sum())
        n = self.nobs
        groups = None
        if cov_type == "cluster":
            if "groups" not in cov_kwds:
                raise ValueError('cov_type="cluster" needs cov_kwds={"groups": array of cluster labels}')
            g = np.asarray(cov_kwds["groups"])
            if g.shape[0] != d.y.shape[0]:
                raise ValueError(f"cluster groups have length {g.shape[0]}, but the model has {d.y.shape[0]} rows")
            codes, uniques = pd.factorize(g)
            if np.any(codes < 0):
                raise ValueError("cluster groups hold missing values")
            groups = np.zeros((len(uniques), k))
        meat = np.zeros((k, k))
        for sl in row_blocks(d.y.shape[0], k):
            xb = d.X[sl][:, kept]
            # sandwich's estfun: working residual (at the estimate) times working weight (R's fit$weights)
            ww = self._working_weights[sl]
            with np.errstate(all="ignore"):
                score_w = np.where(ww > 0, ww * (d.y[sl] - self._mu[sl]) / link.inverse_deriv(self._eta[sl]), 0.0)
            psi = xb * score_w[:, None]
            if cov_type in ("HC2", "HC3"):
                h = ww * np.einsum("ij,jk,ik->i", xb, bread, xb)
                psi = psi / ((1.0 - h) if cov_type == "HC3" else np.sqrt(1.0 - h))[:, None]
            if groups is not None:
                np.add.at(groups, codes[sl], psi)
            else:
                meat += psi.T @ psi
        if groups is not None:
            meat = groups.T @ groups
            G = groups.shape[0]
            meat *= G / (G - 1.0) * (n - 1.0) / (n - k)
        elif cov_type == "HC1":
            meat *= n / (n - k)
        return bread @ meat @ bread

    def get_robustcov_results(self, cov_type, **cov_kwds):
        """A copy of these results with another covariance (no refit); R: ``sandwich::vcovHC``/``vcovCL``."""
        import copy

        new = copy.copy(self)
        new._set_cov(cov_type, cov_kwds.get("cov_kwds", cov_kwds))
        for attr in ("bse", "tvalues", "pvalues"):
            new.__dict__.pop(attr, None)
        return new

    def cov_params(self):
        """Covariance matrix of the estimates (R: ``vcov``), NaN rows/columns for aliased terms."""
        return pd.DataFrame(self._cov.copy(), index=self._param_index, columns=self._param_index)

    # --- coefficient level -------------------------------------------------------------
    @property
    def params(self):
        return pd.Series(self._beta.copy(), index=self._param_index, name="coef")

    @cached_property
    def bse(self):
        return pd.Series(np.sqrt(np.diag(self._cov)), index=self._param_index, name="std err")

    @cached_property
    def tvalues(self):
        return (self.params / self.bse).rename("t" if self.use_t else "z")

    def _dist(self):
        return stats.t(self.df_resid) if self.use_t else stats.norm()

    @cached_property
    def pvalues(self):
        return pd.Series(2.0 * self._dist().sf(np.abs(self.tvalues.to_numpy())), index=self._param_index,
                         name="P>|t|" if self.use_t else "P>|z|")

    def conf_int(self, alpha=0.05, method="wald"):
        """Confidence intervals, DataFrame with columns ``lower``, ``upper``.

        ``"wald"``: coef -/+ q * se with q from t(df_resid) when ``use_t`` else the normal
        (R: ``confint.default`` under z). ``"profile"``: profile-likelihood intervals (R: MASS's
        ``confint.glm``), see :func:`glmstats.profile.profile_conf_int`.
        """
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        if method == "profile":
            from ..inference.profile import profile_conf_int

            return profile_conf_int(self, alpha=alpha)
        if method != "wald":
            raise ValueError(f'method must be "wald" or "profile", not {method!r}')
        q = self._dist().ppf(1.0 - alpha / 2.0)
        b, se = self.params, self.bse
        return pd.DataFrame({"lower": b - q * se, "upper": b + q * se})

    # --- likelihood --------------------------------------------------------------------
    def _loglike(self, mu, deviance):
        m = self.model
        w, f = m._var_weights, m._freq_weights
        if m._n_trials is not None:  # cbind(s, f): R's dbinom(s, s + f, mu) times the user's weights
            w, f = m._n_trials, f * m._var_weights / np.where(m._n_trials > 0, m._n_trials, 1.0)
        scale = self.family.loglike_scale(deviance, w, f)
        return self.family.loglike(m._y, mu, w, scale, freq_weights=f)

    @cached_property
    def llf(self):
        """Log-likelihood as R's ``logLik.glm`` (NaN for quasi families)."""
        return self._loglike(self._mu, self.deviance)

    @property
    def _k_loglike(self):
        return self.rank + int(self.family.scale_in_loglike)

    @property
    def aic(self):
        """-2 llf + 2 k, k = rank (+1 for the dispersion of Gaussian, Gamma, inverse Gaussian), as R's AIC."""
        return -2.0 * self.llf + 2.0 * self._k_loglike

    @property
    def bic(self):
        return -2.0 * self.llf + np.log(self.nobs) * self._k_loglike

    @cached_property
    def _null(self):
        mu0 = self.model._null_mu(tol=min(self.tol, 1e-10), maxiter=max(self.maxiter, 100), mustart=self._mu)
        dev0 = self.family.deviance(self.model._y, mu0, self.model.data.weights)
        return mu0, dev0

    @property
    def null_deviance(self):
        """Deviance of the intercept-only model (offset only without intercept), refitted with the same
        offset and weights (R: ``null.deviance``)."""
        return self._null[1]

    @cached_property
    def llnull(self):
        mu0, dev0 = self._null
        return self._loglike(mu0, dev0)

    # --- observation level ---------------------------------------------------------------
    def _series(self, values, name):
        return pd.Series(values, index=self.model.row_index, name=name)

    @property
    def fittedvalues(self):
        """Fitted means mu (R: ``fitted``)."""
        return self._series(self._mu.copy(), "fitted")

    @property
    def linear_predictor(self):
        """eta = X b + offset (R: ``linear.predictors``)."""
        return self._series(self._eta.copy(), "linear_predictor")

    @property
    def resid_response(self):
        return self._series(self.model._y - self._mu, "resid_response")

    @property
    def resid_pearson(self):
        """(y - mu) sqrt(w) / sqrt(V(mu)), w the prior weights (R: ``residuals(type = "pearson")``)."""
        m = self.model
        with np.errstate(all="ignore"):
            r = (m._y - self._mu) * np.sqrt(m._var_weights) / np.sqrt(self.family.variance(self._mu))
        return self._series(r, "resid_pearson")

    @property
    def resid_deviance(self):
        m = self.model
        return self._series(self.family.resid_deviance(m._y, self._mu, m._var_weights), "resid_deviance")

    @property
    def resid_working(self):
        """(y - mu) / (d mu / d eta) (R: ``residuals(type = "working")``)."""
        r = (self.model._y - self._mu) / self.family.link.inverse_deriv(self._eta)
        return self._series(r, "resid_working")

    @property
    def resid_anscombe(self):
        m = self.model
        with np.errstate(all="ignore"):
            return self._series(self.family.resid_anscombe(m._y, self._mu, m._var_weights), "resid_anscombe")

    # --- prediction ----------------------------------------------------------------------
    def predict(self, newdata=None, which="mean", offset=None, exposure=None):
        """Predicted means (``which="mean"``) or linear predictors (``"linear"``).

        Parameters
        ----------
        newdata : DataFrame or array, optional
            New rows: raw data for a formula model (the fit's formula spec is reused; offset(...)
            terms and offset/exposure columns are evaluated on it), a design matrix otherwise.
            None: the fitted values.
        offset, exposure : array-like, optional
            For the new rows (needed when the model was fitted with offset/exposure arrays).

        Notes
        -----
        Aliased coefficients count as 0, as R's ``predict.glm``.
        """
        if which not in ("mean", "linear"):
            raise ValueError(f'which must be "mean" or "linear", not {which!r}')
        if newdata is None:
            if offset is not None or exposure is not None:
                raise ValueError("offset/exposure in predict() go with newdata")
            eta = self._eta
            index = self.model.row_index
        else:
            X, off = self.model._new_exog(newdata, offset=offset, exposure=exposure)
            eta = X @ np.where(self._fit.kept, self._beta, 0.0) + off
            index = newdata.index if isinstance(newdata, (pd.DataFrame, pd.Series)) else None
        values = eta if which == "linear" else self.family.link.inverse(eta)
        return pd.Series(np.asarray(values, dtype=float).copy(), index=index, name=which)

    # --- inference toolkit (each in its own module) ----------------------------------------
    def wald_test(self, hypothesis, use_f=None):
        """Wald test of linear restrictions R b = q (R: ``car::linearHypothesis``); see :mod:`glmstats.hypothesis`."""
        from ..inference.hypothesis import wald_test

        return wald_test(self, hypothesis, use_f=use_f)

    def t_test(self, hypothesis):
        """One test per linear combination: estimate, se, statistic, p-value, CI; see :mod:`glmstats.hypothesis`."""
        from ..inference.hypothesis import t_test

        return t_test(self, hypothesis)

    def anova(self, test="default"):
        """Sequential (type I) analysis of deviance by formula term (R: ``anova.glm``); see :mod:`glmstats.anova`."""
        from ..inference.anova import anova_sequential

        return anova_sequential(self, test=test)

    def drop1(self, test=None):
        """Single-term deletions respecting marginality (R: ``drop1.glm``); see :mod:`glmstats.anova`."""
        from ..inference.anova import drop1

        return drop1(self, test=test)

    def get_influence(self):
        """Leverage, Cook's distance, standardized/studentized residuals, DFBETA(S) (R's ``influence.measures``)."""
        from ..inference.influence import GLMInfluence

        return GLMInfluence(self)

    def get_prediction(self, newdata=None, which="mean", offset=None, exposure=None):
        """Predictions with standard errors and intervals (R: ``predict.glm(se.fit = TRUE)``)."""
        from ..inference.prediction import get_prediction

        return get_prediction(self, newdata, which=which, offset=offset, exposure=exposure)

    def simulate(self, nsim=1, seed=None):
        """nsim draws of the response from the fitted distribution (R: ``simulate.glm``)."""
        from ..inference.prediction import simulate

        return simulate(self, nsim=nsim, seed=seed)

    # --- rendering -----------------------------------------------------------------------
    def summary(self, alpha=0.05):
        """The R-style summary: header, coefficient table and notes (text, HTML, LaTeX)."""
        from ..report.summary import Summary

        return Summary(self, alpha=alpha)

    def __repr__(self):
        return (f"<GLMResults: {self.family.name}({self.family.link.name}), nobs={self.nobs:g}, "
                f"deviance={self.deviance:.6g}>")
