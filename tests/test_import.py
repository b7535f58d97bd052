"""`import glmstats` stays light: the heavy modules load on first use (glmstats._lazy)."""

import subprocess
import sys


def test_import_does_not_load_heavy_modules():
    code = ("import sys, glmstats; heavy = [m for m in ('scipy.stats', 'formulaic', 'scipy.optimize') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_modules_work_after_import():
    import glmstats as gs

    res = gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit()
    assert 0 < res.pvalues.iloc[1] < 1
