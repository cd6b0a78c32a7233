"""Big outputs stream: writing a verdict's rows costs memory that does not grow with them.

Each run is a fresh subprocess that judges N targets, resets its peak resident set
(``5`` to /proc/self/clear_refs), writes the verdict, and reports how far the peak
(``VmHWM`` of /proc/self/status) rose above the resident set before the write.
Whole-document writers hold every row (and the whole file) in memory, about 2 KB per
target for xlsx (measured by hand before streaming: 100,000 targets peaked at 409 MB
writing xlsx against 217 MB without an output); streamed, the write adds a few MB
whatever N. Holding the rows as a list (:func:`coverage.exports.verdict_rows`) is
measured too, to show that the measurement sees growth where there is some.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/status"
)

CHILD = r"""
import json, sys
import numpy as np
from coverage.checks import Request, check
from coverage.exports import verdict_rows, write_verdict

def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

n, fmt, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(1)
lon, lat = rng.uniform(-10, 40, n), rng.uniform(35, 70, n)
features = [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
     "properties": {"name": f"target {i} " + "x" * 40, "country": "Somewhere"}}
    for i, (x, y) in enumerate(zip(lon, lat))
]
path = f"{folder}/targets-{n}.geojson"
with open(path, "w") as f:
    json.dump({"type": "FeatureCollection", "features": features}, f)
del features
verdict = check(Request(range_km=500.0, points=((20.5, 54.7),), targets_file=path))
import gc
gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status_mb("VmRSS")
out = f"{folder}/out-{n}.{fmt}"
if fmt == "rows":
    rows = verdict_rows(verdict)
else:
    write_verdict(out, verdict, fmt)
print(json.dumps({"before": before, "after": status_mb("VmHWM")}))
"""


def _write_cost_mb(n: int, fmt: str, folder) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), fmt, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    peaks = json.loads(done.stdout.strip().splitlines()[-1])
    return peaks["after"] - peaks["before"]


@pytest.fixture(scope="module")
def costs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    return {
        (fmt, n): _write_cost_mb(n, fmt, folder)
        for fmt in ("xlsx", "csv", "rows")
        for n in (2_000, 40_000)
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_write_verdict__memory_does_not_grow_with_rows(costs, fmt):
    # Measured on 2026-12-07: xlsx 1.7 and 3.9 MB, csv 0.0 and 2.1 MB (the rows'
    # order and flight times, a few bytes per target, are all that grows).
    small, big = costs[fmt, 2_000], costs[fmt, 40_000]
    assert big - small < 8, (small, big)
    held = costs["rows", 40_000] - costs["rows", 2_000]
    assert big - small < held / 3, (small, big, held)


def test_write_verdict__held_rows_grow_with_rows(costs):
    # The measurement sees growth where there is some: 38,000 more rows held in memory
    # (measured on 2026-12-07: 0.7 and 16.2 MB; on 2026-12-08, with the per-figure
    # column names made once per verdict instead of once per row: 0.4 and 10.1 MB).
    small, big = costs["rows", 2_000], costs["rows", 40_000]
    assert big - small > 6, (small, big)
