"""plotly, imported when a plot is first asked for: ``import glmstats`` never loads it (it is the optional
``plot`` extra and takes longer to import than glmstats itself)."""

INSTALL_HINT = 'plotting needs plotly, the optional "plot" extra: pip install "glmstats[plot]"'


def plotly_modules():
    """``(plotly.graph_objects, plotly.subplots.make_subplots)``, or ImportError naming the extra."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return go, make_subplots
