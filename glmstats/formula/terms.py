"""The terms of a formula: the variables they read, offset() terms, and the positions of their columns."""

import ast
import builtins

import numpy as np
from formulaic.transforms import TRANSFORMS

from .parse import parse_python, some_columns, unique
from .response import as_float

__all__ = ["CONTEXT", "KNOWN_NAMES", "offset_marker", "python_variables", "rhs_variables", "is_offset",
           "split_terms_of_formula", "split_terms", "eval_response"]


def offset_marker(x):
    """``offset(expr)`` in a formula: the values of ``expr`` as floats.

    Only a marker: the columns it produces are moved out of the model matrix
    into ``Design.offset``.
    """
    return np.asarray(x, dtype=float)


# Names a formula may use besides data columns, numpy (``np``) and formulaic's
# transforms (``log``, ``exp``, ``I``, ``C``, ``center``, ``poly``, ...).
# ``sqrt`` is added because R formulas use it bare.
CONTEXT = {"offset": offset_marker, "sqrt": np.sqrt}


KNOWN_NAMES = set(CONTEXT) | set(TRANSFORMS) | set(dir(builtins))


def quoted_column(node, aliases):
    """The column name of a ``Q('name')`` call node, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and aliases.get(node.func.id, node.func.id) == "Q" and len(node.args) == 1):
        return None
    arg = node.args[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def python_variables(expr, data, what, newdata=False):
    """Data columns an expression reads, in order; an unknown name is an error."""
    if expr in data.columns:
        return [expr]
    tree, aliases = parse_python(expr, what)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(tree):
        quoted = quoted_column(node, aliases)
        if quoted is not None:  # Q('my col'): formulaic's quoting of a column name
            if quoted not in data.columns:
                where = "newdata" if newdata else "data"
                raise ValueError(f"{where} has no column {quoted!r} (named by Q() in {what})")
            out.append(quoted)
            continue
        if not isinstance(node, ast.Name):
            continue
        name = aliases.get(node.id, node.id)
        if name in data.columns:
            out.append(name)
        elif name not in KNOWN_NAMES:
            if newdata:
                raise ValueError(f"newdata has no column {name!r} (needed by {what})")
            kind = "function" if id(node) in called else "column"
            raise ValueError(f"unknown {kind} {name!r} in {what}; data columns are {some_columns(data.columns)}")
    return unique(out)


def rhs_variables(terms, data, newdata=False):
    """Data columns the right-hand side (offset terms included) reads.

    Our own walk over the factor expressions: formulaic's ``required_variables``
    misses the arguments of stateful transforms (``poly(x, 2)`` gives nothing).
    """
    out = []
    for term in terms:
        for factor in term.factors:
            method = factor.eval_method.value
            if method == "lookup":
                if factor.expr not in data.columns:
                    if newdata:
                        raise ValueError(f"newdata has no column {factor.expr!r} (needed by term {str(term)!r})")
                    raise ValueError(f"unknown column {factor.expr!r} in formula; "
                                     f"data columns are {some_columns(data.columns)}")
                out.append(factor.expr)
            elif method == "python":
                out += python_variables(factor.expr, data, f"term {str(term)!r}", newdata)
    return unique(out)


def is_offset(factor):
    """Whether a formulaic factor is an ``offset(...)`` call."""
    if factor.eval_method.value != "python":
        return False
    try:
        body = parse_python(factor.expr, "offset")[0].body
    except ValueError:
        return False
    return isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "offset"


def split_terms_of_formula(terms):
    """Split terms into (model terms, offset terms); an offset() inside an interaction is an error."""
    model_terms, offset_terms = [], []
    for term in terms:
        flags = [is_offset(f) for f in term.factors]
        if any(flags) and len(flags) > 1:
            raise ValueError(f"offset() cannot be part of an interaction: {str(term)!r}")
        (offset_terms if any(flags) else model_terms).append(term)
    return model_terms, offset_terms


def split_terms(spec):
    """Column positions of the model terms and of the offset terms in the spec's matrix.

    Returns ``(x_positions, offset_positions, [(term name, positions in X), ...])``.
    """
    x_pos, off_pos, terms = [], [], []
    for term, cols in spec.term_indices.items():
        if split_terms_of_formula([term])[1]:
            if len(cols) != 1:
                raise ValueError(f"{str(term)!r} must give one numeric value per row")
            off_pos += cols
        else:
            name = "Intercept" if str(term) == "1" else str(term)
            terms.append((name, list(range(len(x_pos), len(x_pos) + len(cols)))))
            x_pos += cols
    return x_pos, off_pos, terms


def eval_response(expr, rows, lhs):
    """One response expression as floats: a column, or Python code over the columns."""
    if expr in rows.columns:
        return as_float(rows[expr], f"response {expr!r}")
    tree, aliases = parse_python(expr, f"response {lhs!r}")
    names = {**TRANSFORMS, **CONTEXT}
    names.update({k: rows[v] for k, v in aliases.items()})
    names.update({c: rows[c] for c in rows.columns if isinstance(c, str) and c.isidentifier()})
    try:
        value = eval(compile(tree, "<response>", "eval"), {"__builtins__": builtins}, names)  # noqa: S307
    except Exception as e:
        raise ValueError(f"cannot evaluate response {expr!r}: {type(e).__name__}: {e}") from e
    value = getattr(value, "__wrapped__", value)  # formulaic's I() wraps its result
    if np.ndim(value) == 0:
        value = np.full(len(rows), value)
    if len(value) != len(rows):
        raise ValueError(f"response {expr!r} must have one value per row")
    return as_float(value, f"response {expr!r}")
