"""Wald tests of linear restrictions on the coefficients (R: ``car::linearHypothesis``).

A hypothesis is a set of J linear restrictions ``R b = q`` on the coefficients b. It is
written either as a string over the parameter names (``"x1 = 0, x2 = x3"``,
``"2*x1 + x2 = 1"``) or as a tuple ``(R, q)``.

Names are matched literally, longest first, so that every name the model produces can be
written as it is printed: ``C(outcome)[T.2]``, ``wool[T.B]:tension[T.L]``, ``np.log(u)``,
``(Intercept)``, ``education12+ yrs``. Around the names a hypothesis is a linear expression:
numbers, ``+``, ``-``, ``*``, ``/`` (by a number), parentheses, ``=`` and commas between
restrictions; a restriction without ``=`` means ``= 0``.
"""

import re

import numpy as np
import pandas as pd
from .._lazy import stats

__all__ = ["wald_test", "t_test", "parse_hypothesis", "WaldTestResults", "TTestResults"]

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_.]")
_OPERATORS = "+-*/()=,"


# --- parsing ------------------------------------------------------------------------------
def _tokenize(text, names):
    """Tokens ``(kind, value, start, end)``: ``("name", index)``, ``("num", value)`` or ``("op", char)``.

    At each position the longest parameter name that matches wins; a name that ends in an
    identifier character must not run on into one (``x1`` is not read out of ``x12``), and no
    name runs on into ``:`` or ``[`` (which only occur inside names).
    """
    order = sorted(range(len(names)), key=lambda i: -len(names[i]))
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        for j in order:
            name = names[j]
            if name and text.startswith(name, i):
                end = i + len(name)
                if end < n and (text[end] in ":[" or (_IDENT_CHAR.match(name[-1]) and _IDENT_CHAR.match(text[end]))):
                    continue  # part of a longer (unknown) name such as "a[T.b]:c[T.d]"
                tokens.append(("name", j, i, end))
                i = end
                break
        else:
            m = _NUMBER.match(text, i)
            # "2x1" is not read as 2 * x1 (write "2*x1" or "2 x1"): it is an unknown term
            if m and not (m.end() < n and re.match(r"[A-Za-z_]", text[m.end()])):
                tokens.append(("num", float(m.group()), i, m.end()))
                i = m.end()
            elif ch in _OPERATORS:
                tokens.append(("op", ch, i, i + 1))
                i += 1
            else:
                raise ValueError(f"unknown term {_unknown_at(text, i)!r} in hypothesis {text!r}; "
                                 f"the parameters are {list(names)}")
    return tokens


def _unknown_at(text, i):
    """The run of characters starting at i up to the next operator or space (for error messages)."""
    m = re.compile(r"[^\s+\-*/=,]+").match(text, i)
    return m.group() if m else text[i]


class _Parser:
    """Recursive descent over the tokens of one side of a restriction; values are linear forms
    ``(coefficient vector, constant)``."""

    def __init__(self, tokens, p, names, text):
        self.tokens, self.pos, self.p, self.names, self.text = tokens, 0, p, names, text

    def _peek(self):
        return self.tokens[self.pos][:2] if self.pos < len(self.tokens) else None

    def _error(self, what):
        return ValueError(f"malformed hypothesis {self.text!r}: {what}")

    def parse(self):
        if not self.tokens:
            raise self._error("an empty side of a restriction")
        value = self._expr()
        if self._peek() is not None:
            raise self._error(f"unexpected {self._show(self._peek())}")
        return value

    def _show(self, tok):
        kind, v = tok
        return repr(self.names[v]) if kind == "name" else repr(v if kind == "op" else f"{v:g}")

    def _expr(self):
        a, c = self._term()
        while (tok := self._peek()) is not None and tok[0] == "op" and tok[1] in "+-":
            self.pos += 1
            b, d = self._term()
            s = 1.0 if tok[1] == "+" else -1.0
            a, c = a + s * b, c + s * d
        return a, c

    def _term(self):
        a, c = self._factor()
        while (tok := self._peek()) is not None:
            if tok[0] == "op" and tok[1] in "*/":
                self.pos += 1
                b, d = self._factor()
                if tok[1] == "/":
                    if np.any(b != 0) or d == 0:
                        raise self._error("division by a parameter or by zero")
                    a, c = a / d, c / d
                    continue
            elif tok[0] in ("name", "num") or tok == ("op", "("):
                b, d = self._factor()  # implicit product: "2 x1"
            else:
                break
            if np.any(a != 0) and np.any(b != 0):
                raise self._error("a product of two parameters is not linear")
            a, c = a * d + b * c, c * d
        return a, c

    def _factor(self):
        tok = self._peek()
        if tok is None:
            raise self._error("it ends where a term was expected")
        self.pos += 1
        kind, v = tok
        if kind == "num":
            return np.zeros(self.p), v
        if kind == "name":
            a = np.zeros(self.p)
            a[v] = 1.0
            return a, 0.0
        if v in "+-":
            a, c = self._factor()
            return (a, c) if v == "+" else (-a, -c)
        if v == "(":
            value = self._expr()
            if self._peek() != ("op", ")"):
                raise self._error("unbalanced parentheses")
            self.pos += 1
            return value
        raise self._error(f"unexpected {v!r}")


def parse_hypothesis(text, names):
    """Restriction matrix, right-hand side and labels of a hypothesis string.

    Parameters
    ----------
    text : str or sequence of str
        Restrictions separated by commas (or given as a list), e.g. ``"x1 = 0, x2 = x3"``.
    names : sequence of str
        The parameter names.

    Returns
    -------
    R : ndarray (J, p)
    q : ndarray (J,)
    labels : list of str
        Each restriction as written (whitespace collapsed; ``" = 0"`` added when there is no ``=``).
    """
    names = [str(n) for n in names]
    pieces = [text] if isinstance(text, str) else list(text)
    rows, rhs, labels = [], [], []
    for piece in pieces:
        if not isinstance(piece, str):
            raise TypeError(f"a hypothesis string was expected, got {type(piece).__name__}")
        tokens = _tokenize(piece, names)
        groups, cur = [], []
        for tok in tokens + [("op", ",", None, None)]:
            if tok[:2] == ("op", ","):
                groups.append(cur)
                cur = []
            else:
                cur.append(tok)
        for g in groups:
            sides, cur = [], []
            for tok in g + [("op", "=", None, None)]:
                if tok[:2] == ("op", "="):
                    sides.append(cur)
                    cur = []
                else:
                    cur.append(tok)
            if not g:
                raise ValueError(f"malformed hypothesis {piece!r}: an empty restriction")
            if len(sides) > 2:
                raise ValueError(f"malformed hypothesis {piece!r}: more than one '=' in a restriction")
            lhs = _Parser(sides[0], len(names), names, piece).parse()
            rhs_side = _Parser(sides[1], len(names), names, piece).parse() if len(sides) == 2 \
                else (np.zeros(len(names)), 0.0)
            a = lhs[0] - rhs_side[0]
            c = rhs_side[1] - lhs[1]
            if not np.any(a != 0):
                raise ValueError(f"restriction {_label(g, piece)!r} of hypothesis {piece!r} involves no parameter")
            rows.append(a)
            rhs.append(c)
            labels.append(_label(g, piece) + ("" if len(sides) == 2 else " = 0"))
    if not rows:
        raise ValueError("the hypothesis has no restriction")
    return np.vstack(rows), np.asarray(rhs, dtype=float), labels


def _label(tokens, text):
    """The restriction as the user wrote it, whitespace collapsed."""
    return " ".join(text[tokens[0][2]:tokens[-1][3]].split())


def _restrictions(res, hypothesis):
    """(R over all p columns, q, labels) from a string, a list of strings or (R, q)."""
    names = [str(n) for n in res.fit_state.exog_names]
    p = len(names)
    if isinstance(hypothesis, str) or (isinstance(hypothesis, (list, tuple)) and hypothesis
                                       and all(isinstance(h, str) for h in hypothesis)):
        R, q, labels = parse_hypothesis(hypothesis, names)
    else:
        if isinstance(hypothesis, tuple):
            if len(hypothesis) not in (1, 2):
                raise ValueError("a hypothesis tuple must be (R,) or (R, q)")
            R, q = hypothesis[0], (hypothesis[1] if len(hypothesis) == 2 else None)
        else:
            R, q = hypothesis, None
        if isinstance(R, pd.DataFrame):
            unknown = [str(c) for c in R.columns if str(c) not in names]
            if unknown:
                raise ValueError(f"unknown parameter name(s) {unknown} in the columns of R")
            R = R.rename(columns=str).reindex(columns=names, fill_value=0.0)
        R = np.asarray(R, dtype=float)
        if R.ndim == 1:
            R = R[None, :]
        if R.ndim != 2 or R.shape[1] != p:
            raise ValueError(f"R must have {p} columns (one per parameter), got shape {R.shape}")
        q = np.zeros(R.shape[0]) if q is None else np.atleast_1d(np.asarray(q, dtype=float)).ravel()
        if q.shape != (R.shape[0],):
            raise ValueError(f"q must have one value per row of R ({R.shape[0]}), got {q.shape[0]}")
        if not (np.all(np.isfinite(R)) and np.all(np.isfinite(q))):
            raise ValueError("R and q must be finite")
        labels = [_format_row(r, qi, names) for r, qi in zip(R, q)]
    kept = res.fit_state.kept
    bad = [names[j] for j in np.flatnonzero(~kept) if np.any(R[:, j] != 0)]
    if bad:
        raise ValueError(f"the hypothesis involves aliased coefficient(s) {bad}, which are not estimable")
    return R, q, labels


def _format_row(row, q, names):
    """``"x1 - 2*x2 = 0"`` for a row of R."""
    out = []
    for j in np.flatnonzero(row):
        a = row[j]
        sign = "-" if a < 0 else "+"
        term = names[j] if abs(a) == 1 else f"{abs(a):g}*{names[j]}"
        out.append((sign, term))
    if not out:
        return f"0 = {q:g}"
    s = ("-" if out[0][0] == "-" else "") + out[0][1]
    s += "".join(f" {sg} {t}" for sg, t in out[1:])
    return f"{s} = {q:g}"


def _wald_parts(res, hypothesis):
    R, q, labels = _restrictions(res, hypothesis)
    kept = res.fit_state.kept
    Rk = R[:, kept]
    b = res.fit_state.beta[kept]
    V = res.cov_params().to_numpy()[np.ix_(kept, kept)]
    return Rk, q, labels, Rk @ b, Rk @ V @ Rk.T


# --- Wald test -----------------------------------------------------------------------------
class WaldTestResults:
    """Result of :func:`wald_test`.

    Attributes
    ----------
    statistic : float
        F = W / J (``distribution == "F"``) or the Wald chi-square W.
    df : int
        J, the number of restrictions.
    df_denom : float or None
        The residual degrees of freedom in the F case, None for chi2.
    pvalue : float
    distribution : {"F", "chi2"}
    restrictions : list of str
        The restrictions tested, as written (a matrix row is shown as ``"x1 - x2 = 0"``).
    """

    def __init__(self, statistic, df, df_denom, pvalue, distribution, restrictions):
        self.statistic = float(statistic)
        self.df = int(df)
        self.df_denom = None if df_denom is None else float(df_denom)
        self.pvalue = float(pvalue)
        self.distribution = distribution
        self.restrictions = list(restrictions)

    def summary_frame(self):
        """One-row DataFrame: statistic, df, df_denom, pvalue, distribution."""
        return pd.DataFrame({"statistic": [self.statistic], "df": [self.df], "df_denom": [self.df_denom],
                             "pvalue": [self.pvalue], "distribution": [self.distribution]},
                            index=["Wald test"])

    def __str__(self):
        from ..report.display import wald_text

        return wald_text(self)

    __repr__ = __str__

    def _repr_html_(self):
        from ..report.display import wald_html

        return wald_html(self)


def wald_test(res, hypothesis, use_f=None):
    """Joint Wald test of the linear restrictions R b = q.

    Parameters
    ----------
    res : GLMResults
    hypothesis : str, list of str, or tuple (R, q)
        A string over the parameter names, e.g. ``"x1 = 0, x2 = x3"`` or ``"2*x1 + x2 = 1"``;
        or a restriction matrix R (p columns; 1-d for a single restriction; a DataFrame with
        parameter names as columns) and q (default 0).
    use_f : bool, optional
        F test (True) or chi-square (False). Default: ``res.use_t`` (F when the dispersion is
        estimated).

    Returns
    -------
    WaldTestResults

    Notes
    -----
    W = (R b - q)' (R V R')^{-1} (R b - q) with V = ``res.cov_params()`` (the robust covariance
    when the fit used one), restricted to the estimable (non-aliased) coefficients. Chi-square:
    W on J degrees of freedom. F: W / J on (J, df_resid) degrees of freedom.
    R: ``car::linearHypothesis(m, L, rhs, test = "Chisq")`` / ``test = "F"``.
    """
    Rk, q, labels, est, RVR = _wald_parts(res, hypothesis)
    J = Rk.shape[0]
    if np.linalg.matrix_rank(Rk) < J:
        raise ValueError("the restrictions are linearly dependent (R does not have full row rank)")
    d = est - q
    try:
        W = float(d @ np.linalg.solve(RVR, d))
    except np.linalg.LinAlgError:
        raise ValueError("R V R' is singular: the covariance of the restricted combinations is not "
                         "invertible (e.g. a cluster covariance with fewer clusters than restrictions)") from None
    use_f = res.use_t if use_f is None else bool(use_f)
    if use_f:
        F = W / J
        return WaldTestResults(F, J, res.df_resid, stats.f.sf(F, J, res.df_resid), "F", labels)
    return WaldTestResults(W, J, None, stats.chi2.sf(W, J), "chi2", labels)


# --- t tests ---------------------------------------------------------------------------------
class TTestResults:
    """Result of :func:`t_test`: one test per restriction (row of R).

    Attributes
    ----------
    estimate, se, statistic, pvalue : Series
        R b, its standard error sqrt(diag(R V R')), (R b - q) / se and the two-sided p-value,
        indexed by the restrictions.
    q : ndarray
    use_t : bool
        t(df_resid) reference distribution if True, the normal otherwise.
    df_denom : float or None
    """

    def __init__(self, estimate, se, q, labels, use_t, df_resid):
        idx = pd.Index(labels)
        self.q = np.asarray(q, dtype=float)
        self.use_t = bool(use_t)
        self.df_denom = float(df_resid) if self.use_t else None
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = (estimate - self.q) / se
        self.estimate = pd.Series(estimate, index=idx, name="coef")
        self.se = pd.Series(se, index=idx, name="std err")
        self.statistic = pd.Series(stat, index=idx, name="t" if self.use_t else "z")
        self.pvalue = pd.Series(2.0 * self._dist().sf(np.abs(stat)), index=idx,
                                name="P>|t|" if self.use_t else "P>|z|")

    def _dist(self):
        return stats.t(self.df_denom) if self.use_t else stats.norm()

    def conf_int(self, alpha=0.05):
        """Confidence intervals of R b: DataFrame with columns ``lower``, ``upper``."""
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        z = self._dist().ppf(1.0 - alpha / 2.0)
        return pd.DataFrame({"lower": self.estimate - z * self.se, "upper": self.estimate + z * self.se})

    def summary_frame(self, alpha=0.05):
        """DataFrame with columns coef, std err, t or z, P>|t| or P>|z|, lower, upper."""
        ci = self.conf_int(alpha)
        return pd.concat([self.estimate, self.se, self.statistic, self.pvalue, ci["lower"], ci["upper"]], axis=1)

    def _heading(self):
        ref = f"t({self.df_denom:g})" if self.use_t else "normal"
        return f"Tests of linear combinations (reference distribution: {ref}; 95% intervals)"

    def __str__(self):
        from ..report.display import ttest_text

        return ttest_text(self, self._heading())

    __repr__ = __str__

    def _repr_html_(self):
        from ..report.display import ttest_html

        return ttest_html(self, self._heading())


def t_test(res, hypothesis):
    """One Wald t (or z) test per linear restriction, with the estimate and its interval.

    Parameters
    ----------
    res : GLMResults
    hypothesis : str, list of str, or tuple (R, q)
        As for :func:`wald_test`.

    Returns
    -------
    TTestResults

    Notes
    -----
    For each row r of R: estimate r'b, se sqrt(r' V r), statistic (r'b - q) / se, two-sided
    p-value from t(df_resid) when ``res.use_t`` else the normal; the confidence interval is
    r'b -/+ quantile * se. For ``"x = 0"`` this reproduces ``res.tvalues``, ``res.pvalues`` and
    ``res.conf_int()``. R: ``summary(multcomp::glht(m, L))`` without multiplicity adjustment;
    ``car::linearHypothesis`` row by row.
    """
    Rk, q, labels, est, RVR = _wald_parts(res, hypothesis)
    se = np.sqrt(np.diag(RVR))
    labels = labels if len(set(labels)) == len(labels) else [f"c{i}" for i in range(len(labels))]
    return TTestResults(est, se, q, labels, res.use_t, res.df_resid)
