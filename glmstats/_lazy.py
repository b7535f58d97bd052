"""Modules imported on first use, so that ``import glmstats`` stays fast.

scipy.stats alone takes longer to import than the rest of glmstats; most sessions that
fit a model need it only for p-values, so it is loaded when first touched.
"""

import importlib


class LazyModule:
    """Stands in for a module and imports it at the first attribute access."""

    def __init__(self, name):
        self._name = name
        self._module = None

    def __getattr__(self, attr):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __reduce__(self):  # pickles as the real module name
        return (LazyModule, (self._name,))


scipy_linalg = LazyModule("scipy.linalg")
special = LazyModule("scipy.special")
stats = LazyModule("scipy.stats")
