"""glmstats vs R's glm(): fitting, results and predictions on the reference cases.

Expected values: tests/reference/cases/<case>/expected.json, computed with R 4.2.2
(`glm(formula, family, data = d, [weights = w,] control = glm.control(epsilon = 1e-12, maxit = 100))`,
the exact call is each case's ``r_call``), continued to machine precision -- see
tests/reference/README.md and PROVENANCE.md; scripts: tests/reference/generate_public.R,
refgen_lib.R, postprocess.py.

Every case of kind "glm" (15) is fitted twice:
* array interface: ``gs.GLM(y, X, family, var_weights=prior_weights, offset=offset)`` on R's
  model matrix X.csv (params indexed by R's column names);
* formula interface: ``gs.glm(formula_py, data=data.csv, family, **formula_py_kwargs)``, compared
  with R by position (postprocess.py checked that formulaic builds R's model matrix column by
  column, in R's order).

Both are fitted with ``fit(tol=1e-15, maxiter=200)``, the fully converged reference point.
Tolerance: rtol = 1e-6 throughout (README: the reference is the converged MLE; a converged
fit agrees with it far better than that).
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
GLM_CASES = H.GLM_CASES
RTOL = 1e-6
INTERFACES = ["array", "formula"]


def test_all_glm_cases_present():
    assert len(GLM_CASES) == 15, GLM_CASES


# Dobson's trial (?glm) has equal treatment totals, so the treatment coefficients, their
# z values and the covariances between the outcome and treatment estimates are exactly 0
# in exact arithmetic; R's stored values (|x| <= 1.4e-15, vcov entries ~1e-18) are rounding
# noise, so for those a relative tolerance is meaningless.  The absolute tolerances below are
# many orders of magnitude smaller than every non-zero value of the same quantity
# (|coef| >= 0.29, |z| >= 1.5, variances >= 0.029, covariances >= 0.02).
ATOL_THEORETICAL_ZERO = {
    ("dobson_poisson", "params"): 1e-10,
    ("dobson_poisson", "tvalues"): 1e-9,
    ("dobson_poisson", "cov_params"): 1e-13,
}


def _atol(case, quantity):
    return ATOL_THEORETICAL_ZERO.get((case, quantity), 0.0)


# --------------------------------------------------------------------------- quantities
# name -> (function(res) -> got, function(case object) -> expected)
def _coef_vec(key):
    return lambda c: c.vec(key).to_numpy()


def _obs_vec(*keys):
    def get(c):
        v = c.ex
        for k in keys:
            v = v[k]
        return refcase.vec(v)
    return get


def _scalar(key):
    return lambda c: refcase.num(c.ex[key])


def _wald_ci(c):
    key = "wald_t" if c.ex["dispersion_estimated"] else "wald_z"
    return refcase.mat(c.ex["confint"][key]).to_numpy()


QUANTITIES = {
    "params": (lambda r: r.params, _coef_vec("coefficients")),
    "bse": (lambda r: r.bse, _coef_vec("se")),
    "tvalues": (lambda r: r.tvalues, _coef_vec("statistic")),
    "pvalues": (lambda r: r.pvalues, _coef_vec("pvalues")),
    "scale": (lambda r: r.scale, _scalar("dispersion")),
    "deviance": (lambda r: r.deviance, _scalar("deviance")),
    "null_deviance": (lambda r: r.null_deviance, _scalar("null_deviance")),
    "pearson_chi2": (lambda r: r.pearson_chi2, _scalar("pearson_chi2")),
    "df_resid": (lambda r: r.df_resid, _scalar("df_residual")),
    "df_model": (lambda r: r.df_model, _scalar("df_model")),
    "nobs": (lambda r: r.nobs, _scalar("nobs")),
    "rank": (lambda r: r.rank, _scalar("rank")),
    "llf": (lambda r: r.llf, _scalar("logLik")),
    "aic": (lambda r: r.aic, _scalar("aic")),
    "bic": (lambda r: r.bic, _scalar("bic")),
    "llnull": (lambda r: r.llnull, _scalar("llnull")),
    "fittedvalues": (lambda r: r.fittedvalues, _obs_vec("fitted_values")),
    "linear_predictor": (lambda r: r.linear_predictor, _obs_vec("linear_predictors")),
    "resid_response": (lambda r: r.resid_response, _obs_vec("residuals", "response")),
    "resid_pearson": (lambda r: r.resid_pearson, _obs_vec("residuals", "pearson")),
    "resid_deviance": (lambda r: r.resid_deviance, _obs_vec("residuals", "deviance")),
    "resid_working": (lambda r: r.resid_working, _obs_vec("residuals", "working")),
    "cov_params": (lambda r: r.cov_params(), lambda c: c.mat("vcov").to_numpy()),
    "conf_int": (lambda r: r.conf_int(), _wald_ci),
    # predict() without new data: the fitted means (R: predict(m, type = "response")).
    "predict_insample": (lambda r: r.predict(), _obs_vec("fitted_values")),
}
# Quantities with no reference-distribution / likelihood meaning for some families are listed
# in the case's ``not_compared`` (tweedie: llf, aic, bic, llnull); those are skipped.


def _skip_not_compared(c, quantity):
    nc = c.ex.get("not_compared") or {}
    if quantity in nc:
        pytest.skip(f"{c.name}: {quantity} not compared: {nc[quantity]}")


@pytest.mark.parametrize("quantity", list(QUANTITIES))
@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", GLM_CASES)
def test_quantity(case, interface, quantity):
    c = H.load(case)
    _skip_not_compared(c, quantity)
    res = H.fitted(case, interface)
    get, want = QUANTITIES[quantity]
    H.assert_close(get(res), want(c), rtol=RTOL, atol=_atol(case, quantity),
                   err_msg=f"{case} [{interface}] {quantity}")


@pytest.mark.parametrize("case", GLM_CASES)
def test_array_interface_labels(case):
    """Array interface: coefficient-level output is indexed by X.csv's (R's) column names."""
    c = H.load(case)
    res = H.fitted(case, "array")
    names = list(c.X.columns)
    for attr in ("params", "bse", "tvalues", "pvalues"):
        assert list(getattr(res, attr).index) == names, attr
    cov = res.cov_params()
    assert list(cov.index) == names and list(cov.columns) == names
    ci = res.conf_int()
    assert list(ci.index) == names
    assert list(ci.columns) == ["lower", "upper"]
    # R's NA for aliased coefficients (none in this suite, but keep the mapping explicit)
    aliased = pd.Series(c.ex["aliased"], dtype=bool)
    assert list(res.aliased.index) == names
    assert (res.aliased.to_numpy() == aliased[names].to_numpy()).all()


@pytest.mark.parametrize("case", GLM_CASES)
def test_formula_interface_labels(case):
    """Formula interface: params are labelled with formulaic's names (README: formulaic_columns)."""
    c = H.load(case)
    res = H.fitted(case, "formula")
    assert list(res.params.index) == list(c.ex["formulaic_columns"])


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", GLM_CASES)
def test_conf_int_normal_under_use_t_false(case, interface):
    """fit(use_t=False): Wald intervals with normal quantiles = R's confint.default."""
    c = H.load(case)
    res = H.fitted(case, interface, use_t=False)
    H.assert_close(res.conf_int(), refcase.mat(c.ex["confint"]["wald_z"]).to_numpy(), rtol=RTOL,
                   err_msg=f"{case} [{interface}] conf_int(use_t=False) vs confint.default")


# --------------------------------------------------------------------------- predict
def _predict_inputs(c):
    X_new = c.file("X_new")
    off = c.ex["predict"]["offset_new"]
    return X_new, (None if off is None else np.asarray(off, dtype=float))


@pytest.mark.parametrize("which,key", [("mean", "response_fit"), ("linear", "link_fit")])
@pytest.mark.parametrize("case", GLM_CASES)
def test_predict_array(case, which, key):
    """R: predict(m, newdata, type = "response" / "link") on X_new.csv (+ the new offset)."""
    c = H.load(case)
    res = H.fitted(case, "array")
    X_new, off = _predict_inputs(c)
    kw = {} if off is None else {"offset": off}
    got = res.predict(X_new, **kw) if which == "mean" else res.predict(X_new, which="linear", **kw)
    H.assert_close(got, refcase.vec(c.ex["predict"][key]), rtol=RTOL, err_msg=f"{case} predict {which}")


@pytest.mark.parametrize("which,key", [("mean", "response_fit"), ("linear", "link_fit")])
@pytest.mark.parametrize("case", GLM_CASES)
def test_predict_formula(case, which, key):
    """Formula interface: predict(newdata.csv); offset(...) terms are evaluated on newdata."""
    c = H.load(case)
    res = H.fitted(case, "formula")
    newdata = c.file("newdata")
    got = res.predict(newdata) if which == "mean" else res.predict(newdata, which="linear")
    H.assert_close(got, refcase.vec(c.ex["predict"][key]), rtol=RTOL, err_msg=f"{case} predict {which}")


# --------------------------------------------------------------------------- iterations
@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", GLM_CASES)
def test_iterations_as_r(case, interface):
    """fit(tol=1e-12, maxiter=100) counts R's iterations (glm.control(epsilon = 1e-12, maxit = 100),
    R's starting values and convergence rule) and converges without warnings."""
    c = H.load(case)
    model = H.array_model(case) if interface == "array" else H.formula_model(case)
    with warnings.catch_warnings():
        warnings.simplefilter("error", gs.ConvergenceWarning)
        res = model.fit(**H.fit_kwargs(c.ex, **H.STANDARD))
    assert res.converged is True or res.converged == np.True_
    assert res.n_iter == c.ex["iterations"], f"{case} [{interface}]: n_iter {res.n_iter} != R's {c.ex['iterations']}"


_WARNING_TYPES = {"separation": "PerfectSeparationWarning", "rank_deficient": "RankDeficientWarning"}


@pytest.mark.parametrize("case", GLM_CASES)
def test_expected_warnings(case):
    """The standard fit warns exactly when R's does (``expect_warning``; r_warnings lists R's)."""
    c = H.load(case)
    kind = c.ex["expect_warning"]
    gs_warnings = (gs.ConvergenceWarning, gs.PerfectSeparationWarning, gs.RankDeficientWarning)
    if kind is None:
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            H.array_model(case).fit(**H.fit_kwargs(c.ex, **H.STANDARD))
        got = [w for w in rec if issubclass(w.category, gs_warnings)]
        assert not got, [str(w.message) for w in got]
    else:
        with pytest.warns(getattr(gs, _WARNING_TYPES[kind])):
            H.array_model(case).fit(**H.fit_kwargs(c.ex, **H.STANDARD))


# --------------------------------------------------------------------------- exposure
EXPOSURE_CASES = [n for n in GLM_CASES if H.load(n).ex.get("exposure_column")]
EXPOSURE_QUANTITIES = ["params", "bse", "tvalues", "pvalues", "deviance", "null_deviance", "llf", "aic",
                       "llnull", "fittedvalues", "linear_predictor", "resid_deviance", "cov_params"]


def test_exposure_case_present():
    assert EXPOSURE_CASES == ["insurance_poisson_offset"]


@pytest.mark.parametrize("quantity", EXPOSURE_QUANTITIES)
@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", EXPOSURE_CASES)
def test_exposure_equals_log_offset(case, interface, quantity):
    """exposure=Holders is R's offset(log(Holders)) (formula: the offset term removed)."""
    c = H.load(case)
    res = H.fitted(case, interface, exposure=True)
    get, want = QUANTITIES[quantity]
    H.assert_close(get(res), want(c), rtol=RTOL, err_msg=f"{case} [{interface}, exposure] {quantity}")


@pytest.mark.parametrize("which,key", [("mean", "response_fit"), ("linear", "link_fit")])
@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", EXPOSURE_CASES)
def test_exposure_predict(case, interface, which, key):
    c = H.load(case)
    res = H.fitted(case, interface, exposure=True)
    exposure_new = np.asarray(c.ex["predict"]["exposure_new"], dtype=float)
    newdata = c.file("X_new") if interface == "array" else c.file("newdata")
    if interface == "formula":
        np.testing.assert_array_equal(newdata[c.ex["exposure_column"]].to_numpy(dtype=float), exposure_new)
    got = res.predict(newdata, which=which, exposure=exposure_new)
    H.assert_close(got, refcase.vec(c.ex["predict"][key]), rtol=RTOL, err_msg=f"{case} [{interface}] predict exposure")


# --------------------------------------------------------------------------- cbind as a 2-d endog
CBIND_CASES = [n for n in GLM_CASES if "successes" in H.load(n).file("y").columns]


def test_cbind_case_present():
    assert CBIND_CASES == ["esoph_binomial_cbind"]


@pytest.mark.parametrize("case", CBIND_CASES)
def test_binomial_two_column_endog(case):
    """API: Binomial y may be 2-d (successes, failures) -- R's cbind(s, f) response."""
    c = H.load(case)
    y = c.file("y")
    endog = np.column_stack([y["successes"].to_numpy(float), y["failures"].to_numpy(float)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        res = gs.GLM(endog, c.X, family=H.make_family(c.ex)).fit(**H.TIGHT)
    for q in ["params", "bse", "deviance", "null_deviance", "pearson_chi2", "llf", "aic", "fittedvalues",
              "resid_deviance", "resid_pearson", "nobs", "df_resid"]:
        get, want = QUANTITIES[q]
        H.assert_close(get(res), want(c), rtol=RTOL, err_msg=f"{case} 2-d endog {q}")


# --------------------------------------------------------------------------- missing values
NA_CASES = [n for n in GLM_CASES if H.load(n).ex["n_dropped"] > 0]


def test_na_case_present():
    assert NA_CASES == ["airquality_gaussian_na"]


@pytest.mark.parametrize("case", NA_CASES)
def test_formula_missing_drop(case):
    """missing="drop" is R's na.omit: 42 of 153 rows dropped, results aligned to rows_used."""
    c = H.load(case)
    res = H.fitted(case, "formula")
    data = c.data
    assert len(data) == c.ex["n_rows_data"] == 153
    assert res.n_dropped == c.ex["n_dropped"] == 42
    assert res.nobs == c.ex["nobs"] == 111
    used = data.index[np.asarray(c.ex["rows_used"]) - 1]  # rows_used is 1-based
    for attr in ("fittedvalues", "linear_predictor", "resid_response", "resid_pearson", "resid_deviance",
                 "resid_working"):
        s = getattr(res, attr)
        assert isinstance(s, pd.Series), attr
        assert s.index.equals(used), attr
    H.assert_close(res.fittedvalues.loc[used], refcase.vec(c.ex["fitted_values"]), rtol=RTOL)
    # the columns with missing values among the rows dropped (Ozone and Solar_R in airquality)
    incomplete = [col for col in data.columns if data[col].isna().any()]
    assert sorted(res.dropped_columns) == sorted(incomplete)


@pytest.mark.parametrize("case", NA_CASES)
def test_formula_missing_raise(case):
    c = H.load(case)
    data = c.data
    incomplete = [col for col in data.columns if data[col].isna().any()]
    assert incomplete  # Ozone, Solar_R
    with pytest.raises(ValueError) as excinfo:
        H.formula_model(case, missing="raise").fit()
    msg = str(excinfo.value)
    for col in incomplete:
        assert col in msg, f"missing='raise' message does not name {col!r}: {msg!r}"


@pytest.mark.parametrize("case", NA_CASES)
def test_array_missing_drop(case):
    """Array interface on the full data with NaN rows: missing="drop" gives R's na.omit fit."""
    c = H.load(case)
    data = c.data
    X_used = c.X
    cols = [col for col in X_used.columns if col != "(Intercept)"]
    X_full = pd.concat([pd.Series(1.0, index=data.index, name="(Intercept)"), data[cols]], axis=1)
    y_full = data[c.ex["formula_r"].split("~")[0].strip()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        res = gs.GLM(y_full, X_full, family=H.make_family(c.ex)).fit(**H.TIGHT)
    used = data.index[np.asarray(c.ex["rows_used"]) - 1]
    assert res.n_dropped == 42 and res.nobs == 111
    assert res.fittedvalues.index.equals(used)
    for q in ["params", "bse", "deviance", "null_deviance", "aic", "fittedvalues", "resid_deviance"]:
        get, want = QUANTITIES[q]
        H.assert_close(get(res), want(c), rtol=RTOL, err_msg=f"{case} array missing=drop {q}")
