"""Section 5: nearest sites and in-range flags for many sites x many targets.

Ours is :mod:`coverage.bulk` (k-d tree pruning on chords, exact geodesics for the
candidates, blocks on every core). The alternative is brute force at the C limit:
``Geod.inv`` on every pair, on one core, in blocks; it is timed on a subset of the
sites and scaled, since all of 10,000 x 50,000 takes 5 to 7 minutes. Each run is a
separate process, so that its peak memory (``VmHWM``, the high-water mark of its
resident set) is its own; before timing, a tiny call loads scipy, Dask and pyproj's
transformer, which a real session pays once.

Sites are in the Europe box. Targets are in the Europe box too (the common case) or
spread over the whole globe (every city on Earth against European sites: the far
targets have many candidate sites, so pruning saves less).

``python -m benchmarks.scale --worker JOB SITES TARGETS SPREAD`` runs one job and
prints its timings as JSON; :func:`run` starts those processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np

from .common import Record, europe_points, median_time, size

SUBSET = 100  # sites timed for brute force


def _status_mb(field: str) -> float:
    """A memory field of /proc/self/status (VmRSS: now, VmHWM: peak) in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _inputs(n: int, m: int, spread: str):
    rng = np.random.default_rng(2026)
    slon, slat = europe_points(rng, n)
    if spread == "world":  # uniform on the sphere
        tlon, tlat = rng.uniform(-180.0, 180.0, m), np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, m)))
    else:
        tlon, tlat = europe_points(rng, m)
    max_km = rng.uniform(50.0, 500.0, n)
    return slon, slat, tlon, tlat, max_km


def _brute_nearest(slon, slat, tlon, tlat):
    """Nearest site by measuring every pair, one site at a time (one core)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    best = np.full(tlon.size, np.inf)
    index = np.zeros(tlon.size, dtype=np.int64)
    for i in range(slon.size):
        _, _, d = geod.inv(np.full(tlon.size, slon[i]), np.full(tlon.size, slat[i]), tlon, tlat)
        km = np.asarray(d) / 1000.0
        closer = km < best
        best[closer], index[closer] = km[closer], i
    return best, index


def worker(job: str, n: int, m: int, spread: str) -> dict:
    from coverage.bulk import nearest_site, within_reach

    slon, slat, tlon, tlat, max_km = _inputs(n, m, spread)
    if job != "distributed":  # warm up: imports, the transformer, Dask's thread pool
        engine = "serial" if job == "brute" else job.split("-", 1)[1]
        nearest_site(slon[:4], slat[:4], tlon[:4], tlat[:4], chunk_size=2, engine=engine)
    out: dict = {"rss_before_mb": _status_mb("VmRSS")}
    start = time.perf_counter()
    if job == "brute":
        k = min(SUBSET, n)
        best, index = _brute_nearest(slon[:k], slat[:k], tlon, tlat)
        out["seconds"] = (time.perf_counter() - start) * n / k
        check = nearest_site(slon[:k], slat[:k], tlon, tlat, engine="serial")
        out["identical"] = bool(
            np.array_equal(check.distance_km, best) and np.array_equal(check.site_index, index)
        )
        out["subset"] = k
    elif job == "distributed":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster),
        ):
            nearest_site(slon[:4], slat[:4], tlon[:4], tlat[:4], chunk_size=2, engine="dask")
            out["seconds"] = median_time(
                lambda: nearest_site(slon, slat, tlon, tlat, engine="dask"), 3
            )
    elif job.startswith("nearest-"):
        engine = job.removeprefix("nearest-")
        out["seconds"] = median_time(lambda: nearest_site(slon, slat, tlon, tlat, engine=engine), 3)
    elif job.startswith("reach-"):
        engine = job.removeprefix("reach-")
        out["seconds"] = median_time(
            lambda: within_reach(slon, slat, tlon, tlat, max_km, engine=engine), 3
        )
    else:
        raise SystemExit(f"unknown job {job!r}")
    out["peak_mb"] = _status_mb("VmHWM")
    return out


def _spawn(job: str, n: int, m: int, spread: str = "europe") -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--worker", job, str(n), str(m), spread],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    n, m = (2_000, 10_000) if quick else (10_000, 50_000)
    label = size(n, m)
    matrix_mb = n * m * 8 / 1e6
    auto = _spawn("nearest-auto", n, m)
    serial = _spawn("nearest-serial", n, m)
    brute = _spawn("brute", n, m)
    reach = _spawn("reach-auto", n, m)
    world = _spawn("nearest-auto", n, m, "world")
    world_serial = _spawn("nearest-serial", n, m, "world")
    world_brute = _spawn("brute", n, m, "world")
    cluster = _spawn("distributed", n, m, "world")

    def memory(r: dict) -> str:
        return (
            f"peak RSS {r['peak_mb']:,.0f} MB ({r['rss_before_mb']:,.0f} MB before the call); "
            f"the full matrix would be {matrix_mb:,.0f} MB"
        )

    return [
        Record(
            "nearest site, exact, all cores (engine auto: Dask, local threads)",
            label,
            auto["seconds"],
            "brute force: Geod.inv on every pair, one core",
            brute["seconds"],
            note=f"{memory(auto)}; brute force timed on {brute['subset']} sites and scaled; "
            f"answers on those sites identical: {brute['identical']}",
            target="< 20 s, identical answers",
        ),
        Record(
            "nearest site, speed-up over one core",
            label,
            auto["seconds"],
            "the same on one core (engine='serial')",
            serial["seconds"],
            note=memory(serial),
        ),
        Record(
            "in-range flags, ranges 50-500 km per site, all cores",
            label,
            reach["seconds"],
            "brute force: Geod.inv on every pair, one core (timed on 100 sites, scaled)",
            brute["seconds"],
            note=memory(reach),
        ),
        Record(
            "nearest site, targets over the whole globe, all cores",
            label,
            world["seconds"],
            "brute force: Geod.inv on every pair, one core",
            world_brute["seconds"],
            note=f"{memory(world)}; one core: {world_serial['seconds']:.2f} s; "
            f"answers on the brute-force subset identical: {world_brute['identical']}",
            target="< 20 s, identical answers",
        ),
        Record(
            "nearest site, targets over the whole globe, on a distributed.Client",
            label,
            cluster["seconds"],
            "the same on one core (engine='serial')",
            world_serial["seconds"],
            note="LocalCluster of 2 worker processes, same call with engine='dask'; "
            "cluster start-up not counted",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])))
    else:
        raise SystemExit("usage: python -m benchmarks.scale --worker JOB SITES TARGETS SPREAD")
