"""Summaries of fitted models, built as :class:`~glmstats.report.report.Report` data.

The builder reads a results object's public attributes and fills one report; the renderers
(text, HTML, LaTeX, markdown) are the report's:

- :class:`Summary`: a GLM (R's ``summary.glm``); a negative binomial fit passes theta and
  its standard error as ``extra_rows`` (R's ``summary.negbin``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .format import fmt_bool, fmt_count, fmt_num, fmt_pvalue
from .report import Report, Section

__all__ = ["Summary"]

TITLE = "Generalized Linear Model Results"

_COV_NOTES = {
    "cluster": "Standard errors are cluster-robust (HC1-type small-sample adjustment; "
    "R: sandwich::vcovCL).",
}


def _check_alpha(alpha):
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    return alpha


def _interval_labels(alpha):
    """Column labels of the interval bounds, ``[0.025`` and ``0.975]`` at alpha = 0.05."""
    return f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"


def _as_series(values, index):
    """Float Series on `index`: by label, or by position if the labels differ."""
    if isinstance(values, (pd.Series, pd.DataFrame)):
        s = pd.Series(values.squeeze()) if isinstance(values, pd.DataFrame) else values
        if len(s) == len(index) and not s.index.isin(index).all():
            s = pd.Series(s.to_numpy(), index=index)
        s = s.reindex(index)
    else:
        s = pd.Series(np.asarray(values, dtype=float).ravel(), index=index)
    return pd.to_numeric(s, errors="coerce").astype(float)


def _join(names):
    return ", ".join(str(n) for n in names)


# The notes that GLM and multinomial fits share, worded as R's print methods word them.
def _dropped_note(n_dropped, columns):
    word = "observation" if n_dropped == 1 else "observations"
    note = f"{n_dropped} {word} deleted due to missingness"
    if columns:
        note += f" (missing values in: {_join(columns)})"
    return note


def _aliased_note(names):
    return f"Coefficients not defined because of singularities: {_join(names)}"


class Summary(Report):
    """Summary of a fitted GLM (R: ``summary.glm`` / ``print.summary.glm``).

    Parameters
    ----------
    results : GLMResults
        Fitted results. Uses ``params``, ``bse``, ``tvalues``, ``pvalues``,
        ``conf_int(alpha)``, ``use_t`` and the model-level statistics
        (``nobs``, ``df_resid``, ``df_model``, ``scale``, ``deviance``, ...).
        Items that are missing or NaN are shown as ``"NA"``.
    alpha : float, default 0.05
        The confidence intervals in the coefficient table have level
        ``1 - alpha``.
    digits : int, default 6
        Significant digits of the numbers (p-values use 4, and ``"<2e-16"``
        below the machine epsilon, as R).
    extra_rows : sequence of (str, number), optional
        Items appended to the right column of the header, formatted with `digits`:
        what a model adds to the GLM's statistics (the negative binomial's theta and its
        standard error, as R's ``summary.negbin``).

    Attributes
    ----------
    title : str
    alpha : float
    tables : list of pandas.DataFrame
        ``tables[0]``: the header block, one row per item (index) with a
        column ``value`` of formatted strings. ``tables[1]``: the coefficient
        table, indexed by term, float columns ``coef``, ``std err``, ``z``
        or ``t``, ``P>|z|`` or ``P>|t|``, and the interval bounds
        (``[0.025``, ``0.975]`` for ``alpha=0.05``); NaN for aliased terms.
    notes : list of str
        Dropped rows, aliased terms, non-convergence, perfect separation and
        the covariance type when it is not ``"nonrobust"``.

    Notes
    -----
    ``str(summary)`` (or :meth:`as_text`) is the plain-text report; notebooks
    use :meth:`_repr_html_`. :meth:`as_latex` needs ``\\usepackage{booktabs}``.
    """

    def __init__(self, results, alpha=0.05, *, digits=6, extra_rows=()):
        alpha = _check_alpha(alpha)
        digits = int(digits)
        left, right = _glm_header(results, digits)
        right += [(str(label), fmt_num(value, digits)) for label, value in extra_rows]
        table = _glm_coefficients(results, alpha)
        # the p-value column is the fourth: "P>|z|" or "P>|t|"
        section = Section(table, pvalue_column=table.columns[3])
        super().__init__(TITLE, left, right, [section], notes=_glm_notes(results), digits=digits)
        self.alpha = alpha


def _glm_header(res, d):
    family = getattr(res, "family", None)
    link = getattr(family, "link", None)
    df_resid = getattr(res, "df_resid", np.nan)
    df_model = getattr(res, "df_model", np.nan)
    try:
        df_null = float(df_resid) + float(df_model)
    except (TypeError, ValueError):
        df_null = np.nan
    left = [
        ("Dep. Variable", str(getattr(res, "endog_name", "NA"))),
        ("Model family", str(getattr(family, "name", "NA"))),
        ("Link", str(getattr(link, "name", "NA"))),
        ("Method", str(getattr(res, "method", "IRLS"))),
        ("No. Observations", fmt_count(getattr(res, "nobs", None), d)),
        ("Df Residuals", fmt_count(df_resid, d)),
        ("Df Model", fmt_count(df_model, d)),
        ("Dispersion", fmt_num(getattr(res, "scale", None), d)),
        ("Dispersion method", str(getattr(res, "scale_method", "NA"))),
        ("Covariance type", str(getattr(res, "cov_type", "nonrobust"))),
    ]
    right = [
        ("Deviance", fmt_num(getattr(res, "deviance", None), d)),
        ("Pearson chi2", fmt_num(getattr(res, "pearson_chi2", None), d)),
        ("Null deviance", fmt_num(getattr(res, "null_deviance", None), d)),
        ("Df Null", fmt_count(df_null, d)),
        ("Log-Likelihood", fmt_num(getattr(res, "llf", None), d)),
        ("AIC", fmt_num(getattr(res, "aic", None), d)),
        ("BIC", fmt_num(getattr(res, "bic", None), d)),
        ("Iterations", fmt_count(getattr(res, "n_iter", None), d)),
        ("Converged", fmt_bool(getattr(res, "converged", None))),
    ]
    return left, right


def _glm_coefficients(res, alpha):
    params = pd.Series(res.params)
    names = params.index
    stat = "t" if bool(getattr(res, "use_t", False)) else "z"
    ci = pd.DataFrame(res.conf_int(alpha))
    lo, hi = _interval_labels(alpha)
    return pd.DataFrame(
        {
            "coef": _as_series(params, names),
            "std err": _as_series(res.bse, names),
            stat: _as_series(res.tvalues, names),
            f"P>|{stat}|": _as_series(res.pvalues, names),
            lo: _as_series(ci.iloc[:, 0], names),
            hi: _as_series(ci.iloc[:, 1], names),
        },
        index=names,
    )


def _glm_notes(res):
    notes = []
    n_dropped = getattr(res, "n_dropped", 0) or 0
    if n_dropped > 0:
        notes.append(_dropped_note(n_dropped, list(getattr(res, "dropped_columns", None) or [])))
    aliased = getattr(res, "aliased", None)
    if aliased is None:
        aliased = pd.Series(res.params).isna()
    aliased = pd.Series(aliased)
    names = list(aliased.index[aliased.astype(bool).to_numpy()])
    if names:
        notes.append(_aliased_note(names))
    converged = getattr(res, "converged", True)
    if converged is not None and not bool(converged):
        n_iter = fmt_count(getattr(res, "n_iter", None))
        notes.append(f"IRLS did not converge in {n_iter} iterations")
    separation = list(getattr(res, "separation", None) or [])
    if separation:
        notes.append(
            "Fitted probabilities numerically 0 or 1 occurred: possible "
            f"(quasi-)perfect separation; coefficients involved: {_join(separation)}"
        )
    cov_type = str(getattr(res, "cov_type", "nonrobust"))
    if cov_type != "nonrobust":
        if cov_type.upper().startswith("HC"):
            notes.append(
                f"Standard errors are heteroskedasticity-robust ({cov_type}; "
                f'R: sandwich::vcovHC(type = "{cov_type}")).'
            )
        else:
            notes.append(_COV_NOTES.get(cov_type, f"Standard errors use covariance type {cov_type}."))
    return notes
