"""Section: how fast the command line starts (issue 17).

Ours is ``threat-coverage --help`` and ``threat-coverage claim --help`` run as the
console script next to this interpreter; the alternative is the floor any click
program pays, ``python -c "import click"``. Both are timed as subprocesses in the
same run, interleaved (wall time, median). The target is a ratio of at least 1/2.5 = 0.4: help
within 2.5x of importing click, because ``coverage`` and ``coverage.cli`` import no
numpy, pyproj, shapely, pandas, geopandas, folium or rich before a command runs.
Shell completion runs the same start-up on every Tab.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import Record

TARGET = "ratio >= 0.4 (help within 2.5x of `import click`)"


def _script() -> str:
    candidate = Path(sys.executable).with_name("threat-coverage")
    return str(candidate) if candidate.exists() else "threat-coverage"


def _run(argv: list[str]) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    _run(argv)
    return time.perf_counter() - start


def run(quick: bool, rng) -> list[Record]:  # noqa: ARG001 (same signature as the others)
    repeat = 5 if quick else 15
    script = _script()
    click = [sys.executable, "-c", "import click"]
    records = []
    for args in (["--help"], ["claim", "--help"]):
        ours, alternative = [], []
        for _ in range(repeat):  # interleaved, so that load from elsewhere hits both alike
            alternative.append(_timed(click))
            ours.append(_timed([script, *args]))
        records.append(
            Record(
                name=f"threat-coverage {' '.join(args)}",
                size="start-up",
                ours_s=statistics.median(ours),
                alternative='python -c "import click"',
                alternative_s=statistics.median(alternative),
                target=TARGET,
            )
        )
    return records
