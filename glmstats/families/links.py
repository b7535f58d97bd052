"""Link functions: eta = g(mu) and their inverses, as R's ``make.link``.

Every link is an immutable object exposing

- ``link(mu)`` (``__call__``): eta = g(mu), R's ``linkfun``;
- ``inverse(eta)``: mu = g^{-1}(eta), R's ``linkinv``;
- ``deriv(mu)``: d eta / d mu;
- ``inverse_deriv(eta)``: d mu / d eta, R's ``mu.eta``;
- ``inverse_deriv2(eta)``: d^2 mu / d eta^2 (the observed information, marginal effects' standard errors);
- ``valid_eta(eta)``: whether eta is inside the link's domain, R's ``valideta``;
- ``name``: R's name for the link (``"logit"``, ``"1/mu^2"``, ...).

Where R clamps (``linkinv`` of the logit at +-30, ``mu.eta`` at machine epsilon, ...)
the same clamps are applied, so that IRLS follows R's path and never produces an
exact 0 or 1 probability.
"""

import numpy as np
from .._lazy import special

__all__ = [
    "Link", "Identity", "Log", "Logit", "Probit", "CLogLog", "LogLog", "Cauchy",
    "InversePower", "InverseSquared", "Sqrt", "Power", "NegativeBinomial", "get_link",
]

EPS = np.finfo(float).eps


class Link:
    """Base class of the link functions (abstract)."""

    name = None
    #: The inverse link F = g^{-1} and 1 - F are log-concave in eta (a CDF with a log-concave density: logistic,
    #: normal, Gumbel): then -log F and -log(1 - F) are convex, and so is a binomial deviance in eta.
    log_concave = False

    def __call__(self, mu):
        raise NotImplementedError

    def inverse(self, eta):
        raise NotImplementedError

    def deriv(self, mu):
        raise NotImplementedError

    def inverse_deriv(self, eta):
        raise NotImplementedError

    def inverse_deriv2(self, eta):
        """d^2 mu / d eta^2, the derivative of ``inverse_deriv`` (without R's clamps)."""
        raise NotImplementedError

    def valid_eta(self, eta):
        """True when every eta is finite (R's default ``valideta``)."""
        return bool(np.all(np.isfinite(eta)))

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Link):
    """eta = mu."""

    name = "identity"

    def __call__(self, mu):
        return np.asarray(mu, dtype=float)

    def inverse(self, eta):
        return np.asarray(eta, dtype=float)

    def deriv(self, mu):
        return np.ones_like(np.asarray(mu, dtype=float))

    def inverse_deriv(self, eta):
        return np.ones_like(np.asarray(eta, dtype=float))

    def inverse_deriv2(self, eta):
        return np.zeros_like(np.asarray(eta, dtype=float))


class Log(Link):
    """eta = log(mu); R clamps exp(eta) below at machine epsilon."""

    name = "log"

    def __call__(self, mu):
        with np.errstate(divide="ignore"):
            return np.log(mu)

    def inverse(self, eta):
        with np.errstate(over="ignore"):
            return np.maximum(np.exp(eta), EPS)

    def deriv(self, mu):
        return 1.0 / np.asarray(mu, dtype=float)

    def inverse_deriv(self, eta):
        with np.errstate(over="ignore"):
            return np.maximum(np.exp(eta), EPS)

    def inverse_deriv2(self, eta):
        with np.errstate(over="ignore"):
            return np.exp(np.asarray(eta, dtype=float))


class Logit(Link):
    """eta = log(mu / (1 - mu)).

    Notes
    -----
    As R's C code, the inverse returns eps or 1 - eps beyond ``|eta| > 30`` and
    d mu / d eta = max(exp(eta) / (1 + exp(eta))^2, eps).
    """

    name = "logit"
    log_concave = True
    _thresh = 30.0

    # numpy only (no scipy.special): the logit is on the path of every first binomial fit
    def __call__(self, mu):
        mu = np.asarray(mu, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(mu) - np.log1p(-mu)

    def inverse(self, eta):
        eta = np.asarray(eta, dtype=float)
        e = np.exp(-np.abs(eta))  # symmetric form: no overflow, full relative precision in both tails
        mu = np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        mu = np.where(eta < -self._thresh, EPS, mu)
        return np.where(eta > self._thresh, 1.0 - EPS, mu)

    def deriv(self, mu):
        mu = np.asarray(mu, dtype=float)
        return 1.0 / (mu * (1.0 - mu))

    def inverse_deriv(self, eta):
        eta = np.asarray(eta, dtype=float)
        a = np.abs(eta)
        e = np.exp(-a)  # symmetric form avoids overflow
        d = e / (1.0 + e) ** 2
        return np.where(a > self._thresh, EPS, np.maximum(d, EPS))

    def inverse_deriv2(self, eta):
        eta = np.asarray(eta, dtype=float)
        e = np.exp(-np.abs(eta))
        mu = np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return mu * (1.0 - mu) * (1.0 - 2.0 * mu)


class _CDFLink(Link):
    """eta = F^{-1}(mu) for a continuous distribution F (probit, cauchit), clamped as R does:
    ``|eta| <= -F^{-1}(eps)``, ``d mu / d eta >= eps``."""

    def __init__(self):
        self._thresh = -float(self._ppf(EPS))

    def __call__(self, mu):
        return self._ppf(np.asarray(mu, dtype=float))

    def inverse(self, eta):
        return self._cdf(np.clip(np.asarray(eta, dtype=float), -self._thresh, self._thresh))

    def deriv(self, mu):
        return 1.0 / self._pdf(self._ppf(np.asarray(mu, dtype=float)))

    def inverse_deriv(self, eta):
        return np.maximum(self._pdf(np.asarray(eta, dtype=float)), EPS)

    def inverse_deriv2(self, eta):
        return self._pdf_deriv(np.asarray(eta, dtype=float))

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self).__name__)


class Probit(_CDFLink):
    """eta = Phi^{-1}(mu), the standard normal quantile."""

    name = "probit"
    log_concave = True

    @staticmethod
    def _cdf(x):
        return special.ndtr(x)

    @staticmethod
    def _ppf(p):
        return special.ndtri(p)

    @staticmethod
    def _pdf(x):
        return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)

    @staticmethod
    def _pdf_deriv(x):
        return -x * np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


class Cauchy(_CDFLink):
    """eta = tan(pi (mu - 1/2)), the Cauchy quantile (R's ``cauchit``)."""

    name = "cauchit"

    @staticmethod
    def _cdf(x):
        return 0.5 + np.arctan(x) / np.pi

    @staticmethod
    def _ppf(p):
        return np.tan(np.pi * (p - 0.5))

    @staticmethod
    def _pdf(x):
        return 1.0 / (np.pi * (1.0 + x * x))

    @staticmethod
    def _pdf_deriv(x):
        return -2.0 * x / (np.pi * (1.0 + x * x) ** 2)


class CLogLog(Link):
    """eta = log(-log(1 - mu)), complementary log-log (R's clamps included)."""

    name = "cloglog"
    log_concave = True

    def __call__(self, mu):
        with np.errstate(divide="ignore"):
            return np.log(-np.log1p(-np.asarray(mu, dtype=float)))

    def inverse(self, eta):
        with np.errstate(over="ignore"):
            mu = -np.expm1(-np.exp(eta))
        return np.clip(mu, EPS, 1.0 - EPS)

    def deriv(self, mu):
        mu = np.asarray(mu, dtype=float)
        return 1.0 / ((mu - 1.0) * np.log1p(-mu))

    def inverse_deriv(self, eta):
        eta = np.minimum(np.asarray(eta, dtype=float), 700.0)
        with np.errstate(over="ignore"):
            return np.maximum(np.exp(eta) * np.exp(-np.exp(eta)), EPS)

    def inverse_deriv2(self, eta):
        eta = np.minimum(np.asarray(eta, dtype=float), 700.0)
        with np.errstate(over="ignore"):
            e = np.exp(eta)
            return e * np.exp(-e) * (1.0 - e)


class LogLog(Link):
    """eta = -log(-log(mu)), the log-log link (mu = exp(-exp(-eta)))."""

    name = "loglog"
    log_concave = True

    def __call__(self, mu):
        with np.errstate(divide="ignore"):
            return -np.log(-np.log(np.asarray(mu, dtype=float)))

    def inverse(self, eta):
        with np.errstate(over="ignore"):
            mu = np.exp(-np.exp(-np.asarray(eta, dtype=float)))
        return np.clip(mu, EPS, 1.0 - EPS)

    def deriv(self, mu):
        mu = np.asarray(mu, dtype=float)
        return -1.0 / (mu * np.log(mu))

    def inverse_deriv(self, eta):
        eta = np.maximum(np.asarray(eta, dtype=float), -700.0)
        with np.errstate(over="ignore"):
            return np.maximum(np.exp(-eta) * np.exp(-np.exp(-eta)), EPS)

    def inverse_deriv2(self, eta):
        eta = np.maximum(np.asarray(eta, dtype=float), -700.0)
        with np.errstate(over="ignore"):
            e = np.exp(-eta)
            return e * np.exp(-e) * (e - 1.0)


class Power(Link):
    """eta = mu^p (R's ``power(lambda)``); p = 1 is the identity, p = 0 the log.

    Parameters
    ----------
    power : float
        The exponent p (not 0; use :class:`Log`).
    """

    def __init__(self, power=1.0):
        power = float(power)
        if not np.isfinite(power) or power == 0:
            raise ValueError(f"Power link needs a finite non-zero power, got {power!r}; use Log() for power 0")
        self.power = power

    @property
    def name(self):
        p = self.power
        return {1.0: "identity", -1.0: "inverse", -2.0: "1/mu^2", 0.5: "sqrt"}.get(p, f"mu^{p:g}")

    def __call__(self, mu):
        with np.errstate(divide="ignore"):
            return np.power(np.asarray(mu, dtype=float), self.power)

    def inverse(self, eta):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.power(np.asarray(eta, dtype=float), 1.0 / self.power)

    def deriv(self, mu):
        with np.errstate(divide="ignore"):
            return self.power * np.power(np.asarray(mu, dtype=float), self.power - 1.0)

    def inverse_deriv(self, eta):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.power(np.asarray(eta, dtype=float), 1.0 / self.power - 1.0) / self.power

    def inverse_deriv2(self, eta):
        q = 1.0 / self.power
        with np.errstate(divide="ignore", invalid="ignore"):
            return q * (q - 1.0) * np.power(np.asarray(eta, dtype=float), q - 2.0)

    def valid_eta(self, eta):
        eta = np.asarray(eta)
        if not np.all(np.isfinite(eta)):
            return False
        if self.power == 1.0:
            return True
        if self.power == -1.0:
            return bool(np.all(eta != 0))  # 1/mu is defined for negative eta too (R's inverse link)
        return bool(np.all(eta > 0))

    def __repr__(self):
        return f"{type(self).__name__}({self.power:g})"


class InversePower(Power):
    """eta = 1/mu (R's ``inverse``)."""

    def __init__(self):
        super().__init__(-1.0)

    def __repr__(self):
        return "InversePower()"


class InverseSquared(Power):
    """eta = 1/mu^2 (R's ``1/mu^2``, the inverse Gaussian's canonical link)."""

    def __init__(self):
        super().__init__(-2.0)

    def __repr__(self):
        return "InverseSquared()"


class Sqrt(Power):
    """eta = sqrt(mu)."""

    def __init__(self):
        super().__init__(0.5)

    def __repr__(self):
        return "Sqrt()"


class NegativeBinomial(Link):
    """eta = log(mu / (mu + 1/alpha)), the canonical link of the negative binomial (statsmodels' ``nbinom``).

    Parameters
    ----------
    alpha : float
        The negative binomial's alpha (variance mu + alpha mu^2), alpha > 0; with the family
        ``NegativeBinomial(alpha, link="nbinom")`` the family's alpha is used.

    Notes
    -----
    eta < 0 for every mu > 0; mu = 1 / (alpha (exp(-eta) - 1)), d eta / d mu = 1 / (mu + alpha mu^2).
    R's MASS offers no such link; statsmodels: ``links.NegativeBinomial(alpha)``.
    """

    name = "nbinom"

    def __init__(self, alpha=1.0):
        alpha = float(alpha)
        if not np.isfinite(alpha) or alpha <= 0:
            raise ValueError(f"the negative binomial link needs a positive alpha, got {alpha!r}")
        self.alpha = alpha

    def __call__(self, mu):
        mu = np.asarray(mu, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.log1p(1.0 / (self.alpha * mu))

    def inverse(self, eta):
        eta = np.asarray(eta, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.maximum(1.0 / (self.alpha * np.expm1(-eta)), EPS)

    def deriv(self, mu):
        mu = np.asarray(mu, dtype=float)
        return 1.0 / (mu + self.alpha * mu * mu)

    def inverse_deriv(self, eta):
        eta = np.asarray(eta, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            em = np.expm1(-eta)  # mu = 1 / (alpha em); d mu / d eta = (1 + em) / (alpha em^2) = mu + alpha mu^2
            return np.maximum((1.0 + em) / (self.alpha * em * em), EPS)

    def inverse_deriv2(self, eta):
        mu = self.inverse(eta)
        return (mu + self.alpha * mu * mu) * (1.0 + 2.0 * self.alpha * mu)

    def valid_eta(self, eta):
        eta = np.asarray(eta)
        return bool(np.all(np.isfinite(eta)) and np.all(eta < 0))

    def __repr__(self):
        return f"NegativeBinomial(alpha={self.alpha:g})"


_BY_NAME = {
    "identity": Identity, "log": Log, "logit": Logit, "probit": Probit,
    "cloglog": CLogLog, "loglog": LogLog, "cauchit": Cauchy, "cauchy": Cauchy,
    "inverse": InversePower, "inverse_power": InversePower, "inversepower": InversePower,
    "1/mu^2": InverseSquared, "inverse_squared": InverseSquared, "inversesquared": InverseSquared,
    "sqrt": Sqrt,
}


def get_link(link):
    """Return a link instance from an instance or R's name (``"logit"``, ``"1/mu^2"``, ...).

    ``"nbinom"`` needs its alpha: give ``NegativeBinomial(alpha)``, or the name with the negative binomial
    family, which passes its own alpha.

    Raises
    ------
    ValueError
        For an unknown name. ``TypeError`` for a class instead of an instance, or another type.
    """
    if isinstance(link, Link):
        return link
    if isinstance(link, type) and issubclass(link, Link):
        raise TypeError(f"link must be an instance, e.g. {link.__name__}(), not the class {link.__name__}")
    if isinstance(link, str):
        key = link.strip()
        if key.lower() in ("nbinom", "negative_binomial", "negativebinomial"):
            raise ValueError(f"the {link!r} link needs alpha: pass gs.links.NegativeBinomial(alpha), or "
                             f"link={link!r} with gs.families.NegativeBinomial(alpha), which supplies its alpha")
        cls = _BY_NAME.get(key) or _BY_NAME.get(key.lower())
        if cls is None:
            names = ", ".join(sorted(set(_BY_NAME) - {"cauchy", "inverse_power", "inversepower",
                                                    "inverse_squared", "inversesquared"}))
            raise ValueError(f"unknown link {link!r}; known links: {names}")
        return cls()
    raise TypeError(f"link must be a glmstats.links.Link instance or a link name, not {type(link).__name__}")
