"""gs.compare: models side by side.

The numbers in the cells are each model's own params, bse, conf_int and statistics (checked against R
in the model tests); these tests check that the table shows exactly those, where and how it should.
"""

import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import glmstats as gs
from glmstats.report.compare import SIGNIF_LEGEND, Comparison, significance_stars
from glmstats.report.format import fmt_count, fmt_num

FORMULA = "breaks ~ wool + C(tension, levels=['L', 'M', 'H'])"


@pytest.fixture(scope="module")
def warpbreaks():
    return gs.datasets.load("warpbreaks")


@pytest.fixture(scope="module")
def fits(warpbreaks):
    d = warpbreaks
    return {
        "Poisson": gs.glm(FORMULA, d, family="poisson").fit(),
        "quasi-Poisson": gs.glm(FORMULA, d, family="quasipoisson").fit(),
        "NB": gs.glm_nb(FORMULA, d).fit(),
        "interaction": gs.glm("breaks ~ wool * C(tension, levels=['L', 'M', 'H'])", d, family="poisson").fit(),
    }


@pytest.fixture(scope="module")
def penalized(warpbreaks):
    return gs.glm(FORMULA, warpbreaks, family="poisson").fit_regularized(0.05, l1_ratio=0.5)


def cells(comparison, term, name):
    """The estimate's cell and the one below it."""
    t = comparison.table
    i = list(t.index).index(term)
    return t[name].iloc[i], t[name].iloc[i + 1]


def decimals(cell):
    return len(cell.split(".")[1]) if "." in cell else 0


def shows(cell, value):
    """Whether a cell's text is `value` rounded to the decimals it shows (fixed notation)."""
    return abs(float(cell) - value) <= 0.5 * 10.0 ** -decimals(cell) * (1 + 1e-12)


def column_cells(c, name, terms):
    return [cells(c, term, name) for term in terms]


def test_cells_are_each_models_params_and_bse(fits):
    c = gs.compare(fits)
    assert c.names == list(fits)
    for name, res in fits.items():
        assert_array_equal(c.params[name].reindex(res.params.index), res.params)
        assert_array_equal(c.bse[name].reindex(res.params.index), res.bse)
        assert_array_equal(c.pvalues[name].reindex(res.params.index), res.pvalues)
        # printCoefmat's rule: estimates and SEs of a model share one number of decimals
        pairs = column_cells(c, name, res.params.index)
        assert len({decimals(top) for top, _ in pairs} | {decimals(below.strip("()")) for _, below in pairs}) == 1
        for term, (top, below) in zip(res.params.index, pairs):
            assert shows(top, res.params[term])
            assert below.startswith("(") and below.endswith(")") and shows(below.strip("()"), res.bse[term])


def test_statistics_rows(fits):
    c = gs.compare(fits, digits=6)
    for name, res in fits.items():
        assert c.stats.at["Deviance", name] == res.deviance
        assert c.table.at["No. Observations", name] == fmt_count(res.nobs, 6)
        assert c.table.at["Deviance", name] == fmt_num(res.deviance, 6)
        assert c.table.at["BIC", name] == fmt_num(res.bic, 6)
        assert c.table.at["Dispersion", name] == fmt_num(res.scale, 6)
    # R prints NA for the likelihood of a quasi family; theta only for the negative binomial
    assert c.table.at["AIC", "quasi-Poisson"] == "NA" and np.isnan(c.stats.at["AIC", "quasi-Poisson"])
    assert c.table.at["Theta", "NB"] == fmt_num(fits["NB"].theta, 6)
    assert c.table.at["Theta", "Poisson"] == ""
    # no penalized fit: no penalty rows (the negative binomial's alpha = 1/theta is not a penalty)
    assert "Penalty alpha" not in c.table.index


def test_terms_union_in_first_seen_order_blank_where_absent(fits):
    c = gs.compare([fits["Poisson"], fits["interaction"]], names=["main", "inter"])
    terms = list(fits["Poisson"].params.index)
    terms += [t for t in fits["interaction"].params.index if t not in terms]
    assert list(c.params.index) == terms
    assert list(c.table.index[: 2 * len(terms): 2]) == terms
    assert (c.table.index[1: 2 * len(terms): 2] == "").all()
    for term in terms[len(fits["Poisson"].params):]:
        assert cells(c, term, "main") == ("", "")
        assert np.isnan(c.params.at[term, "main"])
        assert cells(c, term, "inter")[0] != ""
    # the order follows the list: the interaction model first puts its terms first
    c2 = gs.compare([fits["interaction"], fits["Poisson"]])
    assert list(c2.params.index) == list(fits["interaction"].params.index)


@pytest.mark.parametrize("p, code", [
    # R 4.2: symnum(p, corr = FALSE, na = FALSE, cutpoints = c(0, .001, .01, .05, .1, 1),
    #               symbols = c("***", "**", "*", ".", " ")): intervals closed on the right
    (0.0, "***"), (0.0005, "***"), (0.001, "***"), (0.0011, "**"), (0.01, "**"), (0.0100001, "*"),
    (0.05, "*"), (0.0500001, "."), (0.0999, "."), (0.1, "."), (0.1000001, ""), (0.2, ""), (1.0, ""),
    (np.nan, ""), (None, ""),
])
def test_significance_stars_thresholds(p, code):
    assert significance_stars(p) == code


def test_stars_in_cells_and_legend(fits):
    plain = gs.compare(fits)
    starred = gs.compare(fits, stars=True)
    assert not any(SIGNIF_LEGEND in n for n in plain.notes)
    assert any(n.startswith(SIGNIF_LEGEND) for n in starred.notes)
    seen = set()
    for name, res in fits.items():
        for term in res.params.index:
            code = significance_stars(res.pvalues[term])
            seen.add(code)
            assert cells(starred, term, name) == (cells(plain, term, name)[0] + code, cells(plain, term, name)[1])
    assert {"***", ""} <= seen and len(seen) >= 3  # the example exercises several codes


def test_confidence_intervals(fits):
    c = gs.compare(fits, stat="ci", alpha=0.1)
    assert c.notes[0].startswith("90% Wald confidence intervals")
    for name, res in fits.items():
        ci = res.conf_int(0.1)
        for term in res.params.index:
            lo, hi = cells(c, term, name)[1].strip("[]").split(", ")
            assert shows(lo, ci.at[term, "lower"]) and shows(hi, ci.at[term, "upper"])
            assert decimals(lo) == decimals(hi) == decimals(cells(c, term, name)[0])
        assert_array_equal(c.conf_int[(name, "lower")].reindex(res.params.index), ci["lower"])


def test_penalized_model_has_no_standard_errors(fits, penalized):
    c = gs.compare({"Poisson": fits["Poisson"], "NB": fits["NB"], "lasso": penalized}, stars=True)
    for term in penalized.params.index:
        top, below = cells(c, term, "lasso")
        assert shows(top, penalized.params[term])  # no stars: no p-values
        assert below == ""
    assert c.bse["lasso"].isna().all()
    assert c.table.at["Penalty alpha", "lasso"] == fmt_num(0.05, 4)
    assert c.table.at["l1_ratio", "lasso"] == "0.5"
    assert c.table.at["Penalty alpha", "NB"] == ""
    assert c.table.at["AIC", "lasso"] == "" and c.table.at["Deviance", "lasso"] == fmt_num(penalized.deviance, 4)
    assert any(n.startswith("lasso: penalized (elastic-net) estimates") for n in c.notes)


def test_every_format_renders(fits, penalized):
    c = gs.compare(dict(fits, lasso=penalized), stars=True)
    term = "wool[T.B]"
    for fmt in Comparison.FORMATS:
        out = c.render(fmt)
        assert isinstance(out, str)
        for name in c.names:
            assert name in out
        assert fmt_num(fits["Poisson"].bse[term], 4) in out
    assert str(c) == c.as_text() == repr(c)
    assert c._repr_html_() == c.as_html()
    assert c.as_markdown().count("\n|") >= len(c.table)
    assert c.as_latex().count("\\begin{tabular}") == 2
    with pytest.raises(ValueError, match="fmt must be one of"):
        c.render("pdf")


def test_text_layout(fits):
    text = gs.compare(fits).as_text().splitlines()
    assert text[0].strip() == "Model comparison"
    assert all(name in text[2] for name in fits)
    # the standard error sits under its estimate, right-aligned in the same column
    i = next(k for k, line in enumerate(text) if line.startswith("Intercept"))
    est, se = text[i], text[i + 1]
    assert len(est) == len(se) and se.lstrip().startswith("(")


def test_html_well_formed_and_escaped():
    d = gs.datasets.load("insurance")  # levels such as "<1l" (the baseline), ">2l", ">35"
    res = gs.glm("Claims ~ Group + Age + offset(np.log(Holders))", d, family="poisson").fit()
    html = gs.compare({"a<b & c": res}).as_html()
    root = ET.fromstring(html)  # well-formed
    text = "".join(root.itertext())
    assert "Group[T.>2l]" in text and "a<b & c" in text
    assert "&gt;2l" in html and "a&lt;b &amp; c" in html and ">2l" not in html
    latex = gs.compare({"a<b & c": res}).as_latex()
    assert "\\textgreater{}2l" in latex and "a\\textless{}b \\& c" in latex


def test_different_nobs_get_a_note(warpbreaks, fits):
    small = gs.glm(FORMULA, warpbreaks.iloc[:40], family="poisson").fit()
    c = gs.compare([fits["Poisson"], small], names=["all", "first 40"])
    note = [n for n in c.notes if "different numbers of observations" in n]
    assert note == ["The models were fitted to different numbers of observations (all: 54, first 40: 40): their "
                    "deviances, log-likelihoods, AICs and BICs are not comparable."]
    assert not any("different numbers" in n for n in gs.compare(fits).notes)


def test_aliased_term_shows_na():
    d = pd.DataFrame({"y": [1.0, 2.2, 2.9, 4.1, 5.3, 5.8], "x": [1.0, 2, 3, 4, 5, 6]})
    d["x2"] = 2 * d["x"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.RankDeficientWarning)
        res = gs.glm("y ~ x + x2", d, family="gaussian").fit()
    c = gs.compare([res])
    assert cells(c, "x2", "(1)") == ("NA", "(NA)")
    assert any(n.startswith("NA: coefficient not defined") for n in c.notes)


def test_robust_covariance_noted(fits):
    robust = fits["Poisson"].get_robustcov_results("HC0")
    c = gs.compare([fits["Poisson"], robust], names=["model", "HC0"])
    assert cells(c, "wool[T.B]", "HC0")[1] == f"({fmt_num(robust.bse['wool[T.B]'], 4)})"
    assert "Robust standard errors: HC0 (HC0)." in c.notes


def test_names_and_inputs(fits):
    res = fits["Poisson"]
    assert gs.compare([res, res]).names == ["(1)", "(2)"]
    assert gs.compare(res).names == ["(1)"]  # one model alone
    assert gs.compare({"x": res}).names == ["x"]
    with pytest.raises(ValueError, match="names has 1 entries for 2 models"):
        gs.compare([res, res], names=["a"])
    with pytest.raises(ValueError, match="must differ"):
        gs.compare([res, res], names=["a", "a"])
    with pytest.raises(ValueError, match="not both"):
        gs.compare({"x": res}, names=["y"])
    with pytest.raises(ValueError, match="at least one"):
        gs.compare([])
    with pytest.raises(ValueError, match='stat must be "se" or "ci"'):
        gs.compare([res], stat="t")
    with pytest.raises(ValueError, match="alpha"):
        gs.compare([res], alpha=1.5)


def test_unsupported_objects_are_named(fits):
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"x": rng.normal(size=60), "y": rng.choice(["a", "b", "c"], size=60)})
    multi = gs.multinom("y ~ x", d).fit()
    with pytest.raises(TypeError, match=r"model 2 has type glmstats\.models\.multinomial\.MultinomialResults"):
        gs.compare([fits["Poisson"], multi])
    with pytest.raises(TypeError, match="model 1 has type int"):
        gs.compare([3])
    model = gs.glm(FORMULA, gs.datasets.load("warpbreaks"), family="poisson")
    with pytest.raises(TypeError, match=r"GLM \(a model: call \.fit\(\)"):
        gs.compare([model])


def test_exported_lazily():
    import subprocess
    import sys

    code = "import sys, glmstats; print('glmstats.report.compare' in sys.modules, 'compare' in glmstats.__all__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
