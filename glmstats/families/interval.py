"""Interval: the domain of the response and the range of the mean, as data.

A family states where y may lie (``response_domain``) and where mu may lie (``mean_range``)
as two intervals instead of scattered comparisons; the checks, the separation diagnostics and
the error messages read them.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "REAL", "POSITIVE", "NON_NEGATIVE", "UNIT", "OPEN_UNIT"]


@dataclass(frozen=True)
class Interval:
    """An interval of the real line, each end open or closed.

    Parameters
    ----------
    low, high : float
        The ends (``-inf``/``inf`` for unbounded sides; an infinite end is always open).
    low_inclusive, high_inclusive : bool
        Whether the ends belong to the interval.
    """

    low: float = -np.inf
    high: float = np.inf
    low_inclusive: bool = False
    high_inclusive: bool = False

    def contains(self, x):
        """Elementwise: x lies in the interval (NaN does not)."""
        x = np.asarray(x, dtype=float)
        above = x >= self.low if self.low_inclusive else x > self.low
        below = x <= self.high if self.high_inclusive else x < self.high
        return above & below

    def __contains__(self, x):
        return bool(self.contains(x))

    @property
    def closed_ends(self):
        """The finite ends that belong to the interval."""
        return tuple(e for e, inc in ((self.low, self.low_inclusive), (self.high, self.high_inclusive))
                     if inc and np.isfinite(e))

    @property
    def open_ends(self):
        """The finite ends that do not belong to the interval."""
        return tuple(e for e, inc in ((self.low, self.low_inclusive), (self.high, self.high_inclusive))
                     if not inc and np.isfinite(e))

    def __str__(self):
        lo = f"{'[' if self.low_inclusive else '('}{self.low:g}"
        hi = f"{self.high:g}{']' if self.high_inclusive else ')'}"
        return f"{lo}, {hi}"


REAL = Interval()
POSITIVE = Interval(0.0, np.inf)
NON_NEGATIVE = Interval(0.0, np.inf, low_inclusive=True)
UNIT = Interval(0.0, 1.0, True, True)
OPEN_UNIT = Interval(0.0, 1.0)
