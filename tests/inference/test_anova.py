"""Analysis of deviance vs R: ``res.anova()``, ``gs.anova(m1, m2)`` and ``res.drop1()``.

Expected values: tests/reference/cases/<case>/expected.json (R 4.2.2; scripts
tests/reference/generate_public.R and refgen_lib.R; see tests/reference/README.md):

* ``anova_sequential.chisq`` / ``.F``: ``anova(m, test = "Chisq")`` / ``anova(m, test = "F")``;
* ``drop1.chisq`` / ``.F``: ``drop1(m, test = "Chisq")`` / ``drop1(m, test = "F")``;
* ``anova_models.chisq`` / ``.F`` / ``.rao``: ``anova(m_small, m, test = "Chisq" / "F" / "Rao")``,
  m_small being ``glm(small_formula_r, ...)`` with the same family, weights and control.

The full model m is the fully converged fit (``fit(tol=1e-15, maxiter=200)``, see
tests/_glmref.py). Tables are compared by position (row names differ: R prints ``factor(race)``
where formulaic says ``C(race)``), at rtol 1e-6 with NaN where R has NA.
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs
from glmstats.inference.anova import anova


import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
GLM_CASES = H.GLM_CASES
RTOL = 1e-6
P_COLUMNS = ("Pr(>Chi)", "Pr(>F)")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return fn(*args, **kwargs)


def assert_table(got, want, err=""):
    """Same columns in R's order, same number of rows, values at RTOL (NaN where R has NA).

    Statistic columns get an absolute tolerance of 1e-9 x the table's largest residual deviance:
    a deviance difference that is 0 in exact arithmetic (Dobson's treatment term: the treatment
    totals are equal) is stored by R as rounding noise (3.6e-15, a Rao of 8.9e-16), which a
    relative comparison cannot match; 1e-9 x the deviances is far below every non-zero
    difference in the suite. p-values are compared at RTOL only.
    """
    assert list(got.columns) == list(want.columns), f"{err}: columns {list(got.columns)} != {list(want.columns)}"
    assert got.shape == want.shape, f"{err}: shape {got.shape} != {want.shape}"
    dev_cols = [c for c in ("Resid. Dev", "Deviance") if c in want.columns]
    scale = np.nanmax(np.abs(want[dev_cols].to_numpy(dtype=float)))
    for col in want.columns:
        atol = 0.0 if col in P_COLUMNS or "Df" in col else 1e-9 * scale
        H.assert_close(got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float), rtol=RTOL, atol=atol,
                       err_msg=f"{err}: column {col!r}")


def _cases(key, sub):
    return [c for c in GLM_CASES if (H.load(c).ex.get(key) or {}).get(sub) is not None]


# --- the small model of anova(m_small, m) -----------------------------------------------------
def _split_terms(rhs):
    """Top-level '+' terms of a formula's right-hand side."""
    out, depth, cur = [], 0, ""
    for ch in rhs:
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == "+" and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def small_formula_py(ex):
    """``small_formula_r`` in the case's Python spelling: each R term of the full formula maps to the
    formula_py term at the same position (``factor(race)`` -> ``C(race)``, ``offset(log(Holders))`` ->
    ``offset(np.log(Holders))``); terms the full formula only has inside ``a * b`` are spelled alike."""
    big_r = _split_terms(ex["formula_r"].split("~", 1)[1])
    big_py = _split_terms(ex["formula_py"].split("~", 1)[1])
    assert len(big_r) == len(big_py), ex["case"]
    spelling = dict(zip(big_r, big_py))
    small = _split_terms(ex["anova_models"]["small_formula_r"].split("~", 1)[1])
    lhs = ex["formula_py"].split("~", 1)[0].strip()
    return f"{lhs} ~ " + " + ".join(spelling.get(t, t) for t in small)


def small_fit(case, interface, opts):
    """m_small, fitted to the rows the full model uses (R's anova needs the same rows: for the NA case
    the data are the rows_used)."""
    c = H.load(case)
    ex = c.ex
    if interface == "formula":
        big = H.fitted(case, "formula")
        kw = dict(ex.get("formula_py_kwargs") or {})
        model = gs.glm(small_formula_py(ex), data=c.data.loc[big.model.row_index], family=H.make_family(ex), **kw)
    else:
        kw = {k: v for k, v in (("var_weights", c.var_weights), ("offset", c.offset)) if v is not None}
        model = gs.GLM(c.y, c.file("X_small"), family=H.make_family(ex), **kw)
    return H._fit(model, ex, opts)


# --- sequential ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", _cases("anova_sequential", "chisq"))
def test_anova_sequential_chisq(case):
    c = H.load(case)
    res = H.fitted(case, "formula")
    got = _quiet(res.anova, test="Chisq")
    assert_table(got, c.table(c.ex["anova_sequential"]["chisq"]), f"{case} anova Chisq")
    assert got.index[0] == "NULL"


@pytest.mark.parametrize("case", _cases("anova_sequential", "F"))
def test_anova_sequential_f(case):
    c = H.load(case)
    res = H.fitted(case, "formula")
    assert_table(_quiet(res.anova, test="F"), c.table(c.ex["anova_sequential"]["F"]), f"{case} anova F")


@pytest.mark.parametrize("case", ["dobson_poisson", "warpbreaks_quasipoisson"])
def test_anova_sequential_default_test(case):
    """R >= 4.4: F when the dispersion is estimated, Chisq when it is fixed."""
    res = H.fitted(case, "formula")
    got = _quiet(res.anova)
    want = "F" if H.load(case).ex["dispersion_estimated"] else "Pr(>Chi)"
    assert want in got.columns


# --- drop1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", _cases("drop1", "chisq"))
def test_drop1_chisq(case):
    c = H.load(case)
    res = H.fitted(case, "formula")
    assert_table(_quiet(res.drop1, test="Chisq"), c.table(c.ex["drop1"]["chisq"]), f"{case} drop1 Chisq")


@pytest.mark.parametrize("case", _cases("drop1", "F"))
def test_drop1_f(case):
    c = H.load(case)
    res = H.fitted(case, "formula")
    assert_table(_quiet(res.drop1, test="F"), c.table(c.ex["drop1"]["F"]), f"{case} drop1 F")


def test_drop1_marginality():
    """In sex * ldose only sex:ldose can be dropped (R's drop.scope); R's rows: <none>, sex:ldose."""
    res = H.fitted("budworm_binomial_prop_weights", "formula")
    assert list(_quiet(res.drop1).index) == ["<none>", "sex:ldose"]


# --- nested models -----------------------------------------------------------------------------
# R fitted m_small with the case's control (epsilon = 1e-12): its stored small_coefficients are
# that fit's, up to 3.6e-7 away from the converged MLE for non-canonical links.  The deviances do
# not notice (second order), but the Rao statistic is evaluated at m_small's fit, so for "rao" the
# small model is fitted as R did (H.STANDARD) and the tables match to ~1e-14; with a converged
# small model the statistic is within 1e-6 of R's (test_anova_models_rao_converged_small).
@pytest.mark.parametrize("interface", ["formula", "array"])
@pytest.mark.parametrize("case", GLM_CASES)
def test_small_model_is_rs(case, interface):
    am = H.load(case).ex["anova_models"]
    small = small_fit(case, interface, H.STANDARD)
    H.assert_close(small.params.to_numpy(), list(am["small_coefficients"].values()), rtol=1e-9,
                   err_msg=f"{case} small coefficients")
    H.assert_close(small.deviance, am["small_deviance"], rtol=1e-12)
    assert small.df_resid == am["small_df_residual"]


@pytest.mark.parametrize("interface", ["formula", "array"])
@pytest.mark.parametrize("test,key", [("Chisq", "chisq"), ("F", "F"), ("Rao", "rao")])
@pytest.mark.parametrize("case", GLM_CASES)
def test_anova_models(case, test, key, interface):
    c = H.load(case)
    want = c.ex["anova_models"].get(key)
    if want is None:
        pytest.skip(f"R has no anova(test = {test!r}) for {case} (fixed dispersion)")
    big = H.fitted(case, interface)
    small = small_fit(case, interface, H.STANDARD if test == "Rao" else H.TIGHT)
    got = _quiet(gs_anova, small, big, test=test)
    assert list(got.index) == ["1", "2"]
    assert_table(got, c.table(want), f"{case} anova(m_small, m, test={test!r}) [{interface}]")


@pytest.mark.parametrize("case", GLM_CASES)
def test_anova_models_rao_converged_small(case):
    """With a fully converged m_small the Rao statistic differs from R's only by R's convergence error."""
    c = H.load(case)
    want = c.table(c.ex["anova_models"]["rao"])
    got = anova(small_fit(case, "formula", H.TIGHT), H.fitted(case, "formula"), test="Rao")
    scale = np.nanmax(want["Resid. Dev"].to_numpy())
    H.assert_close(got["Rao"], want["Rao"], rtol=1e-6, atol=1e-9 * scale)


def gs_anova(*args, **kwargs):
    """The public entry point ``gs.anova`` once glmstats/__init__.py exports it (until then ``gs.anova``
    is the submodule glmstats.inference.anova), else the module function."""
    fn = getattr(gs, "anova", None)
    return (fn if callable(fn) else anova)(*args, **kwargs)


# --- closed-form checks ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["dobson_poisson", "esoph_binomial_cbind", "warpbreaks_quasipoisson"])
def test_nested_lr_statistic_is_deviance_difference(case):
    big = H.fitted(case, "formula")
    small = small_fit(case, "formula", H.TIGHT)
    got = anova(small, big, test="Chisq")
    assert got["Deviance"].iloc[1] == pytest.approx(small.deviance - big.deviance, rel=1e-12, abs=1e-12)
    assert got["Df"].iloc[1] == small.df_resid - big.df_resid
    # p-value: chi2 of the deviance difference over the large model's dispersion
    from scipy import stats

    p = stats.chi2.sf((small.deviance - big.deviance) / big.scale, small.df_resid - big.df_resid)
    assert got["Pr(>Chi)"].iloc[1] == pytest.approx(p, rel=1e-12)


def test_sequential_rows_add_up():
    """The term deviances sum to null deviance - deviance; the last Resid. Dev is the model's."""
    res = H.fitted("esoph_binomial_cbind", "formula")
    t = res.anova(test=None)
    assert list(t.columns) == ["Df", "Deviance", "Resid. Df", "Resid. Dev"]
    assert t["Deviance"].iloc[1:].sum() == pytest.approx(res.null_deviance - res.deviance, rel=1e-10)
    assert t["Resid. Dev"].iloc[-1] == res.deviance
    assert t["Df"].iloc[1:].sum() == res.df_model


def test_anova_of_one_model_is_sequential():
    res = H.fitted("dobson_poisson", "formula")
    pd.testing.assert_frame_equal(gs_anova(res, test="Chisq"), res.anova(test="Chisq"))


def test_sequential_rao_matches_models_rao():
    """The last row of the sequential Rao table is the score test of the last term, which is
    anova(model without it, model, test="Rao") for a converged smaller model."""
    res = H.fitted("budworm_binomial_prop_weights", "formula")
    seq = res.anova(test="Rao")
    c = H.load("budworm_binomial_prop_weights")
    small = H._fit(gs.glm("prop ~ sex + ldose", data=c.data, family="binomial", var_weights="n"), c.ex, H.TIGHT)
    pair = anova(small, res, test="Rao")
    assert seq["Rao"].iloc[-1] == pytest.approx(pair["Rao"].iloc[1], rel=1e-8)
    assert seq["Pr(>Chi)"].iloc[-1] == pytest.approx(pair["Pr(>Chi)"].iloc[1], rel=1e-8)


def test_array_interface_columns_are_terms():
    """Array models: each column is a term, the constant column is the intercept."""
    res = H.fitted("mtcars_gaussian_cluster", "array")
    t = res.anova(test="F")
    assert list(t.index) == ["NULL"] + [n for n in res.model.exog_names if n != "(Intercept)"]
    assert (t["Df"].iloc[1:] == 1).all()
    assert t["Resid. Dev"].iloc[-1] == pytest.approx(res.deviance, rel=1e-12)
    d = res.drop1()
    assert list(d.index) == ["<none>"] + [n for n in res.model.exog_names if n != "(Intercept)"]


def test_aliased_column_adds_no_df():
    df = pd.DataFrame({"y": [1.0, 2.0, 4.0, 3.0, 6.0, 5.0, 8.0, 9.0], "x": np.arange(8.0)})
    df["x2"] = 2.0 * df["x"]
    with pytest.warns(gs.RankDeficientWarning):
        res = gs.glm("y ~ x + x2", data=df, family="gaussian").fit()
    t = res.anova(test="F")
    assert list(t["Df"].iloc[1:]) == [1.0, 0.0]
    assert np.isnan(t["F"].iloc[2]) and np.isnan(t["Pr(>F)"].iloc[2])


# --- errors ------------------------------------------------------------------------------------
def test_not_nested_is_an_error():
    c = H.load("mtcars_gaussian_cluster")
    d = c.data
    a = gs.glm("mpg ~ wt + hp", data=d).fit()
    b = gs.glm("mpg ~ wt + am + qsec", data=d).fit() if "qsec" in d.columns else gs.glm("mpg ~ wt + am", data=d).fit()
    with pytest.raises(ValueError, match="not nested"):
        anova(a, b)


def test_different_rows_are_an_error():
    c = H.load("mtcars_gaussian_cluster")
    d = c.data
    a = gs.glm("mpg ~ wt", data=d.iloc[:-2]).fit()
    b = gs.glm("mpg ~ wt + hp", data=d).fit()
    with pytest.raises(ValueError, match="same rows"):
        anova(a, b)


def test_different_response_is_an_error():
    c = H.load("mtcars_gaussian_cluster")
    d = c.data.assign(mpg2=c.data["mpg"] * 2)
    a = gs.glm("mpg2 ~ wt", data=d).fit()
    b = gs.glm("mpg ~ wt + hp", data=d).fit()
    with pytest.raises(ValueError, match="same response"):
        anova(a, b)


def test_different_family_is_an_error():
    d = H.load("dobson_poisson").data
    a = gs.glm("counts ~ C(outcome)", data=d, family="poisson").fit()
    b = gs.glm("counts ~ C(outcome) + C(treatment)", data=d, family="quasipoisson").fit()
    with pytest.raises(ValueError, match="famil"):
        anova(a, b)


def test_bad_test_name():
    res = H.fitted("dobson_poisson", "formula")
    with pytest.raises(ValueError, match="test must be"):
        res.anova(test="Wald")
    with pytest.raises(ValueError, match="test must be"):
        res.drop1(test="chi")


def test_f_with_fixed_dispersion_warns_as_r():
    res = H.fitted("dobson_poisson", "formula")
    with pytest.warns(gs.exceptions.GLMStatsWarning, match="F test"):
        res.anova(test="F")
    with pytest.warns(gs.exceptions.GLMStatsWarning, match="quasipoisson"):
        res.drop1(test="F")


def test_not_a_result_is_a_type_error():
    res = H.fitted("dobson_poisson", "formula")
    with pytest.raises(TypeError, match="not a fitted GLM"):
        anova(res, "counts ~ 1")


def test_drop1_rao_is_scaled_models_rao():
    """drop1's Rao score for a term is anova(model without it, model, test="Rao")'s Rao over the
    dispersion (R: drop1.glm prints it scaled, anova.glm unscaled); same p-value."""
    res = H.fitted("warpbreaks_quasipoisson", "formula")
    c = H.load("warpbreaks_quasipoisson")
    small = H._fit(gs.glm("breaks ~ wool + tension", data=c.data, family="quasipoisson"), c.ex, H.TIGHT)
    pair = anova(small, res, test="Rao")
    d = res.drop1(test="Rao")
    assert list(d.columns) == ["Df", "Deviance", "scaled Rao sc.", "Pr(>Chi)"]
    assert d["scaled Rao sc."].iloc[1] == pytest.approx(pair["Rao"].iloc[1] / res.scale, rel=1e-8)
    assert d["Pr(>Chi)"].iloc[1] == pytest.approx(pair["Pr(>Chi)"].iloc[1], rel=1e-8)
    assert d["Deviance"].iloc[1] == pytest.approx(small.deviance, rel=1e-10)
