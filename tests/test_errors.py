"""Bad input gets a clear exception naming the problem; typed warnings (API: "Errors").

Expected values in the rank-deficiency tests are closed forms computed here with numpy
(least squares for the Gaussian identity link, log group means for a Poisson one-way layout),
i.e. what R's glm() returns for those designs; nothing is computed with glmstats itself except
where a test compares two glmstats fits that the API says must agree (tol=1e-15 vs tol=1e-10).
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)

NON_FINITE = r"(?i)(nan|missing|non-?finite|finite|inf)"
LENGTH = r"(?i)(length|shape|rows|size|match|observations)"


def _design(n=10):
    x = np.arange(1.0, n + 1)
    return pd.DataFrame({"const": np.ones(n), "x": x})


# --------------------------------------------------------------------------- y domain
def test_poisson_negative_counts():
    y = np.array([1.0, 2, -1, 3, 4, 5, 2, 1, 0, 3])
    with pytest.raises(ValueError, match=r"(?i)negative"):
        gs.GLM(y, _design(), family=gs.families.Poisson()).fit()


@pytest.mark.parametrize("bad", [1.5, -0.2])
def test_binomial_y_outside_unit_interval(bad):
    y = np.array([0.0, 1, 0, 1, bad, 0, 1, 1, 0, 1])
    with pytest.raises(ValueError, match=r"(?i)(\[0, ?1\]|between 0 and 1|0 and 1|<= ?1|outside)"):
        gs.GLM(y, _design(), family=gs.families.Binomial()).fit()


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_gamma_non_positive_y(bad):
    y = np.array([1.0, 2, bad, 3, 4, 5, 2, 1, 0.5, 3])
    with pytest.raises(ValueError, match=r"(?i)positive"):
        gs.GLM(y, _design(), family=gs.families.Gamma()).fit()


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_inverse_gaussian_non_positive_y(bad):
    y = np.array([1.0, 2, bad, 3, 4, 5, 2, 1, 0.5, 3])
    with pytest.raises(ValueError, match=r"(?i)positive"):
        gs.GLM(y, _design(), family=gs.families.InverseGaussian()).fit()


# --------------------------------------------------------------------------- non-finite input
def _poisson_data(n=10):
    y = np.array([2.0, 3, 1, 4, 6, 5, 7, 9, 8, 12])[:n]
    return y, _design(n)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_X_raise(bad):
    y, X = _poisson_data()
    X.loc[3, "x"] = bad
    with pytest.raises(ValueError, match=NON_FINITE):
        gs.GLM(y, X, family=gs.families.Poisson(), missing="raise").fit()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_y_raise(bad):
    y, X = _poisson_data()
    y[4] = bad
    with pytest.raises(ValueError, match=NON_FINITE):
        gs.GLM(y, X, family=gs.families.Poisson(), missing="raise").fit()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights_raise(bad):
    y, X = _poisson_data()
    w = np.ones(len(y))
    w[2] = bad
    with pytest.raises(ValueError, match=NON_FINITE):
        gs.GLM(y, X, family=gs.families.Poisson(), var_weights=w, missing="raise").fit()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_offset_raise(bad):
    y, X = _poisson_data()
    off = np.zeros(len(y))
    off[5] = bad
    with pytest.raises(ValueError, match=NON_FINITE):
        gs.GLM(y, X, family=gs.families.Poisson(), offset=off, missing="raise").fit()


def _frame():
    return pd.DataFrame({
        "nclaims": [2.0, 3, 1, 4, 6, 5, 7, 9, 8, 12],
        "dose": np.arange(1.0, 11),
        "district": list("abcabcabca"),
        "wcol": [1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2],
    })


@pytest.mark.parametrize("column", ["dose", "nclaims", "district", "wcol"])
def test_formula_missing_raise_names_column(column):
    df = _frame()
    df.loc[3, column] = np.nan
    with pytest.raises(ValueError, match=column):
        gs.glm("nclaims ~ dose + district", data=df, family=gs.families.Poisson(), var_weights="wcol",
               missing="raise").fit()


def test_missing_must_be_drop_or_raise():
    y, X = _poisson_data()
    with pytest.raises(ValueError, match=r"(?i)missing"):
        gs.GLM(y, X, family=gs.families.Poisson(), missing="bogus").fit()


# --------------------------------------------------------------------------- lengths
def test_length_mismatch_y_X():
    y, X = _poisson_data()
    with pytest.raises(ValueError, match=LENGTH):
        gs.GLM(y[:9], X, family=gs.families.Poisson()).fit()


@pytest.mark.parametrize("arg", ["var_weights", "freq_weights", "offset", "exposure"])
def test_length_mismatch_weights_offset_exposure(arg):
    y, X = _poisson_data()
    with pytest.raises(ValueError, match=LENGTH):
        gs.GLM(y, X, family=gs.families.Poisson(), **{arg: np.ones(9)}).fit()


# --------------------------------------------------------------------------- names and classes
def test_unknown_family_name():
    y, X = _poisson_data()
    with pytest.raises(ValueError, match="poison"):
        gs.GLM(y, X, family="poison").fit()


def test_unknown_link_name():
    y = np.array([0.0, 0, 1, 0, 1, 0, 1, 1, 0, 1])
    with pytest.raises(ValueError, match="logitt"):
        gs.GLM(y, _design(), family="binomial", link="logitt").fit()


def test_family_and_link_names_as_strings_work():
    """The same names spelled right are accepted (contrast for the two tests above)."""
    y = np.array([0.0, 0, 1, 0, 1, 0, 1, 1, 0, 1])
    res = gs.GLM(y, _design(), family="binomial", link="probit").fit()
    assert res.family.name == "binomial" and res.family.link.name == "probit"


def test_family_class_instead_of_instance():
    y, X = _poisson_data()
    with pytest.raises((TypeError, ValueError), match=r"(?i)(instance|class|Poisson\(\))"):
        gs.GLM(y, X, family=gs.families.Poisson).fit()


def test_link_class_instead_of_instance():
    with pytest.raises((TypeError, ValueError), match=r"(?i)(instance|class|Probit\(\))"):
        gs.families.Binomial(link=gs.links.Probit)


# --------------------------------------------------------------------------- formulas
def test_formula_unknown_column():
    with pytest.raises(ValueError, match="nosuchcol"):
        gs.glm("nclaims ~ dose + nosuchcol", data=_frame(), family=gs.families.Poisson()).fit()


def test_formula_unknown_response():
    with pytest.raises(ValueError, match="nosuchy"):
        gs.glm("nosuchy ~ dose", data=_frame(), family=gs.families.Poisson()).fit()


def test_formula_unknown_weights_column():
    with pytest.raises(ValueError, match="nosuchw"):
        gs.glm("nclaims ~ dose", data=_frame(), family=gs.families.Poisson(), var_weights="nosuchw").fit()


def test_predict_unseen_level():
    res = gs.glm("nclaims ~ dose + district", data=_frame(), family=gs.families.Poisson()).fit()
    new = pd.DataFrame({"dose": [2.0, 3.0], "district": ["a", "zzz"]})
    with pytest.raises(ValueError) as excinfo:
        res.predict(new)
    msg = str(excinfo.value)
    assert "district" in msg and "zzz" in msg, msg


def test_predict_missing_column():
    res = gs.glm("nclaims ~ dose + district", data=_frame(), family=gs.families.Poisson()).fit()
    with pytest.raises(ValueError, match="dose"):
        res.predict(pd.DataFrame({"district": ["a", "b"]}))


# --------------------------------------------------------------------------- warnings
def test_perfect_separation_warning_names_coefficient():
    # R: glm(y ~ dose, binomial) with y = dose > 5 warns
    # "glm.fit: fitted probabilities numerically 0 or 1 occurred".
    dose = np.arange(1.0, 11)
    y = (dose > 5).astype(float)
    X = pd.DataFrame({"const": np.ones(10), "dose": dose})
    with pytest.warns(gs.PerfectSeparationWarning, match="dose"):
        res = gs.GLM(y, X, family=gs.families.Binomial()).fit()
    assert "dose" in list(res.separation)


def _model(case):
    c = H.load(case)
    return gs.GLM(c.y, c.X, family=H.make_family(c.ex))


def test_convergence_warning_at_maxiter():
    # R needs 7 iterations for this probit fit (expected.json "iterations"); 2 cannot converge.
    with pytest.warns(gs.ConvergenceWarning):
        res = _model("birthwt_binomial_probit").fit(maxiter=2)
    assert not res.converged
    assert res.n_iter == 2


def test_tiny_tol_returns_converged_values():
    """API: a tol too small for floating point iterates to maxiter and returns the converged
    values with a ConvergenceWarning -- never an error, never different numbers.

    Compared with a tol=1e-10 fit of a canonical-link model (infert, logit), where IRLS is
    Newton's method and converges quadratically, so the tol=1e-10 fit is already accurate far
    beyond 1e-8.  (With a non-canonical link IRLS converges linearly and a tol=1e-10 fit is
    only ~sqrt(1e-10) accurate -- the README's reason for the tight reference point.)"""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        tight = _model("infert_binomial_logit").fit(tol=1e-15, maxiter=100)
    if not tight.converged:
        assert any(issubclass(w.category, gs.ConvergenceWarning) for w in rec)
    ref = _model("infert_binomial_logit").fit(tol=1e-10)
    assert ref.converged
    for attr in ("params", "bse", "fittedvalues"):
        np.testing.assert_allclose(np.asarray(getattr(tight, attr)), np.asarray(getattr(ref, attr)), rtol=1e-8,
                                   err_msg=attr)
    np.testing.assert_allclose(tight.deviance, ref.deviance, rtol=1e-10)


def test_tiny_tol_non_canonical_link_is_not_an_error():
    """tol=1e-15 on the probit fit returns R's fully converged coefficients (expected.json)."""
    c = H.load("birthwt_binomial_probit")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = _model("birthwt_binomial_probit").fit(tol=1e-15, maxiter=100)
    if not res.converged:
        assert any(issubclass(w.category, gs.ConvergenceWarning) for w in rec)
    np.testing.assert_allclose(res.params.to_numpy(), c.vec("coefficients").to_numpy(), rtol=1e-6)


# --------------------------------------------------------------------------- rank deficiency
def _gaussian_data(n=20, seed=20261126):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    y = 1.0 + 2.0 * a - 0.5 * b + rng.normal(scale=0.3, size=n)
    return y, a, b


def _ols(y, X):
    """R's lm/glm(gaussian) closed form: b = (X'X)^-1 X'y, se from RSS / (n - p)."""
    X = np.asarray(X, dtype=float)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    s2 = resid @ resid / (len(y) - X.shape[1])
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    return beta, se


@pytest.mark.parametrize("columns,aliased_col", [
    (["const", "a", "a_copy", "b"], "a_copy"),   # the later duplicate goes, even in the middle
    (["const", "a", "b", "a_plus_b"], "a_plus_b"),
    (["const", "a_plus_b", "a", "b"], "b"),      # b = a_plus_b - a is the later dependent column
])
def test_rank_deficient_gaussian(columns, aliased_col):
    y, a, b = _gaussian_data()
    full = pd.DataFrame({"const": 1.0, "a": a, "a_copy": a.copy(), "b": b, "a_plus_b": a + b})
    X = full[columns]
    kept = [col for col in columns if col != aliased_col]
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.GLM(y, X, family=gs.families.Gaussian()).fit()
    beta, se = _ols(y, X[kept])
    assert list(res.params.index) == columns
    assert np.isnan(res.params[aliased_col]) and np.isnan(res.bse[aliased_col])
    assert bool(res.aliased[aliased_col]) and not res.aliased[kept].any()
    np.testing.assert_allclose(res.params[kept].to_numpy(), beta, rtol=1e-10)
    np.testing.assert_allclose(res.bse[kept].to_numpy(), se, rtol=1e-10)
    assert res.rank == 3 < X.shape[1]
    assert res.df_resid == len(y) - 3
    assert res.df_model == 2
    # predictions count the aliased coefficient as 0 (R's predict.glm)
    X_new = X.iloc[:4] * 1.5
    # Two least-squares solvers agree to rounding at the scale of y (|y| ~ 3), not relative to a
    # fitted value that happens to lie near 0: hence the small atol.
    np.testing.assert_allclose(np.asarray(res.predict(X_new)), X_new[kept].to_numpy() @ beta, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(res.fittedvalues), X[kept].to_numpy() @ beta, rtol=1e-10, atol=1e-12)


def test_rank_deficient_one_x_two_x():
    """X = [1, x, 2x]: R gives NA for the third column and the fit without it for the others."""
    y, a, _ = _gaussian_data()
    X = pd.DataFrame({"const": 1.0, "x": a, "two_x": 2 * a})
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.GLM(y, X, family=gs.families.Gaussian()).fit()
    beta, se = _ols(y, X[["const", "x"]])
    assert np.isnan(res.params["two_x"]) and np.isnan(res.bse["two_x"])
    np.testing.assert_allclose(res.params[["const", "x"]].to_numpy(), beta, rtol=1e-10)
    np.testing.assert_allclose(res.bse[["const", "x"]].to_numpy(), se, rtol=1e-10)
    assert res.rank == 2


def test_rank_deficient_poisson_closed_form():
    """Poisson one-way layout with a duplicated indicator: log group means (R's glm MLE)."""
    y = np.array([2.0, 3, 1, 4, 6, 5, 7, 9, 8, 12])
    g = np.array([0.0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    X = pd.DataFrame({"const": 1.0, "g": g, "g_dup": g.copy()})
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.GLM(y, X, family=gs.families.Poisson()).fit(tol=1e-12)
    m0, m1 = y[g == 0].mean(), y[g == 1].mean()
    np.testing.assert_allclose(res.params[["const", "g"]].to_numpy(), [np.log(m0), np.log(m1 / m0)], rtol=1e-9)
    # Fisher information of a log-linear one-way layout: var(log mean_k) = 1 / sum_k(y)
    s0, s1 = y[g == 0].sum(), y[g == 1].sum()
    np.testing.assert_allclose(res.bse[["const", "g"]].to_numpy(), [np.sqrt(1 / s0), np.sqrt(1 / s0 + 1 / s1)],
                               rtol=1e-7)
    assert np.isnan(res.params["g_dup"])
    assert res.rank == 2
    np.testing.assert_allclose(np.asarray(res.fittedvalues), np.where(g == 1, m1, m0), rtol=1e-9)


def test_rank_deficient_formula():
    y, a, _ = _gaussian_data()
    df = pd.DataFrame({"y": y, "x": a})
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.glm("y ~ x + I(2 * x)", data=df, family=gs.families.Gaussian()).fit()
    beta, _ = _ols(y, np.column_stack([np.ones_like(a), a]))
    assert np.isnan(res.params.iloc[2])
    np.testing.assert_allclose(res.params.iloc[:2].to_numpy(), beta, rtol=1e-10)
    new = pd.DataFrame({"x": [0.5, -1.0]})
    np.testing.assert_allclose(np.asarray(res.predict(new)), beta[0] + beta[1] * new["x"].to_numpy(), rtol=1e-10,
                               atol=1e-12)  # see test_rank_deficient_gaussian
