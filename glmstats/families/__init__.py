"""Families and links: R's ``family`` objects with their facts as data, and the Tweedie density.

``gs.families.Poisson()``, ... or R's names through :func:`get_family`; the links are in
:mod:`glmstats.families.links` (public as ``gs.links``); the domains of y and mu are
:class:`~glmstats.families.interval.Interval` objects.
"""

from . import links as L
from .base import Family
from .core import Binomial, Gamma, Gaussian, InverseGaussian, Poisson
from .extended import NegativeBinomial, Tweedie
from .interval import Interval
from .quasi import Quasi, QuasiBinomial, QuasiPoisson

__all__ = [
    "Family", "Gaussian", "Binomial", "Poisson", "Gamma", "InverseGaussian", "Tweedie",
    "NegativeBinomial", "QuasiPoisson", "QuasiBinomial", "Quasi", "Interval", "get_family",
]

_BY_NAME = {
    "gaussian": Gaussian, "normal": Gaussian, "binomial": Binomial, "poisson": Poisson,
    "gamma": Gamma, "inverse.gaussian": InverseGaussian, "inverse_gaussian": InverseGaussian,
    "inversegaussian": InverseGaussian, "quasipoisson": QuasiPoisson, "quasibinomial": QuasiBinomial,
    "quasi": Quasi, "tweedie": Tweedie, "negative.binomial": NegativeBinomial,
    "negative_binomial": NegativeBinomial, "negativebinomial": NegativeBinomial,
}


# Families whose name alone does not say which family it is: R's negative.binomial(theta) and
# statmod's tweedie(var.power) require the parameter too (statmod's default var.power = 0 would be
# the Gaussian); a silent default would fit a model the user did not ask for.
_NEEDS_PARAMETER = {
    NegativeBinomial: ("family {name!r} needs theta, as R's negative.binomial(theta) does: pass "
                       "gs.families.NegativeBinomial(alpha=1/theta{link}) for a known theta, or use gs.glm_nb(...) "
                       "to estimate it by maximum likelihood (MASS::glm.nb)"),
    Tweedie: ("family {name!r} needs its variance power p (V(mu) = mu^p), as statmod's tweedie(var.power) "
              "does: pass gs.families.Tweedie(var_power=p{link}) with 1 < p < 2 for claims with exact zeros, "
              "or gs.tweedie_profile(...) to choose p by profile likelihood"),
}


def get_family(family, link=None):
    """Return a family instance from an instance or R's name, with an optional link.

    Parameters
    ----------
    family : Family or str
        ``"gaussian"``, ``"binomial"``, ``"poisson"``, ``"Gamma"``/``"gamma"``,
        ``"inverse.gaussian"``/``"inverse_gaussian"``, ``"quasipoisson"``, ``"quasibinomial"``,
        ``"quasi"``. ``"tweedie"`` and ``"negative.binomial"`` need their parameter (the
        variance power, theta), so they are an error by name: pass ``Tweedie(var_power=...)``
        or ``NegativeBinomial(alpha=1 / theta)``, or use ``gs.glm_nb`` to estimate theta.
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
        if cls in _NEEDS_PARAMETER:
            raise ValueError(_NEEDS_PARAMETER[cls].format(name=family, link="" if link is None else f", link={link!r}"))
        if cls is None:
            known = '", "'.join(["gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian",
                                 "quasipoisson", "quasibinomial", "quasi", "tweedie", "negative.binomial"])
            raise ValueError(f'unknown family {family!r}; known families: "{known}"')
        return cls(link=None if link is None else L.get_link(link))
    if family is None:
        return Gaussian(link=None if link is None else L.get_link(link))
    raise TypeError(f"family must be a glmstats.families.Family instance or a family name, "
                    f"not {type(family).__name__}")
