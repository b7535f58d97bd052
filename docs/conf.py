"""Sphinx configuration of the glmstats documentation.

Build (from any directory; warnings are errors, every code cell is executed):

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The pages are MyST-NB text notebooks: their ```{code-cell} blocks run in a Jupyter kernel
(ipykernel) at build time, in a temporary directory, and the outputs shown are the ones the
code produces, so a page cannot drift from the package.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# autodoc imports glmstats from this checkout; so does the kernel that runs the pages
# (it inherits PYTHONPATH), whichever directory the build is started from
sys.path.insert(0, ROOT)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)

# the kernel's IPython configuration, written under _build: an error a page shows on purpose
# (a cell tagged raises-exception) prints as "ValueError: message", without a traceback
# through the package's source, and a warning as "ConvergenceWarning: message", without the
# kernel's temporary file name and source line
_KERNEL_CONFIG = r"""
c.InteractiveShell.xmode = "Minimal"
c.InteractiveShellApp.exec_lines = [
    "import warnings",
    "warnings.formatwarning = lambda message, category, *args, **kwargs: f'{category.__name__}: {message}\\n'",
]
"""
_ipython_dir = os.path.join(HERE, "_build", "ipython")
os.makedirs(os.path.join(_ipython_dir, "profile_default"), exist_ok=True)
with open(os.path.join(_ipython_dir, "profile_default", "ipython_kernel_config.py"), "w") as f:
    f.write(_KERNEL_CONFIG)
os.environ["IPYTHONDIR"] = _ipython_dir

import glmstats  # noqa: E402

project = "glmstats"
author = "the glmstats developers"
copyright = "the glmstats developers"
version = release = glmstats.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints", ".DS_Store", "Thumbs.db"]
templates_path = ["_templates"]

# --- MyST and notebook execution ------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
# "force": every build runs every page. A cache ("cache") is keyed on a page's code only and
# would keep showing old outputs after a change in the package; a full run takes about a minute.
nb_execution_mode = "force"
nb_execution_in_temp = True           # no page may read a file relative to docs/ or the repo
nb_execution_raise_on_error = True    # an exception in a cell fails the build (unless the cell is tagged raises-exception)
nb_execution_timeout = 300            # seconds per cell; the slowest cell takes a few seconds
nb_merge_streams = True
nb_execution_show_tb = True           # print the traceback of a failing cell in the build log

# --- API reference ----------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"            # numpydoc sections carry the types
numpydoc_show_class_members = False   # the class template documents the members itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- HTML ---------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"glmstats {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = ["_static"]
html_css_files = ["glmstats.css"]

# --- names other branches add (gs.compare, gs.plot_links) --------------------------------------
# api.md holds a marker where they are documented once glmstats has them, so the reference
# follows the package without a build that fails on a missing name.
OPTIONAL_API = [
    ("Comparing models", ["compare"]),
    ("Plots", ["plot_links"]),
]


def _optional_api(app, docname, source):
    if docname != "api":
        return
    parts = []
    for title, names in OPTIONAL_API:
        present = [n for n in names if hasattr(glmstats, n)]
        if present:
            parts.append(f"## {title}\n\n" + "\n\n".join(
                f"```{{eval-rst}}\n.. autofunction:: glmstats.{n}\n```" for n in present))
    source[0] = source[0].replace("<!-- glmstats-optional-api -->", "\n\n".join(parts))


def setup(app):
    app.connect("source-read", _optional_api)
