"""Evaluating a formula on the rows used: formulaic's model matrix, or factors kept as integer codes."""

import ast

import numpy as np
import pandas as pd
from formulaic import model_matrix
from formulaic.errors import FormulaicError

from .parse import parse_python, plain_message
from .response import response_values
from .terms import CONTEXT, eval_response, python_variables, rhs_variables, split_terms, split_terms_of_formula

__all__ = ["materialize", "materialize_codes", "factor_candidates", "used_rows", "first_occurrences", "prepare_frame", "has_unused_categories",
           "plain_numeric_block"]


def materialize(formula, responses, lhs, rhs_formula, data, used, keep):
    """Evaluate the response and the right-hand side on the kept rows."""
    rows = prepare_frame(used_rows(data, used, keep), fit=True)
    y, n_trials = response_values([eval_response(e, rows, lhs) for e in responses], lhs)
    try:
        mm = model_matrix(rhs_formula, rows, context=CONTEXT, na_action="ignore", output="numpy")
    except FormulaicError as e:
        raise ValueError(f"cannot build the model matrix of {formula!r}: {plain_message(e)}") from e
    except (ValueError, TypeError) as e:  # formulaic's contrasts and transforms raise these bare
        raise ValueError(f"cannot build the model matrix of {formula!r}: {type(e).__name__}: {plain_message(e)}") from e
    spec = mm.model_spec
    full = np.asarray(mm, dtype=np.float64)
    x_pos, off_pos, _ = split_terms(spec)
    X = np.ascontiguousarray(full[:, x_pos])
    names = [spec.column_names[j] for j in x_pos]
    form_offset = full[:, off_pos].sum(axis=1) if off_pos else None
    return y, n_trials, X, names, form_offset, spec


def materialize_codes(responses, lhs, rhs_formula, data, used, keep, min_elements):
    """As :func:`materialize`, but with the factor terms kept as codes in a FactorMatrix; None when
    the formula does not allow it (interactions, stateful transforms) or the design is small (fewer than
    ``min_elements`` dummy entries).

    The spec (levels, column names and order) is learned by formulaic on a subset of rows that
    holds every value of every non-float variable, so it equals the spec of all rows; the
    numeric terms are evaluated by formulaic on all rows, and each factor term's codes are the
    subset's dummy columns looked up by value.
    """
    from ..engine.factor_matrix import FactorMatrix  # noqa: PLC0415 -- only the large designs need it

    terms = list(rhs_formula)
    if any(len(term.factors) > 1 for term in terms):
        return None
    rows = prepare_frame(used_rows(data, used, keep), fit=True)
    candidates = factor_candidates(terms, rows)
    first_rows, value_codes = set(), {}
    for c in candidates:
        if isinstance(rows[c].dtype, pd.CategoricalDtype):  # codes at hand (>= 0: missing rows are out)
            codes = rows[c].cat.codes.to_numpy()
            n_values = len(rows[c].cat.categories)
            first = first_occurrences(codes, n_values)
        else:
            codes, uniques = pd.factorize(rows[c], sort=False)
            n_values = len(uniques)
            # factorize numbers values in order of appearance: a first occurrence raises the running maximum
            first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
        if n_values > 100_000:
            return None
        first_rows.update(first.tolist())
        value_codes[c] = codes
    if not first_rows:
        return None
    subset_rows = np.array(sorted(first_rows))
    subset = rows.iloc[subset_rows]
    try:
        mm = model_matrix(rhs_formula, subset, context=CONTEXT, na_action="ignore", output="numpy")
    except (FormulaicError, ValueError, TypeError):
        return None  # the full path reports the error
    spec = mm.model_spec
    if spec.transform_state:  # e.g. center(x): its state must come from all rows
        return None
    x_pos, off_pos, _ = split_terms(spec)
    sub_X = np.asarray(mm, dtype=float)[:, x_pos]
    names = [spec.column_names[j] for j in x_pos]
    position = {j: i for i, j in enumerate(x_pos)}  # spec column -> column of X
    factor_terms, dense_terms = [], []
    for term, spec_cols in spec.term_indices.items():
        if split_terms_of_formula([term])[1]:
            continue  # an offset() term: evaluated with the numeric terms
        cols = [position[j] for j in spec_cols]
        block = sub_X[:, cols]
        variables = rhs_variables([term], rows) if cols else []
        is_factor = (len(cols) > 0 and len(variables) == 1 and variables[0] in value_codes
                     and np.all((block == 0) | (block == 1)) and np.all(block.sum(axis=1) <= 1))
        (factor_terms if is_factor else dense_terms).append((term, cols, variables))
    n_factor_cols = sum(len(cols) for _, cols, _ in factor_terms)
    if not factor_terms or len(rows) * n_factor_cols < min_elements:
        return None

    factors = []
    for term, cols, (var,) in factor_terms:
        block = sub_X[:, cols]
        sub_code = np.where(block.any(axis=1), block.argmax(axis=1) + 1, 0)
        lookup = np.zeros(value_codes[var].max() + 1, dtype=np.intp)  # intp: what bincount takes without a copy
        lookup[value_codes[var][subset_rows]] = sub_code
        if np.any(lookup[value_codes[var][subset_rows]] != sub_code):
            return None  # not a function of the variable's value
        factors.append((lookup[value_codes[var]], cols))

    factor_names = {str(t) for t, _, _ in factor_terms}
    others = [str(t) for t in spec.term_indices if str(t) != "1" and str(t) not in factor_names]
    plain = plain_numeric_block(rows, "Intercept" in names, others)
    if plain is not None:
        dense_names, dense_full = plain
    else:
        dense_formula = " + ".join(["1" if "Intercept" in names else "0"] + others)
        dense_mm = model_matrix(dense_formula, rows, context=CONTEXT, na_action="ignore", output="numpy")
        dense_names = list(dense_mm.model_spec.column_names)
        dense_full = np.asarray(dense_mm, dtype=float)
    all_names = list(spec.column_names)
    offset_names = [all_names[j] for j in off_pos]
    if not set(dense_names) <= set(names) | set(offset_names):
        return None
    keep_dense = [j for j, nm in enumerate(dense_names) if nm in names]
    dense_cols = [names.index(dense_names[j]) for j in keep_dense]
    off_cols = [j for j, nm in enumerate(dense_names) if nm in offset_names]
    form_offset = dense_full[:, off_cols].sum(axis=1) if off_cols else None
    dense = dense_full if keep_dense == list(range(dense_full.shape[1])) else np.take(dense_full, keep_dense, axis=1)
    X = FactorMatrix(dense, dense_cols, factors, len(names))
    values = [eval_response(e, rows, lhs) for e in responses]
    y, n_trials = response_values(values, lhs)
    return y, n_trials, X, names, form_offset, spec


def factor_candidates(terms, rows):
    """The columns of ``rows`` the right-hand side ``terms`` may read as factors: every value of these must be
    in the subset of rows formulaic learns the spec on.

    A float or integer column is a number (formulaic's reading, and R's), so its values need no subset rows,
    however many there are: an int64 count or identifier with a million distinct values would otherwise put a
    million rows in the subset, or rule the codes out. Candidates are the non-numeric (and boolean) columns
    of the model terms, and the integer columns a term passes to ``C()`` (``C(k)``: the expression decides).
    Columns only the response, the weights or an offset() term read are never candidates.
    """
    model_terms, _ = split_terms_of_formula(list(terms))
    read, in_c = set(), set()
    for term in model_terms:
        for factor in term.factors:
            method = factor.eval_method.value
            if method == "lookup":
                read.add(factor.expr)
            elif method == "python":
                variables = python_variables(factor.expr, rows, f"term {str(term)!r}")
                read.update(variables)
                if calls_c(factor.expr):
                    in_c.update(variables)
    types = pd.api.types
    return [c for c in rows.columns if c in read and not types.is_float_dtype(rows[c])
            and (c in in_c or types.is_bool_dtype(rows[c]) or not types.is_numeric_dtype(rows[c]))]


def calls_c(expr):
    """Whether a factor expression calls formulaic's ``C()`` (which makes a factor of anything)."""
    tree, aliases = parse_python(expr, "term")
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and aliases.get(node.func.id, node.func.id) == "C" for node in ast.walk(tree))


def used_rows(data, used, keep):
    """The columns ``used`` of the rows ``keep``; all rows: a frame of the same column objects (data[used]
    would copy every column: 0.1 s for ten columns of a million rows)."""
    if keep.all():
        return pd.DataFrame({c: data[c] for c in used}, copy=False)
    return data.loc[keep, used]


def first_occurrences(codes, n_values, block=1 << 15):
    """Row of the first occurrence of each code 0..n_values-1 that occurs, read by blocks and stopping once
    every value has been seen (usually within the first few blocks)."""
    first = np.full(n_values, -1, dtype=np.intp)
    for start in range(0, codes.shape[0], block):
        chunk = codes[start:start + block]
        values, where = np.unique(chunk, return_index=True)
        new = first[values] < 0
        first[values[new]] = where[new] + start
        if np.all(first >= 0):
            break
    return first[first >= 0]


def prepare_frame(frame, fit=False):
    """Column types formulaic reads as R does: strings as categories, no unused levels.

    formulaic 1.2 treats pandas' nullable ``"string"`` dtype as numeric (and
    fails); as object columns they are categorical, as R's character columns.
    At fit time, R's glm() uses ``drop.unused.levels = TRUE``: a category absent
    from the rows used gets no column (formulaic would add an all-zero one).
    """
    fixes = {}
    for c in frame.columns:
        dtype = frame[c].dtype
        if isinstance(dtype, pd.StringDtype) and getattr(dtype, "na_value", None) is pd.NA:
            fixes[c] = frame[c].astype(object)
        elif fit and isinstance(dtype, pd.CategoricalDtype) and has_unused_categories(frame[c]):
            fixes[c] = frame[c].cat.remove_unused_categories()
    if fixes:
        frame = frame.copy(deep=False)
        for c, values in fixes.items():
            frame[c] = values
    return frame


def has_unused_categories(series):
    """Whether a categorical Series has a category no row takes (one bincount of its codes)."""
    n_cat = len(series.cat.categories)
    codes = series.cat.codes.to_numpy().astype(np.intp) + 1  # -1 (missing) -> 0
    return bool(n_cat) and bool(np.any(np.bincount(codes, minlength=n_cat + 1)[1:] == 0))


def plain_numeric_block(rows, intercept, columns):
    """The dense block [1, columns...] when every term is a plain numeric column (no formulaic pass needed),
    with formulaic's names; None otherwise."""
    if not all(c in rows.columns and (pd.api.types.is_float_dtype(rows[c]) or pd.api.types.is_integer_dtype(rows[c]))
               for c in columns):
        return None
    names = (["Intercept"] if intercept else []) + list(columns)
    block = np.empty((len(rows), len(names)))
    if intercept:
        block[:, 0] = 1.0
    for j, c in enumerate(columns, start=int(intercept)):
        block[:, j] = rows[c].to_numpy(dtype=np.float64, na_value=np.nan)
    return names, block
