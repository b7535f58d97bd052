"""The design-matrix protocol: what the engine and the inference code ask of a design matrix.

IRLS, the penalized solver, the results and the inference code never index a design matrix
as an array. They ask it for

- ``rows(slice)``: a row block, itself a design matrix (a view where possible);
- ``matvec(b)`` and ``rmatvec(v)``: X b and X'v;
- ``cross_products(one_thread)``: an accumulator of the weighted cross-products X'WX and X'Wz over
  its row blocks (each kind of matrix knows its structure and sums them its own way), and
  ``block_rows(one_thread)``: how many rows a block of a pass should hold (the policy of
  :mod:`glmstats.engine.blocks`);
- ``columns(cols)``: the matrix of some columns, without densifying anything;
- ``to_dense()``: the block as an ndarray (only ever asked of row blocks);
- ``numeric_columns()``: the columns that can hold NaN or infinity, for the input checks.

:class:`DenseMatrix` implements it for an ndarray, :class:`InterceptMatrix` for the column of ones of a
null model, :class:`glmstats.engine.factor_matrix.FactorMatrix` for factors kept as integer codes. A matrix whose rows live elsewhere (Dask partitions, a GPU) is
one more subclass in a file of its own.
"""

from abc import ABC, abstractmethod

import numpy as np

from . import blocks
from .gram import CrossProducts

__all__ = ["DesignMatrix", "DenseMatrix", "InterceptMatrix", "as_design_matrix"]


class DesignMatrix(ABC):
    """An n x p design matrix, as the engine uses it (abstract)."""

    #: (n, p)
    shape = (0, 0)

    @abstractmethod
    def rows(self, key):
        """The rows ``key`` (a slice, or an index array) as a design matrix of the same kind."""

    @abstractmethod
    def matvec(self, beta):
        """X b, an n-vector."""

    @abstractmethod
    def rmatvec(self, v):
        """X'v, a p-vector."""

    @abstractmethod
    def cross_products(self, one_thread=False):
        """A fresh accumulator of X'WX and X'Wz over row blocks of this matrix (``add``, ``merge``, ``solve``,
        ``covariance``; see :mod:`glmstats.engine.gram`). ``one_thread``: the pass runs in one thread."""

    @abstractmethod
    def block_rows(self, one_thread=False):
        """Rows per block in a pass over this matrix (:func:`glmstats.engine.blocks.block_rows`)."""

    @abstractmethod
    def columns(self, cols):
        """The columns ``cols`` (positions, in that order) as a design matrix; a factor is never densified."""

    @abstractmethod
    def to_dense(self):
        """The matrix as a float ndarray (for row blocks: the whole of a large design is never asked for)."""

    @abstractmethod
    def numeric_columns(self):
        """[(position, 1-d array)] for the columns that can hold NaN or infinity."""


class DenseMatrix(DesignMatrix):
    """A design held as a float ndarray.

    Parameters
    ----------
    array : ndarray (n, p)
        Used as given when it is a C-contiguous float64 array (no copy).
    """

    def __init__(self, array):
        self.array = np.ascontiguousarray(array, dtype=float)
        if self.array.ndim != 2:
            raise ValueError(f"a design matrix is 2-dimensional, got shape {self.array.shape}")
        self.shape = self.array.shape

    def rows(self, key):
        return DenseMatrix(self.array[key])

    def matvec(self, beta):
        return np.dot(self.array, beta)  # np.dot releases the GIL (glmstats.engine.gram)

    def rmatvec(self, v):
        return np.dot(v, self.array)

    def _narrow(self, one_thread):
        return one_thread and self.shape[1] <= blocks.SMALL_P

    def cross_products(self, one_thread=False):
        return CrossProducts(self.shape[1], transposed=self._narrow(one_thread))

    def block_rows(self, one_thread=False):
        return blocks.block_rows(self.shape[0], self.shape[1], small=self._narrow(one_thread))

    def columns(self, cols):
        cols = np.asarray(cols, dtype=np.intp)
        if cols.size == self.shape[1] and np.array_equal(cols, np.arange(self.shape[1])):
            return self
        return DenseMatrix(np.take(self.array, cols, axis=1))

    def to_dense(self):
        return self.array

    def numeric_columns(self):
        return [(j, self.array[:, j]) for j in range(self.shape[1])]

    def __repr__(self):
        return f"DenseMatrix({self.shape[0]} x {self.shape[1]})"


class InterceptMatrix(DesignMatrix):
    """The n x 1 design of an intercept alone (a null model), whose rows are made a block at a time.

    A column of ones as an ndarray would be an n-vector held for the whole of the null model's refit; the
    rows of a block are what a pass reads anyway.
    """

    def __init__(self, n):
        self.shape = (int(n), 1)

    def rows(self, key):
        if isinstance(key, slice):
            return DenseMatrix(np.ones((len(range(*key.indices(self.shape[0]))), 1)))
        return DenseMatrix(np.ones((np.broadcast_to(0, self.shape[0])[key].shape[0], 1)))

    def matvec(self, beta):
        return np.full(self.shape[0], float(np.asarray(beta).reshape(-1)[0]))

    def rmatvec(self, v):
        return np.array([np.sum(v)])

    def cross_products(self, one_thread=False):
        return CrossProducts(1, transposed=one_thread)

    def block_rows(self, one_thread=False):
        return blocks.block_rows(self.shape[0], 1, small=one_thread)

    def columns(self, cols):
        cols = np.asarray(cols, dtype=np.intp)
        if cols.size == 1 and cols[0] in (0, -1):
            return self
        raise IndexError(f"an intercept-only design has one column, not the columns {cols.tolist()}")

    def to_dense(self):
        return np.ones(self.shape)

    def numeric_columns(self):
        return []

    def __repr__(self):
        return f"InterceptMatrix({self.shape[0]} x 1)"


def as_design_matrix(X):
    """X as a DesignMatrix: itself if it is one, a DenseMatrix of an array otherwise."""
    return X if isinstance(X, DesignMatrix) else DenseMatrix(X)
