"""The size of a dense design, estimated before formulaic builds it.

An interaction of two factors of 1,000 levels each has about a million columns; on a million rows its dense
model matrix would hold 8 TB, and formulaic would start allocating it and die with a MemoryError (or the
process would be killed) long after the call. The number of columns follows from the formula's terms and
the factors' level counts alone, so a design that cannot fit is refused first, with the terms to blame.
"""

import ast
import os

import numpy as np
import pandas as pd

from ..engine.blocks import vector_blocks
from .parse import parse_python
from .terms import quoted_column, split_terms_of_formula

__all__ = ["factor_levels", "dense_columns", "memory_limit", "check_dense_size"]

# A design can use at most this fraction of the machine's memory: formulaic's evaluation holds two to
# three times the design at its peak (the encoded columns, the matrix, our copy of its model columns).
MEMORY_FRACTION = 0.25


def _is_factor_column(col):
    """How a bare column enters a formula: booleans and everything that is not a number are factors."""
    return pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col)


def _n_levels(col, keep):
    """The distinct values of a column on the rows kept (R's drop.unused.levels), read by row blocks: pandas'
    own count sizes its hash table for every row (56 MB for a million strings)."""
    categorical = isinstance(col.dtype, pd.CategoricalDtype)
    seen = np.zeros(len(col.cat.categories) + 1, dtype=bool) if categorical else None
    for sl in vector_blocks(len(col)):
        block = col.iloc[sl] if keep is None else col.iloc[sl][keep[sl]]
        if categorical:
            seen[block.cat.codes.to_numpy() + 1] = True  # code -1 (missing) marks seen[0]
        else:
            values = pd.unique(block.to_numpy())
            seen = values if seen is None else pd.unique(np.concatenate([seen, values]))
    if categorical:
        return int(np.count_nonzero(seen[1:]))
    return 0 if seen is None else int(pd.notna(seen).sum())


def _c_argument(expr, rows):
    """The column of ``C(column, ...)``, or None for any other expression."""
    try:
        tree, aliases = parse_python(expr, "term")
    except ValueError:
        return None
    body = tree.body
    if not (isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "C" and body.args):
        return None
    arg = body.args[0]
    name = quoted_column(arg, aliases)
    if name is None and isinstance(arg, ast.Name):
        name = aliases.get(arg.id, arg.id)
    return name if name in rows.columns else None


def factor_levels(factor, rows, keep=None):
    """The level count of a formulaic factor when it is categorical (a bare non-numeric or boolean column, or
    ``C(column)``), else None (a number: one column)."""
    method = factor.eval_method.value
    if method == "lookup" and factor.expr in rows.columns and _is_factor_column(rows[factor.expr]):
        return _n_levels(rows[factor.expr], keep)
    if method == "python":
        column = _c_argument(factor.expr, rows)
        if column is not None:
            return _n_levels(rows[column], keep)
    return None


def dense_columns(terms, rows, keep=None):
    """[(term, columns)]: a lower bound of the model matrix's columns, term by term.

    A term has the product over its factors of (levels - 1) for a categorical factor and 1 for a numeric one:
    the columns of its contrasts. Where the formula leaves out a marginal term (``a:b`` without ``a``), R and
    formulaic code a factor by all its levels, a few columns more. Offset terms have no columns.
    """
    model_terms, _ = split_terms_of_formula(list(terms))
    levels = {}
    out = []
    for term in model_terms:
        width = 1
        for factor in term.factors:
            if factor.expr not in levels:
                levels[factor.expr] = factor_levels(factor, rows, keep)
            n = levels[factor.expr]
            width *= 1 if n is None else max(n - 1, 0)
        out.append((str(term), width))
    return out


def memory_limit(max_bytes=None):
    """``max_bytes``, or by default a quarter of the machine's physical memory (16 GB when unknown)."""
    if max_bytes is not None:
        return float(max_bytes)
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        physical = 64 * 2**30
    return MEMORY_FRACTION * physical


def _gb(nbytes):
    return f"{nbytes / 1e9:,.1f} GB" if nbytes >= 1e9 else f"{nbytes / 1e6:,.1f} MB"


def check_dense_size(formula, terms, rows, keep=None, max_bytes=None):
    """ValueError when the dense design of ``terms`` on the rows kept would exceed the memory limit.

    Parameters
    ----------
    formula : str
        The formula as written (for the message).
    terms : formulaic Formula
        The right-hand side's terms.
    rows : pandas.DataFrame
        The data; ``keep`` selects the rows used (None: all).
    keep : ndarray of bool, optional
    max_bytes : float, optional
        The limit; None: a quarter of the machine's physical memory (:func:`memory_limit`).

    Raises
    ------
    ValueError
        Naming the largest terms, the columns (a lower bound, :func:`dense_columns`), the size and what to do.

    Notes
    -----
    The estimate is 8 bytes x columns x (rows + columns): the n x p model matrix and the p x p cross-product
    matrix X'WX that IRLS solves. Only the level counts are computed (one pass over each factor column, by
    row blocks); nothing of the size of the design is allocated.
    """
    n = int(rows.shape[0] if keep is None else np.count_nonzero(keep))
    widths = dense_columns(terms, rows, keep)
    p = sum(w for _, w in widths)
    needed = 8.0 * p * (n + p)
    limit = memory_limit(max_bytes)
    if needed <= limit:
        return
    big = sorted((tw for tw in widths if tw[1] > 1), key=lambda tw: -tw[1])[:3]
    named = ", ".join(f"{t} ({w:,} columns)" for t, w in big)
    interaction = any(":" in t for t, _ in big)
    raise ValueError(
        f"the formula {formula!r} needs a dense design of at least {p:,} columns; {named}. On {n:,} rows that is "
        f"{n:,} x {p:,} x 8 bytes = {_gb(8.0 * n * p)}, and {_gb(8.0 * p * p)} for its {p:,} x {p:,} cross-product "
        f"matrix: {_gb(needed)}, above the limit of {_gb(limit)} (glmstats.formula.design.MAX_DENSE_DESIGN_BYTES; "
        "by default a quarter of this machine's memory). "
        + ("An interaction of factors has a column for every combination of their levels. " if interaction else "")
        + "Use factors with fewer levels (merge rare levels into one), keep large factors as main effects (they "
        "are then kept as integer codes), or absorb the factor (a coming feature)")
