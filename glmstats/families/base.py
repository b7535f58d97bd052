"""The Family base class: what every exponential-dispersion family supplies, and its facts as data.

A family *has* a link (composition, not inheritance) and supplies what IRLS and the results
need: the variance function V(mu), unit deviances, R's starting values, and the
log-likelihood with R's conventions for prior weights (those of ``logLik.glm``/``AIC``).

Everything the rest of the package needs to know *about* a family is stated here as data
(class attributes and properties), so that no other module tests a family's type or name:
where y and mu may lie (:class:`~glmstats.families.interval.Interval` objects), the variance
power, whether a link is canonical, whether the dispersion is fixed, whether y counts
something, and R's conventions keyed on the family (which R applies by ``family$family``).

Weights. ``weights`` are R's prior weights (``var_weights``; for the binomial the
number of trials). ``freq_weights`` repeat an observation: every sum over
observations is multiplied by them, exactly as if the rows were duplicated.
"""

import numpy as np

from . import links as L
from .interval import NON_NEGATIVE, OPEN_UNIT, POSITIVE, REAL, UNIT

__all__ = ["Family"]


def as_float(a):
    return np.asarray(a, dtype=float)


def weights_or_ones(weights, like):
    return np.ones_like(like) if weights is None else as_float(weights)


def ylogy_ratio(y, mu):
    """y * log(y / mu), 0 where y == 0 (R's ``y_log_y``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return y * np.log(np.where(y != 0, y / mu, 1.0))  # log(1) = 0 where y == 0, whatever mu


# Below this |t| the direct forms of log(1 + t) - t lose about 2 eps / |t| of their relative
# precision (the terms cancel to t^2 / 2); the series to t^10 is exact there to well below eps.
SERIES_LIMIT = 0.01


def log1pmx(t):
    """log(1 + t) - t, without the cancellation of the direct form near t = 0.

    Notes
    -----
    For |t| < 0.01 the series sum_{k>=2} (-1)^(k+1) t^k / k to k = 10 (the next term is below
    1e-17 of the sum); elsewhere ``log1p(t) - t``.
    """
    shape = np.shape(t)
    t = np.atleast_1d(as_float(t))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log1p(t) - t
    small = np.abs(t) < SERIES_LIMIT
    if np.any(small):
        ts = t[small]
        acc = np.zeros_like(ts)
        for k in range(10, 1, -1):  # Horner: t^2 (-1/2 + t (1/3 + t (-1/4 + ...)))
            acc = acc * ts + (-1.0) ** (k + 1) / k
        out[small] = acc * ts * ts
    return out.reshape(shape)


# Below this t = (y - mu) / mu, log1p(t) carries an error of about eps mu / y (1 + t keeps only the
# absolute precision of t; t rounds to -1 below y / mu = eps): log(y / mu) is used there.
LOG1P_LIMIT = -0.99


def log_ratio(y, mu, t):
    """log(y / mu) given t = (y - mu) / mu: log1p(t) (no rounding of y / mu near y = mu), or the ratio's log
    where t < LOG1P_LIMIT."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t < LOG1P_LIMIT, np.log(y / mu), np.log1p(t))


def poisson_half_deviance(y, mu):
    """y log(y / mu) - (y - mu): half the Poisson unit deviance, without cancellation.

    Notes
    -----
    With t = (y - mu) / mu it equals mu [(1 + t) log(1 + t) - t] = mu [(1 + t) log1pmx(t) + t^2],
    used where |t| < 0.01, elsewhere y log1p(t) - (y - mu). Near t = 0 the textbook form subtracts two nearly equal numbers of the size
    of y (for counts near 2^53 it returns tens where the exact value is 1e-9). y - mu is exact
    there (Sterbenz), so t carries only its last rounding.
    """
    y, mu = np.broadcast_arrays(as_float(y), as_float(mu))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.atleast_1d((y - mu) / mu)
        # log1p of the relative difference: log(y / mu) would carry the rounding of y / mu, which
        # the subtraction of y - mu amplifies by 1 / t
        out = np.atleast_1d(np.where(y > 0, y * log_ratio(y, mu, t), 0.0) - (y - mu))
    small = np.abs(t) < SERIES_LIMIT
    if np.any(small):
        ts = t[small]
        out[small] = np.atleast_1d(mu)[small] * ((1.0 + ts) * log1pmx(ts) + ts * ts)
    return out.reshape(y.shape)


def weight_total(weights, freq_weights=None):
    """sum(f * w): the divisor of the dispersion R's Gamma and inverse Gaussian ``aic`` (and AICtweedie) plug
    in, deviance / sum(w)."""
    w = as_float(weights)
    return float(np.sum(weights_or_ones(freq_weights, w) * w))


def power_anscombe(y, mu, p):
    """Anscombe residual for V(mu) = mu^p: (A(y) - A(mu)) / (A'(mu) sqrt(V(mu))), A' = V^(-1/3)."""
    c = 1.0 - p / 3.0
    with np.errstate(divide="ignore", invalid="ignore"):
        if c == 0:
            return (np.log(y) - np.log(mu)) / np.sqrt(mu)
        return (np.power(y, c) - np.power(mu, c)) / (c * np.power(mu, p / 6.0))


class Family:
    """Base class of the families (abstract).

    Subclasses set ``name`` (R's family name), ``default_link`` and the facts below, and
    implement ``variance``, ``unit_deviance``, ``starting_mu`` and, where a likelihood exists,
    ``_loglike_obs``. The facts are class attributes, read by the rest of the package.

    Attributes
    ----------
    response_domain : Interval
        Where y may lie (checked by :meth:`check_y`).
    mean_range : Interval
        Where mu lies. With ``validates_mean`` (R's ``validmu`` checks it) IRLS halves steps
        that leave it; R's inverse Gaussian does not check, so neither do we.
    variance_power : float or None
        p when V(mu) = mu^p (Gaussian 0, Poisson 1, Gamma 2, inverse Gaussian 3, Tweedie p).
    fixed_scale : bool
        The dispersion is 1 by definition (binomial, Poisson, negative binomial).
    scale_in_loglike : bool
        R's logLik counts the dispersion as a parameter (Gaussian, Gamma, inverse Gaussian).
    integer_response : bool
        y counts something (with ``proportion_response``: y times the trials counts successes);
        a non-integer value gets R's warning.
    proportion_response : bool
        y is a proportion of trials, the trials being prior weights: a two-column
        (successes, failures) response and a factor response are accepted (R's binomial families).
    dispersion_is_one_in_r : bool
        R's generic functions treat the dispersion as 1 by definition only for the ``binomial``
        and ``poisson`` families (``summary.glm``, ``rstudent``, the F-test warnings of
        ``anova``/``drop1``); MASS fixes it at 1 for ``glm.nb``, which those functions ignore.
    r_has_aic : bool
        R's family object has an ``aic`` function (statmod's tweedie has none: R's drop1 shows no AIC).
    """

    name = None
    default_link = L.Identity
    response_domain = REAL
    mean_range = REAL
    validates_mean = True
    variance_power = None
    fixed_scale = False
    scale_in_loglike = False
    integer_response = False
    proportion_response = False
    #: A continuous distribution with a point mass at y = 0 (the compound Poisson-gamma Tweedie, 1 < p < 2).
    zero_mass = False
    dispersion_is_one_in_r = False
    r_has_aic = True
    #: The message of a y outside ``response_domain`` (fields: subject, min, max); None: from the domain.
    domain_message = None

    def __init__(self, link=None):
        self.link = self.default_link() if link is None else L.get_link(link)

    # --- the variance and the deviance -------------------------------------------------
    def variance(self, mu):
        """V(mu), the variance function."""
        raise NotImplementedError

    def variance_deriv(self, mu):
        """dV / dmu (the observed information of a non-canonical link); from ``variance_power`` when it is set."""
        p = self.variance_power
        if p is None:
            raise NotImplementedError(f"the {self.name} family does not give dV/dmu")
        mu = as_float(mu)
        if p == 0:
            return np.zeros_like(mu)
        return p * np.power(mu, p - 1.0)

    def unit_deviance(self, y, mu):
        """d(y, mu), the unit deviance: deviance = sum(w * d(y, mu))."""
        raise NotImplementedError

    def deviance(self, y, mu, weights=None, freq_weights=None):
        """Sum of weighted unit deviances, sum(f * w * d(y, mu)) (R: ``sum(family$dev.resids(y, mu, w))``)."""
        y, mu = as_float(y), as_float(mu)
        w = weights_or_ones(weights, y) * weights_or_ones(freq_weights, y)
        d = self.unit_deviance(y, mu)
        return float(np.sum(np.where(w > 0, w * d, 0.0)))

    def resid_deviance(self, y, mu, weights=None):
        """sign(y - mu) * sqrt(w * d(y, mu)) (R: ``residuals(type = "deviance")``)."""
        y, mu = as_float(y), as_float(mu)
        w = weights_or_ones(weights, y)
        d = np.maximum(w * self.unit_deviance(y, mu), 0.0)
        return np.sign(y - mu) * np.sqrt(d)

    def resid_anscombe(self, y, mu, weights=None):
        """Anscombe residuals (not in R's residuals.glm; statsmodels' definitions)."""
        raise NotImplementedError(f"Anscombe residuals are not defined for the {self.name} family")

    # --- facts that depend on the link ---------------------------------------------------
    def is_canonical(self, link=None):
        """Whether ``link`` (default: the family's) is the canonical link theta(mu), so that
        d mu / d eta = V(mu) and the Fisher and observed informations agree."""
        link = self.link if link is None else link
        p = self.variance_power
        if p is None:
            return False
        if p == 1.0:
            return isinstance(link, L.Log)
        if isinstance(link, L.Identity):
            return p == 0.0
        return isinstance(link, L.Power) and bool(np.isclose(link.power, 1.0 - p))

    @property
    def deviance_convex_in_eta(self):
        """Whether d(y, g^{-1}(eta)) is convex in eta for every admissible y (then a penalized deviance is
        convex in the coefficients).

        Canonical links: d'' = 2 V(mu) >= 0. Log link with V = mu^p, 1 <= p <= 2:
        d'' = 2 mu^(1-p) ((p - 1) y + (2 - p) mu) >= 0 (negative for some y, mu when p > 2 or p = 0).
        A binomial variance with a link whose inverse F and 1 - F are log-concave (logit, probit,
        cloglog, loglog; not the cauchit).
        """
        if self.is_canonical():
            return True
        p = self.variance_power
        if isinstance(self.link, L.Log) and p is not None and 1.0 <= p <= 2.0:
            return True
        return self.mean_range == OPEN_UNIT and self.link.log_concave

    @property
    def newton_term(self):
        """k(mu) = d/d eta [(d mu / d eta) / V(mu)] as a function of mu, or None.

        With it the observed (Newton) working weights are w (mu'^2 / V - (y - mu) k(mu)). Defined
        for the log link with V = mu^p, 1 <= p <= 2, not canonical: k = (1 - p) mu^(1-p) (the
        weights are then >= 0, see :attr:`deviance_convex_in_eta`); None otherwise (canonical
        links have k = 0: Fisher = Newton).
        """
        p = self.variance_power
        if not isinstance(self.link, L.Log) or self.is_canonical() or p is None or not 1.0 <= p <= 2.0:
            return None
        return lambda mu: (1.0 - p) * mu ** (1.0 - p)

    @property
    def mean_boundary(self):
        """Values y may take that mu can only approach (0 and 1 for a binomial, 0 for counts): fitted
        values near them signal separation, and a response all on one of them has no MLE."""
        closed = self.response_domain.closed_ends
        return tuple(e for e in self.mean_range.open_ends if e in closed)

    # --- domains and start -------------------------------------------------------------
    def check_y(self, y, weights=None):
        """Raise ValueError when y is outside the family's domain (rows with zero weight are ignored)."""
        y = as_float(y)
        positive = weights_or_ones(weights, y) > 0
        y = y if positive.all() else y[positive]
        if y.size and not np.all(self.response_domain.contains(y)):
            raise ValueError(self._domain_error(float(np.min(y)), float(np.max(y))))

    @property
    def _subject(self):
        return f"the {self.name} family"

    def _domain_error(self, lo, hi):
        template = self.domain_message
        if template is None:
            domain = self.response_domain
            if domain == NON_NEGATIVE:
                template = "negative values not allowed for {subject} (minimum y is {min:g})"
            elif domain == POSITIVE:
                template = "non-positive values not allowed for {subject} (minimum y is {min:g})"
            elif domain == UNIT:
                template = "y values must be 0 <= y <= 1 for {subject} (found values from {min:g} to {max:g})"
            else:
                template = f"y values must lie in {domain} for {{subject}} (found values from {{min:g}} to {{max:g}})"
        message = template.format(subject=self._subject, min=lo, max=hi)
        if self.proportion_response:
            message += ("; give proportions with the numbers of trials as var_weights, or a two-column "
                        "(successes, failures) response")
        return message

    def valid_mu(self, mu):
        """True when every mu is inside the family's range (R's ``validmu``)."""
        mu = as_float(mu)
        if not np.all(np.isfinite(mu)):
            return False
        return not self.validates_mean or bool(np.all(self.mean_range.contains(mu)))

    def starting_mu(self, y, weights=None):
        """Initial mu for IRLS (R's ``family$initialize``, ``mustart``)."""
        return as_float(y).copy()

    # --- likelihood --------------------------------------------------------------------
    def loglike_scale(self, deviance, weights, freq_weights=None):
        """The dispersion R plugs into the likelihood (AIC): not the Pearson estimate.

        Gaussian: deviance / n (the MLE); Gamma and inverse Gaussian: deviance / sum(w); 1 for the
        others. The divisor is :meth:`loglike_scale_total`.
        """
        total = self.loglike_scale_total(weights, freq_weights)
        return 1.0 if total is None else deviance / total

    def loglike_scale_total(self, weights, freq_weights=None):
        """The sum over rows that :meth:`loglike_scale` divides the deviance by, or None when the dispersion of
        the likelihood is 1.

        A sum of per-row terms, so that the results can add it up over row blocks (no n-vector).
        """
        return None

    def loglike(self, y, mu, weights=None, scale=1.0, freq_weights=None):
        """Log-likelihood with R's conventions for prior weights (``logLik.glm``); NaN for quasi families.

        Rows with zero weight contribute nothing.
        """
        y, mu = as_float(y), as_float(mu)
        w = weights_or_ones(weights, y)
        f = weights_or_ones(freq_weights, y)
        keep = (w > 0) & (f > 0)
        if self.scale_in_loglike and scale == 0:
            return np.inf  # an exact fit (zero deviance): the density is a point mass at y
        with np.errstate(divide="ignore", invalid="ignore"):
            obs = self._loglike_obs(y[keep], mu[keep], w[keep], float(scale))
        return float(np.sum(f[keep] * obs))

    def loglike_obs(self, y, mu, weights=None, scale=1.0):
        """Per-row log-likelihood with R's conventions for prior weights, 0 for rows of zero weight (NaN for
        quasi families): :meth:`loglike` is the sum of these times the frequency weights."""
        y, mu = as_float(y), as_float(mu)
        w = weights_or_ones(weights, y)
        out = np.zeros_like(y)
        keep = w > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            out[keep] = self._loglike_obs(y[keep], mu[keep], w[keep], float(scale))
        return out

    def _loglike_obs(self, y, mu, w, scale):
        return np.full_like(y, np.nan)

    def drop1_loglik(self, deviance, n, dispersion, user_scale=None):
        """-2 log-likelihood up to a constant as R's ``drop1.glm`` derives it from deviances: D / phi.

        The Gaussian family overrides it (the dispersion profiled out).
        """
        return deviance / dispersion

    def get_distribution(self, mu, scale=1.0, var_weights=1.0):
        """Frozen ``scipy.stats`` distribution of y given mu (and the dispersion)."""
        raise NotImplementedError(f"the {self.name} family has no scipy.stats distribution")

    def cdf_bounds(self, y, mu, scale=1.0, var_weights=1.0):
        """F(y-) and F(y) of y's distribution, and the upper tails 1 - F(y-), 1 - F(y).

        The pieces of a randomized quantile residual (:mod:`glmstats.inference.residuals`). For a
        continuous family F(y-) = F(y); for counts (``integer_response``) F(y-) = F(y - 1), the
        count being y times the trials for a proportion response. The upper tails come from the
        distribution's ``sf``, so that a y far in the upper tail keeps its precision (1 - F would be 0).

        Returns
        -------
        lower, upper, lower_sf, upper_sf : ndarray
        """
        y = as_float(y)
        w = weights_or_ones(var_weights, y)
        dist = self.get_distribution(mu, scale=scale, var_weights=w)
        if self.proportion_response:
            y = np.round(y * np.round(w))
        upper, upper_sf = dist.cdf(y), dist.sf(y)
        if not self.integer_response:
            return upper, upper, upper_sf, upper_sf
        return dist.cdf(y - 1.0), upper, dist.sf(y - 1.0), upper_sf

    def plot_pdf(self, mu, scale=1.0, **kwargs):
        """The pmf or pdf of y for several means and dispersions, a plotly Figure (needs ``glmstats[plot]``).

        See :func:`glmstats.report.family_plots.plot_pdf`.
        """
        from ..report.family_plots import plot_pdf

        return plot_pdf(self, mu, scale=scale, **kwargs)

    # --- housekeeping ------------------------------------------------------------------
    def _params(self):
        return {}

    def __repr__(self):
        args = [f"{k}={v!r}" for k, v in self._params().items()]
        if type(self.link) is not self.default_link or self.link != self.default_link():
            args.append(f"link={self.link!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def __eq__(self, other):
        return type(self) is type(other) and self.link == other.link and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self.link, tuple(self._params().items())))
