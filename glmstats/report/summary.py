"""Summary report of a fitted GLM, rendered with tabulate.

The report holds R's ``summary.glm`` information (family, link, dispersion,
deviances, AIC, iterations, the coefficient table, notes on dropped rows and
aliased terms) laid out as a header block of two key/value columns and a
coefficient table, in plain text, HTML, LaTeX and Markdown.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from tabulate import tabulate

from .format import (
    LATEX_BOOKTABS_RAW,
    LATEX_ESCAPES,
    MARKDOWN_ESCAPES,
    fmt_bool,
    fmt_count,
    fmt_num,
    fmt_pvalue,
    notes_lines,
)

__all__ = ["Summary"]

TITLE = "Generalized Linear Model Results"

_COV_NOTES = {
    "cluster": "Standard errors are cluster-robust (HC1-type small-sample adjustment; "
    "R: sandwich::vcovCL).",
}


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


class Summary:
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

    Attributes
    ----------
    title : str
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

    def __init__(self, results, alpha=0.05, *, digits=6):
        alpha = float(alpha)
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        self.alpha = alpha
        self.digits = int(digits)
        self.title = TITLE
        self._left, self._right = self._header_items(results)
        header = pd.DataFrame(
            {"value": [v for _, v in self._left + self._right]},
            index=pd.Index([k for k, _ in self._left + self._right], name="item"),
        )
        self.tables = [header, self._coef_table(results)]
        self.notes = self._notes(results)

    # ---------------------------------------------------------------- content
    def _header_items(self, res):
        d = self.digits
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
        # MASS::glm.nb results carry theta; summary.negbin prints it with its SE.
        if getattr(res, "theta", None) is not None:
            right.append(("Theta", fmt_num(res.theta, d)))
            right.append(("Std. Err. theta", fmt_num(getattr(res, "theta_se", None), d)))
        return left, right

    def _coef_table(self, res):
        params = pd.Series(res.params)
        names = params.index
        stat = "t" if bool(getattr(res, "use_t", False)) else "z"
        ci = pd.DataFrame(res.conf_int(self.alpha))
        lo = f"[{self.alpha / 2:g}"
        hi = f"{1 - self.alpha / 2:g}]"
        table = pd.DataFrame(
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
        return table

    def _notes(self, res):
        notes = []
        n_dropped = getattr(res, "n_dropped", 0) or 0
        if n_dropped > 0:
            word = "observation" if n_dropped == 1 else "observations"
            note = f"{n_dropped} {word} deleted due to missingness"
            cols = list(getattr(res, "dropped_columns", None) or [])
            if cols:
                note += f" (missing values in: {_join(cols)})"
            notes.append(note)
        aliased = getattr(res, "aliased", None)
        if aliased is None:
            aliased = pd.Series(res.params).isna()
        aliased = pd.Series(aliased)
        names = list(aliased.index[aliased.astype(bool).to_numpy()])
        if names:
            notes.append(
                f"Coefficients not defined because of singularities: {_join(names)}"
            )
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
                notes.append(
                    _COV_NOTES.get(cov_type, f"Standard errors use covariance type {cov_type}.")
                )
        return notes

    # -------------------------------------------------------- cell matrices
    def _header_rows(self, colon=True, spacer=False):
        """Rows of key, value, key, value cells (the two columns side by side).

        With `spacer`, an empty middle cell widens the gap between the halves.
        """
        sep = ":" if colon else ""
        n = max(len(self._left), len(self._right))
        rows = []
        for i in range(n):
            row = []
            for j, side in enumerate((self._left, self._right)):
                if spacer and j == 1:
                    row.append("")
                if i < len(side):
                    row += [side[i][0] + sep, side[i][1]]
                else:
                    row += ["", ""]
            rows.append(row)
        return rows

    def _coef_rows(self):
        """Header and formatted rows of the coefficient table ("NA" for NaN)."""
        table = self.tables[1]
        pcol = table.columns[3]
        headers = [""] + [str(c) for c in table.columns]
        rows = []
        for name, rec in table.iterrows():
            cells = [str(name)]
            for col in table.columns:
                v = rec[col]
                cells.append(fmt_pvalue(v) if col == pcol else fmt_num(v, self.digits))
            rows.append(cells)
        return headers, rows

    # ------------------------------------------------------------- renderers
    def as_text(self):
        """Plain-text report.

        Returns
        -------
        str
        """
        head = tabulate(
            self._header_rows(spacer=True),
            tablefmt="plain",
            disable_numparse=True,
            colalign=("left", "right", "left", "left", "right"),
        ).splitlines()
        headers, rows = self._coef_rows()
        coef = tabulate(
            rows,
            headers=headers,
            tablefmt="plain",
            disable_numparse=True,
            colalign=("left",) + ("right",) * (len(headers) - 1),
        ).splitlines()
        width = max(len(line) for line in head + coef + [self.title])
        lines = [self.title.center(width).rstrip(), "=" * width]
        lines += head
        lines += ["=" * width, coef[0], "-" * width] + coef[1:] + ["=" * width]
        return "\n".join(lines + notes_lines(self.notes))

    def __str__(self):
        return self.as_text()

    def __repr__(self):
        return self.as_text()

    def as_html(self):
        """HTML report: title, header table, coefficient table and notes (escaped).

        Returns
        -------
        str
        """
        head = tabulate(self._header_rows(), tablefmt="html", disable_numparse=True,
                        colalign=("left", "right", "left", "right"))
        headers, rows = self._coef_rows()
        coef = tabulate(rows, headers=headers, tablefmt="html", disable_numparse=True,
                        colalign=("left",) + ("right",) * (len(headers) - 1))
        parts = ['<div class="glmstats-summary">',
                 f"<p><strong>{html.escape(self.title)}</strong></p>",
                 str(head), str(coef)]
        if self.notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
            parts.append(f"<p>Notes:</p>\n<ol>{items}</ol>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self):
        return self.as_html()

    def as_latex(self):
        """LaTeX report: a ``table`` environment with two booktabs tabulars.

        Term names, header values and notes are escaped for LaTeX
        (``_``, ``%``, ``&``, braces, brackets, ``<``, ``>``, ``|``, ...).

        Returns
        -------
        str
        """
        esc = lambda s: str(s).translate(LATEX_ESCAPES)  # noqa: E731
        head = tabulate([[esc(c) for c in r] for r in self._header_rows()],
                        tablefmt=LATEX_BOOKTABS_RAW, disable_numparse=True,
                        colalign=("left", "right", "left", "right"))
        headers, rows = self._coef_rows()
        coef = tabulate([[esc(c) for c in r] for r in rows],
                        headers=[esc(h) for h in headers],
                        tablefmt=LATEX_BOOKTABS_RAW, disable_numparse=True,
                        colalign=("left",) + ("right",) * (len(headers) - 1))
        parts = ["\\begin{table}[htbp]", "\\centering",
                 "\\caption{" + esc(self.title) + "}", head, "", "\\medskip", coef]
        if self.notes:
            parts += ["", "\\medskip", "\\begin{minipage}{0.95\\linewidth}\\footnotesize",
                      "Notes:\\par"]
            parts += [f"{esc(f'[{i}]')} {esc(n)}\\par" for i, n in enumerate(self.notes, 1)]
            parts.append("\\end{minipage}")
        parts.append("\\end{table}")
        return "\n".join(parts)

    def as_markdown(self):
        """Markdown (GitHub pipe tables) report.

        Returns
        -------
        str
        """
        esc = lambda s: str(s).translate(MARKDOWN_ESCAPES)  # noqa: E731
        head = tabulate([[esc(c) for c in r] for r in self._header_rows(colon=False)],
                        headers=["", "", "", ""], tablefmt="pipe", disable_numparse=True,
                        colalign=("left", "right", "left", "right"))
        headers, rows = self._coef_rows()
        coef = tabulate([[esc(c) for c in r] for r in rows],
                        headers=[esc(h) for h in headers], tablefmt="pipe",
                        disable_numparse=True,
                        colalign=("left",) + ("right",) * (len(headers) - 1))
        parts = [f"**{esc(self.title)}**", "", head, "", coef]
        if self.notes:
            parts += ["", "Notes:", ""]
            parts += [f"{i}. {esc(n)}" for i, n in enumerate(self.notes, 1)]
        return "\n".join(parts)
