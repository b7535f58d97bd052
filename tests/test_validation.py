"""Bad input, made as a new user would make it, through both interfaces (issue 6, API "Errors").

Every case asserts the exception type and that the message names the argument or column and
what was expected; warnings are asserted by type (``pytest.warns``). R's behaviour is quoted
where glmstats follows it (R 4.x ``stats::glm``); nothing here compares numbers with R except
where the comment says which R call gave them.
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

N = 12


def _frame():
    rng = np.random.default_rng(6)
    x = np.linspace(-1.0, 1.0, N)
    return pd.DataFrame({
        "count": np.array([2, 3, 1, 4, 6, 5, 7, 9, 8, 12, 10, 11], dtype=float),
        "y01": np.array([0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1], dtype=float),
        "prop": rng.uniform(0.1, 0.9, N),
        "pos": rng.gamma(2.0, 1.0, N) + 0.1,
        "x": x,
        "z": rng.normal(size=N),
        "g": list("abc") * 4,
        "w": np.ones(N),
    })


def _X(df):
    return pd.DataFrame({"const": 1.0, "x": df["x"], "z": df["z"]})


def fit_both(response, family, df=None, formula_rhs="x + z", **kwargs):
    """Fit through the formula interface and the array interface; return both results."""
    df = _frame() if df is None else df
    r1 = gs.glm(f"{response} ~ {formula_rhs}", df, family=family, **kwargs).fit()
    r2 = gs.GLM(df[response], _X(df), family=family, **kwargs).fit()
    return r1, r2


def raises_both(exc, match, response, family, df=None, formula_kwargs=None, array_kwargs=None):
    df = _frame() if df is None else df
    with pytest.raises(exc, match=match):
        gs.glm(f"{response} ~ x + z", df, family=family, **(formula_kwargs or {})).fit()
    with pytest.raises(exc, match=match):
        gs.GLM(df[response], _X(df), family=family, **(array_kwargs or formula_kwargs or {})).fit()


# --------------------------------------------------------------------------- y outside the family's domain
@pytest.mark.parametrize("family,bad,match", [
    ("poisson", -1.0, r"negative values not allowed for the poisson family"),
    ("quasipoisson", -1.0, r"negative values not allowed for the quasipoisson family"),
    (gs.families.NegativeBinomial(1.0), -2.0, r"negative values not allowed for the negative binomial"),
    ("binomial", 1.5, r"0 <= y <= 1 for the binomial family"),
    ("binomial", -0.5, r"0 <= y <= 1 for the binomial family"),
    ("quasibinomial", 2.0, r"0 <= y <= 1"),
    ("Gamma", 0.0, r"non-positive values not allowed for the Gamma family"),
    ("Gamma", -3.0, r"non-positive values not allowed for the Gamma family"),
    ("inverse.gaussian", 0.0, r"positive values only allowed for the inverse.gaussian family"),
    (gs.families.Tweedie(1.5), -1.0, r"Tweedie with var_power 1.5 needs y >= 0"),
    (gs.families.Tweedie(3.0), 0.0, r"Tweedie with var_power 3 >= 2 needs y > 0"),
])
def test_y_outside_domain(family, bad, match):
    df = _frame()
    col = "y01" if family in ("binomial", "quasibinomial") else "count"
    df.loc[4, col] = bad
    raises_both(ValueError, match, col, family, df)


def test_binomial_counts_message_says_what_to_do():
    """The message of the most common mistake (counts as binomial y) says how to give trials."""
    with pytest.raises(ValueError, match=r"var_weights|two-column|cbind|successes"):
        gs.glm("count ~ x", _frame(), family="binomial").fit()


def test_binomial_proportions_without_weights_warn():
    # R: glm(prop ~ x + z, binomial) warns "non-integer #successes in a binomial glm!" and fits.
    with pytest.warns(gs.DomainWarning, match="non-integer #successes"):
        r1 = gs.glm("prop ~ x + z", _frame(), family="binomial").fit()
    with pytest.warns(gs.DomainWarning, match="non-integer #successes"):
        r2 = gs.GLM(_frame()["prop"], _X(_frame()), family="binomial").fit()
    np.testing.assert_allclose(r1.params.to_numpy(), r2.params.to_numpy(), rtol=1e-10)
    assert np.isfinite(r1.deviance)


def test_quasibinomial_proportions_do_not_warn():
    # R's quasibinomial has no such check: proportions are its use case.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs.glm("prop ~ x + z", _frame(), family="quasibinomial").fit()


def test_binomial_proportions_with_integer_trials_do_not_warn():
    df = _frame()
    df["n"] = 10.0
    df["p10"] = np.round(df["prop"] * 10) / 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs.glm("p10 ~ x", df, family="binomial", var_weights="n").fit()


def test_poisson_non_integer_counts_warn():
    # R: glm(y ~ x, poisson) with y = 0.5 fits and warns from dpois "non-integer x = 0.500000".
    df = _frame()
    df["rate"] = df["count"] / 3
    with pytest.warns(gs.DomainWarning, match="non-integer counts"):
        r1 = gs.glm("rate ~ x", df, family="poisson").fit()
    with pytest.warns(gs.DomainWarning, match="non-integer counts"):
        gs.GLM(df["rate"], _X(df)[["const", "x"]], family="poisson").fit()
    assert np.isfinite(r1.deviance) and np.isfinite(r1.aic)
    with warnings.catch_warnings():  # quasipoisson is made for that: no warning
        warnings.simplefilter("error")
        gs.glm("rate ~ x", df, family="quasipoisson").fit()


def test_string_response_for_poisson():
    with pytest.raises(ValueError, match=r"response 'g' is non-numeric"):
        gs.glm("g ~ x", _frame(), family="poisson").fit()
    with pytest.raises(ValueError, match=r"endog \(y\) must be numeric"):
        gs.GLM(_frame()["g"], _X(_frame()), family="poisson").fit()


def test_categorical_binomial_response_single_level():
    df = _frame()
    df["lab"] = "yes"
    with pytest.raises(ValueError, match=r"'lab' has a single level"):
        gs.glm("lab ~ x", df, family="binomial").fit()


def test_cbind_needs_binomial_and_non_negative_counts():
    df = _frame()
    df["f"] = 12 - df["count"]
    with pytest.raises(ValueError, match=r"cbind.*binomial"):
        gs.glm("cbind(count, f) ~ x", df, family="poisson").fit()
    with pytest.raises(ValueError, match=r"two-column.*binomial"):
        gs.GLM(df[["count", "f"]], _X(df), family="poisson").fit()
    df.loc[2, "f"] = -1
    with pytest.raises(ValueError, match=r"negative counts"):
        gs.glm("cbind(count, f) ~ x", df, family="binomial").fit()


# --------------------------------------------------------------------------- missing and non-finite values
@pytest.mark.parametrize("column", ["count", "x", "g", "w"])
def test_missing_raise_names_the_column_formula(column):
    df = _frame()
    df.loc[3, column] = None
    with pytest.raises(ValueError, match=rf"missing values in column\(s\) \['{column}'\]"):
        gs.glm("count ~ x + g", df, family="poisson", var_weights="w", missing="raise").fit()


@pytest.mark.parametrize("where", ["endog", "x", "offset", "var_weights", "freq_weights", "exposure"])
def test_missing_raise_names_the_argument_array(where):
    df = _frame()
    y, X = df["count"].to_numpy().copy(), _X(df)
    kw = {"offset": np.zeros(N), "var_weights": np.ones(N), "freq_weights": np.ones(N), "exposure": np.ones(N)}
    if where == "endog":
        y[3] = np.nan
    elif where == "x":
        X.loc[3, "x"] = np.nan
    else:
        kw[where][3] = np.nan
    with pytest.raises(ValueError, match=rf"missing values \(NaN\) in {where}"):
        gs.GLM(y, X, family="poisson", missing="raise", **kw).fit()


def test_missing_drop_reports_rows_formula():
    df = _frame()
    df.loc[[1, 5], "x"] = np.nan
    df.loc[7, "g"] = None
    res = gs.glm("count ~ x + g", df, family="poisson").fit()
    assert res.n_dropped == 3 and res.nobs == N - 3
    assert set(res.dropped_columns) == {"x", "g"}
    assert "3 observations deleted due to missingness" in str(res.summary())
    full = gs.glm("count ~ x + g", df.dropna(subset=["x", "g"]), family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), full.params.to_numpy(), rtol=1e-12)


def test_missing_drop_reports_rows_array():
    df = _frame()
    y = df["count"].to_numpy().copy()
    y[0] = np.nan
    res = gs.GLM(y, _X(df), family="poisson").fit()
    assert res.n_dropped == 1 and res.nobs == N - 1
    assert "1 observation deleted due to missingness" in str(res.summary())


def test_missing_unused_column_does_not_drop():
    df = _frame()
    df.loc[2, "pos"] = np.nan  # not in the model
    res = gs.glm("count ~ x", df, family="poisson").fit()
    assert res.n_dropped == 0 and res.nobs == N


def test_missing_option_checked():
    with pytest.raises(ValueError, match=r'missing must be "drop" or "raise"'):
        gs.glm("count ~ x", _frame(), family="poisson", missing="omit").fit()
    with pytest.raises(ValueError, match=r'missing must be "drop" or "raise"'):
        gs.GLM(_frame()["count"], _X(_frame()), family="poisson", missing=None).fit()


@pytest.mark.parametrize("missing", ["drop", "raise"])
def test_infinite_values_are_errors_not_dropped(missing):
    # R: glm() stops with "NA/NaN/Inf in 'x'"; na.omit does not drop Inf.
    df = _frame()
    df.loc[4, "x"] = np.inf
    with pytest.raises(ValueError, match=r"non-finite values in \['x'\]"):
        gs.glm("count ~ x", df, family="poisson", missing=missing).fit()
    with pytest.raises(ValueError, match=r"infinite values in column\(s\) \['x'\]"):
        gs.GLM(df["count"], _X(df), family="poisson", missing=missing).fit()
    y = df["count"].to_numpy().copy()
    y[2] = -np.inf
    with pytest.raises(ValueError, match=r"endog.*infinite"):
        gs.GLM(y, _X(_frame()), family="poisson", missing=missing).fit()


def test_log_of_negative_in_formula_drops_rows_as_r():
    # R: glm(count ~ log(z)) holds NA where z < 0 (with a warning) and na.omit drops those rows.
    df = _frame()
    with pytest.warns(RuntimeWarning, match="invalid value encountered in log"):  # numpy's, as R's "NaNs produced"
        res = gs.glm("count ~ np.log(z)", df, family="poisson").fit()
    assert res.n_dropped == int((df["z"] <= 0).sum())
    with pytest.raises(ValueError, match=r"np.log\(z\).*NaN"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gs.glm("count ~ np.log(z)", df, family="poisson", missing="raise").fit()


# --------------------------------------------------------------------------- lengths
@pytest.mark.parametrize("arg", ["offset", "exposure", "var_weights", "freq_weights"])
@pytest.mark.parametrize("length", [N - 1, N + 1])
def test_length_mismatch_keyword(arg, length):
    df = _frame()
    with pytest.raises(ValueError, match=rf"{arg} has length {length} but data has {N} rows"):
        gs.glm("count ~ x", df, family="poisson", **{arg: np.ones(length)}).fit()
    with pytest.raises(ValueError, match=rf"{arg} has length {length}, but there are {N} observations"):
        gs.GLM(df["count"], _X(df), family="poisson", **{arg: np.ones(length)}).fit()


def test_length_mismatch_y_X():
    df = _frame()
    with pytest.raises(ValueError, match=rf"endog has {N - 2} rows but exog has {N}"):
        gs.GLM(df["count"].to_numpy()[:-2], _X(df), family="poisson").fit()


def test_two_dimensional_weights():
    df = _frame()
    with pytest.raises(ValueError, match=r"var_weights must be a 1-d array .* got shape \(12, 2\)"):
        gs.GLM(df["count"], _X(df), family="poisson", var_weights=np.ones((N, 2))).fit()
    with pytest.raises(ValueError, match=r"var_weights must be a column name or a 1-d array"):
        gs.glm("count ~ x", df, family="poisson", var_weights=np.ones((N, 2))).fit()


def test_keyword_column_name_in_array_interface():
    df = _frame()
    with pytest.raises(ValueError, match=r"var_weights='w' names a column.*formula interface"):
        gs.GLM(df["count"], _X(df), family="poisson", var_weights="w").fit()


def test_unknown_keyword_column_in_formula_interface():
    with pytest.raises(ValueError, match=r"exposure='time' is not a column of data"):
        gs.glm("count ~ x", _frame(), family="poisson", exposure="time").fit()


# --------------------------------------------------------------------------- weights and exposure
@pytest.mark.parametrize("arg", ["var_weights", "freq_weights"])
def test_negative_weights(arg):
    w = np.ones(N)
    w[3] = -1.0
    raises_both(ValueError, rf"{arg} must be non-negative \(found -1\)", "count", "poisson",
                formula_kwargs={arg: w})


@pytest.mark.parametrize("arg", ["var_weights", "freq_weights"])
def test_all_zero_weights(arg):
    raises_both(ValueError, r"all weights are zero", "count", "poisson", formula_kwargs={arg: np.zeros(N)})


def test_some_zero_weights_fit_without_those_rows():
    # R: zero prior weights take no part in the fit (n.ok), the rows still get fitted values.
    df = _frame()
    w = np.ones(N)
    w[:3] = 0
    res = gs.glm("count ~ x", df, family="poisson", var_weights=w).fit()
    sub = gs.glm("count ~ x", df.iloc[3:], family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), sub.params.to_numpy(), rtol=1e-10)
    assert res.nobs == N - 3 and len(res.fittedvalues) == N


@pytest.mark.parametrize("bad", [0.0, -2.0])
def test_exposure_not_positive(bad):
    e = np.ones(N)
    e[5] = bad
    raises_both(ValueError, rf"exposure must be positive \(found {bad:g}\)", "count", "poisson",
                formula_kwargs={"exposure": e})


def test_exposure_needs_log_link():
    raises_both(ValueError, r"exposure needs the log link.*'identity'.*offset=", "count",
                gs.families.Poisson(gs.links.Identity()), formula_kwargs={"exposure": np.ones(N)})


# --------------------------------------------------------------------------- empty data, too few rows
def test_empty_data():
    df = _frame().iloc[:0]
    with pytest.raises(ValueError, match=r"data has no rows"):
        gs.glm("count ~ x", df, family="poisson").fit()
    with pytest.raises(ValueError, match=r"no observations to fit"):
        gs.GLM(np.array([]), np.empty((0, 2)), family="poisson").fit()


def test_every_row_missing():
    df = _frame()
    df["x"] = np.nan
    with pytest.raises(ValueError, match=rf"no rows left: all {N} rows have missing values \(in \['x'\]\)"):
        gs.glm("count ~ x", df, family="poisson").fit()
    with pytest.raises(ValueError, match=r"no observations to fit"):
        gs.GLM(df["count"], _X(df), family="poisson").fit()


def test_no_coefficients():
    # R fits an empty model (glm(y ~ 0)); glmstats asks for at least one column.
    with pytest.raises(ValueError, match=r"the model has no coefficients"):
        gs.glm("count ~ 0", _frame(), family="poisson").fit()
    with pytest.raises(ValueError, match=r"the model has no coefficients"):
        gs.GLM(_frame()["count"], np.empty((N, 0)), family="poisson").fit()


def test_fewer_rows_than_parameters():
    """R: glm() fits with the later columns aliased (NA); glmstats: NaN + RankDeficientWarning.

    R 4.x: glm(count ~ x + z + g, poisson, data = d[1:3, ]) gives coefficients for
    (Intercept), x, z and NA for gb, gc (a saturated fit, deviance 0)."""
    df = _frame().iloc[:3]
    with pytest.warns(gs.RankDeficientWarning, match=r"g\[T.b\], g\[T.c\]"):
        res = gs.glm("count ~ x + z + g", df, family="poisson").fit()
    assert res.rank == 3 and res.df_resid == 0
    assert res.params[["g[T.b]", "g[T.c]"]].isna().all()
    assert res.params[["Intercept", "x", "z"]].notna().all()
    assert abs(res.deviance) < 1e-8
    np.testing.assert_allclose(res.fittedvalues.to_numpy(), df["count"].to_numpy(), rtol=1e-6)
    X = np.column_stack([np.ones(3), np.random.default_rng(0).normal(size=(3, 4))])
    with pytest.warns(gs.RankDeficientWarning, match="x4, x5"):
        res = gs.GLM(df["count"], X, family="poisson").fit()
    assert res.rank == 3


def test_no_residual_df_gaussian_scale_nan_with_runtime_warning():
    df = _frame().iloc[:3]
    with pytest.warns(RuntimeWarning, match="no residual degrees of freedom"):
        res = gs.glm("pos ~ x + z", df, family="gaussian").fit()
    assert np.isnan(res.scale) and res.bse.isna().all()


# --------------------------------------------------------------------------- constant response
@pytest.mark.parametrize("family,value", [("binomial", 0.0), ("binomial", 1.0), ("poisson", 0.0),
                                          ("quasipoisson", 0.0), ("quasibinomial", 1.0)])
def test_constant_response_on_the_boundary_warns(family, value):
    """R: glm(rep(0, 20) ~ x, binomial) returns an intercept of about -25.57 (and x about 0)
    without a warning; the MLE does not exist. glmstats returns the same numbers and warns."""
    df = _frame()
    df["yc"] = value
    with pytest.warns(gs.PerfectSeparationWarning, match=r"the response is .* for every observation"):
        r1, r2 = fit_both("yc", family, df)
    for res in (r1, r2):
        b0 = res.params.iloc[0]
        assert abs(b0) > 15 and np.sign(b0) == (1 if value == 1 else -1)
        assert abs(res.deviance) < 1e-8


def test_constant_response_in_the_interior_fits():
    df = _frame()
    df["half"] = 0.5
    df["n"] = 2.0
    res = gs.glm("half ~ x", df, family="binomial", var_weights="n").fit()
    np.testing.assert_allclose(res.params.to_numpy(), [0.0, 0.0], atol=1e-10)
    df["three"] = 3.0
    res = gs.glm("three ~ x", df, family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), [np.log(3), 0.0], atol=1e-10)


# --------------------------------------------------------------------------- family and link
def test_unknown_family_name():
    raises_both(ValueError, r"unknown family 'poison'; known families: .*poisson", "count", "poison")


def test_unknown_link_name():
    with pytest.raises(ValueError, match=r"unknown link 'logitt'; known links: .*logit"):
        gs.glm("y01 ~ x", _frame(), family="binomial", link="logitt")
    with pytest.raises(ValueError, match=r"unknown link 'logitt'"):
        gs.families.Binomial(link="logitt")


@pytest.mark.parametrize("cls", [gs.families.Poisson, gs.families.Binomial, gs.families.Gamma])
def test_family_class_instead_of_instance(cls):
    df = _frame()
    msg = rf"family must be an instance, e.g. {cls.__name__}\(\), not the class {cls.__name__}"
    with pytest.raises(TypeError, match=msg):
        gs.glm("y01 ~ x", df, family=cls)
    with pytest.raises(TypeError, match=msg):
        gs.GLM(df["y01"], _X(df), family=cls)


def test_link_class_instead_of_instance():
    with pytest.raises(TypeError, match=r"link must be an instance, e.g. Log\(\), not the class Log"):
        gs.glm("count ~ x", _frame(), family="poisson", link=gs.links.Log)


@pytest.mark.parametrize("family", [1, gs.families, [gs.families.Poisson()]])
def test_family_of_wrong_type(family):
    with pytest.raises(TypeError, match=r"family must be a glmstats.families.Family instance or a family name"):
        gs.glm("count ~ x", _frame(), family=family)


def test_link_conflicting_with_family_instance():
    with pytest.raises(ValueError, match=r"conflicts with the family instance"):
        gs.glm("count ~ x", _frame(), family=gs.families.Poisson(), link="identity")


def test_link_that_leaves_the_domain_at_the_start():
    """R: glm(count ~ x, poisson(link = "logit")) stops with "cannot find valid starting values:
    please specify some"; glmstats raises FitError (a ValueError) asking for start_params."""
    with pytest.raises(gs.FitError, match=r"start_params"):
        gs.glm("count ~ x", _frame(), family="poisson", link="logit").fit()
    assert issubclass(gs.FitError, ValueError)


def test_binomial_log_link_with_start_params_fits():
    # Risk ratios: the log link can leave (0, 1); with start values inside it fits (R needs start too).
    # The MLE is on the boundary (a fitted probability at 1): every step is halved, and R 4.2 warns
    # "glm.fit: algorithm stopped at boundary value" (fit$boundary TRUE); so does glmstats.
    df = _frame()
    with pytest.warns(gs.ConvergenceWarning, match="halved to stay in the valid region"):
        res = gs.glm("y01 ~ x", df, family="binomial", link="log").fit(start_params=[np.log(0.5), 0.0])
    assert np.all(res.fittedvalues < 1) and np.isfinite(res.deviance)


# --------------------------------------------------------------------------- formula errors
@pytest.mark.parametrize("formula,match", [
    ("count ~ x + xx", r"unknown column 'xx' in formula; data columns are count, y01"),
    ("cnt ~ x", r"unknown column 'cnt' in response 'cnt'"),
    ("count ~ np.logg(x)", r"np.logg\(x\).*module 'numpy' has no attribute 'logg'"),
    ("count ~ logg(x)", r"unknown function 'logg' in term 'logg\(x\)'"),
    ("count ~ lgo(x) + z", r"unknown function 'lgo'"),
    ("count ~ x +", r"invalid formula 'count ~ x \+'"),
    ("count x", r"expected 'response ~ terms' with one '~'"),
    ("count ~ x ~ z", r"expected 'response ~ terms' with one '~'"),
    ("~ x", r"has no response"),
    ("count ~ ", r"has no right-hand side"),
    ("count ~ x | g", r"multi-part formulas"),
    ("count ~ C(x", r"invalid formula|cannot parse"),
    ("count ~ x + offset(z):x", r"offset\(\) cannot be part of an interaction"),
])
def test_formula_errors(formula, match):
    with pytest.raises(ValueError, match=match):
        gs.glm(formula, _frame(), family="poisson").fit()


def test_formula_and_data_types():
    with pytest.raises(TypeError, match=r"formula must be a string, got NoneType"):
        gs.glm(None, _frame(), family="poisson")
    with pytest.raises(TypeError, match=r"data must be a pandas DataFrame, got dict"):
        gs.glm("count ~ x", dict(_frame()), family="poisson")


def test_one_level_factor_is_an_error_as_in_r():
    # R: glm(count ~ x + g) with a one-level g stops: "contrasts can be applied only to factors
    # with 2 or more levels". formulaic silently drops the term; glmstats refuses.
    df = _frame()
    df["one"] = "k"
    for formula in ("count ~ x + one", "count ~ x + C(one)", "count ~ x * one"):
        with pytest.raises(ValueError, match=r"'(C\()?one\)?' has the single level \['k'\]"):
            gs.glm(formula, df, family="poisson").fit()


def test_factor_left_with_one_level_after_dropping_rows():
    df = _frame()
    df.loc[df["g"] != "a", "x"] = np.nan
    with pytest.raises(ValueError, match=r"single level \['a'\].*missing='drop'"):
        gs.glm("count ~ x + g", df, family="poisson").fit()


# --------------------------------------------------------------------------- array interface types
def test_non_numeric_dataframe_columns():
    df = _frame()
    X = _X(df).assign(g=df["g"], when=pd.date_range("2020-01-01", periods=N))
    with pytest.raises(ValueError, match=r"exog has non-numeric columns \['g', 'when'\]"):
        gs.GLM(df["count"], X, family="poisson")
    X = _X(df).assign(g=df["g"].astype("category"))
    with pytest.raises(ValueError, match=r"exog has non-numeric columns \['g'\]; encode them"):
        gs.GLM(df["count"], X, family="poisson")


def test_non_numeric_object_array():
    df = _frame()
    with pytest.raises(ValueError, match=r"exog must be numeric"):
        gs.GLM(df["count"], df[["x", "g"]].to_numpy(), family="poisson")


def test_complex_input_is_refused():
    df = _frame()
    with pytest.raises(ValueError, match=r"exog must be real-valued"):
        gs.GLM(df["count"], _X(df).to_numpy().astype(complex), family="poisson")
    with pytest.raises(ValueError, match=r"endog \(y\) must be real-valued"):
        gs.GLM(df["count"].to_numpy().astype(complex), _X(df), family="poisson")
    with pytest.raises(ValueError, match=r"offset must be real-valued"):
        gs.GLM(df["count"], _X(df), family="poisson", offset=np.zeros(N, dtype=complex))


def test_exog_missing_or_wrong_shape():
    df = _frame()
    with pytest.raises(ValueError, match=r"exog is required"):
        gs.GLM(df["count"], None, family="poisson")
    with pytest.raises(ValueError, match=r"exog must be 2-dimensional, got 3"):
        gs.GLM(df["count"], np.ones((N, 2, 2)), family="poisson")
    with pytest.raises(ValueError, match=r"endog must be 1-dimensional .* got shape \(12, 3\)"):
        gs.GLM(np.ones((N, 3)), _X(df), family="poisson")


def test_bool_and_nullable_columns_are_numeric():
    df = _frame()
    X = _X(df).assign(flag=df["x"] > 0, k=pd.array(np.arange(N) % 4, dtype="Int64"))
    res = gs.GLM(df["count"], X, family="poisson").fit()
    assert np.isfinite(res.params).all()


# --------------------------------------------------------------------------- fit options
@pytest.mark.parametrize("kwargs,match", [
    ({"maxiter": 0}, r"maxiter must be a positive integer"),
    ({"maxiter": 2.5}, r"maxiter must be a positive integer"),
    ({"tol": 0}, r"tol must be a positive number"),
    ({"tol": "small"}, r"tol must be a positive number"),
    ({"scale": -1.0}, r'scale must be None, "X2", "dev" or a positive number'),
    ({"scale": "pearson"}, r'scale must be None, "X2", "dev"'),
    ({"cov_type": "HC9"}, r"unknown cov_type 'HC9'"),
    ({"cov_type": "cluster"}, r'cov_type="cluster" needs cov_kwds'),
    ({"start_params": [1.0]}, r"start_params must be a 1-d array of length 3 \(one per design column\); got shape \(1,\)"),
    ({"start_params": [[1.0], [2.0], [3.0]]}, r"start_params must be a 1-d array of length 3 .*got shape \(3, 1\)"),
])
def test_fit_options(kwargs, match):
    model = gs.glm("count ~ x + z", _frame(), family="poisson")
    with pytest.raises(ValueError, match=match):
        model.fit(**kwargs)


# --------------------------------------------------------------------------- predict
@pytest.fixture(scope="module")
def formula_fit():
    return gs.glm("count ~ x + g", _frame(), family="poisson").fit()


def test_predict_missing_column(formula_fit):
    with pytest.raises(ValueError, match=r"newdata has no column 'g'"):
        formula_fit.predict(pd.DataFrame({"x": [0.1, 0.2]}))


def test_predict_unseen_level(formula_fit):
    with pytest.raises(ValueError, match=r"'g' has level\(s\) \['zz'\] not seen when fitting"):
        formula_fit.predict(pd.DataFrame({"x": [0.1, 0.2], "g": ["a", "zz"]}))


def test_predict_missing_values(formula_fit):
    with pytest.raises(ValueError, match=r"newdata has missing values in column\(s\) \['x'\]"):
        formula_fit.predict(pd.DataFrame({"x": [np.nan, 0.2], "g": ["a", "b"]}))


def test_predict_not_a_dataframe(formula_fit):
    with pytest.raises(TypeError, match=r"newdata must be a pandas DataFrame"):
        formula_fit.predict({"x": [0.1], "g": ["a"]})


def test_predict_wrong_type_of_column(formula_fit):
    with pytest.raises(ValueError, match=r"newdata"):
        formula_fit.predict(pd.DataFrame({"x": ["a", "b"], "g": ["a", "b"]}))


def test_predict_subset_of_levels_is_fine(formula_fit):
    p = formula_fit.predict(pd.DataFrame({"x": [0.1], "g": pd.Categorical(["b"])}))
    assert np.isfinite(np.asarray(p)).all()


def test_predict_array_interface_wrong_columns():
    df = _frame()
    res = gs.GLM(df["count"], _X(df), family="poisson").fit()
    with pytest.raises(ValueError, match=r"newdata has 2 columns, the model has 3"):
        res.predict(_X(df)[["const", "x"]])
    with pytest.raises(ValueError, match=r"newdata has 4 columns, the model has 3"):
        res.predict(np.ones((2, 4)))


def test_predict_needs_offset_array_for_new_rows():
    df = _frame()
    res = gs.glm("count ~ x", df, family="poisson", offset=np.log(df["pos"].to_numpy())).fit()
    with pytest.raises(ValueError, match=r"fitted with an offset array; pass offset="):
        res.predict(df.iloc[:2])
    with pytest.raises(ValueError, match=r"exposure must be positive"):
        gs.glm("count ~ x", df, family="poisson", exposure=df["pos"].to_numpy()).fit().predict(
            df.iloc[:2], exposure=[1.0, 0.0])


def test_predict_categorical_with_extra_declared_categories():
    df = pd.DataFrame({"y": np.arange(8.0), "e": pd.Categorical(list("pqpqpqpq"), categories=list("pqr"))})
    res = gs.glm("y ~ e", df, family="gaussian").fit()
    new = pd.DataFrame({"e": pd.Categorical(list("pq"), categories=list("pqr"))})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pred = res.predict(new)
    np.testing.assert_allclose(np.asarray(pred), [3.0, 4.0], rtol=1e-12)


def test_strict_mode_by_warning_filter():
    """docs/errors.md: DomainWarning as an error is the strict mode for non-integer counts."""
    df = _frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error", gs.DomainWarning)
        with pytest.raises(gs.DomainWarning, match="non-integer counts"):
            gs.glm("prop ~ x", df, family="poisson")


def test_non_numeric_weights_column():
    with pytest.raises(ValueError, match=r"var_weights column 'g' is non-numeric"):
        gs.glm("count ~ x", _frame(), family="poisson", var_weights="g")
