"""The benchmark command runs and writes the records it promises (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.cli
def test_benchmarks__quick_section_writes_records(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "rings", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "ratio = alternative time / ours" in done.stdout
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 8  # plain, 4 edge cases, 3 tolerance costs
    for r in records:
        assert {"name", "size", "ours_s", "alternative", "alternative_s", "ratio"} <= set(r)
        assert r["ours_s"] > 0
        assert r["ratio"] == pytest.approx(r["alternative_s"] / r["ours_s"])


def test_startup__rows_for_help_and_whole_commands(monkeypatch):
    """The start-up section times help and whole commands (claim --json, --map, sites)."""
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import startup

    calls = []

    def fake(argv):
        calls.append(argv)
        return (0.5, 0.4) if argv[0] != sys.executable else (0.25, 0.2)

    monkeypatch.setattr(startup, "_timed", fake)
    records = startup.run(True, None)
    names = [r.name for r in records]
    assert names == [
        "threat-coverage --help",
        "threat-coverage claim --help",
        "threat-coverage claim -q --json",
        "threat-coverage claim -q --map k.html",
        "threat-coverage sites --json",
    ]
    assert [r.size for r in records] == ["start-up"] * 2 + ["whole command"] * 3
    assert all(r.ratio == pytest.approx(0.5) for r in records)
    assert records[2].target == "CPU under 1.0 s (issue 21 item 9)"
    assert records[2].note == "CPU 0.40 s (user + system, median)"
    # every command runs as the console script, interleaved with its alternative
    ours = [argv for argv in calls if argv[0] != sys.executable]
    assert len(ours) == 2 * 5 + 3 * 1
    assert all(Path(argv[0]).name == "threat-coverage" for argv in ours)
    assert ours[-2][1:3] == ["claim", "-q"] and ours[-2][-1].endswith("k.html")
