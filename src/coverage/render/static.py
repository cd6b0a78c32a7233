"""Static figures of a scene: PNG, SVG and PDF for print and social media, no browser.

A :class:`coverage.render.scene.Scene` is drawn with matplotlib (the Agg canvas and
the SVG and PDF backends; no window is ever opened and pyplot is not used) on an
azimuthal equidistant projection centred on the envelopes' origin
(:mod:`coverage.render.static_geometry`): a range ring from that origin is a true
circle, distances from it read true at every point, and a ring across +-180, around a
pole or beyond a hemisphere is drawn in one piece. What is drawn:

- the bundled Natural Earth borders, a graticule;
- every layer of the scene in its style (the scene's one style table: the same
  colours as the HTML map and the KML);
- targets coloured by state; the names of targets in range at some figure are
  always written, other names where there is room, never overlapping;
- sites by kind (launch, defence, garrison), launch areas outlined;
- a scale bar (true at the centre and along every line from it);
- the headline (the report's answer to the claim's own question), the legend with
  the count in range per layer, the people in range (the scene's notes, from the
  verdict), the sources of the ranges, the credits and the projection.

The page is a matplotlib GridSpec of cells (header, map, legend, footer); its texts
are offset boxes and names anchored in points, so PNG, SVG and PDF show the same
page with every word on it.

Membership is the scene's (from a verdict): nothing here measures a distance to
decide what is in range. SVG text stays text (``svg.fonttype: none``), so a graphics
desk can edit it; PDF is one page with its fonts embedded. Names from data are never
parsed as mathtext.

Every file carries its alternative text (:mod:`coverage.alt`, from the verdict's
report: the headline, the counts per figure, the sites) for readers who cannot see
it: SVG ``<title>`` and ``<desc>`` first in the root (``role="img"``), PNG ``Title``
and ``Description`` text chunks, PDF ``/Title`` and ``/Subject``.
"""

from __future__ import annotations

import dataclasses
import html
import io
import math
import os
import re
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .. import _validate as _v
from ..errors import ParameterError
from .scene import (
    AREA_OUTLINE,
    BASEMAP,
    SITE_WORDS,
    TARGET_STYLES,
    TARGET_WORDS,
    TEXT,
    TONE_COLOURS,
    MarkStyle,
    Scene,
    borders,
)
from .static_geometry import Projected, Projection, _project_scene

if TYPE_CHECKING:
    from ..claims import Verdict
    from ..report import Report

__all__ = [
    "render",
    "write_figure",
    "render_verdict",
    "figure",
    "figure_bytes",
    "RC_PARAMS",
    "layout",
    "Layout",
    "parse_size",
    "format_for",
    "FORMATS",
    "DEFAULT_SIZE_PX",
    "DPI",
    "Frame",
    "MULTIPLES_SIZE_PX",
    "multiples_bytes",
    "write_multiples",
    "timeline_frames",
]

#: Formats written, by file extension.
FORMATS = ("png", "svg", "pdf")
#: Default size in pixels (width, height): 12 x 8 inches at :data:`DPI`, for print.
DEFAULT_SIZE_PX = (1800, 1200)
#: Pixels per inch: sizes in pixels are figure sizes at this resolution (also for
#: SVG and PDF, whose text sizes follow).
DPI = 150
_MIN_PX, _MAX_PX = 300, 12_000
#: Beyond this distance of the view from the centre (km) the figure shows a disc.
_WORLD_KM = 8_000.0

_SEA, _LAND, _BORDER = BASEMAP.sea, BASEMAP.land, BASEMAP.border
_GRATICULE = "#b9c9d6"
_INK, _MUTED, _HALO = TEXT.ink, TEXT.muted, TEXT.halo
_MARKERS = {"circle": "o", "triangle": "^", "square": "s", "diamond": "D"}


# --------------------------------------------------------------------------- options


def parse_size(text: str | Sequence[int] | None) -> tuple[int, int]:
    """Return a figure size ``(width, height)`` in pixels from ``"WxH"`` (or a pair).

    Parameters
    ----------
    text : str or (int, int) or None
        E.g. ``"1200x675"`` (a social card); None gives :data:`DEFAULT_SIZE_PX`.
        Each side must be a whole number of pixels from 300 to 12,000.

    Returns
    -------
    (int, int)

    Raises
    ------
    ParameterError
        If the size is malformed or out of bounds (``parameter="size_px"``).
    """
    _v.size(text)
    return _parse_size(text)


def _parse_size(text: str | Sequence[int] | None) -> tuple[int, int]:
    """Return :func:`parse_size` of a checked size."""
    if text is None:
        return DEFAULT_SIZE_PX
    if isinstance(text, str):
        parts = text.strip().lower().replace("\u00d7", "x").split("x")
        try:
            if len(parts) != 2:
                raise ValueError
            w, h = int(parts[0]), int(parts[1])
        except ValueError:
            raise ParameterError(
                f"size_px: expected WIDTHxHEIGHT in pixels (e.g. 1200x675), got {text!r}",
                parameter="size_px",
            ) from None
    else:
        try:
            w, h = (int(v) for v in text)
        except (TypeError, ValueError):
            raise ParameterError(
                f"size_px: expected (width, height) in pixels, got {text!r}", parameter="size_px"
            ) from None
    if not (_MIN_PX <= w <= _MAX_PX and _MIN_PX <= h <= _MAX_PX):
        raise ParameterError(
            f"size_px: {w}x{h} pixels is out of bounds; each side must be "
            f"{_MIN_PX} to {_MAX_PX:,} pixels",
            parameter="size_px",
        )
    return w, h


def format_for(path: str | os.PathLike[str] | None, format: str | None = None) -> str:
    """Return the format of a static figure: ``format``, else the file's extension.

    Raises
    ------
    ParameterError
        If neither names png, svg or pdf (``parameter="format"``).
    """
    _v.output(path, "path", optional=True)
    _v.text(format, "format", optional=True)
    return _format_for(path, format)


def _format_for(path: str | os.PathLike[str] | None, format: str | None = None) -> str:
    """Return :func:`format_for` of checked arguments."""
    if format is not None:
        fmt = str(format).lower().lstrip(".")
        if fmt not in FORMATS:
            raise ParameterError(
                f"format: {format!r} is not a static figure format; use png, svg or pdf",
                parameter="format",
            )
        return fmt
    suffix = Path(os.fspath(path)).suffix.lower().lstrip(".") if path is not None else ""
    if suffix not in FORMATS:
        raise ParameterError(
            f"format: cannot tell the format of {os.fspath(path) if path else 'the output'!s}"
            " from its extension; name it .png, .svg or .pdf or give format=",
            parameter="format",
        )
    return suffix


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    """Where everything goes on the figure, before any drawing.

    Attributes
    ----------
    projection : Projection
        Azimuthal equidistant, centred on :attr:`centre_name` (metres on the figure).
    centre_name : str
        The place the projection is centred on (an origin's name, or its coordinates).
    extent : (float, float, float, float)
        The map's view in projected metres: ``(xmin, ymin, xmax, ymax)``.
    world : bool
        The view is a disc of radius :attr:`radius_m` around the centre (a figure
        beyond a hemisphere), else a rectangle.
    radius_m : float
        The disc's radius (world figures), or the distance of the farthest view
        corner from the centre, metres.
    cap : shapely geometry
        The lon/lat area everything is clipped to before projecting.
    size_px : (int, int)
    shapes : Projected
        Everything the figure draws (layers, launch areas, land, graticule, targets,
        sites), projected onto it once (metres).
    """

    projection: Projection
    centre_name: str
    extent: tuple[float, float, float, float]
    world: bool
    radius_m: float
    cap: Any
    size_px: tuple[int, int]
    shapes: Projected | None = None

    @property
    def layers(self) -> dict:
        """Each scene layer's area projected onto the figure (metres), by layer key."""
        return self.shapes.layers

    def project(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat degrees onto the figure (metres)."""
        return self.projection.forward(lon, lat)


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _centre(scene: Scene) -> tuple[float, float, str]:
    """Return the projection centre ``(lon, lat, name)``: where the threats come from.

    The threat layers' origins (their mean direction when there are several), else
    the defences', else the sites, else the labelled targets, else all targets.
    """

    def places(items) -> dict:
        return {(round(p.lon, 6), round(p.lat, 6)): p.name for p in items}

    candidates = (
        lambda: places(s for la in scene.threats for s in la.origins),
        lambda: places(s for la in scene.defences for s in la.origins),
        lambda: places(scene.sites),
        lambda: places(t for t in scene.targets if t.label),
        lambda: places(scene.targets),
    )
    points: dict = {}
    for find in candidates:
        points = find()
        if points:
            break
    if not points:
        raise ParameterError("scene: nothing to draw", parameter="scene")
    keys = list(points)
    if len(keys) > 1:
        v = _unit(np.array([k[0] for k in keys]), np.array([k[1] for k in keys])).mean(axis=0)
        norm = float(np.linalg.norm(v))
        if norm >= 0.2:  # else spread around the globe: centre on the first
            v = v / norm
            lon = math.degrees(math.atan2(v[1], v[0]))
            lat = math.degrees(math.asin(max(-1.0, min(1.0, v[2]))))
            return lon, lat, _lonlat_text(lon, lat)
    (lon, lat), name = keys[0], points[keys[0]]
    return lon, lat, name


def _lonlat_text(lon: float, lat: float) -> str:
    east = "E" if lon >= 0 else "W"
    north = "N" if lat >= 0 else "S"
    return f"{abs(lon):.2f}\u00b0 {east}, {abs(lat):.2f}\u00b0 {north}"


def _view_points(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat points along the edge of the scene's view box (it may run beyond +-180)."""
    west, south, east, north = scene.view
    n = 64
    lons = np.r_[
        np.linspace(west, east, n),
        np.full(n, east),
        np.linspace(east, west, n),
        np.full(n, west),
    ]
    lats = np.r_[
        np.full(n, south),
        np.linspace(south, north, n),
        np.full(n, north),
        np.linspace(north, south, n),
    ]
    lons = (lons + 180.0) % 360.0 - 180.0
    return lons, np.clip(lats, -90.0, 90.0)


def _view_xy(scene: Scene, proj: Projection) -> tuple[np.ndarray, np.ndarray]:
    """Return the projected points the view must hold (metres): view box, layers, sites, labels."""
    full = proj._cap(math.inf)
    lons, lats = _view_points(scene)
    parts = [np.column_stack([lons, lats])]
    for la in scene.layers:
        g = la.geometry
        if g is not None and not g.is_empty:
            parts.append(
                shapely.get_coordinates(shapely.segmentize(shapely.intersection(g, full), 2.0))
            )
    places = [(s.lon, s.lat) for s in scene.sites]
    places += [(t.lon, t.lat) for t in scene.targets if t.label]
    parts.append(np.asarray(places, dtype=float).reshape(-1, 2))
    pts = np.concatenate(parts)
    x, y = proj._forward(pts[:, 0], pts[:, 1])
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def _world_view(far: float, rim: float, aspect: float) -> tuple[tuple, float]:
    """Return the extent and radius (metres) of a disc view out to ``far`` (short of ``rim``)."""
    radius = rim if far > 0.8 * rim else min(far * 1.06, rim)
    half_w = max(radius, radius * aspect)
    half_h = max(radius, radius / aspect)
    return (-half_w, -half_h, half_w, half_h), radius


def _box_view(x: np.ndarray, y: np.ndarray, aspect: float) -> tuple[tuple, float]:
    """Return the extent (metres) holding the points, padded, and its farthest corner's distance."""
    xmin, xmax = float(x.min()), float(x.max())
    ymin, ymax = float(y.min()), float(y.max())
    pad = 0.06 * max(xmax - xmin, ymax - ymin, 20_000.0)
    extent = _fill_box((xmin - pad, ymin - pad, xmax + pad, ymax + pad), aspect)
    corners = np.meshgrid([extent[0], extent[2]], [extent[1], extent[3]])
    return extent, float(np.max(np.hypot(*corners)))


def layout(scene: Scene, size_px: tuple[int, int] | str | None = None) -> Layout:
    """Return the projection, view and projected layers of a scene's static figure.

    The projection is azimuthal equidistant on WGS84, centred on the threat layers'
    origin (their mean direction when there are several). The view holds the scene's
    view (the envelopes, the targets in range at some figure and the nearest ones
    out) and every layer; beyond :data:`_WORLD_KM` from the centre the figure shows a
    disc up to short of the antipode instead of a rectangle.

    Parameters
    ----------
    scene : Scene
    size_px : (int, int) or str, optional
        Figure size in pixels (see :func:`parse_size`); the map's share of it sets the
        view's aspect ratio.

    Returns
    -------
    Layout

    Raises
    ------
    ParameterError
        If the scene has nothing to draw or the size is bad.
    """
    _v.scene(scene)
    _v.size(size_px)
    return _layout(scene, size_px)


def _layout(scene: Scene, size_px: tuple[int, int] | str | None = None) -> Layout:
    """Return :func:`layout` of checked arguments."""
    lay = _frame_layout(scene, size_px)
    return dataclasses.replace(lay, shapes=_shapes(scene, lay))


def _frame_layout(scene: Scene, size_px: tuple[int, int] | str | None) -> Layout:
    """Return the projection and view of a scene's figure, before anything is projected."""
    size = _parse_size(size_px)
    lon0, lat0, name = _centre(scene)
    proj = Projection(lon0, lat0)
    x, y = _view_xy(scene, proj)
    far = float(np.max(np.hypot(x, y))) if x.size else 0.0
    map_w, map_h = _map_box_px(size)
    world = far > _WORLD_KM * 1000.0
    if world:
        extent, radius = _world_view(far, proj.rim_km() * 1000.0, map_w / map_h)
        cap = proj._cap(math.inf)
    else:
        extent, radius = _box_view(x, y, map_w / map_h)
        cap = proj._cap(radius / 1000.0 * 1.3 + 500.0)
    return Layout(proj, name, extent, world, radius, cap, size)


def _shapes(scene: Scene, lay: Layout) -> Projected:
    """Project what a scene draws in a layout, the land and a graticule as fine as the view."""
    step = 30.0 if lay.world else (10.0 if lay.radius_m > 2_500_000 else 5.0)
    land = [shapely.geometry.shape(f["geometry"]) for f in borders()[0]["features"]]
    return _project_scene(scene, lay.projection, lay.cap, land, step)


# --------------------------------------------------------------------------- page

#: Margin around the page and gap between its parts, pixels.
_MARGIN_PX, _GAP_PX = 12.0, 8.0
#: Share of the page's body the legend takes below the map on a portrait page.
_LEGEND_SHARE = 0.3


def _font_pt(size: tuple[int, int]) -> float:
    """Return the base font size (points) for a figure size: readable on a card, modest in print."""
    w, h = size
    return float(min(10.5, max(6.5, min(w, 1.6 * h) / DPI * 0.95)))


def _side_panel(size: tuple[int, int]) -> bool:
    """Return True when the legend sits beside the map (landscape), False below it."""
    w, h = size
    return w / h >= 0.95


def _side_width_px(size: tuple[int, int]) -> float:
    """Return the legend column's width beside the map, pixels."""
    w, _ = size
    return min(0.36 * w, max(0.26 * w, 330.0))


def _map_box_px(size: tuple[int, int]) -> tuple[float, float]:
    """Return about the map's width and height in pixels, for the view's aspect ratio.

    The figure measures the header and footer and fits the view to the map's real box
    (:func:`_fill_box`); this estimate only shapes the view.
    """
    w, h = size
    body = h * 0.78
    if _side_panel(size):
        return w - _side_width_px(size) - 2 * _MARGIN_PX - _GAP_PX, body
    return w - 2 * _MARGIN_PX, body * (1 - _LEGEND_SHARE)


def _grid(fig, head_px: float, foot_px: float) -> dict:
    """Return the page's cells (matplotlib SubplotSpecs) by name, from a GridSpec.

    Rows: header, map (with the legend beside it on a landscape page, below it on a
    portrait one), footer, each header and footer as tall as its measured text.

    Raises
    ------
    ParameterError
        If no room is left for the map (``parameter="size_px"``).
    """
    w, h = fig.bbox.width, fig.bbox.height
    m, g = _MARGIN_PX, _GAP_PX
    body = h - 2 * m - head_px - foot_px - 2 * g
    side = _side_panel((w, h))
    if body < _MIN_MAP_PX * (1.0 if side else 1.0 / (1.0 - _LEGEND_SHARE)):
        raise ParameterError(
            f"size_px: {w:.0f}x{h:.0f} pixels leaves no room for the map under the title "
            "and above the credits; give a larger size (e.g. 1200x675)",
            parameter="size_px",
        )
    box = {"left": m / w, "right": 1 - m / w, "bottom": m / h, "top": 1 - m / h}
    if side:
        side_w = _side_width_px((w, h))
        gs = fig.add_gridspec(
            5,
            3,
            height_ratios=[head_px, g, body, g, foot_px],
            width_ratios=[w - 2 * m - side_w - g, g, side_w],
            wspace=0,
            hspace=0,
            **box,
        )
        return {"header": gs[0, :], "map": gs[2, 0], "side": gs[2, 2], "footer": gs[4, :]}
    legend = _LEGEND_SHARE * body
    gs = fig.add_gridspec(
        7,
        1,
        height_ratios=[head_px, g, body - legend - g, g, legend, g, foot_px],
        wspace=0,
        hspace=0,
        **box,
    )
    return {"header": gs[0, 0], "map": gs[2, 0], "side": gs[4, 0], "footer": gs[6, 0]}


def _panel(fig, spec, gid: str):
    """Return an axes without axis lines over a page cell, for text."""
    ax = fig.add_subplot(spec)
    ax.set_axis_off()
    ax.set_gid(gid)
    return ax


def _wrap(s: str, width_px: float, prop, renderer) -> str:
    """Return ``s`` wrapped into lines no wider than ``width_px`` (measured with the font).

    The first guess of a line's length in characters comes from the whole text's
    measured width; each try measures its lines once.
    """

    def width(line: str) -> float:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0]

    whole = width(" ".join(s.split()) or s)
    if whole <= width_px:
        return s
    chars = max(12, int(width_px / (whole / max(len(s), 1)) * 0.97))
    while True:
        lines = textwrap.wrap(s, chars, break_long_words=True) or [s]
        if max(width(x) for x in lines) <= width_px or chars <= 12:
            return "\n".join(lines)
        chars = max(12, int(chars * 0.95))


class _Stack:
    """Lines of text, each wrapped to a width (and maybe led by a swatch), stacked top down.

    matplotlib's offset boxes (:class:`~matplotlib.offsetbox.VPacker`) lay the lines
    out in points at draw time, so PNG, SVG and PDF agree; :meth:`anchored` puts the
    stack in a corner of a page cell, keeping the lines that fit its height.
    """

    def __init__(self, fig, renderer, fs_pt: float, width_px: float) -> None:
        self.fig, self.renderer, self.fs, self.width = fig, renderer, fs_pt, width_px * 0.97
        self.rows: list = []

    def add(
        self,
        s: str,
        *,
        size=1.0,
        weight="normal",
        style="normal",
        colour=_INK,
        swatch=None,
        gid=None,
    ) -> None:
        """Add a line (wrapped), in ``size`` times the base font, with an optional swatch."""
        from matplotlib.font_manager import FontProperties
        from matplotlib.offsetbox import HPacker, TextArea

        fs = self.fs * size
        prop = FontProperties(family=RC_PARAMS["font.family"], size=fs, weight=weight, style=style)
        room = self.width - (0.0 if swatch is None else (swatch.width + fs * 0.4) * DPI / 72.0)
        # Lines 1.35 ems apart: a browser boxes a line of DejaVu Sans 1.28 ems high.
        textprops = {
            "fontproperties": prop,
            "color": colour,
            "parse_math": False,
            "linespacing": 1.35,
        }
        area = TextArea(_wrap(_drawable(s), room, prop, self.renderer), textprops=textprops)
        if gid:
            area.get_children()[0].set_gid(gid)
        row = (
            area
            if swatch is None
            else HPacker(children=[swatch, area], sep=fs * 0.4, pad=0, align="top")
        )
        row.set_figure(self.fig)
        self.rows.append(row)

    @property
    def sep(self) -> float:
        """Space between lines, points."""
        return self.fs * 0.35

    def height(self, rows=None) -> float:
        """Return the stack's height, pixels (of ``rows``, by default all)."""
        rows = self.rows if rows is None else rows
        heights = [r.get_bbox(self.renderer).height for r in rows]
        return sum(heights) + self.sep * DPI / 72.0 * max(0, len(heights) - 1)

    def fitting(self, height_px: float) -> list:
        """Return the first rows that fit in ``height_px``."""
        rows: list = []
        for row in self.rows:
            if self.height([*rows, row]) > height_px:
                break
            rows.append(row)
        return rows

    def anchored(self, loc: str, height_px: float = math.inf):
        """Return the rows that fit as one AnchoredOffsetbox at ``loc`` (None if none fits)."""
        from matplotlib.offsetbox import AnchoredOffsetbox, VPacker

        rows = self.fitting(height_px)
        if not rows:
            return None
        pack = VPacker(children=rows, sep=self.sep, pad=0, align="left")
        return AnchoredOffsetbox(loc, child=pack, pad=0, borderpad=0, frameon=False)


def _area_swatch(style, h_pt: float, scale: float):
    """Return a legend swatch of a layer's fill and edge (a DrawingArea, points)."""
    from matplotlib.offsetbox import DrawingArea
    from matplotlib.patches import Rectangle

    w = h_pt * 1.7
    da = DrawingArea(w, h_pt)
    box = ((0, h_pt * 0.1), w, h_pt * 0.8)
    alpha = min(1.0, style.fill_opacity * 2.5)
    da.add_artist(Rectangle(*box, facecolor=style.colour, alpha=alpha, edgecolor="none"))
    lw = style.weight * 0.75 * scale
    edge = Rectangle(*box, facecolor="none", edgecolor=style.colour, linewidth=lw)
    edge.set_linestyle(_dashes(style, lw))
    da.add_artist(edge)
    return da


def _mark_swatch(style: MarkStyle, size_pt: float, h_pt: float, scale: float, gid: str):
    """Return a legend swatch of a map symbol as the map draws it (a DrawingArea, points)."""
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import DrawingArea

    da = DrawingArea(h_pt * 1.7, h_pt)
    mark = Line2D(
        [h_pt * 0.85],
        [h_pt * 0.5],
        marker=_MARKERS.get(style.symbol, "o"),
        markersize=size_pt,
        markerfacecolor=style.face,
        markeredgecolor=style.line,
        markeredgewidth=_edge_pt(style, scale),
        linestyle="none",
    )
    mark.set_gid(gid)
    da.add_artist(mark)
    return da


def _patch(geom, **kwargs):
    """Return a matplotlib PathPatch of a projected (Multi)Polygon, holes included."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    verts, codes = [], []
    for p in shapely.get_parts(geom):
        for ring in (p.exterior, *p.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            verts.append(xy)
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return PathPatch(MplPath(np.concatenate(verts), np.concatenate(codes)), **kwargs)


def _dashes(style, linewidth_pt: float):
    """Matplotlib linestyle from a scene style's SVG dash pattern (pixels)."""
    dash = style.dash_px
    if not dash:
        return "solid"
    # Scene dashes are CSS pixels at a 2.5 px line; keep their proportions to the line.
    scale = linewidth_pt / (style.weight * 0.75)
    return (0, tuple(d * 0.75 * scale for d in dash))


# Characters no SVG (XML 1.0) may hold and no font draws: C0 controls but tab and
# newline, lone surrogates, U+FFFE/U+FFFF. Names from a user's file may hold them.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _drawable(s: str) -> str:
    """Return ``s`` with characters no SVG may hold replaced by U+FFFD."""
    return _UNDRAWABLE.sub("\ufffd", str(s))


#: Least height of the map itself, pixels; a smaller figure is refused (``size_px``).
_MIN_MAP_PX = 20.0


def _text(ax_or_fig, x, y, s, **kwargs):
    """Add text that is never parsed as mathtext (names may hold ``$``)."""
    t = ax_or_fig.text(x, y, _drawable(s), parse_math=False, **kwargs)
    return t


def _nice_km(span_km: float) -> float:
    """Return a round length (1, 2 or 5 times a power of ten) near a fifth of ``span_km``."""
    target = span_km / 5.0
    power = 10.0 ** math.floor(math.log10(target))
    best = power
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power <= target:
            best = m * power
    return best


def _basemap(ax, lay: Layout) -> None:
    land = lay.shapes.land
    patch = None
    if land is not None:
        patch = _patch(land, facecolor=_LAND, edgecolor=_BORDER, linewidth=0.5, zorder=1)
    if patch is not None:
        patch.set_gid("tc-borders")
        ax.add_artist(patch)


def _graticule(ax, lay: Layout) -> None:
    from matplotlib.collections import LineCollection

    segs = lay.shapes.graticule
    if segs:
        col = LineCollection(segs, colors=_GRATICULE, linewidths=0.4, zorder=0.5)
        col.set_gid("tc-graticule")
        ax.add_collection(col)


def _draw_layers(ax, scene: Scene, lay: Layout, lw_scale: float) -> None:
    # Larger areas first, so that a smaller one is never hidden under a larger fill.
    order = sorted(scene.layers, key=lambda la: -lay.layers[la.key].area)
    for z, la in enumerate(order):
        geom = lay.layers[la.key]
        if geom.is_empty:
            continue
        st = la.style
        lw = st.weight * 0.75 * lw_scale
        fill = _patch(
            geom, facecolor=st.colour, alpha=st.fill_opacity, edgecolor="none", zorder=2 + z * 0.01
        )
        edge = _patch(
            geom,
            facecolor="none",
            edgecolor=st.colour,
            linewidth=lw,
            linestyle=_dashes(st, lw),
            zorder=3 + z * 0.01,
        )
        fill.set_gid(f"tc-layer-{la.key}")
        edge.set_gid(f"tc-layer-edge-{la.key}")
        ax.add_artist(fill)
        ax.add_artist(edge)
    for s, g in zip(scene.sites, lay.shapes.areas, strict=True):
        if g is not None:
            lw = AREA_OUTLINE.weight * 0.75 * lw_scale
            p = _patch(
                g,
                facecolor="none",
                edgecolor=AREA_OUTLINE.colour,
                linewidth=lw,
                linestyle=_dashes(AREA_OUTLINE, lw),
                zorder=4,
            )
            if p is not None:
                p.set_gid(f"tc-area-{s.id}")
                ax.add_artist(p)


@dataclass
class _Mark:
    x: float
    y: float
    name: str
    priority: int  # lower first
    must: bool
    size_pt: float  # the drawn symbol's width, edge included, points


def _symbol_pt(marker: str, size_pt: float, edge_pt: float) -> float:
    """Return the width (points) a matplotlib marker of this size takes, its edge included."""
    from matplotlib.markers import MarkerStyle

    style = MarkerStyle(marker)
    extent = style.get_path().transformed(style.get_transform()).get_extents()
    return max(extent.width, extent.height) * size_pt + edge_pt


def _edge_pt(style: MarkStyle, scale: float) -> float:
    """Return the outline width of a mark in points: half its CSS pixels, as its size."""
    return style.edge_px * 0.5 * scale


def _mark_kwargs(style: MarkStyle, scale: float) -> dict[str, Any]:
    """Return a scatter's symbol, fill and outline for a mark style (hollow: a ring)."""
    return {
        "marker": _MARKERS.get(style.symbol, "o"),
        "facecolors": style.face,
        "edgecolors": style.line,
        "linewidths": _edge_pt(style, scale),
    }


def _draw_targets(ax, scene: Scene, lay: Layout, scale: float) -> list[_Mark]:
    """Draw targets as one collection per state; return their marks, to be named."""
    marks: list[_Mark] = []
    tx, ty = lay.shapes.targets
    for state in ("none", "some", "all"):
        at = [i for i, t in enumerate(scene.targets) if t.state == state]
        if not at:
            continue
        group = [scene.targets[i] for i in at]
        x, y = tx[at], ty[at]
        st = TARGET_STYLES[state]
        size = st.size_px * 0.55 * scale
        col = ax.scatter(x, y, s=size**2, zorder=6, **_mark_kwargs(st, scale))
        col.set_gid(f"tc-targets-{state}")
        width = _symbol_pt(_MARKERS.get(st.symbol, "o"), size, _edge_pt(st, scale))
        order = np.argsort([t.distance_km or math.inf for t in group], kind="stable")
        for rank, i in enumerate(order):
            t = group[i]
            priority = (0 if t.label else 10_000) + rank
            marks.append(_Mark(float(x[i]), float(y[i]), t.name, priority, bool(t.label), width))
    return marks


def _draw_sites(ax, scene: Scene, lay: Layout, scale: float) -> list[_Mark]:
    """Draw sites as one collection per kind, each at its offset; return their marks.

    A site's offset (points, to part sites at one place) is turned into map metres
    with the map's scale, so the marks stay put in every format.
    """
    marks: list[_Mark] = []
    x0, x1 = ax.get_xlim()
    m_per_pt = (x1 - x0) / (ax.bbox.width * 72.0 / DPI)
    px, py = lay.shapes.sites
    for kind in ("garrison", "defence", "launch"):
        at = [i for i, s in enumerate(scene.sites) if s.kind == kind]
        if not at:
            continue
        group = [scene.sites[i] for i in at]
        x, y = px[at], py[at]
        off = np.array([s.offset_px for s in group], dtype=float) * 0.75 * scale * m_per_pt
        x, y = np.asarray(x) + off[:, 0], np.asarray(y) - off[:, 1]
        st = group[0].style
        size = st.size_px * 0.6 * scale
        col = ax.scatter(x, y, s=size**2, zorder=7, **_mark_kwargs(st, scale))
        col.set_gid(f"tc-site-{kind}")
        # Launch and defence sites are always named; garrisons where there is room.
        must = kind != "garrison"
        width = _symbol_pt(_MARKERS.get(st.symbol, "^"), size, _edge_pt(st, scale))
        marks += [
            _Mark(float(sx), float(sy), s.name, -1 if must else 5_000, must, width)
            for s, sx, sy in zip(group, x, y, strict=True)
        ]
    return marks


class _Room:
    """Which pixels of the map are taken, on a raster of small cells.

    A box is rounded outward to whole cells, so a box found free is free. A test
    reads four numbers of the raster's running sums (an integral image, summed again
    only after something was taken), so it costs the same however crowded the map.
    """

    def __init__(self, bbox) -> None:
        self.x0, self.y0, self.x1, self.y1 = bbox.x0, bbox.y0, bbox.x1, bbox.y1
        self.cell = max(2.0, math.ceil(max(bbox.width, bbox.height) / 1_500.0))
        shape = (int(bbox.height // self.cell) + 2, int(bbox.width // self.cell) + 2)
        self.taken = np.zeros(shape, dtype=bool)
        self.sums: np.ndarray | None = None

    def _spans(self, boxes: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return the cells boxes cover: rows i0:i1 and columns j0:j1, rounded outward."""
        c = self.cell
        i0 = np.floor((boxes[:, 1] - self.y0) / c).astype(np.int64)
        j0 = np.floor((boxes[:, 0] - self.x0) / c).astype(np.int64)
        i1 = np.maximum(np.ceil((boxes[:, 3] - self.y0) / c).astype(np.int64), i0 + 1)
        j1 = np.maximum(np.ceil((boxes[:, 2] - self.x0) / c).astype(np.int64), j0 + 1)
        return i0, i1, j0, j1

    def free(self, boxes) -> np.ndarray:
        """Return per box (rows of x0, y0, x1, y1 pixels): in the map, over nothing taken."""
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        inside = (boxes[:, 0] >= self.x0) & (boxes[:, 1] >= self.y0)
        inside &= (boxes[:, 2] <= self.x1) & (boxes[:, 3] <= self.y1)
        if self.sums is None:
            self.sums = np.zeros((self.taken.shape[0] + 1, self.taken.shape[1] + 1), np.int32)
            self.sums[1:, 1:] = self.taken.cumsum(0, dtype=np.int32).cumsum(1, dtype=np.int32)
        rows, cols = self.sums.shape
        i0, i1, j0, j1 = (
            np.clip(v, 0, n - 1)
            for v, n in zip(self._spans(boxes), (rows, rows, cols, cols), strict=True)
        )
        s = self.sums
        return inside & ((s[i1, j1] - s[i0, j1] - s[i1, j0] + s[i0, j0]) == 0)

    def take(self, boxes) -> None:
        """Mark the cells of boxes (rows of x0, y0, x1, y1 pixels) taken, inside the map."""
        for i0, i1, j0, j1 in zip(
            *self._spans(np.asarray(boxes, dtype=float).reshape(-1, 4)), strict=True
        ):
            self.taken[max(i0, 0) : max(i1, 0), max(j0, 0) : max(j1, 0)] = True
        self.sums = None


#: Where a name may go around its mark: (dx, dy) directions and alignments.
_SPOTS = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (-0.75, 0.75, "right", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, -0.75, "right", "top"),
)
_HA = {"left": 0.0, "center": -0.5, "right": -1.0}
_VA = {"bottom": 0.0, "center": -0.5, "top": -1.0}


#: The spots' directions and alignments as arrays, and how far out they are tried
#: (in mark radii): names that must be written go farther, with a leader line.
_DIRS = np.array([(ux, uy) for ux, uy, _, _ in _SPOTS])
_ALIGN = np.array([(_HA[ha], _VA[va]) for _, _, ha, va in _SPOTS])
_FAR = {True: (1.0, 2.6, 4.2, 6.5, 9.0, 12.0), False: (1.0, 2.6)}


def _spot_boxes(px, py, dx, dy, align, w, h) -> np.ndarray:
    """Return the room (pixels, rows of x0, y0, x1, y1) w x h names at (px + dx, py + dy) take.

    matplotlib's box of a name ends at the top of its lower-case ascenders; a browser
    (or a PDF reader) boxes it from the font's full ascent, about a fifth of its height
    higher: the room reserved holds both, and a little air at the sides.
    """
    x0 = px + dx + align[:, 0] * w
    y0 = py + dy + align[:, 1] * h
    return np.column_stack([x0 - 0.02 * w, y0 - 0.06 * h, x0 + 1.02 * w, y0 + 1.22 * h])


def _spot_box(px, py, spot, size) -> np.ndarray:
    """Return the room (pixels) a name of this size takes at a spot ``(dx, dy, ha, va)``."""
    dx, dy, ha, va = spot
    return _spot_boxes(px, py, dx, dy, np.array([[_HA[ha], _VA[va]]]), *size)


def _find_spot(room: _Room, px: float, py: float, r: float, size, must: bool):
    """Return the first free spot ``(dx, dy, ha, va)`` around a mark for a name, or None.

    Every spot is tested at once (eight directions at each distance, nearest first).
    """
    far = np.repeat(_FAR[must], len(_SPOTS))
    dirs = np.tile(_DIRS, (len(_FAR[must]), 1)) * (r * far)[:, None]
    ok = room.free(
        _spot_boxes(px, py, dirs[:, 0], dirs[:, 1], np.tile(_ALIGN, (len(_FAR[must]), 1)), *size)
    )
    if not ok.any():
        return None
    k = int(np.argmax(ok))
    _, _, ha, va = _SPOTS[k % len(_SPOTS)]
    return float(dirs[k, 0]), float(dirs[k, 1]), ha, va


class _Namer:
    """Measures names in the map's fonts.

    Measuring a text with matplotlib costs about a millisecond; thousands of names
    are first sized from their glyphs' advances (:meth:`estimate`, cached per
    character), and only a name about to be written is measured exactly (:meth:`size`).
    """

    def __init__(self, ax, fs_pt: float, renderer) -> None:
        from matplotlib.text import Text

        self.ax, self.renderer, self.fs = ax, renderer, fs_pt
        self.probe = Text(0, 0, "", figure=ax.figure, parse_math=False)
        self.advances: dict = {}
        self.heights = {must: self.size("Ag", must)[1] for must in (True, False)}

    def font(self, must: bool) -> tuple[float, str]:
        """Return the font size (points) and weight of a name."""
        return (self.fs * 0.92, "bold") if must else (self.fs * 0.8, "normal")

    def size(self, name: str, must: bool) -> tuple[float, float]:
        """Return a name's box width and height, pixels (with a little air), measured."""
        fs, weight = self.font(must)
        self.probe.set(text=_drawable(name), fontsize=fs, fontweight=weight)
        bb = self.probe.get_window_extent(self.renderer)
        return bb.width, bb.height

    def _advance(self, char: str, must: bool) -> float:
        key = (char, must)
        if key not in self.advances:
            from matplotlib.font_manager import FontProperties, findfont, get_font

            fs, weight = self.font(must)
            prop = FontProperties(family=RC_PARAMS["font.family"], weight=weight, size=fs)
            font = get_font(findfont(prop))
            font.set_size(fs, DPI)
            try:
                self.advances[key] = font.load_char(ord(char)).linearHoriAdvance / 65536.0
            except RuntimeError:  # not in the font: drawn as a box, or from a fallback font
                w = self.renderer.get_text_width_height_descent(char, prop, ismath=False)[0]
                self.advances[key] = max(w, fs * DPI / 72.0)
        return self.advances[key]

    def estimate(self, name: str, must: bool) -> tuple[float, float]:
        """Return about a name's box width and height, pixels, from its glyphs' advances."""
        width = sum(self._advance(c, must) for c in _drawable(name))
        return width * 1.06 + 2.0, self.heights[must]

    def write(self, m: _Mark, spot, index: int, r: float) -> None:
        """Write a name (over a white halo copy) at a spot, in points from its mark."""
        import matplotlib.patheffects as pe
        from matplotlib.transforms import offset_copy

        dx, dy, ha, va = spot
        fs, weight = self.font(m.must)
        tr = offset_copy(
            self.ax.transData,
            fig=self.ax.figure,
            x=dx * 72.0 / DPI,
            y=dy * 72.0 / DPI,
            units="points",
        )
        kw = {"fontsize": fs, "fontweight": weight, "transform": tr, "ha": ha, "va": va}
        # The halo is a copy stroked white, so that the name itself stays one <text>
        # element in SVG (path effects turn text into paths).
        halo = [pe.Stroke(linewidth=2.4, foreground=_HALO)]
        back = _text(self.ax, m.x, m.y, m.name, color=_HALO, zorder=8.9, path_effects=halo, **kw)
        back.set_gid(f"tc-halo-{index}")
        _text(self.ax, m.x, m.y, m.name, color=_INK, zorder=9, **kw).set_gid(f"tc-label-{index}")
        if abs(dx) > r * 2 or abs(dy) > r * 2:
            self.ax.annotate(
                "",
                xy=(m.x, m.y),
                xytext=(dx * 0.9 * 72.0 / DPI, dy * 0.9 * 72.0 / DPI),
                textcoords="offset points",
                zorder=8,
                arrowprops={"arrowstyle": "-", "color": _MUTED, "lw": 0.6},
            )


def _place_labels(ax, marks: list[_Mark], fs_pt: float, renderer, obstacles=()) -> list[str]:
    """Write names next to their marks, greedily, without overlaps; return those left out.

    Hand-written rather than adjustText: adjustText pushes labels apart by
    repulsion and neither guarantees the absence of overlaps nor drops the optional
    names that do not fit; here names are placed in order of priority (sites, then
    targets in range nearest first, then the others), each at the first of eight
    positions around its mark (then the same farther out, with a leader line) where
    it overlaps no placed name, no mark and no obstacle and stays inside the map; an
    optional name that fits nowhere is left out. What is taken is kept on a raster of
    the map (:class:`_Room`), so each test costs the same however many names are
    placed. Returns the names that must be shown but found no room (the legend
    lists them).
    """
    room = _Room(ax.get_window_extent(renderer))
    xy = ax.transData.transform(np.array([[m.x, m.y] for m in marks]).reshape(-1, 2))
    radius = np.array([m.size_pt * DPI / 72.0 * 0.5 for m in marks])
    room.take(
        np.column_stack(
            [xy[:, 0] - radius, xy[:, 1] - radius, xy[:, 0] + radius, xy[:, 1] + radius]
        )
    )
    room.take([(bb.x0, bb.y0, bb.x1, bb.y1) for bb in obstacles])
    namer = _Namer(ax, fs_pt, renderer)
    unplaced: list[str] = []
    written = 0
    for i in sorted(range(len(marks)), key=lambda i: marks[i].priority):
        m, (px, py) = marks[i], xy[i]
        if not _inside(room, px, py):
            continue
        r = radius[i] + 2
        spot = _find_spot(room, px, py, r, namer.estimate(m.name, m.must), m.must)
        if spot is not None:  # measure the name it found room for, and check again
            size = namer.size(m.name, m.must)
            if not room.free(_spot_box(px, py, spot, size))[0]:
                spot = _find_spot(room, px, py, r, size, m.must)
        if spot is None:
            if m.must:
                unplaced.append(m.name)
            continue
        room.take(_spot_box(px, py, spot, size))
        namer.write(m, spot, written, r)
        written += 1
    return unplaced


def _inside(room: _Room, px: float, py: float) -> bool:
    """Return True if a point (pixels) lies inside the map."""
    return room.x0 <= px <= room.x1 and room.y0 <= py <= room.y1


#: Corners the scale bar may take, in order of preference.
_BAR_CORNERS = ("lower left", "lower right", "upper left", "upper right")


def _scale_bar(ax, lay: Layout, fs_pt: float, marks: Sequence[_Mark], renderer):
    """Add the scale bar in the first corner of the map where it covers no mark."""
    xy = ax.transData.transform(np.array([[m.x, m.y] for m in marks]).reshape(-1, 2))
    reach = np.array([m.size_pt * DPI / 72.0 * 0.5 for m in marks])
    for loc in _BAR_CORNERS:
        bar = _size_bar(ax, lay, fs_pt, loc)
        bb = bar.get_window_extent(renderer)
        covered = (xy[:, 0] + reach > bb.x0) & (xy[:, 0] - reach < bb.x1)
        covered &= (xy[:, 1] + reach > bb.y0) & (xy[:, 1] - reach < bb.y1)
        if not covered.any():
            return bar
        bar.remove()
    return _size_bar(ax, lay, fs_pt, _BAR_CORNERS[0])


def _size_bar(ax, lay: Layout, fs_pt: float, loc: str):
    """Add a scale bar of a round length at a corner of the map (``loc``)."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    xmin, _, xmax, _ = lay.extent
    span_km = (xmax - xmin) / 1000.0
    km = _nice_km(span_km)
    label = f"{km:,.0f} km"
    bar = AnchoredSizeBar(
        ax.transData,
        km * 1000.0,
        label,
        loc,
        pad=0.5,
        borderpad=0.6,
        sep=3,
        frameon=True,
        size_vertical=0,
        fontproperties={"size": fs_pt * 0.8},
    )
    bar.patch.set_alpha(0.85)
    bar.patch.set_edgecolor("none")
    bar.set_gid("tc-scale")
    # An offset box writes no group of its own in SVG: its frame and label carry the id.
    bar.patch.set_gid("tc-scale")
    bar.txt_label.get_children()[0].set_gid("tc-scale-label")
    ax.add_artist(bar)
    return bar


#: Headline colours by the report's word: holds, does not hold, anything between.
_GREEN, _RED = TONE_COLOURS["true"], TONE_COLOURS["false"]
_AMBER = TONE_COLOURS["depends on range"]
_WORD_COLOUR = {
    "true": _GREEN,
    "inside": _GREEN,
    "consistent": _GREEN,
    "false": _RED,
    "outside": _RED,
    "impossible": _RED,
}
#: How many names left off the map the legend lists before "and N more".
_UNPLACED_SHOWN = 12


def _headline(scene: Scene, report) -> tuple[str, str, str | None]:
    """Return the headline line, its colour and the claim's quote (None without a report).

    With a report, the line answers the claim's own question (``report.headline``);
    without one, the scene's line (what is drawn, or the reach verdict).
    """
    if report is None:
        colour = _INK if scene.verdict is None else _WORD_COLOUR.get(scene.verdict, _AMBER)
        return scene.verdict_line, colour, None
    word = report.headline.word
    quote = getattr(report.verdict.claim, "quote", None) or None
    return report.headline.line, _WORD_COLOUR.get(word, _AMBER), quote


def _header(stack: _Stack, scene: Scene, report) -> None:
    """Add the title, the claim's quote and the headline to a stack."""
    line, colour, quote = _headline(scene, report)
    stack.add(scene.title, size=1.35, weight="bold", gid="tc-title")
    if quote:
        stack.add(f"\u201c{quote}\u201d", style="italic", size=0.95, gid="tc-quote")
    stack.add(line, weight="bold", colour=colour, gid="tc-verdict")


def _figure_part(la) -> str:
    """Return the layer's title without its legend heading (the system's name)."""
    head = la.legend_group
    title = la.title
    for sep in (" \u2014 ", " - "):
        if title.startswith(head + sep):
            return title[len(head) + len(sep) :]
    return title


def _legend_layers(stack: _Stack, scene: Scene, scale: float, groups) -> None:
    """Add a heading per system and a line per range figure, with its count in range.

    ``groups`` is :meth:`Scene.legend_groups`, read once per legend.
    """
    h = stack.fs
    for heading, layers in groups:
        stack.add(heading, weight="bold", gid="tc-legend-heading")
        for la in layers:
            count = ""
            if la.in_range_count is not None and scene.targets:
                count = f": {la.in_range_count} of {len(scene.targets)} in range"
            swatch = _area_swatch(la.style, h, scale)
            stack.add(
                f"{_figure_part(la)}{count}", size=0.9, swatch=swatch, gid=f"tc-legend-{la.key}"
            )


def _legend_marks(stack: _Stack, scene: Scene, scale: float, counts: dict[str, int]) -> None:
    """Add the targets by state (with counts) and the sites by kind.

    ``counts`` is :meth:`Scene.state_counts`, read once per legend.
    """
    h = stack.fs
    if scene.targets:
        stack.add(scene.targets_label or "Targets", weight="bold", gid="tc-legend-targets")
        for state in (s for s in ("all", "some", "none") if s in counts):
            st = TARGET_STYLES[state]
            swatch = _mark_swatch(st, st.size_px * 0.55 * scale, h, scale, f"tc-key-{state}")
            stack.add(f"{TARGET_WORDS[state]} ({counts[state]})", size=0.9, swatch=swatch)
    styles = {s.kind: s.style for s in reversed(scene.sites)}
    for kind in (k for k in ("launch", "defence", "garrison") if k in styles):
        st = styles[kind]
        swatch = _mark_swatch(st, st.size_px * 0.5 * scale, h, scale, f"tc-key-{kind}")
        stack.add(SITE_WORDS.get(kind, kind), size=0.9, swatch=swatch)


def _unplaced_line(unplaced: Sequence[str]) -> str:
    """Return the legend's line naming what is in range but not named on the map."""
    shown = ", ".join(unplaced[:_UNPLACED_SHOWN])
    more = len(unplaced) - _UNPLACED_SHOWN
    tail = f" and {more:,} more" if more > 0 else ""
    return f"In range, not named on the map for lack of room: {shown}{tail}"


def _legend(stack: _Stack, scene: Scene, scale: float, unplaced: Sequence[str]) -> None:
    """Add the legend: layers, targets, sites, names left off the map, what is at stake."""
    groups, counts = scene.legend_groups(), scene.state_counts()  # read once per legend
    _legend_layers(stack, scene, scale, groups)
    _legend_marks(stack, scene, scale, counts)
    if unplaced:
        stack.add(_unplaced_line(unplaced), size=0.85, gid="tc-unplaced")
    stake = [n for n in scene.notes if n.startswith(_STAKE_NOTES)]
    if stake:
        stack.add("At stake", weight="bold", gid="tc-stake-heading")
        for line in stake:
            stack.add(line, size=0.85, gid="tc-stake")


#: Notes the legend shows under "At stake"; the footer shows the others.
_STAKE_NOTES = ("People in range", "Time claimed")


def _fill_box(extent, aspect: float) -> tuple[float, float, float, float]:
    """Widen an extent (metres) about its centre to a width/height ratio."""
    xmin, ymin, xmax, ymax = extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    w, h = xmax - xmin, ymax - ymin
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _footer_text(scene: Scene, lay: Layout) -> str:
    projection = (
        f"Azimuthal equidistant projection (WGS84) centred on {lay.centre_name}: distances "
        "from the centre are true to scale, and a range ring from it is a circle. Whether a "
        "target is in range is decided by its exact geodesic distance, not by the drawn shapes."
    )
    notes = [n for n in scene.notes if not n.startswith(("People in range", "Time claimed"))]
    if lay.size_px[1] < 1000:  # a card: the first sentence of each note
        notes = [n.split(". ")[0].rstrip(".") + "." for n in notes]
    return " \u00b7 ".join(
        [*_sources(scene), *scene.credits, *notes, projection, "Made with threat-coverage."]
    )


def _sources(scene: Scene) -> list[str]:
    """Return one line naming the source of every range figure drawn (empty if none)."""
    lines = []
    for la in scene.layers:
        src = la.source
        if src is not None:
            extra = ", ".join(x for x in (src.publisher, src.date) if x)
            lines.append(f"{la.title}: {src.title}" + (f" ({extra})" if extra else ""))
    lines = list(dict.fromkeys(lines))
    return ["Ranges \u2014 " + "; ".join(lines)] if lines else []


def _map_axes(fig, spec, lay: Layout):
    """Return the map's axes in its page cell: the view fitted to the cell, no ticks."""
    from matplotlib.patches import Circle

    ax = fig.add_subplot(spec)
    ax.set_gid("tc-map")
    box = ax.get_position()
    xmin, ymin, xmax, ymax = _fill_box(
        lay.extent, box.width * fig.bbox.width / (box.height * fig.bbox.height)
    )
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box", anchor="C")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8aa1b4")
        spine.set_linewidth(0.8)
        spine.set_visible(not lay.world)
    ax.set_facecolor("white" if lay.world else _SEA)
    ax.apply_aspect()  # fixes the axes box, so that marks and names can be measured
    if lay.world:
        disc = Circle(
            (0, 0), lay.radius_m, facecolor=_SEA, edgecolor="#8aa1b4", linewidth=0.8, zorder=0
        )
        ax.add_artist(disc)
    return ax


def _draw_map(ax, scene: Scene, lay: Layout, fs: float, renderer) -> list[str]:
    """Draw the map (basemap, layers, marks, scale bar, names); return the names left off."""
    scale = max(0.7, min(1.3, fs / 9.0))
    _graticule(ax, lay)
    _basemap(ax, lay)
    _draw_layers(ax, scene, lay, scale)
    marks = _draw_targets(ax, scene, lay, scale) + _draw_sites(ax, scene, lay, scale)
    if lay.world:
        disc = ax.patches[0]
        for artist in (*ax.patches[1:], *ax.collections, *ax.lines):
            artist.set_clip_path(disc)
    bar = _scale_bar(ax, lay, fs, marks, renderer)
    return _place_labels(ax, marks, fs, renderer, obstacles=[bar.get_window_extent(renderer)])


def _figure(scene: Scene, lay: Layout, report=None):
    """Lay out and draw the page: header, map with legend, footer (a GridSpec of cells).

    The header and footer are measured first (their text wrapped to the page's width);
    the map takes the rest, with the legend beside it (landscape) or below it. Every
    text is an offset box or a name anchored in points, so the page is the same in
    PNG, SVG and PDF.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w, h = lay.size_px
    fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, facecolor=TEXT.paper)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fs = _font_pt(lay.size_px)
    head = _Stack(fig, renderer, fs, w - 2 * _MARGIN_PX)
    _header(head, scene, report)
    foot = _Stack(fig, renderer, fs, w - 2 * _MARGIN_PX)
    foot.add(_footer_text(scene, lay), size=0.72, colour=_MUTED, gid="tc-credits")
    cells = _grid(fig, head.height() + 2, foot.height() + 2)
    _panel(fig, cells["header"], "tc-header").add_artist(head.anchored("upper left"))
    _panel(fig, cells["footer"], "tc-footer").add_artist(foot.anchored("lower left"))
    ax = _map_axes(fig, cells["map"], lay)
    unplaced = _draw_map(ax, scene, lay, fs, renderer)
    side = _panel(fig, cells["side"], "tc-legend")
    legend = _Stack(fig, renderer, fs, side.bbox.width)
    _legend(legend, scene, max(0.7, min(1.3, fs / 9.0)), unplaced)
    box = legend.anchored("upper left", side.bbox.height)
    if box is not None:
        side.add_artist(box)
    return fig


#: matplotlib settings every figure is drawn and saved with: text stays text in SVG,
#: fonts are embedded in PDF. Save a :func:`figure` inside
#: ``matplotlib.rc_context(RC_PARAMS)`` to keep them.
RC_PARAMS = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "svg.hashsalt": "threat-coverage",
    "font.family": "DejaVu Sans",
}


def _check_report(report) -> None:
    """Refuse a ``report`` that is no Report (None: the scene's own words)."""
    from ..report import Report

    _v.instance(report, "report", Report, optional=True)


def figure(
    scene: Scene, *, size_px: tuple[int, int] | str | None = None, report: Report | None = None
):
    """Return the static figure of a scene as a matplotlib Figure (not attached to pyplot).

    For changes before saving; :func:`render` writes it. Save it at :data:`DPI` inside
    ``matplotlib.rc_context(RC_PARAMS)`` so that SVG text stays text. Map names are
    Text artists with gids ``tc-label-N``; layers are patches ``tc-layer-KEY``.

    Parameters
    ----------
    scene : Scene
    size_px : (int, int) or str, optional
        Width and height in pixels (see :func:`figure_bytes`).
    report : Report, optional
        The verdict's report (``verdict.report``): the header's headline answers the
        claim's own question (its word, its line and the claim's quote). Without it
        the header says what is drawn.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        For a bad size or a scene with nothing to draw.
    """
    _v.scene(scene)
    _check_report(report)
    _v.size(size_px)
    import matplotlib

    lay = _layout(scene, size_px)
    with matplotlib.rc_context(RC_PARAMS):
        return _figure(scene, lay, report)


def figure_bytes(
    scene: Scene,
    format: str = "png",
    *,
    size_px: tuple[int, int] | str | None = None,
    report: Report | None = None,
    alt: tuple[str, str] | None = None,
) -> bytes:
    """Return the static figure of a scene as PNG, SVG or PDF bytes.

    Parameters
    ----------
    scene : Scene
        From :func:`coverage.render.scene.scene_for` (or ``scene_of``).
    format : {"png", "svg", "pdf"}, default "png"
    size_px : (int, int) or str, optional
        Width and height in pixels (``"1200x675"``); default :data:`DEFAULT_SIZE_PX`.
        PNG has exactly this size; SVG and PDF have this size at :data:`DPI` pixels
        per inch (1800x1200: 12 x 8 inches).
    report : Report, optional
        The verdict's report, for the headline (see :func:`figure`).
    alt : (str, str), optional
        The figure's title and description for readers who cannot see it; by default
        :func:`coverage.alt.alt_title` and :func:`coverage.alt.alt_text` of ``report``,
        or the scene's title. Written as SVG ``<title>`` and ``<desc>``, PNG ``Title``
        and ``Description`` text chunks, PDF ``/Title`` and ``/Subject``.

    Returns
    -------
    bytes

    Raises
    ------
    ParameterError
        For an unknown format (``parameter="format"``), a bad size
        (``parameter="size_px"``) or a scene with nothing to draw.
    """
    _v.scene(scene)
    _check_report(report)
    _v.text(format, "format")
    _v.size(size_px)
    _check_alt(alt)
    return _figure_bytes(scene, format, size_px, report, _alt(scene, report, alt))


def _figure_bytes(
    scene: Scene,
    format: str,
    size_px: tuple[int, int] | str | None,
    report: Report | None,
    alt: tuple[str, str],
) -> bytes:
    """Return :func:`figure_bytes` of checked arguments, with the figure's ``alt`` told."""
    import matplotlib

    fmt = _format_for(None, format)
    lay = _layout(scene, size_px)
    with matplotlib.rc_context(RC_PARAMS), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _figure(scene, lay, report)
        out = io.BytesIO()
        title, description = alt
        metadata = {
            "png": {"Software": "threat-coverage", "Title": title, "Description": description},
            "svg": {"Date": None, "Description": description},  # <title>: _svg_described
            "pdf": {
                "CreationDate": None,
                "Creator": "threat-coverage",
                "Title": title,
                "Subject": description,
            },
        }[fmt]
        fig.savefig(out, format=fmt, dpi=DPI, metadata=metadata, facecolor=TEXT.paper)
    _rewarn(caught)
    if fmt == "svg":
        return _svg_described(out.getvalue(), title, description)
    return out.getvalue()


def _check_alt(alt) -> None:
    """Refuse an ``alt`` that is not None or two strings (title, description)."""
    if alt is None:
        return
    if not (isinstance(alt, tuple) and len(alt) == 2 and all(isinstance(a, str) for a in alt)):
        raise ParameterError(
            f"alt: expected (title, description), two strings; got {alt!r:.80}", parameter="alt"
        )


def _alt(scene: Scene, report: Report | None, alt: tuple[str, str] | None) -> tuple[str, str]:
    """Return ``alt``, else the report's title and description, else the scene's title."""
    if alt is not None:
        return alt
    if report is None:
        return scene.title, scene.title
    from ..alt import _alt_text, _alt_title

    return _alt_title(report), _alt_text(report)


_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def _svg_described(svg: bytes, title: str, description: str) -> bytes:
    """Put ``<title>`` and ``<desc>`` first in the SVG root (escaped), with ``role="img"``.

    Screen readers and browsers read these two elements as the image's name and
    description; matplotlib writes the metadata only as RDF.
    """
    opening = _SVG_OPEN.search(svg)
    if opening is None:  # matplotlib always writes one; keep the figure as it is otherwise
        return svg
    tag = opening.group(0)
    if b" role=" not in tag:
        tag = tag[:-1] + b' role="img" aria-labelledby="tc-title" aria-describedby="tc-desc">'
    named = (
        f'<title id="tc-title">{html.escape(title, quote=False)}</title>'
        f'<desc id="tc-desc">{html.escape(description, quote=False)}</desc>'
    ).encode()
    return svg[: opening.start()] + tag + named + svg[opening.end() :]


_MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from font")


def _rewarn(caught) -> None:
    """Warn again what matplotlib warned, one CoverageWarning for all missing glyphs.

    matplotlib warns once per character its font lacks (a name in another script),
    each with a source line; the user needs one line naming the characters.
    """
    missing: dict[str, None] = {}
    for w in caught:
        m = _MISSING_GLYPH.search(str(w.message))
        if m:
            missing[chr(int(m.group(1)))] = None
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing:
        from ..errors import CoverageWarning
        from ..text import printable

        chars = " ".join(printable(c) for c in list(missing)[:20])
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        warnings.warn(
            f"the figure's font has no glyph for {chars}{more} (in names; drawn as boxes)",
            CoverageWarning,
            stacklevel=3,
        )


def render(
    scene: Scene,
    path_or_file,
    *,
    size_px: tuple[int, int] | str | None = None,
    format: str | None = None,
    report: Report | None = None,
    alt: tuple[str, str] | None = None,
) -> Path | None:
    """Write the static figure of a scene to a file (atomically) or a binary stream.

    Parameters
    ----------
    scene : Scene
        What to draw (:func:`coverage.render.scene.scene_for`).
    path_or_file : str, os.PathLike or binary file object
        A ``.png``, ``.svg`` or ``.pdf`` file name (written through a temporary file
        and moved into place: an error leaves any existing file untouched), or an
        object with ``write(bytes)`` (then ``format`` is needed).
    size_px : (int, int) or str, optional
        Width and height in pixels; default :data:`DEFAULT_SIZE_PX` (see
        :func:`figure_bytes`).
    format : {"png", "svg", "pdf"}, optional
        By default from the file's extension.
    report : Report, optional
        The verdict's report, for the headline (see :func:`figure`).
    alt : (str, str), optional
        Title and description written into the file (see :func:`figure_bytes`).

    Returns
    -------
    pathlib.Path or None
        The path written, None for a file object.

    Raises
    ------
    ParameterError
        For an unknown format or a bad size (naming ``format`` or ``size_px``).
    ExportError
        If the file cannot be written.
    """
    _v.scene(scene)
    _check_report(report)
    _v.output(path_or_file)
    _v.size(size_px)
    _v.text(format, "format", optional=True)
    _check_alt(alt)
    return _render(scene, path_or_file, size_px, format, report, _alt(scene, report, alt))


def _render(
    scene: Scene,
    path_or_file,
    size_px: tuple[int, int] | str | None,
    format: str | None,
    report: Report | None,
    alt: tuple[str, str],
) -> Path | None:
    """Do :func:`render` for checked arguments, with the figure's ``alt`` told."""
    from .._atomic import write_bytes_atomic

    if hasattr(path_or_file, "write"):
        if format is None:
            raise ParameterError(
                "format: give format= (png, svg or pdf) when writing to a file object",
                parameter="format",
            )
        fmt = _format_for(None, format)
        path_or_file.write(_figure_bytes(scene, fmt, size_px, report, alt))
        return None
    fmt = _format_for(path_or_file, format)
    _parse_size(size_px)  # refuse a bad size before any work
    data = _figure_bytes(scene, fmt, size_px, report, alt)  # drawn in full before writing
    return write_bytes_atomic(path_or_file, data)


def write_figure(
    verdict: Verdict,
    path_or_file,
    *,
    size_px: tuple[int, int] | str | None = None,
    format: str | None = None,
    panel: bool = True,
) -> Path | None:
    """Write the static figure of a verdict (its scene, :func:`coverage.render.scene.scene_for`).

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.checks.check` or :func:`coverage.claims.evaluate_claim`.
    path_or_file, size_px, format
        As :func:`render`.
    panel : bool, default True
        Show the verdict as a claim, headed by its report's headline; False for a
        check that claims nothing (an ad hoc range without a share).

    Returns
    -------
    pathlib.Path or None

    Raises
    ------
    ParameterError, ExportError
        As :func:`render`.
    """
    _v.verdict(verdict)
    _v.output(path_or_file)
    _v.size(size_px)
    _v.text(format, "format", optional=True)
    _v.flag(panel, "panel")
    if not hasattr(path_or_file, "write"):
        _format_for(path_or_file, format)  # a bad name or size is refused before any work
    _parse_size(size_px)
    from ..alt import _alt_pair

    alt = _alt_pair(verdict.report, panel)
    return _write_figure(verdict, path_or_file, size_px, format, panel, alt)


def _write_figure(
    verdict: Verdict,
    path_or_file,
    size_px: tuple[int, int] | str | None,
    format: str | None,
    panel: bool,
    alt: tuple[str, str],
) -> Path | None:
    """Do :func:`write_figure` for checked arguments (a verdict from the library).

    ``alt`` is the figure's (title, description), computed once by the caller
    (:func:`coverage.alt._alt_pair`); the format and size, checked by the caller,
    are checked again by :func:`_render` before anything is drawn.
    """
    from .scene import _scene_for

    scene = _scene_for(verdict, panel, range_control=False)
    return _render(scene, path_or_file, size_px, format, verdict.report if panel else None, alt)


#: Deprecated alias of :func:`write_figure` (its name collided with
#: :func:`coverage.exports.render_verdict`, which returns text); kept for notebooks
#: and scripts written against it.
render_verdict = write_figure


# --------------------------------------------------------------------------- small multiples
# Several dates of one check on one page (issue 23): the same view and projection in
# every panel, the date above each map, the counts per figure and the sites not in
# place below it, one legend and the credits under the row.


@dataclass(frozen=True)
class Frame:
    """One panel of a small-multiples page.

    Attributes
    ----------
    heading : str
        Written above the map (e.g. the date, ``"2018-02-05"``).
    scene : Scene
        What the panel draws (its sites already those to show).
    lines : tuple of str
        Written below the map (e.g. the count in range per figure).
    """

    heading: str
    scene: Scene
    lines: tuple[str, ...] = ()


#: Size of a small-multiples page when none is given, pixels.
MULTIPLES_SIZE_PX = (2400, 1200)


def _common_layout(frames: Sequence[Frame], size: tuple[int, int]) -> list[Layout]:
    """Return one layout per frame, all with the view and projection of the widest view.

    Every panel then shows the same ground at the same scale; each keeps its own
    layers, projected with the shared projection.
    """
    for f in frames:
        _v.scene(f.scene)
    widest = max((_frame_layout(f.scene, size) for f in frames), key=lambda la: la.radius_m)
    return [dataclasses.replace(widest, shapes=_shapes(f.scene, widest)) for f in frames]


def _frame_stacks(fig, renderer, frames: Sequence[Frame], fs: float, width_px: float):
    """Return each frame's heading and lines as text stacks (measured before the grid)."""
    heads, captions = [], []
    for i, f in enumerate(frames):
        head = _Stack(fig, renderer, fs, width_px)
        head.add(f.heading, size=1.2, weight="bold", gid=f"tc-frame-{i}-heading")
        caption = _Stack(fig, renderer, fs, width_px)
        for line in f.lines:
            caption.add(line, size=0.9, gid=f"tc-frame-{i}-line")
        heads.append(head)
        captions.append(caption)
    return heads, captions


def _multiples_grid(fig, n: int, heights: dict) -> dict:
    """Return the page's cells: header, per frame heading / map / caption, legend, footer.

    Raises
    ------
    ParameterError
        If no room is left for the maps (``parameter="size_px"``).
    """
    w, h = fig.bbox.width, fig.bbox.height
    m, g = _MARGIN_PX, _GAP_PX
    fixed = ("header", "heading", "caption", "legend", "footer")
    body = h - 2 * m - sum(heights[k] for k in fixed) - 5 * g
    if body < _MIN_MAP_PX:
        raise ParameterError(
            f"size_px: {w:.0f}x{h:.0f} pixels leaves no room for the maps under the title "
            "and above the legend; give a larger size (e.g. 2400x1200)",
            parameter="size_px",
        )
    gs = fig.add_gridspec(
        9,
        2 * n - 1,
        height_ratios=[
            heights["header"],
            g,
            heights["heading"],
            body,
            heights["caption"],
            g,
            heights["legend"],
            g,
            heights["footer"],
        ],
        width_ratios=[1.0 if k % 2 == 0 else g / ((w - 2 * m) / n) for k in range(2 * n - 1)],
        wspace=0,
        hspace=0,
        left=m / w,
        right=1 - m / w,
        bottom=m / h,
        top=1 - m / h,
    )
    cells = {"header": gs[0, :], "legend": gs[6, :], "footer": gs[8, :]}
    for i in range(n):
        cells[i] = (gs[2, 2 * i], gs[3, 2 * i], gs[4, 2 * i])
    return cells


def _legend_row(stack: _Stack, scene: Scene, scale: float) -> None:
    """Add the legend of the layers and of the marks (without per-layer counts)."""
    h = stack.fs
    for la in scene.layers:
        stack.add(la.title, size=0.9, swatch=_area_swatch(la.style, h, scale))
    _legend_marks(stack, dataclasses.replace(scene, targets=()), scale, {})


def _multiples_figure(frames: Sequence[Frame], size: tuple[int, int], title: str, subtitle: str):
    """Lay out and draw a small-multiples page (a GridSpec of cells, like :func:`_figure`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w, h = size
    n = len(frames)
    fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, facecolor=TEXT.paper)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fs = _font_pt((w // n, h))
    lays = _common_layout(frames, (int((w - 2 * _MARGIN_PX) / n), int(h * 0.7)))
    full = w - 2 * _MARGIN_PX
    cell = (full - (n - 1) * _GAP_PX) / n
    head = _Stack(fig, renderer, fs, full)
    head.add(title, size=1.35, weight="bold", gid="tc-title")
    if subtitle:
        head.add(subtitle, size=0.95, gid="tc-subtitle")
    heads, captions = _frame_stacks(fig, renderer, frames, fs, cell)
    scale = max(0.7, min(1.3, fs / 9.0))
    legend = _Stack(fig, renderer, fs, full)
    _legend_row(legend, frames[-1].scene, scale)
    foot = _Stack(fig, renderer, fs, full)
    foot.add(_footer_text(frames[-1].scene, lays[-1]), size=0.72, colour=_MUTED, gid="tc-credits")
    heights = {
        "header": head.height() + 2,
        "heading": max(s.height() for s in heads) + 4,
        "caption": max((s.height() for s in captions if s.rows), default=0.0) + 4,
        "legend": legend.height() + 2,
        "footer": foot.height() + 2,
    }
    cells = _multiples_grid(fig, n, heights)
    _panel(fig, cells["header"], "tc-header").add_artist(head.anchored("upper left"))
    _panel(fig, cells["legend"], "tc-legend").add_artist(legend.anchored("upper left"))
    _panel(fig, cells["footer"], "tc-footer").add_artist(foot.anchored("lower left"))
    for i, (f, lay) in enumerate(zip(frames, lays, strict=True)):
        top, body, bottom = cells[i]
        _panel(fig, top, f"tc-frame-{i}").add_artist(heads[i].anchored("lower left"))
        ax = _map_axes(fig, body, lay)
        ax.set_gid(f"tc-map-{i}")
        _draw_map(ax, f.scene, lay, fs, renderer)
        if captions[i].rows:
            _panel(fig, bottom, f"tc-frame-{i}-caption").add_artist(
                captions[i].anchored("upper left")
            )
    return fig


def multiples_bytes(
    frames: Sequence[Frame],
    format: str = "png",
    *,
    size_px: tuple[int, int] | str | None = None,
    title: str = "",
    subtitle: str = "",
    alt: tuple[str, str] | None = None,
) -> bytes:
    """Return a small-multiples page (several frames side by side) as PNG, SVG or PDF bytes.

    Every frame is drawn with the same projection and view (the widest of the
    frames'), so the panels compare at a glance; each has its heading above and its
    lines below, and one legend and the credits run under the row. Every text is on
    the page (SVG text stays text).

    Parameters
    ----------
    frames : sequence of Frame
        One to six panels, left to right.
    format : {"png", "svg", "pdf"}, default "png"
    size_px : (int, int) or str, optional
        Width and height in pixels; default :data:`MULTIPLES_SIZE_PX`.
    title, subtitle : str
        The page's heading and the line under it.
    alt : (str, str), optional
        Title and description for readers who cannot see the page (see
        :func:`figure_bytes`); by default ``title`` and every frame's heading and lines.

    Returns
    -------
    bytes

    Raises
    ------
    ParameterError
        For no frame or more than six (``parameter="frames"``), an unknown format, a
        bad size or a frame with nothing to draw.
    """
    _check_frames(frames)
    _v.text(format, "format")
    _v.text(title, "title")
    _v.text(subtitle, "subtitle")
    _v.size(size_px)
    _check_alt(alt)
    import matplotlib

    fmt = format_for(None, format)
    size = parse_size(size_px) if size_px is not None else MULTIPLES_SIZE_PX
    if alt is None:
        said = " ".join(f"{f.heading}: {' '.join(f.lines)}" for f in frames)
        alt = (title or "Small multiples", f"{title}. {said}".strip(". "))
    with matplotlib.rc_context(RC_PARAMS), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _multiples_figure(frames, size, title, subtitle)
        out = io.BytesIO()
        metadata = {
            "png": {"Software": "threat-coverage", "Title": alt[0], "Description": alt[1]},
            "svg": {"Date": None, "Description": alt[1]},
            "pdf": {
                "CreationDate": None,
                "Creator": "threat-coverage",
                "Title": alt[0],
                "Subject": alt[1],
            },
        }[fmt]
        fig.savefig(out, format=fmt, dpi=DPI, metadata=metadata, facecolor=TEXT.paper)
    _rewarn(caught)
    if fmt == "svg":
        return _svg_described(out.getvalue(), *alt)
    return out.getvalue()


def _check_frames(frames) -> None:
    """Refuse anything but one to six Frames."""
    items = _v.sequence(frames, "frames", "a sequence of Frame")
    if not 1 <= len(items) <= 6 or not all(isinstance(f, Frame) for f in items):
        raise ParameterError(
            f"frames: expected one to six Frame objects, got {len(items)} item(s)",
            parameter="frames",
        )


def write_multiples(
    frames: Sequence[Frame],
    path_or_file,
    *,
    size_px: tuple[int, int] | str | None = None,
    format: str | None = None,
    title: str = "",
    subtitle: str = "",
    alt: tuple[str, str] | None = None,
) -> Path | None:
    """Write a small-multiples page to a file (atomically) or a binary stream.

    Parameters
    ----------
    frames : sequence of Frame
    path_or_file : str, os.PathLike or binary file object
        A ``.png``, ``.svg`` or ``.pdf`` name, or an object with ``write(bytes)``
        (then ``format`` is needed).
    size_px, title, subtitle, alt
        As :func:`multiples_bytes`.
    format : {"png", "svg", "pdf"}, optional
        By default from the file's extension.

    Returns
    -------
    pathlib.Path or None

    Raises
    ------
    ParameterError
        As :func:`multiples_bytes`, or a file object without ``format``.
    ExportError
        If the file cannot be written.
    """
    _check_frames(frames)
    _v.output(path_or_file)
    _v.text(format, "format", optional=True)
    from .._atomic import write_bytes_atomic

    def draw(fmt: str) -> bytes:
        return multiples_bytes(
            frames, fmt, size_px=size_px, title=title, subtitle=subtitle, alt=alt
        )

    if hasattr(path_or_file, "write"):
        if format is None:
            raise ParameterError(
                "format: give format= (png, svg or pdf) when writing to a file object",
                parameter="format",
            )
        path_or_file.write(draw(format_for(None, format)))
        return None
    fmt = format_for(path_or_file, format)
    parse_size(size_px)
    return write_bytes_atomic(path_or_file, lambda: draw(fmt))


def timeline_frames(timeline, days: Sequence[Any]) -> list[Frame]:
    """Return one frame per day of a timeline: its verdict then, the sites standing then.

    Parameters
    ----------
    timeline : coverage.timeline.Timeline
    days : sequence of str, datetime.date or Day
        E.g. ``["2015-01-01", "2018-02-05", "today"]``; each on or after the
        timeline's first step.

    Returns
    -------
    list of Frame
        Headed by the day; the lines give the count in range per figure, the figures
        at which the claim holds and the check's sites not in place that day.

    Raises
    ------
    ParameterError
        If a day is not a date or falls before the timeline's first step
        (``parameter="days"``).
    """
    from ..timeline import Timeline, day_of, standing
    from .scene import scene_for

    _v.instance(timeline, "timeline", Timeline)
    frames = []
    for value in _v.sequence(days, "days", "a sequence of dates"):
        day = day_of(value, "days")
        step = timeline.step_on(day)
        if step is None:
            first = timeline.steps[0].date.text if timeline.steps else "none"
            raise ParameterError(
                f"days: {day.text} is before the timeline's first step ({first})",
                parameter="days",
            )
        scene = scene_for(step.verdict, panel=timeline.request.claims_anything, range_control=False)
        shown = tuple(s for s in scene.sites if standing(s.site, day))
        gone = [s.name for s in scene.sites if s.kind == "launch" and s not in shown]
        lines = [f"{c.in_range} of {c.total} in range at {c.figure}" for c in step.counts]
        held = [c.figure for c in step.counts if c.holds]
        lines.append(f"The claim holds at: {', '.join(held) if held else 'no figure'}")
        if gone:
            lines.append(
                f"Not in place that day: {', '.join(gone)} (counted as the claim reads them)"
            )
        frames.append(Frame(day.text, dataclasses.replace(scene, sites=shown), tuple(lines)))
    return frames
