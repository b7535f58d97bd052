"""GLMResults: estimates, fit statistics, residuals and predictions of a fitted GLM.

Numbers follow R: ``summary.glm`` (dispersion, standard errors, t or z), ``logLik.glm``,
``AIC``, ``BIC``, ``residuals.glm``, ``predict.glm``; robust covariances follow the
sandwich package (``vcovHC``, ``vcovCL``) on a glm object. Everything is computed from the
frozen :class:`~glmstats.models.fit_state.FitState` (``res.fit_state``): the results never
call back into the model.
"""

import copy
import warnings
from functools import cached_property

import numpy as np
import pandas as pd

from .._lazy import stats
from .null_model import null_fit

__all__ = ["GLMResults"]


def _positions(parm, index):
    """Positions of the coefficients ``parm`` (names or positions; None: all) in ``index``."""
    if parm is None:
        return np.arange(len(index))
    items = [parm] if isinstance(parm, (str, int, np.integer)) else list(parm)
    out = []
    for item in items:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not -len(index) <= item < len(index):
                raise ValueError(f"parm position {item} is out of range for {len(index)} coefficients")
            out.append(int(item) % len(index))
        elif item in index:
            out.append(int(index.get_loc(item)))
        else:
            raise ValueError(f"parm {item!r} is not a coefficient; the coefficients are {list(index)}")
    return np.asarray(out, dtype=np.intp)


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
    fit_history : DataFrame
        One row per IRLS iteration (iteration, deviance, relative change, step-halvings).
    use_t : bool
        Whether t/F (dispersion estimated) or z/chi2 reference distributions are used.
    fit_state : FitState
        What the fit used and produced (the data, the family, the estimates, the covariance's iterate).
    separation : list of str
        The coefficients involved when fitted values reached the boundary of the mean's range.
    """

    method = "IRLS"

    def __init__(self, model, state, *, separation=None, scale=None, cov_type="nonrobust", cov_kwds=None,
                 use_t=None):
        self.model = model
        self.fit_state = state
        self.family = state.family
        self.endog_name = model.endog_name
        #: the formula as written (None for the array interface); the anova headings print it
        self.formula = getattr(model, "formula", None)
        self.tol, self.maxiter = state.tol, state.maxiter
        # an object-dtype index: pandas' default string index would load pyarrow on a first fit (~10 ms)
        self._param_index = pd.Index(state.exog_names, dtype=object)
        self.aliased = pd.Series(~state.kept, index=self._param_index)
        self.rank = state.rank
        self.n_iter = state.n_iter
        self.converged = state.converged
        self.boundary = state.boundary
        self.deviance = state.deviance
        self.n_dropped = model.n_dropped
        self.dropped_columns = list(model.dropped_columns)
        self.nobs = state.nobs
        self.df_resid = self.nobs - self.rank
        self.df_model = (self.nobs - int(state.has_intercept)) - self.df_resid
        self.separated = separation is not None
        self.separation = separation or []
        self._set_scale(scale)
        self.use_t = (not self.fixed_scale) if use_t is None else bool(use_t)
        self._set_cov(cov_type, cov_kwds or {})

    @property
    def fit_history(self):
        """One row per IRLS iteration: ``iteration``, ``deviance`` (at the accepted step), ``relative_change``
        (``|dev - dev_old| / (|dev| + 0.1 s)``, the convergence criterion, s = min(1, mean prior weight)) and
        ``step_halvings``.

        R: the lines of ``glm.control(trace = TRUE)``; ``fit(verbose=True)`` prints the same rows as the fit runs.
        """
        columns, rows = self.fit_state.history
        return pd.DataFrame(list(rows), columns=list(columns)).astype({"iteration": int, "step_halvings": int})

    @property
    def pearson_chi2(self):
        """sum of w (y - mu)^2 / V(mu) over rows with positive weight (by row blocks)."""
        return self.fit_state.pearson_chi2

    # --- dispersion and covariance -----------------------------------------------------
    def _set_scale(self, scale):
        #: the dispersion was given as a number to fit(scale=...) (R's drop1 treats that case apart)
        self.scale_fixed_by_user = scale is not None and not isinstance(scale, str)
        state = self.fit_state
        if isinstance(scale, str):
            stat = state.pearson_chi2 if scale == "X2" else self.deviance
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
            self.scale = state.working_chi2 / self.df_resid if self.df_resid > 0 else np.nan
        if not np.isfinite(self.scale):
            warnings.warn("no residual degrees of freedom to estimate the dispersion: scale, standard errors and "
                          "tests are NaN", RuntimeWarning, stacklevel=4)

    def _set_cov(self, cov_type, cov_kwds):
        self.cov_type = cov_type
        self.cov_kwds = dict(cov_kwds)
        state = self.fit_state
        if cov_type == "nonrobust":
            cov_kept = self.scale * state.cov_unscaled
        else:
            from ..inference.robust import sandwich

            cov_kept = sandwich(state, cov_type, cov_kwds)
        p = state.kept.size
        self._cov = np.full((p, p), np.nan)
        self._cov[np.ix_(state.kept, state.kept)] = cov_kept

    def get_robustcov_results(self, cov_type, **cov_kwds):
        """A copy of these results with another covariance (no refit); R: ``sandwich::vcovHC``/``vcovCL``."""
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
        return pd.Series(self.fit_state.beta.copy(), index=self._param_index, name="coef")

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

    def conf_int(self, alpha=0.05, method="wald", parm=None):
        """Confidence intervals, DataFrame with columns ``lower``, ``upper``.

        ``"wald"``: coef -/+ q * se with q from t(df_resid) when ``use_t`` else the normal
        (R: ``confint.default`` under z). ``"profile"``: profile-likelihood intervals (R: MASS's
        ``confint.glm``), see :func:`glmstats.inference.profile.profile_conf_int`.
        ``parm``: the coefficients (names or positions) to give intervals for, default all (R's ``parm``;
        a profile interval costs refits, so asking for a few saves time on a wide model).
        """
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        if method not in ("wald", "profile"):
            raise ValueError(f'method must be "wald" or "profile", not {method!r}')
        positions = _positions(parm, self._param_index)
        if method == "profile":
            from ..inference.profile import profile_conf_int

            return profile_conf_int(self, alpha=alpha, parm=positions)
        q = self._dist().ppf(1.0 - alpha / 2.0)
        b, se = self.params.iloc[positions], self.bse.iloc[positions]
        return pd.DataFrame({"lower": b - q * se, "upper": b + q * se})

    # --- likelihood --------------------------------------------------------------------
    @cached_property
    def llf(self):
        """Log-likelihood as R's ``logLik.glm`` (NaN for quasi families)."""
        return self.fit_state.loglike(self.fit_state.mu_blocks(), self.deviance)

    @property
    def k_loglike(self):
        """The number of parameters R's logLik counts: the rank, plus one for an estimated dispersion where R
        counts it (Gaussian, Gamma, inverse Gaussian)."""
        return self.rank + int(self.family.scale_in_loglike)

    @property
    def aic(self):
        """-2 llf + 2 k, k = rank (+1 for the dispersion of Gaussian, Gamma, inverse Gaussian), as R's AIC."""
        return -2.0 * self.llf + 2.0 * self.k_loglike

    @property
    def bic(self):
        return -2.0 * self.llf + np.log(self.nobs) * self.k_loglike

    @property
    def extract_aic(self):
        """R's ``extractAIC`` of the fit (the AIC the drop1 table is anchored on): the AIC, NA where R's family
        object has no ``aic`` (statmod's tweedie)."""
        return self.aic if self.family.r_has_aic else np.nan

    @cached_property
    def _null(self):
        return null_fit(self.fit_state)

    @property
    def null_deviance(self):
        """Deviance of the intercept-only model (offset only without intercept), refitted with the same
        offset and weights (R: ``null.deviance``)."""
        return self._null.deviance

    @cached_property
    def llnull(self):
        null = self._null
        return self.fit_state.loglike(null.mu_blocks(), null.deviance)

    # --- statsmodels' names (glmstats.inference.criteria and .margins) -------------------------
    @property
    def bic_deviance(self):
        """statsmodels' deviance-based BIC: deviance - df_resid log(nobs); see
        :func:`glmstats.inference.criteria.bic_deviance`."""
        from ..inference.criteria import bic_deviance

        return bic_deviance(self)

    @property
    def bic_llf(self):
        """statsmodels' BIC, -2 llf + rank log(nobs): the dispersion not counted (``bic`` counts it as R does)."""
        return self.info_criteria("bic")

    def info_criteria(self, crit, scale=None, dk_params=0):
        """statsmodels' ``info_criteria("aic" | "bic" | "qaic")``, counting rank + dk_params parameters; see
        :func:`glmstats.inference.criteria.info_criteria`."""
        from ..inference.criteria import info_criteria

        return info_criteria(self, crit, scale=scale, dk_params=dk_params)

    def pseudo_rsquared(self, kind="cs"):
        """Cox and Snell's (``"cs"``) or McFadden's (``"mcf"``) pseudo R-squared; see
        :func:`glmstats.inference.criteria.pseudo_rsquared`."""
        from ..inference.criteria import pseudo_rsquared

        return pseudo_rsquared(self, kind)

    def get_margeff(self, at="overall", method="dydx", dummy=False):
        """Average (``at="overall"``) or at-means (``"mean"``) marginal effects with delta-method standard errors
        (statsmodels' ``get_margeff``); see :func:`glmstats.inference.margins.get_margeff`.

        Parameters
        ----------
        at : {"overall", "mean"}
        method : {"dydx", "eyex", "dyex", "eydx"}
        dummy : bool
            Discrete changes from 0 to 1 for the 0/1 columns (``"dydx"``, ``"eydx"`` only).

        Returns
        -------
        glmstats.inference.margins.MarginalEffects
        """
        from ..inference.margins import get_margeff

        return get_margeff(self, at=at, method=method, dummy=dummy)

    def remove_data(self):
        """Drop the arrays of the data from these results and their model (statsmodels' ``remove_data``):
        ``summary()``, ``params``, ``cov_params()`` and ``predict(newdata)`` still work; anything computed from
        the rows raises ``RemovedDataError``. See :func:`glmstats.models.data_removal.remove_data`."""
        from .data_removal import remove_data

        remove_data(self)

    # --- observation level ---------------------------------------------------------------
    def _series(self, values, name):
        return pd.Series(values, index=self.fit_state.row_index, name=name)

    @property
    def fittedvalues(self):
        """Fitted means mu (R: ``fitted``)."""
        return self._series(self.fit_state.mu.copy(), "fitted")

    @property
    def linear_predictor(self):
        """eta = X b + offset (R: ``linear.predictors``)."""
        return self._series(self.fit_state.eta.copy(), "linear_predictor")

    @property
    def resid_response(self):
        return self._series(self.fit_state.data.y - self.fit_state.mu, "resid_response")

    @property
    def resid_pearson(self):
        """(y - mu) sqrt(w) / sqrt(V(mu)), w the prior weights (R: ``residuals(type = "pearson")``)."""
        s = self.fit_state
        with np.errstate(all="ignore"):
            r = (s.data.y - s.mu) * np.sqrt(s.var_weights) / np.sqrt(self.family.variance(s.mu))
        return self._series(r, "resid_pearson")

    @property
    def resid_deviance(self):
        s = self.fit_state
        return self._series(self.family.resid_deviance(s.data.y, s.mu, s.var_weights), "resid_deviance")

    @property
    def resid_working(self):
        """(y - mu) / (d mu / d eta) (R: ``residuals(type = "working")``)."""
        s = self.fit_state
        return self._series((s.data.y - s.mu) / self.family.link.inverse_deriv(s.eta), "resid_working")

    @property
    def resid_anscombe(self):
        s = self.fit_state
        with np.errstate(all="ignore"):
            return self._series(self.family.resid_anscombe(s.data.y, s.mu, s.var_weights), "resid_anscombe")

    def resid_quantile(self, seed=None, scale=None):
        """Randomized quantile residuals Phi^{-1}(u), u ~ U(F(y-), F(y)) (R: ``statmod::qresiduals``).

        See :func:`glmstats.inference.residuals.quantile_residuals`.
        """
        from ..inference.residuals import quantile_residuals

        return quantile_residuals(self, seed=seed, scale=scale)

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
        state = self.fit_state
        if newdata is None:
            if offset is not None or exposure is not None:
                raise ValueError("offset/exposure in predict() go with newdata")
            eta = state.eta
            index = state.row_index
        else:
            X, off = state.design_rows(newdata, offset=offset, exposure=exposure)
            eta = X.matvec(state.estimate) + off
            index = newdata.index if isinstance(newdata, (pd.DataFrame, pd.Series)) else None
        values = eta if which == "linear" else self.family.link.inverse(eta)
        return pd.Series(np.asarray(values, dtype=float).copy(), index=index, name=which)

    # --- inference toolkit (each in its own module) ----------------------------------------
    def wald_test(self, hypothesis, use_f=None):
        """Wald test of linear restrictions R b = q (R: ``car::linearHypothesis``); see :mod:`glmstats.inference.hypothesis`."""
        from ..inference.hypothesis import wald_test

        return wald_test(self, hypothesis, use_f=use_f)

    def t_test(self, hypothesis):
        """One test per linear combination: estimate, se, statistic, p-value, CI; see :mod:`glmstats.inference.hypothesis`."""
        from ..inference.hypothesis import t_test

        return t_test(self, hypothesis)

    def anova(self, test="default"):
        """Sequential (type I) analysis of deviance by formula term (R: ``anova.glm``); see :mod:`glmstats.inference.anova`."""
        from ..inference.anova import anova_sequential

        return anova_sequential(self, test=test)

    def drop1(self, test=None):
        """Single-term deletions respecting marginality (R: ``drop1.glm``); see :mod:`glmstats.inference.drop1`."""
        from ..inference.drop1 import drop1

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

    # --- plots (plotly, the optional "plot" extra; see glmstats.report.plots) ---------------
    def plot_diagnostics(self, **kwargs):
        """R's ``plot(m)`` panels plus a quantile-residual Q-Q plot; see :func:`glmstats.report.plots.plot_diagnostics`."""
        from ..report.plots import plot_diagnostics

        return plot_diagnostics(self, **kwargs)

    def plot_effects(self, term, data=None, **kwargs):
        """Fitted mean over one predictor with a confidence band; see :func:`glmstats.report.plots.plot_effects`."""
        from ..report.plots import plot_effects

        return plot_effects(self, term, data, **kwargs)

    def plot_coefficients(self, **kwargs):
        """Estimates with confidence intervals; see :func:`glmstats.report.plots.plot_coefficients`."""
        from ..report.plots import plot_coefficients

        return plot_coefficients(self, **kwargs)

    # --- rendering -----------------------------------------------------------------------
    def summary(self, alpha=0.05, *, digits=6):
        """The R-style summary: header, coefficient table and notes (text, HTML, LaTeX, markdown).

        Parameters
        ----------
        alpha : float, default 0.05
            The intervals have level ``1 - alpha``; anything but a number in (0, 1) is an error
            (a TypeError for a second fit passed by mistake).
        digits : int, default 6
            Significant digits, applied per column as R's ``printCoefmat``.
        """
        from ..report.summary import Summary

        return Summary(self, alpha=alpha, digits=digits)

    def __repr__(self):
        """Short text, as R's ``print.glm``: family, formula, coefficients, deviances."""
        from ..report.display import glm_repr

        return glm_repr(self)

    def _repr_html_(self):
        """In a notebook: the summary."""
        return self.summary()._repr_html_()
