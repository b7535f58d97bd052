"""Classic public datasets bundled with glmstats (installed as ``glmstats._datasets``)."""
