"""Independent benchmark of glmstats against glum, scikit-learn and statsmodels.

This script is deliberately self-contained: it shares no code, data or seeds with the
other benchmark in ``benchmarks/``.  It generates its own data (non-Gaussian, correlated
designs; Zipf-distributed factors; an insurance-like frequency data set), fits the same
unpenalized GLM with every library, each fit in a fresh Python process, checks that the
coefficients agree with glmstats and reports median wall time and peak extra memory.

Run ``python benchmarks/independent/bench.py --help`` for the options and see
``benchmarks/independent/README.md`` for what is measured and why.
"""

from __future__ import annotations

import argparse
import fnmatch
import gc
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import warnings
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / ".cache"
LIBS = ("glmstats", "glum", "sklearn", "statsmodels")
# Bump when the generators change, so stale cached data are never reused.
GEN_VERSION = 1
# Root of every seed of this benchmark; unrelated to any seed used elsewhere in the repo.
SEED_ROOT = 0x1D3B_5EED
RESULT_MARKER = "INDEPENDENT_BENCH_RESULT "
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GLMSTATS_NUM_THREADS")
# Agreement threshold of the brief: max_j |b_j - b_ref_j| / max(|b_ref_j|, 0.01).
AGREE_TOL = 1e-4
AGREE_FLOOR = 0.01


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

@dataclass
class Case:
    """One benchmark problem.

    ``name`` carries the nominal size (e.g. ``n1e6``) so that ``--cases`` patterns do
    not depend on ``--quick``/``--scale``; ``n`` and ``levels`` are the actual sizes.
    """

    name: str
    kind: str                      # "dense", "categorical" or "insurance"
    family: str                    # "poisson", "binomial" or "gamma"
    n: int
    p: int = 0                     # numeric columns (dense cases; excludes the intercept)
    levels: tuple = ()             # actual number of levels of each factor
    nominal_levels: tuple = ()     # levels before any capping for small n
    seed_key: str = ""             # what the data seed is derived from

    @property
    def cache_key(self):
        lv = "-".join(map(str, self.levels)) or "none"
        return f"{self.name}__n{self.n}__p{self.p}__lv{lv}__v{GEN_VERSION}"

    def describe(self):
        """One line with the actual problem size."""
        if self.kind == "dense":
            return f"n={self.n:,}, {self.p} numeric columns + intercept, {self.family} ({_LINK[self.family]})"
        lv = "/".join(map(str, self.levels))
        capped = " (capped for small n)" if self.levels != self.nominal_levels else ""
        ncoef = 1 + len(_numeric_names(self)) + sum(k - 1 for k in self.levels)
        extra = ", offset log(exposure)" if self.kind == "insurance" else ""
        return (f"n={self.n:,}, {len(_numeric_names(self))} numeric + factors with {lv} levels{capped}, "
                f"{ncoef} coefficients, {self.family} (log){extra}")


_LINK = {"poisson": "log", "binomial": "logit", "gamma": "log"}

# Rows guaranteed to every level of a factor, so that no level is empty or (for count
# responses) all-zero, which would make its coefficient infinite; levels are capped at
# n // (2 * floor) for tiny smoke-test sizes.
_LEVEL_FLOOR = {"categorical": 30, "insurance": 60}

INSURANCE_NUMERIC = ("driver_age", "vehicle_age", "bonus_malus", "log_density")
INSURANCE_FACTORS = (("area", 5), ("brand", 12), ("fuel", 3), ("region", 20), ("power", 8))
CATEGORICAL_FACTORS = (("f1", 10), ("f2", 100), ("f3", 2000))


def _numeric_names(case):
    if case.kind == "insurance":
        return list(INSURANCE_NUMERIC)
    if case.kind == "categorical":
        return [f"x{j}" for j in range(1, 6)]
    return [f"x{j}" for j in range(1, case.p + 1)]


def _factor_names(case):
    if case.kind == "insurance":
        return [f for f, _ in INSURANCE_FACTORS]
    if case.kind == "categorical":
        return [f for f, _ in CATEGORICAL_FACTORS]
    return []


def _scaled_n(nominal, quick, scale):
    n = nominal / 10 if quick else nominal
    return max(int(round(n * scale)), 200)


def _cap_levels(nominal, n, kind):
    floor = _LEVEL_FLOOR[kind]
    return tuple(max(2, min(k, n // (2 * floor))) for k in nominal)


def build_cases(quick=False, scale=1.0):
    """All benchmark cases at the requested size.

    Parameters
    ----------
    quick : bool
        Divide every n by 10 and use 200 instead of 2000 levels for the largest factor.
    scale : float
        Extra multiplier of every n (for smoke tests), applied after ``quick``.

    Returns
    -------
    list of Case
    """
    cases = []
    for family in ("poisson", "binomial", "gamma"):
        for n_label, n_nom in (("1e5", 100_000), ("1e6", 1_000_000)):
            for p in (10, 50):
                name = f"dense-{family}-n{n_label}-p{p}"
                cases.append(Case(name=name, kind="dense", family=family,
                                  n=_scaled_n(n_nom, quick, scale), p=p, seed_key=name))
    n = _scaled_n(1_000_000, quick, scale)
    nominal = tuple(200 if (quick and k == 2000) else k for _, k in CATEGORICAL_FACTORS)
    cases.append(Case(name="categorical-n1e6", kind="categorical", family="poisson", n=n,
                      levels=_cap_levels(nominal, n, "categorical"), nominal_levels=nominal,
                      seed_key="categorical-n1e6"))
    nominal = tuple(k for _, k in INSURANCE_FACTORS)
    cases.append(Case(name="insurance-n1e6", kind="insurance", family="poisson", n=n,
                      levels=_cap_levels(nominal, n, "insurance"), nominal_levels=nominal,
                      seed_key="insurance-n1e6"))
    return cases


def formula_for(case):
    """The R-style formula of a categorical or insurance case."""
    terms = _numeric_names(case) + [f"C({f})" for f in _factor_names(case)]
    response = "claims" if case.kind == "insurance" else "y"
    return f"{response} ~ " + " + ".join(terms)


# --------------------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------------------

def _rng(case):
    # Seed from the case name only (not n): the quick and full data differ only in size.
    return np.random.default_rng([SEED_ROOT, zlib.crc32(case.seed_key.encode())])


def numeric_block(rng, n, p):
    """Non-Gaussian, partly correlated numeric columns.

    Columns come in four blocks: uniform on (0, 2) (non-zero mean, bounded), Student t
    with 3 degrees of freedom clipped at +-6 and rescaled to unit variance (heavy
    tails), Bernoulli dummies with probabilities between 0.1 and 0.5, and an AR(1)
    block in which neighbouring columns have correlation 0.7.

    Parameters
    ----------
    rng : numpy.random.Generator
    n, p : int
        Rows and columns.

    Returns
    -------
    numpy.ndarray
        ``(n, p)`` float64 in C order.
    """
    n_unif, n_t, n_bin = p // 5, p // 5, p // 10
    n_ar = p - n_unif - n_t - n_bin
    # Filled column by column in Fortran order (contiguous writes), returned in C order,
    # the layout a user's numpy array normally has.
    X = np.empty((n, p), order="F")
    j = 0
    for _ in range(n_unif):
        X[:, j] = rng.uniform(0.0, 2.0, n)
        j += 1
    for _ in range(n_t):
        col = np.clip(rng.standard_t(3, n), -6.0, 6.0)
        X[:, j] = col / col.std()
        j += 1
    for prob in np.linspace(0.1, 0.5, n_bin):
        X[:, j] = rng.random(n) < prob
        j += 1
    rho = 0.7
    prev = None
    for _ in range(n_ar):
        e = rng.standard_normal(n)
        prev = e if prev is None else rho * prev + np.sqrt(1 - rho ** 2) * e
        X[:, j] = prev
        j += 1
    return np.ascontiguousarray(X)


def _scaled_effect(rng, X, sd):
    """Linear predictor ``X @ beta`` with random ``beta`` rescaled to standard deviation ``sd``."""
    beta = rng.normal(0.0, 1.0, X.shape[1]) * rng.choice([0.3, 1.0], X.shape[1])
    eta = X @ beta
    return eta * (sd / eta.std())


def _zipf_probs(rng, k, exponent=1.1):
    """Zipf-like level probabilities, randomly permuted over the levels.

    The permutation makes the reference (first) level not necessarily the most frequent
    one, as with levels sorted alphabetically.
    """
    weights = 1.0 / np.arange(1, k + 1) ** exponent
    return rng.permutation(weights / weights.sum())


def _factor_codes(rng, n, probs, floor):
    """Integer factor codes with the given level probabilities, each level at least ``floor`` times."""
    k = len(probs)
    probs = np.asarray(probs, float) / np.sum(probs)
    n_floor = min(floor * k, n)
    codes = np.concatenate([np.arange(n_floor) % k, rng.choice(k, n - n_floor, p=probs)])
    rng.shuffle(codes)
    return codes.astype(np.int32)


def _response(rng, family, eta, exposure=None):
    if family == "poisson":
        mu = np.exp(eta) if exposure is None else exposure * np.exp(eta)
        return rng.poisson(mu).astype(np.float64)
    if family == "binomial":
        return (rng.random(eta.shape[0]) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
    if family == "gamma":
        shape = 1.5
        return rng.gamma(shape, np.exp(eta) / shape)
    raise ValueError(family)


def generate(case):
    """Generate the data of a case.

    Parameters
    ----------
    case : Case

    Returns
    -------
    arrays : dict of str to numpy.ndarray
        ``y`` and the design columns: ``X`` for dense cases; one array per numeric column,
        integer codes per factor and ``exposure`` (insurance) for the formula cases.
    meta : dict
        JSON-serializable description, including the factor level labels.
    """
    rng = _rng(case)
    n = case.n
    meta = {"case": asdict(case), "gen_version": GEN_VERSION, "numeric": _numeric_names(case),
            "factors": {}, "response": "claims" if case.kind == "insurance" else "y",
            "formula": formula_for(case) if case.kind != "dense" else None}
    if case.kind == "dense":
        X = numeric_block(rng, n, case.p)
        # Spread of the linear predictor (sd) and its mean, per family: moderate, so that
        # all libraries converge in a handful of iterations.
        sd, centre = {"poisson": (0.5, np.log(2.0)), "binomial": (0.6, -0.8),
                      "gamma": (0.4, np.log(3.0))}[case.family]
        eta = _scaled_effect(rng, X, sd)
        eta += centre - eta.mean()
        return {"X": X, "y": _response(rng, case.family, eta)}, meta

    arrays = {}
    floor = _LEVEL_FLOOR[case.kind]
    if case.kind == "categorical":
        Xn = numeric_block(rng, n, 5)
        eta = _scaled_effect(rng, Xn, 0.35)
        for (fname, _), k, sd in zip(CATEGORICAL_FACTORS, case.levels, (0.3, 0.25, 0.2)):
            codes = _factor_codes(rng, n, _zipf_probs(rng, k), floor)
            eta += rng.normal(0.0, sd, k)[codes]
            arrays[fname] = codes
            width = len(str(k - 1))
            meta["factors"][fname] = [f"{fname}_{i:0{width}d}" for i in range(k)]
        for j, name in enumerate(meta["numeric"]):
            arrays[name] = np.ascontiguousarray(Xn[:, j])
        eta += np.log(1.5) - eta.mean()
        arrays["y"] = _response(rng, "poisson", eta)
        return arrays, meta

    # Insurance-like claim frequency data: realistic units, skewed factors, partial-year
    # exposure with a mass at one full year.
    driver_age = np.round(18 + 67 * rng.beta(2.0, 3.5, n))
    vehicle_age = np.clip(np.round(rng.gamma(2.0, 3.5, n)), 0, 30)
    bonus_malus = np.clip(50 + 5 * rng.negative_binomial(1, 0.25, n), 50, 230).astype(float)
    log_density = np.clip(rng.normal(6.0, 1.8, n), 0.0, 10.5)
    exposure = np.where(rng.random(n) < 0.4, 1.0, 0.05 + 0.95 * (1.0 - rng.random(n)))
    eta = (np.log(0.12) - 0.015 * (driver_age - 45) + 0.0004 * (driver_age - 45) ** 2
           - 0.02 * vehicle_age + 0.012 * (bonus_malus - 50) + 0.06 * (log_density - 6))
    level_probs = {
        "area": [0.08, 0.3, 0.27, 0.2, 0.15],
        "brand": 1.0 / np.arange(1, 13) ** 0.9,
        "fuel": [0.5, 0.44, 0.06],
        "region": 1.0 / np.arange(1, 21) ** 1.2,
        "power": [0.05, 0.22, 0.25, 0.2, 0.13, 0.08, 0.05, 0.02],
    }
    labels = {
        "area": list("ABCDE"),
        "brand": [f"B{i}" for i in range(1, 13)],
        "fuel": ["Diesel", "Regular", "Electric"],
        "region": [f"R{i:02d}" for i in range(11, 31)],
        "power": [f"P{i:02d}" for i in range(4, 12)],
    }
    for (fname, _), k in zip(INSURANCE_FACTORS, case.levels):
        codes = _factor_codes(rng, n, np.asarray(level_probs[fname], float)[:k], floor)
        eta += rng.normal(0.0, 0.25, k)[codes]
        arrays[fname] = codes
        meta["factors"][fname] = labels[fname][:k]
    for name, col in zip(INSURANCE_NUMERIC, (driver_age, vehicle_age, bonus_malus, log_density)):
        arrays[name] = col.astype(np.float64)
    arrays["exposure"] = exposure
    arrays["claims"] = _response(rng, "poisson", eta, exposure=exposure)
    return arrays, meta


def ensure_data(case, cache_dir):
    """Generate and cache the data of ``case`` unless already cached.

    Parameters
    ----------
    case : Case
    cache_dir : pathlib.Path

    Returns
    -------
    pathlib.Path
        The directory holding ``meta.json`` and one ``.npy`` file per array.
    """
    d = Path(cache_dir) / case.cache_key
    if (d / "meta.json").exists():
        return d
    d.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    arrays, meta = generate(case)
    for name, a in arrays.items():
        np.save(d / f"{name}.npy", a)
    del arrays
    # meta.json is written last: its presence marks a complete cache entry.
    (d / "meta.json").write_text(json.dumps(meta, indent=1))
    _log(f"[{case.name}] generated data in {time.perf_counter() - t0:.1f} s -> {d}")
    return d


def load_data(data_dir):
    """Load a cached case fully into memory (no memmap, so it is resident before the timer).

    Parameters
    ----------
    data_dir : str or pathlib.Path
        A directory written by :func:`ensure_data`.

    Returns
    -------
    meta : dict
    arrays : dict of str to numpy.ndarray
    """
    data_dir = Path(data_dir)
    meta = json.loads((data_dir / "meta.json").read_text())
    arrays = {p.stem: np.load(p) for p in data_dir.glob("*.npy")}
    return meta, arrays


# --------------------------------------------------------------------------------------
# Worker: one fit of one library in this (fresh) process
# --------------------------------------------------------------------------------------

_SM_NAME = re.compile(r"^C\((\w+)\)\[T\.(.*)\]$")


def canonical_name(name):
    """Map a coefficient name of any library to ``Intercept``, ``x1`` or ``factor[level]``.

    glmstats and statsmodels write ``C(f1)[T.level]``; glum writes ``f1[level]``.
    """
    m = _SM_NAME.match(name)
    return f"{m.group(1)}[{m.group(2)}]" if m else name


def _dataframe(meta, arrays):
    import pandas as pd

    cols = {name: arrays[name] for name in meta["numeric"]}
    for fname, labels in meta["factors"].items():
        cols[fname] = pd.Categorical.from_codes(arrays[fname], categories=labels)
    if "exposure" in arrays:
        cols["exposure"] = arrays["exposure"]
    cols[meta["response"]] = arrays[meta["response"]]
    return pd.DataFrame(cols)


def prepare_fit(lib, meta, arrays):
    """Import ``lib`` and build its input; return a closure that fits the model.

    Everything done here is outside the timer; the closure's whole body is timed: the
    model/design construction from the prepared input (formula, one-hot encoding), the
    fit and, for glmstats and statsmodels, the standard errors.

    Parameters
    ----------
    lib : {"glmstats", "glum", "sklearn", "statsmodels"}
    meta, arrays :
        As returned by :func:`load_data`.

    Returns
    -------
    callable
        ``fit() -> (names, coefficients, n_iter)`` with the intercept first for the
        dense cases and names that :func:`canonical_name` makes comparable.
    """
    case = meta["case"]
    kind, family = case["kind"], case["family"]
    numeric = meta["numeric"]
    response = meta["response"]
    y = arrays[response]

    if kind == "dense":
        X = arrays["X"]
        names = ["Intercept"] + numeric
        if lib in ("glmstats", "statsmodels"):
            X1 = np.column_stack([np.ones(X.shape[0]), X])   # both need an explicit constant
    else:
        df = _dataframe(meta, arrays)
        formula = meta["formula"]
        exposure = arrays.get("exposure")

    if lib == "glmstats":
        import glmstats as gs

        if kind == "dense":
            fam = gs.families.Gamma(link="log") if family == "gamma" else family

            def fit():
                res = gs.GLM(y, X1, family=fam).fit()
                res.bse
                return names, np.asarray(res.params), res.n_iter
        else:
            kw = {"exposure": "exposure"} if exposure is not None else {}

            def fit():
                res = gs.glm(formula, data=df, family="poisson", **kw).fit()
                res.bse
                return list(res.params.index), res.params.to_numpy(), res.n_iter
        return fit

    if lib == "glum":
        from glum import GeneralizedLinearRegressor

        make = lambda: GeneralizedLinearRegressor(  # noqa: E731
            family=family, link=_LINK[family], alpha=0, fit_intercept=True, drop_first=True,
            gradient_tol=1e-10)
        if kind == "dense":
            def fit():
                m = make().fit(X, y)
                return names, np.r_[m.intercept_, m.coef_], m.n_iter_
        else:
            Xdf = df[numeric + list(meta["factors"])]   # pandas Categorical factor columns

            def fit():
                kw = {"offset": np.log(exposure)} if exposure is not None else {}
                m = make().fit(Xdf, y, **kw)
                return ["Intercept"] + list(m.feature_names_), np.r_[m.intercept_, m.coef_], m.n_iter_
        return fit

    if lib == "sklearn":
        from sklearn.linear_model import GammaRegressor, LogisticRegression, PoissonRegressor

        def make():
            if family == "binomial":
                # C=inf is "no penalty" (``penalty=None`` is deprecated in recent releases).
                return LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-10, max_iter=1000)
            cls = PoissonRegressor if family == "poisson" else GammaRegressor
            return cls(alpha=0, solver="newton-cholesky", tol=1e-10, max_iter=1000)

        if kind == "dense":
            def fit():
                m = make().fit(X, y)
                n_iter = int(np.max(m.n_iter_))
                return names, np.r_[np.ravel(m.intercept_), np.ravel(m.coef_)], n_iter
        else:
            import scipy.sparse as sp
            from sklearn.preprocessing import OneHotEncoder

            # sklearn gets the factors as integer codes with their categories spelled out:
            # its fastest input, and the first category is the reference as in a formula.
            fnames = list(meta["factors"])
            codes = np.column_stack([arrays[f] for f in fnames])
            cats = [np.arange(len(meta["factors"][f])) for f in fnames]
            num = np.column_stack([arrays[c] for c in numeric])
            coef_names = ["Intercept"] + numeric + [
                f"{f}[{lab}]" for f in fnames for lab in meta["factors"][f][1:]]

            def fit():
                onehot = OneHotEncoder(categories=cats, drop="first", sparse_output=True,
                                       dtype=np.float64).fit_transform(codes)
                Xs = sp.hstack([sp.csr_matrix(num), onehot], format="csr")
                if exposure is not None:
                    # Poisson with offset log(e) == Poisson on rate y/e with weights e.
                    m = make().fit(Xs, y / exposure, sample_weight=exposure)
                else:
                    m = make().fit(Xs, y)
                return coef_names, np.r_[m.intercept_, m.coef_], int(m.n_iter_)
        return fit

    if lib == "statsmodels":
        import statsmodels.api as sm
        import statsmodels.formula.api as smf

        fam = {"poisson": lambda: sm.families.Poisson(),
               "binomial": lambda: sm.families.Binomial(),
               "gamma": lambda: sm.families.Gamma(link=sm.families.links.Log())}[family]()
        if kind == "dense":
            def fit():
                res = sm.GLM(y, X1, family=fam).fit()
                res.bse
                return names, np.asarray(res.params), int(res.fit_history["iteration"])
        else:
            kw = {"exposure": df["exposure"]} if exposure is not None else {}

            def fit():
                res = smf.glm(formula, data=df, family=fam, **kw).fit()
                res.bse
                return list(res.params.index), res.params.to_numpy(), int(res.fit_history["iteration"])
        return fit

    raise ValueError(f"unknown library {lib!r}")


def _proc_status_kb(field_name):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise KeyError(field_name)


def _reset_peak():
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if not permitted."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _thread_info():
    try:
        from threadpoolctl import threadpool_info
        return [{k: d.get(k) for k in ("internal_api", "num_threads", "version")} for d in threadpool_info()]
    except Exception:  # informational only
        return []


def worker_main(data_dir, lib, mem_cap_gb):
    """Run one timed fit in this process and print its result.

    Parameters
    ----------
    data_dir : str
        Cached data of the case.
    lib : str
        Library to fit with.
    mem_cap_gb : float
        Address-space limit (RLIMIT_AS) in GB; 0 for none.

    Notes
    -----
    The result is one JSON line on stdout after ``RESULT_MARKER``: status, seconds,
    peak_mb (VmHWM after the fit minus VmRSS before it), n_iter, coefficients and
    any warnings raised during the fit.
    """
    import resource

    out = {"lib": lib, "status": "ok"}
    # Cap the address space so that a library running out of memory raises MemoryError
    # here instead of pushing the machine into swap or the OOM killer.
    if mem_cap_gb and mem_cap_gb > 0:
        cap = int(mem_cap_gb * 2 ** 30)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        t0 = time.perf_counter()
        meta, arrays = load_data(data_dir)
        fit = prepare_fit(lib, meta, arrays)
        out["setup_s"] = time.perf_counter() - t0
        gc.collect()
        out["peak_reset"] = _reset_peak()
        rss0 = _proc_status_kb("VmRSS")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            names, coef, n_iter = fit()
            out["seconds"] = time.perf_counter() - t0
        out["peak_mb"] = (_proc_status_kb("VmHWM") - rss0) / 1024
        out["rss_before_mb"] = rss0 / 1024
        out["n_iter"] = int(n_iter) if n_iter is not None else None
        out["names"] = [canonical_name(str(s)) for s in names]
        out["coef"] = [float(c) for c in coef]
        msgs = sorted({f"{w.category.__name__}: {str(w.message)[:160]}" for w in caught})
        out["warnings"] = msgs[:5]
        out["threads"] = _thread_info()
    except MemoryError as exc:
        out = {"lib": lib, "status": "MemoryError", "detail": str(exc)[:300]}
    except Exception as exc:  # reported in the table, never fatal to the whole run
        out = {"lib": lib, "status": f"error: {type(exc).__name__}", "detail": str(exc)[:300]}
    print(RESULT_MARKER + json.dumps(out), flush=True)


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------

def _log(msg):
    print(msg, file=sys.stderr, flush=True)


def statsmodels_skip_reason(case, mem_cap_gb):
    """Why statsmodels is not run on ``case`` (None if it is run).

    statsmodels builds a dense design and, in its IRLS, keeps several arrays of that size
    (formula output, weighted copy, pinv/QR work arrays). Skip when four copies would not
    fit under the memory cap; this skips the full-size categorical case (dense design
    1e6 x 2115 float64, ~17 GB) without trying.
    """
    if case.kind != "categorical":
        return None
    ncoef = 1 + len(_numeric_names(case)) + sum(k - 1 for k in case.levels)
    design_gb = case.n * ncoef * 8 / 2 ** 30
    if 4 * design_gb > mem_cap_gb:
        return f"skipped (dense design too large: {design_gb:.1f} GB)"
    return None


def run_one(data_dir, lib, timeout, mem_cap_gb, env):
    """Run one fit in a fresh interpreter.

    Parameters
    ----------
    data_dir : pathlib.Path
    lib : str
    timeout : float
        Seconds before the worker is killed.
    mem_cap_gb : float
    env : dict
        Environment of the worker.

    Returns
    -------
    dict
        The worker's result; ``status`` other than ``"ok"`` for a timeout, a crash, a
        MemoryError or another exception.
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(data_dir), lib,
           "--mem-cap-gb", str(mem_cap_gb)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"lib": lib, "status": f"timeout (>{timeout:g} s)"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER):])
    tail = (proc.stderr or "").strip().splitlines()[-3:]
    if proc.returncode < 0:
        # Native code may end the process instead of raising MemoryError when an
        # allocation fails under the address-space cap (OpenBLAS raises SIGTERM).
        try:
            sig = signal.Signals(-proc.returncode).name
        except ValueError:
            sig = str(-proc.returncode)
        status = f"crashed ({sig})"
    else:
        status = f"crashed (exit {proc.returncode})"
    if any("MemoryError" in ln for ln in tail):
        status = "MemoryError"
    return {"lib": lib, "status": status, "detail": " | ".join(tail)[:300]}


def agreement(ref, res):
    """Max relative coefficient difference of ``res`` to ``ref`` (matched by name).

    Returns
    -------
    float or None
        ``max_j |b_j - r_j| / max(|r_j|, 0.01)``; inf if the names differ; None if either
        fit failed.
    """
    if not ref or not res or "coef" not in ref or "coef" not in res:
        return None
    r = dict(zip(ref["names"], ref["coef"]))
    b = dict(zip(res["names"], res["coef"]))
    if set(r) != set(b):
        return float("inf")
    keys = list(r)
    rv = np.array([r[k] for k in keys])
    bv = np.array([b[k] for k in keys])
    return float(np.max(np.abs(bv - rv) / np.maximum(np.abs(rv), AGREE_FLOOR)))


def summarize(case, runs, libs):
    """Per-library medians, ratios to glmstats and agreement for one case.

    Parameters
    ----------
    case : Case
    runs : list of dict
        Results of :func:`run_one` for this case.
    libs : list of str

    Returns
    -------
    dict
        ``rows`` per library, and ``vs_best`` / ``vs_statsmodels`` ratio summaries.
    """
    ok = {lib: [r for r in runs if r["lib"] == lib and r["status"] == "ok"] for lib in libs}
    ref = ok.get("glmstats", [None])[0] if ok.get("glmstats") else None
    rows = {}
    for lib in libs:
        mine = [r for r in runs if r["lib"] == lib]
        good = ok[lib]
        row = {"lib": lib, "runs": len(mine), "ok": len(good)}
        bad = sorted({r["status"] for r in mine if r["status"] != "ok"})
        row["status"] = "ok" if not bad else "; ".join(bad)
        if good:
            row["median_s"] = statistics.median(r["seconds"] for r in good)
            row["min_s"] = min(r["seconds"] for r in good)
            row["peak_mb"] = statistics.median(r["peak_mb"] for r in good)
            row["n_iter"] = good[0].get("n_iter")
            row["peak_reset"] = all(r.get("peak_reset") for r in good)
            diffs = [agreement(ref, r) for r in good]
            diffs = [d for d in diffs if d is not None]
            row["max_rel_diff"] = max(diffs) if diffs else None
            row["agrees"] = None if not diffs else row["max_rel_diff"] < AGREE_TOL
            row["warnings"] = sorted({w for r in good for w in r.get("warnings", [])})
        rows[lib] = row
    g = rows.get("glmstats", {})
    for row in rows.values():
        if "median_s" in g and "median_s" in row:
            row["time_ratio"] = g["median_s"] / row["median_s"]
            row["mem_ratio"] = g["peak_mb"] / row["peak_mb"] if row["peak_mb"] > 0 else None
    summary = {"case": case.name, "description": case.describe(), "rows": rows}
    if "median_s" in g:
        comp = [rows[l] for l in ("glum", "sklearn") if l in rows and "median_s" in rows[l]]
        if comp:
            bt = min(comp, key=lambda r: r["median_s"])
            bm = min(comp, key=lambda r: r["peak_mb"])
            summary["vs_best"] = {"time": g["median_s"] / bt["median_s"], "time_lib": bt["lib"],
                                  "mem": g["peak_mb"] / bm["peak_mb"] if bm["peak_mb"] > 0 else None,
                                  "mem_lib": bm["lib"],
                                  "disagree": [r["lib"] for r in comp if r.get("agrees") is False]}
        sm_row = rows.get("statsmodels")
        if sm_row and "median_s" in sm_row:
            summary["vs_statsmodels"] = {"time": sm_row["time_ratio"], "mem": sm_row["mem_ratio"],
                                         "disagree": sm_row.get("agrees") is False}
        elif sm_row:
            summary["vs_statsmodels"] = {"status": sm_row["status"]}
    return summary


def _fmt(x, spec, none="-"):
    return none if x is None else format(x, spec)


def format_case(summary, markdown=False):
    """Render one case summary as a plain-text (or markdown) table plus ratio lines.

    Parameters
    ----------
    summary : dict
        From :func:`summarize`.
    markdown : bool

    Returns
    -------
    str
    """
    head = ["library", "median s", "min s", "peak MB", "t gs/lib", "mem gs/lib", "iters",
            "max rel diff", "status"]
    lines_rows = []
    for row in summary["rows"].values():
        if "median_s" in row:
            agree = _fmt(row.get("max_rel_diff"), ".1e", "n/a")
            if row.get("agrees") is False:
                agree += " DISAGREES"
            peak = f"{row['peak_mb']:.0f}" + ("" if row.get("peak_reset") else "~")
            status = row["status"] if row["ok"] == row["runs"] else f"{row['ok']}/{row['runs']} ok; {row['status']}"
            if row.get("warnings"):
                status += f" (warnings: {len(row['warnings'])})"
            lines_rows.append([row["lib"], f"{row['median_s']:.3f}", f"{row['min_s']:.3f}", peak,
                               _fmt(row.get("time_ratio"), ".2f"), _fmt(row.get("mem_ratio"), ".2f"),
                               _fmt(row.get("n_iter"), "d"), agree, status])
        else:
            lines_rows.append([row["lib"]] + ["-"] * 7 + [row["status"]])
    out = []
    title = f"{summary['case']}: {summary['description']}"
    if markdown:
        out += [f"### {title}", "", "| " + " | ".join(head) + " |",
                "|" + "|".join("---" for _ in head) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in lines_rows]
        out.append("")
    else:
        widths = [max(len(h), *(len(r[i]) for r in lines_rows)) for i, h in enumerate(head)]
        out.append(title)
        out.append("  " + "  ".join(h.rjust(w) if 0 < i < len(head) - 1 else h.ljust(w)
                                    for i, (h, w) in enumerate(zip(head, widths))))
        for r in lines_rows:
            out.append("  " + "  ".join(c.rjust(w) if 0 < i < len(r) - 1 else c.ljust(w)
                                        for i, (c, w) in enumerate(zip(r, widths))))
    vb = summary.get("vs_best")
    if vb:
        line = (f"glmstats / best(glum, sklearn) = {vb['time']:.2f} time (best: {vb['time_lib']}), "
                f"{_fmt(vb['mem'], '.2f')} peak memory (best: {vb['mem_lib']})")
        if vb["disagree"]:
            line += f"  [WARNING: {', '.join(vb['disagree'])} disagree(s) with glmstats]"
        out.append(("- " if markdown else "  ") + line)
    vs = summary.get("vs_statsmodels")
    if vs:
        if "status" in vs:
            line = f"glmstats / statsmodels = n/a ({vs['status']})"
        else:
            line = f"glmstats / statsmodels = {vs['time']:.2f} time, {_fmt(vs['mem'], '.2f')} peak memory"
            if vs["disagree"]:
                line += "  [WARNING: statsmodels disagrees with glmstats]"
        out.append(("- " if markdown else "  ") + line)
    out.append("")
    return "\n".join(out)


def _environment():
    import importlib.metadata as md

    versions = {}
    for dist in ("glmstats", "glum", "tabmat", "scikit-learn", "statsmodels", "numpy", "scipy", "pandas"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = None
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "cpus": os.cpu_count(), "versions": versions,
            "thread_env": {k: os.environ.get(k) for k in THREAD_VARS}}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", nargs="+", default=["*"], metavar="GLOB",
                    help="case name patterns (fnmatch), e.g. 'dense-*-n1e5-*' insurance-n1e6")
    ap.add_argument("--libs", nargs="+", default=list(LIBS), choices=LIBS, metavar="LIB",
                    help=f"libraries to run, any of {', '.join(LIBS)} (default: all)")
    ap.add_argument("--repeats", type=int, default=3, help="fits per library and case (median reported)")
    ap.add_argument("--quick", action="store_true",
                    help="n / 10 and the 2000-level factor at 200 levels")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every n (after --quick), e.g. 0.01 for smoke tests")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per fit before it is killed")
    ap.add_argument("--mem-cap-gb", type=float, default=12.0,
                    help="RLIMIT_AS of each worker in GB (0: no cap)")
    ap.add_argument("--threads", type=int, default=None,
                    help="set OMP/OPENBLAS/MKL/GLMSTATS_NUM_THREADS for the workers (default: library defaults)")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--json", type=Path, default=None, metavar="FILE", help="save raw results here")
    ap.add_argument("--markdown", action="store_true", help="print markdown tables instead of plain text")
    ap.add_argument("--list", action="store_true", help="list the selected cases and exit")
    ap.add_argument("--worker", nargs=2, metavar=("DATA_DIR", "LIB"), help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv=None):
    """Command-line entry point (see ``--help``); returns the exit status."""
    args = parse_args(argv)
    if args.worker:
        worker_main(args.worker[0], args.worker[1], args.mem_cap_gb)
        return 0

    cases = [c for c in build_cases(args.quick, args.scale)
             if any(fnmatch.fnmatch(c.name, pat) for pat in args.cases)]
    if not cases:
        _log("no case matches " + " ".join(args.cases) + "; see --list")
        return 2
    if args.list:
        for c in cases:
            print(f"{c.name:28s} {c.describe()}")
        return 0
    libs = [lib for lib in LIBS if lib in args.libs]
    env = dict(os.environ)
    if args.threads:
        # GLMSTATS_NUM_THREADS too: glmstats runs its row partitions in its own thread pool.
        for k in THREAD_VARS:
            env[k] = str(args.threads)
    load_start = os.getloadavg()[0]
    if load_start > 0.5:
        _log(f"WARNING: 1-minute load average is {load_start:.2f} before the benchmark: other work is "
             "running, so timings (multithreaded BLAS above all) are unreliable")

    results = {"environment": _environment(), "args": {k: str(v) for k, v in vars(args).items()},
               "cases": []}
    reports = []
    for case in cases:
        data_dir = ensure_data(case, args.cache_dir)
        runs = []
        skip = {lib: statsmodels_skip_reason(case, args.mem_cap_gb) if lib == "statsmodels" else None
                for lib in libs}
        # Libraries alternate within each repeat (A B C D, A B C D, ...) so that slow
        # drifts of the machine (thermal, other load) hit all of them alike.
        for rep in range(args.repeats):
            for lib in libs:
                if skip[lib]:
                    if rep == 0:
                        runs.append({"lib": lib, "status": skip[lib], "repeat": 0})
                    continue
                load = os.getloadavg()[0]
                r = run_one(data_dir, lib, args.timeout, args.mem_cap_gb, env)
                r["repeat"], r["load_before"] = rep, load
                runs.append(r)
                if r["status"] == "ok":
                    _log(f"[{case.name}] repeat {rep + 1}/{args.repeats} {lib:11s} "
                         f"{r['seconds']:8.3f} s  {r['peak_mb']:8.1f} MB  iters={r.get('n_iter')}")
                else:
                    _log(f"[{case.name}] repeat {rep + 1}/{args.repeats} {lib:11s} {r['status']} "
                         f"{r.get('detail', '')}")
        summary = summarize(case, runs, libs)
        reports.append(format_case(summary, args.markdown))
        for r in runs:   # keep the JSON small: coefficients are only needed for agreement
            r.pop("coef", None)
            r.pop("names", None)
        results["cases"].append({"case": asdict(case), "summary": summary, "runs": runs})
        if args.json:   # rewritten after every case so that an interrupted run keeps its data
            args.json.write_text(json.dumps(results, indent=1, default=str))

    env_info = results["environment"]
    load_end = os.getloadavg()[0]
    results["load_average"] = {"start": load_start, "end": load_end}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    header = (f"glmstats independent benchmark: {env_info['cpus']} CPUs, Python {env_info['python']}, "
              + ", ".join(f"{k} {v}" for k, v in env_info["versions"].items() if v)
              + f"; {args.repeats} repeat(s), median of fresh-process fits"
              + (f", threads={args.threads}" if args.threads else ", library-default threads")
              + f"; 1-min load average {load_start:.2f} at start, {load_end:.2f} at end")
    print(("## " if args.markdown else "") + header + "\n")
    print("\n".join(reports))
    print("t gs/lib, mem gs/lib: glmstats time (peak extra memory) divided by the library's; "
          "< 1 means glmstats is faster (leaner). "
          f"max rel diff: max |b - b_glmstats| / max(|b_glmstats|, {AGREE_FLOOR}), must be < {AGREE_TOL:g}. "
          "'~' after a peak: the peak counter could not be reset, so the peak may include loading.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
