"""``threat-coverage map``: the map of a claim or of ad hoc rings, HTML or a static figure."""

from __future__ import annotations

from pathlib import Path

import click

from .options import OutputPath, alt_text_opt, request_options, size_opt
from .outputs import MAP_FORMATS, check_output, check_size, is_static, map_format, output_format
from .terminal import echo_points, status, wrote

__all__ = ["map_command", "judge_request", "write_map", "print_alt_text"]


def judge_request(request, *, quiet: bool, for_map: bool = False):
    """Judge what the options of `claim`/`map` ask: one library call (coverage.checks.check).

    With ``for_map``, more targets than a map can show are refused right after
    loading them, before judging.
    """
    from ..checks import check

    max_targets = None
    if for_map:
        from ..render.leaflet import MAX_MAP_TARGETS

        max_targets = MAX_MAP_TARGETS
    with status(quiet, "Judging the claim"):
        return check(request, max_targets=max_targets)


def write_map(
    verdict,
    path: Path,
    alt: tuple[str, str],
    *,
    panel: bool,
    quiet: bool,
    tiles: str | None = None,
    size_px=None,
) -> None:
    """Render the map of a verdict and write it atomically, with a spinner on a terminal.

    ``alt`` is the map's alternative title and text (coverage.alt), computed once per
    command: ``coverage.alt._alt_pair(verdict.report, panel)``. ``panel`` is the
    request's :attr:`coverage.checks.Request.claims_anything`: a check that claims
    nothing gets a map of the rings and the targets in and out of range, but no
    verdict panel (nor a verdict in its alt text). ``path`` ``-`` writes the page to
    standard output; a name ending in .png, .svg or .pdf gets the static figure
    (coverage.render.static) of ``size_px`` pixels.

    Raises
    ------
    CoverageError
        If the map cannot be drawn or written (ExportError).
    """
    if is_static(path):
        with status(quiet, "Drawing the figure"):
            from ..render.static import _write_figure

            _write_figure(verdict, path, size_px, None, panel, alt)
        return
    with status(quiet, "Drawing the map"):
        from ..render.leaflet import _write_html

        _write_html(verdict, path, tiles, panel, alt[1])


def print_alt_text(alt: tuple[str, str]) -> None:
    """Print the alternative text of a verdict's map (``alt`` as :func:`write_map` takes it)."""
    click.echo(alt[1])


@click.command(name="map")
@request_options
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
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
@alt_text_opt
def map_command(request, quiet, output, size_px, tiles, alt_text):
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
        output_format(None, output, MAP_FORMATS)
    check_size(size_px, output, "-o")
    check_output(output)
    if alt_text and output is not None and str(output) == "-":
        raise click.UsageError(
            "--alt-text and -o -: the map goes to standard output; write it to a file"
        )
    verdict = judge_request(request, quiet=quiet, for_map=True)
    if output is None:
        from ..checks import _output_name

        output = Path(_output_name(request, verdict))
        check_output(output)
    from ..alt import _alt_pair

    alt = _alt_pair(verdict.report, request.claims_anything)  # once: the map's and the printed
    write_map(
        verdict,
        output,
        alt,
        panel=request.claims_anything,
        quiet=quiet,
        tiles=tiles,
        size_px=size_px,
    )
    echo_points(request.points, quiet=quiet, targets=verdict.targets)
    wrote(output, map_format(output), quiet=quiet)
    if alt_text:
        print_alt_text(alt)
