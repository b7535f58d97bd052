"""A dense design too large for memory is refused before anything is allocated (issue 13).

An interaction of two 1,000-level factors has about a million columns: formulaic would start building the
dense n x 1e6 matrix and die with a MemoryError (or the process would be killed). build_design counts the
columns from the factors' levels and the terms first (glmstats.formula.size) and raises a ValueError naming
the terms, the columns and the size. Peaks are measured with tracemalloc (numpy's and pandas' allocations are
traced).
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from formulaic import Formula, model_matrix

import glmstats as gs
import glmstats.formula.design as design
from glmstats.formula.size import dense_columns

N, LEVELS = 20_000, 1000


@pytest.fixture(scope="module")
def wide():
    rng = np.random.default_rng(13)
    levels = np.array([f"L{k:04d}" for k in range(LEVELS)], dtype=object)
    df = pd.DataFrame({"a": levels[rng.integers(0, LEVELS, N)], "b": levels[rng.integers(0, LEVELS, N)],
                       "x": rng.normal(size=N)})
    df["y"] = rng.poisson(1.0, N).astype(float)
    # every level occurs (the counts below are exact)
    df.loc[:LEVELS - 1, "a"] = levels
    df.loc[:LEVELS - 1, "b"] = levels
    return df


@pytest.mark.parametrize("formula, columns", [("y ~ a:b", 998_002), ("y ~ a*b", 1_000_000),
                                              ("y ~ x + C(a):C(b)", 998_003)])
def test_a_huge_interaction_is_refused_before_any_allocation(wide, formula, columns):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            gs.glm(formula, wide, family="poisson")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    design_bytes = 8 * N * columns  # 160 GB; one column of the design is 160 KB
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MB before refusing"  # a few n-vectors, never the design
    message = str(info.value)
    assert f"at least {columns:,} columns" in message
    assert "a:b (998,001 columns)" in message or "C(a):C(b) (998,001 columns)" in message
    assert f"{design_bytes / 1e9:,.1f} GB" in message and "MAX_DENSE_DESIGN_BYTES" in message
    assert "fewer levels" in message and "absorb" in message and "every combination" in message


def test_the_column_count_is_formulaics_for_contrast_coded_terms():
    """With the marginal terms present the count is exact; without them it is a lower bound."""
    df = pd.DataFrame({"a": list("pqrpqrpq"), "b": list("uvuvwwuv"), "x": np.arange(8.0), "k": [1, 2, 3, 1, 2, 3, 1, 2],
                       "t": [True, False] * 4})
    for rhs in ("a*b", "a*b*x", "x + C(k) + t", "a + b + a:b + a:x", "a:b", "0 + a:b"):
        estimate = sum(w for _, w in dense_columns(Formula(rhs), df))
        actual = model_matrix(rhs, df).shape[1]
        if rhs in ("a*b", "a*b*x", "x + C(k) + t"):
            assert estimate == actual, rhs
        else:
            assert estimate <= actual, rhs


def test_the_limit_is_a_module_constant(wide, monkeypatch):
    small = wide.head(2000)
    gs.glm("y ~ x + a", small, family="poisson")  # 2000 x 1000 doubles: 16 MB, below the default limit
    monkeypatch.setattr(design, "MAX_DENSE_DESIGN_BYTES", 20 * 2**20)
    with pytest.raises(ValueError, match=r"at least 1,001 columns; a \(999 columns\)\. On 2,000 rows .* = 16\.0 MB, "
                                         r"and 8\.0 MB .*: 24\.0 MB, above the limit of 21\.0 MB"):
        gs.glm("y ~ x + a", small, family="poisson")
    gs.glm("y ~ x + a", small.head(1000), family="poisson")  # 1000 rows: 8 MB and 8 MB
