"""fit(verbose=True) and res.fit_history: IRLS's iterations as R's glm.control(trace = TRUE) shows them.

Reference traces: tests/reference_extra/trace/<case>.csv, written by generate_trace.R beside them (R 4.2.2,
MASS 7.3-58.2): per iteration, the deviance at the accepted step (R's "Step halved: new deviance" when it halved
the step) and whether R halved it; for glm.nb, theta after each alternation as MASS's trace prints it.
"""

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import glmstats as gs
from glmstats.engine import trace as trace_module

TRACE_DIR = Path(__file__).resolve().parents[1] / "reference_extra" / "trace"

# the identity-link Poisson case of generate_trace.R: started at (5, 0.01), R halves the steps of iterations 1-6
X_ID = np.arange(1.0, 21.0)
Y_ID = np.array([0, 1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10], dtype=float)


def dobson_fit(**kwargs):
    return gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson").fit(**kwargs)


def halving_fit(**kwargs):
    X = pd.DataFrame({"Intercept": 1.0, "x": X_ID})
    return gs.GLM(Y_ID, X, family="poisson", link="identity").fit(start_params=[5.0, 0.01], **kwargs)


CASES = {"dobson_poisson": dobson_fit, "identity_poisson_halving": halving_fit}


@pytest.fixture(params=sorted(CASES))
def case(request):
    return CASES[request.param](), pd.read_csv(TRACE_DIR / f"{request.param}.csv")


def test_history_columns_and_types():
    h = dobson_fit().fit_history
    assert list(h.columns) == ["iteration", "deviance", "relative_change", "step_halvings"]
    assert h["iteration"].tolist() == list(range(1, len(h) + 1))
    assert h["step_halvings"].dtype.kind == "i"


def test_history_matches_r_trace(case):
    res, ref = case
    h = res.fit_history
    # the iteration count is R's `iter`
    assert len(h) == res.n_iter == len(ref)
    # the same iterates as R's glm.fit: deviances to rounding (the solves differ: Cholesky vs LINPACK QR)
    assert_allclose(h["deviance"], ref["deviance"], rtol=1e-10)
    # a step is halved exactly where R halved it
    assert ((h["step_halvings"] > 0).astype(int).tolist()) == ref["halved"].tolist()


def test_deviances_non_increasing_where_r_is(case):
    res, ref = case
    dev, r_dev = res.fit_history["deviance"].to_numpy(), ref["deviance"].to_numpy()
    r_down = np.diff(r_dev) <= 0
    assert r_down.all()  # both reference traces fall at every iteration once the step is accepted
    assert np.all(np.diff(dev)[r_down] <= 1e-12 * np.abs(dev[1:][r_down]))


def test_last_deviance_and_relative_changes(case):
    res, _ = case
    h = res.fit_history
    assert h["deviance"].iloc[-1] == res.deviance
    dev = h["deviance"].to_numpy()
    # rows 2..: the convergence criterion applied to the deviance column
    assert_allclose(h["relative_change"].to_numpy()[1:], np.abs(np.diff(dev)) / (np.abs(dev[1:]) + 0.1), rtol=1e-12)
    assert h["relative_change"].iloc[-1] < res.tol <= h["relative_change"].iloc[-2]


def test_first_relative_change_is_against_the_starting_deviance():
    # mu starts at y + 0.1 for the Poisson (R's mustart): the starting deviance is sum of the unit deviances there
    d = gs.datasets.load("dobson")
    res = dobson_fit()
    fam = gs.families.Poisson()
    y = d["counts"].to_numpy(float)
    dev0 = fam.deviance(y, y + 0.1, np.ones_like(y))
    dev1 = res.fit_history["deviance"].iloc[0]
    assert_allclose(res.fit_history["relative_change"].iloc[0], abs(dev1 - dev0) / (abs(dev1) + 0.1), rtol=1e-12)


def test_step_halving_shows():
    h = halving_fit().fit_history
    assert h["step_halvings"].iloc[:6].tolist() == [1] * 6
    assert (h["step_halvings"].iloc[6:] == 0).all()
    assert halving_fit().fit_state.n_halvings == 6


def test_verbose_prints_one_line_per_iteration(capsys):
    res = halving_fit(verbose=True)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == res.n_iter
    for line, row in zip(out, res.fit_history.itertuples()):
        assert line.startswith(f"IRLS iteration {row.iteration}: deviance = {row.deviance:.10g}")
        assert line.endswith(f"step-halvings = {row.step_halvings}")
    assert "step-halvings = 1" in out[0]


def test_quiet_by_default_and_logger_restored(capsys):
    logger = logging.getLogger("glmstats.fit")
    level, handlers = logger.level, list(logger.handlers)
    dobson_fit()
    assert capsys.readouterr().out == ""
    dobson_fit(verbose=True)
    assert capsys.readouterr().out != ""
    assert logger.level == level and logger.handlers == handlers
    dobson_fit()
    assert capsys.readouterr().out == ""


def test_records_are_debug_on_glmstats_fit(caplog):
    with caplog.at_level(logging.DEBUG, logger="glmstats.fit"):
        res = dobson_fit()
    records = [r for r in caplog.records if r.name == "glmstats.fit"]
    assert len(records) == res.n_iter
    assert all(r.levelno == logging.DEBUG for r in records)


def test_long_fits_log_progress_at_info(caplog, monkeypatch):
    # every fit counts as long when the threshold is 0: a progress line per iteration and one at the end
    monkeypatch.setattr(trace_module, "PROGRESS_SECONDS", 0.0)
    with caplog.at_level(logging.INFO, logger="glmstats.fit"):
        res = dobson_fit()
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(info) == res.n_iter + 1
    assert info[0].startswith("IRLS: iteration 1 after ")
    assert info[-1].startswith(f"IRLS converged after {res.n_iter} iterations in ")


def test_history_survives_pickle():
    import pickle

    res = dobson_fit()
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(res)).fit_history, res.fit_history)



# --- the other loops: glm_nb (MASS's alternation), the penalized fit, the multinomial Newton fit ------------
def warpbreaks_nb(**kwargs):
    return gs.glm_nb("breaks ~ wool + tension", data=gs.datasets.load("warpbreaks")).fit(**kwargs)


def test_negbin_histories():
    res = warpbreaks_nb(polish=False)
    # fit_history: the last IRLS fit of MASS's alternation, whose iterations are R's `iter`
    assert len(res.fit_history) == res.n_iter
    assert res.fit_history["deviance"].iloc[-1] == res.deviance
    th = res.theta_history
    assert list(th.columns) == ["alternation", "theta", "twologlik", "irls_iterations"]
    assert th["alternation"].tolist() == list(range(res.n_iter_outer + 1))
    assert th["theta"].iloc[-1] == res.theta
    assert_allclose(th["twologlik"].iloc[-1], res.twologlik, rtol=1e-12)
    assert th["irls_iterations"].iloc[-1] == res.n_iter


def test_negbin_theta_history_matches_mass_trace():
    # MASS::glm.nb(trace = TRUE) prints signif(theta) (6 significant digits) after each alternation
    ref = pd.read_csv(TRACE_DIR / "negbin_warpbreaks_theta.csv")
    th = warpbreaks_nb(polish=False).theta_history
    assert th["alternation"].iloc[1:].tolist() == ref["alternation"].tolist()
    assert [float(f"{t:.6g}") for t in th["theta"].iloc[1:]] == ref["theta"].tolist()


def test_negbin_verbose(capsys):
    res = warpbreaks_nb(verbose=True)
    out = capsys.readouterr().out.splitlines()
    th = res.theta_history
    irls_lines = [line for line in out if line.startswith("IRLS iteration ")]
    theta_lines = [line for line in out if line.startswith("Theta iteration ")]
    polish_lines = [line for line in out if line.startswith("Theta polish iteration ")]
    assert len(irls_lines) == th["irls_iterations"].sum()  # every IRLS fit of the alternation, none of the polish
    assert len(theta_lines) == len(th)
    assert polish_lines and len(irls_lines) + len(theta_lines) + len(polish_lines) == len(out)
    assert warpbreaks_nb(verbose=False).theta == res.theta
    assert capsys.readouterr().out == ""


def test_penalized_history_and_verbose(capsys):
    model = gs.glm("counts ~ outcome + treatment", data=gs.datasets.load("dobson"), family="poisson")
    res = model.fit_regularized(0.1, l1_ratio=0.5, verbose=True)
    out = capsys.readouterr().out.splitlines()
    h = res.fit_history
    assert list(h.columns) == ["iteration", "objective", "deviance", "max_change", "step_halvings"]
    assert len(h) == len(out) == res.n_iter
    assert h["objective"].iloc[-1] == res.objective and h["deviance"].iloc[-1] == res.deviance
    assert np.all(np.diff(h["objective"]) <= 1e-15)  # the line search only accepts descent
    assert h["max_change"].iloc[-1] < res.tol
    assert all(line.startswith(f"Penalized iteration {k}: objective = ") for k, line in enumerate(out, 1))


def test_multinomial_history_and_verbose(capsys):
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"x": rng.normal(size=80)})
    d["y"] = np.where(d["x"] + rng.normal(size=80) > 0.5, "a", np.where(rng.random(80) < 0.5, "b", "c"))
    res = gs.multinom("y ~ x", d).fit(verbose=True)
    out = capsys.readouterr().out.splitlines()
    h = res.fit_history
    assert len(h) == len(out) == res.n_iter
    assert_allclose(h["deviance"].iloc[-1], res.deviance, rtol=1e-15)
    dev = h["deviance"].to_numpy()
    assert_allclose(h["relative_change"].to_numpy()[1:], np.abs(np.diff(dev)) / (np.abs(dev[1:]) + 0.1), rtol=1e-12)
    assert all(line.startswith(f"Newton iteration {k}: deviance = ") for k, line in enumerate(out, 1))
