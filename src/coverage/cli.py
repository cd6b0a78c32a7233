"""The ``threat-coverage`` command line: parse, call the library, format. No maths here.

Exit status: 0 success; 1 bad input or data (one line on stderr, never a
traceback); 2 usage error (click's own message); 128 + N when stopped by signal N
(SIGTERM 143, SIGHUP 129), after removing any temporary file. A genuine bug still
shows its traceback: that is a bug report.
"""

from __future__ import annotations

import sys

from . import _clash

_CLASH = _clash.clash_message()
if _CLASH is not None and _CLASH[1]:  # coverage.py's __init__ replaced ours: stop here, clearly
    sys.stderr.write(_CLASH[0] + "\n")
    raise SystemExit(1)

import contextlib  # noqa: E402
import errno  # noqa: E402
import functools  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import click  # noqa: E402

from . import __version__  # noqa: E402
from .errors import CoverageError, ParameterError  # noqa: E402

log = logging.getLogger("coverage")

#: Formats of `rings -o` and `claim -o` (``json`` is the verdict, `claim` only).
FORMATS = ("geojson", "kml", "csv", "xlsx")
CLAIM_FORMATS = ("json", *FORMATS)

#: What a file name's extension says about its format. One table for every command,
#: so that a new output (e.g. a static figure: ``"png": "png"``) is one line here plus
#: the command's list of formats it writes (see :func:`_output_format`).
SUFFIX_FORMATS = {
    "geojson": "geojson",
    "json": "json",
    "kml": "kml",
    "csv": "csv",
    "xlsx": "xlsx",
    "html": "html",
    "htm": "html",
    "png": "png",
    "svg": "svg",
    "pdf": "pdf",
}

#: What `map -o` and `claim --map` write: the HTML page (the default) or a static figure.
MAP_FORMATS = ("html", "png", "svg", "pdf")


#: The command line's name for each library parameter that a message may name.
OPTION_NAMES = {
    "claim_id": "CLAIM_ID",
    "systems": "--system",
    "range_km": "--range-km",
    "max_km": "--range-km",
    "min_range_km": "--min-range-km",
    "min_km": "--min-range-km",
    "sites": "--site",
    "points": "--at",
    "areas": "--area",
    "area_files": "--area-file",
    "sector": "--sector",
    "defences": "--defence",
    "threat_altitude_m": "--threat-altitude-m",
    "radar_height_m": "--radar-height-m",
    "share": "--share",
    "definition": "--definition",
    "kind": "--kind",
    "systems_file": "--systems",
    "targets_file": "--targets",
    "targets": "--targets",
    "claims_file": "--claims",
    "territories": "--territories",
    "tiles": "--tiles",
    "size_px": "--size",
    "tolerance_km": "--tolerance-km",
    "path": "-o",
}


def _option_words(message: str, parameter: str | None = None) -> str:
    """Name the command line's options where a library message names its parameters.

    Library messages name parameters in three ways, each unambiguous: a leading
    ``name:`` for the parameter at fault (``share: must be ...``), a name in
    backticks (``give `points` or `sites```), or a name with an underscore
    (``range_km``). Each known one becomes its option (see :data:`OPTION_NAMES`).
    """
    import re

    lead = message.split(":", 1)[0]
    if lead in OPTION_NAMES and (parameter is None or parameter == lead):
        message = OPTION_NAMES[lead] + message[len(lead) :]
    message = re.sub(r"`(\w+)`", lambda m: OPTION_NAMES.get(m.group(1), m.group(1)), message)
    underscored = "|".join(re.escape(n) for n in OPTION_NAMES if "_" in n)
    pattern = rf"(?<![\w-])(?:{underscored})(?!\w)"
    return re.sub(pattern, lambda m: OPTION_NAMES[m.group(0)], message)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a CoverageError into one line on stderr: exit 2 for a conflict, else 1.

    Messages of ParameterError name library parameters: they are given the
    command line's option names (see :data:`OPTION_NAMES`).
    """
    from .errors import ConflictError

    try:
        yield
    except ConflictError as err:
        raise click.UsageError(_printable(_option_words(str(err), err.parameter))) from err
    except ParameterError as err:
        raise click.ClickException(_printable(_option_words(str(err), err.parameter))) from err
    except CoverageError as err:
        raise click.ClickException(_printable(str(err))) from err


def _printable(text: str) -> str:
    """Escape control and bidi characters so terminal output cannot be spoofed."""
    from .text import printable

    return printable(text)


class LonLatParam(click.ParamType):
    """``LON,LAT`` in decimal degrees, longitude first (``--at=-70.5,40`` for a negative lon)."""

    name = "LON,LAT"

    def convert(self, value, param, ctx):  # noqa: D102 (click hook)
        if isinstance(value, tuple):
            return value
        parts = str(value).replace(" ", "").split(",")
        if len(parts) != 2:
            self.fail(f"expected LON,LAT (longitude first), got {value!r}", param, ctx)
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            self.fail(f"expected two numbers LON,LAT, got {value!r}", param, ctx)
        from .errors import CoordinateError
        from .geodesy import check_lonlat

        try:
            check_lonlat(lon, lat)
        except CoordinateError as err:
            self.fail(f"{value!r}: {err}", param, ctx)
        return (lon, lat)


class SizeParam(click.ParamType):
    """A static figure's size, ``WIDTHxHEIGHT`` in pixels (e.g. ``1200x675``)."""

    name = "WxH"

    def convert(self, value, param, ctx):  # noqa: D102 (click hook)
        if isinstance(value, tuple):
            return value
        from .render.static import parse_size

        try:
            return parse_size(str(value))
        except ParameterError as err:
            self.fail(str(err).removeprefix("size_px: "), param, ctx)


#: Extensions of static figures (`map -o`, `claim --map`): written by coverage.render.static.
STATIC_SUFFIXES = (".png", ".svg", ".pdf")

size_opt = click.option(
    "--size",
    "size_px",
    type=SizeParam(),
    default=None,
    metavar="WxH",
    help="Size of a .png, .svg or .pdf map in pixels, WIDTHxHEIGHT [default: 1800x1200, "
    "12 x 8 inches at 150 pixels per inch; 1200x675 makes a social card].",
)


def _is_static(path: Path | None) -> bool:
    """Return True for a map file name ending in .png, .svg or .pdf (a static figure)."""
    return path is not None and path.suffix.lower() in STATIC_SUFFIXES


def _check_size(size_px, path: Path | None, option: str) -> None:
    """Refuse --size unless the map is a static figure (a usage error)."""
    if size_px is not None and not _is_static(path):
        raise click.UsageError(f"--size applies to a .png, .svg or .pdf {option} file")


class KmParam(click.ParamType):
    """A distance in kilometres: finite and > 0 (or >= 0 for a minimum)."""

    name = "KM"

    def __init__(self, *, allow_zero: bool = False) -> None:
        self.allow_zero = allow_zero

    def convert(self, value, param, ctx):  # noqa: D102 (click hook)
        try:
            km = float(value)
        except (TypeError, ValueError):
            self.fail(f"expected a number of kilometres, got {value!r}", param, ctx)
        import math

        if not math.isfinite(km) or km < 0 or (km == 0 and not self.allow_zero):
            bound = ">= 0" if self.allow_zero else "> 0"
            self.fail(f"must be a finite distance {bound} km, got {value!r}", param, ctx)
        return km


# Shared options, as rasterio's rio/options.py keeps them.
at_opt = click.option(
    "--at",
    "points",
    type=LonLatParam(),
    multiple=True,
    metavar="LON,LAT",
    help="Centre in decimal degrees, longitude first; repeatable. Use --at=-70.5,40 "
    "for a negative longitude.",
)
site_opt = click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="ID",
    help="Basing site id from the catalogue (see `threat-coverage sites`); repeatable.",
)
area_opt = click.option(
    "--area",
    "areas",
    multiple=True,
    metavar="ID",
    help="Launch area by id (e.g. kaliningrad-oblast): launchers anywhere inside it; "
    "distances from its nearest point, km (0 inside). Repeatable.",
)
area_file_opt = click.option(
    "--area-file",
    "area_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="GeoJSON Polygon or MultiPolygon (lon/lat degrees, split at ±180, holes "
    "allowed; edges are geodesics) used as a launch area. Repeatable.",
)
sector_opt = click.option(
    "--sector",
    "sector",
    default=None,
    metavar="FROM,TO",
    help="Only directions from FROM clockwise to TO, degrees from true north at each "
    "origin (e.g. 300,60 wraps through north); a target counts when its forward "
    "geodesic azimuth lies in it.",
)
system_opt = click.option(
    "--system",
    "systems",
    multiple=True,
    metavar="ID",
    help="System id (see `threat-coverage systems`): one ring per range figure; repeatable.",
)
range_opt = click.option(
    "--range-km",
    "range_km",
    type=KmParam(),
    default=None,
    metavar="KM",
    help="Maximum range in kilometres (geodesic, WGS84): a range of your own, instead of "
    "--system (not with it: --system uses the system's sourced figures).",
)
min_range_opt = click.option(
    "--min-range-km",
    "min_range_km",
    type=KmParam(allow_zero=True),
    default=0.0,
    metavar="KM",
    show_default=True,
    help="Minimum range in kilometres with --range-km; draws an annulus.",
)
kind_opt = click.option(
    "--kind",
    type=click.Choice(["all", "declared", "estimated"]),
    default="all",
    show_default=True,
    help="Which range figures of a system to use.",
)
systems_file_opt = click.option(
    "--systems",
    "systems_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Extra systems/sites YAML in the format of data/systems.yaml, added to the bundled one.",
)
targets_file_opt = click.option(
    "--targets",
    "targets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Targets GeoJSON (named points) used instead of the bundled capitals.",
)
output_opt = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    metavar="FILE",
    help="Write to FILE (atomically: a failed run never leaves a partial file); '-' or "
    "omitted: standard output. A device (/dev/null) or FIFO is written into, never "
    "replaced; a socket is refused.",
)
format_opt = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: from the -o extension (.geojson/.json, .kml, .csv, "
    ".xlsx), else geojson]; a --format that the extension contradicts is refused.",
)
claim_format_opt = click.option(
    "--format",
    "fmt",
    type=click.Choice(CLAIM_FORMATS),
    default=None,
    help="Format of -o: json (the verdict, as --json prints it), geojson, kml, csv (one "
    "row per target) or xlsx (a sheet per table, with the sources) [default: from the -o "
    "extension]; a --format that the extension contradicts is refused.",
)
tolerance_opt = click.option(
    "--tolerance-km",
    type=KmParam(),
    default=None,
    metavar="KM",
    help="Largest gap between a drawn ring edge and the true geodesic circle, km "
    "[default: 0.1% of the range, at least 5 m].",
)
quiet_opt = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No progress display and no notes on stderr ('wrote FILE', where each --at point "
    "lies); warnings and errors stay.",
)


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
    from .text import REPLACE_ERRORS

    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (process-long)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
                reconfigure(errors=REPLACE_ERRORS)


def _say(line: str) -> None:
    """Write one line on stderr; a stderr that is gone is not an error of its own."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(line, err=True)


def _stdout_to_devnull() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail.

    As the Python documentation recommends for SIGPIPE (``signal`` module, "Note on
    SIGPIPE").
    """
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
    except _Stopped as stop:
        _say(f"threat-coverage: stopped by {signal.Signals(stop.signum).name}")
        raise SystemExit(128 + stop.signum) from None
    except click.UsageError as err:
        command = err.ctx.command_path if err.ctx else "threat-coverage"
        _say(f"{command}: error: {_printable(err.format_message())} (see --help)")
        raise SystemExit(2) from None
    except click.ClickException as err:
        _say(f"threat-coverage: error: {_printable(err.format_message())}")
        raise SystemExit(1) from None
    except click.Abort:
        _say("threat-coverage: aborted")
        raise SystemExit(1) from None
    except _StdoutClosedError:  # `threat-coverage systems >&-`
        _say("threat-coverage: error: standard output is closed; nothing was printed")
        raise SystemExit(1) from None
    except BrokenPipeError:  # e.g. `threat-coverage rings ... | head`: the reader left
        _stdout_to_devnull()
        raise SystemExit(1) from None
    finally:
        warnings.showwarning = old_showwarning
        for sig, handler in old_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as one line on stderr, without the source path and line."""
    _say(f"threat-coverage: warning: {_printable(str(message))}")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    if _CLASH is not None:
        click.echo(_CLASH[0], err=True)


def _progress(quiet: bool, description: str):
    """Return a wrapper that shows a rich progress bar on stderr for longer work lists."""

    def wrap(work: Sequence):
        if quiet or len(work) < 4:
            return work
        from rich.console import Console
        from rich.progress import track

        return track(work, description=description, console=Console(stderr=True), transient=True)

    return wrap


def _catalog(systems_file: Path | None):
    from .systems import DEFAULT_SYSTEMS, load_catalog

    return load_catalog([DEFAULT_SYSTEMS] + ([systems_file] if systems_file else []))


def _output_format(
    fmt: str | None, output: Path | None, formats: Sequence[str], *, option: str = "-o"
) -> str:
    """Return the format to write: ``--format``, else the extension of ``output``.

    ``formats`` lists what the command writes, its default first. A name whose
    extension says nothing (``-``, a device, no extension) takes ``--format`` or the
    default; an extension naming no format takes ``--format`` (refused without it);
    ``.json`` means GeoJSON where the command writes no other JSON. Static
    figures (``.png``...) slot in by adding their suffix to :data:`SUFFIX_FORMATS`
    and to the command's ``formats``.

    Raises
    ------
    click.UsageError
        For an extension that names no format the command writes, or one that
        contradicts ``--format`` (one line, exit 2).
    """
    suffix = "" if output is None or _is_stream(output) else output.suffix.lower().lstrip(".")
    said = SUFFIX_FORMATS.get(suffix)
    if said == "json" and "json" not in formats and "geojson" in formats:
        said = "geojson"
    if formats[0] == "html" and said not in formats and not _is_stream(output):
        hint = " (a CLAIM_ID goes before --map)" if option == "--map" and not suffix else ""
        raise click.UsageError(
            f"{option} {output}: a map is an HTML file (*.html) or a static figure "
            f"(*.png, *.svg, *.pdf){hint}"
        )
    if suffix and said is None and not fmt:
        choices = "|".join(formats)
        raise click.UsageError(
            f"{option} {output}: cannot tell the format from '.{suffix}'; name the file "
            f"*.{formats[0]} or give --format {choices}"
        )
    if said is not None and said not in formats:
        if said == "html":
            raise click.UsageError(
                f"{option} {output}: maps are written by `threat-coverage map -o FILE.html` "
                "or `claim --map FILE.html`; -o takes " + ", ".join(f".{f}" for f in formats)
            )
        raise click.UsageError(
            f"{option} {output}: this command does not write {said}; it writes "
            + ", ".join(formats)
        )
    if fmt and said and fmt != said:
        raise click.UsageError(
            f"{option} {output}: the extension says {said} but --format says {fmt}; "
            "make them agree or drop --format"
        )
    return fmt or said or formats[0]


def _wrote(path: Path | None, what: str, *, quiet: bool) -> None:
    """Say on stderr that a file was written, in the same words for every command.

    Nothing for standard output (``-``) or with ``-q``.
    """
    if quiet or path is None or str(path) == "-":
        return
    _say(f"threat-coverage: wrote {_printable(str(path))} ({what})")


def _is_stream(path: Path | None) -> bool:
    """Return True for ``-`` and for outputs written into, not replaced (devices, FIFOs)."""
    if path is None:
        return False
    if str(path) == "-":
        return True
    from ._atomic import check_target
    from .errors import ExportError

    try:
        return check_target(path)[0] != "replace"
    except ExportError:
        return False


def _check_output(path: Path | None) -> None:
    """Refuse an output that cannot be written before any long work (no file is made).

    Raises
    ------
    ExportError
        For a socket, a block device, a folder, a read-only file or a missing folder.
    """
    if path is None or str(path) == "-":
        return
    from ._atomic import check_target

    check_target(path)


@cli.command()
@range_opt
@min_range_opt
@system_opt
@kind_opt
@at_opt
@site_opt
@area_opt
@area_file_opt
@sector_opt
@systems_file_opt
@tolerance_opt
@format_opt
@output_opt
@quiet_opt
def rings(fmt, output, quiet, **fields):
    """Draw geodesic range rings around points or sites.

    One ring per centre and range: --range-km KM for a given range, or --system ID
    for every range figure of a system (declared and estimated, each labelled).
    Centres come from --at LON,LAT and --site ID; with --system alone, the
    system's known sites are used. Output is GeoJSON by default (one feature per
    ring, with centre, range in km and source), KML or CSV with --format.

    \b
    Examples:
      threat-coverage rings --range-km 500 --at 20.51,54.71
      threat-coverage rings --system iskander-m --site chernyakhovsk -o rings.geojson
      threat-coverage rings --range-km 1000 --at=-170,60 --format kml -o ring.kml
    """
    fmt = _output_format(fmt, output, FORMATS)
    with _user_errors():
        _check_output(output)
        from .checks import Request, resolve_envelopes

        request = Request(**fields)
        drawn = resolve_envelopes(request)
        for envelope in _progress(quiet, "Drawing rings")(drawn):
            envelope.geometry  # noqa: B018 (drawn here, under the progress bar)
        from . import exports

        _write_export(output, fmt, lambda: exports.render_rings(drawn, fmt))
        _echo_points(request, quiet=quiet)
    _wrote(output, fmt, quiet=quiet)


def _echo_points(request, *, quiet: bool, targets=None) -> None:
    """Say where each ``--at`` point lies (country or sea); warn when it looks swapped.

    The echo is left out with ``-q``; the warning (``did you mean --at LAT,LON?``,
    see :func:`coverage.where.swap_hint`) is not. ``targets`` are the check's (the
    bundled capitals for `rings`).
    """
    if not request.points:
        return
    from .where import country_at, swap_hint

    if targets is None:
        from .targets import load_targets

        targets = load_targets()
    named = [(t.name, t.lon, t.lat) for t in targets]
    for lon, lat in request.points:
        if not quiet:
            sign = "=" if lon < 0 else " "
            _say(f"threat-coverage: --at{sign}{lon:g},{lat:g} lies {country_at(lon, lat).phrase}")
        hint = swap_hint(lon, lat, named)
        if hint is not None:
            _say(f"threat-coverage: warning: {_printable(hint.text)}")


def _write_export(output: Path | None, fmt: str, render) -> None:
    """Write an export atomically (standard output for None or ``-``).

    A CSV file (not standard output) starts with a UTF-8 byte-order mark, so that
    Excel opened by double-click reads UTF-8 (LibreOffice and pandas skip it).

    Raises
    ------
    ExportError
        If the output cannot be written.
    """
    from .exports import write_text

    if fmt == "csv" and output is not None and not _is_stream(output):
        write_text(output, lambda: "\ufeff" + render())
    else:
        write_text(output, render)


def _console():
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


def _print_table(renderable) -> None:
    """Print a rich renderable on stdout; off a terminal, without trailing spaces.

    rich pads every line of a table to the console's width; a pipe or a file gets the
    lines with their right ends stripped, so that ``diff``, ``grep`` and editors see
    only the text.
    """
    console = _console()
    if sys.stdout.isatty():
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().split("\n"))
    sys.stdout.write(text)
    sys.stdout.flush()


def _emit_json(obj) -> None:
    """Print JSON on stdout (escaping control and bidi characters on a terminal)."""
    from .exports import to_json_text, write_text

    write_text(None, to_json_text(obj, indent=2))


json_opt = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON for machines instead of a table (claim: with -o FILE, write it there).",
)
wide_opt = click.option(
    "--wide",
    is_flag=True,
    help="Every column, with the sources' titles and links (folded); by default one "
    "compact line per row that fits the terminal.",
)


def _null_dates(obj):
    """Return JSON-ready data with every missing date (``"n.d."`` in the data) as null."""
    if isinstance(obj, dict):
        return {k: None if k == "date" and v == "n.d." else _null_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_null_dates(v) for v in obj]
    return obj


def _show(as_json: bool, records, table) -> None:
    """Print ``records()`` as JSON, or ``table()`` as a rich table (both built lazily)."""
    if as_json:
        _emit_json(records())
    else:
        _print_table(table())


@cli.command()
@systems_file_opt
@json_opt
@wide_opt
def systems(systems_file, as_json, wide):
    """List the known systems: one line per range figure (km), its kind and source."""
    from .tables import systems_table

    with _user_errors():
        catalog = _catalog(systems_file)
    _show(
        as_json,
        lambda: _null_dates([s.model_dump() for s in catalog]),
        lambda: systems_table(catalog, wide=wide, console_width=_console().width),
    )


@cli.command()
@systems_file_opt
@json_opt
@wide_opt
def sites(systems_file, as_json, wide):
    """List the known basing sites (lon/lat degrees) with what is based there and sources."""
    from .tables import sites_table

    with _user_errors():
        catalog = _catalog(systems_file)
    _show(
        as_json,
        lambda: _null_dates(
            [
                {**s.model_dump(), "kind": catalog.role_of(s), "shape": s.kind}
                for s in catalog.sites.values()
            ]
        ),
        lambda: sites_table(catalog, wide=wide),
    )


@cli.command()
@json_opt
@wide_opt
def definitions(as_json, wide):
    """List the definitions of "Europe's capitals" with their counts and sources."""
    from .tables import definitions_table
    from .targets import load_definitions

    with _user_errors():
        defs = load_definitions()
    _show(
        as_json,
        lambda: _null_dates([d.model_dump() for d in defs.values()]),
        lambda: definitions_table(defs.values(), wide=wide),
    )


def claim_options(func):
    """Add the options shared by `claim` and `map`; pass them as one checks.Request.

    The options' names are the Request's fields, so that the command passes what was
    typed to the library as it is.
    """

    @functools.wraps(func)
    def wrapper(**kwargs):
        from .checks import Request

        names = [n for n in Request.__dataclass_fields__ if n != "tolerance_km"]
        fields = {name: kwargs.pop(name) for name in names}
        return func(Request(**fields), **kwargs)

    for decorator in reversed(
        [
            click.argument("claim_id", required=False, metavar="[CLAIM_ID]"),
            system_opt,
            range_opt,
            min_range_opt,
            site_opt,
            at_opt,
            area_opt,
            area_file_opt,
            sector_opt,
            click.option(
                "--defence",
                "defences",
                multiple=True,
                metavar="SYSTEM@SITE",
                help="An air or missile defence (e.g. patriot-pac-3-mse@warsaw-babice): "
                "which targets it covers against the threat's class, by exact distance "
                "(its sourced figure against that class; capped at the radar horizon "
                "against cruise missiles and aircraft). Repeatable.",
            ),
            click.option(
                "--threat-altitude-m",
                type=click.FloatRange(min=0),
                default=None,
                metavar="M",
                help="The threat's altitude above the surface for the defences' radar "
                "horizon, metres [default: 50 for cruise missiles, 1000 for aircraft "
                "(assumptions); none for ballistic missiles].",
            ),
            click.option(
                "--radar-height-m",
                type=click.FloatRange(min=0),
                default=None,
                metavar="M",
                help="The defences' radar antenna height, metres [default: the system's "
                "sourced height, else 4 (an assumption: trailer-mounted)].",
            ),
            click.option(
                "--share",
                type=click.FloatRange(0, 1, min_open=True),
                default=None,
                metavar="FRACTION",
                help="Share of the targets claimed to be in range, in (0, 1] "
                "[default: the claim's, else 0.5 ('half' = at least half)].",
            ),
            click.option(
                "--definition",
                default=None,
                metavar="ID",
                help="Definition of “Europe's capitals” (see `threat-coverage definitions`) "
                "[default: the claim's, else europe-all]. Filters only targets that carry "
                "membership.",
            ),
            kind_opt,
            systems_file_opt,
            targets_file_opt,
            click.option(
                "--territories",
                is_flag=True,
                help="Ad hoc claims: count a country as reached when any point of its territory "
                "is in range (distance to its nearest point, km), instead of its capital.",
            ),
            click.option(
                "--claims",
                "claims_file",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                metavar="FILE",
                help="Claims YAML instead of the bundled data/claims.yaml.",
            ),
            quiet_opt,
        ]
    ):
        wrapper = decorator(wrapper)
    return wrapper


def _verdict(request, *, quiet: bool, for_map: str | None = None):
    """Judge what the options of `claim`/`map` ask: one library call (coverage.checks.check).

    ``for_map`` names the command when a map will be drawn: then more targets than
    a map can show are refused right after loading them, before judging.
    """
    from .checks import check

    max_targets = None
    if for_map:
        from .render.leaflet import MAX_MAP_TARGETS

        max_targets = MAX_MAP_TARGETS
    with _status(quiet, "Judging the claim"):
        return check(request, max_targets=max_targets)


@contextlib.contextmanager
def _status(quiet: bool, message: str):
    """Show a rich spinner on stderr while work runs (not with --quiet or off a terminal)."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


@cli.command()
@claim_options
@json_opt
@click.option(
    "--all", "all_rows", is_flag=True, help="List every target (default: the 25 nearest)."
)
@click.option(
    "--wide",
    is_flag=True,
    help="Show the sources' titles and links in the tables (by default they are listed "
    "once, below the tables).",
)
@click.option(
    "--map",
    "map_file",
    type=str,
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE.html|.png|.svg|.pdf]",
    help="Also write the map of the verdict: a single offline HTML file, or a static "
    "figure (.png, .svg or .pdf; see --size); without FILE, an HTML map named after the "
    "check (e.g. grybauskaite-2018-capitals.html) in the current folder. For the map on "
    "standard output use `threat-coverage map -o -`.",
)
@size_opt
@claim_format_opt
@output_opt
def claim(request, quiet, as_json, all_rows, wide, map_file, size_px, fmt, output):
    """Judge a claim and print the verdict with the numbers behind it.

    With no CLAIM_ID, judges the default claim: Grybauskaite, 5 February 2018,
    "Iskanders in Kaliningrad put half of Europe's capitals in danger" (see
    data/claims.yaml). A target is in range when its geodesic distance (WGS84, km)
    to the nearest launch site is <= the range; the claim is judged at every range
    figure of the system, declared and estimated.

    Ad hoc claims use the options of `rings`: --system ID or --range-km KM, with
    --site ID or --at LON,LAT, plus --share and --definition.

    -o FILE writes the format of --format or of the file's extension (.json: the
    verdict as --json prints it; .geojson, .kml, .csv, .xlsx) and the table still
    goes to the terminal; -o - puts the format on standard output instead.

    \b
    Examples:
      threat-coverage claim
      threat-coverage claim grybauskaite-2015-berlin --json
      threat-coverage claim --json -o claim.json
      threat-coverage claim --system oreshnik --site krichev --share 1 --definition eu27
      threat-coverage claim --range-km 1000 --at 20.51,54.71 --map claim.html
      threat-coverage claim --map claim.png --size 1200x675
      threat-coverage claim --format xlsx -o capitals.xlsx
      threat-coverage claim --format csv -o - | head
    """
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(
            f"--json and --format {fmt}: --json is --format json; choose one (with "
            "-o FILE for a file)"
        )
    as_json = as_json or fmt == "json"
    asked = "json" if as_json else fmt
    export = output is not None or asked not in (None, "json")
    fmt = _output_format(asked, output, CLAIM_FORMATS) if export else asked
    export_to_stdout = export and (output is None or str(output) == "-")
    map_path = None if map_file is None else (Path(map_file) if map_file else None)
    if map_file is not None and map_file == "-":
        raise click.UsageError(
            "--map -: the verdict goes to standard output; write the map there with "
            "`threat-coverage map -o -`"
        )
    if map_path is not None:
        _output_format(None, map_path, MAP_FORMATS, option="--map")
    _check_size(size_px, map_path, "--map")
    with _user_errors():
        _check_output(output)
        _check_output(map_path)
        verdict = _verdict(request, quiet=quiet, for_map="claim" if map_file is not None else None)
        if map_file is not None:
            map_path = map_path or Path(_default_map_name(request, verdict))
            _check_output(map_path)
            _write_map(verdict, map_path, request, quiet=quiet, size_px=size_px)
        if export and fmt == "json":
            _write_export(output, fmt, lambda: _render_claim(verdict, fmt))
        elif export:  # streamed: rows are written as they are produced
            from .exports import write_verdict

            bom = fmt == "csv" and output is not None and not _is_stream(output)
            write_verdict(output, verdict, fmt, bom=bom)
    if not export_to_stdout:
        if as_json and not export:
            from .claims import verdict_to_dict

            _emit_json(verdict_to_dict(verdict))
        else:
            from .tables import verdict_renderable

            _print_table(
                verdict_renderable(
                    verdict,
                    max_rows=None if all_rows else 25,
                    wide=wide,
                    console_width=_console().width,
                )
            )
    with _user_errors():
        _echo_points(request, quiet=quiet, targets=verdict.targets)
    if map_path is not None:
        _wrote(map_path, _map_format(map_path), quiet=quiet)
    if export:
        _wrote(output, fmt, quiet=quiet)


def _render_claim(verdict, fmt: str) -> str | bytes:
    """Render a verdict in ``fmt``: ``json`` (as --json prints it) or an export format."""
    from . import exports

    if fmt == "json":
        from .claims import verdict_to_dict

        return exports.to_json_text(verdict_to_dict(verdict), indent=2)
    return exports.render_verdict(verdict, fmt)


def _default_map_name(request, verdict) -> str:
    """Return a map file name derived from the check, e.g. ``grybauskaite-2018-capitals.html``.

    A named claim gives its id; an ad hoc check its systems (or range) and origins,
    e.g. ``iskander-m-from-chernyakhovsk.html`` or ``1000km-from-20.51e-54.71n.html``.
    Only ``a-z``, ``0-9``, ``.``, ``-`` and ``_``, at most 100 characters before ``.html``.
    """
    import re

    if not request.is_ad_hoc:
        stem = verdict.claim.id
    else:
        what = list(request.systems)
        if request.range_km is not None:
            what.insert(0, f"{request.range_km:g}km")
        origins = [*request.sites, *request.areas]
        origins += [
            f"{abs(lon):g}{'e' if lon >= 0 else 'w'}-{abs(lat):g}{'n' if lat >= 0 else 's'}"
            for lon, lat in request.points
        ]
        origins += [Path(str(f)).stem for f in request.area_files]
        stem = "-".join(what) + ("-from-" + "-".join(origins) if origins else "")
    stem = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-.") or "map"
    return stem[:100] + ".html"


def _write_map(
    verdict, path: Path, request, *, quiet: bool, tiles: str | None = None, size_px=None
) -> None:
    """Render the map of a verdict and write it atomically, with a spinner on a terminal.

    An ad hoc check without --share claims nothing: its map shows the rings and the
    targets in and out of range, but no verdict panel. ``path`` ``-`` writes the page
    to standard output; a name ending in .png, .svg or .pdf gets the static figure
    (coverage.render.static) of ``size_px`` pixels.

    Raises
    ------
    CoverageError
        If the map cannot be drawn or written (ExportError).
    """
    claims = not (request.is_ad_hoc and request.share is None)
    if _is_static(path):
        with _status(quiet, "Drawing the figure"):
            from .render.static import render_verdict

            render_verdict(verdict, path, size_px=size_px, panel=claims)
        return
    with _status(quiet, "Drawing the map"):
        from .render.leaflet import save_map, verdict_map

        m = verdict_map(verdict, tiles=tiles, panel=claims)
        if str(path) == "-":
            from .exports import write_text
            from .render.leaflet import render_html

            write_text(None, lambda: render_html(m))
        else:
            save_map(m, path)


@cli.command(name="map")
@claim_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    metavar="FILE.html|.png|.svg|.pdf",
    help="HTML file to write (atomically; single file, works offline) [default: named "
    "after the check, e.g. grybauskaite-2018-capitals.html, in the current folder]; '-' "
    "for standard output. A name ending in .png, .svg or .pdf gets a static figure "
    "instead (see --size). A device (/dev/null) or FIFO is written into, never replaced; "
    "a socket is refused.",
)
@size_opt
@click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="Add online tiles under the map, with their attribution: osm, topo, satellite "
    "or humanitarian (or an xyzservices name such as Esri.WorldTopoMap); the page then "
    "needs a network. By default none: the map works offline.",
)
def map_command(request, quiet, output, size_px, tiles):
    """Write a map of a claim or of ad hoc rings: one offline HTML file, or a static figure.

    A name ending in .png, .svg or .pdf gets a static figure (print, social cards;
    SVG text stays editable text), drawn from the same scene as the HTML map.

    Takes the options of `claim`: rings are drawn for every range figure from every
    launch site (declared solid, estimated dashed), targets coloured in/out of range
    with their distance in km, and a panel with the verdict and sources. Ad hoc
    rings get a verdict panel only when --share says what is claimed. Without -o,
    the file is named after the check and its name is printed.

    \b
    Examples:
      threat-coverage map
      threat-coverage map --system sarmat --site uzhur -o sarmat.html
      threat-coverage map -o - > kaliningrad.html
      threat-coverage map -o kaliningrad.png --size 1200x675
      threat-coverage map --system sarmat --site uzhur -o sarmat.svg
    """
    if output is not None:
        _output_format(None, output, MAP_FORMATS)
    _check_size(size_px, output, "-o")
    with _user_errors():
        _check_output(output)
        verdict = _verdict(request, quiet=quiet, for_map="map")
        if output is None:
            output = Path(_default_map_name(request, verdict))
            _check_output(output)
        _write_map(verdict, output, request, quiet=quiet, tiles=tiles, size_px=size_px)
        _echo_points(request, quiet=quiet, targets=verdict.targets)
    _wrote(output, _map_format(output), quiet=quiet)


def _map_format(path: Path) -> str:
    """Name a map in `wrote FILE (...)`: ``map`` (HTML) or e.g. ``png figure`` (static)."""
    return f"{path.suffix.lower().lstrip('.')} figure" if _is_static(path) else "map"
