"""Detect coverage.py sharing our import name ``coverage`` in the same environment.

coverage.py (and pytest-cov, which needs it) installs a package also called
``coverage``. Installed after threat-coverage it overwrites our ``__init__.py``;
installed before, we overwrite its. Either way one of the two is broken, and the
failure would otherwise surface as a strange ImportError far from its cause.
This module imports nothing of ours, so it works whichever ``__init__`` won.
"""

from __future__ import annotations

import importlib.metadata
import sys

__all__ = ["clash_message"]

_ADVICE = (
    "install threat-coverage in its own virtual environment or with pipx "
    "(see README: 'coverage' is also the import name of coverage.py)"
)


def clash_message() -> tuple[str, bool] | None:
    """Return ``(message, fatal)`` if coverage.py is installed over or beside us, else None.

    ``fatal`` is True when the ``coverage`` package that Python imports is not ours.
    """
    package = sys.modules.get("coverage")
    ours = package is not None and getattr(package, "__threat_coverage__", False)
    if not ours:
        where = getattr(package, "__file__", "?")
        return (
            f"threat-coverage: the 'coverage' package imported from {where} is coverage.py, "
            f"not threat-coverage; {_ADVICE}",
            True,
        )
    try:
        version = importlib.metadata.version("coverage")
    except importlib.metadata.PackageNotFoundError:
        return None
    return (
        f"threat-coverage: warning: coverage.py {version} is installed in this environment and "
        f"shares the import name 'coverage' (one of the two is damaged); {_ADVICE}",
        False,
    )
