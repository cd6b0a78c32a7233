"""What the commands write, and where: one list of formats, and the checks on output names.

:data:`FORMATS` is the one list of output formats of the whole command line: a
format's name, the file name extensions that say it, and what it holds. Every
command's list (:data:`RINGS_FORMATS`, :data:`CLAIM_FORMATS`, :data:`MAP_FORMATS`)
and the reading of an extension (:func:`output_format`) come from it; a new output
is one line here. The library's own lists (``coverage.exports.FORMATS``,
``coverage.render.static.FORMATS``) agree with it (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

__all__ = [
    "BINARY_FORMATS",
    "CLAIM_FORMATS",
    "FORMATS",
    "MAP_FORMATS",
    "RINGS_FORMATS",
    "STATIC_FORMATS",
    "SUFFIX_FORMATS",
    "Format",
    "check_output",
    "check_size",
    "is_static",
    "is_stream",
    "map_format",
    "output_format",
    "write_export",
    "write_binary",
]


@dataclass(frozen=True)
class Format:
    """One output format: its name, the extensions that say it and what it holds.

    Attributes
    ----------
    name : str
        The name ``--format`` takes.
    suffixes : tuple of str
        File name extensions (lower case, no dot) that say this format.
    holds : {"data", "layers", "targets", "verdict", "page", "figure"}
        Features and tables (`rings -o`, `claim -o`), a GeoPackage of every layer
        (`rings -o`, `claim -o`), the targets as GeoParquet (`claim -o`), the verdict
        as JSON (`claim`), the HTML map page or a static figure (`map -o`, `claim --map`).
    """

    name: str
    suffixes: tuple[str, ...]
    holds: str


#: Every output format of the command line.
FORMATS = (
    Format("geojson", ("geojson",), "data"),
    Format("kml", ("kml",), "data"),
    Format("csv", ("csv",), "data"),
    Format("xlsx", ("xlsx",), "data"),
    Format("gpkg", ("gpkg",), "layers"),
    Format("parquet", ("parquet",), "targets"),
    Format("json", ("json",), "verdict"),
    Format("html", ("html", "htm"), "page"),
    Format("png", ("png",), "figure"),
    Format("svg", ("svg",), "figure"),
    Format("pdf", ("pdf",), "figure"),
)

#: What a file name's extension says about its format.
SUFFIX_FORMATS = {suffix: f.name for f in FORMATS for suffix in f.suffixes}


def _holding(*holds: str) -> tuple[str, ...]:
    return tuple(f.name for f in FORMATS if f.holds in holds)


#: What `rings -o` writes, its default first.
RINGS_FORMATS = _holding("data", "layers")
#: What `claim -o` writes: the verdict as JSON, the data formats, or GeoParquet.
CLAIM_FORMATS = _holding("verdict") + _holding("data", "layers", "targets")
#: Binary files built whole by the library (a SQLite database, Parquet row groups).
BINARY_FORMATS = _holding("layers", "targets")
#: What `map -o` and `claim --map` write: the HTML page (the default) or a static figure.
MAP_FORMATS = _holding("page", "figure")
#: Static figures, written by coverage.render.static.
STATIC_FORMATS = _holding("figure")


def is_static(path: Path | None) -> bool:
    """Return True for a map file name ending in .png, .svg or .pdf (a static figure)."""
    return path is not None and path.suffix.lower().lstrip(".") in STATIC_FORMATS


def check_size(size_px, path: Path | None, option: str) -> None:
    """Refuse --size unless the map is a static figure (a usage error)."""
    if size_px is not None and not is_static(path):
        raise click.UsageError(f"--size applies to a .png, .svg or .pdf {option} file")


def is_stream(path: Path | None) -> bool:
    """Return True for ``-`` and for outputs written into, not replaced (devices, FIFOs)."""
    if path is None:
        return False
    if str(path) == "-":
        return True
    from .._atomic import check_target
    from ..errors import ExportError

    try:
        return check_target(path)[0] != "replace"
    except ExportError:
        return False


def check_output(path: Path | None) -> None:
    """Refuse an output that cannot be written before any long work (no file is made).

    Raises
    ------
    ExportError
        For a socket, a block device, a folder, a read-only file or a missing folder.
    """
    if path is None or str(path) == "-":
        return
    from .._atomic import check_target

    check_target(path)


def output_format(
    fmt: str | None, output: Path | None, formats: Sequence[str], *, option: str = "-o"
) -> str:
    """Return the format to write: ``--format``, else the extension of ``output``.

    ``formats`` lists what the command writes, its default first. A name whose
    extension says nothing (``-``, a device, no extension) takes ``--format`` or the
    default; an extension naming no format takes ``--format`` (refused without it);
    ``.json`` means GeoJSON where the command writes no other JSON.

    Raises
    ------
    click.UsageError
        For an extension that names no format the command writes, or one that
        contradicts ``--format`` (one line, exit 2).
    """
    suffix, said = _extension(output, formats)
    where = f"{option} {output}"
    if formats[0] == "html" and said not in formats and not is_stream(output):
        raise click.UsageError(_not_a_map(where, suffix, option))
    if suffix and said is None and not fmt:
        raise click.UsageError(
            f"{where}: cannot tell the format from '.{suffix}'; name the file "
            f"*.{formats[0]} or give --format {'|'.join(formats)}"
        )
    if said is not None and said not in formats:
        raise click.UsageError(_not_written(where, said, formats))
    if fmt and said and fmt != said:
        raise click.UsageError(
            f"{where}: the extension says {said} but --format says {fmt}; "
            "make them agree or drop --format"
        )
    return fmt or said or formats[0]


def _extension(output: Path | None, formats: Sequence[str]) -> tuple[str, str | None]:
    """Return an output name's extension and the format it says; nothing for a stream.

    ``.json`` says GeoJSON where the command writes no other JSON.
    """
    suffix = "" if output is None or is_stream(output) else output.suffix.lower().lstrip(".")
    said = SUFFIX_FORMATS.get(suffix)
    if said == "json" and "json" not in formats and "geojson" in formats:
        said = "geojson"
    return suffix, said


def _not_a_map(where: str, suffix: str, option: str) -> str:
    """Say that a map name names no map format (a CLAIM_ID put after --map, perhaps)."""
    hint = " (a CLAIM_ID goes before --map)" if option == "--map" and not suffix else ""
    return f"{where}: a map is an HTML file (*.html) or a static figure (*.png, *.svg, *.pdf){hint}"


def _not_written(where: str, said: str, formats: Sequence[str]) -> str:
    """Say that a command does not write the format an extension names."""
    if said == "html":
        return (
            f"{where}: maps are written by `threat-coverage map -o FILE.html` "
            "or `claim --map FILE.html`; -o takes " + ", ".join(f".{f}" for f in formats)
        )
    return f"{where}: this command does not write {said}; it writes " + ", ".join(formats)


def map_format(path: Path) -> str:
    """Name a map in `wrote FILE (...)`: ``map`` (HTML) or e.g. ``png figure`` (static)."""
    return f"{path.suffix.lower().lstrip('.')} figure" if is_static(path) else "map"


def write_export(output: Path | None, fmt: str, render: Callable[[], str | bytes]) -> None:
    """Write an export atomically (standard output for None or ``-``).

    A CSV file (not standard output) starts with a UTF-8 byte-order mark, so that
    Excel opened by double-click reads UTF-8 (LibreOffice and pandas skip it).

    Raises
    ------
    ExportError
        If the output cannot be written.
    """
    from ..exports import write_text

    if fmt == "csv" and output is not None and not is_stream(output):
        write_text(output, lambda: "\ufeff" + render())
    else:
        write_text(output, render)


def write_binary(output: Path | None, write: Callable[[Path], object]) -> None:
    """Write a GeoPackage or GeoParquet file with ``write(path)``; to standard output for ``-``.

    These formats are written by GDAL or Arrow to a file; for ``-`` (or no ``-o``)
    the finished file's bytes are copied to standard output, which must not be a
    terminal.

    Raises
    ------
    click.UsageError
        For standard output that is a terminal (one line, exit 2).
    ExportError
        If the output cannot be written.
    """
    if output is not None and str(output) != "-":
        write(output)
        return
    import shutil
    import sys
    import tempfile

    from .._atomic import TEMP_PREFIX

    if sys.stdout.isatty():
        raise click.UsageError(
            "-o -: a GeoPackage or GeoParquet file is binary and is not written to a "
            "terminal; give -o FILE or redirect standard output"
        )
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as scratch:
        tmp = Path(scratch) / "out"
        write(tmp)
        sys.stdout.flush()
        with open(tmp, "rb") as finished:
            shutil.copyfileobj(finished, sys.stdout.buffer)
        sys.stdout.buffer.flush()
