"""Several fitted models side by side: ``gs.compare([res1, res2, ...])``.

R users know the table from ``modelsummary``, ``texreg::screenreg`` or ``stargazer``; statsmodels
users from ``summary_col``. A :class:`Comparison` is a :class:`~glmstats.report.report.Report`
(the same renderers as every summary: text, HTML, LaTeX, markdown) with two sections:

- the coefficients, one column per model, each term's estimate with its standard error in
  parentheses (or its confidence interval in brackets) in the row below, terms in the order
  they are first seen, blank where a model has no such term;
- the model statistics: observations, residual degrees of freedom, deviance, log-likelihood,
  AIC, BIC, dispersion, and theta (negative binomial) or the penalty (elastic net) when a
  model has them.

Every cell is formatted by :func:`_cell`, the one place that calls the report's number
formatters; the report's renderers then lay the text cells out as they are
(:meth:`Comparison._coef_rows`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .format import coefmat_cells, fmt_count, fmt_num
from .report import Report, Section

__all__ = ["Comparison", "SIGNIF_CODES", "SIGNIF_LEGEND", "compare", "significance_stars"]

#: R's significance codes (``symnum`` in ``printCoefmat``): a p-value at or below the cut gets the code.
SIGNIF_CODES = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."))

#: R's legend of the codes.
SIGNIF_LEGEND = "Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"

TITLE = "Model comparison"

# (label, attribute, formatter kind) of the statistics section, in order; theta and the penalty get
# a row only when some model has them (the penalty only from penalized fits: a negative binomial's
# ``alpha`` is 1/theta)
_STATS = (
    ("No. Observations", "nobs", "count"),
    ("Df Residuals", "df_resid", "count"),
    ("Deviance", "deviance", "num"),
    ("Log-Likelihood", "llf", "num"),
    ("AIC", "aic", "num"),
    ("BIC", "bic", "num"),
    ("Dispersion", "scale", "num"),
    ("Theta", "theta", "num"),
    ("Penalty alpha", "alpha", "num"),
    ("l1_ratio", "l1_ratio", "num"),
)
_OPTIONAL_STATS = ("Theta", "Penalty alpha", "l1_ratio")
_PENALTY_STATS = ("alpha", "l1_ratio")


def significance_stars(p):
    """R's significance code of a p-value (``printCoefmat``'s stars).

    Parameters
    ----------
    p : float

    Returns
    -------
    str
        ``"***"`` for p <= 0.001, ``"**"`` for p <= 0.01, ``"*"`` for p <= 0.05, ``"."`` for
        p <= 0.1, else (and for NaN) ``""``.

    Notes
    -----
    R: ``symnum(p, cutpoints = c(0, 0.001, 0.01, 0.05, 0.1, 1), symbols = c("***", "**", "*",
    ".", " "))``, whose intervals are closed on the right: p = 0.05 gets ``"*"``.
    """
    try:
        p = float(p)
    except (TypeError, ValueError):
        return ""
    for cut, code in SIGNIF_CODES:
        if p <= cut:  # NaN compares False throughout
            return code
    return ""


def _cell(value, kind="num", digits=4):
    """A cell's text: None (the model has no such entry) is blank, NaN is R's ``NA``."""
    if value is None:
        return ""
    return fmt_count(value, digits) if kind == "count" else fmt_num(value, digits)


# --------------------------------------------------------------------------------------------
# what a column of the table reads from a results object
def _supported_types():
    from ..models.penalized import PenalizedResults
    from ..models.results import GLMResults

    return GLMResults, PenalizedResults


def _check_model(res, position):
    glm_type, penalized_type = _supported_types()
    if isinstance(res, (glm_type, penalized_type)):
        return isinstance(res, penalized_type)
    kind = type(res)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    hint = ""
    if kind.__name__ == "MultinomialResults":
        hint = (" (a multinomial fit has one coefficient column per non-reference class; its summary() shows "
                "them side by side)")
    elif hasattr(res, "fit") and not hasattr(res, "params"):
        hint = " (a model: call .fit() and compare its results)"
    raise TypeError(f"compare() takes fitted GLM results (GLMResults, glm_nb's NegativeBinomialResults, "
                    f"fit_regularized's PenalizedResults); model {position} has type {name}{hint}")


def _stat(res, attr):
    """A statistic of a fit, None when that kind of fit has none (penalized: no llf, AIC, dispersion)."""
    value = getattr(res, attr, None)
    if value is None or isinstance(value, (bool, np.bool_)):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _names(results, names):
    if isinstance(results, dict):
        if names is not None:
            raise ValueError("pass names= or a dict of {name: results}, not both")
        names, results = list(results), list(results.values())
    elif hasattr(results, "params") and not isinstance(results, (list, tuple)):
        results = [results]  # one model alone: a one-column table
    else:
        results = list(results)
    if not results:
        raise ValueError("compare() needs at least one fitted model")
    if names is None:
        names = [f"({i})" for i in range(1, len(results) + 1)]
    names = [str(n) for n in names]
    if len(names) != len(results):
        raise ValueError(f"names has {len(names)} entries for {len(results)} models")
    if len(set(names)) != len(names):
        raise ValueError(f"the model names must differ; got {names}")
    return results, names


# --------------------------------------------------------------------------------------------
class Comparison(Report):
    """Fitted models side by side: coefficients, their uncertainty, and fit statistics.

    Build it with :func:`compare`.

    Attributes
    ----------
    table : pandas.DataFrame
        The table as displayed (strings), one column per model: each term's row, the row of its
        standard error or interval below it (index ``""``), then the statistics' rows. Blank
        where a model has no such term or statistic, ``"NA"`` where it is not defined (an
        aliased coefficient, the AIC of a quasi family).
    params, bse, pvalues : pandas.DataFrame
        The numbers behind the cells: terms x models, NaN where a model has no such term
        (``bse`` and ``pvalues`` also NaN for penalized fits).
    conf_int : pandas.DataFrame
        Columns (model, ``"lower"``/``"upper"``): the Wald intervals at level 1 - alpha.
    stats : pandas.DataFrame
        Statistics x models (floats; NaN where not defined or not applicable).
    names : list of str
    notes : list of str
        What the cells hold, the significance legend, and warnings (different numbers of
        observations or responses, robust standard errors, penalized fits).

    Notes
    -----
    ``str(comparison)`` (or :meth:`as_text`) is the plain-text table; notebooks use
    :meth:`_repr_html_`; :meth:`render` picks ``"text"``, ``"html"``, ``"latex"`` or
    ``"markdown"``. :meth:`as_latex` needs ``\\usepackage{booktabs}``.
    """

    def __init__(self, results, names, *, stat="se", alpha=0.05, stars=False, digits=4):
        self.names = list(names)
        self.stat, self.alpha, self.stars = stat, alpha, bool(stars)
        penalized = [_check_model(res, i) for i, res in enumerate(results, 1)]
        self._penalized = dict(zip(self.names, penalized))
        self._collect(results, penalized)
        coef = self._coefficient_cells(digits)
        stats = self._stat_cells(digits)
        self.table = pd.concat([coef, stats])
        super().__init__(TITLE, sections=[Section(coef), Section(stats)],
                         notes=self._notes(results, penalized), digits=digits)

    # the numbers ---------------------------------------------------------------------------
    def _collect(self, results, penalized):
        terms = list(dict.fromkeys(t for res in results for t in res.params.index))  # first-seen order
        index = pd.Index(terms, dtype=object)
        nan = pd.Series(np.nan, index=index)
        self.params = pd.DataFrame({n: r.params.reindex(index) for n, r in zip(self.names, results)})
        self.bse = pd.DataFrame({n: nan if p else r.bse.reindex(index)
                                 for n, r, p in zip(self.names, results, penalized)})
        self.pvalues = pd.DataFrame({n: nan if p else r.pvalues.reindex(index)
                                     for n, r, p in zip(self.names, results, penalized)})
        bounds = {}
        for n, r, p in zip(self.names, results, penalized):
            ci = pd.DataFrame({"lower": nan, "upper": nan}) if p else r.conf_int(self.alpha).reindex(index)
            bounds[(n, "lower")], bounds[(n, "upper")] = ci["lower"], ci["upper"]
        self.conf_int = pd.DataFrame(bounds)
        self._has_term = pd.DataFrame({n: index.isin(r.params.index) for n, r in zip(self.names, results)},
                                      index=index)
        rows = {label: [_stat(r, attr) if p or attr not in _PENALTY_STATS else None
                        for r, p in zip(results, penalized)] for label, attr, _ in _STATS}
        rows = {label: values for label, values in rows.items()
                if label not in _OPTIONAL_STATS or any(v is not None for v in values)}
        self._stat_values = rows
        self.stats = pd.DataFrame({n: [np.nan if v[j] is None else v[j] for v in rows.values()]
                                   for j, n in enumerate(self.names)}, index=pd.Index(list(rows), dtype=object))

    # the cells -----------------------------------------------------------------------------
    def _coefficient_cells(self, digits):
        formatted = {name: self._model_cells(name, digits) for name in self.names}
        rows, labels = [], []
        for term in self.params.index:
            top, below = [], []
            for name in self.names:
                if not self._has_term.at[term, name]:
                    top.append("")
                    below.append("")
                    continue
                est, unc = formatted[name].loc[term, "est"], formatted[name].loc[term, "unc"]
                b = self.params.at[term, name]
                top.append(est + (significance_stars(self.pvalues.at[term, name])
                                  if self.stars and np.isfinite(b) else ""))
                below.append(unc)
            rows += [top, below]
            labels += [str(term), ""]
        return pd.DataFrame(rows, index=pd.Index(labels, dtype=object), columns=self.names)

    def _model_cells(self, name, digits):
        """One model's estimate and uncertainty cells, its numbers formatted together as R's ``printCoefmat``
        formats an estimate and its standard error (one number of decimals for the column, so that the points
        line up)."""
        terms = self.params.index[self._has_term[name].to_numpy()]
        table = pd.DataFrame({"est": self.params.loc[terms, name]})
        if not self._penalized[name]:
            if self.stat == "se":
                table["se"] = self.bse.loc[terms, name]
            else:
                table["lower"] = self.conf_int.loc[terms, (name, "lower")]
                table["upper"] = self.conf_int.loc[terms, (name, "upper")]
        cells = coefmat_cells(table, digits, cs_ind=tuple(range(table.shape[1])), tst_ind=(), has_pvalue=False)
        cells = cells.apply(lambda col: col.str.strip())
        if self._penalized[name]:
            unc = pd.Series("", index=terms)
        elif self.stat == "se":
            unc = "(" + cells["se"] + ")"
        else:
            unc = "[" + cells["lower"] + ", " + cells["upper"] + "]"
        return pd.DataFrame({"est": cells["est"], "unc": unc})

    def _stat_cells(self, digits):
        kinds = {label: kind for label, _, kind in _STATS}
        rows = [[_cell(v, kinds[label], digits) for v in values] for label, values in self._stat_values.items()]
        return pd.DataFrame(rows, index=pd.Index(list(self._stat_values), dtype=object), columns=self.names)

    def _coef_rows(self, section):
        # the cells are text already (_cell): the report's renderers lay them out as they are
        table = section.table
        return [""] + [str(c) for c in table.columns], [[str(i)] + list(r) for i, r in zip(table.index, table.to_numpy())]

    # the notes -----------------------------------------------------------------------------
    def _notes(self, results, penalized):
        level = f"{100 * (1 - self.alpha):g}%"
        notes = [("Standard errors in parentheses." if self.stat == "se" else
                  f"{level} Wald confidence intervals in brackets (t quantiles where the dispersion is estimated, "
                  "normal ones where it is fixed).")]
        if self.stars:
            notes.append(SIGNIF_LEGEND + " (Wald p-values, as in each model's summary).")
        if self.params.isna().to_numpy()[self._has_term.to_numpy()].any():
            notes.append("NA: coefficient not defined because of singularities (aliased).")
        robust = [f"{n} ({r.cov_type})" for n, r, p in zip(self.names, results, penalized)
                  if not p and getattr(r, "cov_type", "nonrobust") != "nonrobust"]
        if robust:
            notes.append("Robust standard errors: " + ", ".join(robust) + ".")
        pen = [n for n, p in zip(self.names, penalized) if p]
        if pen:
            notes.append(f"{', '.join(pen)}: penalized (elastic-net) estimates, shrunk towards 0. Standard errors, "
                         "intervals, p-values and likelihood-based statistics are not valid for them, so none are "
                         "shown; 'Penalty alpha' and 'l1_ratio' give the penalty.")
        nobs = [_stat(r, "nobs") for r in results]
        if len(set(nobs)) > 1:
            counts = ", ".join(f"{n}: {_cell(v, 'count')}" for n, v in zip(self.names, nobs))
            notes.append(f"The models were fitted to different numbers of observations ({counts}): their deviances, "
                         "log-likelihoods, AICs and BICs are not comparable.")
        responses = [getattr(r, "endog_name", None) or getattr(getattr(r, "model", None), "endog_name", None)
                     for r in results]
        if len({str(y) for y in responses}) > 1:
            notes.append("The models have different responses (" + ", ".join(
                f"{n}: {y}" for n, y in zip(self.names, responses)) + ").")
        return notes


def compare(results, *, names=None, stat="se", alpha=0.05, stars=False, digits=4):
    """Fitted models side by side: coefficients with standard errors (or intervals) and fit statistics.

    Parameters
    ----------
    results : sequence of results, or dict {name: results}
        Fitted :class:`~glmstats.GLMResults` (``glm(...).fit()``), negative binomial results
        (``glm_nb(...).fit()``) or penalized results (``fit_regularized``), in the order of the
        columns. Anything else (a multinomial fit, an unfitted model) is a TypeError naming it.
    names : sequence of str, optional
        Column headings; default ``(1)``, ``(2)``, ... (a dict's keys when ``results`` is a dict).
    stat : {"se", "ci"}
        Below each estimate: its standard error in parentheses, or its Wald confidence interval
        ``[lower, upper]`` at level 1 - alpha (``res.conf_int(alpha)``: t quantiles when the
        dispersion is estimated).
    alpha : float, default 0.05
        The intervals' level (with ``stat="ci"``).
    stars : bool, default False
        Append R's significance codes to the estimates (p <= 0.001 ``***``, 0.01 ``**``,
        0.05 ``*``, 0.1 ``.``; the models' Wald p-values) and the legend as a note.
    digits : int, default 4
        Significant digits of the cells.

    Returns
    -------
    Comparison
        ``str()`` / ``as_text()``, ``as_html()`` / ``_repr_html_()``, ``as_latex()``,
        ``as_markdown()``, ``render(fmt)``; ``.table`` the cells as a DataFrame; ``.params``,
        ``.bse``, ``.pvalues``, ``.conf_int``, ``.stats`` the numbers behind them.

    Notes
    -----
    Terms are listed in the order they first appear, model by model. A blank cell means the model
    has no such term (or statistic: a penalized fit has no log-likelihood); ``NA`` means it is not
    defined (an aliased coefficient, the AIC of a quasi family, as R prints them). A note says
    when the models were fitted to different numbers of observations, whose deviances and
    information criteria cannot be compared. For nested GLMs, :func:`glmstats.anova` tests the
    difference.

    Examples
    --------
    >>> d = gs.datasets.load("warpbreaks")
    >>> pois = gs.glm("breaks ~ wool + tension", d, family="poisson").fit()
    >>> nb = gs.glm_nb("breaks ~ wool + tension", d).fit()
    >>> print(gs.compare({"Poisson": pois, "NB": nb}, stars=True))
    """
    if stat not in ("se", "ci"):
        raise ValueError(f'stat must be "se" or "ci", got {stat!r}')
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if not (isinstance(digits, (int, np.integer)) and digits >= 1):
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    results, names = _names(results, names)
    return Comparison(results, names, stat=stat, alpha=alpha, stars=stars, digits=int(digits))
