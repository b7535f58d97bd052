"""Marginal effects of a fitted GLM with delta-method standard errors (statsmodels' ``get_margeff``).

The effect of column j at a row is d mu / d x_j = mu'(eta) b_j (``"dydx"``), or an elasticity
(``"eyex"``, ``"dyex"``, ``"eydx"``); ``at="overall"`` averages it over the rows (R: the average
marginal effects of ``margins::margins`` / ``marginaleffects::avg_slopes``), ``at="mean"``
evaluates it at the mean row. Computed from the fit state by row blocks; the Jacobian of the
effects in the coefficients is analytic (statsmodels differentiates numerically).
"""

import numpy as np
import pandas as pd

from .._lazy import stats
from ..engine.blocks import block_rows, row_blocks

__all__ = ["get_margeff", "dummy_columns", "MarginalEffects"]

_NAMES = {"dydx": "dy/dx", "eyex": "d(lny)/d(lnx)", "dyex": "dy/d(lnx)", "eydx": "d(lny)/dx"}


def _c(link, eta, ey):
    """c(eta) and dc/deta: mu' and mu'' (dy), or mu'/mu and its derivative (ey)."""
    d1, d2 = link.inverse_deriv(eta), link.inverse_deriv2(eta)
    if not ey:
        return d1, d2
    mu = link.inverse(eta)
    return d1 / mu, (d2 * mu - d1 * d1) / (mu * mu)


def _rows(state, b):
    """Yield (f, X_b, eta, offset) by row blocks, f the rows' weights: freq_weights where the prior weight is positive
    (the rows R's fit uses, each counted freq_weights times)."""
    n = state.data.y.shape[0]
    freq = np.broadcast_to(np.asarray(state.freq_weights, dtype=float), (n,))
    start = 0
    for xb, _, wb, ob, eta in state.data.blocks(beta=b):
        sl = slice(start, start + eta.shape[0])
        start = sl.stop
        yield np.where(wb > 0, freq[sl], 0.0), xb, eta, ob


def _pieces(state, b, at):
    """Yield (f, x, eta) over dense pieces of the rows (``"overall"``), or once for the mean row and offset."""
    p = b.shape[0]
    if at == "overall":
        for f, xb, eta, _ in _rows(state, b):
            for sub in row_blocks(xb.shape[0], block_rows(xb.shape[0], p)):
                yield f[sub], xb.rows(sub).to_dense(), eta[sub]
        return
    total, xsum, osum = 0.0, np.zeros(p), 0.0
    for f, xb, _, ob in _rows(state, b):
        total, xsum, osum = total + float(np.sum(f)), xsum + xb.rmatvec(f), osum + float(np.sum(f * ob))
    xbar = xsum / total
    yield np.ones(1), xbar[None, :], np.array([xbar @ b + osum / total])


def _derivatives(state, b, at, ex, ey):
    """(effects, Jacobian) of the derivatives: c(eta) b_j t_j averaged, t_j = x_j for elasticities in x, else 1."""
    p = b.shape[0]
    total, s1, S2 = 0.0, np.zeros(p), np.zeros((p, p))  # sum f c t_j and sum f c' x_k t_j
    for f, x, eta in _pieces(state, b, at):
        c, dc = _c(state.family.link, eta, ey)
        fc, fdc = f * c, f * dc
        total += float(np.sum(f))
        if ex:
            s1 += fc @ x
            S2 += (x.T * fdc) @ x
        else:
            s1 += np.sum(fc)
            S2 += (fdc @ x)[None, :]
    return b * s1 / total, (b[:, None] * S2 + np.diag(s1)) / total


def dummy_columns(data):
    """Positions of the columns of X whose values are 0 and 1 only, both present (statsmodels' ``_isdummy``)."""
    p = data.shape[1]
    lo, hi, whole = np.full(p, np.inf), np.full(p, -np.inf), np.ones(p, dtype=bool)
    for xb, *_ in data.blocks(beta=np.zeros(p)):
        for sub in row_blocks(xb.shape[0], block_rows(xb.shape[0], p)):
            x = xb.rows(sub).to_dense()
            lo, hi = np.minimum(lo, x.min(axis=0)), np.maximum(hi, x.max(axis=0))
            whole &= np.all(x % 1.0 == 0, axis=0)
    return np.flatnonzero((lo == 0) & (hi == 1) & whole)


def _discrete_changes(state, b, cols, at, ey):
    """(effects, Jacobian rows) of the dummies ``cols``: the change of mu (or log mu) from x_j = 0 to x_j = 1."""
    link = state.family.link
    effects, jac, total = np.zeros(len(cols)), np.zeros((len(cols), b.shape[0])), 0.0
    for f, x, eta in _pieces(state, b, at):
        total += float(np.sum(f))
        for i, j in enumerate(cols):
            eta1, eta0 = eta + (1.0 - x[:, j]) * b[j], eta - x[:, j] * b[j]
            mu1, mu0 = link.inverse(eta1), link.inverse(eta0)
            effects[i] += np.sum(f * ((np.log(mu1) - np.log(mu0)) if ey else (mu1 - mu0)))
            c1, c0 = f * _c(link, eta1, ey)[0], f * _c(link, eta0, ey)[0]
            row = c1 @ x - c0 @ x
            row[j] = np.sum(c1)  # x_j is 1 in the first design, 0 in the second
            jac[i] += row
    return effects / total, jac / total


def get_margeff(res, at="overall", method="dydx", dummy=False):
    """Marginal effects of a GLM fit with delta-method standard errors (statsmodels' ``get_margeff``).

    Parameters
    ----------
    res : GLMResults
    at : {"overall", "mean"}
        The average of the rows' effects, or the effect at the mean row (and mean offset).
    method : {"dydx", "eyex", "dyex", "eydx"}
        d mu / d x, or the elasticities d log mu / d log x, d mu / d log x, d log mu / d x.
    dummy : bool
        For the columns holding only 0 and 1 (dummies), the discrete change of mu (or of log mu
        with ``"eydx"``) from 0 to 1 instead of the derivative, as statsmodels' ``dummy=True``.

    Returns
    -------
    MarginalEffects
        One effect per column of the design except the intercept (NaN for aliased columns).

    Notes
    -----
    At a row, d mu / d x_j = mu'(eta) b_j. The average weights the rows with positive prior weight
    by their freq_weights (statsmodels: unweighted, and no offset allowed); var_weights do not
    weight it. The covariance is J V J', J the analytic Jacobian of the effects in the
    coefficients and V ``res.cov_params()``; intervals and p-values are normal, as statsmodels'
    and R's ``margins``.
    """
    at, method = str(at).lower(), str(method).lower()
    if at not in ("overall", "mean"):
        raise ValueError(f'at must be "overall" or "mean", not {at!r}')
    if method not in _NAMES:
        raise ValueError(f"method must be one of {', '.join(_NAMES)}, not {method!r}")
    if dummy and method in ("eyex", "dyex"):
        raise ValueError(f"method={method!r} is not defined for the discrete change of a dummy (dummy=True); use "
                         '"dydx" or "eydx"')
    state = res.fit_state
    b = state.estimate
    effects, jac = _derivatives(state, b, at, ex=method in ("eyex", "dyex"), ey=method in ("eyex", "eydx"))
    if dummy:
        cols = dummy_columns(state.data)
        if cols.size:
            effects[cols], jac[cols] = _discrete_changes(state, b, cols, at, ey=method == "eydx")
    cov = np.nan_to_num(res.cov_params().to_numpy())  # aliased: no variance (their effects are NaN below)
    cov_me = jac @ cov @ jac.T
    effects[~state.kept] = np.nan
    keep = np.array([j != state.intercept_index for j in range(b.shape[0])])
    names = pd.Index(np.asarray(state.exog_names, dtype=object)[keep], dtype=object)
    cov_me = cov_me[np.ix_(keep, keep)]
    cov_me[~state.kept[keep]] = np.nan
    cov_me[:, ~state.kept[keep]] = np.nan
    return MarginalEffects(pd.Series(effects[keep], index=names, name=_NAMES[method]),
                           pd.DataFrame(cov_me, index=names, columns=names), at=at, method=method, dummy=dummy)


class MarginalEffects:
    """Marginal effects with delta-method standard errors (statsmodels' ``DiscreteMargins``).

    Parameters
    ----------
    margeff : pandas.Series
        The effects, by column of the design (the intercept left out).
    margeff_cov : pandas.DataFrame
        Their covariance, J V J' with J the Jacobian of the effects in the coefficients and V the
        fit's ``cov_params()`` (robust when the fit's is).
    at, method : str
        The options they were computed with.
    dummy : bool
        Whether the dummies' effects are discrete changes.

    Attributes
    ----------
    margeff, margeff_se, tvalues, pvalues : pandas.Series
        Effects, standard errors, z statistics and their two-sided normal p-values.
    margeff_cov : pandas.DataFrame
    margeff_options : dict
        ``{"at": ..., "method": ..., "dummy": ...}``.
    """

    def __init__(self, margeff, margeff_cov, *, at, method, dummy=False):
        self.margeff = margeff
        self.margeff_cov = margeff_cov
        self.margeff_options = {"at": at, "method": method, "dummy": dummy}
        self.margeff_se = pd.Series(np.sqrt(np.diag(margeff_cov.to_numpy())), index=margeff.index, name="Std. Err.")
        self.tvalues = (margeff / self.margeff_se).rename("z")
        self.pvalues = pd.Series(2.0 * stats.norm.sf(np.abs(self.tvalues.to_numpy())), index=margeff.index,
                                 name="Pr(>|z|)")

    def conf_int(self, alpha=0.05):
        """Normal intervals effect -/+ z_(1 - alpha/2) se: a DataFrame with columns ``lower``, ``upper``."""
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        q = stats.norm.ppf(1.0 - alpha / 2.0)
        return pd.DataFrame({"lower": self.margeff - q * self.margeff_se, "upper": self.margeff + q * self.margeff_se})

    def summary_frame(self, alpha=0.05):
        """One row per column: effect, ``Std. Err.``, ``z``, ``Pr(>|z|)``, ``Conf. Int. Low``, ``Conf. Int. Hi.``
        (statsmodels' columns; it spells the last ``Cont. Int. Hi.``)."""
        ci = self.conf_int(alpha)
        return pd.DataFrame({self.margeff.name: self.margeff, "Std. Err.": self.margeff_se, "z": self.tvalues,
                             "Pr(>|z|)": self.pvalues, "Conf. Int. Low": ci["lower"], "Conf. Int. Hi.": ci["upper"]})

    def _title(self):
        at = {"overall": "average over the rows", "mean": "at the means"}[self.margeff_options["at"]]
        return f"Marginal effects ({self.margeff_options['method']}, {at})"

    def __repr__(self):
        return f"{self._title()}\n{self.summary_frame().to_string()}"

    def _repr_html_(self):
        return f"<p>{self._title()}</p>{self.summary_frame()._repr_html_()}"
