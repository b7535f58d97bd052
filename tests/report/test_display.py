"""Notebook and prompt display of every result (issue 12): ``__repr__`` and ``_repr_html_``.

The anova/drop1 tables are compared cell by cell with what R 4.2.2 prints for the same models
(tests/reference_extra/format/format.json, generate_format.R: ``print(anova(...))`` and
``print(drop1(...))``, cells captured from print.default, headings from attr(, "heading")).
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import _report_fits as F
from _html import parse
import glmstats as gs
from glmstats.report.table import AnovaTable, frame_cells, html_table, text_table, wrap_vector

REF = {(c["name"], c["digits"]): c for c in
       json.loads((Path(__file__).parents[1] / "reference_extra" / "format" / "format.json").read_text())["cases"]}


@pytest.fixture(scope="module")
def dobson():
    return F.dobson_poisson_full()


@pytest.fixture(scope="module")
def gauss():
    d = pd.DataFrame({"y": [1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1, np.nan, 8.8, 10.2, 11.1, 11.9],
                      "x": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0],
                      "g": list("abcabcabcabc")})
    return (gs.glm("y ~ x", d, family="gaussian").fit(), gs.glm("y ~ x + g", d, family="gaussian").fit())


def tables(dobson, gauss):
    d = gs.datasets.load("dobson")
    null = gs.glm("counts ~ 1", d, family="poisson").fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "d93_sequential": dobson.anova(test="Chisq"),
            "d93_nested": gs.anova(null, F.dobson_poisson(), dobson, test="Chisq"),
            "d93_drop1": dobson.drop1(test="Chisq"),
            "gaussian_f": gs.anova(*gauss, test="F"),
            "gaussian_drop1_f": gauss[1].drop1(test="F"),
        }


@pytest.fixture(scope="module")
def anovas(dobson, gauss):
    return tables(dobson, gauss)


NAMES = ["d93_sequential", "d93_nested", "d93_drop1", "gaussian_f", "gaussian_drop1_f"]


@pytest.mark.parametrize("name", NAMES)
def test_anova_cells_and_heading_are_rs(anovas, name):
    table, ref = anovas[name], REF[name, 5]
    assert isinstance(table, pd.DataFrame) and isinstance(table, AnovaTable)
    cells = table.cells()
    assert list(cells.columns) == [c["name"] for c in ref["columns"]]
    for col in ref["columns"]:
        # R's d93 treatment deviance is exactly representable noise either way: both print 0.0000
        assert [s.strip() for s in cells[col["name"]]] == [s.strip() for s in col["out"]], (name, col["name"])
    r_heading = "\n".join(ref["heading"]).rstrip("\n").split("\n")
    assert list(table.heading) == r_heading


@pytest.mark.parametrize("name", NAMES)
def test_anova_repr_blanks_integers_and_html(anovas, name):
    table = anovas[name]
    text = repr(table)
    assert str(table) == text
    assert "NaN" not in text and "nan" not in text
    assert table.isna().to_numpy().any()  # the data keep NaN where the print is blank
    body = text.split("\n\n")[-1].splitlines()
    cells = table.cells()
    for line, (label, value) in zip(body[1:], table["Df"].items()):
        assert line.startswith(str(label))
        cell = cells.loc[label, "Df"].strip()
        assert cell == ("" if np.isnan(value) else str(int(value))), (line, value)
        assert cell in line.split()[1:] or not cell
    checker = parse(table._repr_html_())
    assert "nan" not in " ".join(checker.data).lower().split()
    assert checker.data[0] == table.heading[0]
    assert checker.tags.count("table") == 1


def test_anova_stays_a_dataframe_under_pandas(anovas):
    t = anovas["d93_sequential"]
    sub = t.iloc[1:]
    assert isinstance(sub, AnovaTable) and sub.heading == t.heading
    plain = pd.DataFrame(t)
    pd.testing.assert_frame_equal(plain, t, check_frame_type=False)
    assert "Analysis of Deviance Table" in repr(sub) and "Analysis" not in repr(plain)
    assert repr(t.T) == repr(pd.DataFrame(t.T))  # no longer R's table: pandas' display


def test_drop1_html_escapes_none_row(anovas):
    out = anovas["d93_drop1"]._repr_html_()
    assert "&lt;none&gt;" in out and "<none>" not in out


def test_glm_repr_and_html(dobson):
    text = repr(dobson)
    # R: print(glm.D93) shows the coefficients with 4 digits, one format for the vector
    assert "Coefficients:" in text and "-4.543e-01" in text and "Formula: counts ~ outcome + treatment" in text
    assert "Degrees of Freedom: 8 Total (i.e. Null);  4 Residual" in text
    assert "Residual Deviance: 5.129" in text and "AIC: 56.76" in text
    html_out = dobson._repr_html_()
    assert html_out == dobson.summary()._repr_html_()
    checker = parse(html_out)
    assert "-4.54255e-01" in checker.data and "font-variant-numeric: tabular-nums" in html_out


def test_summary_rejects_a_stray_model(dobson):
    other = F.dobson_poisson()
    with pytest.raises(TypeError, match="alpha must be a number.*GLMResults.*anova"):
        dobson.summary(other)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\), got 1.5"):
        dobson.summary(1.5)
    with pytest.raises(TypeError, match="alpha"):
        dobson.summary("0.05")
    assert "[0.05" in str(dobson.summary(0.1))  # a level still goes by position
    assert dobson.summary(digits=4).sections[0].cells(4)["coef"].iloc[0] == "3.045e+00"


def test_other_summaries_reject_a_stray_model(dobson):
    nb, mn = F.negative_binomial(), F.multinomial()
    for res in (nb, mn):
        with pytest.raises(TypeError, match="alpha must be a number"):
            res.summary(dobson)
        with pytest.raises(ValueError, match="alpha must be in"):
            res.summary(alpha=0.0)
    with pytest.raises(TypeError):
        F.penalized().summary(dobson)


def test_tests_display(dobson):
    w = dobson.wald_test("outcome[T.2] = 0, outcome[T.3] = 0")
    assert repr(w) == str(w) and "chi2(2) = 5.48711, p-value = 0.06434" in str(w)
    checker = parse(w._repr_html_())
    assert "outcome[T.2] = 0" in checker.data
    t = dobson.t_test("outcome[T.2] = 0, outcome[T.2] - outcome[T.3] = 0")
    text = repr(t)
    # the estimate column formatted with its standard errors, as the summary's
    assert "-0.454255" in text and "0.202171" in text and "0.024647" in text and "nan" not in text.lower()
    parse(t._repr_html_())


def test_prediction_and_influence_display(dobson):
    p = dobson.get_prediction()
    text = repr(p)
    assert "mean_ci_lower" in text and "21.00000" in text  # one number of decimals per column
    parse(p._repr_html_())
    infl = dobson.get_influence()
    assert "cooks_d" in repr(infl)
    parse(infl._repr_html_())


def test_long_frames_are_cut_with_a_note():
    d = pd.DataFrame({"x": np.arange(50.0), "y": np.linspace(0, 1, 50)})
    res = gs.glm("y ~ x", d, family="gaussian").fit()
    text = repr(res.get_prediction())
    assert "(30 of 50 rows not shown)" in text and len(text.splitlines()) < 30


def test_other_models_display():
    nb, mn, pen = F.negative_binomial(), F.multinomial(), F.penalized()
    assert "Theta:" in repr(nb) and "Coefficients:" in repr(nb)
    assert "Residual Deviance:" in repr(mn) and "mid" in repr(mn)
    for res in (nb, mn, pen):
        out = res._repr_html_()
        assert out == res.summary()._repr_html_()
        parse(out)


def test_table_layout_and_escapes():
    cells = frame_cells(pd.DataFrame({"a<b": [1.0, 22.5, np.nan], "s": ["x&y", "z", None], "flag": [True, False, True]},
                                     index=["r1", "<row>", "r3"]), digits=4)
    assert list(cells["a<b"]) == ["1.0", "22.5", "NA"] and list(cells["flag"]) == ["TRUE", "FALSE", "TRUE"]
    text = text_table(cells, left=["s"])
    assert text.splitlines()[0] == "       a<b s    flag"
    assert all(line == line.rstrip() for line in text.splitlines())
    out = html_table(cells, left=["s"])
    checker = parse(out)
    assert "a&lt;b" in out and "x&amp;y" in out and "&lt;row&gt;" in out and "<row>" not in out
    assert "x&y" in checker.data
    assert wrap_vector(["a", "bb"], ["1", "2"], width=80) == "a  bb\n1   2"
    assert wrap_vector(["a" * 50, "b" * 50], ["1", "2"], width=80).count("\n") == 3


def test_profile_and_path_display():
    quine = gs.datasets.load("quine")
    profile = gs.tweedie_profile("Days ~ Eth + Sex + Age + Lrn", quine, p_grid=[1.3, 1.5], refine=False)
    text = repr(profile)
    assert text.startswith("Tweedie profile likelihood over p") and "best grid p" in text and "nan" not in text.split("spline")[0]
    path = gs.regularization_path(gs.glm("Days ~ Eth + Sex", quine, family="poisson"), n_alphas=3)
    assert "Elastic-net path: 3 alphas" in repr(path) and "Eth[T.N]" in repr(path)
    for html in (profile._repr_html_(), path._repr_html_()):
        assert parse(html).tags.count("table") == 1 and "NaN" not in html
