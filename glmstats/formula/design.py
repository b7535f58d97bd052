"""The formula boundary: an R-style formula and a DataFrame become arrays.

:func:`build_design` turns ``"cbind(s, f) ~ a * b + offset(log(n))"`` and a
pandas DataFrame into a :class:`Design`: the response, the model matrix, the
offset and the weights as numpy arrays, restricted to the rows used, plus the
formulaic ``ModelSpec`` that rebuilds the same columns for new data
(:meth:`Design.transform`). Everything past this module sees arrays only.

formulaic builds the right-hand side; this module adds what R's ``glm()`` has
and formulaic does not:

* ``offset(expr)`` terms (summed into ``Design.offset``, no columns),
* the two-column binomial response ``cbind(successes, failures)``,
* R's ``na.omit``: rows with a missing value in any variable the model uses are
  dropped (or reported, ``missing="raise"``) before formulaic sees the data, so
  the row set, the factor levels and any stateful transforms (``center``,
  ``poly``, ...) are those of the rows used,
* a clear error for a category level at prediction time that was not seen at
  fit time (formulaic warns and encodes it as all-zero dummies, i.e. silently
  as the reference level).
"""
from __future__ import annotations

import ast
import builtins
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from formulaic import Formula, ModelSpec, SimpleFormula, model_matrix
from formulaic.errors import DataMismatchWarning, FormulaicError
from formulaic.transforms import TRANSFORMS

__all__ = ["Design", "build_design", "check_formula_arguments"]


def _offset(x):
    """``offset(expr)`` in a formula: the values of ``expr`` as floats.

    Only a marker: the columns it produces are moved out of the model matrix
    into ``Design.offset``.
    """
    return np.asarray(x, dtype=float)


# Names a formula may use besides data columns, numpy (``np``) and formulaic's
# transforms (``log``, ``exp``, ``I``, ``C``, ``center``, ``poly``, ...).
# ``sqrt`` is added because R formulas use it bare.
_CONTEXT = {"offset": _offset, "sqrt": np.sqrt}
_KNOWN_NAMES = set(_CONTEXT) | set(TRANSFORMS) | set(dir(builtins))
_KEYWORDS = ("offset", "exposure", "var_weights", "freq_weights")


@dataclass(frozen=True, eq=False, repr=False)
class Design:
    """The arrays a formula and a DataFrame describe (R: ``model.frame`` + ``model.matrix``).

    Built by :func:`build_design`; all arrays hold the rows used only, in the
    order of ``data``.

    Attributes
    ----------
    y : ndarray
        1-d float response. For ``cbind(s, f)`` the proportion ``s / (s + f)``
        (0 where ``s + f == 0``), as R's ``glm()$y``.
    n_trials : ndarray or None
        ``s + f`` for a ``cbind(s, f)`` response (R uses it as prior weights), else None.
    X : ndarray
        2-d float64 model matrix, R's ``model.matrix`` columns in R's order.
    column_names : list of str
        formulaic's column names, e.g. ``"Intercept"``, ``"C(outcome)[T.2]"``, ``"a[T.y]:x"``.
    offset : ndarray or None
        Sum of the formula's ``offset(...)`` terms; None if it has none.
    var_weights, freq_weights, exposure, extra_offset : ndarray or None
        The keyword arguments of :func:`build_design` (``extra_offset`` is its
        ``offset=``) as float arrays.
    row_index : pandas.Index
        Index labels of the rows used, for aligning observation-level Series.
    n_dropped : int
        Number of rows dropped for missing values (``missing="drop"``).
    dropped_columns : list of str
        Variables that had missing values in the dropped rows: data columns,
        the name of a keyword argument given as an array, or a design column
        or the response when a transform gave NaN (as ``log`` of a negative).
    response_name : str
        The left-hand side as written, e.g. ``"counts"`` or ``"cbind(ncases, ncontrols)"``.
    has_intercept : bool
        Whether the model matrix has the ``Intercept`` column.
    term_names : list of str
        Formula terms in column order (``"Intercept"`` first if present),
        without the offset terms; R's ``attr(terms, "term.labels")`` in
        formulaic's spelling (``"C(outcome)"``, ``"wool:tension"``).
    term_columns : dict of str to list of int
        Positions in ``X`` of each term's columns (R's ``attr(X, "assign")``).
    spec : formulaic.ModelSpec
        The model spec learned from the rows used (levels, contrasts,
        transform state) for the right-hand side including offset terms.
    formula : str
        The formula as given.
    """

    y: np.ndarray
    n_trials: np.ndarray | None
    X: np.ndarray
    column_names: list[str]
    offset: np.ndarray | None
    var_weights: np.ndarray | None
    freq_weights: np.ndarray | None
    exposure: np.ndarray | None
    extra_offset: np.ndarray | None
    row_index: pd.Index
    n_dropped: int
    dropped_columns: list[str]
    response_name: str
    has_intercept: bool
    term_names: list[str]
    term_columns: dict[str, list[int]]
    spec: ModelSpec
    formula: str

    def __repr__(self):
        return (f"Design({self.formula!r}, nobs={self.X.shape[0]}, "
                f"columns={self.column_names!r}, n_dropped={self.n_dropped})")

    def transform(self, newdata):
        """Model matrix and formula offset for new rows, with the fit's levels and transforms.

        Parameters
        ----------
        newdata : pandas.DataFrame
            Must hold every column the right-hand side uses (offset terms
            included); the response is not needed. Missing values are an error.

        Returns
        -------
        X_new : ndarray
            2-d float64, the same columns as ``X`` in the same order.
        offset_new : ndarray or None
            The formula's ``offset(...)`` terms evaluated on ``newdata``; None
            if the formula has none. Keyword offsets/exposure are not included:
            they are not part of the formula.

        Raises
        ------
        ValueError
            A column is missing, a used column has missing values, a category
            level was not seen at fit time, or a transform gives non-finite values.

        Notes
        -----
        R: ``model.matrix(delete.response(terms(m)), model.frame(..., newdata,
        xlev = m$xlevels))`` as in ``predict.glm``; R also stops on a new level
        ("factor x has new levels ...").
        """
        if not isinstance(newdata, pd.DataFrame):
            raise TypeError(f"newdata must be a pandas DataFrame, got {type(newdata).__name__}")
        needed = _rhs_variables(self.spec.formula, newdata, newdata=True)
        na_cols = [c for c in needed if _isna(newdata[c]).any()]
        if na_cols:
            raise ValueError(f"newdata has missing values in column(s) {na_cols}; "
                             "drop or fill those rows before predicting")
        materializer = self.spec.get_materializer(_prepare_frame(newdata[needed], fit=True), context=_CONTEXT)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                mm = materializer.get_model_matrix(self.spec)
            except FormulaicError as e:
                raise ValueError(f"cannot build the model matrix of {self.formula!r} "
                                 f"for newdata: {_plain(e)}") from e
        for w in _check_levels(self.spec, materializer, caught):  # not ours to swallow: pass on
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        full = np.asarray(mm, dtype=np.float64)
        x_pos, off_pos, _ = _split_terms(self.spec)
        X_new = np.ascontiguousarray(full[:, x_pos])
        offset_new = full[:, off_pos].sum(axis=1) if off_pos else None
        _check_finite("newdata", X_new, self.column_names, offset_new)
        return X_new, offset_new


def check_formula_arguments(formula, data, missing):
    """TypeError/ValueError naming a formula that is not a string, data that are not a DataFrame, or an
    unknown ``missing``."""
    if not isinstance(formula, str):
        raise TypeError(f"formula must be a string, got {type(formula).__name__}")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if missing not in ("drop", "raise"):
        raise ValueError(f'missing must be "drop" or "raise", got {missing!r}')


def build_design(formula, data, *, offset=None, exposure=None, var_weights=None,
                 freq_weights=None, missing="drop"):
    """Build the response, model matrix, offset and weights of a GLM from a formula.

    Parameters
    ----------
    formula : str
        R-style formula ``response ~ terms``. The right-hand side is formulaic
        syntax: numeric and categorical columns (string, object, category and
        ``C(x, ...)``), ``a:b``, ``a*b``, transforms (``np.log(x)``, ``log(x)``,
        ``I(x**2)``, ``center(x)``, ...), ``- 1`` / ``+ 0``, ``.`` (all other
        columns), and ``offset(expr)`` terms, which add up into ``Design.offset``.
        The response is a column, a Python expression of columns, or
        ``cbind(successes, failures)``.
    data : pandas.DataFrame
    offset, exposure, var_weights, freq_weights : str, array-like or None
        A column name of ``data`` or an array of ``len(data)`` values (taken by
        position). Returned as ``extra_offset``, ``exposure``, ``var_weights``,
        ``freq_weights``; the model decides what they mean.
    missing : {"drop", "raise"}
        What to do with rows that have a missing value (None/NaN/NA) in a
        variable the model uses: the response, the right-hand side variables,
        the offset terms and the keyword arguments. ``"drop"`` drops them (R's
        ``na.omit``), ``"raise"`` raises ``ValueError`` naming the columns.
        Columns the model does not use are ignored.

    Returns
    -------
    Design

    Raises
    ------
    ValueError
        Unknown column or function, invalid formula, missing values with
        ``missing="raise"``, no rows left, a keyword array of the wrong length,
        a non-numeric response or weights, infinite values.
    TypeError
        ``data`` is not a DataFrame or ``formula`` not a string.

    Notes
    -----
    R: ``model.frame(formula, data, na.action = na.omit, drop.unused.levels = TRUE)``
    then ``model.response``, ``model.offset``, ``model.matrix``. As in R, a
    missing value is also one a transform produces (NaN from ``log(-1)``):
    those rows are dropped too. Unlike R, stateful transforms (``scale``,
    ``poly``) are learned on the rows used, not on all rows.
    """
    check_formula_arguments(formula, data, missing)
    if data.columns.has_duplicates:
        dup = sorted(set(map(str, data.columns[data.columns.duplicated()])))
        raise ValueError(f"data has duplicated column names {dup}")
    lhs, rhs = _split_formula(formula)
    responses = _response_expressions(lhs)
    lhs_vars = _unique(v for e in responses for v in _python_variables(e, data, f"response {lhs!r}"))

    # keyword -> (its name or column name, float array or None, given as a column?)
    keywords = {name: _resolve_keyword(name, value, data)
                for name, value in zip(_KEYWORDS, (offset, exposure, var_weights, freq_weights))}
    kw_columns = [label for label, arr, is_column in keywords.values() if is_column]

    # `.` stands for every column the formula does not otherwise name (R: all but
    # the response; the weight columns are left out too, being no predictors).
    available = [c for c in data.columns if c not in set(lhs_vars) | set(kw_columns)]
    try:
        rhs_formula = Formula(rhs, _context={"__formulaic_variables_available__": available})
    except FormulaicError as e:
        raise ValueError(f"invalid formula {formula!r}: {_plain(e)}") from e
    if not isinstance(rhs_formula, SimpleFormula):
        raise ValueError(f"invalid formula {formula!r}: multi-part formulas ('|') are not supported")
    rhs_vars = _rhs_variables(rhs_formula, data)
    _split_terms_of_formula(rhs_formula)  # reject offset() inside interactions early

    # R's na.omit on the variables themselves (not on formulaic's output): a NA
    # in an unused column never drops a row, and formulaic is given complete rows.
    used = _unique(lhs_vars + rhs_vars + kw_columns)
    na_by_var = {c: _isna(data[c]) for c in used}
    na_by_var.update({name: np.isnan(arr) for name, (_, arr, is_column) in keywords.items()
                      if arr is not None and not is_column})
    na_by_var = {k: v for k, v in na_by_var.items() if v.any()}
    if na_by_var and missing == "raise":
        raise ValueError(f"missing values in column(s) {list(na_by_var)} "
                         f"({int(np.logical_or.reduce(list(na_by_var.values())).sum())} rows); "
                         "use missing='drop' to drop those rows")
    keep = np.ones(len(data), dtype=bool)
    for v in na_by_var.values():
        keep &= ~v
    dropped = list(na_by_var)

    # A transform can create NaN (log of a negative number); R's model.frame
    # holds NA there and na.omit drops the row, so do the same: drop and rebuild
    # once (the levels and transform state must come from the rows used).
    for attempt in range(2):
        if not keep.any():
            raise ValueError("data has no rows" if len(data) == 0 else
                             f"no rows left: all {len(data)} rows have missing values (in {dropped})")
        parts = (_materialize_codes(responses, lhs, rhs_formula, data, used, keep)
                 or _materialize(formula, responses, lhs, rhs_formula, data, used, keep))
        nan_rows, nan_names = _nan_rows(parts, lhs)
        if not nan_rows.any():
            break
        if missing == "raise" or attempt == 1:
            raise ValueError(f"{nan_names} evaluate to NaN for {int(nan_rows.sum())} rows; "
                             "use missing='drop' to drop them")
        keep[np.flatnonzero(keep)[nan_rows]] = False
        dropped += [n for n in nan_names if n not in dropped]

    y, n_trials, X, names, form_offset, spec = parts
    kw = {name: (arr[keep] if arr is not None else None) for name, (_, arr, _) in keywords.items()}
    _check_finite("data", X, names, form_offset, y=y, response=lhs,
                  keywords={k: v for k, v in kw.items() if v is not None})
    _, _, terms = _split_terms(spec)
    _check_empty_terms(formula, spec, terms)
    term_columns = {t: cols for t, cols in terms}
    return Design(
        y=y, n_trials=n_trials, X=X, column_names=names, offset=form_offset,
        var_weights=kw["var_weights"], freq_weights=kw["freq_weights"],
        exposure=kw["exposure"], extra_offset=kw["offset"],
        row_index=data.index[keep], n_dropped=int(len(data) - keep.sum()),
        dropped_columns=dropped, response_name=lhs, has_intercept="Intercept" in term_columns,
        term_names=list(term_columns), term_columns=term_columns, spec=spec, formula=formula,
    )


# --- formula parsing -------------------------------------------------------------------

def _top_level(s, char):
    """Positions of ``char`` in ``s`` outside quotes and brackets."""
    depth, quote, found = 0, None, []
    for i, ch in enumerate(s):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == char and depth == 0:
            found.append(i)
    return found


def _split_formula(formula):
    """``"lhs ~ rhs"`` -> ``("lhs", "rhs")``, splitting at the one top-level ``~``."""
    tildes = _top_level(formula, "~")
    if len(tildes) != 1:
        raise ValueError(f"invalid formula {formula!r}: expected 'response ~ terms' with one '~'")
    lhs, rhs = formula[:tildes[0]].strip(), formula[tildes[0] + 1:].strip()
    if not lhs:
        raise ValueError(f"formula {formula!r} has no response (left-hand side)")
    if not rhs:
        raise ValueError(f"formula {formula!r} has no right-hand side (use '~ 1' for intercept only)")
    return lhs, rhs


def _parse_python(expr, what):
    """Parse a Python expression whose `backquoted names` become placeholders."""
    aliases = {}

    def sub(m):
        aliases[f"__bq{len(aliases)}__"] = m.group(1)
        return f"__bq{len(aliases) - 1}__"

    try:
        tree = ast.parse(re.sub(r"`([^`]*)`", sub, expr).strip(), mode="eval")
    except SyntaxError as e:
        raise ValueError(f"cannot parse {what}: {expr!r} is not a valid expression") from e
    return tree, aliases


def _response_expressions(lhs):
    """The response as a list of expressions: ``[lhs]``, or ``[s, f]`` for ``cbind(s, f)``."""
    tree, _ = _parse_python(lhs, f"response {lhs!r}")
    body = tree.body
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "cbind":
        if len(body.args) != 2 or body.keywords:
            raise ValueError(f"cbind() response {lhs!r} needs exactly two columns: cbind(successes, failures)")
        # Source text of each argument (from the original, backquotes intact).
        inner = lhs.strip()[lhs.strip().index("(") + 1:-1]
        args = _split_top_level_commas(inner)
        return [a.strip() for a in args]
    return [lhs]


def _split_top_level_commas(s):
    cuts = [-1] + _top_level(s, ",") + [len(s)]
    return [s[i + 1:j] for i, j in zip(cuts, cuts[1:])]


def _python_variables(expr, data, what, newdata=False):
    """Data columns an expression reads, in order; an unknown name is an error."""
    if expr in data.columns:
        return [expr]
    tree, aliases = _parse_python(expr, what)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name):
            continue
        name = aliases.get(node.id, node.id)
        if name in data.columns:
            out.append(name)
        elif name not in _KNOWN_NAMES:
            if newdata:
                raise ValueError(f"newdata has no column {name!r} (needed by {what})")
            kind = "function" if id(node) in called else "column"
            raise ValueError(f"unknown {kind} {name!r} in {what}; data columns are {_some(data.columns)}")
    return _unique(out)


def _rhs_variables(terms, data, newdata=False):
    """Data columns the right-hand side (offset terms included) reads.

    Our own walk over the factor expressions: formulaic's ``required_variables``
    misses the arguments of stateful transforms (``poly(x, 2)`` gives nothing).
    """
    out = []
    for term in terms:
        for factor in term.factors:
            method = factor.eval_method.value
            if method == "lookup":
                if factor.expr not in data.columns:
                    if newdata:
                        raise ValueError(f"newdata has no column {factor.expr!r} (needed by term {str(term)!r})")
                    raise ValueError(f"unknown column {factor.expr!r} in formula; "
                                     f"data columns are {_some(data.columns)}")
                out.append(factor.expr)
            elif method == "python":
                out += _python_variables(factor.expr, data, f"term {str(term)!r}", newdata)
    return _unique(out)


def _is_offset(factor):
    """Whether a formulaic factor is an ``offset(...)`` call."""
    if factor.eval_method.value != "python":
        return False
    try:
        body = _parse_python(factor.expr, "offset")[0].body
    except ValueError:
        return False
    return isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "offset"


def _split_terms_of_formula(terms):
    """Split terms into (model terms, offset terms); an offset() inside an interaction is an error."""
    model_terms, offset_terms = [], []
    for term in terms:
        flags = [_is_offset(f) for f in term.factors]
        if any(flags) and len(flags) > 1:
            raise ValueError(f"offset() cannot be part of an interaction: {str(term)!r}")
        (offset_terms if any(flags) else model_terms).append(term)
    return model_terms, offset_terms


def _split_terms(spec):
    """Column positions of the model terms and of the offset terms in the spec's matrix.

    Returns ``(x_positions, offset_positions, [(term name, positions in X), ...])``.
    """
    x_pos, off_pos, terms = [], [], []
    for term, cols in spec.term_indices.items():
        if _split_terms_of_formula([term])[1]:
            if len(cols) != 1:
                raise ValueError(f"{str(term)!r} must give one numeric value per row")
            off_pos += cols
        else:
            name = "Intercept" if str(term) == "1" else str(term)
            terms.append((name, list(range(len(x_pos), len(x_pos) + len(cols)))))
            x_pos += cols
    return x_pos, off_pos, terms


# --- evaluation ------------------------------------------------------------------------

def _materialize(formula, responses, lhs, rhs_formula, data, used, keep):
    """Evaluate the response and the right-hand side on the kept rows."""
    rows = _prepare_frame(_used_rows(data, used, keep), fit=True)
    y, n_trials = _response_values([_eval_response(e, rows, lhs) for e in responses], lhs)
    try:
        mm = model_matrix(rhs_formula, rows, context=_CONTEXT, na_action="ignore", output="numpy")
    except FormulaicError as e:
        raise ValueError(f"cannot build the model matrix of {formula!r}: {_plain(e)}") from e
    except (ValueError, TypeError) as e:  # formulaic's contrasts and transforms raise these bare
        raise ValueError(f"cannot build the model matrix of {formula!r}: {type(e).__name__}: {_plain(e)}") from e
    spec = mm.model_spec
    full = np.asarray(mm, dtype=np.float64)
    x_pos, off_pos, _ = _split_terms(spec)
    X = np.ascontiguousarray(full[:, x_pos])
    names = [spec.column_names[j] for j in x_pos]
    form_offset = full[:, off_pos].sum(axis=1) if off_pos else None
    return y, n_trials, X, names, form_offset, spec


#: Factors are kept as integer codes (see glmstats.factor_matrix) when the dummy columns of the
#: factor terms would hold at least this many entries (rows x columns) and the formula allows it.
FACTOR_CODES_MIN_ELEMENTS = 20_000_000


def _materialize_codes(responses, lhs, rhs_formula, data, used, keep):
    """As :func:`_materialize`, but with the factor terms kept as codes in a FactorMatrix; None when
    the formula does not allow it (interactions, stateful transforms) or the design is small.

    The spec (levels, column names and order) is learned by formulaic on a subset of rows that
    holds every value of every non-float variable, so it equals the spec of all rows; the
    numeric terms are evaluated by formulaic on all rows, and each factor term's codes are the
    subset's dummy columns looked up by value.
    """
    from ..engine.factor_matrix import FactorMatrix

    terms = list(rhs_formula)
    if any(len(term.factors) > 1 for term in terms):
        return None
    rows = _prepare_frame(_used_rows(data, used, keep), fit=True)
    candidates = [c for c in rows.columns if not pd.api.types.is_float_dtype(rows[c])]
    first_rows, value_codes = set(), {}
    for c in candidates:
        if isinstance(rows[c].dtype, pd.CategoricalDtype):  # codes at hand (>= 0: missing rows are out)
            codes = rows[c].cat.codes.to_numpy()
            n_values = len(rows[c].cat.categories)
            first = _first_rows(codes, n_values)
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
        mm = model_matrix(rhs_formula, subset, context=_CONTEXT, na_action="ignore", output="numpy")
    except (FormulaicError, ValueError, TypeError):
        return None  # the full path reports the error
    spec = mm.model_spec
    if spec.transform_state:  # e.g. center(x): its state must come from all rows
        return None
    x_pos, off_pos, _ = _split_terms(spec)
    sub_X = np.asarray(mm, dtype=float)[:, x_pos]
    names = [spec.column_names[j] for j in x_pos]
    position = {j: i for i, j in enumerate(x_pos)}  # spec column -> column of X
    factor_terms, dense_terms = [], []
    for term, spec_cols in spec.term_indices.items():
        if _split_terms_of_formula([term])[1]:
            continue  # an offset() term: evaluated with the numeric terms
        cols = [position[j] for j in spec_cols]
        block = sub_X[:, cols]
        variables = _rhs_variables([term], rows) if cols else []
        is_factor = (len(cols) > 0 and len(variables) == 1 and variables[0] in value_codes
                     and np.all((block == 0) | (block == 1)) and np.all(block.sum(axis=1) <= 1))
        (factor_terms if is_factor else dense_terms).append((term, cols, variables))
    n_factor_cols = sum(len(cols) for _, cols, _ in factor_terms)
    if not factor_terms or len(rows) * n_factor_cols < FACTOR_CODES_MIN_ELEMENTS:
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
    plain = _plain_numeric_block(rows, "Intercept" in names, others)
    if plain is not None:
        dense_names, dense_full = plain
    else:
        dense_formula = " + ".join(["1" if "Intercept" in names else "0"] + others)
        dense_mm = model_matrix(dense_formula, rows, context=_CONTEXT, na_action="ignore", output="numpy")
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
    values = [_eval_response(e, rows, lhs) for e in responses]
    y, n_trials = _response_values(values, lhs)
    return y, n_trials, X, names, form_offset, spec


def _response_values(values, lhs):
    """(y, n_trials) from the evaluated response: one column, or cbind's successes and failures."""
    if len(values) != 2:
        return values[0], None
    s, f = values
    if (s < 0).any() or (f < 0).any():
        raise ValueError(f"cbind() response {lhs!r} has negative counts")
    n_trials = s + f
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(n_trials > 0, s / np.where(n_trials > 0, n_trials, 1.0), 0.0)
    y[np.isnan(s) | np.isnan(f)] = np.nan
    return y, n_trials


def _used_rows(data, used, keep):
    """The columns ``used`` of the rows ``keep``; all rows: a frame of the same column objects (data[used]
    would copy every column: 0.1 s for ten columns of a million rows)."""
    if keep.all():
        return pd.DataFrame({c: data[c] for c in used}, copy=False)
    return data.loc[keep, used]


def _first_rows(codes, n_values, block=1 << 15):
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


def _prepare_frame(frame, fit=False):
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
        elif fit and isinstance(dtype, pd.CategoricalDtype) and _has_unused_categories(frame[c]):
            fixes[c] = frame[c].cat.remove_unused_categories()
    if fixes:
        frame = frame.copy(deep=False)
        for c, values in fixes.items():
            frame[c] = values
    return frame


def _has_unused_categories(series):
    """Whether a categorical Series has a category no row takes (one bincount of its codes)."""
    n_cat = len(series.cat.categories)
    codes = series.cat.codes.to_numpy().astype(np.intp) + 1  # -1 (missing) -> 0
    return bool(n_cat) and bool(np.any(np.bincount(codes, minlength=n_cat + 1)[1:] == 0))


def _plain_numeric_block(rows, intercept, columns):
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


def _eval_response(expr, rows, lhs):
    """One response expression as floats: a column, or Python code over the columns."""
    if expr in rows.columns:
        return _as_float(rows[expr], f"response {expr!r}")
    tree, aliases = _parse_python(expr, f"response {lhs!r}")
    names = {**TRANSFORMS, **_CONTEXT}
    names.update({k: rows[v] for k, v in aliases.items()})
    names.update({c: rows[c] for c in rows.columns if isinstance(c, str) and c.isidentifier()})
    try:
        value = eval(compile(tree, "<response>", "eval"), {"__builtins__": builtins}, names)  # noqa: S307
    except Exception as e:
        raise ValueError(f"cannot evaluate response {expr!r}: {type(e).__name__}: {e}") from e
    value = getattr(value, "__wrapped__", value)  # formulaic's I() wraps its result
    if np.ndim(value) == 0:
        value = np.full(len(rows), value)
    if len(value) != len(rows):
        raise ValueError(f"response {expr!r} must have one value per row")
    return _as_float(value, f"response {expr!r}")


def _as_float(values, what):
    """Values as a 1-d float array (bool -> 0/1, missing -> NaN); non-numeric is an error."""
    if isinstance(values, pd.DataFrame) or np.ndim(values) != 1:
        raise ValueError(f"{what} must be one-dimensional")
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = s.dtype
    numeric = (pd.api.types.is_bool_dtype(dtype)
               or (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype))
               or (dtype == object and pd.api.types.infer_dtype(s, skipna=True)
                   in ("integer", "floating", "mixed-integer-float", "boolean", "decimal", "empty")))
    if not numeric:
        raise ValueError(f"{what} is non-numeric (dtype {dtype}); it must hold numbers or booleans")
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def _resolve_keyword(name, value, data):
    """A keyword argument -> (label for messages, float array of len(data) or None, is a column)."""
    if value is None:
        return name, None, False
    if isinstance(value, str):
        if value not in data.columns:
            raise ValueError(f"{name}={value!r} is not a column of data (columns: {_some(data.columns)})")
        return value, _as_float(data[value], f"{name} column {value!r}"), True
    if np.ndim(value) != 1:
        raise ValueError(f"{name} must be a column name or a 1-d array of length {len(data)}, "
                         f"got a {np.ndim(value)}-d value")
    arr = _as_float(value, name)
    if len(arr) != len(data):
        raise ValueError(f"{name} has length {len(arr)} but data has {len(data)} rows")
    return name, arr, False


# --- checks ----------------------------------------------------------------------------

def _isna(series):
    return np.asarray(pd.isna(series), dtype=bool)


def _numeric_columns(X, names):
    """(name, column) of the columns that can hold NaN or Inf (a FactorMatrix's codes cannot)."""
    if hasattr(X, "dense_cols"):
        return [(names[j], X.dense[:, i]) for i, j in enumerate(X.dense_cols)]
    return [(n, X[:, j]) for j, n in enumerate(names)]


def _nan_rows(parts, response):
    """Rows where the evaluated response, model matrix or offset is NaN, and which of them."""
    y, n_trials, X, names, form_offset, _ = parts
    checks = [(response, y)] + _numeric_columns(X, names)
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


def _check_finite(where, X, names, offset, y=None, response=None, keywords=None):
    """Infinite values give wrong numbers downstream: say where they are."""
    bad = [n for n, col in _numeric_columns(X, names) if not np.isfinite(col).all()]
    if offset is not None and not np.isfinite(offset).all():
        bad.append("offset()")
    if y is not None and not np.isfinite(y).all():
        bad.append(f"response {response!r}")
    bad += [k for k, v in (keywords or {}).items() if not np.isfinite(v).all()]
    if bad:
        raise ValueError(f"non-finite values in {bad} ({where})")


def _check_empty_terms(formula, spec, terms):
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


def _check_levels(spec, materializer, caught):
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


def _unique(items):
    return list(dict.fromkeys(items))


def _some(columns, k=12):
    cols = [str(c) for c in columns]
    return ", ".join(cols[:k]) + (f", ... ({len(cols)} in all)" if len(cols) > k else "")


def _plain(error):
    """formulaic's message without its terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", str(error))
