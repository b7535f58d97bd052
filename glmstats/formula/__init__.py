"""The formula boundary: an R-style formula and a DataFrame become a Design (arrays and a model spec).

- :mod:`~glmstats.formula.parse`: the formula text (``response ~ terms``, ``cbind(s, f)``);
- :mod:`~glmstats.formula.terms`: the variables and offset() terms of the right-hand side;
- :mod:`~glmstats.formula.materialize`: formulaic's model matrix on the rows used, or factors kept as
  integer codes;
- :mod:`~glmstats.formula.checks`: missing and infinite values, empty terms, unseen levels;
- :mod:`~glmstats.formula.design`: :class:`Design` and :func:`build_design`, the boundary itself.

formulaic is imported when a formula is first built (``Design``, ``build_design``), not with
``import glmstats``: the array interface never needs it.
"""

from .parse import check_formula_arguments, split_formula
from .response import proportions

__all__ = ["Design", "build_design", "check_formula_arguments", "proportions", "split_formula"]


def __getattr__(name):
    if name in ("Design", "build_design"):
        from . import design

        return getattr(design, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
