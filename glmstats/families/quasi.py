"""Quasi-likelihood families: the variance and deviance of a full family, the dispersion estimated, no likelihood.

A quasi family *has* the full family whose variance function and deviance it uses (composition):
it takes from it only those, never the likelihood, the distribution or a fixed dispersion, so
there is nothing to undo.
"""

import numpy as np

from . import links as L
from .base import Family, as_float
from .core import Binomial, Gaussian, Poisson
from .extended import Tweedie
from .interval import NON_NEGATIVE, OPEN_UNIT, POSITIVE, REAL, UNIT

__all__ = ["Quasi", "QuasiPoisson", "QuasiBinomial"]

#: R's quasi(variance = ...) names -> (response domain, mean range) as R's quasi() checks them
_VARIANCES = {"constant": (REAL, REAL), "mu(1-mu)": (UNIT, OPEN_UNIT), "mu": (NON_NEGATIVE, POSITIVE),
              "mu^2": (NON_NEGATIVE, POSITIVE), "mu^3": (POSITIVE, POSITIVE)}


def _like(variance, link):
    """The full family whose variance and deviance R's quasi(variance = ...) uses."""
    if variance == "mu(1-mu)":
        return Binomial(link=link)
    if variance == "constant":
        return Gaussian(link=link)
    return Tweedie({"mu": 1.0, "mu^2": 2.0, "mu^3": 3.0}[variance], link=L.Log())


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
    #: Set by R's named quasi families (quasipoisson, quasibinomial): they take the variance, deviance, starting
    #: values and error messages of this full family; ``quasi(variance = ...)`` has R's own.
    full_family = None

    def __init__(self, link=None, variance="constant"):
        if variance not in _VARIANCES:
            raise ValueError(f"unknown quasi variance {variance!r}; choose one of {', '.join(_VARIANCES)}")
        super().__init__(link)
        self.variance_name = variance
        self.like = self.full_family(link=self.link) if self.full_family else _like(variance, self.link)

    # facts: those of the variance function; no likelihood, the dispersion estimated
    response_domain = property(lambda self: _VARIANCES[self.variance_name][0])
    mean_range = property(lambda self: _VARIANCES[self.variance_name][1])
    variance_power = property(lambda self: self.like.variance_power)
    proportion_response = property(lambda self: self.full_family is not None and self.like.proportion_response)

    def is_canonical(self, link=None):
        return self.like.is_canonical(self.link if link is None else link)

    @property
    def _subject(self):
        return f"the {self.name} family" if self.full_family else f"quasi(variance = {self.variance_name!r})"

    def _params(self):
        return {} if self.full_family else {"variance": self.variance_name}

    def __repr__(self):
        if self.full_family:
            return super().__repr__()
        return f"Quasi(link={self.link!r}, variance={self.variance_name!r})"

    def variance(self, mu):
        return self.like.variance(mu)

    def variance_deriv(self, mu):
        return self.like.variance_deriv(mu)

    def unit_deviance(self, y, mu):
        return self.like.unit_deviance(y, mu)

    def resid_anscombe(self, y, mu, weights=None):
        return self.like.resid_anscombe(y, mu, weights)

    def starting_mu(self, y, weights=None):
        """R's quasi()$initialize, or the full family's."""
        if self.full_family:
            return self.like.starting_mu(y, weights)
        y = as_float(y)
        if self.variance_name == "constant":
            return y.copy()
        if self.variance_name == "mu(1-mu)":
            return np.clip(y, 0.001, 0.999)
        return y + 0.1 * (y == 0)


class QuasiPoisson(Quasi):
    """Quasi-Poisson: Poisson's variance, deviance and starting values, dispersion estimated, no likelihood
    (R: ``quasipoisson()``)."""

    name = "quasipoisson"
    default_link = L.Log
    full_family = Poisson

    def __init__(self, link=None):
        super().__init__(link, variance="mu")


class QuasiBinomial(Quasi):
    """Quasi-binomial: binomial variance, deviance and starting values, dispersion estimated, no likelihood
    (R: ``quasibinomial()``)."""

    name = "quasibinomial"
    default_link = L.Logit
    full_family = Binomial

    def __init__(self, link=None):
        super().__init__(link, variance="mu(1-mu)")
