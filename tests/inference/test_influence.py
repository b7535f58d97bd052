"""Influence measures (glmstats.inference.influence.GLMInfluence) vs R.

Expected values:
* tests/reference/cases/<case>/expected.json (R 4.2.2; see tests/reference/README.md and
  PROVENANCE.md): ``hatvalues(m)``, ``cooks.distance(m)``, ``rstandard(m)`` (deviance type),
  ``rstandard(m, type = "pearson")`` (key ``rstandard_pearson``), ``rstudent(m)``, all at the
  fully converged MLE of ``r_call``.
* tests/reference_extra/influence/<case>.json, written by
  ``Rscript generate_dfbeta.R`` in that folder (R 4.2.2, stats only): ``dfbeta(m)``,
  ``dfbetas(m)`` and ``influence(m)$sigma`` for four public cases (refitted from their
  data.csv with their r_call, checked against their X.csv) and one rank-deficient model.
* tests/reference_extra/influence/extra_<case>.json, written by
  ``Rscript generate_extra_influence.R`` there: every measure above, plus dfbeta(s) and sigma, on
  the 17 extra cases with a finite MLE of tests/reference_extra/cases (odd links, weights,
  aliasing, missing values, no intercept, step-halving), refitted to machine precision.

Fits as tests/_glmref.py: ``fit(tol=1e-15, maxiter=200)``, the fully converged reference point.
Tolerance rtol = 1e-6 (observed agreement is ~1e-9 or better except tweedie_synthetic, 2.4e-7,
whose fit itself is that close to R's).  No expected value is computed with glmstats.
"""
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glmstats as gs


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
RTOL = 1e-6
DFBETA_DIR = Path(__file__).resolve().parents[1] / "reference_extra" / "influence"
DFBETA_CASES = ["dobson_poisson", "budworm_binomial_prop_weights", "clotting_gamma_inverse",
                "warpbreaks_quasipoisson"]

# expected.json key -> GLMInfluence attribute
MEASURES = {
    "hatvalues": "hat_matrix_diag",
    "cooks_distance": "cooks_distance",
    "rstandard": "resid_standardized",
    "rstandard_pearson": "resid_standardized_pearson",
    "rstudent": "resid_studentized",
}


@pytest.mark.parametrize("key", list(MEASURES))
@pytest.mark.parametrize("case", H.GLM_CASES)
def test_measure_vs_r(case, key):
    c = H.load(case)
    infl = H.fitted(case, "array").get_influence()
    got = getattr(infl, MEASURES[key])
    H.assert_close(got, refcase.vec(c.ex[key]), rtol=RTOL, err_msg=f"{case}: {key}")


@pytest.mark.parametrize("case", ["airquality_gaussian_na", "esoph_binomial_cbind", "insurance_poisson_offset"])
def test_formula_interface_aligned(case):
    """Formula fits: same numbers, Series indexed like fittedvalues (rows used only, NA rows dropped)."""
    c = H.load(case)
    res = H.fitted(case, "formula")
    infl = res.get_influence()
    for key, attr in MEASURES.items():
        got = getattr(infl, attr)
        assert got.index.equals(res.fittedvalues.index)
        H.assert_close(got, refcase.vec(c.ex[key]), rtol=RTOL, err_msg=f"{case}: {key}")


def test_na_rows_dropped_in_index():
    c = H.load("airquality_gaussian_na")
    hat = H.fitted("airquality_gaussian_na", "formula").get_influence().hat_matrix_diag
    # rows_used is R's 1-based row numbers of data.csv
    assert list(hat.index) == [i - 1 for i in c.ex["rows_used"]]


@pytest.mark.parametrize("case", H.GLM_CASES)
def test_hat_trace_is_rank(case):
    """Closed form: the hat matrix of the weighted working regression is a projection of rank `rank`."""
    res = H.fitted(case, "array")
    np.testing.assert_allclose(res.get_influence().hat_matrix_diag.sum(), res.rank, rtol=1e-10)


def test_gaussian_identity_hat_is_ols_leverage():
    """Closed form: Gaussian identity, no weights: h = diag(X (X'X)^-1 X') computed with numpy."""
    c = H.load("mtcars_gaussian_cluster")
    X = c.X.to_numpy(dtype=float)
    h = np.einsum("ij,ji->i", X, np.linalg.solve(X.T @ X, X.T))
    got = H.fitted("mtcars_gaussian_cluster", "array").get_influence().hat_matrix_diag
    np.testing.assert_allclose(got, h, rtol=1e-10)


# ------------------------------------------------------------------ dfbeta / dfbetas (R script beside)
def _dfbeta_ref(name):
    with open(DFBETA_DIR / f"{name}.json") as f:
        return json.load(f)


def _assert_matrix(got, want, err_msg):
    # Some R entries are exact zeros in exact arithmetic (Dobson's balanced treatment columns:
    # |value| ~ 1e-17 of rounding noise), where a relative tolerance is meaningless: atol is
    # 1e-9 of the largest entry of the same column, far below every meaningful entry.
    assert got.shape == want.shape, err_msg
    for j in range(want.shape[1]):
        atol = 1e-9 * np.max(np.abs(want[:, j]))
        np.testing.assert_allclose(got[:, j], want[:, j], rtol=RTOL, atol=atol, err_msg=f"{err_msg}, column {j}")


@pytest.mark.parametrize("key", ["dfbeta", "dfbetas"])
@pytest.mark.parametrize("case", DFBETA_CASES)
def test_dfbeta_vs_r(case, key):
    ref = _dfbeta_ref(case)
    want = refcase.mat(ref[key])
    got = getattr(H.fitted(case, "array").get_influence(), key)
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(H.fitted(case, "array").fittedvalues.index)
    _assert_matrix(got.to_numpy(), want.to_numpy(), f"{case}: {key}")


@pytest.mark.parametrize("case", DFBETA_CASES)
def test_sigma_vs_r(case):
    want = refcase.vec(_dfbeta_ref(case)["sigma"])
    H.assert_close(H.fitted(case, "array").get_influence().sigma, want, rtol=RTOL, err_msg=case)


def _aliased_mtcars():
    c = H.load("mtcars_gaussian_cluster")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        with pytest.warns(gs.RankDeficientWarning):
            return gs.glm("mpg ~ wt + hp + I(2*wt) + C(cyl) + am", data=c.data,
                          family=gs.families.Gaussian()).fit(**H.TIGHT)


def test_aliased_column():
    """I(2*wt) is aliased (R: NA): influence uses the kept columns.  The fit equals the public case
    mtcars_gaussian_cluster, so R's hatvalues etc. of that case apply; dfbeta(s) from
    generate_dfbeta.R (R omits the aliased column, we give it NaN)."""
    res = _aliased_mtcars()
    infl = res.get_influence()
    c = H.load("mtcars_gaussian_cluster")
    for key, attr in MEASURES.items():
        H.assert_close(getattr(infl, attr), refcase.vec(c.ex[key]), rtol=RTOL, err_msg=key)
    ref = _dfbeta_ref("mtcars_aliased_gaussian")
    kept = ~res.aliased.to_numpy()
    for key in ("dfbeta", "dfbetas"):
        got = getattr(infl, key)
        assert got.loc[:, res.aliased].isna().all().all()
        _assert_matrix(got.to_numpy()[:, kept], refcase.mat(ref[key]).to_numpy(), key)


def test_summary_frame():
    res = H.fitted("dobson_poisson", "array")
    infl = res.get_influence()
    sf = infl.summary_frame()
    assert isinstance(sf, pd.DataFrame)
    assert sf.index.equals(res.fittedvalues.index)
    names = list(res.params.index)
    assert list(sf.columns) == [f"dfb_{n}" for n in names] + [
        "cooks_d", "standard_resid", "standard_resid_pearson", "student_resid", "hat_diag", "sigma"]
    np.testing.assert_array_equal(sf["hat_diag"], infl.hat_matrix_diag)
    np.testing.assert_array_equal(sf["student_resid"], infl.resid_studentized)
    np.testing.assert_array_equal(sf[f"dfb_{names[1]}"], infl.dfbetas[names[1]])


def test_rstudent_sigma_rule_follows_r_family_name():
    """R's rstudent.glm divides by sigma_i unless family$family is binomial or poisson: quasipoisson
    is divided (R's values in warpbreaks_quasipoisson), poisson is not (dobson_poisson)."""
    for case in ("warpbreaks_quasipoisson", "dobson_poisson"):
        H.assert_close(H.fitted(case, "array").get_influence().resid_studentized,
                       refcase.vec(H.load(case).ex["rstudent"]), rtol=RTOL, err_msg=case)


# ------------------------------------------------------------------ extra cases (odd links, weights, ...)
EXTRA_CASES_DIR = Path(__file__).resolve().parents[1] / "reference_extra" / "cases"
EXTRA_FILES = sorted(DFBETA_DIR.glob("extra_*.json"))


def extra_fit(name):
    """Fit an extra case as tests/test_reference_extra.py does (formula_py, R's start), at TIGHT."""
    ex = json.loads((EXTRA_CASES_DIR / name / "expected.json").read_text())
    data = refcase.read_csv(EXTRA_CASES_DIR / name / "data.csv")
    spec = dict(ex["family_py"])
    fam, link = spec.pop("family"), spec.pop("link", None)
    family = (gs.families.Quasi(link=link, variance=spec["variance"]) if fam == "quasi"
              else gs.families.get_family(fam, link))
    model = gs.glm(ex["formula_py"], data=data, family=family, **(ex["formula_py_kwargs"] or {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(start_params=ex["start"], **H.TIGHT)


def _not_degenerate(ref):
    # halving_binomial_log has one fitted mean at the boundary mu = 1 (working weight 5e13,
    # leverage 1 - O(1e-13)): there 1 - h is rounding noise in R as in glmstats, and so is
    # everything divided by it.  Rows whose R leverage is within 1e-8 of 1 are not compared.
    return np.asarray(refcase.vec(ref["hatvalues"])) < 1.0 - 1e-8


@pytest.mark.parametrize("path", EXTRA_FILES, ids=[p.stem[6:] for p in EXTRA_FILES])
def test_extra_case_vs_r(path):
    """rtol 1e-6, plus atol 1e-6 x the largest |value|: glmstats' tol=1e-15 fit stops within ~2e-8
    (relative) of R's polished coefficients for these linearly converging links, which moves a
    residual by ~1e-9 absolute -- visible in relative terms only on residuals near 0 (e.g.
    budworm_cauchit's 0.0012)."""
    ref = json.loads(path.read_text())
    res = extra_fit(ref["case"])
    infl = res.get_influence()
    ok = _not_degenerate(ref)
    for key, attr in list(MEASURES.items()) + [("sigma", "sigma")]:
        want = np.asarray(refcase.vec(ref[key]))
        got = getattr(infl, attr).to_numpy()
        assert got.shape == want.shape, key
        atol = 1e-6 * np.nanmax(np.abs(want[ok]))
        np.testing.assert_allclose(got[ok], want[ok], rtol=RTOL, atol=atol, equal_nan=True,
                                   err_msg=f"{ref['case']}: {key}")
    kept = ~res.aliased.to_numpy()
    for key in ("dfbeta", "dfbetas"):
        want = refcase.mat(ref[key]).to_numpy()[ok]
        got = getattr(infl, key).to_numpy()[:, kept][ok]
        for j in range(want.shape[1]):
            np.testing.assert_allclose(got[:, j], want[:, j], rtol=RTOL, atol=1e-6 * np.max(np.abs(want[:, j])),
                                       err_msg=f"{ref['case']}: {key}, column {j}")
