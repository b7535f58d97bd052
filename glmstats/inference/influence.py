"""Influence measures of a fitted GLM: R's ``influence.measures`` family on a glm object.

Everything is computed from the weighted least-squares problem of the last IRLS
iteration, as R's ``lm.influence`` does with ``model$qr`` (working weights of the iterate
before the last update: the covariance's, ``FitState.working_weights``):

    working weights   w_i = prior_i (d mu / d eta)^2 / V(mu_i)
    leverage          h_i = w_i x_i' (X'WX)^{-1} x_i = || R^{-T} sqrt(w_i) x_i ||^2,  R'R = X'WX

with X restricted to the non-aliased columns.  The rows are processed in blocks, so no
n x n (or even n x p temporary beyond one block) is formed.

The residual that R's ``lm.influence`` uses for a glm is ``weighted.residuals``, i.e. the
*deviance* residual d_i (prior weights included), not the working residual; R's ``dfbeta``,
``dfbetas`` and the leave-one-out ``sigma`` all inherit that choice, and so do we.
"""

from functools import cached_property

import numpy as np
import pandas as pd
from scipy import linalg as sla

from ..engine.blocks import block_rows, row_blocks

__all__ = ["GLMInfluence"]

_EPS = np.finfo(float).eps


class GLMInfluence:
    """Leverage, Cook's distance, standardized and studentized residuals, DFBETA(S) of a GLM fit.

    Parameters
    ----------
    results : GLMResults
        A fitted model (``res.get_influence()`` builds this).

    Attributes
    ----------
    hat_matrix_diag : Series
        Leverages h_i (R: ``hatvalues``).
    cooks_distance : Series
        (p_i / (1 - h_i))^2 h_i / (phi rank) (R: ``cooks.distance``).
    resid_standardized : Series
        d_i / sqrt(phi (1 - h_i)) (R: ``rstandard``, deviance type).
    resid_standardized_pearson : Series
        p_i / sqrt(phi (1 - h_i)) (R: ``rstandard(type = "pearson")``).
    resid_studentized : Series
        Williams' approximate deletion residual (R: ``rstudent``).
    sigma : Series
        Leave-one-out residual scale of the working regression (R: ``lm.influence()$sigma``).
    dfbeta, dfbetas : DataFrame
        One-step change of the coefficients when row i is deleted, raw and scaled
        (R: ``dfbeta``, ``dfbetas``).

    Notes
    -----
    These are R's meanings, which differ from statsmodels' (whose ``resid_studentized`` is
    Pearson based).  phi is ``results.scale`` (R: ``summary(m)$dispersion``), p_i the Pearson
    and d_i the deviance residual.  Values that R would make infinite (h_i = 1) are NaN, as R.
    Rows with zero prior weight take no part in the fit: they get leverage 0 and NaN elsewhere.
    """

    def __init__(self, results):
        self.results = res = results
        state = self._state = res.fit_state
        self._kept = state.kept
        self._names = list(state.exog_names)
        self._index = state.row_index
        # the working weights of R's model$qr (those of the covariance); R fits only the "good" rows
        # (positive prior weight, mu.eta != 0): the others are not in model$qr and have weight 0 here
        self._w = state.working_weights
        self._good = self._w > 0
        self._r = np.asarray(state.factor(), dtype=float)
        self.scale = float(res.scale)
        self.rank = int(res.rank)

    # --- helpers ---------------------------------------------------------------------------
    def _series(self, values, name):
        return pd.Series(values, index=self._index, name=name)

    def _u_blocks(self):
        """Yield (slice, U) with U = R^{-T} (sqrt(w) X_k)' for a block of rows (k x rows)."""
        X, kept = self._state.data.X, np.flatnonzero(self._kept)
        n, k = X.shape[0], kept.size
        for sl in row_blocks(n, block_rows(n, k)):  # dense pieces (no copy of X), also of a factor-codes design
            xb = X.rows(sl).columns(kept).to_dense() * np.sqrt(self._w[sl])[:, None]
            if k == 0:
                yield sl, np.zeros((0, xb.shape[0]))
            else:
                yield sl, sla.solve_triangular(self._r, xb.T, trans="T", check_finite=False)

    @cached_property
    def _hat(self):
        n = self._state.data.y.shape[0]
        h = np.zeros(n)
        for sl, u in self._u_blocks():
            h[sl] = np.sum(u * u, axis=0)
        h[h > 1.0 - 10.0 * _EPS] = 1.0   # as R's lm.influence
        return h

    @cached_property
    def _dev_res(self):
        """R's weighted.residuals of a glm: the deviance residuals, tiny values set to exactly 0."""
        e = np.asarray(self.results.resid_deviance, dtype=float).copy()
        g = self._good
        if g.any():
            e[g & (np.abs(e) < 100.0 * _EPS * np.median(np.abs(e[g])))] = 0.0
        return e

    @cached_property
    def _pearson_res(self):
        return np.asarray(self.results.resid_pearson, dtype=float)

    def _mask(self, values):
        out = np.asarray(values, dtype=float).copy()
        out[~self._good] = np.nan
        out[np.isinf(out)] = np.nan
        return out

    # --- measures ------------------------------------------------------------------------
    @property
    def hat_matrix_diag(self):
        """Leverages h_i = w_i x_i'(X'WX)^{-1} x_i at the fit (R: ``hatvalues``)."""
        return self._series(self._hat.copy(), "hat_diag")

    @property
    def cooks_distance(self):
        """Cook's distance (p_i / (1 - h_i))^2 h_i / (phi rank) (R: ``cooks.distance.glm``)."""
        h = self._hat
        with np.errstate(all="ignore"):
            c = (self._pearson_res / (1.0 - h)) ** 2 * h / (self.scale * self.rank)
        return self._series(self._mask(c), "cooks_d")

    @property
    def resid_standardized(self):
        """Standardized deviance residuals d_i / sqrt(phi (1 - h_i)) (R: ``rstandard.glm``)."""
        with np.errstate(all="ignore"):
            r = self._dev_res / np.sqrt(self.scale * (1.0 - self._hat))
        return self._series(self._mask(r), "standard_resid")

    @property
    def resid_standardized_pearson(self):
        """Standardized Pearson residuals p_i / sqrt(phi (1 - h_i)) (R: ``rstandard(type = "pearson")``)."""
        with np.errstate(all="ignore"):
            r = self._pearson_res / np.sqrt(self.scale * (1.0 - self._hat))
        return self._series(self._mask(r), "standard_resid_pearson")

    @cached_property
    def _sigma(self):
        """R's leave-one-out sigma from lm.influence: sqrt((sum e^2 - e_i^2/(1-h_i)) / (n - rank - 1))."""
        e, h, g = self._dev_res, self._hat, self._good
        n = int(g.sum())
        denom = n - self.rank - 1
        total = float(np.sum(e[g] ** 2))
        with np.errstate(all="ignore"):
            s2 = np.where(h < 1.0, total - e ** 2 / (1.0 - h), total) / denom
            s = np.sqrt(s2)
        s[~g] = np.nan
        return s

    @property
    def sigma(self):
        """Leave-one-out residual scale (R: ``influence(m)$sigma``), from the deviance residuals."""
        return self._series(self._sigma.copy(), "sigma")

    @property
    def resid_studentized(self):
        """Studentized residuals as R's ``rstudent.glm`` (Williams' approximate deletion residuals).

        Notes
        -----
        r_i = sign(d_i) sqrt(d_i^2 + h_i p_i^2 / (1 - h_i)) / sigma_i, with sigma_i = 1 when the
        family is ``binomial`` or ``poisson`` and R's leave-one-out sigma (:attr:`sigma`) otherwise.
        R decides by the family's *name* (``family.dispersion_is_one_in_r``), so quasi families and
        the negative binomial are divided by sigma_i too; we follow R.
        """
        d, p, h = self._dev_res, self._pearson_res, self._hat
        with np.errstate(all="ignore"):
            r = np.sign(d) * np.sqrt(d ** 2 + h * p ** 2 / (1.0 - h))
            if not self.results.family.dispersion_is_one_in_r:
                r = r / self._sigma
        return self._series(self._mask(r), "student_resid")

    @cached_property
    def _dfbeta(self):
        n, p = self._state.data.X.shape
        out = np.full((n, p), np.nan)
        e, h = self._dev_res, self._hat
        with np.errstate(all="ignore"):
            factor = np.where(h >= 1.0, 0.0, e / (1.0 - h))
        for sl, u in self._u_blocks():
            # (X'WX)^{-1} sqrt(w_i) x_i = R^{-1} u_i  (R's invRQtt = t(backsolve(R, t(Q))))
            if u.shape[0]:
                v = sla.solve_triangular(self._r, u, check_finite=False)
                block = out[sl]  # a view: writing into it fills ``out``
                block[:, self._kept] = (v * factor[sl]).T
        out[~self._good] = np.nan
        return out

    @property
    def dfbeta(self):
        """Change in each coefficient when row i is deleted, one-step approximation (R: ``dfbeta`` on a glm).

        Notes
        -----
        dfbeta_i = (X'WX)^{-1} x_i sqrt(w_i) d_i / (1 - h_i), d_i the deviance residual (R's
        ``lm.influence(m)$coefficients``; 0 where h_i = 1).  Aliased coefficients get NaN columns.
        """
        return pd.DataFrame(self._dfbeta.copy(), index=self._index, columns=self._names)

    @property
    def dfbetas(self):
        """dfbeta scaled by sigma_i sqrt(diag((X'WX)^{-1})) (R: ``dfbetas`` on a glm)."""
        p = len(self._names)
        sd = np.full(p, np.nan)
        sd[self._kept] = np.sqrt(np.diag(self._state.cov_unscaled))
        with np.errstate(all="ignore"):
            v = self._dfbeta / np.outer(self._sigma, sd)
        return pd.DataFrame(v, index=self._index, columns=self._names)

    def summary_frame(self):
        """All measures in one DataFrame, one row per observation (R: ``influence.measures`` and friends).

        Columns: ``dfb_<term>`` (dfbetas), ``cooks_d``, ``standard_resid`` (deviance),
        ``standard_resid_pearson``, ``student_resid`` (R's rstudent), ``hat_diag``, ``sigma``.
        """
        dfb = self.dfbetas
        dfb.columns = [f"dfb_{c}" for c in dfb.columns]
        parts = [dfb, self.cooks_distance, self.resid_standardized, self.resid_standardized_pearson,
                 self.resid_studentized, self.hat_matrix_diag, self.sigma]
        return pd.concat(parts, axis=1)

    # R's print.infl shows the measures with digits = max(3, getOption("digits") - 4)
    def __repr__(self):
        from ..report.display import frame_text

        return frame_text(self.summary_frame(), digits=3, heading=["Influence measures (R: influence.measures)"])

    def _repr_html_(self):
        from ..report.display import frame_html

        return frame_html(self.summary_frame(), digits=3, heading=["Influence measures (R: influence.measures)"])
