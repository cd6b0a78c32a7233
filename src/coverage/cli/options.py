"""Options shared by the commands, as rasterio's ``rio/options.py`` keeps them.

Each option's destination is the library's parameter name (``--at`` fills
``points``), so that a command passes what was typed to
:class:`coverage.checks.Request` as it is. Parameter types check values as they
are typed (a longitude and latitude, a distance, a figure size, an output name).

The library names its parameters in its messages (``ParameterError.parameter``,
``range_km`` in the text), never an option: :data:`OPTION_NAMES` is the one table
from parameters to options, read by :func:`option_words` when
:mod:`coverage.cli.main` prints an error.
"""

from __future__ import annotations

import functools
import math
import os
import re
from pathlib import Path

import click

from ..errors import ParameterError
from .outputs import CLAIM_FORMATS, RINGS_FORMATS

__all__ = [
    "OPTION_NAMES",
    "KmParam",
    "DateParam",
    "LonLatParam",
    "OutputPath",
    "SizeParam",
    "option_words",
    "request_options",
]

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
    "as_of": "--as-of",
    "use_later_figures": "--use-later-figures",
}

_UNDERSCORED = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in OPTION_NAMES if "_" in n) + r")(?!\w)"
)


def option_words(message: str, parameter: str | None = None) -> str:
    """Name the command line's options where a library message names its parameters.

    Library messages name parameters in three ways, each unambiguous: a leading
    ``name:`` for the parameter at fault (``share: must be ...``), a name in
    backticks (``give `points` or `sites```), or a name with an underscore
    (``range_km``). Each known one becomes its option (see :data:`OPTION_NAMES`).

    Parameters
    ----------
    message : str
        The library's message.
    parameter : str, optional
        The parameter the error names (``ParameterError.parameter``); a leading
        ``name:`` is translated only when it is this one (or none is named).

    Returns
    -------
    str
    """
    lead = message.split(":", 1)[0]
    if lead in OPTION_NAMES and (parameter is None or parameter == lead):
        message = OPTION_NAMES[lead] + message[len(lead) :]
    message = re.sub(r"`(\w+)`", lambda m: OPTION_NAMES.get(m.group(1), m.group(1)), message)
    return _UNDERSCORED.sub(lambda m: OPTION_NAMES[m.group(0)], message)


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
        from ..errors import CoordinateError
        from ..geodesy import check_lonlat

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
        from ..render.static import parse_size

        try:
            return parse_size(str(value))
        except ParameterError as err:
            self.fail(str(err).removeprefix("size_px: "), param, ctx)


class DateParam(click.ParamType):
    """A day as ISO text: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (checked to be real)."""

    name = "DATE"

    def convert(self, value, param, ctx):  # noqa: D102 (click hook)
        from ..dated import Day

        try:
            return Day.parse(value, parameter="as_of").text
        except ParameterError as err:
            self.fail(str(err).removeprefix("as_of: "), param, ctx)


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
        if not math.isfinite(km) or km < 0 or (km == 0 and not self.allow_zero):
            bound = ">= 0" if self.allow_zero else "> 0"
            self.fail(f"must be a finite distance {bound} km, got {value!r}", param, ctx)
        return km


def refuse_folder_name(value: str, param, ctx) -> None:
    """Refuse an output name ending in a path separator: it names a folder, not a file.

    ``Path("out.png/")`` is ``out.png``: without this check the file would be
    written where a shell (``> out.png/``) refuses.
    """
    text = os.fsdecode(value)
    if text != "-" and text.endswith(("/", os.sep)):
        raise click.BadParameter(
            f"{text!r} ends in {text[-1]!r}, which names a folder; give a file name",
            ctx=ctx,
            param=param,
        )


class OutputPath(click.Path):
    """An output file name, or ``-`` for standard output; never a folder nor a name ending in /."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path, allow_dash=True)

    def convert(self, value, param, ctx):  # noqa: D102 (click hook)
        if isinstance(value, (str, bytes)):
            refuse_folder_name(value, param, ctx)
        return super().convert(value, param, ctx)


def _file_option(flag: str, dest: str, help_text: str):
    """Return an input file option (``FILE``, not a folder), default None."""
    return click.option(
        flag,
        dest,
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="FILE",
        help=help_text,
    )


size_opt = click.option(
    "--size",
    "size_px",
    type=SizeParam(),
    default=None,
    metavar="WxH",
    help="Size of a .png, .svg or .pdf map in pixels, WIDTHxHEIGHT [default: 1800x1200, "
    "12 x 8 inches at 150 pixels per inch; 1200x675 makes a social card].",
)
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
systems_file_opt = _file_option(
    "--systems",
    "systems_file",
    "Extra systems/sites YAML in the format of data/systems.yaml, added to the bundled one.",
)
targets_file_opt = _file_option(
    "--targets",
    "targets_file",
    "Targets GeoJSON (named points) used instead of the bundled capitals.",
)
claims_file_opt = _file_option(
    "--claims", "claims_file", "Claims YAML instead of the bundled data/claims.yaml."
)
output_opt = click.option(
    "-o",
    "--output",
    type=OutputPath(),
    default=None,
    metavar="FILE",
    help="Write to FILE (atomically: a failed run never leaves a partial file); '-' or "
    "omitted: standard output. A device (/dev/null) or FIFO is written into, never "
    "replaced; a socket is refused.",
)
format_opt = click.option(
    "--format",
    "fmt",
    type=click.Choice(RINGS_FORMATS),
    default=None,
    help="Output format [default: from the -o extension (.geojson/.json, .kml, .csv, "
    ".xlsx, .gpkg), else geojson]; a --format that the extension contradicts is refused.",
)
claim_format_opt = click.option(
    "--format",
    "fmt",
    type=click.Choice(CLAIM_FORMATS),
    default=None,
    help="Format of -o: json (the verdict, as --json prints it), geojson, kml, csv (one "
    "row per target), xlsx (a sheet per table, with the sources), gpkg (every layer of the "
    "map, styled for QGIS) or parquet (the targets, GeoParquet) [default: from the -o "
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
json_opt = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON for machines instead of a table (claim: with -o FILE, write it there).",
)
alt_text_opt = click.option(
    "--alt-text",
    "alt_text",
    is_flag=True,
    help="Print the map's alternative text (the claim, its verdict, the counts per range "
    "figure and the sites, in plain sentences) for a CMS's alt field, instead of the table "
    "(claim) or after writing the map (map). The same text is in the HTML map and in "
    ".png, .svg and .pdf figures.",
)
wide_opt = click.option(
    "--wide",
    is_flag=True,
    help="Every column, with the sources' titles and links (folded); by default one "
    "compact line per row that fits the terminal.",
)
defence_opt = click.option(
    "--defence",
    "defences",
    multiple=True,
    metavar="SYSTEM@SITE",
    help="An air or missile defence (e.g. patriot-pac-3-mse@warsaw-babice): "
    "which targets it covers against the threat's class, by exact distance "
    "(its sourced figure against that class; capped at the radar horizon "
    "against cruise missiles and aircraft). Repeatable.",
)
threat_altitude_opt = click.option(
    "--threat-altitude-m",
    type=click.FloatRange(min=0),
    default=None,
    metavar="M",
    help="The threat's altitude above the surface for the defences' radar "
    "horizon, metres [default: 50 for cruise missiles, 1000 for aircraft "
    "(assumptions); none for ballistic missiles].",
)
radar_height_opt = click.option(
    "--radar-height-m",
    type=click.FloatRange(min=0),
    default=None,
    metavar="M",
    help="The defences' radar antenna height, metres [default: the system's "
    "sourced height, else 4 (an assumption: trailer-mounted)].",
)
share_opt = click.option(
    "--share",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    metavar="FRACTION",
    help="Share of the targets claimed to be in range, in (0, 1] "
    "[default: the claim's, else 0.5 ('half' = at least half)].",
)
definition_opt = click.option(
    "--definition",
    default=None,
    metavar="ID",
    help="Definition of “Europe's capitals” (see `threat-coverage definitions`) "
    "[default: the claim's, else europe-all]. Filters only targets that carry "
    "membership.",
)
territories_opt = click.option(
    "--territories",
    is_flag=True,
    help="Ad hoc claims: count a country as reached when any point of its territory "
    "is in range (distance to its nearest point, km), instead of its capital.",
)

as_of_opt = click.option(
    "--as-of",
    "as_of",
    type=DateParam(),
    default=None,
    metavar="DATE",
    help="Judge as of this day, YYYY-MM-DD (or YYYY-MM, YYYY: its first day): the "
    "members of the dated definitions (eu, nato-europe, council-of-europe, "
    "un-europe) and the sites in place that day [default: a bundled claim's own "
    "date, else today].",
)

use_later_figures_opt = click.option(
    "--use-later-figures",
    "use_later_figures",
    is_flag=True,
    help="Also judge at the range figures whose source was published after the day "
    "judged (--as-of, or a bundled claim's own date). By default they are left out, "
    "and the output names each one, its publication date and what it would change.",
)

#: The options of `claim` and `map`, in the order --help lists them.
REQUEST_OPTIONS = (
    click.argument("claim_id", required=False, metavar="[CLAIM_ID]"),
    system_opt,
    range_opt,
    min_range_opt,
    site_opt,
    at_opt,
    area_opt,
    area_file_opt,
    sector_opt,
    defence_opt,
    threat_altitude_opt,
    radar_height_opt,
    share_opt,
    definition_opt,
    as_of_opt,
    use_later_figures_opt,
    kind_opt,
    systems_file_opt,
    targets_file_opt,
    territories_opt,
    claims_file_opt,
    quiet_opt,
)


def request_options(func):
    """Add the options shared by `claim` and `map`; pass them as one checks.Request.

    The options' names are the Request's fields, so that the command passes what was
    typed to the library as it is.
    """

    @functools.wraps(func)
    def wrapper(**kwargs):
        from ..checks import Request

        names = [n for n in Request.__dataclass_fields__ if n != "tolerance_km"]
        fields = {name: kwargs.pop(name) for name in names}
        return func(Request(**fields), **kwargs)

    for decorator in reversed(REQUEST_OPTIONS):
        wrapper = decorator(wrapper)
    return wrapper
