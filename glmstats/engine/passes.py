"""One pass over the rows: the template every iterative solver of the package runs.

A pass evaluates, for given coefficients (or a given linear predictor), block by block and in
the partitions of :mod:`glmstats.engine.blocks` (one thread each):

1. eta = X b + offset (the design matrix's ``matvec`` on the block);
2. the per-row kernel (:mod:`glmstats.engine.kernels`): mu, the working weights (Fisher or
   observed) and working response, the block's deviance, the domain checks;
3. the block's contribution to the accumulator the design matrix provides (X'WX and X'Wz), or to a
   QR factor, or to X'Wz alone when X'WX is known,

and adds the partitions' sums in a fixed order, so that the result does not depend on the number
of threads. IRLS (:mod:`glmstats.engine.irls`) and the penalized solver
(:mod:`glmstats.engine.penalized`) are loops of passes and solves.
"""

from dataclasses import dataclass

import numpy as np

from .blocks import map_partitions, partitions
from .gram import RightHandSide, TriangularFactor
from .kernels import kernel_for

__all__ = ["Pass", "evaluate"]


@dataclass
class Pass:
    """What a pass returns.

    Attributes
    ----------
    deviance : float
    valid : bool
        eta and mu inside their domains and the deviance finite.
    acc : accumulator or None
        X'WX and X'Wz (or the QR factor) at the pass's coefficients; None for ``deviance_only``.
    eta_range : tuple
        (min, max) of the linear predictor (no n-vector outlives a pass).
    w_is_prior : bool
        Every block's working weights were the prior weights (Gamma with the log link).
    """

    deviance: float
    valid: bool
    acc: object
    eta_range: tuple
    w_is_prior: bool


def evaluate(data, family, beta=None, eta=None, use_qr=False, fixed_gram=None, deviance_only=False, newton=False):
    """One pass over the rows: deviance, validity of eta and mu, and the cross-products at beta (or eta).

    Parameters
    ----------
    data : GLMData
    family : Family
    beta : ndarray, optional
        Coefficients (aliased ones as 0).
    eta : ndarray or callable, optional
        Replaces X beta + offset: an array, or a function of a row slice.
    use_qr : bool
        Accumulate the R factor of the weighted design (:class:`~glmstats.engine.gram.TriangularFactor`).
    fixed_gram : ndarray, optional
        X'WX when the working weights are the prior weights: only X'Wz is accumulated (should a block's
        weights differ, the pass is made again in full).
    deviance_only : bool
        No cross-products (the pass's ``acc`` is None).
    newton : bool
        Observed working weights where the family declares them (the penalized solver).
    """
    X = data.X
    n, p = X.shape
    prior_none, offset_none = data.unit_weights, data.zero_offset
    rhs_only = fixed_gram is not None and not use_qr
    parts = partitions(n, p)
    one_thread = len(parts) == 1
    block_rows = X.block_rows(one_thread)  # from all n rows, not from a partition's

    def rows_pass(rows):
        kernel = kernel_for(family, data, newton=newton)
        if deviance_only:
            acc = None
        elif rhs_only:
            acc = RightHandSide(fixed_gram)
        else:
            acc = TriangularFactor(p) if use_qr else X.cross_products(one_thread)
        dev, valid, lo, hi, w_is_prior = 0.0, True, np.inf, -np.inf, True
        with np.errstate(all="ignore"):  # numpy's error state is per thread
            for xb, yb, wb, ob, eb in data.blocks(beta, eta, block_rows, rows):
                terms = kernel(yb, None if prior_none else wb, None if offset_none else ob, eb)
                dev += terms.deviance
                valid = valid and terms.valid
                lo, hi = np.minimum(lo, terms.eta_range[0]), np.maximum(hi, terms.eta_range[1])  # NaN propagates
                w_is_prior = w_is_prior and terms.w_is_prior
                if acc is not None:
                    acc.add(xb, terms.w, terms.z)
        return dev, valid, acc, (lo, hi), w_is_prior

    results = map_partitions(rows_pass, n, p)
    w_is_prior = all(part[4] for part in results)
    if rhs_only and not w_is_prior:
        return evaluate(data, family, beta, eta, use_qr, newton=newton)
    dev = sum(part[0] for part in results)
    valid = all(part[1] for part in results) and bool(np.isfinite(dev))
    acc = results[0][2]
    for part in results[1:] if acc is not None else ():
        acc.merge(part[2])
    eta_range = (float(np.min([part[3][0] for part in results])), float(np.max([part[3][1] for part in results])))
    return Pass(dev, valid, acc, eta_range, w_is_prior)
