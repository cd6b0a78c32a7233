"""The ``threat-coverage`` command line: parse, call the library, format. No maths here.

Exit status: 0 success; 1 bad input or data (one line on stderr, never a
traceback); 2 usage error (click's own message). A genuine bug still shows its
traceback: that is a bug report.
"""

from __future__ import annotations

import sys

from . import _clash

_CLASH = _clash.clash_message()
if _CLASH is not None and _CLASH[1]:  # coverage.py's __init__ replaced ours: stop here, clearly
    sys.stderr.write(_CLASH[0] + "\n")
    raise SystemExit(1)

import contextlib  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import click  # noqa: E402

from . import __version__  # noqa: E402
from .errors import CoverageError, ParameterError  # noqa: E402

log = logging.getLogger("coverage")

FORMATS = ("geojson", "kml", "csv")


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a CoverageError into one line on stderr and exit status 1."""
    try:
        yield
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
    "site_ids",
    multiple=True,
    metavar="ID",
    help="Basing site id from the catalogue (see `threat-coverage sites`); repeatable.",
)
system_opt = click.option(
    "--system",
    "system_ids",
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
    help="Maximum range in kilometres (geodesic, WGS84), instead of --system.",
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
    "omitted: standard output.",
)
format_opt = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format; by default taken from the -o extension, else geojson.",
)
tolerance_opt = click.option(
    "--tolerance-km",
    type=KmParam(),
    default=None,
    metavar="KM",
    help="Largest gap between a drawn ring edge and the true geodesic circle, km "
    "[default: max(1 km, 0.1% of the range)].",
)
quiet_opt = click.option("-q", "--quiet", is_flag=True, help="No progress display.")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the console script: every error becomes one line on stderr.

    click prints usage errors over several lines (usage, hint, error); here each is
    one line naming the command and the option, exit status 2. Other click errors
    and every CoverageError exit with status 1.
    """
    try:
        cli.main(args=argv, prog_name="threat-coverage", standalone_mode=False)
    except click.UsageError as err:
        command = err.ctx.command_path if err.ctx else "threat-coverage"
        click.echo(f"{command}: error: {_printable(err.format_message())} (see --help)", err=True)
        raise SystemExit(2) from None
    except click.ClickException as err:
        click.echo(f"threat-coverage: error: {_printable(err.format_message())}", err=True)
        raise SystemExit(1) from None
    except click.Abort:
        click.echo("threat-coverage: aborted", err=True)
        raise SystemExit(1) from None
    except BrokenPipeError:  # e.g. `threat-coverage rings ... | head`
        sys.stderr.close()
        raise SystemExit(1) from None


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


def _format_for(fmt: str | None, output: Path | None) -> str:
    """Return the output format: --format, else the -o extension, else geojson.

    Raises
    ------
    click.UsageError
        For an extension that names no format we write (``.html`` points to maps).
    """
    if fmt:
        return fmt
    suffix = output.suffix.lower().lstrip(".") if output and str(output) != "-" else ""
    known = {"": "geojson", "json": "geojson", "geojson": "geojson", "kml": "kml", "csv": "csv"}
    if suffix in known:
        return known[suffix]
    if suffix in ("html", "htm"):
        raise click.UsageError(
            f"-o {output}: maps are written by `threat-coverage map -o FILE.html` or "
            "`claim --map FILE.html`; -o takes .geojson, .kml or .csv"
        )
    raise click.UsageError(
        f"-o {output}: cannot tell the format from '.{suffix}'; give --format geojson|kml|csv"
    )


def resolve_sites(catalog, site_ids: Sequence[str], points: Sequence[tuple[float, float]]):
    """Return the sites named by --site ids and --at points, in order given.

    ``catalog`` may be None when there are no site ids (only --at points).
    """
    from .rings import ad_hoc_site

    sites = [catalog.site(s) for s in site_ids] if site_ids else []
    for i, (lon, lat) in enumerate(points):
        site = ad_hoc_site(lon, lat)
        sites.append(site.model_copy(update={"id": f"point-{i + 1}"}))
    return sites


def resolve_pairs(catalog, sites, system_ids, range_km, min_range_km, kind):
    """Return (site, system, figure) triples for --system ids and/or --range-km."""
    from .rings import ad_hoc_figure

    pairs = []
    if range_km is not None:
        figure = ad_hoc_figure(range_km, min_km=min_range_km)
        pairs += [(site, None, figure) for site in sites]
    for system_id in system_ids:
        system = catalog.system(system_id)
        figures = system.figures(None if kind == "all" else kind)
        if not figures:
            raise ParameterError(f"system {system_id!r} has no {kind} range figure")
        targets = sites or catalog.sites_of(system_id)
        if not targets:
            raise ParameterError(
                f"system {system_id!r} has no known site; give --site ID or --at LON,LAT"
            )
        pairs += [(site, system, f) for site in targets for f in figures]
    return pairs


@cli.command()
@range_opt
@min_range_opt
@system_opt
@kind_opt
@at_opt
@site_opt
@systems_file_opt
@tolerance_opt
@format_opt
@output_opt
@quiet_opt
def rings(
    range_km,
    min_range_km,
    system_ids,
    kind,
    points,
    site_ids,
    systems_file,
    tolerance_km,
    fmt,
    output,
    quiet,
):
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
    if range_km is None and not system_ids:
        raise click.UsageError("give --range-km KM or --system ID")
    if min_range_km and range_km is None:
        raise click.UsageError("--min-range-km needs --range-km")
    if range_km is not None and not (points or site_ids):
        raise click.UsageError("give at least one centre: --at LON,LAT or --site ID")
    fmt = _format_for(fmt, output)
    with _user_errors():
        needs_catalog = bool(system_ids or site_ids or systems_file)
        catalog = _catalog(systems_file) if needs_catalog else None
        sites = resolve_sites(catalog, site_ids, points)
        pairs = resolve_pairs(catalog, sites, system_ids, range_km, min_range_km, kind)
        from .rings import build_rings

        built = build_rings(
            pairs, tolerance_km=tolerance_km, progress=_progress(quiet, "Drawing rings")
        )
        from . import exports

        text = exports.render_rings(built, fmt)
        exports.write_text(output, text)


def _console():
    import os

    from rich.console import Console

    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    return Console(
        width=width if width else (None if sys.stdout.isatty() else 120),
        highlight=False,
        soft_wrap=False,
    )


def _emit_json(obj) -> None:
    """Print JSON on stdout (escaping control and bidi characters on a terminal)."""
    from .exports import to_json_text, write_text

    write_text(None, to_json_text(obj, indent=2))


json_opt = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON for machines instead of a table."
)


def _show(as_json: bool, records, table) -> None:
    """Print ``records()`` as JSON, or ``table()`` as a rich table (both built lazily)."""
    if as_json:
        _emit_json(records())
    else:
        _console().print(table())


@cli.command()
@systems_file_opt
@json_opt
def systems(systems_file, as_json):
    """List the known systems with every range figure (km), its kind and source."""
    from .tables import systems_table

    with _user_errors():
        catalog = _catalog(systems_file)
    _show(as_json, lambda: [s.model_dump() for s in catalog], lambda: systems_table(catalog))


@cli.command()
@systems_file_opt
@json_opt
def sites(systems_file, as_json):
    """List the known basing sites (lon/lat degrees) with what is based there and sources."""
    from .tables import sites_table

    with _user_errors():
        catalog = _catalog(systems_file)
    _show(
        as_json,
        lambda: [s.model_dump() for s in catalog.sites.values()],
        lambda: sites_table(catalog),
    )


@cli.command()
@json_opt
def definitions(as_json):
    """List the definitions of "Europe's capitals" with their counts and sources."""
    from .tables import definitions_table
    from .targets import load_definitions

    with _user_errors():
        defs = load_definitions()
    _show(
        as_json,
        lambda: [d.model_dump() for d in defs.values()],
        lambda: definitions_table(defs.values()),
    )


@dataclass(frozen=True)
class ClaimRequest:
    """The options of `claim` and `map` that say which claim to judge (or an ad hoc one)."""

    claim_id: str | None
    system_ids: tuple[str, ...]
    range_km: float | None
    min_range_km: float
    site_ids: tuple[str, ...]
    points: tuple[tuple[float, float], ...]
    share: float | None
    definition: str | None
    kind: str
    systems_file: Path | None
    targets_file: Path | None
    territories: bool
    claims_file: Path | None
    quiet: bool

    @property
    def is_ad_hoc(self) -> bool:
        """True when the options describe an ad hoc check rather than a named claim."""
        return bool(self.system_ids or self.range_km is not None or self.site_ids or self.points)


def claim_options(func):
    """Add the options shared by `claim` and `map`; pass them as one ClaimRequest."""

    @functools.wraps(func)
    def wrapper(**kwargs):
        fields = {name: kwargs.pop(name) for name in ClaimRequest.__dataclass_fields__}
        return func(ClaimRequest(**fields), **kwargs)

    for decorator in reversed(
        [
            click.argument("claim_id", required=False, metavar="[CLAIM_ID]"),
            system_opt,
            range_opt,
            min_range_opt,
            site_opt,
            at_opt,
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


def _verdict(request: ClaimRequest):
    """Resolve the options of `claim`/`map` into a Verdict (all errors are CoverageErrors)."""
    from .claims import (
        DEFAULT_CLAIM,
        DEFAULT_CLAIMS,
        ad_hoc_claim,
        evaluate_claim,
        find_claim,
        judge,
        load_claims,
    )
    from .targets import DEFAULT_DEFINITION, load_definitions, load_targets, load_territories

    ad_hoc = request.is_ad_hoc
    if ad_hoc and request.claim_id:
        raise click.UsageError(
            "give either CLAIM_ID or ad hoc options (--system/--range-km, --site/--at), not both"
        )
    if request.min_range_km and request.range_km is None:
        raise click.UsageError("--min-range-km needs --range-km")
    if ad_hoc and request.claims_file:
        raise click.UsageError(
            "--claims FILE names claims to judge by id; ad hoc options need no file"
        )
    if request.share is not None and not (0 < request.share <= 1):
        raise ParameterError(f"--share must be a fraction in (0, 1], got {request.share!r}")
    with _status(request.quiet, "Judging the claim"):
        catalog = _catalog(request.systems_file)
        defs = load_definitions()
        kind_filter = None if request.kind == "all" else request.kind
        if not ad_hoc:
            claims = load_claims(request.claims_file or DEFAULT_CLAIMS)
            claim = find_claim(request.claim_id or DEFAULT_CLAIM, claims)
            if request.territories:
                raise click.UsageError(
                    "--territories applies to ad hoc claims; a named claim says itself "
                    f"what it is about (claim {claim.id!r}: {claim.reading.targets})"
                )
            if request.targets_file and claim.reading.targets == "territories":
                raise click.UsageError(
                    f"claim {claim.id!r} is about countries' territories; --targets FILE "
                    "holds points, so it cannot be judged on them"
                )
            if request.share is not None:
                claim = claim.model_copy(
                    update={"reading": claim.reading.model_copy(update={"share": request.share})}
                )
            targets = None
            if request.targets_file:
                targets = load_targets(
                    request.targets_file, definition=request.definition, definitions=defs
                )
            return evaluate_claim(
                claim,
                catalog,
                targets,
                definition=request.definition,
                kind=kind_filter,
                definitions=defs,
            )
        if request.range_km is None and not request.system_ids:
            raise click.UsageError("an ad hoc claim needs --range-km KM or --system ID")
        sites = resolve_sites(catalog, request.site_ids, request.points)
        if not sites and request.system_ids:
            sites = [s for sid in request.system_ids for s in catalog.sites_of(sid)]
        if not sites:
            raise click.UsageError("an ad hoc claim needs --site ID or --at LON,LAT")
        pairs = resolve_pairs(
            catalog, sites, request.system_ids, request.range_km, request.min_range_km, request.kind
        )
        figures, seen = [], set()
        for _, system, figure in pairs:
            key = (system.id if system else None, figure)
            if key not in seen:
                seen.add(key)
                figures.append((system, figure))
        if request.targets_file and request.territories:
            raise click.UsageError("give --targets FILE or --territories, not both")
        if request.targets_file:
            targets = load_targets(
                request.targets_file, definition=request.definition, definitions=defs
            )
        elif request.territories:
            targets = load_territories(
                definition=request.definition or DEFAULT_DEFINITION, definitions=defs
            )
        else:
            targets = load_targets(
                definition=request.definition or DEFAULT_DEFINITION, definitions=defs
            )
        claim = ad_hoc_claim(
            0.5 if request.share is None else request.share,
            systems=list(request.system_ids) or ["given"],
            sites=[s.id for s in sites],
            definition=(targets.definition.id if targets.definition else DEFAULT_DEFINITION),
        )
        return judge(claim, sites, figures, targets, definitions=defs)


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
    "--map",
    "map_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.html",
    help="Also write the map of the verdict (single offline HTML file).",
)
@format_opt
@output_opt
def claim(request: ClaimRequest, as_json, all_rows, map_file, fmt, output):
    """Judge a claim and print the verdict with the numbers behind it.

    With no CLAIM_ID, judges the default claim: Grybauskaite, 5 February 2018,
    "Iskanders in Kaliningrad put half of Europe's capitals in danger" (see
    data/claims.yaml). A target is in range when its geodesic distance (WGS84, km)
    to the nearest launch site is <= the range; the claim is judged at every range
    figure of the system, declared and estimated.

    Ad hoc claims use the options of `rings`: --system ID or --range-km KM, with
    --site ID or --at LON,LAT, plus --share and --definition.

    \b
    Examples:
      threat-coverage claim
      threat-coverage claim grybauskaite-2015-berlin --json
      threat-coverage claim --system oreshnik --site krichev --share 1 --definition eu27
      threat-coverage claim --range-km 1000 --at 20.51,54.71 --map claim.html
      threat-coverage claim --format csv -o capitals.csv
    """
    export_to_stdout = (output is not None or fmt is not None) and (
        output is None or str(output) == "-"
    )
    if as_json and export_to_stdout:
        raise click.UsageError(
            "--json and an export to standard output: choose one, or give -o FILE"
        )
    fmt = _format_for(fmt, output) if (output is not None or fmt is not None) else None
    _check_html(map_file, "--map")
    with _user_errors():
        verdict = _verdict(request)
        if map_file:
            _write_map(verdict, map_file, request)
        if fmt is not None:
            from . import exports

            exports.write_text(output, exports.render_verdict(verdict, fmt))
            if export_to_stdout:
                return
    if as_json:
        from .claims import verdict_to_dict

        _emit_json(verdict_to_dict(verdict))
    else:
        from .tables import verdict_renderable

        _console().print(verdict_renderable(verdict, max_rows=None if all_rows else 25))
    if map_file and not request.quiet:
        click.echo(f"threat-coverage: map written to {map_file}", err=True)


def _check_html(path: Path | None, option: str) -> None:
    """Refuse a map file name that does not end in .html or .htm (a usage error)."""
    if path is not None and path.suffix.lower() not in (".html", ".htm"):
        raise click.UsageError(f"{option} {path}: a map is an HTML file; name it *.html")


def _write_map(verdict, path: Path, request: ClaimRequest, *, tiles: str | None = None) -> None:
    """Render the map of a verdict and write it atomically, with a spinner on a terminal.

    An ad hoc check without --share claims nothing: its map shows the rings and the
    targets in and out of range, but no verdict panel.
    """
    with _status(request.quiet, "Drawing the map"):
        from .maps import coverage_map, save_map, verdict_map

        if request.is_ad_hoc and request.share is None:
            from .exports import verdict_rings

            m = coverage_map(
                verdict_rings(verdict), targets=verdict.targets, sites=verdict.sites, tiles=tiles
            )
        else:
            m = verdict_map(verdict, tiles=tiles)
        save_map(m, path)


@cli.command(name="map")
@claim_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="FILE.html",
    help="HTML file to write (atomically; single file, works offline).",
)
@click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="Add online tiles (e.g. OpenStreetMap); by default the map needs no network.",
)
def map_command(request: ClaimRequest, output, tiles):
    """Write an interactive map (one offline HTML file) of a claim or of ad hoc rings.

    Takes the options of `claim`: rings are drawn for every range figure from every
    launch site (declared solid, estimated dashed), targets coloured in/out of range
    with their distance in km, and a panel with the verdict and sources. Ad hoc
    rings get a verdict panel only when --share says what is claimed.

    \b
    Examples:
      threat-coverage map -o kaliningrad.html
      threat-coverage map --system sarmat --site uzhur -o sarmat.html
    """
    _check_html(output, "-o")
    with _user_errors():
        _write_map(_verdict(request), output, request, tiles=tiles)
    if not request.quiet:
        click.echo(f"threat-coverage: map written to {output}", err=True)
