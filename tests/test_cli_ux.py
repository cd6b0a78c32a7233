"""The command line behaves like the tools people know (issue 17), run as a subprocess.

Output files follow the format asked for, tables read at 80 columns in a pipe, points
that look swapped say so, every output lists targets nearest first with numbers keyed
by figure, spreadsheets open anywhere, and --help starts fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, console_script

pytestmark = pytest.mark.cli

WROTE = re.compile(r"^threat-coverage: wrote (?P<path>.+) \((?P<fmt>\w+)\)$")


def run(*args: str, columns: int = 80, cwd: Path | None = None):
    """Run the console script in a pipe (stdout and stderr are not terminals)."""
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1")
    return subprocess.run(
        [console_script(), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=180
    )


def one_line_error(proc, code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def wrote(proc) -> list[tuple[str, str]]:
    return [
        (m["path"], m["fmt"]) for m in map(WROTE.match, proc.stderr.splitlines()) if m is not None
    ]


# ----------------------------------------------------------------------------- output files


def test_claim_json_o__writes_the_verdict_json_and_says_so(tmp_path):
    out = tmp_path / "claim.json"
    proc = run("claim", "--json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    v = json.loads(out.read_text(encoding="utf-8"))
    assert v["verdict"] == "false" and "FeatureCollection" not in out.read_text(encoding="utf-8")
    assert wrote(proc) == [(str(out), "json")]
    assert "Verdict" in proc.stdout  # the table still goes to the terminal
    # the extension alone says json too; -q says nothing
    quiet = run("claim", "-q", "-o", str(tmp_path / "again.json"))
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert json.loads((tmp_path / "again.json").read_text())["verdict"] == "false"


@pytest.mark.parametrize(
    "args, needles",
    [
        (["claim", "--format", "csv", "-o", "x.kml"], ["x.kml", "kml", "csv"]),
        (["claim", "--json", "-o", "x.csv"], ["x.csv", "csv", "json"]),
        (["claim", "--json", "--format", "kml", "-o", "x.kml"], ["--json", "--format kml"]),
        (["rings", "--range-km", "5", "--at", "0,0", "--format", "kml", "-o", "x.csv"], ["x.csv"]),
        (["rings", "--range-km", "5", "--at", "0,0", "-o", "x.json", "--format", "csv"], ["csv"]),
        (["map", "-o", "x.txt"], ["HTML", ".png"]),
        (["claim", "--map", "m.kml"], ["--map", "HTML"]),
        (["claim", "--map", "grybauskaite-2015-berlin"], ["--map", "CLAIM_ID goes before"]),
    ],
)
def test_format_and_extension_disagree__one_line_exit_2(tmp_path, args, needles):
    line = one_line_error(run(*args, cwd=tmp_path), 2)
    for needle in needles:
        assert needle in line, line
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension_with_format__written_in_that_format(tmp_path):
    # The refusal says "name the file *.json or give --format": --format must do.
    out = tmp_path / "verdict.out"
    proc = run("claim", "--range-km", "500", "--at", "20.5,54.7", "--format", "csv", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert wrote(proc) == [(str(out), "csv")]
    assert out.read_text(encoding="utf-8-sig").startswith('"name"')
    proc = run("claim", "-o", str(tmp_path / "verdict.dat"))
    assert proc.returncode == 2 and "--format" in one_line_error(proc, 2)


def test_every_writer_says_so_in_the_same_words(tmp_path):
    # The words are the writers' own: a small ad hoc check (500 km from one point) says
    # them as a bundled claim would, for a fraction of the work.
    small = ["--range-km", "500", "--at", "20.5,54.7"]
    checks = [
        (["rings", *small, "-o", "r.kml"], [("r.kml", "kml")]),
        (["rings", "--system", "iskander-m", "-o", "r.json"], [("r.json", "geojson")]),
        (
            ["claim", *small, "--map", "m.html", "-o", "c.csv"],
            [("m.html", "map"), ("c.csv", "csv")],
        ),
        (["map", *small, "-o", "k.html"], [("k.html", "map")]),
    ]
    for args, expected in checks:
        proc = run(*args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert wrote(proc) == expected, proc.stderr
        for name, _ in expected:
            assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "r.json").read_text())["type"] == "FeatureCollection"
    to_stdout = run("rings", "--range-km", "5", "--at", "0,0", "-o", "-", cwd=tmp_path)
    assert wrote(to_stdout) == [] and json.loads(to_stdout.stdout)["type"] == "FeatureCollection"


def test_map_without_a_name__named_after_the_check(tmp_path):
    proc = run("map", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["grybauskaite-2018-capitals.html"]
    proc = run("map", "--range-km", "1000", "--at=-20.5,54.7", "--share", "0.5", cwd=tmp_path)
    assert wrote(proc) == [("1000km-from-20.5w-54.7n.html", "map")]
    proc = run(
        "claim", "--system", "iskander-m", "--site", "chernyakhovsk", "--map", "-q", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "iskander-m-from-chernyakhovsk.html").read_text().startswith("<!DOCTYPE")


def test_system_with_range_km__refused_as_a_conflict():
    line = one_line_error(
        run("claim", "--system", "iskander-m", "--range-km", "500", "--at", "20,54"), 2
    )
    assert "--system" in line and "--range-km" in line and "not both" in line
    help_text = run("rings", "--help").stdout
    assert "not with it" in " ".join(help_text.split())


def test_tiles_help__names_the_tile_sets():
    text = " ".join(run("map", "--help").stdout.split())
    for name in ("osm", "topo", "satellite", "humanitarian"):
        assert name in text


# ----------------------------------------------------------------------------- tables at 80


def lines_fit(text: str, width: int = 80) -> list[str]:
    lines = text.split("\n")
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert all(line == line.rstrip() for line in lines)  # no padding in a pipe
    return lines


def test_tables_at_80_columns__ids_and_numbers_whole():
    from coverage.systems import load_catalog
    from coverage.targets import load_definitions

    catalog = load_catalog()
    systems = run("systems")
    lines = lines_fit(systems.stdout)
    figures = sum(len(s.ranges) for s in catalog)
    assert len(lines) <= figures + 12  # one compact row per figure
    for s in catalog:
        assert sum(line.split()[0] == s.id for line in lines if line.strip()) == len(s.ranges)
    sites = lines_fit(run("sites").stdout)
    for s in catalog.sites.values():
        row = next(line for line in sites if line.split()[:1] == [s.id])
        assert f"{s.lon:.4f}" in row.split() and f"{s.lat:.4f}" in row.split()
    definitions = lines_fit(run("definitions").stdout)
    for d in load_definitions().values():
        assert any(line.split()[:2] == [d.id, str(d.count)] for line in definitions)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--all"],
        ["--system", "9m729", "--system", "iskander-m", "--site", "kaliningrad"],
        ["--range-km", "300", "--at", "20.0,54.9", "--sector", "300,60"],
        ["--defence", "patriot-pac-3-mse@warsaw-babice"],
        ["grybauskaite-2018-countries"],
    ],
)
def test_claim_table_at_80_columns__numbers_never_cut(args, tmp_path):
    # One run: the table goes to the pipe, the same verdict's JSON to a file.
    out = tmp_path / "verdict.json"
    proc = run("claim", *args, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = lines_fit(proc.stdout)
    assert not re.search(r"[\d,.+-]…|…[\d,.]", proc.stdout)  # no number cut with an ellipsis
    v = json.loads(out.read_text(encoding="utf-8"))
    rows = [line.split() for line in lines if re.match(r"^\s*\d+\s", line)]
    shown: dict[str, list[str]] = {}
    for row in rows:  # a target's row in each table its figures are split over
        for t in v["targets"]:
            if f"{t['distance_km']:,.1f}" in row and t["nearest_site"] in row:
                shown.setdefault(t["name"], []).extend(row)
    assert len(shown) >= min(25, len(v["targets"])) - 2  # names that fold aside
    for t in v["targets"][:25]:
        if t["name"] in shown:
            for margin in t["margins_km"]:
                if margin is not None:
                    assert f"{margin:+,.1f}" in shown[t["name"]]


@pytest.mark.parametrize(
    "args, title",
    [
        (["--system", "iskander-m", "--site", "chernyakhovsk"], "each definition"),
        # With the figures published after March 2015 (issue 23), three keys to name.
        (["grybauskaite-2015-berlin", "--use-later-figures"], "each origin"),
    ],
)
def test_claim_table_notes__name_the_figure_keys_not_a_python_list(args, title):
    proc = run("claim", *args, columns=200)
    assert proc.returncode == 0, proc.stderr
    assert title in proc.stdout
    assert "F1–F3: targets in range" in proc.stdout
    assert "['F" not in proc.stdout


# ----------------------------------------------------------------------------- coordinates


def test_at_points__echoed_with_their_country():
    proc = run("claim", "--range-km", "500", "--at", "20.51,54.71", "--at=-30,40")
    assert proc.returncode == 0, proc.stderr
    assert "--at 20.51,54.71 lies in Russia (RU)" in proc.stderr
    assert "--at=-30,40 lies at sea" in proc.stderr
    assert "did you mean" not in proc.stderr
    assert "lies" not in run("claim", "-q", "--range-km", "500", "--at", "20.51,54.71").stderr


def test_at_latitude_first__one_warning_with_the_swapped_reading():
    proc = run("claim", "--range-km", "500", "--at", "54.7,20.5")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].endswith(
        "did you mean --at 20.5,54.7? (longitude first)"
    )
    assert "Saudi Arabia" in warnings[0] and "Russia (RU)" in warnings[0]
    rings = run("rings", "-q", "--range-km", "500", "--at", "54.7,20.5")
    assert "did you mean --at 20.5,54.7?" in rings.stderr  # kept under -q


SYSTEMS = """\
schema_version: 1
systems:
  - id: my-missile
    name: My missile
    role: cruise
    nuclear_capable: {status: "no"}
    ranges:
      - kind: estimated
        km: 1200
        source: {title: Mine, url: "https://example.org/mine", date: "2024"}
sites:
  - id: my-site
    name: My site
    country: LV
    lon: 24.1
    lat: 56.9
    systems: [my-missile]
"""


def test_user_site__country_disagrees_with_its_point__refused(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(SYSTEMS.replace("lon: 24.1", "lon: 56.9").replace("lat: 56.9", "lat: 24.1"))
    line = one_line_error(run("claim", "--system", "my-missile", "--systems", str(path)), 1)
    assert "mine.yaml:14:" in line and "sites[0].country" in line
    assert "'LV'" in line and "in Oman" in line and "swapped (24.1, 56.9)" in line
    path.write_text(SYSTEMS)  # as written: in Latvia
    assert run("claim", "--system", "my-missile", "--systems", str(path)).returncode == 0


def test_bundled_sites__lie_in_their_countries():
    from coverage.datafile import read_yaml
    from coverage.systems import DEFAULT_SYSTEMS, load_catalog
    from coverage.where import check_site_countries, country_at

    catalog = load_catalog()
    check_site_countries(list(catalog.sites.values()), read_yaml(DEFAULT_SYSTEMS), DEFAULT_SYSTEMS)
    for s in catalog.sites.values():
        if s.country and s.geometry is None:
            assert country_at(s.lon, s.lat).iso_a2 == s.country, s.id


# ----------------------------------------------------------------------------- one order, keys


def test_json__nearest_first_keyed_by_figure_no_machine_paths():
    proc = run("claim", "--json", "--defence", "patriot-pac-3-mse@warsaw-babice")
    v = json.loads(proc.stdout)
    distances = [t["distance_km"] for t in v["targets"]]
    assert distances == sorted(distances)
    figures = [e["figure"] for e in v["evaluations"]]
    assert figures == [
        "iskander-m declared 50–500 km",
        "iskander-m estimated 500 km",
        "iskander-m estimated 700 km",
    ]
    for t in v["targets"]:
        assert list(t["margin_km_by_figure"]) == figures
        assert list(t["margin_km_by_figure"].values()) == t["margins_km"]
        assert list(t["in_range_by_figure"].values()) == t["in_range"]
        assert {"distance_km", "nearest_site", "flight_time_min", "defended_by"} <= set(t)
    warsaw = next(t for t in v["targets"] if t["name"] == "Warsaw")
    assert warsaw["defended_by"] == ["patriot-pac-3-mse@warsaw-babice"]  # keyed, not positional
    assert {"population_in_range", "places_in_range"} <= set(v["evaluations"][0])
    assert v["targets_source"] == "data/capitals.geojson"
    for text in (proc.stdout, run("systems", "--json").stdout, run("sites", "--json").stdout):
        assert str(ROOT) not in text and sys.prefix not in text
        assert '"n.d."' not in text  # a missing date is null


def test_user_targets_file__no_absolute_path_in_any_output(tmp_path):
    mine = tmp_path / "my capitals.geojson"
    mine.write_bytes((ROOT / "data" / "capitals.geojson").read_bytes())
    check = ["--range-km", "500", "--at", "20.5,54.7", "--targets", str(mine), "-q"]
    verdict = tmp_path / "verdict.json"
    outputs = [run("claim", *check, "-o", str(verdict)).stdout]  # the table; the JSON to a file
    outputs += [verdict.read_text(encoding="utf-8"), run("map", *check, "-o", "-").stdout]
    assert json.loads(outputs[1])["targets_source"] == "my capitals.geojson"
    for text in outputs:
        assert "my capitals.geojson" in text and str(tmp_path) not in text


def test_csv_file__snake_case_ascii_headers_bom_nearest_first(tmp_path):
    out = tmp_path / "capitals.csv"
    assert run("claim", "-o", str(out)).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert all(re.fullmatch(r"[a-z0-9_]+", h) for h in header), header
    assert "margin_km_iskander_m_declared_50_500_km" in header
    distances = [float(r[header.index("distance_km")]) for r in rows[1:]]
    assert distances == sorted(distances)
    small = ["--range-km", "500", "--at", "20.5,54.7"]  # any check's CSV would do here
    piped = run("claim", *small, "--format", "csv", "-o", "-").stdout
    assert piped.startswith('"name"')  # no BOM on standard output


def test_xlsx__a_sheet_per_table_with_sources_and_guarded_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    targets = tmp_path / "t.geojson"
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name},
        }
        for name, lon, lat in [('=HYPERLINK("http://x")', 21.0, 52.2), ("Berlin", 13.4, 52.5)]
    ]
    targets.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = tmp_path / "v.xlsx"
    proc = run("claim", "--system", "iskander-m", "--targets", str(targets), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert wrote(proc) == [(str(out), "xlsx")]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["verdict", "figures", "targets", "sites", "sources"]
    sheet = book["targets"]
    header = [c.value for c in sheet[1]]
    assert all(re.fullmatch(r"[a-z0-9_]+", h) for h in header)
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")', "Berlin"]  # nearest first, guarded
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    distance = header.index("distance_km")
    assert isinstance(sheet.cell(2, distance + 1).value, float)
    summary = dict(book["verdict"].iter_rows(min_row=2, values_only=True))
    assert summary["targets_source"] == "t.geojson"  # the user's file by name, no machine path
    urls = [r[3] for r in book["sources"].iter_rows(min_row=2, values_only=True)]
    assert any(u and u.startswith("http") for u in urls)
    rings = tmp_path / "r.xlsx"
    assert run("rings", "--system", "iskander-m", "-o", str(rings)).returncode == 0
    assert openpyxl.load_workbook(rings).sheetnames == ["rings", "sources"]


# ----------------------------------------------------------------------------- fast start

HEAVY = ("numpy", "pyproj", "shapely", "pandas", "geopandas", "folium", "rich", "scipy", "yaml")


HELPED = ("", "rings", "claim", "map", "systems", "sites")


def test_help__imports_nothing_heavy():
    # One interpreter asks each command for its help in turn and lists, after each, the
    # heavy modules imported so far: a command that imports one shows it on its own line
    # (what a command before it imported would already have failed the test).
    code = (
        "import sys\n"
        "from coverage import cli\n"
        f"for command in {HELPED!r}:\n"
        "    try:\n"
        "        cli.main([*command.split(), '--help'])\n"
        "    except SystemExit as stop:\n"
        "        assert stop.code in (0, None), (command, stop.code)\n"
        f"    heavy = ','.join(m for m in {HEAVY!r} if m in sys.modules)\n"
        "    print(f'HEAVY {command!r}:' + heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    heavy = [line for line in done.stdout.splitlines() if line.startswith("HEAVY ")]
    assert heavy == [f"HEAVY {command!r}:" for command in HELPED], heavy


def test_startup_benchmark__ratio_against_import_click(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "startup", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    names = [r["name"] for r in records]
    assert names[:2] == ["threat-coverage --help", "threat-coverage claim --help"]
    assert names[2:] == [
        "threat-coverage claim -q --json",
        "threat-coverage claim -q --map k.html",
        "threat-coverage sites --json",
    ]
    for r in records[:2]:  # no timing is asserted: the ratio is recorded, not tested
        assert r["alternative"] == 'python -c "import click"' and r["ours_s"] > 0
    for r in records[2:]:  # whole commands, against importing the libraries they need
        assert r["alternative"] != records[0]["alternative"] and r["ours_s"] > 0


def test_import_coverage__lazy_but_complete():
    code = (
        "import sys, coverage\n"
        "assert 'numpy' not in sys.modules and 'pyproj' not in sys.modules\n"
        "missing = [n for n in coverage.__all__ if not hasattr(coverage, n)]\n"
        "assert not missing, missing\n"
        "print(round(coverage.distance_km(20.51, 54.71, 13.40, 52.52), 1))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "529.6"


# ----------------------------------------------------------------------------- one table each


def test_outputs__one_list_of_formats_agrees_with_the_library():
    from coverage import exports
    from coverage.cli import outputs
    from coverage.render import static

    assert outputs.RINGS_FORMATS == (*exports.FORMATS, "gpkg")
    assert outputs.STATIC_FORMATS == static.FORMATS
    assert outputs.MAP_FORMATS == ("html", *static.FORMATS)
    assert outputs.CLAIM_FORMATS == ("json", *exports.FORMATS, "gpkg", "parquet")
    assert outputs.BINARY_FORMATS == ("gpkg", "parquet")
    assert {outputs.SUFFIX_FORMATS[s] for s in ("htm", "html")} == {"html"}


def test_option_names__every_request_field_has_its_option():
    from coverage.checks import Request
    from coverage.cli.options import OPTION_NAMES, option_words

    assert set(Request.__dataclass_fields__) <= set(OPTION_NAMES)
    assert option_words("share: must be a fraction", "share") == "--share: must be a fraction"
    assert option_words("give `points` or range_km") == "give --at or --range-km"
