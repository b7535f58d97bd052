"""The GLM front end: inputs checked and turned into arrays, ``fit()`` and its options.

``GLM(y, X, ...)`` is the array interface (statsmodels-like: no intercept is added, inputs made
into arrays by :mod:`glmstats.models.inputs`); ``GLM.from_formula`` / :func:`glm` is the formula
interface (R-like), built on :mod:`glmstats.formula`. Both end in the same :class:`GLMData` and the
same IRLS engine; ``fit()`` freezes the outcome into a :class:`~glmstats.models.fit_state.FitState`,
runs the diagnostics once (:func:`~glmstats.models.diagnostics.diagnose`) and returns the results.
"""

import warnings

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..engine.blocks import vector_blocks
from ..engine.data import GLMData
from ..engine.irls import irls
from ..engine.matrix import as_design_matrix
from ..engine.trace import verbose_output
from ..exceptions import DomainWarning, PerfectSeparationWarning
from ..families import get_family
from ..families import links as L
from . import inputs, likelihood
from .diagnostics import diagnose
from .fit_state import FitState
from .results import GLMResults

__all__ = ["GLM", "glm"]

_SCALE_OPTIONS = ("X2", "dev")
_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")


class GLM:
    """Generalized linear model (R: ``glm``; statsmodels: ``GLM``).

    Parameters
    ----------
    endog : array-like (n,) or (n, 2)
        Response; for binomial also a two-column (successes, failures) array.
    exog : array-like (n, p) or DataFrame
        Design matrix. No intercept is added; params are indexed by its column names.
    family : Family or str, optional
        Default Gaussian. R's names are accepted (``"poisson"``, ``"Gamma"``, ...).
    link : Link or str, optional
        With a family name; default: the family's canonical link.
    offset, exposure : array-like, optional
        Known part of eta; exposure adds log(exposure) and needs the log link.
    var_weights : array-like, optional
        R's prior weights (binomial: numbers of trials for a proportion response).
    freq_weights : array-like, optional
        Each row counts as that many identical observations.
    missing : {"drop", "raise"}
        Rows with a missing value (NaN) are dropped (R's na.omit) or raise ValueError.
    weights : not accepted
        Ambiguous: give ``var_weights`` or ``freq_weights`` (a TypeError says so).

    Attributes
    ----------
    endog, exog, offset, exposure, var_weights, freq_weights, n_trials
        statsmodels' names for the rows used (``offset``/``exposure`` as given or None; ``var_weights``
        include the trials of a two-column binomial response, ``n_trials`` are those trials or None).
    """

    def __init__(self, endog, exog, family=None, link=None, offset=None, exposure=None, var_weights=None,
                 freq_weights=None, missing="drop", *, weights=None):
        check_no_weights(weights)
        self.family = get_family(family, link)
        self.formula = None
        self.design = None
        index = inputs.aligned_index({"endog": endog, "exog": exog, "offset": offset, "exposure": exposure,
                                      "var_weights": var_weights, "freq_weights": freq_weights})
        y, trials, self.endog_name = inputs.endog(endog, self.family)
        X, self.exog_names = inputs.numeric_exog(exog)
        n = y.shape[0]
        if X.shape[0] != n:
            raise ValueError(f"endog has {n} rows but exog has {X.shape[0]}")
        columns = {name: inputs.vector(value, name, n) for name, value in
                   (("offset", offset), ("exposure", exposure), ("var_weights", var_weights),
                    ("freq_weights", freq_weights))}
        index = pd.RangeIndex(n) if index is None else index
        keep = self._missing_rows(y, X, columns, missing)
        self.n_dropped = int(n - keep.sum())
        if not keep.all():  # (no copy of a large X when nothing is dropped)
            columns = {k: (None if v is None else v[keep]) for k, v in columns.items()}
            y, X, index = y[keep], X[keep], index[keep]
            trials = None if trials is None else trials[keep]
        self.design_rows = inputs.DesignRows(self.exog_names, offset=offset, exposure=exposure)
        self._setup(y, X, trials, columns, index, has_intercept=None, x_scan=self._x_scan)

    def _missing_rows(self, y, X, columns, missing):
        if missing not in ("drop", "raise"):
            raise ValueError(f'missing must be "drop" or "raise", not {missing!r}')
        nan = {"endog": np.isnan(y)}
        # one pass over X (row sums: a NaN or an infinity propagates); columns are examined only when needed
        candidates, constant = inputs.scan_exog(X)
        # spares _setup its own pass over X (the constant columns hold for X as given: no row dropped)
        self._x_scan = (candidates.size == 0, constant if candidates.size == 0 else None)
        if candidates.size:
            col_nan = np.isnan(X[candidates])
            for j in np.flatnonzero(col_nan.any(axis=0)):
                nan[self.exog_names[j]] = np.zeros(X.shape[0], dtype=bool)
                nan[self.exog_names[j]][candidates[col_nan[:, j]]] = True
        nan.update({k: np.isnan(v) for k, v in columns.items() if v is not None})
        bad = [k for k, v in nan.items() if v.any()]
        self.dropped_columns = bad if missing == "drop" else []
        if bad and missing == "raise":
            raise ValueError(f"missing values (NaN) in {', '.join(bad)}; remove them or use missing='drop'")
        return ~np.any(np.vstack(list(nan.values())), axis=0) if bad else np.ones(len(y), dtype=bool)

    @classmethod
    def from_formula(cls, formula, data, family=None, link=None, *, offset=None, exposure=None, var_weights=None,
                     freq_weights=None, missing="drop", weights=None):
        """Build a GLM from an R-style formula and a DataFrame (R: ``glm(formula, family, data)``).

        The keyword arguments may name columns of ``data`` (``var_weights="n"``) or be arrays
        of ``len(data)``. See :func:`glm`.
        """
        from ..formula import build_design
        from ..formula.parse import string_columns

        check_no_weights(weights)
        if isinstance(data, pd.DataFrame) and not isinstance(data.columns, pd.MultiIndex):
            data = string_columns(data)
        data_frame = data
        self = cls.__new__(cls)
        self.family = get_family(family, link)
        data, response_levels = inputs.factor_response(formula, data, self.family)
        design = build_design(formula, data, offset=offset, exposure=exposure, var_weights=var_weights,
                              freq_weights=freq_weights, missing=missing)
        self.formula = formula
        self.design = design
        self._frame = data_frame  # cluster groups named by column (fit(cov_kwds={"groups": "firm"}))
        self.endog_name = design.response_name
        self.exog_names = list(design.column_names)
        self.n_dropped = design.n_dropped
        self.dropped_columns = list(design.dropped_columns)
        self.design_rows = inputs.DesignRows(self.exog_names, design=design, offset=offset, exposure=exposure)
        offsets = [v for v in (design.offset, design.extra_offset) if v is not None]
        columns = {"offset": sum(offsets) if offsets else None, "exposure": design.exposure,
                   "var_weights": design.var_weights, "freq_weights": design.freq_weights}
        if design.n_trials is not None and not self.family.proportion_response:
            raise ValueError("a cbind(successes, failures) response needs the binomial or quasibinomial family")
        X = as_design_matrix(design.X)
        y = np.asarray(design.y, dtype=float)
        if response_levels is not None:
            y = inputs.binary_response(y, response_levels, self.endog_name)
        self._setup(y, X,
                    design.n_trials, columns, design.row_index, has_intercept=design.has_intercept)
        return self

    def _setup(self, y, X, trials, columns, index, has_intercept, x_scan=(False, None)):
        """Checks shared by both interfaces, and the arrays IRLS reads."""
        n, p = X.shape
        if n == 0:
            raise ValueError("no observations to fit (the data are empty, or every row has a missing value)")
        if p == 0:
            raise ValueError("the model has no coefficients (an exog with no columns, or a formula such as 'y ~ 0'); "
                             "glmstats needs at least one column, e.g. an intercept")
        if not np.all(np.isfinite(y)):
            raise ValueError(f"endog ({self.endog_name}) holds infinite values; remove or replace them")
        x_finite, x_constant = x_scan
        if isinstance(X, np.ndarray) and not x_finite and inputs.scan_exog(X)[0].size:
            bad = [name for name, ok in zip(self.exog_names, np.isfinite(X).all(axis=0)) if not ok]
            raise ValueError(f"exog holds infinite values in column(s) {bad}; remove or replace them")
        for name, arr in columns.items():
            if arr is not None and not np.all(np.isfinite(arr)):
                raise ValueError(f"{name} holds infinite values")
        vw, fw = columns["var_weights"], columns["freq_weights"]
        for name, w in (("var_weights", vw), ("freq_weights", fw)):
            if w is not None and np.any(w < 0):
                raise ValueError(f"{name} must be non-negative (found {np.min(w):g})")
        offset = columns["offset"]
        exposure = columns["exposure"]
        self.offset, self.exposure = offset, exposure  # as given (statsmodels' model.exposure holds its log)
        if exposure is not None:
            if np.any(exposure <= 0):
                raise ValueError(f"exposure must be positive (found {np.min(exposure):g}); "
                                 "it enters the model as log(exposure)")
            if not isinstance(self.family.link, L.Log):
                raise ValueError(f"exposure needs the log link (log(exposure) is added to eta); the model's link is "
                                 f"{self.family.link.name!r}: pass offset= instead")
            offset = np.log(exposure) if offset is None else offset + np.log(exposure)
        # absent weights and offset are read-only broadcast constants: no memory, and IRLS skips them
        ones = np.broadcast_to(1.0, (n,))
        self.has_offset = offset is not None
        offset = np.broadcast_to(0.0, (n,)) if offset is None else np.asarray(offset, dtype=float)
        self.freq_weights = ones if fw is None else fw
        user_vw = ones if vw is None else vw
        self.var_weights = user_vw if trials is None else user_vw * trials
        self.n_trials = trials
        unweighted = fw is None and vw is None and trials is None
        prior = ones if unweighted else self.var_weights * self.freq_weights
        pos = ones.astype(bool) if unweighted else prior > 0
        if not unweighted and not np.any(pos):
            raise ValueError("all weights are zero: there is nothing to fit")
        self.family.check_y(y, prior)
        if self.family.integer_response and self.family.proportion_response:  # R: "non-integer #successes"
            def nonint_successes(sl):
                m = self.var_weights[sl] * y[sl]
                return (np.abs(m - np.round(m)) > 1e-3)[pos[sl]]
            if inputs.any_by_blocks(nonint_successes, len(y)):
                warnings.warn("non-integer #successes in a binomial glm (y times the trials in var_weights is "
                              "not a whole number)", DomainWarning, stacklevel=3)
        elif self.family.integer_response:  # counts
            def nonint(sl):  # R's R_nonint
                yp = y[sl][pos[sl]]
                return yp[np.abs(yp - np.round(yp)) > 1e-7 * np.maximum(1.0, np.abs(yp))]
            example = next((bad[0] for bad in map(nonint, vector_blocks(len(y))) if bad.size), None)
            if example is not None:
                warnings.warn(f"non-integer counts in a {self.family.name} glm (for example y = {example:g}); "
                              "the estimates are those of R's glm, but the log-likelihood and AIC use the "
                              "gamma-function extension where R's dpois warns and gives -Inf; for rates use "
                              "counts with an offset/exposure, or the quasipoisson family", DomainWarning,
                              stacklevel=3)
        self.row_index = index
        if has_intercept is None:  # array interface: a non-zero constant column plays the intercept
            if unweighted and x_constant is not None:
                found = np.flatnonzero(x_constant)
                self.intercept_index = int(found[0]) if found.size else None
            else:
                self.intercept_index = inputs.constant_column(X, pos)
        else:
            self.intercept_index = self.exog_names.index("Intercept") if has_intercept else None
        self.has_intercept = self.intercept_index is not None
        self._warn_boundary_response(y if unweighted else y[pos])
        nobs = float(n if unweighted else np.sum(self.freq_weights[pos]))
        self.nobs = int(nobs) if nobs.is_integer() else nobs
        self.data = GLMData(X=X, y=y, weights=prior, offset=offset)

    def _warn_boundary_response(self, y):
        """Warn when every y sits on the boundary of the mean's range: with an intercept the MLE is at infinity.

        R fits such data without a word (the fitted probabilities stop near 1e-11, short of its
        0/1 check) and reports a large intercept with a huge standard error.
        """
        at = next((f"{b:g}" for b in self.family.mean_boundary if np.all(y == b)), None)
        if at is not None and self.has_intercept:
            warnings.warn(f"the response is {at} for every observation: the maximum-likelihood estimate does not "
                          f"exist (the intercept tends to {'-' if at == '0' else '+'}infinity); the coefficients are "
                          "where IRLS stopped, as R's glm returns them, and their standard errors are not meaningful",
                          PerfectSeparationWarning, stacklevel=4)

    # --- statsmodels' model API (computations in glmstats.models.likelihood) ----------------
    @property
    def endog(self):
        """The response used (n,): a proportion for a binomial with trials (statsmodels' ``endog``)."""
        return self.data.y

    @property
    def exog(self):
        """The design matrix used (n, p), an ndarray (a design of factor codes is densified when asked for)."""
        return self.data.X.to_dense()

    def loglike(self, params, scale=None):
        """Log-likelihood at ``params`` (statsmodels' scale=None); see :func:`glmstats.models.likelihood.loglike`."""
        return likelihood.loglike(self, params, scale)

    def loglike_obs(self, params, scale=None):
        """Per-row log-likelihood (times freq_weights); see :func:`glmstats.models.likelihood.loglike_obs`."""
        return likelihood.loglike_obs(self, params, scale)

    def score(self, params, scale=None):
        """Gradient of :meth:`loglike` in the coefficients; see :func:`glmstats.models.likelihood.score`."""
        return likelihood.score(self, params, scale)

    def score_obs(self, params, scale=None):
        """Per-row score contributions (n, p); see :func:`glmstats.models.likelihood.score_obs`."""
        return likelihood.score_obs(self, params, scale)

    def hessian(self, params, scale=None, observed=True):
        """Observed or expected Hessian of :meth:`loglike`; see :func:`glmstats.models.likelihood.hessian`."""
        return likelihood.hessian(self, params, scale, observed)

    def information(self, params, scale=None):
        """statsmodels' ``information``: ``hessian(params, observed=False)``, minus X'WX / scale (statsmodels' sign)."""
        return likelihood.hessian(self, params, scale, observed=False)

    def score_test(self, params_constrained, k_constraints=None, exog_extra=None, observed=True):
        """Score (LM) test of added variables or constraints; see :func:`glmstats.models.likelihood.score_test`."""
        return likelihood.score_test(self, params_constrained, k_constraints, exog_extra, observed)

    def predict(self, params, exog=None, exposure=None, offset=None, which="mean"):
        """Predictions at ``params`` for a design matrix; see :func:`glmstats.models.likelihood.predict`."""
        return likelihood.predict(self, params, exog, exposure, offset, which)

    def get_distribution(self, params, scale=None, exog=None, exposure=None, offset=None, var_weights=1.0,
                         n_trials=1.0):
        """Frozen scipy.stats distribution at ``params``; see :func:`glmstats.models.likelihood.get_distribution`."""
        return likelihood.get_distribution(self, params, scale, exog, exposure, offset, var_weights, n_trials)

    # ------------------------------------------------------------------------------------
    def terms(self):
        """(intercept columns, [(term, columns, factor names)]) in model order.

        Formula models: the formula's terms (``design.term_columns``). Array models: every column is a
        term of its own, except the column that plays the intercept.
        """
        if self.design is not None:
            factors = {}
            for term in self.design.spec.term_indices:
                name = "Intercept" if str(term) == "1" else str(term)
                factors[name] = frozenset(str(f) for f in term.factors)
            cols = self.design.term_columns
            intercept = list(cols.get("Intercept", []))
            terms = [(t, list(cols[t]), factors.get(t) or _split_factors(t))
                     for t in self.design.term_names if t != "Intercept"]
            return intercept, terms
        intercept = [] if self.intercept_index is None else [self.intercept_index]
        names = list(self.exog_names)
        return intercept, [(names[j], [j], frozenset([names[j]])) for j in range(len(names)) if j not in intercept]

    def fit_state(self, fit, *, tol, maxiter, family=None):
        """The frozen :class:`~glmstats.models.fit_state.FitState` of an IRLS fit of this model (``family``:
        another family than the model's, e.g. the negative binomial at its estimated theta)."""
        return FitState.from_irls(
            fit, data=self.data, family=self.family if family is None else family, var_weights=self.var_weights,
            freq_weights=self.freq_weights, n_trials=self.n_trials, has_offset=self.has_offset,
            intercept_index=self.intercept_index, exog_names=list(self.exog_names), row_index=self.row_index,
            nobs=self.nobs, terms=self.terms(), design_rows=self.design_rows, tol=tol, maxiter=maxiter)

    def fit(self, *, maxiter=100, tol=1e-8, start_params=None, scale=None, cov_type="nonrobust", cov_kwds=None,
            use_t=None, verbose=False):
        """Fit by IRLS (R's ``glm.fit``) and return :class:`~glmstats.models.results.GLMResults`.

        Parameters
        ----------
        maxiter : int
            Maximum IRLS iterations (R's ``maxit``); a ConvergenceWarning when reached.
        tol : float
            Convergence: ``|dev - dev_old| / (|dev| + 0.1) < tol`` (R's ``epsilon``).
        start_params : array-like, optional
            Starting coefficients (R's ``start``).
        scale : None, "X2", "dev" or float
            None: 1 for binomial/Poisson/negative binomial, Pearson chi2 / df_resid otherwise
            (R's ``summary.glm``); "X2": Pearson; "dev": deviance / df_resid; a float: fixed.
        cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}
            Covariance of the estimates (sandwich types as R's sandwich::vcovHC / vcovCL).
        cov_kwds : dict, optional
            ``{"groups": array}`` for ``cov_type="cluster"``.
        use_t : bool, optional
            t and F reference distributions; default: when the dispersion is estimated.
        verbose : bool
            Print one line per IRLS iteration (deviance, relative change, step-halvings; R's
            ``glm.control(trace = TRUE)``) while fitting. The lines are DEBUG records of the logger
            ``glmstats.fit``, sent to stdout for the duration of the fit; ``res.fit_history`` keeps them.
        """
        check_fit_options(maxiter, tol, scale, cov_type)
        cov_kwds = self._cov_kwds(cov_type, cov_kwds)
        with verbose_output(verbose):
            fit = irls(self.data, self.family, start_params=start_params, maxiter=int(maxiter), tol=float(tol))
        state = self.fit_state(fit, tol=tol, maxiter=maxiter)
        diagnosis = diagnose(state)
        return GLMResults(self, state, separation=diagnosis.separation, scale=scale, cov_type=cov_type,
                          cov_kwds=cov_kwds, use_t=use_t)

    def _cov_kwds(self, cov_type, cov_kwds):
        """cov_kwds checked; ``groups`` given as a column name of the formula's data becomes that column (a Series,
        aligned with the rows used when the covariance is computed)."""
        if cov_kwds is None:
            return {}
        if not isinstance(cov_kwds, Mapping):
            raise TypeError(f'cov_kwds must be a dict such as {{"groups": labels}}, not {type(cov_kwds).__name__}')
        cov_kwds = dict(cov_kwds)
        groups = cov_kwds.get("groups")
        if cov_type == "cluster" and isinstance(groups, str):
            frame = getattr(self, "_frame", None)
            if frame is None:
                raise ValueError(f"groups={groups!r} names a column, which only a model built from a formula and a "
                                 "DataFrame can look up; pass the labels as an array")
            if groups not in frame.columns:
                raise ValueError(f"groups={groups!r}: the data have no such column")
            cov_kwds["groups"] = frame[groups]
        return cov_kwds

    def __getstate__(self):
        # the user's data frame is kept only to look up cluster columns by name; a pickled model does not carry it
        state = self.__dict__.copy()
        state.pop("_frame", None)
        return state

    def fit_regularized(self, alpha, l1_ratio=0.0, **kwargs):
        """Elastic-net penalized fit; see :func:`glmstats.models.penalized.fit_regularized` for the objective and
        options."""
        from .penalized import fit_regularized

        return fit_regularized(self, alpha, l1_ratio=l1_ratio, **kwargs)


def check_fit_options(maxiter, tol, scale, cov_type):
    """ValueError naming a bad ``maxiter``, ``tol``, ``scale`` or ``cov_type`` of fit()."""
    if not (isinstance(maxiter, (int, np.integer)) and maxiter >= 1):
        raise ValueError(f"maxiter must be a positive integer, got {maxiter!r}")
    if not (isinstance(tol, (int, float, np.floating)) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    if not (scale is None or scale in _SCALE_OPTIONS
            or (isinstance(scale, (int, float, np.floating)) and np.isfinite(scale) and scale > 0)):
        raise ValueError(f'scale must be None, "X2", "dev" or a positive number, got {scale!r}')
    if cov_type not in _COV_TYPES:
        raise ValueError(f"unknown cov_type {cov_type!r}; choose one of {', '.join(_COV_TYPES)}")


def _split_factors(name):
    """'a:b' -> {'a', 'b'}, splitting on ':' outside parentheses and brackets."""
    parts, depth, cur = [], 0, ""
    for ch in name:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == ":" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return frozenset(p.strip() for p in parts)


def check_no_weights(weights):
    """``weights=`` is ambiguous (R's prior weights or row counts): name the two keywords that exist."""
    if weights is not None:
        raise TypeError("glmstats has no weights= argument: give var_weights= for R's prior weights (glm(weights=) "
                        "in R: inverse-variance weights, binomial trials) or freq_weights= for rows that count "
                        "several identical observations (statsmodels' freq_weights)")


def glm(formula, data, family=None, link=None, *, offset=None, exposure=None, var_weights=None, freq_weights=None,
        missing="drop", weights=None):
    """Generalized linear model from a formula (R: ``glm(formula, family, data, weights, offset)``).

    Parameters
    ----------
    formula : str
        formulaic/R formula, e.g. ``"counts ~ outcome + treatment"``, ``"cbind(s, f) ~ x"``,
        ``"y ~ x + offset(np.log(n))"``.
    data : pandas.DataFrame
    family, link :
        A Family instance or R's family name; a link instance or name.
    offset, exposure, var_weights, freq_weights : str or array-like, optional
        A column name of ``data`` or an array of ``len(data)``.
    missing : {"drop", "raise"}
    weights : not accepted
        R's ``weights`` are either kind: give ``var_weights`` (R's prior weights) or
        ``freq_weights`` (row counts); any other value raises TypeError saying so.

    Returns
    -------
    GLM
        Call ``.fit()`` on it.
    """
    check_no_weights(weights)
    return GLM.from_formula(formula, data, family=family, link=link, offset=offset, exposure=exposure,
                            var_weights=var_weights, freq_weights=freq_weights, missing=missing)
