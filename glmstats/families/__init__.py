"""Families and links: R's ``family`` objects, their facts as data, and the Tweedie density."""

from .base import (Binomial, Family, Gamma, Gaussian, InverseGaussian, NegativeBinomial, Poisson, Quasi,
                   QuasiBinomial, QuasiPoisson, Tweedie, get_family)

__all__ = [
    "Family", "Gaussian", "Binomial", "Poisson", "Gamma", "InverseGaussian", "Tweedie",
    "NegativeBinomial", "QuasiPoisson", "QuasiBinomial", "Quasi", "get_family",
]
