"""Section 11: ``claim`` with many sites of one system (issue 22, item 3).

Ours is the whole claim as ``threat-coverage claim --json`` computes it, through the
library: :func:`coverage.checks.check` on an ad hoc request (Iskander-M, every range
figure, N launch points uniform in the Europe box) and
:func:`coverage.claims.verdict_to_dict` (which counts the people in range). Each run
is a fresh process; the time excludes imports and reading the bundled data, which a
tiny warm-up claim pays first.

The alternative is the same claim on the code before the many-sites work (commit
:data:`REFERENCE`, exported with ``git archive`` into a temporary directory and run
in its own process in the same session), so the ratio is today's code against that
one on this machine, now. The JSON of both is hashed: "identical" means the same
verdict, number for number. The reference grows with the square of the sites (it
searched the sites for every origin of every target); it gets :data:`TIMEOUT_S`
seconds, and a run cut there gives a lower bound of the ratio. A row against 2 sites
shows how cost grows with the sites.

``python -m benchmarks.manysites --worker SITES`` runs one claim and prints its time
and the JSON's hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import numpy as np

from .common import Record, europe_points

#: The commit of the code before the many-sites work (issue 22): the reference.
REFERENCE = "f834f8b"
#: Longest a reference run may take, seconds.
TIMEOUT_S = 240.0
ROOT = Path(__file__).resolve().parent.parent


def _request(n: int):
    from coverage.checks import Request

    lon, lat = europe_points(np.random.default_rng(2212), n)
    points = tuple(zip(lon.tolist(), lat.tolist(), strict=True))
    return Request(systems=("iskander-m",), points=points)


def worker(n: int) -> dict:
    """Time one claim with ``n`` sites; return seconds (wall and CPU) and its JSON's hash."""
    from coverage.checks import check
    from coverage.claims import verdict_to_dict

    verdict_to_dict(check(_request(2)))  # warm up: imports, bundled data, places
    request = _request(n)
    start, cpu = time.perf_counter(), time.process_time()
    out = verdict_to_dict(check(request))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    text = json.dumps(out, sort_keys=True, allow_nan=True)
    return {"seconds": seconds, "cpu_s": cpu, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _export_reference(into: Path) -> Path | None:
    """Write the reference commit's ``src`` and ``data`` under ``into``; None without git."""
    try:
        done = subprocess.run(
            ["git", "archive", "--format=tar", REFERENCE, "src", "data"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(done.stdout)) as tar:
        tar.extractall(into, filter="tar")
    return into / "src"


def _spawn(n: int, src: Path, timeout: float | None = None) -> dict | None:
    """Run the worker with ``src`` first on the path; None if it ran out of time."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), str(ROOT)]))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.manysites", "--worker", str(n)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _against_reference(
    n: int, ours: dict, ref: dict | None, src: Path | None, timeout: float
) -> Record:
    if src is None:
        return Record(
            f"claim, {n:,} sites of one system",
            f"{n:,} sites x 52 capitals",
            ours["seconds"],
            None,
            None,
            note=f"no git checkout: the reference commit {REFERENCE} could not be exported",
            target="< 3 s at 5,000 sites, < 30 s at 50,000",
        )
    if ref is None:
        alt, note = timeout, f"reference stopped after {timeout:.0f} s: ratio is a lower bound"
    else:
        alt = ref["seconds"]
        note = (
            f"answers identical (JSON hash): {ref['sha256'] == ours['sha256']}; "
            f"CPU time {ref['cpu_s']:.2f} s"
        )
    note = (
        f"ours: CPU time {ours['cpu_s']:.2f} s (wall time counts waiting on a busy machine); {note}"
    )
    return Record(
        f"claim, {n:,} sites of one system (check + JSON, people in range)",
        f"{n:,} sites x 52 capitals",
        ours["seconds"],
        f"the same on the code of {REFERENCE} (before issue 22)",
        alt,
        note=note,
        target="< 3 s at 5,000 sites, < 30 s at 50,000",
    )


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    counts = (200, 1_000) if quick else (5_000, 50_000)
    timeout = TIMEOUT_S / 4 if quick else TIMEOUT_S
    src = ROOT / "src"
    two = _spawn(2, src)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        ref_src = _export_reference(Path(tmp))
        for n in counts:
            ours = _spawn(n, src)
            ref = None if ref_src is None else _spawn(n, ref_src, timeout=timeout)
            records.append(_against_reference(n, ours, ref, ref_src, timeout))
            records.append(
                Record(
                    f"claim, {n:,} sites against 2 sites (how cost grows)",
                    f"{n:,} sites x 52 capitals",
                    ours["seconds"],
                    "the same claim from 2 sites",
                    two["seconds"],
                    note=f"{n / 2:,.0f} times the sites; a ratio of 1/{n / 2:,.0f} would be "
                    "linear growth",
                )
            )
    return records


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(json.dumps(worker(int(sys.argv[2]))))
    else:
        raise SystemExit("usage: python -m benchmarks.manysites --worker SITES")
