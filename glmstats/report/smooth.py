"""R's ``lowess`` without robustness iterations: the smooth curve of ``plot.lm``'s panels.

R >= 4.0 draws it with ``iter = 0`` for glm fits (robustness iterations would down-weight
the 0/1 responses of a binary fit until they vanish, R's NEWS says), so only the first
locally weighted straight-line fit of Cleveland's algorithm is needed. Arrays in, arrays out.
"""

import numpy as np

__all__ = ["lowess"]


def _local_fit(x, y, xs, nleft, nright):
    """R's ``lowest``: the tricube-weighted straight line through the points nleft..nright (and ties
    beyond nright within the bandwidth), evaluated at xs; None when all weights are 0."""
    n = x.shape[0]
    h = max(xs - x[nleft], x[nright] - xs)
    # clowess's loop: from nleft up to the first point past xs that is outside 0.999 h
    stop = nright + 1
    while stop < n and (abs(x[stop] - xs) <= 0.999 * h or x[stop] <= xs):
        stop += 1
    xj = x[nleft:stop]
    r = np.abs(xj - xs)
    w = np.where(r <= 0.001 * h, 1.0, (1.0 - (r / h) ** 3) ** 3) if h > 0 else np.ones_like(r)
    w[r > 0.999 * h] = 0.0
    total = w.sum()
    if total <= 0:
        return None
    w = w / total
    if h > 0:
        a = np.sum(w * xj)
        c = np.sum(w * (xj - a) ** 2)
        if np.sqrt(c) > 0.001 * (x[-1] - x[0]):
            w = w * ((xs - a) / c * (xj - a) + 1.0)
    return float(np.sum(w * y[nleft:stop]))


def lowess(x, y, f=2.0 / 3.0, delta=None):
    """Locally weighted straight-line smooth of y on x (R: ``lowess(x, y, f, iter = 0, delta)``).

    Parameters
    ----------
    x, y : array_like
        The points (non-finite pairs are dropped).
    f : float
        The span: each fit uses the nearest floor(f n) points.
    delta : float, optional
        Fits are computed at points at least ``delta`` apart and linearly interpolated in between
        (default 1 % of the range of x, as R): about a hundred local fits whatever n.

    Returns
    -------
    xs, ys : ndarray
        x sorted, and the smooth at each.

    Notes
    -----
    At x_i the neighbours' weights are tricube, (1 - (|x_j - x_i| / h)^3)^3 with h the distance to
    the farthest of the ns = floor(f n) nearest points, and ys_i is the weighted least-squares
    line's value at x_i. A transcription of ``clowess`` in R's ``src/library/stats/src/lowess.c``
    with ``iter = 0``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    order = np.argsort(x[ok], kind="stable")
    x, y = x[ok][order], y[ok][order]
    n = x.shape[0]
    ys = np.empty(n)
    if n < 2:
        return x, y.copy()
    delta = 0.01 * (x[-1] - x[0]) if delta is None else float(delta)
    ns = max(min(int(np.floor(f * n + 1e-7)), n), 2)
    nleft, nright, last, i = 0, ns - 1, -1, 0
    while True:
        # slide the window of ns points right while it gets closer to x_i
        while nright < n - 1 and x[i] - x[nleft] > x[nright + 1] - x[i]:
            nleft += 1
            nright += 1
        fit = _local_fit(x, y, x[i], nleft, nright)
        ys[i] = y[i] if fit is None else fit
        if last < i - 1:  # interpolate the points skipped within delta
            denom = x[i] - x[last]
            alpha = (x[last + 1:i] - x[last]) / denom
            ys[last + 1:i] = alpha * ys[i] + (1.0 - alpha) * ys[last]
        last = i
        cut = x[last] + delta
        i = last + 1
        while i < n:
            if x[i] > cut:
                break
            if x[i] == x[last]:  # ties share the fit
                ys[i] = ys[last]
                last = i
            i += 1
        i = max(last + 1, i - 1)
        if last >= n - 1:
            break
    return x, ys
