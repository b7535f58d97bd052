"""Seeded data sets of the performance benchmark (issue 4), written once to a cache directory.

Every case is generated with numpy from a fixed seed, so that each library's worker process
loads the same arrays from disk (``.npy`` files, read in full before any timer starts).

Cases
-----
``dense-{family}-n{n}-p{p}``
    X: p standard normal columns with mild correlation (a shared factor), plus an intercept;
    Poisson log, Binomial logit or Gamma log (shape 2).  The coefficients give a linear
    predictor with standard deviation about 0.5, so IRLS converges in a handful of iterations.
``categorical-n{n}[-k{K}]``
    5 numeric columns and three factors of 10, 100 and K levels (uniform; K = 2000 unless
    given), Poisson log; fitted from ``y ~ x1 + ... + x5 + C(f1) + C(f2) + C(f3)`` (2113
    columns with treatment coding for K = 2000).
``penalized-{enet|ridge}-{family}-n{n}-p{p}``
    The arrays of ``dense-{family}-n{n}-p{p}`` (same seeds), fitted with an elastic-net
    (``enet``: alpha = PENALTIES["enet"], l1_ratio 0.5) or ridge (``ridge``: l1_ratio 0) penalty,
    the intercept unpenalized: glmstats' ``fit_regularized``, glum and (ridge only) scikit-learn.
``insurance-n{n}``
    4 numeric columns, 5 factors of 6, 11, 2, 22 and 10 levels with skewed frequencies, an
    exposure in (0.05, 1]; claim counts Poisson log with the exposure as offset (about 0.1
    claims per unit of exposure).
"""

import os

import numpy as np

FAMILIES = ("poisson", "binomial", "gamma")
GAMMA_SHAPE = 2.0
CATEGORICAL_LEVELS = (10, 100, 2000)
INSURANCE_LEVELS = (6, 11, 2, 22, 10)
N_NUMERIC = {"categorical": 5, "insurance": 4}
#: (alpha, l1_ratio) of the penalized cases (enet at n = 1e6: 1 of the 50 slopes is 0, the others shrunk)
PENALTIES = {"enet": (0.01, 0.5), "ridge": (0.01, 0.0)}
#: Bump when a generator changes, so stale caches are not reused.
VERSION = 2


def level_names(n_levels):
    """Level labels whose lexical order is their code order (sklearn's OneHotEncoder sorts them)."""
    width = len(str(n_levels - 1))
    return [f"L{k:0{width}d}" for k in range(n_levels)]


def _seed(*parts):
    return [VERSION, *[abs(hash_str(str(p))) for p in parts]]


def hash_str(s):
    """A stable (process-independent) integer hash of a string."""
    h = 0
    for ch in s.encode():
        h = (h * 131 + ch) % (2**61 - 1)
    return h


def _dense_X(n, p):
    rng = np.random.default_rng(_seed("X", n, p))
    X = rng.standard_normal((n, p))
    X += 0.3 * rng.standard_normal((n, 1))  # a common factor: correlated, still well-conditioned
    return X


def _response(rng, family, eta):
    if family == "poisson":
        return rng.poisson(np.exp(eta)).astype(float)
    if family == "binomial":
        return (rng.random(eta.shape[0]) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    if family == "gamma":
        mu = np.exp(eta)
        return rng.gamma(GAMMA_SHAPE, mu / GAMMA_SHAPE)
    raise ValueError(family)


def make_dense(family, n, p):
    X = _dense_X(n, p)
    rng = np.random.default_rng(_seed("dense", family, n, p))
    beta = rng.uniform(-1, 1, p) * 0.5 / np.sqrt(p)
    intercept = {"poisson": 0.5, "binomial": -0.3, "gamma": 1.0}[family]
    y = _response(rng, family, intercept + X @ beta)
    return {"X": X, "y": y}


def _factor_codes(rng, n, n_levels, skew):
    if skew:
        prob = 1.0 / np.arange(1, n_levels + 1) ** 0.8
        prob = rng.permutation(prob / prob.sum())
        return rng.choice(n_levels, size=n, p=prob).astype(np.int16)
    return rng.integers(0, n_levels, size=n).astype(np.int16)


def _add_factors(rng, n, levels, eta, out, skew, effect_sd):
    """Draw one factor per entry of ``levels`` (codes into ``out["f1"]``, ...), each level with a normal
    effect (the first level 0) added to ``eta``; returns eta."""
    for i, lv in enumerate(levels, start=1):
        codes = _factor_codes(rng, n, lv, skew=skew)
        effect = np.r_[0.0, rng.normal(0, effect_sd, lv - 1)]
        eta = eta + effect[codes]
        out[f"f{i}"] = codes
    return eta


def factor_levels(name):
    """Numbers of levels of the factors f1, f2, ... of a categorical or insurance case."""
    parts = name.split("-")
    if parts[0] == "insurance":
        return INSURANCE_LEVELS
    k = next((int(s[1:]) for s in parts[1:] if s.startswith("k")), CATEGORICAL_LEVELS[-1])
    return CATEGORICAL_LEVELS[:-1] + (k,)


def make_categorical(n, levels=CATEGORICAL_LEVELS):
    rng = np.random.default_rng(_seed("categorical", n, *levels))
    k = N_NUMERIC["categorical"]
    num = rng.standard_normal((n, k))
    eta = 0.2 + num @ rng.uniform(-0.2, 0.2, k)
    out = {"num": num}
    eta = _add_factors(rng, n, levels, eta, out, skew=False, effect_sd=0.25)
    out["y"] = rng.poisson(np.exp(eta)).astype(float)
    return out


def make_insurance(n):
    rng = np.random.default_rng(_seed("insurance", n))
    k = N_NUMERIC["insurance"]
    num = np.column_stack([rng.uniform(18, 90, n) / 50,         # driver age (scaled)
                           rng.exponential(6, n) / 10,           # vehicle age
                           rng.uniform(0.5, 2.3, n),             # bonus-malus (scaled)
                           rng.normal(6, 2, n) / 5])             # log density (scaled)
    eta = np.log(0.1) + (num - num.mean(axis=0)) @ rng.uniform(-0.3, 0.3, k)
    out = {"num": num}
    eta = _add_factors(rng, n, INSURANCE_LEVELS, eta, out, skew=True, effect_sd=0.3)
    exposure = rng.uniform(0.05, 1.0, n)
    out["exposure"] = exposure
    out["y"] = rng.poisson(exposure * np.exp(eta)).astype(float)
    return out


def case_spec(name):
    """Parse a case name into (kind, family, n, p); p is the number of non-intercept columns."""
    parts = name.split("-")
    kind = parts[0]
    n = int(float(next(s[1:] for s in parts if s.startswith("n"))))
    if kind == "dense":
        p = int(next(s[1:] for s in parts[2:] if s.startswith("p")))
        return kind, parts[1], n, p
    if kind == "penalized":
        if parts[1] not in PENALTIES:
            raise ValueError(f"unknown penalty {parts[1]!r} in {name!r}; known: {', '.join(PENALTIES)}")
        p = int(next(s[1:] for s in parts[3:] if s.startswith("p")))
        return kind, parts[2], n, p
    if kind in ("categorical", "insurance"):
        return kind, "poisson", n, N_NUMERIC[kind] + sum(lv - 1 for lv in factor_levels(name))
    raise ValueError(f"unknown case {name!r}")


def n_label(n):
    e = round(np.log10(n))
    return f"1e{e}" if 10**e == n else str(n)


def case_dir(cache, name):
    return os.path.join(cache, f"v{VERSION}", name)


def ensure(cache, name):
    """Generate the case's arrays into the cache unless they are there; return the directory."""
    d = case_dir(cache, name)
    if os.path.exists(os.path.join(d, "DONE")):
        return d
    kind, family, n, p = case_spec(name)
    if kind in ("dense", "penalized"):
        arrays = make_dense(family, n, p)
    elif kind == "categorical":
        arrays = make_categorical(n, factor_levels(name))
    else:
        arrays = make_insurance(n)
    os.makedirs(d, exist_ok=True)
    for key, arr in arrays.items():
        np.save(os.path.join(d, key + ".npy"), np.ascontiguousarray(arr))
    open(os.path.join(d, "DONE"), "w").close()
    return d


def load(cache, name):
    d = case_dir(cache, name)
    return {f[:-4]: np.load(os.path.join(d, f)) for f in sorted(os.listdir(d)) if f.endswith(".npy")}


def design_columns(name):
    """Canonical coefficient names, in the order every worker reports its coefficients."""
    kind, _, _, p = case_spec(name)
    if kind in ("dense", "penalized"):
        return ["Intercept"] + [f"x{j}" for j in range(1, p + 1)]
    levels = factor_levels(name)
    cols = ["Intercept"] + [f"x{j}" for j in range(1, N_NUMERIC[kind] + 1)]
    for i, lv in enumerate(levels, start=1):
        cols += [f"C(f{i})[T.{lab}]" for lab in level_names(lv)[1:]]
    return cols


def penalty(name):
    """(alpha, l1_ratio) of a penalized case."""
    return PENALTIES[name.split("-")[1]]


def formula(name):
    kind = case_spec(name)[0]
    levels = factor_levels(name)
    num = " + ".join(f"x{j}" for j in range(1, N_NUMERIC[kind] + 1))
    fac = " + ".join(f"C(f{i})" for i in range(1, len(levels) + 1))
    return f"y ~ {num} + {fac}"
