"""Analysis of deviance: sequential tables, nested-model comparisons and single-term deletions.

Three tables, each a DataFrame with R's row and column names (NaN where R prints nothing):

- :func:`anova_sequential` (``res.anova()``): terms added one at a time, in formula order
  (R: ``anova(m, test = ...)``, ``stats:::anova.glm``);
- :func:`anova` (``gs.anova(m1, m2, ...)``): nested models fitted to the same rows
  (R: ``anova(m1, m2, test = ...)``, ``stats:::anova.glmlist``);
- :func:`glmstats.inference.drop1.drop1` (``res.drop1()``): each term that marginality allows dropped in
  turn (R: ``drop1(m, test = ...)``, ``stats:::drop1.glm``).

The refits are in :mod:`glmstats.inference.submodels`, the test columns in
:mod:`glmstats.inference.deviance_tests`.

Submodels are refitted with the same response, prior weights, offset and family by the IRLS
engine, with ``tol = min(res.tol, 1e-10)`` so that the deviance differences are exact to many
more digits than they are printed with.

Tests, with phi the dispersion and D a deviance difference on ``Df`` degrees of freedom:

- ``"Chisq"`` (alias ``"LRT"``): D / phi against chi2(Df);
- ``"F"``: F = D / Df / phi against F(Df, df_phi), df_phi the residual df of the model that
  phi comes from (infinite when the dispersion is fixed);
- ``"Rao"``: the score statistic of the larger model at the smaller model's fit, as R computes
  it: the weighted (working weights) regression sum of squares of the smaller fit's working
  residuals on the larger design, over phi, against chi2(Df). The sum of squares is measured
  from the residuals' weighted mean when the smaller model has an intercept (where that mean is
  0 anyway) and from 0 when it has none (R: ``glm.fit(..., intercept = icpt)``), so that a
  Gaussian score equals the deviance difference with or without an intercept.

In :func:`anova_sequential` and :func:`anova`, phi is the dispersion of the full (largest)
model as ``res.scale`` gives it (R's ``summary.glm`` dispersion: 1 for binomial/Poisson,
Pearson chi2 / df_resid otherwise); :func:`drop1` follows ``drop1.glm`` (see there).
"""

import warnings

import numpy as np
import pandas as pd

from ..engine import linalg
from ..exceptions import GLMStatsWarning
from ..engine.blocks import block_rows, qr_block_rows, row_blocks
from ..engine.gram import TriangularFactor
from ..engine.matrix import DenseMatrix
from ..report.table import AnovaTable
from .deviance_tests import comparison_heading, dispersion, sequential_heading, test_name, with_test
from .anova_negbin import anova_negbin, is_negbin
from .drop1 import drop1
from .submodels import full_fit, refit, score_ss

__all__ = ["anova_sequential", "anova", "drop1"]


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
    AnovaTable
        A DataFrame (:class:`glmstats.report.table.AnovaTable`) that prints as R's print.anova.
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
    Rao / phi): the working-weighted regression sum of squares of that fit's working residuals
    r on the columns up to the term, measured from r's weighted mean if the model has an
    intercept and from 0 if not (R: ``glm.fit(x, r, w, intercept = attr(terms, "intercept"))``).

    Formula models use the formula's terms; for the array interface every column is a term
    (a constant column is the intercept and gets no row).

    For a :func:`glmstats.glm_nb` fit theta is held at its estimate, with a
    :class:`~glmstats.exceptions.GLMStatsWarning` as MASS's ``anova(nb)`` gives ("tests made
    without re-estimating 'theta'").
    """
    if test == "default":
        test = "Chisq" if res.fixed_scale else "F"
    test = test_name(test, "anova")
    if is_negbin(res):
        # MASS's anova.negbin for one model: anova.glm at the estimated theta, with this warning
        warnings.warn("tests made without re-estimating theta (compare glm_nb fits by gs.anova(nb1, nb2) for "
                      "likelihood-ratio tests with theta estimated in each)", GLMStatsWarning, stacklevel=3)
    intercept, terms = res.fit_state.terms
    base = res.df_resid + res.rank  # R's n.ok: rows with non-zero weight
    resdf = [base - len(intercept)]
    resdev = [float(res.null_deviance)]
    scores = [np.nan]
    prev = refit(res, intercept) if (test == "Rao" and terms) else None
    cols = list(intercept)
    X = res.fit_state.data.X
    for k, (_, term_cols, _) in enumerate(terms):
        cols = cols + list(term_cols)
        fit = full_fit(res) if k == len(terms) - 1 else refit(res, cols)
        resdf.append(base - fit.rank)
        resdev.append(fit.deviance)
        if test == "Rao":
            scores.append(score_ss(X.columns(sorted(cols)), prev, centre=res.fit_state.has_intercept))
            prev = fit
    resdf = np.asarray(resdf, dtype=float)
    resdev = np.asarray(resdev, dtype=float)
    df = np.concatenate([[np.nan], -np.diff(resdf)]) + 0.0  # + 0.0: no "-0" for an aliased term
    dev = np.concatenate([[np.nan], np.maximum(0.0, -np.diff(resdev))]) + 0.0
    table = pd.DataFrame({"Df": df, "Deviance": dev, "Resid. Df": resdf, "Resid. Dev": resdev},
                         index=["NULL"] + [t for t, _, _ in terms])
    if test is not None:
        scale, df_scale = dispersion(res)
        table = with_test(table, test, scale, df_scale, scores, res)
    return AnovaTable.wrap(table, sequential_heading(res))


def _check_same_data(results, family=True):
    """Raise ValueError unless the fits share rows, response and prior weights (and, with ``family``, the
    family: a glm_nb fit has its own theta, compared by likelihood instead)."""
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
        if not family:
            if f0.link.name != f1.link.name:
                raise ValueError(f"models 1 and {i} have different links ({f0.link.name} vs {f1.link.name})")
            continue
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
    kept_s, kept_l = np.flatnonzero(ss.kept), np.flatnonzero(sl_.kept)

    def large_rows(rows):  # the non-aliased columns, selected block by block: no copy of X
        return sl_.data.X.rows(rows).columns(kept_l)

    def small_rows(rows):
        return ss.data.X.rows(rows).columns(kept_s)

    doff = ss.data.offset - sl_.data.offset
    pos = (sl_.data.weights > 0).astype(float)  # a weight of 0 drops a row
    size, resid = _outside_span(large_rows, kept_l.size, small_rows, kept_s.size, doff, pos)
    offsets = (ss.data.offset[pos > 0], sl_.data.offset[pos > 0])
    size[-1] = max(size[-1], np.linalg.norm(offsets[0]), np.linalg.norm(offsets[1]), 1.0)
    names = [n for n, k in zip(ss.exog_names, ss.kept) if k] + ["offset"]
    bad = resid > 1e-7 * np.where(size > 0, size, 1.0)
    if np.any(bad):
        what = [n for n, b in zip(names, bad) if b]
        raise ValueError(f"models are not nested: model {i_small} (df_resid {small.df_resid:g}) is not contained in "
                         f"model {i_large} (df_resid {large.df_resid:g}); outside its column space: "
                         f"{', '.join(what)}")


def _outside_span(large_rows, kl, small_rows, ks, extra, weights):
    """Weighted norms of the columns of [X_s, extra] and of their residuals off the span of X_l, by row blocks
    (``large_rows(slice)``, ``small_rows(slice)``: the design-matrix rows of X_l and X_s).

    Up to ``NESTED_QR_COLUMNS`` columns in all: the R factor of [X_l, X_s, extra] (a tall-skinny QR): a column's
    norm is that of its column of R, its residual that of the rows below X_l's. Wider: the normal equations of X_l
    (its own cross-products, one step of iterative refinement), the residuals summed directly; the QR route if
    X_l'WX_l is too ill-conditioned for them.
    """
    n = extra.shape[0]
    if kl + ks + 1 > NESTED_QR_COLUMNS:
        found = _outside_span_normal(large_rows, kl, small_rows, ks, extra, weights)
        if found is not None:
            return found
    tri = TriangularFactor(kl + ks)
    for rows in row_blocks(n, qr_block_rows(kl + ks + 1)):
        block = np.hstack([large_rows(rows).to_dense(), small_rows(rows).to_dense()])
        tri.add(DenseMatrix(block), weights[rows], extra[rows])
    r_aug = tri.r_aug
    return np.linalg.norm(r_aug[:, kl:], axis=0), np.linalg.norm(r_aug[kl:, kl:], axis=0)


def _outside_span_normal(large_rows, kl, small_rows, ks, extra, weights):
    n, kt = extra.shape[0], ks + 1
    blocks = list(row_blocks(n, block_rows(n, kl + kt)))

    def projections(coef):
        """X_l'W(T - X_l coef) and the weighted squared norms of T - X_l coef, T = [X_s, extra], by row blocks."""
        rhs, ss = np.zeros((kl, kt)), np.zeros(kt)
        for sl in blocks:
            xb, w = large_rows(sl), weights[sl]
            res = np.column_stack([small_rows(sl).to_dense(), extra[sl]])
            if coef is not None:
                res -= np.column_stack([xb.matvec(coef[:, j]) for j in range(kt)])
            rhs += np.column_stack([xb.rmatvec(w * res[:, j]) for j in range(kt)])
            ss += w @ (res * res)
        return rhs, ss

    gram = None
    for sl in blocks:
        xb = large_rows(sl)
        gram = gram or xb.cross_products()
        gram.add(xb, weights[sl], np.zeros(sl.stop - sl.start))
    found = linalg.equilibrated_cholesky(gram.xtwx)
    if found is None or np.min(np.diag(found[0])) < linalg.MIN_PIVOT:
        return None
    lower, d = found

    def solve(b):  # (X_l'WX_l)^-1 b for all the columns of b, by the one factorisation
        return linalg.solve_triangular(lower.T, linalg.solve_triangular(lower, b / d[:, None], lower=True)) / d[:, None]

    rhs, size2 = projections(None)
    coef = solve(rhs)
    rhs, _ = projections(coef)
    coef += solve(rhs)  # one step of iterative refinement
    return np.sqrt(size2), np.sqrt(projections(coef)[1])


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
    AnovaTable or LRTable
        For :func:`glmstats.glm_nb` fits (theta estimated in each), MASS's likelihood-ratio table
        (R: ``anova(nb1, nb2)``, ``MASS:::anova.negbin``), see
        :func:`glmstats.inference.anova_negbin.anova_negbin`. Otherwise
        a DataFrame (:class:`glmstats.report.table.AnovaTable`) that prints as R's print.anova.
        Rows ``"1"``, ``"2"``, ...; columns ``Resid. Df``, ``Resid. Dev``, ``Df``, ``Deviance``
        (the changes from the previous row), then ``Pr(>Chi)`` ("Chisq"); ``F``, ``Pr(>F)``
        ("F"); ``Rao``, ``Pr(>Chi)`` ("Rao").

    Raises
    ------
    ValueError
        When the models are not fitted to the same rows (number of rows, response, prior
        weights), have different families, or are not nested; when ``glm_nb`` fits are mixed
        with other fits.

    Notes
    -----
    Nesting is checked numerically, for the array and the formula interface alike: each
    non-aliased column of the model with fewer parameters, and the difference of the offsets,
    must lie in the column space of the next model's design.

    The dispersion phi is that of the model with the smallest residual df (``res.scale``);
    F = Deviance / Df / phi on (Df, that model's df_resid) degrees of freedom, or chi2 tests of
    Deviance / phi. ``Rao`` is the score statistic of the larger model at the smaller model's
    fit (unscaled, as R prints it; the p-value uses Rao / phi),

        Rao = r'WX (X'WX)^- X'Wr,

    r and W the smaller fit's working residuals and weights (R's ``m$residuals``,
    ``m$weights``), X the larger design; R's ``anova.glmlist`` computes it as a weighted
    regression of r on X whose null model is r's weighted mean when the smaller formula has an
    intercept (then sum(W r) = 0 and the two agree) and 0 when it has none, as here. For a
    Gaussian fit Rao equals the deviance difference.
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
    if any(is_negbin(r) for r in results):
        if all(is_negbin(r) for r in results):
            _check_same_data(results, family=False)
        return anova_negbin(*results, test=test, check=_check_nested)
    test = test_name(test, "anova")
    _check_same_data(results)
    resdf = np.array([r.df_resid for r in results], dtype=float)
    resdev = np.array([r.deviance for r in results], dtype=float)
    scores = [np.nan]
    for i in range(len(results) - 1):
        a, b = results[i], results[i + 1]
        small, large, i_s, i_l = (a, b, i + 1, i + 2) if resdf[i] >= resdf[i + 1] else (b, a, i + 2, i + 1)
        _check_nested(small, large, i_s, i_l)
        if test == "Rao":
            s = score_ss(large.fit_state.data.X, full_fit(small, r_weights=True), centre=small.fit_state.has_intercept)
            scores.append(s if resdf[i] >= resdf[i + 1] else -s)
    change = -np.diff(resdev)
    # a change of the order of rounding (two fits of the same deviance) is 0, not a negative statistic
    noise = 1e-10 * np.maximum(np.abs(resdev[:-1]), np.abs(resdev[1:]))
    change[(change < 0) & (change >= -noise)] = 0.0
    table = pd.DataFrame({"Resid. Df": resdf, "Resid. Dev": resdev,
                          "Df": np.concatenate([[np.nan], -np.diff(resdf)]) + 0.0,
                          "Deviance": np.concatenate([[np.nan], change])},
                         index=[str(i) for i in range(1, len(results) + 1)])
    if test is not None:
        big = results[int(np.argmin(resdf))]
        scale = float(big.scale)
        df_scale = np.inf if big.fixed_scale else float(resdf.min())
        table = with_test(table, test, scale, df_scale, scores, big)
    return AnovaTable.wrap(table, comparison_heading(results))
