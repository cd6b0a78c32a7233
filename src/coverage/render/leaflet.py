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
  drawn polygons; under each dot lies a hit area of 44x44 px, and a tap opens the
  nearest target or site. The names of those in range are permanent labels (divIcons
  in a map pane), placed where they overlap no other label, pin or control and lie
  nearer their own dot than any other; dots closer than 8 px are set apart. The popup
  gives the distance to the nearest origin, the margin for every threat figure and
  every defence; popups are sized to the room the controls leave and never lie under one.
- **Sites** are symbols by kind (launch triangle, defence square, garrison diamond) in
  hit areas of 44 px, fanned out when closer than 24 px (WCAG 2.2 target spacing),
  with their dates and sources in the popup.
- **Basemap**: the bundled Natural Earth borders (``data/borders.geojson``,
  public domain) on a sea-coloured background, with no tiles and so no network;
  ``tiles=`` adds online tiles on request. Only the borders of the page's region are
  sent: everything drawn and room to zoom out :data:`ZOOM_OUT_LEVELS` from the first
  view (the whole world when wrapping); the view stays inside it and a reader zooms
  out only until it fills the map.
- A fixed **panel** lays out what the scene says about a claim
  (:class:`~coverage.render.scene.ClaimPanel`, rows of the verdict's report): the
  quote, speaker and date, the headline answering the claim's own question (its
  word is the badge, the same word as ``verdict.report.headline.word``), the reach
  verdict when that is not the question, the definition, counts per figure and per
  origin and the range needed; without a claim, a legend. Then defences by threat
  class, site kinds, the source of every range shown, as links. Below
  :data:`NARROW_PX` it starts as a one-line bar. A claim's **range bar** (a slider
  and "N of M at X km") lies along the bottom, outside the panel, so the rings, the
  colours and the names move in view as it is dragged. The first view fits the
  scene's view into the largest room the panel, the range bar and Leaflet's controls
  leave; a print stylesheet puts the panel below the map.
- **Keyboard**: Tab goes from the panel's toggle to the slider, the zoom buttons, the
  layer list, the targets (one stop, nearest first; arrow keys, Home and End move
  between them) and the sites, each with a focus ring; Enter or Space opens a popup;
  Escape closes the popup (the focus goes back to its target), the layer list and the
  panel.
- For **screen readers** (checked by axe-core in tests/test_a11y.py): ``<html
  lang="en">``, a title with the claim's headline, then, first in the body and
  visually hidden, the headline as a heading, the map's alternative text
  (:func:`coverage.alt.alt_text`, the accessible description of the map's element)
  and every target as a table (country, distance, margin per figure, in range). The
  basemap and the name labels are hidden from assistive technology; the range
  slider's count is a polite live region. Every control, target and site has a hit
  area of at least 44x44 px (tests/test_maps_thumb.py, tests/test_maps_keyboard.py).

The saved HTML is a single file: Leaflet 1.9.4 (vendored from npm, BSD-2-Clause,
see ``scripts/vendor_leaflet.py``) is inlined with its images as data URIs; no
jQuery, Bootstrap or CDN link is used. The page's own script and styles are package
data (``render/assets/page.js``, ``page.css``) read when a page is built.
**Data never passes through a template**:
folium (branca) compiles what its elements render as Jinja, so nothing from data or
from the user is handed to a folium element. The page gets the panel as HTML built
with ``html.escape``, and one JSON document (``<script type="application/json"
id="tc-data">``) that the page's own constant script reads to draw every layer,
marker, tooltip, popup and the layer list (see :class:`_Page`). Every name is
HTML-escaped before it reaches a popup, tooltip, layer name, legend or panel, and the
JSON has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc. so that no value can close
a ``<script>`` element. :func:`page_data` returns that document; in the page its
geometry travels packed as integer differences on an exact grid (lossless, see
:func:`_packed`) and ``render/assets/decode.js`` unpacks it.

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

from .. import _validate as _v
from .. import geodesy
from .._atomic import write_text_atomic
from ..claims import Verdict
from ..envelopes import Envelope
from ..errors import ParameterError
from ..systems import Site, Source
from ..targets import TargetSet
from .scene import (
    BASEMAP,
    DEFENCE,
    DOT_SEPARATION_PX,
    PIN_SEPARATION_PX,
    SITE_KINDS,
    SITE_STYLES,
    TARGET_STYLES,
    TARGET_WORDS,
    THREAT,
    TONE_COLOURS,
    ClaimPanel,
    EnvelopeLayer,
    MarkStyle,
    Scene,
    SiteMark,
    Style,
    TargetMark,
    _scene_for,
    borders,
    scene_of,
)
from .static_geometry import _polygons, runs_between_cuts

__all__ = [
    "coverage_map",
    "verdict_map",
    "write_html",
    "scene_map",
    "save_map",
    "render_html",
    "page_data",
    "timeline_map",
    "LEAFLET_VERSION",
    "MERCATOR_MAX_LAT",
    "WRAP_MARGIN_DEG",
    "COORDINATE_DECIMALS",
    "BORDER_DECIMALS",
    "ZOOM_OUT_LEVELS",
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
#: Decimal places of the basemap's borders: the grid of the bundled data (about 110 m).
BORDER_DECIMALS = 3
#: Zoom levels a reader may zoom out from the first view (filling the window), on a
#: window up to twice as wide as tall or tall as wide (more on a squarer one); the page
#: holds the borders of that much room around it and around everything it draws.
ZOOM_OUT_LEVELS = 1
#: The longer side of a window over its shorter one that the room to zoom out allows for.
_WINDOW_ASPECT = 2.0
#: Degrees of basemap kept around the region the page may show.
_REGION_MARGIN_DEG = 3.0
_POINT_DECIMALS = 5
#: Leaflet's path simplification for envelopes, pixels (its default, 1, shows corners).
_SMOOTH_FACTOR = 0.25

#: Smallest hit area of a target or a site's symbol, CSS px (WCAG 2.5.5 target size, 44 px).
_HIT_PX = 44
#: Closest that two site symbols are drawn, CSS px (WCAG 2.2 target spacing, 2.5.8: 24 px):
#: their 44 px hit areas may overlap, and a tap there opens the nearest.
_SPACING_PX = 24

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


# --------------------------------------------------------------------------- packed geometry
#
# Coordinates are most of a page's bytes. In the page, every GeoJSON FeatureCollection
# of the data travels packed: ``{"q": Q, "polygons": [...]}`` or ``{"q": Q, "lines":
# [...]}``, one list per feature, holding its polygons (lists of rings) or its lines;
# a ring or line is a flat list of integers, the first position times Q and then each
# position's difference from the one before (x then y, longitude first). Rings drop
# their closing position. Q is the coarsest power of ten on which every coordinate of
# the collection lies exactly, so packing loses nothing: the page's decoder
# (``assets/decode.js``) rebuilds the same GeoJSON, number for number, that
# :func:`page_data` returns.

#: Grids tried for packing, coarsest first (1 / Q degree).
_GRIDS = (1, 10, 100, 1_000, 10_000, 100_000)

_PACKED_KINDS = {
    "Polygon": ("polygons", True),
    "MultiPolygon": ("polygons", False),
    "LineString": ("lines", True),
    "MultiLineString": ("lines", False),
}


def _grid(xy: np.ndarray) -> int | None:
    """Return the coarsest grid of :data:`_GRIDS` holding every coordinate exactly, or None."""
    for q in _GRIDS:
        if np.array_equal(np.rint(xy * q) / q, xy):
            return q
    return None


def _deltas(sequence: list, q: int, *, closed: bool) -> list[int]:
    """Return a ring or line as integers on a grid: the first position, then differences."""
    xy = np.rint(np.asarray(sequence, dtype=float) * q).astype(np.int64)
    if closed:
        xy = xy[:-1]
    return np.diff(xy, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel().tolist()


def _feature_parts(feature: dict) -> tuple[str | None, list]:
    """Return ``("polygons" or "lines", [coordinates of each part])``; kind None if not packable."""
    geometry = feature.get("geometry") or {}
    kind, single = _PACKED_KINDS.get(geometry.get("type"), (None, False))
    coordinates = geometry.get("coordinates")
    return (None if feature.get("properties") else kind), [coordinates] if single else coordinates


def _packed(collection: dict) -> dict:
    """Return a FeatureCollection packed for the page, or as it is when it cannot be.

    It is packed when every feature is a (multi) polygon, or every one a (multi) line
    string, without properties, and its coordinates lie on one of :data:`_GRIDS`.
    """
    kinds, features = set(), []
    for feature in collection["features"]:
        kind, parts = _feature_parts(feature)
        kinds.add(kind)
        features.append(parts)
    if len(kinds) != 1 or None in kinds:
        return collection
    kind = kinds.pop()
    closed = kind == "polygons"
    sequences = [seq for f in features for part in f for seq in (part if closed else [part])]
    if not sequences:
        return collection
    q = _grid(np.concatenate([np.asarray(seq, dtype=float).reshape(-1, 2) for seq in sequences]))
    if q is None:
        return collection
    if closed:
        packed = [[[_deltas(r, q, closed=True) for r in p] for p in f] for f in features]
    else:
        packed = [[_deltas(line, q, closed=False) for line in f] for f in features]
    return {"q": q, kind: packed}


def _pack(data: Any) -> Any:
    """Return the page's data with every FeatureCollection packed (see :func:`_packed`)."""
    if isinstance(data, dict):
        if data.get("type") == "FeatureCollection":
            return _packed(data)
        return {key: _pack(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_pack(value) for value in data]
    return data


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
    """Return Leaflet's CSS and JS as ``<style>`` and ``<script>`` blocks.

    The layer list's images are inlined as data URIs; the default marker's are not
    (no page draws one).
    """
    css = _vendor_file("leaflet.css").decode("utf-8")
    # No page uses Leaflet's default marker (every marker has a divIcon): its images
    # (6 KB gzipped) are left out, and the rule that points at one goes too.
    css = re.sub(r"\.leaflet-default-icon-path\s*\{[^}]*\}", "", css)
    css = re.sub(
        r"url\(images/([A-Za-z0-9_-]+\.png)\)", lambda m: f"url({_data_uri(m.group(1))})", css
    )
    js = _vendor_file("leaflet.js").decode("utf-8").replace("</", "<\\/")
    return f"<style>{css}</style>", f"<script>{js}</script>"


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


def _asset(name: str) -> str:
    """Return one of the page's own files (``assets/page.js``, ``assets/page.css``)."""
    return _resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _page_js() -> str:
    """Return the page's own script (``assets/page.js``), safe inside ``<script>``.

    It draws everything described by the JSON document ``tc-data``; nothing from data
    is ever part of it.
    """
    return _asset("page.js").strip().replace("</", "<\\/")


@functools.lru_cache(maxsize=1)
def _decode_js() -> str:
    """Return the page's decoder (``assets/decode.js``): unpacks geometry, keeps the view.

    It defines ``tcPayload.open(map, data)``, which :func:`_page_js` calls on the
    parsed JSON document before drawing it (see :func:`_packed`).
    """
    return _asset("decode.js").strip().replace("</", "<\\/")


@functools.lru_cache(maxsize=1)
def _page_css() -> str:
    """Return the page's own styles (``assets/page.css``) after the scene's colours, sizes."""
    # "--" + name: a CSS custom property, built so that no string reads as a CLI option.
    tones = " ".join("--" + f"tc-tone-{k.split()[0]}: {v};" for k, v in TONE_COLOURS.items())
    root = f":root {{ --tc-sea: {BASEMAP.sea}; --tc-panel-width: {_PANEL_WIDTH_PX}px; {tones} }}"
    return root + "\n" + _asset("page.css")


class _Page(MacroElement):
    """Everything threat-coverage adds to a folium map, as finished text.

    ``head`` goes into the document head, ``lead`` first into the body (the heading,
    the map's description and the data table, for screen readers), ``body`` into the
    body (the panel), and ``data`` (JSON-ready) is drawn by :func:`_page_js`.
    :meth:`render` overrides MacroElement's, which would compile rendered text as a
    template.
    """

    def __init__(self, *, head: str, body: str, data: dict, lead: str = "") -> None:
        super().__init__()
        self._name = "ThreatCoveragePage"
        self.head = head
        self.body = body
        self.data = data
        self.lead = lead

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
        packed = _js_json(_pack(self.data))
        island = f'<script type="application/json" id="tc-data">{packed}</script>'
        figure.header.add_child(_Raw(self.head), name="tc_head")
        # What a screen reader reaches first: before the map's own element.
        figure.html.add_child(_Raw(self.lead), name="tc_lead", index=0)
        # The panel and the range bar come before the map: the order of Tab is the panel's
        # toggle, the slider, then the map's controls and targets.
        figure.html.add_child(_Raw(self.body + island), name="tc_body", index=1)
        figure.script.add_child(_Raw(f"{_decode_js()}\n{_page_js()}({map_name});"), name="tc_draw")


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
    out = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    return out if out.is_valid else geodesy.rounded(geom, decimals)


def _feature_collection(polygons: list) -> dict:
    features = [
        {"type": "Feature", "properties": {}, "geometry": mapping(_round(p))} for p in polygons
    ]
    return {"type": "FeatureCollection", "features": features}


@functools.lru_cache(maxsize=1)
def _border_shapes() -> tuple[tuple, str]:
    """Return the bundled borders (one shapely geometry per country) and their credit line."""
    collection, credit = borders()
    return tuple(shapely.geometry.shape(f["geometry"]) for f in collection["features"]), credit


def _borders_within(region: tuple[float, float, float, float]) -> dict:
    """Return the borders cut to a region and a degree beyond it, as a FeatureCollection.

    The degree beyond keeps the cut (stroked like a border) out of every view the
    page allows. Cut coordinates are put back on the bundled grid
    (:data:`BORDER_DECIMALS`), so the page carries them losslessly.
    """
    west, south, east, north = region
    shapes = np.asarray(_border_shapes()[0], dtype=object)
    cut = shapely.clip_by_rect(shapes, west - 1.0, south - 1.0, east + 1.0, north + 1.0)
    features = []
    for shape in cut[~shapely.is_empty(cut)]:
        parts = _polygons(_round(shape, BORDER_DECIMALS))
        if parts:
            geometry = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
            features.append({"type": "Feature", "properties": {}, "geometry": mapping(geometry)})
    return {"type": "FeatureCollection", "features": features}


def _border_copies() -> dict:
    """Borders within WRAP_MARGIN_DEG of +-180, shifted by 360 to the other side."""
    east = box(180.0 - WRAP_MARGIN_DEG, -90.0, 180.0, 90.0)
    west = box(-180.0, -90.0, -180.0 + WRAP_MARGIN_DEG, 90.0)
    polygons = []
    for shape in _border_shapes()[0]:
        for window, dx in ((east, -360.0), (west, 360.0)):
            if shape.intersects(window):
                polygons.extend(_shift(p, dx) for p in _polygons(shape.intersection(window)))
    features = [
        {"type": "Feature", "properties": {}, "geometry": mapping(_round(p, BORDER_DECIMALS))}
        for p in polygons
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
    return _mark_svg(style, size or style.size_px)


def _mark_svg(style: MarkStyle, s: float) -> str:
    """Inline SVG of a mark as the map draws it, ``s`` px wide (our style constants only)."""
    shape = {
        "circle": f'<circle cx="{s / 2:g}" cy="{s / 2:g}" r="{s / 2 - 1:g}"/>',
        "triangle": f'<polygon points="{s / 2:g},1 {s - 1:g},{s - 1:g} 1,{s - 1:g}"/>',
        "square": f'<rect x="1" y="1" width="{s - 2:g}" height="{s - 2:g}"/>',
        "diamond": f'<polygon points="{s / 2:g},0.5 {s - 0.5:g},{s / 2:g} {s / 2:g},{s - 0.5:g} '
        f'0.5,{s / 2:g}"/>',
    }[style.symbol]
    return (
        f'<svg class="tc-symbol" width="{s:g}" height="{s:g}" aria-hidden="true">'
        f'<g fill="{_e(style.face)}" stroke="{_e(style.line)}" '
        f'stroke-width="{style.edge_px:g}">{shape}</g></svg>'
    )


def _mark_options(style: MarkStyle) -> dict[str, Any]:
    """Return a target mark's Leaflet path options: its shape, fill and outline."""
    return {
        "shape": style.symbol,
        "radius": style.size_px / 2,
        "color": style.line,
        "weight": style.edge_px,
        "fillColor": style.face,
        "fillOpacity": 1.0,
    }


_MARGIN_NOTE = (
    '<span class="tc-small">Margin = maximum range minus distance to the '
    "nearest origin (positive: inside); inside a minimum range, distance minus "
    "that minimum (negative).</span>"
)


def _target_popup(t: TargetMark, scene: Scene) -> str:
    parts = [f'<div class="tc-popup"><b>{_e(t.name)}</b>', *_target_place(t, scene)]
    parts.extend(f"<br>{_e(line)}" for line in t.lines)
    for role in (THREAT, DEFENCE):
        shown = [la for la in scene.layers if la.role == role and la.key in t.in_range]
        if shown:
            parts.append(_margins_table(t, scene, shown))
    if t.in_range:
        parts.append(_MARGIN_NOTE)
    parts.append("</div>")
    return "".join(parts)


def _target_place(t: TargetMark, scene: Scene) -> list[str]:
    """Return the popup's country and distance to the nearest origin."""
    parts = []
    if t.country and t.country != t.name:
        parts.append(f"<br>{_e(t.country)}")
    if t.distance_km is not None and t.nearest is not None:
        what = "Nearest point of its territory" if scene.territory else "Distance to nearest site"
        parts.append(
            f"<br>{what}: <b>{_km(t.distance_km)}</b> "
            f"({'from ' if scene.territory else ''}{_e(t.nearest)})"
        )
    return parts


def _margins_table(t: TargetMark, scene: Scene, shown: list[EnvelopeLayer]) -> str:
    """Return a popup's table of margins for the threats, or for the defences."""
    heading, out = "Threats", []
    if shown[0].role == DEFENCE:
        heading = f"Defences against {_e(scene.threat_class or shown[0].against)}"
        covering = sum(1 for la in shown if t.in_range[la.key])
        engage = f"{covering} can engage here" if covering else "none can engage here"
        out.append(f"<br><b>{heading}</b>: {engage}")
        heading = ""
    out.append(f"<table><tr><th>{heading}</th><th>Margin</th><th></th></tr>")
    for la in shown:
        margin = t.margins_km.get(la.key, math.nan)
        value = "" if math.isinf(margin) or math.isnan(margin) else f"{margin:+,.1f} km"
        out.append(
            f"<tr><td>{_swatch(la.style)} {_e(la.title)}</td>"
            f'<td class="num">{value}</td><td>{_e(t.words.get(la.key, ""))}</td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _site_popup(mark: SiteMark) -> str:
    site = mark.site
    parts = [f'<div class="tc-popup"><b>{_e(mark.name)}</b>']
    kind = SITE_KINDS.get(mark.kind)
    parts.append(f"<br>{_e(kind.one if kind is not None else mark.kind)}")
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


# --------------------------------------------------------------------------- for screen readers


def _page_title(scene: Scene) -> str:
    """Return the page's title: the scene's title and, for a claim, its headline."""
    if scene.claim is None:
        return scene.title
    return f"{scene.title} \u2014 {scene.verdict_line}"


def _lead_html(scene: Scene, description: str) -> str:
    """Return what a screen reader reaches first, visually hidden (class ``tc-sr``).

    The heading (title and headline), the map's description (``#tc-alt``, the
    accessible description of the map's element) and the data as a table.
    """
    return (
        f'<h1 class="tc-sr">{_e(_page_title(scene))}</h1>'
        f'<p class="tc-sr" id="tc-alt">{_e(description)}</p>' + _data_table_html(scene)
    )


def _margin_cell(t: TargetMark, key: str) -> str:
    margin = t.margins_km.get(key, math.nan)
    if math.isinf(margin) or math.isnan(margin):
        return f"<td>{_e(t.words.get(key, ''))}</td>"
    return f'<td class="num">{margin:+,.1f}</td>'


def _data_table_html(scene: Scene) -> str:
    """Return every target as a row: country, distance, margin per figure, in range.

    Built from the scene's marks (the verdict's exact distances and words); visually
    hidden, for screen readers.
    """
    if not scene.targets:
        return ""
    layers = scene.layers
    where = "nearest point of its territory" if scene.territory else "nearest site"
    head = "".join(f'<th scope="col">Margin, {_e(la.title)} (km)</th>' for la in layers)
    out = [
        '<div class="tc-sr"><table id="tc-table">'
        f"<caption>{_e(scene.title)}: every target, its distance to the {where} and its "
        "margin at each range figure (maximum range minus distance; positive: inside)"
        "</caption><thead><tr>"
        '<th scope="col">Target</th><th scope="col">Country</th>'
        f'<th scope="col">Distance (km)</th>{head}<th scope="col">In range</th>'
        "</tr></thead><tbody>"
    ]
    for t in scene.targets:
        distance = "" if t.distance_km is None else f"{t.distance_km:,.1f}"
        margins = "".join(_margin_cell(t, la.key) for la in layers)
        out.append(
            f'<tr><th scope="row">{_e(t.name)}</th><td>{_e(t.country or "")}</td>'
            f'<td class="num">{distance}</td>{margins}<td>{_e(TARGET_WORDS[t.state])}</td></tr>'
        )
    out.append("</tbody></table></div>")
    return "".join(out)


# --------------------------------------------------------------------------- panel

#: Badge classes by the scene's tone (:attr:`Scene.verdict`).
_BADGES = {"true": "true", "false": "false"}
#: The panel's heading above the headline, by the claim's question.
_QUESTION_HEADINGS = {
    "reach": "Verdict",
    "defence": "The defence claimed",
    "time": "The time claimed",
}


def _badge(word: str, tone: str | None) -> str:
    """Return a verdict word in capitals on its colour (``tone``: the scene's)."""
    css = _BADGES.get(tone or "", "depends")
    return f'<span class="tc-badge tc-badge-{css}">{_e(word.upper())}</span>'


def _summary_html(scene: Scene) -> str:
    """Return the panel's one line: the headline word and counts, or the title."""
    if scene.claim is None:
        return f'<span class="tc-summary-text">{_e(scene.title)}</span>'
    headline = scene.claim.headline
    rest = headline.line.removeprefix(headline.word.upper()).removeprefix(" \u2014 ")
    return f'{_badge(headline.word, scene.verdict)} <span class="tc-summary-text">{_e(rest)}</span>'


def _panel_html(scene: Scene) -> str:
    out = [
        '<div class="tc-panel" id="tc-panel"><details open>'
        f"<summary>{_summary_html(scene)}</summary>"
    ]
    if scene.claim is not None:
        out.append(f"<h2>{_e(scene.title)}</h2>")
        out.append(_claim_html(scene.claim, scene))
    else:
        out.append(_rings_html(scene))
    if scene.defences:
        out.append(_defences_html(scene))
    out.append(_targets_html(scene))
    out.append(_sites_html(scene))
    if scene.layers:
        out.append("<h3>Sources of the ranges shown</h3><ul>")
        out.extend(f"<li>{_e(la.title)}: {_source_html(la.source)}</li>" for la in scene.layers)
        out.append("</ul>")
    out.append(_notes_html(scene))
    out.append("</details></div>")
    return "".join(out)


def _rings_html(scene: Scene) -> str:
    """Return the legend of the range rings of a map that claims nothing."""
    if not scene.threats:
        return ""
    out = ["<h3>Range rings</h3><table>"]
    for la in scene.threats:
        sites = ", ".join(s.name for s in la.origins)
        out.append(
            f"<tr><td>{_swatch(la.style)}</td><td>{_e(la.title)}<br>"
            f'<span class="tc-small">from {_e(sites)}</span></td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _targets_html(scene: Scene) -> str:
    """Return the legend of the targets' states, with their counts."""
    if not scene.targets:
        return ""
    out = ["<h3>Targets</h3>"]
    if scene.claim is None:
        out.append(f"<p>{_e(scene.targets_label)}</p>")
    out.append("<p>")
    counts = scene.state_counts()
    states = ("all", "some", "none") if scene.threats else ("none",)
    for state in states:
        out.append(
            f"{_mark_svg(TARGET_STYLES[state], 12)} "
            f"{TARGET_WORDS[state]} ({counts.get(state, 0)})<br>"
        )
    out.append(
        '</p><p class="tc-small">Whether a target is reached is decided by its exact '
        "geodesic distance (WGS84), not by the drawn shapes. Names shown: targets in "
        "range at some figure. Click a target for its distance and margins.</p>"
    )
    return "".join(out)


def _sites_html(scene: Scene) -> str:
    """Return the legend of the site kinds shown."""
    shown = {s.kind for s in scene.sites}
    kinds = [k for k in SITE_KINDS if k in shown]
    if not kinds:
        return ""
    rows = "".join(f"{_symbol(k, 12)} {_e(SITE_KINDS[k].many)}<br>" for k in kinds)
    return f"<h3>Sites</h3><p>{rows}</p>"


def _notes_html(scene: Scene) -> str:
    """Return the notes and credits (a time claim's judgement is its headline already)."""
    notes = scene.notes
    if scene.claim is not None and scene.claim.headline.question == "time":
        notes = tuple(n for n in notes if not n.startswith("Time claimed"))
    out = [f'<p class="tc-small">{_e(line)}</p>' for line in notes]
    if scene.credits:
        joined = " \u00b7 ".join(_e(c) for c in scene.credits)
        out.append(f'<p class="tc-small">{joined}</p>')
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
    if scene.claim is not None:
        out.append(_defended_html(scene.claim))
    return "".join(out)


def _range_html(scene: Scene) -> str:
    """Return the panel's note on the range bar (the slider itself is outside the panel)."""
    rc = scene.range_control
    if rc is None:
        return ""
    return (
        '<p class="tc-small tc-range-note"><b>Try a range</b> with the slider below the map '
        "(km, from the sites shown): each target is recoloured by its exact geodesic distance "
        f"(computed in Python; minimum range {rc.min_km:,.0f} km) and the dashed envelope is "
        "drawn at that range.</p>"
    )


def _range_bar_html(scene: Scene) -> str:
    """Return the range bar: the slider and its count, below the map, outside the panel.

    It stays visible while the panel is closed, so that a reader sees the rings and the
    colours move as the slider is dragged; the count is a polite live region.
    """
    rc = scene.range_control
    if rc is None:
        return ""
    return (
        '<div class="tc-rangebar" id="tc-rangebar">'
        '<label for="tc-range" class="tc-range-label">Range</label>'
        f'<input type="range" id="tc-range" min="0" max="{rc.max_km:g}" step="{rc.step_km:g}" '
        f'value="{rc.value_km:g}" aria-describedby="tc-range-out">'
        '<div class="tc-range-out" id="tc-range-out" aria-live="polite"></div></div>'
    )


def _claim_html(claim: ClaimPanel, scene: Scene) -> str:
    """Return the panel's account of a claim: who said it, the answer, the numbers."""
    return "".join(
        [
            _said_html(claim),
            _headline_html(claim, scene),
            _definition_html(scene),
            _figures_html(claim, scene),
            _needed_html(claim),
            _range_html(scene),
            _origins_html(claim),
        ]
    )


def _said_html(claim: ClaimPanel) -> str:
    """Return the quote, who said it and when, and where it was reported."""
    out = []
    if claim.quote:
        out.append(f'<p class="tc-quote">\u201c{_e(claim.quote)}\u201d</p>')
    if claim.who:
        out.append(f"<p>\u2014 {_e(claim.who)}</p>")
    if claim.sources:
        links = "; ".join(_source_html(s.source) for s in claim.sources)
        out.append(f'<p class="tc-small">Reported by: {links}</p>')
    return "".join(out)


def _headline_html(claim: ClaimPanel, scene: Scene) -> str:
    """Return the answer to the claim's question, then, if that is not reach, the reach."""
    headline = claim.headline
    heading = _QUESTION_HEADINGS[headline.question]
    badge = _badge(headline.word, scene.verdict)
    if headline.question == "reach":
        return f"<h3>{heading}</h3><p>{badge} {_e(claim.reach_text)}</p>"
    return (
        f"<h3>{heading}</h3><p>{badge} {_e(headline.reason.text)}</p>"
        "<h3>The threat: is the target in its range?</h3>"
        f"<p>{_badge(claim.reach, claim.reach)} {_e(claim.reach_text)}</p>"
    )


def _definition_html(scene: Scene) -> str:
    used = _e(scene.targets_label)
    if scene.territory:
        used += (
            ". A country counts when any point of its territory (Natural Earth 1:50m) is "
            "in range; it is marked at its capital."
        )
    return f"<h3>Definition used</h3><p>{used}</p>"


def _figures_html(claim: ClaimPanel, scene: Scene) -> str:
    """Return the table of targets in range per figure and whether the claim holds there."""
    by_key = {la.key: la for la in scene.threats}
    out = [
        "<h3>In range, per figure</h3><table>"
        "<tr><th></th><th>Range figure</th><th>In range</th><th>Claim</th></tr>"
    ]
    for row, key in zip(claim.figures, claim.figure_layers, strict=True):
        la = by_key.get(key)
        swatch = _swatch(la.style) if la is not None else ""
        out.append(
            f"<tr><td>{swatch}</td><td>{_e(la.title if la is not None else row.label)}</td>"
            f'<td class="num">{row.in_range} of {row.count}</td>'
            f"<td>{'holds' if row.holds else 'fails'}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _needed_html(claim: ClaimPanel) -> str:
    return (
        f"<p>Needed: at least {claim.required} of {claim.total} "
        f"({claim.share:.0%}); {_e(claim.range_needed_text)}.</p>"
    )


def _origins_html(claim: ClaimPanel) -> str:
    """Return the table of the claim from each choice of origins (launch areas)."""
    if not claim.origins:
        return ""
    n = claim.total
    out = [
        "<h3>From each origin</h3><table><tr><th>Launched from</th>"
        + "".join(f'<th class="num">{_e(f.short)}</th>' for f in claim.figures)
        + '<th class="num">Holds from</th></tr>'
    ]
    for o in claim.origins:
        shown = " (shown)" if o.used else ""
        counts = "".join(f'<td class="num">{c}/{n}</td>' for c in o.in_range)
        people = "".join(f'<td class="num tc-small">{p / 1e6:,.1f} M</td>' for p in o.people)
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


def _defended_html(claim: ClaimPanel) -> str:
    """Return, per threat figure, the report's targets in range inside and outside defences."""
    return "".join(
        f'<p class="tc-small">At {_e(f.title)}: {f.defended} in range and inside at least '
        f"one defence envelope, {f.undefended} in range and outside all.</p>"
        for f in claim.figures
        if f.defended is not None
    )


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
    if verdict is None:
        return _scene_map(scene, tiles)
    from ..alt import _alt_text

    return _scene_map(scene, tiles, _alt_text(verdict.report))


class _NoTargets:
    targets = None


def scene_map(
    scene: Scene, *, tiles: str | None = None, description: str | None = None
) -> folium.Map:
    """Return the offline folium map that draws a scene (:mod:`coverage.render.scene`).

    Parameters
    ----------
    scene : Scene
    tiles : str, optional
        Online tiles to add (see :func:`coverage_map`).
    description : str, optional
        The map's alternative text (:func:`coverage.alt.alt_text`), the accessible
        description of its container; by default the page's title.

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
    _v.text(description, "description", optional=True)
    return _scene_map(scene, tiles, description)


def _scene_map(scene: Scene, tiles: str | None = None, description: str | None = None):
    """Return :func:`scene_map` of checked arguments."""
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
    head = f"<title>{_e(_page_title(scene))}</title>{css}<style>{_page_css()}</style>{js}"
    region = _region(scene, wrap=wrap)
    data: dict[str, Any] = {
        "view": _leaflet_view(scene.view, margin),
        "region": _leaflet_view(region, margin),
        "narrow": NARROW_PX,
        "separation": PIN_SEPARATION_PX,
        "dotSeparation": DOT_SEPARATION_PX,
        "hit": _HIT_PX,
        "spacing": _SPACING_PX,
        "tiles": _tiles(tiles) if tiles else None,
        "base": _base_layer(region, wrap=wrap, over_tiles=bool(tiles)),
        "layers": [_envelope_layer(la, wrap=wrap) for la in scene.layers],
        "targets": _targets_data(scene),
        "sites": _sites_data(scene),
        "slider": _slider_data(scene, wrap=wrap),
    }
    lead = _lead_html(scene, description or _page_title(scene))
    body = _panel_html(scene) + _range_bar_html(scene)
    m.add_child(_Page(head=head, body=body, data=data, lead=lead), name="tc_page")
    return m


def _leaflet_view(view: tuple[float, float, float, float], margin: float) -> list[list[float]]:
    west, south, east, north = view
    west, east = max(west, -180.0 - margin), min(east, 180.0 + margin)
    south, north = max(south, -MERCATOR_MAX_LAT), min(north, MERCATOR_MAX_LAT)
    return [[south, west], [north, east]]


def _mercator_y(lat: float) -> float:
    """Return Web Mercator's northing of a latitude (degrees), in radians of the equator."""
    return math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0))


def _latitude(y: float) -> float:
    """Return the latitude (degrees) of a Web Mercator northing in radians."""
    return math.degrees(2.0 * math.atan(math.exp(y)) - math.pi / 2.0)


def _room_around(view: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Return the square (Web Mercator) a window shows :data:`ZOOM_OUT_LEVELS` out from a view.

    The view's longer side, times 2 per level, times :data:`_WINDOW_ASPECT` (the window
    may be wider or taller than the view): square, as the window may be either.
    """
    west, south, east, north = view
    south, north = max(south, -MERCATOR_MAX_LAT), min(north, MERCATOR_MAX_LAT)
    bottom, top = _mercator_y(south), _mercator_y(north)
    side = max(math.radians(east - west), top - bottom) * 2.0**ZOOM_OUT_LEVELS * _WINDOW_ASPECT
    half = side / 2.0
    x, y = math.radians(west + east) / 2.0, (bottom + top) / 2.0
    return (
        math.degrees(x - half),
        _latitude(max(y - half, -math.pi)),
        math.degrees(x + half),
        _latitude(min(y + half, math.pi)),
    )


def _drawn_bounds(scene: Scene) -> list[tuple[float, float, float, float]]:
    """Bounds of everything a scene draws: envelopes, slider rings, targets and sites."""
    shapes = [la.geometry for la in scene.layers]
    if scene.range_control is not None:
        shapes += [geom for _, geom in scene.range_control.rings]
    boxes = [g.bounds for g in shapes if g is not None and not g.is_empty]
    points = [(t.lon, t.lat) for t in scene.targets] + [(s.lon, s.lat) for s in scene.sites]
    if points:
        xy = np.asarray(points, dtype=float)
        boxes.append((*xy.min(axis=0), *xy.max(axis=0)))
    return boxes


def _region(scene: Scene, *, wrap: bool) -> tuple[float, float, float, float]:
    """Return (west, south, east, north), degrees: what the page lets a reader see.

    Everything drawn and the room to zoom out :data:`ZOOM_OUT_LEVELS` levels from the
    first view, with a margin; the whole drawn world when wrapping at +-180. The page
    holds the borders of this region only, keeps the view inside it (``maxBounds``)
    and lets a reader zoom out only as far as it fills the map.
    """
    if wrap:
        margin = WRAP_MARGIN_DEG
        return (-180.0 - margin, -MERCATOR_MAX_LAT, 180.0 + margin, MERCATOR_MAX_LAT)
    boxes = np.asarray([_room_around(scene.view), *_drawn_bounds(scene)], dtype=float)
    west, south = boxes[:, :2].min(axis=0) - _REGION_MARGIN_DEG
    east, north = boxes[:, 2:].max(axis=0) + _REGION_MARGIN_DEG
    return (
        max(float(west), -180.0),
        max(float(south), -MERCATOR_MAX_LAT),
        min(float(east), 180.0),
        min(float(north), MERCATOR_MAX_LAT),
    )


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
                    **_mark_options(t.style),
                    "pane": "tcPoints",
                    "className": f"tc-target tc-target-{t.state}",
                },
            }
        )
    credit = next((c for c in scene.credits[1:]), None)
    what = f"{_e(scene.targets_label)}" if scene.targets_label else "as given"
    return {
        "name": f"{_mark_svg(TARGET_STYLES['all'], 12)} Targets ({_e(_short(scene))})",
        "labels": f"Names of targets in range ({what})" if what else "Names",
        "attribution": _e(credit) if credit else None,
        "points": points,
    }


def _short(scene: Scene) -> str:
    if scene.definition_id is not None:
        return f"{scene.definition_id}, {len(scene.targets)}"
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
                "name": f"{_symbol(kind, 12)} {_e(SITE_KINDS[kind].many)}",
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
    # Its stroke and fill are the page's CSS (.tc-slider-ring in page.css), not data.
    options = {"interactive": False, "className": "tc-slider-ring", "smoothFactor": _SMOOTH_FACTOR}
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
        "styles": {
            "in": _mark_options(TARGET_STYLES["all"]),
            "out": _mark_options(TARGET_STYLES["none"]),
        },
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


def _base_layer(region: tuple[float, float, float, float], *, wrap: bool, over_tiles: bool) -> dict:
    """Return the basemap as page data: borders, and their copies across +-180 when wrapping.

    Only the borders within the page's region (:func:`_region`) are sent. Over online
    tiles the borders are a layer of their own (named, so that the layer list can
    hide them) and are not filled.
    """
    credit = _border_shapes()[1]
    options = {
        "pane": "tcBase",
        "interactive": False,
        "attribution": _e(credit),
        "color": BASEMAP.border,
        "weight": 0.7,
        "fill": not over_tiles,
        "fillColor": BASEMAP.land,
        "fillOpacity": 1.0,
        "className": "tc-border",
    }
    parts = [{"data": _borders_within(region), "options": options}]
    if wrap:
        parts.append({"data": _border_copies(), "options": dict(options, attribution=None)})
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
    return _verdict_map(verdict, tiles, panel, _description(verdict, panel))


def _description(verdict: Verdict, panel: bool) -> str:
    """Return the page's alt text (:func:`coverage.alt.alt_text`), once a map can be drawn.

    Raises
    ------
    ParameterError
        If the verdict has more targets than :data:`MAX_MAP_TARGETS`.
    """
    _refuse_crowded(verdict)
    from ..alt import _alt_text

    return _alt_text(verdict.report, panel)


def _refuse_crowded(verdict: Verdict) -> None:
    """Refuse a verdict with more targets than one map can show."""
    if len(verdict.targets) > MAX_MAP_TARGETS:
        raise ParameterError(
            f"targets: {len(verdict.targets):,} are too many for one map (at most "
            f"{MAX_MAP_TARGETS:,}); export the numbers as CSV or GeoJSON instead",
            parameter="targets",
        )


def _verdict_map(verdict: Verdict, tiles: str | None, panel: bool, description: str) -> folium.Map:
    """Return :func:`verdict_map` of checked arguments.

    ``description`` is the page's alt text, computed once by the caller
    (:func:`_description`, or the CLI's, which also prints it).
    """
    _refuse_crowded(verdict)
    return _scene_map(_scene_for(verdict, panel), tiles, description)


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
#: folium's ``<html>``: the page is in English (``lang``, for screen readers' voices).
_HTML_OPEN = re.compile(r"<html>", re.IGNORECASE)


def render_html(m: folium.Map) -> str:
    """Return the whole HTML document of a map (one self-contained page).

    A copy of the map is rendered, so rendering twice gives the same page (folium's
    layer control adds script lines to the figure each time it renders); only the
    random element ids differ between maps. The viewport lets readers zoom the page
    (folium's ``user-scalable=no`` is replaced), and ``<html lang="en">`` is set.
    """
    _v.folium_map(m)
    return _render_html(m)


def _render_html(m: folium.Map) -> str:
    """Return :func:`render_html` of a checked map."""
    page = copy.deepcopy(m.get_root()).render()
    page = _HTML_OPEN.sub('<html lang="en">', page, count=1)
    return _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', page, count=1
    )


def write_html(
    verdict: Verdict,
    path: str | os.PathLike[str] | None = None,
    *,
    tiles: str | None = None,
    panel: bool = True,
) -> Path | None:
    """Write the HTML map of a verdict (:func:`verdict_map`), atomically or to stdout.

    The counterpart of :func:`coverage.render.static.write_figure` for the page: the
    page is rendered in full before anything is written, so an error leaves any
    existing file untouched.

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.checks.check` or :func:`coverage.claims.evaluate_claim`.
    path : str or os.PathLike, optional
        The ``.html`` file; None or ``"-"`` writes the page to standard output (see
        :func:`coverage.exports.write_text`).
    tiles, panel
        As :func:`verdict_map`.

    Returns
    -------
    pathlib.Path or None
        The path written, None for standard output.

    Raises
    ------
    ParameterError
        As :func:`verdict_map`.
    ExportError
        If the file cannot be written.
    """
    _v.verdict(verdict)
    _v.path(path, "path", optional=True)
    _v.text(tiles, "tiles", optional=True)
    _v.flag(panel, "panel")
    return _write_html(verdict, path, tiles, panel, _description(verdict, panel))


def _write_html(
    verdict: Verdict,
    path: str | os.PathLike[str] | None,
    tiles: str | None,
    panel: bool,
    description: str,
) -> Path | None:
    """Do :func:`write_html` for checked arguments (a verdict from the library).

    ``description`` is the page's alt text, as :func:`_verdict_map` takes it.
    """
    from .._atomic import write_output

    page = _render_html(_verdict_map(verdict, tiles, panel, description))  # in full before writing
    return write_output(path, page)


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
    return write_text_atomic(path, lambda: _render_html(m))


# --------------------------------------------------------------------------- the date control
# A timeline's map (issue 23): the verdict's page with a date control that steps
# through the timeline, showing the sites standing and the counts as of each step.
# Everything shown is computed in Python (coverage.timeline); the page's script only
# shows or hides pins and writes the step's text.


def timeline_map(timeline, *, tiles: str | None = None) -> folium.Map:
    """Return the map of a timeline: its check's map with a date control.

    The map draws the timeline's verdict (the check as asked: a named claim as of
    its own date). A date control (an ``input type=range`` labelled "Date") steps
    through :attr:`coverage.timeline.Timeline.steps`, starting at the claim's day:
    each step shows the sites standing that day (:func:`coverage.timeline.standing`)
    and the targets judged that day (the definition's members then: a state that
    joins or leaves appears or disappears, and each dot takes its state at the
    figures counted that day), and says, in a polite live region, what changed and
    the count in range per figure as of that day (the numbers of ``claim --as-of
    DAY``). The page's script computes nothing: every step's site visibility,
    target marks and counts are in its data.

    Parameters
    ----------
    timeline : coverage.timeline.Timeline
        From :func:`coverage.timeline.timeline`.
    tiles : str, optional
        Online tiles to add (see :func:`coverage_map`); none by default.

    Returns
    -------
    folium.Map

    Raises
    ------
    ParameterError
        If ``timeline`` is not a Timeline, has no step, or has more targets than a
        map can show.
    """
    from ..alt import alt_text
    from ..timeline import Timeline

    _v.instance(timeline, "timeline", Timeline)
    _v.text(tiles, "tiles", optional=True)
    if not timeline.steps:
        raise ParameterError("timeline: it has no dated step to show", parameter="timeline")
    verdict = timeline.verdict
    if len(verdict.targets) > MAX_MAP_TARGETS:
        raise ParameterError(
            f"timeline: {len(verdict.targets):,} targets are too many for one map (at most "
            f"{MAX_MAP_TARGETS:,})",
            parameter="timeline",
        )
    panel = timeline.request.claims_anything
    scene = _scene_for(verdict, panel)
    m = _scene_map(scene, tiles, alt_text(verdict.report, claims=panel))
    page = m._children["tc_page"]
    extra = _extra_targets(scene, timeline, panel)
    if extra and page.data.get("targets"):
        page.data["targets"]["points"] += [
            {k: v for k, v in p.items() if k != "key"} for p in extra
        ]
    page.data["timeline"] = _timeline_data(scene, timeline, extra)
    page.body = _with_date_control(page.body, timeline)
    return m


def _pin_sites(scene: Scene) -> list[SiteMark]:
    """Return the scene's sites in the order the page makes their pins (:func:`_sites_data`)."""
    return [s for kind in SITE_STYLES for s in scene.sites if s.kind == kind]


def _timeline_data(scene: Scene, timeline, extra: list[dict]) -> dict:
    """Return the date control's data: per step its day, text, pins, targets and counts.

    ``targets`` holds per step, for each target point of the page (the scene's, then
    ``extra``), its state that day (``"all"``, ``"some"``, ``"none"``: in range at
    every figure counted that day, some, none) or None when it is not a member of
    the definition that day; ``styles`` the mark of each state.
    """
    from ..timeline import standing

    pins = _pin_sites(scene)
    names = {s.id: s.name for s in scene.sites}
    keys = [_target_key(t.name, t.lon, t.lat) for t in scene.targets]
    keys += [_target_key(p["key"][0], p["key"][1], p["key"][2]) for p in extra]
    return {
        "start": timeline.start_index,
        "styles": {state: _mark_options(style) for state, style in TARGET_STYLES.items()},
        "steps": [
            {
                "date": step.date.text,
                "text": step.line(names),
                "sites": [standing(mark.site, step.date) for mark in pins],
                "counts": [[c.in_range, c.total] for c in step.counts],
                "total": len(step.verdict.targets),
                "required": step.verdict.required,
                "targets": _step_targets(step, keys),
            }
            for step in timeline.steps
        ],
    }


def _target_key(name: str, lon: float, lat: float) -> tuple:
    """Return a target's identity across the steps' verdicts: its name and its place."""
    return name, round(lon, _POINT_DECIMALS), round(lat, _POINT_DECIMALS)


def _step_targets(step, keys: list[tuple]) -> list[str | None]:
    """Per page target: its state as of the step, or None when not judged that day.

    The state is read from the step's verdict at the figures counted that day
    (:attr:`coverage.timeline.Step.counts`), as the scene reads a verdict: in range
    at every figure, some, none.
    """
    from ..claims import figure_keys

    verdict = step.verdict
    counted = {c.figure for c in step.counts}
    used = [
        e for k, e in zip(figure_keys(verdict), verdict.evaluations, strict=True) if k in counted
    ]
    states: dict[tuple, str] = {}
    for j, t in enumerate(verdict.targets.targets):
        hits = sum(bool(e.in_range[j]) for e in used)
        state = "all" if used and hits == len(used) else "some" if hits else "none"
        states[_target_key(t.name, t.lon, t.lat)] = state
    return [states.get(k) for k in keys]


def _extra_targets(scene: Scene, timeline, panel: bool) -> list[dict]:
    """Return the target points of the steps' verdicts that the scene lacks, once each.

    A state that joins the definition after the claim's day (or left it before) has
    no dot in the scene of the timeline's verdict; its point is taken from the
    scene of the first step that judges it (popup, mark and numbers of that day).
    """
    have = {_target_key(t.name, t.lon, t.lat) for t in scene.targets}
    out: list[dict] = []
    seen: set[int] = set()
    for step in timeline.steps:
        verdict = step.verdict
        if id(verdict) in seen:
            continue
        seen.add(id(verdict))
        missing = {
            _target_key(t.name, t.lon, t.lat) for t in verdict.targets.targets
        } - have  # fmt: skip
        if not missing:
            continue
        other = _scene_for(verdict, panel)
        for t, point in zip(other.targets, _targets_data(other)["points"], strict=True):
            key = _target_key(t.name, t.lon, t.lat)
            if key in missing:
                out.append({**point, "key": list(key), "label": False})
                have.add(key)
    return out


def _date_html(timeline) -> str:
    """Return the date control: a range input over the steps and its live region."""
    start = timeline.start_index
    step = timeline.steps[start]
    text = step.line({s.id: s.name for s in timeline.verdict.sites})
    return (
        '<div class="tc-range-box tc-date-box"><label for="tc-date"><b>Date</b> (step '
        "through the timeline):</label>"
        f'<input type="range" id="tc-date" min="0" max="{len(timeline.steps) - 1}" step="1" '
        f'value="{start}" aria-valuetext="{_e(step.date.text)}" '
        'aria-describedby="tc-date-out">'
        f'<div class="tc-range-out" id="tc-date-out" aria-live="polite">{_e(text)}'
        '</div><span class="tc-small">The sites standing and the counts in range as of each '
        "dated step (a deployment, a withdrawal, a membership change), judged in Python by "
        "exact distance as of that day; a site whose date is not sourced is always shown."
        "</span></div>"
    )


def _with_date_control(body: str, timeline) -> str:
    """Put the date control first in the panel, right after its summary line."""
    head, sep, rest = body.partition("</summary>")
    if not sep:
        return _date_html(timeline) + body
    return head + sep + _date_html(timeline) + rest
