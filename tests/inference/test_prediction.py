"""Predictions with standard errors and intervals (glmstats.inference.prediction) vs R's predict.glm, and simulate.

Expected values: tests/reference/cases/<case>/expected.json, key ``predict``:
``predict(m, newdata, type = "link" / "response", se.fit = TRUE)`` on R 4.2.2, with the interval
``family(m)$linkinv(fit -/+ q * se.fit)`` (link scale, sorted), q = qt(.975, df.residual) when the
dispersion is estimated else qnorm(.975) (``ci``), and always qnorm (``ci_normal``)
(script: tests/reference/generate_public.R, refgen_lib.R; see tests/reference/README.md).
New rows: X_new.csv (R's model.matrix of newdata.csv) with ``offset_new`` for the array
interface; newdata.csv for the formula interface (offset(...) terms evaluated on it).
Fits: ``fit(tol=1e-15, maxiter=200)``, the converged reference point.  Tolerance: rtol 1e-6
(observed agreement: 6e-9 or better).

``simulate`` draws cannot be compared with R number for number (different generators); its
tests check reproducibility, shapes and the first two moments against the fitted model.
"""
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import glmstats as gs


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
GLM_CASES = H.GLM_CASES
RTOL = 1e-6


def _inputs(case, interface):
    c = H.load(case)
    p = c.ex["predict"]
    if interface == "array":
        off = p["offset_new"]
        return c.file("X_new"), ({} if off is None else {"offset": np.asarray(off, dtype=float)})
    return c.file("newdata"), {}


def _want(c, key, *sub):
    v = c.ex["predict"][key]
    for k in sub:
        v = v[k]
    return refcase.vec(v)


# --------------------------------------------------------------------------- vs predict.glm
@pytest.mark.parametrize("interface", ["array", "formula"])
@pytest.mark.parametrize("case", GLM_CASES)
def test_link_scale(case, interface):
    """R: predict(m, newdata, type = "link", se.fit = TRUE): fit, se.fit; interval fit -/+ q se.fit."""
    c = H.load(case)
    res = H.fitted(case, interface)
    newdata, kw = _inputs(case, interface)
    frame = res.get_prediction(newdata, which="linear", **kw).summary_frame()
    assert list(frame.columns) == ["mean", "mean_se", "mean_ci_lower", "mean_ci_upper"]
    fit, se = _want(c, "link_fit"), _want(c, "link_se")
    H.assert_close(frame["mean"], fit, rtol=RTOL, err_msg=f"{case} [{interface}] link fit")
    H.assert_close(frame["mean_se"], se, rtol=RTOL, err_msg=f"{case} [{interface}] link se")
    p = c.ex["predict"]
    q = stats.t.ppf(0.975, p["ci_df"]) if p["ci_distribution"] == "t" else stats.norm.ppf(0.975)
    H.assert_close(frame["mean_ci_lower"], fit - q * se, rtol=RTOL)
    H.assert_close(frame["mean_ci_upper"], fit + q * se, rtol=RTOL)


@pytest.mark.parametrize("interface", ["array", "formula"])
@pytest.mark.parametrize("case", GLM_CASES)
def test_response_scale(case, interface):
    """R: predict(type = "response", se.fit = TRUE) (delta method) and the interval linkinv(fit -/+ q se)."""
    c = H.load(case)
    res = H.fitted(case, interface)
    newdata, kw = _inputs(case, interface)
    pred = res.get_prediction(newdata, **kw)
    frame = pred.summary_frame()
    H.assert_close(frame["mean"], _want(c, "response_fit"), rtol=RTOL, err_msg=f"{case} [{interface}] fit")
    H.assert_close(frame["mean_se"], _want(c, "response_se"), rtol=RTOL, err_msg=f"{case} [{interface}] se")
    H.assert_close(frame["mean_ci_lower"], _want(c, "ci", "lower"), rtol=RTOL, err_msg=f"{case} ci lower")
    H.assert_close(frame["mean_ci_upper"], _want(c, "ci", "upper"), rtol=RTOL, err_msg=f"{case} ci upper")
    assert np.all(frame["mean_ci_lower"] <= frame["mean_ci_upper"])
    H.assert_close(pred.predicted, frame["mean"], rtol=0)
    H.assert_close(pred.se, frame["mean_se"], rtol=0)


@pytest.mark.parametrize("case", GLM_CASES)
def test_response_scale_normal_interval(case):
    """use_t=False: the normal quantile whatever the dispersion (``ci_normal``)."""
    c = H.load(case)
    res = H.fitted(case, "array", use_t=False)
    newdata, kw = _inputs(case, "array")
    frame = res.get_prediction(newdata, **kw).summary_frame()
    H.assert_close(frame["mean_se"], _want(c, "response_se"), rtol=RTOL)
    H.assert_close(frame["mean_ci_lower"], _want(c, "ci_normal", "lower"), rtol=RTOL)
    H.assert_close(frame["mean_ci_upper"], _want(c, "ci_normal", "upper"), rtol=RTOL)


def test_insurance_exposure():
    """exposure=Holders (array and formula without the offset term) = R's offset(log(Holders))."""
    case = "insurance_poisson_offset"
    c = H.load(case)
    exposure_new = np.asarray(c.ex["predict"]["exposure_new"], dtype=float)
    for interface in ("array", "formula"):
        res = H.fitted(case, interface, exposure=True)
        newdata = c.file("X_new") if interface == "array" else c.file("newdata")
        frame = res.get_prediction(newdata, exposure=exposure_new).summary_frame()
        H.assert_close(frame["mean"], _want(c, "response_fit"), rtol=RTOL)
        H.assert_close(frame["mean_se"], _want(c, "response_se"), rtol=RTOL)
        H.assert_close(frame["mean_ci_lower"], _want(c, "ci", "lower"), rtol=RTOL)
        H.assert_close(frame["mean_ci_upper"], _want(c, "ci", "upper"), rtol=RTOL)


def test_formula_categorical_and_offset_term():
    """The formula spec is reused: C(cyl) levels (mtcars) and offset(np.log(Holders)) (insurance)."""
    for case in ("dobson_poisson", "insurance_poisson_offset", "mtcars_gaussian_cluster"):
        c = H.load(case)
        res = H.fitted(case, "formula")
        newdata = c.file("newdata")
        frame = res.get_prediction(newdata).summary_frame(alpha=0.05)
        assert frame.index.equals(newdata.index)
        H.assert_close(frame["mean"], _want(c, "response_fit"), rtol=RTOL)
        H.assert_close(frame["mean_se"], _want(c, "response_se"), rtol=RTOL)
    res = H.fitted("mtcars_gaussian_cluster", "formula")
    bad = H.load("mtcars_gaussian_cluster").file("newdata").assign(cyl=5)
    with pytest.raises(ValueError):
        res.get_prediction(bad)


# --------------------------------------------------------------------------- fitted rows (newdata=None)
# se of the fitted linear predictor from R's hat values: h_i = w_i x_i'(X'WX)^{-1} x_i, so
# se(eta_i)^2 = phi h_i / w_i with the working weight w_i = prior_i (d mu/d eta)^2 / V(mu_i).
# Identity-link Gaussian without prior weights: w_i = 1; log-link Poisson: w_i = prior_i mu_i.
@pytest.mark.parametrize("case,kind", [("mtcars_gaussian_cluster", "gaussian"),
                                       ("anorexia_gaussian_offset", "gaussian"),
                                       ("airquality_gaussian_na", "gaussian"), ("dobson_poisson", "poisson"),
                                       ("insurance_poisson_offset", "poisson")])
def test_fitted_rows_se_from_r_hatvalues(case, kind):
    c = H.load(case)
    res = H.fitted(case, "array")
    h = refcase.vec(c.ex["hatvalues"])
    mu = refcase.vec(c.ex["fitted_values"])
    phi = c.ex["dispersion"]
    phi = refcase.num(phi if not isinstance(phi, dict) else list(phi.values())[0])
    w = np.ones_like(h) if kind == "gaussian" else mu
    se_eta = np.sqrt(phi * h / w)
    lin = res.get_prediction(which="linear")
    H.assert_close(lin.predicted, refcase.vec(c.ex["linear_predictors"]), rtol=RTOL)
    H.assert_close(lin.se, se_eta, rtol=RTOL)
    resp = res.get_prediction()
    H.assert_close(resp.predicted, mu, rtol=RTOL)
    dmu = 1.0 if kind == "gaussian" else mu
    H.assert_close(resp.se, dmu * se_eta, rtol=RTOL)
    assert resp.summary_frame().index.equals(res.fittedvalues.index)


def test_fitted_rows_formula_with_dropped_rows():
    """airquality: R drops 42 rows with NA; the predictions are aligned with the rows used."""
    res = H.fitted("airquality_gaussian_na", "formula")
    frame = res.get_prediction().summary_frame()
    assert frame.index.equals(res.fittedvalues.index) and len(frame) == 111
    np.testing.assert_allclose(frame["mean"], res.fittedvalues, rtol=1e-12)


# --------------------------------------------------------------------------- properties
def test_decreasing_link_interval_sorted():
    """Gamma with the inverse link: linkinv is decreasing, so the mapped limits swap; lower <= upper."""
    case = "clotting_gamma_inverse"
    c = H.load(case)
    res = H.fitted(case, "array")
    pred = res.get_prediction(c.file("X_new"))
    ci = pred.conf_int()
    assert np.all(ci[:, 0] < pred.predicted) and np.all(pred.predicted < ci[:, 1])
    lin = res.get_prediction(c.file("X_new"), which="linear").conf_int()
    np.testing.assert_allclose(ci[:, 0], 1.0 / lin[:, 1], rtol=1e-12)


def test_alpha():
    case = "dobson_poisson"
    c = H.load(case)
    res = H.fitted(case, "array")
    lin = res.get_prediction(c.file("X_new"), which="linear")
    fit, se = _want(c, "link_fit"), _want(c, "link_se")
    z = stats.norm.ppf(0.95)
    H.assert_close(lin.conf_int(alpha=0.1), np.column_stack([fit - z * se, fit + z * se]), rtol=RTOL)
    with pytest.raises(ValueError, match="alpha"):
        lin.summary_frame(alpha=0)
    with pytest.raises(ValueError, match="which"):
        res.get_prediction(c.file("X_new"), which="response")
    with pytest.raises(ValueError, match="offset"):
        res.get_prediction(offset=np.zeros(9))


def test_aliased_columns_count_as_zero():
    """A duplicated (aliased) column changes neither the predictions nor their standard errors."""
    df = gs.datasets.load("dobson")
    X = pd.get_dummies(df[["outcome", "treatment"]].astype(str), drop_first=True, dtype=float)
    X.insert(0, "const", 1.0)
    Xd = X.assign(dup=X["outcome_2"] + 2 * X["treatment_3"])
    full = gs.GLM(df["counts"], X, family="poisson").fit(tol=1e-12)
    with pytest.warns(gs.RankDeficientWarning):
        deficient = gs.GLM(df["counts"], Xd, family="poisson").fit(tol=1e-12)
    new = Xd.iloc[[0, 4, 8]].copy()
    new["dup"] = 7.0  # any value: its coefficient counts as 0
    a = deficient.get_prediction(new).summary_frame()
    b = full.get_prediction(X.iloc[[0, 4, 8]]).summary_frame()
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-9)


def test_blockwise_se_matches_direct():
    """More rows than one block (gram.row_blocks): the same as the direct x_i' V x_i."""
    rng = np.random.default_rng(1)
    n = 120_000
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 4))])
    y = rng.poisson(np.exp(0.2 + X[:, 1:] @ np.array([0.1, -0.2, 0.05, 0.0])))
    res = gs.GLM(y, X, family="poisson").fit()
    pred = res.get_prediction(which="linear")
    V = res.cov_params().to_numpy()
    idx = rng.choice(n, 500, replace=False)
    direct = np.sqrt(np.einsum("ij,jk,ik->i", X[idx], V, X[idx]))
    np.testing.assert_allclose(pred.se[idx], direct, rtol=1e-12)


# --------------------------------------------------------------------------- simulate
def _fit_formula(formula, data, family, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return gs.glm(formula, data=data, family=family, **kw).fit()


@pytest.fixture(scope="module")
def dobson_res():
    return _fit_formula("counts ~ C(outcome) + C(treatment)", gs.datasets.load("dobson"), "poisson")


def test_simulate_reproducible_and_shaped(dobson_res):
    a = dobson_res.simulate(nsim=5, seed=42)
    b = dobson_res.simulate(nsim=5, seed=42)
    c = dobson_res.simulate(nsim=5, seed=43)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a.shape == (9, 5)
    assert list(a.columns) == [f"sim_{i}" for i in range(1, 6)]
    assert a.index.equals(dobson_res.fittedvalues.index)
    assert np.all(a.to_numpy() >= 0) and np.all(a.to_numpy() == np.round(a.to_numpy()))
    one = dobson_res.simulate(seed=np.random.default_rng(0))
    assert one.shape == (9, 1)
    with pytest.raises(ValueError, match="nsim"):
        dobson_res.simulate(nsim=0)


# The per-observation mean of N draws has standard deviation sd_i / sqrt(N); the 6-sigma bound
# fails with probability ~2e-9 per observation (and the seed is fixed, so the test is deterministic).
N = 20_000


def _check_moments(res, sims, var_fn):
    mu = res.fittedvalues.to_numpy()
    var = var_fn(mu)
    draws = sims.to_numpy()
    assert np.all(np.abs(draws.mean(axis=1) - mu) < 6 * np.sqrt(var / N))
    # sample variance: relative sd about sqrt(2/N) ~ 1% (more with excess kurtosis); 6% is > 5 sigma
    np.testing.assert_allclose(draws.var(axis=1, ddof=1), var, rtol=0.06)


def test_simulate_poisson_moments(dobson_res):
    _check_moments(dobson_res, dobson_res.simulate(nsim=N, seed=1), lambda mu: mu)


def test_simulate_gaussian_moments():
    res = H.fitted("mtcars_gaussian_cluster", "formula")
    sims = res.simulate(nsim=N, seed=2)
    assert sims.index.equals(res.fittedvalues.index)
    _check_moments(res, sims, lambda mu: np.full_like(mu, res.scale))


def test_simulate_gamma_moments():
    """Gamma(shape = w / phi, scale = mu phi / w): mean mu, variance phi mu^2 / w (clotting, w = 1)."""
    res = H.fitted("clotting_gamma_inverse", "formula")
    _check_moments(res, res.simulate(nsim=N, seed=3), lambda mu: res.scale * mu ** 2)


def test_simulate_gamma_prior_weights():
    """Prior weights w (cabbages, w in 1..4) divide the variance: phi mu^2 / w."""
    case = "cabbages_gamma_log_weights"
    res = H.fitted(case, "formula")
    w = H.load(case).data["w"].to_numpy(dtype=float)
    _check_moments(res, res.simulate(nsim=N, seed=5), lambda mu: res.scale * mu ** 2 / w)


def test_simulate_binomial_proportions():
    """Binomial with trials as prior weights: draws are proportions successes / trials, as R."""
    case = "budworm_binomial_prop_weights"
    res = H.fitted(case, "formula")
    n = H.load(case).data["n"].to_numpy(dtype=float)
    sims = res.simulate(nsim=N, seed=4)
    draws = sims.to_numpy()
    assert np.all((draws >= 0) & (draws <= 1))
    np.testing.assert_allclose(draws * n[:, None], np.round(draws * n[:, None]), atol=1e-9)
    mu = res.fittedvalues.to_numpy()
    var = mu * (1 - mu) / n
    assert np.all(np.abs(draws.mean(axis=1) - mu) < 6 * np.sqrt(var / N) + 1e-12)


def test_simulate_with_dropped_rows():
    res = H.fitted("airquality_gaussian_na", "formula")
    sims = res.simulate(nsim=2, seed=0)
    assert sims.index.equals(res.fittedvalues.index) and sims.shape == (111, 2)


@pytest.mark.parametrize("case,family", [("warpbreaks_quasipoisson", "quasipoisson")])
def test_simulate_without_distribution(case, family):
    """R's simulate() has no method for quasi families; glmstats names the family."""
    res = H.fitted(case, "array")
    with pytest.raises(NotImplementedError, match=family):
        res.simulate(seed=1)


def test_simulate_tweedie_compound_poisson_gamma():
    """statmod's tweedie() has no simulate method in R; glmstats draws from the compound Poisson-gamma
    (tweedie::rtweedie's construction): the draws' means and variances match mu and phi mu^p."""
    res = H.fitted("tweedie_synthetic", "array")
    p = res.family.var_power
    sims = res.simulate(nsim=4000, seed=3).to_numpy()
    mu = res.fittedvalues.to_numpy()
    var = res.scale * mu ** p
    se = np.sqrt(var / sims.shape[1])
    assert np.all(np.abs(sims.mean(axis=1) - mu) < 5 * se)
    assert (sims == 0).any() and np.all(sims >= 0)
