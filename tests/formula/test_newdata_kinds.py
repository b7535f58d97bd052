"""New data must give each column the kind (numeric, boolean, categorical) it had at fit time: numbers
for a string factor were read as dummy values, silently."""

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

D = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6, 2, 3.0], "g": ["1", "2", "3", "1", "2", "3", "1", "2"],
                  "x": [1, 2, 3, 4, 5, 6, 7, 8.0], "b": [True, False] * 4})
RES = gs.glm("y ~ g + x + b", D, family="poisson").fit()
GOOD = pd.DataFrame({"g": ["2"], "x": [1.0], "b": [True]})


@pytest.mark.parametrize("column, value, message", [
    ("g", [2], r"'g' \(categorical when fitted, numeric in newdata\)"),
    ("x", ["1"], r"'x' \(numeric when fitted, categorical in newdata\)"),
    ("b", [1], r"'b' \(boolean when fitted, numeric in newdata\)"),
])
def test_a_column_of_another_kind_is_an_error(column, value, message):
    with pytest.raises(ValueError, match=message):
        RES.predict(GOOD.assign(**{column: value}))
    with pytest.raises(ValueError, match=message):
        RES.get_prediction(GOOD.assign(**{column: value}))


def test_the_same_kind_in_another_dtype_is_accepted():
    # a Categorical for a string factor, integers for a float column: the same kinds
    want = RES.predict(GOOD).to_numpy()
    other = GOOD.assign(g=pd.Categorical(["2"], categories=["3", "2", "1"]), x=[1])
    np.testing.assert_allclose(RES.predict(other).to_numpy(), want, rtol=1e-14)
    # by hand from the coefficients: intercept + g[T.2] + x + b (formulaic codes a boolean as 0/1)
    p = RES.params
    np.testing.assert_allclose(want, np.exp(p["Intercept"] + p["g[T.2]"] + p["x"] + p["b"]), rtol=1e-14)


def test_numeric_column_made_a_factor_by_C_accepts_numbers():
    d = D.assign(k=[1, 2, 3, 1, 2, 3, 1, 2])
    res = gs.glm("y ~ C(k) + x", d, family="poisson").fit()
    assert np.isfinite(res.predict(pd.DataFrame({"k": [2], "x": [1.0]})).iloc[0])
