"""Row blocks, partitions and threads: the one block-size policy of the package.

Every pass over the rows (IRLS, the penalized solver, the results, the inference code) reads the
data in row blocks, so that no n-by-p temporary is formed, and splits the rows into partitions
evaluated in a thread pool. The sizes are decided here and nowhere else:

- a block of a dense design holds ``BLOCK_ELEMENTS`` (2^18) elements of X, but at most n/32 rows,
  so that the work arrays of a block (about p + 6 doubles a row, per thread) stay a small fraction
  of X's n p on small data; large enough for BLAS efficiency, small enough for the cache;
- a narrow dense design (at most ``SMALL_P`` columns) in a pass made in one thread uses blocks of
  ``SMALL_P_BLOCK_ELEMENTS`` (2^15) elements, which stay in the core's cache, for the general product
  (X_b'W) X_b (:class:`glmstats.engine.gram.CrossProducts`); wider designs and several threads need the
  larger blocks (each numpy call takes and gives back the GIL: with small blocks two threads spend
  their time waiting for each other);
- a design with factors kept as integer codes uses ``FACTOR_BLOCK_ROWS`` rows: its work per row is a
  few lookups and weighted counts, and its per-block cost is the size of the level tables;
- work on n-vectors alone (checks, fitted values, residuals) uses ``VECTOR_BLOCK_ROWS`` rows
  (256 KB a temporary);
- a tall-skinny QR (:class:`glmstats.engine.gram.TriangularFactor`) stacks at least 4 p rows under
  its p x p factor at a time (:func:`qr_block_rows`), so that the O(p^3) of each factorisation is
  spread over as many rows (for p <= 256 the 2^18 elements are more);
- a pass splits the rows into a power of two of partitions (at most ``MAX_PARTITIONS``, each holding
  at least ``PARTITION_ELEMENTS`` elements of X, 16 MB), evaluated in parallel and summed in a fixed
  order: the result does not depend on the number of threads. Below two partitions' worth a fit
  runs in one thread: a second one would gain little and double the work memory.
"""

import os
import threading

import numpy as np

__all__ = ["BLOCK_ELEMENTS", "SMALL_P", "SMALL_P_BLOCK_ELEMENTS", "FACTOR_BLOCK_ROWS", "VECTOR_BLOCK_ROWS",
           "block_rows", "qr_block_rows", "row_blocks", "vector_blocks", "scratch", "n_threads", "partitions",
           "map_partitions"]

BLOCK_ELEMENTS = 1 << 18
SMALL_P = 12
SMALL_P_BLOCK_ELEMENTS = 1 << 15
FACTOR_BLOCK_ROWS = 1 << 16
VECTOR_BLOCK_ROWS = 1 << 15
MAX_PARTITIONS = 8
PARTITION_ELEMENTS = 1 << 21


def block_rows(n, width, small=False):
    """Rows per block for n rows of ``width`` elements: ``BLOCK_ELEMENTS / width`` (``SMALL_P_BLOCK_ELEMENTS /
    width`` with ``small``), but at most n / 32 and at least 256."""
    elements = SMALL_P_BLOCK_ELEMENTS if small else BLOCK_ELEMENTS
    return max(256, min(elements // max(width, 1), -(-n // 32)))


def qr_block_rows(width):
    """Rows stacked under a triangular factor of ``width`` columns per QR: max(BLOCK_ELEMENTS / width, 4 width)."""
    return max(BLOCK_ELEMENTS // max(width, 1), 4 * width)


def row_blocks(n, rows):
    """Slices covering range(n) in equal blocks of at most ``rows`` rows: equal sizes keep the per-block work
    arrays as small as the count allows."""
    k = max(1, -(-n // max(int(rows), 1)))
    for i in range(k):
        yield slice(n * i // k, n * (i + 1) // k)


def vector_blocks(n):
    """Slices for work on n-vectors alone (checks, fitted values)."""
    return row_blocks(n, VECTOR_BLOCK_ROWS)


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


def n_threads():
    """Threads for passes over the rows: ``GLMSTATS_NUM_THREADS`` if set, else the CPUs this process may use."""
    env = os.environ.get("GLMSTATS_NUM_THREADS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise ValueError(f"GLMSTATS_NUM_THREADS must be a positive integer, got {env!r}")
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


_pool = None


def _map(func, items):
    """[func(item) for item in items], in a thread pool when there are several items and CPUs.

    numpy's ufuncs and BLAS release the GIL, so the partitions of a pass run in parallel.
    """
    global _pool
    threads = n_threads()
    if len(items) == 1 or threads == 1:
        return [func(item) for item in items]
    if _pool is None or _pool[0] != os.getpid() or _pool[1] != threads:  # a forked child needs its own threads
        from concurrent.futures import ThreadPoolExecutor

        _pool = (os.getpid(), threads, ThreadPoolExecutor(threads, thread_name_prefix="glmstats"))
    return [f.result() for f in [_pool[2].submit(func, item) for item in items]]


def partitions(n, width):
    """The partitions ``(start, stop)`` of n rows of ``width`` elements (a function of n and width alone)."""
    k = 1
    while k < MAX_PARTITIONS and n * max(width, 1) >= 2 * k * PARTITION_ELEMENTS:
        k *= 2
    bounds = [n * i // k for i in range(k + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def map_partitions(func, n, width):
    """[func((start, stop)) for each partition of n rows of ``width`` elements], in the thread pool: a pass."""
    return _map(func, partitions(n, width))
