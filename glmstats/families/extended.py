"""Families beyond R's stats package: Tweedie (statmod) and the negative binomial with fixed theta (MASS)."""

import numpy as np

from .._lazy import special, stats
from . import links as L
from .base import SERIES_LIMIT, Family, as_float, weight_total, log_ratio, power_anscombe, weights_or_ones
from .interval import NON_NEGATIVE, POSITIVE, REAL
from .tweedie_density import TweedieDistribution, tweedie_cdf, tweedie_logpdf

__all__ = ["Tweedie", "NegativeBinomial"]


class Tweedie(Family):
    """Tweedie family with V(mu) = mu^p (R: ``statmod::tweedie(var.power = p, link.power = 1 - p)``).

    Parameters
    ----------
    var_power : float
        p: 0 (normal), 1 (Poisson), in (1, 2) (compound Poisson-gamma), 2 (gamma), > 2.
    link : Link, optional
        Default: the canonical power link mu^(1 - p) (log for p = 1), as statmod.

    Notes
    -----
    d(y, mu) = 2 [y (y^(1-p) - mu^(1-p)) / (1 - p) - (y^(2-p) - mu^(2-p)) / (2 - p)], with the
    limits log(y/mu) at p = 1 and p = 2.

    Log-likelihood (``llf``, ``aic``, ``bic``) as R's ``tweedie::logLiktweedie`` /
    ``tweedie::AICtweedie`` on a statmod tweedie glm: the density by series evaluation
    (:func:`glmstats.families.tweedie_density.tweedie_logpdf`) at phi = deviance / sum(prior weights),
    the prior weights multiplying the log-density (as R's ``Gamma()$aic``), and phi counted as a
    parameter (k = rank + 1). For p = 1 the Poisson log-likelihood with phi = 1 (k = rank; R:
    ``AICtweedie(fit, dispersion = 1)``); p = 0 and p = 2 use the normal and gamma densities with
    the same phi and weights convention. For p > 2 the log-likelihood is not implemented (NaN).
    """

    name = "Tweedie"
    r_has_aic = False  # statmod's tweedie()$aic is NA

    def __init__(self, var_power=1.5, link=None):
        p = float(var_power)
        if not np.isfinite(p) or (0 < p < 1) or p < 0:
            raise ValueError(f"Tweedie var_power must be 0 or >= 1 (no distribution for 0 < p < 1), got {var_power!r}")
        self.var_power = p
        if link is None:
            link = L.Log() if p == 1 else L.Power(1.0 - p)
        super().__init__(link)

    # facts that depend on p
    variance_power = property(lambda self: self.var_power)
    response_domain = property(lambda self: REAL if self.var_power == 0 else
                               NON_NEGATIVE if self.var_power < 2 else POSITIVE)
    mean_range = property(lambda self: REAL if self.var_power == 0 else POSITIVE)
    zero_mass = property(lambda self: 1.0 < self.var_power < 2.0)

    @property
    def domain_message(self):
        if self.var_power >= 2:
            return f"Tweedie with var_power {self.var_power:g} >= 2 needs y > 0 (minimum y is {{min:g}})"
        return f"Tweedie with var_power {self.var_power:g} needs y >= 0 (minimum y is {{min:g}})"

    @property
    def scale_in_loglike(self):
        # AICtweedie adds one to the rank for the estimated phi; at p = 1 phi is fixed at 1
        return self.var_power != 1

    def _params(self):
        return {"var_power": self.var_power}

    def __repr__(self):
        return f"Tweedie(var_power={self.var_power:g}, link={self.link!r})"

    def variance(self, mu):
        return np.power(as_float(mu), self.var_power)

    def unit_deviance(self, y, mu):
        y, mu, p = as_float(y), as_float(mu), self.var_power
        y1 = y + 0.1 * (y == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            theta = np.log(y1 / mu) if p == 1 else (y1 ** (1 - p) - mu ** (1 - p)) / (1 - p)
            kappa = np.log(y1 / mu) if p == 2 else (y ** (2 - p) - mu ** (2 - p)) / (2 - p)
        return 2.0 * (y * theta - kappa)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(weights_or_ones(weights, as_float(y))) * power_anscombe(as_float(y), mu, self.var_power)

    def starting_mu(self, y, weights=None):
        y = as_float(y)
        return y + 0.1 * (y == 0)

    def loglike_scale_total(self, weights, freq_weights=None):
        if self.var_power == 1:
            return None
        return weight_total(weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        if self.var_power > 2:  # Dunn & Smyth's alternating series for p > 2 is not implemented
            return np.full_like(y, np.nan)
        return w * tweedie_logpdf(y, mu, scale, self.var_power)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        """The compound Poisson-gamma distribution of y for 1 < p < 2, phi_i = scale / var_weights_i
        (:class:`~glmstats.families.tweedie_density.TweedieDistribution`; R: ``tweedie::rtweedie``)."""
        return TweedieDistribution(mu, scale / weights_or_ones(var_weights, as_float(mu)), self.var_power)

    def cdf_bounds(self, y, mu, scale=1.0, var_weights=1.0):
        """F(y-), F(y), 1 - F(y-), 1 - F(y) for 1 < p < 2 (see :meth:`Family.cdf_bounds`).

        The distribution is continuous on y > 0 with a point mass exp(-lambda) at y = 0, so only
        F(0-) = 0 differs from F(y); phi_i = scale / var_weights_i (R: statmod's ``qres.tweedie``).
        """
        y = as_float(y)
        phi = scale / weights_or_ones(var_weights, y)
        cdf, sf = tweedie_cdf(y, mu, phi, self.var_power)
        zero = y == 0
        return np.where(zero, 0.0, cdf), cdf, np.where(zero, 1.0, sf), sf


class NegativeBinomial(Family):
    """Negative binomial with fixed alpha, V(mu) = mu + alpha mu^2 (R: ``MASS::negative.binomial(theta = 1/alpha)``).

    Notes
    -----
    d(y, mu) = 2 [y log(y / mu) - (y + 1/alpha) log((1 + alpha y) / (1 + alpha mu))].
    The log-likelihood (also MASS's ``glm.nb`` loglik) is sum w log dnbinom(y, size = 1/alpha, mu).
    """

    default_link = L.Log
    response_domain = NON_NEGATIVE
    mean_range = POSITIVE
    fixed_scale = True
    integer_response = True

    def __init__(self, alpha=1.0, link=None):
        alpha = float(alpha)
        if not np.isfinite(alpha) or alpha <= 0:
            raise ValueError(f"NegativeBinomial alpha must be a positive number, got {alpha!r}")
        self.alpha = alpha
        if isinstance(link, str) and link.strip().lower() in ("nbinom", "negative_binomial", "negativebinomial"):
            link = L.NegativeBinomial(alpha)  # the canonical link at the family's alpha
        super().__init__(link)

    def is_canonical(self, link=None):
        """The link log(mu / (mu + 1/alpha)) at this family's alpha (statsmodels' ``nbinom``)."""
        link = self.link if link is None else link
        return isinstance(link, L.NegativeBinomial) and link.alpha == self.alpha

    @property
    def name(self):
        theta = round(1.0 / self.alpha, 4)  # R: format(round(theta, 4))
        return f"Negative Binomial({theta:.15g})"

    _subject = "the negative binomial family"

    def _params(self):
        return {"alpha": self.alpha}

    @property
    def deviance_convex_in_eta(self):
        """With the log link: d''(eta) = 2 (1 + alpha y) mu / (1 + alpha mu)^2 >= 0; with the canonical link
        log(mu / (mu + 1/alpha)): d''(eta) = 2 V(mu) >= 0."""
        return isinstance(self.link, L.Log) or self.is_canonical()

    @property
    def newton_term(self):
        """k(mu) = -alpha mu / (1 + alpha mu)^2 for the log link (see :attr:`Family.newton_term`)."""
        if not isinstance(self.link, L.Log):
            return None
        a = self.alpha
        return lambda mu: -a * mu / (1.0 + a * mu) ** 2

    def variance(self, mu):
        mu = as_float(mu)
        return mu + self.alpha * mu ** 2

    def variance_deriv(self, mu):
        return 1.0 + 2.0 * self.alpha * as_float(mu)

    def unit_deviance(self, y, mu):
        y, mu = np.broadcast_arrays(as_float(y), as_float(mu))
        a = self.alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            # logarithms of 1 + relative differences (log1p): the ratios' rounding would be amplified
            # by the cancellation of the two terms
            t = np.atleast_1d((y - mu) / mu)
            out = np.atleast_1d(2.0 * (np.where(y > 0, y * log_ratio(y, mu, t), 0.0)
                                       - (y + 1.0 / a) * log_ratio(1.0 + a * y, 1.0 + a * mu, a * (y - mu) / (1.0 + a * mu))))
        small = np.abs(t) < SERIES_LIMIT
        if np.any(small):
            # Near y = mu the two logarithms cancel, and for large counts so do the two halves
            # mu h(t) - (mu + k) h(u) of the deviance (k = 1/alpha, t = (y - mu) / mu,
            # u = (y - mu) / (mu + k), h(x) = (1 + x) log(1 + x) - x). Their series in t, term
            # by term: 2 mu sum_j (-t)^j / (j (j - 1)) [1 - (1 + k / mu)^(1 - j)], each bracket
            # by expm1 / log1p without cancellation.
            ms, ts = np.atleast_1d(mu)[small], t[small]
            c = np.log1p(1.0 / (a * ms))
            acc = np.zeros_like(ts)
            for j in range(10, 1, -1):
                acc = acc + (-ts) ** j / (j * (j - 1)) * -np.expm1((1 - j) * c)
            out[small] = 2.0 * ms * acc
        return out.reshape(y.shape)

    def resid_anscombe(self, y, mu, weights=None):
        y, a = as_float(y), self.alpha

        def h(x):
            return special.hyp2f1(2 / 3.0, 1 / 3.0, 5 / 3.0, -a * x)

        num = 1.5 * (y ** (2 / 3.0) * h(y) - mu ** (2 / 3.0) * h(mu))
        return np.sqrt(weights_or_ones(weights, y)) * num / (mu + a * mu ** 2) ** (1 / 6.0)

    def starting_mu(self, y, weights=None):
        y = as_float(y)
        return y + (y == 0) / 6.0

    def _loglike_obs(self, y, mu, w, scale):
        # size log(size / (size + mu)) = -size log1p(mu / size): no cancellation near the Poisson limit
        size = 1.0 / self.alpha
        ll = (special.gammaln(y + size) - special.gammaln(size) - special.gammaln(y + 1.0)
              - size * np.log1p(mu / size) + special.xlogy(y, mu / (size + mu)))
        return w * ll

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        size = 1.0 / self.alpha
        return stats.nbinom(size, size / (size + as_float(mu)))
