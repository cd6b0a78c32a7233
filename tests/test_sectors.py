"""Azimuth sectors checked against the independent geographiclib package."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coverage import CoordinateError, ParameterError
from coverage.geodesy import default_tolerance_km, inverse_km, range_ring, rounded
from coverage.sectors import MAX_SECTOR_KM, Sector, sector_polygon, within_sector

GEOD = Geodesic.WGS84
lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-90, 90, allow_nan=False)
azimuths = st.floats(0, 360, allow_nan=False)


def ref(lon1, lat1, lon2, lat2):
    """(km, azimuth in [0, 360)) from geographiclib."""
    g = GEOD.Inverse(lat1, lon1, lat2, lon2)
    az = g["azi1"] % 360.0
    return g["s12"] / 1000.0, (0.0 if az >= 360.0 else az)


def ref_direct(lon, lat, az, km):
    g = GEOD.Direct(lat, lon, az, km * 1000.0)
    return g["lon2"], g["lat2"]


def gap_deg(a, b):
    """Angle between two azimuths, degrees in [0, 180]."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def ref_inside(sector, az):
    """Independent reading of "clockwise from FROM to TO": the offset from FROM."""
    return (az - sector.from_deg) % 360.0 <= (sector.to_deg - sector.from_deg) % 360.0


# --------------------------------------------------------------------------- Sector


def test_sector__wraps_through_north():
    s = Sector(300, 60)
    assert s.width_deg == 120.0
    assert str(s) == "300°–60°"
    assert s.contains([300.0, 359.9, 0.0, 60.0, 60.1, 180.0, 299.9]).tolist() == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_sector__360_is_north_and_edges_are_included():
    s = Sector(270, 360)
    assert s.to_deg == 0.0 and s.width_deg == 90.0
    assert s.contains(0.0) is True and s.contains(270.0) is True and s.contains(90.0) is False
    assert Sector(0, 90).contains(-10.0) is False and Sector(0, 90).contains(370.0) is True


@pytest.mark.parametrize(
    "args, match",
    [
        ((10, 10), "same direction"),
        ((0, 360), "same direction"),
        ((-1, 10), "within \\[0, 360\\]"),
        ((10, 360.5), "within \\[0, 360\\]"),
        ((math.nan, 10), "within"),
        ((math.inf, 10), "within"),
        (("x", 10), "number of degrees"),
        ((True, 10), "number of degrees"),
    ],
)
def test_sector__bad_azimuths__raise_parameter_error_naming_sector(args, match):
    with pytest.raises(ParameterError, match=f"sector.*{match}"):
        Sector(*args)


@pytest.mark.parametrize(
    "text, expected", [("300,60", Sector(300, 60)), (" 45 , 135.5 ", Sector(45, 135.5))]
)
def test_sector_parse__valid(text, expected):
    assert Sector.parse(text) == expected


@pytest.mark.parametrize("text", ["300", "300,60,90", "a,b", "", "300;60", None, "nan,1"])
def test_sector_parse__invalid__raises_parameter_error_naming_sector(text):
    with pytest.raises(ParameterError, match="sector"):
        Sector.parse(text)


@given(azimuths, azimuths, st.floats(0, 360, exclude_max=True))
@example(300.0, 60.0, 60.0)
@example(300.0, 60.0, 300.0)
@example(0.0, 90.0, 0.0)
@example(350.0, 10.0, 359.99999999999994)
def test_sector_contains__matches_offset_reading(a, b, az):
    if a % 360.0 == b % 360.0:
        return
    s = Sector(a, b)
    lo, hi = s.from_deg, s.to_deg
    expected = lo <= az <= hi if lo < hi else (az >= lo or az <= hi)
    assert s.contains(az) is expected
    assert s.contains(np.array([az])).tolist() == [expected]


# --------------------------------------------------------------------------- inverse_km


@given(lons, lats, lons, lats)
@example(0.0, 90.0, 10.0, 0.0)  # from the North Pole: 180 - dlon
@example(0.0, -90.0, 10.0, 0.0)  # from the South Pole: dlon
@example(179.9, 10.0, -179.9, 10.0)  # across the antimeridian: east
@example(20.0, 10.0, 20.0, 80.0)  # due north: 0, not 360
def test_inverse_km__matches_geographiclib(lon1, lat1, lon2, lat2):
    km, az = inverse_km(lon1, lat1, lon2, lat2)
    ref_km, ref_az = ref(lon1, lat1, lon2, lat2)
    assert km == pytest.approx(ref_km, abs=1e-6)
    assert 0.0 <= az < 360.0
    if ref_km > 1e-3 and abs(ref_km - 20_003.93) > 50:  # direction defined and unique
        assert gap_deg(az, ref_az) < 1e-8


def test_inverse_km__arrays_broadcast_and_bad_input():
    km, az = inverse_km(0.0, 0.0, [0.0, 1.0], [1.0, 0.0])
    assert km.shape == az.shape == (2,)
    assert az.tolist() == pytest.approx([0.0, 90.0])
    with pytest.raises(CoordinateError, match="latitude"):
        inverse_km(0.0, 91.0, 0.0, 0.0)
    with pytest.raises(ParameterError, match="broadcast"):
        inverse_km(0.0, 0.0, [1.0, 2.0], [1.0, 2.0, 3.0])


@st.composite
def centres(draw):
    kind = draw(st.sampled_from(["any", "pole", "antimeridian"]))
    if kind == "pole":
        lat = draw(st.sampled_from([90.0, -90.0, 89.9999, -89.99, 88.5]))
        return draw(lons), lat
    if kind == "antimeridian":
        return draw(st.sampled_from([180.0, -180.0, 179.999, -179.99])), draw(lats)
    return draw(lons), draw(lats)


@settings(max_examples=300)
@given(centres(), lons, lats, azimuths, azimuths)
@example((0.0, 90.0), 60.0, 45.0, 300.0, 60.0)
@example((180.0, 10.0), -170.0, 10.0, 300.0, 60.0)
@example((20.0, 10.0), 20.0, 10.0, 100.0, 200.0)  # the origin: no direction
def test_sector_membership__matches_geographiclib(centre, lon2, lat2, a, b):
    if a % 360.0 == b % 360.0:
        return
    s = Sector(a, b)
    lon1, lat1 = centre
    km, az = inverse_km(lon1, lat1, lon2, lat2)
    ref_km, ref_az = ref(lon1, lat1, lon2, lat2)
    assert km == pytest.approx(ref_km, abs=1e-6)
    got = within_sector(lon1, lat1, s, [lon2], [lat2], max_km=20_004.0)[0]
    if ref_km == 0.0:
        assert got  # the origin is in every sector from 0 km
    elif ref_km > 1e-3 and abs(ref_km - 20_003.93) > 50:
        if min(gap_deg(ref_az, s.from_deg), gap_deg(ref_az, s.to_deg)) > 1e-8:
            assert got == ref_inside(s, ref_az)
            assert s.contains(az) == got


# --------------------------------------------------------------------------- within_sector

CASES = [
    # (lon, lat, sector, max_km, min_km)
    (10.0, 50.0, Sector(45, 165), 1_000.0, 0.0),
    (10.0, 80.0, Sector(300, 60), 2_000.0, 0.0),  # through north, holds the pole
    (179.0, -17.0, Sector(200, 340), 1_000.0, 0.0),  # across the antimeridian
    (20.51, 54.71, Sector(0, 90), 2_000.0, 400.0),  # annular
    (0.0, 90.0, Sector(10, 100), 3_000.0, 0.0),  # from the North Pole
    (-45.0, -89.999, Sector(350, 10), 5_000.0, 100.0),  # next to the South Pole
    (0.0, 0.0, Sector(0, 180), 18_000.0, 0.0),  # far side
]
IDS = ["europe", "north-wrap-pole", "antimeridian", "annulus", "at-pole", "near-pole", "far"]


def brute(lon, lat, sector, x, y, max_km, min_km):
    km, az = inverse_km(lon, lat, x, y)
    return (km >= min_km) & (km <= max_km) & ((km == 0) | sector.contains(az))


def adversarial(lon, lat, sector, max_km, min_km, rng, n=3_000):
    """Points on and within hair-widths of the radial edges and the circles."""
    xs, ys = [], []
    eps = np.r_[0.0, np.logspace(-12, -1, 12)]
    for edge in (sector.from_deg, sector.to_deg):
        az = edge + rng.choice(np.r_[eps, -eps], n)
        km = rng.uniform(min_km, max_km * 1.05, n)
        for a, d in zip(az, km, strict=True):
            x, y = ref_direct(lon, lat, a % 360.0, d)
            xs.append(x)
            ys.append(y)
    for radius in [max_km] + ([min_km] if min_km else []):
        km = radius + rng.choice(np.r_[eps, -eps], n) * radius
        az = rng.uniform(sector.from_deg, sector.from_deg + sector.width_deg + 5, n)
        for a, d in zip(az, km, strict=True):
            x, y = ref_direct(lon, lat, a % 360.0, d)
            xs.append(x)
            ys.append(y)
    # the origin, itself and written on the other side of +-180, the poles, the antipode
    xs += [lon, -lon if abs(lon) == 180 else lon, 0.0, 0.0, lon - 180.0 if lon > 0 else lon + 180]
    ys += [lat, lat, 90.0, -90.0, -lat]
    return np.clip(np.array(xs), -180, 180), np.clip(np.array(ys), -90, 90)


@pytest.mark.parametrize("lon, lat, sector, max_km, min_km", CASES, ids=IDS)
def test_within_sector__identical_to_brute_force(lon, lat, sector, max_km, min_km):
    rng = np.random.default_rng(13)
    x = rng.uniform(-180, 180, 100_000)
    y = np.degrees(np.arcsin(rng.uniform(-1, 1, 100_000)))
    near_x = ((lon + rng.normal(0, 20, 100_000) + 180) % 360) - 180
    near_y = np.clip(lat + rng.normal(0, 15, 100_000), -90, 90)
    ax, ay = adversarial(lon, lat, sector, max_km, min_km, rng, n=300)
    x, y = np.r_[x, near_x, ax], np.r_[y, near_y, ay]
    got = within_sector(lon, lat, sector, x, y, max_km=max_km, min_km=min_km)
    expected = brute(lon, lat, sector, x, y, max_km, min_km)
    assert got.dtype == bool and got.shape == x.shape
    assert (got == expected).all(), np.flatnonzero(got != expected)[:10]
    assert got[-5] == (min_km == 0)  # the origin


@pytest.mark.parametrize("lon, lat, sector, max_km, min_km", CASES[:4], ids=IDS[:4])
def test_within_sector__matches_geographiclib_away_from_ties(lon, lat, sector, max_km, min_km):
    rng = np.random.default_rng(3)
    x, y = adversarial(lon, lat, sector, max_km, min_km, rng, n=150)
    got = within_sector(lon, lat, sector, x, y, max_km=max_km, min_km=min_km)
    for xi, yi, g in zip(x, y, got, strict=True):
        km, az = ref(lon, lat, xi, yi)
        clear_az = km == 0 or min(gap_deg(az, sector.from_deg), gap_deg(az, sector.to_deg)) > 1e-9
        clear_km = abs(km - max_km) > 1e-7 and (min_km == 0 or abs(km - min_km) > 1e-7)
        if clear_az and clear_km:
            expected = min_km <= km <= max_km and (km == 0 or ref_inside(sector, az))
            assert g == expected, (xi, yi, km, az)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(lons=[[1.0, 2.0]], lats=[[1.0, 2.0]]), ParameterError, "lons, lats.*1-D"),
        (dict(lons=[1.0, 2.0], lats=[1.0]), ParameterError, "lons, lats.*same length"),
        (dict(sector=(300, 60)), ParameterError, "sector: must be a Sector"),
        (dict(max_km=-1.0), ParameterError, "max_km"),
        (dict(max_km=math.nan), ParameterError, "max_km"),
        (dict(min_km=500.0), ParameterError, "min_km"),
        (dict(lon=[0.0, 1.0], lat=[0.0, 1.0]), ParameterError, "one centre"),
        (dict(lats=[91.0, 0.0]), CoordinateError, "latitude"),
    ],
)
def test_within_sector__bad_input__raises_documented_error(kwargs, error, match):
    args = dict(lon=0.0, lat=0.0, sector=Sector(0, 90), lons=[1.0, 2.0], lats=[1.0, 2.0])
    args.update(kwargs)
    band = dict(max_km=args.pop("max_km", 500.0), min_km=args.pop("min_km", 0.0))
    with pytest.raises(error, match=match):
        within_sector(args["lon"], args["lat"], args["sector"], args["lons"], args["lats"], **band)


def test_within_sector__empty():
    assert within_sector(0.0, 0.0, Sector(0, 90), [], [], max_km=10.0).shape == (0,)


# --------------------------------------------------------------------------- sector_polygon

POLYGON_CASES = CASES[:6] + [
    (0.0, 80.0, Sector(0, 90), 2_000.0, 0.0),  # the FROM edge runs through the North Pole
    (0.0, 80.0, Sector(90, 270), 2_000.0, 0.0),  # facing south: no pole
    (0.0, 80.0, Sector(0, 180), 1_116.0, 0.0),  # the arc passes (about) the pole
    (0.0, -90.0, Sector(200, 100), 12_000.0, 500.0),  # from the South Pole, 260 degrees
    (-180.0, 65.0, Sector(0, 359.5), 1_500.0, 400.0),  # nearly a full annulus at +-180
    (30.0, 10.0, Sector(90, 270), 19_000.0, 0.0),  # beyond 3/4 of the antipodal distance
]
POLYGON_IDS = IDS[:6] + [
    "edge-via-pole",
    "south-facing",
    "arc-via-pole",
    "south-pole-wide",
    "annulus-180",
    "19000km",
]


def cut(a, b):
    return (abs(a[0]) >= 180 - 1e-9 and abs(b[0]) >= 180 - 1e-9) or (
        abs(a[1]) >= 90 - 1e-9 and abs(b[1]) >= 90 - 1e-9
    )


def reduced_length_km(km):
    return 6371.0 * math.sin(min(km / 6371.0, math.pi))


@pytest.mark.parametrize("lon, lat, sector, max_km, min_km", POLYGON_CASES, ids=POLYGON_IDS)
def test_sector_polygon__right_everywhere(lon, lat, sector, max_km, min_km):
    geom = sector_polygon(lon, lat, max_km, sector, min_km=min_km)
    assert geom.is_valid, shapely.is_valid_reason(geom)
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.bounds[0] >= -180 and geom.bounds[2] <= 180
    tol = default_tolerance_km(max_km)
    radii = [max_km] + ([min_km] if min_km else [])

    def on_edge(x, y):
        """Which true edge a point is within ``slack`` km of: 'arc', 'radial', or None."""
        km, az = ref(lon, lat, x, y)
        arc = min(abs(km - r) for r in radii)
        radial = min(
            ref(x, y, *ref_direct(lon, lat, a, km))[0] for a in (sector.from_deg, sector.to_deg)
        )
        return km, az, arc, radial

    lines = shapely.boundary(geom)
    for line in getattr(lines, "geoms", [lines]):
        xy = np.asarray(line.coords)
        for a, b in zip(xy[:-1], xy[1:], strict=True):
            if cut(a, b):
                continue
            # vertices lie on the true boundary: exact azimuth or exact distance
            km, az, arc, radial = on_edge(*a)
            assert (
                km < 1e-6
                or arc < 1e-6
                or min(gap_deg(az, sector.from_deg), gap_deg(az, sector.to_deg)) < 1e-7
                or abs(a[1]) == 90  # a walk along a pole
                or abs(a[0]) == 180  # where an edge is cut at the antimeridian
            ), (a, km, az)
            # points along each drawn edge stay within the tolerance of the true boundary
            p = a + 0.37 * (b - a)
            _, _, arc, radial = on_edge(*p)
            assert min(arc, radial) <= tol, (a, b, arc, radial)

    # sample points clear of the boundary are inside or outside as the exact rule says
    rng = np.random.default_rng(11)
    x = np.r_[rng.uniform(-180, 180, 300), ((lon + rng.normal(0, 30, 300) + 180) % 360) - 180]
    y = np.r_[
        np.degrees(np.arcsin(rng.uniform(-1, 1, 300))),
        np.clip(lat + rng.normal(0, 20, 300), -90, 90),
    ]
    drawn = shapely.intersects_xy(geom, x, y)
    for xi, yi, got in zip(x, y, drawn, strict=True):
        km, az = ref(lon, lat, xi, yi)
        lateral = min(
            reduced_length_km(km) * math.sin(math.radians(min(90.0, gap_deg(az, e))))
            for e in (sector.from_deg, sector.to_deg)
        )
        if min(abs(km - r) for r in radii) <= tol or lateral <= 3 * tol or km < 3 * tol:
            continue
        expected = min_km <= km <= max_km and ref_inside(sector, az)
        assert got == expected, (xi, yi, km, az)


def test_sector_polygon__across_the_antimeridian__split_not_banded():
    geom = sector_polygon(179.0, -17.0, 1_000.0, Sector(45, 135))  # facing east, over +-180
    assert geom.geom_type == "MultiPolygon"
    for part in geom.geoms:
        assert part.bounds[2] - part.bounds[0] < 20
    assert shapely.contains_xy(geom, -177.0, -17.0)
    assert not shapely.contains_xy(geom, 176.0, -17.0)  # west of the origin


def test_sector_polygon__holds_the_pole_only_when_it_should():
    north = sector_polygon(10.0, 80.0, 2_000.0, Sector(300, 60))
    assert shapely.intersects_xy(north, 0.0, 90.0) and shapely.contains_xy(north, -170.0, 88.0)
    assert north.bounds[3] == 90
    south = sector_polygon(10.0, 80.0, 2_000.0, Sector(120, 240))
    assert south.bounds[3] < 80.5 and not shapely.intersects_xy(south, 0.0, 90.0)


def test_sector_polygon__from_a_pole_is_a_band_of_meridians():
    geom = sector_polygon(0.0, 90.0, 1_000.0, Sector(90, 180))
    # from the North Pole at lon 0, azimuth a leaves along meridian 180 - a
    assert geom.bounds == pytest.approx((0.0, 81.0, 90.0, 90.0), abs=0.1)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(max_km=MAX_SECTOR_KM + 1), ParameterError, "max_km"),
        (dict(max_km=0.0), ParameterError, "max_km"),
        (dict(min_km=600.0), ParameterError, "min_km"),
        (dict(min_km=1e-9), ParameterError, "1 mm"),
        (dict(tolerance_km=0.0), ParameterError, "tolerance_km"),
        (dict(sector="300,60"), ParameterError, "sector: must be a Sector"),
        (dict(lat=95.0), CoordinateError, "latitude"),
    ],
)
def test_sector_polygon__bad_input__raises_documented_error(kwargs, error, match):
    args = dict(lon=0.0, lat=0.0, max_km=500.0, sector=Sector(0, 90))
    args.update(kwargs)
    with pytest.raises(error, match=match):
        sector_polygon(
            args.pop("lon"), args.pop("lat"), args.pop("max_km"), args.pop("sector"), **args
        )


# ----------------------------------------------------------------------------------
# Valid geometry at every width: slivers and near-full circles


def assert_valid_when_written(geom):
    """Valid as drawn, and once rounded as the writers round (GeoJSON/KML 6, map 4 decimals)."""
    assert geom.is_valid and not geom.is_empty, shapely.is_valid_reason(geom)
    # What GeoJSON and KML write: each vertex rounded on its own, kept only when valid.
    assert shapely.set_precision(geom, 1e-6, mode="pointwise").is_valid
    for decimals in (6, 4):
        assert rounded(geom, decimals).is_valid


WIDTHS = [1e-9, 1e-7, 1e-5, 1e-3, 0.1, 10.0, 180.0, 350.0, 359.9, 360 - 1e-3, 360 - 1e-6]
WIDTHS += [360 - 1e-9, 360 - 1e-11]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("origin", [(20.51, 54.71), (179.99, -16.5), (10.0, 89.9)])
@pytest.mark.parametrize(
    "max_km, min_km", [(1.0, 0.0), (500.0, 0.0), (500.0, 499.9), (5000.0, 10.0)]
)
def test_sector_polygon__every_width_is_valid_when_written(width, origin, max_km, min_km):
    start = 350.0
    sector = Sector(start, (start + width) % 360.0)
    wedge = sector_polygon(*origin, max_km, sector, min_km=min_km)
    assert_valid_when_written(wedge)
    tol = default_tolerance_km(max_km)
    if width * math.pi / 180.0 * max_km <= tol:
        # A sliver is drawn tol wide: every drawn vertex is within tol of the true wedge.
        xy = shapely.get_coordinates(wedge)
        km, _ = inverse_km(origin[0], origin[1], xy[:, 0], xy[:, 1])
        assert km.max() <= max_km + tol
    if (360.0 - width) * math.pi / 180.0 * max_km <= tol:
        # A gap narrower than the tolerance: the whole ring or annulus.
        full = range_ring(*origin, max_km, min_km=min_km)
        assert wedge.symmetric_difference(full).area <= 1e-9 * full.area


@pytest.mark.parametrize("gap", [1e-1, 1e-3, 1e-6, 1e-9, 1e-11])
@pytest.mark.parametrize("origin", [(20.51, 54.71), (179.99, -16.5), (0.0, -89.0)])
def test_range_ring__annulus_with_min_close_to_max_is_valid_when_written(gap, origin):
    assert_valid_when_written(range_ring(*origin, 500.0, min_km=500.0 * (1.0 - gap)))


@pytest.mark.parametrize("sector", ["0,1e-9", "0,359.9999999999"])
def test_cli_rings__sliver_sectors_write_valid_polygons(tmp_path, run_cli, sector):
    geojson, kml = tmp_path / "s.geojson", tmp_path / "s.kml"
    for out in (geojson, kml):
        done = run_cli(
            "rings", "--range-km", "500", "--at", "20.51,54.71", "--sector", sector, "-o", str(out)
        )
        assert done.returncode == 0, done.stderr
    features = json.loads(geojson.read_text())["features"]
    polygons = [shapely.geometry.shape(f["geometry"]) for f in features]
    text = kml.read_text()
    for block in re.findall(r"<outerBoundaryIs>.*?</outerBoundaryIs>", text, flags=re.S):
        coords = re.search(r"<coordinates>(.*?)</coordinates>", block, flags=re.S).group(1)
        xy = [tuple(map(float, c.split(",")[:2])) for c in coords.split()]
        polygons.append(shapely.Polygon(xy))
    assert len(polygons) >= 2
    for polygon in polygons:
        assert polygon.is_valid and not polygon.is_empty, shapely.is_valid_reason(polygon)
