"""Section 6: distances from a launch area (Kaliningrad Oblast, 202 vertices) to many targets.

Ours is :func:`coverage.areas.area_distance_km`: exact to under a millimetre, with a
k-d tree and triangle bounds choosing the few edges worth an exact search. The
alternative is the obvious brute force at comparable accuracy: the boundary densified
along its geodesic edges every 10 m (about 72,000 points) and the geodesic distance
from each target to every one of those points (``Geod.inv`` at the C limit, one
target at a time, on one core), which is within a few metres of the exact answer
(10 m spacing) and says nothing about inside-ness (targets inside the oblast are left
out of the targets). Brute force is timed on a subset of the targets and scaled.
The preparation of the area (edges, trees) is included in our time: the cache is
cleared before each run. The largest difference between the two on the subset is
reported.

Second row: :func:`coverage.areas.area_envelope` at 500 km against the union of one
:func:`coverage.geodesy.range_ring` per vertex (each refined to the same tolerance).
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

from coverage import areas
from coverage.geodesy import range_ring

from .common import Record, europe_points, median_time, size

GEOD = Geod(ellps="WGS84")
SPACING_M = 10.0


def _densified(area) -> tuple[np.ndarray, np.ndarray]:
    xy = np.asarray(area.exterior.coords)
    lons, lats = [], []
    for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
        _, _, length = GEOD.inv(x1, y1, x2, y2)
        n = max(1, int(np.ceil(length / SPACING_M)))
        lons.append([x1])
        lats.append([y1])
        if n > 1:
            pts = np.asarray(GEOD.npts(x1, y1, x2, y2, n - 1))
            lons.append(pts[:, 0])
            lats.append(pts[:, 1])
    return np.concatenate(lons), np.concatenate(lats)


def _brute(blon, blat, tlon, tlat) -> np.ndarray:
    out = np.empty(tlon.size)
    for i in range(tlon.size):
        _, _, d = GEOD.inv(np.full(blon.size, tlon[i]), np.full(blon.size, tlat[i]), blon, blat)
        out[i] = d.min() / 1000.0
    return out


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    area = areas.load_areas()["kaliningrad-oblast"].geometry
    m = 5_000 if quick else 50_000
    subset = 20 if quick else 100
    tlon, tlat = europe_points(rng, 3 * m)
    outside = ~shapely.intersects_xy(area.buffer(0.05), tlon, tlat)
    tlon, tlat = tlon[outside][:m], tlat[outside][:m]

    def ours():
        areas._prepare.cache_clear()
        return areas.area_distance_km(area, tlon, tlat)

    ours_s = median_time(ours, 3 if quick else 5)
    blon, blat = _densified(area)
    brute_s = median_time(
        lambda: _brute(blon, blat, tlon[:subset], tlat[:subset]), 1 if quick else 3
    )
    brute_s *= m / subset
    exact = ours()[:subset]
    diff_m = float(np.abs(_brute(blon, blat, tlon[:subset], tlat[:subset]) - exact).max()) * 1000.0
    records = [
        Record(
            "launch area to targets, nearest-point distance",
            f"202-vertex area x {size(m)} targets",
            ours_s,
            f"brute force over the boundary every 10 m ({blon.size:,} points), "
            f"timed on {subset} targets and scaled",
            brute_s,
            note=f"largest difference on the timed targets: {diff_m:.2f} m (brute force's spacing)",
            target="ratio >= 10",
        )
    ]
    xy = np.asarray(area.exterior.coords)[:-1]

    def envelope():
        areas._prepare.cache_clear()
        return areas.area_envelope(area, 500.0)

    def naive():
        return shapely.union_all([range_ring(x, y, 500.0) for x, y in xy])

    records.append(
        Record(
            "launch area envelope, 500 km, display tolerance 1 km",
            "202-vertex area",
            median_time(envelope, 3),
            "union of range_ring at every vertex",
            median_time(naive, 1 if quick else 3),
            target="well under 1 s",
        )
    )
    return records
