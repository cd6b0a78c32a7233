"""``threat-coverage rings``: geodesic range rings around points, sites and areas."""

from __future__ import annotations

import click

from .options import (
    area_file_opt,
    area_opt,
    as_of_opt,
    at_opt,
    format_opt,
    kind_opt,
    min_range_opt,
    output_opt,
    quiet_opt,
    range_opt,
    sector_opt,
    site_opt,
    system_opt,
    systems_file_opt,
    tolerance_opt,
    use_later_figures_opt,
)
from .outputs import RINGS_FORMATS, check_output, output_format, write_binary, write_export
from .terminal import echo_points, progress, say, wrote

__all__ = ["rings"]


@click.command()
@range_opt
@min_range_opt
@system_opt
@kind_opt
@at_opt
@site_opt
@area_opt
@area_file_opt
@sector_opt
@as_of_opt
@use_later_figures_opt
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
    system's known sites are used (with --as-of DATE, those there that day and
    those whose date is not sourced; figures whose source was published after that
    day are left out, and named on stderr, unless --use-later-figures). Output is
    GeoJSON by default (one feature per
    ring, with centre, range in km and source); KML, CSV, XLSX or a GeoPackage (.gpkg)
    with --format or the -o extension.

    \b
    Examples:
      threat-coverage rings --range-km 500 --at 20.51,54.71
      threat-coverage rings --system iskander-m --site chernyakhovsk -o rings.geojson
      threat-coverage rings --range-km 1000 --at=-170,60 --format kml -o ring.kml
    """
    fmt = output_format(fmt, output, RINGS_FORMATS)
    check_output(output)
    from .. import exports
    from ..checks import Request, resolve_envelopes

    request = Request(**fields)
    drawn = _as_of_figures(resolve_envelopes(request), request, quiet)
    for envelope in progress(quiet, "Drawing rings")(drawn):
        envelope.geometry  # noqa: B018 (drawn here, under the progress bar)
    if fmt == "gpkg":
        from ..gpkg import write_rings_geopackage

        write_binary(output, lambda path: write_rings_geopackage(drawn, path))
    else:
        write_export(output, fmt, lambda: exports.render_rings(drawn, fmt))
    echo_points(request.points, quiet=quiet)
    wrote(output, fmt, quiet=quiet)


def _as_of_figures(drawn: list, request, quiet: bool) -> list:
    """Leave out, with --as-of, the figures published after that day, and say which."""
    if request.as_of is None or request.use_later_figures:
        return drawn
    from ..dated import as_of, split_by_publication
    from ..errors import ParameterError
    from ..text import printable

    day = as_of(request.as_of)
    used, later = split_by_publication(drawn, day)
    titles = {e.title: e.figure.source.date for e in later}
    named = "; ".join(f"{t} (source published {d})" for t, d in titles.items())
    if later and not used:
        raise ParameterError(
            f"as_of: every range figure was published after {day} ({named}); set "
            "use_later_figures to draw them",
            parameter="use_later_figures",
        )
    if later and not quiet:
        say(printable(f"threat-coverage: left out, published after {day}: {named}"))
        say("threat-coverage: --use-later-figures draws them")
    return used
