"""Exponential-dispersion families, as R's ``family`` objects.

A family *has* a link (composition, not inheritance) and supplies what IRLS and the
results need: the variance function V(mu), unit deviances, R's starting values,
the domains of y and mu, and the log-likelihood with R's conventions for prior
weights (those of ``logLik.glm``/``AIC``).

Weights. ``weights`` are R's prior weights (``var_weights``; for the binomial the
number of trials). ``freq_weights`` repeat an observation: every sum over
observations is multiplied by them, exactly as if the rows were duplicated.
"""

import numpy as np
from .._lazy import special, stats

from . import links as L

__all__ = [
    "Family", "Gaussian", "Binomial", "Poisson", "Gamma", "InverseGaussian", "Tweedie",
    "NegativeBinomial", "QuasiPoisson", "QuasiBinomial", "Quasi", "get_family",
]

_LOG_2PI = np.log(2.0 * np.pi)


def _as_float(a):
    return np.asarray(a, dtype=float)


def _weights(weights, like):
    return np.ones_like(like) if weights is None else _as_float(weights)


def _ylogy_ratio(y, mu):
    """y * log(y / mu), 0 where y == 0 (R's ``y_log_y``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return y * np.log(np.where(y != 0, y / mu, 1.0))  # log(1) = 0 where y == 0, whatever mu


def _all_positive(mu):
    """R's ``validmu`` of the families whose mean is positive."""
    mu = _as_float(mu)
    return bool(np.all(np.isfinite(mu)) and np.all(mu > 0))


def _deviance_per_weight(deviance, weights, freq_weights=None):
    """deviance / sum(w): the dispersion R's Gamma and inverse Gaussian ``aic`` (and AICtweedie) plug in."""
    w = _as_float(weights)
    return deviance / np.sum(_weights(freq_weights, w) * w)


def _stirlerr(k):
    """lgamma(k) - [(k - 1/2) log k - k + log(2 pi) / 2], the error of Stirling's formula."""
    if k > 15.0:
        k2 = k * k
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * k2)) / k2) / k2) / k
    return special.gammaln(k) - ((k - 0.5) * np.log(k) - k + 0.5 * np.log(2.0 * np.pi))


def _power_anscombe(y, mu, p):
    """Anscombe residual for V(mu) = mu^p: (A(y) - A(mu)) / (A'(mu) sqrt(V(mu))), A' = V^(-1/3)."""
    c = 1.0 - p / 3.0
    with np.errstate(divide="ignore", invalid="ignore"):
        if c == 0:
            return (np.log(y) - np.log(mu)) / np.sqrt(mu)
        return (np.power(y, c) - np.power(mu, c)) / (c * np.power(mu, p / 6.0))


class Family:
    """Base class of the families (abstract).

    Subclasses set ``name`` (R's family name), ``default_link`` and ``fixed_scale``
    (True when the dispersion is 1 by definition: binomial, Poisson, negative
    binomial), and implement ``variance``, ``unit_deviance``, ``starting_mu``,
    ``check_y`` and, where a likelihood exists, ``_loglike_obs``.
    """

    name = None
    default_link = L.Identity
    fixed_scale = False
    #: True when R's logLik counts the dispersion as a parameter (Gaussian, Gamma, inverse Gaussian).
    scale_in_loglike = False
    #: Some links are not allowed (R's families accept any link name; we only refuse the meaningless ones).
    _y_domain = "real"

    def __init__(self, link=None):
        self.link = self.default_link() if link is None else L.get_link(link)

    # --- the variance and the deviance -------------------------------------------------
    def variance(self, mu):
        """V(mu), the variance function."""
        raise NotImplementedError

    def unit_deviance(self, y, mu):
        """d(y, mu), the unit deviance: deviance = sum(w * d(y, mu))."""
        raise NotImplementedError

    def deviance(self, y, mu, weights=None, freq_weights=None):
        """Sum of weighted unit deviances, sum(f * w * d(y, mu)) (R: ``sum(family$dev.resids(y, mu, w))``)."""
        y, mu = _as_float(y), _as_float(mu)
        w = _weights(weights, y) * _weights(freq_weights, y)
        d = self.unit_deviance(y, mu)
        return float(np.sum(np.where(w > 0, w * d, 0.0)))

    def resid_deviance(self, y, mu, weights=None):
        """sign(y - mu) * sqrt(w * d(y, mu)) (R: ``residuals(type = "deviance")``)."""
        y, mu = _as_float(y), _as_float(mu)
        w = _weights(weights, y)
        d = np.maximum(w * self.unit_deviance(y, mu), 0.0)
        return np.sign(y - mu) * np.sqrt(d)

    def resid_anscombe(self, y, mu, weights=None):
        """Anscombe residuals (not in R's residuals.glm; statsmodels' definitions)."""
        raise NotImplementedError(f"Anscombe residuals are not defined for the {self.name} family")

    # --- domains and start -------------------------------------------------------------
    def check_y(self, y, weights=None):
        """Raise ValueError when y is outside the family's domain (rows with zero weight are ignored)."""
        y = _as_float(y)
        positive = _weights(weights, y) > 0
        self._check_y(y if positive.all() else y[positive])

    def _check_y(self, y):
        pass

    def valid_mu(self, mu):
        """True when every mu is inside the family's domain (R's ``validmu``)."""
        return bool(np.all(np.isfinite(mu)))

    def starting_mu(self, y, weights=None):
        """Initial mu for IRLS (R's ``family$initialize``, ``mustart``)."""
        return _as_float(y).copy()

    # --- likelihood --------------------------------------------------------------------
    def loglike_scale(self, deviance, weights, freq_weights=None):
        """The dispersion R plugs into the likelihood (AIC): not the Pearson estimate.

        Gaussian: deviance / n (the MLE); Gamma and inverse Gaussian: deviance / sum(w).
        """
        return 1.0

    def loglike(self, y, mu, weights=None, scale=1.0, freq_weights=None):
        """Log-likelihood with R's conventions for prior weights (``logLik.glm``); NaN for quasi families.

        Rows with zero weight contribute nothing.
        """
        y, mu = _as_float(y), _as_float(mu)
        w = _weights(weights, y)
        f = _weights(freq_weights, y)
        keep = (w > 0) & (f > 0)
        if self.scale_in_loglike and scale == 0:
            return np.inf  # an exact fit (zero deviance): the density is a point mass at y
        with np.errstate(divide="ignore", invalid="ignore"):
            obs = self._loglike_obs(y[keep], mu[keep], w[keep], float(scale))
        return float(np.sum(f[keep] * obs))

    def _loglike_obs(self, y, mu, w, scale):
        return np.full_like(y, np.nan)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        """Frozen ``scipy.stats`` distribution of y given mu (and the dispersion)."""
        raise NotImplementedError(f"the {self.name} family has no scipy.stats distribution")

    # --- housekeeping ------------------------------------------------------------------
    def _params(self):
        return {}

    def __repr__(self):
        args = [f"{k}={v!r}" for k, v in self._params().items()]
        if type(self.link) is not self.default_link or self.link != self.default_link():
            args.append(f"link={self.link!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def __eq__(self, other):
        return type(self) is type(other) and self.link == other.link and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self.link, tuple(self._params().items())))


class Gaussian(Family):
    """Normal distribution, V(mu) = 1, d(y, mu) = (y - mu)^2 (R: ``gaussian()``)."""

    name = "gaussian"
    default_link = L.Identity
    scale_in_loglike = True

    def variance(self, mu):
        return np.ones_like(_as_float(mu))

    def unit_deviance(self, y, mu):
        return (_as_float(y) - mu) ** 2

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(_weights(weights, _as_float(y))) * (_as_float(y) - mu)

    def starting_mu(self, y, weights=None):
        y = _as_float(y)
        name = self.link.name
        if (name == "inverse" and np.any(y == 0)) or (name == "log" and np.any(y <= 0)):
            raise ValueError(f"cannot find valid starting values for the gaussian family with the {name} link: "
                             f"y has {'zeros' if name == 'inverse' else 'values <= 0'}; please supply start_params")
        return y.copy()

    def loglike_scale(self, deviance, weights, freq_weights=None):
        w = _as_float(weights)
        f = _weights(freq_weights, w)
        return deviance / np.sum(f[w > 0])

    def _loglike_obs(self, y, mu, w, scale):
        return -0.5 * (_LOG_2PI + np.log(scale / w)) - w * (y - mu) ** 2 / (2.0 * scale)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return stats.norm(loc=mu, scale=np.sqrt(scale / _as_float(var_weights)))


class Binomial(Family):
    """Binomial proportions y in [0, 1] with trials m as prior weights, V(mu) = mu (1 - mu) (R: ``binomial()``).

    Notes
    -----
    d(y, mu) = 2 [y log(y / mu) + (1 - y) log((1 - y) / (1 - mu))]. The log-likelihood is
    R's ``dbinom(round(m y), round(m), mu)`` with m the prior weight (the number of trials).
    """

    name = "binomial"
    default_link = L.Logit
    fixed_scale = True

    def variance(self, mu):
        mu = _as_float(mu)
        return mu * (1.0 - mu)

    def unit_deviance(self, y, mu):
        y = _as_float(y)
        return 2.0 * (_ylogy_ratio(y, mu) + _ylogy_ratio(1.0 - y, 1.0 - mu))

    def resid_anscombe(self, y, mu, weights=None):
        y = _as_float(y)

        def cox_snell(x):
            return special.betainc(2 / 3.0, 2 / 3.0, x) * special.beta(2 / 3.0, 2 / 3.0)

        w = _weights(weights, y)
        return np.sqrt(w) * (cox_snell(y) - cox_snell(mu)) / (mu * (1.0 - mu)) ** (1 / 6.0)

    def _check_y(self, y):
        if np.any((y < 0) | (y > 1)):
            raise ValueError(f"y values must be 0 <= y <= 1 for the {self.name} family "
                             f"(found values from {np.min(y):g} to {np.max(y):g}); give proportions with the "
                             "numbers of trials as var_weights, or a two-column (successes, failures) response")

    def valid_mu(self, mu):
        mu = _as_float(mu)
        return bool(np.all(np.isfinite(mu)) and np.all((mu > 0) & (mu < 1)))

    def starting_mu(self, y, weights=None):
        y = _as_float(y)
        w = _weights(weights, y)
        return (w * y + 0.5) / (w + 1.0)

    def _loglike_obs(self, y, mu, w, scale):
        m = np.round(w)
        return stats.binom.logpmf(np.round(w * y), m, mu)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        """Distribution of the number of successes out of ``var_weights`` trials."""
        return stats.binom(n=np.round(_as_float(var_weights)).astype(int), p=mu)


class Poisson(Family):
    """Poisson counts, V(mu) = mu, d(y, mu) = 2 [y log(y / mu) - (y - mu)] (R: ``poisson()``)."""

    name = "poisson"
    default_link = L.Log
    fixed_scale = True

    def variance(self, mu):
        return _as_float(mu).copy()

    def unit_deviance(self, y, mu):
        y = _as_float(y)
        return 2.0 * (_ylogy_ratio(y, mu) - (y - mu))

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(_weights(weights, _as_float(y))) * _power_anscombe(_as_float(y), mu, 1.0)

    def _check_y(self, y):
        if np.any(y < 0):
            raise ValueError(f"negative values not allowed for the {self.name} family "
                             f"(minimum y is {np.min(y):g})")

    def valid_mu(self, mu):
        return _all_positive(mu)

    def starting_mu(self, y, weights=None):
        return _as_float(y) + 0.1

    def _loglike_obs(self, y, mu, w, scale):
        # the gamma function extends R's dpois to non-integer y (R gives -Inf there)
        return w * (special.xlogy(y, mu) - mu - special.gammaln(y + 1.0))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return stats.poisson(mu)


class Gamma(Family):
    """Gamma, V(mu) = mu^2, d(y, mu) = -2 [log(y / mu) - (y - mu) / mu] (R: ``Gamma()``)."""

    name = "Gamma"
    default_link = L.InversePower
    scale_in_loglike = True

    def variance(self, mu):
        return _as_float(mu) ** 2

    def unit_deviance(self, y, mu):
        y = _as_float(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return -2.0 * (np.log(np.where(y == 0, 1.0, y / mu)) - (y - mu) / mu)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(_weights(weights, _as_float(y))) * _power_anscombe(_as_float(y), mu, 2.0)

    def _check_y(self, y):
        if np.any(y <= 0):
            raise ValueError(f"non-positive values not allowed for the {self.name} family "
                             f"(minimum y is {np.min(y):g})")

    def valid_mu(self, mu):
        return _all_positive(mu)

    def loglike_scale(self, deviance, weights, freq_weights=None):
        return _deviance_per_weight(deviance, weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        """w * log f(y; shape k = 1/scale, mean mu) (R's Gamma()$aic: the prior weights multiply it).

        log f = log(k / 2 pi) / 2 - stirlerr(k) - log y + k (1 + log r - r), r = y / mu: the usual
        k log k - lgamma(k) cancels catastrophically for the huge shapes of near-exact fits.
        """
        k = 1.0 / scale
        d = y / mu - 1.0
        return w * (0.5 * np.log(k / (2.0 * np.pi)) - _stirlerr(k) - np.log(y) + k * (np.log1p(d) - d))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        shape = _as_float(var_weights) / scale
        return stats.gamma(shape, scale=_as_float(mu) / shape)


class InverseGaussian(Family):
    """Inverse Gaussian, V(mu) = mu^3, d(y, mu) = (y - mu)^2 / (y mu^2) (R: ``inverse.gaussian()``)."""

    name = "inverse.gaussian"
    default_link = L.InverseSquared
    scale_in_loglike = True

    def variance(self, mu):
        return _as_float(mu) ** 3

    def unit_deviance(self, y, mu):
        y = _as_float(y)
        return (y - mu) ** 2 / (y * mu ** 2)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(_weights(weights, _as_float(y))) * _power_anscombe(_as_float(y), mu, 3.0)

    def _check_y(self, y):
        if np.any(y <= 0):
            raise ValueError(f"positive values only allowed for the {self.name} family "
                             f"(minimum y is {np.min(y):g})")

    def loglike_scale(self, deviance, weights, freq_weights=None):
        return _deviance_per_weight(deviance, weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        return w * (-0.5 * (_LOG_2PI + np.log(scale) + 3.0 * np.log(y)) - (y - mu) ** 2 / (2.0 * scale * y * mu ** 2))

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        lam = _as_float(var_weights) / scale
        return stats.invgauss(_as_float(mu) / lam, scale=lam)


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
    (:func:`glmstats.tweedie.tweedie_logpdf`) at phi = deviance / sum(prior weights), the prior
    weights multiplying the log-density (as R's ``Gamma()$aic``), and phi counted as a parameter
    (k = rank + 1). For p = 1 the Poisson log-likelihood with phi = 1 (k = rank; R:
    ``AICtweedie(fit, dispersion = 1)``); p = 0 and p = 2 use the normal and gamma densities with
    the same phi and weights convention. For p > 2 the log-likelihood is not implemented (NaN).
    """

    name = "Tweedie"

    def __init__(self, var_power=1.5, link=None):
        p = float(var_power)
        if not np.isfinite(p) or (0 < p < 1) or p < 0:
            raise ValueError(f"Tweedie var_power must be 0 or >= 1 (no distribution for 0 < p < 1), got {var_power!r}")
        self.var_power = p
        if link is None:
            link = L.Log() if p == 1 else L.Power(1.0 - p)
        super().__init__(link)

    def _params(self):
        return {"var_power": self.var_power}

    def __repr__(self):
        return f"Tweedie(var_power={self.var_power:g}, link={self.link!r})"

    def variance(self, mu):
        return np.power(_as_float(mu), self.var_power)

    def unit_deviance(self, y, mu):
        y, mu, p = _as_float(y), _as_float(mu), self.var_power
        y1 = y + 0.1 * (y == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            theta = np.log(y1 / mu) if p == 1 else (y1 ** (1 - p) - mu ** (1 - p)) / (1 - p)
            kappa = np.log(y1 / mu) if p == 2 else (y ** (2 - p) - mu ** (2 - p)) / (2 - p)
        return 2.0 * (y * theta - kappa)

    def resid_anscombe(self, y, mu, weights=None):
        return np.sqrt(_weights(weights, _as_float(y))) * _power_anscombe(_as_float(y), mu, self.var_power)

    def _check_y(self, y):
        p = self.var_power
        if p >= 2 and np.any(y <= 0):
            raise ValueError(f"Tweedie with var_power {p:g} >= 2 needs y > 0 (minimum y is {np.min(y):g})")
        if 1 <= p < 2 and np.any(y < 0):
            raise ValueError(f"Tweedie with var_power {p:g} needs y >= 0 (minimum y is {np.min(y):g})")

    def valid_mu(self, mu):
        mu = _as_float(mu)
        return bool(np.all(np.isfinite(mu)) and (self.var_power == 0 or np.all(mu > 0)))

    def starting_mu(self, y, weights=None):
        y = _as_float(y)
        return y + 0.1 * (y == 0)

    @property
    def scale_in_loglike(self):
        # AICtweedie adds one to the rank for the estimated phi; at p = 1 phi is fixed at 1
        return self.var_power != 1

    def loglike_scale(self, deviance, weights, freq_weights=None):
        if self.var_power == 1:
            return 1.0
        return _deviance_per_weight(deviance, weights, freq_weights)

    def _loglike_obs(self, y, mu, w, scale):
        p = self.var_power
        if p > 2:  # Dunn & Smyth's alternating series for p > 2 is not implemented
            return np.full_like(y, np.nan)
        from .tweedie_density import tweedie_logpdf

        return w * tweedie_logpdf(y, mu, scale, p)


class NegativeBinomial(Family):
    """Negative binomial with fixed alpha, V(mu) = mu + alpha mu^2 (R: ``MASS::negative.binomial(theta = 1/alpha)``).

    Notes
    -----
    d(y, mu) = 2 [y log(y / mu) - (y + 1/alpha) log((1 + alpha y) / (1 + alpha mu))].
    """

    default_link = L.Log
    fixed_scale = True

    def __init__(self, alpha=1.0, link=None):
        alpha = float(alpha)
        if not np.isfinite(alpha) or alpha <= 0:
            raise ValueError(f"NegativeBinomial alpha must be a positive number, got {alpha!r}")
        self.alpha = alpha
        super().__init__(link)

    @property
    def name(self):
        theta = round(1.0 / self.alpha, 4)  # R: format(round(theta, 4))
        return f"Negative Binomial({theta:.15g})"

    def _params(self):
        return {"alpha": self.alpha}

    def variance(self, mu):
        mu = _as_float(mu)
        return mu + self.alpha * mu ** 2

    def unit_deviance(self, y, mu):
        y, a = _as_float(y), self.alpha
        return 2.0 * (_ylogy_ratio(y, mu) - (y + 1.0 / a) * np.log((1.0 + a * y) / (1.0 + a * mu)))

    def resid_anscombe(self, y, mu, weights=None):
        y, a = _as_float(y), self.alpha

        def h(x):
            return special.hyp2f1(2 / 3.0, 1 / 3.0, 5 / 3.0, -a * x)

        num = 1.5 * (y ** (2 / 3.0) * h(y) - mu ** (2 / 3.0) * h(mu))
        return np.sqrt(_weights(weights, y)) * num / (mu + a * mu ** 2) ** (1 / 6.0)

    def _check_y(self, y):
        if np.any(y < 0):
            raise ValueError(f"negative values not allowed for the negative binomial family (minimum y is {np.min(y):g})")

    def valid_mu(self, mu):
        return _all_positive(mu)

    def starting_mu(self, y, weights=None):
        y = _as_float(y)
        return y + (y == 0) / 6.0

    def _loglike_obs(self, y, mu, w, scale):
        size = 1.0 / self.alpha
        ll = (special.gammaln(y + size) - special.gammaln(size) - special.gammaln(y + 1.0)
              + size * np.log(size / (size + mu)) + special.xlogy(y, mu / (size + mu)))
        return w * ll

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        size = 1.0 / self.alpha
        return stats.nbinom(size, size / (size + _as_float(mu)))


class QuasiPoisson(Poisson):
    """Quasi-Poisson: Poisson's variance and deviance, dispersion estimated, no likelihood (R: ``quasipoisson()``)."""

    name = "quasipoisson"
    fixed_scale = False

    def _loglike_obs(self, y, mu, w, scale):
        return np.full_like(y, np.nan)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return Family.get_distribution(self, mu, scale, var_weights)


class QuasiBinomial(Binomial):
    """Quasi-binomial: binomial variance and deviance, dispersion estimated, no likelihood (R: ``quasibinomial()``)."""

    name = "quasibinomial"
    fixed_scale = False

    def _loglike_obs(self, y, mu, w, scale):
        return np.full_like(y, np.nan)

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        return Family.get_distribution(self, mu, scale, var_weights)


_QUASI_VARIANCES = {"constant": 0.0, "mu": 1.0, "mu^2": 2.0, "mu^3": 3.0, "mu(1-mu)": None}


class Quasi(Family):
    """Quasi-likelihood with a named variance function (R: ``quasi(link, variance)``).

    Parameters
    ----------
    link : Link or str, optional
        Default identity, as R.
    variance : {"constant", "mu(1-mu)", "mu", "mu^2", "mu^3"}
    """

    name = "quasi"
    default_link = L.Identity

    def __init__(self, link=None, variance="constant"):
        if variance not in _QUASI_VARIANCES:
            raise ValueError(f"unknown quasi variance {variance!r}; choose one of {', '.join(_QUASI_VARIANCES)}")
        self.variance_name = variance
        # the deviance and domain of the matching full family
        p = _QUASI_VARIANCES[variance]
        self._base = Binomial() if p is None else (Gaussian() if p == 0 else Tweedie(p, link=L.Log()))
        super().__init__(link)

    def _params(self):
        return {"variance": self.variance_name}

    def __repr__(self):
        return f"Quasi(link={self.link!r}, variance={self.variance_name!r})"

    def variance(self, mu):
        return self._base.variance(mu)

    def unit_deviance(self, y, mu):
        return self._base.unit_deviance(y, mu)

    def resid_anscombe(self, y, mu, weights=None):
        return self._base.resid_anscombe(y, mu, weights)

    def _check_y(self, y):
        if self.variance_name == "mu(1-mu)":
            self._base._check_y(y)
        elif self.variance_name in ("mu", "mu^2") and np.any(y < 0):
            raise ValueError(f"negative values not allowed for quasi(variance = {self.variance_name!r})")
        elif self.variance_name == "mu^3" and np.any(y <= 0):
            raise ValueError("non-positive values not allowed for quasi(variance = 'mu^3')")

    def valid_mu(self, mu):
        mu = _as_float(mu)
        if self.variance_name == "constant":
            return bool(np.all(np.isfinite(mu)))
        if self.variance_name == "mu(1-mu)":
            return bool(np.all(np.isfinite(mu)) and np.all((mu > 0) & (mu < 1)))
        return bool(np.all(np.isfinite(mu)) and np.all(mu > 0))

    def starting_mu(self, y, weights=None):
        y = _as_float(y)
        if self.variance_name == "constant":
            return y.copy()
        if self.variance_name == "mu(1-mu)":
            return np.clip(y, 0.001, 0.999)
        return y + 0.1 * (y == 0)


_BY_NAME = {
    "gaussian": Gaussian, "normal": Gaussian, "binomial": Binomial, "poisson": Poisson,
    "gamma": Gamma, "inverse.gaussian": InverseGaussian, "inverse_gaussian": InverseGaussian,
    "inversegaussian": InverseGaussian, "quasipoisson": QuasiPoisson, "quasibinomial": QuasiBinomial,
    "quasi": Quasi, "tweedie": Tweedie, "negative.binomial": NegativeBinomial,
    "negative_binomial": NegativeBinomial, "negativebinomial": NegativeBinomial,
}


def get_family(family, link=None):
    """Return a family instance from an instance or R's name, with an optional link.

    Parameters
    ----------
    family : Family or str
        ``"gaussian"``, ``"binomial"``, ``"poisson"``, ``"Gamma"``/``"gamma"``,
        ``"inverse.gaussian"``/``"inverse_gaussian"``, ``"quasipoisson"``, ``"quasibinomial"``,
        ``"quasi"``, ``"tweedie"`` (var_power 1.5), ``"negative.binomial"`` (alpha 1).
    link : Link or str, optional
        Only with a family name; an instance carries its own link.
    """
    if isinstance(family, Family):
        if link is not None and L.get_link(link) != family.link:
            raise ValueError(f"link={link!r} conflicts with the family instance {family!r}; "
                             "give the link to the family's constructor instead")
        return family
    if isinstance(family, type) and issubclass(family, Family):
        raise TypeError(f"family must be an instance, e.g. {family.__name__}(), not the class {family.__name__}")
    if isinstance(family, str):
        cls = _BY_NAME.get(family.strip().lower())
        if cls is None:
            known = '", "'.join(["gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian",
                                 "quasipoisson", "quasibinomial", "quasi", "tweedie", "negative.binomial"])
            raise ValueError(f'unknown family {family!r}; known families: "{known}"')
        return cls(link=None if link is None else L.get_link(link))
    if family is None:
        return Gaussian(link=None if link is None else L.get_link(link))
    raise TypeError(f"family must be a glmstats.families.Family instance or a family name, "
                    f"not {type(family).__name__}")
