"""The per-row work of one pass: mean, working weights, working response and deviance of a row block.

For a block of rows with linear predictor eta (offset included), IRLS needs

    mu = g^{-1}(eta),  w = prior * (d mu / d eta)^2 / V(mu),  z = eta - offset + (y - mu) / (d mu / d eta),

the block's deviance sum(prior * d(y, mu)) and whether eta and mu are valid (R's ``valideta`` and
``validmu``).  :class:`GenericKernel` computes them from the family's and link's functions, as
R's ``glm.fit`` does; :func:`working_terms` gives the same w and the working residual
r = (y - mu) / (d mu / d eta) to the results and the inference code (covariance, dispersion,
sandwich, influence, Rao tests), so the formulas exist once.

The penalized solver asks for the observed (Newton) working weights instead of the Fisher ones
where the family declares the correction (``family.newton_term``: the log link with a power or
negative binomial variance), w = prior ((d mu / d eta)^2 / V - (y - mu) k(mu)) and
z = eta - offset + (y - mu) (d mu / d eta) / (V w / prior); for canonical links both are the same.  For the pairs met most often the formulas simplify, and a kernel that
evaluates the simplified formulas in place, in buffers reused from block to block, does a
third of the work:

- Poisson (log link): mu = exp(eta) = d mu / d eta = V(mu), so w = prior * mu and
  z = eta - offset + y / mu - 1;
- binomial (logit link): with e = exp(-eta), mu = 1 / (1 + e), 1 - mu = e mu and
  w = prior * mu (1 - mu); for a 0/1 response d(y, mu) = -2 log(mu or 1 - mu);
- Gamma (log link): mu = exp(eta) = d mu / d eta and V(mu) = mu^2, so w = prior (the same in every
  iteration) and z = eta - offset + y / mu - 1.

A fast kernel takes a block only where none of R's clamps is active (exp(eta) above machine
epsilon for the log link, |eta| <= 30 for the logit) and every prior weight is positive; any
other block goes the generic way, so both routes give R's numbers.
"""

import numpy as np

from ..families import links as L
from ..families.base import poisson_half_deviance
from ..families.interval import OPEN_UNIT
from .blocks import scratch

__all__ = ["BlockTerms", "GenericKernel", "kernel_for", "working_terms"]

_LOG_EPS = float(np.log(np.finfo(float).eps))   # below it R's log link clamps exp(eta) at eps
_EXP_MAX = 700.0                                  # exp(eta) stays finite (and its reciprocal normal)


class BlockTerms:
    """What a kernel returns for one block.

    Attributes
    ----------
    deviance : float
        sum over the block of prior * d(y, mu) (rows with zero prior weight excluded).
    valid : bool
        eta and mu inside the link's and family's domains.
    w, z : ndarray
        Working weights and working response (0 for rows that drop out); valid until the kernel's next call.
    eta_range : tuple
        (min, max) of the block's eta (NaN when eta holds a NaN).
    w_is_prior : bool
        True when w is the prior weights whatever eta (Gamma with log link): X'WX is then the same in
        every iteration.
    """

    __slots__ = ("deviance", "valid", "w", "z", "eta_range", "w_is_prior")

    def __init__(self, deviance, valid, w, z, eta_range, w_is_prior=False):
        self.deviance, self.valid, self.w, self.z = deviance, valid, w, z
        self.eta_range, self.w_is_prior = eta_range, w_is_prior


def working_terms(family, y, prior, eta, eta_weights=None):
    """Working weights and working residuals of rows, as R's glm.fit defines them.

    Parameters
    ----------
    family : Family
    y, prior, eta : ndarray
        Responses, prior weights and linear predictors (offset included) of a block of rows.
    eta_weights : ndarray, optional
        The linear predictors at which to evaluate the weights (R: the iterate before the last update),
        default ``eta``.

    Returns
    -------
    w, r : ndarray
        w = prior (d mu / d eta)^2 / V(mu) and r = (y - mu) / (d mu / d eta) (mu at ``eta``); both 0 for the rows
        R's fit leaves out (``good``: zero prior weight, d mu / d eta = 0, a non-finite term).
    """
    return _fisher_terms(family, y, prior, eta, eta_weights)[:2]


def _fisher_terms(family, y, prior, eta, eta_weights=None, mu=None, mu_eta=None, all_positive=False):
    """(w, r, masked): :func:`working_terms` given what the caller has already (mu, d mu / d eta); with
    ``all_positive`` (every prior weight positive) and every term finite no row is left out and ``masked`` is
    False (the masking skipped)."""
    link = family.link
    with np.errstate(all="ignore"):
        mu = link.inverse(eta) if mu is None else mu
        mu_eta = link.inverse_deriv(eta) if mu_eta is None else mu_eta
        r = (y - mu) / mu_eta
        if eta_weights is not None:
            mu, mu_eta = link.inverse(eta_weights), link.inverse_deriv(eta_weights)
        w = prior * mu_eta ** 2 / family.variance(mu)
        if all_positive and np.isfinite(w.sum() + r.sum()):  # finite sums: every entry is finite
            return w, r, False
    good = (prior > 0) & (mu_eta != 0) & np.isfinite(w) & np.isfinite(r)
    return np.where(good, w, 0.0), np.where(good, r, 0.0), True


class GenericKernel:
    """R's glm.fit formulas from any family's and link's functions; rows with zero weight, d mu / d eta = 0 or
    non-finite terms drop out (R's ``good``). ``newton``: the observed working weights (see the module notes;
    the family must declare ``newton_term``)."""

    def __init__(self, family, all_positive, newton=False):
        self.family, self.link, self.all_positive = family, family.link, all_positive
        self.newton_term = family.newton_term if newton else None

    def __call__(self, y, prior, offset, eta):
        family, link = self.family, self.link
        n = eta.shape[0]
        prior = np.ones(n) if prior is None else prior
        offset = 0.0 if offset is None else offset
        mu = link.inverse(eta)
        valid = link.valid_eta(eta) and family.valid_mu(mu)
        mu_eta = link.inverse_deriv(eta)
        if self.all_positive:
            dev = float(np.dot(prior, family.unit_deviance(y, mu)))
        else:
            pos = prior > 0
            dev = float(np.dot(prior[pos], family.unit_deviance(y[pos], mu[pos])))
        if self.newton_term is not None:
            ratio = mu_eta / family.variance(mu)          # the score of row i is prior_i (y_i - mu_i) ratio_i
            h = mu_eta * ratio - (y - mu) * self.newton_term(mu)
            good = (prior > 0) & (h > 0) & np.isfinite(h) & np.isfinite(ratio)
            w = np.where(good, prior * h, 0.0)
            z = np.where(good, eta - offset + (y - mu) * ratio / np.where(good, h, 1.0), 0.0)
            return BlockTerms(dev, valid, w, z, (eta.min(), eta.max()))
        w, r, masked = _fisher_terms(family, y, prior, eta, mu=mu, mu_eta=mu_eta, all_positive=self.all_positive)
        z = eta - offset + r
        if masked:  # rows left out (w = 0) get z = 0, as in R's fit
            z = np.where(w > 0, z, 0.0)
        return BlockTerms(dev, valid, w, z, (eta.min(), eta.max()))


class _FastKernel:
    """Shared machinery of the in-place kernels: buffers sized to the block, generic fallback."""

    def __init__(self, family, all_positive, binary_y=False):
        self.generic = GenericKernel(family, all_positive)
        self.family = family
        self.binary_y = binary_y

    def _buffers(self, n):
        """mu, w, z and a temporary for n rows: the thread's scratch arrays (reused from pass to pass)."""
        return tuple(scratch(name, n) for name in ("kernel_mu", "kernel_w", "kernel_z", "kernel_t"))

    @staticmethod
    def _sum(values, prior):
        return float(values.sum() if prior is None else np.dot(prior, values))

    def _finish_z(self, z, eta, offset):
        """z += eta - offset (z holds (y - mu) / (d mu / d eta) on entry)."""
        z += eta
        if offset is not None:
            z -= offset


# The direct form of the Poisson half deviance y log(y/mu) - (y - mu) = t carries a rounding error of at
# most 3 eps (2 y + 2 mu + t) per row (|y log(y/mu)| is at most t + y + mu). A block whose bound exceeds
# CANCELLATION_RTOL of its deviance (counts so large that y - mu is small next to y, or a near-perfect
# fit) is recomputed without cancellation; the bound costs two sums, the common case nothing more.
CANCELLATION_RTOL = 1e-12
_ROUNDING = 3.0 * np.finfo(float).eps


def _cancelled(dev, scale):
    """Whether the direct deviance sum ``dev`` may have lost more than CANCELLATION_RTOL of its digits."""
    return not _ROUNDING * (2.0 * scale + dev) <= CANCELLATION_RTOL * dev  # also True for NaN


class PoissonLogKernel(_FastKernel):
    def __call__(self, y, prior, offset, eta):
        lo, hi = eta.min(), eta.max()
        if not (lo > _LOG_EPS and hi < _EXP_MAX):  # also False for NaN
            return self.generic(y, prior, offset, eta)
        mu, w, z, t = self._buffers(eta.shape[0])
        np.exp(eta, out=mu)
        np.divide(y, mu, out=z)                 # y / mu
        # deviance: 2 [y log(y / mu) - (y - mu)], y log(y / mu) = 0 at y = 0
        t.fill(0.0)
        np.log(z, out=t, where=y > 0)
        np.multiply(t, y, out=t)
        t -= y
        t += mu
        dev = self._sum(t, prior)
        if _cancelled(dev, self._sum(y, prior) + self._sum(mu, prior)):
            t[:] = poisson_half_deviance(y, mu)
            dev = self._sum(t, prior)
        z -= 1.0                                # (y - mu) / mu
        self._finish_z(z, eta, offset)
        if prior is None:
            return BlockTerms(2.0 * dev, True, mu, z, (lo, hi))
        np.multiply(mu, prior, out=w)
        return BlockTerms(2.0 * dev, True, w, z, (lo, hi))


class GammaLogKernel(_FastKernel):
    def __call__(self, y, prior, offset, eta):
        lo, hi = eta.min(), eta.max()
        if not (lo > _LOG_EPS and hi < _EXP_MAX):
            return self.generic(y, prior, offset, eta)
        mu, w, z, t = self._buffers(eta.shape[0])
        np.negative(eta, out=mu)
        np.exp(mu, out=mu)                      # 1 / mu
        np.multiply(y, mu, out=z)               # y / mu (y > 0: checked when the model was built)
        # deviance: -2 [log(y / mu) - (y - mu) / mu] = 2 [(y / mu - 1) - log(y / mu)]
        np.log(z, out=t)
        z -= 1.0                                # (y - mu) / mu
        np.subtract(z, t, out=t)
        # No cancellation check here, unlike the Poisson: the Gamma deviance depends on y / mu only, so its
        # direct form keeps an absolute error of a few eps per row at any scale of y; it loses relative
        # precision only for near-perfect fits (every y / mu within ~1e-8 of 1), where the deviance is ~0
        # anyway - the starting pass (mu = y) is one, and recomputing it cost 8 % of a 1e6 x 10 fit.
        # Family.unit_deviance (results, generic kernel) is exact there too.
        dev = self._sum(t, prior)
        self._finish_z(z, eta, offset)
        if prior is None:
            w.fill(1.0)
            return BlockTerms(2.0 * dev, True, w, z, (lo, hi), w_is_prior=True)
        return BlockTerms(2.0 * dev, True, prior, z, (lo, hi), w_is_prior=True)


class BinomialLogitKernel(_FastKernel):
    def __call__(self, y, prior, offset, eta):
        lo, hi = eta.min(), eta.max()
        if not (lo >= -30.0 and hi <= 30.0):  # R's logit clamps beyond |eta| > 30
            return self.generic(y, prior, offset, eta)
        mu, w, z, t = self._buffers(eta.shape[0])
        np.negative(eta, out=t)
        np.exp(t, out=t)                        # e = exp(-eta)
        np.add(t, 1.0, out=mu)
        np.reciprocal(mu, out=mu)               # mu = 1 / (1 + e)
        np.multiply(t, mu, out=t)               # 1 - mu = e mu, without cancellation
        np.multiply(mu, t, out=w)               # mu (1 - mu) = d mu / d eta = V(mu)
        np.subtract(y, mu, out=z)
        np.divide(z, w, out=z)                  # (y - mu) / (mu (1 - mu))
        self._finish_z(z, eta, offset)
        if self.binary_y:                       # d(y, mu) = -2 log(mu) at y = 1, -2 log(1 - mu) at y = 0
            np.copyto(t, mu, where=y > 0.5)
            np.log(t, out=t)
            dev = -2.0 * float(t.sum() if prior is None else np.dot(prior, t))
        else:
            d = self.family.unit_deviance(y, mu)
            dev = float(d.sum() if prior is None else np.dot(prior, d))
        if prior is not None:
            np.multiply(w, prior, out=w)
        return BlockTerms(dev, True, w, z, (lo, hi))


def kernel_for(family, data, newton=False):
    """A fresh kernel for ``family`` on ``data`` (a GLMData; one kernel per thread: a fast kernel owns its
    buffers). ``newton``: observed working weights where the family declares them (``family.newton_term``),
    the Fisher ones otherwise.

    The simplified formulas hold for any family with that variance function and link (the deviance follows
    from the variance): V = mu with the log link (Poisson, quasi-Poisson, Tweedie p = 1), V = mu^2 with the
    log link when y > 0 (Gamma, Tweedie p = 2), V = mu (1 - mu) with the logit link (binomial, quasi-binomial).
    """
    if newton and family.newton_term is not None:
        return GenericKernel(family, data.all_positive, newton=True)
    link = family.link
    if data.all_positive:
        if family.variance_power == 1.0 and isinstance(link, L.Log):
            return PoissonLogKernel(family, True)
        if family.variance_power == 2.0 and isinstance(link, L.Log) and 0.0 not in family.response_domain:
            return GammaLogKernel(family, True)
        if family.mean_range == OPEN_UNIT and isinstance(link, L.Logit):
            return BinomialLogitKernel(family, True, data.binary_y)
    return GenericKernel(family, data.all_positive)
