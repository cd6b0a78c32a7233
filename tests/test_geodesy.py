"""Geodesy checked against the independent geographiclib package, never against ourselves."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import example, given
from hypothesis import strategies as st

from coverage import CoordinateError, ParameterError
from coverage.geodesy import (
    antipodal_distance_km,
    default_tolerance_km,
    destination,
    distance_km,
    distance_matrix_km,
    range_ring,
)

GEOD = Geodesic.WGS84
lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-90, 90, allow_nan=False)


def ref_km(lon1, lat1, lon2, lat2) -> float:
    return GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


@st.composite
def near_antipodal_pairs(draw):
    lon, lat = draw(lons), draw(lats)
    dlon, dlat = draw(st.floats(-0.5, 0.5)), draw(st.floats(-0.5, 0.5))
    lon2 = ((lon + 180.0 + dlon + 180.0) % 360.0) - 180.0
    lat2 = max(-90.0, min(90.0, -lat + dlat))
    return lon, lat, lon2, lat2


@given(lons, lats, lons, lats)
@example(0.0, 0.0, 180.0, 0.0)  # antipodal on the equator
@example(20.51, 54.71, 20.51, 54.71)  # same point
@example(-180.0, 10.0, 180.0, 10.0)  # the same meridian written twice
def test_distance_km__matches_geographiclib(lon1, lat1, lon2, lat2):
    assert distance_km(lon1, lat1, lon2, lat2) == pytest.approx(
        ref_km(lon1, lat1, lon2, lat2), abs=1e-6
    )


@given(near_antipodal_pairs())
def test_distance_km__near_antipodal__matches_geographiclib(pair):
    assert distance_km(*pair) == pytest.approx(ref_km(*pair), abs=1e-6)


def test_distance_km__broadcasts_sites_against_targets():
    sites = np.array([[20.51, 54.71], [21.81, 54.63]])
    targets = np.array([[13.40, 52.52], [21.01, 52.23], [24.11, 56.95]])
    km = distance_km(sites[:, 0, None], sites[:, 1, None], targets[None, :, 0], targets[None, :, 1])
    assert km.shape == (2, 3)
    for i, (slon, slat) in enumerate(sites):
        for j, (tlon, tlat) in enumerate(targets):
            assert km[i, j] == pytest.approx(ref_km(slon, slat, tlon, tlat), abs=1e-6)
    np.testing.assert_allclose(
        distance_matrix_km(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1]), km
    )


@pytest.mark.parametrize(
    "lon, lat, match",
    [
        (0, 91, "latitude"),
        (0, -90.5, "latitude"),
        (181, 0, "longitude"),
        (math.nan, 0, "longitude"),
        (0, math.inf, "latitude"),
        ("x", 0, "numbers"),
    ],
)
def test_distance_km__bad_coordinates__raise_coordinate_error(lon, lat, match):
    with pytest.raises(CoordinateError, match=match):
        distance_km(lon, lat, 0, 0)


def test_destination__matches_geographiclib():
    p = destination(20.51, 54.71, 247.0, 528.0)
    ref = GEOD.Direct(54.71, 20.51, 247.0, 528_000.0)
    assert p.lon == pytest.approx(ref["lon2"], abs=1e-9)
    assert p.lat == pytest.approx(ref["lat2"], abs=1e-9)


@given(lons, lats)
@example(0.0, 0.0)
@example(20.51, 54.71)
@example(-180.0, -90.0)
def test_antipodal_distance_km__matches_geographiclib_everywhere(lon, lat):
    antipode_lon = lon - 180.0 if lon > 0 else lon + 180.0
    assert antipodal_distance_km(lon, lat) == pytest.approx(
        ref_km(lon, lat, antipode_lon, -lat), abs=1e-6
    )


# --------------------------------------------------------------------------- range rings


def boundary_vertices(geom):
    """Vertices of the drawn circle, leaving out the synthetic cut edges at +-180 and +-90."""
    coords = shapely.get_coordinates(shapely.boundary(geom))
    keep = (np.abs(coords[:, 0]) < 180 - 1e-9) & (np.abs(coords[:, 1]) < 90 - 1e-9)
    return coords[keep]


def circle_edges(geom):
    """Edges of the drawn circle (pairs of consecutive vertices), without cut edges."""
    edges = []
    for line in getattr(shapely.boundary(geom), "geoms", [shapely.boundary(geom)]):
        xy = np.asarray(line.coords)
        for a, b in zip(xy[:-1], xy[1:], strict=False):
            on_cut = (abs(a[0]) >= 180 - 1e-9 and abs(b[0]) >= 180 - 1e-9) or (
                abs(a[1]) >= 90 - 1e-9 and abs(b[1]) >= 90 - 1e-9
            )
            if not on_cut:
                edges.append((a, b))
    return edges


def assert_ring_is_right(lon, lat, max_km, min_km=0.0, probes=400, seed=0):
    geom = range_ring(lon, lat, max_km, min_km=min_km)
    assert geom.is_valid, shapely.is_valid_reason(geom)
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    tol = default_tolerance_km(max_km)
    radii = [max_km] + ([min_km] if min_km else [])
    # every vertex of the drawn circle is at one of the stated ranges (+-1 m)
    for vx, vy in boundary_vertices(geom):
        d = ref_km(lon, lat, vx, vy)
        assert min(abs(d - r) for r in radii) < 1e-3, (vx, vy, d)
    # every drawn edge stays within the tolerance of the true circle
    rng = np.random.default_rng(seed)
    for a, b in circle_edges(geom):
        t = rng.uniform(0, 1)
        x, y = a + t * (b - a)
        d = ref_km(lon, lat, x, y)
        assert min(abs(d - r) for r in radii) <= tol, (a, b, t, d)
    # random points: the polygon agrees with the exact distance outside the tolerance band
    px = rng.uniform(-180, 180, probes)
    py = np.degrees(np.arcsin(rng.uniform(-1, 1, probes)))
    # and points close to the circle on both sides
    az = rng.uniform(0, 360, probes)
    off = rng.uniform(-3 * tol, 3 * tol, probes)
    near = [
        GEOD.Direct(lat, lon, a, max(0.0, max_km + o) * 1000) for a, o in zip(az, off, strict=False)
    ]
    px = np.r_[px, [p["lon2"] for p in near]]
    py = np.r_[py, [p["lat2"] for p in near]]
    inside = shapely.intersects_xy(geom, px, py)
    for x, y, got in zip(px, py, inside, strict=False):
        d = ref_km(lon, lat, x, y)
        if min_km + tol < d < max_km - tol:
            assert got, (x, y, d)
        elif d > max_km + tol or d < min_km - tol:
            assert not got, (x, y, d)
    return geom


@given(lons, lats, st.floats(1.0, 19_990.0))
@example(20.51, 54.71, 500.0)
@example(179.9, 0.0, 2000.0)
@example(0.0, 89.999, 100.0)
@example(-45.0, -89.5, 5000.0)
@example(89.8, 55.33, 18_000.0)
@example(0.0, 0.0, 10_001.97)  # the ring passes through both poles
def test_range_ring__right_everywhere__property(lon, lat, max_km):
    assert_ring_is_right(lon, lat, max_km, probes=150)


def test_range_ring__kaliningrad_500km__single_polygon():
    geom = assert_ring_is_right(20.51, 54.71, 500.0)
    assert geom.geom_type == "Polygon"
    assert shapely.contains_xy(geom, 21.01, 52.23)  # Warsaw, about 280 km
    assert not shapely.contains_xy(geom, 13.40, 52.52)  # Berlin, about 529 km


def test_range_ring__crosses_antimeridian__split_not_banded():
    geom = assert_ring_is_right(179.0, -17.0, 1000.0)
    assert geom.geom_type == "MultiPolygon"
    for part in geom.geoms:
        minx, _, maxx, _ = part.bounds
        assert maxx - minx < 20, "a part spans the map: the ring was wrapped, not split"
    assert shapely.contains_xy(geom, 179.0, -17.0)
    assert shapely.contains_xy(geom, -179.0, -17.0)
    assert not shapely.contains_xy(geom, 0.0, -17.0)


def test_range_ring__contains_north_pole__closed_along_it():
    geom = assert_ring_is_right(10.0, 80.0, 2000.0)
    assert geom.geom_type == "Polygon"
    assert shapely.intersects_xy(geom, 0.0, 90.0) and shapely.intersects_xy(geom, -170.0, 89.5)
    assert shapely.contains_xy(geom, 170.0, 85.0)  # across the pole from the centre
    assert geom.bounds[0] == -180 and geom.bounds[2] == 180 and geom.bounds[3] == 90


def test_range_ring__contains_south_pole__closed_along_it():
    geom = assert_ring_is_right(-60.0, -75.0, 3000.0)
    assert shapely.intersects_xy(geom, 100.0, -90.0) and shapely.contains_xy(geom, 120.0, -85.0)
    assert geom.bounds[1] == -90


def test_range_ring__centred_on_a_pole():
    north = assert_ring_is_right(0.0, 90.0, 1000.0)
    assert shapely.intersects_xy(north, 123.0, 90.0) and not shapely.contains_xy(north, 0.0, 80.0)
    south = assert_ring_is_right(0.0, -90.0, 3000.0)
    assert shapely.intersects_xy(south, -45.0, -80.0) and not shapely.contains_xy(south, 0.0, -60.0)


def test_range_ring__18000km__contains_both_poles_and_leaves_a_cap_at_the_antipode():
    lon, lat = 89.8, 55.33  # Uzhur
    geom = assert_ring_is_right(lon, lat, 18_000.0)
    assert shapely.intersects_xy(geom, 0.0, 90.0) and shapely.intersects_xy(geom, 0.0, -90.0)
    antipode = (lon - 180.0, -lat)
    assert not shapely.contains_xy(geom, *antipode)
    hole = shapely.box(-180, -90, 180, 90).difference(geom)
    hx, hy = hole.centroid.x, hole.centroid.y
    assert ref_km(hx, hy, *antipode) < 300, "the uncovered area is not centred on the antipode"
    assert ref_km(lon, lat, hx, hy) > 18_000


def test_range_ring__20000km__nearly_the_whole_world():
    lon, lat = 20.51, 54.71
    geom = assert_ring_is_right(lon, lat, 20_000.0)
    assert geom.area > 64_799 and not shapely.contains_xy(geom, lon - 180.0, -lat)


def test_range_ring__full_antipodal_distance__is_the_world():
    geom = range_ring(20.51, 54.71, antipodal_distance_km(20.51, 54.71))
    assert geom.equals(shapely.box(-180, -90, 180, 90))


def test_range_ring__annulus__has_a_hole_at_the_minimum_range():
    geom = assert_ring_is_right(21.81, 54.63, 500.0, min_km=50.0)
    assert not shapely.contains_xy(geom, 21.81, 54.63)
    assert len(geom.interiors) == 1
    assert shapely.contains_xy(geom, 21.01, 52.23)


def test_range_ring__annulus_across_the_antimeridian():
    assert_ring_is_right(180.0, 65.0, 1500.0, min_km=400.0)


def test_range_ring__tolerance_is_a_bound_not_a_count():
    coarse = range_ring(20.51, 54.71, 1000.0, tolerance_km=5.0)
    fine = range_ring(20.51, 54.71, 1000.0, tolerance_km=0.05)
    assert shapely.get_num_coordinates(fine) > 3 * shapely.get_num_coordinates(coarse)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(lon=0, lat=91, max_km=100), CoordinateError, "latitude"),
        (dict(lon=math.nan, lat=0, max_km=100), CoordinateError, "longitude"),
        (dict(lon=0, lat=0, max_km=-5), ParameterError, "max_km"),
        (dict(lon=0, lat=0, max_km=0), ParameterError, "max_km"),
        (dict(lon=0, lat=0, max_km=math.inf), ParameterError, "max_km"),
        (dict(lon=0, lat=0, max_km=100, min_km=100), ParameterError, "min_km"),
        (dict(lon=0, lat=0, max_km=100, min_km=-1), ParameterError, "min_km"),
        (dict(lon=0, lat=0, max_km=25_000), ParameterError, "antipodal"),
        (dict(lon=0, lat=0, max_km=100, tolerance_km=0), ParameterError, "tolerance_km"),
        (dict(lon=0, lat=0, max_km=1e-300), ParameterError, "1 mm"),
        (dict(lon=0, lat=0, max_km=1, min_km=4.9e-231), ParameterError, "1 mm"),
    ],
)
def test_range_ring__bad_input__raises_documented_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        range_ring(kwargs.pop("lon"), kwargs.pop("lat"), kwargs.pop("max_km"), **kwargs)
