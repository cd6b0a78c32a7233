"""The ``threat-coverage`` command line: parse, call the library, format. No maths here.

Laid out as rasterio's ``rio``: :mod:`~coverage.cli.main` holds the group, the
streams, the signals, the errors (one line naming the command line's options)
and the exit statuses; :mod:`~coverage.cli.options` the shared options and the
table from library parameters to options; :mod:`~coverage.cli.outputs` the
one list of output formats; :mod:`~coverage.cli.terminal` what is printed; and one
module per command (:mod:`~coverage.cli.rings`, :mod:`~coverage.cli.claim`,
:mod:`~coverage.cli.map`, :mod:`~coverage.cli.catalog` for systems, sites and
definitions).
"""

from __future__ import annotations

import sys

from .. import _clash

_CLASH = _clash.clash_message()
if _CLASH is not None and _CLASH[1]:  # coverage.py's __init__ replaced ours: stop here, clearly
    sys.stderr.write(_CLASH[0] + "\n")
    raise SystemExit(1)

from .main import cli, main  # noqa: E402

__all__ = ["cli", "main"]
