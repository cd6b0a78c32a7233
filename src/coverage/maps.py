"""Interactive maps of range rings, targets and verdicts, as one offline HTML file.

This is the only module that hands coordinates to folium and Leaflet, and so the
only place where ``[lat, lon]`` order appears; every public argument is still
longitude first. What the maps show:

- **Rings** are the display boundaries of :class:`coverage.envelopes.Envelope`
  (geodesic polygons from :func:`coverage.geodesy.range_ring`), never Leaflet
  circles or buffers. The envelopes of one system and range figure from all their
  origins are merged into one layer ("Iskander-M - declared 50-500 km"): the area
  reached from at least one origin, as :class:`coverage.envelopes.Layer` counts.
  Declared figures are drawn solid, estimated ones dashed, ranges typed in by the
  user dotted; each system has its own colour. Coordinates are rounded to 4 decimals (about 11 m).
- **Web Mercator** cannot show the poles: ring geometry is clipped at latitude
  +-85.0511 for display only.
- **Antimeridian**: ``range_ring`` splits rings at +-180, so nothing is drawn as
  a band across the world. When any ring touches +-180, the map is widened by
  :data:`WRAP_MARGIN_DEG` on both sides: rings are also drawn shifted by +-360
  degrees and the borders within that margin of +-180 are copied, so panning
  across the antimeridian shows the ring continuing (Leaflet draws the world
  once; ``worldCopyJump`` is off and ``maxBounds`` keeps the view inside the
  drawn longitudes).
- **Targets** are Leaflet circle markers (points; only range areas must never be
  circles), coloured by how many of the range figures shown reach them: every
  figure, some figures, or none. Membership comes from exact geodesic distances
  (the verdict's, or :func:`coverage.reach.in_range` without a verdict), never
  from the drawn polygons. The popup gives the distance to the nearest site and
  the margin (range minus distance, km) for every figure.
- **Sites** are Leaflet markers with the default icon.
- **Basemap**: the bundled Natural Earth borders (``data/borders.geojson``,
  public domain) on a sea-coloured background, with no tiles and so no network;
  ``tiles=`` adds online tiles on request.
- A fixed **panel** holds the verdict (claim, speaker, date, verdict in words,
  definition, counts per figure, range needed) or, without a verdict, a legend;
  in both cases the source of every range shown, as links.

The saved HTML is a single file: Leaflet 1.9.4 (vendored from npm, BSD-2-Clause,
see ``scripts/vendor_leaflet.py``) is inlined with its images as data URIs; no
jQuery, Bootstrap or CDN link is used. **Data never passes through a template**:
folium (branca) compiles what its elements render as Jinja, so nothing from data or
from the user is handed to a folium element. The page gets the panel as HTML built
with ``html.escape``, and one JSON document (``<script type="application/json"
id="tc-data">``) that the page's own constant script reads to draw every layer,
marker, tooltip, popup and the layer list (see :class:`_Page`). Every name is
HTML-escaped before it reaches a popup, tooltip, layer name, legend or panel, and the
JSON has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc. so that no value can close
a ``<script>`` element. :func:`page_data` returns that document.

The Leaflet map object is also exposed as ``window.threatCoverageMap`` for scripts
and tests.
"""

from __future__ import annotations

import base64
import copy
import functools
import html
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources as _resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from shapely.geometry import LineString, box, mapping

from . import resources, stakes
from ._atomic import write_text_atomic
from .claims import Verdict, ad_hoc_claim, judge
from .envelopes import Envelope, Layer, group
from .errors import ParameterError
from .reach import measure
from .systems import Site, Source
from .targets import TargetSet

__all__ = [
    "coverage_map",
    "verdict_map",
    "save_map",
    "render_html",
    "page_data",
    "LEAFLET_VERSION",
    "MERCATOR_MAX_LAT",
    "WRAP_MARGIN_DEG",
    "COORDINATE_DECIMALS",
]

#: The vendored Leaflet release inlined into every map.
LEAFLET_VERSION = "1.9.4"
#: Web Mercator's latitude limit (degrees); ring geometry is clipped here for display.
MERCATOR_MAX_LAT = 85.0511287798066
#: Degrees of longitude drawn beyond +-180 when a ring touches the antimeridian.
WRAP_MARGIN_DEG = 60.0
#: More target markers than this make a page browsers cannot handle well.
MAX_MAP_TARGETS = 5_000
#: Decimal places of ring coordinates in the map (1e-4 degree is about 11 m).
COORDINATE_DECIMALS = 4
_POINT_DECIMALS = 5

_SEA = "#cfe1ee"
_LAND = "#f7f4ec"
_BORDER = "#a3a3a3"
_PALETTE = ("#c0392b", "#1f5fa8", "#7b3fa0", "#d4760a", "#23854a", "#8c564b", "#c2408f", "#138a9c")
_GIVEN_COLOUR = "#333333"
_DASH = {"declared": None, "estimated": "9 6", "given": "2 6"}
_FILL_OPACITY = {"declared": 0.10, "estimated": 0.06, "given": 0.08}
_TARGET_COLOURS = {"all": "#b2182b", "some": "#f0a030", "none": "#6b7f95"}
_TARGET_WORDS = {
    "all": "in range at every figure shown",
    "some": "in range at some figures only",
    "none": "out of range at every figure shown",
}
_SAFE_SCHEMES = ("http", "https")
_PANEL_WIDTH_PX = 390


# --------------------------------------------------------------------------- text


def _e(value: Any) -> str:
    """HTML-escape anything shown in the page (quotes too, for attribute values)."""
    return html.escape(str(value), quote=True)


def _link(url: str | None, text: str) -> str:
    """Return an escaped ``<a href>`` for an http(s) URL, or escaped text for anything else."""
    if url and urlsplit(url.strip()).scheme.lower() in _SAFE_SCHEMES:
        href = _e(url.strip())
        return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _js_json(obj: Any) -> str:
    """Compact JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` characters.

    Writing them as ``\\u003c`` etc. means no string in the data can close the script
    element (``</script>``) or open an HTML comment; U+2028/2029 are escaped for old
    JavaScript parsers.
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _km(value: float) -> str:
    return f"{value:,.1f} km"


def _degrees(value: float, positive: str, negative: str) -> str:
    """E.g. ``"20.5100\u00b0 E"`` or ``"17.0000\u00b0 S"``."""
    return f"{abs(value):.4f}\u00b0 {positive if value >= 0 else negative}"


# --------------------------------------------------------------------------- vendored Leaflet


def _vendor_file(name: str) -> bytes:
    item = _resources.files("coverage").joinpath("_vendor").joinpath("leaflet")
    for part in name.split("/"):
        item = item.joinpath(part)
    return item.read_bytes()


def _data_uri(name: str) -> str:
    encoded = base64.b64encode(_vendor_file("images/" + name)).decode("ascii")
    return "data:image/png;base64," + encoded


@functools.lru_cache(maxsize=1)
def _leaflet_inline() -> tuple[str, str]:
    """Return Leaflet's CSS and JS as ``<style>`` and ``<script>`` blocks, images inlined."""
    css = _vendor_file("leaflet.css").decode("utf-8")
    css = re.sub(
        r"url\(images/([A-Za-z0-9_-]+\.png)\)", lambda m: f"url({_data_uri(m.group(1))})", css
    )
    js = _vendor_file("leaflet.js").decode("utf-8").replace("</", "<\\/")
    icons = {
        "iconUrl": _data_uri("marker-icon.png"),
        "iconRetinaUrl": _data_uri("marker-icon-2x.png"),
        "shadowUrl": _data_uri("marker-shadow.png"),
    }
    setup = f"L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({_js_json(icons)});"
    return f"<style>{css}</style>", f"<script>{js}</script><script>{setup}</script>"


_PAGE_CSS = f"""
.leaflet-container {{ background: {_SEA}; font: 13px/1.4 system-ui, -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, sans-serif; }}
.tc-panel {{ position: fixed; top: 10px; left: 56px; z-index: 1000; width: {_PANEL_WIDTH_PX}px;
  max-width: calc(100vw - 80px); max-height: calc(100vh - 64px); overflow: auto;
  background: rgba(255,255,255,0.95); border: 1px solid #bbb; border-radius: 6px;
  box-shadow: 0 1px 6px rgba(0,0,0,0.25); padding: 8px 12px;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; }}
.tc-panel summary {{ cursor: pointer; font-weight: 600; font-size: 15px; }}
.tc-panel h3 {{ font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #555;
  margin: 10px 0 3px; }}
.tc-panel p {{ margin: 3px 0; }}
.tc-panel ul {{ margin: 2px 0; padding-left: 16px; }}
.tc-panel table, .tc-popup table {{ border-collapse: collapse; width: 100%; }}
.tc-panel td, .tc-panel th, .tc-popup td, .tc-popup th {{ padding: 1px 4px; text-align: left;
  vertical-align: top; }}
.tc-panel td.num, .tc-popup td.num {{ text-align: right; white-space: nowrap; }}
.tc-quote {{ font-style: italic; }}
.tc-badge {{ display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff;
  font-weight: 700; }}
.tc-badge-true {{ background: #2b6a3f; }} .tc-badge-false {{ background: #b2182b; }}
.tc-badge-depends {{ background: #b86b00; }}
.tc-dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  border: 1px solid #333; vertical-align: -1px; }}
.tc-swatch {{ vertical-align: -2px; }}
.tc-small {{ font-size: 11px; color: #555; }}
.tc-popup {{ font-size: 12px; min-width: 230px; }}
.leaflet-container .leaflet-control-attribution {{ font-size: 11px; max-width: 50vw; }}
.leaflet-control-layers-expanded {{ font-size: 12px; line-height: 1.3; padding: 4px 8px; }}
"""


# --------------------------------------------------------------------------- folium elements
#
# branca compiles what a folium element renders as a *new* Jinja template: a
# MacroElement's script output is wrapped in ``Element(text)``, whose text is template
# source. Anything from data that reached such output would be code (``{{ 7*7 }}`` in a
# name printed 49). So no data is ever handed to a folium element here: the map holds
# one element, :class:`_Page`, which adds finished text to the page through
# :class:`_Raw` (rendered verbatim, never compiled). The only text it adds is our
# own constant HTML, CSS and JavaScript, the panel built with html.escape, and one
# JSON document (``<script type="application/json" id="tc-data">``) that the page's
# own script reads with ``JSON.parse`` to draw every layer, marker, tooltip, popup
# and the layer list.


class _Raw(Element):
    """Finished text for the page, rendered as it is: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: D102 (branca hook)
        return self.text


#: The page's own script: draws everything described by the JSON document ``tc-data``.
#: A constant: nothing from data is ever part of it.
_PAGE_JS = """
(function (map) {
  "use strict";
  var data = JSON.parse(document.getElementById("tc-data").textContent);
  map.createPane("tcBase").style.zIndex = 350;
  map.createPane("tcPoints").style.zIndex = 450;
  window.threatCoverageMap = map;
  if (map.attributionControl) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  }
  var panel = document.getElementById("tc-panel");
  var panelRight = panel ? panel.offsetLeft + panel.offsetWidth + 10 : 10;
  // Fit the view before any layer is added, so that layers are drawn once; leave
  // room for the panel when the window is wide enough for both.
  var left = panel && window.innerWidth > 2.4 * panel.offsetWidth ? panelRight : 10;
  map.fitBounds(data.view, {
    paddingTopLeft: [left, 10], paddingBottomRight: [10, 10], animate: false
  });
  var control = L.control.layers(null, null, {collapsed: false});
  if (data.tiles) {
    control.addBaseLayer(L.tileLayer(data.tiles.url, data.tiles.options).addTo(map),
                         data.tiles.name);
  }
  function geoJson(part, parent) {
    var layer = L.geoJson(part.data, part.options);
    if (part.tooltip) { layer.bindTooltip(part.tooltip, {sticky: true}); }
    return layer.addTo(parent);
  }
  // The basemap: on the map itself, or a layer of its own over online tiles.
  var base = data.base.name ? L.featureGroup() : map;
  data.base.parts.forEach(function (part) { geoJson(part, base); });
  if (data.base.name) { control.addOverlay(base.addTo(map), data.base.name); }
  data.layers.forEach(function (layer) {
    var group = L.featureGroup();
    layer.parts.forEach(function (part) { geoJson(part, group); });
    control.addOverlay(group.addTo(map), layer.name);
  });
  // Keep opened popups clear of the fixed panel.
  var popupOptions = {maxWidth: 380, autoPanPaddingTopLeft: L.point(panelRight, 10)};
  data.points.forEach(function (set) {
    var group = L.featureGroup([], set.attribution ? {attribution: set.attribution} : {});
    var icon = set.kind === "icon" ? new L.Icon.Default({className: "tc-site"}) : null;
    set.points.forEach(function (p) {
      var marker = set.kind === "icon"
        ? L.marker([p.lat, p.lon], {icon: icon, alt: p.alt || ""})
        : L.circleMarker([p.lat, p.lon], p.style);
      if (p.tooltip) { marker.bindTooltip(p.tooltip, {direction: "top"}); }
      if (p.popup) { marker.bindPopup(p.popup, popupOptions); }
      marker.addTo(group);
    });
    control.addOverlay(group.addTo(map), set.name);
  });
  control.addTo(map);
})
"""


class _Page(MacroElement):
    """Everything threat-coverage adds to a folium map, as finished text.

    ``head`` goes into the document head, ``body`` into the body (the panel), and
    ``data`` (JSON-ready) is drawn by :data:`_PAGE_JS`. :meth:`render` overrides
    MacroElement's, which would compile rendered text as a template.
    """

    def __init__(self, *, head: str, body: str, data: dict) -> None:
        super().__init__()
        self._name = "ThreatCoveragePage"
        self.head = head
        self.body = body
        self.data = data

    def render(self, **kwargs) -> None:  # noqa: D102 (branca hook)
        figure = self.get_root()
        map_name = self._parent.get_name()  # folium's own id: a word and hex digits
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", map_name):
            raise ParameterError(f"unexpected folium map name {map_name!r}")
        island = f'<script type="application/json" id="tc-data">{_js_json(self.data)}</script>'
        figure.header.add_child(_Raw(self.head), name="tc_head")
        figure.html.add_child(_Raw(self.body + island), name="tc_body")
        figure.script.add_child(_Raw(f"{_PAGE_JS}({map_name});"), name="tc_draw")


def page_data(m: folium.Map) -> dict:
    """Return the JSON document a map of :func:`coverage_map` draws from (for tests and tools).

    Raises
    ------
    ParameterError
        If ``m`` was not made by :func:`coverage_map`.
    """
    page = m._children.get("tc_page")
    if not isinstance(page, _Page):
        raise ParameterError("m: not a map made by coverage_map or verdict_map")
    return page.data


# --------------------------------------------------------------------------- geometry for display


def _touches_antimeridian(geom) -> bool:
    minx, _, maxx, _ = geom.bounds
    return minx <= -180.0 + 1e-9 or maxx >= 180.0 - 1e-9


def _shift(geom, dx: float):
    return shapely.transform(geom, lambda xy: xy + np.array([dx, 0.0]))


def _polygons(geom) -> list:
    """Return the polygons of any geometry (dropping points and lines)."""
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _display_polygons(geom, *, wrap: bool) -> list:
    """Prepare a lon/lat polygon for Leaflet: copies at +-360 if wrapping, Mercator clip."""
    # One degree beyond the map's maxBounds, so that the clip edge is never stroked in view.
    margin = WRAP_MARGIN_DEG + 1.0 if wrap else 0.0
    minx, miny, maxx, maxy = geom.bounds
    # Copies shifted by +-360 only reach the drawn longitudes from within `margin` of +-180.
    copies = [geom]
    if wrap and minx + 360.0 < 180.0 + margin:
        copies.append(_shift(geom, 360.0))
    if wrap and maxx - 360.0 > -180.0 - margin:
        copies.append(_shift(geom, -360.0))
    if len(copies) > 1:
        geom = shapely.union_all(copies)
        minx, miny, maxx, maxy = geom.bounds
    inside = minx >= -180.0 - margin and maxx <= 180.0 + margin
    if inside and -MERCATOR_MAX_LAT <= miny and maxy <= MERCATOR_MAX_LAT:
        return _polygons(geom)
    clip = box(-180.0 - margin, -MERCATOR_MAX_LAT, 180.0 + margin, MERCATOR_MAX_LAT)
    return _polygons(geom.intersection(clip))


def _round(geom, decimals: int = COORDINATE_DECIMALS):
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def _feature_collection(polygons: list) -> dict:
    features = [
        {"type": "Feature", "properties": {}, "geometry": mapping(_round(p))} for p in polygons
    ]
    return {"type": "FeatureCollection", "features": features}


def _unwrapped_bounds(geom, lon: float) -> tuple[float, float, float, float]:
    """Bounds of a ring with each part shifted to lie within 180 degrees of its centre."""
    parts = []
    for part in _polygons(geom):
        cx = part.centroid.x
        if cx - lon > 180.0:
            part = _shift(part, -360.0)
        elif cx - lon < -180.0:
            part = _shift(part, 360.0)
        parts.append(part)
    return shapely.union_all(parts).bounds if parts else (lon, 0.0, lon, 0.0)


@functools.lru_cache(maxsize=1)
def _borders() -> tuple[dict, str]:
    """Return the bundled borders FeatureCollection and its credit line."""
    with open(resources.data_path("borders.geojson"), encoding="utf-8") as stream:
        data = json.load(stream)
    credit = data.get("attribution") or "Borders: Natural Earth (public domain)"
    return {"type": "FeatureCollection", "features": data["features"]}, credit


def _border_copies(borders: dict) -> dict:
    """Borders within WRAP_MARGIN_DEG of +-180, shifted by 360 to the other side."""
    east = box(180.0 - WRAP_MARGIN_DEG, -90.0, 180.0, 90.0)
    west = box(-180.0, -90.0, -180.0 + WRAP_MARGIN_DEG, 90.0)
    polygons = []
    for feature in borders["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        for window, dx in ((east, -360.0), (west, 360.0)):
            if shape.intersects(window):
                polygons.extend(_shift(p, dx) for p in _polygons(shape.intersection(window)))
    features = [
        {"type": "Feature", "properties": {}, "geometry": mapping(_round(p, 3))} for p in polygons
    ]
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- what is drawn


@dataclass
class _Figure:
    """One map layer: a figure's envelopes from every origin, its colour and membership."""

    layer: Layer
    colour: str
    in_range: tuple[bool, ...] | None = None  # per target, from the verdict
    margins_km: tuple[float, ...] | None = None  # per target, from the verdict
    tag: str = ""  # tells apart figures whose titles would otherwise be equal

    @property
    def title(self) -> str:
        """Plain-text layer title, e.g. ``"Iskander-M \u2014 declared 50\u2013500 km"``."""
        tag = f" ({self.tag})" if self.tag else ""
        return f"{self.layer.title}{tag}"

    def swatch(self) -> str:
        """Inline SVG sample of the line and fill (colour and dash only, nothing from data)."""
        kind = self.layer.kind
        dash = _DASH.get(kind)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            '<svg class="tc-swatch" width="28" height="12" aria-hidden="true">'
            f'<rect x="1" y="1" width="26" height="10" fill="{self.colour}" '
            f'fill-opacity="{_FILL_OPACITY.get(kind, 0.08) * 2.5:.2f}" stroke="{self.colour}" '
            f'stroke-width="2"{dash_attr}/></svg>'
        )


def _group(items: Sequence[Envelope]) -> list[_Figure]:
    """Group envelopes into layers (see :func:`coverage.envelopes.group`); colour by system."""
    colours: dict[str | None, str] = {}
    figures = []
    for layer in group(items):
        system_id = layer.system.id if layer.system is not None else None
        if system_id not in colours:
            if system_id is None:
                colours[None] = _GIVEN_COLOUR
            else:
                used = sum(1 for k in colours if k is not None)
                colours[system_id] = _PALETTE[used % len(_PALETTE)]
        figures.append(_Figure(layer, colours[system_id]))
    # Layer names are keys of the layer control: make equal titles distinct.
    titles = [f.title for f in figures]
    for f in figures:
        if titles.count(f.title) > 1:
            f.tag = f.layer.figure.label or ""
    titles = [f.title for f in figures]
    for i, f in enumerate(figures):
        if titles.count(f.title) > 1:
            f.tag = f"{f.tag}, {i + 1}" if f.tag else str(i + 1)
    return figures


@dataclass
class _TargetRow:
    """Everything a target's marker and popup show."""

    name: str
    country: str | None
    lon: float
    lat: float
    distance_km: float | None
    nearest: Site | None
    in_range: list[bool]  # per figure
    margins_km: list[float]  # per figure: coverage.reach.margins_km
    stakes: list[str] = field(default_factory=list)  # time to target, population (#16)


def _target_rows(targets: TargetSet, figures: list[_Figure], verdict: Verdict) -> list[_TargetRow]:
    """Distances and membership per target, as the verdict has them."""
    return [
        _TargetRow(
            r.target.name,
            r.target.country,
            r.target.lon,
            r.target.lat,
            r.distance_km,
            r.nearest_site,
            [bool(f.in_range[j]) for f in figures],
            [float(f.margins_km[j]) for f in figures],
            stakes.target_lines(verdict, j),
        )
        for j, r in enumerate(verdict.reaches)
    ]


def _nearest_rows(targets: TargetSet, sites: list[Site]) -> list[_TargetRow]:
    """Targets with no range shown: the distance to the nearest site, if any."""
    if not sites:
        return [_TargetRow(t.name, t.country, t.lon, t.lat, None, None, [], []) for t in targets]
    dist = measure(sites, list(targets.targets))
    idx, km = dist.nearest_index, dist.nearest_km
    return [
        _TargetRow(t.name, t.country, t.lon, t.lat, float(km[j]), dist.sites[int(idx[j])], [], [])
        for j, t in enumerate(targets.targets)
    ]


def _status(flags: list[bool]) -> str:
    if flags and all(flags):
        return "all"
    return "some" if any(flags) else "none"


def _target_popup(row: _TargetRow, figures: list[_Figure], *, territory: bool = False) -> str:
    parts = [f'<div class="tc-popup"><b>{_e(row.name)}</b>']
    if row.country and row.country != row.name:
        parts.append(f"<br>{_e(row.country)}")
    if row.distance_km is not None and row.nearest is not None:
        what = "Nearest point of its territory" if territory else "Distance to nearest site"
        parts.append(
            f"<br>{what}: <b>{_km(row.distance_km)}</b> "
            f"({'from ' if territory else ''}{_e(row.nearest.name)})"
        )
    for line in row.stakes:
        parts.append(f"<br>{_e(line)}")
    if figures:
        parts.append("<table><tr><th>Range figure</th><th>Margin</th><th></th></tr>")
        for f, reached, margin in zip(figures, row.in_range, row.margins_km, strict=False):
            if reached:
                word = "in range"
            elif 0 < (row.distance_km or 0.0) < f.layer.figure.min_km or (
                row.distance_km == 0.0 and f.layer.figure.min_km > 0
            ):
                word = f"inside the {f.layer.figure.min_km:,.0f} km minimum range"
            else:
                word = "out of range"
            shown = "" if math.isinf(margin) else f"{margin:+,.1f} km"
            if math.isinf(margin):
                word = "outside the sector"
            parts.append(
                f"<tr><td>{f.swatch()} {_e(f.title)}</td>"
                f'<td class="num">{shown}</td><td>{word}</td></tr>'
            )
        parts.append(
            '</table><span class="tc-small">Margin = maximum range minus distance to the '
            "nearest launch site (positive: inside); inside a minimum range, distance minus "
            "that minimum (negative).</span>"
        )
    parts.append("</div>")
    return "".join(parts)


def _site_popup(site: Site, systems: list[str]) -> str:
    parts = [f'<div class="tc-popup"><b>{_e(site.name)}</b>']
    where = f"{_degrees(site.lon, 'E', 'W')}, {_degrees(site.lat, 'N', 'S')}"
    parts.append(f"<br>{where} ({_e(site.location_precision)})")
    if systems:
        parts.append(f"<br>Systems shown: {_e(', '.join(systems))}")
    if site.source is not None:
        parts.append(f"<br>Location: {_source_html(site.source)}")
    parts.append("</div>")
    return "".join(parts)


def _source_html(source: Source | None) -> str:
    if source is None:
        return "no source (range given by the user)"
    extra = ", ".join(_e(x) for x in (source.publisher, source.date) if x)
    text = _link(source.url, source.title)
    return f"{text} ({extra})" if extra else text


# --------------------------------------------------------------------------- panel


def _panel_html(
    *,
    title: str,
    figures: list[_Figure],
    verdict: Verdict | None,
    targets: TargetSet | None,
    statuses: dict[str, int],
    credits: list[str],
) -> str:
    out = [f'<div class="tc-panel" id="tc-panel"><details open><summary>{_e(title)}</summary>']
    if verdict is not None:
        out.append(_verdict_html(verdict, figures))
    elif figures:
        out.append("<h3>Range rings</h3><table>")
        for f in figures:
            sites = ", ".join(s.name for s in f.layer.origins)
            out.append(
                f"<tr><td>{f.swatch()}</td><td>{_e(f.title)}<br>"
                f'<span class="tc-small">from {_e(sites)}</span></td></tr>'
            )
        out.append("</table>")
    if targets is not None and len(targets):
        out.append("<h3>Targets</h3>")
        if verdict is None:
            out.append(f"<p>{_e(targets.label)}</p>")
        out.append("<p>")
        for status in ("all", "some", "none"):
            if figures or status == "none":
                colour = _TARGET_COLOURS[status]
                out.append(
                    f'<span class="tc-dot" style="background:{colour}"></span> '
                    f"{_TARGET_WORDS[status]} ({statuses.get(status, 0)})<br>"
                )
        out.append(
            '</p><p class="tc-small">Whether a target is reached is decided by its exact '
            "geodesic distance (WGS84), not by the drawn shapes. Click a target for its "
            "distance and margins.</p>"
        )
    if figures:
        out.append("<h3>Sources of the ranges shown</h3><ul>")
        for f in figures:
            out.append(f"<li>{_e(f.title)}: {_source_html(f.layer.figure.source)}</li>")
        out.append("</ul>")
    if credits:
        joined = " \u00b7 ".join(_e(c) for c in credits)
        out.append(f'<p class="tc-small">{joined}</p>')
    out.append("</details></div>")
    return "".join(out)


def _summary_text(verdict: Verdict) -> str:
    """verdict.summary without its leading ``"FALSE: "`` (the badge shows the word)."""
    summary = verdict.summary
    head, sep, rest = summary.partition(": ")
    if sep and head == verdict.verdict.upper():
        return rest[:1].upper() + rest[1:]
    return summary


def _verdict_html(verdict: Verdict, figures: list[_Figure]) -> str:
    claim = verdict.claim
    out = []
    if claim.quote:
        out.append(f'<p class="tc-quote">\u201c{_e(claim.quote)}\u201d</p>')
    who = ", ".join(x for x in (claim.speaker, claim.date) if x)
    if who:
        out.append(f"<p>\u2014 {_e(who)}</p>")
    if claim.sources:
        links = "; ".join(_source_html(s) for s in claim.sources)
        out.append(f'<p class="tc-small">Reported by: {links}</p>')
    badge = {"true": "true", "false": "false"}.get(verdict.verdict, "depends")
    out.append(
        f'<h3>Verdict</h3><p><span class="tc-badge tc-badge-{badge}">{_e(verdict.verdict.upper())}'
        f"</span> {_e(_summary_text(verdict))}</p>"
    )
    n = len(verdict.targets)
    used = _e(verdict.targets.label)
    if verdict.targets.kind == "territories":
        used += (
            ". A country counts when any point of its territory (Natural Earth 1:50m) is "
            "in range; it is marked at its capital."
        )
    out.append(f"<h3>Definition used</h3><p>{used}</p>")
    out.append(
        "<h3>In range, per figure</h3><table>"
        "<tr><th></th><th>Range figure</th><th>In range</th><th>Claim</th></tr>"
    )
    by_key = {f.layer.first.layer_key: f for f in figures}
    for ev in verdict.evaluations:
        f = by_key.get(ev.layer.first.layer_key)
        swatch = f.swatch() if f is not None else ""
        label = f.title if f is not None else _Figure(ev.system, ev.figure, [], "").title
        mark = "holds" if ev.holds else "fails"
        out.append(
            f"<tr><td>{swatch}</td><td>{_e(label)}</td>"
            f'<td class="num">{ev.targets_in_range} of {n}</td><td>{mark}</td></tr>'
        )
    out.append("</table>")
    if math.isinf(verdict.range_needed_km):
        needed = _e(verdict.range_needed_text)
    else:
        needed = f"the claim would hold from <b>{verdict.range_needed_km:,.0f} km</b>"
    out.append(
        f"<p>Needed: at least {verdict.required} of {n} "
        f"({verdict.share_claimed:.0%}); {needed}.</p>"
    )
    out.extend(f'<p class="tc-small">{_e(line)}</p>' for line in stakes.panel_lines(verdict))
    if verdict.by_origin:
        out.append(
            "<h3>From each origin</h3><table><tr><th>Launched from</th>"
            + "".join(f'<th class="num">{_e(_kind_letter(e))}</th>' for e in verdict.evaluations)
            + '<th class="num">Holds from</th></tr>'
        )
        for i, o in enumerate(verdict.by_origin):
            used = " (shown)" if i == 0 else ""
            counts = "".join(f'<td class="num">{c}/{n}</td>' for c in o.in_range)
            out.append(
                f"<tr><td>{_e(o.label)}{used}: <b>{_e(o.verdict)}</b></td>{counts}"
                f'<td class="num">{o.range_needed_km:,.0f} km</td></tr>'
            )
        out.append(
            '</table><p class="tc-small">Launchers are mobile: from anywhere in an area, '
            "distances are from its nearest point.</p>"
        )
    return "".join(out)


def _kind_letter(ev) -> str:
    """E.g. ``"500 km E"``: a figure's range and kind in a few characters."""
    return f"{ev.figure.km:,.0f} km {ev.kind[0].upper()}"


# --------------------------------------------------------------------------- public API


def coverage_map(
    covering: Sequence[Envelope],
    *,
    targets: TargetSet | None = None,
    verdict: Verdict | None = None,
    sites: Sequence[Site] = (),
    title: str | None = None,
    tiles: str | None = None,
    judged: Verdict | None = None,
) -> folium.Map:
    """Return an offline folium map of envelopes, targets and (optionally) a verdict.

    Parameters
    ----------
    covering : sequence of Envelope
        What each figure covers from each origin (:func:`coverage.envelopes.envelopes`);
        their display boundaries are drawn (lon/lat degrees). The envelopes of one
        (system, figure) from several origins become one layer, the area reached from
        at least one of them. May be empty if there are targets or sites.
    targets : TargetSet, optional
        Points to mark; by default the verdict's targets. Their colour and popup come
        from a verdict: the one given, or, without one, a verdict judged on these
        envelopes and targets (shown on the markers only, not in the panel).
    verdict : Verdict, optional
        Shown in the panel (claim, speaker, date, verdict, definition, counts per
        figure, range needed). Its figures decide which targets are in range.
    sites : sequence of Site, default ()
        Sites to mark in addition to the envelopes' origins (lon/lat degrees).
    title : str, optional
        Heading of the panel and the page title.
    tiles : str, optional
        A folium tiles name or URL template (e.g. ``"OpenStreetMap"``) to add online
        tiles. By default there are none and the map needs no network: the bundled
        Natural Earth borders are the basemap.
    judged : Verdict, optional
        A verdict that says which targets are in range without being shown in the
        panel (see :func:`verdict_map` with ``panel=False``).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` (one HTML file, Leaflet inlined).

    Raises
    ------
    ParameterError
        If there is nothing to draw, an item of ``covering`` is not an Envelope,
        ``targets`` is not the verdict's target set, there are more than
        :data:`MAX_MAP_TARGETS` targets, or ``tiles`` names no known provider.
    """
    covering = list(covering)
    figures = _group(covering)
    judged = verdict if verdict is not None else judged
    if judged is not None and targets is None:
        targets = judged.targets
    if targets is not None and len(targets) > MAX_MAP_TARGETS:
        raise ParameterError(
            f"targets: {len(targets):,} are too many for one map (at most "
            f"{MAX_MAP_TARGETS:,}); export the numbers as CSV or GeoJSON instead",
            parameter="targets",
        )
    if judged is not None and tuple(targets.targets) != tuple(judged.targets.targets):
        raise ParameterError(
            "targets differ from the verdict's targets; leave out targets= to show "
            "the verdict's, or build the verdict on these targets",
            parameter="targets",
        )
    # Membership always comes from a verdict: without one, judge the targets shown.
    if judged is None and covering and targets is not None and len(targets):
        judged = judge(ad_hoc_claim(1.0), covering, targets)
    if judged is not None:
        by_key = {e.layer.first.layer_key: e for e in judged.evaluations}
        for f in figures:
            ev = by_key.get(f.layer.first.layer_key)
            if ev is not None:
                f.in_range, f.margins_km = ev.in_range, ev.margins_km
    all_sites: dict[tuple, Site] = {}
    for s in [
        *(e.origin for e in covering),
        *(verdict.sites if verdict is not None else ()),
        *sites,
    ]:
        all_sites.setdefault((s.id, s.name, s.lon, s.lat), s)
    site_list = list(all_sites.values())
    if not covering and not site_list and (targets is None or not len(targets)):
        raise ParameterError(
            "nothing to draw: give at least one envelope, site or target", parameter="covering"
        )

    wrap = any(_touches_antimeridian(e.geometry) for e in covering)
    margin = WRAP_MARGIN_DEG if wrap else 0.0
    heading = title or (_verdict_title(verdict) if verdict is not None else "Range rings")

    m = folium.Map(
        location=[50.0, 20.0],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        max_bounds=True,
        min_lat=-MERCATOR_MAX_LAT,
        max_lat=MERCATOR_MAX_LAT,
        min_lon=-180.0 - margin,
        max_lon=180.0 + margin,
        world_copy_jump=False,
        max_bounds_viscosity=1.0,
        minZoom=1,
        zoom_snap=0.25,
    )
    m.default_js = []
    m.default_css = []
    css, js = _leaflet_inline()
    head = f"<title>{_e(heading)}</title>{css}<style>{_PAGE_CSS}</style>{js}"
    data: dict[str, Any] = {
        "view": _view_bounds(covering, site_list, targets, margin),
        "tiles": _tiles(tiles) if tiles else None,
        "base": _base_layer(wrap=wrap, over_tiles=bool(tiles)),
        "layers": [_figure_layer(f, wrap=wrap) for f in figures],
        "points": [],
    }

    statuses: dict[str, int] = {}
    credits = [_borders()[1]]
    if targets is not None and len(targets):
        if judged is not None:
            rows = _target_rows(targets, figures, judged)
        else:
            rows = _nearest_rows(targets, site_list)
        points = []
        for row in rows:
            status = _status(row.in_range)
            statuses[status] = statuses.get(status, 0) + 1
            colour = _TARGET_COLOURS[status]
            points.append(
                {
                    "lat": round(row.lat, _POINT_DECIMALS),
                    "lon": round(row.lon, _POINT_DECIMALS),
                    "tooltip": _e(row.name),
                    "popup": _target_popup(row, figures, territory=targets.kind == "territories"),
                    "style": {
                        "radius": 5,
                        "color": "#222",
                        "weight": 1,
                        "fillColor": colour,
                        "fillOpacity": 0.95,
                        "pane": "tcPoints",
                        "className": f"tc-target tc-target-{status}",
                    },
                }
            )
        data["points"].append(
            {
                "name": f'<span class="tc-dot" style="background:{_TARGET_COLOURS["all"]}">'
                f"</span> Targets ({_e(_targets_short(targets))})",
                "kind": "circle",
                "attribution": _e(targets.attribution) if targets.attribution else None,
                "points": points,
            }
        )
        if targets.attribution:
            credits.append(targets.attribution)

    if site_list:
        points = [
            {
                "lat": round(s.lat, _POINT_DECIMALS),
                "lon": round(s.lon, _POINT_DECIMALS),
                "tooltip": _e(s.name),
                "alt": s.name,
                "popup": _site_popup(s, _systems_for(s, figures)),
            }
            for s in site_list
        ]
        data["points"].append(
            {"name": "Launch sites", "kind": "icon", "attribution": None, "points": points}
        )

    body = _panel_html(
        title=heading,
        figures=figures,
        verdict=verdict,
        targets=targets,
        statuses=statuses,
        credits=credits,
    )
    m.add_child(_Page(head=head, body=body, data=data), name="tc_page")
    return m


def _tiles(tiles: str) -> dict:
    """Online tiles as data for the page: name, URL template and Leaflet options.

    ``tiles`` is a short name (``osm``, ``topo``, ``satellite``, ``humanitarian``),
    an xyzservices provider name (``OpenStreetMap.Mapnik``, ``Esri.WorldTopoMap``;
    case, spaces and dots do not matter) or a URL template, which folium refuses
    without an attribution. A provider brings its own attribution and maximum zoom;
    one that needs an API key is refused. The layer itself is drawn by the page's
    script, so neither the URL nor the attribution ever reaches a template.
    """
    import xyzservices  # a dependency of folium

    aliases = {
        "osm": "OpenStreetMap.Mapnik",
        "openstreetmap": "OpenStreetMap.Mapnik",
        "topo": "OpenTopoMap",
        "opentopomap": "OpenTopoMap",
        "satellite": "Esri.WorldImagery",
        "humanitarian": "OpenStreetMap.HOT",
    }
    known = "osm, topo, satellite, humanitarian or an xyzservices name such as Esri.WorldTopoMap"
    given = tiles.strip()
    source: Any = aliases.get(" ".join(given.lower().split()), given)
    if "{" not in source:  # a provider name, not a URL template
        try:
            source = xyzservices.providers.query_name(source)
        except ValueError as err:
            raise ParameterError(
                f"tiles: unknown tile provider {tiles!r}; give {known}", parameter="tiles"
            ) from err
        if source.requires_token():
            raise ParameterError(
                f"tiles: {tiles!r} ({source.name}) needs an API key; give {known}",
                parameter="tiles",
            )
    try:
        layer = folium.TileLayer(source, control=True)
    except ValueError as err:  # folium: a URL template without attribution
        raise ParameterError(
            f"tiles: {tiles!r}: {err} Give a provider name instead: {known}", parameter="tiles"
        ) from err
    name = source.name if isinstance(source, xyzservices.TileProvider) else "Online tiles"
    options = {k: v for k, v in layer.options.items() if isinstance(v, (str, int, float, bool))}
    return {"name": name, "url": str(layer.tiles), "options": options}


def _targets_short(targets: TargetSet) -> str:
    """E.g. ``"europe-all, 51"``: the definition id (or "as given") and the count."""
    what = targets.definition.id if targets.definition is not None else "as given"
    return f"{what}, {len(targets)}"


def _systems_for(site: Site, figures: list[_Figure]) -> list[str]:
    names: list[str] = []
    for f in figures:
        if any(e.origin == site for e in f.layer.envelopes):
            name = f.layer.system.name if f.layer.system is not None else "given range"
            if name not in names:
                names.append(name)
    return names


def _verdict_title(verdict: Verdict) -> str:
    claim = verdict.claim
    who = ", ".join(x for x in (claim.speaker, claim.date) if x)
    return f"Claim check: {who}" if who else f"Claim check: {claim.id}"


def _base_layer(*, wrap: bool, over_tiles: bool) -> dict:
    """Return the basemap as page data: borders, and their copies across +-180 when wrapping.

    Over online tiles the borders are a layer of their own (named, so that the
    layer list can hide them) and are not filled.
    """
    borders, credit = _borders()
    options = {
        "pane": "tcBase",
        "interactive": False,
        "attribution": _e(credit),
        "color": _BORDER,
        "weight": 0.7,
        "fill": not over_tiles,
        "fillColor": _LAND,
        "fillOpacity": 1.0,
        "className": "tc-border",
    }
    parts = [{"data": borders, "options": options}]
    if wrap:
        parts.append({"data": _border_copies(borders), "options": dict(options, attribution=None)})
    return {"name": "Borders (Natural Earth)" if over_tiles else None, "parts": parts}


def _circle_edges(polygon) -> list[LineString] | None:
    """Return the parts of a polygon's boundary that are the true circle.

    Edges lying on a cut (the antimeridian and its copies, the poles, the Mercator
    clip and the clip beyond the wrapped copies) are left out, so that the outline
    drawn is the geodesic circle only and no straight seam is stroked. None when the
    polygon has no cut edge, so that its own outline can be stroked.
    """
    cut_x = np.array(
        [-180.0, 180.0, -540.0, 540.0, -181.0 - WRAP_MARGIN_DEG, 181.0 + WRAP_MARGIN_DEG]
    )
    cut_y = np.array([-90.0, 90.0, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT])
    runs, any_cut = [], False
    for ring in (polygon.exterior, *polygon.interiors):
        xy = np.asarray(ring.coords)
        a, b = xy[:-1], xy[1:]
        on_x = np.abs(a[:, 0] - b[:, 0]) < 1e-9
        on_x &= (np.abs(a[:, 0, None] - cut_x[None, :]) < 1e-9).any(axis=1)
        on_y = np.abs(a[:, 1] - b[:, 1]) < 1e-9
        on_y &= (np.abs(a[:, 1, None] - cut_y[None, :]) < 1e-9).any(axis=1)
        cut = np.flatnonzero(on_x | on_y)
        if cut.size == 0:
            runs.append(LineString(xy))
            continue
        any_cut = True
        # Edge i joins vertices i and i+1: the runs between cut edges, starting after
        # the last cut so that a run passing the ring's first vertex stays whole.
        order = np.r_[xy[cut[-1] + 1 : -1], xy[: cut[-1] + 1]]
        edges_cut = np.zeros(len(xy) - 1, dtype=bool)
        edges_cut[cut] = True
        edges_cut = np.r_[edges_cut[cut[-1] + 1 :], edges_cut[: cut[-1] + 1]]
        start = 0
        for i in np.flatnonzero(edges_cut):
            if i > start:
                runs.append(LineString(order[start : i + 1]))
            start = i + 1
    return runs if any_cut else None


def _figure_layer(f: _Figure, *, wrap: bool) -> dict:
    """Return one layer as page data: the union of a figure's rings, drawn for Leaflet.

    A polygon bounded by the circle only is filled and stroked at once. A polygon
    with a cut (at +-180, a pole, the Mercator limit) is filled without a stroke and
    its outline is drawn separately from the true circle edges only (see
    :func:`_circle_edges`), so that no seam is drawn; this costs its coordinates
    twice, so only cut polygons pay it.
    """
    area = shapely.union_all([e.geometry for e in f.layer.envelopes])
    polygons = _display_polygons(area, wrap=wrap)
    fill = {
        "stroke": False,
        "fillColor": f.colour,
        "fillOpacity": _FILL_OPACITY.get(f.layer.kind, 0.08),
        "className": f"tc-ring tc-ring-{f.layer.kind}",
    }
    edge = {
        "color": f.colour,
        "weight": 2.5 if f.layer.kind == "declared" else 2,
        "opacity": 0.95,
        "className": f"tc-ring-edge tc-ring-edge-{f.layer.kind}",
    }
    dash = _DASH.get(f.layer.kind)
    if dash:
        edge["dashArray"] = dash
    sites = ", ".join(s.name for s in f.layer.origins)
    tooltip = f"{_e(f.title)}<br>from {_e(sites)}"
    whole, cut, lines = [], [], []
    for polygon in polygons:
        edges = _circle_edges(polygon)
        if edges is None:
            whole.append(polygon)
        else:
            cut.append(polygon)
            lines.extend(edges)
    parts = []
    if whole:
        stroked = {**fill, **edge, "stroke": True}
        stroked["className"] = f"{fill['className']} {edge['className']}"
        parts.append({"data": _feature_collection(whole), "options": stroked, "tooltip": tooltip})
    if cut:
        parts.append({"data": _feature_collection(cut), "options": fill, "tooltip": tooltip})
        outline = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": mapping(_round(line))}
                for line in lines
            ],
        }
        parts.append({"data": outline, "options": {**edge, "fill": False, "interactive": False}})
    return {"name": f"{f.swatch()} {_e(f.title)}", "parts": parts}


def _view_bounds(
    covering: list[Envelope], sites: list[Site], targets: TargetSet | None, margin: float
) -> list[list[float]]:
    """Return the initial view ``[[south, west], [north, east]]`` over envelopes, sites, targets."""
    boxes = [_unwrapped_bounds(e.geometry, e.origin.lon) for e in covering]
    boxes += [(s.lon, s.lat, s.lon, s.lat) for s in sites]
    if targets is not None:
        boxes += [(t.lon, t.lat, t.lon, t.lat) for t in targets]
    if not boxes:
        return [[-60.0, -180.0], [75.0, 180.0]]
    west = max(min(b[0] for b in boxes), -180.0 - margin)
    east = min(max(b[2] for b in boxes), 180.0 + margin)
    south = max(min(b[1] for b in boxes), -MERCATOR_MAX_LAT)
    north = min(max(b[3] for b in boxes), MERCATOR_MAX_LAT)
    if east - west < 0.5:
        west, east = west - 0.5, east + 0.5
    if north - south < 0.5:
        south, north = max(south - 0.5, -MERCATOR_MAX_LAT), min(north + 0.5, MERCATOR_MAX_LAT)
    return [[south, west], [north, east]]


def verdict_map(verdict: Verdict, *, tiles: str | None = None, panel: bool = True) -> folium.Map:
    """Return the map of a verdict: its envelopes, targets, sites and the verdict panel.

    The envelopes are the verdict's own (``evaluation.envelopes``), drawn with their
    drawing tolerance (by default max(1 km, 0.1 % of the range)).

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim` or :func:`coverage.claims.judge`.
    tiles : str, optional
        Online tiles to add (see :func:`coverage_map`); none by default.
    panel : bool, default True
        Show the verdict in the panel. False for a check that claims nothing (an ad
        hoc range with no share): the panel then lists the envelopes, and the
        verdict still says which targets are in range.

    Returns
    -------
    folium.Map

    Raises
    ------
    CoordinateError, ParameterError
        As :attr:`coverage.envelopes.Envelope.geometry` and :func:`coverage_map`.
    """
    if not panel:
        return coverage_map(
            verdict.envelopes,
            targets=verdict.targets,
            sites=verdict.sites,
            tiles=tiles,
            judged=verdict,
        )
    return coverage_map(verdict.envelopes, verdict=verdict, sites=verdict.sites, tiles=tiles)


def render_html(m: folium.Map) -> str:
    """Return the whole HTML document of a map (one self-contained page).

    A copy of the map is rendered, so rendering twice gives the same page (folium's
    layer control adds script lines to the figure each time it renders); only the
    random element ids differ between maps.
    """
    return copy.deepcopy(m.get_root()).render()


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically.

    The page is rendered to a string first and only then written through a temporary
    file in the same folder, so an exception while rendering leaves no file and never
    replaces a good one.

    Parameters
    ----------
    m : folium.Map
        From :func:`coverage_map` or :func:`verdict_map`.
    path : str or os.PathLike
        Output file (``.html``); its folder must exist.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    return write_text_atomic(path, lambda: render_html(m))
