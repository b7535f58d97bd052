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


def glm_nb(formula, data, **kwargs):
    """Negative binomial regression with theta estimated by ML (R: ``MASS::glm.nb``); see :mod:`glmstats.models.negbin`."""
    from .models.negbin import glm_nb as _glm_nb

    return _glm_nb(formula, data, **kwargs)


def compare(results, **kwargs):
    """Fitted models side by side (coefficients with SEs or CIs, fit statistics); see :func:`glmstats.report.compare.compare`."""
    from .report.compare import compare as _compare

    return _compare(results, **kwargs)


def multinom(formula, data, **kwargs):
    """Multinomial logit with full inference (R: ``nnet::multinom``); see :mod:`glmstats.models.multinomial`."""
    from .models.multinomial import multinom as _multinom

    return _multinom(formula, data, **kwargs)


def regularization_path(model, alphas=None, **kwargs):
    """Elastic-net coefficients along a decreasing alpha grid, warm-started; see :mod:`glmstats.models.penalized`."""
    from .models.penalized import regularization_path as _path

    return _path(model, alphas=alphas, **kwargs)


def tweedie_profile(formula, data, p_grid=None, **kwargs):
    """Profile likelihood over the Tweedie power p (R: ``tweedie::tweedie.profile``); see :mod:`glmstats.models.tweedie_profile`."""
    from .models.tweedie_profile import tweedie_profile as _profile

    return _profile(formula, data, p_grid=p_grid, **kwargs)


def plot_links(links=None, eta=None):
    """The inverse links mu = g^{-1}(eta) as a plotly figure (needs ``glmstats[plot]``); see :mod:`glmstats.report.family_plots`."""
    from .report.family_plots import plot_links as _plot_links

    return _plot_links(links, eta)


__version__ = "0.1.0"

__all__ = [
    "GLM", "glm", "GLMResults", "anova", "compare", "glm_nb", "multinom", "regularization_path", "tweedie_profile",
    "plot_links", "families", "links", "datasets",
    "ConvergenceWarning", "PerfectSeparationWarning", "ProfileWarning", "GLMStatsWarning", "RankDeficientWarning",
    "DomainWarning", "CollinearityWarning", "FitError",
]
