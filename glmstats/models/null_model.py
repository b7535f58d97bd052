"""The null model of a fit: intercept only (with the offset), or the offset alone without an intercept.

R's ``glm`` refits it with the same offset and prior weights (starting from the full model's fitted
values, ``mustart``) for ``null.deviance``; ``llnull`` is its log-likelihood.
"""

import warnings

import numpy as np

from ..engine.data import GLMData
from ..engine.irls import evaluate_mu, irls
from ..exceptions import ConvergenceWarning, FitError

__all__ = ["null_fit"]


def null_fit(state):
    """(mu0, deviance0) of the null model of a fit state (R: ``null.deviance``).

    Without an intercept the null model is the offset alone; with one and no offset the intercept is the
    weighted mean of y; with both it is refitted by IRLS at ``tol = min(tol, 1e-10)``, started from the full
    model's fitted values. A refit that fails gives NaN with a ConvergenceWarning.
    """
    d, family = state.data, state.family
    if not state.has_intercept:
        mu0 = family.link.inverse(d.offset)
    elif not state.has_offset:
        pos = d.weights > 0
        mu0 = np.full_like(d.y, np.sum(d.weights[pos] * d.y[pos]) / np.sum(d.weights[pos]))
    else:
        null = GLMData(X=np.ones((d.y.shape[0], 1)), y=d.y, weights=d.weights, offset=d.offset)
        try:
            fit = irls(null, family, mustart=state.mu, maxiter=max(state.maxiter, 100), tol=min(state.tol, 1e-10))
        except FitError as e:
            warnings.warn(f"the null model (intercept and offset) could not be fitted ({e}); null_deviance and "
                          "llnull are NaN", ConvergenceWarning, stacklevel=4)
            mu0 = np.full_like(d.y, np.nan)
        else:
            mu0 = evaluate_mu(null, family, fit.beta)[1]
    return mu0, family.deviance(d.y, mu0, d.weights)
