"""Likelihood-ratio tests between negative binomial fits with theta estimated (R: ``MASS:::anova.negbin``).

Each :func:`glmstats.glm_nb` fit has its own theta, so its deviance is measured against another family than
the next model's: the deviance differences of :func:`glmstats.inference.anova.anova` mean nothing here. MASS
compares the maximised log-likelihoods instead, theta re-estimated in every model, and so does
:func:`anova_negbin`.
"""

import warnings

import numpy as np
import pandas as pd

from ..exceptions import GLMStatsWarning
from ..report.display import model_formula
from ..report.table import LRTable
from .deviance_tests import chi2_upper, test_name

__all__ = ["anova_negbin", "is_negbin"]


def is_negbin(res):
    """Whether ``res`` is a negative binomial fit with theta estimated (``glm_nb``; R: class ``negbin``)."""
    return hasattr(res, "theta") and hasattr(res, "twologlik")


def anova_negbin(*results, test="Chisq", check=None):
    """Likelihood-ratio tests of negative binomial models (R: ``anova(nb1, nb2, ...)``, ``MASS:::anova.negbin``).

    Parameters
    ----------
    *results : NegativeBinomialResults
        Two or more :func:`glmstats.glm_nb` fits of nested models to the same rows, in any order: as MASS,
        the table sorts them by decreasing residual degrees of freedom (a stable sort).
    test : {"Chisq", "LRT"}
        The only test MASS implements; any other gives a :class:`~glmstats.exceptions.GLMStatsWarning`
        (MASS: "only Chi-squared LR tests are implemented") and the same table.
    check : callable, optional
        ``check(small, large, i_small, i_large)`` raising ValueError when two consecutive models are not
        nested (:func:`glmstats.inference.anova.anova` passes its column-space check).

    Returns
    -------
    LRTable
        A DataFrame (:class:`glmstats.report.table.LRTable`) that prints as MASS's ``print.Anova``, headed
        "Likelihood ratio tests of Negative Binomial Models" and the response. Rows ``"1"``, ``"2"``, ...
        in the sorted order; columns ``Model`` (the right-hand side of the formula), ``theta``,
        ``Resid. df``, ``2 x log-lik.``, ``Test`` (``"1 vs 2"``, ...), ``df``, ``LR stat.`` and ``Pr(Chi)``
        (NaN and ``""`` in the first row).

    Raises
    ------
    ValueError
        When a fit is not a ``glm_nb`` fit, or (through ``check``) the models are not nested.

    Notes
    -----
    With l_k the maximised log-likelihood of model k (theta_k and the coefficients both at their ML),

        LR stat. = 2 l_k - 2 l_{k-1},    df = df_resid(k-1) - df_resid(k),    Pr(Chi) = P(chi2_df > LR stat.),

    the likelihood-ratio test of model k-1 within model k, each theta estimated: under the smaller model
    the statistic is asymptotically chi2 with df degrees of freedom (theta is in both models, so it adds
    none). MASS writes ``1 - pchisq(LR, df)``, which is 0 below about 1e-16; the upper tail here is
    computed directly (:func:`glmstats.inference.deviance_tests.chi2_upper`) and keeps those digits. Two
    models with the same residual df get NaN (MASS: 0 or 1).
    A single model's table (``res.anova()``) holds theta fixed at its estimate, as MASS's ``anova(nb)``.
    """
    if not all(is_negbin(r) for r in results):
        raise ValueError('likelihood-ratio tests of negative binomial models need glm_nb fits only (MASS: '
                         '"not all objects are of class negbin"); compare a glm_nb fit with a GLM at a fixed '
                         'theta through a GLM fit with family NegativeBinomial(alpha=1/theta)')
    if test_name(test, "anova") != "Chisq":
        warnings.warn("only Chi-squared LR tests are implemented for negative binomial models (MASS's "
                      "anova.negbin); the table has the likelihood-ratio test", GLMStatsWarning, stacklevel=3)
    order = sorted(range(len(results)), key=lambda i: -results[i].df_resid)  # sorted() is stable, as sort.list
    fits = [results[i] for i in order]
    if check is not None:
        for k in range(1, len(fits)):
            check(fits[k - 1], fits[k], order[k - 1] + 1, order[k] + 1)
    dfs = np.array([r.df_resid for r in fits], dtype=float)
    lls = np.array([r.twologlik for r in fits], dtype=float)
    df = np.concatenate([[np.nan], -np.diff(dfs)]) + 0.0
    lr = np.concatenate([[np.nan], np.diff(lls)])
    p = np.full(len(fits), np.nan)
    ok = df > 0  # two models with the same df have no test (MASS prints 0 or 1 there)
    p[ok] = chi2_upper(np.maximum(lr[ok], 0.0), df[ok])  # a statistic <= 0 has p = 1, as MASS's
    table = pd.DataFrame({
        "Model": [model_formula(r).split("~", 1)[1].strip() for r in fits],
        "theta": [float(r.theta) for r in fits],
        "Resid. df": dfs,
        "2 x log-lik.": lls,
        "Test": [""] + [f"{k} vs {k + 1}" for k in range(1, len(fits))],
        "df": df,
        "LR stat.": lr,
        "Pr(Chi)": p,
    }, index=[str(k) for k in range(1, len(fits) + 1)])
    heading = ["Likelihood ratio tests of Negative Binomial Models", "", f"Response: {fits[0].endog_name}"]
    return LRTable.wrap(table, heading)
