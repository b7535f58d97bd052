"""One report: a model summary as data, rendered to text, HTML, LaTeX or markdown.

A report is a title, a header of (item, value) pairs in two columns, one or more coefficient
sections, optional lines under the tables and numbered notes. The builders in
:mod:`glmstats.report.summary` fill it from a results object (GLM, negative binomial,
multinomial, penalized); the renderers here are the only ones, so every kind of fit reads
the same way in each format.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from tabulate import tabulate

from .format import LATEX_BOOKTABS_RAW, coefmat_cells, latex_escape, markdown_escape, notes_lines
from .table import html_table

__all__ = ["Report", "Section"]


@dataclass(frozen=True, eq=False)
class Section:
    """One coefficient table of a report.

    Parameters
    ----------
    table : pandas.DataFrame
        Floats indexed by term; NaN prints as ``"NA"``.
    title : str, optional
        A line above the table, e.g. ``"Sat = Medium (vs Low)"``.
    pvalue_column : str, optional
        The column printed as a p-value (R's ``format.pval``).
    estimate_columns : tuple of str, default ()
        The estimate and its standard error: formatted together, as R's ``printCoefmat``.
    statistic_columns : tuple of str, default ()
        Test statistics: rounded to ``max(1, min(5, digits - 1))`` decimals first, as R.

    Notes
    -----
    Every other column is formatted on its own with the report's digits (R's
    ``format(x, digits)``): one number of decimals per column, so the points line up.
    """

    table: pd.DataFrame
    title: str | None = None
    pvalue_column: str | None = None
    estimate_columns: tuple = ()
    statistic_columns: tuple = ()

    def cells(self, digits):
        """The table's cells as strings, formatted by column as R's ``printCoefmat``.

        Parameters
        ----------
        digits : int

        Returns
        -------
        pandas.DataFrame of str
            Same index and columns as :attr:`table`; ``"NA"`` for missing values.
        """
        cols = list(self.table.columns)
        # printCoefmat wants the p-value last; the interval columns may follow it here
        order = [c for c in cols if c != self.pvalue_column] + ([self.pvalue_column] if self.pvalue_column else [])
        pos = {c: i for i, c in enumerate(order)}
        cells = coefmat_cells(self.table[order], digits,
                              cs_ind=[pos[c] for c in self.estimate_columns],
                              tst_ind=[pos[c] for c in self.statistic_columns],
                              has_pvalue=self.pvalue_column is not None)
        return cells[cols].apply(lambda col: col.str.strip())


class Report:
    """A model summary: header, coefficient sections, lines and notes, with its renderers.

    Parameters
    ----------
    title : str
    left, right : sequence of (str, str)
        The header items (label, formatted value) of the left and the right column.
    sections : sequence of Section
        The coefficient tables, in order.
    lines : sequence of str, optional
        Lines printed under the tables (e.g. the objective of a penalized fit).
    notes : sequence of str, optional
        Numbered notes at the end (dropped rows, aliased terms, ...).
    digits : int, default 6
        Significant digits of the numbers in the sections.

    Attributes
    ----------
    title, left, right, sections, lines, notes, digits
        As given (lists).
    tables : list of pandas.DataFrame
        ``tables[0]``: the header, one row per item (index ``item``, left column first) with a
        column ``value`` of formatted strings; then each section's table.

    Notes
    -----
    ``str(report)`` (or :meth:`as_text`) is the plain-text report; notebooks use
    :meth:`_repr_html_`; :meth:`render` picks a format by name. :meth:`as_latex` needs
    ``\\usepackage{booktabs}``.
    """

    FORMATS = ("text", "html", "latex", "markdown")

    def __init__(self, title, left=(), right=(), sections=(), *, lines=(), notes=(), digits=6):
        self.title = str(title)
        self.left = [(str(k), str(v)) for k, v in left]
        self.right = [(str(k), str(v)) for k, v in right]
        self.sections = list(sections)
        self.lines = [str(line) for line in lines]
        self.notes = [str(note) for note in notes]
        self.digits = int(digits)

    @property
    def tables(self):
        items = self.left + self.right
        header = pd.DataFrame(
            {"value": [v for _, v in items]},
            index=pd.Index([k for k, _ in items], name="item"),
        )
        return [header] + [section.table for section in self.sections]

    # -------------------------------------------------------- cell matrices
    def _halves(self):
        # a header with one column of items gets no empty second column (no trailing blanks)
        return [half for half in (self.left, self.right) if half]

    def _header_rows(self, colon=True, spacer=False):
        """Rows of key, value, key, value cells (the two columns side by side).

        With `spacer`, an empty middle cell widens the gap between the halves.
        """
        sep = ":" if colon else ""
        halves = self._halves()
        rows = []
        for i in range(max((len(h) for h in halves), default=0)):
            row = []
            for j, half in enumerate(halves):
                if spacer and j == 1:
                    row.append("")
                row += [half[i][0] + sep, half[i][1]] if i < len(half) else ["", ""]
            rows.append(row)
        return rows

    def _header_colalign(self, spacer=False):
        align = []
        for j in range(len(self._halves())):
            if spacer and j == 1:
                align.append("left")
            align += ["left", "right"]
        return tuple(align)

    def _coef_rows(self, section):
        """Header and formatted rows of a section's table ("NA" for NaN)."""
        cells = section.cells(self.digits)
        headers = [""] + [str(c) for c in cells.columns]
        rows = [[str(name)] + list(rec) for name, rec in zip(cells.index, cells.itertuples(index=False))]
        return headers, rows

    def _header_table(self, tablefmt, *, colon=True, spacer=False, escape=str, headers=False):
        rows = self._header_rows(colon=colon, spacer=spacer)
        if not rows:
            return None
        kwargs = {"headers": [""] * len(rows[0])} if headers else {}
        return str(tabulate([[escape(c) for c in r] for r in rows], tablefmt=tablefmt, disable_numparse=True,
                            colalign=self._header_colalign(spacer), **kwargs))

    def _coef_table(self, section, tablefmt, *, escape=str):
        headers, rows = self._coef_rows(section)
        return str(tabulate([[escape(c) for c in r] for r in rows], headers=[escape(h) for h in headers],
                            tablefmt=tablefmt, disable_numparse=True,
                            colalign=("left",) + ("right",) * (len(headers) - 1)))

    # ------------------------------------------------------------- renderers
    def render(self, fmt="text"):
        """The report in one of :attr:`FORMATS`.

        Parameters
        ----------
        fmt : {"text", "html", "latex", "markdown"}

        Returns
        -------
        str
        """
        renderers = {"text": self.as_text, "html": self.as_html, "latex": self.as_latex,
                     "markdown": self.as_markdown}
        if fmt not in renderers:
            choices = ", ".join(repr(f) for f in self.FORMATS)
            raise ValueError(f"fmt must be one of {choices}; got {fmt!r}")
        return renderers[fmt]()

    def as_text(self):
        """Plain-text report: rules of "=" between the blocks, "-" under the column headers.

        Returns
        -------
        str
        """
        head = self._header_table("plain", spacer=True)
        head = head.splitlines() if head is not None else []
        tables = [self._coef_table(section, "plain").splitlines() for section in self.sections]
        titles = [section.title for section in self.sections if section.title]
        width = max(len(line) for line in [self.title] + head + titles + [l for t in tables for l in t])
        rule, thin = "=" * width, "-" * width
        lines = [self.title.center(width).rstrip(), rule]
        if head:
            lines += head + [rule]
        for section, table in zip(self.sections, tables):
            if section.title:
                lines += [section.title, thin]
            lines += [table[0], thin] + table[1:] + [rule]
        return "\n".join(lines + self.lines + notes_lines(self.notes))

    def __str__(self):
        return self.as_text()

    def __repr__(self):
        return self.as_text()

    def as_html(self):
        """HTML report: title, header table, the section tables, lines and notes (escaped).

        Returns
        -------
        str
        """
        parts = ['<div class="glmstats-summary">', f"<p><strong>{html.escape(self.title)}</strong></p>"]
        rows = self._header_rows()
        if rows:
            head = pd.DataFrame(rows)
            parts.append(html_table(head, left=list(head.columns[::2]), row_names=False, header=False))
        for section in self.sections:
            if section.title:
                parts.append(f"<p><em>{html.escape(section.title)}</em></p>")
            headers, rows = self._coef_rows(section)
            parts.append(html_table(pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows],
                                                 columns=headers[1:])))
        parts += [f"<p>{html.escape(line)}</p>" for line in self.lines]
        if self.notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
            parts.append(f"<p>Notes:</p>\n<ol>{items}</ol>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self):
        return self.as_html()

    def as_latex(self):
        """LaTeX report: a ``table`` environment with one booktabs tabular per block.

        Term names, header values, lines and notes are escaped for LaTeX (``_``, ``%``,
        ``&``, braces, brackets, ``<``, ``>``, ``|``, ...).

        Returns
        -------
        str
        """
        esc = latex_escape
        parts = ["\\begin{table}[htbp]", "\\centering", "\\caption{" + esc(self.title) + "}"]
        head = self._header_table(LATEX_BOOKTABS_RAW, escape=esc)
        parts += [head] if head is not None else []
        for section in self.sections:
            parts += ["", "\\medskip"]
            if section.title:
                parts.append(esc(section.title) + "\\par")
            parts.append(self._coef_table(section, LATEX_BOOKTABS_RAW, escape=esc))
        if self.lines or self.notes:
            parts += ["", "\\medskip", "\\begin{minipage}{0.95\\linewidth}\\footnotesize"]
            parts += [esc(line) + "\\par" for line in self.lines]
            if self.notes:
                parts.append("Notes:\\par")
                parts += [f"{esc(f'[{i}]')} {esc(n)}\\par" for i, n in enumerate(self.notes, 1)]
            parts.append("\\end{minipage}")
        parts.append("\\end{table}")
        return "\n".join(parts)

    def as_markdown(self):
        """Markdown report (GitHub pipe tables).

        Returns
        -------
        str
        """
        esc = markdown_escape
        parts = [f"**{esc(self.title)}**"]
        head = self._header_table("pipe", colon=False, escape=esc, headers=True)
        parts += ["", head] if head is not None else []
        for section in self.sections:
            parts.append("")
            if section.title:
                parts += [f"*{esc(section.title)}*", ""]
            parts.append(self._coef_table(section, "pipe", escape=esc))
        for line in self.lines:
            parts += ["", esc(line)]
        if self.notes:
            parts += ["", "Notes:", ""]
            parts += [f"{i}. {esc(n)}" for i, n in enumerate(self.notes, 1)]
        return "\n".join(parts)
