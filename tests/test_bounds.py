"""Bounds on launch areas: refused by counting before building, in bounded time and memory.

Peak memory is measured in a child process (``resource.getrusage(RUSAGE_SELF)`` of
the child, printed by it), so the test process's own history does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from coverage import DataError, ParameterError
from coverage.areas import (
    MAX_AREA_FILE_BYTES,
    MAX_AREA_PARTS,
    MAX_AREA_VERTICES,
    area_distance_km,
    read_area_file,
)

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import resource, sys, time
import coverage.areas, coverage.errors
start = time.perf_counter()
{body}
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_child(body: str) -> tuple[str, float, float]:
    """Run ``body`` in a fresh interpreter; return (its output, seconds, peak RSS in MB).

    The seconds count from after the imports of the library; the peak is the child's.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(body=body)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    *lines, last = done.stdout.strip().splitlines()
    seconds, kb = last.split()
    return "\n".join(lines), float(seconds), int(kb) / 1024.0


def circle_ring(n: int, radius_deg: float = 3.0) -> list[list[float]]:
    t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    ring = np.column_stack([20.0 + radius_deg * np.cos(t), 54.0 + 0.6 * radius_deg * np.sin(t)])
    return np.round(ring, 6).tolist() + [np.round(ring[0], 6).tolist()]


def test_read_area_file__million_vertices_refused_in_bounded_time_and_memory(tmp_path):
    # 1,000,000 positions written compactly (under the size limit): counted in the
    # text and refused before it is parsed.
    path = tmp_path / "million.geojson"
    ring = "[" + "[0,0]," * 999_999 + "[0,0]]"
    path.write_text('{"type": "Polygon", "coordinates": [' + ring + "]}", encoding="utf-8")
    assert path.stat().st_size < MAX_AREA_FILE_BYTES
    body = (
        "from coverage.areas import read_area_file\n"
        "from coverage.errors import DataError\n"
        "try:\n"
        f"    read_area_file({str(path)!r})\n"
        "except DataError as err:\n"
        "    print(err)\n"
    )
    message, seconds, peak_mb = run_child(body)
    print(f"{seconds:.2f} s, {peak_mb:.0f} MB")
    assert message == (
        f"{path}: holds 1,000,000 positions, over the limit of {MAX_AREA_VERTICES:,} for an "
        "area; simplify the outline (a launch area needs no detail finer "
        "than a kilometre), e.g. with shapely.simplify or mapshaper -simplify"
    )
    # About 0.5 s on a quiet machine; the bound leaves room for a loaded one.
    assert seconds < 5.0
    assert peak_mb < 1024.0


def test_read_area_file__over_the_limit_counted_on_the_parsed_lists(tmp_path):
    # Just over the limit, under the text's pre-count slack: the parsed lists are counted.
    path = tmp_path / "over.geojson"
    ring = circle_ring(MAX_AREA_VERTICES + 5)
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_area_file(path)
    assert str(info.value).startswith(
        f"{path}: (root): area has {MAX_AREA_VERTICES + 6:,} positions, over the limit of "
        f"{MAX_AREA_VERTICES:,}"
    )


def test_read_area_file__brackets_in_names_do_not_count(tmp_path):
    path = tmp_path / "named.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "[x]" * (MAX_AREA_VERTICES + 100)},
        "geometry": {"type": "Polygon", "coordinates": [circle_ring(8)]},
    }
    path.write_text(json.dumps(feature), encoding="utf-8")
    name, area = read_area_file(path)
    assert name.startswith("[x][x]") and len(shapely.get_coordinates(area)) == 9


def test_read_area_file__too_large_refused_before_reading(tmp_path):
    path = tmp_path / "huge.geojson"
    with open(path, "wb") as stream:  # a sparse file: nothing to read but its size
        stream.truncate(210_000_000)
    start = time.perf_counter()
    with pytest.raises(DataError, match=r"210\.0 MB, over the 16 MB limit for area files"):
        read_area_file(path)
    assert time.perf_counter() - start < 0.5


def test_area_distance_km__million_vertex_geometry_refused_fast():
    n = 1_000_000
    t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    area = Polygon(np.column_stack([20.0 + np.cos(t), 54.0 + np.sin(t)]))
    start = time.perf_counter()
    with pytest.raises(ParameterError, match="1,000,001 positions, over the limit"):
        area_distance_km(area, 13.4, 52.52)
    assert time.perf_counter() - start < 1.0


def test_area_distance_km__too_many_parts_refused():
    boxes = [shapely.box(x, 0.0, x + 0.01, 0.01) for x in np.arange(MAX_AREA_PARTS + 1) * 0.02]
    with pytest.raises(ParameterError, match=f"{MAX_AREA_PARTS + 1:,} rings"):
        area_distance_km(shapely.MultiPolygon(boxes), 0.0, 0.0)


def test_area_distance_km__at_the_limit_is_answered_in_bounded_time_and_memory(tmp_path):
    path = tmp_path / "limit.geojson"
    ring = circle_ring(MAX_AREA_VERTICES - 1)
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    body = (
        "from coverage.areas import read_area_file, area_distance_km, area_far_km\n"
        f"name, area = read_area_file({str(path)!r})\n"
        "print(round(float(area_distance_km(area, 13.40, 52.52)), 1))\n"
        "print(round(float(area_far_km(area, 13.40, 52.52)), 1))\n"
    )
    message, seconds, peak_mb = run_child(body)
    print(f"{seconds:.2f} s, {peak_mb:.0f} MB")
    near, far = (float(x) for x in message.split())
    assert 200.0 < near < far < 1000.0
    assert seconds < 20.0
    assert peak_mb < 1024.0


def test_cli__second_area_file_error_names_it(tmp_path, run_cli):
    good = tmp_path / "good.geojson"
    good.write_text(json.dumps({"type": "Polygon", "coordinates": [circle_ring(8)]}))
    bad = tmp_path / "across.geojson"
    across = [[170, 0], [-170, 0], [-170, 1], [170, 0]]
    bad.write_text(json.dumps({"type": "Polygon", "coordinates": [across]}))
    done = run_cli("rings", "--range-km", "100", "--area-file", str(good), "--area-file", str(bad))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(bad) in lines[0] and "spans 180 degrees of longitude" in lines[0]
    assert "Traceback" not in done.stderr
