"""Reference values of statsmodels' GLM API for tests/models/test_statsmodels_api.py.

Run once, in an environment with statsmodels (NOT a test or runtime dependency of glmstats):

    python3 -m venv /tmp/smvenv && /tmp/smvenv/bin/pip install -e . "statsmodels>=0.14"
    /tmp/smvenv/bin/python tests/reference_extra/statsmodels/generate_statsmodels.py

glmstats is imported only for its bundled data sets (``gs.datasets.load``). It writes, beside
itself, one ``<case>.json`` per case and ``versions.json``. Every case holds the statsmodels call,
its column names, the coefficients it fitted (``tol=1e-13``), and at those coefficients the
model-level values (loglike, loglike_obs, score, score_obs, hessian observed and expected,
information, score_test for an added variable, predict), then the results-level values of that
fit (llf, aic, bic_llf, bic_deviance, info_criteria, pseudo R-squared, get_margeff overall and at
the means with standard errors, also with dummy=True and as elasticities, cluster covariances with and without use_correction).

The binomial case is proportions with the trials as weights in glmstats; statsmodels is given the
same model as a two-column (successes, failures) response, whose log-likelihood is the binomial's
(statsmodels' proportions with var_weights have another one; see docs/coming-from-statsmodels.md).
"""
import json
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
import statsmodels.formula.api as smf

import glmstats as gs

HERE = Path(__file__).resolve().parent
FIT = {"tol": 1e-13, "maxiter": 1000}


def clotting_long():
    d = gs.datasets.load("clotting")
    return pd.DataFrame({"u": np.tile(d["u"].to_numpy(), 2), "time": np.r_[d["lot1"], d["lot2"]],
                         "lot": np.repeat(["lot1", "lot2"], len(d))})


CASES = {
    # name: (data, statsmodels formula, family, offset column (log taken) or None, cluster column,
    #        extra variable for the score test (a function of the data), margins?)
    "poisson_insurance": dict(
        data=lambda: gs.datasets.load("insurance"), formula="Claims ~ District + Group + Age",
        family="sm.families.Poisson()", offset="Holders", groups="District",
        extra=lambda d: np.log(d["Holders"].to_numpy()), margins=False,
        glmstats='gs.glm("Claims ~ District + Group + Age", data, family="poisson", offset=np.log(data["Holders"]))'),
    "poisson_warpbreaks": dict(
        data=lambda: gs.datasets.load("warpbreaks"), formula="breaks ~ wool + tension",
        family="sm.families.Poisson()", offset=None, groups=("wool", "tension"),
        extra=lambda d: (d["wool"].astype(str) == "B").to_numpy() * (d["tension"].astype(str) == "H").to_numpy(),
        margins=True, glmstats='gs.glm("breaks ~ wool + tension", data, family="poisson")'),
    "binomial_budworm": dict(
        data=lambda: gs.datasets.load("budworm"), formula="numdead + I(n - numdead) ~ sex + ldose",
        family="sm.families.Binomial()", offset=None, groups="ldose",
        extra=lambda d: d["ldose"].to_numpy() * (d["sex"].astype(str) == "M").to_numpy(), margins=True,
        glmstats='gs.glm("prop ~ sex + ldose", data, family="binomial", var_weights="n")'),
    "gamma_log_clotting": dict(
        data=clotting_long, formula="time ~ np.log(u) + lot",
        family="sm.families.Gamma(sm.families.links.Log())", offset=None, groups="u",
        extra=lambda d: np.log(d["u"].to_numpy()) ** 2, margins=True,
        glmstats='gs.glm("time ~ np.log(u) + lot", data, family=gs.families.Gamma(link=gs.links.Log()))'),
    "gaussian_quine": dict(
        data=lambda: gs.datasets.load("quine"), formula="Days ~ Eth + Sex + Age + Lrn",
        family="sm.families.Gaussian()", offset=None, groups=("Eth", "Age"),
        extra=lambda d: (d["Eth"].astype(str) == "N").to_numpy() * (d["Sex"].astype(str) == "M").to_numpy(),
        margins=True, glmstats='gs.glm("Days ~ Eth + Sex + Age + Lrn", data, family="gaussian")'),
    "negbin_nbinom_quine": dict(
        data=lambda: gs.datasets.load("quine"), formula="Days ~ Eth + Sex + Age + Lrn",
        family="sm.families.NegativeBinomial(alpha=0.8, link=sm.families.links.NegativeBinomial(alpha=0.8))",
        offset=None, groups=("Eth", "Age"),
        extra=lambda d: (d["Eth"].astype(str) == "N").to_numpy() * (d["Sex"].astype(str) == "M").to_numpy(),
        margins=True,
        glmstats='gs.glm("Days ~ Eth + Sex + Age + Lrn", data, family=gs.families.NegativeBinomial(0.8, link="nbinom"))'),
}


def tolist(a):
    return np.asarray(a, dtype=float).tolist()


def group_codes(d, groups):
    cols = [groups] if isinstance(groups, str) else list(groups)
    return pd.factorize(pd.MultiIndex.from_frame(d[cols].astype(str)))[0]


def margins_frame(res, at, method="dydx", dummy=False):
    sf = res.get_margeff(at=at, method=method, dummy=dummy).summary_frame()
    return {"index": list(map(str, sf.index)), "dydx": tolist(sf.iloc[:, 0]), "se": tolist(sf.iloc[:, 1])}


def run(name, spec):
    d = spec["data"]()
    kw = {}
    if spec["offset"]:
        kw["offset"] = np.log(d[spec["offset"]].to_numpy(dtype=float))
    model = smf.glm(spec["formula"], d, family=eval(spec["family"]), **kw)  # noqa: S307 -- our own literal
    res = model.fit(**FIT)
    b = res.params.to_numpy()
    extra = np.asarray(spec["extra"](d), dtype=float)
    out = {
        "statsmodels_call": f'smf.glm({spec["formula"]!r}, data, family={spec["family"]}'
                            + (f', offset=np.log(data[{spec["offset"]!r}])' if spec["offset"] else "")
                            + f").fit(tol={FIT['tol']}, maxiter={FIT['maxiter']})",
        "glmstats_model": spec["glmstats"],
        "exog_names": list(model.exog_names),
        "params": tolist(b),
        "nobs": float(res.nobs), "scale": float(res.scale),
        "model": {
            "estimate_scale": float(model.estimate_scale(model.predict(b))),
            "loglike": float(model.loglike(b)),
            "loglike_scale2": float(model.loglike(b, scale=2.0)),
            # statsmodels' GLM has no loglike_obs: its family's, times the frequency weights (they sum to loglike)
            "loglike_obs": tolist(model.freq_weights * model.family.loglike_obs(
                model.endog, model.predict(b), model.var_weights, model.estimate_scale(model.predict(b)))),
            "score": tolist(model.score(b)),
            "score_scale2": tolist(model.score(b, scale=2.0)),
            "score_obs": np.asarray(model.score_obs(b)).tolist(),
            "hessian": np.asarray(model.hessian(b, observed=True)).tolist(),
            "hessian_expected": np.asarray(model.hessian(b, observed=False)).tolist(),
            "information": np.asarray(model.information(b)).tolist(),
            "predict_mean": tolist(model.predict(b)),
            "predict_linear": tolist(model.predict(b, which="linear")),
            "predict_new_exog": np.asarray(model.exog[:3] * 1.1).tolist(),
            "predict_new_offset": [-0.5, -1.0, -1.5],
            "predict_new_mean": tolist(model.predict(b, exog=model.exog[:3] * 1.1, offset=np.array([-0.5, -1.0, -1.5]))),
        },
        "score_test": {"exog_extra": tolist(extra)},
        "results": {
            "llf": float(res.llf), "llnull": float(res.llnull), "deviance": float(res.deviance),
            "aic": float(res.aic), "bic_llf": float(res.bic_llf), "bic_deviance": float(res.bic_deviance),
            "info_aic_dk1": float(res.info_criteria("aic", dk_params=1)),
            "info_bic": float(res.info_criteria("bic")),
            "pseudo_rsquared_cs": float(res.pseudo_rsquared("cs")),
            "pseudo_rsquared_mcf": float(res.pseudo_rsquared("mcf")),
            "bse": tolist(res.bse),
        },
    }
    for observed in (True, False):
        stat, p, df = model.score_test(b, exog_extra=extra, observed=observed)
        out["score_test"]["observed" if observed else "expected"] = [float(np.squeeze(stat)), float(np.squeeze(p)),
                                                                     int(df)]
    if isinstance(model.family, (sm.families.Poisson, sm.families.Binomial, sm.families.NegativeBinomial)):
        out["results"]["qaic_scale_1_5"] = float(res.info_criteria("qaic", scale=1.5))
    if spec["margins"]:
        out["results"]["margeff_overall"] = margins_frame(res, "overall")
        out["results"]["margeff_mean"] = margins_frame(res, "mean")
        for at in ("overall", "mean"):
            out["results"][f"margeff_{at}_eydx_dummy"] = margins_frame(res, at, "eydx", dummy=True)
            out["results"][f"margeff_{at}_dydx_dummy"] = margins_frame(res, at, "dydx", dummy=True)
            out["results"][f"margeff_{at}_eyex"] = margins_frame(res, at, "eyex")
    groups = group_codes(d, spec["groups"])
    out["cluster_groups"] = groups.tolist()
    for corr in (True, False):
        rc = model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": corr}, **FIT)
        out["results"][f"cluster_bse_correction_{str(corr).lower()}"] = tolist(rc.bse)
    (HERE / f"{name}.json").write_text(json.dumps(out, indent=1))


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, spec in CASES.items():
            run(name, spec)
    versions = {"python": sys.version.split()[0], "platform": platform.platform(), "numpy": np.__version__,
                "scipy": scipy.__version__, "pandas": pd.__version__, "statsmodels": statsmodels.__version__}
    (HERE / "versions.json").write_text(json.dumps(versions, indent=1))


if __name__ == "__main__":
    main()
