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

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from formulaic import Formula, ModelSpec, SimpleFormula
from formulaic.errors import FormulaicError

from .checks import check_empty_terms, check_finite, check_levels, isna, nan_rows
from .materialize import materialize, materialize_codes, prepare_frame
from .parse import check_formula_arguments, plain_message, response_expressions, split_formula, string_columns, unique
from .response import KEYWORDS, resolve_keyword
from .size import check_dense_size
from .terms import CONTEXT, python_variables, rhs_variables, split_terms, split_terms_of_formula

__all__ = ["Design", "build_design", "FACTOR_CODES_MIN_ELEMENTS", "MAX_DENSE_DESIGN_BYTES"]

#: Factors are kept as integer codes (see glmstats.engine.factor_matrix) when the dummy columns of the
#: factor terms would hold at least this many entries (rows x columns) and the formula allows it.
FACTOR_CODES_MIN_ELEMENTS = 20_000_000

#: The largest dense design (bytes: 8 x columns x (rows + columns), the model matrix and its cross-product
#: matrix) build_design makes; a larger one is a ValueError naming the terms, raised before anything is
#: allocated (an interaction of two 1,000-level factors has a million columns). None: a quarter of the
#: machine's physical memory (formulaic's evaluation holds two to three times the design at its peak).
MAX_DENSE_DESIGN_BYTES = None


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
    column_kinds : dict of str to str
        The kind of each data column the right-hand side uses at fit time (:func:`column_kind`); new
        data must give each column the same kind.
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
    column_kinds: dict = field(default_factory=dict)

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
        newdata = string_columns(newdata, "newdata")
        if newdata.columns.has_duplicates:
            dup = sorted(set(map(str, newdata.columns[newdata.columns.duplicated()])))
            raise ValueError(f"newdata has duplicated column names {dup}")
        needed = rhs_variables(self.spec.formula, newdata, newdata=True)
        changed = [f"{c!r} ({self.column_kinds[c]} when fitted, {column_kind(newdata[c])} in newdata)"
                   for c in needed if c in self.column_kinds and column_kind(newdata[c]) != self.column_kinds[c]]
        if changed:
            # numbers for a factor would otherwise be read as values of its dummy columns, or strings for a
            # number as a new factor: never what the user meant (R's .checkMFClasses stops here too)
            raise ValueError(f"newdata gives column(s) {', '.join(changed)} a different kind than the data the "
                             "model was fitted on; convert them (e.g. .astype(str) for a factor given as numbers)")
        na_cols = [c for c in needed if isna(newdata[c]).any()]
        if na_cols:
            raise ValueError(f"newdata has missing values in column(s) {na_cols}; "
                             "drop or fill those rows before predicting")
        materializer = self.spec.get_materializer(prepare_frame(newdata[needed], fit=True), context=CONTEXT)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                mm = materializer.get_model_matrix(self.spec)
            except FormulaicError as e:
                raise ValueError(f"cannot build the model matrix of {self.formula!r} "
                                 f"for newdata: {plain_message(e)}") from e
        for w in check_levels(self.spec, materializer, caught):  # not ours to swallow: pass on
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        full = np.asarray(mm, dtype=np.float64)
        x_pos, off_pos, _ = split_terms(self.spec)
        X_new = np.ascontiguousarray(full[:, x_pos])
        offset_new = full[:, off_pos].sum(axis=1) if off_pos else None
        check_finite("newdata", X_new, self.column_names, offset_new)
        return X_new, offset_new


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
    lhs, rhs = split_formula(formula)
    responses = response_expressions(lhs)
    lhs_vars = unique(v for e in responses for v in python_variables(e, data, f"response {lhs!r}"))

    # keyword -> (its name or column name, float array or None, given as a column?)
    keywords = {name: resolve_keyword(name, value, data)
                for name, value in zip(KEYWORDS, (offset, exposure, var_weights, freq_weights))}
    kw_columns = [label for label, arr, is_column in keywords.values() if is_column]

    # `.` stands for every column the formula does not otherwise name (R: all but
    # the response; the weight columns are left out too, being no predictors).
    available = [c for c in data.columns if c not in set(lhs_vars) | set(kw_columns)]
    try:
        rhs_formula = Formula(rhs, _context={"__formulaic_variables_available__": available})
    except FormulaicError as e:
        raise ValueError(f"invalid formula {formula!r}: {plain_message(e)}") from e
    except (SyntaxError, RecursionError, MemoryError) as e:  # Python's parser gives up on deep nesting
        raise ValueError(f"the formula is nested too deeply to parse ({type(e).__name__}); simplify it, e.g. compute "
                         "the transformed column in the data first") from None
    if not isinstance(rhs_formula, SimpleFormula):
        raise ValueError(f"invalid formula {formula!r}: multi-part formulas ('|') are not supported")
    rhs_vars = rhs_variables(rhs_formula, data)
    check_column_types(data, unique(lhs_vars + rhs_vars))
    if "Intercept" in rhs_vars:
        # formulaic names the intercept "Intercept": the column would share its name, and the models would
        # read it as the intercept (anova, drop1, the null deviance, Wald tests)
        raise ValueError("data has a column named 'Intercept', which is the name of the intercept's "
                         "coefficient; rename the column (e.g. data.rename(columns={'Intercept': 'intercept_'}))")
    split_terms_of_formula(rhs_formula)  # reject offset() inside interactions early

    # R's na.omit on the variables themselves (not on formulaic's output): a NA
    # in an unused column never drops a row, and formulaic is given complete rows.
    used = unique(lhs_vars + rhs_vars + kw_columns)
    na_by_var = {c: isna(data[c]) for c in used}
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
        parts = materialize_codes(responses, lhs, rhs_formula, data, used, keep, FACTOR_CODES_MIN_ELEMENTS)
        if parts is None:
            # before formulaic allocates anything: a design far too large fails here, naming its terms
            check_dense_size(formula, rhs_formula, data, None if keep.all() else keep, MAX_DENSE_DESIGN_BYTES)
            parts = materialize(formula, responses, lhs, rhs_formula, data, used, keep)
        bad_rows, nan_names = nan_rows(parts, lhs)
        if not bad_rows.any():
            break
        if missing == "raise" or attempt == 1:
            raise ValueError(f"{nan_names} evaluate to NaN for {int(bad_rows.sum())} rows; "
                             "use missing='drop' to drop them")
        keep[np.flatnonzero(keep)[bad_rows]] = False
        dropped += [n for n in nan_names if n not in dropped]

    y, n_trials, X, names, form_offset, spec = parts
    check_unique_names(names, formula)
    kw = {name: (arr[keep] if arr is not None else None) for name, (_, arr, _) in keywords.items()}
    check_finite("data", X, names, form_offset, y=y, response=lhs,
                  keywords={k: v for k, v in kw.items() if v is not None})
    _, _, terms = split_terms(spec)
    check_empty_terms(formula, spec, terms)
    term_columns = {t: cols for t, cols in terms}
    return Design(
        y=y, n_trials=n_trials, X=X, column_names=names, offset=form_offset,
        var_weights=kw["var_weights"], freq_weights=kw["freq_weights"],
        exposure=kw["exposure"], extra_offset=kw["offset"],
        row_index=data.index[keep], n_dropped=int(len(data) - keep.sum()),
        dropped_columns=dropped, response_name=lhs, has_intercept="Intercept" in term_columns,
        term_names=list(term_columns), term_columns=term_columns, spec=spec, formula=formula,
        column_kinds={c: column_kind(data[c]) for c in rhs_vars if c in data.columns},
    )


def check_column_types(data, columns):
    """Columns a formula cannot use as they are: dates and durations (no arithmetic a model could use), intervals,
    periods and complex numbers; the error names the column, its dtype and a conversion."""
    for c in columns:
        dtype = data[c].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
            hint = f"e.g. days since a date, (data[{c!r}] - data[{c!r}].min()).dt.days, or data[{c!r}].dt.year"
        elif pd.api.types.is_timedelta64_dtype(dtype):
            hint = f"e.g. data[{c!r}].dt.total_seconds()"
        elif isinstance(dtype, pd.IntervalDtype):
            hint = "e.g. the interval's midpoint, or its label as a string (a factor)"
        elif pd.api.types.is_complex_dtype(dtype):
            hint = "real and imaginary parts as two columns"
        else:
            continue
        raise ValueError(f"column {c!r} has dtype {dtype}, which a formula cannot use directly; convert it ({hint})")


def check_unique_names(names, formula):
    """Parameter names must be unique: a data column named like a design column (``g[T.b]`` next to a
    factor ``g``) would otherwise merge two coefficients under one name in every table and test."""
    seen, dups = set(), []
    for name in names:
        if name in seen and name not in dups:
            dups.append(name)
        seen.add(name)
    if dups:
        raise ValueError(f"the formula {formula!r} makes more than one column named {dups}; rename the data "
                         "column(s)")


def column_kind(col):
    """"numeric", "boolean" or "categorical": how a data column enters a formula (booleans and everything
    that is not a number are factors; a numeric column given to ``C()`` stays numeric data)."""
    if pd.api.types.is_bool_dtype(col):
        return "boolean"
    if pd.api.types.is_numeric_dtype(col):
        return "numeric"
    return "categorical"
