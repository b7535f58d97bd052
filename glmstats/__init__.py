"""glmstats: generalized linear models with the numbers of R's glm().

>>> import glmstats as gs
>>> res = gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit()
>>> print(res.summary())
"""

from . import datasets, families, links
from .exceptions import (CollinearityWarning, ConvergenceWarning, DomainWarning, FitError, GLMStatsWarning,
                         PerfectSeparationWarning, ProfileWarning, RankDeficientWarning)
from .inference.anova import anova
from .models.glm import GLM, glm
from .models.results import GLMResults


# The negative binomial, multinomial, penalized-path and Tweedie-profile modules load
# formulaic or scipy.optimize (0.3-0.6 s), so they are imported on first access of their
# name (PEP 562): gs.glm_nb is then the real function, with its signature and docstring.
_LAZY_FUNCTIONS = {
    "glm_nb": "glmstats.models.negbin",
    "multinom": "glmstats.models.multinomial",
    "regularization_path": "glmstats.models.penalized",
    "tweedie_profile": "glmstats.models.tweedie_profile",
}


def compare(results, **kwargs):
    """Fitted models side by side (coefficients with SEs or CIs, fit statistics); see :func:`glmstats.report.compare.compare`."""
    from .report.compare import compare as _compare

    return _compare(results, **kwargs)


def __getattr__(name):
    module = _LAZY_FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'glmstats' has no attribute {name!r}")
    import importlib

    func = getattr(importlib.import_module(module), name)
    globals()[name] = func  # later accesses skip this hook
    return func


def __dir__():
    return sorted(set(globals()) | set(_LAZY_FUNCTIONS))

def plot_links(links=None, eta=None):
    """The inverse links mu = g^{-1}(eta) as a plotly figure (needs ``glmstats[plot]``); see :mod:`glmstats.report.family_plots`."""
    from .report.family_plots import plot_links as _plot_links

    return _plot_links(links, eta)


__version__ = "0.1.0"

__all__ = [
    "GLM", "glm", "GLMResults", "anova", "compare", "glm_nb", "multinom", "regularization_path", "tweedie_profile", "plot_links", "families", "links", "datasets",
    "ConvergenceWarning", "PerfectSeparationWarning", "ProfileWarning", "GLMStatsWarning", "RankDeficientWarning",
    "DomainWarning", "CollinearityWarning", "FitError",
]
