"""Interactive maps of range rings, targets and verdicts, as one offline HTML file.

This is the only module that hands coordinates to folium and Leaflet, and so the
only place where ``[lat, lon]`` order appears; every public argument is still
longitude first. A map draws a :class:`coverage.render.scene.Scene` (built by
:func:`coverage.render.scene.scene_for` or :func:`~coverage.render.scene.scene_of`):
membership, numbers, styles and the view to fit are decided there, once, for every
renderer. What the maps show:

- **Envelopes** are the display boundaries of :class:`coverage.envelopes.Envelope`
  (geodesic polygons from :func:`coverage.geodesy.range_ring`), never Leaflet
  circles or buffers, one layer per figure from all its origins, in the scene's
  style: a threat system has one colour, declared figures solid, estimated dashed,
  given dotted; defences are outline-led in the colour of the threat class they
  engage. Coordinates are rounded to 4 decimals (about 11 m) and Leaflet simplifies
  paths by a quarter pixel only, so rings stay round.
- **Web Mercator** cannot show the poles: ring geometry is clipped at latitude
  +-85.0511 for display only.
- **Antimeridian**: ``range_ring`` splits rings at +-180, so nothing is drawn as
  a band across the world. When any ring touches +-180, the map is widened by
  :data:`WRAP_MARGIN_DEG` on both sides: rings are also drawn shifted by +-360
  degrees and the borders within that margin of +-180 are copied, so panning
  across the antimeridian shows the ring continuing (Leaflet draws the world
  once; ``worldCopyJump`` is off and ``maxBounds`` keeps the view inside the
  drawn longitudes).
- **Targets** are Leaflet circle markers coloured by the scene's state (in range at
  every figure, some, none), from the verdict's exact distances, never from the
  drawn polygons; the names of those in range are permanent labels (divIcons in a
  map pane), placed where they overlap no other label or pin; dots closer than
  8 px are set apart. The popup gives the distance to the nearest origin, the
  margin for every threat figure and every defence.
- **Sites** are symbols by kind (launch triangle, defence square, garrison diamond),
  fanned out when closer than 16 px, with their dates and sources in the popup.
- **Basemap**: the bundled Natural Earth borders (``data/borders.geojson``,
  public domain) on a sea-coloured background, with no tiles and so no network;
  ``tiles=`` adds online tiles on request.
- A fixed **panel** holds the verdict (claim, speaker, date, verdict in words,
  definition, counts per figure, range needed, a range slider) or, without a
  verdict, a legend; defences by threat class; site kinds; the source of every range
  shown, as links. Below :data:`NARROW_PX` it starts as a one-line bar; the first
  view fits the scene's view in the room it leaves; a print stylesheet puts the
  panel below the map.

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
from importlib import resources as _resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from shapely.geometry import LineString, box, mapping

from . import _validate as _v
from ._atomic import write_text_atomic
from .claims import Verdict
from .envelopes import Envelope
from .errors import ParameterError
from .render.outline import polygons as _polygons
from .render.outline import runs_between_cuts
from .render.scene import (
    DEFENCE,
    DOT_SEPARATION_PX,
    PIN_SEPARATION_PX,
    SITE_STYLES,
    SITE_WORDS,
    TARGET_STYLES,
    TARGET_WORDS,
    THREAT,
    EnvelopeLayer,
    Scene,
    SiteMark,
    Style,
    TargetMark,
    borders,
    scene_for,
    scene_of,
)
from .systems import Site, Source
from .targets import TargetSet

__all__ = [
    "coverage_map",
    "verdict_map",
    "scene_map",
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
#: Leaflet's path simplification for envelopes, pixels (its default, 1, shows corners).
_SMOOTH_FACTOR = 0.25

_SEA = "#cfe1ee"
_LAND = "#f7f4ec"
_BORDER = "#a3a3a3"
_SAFE_SCHEMES = ("http", "https")
_PANEL_WIDTH_PX = 390
#: Below this window width (CSS pixels) the panel starts collapsed to a one-line bar.
NARROW_PX = 800


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
.tc-panel {{ position: fixed; top: 10px; left: 56px; z-index: 1001; width: {_PANEL_WIDTH_PX}px;
  max-width: calc(100vw - 80px); max-height: calc(100vh - 64px); overflow: auto;
  box-sizing: border-box; background: rgba(255,255,255,0.96); border: 1px solid #bbb;
  border-radius: 6px; box-shadow: 0 1px 6px rgba(0,0,0,0.25); padding: 8px 12px;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; }}
.tc-panel summary {{ cursor: pointer; font-weight: 600; font-size: 14px; min-height: 24px; }}
.tc-panel h2 {{ font-size: 15px; margin: 6px 0 2px; }}
.tc-panel.tc-narrow {{ left: 50px; right: 62px; width: auto; max-width: none; padding: 4px 10px;
  max-height: calc(100vh - 64px); }}
.tc-panel.tc-narrow summary {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  line-height: 28px; font-size: 13px; }}
.tc-panel.tc-narrow details[open] summary {{ white-space: normal; }}
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
  font-weight: 700; line-height: 1.5; }}
.tc-badge-true {{ background: #2b6a3f; }} .tc-badge-false {{ background: #b2182b; }}
.tc-badge-depends {{ background: #b86b00; }}
.tc-dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  border: 1px solid #333; vertical-align: -1px; }}
.tc-swatch, .tc-symbol {{ vertical-align: -2px; }}
.tc-small {{ font-size: 11px; color: #555; }}
.tc-popup {{ font-size: 12px; min-width: 230px; }}
.tc-range-box {{ margin: 6px 0; padding: 6px 0; border-top: 1px solid #ddd;
  border-bottom: 1px solid #ddd; }}
.tc-range-box input {{ width: 100%; margin: 4px 0; }}
.tc-range-out {{ font-weight: 600; }}
.tc-label {{ font: 600 12px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1b1b1b; white-space: nowrap; pointer-events: none; background: none; border: none;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.tc-site {{ background: none; border: none; cursor: pointer; }}
.tc-site svg {{ display: block; overflow: visible; }}
.leaflet-container .leaflet-control-attribution {{ font-size: 11px; max-width: 50vw; }}
.leaflet-control-layers-expanded {{ font-size: 12px; line-height: 1.3; padding: 4px 8px;
  max-width: 240px; max-height: calc(100vh - 120px); overflow: auto; }}
@media (max-width: {NARROW_PX - 1}px) {{
  .leaflet-container .leaflet-control-attribution {{ font-size: 9px; line-height: 1.25;
    max-width: calc(100vw - 110px); }}
}}
@media print {{
  @page {{ size: A4; margin: 12mm; }}
  html, body {{ height: auto !important; overflow: visible !important; }}
  .folium-map {{ position: relative !important; width: 100% !important; height: 150mm !important;
    break-inside: avoid; }}
  .tc-panel, .tc-panel.tc-narrow {{ position: static !important; width: auto !important;
    max-width: none !important; max-height: none !important; overflow: visible !important;
    box-shadow: none; border: 0; border-top: 1px solid #999; border-radius: 0; margin: 3mm 0 0;
    padding: 2mm 0; }}
  .tc-panel summary {{ white-space: normal !important; list-style: none; }}
  .tc-range-box, .leaflet-control-zoom, .leaflet-control-layers {{ display: none !important; }}
}}
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
  map.createPane("tcSites").style.zIndex = 620;
  var labelPane = map.createPane("tcLabels");
  labelPane.style.zIndex = 640;
  labelPane.style.pointerEvents = "none";
  window.threatCoverageMap = map;
  if (map.attributionControl) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  }
  var panel = document.getElementById("tc-panel");
  var details = panel ? panel.querySelector("details") : null;
  var printQuery = window.matchMedia ? window.matchMedia("print") : null;
  function printing() { return !!(printQuery && printQuery.matches); }
  // Below data.narrow px the panel starts as a one-line bar that opens on tap.
  var narrow = window.innerWidth < data.narrow;
  if (panel) {
    panel.classList.toggle("tc-narrow", narrow);
    if (details) { details.open = !narrow || printing(); }
  }
  var control = L.control.layers(null, null, {collapsed: narrow});
  if (data.tiles) {
    control.addBaseLayer(L.tileLayer(data.tiles.url, data.tiles.options).addTo(map),
                         data.tiles.name);
  }
  function geoJson(part, parent) {
    var layer = L.geoJson(part.data, part.options);
    if (part.tooltip) { layer.bindTooltip(part.tooltip, {sticky: true}); }
    return layer.addTo(parent);
  }
  var base = data.base.name ? L.featureGroup() : map;
  data.base.parts.forEach(function (part) { geoJson(part, base); });
  if (data.base.name) { control.addOverlay(base.addTo(map), data.base.name); }
  data.layers.forEach(function (layer) {
    var group = L.featureGroup();
    layer.parts.forEach(function (part) { geoJson(part, group); });
    control.addOverlay(group.addTo(map), layer.name);
  });
  function panelBox() {
    if (!panel || printing()) { return null; }
    return panel.getBoundingClientRect();
  }
  var popupOptions = {maxWidth: 380, autoPanPaddingTopLeft: L.point(10, 10)};
  map.on("popupopen", function () {
    var r = panelBox();
    popupOptions.autoPanPaddingTopLeft = r && !narrow ? L.point(r.right + 10, 10)
      : L.point(10, r ? r.bottom + 10 : 10);
  });
  // Targets: circle markers; names of those in range shown permanently as labels.
  var targets = [];
  var labels = [];
  var labelGroup = L.featureGroup();
  if (data.targets) {
    var tgroup = L.featureGroup([], data.targets.attribution
      ? {attribution: data.targets.attribution} : {});
    data.targets.points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], p.style);
      marker.bindTooltip(p.name, {direction: "top"});
      marker.bindPopup(p.popup, popupOptions);
      marker.addTo(tgroup);
      var entry = {marker: marker, need: p.need, state: p.state, home: L.latLng(p.lat, p.lon),
                   label: null};
      if (p.label) {
        var label = L.marker([p.lat, p.lon], {
          icon: L.divIcon({className: "tc-label", html: p.name, iconSize: null}),
          pane: "tcLabels", interactive: false, keyboard: false
        });
        label.addTo(labelGroup);
        labels.push({marker: label, need: p.need});
        entry.label = label;
      }
      targets.push(entry);
    });
    // Labelled targets keep their place first when dots are set apart; the nearest
    // targets are named first.
    targets.sort(function (a, b) { return (b.label ? 1 : 0) - (a.label ? 1 : 0); });
    var nearFirst = function (a, b) {
      return (a.need === null ? Infinity : a.need) - (b.need === null ? Infinity : b.need);
    };
    labels.sort(nearFirst);
    control.addOverlay(tgroup.addTo(map), data.targets.name);
    if (labels.length) { control.addOverlay(labelGroup.addTo(map), data.targets.labels); }
  }
  // Sites: a symbol per kind (launch, defence, garrison), set apart when close.
  var pins = [];
  data.sites.forEach(function (set) {
    var group = L.featureGroup();
    set.points.forEach(function (p) {
      var half = set.size / 2;
      var icon = L.divIcon({className: "tc-site tc-site-" + set.kind, html: set.symbol,
                            iconSize: [set.size, set.size], iconAnchor: [half, half]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, pane: "tcSites", alt: p.alt,
                                             title: p.alt, riseOnHover: true});
      marker.bindPopup(p.popup, popupOptions);
      marker.addTo(group);
      pins.push({marker: marker, dx: p.offset[0], dy: p.offset[1], size: set.size});
    });
    control.addOverlay(group.addTo(map), set.name);
  });
  control.addTo(map);

  function fit() {
    var r = panelBox();
    var topLeft = [10, 10];
    var bottomRight = [10, 24];
    if (r && narrow) {
      topLeft = [10, r.bottom + 8];
    } else if (r) {
      topLeft = [r.right + 10, 10];
    }
    var att = map.attributionControl && map.attributionControl.getContainer();
    if (att && att.offsetHeight) { bottomRight[1] = Math.max(24, att.offsetHeight + 6); }
    var c = control.getContainer();
    if (!printing() && !narrow && c && c.offsetWidth) {
      bottomRight[0] = c.offsetWidth + 20;
    }
    var size = map.getSize();
    if (size.x - topLeft[0] - bottomRight[0] < 120) { topLeft[0] = 10; bottomRight[0] = 10; }
    if (size.y - topLeft[1] - bottomRight[1] < 120) { topLeft[1] = 10; bottomRight[1] = 10; }
    map.fitBounds(data.view, {paddingTopLeft: topLeft, paddingBottomRight: bottomRight,
                              animate: false});
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        return true;
      }
    }
    return false;
  }
  // Pins closer than data.separation px are fanned out; labels are placed beside their
  // target where they overlap no other label or pin (display only).
  function place() {
    var taken = [];
    var sep = data.separation;
    var size = map.getSize();
    var dots = [];
    // Target dots closer than data.dotSeparation px are fanned out around their place,
    // so that each can be hovered and clicked (a grid of cells finds the close ones).
    var dotSep = data.dotSeparation;
    var cells = {};
    var near = function (q) {
      var cx = Math.floor(q.x / dotSep);
      var cy = Math.floor(q.y / dotSep);
      for (var i = -1; i <= 1; i++) {
        for (var j = -1; j <= 1; j++) {
          var list = cells[(cx + i) + "," + (cy + j)] || [];
          for (var k = 0; k < list.length; k++) {
            if (list[k].distanceTo(q) < dotSep) { return true; }
          }
        }
      }
      return false;
    };
    targets.forEach(function (t) {
      var p = map.latLngToContainerPoint(t.home);
      var q = p;
      // One ring of six places around the dot at most: a crowd of dots (Europe at
      // world zoom) stays where it is rather than spread far from its places.
      for (var k = 1; k < 7 && near(q); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        q = L.point(p.x + dotSep * Math.cos(a), p.y + dotSep * Math.sin(a));
      }
      if (near(q)) { q = p; }
      var key = Math.floor(q.x / dotSep) + "," + Math.floor(q.y / dotSep);
      (cells[key] = cells[key] || []).push(q);
      var where = q === p ? t.home : map.containerPointToLatLng(q);
      t.marker.setLatLng(where);
      if (t.label) { t.label.setLatLng(where); }
      if (q.x > -50 && q.y > -50 && q.x < size.x + 50 && q.y < size.y + 50) {
        dots.push(q);
        taken.push({x: q.x - 5, y: q.y - 5, w: 10, h: 10});
      }
    });
    // Pins keep clear of other pins and of target dots.
    var placed = dots.slice();
    pins.forEach(function (pin) {
      var el = pin.marker.getElement();
      if (!el || !map.hasLayer(pin.marker)) { return; }
      var p = map.latLngToContainerPoint(pin.marker.getLatLng());
      var q = L.point(p.x + pin.dx, p.y + pin.dy);
      for (var k = 1; k < 19 && placed.some(function (o) { return o.distanceTo(q) < sep; }); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        var radius = sep * Math.ceil(k / 6);
        q = L.point(p.x + pin.dx + radius * Math.cos(a), p.y + pin.dy + radius * Math.sin(a));
      }
      placed.push(q);
      el.style.marginLeft = (q.x - p.x - pin.size / 2) + "px";
      el.style.marginTop = (q.y - p.y - pin.size / 2) + "px";
      taken.push({x: q.x - pin.size / 2, y: q.y - pin.size / 2, w: pin.size, h: pin.size});
    });
    labels.forEach(function (item) {
      var label = item.marker;
      var el = label.getElement();
      if (!el) { return; }
      var p = map.latLngToContainerPoint(label.getLatLng());
      var size = el.getBoundingClientRect();
      var w = Math.ceil(size.width) + 1;
      var h = Math.ceil(size.height) + 1;
      var spots = [[8, -h / 2], [-8 - w, -h / 2], [-w / 2, -h - 6], [-w / 2, 6],
                   [6, -h - 2], [-6 - w, -h - 2], [6, 2], [-6 - w, 2],
                   [8, -1.5 * h - 4], [8, 0.5 * h + 4], [-8 - w, -1.5 * h - 4],
                   [-8 - w, 0.5 * h + 4], [-w / 2, -2 * h - 8], [-w / 2, h + 8]];
      var best = null;
      for (var i = 0; i < spots.length; i++) {
        var r = {x: p.x + spots[i][0], y: p.y + spots[i][1], w: w, h: h};
        if (!overlaps(r, taken)) { best = spots[i]; break; }
      }
      // Where every spot overlaps (a continent of capitals at world zoom), the name
      // waits for a closer zoom: it stays in the pane, hidden, and on hover.
      el.style.visibility = best ? "" : "hidden";
      if (!best) { return; }
      el.style.marginLeft = best[0] + "px";
      el.style.marginTop = best[1] + "px";
      taken.push({x: p.x + best[0], y: p.y + best[1], w: w, h: h});
    });
  }
  fit();
  place();
  map.on("zoomend viewreset", place);
  map.on("overlayadd", place);

  // The range control: counts by the exact distances shipped with each target.
  var slider = data.slider;
  var input = document.getElementById("tc-range");
  if (slider && input) {
    var out = document.getElementById("tc-range-out");
    var ringGroup = L.featureGroup().addTo(map);
    var count = function (km) {
      return targets.filter(function (t) { return t.need !== null && t.need <= km; }).length;
    };
    var say = function (km) {
      var n = count(km);
      out.textContent = n + " of " + slider.total + " in range at " +
        km.toLocaleString("en-US") + " km: the claim " +
        (n >= slider.required ? "holds" : "fails") + " (" + slider.required + " needed)";
    };
    var update = function () {
      var km = parseFloat(input.value);
      targets.forEach(function (t) {
        var inside = t.need !== null && t.need <= km;
        t.marker.setStyle({fillColor: inside ? slider.colours["in"] : slider.colours.out});
      });
      ringGroup.clearLayers();
      var i = Math.round(km / slider.step) - 1;
      var ring = i >= 0 && i < slider.rings.length ? slider.rings[i] : null;
      if (ring) { ring.forEach(function (part) { geoJson(part, ringGroup); }); }
      say(km);
    };
    input.addEventListener("input", update);
    say(parseFloat(input.value));
  }

  // Print: the map on the page with every envelope inside, the panel below it.
  var before = function () { if (details) { details.open = true; } };
  var refit = function () { map.invalidateSize({animate: false}); fit(); place(); };
  if (printQuery) {
    var onChange = function (e) {
      if (e.matches) { before(); }
      refit();
    };
    if (printQuery.addEventListener) { printQuery.addEventListener("change", onChange); }
    else if (printQuery.addListener) { printQuery.addListener(onChange); }
  }
  window.addEventListener("beforeprint", function () { before(); refit(); });
  window.addEventListener("afterprint", refit);
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

    def __deepcopy__(self, memo: dict) -> _Page:
        # render_html renders a deep copy of the figure; the data (large: every ring's
        # coordinates) is never changed after the map is built, so the copy shares it.
        memo[id(self.data)] = self.data
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            setattr(new, key, copy.deepcopy(value, memo))
        return new

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
    _v.folium_map(m)
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


def _borders() -> tuple[dict, str]:
    """Return the bundled borders FeatureCollection and its credit line."""
    return borders()


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


def _swatch(style: Style) -> str:
    """Inline SVG sample of a layer's line and fill (our style constants only)."""
    dash_attr = f' stroke-dasharray="{_e(style.dash)}"' if style.dash else ""
    fill = min(1.0, style.fill_opacity * 2.5)
    return (
        '<svg class="tc-swatch" width="28" height="12" aria-hidden="true">'
        f'<rect x="1" y="1" width="26" height="10" fill="{_e(style.colour)}" '
        f'fill-opacity="{fill:.2f}" stroke="{_e(style.colour)}" '
        f'stroke-width="2"{dash_attr}/></svg>'
    )


def _symbol(kind: str, size: float | None = None) -> str:
    """Inline SVG of a site's symbol: triangle (launch), square (defence), diamond (garrison)."""
    style = SITE_STYLES[kind]
    s = size or style.size_px
    shape = {
        "triangle": f'<polygon points="{s / 2:g},1 {s - 1:g},{s - 1:g} 1,{s - 1:g}"/>',
        "square": f'<rect x="1" y="1" width="{s - 2:g}" height="{s - 2:g}"/>',
        "diamond": f'<polygon points="{s / 2:g},0.5 {s - 0.5:g},{s / 2:g} {s / 2:g},{s - 0.5:g} '
        f'0.5,{s / 2:g}"/>',
    }[style.symbol]
    return (
        f'<svg class="tc-symbol" width="{s:g}" height="{s:g}" aria-hidden="true">'
        f'<g fill="{_e(style.colour)}" stroke="#fff" stroke-width="1.5">{shape}</g></svg>'
    )


def _margin_word(la: EnvelopeLayer, t: TargetMark, reached: bool, margin: float) -> str:
    if math.isinf(margin):
        return "outside the sector"
    if la.role == DEFENCE:
        return "can engage there" if reached else "outside its envelope"
    if reached:
        return "in range"
    d = t.distance_km or 0.0
    if la.layer.figure.min_km > 0 and d < la.layer.figure.min_km:
        return f"inside the {la.layer.figure.min_km:,.0f} km minimum range"
    return "out of range"


def _target_popup(t: TargetMark, scene: Scene) -> str:
    parts = [f'<div class="tc-popup"><b>{_e(t.name)}</b>']
    if t.country and t.country != t.name:
        parts.append(f"<br>{_e(t.country)}")
    if t.distance_km is not None and t.nearest is not None:
        what = "Nearest point of its territory" if scene.territory else "Distance to nearest site"
        parts.append(
            f"<br>{what}: <b>{_km(t.distance_km)}</b> "
            f"({'from ' if scene.territory else ''}{_e(t.nearest)})"
        )
    for line in t.lines:
        parts.append(f"<br>{_e(line)}")
    for role, heading in ((THREAT, "Threats"), (DEFENCE, "Defences")):
        shown = [la for la in scene.layers if la.role == role and la.key in t.in_range]
        if not shown:
            continue
        if role == DEFENCE:
            heading = f"Defences against {_e(scene.threat_class or shown[0].against)}"
            covering = [la for la in shown if t.in_range[la.key]]
            parts.append(
                f"<br><b>{heading}</b>: "
                + (f"{len(covering)} can engage here" if covering else "none can engage here")
            )
        parts.append(
            f"<table><tr><th>{heading if role == THREAT else ''}</th><th>Margin</th><th></th></tr>"
        )
        for la in shown:
            reached = t.in_range[la.key]
            margin = t.margins_km.get(la.key, math.nan)
            value = "" if math.isinf(margin) or math.isnan(margin) else f"{margin:+,.1f} km"
            parts.append(
                f"<tr><td>{_swatch(la.style)} {_e(la.title)}</td>"
                f'<td class="num">{value}</td><td>{_margin_word(la, t, reached, margin)}</td></tr>'
            )
        parts.append("</table>")
    if t.in_range:
        parts.append(
            '<span class="tc-small">Margin = maximum range minus distance to the '
            "nearest origin (positive: inside); inside a minimum range, distance minus "
            "that minimum (negative).</span>"
        )
    parts.append("</div>")
    return "".join(parts)


_KIND_WORDS = {
    "launch": "Launch site",
    "defence": "Air or missile defence site",
    "garrison": "Garrison",
}


def _site_popup(mark: SiteMark) -> str:
    site = mark.site
    parts = [f'<div class="tc-popup"><b>{_e(mark.name)}</b>']
    parts.append(f"<br>{_e(_KIND_WORDS.get(mark.kind, mark.kind))}")
    if mark.date:
        parts.append(f", since {_e(mark.date)}")
    if mark.note:
        parts.append(f"<br>{_e(mark.note)}")
    where = f"{_degrees(mark.lon, 'E', 'W')}, {_degrees(mark.lat, 'N', 'S')}"
    parts.append(f"<br>{where} ({_e(site.location_precision)})")
    if mark.systems:
        parts.append(f"<br>Systems shown: {_e(', '.join(mark.systems))}")
    if site.source is not None:
        parts.append(f"<br>Location: {_source_html(site.source)}")
    if site.deployment_source is not None:
        parts.append(f"<br>Deployment: {_source_html(site.deployment_source)}")
    parts.append("</div>")
    return "".join(parts)


def _source_html(source: Source | None) -> str:
    if source is None:
        return "no source (range given by the user)"
    extra = ", ".join(_e(x) for x in (source.publisher, source.date) if x)
    text = _link(source.url, source.title)
    return f"{text} ({extra})" if extra else text


# --------------------------------------------------------------------------- panel


def _summary_html(scene: Scene) -> str:
    """Return the panel's one line: the verdict word and counts, or the title."""
    if scene.verdict is None:
        return _e(scene.title)
    badge = {"true": "true", "false": "false"}.get(scene.verdict, "depends")
    word, _, rest = scene.verdict_line.partition(" \u2014 ")
    return f'<span class="tc-badge tc-badge-{badge}">{_e(word)}</span> {_e(rest)}'


def _panel_html(scene: Scene) -> str:
    out = [
        '<div class="tc-panel" id="tc-panel"><details open>'
        f"<summary>{_summary_html(scene)}</summary>"
    ]
    verdict = scene.verdict_obj
    if verdict is not None:
        out.append(f"<h2>{_e(scene.title)}</h2>")
        out.append(_verdict_html(verdict, scene))
    threats = scene.threats
    if verdict is None and threats:
        out.append("<h3>Range rings</h3><table>")
        for la in threats:
            sites = ", ".join(s.name for s in la.origins)
            out.append(
                f"<tr><td>{_swatch(la.style)}</td><td>{_e(la.title)}<br>"
                f'<span class="tc-small">from {_e(sites)}</span></td></tr>'
            )
        out.append("</table>")
    if scene.defences:
        out.append(_defences_html(scene))
    if scene.targets:
        out.append("<h3>Targets</h3>")
        if verdict is None:
            out.append(f"<p>{_e(scene.targets_label)}</p>")
        out.append("<p>")
        counts = scene.state_counts()
        for state in ("all", "some", "none"):
            if threats or state == "none":
                colour = TARGET_STYLES[state].colour
                out.append(
                    f'<span class="tc-dot" style="background:{colour}"></span> '
                    f"{TARGET_WORDS[state]} ({counts.get(state, 0)})<br>"
                )
        out.append(
            '</p><p class="tc-small">Whether a target is reached is decided by its exact '
            "geodesic distance (WGS84), not by the drawn shapes. Names shown: targets in "
            "range at some figure. Click a target for its distance and margins.</p>"
        )
    kinds = [k for k in SITE_STYLES if any(s.kind == k for s in scene.sites)]
    if kinds:
        out.append("<h3>Sites</h3><p>")
        for k in kinds:
            out.append(f"{_symbol(k, 12)} {_e(SITE_WORDS[k])}<br>")
        out.append("</p>")
    if scene.layers:
        out.append("<h3>Sources of the ranges shown</h3><ul>")
        for la in scene.layers:
            out.append(f"<li>{_e(la.title)}: {_source_html(la.source)}</li>")
        out.append("</ul>")
    out.extend(f'<p class="tc-small">{_e(line)}</p>' for line in scene.notes)
    if scene.credits:
        joined = " \u00b7 ".join(_e(c) for c in scene.credits)
        out.append(f'<p class="tc-small">{joined}</p>')
    out.append("</details></div>")
    return "".join(out)


def _defences_html(scene: Scene) -> str:
    out = []
    for heading, layers in scene.legend_groups():
        if not layers or layers[0].role != DEFENCE:
            continue
        out.append(f"<h3>{_e(heading)}</h3><table>")
        for la in layers:
            n = la.in_range_count
            count = "" if n is None else f"{n} target{'' if n == 1 else 's'} inside"
            note = f'<br><span class="tc-small">{_e(la.note)}</span>' if la.note else ""
            out.append(
                f"<tr><td>{_swatch(la.style)}</td><td>{_e(la.title)}{note}</td>"
                f'<td class="num">{_e(count)}</td></tr>'
            )
        out.append("</table>")
    verdict = scene.verdict_obj
    if verdict is not None and verdict.defences:
        from .defences import counts

        for e in verdict.evaluations:
            inside, outside = counts(e.in_range, verdict.defences)
            out.append(
                f'<p class="tc-small">At {_e(e.layer.figure_title)}: {inside} in range and '
                f"inside at least one defence envelope, {outside} in range and outside all.</p>"
            )
    return "".join(out)


def _range_html(scene: Scene) -> str:
    rc = scene.range_control
    if rc is None:
        return ""
    return (
        '<div class="tc-range-box"><label for="tc-range"><b>Try a range</b> (km, from the '
        "sites shown):</label>"
        f'<input type="range" id="tc-range" min="0" max="{rc.max_km:g}" step="{rc.step_km:g}" '
        f'value="{rc.value_km:g}" aria-describedby="tc-range-out">'
        '<div class="tc-range-out" id="tc-range-out" aria-live="polite"></div>'
        '<span class="tc-small">Each target is recoloured by its exact geodesic distance '
        f"(computed in Python; minimum range {rc.min_km:,.0f} km); the dashed envelope is "
        "drawn at that range.</span></div>"
    )


def _verdict_html(verdict: Verdict, scene: Scene) -> str:
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
    heading = "Verdict"
    d = verdict.defence_claim
    if d is not None:
        out.append(
            f'<h3>The defence claimed</h3><p><span class="tc-badge tc-badge-{scene.verdict}">'
            f"{_e(d['verdict'].upper())}</span> {_e(d['text'])}</p>"
        )
        heading = "The threat: is the target in its range?"
    out.append(
        f'<h3>{heading}</h3><p><span class="tc-badge tc-badge-{badge}">'
        f"{_e(verdict.verdict.upper())}</span> {_e(_summary_text(verdict))}</p>"
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
    by_key = {la.layer.first.layer_key: la for la in scene.threats}
    for ev in verdict.evaluations:
        la = by_key.get(ev.layer.first.layer_key)
        swatch = _swatch(la.style) if la is not None else ""
        label = la.title if la is not None else ev.layer.title
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
    out.append(_range_html(scene))
    if verdict.by_origin:
        out.append(
            "<h3>From each origin</h3><table><tr><th>Launched from</th>"
            + "".join(f'<th class="num">{_e(_kind_letter(e))}</th>' for e in verdict.evaluations)
            + '<th class="num">Holds from</th></tr>'
        )
        for i, o in enumerate(verdict.by_origin):
            shown = " (shown)" if i == 0 else ""
            counts = "".join(f'<td class="num">{c}/{n}</td>' for c in o.in_range)
            people = "".join(
                f'<td class="num tc-small">{p.population / 1e6:,.1f} M</td>' for p in o.people
            )
            out.append(
                f"<tr><td>{_e(o.label)}{shown}: <b>{_e(o.verdict)}</b></td>{counts}"
                f'<td class="num">{o.range_needed_km:,.0f} km</td></tr>'
                f'<tr><td class="tc-small">people in range</td>{people}<td></td></tr>'
            )
        out.append(
            '</table><p class="tc-small">Launchers are mobile: from anywhere in an area, '
            "distances are from its nearest point. People: in places of 1,000+ within "
            "the envelope (see below).</p>"
        )
    return "".join(out)


def _summary_text(verdict: Verdict) -> str:
    """verdict.summary without its leading ``"FALSE: "`` (the badge shows the word)."""
    summary = verdict.summary
    head, sep, rest = summary.partition(": ")
    if sep and head == verdict.verdict.upper():
        return rest[:1].upper() + rest[1:]
    return summary


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

    The map draws the scene of :func:`coverage.render.scene.scene_of`.

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
        figure, range needed, a range slider). Its figures decide which targets are
        in range.
    sites : sequence of Site, default ()
        Sites to mark in addition to the envelopes' origins (lon/lat degrees).
    title : str, optional
        Heading of the panel and the page title.
    tiles : str, optional
        Online tiles to add (``osm``, ``topo``, ``satellite``, ``humanitarian``, an
        xyzservices name or a URL template). By default there are none and the map
        needs no network: the bundled Natural Earth borders are the basemap.
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
    _v.envelope_sequence(covering, "covering")
    _v.targets(targets, optional=True)
    _v.verdict(verdict, optional=True)
    _v.verdict(judged, "judged", optional=True)
    _v.sites(sites)
    _v.text(title, "title", optional=True)
    _v.text(tiles, "tiles", optional=True)
    shown = targets if targets is not None else (verdict or judged or _NoTargets).targets
    if shown is not None and len(shown) > MAX_MAP_TARGETS:
        raise ParameterError(
            f"targets: {len(shown):,} are too many for one map (at most "
            f"{MAX_MAP_TARGETS:,}); export the numbers as CSV or GeoJSON instead",
            parameter="targets",
        )
    scene = scene_of(
        covering,
        targets=targets,
        verdict=verdict,
        sites=sites,
        title=title,
        judged=judged,
        garrisons=None if verdict is not None else (),
    )
    return scene_map(scene, tiles=tiles)


class _NoTargets:
    targets = None


def scene_map(scene: Scene, *, tiles: str | None = None) -> folium.Map:
    """Return the offline folium map that draws a scene (:mod:`coverage.render.scene`).

    Parameters
    ----------
    scene : Scene
    tiles : str, optional
        Online tiles to add (see :func:`coverage_map`).

    Returns
    -------
    folium.Map

    Raises
    ------
    ParameterError
        If ``tiles`` names no known provider.
    """
    _v.scene(scene)
    _v.text(tiles, "tiles", optional=True)
    wrap = scene.wrap
    margin = WRAP_MARGIN_DEG if wrap else 0.0
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
    head = f"<title>{_e(scene.title)}</title>{css}<style>{_PAGE_CSS}</style>{js}"
    data: dict[str, Any] = {
        "view": _leaflet_view(scene.view, margin),
        "narrow": NARROW_PX,
        "separation": PIN_SEPARATION_PX,
        "dotSeparation": DOT_SEPARATION_PX,
        "tiles": _tiles(tiles) if tiles else None,
        "base": _base_layer(wrap=wrap, over_tiles=bool(tiles)),
        "layers": [_envelope_layer(la, wrap=wrap) for la in scene.layers],
        "targets": _targets_data(scene),
        "sites": _sites_data(scene),
        "slider": _slider_data(scene, wrap=wrap),
    }
    m.add_child(_Page(head=head, body=_panel_html(scene), data=data), name="tc_page")
    return m


def _leaflet_view(view: tuple[float, float, float, float], margin: float) -> list[list[float]]:
    west, south, east, north = view
    west, east = max(west, -180.0 - margin), min(east, 180.0 + margin)
    south, north = max(south, -MERCATOR_MAX_LAT), min(north, MERCATOR_MAX_LAT)
    return [[south, west], [north, east]]


def _targets_data(scene: Scene) -> dict | None:
    if not scene.targets:
        return None
    points = []
    for t in scene.targets:
        points.append(
            {
                "lat": round(t.lat, _POINT_DECIMALS),
                "lon": round(t.lon, _POINT_DECIMALS),
                "name": _e(t.name),
                "label": t.label,
                "state": t.state,
                "need": round(t.need_km, 6) if math.isfinite(t.need_km) else None,
                "popup": _target_popup(t, scene),
                "style": {
                    "radius": 5,
                    "color": "#222",
                    "weight": 1,
                    "fillColor": t.style.colour,
                    "fillOpacity": 0.95,
                    "pane": "tcPoints",
                    "className": f"tc-target tc-target-{t.state}",
                },
            }
        )
    credit = next((c for c in scene.credits[1:]), None)
    what = f"{_e(scene.targets_label)}" if scene.targets_label else "as given"
    return {
        "name": f'<span class="tc-dot" style="background:{TARGET_STYLES["all"].colour}">'
        f"</span> Targets ({_e(_short(scene))})",
        "labels": f"Names of targets in range ({what})" if what else "Names",
        "attribution": _e(credit) if credit else None,
        "points": points,
    }


def _short(scene: Scene) -> str:
    verdict = scene.verdict_obj
    targets = verdict.targets if verdict is not None else None
    if targets is not None and targets.definition is not None:
        return f"{targets.definition.id}, {len(scene.targets)}"
    return f"{len(scene.targets)}"


def _sites_data(scene: Scene) -> list[dict]:
    out = []
    for kind in SITE_STYLES:
        marks = [s for s in scene.sites if s.kind == kind]
        if not marks:
            continue
        out.append(
            {
                "kind": kind,
                "name": f"{_symbol(kind, 12)} {_e(SITE_WORDS[kind])}",
                "symbol": _symbol(kind),
                "size": SITE_STYLES[kind].size_px,
                "points": [
                    {
                        "lat": round(s.lat, _POINT_DECIMALS),
                        "lon": round(s.lon, _POINT_DECIMALS),
                        "alt": s.name,
                        "offset": list(s.offset_px),
                        "popup": _site_popup(s),
                    }
                    for s in marks
                ],
            }
        )
    return out


def _slider_data(scene: Scene, *, wrap: bool) -> dict | None:
    rc = scene.range_control
    if rc is None:
        return None
    options = {
        "color": "#111111",
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": "#111111",
        "fillOpacity": 0.05,
        "interactive": False,
        "className": "tc-slider-ring",
        "smoothFactor": _SMOOTH_FACTOR,
    }
    by_km = dict(rc.rings)
    steps = int(round(rc.max_km / rc.step_km))
    rings = []
    for i in range(1, steps + 1):
        geom = by_km.get(round(i * rc.step_km, 6))
        if geom is None or geom.is_empty:
            rings.append(None)
            continue
        polygons = _display_polygons(geom, wrap=wrap)
        rings.append([{"data": _feature_collection(polygons), "options": options}])
    return {
        "step": rc.step_km,
        "total": rc.total,
        "required": rc.required,
        "colours": {"in": TARGET_STYLES["all"].colour, "out": TARGET_STYLES["none"].colour},
        "rings": rings,
    }


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
        any_cut |= bool((on_x | on_y).any())
        runs += [LineString(run) for run in runs_between_cuts(xy, on_x | on_y)]
    return runs if any_cut else None


def _envelope_layer(la: EnvelopeLayer, *, wrap: bool) -> dict:
    """Return one layer as page data: the union of a figure's envelopes, drawn for Leaflet.

    A polygon bounded by the circle only is filled and stroked at once. A polygon
    with a cut (at +-180, a pole, the Mercator limit) is filled without a stroke and
    its outline is drawn separately from the true circle edges only (see
    :func:`_circle_edges`), so that no seam is drawn; this costs its coordinates
    twice, so only cut polygons pay it.
    """
    polygons = _display_polygons(la.geometry, wrap=wrap)
    style = la.style
    role = "tc-defence " if la.role == DEFENCE else ""
    fill = {
        "stroke": False,
        "fillColor": style.colour,
        "fillOpacity": style.fill_opacity,
        "className": f"{role}tc-ring tc-ring-{la.kind}",
        # Leaflet simplifies paths by 1 px by default, which cuts the vertices that keep
        # a ring within its tolerance: a quarter pixel keeps rings round.
        "smoothFactor": _SMOOTH_FACTOR,
    }
    edge = {
        "color": style.colour,
        "weight": style.weight,
        "opacity": 0.95,
        "smoothFactor": _SMOOTH_FACTOR,
        "className": f"{role}tc-ring-edge tc-ring-edge-{la.kind}",
    }
    if style.dash:
        edge["dashArray"] = style.dash
    sites = ", ".join(s.name for s in la.origins)
    tooltip = f"{_e(la.title)}<br>from {_e(sites)}"
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
    return {"name": f"{_swatch(style)} {_e(la.title)}", "key": la.key, "parts": parts}


def verdict_map(verdict: Verdict, *, tiles: str | None = None, panel: bool = True) -> folium.Map:
    """Return the map of a verdict: its envelopes, defences, targets, sites and the panel.

    The map draws :func:`coverage.render.scene.scene_for` of the verdict: the
    verdict's own envelopes (drawn within their drawing tolerance, by default 0.1 %
    of the range), the defences' envelopes against the threat's class, and, for a
    claim, the bundled garrisons in view and a range slider.

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim`, :func:`coverage.claims.judge`
        or :func:`coverage.checks.check`.
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
    _v.verdict(verdict)
    _v.text(tiles, "tiles", optional=True)
    _v.flag(panel, "panel")
    if len(verdict.targets) > MAX_MAP_TARGETS:
        raise ParameterError(
            f"targets: {len(verdict.targets):,} are too many for one map (at most "
            f"{MAX_MAP_TARGETS:,}); export the numbers as CSV or GeoJSON instead",
            parameter="targets",
        )
    return scene_map(scene_for(verdict, panel=panel), tiles=tiles)


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def render_html(m: folium.Map) -> str:
    """Return the whole HTML document of a map (one self-contained page).

    A copy of the map is rendered, so rendering twice gives the same page (folium's
    layer control adds script lines to the figure each time it renders); only the
    random element ids differ between maps. The viewport lets readers zoom the page
    (folium's ``user-scalable=no`` is replaced).
    """
    _v.folium_map(m)
    page = copy.deepcopy(m.get_root()).render()
    return _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', page, count=1
    )


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
    _v.folium_map(m)
    _v.path(path, "path")
    return write_text_atomic(path, lambda: render_html(m))
