"""Submodels of a fit for the analysis of deviance: refits on column subsets, R's Rao score statistic.

Submodels are refitted with the same response, prior weights, offset and family by the IRLS engine (a
factor-codes design stays codes), with ``tol = min(res.tol, 1e-10)`` so that the deviance differences are
exact to many more digits than they are printed with.
"""

import warnings

import numpy as np

from ..engine.data import GLMData
from ..engine.irls import evaluate_mu, irls
from ..engine.kernels import working_terms
from ..exceptions import ConvergenceWarning
from ..families import Gaussian

__all__ = ["SubFit", "droppable", "full_fit", "refit", "score_ss"]


def droppable(terms):
    """Terms not contained in another term (R's ``drop.scope``: ``a`` and ``b`` stay while ``a:b`` is in)."""
    out = []
    for i, (name, cols, fi) in enumerate(terms):
        if not any(fi <= fj for j, (_, _, fj) in enumerate(terms) if j != i):
            out.append((name, cols))
    return out


class SubFit:
    """Deviance, rank and the working residuals/weights of a (sub)model fit (R's glm.fit quantities)."""

    def __init__(self, family, data, eta, deviance, rank, eta_weights=None):
        self.deviance, self.rank = float(deviance), int(rank)
        self.work_weights, self.work_resid = working_terms(family, data.y, data.weights, eta, eta_weights)


def full_fit(res, r_weights=False):
    """The fit of ``res``; ``r_weights``: working weights as R's ``m$weights``, i.e. those of the last IRLS
    iteration, evaluated at the coefficients before its update (identical to the final ones once converged)."""
    state = res.fit_state
    eta_w = state.weights_eta if r_weights else None
    return SubFit(res.family, state.data, state.eta, res.deviance, res.rank, eta_weights=eta_w)


def refit(res, cols):
    """Refit ``res``'s model on the columns ``cols`` (same y, weights, offset, family; a factor-codes design
    stays codes)."""
    d = res.fit_state.data
    fam = res.family
    cols = sorted(cols)
    if not cols:  # offset only (R's EMPTY model)
        eta = np.array(d.offset, dtype=float)
        return SubFit(fam, d, eta, fam.deviance(d.y, fam.link.inverse(eta), d.weights), 0)
    sub = d.with_columns(cols)
    tol = min(res.tol, 1e-10)
    maxiter = max(res.maxiter, 100)
    fit = irls(sub, fam, maxiter=maxiter, tol=tol)
    if not fit.converged:
        warnings.warn(f"refitting a submodel ({len(cols)} columns) for the analysis of deviance did not converge in "
                      f"{maxiter} iterations (tol={tol:g}); its deviance is the last iterate's",
                      ConvergenceWarning, stacklevel=4)
    eta, _ = evaluate_mu(sub, fam, fit.beta)
    return SubFit(fam, sub, eta, fit.deviance, int(fit.kept.sum()))


def score_ss(X, small, centre=True):
    """R's Rao statistic before scaling: ``glm.fit(X, r, w, intercept = centre)``'s null deviance minus its
    deviance.

    r, w are the working residuals and weights of the smaller fit; the regression is Gaussian with an
    identity link, so this is the weighted regression sum of squares of r on X,

        score = sum w (r - r0)^2 - min_b sum w (r - X b)^2,

    measured from r0 = the weighted mean of r when ``centre`` (glm.fit's null model with
    ``intercept = TRUE``), from r0 = 0 otherwise. The score statistic r'WX (X'WX)^- X'Wr is the latter;
    the two agree when the smaller model has an intercept (its working residuals then have weighted mean
    0). R centres as the smaller model's formula has an intercept in ``anova.glm`` and ``anova.glmlist``,
    always in ``drop1.glm``. The regression is run by the engine, like any fit (row blocks, a factor-codes
    design kept as codes, R's aliasing rule).
    """
    w, r = small.work_weights, small.work_resid
    pos = w > 0
    rbar = np.sum(w[pos] * r[pos]) / np.sum(w[pos]) if centre else 0.0
    null = float(np.sum(w[pos] * (r[pos] - rbar) ** 2))
    if X.shape[1] == 0:
        return null - float(np.sum(w[pos] * r[pos] ** 2))
    data = GLMData(X=X, y=r, weights=w, offset=np.broadcast_to(0.0, r.shape))
    rss = irls(data, Gaussian(), maxiter=25, tol=1e-12).deviance
    score = null - rss
    # a score that is 0 in exact arithmetic (nothing to add) can come out as -1e-16: call it 0
    return 0.0 if -1e-10 * max(null, rss) <= score < 0 else score
