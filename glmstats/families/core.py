"""The five families of R's stats package: gaussian, binomial, poisson, Gamma, inverse.gaussian."""

import numpy as np

from .._lazy import special, stats
from . import links as L
from .base import (SERIES_LIMIT, Family, as_float, weight_total, log1pmx, log_ratio, poisson_half_deviance, power_anscombe, weights_or_ones,
                   ylogy_ratio)
from .interval import NON_NEGATIVE, OPEN_UNIT, POSITIVE, UNIT

__all__ = ["Gaussian", "Binomial", "Poisson", "Gamma", "InverseGaussian"]

_LOG_2PI = np.log(2.0 * np.pi)


def stirlerr(k):
    """lgamma(k) - [(k - 1/2) log k - k + log(2 pi) / 2], the error of Stirling's formula."""
    if k > 15.0:
        k2 = k * k
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * k2)) / k2) / k2) / k
    return special.gammaln(k) - ((k - 0.5) * np.log(k) - k + 0.5 * np.log(2.0 * np.pi))


class Gaussian(Family):
    """Normal distribution, V(mu) = 1, d(y, mu) = (y - mu)^2 (R: ``gaussian()``)."""

    name = "gaussian"
    default_link = L.Identity
    variance_power = 0.0
    scale_in_loglike = True

    def variance(self, mu):
        return np.ones_like(as_float(mu))

    def unit_deviance(self, y, mu):
        return (as_float(y) - mu) ** 2

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(weights_or_ones(weights, as_float(y))) * (as_float(y) - mu)

    def starting_mu(self, y, weights=None):
        y = as_float(y)
        name = self.link.name
        if (name == "inverse" and np.any(y == 0)) or (name == "log" and np.any(y <= 0)):
            raise ValueError(f"cannot find valid starting values for the gaussian family with the {name} link: "
                             f"y has {'zeros' if name == 'inverse' else 'values <= 0'}; please supply start_params")
        return y.copy()

    def loglike_scale_total(self, weights, freq_weights=None):
        w = as_float(weights)
        f = weights_or_ones(freq_weights, w)
        return float(np.sum(f[w > 0]))  # the MLE deviance / n, n counting the rows with positive weight

    def _loglike_obs(self, y, mu, w, scale):
        return -0.5 * (_LOG_2PI + np.log(scale / w)) - w * (y - mu) ** 2 / (2.0 * scale)

    def drop1_loglik(self, deviance, n, dispersion, user_scale=None):
        """R's drop1.glm for the gaussian family: n log(D / n) (sigma^2 profiled out), or D / s - n with a
        dispersion s fixed by the user."""
        with np.errstate(all="ignore"):
            return deviance / user_scale - n if user_scale else n * np.log(deviance / n)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return stats.norm(loc=mu, scale=np.sqrt(scale / as_float(var_weights)))


class Binomial(Family):
    """Binomial proportions y in [0, 1] with trials m as prior weights, V(mu) = mu (1 - mu) (R: ``binomial()``).

    Notes
    -----
    d(y, mu) = 2 [y log(y / mu) + (1 - y) log((1 - y) / (1 - mu))]. The log-likelihood is
    R's ``dbinom(round(m y), round(m), mu)`` with m the prior weight (the number of trials).
    """

    name = "binomial"
    default_link = L.Logit
    response_domain = UNIT
    mean_range = OPEN_UNIT
    fixed_scale = True
    integer_response = True
    proportion_response = True
    dispersion_is_one_in_r = True

    def is_canonical(self, link=None):
        return isinstance(self.link if link is None else link, L.Logit)

    def variance(self, mu):
        mu = as_float(mu)
        return mu * (1.0 - mu)

    def variance_deriv(self, mu):
        return 1.0 - 2.0 * as_float(mu)

    def unit_deviance(self, y, mu):
        y = as_float(y)
        return 2.0 * (ylogy_ratio(y, mu) + ylogy_ratio(1.0 - y, 1.0 - mu))

    def resid_anscombe(self, y, mu, weights=None):
        y = as_float(y)

        def cox_snell(x):
            return special.betainc(2 / 3.0, 2 / 3.0, x) * special.beta(2 / 3.0, 2 / 3.0)

        w = weights_or_ones(weights, y)
        return np.sqrt(w) * (cox_snell(y) - cox_snell(mu)) / (mu * (1.0 - mu)) ** (1 / 6.0)

    def starting_mu(self, y, weights=None):
        y = as_float(y)
        w = weights_or_ones(weights, y)
        return (w * y + 0.5) / (w + 1.0)

    def _loglike_obs(self, y, mu, w, scale):
        m = np.round(w)
        return stats.binom.logpmf(np.round(w * y), m, mu)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        """Distribution of the number of successes out of ``var_weights`` trials."""
        return stats.binom(n=np.round(as_float(var_weights)).astype(int), p=mu)


class Poisson(Family):
    """Poisson counts, V(mu) = mu, d(y, mu) = 2 [y log(y / mu) - (y - mu)] (R: ``poisson()``)."""

    name = "poisson"
    default_link = L.Log
    response_domain = NON_NEGATIVE
    mean_range = POSITIVE
    variance_power = 1.0
    fixed_scale = True
    integer_response = True
    dispersion_is_one_in_r = True

    def variance(self, mu):
        return as_float(mu).copy()

    def unit_deviance(self, y, mu):
        return 2.0 * poisson_half_deviance(y, mu)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(weights_or_ones(weights, as_float(y))) * power_anscombe(as_float(y), mu, 1.0)

    def starting_mu(self, y, weights=None):
        return as_float(y) + 0.1

    def _loglike_obs(self, y, mu, w, scale):
        # the gamma function extends R's dpois to non-integer y (R gives -Inf there)
        return w * (special.xlogy(y, mu) - mu - special.gammaln(y + 1.0))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return stats.poisson(mu)


class Gamma(Family):
    """Gamma, V(mu) = mu^2, d(y, mu) = -2 [log(y / mu) - (y - mu) / mu] (R: ``Gamma()``)."""

    name = "Gamma"
    default_link = L.InversePower
    response_domain = POSITIVE
    mean_range = POSITIVE
    variance_power = 2.0
    scale_in_loglike = True

    def variance(self, mu):
        return as_float(mu) ** 2

    def unit_deviance(self, y, mu):
        y = as_float(y)
        # -2 [log(1 + t) - t] with t = (y - mu) / mu: no cancellation when y is close to mu
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(y == 0, 0.0, (y - mu) / mu)
            return -2.0 * np.where(np.abs(t) < SERIES_LIMIT, log1pmx(t), log_ratio(y, mu, t) - t)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(weights_or_ones(weights, as_float(y))) * power_anscombe(as_float(y), mu, 2.0)

    def loglike_scale_total(self, weights, freq_weights=None):
        return weight_total(weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        """w * log f(y; shape k = 1/scale, mean mu) (R's Gamma()$aic: the prior weights multiply it).

        log f = log(k / 2 pi) / 2 - stirlerr(k) - log y + k (1 + log r - r), r = y / mu: the usual
        k log k - lgamma(k) cancels catastrophically for the huge shapes of near-exact fits.
        """
        k = 1.0 / scale
        d = y / mu - 1.0
        return w * (0.5 * np.log(k / (2.0 * np.pi)) - stirlerr(k) - np.log(y) + k * (np.log1p(d) - d))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        shape = as_float(var_weights) / scale
        return stats.gamma(shape, scale=as_float(mu) / shape)


class InverseGaussian(Family):
    """Inverse Gaussian, V(mu) = mu^3, d(y, mu) = (y - mu)^2 / (y mu^2) (R: ``inverse.gaussian()``)."""

    name = "inverse.gaussian"
    default_link = L.InverseSquared
    response_domain = POSITIVE
    mean_range = POSITIVE
    validates_mean = False  # R's inverse.gaussian()$validmu is TRUE
    variance_power = 3.0
    scale_in_loglike = True
    domain_message = "positive values only allowed for {subject} (minimum y is {min:g})"

    def variance(self, mu):
        return as_float(mu) ** 3

    def unit_deviance(self, y, mu):
        y = as_float(y)
        return (y - mu) ** 2 / (y * mu ** 2)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(weights_or_ones(weights, as_float(y))) * power_anscombe(as_float(y), mu, 3.0)

    def loglike_scale_total(self, weights, freq_weights=None):
        return weight_total(weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        return w * (-0.5 * (_LOG_2PI + np.log(scale) + 3.0 * np.log(y)) - (y - mu) ** 2 / (2.0 * scale * y * mu ** 2))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        lam = as_float(var_weights) / scale
        return stats.invgauss(as_float(mu) / lam, scale=lam)
