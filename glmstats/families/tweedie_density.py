"""Tweedie densities by series evaluation, and the profile likelihood of the power p.

``tweedie_logpdf`` evaluates the log-density of the Tweedie distribution with mean mu,
dispersion phi and variance power p (Var Y = phi mu^p), for 1 < p < 2 by the series of
Dunn & Smyth (2005) (R: ``tweedie::dtweedie.series``), and for the special cases p = 0
(normal), p = 1 (Poisson on the lattice phi * {0, 1, 2, ...}) and p = 2 (gamma).
The Tweedie family's log-likelihood (``res.llf``, ``res.aic``, ``res.bic``) uses it with the
conventions of R's ``tweedie::AICtweedie`` / ``logLiktweedie`` (see :class:`glmstats.families.Tweedie`).

``tweedie_profile`` profiles the log-likelihood over a grid of p values, as R's
``tweedie::tweedie.profile(method = "series", phi.method = "mle")``.

References
----------
Dunn, P. K. and Smyth, G. K. (2005). Series evaluation of Tweedie exponential dispersion model
densities. Statistics and Computing 15(4), 267-280.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special

from .._lazy import stats
from scipy.interpolate import CubicSpline

from ..exceptions import ProfileWarning

# Terms of the series below exp(-_DROP) times the largest one are left out: far below double
# precision of the sum (R's dtweedie.series uses 37).
_DROP = 40.0
# Rows x terms evaluated at once (memory bound for the vectorised sum).
_BLOCK = 2_000_000
# First window: j_max -/+ (_HALF_SDS standard deviations of the term profile + 10); widened when too short.
_HALF_SDS = 10.0


def tweedie_logpdf(y, mu, phi, p):
    """Log-density of the Tweedie distribution (R: ``log(tweedie::dtweedie(y, power = p, mu, phi))``).

    Parameters
    ----------
    y : array_like
        Observations (y >= 0 for 1 <= p <= 2).
    mu : array_like
        Means, >= 0 (> 0 for p = 2; any real for p = 0).
    phi : array_like
        Dispersions, > 0.
    p : float
        The variance power: 0, 1, 1 < p < 2 or 2. ``y``, ``mu`` and ``phi`` broadcast together.

    Returns
    -------
    ndarray
        log f(y; mu, phi, p); ``-inf`` where y is outside the support.

    Raises
    ------
    NotImplementedError
        For p > 2 (the alternating series of Dunn & Smyth for p > 2 is not implemented) and p < 0.
    ValueError
        For 0 < p < 1 (no such distribution), phi <= 0 or mu < 0 (p >= 1).

    Notes
    -----
    For 1 < p < 2, Y is a compound Poisson sum of N ~ Poisson(lambda) gamma variables with shape
    alpha and scale tau,

        lambda = mu^(2-p) / (phi (2-p)),  alpha = (2-p) / (p-1),  tau = phi (p-1) mu^(p-1).

    P(Y = 0) = exp(-lambda) exactly, and for y > 0 (Dunn & Smyth 2005, eq. 6-8)

        log f(y) = -y / tau - lambda - log y + log W(y, phi, p),
        W = sum_{j>=1} z^j / (j! Gamma(alpha j)),
        log z = alpha log y - alpha log(p-1) - (1+alpha) log phi - log(2-p).

    The terms of W peak near j_max = y^(2-p) / (phi (2-p)) and are log-concave in j with
    curvature about -(1+alpha)/j; the sum runs over a window around j_max widened until both
    end terms are below exp(-40) of the largest, and is accumulated by log-sum-exp, so it neither
    overflows nor underflows (thousands of terms for small phi or large y).

    p = 0: normal(mu, phi). p = 1: y/phi ~ Poisson(mu/phi), the probability mass at y (R's
    ``dtweedie`` for p = 1, as in tweedie 2.3; -inf when y/phi is not an integer).
    p = 2: gamma with shape 1/phi and mean mu.
    """
    p = float(p)
    y, mu, phi = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (y, mu, phi)))
    if np.any(~(phi > 0)):
        raise ValueError("Tweedie dispersion phi must be positive")
    if p == 0:
        return stats.norm.logpdf(y, loc=mu, scale=np.sqrt(phi))
    if 0 < p < 1:
        raise ValueError(f"no Tweedie distribution exists for 0 < p < 1 (got p = {p:g})")
    if p < 0 or p > 2:
        raise NotImplementedError(f"the Tweedie density is implemented for p = 0 and 1 <= p <= 2, not p = {p:g}")
    if np.any(~(mu >= 0)) or (p == 2 and np.any(mu == 0)):
        raise ValueError("Tweedie mean mu must be >= 0 for 1 <= p < 2 and > 0 for p = 2")
    if p == 1:
        k = y / phi
        return stats.poisson.logpmf(k, mu / phi)
    if p == 2:
        return stats.gamma.logpdf(y, 1.0 / phi, scale=mu * phi)

    out = np.full(y.shape, -np.inf)
    lam = mu ** (2.0 - p) / (phi * (2.0 - p))
    zero = y == 0
    out[zero] = -lam[zero]
    pos = (y > 0) & (mu > 0)  # mu = 0 (statmod allows it): all mass at 0, log f(y > 0) = -inf
    if np.any(pos):
        yp, mup, phip = y[pos], mu[pos], phi[pos]
        tau = phip * (p - 1.0) * mup ** (p - 1.0)
        out[pos] = -yp / tau - lam[pos] - np.log(yp) + _log_w(yp, phip, p)[0]
    return out


def _score_phi(y, mu, phi, p):
    """d log f / d phi for 1 < p < 2 (arrays broadcast together).

    With the density written as the Poisson-gamma mixture sum_j P(N = j) g_j(y), differentiating
    each term (lambda and tau scale as 1/phi and phi) gives

        d log f / d phi = (lambda + y / tau - (1 + alpha) E[j | y]) / phi,

    E[j | y] = 0 at y = 0.
    """
    y, mu, phi = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (y, mu, phi)))
    alpha = (2.0 - p) / (p - 1.0)
    lam = mu ** (2.0 - p) / (phi * (2.0 - p))
    tau = phi * (p - 1.0) * mu ** (p - 1.0)
    ej = np.zeros(y.shape)
    pos = y > 0
    if np.any(pos):
        ej[pos] = _log_w(y[pos], phi[pos], p)[1]
    return (lam + y / tau - (1.0 + alpha) * ej) / phi


def _log_w(y, phi, p):
    """log W(y, phi, p) = log sum_j z^j / (j! Gamma(alpha j)) for y > 0, 1 < p < 2 (1-d arrays).

    Also returns E[j], the mean of j under the normalised terms (the posterior mean of the number
    of gamma summands given y), which gives the score in phi.
    """
    alpha = (2.0 - p) / (p - 1.0)
    logz = alpha * np.log(y) - alpha * np.log(p - 1.0) - (1.0 + alpha) * np.log(phi) - np.log(2.0 - p)
    jmax = np.maximum(1.0, y ** (2.0 - p) / (phi * (2.0 - p)))
    half = np.ceil(_HALF_SDS * np.sqrt(jmax / (1.0 + alpha))) + 10.0
    out, ej = np.empty_like(y), np.empty_like(y)
    todo = np.arange(y.size)
    while todo.size:
        lw, mj, ok = _log_w_window(logz[todo], jmax[todo], half[todo], alpha)
        out[todo[ok]], ej[todo[ok]] = lw[ok], mj[ok]
        todo = todo[~ok]
        half[todo] *= 2.0  # an end term was not negligible: widen the window and redo those rows
    return out, ej


def _log_w_window(logz, jmax, half, alpha):
    """Sum the series over [max(1, jmax - half), jmax + half], block by block; flag rows whose ends are negligible."""
    lo = np.maximum(1.0, np.floor(jmax) - half)
    hi = np.ceil(jmax) + half
    width = (hi - lo + 1.0).astype(np.int64)
    order = np.argsort(width, kind="stable")
    lw, mj = np.empty_like(logz), np.empty_like(logz)
    ok = np.empty(logz.size, dtype=bool)
    start = 0
    while start < order.size:
        # rows sorted by width: take as many as fit in _BLOCK terms at the width of the widest of them
        stop = start + 1
        while stop < order.size and (stop + 1 - start) * width[order[stop]] <= _BLOCK:
            stop += 1
        idx = order[start:stop]
        wmax = int(width[idx].max())
        j = lo[idx, None] + np.arange(wmax)[None, :]
        inside = j <= hi[idx, None]
        terms = j * logz[idx, None] - special.gammaln(j + 1.0) - special.gammaln(alpha * j)
        terms = np.where(inside, terms, -np.inf)
        m = terms.max(axis=1)
        e = np.exp(terms - m[:, None])
        s = np.sum(e, axis=1)
        lw[idx] = m + np.log(s)
        mj[idx] = np.sum(np.where(inside, j, 0.0) * e, axis=1) / s
        last = np.take_along_axis(terms, (width[idx] - 1)[:, None], axis=1)[:, 0]
        first_ok = (lo[idx] == 1.0) | (terms[:, 0] < m - _DROP)
        ok[idx] = first_ok & (last < m - _DROP)
        start = stop
    return lw, mj, ok


# --- profile likelihood over p ---------------------------------------------------------------

@dataclass
class TweedieProfile:
    """Result of :func:`tweedie_profile`.

    Attributes
    ----------
    table : DataFrame
        One row per p of the grid: ``p``, ``phi`` (the MLE of phi at that p), ``llf`` (the
        log-likelihood at the fitted mu and that phi), ``deviance``, ``converged``.
    p_max, phi_max, llf_max : float
        The grid point with the largest log-likelihood (R: ``p.max``, ``phi.max``, ``L.max`` with
        ``do.smooth = FALSE``).
    p_smooth : float
        Maximiser of an interpolating cubic spline through the grid values (R's ``do.smooth = TRUE``
        idea); NaN with fewer than 4 finite points.
    ci : tuple of float
        Approximate ``conf_level`` interval for p: where the spline crosses llf_max - chi2_1(conf_level)/2
        (NaN on a side the grid does not reach), as R's ``ci``.
    p_mle, phi_mle, llf_mle : float
        With ``refine=True``: the maximiser of the profile log-likelihood itself (bounded scalar
        optimisation between the neighbours of the best grid point, each step a GLM fit and an
        ML phi); NaN otherwise.
    results : GLMResults
        The fit at ``p_mle`` (``refine=True``) or at ``p_max``.
    """

    table: pd.DataFrame
    p_max: float
    phi_max: float
    llf_max: float
    p_smooth: float
    ci: tuple
    p_mle: float = np.nan
    phi_mle: float = np.nan
    llf_mle: float = np.nan
    results: object = field(default=None, repr=False)

    def __str__(self):
        lines = ["Tweedie profile likelihood over p", self.table.to_string(index=False),
                 f"best grid p = {self.p_max:.4g} (phi = {self.phi_max:.6g}, llf = {self.llf_max:.6f})",
                 f"spline maximiser p = {self.p_smooth:.4g}, interval ({self.ci[0]:.4g}, {self.ci[1]:.4g})"]
        if np.isfinite(self.p_mle):
            lines.append(f"profile MLE p = {self.p_mle:.6g} (phi = {self.phi_mle:.6g}, llf = {self.llf_mle:.6f})")
        return "\n".join(lines)


def phi_mle(y, mu, p, weights=None, freq_weights=None):
    """Maximum-likelihood dispersion at fixed mu and 1 < p < 2, and the log-likelihood there.

    Maximises sum(f * w * log f(y; mu, phi, p)) over phi: the prior weights multiply the
    log-density, as in R's ``tweedie::AICtweedie`` (R's ``tweedie.profile`` uses no weights in its
    likelihood; the two agree for unweighted data). The root of the score
    sum(f * w * d log f / d phi) (see ``_score_phi``) is found by Brent's method on log phi,
    bracketed outwards from deviance / sum(w) -- to machine precision, where minimising the
    log-likelihood itself would stop at about 1e-8 relative.

    Returns
    -------
    (phi, llf) : tuple of float
    """
    from .base import Tweedie

    y, mu = np.asarray(y, float), np.asarray(mu, float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, float)
    f = np.ones_like(y) if freq_weights is None else np.asarray(freq_weights, float)
    keep = (w > 0) & (f > 0)
    y, mu, wf = y[keep], mu[keep], (w * f)[keep]
    fam = Tweedie(p)
    phi0 = fam.deviance(y, mu, wf) / np.sum(wf)
    if not phi0 > 0:
        raise ValueError("cannot estimate phi: the fit is exact (zero deviance)")

    def score(logphi):
        return float(np.sum(wf * _score_phi(y, mu, np.exp(logphi), p)))

    lo = hi = np.log(phi0)
    for _ in range(60):
        if score(lo) > 0:
            break
        lo -= np.log(4.0)
    for _ in range(60):
        if score(hi) < 0:
            break
        hi += np.log(4.0)
    if not (score(lo) > 0 > score(hi)):
        raise ValueError("cannot bracket the maximum-likelihood phi")
    phi = float(np.exp(optimize.brentq(score, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)))
    return phi, fam.loglike(y, mu, wf, phi)


def tweedie_profile(formula, data, p_grid=None, link="log", *, refine=True, conf_level=0.95, fit_kwargs=None,
                    **glm_kwargs):
    """Profile log-likelihood of the Tweedie power p (R: ``tweedie::tweedie.profile``).

    For each p the GLM ``formula`` is fitted with ``Tweedie(p, link)``; phi is then set to its
    maximum-likelihood value at the fitted means, and the log-likelihood there is recorded.

    Parameters
    ----------
    formula : str
    data : DataFrame
    p_grid : array_like, optional
        Powers to try, each in (1, 2) (the series density is implemented there). Default
        ``np.linspace(1.1, 1.9, 9)``.
    link : str or Link, default "log"
        R's ``link.power = 0``. ``None`` gives the canonical power link of each p.
    refine : bool, default True
        Also maximise the profile likelihood over p continuously (``p_mle``).
    conf_level : float, default 0.95
    fit_kwargs : dict, optional
        Passed to ``GLM.fit`` (default ``tol=1e-12, maxiter=200``).
    **glm_kwargs
        Passed to :func:`glmstats.glm` (``var_weights``, ``offset``, ``exposure``, ...).

    Returns
    -------
    TweedieProfile

    Notes
    -----
    As R's ``tweedie.profile(..., method = "series", phi.method = "mle", do.smooth = FALSE)``, with
    phi found to 1e-11 (R's ``optimize`` default tolerance is 1.2e-4) and the fits converged to
    1e-12 (R: ``epsilon = 1e-9``). Prior weights multiply the log-density (R's AICtweedie
    convention; R's tweedie.profile ignores them in L). The profile log-likelihood counts phi as
    estimated at each p: ``llf_max`` is the log-likelihood of the model with p and phi both at
    their MLEs.
    """
    from ..models import glm as _model
    from .base import Tweedie

    grid = np.linspace(1.1, 1.9, 9) if p_grid is None else np.atleast_1d(np.asarray(p_grid, dtype=float))
    if grid.size == 0 or np.any((grid <= 1) | (grid >= 2)):
        raise ValueError("p_grid values must lie strictly between 1 and 2 (the series density is implemented there)")
    grid = np.sort(grid)
    fkw = {"tol": 1e-12, "maxiter": 200}
    fkw.update(fit_kwargs or {})

    def at(p):
        res = _model.glm(formula, data, family=Tweedie(p, link=link), **glm_kwargs).fit(**fkw)
        m = res.model
        phi, llf = phi_mle(m._y, res._mu, p, m._var_weights, m._freq_weights)
        return res, phi, llf

    rows, fits = [], []
    for p in grid:
        res, phi, llf = at(p)
        fits.append(res)
        rows.append({"p": p, "phi": phi, "llf": llf, "deviance": res.deviance, "converged": res.converged})
    table = pd.DataFrame(rows)
    L = table["llf"].to_numpy()
    i = int(np.nanargmax(L))
    if i in (0, grid.size - 1):  # as R's tweedie.profile: "True maximum possibly not detected"
        warnings.warn(f"the profile log-likelihood is largest at the end of p_grid (p = {grid[i]:g}); "
                      "the maximum over p may lie outside the grid", ProfileWarning, stacklevel=2)
    p_max, phi_max, llf_max = float(grid[i]), float(table["phi"][i]), float(L[i])

    p_smooth, ci = np.nan, (np.nan, np.nan)
    finite = np.isfinite(L)
    if finite.sum() >= 4:
        spl = CubicSpline(grid[finite], L[finite])
        xs = np.linspace(grid[finite][0], grid[finite][-1], 2001)
        ys = spl(xs)
        p_smooth = float(xs[np.argmax(ys)])
        ht = ys.max() - stats.chi2.ppf(conf_level, 1) / 2.0
        ci = (_crossing(spl, xs, ys, ht, p_smooth, left=True), _crossing(spl, xs, ys, ht, p_smooth, left=False))

    best = fits[i]
    p_mle = phi_hat = llf_hat = np.nan
    if refine and 0 < i < grid.size - 1:
        r = optimize.minimize_scalar(lambda p: -at(p)[2], bounds=(grid[i - 1], grid[i + 1]), method="bounded",
                                     options={"xatol": 1e-7})
        p_mle = float(r.x)
        best, phi_hat, llf_hat = at(p_mle)
    return TweedieProfile(table=table, p_max=p_max, phi_max=phi_max, llf_max=llf_max, p_smooth=p_smooth, ci=ci,
                          p_mle=p_mle, phi_mle=phi_hat, llf_mle=llf_hat, results=best)


def _crossing(spl, xs, ys, ht, x0, left):
    """Where the spline falls to ht on one side of its maximiser x0 (NaN if it does not within the grid)."""
    side = xs < x0 if left else xs > x0
    below = side & (ys < ht)
    if not np.any(below):
        return np.nan
    k = np.flatnonzero(below)[-1] if left else np.flatnonzero(below)[0]
    a, b = (xs[k], xs[k + 1]) if left else (xs[k - 1], xs[k])
    return float(optimize.brentq(lambda x: spl(x) - ht, a, b))
