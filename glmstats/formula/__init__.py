"""The formula boundary: an R-style formula and a DataFrame become a Design (arrays and a model spec)."""

from .design import Design, build_design, check_formula_arguments

__all__ = ["Design", "build_design", "check_formula_arguments"]
