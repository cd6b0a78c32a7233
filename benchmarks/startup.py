"""Section: how fast the command line starts (issue 17) and what a whole command costs (issue 21).

Help: ``threat-coverage --help`` and ``threat-coverage claim --help`` run as the
console script next to this interpreter; the alternative is the floor any click
program pays, ``python -c "import click"``. The target is a ratio of at least
1/2.5 = 0.4: help within 2.5x of importing click, because ``coverage`` and
``coverage.cli`` import no numpy, pyproj, shapely, pandas, geopandas, folium or rich
before a command runs. Shell completion runs the same start-up on every Tab.

Whole commands: ``claim -q --json``, ``claim -q --map k.html`` and ``sites --json``,
start to exit, against the floor of the libraries every such command needs,
``python -c "import numpy, pyproj, shapely, pydantic, yaml"``. The test suite runs
hundreds of these as subprocesses; the target for ``claim -q --json`` is under one
second of CPU (issue 21, item 9). The note gives the median CPU seconds (user +
system) of the command, which a busy machine moves less than wall time.

All commands are timed as subprocesses in the same run, interleaved with their
alternative (wall time, median).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Record

HELP_TARGET = "ratio >= 0.4 (help within 2.5x of `import click`)"
CLAIM_TARGET = "CPU under 1.0 s (issue 21 item 9)"
CLICK = ('python -c "import click"', "import click")
LIBRARIES = (
    'python -c "import numpy, pyproj, shapely, pydantic, yaml"',
    "import numpy, pyproj, shapely, pydantic, yaml",
)


def _script() -> str:
    candidate = Path(sys.executable).with_name("threat-coverage")
    return str(candidate) if candidate.exists() else "threat-coverage"


def _timed(argv: list[str]) -> tuple[float, float]:
    """Run ``argv`` to its end; return its wall seconds and its CPU seconds (user + system)."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def _row(args: list[str], alternative: tuple[str, str], repeat: int, target: str) -> Record:
    """Time ``threat-coverage ARGS`` against ``alternative``, interleaved, ``repeat`` times."""
    ours, cpu, other = [], [], []
    for _ in range(repeat):  # interleaved, so that load from elsewhere hits both alike
        other.append(_timed([sys.executable, "-c", alternative[1]])[0])
        wall, seconds = _timed([_script(), *args])
        ours.append(wall)
        cpu.append(seconds)
    shown = " ".join("k.html" if a.endswith("k.html") else a for a in args)
    return Record(
        name=f"threat-coverage {shown}",
        size="start-up" if "--help" in args else "whole command",
        ours_s=statistics.median(ours),
        alternative=alternative[0],
        alternative_s=statistics.median(other),
        target=target,
        note=f"CPU {statistics.median(cpu):.2f} s (user + system, median)",
    )


def run(quick: bool, rng) -> list[Record]:  # noqa: ARG001 (same signature as the others)
    repeat = 5 if quick else 15
    whole = 1 if quick else 7
    records = [_row(args, CLICK, repeat, HELP_TARGET) for args in (["--help"], ["claim", "--help"])]
    with tempfile.TemporaryDirectory() as tmp:
        page = str(Path(tmp) / "k.html")
        commands = (
            (["claim", "-q", "--json"], CLAIM_TARGET),
            (["claim", "-q", "--map", page], ""),
            (["sites", "--json"], ""),
        )
        records += [_row(args, LIBRARIES, whole, target) for args, target in commands]
    return records
