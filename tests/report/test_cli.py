"""The ``glmstats`` command line, run as ``python -m glmstats`` in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import glmstats
from glmstats import cli, datasets

# Make the subprocess import the same glmstats as this test process (source tree or
# installed copy), whatever its working directory.
_PKG_PARENT = str(Path(list(glmstats.__path__)[0]).resolve().parent)


def run(*args, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PKG_PARENT, env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "glmstats", *args], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)


def assert_clean_error(proc):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("glmstats: error:")]
    assert len(errors) == 1, proc.stderr
    assert proc.stdout == ""


# ----------------------------------------------------------------------------- datasets


def test_datasets_lists_all(tmp_path):
    proc = run("datasets", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in datasets.list_datasets():
        assert f"{name}:" in proc.stdout
        assert datasets.describe(name)["formula"] in proc.stdout


def test_datasets_describe_one(tmp_path):
    proc = run("datasets", "dobson", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Dobson" in proc.stdout
    assert 'glmstats fit "counts ~ outcome + treatment" --data dobson --family poisson' in proc.stdout


def test_datasets_unknown_name(tmp_path):
    proc = run("datasets", "nope", cwd=tmp_path)
    assert_clean_error(proc)
    assert "dobson" in proc.stderr


def test_main_in_process(capsys):
    assert cli.main(["datasets"]) == 0
    assert "warpbreaks" in capsys.readouterr().out
    assert cli.main([]) == 2  # a command is required (argparse usage error)


# ----------------------------------------------------------------------------- fit


def test_fit_dobson(tmp_path):
    # R: glm(counts ~ outcome + treatment, family = poisson()) (?glm); outcome2 = -0.4543, printed by
    # printCoefmat(digits = 6) as -4.54255e-01: the treatment estimates (~1e-15) make the column scientific
    # (tests/reference_extra/format/format.json, case glm_d93)
    proc = run("fit", "counts ~ outcome + treatment", "--data", "dobson",
               "--family", "poisson", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "outcome[T.2]" in proc.stdout
    assert "-4.54255e-01" in proc.stdout
    assert "poisson" in proc.stdout


def test_fit_matches_library_summary(tmp_path):
    proc = run("fit", "counts ~ outcome + treatment", "--data", "dobson",
               "--family", "poisson", cwd=tmp_path)
    res = glmstats.glm("counts ~ outcome + treatment", data=datasets.load("dobson"),
                       family="poisson").fit()
    assert proc.stdout.rstrip("\n") == str(res.summary()).rstrip("\n")


def test_fit_csv_path_with_weights(tmp_path):
    # The budworm CSV through a file path; --weights is R's prior weights (var_weights).
    datasets.load("budworm").to_csv(tmp_path / "budworm.csv", index=False)
    proc = run("fit", "prop ~ sex * ldose", "--data", "budworm.csv", "--family", "binomial",
               "--weights", "n", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "sex[T.M]:ldose" in proc.stdout


def test_fit_offset_column(tmp_path):
    # --offset COL is offset=COL: the CLI prints the library's summary of that fit.
    df = datasets.load("insurance")
    df["logH"] = np.log(df["Holders"])
    path = tmp_path / "ins.csv"
    df.to_csv(path, index=False)
    proc = run("fit", "Claims ~ C(District) + Group + Age", "--data", "ins.csv",
               "--family", "poisson", "--offset", "logH", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    res = glmstats.glm("Claims ~ C(District) + Group + Age", data=cli.read_data(str(path)),
                       family="poisson", offset="logH").fit()
    assert proc.stdout.rstrip("\n") == str(res.summary()).rstrip("\n")
    # the same model as R's offset(log(Holders)) term (on the frame the CLI read: the CSV
    # keeps no level order, so its factors have sorted levels, unlike datasets.load's)
    ref = glmstats.glm("Claims ~ C(District) + Group + Age + offset(np.log(Holders))",
                       data=cli.read_data(str(path)), family="poisson").fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)


def test_fit_link_option(tmp_path):
    proc = run("fit", "prop ~ sex + ldose", "--data", "budworm", "--family", "binomial",
               "--link", "probit", "--weights", "n", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "probit" in proc.stdout


@pytest.mark.parametrize("fmt, marker", [("html", "<table"), ("latex", "tabular"),
                                         ("markdown", "|")])
def test_fit_formats(tmp_path, fmt, marker):
    proc = run("fit", "counts ~ outcome + treatment", "--data", "dobson",
               "--family", "poisson", "--format", fmt, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout


def test_fit_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    datasets.load("dobson").to_parquet(tmp_path / "dobson.parquet")
    proc = run("fit", "counts ~ outcome + treatment", "--data", "dobson.parquet",
               "--family", "poisson", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "outcome[T.2]" in proc.stdout


def test_parquet_without_pyarrow_says_how_to_install(tmp_path, monkeypatch):
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1")
    real_find_spec = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real_find_spec(name, *a))
    with pytest.raises(cli.CLIError, match="pip install pyarrow"):
        cli.read_data(str(path))


# ----------------------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    proc = run("fit", "y ~ x", "--data", "no_such_file.csv", cwd=tmp_path)
    assert_clean_error(proc)
    assert "no_such_file.csv" in proc.stderr


def test_bad_family(tmp_path):
    proc = run("fit", "counts ~ outcome + treatment", "--data", "dobson",
               "--family", "nosuchfamily", cwd=tmp_path)
    assert_clean_error(proc)


def test_bad_formula(tmp_path):
    proc = run("fit", "counts ~ outcome +", "--data", "dobson", "--family", "poisson",
               cwd=tmp_path)
    assert_clean_error(proc)


def test_unknown_column_in_formula(tmp_path):
    proc = run("fit", "counts ~ nosuchcolumn", "--data", "dobson", "--family", "poisson",
               cwd=tmp_path)
    assert_clean_error(proc)


def test_unknown_weights_column(tmp_path):
    proc = run("fit", "counts ~ outcome", "--data", "dobson", "--family", "poisson",
               "--weights", "w", cwd=tmp_path)
    assert_clean_error(proc)
    assert "--weights w" in proc.stderr


def test_bad_option_value_is_usage_error(tmp_path):
    proc = run("fit", "counts ~ outcome", "--data", "dobson", "--missing", "keep",
               cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
