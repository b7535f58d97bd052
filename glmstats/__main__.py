"""``python -m glmstats``: the ``glmstats`` command line (see :mod:`glmstats.cli`)."""

import sys

from glmstats.cli import main

if __name__ == "__main__":
    sys.exit(main())
