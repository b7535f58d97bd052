"""glmstats.report.format writes numbers exactly as R 4.2.2 does.

Expected strings: tests/reference_extra/format/format.json, printed by R itself from
tests/reference_extra/format/generate_format.R (sessionInfo.txt beside it): ``format(x, digits)``,
``format.pval(pv, digits)``, and the cells ``printCoefmat``/``print.anova`` hand to ``print.default``
(captured with ``trace``), each with the exact inputs R formatted. Never produced by glmstats.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glmstats.report.format import (anova_cells, coefmat_cells, fmt_num, fmt_pvalue, format_pval, format_real,
                                    r_round, zapsmall)

REF = json.loads((Path(__file__).parents[1] / "reference_extra" / "format" / "format.json").read_text())
CASES = REF["cases"]


def _num(values):
    return np.array([np.nan if v is None else float(v) for v in values])


def _ids(kind):
    return [c for c in CASES if c["kind"] == kind], [f"{c['name']}-d{c['digits']}" for c in CASES if c["kind"] == kind]


FORMAT, FORMAT_IDS = _ids("format")
PVAL, PVAL_IDS = _ids("pval")
COEFMAT, COEFMAT_IDS = _ids("coefmat")
ANOVA, ANOVA_IDS = _ids("anova")


def _table(case):
    return pd.DataFrame({c["name"]: _num(c["x"]) for c in case["columns"]}, index=case["rownames"])


@pytest.mark.parametrize("case", FORMAT, ids=FORMAT_IDS)
def test_format_real_matches_r(case):
    # R: format(x, digits = d)
    assert format_real(_num(case["x"]), case["digits"]) == case["out"]


@pytest.mark.parametrize("case", PVAL, ids=PVAL_IDS)
def test_format_pval_matches_r(case):
    # R: format.pval(pv, digits = d)
    assert format_pval(_num(case["x"]), case["digits"]) == case["out"]


@pytest.mark.parametrize("case", COEFMAT, ids=COEFMAT_IDS)
def test_coefmat_cells_match_r(case):
    # R: printCoefmat(x, digits = d, signif.stars = FALSE); the interval columns sit between the
    # statistic and the p-value, so R formats them as its "other" columns
    cells = coefmat_cells(_table(case), case["digits"])
    for j, col in enumerate(case["columns"]):
        assert list(cells.iloc[:, j]) == col["out"], col["name"]


@pytest.mark.parametrize("case", ANOVA, ids=ANOVA_IDS)
def test_anova_cells_match_r(case):
    # R: print(anova(...), digits = 5); missing cells are blanks
    cells = anova_cells(_table(case), case["digits"])
    for j, col in enumerate(case["columns"]):
        assert list(cells.iloc[:, j]) == col["out"], col["name"]


def test_the_cases_cover_what_they_should():
    assert len(FORMAT) >= 200 and len(PVAL) >= 40 and len(COEFMAT) >= 10 and len(ANOVA) >= 6
    assert REF["r_version"].startswith("R version 4.2")


def test_the_classic_column_goes_scientific_together():
    # R: format(c(1.08908e-15, 0.2), digits = 4) -- one tiny value turns the whole column scientific
    assert format_real([1.08908e-15, 0.2], 4) == ["1.089e-15", "2.000e-01"]
    assert format_real([1.5, 0.25, np.nan], 4) == ["1.50", "0.25", "  NA"]
    assert format_real([1.5, 0.25, np.nan], 4, trim=True, na="") == ["1.50", "0.25", ""]


def test_scalar_helpers():
    assert fmt_num(0.0001) == "1e-04"          # R: format(0.0001, digits = 6)
    assert fmt_num(1234567.8) == "1234568"    # R: format(1234567.8, digits = 6)
    assert fmt_num(None) == fmt_num(np.nan) == "NA"
    assert fmt_num("abc") == "abc"
    assert fmt_pvalue(1e-300) == "< 2.2e-16"  # R: format.pval(1e-300, digits = 4), as print.htest
    assert fmt_pvalue(1e-300, digits=3) == "<2e-16"
    assert fmt_pvalue(0.0246470) == "0.02465"  # R: format.pval(0.024647, digits = 4)
    assert fmt_pvalue(None) == "NA"


def test_r_round_and_zapsmall():
    # R 4.2.2: round(c(0.15, 2.5, -0.125, 0.285, 1.005), c(1, 0, 2, 2, 2)) is 0.1 2 -0.12 0.28 1
    got = [float(r_round(x, d)) for x, d in [(0.15, 1), (2.5, 0), (-0.125, 2), (0.285, 2), (1.005, 2)]]
    assert got == [0.1, 2.0, -0.12, 0.28, 1.0]
    assert np.isnan(r_round([np.nan], 2)).all()
    np.testing.assert_array_equal(zapsmall([1.0, 1e-12]), [1.0, 0.0])
    assert np.isnan(zapsmall([np.nan])).all()


def test_digits_out_of_range():
    with pytest.raises(ValueError, match="digits"):
        format_real([1.0], 0)
