"""Section 3: building range rings of 360 vertices, in batches.

Ours is :func:`coverage.geodesy.range_rings`: exact vertices from one vectorised
``Geod.fwd`` call plus the topology (antimeridian splits, poles, far side) as
shapely polygons. The alternative is raw ``Geod.fwd`` on the same vertices, which
gives points only, and wrong polygons at the antimeridian and the poles. The edge
cases are then compared with plain rings (ratio >= 0.33: within 3x).

The cost of the default drawing tolerance (0.1 % of the range, at least 5 m, issue
15) is timed against the former default, max(1 km, 0.1 %), on the small rings where
they differ (40-500 km: Patriot to Iskander), with the vertex counts as a note.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from coverage.geodesy import range_ring, range_rings

from .common import Record, europe_points, median_time

GEOD = Geod(ellps="WGS84")
VERTICES = 360

# (name, lon, lat, km): the cases of performance.md, section 2.
EDGE_CASES = (
    ("antimeridian, 1,000 km from 179E 17S", 179.0, -17.0, 1_000.0),
    ("pole, 2,000 km from 0E 80N", 0.0, 80.0, 2_000.0),
    ("beyond a hemisphere, 12,000 km from 10E 50N", 10.0, 50.0, 12_000.0),
    ("both poles, 15,000 km from 0E 0N", 0.0, 0.0, 15_000.0),
)


def _raw_fwd(lon, lat, km):
    azimuths = np.arange(VERTICES) * (360.0 / VERTICES)
    return GEOD.fwd(
        np.repeat(lon, VERTICES),
        np.repeat(lat, VERTICES),
        np.tile(azimuths, lon.size),
        np.repeat(km * 1000.0, VERTICES),
    )


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    k = 200 if quick else 1_000
    lon, lat = europe_points(rng, k)
    lat = np.minimum(lat, 60.0)  # plain rings: 3,000 km from 60N still misses the pole
    km = rng.uniform(300.0, 3_000.0, k)
    ours = median_time(lambda: range_rings(lon, lat, km), 7) / k
    raw = median_time(lambda: _raw_fwd(lon, lat, km), 7) / k
    records = [
        Record(
            "ring, 360 vertices, per ring in a batch",
            f"{k:,} rings, 300-3,000 km",
            ours,
            "raw Geod.fwd on the same vertices (points only)",
            raw,
            target="ratio >= 0.77 (within 1.3x)",
        )
    ]
    m = 50 if quick else 200
    for name, clon, clat, ckm in EDGE_CASES:
        # Centres jittered by up to half a degree so that no two rings are the same.
        elon = np.clip(clon + rng.uniform(-0.5, 0.5, m), -180.0, 180.0)
        elat = np.clip(clat + rng.uniform(-0.5, 0.5, m), -90.0, 90.0)
        edge = median_time(lambda: range_rings(elon, elat, np.full(m, ckm)), 5) / m
        records.append(
            Record(
                f"ring, 360 vertices, {name}",
                f"{m:,} rings",
                edge,
                "a plain ring (ours, row above)",
                ours,
                target="ratio >= 0.33 (within 3x of a plain ring)",
            )
        )
    records.extend(_tolerance_cost(quick))
    return records


def _tolerance_cost(quick: bool) -> list[Record]:
    """The relative default tolerance against the former 1 km floor, same rings."""
    out = []
    for km in (40.0, 160.0, 500.0):
        n = 20 if quick else 100
        centres = [(20.0 + 0.01 * i, 52.0) for i in range(n)]

        def draw(tol, centres=centres, km=km):
            return [range_ring(lon, lat, km, tolerance_km=tol) for lon, lat in centres]

        new = median_time(lambda km=km, draw=draw: draw(None), 5) / n
        old = median_time(lambda km=km, draw=draw: draw(max(1.0, 0.001 * km)), 5) / n
        vertices_new = len(range_ring(20.0, 52.0, km).exterior.coords)
        vertices_old = len(
            range_ring(20.0, 52.0, km, tolerance_km=max(1.0, 0.001 * km)).exterior.coords
        )
        out.append(
            Record(
                f"ring at the default tolerance (0.1 %), {km:,.0f} km",
                f"{n} rings",
                new,
                "the former default, max(1 km, 0.1 %)",
                old,
                note=f"{vertices_new} vertices against {vertices_old}",
                target="ratio >= 0.2 (within 5x of the coarse ring)",
            )
        )
    return out
