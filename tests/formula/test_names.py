"""Parameter names are unique, and every column a formula names reaches the design."""

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

D = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6, 2, 3.0], "Intercept": [1, 2, 3, 4, 5, 6, 7, 9.0],
                  "x": [1, 2, 3, 4, 5, 6, 7, 8.0], "g": list("abababab")})


@pytest.mark.parametrize("formula", ["y ~ Intercept + x", "y ~ .", "y ~ Intercept + x - 1", "y ~ x:Intercept"])
def test_a_data_column_named_Intercept_is_an_error(formula):
    # it shared the intercept's name: duplicate parameters, anova/drop1/Wald tests on the wrong column
    with pytest.raises(ValueError, match="column named 'Intercept'"):
        gs.glm(formula, D, family="poisson")


def test_an_unused_column_named_Intercept_is_fine():
    res = gs.glm("y ~ x", D, family="poisson").fit()
    assert list(res.params.index) == ["Intercept", "x"]


def test_duplicate_design_names_are_an_error():
    d = D.drop(columns="Intercept").assign(**{"g[T.b]": np.arange(8.0)})
    with pytest.raises(ValueError, match=r"more than one column named \['g\[T.b\]'\]"):
        gs.glm("y ~ g + `g[T.b]`", d, family="poisson")


def test_duplicate_exog_names_are_an_error():
    X = pd.DataFrame(np.column_stack([np.ones(8), D.x, D.x ** 2]), columns=["const", "x", "x"])
    with pytest.raises(ValueError, match=r"duplicated column names \['x'\]"):
        gs.GLM(D.y, X, family="poisson")


def test_Q_quotes_a_column_name():
    d = D.drop(columns="Intercept").assign(**{"my col": [1, 2, 3, 4, 5, 6, 7, 9.0]})
    quoted = gs.glm("y ~ Q('my col') + x", d, family="poisson").fit()
    renamed = gs.glm("y ~ z + x", d.rename(columns={"my col": "z"}), family="poisson").fit()
    np.testing.assert_allclose(quoted.params.to_numpy(), renamed.params.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(quoted.predict(d).to_numpy(), renamed.fittedvalues.to_numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="no column 'nope'"):
        gs.glm("y ~ Q('nope') + x", d, family="poisson")
