"""Inputs of the array interface, made into arrays and checked; the rows of new data for prediction.

``GLM(y, X, ...)`` (statsmodels' interface) takes arrays, DataFrames and Series: this module turns
them into float arrays with names, scans X once for missing values and constant columns, and
builds :class:`DesignRows`, which makes the design rows and offset of new data the way the fit's
did (the formula's spec, or the array interface's column names).
"""

import numpy as np
import pandas as pd

from ..engine.blocks import block_rows, map_partitions, row_blocks, vector_blocks
from ..engine.matrix import DenseMatrix
from ..formula import proportions, split_formula

__all__ = ["numeric_exog", "vector", "endog", "factor_response", "binary_response", "scan_exog", "any_by_blocks", "constant_column",
           "DesignRows", "aligned_index"]


def unmasked(value):
    """A numpy masked array as floats with NaN where masked (its masked entries are missing values, handled
    by ``missing``); anything else unchanged. The values hidden under the mask are never read."""
    if isinstance(value, np.ma.MaskedArray):
        try:
            return np.ma.filled(value.astype(float), np.nan)
        except (TypeError, ValueError):
            raise ValueError("a masked array must hold numbers") from None
    return value


def aligned_index(named):
    """The common pandas index of the array interface's inputs (``{name: value}``), or None when none has one.

    Inputs are paired row by row; pandas objects whose indexes differ would be paired by position, not by label,
    so that is an error (as in statsmodels) naming the inputs.
    """
    indexed = [(k, v.index) for k, v in named.items() if isinstance(v, (pd.Series, pd.DataFrame))]
    if not indexed:
        return None
    first_name, first = indexed[0]
    for name, index in indexed[1:]:
        if not index.equals(first):
            raise ValueError(f"the pandas indexes of {first_name} and {name} differ; rows are paired by position, so "
                             f"align them first (e.g. {name} = {name}.loc[{first_name}.index]) or pass numpy arrays")
    return first


def column_names(X):
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    return [f"x{j + 1}" for j in range(X.shape[1])]


def numeric_exog(exog):
    """exog as a float (n, p) array and its column names; non-numeric columns are an error."""
    exog = unmasked(exog)
    if exog is None:
        raise ValueError("exog is required: a 2-d array or DataFrame of predictors (no intercept is added; "
                         "use a column of ones for one)")
    if isinstance(exog, pd.Series):
        exog = exog.to_frame()
    if isinstance(exog, pd.DataFrame):
        names = column_names(exog)
        dups = sorted({n for n in names if names.count(n) > 1})
        if dups:
            raise ValueError(f"exog has duplicated column names {dups}; parameters are named by column, so "
                             "rename them")
        bad = [str(c) for c in exog.columns
               if not (pd.api.types.is_numeric_dtype(exog[c]) or pd.api.types.is_bool_dtype(exog[c]))
               or pd.api.types.is_complex_dtype(exog[c])]
        if bad:
            raise ValueError(f"exog has non-numeric columns {bad}; encode them (e.g. with the formula interface, "
                             "which makes dummy variables) before using the array interface")
        names = column_names(exog)
        X = exog.to_numpy(dtype=float, na_value=np.nan)
    else:
        arr = np.asarray(exog)
        if arr.dtype.kind == "c":
            raise ValueError("exog must be real-valued; it holds complex numbers")
        if arr.dtype.kind not in "biuf":
            try:
                arr = arr.astype(float)
            except (TypeError, ValueError):
                raise ValueError("exog must be numeric; it holds values that are not numbers") from None
        X = np.asarray(arr, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        if X.ndim != 2:
            raise ValueError(f"exog must be 2-dimensional, got {X.ndim} dimensions")
        names = column_names(X)
    return np.ascontiguousarray(X), names


def vector(value, name, n):
    """A keyword array argument (offset, weights, ...) as a float vector of length n, or None."""
    value = unmasked(value)
    if value is None:
        return None
    if isinstance(value, str):
        raise ValueError(f"{name}={value!r} names a column, which only the formula interface (gs.glm) can look up; "
                         "pass an array to GLM()")
    if np.iscomplexobj(value):
        raise ValueError(f"{name} must be real-valued; it holds complex numbers")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    arr = arr.reshape(-1) if arr.ndim == 2 and 1 in arr.shape else arr
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array of length {n}, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has length {arr.shape[0]}, but there are {n} observations")
    return arr


def endog(values, family):
    """y as a float vector; a two-column (successes, failures) response becomes proportions and trials."""
    name = "y"
    if isinstance(values, pd.Series) and values.name is not None:
        name = str(values.name)
    if isinstance(values, pd.DataFrame):
        if values.shape[1] == 1:
            name = str(values.columns[0])
        elif values.shape[1] == 2:
            name = f"cbind({values.columns[0]}, {values.columns[1]})"
    if values is None:
        raise ValueError("endog (y) is required")
    arr = np.asarray(unmasked(values))
    if arr.dtype.kind == "c":
        raise ValueError("endog (y) must be real-valued; it holds complex numbers")
    if arr.dtype.kind == "b":
        arr = arr.astype(float)
    if arr.dtype.kind not in "iuf":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise ValueError("endog (y) must be numeric (0/1 or counts for binomial); it holds values that are "
                             "not numbers") from None
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 1:
        return arr, None, name
    if arr.ndim == 2 and arr.shape[1] == 2:
        if not family.proportion_response:
            raise ValueError("a two-column response (successes, failures) needs the binomial or quasibinomial family")
        if np.any(arr < 0):
            raise ValueError(f"the two-column response {name} has negative counts")
        y, trials = proportions(arr[:, 0], arr[:, 1])
        return y, trials, name
    raise ValueError(f"endog must be 1-dimensional (or two columns of successes and failures), got shape {arr.shape}")


def factor_response(formula, data, family):
    """A categorical response of a binomial model, as level codes (R: a factor response).

    R's ``glm`` builds its model frame with ``drop.unused.levels = TRUE`` after removing the rows with
    missing values, and the binomial family then counts every level but the first as a success. The
    levels actually present are known only once the design has dropped its incomplete rows, so the
    column is replaced here by its level codes 0, 1, ... (NaN where missing) and
    :func:`binary_response` picks the first level present afterwards.

    Returns
    -------
    data : DataFrame
        ``data``, or a copy with the response column replaced by float level codes.
    levels : list or None
        The response's levels in order (a Categorical's categories, else the sorted values); None
        when the response is not categorical.
    """
    if not (family.proportion_response and isinstance(formula, str) and isinstance(data, pd.DataFrame)):
        return data, None
    try:
        lhs = split_formula(formula)[0]
    except ValueError:
        return data, None  # the design reports the malformed formula
    if lhs not in data.columns:
        return data, None
    col = data[lhs]
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return data, None
    if isinstance(col.dtype, pd.CategoricalDtype):
        levels = list(col.cat.categories)
        codes = col.cat.codes.to_numpy().astype(float)
    else:
        kind = pd.api.types.infer_dtype(col, skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float", "boolean", "decimal"):
            return data, None  # numbers held in an object column: the design reads them as numbers
        if kind not in ("string", "empty"):
            raise ValueError(f"the response {lhs!r} mixes strings with other values ({kind}); give a binomial "
                             "response as numbers in [0, 1], booleans, or one kind of label")
        levels = sorted(col.dropna().unique())
        codes = pd.Categorical(col, categories=levels).codes.astype(float)
    codes[codes < 0] = np.nan
    data = data.copy()
    data[lhs] = codes
    return data, levels


def binary_response(codes, levels, name):
    """0/1 from the level codes of :func:`factor_response` over the rows kept: 0 for the first level present
    (R: ``y != levels(y)[1]`` after ``drop.unused.levels``), 1 for every other level."""
    present = np.unique(codes)
    if present.size < 2:
        kept = [levels[int(c)] for c in present]
        raise ValueError(f"the response {name!r} has a single level {kept} in the rows used; a binomial model "
                         "needs two")
    return (codes != present[0]).astype(float)


def scan_exog(X):
    """One pass over X by row blocks (in IRLS's partitions and threads): the rows holding a NaN or an
    infinity (row sums propagate them), and whether each column is constant and non-zero (followed only for
    the columns still constant)."""
    n, p = X.shape
    if p == 0 or n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(p, dtype=bool)
    ones, first = np.ones(p), X[0]

    def scan(rows):
        lo, hi = rows
        candidates, found = np.flatnonzero(first != 0), []
        for sl in row_blocks(hi - lo, block_rows(n, p)):
            xb = X[lo + sl.start:lo + sl.stop]
            found.append(lo + sl.start + np.flatnonzero(~np.isfinite(np.dot(xb, ones))))  # np.dot: threads
            if candidates.size:
                candidates = candidates[np.all(xb[:, candidates] == first[candidates], axis=0)]
        return np.concatenate(found), candidates

    parts = map_partitions(scan, n, p)
    constant = np.ones(p, dtype=bool)
    for _, candidates in parts:  # constant in every partition
        in_part = np.zeros(p, dtype=bool)
        in_part[candidates] = True
        constant &= in_part
    return np.concatenate([found for found, _ in parts]), constant


def any_by_blocks(test, n):
    """Whether ``test(slice)`` holds anywhere, evaluated on row blocks (no full-length temporaries)."""
    return any(np.any(test(sl)) for sl in vector_blocks(n))


def constant_column(X, rows):
    """The first column of X that is constant and non-zero over ``rows`` (a boolean mask), or None; read only
    where the first of those rows suggest one (no copy of X)."""
    first = np.flatnonzero(rows)[:64]
    if first.size == 0:
        return None
    head = X[first]
    for j in np.flatnonzero(np.all(head == head[0], axis=0) & (head[0] != 0)):
        if np.all(X[rows, j] == head[0, j]):
            return int(j)
    return None


class DesignRows:
    """Design rows and offset of new data, made as the fit's were (``predict(newdata)``).

    Parameters
    ----------
    exog_names : list of str
        The design's column names.
    design : glmstats.formula.Design or None
        The formula's design (its spec rebuilds the columns; offset() terms are evaluated on new
        data); None for the array interface (new data are a design matrix, or a DataFrame holding
        the columns by name).
    offset, exposure : str, array-like or None
        As given to the model: a column name is looked up in new data; an array means the
        caller must give the new rows' values.
    """

    def __init__(self, exog_names, design=None, offset=None, exposure=None):
        self.exog_names = list(exog_names)
        self.design = design
        self.sources = {"offset": offset, "exposure": exposure}

    def __call__(self, newdata, offset=None, exposure=None):
        """(X, offset) for ``newdata``: X a DesignMatrix with the fit's columns, offset an n-vector."""
        if self.design is not None:
            if not isinstance(newdata, pd.DataFrame):
                raise TypeError("newdata must be a pandas DataFrame for a model built from a formula")
            X, off = self.design.transform(newdata)
            offs = [] if off is None else [np.asarray(off, dtype=float)]
        else:
            if isinstance(newdata, pd.DataFrame) and set(self.exog_names) <= set(map(str, newdata.columns)):
                newdata = newdata[[c for c in newdata.columns if str(c) in self.exog_names]]
                newdata.columns = [str(c) for c in newdata.columns]
                newdata = newdata[self.exog_names]
            X, _ = numeric_exog(newdata)
            if X.shape[1] != len(self.exog_names):
                raise ValueError(f"newdata has {X.shape[1]} columns, the model has {len(self.exog_names)}")
            offs = []
        n = X.shape[0]
        for name, given in (("offset", offset), ("exposure", exposure)):
            source = self.sources.get(name)
            if given is None and isinstance(source, str) and self.design is not None:
                if source not in newdata.columns:
                    raise ValueError(f"newdata has no column {source!r}, which the model uses as its {name}")
                given = newdata[source].to_numpy(dtype=float)
            elif given is None and source is not None:
                raise ValueError(f"the model was fitted with an {name} array; pass {name}= for the new rows")
            if given is not None:
                v = vector(given, name, n)
                if name == "exposure":
                    if np.any(v <= 0):
                        raise ValueError("exposure must be positive")
                    v = np.log(v)
                offs.append(v)
        return DenseMatrix(X), (sum(offs) if offs else np.zeros(n))
