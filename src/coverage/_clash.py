"""Detect coverage.py sharing our import name ``coverage`` in the same environment.

coverage.py (and pytest-cov, which needs it) installs a package also called
``coverage``. Installed after threat-coverage it overwrites our ``__init__.py``;
installed before, we overwrite its. Either way one of the two is broken, and the
failure would otherwise surface as a strange ImportError far from its cause.
This module imports nothing of ours, so it works whichever ``__init__`` won.
"""

from __future__ import annotations

import os
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
    version = _installed_version("coverage")
    if version is None:
        return None
    return (
        f"threat-coverage: warning: coverage.py {version} is installed in this environment and "
        f"shares the import name 'coverage' (one of the two is damaged); {_ADVICE}",
        False,
    )


def _installed_version(name: str) -> str | None:
    """Return the version of distribution ``name`` installed on ``sys.path``, or None.

    Hand-written rather than ``importlib.metadata.version``: that module imports
    email, zipfile, socket and tempfile (about half the start-up time of ``--help``,
    which runs this check on every call and on every Tab of shell completion), while
    a distribution's metadata folder is named ``<name>-<version>.dist-info`` (or
    ``.egg-info``) by the packaging specifications, so listing the folders suffices.
    """
    prefix = name.lower().replace("-", "_") + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            lower = folder.lower()
            if lower.startswith(prefix) and lower.endswith((".dist-info", ".egg-info")):
                return folder[len(prefix) :].rsplit(".", 1)[0]
    return None
