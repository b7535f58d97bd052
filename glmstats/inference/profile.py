"""Profile-likelihood confidence intervals of GLM coefficients (R: ``MASS::confint.glm``).

For coefficient j the profile statistic is MASS's

    tau_j(b) = sign(b - b_hat_j) * sqrt((D(b) - D_hat) / phi)

where D(b) is the deviance of the model refitted with coefficient j held at b (the term
b * x_j moves into the offset, the other columns stay free), D_hat the deviance at the MLE
and phi the dispersion of ``summary.glm`` (``res.scale``).  The limits solve
tau_j(b) = -/+ z_{1 - alpha/2} with the *normal* quantile, as MASS, also when phi is
estimated.  MASS locates the roots by spline interpolation of a coarse profile (good to
about 1e-3); here each root is found exactly: the constrained refits run IRLS to a tight
tolerance, a bracket is found by expanding geometrically from the Wald limit, and the
root is polished with Brent's method.
"""

import warnings

import numpy as np
import pandas as pd
from scipy import optimize

from .._lazy import stats

from ..exceptions import ProfileWarning
from ..engine.data import GLMData
from ..engine.irls import irls
from ..exceptions import FitError

__all__ = ["profile_conf_int", "ProfileWarning"]

#: IRLS tolerance of the constrained refits: the deviance (what the criterion reads) is then
#: accurate to ~1e-14 relative, far below what the limits need.
_TOL = 1e-14
_MAXITER = 200
#: Bracket expansion: steps of z * se * 2^k, k < _MAX_EXPAND (up to ~1e6 Wald half-widths).
_MAX_EXPAND = 20
#: Bisections towards the last valid point when a constrained fit fails (mu leaves its domain).
_MAX_BISECT = 40
#: Two constrained fits from different starts whose deviances agree this closely found the same minimum.
_AGREE = 1e-10




def profile_conf_int(res, alpha=0.05, parm=None):
    """Profile-likelihood confidence intervals (R: ``confint(m)`` with MASS's ``confint.glm``).

    Parameters
    ----------
    res : GLMResults
    alpha : float
        1 - confidence level.
    parm : array of int, optional
        Positions of the coefficients to profile (default all).

    Returns
    -------
    DataFrame
        Columns ``lower`` and ``upper``, indexed like ``res.params`` (the ``parm`` rows). NaN for aliased
        coefficients and for limits where the profile never reaches the cutoff (with a
        :class:`ProfileWarning`), e.g. the infinite side of a separated coefficient.

    Notes
    -----
    Limit b of coefficient j: sign(b - b_hat) sqrt((D(b) - D_hat) / phi) = -/+ z_{1-alpha/2},
    D(b) the deviance refitted with b x_j in the offset, phi = ``res.scale`` (R's
    ``summary(m)$dispersion``), z the normal quantile (as MASS, even when phi is estimated).
    The MLE is first re-polished to the same tight tolerance so that D_hat and D(b) are
    computed alike.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    state = res.fit_state
    names = list(state.exog_names)
    p = len(names)
    wanted = np.arange(p) if parm is None else np.asarray(parm, dtype=np.intp)
    lower = np.full(p, np.nan)
    upper = np.full(p, np.nan)

    def out():
        return pd.DataFrame({"lower": lower[wanted], "upper": upper[wanted]}, index=[names[j] for j in wanted])

    phi = float(res.scale)
    if not (np.isfinite(phi) and phi > 0):
        warnings.warn("the dispersion is not finite: profile intervals are NaN", ProfileWarning, stacklevel=3)
        return out()

    kept = state.kept
    cols = np.flatnonzero(kept)
    if cols.size == 0:
        return out()
    data = state.data.with_columns(cols)  # a factor-codes design stays codes
    family = res.family
    full = _refit(data, family, (state.beta[kept], None))
    if full is None:
        warnings.warn("the model could not be refitted: profile intervals are NaN", ProfileWarning, stacklevel=3)
        return out()
    bhat, dhat = full
    se = np.sqrt(np.diag(state.cov_unscaled) * phi)
    z = stats.norm.ppf(1.0 - alpha / 2.0)

    for pos, j in enumerate(cols):
        if j not in wanted:
            continue
        prof = _Profile(data, pos, family, bhat, dhat, phi, state.cov_unscaled)
        for side, store in ((-1.0, lower), (1.0, upper)):
            limit, why = _limit(prof, side, z, se[pos])
            store[j] = limit
            if why:
                warnings.warn(f"profile {'lower' if side < 0 else 'upper'} limit of {names[j]!r} not found: {why}; "
                              "set to NaN", ProfileWarning, stacklevel=3)
    return out()


def _refit(data, family, starts):
    """(beta, deviance) of the best fit from the given starts (None = R's starting values), or None.

    IRLS from a poor start can fail (mu leaves the family's domain) or run off to a wrong
    stationary point (e.g. a probit fit whose mu all reach 0 or 1).  The constrained deviance is a
    minimum, so the smallest deviance found wins; the starts are tried in order and the search
    stops as soon as two fits agree.
    """
    best = None
    for sp in starts:
        try:
            with np.errstate(all="ignore"):
                fit = irls(data, family, start_params=sp, maxiter=_MAXITER, tol=_TOL)
        except FitError:
            continue
        if not (np.isfinite(fit.deviance) and np.all(np.isfinite(fit.beta))):
            continue
        if best is not None and abs(fit.deviance - best[1]) <= _AGREE * (abs(best[1]) + 0.1):
            return best if best[1] <= fit.deviance else (fit.beta, fit.deviance)
        if best is None or fit.deviance < best[1]:
            best = (fit.beta, fit.deviance)
    return best


class _Profile:
    """tau(b) for one coefficient: constrained refits with b x_j in the offset.

    Each refit starts from the previous solution, from the Wald-approximation prediction of the
    other coefficients, b_o(b) = b_hat_o + (b - b_hat_j) cov_oj / cov_jj (the conditional mean of
    the asymptotic normal), from b_hat_o, and from R's starting values (see :func:`_refit`).
    """

    def __init__(self, data, pos, family, bhat, dhat, phi, cov_unscaled):
        self.family = family
        k = data.X.shape[1]
        self.xj = data.X.columns([pos]).to_dense()[:, 0]  # one column: an n-vector, also of a factor's dummy
        self.others = data.X.columns(np.delete(np.arange(k), pos))
        self.y, self.w, self.off = data.y, data.weights, data.offset
        self.bj = bhat[pos]
        self.bo = np.delete(bhat, pos)
        self.slope = np.delete(cov_unscaled[:, pos], pos) / cov_unscaled[pos, pos]
        self.previous = None
        self.dhat, self.phi = dhat, phi

    def reset(self):
        self.previous = None

    def deviance(self, b):
        """D(b), or None when no valid constrained fit exists at b."""
        offset = self.off + b * self.xj
        if self.others.shape[1] == 0:
            with np.errstate(all="ignore"):
                eta = offset
                mu = self.family.link.inverse(eta)
                if not (self.family.link.valid_eta(eta) and self.family.valid_mu(mu)):
                    return None
                dev = self.family.deviance(self.y, mu, self.w)
            return dev if np.isfinite(dev) else None
        # previous solution (continuation), Wald prediction, the MLE's others (eta moves by
        # (b - b_hat_j) x_j only), R's starting values
        starts = [self.bo + (b - self.bj) * self.slope, self.bo, None]
        if self.previous is not None:
            starts.insert(0, self.previous)
        fit = _refit(GLMData(X=self.others, y=self.y, weights=self.w, offset=offset), self.family, starts)
        if fit is None:
            return None
        self.previous = fit[0]
        return fit[1]

    def tau(self, b):
        dev = self.deviance(b)
        if dev is None:
            return None, None
        return np.sign(b - self.bj) * np.sqrt(max(dev - self.dhat, 0.0) / self.phi), dev


def _limit(prof, side, z, se):
    """One limit: (value, None) or (NaN, reason)."""
    if not (np.isfinite(se) and se > 0):
        return np.nan, "the standard error is not finite"
    prof.reset()
    target = side * z
    inner, dev_inner = prof.bj, prof.dhat
    step = z * se
    crossing = None
    for _ in range(_MAX_EXPAND):
        b = prof.bj + side * step
        t, dev = prof.tau(b)
        if t is None:
            crossing = _bisect_valid(prof, inner, b, target)
            if crossing is None:
                return np.nan, f"the constrained fit fails beyond {inner:.6g} before the profile crosses the cutoff"
            break
        if side * t >= z:
            crossing = b
            break
        if dev <= dev_inner * (1.0 + 1e-12) + 1e-300 and step > 4.0 * z * se:
            return np.nan, "the profile deviance is flat (separation: the likelihood does not decrease further)"
        inner, dev_inner = b, dev
        step *= 2.0
    if crossing is None:
        return np.nan, "the profile does not cross the cutoff within 1e6 Wald half-widths"

    def g(b):
        t, _ = prof.tau(b)
        if t is None:
            raise _InvalidFit
        return t - target

    lo, hi = sorted((inner, crossing))
    try:
        root = optimize.brentq(g, lo, hi, xtol=1e-13 * max(abs(prof.bj), se), rtol=4 * np.finfo(float).eps,
                               maxiter=200)
    except _InvalidFit:
        return np.nan, "a constrained fit inside the bracket failed"
    return root, None


class _InvalidFit(Exception):
    pass


def _bisect_valid(prof, inner, bad, target):
    """Between a valid point and one whose fit fails, find a valid point beyond the cutoff (or None)."""
    good = inner
    for _ in range(_MAX_BISECT):
        mid = 0.5 * (good + bad)
        t, _ = prof.tau(mid)
        if t is None:
            bad = mid
        elif np.sign(target) * t >= abs(target):
            return mid
        else:
            good = mid
    return None
