"""Single-term deletions (R: ``drop1.glm``): each term that marginality allows dropped in turn."""

import warnings

import numpy as np
import pandas as pd

from .._lazy import stats
from ..exceptions import GLMStatsWarning
from ..report.table import AnovaTable
from .deviance_tests import chi2_sf, drop1_heading, test_name
from .submodels import droppable, refit, score_ss

__all__ = ["drop1"]


def drop1(res, test=None):
    """Single-term deletions (R: ``drop1(m, test = ...)``, ``drop1.glm``).

    Parameters
    ----------
    res : GLMResults
    test : {None, "Chisq", "LRT", "F", "Rao"}

    Returns
    -------
    AnovaTable
        A DataFrame (:class:`glmstats.report.table.AnovaTable`) that prints as R's print.anova.
        Rows ``"<none>"`` (the model itself) and each term that can be dropped respecting
        marginality (a term contained in another, such as ``a`` and ``b`` next to ``a:b``,
        stays); columns ``Df`` (parameters removed), ``Deviance`` (of the reduced model),
        ``AIC`` (left out when the family has no likelihood: quasi families, Tweedie), then
        ``LRT`` or ``scaled dev.`` and ``Pr(>Chi)`` ("Chisq"); ``F value``, ``Pr(>F)`` ("F");
        ``Rao score`` or ``scaled Rao sc.`` and ``Pr(>Chi)`` ("Rao").

    Notes
    -----
    As R's drop1.glm, with phi = ``res.scale`` (1, or the Pearson estimate) and n rows:

    - "log-likelihood" l_k = n log(D_k / n) for the Gaussian family (unless the scale was fixed
      with ``fit(scale=s)``: D_k / s - n), D_k / phi otherwise;
    - AIC_k = AIC(model) + (l_k - l_0) + 2 (rank_k - rank_0);
    - LRT = max(0, l_k - l_0) against chi2(Df), labelled ``scaled dev.`` when phi != 1 (so the
      Gaussian "scaled dev." is n log(D_k / D_0));
    - F value = ((D_k - D_0) / Df) / (D_0 / df_resid) on (Df, df_resid) degrees of freedom: the
      scale is deviance / df_resid, not the Pearson phi (R warns for binomial/Poisson, as here);
    - Rao = the score statistic of the full model at the reduced fit, divided by phi.

    The auxiliary regression of the Rao score has no offset, as in R 4.2.2's drop1.glm and in
    anova.glm (checked against R on a Poisson model with an offset,
    tests/reference_extra/rao/). The Rao score is R's: drop1.glm regresses the reduced fit's
    working residuals r on X with ``glm.fit(x, r, w)``, whose null model is r's weighted mean
    (``intercept = TRUE``) even when the model has no intercept. With an intercept this is the
    score statistic; without one it is at most the score statistic (the part of r'Wr along the
    constant is left out) and differs from what ``anova(m_small, m, test="Rao")`` reports: on
    ``cars``, ``dist ~ speed + I(speed^2) - 1``, dropping ``I(speed^2)`` gives 8.6725 (R and
    here) where anova's Rao / phi is 2122.66 / 225.65 = 9.4069.

    For the array interface every column is a term (a constant column is the intercept and is
    never dropped).
    """
    test = test_name(test, "drop1")
    intercept, terms = res.fit_state.terms
    scope = droppable(terms)
    X = res.fit_state.data.X
    p = X.shape[1]
    names, ranks, devs, scores = ["<none>"], [res.rank], [float(res.deviance)], [np.nan]
    for name, cols in scope:
        drop = set(cols)
        fit = refit(res, [j for j in range(p) if j not in drop])
        names.append(name)
        ranks.append(fit.rank)
        devs.append(fit.deviance)
        if test == "Rao":
            scores.append(score_ss(X, fit, centre=True))  # R's drop1.glm: glm.fit(x, r, w), intercept = TRUE
    ranks = np.asarray(ranks, dtype=float)
    devs = np.asarray(devs, dtype=float)
    n = float(np.sum(res.fit_state.freq_weights))  # R: nrow(x); rows counted with their frequency weights
    dispersion = float(res.scale)
    user_scale = res.scale if res.scale_fixed_by_user else None
    loglik = res.family.drop1_loglik(devs, n, dispersion, user_scale)
    aic = loglik + 2.0 * ranks
    # R's drop1 anchors on extractAIC: the family's $aic (NA for statmod's tweedie family, although
    # res.aic is AICtweedie's), and for glm.nb MASS's extractAIC.negbin (theta not counted)
    aic = aic + (float(res.extract_aic) - aic[0])
    dfs = ranks[0] - ranks + 0.0
    dfs[0] = np.nan
    table = pd.DataFrame({"Df": dfs, "Deviance": devs, "AIC": aic}, index=names)
    if np.all(np.isnan(aic)):
        table = table.drop(columns="AIC")
    ok = ~np.isnan(dfs) & (dfs > 0)
    if test == "Chisq":
        lrt = np.maximum(0.0, loglik - loglik[0])
        lrt[0] = np.nan
        table["LRT" if dispersion == 1 else "scaled dev."] = lrt
        table["Pr(>Chi)"] = chi2_sf(lrt, dfs, ok)
    elif test == "Rao":
        sc = np.maximum(0.0, np.asarray(scores, dtype=float)) / dispersion
        table["Rao score" if dispersion == 1 else "scaled Rao sc."] = sc
        table["Pr(>Chi)"] = chi2_sf(sc, dfs, ok)
    elif test == "F":
        if res.family.dispersion_is_one_in_r:
            warnings.warn(f"the F test assumes the quasi{res.family.name} family", GLMStatsWarning, stacklevel=3)
        rdf = float(res.df_resid)
        rms = devs[0] / rdf
        with np.errstate(all="ignore"):
            F = (np.maximum(0.0, devs - devs[0]) / dfs) / rms
        F[~(dfs >= 1e-4)] = np.nan
        table["F value"] = F
        pv = np.full_like(F, np.nan)
        good = ~np.isnan(F) & ok
        pv[good] = stats.f.sf(F[good], dfs[good], rdf)
        table["Pr(>F)"] = pv
    return AnovaTable.wrap(table, drop1_heading(res))
