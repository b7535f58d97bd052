"""Plots of a fitted GLM as plotly figures: R's diagnostic panels, effects, coefficients.

Each function returns a ``plotly.graph_objects.Figure`` whose traces are named, so that a
figure's data can be read back (``fig.data``) as well as looked at. plotly is the optional
``plot`` extra, imported on the first call (:mod:`glmstats.report._plotly`).
"""

import numpy as np
import pandas as pd

from .._lazy import stats
from ._plotly import plotly_modules
from .smooth import lowess

__all__ = ["plot_diagnostics", "plot_effects", "plot_coefficients", "ppoints", "qqline", "cook_contour",
           "normal_envelope"]


# --- the numbers behind the panels (arrays in, arrays out) ----------------------------------
def ppoints(n):
    """R's ``ppoints(n)``: (i - a) / (n + 1 - 2a), a = 3/8 for n <= 10 else 1/2."""
    a = 3.0 / 8.0 if n <= 10 else 0.5
    return (np.arange(1, n + 1) - a) / (n + 1 - 2 * a)


def qqline(sample):
    """Intercept and slope of R's ``qqline``: the line through the sample's and the normal's quartiles
    (sample quartiles of R's type 7, numpy's default)."""
    q = np.nanquantile(np.asarray(sample, dtype=float), [0.25, 0.75])
    z = stats.norm.ppf([0.25, 0.75])
    slope = (q[1] - q[0]) / (z[1] - z[0])
    return q[0] - slope * z[0], slope


def cook_contour(h, level, rank):
    """|standardized Pearson residual| at which Cook's distance equals ``level`` for leverage h.

    Cook's distance D = r^2 h / (p (1 - h)) for the standardized Pearson residual r and the rank p,
    so D = c on r = +/- sqrt(c p (1 - h) / h) (R's ``plot.lm``, which = 5).
    """
    h = np.asarray(h, dtype=float)
    return np.sqrt(level * rank * (1.0 - h) / h)


def normal_envelope(n, nsim=199, level=0.95, seed=None):
    """Pointwise envelope of the order statistics of n standard normal draws.

    Draws ``nsim`` samples of size n from N(0, 1), sorts each, and returns the (1 - level)/2 and
    (1 + level)/2 quantiles of the i-th smallest value over the samples, for i = 1..n: where the
    sorted residuals of a correct model fall, observation by observation (pointwise, not a band
    that holds for all n at once; the estimation of the coefficients is ignored).
    """
    rng = np.random.default_rng(seed)
    sims = np.sort(rng.standard_normal((int(nsim), int(n))), axis=1)
    lower, upper = np.quantile(sims, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lower, upper


# --- the figures ---------------------------------------------------------------------------
def _labels(index):
    return [str(i) for i in index]


def _add_quantile_qq(fig, go, rq, labels, envelope_sims, level, rng):
    """Panel 5: sorted quantile residuals against normal quantiles, inside a simulated envelope."""
    ok = np.isfinite(rq)
    order = np.argsort(rq[ok])
    theo = stats.norm.ppf(ppoints(int(ok.sum())))
    lower, upper = normal_envelope(int(ok.sum()), envelope_sims, level, seed=rng)
    band = dict(color="rgba(44,160,44,0.6)", width=1)
    fig.add_trace(go.Scatter(x=theo, y=lower, mode="lines", name="envelope lower", line=band), 3, 1)
    fig.add_trace(go.Scatter(x=theo, y=upper, mode="lines", name="envelope upper", line=band, fill="tonexty",
                             fillcolor="rgba(44,160,44,0.15)"), 3, 1)
    fig.add_trace(go.Scatter(x=theo[[0, -1]], y=theo[[0, -1]], mode="lines", name="y = x",
                             line=dict(dash="dot", color="gray")), 3, 1)
    fig.add_trace(go.Scatter(x=theo, y=rq[ok][order], mode="markers", name="quantile residuals",
                             text=labels[ok][order], marker=dict(size=6, color="#ff7f0e")), 3, 1)


def plot_diagnostics(res, *, residuals="pearson", smooth=True, cook_levels=(0.5, 1.0), envelope_sims=199,
                     level=0.95, seed=None):
    """R's diagnostic plots of a glm (``plot(m)``), plus a Q-Q plot of randomized quantile residuals.

    Parameters
    ----------
    res : GLMResults
    residuals : {"pearson", "deviance"}
        The residuals of the panels. ``"pearson"`` is R >= 4.0's ``plot.lm`` for a glm (Pearson
        residuals, standardized Pearson residuals); ``"deviance"`` that of R < 4.0 and many texts
        (deviance residuals, R's ``rstandard``). The residuals-vs-leverage panel always shows
        standardized Pearson residuals, on which Cook's contours are exact.
    smooth : bool
        Draw R's smooth curve in panels 1 and 3: ``lowess(x, y, f = 2/3, iter = 0)``, R's
        ``panel.smooth`` for glm fits (:func:`glmstats.report.smooth.lowess`).
    cook_levels : sequence of float
        Cook's distances drawn as contours in the residuals-vs-leverage panel.
    envelope_sims, level : int, float
        Number of simulated normal samples and the coverage of the pointwise envelope of the
        quantile-residual Q-Q plot (see :func:`normal_envelope`).
    seed : int, numpy Generator or None
        Seeds one generator that draws the quantile residuals' uniforms, then the envelope's normals
        (``seed=s`` gives the quantile residuals of ``res.resid_quantile(seed=s)``).

    Returns
    -------
    plotly.graph_objects.Figure
        Panels (a 3 x 2 grid, row by row) and their named traces:

        1. Residuals vs Fitted: ``residuals`` (residual against the linear predictor eta, R's
           ``predict(m)``, not the mean), ``residuals smooth``.
        2. Normal Q-Q: ``standardized residuals`` (sorted, against the normal quantiles of R's
           ``ppoints``, as ``qqnorm``) and ``qqline``.
        3. Scale-Location: ``sqrt(|standardized residuals|)`` against eta, ``scale-location smooth``.
        4. Residuals vs Leverage: ``leverage`` (standardized Pearson residual against h_i) and
           ``Cook's distance <c>`` per level (both signs, joined by a gap).
        5. Quantile residuals Q-Q: ``quantile residuals`` (sorted, against the same quantiles), ``envelope
           lower``, ``envelope upper``, ``y = x``.

    Notes
    -----
    Standardized residuals r_i / sqrt(phi (1 - h_i)) and leverages h_i come from
    :meth:`GLMResults.get_influence`; rows with zero prior weight are left out and rows with
    h_i = 1 have no standardized residual, as in R. The quantile residuals
    (:meth:`GLMResults.resid_quantile`) are N(0, 1) under a correct model whatever the family, so
    their Q-Q plot needs no allowance for discreteness (Dunn and Smyth 1996); R's plot.glm has no such
    panel.
    """
    if residuals not in ("pearson", "deviance"):
        raise ValueError(f'residuals must be "pearson" or "deviance", not {residuals!r}')
    go, make_subplots = plotly_modules()
    infl = res.get_influence()
    used = np.asarray(res.fit_state.var_weights, dtype=float) > 0  # R's plot.lm drops zero-weight rows
    labels = np.array(_labels(res.fittedvalues.index))[used]
    eta = res.linear_predictor.to_numpy()[used]
    if residuals == "pearson":
        r, rs = res.resid_pearson.to_numpy()[used], infl.resid_standardized_pearson.to_numpy()[used]
        name = "Pearson"
    else:
        r, rs = res.resid_deviance.to_numpy()[used], infl.resid_standardized.to_numpy()[used]
        name = "deviance"
    rsp = infl.resid_standardized_pearson.to_numpy()[used]
    h = infl.hat_matrix_diag.to_numpy()[used]

    fig = make_subplots(rows=3, cols=2, subplot_titles=(
        "Residuals vs Fitted", "Normal Q-Q", "Scale-Location", "Residuals vs Leverage",
        "Quantile residuals Q-Q (simulated envelope)"), horizontal_spacing=0.12, vertical_spacing=0.1)
    marker = dict(size=6, color="#1f77b4", opacity=0.75)

    fig.add_trace(go.Scatter(x=eta, y=r, mode="markers", name="residuals", text=labels, marker=marker), 1, 1)
    fig.add_hline(y=0, line=dict(dash="dot", color="gray"), row=1, col=1)
    if smooth:
        sx, sy = lowess(eta, r)
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", name="residuals smooth", line=dict(color="#d62728")), 1, 1)

    ok = np.isfinite(rs)
    order = np.argsort(rs[ok])
    theo = stats.norm.ppf(ppoints(int(ok.sum())))  # R's qqnorm
    a, b = qqline(rs[ok])
    fig.add_trace(go.Scatter(x=theo, y=rs[ok][order], mode="markers", name="standardized residuals",
                             text=labels[ok][order], marker=marker), 1, 2)
    fig.add_trace(go.Scatter(x=theo[[0, -1]], y=a + b * theo[[0, -1]], mode="lines", name="qqline",
                             line=dict(dash="dot", color="gray")), 1, 2)

    fig.add_trace(go.Scatter(x=eta, y=np.sqrt(np.abs(rs)), mode="markers", name="sqrt(|standardized residuals|)",
                             text=labels, marker=marker), 2, 1)
    if smooth:
        sx, sy = lowess(eta, np.sqrt(np.abs(rs)))
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", name="scale-location smooth",
                                 line=dict(color="#d62728")), 2, 1)

    hx = np.where(h >= 1.0, np.nan, h)
    fig.add_trace(go.Scatter(x=hx, y=rsp, mode="markers", name="leverage", text=labels, marker=marker), 2, 2)
    hmin, hmax = np.nanmin(hx), np.nanmax(hx)
    # R: from min(h) (or max(h)/100 if smaller) to the right end of the axis (4 % past max(h))
    hh = np.linspace(min(hmin, hmax / 100.0), hmax * 1.04, 101)
    hh = hh[hh > 0]
    for k, c in enumerate(cook_levels):
        edge = cook_contour(hh, c, res.rank)
        fig.add_trace(go.Scatter(x=np.r_[hh, np.nan, hh], y=np.r_[edge, np.nan, -edge], mode="lines",
                                 name=f"Cook's distance {c:g}", line=dict(dash="dash", color="#d62728",
                                                                          width=1 + k)), 2, 2)
    lim = 1.1 * max(np.nanmax(np.abs(rsp)), 1.0)
    fig.update_yaxes(range=[-lim, lim], row=2, col=2)

    rng = np.random.default_rng(seed)
    try:
        rq = res.resid_quantile(seed=rng).to_numpy()[used]
    except NotImplementedError:  # quasi families: no distribution, no quantile residuals; the R panels stand
        fig.add_annotation(text=f"no quantile residuals:<br>the {res.family.name} family has no distribution",
                           showarrow=False, xref="x5 domain", yref="y5 domain", x=0.5, y=0.5)
        rq = None
    if rq is not None:
        _add_quantile_qq(fig, go, rq, labels, envelope_sims, level, rng)
    axes = [("Predicted values (linear predictor)", f"{name} residuals"),
            ("Theoretical quantiles", f"Std. {name} resid."),
            ("Predicted values (linear predictor)", f"sqrt(|Std. {name} resid.|)"),
            ("Leverage", "Std. Pearson resid."),
            ("N(0, 1) quantiles", "Quantile residuals")]
    for k, (xt, yt) in enumerate(axes):
        fig.update_xaxes(title_text=xt, row=k // 2 + 1, col=k % 2 + 1)
        fig.update_yaxes(title_text=yt, row=k // 2 + 1, col=k % 2 + 1)
    fig.update_layout(title=f"{res.family.name}({res.family.link.name}) diagnostics", height=1100,
                      showlegend=False, template="plotly_white")
    return fig


def plot_coefficients(res, *, alpha=0.05, method="wald", drop_intercept=False):
    """Estimates with their confidence intervals (a coefficient plot).

    Parameters
    ----------
    res : GLMResults
    alpha : float
        1 - confidence level.
    method : {"wald", "profile"}
        As :meth:`GLMResults.conf_int` (Wald: t or z by ``res.use_t``; profile: MASS's confint.glm).
    drop_intercept : bool
        Leave out the intercept (often on another scale than the slopes).

    Returns
    -------
    plotly.graph_objects.Figure
        One trace ``estimate``: x the estimates, y the terms (top to bottom in model order), error
        bars to ``conf_int``'s ``lower`` and ``upper``. Aliased terms (NaN) are left out.
    """
    go, _ = plotly_modules()
    ci = res.conf_int(alpha=alpha, method=method)
    b = res.params
    keep = b.notna()
    if drop_intercept:
        keep &= b.index != "Intercept"
    b, ci = b[keep], ci[keep]
    fig = go.Figure(go.Scatter(
        x=b.to_numpy(), y=list(b.index), mode="markers", name="estimate", marker=dict(size=9),
        error_x=dict(type="data", symmetric=False, array=(ci["upper"] - b).to_numpy(),
                     arrayminus=(b - ci["lower"]).to_numpy())))
    fig.add_vline(x=0, line=dict(dash="dot", color="gray"))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=f"Coefficients with {100 * (1 - alpha):g}% {method} intervals",
                      xaxis_title=f"estimate (link scale: {res.family.link.name})", template="plotly_white",
                      height=max(300, 60 + 32 * len(b)), showlegend=False)
    return fig


def _typical_values(res, data, at):
    """One row of typical values of the right-hand side's variables: the mean of a numeric variable,
    the reference (first) level of a factor; ``at`` overrides."""
    design = getattr(res.model, "design", None)
    if design is None:
        raise ValueError("plot_effects needs a model built from a formula (gs.glm)")
    levels = {str(k): list(v.levels) for k, v in design.spec.factor_contrasts.items()}
    names = list(res.fit_state.exog_names)
    row, kinds = {}, {}
    for var in sorted(design.spec.required_variables):
        if var in levels:
            row[var], kinds[var] = levels[var][0], levels[var]
        elif data is not None and var in data:
            col = data[var]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                row[var], kinds[var] = float(col.mean()), (float(col.min()), float(col.max()))
            else:
                lv = sorted(col.dropna().unique())
                row[var], kinds[var] = lv[0], lv
        elif var in names:  # a numeric variable entering the design as itself: its column gives the values
            x = res.fit_state.data.X.columns(np.array([names.index(var)])).to_dense()[:, 0]
            row[var], kinds[var] = float(np.mean(x)), (float(np.min(x)), float(np.max(x)))
        else:
            raise ValueError(f"the typical value of {var!r} cannot be recovered from the fit; pass data= (the "
                             "data frame the model was fitted on)")
    row.update(at or {})
    return row, kinds


def plot_effects(res, term, data=None, *, at=None, alpha=0.05, n_points=100, offset=None, exposure=None):
    """The fitted mean over one predictor's range, the others held at typical values.

    Parameters
    ----------
    res : GLMResults
        A fit from a formula.
    term : str
        A variable of the formula's right-hand side (a data column, e.g. ``"ldose"``; transforms
        of it such as ``np.log(u)`` follow).
    data : DataFrame, optional
        The data the model was fitted on, for the range and typical values of variables the fit
        cannot give back (those inside transforms or offset terms). Factors' levels come from the
        fit; a numeric variable entering the design as itself is read from the design.
    at : dict, optional
        Values for the other variables, overriding the typical ones.
    alpha : float
        1 - confidence level of the band.
    n_points : int
        Grid size over a numeric predictor's observed range.
    offset, exposure : float, optional
        For models fitted with offset/exposure arrays: the value used on the grid.

    Returns
    -------
    plotly.graph_objects.Figure
        Numeric ``term``: traces ``ci lower``, ``ci upper`` (a filled band) and ``fitted mean``;
        a factor: ``fitted mean`` as points with asymmetric error bars to the interval.

    Notes
    -----
    Typical values: the mean of a numeric variable, the reference (first) level of a factor
    (R's effects package averages over factor levels instead). The band is computed on the link
    scale and mapped back, g^{-1}(eta -/+ q se(eta)) with q from t(df_resid) or the normal as
    ``res.use_t`` (:meth:`GLMResults.get_prediction`), so it respects the mean's range (e.g. (0, 1)).
    Offset terms of the formula are evaluated at the typical values (e.g. ``offset(np.log(n))``
    at the mean of n): the curve is then the mean for that exposure.
    """
    go, _ = plotly_modules()
    row, kinds = _typical_values(res, data, at)
    if term not in kinds:
        raise ValueError(f"{term!r} is not a variable of the model; its variables are {sorted(kinds)}")
    span = kinds[term]
    factor = isinstance(span, list)
    values = span if factor else np.linspace(span[0], span[1], int(n_points))
    grid = pd.DataFrame({k: [v] * len(values) for k, v in row.items()})
    grid[term] = values
    n = len(grid)
    kwargs = {}
    if offset is not None:
        kwargs["offset"] = np.full(n, float(offset))
    if exposure is not None:
        kwargs["exposure"] = np.full(n, float(exposure))
    frame = res.get_prediction(grid, which="mean", **kwargs).summary_frame(alpha=alpha)
    mean, lo, hi = (frame[c].to_numpy() for c in ("mean", "mean_ci_lower", "mean_ci_upper"))
    level = f"{100 * (1 - alpha):g}%"
    if factor:
        fig = go.Figure(go.Scatter(x=[str(v) for v in values], y=mean, mode="markers", name="fitted mean",
                                   marker=dict(size=10), error_y=dict(type="data", symmetric=False,
                                                                      array=hi - mean, arrayminus=mean - lo)))
    else:
        fig = go.Figure([
            go.Scatter(x=values, y=lo, mode="lines", name="ci lower", line=dict(width=0)),
            go.Scatter(x=values, y=hi, mode="lines", name="ci upper", line=dict(width=0), fill="tonexty",
                       fillcolor="rgba(31,119,180,0.2)"),
            go.Scatter(x=values, y=mean, mode="lines", name="fitted mean", line=dict(width=2.5))])
    others = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items() if k != term)
    fig.update_layout(title=f"Effect of {term} ({level} band; {others})" if others else f"Effect of {term}",
                      xaxis_title=term, yaxis_title=f"fitted mean of {res.endog_name}", template="plotly_white",
                      height=450, showlegend=False)
    return fig
