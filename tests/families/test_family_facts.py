"""The facts families declare as data (glmstats.families): domains, variance powers, canonical links,
convexity, the Newton term, R's conventions keyed on the family.

Expected values are the definitions (R's family objects: ``binomial()$validmu``, ``poisson()$variance``,
...; the canonical link theta(mu) of each variance function) and finite differences, not glmstats output.
"""

import re

import numpy as np
import pytest

import glmstats as gs
from glmstats.families import Interval
from glmstats.families.interval import NON_NEGATIVE, OPEN_UNIT, POSITIVE, REAL, UNIT

F, L = gs.families, gs.links


def test_interval_contains_and_ends():
    unit = Interval(0.0, 1.0, True, False)
    assert list(unit.contains([0.0, 0.5, 1.0, -0.1, np.nan])) == [True, True, False, False, False]
    assert 0.0 in unit and 1.0 not in unit
    assert unit.closed_ends == (0.0,) and unit.open_ends == (1.0,)
    assert str(unit) == "[0, 1)" and str(REAL) == "(-inf, inf)"
    assert REAL.closed_ends == () and REAL.open_ends == ()


@pytest.mark.parametrize("family,domain,mean,power,boundary", [
    (F.Gaussian(), REAL, REAL, 0.0, ()),
    (F.Binomial(), UNIT, OPEN_UNIT, None, (0.0, 1.0)),
    (F.QuasiBinomial(), UNIT, OPEN_UNIT, None, (0.0, 1.0)),
    (F.Poisson(), NON_NEGATIVE, POSITIVE, 1.0, (0.0,)),
    (F.QuasiPoisson(), NON_NEGATIVE, POSITIVE, 1.0, (0.0,)),
    (F.Gamma(), POSITIVE, POSITIVE, 2.0, ()),
    (F.InverseGaussian(), POSITIVE, POSITIVE, 3.0, ()),
    (F.Tweedie(1.5), NON_NEGATIVE, POSITIVE, 1.5, (0.0,)),
    (F.Tweedie(0), REAL, REAL, 0.0, ()),
    (F.Tweedie(3.0), POSITIVE, POSITIVE, 3.0, ()),
    (F.NegativeBinomial(0.5), NON_NEGATIVE, POSITIVE, None, (0.0,)),
    (F.Quasi(variance="mu^3"), POSITIVE, POSITIVE, 3.0, ()),
    (F.Quasi(variance="constant"), REAL, REAL, 0.0, ()),
])
def test_domains_variance_power_and_boundary(family, domain, mean, power, boundary):
    assert family.response_domain == domain
    assert family.mean_range == mean
    assert family.variance_power == power
    assert family.mean_boundary == boundary
    if power is not None:  # V(mu) = mu^p
        mu = np.array([0.3, 1.0, 2.5])
        np.testing.assert_allclose(family.variance(mu), mu ** power, rtol=1e-15)


@pytest.mark.parametrize("family,canonical", [
    (F.Gaussian(), True), (F.Gaussian(link="log"), False), (F.Binomial(), True), (F.Binomial(link="probit"), False),
    (F.Poisson(), True), (F.Poisson(link="sqrt"), False), (F.Gamma(), True), (F.Gamma(link=L.Power(-1.0)), True),
    (F.Gamma(link="log"), False), (F.InverseGaussian(), True), (F.Tweedie(1.5), True),
    (F.Tweedie(1.5, link="log"), False), (F.Tweedie(1.0), True), (F.NegativeBinomial(1.0), False),
    (F.QuasiPoisson(), True), (F.QuasiBinomial(), True), (F.Quasi(link="log", variance="mu"), True),
    (F.Quasi(link="logit", variance="mu(1-mu)"), True), (F.Quasi(variance="mu"), False),
])
def test_canonical_links(family, canonical):
    """Canonical: eta is a linear function of theta(mu), so d mu / d eta is a constant times V(mu) (checked
    numerically for those declared canonical: R's inverse link of the Gamma is -theta, statmod's mu^(1-p) is
    (1 - p) theta)."""
    assert family.is_canonical() is canonical
    if canonical:
        eta = np.array([-0.7, 0.2, 0.9]) if family.mean_range != POSITIVE else np.array([0.3, 0.8, 1.6])
        if isinstance(family.link, L.Power):
            eta = np.abs(eta) if family.link.power > 0 else np.abs(eta) ** np.sign(family.link.power)
        mu = family.link.inverse(eta)
        ratio = family.link.inverse_deriv(eta) / family.variance(mu)
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)


@pytest.mark.parametrize("family,convex", [
    (F.Poisson(link="log"), True), (F.Gamma(link="log"), True), (F.Tweedie(1.5, link="log"), True),
    (F.NegativeBinomial(0.5), True), (F.Binomial(link="probit"), True), (F.Binomial(link="cloglog"), True),
    (F.Binomial(link="loglog"), True), (F.Binomial(link="cauchit"), False), (F.Binomial(link="log"), False),
    (F.Poisson(link="identity"), False), (F.Gaussian(link="log"), False), (F.InverseGaussian(link="log"), False),
    (F.Quasi(link="probit", variance="mu(1-mu)"), True),
])
def test_deviance_convexity_in_eta(family, convex):
    """Declared convex or not; the declared ones checked by second differences of d(y, g^-1(eta)) on a grid."""
    assert family.deviance_convex_in_eta is convex
    if convex:
        eta = np.linspace(-3, 3, 61) if family.mean_range == OPEN_UNIT else np.linspace(-2, 2, 41)
        ys = [0.0, 0.3, 1.0] if family.mean_range == OPEN_UNIT else [0.0, 0.5, 3.0]
        second = [np.diff(family.unit_deviance(np.full_like(eta, y), family.link.inverse(eta)), 2) for y in ys]
        assert min(np.min(s) for s in second) > -1e-9


@pytest.mark.parametrize("family", [F.Gamma(link="log"), F.Tweedie(1.5, link="log"), F.NegativeBinomial(0.4)])
def test_newton_term_is_the_derivative_of_the_score_factor(family):
    """k(mu) = d/d eta [(d mu / d eta) / V(mu)], by central differences."""
    k = family.newton_term
    eta, h = np.array([-1.0, 0.2, 1.5]), 1e-6
    f = lambda e: family.link.inverse_deriv(e) / family.variance(family.link.inverse(e))  # noqa: E731
    np.testing.assert_allclose(k(family.link.inverse(eta)), (f(eta + h) - f(eta - h)) / (2 * h), rtol=1e-6)


def test_newton_term_absent_for_canonical_and_other_links():
    assert F.Poisson().newton_term is None and F.Binomial(link="probit").newton_term is None
    assert F.Gamma().newton_term is None and F.InverseGaussian(link="log").newton_term is None


def test_r_conventions_keyed_on_the_family():
    # R: summary.glm, rstudent and the F-test warnings treat only "binomial" and "poisson" as dispersion 1
    assert [f.dispersion_is_one_in_r for f in (F.Binomial(), F.Poisson(), F.QuasiPoisson(),
                                               F.NegativeBinomial(1.0), F.Gaussian())] == [True, True, False, False,
                                                                                          False]
    assert F.Tweedie(1.5).r_has_aic is False and F.Gamma().r_has_aic is True
    # drop1.glm: n log(D / n) for the gaussian family, D / phi otherwise
    assert F.Gaussian().drop1_loglik(np.array([4.0]), 8, 2.0)[0] == pytest.approx(8 * np.log(0.5))
    assert F.Gaussian().drop1_loglik(4.0, 8, 2.0, user_scale=2.0) == pytest.approx(4.0 / 2.0 - 8)
    assert F.Gamma().drop1_loglik(4.0, 8, 2.0) == pytest.approx(2.0)


def test_quasi_families_compose_instead_of_inheriting():
    qp, qb = F.QuasiPoisson(), F.QuasiBinomial()
    assert not isinstance(qp, F.Poisson) and not isinstance(qb, F.Binomial)
    assert not qp.fixed_scale and not qb.fixed_scale and not qp.integer_response
    assert np.isnan(qp.loglike(np.array([1.0]), np.array([1.0])))
    with pytest.raises(NotImplementedError):
        qp.get_distribution(np.array([1.0]))
    # Poisson's starting values (R's quasipoisson()$initialize), not quasi()'s
    np.testing.assert_allclose(qp.starting_mu(np.array([0.0, 2.0])), [0.1, 2.1])
    np.testing.assert_allclose(F.Quasi(variance="mu").starting_mu(np.array([0.0, 2.0])), [0.1, 2.0])
    assert qb.proportion_response and not F.Quasi(variance="mu(1-mu)").proportion_response
    assert repr(qp) == "QuasiPoisson()" and repr(F.QuasiBinomial(link="probit")) == "QuasiBinomial(link=Probit())"


@pytest.mark.parametrize("family,y,message", [
    (F.Poisson(), -1.0, "negative values not allowed for the poisson family"),
    (F.Quasi(variance="mu^3"), 0.0, "non-positive values not allowed for quasi(variance = 'mu^3')"),
    (F.Binomial(), 2.0, "y values must be 0 <= y <= 1 for the binomial family"),
])
def test_domain_errors_come_from_the_domain(family, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        family.check_y(np.array([0.5, y]))


def test_all_zero_tweedie_response_warns_like_poisson():
    """The mean's boundary is data (0 for Tweedie 1 <= p < 2 as for Poisson): a response all on it has no MLE."""
    import pandas as pd

    df = pd.DataFrame({"y": np.zeros(8), "x": np.arange(8.0)})
    with pytest.warns(gs.PerfectSeparationWarning, match="the response is 0 for every observation"):
        gs.glm("y ~ x", df, family=F.Tweedie(1.5, link="log")).fit()
