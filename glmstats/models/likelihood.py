"""The likelihood of a GLM as a function of the coefficients: statsmodels' model-level API.

``GLM.loglike``, ``loglike_obs``, ``score``, ``score_obs``, ``hessian``, ``information``,
``score_test``, ``predict`` and ``get_distribution`` are thin methods over these functions. Each
takes a *source* with the public attributes ``data`` (:class:`~glmstats.engine.data.GLMData`),
``family``, ``var_weights``, ``freq_weights``, ``n_trials`` and ``nobs`` (a :class:`GLM`), and reads
the rows by blocks (:meth:`GLMData.blocks`): only the per-row outputs (``loglike_obs``,
``score_obs``) are n-long.

Conventions (statsmodels' where the names are statsmodels'):

- ``scale=None`` is statsmodels' ``estimate_scale``: 1 for a family with a fixed dispersion,
  otherwise Pearson's chi2 / (nobs - rank) at the given coefficients;
- the log-density is the family's with R's conventions for prior weights (that of ``res.llf``):
  a binomial proportion with its trials as ``var_weights`` is R's ``dbinom(m y, m, mu)``, and the
  Gamma and inverse Gaussian multiply the log-density by the prior weight;
- aliased coefficients given as NaN (``res.params``) count as 0, as in R's predictions.
"""

import weakref
from collections import namedtuple

import numpy as np
import pandas as pd

from .._lazy import stats
from ..engine.blocks import block_rows, row_blocks
from ..families import links as L

__all__ = ["loglike", "loglike_obs", "score", "score_obs", "hessian", "score_test", "predict", "get_distribution",
           "estimate_scale", "design_rank", "ScoreTestResult"]

#: What :func:`score_test` returns; unpacks as statsmodels' ``(chi2_stat, pvalue, df)``.
ScoreTestResult = namedtuple("ScoreTestResult", ["statistic", "pvalue", "df"])


def _params(source, params):
    b = np.asarray(params, dtype=float).ravel()
    p = source.data.shape[1]
    if b.shape[0] != p:
        raise ValueError(f"params has {b.shape[0]} values, the model has {p} columns")
    return np.where(np.isnan(b), 0.0, b)


def _blocks(source, b):
    """Yield (slice, X_b, y_b, prior_b, eta_b) over the row blocks of the source's data at coefficients b."""
    start = 0
    for xb, yb, wb, _, eta in source.data.blocks(beta=b):
        sl = slice(start, start + yb.shape[0])
        start = sl.stop
        yield sl, xb, yb, wb, eta


def _dense_pieces(xb, width):
    """(sub-slice, dense rows) of a design block, a few MB at a time (a factor-codes block is densified in pieces)."""
    for sub in row_blocks(xb.shape[0], block_rows(xb.shape[0], width)):
        yield sub, xb.rows(sub).to_dense()


_RANKS = weakref.WeakKeyDictionary()  # GLMData -> rank of X: one pass over X per model, not per loglike()


def design_rank(data):
    """The rank of X (statsmodels' ``matrix_rank(exog)``), from X'X accumulated over row blocks and equilibrated."""
    if data in _RANKS:
        return _RANKS[data]
    p = data.shape[1]
    xtx = np.zeros((p, p))
    for xb, *_ in data.blocks(beta=np.zeros(p)):
        for _, x in _dense_pieces(xb, p):
            xtx += np.dot(x.T, x)
    d = np.sqrt(np.diag(xtx))
    d[d == 0] = 1.0
    rank = _RANKS[data] = int(np.linalg.matrix_rank(xtx / np.outer(d, d), hermitian=True))
    return rank


def _pearson(family, y, w, mu):
    with np.errstate(all="ignore"):
        terms = w * (y - mu) ** 2 / family.variance(mu)
    return float(np.sum(terms[w > 0]))


def estimate_scale(source, b, rank=None):
    """statsmodels' ``estimate_scale``: 1 for a fixed dispersion, else Pearson chi2 / (nobs - rank) at ``b``.

    Parameters
    ----------
    source : GLM
    b : ndarray (p,)
        Coefficients (aliased ones as 0).
    rank : int, optional
        The rank of X; default: :func:`design_rank`.

    Returns
    -------
    float
    """
    family = source.family
    if family.fixed_scale:
        return 1.0
    chi2 = sum(_pearson(family, yb, wb, family.link.inverse(eta)) for _, _, yb, wb, eta in _blocks(source, b))
    rank = design_rank(source.data) if rank is None else rank
    return chi2 / (source.nobs - rank)


def _scale(source, b, scale):
    return estimate_scale(source, b) if scale is None else float(scale)


def _row_weights(source, sl):
    """(w, f) of rows ``sl`` for the log-density, R's convention: a two-column binomial response is dbinom(s, s + f)
    times the user's var_weights (as :meth:`FitState.loglike`)."""
    w = np.broadcast_to(source.var_weights, source.data.y.shape)[sl]
    f = np.broadcast_to(source.freq_weights, source.data.y.shape)[sl]
    if source.n_trials is not None:
        trials = source.n_trials[sl]
        w, f = trials, f * w / np.where(trials > 0, trials, 1.0)
    return w, f


def loglike_obs(source, params, scale=None):
    """Per-row log-likelihood at ``params``, frequency weights included (they sum to :func:`loglike`).

    Parameters
    ----------
    source : GLM
        The model (see the module notes).
    params : array-like (p,)
        Coefficients; NaN counts as 0.
    scale : float, optional
        The dispersion; None: :func:`estimate_scale` at ``params``. A family with a fixed dispersion
        ignores it (statsmodels divides the Poisson's log-likelihood by it, not the binomial's).

    Returns
    -------
    ndarray (n,)
        f_i log p(y_i; mu_i, scale, w_i), 0 for rows of zero weight; NaN for quasi families.
    """
    out = np.empty(source.data.y.shape[0])
    for sl, values in _loglike_blocks(source, params, scale):
        out[sl] = values
    return out


def loglike(source, params, scale=None):
    """The log-likelihood at ``params``: the sum of :func:`loglike_obs`, accumulated by row blocks.

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
    scale : float, optional
        None: statsmodels' estimate (Pearson chi2 / (nobs - rank) when the dispersion is not fixed),
        so that ``model.loglike(res.params)`` is statsmodels' ``llf``; R's ``logLik`` (``res.llf``)
        plugs in deviance / n (Gaussian) or deviance / sum(w) (Gamma, inverse Gaussian) instead.

    Returns
    -------
    float
    """
    return float(sum(np.sum(values) for _, values in _loglike_blocks(source, params, scale)))


def _loglike_blocks(source, params, scale):
    """(rows, f_i log p(y_i; mu_i, scale, w_i)) by row blocks: what loglike_obs stores and loglike sums."""
    b = _params(source, params)
    scale = _scale(source, b, scale)
    for sl, _, yb, _, eta in _blocks(source, b):
        w, f = _row_weights(source, sl)
        yield sl, f * source.family.loglike_obs(yb, source.family.link.inverse(eta), w, scale)


def _factors(family, yb, wb, eta, scale, observed):
    """(score factor, Hessian factor) of a block: dl/deta and -d2l/deta2 per row (the expected one unless
    ``observed``), zero for rows of zero weight."""
    link = family.link
    mu = link.inverse(eta)
    d1 = link.inverse_deriv(eta)
    v = family.variance(mu)
    pos = wb > 0
    with np.errstate(all="ignore"):
        resid = np.where(pos, yb - mu, 0.0)
        s = wb * resid * d1 / v / scale
        h = wb * d1 * d1 / v / scale
        if observed:
            # d/deta (mu' / V) = (mu'' V - mu'^2 V') / V^2; zero for a canonical link
            dd = (link.inverse_deriv2(eta) * v - d1 * d1 * family.variance_deriv(mu)) / (v * v)
            h = h - wb * resid * dd / scale
    return np.where(pos, s, 0.0), np.where(pos, h, 0.0)


def score(source, params, scale=None):
    """The gradient of the log-likelihood in the coefficients (statsmodels' ``GLM.score``).

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
    scale : float, optional
        None: :func:`estimate_scale` at ``params``.

    Returns
    -------
    ndarray (p,)

    Notes
    -----
    X' s with s_i = w_i (y_i - mu_i) mu'(eta_i) / (V(mu_i) scale), w the prior weights (var_weights
    times freq_weights, times the trials of a binomial); the quasi-score for quasi families.
    """
    b = _params(source, params)
    scale = _scale(source, b, scale)
    out = np.zeros(b.shape[0])
    for _, xb, yb, wb, eta in _blocks(source, b):
        out += xb.rmatvec(_factors(source.family, yb, wb, eta, scale, observed=False)[0])
    return out


def score_obs(source, params, scale=None):
    """The rows of the score, x_i s_i (statsmodels' ``GLM.score_obs``; see :func:`score`).

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
    scale : float, optional

    Returns
    -------
    ndarray (n, p)
    """
    b = _params(source, params)
    scale = _scale(source, b, scale)
    out = np.empty(source.data.shape)
    for sl, xb, yb, wb, eta in _blocks(source, b):
        s = _factors(source.family, yb, wb, eta, scale, observed=False)[0]
        for sub, x in _dense_pieces(xb, b.shape[0]):
            out[sl][sub] = x * s[sub][:, None]
    return out


def _cross(xb, h, width):
    acc = np.zeros((width, width))
    for sub, x in _dense_pieces(xb, width):
        acc += np.dot(x.T * h[sub], x)
    return acc


def hessian(source, params, scale=None, observed=True):
    """The Hessian of the log-likelihood in the coefficients (statsmodels' ``GLM.hessian``).

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
    scale : float, optional
        None: :func:`estimate_scale` at ``params``.
    observed : bool
        True: the observed Hessian; False: its expectation, minus the Fisher information
        X'WX / scale (statsmodels' ``information`` returns the same matrix).

    Returns
    -------
    ndarray (p, p)

    Notes
    -----
    -X' diag(h) X with h_i = w_i mu'^2 / (V scale), plus for the observed Hessian
    -w_i (y_i - mu_i) (mu'' V - mu'^2 V') / (V^2 scale); the extra term vanishes for a canonical
    link. Accumulated over row blocks.
    """
    b = _params(source, params)
    scale = _scale(source, b, scale)
    p = b.shape[0]
    out = np.zeros((p, p))
    for _, xb, yb, wb, eta in _blocks(source, b):
        out -= _cross(xb, _factors(source.family, yb, wb, eta, scale, observed)[1], p)
    return out


def _extra_rows(source, exog_extra):
    if hasattr(exog_extra, "reindex") and len(exog_extra) != source.data.y.shape[0]:
        exog_extra = exog_extra.reindex(source.row_index)  # a column of the data frame: the rows the fit used
    extra = np.asarray(exog_extra, dtype=float)
    if extra.ndim == 1:
        extra = extra[:, None]
    n = source.data.y.shape[0]
    if extra.ndim != 2 or extra.shape[0] != n:
        raise ValueError(f"exog_extra must have one row per observation used ({n}), got shape {extra.shape}")
    return extra


def score_test(source, params_constrained, k_constraints=None, exog_extra=None, observed=True):
    """Lagrange multiplier (score) test of omitted variables or constraints (statsmodels' ``GLM.score_test``).

    Parameters
    ----------
    source : GLM
    params_constrained : array-like (p,)
        The estimate under the null hypothesis: the fit of this model when ``exog_extra`` is
        tested, otherwise a constrained estimate in this model.
    k_constraints : int, optional
        The number of constraints ``params_constrained`` satisfies; required without ``exog_extra``,
        added to its number of columns with it.
    exog_extra : array-like (n,) or (n, k), optional
        Variables tested for inclusion (one row per observation used).
    observed : bool
        Use the observed Hessian (default) or the expected information.

    Returns
    -------
    ScoreTestResult
        ``(statistic, pvalue, df)``; unpacks as statsmodels' tuple.

    Notes
    -----
    statistic = -g' H^-1 g with g and H the score and Hessian of the model extended by
    ``exog_extra`` at the constrained estimate (extra coefficients 0), the dispersion estimated
    as statsmodels does; p-value from chi2(df). R's ``anova(test = "Rao")`` uses the expected
    information and the larger model's dispersion.
    """
    b = _params(source, params_constrained)
    scale = estimate_scale(source, b)
    if exog_extra is None:
        if k_constraints is None:
            raise ValueError("without exog_extra, give k_constraints: the number of constraints params_constrained "
                             "satisfies")
        g, H = score(source, b, scale), hessian(source, b, scale, observed)
    else:
        extra = _extra_rows(source, exog_extra)
        k = b.shape[0] + extra.shape[1]
        k_constraints = (k_constraints or 0) + extra.shape[1]
        g, H = np.zeros(k), np.zeros((k, k))
        for sl, xb, yb, wb, eta in _blocks(source, b):
            s, h = _factors(source.family, yb, wb, eta, scale, observed)
            for sub, x in _dense_pieces(xb, k):
                xe = np.hstack([x, extra[sl][sub]])
                g += np.dot(s[sub], xe)
                H -= np.dot(xe.T * h[sub], xe)
    stat = float(-g @ np.linalg.solve(H, g))
    return ScoreTestResult(stat, float(stats.chi2.sf(stat, k_constraints)), int(k_constraints))


def predict(source, params, exog=None, exposure=None, offset=None, which="mean"):
    """Predictions at ``params`` for a design matrix (statsmodels' ``GLM.predict``).

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
        NaN counts as 0 (R's predictions with aliased coefficients).
    exog : array-like (m, p) or DataFrame, optional
        A design matrix (a DataFrame holding the model's columns by name is reordered); None: the
        model's rows, with its own offset and exposure unless others are given.
    exposure, offset : array-like, optional
        For the rows predicted; with ``exog`` they default to none.
    which : {"mean", "linear", "var_unscaled"}
        mu, eta or V(mu).

    Returns
    -------
    ndarray
    """
    if which not in ("mean", "linear", "var_unscaled"):
        raise ValueError(f'which must be "mean", "linear" or "var_unscaled", not {which!r}')
    if exposure is not None and not isinstance(source.family.link, L.Log):
        raise ValueError("exposure needs the log link (log(exposure) is added to eta); pass offset= instead")
    b = _params(source, params)
    if exog is None:  # the model's rows, with its own offset and exposure unless others are given
        n = source.data.y.shape[0]
        off = _offset(offset if offset is not None else source.offset,
                      exposure if exposure is not None else source.exposure, n)
        eta = np.empty(n)
        for sl, xb, *_ in _blocks(source, b):
            eta[sl] = xb.matvec(b) + off[sl]
    else:
        X = _exog_rows(source, exog)
        eta = X.matvec(b) + _offset(offset, exposure, X.shape[0])
    if which == "linear":
        return np.asarray(eta, dtype=float)
    mu = source.family.link.inverse(eta)
    return mu if which == "mean" else source.family.variance(mu)


def _offset(offset, exposure, n):
    """offset + log(exposure) for n rows (0 where neither is given)."""
    from .inputs import vector

    off = np.zeros(n)
    if offset is not None:
        off = off + vector(offset, "offset", n)
    if exposure is not None:
        e = vector(exposure, "exposure", n)
        if np.any(e <= 0):
            raise ValueError("exposure must be positive; it enters the model as log(exposure)")
        off = off + np.log(e)
    return off


def _exog_rows(source, exog):
    """A design matrix given as an array, or a DataFrame holding the model's columns by name."""
    from ..engine.matrix import DenseMatrix
    from .inputs import numeric_exog

    names = list(source.exog_names)
    if isinstance(exog, pd.DataFrame) and set(names) <= set(map(str, exog.columns)):
        exog = exog.rename(columns=str)[names]
    X, _ = numeric_exog(np.atleast_2d(exog) if np.ndim(exog) == 1 else exog)
    if X.shape[1] != len(names):
        raise ValueError(f"exog has {X.shape[1]} columns, the model has {len(names)}: give the design matrix "
                         "(for new raw data of a formula model use results.predict(newdata))")
    return DenseMatrix(X)


def get_distribution(source, params, scale=None, exog=None, exposure=None, offset=None, var_weights=1.0,
                     n_trials=1.0):
    """The distribution of y at ``params``, a frozen ``scipy.stats`` object (statsmodels' ``GLM.get_distribution``).

    Parameters
    ----------
    source : GLM
    params : array-like (p,)
    scale : float, optional
        The dispersion; None: :func:`estimate_scale` at ``params`` (1 for a fixed dispersion).
    exog, exposure, offset :
        As :func:`predict`.
    var_weights : float or array-like
        The rows' prior weights (default 1, as statsmodels, also for the model's own rows).
    n_trials : float or array-like
        Binomial: the number of trials (default 1, a Bernoulli); the distribution is of the successes.

    Returns
    -------
    scipy.stats frozen distribution
    """
    family = source.family
    mu = predict(source, params, exog, exposure=exposure, offset=offset)
    if family.fixed_scale:
        scale = 1.0
    elif scale is None:
        scale = estimate_scale(source, _params(source, params))
    weights = n_trials if family.proportion_response else var_weights
    return family.get_distribution(mu, scale=float(scale), var_weights=np.asarray(weights, dtype=float))
