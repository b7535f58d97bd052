"""Randomized quantile residuals: R's statmod::qresiduals, closed forms, and their normality."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

import glmstats as gs
from glmstats.families.tweedie_density import tweedie_logpdf
from glmstats.inference.residuals import quantile_residuals

REF = Path(__file__).resolve().parents[1] / "reference_extra" / "plots" / "plots_reference.json"


def _reference():
    return {k: v for k, v in json.loads(REF.read_text()).items() if "python" in v}  # the model fits


def _refit(case):
    load = gs.datasets.load
    env = {"gs": gs, "np": np, "dobson": load("dobson"), "budworm": load("budworm"), "clotting": load("clotting"),
           "warpbreaks": load("warpbreaks"), "insurance": load("insurance")}
    return eval(case["python"], env).fit()  # the glmstats call written beside R's in generate_plots.R


def _statmod_scale(name, res):
    # statmod's qres.gamma: Pearson X2 / df at the final mu; qres.invgauss: deviance / df;
    # the others use summary's dispersion (1 for the discrete families)
    if name == "clotting_gamma":
        return res.pearson_chi2 / res.df_resid
    if name == "clotting_invgauss":
        return res.deviance / res.df_resid
    return None


@pytest.mark.parametrize("name", sorted(_reference()))
def test_quantile_residuals_match_statmod(name):
    # R 4.2.2, statmod 1.5.0: set.seed(20261204); qresiduals(m), with the runif(n) of the same seed
    # (tests/reference_extra/plots/generate_plots.R)
    case = _reference()[name]
    res = _refit(case)
    got = quantile_residuals(res, scale=_statmod_scale(name, res), uniform=case["qres_uniform"])
    assert isinstance(got, pd.Series) and got.name == "resid_quantile"
    # glm.nb's theta and glmstats' agree to ~1e-10 (both stop at their ML tolerances); elsewhere
    # only rounding separates the two
    tol = 1e-8 if name == "warpbreaks_negbin" else 1e-11
    np.testing.assert_allclose(got.to_numpy(), case["qresiduals"], rtol=0, atol=tol)


def test_gaussian_closed_form_with_weights():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=40)})
    df["y"] = 1 + 2 * df.x + rng.normal(size=40)
    w = rng.uniform(0.5, 3, size=40)
    res = gs.glm("y ~ x", df, family="gaussian", var_weights=w).fit()
    # F is the normal cdf of sd sqrt(phi / w), phi = R's dispersion (Pearson X2 / df, = RSS_w / df)
    phi = np.sum(w * (df.y - res.fittedvalues) ** 2) / (40 - 2)
    expected = (df.y - res.fittedvalues) * np.sqrt(w / phi)
    np.testing.assert_allclose(res.resid_quantile(), expected, rtol=1e-12)
    # the same as R's qres.default: deviance residuals / sqrt(dispersion)
    np.testing.assert_allclose(res.resid_quantile(), res.resid_deviance / np.sqrt(res.scale), rtol=1e-12)


def test_gamma_closed_form_is_pgamma():
    clotting = gs.datasets.load("clotting")
    res = gs.glm("lot1 ~ np.log(u)", clotting, family="Gamma", link="log").fit()
    k = 1.0 / res.scale  # shape; y ~ Gamma(k, scale mu / k)
    F = special.gammainc(k, k * clotting.lot1 / res.fittedvalues)
    np.testing.assert_allclose(res.resid_quantile(), stats.norm.ppf(F), rtol=1e-10)


def test_tweedie_zero_mass_and_positive_part():
    rng = np.random.default_rng(5)
    n = 300
    x = rng.uniform(size=n)
    mu = np.exp(0.3 + x)
    # compound Poisson-gamma draws with p = 1.5, phi = 1: lambda = 2 sqrt(mu), gamma shape 1, scale sqrt(mu) / 2
    counts = rng.poisson(2 * np.sqrt(mu))
    y = np.array([rng.gamma(c, s) if c else 0.0 for c, s in zip(counts, np.sqrt(mu) / 2)])
    df = pd.DataFrame({"x": x, "y": y})
    res = gs.glm("y ~ x", df, family=gs.families.Tweedie(1.5, link=gs.links.Log())).fit()
    v = rng.uniform(size=n)
    r = quantile_residuals(res, uniform=v).to_numpy()
    m, phi = res.fittedvalues.to_numpy(), res.scale
    p0 = np.exp(-m ** 0.5 / (phi * 0.5))  # P(Y = 0) = exp(-lambda), lambda = mu^(2-p) / (phi (2-p))
    zero = y == 0
    assert zero.sum() > 10
    np.testing.assert_allclose(r[zero], stats.norm.ppf(v[zero] * p0[zero]), rtol=1e-10)
    # y > 0: P(Y = 0) + the integral of the series density (glmstats' dtweedie, checked against R)
    for i in np.flatnonzero(~zero)[:8]:
        F = p0[i] + integrate.quad(lambda t: np.exp(tweedie_logpdf(t, m[i], phi, 1.5)), 0, y[i], limit=200)[0]
        np.testing.assert_allclose(r[i], stats.norm.ppf(F), rtol=1e-7, atol=1e-9)  # quad's accuracy


def test_seed_reproducible_and_zero_weight_rows():
    dobson = gs.datasets.load("dobson")
    res = gs.glm("counts ~ outcome + treatment", dobson, family="poisson").fit()
    pd.testing.assert_series_equal(res.resid_quantile(seed=3), res.resid_quantile(seed=3))
    assert not np.allclose(res.resid_quantile(seed=3), res.resid_quantile(seed=4))
    w = np.ones(len(dobson))
    w[0] = 0.0
    r = gs.glm("counts ~ outcome + treatment", dobson, family="poisson", var_weights=w).fit().resid_quantile(seed=1)
    assert np.isnan(r.iloc[0]) and np.isfinite(r.iloc[1:]).all()


def test_quasi_family_is_a_clear_error():
    warpbreaks = gs.datasets.load("warpbreaks")
    res = gs.glm("breaks ~ wool + tension", warpbreaks, family="quasipoisson").fit()
    with pytest.raises(NotImplementedError, match="quasipoisson.*distribution"):
        res.resid_quantile()


def test_far_outlier_stays_finite():
    # P(Y <= 60 | mu = 7.5) rounds to 1: the residual comes from the upper tail, 1 - F, instead of inf
    df = pd.DataFrame({"y": [1.0, 2.0, 0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 60.0]})
    res = gs.glm("y ~ 1", df, family="poisson").fit()
    mu = res.fittedvalues.iloc[-1]
    assert stats.poisson.cdf(59, mu) == 1.0
    v = np.full(len(df), 0.25)
    r = quantile_residuals(res, uniform=v).iloc[-1]
    expected = -stats.norm.ppf(stats.poisson.sf(59, mu) - 0.25 * stats.poisson.pmf(60, mu))
    np.testing.assert_allclose(r, expected, rtol=1e-12)
    assert 10 < r < 20


# --- normality on simulated data: correct models pass, misspecified ones fail -----------------
N = 5000


def _ks(r):
    return stats.kstest(np.asarray(r), "norm").pvalue


def test_poisson_correct_passes_overdispersed_fails():
    rng = np.random.default_rng(20261204)
    x = rng.uniform(-1, 1, N)
    mu = np.exp(1.0 + 0.8 * x)
    df = pd.DataFrame({"x": x, "y": rng.poisson(mu)})
    p_good = _ks(gs.glm("y ~ x", df, family="poisson").fit().resid_quantile(seed=1))
    # negative binomial with theta = 2 (variance mu + mu^2 / 2) fitted as Poisson
    df["y_nb"] = rng.negative_binomial(2.0, 2.0 / (2.0 + mu))
    p_bad = _ks(gs.glm("y_nb ~ x", df, family="poisson").fit().resid_quantile(seed=1))
    # ... and fitted with its own family: normal again
    p_nb = _ks(gs.glm("y_nb ~ x", df, family=gs.families.NegativeBinomial(0.5)).fit().resid_quantile(seed=1))
    assert p_good > 0.05 and p_nb > 0.05, (p_good, p_nb)
    assert p_bad < 1e-6, p_bad


def test_binomial_correct_passes_missing_quadratic_fails():
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, N)
    m = rng.integers(1, 12, N)
    p = special.expit(-0.5 + 0.7 * x + 0.9 * x ** 2)
    df = pd.DataFrame({"x": x, "m": m, "s": rng.binomial(m, p)})
    df["f"] = df.m - df.s
    p_good = _ks(gs.glm("cbind(s, f) ~ x + I(x**2)", df, family="binomial").fit().resid_quantile(seed=2))
    p_bad = _ks(gs.glm("cbind(s, f) ~ x", df, family="binomial").fit().resid_quantile(seed=2))
    assert p_good > 0.05, p_good
    assert p_bad < 1e-6, p_bad


def test_tweedie_correct_passes_wrong_power_fails():
    # compound Poisson-gamma data with p = 1.5, phi = 2: the point mass at 0 is randomized over
    # [0, P(Y = 0)], so the residuals of the right power are N(0, 1); a Poisson-like power 1.05
    # (the mass at 0 and the spread of y > 0 both misjudged) is not
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, N)
    mu, phi, p = np.exp(0.5 + 0.6 * x), 2.0, 1.5
    lam, shape, scale = mu ** (2 - p) / (phi * (2 - p)), (2 - p) / (p - 1), phi * (p - 1) * mu ** (p - 1)
    counts = rng.poisson(lam)
    y = np.where(counts > 0, rng.gamma(np.maximum(counts, 1) * shape, scale), 0.0)
    df = pd.DataFrame({"x": x, "y": y})
    assert 0.1 < np.mean(y == 0) < 0.5
    fit = gs.glm("y ~ x", df, family=gs.families.Tweedie(1.5, link=gs.links.Log())).fit()
    p_good = _ks(fit.resid_quantile(seed=3))
    wrong = gs.glm("y ~ x", df, family=gs.families.Tweedie(1.05, link=gs.links.Log())).fit()
    p_bad = _ks(wrong.resid_quantile(seed=3))
    assert p_good > 0.05, p_good
    assert p_bad < 1e-6, p_bad
