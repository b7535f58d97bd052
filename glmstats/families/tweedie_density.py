"""The Tweedie density by series evaluation.

``tweedie_logpdf`` evaluates the log-density of the Tweedie distribution with mean mu,
dispersion phi and variance power p (Var Y = phi mu^p), for 1 < p < 2 by the series of
Dunn & Smyth (2005) (R: ``tweedie::dtweedie.series``), and for the special cases p = 0
(normal), p = 1 (Poisson on the lattice phi * {0, 1, 2, ...}) and p = 2 (gamma).
The Tweedie family's log-likelihood (``res.llf``, ``res.aic``, ``res.bic``) uses it with the
conventions of R's ``tweedie::AICtweedie`` / ``logLiktweedie`` (see :class:`glmstats.families.Tweedie`);
:func:`score_phi` is its derivative in phi, which :mod:`glmstats.models.tweedie_profile` uses to
find phi's maximum-likelihood value.

References
----------
Dunn, P. K. and Smyth, G. K. (2005). Series evaluation of Tweedie exponential dispersion model
densities. Statistics and Computing 15(4), 267-280.
"""

import numpy as np

from .._lazy import special, stats

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


def score_phi(y, mu, phi, p):
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


def tweedie_cdf(y, mu, phi, p):
    """P(Y <= y) and P(Y > y) of the Tweedie distribution for 1 < p < 2 (R: ``tweedie::ptweedie``).

    Parameters
    ----------
    y, mu, phi : array_like
        Observations (>= 0), means (> 0) and dispersions (> 0), broadcast together.
    p : float
        The variance power, 1 < p < 2.

    Returns
    -------
    cdf, sf : ndarray

    Notes
    -----
    With N ~ Poisson(lambda) and Y | N = j a gamma variable of shape j alpha and scale tau
    (lambda, alpha, tau as in :func:`tweedie_logpdf`),

        P(Y <= y) = exp(-lambda) + sum_{j>=1} dpois(j, lambda) pgamma(y; j alpha, tau),
        P(Y > y)  = sum_{j>=1} dpois(j, lambda) (1 - pgamma(y; j alpha, tau))     (y >= 0).

    The sums run over j within 12 standard deviations (+ 12) of lambda: the Poisson mass left
    out is below 1e-30, far under double precision of either tail.
    """
    p = float(p)
    if not 1.0 < p < 2.0:
        raise NotImplementedError(f"the Tweedie distribution function is implemented for 1 < p < 2, not p = {p:g}")
    y, mu, phi = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (y, mu, phi)))
    shape_out = y.shape
    y, mu, phi = y.ravel(), mu.ravel(), phi.ravel()
    lam = mu ** (2.0 - p) / (phi * (2.0 - p))
    alpha = (2.0 - p) / (p - 1.0)
    tau = phi * (p - 1.0) * mu ** (p - 1.0)
    half = np.ceil(12.0 * np.sqrt(lam) + 12.0)
    lo = np.maximum(1.0, np.floor(lam) - half)
    width = int(np.max(np.floor(lam) + half - lo)) + 1 if y.size else 0
    cdf, sf = np.exp(-lam), np.zeros(y.size)
    step = max(1, _BLOCK // max(width, 1))
    for start in range(0, y.size, step):
        sl = slice(start, start + step)
        j = lo[sl, None] + np.arange(width)[None, :]
        wj = stats.poisson.pmf(j, lam[sl, None])
        yy, ss = y[sl, None], tau[sl, None]
        cdf[sl] += np.sum(wj * special.gammainc(j * alpha, yy / ss), axis=1)
        sf[sl] = np.sum(wj * special.gammaincc(j * alpha, yy / ss), axis=1)
    return np.minimum(cdf, 1.0).reshape(shape_out), sf.reshape(shape_out)


class TweedieDistribution:
    """The Tweedie distribution with 1 < p < 2 as a frozen distribution (R: ``tweedie::dtweedie``, ``ptweedie``,
    ``rtweedie``): a compound Poisson-gamma with a point mass at 0.

    Parameters
    ----------
    mu, phi : array_like
        Means (> 0) and dispersions (> 0), broadcast together.
    p : float
        The variance power, 1 < p < 2.

    Notes
    -----
    With lambda = mu^(2-p) / (phi (2-p)), alpha = (2-p) / (p-1), tau = phi (p-1) mu^(p-1):
    N ~ Poisson(lambda) and Y = 0 if N = 0, else a gamma variable of shape N alpha and scale tau.
    So P(Y = 0) = exp(-lambda), E Y = mu and Var Y = phi mu^p. :meth:`pdf` is the density of the
    continuous part on y > 0 (its integral is 1 - P(Y = 0)); :meth:`pmf_zero` is the mass at 0.
    """

    def __init__(self, mu, phi, p):
        p = float(p)
        if not 1.0 < p < 2.0:
            raise NotImplementedError(f"the Tweedie distribution is implemented for 1 < p < 2, not p = {p:g}")
        self.mu, self.phi = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(phi, dtype=float))
        self.p = p

    def mean(self):
        return self.mu.copy()

    def var(self):
        return self.phi * self.mu ** self.p

    def pmf_zero(self):
        """P(Y = 0) = exp(-lambda)."""
        return np.exp(-self.mu ** (2.0 - self.p) / (self.phi * (2.0 - self.p)))

    def pdf(self, y):
        """Density of the continuous part at y > 0 (0 at y <= 0, where the distribution has its mass)."""
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            dens = np.exp(tweedie_logpdf(np.maximum(y, 1e-300), self.mu, self.phi, self.p))
        return np.where(y > 0, dens, 0.0)

    def cdf(self, y):
        return tweedie_cdf(np.maximum(y, 0.0), self.mu, self.phi, self.p)[0] * (np.asarray(y) >= 0)

    def sf(self, y):
        return np.where(np.asarray(y) >= 0, tweedie_cdf(np.maximum(y, 0.0), self.mu, self.phi, self.p)[1], 1.0)

    def ppf(self, q):
        """The q-quantile: 0 where q <= P(Y = 0), else the root of F(y) = q (bisection on a bracket)."""
        q = np.asarray(q, dtype=float)
        q, mu, phi = np.broadcast_arrays(q, self.mu, self.phi)
        sd = np.sqrt(phi * mu ** self.p)
        lo, hi = np.zeros(q.shape), mu + 10.0 * sd
        while np.any(grow := tweedie_cdf(hi, mu, phi, self.p)[0] < q):
            hi = np.where(grow, 2.0 * hi, hi)
        for _ in range(60):  # the bracket shrinks 2^60-fold: to the last bits of a double
            mid = 0.5 * (lo + hi)
            below = tweedie_cdf(mid, mu, phi, self.p)[0] < q
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return np.where(q <= np.exp(-mu ** (2.0 - self.p) / (phi * (2.0 - self.p))), 0.0, hi)

    def rvs(self, size=None, random_state=None):
        """Draws: N ~ Poisson(lambda), then a gamma variable of shape N alpha and scale tau (0 for N = 0)."""
        rng = np.random.default_rng(random_state)
        shape = np.broadcast_shapes(self.mu.shape, () if size is None else tuple(np.atleast_1d(size)))
        mu, phi = np.broadcast_to(self.mu, shape), np.broadcast_to(self.phi, shape)
        lam = mu ** (2.0 - self.p) / (phi * (2.0 - self.p))
        alpha = (2.0 - self.p) / (self.p - 1.0)
        tau = phi * (self.p - 1.0) * mu ** (self.p - 1.0)
        n = rng.poisson(lam)
        out = np.zeros(shape)
        pos = n > 0
        out[pos] = rng.gamma(n[pos] * alpha, tau[pos])
        return out
