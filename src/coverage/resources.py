"""Locations of the bundled data files (data/ in the repository, packaged as coverage/_data)."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path

from . import _validate as _v

__all__ = ["data_path", "public_source"]


def data_path(name: str) -> Path:
    """Return the path of a bundled data file such as ``"systems.yaml"``.

    The repository's ``data/`` folder is packaged as ``coverage/_data``; in a source
    checkout ``src/coverage/_data`` is a link to it, so both give the same files.
    """
    _v.text(name, "name")
    return Path(str(_resources.files("coverage").joinpath("_data").joinpath(name)))


def public_source(source: str | None) -> str | None:
    """Return a targets source fit to publish: no absolute path of this machine.

    A bundled file becomes ``data/<name>`` (as in the repository); a user's file keeps
    the path as given when relative, else its file name.

    Examples
    --------
    >>> public_source("/home/me/data/my targets.geojson")
    'my targets.geojson'
    >>> public_source("given points")
    'given points'
    """
    _v.text(source, "source", optional=True)
    if not source:
        return source
    path = Path(source)
    bundled = data_path(path.name)
    if path.is_absolute():
        try:
            same = path.resolve() == bundled.resolve()
        except OSError:
            same = False
        return f"data/{path.name}" if same else path.name
    return source
