"""GLMData: the arrays a fit reads, and its row blocks.

Everything past the formula boundary and the input checks sees a fit's data as one
:class:`GLMData`: a design matrix (the protocol of :mod:`glmstats.engine.matrix`), the response,
the prior weights (var_weights * freq_weights) and the offset. Passes read it block by block
(:meth:`GLMData.blocks`); nothing else indexes it by rows.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .blocks import row_blocks
from .matrix import as_design_matrix

__all__ = ["GLMData"]


def _all_equal(a, value):
    if a.ndim == 1 and a.strides == (0,):  # a broadcast constant: one element to look at
        return a.shape[0] == 0 or a[0] == value
    return bool(np.all(a == value))


@dataclass(frozen=True, eq=False)
class GLMData:
    """The arrays IRLS reads: X (n, p), y (n,), prior weights (n,) = var_weights * freq_weights, offset (n,).

    ``X`` is a design matrix (an ndarray is wrapped in a :class:`~glmstats.engine.matrix.DenseMatrix`).
    Unit weights and a zero offset may be given as read-only broadcast arrays
    (``np.broadcast_to(1.0, n)``): they take no memory, and the kernels skip the arithmetic with them.
    """

    X: object
    y: np.ndarray
    weights: np.ndarray
    offset: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "X", as_design_matrix(self.X))

    @property
    def shape(self):
        return self.X.shape

    @cached_property
    def all_positive(self):
        """True when every prior weight is positive (the common case: no row drops out)."""
        return _all_equal(self.weights, 1.0) or bool(np.all(self.weights > 0))

    @cached_property
    def unit_weights(self):
        """True when every prior weight is 1."""
        return _all_equal(self.weights, 1.0)

    @cached_property
    def weight_scale(self):
        """The mean of the positive prior weights (1 for unit weights): the scale of the deviance per row."""
        if self.unit_weights:
            return 1.0
        w = self.weights
        positive = w > 0
        return float(np.mean(w[positive])) if np.any(positive) else 1.0

    @cached_property
    def zero_offset(self):
        """True when every offset is 0."""
        return _all_equal(self.offset, 0.0)

    @cached_property
    def binary_y(self):
        """True when every response is 0 or 1."""
        return bool(np.all((self.y == 0) | (self.y == 1)))

    def with_columns(self, cols):
        """The same rows with the columns ``cols`` of X (positions; a factor design stays codes)."""
        return GLMData(X=self.X.columns(cols), y=self.y, weights=self.weights, offset=self.offset)

    def blocks(self, beta=None, eta=None, block_rows=None, rows=None):
        """Yield ``(X_b, y_b, prior_b, offset_b, eta_b)`` for each row block (of ``rows = (start, stop)``).

        X_b is a design matrix of the block's rows; eta_b is ``eta`` sliced when ``eta`` is an array,
        ``eta(slice)`` when it is a function, else X_b beta + offset_b, computed while the block is in cache.
        The block size is the design matrix's (:func:`glmstats.engine.blocks.block_rows`) unless given.
        """
        X = self.X
        lo, hi = rows or (0, X.shape[0])
        add_offset = not self.zero_offset
        for sl in row_blocks(hi - lo, block_rows or X.block_rows()):
            sl = slice(sl.start + lo, sl.stop + lo)
            xb = X.rows(sl)
            ob = self.offset[sl]
            if eta is None:
                eb = xb.matvec(beta)
                if add_offset:
                    eb += ob
            else:
                eb = eta(sl) if callable(eta) else eta[sl]
            yield xb, self.y[sl], self.weights[sl], ob, eb
