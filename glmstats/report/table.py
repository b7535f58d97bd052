"""Tables of strings laid out as R prints them, in plain text and in HTML: the one renderer behind
every result's ``__repr__`` and ``_repr_html_`` (anova and drop1 tables, tests, predictions,
influence measures, the short repr of a fit).

The cells come formatted (:mod:`glmstats.report.format`, a column at a time); this module only
places them: in text as R's ``print.default`` places a character matrix (row names left-aligned,
columns right-aligned, one space apart), in HTML as a typeset table whose numbers are right-aligned
in tabular figures (``font-variant-numeric: tabular-nums``), so that equal decimals line up.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .format import anova_cells, format_real

__all__ = ["AnovaTable", "LRTable", "frame_cells", "html_block", "html_table", "text_block", "text_table",
           "wrap_vector"]

TABLE_STYLE = "border-collapse: collapse; font-variant-numeric: tabular-nums;"
NUM_STYLE = "text-align: right; padding: 0.1em 0.6em;"
TEXT_STYLE = "text-align: left; padding: 0.1em 0.6em;"


def frame_cells(frame, digits=7, na="NA"):
    """A DataFrame's cells as strings, each numeric column formatted on its own as R's ``format``.

    Parameters
    ----------
    frame : pandas.DataFrame
    digits : int, default 7
    na : str, default "NA"

    Returns
    -------
    pandas.DataFrame of str
        Numeric columns right-justified to a common width; other columns through ``str``
        (booleans as R's ``TRUE``/``FALSE``).
    """
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = ["TRUE" if v else "FALSE" for v in s]
        elif pd.api.types.is_numeric_dtype(s):
            out[col] = [c.strip() for c in format_real(s.to_numpy(dtype=float), digits, na=na)]
        else:
            out[col] = [na if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in s]
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _numeric_columns(cells, left):
    return [c not in left for c in cells.columns]


def text_table(cells, *, left=(), row_names=True):
    """`cells` laid out as R's ``print.default`` of a character matrix (``right = TRUE``).

    Parameters
    ----------
    cells : pandas.DataFrame of str
    left : collection of column names, default ()
        Columns aligned left (text, not numbers).
    row_names : bool, default True

    Returns
    -------
    str
        No trailing blanks on any line.
    """
    cols = [str(c) for c in cells.columns]
    body = [[str(v) for v in row] for row in cells.itertuples(index=False)]
    columns = []
    if row_names:
        names = [str(i) for i in cells.index]
        width = max([len(n) for n in names] + [0])
        columns.append([""] + names)
        widths, aligns = [width], ["left"]
    else:
        widths, aligns = [], []
    for j, col in enumerate(cols):
        column = [col] + [row[j] for row in body]
        columns.append(column)
        widths.append(max(len(v) for v in column))
        aligns.append("left" if cells.columns[j] in left else "right")
    lines = []
    for i in range(len(body) + 1):
        parts = [(c[i].ljust(w) if a == "left" else c[i].rjust(w)) for c, w, a in zip(columns, widths, aligns)]
        lines.append(" ".join(parts).rstrip())
    return "\n".join(lines)


def text_block(table, *, heading=(), notes=()):
    """Heading lines, a blank line, the table and the notes, as one string (R's print of an anova)."""
    parts = list(heading)
    if heading:
        parts.append("")
    parts.append(table)
    return "\n".join(parts + list(notes))


def html_table(cells, *, left=(), row_names=True, caption=None, header=True):
    """`cells` as an HTML table: header row, row names as row headers, numbers right-aligned.

    Parameters
    ----------
    cells : pandas.DataFrame of str
    left : collection of column names, default ()
        Columns aligned left.
    row_names : bool, default True
    caption : str, optional
    header : bool, default True
        Whether to write the column names as a header row.

    Returns
    -------
    str
        Every text escaped; numbers in tabular figures so that the decimals of a column line up.
    """
    esc = html.escape
    numeric = _numeric_columns(cells, left)
    parts = [f'<table class="glmstats-table" style="{TABLE_STYLE}">']
    if caption:
        parts.append(f"<caption>{esc(str(caption))}</caption>")
    head = ['<th style="{}"></th>'.format(TEXT_STYLE)] if row_names else []
    head += [f'<th style="{NUM_STYLE if num else TEXT_STYLE}">{esc(str(c))}</th>'
             for c, num in zip(cells.columns, numeric)]
    if header:
        parts.append("<thead><tr>" + "".join(head) + "</tr></thead>")
    parts.append("<tbody>")
    for name, row in zip(cells.index, cells.itertuples(index=False)):
        tds = [f'<th style="{TEXT_STYLE}">{esc(str(name))}</th>'] if row_names else []
        tds += [f'<td style="{NUM_STYLE if num else TEXT_STYLE}">{esc(str(v).strip())}</td>'
                for v, num in zip(row, numeric)]
        parts.append("<tr>" + "".join(tds) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def html_block(body, *, heading=(), notes=(), cls="glmstats-display"):
    """A ``<div>``: the heading lines (the first in bold), `body` (HTML, already escaped), the notes.

    Parameters
    ----------
    body : str
    heading : sequence of str, default ()
    notes : sequence of str, default ()
    cls : str, default "glmstats-display"

    Returns
    -------
    str
    """
    lines = [line for line in heading if line.strip()]
    parts = [f'<div class="{html.escape(cls)}">']
    for i, line in enumerate(lines):
        text = html.escape(line)
        parts.append(f"<p><strong>{text}</strong></p>" if i == 0 else f"<p>{text}</p>")
    parts.append(body)
    parts += [f'<p style="font-size: smaller;">{html.escape(n)}</p>' for n in notes]
    parts.append("</div>")
    return "\n".join(parts)


def wrap_vector(names, cells, width=80, gap=2):
    """A named vector as R prints it: names over values, right-aligned, wrapped at `width`.

    Parameters
    ----------
    names, cells : sequence of str
    width : int, default 80
    gap : int, default 2
        Blanks between entries (R's ``print.gap``).

    Returns
    -------
    str
    """
    widths = [max(len(n), len(c)) for n, c in zip(names, cells)]
    lines, start = [], 0
    while start < len(widths):
        stop, used = start, 0
        while stop < len(widths) and (stop == start or used + gap + widths[stop] <= width):
            used += widths[stop] + (gap if stop > start else 0)
            stop += 1
        sep = " " * gap
        lines.append(sep.join(n.rjust(w) for n, w in zip(names[start:stop], widths[start:stop])).rstrip())
        lines.append(sep.join(c.rjust(w) for c, w in zip(cells[start:stop], widths[start:stop])).rstrip())
        start = stop
    return "\n".join(lines)


class AnovaTable(pd.DataFrame):
    """An analysis-of-deviance (or drop1) table: a DataFrame that prints as R's ``print.anova``.

    The data are those of a plain DataFrame -- R's column names, NaN where R prints nothing --
    and stay so under pandas operations; only the display differs: the heading lines
    (``"Analysis of Deviance Table"``, ``"Model 1: ..."``), integer degrees of freedom, each
    column formatted as R formats it (digits 5), p-values by ``format.pval``, blanks for NaN.

    Attributes
    ----------
    heading : list of str
        The lines printed above the table.
    """

    _metadata = ["heading"]
    heading = ()

    @property
    def _constructor(self):
        return AnovaTable

    @classmethod
    def wrap(cls, frame, heading):
        """`frame` (a DataFrame) as an AnovaTable with `heading`."""
        out = cls(frame)
        out.heading = list(heading)
        return out

    def cells(self, digits=5):
        """The formatted cells (``print.anova``'s rules), a DataFrame of str."""
        return anova_cells(pd.DataFrame(self), digits)

    def _is_anova(self):
        # a transpose or a selection without the degrees of freedom is no longer R's table
        return any(str(c).endswith("Df") for c in self.columns)

    def __repr__(self):
        if not self._is_anova():
            return pd.DataFrame(self).__repr__()
        return text_block(text_table(self.cells()), heading=list(self.heading))

    def __str__(self):
        return self.__repr__()

    def _repr_html_(self):
        if not self._is_anova():
            return pd.DataFrame(self)._repr_html_()
        return html_block(html_table(self.cells()), heading=list(self.heading))


class LRTable(AnovaTable):
    """A table of likelihood-ratio tests (MASS's ``Anova`` class, e.g. ``anova.negbin``): a DataFrame that
    prints as MASS's ``print.Anova``.

    The heading lines, then each column formatted on its own as R's ``format.data.frame`` (7 significant
    digits), blanks for NaN, text columns right-aligned as ``print.data.frame`` does.
    """

    @property
    def _constructor(self):
        return LRTable

    def cells(self, digits=7):
        """The formatted cells (``print.Anova``'s rules), a DataFrame of str."""
        return frame_cells(pd.DataFrame(self), digits, na="")

    def _is_anova(self):
        return "LR stat." in self.columns
