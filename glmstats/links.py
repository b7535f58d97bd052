"""The link functions, ``gs.links``: see :mod:`glmstats.families.links`."""

from .families.links import *  # noqa: F401,F403 -- the public namespace of the links
from .families.links import __all__  # noqa: F401
