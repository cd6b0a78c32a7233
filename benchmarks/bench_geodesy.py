"""Benchmarks, run on demand: `.venv/bin/python benchmarks/bench_geodesy.py`.

Each line prints our time and the ratio against the obvious alternative measured in
the same run on the same inputs (ratio > 1: ours is slower than the alternative).

- distance matrix (sites x targets): coverage.distance_matrix_km vs a Python loop over
  geographiclib (the independent reference) and vs numpy haversine (fast but wrong
  by up to ~0.4 %, shown for scale);
- nearest site for 100,000 targets: coverage.nearest_km vs the same loop, extrapolated;
- range ring: coverage.range_ring (adaptive, topology fixed) vs the naive
  Geod.fwd + shapely.Polygon at 360 vertices (fast, and wrong at poles/antimeridian);
- the Kaliningrad claim end to end (load data, judge): absolute time only.
"""

from __future__ import annotations

import time

import numpy as np
from geographiclib.geodesic import Geodesic
from pyproj import Geod
from shapely.geometry import Polygon

from coverage.geodesy import distance_matrix_km, nearest_km, range_ring


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def haversine_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def main() -> None:
    rng = np.random.default_rng(0)
    sites = np.c_[rng.uniform(-10, 40, 100), rng.uniform(35, 70, 100)]
    targets = np.c_[rng.uniform(-10, 40, 5000), rng.uniform(35, 70, 5000)]
    n_pairs = len(sites) * len(targets)
    ours = best(
        lambda: distance_matrix_km(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1]), 3
    )
    g = Geodesic.WGS84
    sub = targets[:200]
    loop = (
        best(
            lambda: [
                [g.Inverse(a, b, c, d, Geodesic.DISTANCE) for c, d in sub[:, ::-1]]
                for b, a in sites[:5]
            ],
            1,
        )
        / (5 * 200)
        * n_pairs
    )
    hav = best(
        lambda: haversine_km(
            sites[:, 0, None], sites[:, 1, None], targets[None, :, 0], targets[None, :, 1]
        ),
        3,
    )
    print(
        f"distance matrix 100x5,000: {ours * 1e9 / n_pairs:,.0f} ns/pair; "
        f"geographiclib loop / ours = {loop / ours:,.1f}x; ours / haversine = {ours / hav:,.1f}x"
    )

    many = np.c_[rng.uniform(-30, 60, 100_000), rng.uniform(30, 72, 100_000)]
    t = best(lambda: nearest_km(sites[:3, 0], sites[:3, 1], many[:, 0], many[:, 1]), 3)
    loop_n = (
        best(lambda: [g.Inverse(55, 20, b, a, Geodesic.DISTANCE) for a, b in many[:300]], 1)
        / 300
        * 3
        * len(many)
    )
    print(
        f"nearest of 3 sites for 100,000 targets: {t * 1e3:,.0f} ms; geographiclib loop / ours = {loop_n / t:,.1f}x"
    )

    geod = Geod(ellps="WGS84")

    def naive(lon, lat, km):
        az = np.linspace(0, 360, 360, endpoint=False)
        lo, la, _ = geod.fwd(np.full(360, lon), np.full(360, lat), az, np.full(360, km * 1000))
        return Polygon(np.c_[lo, la])

    for label, args in (
        ("Kaliningrad 500 km", (20.51, 54.71, 500)),
        ("Fiji 1,000 km (antimeridian)", (179, -17, 1000)),
        ("80N 2,000 km (pole)", (0, 80, 2000)),
        ("Uzhur 18,000 km", (89.8, 55.33, 18000)),
    ):
        ours = best(lambda a=args: range_ring(*a), 7)
        alt = best(lambda a=args: naive(*a), 7)
        print(
            f"range ring, {label}: {ours * 1e3:,.2f} ms; ours / naive 360-vertex fwd+Polygon = {ours / alt:,.1f}x"
        )

    from coverage.claims import evaluate_claim, load_claims
    from coverage.systems import load_catalog

    t = best(lambda: evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog()), 5)
    print(f"Kaliningrad claim, load data and judge: {t * 1e3:,.0f} ms")


if __name__ == "__main__":
    main()
