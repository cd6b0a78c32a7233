"""Heights behind a radar horizon: assumptions marked, shown across a range (issue 23, item 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coverage.defences import (
    ASSUMED_RADAR_HEIGHT_M,
    HORIZON_RADAR_HEIGHTS_M,
    HORIZON_THREAT_ALTITUDES_M,
    horizon_table,
)

SRC = str(Path(__file__).resolve().parent.parent / "src")
ARGS = ["--system", "kalibr", "--site", "kaliningrad"]
PATRIOT = ["--defence", "patriot-pac-3-mse@warsaw-babice"]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=SRC, COLUMNS="160")
    code = "import sys; from coverage.cli.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, "claim", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_horizon_table__held_out_values_and_the_pair_used():
    # rfessentials (research notes §1c): radar 30 m, target 100 m -> 63.8 km; 5 m -> 31.8 km.
    t = horizon_table(30.0, 100.0, threat_altitudes_m=(5.0,))
    assert t.radar_heights_m == (*HORIZON_RADAR_HEIGHTS_M[:2], 25.0, 30.0, 40.0)
    assert t.threat_altitudes_m == (5.0, 100.0)
    row = t.radar_heights_m.index(30.0)
    assert t.km[row][0] == pytest.approx(31.8, abs=0.05)
    assert t.km[row][1] == pytest.approx(63.8, abs=0.05)
    assert t.used == (row, 1)


def test_horizon_table__default_grid_holds_the_assumed_patriot_height():
    t = horizon_table(ASSUMED_RADAR_HEIGHT_M, 50.0)
    assert t.radar_heights_m == HORIZON_RADAR_HEIGHTS_M
    assert t.threat_altitudes_m == HORIZON_THREAT_ALTITUDES_M
    assert round(t.km[t.used[0]][t.used[1]], 1) == 37.4  # the figure of issue 23
    # Higher antennas and higher targets see farther, everywhere in the table.
    assert all(a < b for row in t.km for a, b in zip(row, row[1:], strict=False))
    assert all(t.km[i][j] < t.km[i + 1][j] for i in range(len(t.km) - 1) for j in range(6))


def test_claim__json_and_terminal_show_the_horizon_across_heights():
    done = _run(*ARGS, *PATRIOT, "--json")
    assert done.returncode == 0, done.stderr
    (patriot,) = json.loads(done.stdout)["defences"]
    table = patriot["horizon_table"]
    i, j = table["used"]
    assert table["km"][i][j] == pytest.approx(patriot["horizon_km"])
    assert (table["radar_height_m"][i], table["threat_altitude_m"][j]) == (4.0, 50.0)
    assert patriot["assumed"] == ["radar_height_m", "threat_altitude_m"]

    text = _run(*ARGS, *PATRIOT).stdout
    assert "assumptions (no source): antenna height, target altitude" in text
    assert "Radar horizon of patriot-pac-3-mse@warsaw-babice" in text
    after = text[text.index("Radar horizon of") :].splitlines()
    row = next(line for line in after if line.split()[:1] == ["4"])
    assert row.split()[1:] == ["21.3", "30.8", "37.4", "49.5", "58.7", "138.6"]


def test_claim__given_heights_are_not_assumptions_and_join_the_table():
    done = _run(*ARGS, *PATRIOT, "--radar-height-m", "12", "--threat-altitude-m", "75", "--json")
    assert done.returncode == 0, done.stderr
    (patriot,) = json.loads(done.stdout)["defences"]
    assert patriot["assumed"] == []
    table = patriot["horizon_table"]
    assert 12.0 in table["radar_height_m"] and 75.0 in table["threat_altitude_m"]
