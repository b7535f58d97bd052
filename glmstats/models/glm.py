"""The GLM front end: inputs checked and turned into arrays, ``fit()`` and its options.

``GLM(y, X, ...)`` is the array interface (statsmodels-like: no intercept is added);
``GLM.from_formula`` / :func:`glm` is the formula interface (R-like), built on
:mod:`glmstats.design`.  Both end in the same arrays and the same IRLS engine.
"""

import warnings

import numpy as np
import pandas as pd

from .. import families as F
from ..families import links as L
from ..exceptions import CollinearityWarning, ConvergenceWarning, DomainWarning, PerfectSeparationWarning, RankDeficientWarning
from ..engine.gram import default_block_rows, row_blocks, vector_blocks
from ..engine.irls import FitError, GLMData, evaluate_mu, irls, map_partitions

__all__ = ["GLM", "glm"]

_SCALE_OPTIONS = ("X2", "dev")
#: A kept column within this relative distance of the span of the earlier columns gets a CollinearityWarning:
#: about half of the double-precision digits of its estimate are lost.
COLLINEARITY_TOL = 1e-8
_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")


def _column_names(X):
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    return [f"x{j + 1}" for j in range(X.shape[1])]


def _numeric_exog(exog):
    """exog as a float (n, p) array and its column names; non-numeric columns are an error."""
    if exog is None:
        raise ValueError("exog is required: a 2-d array or DataFrame of predictors (no intercept is added; "
                         "use a column of ones for one)")
    if isinstance(exog, pd.Series):
        exog = exog.to_frame()
    if isinstance(exog, pd.DataFrame):
        bad = [str(c) for c in exog.columns
               if not (pd.api.types.is_numeric_dtype(exog[c]) or pd.api.types.is_bool_dtype(exog[c]))
               or pd.api.types.is_complex_dtype(exog[c])]
        if bad:
            raise ValueError(f"exog has non-numeric columns {bad}; encode them (e.g. with the formula interface, "
                             "which makes dummy variables) before using the array interface")
        names = _column_names(exog)
        X = exog.to_numpy(dtype=float, na_value=np.nan)
    else:
        arr = np.asarray(exog)
        if arr.dtype.kind == "c":
            raise ValueError("exog must be real-valued; it holds complex numbers")
        if arr.dtype.kind not in "biuf":
            try:
                arr = arr.astype(float)
            except (TypeError, ValueError):
                raise ValueError("exog must be numeric; it holds values that are not numbers") from None
        X = np.asarray(arr, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        if X.ndim != 2:
            raise ValueError(f"exog must be 2-dimensional, got {X.ndim} dimensions")
        names = _column_names(X)
    return np.ascontiguousarray(X), names


def _vector(value, name, n):
    """A keyword array argument (offset, weights, ...) as a float vector of length n, or None."""
    if value is None:
        return None
    if isinstance(value, str):
        raise ValueError(f"{name}={value!r} names a column, which only the formula interface (gs.glm) can look up; "
                         "pass an array to GLM()")
    if np.iscomplexobj(value):
        raise ValueError(f"{name} must be real-valued; it holds complex numbers")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    arr = arr.reshape(-1) if arr.ndim == 2 and 1 in arr.shape else arr
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array of length {n}, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has length {arr.shape[0]}, but there are {n} observations")
    return arr


def _endog(endog, family):
    """y as a float vector; a two-column (successes, failures) response becomes proportions and trials."""
    name = "y"
    if isinstance(endog, pd.Series) and endog.name is not None:
        name = str(endog.name)
    if isinstance(endog, pd.DataFrame):
        if endog.shape[1] == 1:
            name = str(endog.columns[0])
        elif endog.shape[1] == 2:
            name = f"cbind({endog.columns[0]}, {endog.columns[1]})"
    if endog is None:
        raise ValueError("endog (y) is required")
    arr = np.asarray(endog)
    if arr.dtype.kind == "c":
        raise ValueError("endog (y) must be real-valued; it holds complex numbers")
    if arr.dtype.kind == "b":
        arr = arr.astype(float)
    if arr.dtype.kind not in "iuf":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise ValueError("endog (y) must be numeric (0/1 or counts for binomial); it holds values that are "
                             "not numbers") from None
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 1:
        return arr, None, name
    if arr.ndim == 2 and arr.shape[1] == 2:
        if not family.proportion_response:
            raise ValueError("a two-column response (successes, failures) needs the binomial or quasibinomial family")
        trials = arr[:, 0] + arr[:, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(trials == 0, 0.0, arr[:, 0] / np.where(trials == 0, 1.0, trials))
        y[np.isnan(trials)] = np.nan
        return y, trials, name
    raise ValueError(f"endog must be 1-dimensional (or two columns of successes and failures), got shape {arr.shape}")


def _factor_response(formula, data, family):
    """A categorical response of a binomial model becomes 0/1 as in R: failure = the first (sorted) level."""
    if not (family.proportion_response and isinstance(formula, str) and isinstance(data, pd.DataFrame)):
        return data
    lhs = formula.split("~", 1)[0].strip()
    if lhs not in data.columns:
        return data
    col = data[lhs]
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return data
    levels = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else sorted(col.dropna().unique())
    if len(levels) < 2:
        raise ValueError(f"the response {lhs!r} has a single level {list(levels)}; a binomial model needs two")
    data = data.copy()
    data[lhs] = np.where(col.isna(), np.nan, (col != levels[0]).astype(float))
    return data


def _scan_exog(X):
    """One pass over X by row blocks (in IRLS's partitions and threads): the rows holding a NaN or an
    infinity (row sums propagate them), and whether each column is constant and non-zero (followed only for
    the columns still constant)."""
    n, p = X.shape
    if p == 0 or n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(p, dtype=bool)
    ones, first = np.ones(p), X[0]

    def scan(rows):
        lo, hi = rows
        candidates, found = np.flatnonzero(first != 0), []
        for sl in row_blocks(hi - lo, p, default_block_rows(n, p)):
            xb = X[lo + sl.start:lo + sl.stop]
            found.append(lo + sl.start + np.flatnonzero(~np.isfinite(np.dot(xb, ones))))  # np.dot: threads
            if candidates.size:
                candidates = candidates[np.all(xb[:, candidates] == first[candidates], axis=0)]
        return np.concatenate(found), candidates

    parts = map_partitions(scan, n, p)
    constant = np.ones(p, dtype=bool)
    for _, candidates in parts:  # constant in every partition
        in_part = np.zeros(p, dtype=bool)
        in_part[candidates] = True
        constant &= in_part
    return np.concatenate([found for found, _ in parts]), constant


def _any_by_blocks(test, n):
    """Whether ``test(slice)`` holds anywhere, evaluated on row blocks (no full-length temporaries)."""
    return any(np.any(test(sl)) for sl in vector_blocks(n))


def _has_constant_column(X):
    """Whether some column of X is constant and non-zero (read only where the first rows suggest one)."""
    if X.shape[0] == 0:
        return False
    head = X[:64]
    for j in np.flatnonzero(np.all(head == head[0], axis=0) & (head[0] != 0)):
        if np.all(X[:, j] == X[0, j]):
            return True
    return False


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
    """

    def __init__(self, endog, exog, family=None, link=None, offset=None, exposure=None, var_weights=None,
                 freq_weights=None, missing="drop"):
        self.family = F.get_family(family, link)
        self.formula = None
        self.design = None
        y, trials, self.endog_name = _endog(endog, self.family)
        X, self.exog_names = _numeric_exog(exog)
        n = y.shape[0]
        if X.shape[0] != n:
            raise ValueError(f"endog has {n} rows but exog has {X.shape[0]}")
        columns = {"offset": _vector(offset, "offset", n), "exposure": _vector(exposure, "exposure", n),
                   "var_weights": _vector(var_weights, "var_weights", n),
                   "freq_weights": _vector(freq_weights, "freq_weights", n)}
        index = next((obj.index for obj in (endog, exog) if isinstance(obj, (pd.Series, pd.DataFrame))),
                     pd.RangeIndex(n))
        keep = self._missing_rows(y, X, columns, missing)
        self.n_dropped = int(n - keep.sum())
        if not keep.all():
            columns = {k: (None if v is None else v[keep]) for k, v in columns.items()}
        self._offset_source = {"offset": offset, "exposure": exposure}
        if not keep.all():  # avoid copying a large X when nothing is dropped
            y, X, index = y[keep], X[keep], index[keep]
            trials = None if trials is None else trials[keep]
        self._setup(y, X, trials, columns, index, has_intercept=None, x_scan=self._x_scan)

    def _missing_rows(self, y, X, columns, missing):
        if missing not in ("drop", "raise"):
            raise ValueError(f'missing must be "drop" or "raise", not {missing!r}')
        nan = {"endog": np.isnan(y)}
        # one pass over X (row sums: a NaN or an infinity propagates); columns are examined only when needed
        candidates, constant = _scan_exog(X)
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
                     freq_weights=None, missing="drop"):
        """Build a GLM from an R-style formula and a DataFrame (R: ``glm(formula, family, data)``).

        The keyword arguments may name columns of ``data`` (``var_weights="n"``) or be arrays
        of ``len(data)``. See :func:`glm`.
        """
        from ..formula.design import build_design

        self = cls.__new__(cls)
        self.family = F.get_family(family, link)
        data = _factor_response(formula, data, self.family)
        design = build_design(formula, data, offset=offset, exposure=exposure, var_weights=var_weights,
                              freq_weights=freq_weights, missing=missing)
        self.formula = formula
        self.design = design
        self.endog_name = design.response_name
        self.exog_names = list(design.column_names)
        self.n_dropped = design.n_dropped
        self.dropped_columns = list(design.dropped_columns)
        self._offset_source = {"offset": offset, "exposure": exposure}
        offsets = [v for v in (design.offset, design.extra_offset) if v is not None]
        columns = {"offset": sum(offsets) if offsets else None, "exposure": design.exposure,
                   "var_weights": design.var_weights, "freq_weights": design.freq_weights}
        if design.n_trials is not None and not self.family.proportion_response:
            raise ValueError("a cbind(successes, failures) response needs the binomial or quasibinomial family")
        X = design.X if hasattr(design.X, "cross_products") else np.ascontiguousarray(design.X, dtype=float)
        self._setup(np.asarray(design.y, dtype=float), X,
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
        if isinstance(X, np.ndarray) and not x_finite and _scan_exog(X)[0].size:
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
        self._has_offset = offset is not None
        self._offset = np.broadcast_to(0.0, (n,)) if offset is None else np.asarray(offset, dtype=float)
        self._freq_weights = ones if fw is None else fw
        user_vw = ones if vw is None else vw
        self._var_weights = user_vw if trials is None else user_vw * trials
        self._n_trials = trials
        unweighted = fw is None and vw is None and trials is None
        prior = ones if unweighted else self._var_weights * self._freq_weights
        pos = ones.astype(bool) if unweighted else prior > 0
        if not unweighted and not np.any(pos):
            raise ValueError("all weights are zero: there is nothing to fit")
        self.family.check_y(y, prior)
        if self.family.integer_response and self.family.proportion_response:  # R: "non-integer #successes"
            def nonint_successes(sl):
                m = self._var_weights[sl] * y[sl]
                return (np.abs(m - np.round(m)) > 1e-3)[pos[sl]]
            if _any_by_blocks(nonint_successes, len(y)):
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
        self._y = y
        self._X = X
        self.row_index = index
        if has_intercept is None:  # array interface: a non-zero constant column plays the intercept
            if unweighted and x_constant is not None:
                has_intercept = bool(x_constant.any())
            else:
                has_intercept = _has_constant_column(X if unweighted else X[pos])
        self.has_intercept = has_intercept
        self._warn_boundary_response(y if unweighted else y[pos])
        nobs = float(n if unweighted else np.sum(self._freq_weights[pos]))
        self.nobs = int(nobs) if nobs.is_integer() else nobs
        self.data = GLMData(X=X, y=y, weights=prior, offset=self._offset)

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

    # ------------------------------------------------------------------------------------
    def fit(self, *, maxiter=100, tol=1e-8, start_params=None, scale=None, cov_type="nonrobust", cov_kwds=None,
            use_t=None):
        """Fit by IRLS (R's ``glm.fit``) and return :class:`~glmstats.results.GLMResults`.

        Parameters
        ----------
        maxiter : int
            Maximum IRLS iterations (R's ``maxit``); a ConvergenceWarning when reached.
        tol : float
            Convergence: |dev - dev_old| / (|dev| + 0.1) < tol (R's ``epsilon``).
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
        """
        from .results import GLMResults

        if not (isinstance(maxiter, (int, np.integer)) and maxiter >= 1):
            raise ValueError(f"maxiter must be a positive integer, got {maxiter!r}")
        if not (isinstance(tol, (int, float, np.floating)) and tol > 0):
            raise ValueError(f"tol must be a positive number, got {tol!r}")
        if not (scale is None or scale in _SCALE_OPTIONS
                or (isinstance(scale, (int, float, np.floating)) and np.isfinite(scale) and scale > 0)):
            raise ValueError(f'scale must be None, "X2", "dev" or a positive number, got {scale!r}')
        if cov_type not in _COV_TYPES:
            raise ValueError(f"unknown cov_type {cov_type!r}; choose one of {', '.join(_COV_TYPES)}")
        fit = irls(self.data, self.family, start_params=start_params, maxiter=int(maxiter), tol=float(tol))
        res = GLMResults(self, fit, scale=scale, cov_type=cov_type, cov_kwds=cov_kwds, use_t=use_t,
                         tol=tol, maxiter=maxiter)
        self._warn(fit, maxiter, tol, res)
        return res

    def fit_regularized(self, alpha, l1_ratio=0.0, **kwargs):
        """Elastic-net penalized fit; see :func:`glmstats.penalized.fit_regularized` for the objective and options."""
        from .penalized import fit_regularized

        return fit_regularized(self, alpha, l1_ratio=l1_ratio, **kwargs)

    def _warn(self, fit, maxiter, tol, res):
        if not fit.converged:
            warnings.warn(f"IRLS did not converge in {maxiter} iterations (tol={tol:g}); the last iterate is "
                          "returned", ConvergenceWarning, stacklevel=3)
        if not fit.kept.all():
            names = [n for n, k in zip(self.exog_names, fit.kept) if not k]
            warnings.warn(f"design is rank deficient: {len(names)} coefficient(s) not defined because of "
                          f"singularities (aliased, set to NaN): {', '.join(names)}", RankDeficientWarning,
                          stacklevel=3)
        near = self._nearly_collinear(fit)
        if near:
            warnings.warn("nearly collinear columns: " + ", ".join(f"{n} (relative residual {r:.1e})" for n, r in near)
                          + f" lie within {COLLINEARITY_TOL:g} of the span of the columns before them; their estimates "
                          "and standard errors are numerically unreliable", CollinearityWarning, stacklevel=3)
        involved = res.separation if res.separated else None
        if involved is not None:
            what = "probabilities numerically 0 or 1" if 1.0 in self.family.mean_boundary else "rates numerically 0"
            names = ", ".join(involved) or "none (the estimates converged)"
            warnings.warn(f"fitted {what} occurred: perfect or quasi-perfect separation, or extreme linear "
                          f"predictors; coefficients involved: {names} (still moving in the last iteration: their "
                          "MLE is at infinity, their estimates and standard errors are not meaningful)",
                          PerfectSeparationWarning, stacklevel=3)

    def _nearly_collinear(self, fit):
        """Kept columns whose weighted norm outside the span of the earlier kept columns is below
        COLLINEARITY_TOL of their own norm: |R_jj| / ||R_.j|| of the final triangular factor.

        Without that factor (the covariance was inverted by blocks, a large factor first) there is
        nothing to report: that route requires every pivot of the equilibrated Schur complement
        to be at least linalg.MIN_PIVOT (1e-4), far above COLLINEARITY_TOL."""
        r = fit.r
        if r is None or r.shape[0] == 0:
            return []
        rel = np.abs(np.diag(r)) / np.linalg.norm(r, axis=0)
        names = [n for n, k in zip(self.exog_names, fit.kept) if k]
        return [(names[j], rel[j]) for j in np.flatnonzero(rel < COLLINEARITY_TOL)]

    def separation(self, fit, eta_blocks):
        """Coefficient names still diverging when fitted values reached the boundary, or None.

        R's rule (a fitted probability within 10 eps of 0 or 1, a fitted rate within it of 0), and
        also quasi-complete separation that R's rule misses (IRLS stops while a level's fitted
        probabilities are only ~1e-9 from 0): fitted values within 1e-8 of the boundary where the
        response is on it, while some coefficient still moved by more than 0.1 in the last step.
        ``eta_blocks()`` yields (slice, eta) by row blocks; it is not called when the range of eta in
        IRLS's last pass keeps every fitted value at least 1e-8 away from the boundary.
        """
        fam = self.family
        boundary = np.asarray(fam.mean_boundary, dtype=float)
        if boundary.size == 0:
            return None
        if fit.eta_range is not None and np.all(np.isfinite(fit.eta_range)):
            with np.errstate(all="ignore"):
                ends = fam.link.inverse(np.asarray(fit.eta_range, dtype=float))  # a monotone link: mu's range
            if all(np.min(np.abs(ends - b)) >= 1e-8 for b in boundary):
                return None
        d = self.data
        eps = 10 * np.finfo(float).eps
        step = np.abs(np.nan_to_num(fit.last_step))
        diverging = step.max(initial=0.0) > 0.1
        hit = False
        with np.errstate(all="ignore"):
            for sl, eta in eta_blocks():
                pos = d.weights[sl] > 0
                y, mu = d.y[sl][pos], fam.link.inverse(eta)[pos]
                for b in boundary:
                    near = np.abs(mu - b)
                    hit = hit or np.any(near < eps) or (diverging and np.any((y == b) & (near < 1e-8)))
                if hit:
                    break
        if not hit:
            return None
        if step.max() == 0:
            return []
        return [n for n, s in zip(self.exog_names, step) if s > 0.01 * step.max()]

    # ------------------------------------------------------------------------------------
    def _null_mu(self, tol=1e-10, maxiter=100, mustart=None):
        """Fitted mean of the null model: intercept only (with the offset) or the offset alone (R's glm,
        which starts the intercept-only refit from the full model's fitted values, ``mustart``)."""
        d = self.data
        if not self.has_intercept:
            return self.family.link.inverse(d.offset)
        if not self._has_offset:
            pos = d.weights > 0
            return np.full_like(d.y, np.sum(d.weights[pos] * d.y[pos]) / np.sum(d.weights[pos]))
        null = GLMData(X=np.ones((d.y.shape[0], 1)), y=d.y, weights=d.weights, offset=d.offset)
        try:
            fit = irls(null, self.family, mustart=mustart, maxiter=maxiter, tol=tol)
        except FitError as e:
            warnings.warn(f"the null model (intercept and offset) could not be fitted ({e}); null_deviance and "
                          "llnull are NaN", ConvergenceWarning, stacklevel=4)
            return np.full_like(d.y, np.nan)
        return evaluate_mu(null, self.family, fit.beta)[1]

    def _new_exog(self, newdata, offset=None, exposure=None):
        """Design rows and offset for prediction on new data."""
        if self.design is not None:
            if not isinstance(newdata, pd.DataFrame):
                raise TypeError("newdata must be a pandas DataFrame for a model built from a formula")
            X, off = self.design.transform(newdata)
            offs = [] if off is None else [np.asarray(off, dtype=float)]
        else:
            if isinstance(newdata, pd.DataFrame) and set(self.exog_names) <= set(map(str, newdata.columns)):
                newdata = newdata[[c for c in newdata.columns if str(c) in self.exog_names]]
                newdata.columns = [str(c) for c in newdata.columns]
                newdata = newdata[self.exog_names]
            X, _ = _numeric_exog(newdata)
            if X.shape[1] != len(self.exog_names):
                raise ValueError(f"newdata has {X.shape[1]} columns, the model has {len(self.exog_names)}")
            offs = []
        n = X.shape[0]
        for name, given in (("offset", offset), ("exposure", exposure)):
            source = self._offset_source.get(name)
            if given is None and isinstance(source, str) and self.design is not None:
                if source not in newdata.columns:
                    raise ValueError(f"newdata has no column {source!r}, which the model uses as its {name}")
                given = newdata[source].to_numpy(dtype=float)
            elif given is None and source is not None:
                raise ValueError(f"the model was fitted with an {name} array; pass {name}= for the new rows")
            if given is not None:
                v = _vector(given, name, n)
                if name == "exposure":
                    if np.any(v <= 0):
                        raise ValueError("exposure must be positive")
                    v = np.log(v)
                offs.append(v)
        return X, (sum(offs) if offs else np.zeros(n))


def glm(formula, data, family=None, link=None, *, offset=None, exposure=None, var_weights=None, freq_weights=None,
        missing="drop"):
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

    Returns
    -------
    GLM
        Call ``.fit()`` on it.
    """
    return GLM.from_formula(formula, data, family=family, link=link, offset=offset, exposure=exposure,
                            var_weights=var_weights, freq_weights=freq_weights, missing=missing)
