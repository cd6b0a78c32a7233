"""Launch areas: exact distances to, and envelopes of, polygons on WGS84.

A launch area is a polygon in decimal degrees, longitude first (a shapely Polygon or
MultiPolygon, RFC 7946 style): mobile launchers "in Kaliningrad" may fire from
anywhere in the oblast. Three questions are answered here, in kilometres:

- :func:`area_distance_km`, the geodesic distance from points to the *nearest*
  point of the area (0 inside): a target is within ``max_km`` of some launch point
  exactly when this is ``<= max_km``;
- :func:`area_far_km`, the distance to the *farthest* point of the area: with a
  minimum range, a target is outside the dead zone of some launch point exactly
  when this is ``>= min_km``;
- :func:`area_envelope`, the display geometry of everything within ``max_km``.

**Edges are geodesics.** The edge between two consecutive vertices is the shortest
geodesic on the WGS84 ellipsoid between them, not the straight line in lon/lat
(they differ by about ``L**2 * tan(lat) / (8 R)``: 3 m for a 10 km east-west edge
at 55 N, 28 km for a 1,000 km one). For data digitised in lon/lat, such as Natural
Earth, whose edges are a few km long, the difference is metres.

**Cuts are not boundary.** An area crossing the antimeridian is given as parts
split at +-180 and an area holding a pole as a polygon closed along the pole
(GeoJSON's convention, and that of :func:`coverage.geodesy.range_ring`). Edges
along longitude +-180 that another part continues on the other side, and edges
along latitude +-90, are seams, not boundary: points near them are inside and
distances are to the real boundary only. An edge along +-180 with nothing on the
other side is real boundary (the meridian is a geodesic).

How it is computed (hand-written: no library measures ellipsoidal point-to-polygon
distances with geodesic edges):

- Edges longer than :data:`MAX_EDGE_KM`, or visibly curved in lon/lat, are split
  at points on their geodesic (the area does not change).
- Inside-ness: shapely's planar test on the split polygon, corrected where it can
  be wrong, between a straight lon/lat edge and its geodesic (the "lens" of the
  edge): for points in a band around such an edge, the side of the geodesic comes
  from azimuths (the direction to the point against the edge's direction at its
  start) and each lens the point lies in flips the planar answer.
- Distances: a k-d tree of the edges' geodesic midpoints on unit vectors with the
  proven chord bound of :func:`coverage.geodesy.chord_bound` hands over the edges
  that may hold a point nearer than the nearest vertex (a point of an edge of length
  L lies within L/2 of its midpoint); for those, the distances to both ends give
  the triangle bound ``(da + db - L) / 2``; only edges that pass it and whose ends
  both look "forward" to the point are searched, by the intercept iteration (the
  spherical along-track formula, corrected on the ellipsoid at each step), to well
  under a millimetre (:func:`coverage.geodesy._edge_foot_km`, beside the geodesic
  problems it solves).
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Polygon

from . import _validate as _v
from .datafile import _read_json, _read_text
from .errors import CoordinateError, DataError, ParameterError
from .geodesy import (
    _HALF_MERIDIAN_KM,
    MIN_RING_KM,
    LonLat,
    _as_polygonal,
    _check_km,
    _chord_bound,
    _ecef_km,
    _edge_far_km,
    _edge_foot_km,
    _forward_km,
    _inverse_km,
    check_lonlat,
    default_tolerance_km,
    directions,
    edge_tolerance_km,
    range_ring,
    range_rings,
)
from .resources import data_path

__all__ = [
    "Area",
    "AreaSource",
    "MAX_EDGE_KM",
    "MAX_AREA_VERTICES",
    "MAX_AREA_PARTS",
    "MAX_AREA_FILE_BYTES",
    "DEFAULT_AREAS",
    "area_distance_km",
    "area_far_km",
    "area_envelope",
    "read_area_file",
    "load_areas",
]

#: Bundled launch areas (data/areas.geojson, built by scripts/build_areas.py).
DEFAULT_AREAS = "areas.geojson"
#: Most positions an area may have, over all its rings (closing positions included):
#: files and geometries beyond it are refused before anything is built. The bundled
#: territories have up to 7,360 (Russia). Cost grows with the vertices: for a dense
#: outline the nearest point is sought among more edges per target (a claim from
#: 10,000 vertices about 40 m apart: 22 s, 340 MB), and the envelope draws a
#: disc per vertex (8 s and 250 MB for 10,000 vertices at 500 km; a loaded two-core
#: machine, 2026-12-07).
MAX_AREA_VERTICES = 10_000
#: Most rings (outer rings and holes, over all parts) an area may have.
MAX_AREA_PARTS = 1_000
#: Largest area file, bytes (checked on disk before it is read): enough for
#: :data:`MAX_AREA_VERTICES` positions written out at full precision and indented.
MAX_AREA_FILE_BYTES = 16_000_000
#: Longest edge kept whole, km: longer geodesic edges are split at points on them.
MAX_EDGE_KM = 100.0
# An edge whose geodesic strays from its straight lon/lat chord by more than this
# fraction of the chord's length is split too, so that each lens is thin and flat.
_CURVE_RATIO = 0.02
# Splitting rounds (each halves the edges that need it): a safety net.
_MAX_SPLIT_ROUNDS = 40
# Tolerance for "on the line" tests in degrees (coordinates of seams are exact).
_SEAM_EPS_DEG = 1e-9
# Points are processed in blocks of this many (memory bound of the pair stage).
_BLOCK = 8192
# Nearest points: candidate (point, edge) pairs handled at once (memory bound, about
# 100 bytes each).
_MAX_CANDIDATES = 1_000_000
# Below this distance (km) nearest-point candidates are bounded by straight lines
# between Earth-centred positions: shorter than the geodesic by s**3 / (24 R**2) at
# most, about 0.1 km at 500 km and 1 km at 1,000 km (the unit-vector chord, used
# beyond, is 0.34 % loose: 1.7 km at 500 km).
_ECEF_KM = 1500.0
# Farthest points: edges passing within this of a point's antipode (km; the cut
# locus of WGS84 lies within about 70 km of it) are searched, not iterated.
_ANTIPODAL_BAND_KM = 1000.0


# --------------------------------------------------------------------------------------
# Preparing an area


@dataclass(frozen=True, eq=False)
class _Edges:
    """Geodesic edges of the real boundary (seams left out), all arrays of one length."""

    alon: NDArray
    alat: NDArray
    blon: NDArray
    blat: NDArray
    az_a: NDArray  # direction at A towards B, degrees
    az_ba: NDArray  # direction at B towards A, degrees
    km: NDArray  # length
    ia: NDArray  # index of A in the vertex arrays
    ib: NDArray  # index of B


@dataclass(frozen=True, eq=False)
class _Prepared:
    """An area ready for measuring: planar helper, real edges, trees and lenses."""

    planar: Any  # prepared shapely geometry of the split rings (straight lon/lat edges)
    edges: _Edges
    vlon: NDArray  # vertices of the real boundary
    vlat: NDArray
    vtree: Any  # _PointTree of the vertices' unit vectors (None without boundary)
    mxyz: NDArray  # unit vectors of the edges' geodesic midpoints
    mtree: Any
    mecef: NDArray  # the same midpoints in Earth-centred coordinates, km
    etree: Any
    half_max_km: float
    lens: NDArray  # indices of edges whose lon/lat chord differs from the geodesic
    lens_band: NDArray  # planar half-width (degrees) of the band holding each lens
    lens_tree: Any  # STRtree of the bands' boxes (None when there is no lens)
    bounds: tuple[float, float, float, float]


def _check_limits(vertices: int, rings: int, name: str) -> None:
    """Refuse an area over :data:`MAX_AREA_VERTICES` positions or :data:`MAX_AREA_PARTS` rings.

    Raises
    ------
    ParameterError
        Saying the count, the limit and what to do.
    """
    if vertices > MAX_AREA_VERTICES:
        raise ParameterError(
            f"{name} has {vertices:,} positions, over the limit of {MAX_AREA_VERTICES:,}; "
            "simplify the outline (a launch area needs no detail finer than a kilometre), "
            "e.g. with shapely.simplify or mapshaper -simplify"
        )
    if rings > MAX_AREA_PARTS:
        raise ParameterError(
            f"{name} has {rings:,} rings (parts and holes), over the limit of "
            f"{MAX_AREA_PARTS:,}; drop the small islands and holes, or give the parts as "
            "separate areas"
        )


def _check_area(area: Any, name: str = "area") -> Polygon | MultiPolygon:
    """Return ``area`` after checking it is a non-empty valid (Multi)Polygon in degrees.

    Its positions and rings are counted (:data:`MAX_AREA_VERTICES`,
    :data:`MAX_AREA_PARTS`) before anything else is computed.

    Raises
    ------
    ParameterError
        If it is not a Polygon or MultiPolygon, is empty, is over the limits or is
        not valid.
    CoordinateError
        If a coordinate is outside [-180, 180] x [-90, 90] or not finite.
    """
    if not isinstance(area, (Polygon, MultiPolygon)):
        raise ParameterError(
            f"{name} must be a shapely Polygon or MultiPolygon in lon/lat degrees, "
            f"got {type(area).__name__}"
        )
    if area.is_empty:
        raise ParameterError(f"{name} is empty; give a polygon with at least three corners")
    parts = shapely.get_parts(area)
    rings = int(parts.size + shapely.get_num_interior_rings(parts).sum())
    _check_limits(int(shapely.get_num_coordinates(area)), rings, name)
    xy = shapely.get_coordinates(area)
    check_lonlat(xy[:, 0], xy[:, 1], what=name)
    if not area.is_valid:
        raise ParameterError(f"{name} is not a valid polygon: {shapely.is_valid_reason(area)}")
    return area


def _spread_poles(xy: NDArray) -> NDArray:
    """Replace a vertex at a pole by two, at the longitudes of its neighbours.

    A pole has every longitude; the geodesic from it to a point is that point's
    meridian. Written as (lon_prev, +-90), (lon_next, +-90), the edges to it are
    straight meridians in lon/lat too and the step between them is a seam. A
    neighbour at a pole lends no longitude: the vertex keeps its own.
    """
    at_pole = np.abs(xy[:, 1]) == 90.0
    if not at_pole.any():
        return xy
    prev, nxt = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
    before = np.where(np.abs(prev[:, 1]) != 90.0, prev[:, 0], xy[:, 0])
    after = np.where(np.abs(nxt[:, 1]) != 90.0, nxt[:, 0], xy[:, 0])
    first = np.column_stack([np.where(at_pole, before, xy[:, 0]), xy[:, 1]])
    second = np.column_stack([after, xy[:, 1]])[at_pole]
    # Each pole vertex is followed by its second copy.
    return np.insert(first, np.flatnonzero(at_pole) + 1, second, axis=0)


def _pole_to_pole(xy: NDArray, name: str) -> NDArray:
    """Give every edge from one pole to the other its meridian, by a vertex on the equator.

    Any meridian is a shortest path between the poles, so such an edge means the
    meridian of its ends, which must then share a longitude (a lune or a
    hemisphere is bounded by two of them). The equator vertex makes each half an
    ordinary edge (and a seam where it lies on +-180 and the other side continues).

    Raises
    ------
    ParameterError
        If the ends of an edge from pole to pole have different longitudes.
    """
    nxt = np.roll(xy, -1, axis=0)
    across = (np.abs(xy[:, 1]) == 90.0) & (xy[:, 1] == -nxt[:, 1])
    if not across.any():
        return xy
    i = np.flatnonzero(across)
    odd = i[xy[i, 0] != nxt[i, 0]]
    if odd.size:
        a, b = xy[odd[0]], nxt[odd[0]]
        raise ParameterError(
            f"{name}: the edge from ({a[0]:g}, {a[1]:g}) to ({b[0]:g}, {b[1]:g}) joins the "
            "poles but not along one meridian (every meridian is a shortest path between "
            "them); give both ends the longitude of the meridian the edge follows"
        )
    return np.insert(xy, i + 1, np.column_stack([xy[i, 0], np.zeros(i.size)]), axis=0)


def _kinds(a: NDArray, b: NDArray) -> tuple[NDArray, NDArray]:
    """Classify edges: (along a pole, along a meridian +-180)."""
    pole = (np.abs(a[:, 1]) == 90.0) & (a[:, 1] == b[:, 1])
    on_180 = (np.abs(a[:, 0]) == 180.0) & (a[:, 0] == b[:, 0]) & ~pole
    return pole, on_180


def _unwrap_to(lon: NDArray, ref: NDArray) -> NDArray:
    """Longitudes moved by whole turns next to ``ref`` (clipped to [-180, 180])."""
    out = ref + (lon - ref + 180.0) % 360.0 - 180.0
    return np.clip(out, -180.0, 180.0)


def _curve_deviation(a: NDArray, b: NDArray, az: NDArray, km: NDArray, fractions: NDArray):
    """Largest planar distance (degrees) of points of each geodesic from its chord."""
    k = fractions.size
    plon, plat, _ = _forward_km(
        np.repeat(a[:, 0], k),
        np.repeat(a[:, 1], k),
        np.repeat(az, k),
        np.outer(km, fractions).ravel(),
    )
    plon = _unwrap_to(plon.reshape(-1, k), a[:, 0, None])
    plat = plat.reshape(-1, k)
    dx, dy = (b[:, 0] - a[:, 0])[:, None], (b[:, 1] - a[:, 1])[:, None]
    norm = np.hypot(dx, dy)
    cross = np.abs(dx * (plat - a[:, 1, None]) - dy * (plon - a[:, 0, None]))
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = np.where(norm > 0, cross / np.where(norm > 0, norm, 1.0), 0.0)
    return dev.max(axis=1), norm[:, 0]


def _refuse_long_edge(a: NDArray, b: NDArray, name: str) -> None:
    """Refuse the first edge spanning 180 degrees of longitude or more.

    Raises
    ------
    ParameterError
        Naming the edge's ends, why it cannot be read and what to send instead.
    """
    raise ParameterError(
        f"{name}: the edge from ({a[0]:g}, {a[1]:g}) to ({b[0]:g}, {b[1]:g}) spans 180 "
        "degrees of longitude or more, and an edge is the geodesic between its ends (over a "
        "pole, or the other way round); add vertices so that every edge spans less than 180 "
        "degrees, and split an area that crosses the antimeridian at +-180 as RFC 7946 "
        "(section 3.1.9) asks"
    )


def _split_ring(xy: NDArray, name: str) -> NDArray:
    """Split the real edges of a ring at points on their geodesics until short and flat."""
    for _ in range(_MAX_SPLIT_ROUNDS):
        a, b = xy, np.roll(xy, -1, axis=0)
        pole, on_180 = _kinds(a, b)
        real = ~pole & ~on_180
        jump = np.flatnonzero(real & (np.abs(b[:, 0] - a[:, 0]) >= 180.0))
        if jump.size:
            _refuse_long_edge(a[jump[0]], b[jump[0]], name)
        idx = np.flatnonzero(real)
        az, _, km = _inverse_km(a[idx, 0], a[idx, 1], b[idx, 0], b[idx, 1])
        dev, chord = _curve_deviation(a[idx], b[idx], az, km, np.array([0.25, 0.5, 0.75]))
        split = (km > MAX_EDGE_KM) | (dev > _CURVE_RATIO * chord)
        split &= km > 1e-6  # a millimetre edge is flat enough whatever its lon/lat shape
        if not split.any():
            return xy
        s = idx[split]
        mlon, mlat, _ = _forward_km(a[s, 0], a[s, 1], az[split], 0.5 * km[split])
        mlon = _unwrap_to(mlon, a[s, 0])
        xy = np.insert(xy, s + 1, np.column_stack([mlon, mlat]), axis=0)
    return xy


def _seam_intervals(edges_180: list[tuple[float, float, float]]) -> dict[float, list]:
    """Latitude intervals covered by edges along each of lon -180 and +180."""
    out: dict[float, list] = {-180.0: [], 180.0: []}
    for lon, lat1, lat2 in edges_180:
        out[lon].append((min(lat1, lat2), max(lat1, lat2)))
    return out


def _subtract(lo: float, hi: float, cover: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Parts of [lo, hi] not covered by the intervals ``cover``."""
    parts = [(lo, hi)]
    for c_lo, c_hi in cover:
        nxt = []
        for p_lo, p_hi in parts:
            if c_hi <= p_lo or c_lo >= p_hi:
                nxt.append((p_lo, p_hi))
                continue
            if c_lo > p_lo:
                nxt.append((p_lo, c_lo))
            if c_hi < p_hi:
                nxt.append((c_hi, p_hi))
        parts = nxt
    return [(p, q) for p, q in parts if q - p > _SEAM_EPS_DEG]


def _planar_rings(area: Polygon | MultiPolygon, name: str):
    """Split every ring of the area; return the planar helper and the classified edges.

    Returns
    -------
    planar : shapely geometry
        The rings with their edges split along the geodesics (straight lon/lat pieces).
    starts, ends : list of numpy.ndarray
        Ends of the real edges (seams left out), one array per ring.
    meridians : list of tuple
        ``(lon, lat1, lat2)`` of each edge along +-180.

    Raises
    ------
    ParameterError
        If an edge spans 180 degrees of longitude or more, joins the poles off one
        meridian, or the edges, followed as geodesics, cross each other or turn a
        ring inside out.
    """
    polygons, starts, ends, meridians = [], [], [], []
    for polygon in shapely.get_parts(area):
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            xy = _split_ring(_pole_to_pole(_spread_poles(np.asarray(ring.coords)[:-1]), name), name)
            if shapely.is_ccw(shapely.linearrings(xy)) != ring.is_ccw:
                _refuse_geodesic_shape(name, "turn a ring inside out")
            rings.append(xy)
            a, b = xy, np.roll(xy, -1, axis=0)
            pole, on_180 = _kinds(a, b)
            starts.append(a[~pole & ~on_180])
            ends.append(b[~pole & ~on_180])
            meridians += [(a[i, 0], a[i, 1], b[i, 1]) for i in np.flatnonzero(on_180)]
        polygons.append(Polygon(rings[0], rings[1:]))
    planar = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if not planar.is_valid:
        _refuse_geodesic_shape(name, f"cross or touch ({shapely.is_valid_reason(planar)})")
    return planar, starts, ends, meridians


def _refuse_geodesic_shape(name: str, what: str) -> None:
    """Refuse an area whose edges, read as geodesics, do not bound what they seem to.

    Raises
    ------
    ParameterError
        Saying what the geodesic edges do and what to send instead.
    """
    raise ParameterError(
        f"{name}: its edges, followed as geodesics (the shortest path between their ends), "
        f"{what}; add vertices along long edges so that they follow the line you mean"
    )


def _meridian_boundary(meridians: list[tuple[float, float, float]]) -> tuple[list, list]:
    """Pieces of edges along +-180 that no edge continues on the other side (real boundary)."""
    seams = _seam_intervals(meridians)
    extra_a, extra_b = [], []
    for lon, lat1, lat2 in meridians:
        for lo, hi in _subtract(min(lat1, lat2), max(lat1, lat2), seams[-lon]):
            # Meridian pieces are split to MAX_EDGE_KM as well (about 0.9 degree).
            n = max(1, math.ceil((hi - lo) * 111.7 / MAX_EDGE_KM))
            lats = np.linspace(lo, hi, n + 1)
            extra_a += [(lon, y) for y in lats[:-1]]
            extra_b += [(lon, y) for y in lats[1:]]
    return extra_a, extra_b


def _lenses(a: NDArray, b: NDArray, az: NDArray, km: NDArray):
    """Edges whose lon/lat chord differs from the geodesic, their bands and an STRtree."""
    dev, _ = _curve_deviation(a, b, az, km, np.linspace(0.0, 1.0, 17)[1:-1])
    lens = np.flatnonzero(dev > 0.0)
    band = 2.0 * dev[lens] + 1e-9
    if lens.size == 0:
        return lens, band, None
    boxes = shapely.box(
        np.minimum(a[lens, 0], b[lens, 0]) - band,
        np.minimum(a[lens, 1], b[lens, 1]) - band,
        np.maximum(a[lens, 0], b[lens, 0]) + band,
        np.maximum(a[lens, 1], b[lens, 1]) + band,
    )
    return lens, band, shapely.STRtree(boxes)


class _PointTree:
    """Nearest and within-radius queries over a set of points, Euclidean, like cKDTree.

    A launch area has a few hundred vertices and is usually asked about a few dozen
    targets: those queries are answered by brute force in numpy, chunk by chunk, and
    scipy's k-d tree is built (and ``scipy.spatial`` imported) only for a query too
    large for that. Written by hand because importing ``scipy.spatial`` costs about
    0.35 s, a third of a ``claim`` command from Kaliningrad oblast (``python -X
    importtime``, 2026-12-08). The answers are the same sets of points (within the
    radius, inclusive), so every distance decided from them is the same.
    """

    #: Query points times tree points answered by brute force in one call (24 MB).
    BRUTE_PAIRS = 1_000_000

    def __init__(self, data: NDArray) -> None:
        self.data = np.asarray(data, dtype=float)
        self._tree: Any = None

    def _scipy(self) -> Any:
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self.data)
        return self._tree

    def _brute(self, x: NDArray) -> bool:
        return x.shape[0] * self.data.shape[0] <= self.BRUTE_PAIRS

    def _distances(self, x: NDArray) -> NDArray:
        return np.sqrt(((x[:, None, :] - self.data[None, :, :]) ** 2).sum(axis=2))

    def query(self, x: ArrayLike, k: int = 1) -> tuple[NDArray, NDArray]:
        """Return the distance to and index of each point's nearest tree point (``k`` = 1)."""
        x = np.asarray(x, dtype=float)
        if k != 1 or not self._brute(x):
            return self._scipy().query(x, k=k)
        d = self._distances(x)
        i = d.argmin(axis=1)
        return d[np.arange(len(x)), i], i

    def query_ball_point(self, x: ArrayLike, r: ArrayLike, return_length: bool = False):
        """Return the indices of the tree points within ``r`` of each point (or how many)."""
        x = np.asarray(x, dtype=float)
        if not self._brute(x):
            return self._scipy().query_ball_point(x, r, return_length=return_length)
        within = self._distances(x) <= np.broadcast_to(np.asarray(r, dtype=float), len(x))[:, None]
        if return_length:
            return within.sum(axis=1)
        return [np.flatnonzero(row) for row in within]


def _whole_world(planar) -> _Prepared:
    """Return the prepared form of an area without boundary: every point is inside."""
    empty = np.zeros(0)
    edges = _Edges(*([empty] * 7), np.zeros(0, int), np.zeros(0, int))
    return _Prepared(
        planar, edges, empty, empty, None, np.zeros((0, 3)), None, np.zeros((0, 3)), None, 0.0,
        np.zeros(0, int), empty, None, planar.bounds,
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _prepare(area: Polygon | MultiPolygon, name: str = "area") -> _Prepared:
    """Split edges, find the real boundary, build the trees (cached per geometry).

    Raises
    ------
    ParameterError
        As :func:`_planar_rings`.
    """
    planar, starts, ends, meridians = _planar_rings(area, name)
    shapely.prepare(planar)
    # Edges along +-180 are boundary only where the other side holds no edge.
    extra_a, extra_b = _meridian_boundary(meridians)
    a = np.concatenate(starts + ([np.asarray(extra_a)] if extra_a else []))
    b = np.concatenate(ends + ([np.asarray(extra_b)] if extra_b else []))
    if a.size == 0:  # no boundary: the area is the whole world
        return _whole_world(planar)

    vertices, inverse = np.unique(np.concatenate([a, b]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    az_a, az_ba, km = _inverse_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    edges = _Edges(
        a[:, 0], a[:, 1], b[:, 0], b[:, 1], az_a, az_ba, km, inverse[: len(a)], inverse[len(a) :]
    )
    mlon, mlat, _ = _forward_km(a[:, 0], a[:, 1], az_a, 0.5 * km)
    mxyz = directions(mlon, mlat)
    mecef = _ecef_km(mlon, mlat)
    lens, band, lens_tree = _lenses(a, b, az_a, km)
    return _Prepared(
        planar, edges, vertices[:, 0], vertices[:, 1], _PointTree(directions(*vertices.T)),
        mxyz, _PointTree(mxyz), mecef, _PointTree(mecef), float(0.5 * km.max()), lens, band,
        lens_tree,
        planar.bounds,
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Inside, nearest, farthest


def _inside(prep: _Prepared, lon: NDArray, lat: NDArray) -> NDArray:
    """Whether each point is in the area (its boundary included), edges as geodesics."""
    inside = shapely.intersects_xy(prep.planar, lon, lat)
    if prep.lens_tree is None or lon.size == 0:
        return inside
    west, south, east, north = prep.bounds
    pad = float(prep.lens_band.max())
    near = np.flatnonzero(
        (lon >= west - pad) & (lon <= east + pad) & (lat >= south - pad) & (lat <= north + pad)
    )
    if near.size == 0:
        return inside
    point_i, lens_i = prep.lens_tree.query(shapely.points(lon[near], lat[near]))
    if point_i.size == 0:
        return inside
    p = near[point_i]
    e = prep.lens[lens_i]
    ed = prep.edges
    ax, ay = ed.alon[e], ed.alat[e]
    dx, dy = ed.blon[e] - ax, ed.blat[e] - ay
    px, py = lon[p] - ax, lat[p] - ay
    norm2 = dx * dx + dy * dy
    t = (px * dx + py * dy) / np.where(norm2 > 0, norm2, 1.0)
    cross = dx * py - dy * px
    dist = np.abs(cross) / np.sqrt(np.where(norm2 > 0, norm2, 1.0))
    keep = (t >= 0.0) & (t <= 1.0) & (dist <= prep.lens_band[lens_i])
    if not keep.any():
        return inside
    p, e, cross = p[keep], e[keep], cross[keep]
    az_ap, _, d_ap = _inverse_km(ed.alon[e], ed.alat[e], lon[p], lat[p])
    turn = (az_ap - ed.az_a[e] + 180.0) % 360.0 - 180.0
    geodesic_left = turn < 0.0
    planar_left = cross > 0.0
    flip = (geodesic_left != planar_left) & (d_ap > 0.0)
    if flip.any():
        parity = np.bincount(p[flip], minlength=lon.size) % 2 == 1
        inside = inside ^ parity
    return inside


def _nearest_km(prep: _Prepared, lon: NDArray, lat: NDArray) -> NDArray:
    """Distance from points (outside the area) to the nearest point of the boundary.

    Candidate edges come from one of two proven bounds: for points within
    :data:`_ECEF_KM` of the boundary, the straight line between Earth-centred
    positions (never longer than the geodesic, and within a few hundred metres of it
    at these distances); farther, the chord between unit vectors of
    :func:`coverage.geodesy.chord_bound`. They are counted first and handled in
    groups of points holding at most :data:`_MAX_CANDIDATES` of them, so memory
    stays bounded however dense the outline.
    """
    xyz = directions(lon, lat)
    _, first = prep.vtree.query(xyz, k=1)
    first = np.asarray(first, dtype=np.intp)
    best = _inverse_km(prep.vlon[first], prep.vlat[first], lon, lat)[2]
    # An edge holds a point nearer than `best` only if its midpoint is within
    # best + L/2 (triangle inequality): within that straight distance, or that chord.
    reach = best + prep.half_max_km
    close = reach < _ECEF_KM
    searches = (
        (close, _ecef_km(lon, lat), reach * (1.0 + 1e-9) + 1e-6, prep.etree, prep.mecef, False),
        (~close, xyz, _chord_bound(reach), prep.mtree, prep.mxyz, True),
    )
    for chosen, points, radius, tree, centres, on_units in searches:
        i = np.flatnonzero(chosen)
        if i.size == 0:
            continue
        counts = np.asarray(tree.query_ball_point(points[i], radius[i], return_length=True))
        group = np.cumsum(counts) // _MAX_CANDIDATES
        for g in np.unique(group[counts > 0]):
            j = i[(group == g) & (counts > 0)]
            lists = tree.query_ball_point(points[j], radius[j])
            best[j] = _nearest_in_edges(
                prep, lon[j], lat[j], lists, (points[j], centres, on_units), best[j]
            )
    return best


def _nearest_in_edges(
    prep: _Prepared, lon: NDArray, lat: NDArray, lists: Any, space: tuple, best: NDArray
) -> NDArray:
    """Lower ``best`` (km) to the distance to the nearest of the candidate edges ``lists``.

    ``space`` is (the points, the edges' midpoints, whether they are unit vectors)
    in the coordinates the candidates were found in, for the per-edge bound.
    """
    ed = prep.edges
    points, centres, on_units = space
    counts = np.fromiter((len(x) for x in lists), dtype=np.intp, count=len(lists))
    e = np.concatenate([np.asarray(x, dtype=np.intp) for x in lists if len(x)])
    p = np.repeat(np.arange(lon.size), counts)
    chord = np.linalg.norm(centres[e] - points[p], axis=1)
    bound = best[p] + 0.5 * ed.km[e]
    keep = chord <= (_chord_bound(bound) if on_units else bound * (1.0 + 1e-9) + 1e-6)
    p, e = p[keep], e[keep]
    # Exact distances to the ends of candidate edges, once per (point, vertex).
    key = np.unique(np.concatenate([p * len(prep.vlon) + ed.ia[e], p * len(prep.vlon) + ed.ib[e]]))
    kp, kv = np.divmod(key, len(prep.vlon))
    az_vp, _, d_vp = _inverse_km(prep.vlon[kv], prep.vlat[kv], lon[kp], lat[kp])
    np.minimum.at(best, kp, d_vp)
    ja = np.searchsorted(key, p * len(prep.vlon) + ed.ia[e])
    jb = np.searchsorted(key, p * len(prep.vlon) + ed.ib[e])
    da, db = d_vp[ja], d_vp[jb]
    # The interior holds the minimum only if both ends look forward to the point
    # (distance decreasing into the edge from either end).
    forward_a = np.cos(np.radians(az_vp[ja] - ed.az_a[e])) > 0.0
    forward_b = np.cos(np.radians(az_vp[jb] - ed.az_ba[e])) > 0.0
    lower = 0.5 * (da + db - ed.km[e])
    open_ = forward_a & forward_b & (lower < best[p]) & (da > 0) & (db > 0)
    if open_.any():
        p, e, da, db = p[open_], e[open_], da[open_], db[open_]
        length = ed.km[e]
        s = np.clip((da * da - db * db + length * length) / (2.0 * length), 0.0, length)
        edge = (ed.alon[e], ed.alat[e], ed.az_a[e], length)
        d = _edge_foot_km(edge, lon[p], lat[p], s, farthest=False)
        np.minimum.at(best, p, d)
    return best


def _farthest_km(prep: _Prepared, lon: NDArray, lat: NDArray) -> NDArray:
    """Distance from points to the farthest point of the boundary.

    The maximum is over the vertices and the critical points inside the edges: a
    smooth one (both ends looking away from the point) found by the intercept
    iteration, or, on an edge passing within :data:`_ANTIPODAL_BAND_KM` of the
    point's antipode, where the distance has a ridge (the cut locus, where two
    shortest geodesics meet) instead of a smooth top, by :func:`coverage.geodesy._edge_far_km`.
    """
    ed = prep.edges
    az_vp, _, d_vp = _inverse_km(prep.vlon[None, :], prep.vlat[None, :], lon[:, None], lat[:, None])
    best = d_vp.max(axis=1)
    da, db = d_vp[:, ed.ia], d_vp[:, ed.ib]
    upper = 0.5 * (da + db + ed.km[None, :])
    backward_a = np.cos(np.radians(az_vp[:, ed.ia] - ed.az_a[None, :])) < 0.0
    backward_b = np.cos(np.radians(az_vp[:, ed.ib] - ed.az_ba[None, :])) < 0.0
    near_antipode = upper > _HALF_MERIDIAN_KM - _ANTIPODAL_BAND_KM
    smooth = backward_a & backward_b & (upper > best[:, None]) & ~near_antipode
    if smooth.any():
        p, e = np.nonzero(smooth)
        length = ed.km[e]
        a2, b2 = da[p, e] ** 2, db[p, e] ** 2
        s = np.clip((a2 - b2 + length * length) / (2.0 * length), 0.0, length)
        edge = (ed.alon[e], ed.alat[e], ed.az_a[e], length)
        d = _edge_foot_km(edge, lon[p], lat[p], s, farthest=True)
        np.maximum.at(best, p, d)
    ridge = near_antipode & (upper > best[:, None])
    if ridge.any():
        p, e = np.nonzero(ridge)
        edge = (ed.alon[e], ed.alat[e], ed.az_a[e], ed.km[e])
        np.maximum.at(best, p, _edge_far_km(edge, lon[p], lat[p]))
    return best


def _points(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray, tuple[int, ...]]:
    """Return validated points, flattened, and the shape to give the result."""
    lon_a, lat_a = check_lonlat(lon, lat, what="points")
    try:
        lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    except ValueError:
        raise ParameterError(
            f"points: {np.size(lon_a)} longitudes but {np.size(lat_a)} latitudes"
        ) from None
    return lon_a.ravel(), lat_a.ravel(), lon_a.shape


def _shaped(values: NDArray, shape: tuple[int, ...]):
    out = values.reshape(shape)
    return float(out) if out.ndim == 0 else out


def area_distance_km(area: Polygon | MultiPolygon, lon: ArrayLike, lat: ArrayLike):
    """Return the geodesic distance on WGS84 from points to the nearest point of an area.

    Exact to well under a millimetre (GeographicLib's geodesics; the nearest point of
    an edge is found by iteration): the tests check it against a brute-force
    measurement along the geodesic edges with geographiclib, to 1 m.

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
        Launch area in decimal degrees, longitude first (x), with holes if any.
        Edges are geodesics between consecutive vertices (see the module
        docstring); an area crossing +-180 is given as parts split there, one
        holding a pole as a polygon closed along the pole, as GeoJSON does.
    lon, lat : float or array_like
        Points in decimal degrees, longitude first; they broadcast together.

    Returns
    -------
    float or numpy.ndarray
        Distance in km, 0 for points inside the area or on its boundary; a float
        when both inputs are scalars, else an array of their broadcast shape.

    Raises
    ------
    ParameterError
        If ``area`` is not a non-empty valid Polygon or MultiPolygon, or an edge
        spans 180 degrees of longitude or more (split it at +-180), or the points'
        longitudes and latitudes do not broadcast.
    CoordinateError
        If a coordinate of the area or of a point is outside [-180, 180] x [-90, 90]
        or not finite.

    Examples
    --------
    >>> from shapely import box
    >>> round(area_distance_km(box(20.0, 54.0, 22.0, 55.0), 13.40, 52.52), 1)
    470.0
    >>> area_distance_km(box(20.0, 54.0, 22.0, 55.0), [21.0], [54.5]).tolist()
    [0.0]
    """
    _v.polygonal(area)
    _v.numbers_array(lon, "lon")
    _v.numbers_array(lat, "lat")
    prep = _prepare(_check_area(area))
    return _near_km(prep, *_points(lon, lat))


def _near_km(prep: _Prepared, plon: NDArray, plat: NDArray, shape: tuple[int, ...]):
    """Return :func:`area_distance_km` of a prepared area and checked, flat points."""
    out = np.zeros(plon.size)
    if prep.vtree is None:
        return _shaped(out, shape)
    for start in range(0, plon.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        blon, blat = plon[block], plat[block]
        outside = np.flatnonzero(~_inside(prep, blon, blat))
        if outside.size:
            out[start + outside] = _nearest_km(prep, blon[outside], blat[outside])
    return _shaped(out, shape)


def _near_far_km(area: Polygon | MultiPolygon, lon: ArrayLike, lat: ArrayLike, *, far: bool = True):
    """Return the distances from points to an area's nearest and farthest points, km.

    For callers that hold a checked area and checked points (:mod:`coverage.reach`):
    the area is prepared once for both; ``(near, None)`` without ``far``.
    """
    prep = _prepare(_check_area(area))
    points = _points(lon, lat)
    return _near_km(prep, *points), (_far_km(prep, *points) if far else None)


def area_far_km(area: Polygon | MultiPolygon, lon: ArrayLike, lat: ArrayLike):
    """Return the geodesic distance on WGS84 from points to the farthest point of an area.

    With a minimum range ``min_km``, a point lies outside the dead zone of some
    launch point of the area exactly when this distance is ``>= min_km``. The
    farthest point of an area lies on its real boundary, unless the area holds the
    point's antipode (then it is the antipodal distance, about 20,003.9 km): the
    maximum is taken over the vertices and over the critical points inside the edges
    (found by the intercept iteration, to well under a millimetre), so the result is
    exact to the same precision as :func:`area_distance_km`.

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
        As :func:`area_distance_km`.
    lon, lat : float or array_like
        Points in decimal degrees, longitude first.

    Returns
    -------
    float or numpy.ndarray
        Distance in km; a float when both inputs are scalars.

    Raises
    ------
    ParameterError, CoordinateError
        As :func:`area_distance_km`.

    Examples
    --------
    >>> from shapely import box
    >>> round(area_far_km(box(20.0, 54.0, 22.0, 55.0), 13.40, 52.52), 1)
    630.2
    """
    _v.polygonal(area)
    _v.numbers_array(lon, "lon")
    _v.numbers_array(lat, "lat")
    prep = _prepare(_check_area(area))
    return _far_km(prep, *_points(lon, lat))


def _far_km(prep: _Prepared, plon: NDArray, plat: NDArray, shape: tuple[int, ...]):
    """Return :func:`area_far_km` of a prepared area and checked, flat points."""
    out = np.full(plon.size, _HALF_MERIDIAN_KM)
    if prep.vtree is None:
        return _shaped(out, shape)
    step = max(1, 2_000_000 // max(1, len(prep.vlon)))
    for start in range(0, plon.size, step):
        block = slice(start, start + step)
        blon, blat = plon[block], plat[block]
        alon = np.where(blon > 0, blon - 180.0, blon + 180.0)
        holds_antipode = _inside(prep, alon, -blat)
        far = np.flatnonzero(~holds_antipode)
        if far.size:
            out[start + far] = _farthest_km(prep, blon[far], blat[far])
    return _shaped(out, shape)


# --------------------------------------------------------------------------------------
# Envelope (display)


def _boundary_samples(prep: _Prepared, spacing_km: float) -> tuple[NDArray, NDArray]:
    """Return points of the real boundary: every vertex, and edge points ``spacing_km`` apart."""
    ed = prep.edges
    n = np.maximum(1, np.ceil(ed.km / spacing_km).astype(int))
    long_ = np.flatnonzero(n > 1)
    lons, lats = [prep.vlon], [prep.vlat]
    if long_.size:
        reps = n[long_] - 1
        e = np.repeat(long_, reps)
        k = np.concatenate([np.arange(1, m) for m in n[long_]])
        plon, plat, _ = _forward_km(ed.alon[e], ed.alat[e], ed.az_a[e], ed.km[e] * k / n[e])
        lons.append(plon)
        lats.append(plat)
    return np.concatenate(lons), np.concatenate(lats)


def _discs(lon: NDArray, lat: NDArray, radius_km: float, tol_km: float) -> list:
    """Discs of ``radius_km`` around points, drawn within ``tol_km`` of the true circles.

    Circles far from the poles come from one batch of fixed-vertex rings (chords that
    sag less than half the tolerance, and lon/lat edges short enough to follow their
    geodesic chords); the others from :func:`coverage.geodesy.range_ring`, which
    refines its edges against the circle.
    """
    reach_deg = radius_km / 110.0
    polar = np.abs(lat) + reach_deg > 60.0
    out: list = []
    if (~polar).any():
        # Chord sag R (1 - cos(pi / n)) <= tol / 4.
        n = math.ceil(math.pi / math.sqrt(2.0 * (0.25 * tol_km) / radius_km))
        n = int(min(4096, max(32, n)))
        out += list(range_rings(lon[~polar], lat[~polar], radius_km, vertices=n))
    for x, y in zip(lon[polar], lat[polar], strict=True):
        out.append(range_ring(float(x), float(y), radius_km, tolerance_km=tol_km))
    return out


def area_envelope(
    area: Polygon | MultiPolygon,
    max_km: float,
    *,
    min_km: float = 0.0,
    tolerance_km: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the area within ``max_km`` of some point of a launch area, for display.

    Built as the area together with geodesic discs (:func:`coverage.geodesy.range_ring`
    topology) around points of its boundary, placed at every vertex and along the
    geodesic edges close enough that the dip between neighbouring discs, about
    ``s**2 / (8 max_km)`` for spacing ``s``, stays under half the tolerance; the
    discs are drawn within the other half. So the drawn edge is within
    ``tolerance_km`` of the true envelope, and it is right across the antimeridian
    (split at +-180, RFC 7946), around a pole and beyond a hemisphere, as range rings
    are. With ``min_km``, the points within ``min_km`` of *every* point of the area
    (where no launch point is far enough; empty for areas wider than ``2 * min_km``)
    are cut out.

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
        As :func:`area_distance_km`.
    max_km : float
        Maximum range in km, > 0, up to the antipodal distance (about 20,003.9 km).
    min_km : float, default 0.0
        Minimum range in km, >= 0 and below ``max_km``.
    tolerance_km : float, optional
        Largest allowed gap between the drawn edge and the true one, km; by default
        :func:`coverage.geodesy.default_tolerance_km` of ``max_km`` (0.1 % of the range,
        at least 5 m).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid geometry in lon/lat degrees, exteriors counter-clockwise. For display
        only: whether a target is covered comes from :func:`area_distance_km`.

    Raises
    ------
    ParameterError
        If the area is invalid (see :func:`area_distance_km`), a range is not finite,
        ``max_km <= 0``, ``min_km < 0``, ``min_km >= max_km``, ``max_km`` exceeds the
        antipodal distance, or ``tolerance_km <= 0``.
    CoordinateError
        If a coordinate of the area is invalid.

    Examples
    --------
    >>> from shapely import box
    >>> area_envelope(box(20.0, 54.0, 22.0, 55.0), 500).geom_type
    'Polygon'
    """
    _v.polygonal(area)
    _v.number(max_km, "max_km")
    _v.number(min_km, "min_km")
    _v.number(tolerance_km, "tolerance_km", optional=True)
    prep = _prepare(_check_area(area))
    outer = _check_km(max_km, "max_km")
    inner = _check_km(min_km, "min_km", allow_zero=True)
    if outer < MIN_RING_KM:
        raise ParameterError(f"max_km must be at least {MIN_RING_KM:g} km (1 mm), got {max_km!r}")
    if inner >= outer:
        raise ParameterError(
            f"min_km must be smaller than max_km, got min_km={min_km!r} >= max_km={max_km!r}"
        )
    if outer > _HALF_MERIDIAN_KM + 1e-6:
        raise ParameterError(
            f"max_km={max_km!r} is beyond the antipodal distance, {_HALF_MERIDIAN_KM:.1f} km: "
            "no point on Earth is farther"
        )
    tol = (
        default_tolerance_km(outer)
        if tolerance_km is None
        else _check_km(tolerance_km, "tolerance_km")
    )
    if prep.vtree is None:
        return _as_polygonal(shapely.box(-180.0, -90.0, 180.0, 90.0))
    # Dip between discs s apart: s**2 / (8 R) <= tol / 2.
    spacing = math.sqrt(4.0 * outer * tol)
    lon, lat = _boundary_samples(prep, spacing)
    covered = shapely.union_all([area, *_discs(lon, lat, outer, 0.5 * tol)])
    if inner >= MIN_RING_KM:
        dead = _dead_zone(prep, inner, edge_tolerance_km(inner, tol))
        if dead is not None and not dead.is_empty:
            covered = covered.difference(dead)
    return _as_polygonal(covered)


def _dead_zone(prep: _Prepared, min_km: float, tol_km: float):
    """Points within ``min_km`` of every boundary point, or None when surely empty."""
    lon, lat = _boundary_samples(prep, math.sqrt(4.0 * min_km * tol_km))
    # Two boundary points more than 2 min_km apart leave no point within min_km of both.
    d0 = _inverse_km(lon[0], lat[0], lon, lat)[2]
    if d0.max() > 2.0 * min_km:
        return None
    far = int(np.argmax(d0))
    if (_inverse_km(lon[far], lat[far], lon, lat)[2] > 2.0 * min_km).any():
        return None
    discs = [
        range_ring(float(x), float(y), min_km, tolerance_km=0.5 * tol_km)
        for x, y in zip(lon, lat, strict=True)
    ]
    return shapely.intersection_all(discs)


# --------------------------------------------------------------------------------------
# Files


@dataclass(frozen=True)
class AreaSource:
    """Where an area's outline comes from."""

    title: str
    publisher: str
    url: str
    date: str


@dataclass(frozen=True, eq=False)
class Area:
    """A named launch area.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"kaliningrad-oblast"``.
    name : str
        Display name.
    geometry : shapely.Polygon or shapely.MultiPolygon
        Outline in lon/lat degrees, edges geodesic (see the module docstring).
    source : AreaSource
        Title, publisher, URL and date of the source.
    iso_3166_2 : str or None
        ISO 3166-2 subdivision code, when it is one (``"RU-KGD"``).
    """

    id: str
    name: str
    geometry: Polygon | MultiPolygon
    source: AreaSource
    iso_3166_2: str | None = None

    @property
    def representative_point(self) -> LonLat:
        """A point inside the area (for labels), decimal degrees."""
        point = self.geometry.representative_point()
        return LonLat(float(point.x), float(point.y))

    def distance_km(self, lon: ArrayLike, lat: ArrayLike):
        """Return the km from points to the area's nearest point (:func:`area_distance_km`)."""
        return area_distance_km(self.geometry, lon, lat)

    def far_km(self, lon: ArrayLike, lat: ArrayLike):
        """Return the km from points to the area's farthest point (:func:`area_far_km`)."""
        return area_far_km(self.geometry, lon, lat)


def _polygon_lists(obj: Any, path: str | os.PathLike[str], field: str) -> list[tuple[Any, str]]:
    """Return the coordinates of each polygon of a GeoJSON geometry, with its field.

    Raises
    ------
    DataError
        If ``obj`` is not a Polygon or MultiPolygon with a non-empty list of polygons.
    """
    if not isinstance(obj, Mapping):
        raise DataError(
            f"expected a GeoJSON geometry object, got {_short(obj)}", path=path, field=field
        )
    kind = obj.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise DataError(
            f"expected a Polygon or MultiPolygon, got type {kind!r}",
            path=path,
            field=f"{field}.type",
        )
    coords = obj.get("coordinates")
    where = f"{field}.coordinates"
    if kind == "Polygon":
        return [(coords, where)]
    if not isinstance(coords, list) or not coords:
        raise DataError("expected a non-empty list of polygons", path=path, field=where)
    return [(poly, f"{where}[{i}]") for i, poly in enumerate(coords)]


def _check_counts(polys: list[tuple[Any, str]], path: str | os.PathLike[str], field: str) -> None:
    """Refuse an area over the limits, counting its lists before anything is built.

    Raises
    ------
    DataError
        If a polygon is not a non-empty list of rings, or the area has more than
        :data:`MAX_AREA_VERTICES` positions or :data:`MAX_AREA_PARTS` rings.
    """
    rings = positions = 0
    for poly, at in polys:
        if not isinstance(poly, list) or not poly:
            raise DataError("expected a non-empty list of rings", path=path, field=at)
        rings += len(poly)
        positions += sum(len(ring) for ring in poly if isinstance(ring, list))
    try:
        _check_limits(positions, rings, "area")
    except ParameterError as err:
        raise DataError(str(err).removeprefix("area: "), path=path, field=field) from None


def _ring_array(ring: Any, path: str | os.PathLike[str], field: str) -> NDArray:
    """Return one GeoJSON ring as an (n, 2) array of checked lon/lat degrees.

    Raises
    ------
    DataError
        If it has fewer than 4 positions, a position is not two numbers, a
        coordinate is out of range or the ring does not end where it starts.
    """
    if not isinstance(ring, list) or len(ring) < 4:
        raise DataError("a ring needs at least 4 positions (first = last)", path=path, field=field)
    if not all(_is_position(pos) for pos in ring):
        raise DataError("positions must be [lon, lat] numbers", path=path, field=field)
    try:
        xy = np.array([pos[:2] for pos in ring], dtype=float)
    except (TypeError, ValueError, OverflowError) as err:
        raise DataError("positions must be [lon, lat] numbers", path=path, field=field) from err
    try:
        check_lonlat(xy[:, 0], xy[:, 1])
    except CoordinateError as err:
        raise DataError(str(err), path=path, field=field) from err
    if not np.array_equal(xy[0], xy[-1]):
        raise DataError("a ring must end where it starts", path=path, field=field)
    return xy


def _geometry_from_geojson(obj: Any, path: str | os.PathLike[str], field: str):
    """Return a checked Polygon or MultiPolygon from a GeoJSON geometry object.

    The lists are counted against :data:`MAX_AREA_VERTICES` and
    :data:`MAX_AREA_PARTS` before any array or polygon is built, and the area is
    prepared (its edges read as geodesics) so that every refusal names the file.

    Raises
    ------
    DataError
        With the file and field, for anything else, for invalid coordinates or an
        area over the limits or not readable on the ellipsoid.
    """
    polys = _polygon_lists(obj, path, field)
    _check_counts(polys, path, field)
    shells = []
    for poly, at in polys:
        rings = [_ring_array(ring, path, f"{at}[{j}]") for j, ring in enumerate(poly)]
        shells.append(Polygon(rings[0], rings[1:]))
    geometry = shells[0] if obj.get("type") == "Polygon" else MultiPolygon(shells)
    try:
        _prepare(_check_area(geometry))
    except (ParameterError, CoordinateError) as err:
        raise DataError(str(err).removeprefix("area: "), path=path, field=field) from err
    return geometry


def _is_position(pos: Any) -> bool:
    """Return True for a GeoJSON position: a list of at least two numbers (not booleans)."""
    return (
        isinstance(pos, list)
        and len(pos) >= 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos[:2])
    )


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _read_area_json(path: str | os.PathLike[str]) -> Any:
    """Parse an area file after checking its size on disk (stat first, then read).

    Raises
    ------
    DataError
        If the file is larger than :data:`MAX_AREA_FILE_BYTES`, or as
        :func:`coverage.datafile.read_json`.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        info = None  # read_json says what is wrong with the path
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > MAX_AREA_FILE_BYTES:
        raise DataError(
            f"file is {info.st_size / 1e6:,.1f} MB, over the {MAX_AREA_FILE_BYTES / 1e6:g} MB "
            f"limit for area files; simplify the outline to at most {MAX_AREA_VERTICES:,} "
            "vertices",
            path=path,
        )
    _precount(_read_text(path, MAX_AREA_FILE_BYTES), path)
    return _read_json(path, MAX_AREA_FILE_BYTES)


# The opening of an array of numbers: a position (or a bbox) in GeoJSON text.
_NUMBER_ARRAY = re.compile(r"\[\s*[-0-9]")


def _precount(text: str, path: str | os.PathLike[str]) -> None:
    """Refuse a text holding far more positions than one area may, before parsing it.

    Parsing builds a Python list per position (a million take seconds and 100 MB),
    so the arrays of numbers are counted in the text first: one bracket count for
    the usual file, and a scan only when the brackets could exceed the limit. A few
    arrays are allowed beyond :data:`MAX_AREA_VERTICES` for bounding boxes; the
    exact count follows on the parsed lists.

    Raises
    ------
    DataError
        If the text holds more than :data:`MAX_AREA_VERTICES` + 16 arrays of numbers.
    """
    if text.count("[") <= MAX_AREA_VERTICES + MAX_AREA_PARTS + 16:
        return
    count = sum(1 for _ in _NUMBER_ARRAY.finditer(text))
    if count > MAX_AREA_VERTICES + 16:
        raise DataError(
            f"holds {count:,} positions, over the limit of {MAX_AREA_VERTICES:,} for an area; "
            "simplify the outline (a launch area needs no detail finer than a kilometre), "
            "e.g. with shapely.simplify or mapshaper -simplify",
            path=path,
        )


def _feature_name(feature: Mapping) -> str | None:
    """Return the feature's ``properties.name`` if it is a non-empty string, stripped."""
    props = feature.get("properties")
    if isinstance(props, Mapping) and isinstance(props.get("name"), str):
        return props["name"].strip() or None
    return None


def _one_geometry(data: Any, path: str | os.PathLike[str]) -> tuple[Any, str, str | None]:
    """Return (geometry object, its field, feature name) of an area file's document.

    Raises
    ------
    DataError
        If the document is not a Polygon, MultiPolygon, Feature or FeatureCollection of
        exactly one feature.
    """
    obj, field = data, None
    if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else _short(features)
            raise DataError(
                f"expected exactly one feature (one launch area), got {count}",
                path=path,
                field="features",
            )
        obj, field = features[0], "features[0]"
    kind = obj.get("type") if isinstance(obj, Mapping) else type(obj).__name__
    if kind == "Feature":
        geometry_field = "geometry" if field is None else f"{field}.geometry"
        return obj.get("geometry"), geometry_field, _feature_name(obj)
    if kind in ("Polygon", "MultiPolygon"):
        return obj, field or "(root)", None
    raise DataError(
        "expected a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection of one "
        f"feature, got {kind!r}",
        path=path,
        field=field,
    )


def read_area_file(path: str | os.PathLike[str]) -> tuple[str, Polygon | MultiPolygon]:
    """Read a launch area from a GeoJSON file.

    The file holds a Polygon or MultiPolygon geometry, a Feature with one, or a
    FeatureCollection of exactly one such Feature, in decimal degrees (RFC 7946:
    longitude first, split at +-180). Edges are read as geodesics. The file may
    hold at most :data:`MAX_AREA_FILE_BYTES` bytes (checked on disk before it is
    read) and the area at most :data:`MAX_AREA_VERTICES` positions in at most
    :data:`MAX_AREA_PARTS` rings (counted before anything is built).

    Parameters
    ----------
    path : str or os.PathLike
        The GeoJSON file.

    Returns
    -------
    name : str
        The feature's ``properties.name`` if it is a non-empty string, else the
        file's name without its extension.
    geometry : shapely.Polygon or shapely.MultiPolygon
        The checked area.

    Raises
    ------
    DataError
        ``file: field: message`` when the file cannot be read, is too large, is not
        JSON, is not one of the accepted objects, is over the limits, or its
        geometry is invalid (coordinates out of range, unclosed or self-intersecting
        rings, an edge spanning 180 degrees of longitude or more, a pole-to-pole edge
        off one meridian).
    """
    _v.path(path, "path")
    return _read_area_file(path)


def _read_area_file(path: str | os.PathLike[str]) -> tuple[str, Polygon | MultiPolygon]:
    """Return :func:`read_area_file` of a checked path."""
    obj, field, name = _one_geometry(_read_area_json(path), path)
    geometry = _geometry_from_geojson(obj, path, field)
    return (name or Path(path).stem), geometry


def _area_from_feature(feature: Any, path: str | os.PathLike[str], at: str) -> Area:
    """Return the Area of one feature of an areas file.

    Raises
    ------
    DataError
        If a property is missing or the geometry is invalid (with the file and field).
    """
    props = feature.get("properties") if isinstance(feature, Mapping) else None
    if not isinstance(props, Mapping):
        raise DataError("expected a Feature with properties", path=path, field=at)
    for key in ("id", "name"):
        if not isinstance(props.get(key), str) or not props[key]:
            raise DataError(
                "expected a non-empty string", path=path, field=f"{at}.properties.{key}"
            )
    src = props.get("source")
    keys = ("title", "publisher", "url", "date")
    if not isinstance(src, Mapping) or not all(isinstance(src.get(k), str) for k in keys):
        raise DataError(
            "expected a mapping with the strings " + ", ".join(keys),
            path=path,
            field=f"{at}.properties.source",
        )
    iso = props.get("iso_3166_2")
    return Area(
        id=props["id"],
        name=props["name"],
        geometry=_geometry_from_geojson(feature.get("geometry"), path, f"{at}.geometry"),
        source=AreaSource(*(src[k] for k in keys)),
        iso_3166_2=iso if isinstance(iso, str) else None,
    )


def load_areas(path: str | os.PathLike[str] | None = None) -> dict[str, Area]:
    """Load the bundled launch areas (or those of another file), keyed by id.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GeoJSON FeatureCollection whose features carry ``properties.id``,
        ``name``, ``source`` (title, publisher, url, date) and optionally
        ``iso_3166_2``; by default the bundled ``areas.geojson``. The limits of
        :func:`read_area_file` hold for the file and for each area.

    Returns
    -------
    dict of str to Area

    Raises
    ------
    DataError
        If the file is malformed or too large, a property is missing, an area is
        invalid or over the limits, or an id repeats.

    Examples
    --------
    >>> load_areas()["kaliningrad-oblast"].iso_3166_2
    'RU-KGD'
    """
    _v.path(path, "path", optional=True)
    path = data_path(DEFAULT_AREAS) if path is None else Path(path)
    data = _read_area_json(path)
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise DataError("expected a GeoJSON FeatureCollection", path=path)
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError("expected a list", path=path, field="features")
    out: dict[str, Area] = {}
    for i, feature in enumerate(features):
        area = _area_from_feature(feature, path, f"features[{i}]")
        if area.id in out:
            raise DataError(
                f"duplicate id {area.id!r}", path=path, field=f"features[{i}].properties.id"
            )
        out[area.id] = area
    return out
