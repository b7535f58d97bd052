"""statsmodels' GLM API on glmstats models and results (issue 13).

Reference values: statsmodels 0.15.0 (versions in tests/reference_extra/statsmodels/versions.json),
written once by tests/reference_extra/statsmodels/generate_statsmodels.py into one JSON per case
(the statsmodels call is stored in each). statsmodels is not imported here.

Model-level functions are evaluated at statsmodels' own coefficients, so they are compared to
rounding; results-level values come from glmstats' fit at ``tol=1e-13`` against statsmodels' fit at
``tol=1e-13``. Where glmstats keeps R's convention (the Gamma's log-likelihood dispersion, the
Gaussian's null log-likelihood) the test checks the keyword or formula that gives statsmodels' number.
"""

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import glmstats as gs
from glmstats.models.data_removal import RemovedDataError

REF = Path(__file__).resolve().parents[1] / "reference_extra" / "statsmodels"
TIGHT = 1e-13


def clotting_long():
    d = gs.datasets.load("clotting")
    return pd.DataFrame({"u": np.tile(d["u"].to_numpy(), 2), "time": np.r_[d["lot1"], d["lot2"]],
                         "lot": np.repeat(["lot1", "lot2"], len(d))})


def build(name):
    """The glmstats model of each reference case (its ``glmstats_model`` entry)."""
    if name == "poisson_insurance":
        data = gs.datasets.load("insurance")
        return gs.glm("Claims ~ District + Group + Age", data, family="poisson", offset=np.log(data["Holders"]))
    if name == "poisson_warpbreaks":
        return gs.glm("breaks ~ wool + tension", gs.datasets.load("warpbreaks"), family="poisson")
    if name == "binomial_budworm":
        return gs.glm("prop ~ sex + ldose", gs.datasets.load("budworm"), family="binomial", var_weights="n")
    if name == "gamma_log_clotting":
        return gs.glm("time ~ np.log(u) + lot", clotting_long(), family=gs.families.Gamma(link=gs.links.Log()))
    if name == "gaussian_quine":
        return gs.glm("Days ~ Eth + Sex + Age + Lrn", gs.datasets.load("quine"), family="gaussian")
    if name == "negbin_nbinom_quine":
        return gs.glm("Days ~ Eth + Sex + Age + Lrn", gs.datasets.load("quine"),
                      family=gs.families.NegativeBinomial(0.8, link="nbinom"))
    raise KeyError(name)


CASES = sorted(p.stem for p in REF.glob("*.json") if p.stem != "versions")


@pytest.fixture(scope="module", params=CASES)
def case(request):
    ref = json.loads((REF / f"{request.param}.json").read_text())
    model = build(request.param)
    perm = [ref["exog_names"].index(n) for n in model.exog_names]  # statsmodels' column of each of ours
    params = np.asarray(ref["params"])[perm]
    return request.param, ref, model, perm, params


def test_versions_recorded():
    versions = json.loads((REF / "versions.json").read_text())
    assert versions["statsmodels"] == "0.15.0"
    assert len(CASES) == 6


def test_public_model_attributes():
    data = gs.datasets.load("insurance")
    model = gs.glm("Claims ~ Age", data, family="poisson", exposure=data["Holders"])
    assert_allclose(model.endog, data["Claims"])
    assert model.exog.shape == (64, 4) and np.all(model.exog[:, 0] == 1)
    assert_allclose(model.exposure, data["Holders"])  # as given (statsmodels stores its log)
    assert model.offset is None
    budworm = gs.datasets.load("budworm")
    m2 = gs.glm("cbind(numdead, n - numdead) ~ ldose", budworm, family="binomial")
    assert_allclose(m2.endog, budworm["prop"])
    assert_allclose(m2.n_trials, budworm["n"])
    assert_allclose(m2.var_weights, budworm["n"])
    assert_allclose(m2.freq_weights, 1.0)


def test_model_likelihood_functions(case):
    name, ref, model, perm, b = case
    m = ref["model"]
    assert_allclose(model.loglike(b), m["loglike"], rtol=1e-12)
    assert_allclose(model.loglike_obs(b), m["loglike_obs"], rtol=1e-11, atol=1e-12)
    assert_allclose(model.loglike_obs(b).sum(), model.loglike(b), rtol=1e-12)
    if not model.family.fixed_scale:
        # statsmodels' Poisson divides its log-likelihood by a given scale, its binomial does not: compared where
        # the dispersion is a parameter of the density
        assert_allclose(model.loglike(b, scale=2.0), m["loglike_scale2"], rtol=1e-12)
    score_atol = 1e-9 * np.max(np.abs(m["score_obs"]))  # the score at the MLE is ~0: compared absolutely
    assert_allclose(model.score(b), np.asarray(m["score"])[perm], atol=score_atol)
    assert_allclose(model.score(b, scale=2.0), np.asarray(m["score_scale2"])[perm], atol=score_atol)
    assert_allclose(model.score_obs(b), np.asarray(m["score_obs"])[:, perm], rtol=1e-10, atol=1e-12)
    ix = np.ix_(perm, perm)
    assert_allclose(model.hessian(b), np.asarray(m["hessian"])[ix], rtol=1e-10)
    assert_allclose(model.hessian(b, observed=False), np.asarray(m["hessian_expected"])[ix], rtol=1e-10)
    assert_allclose(model.information(b), np.asarray(m["information"])[ix], rtol=1e-10)


def test_predict(case):
    name, ref, model, perm, b = case
    m = ref["model"]
    assert_allclose(model.predict(b), m["predict_mean"], rtol=1e-12)
    assert_allclose(model.predict(b, which="linear"), m["predict_linear"], rtol=1e-12, atol=1e-14)
    new = np.asarray(m["predict_new_exog"])[:, perm]
    assert_allclose(model.predict(b, exog=new, offset=m["predict_new_offset"]), m["predict_new_mean"], rtol=1e-12)


def test_predict_offset_and_exposure_of_the_model():
    data = gs.datasets.load("insurance")
    model = gs.glm("Claims ~ Age + Group", data, family="poisson", exposure=data["Holders"])
    res = model.fit(tol=TIGHT)
    b = res.params.to_numpy()
    assert_allclose(model.predict(b), res.fittedvalues, rtol=1e-12)  # the model's exposure
    assert_allclose(model.predict(b, exposure=2 * data["Holders"]), 2 * res.fittedvalues, rtol=1e-12)
    assert_allclose(model.predict(b, exog=model.exog[:4]), np.exp(model.exog[:4] @ b), rtol=1e-12)  # no exposure
    assert_allclose(model.predict(b, which="var_unscaled"), res.fittedvalues, rtol=1e-12)
    assert_allclose(model.predict(b, exog=pd.DataFrame(model.exog, columns=model.exog_names).iloc[:, ::-1][:2]),
                    model.predict(b, exog=model.exog[:2]), rtol=1e-14)  # columns taken by name
    with pytest.raises(ValueError, match="columns"):
        model.predict(b, exog=model.exog[:2, :3])
    with pytest.raises(ValueError, match="log link"):
        gs.glm("Claims ~ Age", data, family="gaussian").predict([1.0, 0, 0, 0], exposure=data["Holders"])


def test_score_test(case):
    name, ref, model, perm, b = case
    extra = ref["score_test"]["exog_extra"]
    for kind in ("observed", "expected"):
        stat, pvalue, df = model.score_test(b, exog_extra=extra, observed=kind == "observed")
        assert_allclose([stat, pvalue], ref["score_test"][kind][:2], rtol=1e-8)
        assert df == ref["score_test"][kind][2] == 1


def test_score_test_is_rao_of_the_larger_model():
    # without exog_extra: the constrained estimate in the full model, k_constraints given
    data = gs.datasets.load("warpbreaks")
    small = gs.glm("breaks ~ wool", data, family="poisson").fit(tol=TIGHT)
    full = gs.glm("breaks ~ wool + tension", data, family="poisson")
    b = np.zeros(len(full.exog_names))
    b[:2] = small.params.to_numpy()
    with_extra = full.score_test(b, k_constraints=2)
    tension = full.exog[:, 2:]
    added = gs.glm("breaks ~ wool", data, family="poisson").score_test(small.params.to_numpy(), exog_extra=tension)
    assert_allclose(with_extra.statistic, added.statistic, rtol=1e-10)
    assert with_extra.df == added.df == 2
    with pytest.raises(ValueError, match="k_constraints"):
        full.score_test(b)


def test_results_criteria(case):
    name, ref, model, perm, b = case
    res = model.fit(tol=TIGHT)
    r = ref["results"]
    assert_allclose(res.params.to_numpy(), b, rtol=1e-8, atol=1e-10)
    assert_allclose(res.bic_deviance, r["bic_deviance"], rtol=1e-10)
    if model.family.name == "Gamma":
        # R's logLik plugs in deviance / sum(w), statsmodels Pearson's chi2 / df_resid: statsmodels' llf is the model's
        # loglike at its scale (scale=None), and its criteria count rank parameters
        llf_sm = model.loglike(res.params.to_numpy())
        assert_allclose(llf_sm, r["llf"], rtol=1e-9)
        assert_allclose(res.bic_llf + 2.0 * (res.llf - llf_sm), r["bic_llf"], rtol=1e-9)
        assert_allclose(res.info_criteria("aic") + 2.0 * (res.llf - llf_sm), r["aic"], rtol=1e-9)
        assert res.aic == pytest.approx(res.info_criteria("aic", dk_params=1))
        return
    assert_allclose(res.llf, r["llf"], rtol=1e-10)
    assert_allclose(res.bic_llf, r["bic_llf"], rtol=1e-10)
    assert_allclose(res.info_criteria("aic"), r["aic"], rtol=1e-10)
    assert_allclose(res.info_criteria("aic", dk_params=1), r["info_aic_dk1"], rtol=1e-10)
    assert_allclose(res.info_criteria("bic"), r["info_bic"], rtol=1e-10)
    if "qaic_scale_1_5" in r:
        assert_allclose(res.info_criteria("qaic", scale=1.5), r["qaic_scale_1_5"], rtol=1e-10)
    if model.family.name == "gaussian":
        # statsmodels' llnull plugs in the full model's Pearson scale; R's is the null model's own MLE, with which
        # Cox and Snell's pseudo R-squared is the R-squared
        assert_allclose(res.pseudo_rsquared("cs"), 1.0 - res.deviance / res.null_deviance, rtol=1e-12)
        assert_allclose(res.pseudo_rsquared("mcf"), 1.0 - res.llf / res.llnull, rtol=1e-12)
        return
    assert_allclose(res.llnull, r["llnull"], rtol=1e-10)
    assert_allclose(res.pseudo_rsquared("cs"), r["pseudo_rsquared_cs"], rtol=1e-10)
    assert_allclose(res.pseudo_rsquared("mcf"), r["pseudo_rsquared_mcf"], rtol=1e-10)


def test_margeff(case):
    name, ref, model, perm, b = case
    r = ref["results"]
    if "margeff_overall" not in r:
        pytest.skip("statsmodels has no marginal effects with an offset")
    res = model.fit(tol=TIGHT)
    for at in ("overall", "mean"):
        for key, method, dummy in (("", "dydx", False), ("_eyex", "eyex", False), ("_dydx_dummy", "dydx", True),
                                   ("_eydx_dummy", "eydx", True)):
            sf = res.get_margeff(at=at, method=method, dummy=dummy).summary_frame()
            ref = r[f"margeff_{at}{key}"]
            expected = pd.DataFrame({"effect": ref["dydx"], "se": ref["se"]}, index=ref["index"]).loc[sf.index]
            # statsmodels' Jacobian is a complex-step derivative, ours analytic; the fits differ in their last steps
            assert_allclose(sf.iloc[:, 0], expected["effect"], rtol=1e-8, atol=1e-12)
            assert_allclose(sf["Std. Err."], expected["se"], rtol=1e-7)
        assert list(sf.columns) == ["d(lny)/dx", "Std. Err.", "z", "Pr(>|z|)", "Conf. Int. Low", "Conf. Int. Hi."]
    with pytest.raises(ValueError, match="dummy"):
        res.get_margeff(method="eyex", dummy=True)


def test_margeff_with_offset_and_frequency_weights():
    data = gs.datasets.load("insurance")
    res = gs.glm("Claims ~ Age + Group", data, family="poisson", offset=np.log(data["Holders"])).fit(tol=TIGHT)
    me = res.get_margeff()
    # log link: d mu / d x_j = mu b_j, averaged over the rows (the offset in mu)
    assert_allclose(me.margeff, res.fittedvalues.mean() * res.params.drop("Intercept"), rtol=1e-12)
    # frequency weights count rows: the same effects and standard errors as the duplicated rows
    warp = gs.datasets.load("warpbreaks")
    f = np.where(np.arange(len(warp)) < 10, 2.0, 1.0)
    weighted = gs.glm("breaks ~ wool + tension", warp, family="poisson", freq_weights=f).fit(tol=TIGHT)
    doubled = gs.glm("breaks ~ wool + tension", pd.concat([warp, warp.iloc[:10]]), family="poisson").fit(tol=TIGHT)
    for at in ("overall", "mean"):
        for method in ("dydx", "eyex", "dyex", "eydx"):
            a, b = weighted.get_margeff(at, method), doubled.get_margeff(at, method)
            assert_allclose(a.margeff, b.margeff, rtol=1e-10)
            assert_allclose(a.margeff_se, b.margeff_se, rtol=1e-10)
    with pytest.raises(ValueError, match="at must be"):
        weighted.get_margeff(at="median")
    assert "Marginal effects" in repr(me) and "<table" in me._repr_html_()


def test_info_criteria_errors_and_qaic():
    warp = gs.datasets.load("warpbreaks")
    res = gs.glm("breaks ~ wool + tension", warp, family="poisson").fit()
    c = res.pearson_chi2 / res.df_resid
    assert_allclose(res.info_criteria("qaic"), -2 * res.llf / c + 2 * res.rank, rtol=1e-14)
    with pytest.raises(ValueError, match="crit"):
        res.info_criteria("hqic")
    with pytest.raises(ValueError, match="kind"):
        res.pseudo_rsquared("nagelkerke")
    gauss = gs.glm("breaks ~ wool + tension", warp, family="gaussian").fit()
    with pytest.warns(gs.DomainWarning, match="QAIC"):
        gauss.info_criteria("qaic", scale=2.0)


def test_cluster_use_correction(case):
    name, ref, model, perm, b = case
    r = ref["results"]
    groups = np.asarray(ref["cluster_groups"])
    for corr in (True, False):
        res = model.fit(tol=TIGHT, cov_type="cluster", cov_kwds={"groups": groups, "use_correction": corr})
        expected = np.asarray(r[f"cluster_bse_correction_{str(corr).lower()}"])[perm]
        if model.family.is_canonical():
            assert_allclose(res.bse.to_numpy(), expected, rtol=1e-7)
            continue
        # a non-canonical link: glmstats' bread is the expected information (R's sandwich), statsmodels' the observed
        # Hessian; from the model's score_obs and hessian statsmodels' numbers follow
        psi = np.zeros((groups.max() + 1, b.size))
        np.add.at(psi, groups, model.score_obs(b, scale=1.0))
        bread = np.linalg.inv(-model.hessian(b, scale=1.0))
        n, k, G = model.nobs, b.size, psi.shape[0]
        cov = bread @ psi.T @ psi @ bread * ((G / (G - 1) * (n - 1) / (n - k)) if corr else 1.0)
        assert_allclose(np.sqrt(np.diag(cov)), expected, rtol=1e-9)
        assert not np.allclose(res.bse.to_numpy(), expected, rtol=1e-3)
    with pytest.raises(ValueError, match="use_correction"):
        model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": "no"})


# --- finite differences: score vs loglike, Hessian vs score (the scale held fixed) ------------------------------------
def _fd_models():
    budworm = gs.datasets.load("budworm")
    yield from (build(n) for n in CASES)
    for link in ("probit", "cloglog", "cauchit", "loglog"):  # non-canonical: the observed Hessian has the extra term
        yield gs.glm("prop ~ sex + ldose", budworm, family="binomial", link=link, var_weights="n")
    yield gs.glm("time ~ np.log(u) + lot", clotting_long(), family=gs.families.InverseGaussian(link=gs.links.Log()))
    yield gs.glm("time ~ np.log(u)", clotting_long(), family="gaussian", link="log")


@pytest.mark.parametrize("model", list(_fd_models()), ids=lambda m: f"{m.family.name}-{m.family.link.name}")
def test_derivatives_by_finite_differences(model):
    res = model.fit(tol=TIGHT)
    # away from the MLE, so that the score is not ~0 nor the observed Hessian's extra term (eta lowered: the negative
    # binomial link needs eta < 0)
    b = res.params.to_numpy() - 0.03
    scale = 1.0 if model.family.fixed_scale else 1.3  # a fixed dispersion is not a parameter of the density
    h = 1e-5
    grad = np.array([(model.loglike(b + h * e, scale) - model.loglike(b - h * e, scale)) / (2 * h)
                     for e in np.eye(b.size)])
    assert_allclose(model.score(b, scale), grad, rtol=1e-6, atol=1e-6 * np.max(np.abs(grad)))
    jac = np.array([(model.score(b + h * e, scale) - model.score(b - h * e, scale)) / (2 * h) for e in np.eye(b.size)])
    hess = model.hessian(b, scale)
    assert_allclose(hess, jac.T, rtol=1e-6, atol=1e-6 * np.max(np.abs(hess)))
    assert_allclose(model.score_obs(b, scale).sum(axis=0), model.score(b, scale), rtol=1e-12, atol=1e-9)


def test_expected_hessian_equals_observed_for_a_canonical_link():
    model = build("negbin_nbinom_quine")
    b = model.fit(tol=TIGHT).params.to_numpy() - 0.02
    assert_allclose(model.hessian(b, observed=True), model.hessian(b, observed=False), rtol=1e-12)


# --- get_distribution, links, remove_data ---------------------------------------------------------------------
def test_get_distribution():
    model = build("gamma_log_clotting")
    res = model.fit(tol=TIGHT)
    b = res.params.to_numpy()
    dist = model.get_distribution(b, scale=0.02)
    assert_allclose(dist.mean(), model.predict(b), rtol=1e-12)
    assert_allclose(dist.var(), 0.02 * model.predict(b) ** 2, rtol=1e-12)
    default = model.get_distribution(b)  # scale=None: Pearson chi2 / df_resid at b
    assert_allclose(default.var() / model.predict(b) ** 2, res.pearson_chi2 / res.df_resid, rtol=1e-8)
    budworm = build("binomial_budworm")
    binom = budworm.get_distribution([-3.5, 1.1, 1.06], n_trials=20)  # successes out of 20, as statsmodels
    assert_allclose(binom.mean(), 20 * budworm.predict([-3.5, 1.1, 1.06]), rtol=1e-12)


def test_negative_binomial_link():
    link = gs.links.NegativeBinomial(alpha=0.5)
    mu = np.array([0.1, 1.0, 30.0])
    assert_allclose(link(mu), np.log(mu / (mu + 2.0)), rtol=1e-14)
    assert_allclose(link.inverse(link(mu)), mu, rtol=1e-13)
    family = gs.families.NegativeBinomial(0.5, link="nbinom")
    assert family.link == link and family.is_canonical() and family.deviance_convex_in_eta
    assert not gs.families.NegativeBinomial(0.7, link=link).is_canonical()
    with pytest.raises(ValueError, match="needs alpha"):
        gs.families.Poisson(link="nbinom")
    with pytest.raises(ValueError, match="positive alpha"):
        gs.links.NegativeBinomial(0.0)


def test_remove_data_keeps_summary_and_predict():
    data = gs.datasets.load("insurance")
    res = gs.glm("Claims ~ District + Group + Age", data, family="poisson", offset=np.log(data["Holders"])).fit()
    new = data.head(5)
    before = str(res.summary()), res.predict(new, offset=np.log(new["Holders"])), res.bic_deviance
    res.remove_data()
    assert str(res.summary()) == before[0]
    assert_allclose(res.predict(new, offset=np.log(new["Holders"])), before[1], rtol=1e-14)
    assert res.bic_deviance == before[2]
    assert res.model.design.X.shape[0] == 0 and res.model.design.y.shape[0] == 0
    with pytest.raises(RemovedDataError, match="remove_data"):
        res.fittedvalues  # noqa: B018
    with pytest.raises(RemovedDataError):
        res.model.loglike(res.params)
    again = pickle.loads(pickle.dumps(res))
    assert_allclose(again.predict(new, offset=np.log(new["Holders"])), before[1], rtol=1e-14)


def test_remove_data_array_interface():
    budworm = gs.datasets.load("budworm")
    X = np.column_stack([np.ones(12), budworm["ldose"]])
    res = gs.GLM(budworm["prop"], X, family="binomial", var_weights=budworm["n"]).fit()
    text = str(res.summary())
    res.remove_data()
    assert str(res.summary()) == text
    assert_allclose(res.predict(X[:2]), gs.GLM(budworm["prop"], X, family="binomial",
                                                var_weights=budworm["n"]).fit().predict(X[:2]), rtol=1e-14)


def test_a_design_of_factor_codes_gives_the_dense_numbers(monkeypatch):
    # the row-block passes read a factor kept as integer codes (never densified whole) as they read a dense design
    import glmstats.formula.design as design_module
    from glmstats.engine.factor_matrix import FactorMatrix

    rng = np.random.default_rng(1)
    n, levels = 5000, 40
    g = rng.integers(0, levels, n)
    labels = [f"L{k:02d}" for k in range(levels)]
    df = pd.DataFrame({"x": rng.normal(size=n), "g": pd.Categorical.from_codes(g, labels)})
    df["y"] = rng.poisson(np.exp(0.3 + 0.2 * df.x + rng.normal(0, 0.3, levels)[g])).astype(float)
    dense = gs.glm("y ~ x + C(g)", df, family="poisson")
    monkeypatch.setattr(design_module, "FACTOR_CODES_MIN_ELEMENTS", 1)
    codes = gs.glm("y ~ x + C(g)", df, family="poisson")
    assert isinstance(codes.data.X, FactorMatrix)
    res = codes.fit(tol=TIGHT)
    b = res.params.to_numpy() - 0.01
    for name in ("loglike", "loglike_obs", "score", "score_obs", "hessian", "predict"):
        assert_allclose(getattr(codes, name)(b), getattr(dense, name)(b), rtol=1e-9, atol=1e-9)
    assert_allclose(codes.score_test(b, exog_extra=df.x ** 2).statistic,
                    dense.score_test(b, exog_extra=df.x ** 2).statistic, rtol=1e-9)
    me_codes, me_dense = res.get_margeff(), dense.fit(tol=TIGHT).get_margeff()
    assert_allclose(me_codes.margeff, me_dense.margeff, rtol=1e-8)
    assert_allclose(me_codes.margeff_se, me_dense.margeff_se, rtol=1e-7)
    res.remove_data()
    assert res.model.design.X.shape == (0, codes.data.shape[1])
