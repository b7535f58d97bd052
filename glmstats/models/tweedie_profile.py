"""Profile likelihood of the Tweedie power p (R: ``tweedie::tweedie.profile``).

``tweedie_profile`` fits the GLM at each p of a grid, sets phi to its maximum-likelihood value at
the fitted means (:func:`phi_mle`, by the score of the series density,
:func:`glmstats.families.tweedie_density.score_phi`) and records the log-likelihood there, as R's
``tweedie::tweedie.profile(method = "series", phi.method = "mle")``.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.interpolate import CubicSpline

from .._lazy import stats
from ..exceptions import ProfileWarning
from ..families import Tweedie
from ..families.tweedie_density import score_phi
from .glm import glm

__all__ = ["TweedieProfile", "phi_mle", "tweedie_profile"]


@dataclass
class TweedieProfile:
    """Result of :func:`tweedie_profile`.

    Attributes
    ----------
    table : DataFrame
        One row per p of the grid: ``p``, ``phi`` (the MLE of phi at that p), ``llf`` (the
        log-likelihood at the fitted mu and that phi), ``deviance``, ``converged``.
    p_max, phi_max, llf_max : float
        The grid point with the largest log-likelihood (R: ``p.max``, ``phi.max``, ``L.max`` with
        ``do.smooth = FALSE``).
    p_smooth : float
        Maximiser of an interpolating cubic spline through the grid values (R's ``do.smooth = TRUE``
        idea); NaN with fewer than 4 finite points.
    ci : tuple of float
        Approximate ``conf_level`` interval for p: where the spline crosses llf_max - chi2_1(conf_level)/2
        (NaN on a side the grid does not reach), as R's ``ci``.
    p_mle, phi_mle, llf_mle : float
        With ``refine=True``: the maximiser of the profile log-likelihood itself (bounded scalar
        optimisation between the neighbours of the best grid point, each step a GLM fit and an
        ML phi); NaN otherwise.
    results : GLMResults
        The fit at ``p_mle`` (``refine=True``) or at ``p_max``.
    """

    table: pd.DataFrame
    p_max: float
    phi_max: float
    llf_max: float
    p_smooth: float
    ci: tuple
    p_mle: float = np.nan
    phi_mle: float = np.nan
    llf_mle: float = np.nan
    results: object = field(default=None, repr=False)

    def _notes(self):
        lines = [f"best grid p = {self.p_max:.4g} (phi = {self.phi_max:.6g}, llf = {self.llf_max:.6f})",
                 f"spline maximiser p = {self.p_smooth:.4g}, interval ({self.ci[0]:.4g}, {self.ci[1]:.4g})"]
        if np.isfinite(self.p_mle):
            lines.append(f"profile MLE p = {self.p_mle:.6g} (phi = {self.phi_mle:.6g}, llf = {self.llf_mle:.6f})")
        return lines

    def __str__(self):
        from ..report.display import frame_text

        return frame_text(self.table, heading=["Tweedie profile likelihood over p"], notes=self._notes(),
                          max_rows=None)

    __repr__ = __str__

    def _repr_html_(self):
        from ..report.display import frame_html

        return frame_html(self.table, heading=["Tweedie profile likelihood over p"], notes=self._notes(),
                          max_rows=None)


def phi_mle(y, mu, p, weights=None, freq_weights=None):
    """Maximum-likelihood dispersion at fixed mu and 1 < p < 2, and the log-likelihood there.

    Maximises sum(f * w * log f(y; mu, phi, p)) over phi: the prior weights multiply the
    log-density, as in R's ``tweedie::AICtweedie`` (R's ``tweedie.profile`` uses no weights in its
    likelihood; the two agree for unweighted data). The root of the score
    sum(f * w * d log f / d phi) (:func:`glmstats.families.tweedie_density.score_phi`) is found by Brent's method on log phi,
    bracketed outwards from deviance / sum(w) -- to machine precision, where minimising the
    log-likelihood itself would stop at about 1e-8 relative.

    Returns
    -------
    (phi, llf) : tuple of float
    """
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, float)
    f = np.ones_like(y) if freq_weights is None else np.asarray(freq_weights, float)
    keep = (w > 0) & (f > 0)
    y, mu, wf = y[keep], mu[keep], (w * f)[keep]
    fam = Tweedie(p)
    phi0 = fam.deviance(y, mu, wf) / np.sum(wf)
    if not phi0 > 0:
        raise ValueError("cannot estimate phi: the fit is exact (zero deviance)")

    def score(logphi):
        return float(np.sum(wf * score_phi(y, mu, np.exp(logphi), p)))

    lo = hi = np.log(phi0)
    for _ in range(60):
        if score(lo) > 0:
            break
        lo -= np.log(4.0)
    for _ in range(60):
        if score(hi) < 0:
            break
        hi += np.log(4.0)
    if not (score(lo) > 0 > score(hi)):
        raise ValueError("cannot bracket the maximum-likelihood phi")
    phi = float(np.exp(optimize.brentq(score, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)))
    return phi, fam.loglike(y, mu, wf, phi)


def tweedie_profile(formula, data, p_grid=None, link="log", *, refine=True, conf_level=0.95, fit_kwargs=None,
                    **glm_kwargs):
    """Profile log-likelihood of the Tweedie power p (R: ``tweedie::tweedie.profile``).

    For each p the GLM ``formula`` is fitted with ``Tweedie(p, link)``; phi is then set to its
    maximum-likelihood value at the fitted means, and the log-likelihood there is recorded.

    Parameters
    ----------
    formula : str
    data : DataFrame
    p_grid : array_like, optional
        Powers to try, each in (1, 2) (the series density is implemented there). Default
        ``np.linspace(1.1, 1.9, 9)``.
    link : str or Link, default "log"
        R's ``link.power = 0``. ``None`` gives the canonical power link of each p.
    refine : bool, default True
        Also maximise the profile likelihood over p continuously (``p_mle``).
    conf_level : float, default 0.95
    fit_kwargs : dict, optional
        Passed to ``GLM.fit`` (default ``tol=1e-12, maxiter=200``).
    **glm_kwargs
        Passed to :func:`glmstats.glm` (``var_weights``, ``offset``, ``exposure``, ...).

    Returns
    -------
    TweedieProfile

    Notes
    -----
    As R's ``tweedie.profile(..., method = "series", phi.method = "mle", do.smooth = FALSE)``, with
    phi found to 1e-11 (R's ``optimize`` default tolerance is 1.2e-4) and the fits converged to
    1e-12 (R: ``epsilon = 1e-9``). Prior weights multiply the log-density (R's AICtweedie
    convention; R's tweedie.profile ignores them in L). The profile log-likelihood counts phi as
    estimated at each p: ``llf_max`` is the log-likelihood of the model with p and phi both at
    their MLEs.
    """
    grid = np.linspace(1.1, 1.9, 9) if p_grid is None else np.atleast_1d(np.asarray(p_grid, dtype=float))
    if grid.size == 0 or np.any((grid <= 1) | (grid >= 2)):
        raise ValueError("p_grid values must lie strictly between 1 and 2 (the series density is implemented there)")
    grid = np.sort(grid)
    fkw = {"tol": 1e-12, "maxiter": 200}
    fkw.update(fit_kwargs or {})

    def at(p):
        res = glm(formula, data, family=Tweedie(p, link=link), **glm_kwargs).fit(**fkw)
        state = res.fit_state
        phi, llf = phi_mle(state.data.y, state.mu, p, state.var_weights, state.freq_weights)
        return res, phi, llf

    rows, fits = [], []
    for p in grid:
        res, phi, llf = at(p)
        fits.append(res)
        rows.append({"p": p, "phi": phi, "llf": llf, "deviance": res.deviance, "converged": res.converged})
    table = pd.DataFrame(rows)
    L = table["llf"].to_numpy()
    i = int(np.nanargmax(L))
    if i in (0, grid.size - 1):  # as R's tweedie.profile: "True maximum possibly not detected"
        warnings.warn(f"the profile log-likelihood is largest at the end of p_grid (p = {grid[i]:g}); "
                      "the maximum over p may lie outside the grid", ProfileWarning, stacklevel=2)
    p_max, phi_max, llf_max = float(grid[i]), float(table["phi"][i]), float(L[i])

    p_smooth, ci = np.nan, (np.nan, np.nan)
    finite = np.isfinite(L)
    if finite.sum() >= 4:
        spl = CubicSpline(grid[finite], L[finite])
        xs = np.linspace(grid[finite][0], grid[finite][-1], 2001)
        ys = spl(xs)
        p_smooth = float(xs[np.argmax(ys)])
        ht = ys.max() - stats.chi2.ppf(conf_level, 1) / 2.0
        ci = (_crossing(spl, xs, ys, ht, p_smooth, left=True), _crossing(spl, xs, ys, ht, p_smooth, left=False))

    best = fits[i]
    p_mle = phi_hat = llf_hat = np.nan
    if refine and 0 < i < grid.size - 1:
        r = optimize.minimize_scalar(lambda p: -at(p)[2], bounds=(grid[i - 1], grid[i + 1]), method="bounded",
                                     options={"xatol": 1e-7})
        p_mle = float(r.x)
        best, phi_hat, llf_hat = at(p_mle)
    return TweedieProfile(table=table, p_max=p_max, phi_max=phi_max, llf_max=llf_max, p_smooth=p_smooth, ci=ci,
                          p_mle=p_mle, phi_mle=phi_hat, llf_mle=llf_hat, results=best)


def _crossing(spl, xs, ys, ht, x0, left):
    """Where the spline falls to ht on one side of its maximiser x0 (NaN if it does not within the grid)."""
    side = xs < x0 if left else xs > x0
    below = side & (ys < ht)
    if not np.any(below):
        return np.nan
    k = np.flatnonzero(below)[-1] if left else np.flatnonzero(below)[0]
    a, b = (xs[k], xs[k + 1]) if left else (xs[k - 1], xs[k])
    return float(optimize.brentq(lambda x: spl(x) - ht, a, b))
