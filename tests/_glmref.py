"""Shared helpers for the R reference tests (tests/reference/, see its README.md and PROVENANCE.md).

Loads the reference cases with ``tests/reference/refcase.py`` and fits them with glmstats
through the array interface (R's model matrix X.csv) and the formula interface (data.csv and
the case's ``formula_py``).  Expected values are read from the R output only; nothing here
computes an expected value with glmstats.

Imported as ``import _glmref as H``: pytest (rootdir-relative "prepend" import mode) puts
``tests/`` on sys.path.
"""
import functools
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import numpy as np

import glmstats as gs

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _load_module(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


refcase = _load_module("_glmstats_tests_refcase", REFERENCE_DIR / "refcase.py")

GLM_CASES = refcase.case_names("glm")

# Fit options of the reference point: R's fit continued to machine precision (README:
# "Reference point: the fully converged MLE").  tol=1e-15 may stop at maxiter with a
# ConvergenceWarning (API: "A tol too small for floating point ... returns the converged
# values with a ConvergenceWarning"), which the callers filter.
TIGHT = {"tol": 1e-15, "maxiter": 200}
# R's standard fit (glm.control(epsilon = 1e-12, maxit = 100)): iterations / converged.
STANDARD = {"tol": 1e-12, "maxiter": 100}


@functools.lru_cache(maxsize=None)
def load(case):
    return refcase.load(case)


def make_family(ex):
    """gs family from the case's ``gs_family`` spec (README, key ``gs_family``)."""
    spec = ex["gs_family"]
    kwargs = dict(spec.get("args") or {})
    if spec.get("link") is not None:
        kwargs["link"] = getattr(gs.links, spec["link"])()
    return getattr(gs.families, spec["family"])(**kwargs)


def fit_kwargs(ex, **extra):
    kw = dict(extra)
    if ex.get("dispersion_override") is not None:
        kw["scale"] = float(ex["dispersion_override"])
    return kw


def array_model(case, exposure=False):
    c = load(case)
    kw = {}
    if c.var_weights is not None:
        kw["var_weights"] = c.var_weights
    if exposure:
        kw["exposure"] = c.file("y")["exposure"].to_numpy(dtype=float)
    elif c.offset is not None:
        kw["offset"] = c.offset
    return gs.GLM(c.y, c.X, family=make_family(c.ex), **kw)


def strip_offset_terms(formula):
    """Remove ``+ offset(...)`` terms (one level of nested parentheses) from a formula."""
    out = re.sub(r"\s*\+\s*offset\((?:[^()]|\([^()]*\))*\)", "", formula)
    out = re.sub(r"~\s*offset\((?:[^()]|\([^()]*\))*\)\s*\+\s*", "~ ", out)
    return out


def formula_model(case, exposure=False, **extra):
    c = load(case)
    ex = c.ex
    kw = dict(ex.get("formula_py_kwargs") or {})
    kw.update(extra)
    formula = ex["formula_py"]
    if exposure:
        formula = strip_offset_terms(formula)
        kw["exposure"] = ex["exposure_column"]
    return gs.glm(formula, data=c.data, family=make_family(ex), **kw)


def _fit(model, ex, fit_opts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.ConvergenceWarning)
        return model.fit(**fit_kwargs(ex, **fit_opts))


@functools.lru_cache(maxsize=None)
def fitted(case, interface, use_t=None, exposure=False):
    """Cached fit at the reference point (TIGHT).  interface: "array" or "formula"."""
    ex = load(case).ex
    model = array_model(case, exposure) if interface == "array" else formula_model(case, exposure)
    opts = dict(TIGHT)
    if use_t is not None:
        opts["use_t"] = use_t
    return _fit(model, ex, opts)


def assert_close(got, want, rtol=1e-6, atol=0.0, err_msg=""):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert got.shape == want.shape, f"{err_msg}: shape {got.shape} != expected {want.shape}"
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True, err_msg=err_msg)
