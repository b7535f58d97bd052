"""Analysis of deviance: sequential tables, nested-model comparisons and single-term deletions.

Three tables, each a DataFrame with R's row and column names (NaN where R prints nothing):

- :func:`anova_sequential` (``res.anova()``): terms added one at a time, in formula order
  (R: ``anova(m, test = ...)``, ``stats:::anova.glm``);
- :func:`anova` (``gs.anova(m1, m2, ...)``): nested models fitted to the same rows
  (R: ``anova(m1, m2, test = ...)``, ``stats:::anova.glmlist``);
- :func:`drop1` (``res.drop1()``): each term that marginality allows dropped in turn
  (R: ``drop1(m, test = ...)``, ``stats:::drop1.glm``).

Submodels are refitted with the same response, prior weights, offset and family by the IRLS
engine, with ``tol = min(res.tol, 1e-10)`` so that the deviance differences are exact to many
more digits than they are printed with.

Tests, with phi the dispersion and D a deviance difference on ``Df`` degrees of freedom:

- ``"Chisq"`` (alias ``"LRT"``): D / phi against chi2(Df);
- ``"F"``: F = D / Df / phi against F(Df, df_phi), df_phi the residual df of the model that
  phi comes from (infinite when the dispersion is fixed);
- ``"Rao"``: the score statistic of the larger model at the smaller model's fit, as R computes
  it: the weighted (working weights) regression sum of squares of the smaller fit's working
  residuals on the larger design, over phi, against chi2(Df).

In :func:`anova_sequential` and :func:`anova`, phi is the dispersion of the full (largest)
model as ``res.scale`` gives it (R's ``summary.glm`` dispersion: 1 for binomial/Poisson,
Pearson chi2 / df_resid otherwise); :func:`drop1` follows ``drop1.glm`` (see there).
"""

import warnings

import numpy as np
import pandas as pd
from .._lazy import stats

from ..exceptions import ConvergenceWarning, GLMStatsWarning
from ..engine import linalg
from ..engine.blocks import block_rows, qr_block_rows, row_blocks
from ..engine.data import GLMData
from ..engine.gram import TriangularFactor
from ..engine.irls import evaluate_mu, irls
from ..engine.kernels import working_terms
from ..engine.matrix import DenseMatrix
from ..families import Gaussian

__all__ = ["anova_sequential", "anova", "drop1"]

_ANOVA_COLUMNS = ["Df", "Deviance", "Resid. Df", "Resid. Dev"]
_MODELS_COLUMNS = ["Resid. Df", "Resid. Dev", "Df", "Deviance"]


# --- arguments -------------------------------------------------------------------------------
def _test_name(test, where):
    """R's test names; "LRT" is "Chisq", "none" is None."""
    if test is None or (isinstance(test, str) and test.lower() == "none"):
        return None
    names = {"chisq": "Chisq", "lrt": "Chisq", "f": "F", "rao": "Rao"}
    if not isinstance(test, str) or test.lower() not in names:
        raise ValueError(f'{where}: test must be "Chisq" (or "LRT"), "F", "Rao" or None, not {test!r}')
    return names[test.lower()]


def _warn_f_fixed(res):
    fam = res.family.name
    if res.family.dispersion_is_one_in_r:
        msg = f"using the F test with the {fam} family is inappropriate (it assumes the quasi{fam} family)"
    else:
        msg = "using the F test with a fixed dispersion is inappropriate"
    warnings.warn(msg, GLMStatsWarning, stacklevel=4)


# --- terms ---------------------------------------------------------------------------------
def _droppable(terms):
    """Terms not contained in another term (R's ``drop.scope``: ``a`` and ``b`` stay while ``a:b`` is in)."""
    out = []
    for i, (name, cols, fi) in enumerate(terms):
        if not any(fi <= fj for j, (_, _, fj) in enumerate(terms) if j != i):
            out.append((name, cols))
    return out


# --- fits ------------------------------------------------------------------------------------
class _SubFit:
    """Deviance, rank and the working residuals/weights of a (sub)model fit (R's glm.fit quantities)."""

    def __init__(self, family, data, eta, deviance, rank, eta_weights=None):
        self.deviance, self.rank = float(deviance), int(rank)
        self.work_weights, self.work_resid = working_terms(family, data.y, data.weights, eta, eta_weights)


def _full_fit(res, r_weights=False):
    """The fit of ``res``; ``r_weights``: working weights as R's ``m$weights``, i.e. those of the last IRLS
    iteration, evaluated at the coefficients before its update (identical to the final ones once converged)."""
    state = res.fit_state
    eta_w = state.weights_eta if r_weights else None
    return _SubFit(res.family, state.data, state.eta, res.deviance, res.rank, eta_weights=eta_w)


def _refit(res, cols):
    """Refit ``res``'s model on the columns ``cols`` (same y, weights, offset, family; a factor-codes design
    stays codes)."""
    d = res.fit_state.data
    fam = res.family
    cols = sorted(cols)
    if not cols:  # offset only (R's EMPTY model)
        eta = np.array(d.offset, dtype=float)
        return _SubFit(fam, d, eta, fam.deviance(d.y, fam.link.inverse(eta), d.weights), 0)
    sub = d.with_columns(cols)
    tol = min(res.tol, 1e-10)
    maxiter = max(res.maxiter, 100)
    fit = irls(sub, fam, maxiter=maxiter, tol=tol)
    if not fit.converged:
        warnings.warn(f"refitting a submodel ({len(cols)} columns) for the analysis of deviance did not converge in "
                      f"{maxiter} iterations (tol={tol:g}); its deviance is the last iterate's",
                      ConvergenceWarning, stacklevel=4)
    eta, _ = evaluate_mu(sub, fam, fit.beta)
    return _SubFit(fam, sub, eta, fit.deviance, int(fit.kept.sum()))


def _score_ss(X, small):
    """R's Rao statistic before scaling: ``glm.fit(X, r, w)``'s null deviance minus its deviance.

    r, w are the working residuals and weights of the smaller fit; the regression is Gaussian
    with an identity link, so this is the weighted regression sum of squares of r on X, measured
    (as glm.fit does) from r's weighted mean. The regression is run by the engine, like any fit
    (row blocks, a factor-codes design kept as codes, R's aliasing rule).
    """
    w, r = small.work_weights, small.work_resid
    pos = w > 0
    rbar = np.sum(w[pos] * r[pos]) / np.sum(w[pos])
    null = float(np.sum(w[pos] * (r[pos] - rbar) ** 2))
    if X.shape[1] == 0:
        return null - float(np.sum(w[pos] * r[pos] ** 2))
    data = GLMData(X=X, y=r, weights=w, offset=np.broadcast_to(0.0, r.shape))
    rss = irls(data, Gaussian(), maxiter=25, tol=1e-12).deviance
    score = null - rss
    # a score that is 0 in exact arithmetic (nothing to add) can come out as -1e-16: call it 0
    return 0.0 if -1e-10 * max(null, rss) <= score < 0 else score


# --- test columns ----------------------------------------------------------------------------
def _add_test(table, test, scale, df_scale, stat="Deviance"):
    """R's ``stat.anova`` for "Chisq", "F" and "Rao" (the statistic column is ``stat``)."""
    dfs = table["Df"].to_numpy(dtype=float)
    values = table[stat].to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        if test in ("Chisq", "Rao"):
            vals = values / scale * np.sign(dfs)
            vals[dfs == 0] = np.nan
            vals[vals < 0] = np.nan
            table["Pr(>Chi)"] = _chi2_upper(vals, np.abs(dfs))
        else:
            F = values / dfs / scale
            F[dfs == 0] = np.nan
            F[F < 0] = np.nan
            table["F"] = F
            table["Pr(>F)"] = _f_sf(F, np.abs(dfs), df_scale)
    return table


def _with_test(table, test, scale, df_scale, scores, res):
    """The table with its test columns (``scores``: the Rao statistics; ``res``: the fit whose dispersion
    is used, for the warning about F tests on a fixed dispersion)."""
    if test == "F" and np.isinf(df_scale):
        _warn_f_fixed(res)
    if test == "Rao":
        table["Rao"] = np.asarray(scores, dtype=float)
        return _add_test(table, "Rao", scale, df_scale, stat="Rao")
    return _add_test(table, test, scale, df_scale)


def _f_sf(F, df1, df2):
    if np.isinf(df2):  # F(df1, inf) = chi2(df1) / df1
        return _chi2_upper(F * df1, df1)
    return stats.f.sf(F, df1, df2)


def _chi2_upper(x, df):
    """P(chi2_df > x), down to the subnormal range as R's ``pchisq(lower.tail = FALSE)``.

    scipy underflows to 0 below about 1e-308; there the upper incomplete gamma Q(a, z),
    a = df/2, z = x/2, is evaluated in logs with its continued fraction (Lentz's method),
    log Q = a log z - z - log Gamma(a) - log(CF), which converges fast for z > a + 1.
    """
    scalar = np.ndim(x) == 0 and np.ndim(df) == 0
    x, df = np.broadcast_arrays(np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(df, dtype=float)))
    with np.errstate(all="ignore"):
        out = np.asarray(stats.chi2.sf(x, df), dtype=float).copy()
        tiny = (out == 0) & np.isfinite(x) & (df > 0) & (x / 2 > df / 2 + 1)
    for i in np.flatnonzero(tiny):
        out.flat[i] = np.exp(_log_gamma_upper(df.flat[i] / 2.0, x.flat[i] / 2.0))
    return float(out[0]) if scalar else out


def _log_gamma_upper(a, z, eps=1e-16, maxit=1000):
    """log of the regularized upper incomplete gamma Q(a, z) by its continued fraction (z > a + 1)."""
    from scipy.special import gammaln

    tiny = 1e-300
    b = z + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, maxit):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return a * np.log(z) - z - gammaln(a) + np.log(h)


def _dispersion(res):
    """The dispersion of the tests and its degrees of freedom (R: ``summary(m)$dispersion``; Inf when fixed)."""
    return float(res.scale), (np.inf if res.fixed_scale else float(res.df_resid))


# --- sequential ------------------------------------------------------------------------------
def anova_sequential(res, test="default"):
    """Sequential (type I) analysis of deviance by term (R: ``anova(m, test = ...)``, ``anova.glm``).

    Parameters
    ----------
    res : GLMResults
    test : {"default", "Chisq", "LRT", "F", "Rao", None}
        ``"default"``: ``"F"`` when the dispersion is estimated, ``"Chisq"`` when it is fixed
        (R >= 4.4's default). None: no test columns.

    Returns
    -------
    DataFrame
        Rows ``"NULL"`` (the null model: intercept only, or the offset alone without an
        intercept) and one per term in formula order; columns ``Df``, ``Deviance``,
        ``Resid. Df``, ``Resid. Dev``, then ``Pr(>Chi)`` ("Chisq"); ``F``, ``Pr(>F)`` ("F");
        ``Rao``, ``Pr(>Chi)`` ("Rao").

    Notes
    -----
    Row k refits the model with the terms up to k; ``Df`` is the number of non-aliased columns
    the term adds and ``Deviance`` = max(0, the drop in residual deviance). The tests use the
    full model's dispersion phi (``res.scale``): p = P(chi2_Df > Deviance / phi);
    F = Deviance / Df / phi on (Df, df_resid) degrees of freedom. ``Rao`` is R's score
    statistic of each term at the fit without it (unscaled, as R prints it; its p-value uses
    Rao / phi).

    Formula models use the formula's terms; for the array interface every column is a term
    (a constant column is the intercept and gets no row).
    """
    if test == "default":
        test = "Chisq" if res.fixed_scale else "F"
    test = _test_name(test, "anova")
    intercept, terms = res.fit_state.terms
    base = res.df_resid + res.rank  # R's n.ok: rows with non-zero weight
    resdf = [base - len(intercept)]
    resdev = [float(res.null_deviance)]
    scores = [np.nan]
    prev = _refit(res, intercept) if (test == "Rao" and terms) else None
    cols = list(intercept)
    X = res.fit_state.data.X
    for k, (_, term_cols, _) in enumerate(terms):
        cols = cols + list(term_cols)
        fit = _full_fit(res) if k == len(terms) - 1 else _refit(res, cols)
        resdf.append(base - fit.rank)
        resdev.append(fit.deviance)
        if test == "Rao":
            scores.append(_score_ss(X.columns(sorted(cols)), prev))
            prev = fit
    resdf = np.asarray(resdf, dtype=float)
    resdev = np.asarray(resdev, dtype=float)
    df = np.concatenate([[np.nan], -np.diff(resdf)]) + 0.0  # + 0.0: no "-0" for an aliased term
    dev = np.concatenate([[np.nan], np.maximum(0.0, -np.diff(resdev))]) + 0.0
    table = pd.DataFrame({"Df": df, "Deviance": dev, "Resid. Df": resdf, "Resid. Dev": resdev},
                         index=["NULL"] + [t for t, _, _ in terms])
    if test is None:
        return table
    scale, df_scale = _dispersion(res)
    return _with_test(table, test, scale, df_scale, scores, res)


# --- nested models ---------------------------------------------------------------------------
def _check_same_data(results):
    first = results[0].fit_state.data
    for i, r in enumerate(results[1:], start=2):
        d = r.fit_state.data
        if d.y.shape != first.y.shape:
            raise ValueError(f"models were not all fitted to the same rows: model 1 has {first.y.shape[0]} rows, "
                             f"model {i} has {d.y.shape[0]} (check missing values dropped by one model only)")
        if not np.allclose(d.y, first.y, rtol=1e-12, atol=0.0):
            raise ValueError(f"models 1 and {i} were not fitted to the same response (or not to the same rows)")
        if not np.allclose(d.weights, first.weights, rtol=1e-12, atol=0.0):
            raise ValueError(f"models 1 and {i} have different prior weights (var_weights * freq_weights)")
        f0, f1 = results[0].family, r.family
        same = f0.name == f1.name and f0.link.name == f1.link.name
        if same:
            mu = results[0].fit_state.mu
            with np.errstate(all="ignore"):
                same = np.allclose(f0.variance(mu), f1.variance(mu), equal_nan=True)
        if not same:
            raise ValueError(f"models 1 and {i} have different families ({f0.name}/{f0.link.name} vs "
                             f"{f1.name}/{f1.link.name}); the analysis of deviance compares models of one family")


#: Up to this many columns in [X_l, X_s, offset] the nesting check stacks them in a tall-skinny QR (exact, O(n p^2));
#: wider (a factor kept as codes) it projects by X_l's own cross-products (no dense n x p block of the factor).
NESTED_QR_COLUMNS = 512


def _check_nested(small, large, i_small, i_large):
    """Raise ValueError unless small's linear predictors X_s b + offset_s are a subset of large's.

    Tested on the columns: every non-aliased column of X_s, and offset_s - offset_l, must lie in
    the column space of large's non-aliased columns (rows with positive prior weight), to a
    relative residual of 1e-7. See :func:`_outside_span`.
    """
    ss, sl_ = small.fit_state, large.fit_state
    Xs, Xl = ss.data.X.columns(np.flatnonzero(ss.kept)), sl_.data.X.columns(np.flatnonzero(sl_.kept))
    doff = ss.data.offset - sl_.data.offset
    pos = (sl_.data.weights > 0).astype(float)  # a weight of 0 drops a row
    size, resid = _outside_span(Xl, Xs, doff, pos)
    offsets = (ss.data.offset[pos > 0], sl_.data.offset[pos > 0])
    size[-1] = max(size[-1], np.linalg.norm(offsets[0]), np.linalg.norm(offsets[1]), 1.0)
    names = [n for n, k in zip(ss.exog_names, ss.kept) if k] + ["offset"]
    bad = resid > 1e-7 * np.where(size > 0, size, 1.0)
    if np.any(bad):
        what = [n for n, b in zip(names, bad) if b]
        raise ValueError(f"models are not nested: model {i_small} (df_resid {small.df_resid:g}) is not contained in "
                         f"model {i_large} (df_resid {large.df_resid:g}); outside its column space: "
                         f"{', '.join(what)}")


def _outside_span(Xl, Xs, extra, weights):
    """Weighted norms of the columns of [X_s, extra] and of their residuals off the span of X_l, by row blocks.

    Up to ``NESTED_QR_COLUMNS`` columns in all: the R factor of [X_l, X_s, extra] (a tall-skinny QR): a column's
    norm is that of its column of R, its residual that of the rows below X_l's. Wider: the normal equations of X_l
    (its own cross-products, one step of iterative refinement), the residuals summed directly; the QR route if
    X_l'WX_l is too ill-conditioned for them.
    """
    n, kl = Xl.shape
    ks = Xs.shape[1]
    if kl + ks + 1 > NESTED_QR_COLUMNS:
        found = _outside_span_normal(Xl, Xs, extra, weights)
        if found is not None:
            return found
    tri = TriangularFactor(kl + ks)
    for rows in row_blocks(n, qr_block_rows(kl + ks + 1)):
        block = np.hstack([Xl.rows(rows).to_dense(), Xs.rows(rows).to_dense()])
        tri.add(DenseMatrix(block), weights[rows], extra[rows])
    r_aug = tri.r_aug
    return np.linalg.norm(r_aug[:, kl:], axis=0), np.linalg.norm(r_aug[kl:, kl:], axis=0)


def _outside_span_normal(Xl, Xs, extra, weights):
    n, kl = Xl.shape
    kt = Xs.shape[1] + 1
    rows = block_rows(n, kl + kt)

    def targets(sl):
        return np.column_stack([Xs.rows(sl).to_dense(), extra[sl]])

    def projections(coef):
        """X_l'W(T - X_l coef) and the weighted squared norms of T - X_l coef, by row blocks."""
        rhs, ss = np.zeros((kl, kt)), np.zeros(kt)
        for sl in row_blocks(n, rows):
            xb, w = Xl.rows(sl), weights[sl]
            res = targets(sl) - np.column_stack([xb.matvec(coef[:, j]) for j in range(kt)])
            rhs += np.column_stack([xb.rmatvec(w * res[:, j]) for j in range(kt)])
            ss += w @ (res * res)
        return rhs, ss

    gram = Xl.cross_products()
    for sl in row_blocks(n, rows):
        gram.add(Xl.rows(sl), weights[sl], np.zeros(sl.stop - sl.start))
    coef = np.zeros((kl, kt))
    rhs, size2 = projections(coef)
    for _ in range(2):  # the solve, then one step of iterative refinement
        steps = [linalg.solve_cholesky(gram.xtwx, rhs[:, j]) for j in range(kt)]
        if any(step is None for step in steps):
            return None
        coef += np.column_stack([step.beta for step in steps])
        rhs, resid2 = projections(coef)
    return np.sqrt(size2), np.sqrt(resid2)


def anova(*results, test="Chisq"):
    """Analysis of deviance for nested models (R: ``anova(m1, m2, ..., test = ...)``, ``anova.glmlist``).

    Parameters
    ----------
    *results : GLMResults
        Two or more fits of nested models to the same rows, response, weights and family, in
        the order the table should show them (usually smallest first). One fit gives its
        sequential table (:func:`anova_sequential`).
    test : {"Chisq", "LRT", "F", "Rao", None}

    Returns
    -------
    DataFrame
        Rows ``"1"``, ``"2"``, ...; columns ``Resid. Df``, ``Resid. Dev``, ``Df``, ``Deviance``
        (the changes from the previous row), then ``Pr(>Chi)`` ("Chisq"); ``F``, ``Pr(>F)``
        ("F"); ``Rao``, ``Pr(>Chi)`` ("Rao").

    Raises
    ------
    ValueError
        When the models are not fitted to the same rows (number of rows, response, prior
        weights), have different families, or are not nested.

    Notes
    -----
    Nesting is checked numerically, for the array and the formula interface alike: each
    non-aliased column of the model with fewer parameters, and the difference of the offsets,
    must lie in the column space of the next model's design.

    The dispersion phi is that of the model with the smallest residual df (``res.scale``);
    F = Deviance / Df / phi on (Df, that model's df_resid) degrees of freedom, or chi2 tests of
    Deviance / phi. ``Rao`` is the score statistic of the larger model at the smaller model's
    fit (unscaled, as R prints it; the p-value uses Rao / phi).
    """
    if len(results) == 1 and isinstance(results[0], (list, tuple)):
        results = tuple(results[0])
    if not results:
        raise ValueError("anova() needs at least one fitted model")
    for i, r in enumerate(results, start=1):
        if not hasattr(r, "fit_state") or not hasattr(r, "deviance"):
            raise TypeError(f"argument {i} of anova() is not a fitted GLM (GLMResults), got {type(r).__name__}")
    if len(results) == 1:
        return anova_sequential(results[0], test=test)
    test = _test_name(test, "anova")
    _check_same_data(results)
    resdf = np.array([r.df_resid for r in results], dtype=float)
    resdev = np.array([r.deviance for r in results], dtype=float)
    scores = [np.nan]
    for i in range(len(results) - 1):
        a, b = results[i], results[i + 1]
        small, large, i_s, i_l = (a, b, i + 1, i + 2) if resdf[i] >= resdf[i + 1] else (b, a, i + 2, i + 1)
        _check_nested(small, large, i_s, i_l)
        if test == "Rao":
            s = _score_ss(large.fit_state.data.X, _full_fit(small, r_weights=True))
            scores.append(s if resdf[i] >= resdf[i + 1] else -s)
    change = -np.diff(resdev)
    # a change of the order of rounding (two fits of the same deviance) is 0, not a negative statistic
    noise = 1e-10 * np.maximum(np.abs(resdev[:-1]), np.abs(resdev[1:]))
    change[(change < 0) & (change >= -noise)] = 0.0
    table = pd.DataFrame({"Resid. Df": resdf, "Resid. Dev": resdev,
                          "Df": np.concatenate([[np.nan], -np.diff(resdf)]) + 0.0,
                          "Deviance": np.concatenate([[np.nan], change])},
                         index=[str(i) for i in range(1, len(results) + 1)])
    if test is None:
        return table
    big = results[int(np.argmin(resdf))]
    scale = float(big.scale)
    df_scale = np.inf if big.fixed_scale else float(resdf.min())
    return _with_test(table, test, scale, df_scale, scores, big)


# --- single-term deletions -------------------------------------------------------------------
def drop1(res, test=None):
    """Single-term deletions (R: ``drop1(m, test = ...)``, ``drop1.glm``).

    Parameters
    ----------
    res : GLMResults
    test : {None, "Chisq", "LRT", "F", "Rao"}

    Returns
    -------
    DataFrame
        Rows ``"<none>"`` (the model itself) and each term that can be dropped respecting
        marginality (a term contained in another, such as ``a`` and ``b`` next to ``a:b``,
        stays); columns ``Df`` (parameters removed), ``Deviance`` (of the reduced model),
        ``AIC`` (left out when the family has no likelihood: quasi families, Tweedie), then
        ``LRT`` or ``scaled dev.`` and ``Pr(>Chi)`` ("Chisq"); ``F value``, ``Pr(>F)`` ("F");
        ``Rao score`` or ``scaled Rao sc.`` and ``Pr(>Chi)`` ("Rao").

    Notes
    -----
    As R's drop1.glm, with phi = ``res.scale`` (1, or the Pearson estimate) and n rows:

    - "log-likelihood" l_k = n log(D_k / n) for the Gaussian family (unless the scale was fixed
      with ``fit(scale=s)``: D_k / s - n), D_k / phi otherwise;
    - AIC_k = AIC(model) + (l_k - l_0) + 2 (rank_k - rank_0);
    - LRT = max(0, l_k - l_0) against chi2(Df), labelled ``scaled dev.`` when phi != 1 (so the
      Gaussian "scaled dev." is n log(D_k / D_0));
    - F value = ((D_k - D_0) / Df) / (D_0 / df_resid) on (Df, df_resid) degrees of freedom: the
      scale is deviance / df_resid, not the Pearson phi (R warns for binomial/Poisson, as here);
    - Rao = the score statistic of the full model at the reduced fit, divided by phi.

    R's drop1.glm passes the model's offset to its auxiliary regression for the Rao score;
    here the offset is left out (as anova.glm does), which is the score statistic. The two
    agree for models without an offset.

    For the array interface every column is a term (a constant column is the intercept and is
    never dropped).
    """
    test = _test_name(test, "drop1")
    intercept, terms = res.fit_state.terms
    scope = _droppable(terms)
    X = res.fit_state.data.X
    p = X.shape[1]
    names, ranks, devs, scores = ["<none>"], [res.rank], [float(res.deviance)], [np.nan]
    for name, cols in scope:
        drop = set(cols)
        fit = _refit(res, [j for j in range(p) if j not in drop])
        names.append(name)
        ranks.append(fit.rank)
        devs.append(fit.deviance)
        if test == "Rao":
            scores.append(_score_ss(X, fit))
    ranks = np.asarray(ranks, dtype=float)
    devs = np.asarray(devs, dtype=float)
    n = float(np.sum(res.fit_state.freq_weights))  # R: nrow(x); rows counted with their frequency weights
    dispersion = float(res.scale)
    user_scale = res.scale if res.scale_fixed_by_user else None
    loglik = res.family.drop1_loglik(devs, n, dispersion, user_scale)
    aic = loglik + 2.0 * ranks
    # R's drop1 anchors on extractAIC: the family's $aic (NA for statmod's tweedie family, although
    # res.aic is AICtweedie's), and for glm.nb MASS's extractAIC.negbin (theta not counted)
    aic = aic + (float(res.extract_aic) - aic[0])
    dfs = ranks[0] - ranks + 0.0
    dfs[0] = np.nan
    table = pd.DataFrame({"Df": dfs, "Deviance": devs, "AIC": aic}, index=names)
    if np.all(np.isnan(aic)):
        table = table.drop(columns="AIC")
    ok = ~np.isnan(dfs) & (dfs > 0)
    if test == "Chisq":
        lrt = np.maximum(0.0, loglik - loglik[0])
        lrt[0] = np.nan
        table["LRT" if dispersion == 1 else "scaled dev."] = lrt
        table["Pr(>Chi)"] = _chi2_sf(lrt, dfs, ok)
    elif test == "Rao":
        sc = np.maximum(0.0, np.asarray(scores, dtype=float)) / dispersion
        table["Rao score" if dispersion == 1 else "scaled Rao sc."] = sc
        table["Pr(>Chi)"] = _chi2_sf(sc, dfs, ok)
    elif test == "F":
        if res.family.dispersion_is_one_in_r:
            warnings.warn(f"the F test assumes the quasi{res.family.name} family", GLMStatsWarning, stacklevel=3)
        rdf = float(res.df_resid)
        rms = devs[0] / rdf
        with np.errstate(all="ignore"):
            F = (np.maximum(0.0, devs - devs[0]) / dfs) / rms
        F[~(dfs >= 1e-4)] = np.nan
        table["F value"] = F
        pv = np.full_like(F, np.nan)
        good = ~np.isnan(F) & ok
        pv[good] = stats.f.sf(F[good], dfs[good], rdf)
        table["Pr(>F)"] = pv
    return table


def _chi2_sf(x, df, ok):
    """R's ``safe_pchisq``: NA where df <= 0."""
    out = np.full_like(x, np.nan)
    good = ok & ~np.isnan(x)
    out[good] = _chi2_upper(x[good], df[good])
    return out
