"""Links and families against closed forms: inverses, derivatives by finite differences,
unit deviances, and log-likelihoods against scipy.stats densities."""

import numpy as np
import pytest
from scipy import stats

import glmstats as gs
from glmstats import families as F
from glmstats import links as L

# (link, mu values inside its domain)
LINKS = [
    (L.Identity(), np.array([-2.0, 0.3, 5.0])),
    (L.Log(), np.array([0.01, 1.0, 50.0])),
    (L.Logit(), np.array([0.01, 0.4, 0.97])),
    (L.Probit(), np.array([0.01, 0.4, 0.97])),
    (L.CLogLog(), np.array([0.01, 0.4, 0.97])),
    (L.LogLog(), np.array([0.01, 0.4, 0.97])),
    (L.Cauchy(), np.array([0.01, 0.4, 0.97])),
    (L.InversePower(), np.array([0.2, 1.0, 30.0])),
    (L.InverseSquared(), np.array([0.2, 1.0, 30.0])),
    (L.Sqrt(), np.array([0.2, 1.0, 30.0])),
    (L.Power(1.0 / 3), np.array([0.2, 1.0, 30.0])),
]


@pytest.mark.parametrize("link,mu", LINKS, ids=lambda v: repr(v) if isinstance(v, L.Link) else "")
def test_link_inverse_and_derivatives(link, mu):
    eta = link(mu)
    np.testing.assert_allclose(link.inverse(eta), mu, rtol=1e-12)
    h = 1e-6 * np.maximum(1.0, np.abs(eta))
    fd = (link.inverse(eta + h) - link.inverse(eta - h)) / (2 * h)  # d mu / d eta, central difference
    np.testing.assert_allclose(link.inverse_deriv(eta), fd, rtol=1e-6)
    np.testing.assert_allclose(link.deriv(mu) * link.inverse_deriv(eta), 1.0, rtol=1e-10)


@pytest.mark.parametrize("name,cls", [("logit", L.Logit), ("1/mu^2", L.InverseSquared), ("inverse", L.InversePower),
                                      ("cauchit", L.Cauchy), ("CLOGLOG", L.CLogLog)])
def test_link_names(name, cls):
    assert isinstance(L.get_link(name), cls)


def test_logit_clamps_as_r():
    eps = np.finfo(float).eps
    np.testing.assert_array_equal(L.Logit().inverse(np.array([-40.0, 40.0])), [eps, 1 - eps])


FAMILIES = [
    (F.Gaussian(), np.array([-1.0, 0.5, 3.0])),
    (F.Binomial(), np.array([0.0, 0.3, 1.0])),
    (F.Poisson(), np.array([0.0, 2.0, 7.0])),
    (F.Gamma(), np.array([0.5, 2.0, 7.0])),
    (F.InverseGaussian(), np.array([0.5, 2.0, 7.0])),
    (F.Tweedie(1.5), np.array([0.0, 2.0, 7.0])),
    (F.NegativeBinomial(0.7), np.array([0.0, 2.0, 7.0])),
]


@pytest.mark.parametrize("family,y", FAMILIES, ids=lambda v: repr(v) if isinstance(v, F.Family) else "")
def test_unit_deviance_is_twice_the_loglik_ratio(family, y):
    """d(y, mu) = 2 * integral_mu^y (y - t) / V(t) dt: zero at mu = y, derivative -2 (y - mu) / V(mu)."""
    mu = np.where(y == 0, 0.5, y) * 0.8 if not isinstance(family, F.Binomial) else np.array([0.2, 0.5, 0.7])
    np.testing.assert_allclose(family.unit_deviance(mu, mu), 0.0, atol=1e-12)
    h = 1e-6 * mu
    fd = (family.unit_deviance(y, mu + h) - family.unit_deviance(y, mu - h)) / (2 * h)
    np.testing.assert_allclose(fd, -2 * (y - mu) / family.variance(mu), rtol=1e-5)


def test_loglike_matches_scipy_densities():
    y, mu, w = np.array([1.0, 3.0, 0.5]), np.array([1.5, 2.0, 0.7]), np.array([1.0, 2.0, 3.0])
    phi = 0.4
    np.testing.assert_allclose(F.Gaussian().loglike(y, mu, w, phi),
                               np.sum(stats.norm.logpdf(y, mu, np.sqrt(phi / w))))
    np.testing.assert_allclose(F.Gamma().loglike(y, mu, w, phi),
                               np.sum(w * stats.gamma.logpdf(y, 1 / phi, scale=mu * phi)))  # R: weights multiply
    np.testing.assert_allclose(F.InverseGaussian().loglike(y, mu, w, phi),
                               np.sum(w * stats.invgauss.logpdf(y, mu * phi, scale=1 / phi)))
    counts = np.array([0.0, 3.0, 5.0])
    np.testing.assert_allclose(F.Poisson().loglike(counts, mu, w), np.sum(w * stats.poisson.logpmf(counts, mu)))
    a = 0.7
    np.testing.assert_allclose(F.NegativeBinomial(a).loglike(counts, mu),
                               np.sum(stats.nbinom.logpmf(counts, 1 / a, 1 / (1 + a * mu))))
    # binomial: proportions with trials as weights -> dbinom(m y, m, mu)
    m, prop = np.array([4.0, 10.0, 1.0]), np.array([0.25, 0.7, 1.0])
    np.testing.assert_allclose(F.Binomial().loglike(prop, np.array([0.3, 0.6, 0.8]), m),
                               np.sum(stats.binom.logpmf(m * prop, m, [0.3, 0.6, 0.8])))
    assert np.isnan(F.QuasiPoisson().loglike(counts, mu))


def test_get_distribution_moments():
    mu, phi, w = np.array([2.0, 5.0]), 0.3, np.array([1.0, 2.0])
    for fam, var in [(F.Gaussian(), phi / w), (F.Gamma(), phi * mu ** 2 / w), (F.InverseGaussian(), phi * mu ** 3 / w)]:
        dist = fam.get_distribution(mu, scale=phi, var_weights=w)
        np.testing.assert_allclose(dist.mean(), mu)
        np.testing.assert_allclose(dist.var(), var)
    nb = F.NegativeBinomial(0.5).get_distribution(mu)
    np.testing.assert_allclose(nb.var(), mu + 0.5 * mu ** 2)
    with pytest.raises(NotImplementedError, match="Tweedie"):
        F.Tweedie(3.0).get_distribution(mu)


def test_tweedie_distribution_compound_poisson_gamma():
    # closed forms: E y = mu, Var y = phi mu^p, P(y = 0) = exp(-mu^(2-p) / (phi (2-p)))
    mu, phi, p, w = np.array([0.5, 2.0, 6.0]), 1.3, 1.5, np.array([1.0, 2.0, 1.0])
    fam = F.Tweedie(p)
    assert fam.zero_mass and not F.Tweedie(2.0).zero_mass and not F.Gamma().zero_mass
    d = fam.get_distribution(mu, scale=phi, var_weights=w)
    np.testing.assert_allclose(d.mean(), mu)
    np.testing.assert_allclose(d.var(), phi / w * mu ** p)
    np.testing.assert_allclose(d.pmf_zero(), np.exp(-mu ** (2 - p) / (phi / w * (2 - p))), rtol=1e-14)
    np.testing.assert_allclose(d.cdf(0.0), d.pmf_zero(), rtol=1e-12)
    # the continuous part integrates to 1 - P(y = 0)
    from scipy import integrate
    for j in range(3):
        one = fam.get_distribution(mu[j], scale=phi / w[j])
        total = integrate.quad(lambda t: float(one.pdf(t)), 0, mu[j] + 40 * np.sqrt(one.var()), limit=400)[0]
        np.testing.assert_allclose(total + float(one.pmf_zero()), 1.0, rtol=1e-7)
    one = fam.get_distribution(mu[1], scale=phi)  # P(y = 0) = 0.114
    q = np.array([0.2, 0.5, 0.95])
    np.testing.assert_allclose(one.cdf(one.ppf(q)), q, rtol=1e-10)
    assert one.ppf(0.05) == 0.0  # the smallest y with F(y) >= q: the atom at 0
    draws = d.rvs(size=(100_000, 3), random_state=7)
    # 5 standard errors of the simulated means and zero frequencies
    assert np.all(np.abs(draws.mean(axis=0) - mu) < 5 * np.sqrt(d.var() / 100_000))
    p0 = d.pmf_zero()
    assert np.all(np.abs((draws == 0).mean(axis=0) - p0) < 5 * np.sqrt(p0 * (1 - p0) / 100_000))


@pytest.mark.parametrize("name,cls,link", [("gaussian", F.Gaussian, "identity"), ("binomial", F.Binomial, "logit"),
                                           ("poisson", F.Poisson, "log"), ("Gamma", F.Gamma, "inverse"),
                                           ("inverse.gaussian", F.InverseGaussian, "1/mu^2"),
                                           ("quasipoisson", F.QuasiPoisson, "log"),
                                           ("quasibinomial", F.QuasiBinomial, "logit")])
def test_r_names_and_default_links(name, cls, link):
    fam = F.get_family(name)
    assert type(fam) is cls and fam.link.name == link


def test_bad_family_and_link_names():
    with pytest.raises(ValueError, match="unknown family 'poison'"):
        F.get_family("poison")
    with pytest.raises(ValueError, match="unknown link 'logitt'"):
        F.get_family("binomial", link="logitt")
    with pytest.raises(TypeError, match="instance"):
        gs.GLM([1, 2], [[1], [1]], family=F.Poisson)
    with pytest.raises(ValueError, match="var_power"):
        F.Tweedie(0.5)
