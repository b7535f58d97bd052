"""Multinomial (categorical) logit with full inference (R: ``nnet::multinom``; statsmodels ``MNLogit``).

A response with J classes, the first (or ``reference=``) the baseline, and K = J - 1 linear
predictors eta_k = X b_k, one per non-reference class:

    P(y = k | x) = exp(eta_k) / (1 + sum_l exp(eta_l)),   P(y = reference | x) = 1 / (1 + sum_l exp(eta_l)).

The log-likelihood is concave in B = [b_1 ... b_K]; :meth:`MultinomialModel.fit` maximises it
by Newton's method with the exact Hessian, accumulated over row blocks (the p K x p K matrix
is the only large object: no n x (p K)^2 temporary). The formula's right-hand side is built
by :func:`glmstats.formula.build_design`; the response is read from ``data`` as a categorical
column.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._lazy import stats

from ..formula import build_design, check_formula_arguments, split_formula
from ..exceptions import (
    ConvergenceWarning,
    PerfectSeparationWarning,
    RankDeficientWarning,
)
from ..engine.linalg import inverse_spd
from ..engine.matrix import DenseMatrix, as_design_matrix
from ..engine.newton import kept_columns, newton_multinomial
from ..engine.trace import verbose_output
from ..report.format import fmt_pvalue
from ..report.summary import MultinomialSummary

__all__ = ["MultinomialModel", "MultinomialResults", "MultinomialSummary", "multinom"]

# Aliasing rule of R's glm.fit (min(1e-7, epsilon / 1000)) on the unweighted design.
_ALIAS_TOL = 1e-7
# R's glm.fit separation check: fitted probabilities within 10 * eps of 0 or 1.
_SEPARATION_EPS = 10 * np.finfo(float).eps
_ROW_COLUMN = "_multinom_row_"


def multinom(formula, data, *, reference=None, freq_weights=None, missing="drop"):
    """Multinomial logit model from a formula (R: ``nnet::multinom(formula, data)``).

    Parameters
    ----------
    formula : str
        ``"response ~ terms"``. The response is a column of ``data`` with the classes
        (strings, categories, numbers, booleans); the right-hand side is any formula
        :func:`glmstats.glm` accepts, except ``offset(...)`` terms.
    data : pandas.DataFrame
    reference : optional
        The baseline class. Default: the first level, as R's ``nnet::multinom``: the first
        category of a categorical column, else the first value in sorted order.
    freq_weights : str or array-like, optional
        A column of ``data`` or ``len(data)`` values: each row counts as that many
        observations (R: ``weights=`` of ``multinom``).
    missing : {"drop", "raise"}
        Rows with a missing value in a variable the model uses (the response included) are
        dropped (R's ``na.omit``) or raise ``ValueError``.

    Returns
    -------
    MultinomialModel
        Call ``.fit()`` for :class:`MultinomialResults`.

    Raises
    ------
    ValueError
        The response is not a column, has fewer than 2 classes, a class has zero total
        weight, ``reference`` is not a class, the formula has an offset, or the design fails
        (see :func:`glmstats.formula.build_design`).
    """
    return MultinomialModel(formula, data, reference=reference, freq_weights=freq_weights, missing=missing)


class MultinomialModel:
    """A multinomial logit model: the design, the class codes and the weights (see :func:`multinom`).

    Attributes
    ----------
    formula : str
    design : glmstats.formula.Design
        The right-hand side (``design.y`` holds row positions, not the response).
    endog_name : str
        The response column.
    classes : list
        All classes in level order (the columns of ``predict``).
    reference : object
        The baseline class.
    exog_names : list of str
        formulaic names of the design columns.
    nobs : int or float
        Sum of the frequency weights of the rows used.
    n_dropped : int, dropped_columns : list of str
        Rows dropped for missing values, and where the values were missing.
    """

    def __init__(self, formula, data, *, reference=None, freq_weights=None, missing="drop"):
        check_formula_arguments(formula, data, missing)
        response, rhs = _response_and_rhs(formula, data)
        yraw = data[response]
        if missing == "raise" and yraw.isna().any():
            raise ValueError(f"missing values in the response column {response!r} ({int(yraw.isna().sum())} rows); "
                             "use missing='drop' to drop those rows")
        # The design gets a numeric stand-in response, the row positions: build_design drops the
        # same rows as for any GLM, and design.y says which rows of `data` were used. The real
        # response column is left out so that `.` on the right does not pick it up.
        frame = data.drop(columns=[response])
        row_col = _ROW_COLUMN
        while row_col in frame.columns:
            row_col += "_"
        frame[row_col] = np.where(yraw.isna().to_numpy(), np.nan, np.arange(len(data), dtype=float))
        design = build_design(f"{row_col} ~ {rhs}", frame, freq_weights=freq_weights, missing=missing)
        if design.offset is not None:
            raise ValueError("offset() terms are not supported in a multinomial model")
        rows = design.y.astype(np.intp)
        y = yraw.iloc[rows]
        w = np.ones(len(rows)) if design.freq_weights is None else np.asarray(design.freq_weights, dtype=float)
        if np.any(w < 0):
            raise ValueError(f"freq_weights must be non-negative (found {np.min(w):g})")

        levels = _levels(y, response)
        if reference is None:
            reference = levels[0]
        elif not any(_same(reference, lev) for lev in levels):
            raise ValueError(f"reference level {reference!r} is not a class of the response {response!r}; "
                             f"its classes are {levels!r}")
        ref_pos = next(i for i, lev in enumerate(levels) if _same(reference, lev))
        level_codes = pd.Index(levels, dtype=object).get_indexer(np.asarray(y, dtype=object)).astype(np.intp)
        # Internal code 0 is the reference; the others keep level order.
        order = [ref_pos] + [i for i in range(len(levels)) if i != ref_pos]
        #: the internal code of each class in level order (code 0 the reference)
        self.internal_codes = np.argsort(order)
        self._order = np.asarray(order)
        codes = self.internal_codes[level_codes]
        totals = np.bincount(codes, weights=w, minlength=len(levels))
        empty = [levels[order[j]] for j in np.flatnonzero(totals <= 0)]
        if empty:
            raise ValueError(f"class(es) {empty!r} of the response {response!r} have zero total weight")

        self.formula = formula
        self.design = design
        self.endog_name = response
        self.classes = levels
        self.reference = levels[ref_pos]
        self.exog_names = list(design.column_names)
        self.row_index = design.row_index
        self.n_dropped = design.n_dropped
        self.dropped_columns = [response if c == row_col else c for c in design.dropped_columns]
        self.has_intercept = design.has_intercept
        self.X = as_design_matrix(design.X)
        self.codes = codes
        self.freq_weights = w
        self.class_totals = totals
        nobs = float(w[w > 0].sum())
        self.nobs = int(nobs) if nobs.is_integer() else nobs

    @property
    def response_classes(self):
        """The non-reference classes, in level order (the columns of ``params``)."""
        return [self.classes[i] for i in self._order[1:]]

    def __repr__(self):
        return (f"<MultinomialModel {self.formula!r}: {len(self.classes)} classes, reference "
                f"{self.reference!r}, nobs={self.nobs:g}>")

    def fit(self, maxiter=100, tol=1e-10, start_params=None, verbose=False):
        """Maximum likelihood by Newton's method on the full multinomial likelihood.

        Parameters
        ----------
        maxiter : int
            Maximum Newton iterations; a ``ConvergenceWarning`` when reached.
        tol : float
            Stop when ``|dev - dev_old| / (|dev| + 0.1) < tol`` (R's glm.fit rule on the
            deviance -2 llf). Newton converges quadratically, so the step that meets it
            leaves the coefficients accurate to far better than sqrt(tol).
        start_params : array-like (p, K), optional
            Starting coefficients, rows = design columns, columns = non-reference classes.
            Default: the intercept-only fit (log class-proportion ratios) when the formula
            has an intercept, else zeros.
        verbose : bool
            Print one line per Newton iteration while fitting (deviance -2 llf, relative change,
            step-halvings): DEBUG records of the logger ``glmstats.fit`` sent to stdout for the
            duration of the fit; ``res.fit_history`` keeps them.

        Returns
        -------
        MultinomialResults

        Notes
        -----
        With P the n x K fitted probabilities of the non-reference classes, Y the class
        indicators and w the frequency weights, the gradient is X'W(Y - P) and the
        information matrix has p x p blocks X' diag(w p_k (delta_kl - p_l)) X. Each step
        solves the information against the gradient (Cholesky after equilibration);
        the step is halved while the log-likelihood is not finite or decreases. Columns
        that are linear combinations of earlier ones (R's pivoting rule) are aliased:
        NaN coefficients and a ``RankDeficientWarning``; predictions treat them as 0.
        """
        maxiter, tol = int(maxiter), float(tol)
        X, codes, w = self.X, self.codes, self.freq_weights
        p, K = X.shape[1], len(self.classes) - 1
        kept = kept_columns(X, _ALIAS_TOL)
        if not kept.all():
            names = [n for n, k in zip(self.exog_names, kept) if not k]
            warnings.warn(f"design columns {names} are linear combinations of earlier ones: their "
                          "coefficients are not estimable (NaN)", RankDeficientWarning, stacklevel=2)
        Xk = X.columns(np.flatnonzero(kept))
        B = np.zeros((int(kept.sum()), K))
        if start_params is not None:
            start = np.asarray(start_params, dtype=float)
            if start.shape != (p, K):
                raise ValueError(f"start_params must have shape {(p, K)} (design columns x non-reference "
                                 f"classes), got {start.shape}")
            B = np.nan_to_num(start[kept])
        elif self.has_intercept:
            B[_intercept_pos(self.exog_names, kept)] = np.log(self.class_totals[1:] / self.class_totals[0])

        with verbose_output(verbose):
            B, ll, info, converged, n_iter, history = newton_multinomial(Xk, codes, w, B, maxiter, tol)
        if not converged:
            warnings.warn(f"Newton's method did not converge in {maxiter} iterations; the last iterate is "
                          "returned", ConvergenceWarning, stacklevel=2)
        cov_kept = inverse_spd(info)
        return MultinomialResults(self, B, kept, cov_kept, ll, converged, n_iter, tol, maxiter, history=history)


class MultinomialResults:
    """Results of a multinomial logit fit (R: ``summary(nnet::multinom(...))``; statsmodels ``MNLogitResults``).

    Coefficient-level results are DataFrames with rows = design terms and columns = the
    non-reference classes (in level order): ``params``, ``bse``, ``tvalues`` (z), ``pvalues``
    (normal). NaN marks aliased columns. ``cov_params()`` and ``conf_int()`` are indexed by
    (class, term) pairs, class-major (all terms of the first non-reference class first).

    Attributes
    ----------
    llf, llnull : float
        Log-likelihood of the fit and of the intercept-only model (class proportions, the
        same for a formula without intercept, as statsmodels' ``llnull``).
    deviance : float
        -2 llf (R: ``deviance(m)`` of ``multinom``; the response is 0/1 per class, so the
        saturated log-likelihood is 0).
    aic, bic : float
        -2 llf + 2 k and -2 llf + log(nobs) k with k = rank x (J - 1) parameters
        (R: ``AIC``, ``BIC``; ``k`` is nnet's ``edf``).
    nobs : int or float
        Sum of the frequency weights.
    df_model, df_resid : number
        (rank - 1) x (J - 1) (rank x (J - 1) without an intercept), and nobs - k,
        as statsmodels' MNLogit.
    prsquared : float
        McFadden's pseudo R-squared 1 - llf / llnull.
    converged, n_iter, tol, maxiter
        Newton's method diagnostics and options.
    fit_history : DataFrame
        One row per Newton iteration (deviance, relative change, step-halvings).
    separation : bool
        Some fitted probability is numerically 0 or 1 (the MLE may be at infinity).
    """

    def __init__(self, model, B, kept, cov_kept, llf, converged, n_iter, tol, maxiter, history=None):
        self.model = model
        self._history = history
        p, K = len(kept), B.shape[1]
        self.endog_name = model.endog_name
        self.reference = model.reference
        self.classes = list(model.classes)
        cols = pd.Index(model.response_classes, name=model.endog_name)
        terms = pd.Index(model.exog_names)
        full = np.full((p, K), np.nan)
        full[kept] = B
        self.params = pd.DataFrame(full, index=terms, columns=cols)
        self.aliased = pd.Series(~kept, index=terms)
        self.rank = int(kept.sum())
        self.k_params = self.rank * K
        # (class, term) layout, class-major: position k * p + j
        self._param_index = pd.MultiIndex.from_product([cols, terms], names=[model.endog_name, "term"])
        mask = np.tile(kept, K)
        cov = np.full((p * K, p * K), np.nan)
        cov[np.ix_(mask, mask)] = cov_kept
        self._cov = cov
        self.bse = pd.DataFrame(np.sqrt(np.diag(cov)).reshape(K, p).T, index=terms, columns=cols)
        self.tvalues = self.params / self.bse
        self.pvalues = pd.DataFrame(2.0 * stats.norm.sf(np.abs(self.tvalues.to_numpy())), index=terms, columns=cols)
        self.llf = float(llf)
        totals = model.class_totals
        self.llnull = float(np.sum(totals * np.log(totals / totals.sum())))
        self.deviance = -2.0 * self.llf
        self.nobs = model.nobs
        self.aic = self.deviance + 2.0 * self.k_params
        self.bic = self.deviance + np.log(self.nobs) * self.k_params
        self.df_model = (self.rank - int(model.has_intercept)) * K
        self.df_resid = self.nobs - self.k_params
        self.prsquared = 1.0 - self.llf / self.llnull
        self.converged = bool(converged)
        self.n_iter = int(n_iter)
        self.tol, self.maxiter = tol, maxiter
        self.n_dropped = model.n_dropped
        self.dropped_columns = list(model.dropped_columns)
        self.method = "Newton"
        probs = self._probabilities(model.X)
        self.separation = bool(np.any((probs < _SEPARATION_EPS) | (probs > 1.0 - _SEPARATION_EPS)))
        if self.separation:
            warnings.warn("fitted probabilities numerically 0 or 1 occurred: possible (quasi-)perfect "
                          "separation; some coefficients may be at infinity", PerfectSeparationWarning, stacklevel=3)

    @property
    def fit_history(self):
        """One row per Newton iteration: ``iteration``, ``deviance`` (-2 llf), ``relative_change``
        (``|dev - dev_old| / (|dev| + 0.1)``, the convergence criterion) and ``step_halvings``."""
        columns, rows = self._history
        return pd.DataFrame(list(rows), columns=list(columns)).astype({"iteration": int, "step_halvings": int})

    # ----------------------------------------------------------------- inference
    def cov_params(self):
        """Covariance of the estimates: the inverse of the information matrix (R: ``vcov(m)``).

        Returns
        -------
        pandas.DataFrame
            (p K) x (p K), rows and columns indexed by (class, term); NaN for aliased terms.
        """
        return pd.DataFrame(self._cov, index=self._param_index, columns=self._param_index)

    def conf_int(self, alpha=0.05):
        """Wald confidence intervals b +- z_(1 - alpha/2) se (R: ``confint(m)`` of ``multinom``).

        Returns
        -------
        pandas.DataFrame
            Columns ``lower``, ``upper``; rows indexed by (class, term), class-major
            (``ci.loc["Low"]`` is the table of class ``Low``), as statsmodels' MNLogit.
        """
        alpha = float(alpha)
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        q = stats.norm.ppf(1.0 - alpha / 2.0)
        b = self.params.to_numpy().T.ravel()
        se = self.bse.to_numpy().T.ravel()
        return pd.DataFrame({"lower": b - q * se, "upper": b + q * se}, index=self._param_index)

    def lr_test(self):
        """Likelihood-ratio test against the intercept-only model.

        Returns
        -------
        LRTestResult
            ``statistic`` = 2 (llf - llnull), ``df`` = k - (J - 1), ``pvalue`` from chi2(df).

        Notes
        -----
        R: ``anova(multinom(y ~ 1), multinom(y ~ x))``; statsmodels ``llr``, ``llr_pvalue``.
        The intercept-only model must be nested in the fitted one (it is whenever the
        formula has an intercept or a full set of dummies).
        """
        K = len(self.classes) - 1
        stat = 2.0 * (self.llf - self.llnull)
        df = self.k_params - K
        return LRTestResult(stat, df, float(stats.chi2.sf(stat, df)) if df > 0 else np.nan)

    # ---------------------------------------------------------------- prediction
    def predict(self, newdata=None, which="probs"):
        """Class probabilities (R: ``predict(m, newdata, type = "probs")``).

        Parameters
        ----------
        newdata : pandas.DataFrame, optional
            New rows, built with the fit's levels and transforms; an unseen category level is
            a ``ValueError``. Default: the rows used in the fit.
        which : {"probs", "class"}
            ``"class"``: the most probable class per row (R: ``type = "class"``).

        Returns
        -------
        pandas.DataFrame or pandas.Series
            Probabilities with one column per class (all classes, in level order), rows summing to 1;
            or the predicted classes.
        """
        if newdata is None:
            X, index = self.model.X, self.model.row_index
        else:
            X = DenseMatrix(self.model.design.transform(newdata)[0])
            index = newdata.index
        probs = self._probabilities(X)
        out = pd.DataFrame(probs, index=index, columns=pd.Index(self.classes, name=self.endog_name))
        if which == "probs":
            return out
        if which == "class":
            return pd.Series(np.asarray(self.classes, dtype=object)[probs.argmax(axis=1)], index=index,
                             name=self.endog_name)
        raise ValueError(f'which must be "probs" or "class", got {which!r}')

    @property
    def fittedvalues(self):
        """Fitted class probabilities of the rows used (a DataFrame, as ``predict()``)."""
        return self.predict()

    def _probabilities(self, X):
        """n x J probabilities in level order (aliased coefficients count as 0)."""
        B = np.nan_to_num(self.params.to_numpy())
        eta = np.column_stack([np.zeros(X.shape[0])] + [X.matvec(B[:, k]) for k in range(B.shape[1])])
        eta -= eta.max(axis=1, keepdims=True)
        probs = np.exp(eta)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs[:, self.model.internal_codes]

    # ------------------------------------------------------------------ display
    def summary(self, alpha=0.05, *, digits=6):
        """Summary report: model header and one coefficient table per non-reference class.

        Parameters
        ----------
        alpha : float, default 0.05
            The intervals have level ``1 - alpha`` (a number in (0, 1)).
        digits : int, default 6

        Returns
        -------
        MultinomialSummary
        """
        return MultinomialSummary(self, alpha, digits=digits)

    def __repr__(self):
        """Short text (R's ``print.multinom``): the coefficients by class, residual deviance and AIC."""
        from ..report.display import multinomial_repr

        return multinomial_repr(self)

    def _repr_html_(self):
        """In a notebook: the summary."""
        return self.summary()._repr_html_()


class LRTestResult:
    """Likelihood-ratio test: ``statistic``, ``df``, ``pvalue``."""

    def __init__(self, statistic, df, pvalue):
        self.statistic, self.df, self.pvalue = float(statistic), df, pvalue

    def __iter__(self):
        return iter((self.statistic, self.df, self.pvalue))

    def __repr__(self):
        p = fmt_pvalue(self.pvalue)
        return (f"Likelihood-ratio test against the intercept-only model: chi2({self.df}) = "
                f"{self.statistic:.6g}, p-value {p if p.startswith('<') else '= ' + p}")

    __str__ = __repr__


def _intercept_pos(names, kept):
    """Position of the intercept among the kept columns."""
    return int(np.flatnonzero(kept).tolist().index(names.index("Intercept")))


# --- response ----------------------------------------------------------------------------

def _response_and_rhs(formula, data):
    """Split ``"y ~ rhs"``; the response must be a column of ``data`` (backticks allowed)."""
    lhs, rhs = split_formula(formula)
    if len(lhs) > 1 and lhs[0] == lhs[-1] == "`":
        lhs = lhs[1:-1]
    if lhs not in data.columns:
        raise ValueError(f"the response {lhs!r} of a multinomial model must be a column of data "
                         f"(columns: {', '.join(map(str, data.columns[:12]))}{', ...' if data.shape[1] > 12 else ''})")
    return lhs, rhs


def _levels(y, name):
    """The classes in R's level order: a categorical's categories (unused ones dropped), else sorted values."""
    if isinstance(y.dtype, pd.CategoricalDtype):
        present = set(y.dropna().unique())
        levels = [c for c in y.cat.categories if c in present]
    else:
        values = pd.unique(y.dropna())
        try:
            levels = sorted(values.tolist())
        except TypeError as e:
            raise ValueError(f"the classes of the response {name!r} cannot be ordered ({e}); "
                             "make it a pandas Categorical to fix their order") from e
    if len(levels) < 2:
        raise ValueError(f"the response {name!r} needs at least 2 classes for a multinomial model; "
                         f"found {len(levels)} ({levels!r})")
    return levels


def _same(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
