"""Tests of glmstats.report.summary.Summary against a fake results object.

The numbers are R's, from /work/shared/reference/cases/dobson_poisson/expected.json:
``glm(counts ~ outcome + treatment, family = poisson(), data = d,
control = glm.control(epsilon = 1e-12, maxit = 100))``, R 4.2.2
(``summary(m)``, ``confint.default(m)``, ``logLik``, ``AIC``, ``BIC``). The fake carries
only the attributes the working agreement lists for GLMResults, so the summary is
tested independently of the fitting code.
"""

import json
import re
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glmstats.report.summary import Summary

# formulaic names of R's (Intercept), outcome2, outcome3, treatment2, treatment3
NAMES = ["Intercept", "C(outcome)[T.2]", "C(outcome)[T.3]", "C(treatment)[T.2]",
         "C(treatment)[T.3]"]
COEF = [3.044522437723423, -0.4542552722775965, -0.292987124681474,
        -6.35193655736146e-17, -2.664535259100375e-16]
SE = [0.17089865185644149, 0.2021707591938455, 0.1927423451597928,
      0.19999999999999996, 0.19999999999999996]
Z = [17.81478323352069, -2.2468890856864574, -1.5200973322109024,
     -3.1759682786807303e-16, -1.3322676295501878e-15]
P = [5.426771024611239e-71, 0.02464711641129516, 0.1284865150135061,
     0.9999999999999998, 0.9999999999999989]
# confint.default(m) (Wald, normal quantiles), level 0.95
CI = [[2.7095672350783486, 3.3794776403684974],
      [-0.8505026790246536, -0.05800786553053938],
      [-0.6707551794904558, 0.08478093012750781],
      [-0.3919927969080107, 0.3919927969080106],
      [-0.3919927969080109, 0.39199279690801037]]


def make_results(names=NAMES, **overrides):
    """A stand-in for GLMResults on the Dobson Poisson fit."""
    params = pd.Series(COEF, index=names)
    bse = pd.Series(SE, index=names)
    ci = pd.DataFrame(CI, index=names, columns=["lower", "upper"])

    def conf_int(alpha=0.05):
        if alpha == 0.05:
            return ci.copy()
        # Wald interval at another level, enough for the label tests
        from scipy import stats
        q = stats.norm.ppf(1 - alpha / 2)
        return pd.DataFrame({"lower": params - q * bse, "upper": params + q * bse})

    res = types.SimpleNamespace(
        params=params, bse=bse, tvalues=pd.Series(Z, index=names),
        pvalues=pd.Series(P, index=names), conf_int=conf_int,
        nobs=9, df_model=4, df_resid=4, rank=5, scale=1.0,
        deviance=5.129141077001145, null_deviance=10.581445863750867,
        pearson_chi2=5.173201621073963, llf=-23.38065920097884,
        llnull=-26.106811594353694, aic=56.76131840195768, bic=57.74744128863878,
        converged=True, n_iter=4, use_t=False, cov_type="nonrobust",
        family=types.SimpleNamespace(name="poisson", link=types.SimpleNamespace(name="log")),
        aliased=pd.Series(False, index=names), n_dropped=0, dropped_columns=[],
        scale_method="fixed at 1", fixed_scale=True, separation=[], endog_name="counts",
        method="IRLS",
    )
    for key, value in overrides.items():
        setattr(res, key, value)
    return res


def header_value(summary, item):
    return summary.tables[0].loc[item, "value"]


def r_cells(digits):
    """R's printCoefmat cells for this table (generate_format.R, case glm_d93_reference), by row."""
    ref = json.loads((Path(__file__).parents[1] / "reference_extra" / "format" / "format.json").read_text())
    case = next(c for c in ref["cases"] if c["name"] == "glm_d93_reference" and c["digits"] == digits)
    return [[s.strip() for s in row] for row in zip(*(c["out"] for c in case["columns"]))]


def test_text_has_rs_coefficient_cells():
    # R: printCoefmat(<glm.D93 table with the Wald interval>, digits = 6, cs.ind = 1:2, tst.ind = 3):
    # estimates and SEs together in scientific notation (two estimates are ~1e-16), z rounded to 5
    # decimals, p-values by format.pval(digits = 5), whose floor then reads "< 2e-16"
    text = str(Summary(make_results()))
    rows = {line.split()[0]: line for line in text.splitlines() if line.split() and line.split()[0] in NAMES}
    for name, cells in zip(NAMES, r_cells(6)):
        # R's column order: estimate, SE, z, lower, upper, p; ours puts the p-value before the interval
        ours = cells[:3] + [cells[5]] + cells[3:5]
        assert re.fullmatch(r"\s+".join([re.escape(name)] + [re.escape(c) for c in ours]), rows[name]), name
    assert Summary(make_results(), digits=4).sections[0].cells(4)["P>|z|"].tolist() == [r[5] for r in r_cells(4)]
    for col in ("coef", "std err", "P>|z|", "[0.025", "0.975]"):
        assert col in text
    assert "P>|t|" not in text


def test_text_has_every_header_item():
    s = Summary(make_results())
    text = s.as_text()
    expected = {
        "Dep. Variable": "counts", "Model family": "poisson", "Link": "log",
        "Method": "IRLS", "No. Observations": "9", "Df Residuals": "4", "Df Model": "4",
        "Dispersion": "1", "Dispersion method": "fixed at 1",
        "Covariance type": "nonrobust", "Deviance": "5.12914", "Pearson chi2": "5.1732",
        "Null deviance": "10.5814", "Df Null": "8", "Log-Likelihood": "-23.3807",
        "AIC": "56.7613", "BIC": "57.7474", "Iterations": "4", "Converged": "yes",
    }
    for item, value in expected.items():
        assert item + ":" in text
        assert header_value(s, item) == value
        assert value in text
    assert text.splitlines()[0].strip() == s.title
    assert "Notes" not in text
    assert s.notes == []


def test_tables_are_dataframes_with_the_same_content():
    s = Summary(make_results())
    assert len(s.tables) == 2
    header, coef = s.tables
    assert isinstance(header, pd.DataFrame) and isinstance(coef, pd.DataFrame)
    assert list(coef.index) == NAMES
    assert list(coef.columns) == ["coef", "std err", "z", "P>|z|", "[0.025", "0.975]"]
    np.testing.assert_allclose(coef["coef"], COEF, rtol=0, atol=0)
    np.testing.assert_allclose(coef["std err"], SE, rtol=0, atol=0)
    np.testing.assert_allclose(coef[["[0.025", "0.975]"]], CI, rtol=0, atol=0)
    assert header.loc["AIC", "value"] == "56.7613"


def test_use_t_and_alpha_change_the_labels():
    s = Summary(make_results(use_t=True), alpha=0.1)
    assert list(s.tables[1].columns) == ["coef", "std err", "t", "P>|t|", "[0.05", "0.95]"]
    text = str(s)
    assert "P>|t|" in text and "[0.05" in text and "0.95]" in text
    with pytest.raises(ValueError, match="alpha"):
        Summary(make_results(), alpha=1.5)


def test_nan_statistics_render_as_na():
    # quasipoisson: no likelihood, so R's logLik/AIC/BIC are NA
    res = make_results(llf=np.nan, llnull=np.nan, aic=np.nan, bic=np.nan,
                       family=types.SimpleNamespace(name="quasipoisson",
                                                    link=types.SimpleNamespace(name="log")),
                       scale=1.29, scale_method="Pearson chi2 / df_resid", use_t=True)
    s = Summary(res)
    text = str(s)
    for item in ("Log-Likelihood", "AIC", "BIC"):
        assert header_value(s, item) == "NA"
    assert "nan" not in text.lower().replace("quasi", "")
    assert "Pearson chi2 / df_resid" in text
    s.as_html()
    s.as_latex()
    s.as_markdown()


def test_nan_everywhere_does_not_raise():
    nan = pd.Series(np.nan, index=NAMES)
    res = make_results(bse=nan, tvalues=nan, pvalues=nan, deviance=np.nan,
                       pearson_chi2=np.nan, null_deviance=np.nan, scale=np.nan,
                       df_resid=np.nan, n_iter=None, converged=None,
                       conf_int=lambda alpha=0.05: pd.DataFrame(
                           {"lower": nan, "upper": nan}))
    text = str(Summary(res))
    assert "nan" not in text.lower()


def test_aliased_rows_say_na_and_get_a_note():
    params = pd.Series(COEF, index=NAMES)
    params.iloc[4] = np.nan
    nan_last = lambda values: pd.Series(values[:4] + [np.nan], index=NAMES)  # noqa: E731
    ci = pd.DataFrame(CI, index=NAMES, columns=["lower", "upper"])
    ci.iloc[4] = np.nan
    aliased = pd.Series([False] * 4 + [True], index=NAMES)
    res = make_results(params=params, bse=nan_last(SE), tvalues=nan_last(Z),
                       pvalues=nan_last(P), conf_int=lambda alpha=0.05: ci, aliased=aliased)
    s = Summary(res)
    row = [line for line in str(s).splitlines() if line.startswith("C(treatment)[T.3]")]
    assert len(row) == 1
    assert row[0].split()[1:] == ["NA"] * 6
    assert s.notes == ["Coefficients not defined because of singularities: C(treatment)[T.3]"]
    assert "[1] Coefficients not defined because of singularities: C(treatment)[T.3]" in str(s)
    assert s.tables[1].loc["C(treatment)[T.3]"].isna().all()


def test_notes_for_dropped_rows_convergence_separation_and_covariance():
    res = make_results(n_dropped=42, dropped_columns=["Ozone", "Solar_R"], converged=False,
                       n_iter=100, separation=["x1", "x2"], cov_type="HC0")
    s = Summary(res)
    text = str(s)
    assert len(s.notes) == 4
    assert "42 observations deleted due to missingness (missing values in: Ozone, Solar_R)" \
        in text
    assert "IRLS did not converge in 100 iterations" in text
    assert "Fitted probabilities numerically 0 or 1 occurred" in text
    assert "coefficients involved: x1, x2" in text
    assert "HC0" in s.notes[3] and "vcovHC" in s.notes[3]
    assert header_value(s, "Converged") == "no"
    assert "Notes:" in text and "[4]" in text

    one = Summary(make_results(n_dropped=1, dropped_columns=["x"]))
    assert one.notes[0].startswith("1 observation deleted due to missingness")
    cluster = Summary(make_results(cov_type="cluster"))
    assert "cluster-robust" in cluster.notes[0] and "vcovCL" in cluster.notes[0]


def test_negative_binomial_theta_rows():
    # MASS::glm.nb results carry theta and its standard error; NegativeBinomialResults.summary
    # passes them as extra rows, formatted with the summary's digits
    s = Summary(make_results(), extra_rows=[("Theta", 7.462943), ("Std. Err. theta", 1.98767)])
    assert header_value(s, "Theta") == "7.46294"
    assert header_value(s, "Std. Err. theta") == "1.98767"
    assert list(s.tables[0].index[-2:]) == ["Theta", "Std. Err. theta"]
    # the GLM summary does not look for a theta attribute
    assert "Theta" not in Summary(make_results(theta=7.462943, theta_se=1.98767)).tables[0].index


def test_large_values_keep_integer_digits():
    s = Summary(make_results(aic=1234567.891, deviance=2.5e20))
    assert header_value(s, "AIC") == "1234568"
    assert header_value(s, "Deviance") == "2.5e+20"


def test_html_has_tables_and_escapes():
    names = ["Intercept", "a<b", "x&y", "C(outcome)[T.3]", "z"]
    s = Summary(make_results(names=names, n_dropped=2, dropped_columns=["<col>"]))
    out = s._repr_html_()
    assert out.count("<table ") == 2 and "font-variant-numeric: tabular-nums" in out
    assert "a&lt;b" in out and "x&amp;y" in out and "a<b" not in out
    assert "P&gt;|z|" in out
    assert "&lt; 2e-16" in out  # R: format.pval(..., digits = 5) next to 8-character p-values
    assert "missing values in: &lt;col&gt;" in out
    assert "5.12914" in out and "poisson" in out


def test_latex_escapes_special_characters():
    names = ["Intercept", "C(outcome)[T.2]", "log_dose", "pct%", "a&b"]
    s = Summary(make_results(names=names, aliased=pd.Series([False, False, False, False, True],
                                                            index=names)))
    out = s.as_latex()
    assert r"C(outcome){[}T.2{]}" in out
    assert r"log\_dose" in out
    assert r"pct\%" in out
    assert r"a\&b" in out
    assert "C(outcome)[T.2]" not in out and "log_dose" not in out
    assert r"P\textgreater{}\textbar{}z\textbar{}" in out
    assert r"{[}0.025" in out and r"0.975{]}" in out
    assert r"\textless{} 2e-16" in out
    assert r"\begin{tabular}" in out and r"\toprule" in out and r"\bottomrule" in out
    assert out.count(r"\begin{tabular}") == out.count(r"\end{tabular}") == 2
    # the aliased note names the escaped term, and its number is braced
    assert r"{[}1{]} Coefficients not defined because of singularities: a\&b" in out
    # every "&" left unescaped is a column separator: 4 per header row, 6 per coef row
    rows = [line for line in out.splitlines() if line.endswith("\\\\")]
    for line in rows:
        assert line.replace(r"\&", "").count("&") in (3, 6)


def test_markdown_is_pipe_tables():
    out = Summary(make_results()).as_markdown()
    assert "| Intercept" in out
    assert r"P>\|z\|" in out
    assert "3.04452" in out
