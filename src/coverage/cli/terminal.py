"""What the commands say on the terminal: tables and JSON on stdout, notes on stderr.

Every name is escaped (:func:`coverage.text.printable`) before it reaches the
terminal, so that control and bidi characters cannot spoof a line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import click

from ..text import printable

__all__ = [
    "console",
    "echo_points",
    "emit_json",
    "null_dates",
    "print_table",
    "progress",
    "say",
    "show",
    "status",
    "wrote",
]


def say(line: str) -> None:
    """Write one line on stderr; a stderr that is gone is not an error of its own."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(line, err=True)


def wrote(path: Path | None, what: str, *, quiet: bool) -> None:
    """Say on stderr that a file was written, in the same words for every command.

    Nothing for standard output (``-``) or with ``-q``.
    """
    if quiet or path is None or str(path) == "-":
        return
    say(f"threat-coverage: wrote {printable(str(path))} ({what})")


def progress(quiet: bool, description: str) -> Callable[[Sequence], Sequence]:
    """Return a wrapper that shows a rich progress bar on stderr for longer work lists."""

    def wrap(work: Sequence):
        if quiet or len(work) < 4:
            return work
        from rich.console import Console
        from rich.progress import track

        return track(work, description=description, console=Console(stderr=True), transient=True)

    return wrap


@contextlib.contextmanager
def status(quiet: bool, message: str) -> Iterator[None]:
    """Show a rich spinner on stderr while work runs (not with --quiet or off a terminal)."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def console():
    """Return the rich console for tables on stdout (120 columns off a terminal).

    ``COLUMNS`` sets the width when it is a whole number from 1 to 10,000; any
    other value is ignored.
    """
    from rich.console import Console

    columns = os.environ.get("COLUMNS", "").strip()
    width = int(columns) if columns.isdigit() and 0 < int(columns) <= 10_000 else None
    return Console(
        width=width if width else (None if sys.stdout.isatty() else 120),
        highlight=False,
        soft_wrap=False,
    )


def print_table(renderable) -> None:
    """Print a rich renderable on stdout; off a terminal, without trailing spaces.

    rich pads every line of a table to the console's width; a pipe or a file gets the
    lines with their right ends stripped, so that ``diff``, ``grep`` and editors see
    only the text.
    """
    out = console()
    if sys.stdout.isatty():
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().split("\n"))
    sys.stdout.write(text)
    sys.stdout.flush()


def emit_json(obj) -> None:
    """Print JSON on stdout (escaping control and bidi characters on a terminal)."""
    from ..exports import to_json_text, write_text

    write_text(None, to_json_text(obj, indent=2))


def null_dates(obj):
    """Return JSON-ready data with every missing date (``"n.d."`` in the data) as null."""
    if isinstance(obj, dict):
        return {k: None if k == "date" and v == "n.d." else null_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [null_dates(v) for v in obj]
    return obj


def show(as_json: bool, records: Callable[[], object], table: Callable[[], object]) -> None:
    """Print ``records()`` as JSON, or ``table()`` as a rich table (both built lazily)."""
    if as_json:
        emit_json(records())
    else:
        print_table(table())


def echo_points(points, *, quiet: bool, targets=None) -> None:
    """Say where each ``--at`` point lies (country or sea); warn when it looks swapped.

    ``points`` are the request's ``(lon, lat)`` pairs, checked with it (the check
    that judged or drew them), so they are not checked again. The echo is left out with
    ``-q``; the warning (``did you mean --at LAT,LON?``, see
    :func:`coverage.where.locate_points`) is not. ``targets`` are the check's (the
    bundled capitals for `rings`), a TargetSet read as it is: a million targets cost
    two arrays of coordinates, not a tuple each.
    """
    if not points:
        return
    from ..where import _locate_points

    if targets is None:
        from ..targets import load_targets

        targets = load_targets()
    for (lon, lat), (where, hint) in zip(points, _locate_points(points, targets), strict=True):
        if not quiet:
            say(f"threat-coverage: {at_text(lon, lat)} lies {where.phrase}")
        if hint is not None:
            say(f"threat-coverage: warning: {printable(hint.describe(at_text))}")


def at_text(lon: float, lat: float) -> str:
    """Return ``--at LON,LAT`` as a user would type it (``--at=`` before a negative lon)."""
    return f"--at{'=' if lon < 0 else ' '}{lon:g},{lat:g}"
