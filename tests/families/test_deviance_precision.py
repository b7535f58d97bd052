"""Unit deviances without cancellation, against exact arithmetic.

Near y = mu the textbook forms (Poisson's y log(y/mu) - (y - mu), Gamma's log(y/mu) - (y - mu)/mu,
the negative binomial's two logarithms) subtract nearly equal numbers; for counts near 2^53 the
Poisson form returned 46 where the exact value is 3e-9. The reference here is the same formula
evaluated with Python's ``decimal`` at 60 digits on the exact binary values of y and mu.
"""

from decimal import Decimal, getcontext

import numpy as np
import pytest

import glmstats as gs
from glmstats import families as F

getcontext().prec = 60

# near fits (|y / mu - 1| from 1e-16 to 1e-2), ordinary ones, and y far below mu (y / mu < eps)
Y = np.array([2.0**53, 2.0**53 - 7, 9e15, 1e6, 5.0, 0.0, 3.0, 1e-3, 100.0, 7.0, 40.0, 1.0, 2.0, 3.0])
MU = np.array([2.0**53 + 3, 2.0**53 - 2, 9e15 + 1e3, 1e6 + 1.5, 5.0001, 2.0, 0.5, 1e-3 * (1 + 1e-9),
               100 * (1 + 1e-12), 6.9, 20.0, 1e20, 7.0, 3.2])


def _d(x):
    return Decimal(float(x))


def _ylogy(y, mu):
    return _d(y) * (_d(y) / _d(mu)).ln() if y > 0 else Decimal(0)


def exact_poisson(y, mu):
    return 2 * (_ylogy(y, mu) - (_d(y) - _d(mu)))


def exact_gamma(y, mu):
    return -2 * ((_d(y) / _d(mu)).ln() - (_d(y) - _d(mu)) / _d(mu))


def exact_negbin(y, mu, alpha):
    k = 1 / _d(alpha)
    return 2 * (_ylogy(y, mu) - (_d(y) + k) * ((_d(y) + k) / (_d(mu) + k)).ln())


CASES = [
    (F.Poisson(), exact_poisson, Y > -1),
    (F.Gamma(), exact_gamma, Y > 0),
    (F.NegativeBinomial(alpha=0.7), lambda y, mu: exact_negbin(y, mu, 0.7), Y > -1),
    (F.NegativeBinomial(alpha=1e-4), lambda y, mu: exact_negbin(y, mu, 1e-4), Y > -1),
]


@pytest.mark.parametrize("family, exact, rows", CASES, ids=["poisson", "gamma", "negbin0.7", "negbin1e-4"])
def test_unit_deviance_matches_exact_arithmetic(family, exact, rows):
    y, mu = Y[rows], MU[rows]
    got = family.unit_deviance(y, mu)
    want = np.array([float(exact(a, b)) for a, b in zip(y, mu)])
    # 1e-12: the series and the direct forms are accurate to a few ulps; the old forms were off by
    # factors (46 against 3e-9 at 2^53)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_unit_deviance_scalar_and_broadcast():
    p = F.Poisson()
    assert np.shape(p.unit_deviance(5.0, 5.0001)) == ()
    np.testing.assert_allclose(p.unit_deviance(np.array([5.0, 6.0]), 5.0001),
                               [float(exact_poisson(5.0, 5.0001)), float(exact_poisson(6.0, 5.0001))], rtol=1e-12)


@pytest.mark.parametrize("family", ["poisson", "Gamma"])
def test_fit_deviance_near_2_53(family):
    # The deviance of a fit goes through the engine's fast kernels (log link), not unit_deviance. The
    # Poisson kernel recomputes a block whose rounding bound is not small next to its deviance: exact to
    # 1e-12. The Gamma kernel keeps its direct form, whose error is absolute (a few eps per row: its
    # deviance depends on y / mu only), and the results' unit deviances are exact.
    y = np.array([2.0**53, 2.0**53 - 8, 2.0**53 + 8, 2.0**53 - 4])
    res = gs.GLM(y, np.ones((4, 1)), family=family, link=gs.links.Log()).fit()
    mu = res.fittedvalues.to_numpy()
    exact = exact_poisson if family == "poisson" else exact_gamma
    want = float(sum(exact(a, m) for a, m in zip(y, mu)))
    if family == "poisson":
        np.testing.assert_allclose(res.deviance, want, rtol=1e-12)
    else:
        assert abs(res.deviance - want) <= 8 * np.finfo(float).eps * len(y)
    np.testing.assert_allclose(res.family.deviance(y, mu), want, rtol=1e-12)
