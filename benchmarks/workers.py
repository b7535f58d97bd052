"""One timed fit per process: ``python benchmarks/run.py --worker CASE LIB OUT.json``.

The worker loads the case's arrays (not timed), builds what the library takes as input
(an intercept column, a DataFrame with pandas categoricals; not timed), imports the library
(not timed), resets the kernel's peak-RSS counter, then times the fit alone (for the formula
cases: design + fit).  Peak additional memory = VmHWM after the fit - VmRSS before it.
"""

import gc
import json
import os
import re
import sys
import time

import numpy as np

import datagen

FLOOR = "floor"
#: "glmstats-base": glmstats from another checkout (``run.py --baseline PATH``, passed on in the
#: environment variable GLMSTATS_BASE), measured side by side with this one: before/after a change.
BASE = "glmstats-base"
LIBS = ("glmstats", BASE, "statsmodels", "glum", "sklearn")


def _status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def _reset_peak():
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- inputs

def _dense_with_intercept(data):
    X = data["X"]
    Xc = np.empty((X.shape[0], X.shape[1] + 1))
    Xc[:, 0] = 1.0
    Xc[:, 1:] = X
    return Xc


def _frame(name, data):
    import pandas as pd

    levels = datagen.factor_levels(name)
    cols = {f"x{j + 1}": data["num"][:, j] for j in range(data["num"].shape[1])}
    for i, lv in enumerate(levels, start=1):
        cols[f"f{i}"] = pd.Categorical.from_codes(data[f"f{i}"], categories=datagen.level_names(lv))
    cols["y"] = data["y"]
    if "exposure" in data:
        cols["exposure"] = data["exposure"]
    return pd.DataFrame(cols)


def _by_name(names, values, name):
    """Reorder named coefficients to the canonical order (formulaic and patsy order terms differently)."""
    lookup = {str(k).replace(" ", ""): float(v) for k, v in zip(names, values)}
    return [lookup.get(c, np.nan) for c in datagen.design_columns(name)]


# ---------------------------------------------------------------- libraries
# Each returns (fit, extract): fit() is timed; extract(result) -> (params, n_iter) is not.

def glmstats_job(name, data):
    import glmstats as gs

    kind, family, _, _ = datagen.case_spec(name)
    fam = {"gamma": gs.families.Gamma(link="log")}.get(family, family)
    if kind == "penalized":
        Xc = _dense_with_intercept(data)
        y = data["y"]
        alpha, l1_ratio = datagen.penalty(name)

        def fit():
            return gs.GLM(y, Xc, family=fam).fit_regularized(alpha, l1_ratio=l1_ratio)
        return fit, lambda res: (list(np.asarray(res.params, float)), int(res.n_iter))
    if kind == "dense":
        Xc = _dense_with_intercept(data)
        y = data["y"]

        def fit():
            res = gs.GLM(y, Xc, family=fam).fit()
            _ = res.bse  # standard errors are part of the timed work
            return res
        return fit, lambda res: (list(np.asarray(res.params, float)), int(res.n_iter))
    # the formula machinery (formulaic) is imported before the timer, as statsmodels' patsy and the other
    # libraries' categorical encoders are: imports are not part of the timed work
    try:
        import glmstats.formula  # noqa: F401
    except ImportError:  # a checkout from before the formula subpackage (run.py --baseline)
        import glmstats.design  # noqa: F401

    df = _frame(name, data)
    formula = datagen.formula(name)
    exposure = "exposure" if kind == "insurance" else None

    def fit():
        res = gs.glm(formula, df, family=fam, exposure=exposure).fit()
        _ = res.bse  # standard errors are part of the timed work
        return res
    return fit, lambda res: (_by_name(res.params.index, res.params.values, name), int(res.n_iter))


def statsmodels_job(name, data):
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    kind, family, _, _ = datagen.case_spec(name)
    fam = {"poisson": sm.families.Poisson(), "binomial": sm.families.Binomial(),
           "gamma": sm.families.Gamma(sm.families.links.Log())}[family]
    extract = lambda res: (_by_name(res.model.exog_names, res.params, name) if kind != "dense"
                           else list(np.asarray(res.params, float)), int(res.fit_history["iteration"]))
    if kind == "dense":
        Xc = _dense_with_intercept(data)
        y = data["y"]

        def fit():
            res = sm.GLM(y, Xc, family=fam).fit()
            _ = res.bse  # standard errors are part of the timed work
            return res
        return fit, extract
    df = _frame(name, data)
    formula = datagen.formula(name)
    exposure = df["exposure"] if kind == "insurance" else None

    def fit():
        res = smf.glm(formula, df, family=fam, exposure=exposure).fit()
        _ = res.bse  # standard errors are part of the timed work
        return res
    return fit, extract


GLUM_TOL = 1e-10
SKLEARN_TOL = 1e-10


def glum_job(name, data):
    from glum import GeneralizedLinearRegressor

    kind, family, _, _ = datagen.case_spec(name)
    link = {"poisson": "log", "binomial": "logit", "gamma": "log"}[family]
    alpha, l1_ratio = datagen.penalty(name) if kind == "penalized" else (0, 0)
    model = GeneralizedLinearRegressor(family=family, link=link, alpha=alpha, l1_ratio=l1_ratio, fit_intercept=True,
                                       gradient_tol=GLUM_TOL, max_iter=100, drop_first=True)
    if kind in ("dense", "penalized"):
        X, y, offset = data["X"], data["y"], None
    else:
        df = _frame(name, data)
        X = df[[c for c in df.columns if c[0] in "xf"]]
        y = df["y"].to_numpy()
        offset = data.get("exposure")

    def fit():
        return model.fit(X, y, offset=None if offset is None else np.log(offset))

    def extract(m):
        params = [float(m.intercept_)] + list(np.asarray(m.coef_, float))
        if kind not in ("dense", "penalized"):  # check glum's column order against the canonical one
            names = ["Intercept"] + [_glum_name(s) for s in m.feature_names_]
            params = _by_name(names, params, name)
        return params, int(m.n_iter_)
    return fit, extract


def _glum_name(s):
    # glum names a dummy "f1[L01]"
    m = re.fullmatch(r"(\w+)\[(.*)\]", s)
    return f"C({m.group(1)})[T.{m.group(2)}]" if m else s


def sklearn_job(name, data):
    from sklearn.linear_model import GammaRegressor, LogisticRegression, PoissonRegressor

    kind, family, n, _ = datagen.case_spec(name)
    alpha = datagen.penalty(name)[0] if kind == "penalized" else 0
    if family == "binomial":  # sklearn's C multiplies the summed log-loss: C = 1 / (alpha n) is our alpha
        model = LogisticRegression(C=np.inf if alpha == 0 else 1.0 / (alpha * n), solver="newton-cholesky",
                                   tol=SKLEARN_TOL, max_iter=100)
    else:
        cls = {"poisson": PoissonRegressor, "gamma": GammaRegressor}[family]
        model = cls(alpha=alpha, solver="newton-cholesky", tol=SKLEARN_TOL, max_iter=100)

    def extract(m):
        params = [float(np.ravel(m.intercept_)[0])] + list(np.ravel(m.coef_).astype(float))
        return params, int(np.ravel(m.n_iter_)[0])

    if kind in ("dense", "penalized"):
        X, y = data["X"], data["y"]
        return (lambda: model.fit(X, y)), extract
    # No formula interface: the design (sparse one-hot, first level dropped) is part of the timed work.
    import scipy.sparse as sp
    from sklearn.preprocessing import OneHotEncoder

    df = _frame(name, data)
    num = [c for c in df.columns if c.startswith("x")]
    fac = [c for c in df.columns if c.startswith("f")]

    def fit():
        enc = OneHotEncoder(drop="first", sparse_output=True)
        X = sp.hstack([sp.csr_matrix(df[num].to_numpy()), enc.fit_transform(df[fac])], format="csr")
        if kind == "insurance":  # Poisson with offset log(e) == rate y/e with weights e (same estimates)
            e = df["exposure"].to_numpy()
            return model.fit(X, df["y"].to_numpy() / e, sample_weight=e)
        return model.fit(X, df["y"].to_numpy())
    return fit, extract


JOBS = {"glmstats": glmstats_job, BASE: glmstats_job, "statsmodels": statsmodels_job, "glum": glum_job,
        "sklearn": sklearn_job}


def cannot(name, lib, mem_limit_gb):
    """A reason the library cannot fit the case on this machine, or None."""
    kind, _, n, p = datagen.case_spec(name)
    if lib == BASE and not os.environ.get("GLMSTATS_BASE"):
        return "not run: no --baseline checkout given"
    if kind == "penalized" and lib == "statsmodels":
        return "not compared: statsmodels' elastic net is a pure-Python coordinate descent"
    if kind == "penalized" and lib == "sklearn" and datagen.penalty(name)[1] > 0:
        return "cannot: scikit-learn's GLM regressors have no L1 penalty"
    if lib == "statsmodels" and kind == "categorical":
        gb = n * (p + 1) * 8 / 1e9
        return f"cannot: dense design would need {gb:.1f} GB"
    return None


# ---------------------------------------------------------------- floor

def floor_pass(name, data, repeats=5):
    """Seconds of one pass computing X'WX (min over ``repeats``), numpy only.

    Dense: (X_b * sqrt(w_b))' (X_b * sqrt(w_b)) over row blocks of about 4 MB (numpy hands
    ``A.T @ A`` to BLAS syrk, half the flops of a general product).  Factors kept as integer
    codes: the numeric block (intercept included) as above, the factor diagonals and the
    numeric x factor blocks by weighted per-level sums (bincount), the factor x factor blocks
    by weighted counts of level pairs.
    """
    kind = datagen.case_spec(name)[0]
    rng = np.random.default_rng(0)
    if kind in ("dense", "penalized"):
        num, factors = _dense_with_intercept(data), []
    else:
        num = np.column_stack([np.ones(data["num"].shape[0]), data["num"]])
        factors = [data[k].astype(np.intp) for k in sorted(data) if k.startswith("f")]
    n, k = num.shape
    w = rng.uniform(0.5, 2.0, n)
    sizes = [int(c.max()) + 1 for c in factors]
    block = max(1024, (1 << 19) // k)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        xtwx = np.zeros((k, k))
        sw = np.sqrt(w)
        for s in range(0, n, block):
            Xs = num[s:s + block] * sw[s:s + block, None]
            xtwx += Xs.T @ Xs
        for c, L in zip(factors, sizes):
            np.bincount(c, weights=w, minlength=L)
            for j in range(1, k):
                np.bincount(c, weights=w * num[:, j], minlength=L)
        for a in range(len(factors)):
            for b in range(a + 1, len(factors)):
                np.bincount(factors[a] * sizes[b] + factors[b], weights=w, minlength=sizes[a] * sizes[b])
        best = min(best, time.perf_counter() - t0)
    return best


# ---------------------------------------------------------------- entry point

def _warm_up(name, lib, data, rows=20000):
    """An untimed fit on the first rows, so that lazy imports and first-call set-up are not timed."""
    import warnings

    small = {k: v[:rows] for k, v in data.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit, _ = JOBS[lib](name, small)
            fit()
        return None
    except Exception as e:  # noqa: BLE001 -- a failed warm-up still did its imports; the timed fit decides
        return f"{type(e).__name__}: {e}"[:200]


def run_worker(cache, name, lib, out, warmup=False):
    if lib == BASE:  # the other checkout's glmstats, imported instead of the installed one
        sys.path.insert(0, os.environ["GLMSTATS_BASE"])
    data = datagen.load(cache, name)
    result = {"case": name, "lib": lib}
    if warmup and lib != FLOOR:
        result["warmup_error"] = _warm_up(name, lib, data)
    if lib == FLOOR:
        result["floor_seconds"] = floor_pass(name, data)
        with open(out, "w") as f:
            json.dump(result, f)
        return
    try:
        fit, extract = JOBS[lib](name, data)
        gc.collect()
        peak_ok = _reset_peak()
        rss0 = _status("VmRSS")
        hwm0 = _status("VmHWM")
        t0 = time.perf_counter()
        res = fit()
        seconds = time.perf_counter() - t0
        hwm = _status("VmHWM")
        params, n_iter = extract(res)
        result.update(seconds=seconds, peak_bytes=hwm - (rss0 if peak_ok else hwm0), peak_exact=peak_ok,
                      params=params, n_iter=n_iter)
        if lib in ("glmstats", BASE):
            result["module"] = sys.modules["glmstats"].__file__
        del res
    except MemoryError as e:
        result["error"] = f"MemoryError {e}".strip()
    except Exception as e:  # noqa: BLE001 -- reported in the table, not raised: one library's failure must not stop the run
        result["error"] = f"{type(e).__name__}: {e}"[:300]
    with open(out, "w") as f:
        json.dump(result, f)
