"""The projected frame of a static figure: projection, clip cap and projected shapes.

A static figure is drawn on an **azimuthal equidistant** projection (PROJ ``aeqd`` on
WGS84) centred on the envelopes' origin. PROJ computes it with GeographicLib's
geodesics, so every point's distance from the centre is its exact geodesic distance
and a range ring from that origin is a true circle on the figure. It has one singular
point, the antipode of the centre, so it shows a ring across +-180, around a pole or
beyond a hemisphere (an 18,000 km ring) in one piece, as long as the antipode itself
is left out: every shape is first clipped to a geodesic cap around the centre
(:func:`coverage.geodesy.range_ring`) that stops short of it.

Shapes arrive in lon/lat degrees, split at +-180 and closed along the poles. Their
edges on the antimeridian and the poles are cuts of that representation, not edges of
the area; projected vertex by vertex they would be wrong wherever an area's lon/lat
outline is the world's edge (a ring beyond a hemisphere is "the world minus a cap").
So polygons with such cut edges are rebuilt in the projected plane (see
:func:`project_area`); the others are projected vertex by vertex.

The pieces of an outline are shared with the Leaflet page: :func:`polygons` of any
geometry, and :func:`runs_between_cuts`, the runs of a ring between its cut edges,
which both renderers stroke (a cut edge is not an edge of the envelope).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Point
from shapely.geometry.polygon import orient

from .. import _validate as _v
from ..geodesy import _HALF_MERIDIAN_KM, _range_ring

__all__ = [
    "Projected",
    "Projection",
    "polygons",
    "project_area",
    "project_lines",
    "runs_between_cuts",
]

#: How far short of the antipode shapes are clipped, km (the rim of a world figure).
ANTIPODE_MARGIN_KM = 150.0
#: Snapping grid of the projected plane when cut polygons are rebuilt, metres.
_GRID_M = 0.5
_EPS_DEG = 1e-9


@dataclass(frozen=True)
class Projection:
    """An azimuthal equidistant projection on WGS84 centred on ``(lon_0, lat_0)``.

    Projected coordinates are metres east and north of the centre on the figure;
    the distance of a projected point from ``(0, 0)`` is its geodesic distance from
    the centre.

    Parameters
    ----------
    lon_0, lat_0 : float
        Centre, degrees.
    """

    lon_0: float
    lat_0: float
    _fwd: Transformer = field(init=False, repr=False, compare=False)
    _inv: Transformer = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fwd = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        inv = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        object.__setattr__(self, "_fwd", fwd)
        object.__setattr__(self, "_inv", inv)

    @property
    def proj4(self) -> str:
        """The PROJ string, e.g. ``"+proj=aeqd +lat_0=54.71 +lon_0=20.51 ..."``."""
        return (
            f"+proj=aeqd +lat_0={self.lat_0!r} +lon_0={self.lon_0!r} "
            "+datum=WGS84 +units=m +no_defs +type=crs"
        )

    @property
    def crs(self) -> CRS:
        """The pyproj CRS."""
        return CRS.from_proj4(self.proj4)

    def forward(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat degrees to metres on the figure (arrays)."""
        _v.coordinate_arrays(lon, lat)
        return self._forward(lon, lat)

    def _forward(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Return :meth:`forward` of checked arrays."""
        x, y = self._fwd.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)

    def inverse(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Return lon/lat degrees of figure coordinates in metres (arrays)."""
        _v.coordinate_arrays(x, y, ("x", "y"))
        lon, lat = self._inv.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon), np.asarray(lat)

    def _xy(self, coords: np.ndarray) -> np.ndarray:
        x, y = self._forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def rim_km(self) -> float:
        """Return the radius of the figure's usable disc: short of the antipode, km."""
        return _HALF_MERIDIAN_KM - ANTIPODE_MARGIN_KM  # the antipodal distance, from anywhere

    def cap(self, radius_km: float):
        """Return the lon/lat area within ``radius_km`` of the centre (at most :meth:`rim_km`)."""
        _v.number(radius_km, "radius_km", low=0, finite=False)
        return self._cap(radius_km)

    def _cap(self, radius_km: float):
        """Return :meth:`cap` of a checked radius."""
        radius = min(radius_km, self.rim_km())
        # Near the antipode a short lon/lat edge is a long stretch of the figure's rim:
        # the cap's edge there is drawn to within 2e-4 of its distance from the antipode.
        far = _HALF_MERIDIAN_KM - radius
        tolerance = min(max(0.5, radius * 1e-3), far * 2e-4)
        return _range_ring(self.lon_0, self.lat_0, radius, tolerance_km=tolerance)


def polygons(geom) -> list:
    """Return the polygons of any geometry (points and lines are dropped; None is empty)."""
    _v.geometry(geom)
    return _polygons(geom)


def _polygons(geom) -> list:
    """Return :func:`polygons` of a checked geometry."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def runs_between_cuts(xy: np.ndarray, cut: np.ndarray) -> list[np.ndarray]:
    """Return the runs of a closed ring's vertices between its cut edges.

    Parameters
    ----------
    xy : numpy.ndarray
        The ring's vertices, shape (n + 1, 2), the last equal to the first.
    cut : numpy.ndarray of bool
        One flag per edge (n); edge i joins vertices i and i + 1.

    Returns
    -------
    list of numpy.ndarray
        Runs of at least two vertices, in ring order. A run that passes the ring's
        first vertex stays whole (runs start after the last cut edge). Without a cut
        edge, the whole ring.
    """
    _v.instance(xy, "xy", np.ndarray)
    _v.instance(cut, "cut", np.ndarray)
    return _runs_between_cuts(xy, cut)


def _runs_between_cuts(xy: np.ndarray, cut: np.ndarray) -> list[np.ndarray]:
    """Return :func:`runs_between_cuts` of checked arrays."""
    at = np.flatnonzero(cut)
    if at.size == 0:
        return [xy]
    order = np.r_[xy[at[-1] + 1 : -1], xy[: at[-1] + 1]]
    flags = np.r_[cut[at[-1] + 1 :], cut[: at[-1] + 1]]
    runs, start = [], 0
    for i in np.flatnonzero(flags):
        if i > start:
            runs.append(order[start : i + 1])
        start = i + 1
    return runs


def _cut_edges(xy: np.ndarray) -> np.ndarray:
    """Return a boolean per edge of a closed ring: True on +-180 or on a pole."""
    a, b = xy[:-1], xy[1:]
    on_x = (np.abs(np.abs(a[:, 0]) - 180.0) < _EPS_DEG) & (np.abs(a[:, 0] - b[:, 0]) < _EPS_DEG)
    on_y = (np.abs(np.abs(a[:, 1]) - 90.0) < _EPS_DEG) & (np.abs(a[:, 1] - b[:, 1]) < _EPS_DEG)
    return on_x | on_y


def _has_cut(polygon) -> bool:
    rings = (polygon.exterior, *polygon.interiors)
    return any(_cut_edges(np.asarray(r.coords)).any() for r in rings)


def _true_runs(polygon) -> list[np.ndarray]:
    """Return the runs of a polygon's rings between cut edges (lon/lat vertex arrays)."""
    runs = []
    for ring in (polygon.exterior, *polygon.interiors):
        xy = np.asarray(ring.coords)
        runs += _runs_between_cuts(xy, _cut_edges(xy))
    return [r for r in runs if len(r) >= 2]


def project_area(geom, projection: Projection, cap=None, *, max_step_deg: float = 0.5):
    """Return a lon/lat area projected onto the figure (metres), clipped to ``cap``.

    Polygons without cut edges are projected vertex by vertex. Polygons with edges on
    +-180 or a pole are rebuilt: their true edges are projected as lines, the plane is
    cut into faces by them (``shapely.polygonize``), and a face is kept when a point
    inside it, projected back to lon/lat, lies in the area. This holds whatever the
    lon/lat outline looks like, as long as the antipode of the centre is left out
    (``cap``).

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat degrees, within [-180, 180] x [-90, 90].
    projection : Projection
    cap : shapely Polygon or MultiPolygon, optional
        A lon/lat area around the centre that excludes the antipode
        (:meth:`Projection.cap`); by default the whole usable disc.
    max_step_deg : float, default 0.5
        Edges longer than this (degrees) get vertices on the straight lon/lat edge
        first, so that a projected straight edge (a chord on the figure) stays close to
        the lon/lat edge also where the projection stretches it (towards the rim).

    Returns
    -------
    shapely Polygon or MultiPolygon
        Exterior rings counter-clockwise, holes clockwise (for matplotlib's nonzero
        fill rule); empty when nothing is left after clipping.
    """
    _v.geometry(geom)
    _v.instance(projection, "projection", Projection)
    _v.geometry(cap, "cap", optional=True)
    _v.number(max_step_deg, "max_step_deg", low=0, low_open=True)
    return _project_area(geom, projection, cap, max_step_deg)


def _project_area(geom, projection: Projection, cap=None, max_step_deg: float = 0.5):
    """Return :func:`project_area` of checked arguments."""
    cap = projection._cap(math.inf) if cap is None else cap
    if not shapely.contains(cap, geom):
        geom = shapely.intersection(shapely.make_valid(geom), cap)
    geom = shapely.segmentize(geom, max_step_deg)
    whole, cut = [], []
    for p in _polygons(geom):
        (cut if _has_cut(p) else whole).append(p)
    out = [shapely.make_valid(shapely.transform(p, projection._xy)) for p in whole]
    if cut:
        out.append(_rebuild(cut, projection))
    parts = [p for g in out for p in _polygons(g) if p.area > 0]
    if not parts:
        return shapely.Polygon()
    merged = parts[0] if len(parts) == 1 else shapely.union_all(parts, grid_size=_GRID_M)
    return (
        shapely.MultiPolygon([orient(p, 1.0) for p in _polygons(merged)])
        if hasattr(merged, "geoms")
        else orient(merged, 1.0)
    )


def _rebuild(cut: Sequence, projection: Projection):
    """Rebuild lon/lat polygons with cut edges in the projected plane (see project_area)."""
    area = shapely.union_all(cut)
    lines = [shapely.LineString(projection._xy(run)) for p in cut for run in _true_runs(p)]
    if not lines:
        return shapely.Polygon()
    noded = shapely.union_all(lines, grid_size=_GRID_M)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    keep = []
    for face in faces:
        inside = face.representative_point()
        lon, lat = projection._inv.transform(inside.x, inside.y)
        if shapely.covers(area, Point(float(lon), float(lat))):
            keep.append(face)
    return shapely.union_all(keep, grid_size=_GRID_M) if keep else shapely.Polygon()


def project_lines(geom, projection: Projection, cap, *, max_step_deg: float = 1.0):
    """Return lon/lat lines (graticule) clipped to ``cap`` and projected (metres)."""
    _v.geometry(geom)
    _v.instance(projection, "projection", Projection)
    _v.geometry(cap, "cap", optional=True)
    _v.number(max_step_deg, "max_step_deg", low=0, low_open=True)
    return _project_lines(geom, projection, cap, max_step_deg)


def _project_lines(geom, projection: Projection, cap, max_step_deg: float = 1.0):
    """Return :func:`project_lines` of checked arguments."""
    geom = shapely.segmentize(geom, max_step_deg)
    geom = shapely.intersection(geom, cap)
    if geom.is_empty:
        return geom
    return shapely.transform(geom, projection._xy)


# --------------------------------------------------------------------------- a scene, projected


@dataclass(frozen=True)
class Projected:
    """Everything a static figure draws, on the figure (metres): projected once, then drawn.

    Attributes
    ----------
    layers : dict of str to shapely geometry
        Each scene layer's area, by layer key (an empty Polygon when it has none).
    areas : tuple of shapely geometry or None
        Per scene site, in order: a launch area's outline, else None.
    land : shapely MultiPolygon or None
        The borders' land inside the cap; None when none is left.
    graticule : list of numpy.ndarray
        The graticule's lines inside the cap, as (n, 2) vertex arrays.
    targets, sites : (numpy.ndarray, numpy.ndarray)
        ``x`` and ``y`` of each scene target and site, in the scene's order (sites
        before their offsets).
    """

    layers: dict
    areas: tuple
    land: Any
    graticule: list
    targets: tuple[np.ndarray, np.ndarray]
    sites: tuple[np.ndarray, np.ndarray]


def _project_scene(scene, projection: Projection, cap, land, graticule_step_deg: float):
    """Return a scene's :class:`Projected` shapes and places, clipped to ``cap``.

    ``land`` holds the borders' lon/lat polygons; the graticule has a line every
    ``graticule_step_deg`` degrees.
    """
    return Projected(
        layers={la.key: _project_layer(la.geometry, projection, cap) for la in scene.layers},
        areas=tuple(
            _project_area(s.site.geometry, projection, cap)
            if s.shape == "area" and s.site.geometry is not None
            else None
            for s in scene.sites
        ),
        land=_project_land(land, projection, cap),
        graticule=_graticule(graticule_step_deg, projection, cap),
        targets=_places(scene.targets, projection),
        sites=_places(scene.sites, projection),
    )


def _project_layer(geom, projection: Projection, cap):
    """Return a layer's area projected, or an empty Polygon when it has none."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    return _project_area(geom, projection, cap)


def _project_land(land: Sequence, projection: Projection, cap):
    """Return the land polygons that meet ``cap``, projected as one MultiPolygon (or None)."""
    arr = np.array(land, dtype=object)
    hit = shapely.intersects(arr, cap)
    shown = [_project_area(g, projection, cap) for g in arr[hit]]
    shown = [g for g in shown if not g.is_empty]
    return shapely.MultiPolygon([p for g in shown for p in _polygons(g)]) if shown else None


def _graticule(step: float, projection: Projection, cap) -> list[np.ndarray]:
    """Return meridians and parallels every ``step`` degrees, projected, as vertex arrays."""
    lines = [
        shapely.LineString([(lon, -89.9), (lon, 89.9)]) for lon in np.arange(-180.0, 180.0, step)
    ]
    lines += [
        shapely.LineString([(-180.0, lat), (180.0, lat)])
        for lat in np.arange(-90.0 + step, 90.0, step)
    ]
    segs = []
    for line in lines:
        for part in shapely.get_parts(_project_lines(line, projection, cap)):
            if part.geom_type == "LineString" and len(part.coords) > 1:
                segs.append(np.asarray(part.coords))
    return segs


def _places(items, projection: Projection) -> tuple[np.ndarray, np.ndarray]:
    """Return ``x`` and ``y`` (metres) of items with ``lon`` and ``lat``, in order."""
    return projection._forward([p.lon for p in items], [p.lat for p in items])
