"""File output: atomic for regular files, direct for devices and pipes.

A regular file is written to a temporary file beside the target, then moved into
place: a failure at any point (an exception while rendering, a full disk, an
interrupt, SIGTERM or SIGHUP through the CLI's handlers) leaves any existing file at
the target untouched and no temporary file behind.

A target that is not a regular file is never replaced by one: a character device
(``/dev/null``, a terminal) or a FIFO is opened and written directly, as the shell's
``>`` does; ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` write to the process's
own descriptor (so ``>> log`` keeps appending); a socket, a block device or a folder
is refused with one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import ExportError, ParameterError
from .text import REPLACE_ERRORS, _printable

__all__ = [
    "atomic_write",
    "check_target",
    "write_text_atomic",
    "write_bytes_atomic",
    "write_output",
    "TEMP_PREFIX",
    "TEMP_SUFFIX",
]

#: The temporary file is ``.tc-XXXXXXXX.tmp`` in the target's folder: short, so that
#: a target name of up to NAME_MAX (255 bytes) can still be written.
TEMP_PREFIX = ".tc-"
TEMP_SUFFIX = ".tmp"

# Names that stand for a descriptor this process already has open.
_FD_ALIAS = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STD_ALIAS = {"/dev/stdout": 1, "/dev/stderr": 2}


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, encoding: str | None = "utf-8"
) -> Iterator[IO[str]]:
    """Open a text output that appears at ``path`` only when complete.

    Parameters
    ----------
    path : str or os.PathLike
        Target. A regular file (or a new name) is replaced atomically; its folder
        must exist and be writable. A symbolic link is written through (its target
        is replaced). A character device or FIFO is written directly; see the module
        docstring.
    encoding : str or None, default "utf-8"
        Text encoding. Characters it cannot encode (a lone surrogate from a JSON
        ``"\\ud800"`` escape) are written as U+FFFD, or ``?`` where that is not
        encodable either. None opens a binary stream (images).

    Yields
    ------
    file object
        Text stream (``newline="\\n"``): on a temporary file in the target's folder,
        or on the device or FIFO itself.

    Raises
    ------
    ExportError
        If the folder does not exist or is not writable; the target is a folder, a
        socket, a block device or a read-only file (refused even for root); the name
        is too long; or writing fails. The original exception is chained. For a
        regular file nothing is left behind; a device or FIFO may have received part
        of the output.
    """
    how, _ = check_target(path)
    if how == "descriptor":
        yield from _write_descriptor(path, _descriptor_alias(path), encoding)
    elif how == "direct":  # character device or FIFO: write into it, never replace it
        yield from _write_direct(path, encoding)
    else:
        yield from _write_replacing(path, encoding)


def check_target(path: str | os.PathLike[str]) -> tuple[str, os.stat_result | None]:
    """Check that ``path`` can take output, without writing anything.

    The CLI calls this before long work so that a bad output name fails at once.

    Parameters
    ----------
    path : str or os.PathLike
        The output name.

    Returns
    -------
    how : str
        ``"descriptor"`` (``/dev/stdout``, ``/dev/fd/N``), ``"direct"`` (an existing
        character device or FIFO) or ``"replace"`` (a regular file or a new name).
    stat : os.stat_result or None
        The target's status (following symbolic links), None if it does not exist.

    Raises
    ------
    ExportError
        If the target is a folder, a socket, a block device or a read-only regular
        file, its name ends in a path separator (a folder's name), its folder does
        not exist, or its name cannot be looked up (too long, no permission).
    """
    _refuse_folder_name(path)
    if _descriptor_alias(path) is not None:
        return "descriptor", None
    try:
        st: os.stat_result | None = os.stat(path)  # follows symbolic links
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _special_kind(st.st_mode)
        if kind is None:
            return "direct", st
        raise ExportError(
            f"cannot write {path}: it is {kind}; give a file name, a FIFO, a character "
            "device or '-' for standard output"
        )
    target = Path(os.path.realpath(path)) if _is_symlink(path) else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    if st is not None and not st.st_mode & 0o222:
        raise ExportError(f"cannot write {target}: the existing file is read-only")
    return "replace", st


def _refuse_folder_name(path: str | os.PathLike[str]) -> None:
    """Refuse a name ending in a path separator: ``Path("out.png/")`` would drop the slash.

    Raises
    ------
    ExportError
        For ``out.png/`` (a shell's ``> out.png/`` refuses it too).
    """
    text = os.fsdecode(os.fspath(path))
    if text.endswith(("/", os.sep)):
        raise ExportError(
            f"cannot write {text}: a name ending in {text[-1]!r} names a folder; give a file name"
        )


def _special_kind(mode: int) -> str | None:
    """Name what a non-regular file is, or None for one written directly (device, FIFO)."""
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _descriptor_alias(path: str | os.PathLike[str]) -> int | None:
    """Return N for ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``."""
    name = os.fspath(path)
    if not isinstance(name, str):
        return None
    if name in _STD_ALIAS:
        return _STD_ALIAS[name]
    match = _FD_ALIAS.match(name)
    return int(match.group(1)) if match else None


def _write_descriptor(path, fd: int, encoding: str | None) -> Iterator[IO[str]]:
    """Write to a copy of this process's descriptor ``fd`` (sharing its offset and flags)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    try:
        dup = os.dup(fd)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    yield from _stream(path, dup, encoding)


def _write_direct(path, encoding: str | None) -> Iterator[IO[str]]:
    """Open a character device or FIFO and write into it (blocks until a FIFO has a reader)."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    yield from _stream(path, fd, encoding)


def _stream(path, fd: int, encoding: str | None) -> Iterator[IO[str]]:
    """Yield a text stream over an open descriptor (closed after); OSError as ExportError."""
    try:
        with _fdopen(fd, encoding) as out:
            yield out
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err


def _fdopen(fd: int, encoding: str | None) -> IO:
    """Open a descriptor as a text stream (``newline="\\n"``), or binary for no encoding."""
    if encoding is None:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding, errors=REPLACE_ERRORS, newline="\n")


def _write_replacing(path, encoding: str | None) -> Iterator[IO[str]]:
    """Write a regular file (checked by :func:`check_target`) through a temporary file."""
    # Write through a symbolic link to the file it points at, as `>` and editors do.
    target = Path(os.path.realpath(path)) if _is_symlink(path) else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp: Path | None = None
    fd: int | None = None
    try:
        # The name is recorded before the file is created, so that an exception from a
        # signal handler at any point after creation (Python runs handlers between any
        # two bytecodes, and another thread may take the signal, so blocking it in this
        # one does not help) finds the name to remove.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        for _ in range(100):
            tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(4)}{TEMP_SUFFIX}"
            try:
                fd = os.open(tmp, flags, 0o600)
                break
            except FileExistsError:
                tmp = None  # another writer's file: never ours to remove
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))
        out = _fdopen(fd, encoding)
        fd = None  # closed with ``out`` from here on
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        _copy_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException as err:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, ExportError):
            raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
        raise


def _is_symlink(path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


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
    """Write text to ``path`` atomically (directly for a device or FIFO); return the path.

    ``render`` may be the text itself or a function producing it; a function is called
    before anything is written, so an exception while rendering leaves no trace.

    Parameters
    ----------
    path : str or os.PathLike
        Target (see :func:`atomic_write`).
    render : str or callable
        The text, or a function returning it.
    encoding : str, default "utf-8"
        Text encoding; unencodable characters become U+FFFD (or ``?``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written (see :func:`atomic_write`).
    """
    text = render() if callable(render) else render
    with atomic_write(path, encoding=encoding) as stream:
        stream.write(text)
    return Path(path)


def write_bytes_atomic(path: str | os.PathLike[str], render: Callable[[], bytes] | bytes) -> Path:
    """Write bytes (an image) to ``path`` atomically, as :func:`write_text_atomic` writes text.

    Parameters
    ----------
    path : str or os.PathLike
        Target (see :func:`atomic_write`).
    render : bytes or callable
        The bytes, or a function returning them (called before anything is written).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written (see :func:`atomic_write`).
    """
    data = render() if callable(render) else render
    with atomic_write(path, encoding=None) as stream:
        stream.write(data)
    return Path(path)


def write_output(
    path: str | os.PathLike[str] | None, text: str | bytes | Callable[[], str | bytes]
) -> Path | None:
    """Write text to a file atomically, or to standard output for ``None`` or ``"-"``.

    The work of :func:`coverage.exports.write_text` (which checks its arguments
    first); bytes go to standard output only when it is not a terminal, and text on a
    terminal has its control and bidi characters escaped.

    Raises
    ------
    ParameterError
        For bytes to a terminal.
    ExportError
        If the file cannot be written; an existing file is left untouched.
    """
    if path is None or str(path) == "-":
        text = text() if callable(text) else text
        if isinstance(text, bytes):
            if sys.stdout.isatty():
                raise ParameterError(
                    "path: a binary file (xlsx) is not written to a terminal; give a file "
                    "name or redirect standard output",
                    parameter="path",
                )
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return None
        if sys.stdout.isatty():  # a terminal, not a pipe: no escape sequences or bidi marks
            text = _printable(text, keep_newlines=True)
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    text = text() if callable(text) else text
    if isinstance(text, bytes):
        return write_bytes_atomic(path, text)
    return write_text_atomic(path, text)
