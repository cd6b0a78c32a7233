"""Section 2: is each of many points within range of one launch site?

Ours is :func:`coverage.bulk.within_ring`, exact: polygons a margin inside and
outside the circle settle most points and only the rest are measured. The
alternative is measuring every point with ``pyproj.Geod.inv`` (exact alone). Both are
checked point by point, in bulk and on a band of points within +-1 km of the range,
where a polygon test alone gets many wrong.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

from coverage.bulk import within_ring
from coverage.geodesy import range_rings

from .common import Record, median_time, size

GEOD = Geod(ellps="WGS84")

# (name, lon, lat, max_km, min_km): a European ring, a large one, one across the
# antimeridian and an annulus with a minimum range.
CASES = (
    ("1,000 km from 10E 50N", 10.0, 50.0, 1_000.0, 0.0),
    ("3,000 km from 10E 50N", 10.0, 50.0, 3_000.0, 0.0),
    ("1,000 km from 179E 17S (antimeridian)", 179.0, -17.0, 1_000.0, 0.0),
    ("400-2,000 km from 20.5E 54.7N (annulus)", 20.51, 54.71, 2_000.0, 400.0),
)


def _exact(lon, lat, max_km, min_km, x, y):
    _, _, d = GEOD.inv(np.full(x.size, lon), np.full(x.size, lat), x, y)
    km = np.asarray(d) / 1000.0
    return (km >= min_km) & (km <= max_km)


def _bulk_points(rng, lon, lat, max_km, n):
    """Points uniform in the ring's bounding box widened by 1 degree.

    The box is taken around the centre in unwrapped longitudes, so that a ring split
    at +-180 gets its own box and not one spanning the whole world; points are then
    wrapped into [-180, 180].
    """
    x, y, _ = GEOD.fwd(
        np.full(3600, lon), np.full(3600, lat), np.arange(3600) / 10.0, np.full(3600, max_km * 1e3)
    )
    dx = (np.asarray(x) - lon + 180.0) % 360.0 - 180.0
    px = rng.uniform(lon + dx.min() - 1.0, lon + dx.max() + 1.0, n)
    py = rng.uniform(max(np.min(y) - 1.0, -90.0), min(np.max(y) + 1.0, 90.0), n)
    return (px + 180.0) % 360.0 - 180.0, py


def _band_points(rng, lon, lat, km, n):
    """Points at ``km`` +- up to 1 km from the centre, on random azimuths."""
    x, y, _ = GEOD.fwd(
        np.full(n, lon),
        np.full(n, lat),
        rng.uniform(0, 360, n),
        (km + rng.uniform(-1, 1, n)) * 1000.0,
    )
    return np.asarray(x), np.asarray(y)


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    n = 200_000 if quick else 1_000_000
    band = 50_000 if quick else 200_000
    records = []
    for name, lon, lat, max_km, min_km in CASES:
        x, y = _bulk_points(rng, lon, lat, max_km, n)
        ours = median_time(lambda: within_ring(lon, lat, max_km, x, y, min_km=min_km), 5)
        exact = median_time(lambda: _exact(lon, lat, max_km, min_km, x, y), 3)
        wrong = int(
            (
                within_ring(lon, lat, max_km, x, y, min_km=min_km)
                != _exact(lon, lat, max_km, min_km, x, y)
            ).sum()
        )
        edges = [max_km] + ([min_km] if min_km else [])
        bx, by = (
            np.concatenate(a)
            for a in zip(*(_band_points(rng, lon, lat, km, band) for km in edges), strict=True)
        )
        band_wrong = int(
            (
                within_ring(lon, lat, max_km, bx, by, min_km=min_km)
                != _exact(lon, lat, max_km, min_km, bx, by)
            ).sum()
        )
        # For scale: a 360-vertex polygon alone (fast, and wrong near the edge).
        poly = range_rings([lon], [lat], [max_km])[0]
        if min_km:
            poly = poly.difference(range_rings([lon], [lat], [min_km])[0])
        naive = shapely.contains_xy(poly, bx, by) != _exact(lon, lat, max_km, min_km, bx, by)
        records.append(
            Record(
                f"range decisions, {name}",
                size(n),
                ours,
                "exact Geod.inv for every point",
                exact,
                note=f"disagreements with exact: {wrong} of {n:,}; in the +-1 km band: "
                f"{band_wrong} of {bx.size:,} (a 360-vertex polygon alone: {int(naive.sum()):,})",
                target="ratio >= 3, 0 disagreements",
            )
        )
    return records
