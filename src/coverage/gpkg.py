"""GeoPackage output: every layer of the map in one file, typed and styled for QGIS.

One OGC GeoPackage holds a layer per kind of thing the map draws, written through
GDAL (pyogrio), with the column names and types of :mod:`coverage.fields`:

- ``targets``: points, with the distance to the nearest origin, the state the map
  colours them by, and per range figure ``margin_km_<figure>`` and
  ``in_range_<figure>`` (membership from the verdict, by exact geodesic distance);
- ``envelopes``: one (multi)polygon per threat figure and origin, the display
  boundary :attr:`coverage.envelopes.Envelope.geometry` draws (lon/lat degrees,
  split at +-180, valid);
- ``defences``: the air and missile defences' footprints, likewise;
- ``sites``: launch, defence and garrison sites as points, ``since`` as a DATE;
- ``launch_areas``: launch areas' outlines;
- ``verdict``: a table without geometry, the report's headline, figure rows,
  notes and sources (:class:`coverage.report.Report`).

Layers with nothing in them are left out. QGIS opens each layer styled as the map
draws it: the styles come from the scene's one style table
(:func:`coverage.render.scene.layer_styles`, :data:`~coverage.render.scene.TARGET_STYLES`,
:data:`~coverage.render.scene.SITE_STYLES`) and are written as QML into the
``layer_styles`` table (:func:`qml`).

Geometry is for display; whether a target is reached is the verdict's, decided by
exact distance, and written as ``in_range_<figure>``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from . import _validate as _v
from ._atomic import TEMP_PREFIX, _copy_mode, atomic_write, check_target
from .errors import ExportError, ParameterError
from .fields import LAYERS, NUMPY, field, figure_columns, per_figure

if TYPE_CHECKING:
    from .claims import Verdict
    from .envelopes import Envelope
    from .render.scene import EnvelopeLayer, Scene
    from .systems import Site, Source

__all__ = [
    "write_geopackage",
    "write_rings_geopackage",
    "geopackage_tables",
    "map_tables",
    "qml",
    "Table",
    "Category",
    "GEOMETRY_TYPES",
    "STYLE_COLUMNS",
]

#: Geometry type of each spatial layer (polygons promoted to MultiPolygon).
GEOMETRY_TYPES = {
    "targets": "Point",
    "envelopes": "MultiPolygon",
    "defences": "MultiPolygon",
    "sites": "Point",
    "launch_areas": "MultiPolygon",
    "verdict": None,
}


class Table:
    """One layer's rows before writing: columns of values and optional geometries.

    Attributes
    ----------
    name : str
        The layer's name.
    columns : tuple of str
        Column names (:data:`coverage.fields.FIELDS` or a per-figure pattern).
    rows : list of dict
        Values by column name; a missing key or None is an empty (NULL) cell.
    geometries : list of shapely geometry
        One per row, lon/lat degrees; empty for a table without geometry.
    categories : list of Category
        The categories QGIS draws the layer by (empty: none).
    """

    def __init__(self, name: str, columns: Sequence[str]) -> None:
        self.name = name
        self.columns = tuple(columns)
        self.rows: list[dict[str, Any]] = []
        self.geometries: list[Any] = []
        self.categories: list[Category] = []

    def add(self, row: dict[str, Any], geometry: Any = None) -> None:
        """Append a row (and its geometry, for a spatial layer)."""
        self.rows.append(row)
        if geometry is not None:
            self.geometries.append(geometry)


# --------------------------------------------------------------------------- public


def write_geopackage(verdict: Verdict, path: str | os.PathLike[str]) -> Path:
    """Write a claim's verdict as a GeoPackage with every layer of its map.

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim` or :func:`coverage.checks.check`.
    path : str or os.PathLike
        The ``.gpkg`` to write; replaced atomically (nothing is left behind on
        failure). A FIFO or character device receives the finished file's bytes.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written.

    See Also
    --------
    coverage.fields.FIELDS : the columns, their types and units.
    """
    from .render.scene import scene_for

    _v.path(path, "path")
    scene = scene_for(verdict)
    tables = geopackage_tables(scene, verdict=verdict)
    return _write(tables, path)


def write_rings_geopackage(
    envelopes: Sequence[Envelope], path: str | os.PathLike[str], *, sites: Sequence[Site] = ()
) -> Path:
    """Write range rings (envelopes) and their sites as a GeoPackage.

    Parameters
    ----------
    envelopes : sequence of Envelope
        What each figure covers from each origin (:func:`coverage.envelopes.envelopes`).
    path : str or os.PathLike
        The ``.gpkg`` to write, atomically (see :func:`write_geopackage`).
    sites : sequence of Site, optional
        Sites to add to the ``sites`` layer besides the envelopes' origins.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ParameterError
        If there is nothing to write (no envelope and no site).
    ExportError
        If the file cannot be written.
    """
    from .render.scene import scene_of

    _v.envelope_sequence(envelopes, "envelopes")
    _v.sites(sites)
    _v.path(path, "path")
    scene = scene_of(list(envelopes), sites=tuple(sites))
    return _write(geopackage_tables(scene), path)


def geopackage_tables(scene: Scene, *, verdict: Verdict | None = None) -> list[Table]:
    """Return the tables of a GeoPackage for a scene, empty ones left out.

    Parameters
    ----------
    scene : Scene
        What the map draws (:func:`coverage.render.scene.scene_for`).
    verdict : Verdict, optional
        The verdict behind the scene: adds per-figure columns to ``targets`` and the
        ``verdict`` table.

    Returns
    -------
    list of Table
        In the order ``targets``, ``envelopes``, ``defences``, ``sites``,
        ``launch_areas``, ``verdict``.
    """
    _v.scene(scene)
    _v.verdict(verdict, optional=True)
    tables = [_targets(scene, verdict), *map_tables(scene, verdict=verdict)]
    if verdict is not None:
        tables.append(_verdict(verdict))
    return [t for t in tables if t.rows]


def map_tables(scene: Scene, *, verdict: Verdict | None = None) -> list[Table]:
    """Return the layers of a scene other than its targets, empty ones included.

    The GeoJSON and KML exports (:mod:`coverage.exports`) write these same rows, so
    that every format holds the same envelopes, defences, sites (garrisons included)
    and launch areas under the same column names.

    Parameters
    ----------
    scene : Scene
        What the map draws.
    verdict : Verdict, optional
        The verdict behind the scene: names each envelope's figure by its key.

    Returns
    -------
    list of Table
        ``envelopes``, ``defences``, ``sites`` and ``launch_areas``, in that order.
    """
    _v.scene(scene)
    _v.verdict(verdict, optional=True)
    return [
        _envelopes(scene, "envelopes", scene.threats, verdict),
        _envelopes(scene, "defences", scene.defences, verdict),
        _sites(scene),
        _launch_areas(scene, verdict),
    ]


# --------------------------------------------------------------------------- layers


def _targets(scene: Scene, verdict: Verdict | None) -> Table:
    from .claims import figure_keys

    keys = figure_keys(verdict) if verdict is not None else []
    times = _flight_times(verdict)
    pairs = list(zip(*(figure_columns(p, keys) for p in _PER_FIGURE), strict=True))
    columns = [c for pair in pairs for c in pair]
    columns += [per_figure("flight_time_min_<system>", s) for s in times[0]] if times else []
    table = Table("targets", [*LAYERS["targets"], *columns])
    table.categories = target_categories()
    for j, mark in enumerate(scene.targets):
        row = _target_row(mark)
        if verdict is not None:
            row.update(_figure_cells(verdict, pairs, j))
            row.update({per_figure("flight_time_min_<system>", s): m for s, m in times[j].items()})
        table.add(row, shapely.Point(mark.lon, mark.lat))
    return table


def _flight_times(verdict: Verdict | None) -> list[dict[str, float | None]]:
    from . import stakes

    return stakes.flight_times(verdict) if verdict is not None and verdict.evaluations else []


_PER_FIGURE = ("margin_km_<figure>", "in_range_<figure>")


def _target_row(mark) -> dict[str, Any]:
    return {
        "name": mark.name,
        "country": mark.country,
        "lon": mark.lon,
        "lat": mark.lat,
        "distance_km": mark.distance_km,
        "nearest_site_name": mark.nearest,
        "state": mark.state,
        "labelled": mark.label,
        "population": mark.population,
        "defended_by": ";".join(mark.defended_by) or None,
    }


def _figure_cells(verdict: Verdict, pairs: Sequence[tuple[str, str]], j: int) -> dict[str, Any]:
    reach = verdict.reaches[j]
    cells: dict[str, Any] = {
        "iso_a2": reach.target.iso_a2,
        "nearest_site": reach.nearest_site.id,
        "azimuth_deg": reach.azimuth_deg,
    }
    for (margin_column, in_range_column), ev in zip(pairs, verdict.evaluations, strict=True):
        margin = float(ev.margins_km[j])
        cells[margin_column] = margin if np.isfinite(margin) else None
        cells[in_range_column] = bool(ev.in_range[j])
    return cells


def _envelopes(
    scene: Scene, name: str, layers: Sequence[EnvelopeLayer], verdict: Verdict | None
) -> Table:
    table = Table(name, LAYERS[name])
    labels = _figure_labels(verdict)
    for la in layers:
        table.categories.append(Category(la.title, la.title, la.style))
        for envelope in la.layer.envelopes:
            row = _envelope_row(la, envelope, labels)
            table.add(row, _display(envelope.geometry))
    return table


def _figure_labels(verdict: Verdict | None) -> dict[tuple, str]:
    if verdict is None:
        return {}
    from .claims import figure_keys

    return {
        ev.layer.first.layer_key: k
        for k, ev in zip(figure_keys(verdict), verdict.evaluations, strict=True)
    }


def _envelope_row(la: EnvelopeLayer, envelope: Envelope, labels: dict[tuple, str]) -> dict:
    system = envelope.system
    row = {
        "layer": la.title,
        "figure": labels.get(envelope.layer_key, la.layer.short_id),
        "label": envelope.label,
        "system_id": system.id if system is not None else None,
        "system_name": system.name if system is not None else None,
        "figure_kind": envelope.kind,
        "against": la.against or envelope.figure.against,
        "role": la.role,
        "min_range_km": envelope.min_km,
        "range_km": envelope.max_km,
        "site_id": envelope.origin.id,
        "site_name": envelope.origin.name,
        "centre_lon": envelope.origin.lon,
        "centre_lat": envelope.origin.lat,
        "targets_in_range": la.in_range_count,
        "note": la.note,
        **_source_cells(envelope.figure.source),
    }
    if la.role == "defence" and system is not None:
        row["defence_id"] = f"{system.id}@{envelope.origin.id}"
    return row


def _source_cells(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {}
    return {
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_url": source.url,
        "source_date": None if source.date == "n.d." else source.date,
    }


def _display(geometry) -> Any:
    """Return the display geometry as a valid MultiPolygon (GeoPackage layers hold one type)."""
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry)
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons)


def _sites(scene: Scene) -> Table:
    table = Table("sites", LAYERS["sites"])
    table.categories = site_categories()
    for mark in scene.sites:
        site = mark.site
        table.add(
            {
                "site_id": mark.id,
                "site_name": mark.name,
                "site_kind": mark.kind,
                "site_shape": mark.shape,
                "iso_a2": site.country,
                "lon": mark.lon,
                "lat": mark.lat,
                "unit": mark.note,
                "since": _first_day(mark.date),
                "since_text": mark.date,
                "systems": ";".join(mark.systems) or None,
                "system_ids": ";".join(site.systems) or None,
                "location_precision": site.location_precision,
            },
            shapely.Point(mark.lon, mark.lat),
        )
    return table


def _first_day(date: str | None) -> str | None:
    """``"2018-02"`` -> ``"2018-02-01"`` (the DATE column); ``"n.d."`` or None -> None."""
    if not date or not date[:4].isdigit():
        return None
    parts = [*date.split("-"), "01", "01"][:3]
    return "-".join(parts)


def _launch_areas(scene: Scene, verdict: Verdict | None) -> Table:
    """Return the areas judged from (as origins), then those the claim's reading also names."""
    table = Table("launch_areas", LAYERS["launch_areas"])
    judged, other = _area_styles()
    table.categories = [
        Category("true", "judged from", judged),
        Category("false", "named by the claim, not judged from", other),
    ]
    seen: set[str] = set()
    for site, used in _areas(scene, verdict):
        if site.geometry is None or site.id in seen:
            continue
        seen.add(site.id)
        row = {
            "site_id": site.id,
            "site_name": site.name,
            "iso_a2": site.country,
            "system_ids": ";".join(site.systems) or None,
            "origin_used": used,
        }
        table.add(row, _display(site.geometry))
    return table


def _areas(scene: Scene, verdict: Verdict | None) -> Iterator[tuple[Site, bool]]:
    for mark in scene.sites:
        yield mark.site, True
    for outcome in verdict.by_origin[1:] if verdict is not None else ():
        for site in outcome.sites:
            yield site, False


def _verdict(verdict: Verdict) -> Table:
    report = verdict.report
    table = Table("verdict", LAYERS["verdict"])
    head = report.headline
    table.add(
        {
            "section": "headline",
            "claim_id": verdict.claim.id,
            "question": head.question,
            "word": head.word,
            "line": head.line,
            "reason_code": head.reason.code,
            "text": head.reason.text,
            "targets": report.count,
            "required": verdict.required,
            "range_needed_km": report.range_needed_km,
        }
    )
    for fig in report.figures:
        table.add(_figure_row(fig))
    for note in report.notes:
        table.add({"section": "note", "key": note.kind, "text": note.text})
    for src in report.sources:
        table.add(
            {"section": "source", "key": src.key, "text": src.about, **_source_cells(src.source)}
        )
    return table


def _figure_row(fig) -> dict[str, Any]:
    return {
        "section": "figure",
        "key": fig.key,
        "text": fig.label,
        "system_id": fig.system,
        "figure_kind": fig.kind,
        "against": fig.against,
        "min_range_km": fig.min_km,
        "range_km": fig.max_km,
        "targets_in_range": fig.in_range,
        "targets": fig.count,
        "share": fig.share,
        "holds": fig.holds,
        "range_needed_km": fig.range_needed_km,
        "people": fig.people,
    }


# --------------------------------------------------------------------------- writing


def _write(tables: Sequence[Table], path: str | os.PathLike[str]) -> Path:
    """Write the tables and their styles to ``path``, atomically."""
    if not tables:
        raise ParameterError("nothing to write: no layer has any row", parameter="envelopes")
    import sqlite3

    import pyogrio.errors

    how, _ = check_target(path)
    with _building(path, how) as tmp:
        try:
            for table in tables:
                _write_table(tmp, table)
            write_styles(tmp, tables)
        except (
            sqlite3.Error,
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
        ) as err:
            # GDAL's or SQLite's own I/O (a full disk): the temporary file goes with it.
            raise ExportError(f"cannot write {path}: {err}") from err
    return Path(path)


@contextlib.contextmanager
def _building(path: str | os.PathLike[str], how: str) -> Iterator[str]:
    """Yield a temporary ``.gpkg`` name; move it to ``path`` when the block succeeds.

    A regular target gets the file by rename from its own folder (atomic); a device,
    FIFO or descriptor gets its bytes copied (a GeoPackage is a SQLite database and
    cannot be written as a stream).
    """
    target = Path(os.path.realpath(path)) if how == "replace" else None
    folder = str(target.parent) if target is not None else None
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=folder) as scratch:
        tmp = os.path.join(scratch, "out.gpkg")
        try:
            yield tmp
            if target is not None:
                _copy_mode(target, tmp)
                os.replace(tmp, target)
            else:
                with open(tmp, "rb") as src, atomic_write(path, encoding=None) as out:
                    shutil.copyfileobj(src, out)
        except OSError as err:
            if isinstance(err, ExportError):
                raise
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from err


def _write_table(path: str, table: Table) -> None:
    """Write one table through GDAL (pyogrio), each column in its declared type."""
    import pyogrio.raw

    data, masks = zip(*(_column(table, name) for name in table.columns), strict=True)
    geometry_type = GEOMETRY_TYPES[table.name]
    append = os.path.exists(path)
    wkb = None
    if geometry_type is not None:
        wkb = np.array(shapely.to_wkb(table.geometries), dtype=object)
    pyogrio.raw.write(
        path,
        wkb,
        field_data=list(data),
        fields=list(table.columns),
        field_mask=list(masks),
        layer=table.name,
        driver="GPKG",
        geometry_type=geometry_type,
        crs="EPSG:4326" if geometry_type is not None else None,
        encoding="UTF-8",
        append=append,
        # GeoPackage 1.2: what GDAL before 3.9 and older QGIS and ArcGIS read without a
        # warning; nothing here needs 1.3 or 1.4.
        dataset_options=None if append else {"VERSION": "1.2"},
    )


def _column(table: Table, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """One column as a typed array and a mask of empty cells (None: no empty cell)."""
    kind = field(name).type
    values = [_cell(row.get(name)) for row in table.rows]
    empty = np.array([v is None for v in values], dtype=bool)
    filler = _FILLER[kind]
    data = np.array([filler if v is None else v for v in values], dtype=NUMPY[kind])
    return data, (empty if empty.any() else None)


def _cell(value: Any) -> Any:
    """Return a value as written: None for a missing or non-finite number (NULL in the file)."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


_FILLER = {"TEXT": "", "REAL": np.nan, "INTEGER": 0, "BOOLEAN": False, "DATE": "NaT"}


# --------------------------------------------------------------------------- styles


class Category:
    """One category of a layer's QGIS renderer: a value of its key column and its symbol.

    Attributes
    ----------
    value : str
        The key column's value (``layer`` for envelopes, ``state`` for targets,
        ``site_kind`` for sites).
    label : str
        The legend text.
    style : Style or MarkStyle
        From the scene's style table: a fill for polygons, a marker for points.
    """

    def __init__(self, value: str, label: str, style: Any) -> None:
        self.value = value
        self.label = label
        self.style = style


#: The column each layer's categories are keyed by.
STYLE_COLUMNS = {
    "launch_areas": "origin_used",
    "targets": "state",
    "envelopes": "layer",
    "defences": "layer",
    "sites": "site_kind",
}


def _area_styles():
    from .render.scene import SITE_STYLES, Style

    colour = SITE_STYLES["launch"].colour
    return Style(colour, 0.08, 2.0, None, "threat"), Style(colour, 0.0, 1.5, "2 6", "threat")


def target_categories() -> list[Category]:
    """Return the targets' categories: colours by membership (:data:`TARGET_STYLES`)."""
    from .render.scene import TARGET_STYLES, TARGET_WORDS

    return [Category(k, TARGET_WORDS[k], s) for k, s in TARGET_STYLES.items()]


def site_categories() -> list[Category]:
    """Return the sites' categories: symbols by kind (:data:`SITE_STYLES`)."""
    from .render.scene import SITE_STYLES, SITE_WORDS

    return [Category(k, SITE_WORDS[k], s) for k, s in SITE_STYLES.items()]


def qml(table: Table) -> str:
    """Return the QGIS style (QML) of a table: its renderer, and labels on targets in range.

    Parameters
    ----------
    table : Table

    Returns
    -------
    str
        A QML document (XML); every value from the data is escaped by ElementTree.
    """
    from xml.etree import ElementTree as ET

    _v.instance(table, "table", Table)
    root = ET.Element("qgis", version="3.22", styleCategories="AllStyleCategories")
    root.set("labelsEnabled", "1" if table.name == "targets" else "0")
    if table.name in STYLE_COLUMNS:
        root.append(_renderer(table))
    if table.name == "targets":
        root.append(_labeling("labelled", "name"))
    aliases = ET.SubElement(root, "aliases")
    for i, name in enumerate(table.columns):
        ET.SubElement(aliases, "alias", field=name, index=str(i), name=_alias(name))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def _alias(name: str) -> str:
    unit = field(name).unit
    return f"{name} ({unit})" if unit else name


def _renderer(table: Table):
    from xml.etree import ElementTree as ET

    renderer = ET.Element(
        "renderer-v2", type="categorizedSymbol", attr=STYLE_COLUMNS[table.name], symbollevels="0"
    )
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cat in enumerate(table.categories):
        ET.SubElement(
            categories, "category", render="true", symbol=str(i), value=cat.value, label=cat.label
        )
        symbols.append(_symbol(str(i), cat.style))
    return renderer


def _symbol(name: str, style: Any):
    """Return a QGIS symbol: a fill (fill plus outline line, for dashes) or a simple marker."""
    from xml.etree import ElementTree as ET

    from .render.scene import MarkStyle

    if isinstance(style, MarkStyle):
        symbol = ET.Element("symbol", type="marker", name=name, alpha="1")
        symbol.append(_symbol_layer("SimpleMarker", _marker_props(style)))
        return symbol
    symbol = ET.Element("symbol", type="fill", name=name, alpha="1")
    symbol.append(_symbol_layer("SimpleFill", _fill_props(style)))
    symbol.append(_symbol_layer("SimpleLine", _outline_props(style)))
    return symbol


def _rgba(colour: str, alpha: float = 1.0) -> str:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _marker_props(style) -> dict[str, str]:
    return {
        "name": style.symbol,
        "color": _rgba(style.face),
        "outline_color": _rgba(style.line),
        "outline_width": f"{style.edge_px:g}",
        "outline_width_unit": "Pixel",
        "size": str(style.size_px),
        "size_unit": "Pixel",
    }


def _fill_props(style) -> dict[str, str]:
    return {
        "color": _rgba(style.colour, style.fill_opacity),
        "style": "solid",
        "outline_style": "no",
    }


def _outline_props(style) -> dict[str, str]:
    dash = style.dash_px
    return {
        "line_color": _rgba(style.colour),
        "line_width": str(style.weight),
        "line_width_unit": "Pixel",
        "line_style": "solid",
        "use_custom_dash": "1" if dash else "0",
        "customdash": ";".join(f"{x:g}" for x in dash) if dash else "5;2",
        "customdash_unit": "Pixel",
    }


def _symbol_layer(cls: str, props: dict[str, str]):
    """Return a symbol layer with its properties both as ``Option`` (QGIS 3.26+) and ``prop``."""
    from xml.etree import ElementTree as ET

    layer = ET.Element("layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(layer, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(options, "Option", name=k, value=v, type="QString")
    for k, v in props.items():
        ET.SubElement(layer, "prop", k=k, v=v)
    return layer


def _labeling(flag: str, text: str):
    """Return rule-based labels: ``text`` on features whose ``flag`` column is true."""
    from xml.etree import ElementTree as ET

    labeling = ET.Element("labeling", type="rule-based")
    rules = ET.SubElement(labeling, "rules", key="{root}")
    rule = ET.SubElement(rules, "rule", key="{in-range}", filter=f'"{flag}"')
    rule.set("description", "in range")
    settings = ET.SubElement(rule, "settings")
    ET.SubElement(
        settings,
        "text-style",
        fieldName=text,
        isExpression="0",
        fontSize="9",
        fontSizeUnit="Point",
        textColor="17,17,17,255",
    )
    ET.SubElement(
        settings, "text-buffer", bufferDraw="1", bufferSize="1", bufferColor="255,255,255,255"
    )
    ET.SubElement(settings, "placement", placement="6", dist="2", distUnits="Pixel")
    ET.SubElement(settings, "rendering", obstacle="1")
    return labeling


# QGIS reads a layer's default style from the ``layer_styles`` table it keeps in the
# GeoPackage itself. GDAL has no API for that table (it is QGIS's convention, written
# by QGIS's own provider, not part of the OGC standard), so it is written here with
# sqlite3 in QGIS's own schema, after GDAL has written and closed the layers.
_STYLES_SQL = """
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
    f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def write_styles(path: str, tables: Sequence[Table]) -> None:
    """Add a default QGIS style per table to the GeoPackage at ``path`` (``layer_styles``).

    Parameters
    ----------
    path : str
        A GeoPackage written by GDAL, with the tables' layers.
    tables : sequence of Table
    """
    import sqlite3

    _v.path(path, "path")
    _v.instances(tables, "tables", Table)
    rows = [
        (
            "",
            "",
            t.name,
            "geom" if GEOMETRY_TYPES[t.name] else "",
            t.name,
            qml(t),
            "",
            1,
            f"threat-coverage: {t.name} as the map draws them",
            "",
        )
        for t in tables
    ]
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(_STYLES_SQL)
        db.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,"
            " f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description,"
            " owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier)"
            " VALUES ('layer_styles', 'attributes', 'layer_styles')"
        )
