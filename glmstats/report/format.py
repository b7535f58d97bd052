"""Numbers as R prints them: a column at a time, not cell by cell.

R never formats one number alone when it prints a table: ``format(x, digits = d)`` chooses one
layout for the whole vector (the same number of decimals so that the points line up, fixed or
scientific for all of it), and ``printCoefmat`` formats the estimates and their standard errors
together, rounds the test statistics and writes the p-values with ``format.pval``. This module
ports those rules (R 4.2: ``formatReal`` and ``scientific`` in src/main/format.c, ``format.pval`` in
base, ``printCoefmat`` and ``print.anova`` in stats; R's ``round`` is in :mod:`.rounding`), so
that every report, table and ``repr`` writes its numbers the way R would.

NA and NaN are the same here (pandas' missing value); both print as the `na` string.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .escape import LATEX_BOOKTABS_RAW, LATEX_ESCAPES, MARKDOWN_ESCAPES, latex_escape, markdown_escape
from .rounding import r_round, zapsmall

__all__ = [
    "LATEX_BOOKTABS_RAW",
    "LATEX_ESCAPES",
    "MARKDOWN_ESCAPES",
    "PVALUE_FLOOR",
    "anova_cells",
    "coefmat_cells",
    "fmt_bool",
    "fmt_count",
    "fmt_num",
    "fmt_pvalue",
    "format_pval",
    "format_real",
    "latex_escape",
    "markdown_escape",
    "notes_lines",
    "r_round",
    "zapsmall",
]

# R's .Machine$double.eps: format.pval prints "<2e-16" below it.
PVALUE_FLOOR = float(np.finfo(float).eps)

# scientific() scales by exact powers of ten in long double (64-bit mantissa on x86-64, as
# R's own build); 1e23..1e27 are C double literals in R's table, so they are not exact either.
_TBL = [np.longdouble(float(f"1e{k}")) for k in range(28)]
_KP_MAX = 27
_DBL_DIG = 15


def _scientific(x, digits):
    """(negative, kpower, nsig, roundingwidens) of one finite x, as R's scientific()."""
    if x == 0.0:
        return False, 0, 1, False
    neg, r = bool(x < 0), abs(float(x))
    if digits >= _DBL_DIG + 1:
        buff = "%#.*e" % (digits - 1, r)
        i = digits
        while i >= 2 and buff[i] == "0":
            i -= 1
        return neg, int(buff[digits + 2:]), i, False
    kp = math.floor(math.log10(r)) - digits + 1
    r_prec = np.longdouble(r)
    if abs(kp) <= _KP_MAX:
        if kp > 0:
            r_prec /= _TBL[kp]
        elif kp < 0:
            r_prec *= _TBL[-kp]
    else:
        r_prec /= np.power(np.longdouble(10.0), np.longdouble(kp))
    if r_prec < _TBL[digits - 1]:
        r_prec *= 10
        kp -= 1
    alpha = float(np.rint(r_prec))
    nsig = digits
    for _ in range(digits):
        alpha /= 10.0
        if alpha == math.floor(alpha):
            nsig -= 1
        else:
            break
    if nsig == 0:
        nsig, kp = 1, kp + 1
    kpower = kp + digits - 1
    # 9996 at 3 digits is 1e+04 in scientific but 9996 in fixed: the fixed form is not widened
    rgt = min(max(digits - kpower, 0), _KP_MAX)
    fuzz = np.longdouble(0.5 / float(_TBL[rgt]))
    widens = 0 < kpower <= _KP_MAX and np.longdouble(r) < _TBL[kpower] - fuzz
    return neg, kpower, nsig, bool(widens)


def _format_info(x, digits, nsmall=0, scipen=0, na_width=2):
    """(width, decimals, exponent digits - 1 or 0 for fixed) of a vector, as R's formatReal()."""
    neg = False
    mnl = None
    mxl = rgt = mxsl = mxns = None
    na = posinf = neginf = False
    for v in map(float, x):
        if math.isnan(v):
            na = True
            continue
        if math.isinf(v):
            posinf, neginf = posinf or v > 0, neginf or v < 0
            continue
        neg_i, kpower, nsig, widens = _scientific(v, digits)
        left = kpower + 1 - (1 if widens else 0)
        sleft = neg_i + (1 if left <= 0 else left)
        right = nsig - left
        neg = neg or neg_i
        rgt = right if rgt is None else max(rgt, right)
        mxl = left if mxl is None else max(mxl, left)
        mnl = left if mnl is None else min(mnl, left)
        mxsl = sleft if mxsl is None else max(mxsl, sleft)
        mxns = nsig if mxns is None else max(mxns, nsig)
    if mxns is None:  # nothing finite
        w, d, e = 0, 0, 0
    else:
        if mxl < 0:
            mxsl = 1 + int(neg)
        rgt = max(rgt, 0)
        w_fixed = mxsl + rgt + (rgt != 0)
        e = 2 if (mxl > 100 or mnl <= -99) else 1
        d = mxns - 1
        w = int(neg) + (d > 0) + d + 4 + e
        if w_fixed <= w + scipen:  # fixed whenever it is no wider than scientific
            e = 0
            if nsmall > rgt:
                rgt = nsmall
                w_fixed = mxsl + rgt + (rgt != 0)
            d, w = rgt, w_fixed
    if na:
        w = max(w, na_width)
    if posinf:
        w = max(w, 3)
    if neginf:
        w = max(w, 4)
    return w, d, e


def _encode(v, w, d, e, na):
    if math.isnan(v):
        return na.rjust(w)
    if math.isinf(v):
        return ("Inf" if v > 0 else "-Inf").rjust(w)
    v = 0.0 if v == 0.0 else v  # no "-0"
    if e:
        return ("%#*.*e" if d else "%*.*e") % (w, d, v)
    return "%*.*f" % (w, d, v)


def format_real(x, digits=7, *, nsmall=0, na="NA", trim=False):
    """R's ``format(x, digits = digits)`` of a numeric vector: one layout for all elements.

    Parameters
    ----------
    x : array_like of float
        NaN (and None) print as `na`.
    digits : int, default 7
        Significant digits the element needing most of them must show; the others get the same
        number of decimals (fixed) or of mantissa digits (scientific).
    nsmall : int, default 0
        At least this many decimals in fixed notation (R's ``nsmall``).
    na : str, default "NA"
    trim : bool, default False
        False pads every string to the common width (right-justified), as R; True strips.

    Returns
    -------
    list of str

    Notes
    -----
    R's ``formatReal`` with ``scipen = 0``: for each finite value the significant digits needed
    (at most `digits`) and its decimal exponent; fixed notation is used whenever its width is no
    more than the scientific width, else scientific for the whole vector.
    """
    a = pd.to_numeric(pd.Series(np.asarray(x, dtype=object).ravel()), errors="coerce").to_numpy(float)
    digits = int(digits)
    if not 1 <= digits <= 22:
        raise ValueError(f"digits must be in 1..22, got {digits}")
    w, d, e = _format_info(a, digits, nsmall, na_width=len(na))
    out = [_encode(float(v), w, d, e, na) for v in a]
    return [s.strip() for s in out] if trim else out


def format_pval(pv, digits=5, eps=PVALUE_FLOOR, na="NA"):
    """R's ``format.pval(pv, digits, eps)``: p-values, those below `eps` as ``"<2e-16"``.

    Parameters
    ----------
    pv : array_like of float
    digits : int, default 5
        R's default is ``getOption("digits") - 2``; ``printCoefmat`` passes its ``dig.tst``.
    eps : float, default machine epsilon
    na : str, default "NA"

    Returns
    -------
    list of str
        Values of 1e-4 and above (1e-3 with ``digits == 1``) formatted together in fixed
        notation, smaller ones together (scientific if that is narrower); each group padded to
        its own width, as R.
    """
    p = pd.to_numeric(pd.Series(np.asarray(pv, dtype=object).ravel()), errors="coerce").to_numpy(float)
    out = [na] * len(p)
    ok = np.flatnonzero(~np.isnan(p))
    is0 = [i for i in ok if p[i] < eps]
    rest = [i for i in ok if not p[i] < eps]
    if rest:
        expo = [math.floor(math.log10(p[i] if p[i] > 0 else 1e-50)) for i in rest]
        fixp = [ex >= -3 or (ex == -4 and digits > 1) for ex in expo]
        for group in (True, False):
            idx = [i for i, f in zip(rest, fixp) if f == group]
            for i, s in zip(idx, format_real(p[idx], digits)):
                out[i] = s
    if is0:
        dig = max(1, digits - 2)
        if rest:
            nc = max(len(out[i]) for i in rest)
            if dig > 1 and dig + 6 > nc:
                dig = max(1, nc - 7)
            sep = "" if (dig == 1 and nc <= 6) else " "
        else:
            sep = "" if dig == 1 else " "
        floor = "<" + sep + format_real([eps], dig)[0]
        for i in is0:
            out[i] = floor
    return out


def _reads_zero(cell):
    """Whether a formatted cell reads as 0; None when it is no number (R's as.numeric gives NA)."""
    try:
        return float(cell) == 0
    except ValueError:
        return None


def coefmat_cells(table, digits, *, cs_ind=(0, 1), tst_ind=(2,), has_pvalue=True, zap_ind=(),
                  na="NA", dig_tst=None):
    """The cells R's ``printCoefmat`` prints, as strings (no significance stars).

    Parameters
    ----------
    table : pandas.DataFrame
        Numeric columns; with `has_pvalue` the last one is the p-value.
    digits : int
    cs_ind : sequence of int, default (0, 1)
        Positions of the estimate and standard-error columns, formatted together after
        rounding to ``max(1, digits - digmin)`` decimals, digmin = 1 + floor(log10(smallest
        non-zero |value|)).
    tst_ind : sequence of int, default (2,)
        Test statistics: rounded to `dig_tst` decimals, then formatted with `digits`.
    has_pvalue : bool, default True
    zap_ind : sequence of int, default ()
        Columns put through :func:`zapsmall` first.
    na : str, default "NA"
        The string of missing cells (``print.anova`` passes ``""``).
    dig_tst : int, optional
        Defaults to R's ``max(1, min(5, digits - 1))``.

    Returns
    -------
    pandas.DataFrame of str
        Same index and columns as `table`; every other column is formatted alone with `digits`.
    """
    xm = table.apply(pd.to_numeric, errors="coerce").to_numpy(float).copy()
    nr, nc = xm.shape
    dig_tst = max(1, min(5, digits - 1)) if dig_tst is None else int(dig_tst)
    cf = np.full((nr, nc), "", dtype=object)
    ina = np.isnan(xm)
    ok = ~ina
    for i in zap_ind:
        xm[:, i] = zapsmall(xm[:, i], digits)
    cs, tst = list(cs_ind), list(tst_ind)
    if cs:
        acs = np.abs(xm[:, cs])
        fin = np.isfinite(acs)
        if fin.any():
            nz = acs[fin & (acs != 0)]
            # digmin is a range (two values) in R; max(1, digits - digmin) keeps the smaller
            digmin = 1 + (math.floor(math.log10(nz.min())) if nz.size else 0)
            coef_se = r_round(xm[:, cs], max(1, digits - digmin))
            cf[:, cs] = np.array(format_real(coef_se.T.ravel(), digits), dtype=object).reshape(len(cs), nr).T
    if tst:
        rounded = r_round(xm[:, tst], dig_tst)
        cf[:, tst] = np.array(format_real(rounded.T.ravel(), digits), dtype=object).reshape(len(tst), nr).T
    last = nc - 1 if has_pvalue else None
    for i in range(nc):
        if i not in cs and i not in tst and i != last:
            cf[:, i] = format_real(xm[:, i], digits)
    ok[:, tst] = False
    okp = ok.copy()
    if has_pvalue:
        okp[:, last] = False
    # a value rounded to zero (or a zero that now reads as non-zero) is shown unrounded
    flip = [(r, c) for r, c in np.argwhere(okp) if _reads_zero(cf[r, c]) not in (None, xm[r, c] == 0)]
    if flip:
        redo = format_real([xm[r, c] for r, c in flip], max(1, digits - 1))
        for (r, c), s in zip(flip, redo):
            cf[r, c] = s
    cf[ina] = na
    if has_pvalue and ok[:, last].any():
        rows = np.flatnonzero(ok[:, last])
        for r, s in zip(rows, format_pval(xm[rows, last], dig_tst)):
            cf[r, last] = s
    return pd.DataFrame(cf, index=table.index, columns=table.columns)


def anova_cells(table, digits=5):
    """The cells R's ``print.anova`` prints (blanks where R prints nothing).

    Parameters
    ----------
    table : pandas.DataFrame
        An analysis-of-deviance table with R's column names.
    digits : int, default 5
        R's default ``max(getOption("digits") - 2, 3)``.

    Returns
    -------
    pandas.DataFrame of str

    Notes
    -----
    As R: a last column named ``P(...``/``Pr(...`` is the p-value; ``F``, ``Cp``, ``Chisq`` and
    the ``"... value"`` columns are test statistics; the columns ending in ``Df`` are printed
    as they are; all others go through :func:`zapsmall`.
    """
    cols = [str(c) for c in table.columns]
    nc = len(cols)
    has_p = nc > 0 and (cols[-1].startswith("P(") or cols[-1].startswith("Pr("))
    tst = [i for i, c in enumerate(cols) if c[1:7] == " value"]
    tst += [i for i, c in enumerate(cols) if c in ("F", "Cp", "Chisq") and i not in tst]
    zap = [i for i in range(nc - 1 if has_p else nc) if i not in tst and not cols[i].endswith("Df")]
    return coefmat_cells(table, digits, cs_ind=(), tst_ind=tst, has_pvalue=has_p, zap_ind=zap, na="",
                         dig_tst=max(1, min(5, digits - 1)))


def fmt_num(x, digits=6):
    """One number as R's ``format(x, digits = digits)`` writes it.

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
    return format_real([x], digits)[0]


def fmt_count(x, digits=6):
    """A count or degrees of freedom: integers without decimals, else as :func:`fmt_num`.

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


def fmt_pvalue(p, digits=4):
    """One p-value as R's ``format.pval(p, digits)`` writes it (``"<2e-16"`` below epsilon).

    Parameters
    ----------
    p : number or None
    digits : int, default 4

    Returns
    -------
    str
        ``"NA"`` for NaN/None.
    """
    try:
        p = float(p)
    except (TypeError, ValueError):
        return "NA"
    return format_pval([p], digits)[0]


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
