"""What a result looks like at the prompt and in a notebook: the ``__repr__`` and ``_repr_html_``
of fits, tests, predictions and influence measures, built on :mod:`glmstats.report.table`.

Each function reads the object's public attributes and returns a string; the classes' methods are
one-line calls here, so that every result is displayed by the same code.
"""

from __future__ import annotations

import pandas as pd

from .format import coefmat_cells, fmt_count, fmt_num, fmt_pvalue, format_real
from .table import frame_cells, html_block, html_table, text_block, text_table, wrap_vector

__all__ = ["coef_table", "frame_html", "frame_text", "glm_repr", "model_formula", "multinomial_repr", "ttest_html", "ttest_text",
           "wald_html", "wald_text"]

#: frames longer than this show their first and last rows (R prints all; a notebook should not)
MAX_ROWS = 20


def _shown(frame, max_rows):
    """The rows to show and the note saying how many are left out."""
    n = len(frame)
    if max_rows is None or n <= max_rows:
        return frame, []
    half = max_rows // 2
    return pd.concat([frame.iloc[:half], frame.iloc[n - half:]]), [f"({n - 2 * half} of {n} rows not shown)"]


def _shown_cells(frame, digits, max_rows):
    # cut first, then format the rows shown as one column each: formatting a million rows
    # (~4 us a number) to show twenty would make the repr of a large prediction take seconds
    shown, more = _shown(frame, max_rows)
    return frame_cells(shown, digits), more


def frame_text(frame, *, digits=7, heading=(), notes=(), max_rows=MAX_ROWS):
    """A DataFrame as text, each numeric column formatted as R's ``format(x, digits)``.

    Parameters
    ----------
    frame : pandas.DataFrame
    digits : int, default 7
    heading, notes : sequence of str, default ()
    max_rows : int or None, default 20

    Returns
    -------
    str
    """
    cells, more = _shown_cells(frame, digits, max_rows)
    return text_block(text_table(cells), heading=heading, notes=list(notes) + more)


def frame_html(frame, *, digits=7, heading=(), notes=(), max_rows=MAX_ROWS):
    """A DataFrame as an HTML table (see :func:`frame_text`)."""
    cells, more = _shown_cells(frame, digits, max_rows)
    return html_block(html_table(cells), heading=heading, notes=list(notes) + more)


def coef_table(frame, digits=6):
    """Cells of a table laid out as a summary's: estimate, std err, statistic, p-value, then any other columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns in that order (the p-value fourth), as ``TTestResults.summary_frame``.
    digits : int, default 6

    Returns
    -------
    pandas.DataFrame of str
    """
    cols = list(frame.columns)
    order = cols[:3] + cols[4:] + [cols[3]]
    cells = coefmat_cells(frame[order], digits, cs_ind=(0, 1), tst_ind=(2,), has_pvalue=True)
    return cells[cols].apply(lambda c: c.str.strip())


# --------------------------------------------------------------------------- a fit
def _glm_lines(res, digits=4):
    """R's print.glm: the call line, the coefficients, degrees of freedom and deviances."""
    family = res.family
    head = [f"{type(res).__name__}: {family.name} family, {family.link.name} link",
            f"Formula: {model_formula(res)}", "", "Coefficients:"]
    params = pd.Series(res.params)
    cells = [c.strip() for c in format_real(params.to_numpy(dtype=float), digits)]
    body = wrap_vector([str(n) for n in params.index], cells)
    df_null = res.df_resid + res.df_model
    tail = ["", f"Degrees of Freedom: {fmt_count(df_null)} Total (i.e. Null);  {fmt_count(res.df_resid)} Residual"]
    devs = (f"Null Deviance: {fmt_num(res.null_deviance, digits)}   "
            f"Residual Deviance: {fmt_num(res.deviance, digits)}   AIC: {fmt_num(res.aic, digits)}")
    return head, body, tail + [devs]


def model_formula(res):
    """The fit's formula as written, or ``y ~ x1 + x2`` from the names for the array interface.

    Parameters
    ----------
    res : GLMResults or a results object with ``formula``, ``params`` and ``endog_name``

    Returns
    -------
    str
    """
    formula = getattr(res, "formula", None)
    if formula:
        return str(formula)
    params = getattr(res, "params", None)
    names = [] if params is None else [str(n) for n in params.index]
    return f"{res.endog_name} ~ {' + '.join(names) if names else '1'}"


def glm_repr(res):
    """The short text of a fit (R: ``print.glm``): family, formula, coefficients, deviances.

    Parameters
    ----------
    res : GLMResults

    Returns
    -------
    str
    """
    head, body, tail = _glm_lines(res)
    return "\n".join(head + [body] + tail)


def multinomial_repr(res):
    """The short text of a multinomial fit (R: ``print.multinom``): coefficients by class, deviance, AIC.

    Parameters
    ----------
    res : MultinomialResults

    Returns
    -------
    str
    """
    # R prints the class-by-term matrix with print.default(digits = 4): one format per column
    cells = coefmat_cells(res.params.T, 4, cs_ind=(), tst_ind=(), has_pvalue=False)
    return "\n".join([f"Multinomial logit: {res.endog_name} ({len(res.classes)} classes, reference "
                      f"{res.reference!r}), nobs {res.nobs:g}", "", "Coefficients:", text_table(cells), "",
                      f"Residual Deviance: {fmt_num(res.deviance, 6)}", f"AIC: {fmt_num(res.aic, 6)}"])


# --------------------------------------------------------------------------- tests
def _wald_line(w):
    p = fmt_pvalue(w.pvalue)
    p = p if p.startswith("<") else "= " + p
    if w.distribution == "F":
        return f"F({w.df}, {fmt_num(w.df_denom)}) = {fmt_num(w.statistic)}, p-value {p}"
    return f"chi2({w.df}) = {fmt_num(w.statistic)}, p-value {p}"


def wald_text(w):
    """A Wald test: the restrictions and the statistic with its p-value (R: ``car::linearHypothesis``)."""
    lines = ["Wald test of linear restrictions (R: car::linearHypothesis)"]
    lines += [f"  {r}" for r in w.restrictions]
    return "\n".join(lines + [_wald_line(w)])


def wald_html(w):
    """A Wald test as HTML: the restrictions as a list, the statistic line under it."""
    import html

    items = "".join(f"<li><code>{html.escape(r)}</code></li>" for r in w.restrictions)
    return html_block(f"<ul>{items}</ul>\n<p>{html.escape(_wald_line(w))}</p>",
                      heading=["Wald test of linear restrictions"])


def ttest_text(t, heading):
    """Tests of linear combinations: one row per restriction, formatted as a summary's table."""
    return text_block(text_table(coef_table(t.summary_frame())), heading=[heading])


def ttest_html(t, heading):
    """HTML of :func:`ttest_text`."""
    return html_block(html_table(coef_table(t.summary_frame())), heading=[heading])
