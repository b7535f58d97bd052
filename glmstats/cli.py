"""The ``glmstats`` command: fit a GLM from a formula and print its summary.

Usage::

    glmstats fit FORMULA --data PATH_OR_DATASET [--family NAME] [--link NAME]
                 [--offset COL] [--weights COL] [--missing drop|raise]
                 [--format text|html|latex|markdown]
    glmstats datasets [NAME]

``--data`` takes a CSV file (any pandas compression suffix, ``.tsv`` for tab-separated), a
Parquet file (``.parquet``/``.pq``, needs pyarrow) or the name of a bundled dataset
(``glmstats datasets`` lists them). ``--weights`` are R's prior weights (``var_weights``);
``--offset`` names a column added to the linear predictor. ``python -m glmstats`` is the same.

User errors (unknown file, bad formula, bad family, ...) print one line
``glmstats: error: ...`` on stderr and exit with status 2; warnings raised while fitting are
printed as ``glmstats: warning: ...`` lines on stderr after the output.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from glmstats import datasets as _datasets

__all__ = ["build_parser", "main", "read_data"]

PROG = "glmstats"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2

_PARQUET_SUFFIXES = {".parquet", ".pq"}
_TSV_SUFFIXES = {".tsv", ".tab"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class CLIError(Exception):
    """A user error: printed as one ``glmstats: error:`` line, exit status 2."""


# --------------------------------------------------------------------------- data


def read_data(spec: str) -> pd.DataFrame:
    """Read ``--data``: a CSV or Parquet file, or the name of a bundled dataset.

    An existing file wins over a dataset of the same name.

    Parameters
    ----------
    spec : str
        Path to a ``.csv`` (also compressed, e.g. ``.csv.gz``), ``.tsv``, ``.parquet`` or
        ``.pq`` file, or a name from :func:`glmstats.datasets.list_datasets`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    CLIError
        If the file does not exist and no bundled dataset has that name, or Parquet is
        requested without pyarrow installed.
    """
    path = Path(spec).expanduser()
    if path.is_file():
        return _read_file(path)
    if path.exists():
        raise CLIError(f"{spec}: not a regular file")
    if spec.strip().lower() in _datasets.list_datasets():
        return _datasets.load(spec)
    if path.suffix or "/" in spec or os.sep in spec:
        raise CLIError(f"no such file: {spec}")
    raise CLIError(
        f"no such file or bundled dataset: {spec!r} "
        f"(bundled datasets: {', '.join(_datasets.list_datasets())})"
    )


def _read_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in _PARQUET_SUFFIXES:
        if importlib.util.find_spec("pyarrow") is None:
            raise CLIError(
                f"{path}: reading Parquet needs pyarrow; install it with "
                "`pip install pyarrow` (or `pip install 'glmstats[parquet]'`)"
            )
        return pd.read_parquet(path, engine="pyarrow")
    # As R's read.csv: "NA" and empty fields are missing; other strings ("None",
    # "null", "n/a", which pandas would also drop) stay values.
    return pd.read_csv(
        path,
        sep="\t" if suffix in _TSV_SUFFIXES else ",",
        keep_default_na=False,
        na_values=["", "NA", "NaN"],
    )


def _check_column(df: pd.DataFrame, col: str | None, option: str) -> None:
    if col is not None and col not in df.columns:
        raise CLIError(
            f"{option} {col}: no such column in the data "
            f"(columns: {', '.join(map(str, df.columns))})"
        )


# --------------------------------------------------------------------------- commands


def _cmd_fit(args: argparse.Namespace) -> int:
    import glmstats

    df = read_data(args.data)
    _check_column(df, args.offset, "--offset")
    _check_column(df, args.weights, "--weights")
    model = glmstats.glm(
        args.formula,
        data=df,
        family=args.family,
        link=args.link,
        offset=args.offset,
        var_weights=args.weights,
        missing=args.missing,
    )
    res = model.fit()
    text = res.summary().render(args.format)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _suggested_command(name: str, info: dict[str, Any]) -> str:
    if info.get("model", "glm") != "glm":  # glm_nb, multinom: no `glmstats fit` for these
        return f'>>> df = gs.datasets.load("{name}"); {info["python_call"]}'
    cmd = f'$ glmstats fit "{info["formula"]}" --data {name} --family {info["family"]}'
    for key in ("link", "weights", "offset"):
        if info.get(key):
            cmd += f" --{key} {info[key]}"
    return cmd


def _cmd_datasets(args: argparse.Namespace) -> int:
    out = []
    if args.name is None:
        for name in _datasets.list_datasets():
            info = _datasets.describe(name)
            out.append(f"{name}: {info['title']}")
            out.extend(textwrap.wrap(info["description"], 88, initial_indent="    ",
                                     subsequent_indent="    "))
            out.append(f"    {_suggested_command(name, info)}")
            out.append("")
        out.append("`glmstats datasets NAME` shows the columns and the source.")
    else:
        name = args.name.strip().lower()
        info = _datasets.describe(name)
        out.append(f"{name}: {info['title']}")
        out.append("")
        out.extend(textwrap.wrap(info["description"], 88))
        out.append("")
        out.append("Columns:")
        width = max(len(c) for c in info["columns"])
        for col, meaning in info["columns"].items():
            kind = " (factor)" if col in info.get("categorical", []) else ""
            if col in info.get("ordered", []):
                kind = " (factor; ordered in R)"
            out.append(f"  {col:<{width}}  {meaning}{kind}")
        out.append("")
        out.append("Suggested model:")
        out.append(f"  {_suggested_command(name, info)}")
        out.append(f"  R: {info['r_call']}")
        if info.get("notes"):
            out.append("")
            out.extend(textwrap.wrap("Note: " + info["notes"], 88))
        out.append("")
        out.extend(textwrap.wrap("Source: " + info["source"], 88))
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("glmstats")
    except Exception:  # not installed (source tree): no distribution metadata
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``glmstats`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Fit generalized linear models with R's glm() numbers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--traceback", action="store_true",
                        help="show the Python traceback on errors (for bug reports)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    fit = sub.add_parser(
        "fit", help="fit a GLM and print its summary",
        description="Fit a GLM (R: glm(formula, family, data)) and print its summary.",
        epilog='example: glmstats fit "counts ~ outcome + treatment" --data dobson '
               "--family poisson",
    )
    fit.add_argument("formula", metavar="FORMULA",
                     help='model formula, e.g. "counts ~ outcome + treatment"')
    fit.add_argument("--data", required=True, metavar="PATH_OR_DATASET",
                     help="CSV or Parquet file (.parquet/.pq), or a bundled dataset name")
    fit.add_argument("--family", default="gaussian", metavar="NAME",
                     help="R family name: gaussian (default, as R), binomial, poisson, "
                          "Gamma, inverse.gaussian, quasipoisson, quasibinomial")
    fit.add_argument("--link", default=None, metavar="NAME",
                     help="link name (logit, probit, cloglog, log, identity, inverse, "
                          "sqrt, ...); default: the family's canonical link")
    fit.add_argument("--offset", default=None, metavar="COL",
                     help="column added to the linear predictor (R: offset =)")
    fit.add_argument("--weights", default=None, metavar="COL",
                     help="column of prior weights (R: weights =; glmstats: var_weights)")
    fit.add_argument("--missing", choices=("drop", "raise"), default="drop",
                     help="incomplete rows: drop them (R's na.omit, default) or raise")
    fit.add_argument("--format", choices=("text", "html", "latex", "markdown"),
                     default="text", help="summary output format (default: text)")
    fit.set_defaults(func=_cmd_fit)

    ds = sub.add_parser(
        "datasets", help="list the bundled datasets, or describe one",
        description="List the bundled datasets, or describe one of them.",
    )
    ds.add_argument("name", nargs="?", metavar="NAME", help="dataset to describe")
    ds.set_defaults(func=_cmd_datasets)
    return parser


# --------------------------------------------------------------------------- main


def _user_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [
        CLIError, ValueError, TypeError, KeyError, OSError, LookupError,
    ]
    try:  # formulaic's errors do not derive from ValueError
        from formulaic.errors import FormulaicError

        errors.append(FormulaicError)
    except ImportError:  # pragma: no cover - formulaic is a dependency
        pass
    try:
        from glmstats import exceptions
    except ImportError:
        return tuple(errors)
    for obj in vars(exceptions).values():
        if (isinstance(obj, type) and issubclass(obj, Exception)
                and not issubclass(obj, Warning)):
            errors.append(obj)
    return tuple(errors)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        msg = f"not found: {exc.args[0]!r}"
    else:
        msg = str(exc)
    msg = " ".join(_ANSI.sub("", msg).split())
    return msg or type(exc).__name__


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    seen = set()
    for w in caught:
        key = (w.category, str(w.message))
        if key not in seen:
            seen.add(key)
            print(f"{PROG}: warning: {w.category.__name__}: {_one_line(w.message)}",
                  file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``glmstats`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 2 on a usage or input error (one ``glmstats: error:``
        line on stderr), 1 on an unexpected internal error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            status = args.func(args)
        except BrokenPipeError:  # e.g. `glmstats datasets | head`: as the Python docs advise
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_INTERNAL
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            if args.traceback:
                raise
            _print_warnings(caught)
            if isinstance(exc, _user_errors()):
                print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
                return EXIT_USAGE
            print(f"{PROG}: error: internal error: {type(exc).__name__}: {_one_line(exc)} "
                  "(rerun with --traceback and report it)", file=sys.stderr)
            return EXIT_INTERNAL
    _print_warnings(caught)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
