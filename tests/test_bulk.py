"""Bulk distances and range decisions: identical to brute force on every engine.

The reference is the full distance matrix (every pair measured), and for distances
the independent geographiclib package. Dask runs both with its local scheduler and
on a real ``distributed.Client``.
"""

from __future__ import annotations

import functools
import math
import tracemalloc

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import example, given
from hypothesis import strategies as st

from coverage import CoordinateError, ParameterError, bulk, geodesy
from coverage.bulk import nearest_site, within_reach, within_ring
from coverage.geodesy import distance_km, distance_matrix_km, range_ring, range_rings

GEOD = Geodesic.WGS84
ENGINES = ("serial", "threads", "dask")
lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-90, 90, allow_nan=False)
points = st.lists(st.tuples(lons, lats), min_size=1, max_size=25)


def brute_nearest(sites, targets):
    km = distance_matrix_km(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1])
    return km.min(axis=0), km.argmin(axis=0)


def globe(rng, n):
    """``n`` points uniform on the sphere, (n, 2) lon/lat."""
    return np.c_[rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))]


# --------------------------------------------------------------------------- nearest site


@given(points, points, st.integers(1, 7), st.sampled_from(ENGINES))
@example([(0.0, 0.0), (0.0, 0.0)], [(1.0, 1.0)], 1, "serial")  # a tie: the lowest index
@example([(-180.0, 10.0), (180.0, 10.0)], [(180.0, 10.0)], 1, "serial")  # one meridian twice
@example([(0.0, 90.0), (120.0, 90.0)], [(50.0, -90.0), (0.0, 89.0)], 2, "threads")  # poles
@example([(0.0, 0.0)], [(180.0, 0.0), (179.5, 0.3)], 1, "dask")  # antipode: every site
def test_nearest_site__identical_to_brute_force(sites, targets, chunk_size, engine):
    s, t = np.array(sites), np.array(targets)
    got = nearest_site(s[:, 0], s[:, 1], t[:, 0], t[:, 1], chunk_size=chunk_size, engine=engine)
    best, index = brute_nearest(s, t)
    np.testing.assert_array_equal(got.distance_km, best)
    np.testing.assert_array_equal(got.site_index, index)


@functools.cache
def _many_points() -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """400 sites over Europe, 3,000 targets (half over the globe) and the brute-force answer.

    Measured once per worker for the three engines (1.2 million pairs).
    """
    rng = np.random.default_rng(7)
    sites = np.c_[rng.uniform(-10, 40, 400), rng.uniform(35, 70, 400)]
    targets = np.r_[
        globe(rng, 1_500), np.c_[rng.uniform(-10, 40, 1_500), rng.uniform(35, 70, 1_500)]
    ]
    return sites, targets, brute_nearest(sites, targets)


@pytest.mark.parametrize("engine", ENGINES)
def test_nearest_site__many_points__identical_to_brute_force(engine, monkeypatch):
    # A small pair budget forces the candidates of a block into several batches.
    monkeypatch.setattr(bulk, "PAIR_BUDGET", 500)
    sites, targets, (best, index) = _many_points()
    got = nearest_site(
        sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], chunk_size=700, engine=engine
    )
    np.testing.assert_array_equal(got.distance_km, best)
    np.testing.assert_array_equal(got.site_index, index)


def test_nearest_site__matches_geographiclib():
    rng = np.random.default_rng(3)
    sites, targets = globe(rng, 12), globe(rng, 40)
    got = nearest_site(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1])
    for j, (tlon, tlat) in enumerate(targets):
        ref = [GEOD.Inverse(b, a, tlat, tlon)["s12"] / 1000.0 for a, b in sites]
        assert got.distance_km[j] == pytest.approx(min(ref), abs=1e-6)
        assert ref[got.site_index[j]] == pytest.approx(min(ref), abs=1e-6)


def test_nearest_site__on_a_distributed_client__identical():
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is in [test]")
    rng = np.random.default_rng(11)
    sites, targets = globe(rng, 300), globe(rng, 3_000)
    km = distance_matrix_km(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1])
    best, index, flags = km.min(axis=0), km.argmin(axis=0), (km <= 900).any(axis=0)
    with (
        distributed.Client(
            processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as client,
        distributed.get_task_stream(client) as stream,
    ):
        got = nearest_site(
            sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], chunk_size=500, engine="dask"
        )
        reach = within_reach(
            sites[:, 0],
            sites[:, 1],
            targets[:, 0],
            targets[:, 1],
            900,
            chunk_size=500,
            engine="dask",
        )
    # The blocks (6 per call) ran as tasks on the cluster's workers.
    assert len(stream.data) >= 12
    np.testing.assert_array_equal(got.distance_km, best)
    np.testing.assert_array_equal(got.site_index, index)
    np.testing.assert_array_equal(reach, flags)


def test_nearest_site__memory_bounded_by_the_block_not_the_matrix():
    rng = np.random.default_rng(5)
    sites = np.c_[rng.uniform(-10, 40, 2_000), rng.uniform(35, 70, 2_000)]
    targets = np.c_[rng.uniform(-10, 40, 20_000), rng.uniform(35, 70, 20_000)]
    tracemalloc.start()
    try:
        nearest_site(
            sites[:, 0],
            sites[:, 1],
            targets[:, 0],
            targets[:, 1],
            chunk_size=4_000,
            engine="serial",
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    matrix = 2_000 * 20_000 * 8  # 320 MB
    assert peak < matrix / 20, f"peak {peak / 1e6:.0f} MB"


# --------------------------------------------------------------------------- in-range flags


@given(
    points,
    points,
    st.lists(st.floats(1, 20_000), min_size=1, max_size=1),
    st.floats(0, 1),
    st.sampled_from(ENGINES),
)
@example([(20.51, 54.71)], [(21.01, 52.23), (20.51, 54.71)], [500.0], 0.5, "serial")  # dead zone
def test_within_reach__identical_to_brute_force(sites, targets, top, dead, engine):
    s, t = np.array(sites), np.array(targets)
    rng = np.random.default_rng(len(sites) * 31 + len(targets))
    max_km = top[0] * rng.uniform(0.2, 1.0, len(s))
    min_km = np.where(rng.random(len(s)) < 0.5, dead * max_km, 0.0)
    km = distance_matrix_km(s[:, 0], s[:, 1], t[:, 0], t[:, 1])
    expected = ((km >= min_km[:, None]) & (km <= max_km[:, None])).any(axis=0)
    got = within_reach(
        s[:, 0], s[:, 1], t[:, 0], t[:, 1], max_km, min_km=min_km, chunk_size=3, engine=engine
    )
    np.testing.assert_array_equal(got, expected)


@given(points, points, st.floats(1, 20_000), st.sampled_from(ENGINES))
@example([(20.51, 54.71), (21.0, 52.0)], [(13.40, 52.52)], 529.6, "serial")  # Berlin at the edge
def test_within_reach__one_range_no_dead_zone__identical_to_brute_force(
    sites, targets, top, engine
):
    """The plain case (every site the same range, no minimum) asks only whether some
    site is within range, not which is nearest: the same flags as brute force."""
    s, t = np.array(sites), np.array(targets)
    km = distance_matrix_km(s[:, 0], s[:, 1], t[:, 0], t[:, 1])
    # Ranges at the targets' exact distances too: the edge is inclusive.
    for max_km in (top, float(km.min()), float(np.median(km))):
        expected = (km <= max_km).any(axis=0)
        got = within_reach(s[:, 0], s[:, 1], t[:, 0], t[:, 1], max_km, chunk_size=3, engine=engine)
        np.testing.assert_array_equal(got, expected)


def test_within_reach__dense_sites_with_dead_zones_identical_to_brute_force(monkeypatch):
    # 500 sites 50-500 km over 20 x 15 degrees (as dense as 3,000 over Europe): almost
    # every target near them lies within 50 km of some site, so the nearest site leaves
    # it open and the probes settle it; with this seed a few stay open after the probes,
    # for every candidate to settle. Targets reach well beyond the sites.
    left_open: list[int] = []
    every_candidate = bulk._every_candidate

    def counted(reach, tlon, tlat, xyz, open_, hit):
        left_open.append(open_.size)
        every_candidate(reach, tlon, tlat, xyz, open_, hit)

    monkeypatch.setattr(bulk, "_every_candidate", counted)
    rng = np.random.default_rng(21)
    s = np.c_[rng.uniform(0, 20, 500), rng.uniform(45, 60, 500)]
    t = np.c_[rng.uniform(-12, 32, 700), rng.uniform(37, 68, 700)]
    max_km = np.where(rng.random(500) < 0.1, 300.0, 500.0)
    min_km = np.full(500, 50.0)
    km = distance_matrix_km(s[:, 0], s[:, 1], t[:, 0], t[:, 1])
    expected = ((km >= min_km[:, None]) & (km <= max_km[:, None])).any(axis=0)
    got = within_reach(s[:, 0], s[:, 1], t[:, 0], t[:, 1], max_km, min_km=min_km)
    np.testing.assert_array_equal(got, expected)
    assert 0 < expected.sum() < expected.size
    in_dead_zone = km.min(axis=0) < 50.0  # of the nearest site, yet reached by another
    assert in_dead_zone.sum() > 50 and expected[in_dead_zone].all()
    assert sum(left_open) > 0  # the last resort ran too, not only the probes


def test_within_reach__one_range_for_all_sites():
    sites = np.array([[20.51, 54.71], [30.32, 59.94]])  # Kaliningrad, St Petersburg
    capitals = np.array([[13.40, 52.52], [24.75, 59.44], [21.01, 52.23], [2.35, 48.86]])
    got = within_reach(sites[:, 0], sites[:, 1], capitals[:, 0], capitals[:, 1], 500)
    assert got.tolist() == [False, True, True, False]  # Berlin 530 km, Tallinn, Warsaw, Paris


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nearest_site([], [], [0], [0]), "at least one site"),
        (lambda: nearest_site([0], [0], [0, 1, 2], [0, 1]), "3 longitudes but 2 latitudes"),
        (lambda: nearest_site([0, 1], [0, 1, 2], [0], [0]), "sites: 2 longitudes"),
        (lambda: nearest_site([0], [0], [0], [0], chunk_size="abc"), "chunk_size"),
        (lambda: nearest_site([0], [0], [0], [0], chunk_size=math.nan), "chunk_size"),
        (lambda: nearest_site([0], [0], [0], [0], chunk_size=True), "chunk_size"),
        (lambda: within_reach([0], [0], [0], [0], "abc"), "max_km: must be a number"),
        (lambda: within_reach([0], [0], [0], [0], 10, min_km=20), "must not exceed"),
        (lambda: within_ring(0, 0, 100, [0, 1, 2], [0, 1]), "3 longitudes but 2"),
        (lambda: within_ring([0, 1], [0, 1], 100, [0], [0]), "one centre"),
        (lambda: within_ring(0, 0, "x", [0], [0]), "max_km"),
        (lambda: nearest_site([0], [0], [0], [0], engine="gpu"), "engine must be one of"),
        (lambda: nearest_site([0], [0], [0], [0], chunk_size=0), "chunk_size"),
        (lambda: within_reach([0, 1], [0, 1], [0], [0], [1, 2, 3]), "one per site"),
        (lambda: within_reach([0], [0], [0], [0], -1), "max_km"),
        (lambda: within_ring(0, 0, 100, [0], [0], min_km=100), "min_km < max_km"),
    ],
)
def test_bulk__bad_parameters__raise_parameter_error(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


def test_bulk__bad_coordinates__say_which_set():
    with pytest.raises(CoordinateError, match=r"targets: latitude .* got 91\.0 \(item 1\)"):
        nearest_site([0], [0], [0, 0], [0, 91])
    with pytest.raises(CoordinateError, match="sites: longitude"):
        within_reach([math.nan], [0], [0], [0], 10)


# --------------------------------------------------------------------------- one ring, many points


RING_CASES = [
    ("Europe", 10.0, 50.0, 1_000.0, 0.0),
    ("antimeridian", 179.0, -17.0, 1_000.0, 0.0),
    ("holds the North Pole", 0.0, 80.0, 2_000.0, 0.0),
    ("annulus", 20.51, 54.71, 2_000.0, 400.0),
    ("beyond a hemisphere", 10.0, 50.0, 16_000.0, 0.0),
    ("outer ring is the world", 0.0, 0.0, 19_999.0, 100.0),
    ("tiny", 5.0, 5.0, 2.0, 0.0),
]


@pytest.mark.parametrize(
    "name, lon, lat, max_km, min_km", RING_CASES, ids=[c[0] for c in RING_CASES]
)
def test_within_ring__identical_to_exact_distance(name, lon, lat, max_km, min_km):
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    # Within +-1 km of each edge of the band, where a polygon test alone goes wrong.
    edges = [max_km] + ([min_km] if min_km else [])
    band = []
    for km in edges:
        n = 20_000
        x, y, _ = geodesy.WGS84.fwd(
            np.full(n, lon),
            np.full(n, lat),
            rng.uniform(0, 360, n),
            (km + rng.uniform(-1, 1, n)) * 1000,
        )
        band.append(np.c_[x, y])
    special = np.array([[180.0, 0.0], [-180.0, 0.0], [0.0, 90.0], [45.0, -90.0], [lon, lat]])
    pts = np.concatenate([globe(rng, 50_000), *band, special])
    got = within_ring(lon, lat, max_km, pts[:, 0], pts[:, 1], min_km=min_km)
    km = distance_km(lon, lat, pts[:, 0], pts[:, 1])
    np.testing.assert_array_equal(got, (km >= min_km) & (km <= max_km))
    # The band is hard: a 360-vertex polygon alone gets some of it wrong.
    if name == "Europe":
        poly = range_rings([lon], [lat], [max_km])[0]
        b = np.concatenate(band)
        naive = shapely.contains_xy(poly, b[:, 0], b[:, 1])
        exact = distance_km(lon, lat, b[:, 0], b[:, 1]) <= max_km
        assert (naive != exact).sum() > 100


def test_within_ring__dead_zone_just_above_the_margin():
    # min_km - margin is a few mm: the inner ring must not turn into the whole world.
    assert within_ring(20.51, 54.71, 100, [20.51], [55.5], min_km=3.00001).tolist() == [True]


def test_within_ring__keeps_the_shape_of_the_points():
    got = within_ring(20.51, 54.71, 500, [[13.40, 21.01]], [[52.52, 52.23]])
    assert got.shape == (1, 2) and got.tolist() == [[False, True]]


# --------------------------------------------------------------------------- distance matrix blocks


@pytest.mark.parametrize("n, m", [(37, 11), (5, 53)])
def test_distance_matrix_km__in_blocks__identical_to_one_call(n, m, monkeypatch):
    rng = np.random.default_rng(n * m)
    a, b = globe(rng, n), globe(rng, m)
    whole = distance_matrix_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    monkeypatch.setattr(geodesy, "_BLOCK_PAIRS", 7)  # many blocks, on threads
    blocked = distance_matrix_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    np.testing.assert_array_equal(blocked, whole)
    assert whole[3, 4] == pytest.approx(
        GEOD.Inverse(a[3, 1], a[3, 0], b[4, 1], b[4, 0])["s12"] / 1000, abs=1e-6
    )


# --------------------------------------------------------------------------- batched rings


EDGE_RINGS = [
    (10.0, 50.0, 1_000.0, "Polygon"),
    (179.0, -17.0, 1_000.0, "MultiPolygon"),  # split at the antimeridian
    (0.0, 80.0, 2_000.0, "Polygon"),  # closed along the North Pole
    (10.0, 50.0, 12_000.0, "Polygon"),  # beyond a hemisphere
    (0.0, 0.0, 15_000.0, "Polygon"),  # holds both poles
    (20.0, -60.0, 18_000.0, "Polygon"),  # far side: drawn by range_ring
]


def test_range_rings__topology_and_probes_match_exact_distance():
    lon, lat, km, kinds = (np.array(c) for c in zip(*EDGE_RINGS, strict=True))
    rings = range_rings(lon.astype(float), lat.astype(float), km.astype(float))
    rng = np.random.default_rng(1)
    probes = globe(rng, 20_000)
    for ring, clon, clat, r, kind in zip(rings, lon, lat, km, kinds, strict=True):
        assert ring.is_valid and ring.geom_type == kind, (clon, clat, r)
        assert shapely.contains_xy(ring, clon, clat)
        d = distance_km(clon, clat, probes[:, 0], probes[:, 1])
        inside = shapely.contains_xy(ring, probes[:, 0], probes[:, 1])
        clear = np.abs(d - r) > 0.002 * r + 1  # chord sag at 360 vertices is ~0.005 %
        np.testing.assert_array_equal(inside[clear], (d <= r)[clear])


def test_range_rings__vertices_at_the_exact_distance():
    rng = np.random.default_rng(2)
    centres = globe(rng, 30)
    km = rng.uniform(1, 14_000, 30)
    for ring, (clon, clat), r in zip(
        range_rings(centres[:, 0], centres[:, 1], km, vertices=64), centres, km, strict=True
    ):
        xy = shapely.get_coordinates(ring.boundary)
        # Skip vertices added on the cuts (+-180, the poles): they are not on the circle.
        on_cut = (np.abs(np.abs(xy[:, 0]) - 180) < 1e-9) | (np.abs(np.abs(xy[:, 1]) - 90) < 1e-9)
        xy = xy[~on_cut][::7]
        ref = [GEOD.Inverse(clat, clon, y, x)["s12"] / 1000.0 for x, y in xy]
        np.testing.assert_allclose(ref, r, atol=1e-6)


def test_range_rings__same_areas_as_range_ring():
    for clon, clat, r, _ in EDGE_RINGS[:5]:
        batch = range_rings([clon], [clat], [r])[0]
        single = range_ring(clon, clat, r)
        # Both follow the same circle; they differ only by chord sag (< 0.1 % of r).
        assert batch.symmetric_difference(single).area < 0.01 * single.area


@pytest.mark.parametrize("lon, lat", [(20.51, 54.71), (180.0, 45.0), (-180.0, -89.9)])
def test_range_rings__sub_metre_rings_are_tiny_not_the_world(lon, lat):
    # The covered side comes from a signed area; under a metre, absolute degrees
    # would round it to noise.
    for km in (1e-5, 5e-4):
        assert range_rings([lon], [lat], [km])[0].area < 1e-6
        assert range_ring(lon, lat, km).area < 1e-6


def test_range_ring__millimetres_short_of_the_antipode_is_nearly_the_world():
    far = geodesy.antipodal_distance_km(-17.0255, 57.6197) - 1.6e-6
    ring = range_ring(-17.0255, 57.6197, far)
    assert ring.area > 64_799.0 and shapely.contains_xy(ring, -17.0255, 57.6197)


def test_distance_matrix_km__one_latitude_for_a_set():
    km = distance_matrix_km(np.linspace(0, 10, 5), 50.0, [0.0, 20.0], 50.0)
    assert km.shape == (5, 2) and km[0, 0] == 0.0
    with pytest.raises(ParameterError, match="first set of points: 2 longitudes but 3"):
        distance_matrix_km([0, 1], [0, 1, 2], [0], [0])


@pytest.mark.parametrize(
    "args, message",
    [
        (([0], [0], [0]), "max_km"),
        (([0], [0], ["x"]), "max_km: must be a number"),
        (([0], [0], [25_000]), "antipodal"),
        (([0], [0], [math.inf]), "max_km"),
        (([0, 1], [0, 1], [1, 2, 3]), "broadcast"),
        (([[0]], [[0]], [[1]]), "1-D"),
    ],
)
def test_range_rings__bad_input__raise_parameter_error(args, message):
    with pytest.raises(ParameterError, match=message):
        range_rings(*args)
    for vertices in (4, "x", None, math.nan, 360.0, True):
        with pytest.raises(ParameterError, match="vertices"):
            range_rings([0], [0], [10], vertices=vertices)
