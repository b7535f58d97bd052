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

__all__ = ["get_margeff", "MarginalEffects"]

_NAMES = {"dydx": "dy/dx", "eyex": "d(lny)/d(lnx)", "dyex": "dy/d(lnx)", "eydx": "d(lny)/dx"}


def _c(link, eta, ey):
    """c(eta) and dc/deta: mu' and mu'' (dy), or mu'/mu and its derivative (ey)."""
    d1, d2 = link.inverse_deriv(eta), link.inverse_deriv2(eta)
    if not ey:
        return d1, d2
    mu = link.inverse(eta)
    return d1 / mu, (d2 * mu - d1 * d1) / (mu * mu)


def _overall(state, b, ex, ey):
    """(N, s1, S2): the row weights' sum, sum f c t_j and sum f c' x_k t_j (t_j = x_j for elasticities in x, else 1)."""
    p = b.shape[0]
    n = state.data.y.shape[0]
    freq = np.broadcast_to(np.asarray(state.freq_weights, dtype=float), (n,))
    total, s1, S2 = 0.0, np.zeros(p), np.zeros((p, p))
    start = 0
    for xb, _, wb, _, eta in state.data.blocks(beta=b):
        sl = slice(start, start + eta.shape[0])
        start = sl.stop
        f = np.where(wb > 0, freq[sl], 0.0)  # the rows R's fit uses, each counted freq_weights times
        c, dc = _c(state.family.link, eta, ey)
        total += float(np.sum(f))
        for sub in row_blocks(xb.shape[0], block_rows(xb.shape[0], p)):
            x = xb.rows(sub).to_dense()
            fc, fdc = f[sub] * c[sub], f[sub] * dc[sub]
            if ex:
                s1 += fc @ x
                S2 += (x.T * fdc) @ x
            else:
                s1 += np.sum(fc)
                S2 += (fdc @ x)[None, :]
    return total, s1, S2


def _at_mean(state, b, ex, ey):
    """(1, s1, S2) at the mean row (and the mean offset), rows weighted as in :func:`_overall`."""
    p = b.shape[0]
    n = state.data.y.shape[0]
    freq = np.broadcast_to(np.asarray(state.freq_weights, dtype=float), (n,))
    total, xsum, osum = 0.0, np.zeros(p), 0.0
    start = 0
    for xb, _, wb, ob, eta in state.data.blocks(beta=b):
        sl = slice(start, start + eta.shape[0])
        start = sl.stop
        f = np.where(wb > 0, freq[sl], 0.0)
        total += float(np.sum(f))
        xsum += xb.rmatvec(f)
        osum += float(np.sum(f * ob))
    xbar = xsum / total
    c, dc = (float(v[0]) for v in _c(state.family.link, np.array([xbar @ b + osum / total]), ey))
    t = xbar if ex else np.ones(p)
    return 1.0, c * t, dc * np.outer(t, xbar)


def get_margeff(res, at="overall", method="dydx"):
    """Marginal effects of a GLM fit with delta-method standard errors (statsmodels' ``get_margeff``).

    Parameters
    ----------
    res : GLMResults
    at : {"overall", "mean"}
        The average of the rows' effects, or the effect at the mean row (and mean offset).
    method : {"dydx", "eyex", "dyex", "eydx"}
        d mu / d x, or the elasticities d log mu / d log x, d mu / d log x, d log mu / d x.

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
    state = res.fit_state
    b = state.estimate
    ex, ey = method in ("eyex", "dyex"), method in ("eyex", "eydx")
    total, s1, S2 = (_overall if at == "overall" else _at_mean)(state, b, ex, ey)
    effects = b * s1 / total
    jac = (b[:, None] * S2 + np.diag(s1)) / total
    cov = np.nan_to_num(res.cov_params().to_numpy())  # aliased: no variance (their effects are NaN below)
    cov_me = jac @ cov @ jac.T
    effects[~state.kept] = np.nan
    keep = np.array([j != state.intercept_index for j in range(b.shape[0])])
    names = pd.Index(np.asarray(state.exog_names, dtype=object)[keep], dtype=object)
    cov_me = cov_me[np.ix_(keep, keep)]
    cov_me[~state.kept[keep]] = np.nan
    cov_me[:, ~state.kept[keep]] = np.nan
    return MarginalEffects(pd.Series(effects[keep], index=names, name=_NAMES[method]),
                           pd.DataFrame(cov_me, index=names, columns=names), at=at, method=method)


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

    Attributes
    ----------
    margeff, margeff_se, tvalues, pvalues : pandas.Series
        Effects, standard errors, z statistics and their two-sided normal p-values.
    margeff_cov : pandas.DataFrame
    margeff_options : dict
        ``{"at": ..., "method": ...}``.
    """

    def __init__(self, margeff, margeff_cov, *, at, method):
        self.margeff = margeff
        self.margeff_cov = margeff_cov
        self.margeff_options = {"at": at, "method": method}
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
