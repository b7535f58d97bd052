"""Heteroskedasticity- and cluster-robust (sandwich) covariances of a GLM's estimates.

As R's sandwich package on a glm object (``vcovHC``, ``vcovCL``): the bread is the model's
unscaled covariance (X'WX)^-1, the meat sums the outer products of the score contributions
x_i w_i r_i (working weight times working residual, R's ``estfun.glm``), so the dispersion cancels.
Computed by row blocks from the fit state: no n x p matrix is formed.

Frequency weights count rows: a row with weight f_i stands for f_i identical rows, so it adds
f_i (psi_i / f_i)(psi_i / f_i)' to the meat (not psi_i psi_i', which weights it by f_i^2), its
leverage is that of one copy, and n counts the copies. Cluster sums are unchanged: the copies of
a row fall in its cluster. R's sandwich has no frequency weights; the reference is the fit on
duplicated rows.
"""

import numpy as np
import pandas as pd

from ..engine.blocks import block_rows, row_blocks

__all__ = ["sandwich", "cluster_codes"]


def cluster_codes(groups, row_index):
    """Integer cluster codes of the rows used, and the number of clusters.

    Parameters
    ----------
    groups : array-like or pandas.Series
        One label per row used by the fit. A Series is aligned on the fit's row labels (so a column
        of the data frame, rows with missing values included, is accepted); an array must have one
        entry per row used.
    row_index : pandas.Index
        The labels of the rows used.

    Raises
    ------
    ValueError
        Not 1-d, a length that matches neither, missing labels, fewer than two clusters.
    """
    n_rows = len(row_index)
    if isinstance(groups, pd.DataFrame):
        raise ValueError("cluster groups must be one label per row (a 1-d array or Series); got a DataFrame. "
                         "For clusters defined by several columns, combine them into one label")
    if isinstance(groups, pd.Series):
        if not groups.index.equals(row_index):
            if not groups.index.is_unique or not row_index.isin(groups.index).all():
                raise ValueError("the cluster groups Series cannot be aligned with the rows of the fit (its index "
                                 "lacks some of their labels, or repeats labels); pass an array with one label per "
                                 "row used (model.row_index gives their labels)")
            groups = groups.reindex(row_index)
        g = groups.to_numpy()
    else:
        g = np.asarray(groups)
    if g.ndim != 1:
        raise ValueError(f"cluster groups must be 1-d, one label per row; got shape {g.shape}. For clusters "
                         "defined by several columns, combine them into one label")
    if g.shape[0] != n_rows:
        raise ValueError(f"cluster groups have length {g.shape[0]}, but the model has {n_rows} rows (after "
                         "dropping rows with missing values); pass a Series aligned by index, or a column name")
    codes, uniques = pd.factorize(g)
    if np.any(codes < 0):
        raise ValueError("cluster groups hold missing values")
    if len(uniques) < 2:
        raise ValueError(f"cluster-robust covariance needs at least 2 clusters; the groups have {len(uniques)}")
    return codes, len(uniques)


def sandwich(state, cov_type, cov_kwds):
    """(X'WX)^-1 M (X'WX)^-1 over the kept columns (R: ``sandwich::vcovHC(type = cov_type)`` / ``vcovCL``).

    Parameters
    ----------
    state : FitState
    cov_type : {"HC0", "HC1", "HC2", "HC3", "cluster"}
    cov_kwds : dict
        ``{"groups": array}`` for ``"cluster"``; ``"use_correction": False`` drops the cluster adjustment
        G / (G - 1) (n - 1) / (n - k) (statsmodels' option; R: ``vcovCL(type = "HC0", cadjust = FALSE)``).

    Notes
    -----
    M = sum_i psi_i psi_i' with psi_i = x_i w_i r_i; HC1 multiplies it by n / (n - k); HC2 and HC3
    divide psi_i by sqrt(1 - h_i) and 1 - h_i, h_i = w_i x_i' (X'WX)^-1 x_i. Cluster: M = sum_g
    (sum_{i in g} psi_i)(...)' times G / (G - 1) (n - 1) / (n - k) (vcovCL's HC1-type adjustment).
    """
    kept = np.flatnonzero(state.kept)
    bread = state.cov_unscaled
    k = kept.size
    n_rows = state.data.y.shape[0]
    groups = codes = None
    use_correction = cov_kwds.get("use_correction", True)
    if not isinstance(use_correction, (bool, np.bool_)):
        raise ValueError(f"cov_kwds['use_correction'] must be True or False, got {use_correction!r}")
    if cov_type == "cluster":
        if "groups" not in cov_kwds:
            raise ValueError('cov_type="cluster" needs cov_kwds={"groups": array of cluster labels}')
        codes, n_groups = cluster_codes(cov_kwds["groups"], state.row_index)
        groups = np.zeros((n_groups, k))
    meat = np.zeros((k, k))
    rows = block_rows(n_rows, k)  # dense pieces of a few MB, also of a factor-codes design
    freq = np.broadcast_to(np.asarray(state.freq_weights, dtype=float), (n_rows,))
    for sl, xb, w, r in state.working_blocks():
        for sub in row_blocks(xb.shape[0], rows):
            x = xb.rows(sub).columns(kept).to_dense()
            f = freq[sl][sub]
            psi = x * (w[sub] * r[sub])[:, None]
            if groups is not None:
                np.add.at(groups, codes[sl][sub], psi)
                continue
            # one copy's score; rows of frequency 0 have w = 0 and add nothing
            per_copy = np.divide(psi, f[:, None], out=np.zeros_like(psi), where=f[:, None] > 0)
            if cov_type in ("HC2", "HC3"):
                h = np.einsum("ij,jk,ik->i", x, bread, x)
                h *= np.divide(w[sub], f, out=np.zeros_like(h), where=f > 0)
                per_copy /= ((1.0 - h) if cov_type == "HC3" else np.sqrt(1.0 - h))[:, None]
            meat += (per_copy * f[:, None]).T @ per_copy
    n = state.nobs
    if groups is not None:
        meat = groups.T @ groups
        G = groups.shape[0]
        if use_correction:
            meat *= G / (G - 1.0) * (n - 1.0) / (n - k)
    elif cov_type == "HC1":
        meat *= n / (n - k)
    return bread @ meat @ bread
