"""Summaries of fitted models, built as :class:`~glmstats.report.report.Report` data.

Each builder reads a results object's public attributes and fills one report; the renderers
(text, HTML, LaTeX, markdown) are the report's, the same for every kind of fit:

- :class:`Summary`: a GLM (R's ``summary.glm``); a negative binomial fit passes theta and
  its standard error as ``extra_rows`` (R's ``summary.negbin``);
- :class:`MultinomialSummary`: a multinomial logit, one section per non-reference class
  (R's ``summary(nnet::multinom(...))``);
- :class:`PenalizedSummary`: an elastic-net fit, coefficients and penalty weights only.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .format import fmt_bool, fmt_count, fmt_num, fmt_pvalue
from .report import Report, Section

__all__ = ["MultinomialSummary", "PenalizedSummary", "Summary"]

TITLE = "Generalized Linear Model Results"

_COV_NOTES = {
    "cluster": "Standard errors are cluster-robust (HC1-type small-sample adjustment; "
    "R: sandwich::vcovCL).",
}


def _check_alpha(alpha):
    # a fit passed by mistake (res.summary(res2)) must not be read as a level
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        hint = ("; to compare fits use gs.anova(res1, res2) or a side-by-side table"
                if hasattr(alpha, "params") else "")
        raise TypeError(f"summary(): alpha must be a number in (0, 1), got a {type(alpha).__name__}{hint}")
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"summary(): alpha must be in (0, 1), got {alpha}")
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
        Significant digits, applied a column at a time as R's ``printCoefmat``: estimates and
        standard errors formatted together, the statistic rounded to
        ``max(1, min(5, digits - 1))`` decimals, p-values by ``format.pval`` with that many
        digits (``"<2e-16"`` below the machine epsilon); the header values by ``format``.
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
        section = Section(table, pvalue_column=table.columns[3], estimate_columns=("coef", "std err"),
                          statistic_columns=(table.columns[2],))
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


class MultinomialSummary(Report):
    """Summary of a multinomial logit fit (R: ``summary(nnet::multinom(...))``).

    Parameters
    ----------
    results : MultinomialResults
        Uses ``params``, ``bse``, ``tvalues``, ``pvalues`` (DataFrames: terms x non-reference
        classes), ``conf_int(alpha)`` (indexed by class and term), ``lr_test()`` and the
        model-level statistics (``llf``, ``llnull``, ``deviance``, ``aic``, ``bic``,
        ``prsquared``, ``nobs``, ...).
    alpha : float, default 0.05
        The confidence intervals have level ``1 - alpha``.
    digits : int, default 6
        Significant digits, per column as in :class:`Summary` (the LR test's p-value uses 4,
        McFadden's pseudo R-squared 4).

    Attributes
    ----------
    title : str
    alpha : float
    tables : list of pandas.DataFrame
        ``tables[0]``: the header block (index = item, column ``value``); then one coefficient
        table per non-reference class (columns ``coef``, ``std err``, ``z``, ``P>|z|`` and the
        interval bounds).
    classes : list
        The non-reference class of each coefficient table.
    notes : list of str
    """

    def __init__(self, results, alpha=0.05, *, digits=6):
        alpha = _check_alpha(alpha)
        r, d = results, int(digits)
        lr = r.lr_test()
        left = [
            ("Dep. Variable", str(r.endog_name)),
            ("Classes", _join(r.classes)),
            ("Reference class", str(r.reference)),
            ("Method", str(r.method)),
            ("No. Observations", fmt_count(r.nobs, d)),
            ("Df Residuals", fmt_count(r.df_resid, d)),
            ("Df Model", fmt_count(r.df_model, d)),
            ("Iterations", fmt_count(r.n_iter, d)),
            ("Converged", fmt_bool(r.converged)),
        ]
        right = [
            ("Log-Likelihood", fmt_num(r.llf, d)),
            ("LL-Null", fmt_num(r.llnull, d)),
            ("Residual Deviance", fmt_num(r.deviance, d)),
            ("AIC", fmt_num(r.aic, d)),
            ("BIC", fmt_num(r.bic, d)),
            ("Pseudo R-squ.", fmt_num(r.prsquared, 4)),
            (f"LR chi2({fmt_count(lr.df)})", fmt_num(lr.statistic, d)),
            ("LLR p-value", fmt_pvalue(lr.pvalue)),
        ]
        ci = r.conf_int(alpha)
        lo, hi = _interval_labels(alpha)
        classes = list(r.params.columns)
        sections = [
            Section(
                pd.DataFrame({"coef": r.params[c], "std err": r.bse[c], "z": r.tvalues[c],
                              "P>|z|": r.pvalues[c], lo: ci.loc[c, "lower"].to_numpy(),
                              hi: ci.loc[c, "upper"].to_numpy()}, index=r.params.index),
                title=f"{r.endog_name} = {c} (vs {r.reference})",
                pvalue_column="P>|z|",
                estimate_columns=("coef", "std err"),
                statistic_columns=("z",),
            )
            for c in classes
        ]
        super().__init__("Multinomial Logit Results", left, right, sections, notes=_multinomial_notes(r),
                         digits=d)
        self.alpha = alpha
        self.classes = classes


def _multinomial_notes(r):
    notes = []
    if r.n_dropped:
        notes.append(_dropped_note(r.n_dropped, list(r.dropped_columns or [])))
    if r.aliased.any():
        notes.append(_aliased_note(r.aliased.index[r.aliased.to_numpy()]))
    if not r.converged:
        notes.append(f"Newton's method did not converge in {r.n_iter} iterations")
    if r.separation:
        notes.append("Fitted probabilities numerically 0 or 1 occurred: possible (quasi-)perfect separation")
    return notes


class PenalizedSummary(Report):
    """Summary of an elastic-net fit: the fit's header and the coefficients with their penalty weights.

    Parameters
    ----------
    results : PenalizedResults
        Uses ``family``, ``nobs``, ``alpha``, ``l1_ratio``, ``objective``, ``deviance``,
        ``n_nonzero``, ``params``, ``penalty_weights``, ``n_iter``, ``converged`` and ``kkt_max``.

    Attributes
    ----------
    title : str
    tables : list of pandas.DataFrame
        ``tables[0]``: the header block (index = item, column ``value``); ``tables[1]``: the
        columns ``coef`` and ``penalty weight``, indexed by term.
    notes : list of str
        :attr:`NOTE`: why there are no standard errors.

    Notes
    -----
    The line under the table states the objective that was minimised (:attr:`OBJECTIVE`).
    """

    NOTE = ("Penalized estimates: the usual standard errors, z/t statistics, p-values and confidence "
            "intervals are not valid (the estimates are shrunk towards 0 and, with an L1 penalty, the "
            "selected terms depend on the data), so none are reported.")
    OBJECTIVE = ("Objective: 1/(2 sum w) sum w d(y, mu) + alpha * sum_j v_j "
                 "(l1_ratio |b_j| + (1 - l1_ratio)/2 b_j^2)")

    def __init__(self, results):
        r = results
        left = [
            ("Family", str(r.family.name)),
            ("Link", str(r.family.link.name)),
            ("No. observations", fmt_count(r.nobs)),
            ("alpha (penalty)", fmt_num(r.alpha)),
            ("l1_ratio", fmt_num(r.l1_ratio)),
        ]
        right = [
            # the objective to 10 digits: it is what the solver compares across fits and paths
            ("Objective", f"{r.objective:.10g}"),
            ("Deviance", fmt_num(r.deviance)),
            ("Non-zero coefficients", f"{r.n_nonzero} of {len(r.params)}"),
            ("Iterations", fmt_count(r.n_iter)),
            ("Converged", str(r.converged)),
            ("Max KKT violation", f"{r.kkt_max:.2e}"),
        ]
        table = pd.DataFrame({"coef": r.params, "penalty weight": r.penalty_weights})
        super().__init__("Penalized GLM (elastic net) Results", left, right, [Section(table)],
                         lines=[self.OBJECTIVE], notes=[self.NOTE])
