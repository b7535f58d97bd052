"""The response and the keyword columns of a formula model as float arrays.

``cbind(successes, failures)`` becomes proportions and trials (:func:`proportions`, also used by the
array interface's two-column response); keyword arguments (offset, exposure, weights) may name a
column or be arrays.
"""

import numpy as np
import pandas as pd

from .parse import some_columns

__all__ = ["KEYWORDS", "proportions", "response_values", "as_float", "resolve_keyword"]

KEYWORDS = ("offset", "exposure", "var_weights", "freq_weights")


def proportions(successes, failures):
    """(y, trials) of a binomial response given as successes and failures (R's ``cbind(s, f)``): y = s / (s + f),
    0 where there are no trials, NaN where either count is missing."""
    trials = successes + failures
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(trials > 0, successes / np.where(trials > 0, trials, 1.0), 0.0)
    y[np.isnan(trials)] = np.nan
    return y, trials


def response_values(values, lhs):
    """(y, n_trials) from the evaluated response: one column, or cbind's successes and failures."""
    if len(values) != 2:
        return values[0], None
    s, f = values
    if (s < 0).any() or (f < 0).any():
        raise ValueError(f"cbind() response {lhs!r} has negative counts")
    return proportions(s, f)


def as_float(values, what):
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


def resolve_keyword(name, value, data):
    """A keyword argument -> (label for messages, float array of len(data) or None, is a column)."""
    if value is None:
        return name, None, False
    if isinstance(value, str):
        if value not in data.columns:
            raise ValueError(f"{name}={value!r} is not a column of data (columns: {some_columns(data.columns)})")
        return value, as_float(data[value], f"{name} column {value!r}"), True
    if np.ndim(value) != 1:
        raise ValueError(f"{name} must be a column name or a 1-d array of length {len(data)}, "
                         f"got a {np.ndim(value)}-d value")
    arr = as_float(value, name)
    if len(arr) != len(data):
        raise ValueError(f"{name} has length {len(arr)} but data has {len(data)} rows")
    return name, arr, False
