"""A categorical binomial response: the first level *present* in the rows used is the failure.

Reference: R 4.2.2, tests/reference_extra/factor_response/generate.R (values.json beside it):
glm(y ~ x, binomial) with y a factor whose first levels are unused ("z") or occur only in a
row dropped for a missing x ("a"). R builds the model frame with drop.unused.levels = TRUE
after na.omit, so "b" is the failure.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glmstats as gs

REF = json.loads((Path(__file__).parent.parent / "reference_extra" / "factor_response" / "values.json").read_text())
Y = ["b", "c", "b", "c", "c", "b", "a", "c", "b", "c"]
X = [1, 2, 3, 4, 5, 6, np.nan, 8, 9, 2.5]


@pytest.mark.parametrize("kind", ["categorical", "string"])
def test_unused_and_dropped_levels_as_R(kind):
    y = pd.Categorical(Y, categories=["z", "a", "b", "c"]) if kind == "categorical" else Y
    res = gs.glm("y ~ x", pd.DataFrame({"y": y, "x": X}), family="binomial").fit()
    np.testing.assert_allclose(res.params.to_numpy(), REF[kind]["coef"], rtol=1e-9)
    np.testing.assert_allclose(res.deviance, REF[kind]["deviance"], rtol=1e-10)


def test_single_level_present_is_an_error():
    d = pd.DataFrame({"y": pd.Categorical(["b", "b", "a"], categories=["a", "b"]), "x": [1.0, 2.0, np.nan]})
    with pytest.raises(ValueError, match=r"'y' has a single level \['b'\]"):
        gs.glm("y ~ x", d, family="binomial").fit()


def test_mixed_strings_and_numbers_name_the_response():
    d = pd.DataFrame({"resp": pd.Series(["yes", 1, "no", 0], dtype=object), "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match=r"response 'resp' mixes strings"):
        gs.glm("resp ~ x", d, family="binomial")


def test_numbers_in_an_object_column_are_numbers():
    d = pd.DataFrame({"y": pd.Series([0, 1, 1, 0, 1, 0], dtype=object), "x": [1.0, 2.0, 3.0, 4.0, 5.0, 2.5]})
    ref = gs.glm("y ~ x", d.astype({"y": float}), family="binomial").fit()
    np.testing.assert_allclose(gs.glm("y ~ x", d, family="binomial").fit().params, ref.params, rtol=1e-12)
