"""glmstats: generalized linear models with the numbers of R's glm().

>>> import glmstats as gs
>>> res = gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit()
>>> print(res.summary())
"""

from . import datasets, families, links
from .anova import anova
from .exceptions import (ConvergenceWarning, DomainWarning, GLMStatsWarning, PerfectSeparationWarning, ProfileWarning,
                         RankDeficientWarning)
from .irls import FitError
from .model import GLM, glm
from .results import GLMResults



__version__ = "0.1.0"

__all__ = [
    "GLM", "glm", "GLMResults", "anova", "families", "links", "datasets",
    "ConvergenceWarning", "PerfectSeparationWarning", "ProfileWarning", "GLMStatsWarning", "RankDeficientWarning",
    "DomainWarning", "FitError",
]
