"""Hard data: separation, extreme linear predictors, huge counts, bad scaling, collinearity,
aliasing, n = p + 1, one-level factors (issue 6).

Where a number is compared with R, it was produced by the R script in ``R_SCRIPT`` below
(R 4.x, stats::glm) on the data of :func:`hard_datasets`, written to CSV with
``df.to_csv(name + ".csv", index=False)``; R printed with ``options(digits = 17)``. The data
are deterministic functions of the row number (no random generator), so the script can be
rerun. Tolerances are justified next to each comparison.
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

R_SCRIPT = r"""
options(digits = 17)
huge <- read.csv("huge.csv"); coll <- read.csv("coll.csv"); ext <- read.csv("ext.csv"); pois <- read.csv("pois.csv")
ctl <- glm.control(epsilon = 1e-12, maxit = 100)
m <- glm(y ~ x, poisson, huge, control = ctl); coef(m); sqrt(diag(vcov(m))); deviance(m)
for (e in c(1e-4, 1e-6)) { coll$c2 <- coll$a + e * coll$b
  m <- glm(y ~ a + c2, poisson, coll, control = ctl); print(coef(m)); print(sqrt(diag(vcov(m)))); print(deviance(m)) }
coll$c2 <- coll$a + 1e-12 * coll$b; m <- glm(y ~ a + c2, poisson, coll); coef(m); deviance(m)   # default control
m <- glm(y ~ x, binomial, ext, control = ctl)  # warning: fitted probabilities numerically 0 or 1 occurred
coef(m); sqrt(diag(vcov(m))); deviance(m); range(fitted(m))
m <- glm(y ~ x, poisson, pois, control = ctl); coef(m); sqrt(diag(vcov(m))); deviance(m)
m <- glm(y ~ x, poisson, pois, start = c(0, 0.5))   # R: Error "NA/NaN/Inf in 'x'"
m <- glm(y ~ a + b, poisson, coll[1:4, ], control = ctl); coef(m); sqrt(diag(vcov(m))); deviance(m)
"""


def hard_datasets():
    """The four data sets of R_SCRIPT: huge counts, near-collinear, extreme logit, Poisson with x to 1000."""
    i = np.arange(40.0)
    huge = pd.DataFrame({"x": np.linspace(-2, 2, 40)})
    huge["y"] = np.round(1e12 * np.exp(0.3 * huge["x"] + 0.05 * np.sin(7 * i)))
    n = 60
    j = np.arange(n, dtype=float)
    a = np.sin(0.7 * j) + 0.1 * j / n
    b = np.cos(1.3 * j)
    y = np.floor(np.exp(0.5 + 0.3 * a - 0.2 * b) * (1.5 + np.sin(2.1 * j))).astype(float)
    coll = pd.DataFrame({"a": a, "b": b, "y": y})
    x = np.linspace(-80, 80, 161)
    yb = (x > 0).astype(float)
    yb[[78, 79]] = 1.0  # x = -2, -1 are successes
    yb[[81, 83]] = 0.0  # x = 1, 3 are failures: the classes overlap, the MLE exists
    ext = pd.DataFrame({"x": x, "y": yb})
    xp = np.linspace(0, 1000, 51)
    yp = np.floor(np.exp(0.5 + 0.002 * xp) + np.sin(xp) ** 2 * 3)
    pois = pd.DataFrame({"x": xp, "y": yp})
    return {"huge": huge, "coll": coll, "ext": ext, "pois": pois}


DATA = hard_datasets()


def _quiet_fit(model, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.GLMStatsWarning)
        return model.fit(**kwargs)


# --------------------------------------------------------------------------- separation
def test_complete_separation_warns_and_returns_last_iterate():
    # R: glm(y ~ x, binomial) with y = x > 5 warns "fitted probabilities numerically 0 or 1
    # occurred" (and, at maxit = 25, "algorithm did not converge") and returns the last iterate.
    x = np.arange(1.0, 11)
    df = pd.DataFrame({"x": x, "y": (x > 5).astype(float)})
    with pytest.warns(gs.PerfectSeparationWarning, match=r"coefficients involved: .*x"):
        res = gs.glm("y ~ x", df, family="binomial").fit()
    assert "x" in res.separation
    assert np.all(np.isfinite(res.params)) and res.params["x"] > 10
    np.testing.assert_allclose(res.fittedvalues.to_numpy(), df["y"].to_numpy(), atol=1e-8)
    assert res.deviance < 1e-8
    # the same through the array interface
    with pytest.warns(gs.PerfectSeparationWarning, match="x"):
        gs.GLM(df["y"], pd.DataFrame({"const": 1.0, "x": x}), family="binomial").fit()


def test_quasi_complete_separation_continuous():
    # Separated except for one tie at x = 5 (one 0 and one 1): the MLE is at infinity; the tied
    # rows get probability 1/2 and the others 0 or 1.
    df = pd.DataFrame({"x": [1, 2, 3, 4, 5, 5, 6, 7, 8, 9.0], "y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1.0]})
    with pytest.warns(gs.PerfectSeparationWarning, match=r"x"):
        res = gs.glm("y ~ x", df, family="binomial").fit()
    assert "x" in res.separation
    np.testing.assert_allclose(res.fittedvalues.to_numpy(), [0, 0, 0, 0, .5, .5, 1, 1, 1, 1], atol=1e-6)
    np.testing.assert_allclose(res.deviance, 2 * np.log(4), rtol=1e-6)  # two rows at p = 1/2: 2 * 2 log 2


def test_separation_names_the_separating_predictor():
    x1 = np.sin(np.arange(30.0))
    x2 = np.linspace(-1, 1, 30)
    df = pd.DataFrame({"x1": x1, "x2": x2, "y": (x2 > 0).astype(float)})
    with pytest.warns(gs.PerfectSeparationWarning, match=r"x2"):
        res = gs.glm("y ~ x1 + x2", df, family="binomial").fit()
    assert "x2" in res.separation


def test_separation_cbind_response():
    df = pd.DataFrame({"dose": [1.0, 2, 3, 4], "s": [0, 0, 5, 5], "f": [5, 5, 0, 0]})
    with pytest.warns(gs.PerfectSeparationWarning, match="dose"):
        res = gs.glm("cbind(s, f) ~ dose", df, family="binomial").fit()
    assert res.deviance < 1e-8


def test_quasi_complete_separation_factor_level_all_zero():
    df = pd.DataFrame({"g": list("aabbcc") * 5, "y": [1, 0, 1, 0, 0, 0] * 5, "z": np.linspace(0, 1, 30)})
    with pytest.warns(gs.PerfectSeparationWarning, match=r"g\[T.c\]"):
        gs.glm("y ~ g + z", df, family="binomial").fit()


def test_quasi_separation_factor_level_numbers_as_r():
    """What R returns in that case: the level's coefficient far out (about -19.5 at R's
    convergence), a standard error in the thousands, and the other coefficients finite."""
    df = pd.DataFrame({"g": list("aabbcc") * 5, "y": [1, 0, 1, 0, 0, 0] * 5, "z": np.linspace(0, 1, 30)})
    res = _quiet_fit(gs.glm("y ~ g + z", df, family="binomial"))
    assert res.params["g[T.c]"] < -15 and res.bse["g[T.c]"] > 1e3
    assert np.all(np.abs(res.params[["Intercept", "g[T.b]", "z"]]) < 5)


# --------------------------------------------------------------------------- extreme linear predictors
def test_probabilities_at_one_minus_1e16_finite_mle():
    """Overlapping classes, x from -80 to 80: the MLE is finite (R: slope 0.486) but fitted
    probabilities reach 1 - 2e-16, so R warns "fitted probabilities numerically 0 or 1 occurred";
    glmstats warns too and returns R's converged estimate."""
    with pytest.warns(gs.PerfectSeparationWarning):
        res = gs.glm("y ~ x", DATA["ext"], family="binomial").fit(tol=1e-12)
    assert res.converged
    # R (R_SCRIPT, epsilon 1e-12): both fits are converged MLEs of a canonical-link model.
    np.testing.assert_allclose(res.params.to_numpy(), [-0.24310373825027601, 0.48620747650055163], rtol=1e-9)
    np.testing.assert_allclose(res.bse.to_numpy(), [0.70352096098411987, 0.18691459060434787], rtol=1e-8)
    np.testing.assert_allclose(res.deviance, 13.532774762618049, rtol=1e-10)
    p = res.fittedvalues.to_numpy()
    assert np.all((p >= 0) & (p <= 1)) and np.isfinite(res.llf)


def test_poisson_x_up_to_1000():
    # R (R_SCRIPT): coefficients of glm(y ~ x, poisson) on x in [0, 1000].
    res = gs.glm("y ~ x", DATA["pois"], family="poisson").fit(tol=1e-12)
    np.testing.assert_allclose(res.params.to_numpy(), [0.9100772774020463585, 0.0016330668921414897], rtol=1e-10)
    np.testing.assert_allclose(res.bse.to_numpy(), [0.14034846861585528743, 0.00020266748923406246], rtol=1e-8)
    np.testing.assert_allclose(res.deviance, 12.755118855480372, rtol=1e-10)


def test_poisson_start_far_away():
    """start = (0, 0.5) puts eta at 500 (exp(500) = 1.4e217): R stops with "NA/NaN/Inf in 'x'".
    glmstats moves back about one unit of eta per iteration (the log link's Newton step), so with
    the default maxiter it warns ConvergenceWarning and returns a finite last iterate; given
    enough iterations it reaches the MLE."""
    model = gs.glm("y ~ x", DATA["pois"], family="poisson")
    with pytest.warns(gs.ConvergenceWarning):
        # the last iterate still has exp(-100)-sized rates at x = 0: a PerfectSeparationWarning too
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gs.PerfectSeparationWarning)
            res = model.fit(start_params=[0.0, 0.5])
    assert not res.converged and np.all(np.isfinite(res.params))
    res = _quiet_fit(model, start_params=[0.0, 0.5], maxiter=2000, tol=1e-12)
    assert res.converged
    np.testing.assert_allclose(res.params.to_numpy(), [0.9100772774020463585, 0.0016330668921414897], rtol=1e-9)


def test_exp_overflow_at_the_start_is_a_clear_error():
    # eta = 1000 at the start: exp overflows to inf; R: "cannot find valid starting values".
    with pytest.raises(gs.FitError, match=r"start_params"):
        gs.glm("y ~ x", DATA["pois"], family="poisson").fit(start_params=[0.0, 1.0])


@pytest.mark.parametrize("link", ["logit", "probit", "cloglog", "cauchit"])
def test_binomial_links_at_extreme_eta(link):
    """Every binomial link on the extreme-x data: finite deviance, probabilities in [0, 1],
    either a fit or a separation warning, never NaN or an exception."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = gs.glm("y ~ x", DATA["ext"], family="binomial", link=link).fit()
    assert np.isfinite(res.deviance) and np.all(np.isfinite(res.params))
    p = res.fittedvalues.to_numpy()
    assert np.all((p >= 0) & (p <= 1))
    assert all(issubclass(w.category, (gs.GLMStatsWarning, RuntimeWarning)) for w in rec)


# --------------------------------------------------------------------------- huge counts
def test_huge_counts():
    """Counts of 1e12. R (R_SCRIPT) warns "algorithm did not converge" here: the deviance is
    5e10 and its rounding noise exceeds epsilon 1e-12 of it; the estimates are nonetheless R's."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = gs.glm("y ~ x", DATA["huge"], family="poisson").fit(tol=1e-12)
    assert not [w for w in rec if issubclass(w.category, (gs.PerfectSeparationWarning, gs.RankDeficientWarning))]
    np.testing.assert_allclose(res.params.to_numpy(), [27.63465019518294596, 0.30224473766251669], rtol=1e-12)
    np.testing.assert_allclose(res.bse.to_numpy(), [1.6264611633309791e-07, 1.3410990138481351e-07], rtol=1e-8)
    np.testing.assert_allclose(res.deviance, 51756422506.394585, rtol=1e-10)
    assert np.isfinite(res.llf) and np.isfinite(res.aic)


def test_huge_counts_exact_fit_deviance_is_rounding_noise():
    # y = round(1e12 exp(0.3 x)) is fitted exactly up to rounding: the deviance is ~1e-4 in
    # absolute terms (each unit deviance is a difference of 1e12-sized numbers), R gives the same
    # order (-6.8e-4 for this kind of data) and the coefficients are exact.
    x = np.linspace(-2, 2, 40)
    df = pd.DataFrame({"x": x, "y": np.round(1e12 * np.exp(0.3 * x))})
    res = _quiet_fit(gs.glm("y ~ x", df, family="poisson"))
    np.testing.assert_allclose(res.params.to_numpy(), [np.log(1e12), 0.3], rtol=1e-12)
    assert abs(res.deviance) < 1e-2


# --------------------------------------------------------------------------- scaling
@pytest.mark.parametrize("family", ["poisson", "binomial", "Gamma"])
def test_badly_scaled_columns(family):
    """A column times 1e-8 next to one times 1e8: coefficients scale inversely, everything else equal."""
    j = np.arange(80.0)
    a, b = np.sin(0.9 * j), np.cos(0.4 * j)
    eta = 0.3 + 0.5 * a - 0.4 * b
    y = {"poisson": np.floor(np.exp(eta) * (1 + np.sin(3.1 * j) ** 2)),
         "binomial": (np.sin(5.3 * j) < np.tanh(eta)).astype(float),
         "Gamma": np.exp(eta) * (1.2 + np.sin(2.3 * j))}[family]
    df = pd.DataFrame({"a": a, "b": b, "y": y})
    ref = gs.glm("y ~ a + b", df, family=family).fit(tol=1e-12)
    bad = gs.glm("y ~ a + b", df.assign(a=a * 1e-8, b=b * 1e8), family=family).fit(tol=1e-12)
    scale = np.array([1.0, 1e-8, 1e8])
    # Equilibration makes the two problems identical up to rounding: 1e-9 relative.
    np.testing.assert_allclose(bad.params.to_numpy() * scale, ref.params.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(bad.bse.to_numpy() * scale, ref.bse.to_numpy(), rtol=1e-8)
    for attr in ("deviance", "aic", "null_deviance"):
        np.testing.assert_allclose(getattr(bad, attr), getattr(ref, attr), rtol=1e-10)
    assert bad.rank == 3


# --------------------------------------------------------------------------- collinearity and aliasing
@pytest.mark.parametrize("eps,coef,bse,dev", [
    (1e-4, [0.61314046576256198, 1973.64256038450366759, -1973.16322112316743187],
     [0.10046619161048857, 1281.71388483552573234, 1281.71821385478756383], 71.77461899638422),
    (1e-6, [6.1314046576123304e-01, 1.9731680143629518e+05, -1.9731632209703384e+05],
     [1.0046619161177418e-01, 1.2817181705276077e+05, 1.2817182138898959e+05], 71.774618996572627),
])
def test_nearly_collinear_columns_as_r(eps, coef, bse, dev):
    """c2 = a + eps * b: the estimates are huge and opposite, as R's. Relative agreement is
    limited by the condition number of X'WX (~1/eps^2): 1e-7 is what two solvers can share."""
    df = DATA["coll"].assign(c2=lambda d: d.a + eps * d.b)
    res = gs.glm("y ~ a + c2", df, family="poisson").fit(tol=1e-12)
    assert res.rank == 3
    np.testing.assert_allclose(res.params.to_numpy(), coef, rtol=1e-7)
    np.testing.assert_allclose(res.bse.to_numpy(), bse, rtol=1e-6)
    np.testing.assert_allclose(res.deviance, dev, rtol=1e-10)


def test_collinear_to_rounding_is_aliased_as_r():
    # R (default control, tol = min(1e-7, 1e-8/1000)): c2 = a + 1e-12 b is aliased (NA).
    df = DATA["coll"].assign(c2=lambda d: d.a + 1e-12 * d.b)
    with pytest.warns(gs.RankDeficientWarning, match="c2"):
        res = gs.glm("y ~ a + c2", df, family="poisson").fit()
    assert np.isnan(res.params["c2"]) and res.rank == 2
    np.testing.assert_allclose(res.params[["Intercept", "a"]].to_numpy(), [0.61835648051319692, 0.48604020693784983],
                               rtol=1e-9)
    np.testing.assert_allclose(res.deviance, 74.159346377334643, rtol=1e-10)


def test_nearly_collinear_columns_warn():
    df = DATA["coll"].assign(c2=lambda d: d.a + 1e-10 * d.b)
    with pytest.warns(gs.GLMStatsWarning, match=r"(?i)condition|collinear"):
        gs.glm("y ~ a + c2", df, family="poisson").fit()


def test_many_aliased_columns():
    """20 copies of a column: the 19 later copies are aliased (NaN), the rest is the fit without them."""
    df = DATA["coll"]
    X = pd.DataFrame({"const": 1.0, **{f"a{k}": df["a"] for k in range(20)}, "b": df["b"]})
    with pytest.warns(gs.RankDeficientWarning, match=r"19 coefficient\(s\).*a1, a2"):
        res = gs.GLM(df["y"], X, family="poisson").fit()
    ref = gs.GLM(df["y"], X[["const", "a0", "b"]], family="poisson").fit()
    assert res.rank == 3 and res.df_resid == len(df) - 3 and res.aliased.sum() == 19
    np.testing.assert_allclose(res.params[["const", "a0", "b"]].to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.bse[["const", "a0", "b"]].to_numpy(), ref.bse.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(res.deviance, ref.deviance, rtol=1e-12)
    np.testing.assert_allclose(res.aic, ref.aic, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(res.predict(X.iloc[:5])), np.asarray(ref.predict(X[["const", "a0", "b"]]
                                                                                            .iloc[:5])), rtol=1e-10)


def test_aliased_interaction_of_factors():
    # a cell with no observations: R aliases the interaction column of that cell
    df = pd.DataFrame({"f": list("aabbab"), "h": list("uvuvuu"), "y": [1.0, 2, 3, 4, 5, 6]})
    df = df[~((df.f == "b") & (df.h == "v"))]
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.glm("y ~ f * h", df, family="poisson").fit()
    assert res.params.isna().sum() == 1 and np.isfinite(res.deviance)


def test_n_equals_p_plus_one():
    # R (R_SCRIPT): glm(y ~ a + b, poisson, coll[1:4, ]) -- one residual degree of freedom.
    res = gs.glm("y ~ a + b", DATA["coll"].iloc[:4], family="poisson").fit(tol=1e-12)
    assert res.df_resid == 1
    np.testing.assert_allclose(res.params.to_numpy(), [-0.38626020519518933, 2.16865512966039820,
                                                       1.17946991036213511], rtol=1e-9)
    np.testing.assert_allclose(res.bse.to_numpy(), [1.6023992368725832, 2.5363594770909574, 1.2674093539716729],
                               rtol=1e-8)
    np.testing.assert_allclose(res.deviance, 1.3051856686419585, rtol=1e-10)


def test_n_equals_p_gaussian_no_residual_df():
    df = DATA["coll"].iloc[:3]
    with pytest.warns(RuntimeWarning, match="no residual degrees of freedom"):
        res = gs.glm("a ~ b + y", df, family="gaussian").fit()
    assert res.df_resid == 0 and np.isnan(res.scale) and abs(res.deviance) < 1e-20


# --------------------------------------------------------------------------- one-level factors
def test_one_level_factor_is_an_error():
    # R: "contrasts can be applied only to factors with 2 or more levels".
    df = DATA["coll"].assign(g="k")
    with pytest.raises(ValueError, match=r"C\(g\)' has the single level \['k'\]"):
        gs.glm("y ~ a + C(g)", df, family="poisson").fit()


def test_one_level_factor_without_intercept_is_the_intercept():
    # y ~ 0 + g + a with one level of g: its indicator is the constant column (full-rank coding).
    df = DATA["coll"].assign(g="k")
    res = gs.glm("y ~ 0 + g + a", df, family="poisson").fit()
    ref = gs.glm("y ~ a", df, family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.deviance, ref.deviance, rtol=1e-12)


def test_unused_category_levels_are_dropped():
    # R's drop.unused.levels = TRUE: a declared but absent level gets no column.
    df = DATA["coll"].assign(g=pd.Categorical(["u", "v"] * 30, categories=["u", "v", "never"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", gs.RankDeficientWarning)
        res = gs.glm("y ~ a + g", df, family="poisson").fit()
    assert list(res.params.index) == ["Intercept", "a", "g[T.v]"]


# --------------------------------------------------------------------------- other families on hard data
def test_gamma_response_over_sixteen_orders_of_magnitude():
    j = np.arange(50.0)
    x = np.linspace(-18, 18, 50)
    df = pd.DataFrame({"x": x, "y": np.exp(x) * (1 + 0.3 * np.sin(j))})
    res = gs.glm("y ~ x", df, family="Gamma", link="log").fit()
    assert res.converged and np.all(np.isfinite(res.bse))
    np.testing.assert_allclose(res.params["x"], 1.0, atol=0.02)


def test_inverse_gaussian_large_values():
    x = np.linspace(0, 1, 40)
    df = pd.DataFrame({"x": x, "y": 1e6 * np.exp(x) * (1 + 0.2 * np.cos(np.arange(40.0)))})
    res = gs.glm("y ~ x", df, family="inverse.gaussian", link="log").fit()
    assert res.converged and np.isfinite(res.deviance) and np.isfinite(res.aic)


# --------------------------------------------------------------------------- exact fits (found by tests/test_fuzz.py)
def test_gamma_constant_response_exact_fit():
    # R: glm(rep(3, 3) ~ 1, Gamma) fits (deviance 0); its AIC is degenerate. glmstats must fit and
    # report a likelihood that is not an exception.
    res = gs.glm("y ~ 1", pd.DataFrame({"y": [3.0, 3.0, 3.0]}), family="Gamma").fit()
    np.testing.assert_allclose(res.params.to_numpy(), [1 / 3.0], rtol=1e-12)
    assert not np.isnan(res.aic)
    str(res.summary())


def test_tweedie_constant_response_summary():
    res = gs.glm("y ~ 1", pd.DataFrame({"y": np.ones(8)}), family=gs.families.Tweedie(1.5)).fit()
    str(res.summary())
