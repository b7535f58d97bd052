"""Model-level behaviour checked against closed forms and equivalent fits (no stored expectations)."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs


@pytest.fixture
def counts():
    rng = np.random.default_rng(42)
    n = 60
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b", "c"], size=n),
                       "t": rng.uniform(1, 3, size=n)})
    df["y"] = rng.poisson(df["t"] * np.exp(0.5 + 0.3 * df["x"]))
    return df


def test_factor_response_is_first_level_failure_as_r():
    df = pd.DataFrame({"y": ["no", "yes", "yes", "no", "yes", "yes", "no"], "x": [1, 2, 3, 4, 5, 6, 7.0]})
    res = gs.glm("y ~ x", data=df, family="binomial").fit()
    ref = gs.glm("y01 ~ x", data=df.assign(y01=(df.y == "yes").astype(float)), family="binomial").fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-12)


def test_freq_weights_equal_duplicated_rows(counts):
    fw = np.tile([1.0, 2.0, 3.0], len(counts) // 3)
    res = gs.glm("y ~ x + g", data=counts, family="poisson", freq_weights=fw).fit(tol=1e-12)
    dup = counts.loc[counts.index.repeat(fw.astype(int))]
    ref = gs.glm("y ~ x + g", data=dup, family="poisson").fit(tol=1e-12)
    for attr in ("params", "bse"):
        np.testing.assert_allclose(getattr(res, attr), getattr(ref, attr), rtol=1e-8)
    for attr in ("deviance", "null_deviance", "llf", "aic", "bic", "nobs", "df_resid", "pearson_chi2"):
        np.testing.assert_allclose(getattr(res, attr), getattr(ref, attr), rtol=1e-8, err_msg=attr)


def test_gaussian_freq_weights_equal_duplicated_rows(counts):
    fw = np.tile([1.0, 2.0], len(counts) // 2)
    res = gs.glm("y ~ x", data=counts, freq_weights=fw).fit()
    ref = gs.glm("y ~ x", data=counts.loc[counts.index.repeat(fw.astype(int))]).fit()
    for attr in ("scale", "llf", "aic", "bic", "deviance"):
        np.testing.assert_allclose(getattr(res, attr), getattr(ref, attr), rtol=1e-10, err_msg=attr)
    np.testing.assert_allclose(res.bse, ref.bse, rtol=1e-10)


def test_zero_weight_rows_equal_dropping_them(counts):
    w = np.ones(len(counts))
    w[:10] = 0
    res = gs.glm("y ~ x + g", data=counts, family="poisson", var_weights=w).fit(tol=1e-12)
    ref = gs.glm("y ~ x + g", data=counts.iloc[10:], family="poisson").fit(tol=1e-12)
    np.testing.assert_allclose(res.params, ref.params, rtol=1e-10)
    for attr in ("deviance", "aic", "nobs", "df_resid", "null_deviance"):
        np.testing.assert_allclose(getattr(res, attr), getattr(ref, attr), rtol=1e-10, err_msg=attr)


def test_exposure_equals_log_offset(counts):
    a = gs.glm("y ~ x + g", data=counts, family="poisson", exposure="t").fit()
    b = gs.glm("y ~ x + g + offset(np.log(t))", data=counts, family="poisson").fit()
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    np.testing.assert_allclose(a.predict(counts.head()), b.predict(counts.head()), rtol=1e-12)
    with pytest.raises(ValueError, match="log link"):
        gs.glm("y ~ x", data=counts, family="poisson", link="sqrt", exposure="t")


def test_scale_options(counts):
    base = gs.glm("y ~ x", data=counts, family="quasipoisson").fit()
    np.testing.assert_allclose(base.scale, base.pearson_chi2 / base.df_resid)
    dev = gs.glm("y ~ x", data=counts, family="quasipoisson").fit(scale="dev")
    np.testing.assert_allclose(dev.scale, dev.deviance / dev.df_resid)
    fixed = gs.glm("y ~ x", data=counts, family="quasipoisson").fit(scale=2.0)
    assert not fixed.use_t and fixed.scale == 2.0
    np.testing.assert_allclose(fixed.bse, np.sqrt(2.0 / base.scale) * base.bse)
    # quasi-Poisson estimates are Poisson's; SEs scale by sqrt(dispersion) (R's summary.glm)
    pois = gs.glm("y ~ x", data=counts, family="poisson").fit()
    np.testing.assert_allclose(base.params, pois.params, rtol=1e-10)
    np.testing.assert_allclose(base.bse, pois.bse * np.sqrt(base.scale), rtol=1e-8)
    assert np.isnan(base.aic) and base.use_t and not pois.use_t


def test_wald_interval_quantiles(counts):
    res = gs.glm("y ~ x", data=counts, family="quasipoisson").fit()
    from scipy import stats

    q = stats.t.ppf(0.95, res.df_resid)
    ci = res.conf_int(alpha=0.1)
    np.testing.assert_allclose(ci["upper"] - res.params, q * res.bse)
    z = gs.glm("y ~ x", data=counts, family="quasipoisson").fit(use_t=False).conf_int()
    np.testing.assert_allclose(z["upper"] - res.params, stats.norm.ppf(0.975) * res.bse)


def test_pickle_round_trip_predicts(counts):
    res = gs.glm("y ~ x + g + offset(np.log(t))", data=counts, family="poisson").fit()
    again = pickle.loads(pickle.dumps(res))
    pd.testing.assert_series_equal(again.predict(counts.head(7)), res.predict(counts.head(7)))
    assert str(again.summary()) == str(res.summary())


def test_offset_array_needs_offset_for_new_rows(counts):
    res = gs.GLM(counts["y"], np.column_stack([np.ones(len(counts)), counts["x"]]), family="poisson",
                 offset=np.log(counts["t"])).fit()
    with pytest.raises(ValueError, match="offset"):
        res.predict(np.ones((2, 2)))
    np.testing.assert_allclose(res.predict(np.ones((2, 2)), offset=[0.0, 1.0]),
                               np.exp(res.params.sum() + np.array([0.0, 1.0])))


def test_tiny_tol_returns_converged_values_with_warning(counts):
    model = gs.glm("y ~ x + g", data=counts, family="poisson", link="sqrt")
    ref = model.fit(tol=1e-15, maxiter=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        tight = model.fit(tol=1e-300, maxiter=60)
    # either the deviance became exactly stationary (|change| = 0 < tol, as in R) or maxiter was reached
    assert tight.converged or tight.n_iter == 60
    # a deviance-based rule leaves coefficients of a linearly converging (non-canonical) fit about
    # sqrt(tol) from the optimum: 1e-7 is what a tol=1e-15 reference can promise
    np.testing.assert_allclose(tight.params, ref.params, rtol=1e-7)
    with pytest.warns(gs.ConvergenceWarning, match="did not converge in 3 iterations"):
        res = model.fit(tol=1e-300, maxiter=3)
    assert not res.converged and res.n_iter == 3
