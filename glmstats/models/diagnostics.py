"""What a fit reports about itself: convergence, aliased and nearly collinear columns, separation.

:func:`diagnose` is called once by ``fit()`` on the frozen fit state, before the results are built:
it issues the warnings and returns the coefficients involved in a separation, which the results
carry. The results never call back into the model to find out.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ..exceptions import CollinearityWarning, ConvergenceWarning, PerfectSeparationWarning, RankDeficientWarning

__all__ = ["Diagnosis", "diagnose", "separation", "COLLINEARITY_TOL"]

#: A kept column within this relative distance of the span of the earlier columns gets a CollinearityWarning:
#: about half of the double-precision digits of its estimate are lost.
COLLINEARITY_TOL = 1e-8


@dataclass(frozen=True)
class Diagnosis:
    """``separation``: None when no fitted value reached the boundary of the mean's range, else the names of the
    coefficients still diverging (possibly empty)."""

    separation: object = None


def diagnose(state, stacklevel=3, converged=None):
    """Warn about non-convergence, aliased and nearly collinear columns and separation; return the Diagnosis.

    ``converged`` overrides ``state.converged`` for the convergence warning (the negative binomial's last
    IRLS run).
    """
    if not (state.converged if converged is None else converged):
        warnings.warn(f"IRLS did not converge in {state.maxiter} iterations (tol={state.tol:g}); the last iterate is "
                      "returned", ConvergenceWarning, stacklevel=stacklevel)
    elif state.boundary:
        # R warns "glm.fit: algorithm stopped at boundary value" here. The deviance rule was met on a step
        # that had to be halved (the full step left the domain or made the deviance non-finite): the
        # estimate may sit on the boundary of the parameter space, or far from the MLE when the full steps
        # diverge (R then usually stops: "inner loop 1; cannot correct step size").
        warnings.warn("IRLS stopped on a step that was halved to stay in the valid region (R: 'algorithm stopped "
                      "at boundary value'); the estimates may not maximise the likelihood: check them, or give "
                      "start_params near the expected solution", ConvergenceWarning, stacklevel=stacklevel)
    if not state.kept.all():
        names = [n for n, k in zip(state.exog_names, state.kept) if not k]
        warnings.warn(f"design is rank deficient: {len(names)} coefficient(s) not defined because of "
                      f"singularities (aliased, set to NaN): {', '.join(names)}", RankDeficientWarning,
                      stacklevel=stacklevel)
    near = _nearly_collinear(state)
    if near:
        warnings.warn("nearly collinear columns: " + ", ".join(f"{n} (relative residual {r:.1e})" for n, r in near)
                      + f" lie within {COLLINEARITY_TOL:g} of the span of the columns before them; their estimates "
                      "and standard errors are numerically unreliable", CollinearityWarning, stacklevel=stacklevel)
    involved = separation(state)
    if involved is not None:
        what = "probabilities numerically 0 or 1" if 1.0 in state.family.mean_boundary else "rates numerically 0"
        names = ", ".join(involved) or "none (the estimates converged)"
        warnings.warn(f"fitted {what} occurred: perfect or quasi-perfect separation, or extreme linear "
                      f"predictors; coefficients involved: {names} (still moving in the last iteration: their "
                      "MLE is at infinity, their estimates and standard errors are not meaningful)",
                      PerfectSeparationWarning, stacklevel=stacklevel)
    return Diagnosis(separation=involved)


def _nearly_collinear(state):
    """Kept columns whose weighted norm outside the span of the earlier kept columns is below
    COLLINEARITY_TOL of their own norm: |R_jj| / ||R_.j|| of the final triangular factor.

    Without that factor (the covariance was inverted by blocks, a large factor first) there is
    nothing to report: that route requires every pivot of the equilibrated Schur complement
    to be at least linalg.MIN_PIVOT (1e-4), far above COLLINEARITY_TOL."""
    r = state.r
    if r is None or r.shape[0] == 0:
        return []
    rel = np.abs(np.diag(r)) / np.linalg.norm(r, axis=0)
    names = [n for n, k in zip(state.exog_names, state.kept) if k]
    return [(names[j], rel[j]) for j in np.flatnonzero(rel < COLLINEARITY_TOL)]


def separation(state):
    """Coefficient names still diverging when fitted values reached the boundary of the mean's range, or None.

    R's rule (a fitted probability within 10 eps of 0 or 1, a fitted rate within it of 0: the points of
    ``family.mean_boundary``), and also quasi-complete separation that R's rule misses (IRLS stops while a
    level's fitted probabilities are only ~1e-9 from 0): fitted values within 1e-8 of the boundary where the
    response is on it, while some coefficient still moved by more than 0.1 in the last step. The fitted
    values are not read when the range of eta in IRLS's last pass keeps every one at least 1e-8 away.
    """
    fam = state.family
    boundary = np.asarray(fam.mean_boundary, dtype=float)
    if boundary.size == 0:
        return None
    if state.eta_range is not None and np.all(np.isfinite(state.eta_range)):
        with np.errstate(all="ignore"):
            ends = fam.link.inverse(np.asarray(state.eta_range, dtype=float))  # a monotone link: mu's range
        if all(np.min(np.abs(ends - b)) >= 1e-8 for b in boundary):
            return None
    d = state.data
    eps = 10 * np.finfo(float).eps
    step = np.abs(np.nan_to_num(state.last_step))
    diverging = step.max(initial=0.0) > 0.1
    hit = False
    with np.errstate(all="ignore"):
        for sl, eta in state.eta_blocks():
            pos = d.weights[sl] > 0
            y, mu = d.y[sl][pos], fam.link.inverse(eta)[pos]
            for b in boundary:
                near = np.abs(mu - b)
                hit = hit or np.any(near < eps) or (diverging and np.any((y == b) & (near < 1e-8)))
            if hit:
                break
    if not hit:
        return None
    if step.max() == 0:
        return []
    return [n for n, s in zip(state.exog_names, step) if s > 0.01 * step.max()]
