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
- the verdict line, the legend with the count in range per layer, the people in
  range (the scene's notes, from the verdict), the sources of the ranges, the
  credits and the projection.

Membership is the scene's (from a verdict): nothing here measures a distance to
decide what is in range. SVG text stays text (``svg.fonttype: none``), so a graphics
desk can edit it; PDF is one page with its fonts embedded. Names from data are never
parsed as mathtext.
"""

from __future__ import annotations

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
from .outline import polygons
from .scene import SITE_WORDS, TARGET_STYLES, TARGET_WORDS, Scene, borders
from .static_geometry import Projection, project_area, project_lines

if TYPE_CHECKING:
    from ..claims import Verdict

__all__ = [
    "render",
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

_SEA = "#cfe1ee"
_LAND = "#f7f4ec"
_BORDER = "#a3a3a3"
_GRATICULE = "#b9c9d6"
_INK = "#222222"
_MUTED = "#555555"
_BADGE = {"true": "#2b6a3f", "false": "#b2182b", "depends on range": "#b86b00"}
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
    layers : dict of str to shapely geometry
        Each scene layer's area projected onto the figure (metres), by layer key.
    size_px : (int, int)
    """

    projection: Projection
    centre_name: str
    extent: tuple[float, float, float, float]
    world: bool
    radius_m: float
    cap: Any
    layers: dict
    size_px: tuple[int, int]

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
    size = parse_size(size_px)
    lon0, lat0, name = _centre(scene)
    proj = Projection(lon0, lat0)
    full = proj.cap(math.inf)
    lons, lats = _view_points(scene)
    x, y = proj.forward(lons, lats)
    xs, ys = [x], [y]
    for la in scene.layers:
        g = la.geometry
        if g is None or g.is_empty:
            continue
        pts = shapely.get_coordinates(shapely.segmentize(shapely.intersection(g, full), 2.0))
        if len(pts):
            px, py = proj.forward(pts[:, 0], pts[:, 1])
            xs.append(px)
            ys.append(py)
    for s in scene.sites:
        px, py = proj.forward([s.lon], [s.lat])
        xs.append(px)
        ys.append(py)
    for t in scene.targets:
        if t.label:
            px, py = proj.forward([t.lon], [t.lat])
            xs.append(px)
            ys.append(py)
    x, y = np.concatenate(xs), np.concatenate(ys)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    far = float(np.max(np.hypot(x, y))) if x.size else 0.0
    rim = proj.rim_km() * 1000.0
    map_w, map_h = _map_box_px(size)
    aspect = map_w / map_h
    if far > _WORLD_KM * 1000.0:
        radius = min(max(far * 1.06, 0.0), rim)
        if far > 0.8 * rim:
            radius = rim
        half_w = max(radius, radius * aspect)
        half_h = max(radius, radius / aspect)
        extent = (-half_w, -half_h, half_w, half_h)
        world = True
        cap = full
    else:
        xmin, xmax = float(x.min()), float(x.max())
        ymin, ymax = float(y.min()), float(y.max())
        pad = 0.06 * max(xmax - xmin, ymax - ymin, 20_000.0)
        extent = _fill_box((xmin - pad, ymin - pad, xmax + pad, ymax + pad), aspect)
        radius = float(
            np.max(np.hypot(*np.meshgrid([extent[0], extent[2]], [extent[1], extent[3]])))
        )
        world = False
        cap = proj.cap(radius / 1000.0 * 1.3 + 500.0)
    projected = {}
    for la in scene.layers:
        g = la.geometry
        projected[la.key] = (
            shapely.Polygon() if g is None or g.is_empty else project_area(g, proj, cap)
        )
    return Layout(proj, name, extent, world, radius, cap, projected, size)


# --------------------------------------------------------------------------- page geometry


def _font_pt(size: tuple[int, int]) -> float:
    """Return the base font size (points) for a figure size: readable on a card, modest in print."""
    w, h = size
    return float(min(10.5, max(6.5, min(w, 1.6 * h) / DPI * 0.95)))


def _side_panel(size: tuple[int, int]) -> bool:
    """Return True when the legend sits beside the map (landscape), False below it."""
    w, h = size
    return w / h >= 0.95


def _map_box_px(size: tuple[int, int]) -> tuple[float, float]:
    """Return the map's width and height in pixels (see :func:`_boxes`)."""
    box = _boxes(size)["map"]
    return box[2] * size[0], box[3] * size[1]


def _boxes(size: tuple[int, int]) -> dict[str, tuple[float, float, float, float]]:
    """Return the figure's boxes ``(left, bottom, width, height)`` in figure fractions."""
    w, h = size
    fs_px = _font_pt(size) * DPI / 72.0
    header = min(0.2, (fs_px * 1.45 * 3.2 + 14) / h)
    footer = min(0.2, (fs_px * 0.85 * 1.3 * 4 + 12) / h)
    margin_x = 12 / w
    if _side_panel(size):
        side = min(0.36, max(0.26, 330 / w))
        return {
            "header": (margin_x, 1 - header, 1 - 2 * margin_x, header),
            "map": (margin_x, footer, 1 - side - 2 * margin_x, 1 - header - footer),
            "side": (1 - side, footer, side - margin_x, 1 - header - footer),
            "footer": (margin_x, 0.0, 1 - 2 * margin_x, footer),
        }
    legend = 0.3
    return {
        "header": (margin_x, 1 - header, 1 - 2 * margin_x, header),
        "map": (margin_x, footer + legend, 1 - 2 * margin_x, 1 - header - footer - legend),
        "side": (margin_x, footer, 1 - 2 * margin_x, legend),
        "footer": (margin_x, 0.0, 1 - 2 * margin_x, footer),
    }


# --------------------------------------------------------------------------- drawing


def _patch(geom, **kwargs):
    """Return a matplotlib PathPatch of a projected (Multi)Polygon, holes included."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    verts, codes = [], []
    for p in polygons(geom):
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
    fc, _ = borders()
    proj, cap = lay.projection, lay.cap
    geoms = [shapely.geometry.shape(f["geometry"]) for f in fc["features"]]
    arr = np.array(geoms, dtype=object)
    hit = shapely.intersects(arr, cap)
    land = [project_area(g, proj, cap) for g in arr[hit]]
    land = [g for g in land if not g.is_empty]
    patch = _patch(
        shapely.MultiPolygon([p for g in land for p in polygons(g)]) if land else None,
        facecolor=_LAND,
        edgecolor=_BORDER,
        linewidth=0.5,
        zorder=1,
    )
    if patch is not None:
        patch.set_gid("tc-borders")
        ax.add_patch(patch)


def _graticule(ax, lay: Layout) -> None:
    from matplotlib.collections import LineCollection

    step = 30.0 if lay.world else (10.0 if lay.radius_m > 2_500_000 else 5.0)
    lines = []
    for lon in np.arange(-180.0, 180.0, step):
        lines.append(shapely.LineString([(lon, -89.9), (lon, 89.9)]))
    for lat in np.arange(-90.0 + step, 90.0, step):
        lines.append(shapely.LineString([(-180.0, lat), (180.0, lat)]))
    segs = []
    for line in lines:
        g = project_lines(line, lay.projection, lay.cap)
        for part in shapely.get_parts(g):
            if part.geom_type == "LineString" and len(part.coords) > 1:
                segs.append(np.asarray(part.coords))
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
        ax.add_patch(fill)
        ax.add_patch(edge)
    for s in scene.sites:
        if s.shape == "area" and s.site.geometry is not None:
            g = project_area(s.site.geometry, lay.projection, lay.cap)
            p = _patch(
                g,
                facecolor="none",
                edgecolor=s.style.colour,
                linewidth=0.9 * lw_scale,
                linestyle=(0, (3, 2)),
                zorder=4,
            )
            if p is not None:
                p.set_gid(f"tc-area-{s.id}")
                ax.add_patch(p)


@dataclass
class _Mark:
    x: float
    y: float
    name: str
    priority: int  # lower first
    must: bool
    size_pt: float


def _draw_points(ax, scene: Scene, lay: Layout, scale: float) -> list[_Mark]:
    marks: list[_Mark] = []
    order = {"none": 0, "some": 1, "all": 2}
    targets = sorted(scene.targets, key=lambda t: order.get(t.state, 0))
    for state in ("none", "some", "all"):
        group = [t for t in targets if t.state == state]
        if not group:
            continue
        x, y = lay.project([t.lon for t in group], [t.lat for t in group])
        st = TARGET_STYLES[state]
        size = (st.size_px * 0.55 * scale) * (1.0 if state != "none" else 0.8)
        col = ax.scatter(
            x,
            y,
            s=size**2,
            c=st.colour,
            marker=_MARKERS.get(st.symbol, "o"),
            edgecolors=_INK,
            linewidths=0.5 * scale,
            zorder=6,
        )
        col.set_gid(f"tc-targets-{state}")
        by_distance = sorted(range(len(group)), key=lambda i: group[i].distance_km or math.inf)
        for rank, i in enumerate(by_distance):
            t = group[i]
            must = bool(t.label)
            priority = (0 if must else 10_000) + rank
            marks.append(_Mark(float(x[i]), float(y[i]), t.name, priority, must, size))
    for kind in ("garrison", "defence", "launch"):
        group = [s for s in scene.sites if s.kind == kind]
        if not group:
            continue
        x, y = lay.project([s.lon for s in group], [s.lat for s in group])
        st = group[0].style
        size = st.size_px * 0.6 * scale
        from matplotlib.transforms import offset_copy

        for s, sx, sy in zip(group, x, y, strict=True):
            dx, dy = s.offset_px
            tr = offset_copy(
                ax.transData,
                fig=ax.figure,
                x=dx * 0.75 * scale,
                y=-dy * 0.75 * scale,
                units="points",
            )
            line = ax.plot(
                [sx],
                [sy],
                marker=_MARKERS.get(st.symbol, "^"),
                markersize=size,
                color=st.colour,
                markeredgecolor="white",
                markeredgewidth=0.8 * scale,
                linestyle="none",
                transform=tr,
                zorder=7,
            )[0]
            line.set_gid(f"tc-site-{kind}")
            # Launch and defence sites are always named; garrisons where there is room.
            must = kind != "garrison"
            marks.append(_Mark(float(sx), float(sy), s.name, -1 if must else 5_000, must, size))
    return marks


def _place_labels(ax, marks: list[_Mark], fs_pt: float, renderer, obstacles=()) -> list[str]:
    """Write names next to their marks, greedily, without overlaps.

    Hand-written rather than adjustText: adjustText pushes labels apart by
    repulsion and neither guarantees the absence of overlaps nor drops the optional
    names that do not fit; here names are placed in order of priority (sites, then
    targets in range nearest first, then the others), each at the first of eight
    positions around its mark (then the same farther out, with a leader line) where
    it overlaps no placed name, no mark and stays inside the map; an optional name
    that fits nowhere is left out. Returns the names that must be shown but found no
    room (the legend lists them).
    """
    import matplotlib.patheffects as pe
    from matplotlib.transforms import Bbox

    axbox = ax.get_window_extent(renderer)
    to_px = ax.transData.transform
    mark_boxes = []
    for m in marks:
        px, py = to_px((m.x, m.y))
        r = m.size_pt * DPI / 72.0 * 0.5
        mark_boxes.append(Bbox([[px - r, py - r], [px + r, py + r]]))
    placed: list[Bbox] = list(obstacles)
    texts = []
    unplaced: list[str] = []
    # A white halo behind each name: a copy stroked white (drawn as outlines), so that
    # the name itself stays one <text> element in SVG (path effects turn text into paths).
    halo = [pe.Stroke(linewidth=2.4, foreground="white")]
    for m in sorted(marks, key=lambda m: m.priority):
        px, py = to_px((m.x, m.y))
        if not axbox.contains(px, py):
            continue
        r = m.size_pt * DPI / 72.0 * 0.5 + 2
        spots = []
        for far in (1.0, 2.6, 4.2, 6.5, 9.0, 12.0) if m.must else (1.0, 2.6):
            d = r * far
            spots += [
                (d, 0, "left", "center"),
                (-d, 0, "right", "center"),
                (0, d, "center", "bottom"),
                (0, -d, "center", "top"),
                (d * 0.75, d * 0.75, "left", "bottom"),
                (-d * 0.75, d * 0.75, "right", "bottom"),
                (d * 0.75, -d * 0.75, "left", "top"),
                (-d * 0.75, -d * 0.75, "right", "top"),
            ]
        chosen = None
        weight = "bold" if m.must else "normal"
        size = fs_pt * (0.92 if m.must else 0.8)
        t = _text(
            ax,
            0,
            0,
            m.name,
            fontsize=size,
            fontweight=weight,
            color=_INK,
            zorder=9,
            transform=None,
        )
        for dx, dy, ha, va in spots:
            t.set_position((px + dx, py + dy))
            t.set_ha(ha)
            t.set_va(va)
            bb = t.get_window_extent(renderer).expanded(1.04, 1.1)
            if not (
                axbox.x0 <= bb.x0 and bb.x1 <= axbox.x1 and axbox.y0 <= bb.y0 and bb.y1 <= axbox.y1
            ):
                continue
            if any(bb.overlaps(o) for o in placed):
                continue
            if any(bb.overlaps(o) for o in mark_boxes):
                continue
            chosen = (dx, dy, bb)
            break
        if chosen is None:
            t.remove()
            if m.must:
                unplaced.append(m.name)
            continue
        dx, dy, bb = chosen
        placed.append(bb)
        # Keep the label where it is when the figure is saved in another format:
        # positions in points from the mark, not in pixels of this canvas.
        t.set_transform(ax.transData)
        t.set_position((m.x, m.y))
        from matplotlib.transforms import offset_copy

        t.set_transform(
            offset_copy(
                ax.transData, fig=ax.figure, x=dx * 72.0 / DPI, y=dy * 72.0 / DPI, units="points"
            )
        )
        t.set_gid(f"tc-label-{len(texts)}")
        back = _text(
            ax,
            m.x,
            m.y,
            m.name,
            fontsize=size,
            fontweight=weight,
            color="white",
            zorder=8.9,
            path_effects=halo,
            transform=t.get_transform(),
            ha=t.get_ha(),
            va=t.get_va(),
        )
        back.set_gid(f"tc-halo-{len(texts)}")
        if abs(dx) > r * 2 or abs(dy) > r * 2:
            ax.annotate(
                "",
                xy=(m.x, m.y),
                xytext=(dx * 0.9 * 72.0 / DPI, dy * 0.9 * 72.0 / DPI),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": _MUTED, "lw": 0.6},
                zorder=8,
            )
        texts.append(t)
    return unplaced


def _scale_bar(ax, lay: Layout, fs_pt: float):
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    xmin, _, xmax, _ = lay.extent
    span_km = (xmax - xmin) / 1000.0
    km = _nice_km(span_km)
    label = f"{km:,.0f} km"
    bar = AnchoredSizeBar(
        ax.transData,
        km * 1000.0,
        label,
        "lower left",
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
    ax.add_artist(bar)
    return bar


class _Column:
    """Writes lines of text (with swatches) top down in a figure box, measuring as it goes."""

    def __init__(self, fig, box, renderer, fs_pt: float) -> None:
        self.fig, self.renderer, self.fs = fig, renderer, fs_pt
        left, bottom, width, height = box
        W, H = fig.bbox.width, fig.bbox.height
        self.x0 = left * W
        self.width = width * W
        self.y = (bottom + height) * H - 4
        self.bottom = bottom * H

    def text(
        self,
        s: str,
        *,
        size: float = 1.0,
        weight="normal",
        style="normal",
        colour=_INK,
        indent: float = 0.0,
        gap: float = 0.35,
        swatch=None,
        gid=None,
    ):
        """Write ``s`` wrapped to the column's width below what is there; None if full."""
        fs = self.fs * size
        line_px = fs * DPI / 72.0
        if self.y - line_px < self.bottom:
            return None
        pad = line_px * 2.2 if swatch is not None else 0.0
        t = self.fig.text(
            self.x0 + indent + pad,
            self.y,
            s,
            transform=None,
            fontsize=fs,
            fontweight=weight,
            fontstyle=style,
            color=colour,
            va="top",
            ha="left",
            parse_math=False,
        )
        _fit(t, s, self.width - indent - pad, fs, self.renderer)
        if gid:
            t.set_gid(gid)
        bb = t.get_window_extent(self.renderer)
        if bb.y0 < self.bottom:  # no room left: the column ends here
            t.remove()
            self.y = self.bottom
            return None
        if swatch is not None:
            swatch(self.x0 + indent, self.y - line_px * 0.65, line_px)
        self.y = bb.y0 - line_px * gap
        return t


def _fit(t, s: str, width_px: float, fs: float, renderer) -> None:
    """Wrap a text's lines until it is no wider than ``width_px`` (measured)."""
    chars = max(12, int(width_px / (fs * DPI / 72.0 * 0.5)))
    s = _drawable(s)
    while True:
        t.set_text("\n".join(textwrap.wrap(s, chars, break_long_words=True)) or s)
        if t.get_window_extent(renderer).width <= width_px or chars <= 12:
            return
        chars = max(12, int(chars * 0.92))


def _draw_side(col: _Column, fig, scene: Scene, scale: float, unplaced: Sequence[str]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    def layer_swatch(la):
        st = la.style

        def draw(x, y, h):
            w = h * 1.7
            fig.patches.append(
                Rectangle(
                    (x, y - h * 0.35),
                    w,
                    h * 0.8,
                    transform=None,
                    facecolor=st.colour,
                    alpha=min(1.0, st.fill_opacity * 2.5),
                    edgecolor="none",
                    figure=fig,
                )
            )
            lw = st.weight * 0.75 * scale
            fig.patches.append(
                Rectangle(
                    (x, y - h * 0.35),
                    w,
                    h * 0.8,
                    transform=None,
                    facecolor="none",
                    edgecolor=st.colour,
                    linewidth=lw,
                    linestyle=_dashes(st, lw),
                    figure=fig,
                )
            )

        return draw

    def mark_swatch(colour, symbol, size):
        def draw(x, y, h):
            fig.lines.append(
                Line2D(
                    [x + h * 0.8],
                    [y + h * 0.05],
                    transform=None,
                    marker=_MARKERS.get(symbol, "o"),
                    markersize=size,
                    color=colour,
                    markeredgecolor=_INK,
                    markeredgewidth=0.5,
                    linestyle="none",
                    figure=fig,
                )
            )

        return draw

    for heading, layers in scene.legend_groups():
        col.text(heading, weight="bold", gap=0.2)
        for la in layers:
            count = ""
            if la.in_range_count is not None and scene.targets:
                count = f": {la.in_range_count} of {len(scene.targets)} in range"
            col.text(
                f"{_figure_part(la)}{count}",
                size=0.9,
                swatch=layer_swatch(la),
                gap=0.25,
                gid=f"tc-legend-{la.key}",
            )
    if scene.targets:
        counts = scene.state_counts()
        col.text(scene.targets_label or "Targets", weight="bold", gap=0.2)
        for state in ("all", "some", "none"):
            if state not in counts:
                continue
            st = TARGET_STYLES[state]
            col.text(
                f"{TARGET_WORDS[state]} ({counts[state]})",
                size=0.9,
                gap=0.2,
                swatch=mark_swatch(st.colour, st.symbol, st.size_px * 0.6 * scale),
            )
    if unplaced:
        col.text(
            "In range, not named on the map for lack of room: " + ", ".join(unplaced),
            size=0.85,
            gap=0.25,
            gid="tc-unplaced",
        )
    kinds = [k for k in ("launch", "defence", "garrison") if any(s.kind == k for s in scene.sites)]
    for k in kinds:
        st = next(s.style for s in scene.sites if s.kind == k)
        col.text(
            SITE_WORDS.get(k, k),
            size=0.9,
            gap=0.2,
            swatch=mark_swatch(st.colour, st.symbol, st.size_px * 0.5 * scale),
        )
    stake = [n for n in scene.notes if n.startswith(("People in range", "Time claimed"))]
    if stake:
        col.text("At stake", weight="bold", gap=0.2)
        for line in stake:
            col.text(line, size=0.85, gap=0.2, gid="tc-stake")


def _figure_part(la) -> str:
    """Return the layer's title without its legend heading (the system's name)."""
    head = la.legend_group
    title = la.title
    for sep in (" \u2014 ", " - "):
        if title.startswith(head + sep):
            return title[len(head) + len(sep) :]
    return title


def _draw_header(col: _Column, scene: Scene) -> None:
    col.text(scene.title, size=1.35, weight="bold", gap=0.25, gid="tc-title")
    verdict = scene.verdict_obj
    claim = getattr(verdict, "claim", None) if scene.verdict is not None else None
    if claim is not None and claim.quote:
        col.text(f"\u201c{claim.quote}\u201d", style="italic", size=0.95, gap=0.25)
    colour = _BADGE.get(scene.verdict or "", _INK)
    col.text(scene.verdict_line, weight="bold", colour=colour, gap=0.2, gid="tc-verdict")


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


def _figure(scene: Scene, lay: Layout):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    w, h = lay.size_px
    fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    fs = _font_pt(lay.size_px)
    scale = max(0.7, min(1.3, fs / 9.0))
    margin = 12.0
    # Header (top down) and footer (bottom up) first: the map takes what is left.
    head = _Column(fig, (margin / w, 0.0, 1 - 2 * margin / w, 1.0), renderer, fs)
    _draw_header(head, scene)
    top = head.y - 4
    foot = fig.text(
        margin,
        4,
        "",
        transform=None,
        fontsize=fs * 0.72,
        color=_MUTED,
        va="bottom",
        ha="left",
        parse_math=False,
    )
    _fit(foot, _footer_text(scene, lay), w - 2 * margin, fs * 0.72, renderer)
    foot.set_gid("tc-credits")
    bottom = foot.get_window_extent(renderer).y1 + 8
    if top - bottom < _MIN_MAP_PX * (1 if _side_panel(lay.size_px) else 1 / 0.7):
        from ..errors import ParameterError

        raise ParameterError(
            f"size_px: {w}x{h} pixels leaves no room for the map under the title and "
            "above the credits; give a larger size (e.g. 1200x675)",
            parameter="size_px",
        )
    if _side_panel(lay.size_px):
        side_w = min(0.36 * w, max(0.26 * w, 330.0))
        map_box = (margin, bottom, w - side_w - 2 * margin, top - bottom)
        side_box = (w - side_w, bottom, side_w - margin, top - bottom)
    else:
        legend_h = 0.3 * (top - bottom)
        map_box = (margin, bottom + legend_h, w - 2 * margin, top - bottom - legend_h)
        side_box = (margin, bottom, w - 2 * margin, legend_h - 6)
    ax = fig.add_axes([map_box[0] / w, map_box[1] / h, map_box[2] / w, map_box[3] / h])
    ax.set_gid("tc-map")
    xmin, ymin, xmax, ymax = _fill_box(lay.extent, map_box[2] / map_box[3])
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box", anchor="C")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8aa1b4")
        spine.set_linewidth(0.8)
    clip = None
    if lay.world:
        ax.set_facecolor("white")
        for spine in ax.spines.values():
            spine.set_visible(False)
        clip = Circle(
            (0, 0), lay.radius_m, facecolor=_SEA, edgecolor="#8aa1b4", linewidth=0.8, zorder=0
        )
        ax.add_patch(clip)
    else:
        ax.set_facecolor(_SEA)
    _graticule(ax, lay)
    _basemap(ax, lay)
    _draw_layers(ax, scene, lay, scale)
    marks = _draw_points(ax, scene, lay, scale)
    if clip is not None:
        for artist in (*ax.patches[1:], *ax.collections, *ax.lines):
            artist.set_clip_path(clip)
    bar = _scale_bar(ax, lay, fs)
    ax.apply_aspect()  # fixes the axes box, so that labels can be measured
    unplaced = _place_labels(ax, marks, fs, renderer, obstacles=[bar.get_window_extent(renderer)])
    side = _Column(
        fig, (side_box[0] / w, side_box[1] / h, side_box[2] / w, side_box[3] / h), renderer, fs
    )
    _draw_side(side, fig, scene, scale, unplaced)
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


def figure(scene: Scene, *, size_px: tuple[int, int] | str | None = None):
    """Return the static figure of a scene as a matplotlib Figure (not attached to pyplot).

    For changes before saving; :func:`render` writes it. Save it at :data:`DPI` inside
    ``matplotlib.rc_context(RC_PARAMS)`` so that SVG text stays text. Map names are
    Text artists with gids ``tc-label-N``; layers are patches ``tc-layer-KEY``.

    Parameters
    ----------
    scene : Scene
    size_px : (int, int) or str, optional
        Width and height in pixels (see :func:`figure_bytes`).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        For a bad size or a scene with nothing to draw.
    """
    _v.scene(scene)
    _v.size(size_px)
    import matplotlib

    lay = layout(scene, size_px)
    with matplotlib.rc_context(RC_PARAMS):
        return _figure(scene, lay)


def figure_bytes(
    scene: Scene, format: str = "png", *, size_px: tuple[int, int] | str | None = None
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
    _v.text(format, "format")
    _v.size(size_px)
    import matplotlib

    fmt = format_for(None, format)
    lay = layout(scene, size_px)
    with matplotlib.rc_context(RC_PARAMS), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _figure(scene, lay)
        out = io.BytesIO()
        metadata = {
            "png": {"Software": "threat-coverage"},
            "svg": {"Date": None},
            "pdf": {"CreationDate": None, "Creator": "threat-coverage"},
        }[fmt]
        fig.savefig(out, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    _rewarn(caught)
    return out.getvalue()


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
    _v.output(path_or_file)
    _v.size(size_px)
    _v.text(format, "format", optional=True)
    from .._atomic import write_bytes_atomic

    if hasattr(path_or_file, "write"):
        if format is None:
            raise ParameterError(
                "format: give format= (png, svg or pdf) when writing to a file object",
                parameter="format",
            )
        path_or_file.write(figure_bytes(scene, format_for(None, format), size_px=size_px))
        return None
    fmt = format_for(path_or_file, format)
    parse_size(size_px)  # refuse a bad size before any work
    return write_bytes_atomic(path_or_file, lambda: figure_bytes(scene, fmt, size_px=size_px))


def render_verdict(
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
        Show the verdict as a claim; False for a check that claims nothing (an ad
        hoc range without a share).

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
    from .scene import scene_for

    if not hasattr(path_or_file, "write"):
        format_for(path_or_file, format)
    parse_size(size_px)
    return render(
        scene_for(verdict, panel=panel, range_control=False),
        path_or_file,
        size_px=size_px,
        format=format,
    )
