"""Wald tests of linear restrictions (glmstats.inference.hypothesis) vs R's car::linearHypothesis.

Expected values: tests/reference/cases/<case>/expected.json, key ``linear_hypothesis``:
``car::linearHypothesis(m, hypothesis.matrix = L, rhs = rhs, test = "Chisq" / "F")`` with car 3.1-1
on R 4.2.2 (script: tests/reference/generate_public.R, refgen_lib.R; see tests/reference/README.md).
Other expectations are computed here from R's stored numbers only (``coefficients``, ``vcov``,
``vcovHC``, ``statistic``, ``pvalues``, ``confint``) or are closed-form identities.

Fits: the array interface on R's model matrix X.csv (parameter names = R's column names) and
the formula interface (formulaic names such as ``C(outcome)[T.2]``), both with
``fit(tol=1e-15, maxiter=200)``, the fully converged reference point.  Tolerance: rtol 1e-6
(the reference is the converged MLE; observed agreement is 1e-8 or better).
"""
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import glmstats as gs
from glmstats.inference.hypothesis import parse_hypothesis


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
GLM_CASES = H.GLM_CASES
RTOL = 1e-6
# Dobson's trial (?glm) has equal treatment totals: the treatment coefficients and their z values
# are exactly 0 in exact arithmetic, and R's stored values (|x| <= 1.4e-15) are rounding noise,
# for which a relative tolerance is meaningless.  These absolute tolerances are many orders of
# magnitude below every non-zero value of the same quantity (|coef| >= 0.29, |z| >= 1.5).
ATOL_ZERO = {"dobson_poisson": 1e-9}


def _atol(case):
    return ATOL_ZERO.get(case, 0.0)


def _lh(case):
    c = H.load(case)
    lh = c.ex["linear_hypothesis"]
    return c, lh, refcase.mat(lh["L"]), np.asarray(lh["rhs"], dtype=float)


def _string_from_matrix(L, rhs, names):
    """The hypothesis written out as a string over ``names`` (one restriction per row of L)."""
    parts = []
    for row, q in zip(L, rhs):
        terms = [f"{float(a)!r}*{names[j]}" for j, a in enumerate(row) if a != 0]
        parts.append(" + ".join(terms) + f" = {float(q)!r}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- vs car::linearHypothesis
@pytest.mark.parametrize("case", GLM_CASES)
def test_wald_chisq_matrix_form(case):
    """use_t=False: R's test = "Chisq"."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "array", use_t=False)
    assert list(L.columns) == list(res.params.index)
    w = res.wald_test((L.to_numpy(), rhs))
    want = lh["chisq"]
    assert w.distribution == "chi2" and w.df_denom is None
    assert w.df == want["df"]
    H.assert_close(w.statistic, want["statistic"], rtol=RTOL, err_msg=f"{case} chisq")
    H.assert_close(w.pvalue, want["pvalue"], rtol=RTOL, err_msg=f"{case} chisq p")


@pytest.mark.parametrize("case", GLM_CASES)
def test_wald_F_matrix_form(case):
    """use_t=True: R's test = "F" (F = W / J on (J, df.residual))."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "array", use_t=True)
    w = res.wald_test((L.to_numpy(), rhs))
    want = lh["F"]
    assert w.distribution == "F"
    assert w.df == want["df"] and w.df_denom == want["df_denom"]
    H.assert_close(w.statistic, want["statistic"], rtol=RTOL, err_msg=f"{case} F")
    H.assert_close(w.pvalue, want["pvalue"], rtol=RTOL, err_msg=f"{case} F p")


@pytest.mark.parametrize("use_t,key", [(False, "chisq"), (True, "F")])
@pytest.mark.parametrize("case", GLM_CASES)
def test_wald_string_form_r_names(case, use_t, key):
    """The hypothesis as R wrote it (``linear_hypothesis.text``, R's names = X.csv columns)."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "array", use_t=use_t)
    w = res.wald_test(", ".join(lh["text"]))
    H.assert_close(w.statistic, lh[key]["statistic"], rtol=RTOL, err_msg=f"{case} string {key}")
    H.assert_close(w.pvalue, lh[key]["pvalue"], rtol=RTOL, err_msg=f"{case} string {key} p")
    # the list form is the same hypothesis
    w2 = res.wald_test(list(lh["text"]))
    assert w2.statistic == pytest.approx(w.statistic, rel=1e-12)


@pytest.mark.parametrize("use_t,key", [(False, "chisq"), (True, "F")])
@pytest.mark.parametrize("case", GLM_CASES)
def test_wald_string_form_formulaic_names(case, use_t, key):
    """Formula interface: the same restrictions written with formulaic names (C(outcome)[T.2],
    wool[T.B]:tension[T.L], np.log(u), Intercept); columns correspond to R's by position
    (postprocess.py checked it)."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "formula", use_t=use_t)
    names = list(res.params.index)
    assert names == c.ex["formulaic_columns"]
    text = _string_from_matrix(L.to_numpy(), rhs, names)
    w = res.wald_test(text)
    H.assert_close(w.statistic, lh[key]["statistic"], rtol=RTOL, err_msg=f"{case} {text}")
    H.assert_close(w.pvalue, lh[key]["pvalue"], rtol=RTOL, err_msg=f"{case} {text} p")


@pytest.mark.parametrize("case", GLM_CASES)
def test_wald_default_follows_use_t(case):
    """Default: F when the dispersion is estimated, chi2 when it is fixed (car's default for glm
    is chi2; the API ties the choice to use_t as R's summary.glm does); use_f overrides."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "array")
    w = res.wald_test((L.to_numpy(), rhs))
    want_key = "F" if c.ex["dispersion_estimated"] else "chisq"
    assert w.distribution == ("F" if want_key == "F" else "chi2")
    H.assert_close(w.statistic, lh[want_key]["statistic"], rtol=RTOL)
    forced = res.wald_test((L.to_numpy(), rhs), use_f=want_key != "F")
    other = "chisq" if want_key == "F" else "F"
    H.assert_close(forced.statistic, lh[other]["statistic"], rtol=RTOL)
    H.assert_close(forced.pvalue, lh[other]["pvalue"], rtol=RTOL)


ROBUST_CASES = ["mtcars_gaussian_cluster", "dobson_poisson", "warpbreaks_quasipoisson", "esoph_binomial_cbind"]


@pytest.mark.parametrize("cov_type", ["HC0", "HC3"])
@pytest.mark.parametrize("case", ROBUST_CASES)
def test_wald_uses_robust_cov(case, cov_type):
    """With a sandwich covariance: car::linearHypothesis(m, L, rhs, vcov. = vcovHC(m, type)), computed
    here from R's coefficients and R's vcovHC matrix."""
    c, lh, L, rhs = _lh(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        res = H.array_model(case).fit(**H.fit_kwargs(c.ex, **H.TIGHT), cov_type=cov_type, use_t=False)
    b = c.vec("coefficients")[L.columns].to_numpy()
    V = refcase.mat(c.ex["vcovHC"][cov_type]).loc[L.columns, L.columns].to_numpy()
    Lm = L.to_numpy()
    d = Lm @ b - rhs
    W = d @ np.linalg.solve(Lm @ V @ Lm.T, d)
    w = res.wald_test((Lm, rhs))
    H.assert_close(w.statistic, W, rtol=RTOL, err_msg=f"{case} {cov_type}")
    H.assert_close(w.pvalue, stats.chi2.sf(W, Lm.shape[0]), rtol=RTOL)


# --------------------------------------------------------------------------- closed-form identities
@pytest.mark.parametrize("case", GLM_CASES)
def test_single_coefficient_chisq_is_z_squared(case):
    """Wald chi2 of one coefficient = z^2 with R's z (summary.glm), p-value = R's p-value under z."""
    c = H.load(case)
    res = H.fitted(case, "array", use_t=False)
    z = c.vec("statistic")
    for name in res.params.index:
        w = res.wald_test(f"{name} = 0")
        H.assert_close(w.statistic, z[name] ** 2, rtol=RTOL, atol=_atol(case) ** 2, err_msg=f"{case} {name}")
        H.assert_close(w.pvalue, 2 * stats.norm.sf(abs(z[name])), rtol=RTOL, err_msg=f"{case} {name} p")


@pytest.mark.parametrize("case", [n for n in GLM_CASES if H.load(n).ex["dispersion_estimated"]])
def test_single_coefficient_F_is_t_squared(case):
    """F with J = 1 equals t^2 and has the t test's p-value (R's summary.glm Pr(>|t|))."""
    c = H.load(case)
    res = H.fitted(case, "array")
    t, p = c.vec("statistic"), c.vec("pvalues")
    for name in res.params.index:
        w = res.wald_test(f"{name} = 0")
        assert w.distribution == "F" and w.df == 1 and w.df_denom == c.ex["df_residual"]
        H.assert_close(w.statistic, t[name] ** 2, rtol=RTOL, err_msg=f"{case} {name}")
        H.assert_close(w.pvalue, p[name], rtol=RTOL, err_msg=f"{case} {name} p")


@pytest.mark.parametrize("use_t", [False, True])
@pytest.mark.parametrize("case", GLM_CASES)
def test_t_test_reproduces_coefficient_table(case, use_t):
    """t_test("x = 0") for every x gives R's estimates, SEs, z/t, p-values and Wald intervals
    (confint.default under z, coef -/+ qt * se under t)."""
    c = H.load(case)
    res = H.fitted(case, "array", use_t=use_t)
    names = list(res.params.index)
    tt = res.t_test(", ".join(f"{n} = 0" for n in names))
    frame = tt.summary_frame()
    stat_col, p_col = ("t", "P>|t|") if use_t else ("z", "P>|z|")
    assert list(frame.columns) == ["coef", "std err", stat_col, p_col, "lower", "upper"]
    atol = _atol(case)
    H.assert_close(frame["coef"], c.vec("coefficients")[names], rtol=RTOL, atol=atol)
    H.assert_close(frame["std err"], c.vec("se")[names], rtol=RTOL)
    H.assert_close(frame[stat_col], c.vec("statistic")[names], rtol=RTOL, atol=atol)
    ci = refcase.mat(c.ex["confint"]["wald_t" if use_t else "wald_z"]).loc[names]
    H.assert_close(frame["lower"], ci.iloc[:, 0], rtol=RTOL)
    H.assert_close(frame["upper"], ci.iloc[:, 1], rtol=RTOL)
    if use_t == c.ex["dispersion_estimated"]:
        H.assert_close(frame[p_col], c.vec("pvalues")[names], rtol=RTOL)
    # and the results' own coefficient table
    H.assert_close(frame[stat_col], res.tvalues, rtol=1e-12, atol=atol)
    H.assert_close(frame[p_col], res.pvalues, rtol=1e-12)
    H.assert_close(frame[["lower", "upper"]], res.conf_int(), rtol=1e-12)


@pytest.mark.parametrize("case", GLM_CASES)
def test_t_test_linear_combinations_vs_r_vcov(case):
    """Rows of L: estimate L b and se sqrt(diag(L V L')) from R's coef and vcov; statistic (Lb - q)/se.
    For a single restriction statistic^2 is car's chi2."""
    c, lh, L, rhs = _lh(case)
    res = H.fitted(case, "array", use_t=False)
    b = c.vec("coefficients")[L.columns].to_numpy()
    V = c.mat("vcov").loc[L.columns, L.columns].to_numpy()
    Lm = L.to_numpy()
    est, se = Lm @ b, np.sqrt(np.diag(Lm @ V @ Lm.T))
    tt = res.t_test((Lm, rhs))
    atol = _atol(case)
    H.assert_close(tt.estimate, est, rtol=RTOL, atol=atol)
    H.assert_close(tt.se, se, rtol=RTOL)
    H.assert_close(tt.statistic, (est - rhs) / se, rtol=RTOL, atol=atol)
    H.assert_close(tt.pvalue, 2 * stats.norm.sf(np.abs((est - rhs) / se)), rtol=RTOL)
    q = stats.norm.ppf(0.95)
    H.assert_close(tt.conf_int(alpha=0.1), np.column_stack([est - q * se, est + q * se]), rtol=RTOL, atol=atol)
    if Lm.shape[0] == 1:
        H.assert_close(tt.statistic.iloc[0] ** 2, lh["chisq"]["statistic"], rtol=RTOL)


# --------------------------------------------------------------------------- parsing
NAMES = ["(Intercept)", "x1", "x12", "C(outcome)[T.2]", "wool[T.B]", "wool[T.B]:tension[T.L]", "np.log(u)",
         "education12+ yrs"]


@pytest.mark.parametrize("text,row,q", [
    ("x1 = 0", {"x1": 1}, 0.0),
    ("x1", {"x1": 1}, 0.0),
    ("2*x1 + x12 = 1", {"x1": 2, "x12": 1}, 1.0),
    ("2 x1 = x12 - 1.5", {"x1": 2, "x12": -1}, -1.5),
    ("x12 - x1 = 0", {"x12": 1, "x1": -1}, 0.0),
    ("2*(x1 - x12) + x1/4 = 3e-1", {"x1": 2.25, "x12": -2}, 0.3),
    ("-(Intercept) + 0.5*np.log(u) = 0", {"(Intercept)": -1, "np.log(u)": 0.5}, 0.0),
    ("C(outcome)[T.2] = wool[T.B]:tension[T.L]", {"C(outcome)[T.2]": 1, "wool[T.B]:tension[T.L]": -1}, 0.0),
    ("education12+ yrs - x1 = 2", {"education12+ yrs": 1, "x1": -1}, 2.0),
    ("x1 + 1 = 3", {"x1": 1}, 2.0),
    ("x1*3 = 0", {"x1": 3}, 0.0),
])
def test_parse_single_restriction(text, row, q):
    R, qv, labels = parse_hypothesis(text, NAMES)
    want = np.zeros(len(NAMES))
    for k, v in row.items():
        want[NAMES.index(k)] = v
    np.testing.assert_allclose(R, want[None, :])
    np.testing.assert_allclose(qv, [q])
    assert len(labels) == 1


def test_parse_several_restrictions():
    R, q, labels = parse_hypothesis("x1 = 0, x12 = x1, np.log(u) = 2", NAMES)
    assert R.shape == (3, len(NAMES))
    np.testing.assert_allclose(q, [0, 0, 2])
    assert labels == ["x1 = 0", "x12 = x1", "np.log(u) = 2"]
    R2, q2, _ = parse_hypothesis(["x1 = 0", "x12 = x1, np.log(u) = 2"], NAMES)
    np.testing.assert_array_equal(R, R2)
    np.testing.assert_array_equal(q, q2)


@pytest.mark.parametrize("text,match", [
    ("x3 = 0", "unknown term 'x3'"),
    ("x1 + z = 0", "unknown term 'z'"),
    ("x1x = 0", "unknown term 'x1x'"),
    ("2x1 = 0", "unknown term '2x1'"),
    ("x1 = = 0", "more than one '='"),
    ("x1 = 0 = x12", "more than one '='"),
    ("x1 +", "ends where a term was expected"),
    ("x1 * x12 = 0", "not linear"),
    ("x1 / x12 = 0", "division"),
    ("x1 / 0 = 0", "division"),
    ("(x1 - x12 = 0", "unbalanced parentheses"),
    ("x1 - x12) = 0", "unexpected"),
    ("x1 = 0,", "empty restriction"),
    ("", "empty restriction"),
    ("3 = 1", "involves no parameter"),
    ("x1 - x1 = 0", "involves no parameter"),
    ("x1 = 0 ; x12 = 0", "unknown term ';'"),
    ("wool[T.B]:tension[T.H] = 0", "unknown term 'wool[T.B]:tension[T.H]'"),
    ("C(outcome)[T.2]:x1 = 0", "unknown term 'C(outcome)[T.2]:x1'"),
])
def test_parse_errors(text, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        parse_hypothesis(text, NAMES)


# --------------------------------------------------------------------------- inputs and errors on a fit
@pytest.fixture(scope="module")
def dobson():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return gs.glm("counts ~ C(outcome) + C(treatment)", data=gs.datasets.load("dobson"),
                      family="poisson").fit(**H.TIGHT)


def test_matrix_forms_agree(dobson):
    names = list(dobson.params.index)
    row = np.array([0, 1, -1, 0, 0.0])
    base = dobson.wald_test("C(outcome)[T.2] - C(outcome)[T.3] = 0")
    for hyp in [(row,), row, (row, 0.0), (row[None, :], [0.0]), row.tolist(),
                (pd.DataFrame([[1.0, -1.0]], columns=["C(outcome)[T.2]", "C(outcome)[T.3]"]), 0)]:
        w = dobson.wald_test(hyp)
        assert w.statistic == pytest.approx(base.statistic, rel=1e-12)
        assert w.df == 1
    assert dobson.wald_test((row, 0.0)).restrictions == ["C(outcome)[T.2] - C(outcome)[T.3] = 0"]
    assert len(names) == 5


@pytest.mark.parametrize("hyp,match", [
    ((np.ones(4), 0), "R must have 5 columns"),
    ((np.eye(5)[:2], [0, 0, 0]), "q must have one value per row"),
    ((np.vstack([np.eye(5)[1], 2 * np.eye(5)[1]]), [0, 0]), "linearly dependent"),
    ((np.zeros(5), 0), "linearly dependent"),
    ((pd.DataFrame([[1.0]], columns=["outcome2"]), 0), "unknown parameter name"),
    ("treatment2 = 0", "unknown term 'treatment2'"),
    ((np.eye(5)[1], np.nan), "finite"),
])
def test_bad_hypotheses(dobson, hyp, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        dobson.wald_test(hyp)
    if "dependent" not in match:
        with pytest.raises(ValueError, match=re.escape(match)):
            dobson.t_test(hyp)


def test_aliased_coefficient_is_an_error():
    """A rank-deficient fit: the aliased coefficient is NA in R and cannot be tested."""
    df = gs.datasets.load("dobson")
    X = pd.get_dummies(df[["outcome", "treatment"]].astype(str), drop_first=True, dtype=float)
    X.insert(0, "const", 1.0)
    X["dup"] = X["outcome_2"] + X["outcome_3"]  # aliased: R's pivoting drops the later column
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.GLM(df["counts"], X, family="poisson").fit()
    assert bool(res.aliased["dup"])
    with pytest.raises(ValueError, match="aliased coefficient.*dup"):
        res.wald_test("dup = 0")
    with pytest.raises(ValueError, match="aliased coefficient.*dup"):
        res.t_test((np.eye(X.shape[1])[-1], 0))
    # restrictions on the estimable coefficients work and ignore the aliased column
    full = gs.GLM(df["counts"], X.drop(columns="dup"), family="poisson").fit()
    a = res.wald_test("outcome_2 = outcome_3, treatment_2 = 0")
    b = full.wald_test("outcome_2 = outcome_3, treatment_2 = 0")
    assert a.statistic == pytest.approx(b.statistic, rel=1e-10)


def test_rendering(dobson):
    w = dobson.wald_test("C(outcome)[T.2] = 0, C(outcome)[T.3] = 0")
    s = str(w)
    assert "chi2(2)" in s and "C(outcome)[T.2] = 0" in s and "p-value" in s
    frame = w.summary_frame()
    assert list(frame.columns) == ["statistic", "df", "df_denom", "pvalue", "distribution"]
    assert frame["statistic"].iloc[0] == w.statistic and frame["distribution"].iloc[0] == "chi2"
    wf = dobson.wald_test("C(outcome)[T.2] = 0, C(outcome)[T.3] = 0", use_f=True)
    assert "F(2, 4)" in str(wf) and wf.df_denom == 4.0
    assert "F" in repr(wf)
    tt = dobson.t_test("C(outcome)[T.2] = 0, C(outcome)[T.2] - C(outcome)[T.3] = 0")
    s = str(tt)
    assert "C(outcome)[T.2] - C(outcome)[T.3] = 0" in s and "P>|z|" in s and "normal" in s
    assert list(tt.summary_frame().index) == ["C(outcome)[T.2] = 0", "C(outcome)[T.2] - C(outcome)[T.3] = 0"]
    with pytest.raises(ValueError, match="alpha"):
        tt.conf_int(alpha=1.5)
