"""Reference coefficients for glmstats' penalized fits from scikit-learn and glum.

Run once, in a separate environment that has scikit-learn and glum (they are NOT test or
runtime dependencies of glmstats):

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn glum numpy pandas
    /tmp/skvenv/bin/python generate_sklearn.py                     # every case
    /tmp/skvenv/bin/python generate_sklearn.py tweedie_nonconvex   # only Tweedie p > 2 (log link)

It writes, beside itself, one ``<case>.json`` per case and ``versions.json``. Every case holds
the seeded data (X without the intercept column, y, sample weights, offset), the exact call
that produced the numbers, the glmstats call that should reproduce them, and the fitted
``intercept`` and ``coef`` at full double precision. Nothing else is read or written.

Objectives (all with the intercept unpenalized; n = sum of sample weights):
- scikit-learn PoissonRegressor / GammaRegressor / TweedieRegressor(alpha):
  1/(2n) sum s_i d(y_i, mu_i) + alpha/2 ||w||^2                    -> glmstats alpha, l1_ratio = 0
- scikit-learn LogisticRegression(C): C sum_i logloss_i + 1/2 ||w||^2. The binomial unit deviance is
  d = 2 logloss, so dividing by C n gives 1/(2n) sum d + alpha/2 ||w||^2 with alpha = 1/(C n)
- glum GeneralizedLinearRegressor(alpha, l1_ratio):
  1/(2n) sum s_i d + alpha (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2)
"""
import json
import platform
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import GammaRegressor, LogisticRegression, PoissonRegressor, TweedieRegressor

try:
    import glum
    from glum import GeneralizedLinearRegressor
except ImportError:  # glum is optional: its cases are skipped
    glum = None

HERE = Path(__file__).resolve().parent
TIGHT = {"tol": 1e-14, "max_iter": 10000}


def tweedie_sample(rng, mu, p, phi):
    """Compound Poisson-gamma draws with mean mu, variance phi mu^p (1 < p < 2)."""
    lam = mu ** (2 - p) / (phi * (2 - p))
    shape = (2 - p) / (p - 1)
    scale = phi * (p - 1) * mu ** (p - 1)
    counts = rng.poisson(lam)
    return np.array([rng.gamma(shape * k, s) if k > 0 else 0.0 for k, s in zip(counts, scale)])


def seed_example():
    """The issue's seed example: a scratch L2-penalized IRLS vs PoissonRegressor(alpha=1.0).

    The scratch IRLS (typical hand-written code) solves beta <- (X'WX + alpha I)^-1 X'Wz on
    the summed log-likelihood with the intercept penalized too; it is stored here so that the
    docs can show both numbers.
    """
    rng = np.random.default_rng(20240605)
    n = 60
    x = rng.normal(size=(n, 2))
    y = rng.poisson(np.exp(0.4 + 0.7 * x[:, 0] - 0.45 * x[:, 1])).astype(float)
    m = PoissonRegressor(alpha=1.0, solver="newton-cholesky", **TIGHT).fit(x, y)
    X1 = np.column_stack([np.ones(n), x])
    beta = np.zeros(3)
    beta[0] = np.log(y.mean())
    for _ in range(200):
        eta = X1 @ beta
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        new = np.linalg.solve(X1.T @ (mu[:, None] * X1) + 1.0 * np.eye(3), X1.T @ (mu * z))
        done = np.max(np.abs(new - beta)) < 1e-15
        beta = new
        if done:
            break
    return {
        "case": "seed_poisson_alpha1", "library": "scikit-learn",
        "call": "PoissonRegressor(alpha=1.0, solver='newton-cholesky', tol=1e-14, max_iter=10000).fit(X, y)",
        "family": "Poisson", "link": "log", "alpha": 1.0, "l1_ratio": 0.0,
        "glmstats_call": "gs.GLM(y, add_constant(X), family=Poisson()).fit_regularized(alpha=1.0)",
        "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
        "intercept": float(m.intercept_), "coef": m.coef_.tolist(),
        "scratch_irls": {
            "description": "beta = (X'WX + 1.0 * I)^-1 X'Wz iterated to convergence, intercept penalized: "
                           "minimises sum_i d_i / 2 + 1.0/2 ||b||^2 (all of b), i.e. glmstats "
                           "fit_regularized(alpha=1.0/n, penalty_weights=[1, 1, 1])",
            "params": beta.tolist(),
        },
    }


def sklearn_cases():
    cases = [seed_example()]
    rng = np.random.default_rng(12345)

    # Poisson with sample weights (they enter as var_weights: 1/(2 sum s) sum s d)
    n, p = 200, 4
    x = rng.normal(size=(n, p))
    sw = rng.integers(1, 4, size=n).astype(float)
    y = rng.poisson(np.exp(0.3 + x @ np.array([0.5, -0.3, 0.2, 0.0]))).astype(float)
    m = PoissonRegressor(alpha=0.05, solver="newton-cholesky", **TIGHT).fit(x, y, sample_weight=sw)
    cases.append({"case": "poisson_weights", "library": "scikit-learn",
                  "call": "PoissonRegressor(alpha=0.05, solver='newton-cholesky', tol=1e-14, max_iter=10000)"
                          ".fit(X, y, sample_weight=sw)",
                  "family": "Poisson", "link": "log", "alpha": 0.05, "l1_ratio": 0.0,
                  "X": x.tolist(), "y": y.tolist(), "sample_weight": sw.tolist(), "offset": None,
                  "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Gamma, log link
    n, p = 150, 3
    x = rng.normal(size=(n, p))
    mu = np.exp(1.0 + x @ np.array([0.3, -0.2, 0.1]))
    y = rng.gamma(2.0, mu / 2.0)
    m = GammaRegressor(alpha=0.1, solver="newton-cholesky", **TIGHT).fit(x, y)
    cases.append({"case": "gamma_log", "library": "scikit-learn",
                  "call": "GammaRegressor(alpha=0.1, solver='newton-cholesky', tol=1e-14, max_iter=10000).fit(X, y)",
                  "family": "Gamma", "link": "log", "alpha": 0.1, "l1_ratio": 0.0,
                  "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
                  "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Tweedie p = 1.5, log link
    n, p = 300, 3
    x = rng.normal(size=(n, p))
    mu = np.exp(0.5 + x @ np.array([0.4, 0.0, -0.3]))
    y = tweedie_sample(rng, mu, 1.5, 1.2)
    m = TweedieRegressor(power=1.5, link="log", alpha=0.02, solver="newton-cholesky", **TIGHT).fit(x, y)
    cases.append({"case": "tweedie_15_log", "library": "scikit-learn",
                  "call": "TweedieRegressor(power=1.5, link='log', alpha=0.02, solver='newton-cholesky', "
                          "tol=1e-14, max_iter=10000).fit(X, y)",
                  "family": "Tweedie", "var_power": 1.5, "link": "log", "alpha": 0.02, "l1_ratio": 0.0,
                  "zeros": int(np.sum(y == 0)),
                  "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
                  "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Logistic regression, C = 1 / (alpha n)
    n, p = 250, 4
    x = rng.normal(size=(n, p))
    prob = 1 / (1 + np.exp(-(-0.5 + x @ np.array([1.0, -0.8, 0.3, 0.0]))))
    y = (rng.uniform(size=n) < prob).astype(float)
    alpha = 0.01
    for solver in ("newton-cholesky", "lbfgs"):
        m = LogisticRegression(C=1.0 / (alpha * n), solver=solver, tol=1e-14, max_iter=10000).fit(x, y)
        cases.append({"case": f"logistic_{solver.replace('-', '_')}", "library": "scikit-learn",
                      "call": f"LogisticRegression(C=1/(0.01*250), solver='{solver}', tol=1e-14, "
                              "max_iter=10000).fit(X, y)",
                      "family": "Binomial", "link": "logit", "alpha": alpha, "l1_ratio": 0.0,
                      "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
                      "intercept": float(m.intercept_[0]), "coef": m.coef_[0].tolist()})
    return cases


def glum_cases():
    if glum is None:
        return []
    rng = np.random.default_rng(777)
    out = []
    opts = {"gradient_tol": 1e-14, "step_size_tol": 1e-16, "max_iter": 10000, "max_inner_iter": 1000000,
            "solver": "irls-cd"}
    opts_txt = "gradient_tol=1e-14, step_size_tol=1e-16, max_iter=10000, max_inner_iter=1000000, solver='irls-cd'"

    # Poisson elastic net with an offset
    n, p = 200, 5
    x = rng.normal(size=(n, p))
    off = np.log(rng.uniform(0.5, 2.0, size=n))
    y = rng.poisson(np.exp(0.2 + off + x @ np.array([0.6, -0.4, 0.0, 0.0, 0.1]))).astype(float)
    m = GeneralizedLinearRegressor(family="poisson", alpha=0.06, l1_ratio=0.5, **opts).fit(x, y, offset=off)
    out.append({"case": "glum_poisson_enet_offset", "library": "glum",
                "call": f"GeneralizedLinearRegressor(family='poisson', alpha=0.06, l1_ratio=0.5, {opts_txt})"
                        ".fit(X, y, offset=offset)",
                "family": "Poisson", "link": "log", "alpha": 0.06, "l1_ratio": 0.5,
                "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": off.tolist(),
                "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Gamma (log link) lasso with sample weights
    n, p = 180, 4
    x = rng.normal(size=(n, p))
    sw = rng.uniform(0.5, 2.0, size=n)
    y = rng.gamma(3.0, np.exp(0.7 + x @ np.array([0.3, 0.0, -0.25, 0.05])) / 3.0)
    m = GeneralizedLinearRegressor(family="gamma", link="log", alpha=0.03, l1_ratio=1.0, **opts).fit(
        x, y, sample_weight=sw)
    out.append({"case": "glum_gamma_lasso_weights", "library": "glum",
                "call": f"GeneralizedLinearRegressor(family='gamma', link='log', alpha=0.03, l1_ratio=1.0, {opts_txt})"
                        ".fit(X, y, sample_weight=sw)",
                "family": "Gamma", "link": "log", "alpha": 0.03, "l1_ratio": 1.0,
                "X": x.tolist(), "y": y.tolist(), "sample_weight": sw.tolist(), "offset": None,
                "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Binomial elastic net
    n, p = 300, 5
    x = rng.normal(size=(n, p))
    prob = 1 / (1 + np.exp(-(0.3 + x @ np.array([0.8, -0.5, 0.0, 0.2, 0.0]))))
    y = (rng.uniform(size=n) < prob).astype(float)
    m = GeneralizedLinearRegressor(family="binomial", alpha=0.03, l1_ratio=0.7, **opts).fit(x, y)
    out.append({"case": "glum_binomial_enet", "library": "glum",
                "call": f"GeneralizedLinearRegressor(family='binomial', alpha=0.03, l1_ratio=0.7, {opts_txt}).fit(X, y)",
                "family": "Binomial", "link": "logit", "alpha": 0.03, "l1_ratio": 0.7,
                "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
                "intercept": float(m.intercept_), "coef": m.coef_.tolist()})

    # Tweedie p = 1.5 elastic net
    n, p = 250, 4
    x = rng.normal(size=(n, p))
    y = tweedie_sample(rng, np.exp(0.3 + x @ np.array([0.5, -0.2, 0.0, 0.0])), 1.5, 1.0)
    m = GeneralizedLinearRegressor(family="tweedie", link="log", alpha=0.04, l1_ratio=0.5, **opts)
    m.family = glum.TweedieDistribution(1.5)
    m.fit(x, y)
    out.append({"case": "glum_tweedie_enet", "library": "glum",
                "call": f"GeneralizedLinearRegressor(family=TweedieDistribution(1.5), link='log', alpha=0.04, "
                        f"l1_ratio=0.5, {opts_txt}).fit(X, y)",
                "family": "Tweedie", "var_power": 1.5, "link": "log", "alpha": 0.04, "l1_ratio": 0.5,
                "X": x.tolist(), "y": y.tolist(), "sample_weight": None, "offset": None,
                "intercept": float(m.intercept_), "coef": m.coef_.tolist()})
    return out


def positive_tweedie_sample(rng, mu, p, phi):
    """Gamma draws with mean mu and variance phi mu^p (y > 0, as Tweedie p > 2 requires)."""
    shape = 1.0 / (phi * mu ** (p - 2))
    return rng.gamma(shape, mu / shape)


def tweedie_nonconvex_cases():
    """Tweedie p = 2.5 and p = 3 with a log link: the penalized objective is not convex in the coefficients
    (glmstats warns and fits by Fisher scoring). scikit-learn's TweedieRegressor (L2 only; its newton-cholesky
    solver meets negative pointwise Hessians here and falls back to lbfgs, so lbfgs is asked for directly) and
    glum (irls-cd, with and without L1)."""
    rng = np.random.default_rng(20261204)
    out = []
    opts = {"gradient_tol": 1e-14, "step_size_tol": 1e-16, "max_iter": 10000, "max_inner_iter": 1000000,
            "solver": "irls-cd"}
    opts_txt = "gradient_tol=1e-14, step_size_tol=1e-16, max_iter=10000, max_inner_iter=1000000, solver='irls-cd'"
    for power, phi in ((2.5, 0.4), (3.0, 0.2)):
        n, p = 250, 3
        x = rng.normal(size=(n, p))
        y = positive_tweedie_sample(rng, np.exp(0.5 + x @ np.array([0.4, 0.0, -0.3])), power, phi)
        tag = str(power).replace(".", "")
        common = {"family": "Tweedie", "var_power": power, "link": "log", "X": x.tolist(), "y": y.tolist(),
                  "sample_weight": None, "offset": None}
        for alpha in (0.01, 0.1):
            m = TweedieRegressor(power=power, link="log", alpha=alpha, solver="lbfgs", **TIGHT).fit(x, y)
            out.append({"case": f"tweedie_nonconvex_{tag}_alpha{alpha:g}", "library": "scikit-learn",
                        "call": f"TweedieRegressor(power={power}, link='log', alpha={alpha}, solver='lbfgs', "
                                "tol=1e-14, max_iter=10000).fit(X, y)",
                        "alpha": alpha, "l1_ratio": 0.0, **common,
                        "intercept": float(m.intercept_), "coef": m.coef_.tolist()})
        if glum is None:
            continue
        for alpha, l1_ratio in ((0.01, 0.0), (0.05, 0.5), (0.05, 1.0)):
            m = GeneralizedLinearRegressor(family=glum.TweedieDistribution(power), link="log", alpha=alpha,
                                           l1_ratio=l1_ratio, **opts).fit(x, y)
            out.append({"case": f"glum_tweedie_nonconvex_{tag}_alpha{alpha:g}_l1ratio{l1_ratio:g}", "library": "glum",
                        "call": f"GeneralizedLinearRegressor(family=TweedieDistribution({power}), link='log', "
                                f"alpha={alpha}, l1_ratio={l1_ratio}, {opts_txt}).fit(X, y)",
                        "alpha": alpha, "l1_ratio": l1_ratio, **common,
                        "intercept": float(m.intercept_), "coef": m.coef_.tolist()})
    return out


def main():
    """Write every case; ``generate_sklearn.py tweedie_nonconvex`` writes only those (added later: the
    other files stay as they were written)."""
    versions = {"python": sys.version.split()[0], "platform": platform.platform(), "numpy": np.__version__,
                "scikit-learn": sklearn.__version__, "glum": getattr(glum, "__version__", None)}
    only_nonconvex = sys.argv[1:] == ["tweedie_nonconvex"]
    if not only_nonconvex:
        (HERE / "versions.json").write_text(json.dumps(versions, indent=1) + "\n")
    names = []
    cases = tweedie_nonconvex_cases()
    if not only_nonconvex:
        cases = sklearn_cases() + glum_cases() + cases
    for case in cases:
        case["versions"] = versions
        case["script"] = "tests/reference_extra/sklearn/generate_sklearn.py"
        (HERE / f"{case['case']}.json").write_text(json.dumps(case) + "\n")
        names.append(case["case"])
    print("wrote", ", ".join(names))


if __name__ == "__main__":
    main()
