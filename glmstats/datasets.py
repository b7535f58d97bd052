"""Classic public datasets bundled with glmstats.

The CSV files and their metadata (``datasets.json``: description, source, suggested
formula and family) live in the top-level ``datasets/`` folder of the source tree, which
is installed as the package-data package ``glmstats._datasets``.

Examples
--------
>>> import glmstats as gs
>>> df = gs.datasets.load("dobson")
>>> res = gs.glm("counts ~ outcome + treatment", data=df, family="poisson").fit()

Notes
-----
Factor columns (``describe(name)["categorical"]``) are returned as pandas Categoricals
whose categories are R's levels in R's order (``datasets.json`` stores them, taken from R by
``datasets/generate_levels.R``), also when the source codes them as numbers (Dobson's
``outcome`` is ``"1"``, ``"2"``, ``"3"``). Formulas use the category order: the first level
is the baseline of treatment contrasts and the term names are short, as R's
(``tension[T.M]`` for warpbreaks, whose levels are L < M < H), with no ``C()`` needed.

R stores a few of these factors as *ordered* (MASS Insurance's ``Group`` and ``Age``,
housing's ``Sat``), and R's ``glm()`` codes ordered factors with polynomial contrasts
(``Group.L``, ``Group.Q``, ``Group.C``). By default :func:`load` returns every factor as
an unordered Categorical in R's level order, so the contrasts are treatment contrasts
and a fit gives R's numbers after ``factor(x, ordered = FALSE)``. For R's polynomial
contrasts write ``C(Group, contr.poly)`` in the formula. ``load(name, ordered=True)``
returns R's ordered factors as ordered Categoricals (for ordinal comparisons such as
``df.Sat > "Low"``); formulas still give them treatment contrasts.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["describe", "list_datasets", "load"]

_PACKAGE = "glmstats._datasets"
# Running from a source checkout (e.g. PYTHONPATH=repo, or pytest from the repo root)
# imports glmstats/ from the tree, where glmstats._datasets does not exist.
_SOURCE_DIR = Path(__file__).resolve().parent.parent / "datasets"
_INDEX = "datasets.json"


def _root():
    """Folder holding the CSV files: installed package data, else the source tree's."""
    try:
        root = resources.files(_PACKAGE)
        if root.joinpath(_INDEX).is_file():
            return root
    except ModuleNotFoundError:
        pass
    if (_SOURCE_DIR / _INDEX).is_file():
        return _SOURCE_DIR
    raise FileNotFoundError(
        f"the bundled datasets are missing (neither package {_PACKAGE!r} nor "
        f"{_SOURCE_DIR} holds {_INDEX}); reinstall glmstats"
    )


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, Any]]:
    text = _root().joinpath(_INDEX).read_text(encoding="utf-8")
    return json.loads(text)


def _entry(name: str) -> tuple[str, dict[str, Any]]:
    index = _index()
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in index:
        raise ValueError(
            f"unknown dataset {name!r}; available datasets: {', '.join(list_datasets())}"
        )
    return key, index[key]


def list_datasets() -> list[str]:
    """Names of the bundled datasets, sorted.

    Returns
    -------
    list of str
        Names accepted by :func:`load` and :func:`describe`.
    """
    return sorted(_index())


def describe(name: str) -> dict[str, Any]:
    """Metadata of a bundled dataset.

    Parameters
    ----------
    name : str
        Dataset name (case-insensitive), one of :func:`list_datasets`.

    Returns
    -------
    dict
        Keys ``name``, ``file``, ``title``, ``description``, ``source``, ``licence``,
        ``columns`` (column name -> meaning), ``categorical`` (the factor columns, returned
        as Categoricals), ``levels`` (factor column -> its levels in R's order),
        ``ordered`` (the factor columns R stores as ordered factors),
        the suggested model: ``model`` (the glmstats function: ``"glm"``, ``"glm_nb"`` or
        ``"multinom"``), ``formula``, ``family`` (``None`` unless ``model`` is ``"glm"``),
        ``link``, ``weights`` (the prior-weights column, passed as ``var_weights``),
        ``freq_weights`` and ``offset``; ``python_call`` (that fit as one expression of
        ``gs`` and ``df``), ``r_call`` (the equivalent R call) and, for some, ``notes``.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the available names.
    """
    key, entry = _entry(name)
    info = {"name": key}
    info.update(copy.deepcopy(entry))
    return info


def load(name: str, *, ordered: bool = False) -> pd.DataFrame:
    """Load a bundled dataset as a DataFrame.

    Parameters
    ----------
    name : str
        Dataset name (case-insensitive), one of :func:`list_datasets`.
    ordered : bool, default False
        Return the columns R stores as ordered factors (``describe(name)["ordered"]``) as
        ordered Categoricals. By default every factor is an unordered Categorical (R:
        ``factor(x, ordered = FALSE)``). Formulas use treatment contrasts either way.

    Returns
    -------
    pandas.DataFrame
        A new frame on every call. The columns listed in ``describe(name)["categorical"]``
        are Categoricals whose categories are R's levels in R's order (R: a ``factor``
        column), so a formula uses the first level as the baseline.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the available names.

    Notes
    -----
    R's ``glm()`` codes an ordered factor with polynomial contrasts (``contr.poly``);
    glmstats' formulas give Categoricals, ordered or not, treatment contrasts. Write
    ``C(x, contr.poly)`` for R's coding of an ordered factor ``x``.

    Examples
    --------
    >>> from glmstats import datasets
    >>> datasets.load("warpbreaks")["tension"].cat.categories.tolist()
    ['L', 'M', 'H']
    """
    _, entry = _entry(name)
    categorical = entry.get("categorical", [])
    kwargs: dict[str, Any] = {
        "dtype": {col: str for col in categorical},
        # Only the literal NA is missing (as R writes it); pandas' defaults would also
        # turn strings such as "None" or "null" into NaN.
        "keep_default_na": False,
        "na_values": ["NA"],
    }
    if int(pd.__version__.split(".")[0]) < 3:
        # pandas 3 parses round-trip exact by default and deprecates the argument.
        kwargs["float_precision"] = "round_trip"
    with _root().joinpath(entry["file"]).open("rb") as fh:
        df = pd.read_csv(fh, **kwargs)
    for col in categorical:
        levels = entry["levels"][col]
        unknown = set(df[col].dropna()) - set(levels)
        if unknown:  # a CSV and its metadata out of step: never turn values into NaN
            raise ValueError(f"dataset {name!r}: column {col!r} has values {sorted(unknown)!r} "
                             f"that are not among its levels {levels!r} in {_INDEX}")
        df[col] = pd.Categorical(df[col], categories=levels,
                                 ordered=ordered and col in entry.get("ordered", []))
    return df
