"""Plots of the building blocks: inverse link functions and the families' distributions.

As in a GLM tutorial: how each link maps the linear predictor eta to the mean, and what
the distribution of y looks like for several means (and dispersions). Both return plotly
figures with one named trace per curve (:mod:`glmstats.report._plotly` imports plotly).
"""

import itertools

import numpy as np

from ..families import links as L
from ._plotly import plotly_modules

__all__ = ["plot_links", "plot_pdf"]


def _default_links():
    binary = [L.Logit(), L.Probit(), L.CLogLog(), L.LogLog(), L.Cauchy()]
    positive = [L.Identity(), L.Log(), L.Sqrt(), L.InversePower(), L.InverseSquared()]
    return binary, positive


def plot_links(links=None, eta=None):
    """The inverse links mu = g^{-1}(eta).

    Parameters
    ----------
    links : sequence of Link or str, optional
        Default: the links of a probability (logit, probit, cloglog, loglog, cauchit) in the left
        panel and those of a mean on the real line or positive (identity, log, sqrt, inverse,
        1/mu^2) in the right one. Given links are drawn in one panel.
    eta : array_like, optional
        The grid of the linear predictor; default 401 points on [-5, 5].

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per link named by R's link name (``"logit"``, ``"cauchit"``, ``"1/mu^2"``, ...),
        y = ``link.inverse(eta)``; NaN where eta is outside the link's domain (R's ``valideta``:
        eta > 0 for sqrt and 1/mu^2, eta != 0 for the inverse).

    Notes
    -----
    logit: mu = 1 / (1 + e^-eta); probit: Phi(eta); cloglog: 1 - exp(-e^eta); loglog: exp(-e^-eta);
    cauchit: 1/2 + arctan(eta) / pi; log: e^eta; sqrt: eta^2; inverse: 1/eta; 1/mu^2: eta^(-1/2).
    """
    go, make_subplots = plotly_modules()
    eta = np.linspace(-5.0, 5.0, 401) if eta is None else np.asarray(eta, dtype=float)
    if links is None:
        panels = _default_links()
        fig = make_subplots(rows=1, cols=2, subplot_titles=("Links for a probability", "Links for a mean"))
    else:
        panels = ([L.get_link(k) for k in links],)
        fig = make_subplots(rows=1, cols=1)
    for col, group in enumerate(panels, start=1):
        for link in group:
            valid = np.array([link.valid_eta(np.array([e])) for e in eta])
            with np.errstate(all="ignore"):
                mu = np.where(valid, link.inverse(eta), np.nan)
            fig.add_trace(go.Scatter(x=eta, y=mu, mode="lines", name=link.name), 1, col)
        fig.update_xaxes(title_text="linear predictor eta", row=1, col=col)
        fig.update_yaxes(title_text="mean mu = g^-1(eta)", row=1, col=col)
    if links is None:
        fig.update_yaxes(range=[-0.05, 1.05], row=1, col=1)
        fig.update_yaxes(range=[-3, 8], row=1, col=2)
    fig.update_layout(title="Inverse link functions", template="plotly_white",
                      height=450)
    return fig


def plot_pdf(family, mu, scale=1.0, var_weights=1.0, *, n_points=300):
    """The distribution of y under ``family`` for several means and dispersions.

    Parameters
    ----------
    family : Family
    mu : float or sequence of float
        Means.
    scale : float or sequence of float
        Dispersions phi (ignored, and left out of the names, when the family fixes it at 1).
    var_weights : float
        The prior weight: the number of trials of a binomial, else Var(y) = phi V(mu) / w.
    n_points : int
        Grid size of a continuous density.

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per (mu, phi), named ``"mu=<mu>, phi=<phi>"`` (``"mu=<mu>"`` when phi is fixed): for
        counts (``family.integer_response``) the probability mass at each possible y (for a binomial
        y = k / m, the proportion of the m trials), for a continuous family the density on a grid
        spanning the 0.1 % to 99.9 % quantiles of all the curves. A Tweedie with 1 < p < 2 adds, per curve, a
        marker at y = 0 with the probability of an exact zero (``family.zero_mass``) next to the density of
        y > 0.

    Raises
    ------
    NotImplementedError
        Families without a distribution (quasi families, Tweedie outside 1 < p < 2).

    Notes
    -----
    The distributions are ``family.get_distribution(mu, scale, var_weights)``: e.g. Poisson(mu),
    Gamma with shape w / phi and mean mu, normal with variance phi / w.
    """
    go, _ = plotly_modules()
    mus = np.atleast_1d(np.asarray(mu, dtype=float))
    scales = [1.0] if family.fixed_scale else list(np.atleast_1d(np.asarray(scale, dtype=float)))
    w = float(var_weights)
    try:
        combos = [(m, s, family.get_distribution(np.asarray(m), scale=s, var_weights=w))
                  for m, s in itertools.product(mus, scales)]
    except NotImplementedError as exc:
        raise NotImplementedError(f"plot_pdf needs the distribution of y: {exc}") from None

    def label(m, s):
        return f"mu={m:g}" if family.fixed_scale else f"mu={m:g}, phi={s:g}"

    fig = go.Figure()
    if family.integer_response:
        trials = np.round(w) if family.proportion_response else 1.0
        # the whole support of a binomial; counts up to the largest 99.9 % quantile
        top = trials if family.proportion_response else max(float(d.ppf(0.999)) for _, _, d in combos)
        k = np.arange(0, int(top) + 1, dtype=float)
        for m, s, d in combos:
            fig.add_trace(go.Bar(x=k / trials, y=d.pmf(k), name=label(m, s), opacity=0.7))
        fig.update_layout(barmode="group", yaxis_title="P(Y = y)")
    else:
        lo = min(float(d.ppf(0.001)) for _, _, d in combos)
        hi = max(float(d.ppf(0.999)) for _, _, d in combos)
        y = np.linspace(lo, hi, int(n_points))
        if family.zero_mass:  # the density of y > 0, and the probability of y = 0 as a marker at 0
            y = y[y > 0]
        for m, s, d in combos:
            trace = go.Scatter(x=y, y=d.pdf(y), mode="lines", name=label(m, s))
            fig.add_trace(trace)
            if family.zero_mass:
                fig.add_trace(go.Scatter(x=[0.0], y=[float(d.cdf(0.0))], mode="markers", name=f"P(y=0), {label(m, s)}",
                                         marker={"size": 10, "symbol": "diamond"}))
        fig.update_layout(yaxis_title="density f(y)")
    fig.update_layout(title=f"{family.name} distribution", xaxis_title="y", template="plotly_white",
                      height=450)
    return fig
