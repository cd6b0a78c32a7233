"""Launch areas checked against geographiclib, never against our own code.

The reference distance from a point to an area's boundary is a brute-force search
along each geodesic edge with geographiclib (``GeodesicLine.Position`` for points on
the edge, ``Inverse`` for distances): the edge is cut into pieces, and a piece is cut
further (into quarters) while the triangle bound ``(d0 + d1 - length) / 2`` says it
might hold a nearer point, down to pieces of 0.5 m, or of sqrt(8 d eps) at distance d
(the distance along a geodesic curves by at most 1/d, so such a piece misses the
extremum by less than eps = 1 cm). That is the boundary densified to between half a
metre and a few metres wherever it matters, without measuring the millions of points
far from the answer. The reference inside test is shapely's planar test on the boundary
densified along the geodesics every 1 km or less (the straight pieces then stray a
few centimetres from the geodesics at most, so it is right for points more than 5 m
from the boundary, the only ones where it is used).
"""

from __future__ import annotations

import heapq
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from conftest import examples
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from coverage import CoordinateError, DataError, ParameterError
from coverage.areas import (
    Area,
    area_distance_km,
    area_envelope,
    area_far_km,
    load_areas,
    read_area_file,
)
from coverage.geodesy import default_tolerance_km, rounded

ROOT = Path(__file__).resolve().parent.parent
GEOD = Geodesic.WGS84
POS = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL
HALF_MERIDIAN_M = GEOD.Inverse(90.0, 0.0, -90.0, 0.0)["s12"]
# Fewer examples than the profile's: each is checked against a brute-force search. Both
# shrink with the "ci" profile (conftest.examples) and are not raised by
# HYPOTHESIS_PROFILE=long (raise them by hand); the antipode cases that once failed are
# pinned (test_area_far_km__lune_with_the_antipode_near_its_edge).
FEW = settings(max_examples=examples(20), deadline=None, suppress_health_check=list(HealthCheck))
# The whole-Earth shapes (lunes, bands) have edges of thousands of km: fewer still.
WHOLE = settings(max_examples=examples(8), deadline=None, suppress_health_check=list(HealthCheck))


# ----------------------------------------------------------------------------------
# The reference


def ref_km(lon1, lat1, lon2, lat2) -> float:
    return GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


def ref_edge_km(a, b, p, best: float = math.inf, *, farthest: bool = False) -> float:
    """Nearest (or farthest) distance from p to the geodesic a-b, brute force, km."""
    line = GEOD.InverseLine(a[1], a[0], b[1], b[0])
    length = line.s13
    sign = -1.0 if farthest else 1.0

    def dist(s: float) -> float:
        pos = line.Position(s, POS)
        return GEOD.Inverse(p[1], p[0], pos["lat2"], pos["lon2"], Geodesic.DISTANCE)["s12"]

    d0, d1 = dist(0.0), dist(length)
    best_m = min(sign * d0, sign * d1)
    if not farthest:
        best_m = min(best_m, best * 1000.0)
    heap = [(sign * 0.5 * (d0 + d1) - 0.5 * length, 0.0, length, d0, d1)]
    while heap:
        bound, s0, s1, e0, e1 = heapq.heappop(heap)
        # Pieces are cut down to 0.5 m, or to sqrt(8 d eps) when d, the distance, is
        # larger: along a geodesic the distance curves by at most 1/d (second
        # derivative), so sampling such a piece misses its extremum by under eps = 1 cm.
        # Within 1,000 km of the antipode the distance has ridges (the cut locus, within
        # about 70 km of it) and no such curvature bound: searched down to 0.5 m there.
        stop = max(0.5, math.sqrt(8.0 * 0.01 * 0.5 * (e0 + e1)))
        if 0.5 * (e0 + e1) > HALF_MERIDIAN_M - 1.0e6:
            stop = 0.5
        if bound >= best_m - 1e-4 or s1 - s0 < stop:
            continue
        cuts = np.linspace(s0, s1, 5)
        ds = [e0] + [dist(s) for s in cuts[1:-1]] + [e1]
        best_m = min(best_m, *(sign * d for d in ds))
        for k in range(4):
            lb = sign * 0.5 * (ds[k] + ds[k + 1]) - 0.5 * (cuts[k + 1] - cuts[k])
            if lb < best_m - 1e-4:
                heapq.heappush(heap, (lb, cuts[k], cuts[k + 1], ds[k], ds[k + 1]))
    return sign * best_m / 1000.0


def ref_boundary_km(edges, p) -> float:
    best = math.inf
    # Nearest edges first, so that the bound prunes the others.
    order = sorted(edges, key=lambda e: min(ref_km(*e[0], *p), ref_km(*e[1], *p)))
    for a, b in order:
        best = min(best, ref_edge_km(a, b, p, best))
    return best


def ref_far_km(edges, p) -> float:
    return max(ref_edge_km(a, b, p, farthest=True) for a, b in edges)


def densify(a, b, step_km: float = 1.0) -> list[tuple[float, float]]:
    """Points of the geodesic a-b (b excluded) at most step_km apart, lon unrolled from a."""
    line = GEOD.InverseLine(a[1], a[0], b[1], b[0])
    n = max(1, math.ceil(line.s13 / 1000.0 / step_km))
    out = []
    for k in range(n):
        pos = line.Position(line.s13 * k / n, POS)
        out.append((a[0] + (pos["lon2"] - a[0]), pos["lat2"]))
    return out


def ref_region(area_rings):
    """Planar polygon of the rings densified along the geodesics (seams kept straight)."""
    parts = []
    for rings in area_rings:
        dense = []
        for ring in rings:
            pts = []
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                seam = (abs(a[0]) == 180 and a[0] == b[0]) or (abs(a[1]) == 90 and a[1] == b[1])
                pts += [a] if seam else densify(a, b)
            dense.append(pts)
        parts.append(Polygon(dense[0], dense[1:]))
    return shapely.union_all(parts)


def check_distance(area, area_rings, edges, points):
    ours = area_distance_km(area, [p[0] for p in points], [p[1] for p in points])
    region = None
    for p, got in zip(points, ours, strict=True):
        boundary = ref_boundary_km(edges, p)
        if boundary < 0.005:
            assert got <= boundary + 1e-3, (p, got, boundary)
            continue
        region = ref_region(area_rings) if region is None else region
        expected = 0.0 if shapely.intersects_xy(region, *p) else boundary
        assert got == pytest.approx(expected, abs=1e-3), (p, got, expected)


# ----------------------------------------------------------------------------------
# Strategies


def direct(lon, lat, az, km):
    out = GEOD.Direct(lat, lon, az, km * 1000.0)
    return out["lon2"], out["lat2"]


@st.composite
def star_areas(draw, max_radius_km=3000.0):
    """A star-shaped polygon around a random centre, counter-clockwise, valid."""
    lon = draw(st.floats(-150, 150))
    lat = draw(st.floats(-60, 60))
    radius = draw(st.floats(1.0, max_radius_km))
    n = draw(st.integers(3, 10))
    azimuths = sorted(draw(st.lists(st.floats(0, 360), min_size=n, max_size=n, unique=True)))
    gaps = np.diff(azimuths + [azimuths[0] + 360])
    # Star-shaped around the centre: it lies inside (no gap of half a turn or more),
    # else a thin sliver can fold over itself once its edges are read as geodesics.
    assume(min(gaps) > 5 and max(gaps) < 180)
    radii = draw(st.lists(st.floats(0.3, 1.0), min_size=n, max_size=n))
    ring = [direct(lon, lat, az, radius * r) for az, r in zip(azimuths, radii, strict=True)][::-1]
    polygon = Polygon(ring)
    assume(polygon.is_valid and max(x for x, _ in ring) - min(x for x, _ in ring) < 180)
    return polygon, [ring], list(zip(ring, ring[1:] + ring[:1], strict=True)), (lon, lat, radius)


@st.composite
def points_near(draw, edges, centre, count=6):
    """Points near edges (some within metres, on both sides) and around the area."""
    lon, lat, radius = centre
    points = []
    for _ in range(count):
        if draw(st.booleans()):
            a, b = draw(st.sampled_from(edges))
            line = GEOD.InverseLine(a[1], a[0], b[1], b[0])
            pos = line.Position(line.s13 * draw(st.floats(0.0, 1.0)), POS | Geodesic.AZIMUTH)
            offset = draw(st.one_of(st.floats(-0.02, 0.02), st.floats(-20.0, 20.0)))
            side = 90.0 if offset > 0 else -90.0
            x, y = direct(pos["lon2"], pos["lat2"], pos["azi2"] + side, abs(offset))
        else:
            x, y = direct(lon, lat, draw(st.floats(0, 360)), radius * draw(st.floats(0, 2.5)))
        points.append((x, y))
    return points


# ----------------------------------------------------------------------------------
# Distances


@FEW
@given(st.data())
def test_area_distance_km__star_polygons__match_geographiclib(data):
    area, rings, edges, centre = data.draw(star_areas(max_radius_km=300.0))
    check_distance(area, [rings], edges, data.draw(points_near(edges, centre)))


@FEW
@given(st.data())
def test_area_distance_km__large_polygons__match_geographiclib(data):
    area, rings, edges, centre = data.draw(star_areas(max_radius_km=4000.0))
    check_distance(area, [rings], edges, data.draw(points_near(edges, centre)))


def crossing_on_180(a, b):
    """The point where the geodesic a-b (lon unrolled) crosses lon 180, by bisection."""
    line = GEOD.InverseLine(a[1], a[0], b[1], b[0])
    lo, hi = 0.0, line.s13
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        x = line.Position(mid, POS)["lon2"]
        if (x - 180.0) * (a[0] - 180.0) > 0:
            lo = mid
        else:
            hi = mid
    return 180.0, line.Position(0.5 * (lo + hi), POS)["lat2"]


def split_at_180(ring):
    """A ring in unrolled longitudes around 180, as RFC 7946 parts and real edges."""
    full = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        full.append(a)
        if (a[0] - 180.0) * (b[0] - 180.0) < 0:
            full.append(crossing_on_180(a, b))
    polygon = Polygon(full)
    west = shapely.clip_by_rect(polygon, -360, -90, 180, 90)
    east = shapely.transform(
        shapely.clip_by_rect(polygon, 180, -90, 540, 90), lambda xy: xy - [360, 0]
    )
    parts = [p for g in (west, east) for p in shapely.get_parts(g) if not p.is_empty]
    area = MultiPolygon(parts)
    wrap = lambda p: (p[0] - 360.0 if p[0] > 180 else p[0], p[1])  # noqa: E731
    edges = [(wrap(a), wrap(b)) for a, b in zip(full, full[1:] + full[:1], strict=True)]
    rings = [[list(map(tuple, np.asarray(p.exterior.coords)[:-1]))] for p in parts]
    return area, rings, edges


@FEW
@given(st.data())
def test_area_distance_km__across_antimeridian__matches_geographiclib(data):
    lat = data.draw(st.floats(-60, 60))
    lon = data.draw(st.floats(178.0, 182.0))
    radius = data.draw(st.floats(20.0, 1500.0))
    n = data.draw(st.integers(4, 8))
    azimuths = np.sort(data.draw(st.lists(st.floats(0, 360), min_size=n, max_size=n, unique=True)))
    assume(np.diff(np.r_[azimuths, azimuths[0] + 360]).min() > 10)
    ring = []
    for az in azimuths[::-1]:
        x, y = direct(lon, lat, az, radius)
        ring.append((lon + ((x - lon + 180) % 360 - 180), y))
    assume(Polygon(ring).is_valid and min(x for x, _ in ring) < 180 < max(x for x, _ in ring))
    area, rings, edges = split_at_180(ring)
    assert area.geom_type == "MultiPolygon"
    points = data.draw(points_near(edges, (lon if lon <= 180 else lon - 360, lat, radius)))
    check_distance(area, rings, edges, points)


def test_area_distance_km__seam_is_not_boundary():
    # A 2 x 2 degree box split at the antimeridian: points next to the seam are inside.
    area = MultiPolygon(
        [shapely.box(179.0, 10.0, 180.0, 12.0), shapely.box(-180.0, 10.0, -179.0, 12.0)]
    )
    got = area_distance_km(area, [180.0, -180.0, 179.9999999, -179.9999999], [11.0] * 4)
    assert got.tolist() == [0.0] * 4
    # From outside, the distance is to the real boundary, not to the seam.
    edges = [((179.0, 12.0), (180.0, 12.0)), ((-180.0, 12.0), (-179.0, 12.0))]
    p = (180.0, 13.0)
    assert area_distance_km(area, *p) == pytest.approx(ref_boundary_km(edges, p), abs=1e-3)


def test_area_distance_km__edge_on_180_without_other_side_is_boundary():
    area = shapely.box(179.0, 10.0, 180.0, 12.0)
    p = (-179.99, 11.0)
    assert area_distance_km(area, *p) == pytest.approx(ref_km(180.0, 11.0, *p), abs=1e-3)


def pole_cap(lat0: float, lons, lats, south=False):
    """A cap around a pole: vertices at increasing lon from -180 to 180, closed along the pole."""
    ring = [(-180.0, lats[0])] + list(zip(lons, lats[1:], strict=True)) + [(180.0, lats[0])]
    pole = -90.0 if south else 90.0
    if south:  # the covered side on the left of travel: westward
        ring = ring[::-1]
        polygon = Polygon(ring + [(-180.0, pole), (180.0, pole)])
    else:
        polygon = Polygon(ring + [(180.0, pole), (-180.0, pole)])
    polygon = shapely.orient_polygons(polygon)
    edges = list(zip(ring[:-1], ring[1:], strict=True))
    return polygon, edges


@FEW
@given(st.data())
def test_area_distance_km__around_a_pole__matches_geographiclib(data):
    south = data.draw(st.booleans())
    n = data.draw(st.integers(3, 7))
    jitter = data.draw(st.lists(st.floats(-0.3, 0.3), min_size=n, max_size=n))
    lons = [-180.0 + 360.0 * (k + 0.5 + j) / n for k, j in enumerate(jitter)]
    lats = data.draw(st.lists(st.floats(70.0, 87.0), min_size=n + 1, max_size=n + 1))
    if south:
        lats = [-y for y in lats]
    area, edges = pole_cap(lats[0], lons, lats, south=south)
    assume(area.is_valid)
    # An edge spanning 180 degrees of longitude or more is ambiguous (refused, RFC 7946).
    assume(all(abs(b[0] - a[0]) < 180.0 for a, b in edges))
    rings = [[list(map(tuple, np.asarray(area.exterior.coords)[:-1]))]]
    pole = -90.0 if south else 90.0
    points = [
        (data.draw(st.floats(-180, 180)), pole * data.draw(st.floats(0.6, 1.0))) for _ in range(4)
    ]
    points += data.draw(points_near(edges, (0.0, pole, 1500.0), count=4))
    check_distance(area, rings, edges, points)
    # The pole itself and points beside the seams are inside.
    assert (
        area_distance_km(area, [0.0, 180.0, -180.0], [pole, pole * 0.999, pole * 0.999]).max()
        == 0.0
    )


# ----------------------------------------------------------------------------------
# Areas that touch a pole, close along both poles or span 180 degrees or more of
# longitude (lunes, hemispheres, bands, polar sectors). An edge from pole to pole is
# the meridian of its ends; in the reference it is cut at the equator, so that every
# reference edge is one unambiguous geodesic.


def meridian_edges(lon, north_first=False):
    """The meridian ``lon`` from pole to pole as two reference edges (cut at the equator)."""
    pts = [(lon, -90.0), (lon, 0.0), (lon, 90.0)]
    if north_first:
        pts = pts[::-1]
    return [(pts[0], pts[1]), (pts[1], pts[2])]


def lune(west: float, width: float):
    """A lune from ``west`` eastward over ``width`` degrees, split at +-180 if it crosses."""
    east = west + width
    if east <= 180.0:
        parts = [shapely.box(west, -90.0, east, 90.0)]
        rings = [
            [[(west, -90.0), (east, -90.0), (east, 0.0), (east, 90.0), (west, 90.0), (west, 0.0)]]
        ]
    else:
        east -= 360.0
        parts = [shapely.box(west, -90.0, 180.0, 90.0), shapely.box(-180.0, -90.0, east, 90.0)]
        rings = [
            [[(west, -90.0), (180.0, -90.0), (180.0, 90.0), (west, 90.0), (west, 0.0)]],
            [[(-180.0, -90.0), (east, -90.0), (east, 0.0), (east, 90.0), (-180.0, 90.0)]],
        ]
    edges = meridian_edges(east) + meridian_edges(west, north_first=True)
    area = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return area, rings, edges


def points_anywhere(data, edges, count=6):
    points = [
        (data.draw(st.floats(-180, 180)), data.draw(st.floats(-89.9, 89.9))) for _ in range(count)
    ]
    return points + data.draw(points_near(edges, (0.0, 0.0, 1000.0), count=3))


@WHOLE
@given(st.data())
def test_area_distance_km__lunes_and_hemispheres__match_geographiclib(data):
    west = data.draw(st.floats(-180.0, 179.0))
    width = data.draw(st.one_of(st.just(180.0), st.floats(1.0, 300.0)))
    area, rings, edges = lune(west, width)
    points = points_anywhere(data, edges)
    check_distance(area, rings, edges, points)
    # The farthest point: on a bounding meridian, or the antipode when the lune holds it.
    region = ref_region(rings)
    for p in points[:2]:
        antipode = (p[0] - 180.0 if p[0] > 0 else p[0] + 180.0, -p[1])
        if ref_boundary_km(edges, antipode) < 0.005:
            continue
        if shapely.intersects_xy(region, *antipode):
            expected = ref_km(0.0, 90.0, 0.0, -90.0)
        else:
            expected = ref_far_km(edges, p)
        assert area_far_km(area, *p) == pytest.approx(expected, abs=1e-3), p


@pytest.mark.parametrize(
    "west, width, p",
    [
        # The farthest point lies on a ridge of the distance (the cut locus) near the
        # antipode: the intercept iteration missed it by 380 m and 10 km before.
        (-122.69443663490875, 180.0, (56.39634205586606, 26.646864260314914)),
        (1.1946478069619388, 145.9926085560925, (-30.80717321792207, -89.61506195799645)),
    ],
)
def test_area_far_km__lune_with_the_antipode_near_its_edge(west, width, p):
    area, _, edges = lune(west, width)
    assert area_far_km(area, *p) == pytest.approx(ref_far_km(edges, p), abs=1e-3)


def band(south: float, north: float, lons):
    """A band between two latitudes around the world, vertices at ``lons`` on each side.

    Its south and north sides are geodesics between consecutive vertices (so they bow
    poleward), closed along +-180 (seams) or along a pole when a side is at +-90.
    """
    lower = [(-180.0, south)] + [(x, south) for x in lons] + [(180.0, south)]
    upper = [(180.0, north)] + [(x, north) for x in lons[::-1]] + [(-180.0, north)]
    ring = lower + upper
    edges = []
    for side in (lower, upper):
        if abs(side[0][1]) != 90.0:
            edges += list(zip(side[:-1], side[1:], strict=True))
    return Polygon(ring), [[ring]], edges


@WHOLE
@given(st.data())
def test_area_distance_km__bands_around_the_world__match_geographiclib(data):
    south = data.draw(st.sampled_from([-90.0, -60.0, -20.0, 0.0, 10.0]))
    north = data.draw(st.sampled_from([90.0, 0.0, 30.0, 70.0]))
    assume(north - south >= 10.0)
    n = data.draw(st.integers(1, 5))
    lons = [-180.0 + 360.0 * (k + 1) / (n + 1) for k in range(n)]
    assume(360.0 / (n + 1) < 180.0)
    area, rings, edges = band(south, north, lons)
    assume(area.is_valid)
    check_distance(area, rings, edges, points_anywhere(data, edges))


@WHOLE
@given(st.data())
def test_area_distance_km__polar_sector_touching_a_pole__matches_geographiclib(data):
    # A triangle with one vertex at the pole: its edges to the pole are meridians.
    pole = data.draw(st.sampled_from([90.0, -90.0]))
    lat = pole * data.draw(st.floats(0.3, 0.95))
    west = data.draw(st.floats(-180.0, 0.0))
    east = west + data.draw(st.floats(5.0, 170.0))
    ring = [(west, lat), (east, lat), (0.0, pole)]
    area = shapely.orient_polygons(Polygon(ring))
    edges = [((west, lat), (east, lat)), ((east, lat), (east, pole)), ((west, pole), (west, lat))]
    rings = [[[(west, lat), (east, lat), (east, pole), (west, pole)]]]
    assume(area.is_valid)
    check_distance(area, rings, edges, points_anywhere(data, edges))


def test_area_distance_km__western_hemisphere_from_berlin():
    # The case: every capital was at 0 km. Berlin is about 904 km from lon 0.
    west = shapely.box(-180.0, -90.0, 0.0, 90.0)
    got = area_distance_km(west, [13.40, 139.69, -3.70, -0.13], [52.52, 35.69, 40.42, 51.51])
    assert got[0] == pytest.approx(ref_boundary_km(meridian_edges(0.0), (13.40, 52.52)), abs=1e-3)
    assert round(got[0]) == 904
    assert got[1] > 3000.0  # Tokyo, 40.3 degrees of longitude from the +-180 meridian
    assert got[2] == 0.0 and got[3] == 0.0  # Madrid and London lie west of Greenwich


def test_area_distance_km__lune_over_the_atlantic():
    lune_area = shapely.box(-40.0, -90.0, -10.0, 90.0)
    tokyo, sydney = area_distance_km(lune_area, [139.69, 151.21], [35.69, -33.87])
    assert tokyo > 5000.0 and sydney > 5000.0


@pytest.mark.parametrize(
    "ring, match",
    [
        ([(0, -90), (30, 90), (0, 90), (0, -90)], "joins the poles but not along one meridian"),
        ([(-170, 10), (170, 10), (170, 20), (-170, 20), (-170, 10)], "spans 180 degrees"),
        ([(-90, 0), (90, 0), (90, 10), (-90, 10), (-90, 0)], "spans 180 degrees"),
    ],
)
def test_area_distance_km__ambiguous_edges_refused(ring, match):
    with pytest.raises(ParameterError, match=match):
        area_distance_km(Polygon(ring), 0.0, 0.0)


def test_area_distance_km__geodesic_edges_that_cross_refused():
    # A trapezoid, valid in lon/lat, whose long south side, followed as a geodesic,
    # bows north to about 88.8 N and so crosses the short north side (45 N).
    area = Polygon([(-89.0, 40.0), (89.0, 40.0), (10.0, 45.0), (-10.0, 45.0)])
    assert area.is_valid
    with pytest.raises(ParameterError, match="followed as geodesics"):
        area_distance_km(area, 0.0, 0.0)


def test_area_distance_km__hole():
    outer = [(20.0, 54.0), (23.0, 54.0), (23.0, 56.0), (20.0, 56.0)]
    hole = [(21.0, 54.8), (21.0, 55.2), (22.0, 55.2), (22.0, 54.8)]
    area = Polygon(outer, [hole])
    edges = list(zip(hole, hole[1:] + hole[:1], strict=True))
    p = (21.5, 55.0)
    assert area_distance_km(area, *p) == pytest.approx(ref_boundary_km(edges, p), abs=1e-3)
    assert area_distance_km(area, 20.5, 55.0) == 0.0


def test_area_distance_km__geodesic_edge_decides_inside():
    # The geodesic from (0, 60) to (40, 60) runs north of the parallel (about 62.3 N
    # in the middle): a point at 61 N is inside although the lon/lat chord is below.
    area = Polygon([(0.0, 50.0), (40.0, 50.0), (40.0, 60.0), (0.0, 60.0)])
    assert area_distance_km(area, 20.0, 61.0) == 0.0
    assert area_distance_km(area, 20.0, 63.0) > 0.0


def test_area_distance_km__scalar_and_shape():
    area = shapely.box(20.0, 54.0, 22.0, 55.0)
    assert isinstance(area_distance_km(area, 13.4, 52.52), float)
    assert area_distance_km(area, np.zeros((2, 3)), np.zeros((2, 3))).shape == (2, 3)


# ----------------------------------------------------------------------------------
# Farthest point


@FEW
@given(st.data())
def test_area_far_km__matches_geographiclib(data):
    area, rings, edges, centre = data.draw(star_areas(max_radius_km=2000.0))
    points = data.draw(points_near(edges, centre, count=3))
    ours = area_far_km(area, [p[0] for p in points], [p[1] for p in points])
    for p, got in zip(points, ours, strict=True):
        assert got == pytest.approx(ref_far_km(edges, p), abs=1e-3)


def test_area_far_km__holding_the_antipode_is_the_antipodal_distance():
    area = shapely.box(-170.0, -10.0, -150.0, 10.0)
    assert area_far_km(area, 20.0, 0.0) == pytest.approx(ref_km(0, 90, 0, -90), abs=1e-6)


# ----------------------------------------------------------------------------------
# Envelope


def assert_envelope(area, envelope, max_km, tol):
    assert envelope.is_valid
    xy = shapely.get_coordinates(envelope)
    # Seams (lon +-180, lat +-90) are where the drawing is cut, not its edge.
    real = (np.abs(xy[:, 0]) < 180.0 - 1e-9) & (np.abs(xy[:, 1]) < 90.0 - 1e-9)
    d = area_distance_km(area, xy[real, 0], xy[real, 1])
    on_area = d == 0.0  # vertices of the area itself, where the envelope is the area
    assert (np.abs(d[~on_area] - max_km) <= tol).all(), np.abs(d[~on_area] - max_km).max()
    assert np.all(xy[:, 0] >= -180.0) and np.all(xy[:, 0] <= 180.0)


def test_area_envelope__kaliningrad_500_km():
    area = load_areas()["kaliningrad-oblast"].geometry
    envelope = area_envelope(area, 500.0)
    assert envelope.geom_type == "Polygon"
    assert_envelope(area, envelope, 500.0, default_tolerance_km(500.0))
    # Well inside is covered, beyond the range plus the tolerance is not.
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(5, 40, 4000), rng.uniform(45, 65, 4000)
    d = area_distance_km(area, lon, lat)
    covered = shapely.intersects_xy(envelope, lon, lat)
    assert covered[d < 499.0].all()
    assert not covered[d > 501.0].any()


def test_area_envelope__across_antimeridian_is_split():
    area = MultiPolygon(
        [shapely.box(179.0, -18.0, 180.0, -16.0), shapely.box(-180.0, -18.0, -179.0, -16.0)]
    )
    envelope = area_envelope(area, 800.0)
    assert envelope.geom_type == "MultiPolygon"
    assert_envelope(area, envelope, 800.0, default_tolerance_km(800.0))
    assert shapely.intersects_xy(envelope, [175.0, -175.0], [-17.0, -17.0]).all()


def test_area_envelope__around_a_pole():
    area, _ = pole_cap(80.0, [-90.0, 0.0, 90.0], [80.0, 80.0, 80.0, 80.0])
    envelope = area_envelope(area, 1000.0)
    assert_envelope(area, envelope, 1000.0, default_tolerance_km(1000.0))
    assert shapely.intersects_xy(envelope, [0.0, 100.0], [90.0, 72.0]).all()
    assert not shapely.intersects_xy(envelope, 0.0, 60.0)


def test_area_envelope__near_a_pole_holds_it():
    area = shapely.box(10.0, 84.0, 20.0, 85.0)
    envelope = area_envelope(area, 1000.0)
    assert_envelope(area, envelope, 1000.0, default_tolerance_km(1000.0))
    assert shapely.intersects_xy(envelope, -170.0, 89.9)


def test_area_envelope__beyond_a_hemisphere():
    area = shapely.box(20.0, 54.0, 22.0, 55.0)
    envelope = area_envelope(area, 15_000.0)
    assert_envelope(area, envelope, 15_000.0, default_tolerance_km(15_000.0))
    assert not shapely.intersects_xy(envelope, -159.0, -54.5)  # the antipode


def test_area_envelope__min_km_cuts_the_dead_zone():
    area = shapely.box(20.0, 54.0, 20.2, 54.1)  # about 13 x 11 km
    envelope = area_envelope(area, 300.0, min_km=100.0)
    assert envelope.geom_type == "Polygon" and len(envelope.interiors) == 1
    hole = shapely.get_coordinates(envelope.interiors[0])
    far = area_far_km(area, hole[:, 0], hole[:, 1])
    assert np.abs(far - 100.0).max() <= default_tolerance_km(300.0)
    # A wide area has no dead zone.
    wide = area_envelope(shapely.box(20.0, 54.0, 23.0, 56.0), 300.0, min_km=100.0)
    assert wide.geom_type == "Polygon" and len(wide.interiors) == 0


@pytest.mark.parametrize(
    "area, min_km",
    [
        (shapely.box(-180.0, -90.0, 0.0, 90.0), 0.0),  # the western hemisphere
        (shapely.box(-40.0, -90.0, -10.0, 90.0), 0.0),  # a lune over the Atlantic
        (shapely.box(20.0, 54.0, 20.2, 54.1), 100.0),  # a dead zone cut out
        (shapely.box(20.0, 54.0, 20.2, 54.1), 499.99),  # nearly all of it dead zone
    ],
)
def test_area_envelope__valid_when_written(area, min_km):
    envelope = area_envelope(area, 500.0, min_km=min_km)
    assert envelope.is_valid and not envelope.is_empty
    if min_km == 0.0:
        assert_envelope(area, envelope, 500.0, default_tolerance_km(500.0))
    # As the writers round it: GeoJSON and KML to 6 decimals, the map to 4.
    assert shapely.set_precision(envelope, 1e-6, mode="pointwise").is_valid
    assert rounded(envelope, 6).is_valid and rounded(envelope, 4).is_valid


def test_area_envelope__200_vertices_at_500_km_is_fast():
    import time

    area = load_areas()["kaliningrad-oblast"].geometry
    area_envelope(area, 499.0)  # warm the cache of the prepared area
    start = time.perf_counter()
    area_envelope(area, 500.0)
    assert time.perf_counter() - start < 1.0


# ----------------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize(
    "area, error, match",
    [
        (shapely.Point(0, 0), ParameterError, "Polygon or MultiPolygon"),
        (Polygon(), ParameterError, "empty"),
        (Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), ParameterError, "not a valid polygon"),
        (Polygon([(0, 0), (1, 0), (1, 95), (0, 1)]), CoordinateError, "latitude"),
        (Polygon([(170, 0), (-170, 0), (-170, 1)]), ParameterError, "RFC 7946"),
    ],
)
def test_area_distance_km__bad_area(area, error, match):
    with pytest.raises(error, match=match):
        area_distance_km(area, 0.0, 0.0)


def test_area_distance_km__bad_points():
    with pytest.raises(CoordinateError, match="points: latitude"):
        area_distance_km(shapely.box(0, 0, 1, 1), 0.0, 91.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_km": -1.0}, "max_km"),
        ({"max_km": float("nan")}, "max_km"),
        ({"max_km": 100.0, "min_km": 100.0}, "min_km"),
        ({"max_km": 30_000.0}, "antipodal"),
        ({"max_km": 100.0, "tolerance_km": 0.0}, "tolerance_km"),
    ],
)
def test_area_envelope__bad_ranges(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        area_envelope(shapely.box(0, 0, 1, 1), **kwargs)


# ----------------------------------------------------------------------------------
# Files


def write(tmp_path, obj, name="area.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(obj) if not isinstance(obj, str) else obj, encoding="utf-8")
    return path


SQUARE = {"type": "Polygon", "coordinates": [[[20, 54], [21, 54], [21, 55], [20, 55], [20, 54]]]}


@pytest.mark.parametrize(
    "obj, name",
    [
        (SQUARE, "area"),
        ({"type": "Feature", "properties": {"name": "Box"}, "geometry": SQUARE}, "Box"),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": None, "geometry": SQUARE}],
            },
            "area",
        ),
    ],
)
def test_read_area_file__accepted(tmp_path, obj, name):
    got_name, geometry = read_area_file(write(tmp_path, obj))
    assert got_name == name and geometry.equals(shapely.box(20, 54, 21, 55))


@pytest.mark.parametrize(
    "obj, match",
    [
        ({"type": "Point", "coordinates": [0, 0]}, "expected a GeoJSON Polygon"),
        ({"type": "FeatureCollection", "features": []}, "features: expected exactly one feature"),
        (
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            },
            r"geometry\.type: expected a Polygon or MultiPolygon",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least 4 positions"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]},
            "end where it starts",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 91], [0, 0]]]}, "latitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, "numbers"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "not a valid",
        ),
        ("{", "JSON syntax error"),
    ],
)
def test_read_area_file__refused(tmp_path, obj, match):
    path = write(tmp_path, obj)
    with pytest.raises(DataError, match=match) as info:
        read_area_file(path)
    assert str(info.value).startswith(str(path))


def test_load_areas__kaliningrad():
    areas = load_areas()
    kgd = areas["kaliningrad-oblast"]
    assert isinstance(kgd, Area)
    assert (kgd.name, kgd.iso_3166_2) == ("Kaliningrad Oblast", "RU-KGD")
    assert kgd.source.publisher == "Natural Earth"
    west, south, east, north = kgd.geometry.bounds
    assert (
        19.5 < west < 19.7 and 22.8 < east < 22.9 and 54.3 < south < 54.4 and 55.2 < north < 55.35
    )
    # Chernyakhovsk (152nd Guards Missile Brigade) is inside; Vilnius is not.
    assert kgd.distance_km(21.81, 54.63) == 0.0
    assert 150 < kgd.distance_km(25.28, 54.69) < 250
    lon, lat = kgd.representative_point
    assert kgd.distance_km(lon, lat) == 0.0


def test_build_areas__rebuilds_the_file_byte_for_byte(tmp_path_factory):
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not on PATH: cannot install world-atlas to rebuild data/areas.geojson")
    prefix = tmp_path_factory.mktemp("npm-world-atlas")
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "world-atlas@2.0.2"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out = prefix / "areas.geojson"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_areas.py"),
            str(prefix / "node_modules" / "world-atlas" / "countries-10m.json"),
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == (ROOT / "data" / "areas.geojson").read_bytes()


@pytest.mark.parametrize("brute_pairs", [0, 10_000])
def test_point_tree__brute_force_and_scipy_give_the_same_distances(monkeypatch, brute_pairs):
    """An area's small queries are answered by brute force, large ones by scipy's k-d
    tree (and a mix, when a count is large but its groups are small): the same km."""
    from coverage import areas
    from coverage.areas import _PointTree, area_distance_km, load_areas

    oblast = load_areas()["kaliningrad-oblast"].geometry
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(5.0, 40.0, 300), rng.uniform(45.0, 65.0, 300)
    expected = np.asarray(area_distance_km(oblast, lon, lat))
    areas._prepare.cache_clear()
    monkeypatch.setattr(_PointTree, "BRUTE_PAIRS", brute_pairs)
    try:
        got = np.asarray(area_distance_km(oblast, lon, lat))
    finally:
        areas._prepare.cache_clear()
    np.testing.assert_array_equal(got, expected)
