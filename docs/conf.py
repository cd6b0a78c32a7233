"""Sphinx configuration for the threat-coverage documentation.

Build offline with warnings as errors, from the repository root::

    python -m sphinx -W -b html docs docs/_build/html

The notebooks (``docs/notebooks/`` links to ``notebooks/``) are executed at build time
by myst-nb in a temporary folder, with a kernel that runs this same interpreter, so
the pages show the outputs of the installed code. Nothing is fetched from the
network: no intersphinx, no remote images.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # document this checkout, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))  # steady_kernel

import coverage  # noqa: E402

# -- project -----------------------------------------------------------------------

project = "threat-coverage"
author = "threat-coverage developers"
copyright = "threat-coverage developers, MIT licence"  # noqa: A001
release = coverage.__version__
version = release

# -- extensions --------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx_click",
    "myst_nb",
    "steady_kernel",  # docs/_ext: replies are not waited for until the timeout
]

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- API reference (autodoc + numpydoc) -------------------------------------------

autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

#: ``|x|`` in a docstring is an absolute value in our maths, never a substitution.
_ABS = re.compile(r"(?<![\\|`])\|(?=[^\s|])([^|`\n]*?[^\s|])\|(?![|_`])")


def _escape_bars(app, what, name, obj, options, lines) -> None:
    """Keep ``|sin(az)|`` as text: docutils would read it as a substitution reference."""
    for i, line in enumerate(lines):
        if not line.lstrip().startswith(("|", "+")):  # leave line blocks and tables alone
            lines[i] = _ABS.sub(r"\\|\1\\|", line)


def setup(app) -> None:
    """Register the docstring hook."""
    app.connect("autodoc-process-docstring", _escape_bars)


# -- notebooks (myst-nb, executed at build time) -----------------------------------


def _kernel() -> str:
    """Register a kernel running this interpreter and return its name.

    A user- or system-wide ``python3`` kernelspec may point to another interpreter;
    ours, first on JUPYTER_PATH, cannot.
    """
    name = "threat-coverage-docs"
    folder = Path(tempfile.mkdtemp(prefix="tc-docs-jupyter-"))
    spec_dir = folder / "kernels" / name
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "threat-coverage docs",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(folder), os.environ.get("JUPYTER_PATH")])
    )
    return name


nb_execution_mode = "force"
nb_execution_in_temp = True  # each notebook runs in an empty folder, as in the tests
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_kernel_rgx_aliases = {".*": _kernel()}
nb_merge_streams = True
# The range control needs a live kernel; keep the site offline (no widget scripts from a CDN).
nb_ipywidgets_js: dict = {}
# Figures inline as PNG, whatever MPLBACKEND the shell that runs the build has.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))

# -- HTML ---------------------------------------------------------------------------

html_theme = "furo"
html_title = f"threat-coverage {release}"
html_static_path: list[str] = ["_static"]
html_css_files = ["a11y.css"]  # code blocks wrap on a phone (tests/test_a11y.py, axe-core)
# The gallery's interactive map (docs/_extra/maps/, written by scripts/make_gallery.py).
html_extra_path: list[str] = ["_extra"]
html_show_sourcelink = False
