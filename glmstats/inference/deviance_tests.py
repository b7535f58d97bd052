"""The test columns of analysis-of-deviance tables (R's ``stat.anova``) and their p-values.

- ``"Chisq"`` (alias ``"LRT"``): D / phi against chi2(Df);
- ``"F"``: F = D / Df / phi against F(Df, df_phi), df_phi the residual df of the model that phi comes from
  (infinite when the dispersion is fixed);
- ``"Rao"``: the score statistic over phi against chi2(Df).

Upper chi-square tails go down to the subnormal range, as R's ``pchisq(lower.tail = FALSE)``.
"""

import warnings

import numpy as np

from .._lazy import stats
from ..exceptions import GLMStatsWarning
from ..report.display import model_formula

__all__ = ["test_name", "warn_f_fixed", "add_test", "with_test", "f_sf", "chi2_upper", "chi2_sf", "dispersion"]


def test_name(test, where):
    """R's test names; "LRT" is "Chisq", "none" is None."""
    if test is None or (isinstance(test, str) and test.lower() == "none"):
        return None
    names = {"chisq": "Chisq", "lrt": "Chisq", "f": "F", "rao": "Rao"}
    if not isinstance(test, str) or test.lower() not in names:
        raise ValueError(f'{where}: test must be "Chisq" (or "LRT"), "F", "Rao" or None, not {test!r}')
    return names[test.lower()]


def warn_f_fixed(res):
    fam = res.family.name
    if res.family.dispersion_is_one_in_r:
        msg = f"using the F test with the {fam} family is inappropriate (it assumes the quasi{fam} family)"
    else:
        msg = "using the F test with a fixed dispersion is inappropriate"
    warnings.warn(msg, GLMStatsWarning, stacklevel=4)


def add_test(table, test, scale, df_scale, stat="Deviance"):
    """R's ``stat.anova`` for "Chisq", "F" and "Rao" (the statistic column is ``stat``)."""
    dfs = table["Df"].to_numpy(dtype=float)
    values = table[stat].to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        if test in ("Chisq", "Rao"):
            vals = values / scale * np.sign(dfs)
            vals[dfs == 0] = np.nan
            vals[vals < 0] = np.nan
            table["Pr(>Chi)"] = chi2_upper(vals, np.abs(dfs))
        else:
            F = values / dfs / scale
            F[dfs == 0] = np.nan
            F[F < 0] = np.nan
            table["F"] = F
            table["Pr(>F)"] = f_sf(F, np.abs(dfs), df_scale)
    return table


def with_test(table, test, scale, df_scale, scores, res):
    """The table with its test columns (``scores``: the Rao statistics; ``res``: the fit whose dispersion
    is used, for the warning about F tests on a fixed dispersion)."""
    if test == "F" and np.isinf(df_scale):
        warn_f_fixed(res)
    if test == "Rao":
        table["Rao"] = np.asarray(scores, dtype=float)
        return add_test(table, "Rao", scale, df_scale, stat="Rao")
    return add_test(table, test, scale, df_scale)


def f_sf(F, df1, df2):
    if np.isinf(df2):  # F(df1, inf) = chi2(df1) / df1
        return chi2_upper(F * df1, df1)
    return stats.f.sf(F, df1, df2)


def chi2_upper(x, df):
    """P(chi2_df > x), down to the subnormal range as R's ``pchisq(lower.tail = FALSE)``.

    scipy underflows to 0 below about 1e-308; there the upper incomplete gamma Q(a, z),
    a = df/2, z = x/2, is evaluated in logs with its continued fraction (Lentz's method),
    log Q = a log z - z - log Gamma(a) - log(CF), which converges fast for z > a + 1.
    """
    scalar = np.ndim(x) == 0 and np.ndim(df) == 0
    x, df = np.broadcast_arrays(np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(df, dtype=float)))
    with np.errstate(all="ignore"):
        out = np.asarray(stats.chi2.sf(x, df), dtype=float).copy()
        tiny = (out == 0) & np.isfinite(x) & (df > 0) & (x / 2 > df / 2 + 1)
    for i in np.flatnonzero(tiny):
        out.flat[i] = np.exp(log_gamma_upper(df.flat[i] / 2.0, x.flat[i] / 2.0))
    return float(out[0]) if scalar else out


def log_gamma_upper(a, z, eps=1e-16, maxit=1000):
    """log of the regularized upper incomplete gamma Q(a, z) by its continued fraction (z > a + 1)."""
    from scipy.special import gammaln

    tiny = 1e-300
    b = z + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, maxit):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return a * np.log(z) - z - gammaln(a) + np.log(h)


def chi2_sf(x, df, ok):
    """R's ``safe_pchisq``: NA where df <= 0."""
    out = np.full_like(x, np.nan)
    good = ok & ~np.isnan(x)
    out[good] = chi2_upper(x[good], df[good])
    return out


def dispersion(res):
    """The dispersion of the tests and its degrees of freedom (R: ``summary(m)$dispersion``; Inf when fixed)."""
    return float(res.scale), (np.inf if res.fixed_scale else float(res.df_resid))


# --- the lines R prints above each table (attr(, "heading")) --------------------------------
def sequential_heading(res):
    """R's anova.glm heading: the family and link, the response, the order of the terms."""
    return ["Analysis of Deviance Table", "", f"Model: {res.family.name}, link: {res.family.link.name}", "",
            f"Response: {res.endog_name}", "", "Terms added sequentially (first to last)"]


def comparison_heading(results):
    """R's anova.glmlist heading: one ``Model i: formula`` line per model."""
    return ["Analysis of Deviance Table", ""] + [f"Model {i}: {model_formula(r)}" for i, r in enumerate(results, 1)]


def drop1_heading(res):
    """R's drop1 heading."""
    return ["Single term deletions", "", "Model:", model_formula(res)]
