"""The ``threat-coverage`` group and its console script: streams, signals, errors, exit statuses.

Exit status: 0 success; 1 bad input or data (one line on stderr, never a
traceback); 2 usage error (click's own message, in one line); 128 + N when stopped
by signal N (SIGTERM 143, SIGHUP 129), after removing any temporary file. A genuine
bug still shows its traceback: that is a bug report.

Only click is imported at start: each command imports the library when it runs, so
that ``--help`` and shell completion stay fast.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence

import click

from .. import __version__, _clash
from ..errors import ConflictError, CoverageError, ParameterError
from ..text import printable
from .catalog import definitions, sites, systems
from .claim import claim
from .map import map_command
from .options import option_words
from .rings import rings
from .terminal import say
from .timeline import timeline

__all__ = ["cli", "main"]


class _Stopped(BaseException):
    """Raised by the SIGTERM/SIGHUP handler so that every ``finally`` runs on the way out.

    A BaseException, like KeyboardInterrupt: ``except Exception`` does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _StdoutClosedError(OSError):
    """Standard output was closed before the program started (``>&-``)."""


class _ClosedStdout(io.TextIOBase):
    """Stands in for ``sys.stdout`` when it is closed: writing raises one clear error."""

    encoding = "utf-8"

    def writable(self) -> bool:  # noqa: D102 (io hook)
        return True

    def isatty(self) -> bool:  # noqa: D102 (io hook)
        return False

    def write(self, text: str) -> int:  # noqa: D102 (io hook)
        raise _StdoutClosedError(errno.EBADF, "standard output is closed")


#: Signals turned into a clean exit (status 128 + N) that removes temporary files.
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _on_stop_signal(signum: int, frame) -> None:
    """Signal handler: ignore further stop signals, then unwind through the cleanups."""
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)  # a second SIGTERM must not cut the cleanup short
    raise _Stopped(signum)


def _install_signal_handlers() -> dict[int, object]:
    """Handle SIGTERM and SIGHUP (unless ignored, as under nohup); return the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in _STOP_SIGNALS:
        current = signal.getsignal(sig)
        if current is signal.SIG_IGN:
            continue
        old[sig] = current
        signal.signal(sig, _on_stop_signal)
    return old


def _prepare_streams() -> None:
    """Make stdout and stderr safe to write: closed ones, encodings without Unicode.

    A character the stream's encoding cannot take (a Latin-1 or ASCII terminal, a lone
    surrogate from a JSON escape) is written as U+FFFD or ``?`` instead of raising.
    A closed stdout becomes a stand-in that fails with one line when written to; a
    closed stderr becomes /dev/null.
    """
    from ..text import REPLACE_ERRORS

    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (process-long)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
                reconfigure(errors=REPLACE_ERRORS)


def _stdout_to_devnull() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail.

    As the Python documentation recommends for SIGPIPE (``signal`` module, "Note on
    SIGPIPE").
    """
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as one line on stderr, without the source path and line."""
    say(f"threat-coverage: warning: {printable(str(message))}")


def _click_error(err: CoverageError) -> click.ClickException:
    """Return the click error that tells ``err`` in one line, with option names.

    A :class:`~coverage.errors.ConflictError` (options that cannot go together)
    becomes a usage error (exit status 2); every other error exit status 1.
    Control and bidi characters are escaped so that the line cannot be spoofed.
    """
    if isinstance(err, ConflictError):
        return click.UsageError(printable(option_words(str(err), err.parameter)))
    if isinstance(err, ParameterError):
        return click.ClickException(printable(option_words(str(err), err.parameter)))
    return click.ClickException(printable(str(err)))


class _Group(click.Group):
    """The group: a CoverageError from any command reaches the user as one line.

    See :func:`_click_error`; :func:`main` prints it.
    """

    def invoke(self, ctx: click.Context):  # noqa: D102 (click hook)
        try:
            return super().invoke(ctx)
        except CoverageError as err:
            raise _click_error(err) from err


def _exit_status(err: BaseException) -> int:
    """Say in one line why the run ended early; return the exit status.

    Raises
    ------
    BaseException
        ``err`` itself when it is not one of the ends handled here (a bug).
    """
    if isinstance(err, _Stopped):
        say(f"threat-coverage: stopped by {signal.Signals(err.signum).name}")
        return 128 + err.signum
    if isinstance(err, click.UsageError):
        command = err.ctx.command_path if err.ctx else "threat-coverage"
        say(f"{command}: error: {printable(err.format_message())} (see --help)")
        return 2
    if isinstance(err, click.ClickException):
        say(f"threat-coverage: error: {printable(err.format_message())}")
        return 1
    if isinstance(err, click.Abort):
        say("threat-coverage: aborted")
        return 1
    if isinstance(err, _StdoutClosedError):  # `threat-coverage systems >&-`
        say("threat-coverage: error: standard output is closed; nothing was printed")
        return 1
    if isinstance(err, BrokenPipeError):  # e.g. `threat-coverage rings ... | head`
        _stdout_to_devnull()
        return 1
    raise err


def main(argv: Sequence[str] | None = None) -> None:
    """Run the console script: every error becomes one line on stderr.

    click prints usage errors over several lines (usage, hint, error); here each is
    one line naming the command and the option, exit status 2. Other click errors
    and every CoverageError exit with status 1. SIGTERM and SIGHUP stop the work
    cleanly (no temporary file left, an existing output untouched) with status
    128 + the signal number. A closed or broken standard output ends with status 1
    and at most one line.

    Raises
    ------
    SystemExit
        Always, with the exit status.
    """
    _prepare_streams()
    old_handlers = _install_signal_handlers()
    old_showwarning = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        cli.main(args=argv, prog_name="threat-coverage", standalone_mode=False)
    except (_Stopped, click.ClickException, click.Abort, OSError) as err:
        raise SystemExit(_exit_status(err)) from None
    finally:
        warnings.showwarning = old_showwarning
        for sig, handler in old_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="threat-coverage")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
def cli(verbose: int) -> None:
    """Exact geodesic range rings, and honest verdicts on what missiles can reach.

    Distances are geodesic on the WGS84 ellipsoid, in kilometres; coordinates are
    decimal degrees, longitude first. Exit status: 0 success, 1 bad input or
    data, 2 usage error.
    """
    logging.basicConfig(
        level=logging.WARNING - 10 * verbose,
        format="threat-coverage: %(message)s",
        stream=sys.stderr,
    )
    clash = _clash.clash_message()
    if clash is not None:
        click.echo(clash[0], err=True)


for _command in (rings, systems, sites, definitions, claim, map_command, timeline):
    cli.add_command(_command)
