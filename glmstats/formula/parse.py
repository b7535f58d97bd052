"""Reading the formula text: the top-level scanner, ``response ~ terms``, the response expressions.

Pure Python (no formulaic): the array interface and the multinomial model split formulas with
these too.
"""

import ast
import re

import pandas as pd

__all__ = ["check_formula_arguments", "top_level", "split_formula", "parse_python", "response_expressions",
           "split_top_level_commas", "unique", "some_columns", "plain_message"]


def check_formula_arguments(formula, data, missing):
    """TypeError/ValueError naming a formula that is not a string, data that are not a DataFrame, or an
    unknown ``missing``."""
    if not isinstance(formula, str):
        raise TypeError(f"formula must be a string, got {type(formula).__name__}")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if isinstance(data.columns, pd.MultiIndex):
        raise ValueError("data has MultiIndex (hierarchical) column names, which a formula cannot name; flatten them "
                         "first, e.g. data.columns = ['_'.join(map(str, c)) for c in data.columns]")
    if missing not in ("drop", "raise"):
        raise ValueError(f'missing must be "drop" or "raise", got {missing!r}')


def string_columns(data, what="data"):
    """``data`` with its column names as strings (a formula names columns by text: an integer name 0 is
    written `0` in a formula); an error if two names become the same string."""
    if all(isinstance(c, str) for c in data.columns):
        return data
    names = [str(c) for c in data.columns]
    if len(set(names)) < len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{what} has column names that are equal as text {dup} (e.g. 0 and '0'); rename them")
    return data.set_axis(names, axis=1)


def top_level(s, char):
    """Positions of ``char`` in ``s`` outside quotes and brackets."""
    depth, quote, found = 0, None, []
    for i, ch in enumerate(s):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == char and depth == 0:
            found.append(i)
    return found


def split_formula(formula):
    """``"lhs ~ rhs"`` -> ``("lhs", "rhs")``, splitting at the one top-level ``~``."""
    tildes = top_level(formula, "~")
    if len(tildes) != 1:
        raise ValueError(f"invalid formula {formula!r}: expected 'response ~ terms' with one '~'")
    lhs, rhs = formula[:tildes[0]].strip(), formula[tildes[0] + 1:].strip()
    if not lhs:
        raise ValueError(f"formula {formula!r} has no response (left-hand side)")
    if not rhs:
        raise ValueError(f"formula {formula!r} has no right-hand side (use '~ 1' for intercept only)")
    return lhs, rhs


def parse_python(expr, what):
    """Parse a Python expression whose `backquoted names` become placeholders."""
    aliases = {}

    def sub(m):
        aliases[f"__bq{len(aliases)}__"] = m.group(1)
        return f"__bq{len(aliases) - 1}__"

    try:
        tree = ast.parse(re.sub(r"`([^`]*)`", sub, expr).strip(), mode="eval")
    except SyntaxError as e:
        if "too many nested" in str(e):
            raise ValueError(f"cannot parse {what}: nested too deeply; simplify it") from None
        raise ValueError(f"cannot parse {what}: {expr!r} is not a valid expression") from e
    except (RecursionError, MemoryError):
        raise ValueError(f"cannot parse {what}: nested too deeply; simplify it") from None
    return tree, aliases


def response_expressions(lhs):
    """The response as a list of expressions: ``[lhs]``, or ``[s, f]`` for ``cbind(s, f)``."""
    tree, _ = parse_python(lhs, f"response {lhs!r}")
    body = tree.body
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "cbind":
        if len(body.args) != 2 or body.keywords:
            raise ValueError(f"cbind() response {lhs!r} needs exactly two columns: cbind(successes, failures)")
        # Source text of each argument (from the original, backquotes intact).
        inner = lhs.strip()[lhs.strip().index("(") + 1:-1]
        args = split_top_level_commas(inner)
        return [a.strip() for a in args]
    return [lhs]


def split_top_level_commas(s):
    cuts = [-1] + top_level(s, ",") + [len(s)]
    return [s[i + 1:j] for i, j in zip(cuts, cuts[1:])]


def unique(items):
    return list(dict.fromkeys(items))


def some_columns(columns, k=12):
    cols = [str(c) for c in columns]
    return ", ".join(cols[:k]) + (f", ... ({len(cols)} in all)" if len(cols) > k else "")


def plain_message(error):
    """formulaic's message without its terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", str(error))
