"""Tests of glmstats.formula.design: formula + DataFrame -> Design (the formulaic boundary).

The model-matrix checks against R use the reference cases (tests/reference/README.md):
X.csv is R 4.2.2's ``model.matrix`` of each case, ``y.csv`` holds R's ``m$y``,
prior weights and ``model.offset``, ``X_new.csv`` is R's model matrix of ``newdata.csv``
built with the training levels, and ``rows_used`` lists the rows ``na.omit`` kept.
The rest uses small inline frames whose expected values are written out by hand.
"""
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from glmstats.formula.design import Design, build_design

_HERE = Path(__file__).resolve().parents[1]
CASES = next((p for p in (_HERE / "reference" / "cases", Path("/work/shared/reference/cases"))
              if p.is_dir()), _HERE / "reference" / "cases")


def _read_csv(path):
    # Only the literal NA is missing (reference README, "CSV conventions").
    kw = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(path, keep_default_na=False, na_values=["NA"], **kw)


def _glm_cases():
    if not CASES.is_dir():
        return []
    out = []
    for d in sorted(CASES.iterdir()):
        f = d / "expected.json"
        if f.exists() and json.loads(f.read_text())["kind"] == "glm":
            out.append(d.name)
    return out


GLM_CASES = _glm_cases()


@pytest.fixture
def df():
    return pd.DataFrame({
        "y": [1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0],
        "a": ["u", "v", "w", "u", "v", "w", "u", "v"],
        "b": ["p", "q", "p", "q", "p", "q", "p", "q"],
        "x": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0],
        "n": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "w": [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0],
    })


# --- R's model.matrix on the reference cases --------------------------------------------

@pytest.mark.skipif(not GLM_CASES, reason="reference cases not found")
@pytest.mark.parametrize("case", GLM_CASES)
def test_reference_model_matrix(case):
    d = CASES / case
    ex = json.loads((d / "expected.json").read_text())
    data = _read_csv(d / ex["files"]["data"])
    X = _read_csv(d / ex["files"]["X"])
    yf = _read_csv(d / ex["files"]["y"])
    des = build_design(ex["formula_py"], data, **(ex.get("formula_py_kwargs") or {}))

    # R's model.matrix, column for column in R's order.
    assert des.X.shape == X.shape
    assert des.X.dtype == np.float64
    assert_allclose(des.X, X.to_numpy(dtype=float), rtol=0, atol=1e-12)
    assert des.column_names == ex["formulaic_columns"]
    assert des.has_intercept == ("(Intercept)" in X.columns)
    # m$y (the proportion for cbind), model.offset, prior weights.
    assert_allclose(des.y, yf["y"].to_numpy(), rtol=0, atol=1e-12)
    if "offset" in yf:
        assert_allclose(des.offset, yf["offset"].to_numpy(), rtol=1e-15, atol=1e-12)
    else:
        assert des.offset is None
    if "successes" in yf:
        assert_allclose(des.n_trials, yf["prior_weights"].to_numpy(), rtol=0, atol=0)
    else:
        assert des.n_trials is None
    if (ex.get("formula_py_kwargs") or {}).get("var_weights"):
        assert_allclose(des.var_weights, yf["prior_weights"].to_numpy(), rtol=0, atol=0)
    # na.omit: exactly R's rows.
    rows = ex.get("rows_used") or list(range(1, len(data) + 1))
    assert list(des.row_index + 1) == rows
    assert des.n_dropped == ex.get("n_dropped", 0) == len(data) - len(rows)
    # Every column belongs to exactly one term, in order.
    flat = [j for t in des.term_names for j in des.term_columns[t]]
    assert flat == list(range(des.X.shape[1]))


@pytest.mark.skipif(not GLM_CASES, reason="reference cases not found")
@pytest.mark.parametrize("case", GLM_CASES)
def test_reference_newdata(case):
    d = CASES / case
    ex = json.loads((d / "expected.json").read_text())
    if "newdata" not in ex["files"]:
        pytest.skip("no newdata")
    des = build_design(ex["formula_py"], _read_csv(d / ex["files"]["data"]),
                       **(ex.get("formula_py_kwargs") or {}))
    newdata = _read_csv(d / ex["files"]["newdata"])
    X_new, off_new = pickle.loads(pickle.dumps(des)).transform(newdata)
    assert_allclose(X_new, _read_csv(d / ex["files"]["X_new"]).to_numpy(dtype=float), rtol=0, atol=1e-12)
    if des.offset is not None:
        assert_allclose(off_new, ex["predict"]["offset_new"], rtol=1e-15, atol=1e-12)
    else:
        assert off_new is None


@pytest.mark.skipif("airquality_gaussian_na" not in GLM_CASES, reason="reference case not found")
def test_reference_airquality_na():
    d = CASES / "airquality_gaussian_na"
    ex = json.loads((d / "expected.json").read_text())
    data = _read_csv(d / "data.csv")
    des = build_design(ex["formula_py"], data)
    assert des.n_dropped == 42
    assert list(des.row_index + 1) == ex["rows_used"]
    assert des.dropped_columns == ["Ozone", "Solar_R"]
    with pytest.raises(ValueError, match="Ozone.*Solar_R|Solar_R.*Ozone"):
        build_design(ex["formula_py"], data, missing="raise")


# --- formula features --------------------------------------------------------------------

def test_numeric_and_categorical(df):
    d = build_design("y ~ x + a", df)
    assert isinstance(d, Design)
    assert d.column_names == ["Intercept", "x", "a[T.v]", "a[T.w]"]
    assert_array_equal(d.X[:, 0], 1.0)
    assert_array_equal(d.X[:, 1], df["x"])
    assert_array_equal(d.X[:, 2], (df["a"] == "v").astype(float))
    assert_array_equal(d.y, df["y"])
    assert d.response_name == "y"
    assert d.has_intercept
    assert d.term_names == ["Intercept", "x", "a"]
    assert d.term_columns == {"Intercept": [0], "x": [1], "a": [2, 3]}
    assert d.offset is None and d.n_trials is None
    assert d.var_weights is d.freq_weights is d.exposure is d.extra_offset is None
    assert d.n_dropped == 0 and d.dropped_columns == []
    assert d.row_index.equals(df.index)


@pytest.mark.parametrize("dtype", [object, "category", "string"])
def test_string_like_columns_are_categorical(df, dtype):
    df["a"] = df["a"].astype(dtype)
    assert build_design("y ~ a", df).column_names == ["Intercept", "a[T.v]", "a[T.w]"]


def test_C_with_levels_and_numeric_codes(df):
    df["g"] = [1, 2, 3, 1, 2, 3, 1, 2]
    d = build_design("y ~ C(g)", df)
    assert d.column_names == ["Intercept", "C(g)[T.2]", "C(g)[T.3]"]
    assert d.term_names == ["Intercept", "C(g)"]
    d = build_design("y ~ C(a, levels=['w', 'u', 'v'])", df)
    assert d.column_names[1:] == ["C(a, levels=['w', 'u', 'v'])[T.u]", "C(a, levels=['w', 'u', 'v'])[T.v]"]
    assert_array_equal(d.X[:, 1], (df["a"] == "u").astype(float))


def test_interactions_R_order(df):
    d = build_design("y ~ a * b", df)
    assert d.column_names == ["Intercept", "a[T.v]", "a[T.w]", "b[T.q]", "a[T.v]:b[T.q]", "a[T.w]:b[T.q]"]
    assert d.term_names == ["Intercept", "a", "b", "a:b"]
    assert d.term_columns == {"Intercept": [0], "a": [1, 2], "b": [3], "a:b": [4, 5]}
    d = build_design("y ~ a:x", df)
    # R: intercept + a:x with full dummies for a (the main effect of a is absent).
    assert d.column_names == ["Intercept", "a[u]:x", "a[v]:x", "a[w]:x"]
    assert_array_equal(d.X[:, 1], np.where(df["a"] == "u", df["x"], 0.0))


def test_transforms(df):
    d = build_design("y ~ np.log(x) + I(x**2) + log(n) + sqrt(n)", df)
    assert d.column_names == ["Intercept", "np.log(x)", "I(x ** 2)", "log(n)", "sqrt(n)"]
    assert_allclose(d.X[:, 1], np.log(df["x"]))
    assert_allclose(d.X[:, 2], df["x"] ** 2)
    assert_allclose(d.X[:, 3], np.log(df["n"]))
    assert_allclose(d.X[:, 4], np.sqrt(df["n"]))


@pytest.mark.parametrize("formula", ["y ~ a - 1", "y ~ a + 0", "y ~ 0 + a", "y ~ -1 + a"])
def test_no_intercept(df, formula):
    d = build_design(formula, df)
    assert not d.has_intercept
    # Without an intercept R (and formulaic) code the first factor with all its levels.
    assert d.column_names == ["a[u]", "a[v]", "a[w]"]
    assert d.term_names == ["a"]


def test_intercept_only(df):
    d = build_design("y ~ 1", df)
    assert d.column_names == ["Intercept"] and d.X.shape == (8, 1)
    X_new, off = d.transform(df.drop(columns="y"))
    assert_array_equal(X_new, np.ones((8, 1)))
    assert off is None


def test_dot_means_all_other_columns(df):
    d = build_design("y ~ .", df[["y", "x", "n", "w"]], var_weights="w")
    # R's `.`: every column but the response; the weight column is no predictor either.
    assert d.column_names == ["Intercept", "x", "n"]


# --- offset() terms -----------------------------------------------------------------------

@pytest.mark.parametrize("formula", [
    "y ~ x + offset(np.log(n))",
    "y ~ offset(np.log(n)) + x",
    "y ~ offset(log(n)) + x",
])
def test_offset_term(df, formula):
    d = build_design(formula, df)
    assert d.column_names == ["Intercept", "x"]
    assert d.term_names == ["Intercept", "x"]
    assert_allclose(d.offset, np.log(df["n"]), rtol=1e-15)


def test_several_offsets_add_up(df):
    d = build_design("y ~ offset(log(n)) + a + offset(x) + offset(exp(w)) + offset(sqrt(n))", df)
    assert d.column_names == ["Intercept", "a[T.v]", "a[T.w]"]
    assert d.term_columns == {"Intercept": [0], "a": [1, 2]}
    assert_allclose(d.offset, np.log(df["n"]) + df["x"] + np.exp(df["w"]) + np.sqrt(df["n"]), rtol=1e-14)


def test_offset_only_model(df):
    d = build_design("y ~ offset(x) - 1", df)
    assert d.X.shape == (8, 0) and d.column_names == [] and d.term_names == []
    assert not d.has_intercept
    assert_array_equal(d.offset, df["x"])
    X_new, off = d.transform(df.iloc[:2])
    assert X_new.shape == (2, 0)
    assert_array_equal(off, df["x"].iloc[:2])


def test_offset_in_interaction_is_an_error(df):
    with pytest.raises(ValueError, match="offset"):
        build_design("y ~ offset(x):a", df)


# --- cbind response -----------------------------------------------------------------------

def test_cbind_response():
    data = pd.DataFrame({"s": [1, 0, 3, 0], "f": [3, 2, 0, 0], "x": [1.0, 2.0, 3.0, 4.0]})
    d = build_design("cbind(s, f) ~ x", data)
    assert d.response_name == "cbind(s, f)"
    assert_allclose(d.y, [0.25, 0.0, 1.0, 0.0])  # 0 where s + f == 0, as R
    assert_array_equal(d.n_trials, [4.0, 2.0, 3.0, 0.0])
    assert d.column_names == ["Intercept", "x"]


def test_cbind_with_expression():
    data = pd.DataFrame({"s": [1, 2, 3], "n": [4, 4, 4], "x": [1.0, 2.0, 3.0]})
    d = build_design("cbind(s, n - s) ~ x", data)
    assert_allclose(d.y, [0.25, 0.5, 0.75])
    assert_array_equal(d.n_trials, [4.0, 4.0, 4.0])


def test_cbind_errors():
    data = pd.DataFrame({"s": [1, 2], "f": [-1, 2], "x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="negative"):
        build_design("cbind(s, f) ~ x", data)
    with pytest.raises(ValueError, match="two columns"):
        build_design("cbind(s, f, x) ~ 1", data)


def test_response_expressions_and_bool(df):
    d = build_design("np.log(y) ~ x", df)
    assert_allclose(d.y, np.log(df["y"]))
    d = build_design("I(y / n) ~ x", df)
    assert_allclose(d.y, df["y"] / df["n"])
    df["hit"] = df["y"] > 4
    d = build_design("hit ~ x", df)
    assert d.y.dtype == np.float64
    assert_array_equal(d.y, (df["y"] > 4).astype(float))


# --- keyword arguments --------------------------------------------------------------------

def test_keywords_column_array_series(df):
    d = build_design("y ~ x", df, var_weights="w", freq_weights=np.arange(1, 9),
                     exposure=pd.Series(df["n"].to_numpy(), index=range(100, 108)), offset=list(df["x"]))
    assert_array_equal(d.var_weights, df["w"])
    assert_array_equal(d.freq_weights, np.arange(1, 9))
    assert_array_equal(d.exposure, df["n"])  # by position, as statsmodels
    assert_array_equal(d.extra_offset, df["x"])
    assert d.offset is None  # the formula has no offset() term
    for v in (d.var_weights, d.freq_weights, d.exposure, d.extra_offset):
        assert v.dtype == np.float64


def test_keyword_length_mismatch(df):
    with pytest.raises(ValueError, match=r"var_weights.*length 3.*8 rows"):
        build_design("y ~ x", df, var_weights=[1.0, 2.0, 3.0])


def test_keyword_unknown_column_and_non_numeric(df):
    with pytest.raises(ValueError, match="'nope'"):
        build_design("y ~ x", df, freq_weights="nope")
    with pytest.raises(ValueError, match="non-numeric"):
        build_design("y ~ x", df, var_weights="a")


# --- missing values -----------------------------------------------------------------------

def test_missing_drop_jointly(df):
    df.loc[0, "y"] = np.nan
    df.loc[1, "a"] = None
    df.loc[2, "n"] = np.nan        # used only inside offset()
    df.loc[4, "b"] = None          # unused column: must not drop the row
    w = np.ones(8)
    w[5] = np.nan                  # keyword array
    df.loc[6, "w"] = np.nan        # keyword column
    d = build_design("y ~ a + x + offset(np.log(n))", df, var_weights=w, freq_weights="w")
    assert list(d.row_index) == [3, 4, 7]
    assert d.n_dropped == 5
    assert d.dropped_columns == ["y", "a", "n", "w", "var_weights"]
    assert d.X.shape == (3, 3)
    assert_array_equal(d.y, df["y"].iloc[[3, 4, 7]])
    assert_allclose(d.offset, np.log(df["n"].iloc[[3, 4, 7]]))
    assert_array_equal(d.var_weights, [1.0, 1.0, 1.0])
    assert_array_equal(d.freq_weights, df["w"].iloc[[3, 4, 7]])


def test_missing_in_unused_column_is_ignored(df):
    df.loc[3, "b"] = None
    df.loc[5, "w"] = np.nan
    d = build_design("y ~ x + a", df)
    assert d.n_dropped == 0 and len(d.y) == 8


def test_missing_raise_names_columns(df):
    df.loc[0, "x"] = np.nan
    df.loc[1, "a"] = None
    with pytest.raises(ValueError, match=r"\['a', 'x'\]|\['x', 'a'\]"):
        build_design("y ~ a + x", df, missing="raise")
    with pytest.raises(ValueError, match="offset"):
        build_design("y ~ 1", df.assign(x=1.0), offset=[np.nan] + [0.0] * 7, missing="raise")


def test_missing_bad_value(df):
    with pytest.raises(ValueError, match="missing"):
        build_design("y ~ x", df, missing="none")


def test_all_rows_missing(df):
    df["y"] = np.nan
    with pytest.raises(ValueError, match="no rows"):
        build_design("y ~ x", df)
    with pytest.raises(ValueError, match="no rows"):
        build_design("y ~ x", df.iloc[:0])


def test_unused_categories_dropped_after_na(df):
    # R's glm() uses drop.unused.levels = TRUE: a level present only in dropped
    # rows (or only among the categories) gets no column.
    df["a"] = pd.Categorical(df["a"], categories=["u", "v", "w", "z"])
    df.loc[[2, 5], "y"] = np.nan   # the only "w" rows
    d = build_design("y ~ a", df)
    assert d.column_names == ["Intercept", "a[T.v]"]


def test_nan_from_transform_is_dropped_like_R(df):
    # R: model.frame holds log(-1) = NaN and na.omit drops that row.
    df.loc[2, "x"] = -1.0
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        d = build_design("y ~ np.log(x)", df)
        assert d.n_dropped == 1 and 2 not in d.row_index
        assert d.dropped_columns == ["np.log(x)"]
        with pytest.raises(ValueError, match=r"np\.log\(x\)"):
            build_design("y ~ np.log(x)", df, missing="raise")


def test_infinite_values_are_an_error(df):
    df.loc[0, "x"] = 0.0
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match=r"non-finite.*np\.log\(x\)"):
        build_design("y ~ np.log(x)", df)
    with pytest.raises(ValueError, match="var_weights"):
        build_design("y ~ 1", df, var_weights=[np.inf] + [1.0] * 7)


# --- errors -------------------------------------------------------------------------------

def test_unknown_column(df):
    with pytest.raises(ValueError, match="'zz'"):
        build_design("y ~ x + zz", df)
    with pytest.raises(ValueError, match="'zz'"):
        build_design("y ~ np.log(zz)", df)
    with pytest.raises(ValueError, match="'zz'"):
        build_design("zz ~ x", df)
    with pytest.raises(ValueError, match="'zz'"):
        build_design("y ~ x + offset(zz)", df)


def test_unknown_function(df):
    with pytest.raises(ValueError, match="function 'foo'"):
        build_design("y ~ foo(x)", df)


@pytest.mark.parametrize("formula", ["y ~ x + (a", "y ~ x +* a", "y x", "y ~ x ~ a", "~ x", "y ~ x | a"])
def test_bad_formula_is_value_error(df, formula):
    with pytest.raises(ValueError) as info:
        build_design(formula, df)
    assert type(info.value) is ValueError
    assert "\x1b[" not in str(info.value)  # no terminal colour codes from formulaic


def test_formulaic_error_is_chained(df):
    # A failure inside formulaic comes out as ValueError, caused by formulaic's error.
    with pytest.raises(ValueError) as info:
        build_design("y ~ np.log(a)", df)
    assert type(info.value) is ValueError
    assert info.value.__cause__ is not None


def test_data_must_be_dataframe(df):
    with pytest.raises(TypeError, match="DataFrame"):
        build_design("y ~ x", df.to_dict("list"))
    with pytest.raises(TypeError, match="formula"):
        build_design(None, df)


def test_non_numeric_response(df):
    with pytest.raises(ValueError, match="non-numeric"):
        build_design("a ~ x", df)


# --- transform(newdata) -------------------------------------------------------------------

def test_transform_same_columns(df):
    d = build_design("y ~ a * x + offset(log(n))", df)
    new = pd.DataFrame({"x": [10.0, 20.0], "a": ["w", "u"], "n": [1.0, np.e]})  # no response needed
    X_new, off = d.transform(new)
    assert X_new.shape == (2, len(d.column_names))
    assert_allclose(X_new, [[1, 0, 1, 10, 0, 10], [1, 0, 0, 20, 0, 0]])
    assert_allclose(off, [0.0, 1.0])
    assert_allclose(d.transform(df)[0], d.X)


def test_transform_reuses_fit_levels_and_state(df):
    d = build_design("y ~ a + center(x)", df)
    # Only level "v" in newdata: still all the fit's columns; center() uses the fit's mean.
    X_new, _ = d.transform(pd.DataFrame({"a": ["v"], "x": [df["x"].mean() + 1.0]}))
    assert_allclose(X_new, [[1.0, 1.0, 0.0, 1.0]])


@pytest.mark.parametrize("formula, term", [("y ~ a + x", "a"), ("y ~ C(a) + x", "C(a)"), ("y ~ a:x", "a")])
def test_transform_unseen_level(df, formula, term):
    d = build_design(formula, df)
    new = pd.DataFrame({"a": ["u", "zz", "qq"], "x": [1.0, 2.0, 3.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # formulaic's DataMismatchWarning must not leak
        with pytest.raises(ValueError, match=r"'a'.*'zz'.*'qq'|'a'.*'qq'.*'zz'"):
            d.transform(new)


def test_transform_unseen_numeric_code(df):
    df["g"] = [1, 2, 3, 1, 2, 3, 1, 2]
    d = build_design("y ~ C(g)", df)
    with pytest.raises(ValueError, match=r"'g'.*\[4\]"):
        d.transform(pd.DataFrame({"g": [1, 4]}))


def test_transform_missing_column(df):
    d = build_design("y ~ a + x + offset(np.log(n))", df)
    with pytest.raises(ValueError, match="'x'"):
        d.transform(df.drop(columns="x"))
    with pytest.raises(ValueError, match="'n'"):
        d.transform(df.drop(columns="n"))


def test_transform_missing_values(df):
    d = build_design("y ~ a + x", df)
    new = df.drop(columns="y").copy()
    new.loc[1, "x"] = np.nan
    new.loc[2, "a"] = None
    with pytest.raises(ValueError, match=r"missing.*\['a', 'x'\]"):
        d.transform(new)
    new = df.drop(columns="y").copy()
    new.loc[1, "b"] = None  # unused column
    assert d.transform(new)[0].shape == (8, 4)


def test_transform_requires_dataframe(df):
    d = build_design("y ~ x", df)
    with pytest.raises(TypeError, match="DataFrame"):
        d.transform({"x": [1.0]})


def test_pickle_roundtrip(df):
    d = build_design("y ~ a * b + np.log(x) + offset(log(n))", df, var_weights="w")
    d2 = pickle.loads(pickle.dumps(d))
    assert d2.column_names == d.column_names
    assert d2.term_columns == d.term_columns
    assert_array_equal(d2.X, d.X)
    assert_array_equal(d2.offset, d.offset)
    new = pd.DataFrame({"a": ["v", "w"], "b": ["q", "p"], "x": [1.0, 2.0], "n": [1.0, 2.0]})
    X1, o1 = d.transform(new)
    X2, o2 = d2.transform(new)
    assert_array_equal(X1, X2)
    assert_array_equal(o1, o2)
    with pytest.raises(ValueError, match="'zz'"):
        d2.transform(new.assign(a=["zz", "u"]))


def test_design_is_immutable(df):
    d = build_design("y ~ x", df)
    with pytest.raises(AttributeError):
        d.X = None
    assert "nobs=8" in repr(d)


@pytest.mark.parametrize("dtype", [object, "category", "string"])
def test_string_like_columns_in_newdata(df, dtype):
    d = build_design("y ~ a", df)
    new = pd.DataFrame({"a": pd.Series(["w", "u"], dtype=dtype)})
    assert_array_equal(d.transform(new)[0], [[1, 0, 1], [1, 0, 0]])


def test_na_inside_stateful_transform_is_found(df):
    # formulaic's required_variables misses the arguments of stateful transforms
    # (poly, center); the NA in x must still drop its row before center() learns its mean.
    df.loc[3, "x"] = np.nan
    for formula in ("y ~ center(x)", "y ~ poly(x, 2)"):
        d = build_design(formula, df)
        assert d.n_dropped == 1 and d.dropped_columns == ["x"]
    d = build_design("y ~ center(x)", df)
    assert_allclose(d.X[:, 1], df["x"].drop(3) - df["x"].drop(3).mean())


def test_row_index_keeps_labels(df):
    df.index = [f"r{i}" for i in range(8)]
    df.loc["r2", "y"] = np.nan
    d = build_design("y ~ x", df)
    assert list(d.row_index) == ["r0", "r1", "r3", "r4", "r5", "r6", "r7"]


def test_sum_contrasts(df):
    d = build_design("y ~ C(a, contr.sum)", df)
    assert d.X.shape == (8, 3)
    # R's contr.sum: the last level is -1 in every column.
    assert_array_equal(d.X[df["a"].to_numpy() == "w", 1:], -1.0)
