"""How the reports write numbers, p-values and special characters.

Every report (GLM, negative binomial, multinomial, penalized) formats its cells here, so
that the same number prints the same way in each of them and in each output format.
"""

from __future__ import annotations

import numpy as np
from tabulate import DataRow, Line, TableFormat

__all__ = [
    "LATEX_BOOKTABS_RAW",
    "LATEX_ESCAPES",
    "MARKDOWN_ESCAPES",
    "PVALUE_FLOOR",
    "fmt_bool",
    "fmt_count",
    "fmt_num",
    "fmt_pvalue",
    "latex_escape",
    "markdown_escape",
    "notes_lines",
]

# R's format.pval prints "<2e-16" below the machine epsilon.
PVALUE_FLOOR = float(np.finfo(float).eps)

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


def fmt_num(x, digits=6):
    """Format a number with `digits` significant digits.

    Parameters
    ----------
    x : number, None or other
        None and NaN give ``"NA"``, infinities ``"Inf"``/``"-Inf"``; what is not a number is
        shown through ``str``.
    digits : int, default 6

    Returns
    -------
    str
    """
    if x is None:
        return "NA"
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if np.isnan(x):
        return "NA"
    if np.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0:
        return "0"
    if 10.0**digits <= abs(x) < 1e15:
        # Integer part alone already carries >= digits significant digits;
        # avoid the exponent form "1.23457e+06" for large deviances and AICs.
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def fmt_count(x, digits=6):
    """Format a count or degrees of freedom: integers without decimals, else as :func:`fmt_num`.

    Parameters
    ----------
    x : number, None or other
    digits : int, default 6

    Returns
    -------
    str
    """
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return "NA" if x is None else str(x)
    if np.isfinite(xf) and xf == round(xf):
        return str(int(round(xf)))
    return fmt_num(xf, digits)


def fmt_pvalue(p):
    """Format a p-value as R's ``format.pval`` does at the extremes.

    Parameters
    ----------
    p : number or None

    Returns
    -------
    str
        4 significant digits; ``"<2e-16"`` below the machine epsilon; ``"NA"`` for NaN/None.
    """
    try:
        p = float(p)
    except (TypeError, ValueError):
        return "NA"
    if np.isnan(p):
        return "NA"
    if p < PVALUE_FLOOR:
        return "<2e-16"
    return f"{p:.4g}"


def fmt_bool(x):
    """``"yes"``/``"no"`` (``"NA"`` for None).

    Parameters
    ----------
    x : object or None

    Returns
    -------
    str
    """
    if x is None:
        return "NA"
    return "yes" if bool(x) else "no"


def notes_lines(notes):
    """The numbered notes under a text report.

    Parameters
    ----------
    notes : sequence of str

    Returns
    -------
    list of str
        ``"Notes:"`` then ``"[1] ..."``, ``"[2] ..."``; no lines without notes.
    """
    if not notes:
        return []
    return ["Notes:"] + [f"[{i}] {note}" for i, note in enumerate(notes, 1)]
