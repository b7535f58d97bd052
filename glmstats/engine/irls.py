"""Iteratively reweighted least squares on arrays: R's ``glm.fit``.

The template (R's algorithm, each step one function of the engine):

1. set-up: the starting linear predictor from the family's ``starting_mu`` (or ``mustart``), or
   the given ``start_params``;
2. a pass over the rows at the current coefficients (:func:`glmstats.engine.passes.evaluate`):
   eta, mu, the deviance, the domain checks, and the cross-products of the next weighted
   least-squares problem, with

       working weights   w_i = prior_i * (d mu / d eta)^2 / V(mu_i)
       working response  z_i = eta_i - offset_i + (y_i - mu_i) / (d mu / d eta);

3. the solve (the accumulator's ``solve``: Cholesky, a large factor eliminated first, or R's
   pivoted QR when the problem is ill-conditioned, :mod:`glmstats.engine.linalg`);
4. step-halving (:func:`glmstats.engine.stephalving.halve_step`) while the deviance is not finite
   or eta/mu leave their valid region;
5. the convergence check |dev - dev_old| / (|dev| + 0.1 s) < tol (:func:`relative_change`; s = 1 in
   R, see there);
6. the trace (:class:`glmstats.engine.trace.Trace`): each iteration's deviance, relative change and
   step-halvings are kept (``IRLSFit.history``) and logged on ``glmstats.fit`` at DEBUG.

The pass that evaluates new coefficients also accumulates the cross-products at them, for the
next step. As in R (whose ``summary.glm`` uses the QR of the last weighted least-squares fit),
the covariance comes from the cross-products of the last step solved, that is from the working
weights of the iterate before the returned one. So when the deviance changes suggest that the
next evaluation will meet the convergence rule (:func:`_will_converge`), that evaluation is a
light pass, eta and the deviance only; if it does not converge after all, the full pass follows.
"""

from dataclasses import dataclass

import numpy as np

from ..exceptions import FitError
from . import linalg
from .gram import CrossProducts
from .passes import evaluate
from .stephalving import halve_step
from .trace import DEVIANCE_COLUMNS, DEVIANCE_MESSAGE, Trace

__all__ = ["IRLSFit", "irls", "evaluate_mu", "FitError"]


@dataclass
class IRLSFit:
    """What IRLS returns (arrays only; labelling happens in the results)."""

    beta: np.ndarray          # NaN for aliased columns
    kept: np.ndarray          # False for aliased columns
    r: np.ndarray             # upper-triangular factor of X'WX (kept columns) at beta
    deviance: float
    n_iter: int
    converged: bool
    boundary: bool            # a step was halved in the last iteration
    n_halvings: int
    last_step: np.ndarray     # beta - previous beta at the end (diverging directions under separation)
    eta_range: tuple = None   # (min, max) of the linear predictor at beta, from the last pass
    cov_unscaled: np.ndarray = None  # (X_k'WX_k)^-1 when computed without r (a large factor's diagonal block)
    gram: object = None       # when r is None: the accumulator whose X'WX (all columns kept) gives r on demand
    weights_at: tuple = (None, None)  # (beta, eta) of the iterate whose working weights give r (R's fit$weights)
    history: object = None    # trace.History: iteration, deviance, relative change, step-halvings

    def factor(self):
        """The upper-triangular factor r (computed from ``gram`` by Cholesky when IRLS did not need it)."""
        if self.r is None:
            self.r = np.linalg.cholesky(self.gram.xtwx).T  # R'R = L L' = X'WX
        return self.r

    def unscaled_cov(self):
        """(X_k'WX_k)^-1 for the kept columns."""
        if self.cov_unscaled is None:
            self.cov_unscaled = linalg.unscaled_cov(self.factor())
        return self.cov_unscaled


def _solve(acc, data, family, beta, eta, rank_tol, state):
    """Solve the weighted least-squares step from a pass; switch to the QR route for good when needed.

    Returns the Step and the accumulator it was solved from (the QR factor when the route switched).
    """
    step = acc.solve(rank_tol)
    if step is None:
        state["use_qr"] = True
        acc = evaluate(data, family, beta=beta, eta=eta, use_qr=True).acc
        step = acc.solve(rank_tol)
    return step, acc


def slack(data):
    """The 0.1 of R's rule |dev - dev_old| / (|dev| + 0.1), times min(1, mean positive prior weight).

    The deviance scales with the prior weights while R's 0.1 does not: with weights of 1e-300 every
    change is below tol * 0.1 and R's rule stops after one iteration at a point far from the MLE
    (R 4.2 reports it converged). Scaling the 0.1 down with weights that average below 1 makes the
    stopping point the same for weights w and c w; weights averaging 1 or more keep R's rule exactly.
    """
    return 0.1 * min(1.0, data.weight_scale)


def relative_change(dev, dev_old, slack=0.1):
    """|dev - dev_old| / (|dev| + slack): R's convergence measure (slack 0.1)."""
    return abs(dev - dev_old) / (abs(dev) + slack)


def _will_converge(changes, tol):
    """Whether the next relative deviance change is expected below ``tol``.

    ``changes`` are the relative changes |dev - dev_old| / (|dev| + 0.1) so far. The next one is
    extrapolated as c_k^2 / c_(k-1): exact for a geometric (linear) rate, an overestimate for
    IRLS's usual quadratic one, so a wrong guess is rare; it costs one light pass.
    """
    if len(changes) < 2 or not changes[-2] > 0:
        return False
    return changes[-1] * changes[-1] / changes[-2] < tol


def _factor(acc, kept, data, family, beta, eta):
    """What the covariance needs: ``(r, cov_unscaled, gram)`` for the kept columns, from the pass at
    ``beta`` (or ``eta``) whose accumulator is ``acc`` (the accumulator's ``covariance``; a QR pass when
    its Cholesky declines).

    Usually the upper-triangular factor r of X_k'WX_k; when a large factor's diagonal block allows
    it, the inverse by blocks (:func:`glmstats.engine.linalg.schur_inverse`) instead, r being computed
    only if asked for (influence measures).
    """
    found = acc.covariance(kept)
    if found is None:
        found = evaluate(data, family, beta=beta, eta=eta, use_qr=True).acc.covariance(kept)
    return found


def _invalid_start_message(data, family, start_params, mustart):
    """Why the start is outside the model's domain, in the terms of the model (only on that error path)."""
    link = family.link
    if start_params is not None:
        return (f"cannot find valid starting values: the linear predictor at start_params is outside the domain of the {link.name} link or gives means "
                f"outside the {family.name} family's range {family.mean_range}; give other start_params")
    with np.errstate(all="ignore"):
        mu = (family.starting_mu(data.y, data.weights) if mustart is None else np.asarray(mustart, dtype=float))
        eta = link(mu)
        back = link.inverse(eta)
    lo, hi = float(np.nanmin(mu)), float(np.nanmax(mu))
    source = "mustart" if mustart is not None else f"R's starting means for the {family.name} family"
    if not np.all(np.isfinite(eta)):
        bad = int(np.sum(~np.isfinite(eta)))
        return (f"cannot find valid starting values: {source} (from {lo:g} to {hi:g}) are outside the domain of the "
                f"{link.name} link for {bad} row(s), so their linear predictor is not finite; the {family.name}-"
                f"{link.name} model restricts the means to what the inverse link can reach, which these data "
                "exceed. Check the link (the canonical one always has a start), or give start_params (or mustart) "
                "inside the domain")
    if not family.valid_mu(back):
        return (f"cannot find valid starting values: the {link.name} link maps {source} to means outside the "
                f"{family.name} family's range {family.mean_range}; check the link, or give start_params")
    return (f"cannot find valid starting values: the starting linear predictor is outside the {link.name} link's "
            "valid region; give start_params")


def evaluate_mu(data, family, beta):
    """eta and mu at beta (aliased coefficients count as 0), as n-vectors."""
    eta = data.X.matvec(np.where(np.isnan(beta), 0.0, beta)) + data.offset
    return eta, family.link.inverse(eta)


def irls(data, family, *, start_params=None, mustart=None, maxiter=100, tol=1e-8, label="IRLS"):
    """Fit a GLM by IRLS with R's starting values, step-halving and convergence rule.

    Parameters
    ----------
    data : GLMData
    family : Family
    start_params : array, optional
        Starting coefficients (R's ``start``); otherwise mu starts at ``mustart`` (R's ``mustart``)
        or ``family.starting_mu(y)``.
    maxiter : int
    tol : float
        R's ``epsilon``: stop when |dev - dev_old| / (|dev| + 0.1) < tol.
    label : str or None
        Starts the DEBUG record logged per iteration (R's ``glm.control(trace = TRUE)``); None: no
        records (the history is kept all the same).

    Returns
    -------
    IRLSFit
        ``history`` has one row per iteration that produced coefficients: the deviance at the
        accepted (possibly halved) step, |dev - dev_old| / (|dev| + 0.1) with dev_old the previous
        iteration's (the starting values' for the first) and the number of step-halvings.

    Notes
    -----
    Aliasing uses R's tolerance ``min(1e-7, tol / 1000)``, bounded below by 1e-11 so that a
    very small ``tol`` (as in tests that fit to machine precision) still detects exact
    collinearity.
    """
    n, p = data.X.shape
    rank_tol = max(min(1e-7, tol / 1000.0), 1e-11)
    state = {"use_qr": False}
    link = family.link

    if start_params is None:
        def eta(sl):  # the starting eta, block by block
            with np.errstate(all="ignore"):
                mu = family.starting_mu(data.y[sl], data.weights[sl]) if mustart is None else mustart[sl]
                return link(mu)
        beta_old = None
        beta = None
    else:
        beta = np.asarray(start_params, dtype=float).copy()
        if beta.shape != (p,):
            raise ValueError(f"start_params must be a 1-d array of length {p} (one per design column); got shape "
                             f"{beta.shape}")
        eta = None
        beta_old = beta.copy()
    current = evaluate(data, family, beta=beta, eta=eta)
    # working weights equal to the prior weights (Gamma, log link): X'WX is computed once
    fixed_gram = current.acc.xtwx.copy() if current.w_is_prior and isinstance(current.acc, CrossProducts) else None
    if not current.valid:
        raise FitError(_invalid_start_message(data, family, start_params, mustart))

    def full_pass(b):
        return evaluate(data, family, beta=b, use_qr=state["use_qr"], fixed_gram=fixed_gram)

    dev_old = current.deviance
    eps = slack(data)
    converged = boundary = False
    n_halvings = 0
    n_iter = 0
    step = None
    solved, solved_at = current.acc, (beta, eta)  # the last step solved, and where: R's covariance
    last_step = np.zeros(p)
    changes = []
    trace = Trace(label, DEVIANCE_COLUMNS, DEVIANCE_MESSAGE)
    for n_iter in range(1, maxiter + 1):
        step, solved = _solve(current.acc, data, family, beta, eta, rank_tol, state)
        solved_at = (beta, eta)
        if not np.all(np.isfinite(step.beta)):
            break
        beta_new = step.beta
        if _will_converge(changes, tol):  # a light pass; the full one only if it does not converge after all
            probe = evaluate(data, family, beta=beta_new, deviance_only=True)
            change = relative_change(probe.deviance, dev_old, eps) if probe.valid else np.inf
            if change < tol:
                trace.record(n_iter, probe.deviance, change, 0)
                last_step = beta_new - (beta_old if beta_old is not None else beta_new)
                beta, current, converged, boundary = beta_new, probe, True, False
                break
        if beta_old is None:
            current, halvings = full_pass(beta_new), 0
            if not current.valid:
                raise FitError("no valid set of coefficients has been found (the first step left the family's "
                               "domain); please supply start_params")
        else:
            found, current, halvings = halve_step(full_pass, lambda pas: pas.valid, beta_new, beta_old, maxiter)
            if found is None:
                raise FitError("cannot correct the step size: the deviance stays non-finite or mu stays outside "
                               "the family's domain after repeated step-halving")
            beta_new = found
        boundary = halvings > 0
        n_halvings += halvings
        last_step = beta_new - (beta_old if beta_old is not None else beta_new)
        beta, eta = beta_new, None
        dev = current.deviance
        changes.append(relative_change(dev, dev_old, eps))
        trace.record(n_iter, dev, changes[-1], halvings)
        if changes[-1] < tol:
            converged = True
            break
        dev_old = dev
        beta_old = beta.copy()

    if beta is None:  # maxiter == 0 or a non-finite first solve
        raise FitError("IRLS produced no coefficients (non-finite values in the first weighted least-squares step)")
    kept = step.kept if step is not None else np.ones(p, dtype=bool)
    r, cov, gram = _factor(solved, kept, data, family, *solved_at)
    out = beta.copy()
    out[~kept] = np.nan
    return IRLSFit(beta=out, kept=kept, r=r, cov_unscaled=cov, gram=gram, weights_at=solved_at,
                   deviance=current.deviance,
                   n_iter=n_iter, converged=converged,
                   eta_range=current.eta_range,  # every return path has evaluated its beta
                   boundary=boundary, n_halvings=n_halvings, last_step=last_step,
                   history=trace.finish(converged))
