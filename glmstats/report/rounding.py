"""R's ``round(x, digits)`` and ``zapsmall``, bit for bit (R 4.2: src/nmath/fround.c, base::zapsmall).

R 4's ``round`` picks the nearer of the two decimal candidates (ties to the even last digit) rather
than rounding x * 10^d; ``printCoefmat`` rounds with it before formatting, so the cells R prints
depend on it (``round(0.15, 1)`` is 0.1, ``round(2.5)`` is 2).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["r_round", "zapsmall"]

_DBL_DIG = 15
_LOG10_2 = math.log10(2.0)


def _pow_di(x, n):
    """R_pow_di: x**n by repeated squaring (bit-for-bit what fround divides by)."""
    xn = 1.0
    neg = n < 0
    n = -n if neg else n
    while n:
        if n & 1:
            xn *= x
        n >>= 1
        if n:
            x *= x
    return 1.0 / xn if neg else xn


def _fround1(x, digits):
    if math.isnan(x) or math.isnan(digits):
        return x + digits
    if not math.isfinite(x) or digits > 323 or x == 0.0:
        return x
    if digits < -308:
        return 0.0
    if digits == 0.0:
        return float(np.rint(x))
    dig = int(math.floor(digits + 0.5))
    sgn = -1.0 if x < 0 else 1.0
    x = abs(x)
    if _LOG10_2 * (0.5 + (math.frexp(x)[1] - 1)) + dig > _DBL_DIG:
        return sgn * x
    if dig <= 308:
        pow10 = _pow_di(10.0, dig)
        x10 = x * pow10
        i10 = math.floor(x10)
        xd, xu = i10 / pow10, math.ceil(x10) / pow10
    else:
        p10, pow10 = _pow_di(10.0, dig - 308), _pow_di(10.0, 308)
        x10 = (x * pow10) * p10
        i10 = math.floor(x10)
        xd, xu = i10 / pow10 / p10, math.ceil(x10) / pow10 / p10
    du, dd = xu - x, x - xd
    return sgn * (xu if (du < dd or (math.fmod(i10, 2.0) == 1 and du == dd)) else xd)


def r_round(x, digits=0):
    """R's ``round(x, digits)`` (the R 4 algorithm: the nearer of the two candidates, ties to even).

    Parameters
    ----------
    x : array_like
    digits : number, default 0

    Returns
    -------
    numpy.ndarray of float
    """
    a = np.asarray(x, dtype=float)
    return np.array([_fround1(float(v), float(digits)) for v in a.ravel()]).reshape(a.shape)


def zapsmall(x, digits=7):
    """R's ``zapsmall(x, digits)``: round so that values tiny next to the largest become 0.

    Parameters
    ----------
    x : array_like
    digits : int, default 7

    Returns
    -------
    numpy.ndarray of float
    """
    a = np.asarray(x, dtype=float)
    ok = ~np.isnan(a)
    if not ok.any():
        return a.copy()
    mx = np.max(np.abs(a[ok]))
    return r_round(a, max(0.0, digits - math.log10(mx)) if mx > 0 else digits)
