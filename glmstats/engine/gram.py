"""The one matrix operation IRLS needs: weighted cross-products accumulated over row blocks.

Each IRLS iteration reduces the n rows of (X, z) with working weights w to p x p
summaries, one row block at a time, so that no n-by-p temporary is ever formed
and the same code serves an in-memory fit, a chunked one, or a sum over
partitions:

- :class:`CrossProducts` accumulates X'WX and X'Wz (fast: one symmetric rank-k
  update per block);
- :class:`RightHandSide` accumulates X'Wz alone when X'WX is known (working weights
  that do not change between iterations);
- :class:`TriangularFactor` accumulates the R factor of the QR decomposition of
  [W^(1/2) X, W^(1/2) z] by stacking each block under the current R (a "tall
  skinny" QR), which is as accurate as a QR of the whole weighted design.  IRLS
  falls back to it when X'WX is too ill-conditioned for a Cholesky solve.

Both reduce to the same summary, an upper-triangular R with R'R = X'WX and the
projection q = R^{-T} X'Wz, which :mod:`glmstats.linalg` solves.

The block products are written ``np.dot(A, B)``, not ``A @ B``: numpy's matmul keeps the GIL
during its BLAS call, np.dot releases it, and only then do the partitions of a pass, evaluated
in threads (:mod:`glmstats.irls`), run their products in parallel (measured here: two threads
took as long as one with ``@``, half as long with np.dot).
"""

import threading

import numpy as np

__all__ = ["CrossProducts", "RightHandSide", "TriangularFactor", "row_blocks", "vector_blocks", "scratch",
           "DEFAULT_BLOCK_ELEMENTS", "SMALL_P", "default_block_rows"]

#: Elements (rows x columns) per block: large enough for BLAS efficiency, small enough for the cache-friendly
#: temporaries of one block (a few MB).
DEFAULT_BLOCK_ELEMENTS = 1 << 18

#: Up to this many columns, a pass made in one thread accumulates X'WX as (X_b' W) X_b, a general product
#: whose left factor is written transposed (rows of length n_b: numpy's elementwise loop runs along them),
#: in blocks that stay in the core's cache (SMALL_P_BLOCK_ELEMENTS, 256 KB of X): measured here 1.3x
#: (p = 11) to 4x (p = 3) faster than the symmetric product of W^(1/2) X_b. For wider designs the symmetric
#: product (half the flops) wins, and passes in several threads need the larger blocks (each numpy call
#: takes and gives back the GIL: with small blocks two threads spend their time waiting for each other).
SMALL_P = 12
SMALL_P_BLOCK_ELEMENTS = 1 << 15


def default_block_rows(n, p, small=False):
    """Rows per block for n rows of p columns: ``DEFAULT_BLOCK_ELEMENTS / p`` (``SMALL_P_BLOCK_ELEMENTS / p``
    with ``small``: see :class:`CrossProducts`), but at most n / 32, so that the work arrays of a block (about
    p + 6 doubles a row, per thread) stay a small fraction of X's n p."""
    elements = SMALL_P_BLOCK_ELEMENTS if small else DEFAULT_BLOCK_ELEMENTS
    return max(256, min(elements // max(p, 1), -(-n // 32)))


def row_blocks(n, p, block_rows=None):
    """Yield slices covering range(n) in equal blocks of at most ``block_rows`` rows (default:
    :func:`default_block_rows`); equal sizes keep the per-block work arrays as small as the count allows."""
    if block_rows is None:
        block_rows = default_block_rows(n, p)
    k = max(1, -(-n // block_rows))
    for i in range(k):
        yield slice(n * i // k, n * (i + 1) // k)


_scratch = threading.local()


def scratch(name, rows, cols=None):
    """A work array of shape (rows,) or (rows, cols), kept per thread and reused from block to block and
    from pass to pass: fresh memory costs page faults on every pass (each thread keeps a few MB).

    The array is valid until the same thread asks for ``name`` again.
    """
    buffers = _scratch.__dict__
    buf = buffers.get(name)
    tail = () if cols is None else (cols,)
    if buf is None or buf.shape[0] < rows or buf.shape[1:] != tail:
        buf = buffers[name] = np.empty((rows,) + tail)
    return buf[:rows]


def vector_blocks(n):
    """Slices for work on n-vectors alone (checks, fitted values): 32768 rows, 256 KB a temporary."""
    return row_blocks(n, 1, block_rows=1 << 15)


class CrossProducts:
    """Accumulates X'WX and X'Wz over row blocks.

    Parameters
    ----------
    p : int
        Number of columns of X.
    transposed : bool
        Accumulate by the general product (X_b' W) X_b (for at most ``SMALL_P`` columns, in small blocks).

    Notes
    -----
    Each block adds B'B with B = [W^(1/2) X_b, W^(1/2) z_b] (one symmetric BLAS product):
    its leading p x p block is X_b'WX_b and its last column X_b'Wz_b. With ``transposed`` it
    adds T X_b and T z_b with T = X_b' W (p x n_b) instead, and X'WX is symmetrised when read.
    B and T are the thread's scratch arrays (:func:`scratch`), reused from block to block and from
    pass to pass.
    """

    def __init__(self, p, transposed=False):
        self.p = p
        self.transposed = transposed
        self._aug = np.zeros((p + 1, p + 1))

    def add(self, X, w, z):
        """Add the block's X'WX and X'Wz (w: working weights, z: working response)."""
        m, p = X.shape[0], self.p
        if self.transposed:
            T = scratch("cross_products_t", p * m).reshape(p, m)
            np.multiply(X.T, w, out=T)
            self._aug[:p, :p] += np.dot(T, X)  # np.dot, not @: see the module notes
            self._aug[:p, p] += np.dot(T, z)
            return
        B = scratch("cross_products", m, p + 1)
        sw = np.sqrt(w)
        np.multiply(X, sw[:, None], out=B[:, :p])
        np.multiply(z, sw, out=B[:, p])
        self._aug += np.dot(B.T, B)  # np.dot, not @: see the module notes

    def merge(self, other):
        """Add another accumulator's sums (partitions combined)."""
        self._aug += other._aug
        return self

    @property
    def xtwx(self):
        a = self._aug[:self.p, :self.p]
        return (a + a.T) / 2.0 if self.transposed else a

    @property
    def xtwz(self):
        return self._aug[:self.p, self.p]


class RightHandSide:
    """Accumulates X'Wz alone, for a known X'WX (working weights that do not change between iterations).

    Parameters
    ----------
    xtwx : ndarray (p, p)
        The fixed X'WX.
    """

    def __init__(self, xtwx):
        self.xtwx = xtwx
        self.xtwz = np.zeros(xtwx.shape[0])

    def add(self, X, w, z):
        self.xtwz += np.dot(X.T, w * z)

    def merge(self, other):
        self.xtwz += other.xtwz
        return self


class TriangularFactor:
    """Accumulates the R factor of the QR decomposition of [W^(1/2) X, W^(1/2) z] over row blocks.

    Notes
    -----
    With R_aug the (p+1) x (p+1) factor so far, adding a block B = [W^(1/2) X_b, W^(1/2) z_b]
    replaces R_aug by the R factor of [R_aug; B]: the Householder reflections that
    reduce the stacked matrix are orthogonal, so the final factor is that of all rows.
    The last column holds q = Q'W^(1/2)z; its last entry is the residual norm.
    """

    def __init__(self, p):
        self.p = p
        self.r_aug = np.zeros((0, p + 1))

    def add(self, X, w, z):
        if not isinstance(X, np.ndarray):  # a FactorMatrix: densify a few rows at a time
            step = max(1, DEFAULT_BLOCK_ELEMENTS // self.p)
            for s in range(0, X.shape[0], step):
                sl = slice(s, s + step)
                self.add(X.rows(sl).toarray(), w[sl], z[sl])
            return
        sw = np.sqrt(w)
        block = np.empty((X.shape[0], self.p + 1))
        block[:, :self.p] = X * sw[:, None]
        block[:, self.p] = z * sw
        self.r_aug = np.linalg.qr(np.vstack([self.r_aug, block]), mode="r")

    def merge(self, other):
        self.r_aug = np.linalg.qr(np.vstack([self.r_aug, other.r_aug]), mode="r")
        return self

    @property
    def r(self):
        """The p x p upper-triangular factor (rows padded with zeros when fewer than p rows were seen)."""
        out = np.zeros((self.p, self.p))
        k = min(self.r_aug.shape[0], self.p)
        out[:k] = self.r_aug[:k, :self.p]
        return out

    @property
    def qtz(self):
        out = np.zeros(self.p)
        k = min(self.r_aug.shape[0], self.p)
        out[:k] = self.r_aug[:k, self.p]
        return out
