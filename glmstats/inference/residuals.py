"""Randomized quantile residuals (Dunn and Smyth 1996) of a fitted GLM.

R: ``statmod::qresiduals``. The family supplies F(y-) and F(y) of the fitted distribution
(:meth:`glmstats.families.Family.cdf_bounds`), so nothing here depends on which family it is.

References
----------
Dunn, P. K. and Smyth, G. K. (1996). Randomized quantile residuals. Journal of Computational
and Graphical Statistics 5(3), 236-244.
"""

import numpy as np
import pandas as pd

from .._lazy import special

__all__ = ["quantile_residuals"]


def quantile_residuals(res, seed=None, scale=None, uniform=None):
    """Randomized quantile residuals r_i = Phi^{-1}(u_i) of a fitted GLM.

    Parameters
    ----------
    res : GLMResults
    seed : int, numpy Generator or None
        Seeds ``numpy.random.default_rng`` for the uniform draws of discrete responses; the same
        seed gives the same residuals.
    scale : float, optional
        The dispersion phi; default ``res.scale`` (R's ``summary(m)$dispersion``).
    uniform : array_like, optional
        The uniform draws v_i in [0, 1) themselves, one per row (then ``seed`` is ignored): with
        R's ``set.seed(s); v <- runif(n)`` they reproduce ``set.seed(s); qresiduals(m)``.

    Returns
    -------
    Series
        ``resid_quantile``, aligned to the rows used; NaN for rows with zero prior weight.

    Raises
    ------
    NotImplementedError
        For families without a distribution (quasi families; Tweedie outside 1 < p < 2).

    Notes
    -----
    With F the fitted distribution function of y_i (mean mu_i, dispersion phi / w_i),

        u_i = F(y_i-) + v_i [F(y_i) - F(y_i-)],   v_i ~ U(0, 1),   r_i = Phi^{-1}(u_i).

    For a continuous family F(y-) = F(y) and r_i = Phi^{-1}(F(y_i)) is deterministic (Gaussian:
    r_i = (y_i - mu_i) sqrt(w_i / phi)); for counts (Poisson, negative binomial, binomial with
    m_i trials: F of m_i y_i successes) u_i is uniform on the jump of F at y_i, and for the
    Tweedie (1 < p < 2) on [0, P(Y = 0)] where y_i = 0. If the model is right, the r_i are
    exactly N(0, 1) given the true parameters (approximately with estimated ones).

    phi defaults to ``res.scale``. statmod's defaults differ by family: ``summary``'s dispersion
    for the Gaussian (the same number), Pearson X2 / df at the final mu for the Gamma (R's summary
    dispersion uses the working weights of the last iteration instead: 9e-6 apart, relatively, on
    ``lot1 ~ log(u)`` of the clotting data), deviance / df for the inverse Gaussian; pass ``scale=``
    to match.
    Where u_i > 1/2 the residual is
    -Phi^{-1}(1 - u_i) from the distribution's upper tail, so that far outliers stay finite.
    """
    state = res.fit_state
    y, mu, w = state.data.y, state.mu, np.asarray(state.var_weights, dtype=float)
    family = res.family
    used = w > 0
    try:
        lower, upper, lower_sf, upper_sf = (np.asarray(a, dtype=float) for a in family.cdf_bounds(
            y[used], mu[used], scale=res.scale if scale is None else float(scale), var_weights=w[used]))
    except NotImplementedError as exc:
        raise NotImplementedError(f"quantile residuals need the distribution of y, which the {family.name} family "
                                  f"does not define ({exc}); use resid_deviance or resid_pearson") from None
    n = y.shape[0]
    if uniform is None:
        v = np.random.default_rng(seed).uniform(size=n)
    else:
        v = np.asarray(uniform, dtype=float).ravel()
        if v.shape[0] != n:
            raise ValueError(f"uniform has {v.shape[0]} values, the fit has {n} rows")
    v = v[used]
    u = lower + v * (upper - lower)
    u_sf = lower_sf - v * (lower_sf - upper_sf)  # 1 - u from the upper tail
    out = np.full(n, np.nan)
    out[used] = np.where(u <= 0.5, special.ndtri(u), -special.ndtri(u_sf))
    return pd.Series(out, index=state.row_index, name="resid_quantile")
