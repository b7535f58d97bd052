"""The null model of a fit: intercept only (with the offset), or the offset alone without an intercept.

R's ``glm`` refits it with the same offset and prior weights (starting from the full model's fitted
values, ``mustart``) for ``null.deviance``; ``llnull`` is its log-likelihood.

Its means are never held as an n-vector: the null model is a function of the offset and one number (the
intercept), so :class:`NullModel` makes them a row block at a time, as the fit's own passes do.
"""

import warnings
from dataclasses import dataclass, replace

import numpy as np

from ..engine.blocks import vector_blocks
from ..engine.data import GLMData
from ..engine.irls import irls
from ..engine.matrix import InterceptMatrix
from ..exceptions import ConvergenceWarning, FitError

__all__ = ["NullModel", "null_fit"]


@dataclass(frozen=True, eq=False)
class NullModel:
    """The fitted null model: its deviance and its means by row blocks.

    Attributes
    ----------
    deviance : float
        R's ``null.deviance`` (NaN when the refit failed).
    family : Family
    offset : ndarray
    intercept : float or None
        The intercept on the link scale (NaN when the refit failed); None without an intercept.
    mean : float or None
        The means of an intercept without offset: the weighted mean of y itself (g^-1(g(mean)) may differ
        from it in the last bit).
    """

    deviance: float
    family: object
    offset: np.ndarray
    intercept: object = None
    mean: object = None

    def mu(self, sl):
        """The null model's means on the rows ``sl``."""
        offset = self.offset[sl]
        if self.mean is not None:
            return np.full(offset.shape[0], self.mean)
        if self.intercept is None:
            return self.family.link.inverse(offset)
        return self.family.link.inverse(offset + self.intercept)

    def mu_blocks(self):
        """Yield (slice, mu) over the rows in order."""
        for sl in vector_blocks(self.offset.shape[0]):
            yield sl, self.mu(sl)


class _FittedMeans:
    """The full model's fitted values as the null refit's ``mustart``, computed a row block at a time."""

    def __init__(self, state):
        self._state = state

    def __getitem__(self, sl):
        d = self._state.data
        eta = d.X.rows(sl).matvec(self._state.estimate) + d.offset[sl]
        return self._state.family.link.inverse(eta)

    def __array__(self, dtype=None, copy=None):  # the message of a failed start reads the whole (rare)
        return np.asarray(self._state.mu, dtype=dtype)


def _deviance(family, data, mu_of):
    """The deviance at the means ``mu_of(slice)``, summed over row blocks."""
    return float(sum(family.deviance(data.y[sl], mu_of(sl), data.weights[sl])
                     for sl in vector_blocks(data.y.shape[0])))


def null_fit(state):
    """The :class:`NullModel` of a fit state (R: ``null.deviance``).

    Without an intercept the null model is the offset alone; with one and no offset the intercept is the
    link of the weighted mean of y; with both it is refitted by IRLS at ``tol = min(tol, 1e-10)``, started from
    the full model's fitted values. A refit that fails gives NaN with a ConvergenceWarning.
    """
    d, family = state.data, state.family
    if not state.has_intercept:
        null = NullModel(np.nan, family, d.offset)
    elif not state.has_offset:
        total = weighted = 0.0
        for sl in vector_blocks(d.y.shape[0]):
            w = d.weights[sl]
            pos = w > 0
            total += float(np.sum(w[pos]))
            weighted += float(np.sum(w[pos] * d.y[sl][pos]))
        null = NullModel(np.nan, family, d.offset, mean=weighted / total if total > 0 else np.nan)
    else:
        data = GLMData(X=InterceptMatrix(d.y.shape[0]), y=d.y, weights=d.weights, offset=d.offset)
        try:
            fit = irls(data, family, mustart=_FittedMeans(state), maxiter=max(state.maxiter, 100),
                       tol=min(state.tol, 1e-10))
        except FitError as e:
            warnings.warn(f"the null model (intercept and offset) could not be fitted ({e}); null_deviance and "
                          "llnull are NaN", ConvergenceWarning, stacklevel=4)
            return NullModel(np.nan, family, d.offset, intercept=np.nan)
        null = NullModel(np.nan, family, d.offset, intercept=float(np.nan_to_num(fit.beta[0], nan=0.0)))
    with np.errstate(all="ignore"):
        deviance = _deviance(family, d, null.mu)
    return replace(null, deviance=deviance)
