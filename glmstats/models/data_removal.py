"""``GLMResults.remove_data()``: drop the per-row arrays of a fit, keep what the summary and predict(newdata) need.

As statsmodels' ``remove_data``: the results and their model keep the estimates, the covariance,
the fit statistics and what builds the design rows of new data (the formula's spec, the column
names, the family), and drop the design matrix, the response, the weights, the offsets and the
fitted values. Anything that needs them afterwards raises :class:`RemovedDataError` saying so.
"""

import dataclasses

import numpy as np
import pandas as pd

from ..engine.matrix import DesignMatrix

__all__ = ["remove_data", "RemovedData", "RemovedDataError"]


class RemovedDataError(AttributeError):
    """Raised when a quantity needs the rows that ``remove_data()`` dropped."""


class RemovedData:
    """Stands where a fit's data were: knows their shape, raises :class:`RemovedDataError` for anything else."""

    def __init__(self, shape, what="data"):
        self.shape = tuple(shape)
        self._what = what

    def __getattr__(self, name):
        if name.startswith("_"):  # (pickle's and copy's probes; _what itself while unpickling)
            raise AttributeError(name)
        raise RemovedDataError(f"the {self._what} of this fit were dropped by remove_data(); refit the model to get "
                               f"{name!r} or anything computed from the rows")

    def __len__(self):
        return self.shape[0]


class RemovedNull(RemovedData):
    """The null model after ``remove_data()``: its deviance, nothing per row."""

    def __init__(self, deviance, shape):
        super().__init__(shape, "null model's rows")
        self.deviance = deviance


def _strip_design(design):
    """The formula's design with its n-row arrays emptied (the spec, names and terms kept for new data)."""
    changes = {}
    for f in dataclasses.fields(design):
        value = getattr(design, f.name)
        if isinstance(value, (np.ndarray, pd.Index)) and value.ndim >= 1:
            changes[f.name] = value[:0]
        elif isinstance(value, DesignMatrix):  # a design kept as factor codes
            changes[f.name] = value.rows(slice(0, 0))
    return dataclasses.replace(design, **changes)


def remove_data(res):
    """Drop the rows of ``res`` and of its model (in place); see :meth:`GLMResults.remove_data`."""
    for name in ("llf", "llnull", "bse", "tvalues", "pvalues"):
        getattr(res, name)  # computed now, kept after
    dev0 = res.null_deviance
    # the null model keeps its deviance; its means (row blocks) are gone with the data
    res.__dict__["_null"] = RemovedNull(dev0, shape=(res.fit_state.data.shape[0],))
    state = res.fit_state
    shape = state.data.shape
    rows = state.design_rows
    if getattr(rows, "design", None) is not None:
        rows.design = _strip_design(rows.design)
    gone = RemovedData(shape)
    kept = {"pearson_chi2": state.pearson_chi2}  # the summary shows it
    if "working_chi2" in state.__dict__:
        kept["working_chi2"] = state.working_chi2
    new = dataclasses.replace(state, data=gone, var_weights=gone, freq_weights=gone, n_trials=gone, row_index=gone)
    new.__dict__.update(kept)
    res.fit_state = new
    model = res.model
    for name in ("var_weights", "freq_weights", "n_trials", "offset", "exposure", "row_index"):
        if name in model.__dict__:
            model.__dict__[name] = gone
    model.__dict__["data"] = gone
    model.__dict__.pop("_frame", None)
    if getattr(model, "design", None) is not None:
        model.design = rows.design if getattr(rows, "design", None) is not None else _strip_design(model.design)
    return res
