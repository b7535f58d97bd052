"""statsmodels' information criteria and pseudo R-squared of a fitted GLM.

The names and formulas are statsmodels' (``GLMResults.info_criteria``, ``bic_deviance``,
``bic_llf``, ``pseudo_rsquared``); the log-likelihoods are glmstats' (``res.llf``, ``res.llnull``:
R's ``logLik.glm`` conventions). They agree with statsmodels' for the binomial, Poisson and
negative binomial families and the Gaussian with the identity link; for the Gamma and inverse
Gaussian R plugs in the dispersion deviance / sum(w) where statsmodels plugs in Pearson's,
and statsmodels' llnull uses the full model's dispersion.
"""

import warnings

import numpy as np

from ..exceptions import DomainWarning

__all__ = ["info_criteria", "bic_deviance", "pseudo_rsquared"]


def info_criteria(res, crit, scale=None, dk_params=0):
    """statsmodels' ``info_criteria``: k = rank + dk_params (the dispersion not counted unless ``dk_params=1``).

    Parameters
    ----------
    res : GLMResults
    crit : {"aic", "bic", "qaic"}
    scale : float, optional
        For ``"qaic"``: the dispersion c (from the largest model compared); default: this fit's
        Pearson chi2 / df_resid.
    dk_params : int or float
        Added to the number of parameters.

    Returns
    -------
    float

    Notes
    -----
    aic = -2 llf + 2 k; bic = -2 llf + k log(nobs); qaic = -2 llf / c + 2 k, llf at dispersion 1
    (meaningful for the binomial, Poisson and negative binomial families only: another family gets
    a DomainWarning, as statsmodels warns).
    """
    crit = str(crit).lower()
    k = res.rank + dk_params
    if crit == "aic":
        return -2.0 * res.llf + 2.0 * k
    if crit == "bic":
        return -2.0 * res.llf + k * np.log(res.nobs)
    if crit == "qaic":
        if not res.family.fixed_scale:
            warnings.warn("QAIC is only meaningful for the binomial, Poisson and negative binomial families",
                          DomainWarning, stacklevel=3)
        c = res.pearson_chi2 / res.df_resid if scale is None else float(scale)
        return -2.0 * res.llf / c + 2.0 * k
    raise ValueError(f'crit must be "aic", "bic" or "qaic", not {crit!r}')


def bic_deviance(res):
    """statsmodels' ``bic_deviance``: deviance - df_resid log(nobs), df_resid = nobs - rank."""
    return res.deviance - (res.nobs - res.rank) * np.log(res.nobs)


def pseudo_rsquared(res, kind="cs"):
    """McFadden's (``"mcf"``) or Cox and Snell's (``"cs"``) pseudo R-squared, statsmodels' formulas.

    Parameters
    ----------
    res : GLMResults
    kind : {"cs", "mcf"}
        Also statsmodels' spellings ``"mcfadden"``, ``"cox-snell"``, ``"lr"``.

    Returns
    -------
    float

    Notes
    -----
    mcf = 1 - llf / llnull; cs = 1 - exp(2 (llnull - llf) / nobs). With R's log-likelihoods the
    Gaussian's cs is the R-squared 1 - deviance / null_deviance.
    """
    kind = str(kind).lower()
    if kind.startswith("mcf"):
        return 1.0 - res.llf / res.llnull
    if kind.startswith("cox") or kind in ("cs", "lr"):
        return 1.0 - np.exp((res.llnull - res.llf) * (2.0 / res.nobs))
    raise ValueError(f'kind must be "cs" (Cox and Snell) or "mcf" (McFadden), not {kind!r}')
