"""Big inputs and outputs stream: memory grows with the targets kept, not with the file or rows.

Writing: each run is a fresh subprocess that judges N targets, resets its peak resident
set (``5`` to /proc/self/clear_refs), writes the verdict, and reports how far the peak
(``VmHWM`` of /proc/self/status) rose above the resident set before the write.
Whole-document writers hold every row (and the whole file) in memory, about 2 KB per
target for xlsx (measured by hand before streaming: 100,000 targets peaked at 409 MB
writing xlsx against 217 MB without an output); streamed, the write adds a few MB
whatever N. Holding the rows as a list (:func:`coverage.exports.verdict_rows`) is
measured too, to show that the measurement sees growth where there is some.

Reading and the whole command: ``threat-coverage claim --targets FILE -o out.xlsx`` is
run for N targets and its peak resident set read at the end; the growth per target,
from two sizes, bounds the peak at the documented maximum of 1,000,000 targets
(:data:`coverage.targets.MAX_TARGETS`) without running it (93 s of CPU on this
machine). The larger size holds more targets than the swap hint measures at once
(:data:`coverage.where._CHUNK`), so both sizes take every path a million targets take
and the slope is the one such a run sees: on 2026-12-08 it gave 815 MiB for a million
targets, and the run itself peaked at 772 MiB.

What a million targets no longer hold, each checked against the eager answer it
replaced: flight times (worked out when read, :class:`coverage.stakes.FlightTimes`),
the order of every output (:func:`coverage.claims.nearest_first`, a numpy array) and
the swap hint's copy of the targets (:func:`coverage.where.locate_points` reads a
TargetSet's coordinates into two arrays and measures them in chunks).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/status"
)

#: Numbers of targets measured; the larger is above coverage.where._CHUNK (65,536).
SIZES = (2_000, 70_000)

STATUS = r"""
def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
"""

CHILD = (
    STATUS
    + r"""
import json, sys
from coverage.checks import Request, check
from coverage.exports import verdict_rows, write_verdict

path, fmt, out = sys.argv[1], sys.argv[2], sys.argv[3]
verdict = check(Request(range_km=500.0, points=((20.5, 54.7),), targets_file=path))
verdict.report  # the verdict's story (its stakes load the places): built once, before writing
import gc
gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status_mb("VmRSS")
if fmt == "rows":
    rows = verdict_rows(verdict)
else:
    write_verdict(out, verdict, fmt)
print(json.dumps({"before": before, "after": status_mb("VmHWM")}))
"""
)

CLI_CHILD = (
    STATUS
    + r"""
import json, sys
from coverage.cli import main

try:
    main(sys.argv[1:])
except SystemExit as stop:
    assert not stop.code, stop.code
print(json.dumps({"peak": status_mb("VmHWM")}))
"""
)


def _write_targets(path, n: int) -> None:
    """Write ``n`` named points as compact GeoJSON, names of about 50 characters.

    The shape of the 1,000,000-target file measured by hand (184 MB, under the
    200 MB limit): ``target 12345 xxx...``, a country, coordinates to 6 decimals.
    """
    import numpy as np

    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-10, 40, n).round(6), rng.uniform(35, 70, n).round(6)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(
            ",\n".join(
                json.dumps(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                        "properties": {"name": f"target {i} " + "x" * 40, "country": "Somewhere"},
                    },
                    separators=(",", ":"),
                )
                for i, (x, y) in enumerate(zip(lon, lat, strict=True))
            )
        )
        f.write("\n]}\n")


@pytest.fixture(scope="module")
def target_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    files = {}
    for n in SIZES:
        files[n] = folder / f"targets-{n}.geojson"
        _write_targets(files[n], n)
    return files


def _last_json(args: list[str]) -> dict:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def costs(target_files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    out = {}
    for fmt in ("xlsx", "csv", "rows"):
        for n, path in target_files.items():
            peaks = _last_json(
                [sys.executable, "-c", CHILD, str(path), fmt, str(folder / f"out-{n}.{fmt}")]
            )
            out[fmt, n] = peaks["after"] - peaks["before"]
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_write_verdict__memory_does_not_grow_with_rows(costs, fmt):
    # Measured on 2026-12-07 (2,000 and 40,000 targets): xlsx 1.7 and 3.9 MB, csv 0.0
    # and 2.1 MB (the rows' order and flight times, a few bytes per target, are all
    # that grows). On 2026-12-08, 2,000 and 70,000 targets, the order a numpy array of
    # 8 bytes per target, flight times worked out when read: xlsx 2.1 and 2.1 MB, csv 0.1
    # and 0.1 MB.
    small, big = costs[fmt, SIZES[0]], costs[fmt, SIZES[1]]
    assert big - small < 4, (small, big)
    held = costs["rows", SIZES[1]] - costs["rows", SIZES[0]]
    assert big - small < held / 3, (small, big, held)


def test_write_verdict__held_rows_grow_with_rows(costs):
    # The measurement sees growth where there is some: 38,000 more rows held in memory
    # (measured on 2026-12-07: 0.7 and 16.2 MB; on 2026-12-08, with the per-figure
    # column names made once per verdict instead of once per row: 0.4 and 10.1 MB;
    # 68,000 more rows, the same day: 0.6 and 18.4 MB).
    small, big = costs["rows", SIZES[0]], costs["rows", SIZES[1]]
    assert big - small > 6, (small, big)


@pytest.fixture(scope="module")
def claim_peaks(target_files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("claim")
    peaks = {}
    for n, path in target_files.items():
        args = ["claim", "--range-km", "500", "--at", "20.5,54.7", "--targets", str(path)]
        args += ["-o", str(folder / f"claim-{n}.xlsx"), "-q"]
        peaks[n] = _last_json([sys.executable, "-c", CLI_CHILD, *args])["peak"]
    return peaks


def _growth(claim_peaks) -> tuple[float, float]:
    """Return the peak's growth per target (bytes) and the peak it gives at MAX_TARGETS (MiB)."""
    from coverage.targets import MAX_TARGETS

    (n1, small), (n2, big) = sorted(claim_peaks.items())
    per_target = (big - small) / (n2 - n1)  # MiB per target
    return per_target * 2**20, small + per_target * (MAX_TARGETS - n1)


def test_claim_xlsx__peak_memory__grows_by_the_targets_kept_not_the_parsed_file(claim_peaks):
    # `claim --targets FILE -o out.xlsx`, the whole command's peak resident set. Measured
    # on 2026-12-08 (a loaded 2-core machine): 1,384 B per target when the file was
    # parsed whole by json.loads (about 1 KB of dicts per feature before any Target
    # existed); 870-915 B streamed (features read one by one, a Target with __slots__,
    # equal keys and countries kept once, flight times worked out per row); 747 B at
    # 2,000 and 70,000 targets (730 B at 40,000 and 200,000) once flight times are
    # worked out when read, the order is a numpy array and the swap hint reads two
    # arrays of coordinates. Of those about 430 B are the targets themselves (name, point,
    # properties) and 120 B the verdict's per-target reach and margins; the rest is
    # json's parsed text and the distances.
    per_target, _ = _growth(claim_peaks)
    assert per_target < 1000, f"{per_target:.0f} B per target ({claim_peaks})"


def test_claim_xlsx__peak_memory__under_1_gb_at_the_target_limit(claim_peaks):
    # Extrapolated from 2,000 and 40,000 targets: 980 MiB on 2026-12-08 before this
    # test was tightened; from 2,000 and 70,000 after: 815 MiB. Measured with
    # /usr/bin/time -v on 1,000,000 targets the same day: 1,050 MiB before (1,490 MiB
    # when the file was parsed whole, 3.1 GB before xlsx was streamed), 772 MiB after
    # (790,112 kB; 93 s of CPU, 3 min 41 s on the loaded machine). What went: 140 B per
    # target of the report's flight-time dicts (stakes.flight_times,
    # boosted_flight_times), 70 B of nearest_first's Python ints and floats while
    # sorting, 50 B of the terminal's swap hint (a tuple per target). 1 GB is 10**9 B.
    from coverage.targets import MAX_TARGETS

    _, at_limit = _growth(claim_peaks)
    assert at_limit * 2**20 < 1e9, f"{at_limit:.0f} MiB at {MAX_TARGETS:,} targets ({claim_peaks})"


# What the million-target paths hold instead, each against the eager answer it replaced.


@pytest.fixture(scope="module")
def timed_verdict():
    """A bundled claim with flight times: Iskander-M from Kaliningrad to the capitals."""
    from coverage.checks import Request, check

    return check(Request(systems=("iskander-m",), sites=("kaliningrad",)))


def test_flight_times__worked_out_when_read__the_dicts_flight_time_min_gives(timed_verdict):
    from coverage import stakes

    systems = stakes.verdict_systems(timed_verdict)
    eager = [
        {s.id: stakes.flight_time_min(s, r.distance_km) for s in systems}
        for r in timed_verdict.reaches
    ]
    times = stakes.flight_times(timed_verdict)
    assert len(times) == len(eager) == 51
    assert list(times) == eager and times == eager
    assert times[-1] == eager[-1] and times[3:6] == eager[3:6]
    assert timed_verdict.report.stakes.flight_min == eager
    # Kaliningrad to Berlin (529 km): about 5.6 minutes of minimum-energy free flight.
    berlin = next(j for j, r in enumerate(timed_verdict.reaches) if r.target.name == "Berlin")
    assert times[berlin]["iskander-m"] == pytest.approx(5.62, abs=0.01)


def test_boosted_flight_times__only_systems_with_a_sourced_boost(timed_verdict):
    from coverage import stakes

    boosted = [s for s in stakes.verdict_systems(timed_verdict) if s.boost_s is not None]
    eager = [
        {s.id: stakes.boosted_time_min(s, r.distance_km) for s in boosted}
        for r in timed_verdict.reaches
    ]
    assert list(stakes.boosted_flight_times(timed_verdict)) == eager


def test_nearest_first__numpy_order__same_as_a_stable_sort_of_the_distances(timed_verdict):
    from coverage.claims import nearest_first

    order = nearest_first(timed_verdict)
    distances = [r.distance_km for r in timed_verdict.reaches]
    assert order.tolist() == sorted(range(len(distances)), key=distances.__getitem__)
    assert timed_verdict.reaches[order[0]].target.name == "Warsaw"
    with pytest.raises(ValueError, match="read-only"):
        order[0] = 1


def test_nearest_first__ties_keep_the_given_order(tmp_path):
    from coverage.checks import Request, check
    from coverage.claims import nearest_first

    path = tmp_path / "ties.geojson"
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, 0.0]},
            "properties": {"name": name},
        }
        for name, lon in [("east", 1.0), ("far", 5.0), ("west", -1.0), ("here", 0.0)]
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    verdict = check(Request(range_km=500.0, points=((0.0, 0.0),), targets_file=str(path)))
    names = [verdict.reaches[j].target.name for j in nearest_first(verdict)]
    assert names == ["here", "east", "west", "far"]


def test_locate_points__target_set__same_hint_as_triples():
    from coverage.targets import load_targets
    from coverage.where import locate_points

    capitals = load_targets()
    triples = [(t.name, t.lon, t.lat) for t in capitals]
    points = [(54.7, 20.5), (20.51, 54.71)]
    from_set, from_triples = locate_points(points, capitals), locate_points(points, triples)
    assert from_set == from_triples
    hint = from_set[0][1]
    assert (hint.nearest_name, hint.swapped_name) == ("Baku", "Warsaw")
    assert from_set[1] == (from_set[1][0], None) and from_set[1][0].iso_a2 == "RU"


def test_swap_hint__nearest_found_across_chunks_first_of_equals(monkeypatch):
    import numpy as np

    from coverage import where
    from coverage.geodesy import distance_matrix_km

    rng = np.random.default_rng(3)
    lons, lats = rng.uniform(-20, 40, 50), rng.uniform(30, 70, 50)
    lons[[9, 31]], lats[[9, 31]] = 20.0, 54.0  # the nearest to (20, 54), twice
    triples = [
        (f"t{i}", float(x), float(y)) for i, (x, y) in enumerate(zip(lons, lats, strict=True))
    ]
    whole = distance_matrix_km([20.0, 54.0], [54.0, 20.0], lons, lats)
    expected = [(int(row.argmin()), float(row.min())) for row in whole]
    assert expected[0] == (9, 0.0)
    for chunk in (1, 7, 9, 10, 50, 1 << 16):
        monkeypatch.setattr(where, "_CHUNK", chunk)
        named = where._NamedPoints.of(triples, "targets")
        assert named.nearest([20.0, 54.0], [54.0, 20.0]) == expected, chunk
