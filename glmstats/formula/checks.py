"""Checks of the evaluated design: missing and infinite values, empty terms, unseen category levels."""

import numpy as np
import pandas as pd
from formulaic.errors import DataMismatchWarning

from ..engine.matrix import as_design_matrix

__all__ = ["isna", "numeric_columns", "nan_rows", "check_finite", "check_empty_terms", "check_levels"]


def isna(series):
    return np.asarray(pd.isna(series), dtype=bool)


def numeric_columns(X, names):
    """(name, column) of the columns that can hold NaN or Inf (a factor's codes cannot)."""
    return [(names[j], col) for j, col in as_design_matrix(X).numeric_columns()]


def nan_rows(parts, response):
    """Rows where the evaluated response, model matrix or offset is NaN, and which of them."""
    y, n_trials, X, names, form_offset, _ = parts
    checks = [(response, y)] + numeric_columns(X, names)
    if form_offset is not None:
        checks.append(("offset()", form_offset))
    bad = np.zeros(X.shape[0], dtype=bool)
    which = []
    for n, col in checks:
        isnan = np.isnan(col)
        if isnan.any():
            bad |= isnan
            which.append(n)
    return bad, which


def check_finite(where, X, names, offset, y=None, response=None, keywords=None):
    """Infinite values give wrong numbers downstream: say where they are."""
    bad = [n for n, col in numeric_columns(X, names) if not np.isfinite(col).all()]
    if offset is not None and not np.isfinite(offset).all():
        bad.append("offset()")
    if y is not None and not np.isfinite(y).all():
        bad.append(f"response {response!r}")
    bad += [k for k, v in (keywords or {}).items() if not np.isfinite(v).all()]
    if bad:
        raise ValueError(f"non-finite values in {bad} ({where})")


def check_empty_terms(formula, spec, terms):
    """A term without columns means a one-level factor: an error, as in R.

    formulaic silently drops such a term (no columns); R's ``model.matrix`` stops with
    "contrasts can be applied only to factors with 2 or more levels".
    """
    empty = [t for t, cols in terms if not cols]
    if not empty:
        return
    single = {str(expr): list(state["categories"]) for expr, (kind, state) in spec.encoder_state.items()
              if getattr(kind, "value", kind) == "categorical" and len(state.get("categories", ())) == 1}
    what = "; ".join(f"{e!r} has the single level {lv!r}" for e, lv in single.items())
    raise ValueError(f"term(s) {empty} of {formula!r} give no columns" + (f": {what} in the rows used" if what else "")
                     + "; a factor needs two or more levels (R: 'contrasts can be applied only to factors with "
                       "2 or more levels'). Remove the term, or check the data (missing='drop' may have removed "
                       "the rows with the other levels)")


def check_levels(spec, materializer, caught):
    """Raise if newdata has a category level the fit did not see; else return the other warnings.

    formulaic only warns (DataMismatchWarning) and encodes such a row with
    all-zero dummies, i.e. as the reference level: a wrong prediction. The
    levels are compared on the factor values formulaic evaluated, so the error
    can name the variable; formulaic's warning is the fallback.
    """
    problems = []
    for expr, (kind, state) in spec.encoder_state.items():
        if getattr(kind, "value", kind) != "categorical" or "categories" not in state:
            continue
        evaluated = materializer.factor_cache.get(expr)
        if evaluated is None:
            continue
        raw = getattr(evaluated.values, "__wrapped__", evaluated.values)
        seen = set(state["categories"])
        new = [v for v in pd.Series(raw).dropna().drop_duplicates().tolist() if v not in seen]
        if new:
            names = sorted(str(v) for v in (evaluated.variables or ())
                           if "value" in {getattr(r, "value", r) for r in v.roles}) or [expr]
            problems.append(f"{', '.join(map(repr, names))} has level(s) {new!r} not seen when "
                            f"fitting (term {expr!r}; known levels: {list(state['categories'])!r})")
    if not problems:
        mismatch = [str(w.message) for w in caught if issubclass(w.category, DataMismatchWarning)]
        problems = [f"formulaic: {m}" for m in mismatch]
    if problems:
        raise ValueError("newdata has unseen category levels: " + "; ".join(problems))
    return [w for w in caught if not issubclass(w.category, DataMismatchWarning)]
