"""Mistakes a new user makes get a clear error naming the problem, never an internal exception."""

import pickle

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

D = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6, 2, 3.0, 4, 1, 7, 2], "x": np.arange(12.0), "g": list("abcabcabcabc"),
                  "t": pd.date_range("2020-01-01", periods=12)})


def model(formula="y ~ x", data=D, **kw):
    return gs.glm(formula, data, family="poisson", **kw)


def test_weights_keyword_names_the_two_kinds():
    with pytest.raises(TypeError, match="var_weights= .* freq_weights="):
        model(weights=np.ones(12))
    with pytest.raises(TypeError, match="var_weights= .* freq_weights="):
        gs.GLM(D.y, np.ones((12, 1)), family="poisson", weights=np.ones(12))


@pytest.mark.parametrize("name, match", [("negative.binomial", r"needs theta.*glm_nb"),
                                         ("tweedie", r"needs its variance power.*Tweedie\(var_power=p\)")])
def test_family_names_that_need_a_parameter(name, match):
    with pytest.raises(ValueError, match=match):
        gs.glm("y ~ x", D, family=name)


def test_poisson_with_logit_says_why_there_is_no_start():
    with pytest.raises(gs.FitError, match=r"poisson family \(from 1.1 to 7.1\) are outside the domain of the logit"):
        gs.glm("y ~ x", D, family="poisson", link="logit").fit()


def test_cluster_groups_by_column_name_align_with_the_rows_used():
    d = D.copy()
    d.loc[3, "x"] = np.nan  # row 3 is dropped
    by_name = model(data=d).fit(cov_type="cluster", cov_kwds={"groups": "g"})
    by_array = model(data=d).fit(cov_type="cluster", cov_kwds={"groups": d.g.drop(index=3).to_numpy()})
    by_series = model(data=d).fit(cov_type="cluster", cov_kwds={"groups": d.g})  # aligned on the index
    np.testing.assert_allclose(by_name.bse, by_array.bse, rtol=1e-14)
    np.testing.assert_allclose(by_series.bse, by_array.bse, rtol=1e-14)
    with pytest.raises(ValueError, match="no such column"):
        model().fit(cov_type="cluster", cov_kwds={"groups": "firm"})
    # the model's reference to the data frame is not pickled
    assert "_frame" not in pickle.loads(pickle.dumps(model())).__dict__


@pytest.mark.parametrize("kwds, exc, match", [
    ({"groups": np.zeros(12)}, ValueError, "at least 2 clusters"),
    ({"groups": np.zeros((12, 2))}, ValueError, "must be 1-d"),
    ({"groups": pd.DataFrame({"a": np.arange(12)})}, ValueError, "one label per row"),
    ({"groups": np.arange(5)}, ValueError, "length 5, but the model has 12 rows"),
    ([1, 2], TypeError, "cov_kwds must be a dict"),
])
def test_bad_cluster_groups(kwds, exc, match):
    with pytest.raises(exc, match=match):
        model().fit(cov_type="cluster", cov_kwds=kwds)


def test_a_date_column_names_its_dtype():
    with pytest.raises(ValueError, match=r"column 't' has dtype datetime64.*\.dt\.days"):
        model("y ~ t")
    with pytest.raises(ValueError, match=r"column 'd' has dtype timedelta64"):
        model("y ~ d", D.assign(d=D.t - D.t.min()))


def test_multiindex_columns():
    mi = pd.DataFrame(D[["y", "x"]].to_numpy(), columns=pd.MultiIndex.from_tuples([("a", "y"), ("a", "x")]))
    with pytest.raises(ValueError, match="MultiIndex .* flatten"):
        model(data=mi)


def test_duplicate_newdata_columns():
    res = model("y ~ x + g").fit()
    with pytest.raises(ValueError, match=r"newdata has duplicated column names \['x'\]"):
        res.predict(pd.DataFrame([[1.0, "a", 2.0]], columns=["x", "g", "x"]))


@pytest.mark.parametrize("formula", ["y ~ I(" + "-" * 1000 + "x)",
                                     "y ~ " + "np.log(" * 1000 + "x + 1" + ")" * 1000,
                                     "(" * 1000 + "y" + ")" * 1000 + " ~ x"])
def test_formula_nested_too_deeply(formula):
    with pytest.raises(ValueError, match="nested too deeply"):
        model(formula)


def test_integer_column_names_are_named_as_text():
    # an integer column name is written `0` in a formula; the message never lists 0 as a column while
    # calling '0' unknown
    d = D.drop(columns="t").rename(columns={"x": 0})
    res = gs.glm("y ~ `0`", d, family="poisson").fit()
    ref = model().fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-12)
    assert list(res.params.index) == ["Intercept", "0"]
    np.testing.assert_allclose(res.predict(d.head(3)).to_numpy(), ref.fittedvalues.to_numpy()[:3], rtol=1e-12)
    assert list(gs.glm("y ~ .", d[["y", 0]], family="poisson").fit().params.index) == ["Intercept", "0"]
    with pytest.raises(ValueError, match="equal as text"):
        gs.glm("y ~ `0`", d.assign(**{"0": 1.0}), family="poisson")
