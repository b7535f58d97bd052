"""Each renderer of glmstats.report.Report on each kind of summary, from real fits.

The kinds: a GLM (R's ``glm.D93``, Dobson's Poisson example), a negative binomial fit, a
multinomial logit and an elastic-net fit (see _report_fits.py). The numbers are checked against
the results objects: each coefficient's cell must read back as the coefficient to the cell's last
decimal, with at least six significant digits (R's printCoefmat at digits = 6; the exact strings are
checked against R in test_format_r.py and test_report_golden.py).
"""

import re

import numpy as np
import pandas as pd
import pytest

import _report_fits as F
from _html import WellFormed
from glmstats.report.report import Report, Section

GLM_ITEMS = ["Dep. Variable", "Model family", "Link", "Method", "No. Observations", "Df Residuals",
             "Df Model", "Dispersion", "Dispersion method", "Covariance type", "Deviance", "Pearson chi2",
             "Null deviance", "Df Null", "Log-Likelihood", "AIC", "BIC", "Iterations", "Converged"]
ITEMS = {
    "glm": GLM_ITEMS,
    "negative_binomial": GLM_ITEMS + ["Theta", "Std. Err. theta"],
    "multinomial": ["Dep. Variable", "Classes", "Reference class", "Method", "No. Observations",
                    "Df Residuals", "Df Model", "Iterations", "Converged", "Log-Likelihood", "LL-Null",
                    "Residual Deviance", "AIC", "BIC", "Pseudo R-squ.", "LR chi2(4)", "LLR p-value"],
    "penalized": ["Family", "Link", "No. observations", "alpha (penalty)", "l1_ratio", "Objective",
                  "Deviance", "Non-zero coefficients", "Iterations", "Converged", "Max KKT violation"],
}
FITS = {"glm": F.dobson_poisson_full, "negative_binomial": F.negative_binomial,
        "multinomial": F.multinomial, "penalized": F.penalized}


@pytest.fixture(scope="module", params=list(FITS))
def case(request):
    res = FITS[request.param]()
    return request.param, res, res.summary()


def coefficients(kind, res):
    """The coefficients of each section, as a list of arrays (one per non-reference class)."""
    if kind == "multinomial":
        return [res.params[c].to_numpy() for c in res.params.columns]
    return [res.params.to_numpy()]


def header_numbers(kind, res):
    """Some header items and their values, formatted from the results."""
    if kind == "penalized":
        return {"Deviance": f"{res.deviance:.6g}", "Objective": f"{res.objective:.10g}",
                "alpha (penalty)": "0.1", "l1_ratio": "0.5"}
    out = {"Log-Likelihood": f"{res.llf:.6g}", "AIC": f"{res.aic:.6g}", "BIC": f"{res.bic:.6g}"}
    if kind == "negative_binomial":
        out.update({"Theta": f"{res.theta:.6g}", "Std. Err. theta": f"{res.theta_se:.6g}"})
    return out


def cells(summary):
    """Every formatted cell of the coefficient tables, as the renderers must show them."""
    out = []
    for section in summary.sections:
        out += list(section.cells(summary.digits).to_numpy().ravel())
    return out


def coefficient_cells(summary):
    """The cells of the coefficient column of each section."""
    return [list(section.cells(summary.digits)["coef"]) for section in summary.sections]


def reads_as(cell, v):
    """`cell` is `v` to its last shown digit, with at least 6 significant digits (or is an exact 0)."""
    mantissa, _, exponent = cell.partition("e")
    decimals = len(mantissa.partition(".")[2]) - (int(exponent) if exponent else 0)
    digits = len(mantissa.replace("-", "").replace(".", "").lstrip("0"))
    return abs(float(cell) - v) <= 0.5 * 10.0**-decimals * (1 + 1e-9) and (digits >= 6 or v == 0)


def test_coefficient_cells_read_as_the_coefficients(case):
    kind, res, summary = case
    for coef, shown in zip(coefficients(kind, res), coefficient_cells(summary)):
        assert len(coef) == len(shown)
        for v, cell in zip(coef, shown):
            assert reads_as(cell, v), (kind, v, cell)


# ------------------------------------------------------------------------------------- text
def test_text_has_every_coefficient_to_six_digits(case):
    kind, res, summary = case
    text = summary.as_text()
    for shown in coefficient_cells(summary):
        for cell in shown:
            assert re.search(rf"(^|\s){re.escape(cell)}(\s|$)", text, re.M), (kind, cell)
    for cell in cells(summary):
        assert cell in text


def test_text_has_every_header_item_beside_its_value(case):
    kind, res, summary = case
    text = summary.as_text()
    assert [k for k, _ in summary.left + summary.right] == ITEMS[kind]
    for key, value in summary.left + summary.right:
        assert re.search(rf"(^|\s){re.escape(key)}:\s+{re.escape(value)}(\s|$)", text, re.M), (key, value)
    for key, value in header_numbers(kind, res).items():
        assert summary.tables[0].loc[key, "value"] == value


def test_text_layout(case):
    kind, _, summary = case
    lines = str(summary).splitlines()
    assert lines[0].strip() == summary.title and set(lines[1]) == {"="}
    assert all(line == line.rstrip() for line in lines)
    assert repr(summary) == str(summary) == summary.render("text")


def test_theta_only_in_the_negative_binomial_report(case):
    kind, res, summary = case
    text = summary.as_text()
    if kind == "negative_binomial":
        assert "Theta:" in text and f"{res.theta:.6g}" in text
        assert "Std. Err. theta:" in text and f"{res.theta_se:.6g}" in text
    else:
        assert "Theta" not in text and "theta" not in text


def test_sections(case):
    kind, res, summary = case
    tables = summary.tables
    assert list(tables[0].columns) == ["value"] and tables[0].index.name == "item"
    assert len(tables) == 1 + len(summary.sections)
    text = summary.as_text()
    if kind == "multinomial":
        titles = [f"y = {c} (vs low)" for c in ("mid", "high")]
        assert [s.title for s in summary.sections] == titles
        for title in titles:
            assert f"\n{title}\n" in text
        np.testing.assert_array_equal(tables[2]["coef"], res.params["high"])
    if kind == "penalized":
        assert list(tables[1].columns) == ["coef", "penalty weight"]
        assert summary.lines[0].startswith("Objective: ") and summary.lines[0] in text
        assert "std err" not in text and "P>|z|" not in text
    else:
        assert list(tables[1].columns[:4]) in (["coef", "std err", "z", "P>|z|"], ["coef", "std err", "t", "P>|t|"])


# ------------------------------------------------------------------------------------- HTML
def test_html_is_well_formed_and_has_the_numbers(case):
    kind, res, summary = case
    out = summary.as_html()
    assert out == summary._repr_html_() == summary.render("html")
    checker = WellFormed()
    checker.feed(out)
    checker.close()
    assert checker.stack == []
    assert checker.tags.count("table") == 1 + len(summary.sections)
    data = set(checker.data)
    for cell in cells(summary):
        assert cell in data
    for shown in coefficient_cells(summary):
        assert set(shown) <= data
    for key, value in summary.left + summary.right:
        assert f"{key}:" in data and value in data
    for note in summary.notes:
        assert note in data


# ------------------------------------------------------------------------------------ LaTeX
def test_latex_environments_are_balanced(case):
    kind, res, summary = case
    out = summary.as_latex()
    assert out == summary.render("latex")
    stack = []
    for command, env in re.findall(r"\\(begin|end)\{(\w+)\}", out):
        if command == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env
    assert stack == []
    assert out.count("\\begin{tabular}") == 1 + len(summary.sections)
    assert out.startswith("\\begin{table}") and out.endswith("\\end{table}")
    for shown in coefficient_cells(summary):
        for cell in shown:
            assert cell in out


# --------------------------------------------------------------------------------- markdown
def test_markdown_has_pipe_tables(case):
    kind, res, summary = case
    out = summary.as_markdown()
    assert out == summary.render("markdown")
    lines = out.splitlines()
    separators = [line for line in lines if re.fullmatch(r"\|(:?-+:?\|)+", line)]
    assert len(separators) == 1 + len(summary.sections)
    # the tables: runs of lines starting with "|"; in each, every row has the separator's cells
    tables, run = [], []
    for line in lines + [""]:
        if line.startswith("|"):
            run.append(line)
        elif run:
            tables, run = tables + [run], []
    assert len(tables) == len(separators)
    for table in tables:
        assert re.fullmatch(r"\|(:?-+:?\|)+", table[1]) and all(row.endswith("|") for row in table)
        assert len({row.replace("\\|", "").count("|") for row in table}) == 1
    for shown in coefficient_cells(summary):
        for cell in shown:
            assert f"| {cell} |".replace(" ", "") in "".join(out.split()), cell


def test_render_rejects_an_unknown_format(case):
    _, _, summary = case
    with pytest.raises(ValueError, match="'text', 'html', 'latex', 'markdown'.*'nope'"):
        summary.render("nope")


# ---------------------------------------------------------------------- a hand-built report
def test_one_column_header_lines_and_titles_in_every_format():
    table = pd.DataFrame({"est": [1.5, np.nan], "p": [0.5, 1e-20]}, index=["a_1", "b|2"])
    report = Report("T & t", [("k_1", "v<1>")], [], [Section(table, title="S_1", pvalue_column="p")],
                    lines=["x * y_2"], notes=["n%1"])
    text = report.as_text()
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "k_1:  v<1>" in text and "\nS_1\n" in text and "NA" in text and "<2e-16" in text
    assert text.endswith("x * y_2\nNotes:\n[1] n%1")
    latex = report.as_latex()
    assert r"T \& t" in latex and r"S\_1\par" in latex and r"x * y\_2\par" in latex and r"n\%1\par" in latex
    md = report.as_markdown()
    assert r"*S\_1*" in md and r"x \* y\_2" in md and r"b\|2" in md
    html = report.as_html()
    assert "<p><em>S_1</em></p>" in html and "<p>x * y_2</p>" in html and "v&lt;1&gt;" in html
    assert report.tables[0].loc["k_1", "value"] == "v<1>"
