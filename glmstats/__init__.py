"""glmstats: generalized linear models with the numbers of R's glm().

>>> import glmstats as gs
>>> res = gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit()
>>> print(res.summary())
"""

from . import datasets, families, links
from .exceptions import (CollinearityWarning, ConvergenceWarning, DomainWarning, FitError, GLMStatsWarning,
                         NonConvexWarning, PerfectSeparationWarning, ProfileWarning, RankDeficientWarning)
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
    "compare": "glmstats.report.compare",
    "plot_links": "glmstats.report.family_plots",
}


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


__version__ = "0.1.0"

__all__ = [
    "GLM", "glm", "GLMResults", "anova", "compare", "glm_nb", "multinom", "regularization_path", "tweedie_profile",
    "plot_links", "families", "links", "datasets",
    "ConvergenceWarning", "PerfectSeparationWarning", "ProfileWarning", "GLMStatsWarning", "RankDeficientWarning",
    "DomainWarning", "CollinearityWarning", "NonConvexWarning", "FitError",
]
