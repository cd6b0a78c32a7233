"""Section 6: is each of many points within range of one site *and* in its sector?

Ours is :func:`coverage.sectors.within_sector`, exact: a proven bound on the
auxiliary sphere settles most points and only those near an edge of the band or
the sector are measured. The alternative is the exact rule on every point: one
``Geod.inv`` per point for distance and forward azimuth, then the band and sector
tests. Both are compared point by point, on uniform points around the site and on
points within hair-widths (1e-12 to 0.1 degrees, 1e-9 to 1 km) of the radial edges
and the circles, where any approximation alone would go wrong.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from coverage.sectors import Sector, within_sector

from .common import Record, median_time, size

GEOD = Geod(ellps="WGS84")

# (name, lon, lat, sector, max_km, min_km)
CASES = (
    ("30°–150° (east), 1,000 km from 10E 50N", 10.0, 50.0, Sector(30, 150), 1_000.0, 0.0),
    ("300°–60° (through north), 2,000 km from 10E 80N", 10.0, 80.0, Sector(300, 60), 2_000.0, 0.0),
    ("45°–135° over the antimeridian, 1,000 km from 179E 17S", 179.0, -17.0, Sector(45, 135),
     1_000.0, 0.0),
    ("0°–90°, 400-2,000 km from 20.5E 54.7N (annular)", 20.51, 54.71, Sector(0, 90), 2_000.0,
     400.0),
)


def _exact(lon, lat, sector, max_km, min_km, x, y):
    az, _, d = GEOD.inv(np.full(x.size, lon), np.full(x.size, lat), x, y)
    km = np.asarray(d) / 1000.0
    az = np.mod(np.asarray(az), 360.0)
    az[az >= 360.0] = 0.0
    return (km >= min_km) & (km <= max_km) & ((km == 0) | sector.contains(az))


def _around(rng, lon, lat, max_km, n):
    """Points uniform in the bounding box of the full circle, widened by 1 degree."""
    x, y, _ = GEOD.fwd(
        np.full(3600, lon), np.full(3600, lat), np.arange(3600) / 10.0, np.full(3600, max_km * 1e3)
    )
    dx = (np.asarray(x) - lon + 180.0) % 360.0 - 180.0
    px = rng.uniform(lon + dx.min() - 1.0, lon + dx.max() + 1.0, n)
    py = rng.uniform(max(np.min(y) - 1.0, -90.0), min(np.max(y) + 1.0, 90.0), n)
    return (px + 180.0) % 360.0 - 180.0, py


def _edges(rng, lon, lat, sector, max_km, min_km, n):
    """Points within hair-widths of both radial edges and of the circles."""
    hair = np.logspace(-12, -1, 12)
    az = rng.choice([sector.from_deg, sector.to_deg], n) + rng.choice(np.r_[hair, -hair], n)
    km = rng.uniform(min_km, max_km * 1.05, n)
    radii = [max_km] + ([min_km] if min_km else [])
    az2 = sector.from_deg + rng.uniform(0, sector.width_deg, n)
    km2 = rng.choice(radii, n) + rng.choice(np.r_[hair, -hair], n) * 10.0
    x, y, _ = GEOD.fwd(
        np.full(2 * n, lon), np.full(2 * n, lat), np.r_[az, az2] % 360.0, np.r_[km, km2] * 1e3
    )
    return np.asarray(x), np.asarray(y)


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    n = 200_000 if quick else 1_000_000
    edge = 25_000 if quick else 100_000
    records = []
    for name, lon, lat, sector, max_km, min_km in CASES:
        x, y = _around(rng, lon, lat, max_km, n)

        def ours(x=x, y=y):
            return within_sector(lon, lat, sector, x, y, max_km=max_km, min_km=min_km)

        def exact(x=x, y=y):
            return _exact(lon, lat, sector, max_km, min_km, x, y)

        ours_s = median_time(ours, 5)
        exact_s = median_time(exact, 3)
        got, want = ours(), exact()
        wrong = int((got != want).sum())
        ex, ey = _edges(rng, lon, lat, sector, max_km, min_km, edge)
        edge_wrong = int((ours(ex, ey) != exact(ex, ey)).sum())
        records.append(
            Record(
                f"sector decisions, {name}",
                size(n),
                ours_s,
                "exact Geod.inv (distance, azimuth) for every point",
                exact_s,
                note=f"disagreements with exact: {wrong} of {n:,} ({int(want.sum()):,} inside); "
                f"within hair-widths of the edges: {edge_wrong} of {ex.size:,}",
                target="ratio >= 3, 0 disagreements",
            )
        )
    return records
