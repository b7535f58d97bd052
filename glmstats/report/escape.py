"""Escapes for the LaTeX and markdown renderers, and the raw booktabs table format.

Kept apart from :mod:`glmstats.report.format` (which writes the numbers) so that each module
reads in one sitting; ``format`` re-exports these names for the code that imported them there.
"""

from __future__ import annotations

from tabulate import DataRow, Line, TableFormat

__all__ = ["LATEX_BOOKTABS_RAW", "LATEX_ESCAPES", "MARKDOWN_ESCAPES", "latex_escape", "markdown_escape"]

# One pass over the characters, so that the replacements are never escaped again.
# Brackets are braced: a "[" after "\\" would otherwise be read as "\\[<length>]".
LATEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
        "[": "{[}",
        "]": "{]}",
    }
)

MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\|*_`"})


def latex_escape(text):
    """`text` (any object, through ``str``) with LaTeX's special characters escaped.

    Parameters
    ----------
    text : object

    Returns
    -------
    str
    """
    return str(text).translate(LATEX_ESCAPES)


def markdown_escape(text):
    """`text` (any object, through ``str``) with the characters that break a pipe table escaped.

    Parameters
    ----------
    text : object

    Returns
    -------
    str
    """
    return str(text).translate(MARKDOWN_ESCAPES)


def _latex_begin(colwidths, colaligns):
    spec = "".join("r" if a in ("right", "decimal") else "l" for a in colaligns)
    return "\\begin{tabular}{" + spec + "}\n\\toprule"


# tabulate's own "latex_booktabs" escapes every cell again; the cells here are
# escaped beforehand (braces included), so the format must leave them alone.
LATEX_BOOKTABS_RAW = TableFormat(
    lineabove=_latex_begin,
    linebelowheader=Line("\\midrule", "", "", ""),
    linebetweenrows=None,
    linebelow=Line("\\bottomrule\n\\end{tabular}", "", "", ""),
    headerrow=DataRow("", "&", "\\\\"),
    datarow=DataRow("", "&", "\\\\"),
    padding=1,
    with_header_hide=None,
)
