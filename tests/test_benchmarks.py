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
