"""``threat-coverage claim``: judge a claim and print the verdict with the numbers behind it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from .map import judge_request, print_alt_text, write_map
from .options import (
    alt_text_opt,
    claim_format_opt,
    json_opt,
    output_opt,
    request_options,
    size_opt,
)
from .outputs import (
    BINARY_FORMATS,
    CLAIM_FORMATS,
    MAP_FORMATS,
    check_output,
    check_size,
    is_stream,
    map_format,
    output_format,
    write_binary,
    write_export,
)
from .terminal import console, echo_points, emit_json, print_table, wrote

__all__ = ["claim"]

#: Targets listed in the terminal table without --all.
SHOWN_ROWS = 25


@dataclass(frozen=True)
class _Outputs:
    """Where `claim` puts the verdict, read from --json, --format and -o.

    ``fmt`` is the format of ``-o`` (or of standard output when ``export`` goes
    there); ``json_on_stdout`` prints the verdict as JSON instead of the table.
    """

    fmt: str | None
    export: bool
    export_to_stdout: bool
    json_on_stdout: bool


def _outputs(as_json: bool, fmt: str | None, output: Path | None) -> _Outputs:
    """Read --json, --format and -o together (a usage error when they disagree)."""
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(
            f"--json and --format {fmt}: --json is --format json; choose one (with "
            "-o FILE for a file)"
        )
    as_json = as_json or fmt == "json"
    asked = "json" if as_json else fmt
    export = output is not None or asked not in (None, "json")
    return _Outputs(
        fmt=output_format(asked, output, CLAIM_FORMATS) if export else asked,
        export=export,
        export_to_stdout=export and (output is None or str(output) == "-"),
        json_on_stdout=as_json and not export,
    )


def _map_path(map_file: str | None, size_px) -> Path | None:
    """Return the --map file name (None: no map, or one named after the check).

    Raises
    ------
    click.UsageError
        For ``-`` (the verdict has standard output), a name ending in ``/``, a name
        that is no map, or --size for an HTML map.
    """
    if map_file == "-":
        raise click.UsageError(
            "--map -: the verdict goes to standard output; write the map there with "
            "`threat-coverage map -o -`"
        )
    if map_file and map_file.endswith("/"):
        raise click.UsageError(
            f"--map {map_file!r} ends in '/', which names a folder; give a file name"
        )
    path = Path(map_file) if map_file else None
    if path is not None:
        output_format(None, path, MAP_FORMATS, option="--map")
    check_size(size_px, path, "--map")
    return path


def _print_verdict(verdict, *, as_json: bool, all_rows: bool, wide: bool) -> None:
    """Print the verdict on stdout: JSON, or the terminal tables."""
    if as_json:
        from ..claims import verdict_to_dict

        emit_json(verdict_to_dict(verdict))
        return
    from ..tables import hidden_targets, verdict_renderable

    max_rows = None if all_rows else SHOWN_ROWS
    print_table(
        verdict_renderable(verdict, max_rows=max_rows, wide=wide, console_width=console().width)
    )
    hidden = hidden_targets(verdict, max_rows)
    if hidden:  # the tables name no option: the command line says how to see the rest
        click.echo(f"--all lists the {hidden} targets not shown")


def _export(verdict, fmt: str, output: Path | None) -> None:
    """Write ``-o``: JSON whole, GeoPackage and GeoParquet by their writers, the rest streamed."""
    if fmt == "json":
        write_export(output, fmt, lambda: _render(verdict, fmt))
        return
    if fmt in BINARY_FORMATS:
        from ..gpkg import write_geopackage
        from ..parquet import write_geoparquet

        writer = write_geopackage if fmt == "gpkg" else write_geoparquet
        write_binary(output, lambda path: writer(verdict, path))
        return
    from ..exports import write_verdict

    write_verdict(
        output, verdict, fmt, bom=fmt == "csv" and output is not None and not is_stream(output)
    )


def _render(verdict, fmt: str) -> str | bytes:
    """Render a verdict in ``fmt``: ``json`` (as --json prints it) or an export format."""
    from .. import exports

    if fmt == "json":
        from ..claims import verdict_to_dict

        return exports.to_json_text(verdict_to_dict(verdict), indent=2)
    return exports.render_verdict(verdict, fmt)


@click.command()
@request_options
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
@alt_text_opt
def claim(request, quiet, as_json, all_rows, wide, map_file, size_px, fmt, output, alt_text):
    """Judge a claim and print the verdict with the numbers behind it.

    With no CLAIM_ID, judges the default claim: Grybauskaite, 5 February 2018,
    "Iskanders in Kaliningrad put half of Europe's capitals in danger" (see
    data/claims.yaml). A target is in range when its geodesic distance (WGS84, km)
    to the nearest launch site is <= the range; the claim is judged at every range
    figure of the system, declared and estimated.

    Ad hoc claims use the options of `rings`: --system ID or --range-km KM, with
    --site ID or --at LON,LAT, plus --share and --definition.

    -o FILE writes the format of --format or of the file's extension (.json: the
    verdict as --json prints it; .geojson, .kml, .csv, .xlsx, .gpkg with every layer of
    the map, .parquet with the targets) and the table still goes to the terminal;
    -o - puts the format on standard output instead.

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
      threat-coverage claim --alt-text
    """
    out = _outputs(as_json, fmt, output)
    if alt_text and (out.export_to_stdout or out.json_on_stdout):
        raise click.UsageError(
            "--alt-text prints on standard output, which --json or -o - already use; "
            "write the other output to a file with -o FILE"
        )
    map_path = _map_path(map_file, size_px)
    check_output(output)
    check_output(map_path)
    verdict = judge_request(request, quiet=quiet, for_map=map_file is not None)
    from ..alt import _alt_pair  # the map's alt text and the printed one, computed once

    wants_alt = map_file is not None or alt_text
    alt = _alt_pair(verdict.report, request.claims_anything) if wants_alt else None
    if map_file is not None:
        from ..checks import _output_name  # the request and verdict were checked

        map_path = map_path or Path(_output_name(request, verdict))
        check_output(map_path)
        write_map(
            verdict, map_path, alt, panel=request.claims_anything, quiet=quiet, size_px=size_px
        )
    if out.export:
        _export(verdict, out.fmt, output)
    if alt_text:
        print_alt_text(alt)
    elif not out.export_to_stdout:
        _print_verdict(verdict, as_json=out.json_on_stdout, all_rows=all_rows, wide=wide)
    echo_points(request.points, quiet=quiet, targets=verdict.targets)
    if map_path is not None:
        wrote(map_path, map_format(map_path), quiet=quiet)
    if out.export:
        wrote(output, out.fmt, quiet=quiet)
