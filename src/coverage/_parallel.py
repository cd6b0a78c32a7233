"""Run independent blocks of work on every local core, or on a Dask cluster.

The geodesic routine (pyproj, GeographicLib's C code) and scipy's k-d tree release
the GIL, so plain threads use every core of one machine. Work beyond one machine goes
through Dask: with ``engine="dask"`` blocks become ``dask.delayed`` tasks, computed
by the Dask scheduler in effect, which is the local threaded scheduler unless the user
has created a ``distributed.Client`` (then the cluster runs them). This module only
dispatches; it holds no pool of its own.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .errors import ParameterError

__all__ = ["ENGINES", "resolve_engine", "run_blocks", "cores"]

#: Accepted values of ``engine``.
ENGINES = ("auto", "serial", "threads", "dask")

T = TypeVar("T")
_NOTHING = object()


def cores() -> int:
    """Return the number of cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _dask_installed() -> bool:
    try:
        import dask  # noqa: F401
    except ImportError:
        return False
    return True


def _cluster_in_effect() -> bool:
    """Whether the user has created a ``distributed.Client`` (Dask is not imported).

    A client can only exist once ``distributed`` is imported; on one machine Dask's
    local scheduler would run the same blocks on the same threads, after an import of
    about half a second.
    """
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return False
    try:
        distributed.default_client()
    except ValueError:  # "No clients found"
        return False
    return True


def resolve_engine(engine: str) -> str:
    """Return the engine to use for ``engine`` (``"auto"`` resolved).

    ``"auto"`` is ``"dask"`` when a ``distributed.Client`` is in effect (the user
    created one: the blocks go to its cluster) and ``"threads"`` otherwise.

    Raises
    ------
    ParameterError
        If ``engine`` is not one of :data:`ENGINES`, or is ``"dask"`` without Dask.
    """
    if engine not in ENGINES:
        raise ParameterError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "auto":
        return "dask" if _cluster_in_effect() else "threads"
    if engine == "dask" and not _dask_installed():
        raise ParameterError("engine='dask' needs Dask: pip install 'threat-coverage[dask]'")
    return engine


def run_blocks(
    fn: Callable[..., T], blocks: Sequence[Any], *, engine: str, shared: Any = _NOTHING
) -> list[T]:
    """Return ``[fn(block) for block in blocks]``, or ``fn(shared, block)``, computed by ``engine``.

    Parameters
    ----------
    fn : callable
        Pure function of one block (after ``shared``, if given); under Dask with a
        cluster it is pickled (cloudpickle) and sent to the workers.
    blocks : sequence
        Independent pieces of work, in order; each task carries only its own block.
    engine : {"auto", "serial", "threads", "dask"}
        ``"serial"`` runs on one core; ``"threads"`` on all local cores;
        ``"dask"`` with the Dask scheduler in effect (local threads, or the
        ``distributed.Client`` the user created).
    shared : object, optional
        Read-only data every block needs (e.g. a k-d tree of sites). Under Dask it
        is one task of the graph, so a cluster sends it once to each worker instead
        of once per block.

    Raises
    ------
    ParameterError
        As :func:`resolve_engine`. Exceptions raised by ``fn`` propagate unchanged.
    """
    engine = resolve_engine(engine)
    with_shared = shared is not _NOTHING
    if engine == "dask" and len(blocks) > 1:
        import dask

        # pure=False: no hashing of the (large) array arguments to name the tasks.
        call = dask.delayed(fn, pure=False)
        if with_shared:
            common = dask.delayed(shared, pure=False)
            tasks = [call(common, block) for block in blocks]
        else:
            tasks = [call(block) for block in blocks]
        return list(dask.compute(*tasks))
    one = functools.partial(fn, shared) if with_shared else fn
    if engine == "serial" or len(blocks) <= 1:
        return [one(block) for block in blocks]
    with ThreadPoolExecutor(max_workers=min(cores(), len(blocks))) as pool:
        return list(pool.map(one, blocks))
