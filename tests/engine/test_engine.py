"""The IRLS engine's fast routes give the generic route's numbers.

- glmstats.engine.kernels: each in-place kernel (Poisson log, binomial logit, Gamma log) against R's
  generic formulas (GenericKernel), on blocks that include the regions where R clamps;
- glmstats.engine.irls: a pass split into partitions evaluated in threads gives the single-partition
  numbers, and the same bits whatever the number of threads; the light final pass (deviance only,
  when convergence is predicted) changes no number, whether the prediction holds or not;
- absent weights and offsets (broadcast constants) against explicit arrays of ones and zeros.

The generic formulas themselves are checked against R in tests/test_reference_glm.py.
"""

import numpy as np
import pytest

import glmstats as gs
import glmstats.engine.irls as irls_mod
from glmstats import families as F
from glmstats.engine import kernels as W
from glmstats.engine import blocks
from glmstats.engine import passes
from glmstats.engine.data import GLMData
import _glmref as H

FAST_PAIRS = [
    ("poisson", F.Poisson(), W.PoissonLogKernel),
    ("quasipoisson", F.QuasiPoisson(), W.PoissonLogKernel),
    ("gamma-log", F.Gamma(link="log"), W.GammaLogKernel),
    ("binomial", F.Binomial(), W.BinomialLogitKernel),
    ("quasibinomial", F.QuasiBinomial(), W.BinomialLogitKernel),
]


def _block(family, n, rng, clamped, binary=True):
    if clamped:  # some eta beyond R's clamps: the fast kernel must hand the block to the generic one
        eta = rng.normal(0, 1, n)
        eta[::7] = rng.choice([-45.0, -31.0, 31.0, 40.0], size=eta[::7].shape)
        if not family.proportion_response:
            eta = np.minimum(eta, 5.0)
    else:
        eta = rng.normal(0, 1.5, n)
    if family.proportion_response:  # the binomial families
        y = rng.integers(0, 2, n).astype(float) if binary else rng.integers(0, 6, n) / 5.0
    elif family.variance_power == 1.0:  # the Poisson families
        y = rng.poisson(np.exp(np.clip(eta, -20, 5))).astype(float)
    else:
        y = rng.gamma(2.0, np.exp(np.clip(eta, -20, 5)) / 2.0) + 1e-300
    return y, eta


# proportions (non-binary y) only for the binomial families
RESPONSES = [(name, family, kind, binary) for name, family, kind in FAST_PAIRS
             for binary in ((True, False) if family.proportion_response else (True,))]


@pytest.mark.parametrize("name,family,kind,binary", RESPONSES,
                         ids=[f"{r[0]}-{'binary' if r[3] else 'proportions'}" for r in RESPONSES])
@pytest.mark.parametrize("clamped", [False, True], ids=["inside", "clamped"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_fast_kernels_match_the_generic_formulas(name, family, kind, clamped, weighted, binary):
    rng = np.random.default_rng(abs(hash((name, clamped, weighted, binary))) % 2**32)
    n = 500
    y, eta = _block(family, n, rng, clamped, binary)
    prior = rng.uniform(0.5, 3.0, n) if weighted else None
    offset = rng.normal(0, 0.3, n)
    data = GLMData(X=np.ones((n, 1)), y=y, weights=np.ones(n) if prior is None else prior, offset=offset)
    kernel = W.kernel_for(family, data)
    assert type(kernel) is kind
    fast = kernel(y, prior, offset, eta.copy())
    generic = W.GenericKernel(family, True)(y, prior, offset, eta.copy())
    assert fast.valid == generic.valid
    np.testing.assert_allclose(fast.deviance, generic.deviance, rtol=1e-12)
    np.testing.assert_allclose(fast.w, generic.w, rtol=1e-12, atol=0)
    np.testing.assert_allclose(fast.z, generic.z, rtol=1e-12, atol=1e-12)
    no_offset = kernel(y, prior, None, eta.copy())
    np.testing.assert_allclose(no_offset.z, generic.z + offset, rtol=1e-12, atol=1e-12)


def test_zero_weights_and_other_links_take_the_generic_kernel():
    y = np.array([0.0, 1.0, 1.0])
    with_zero = GLMData(X=np.ones((3, 1)), y=y, weights=np.array([1.0, 0.0, 2.0]), offset=np.zeros(3))
    assert type(W.kernel_for(F.Binomial(), with_zero)) is W.GenericKernel
    positive = GLMData(X=np.ones((3, 1)), y=y, weights=np.ones(3), offset=np.zeros(3))
    assert type(W.kernel_for(F.Binomial(link="probit"), positive)) is W.GenericKernel
    assert type(W.kernel_for(F.Gamma(), positive)) is W.GenericKernel  # inverse link


def _fit_case(case, monkeypatch, partition_elements, threads):
    monkeypatch.setattr(blocks, "PARTITION_ELEMENTS", partition_elements)
    monkeypatch.setenv("GLMSTATS_NUM_THREADS", str(threads))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return H.array_model(case).fit(**H.TIGHT)


@pytest.mark.parametrize("case", H.GLM_CASES)
def test_partitioned_passes_match_one_pass(case, monkeypatch):
    one = _fit_case(case, monkeypatch, 1 << 30, 1)
    split = _fit_case(case, monkeypatch, 2, 2)      # up to 8 partitions even on small data
    split1 = _fit_case(case, monkeypatch, 2, 1)     # the same partitions in one thread
    np.testing.assert_allclose(split.params, one.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(split.bse, one.bse, rtol=1e-9)
    np.testing.assert_allclose(split.deviance, one.deviance, rtol=1e-12)
    np.testing.assert_allclose(split.fittedvalues, one.fittedvalues, rtol=1e-9)
    # the partitions are fixed by n alone and summed in order: bit-identical whatever the thread count
    np.testing.assert_array_equal(split.params, split1.params)
    np.testing.assert_array_equal(split.bse, split1.bse)
    assert split.deviance == split1.deviance


def test_partitions_cover_the_rows_in_powers_of_two():
    for n in (1, 1000, 2 * blocks.PARTITION_ELEMENTS // 11, 10**6, 10**7):
        parts = blocks.partitions(n, 11)
        assert parts[0][0] == 0 and parts[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
        assert len(parts) & (len(parts) - 1) == 0 and len(parts) <= blocks.MAX_PARTITIONS


def test_absent_weights_and_offset_equal_explicit_ones_and_zeros():
    rng = np.random.default_rng(3)
    n = 300
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    y = rng.poisson(np.exp(0.3 + X[:, 1] * 0.5)).astype(float)
    plain = gs.GLM(y, X, family="poisson").fit()
    explicit = gs.GLM(y, X, family="poisson", var_weights=np.ones(n), freq_weights=np.ones(n),
                      offset=np.zeros(n)).fit()
    np.testing.assert_allclose(plain.params, explicit.params, rtol=1e-12)
    np.testing.assert_allclose(plain.bse, explicit.bse, rtol=1e-12)
    np.testing.assert_allclose(plain.llf, explicit.llf, rtol=1e-12)
    assert plain.model.data.weights.strides == (0,)  # no n-vector of ones held
    assert plain.nobs == n and plain.df_resid == n - 3


def _gamma_log_data(n=4000, seed=5):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 3))])
    mu = np.exp(0.5 + X[:, 1:] @ np.array([0.3, -0.2, 0.1]))
    return X, rng.gamma(2.0, mu / 2.0)


def test_gamma_log_reuses_its_constant_cross_product(monkeypatch):
    """Gamma with log link has w = prior weights: X'WX is computed once; the same fit as the generic route."""
    X, y = _gamma_log_data()
    fast = gs.GLM(y, X, family=gs.families.Gamma(link="log")).fit(tol=1e-12)
    monkeypatch.setattr(passes, "kernel_for", lambda family, data, newton=False: W.GenericKernel(family, data.all_positive))
    generic = gs.GLM(y, X, family=gs.families.Gamma(link="log")).fit(tol=1e-12)
    np.testing.assert_allclose(fast.params, generic.params, rtol=1e-10)
    np.testing.assert_allclose(fast.bse, generic.bse, rtol=1e-10)
    np.testing.assert_allclose(fast.deviance, generic.deviance, rtol=1e-12)
    assert fast.n_iter == generic.n_iter


def test_fixed_cross_product_pass_is_redone_in_full_where_a_clamp_acts():
    X, y = _gamma_log_data(n=500)
    n = len(y)
    data = GLMData(X=X, y=y, weights=np.broadcast_to(1.0, (n,)), offset=np.broadcast_to(0.0, (n,)))
    family = gs.families.Gamma(link="log")
    beta = np.array([0.5, 0.3, -0.2, 0.1])
    plain = passes.evaluate(data, family, beta=beta)
    assert plain.w_is_prior
    reused = passes.evaluate(data, family, beta=beta, fixed_gram=plain.acc.xtwx.copy())
    np.testing.assert_allclose(reused.acc.xtwz, plain.acc.xtwz, rtol=1e-12)
    far = np.array([-40.0, 0.0, 0.0, 0.0])  # exp(eta) below machine epsilon: R's clamp, w != prior
    full = passes.evaluate(data, family, beta=far)
    assert not full.w_is_prior
    redone = passes.evaluate(data, family, beta=far, fixed_gram=plain.acc.xtwx.copy())
    np.testing.assert_allclose(redone.acc.xtwx, full.acc.xtwx, rtol=1e-12)
    np.testing.assert_allclose(redone.acc.xtwz, full.acc.xtwz, rtol=1e-12)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_bad_thread_count_is_named(value, monkeypatch):
    monkeypatch.setenv("GLMSTATS_NUM_THREADS", value)
    with pytest.raises(ValueError, match="GLMSTATS_NUM_THREADS"):
        blocks.n_threads()


@pytest.mark.parametrize("partition_elements", [1 << 20, 5000])
def test_exog_scan_finds_bad_rows_and_constant_columns(partition_elements, monkeypatch):
    from glmstats.models.inputs import scan_exog as _scan_exog

    monkeypatch.setattr(blocks, "PARTITION_ELEMENTS", partition_elements)  # one partition, or 8 (in threads)
    n = 70_000  # several row blocks
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.normal(size=n), np.ones(n), np.zeros(n), np.full(n, 2.5), np.ones(n)])
    X[60_000:, 4] = 3.0  # constant in the first blocks only
    bad, constant = _scan_exog(X)
    assert bad.size == 0
    np.testing.assert_array_equal(constant, [False, True, False, True, False])
    X[[5, 65_000], 0] = [np.nan, np.inf]
    bad, _ = _scan_exog(X)
    np.testing.assert_array_equal(bad, [5, 65_000])
    # the array interface finds the intercept wherever it stands, and not a constant zero column
    y = rng.poisson(1.0, n).astype(float)
    Z = np.column_stack([rng.normal(size=n), np.zeros(n), np.full(n, 2.0)])
    assert gs.GLM(y, Z, family="poisson").has_intercept
    assert not gs.GLM(y, Z[:, :2], family="poisson").has_intercept


def test_convergence_prediction_extrapolates_the_deviance_changes():
    will = irls_mod._will_converge
    assert not will([], 1e-8) and not will([1e-3], 1e-8)     # two changes are needed
    assert will([1e-3, 1e-6], 1e-8)                          # quadratic: next ~1e-12 (extrapolated 1e-9)
    assert not will([1e-5, 1e-6], 1e-8)                      # linear rate 0.1: next ~1e-7
    assert will([1e-7, 1e-8 * 1.5], 1e-8)                    # linear: next ~2e-9
    assert not will([0.0, 1e-9], 1e-8)                       # no rate to extrapolate from


@pytest.mark.parametrize("case", ["clotting_inverse_gaussian", "birthwt_binomial_probit", "insurance_poisson_offset",
                                  "cabbages_gamma_log_weights", "tweedie_synthetic"])
@pytest.mark.parametrize("tol", [1e-8, 1e-12])
def test_light_final_pass_changes_no_number(case, tol, monkeypatch):
    """Predicting convergence always (every evaluation first a light pass, most of them wrong guesses) or
    never (only full passes) gives the same iterations and the same numbers, bit for bit."""
    import warnings

    def fit(predict):
        monkeypatch.setattr(irls_mod, "_will_converge", lambda changes, tol: predict)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return H.array_model(case).fit(tol=tol)

    never, always = fit(False), fit(True)
    assert never.n_iter == always.n_iter
    for attr in ("params", "bse", "fittedvalues"):
        np.testing.assert_array_equal(getattr(always, attr), getattr(never, attr))
    assert always.deviance == never.deviance and always.scale == never.scale


def test_a_light_pass_is_made_when_convergence_is_predicted(monkeypatch):
    X, y = _gamma_log_data(n=3000)
    light = []
    evaluate = irls_mod.evaluate

    def counting(*args, **kwargs):
        light.append(kwargs.get("deviance_only", False))
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(irls_mod, "evaluate", counting)
    res = gs.GLM(np.round(y), X, family="poisson").fit()
    assert light[-1] and sum(light) == 1  # the last evaluation, and only it
    assert len(light) == res.n_iter + 1   # the starting pass, then one per iteration


@pytest.mark.parametrize("p", [1, 3, 12])
def test_general_product_route_gives_the_symmetric_products_numbers(p):
    """CrossProducts(transposed=True), (X_b' W) X_b for narrow designs, equals the symmetric route B'B."""
    from glmstats.engine.gram import CrossProducts
    from glmstats.engine.matrix import DenseMatrix

    rng = np.random.default_rng(p)
    X, w, z = rng.normal(size=(5000, p)), rng.uniform(0.1, 3.0, 5000), rng.normal(size=5000)
    sym, gen = CrossProducts(p), CrossProducts(p, transposed=True)
    for sl in (slice(0, 1700), slice(1700, 5000)):
        sym.add(DenseMatrix(X[sl]), w[sl], z[sl])
        gen.add(DenseMatrix(X[sl]), w[sl], z[sl])
    np.testing.assert_allclose(gen.xtwx, sym.xtwx, rtol=1e-12)
    np.testing.assert_allclose(gen.xtwz, sym.xtwz, rtol=1e-12)
    np.testing.assert_allclose(gen.xtwx, (X * w[:, None]).T @ X, rtol=1e-12)
    np.testing.assert_array_equal(gen.xtwx, gen.xtwx.T)
