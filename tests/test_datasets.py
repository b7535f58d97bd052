"""Bundled datasets: glmstats.datasets.load / list_datasets / describe and their package data."""

import importlib.metadata
import json
import shutil
import subprocess
import sys
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
        "levels", "ordered", "model", "formula", "family", "link", "weights", "freq_weights", "offset", "python_call",
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
    assert list(info["levels"]) == info["categorical"]
    assert set(info["ordered"]) <= set(info["categorical"])
    df = datasets.load(name)
    for col in info["categorical"]:  # factors: unordered Categoricals in the stored level order
        assert isinstance(df[col].dtype, pd.CategoricalDtype)
        assert df[col].cat.categories.tolist() == info["levels"][col]
        assert not df[col].cat.ordered
        assert all(isinstance(v, str) for v in df[col])  # the labels stay strings
        assert set(df[col]) == set(info["levels"][col])  # every level is used
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
    assert df["District"].cat.categories.tolist() == ["1", "2", "3", "4"]
    assert not pd.api.types.is_numeric_dtype(df["District"])
    assert pd.api.types.is_integer_dtype(df["Claims"])


# --- factor levels: R's order, stored from R ------------------------------------------------
# tests/reference_extra/datasets/expected.json: levels(x) and is.ordered(x) of R's own data
# frames (R 4.2.2, MASS 7.3-58.2: warpbreaks, MASS::Insurance, quine, housing; the ?glm
# Dobson factors gl(3, 1, 9) and gl(3, 3); claims as simulate_claims.R defines region), and
# fits of the suggested models on those frames, written by generate.R in that folder.
R_REF = json.loads((Path(__file__).resolve().parent / "reference_extra" / "datasets" / "expected.json")
                   .read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(R_REF["levels"]))
def test_levels_are_rs(name):
    want = R_REF["levels"][name]
    assert datasets.describe(name)["levels"] == want
    df = datasets.load(name)
    assert {col: df[col].cat.categories.tolist() for col in want} == want


def test_some_levels_spelled_out():
    # R: levels(warpbreaks$tension); levels(MASS::Insurance$Group); levels(MASS::housing$Sat)
    assert R_REF["levels"]["warpbreaks"]["tension"] == ["L", "M", "H"]
    assert R_REF["levels"]["insurance"]["Group"] == ["<1l", "1-1.5l", "1.5-2l", ">2l"]
    assert R_REF["levels"]["insurance"]["Age"] == ["<25", "25-29", "30-35", ">35"]
    assert R_REF["levels"]["housing"]["Sat"] == ["Low", "Medium", "High"]
    assert R_REF["levels"]["housing"]["Type"] == ["Tower", "Apartment", "Atrium", "Terrace"]
    assert datasets.load("warpbreaks")["tension"].cat.categories.tolist() == ["L", "M", "H"]


@pytest.mark.parametrize("name", datasets.list_datasets())
def test_ordered_factors_are_rs(name):
    info = datasets.describe(name)
    assert info["ordered"] == R_REF["ordered"].get(name, [])
    df = datasets.load(name, ordered=True)
    for col in info["categorical"]:
        assert df[col].cat.ordered == (col in info["ordered"])
        assert df[col].cat.categories.tolist() == info["levels"][col]


def test_ordered_response_compares_by_rs_order():
    sat = datasets.load("housing", ordered=True)["Sat"]
    assert (sat > "Low").sum() == 48 and sat.min() == "Low" and sat.max() == "High"


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_generate_levels_script_agrees_with_the_index():
    folder = Path(__file__).resolve().parents[1] / "datasets"
    if not (folder / "generate_levels.R").is_file():
        pytest.skip("no source tree")
    proc = subprocess.run(["Rscript", "generate_levels.R"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    if proc.returncode != 0 and "MASS" in proc.stderr:
        pytest.skip("R has no MASS")
    assert proc.returncode == 0, proc.stderr
    from_r = json.loads(proc.stdout)
    assert sorted(from_r) == datasets.list_datasets()
    for name, cols in from_r.items():
        info = datasets.describe(name)
        assert info["levels"] == {c: v["levels"] for c, v in cols.items()}, name
        assert info["ordered"] == [c for c, v in cols.items() if v["ordered"]], name


def test_a_value_outside_the_levels_is_an_error(monkeypatch):
    # a CSV and datasets.json out of step must not turn values into NaN silently
    index = json.loads(json.dumps(datasets._index()))
    index["warpbreaks"]["levels"]["tension"] = ["L", "M"]
    monkeypatch.setattr(datasets, "_index", lambda: index)
    with pytest.raises(ValueError, match="'H'.*not among its levels"):
        datasets.load("warpbreaks")


def test_loads_from_any_working_directory(tmp_path):
    # a fresh interpreter in an empty folder: the data come from the package, not the cwd
    code = ("import glmstats.datasets as d\n"
            "for n in d.list_datasets():\n"
            "    df = d.load(n)\n"
            "    print(n, len(df), [str(t) for t in df.dtypes])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert sorted(lines) == sorted(EXPECTED)
    for name, (nrows, _) in EXPECTED.items():
        assert lines[name].startswith(f"{nrows} ")
        assert lines[name].count("category") == len(datasets.describe(name)["categorical"])


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


# --- fits on the loaded frames give R's numbers column for column ---------------------------
# R's fits of tests/reference_extra/datasets/expected.json were made on R's own factors; the
# same level order gives the same columns in the same order, so the vectors compare directly.
# rtol 1e-6 as the reference suite (the R fits ran to glm.control(epsilon = 1e-12)).
RTOL = 1e-6
GLM_FITS = {  # R fit -> (dataset, glmstats formula, family)
    "dobson": ("dobson", "counts ~ outcome + treatment", "poisson"),
    "warpbreaks": ("warpbreaks", "breaks ~ wool * tension", "quasipoisson"),
    "insurance": ("insurance", "Claims ~ District + Group + Age + offset(np.log(Holders))", "poisson"),
    # R's ordered factors' polynomial contrasts, spelled out for glmstats
    "insurance_poly": ("insurance", "Claims ~ District + C(Group, contr.poly) + C(Age, contr.poly)"
                       " + offset(np.log(Holders))", "poisson"),
    "claims": ("claims", "claims ~ age + region + offset(np.log(exposure))", "poisson"),
}


def _r_name(name):
    """glmstats' term name in R's spelling: tension[T.M] -> tensionM, C(Group, contr.poly)[.L] -> Group.L."""
    out = name.replace("Intercept", "(Intercept)").replace("[T.", "").replace("]", "")
    return out.replace("C(Group, contr.poly)[", "Group").replace("C(Age, contr.poly)[", "Age")


@pytest.mark.parametrize("fit", sorted(GLM_FITS))
def test_glm_fits_match_r_with_rs_levels(fit):
    import glmstats as gs

    name, formula, family = GLM_FITS[fit]
    ref = R_REF["fits"][fit]
    res = gs.glm(formula, data=datasets.load(name), family=family).fit(tol=1e-12)
    assert [_r_name(t) for t in res.params.index] == ref["coef_names"]
    # atol: Dobson's treatment effects are 0 in exact arithmetic (equal treatment margins);
    # both fits give ~1e-15 there
    np.testing.assert_allclose(res.params.to_numpy(), ref["coefficients"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(res.deviance, ref["deviance"], rtol=RTOL)


def test_short_term_names_without_c():
    import glmstats as gs

    res = gs.glm("breaks ~ wool * tension", data=datasets.load("warpbreaks"), family="poisson").fit()
    assert res.params.index.tolist() == ["Intercept", "wool[T.B]", "tension[T.M]", "tension[T.H]",
                                         "wool[T.B]:tension[T.M]", "wool[T.B]:tension[T.H]"]


def test_ordered_categoricals_get_treatment_contrasts():
    # documented: an ordered Categorical is coded like an unordered one (R would use contr.poly)
    import glmstats as gs

    f = "Claims ~ District + Group + Age + offset(np.log(Holders))"
    plain = gs.glm(f, data=datasets.load("insurance"), family="poisson").fit()
    ordered = gs.glm(f, data=datasets.load("insurance", ordered=True), family="poisson").fit()
    assert ordered.params.index.tolist() == plain.params.index.tolist()
    np.testing.assert_array_equal(ordered.params, plain.params)


@pytest.mark.parametrize("fit, name", [("quine", "quine"), ("claims_nb", "claims")])
def test_glm_nb_fits_match_r(fit, name):
    # R: MASS::glm.nb(...) on R's factors (generate.R)
    import glmstats as gs

    ref = R_REF["fits"][fit]
    formula = datasets.describe(name)["formula"]
    res = gs.glm_nb(formula, data=datasets.load(name)).fit()
    assert [_r_name(t) for t in res.params.index] == ref["coef_names"]
    np.testing.assert_allclose(res.params.to_numpy(), ref["coefficients"], rtol=RTOL)
    np.testing.assert_allclose(res.theta, ref["theta"], rtol=RTOL)


def test_housing_multinom_matches_r():
    # R: nnet::multinom(Sat ~ Infl + Type + Cont, weights = Freq, data = housing): R's level
    # order makes Low the reference class. nnet's BFGS stops short of the MLE; with
    # reltol = 1e-14 its estimates agree with glmstats' Newton fit to ~1e-7 (tests/models/
    # test_multinom.py records 2e-7 for the expanded table), hence rtol 1e-6.
    import glmstats as gs

    ref = R_REF["fits"]["housing"]
    res = gs.multinom("Sat ~ Infl + Type + Cont", data=datasets.load("housing"),
                      freq_weights="Freq").fit()
    assert res.classes == ref["classes"] and res.reference == "Low"
    assert [_r_name(t) for t in res.params.index] == ref["coef_names"]
    np.testing.assert_allclose(res.params.to_numpy().T, ref["coefficients"], rtol=RTOL)
    np.testing.assert_allclose(res.llf, ref["loglik"], rtol=1e-10)


def test_factor_codes_engine_keeps_rs_levels(monkeypatch):
    # main-effect factors kept as integer codes (glmstats.engine.factor_matrix) take the codes
    # of the Categorical: same columns, same numbers as R's
    import glmstats as gs
    from glmstats.engine.factor_matrix import FactorMatrix
    from glmstats.formula import design

    monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0)
    name, formula, family = GLM_FITS["insurance"]
    model = gs.glm(formula, data=datasets.load(name), family=family)
    assert isinstance(model.data.X, FactorMatrix)
    res = model.fit(tol=1e-12)
    ref = R_REF["fits"]["insurance"]
    assert [_r_name(t) for t in res.params.index] == ref["coef_names"]
    np.testing.assert_allclose(res.params.to_numpy(), ref["coefficients"], rtol=RTOL)


def test_predict_newdata_with_strings_or_other_category_order():
    # the fit's spec maps labels, not codes: plain strings and a Categorical in another order
    # give the same predictions (the cell means of the saturated Poisson fit)
    import glmstats as gs

    wb = datasets.load("warpbreaks")
    res = gs.glm("breaks ~ wool * tension", data=wb, family="poisson").fit()
    new = pd.DataFrame({"wool": ["A", "B", "A"], "tension": ["M", "H", "L"]})
    other = new.assign(tension=pd.Categorical(new["tension"], categories=["H", "L", "M"]))
    means = wb.groupby(["wool", "tension"], observed=True)["breaks"].mean()
    want = [means[("A", "M")], means[("B", "H")], means[("A", "L")]]
    np.testing.assert_allclose(res.predict(new), want, rtol=1e-8)
    np.testing.assert_allclose(res.predict(other), want, rtol=1e-8)


def test_c_of_a_categorical_keeps_its_levels():
    # the README's spelling C(region): the same fit as the bare Categorical, longer term names
    import glmstats as gs

    df = datasets.load("claims")
    bare = gs.glm("claims ~ age + region + offset(np.log(exposure))", data=df, family="poisson").fit()
    wrapped = gs.glm("claims ~ age + C(region) + offset(np.log(exposure))", data=df,
                     family="poisson").fit()
    assert wrapped.params.index.tolist() == ["Intercept", "age", "C(region)[T.suburban]",
                                             "C(region)[T.urban]"]
    np.testing.assert_array_equal(wrapped.params.to_numpy(), bare.params.to_numpy())
