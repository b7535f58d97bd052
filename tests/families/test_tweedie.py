"""Tweedie densities (series evaluation), the Tweedie family's log-likelihood, and the profile over p.

Reference values: tests/reference_extra/tweedie/, written by generate_tweedie.R beside them
(R 4.2.2, statmod 1.5.0; see sessionInfo.txt there):

* densities.csv -- log f(y; mu, phi, p) summed from the Poisson-gamma mixture with R's dpois/dgamma
  (the series tweedie::dtweedie.series evaluates; the CRAN package `tweedie` itself is not
  packaged for Debian bookworm, so it could not be run here);
* glm_fits.json -- tweedie::logLiktweedie / AICtweedie (their rule transcribed: phi = deviance /
  sum(prior weights), edf = rank + 1, prior weights multiplying log f) on
  glm(y ~ x1 + grp, family = statmod::tweedie(var.power = p, link.power = 0)) for the public
  tweedie_synthetic data, p = 1.3, 1.5, 1.7 and p = 1.5 with integer prior weights; BIC is
  tweedie_AIC(k = log(n));
* profile.csv, profile_mle.json -- tweedie::tweedie.profile(method = "series", phi.method = "mle",
  do.smooth = FALSE) over p = 1.1, ..., 1.9 with phi solved to 1e-15, and the maximiser over p.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import glmstats as gs
from glmstats.families.tweedie_density import score_phi, tweedie_logpdf
from glmstats.models.tweedie_profile import phi_mle, tweedie_profile

REF = Path(__file__).resolve().parents[1] / "reference_extra" / "tweedie"
DATA = Path(__file__).resolve().parents[1] / "reference" / "cases" / "tweedie_synthetic" / "data.csv"


def _data():
    return pd.read_csv(DATA)


# --- the density -----------------------------------------------------------------------------

def test_logpdf_matches_r_mixture_sum():
    d = pd.read_csv(REF / "densities.csv")
    got = np.empty(len(d))
    for p in d["p"].unique():
        k = (d["p"] == p).to_numpy()
        got[k] = tweedie_logpdf(d["y"][k], d["mu"][k], d["phi"][k], p)
    # An absolute error e in log f is a relative error e in f. The log-terms of the series reach
    # ~1e4 in size at p = 1.01, phi = 0.05, y = 50 (about 1000 terms), so their sum carries ~1e-12
    # relative rounding; observed max |diff| 6.2e-11 (there), 1e-14 typical.
    assert_allclose(got, d["logf"], rtol=1e-13, atol=1e-10)


@pytest.mark.parametrize("p", [1.01, 1.3, 1.5, 1.99])
def test_point_mass_at_zero_is_exact(p):
    mu, phi = np.array([0.2, 1.0, 7.0]), np.array([0.5, 1.0, 3.0])
    assert_allclose(tweedie_logpdf(0.0, mu, phi, p), -mu ** (2 - p) / (phi * (2 - p)), rtol=1e-15)


def _moments(mu, phi, p, nsub=4000, nodes=16):
    """P(Y = 0) + integral of f, E[Y] and Var[Y] by composite Gauss-Legendre on t = y^b, b = min(alpha, 1).

    f(y) ~ y^(alpha - 1) near 0, singular for p > 1.5; in t the integrand is smooth.
    """
    a = (2 - p) / (p - 1)
    b = min(a, 1.0)
    lam = mu ** (2 - p) / (phi * (2 - p))
    up = (mu + 40 * np.sqrt(phi * mu ** p) + 1.0) ** b
    x, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(0.0, up, nsub + 1)
    h = np.diff(edges)[:, None] / 2
    t = (edges[:-1, None] + h * (x + 1)).ravel()
    y = t ** (1 / b)
    dens = np.exp(tweedie_logpdf(y, mu, phi, p)) * t ** (1 / b - 1) / b * (h * w).ravel()
    m1, m2 = np.sum(dens * y), np.sum(dens * y * y)
    return np.sum(dens) + np.exp(-lam), m1, m2 - m1 ** 2


@pytest.mark.parametrize("mu,phi,p", [(1, 1, 1.5), (0.3, 2, 1.9), (5, 0.1, 1.1), (1, 0.2, 1.98), (20, 0.05, 1.3),
                                      (2, 0.5, 1.05), (3, 0.02, 1.01)])
def test_density_integrates_to_one_with_mean_mu_and_variance_phi_mu_p(mu, phi, p):
    # closed-form checks independent of R: total probability 1, E[Y] = mu, Var[Y] = phi mu^p.
    # Quadrature error (observed): mass and mean <= 2e-11, variance <= 3e-9 (p = 1.01, phi = 0.02).
    mass, mean, var = _moments(mu, phi, p)
    assert_allclose(mass, 1.0, rtol=1e-9)
    assert_allclose(mean, mu, rtol=1e-9)
    assert_allclose(var, phi * mu ** p, rtol=1e-7)


def test_special_powers():
    y = np.array([0.0, 1.0, 2.0, 5.0])
    mu = np.array([0.5, 1.5, 2.0, 4.0])
    assert_allclose(tweedie_logpdf(y, mu, 1.0, 1), stats.poisson.logpmf(y, mu), rtol=1e-14)
    # p = 1, phi != 1: y/phi ~ Poisson(mu/phi); off the lattice the mass is 0
    assert_allclose(tweedie_logpdf(2 * y, 2 * mu, 2.0, 1), stats.poisson.logpmf(y, mu), rtol=1e-14)
    assert tweedie_logpdf(1.0, 1.0, 2.0, 1) == -np.inf
    yp = y[1:]
    assert_allclose(tweedie_logpdf(yp, mu[1:], 0.3, 2), stats.gamma.logpdf(yp, 1 / 0.3, scale=mu[1:] * 0.3), rtol=1e-14)
    assert_allclose(tweedie_logpdf(y, mu, 0.3, 0), stats.norm.logpdf(y, mu, np.sqrt(0.3)), rtol=1e-14)


def test_support_broadcasting_and_errors():
    out = tweedie_logpdf(np.array([[0.0, 1.0], [2.0, -1.0]]), 1.5, 0.7, 1.5)
    assert out.shape == (2, 2) and out[1, 1] == -np.inf and np.all(np.isfinite(out[:, 0]))
    assert tweedie_logpdf(0.0, 0.0, 1.0, 1.5) == 0.0 and tweedie_logpdf(1.0, 0.0, 1.0, 1.5) == -np.inf
    with pytest.raises(NotImplementedError, match="p = 2.5"):
        tweedie_logpdf(1.0, 1.0, 1.0, 2.5)
    with pytest.raises(ValueError, match="0 < p < 1"):
        tweedie_logpdf(1.0, 1.0, 1.0, 0.5)
    with pytest.raises(ValueError, match="phi"):
        tweedie_logpdf(1.0, 1.0, 0.0, 1.5)
    with pytest.raises(ValueError, match="mu"):
        tweedie_logpdf(1.0, -1.0, 1.0, 1.5)


def test_series_window_is_widened_when_too_short(monkeypatch):
    import glmstats.families.tweedie_density as T

    d = pd.read_csv(REF / "densities.csv")
    d = d[(d["y"] > 0) & (d["p"] == 1.3)]
    want = tweedie_logpdf(d["y"], d["mu"], d["phi"], 1.3)
    monkeypatch.setattr(T, "_HALF_SDS", 0.0)  # a window of j_max -/+ 10 only: most rows need widening
    assert_allclose(T.tweedie_logpdf(d["y"], d["mu"], d["phi"], 1.3), want, rtol=1e-14)


def test_series_many_terms():
    # phi = 1e-3, y = mu = 50 at p = 1.5: j_max = 50^0.5 / (1e-3 * 0.5) ~ 14000 terms from the mode;
    # the density must still integrate (locally it is close to the normal with variance phi mu^p)
    y = np.linspace(45, 55, 2001)
    f = np.exp(tweedie_logpdf(y, 50.0, 1e-3, 1.5))
    assert_allclose(np.trapezoid(f, y) if hasattr(np, "trapezoid") else np.trapz(f, y), 1.0, rtol=1e-6)


@pytest.mark.parametrize("p", [1.05, 1.5, 1.9])
def test_score_in_phi_matches_finite_differences(p):
    y = np.array([0.0, 0.01, 0.5, 3.0, 20.0, 200.0])
    mu = np.array([1.0, 2.0, 0.3, 3.0, 5.0, 150.0])
    phi = np.array([1.0, 0.5, 2.0, 0.1, 3.0, 0.02])
    h = 1e-6 * phi
    num = (tweedie_logpdf(y, mu, phi + h, p) - tweedie_logpdf(y, mu, phi - h, p)) / (2 * h)
    # central differences of values up to ~1e3 with h = 1e-6 phi: ~1e-7 rounding/truncation error
    assert_allclose(score_phi(y, mu, phi, p), num, rtol=1e-6, atol=1e-6)


# --- the family's log-likelihood ------------------------------------------------------------------

def _fits():
    return json.loads((REF / "glm_fits.json").read_text())["fits"]


@pytest.mark.parametrize("fit", _fits(), ids=lambda f: f["name"])
def test_llf_aic_bic_match_r_logliktweedie(fit):
    d = _data()
    kw = {}
    if fit["weights"] is not None:
        d["w"] = fit["weights"]
        kw["var_weights"] = "w"
    fam = gs.families.Tweedie(fit["var_power"], link=gs.links.Log())
    res = gs.glm("y ~ x1 + C(grp)", d, family=fam, **kw).fit(tol=1e-15, maxiter=200)
    assert_allclose(res.deviance, fit["deviance"], rtol=1e-12)
    # observed agreement ~1e-14 relative (llf is stationary in beta, so the fit's tolerance hardly matters)
    assert_allclose(res.llf, fit["logLiktweedie"], rtol=1e-11)
    assert_allclose(res.aic, fit["AICtweedie"], rtol=1e-11)
    assert_allclose(res.bic, fit["BIC"], rtol=1e-11)
    assert res.aic == pytest.approx(-2 * res.llf + 2 * (fit["rank"] + 1))


def test_reference_case_formula_gives_r_llf():
    # the public case's own call (formula_py, family Tweedie(1.5) with the log link)
    ex = json.loads((DATA.parent / "expected.json").read_text())
    ref = next(f for f in _fits() if f["name"] == "p1.5_log")
    res = gs.glm(ex["formula_py"], _data(), family=gs.families.Tweedie(1.5, link="log")).fit(tol=1e-15, maxiter=200)
    assert_allclose(res.llf, ref["logLiktweedie"], rtol=1e-11)
    assert np.isfinite(res.llnull) and res.llnull < res.llf


def test_integer_weights_are_replicated_rows():
    # AICtweedie's convention (weights multiply log f, phi = deviance / sum(w)) makes an integer prior
    # weight the same as repeating the row
    d = _data()
    w = np.random.default_rng(3).integers(1, 4, len(d))
    fam = gs.families.Tweedie(1.5, link="log")
    r1 = gs.glm("y ~ x1 + C(grp)", d.assign(w=w), family=fam, var_weights="w").fit(tol=1e-15)
    r2 = gs.glm("y ~ x1 + C(grp)", d.loc[d.index.repeat(w)].reset_index(drop=True), family=fam).fit(tol=1e-15)
    assert_allclose(r1.llf, r2.llf, rtol=1e-11)
    assert_allclose(phi_mle(r1.fit_state.data.y, r1.fit_state.mu, 1.5, w)[0], phi_mle(r2.fit_state.data.y, r2.fit_state.mu, 1.5)[0], rtol=1e-10)


def test_power_one_and_two_agree_with_poisson_and_gamma():
    rng = np.random.default_rng(7)
    d = pd.DataFrame({"x": rng.uniform(size=60)})
    d["n"] = rng.poisson(np.exp(1 + d["x"]))
    d["g"] = rng.gamma(2.0, np.exp(d["x"]) / 2.0)
    rp = gs.glm("n ~ x", d, family="poisson").fit(tol=1e-14)
    rt = gs.glm("n ~ x", d, family=gs.families.Tweedie(1, link="log")).fit(tol=1e-14)
    assert_allclose([rt.llf, rt.aic, rt.bic], [rp.llf, rp.aic, rp.bic], rtol=1e-12)  # phi = 1, k = rank
    rg = gs.glm("g ~ x", d, family=gs.families.Gamma(link="log")).fit(tol=1e-14)
    rt2 = gs.glm("g ~ x", d, family=gs.families.Tweedie(2, link="log")).fit(tol=1e-14)
    assert_allclose([rt2.llf, rt2.aic], [rg.llf, rg.aic], rtol=1e-12)  # R's Gamma()$aic convention


def test_power_above_two_has_no_likelihood_yet():
    rng = np.random.default_rng(8)
    d = pd.DataFrame({"x": rng.uniform(size=40)})
    d["y"] = rng.gamma(2.0, np.exp(d["x"]) / 2.0)
    res = gs.glm("y ~ x", d, family=gs.families.Tweedie(2.5, link="log")).fit()
    assert np.isnan(res.llf) and np.isnan(res.aic)


# --- profile over p --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def profile():
    return tweedie_profile("y ~ x1 + C(grp)", _data())


def test_profile_matches_r_tweedie_profile(profile):
    ref = pd.read_csv(REF / "profile.csv")
    assert_allclose(profile.table["p"], ref["p"], rtol=1e-15)
    # phi is the root of the score in both (R: uniroot to 1e-15); observed 8e-15 and 3e-12
    assert_allclose(profile.table["phi"], ref["phi"], rtol=1e-10)
    assert_allclose(profile.table["llf"], ref["L"], rtol=1e-12)
    assert profile.p_max == 1.5
    assert_allclose(profile.phi_max, ref["phi"][4], rtol=1e-10)


def test_profile_mle_and_smooth_maximiser(profile):
    m = json.loads((REF / "profile_mle.json").read_text())
    # the profile in p is flat at its maximum: p is determined to ~sqrt(llf noise / curvature) ~ 1e-7
    assert abs(profile.p_mle - m["p_mle"]) < 1e-6
    assert_allclose(profile.phi_mle, m["phi_mle"], rtol=1e-6)
    assert_allclose(profile.llf_mle, m["L_mle"], rtol=1e-11)
    # the synthetic data were generated with p = 1.5
    assert abs(profile.p_smooth - 1.5) < 0.02
    assert profile.ci[0] < 1.5 < profile.ci[1]
    assert profile.results.family.var_power == pytest.approx(profile.p_mle)
    assert "profile MLE" in str(profile)


def test_profile_entry_point_and_grid_checks():
    d = _data()
    pr = gs.tweedie_profile("y ~ x1 + C(grp)", d, p_grid=[1.4, 1.5, 1.6], refine=False)
    assert list(pr.table.columns[:3]) == ["p", "phi", "llf"] and pr.p_max == 1.5
    assert np.isnan(pr.p_mle) and np.isnan(pr.p_smooth)
    with pytest.raises(ValueError, match="between 1 and 2"):
        gs.tweedie_profile("y ~ x1", d, p_grid=[1.5, 2.5])


def test_profile_warns_when_the_maximum_is_at_the_grid_end():
    # warpbreaks has no zeros and its profile keeps rising towards p = 2 (gamma-like)
    df = gs.datasets.load("warpbreaks")
    with pytest.warns(gs.ProfileWarning, match="end of p_grid"):
        pr = gs.tweedie_profile("breaks ~ wool * tension", df, p_grid=[1.5, 1.7, 1.9])
    assert pr.p_max == 1.9 and np.isnan(pr.p_mle)
