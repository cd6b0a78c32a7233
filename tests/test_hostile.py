"""Hostile names through every output: HTML, KML, GeoJSON, CSV, JSON and terminal tables.

HTML shows them as text, KML and CSV stay well-formed (CSV neutralises formulas), JSON
and GeoJSON keep them exactly, and the terminal shows no control characters.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.cli

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "javascript:alert(1)",
    "\"double\" 'single' `back`",
    "back\\slash\\n",
    "\u202eevil RTL override\u202c",
    "\x1b[31mANSI red\x1b[0m",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "long " + "x" * 3000,
]
SYSTEM_NAME = "<script>alert(1)</script> SS-X"
SITE_NAME = "<img src=x onerror=alert(1)> site"

SYSTEMS_YAML = f"""\
schema_version: 1
systems:
  - id: hostile-missile
    name: {json.dumps(SYSTEM_NAME)}
    role: ballistic
    nuclear_capable: {{status: "no"}}
    ranges:
      - kind: declared
        km: 3000
        source: {{title: "<b>title</b>", url: "https://example.org/?a=1&b=<x>", date: "2020"}}
sites:
  - id: hostile-site
    name: {json.dumps(SITE_NAME)}
    lon: 20.0
    lat: 50.0
    systems: [hostile-missile]
"""

CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\n"] + [
    "\x7f",
    "\u202e",
    "\u202c",
    "\u200f",
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    (d / "systems.yaml").write_text(SYSTEMS_YAML, encoding="utf-8")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [20 + i * 0.5, 48 + i * 0.3]},
            "properties": {"name": name, "country": name},
        }
        for i, name in enumerate(HOSTILE)
    ]
    (d / "targets.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return d


def base_args(d):
    return [
        "claim",
        "--system",
        "hostile-missile",
        "--site",
        "hostile-site",
        "--systems",
        str(d / "systems.yaml"),
        "--targets",
        str(d / "targets.geojson"),
        "-q",
    ]


def test_hostile__terminal_table_has_no_control_characters(run_cli, files):
    proc = run_cli(*base_args(files), "--all")
    assert proc.returncode == 0, proc.stderr
    for ch in CONTROL:
        assert ch not in proc.stdout, repr(ch)
    assert "alert(1)" in proc.stdout  # shown, as text


def test_hostile__json_and_geojson_keep_names_exactly(run_cli, files):
    v = json.loads(run_cli(*base_args(files), "--json").stdout)
    assert sorted(t["name"] for t in v["targets"]) == sorted(HOSTILE)
    geo = json.loads(run_cli(*base_args(files), "--format", "geojson").stdout)
    names = {f["properties"].get("name") for f in geo["features"]}
    assert set(HOSTILE) <= names


def test_hostile__csv_well_formed_and_formulas_neutralised(run_cli, files):
    proc = run_cli(*base_args(files), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for value in row.values():
            if value and value[0] in "=+-@\t\r":
                float(value)  # only genuine numbers may start like a formula
    names = {row["name"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","x")' in names and "'@SUM(A1:A9)" in names


def test_hostile__kml_well_formed_names_are_text(run_cli, files):
    proc = run_cli(*base_args(files), "--format", "kml")
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout.encode("utf-8"))
    texts = {el.text for el in root.iter() if el.tag.endswith("name")}
    assert "<script>alert(1)</script>" in texts
    assert "<script>" not in proc.stdout  # escaped in the XML source


def test_hostile__html_map_escapes_every_name(run_cli, files, tmp_path):
    out = tmp_path / "hostile.html"
    proc = run_cli(*base_args(files), "--map", str(out))
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    for raw in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "</script><script>alert(2)",
    ):
        assert raw not in html, raw
    assert 'href="javascript' not in html.lower()


def test_write_text__terminal_gets_no_control_characters(monkeypatch, capsys):
    import sys

    from coverage.exports import write_text

    text = "name\n\x1b[31mred\x07\u202eevil\n"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    write_text(None, text)
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown.count("\n") == 2 and "red" in shown
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    write_text(None, text)
    assert capsys.readouterr().out == text  # a pipe gets the data exactly
