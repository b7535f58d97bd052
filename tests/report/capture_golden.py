"""Print the literal expected strings of test_report_golden.py.

First run at commit e949a1d (the pre-unification ``Summary``) from tests/report:
``python capture_golden.py > expected.txt``; the strings were pasted into test_report_golden.py.
Re-run for issue 12 (R's per-column number formatting, the HTML table renderer): the coefficient
cells of the new text are checked there against R's own printCoefmat cells, never trusted as printed.
Rerunning it on a later commit shows whether the GLM summaries still render the same.
"""

import _report_fits as F

FITS = ("dobson_poisson", "gaussian_aliased_dropped", "binomial_aliased_dropped")
FORMATS = ("text", "html", "latex", "markdown")


def main():
    print("EXPECTED = {")
    for name in FITS:
        summary = getattr(F, name)().summary()
        for fmt in FORMATS:
            out = getattr(summary, f"as_{fmt}")()
            assert "'''" not in out and not out.endswith("\\")  # safe as a raw triple-quoted literal
            print(f"    ({name!r}, {fmt!r}): r'''{out}''',")
    print("}")


if __name__ == "__main__":
    main()
