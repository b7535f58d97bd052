"""Plots: the traces' data against R (plot.lm's quantities) and against values computed here
independently of glmstats; lazy plotly; one figure rendered in headless Chromium."""

import json
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

import glmstats as gs
from glmstats.report.plots import normal_envelope
from glmstats.report.smooth import lowess

pytest.importorskip("plotly")

REF = Path(__file__).resolve().parents[1] / "reference_extra" / "plots" / "plots_reference.json"
REFERENCE = json.loads(REF.read_text())
CASES = {k: v for k, v in REFERENCE.items() if "python" in v}  # the model fits


def _fit(case):
    load = gs.datasets.load
    env = {"gs": gs, "np": np, "dobson": load("dobson"), "budworm": load("budworm"), "clotting": load("clotting"),
           "warpbreaks": load("warpbreaks"), "insurance": load("insurance")}
    return eval(case["python"], env).fit()  # the glmstats call written beside R's in generate_plots.R


def _trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def _arr(values):
    return np.asarray(values, dtype=float)


def _qnorm_ppoints(n):
    a = 3.0 / 8.0 if n <= 10 else 0.5  # R's ppoints
    return stats.norm.ppf((np.arange(1, n + 1) - a) / (n + 1 - 2 * a))


# --- diagnostics against R -------------------------------------------------------------------
# R 4.2.2: predict(m), residuals(m, type), rstandard(m[, type = "pearson"]), hatvalues(m),
# cooks.distance(m) -- tests/reference_extra/plots/generate_plots.R. The negative binomial's theta
# agrees with glm.nb's to ~1e-10, hence its looser tolerance.
def _tol(name):
    return 1e-8 if name == "warpbreaks_negbin" else 1e-10


@pytest.mark.parametrize("kind", ["pearson", "deviance"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_diagnostic_panels_match_r(name, kind):
    case, tol = CASES[name], _tol(name)
    res = _fit(case)
    fig = res.plot_diagnostics(residuals=kind, seed=11)
    std = _arr(case[f"rstandard_{kind}"])

    panel1 = _trace(fig, "residuals")
    np.testing.assert_allclose(_arr(panel1.x), case["linear_predictor"], rtol=tol, atol=tol)
    np.testing.assert_allclose(_arr(panel1.y), case[f"resid_{kind}"], rtol=tol, atol=tol)

    qq = _trace(fig, "standardized residuals")
    np.testing.assert_allclose(_arr(qq.y), np.sort(std), rtol=tol, atol=tol)
    np.testing.assert_allclose(_arr(qq.x), _qnorm_ppoints(len(std)), rtol=1e-12)
    line = _trace(fig, "qqline")  # R's qqline: through the quartiles (type 7)
    q1, q3 = np.percentile(std, [25, 75])
    slope = (q3 - q1) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    np.testing.assert_allclose(_arr(line.y), q1 + slope * (_arr(line.x) - stats.norm.ppf(0.25)), rtol=1e-8)

    sl = _trace(fig, "sqrt(|standardized residuals|)")
    np.testing.assert_allclose(_arr(sl.y), np.sqrt(np.abs(std)), rtol=tol, atol=tol)

    # R's panel.smooth for a glm: lowess(predict(m), y, iter = 0); here always on Pearson residuals
    if kind == "pearson":
        np.testing.assert_allclose(_arr(_trace(fig, "residuals smooth").y), case["lowess_resid"], rtol=tol, atol=tol)
        np.testing.assert_allclose(_arr(_trace(fig, "scale-location smooth").y), case["lowess_scale"], rtol=tol,
                                   atol=tol)
        np.testing.assert_allclose(_arr(_trace(fig, "residuals smooth").x), np.sort(case["linear_predictor"]),
                                   rtol=tol, atol=tol)

    lev = _trace(fig, "leverage")
    np.testing.assert_allclose(_arr(lev.x), case["hatvalues"], rtol=tol, atol=tol)
    np.testing.assert_allclose(_arr(lev.y), case["rstandard_pearson"], rtol=tol, atol=tol)


def test_lowess_matches_r():
    # R 4.2.2: set.seed(7); x <- round(runif(500) * 50) / 10; y <- sin(x) + rnorm(500, sd = 0.5);
    # lowess(x, y, iter = 0) -- ties, the window's slide and the interpolation within delta
    case = REFERENCE["lowess_synthetic"]
    x, y = lowess(case["x"], case["y"])
    np.testing.assert_array_equal(x, case["fit_x"])
    np.testing.assert_allclose(y, case["fit_y"], rtol=1e-12, atol=1e-12)
    # no delta: every point fitted; on a straight line the local lines are the line itself
    t = np.linspace(0, 1, 50)
    np.testing.assert_allclose(lowess(t, 3 * t - 1, delta=0)[1], 3 * t - 1, atol=1e-12)


@pytest.mark.parametrize("name", ["dobson_poisson", "budworm_binomial", "clotting_gamma"])
def test_cook_contours_closed_form(name):
    case = CASES[name]
    res = _fit(case)
    fig = res.plot_diagnostics(seed=1)
    p = case["rank"]
    h, rsp, cook = (_arr(case[k]) for k in ("hatvalues", "rstandard_pearson", "cooks_distance"))
    # R's Cook's distances are the contour's function of (h, standardized Pearson residual)
    np.testing.assert_allclose(rsp ** 2 * h / (p * (1 - h)), cook, rtol=1e-9)
    for c in (0.5, 1.0):
        tr = _trace(fig, f"Cook's distance {c:g}")
        x, y = _arr(tr.x), _arr(tr.y)
        gap = np.flatnonzero(np.isnan(x))
        assert gap.size == 1
        hh = x[:gap[0]]
        np.testing.assert_allclose(y[:gap[0]], np.sqrt(c * p * (1 - hh) / hh), rtol=1e-12)
        np.testing.assert_allclose(y[gap[0] + 1:], -np.sqrt(c * p * (1 - hh) / hh), rtol=1e-12)
        # R's grid: 101 points from min(h) (or max(h)/100) to 4 % past max(h)
        assert hh.size == 101 and np.isclose(hh[0], min(h.min(), h.max() / 100)) and np.isclose(hh[-1], 1.04 * h.max())
        # every point of the contour has Cook's distance c
        np.testing.assert_allclose(y[:gap[0]] ** 2 * hh / (p * (1 - hh)), c, rtol=1e-12)


def test_quantile_panel_and_envelope():
    res = _fit(CASES["insurance_poisson"])
    fig = res.plot_diagnostics(seed=5)
    rq = res.resid_quantile(seed=5).to_numpy()
    tr = _trace(fig, "quantile residuals")
    np.testing.assert_allclose(_arr(tr.y), np.sort(rq), rtol=1e-14)
    np.testing.assert_allclose(_arr(tr.x), _qnorm_ppoints(rq.size), rtol=1e-12)
    lo, hi = _arr(_trace(fig, "envelope lower").y), _arr(_trace(fig, "envelope upper").y)
    assert np.all(lo < hi) and np.all(np.diff(lo) >= 0)
    # the simulated envelope approaches the exact one: the i-th of n normal order statistics is
    # Phi^{-1}(U_(i)), U_(i) ~ Beta(i, n + 1 - i); 20,000 samples put the 2.5/97.5 % quantiles within ~0.05
    n = 30
    i = np.arange(1, n + 1)
    lo_sim, hi_sim = normal_envelope(n, nsim=20000, level=0.95, seed=3)
    np.testing.assert_allclose(lo_sim, stats.norm.ppf(stats.beta.ppf(0.025, i, n + 1 - i)), atol=0.06)
    np.testing.assert_allclose(hi_sim, stats.norm.ppf(stats.beta.ppf(0.975, i, n + 1 - i)), atol=0.06)


def test_quasi_family_keeps_r_panels():
    warpbreaks = gs.datasets.load("warpbreaks")
    fig = gs.glm("breaks ~ wool + tension", warpbreaks, family="quasipoisson").fit().plot_diagnostics()
    names = [t.name for t in fig.data]
    assert "leverage" in names and "quantile residuals" not in names
    assert any("no quantile residuals" in a.text for a in fig.layout.annotations)


def test_bad_residual_type():
    with pytest.raises(ValueError, match="pearson"):
        _fit(CASES["dobson_poisson"]).plot_diagnostics(residuals="working")


# --- effects: the band is g^{-1}(eta -/+ q se), computed here from params and cov_params -------
def test_effects_numeric_band_binomial_logit():
    budworm = gs.datasets.load("budworm")
    res = gs.glm("cbind(numdead, n - numdead) ~ ldose + sex", budworm, family="binomial").fit()
    fig = res.plot_effects("ldose", n_points=25)
    x = np.linspace(0, 5, 25)  # ldose's observed range; sex at its reference level "F"
    X = np.column_stack([np.ones_like(x), x, np.zeros_like(x)])
    b, V = res.params.to_numpy(), res.cov_params().to_numpy()
    eta = X @ b
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, V, X))
    z = stats.norm.ppf(0.975)  # dispersion fixed: z, as R's predict + qnorm
    np.testing.assert_allclose(_arr(_trace(fig, "fitted mean").x), x)
    np.testing.assert_allclose(_arr(_trace(fig, "fitted mean").y), special.expit(eta), rtol=1e-12)
    np.testing.assert_allclose(_arr(_trace(fig, "ci lower").y), special.expit(eta - z * se), rtol=1e-10)
    np.testing.assert_allclose(_arr(_trace(fig, "ci upper").y), special.expit(eta + z * se), rtol=1e-10)


def test_effects_inverse_link_t_band_and_data():
    clotting = gs.datasets.load("clotting")
    res = gs.glm("lot1 ~ np.log(u)", clotting, family="Gamma").fit()
    with pytest.raises(ValueError, match="data="):
        res.plot_effects("u")
    fig = res.plot_effects("u", clotting, n_points=10, alpha=0.1)
    u = np.linspace(5, 100, 10)
    X = np.column_stack([np.ones_like(u), np.log(u)])
    b, V = res.params.to_numpy(), res.cov_params().to_numpy()
    eta, se = X @ b, np.sqrt(np.einsum("ij,jk,ik->i", X, V, X))
    q = stats.t.ppf(0.95, res.df_resid)  # dispersion estimated: t(df_resid)
    # the inverse link reverses the order: eta + q se gives the lower mean
    np.testing.assert_allclose(_arr(_trace(fig, "ci lower").y), 1 / (eta + q * se), rtol=1e-10)
    np.testing.assert_allclose(_arr(_trace(fig, "ci upper").y), 1 / (eta - q * se), rtol=1e-10)


def test_effects_factor_points_with_offset_at_mean():
    ins = gs.datasets.load("insurance")
    res = gs.glm("Claims ~ District + Group + Age + offset(np.log(Holders))", ins, family="poisson").fit()
    fig = res.plot_effects("Age", ins)
    tr = _trace(fig, "fitted mean")
    levels = list(ins.Age.cat.categories)  # R's order: <25, 25-29, 30-35, >35
    assert list(tr.x) == levels
    b, V, names = res.params, res.cov_params(), list(res.params.index)
    for k, level in enumerate(levels):
        x = pd.Series(0.0, index=names)
        x["Intercept"] = 1.0
        if f"Age[T.{level}]" in x:
            x[f"Age[T.{level}]"] = 1.0  # District "1", Group "<1l": the reference levels
        eta = x @ b + np.log(ins.Holders.mean())
        se = np.sqrt(x @ V @ x)
        z = stats.norm.ppf(0.975)
        np.testing.assert_allclose(tr.y[k], np.exp(eta), rtol=1e-10)
        np.testing.assert_allclose(tr.y[k] + tr.error_y.array[k], np.exp(eta + z * se), rtol=1e-10)
        np.testing.assert_allclose(tr.y[k] - tr.error_y.arrayminus[k], np.exp(eta - z * se), rtol=1e-10)


def test_effects_unknown_term():
    dobson = gs.datasets.load("dobson")
    res = gs.glm("counts ~ outcome + treatment", dobson, family="poisson").fit()
    with pytest.raises(ValueError, match="not a variable"):
        res.plot_effects("dose")
    assert list(_trace(res.plot_effects("outcome"), "fitted mean").x) == ["1", "2", "3"]


def test_coefficients_intervals():
    warpbreaks = gs.datasets.load("warpbreaks")
    res = gs.glm("breaks ~ wool + tension", warpbreaks, family="poisson").fit()
    tr = _trace(res.plot_coefficients(alpha=0.1), "estimate")
    b, se = res.params.to_numpy(), res.bse.to_numpy()
    z = stats.norm.ppf(0.95)
    assert list(tr.y) == list(res.params.index)
    np.testing.assert_allclose(_arr(tr.x), b)
    np.testing.assert_allclose(_arr(tr.error_x.array), z * se, rtol=1e-10)
    np.testing.assert_allclose(_arr(tr.error_x.arrayminus), z * se, rtol=1e-10)
    assert "Intercept" not in list(_trace(res.plot_coefficients(drop_intercept=True), "estimate").y)


# --- links and distributions against their closed forms ---------------------------------------
def test_plot_links_closed_forms():
    fig = gs.plot_links()
    eta = _arr(_trace(fig, "logit").x)
    with np.errstate(all="ignore"):
        expected = {
            "logit": 1 / (1 + np.exp(-eta)), "probit": stats.norm.cdf(eta), "cloglog": 1 - np.exp(-np.exp(eta)),
            "loglog": np.exp(-np.exp(-eta)), "cauchit": 0.5 + np.arctan(eta) / np.pi, "identity": eta,
            "log": np.exp(eta), "sqrt": np.where(eta > 0, eta ** 2, np.nan),
            "inverse": np.where(eta != 0, 1 / eta, np.nan), "1/mu^2": np.where(eta > 0, eta ** -0.5, np.nan)}
    assert [t.name for t in fig.data] == list(expected)
    for name, mu in expected.items():
        # atol: the links keep mu within [eps, 1 - eps] of a probability, as R's binomial links do
        np.testing.assert_allclose(_arr(_trace(fig, name).y), mu, rtol=1e-12, atol=3e-16, err_msg=name)
    one = gs.plot_links(["logit", gs.links.Probit()], eta=[-1.0, 0.0, 1.0])
    np.testing.assert_allclose(_arr(_trace(one, "probit").y), stats.norm.cdf([-1, 0, 1]))


def test_plot_pdf_closed_forms():
    fig = gs.families.Poisson().plot_pdf([1, 4])
    tr = _trace(fig, "mu=4")
    k = _arr(tr.x)
    np.testing.assert_allclose(_arr(tr.y), np.exp(-4.0 + k * np.log(4.0) - special.gammaln(k + 1)), rtol=1e-12)
    fig = gs.families.Gamma().plot_pdf(2.0, scale=[0.5, 1.0])
    tr = _trace(fig, "mu=2, phi=0.5")
    y, shape = _arr(tr.x), 2.0  # shape 1/phi, scale mu phi
    dens = y ** (shape - 1) * np.exp(-y / (2.0 * 0.5)) / (special.gamma(shape) * (2.0 * 0.5) ** shape)
    np.testing.assert_allclose(_arr(tr.y), dens, rtol=1e-12)
    fig = gs.families.Binomial().plot_pdf(0.3, var_weights=5)
    tr = _trace(fig, "mu=0.3")
    np.testing.assert_allclose(_arr(tr.x), np.arange(6) / 5)
    np.testing.assert_allclose(_arr(tr.y), [special.comb(5, j) * 0.3 ** j * 0.7 ** (5 - j) for j in range(6)])
    with pytest.raises(NotImplementedError, match="distribution"):
        gs.families.QuasiPoisson().plot_pdf(1.0)


# --- plotly stays optional -------------------------------------------------------------------
def test_import_does_not_load_plotly():
    code = "import sys, glmstats; assert 'plotly' not in sys.modules, 'plotly imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_plotly_names_the_extra(monkeypatch):
    for mod in [m for m in sys.modules if m == "plotly" or m.startswith("plotly.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "plotly", None)  # import plotly now raises ImportError
    with pytest.raises(ImportError, match=r'pip install "glmstats\[plot\]"'):
        gs.plot_links()
    with pytest.raises(ImportError, match="glmstats"):
        _fit(CASES["dobson_poisson"]).plot_coefficients()


# --- a figure drawn by a browser -------------------------------------------------------------
def _read_png(data):
    """RGB(A) pixels of an 8-bit PNG (colour types 2 and 6), with zlib and struct only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = header
    assert depth == 8 and ctype in (2, 6) and interlace == 0, header
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = np.zeros((height, stride), dtype=np.int64)
    prev = np.zeros(stride, dtype=np.int64)
    for r in range(height):
        f = raw[r * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=r * (stride + 1) + 1).astype(np.int64)
        cur = np.zeros(stride, dtype=np.int64)
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 0:
                pred = 0
            elif f == 1:
                pred = a
            elif f == 2:
                pred = b
            elif f == 3:
                pred = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[i] = (line[i] + pred) & 0xFF
        out[r], prev = cur, cur
    return out.reshape(height, width, bpp)[:, :, :3]


def test_figure_renders_in_headless_chromium(tmp_path):
    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        pytest.skip("no Chromium binary found: install the Debian package `chromium` to run this test")
    budworm = gs.datasets.load("budworm")
    res = gs.glm("cbind(numdead, n - numdead) ~ ldose + sex", budworm, family="binomial").fit()
    fig = res.plot_effects("ldose")
    fig.update_layout(width=860, height=640)
    html = tmp_path / "fig.html"
    fig.write_html(html, include_plotlyjs=True, full_html=True)  # plotly.js inline: no network
    png = tmp_path / "fig.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={png}",
                    "--window-size=900,700", "--virtual-time-budget=5000", "--hide-scrollbars",
                    html.as_uri()], check=True, capture_output=True, timeout=120)
    px = _read_png(png.read_bytes())
    non_white = np.any(px < 245, axis=2)
    colours = {tuple(v) for v in px[::4, ::4].reshape(-1, 3)}
    # a blank page is all white; the plot has axes, text, a band and a line in several colours
    assert non_white.mean() > 0.01, non_white.mean()
    assert len(colours) > 20, len(colours)
    # the band's fill (rgba(31,119,180,0.2) over white is about (210, 228, 240)) is on screen
    band = (np.abs(px - np.array([210, 228, 240])) <= 6).all(axis=2)
    assert band.sum() > 2000, band.sum()


def test_tweedie_pdf_has_the_zero_mass_and_the_density():
    # closed form of the atom: P(y = 0) = exp(-mu^(2-p) / (phi (2-p))); the density is dtweedie's
    # (tweedie_logpdf, checked against R's tweedie package in tests/families/test_tweedie.py)
    from glmstats.families.tweedie_density import tweedie_logpdf

    fig = gs.families.Tweedie(1.6).plot_pdf(mu=[1.0, 4.0], scale=2.0)
    for m in (1.0, 4.0):
        atom = _trace(fig, f"P(y=0), mu={m:g}, phi=2")
        assert list(atom.x) == [0.0]
        np.testing.assert_allclose(atom.y[0], np.exp(-m ** 0.4 / (2.0 * 0.4)), rtol=1e-12)
        dens = _trace(fig, f"mu={m:g}, phi=2")
        x = np.asarray(dens.x)
        assert np.all(x > 0)
        np.testing.assert_allclose(dens.y, np.exp(tweedie_logpdf(x, m, 2.0, 1.6)), rtol=1e-12)
