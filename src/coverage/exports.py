"""GeoJSON, KML and CSV output of rings, sites and per-target results.

Every writer writes through :mod:`coverage._atomic`, so a failure leaves no
half-written file and never replaces a good one. ``path`` may be ``"-"`` for standard
output. :func:`write_verdict` streams: CSV and GeoJSON rows are written as they are
produced and XLSX in XlsxWriter's ``constant_memory`` mode (each row goes to disk
once written), so memory does not grow with the number of targets beyond the
verdict itself, except that a verdict's GeoJSON first builds the map's scene (one mark
per target, about 330 bytes each) to know what the map draws (garrisons, defences,
areas); the ``render_*`` functions return the same text or bytes whole.

GeoJSON follows RFC 7946: WGS84 lon/lat, exteriors counter-clockwise, rings that
cross the antimeridian split at +-180 (never wrapped past it), 6 decimals (~0.1 m),
no ``crs`` member.

KML (via simplekml) holds the same rings as Polygons, holes as ``innerBoundaryIs``
and split rings as MultiGeometry, coordinates ``lon,lat``. Every name and description
is escaped here (simplekml's own escaping passes CDATA sections through untouched),
and descriptions are HTML built from escaped values, so a name like ``<script>``
stays text in a viewer's balloon.

CSV uses the csv module (UTF-8, header row, ``\n`` line ends, one row per record).
Every text cell is quoted and numbers are not, so no line break inside a name (``\r``,
``\n``, U+2028 or any other) can start a new row, whichever characters a reader counts
as line ends. Text cells that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``; numbers are
written as numbers, so a negative margin stays ``-12.3``.

Every column has one name in every format (CSV, XLSX, GeoJSON properties, KML
``ExtendedData`` and the GeoPackage): the snake_case ASCII names of
:mod:`coverage.fields`. Per-figure columns are ``margin_km_<figure>`` and
``in_range_<figure>``, the figure's key made plain
(:func:`coverage.fields.plain_name`: ``margin_km_iskander_m_declared_50_500_km``),
per system ``flight_time_min_<system>``. Targets come nearest first in every output.

A verdict's GeoJSON and KML hold what its map draws, as the GeoPackage does
(:func:`coverage.gpkg.map_tables`): the envelopes, the defences' footprints, the
sites (launch, defence and the garrisons the map marks) and the launch areas, then
the targets. KML ``ExtendedData`` is typed through a ``<Schema>`` per layer.

XLSX (via XlsxWriter, :func:`verdict_xlsx`, :func:`rings_xlsx`) holds a sheet per
table and one with the sources; its text cells get the same formula guard as CSV
(and XlsxWriter is told never to turn text into formulas, numbers or links). A text
longer than Excel's 32,767 characters per cell is cut to fit, ending in "…", with a
:class:`coverage.errors.CoverageWarning` naming the sheet and rows.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import numpy as np
import shapely
from shapely.geometry import mapping

from . import _validate as _v
from . import geodesy, stakes
from ._atomic import atomic_write, write_output
from .claims import figure_keys, nearest_first
from .envelopes import Envelope
from .errors import CoverageWarning, ParameterError
from .fields import field, figure_columns, per_figure, plain_name
from .resources import public_source
from .systems import Site, Source, System
from .text import numbered

if TYPE_CHECKING:
    from .claims import Verdict

__all__ = [
    "COORDINATE_DECIMALS",
    "FORMATS",
    "ring_properties",
    "rings_geojson",
    "sites_geojson",
    "verdict_rows",
    "verdict_geojson",
    "rings_kml",
    "verdict_kml",
    "rings_csv",
    "verdict_csv",
    "csv_safe",
    "column_name",
    "nearest_first",
    "verdict_xlsx",
    "rings_xlsx",
    "to_json_text",
    "write_text",
    "render_rings",
    "render_verdict",
    "write_verdict",
    "XLSX_CELL_MAX",
]

#: Decimal places of exported coordinates: 1e-6 degree is about 0.1 m.
COORDINATE_DECIMALS = 6


def _source_properties(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {
            "source_title": None,
            "source_publisher": None,
            "source_url": None,
            "source_date": None,
        }
    return {
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_url": source.url,
        "source_date": None if source.date == "n.d." else source.date,
    }


def _geometry(geom, decimals: int = COORDINATE_DECIMALS) -> dict[str, Any]:
    rounded = shapely.orient_polygons(geodesy.rounded(geom, decimals), exterior_cw=False)
    return _plain(mapping(rounded))


def _plain(obj):
    """Turn shapely's nested tuples into lists (json writes both; lists are clearer)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def ring_properties(envelope: Envelope) -> dict[str, Any]:
    """Return the GeoJSON/CSV properties describing an envelope (km, degrees, source).

    Keys (:data:`coverage.fields.FIELDS`): ``site_id``, ``site_name``, ``centre_lon``,
    ``centre_lat`` (degrees), ``system_id``, ``system_name``, ``figure_kind``,
    ``against``, ``range_km``, ``min_range_km`` (km), ``layer`` (the system and
    figure, as the map's layer), ``figure`` (system id and figure), ``label`` (the
    envelope in words) and the source's ``source_title``, ``source_publisher``,
    ``source_url``, ``source_date``.
    """
    _v.envelope(envelope)
    system = envelope.system
    props = {
        "site_id": envelope.origin.id,
        "site_name": envelope.origin.name,
        "centre_lon": envelope.origin.lon,
        "centre_lat": envelope.origin.lat,
        "system_id": system.id if system else None,
        "system_name": system.name if system else None,
        "figure_kind": envelope.kind,
        "against": envelope.figure.against,
        "range_km": envelope.max_km,
        "min_range_km": envelope.min_km,
        "layer": envelope.title,
        "figure": envelope.short_id,
        "label": envelope.label,
    }
    props.update(_source_properties(envelope.figure.source))
    return props


def rings_geojson(rings: Sequence[Envelope]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection with one feature per ring.

    Each feature's properties hold the centre (``centre_lon``, ``centre_lat``,
    degrees), ``range_km`` and ``min_range_km`` (km), the system and the figure's
    kind and source.
    """
    _v.envelope_sequence(rings, "rings")
    features = [
        {"type": "Feature", "geometry": _geometry(r.geometry), "properties": ring_properties(r)}
        for r in rings
    ]
    return {"type": "FeatureCollection", "features": features}


def sites_geojson(sites: Sequence[Site]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of sites as points.

    Properties (:data:`coverage.fields.FIELDS`): ``site_id``, ``site_name``,
    ``site_kind`` (launch, defence or garrison), ``site_shape``, ``iso_a2``,
    ``unit``, ``since`` (first day, ``YYYY-MM-DD``) and ``since_text`` (as the data
    gives it), ``system_ids`` (separated by ``;``), ``location_precision`` and the
    source's.
    """
    _v.sites(sites)
    features = []
    for s in sites:
        props = {
            "site_id": s.id,
            "site_name": s.name,
            "site_kind": s.role or "launch",
            "site_shape": s.kind,
            "iso_a2": s.country,
            "unit": s.unit,
            "since": _first_day(s.since),
            "since_text": s.since,
            "system_ids": ";".join(s.systems) or None,
            "location_precision": s.location_precision,
        }
        props.update(_source_properties(s.source))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _first_day(date: str | None) -> str | None:
    """``"2018-02"`` -> ``"2018-02-01"``; ``"n.d."`` or None -> None (as the GeoPackage)."""
    from .gpkg import _first_day as first_day

    return first_day(date)


def _finite_or_none(obj):
    """Replace NaN/inf, which JSON cannot hold, with null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite_or_none(v) for v in obj]
    if isinstance(obj, np.generic):
        return _finite_or_none(obj.item())
    return obj


def to_json_text(obj: Any, *, indent: int | None = None) -> str:
    """Serialise to strict JSON text (UTF-8, no NaN), ending with a newline."""
    _v.json_data(obj)
    _v.number(indent, "indent", optional=True, integer=True, low=0)
    return (
        json.dumps(_finite_or_none(obj), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
    )


def write_text(
    path: str | os.PathLike[str] | None, text: str | bytes | Callable[[], str | bytes]
) -> Path | None:
    """Write text to a file atomically, or to standard output for ``None`` or ``"-"``.

    Bytes (an XLSX workbook) are written as they are; to standard output only when
    it is not a terminal.

    ``text`` may also be a function returning the text (e.g.
    ``lambda: render_verdict(v, "kml")``); it is called before anything is written,
    so an exception while rendering leaves any existing file untouched.

    Raises
    ------
    ExportError
        If the file cannot be written; an existing file is left untouched.
    """
    _v.path(path, "path", optional=True)
    _v.content(text)
    return write_output(path, text)


#: Formats of :func:`render_rings` and :func:`render_verdict` (xlsx gives bytes).
FORMATS = ("geojson", "kml", "csv", "xlsx")


def _check_format(fmt: str, what: str) -> str:
    if not isinstance(fmt, str):
        raise ParameterError(
            f"fmt: expected a format name, got {type(fmt).__name__}; use "
            f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}"
        )
    if fmt not in FORMATS:
        raise ParameterError(
            f"format {fmt!r} is not available for {what}; use {', '.join(FORMATS[:-1])} "
            f"or {FORMATS[-1]}"
        )
    return fmt


# ---------------------------------------------------------------------------
# Labels and per-target rows


def verdict_rows(verdict: Verdict, *, given_order: bool = False) -> list[dict[str, Any]]:
    """Return one dict per target of a verdict, nearest first (:func:`nearest_first`).

    ``given_order=True`` keeps the order of the verdict's targets instead (for
    columns added to a caller's own table, :func:`coverage.frames.reach_gdf`).

    Keys: ``name``, ``country``, ``iso_a2``, ``lon``, ``lat`` (degrees),
    ``distance_km`` (geodesic distance to the nearest site, km, full precision),
    ``nearest_site`` (site id), with a sector ``azimuth_deg`` (forward azimuth from
    that site, degrees), then for each range figure of ``verdict.evaluations``
    ``margin_km_<figure>`` (see :meth:`coverage.envelopes.Envelope.margins_km`:
    maximum range minus
    distance, km, positive = inside; inside a minimum range, distance minus minimum)
    and ``in_range_<figure>`` (the verdict's own membership: reached from at
    least one site, ``min_km <= distance <= km``), the figure's key
    (:func:`coverage.claims.figure_keys`) made plain
    (:func:`coverage.fields.figure_columns`). Then per system
    ``flight_time_min_<system>`` (minutes from the nearest
    site, None without a model; see :data:`coverage.stakes.FLIGHT_TIME_MODEL`) and
    ``population`` (the target's own, None when the data has none).
    """
    _v.verdict(verdict)
    _v.flag(given_order, "given_order")
    return list(_iter_rows(verdict, given_order=given_order))


def _iter_rows(verdict: Verdict, *, given_order: bool = False) -> Iterator[dict[str, Any]]:
    """Yield the rows of :func:`verdict_rows` one at a time."""
    pairs = _figure_pairs(verdict)
    # Flight times are worked out row by row, as stakes.flight_times would: held for a
    # million targets, a dict each would cost more than the row being written.
    timed = _timed_systems(verdict)
    order = range(len(verdict.reaches)) if given_order else nearest_first(verdict)
    for j in order:
        reach = verdict.reaches[j]
        t = reach.target
        row: dict[str, Any] = {
            "name": t.name,
            "country": t.country,
            "iso_a2": t.iso_a2,
            "lon": t.lon,
            "lat": t.lat,
            "distance_km": float(reach.distance_km),
            "nearest_site": reach.nearest_site.id,
        }
        if reach.azimuth_deg is not None:  # a sector: the direction it was judged by
            row["azimuth_deg"] = float(reach.azimuth_deg)
        for (margin_column, in_range_column), e in zip(pairs, verdict.evaluations, strict=False):
            row[margin_column] = float(e.margins_km[j])
            row[in_range_column] = bool(e.in_range[j])
        for column, system in timed:
            row[column] = stakes.flight_time_min(system, reach.distance_km)
        row["population"] = stakes.target_population(t)
        yield row


def _figure_pairs(verdict: Verdict) -> list[tuple[str, str]]:
    """``(margin_km_<figure>, in_range_<figure>)`` per figure of the verdict, in order."""
    keys = figure_keys(verdict)
    margins = figure_columns("margin_km_<figure>", keys)
    return list(zip(margins, figure_columns("in_range_<figure>", keys), strict=True))


def _verdict_summary(verdict: Verdict) -> dict[str, Any]:
    definition = verdict.definition
    figures = []
    for label, e in zip(figure_keys(verdict), verdict.evaluations, strict=False):
        figures.append(
            {
                "figure": label,
                "system_id": e.system.id if e.system else None,
                "figure_kind": e.kind,
                "against": e.figure.against,
                "range_km": e.figure.km,
                "min_range_km": e.figure.min_km,
                "targets_in_range": e.targets_in_range,
                "share": e.share,
                "holds": e.holds,
            }
        )
    report = verdict.report
    return {
        "claim_id": verdict.claim.id,
        "question": report.question,
        "verdict": report.word,
        "reach_verdict": report.reach,
        "share": verdict.share_claimed,
        "required": verdict.required,
        "targets": len(verdict.targets),
        "range_needed_km": report.range_needed_km,
        "no_range_because": report.no_range_because,
        "definition": definition.id if definition is not None else None,
        "definition_name": definition.name if definition is not None else None,
        "figures": figures,
    }


def verdict_geojson(verdict: Verdict, *, rings: Sequence[Envelope] | None = None) -> dict[str, Any]:
    """Return a verdict as an RFC 7946 FeatureCollection.

    Features, each with an ``export_layer`` property naming its layer as the
    GeoPackage does (:func:`coverage.gpkg.map_tables`, the same columns):
    ``"envelopes"`` (one per origin and threat figure), ``"defences"`` (the defences'
    footprints), ``"sites"`` (points: launch, defence and the garrisons the map
    marks), ``"launch_areas"`` (outlines) and ``"targets"`` (points; properties of
    :func:`verdict_rows` except lon/lat). The
    foreign member ``"verdict"`` holds the claim's ``question`` and the word
    answering it (``verdict``; ``reach_verdict`` beside it), the claimed ``share``,
    ``required``, ``range_needed_km`` (km; null with ``no_range_because``), the
    ``definition`` id and one entry per figure (targets in range, share, holds).

    Parameters
    ----------
    verdict : Verdict
    rings : sequence of Envelope, optional
        The envelopes to draw; by default the verdict's own (``verdict.envelopes``).
    """
    _v.verdict(verdict)
    _v.envelope_sequence_or_none(rings, "rings")
    return {
        "type": "FeatureCollection",
        "verdict": _verdict_summary(verdict),
        "features": list(_verdict_features(verdict, rings)),
    }


def _map_tables(verdict: Verdict, rings: Sequence[Envelope] | None = None) -> list:
    """Return the layers the map draws besides targets (:func:`coverage.gpkg.map_tables`)."""
    from .gpkg import map_tables
    from .render.scene import scene_for, scene_of

    scene = (
        scene_for(verdict, range_control=False)
        if rings is None
        else scene_of(list(rings), verdict=verdict)
    )
    return map_tables(scene, verdict=verdict)


def _verdict_features(verdict: Verdict, rings: Sequence[Envelope] | None) -> Iterator[dict]:
    """Yield the features of :func:`verdict_geojson`: the map's layers, then targets."""
    for table in _map_tables(verdict, rings):
        for row, geom in zip(table.rows, table.geometries, strict=True):
            props = {"export_layer": table.name, **{c: row.get(c) for c in table.columns}}
            yield {"type": "Feature", "geometry": _geometry(geom), "properties": props}
    for row in _iter_rows(verdict):
        lon, lat = row.pop("lon"), row.pop("lat")
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"export_layer": "targets", **row},
        }


def _write_geojson(stream: IO[str], verdict: Verdict) -> None:
    """Write :func:`verdict_geojson` as :func:`to_json_text` would, one feature at a time."""

    def dumps(obj) -> str:
        return json.dumps(_finite_or_none(obj), ensure_ascii=False, allow_nan=False)

    stream.write('{"type": "FeatureCollection", "verdict": ')
    stream.write(dumps(_verdict_summary(verdict)))
    stream.write(', "features": [')
    for k, feature in enumerate(_verdict_features(verdict, None)):
        stream.write((", " if k else "") + dumps(feature))
    stream.write("]}\n")


# ---------------------------------------------------------------------------
# CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Return a CSV cell value that a spreadsheet will not run as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, also after
    leading spaces (a spreadsheet that trims them on import would see a formula), gets
    a leading ``'`` (OWASP's advice). Numbers are returned as numbers, so ``-12.3`` stays a
    number; NaN and None become an empty cell; booleans become ``true``/``false``;
    lists are joined with ``;`` (then checked as text).

    Examples
    --------
    >>> csv_safe("=HYPERLINK(1)"), csv_safe(-12.5), csv_safe("-12.5"), csv_safe(True)
    ("'=HYPERLINK(1)", -12.5, "'-12.5", 'true')
    >>> csv_safe("  =2+2")
    "'  =2+2"
    """
    _v.float_sized(value)
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else ""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        value = ";".join(str(v) for v in items)
    text = str(value)
    return "'" + text if text.lstrip(" \u00a0").startswith(_FORMULA_START) else text


#: Old name of :func:`coverage.fields.plain_name`.
column_name = plain_name


def _column_names(keys: Sequence[str]) -> list[str]:
    """:func:`~coverage.fields.plain_name` of each key, numbered (``_2``) where two are equal."""
    return numbered((plain_name(k) for k in keys), sep="_")


def _csv_text(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], *, headers: Sequence[str] | None = None
) -> str:
    """Return CSV text: a header of ``columns``, then one row per dict of ``rows``.

    Every cell goes through :func:`csv_safe` first, so the formula guard sees the
    final text. Text cells are then quoted, numbers not (``QUOTE_NONNUMERIC``):
    quoting only the cells that need it would rely on knowing every character some
    reader takes for a line end (Python 3.11's writer leaves a lone ``\r`` unquoted
    when rows end in ``\n``, and ``str.splitlines`` also breaks at ``\v``, ``\f``,
    ``\x1c``-``\x1e``, ``\x85``, U+2028 and U+2029). Unquoted numbers stay numbers in
    spreadsheets and pandas. Nothing is raised: every value becomes text or a number.
    """
    buffer = io.StringIO(newline="")
    _write_csv(buffer, columns, rows, headers=headers)
    return buffer.getvalue()


def _write_csv(
    stream: IO[str],
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    headers: Sequence[str] | None = None,
) -> None:
    """Write the CSV of :func:`_csv_text` to ``stream``, row by row as they come."""
    writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([csv_safe(c) for c in (columns if headers is None else headers)])
    for row in rows:
        writer.writerow([csv_safe(row.get(c)) for c in columns])


def rings_csv(rings: Sequence[Envelope]) -> str:
    """Return rings as CSV: one row per ring with its properties, no geometry.

    Columns are the keys of :func:`ring_properties` (site, centre lon/lat in
    degrees, system, ``figure_kind``, ``range_km``/``min_range_km`` in km, layer,
    figure, label, source).
    The ring polygons are left out: CSV has no place for them; use GeoJSON or KML.
    """
    _v.envelope_sequence(rings, "rings")
    rows = [ring_properties(r) for r in rings]
    columns = list(rows[0]) if rows else list(_RING_COLUMNS)
    return _csv_text(columns, rows, headers=_column_names(columns))


_RING_COLUMNS = (
    "site_id",
    "site_name",
    "centre_lon",
    "centre_lat",
    "system_id",
    "system_name",
    "figure_kind",
    "against",
    "range_km",
    "min_range_km",
    "layer",
    "figure",
    "label",
    "source_title",
    "source_publisher",
    "source_url",
    "source_date",
)


def verdict_csv(verdict: Verdict) -> str:
    """Return a verdict as CSV: one row per target, nearest first, columns of :func:`verdict_rows`.

    ``name, country, iso_a2, lon, lat, distance_km, nearest_site`` (and
    ``azimuth_deg`` with a sector), then per range figure ``margin_km_<label>``
    (empty outside a sector) and ``in_range_<label>``, per system
    ``flight_time_min_<system>`` and ``population``; headers are snake_case ASCII
    (:mod:`coverage.fields`). No byte-order mark: the command line adds one to files
    (``\ufeff``, so that Excel reads UTF-8 by double-click), not to standard output.
    """
    _v.verdict(verdict)
    columns = _verdict_columns(verdict)
    return _csv_text(columns, _iter_rows(verdict), headers=_column_names(columns))


def _verdict_columns(verdict: Verdict) -> list[str]:
    """Return the keys of :func:`verdict_rows` in column order.

    Read from the verdict, not from a first row: that would order every target
    (:func:`nearest_first`) for one row's keys. Azimuths are measured for every
    target or for none; flight times are per system of the verdict.
    """
    first = verdict.reaches[0] if verdict.reaches else None
    columns = ["name", "country", "iso_a2", "lon", "lat", "distance_km", "nearest_site"]
    if first is not None and first.azimuth_deg is not None:
        columns.append("azimuth_deg")
    for pair in _figure_pairs(verdict):
        columns += pair
    if first is not None:
        columns += [column for column, _ in _timed_systems(verdict)] + ["population"]
    return columns


def _timed_systems(verdict: Verdict) -> list[tuple[str, System]]:
    """``(flight_time_min_<system>, system)`` per system of the verdict, in order."""
    return [
        (per_figure("flight_time_min_<system>", s.id), s) for s in stakes.verdict_systems(verdict)
    ]


# ---------------------------------------------------------------------------
# XLSX


def _xlsx_cell(value: Any) -> Any:
    """Return an XLSX cell value: numbers as numbers, text guarded as CSV's (:func:`csv_safe`)."""
    if isinstance(value, bool):
        return value
    return csv_safe(value)


#: Longest text Excel holds in one cell, characters; longer text is cut to this, "…" last.
XLSX_CELL_MAX = 32_767


class _Sheet(NamedTuple):
    """One sheet of a workbook: its name, columns (row keys), rows and their number."""

    name: str
    columns: Sequence[str]
    rows: Iterable[dict[str, Any]]
    count: int


def _sheet(name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> _Sheet:
    return _Sheet(name, columns, rows, len(rows))


def _xlsx(sheets: Sequence[_Sheet]) -> bytes:
    """Return an XLSX workbook with one sheet per :class:`_Sheet` (see :func:`_write_xlsx`)."""
    buffer = io.BytesIO()
    _write_xlsx(buffer, sheets)
    return buffer.getvalue()


def _write_xlsx(stream: IO[bytes], sheets: Sequence[_Sheet]) -> None:
    """Write an XLSX workbook to a binary stream, row by row (``constant_memory``).

    Headers are :func:`column_name` of the columns, bold, frozen, with a filter; text
    cells pass through :func:`csv_safe`, and XlsxWriter is told to write every string
    as a string (never a formula, a number or a link). Rows go to a temporary file as
    they are written, so memory stays flat whatever their number. Text over
    :data:`XLSX_CELL_MAX` characters is cut (see :func:`_fit_cell`) and a
    :class:`~coverage.errors.CoverageWarning` names the rows.
    """
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": False,
    }
    cut: dict[str, list[int]] = {}
    with xlsxwriter.Workbook(stream, options) as book:
        bold = book.add_format({"bold": True})
        for sheet in sheets:
            cut_rows = _write_sheet(book.add_worksheet(sheet.name), sheet, bold)
            if cut_rows:
                cut[sheet.name] = cut_rows
    if cut:
        warnings.warn(_cut_message(cut), CoverageWarning, stacklevel=3)


def _write_sheet(sheet, table: _Sheet, bold) -> list[int]:
    """Write one sheet, header then rows in order; return the rows (1-based) with a cut cell."""
    headers = _column_names(table.columns)
    for c, header in enumerate(headers):
        sheet.set_column(c, c, min(max(len(header), 10), 40))
    sheet.freeze_panes(1, 0)
    if table.columns:
        sheet.autofilter(0, 0, max(table.count, 1), len(table.columns) - 1)
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, bold)
    cut_rows = []
    for r, row in enumerate(table.rows, start=1):
        if _write_row(sheet, r, [row.get(key) for key in table.columns]):
            cut_rows.append(r + 1)
    return cut_rows


def _write_row(sheet, r: int, values: Sequence[Any]) -> bool:
    """Write one row of cells; return True when a text was cut to fit a cell."""
    cut = False
    for c, raw in enumerate(values):
        value = _xlsx_cell(raw)
        if isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, (int, float)):
            sheet.write_number(r, c, value)
        elif value != "":
            text, was_cut = _fit_cell(_XML_ILLEGAL.sub("\ufffd", value))
            sheet.write_string(r, c, text)
            cut |= was_cut
    return cut


def _fit_cell(text: str) -> tuple[str, bool]:
    """Return text cut to :data:`XLSX_CELL_MAX` characters, ending in "…", and whether it was."""
    if len(text) <= XLSX_CELL_MAX:
        return text, False
    return text[: XLSX_CELL_MAX - 1] + "\u2026", True


def _cut_message(cut: dict[str, list[int]]) -> str:
    """E.g. ``xlsx: cells longer than Excel's 32,767 characters were cut ("…" at the cut): ...``."""
    parts = []
    for name, rows in cut.items():
        shown = ", ".join(str(r) for r in rows[:10])
        more = f" and {len(rows) - 10:,} more" if len(rows) > 10 else ""
        parts.append(f"sheet {name!r} row{'s' if len(rows) > 1 else ''} {shown}{more}")
    return (
        f"xlsx: text longer than Excel's {XLSX_CELL_MAX:,} characters per cell was cut to fit, "
        f"ending in '\u2026': {'; '.join(parts)}"
    )


_SOURCE_COLUMNS = ("used_for", "source_title", "source_publisher", "source_url", "source_date")


def _source_row(used_for: str, source: Source | None) -> dict[str, Any]:
    props = _source_properties(source)
    props["source_title"] = props["source_title"] or "given by the user"
    return {"used_for": used_for, **props}


def rings_xlsx(rings: Sequence[Envelope]) -> bytes:
    """Return rings as an XLSX workbook: sheet ``rings`` (as :func:`rings_csv`) and ``sources``."""
    _v.envelope_sequence(rings, "rings")
    rows = [ring_properties(r) for r in rings]
    sources = [_source_row(r.label, r.figure.source) for r in rings]
    return _xlsx(
        [_sheet("rings", list(_RING_COLUMNS), rows), _sheet("sources", _SOURCE_COLUMNS, sources)]
    )


def _verdict_sheet(verdict: Verdict) -> list[dict[str, Any]]:
    """Return the rows (``key``, ``value``) of the xlsx "verdict" sheet, read from the report.

    The claim, its question and the headline answering it (word, line, reason code
    and sentence), the reach verdict, the counts, the range needed (None when no
    range would do, with the reason's code), the definition, the targets' file and
    the report's notes (``note_<kind>``, numbered when a kind repeats).
    """
    report = verdict.report
    claim = verdict.claim
    definition = verdict.definition
    notes = [(f"note_{n.kind}", n.text) for n in report.notes]
    rows = (
        ("claim_id", claim.id),
        ("speaker", claim.speaker),
        ("date", claim.date),
        ("quote", claim.quote),
        ("question", report.question),
        ("verdict", report.word),
        ("headline", report.headline.line),
        ("reason_code", report.headline.reason.code),
        ("reason", report.headline.reason.text),
        ("reach_verdict", report.reach),
        ("summary", report.summary),
        ("share", verdict.share_claimed),
        ("required", verdict.required),
        ("targets", report.count),
        ("range_needed_km", report.range_needed_km),
        ("no_range_because", report.no_range_because),
        ("definition", definition.id if definition is not None else None),
        ("definition_name", definition.name if definition is not None else None),
        ("targets_source", public_source(verdict.targets.source)),
        *zip(numbered((k for k, _ in notes), sep="_"), (t for _, t in notes), strict=True),
    )
    return [{"key": k, "value": v} for k, v in rows]


#: Columns of the xlsx ``sites`` sheet: those of :func:`sites_geojson`, with lon/lat.
_SITE_COLUMNS = (
    "site_id",
    "site_name",
    "site_kind",
    "site_shape",
    "iso_a2",
    "lon",
    "lat",
    "unit",
    "since",
    "since_text",
    "system_ids",
    "location_precision",
    "source_title",
    "source_publisher",
    "source_url",
    "source_date",
)


def _site_rows(verdict: Verdict) -> list[dict[str, Any]]:
    """Return the verdict's launch sites, then its defences' sites, once each.

    Read from the verdict alone (not the map's scene), so that the workbook stays
    streamed whatever the number of targets.
    """
    rows: dict[str, dict[str, Any]] = {}
    defence_sites = [c.defence.site for c in verdict.defences]
    for sites, kind in ((verdict.sites, None), (defence_sites, "defence")):
        for feature in sites_geojson(list(sites))["features"] if sites else ():
            props = feature["properties"]
            lon, lat = feature["geometry"]["coordinates"]
            rows.setdefault(props["site_id"], {**props, "lon": lon, "lat": lat})
            if kind is not None:
                rows[props["site_id"]]["site_kind"] = kind
    return list(rows.values())


def verdict_xlsx(verdict: Verdict) -> bytes:
    """Return a verdict as an XLSX workbook, a sheet per table.

    ``verdict`` (the verdict word and the claim), ``figures`` (one row per range
    figure: targets in range, share, holds), ``targets`` (:func:`verdict_csv`'s
    rows, nearest first), ``sites`` and ``sources`` (of the claim, every figure and
    every site). Text over :data:`XLSX_CELL_MAX` characters is cut, with a
    :class:`~coverage.errors.CoverageWarning` naming the rows.
    """
    _v.verdict(verdict)
    return _xlsx(_verdict_sheets(verdict))


def _verdict_sheets(verdict: Verdict) -> list[_Sheet]:
    """Return the sheets of :func:`verdict_xlsx`; the targets' rows come as they are written."""
    figures = _verdict_summary(verdict)["figures"]
    claim = verdict.claim
    head = _verdict_sheet(verdict)
    columns = list(figures[0]) if figures else ["figure"]
    sources = [_source_row(f"claim {claim.id}", s) for s in claim.sources]
    sources += [
        _source_row(label, e.figure.source)
        for label, e in zip(figure_keys(verdict), verdict.evaluations, strict=False)
    ]
    sources += [_source_row(f"site {s.id}", s.source) for s in verdict.sites if s.source]
    return [
        _sheet("verdict", ["key", "value"], head),
        _sheet("figures", columns, figures),
        _Sheet("targets", _verdict_columns(verdict), _iter_rows(verdict), len(verdict.reaches)),
        _sheet("sites", _SITE_COLUMNS, _site_rows(verdict)),
        _sheet("sources", _SOURCE_COLUMNS, sources),
    ]


# ---------------------------------------------------------------------------
# KML

# Colours come from the maps' style table (coverage.render.scene), so that a system has
# one colour in the HTML map, the static figures and KML. KML has no dashes: estimated
# and given figures get a paler line instead.
_LINE_ALPHA = {"declared": 0xFF, "estimated": 0xA0, "given": 0xFF}
_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Longest straight lon/lat edge written to KML, degrees: viewers draw an edge as the
# shorter way round the globe, so long edges (along +-180 or a pole) get midpoints.
_KML_MAX_EDGE_DEG = 1.0


def _xml_text(value: Any) -> str:
    """Text for an XML element: characters XML forbids replaced, ``& < >`` escaped."""
    return html.escape(_XML_ILLEGAL.sub("\ufffd", str(value)))


def _kml_colour(rgb: tuple[int, int, int], alpha: int) -> str:
    r, g, b = rgb
    return f"{alpha:02x}{b:02x}{g:02x}{r:02x}"


def _description(title: str, items: Iterable[tuple[str, Any]]) -> str:
    """Return balloon HTML built from escaped values, wrapped in CDATA.

    The CDATA cannot hold ``]]>``: html.escape turns every ``>`` into ``&gt;``.
    """
    lines = [f"<b>{html.escape(_XML_ILLEGAL.sub('', title))}</b>"]
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, float):
            value = _coord(value) if "km" not in key else f"{value:,.3f}"
        text = html.escape(_XML_ILLEGAL.sub("\ufffd", str(value)))
        if key == "source_url" and re.match(r"^https?://\S+$", str(value)):
            text = f'<a href="{text}">{text}</a>'
        lines.append(f"{html.escape(key)}: {text}")
    return "<![CDATA[" + "<br/>".join(lines) + "]]>"


def _coord(x: float) -> str:
    text = f"{x:.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _ring_coords(ring) -> list[tuple[str, str]]:
    return [(_coord(x), _coord(y)) for x, y in ring.coords]


def _kml_polygons(geom) -> list:
    """Split a (Multi)Polygon into parts a KML viewer draws as intended.

    Parts stay split at the antimeridian as in GeoJSON; a part wider than 180 degrees
    of longitude (a polar cap, a ring beyond a hemisphere) is cut in two at the middle
    of its span, and edges longer than 1 degree get intermediate vertices, so that no
    edge or part is ambiguous for a viewer that draws edges on the sphere.
    """
    out = []
    for part in shapely.get_parts(geom):
        minx, miny, maxx, maxy = part.bounds
        pieces = [part]
        if maxx - minx > 180.0:
            mid = (minx + maxx) / 2.0
            pieces = [
                part.intersection(shapely.box(minx, -90.0, mid, 90.0)),
                part.intersection(shapely.box(mid, -90.0, maxx, 90.0)),
            ]
        for piece in pieces:
            for poly in shapely.get_parts(piece):
                if poly.geom_type == "Polygon" and not poly.is_empty and poly.area > 0:
                    poly = shapely.segmentize(poly, _KML_MAX_EDGE_DEG)
                    out.append(shapely.orient_polygons(poly, exterior_cw=False))
    return out


class _KmlStyles:
    """Shared styles: one per layer for rings (from the style table), one per point layer."""

    def __init__(self, envelopes: Sequence[Envelope] = ()) -> None:
        import simplekml

        from .render.scene import envelope_styles

        self._simplekml = simplekml
        self._table = envelope_styles(list(envelopes))
        self._ring_styles: dict[tuple, Any] = {}
        self._point_styles: dict[str, Any] = {}

    def ring(self, envelope: Envelope):
        from .render.scene import envelope_styles

        key = envelope.layer_key
        table = self._table.get(key) or envelope_styles([envelope])[key]
        shared = (table, envelope.kind)  # layers drawn alike share one KML style
        if shared not in self._ring_styles:
            style = self._simplekml.Style()
            style.linestyle.color = _kml_colour(table.rgb, _LINE_ALPHA.get(envelope.kind, 0xFF))
            style.linestyle.width = table.weight
            fill_alpha = min(0xFF, round(table.fill_opacity * 2.5 * 0xFF))
            style.polystyle.color = _kml_colour(table.rgb, fill_alpha)
            style.balloonstyle.text = "$[description]"
            self._ring_styles[shared] = style
        return self._ring_styles[shared]

    def look(self, style: Any):
        """Return the KML style of a scene style: a fill and outline, or an icon."""
        if style is None:
            return self.point("out")
        key = ("look", style)
        if key not in self._ring_styles:
            from .render.scene import MarkStyle

            value = style.colour.lstrip("#")
            rgb = (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
            kml_style = self._simplekml.Style()
            if isinstance(style, MarkStyle):
                kml_style.iconstyle.icon.href = _ICON
                kml_style.iconstyle.color = _kml_colour(rgb, 0xFF)
                kml_style.labelstyle.scale = 0.8
            else:  # KML has no dashes: a dashed outline is paler
                kml_style.linestyle.color = _kml_colour(rgb, 0xA0 if style.dash else 0xFF)
                kml_style.linestyle.width = style.weight
                fill_alpha = min(0xFF, round(style.fill_opacity * 2.5 * 0xFF))
                kml_style.polystyle.color = _kml_colour(rgb, fill_alpha)
            kml_style.balloonstyle.text = "$[description]"
            self._ring_styles[key] = kml_style
        return self._ring_styles[key]

    def point(self, layer: str):
        if layer not in self._point_styles:
            from .render.scene import SITE_STYLES, TARGET_STYLES

            colours = {
                "site": SITE_STYLES["launch"].colour,
                "in": TARGET_STYLES["all"].colour,
                "out": TARGET_STYLES["none"].colour,
            }
            value = colours.get(layer, TARGET_STYLES["none"].colour).lstrip("#")
            rgb = (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
            style = self._simplekml.Style()
            style.iconstyle.icon.href = _ICON
            style.iconstyle.color = _kml_colour(rgb, 0xFF)
            style.iconstyle.scale = 1.0 if layer == "site" else 0.8
            style.labelstyle.scale = 0.8
            style.balloonstyle.text = "$[description]"
            self._point_styles[layer] = style
        return self._point_styles[layer]


#: KML ``SimpleField`` type of each column type of :mod:`coverage.fields`.
_KML_TYPES = {"TEXT": "string", "REAL": "double", "INTEGER": "int", "BOOLEAN": "bool"}


def _schema(kml, name: str, columns: Sequence[str]):
    """Add a ``<Schema>`` typing ``columns`` (:mod:`coverage.fields`) to the document."""
    schema = kml.document.newschema(name=_xml_text(name))
    for column in columns:
        schema.newsimplefield(name=column, type=_KML_TYPES.get(field(column).type, "string"))
    return schema


def _kml_value(value: Any) -> str | None:
    """Return a cell as KML text: None for an empty cell (missing or not finite)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def _schema_data(feature, schema, props: dict[str, Any]) -> None:
    """Write ``props`` as the feature's ``SchemaData`` of ``schema`` (empty cells left out)."""
    data = feature.extendeddata.schemadata
    data.schemaurl = schema.id
    for key, value in props.items():
        text = _kml_value(value)
        if text is not None:
            data.newsimpledata(key, _xml_text(text))


def _kml_feature(folder, geometry, title: str, props: dict[str, Any]):
    """Add a Placemark: a Point, a Polygon or a MultiGeometry of Polygons (of _kml_polygons)."""
    name = _xml_text(title)
    description = _description(title, props.items())
    if geometry.geom_type == "Point":
        return folder.newpoint(
            name=name, description=description, coords=[(_coord(geometry.x), _coord(geometry.y))]
        )
    polygons = [
        part
        for piece in _kml_polygons(geometry)
        for part in shapely.get_parts(geodesy.rounded(piece, COORDINATE_DECIMALS))
    ]

    def fill(poly_feature, poly) -> None:
        poly_feature.outerboundaryis = _ring_coords(poly.exterior)
        holes = [_ring_coords(h) for h in poly.interiors]
        if holes:
            poly_feature.innerboundaryis = holes

    if len(polygons) == 1:
        feature = folder.newpolygon(name=name, description=description)
        fill(feature, polygons[0])
        return feature
    feature = folder.newmultigeometry(name=name, description=description)
    for poly in polygons:
        fill(feature.newpolygon(), poly)
    return feature


def _add_ring(folder, ring: Envelope, styles: _KmlStyles, schema) -> None:
    props = ring_properties(ring)
    feature = _kml_feature(folder, ring.geometry, ring.label, props)
    feature.style = styles.ring(ring)
    _schema_data(feature, schema, props)


_FOLDERS = {
    "envelopes": "Envelopes",
    "defences": "Defences",
    "sites": "Sites",
    "launch_areas": "Launch areas",
}


def _add_table(kml, table, styles: _KmlStyles) -> None:
    """Add a folder holding one layer of :func:`coverage.gpkg.map_tables`, styled as the map."""
    from .gpkg import STYLE_COLUMNS

    schema = _schema(kml, table.name, table.columns)
    folder = kml.newfolder(name=_FOLDERS[table.name])
    looks = {c.value: c.style for c in table.categories}
    for row, geometry in zip(table.rows, table.geometries, strict=True):
        props = {c: row.get(c) for c in table.columns}
        title = row.get("label") or row.get("site_name") or table.name
        feature = _kml_feature(folder, geometry, title, props)
        key = _kml_value(row.get(STYLE_COLUMNS[table.name]))
        feature.style = styles.look(looks.get(key))
        _schema_data(feature, schema, props)


def _new_kml(name: str):
    import simplekml

    kml = simplekml.Kml(name=_xml_text(name))
    kml.parsetext(False)  # every text node is escaped here (see _xml_text, _description)
    return kml


_ID = re.compile(r'(\bid="|<styleUrl>#|schemaUrl="#)(\d+)(?=["<])')
_INNER_RUN = re.compile(r"</LinearRing>\s*<LinearRing")


def _finish_kml(kml) -> str:
    """Serialise the document deterministically.

    One LinearRing per innerBoundaryIs (as the KML 2.2 schema has it), and simplekml's
    process-wide ids renumbered from 1 in document order, so the same input always
    gives the same text. (User text cannot match: quotes and ``<`` in it are escaped.)
    """
    text = kml.kml(format=False)
    text = _INNER_RUN.sub("</LinearRing></innerBoundaryIs><innerBoundaryIs><LinearRing", text)
    renumbered: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        new = renumbered.setdefault(match.group(2), str(len(renumbered) + 1))
        return match.group(1) + new

    text = _ID.sub(renumber, text)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def rings_kml(rings: Sequence[Envelope], *, name: str = "Range rings") -> str:
    """Return rings as a KML document (text).

    Each ring is a Placemark with a Polygon (holes as ``innerBoundaryIs``: an annulus,
    or a ring beyond a hemisphere, the world minus a cap around the antipode) or a
    MultiGeometry of Polygons when split at the antimeridian. Line colour per system,
    semi-transparent fill; declared figures have wider, opaque lines, estimated
    figures thinner, paler ones; colours are those of the maps (the style table of
    :mod:`coverage.render.scene`). Coordinates are ``lon,lat`` (degrees, 6 decimals).
    The properties of :func:`ring_properties` are kept as ExtendedData, typed
    through a ``<Schema>`` (:mod:`coverage.fields`).
    """
    _v.envelope_sequence(rings, "rings")
    _v.text(name, "name")
    kml = _new_kml(name)
    rings = list(rings)
    styles = _KmlStyles(rings)
    schema = _schema(kml, "rings", _RING_COLUMNS)
    folder = kml.newfolder(name="Rings")
    for ring in rings:
        _add_ring(folder, ring, styles, schema)
    return _finish_kml(kml)


def verdict_kml(verdict: Verdict, *, rings: Sequence[Envelope] | None = None) -> str:
    """Return a verdict as a KML document: a folder per layer of its map, then targets.

    Envelopes, defences' footprints, sites (garrisons included) and launch areas
    hold the rows of :func:`coverage.gpkg.map_tables`, styled as the map draws them;
    targets carry the columns of :func:`verdict_rows`. Every folder's ExtendedData
    is typed through a ``<Schema>`` (:mod:`coverage.fields`). A target in range at
    any figure is drawn in the maps' in-range colour, otherwise grey-blue.
    """
    _v.verdict(verdict)
    _v.envelope_sequence_or_none(rings, "rings")
    drawn = verdict.envelopes if rings is None else rings
    kml = _new_kml(f"{verdict.claim.id}: {verdict.verdict}")
    summary = _verdict_summary(verdict)
    figures = summary.pop("figures")
    items = list(summary.items()) + [
        (
            f["figure"],
            f"{f['targets_in_range']} of {summary['targets']} in range; holds: {f['holds']}",
        )
        for f in figures
    ]
    kml.document.description = _description(verdict.summary, items)
    styles = _KmlStyles(drawn)
    for table in _map_tables(verdict, rings):
        if table.rows:
            _add_table(kml, table, styles)
    schema = _schema(kml, "targets", _verdict_columns(verdict))
    target_folder = kml.newfolder(name="Targets")
    in_range = [c for _, c in _figure_pairs(verdict)]
    for row in verdict_rows(verdict):
        point = target_folder.newpoint(
            name=_xml_text(row["name"]),
            description=_description(row["name"], row.items()),
            coords=[(_coord(row["lon"]), _coord(row["lat"]))],
        )
        point.style = styles.point("in" if any(row[c] for c in in_range) else "out")
        _schema_data(point, schema, row)
    return _finish_kml(kml)


# ---------------------------------------------------------------------------
# Entry points


def render_rings(rings: Sequence[Envelope], fmt: str) -> str | bytes:
    """Render rings in ``fmt``: ``"geojson"``, ``"kml"``, ``"csv"`` (text) or ``"xlsx"`` (bytes).

    CSV holds one row per ring with its properties and no geometry (see
    :func:`rings_csv`).

    Raises
    ------
    ParameterError
        For an unknown format.
    """
    _v.text(fmt, "fmt", optional=True)
    _v.envelope_sequence(rings, "rings")
    fmt = _check_format(fmt, "rings")
    if fmt == "geojson":
        return to_json_text(rings_geojson(rings))
    if fmt == "kml":
        return rings_kml(rings)
    if fmt == "xlsx":
        return rings_xlsx(rings)
    return rings_csv(rings)


def write_verdict(
    path: str | os.PathLike[str] | None, verdict: Verdict, fmt: str, *, bom: bool = False
) -> Path | None:
    """Write a verdict in ``fmt`` to ``path``, streaming rows as they are produced.

    The same bytes as ``write_text(path, render_verdict(verdict, fmt))``, but CSV and
    GeoJSON are written row by row and XLSX in XlsxWriter's ``constant_memory``
    mode, so a million targets do not hold their whole output in memory. The file
    appears only when complete (:func:`coverage._atomic.atomic_write`); KML, and
    any format for standard output (``None`` or ``"-"``), is rendered whole first.

    Parameters
    ----------
    path : str, os.PathLike or None
        The file; ``None`` or ``"-"`` for standard output.
    verdict : Verdict
    fmt : {"geojson", "kml", "csv", "xlsx"}
    bom : bool, default False
        Start a CSV file with a UTF-8 byte-order mark (Excel reads UTF-8 then).

    Raises
    ------
    ParameterError
        For an unknown format.
    ExportError
        If the file cannot be written; an existing file is left untouched.
    """
    fmt = _check_format(fmt, "a verdict")
    if path is None or str(path) == "-" or fmt == "kml":
        if bom and fmt == "csv":
            return write_text(path, lambda: "\ufeff" + verdict_csv(verdict))
        return write_text(path, lambda: render_verdict(verdict, fmt))
    if fmt == "xlsx":
        with atomic_write(path, encoding=None) as stream:
            _write_xlsx(stream, _verdict_sheets(verdict))
        return Path(path)
    with atomic_write(path) as stream:
        if fmt == "geojson":
            _write_geojson(stream, verdict)
        else:
            columns = _verdict_columns(verdict)
            stream.write("\ufeff" if bom else "")
            _write_csv(stream, columns, _iter_rows(verdict), headers=_column_names(columns))
    return Path(path)


def render_verdict(verdict: Verdict, fmt: str) -> str | bytes:
    """Render a verdict in ``fmt``: ``"geojson"``, ``"kml"``, ``"csv"`` or ``"xlsx"``.

    GeoJSON: :func:`verdict_geojson`; KML: :func:`verdict_kml`; CSV: one row per
    target (:func:`verdict_csv`); XLSX (bytes): :func:`verdict_xlsx`. Write the
    result with :func:`write_text`.

    Raises
    ------
    ParameterError
        For an unknown format, or a ring that cannot be drawn.
    """
    _v.text(fmt, "fmt", optional=True)
    _v.verdict(verdict)
    fmt = _check_format(fmt, "a verdict")
    if fmt == "geojson":
        return to_json_text(verdict_geojson(verdict))
    if fmt == "kml":
        return verdict_kml(verdict)
    if fmt == "xlsx":
        return verdict_xlsx(verdict)
    return verdict_csv(verdict)
