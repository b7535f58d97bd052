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


def test_lazy_model_functions_are_the_real_functions():
    # gs.glm_nb & co. load their modules on first access and are then the functions themselves,
    # so help(), inspect.signature and the API reference show the real signature and docstring
    import inspect

    import glmstats as gs
    from glmstats.models import multinomial, negbin, penalized, tweedie_profile

    for name, module in [("glm_nb", negbin), ("multinom", multinomial),
                         ("regularization_path", penalized), ("tweedie_profile", tweedie_profile)]:
        func = getattr(gs, name)
        assert func is getattr(module, name)
        assert "Parameters" in func.__doc__
        assert name in dir(gs)
    assert "link" in inspect.signature(gs.glm_nb).parameters
    assert "l1_ratio" in inspect.signature(gs.regularization_path).parameters


def test_import_does_not_load_model_modules():
    code = ("import sys, glmstats; print(','.join(m for m in ('glmstats.models.negbin', 'glmstats.models.multinomial', "
            "'glmstats.models.penalized', 'glmstats.models.tweedie_profile', 'formulaic', 'plotly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    # `from glmstats import *` resolves the lazy names in __all__
    star = subprocess.run([sys.executable, "-c", "from glmstats import *; glm_nb, multinom"], capture_output=True, text=True)
    assert star.returncode == 0, star.stderr
