"""The numbers printed by ``str(res.summary())`` are R's, to 6 significant digits.

Expected values: tests/reference/cases/<case>/expected.json (R 4.2.2 ``summary.glm``,
``deviance``, ``AIC``; see tests/reference/README.md and PROVENANCE.md).

The summary (glmstats/summary.py) prints numbers with 6 significant digits (``%.6g``) in a
plain tabulate layout: a header block of ``Label: value`` pairs and a coefficient table whose
rows start with the term name.  Rather than matching formatted strings (a value that agrees
with R to 1e-10 can still round differently at the 6th digit), the tests parse the printed
numbers and require each to be within half a unit of the 6th significant digit of R's value
(plus a 1e-6 relative allowance for the fit, the tolerance of test_reference_glm.py).
"""
import math
import re

import numpy as np
import pytest



import _glmref as H  # noqa: E402  (pytest puts tests/ on sys.path)
refcase = H.refcase
DIGITS = 6
NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")

# Dobson's treatment coefficients are exactly 0 in theory (equal treatment totals); R stores
# rounding noise (-6e-17, -2.7e-16), so the printed value is only required to be ~0.  1e-10 is
# far below every non-zero coefficient (>= 0.29) and SE (>= 0.17).
ATOL_THEORETICAL_ZERO = {"dobson_poisson": 1e-10}


def _shown_as(printed, want, atol=0.0):
    """True when `printed` is R's `want` rounded to DIGITS significant digits."""
    if np.isnan(want):
        return np.isnan(printed)
    if want == 0 or abs(want) <= atol:
        return abs(printed - want) <= max(atol, 0.0)
    unit = 10.0 ** (math.floor(math.log10(abs(want))) - DIGITS + 1)
    return abs(printed - want) <= 0.5 * unit + 1e-6 * abs(want)


def _parse(token):
    if token == "NA":
        return np.nan
    assert NUMBER.match(token), f"not a number: {token!r}"
    return float(token)


def _coef_row(text, name):
    """Cells after the term name of the coefficient-table row for `name`."""
    hits = []
    for line in text.splitlines():
        stripped = line.strip().strip("|").strip()
        if stripped.startswith(name) and len(stripped) > len(name) and stripped[len(name)] in " \t|":
            hits.append(stripped[len(name):].replace("|", " ").split())
    assert len(hits) == 1, f"expected one coefficient row for {name!r}, found {len(hits)}:\n{text}"
    return hits[0]


def _header_value(text, label):
    """The value printed after ``label:`` in the header block (label at a cell start)."""
    m = re.findall(r"(?:^|\s{2,}|\|\s*)" + re.escape(label) + r":\s+(\S+)", text, flags=re.MULTILINE)
    assert len(m) == 1, f"expected one {label!r} in the summary header, found {m}:\n{text}"
    return m[0]


@pytest.mark.parametrize("interface", ["array", "formula"])
@pytest.mark.parametrize("case", H.GLM_CASES)
def test_coefficient_table(case, interface):
    c = H.load(case)
    res = H.fitted(case, interface)
    text = str(res.summary())
    coef = c.vec("coefficients").to_numpy()
    se = c.vec("se").to_numpy()
    atol = ATOL_THEORETICAL_ZERO.get(case, 0.0)
    names = list(res.params.index)
    assert len(names) == len(coef)
    for i, name in enumerate(names):  # by position: formula names are formulaic's, not R's
        cells = _coef_row(text, str(name))
        got_coef, got_se = _parse(cells[0]), _parse(cells[1])
        assert _shown_as(got_coef, coef[i], atol), f"{case} [{interface}] {name}: coef printed {cells[0]}, R {coef[i]!r}"
        assert _shown_as(got_se, se[i]), f"{case} [{interface}] {name}: SE printed {cells[1]}, R {se[i]!r}"


HEADER = [("Dispersion", "dispersion"), ("Deviance", "deviance"), ("Null deviance", "null_deviance"), ("AIC", "aic")]


@pytest.mark.parametrize("label,key", HEADER)
@pytest.mark.parametrize("case", H.GLM_CASES)
def test_header_numbers(case, label, key):
    c = H.load(case)
    if key in (c.ex.get("not_compared") or {}):
        pytest.skip(f"{case}: {key} not compared: {c.ex['not_compared'][key]}")
    res = H.fitted(case, "array")
    text = str(res.summary())
    want = refcase.num(c.ex[key])
    token = _header_value(text, label)
    if np.isnan(want):
        # R's NA (quasi families have no AIC): printed as NA, never as a number
        assert token == "NA", f"{case}: {label} printed {token!r}, R gives NA"
        return
    assert _shown_as(_parse(token), want), f"{case}: {label} printed {token}, R {want!r}"
