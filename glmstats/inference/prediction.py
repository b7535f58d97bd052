"""Predictions with standard errors and confidence intervals, and simulation from a fitted GLM.

R: ``predict.glm(m, newdata, type = "link" | "response", se.fit = TRUE)`` and ``simulate.glm``.
"""

import numpy as np
import pandas as pd
from .._lazy import stats

from ..engine.blocks import block_rows, row_blocks

__all__ = ["get_prediction", "simulate", "PredictionResults"]


class PredictionResults:
    """Predictions of a GLM with standard errors (result of :func:`get_prediction`).

    Attributes
    ----------
    predicted : ndarray
        Predicted means (``which="mean"``) or linear predictors (``which="linear"``).
    se : ndarray
        Their standard errors.
    linpred, linpred_se : ndarray
        The linear predictor eta (offset included) and its standard error.
    which : {"mean", "linear"}
    row_labels : Index
    df : float or None
        Degrees of freedom of the t quantile of the intervals; None for the normal.
    """

    def __init__(self, linpred, linpred_se, link, which, row_labels, df):
        self.linpred = linpred
        self.linpred_se = linpred_se
        self.which = which
        self.row_labels = row_labels
        self.df = df
        self._link = link
        if which == "linear":
            self.predicted, self.se = linpred.copy(), linpred_se.copy()
        else:
            self.predicted = link.inverse(linpred)
            self.se = np.abs(link.inverse_deriv(linpred)) * linpred_se

    @property
    def predicted_mean(self):
        """Alias of ``predicted`` (statsmodels' name)."""
        return self.predicted

    @property
    def se_mean(self):
        """Alias of ``se`` (statsmodels' name)."""
        return self.se

    def _quantile(self, alpha):
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        dist = stats.norm() if self.df is None else stats.t(self.df)
        return dist.ppf(1.0 - alpha / 2.0)

    def conf_int(self, alpha=0.05):
        """(n, 2) array of lower and upper confidence limits.

        Built on the link scale, eta -/+ q se(eta), and mapped back by the inverse link for
        ``which="mean"`` (sorted, so lower <= upper also for decreasing links).
        """
        q = self._quantile(alpha)
        lo = self.linpred - q * self.linpred_se
        hi = self.linpred + q * self.linpred_se
        if self.which == "mean":
            lo, hi = self._link.inverse(lo), self._link.inverse(hi)
        return np.column_stack([np.fmin(lo, hi), np.fmax(lo, hi)])

    def summary_frame(self, alpha=0.05):
        """DataFrame with columns ``mean``, ``mean_se``, ``mean_ci_lower``, ``mean_ci_upper``.

        For ``which="linear"`` the columns hold the linear predictor, its standard error and its
        interval (the column names are kept the same, as statsmodels does).
        """
        ci = self.conf_int(alpha)
        return pd.DataFrame({"mean": self.predicted, "mean_se": self.se, "mean_ci_lower": ci[:, 0],
                             "mean_ci_upper": ci[:, 1]}, index=self.row_labels)

    def _heading(self):
        scale = "response (mean)" if self.which == "mean" else "link (linear predictor)"
        return [f"Predictions on the {scale} scale, {len(self.predicted)} rows; 95% intervals"]

    def __repr__(self):
        from ..report.display import frame_text

        return frame_text(self.summary_frame(), heading=self._heading())

    def _repr_html_(self):
        from ..report.display import frame_html

        return frame_html(self.summary_frame(), heading=self._heading())


def get_prediction(res, newdata=None, which="mean", offset=None, exposure=None):
    """Predictions with standard errors and confidence intervals.

    Parameters
    ----------
    res : GLMResults
    newdata : DataFrame or array, optional
        New rows: raw data for a formula model (the formula spec of the fit is reused, offset(...)
        terms are evaluated on it), a design matrix for the array interface. None: the rows used
        in the fit (with their offset).
    which : {"mean", "linear"}
        Response scale (mu) or link scale (eta).
    offset, exposure : array-like, optional
        For the new rows, when the model was fitted with offset/exposure arrays.

    Returns
    -------
    PredictionResults

    Notes
    -----
    eta = X b + offset with aliased coefficients counted as 0 (as R). se(eta_i) =
    sqrt(x_i' V x_i), V = ``res.cov_params()`` over the estimable columns (the robust covariance
    if the fit used one; R's predict.glm always uses the model-based one), computed block by block
    without forming an n x n matrix. On the response scale ``se(mu_i) = |d mu / d eta| se(eta_i)``
    (delta method). Intervals: eta -/+ q se(eta), mapped by the inverse link for
    ``which="mean"``; q from t(df_resid) when ``res.use_t`` (dispersion estimated) else the normal.
    R: ``predict(m, newdata, type = "link" / "response", se.fit = TRUE)``;
    the interval is ``family(m)$linkinv(fit -/+ q * se.fit)`` on the link-scale prediction.
    """
    if which not in ("mean", "linear"):
        raise ValueError(f'which must be "mean" or "linear", not {which!r}')
    state = res.fit_state
    kept = state.kept
    if newdata is None:
        if offset is not None or exposure is not None:
            raise ValueError("offset/exposure in get_prediction() go with newdata")
        X, off, labels = state.data.X, state.data.offset, state.row_index
    else:
        X, off = state.design_rows(newdata, offset=offset, exposure=exposure)
        labels = newdata.index if isinstance(newdata, (pd.DataFrame, pd.Series)) else pd.RangeIndex(X.shape[0])
    eta = X.matvec(state.estimate) + np.asarray(off, dtype=float)
    V = res.cov_params().to_numpy()[np.ix_(kept, kept)]
    cols = np.flatnonzero(kept)
    se = np.empty(X.shape[0])
    for sl in row_blocks(X.shape[0], block_rows(X.shape[0], cols.size)):  # dense pieces, no copy of X
        xb = X.rows(sl).columns(cols).to_dense()
        se[sl] = np.sqrt(np.einsum("ij,jk,ik->i", xb, V, xb))
    df = float(res.df_resid) if res.use_t else None
    return PredictionResults(np.asarray(eta, dtype=float), se, res.family.link, which, labels, df)


def simulate(res, nsim=1, seed=None):
    """Draws of the response from the fitted distribution (R: ``simulate.glm``).

    Parameters
    ----------
    res : GLMResults
    nsim : int
        Number of simulated responses.
    seed : int, numpy Generator or None
        Passed to ``numpy.random.default_rng``; the same seed gives the same draws.

    Returns
    -------
    DataFrame
        One row per observation (index of ``res.fittedvalues``), columns ``sim_1`` ... ``sim_nsim``.

    Notes
    -----
    Each column is a draw from ``res.family.get_distribution(mu, scale=res.scale,
    var_weights=prior weights)``. Binomial draws are successes / trials, i.e. proportions on the
    scale of the response, as R. The dispersion is ``res.scale`` (for Gamma R's simulate uses
    the ML shape of ``MASS::gamma.shape`` instead). Families without a distribution (quasi
    families, Tweedie) raise NotImplementedError, as R's ``simulate`` for quasi families.
    The draws cannot equal R's number for number (different generators).
    """
    nsim = int(nsim)
    if nsim < 1:
        raise ValueError(f"nsim must be a positive integer, got {nsim}")
    family = res.family
    mu = np.asarray(res.fit_state.mu, dtype=float)
    vw = np.asarray(res.fit_state.var_weights, dtype=float)
    try:
        dist = family.get_distribution(mu, scale=res.scale, var_weights=vw)
    except NotImplementedError as exc:
        raise NotImplementedError(f"simulate() is not available for the {family.name} family: {exc}") from None
    rng = np.random.default_rng(seed)
    draws = np.asarray(dist.rvs(size=(nsim, mu.shape[0]), random_state=rng), dtype=float)
    if getattr(getattr(dist, "dist", None), "name", None) == "binom":  # counts of successes -> proportions
        with np.errstate(divide="ignore", invalid="ignore"):
            draws = draws / np.round(vw)
    index = res.fittedvalues.index
    return pd.DataFrame(draws.T, index=index, columns=[f"sim_{i + 1}" for i in range(nsim)])
