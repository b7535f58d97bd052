"""Property-based invariants of a GLM fit (issue 6), with hypothesis.

Each property holds for the MLE itself, so it must hold for any data set that has one; the
data are drawn from a seed (numpy's generator) so that an example is cheap and a failure is
reproducible from the seed hypothesis prints. Families: Poisson, binomial (logit and probit),
Gamma (log link). Fits use tol=1e-12 so that two fits of the same problem agree far below the
tolerances used (1e-8 relative for coefficients, looser where a comment says why).
"""
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import glmstats as gs

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAMILIES = ["poisson", "binomial", "probit", "Gamma"]
TOL = 1e-12
# Two fits of the same problem may stop one IRLS iteration apart (the criterion
# |dev - dev_old| / (|dev| + 0.1) is not invariant to doubling the deviance, say). With a
# canonical link IRLS is Newton's method and the last step is ~1e-12; with a non-canonical
# link (probit, Gamma-log) it converges linearly and the last step is ~sqrt(tol) = 1e-6.
BSE_RTOL = 1e-5
RTOL = {"poisson": 1e-8, "binomial": 1e-8, "probit": 1e-5, "Gamma": 1e-5}


def _family(name):
    return {"poisson": gs.families.Poisson(), "binomial": gs.families.Binomial(),
            "probit": gs.families.Binomial(gs.links.Probit()),
            "Gamma": gs.families.Gamma(gs.links.Log())}[name]


def make_data(seed, family, n):
    """A data frame with two numeric predictors, a three-level factor and a response of the family."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(-1, 1, size=n)
    g = rng.choice(["a", "b", "c"], size=n)
    g[:6] = ["a", "a", "b", "b", "c", "c"]  # every level present, with both outcomes (no separation)
    eta = 0.2 + 0.4 * x1 - 0.3 * x2 + np.select([g == "b", g == "c"], [0.3, -0.2], 0.0)
    if family == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
        y[:6] = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0]
    elif family in ("binomial", "probit"):
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
        y[:6] = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    else:
        y = rng.gamma(2.0, np.exp(eta) / 2.0)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "g": g})


def fit(formula, df, family, **kwargs):
    with warnings.catch_warnings():
        # rare draws can be near-separated; the invariants hold for the last iterate too
        warnings.simplefilter("ignore", gs.PerfectSeparationWarning)
        return gs.glm(formula, df, family=_family(family), **kwargs).fit(tol=TOL)


def fit_array(y, X, family, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.PerfectSeparationWarning)
        return gs.GLM(y, X, family=_family(family), **kwargs).fit(tol=TOL)


def close(a, b, rtol=1e-8, atol=1e-10, what=""):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol,
                               err_msg=what)


def same_fit(r1, r2, rtol=1e-8, attrs=("deviance", "null_deviance", "aic", "llf", "pearson_chi2", "scale")):
    # atol = rtol: a coefficient near 0 is as accurate as the others in absolute terms (they are O(1))
    close(r1.params, r2.params, rtol, rtol, what="params")
    # bse: as R's, from the working weights of the iterate before the last update, so two fits of the same
    # model that stop one iteration apart (rounding decides near tol) differ by the size of the last step
    close(r1.bse, r2.bse, BSE_RTOL, what="bse")
    for attr in attrs:
        close(getattr(r1, attr), getattr(r2, attr), rtol, what=attr)


FORMULA = "y ~ x1 + x2 + g"
seeds = st.integers(0, 2**32 - 1)
families = st.sampled_from(FAMILIES)
sizes = st.integers(30, 80)


# --------------------------------------------------------------------------- permutation
@SETTINGS
@given(seed=seeds, family=families, n=sizes, perm_seed=seeds)
def test_permuting_rows_changes_nothing(seed, family, n, perm_seed):
    df = make_data(seed, family, n)
    perm = np.random.default_rng(perm_seed).permutation(n)
    r1 = fit(FORMULA, df, family)
    r2 = fit(FORMULA, df.iloc[perm], family)
    same_fit(r1, r2, RTOL[family])
    close(r2.fittedvalues.loc[df.index], r1.fittedvalues, RTOL[family], what="fitted values follow their rows")
    assert r1.nobs == r2.nobs and r1.df_resid == r2.df_resid


# --------------------------------------------------------------------------- frequency and variance weights
@SETTINGS
@given(seed=seeds, family=families, n=sizes)
def test_duplicated_rows_equal_freq_weights_two(seed, family, n):
    df = make_data(seed, family, n)
    dup = fit(FORMULA, pd.concat([df, df], ignore_index=True), family)
    fw = fit(FORMULA, df, family, freq_weights=np.full(n, 2.0))
    same_fit(dup, fw, RTOL[family])
    assert dup.nobs == fw.nobs == 2 * n
    assert dup.df_resid == fw.df_resid


@SETTINGS
@given(seed=seeds, family=st.sampled_from(["poisson", "binomial", "Gamma"]), n=sizes)
def test_var_weights_two_differ_as_they_should(seed, family, n):
    """var_weights are R's prior weights: the same estimating equations as freq_weights=2 (same
    coefficients) but n observations, not 2n: df_resid, nobs and the estimated dispersion differ."""
    df = make_data(seed, family, n)
    one = fit(FORMULA, df, family)
    fw = fit(FORMULA, df, family, freq_weights=np.full(n, 2.0))
    vw = fit(FORMULA, df, family, var_weights=np.full(n, 2.0))
    rtol = RTOL[family]
    close(vw.params, one.params, rtol, rtol, what="constant weights do not move the MLE")
    close(vw.params, fw.params, rtol, rtol)
    assert vw.nobs == n and fw.nobs == 2 * n and vw.df_resid == one.df_resid
    close(vw.deviance, 2 * one.deviance, rtol, what="weights multiply the unit deviances")
    if family == "Gamma":
        # estimated dispersion: Pearson X2 doubles over the same df -> scale doubles, and the
        # information doubles too -> the same standard errors as the unweighted fit
        close(vw.scale, 2 * one.scale, rtol)
        close(vw.bse, one.bse, BSE_RTOL)
    else:
        # fixed dispersion: information doubles -> SEs shrink by sqrt(2), as with freq_weights
        close(vw.bse, one.bse / np.sqrt(2), BSE_RTOL)
        close(vw.bse, fw.bse, BSE_RTOL)


@SETTINGS
@given(seed=seeds, n=sizes)
def test_gaussian_var_weights_same_params_different_scale(seed, n):
    df = make_data(seed, "Gamma", n)
    one = gs.glm(FORMULA, df, family="gaussian").fit()
    vw = gs.glm(FORMULA, df, family="gaussian", var_weights=np.full(n, 2.0)).fit()
    dup = gs.glm(FORMULA, pd.concat([df, df]), family="gaussian").fit()
    close(vw.params, one.params)
    close(vw.scale, 2 * one.scale, what="dispersion estimated for unit weight: twice the data variance")
    close(vw.bse, one.bse, BSE_RTOL)
    close(dup.params, one.params)
    assert not np.isclose(dup.scale, vw.scale)


# --------------------------------------------------------------------------- linear changes of a column
@SETTINGS
@given(seed=seeds, family=families, n=sizes, log_c=st.floats(-6, 6))
def test_rescaling_a_column(seed, family, n, log_c):
    c = 10.0 ** log_c
    df = make_data(seed, family, n)
    r1 = fit(FORMULA, df, family)
    r2 = fit(FORMULA, df.assign(x1=df["x1"] * c), family)
    close(r2.params["x1"] * c, r1.params["x1"])
    close(r2.bse["x1"] * c, r1.bse["x1"], BSE_RTOL)
    others = [k for k in r1.params.index if k != "x1"]
    close(r2.params[others], r1.params[others])
    close(r2.tvalues, r1.tvalues, 1e-7)
    for attr in ("deviance", "aic", "llf"):
        close(getattr(r2, attr), getattr(r1, attr), 1e-9, what=attr)


@SETTINGS
@given(seed=seeds, family=families, n=sizes, shift=st.floats(-100, 100))
def test_adding_a_constant_changes_only_the_intercept(seed, family, n, shift):
    df = make_data(seed, family, n)
    r1 = fit(FORMULA, df, family)
    r2 = fit(FORMULA, df.assign(x2=df["x2"] + shift), family)
    slopes = [k for k in r1.params.index if k != "Intercept"]
    # a shift of 100 against |x2| <= 1 conditions X'WX by ~1e4: 1e-7 on the slopes
    close(r2.params[slopes], r1.params[slopes], 1e-7, 1e-9)
    close(r2.bse[slopes], r1.bse[slopes], BSE_RTOL)
    close(r2.params["Intercept"], r1.params["Intercept"] - shift * r1.params["x2"], 1e-7, 1e-7)
    close(r2.fittedvalues, r1.fittedvalues, 1e-8)
    for attr in ("deviance", "aic"):
        close(getattr(r2, attr), getattr(r1, attr), 1e-9, what=attr)


# --------------------------------------------------------------------------- reference level
@SETTINGS
@given(seed=seeds, family=families, n=sizes, ref=st.sampled_from(["b", "c"]))
def test_reference_level_changes_coefficients_not_the_fit(seed, family, n, ref):
    df = make_data(seed, family, n)
    r1 = fit(FORMULA, df, family)
    r2 = fit(f"y ~ x1 + x2 + C(g, Treatment('{ref}'))", df, family)
    close(r2.fittedvalues, r1.fittedvalues, 1e-8)
    for attr in ("deviance", "aic", "llf", "null_deviance"):
        close(getattr(r2, attr), getattr(r1, attr), 1e-9, what=attr)
    close(r2.params[["x1", "x2"]], r1.params[["x1", "x2"]])
    # the level effects are re-expressed against the new reference (R's relevel)
    effect = {"a": 0.0, "b": r1.params["g[T.b]"], "c": r1.params["g[T.c]"]}
    name = f"C(g, Treatment('{ref}'))"
    for lev in sorted(set("abc") - {ref}):
        close(r2.params[f"{name}[T.{lev}]"], effect[lev] - effect[ref], 1e-7, 1e-9)
    close(r2.params["Intercept"], r1.params["Intercept"] + effect[ref], 1e-7, 1e-9)


# --------------------------------------------------------------------------- interfaces
@SETTINGS
@given(seed=seeds, family=families, n=sizes)
def test_dataframe_and_values_and_formula_agree(seed, family, n):
    df = make_data(seed, family, n)
    X = pd.DataFrame({"Intercept": 1.0, "x1": df["x1"], "x2": df["x2"],
                      "g[T.b]": (df["g"] == "b").astype(float), "g[T.c]": (df["g"] == "c").astype(float)})
    rf = fit(FORMULA, df, family)
    rd = fit_array(df["y"], X, family)
    rv = fit_array(df["y"].to_numpy(), X.to_numpy(), family)
    for r in (rd, rv):
        same_fit(rf, r, 1e-10)
        close(r.fittedvalues, rf.fittedvalues, 1e-10)
        assert r.nobs == rf.nobs and r.df_resid == rf.df_resid and r.df_model == rf.df_model
    assert list(rd.params.index) == list(rf.params.index)
    assert list(rv.params.index) == [f"x{j + 1}" for j in range(5)]


# --------------------------------------------------------------------------- pickle
@settings(max_examples=8, deadline=None)
@given(seed=seeds, family=families, n=sizes)
def test_pickle_round_trip_predicts_identically(seed, family, n):
    df = make_data(seed, family, n)
    res = fit(FORMULA, df, family, offset=None)
    back = pickle.loads(pickle.dumps(res))
    new = make_data(seed + 1, family, 10)
    np.testing.assert_array_equal(np.asarray(back.predict(new)), np.asarray(res.predict(new)))
    np.testing.assert_array_equal(np.asarray(back.predict(new, which="linear")),
                                  np.asarray(res.predict(new, which="linear")))
    np.testing.assert_array_equal(back.params.to_numpy(), res.params.to_numpy())
    np.testing.assert_array_equal(back.bse.to_numpy(), res.bse.to_numpy())
    assert str(back.summary()) == str(res.summary())
    with pytest.raises(ValueError, match="not seen when fitting"):
        back.predict(new.assign(g="zz"))
