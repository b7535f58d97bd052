"""Profile-likelihood confidence intervals (``conf_int(method="profile")``, glmstats.inference.profile) vs R.

Expected values: tests/reference/cases/<case>/expected.json, key ``confint.profile`` (R 4.2.2,
MASS 7.3-58.2; see tests/reference/README.md "Profile CIs"): exact roots, found by ``uniroot`` on
fully converged constrained refits, of MASS::confint.glm's criterion
sign(b - b_hat) sqrt((D(b) - D(b_hat)) / phi) = -/+ qnorm(0.975), phi the summary.glm dispersion
(script: tests/reference/refgen_lib.R, ``profile_ci_exact``).

Also: tests/reference_extra/influence/extra_<case>.json (``Rscript generate_extra_influence.R``
there; the same ``profile_ci_exact``, R 4.2.2) for the 17 extra cases with a finite MLE (odd links,
aliasing, no intercept, step-halving; NA where R finds no root), and
profile_quasi_separation.json (``generate_profile_separation.R``).

Tolerance: rtol = 1e-6 (tighter than the issue's 1e-4, which allows for MASS's own spline
approximation; both sides here solve the same equation exactly, and agree to ~1e-10 or better).
Fits as tests/_glmref.py: ``fit(tol=1e-15, maxiter=200)``.  No expected value comes from glmstats.
"""
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
from glmstats.inference.profile import ProfileWarning


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
RTOL = 1e-6


def _want(case):
    return refcase.mat(H.load(case).ex["confint"]["profile"]).to_numpy()


@pytest.mark.parametrize("case", H.GLM_CASES)
def test_profile_vs_r(case):
    res = H.fitted(case, "array")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProfileWarning)  # every limit exists in these cases
        ci = res.conf_int(method="profile")
    assert list(ci.columns) == ["lower", "upper"]
    assert ci.index.equals(res.params.index)
    H.assert_close(ci, _want(case), rtol=RTOL, err_msg=case)


@pytest.mark.parametrize("case", ["esoph_binomial_cbind", "insurance_poisson_offset", "cabbages_gamma_log_weights"])
def test_profile_formula_interface(case):
    # compared by position: postprocess.py checked that formula_py builds R's model matrix in R's order
    ci = H.fitted(case, "formula").conf_int(method="profile")
    H.assert_close(ci, _want(case), rtol=RTOL, err_msg=case)


@pytest.mark.parametrize("case", ["airquality_gaussian_na", "anorexia_gaussian_offset", "mtcars_gaussian_cluster"])
def test_gaussian_identity_profile_is_wald_z(case):
    """Closed form: for Gaussian identity D(b) - D_hat = (b - b_hat)^2 / [(X'X)^-1]_jj exactly, so
    MASS's criterion gives b_hat -/+ z se: R's confint.default (key confint.wald_z)."""
    ci = H.fitted(case, "array").conf_int(method="profile")
    H.assert_close(ci, refcase.mat(H.load(case).ex["confint"]["wald_z"]).to_numpy(), rtol=1e-9, err_msg=case)


def test_profile_fit_with_loose_tolerance():
    """The MLE is re-polished internally, so a default-tolerance fit gives the same limits."""
    case = "birthwt_binomial_probit"  # non-canonical link: converges linearly, tol=1e-8 leaves ~1e-6 errors
    res = H.array_model(case).fit()
    H.assert_close(res.conf_int(method="profile"), _want(case), rtol=RTOL)


def test_aliased_coefficient_is_nan():
    """I(2*wt) is aliased (R: NA); the other limits are those of the same model without it, the
    public case mtcars_gaussian_cluster (R's confint.profile)."""
    c = H.load("mtcars_gaussian_cluster")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        with pytest.warns(gs.RankDeficientWarning):
            res = gs.glm("mpg ~ wt + hp + I(2*wt) + C(cyl) + am", data=c.data,
                         family=gs.families.Gaussian()).fit(**H.TIGHT)
    ci = res.conf_int(method="profile")
    alias = res.aliased.to_numpy()
    assert alias.sum() == 1 and np.isnan(ci.to_numpy()[alias]).all()
    H.assert_close(ci.to_numpy()[~alias], _want("mtcars_gaussian_cluster"), rtol=RTOL)


def _binomial_fit(y, X):
    with warnings.catch_warnings():
        # complete separation warns (PerfectSeparationWarning); quasi-separation may not, as in R
        warnings.simplefilter("ignore", gs.PerfectSeparationWarning)
        return gs.GLM(y, X, family=gs.families.Binomial()).fit()


def test_complete_separation_gives_nan_with_warning():
    """x = 1..10, y = (x > 5): the slope's MLE is +infinity, so its profile deviance keeps falling
    towards 0 and never reaches the cutoff upwards; the intercept's likewise downwards.  R's
    confint gives NA there; the other side of each interval is finite."""
    x = np.arange(1.0, 11.0)
    X = pd.DataFrame({"const": 1.0, "x": x})
    with pytest.warns(gs.PerfectSeparationWarning):
        res = gs.GLM((x > 5).astype(float), X, family=gs.families.Binomial()).fit()
    with pytest.warns(ProfileWarning, match="not found"):
        ci = res.conf_int(method="profile")
    assert np.isnan(ci.loc["x", "upper"]) and np.isfinite(ci.loc["x", "lower"]) and ci.loc["x", "lower"] > 0
    assert np.isnan(ci.loc["const", "lower"]) and np.isfinite(ci.loc["const", "upper"])
    assert ci.loc["const", "upper"] < 0


def test_quasi_separation_vs_r():
    """Quasi-separation: every g = 1 row is a success, so g's coefficient goes to +infinity: its
    upper limit is NaN (R: NA) with a ProfileWarning naming g; the other five limits are R's exact
    ones (tests/reference_extra/influence/profile_quasi_separation.json, written by
    generate_profile_separation.R beside it: profile_ci_exact of refgen_lib.R, R 4.2.2)."""
    with open(Path(__file__).resolve().parents[1] / "reference_extra" / "influence" /
              "profile_quasi_separation.json") as f:
        ref = json.load(f)
    data = ref["data"]
    X = pd.DataFrame({"(Intercept)": 1.0, "g": np.asarray(data["g"], float), "x": np.asarray(data["x"], float)})
    res = _binomial_fit(np.asarray(data["y"], float), X)
    with pytest.warns(ProfileWarning, match="'g'"):
        ci = res.conf_int(method="profile")
    want = refcase.mat(ref["profile_exact"]).to_numpy()
    assert np.isnan(want[1, 1]) and np.isnan(ci.loc["g", "upper"])
    H.assert_close(ci, want, rtol=RTOL)


def test_bad_alpha():
    res = H.fitted("dobson_poisson", "array")
    with pytest.raises(ValueError, match="alpha"):
        res.conf_int(alpha=1.5, method="profile")


EXTRA_FILES = sorted((Path(__file__).resolve().parents[1] / "reference_extra" / "influence").glob("extra_*.json"))


@pytest.mark.parametrize("path", EXTRA_FILES, ids=[p.stem[6:] for p in EXTRA_FILES])
def test_profile_extra_case_vs_r(path):
    """NaN exactly where R's exact search finds no root (halving cases: the constrained fit leaves
    the family's domain before the profile reaches the cutoff), R's limits elsewhere."""
    extra_fit = H._load_module("_glmstats_tests_influence",
                               Path(__file__).resolve().parent / "test_influence.py").extra_fit
    ref = json.loads(path.read_text())
    res = extra_fit(ref["case"])
    want = refcase.mat(ref["confint_profile"]).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProfileWarning)
        ci = res.conf_int(method="profile")
    np.testing.assert_array_equal(np.isnan(ci.to_numpy()), np.isnan(want))
    H.assert_close(ci, want, rtol=RTOL, err_msg=ref["case"])
