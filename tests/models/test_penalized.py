"""Tests of glmstats.models.penalized: GLM.fit_regularized and gs.regularization_path.

References:
- glmnet 4.1-6 (R 4.2.2): tests/reference/cases/glmnet_* (generate_public.R; polished coefficients,
  see tests/reference/README.md, section glmnet);
- scikit-learn 1.9.1 and glum 3.4.1: tests/reference_extra/sklearn/*.json, written once by
  tests/reference_extra/sklearn/generate_sklearn.py (versions in versions.json). scikit-learn and glum
  are not test dependencies: only their stored numbers are read here.
"""
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import glmstats as gs
from glmstats.models.penalized import alpha_max

HERE = Path(__file__).resolve().parents[1]
GLMNET_DIR = HERE / "reference" / "cases"
SKLEARN_DIR = HERE / "reference_extra" / "sklearn"
GLMNET_CASES = {"glmnet_gaussian_mtcars": gs.families.Gaussian, "glmnet_poisson_warpbreaks": gs.families.Poisson,
                "glmnet_binomial_infert": gs.families.Binomial}


def _read_csv(path):
    kw = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(path, keep_default_na=False, na_values=["NA"], **kw)


def _glmnet_fits():
    out = []
    for case in GLMNET_CASES:
        ex = json.loads((GLMNET_DIR / case / "expected.json").read_text())
        for k, fit in enumerate(ex["fits"]):
            out.append(pytest.param(case, k, id=f"{case}-a{fit['glmnet_alpha']}-l{fit['lambda']}"))
    return out


# ---------------------------------------------------------------------------------------------
# glmnet (R): glmnet(x, y, family, alpha = l1_ratio, lambda = alpha, standardize = FALSE, thresh = 1e-14)
@pytest.mark.parametrize("case, k", _glmnet_fits())
def test_glmnet_reference(case, k):
    ex = json.loads((GLMNET_DIR / case / "expected.json").read_text())
    fit = ex["fits"][k]
    X = _read_csv(GLMNET_DIR / case / "X.csv")
    y = _read_csv(GLMNET_DIR / case / "y.csv")
    model = gs.GLM(y["y"], X, family=GLMNET_CASES[case](), var_weights=y["prior_weights"])
    res = model.fit_regularized(alpha=fit["lambda"], l1_ratio=fit["glmnet_alpha"])
    ref = pd.Series(fit["coefficients"], dtype=float)
    assert list(res.params.index) == list(ref.index)
    assert res.converged
    assert_allclose(res.params.to_numpy(), ref.to_numpy(), rtol=1e-6, atol=0)
    # coefficients glmnet sets to 0 are exactly 0 (soft-thresholding, not just small)
    assert np.all((res.params.to_numpy() == 0) == (ref.to_numpy() == 0))
    assert res.n_nonzero == sum(ref.drop("(Intercept)") != 0) + 1
    assert_allclose(res.objective, fit["objective"], rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# scikit-learn / glum
def _sklearn_cases(nonconvex=False):
    """The stored cases; ``nonconvex``: those of Tweedie p > 2 with a log link (fitted with a warning)."""
    return sorted(p.stem for p in SKLEARN_DIR.glob("*.json")
                  if p.stem != "versions" and ("nonconvex" in p.stem) == nonconvex)


def _sk_model(case):
    X = np.column_stack([np.ones(len(case["y"])), np.asarray(case["X"])])
    X = pd.DataFrame(X, columns=["const"] + [f"x{j + 1}" for j in range(X.shape[1] - 1)])
    link = gs.links.Logit() if case["family"] == "Binomial" else gs.links.Log()
    family = {"Poisson": lambda: gs.families.Poisson(),
              "Gamma": lambda: gs.families.Gamma(link=link),
              "Binomial": lambda: gs.families.Binomial(),
              "Tweedie": lambda: gs.families.Tweedie(case.get("var_power", 1.5), link=link)}[case["family"]]()
    return gs.GLM(np.asarray(case["y"]), X, family=family, var_weights=case["sample_weight"], offset=case["offset"])


def _sk(name):
    return json.loads((SKLEARN_DIR / f"{name}.json").read_text())


@pytest.mark.parametrize("name", _sklearn_cases())
def test_sklearn_glum_reference(name):
    case = _sk(name)
    model = _sk_model(case)
    res = model.fit_regularized(alpha=case["alpha"], l1_ratio=case["l1_ratio"])
    ref = np.r_[case["intercept"], case["coef"]]
    assert res.converged
    # LogisticRegression(solver="lbfgs") itself stops about 4e-8 (relative) from the optimum, which the
    # newton-cholesky fit of the same data (agreeing with glmstats to 4e-14) shows; 1e-6 covers both.
    assert_allclose(res.params.to_numpy(), ref, rtol=1e-6, atol=1e-12)
    assert np.all((res.params.to_numpy() == 0) == (ref == 0))


@pytest.mark.parametrize("name", _sklearn_cases(nonconvex=True))
def test_tweedie_nonconvex_reference(name):
    """Tweedie p = 2.5 and 3 with a log link, as scikit-learn's TweedieRegressor (L2) and glum (with L1) fit
    them: a NonConvexWarning, then the same coefficients. TweedieRegressor(solver="lbfgs") stops about 1e-8 from
    the optimum (its newton-cholesky falls back to lbfgs here: negative pointwise Hessians), glum's irls-cd at
    1e-12; rtol 1e-6 covers both, a different stationary point would be off by far more."""
    case = _sk(name)
    model = _sk_model(case)
    with pytest.warns(gs.NonConvexWarning, match="not convex"):
        res = model.fit_regularized(alpha=case["alpha"], l1_ratio=case["l1_ratio"])
    ref = np.r_[case["intercept"], case["coef"]]
    assert res.converged
    assert res.kkt_max < 1e-9
    assert_allclose(res.params.to_numpy(), ref, rtol=1e-6, atol=1e-9)
    assert np.all((res.params.to_numpy() == 0) == (ref == 0))


def test_inverse_gaussian_log_is_tweedie_3():
    """The inverse Gaussian with a log link is Tweedie p = 3: fitted with the same warning, to the same point."""
    case = _sk("tweedie_nonconvex_30_alpha0.1")
    tw = _sk_model(case)
    X = np.column_stack([np.ones(len(case["y"])), np.asarray(case["X"])])
    ig = gs.GLM(np.asarray(case["y"]), X, family=gs.families.InverseGaussian(link=gs.links.Log()))
    with pytest.warns(gs.NonConvexWarning, match="InverseGaussian"):
        a = ig.fit_regularized(alpha=0.1)
    with pytest.warns(gs.NonConvexWarning, match="Tweedie"):
        b = tw.fit_regularized(alpha=0.1)
    assert_allclose(a.params.to_numpy(), b.params.to_numpy(), rtol=1e-12)


def test_tweedie_nonconvex_has_a_lasso_zero_and_a_path():
    """The glum lasso cases set a coefficient exactly to 0; regularization_path runs on the same family."""
    case = _sk("glum_tweedie_nonconvex_30_alpha0.05_l1ratio1")
    assert 0.0 in case["coef"]
    model = _sk_model(case)
    with pytest.warns(gs.NonConvexWarning):
        path = gs.regularization_path(model, n_alphas=5, l1_ratio=1.0)
    assert path.converged.all()
    assert path.n_nonzero[0] == 1 and path.n_nonzero[-1] == 4  # the intercept alone at alpha_max


def test_sklearn_versions_recorded():
    versions = json.loads((SKLEARN_DIR / "versions.json").read_text())
    assert versions["scikit-learn"] and versions["numpy"]


def test_seed_example_scaling_of_the_penalty():
    """The issue's seed example: PoissonRegressor(alpha=1.0) vs a scratch IRLS with (X'WX + 1.0 I)^-1 X'Wz.

    The scratch code minimises sum_i d_i / 2 + 1/2 ||b||^2 (summed deviance, intercept penalized too);
    scikit-learn minimises 1/(2n) sum_i d_i + 1/2 ||w||^2 (averaged deviance, intercept free).
    """
    case = _sk("seed_poisson_alpha1")
    model = _sk_model(case)
    n = len(case["y"])
    sk = model.fit_regularized(alpha=1.0)                      # scikit-learn's objective
    assert_allclose(sk.params.to_numpy(), np.r_[case["intercept"], case["coef"]], rtol=1e-10)
    scratch = model.fit_regularized(alpha=1.0 / n, penalty_weights=np.ones(3))
    assert_allclose(scratch.params.to_numpy(), case["scratch_irls"]["params"], rtol=1e-10)
    assert np.max(np.abs(sk.params.to_numpy() - scratch.params.to_numpy())) > 0.1


# ---------------------------------------------------------------------------------------------
# closed forms and invariances
@pytest.fixture(scope="module")
def gaussian_data():
    rng = np.random.default_rng(42)
    n = 60
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 3))])
    y = X @ np.array([1.0, 2.0, -1.0, 0.5]) + rng.normal(size=n)
    w = rng.uniform(0.5, 2.0, size=n)
    off = rng.normal(scale=0.3, size=n)
    return X, y, w, off


@pytest.mark.parametrize("alpha", [0.01, 0.3, 5.0])
def test_gaussian_ridge_closed_form(gaussian_data, alpha):
    X, y, w, off = gaussian_data
    res = gs.GLM(y, X, family="gaussian", var_weights=w, offset=off).fit_regularized(alpha=alpha)
    P = np.diag([0.0, 1.0, 1.0, 1.0])  # the constant column is the (unpenalized) intercept
    XtW = X.T * w
    expected = np.linalg.solve(XtW @ X / w.sum() + alpha * P, XtW @ (y - off) / w.sum())
    assert_allclose(res.params.to_numpy(), expected, rtol=1e-10)


def test_gaussian_lasso_orthogonal_closed_form():
    # orthonormal centred columns: the lasso solution is soft-thresholding of the OLS coefficients
    rng = np.random.default_rng(3)
    n = 40
    Z = rng.normal(size=(n, 3))
    Q, _ = np.linalg.qr(Z - Z.mean(axis=0))  # orthonormal columns, each orthogonal to the constant
    Z = Q * np.sqrt(n)  # Z'Z / n = I, columns centred
    X = np.column_stack([np.ones(n), Z])
    y = 2.0 + Z @ np.array([1.0, -0.05, 0.4]) + rng.normal(scale=0.1, size=n)
    ols = Z.T @ (y - y.mean()) / n
    alpha = 0.2
    res = gs.GLM(y, X).fit_regularized(alpha=alpha, l1_ratio=1.0)
    expected = np.sign(ols) * np.maximum(np.abs(ols) - alpha, 0)
    assert_allclose(res.params.to_numpy()[1:], expected, rtol=1e-10, atol=1e-14)
    assert_allclose(res.params.iloc[0], y.mean(), rtol=1e-12)


def test_alpha_zero_is_the_mle():
    d = gs.datasets.load("dobson")
    model = gs.glm("counts ~ outcome + treatment", data=d, family="poisson")
    mle = model.fit(tol=1e-15, maxiter=200)
    res = model.fit_regularized(alpha=0.0)
    assert_allclose(res.params.to_numpy(), mle.params.to_numpy(), rtol=1e-9, atol=1e-12)  # treatment effects are 0
    assert_allclose(res.deviance, mle.deviance, rtol=1e-10)


def test_freq_weights_equal_duplicated_rows(gaussian_data):
    X = gaussian_data[0]
    rng = np.random.default_rng(9)
    yp = rng.poisson(np.exp(0.3 + X[:, 1:] @ np.array([0.3, -0.2, 0.1]))).astype(float)
    f = rng.integers(1, 4, size=len(yp))
    a = gs.GLM(yp, X, family="poisson", freq_weights=f).fit_regularized(alpha=0.05, l1_ratio=0.5)
    b = gs.GLM(np.repeat(yp, f), np.repeat(X, f, axis=0), family="poisson").fit_regularized(alpha=0.05, l1_ratio=0.5)
    assert_allclose(a.params.to_numpy(), b.params.to_numpy(), rtol=1e-10, atol=1e-14)
    assert_allclose(a.objective, b.objective, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# intercept and penalty weights
def test_formula_intercept_unpenalized():
    d = gs.datasets.load("dobson")
    model = gs.glm("counts ~ outcome + treatment", data=d, family="poisson")
    res = model.fit_regularized(alpha=1e3, l1_ratio=1.0)
    assert res.penalty_weights["Intercept"] == 0
    assert (res.params.drop("Intercept") == 0).all()
    assert_allclose(res.params["Intercept"], np.log(d["counts"].mean()), rtol=1e-12)


def test_array_interface_finds_the_constant_column():
    d = gs.datasets.load("dobson")
    X = pd.DataFrame({"a": (d["outcome"].astype(str) == "2").astype(float), "const": 2.0,
                      "b": (d["treatment"].astype(str) == "3").astype(float)})
    res = gs.GLM(d["counts"], X, family="poisson").fit_regularized(alpha=1e3, l1_ratio=1.0)
    assert list(res.penalty_weights) == [1.0, 0.0, 1.0]
    assert_allclose(res.params["const"] * 2, np.log(d["counts"].mean()), rtol=1e-12)


def test_no_intercept_everything_penalized():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([1.0, -1.0]) + rng.normal(size=30)
    res = gs.GLM(y, X).fit_regularized(alpha=0.5)
    assert list(res.penalty_weights) == [1.0, 1.0]
    assert_allclose(res.params.to_numpy(), np.linalg.solve(X.T @ X / 30 + 0.5 * np.eye(2), X.T @ y / 30), rtol=1e-10)


def test_penalty_weights(gaussian_data):
    X, y, w, _ = gaussian_data
    model = gs.GLM(y, X, var_weights=w)
    # zero penalty everywhere: the unpenalized fit
    free = model.fit_regularized(alpha=1.0, penalty_weights=np.zeros(4))
    assert_allclose(free.params.to_numpy(), model.fit().params.to_numpy(), rtol=1e-10)
    # a dict overrides only the named columns; v multiplies both penalty terms
    a = model.fit_regularized(alpha=0.2, l1_ratio=0.5, penalty_weights={"x3": 0.0, "x4": 3.0})
    b = model.fit_regularized(alpha=0.2, l1_ratio=0.5, penalty_weights=[0.0, 1.0, 0.0, 3.0])
    c = model.fit_regularized(alpha=0.4, l1_ratio=0.5, penalty_weights=pd.Series(
        {"x1": 0.0, "x2": 0.5, "x3": 0.0, "x4": 1.5}))
    assert_allclose(a.params.to_numpy(), b.params.to_numpy(), rtol=1e-12)
    assert_allclose(a.params.to_numpy(), c.params.to_numpy(), rtol=1e-10)
    assert list(a.penalty_weights) == [0.0, 1.0, 0.0, 3.0]
    with pytest.raises(ValueError, match="unknown columns"):
        model.fit_regularized(alpha=0.2, penalty_weights={"nope": 1.0})
    with pytest.raises(ValueError, match="length"):
        model.fit_regularized(alpha=0.2, penalty_weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="non-negative"):
        model.fit_regularized(alpha=0.2, penalty_weights=[0.0, -1.0, 1.0, 1.0])


# ---------------------------------------------------------------------------------------------
# convexity rule and argument checks
@pytest.mark.parametrize("family", [
    gs.families.Gaussian(link=gs.links.Log()),
    gs.families.Poisson(link=gs.links.Identity()), gs.families.Poisson(link=gs.links.Sqrt()),
    gs.families.Binomial(link=gs.links.Cauchy()), gs.families.Binomial(link=gs.links.Log()),
    gs.families.Gamma(link=gs.links.Identity()),
])
def test_refuses_non_convex(family):
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 1.0]) if isinstance(family, gs.families.Binomial) else np.arange(1.0, 7.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = gs.GLM(y, X, family=family)
    with pytest.raises(ValueError, match="convex"):
        model.fit_regularized(alpha=0.1)


@pytest.mark.parametrize("family", [
    gs.families.Gamma(), gs.families.Gamma(link=gs.links.Log()), gs.families.InverseGaussian(),
    gs.families.Tweedie(1.5, link=gs.links.Log()), gs.families.NegativeBinomial(0.5),
    gs.families.Binomial(link=gs.links.Probit()), gs.families.Binomial(link=gs.links.CLogLog()),
    gs.families.QuasiPoisson(),
])
def test_accepted_families_reach_the_kkt_conditions(family):
    rng = np.random.default_rng(11)
    n = 120
    x = rng.normal(size=(n, 2))
    X = np.column_stack([np.ones(n), x])
    if isinstance(family, gs.families.Binomial):
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-x[:, 0]))).astype(float)
    elif isinstance(family, (gs.families.Gamma, gs.families.InverseGaussian)):
        y = rng.gamma(4.0, 1.0 / (4.0 * (1.0 + 0.2 * np.abs(x[:, 0]))))
    else:
        y = rng.poisson(np.exp(0.5 + 0.4 * x[:, 0])).astype(float)
    res = gs.GLM(y, X, family=family).fit_regularized(alpha=0.02, l1_ratio=0.5)
    assert res.converged
    assert res.kkt_max < 1e-9


@pytest.mark.parametrize("kwargs, match", [
    ({"alpha": -1.0}, "alpha"), ({"alpha": np.nan}, "alpha"), ({"alpha": 0.1, "l1_ratio": 1.5}, "l1_ratio"),
    ({"alpha": 0.1, "maxiter": 0}, "maxiter"), ({"alpha": 0.1, "start_params": [0.0]}, "start_params"),
])
def test_argument_errors(gaussian_data, kwargs, match):
    X, y, _, _ = gaussian_data
    with pytest.raises(ValueError, match=match):
        gs.GLM(y, X).fit_regularized(**kwargs)


def test_convergence_warning(gaussian_data):
    X, y, _, _ = gaussian_data
    yp = np.round(np.exp(y / 4))
    with pytest.warns(gs.ConvergenceWarning):
        res = gs.GLM(yp, X, family="poisson").fit_regularized(alpha=0.01, maxiter=1)
    assert not res.converged


def test_start_params_warm_start_same_answer():
    case = _sk("poisson_weights")
    model = _sk_model(case)
    cold = model.fit_regularized(alpha=0.05)
    warm = model.fit_regularized(alpha=0.05, start_params=cold.params.to_numpy() + 0.1)
    assert_allclose(warm.params.to_numpy(), cold.params.to_numpy(), rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# regularization path
def test_alpha_max_is_the_first_all_zero_alpha():
    case = _sk("glum_binomial_enet")
    model = _sk_model(case)
    amax = alpha_max(model, l1_ratio=0.7)
    above = model.fit_regularized(alpha=amax * (1 + 1e-8), l1_ratio=0.7)
    below = model.fit_regularized(alpha=amax * (1 - 1e-3), l1_ratio=0.7)
    assert (above.params.iloc[1:] == 0).all()
    assert (below.params.iloc[1:] != 0).sum() == 1


def test_regularization_path_default_grid_and_warm_starts():
    X = _read_csv(GLMNET_DIR / "glmnet_poisson_warpbreaks" / "X.csv")
    y = _read_csv(GLMNET_DIR / "glmnet_poisson_warpbreaks" / "y.csv")
    model = gs.GLM(y["y"], X, family="poisson")
    path = gs.regularization_path(model, l1_ratio=0.5, n_alphas=30, eps=1e-3)
    amax = alpha_max(model, l1_ratio=0.5)
    assert_allclose(path.alphas[[0, -1]], [amax, amax * 1e-3], rtol=1e-12)
    assert np.all(np.diff(path.alphas) < 0)
    assert path.coefs.shape == (30, 4)
    assert list(path.coefs.columns) == list(X.columns)
    assert (path.coefs.iloc[0, 1:] == 0).all()
    assert path.converged.all()
    for i in (3, 17, 29):  # warm-started fits equal cold fits
        cold = model.fit_regularized(alpha=path.alphas[i], l1_ratio=0.5)
        assert_allclose(path.coefs.iloc[i].to_numpy(), cold.params.to_numpy(), rtol=1e-9, atol=1e-14)


def test_regularization_path_given_alphas_matches_glmnet():
    case = "glmnet_binomial_infert"
    ex = json.loads((GLMNET_DIR / case / "expected.json").read_text())
    X = _read_csv(GLMNET_DIR / case / "X.csv")
    y = _read_csv(GLMNET_DIR / case / "y.csv")
    fits = [f for f in ex["fits"] if f["glmnet_alpha"] == 0.5]
    path = gs.regularization_path(gs.GLM(y["y"], X, family="binomial"), alphas=[f["lambda"] for f in fits],
                                  l1_ratio=0.5)
    for f in fits:
        assert_allclose(path.coefs.loc[f["lambda"]].to_numpy(), list(f["coefficients"].values()), rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# results object
def test_results_summary_predict_pickle():
    d = gs.datasets.load("dobson")
    model = gs.glm("counts ~ outcome + treatment", data=d, family="poisson")
    res = model.fit_regularized(alpha=0.1, l1_ratio=0.5)
    text = " ".join(str(res.summary()).split())  # the note is wrapped
    assert "standard errors" in text and "are not valid" in text and "p-values" in text
    assert "Std.Err" not in text and "P>|z|" not in text and "Pr(>|z|)" not in text
    assert "alpha" in text and "l1_ratio" in text
    assert_allclose(res.fittedvalues.to_numpy(), np.exp(res.linear_predictor.to_numpy()))
    new = d.head(4)
    assert_allclose(res.predict(new).to_numpy(), res.fittedvalues.to_numpy()[:4], rtol=1e-12)
    assert_allclose(res.predict(new, which="linear").to_numpy(), res.linear_predictor.to_numpy()[:4], rtol=1e-12)
    again = pickle.loads(pickle.dumps(res))
    assert_allclose(again.predict(new).to_numpy(), res.predict(new).to_numpy())
    assert np.isclose(res.objective, res.deviance / (2 * len(d))
                      + 0.1 * (0.5 * res.params.iloc[1:].abs().sum() + 0.25 * (res.params.iloc[1:] ** 2).sum()))
    assert not hasattr(res, "bse")


def test_factor_codes_design_gives_the_dense_numbers(monkeypatch):
    """A formula design whose factors are kept as integer codes (glmstats.engine.factor_matrix) fits the same."""
    from glmstats.engine.factor_matrix import FactorMatrix
    from glmstats.formula import design

    wb = gs.datasets.load("warpbreaks")
    fits = {}
    for force in (True, False):
        monkeypatch.setattr(design, "FACTOR_CODES_MIN_ELEMENTS", 0 if force else 10**18)
        model = gs.glm("breaks ~ wool + tension", data=wb, family="poisson")
        assert isinstance(model.data.X, FactorMatrix) is force
        res = model.fit_regularized(alpha=1.37346, l1_ratio=0.5)
        path = gs.regularization_path(model, l1_ratio=0.5, n_alphas=5, eps=0.01)
        fits[force] = (res, path)
    assert_allclose(fits[True][0].params, fits[False][0].params, rtol=1e-12, atol=1e-15)
    assert_allclose(fits[True][1].coefs, fits[False][1].coefs, rtol=1e-12, atol=1e-15)
    assert_allclose(fits[True][0].predict(wb.head()), fits[False][0].predict(wb.head()), rtol=1e-12)
