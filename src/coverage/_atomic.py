"""Atomic file output: write to a temporary file beside the target, then replace it.

A failure at any point (an exception while rendering, a full disk, an interrupt)
leaves any existing file at the target untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import ExportError

__all__ = ["atomic_write", "write_text_atomic"]


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a text file for writing that appears at ``path`` only when complete.

    Parameters
    ----------
    path : str or os.PathLike
        Target file. Its folder must exist and be writable.
    encoding : str, default "utf-8"

    Yields
    ------
    file object
        Text stream (``newline="\\n"``) on a temporary file in the target's folder.

    A symbolic link is written through (its target is replaced); an existing
    read-only file is refused, even for root.

    Raises
    ------
    ExportError
        If the folder does not exist or is not writable, the file is read-only, or
        writing fails; the original exception is chained.
    """
    # Write through a symbolic link to the file it points at, as `>` and editors do.
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if target.exists() and not target.stat().st_mode & 0o222:
        raise ExportError(f"cannot write {target}: the existing file is read-only")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _copy_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _copy_mode(target: Path, tmp: Path) -> None:
    """Give the new file the existing file's permissions, or the umask default."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def write_text_atomic(
    path: str | os.PathLike[str], render: Callable[[], str] | str, *, encoding: str = "utf-8"
) -> Path:
    """Write text to ``path`` atomically and return the path.

    ``render`` may be the text itself or a function producing it; a function is called
    before anything is written, so an exception while rendering leaves no trace.

    Raises
    ------
    ExportError
        If the file cannot be written (see :func:`atomic_write`).
    """
    text = render() if callable(render) else render
    with atomic_write(path, encoding=encoding) as stream:
        stream.write(text)
    return Path(path)
