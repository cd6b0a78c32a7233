"""Locations of the bundled data files (data/ in the repository, packaged as coverage/_data)."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path

__all__ = ["data_path"]


def data_path(name: str) -> Path:
    """Return the path of a bundled data file such as ``"systems.yaml"``.

    The repository's ``data/`` folder is packaged as ``coverage/_data``; in a source
    checkout ``src/coverage/_data`` is a link to it, so both give the same files.
    """
    return Path(str(_resources.files("coverage").joinpath("_data").joinpath(name)))
