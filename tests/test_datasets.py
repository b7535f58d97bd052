"""Bundled datasets: glmstats.datasets.load / list_datasets / describe and their package data."""

import importlib.metadata
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glmstats import datasets

# name -> (rows, columns) of the CSVs: the R reference suite's data.csv files, MASS's data
# frames (datasets/export_mass.R) and the simulated claims (datasets/simulate_claims.R).
EXPECTED = {
    "budworm": (12, ["ldose", "numdead", "sex", "n", "prop"]),
    "claims": (4000, ["age", "region", "exposure", "claims"]),
    "housing": (72, ["Sat", "Infl", "Type", "Cont", "Freq"]),
    "quine": (146, ["Eth", "Sex", "Age", "Lrn", "Days"]),
    "clotting": (9, ["u", "lot1", "lot2"]),
    "dobson": (9, ["treatment", "outcome", "counts"]),
    "insurance": (64, ["District", "Group", "Age", "Holders", "Claims"]),
    "warpbreaks": (54, ["breaks", "wool", "tension"]),
}
KEYS = {"name", "file", "title", "description", "source", "licence", "columns", "categorical",
        "model", "formula", "family", "link", "weights", "freq_weights", "offset", "python_call",
        "r_call"}


def test_list_datasets():
    assert datasets.list_datasets() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_shape_and_columns(name):
    df = datasets.load(name)
    nrows, columns = EXPECTED[name]
    assert isinstance(df, pd.DataFrame)
    assert df.shape == (nrows, len(columns))
    assert list(df.columns) == columns
    assert not df.isna().any().any()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_describe(name):
    info = datasets.describe(name)
    assert KEYS <= set(info)
    assert info["name"] == name
    assert set(info["columns"]) == set(EXPECTED[name][1])
    assert set(info["categorical"]) <= set(info["columns"])
    for col in info["categorical"]:  # factors come back as strings
        assert all(isinstance(v, str) for v in datasets.load(name)[col])
    for key in ("weights", "freq_weights", "offset"):
        assert info[key] is None or info[key] in info["columns"]
    assert info["model"] in {"glm", "glm_nb", "multinom"}
    assert (info["family"] is not None) == (info["model"] == "glm")


def test_dobson_matches_r():
    # R: ?glm, Dobson (1990) p. 93
    df = datasets.load("dobson")
    assert df["counts"].tolist() == [18, 17, 15, 20, 10, 20, 25, 13, 12]
    assert df["outcome"].tolist() == ["1", "2", "3"] * 3
    assert df["treatment"].tolist() == ["1"] * 3 + ["2"] * 3 + ["3"] * 3


def test_numeric_coded_factors_are_strings():
    df = datasets.load("insurance")
    assert sorted(df["District"].unique()) == ["1", "2", "3", "4"]
    assert not pd.api.types.is_numeric_dtype(df["District"])
    assert pd.api.types.is_integer_dtype(df["Claims"])


def test_load_returns_a_new_frame_each_time():
    df = datasets.load("dobson")
    df.loc[0, "counts"] = -1
    assert datasets.load("dobson").loc[0, "counts"] == 18


def test_names_are_case_insensitive():
    assert datasets.load("Dobson").equals(datasets.load("dobson"))
    assert datasets.describe("DOBSON")["name"] == "dobson"


@pytest.mark.parametrize("func", [datasets.load, datasets.describe])
def test_unknown_name_lists_available(func):
    with pytest.raises(ValueError, match="unknown dataset 'nope'") as err:
        func("nope")
    for name in EXPECTED:
        assert name in str(err.value)


def test_budworm_prop_is_numdead_over_n():
    df = datasets.load("budworm")
    np.testing.assert_allclose(df["prop"], df["numdead"] / df["n"], rtol=0, atol=1e-15)


def test_index_files_and_readme_agree():
    # The source tree's datasets/ folder (skipped when only the installed package exists).
    folder = Path(__file__).resolve().parents[1] / "datasets"
    if not folder.is_dir():
        pytest.skip("no source tree")
    index = json.loads((folder / "datasets.json").read_text(encoding="utf-8"))
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert sorted(index) == sorted(EXPECTED)
    for name, entry in index.items():
        assert (folder / entry["file"]).is_file()
        assert f"`{name}`" in readme


def test_installed_distribution_ships_the_data():
    """A regular (non-editable) install must carry the CSVs as glmstats/_datasets/*."""
    # Only an installed copy has a RECORD; a glmstats.egg-info left in the source tree by
    # an in-tree build lists the sources instead.
    installed = [d for d in importlib.metadata.distributions(name="glmstats")
                 if d.read_text("RECORD") is not None]
    if not installed:
        pytest.skip("glmstats is not installed")
    files = {str(f).replace("\\", "/") for f in (installed[0].files or [])}
    if not any(f.startswith("glmstats/") and f.endswith(".py") for f in files):
        pytest.skip("editable install: no file list to check")
    for name in EXPECTED:
        assert f"glmstats/_datasets/{datasets.describe(name)['file']}" in files
    assert "glmstats/_datasets/datasets.json" in files


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_suggested_model_fits(name):
    import glmstats as gs

    info = datasets.describe(name)
    df = datasets.load(name)
    res = eval(info["python_call"], {"gs": gs, "np": np, "df": df})
    assert res.converged
    assert np.all(np.isfinite(np.asarray(res.params, dtype=float)))
    if info["model"] == "glm":  # the same fit from the metadata's keys
        again = gs.glm(info["formula"], data=df, family=info["family"], link=info["link"],
                       offset=info["offset"], var_weights=info["weights"],
                       freq_weights=info["freq_weights"]).fit()
        np.testing.assert_array_equal(again.params, res.params)


def test_dobson_fit_matches_r():
    # R 4.2.2: m <- glm(counts ~ outcome + treatment, family = poisson()) (?glm);
    # deviance(m), coef(m)["outcome2"] (reference suite, case dobson_poisson)
    import glmstats as gs

    res = gs.glm("counts ~ outcome + treatment", data=datasets.load("dobson"),
                 family="poisson").fit()
    np.testing.assert_allclose(res.deviance, 5.129141077001145, rtol=1e-10)
    np.testing.assert_allclose(res.params.iloc[1], -0.4542552722775965, rtol=1e-8)
