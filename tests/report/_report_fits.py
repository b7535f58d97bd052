"""Fits shared by the tests of glmstats.report: one of each report kind, all small and deterministic."""

import warnings

import numpy as np
import pandas as pd

import glmstats as gs


def dobson_poisson():
    """Dobson's Poisson example with the outcome only.

    The treatment coefficients of R's ``glm.D93`` are exactly 0 in theory and print as rounding
    noise (1e-15) that depends on the BLAS; the literal expected strings must not carry that.
    """
    return gs.glm("counts ~ outcome", data=gs.datasets.load("dobson"), family="poisson").fit()


def dobson_poisson_full():
    """R's ``glm.D93``: counts ~ outcome + treatment."""
    return gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit()


def gaussian_aliased_dropped():
    """Gaussian fit whose column x2 = 2 x is aliased and two rows are dropped (NaN in y and in x)."""
    d = pd.DataFrame({
        "y": [1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1, np.nan, 8.8, 10.2, 11.1, 11.9],
        "x": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0],
        "g": list("abcabcabcabc"),
    })
    d["x2"] = 2.0 * d["x"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.RankDeficientWarning)
        return gs.glm("y ~ x + g + x2", data=d, family="gaussian").fit()


def binomial_aliased_dropped():
    """Budworm (two-column response) with the aliased column ld2 = 2 ldose and one row's sex missing."""
    d = gs.datasets.load("budworm").copy()
    d["dead"] = d["numdead"]
    d["alive"] = d["n"] - d["numdead"]
    d["ld2"] = 2.0 * d["ldose"]
    d["sex"] = d["sex"].astype(object)
    d.loc[4, "sex"] = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.RankDeficientWarning)
        return gs.glm("cbind(dead, alive) ~ sex + ldose + ld2", data=d, family="binomial").fit()


def multinomial():
    """Three-class multinomial logit on 60 made-up rows (a numeric and a two-level factor term)."""
    rng = np.random.default_rng(11)
    n = 60
    x = rng.normal(size=n)
    g = np.where(rng.random(n) < 0.5, "p", "q")
    eta = np.column_stack([np.zeros(n), 0.3 + 0.8 * x, -0.2 - 0.6 * x + 0.7 * (g == "q")])
    prob = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    y = np.array(["low", "mid", "high"])[[rng.choice(3, p=p) for p in prob]]
    d = pd.DataFrame({"y": pd.Categorical(y, categories=["low", "mid", "high"]), "x": x, "g": g})
    return gs.multinom("y ~ x + g", d).fit()


def penalized():
    """Elastic net on Dobson's Poisson example."""
    d = gs.datasets.load("dobson")
    return gs.glm("counts ~ outcome + treatment", data=d, family="poisson").fit_regularized(alpha=0.1, l1_ratio=0.5)


def negative_binomial():
    """MASS-style negative binomial fit to 80 overdispersed counts (theta 2)."""
    rng = np.random.default_rng(2024)
    n = 80
    x = rng.uniform(0.0, 2.0, size=n)
    mu = np.exp(0.5 + 0.7 * x)
    y = rng.negative_binomial(2.0, 2.0 / (2.0 + mu))
    return gs.glm_nb("y ~ x", data=pd.DataFrame({"y": y, "x": x})).fit()
