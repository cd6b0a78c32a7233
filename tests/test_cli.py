"""The real console script, run in a subprocess: output, exit codes, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import shape

pytestmark = pytest.mark.cli
GEOD = Geodesic.WGS84


def assert_one_line_error(proc, code, *needles):
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_rings__geojson_to_stdout__one_feature_per_site_and_range(run_cli):
    proc = run_cli("rings", "--range-km", "500", "--at", "20.51,54.71", "--at=-70.5,40")
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(proc.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    first, second = fc["features"]
    assert (first["properties"]["centre_lon"], first["properties"]["centre_lat"]) == (20.51, 54.71)
    assert second["properties"]["centre_lon"] == -70.5
    assert first["properties"]["range_km"] == 500
    geom = shape(first["geometry"])
    assert geom.is_valid and geom.geom_type == "Polygon"
    for lon, lat in shapely.get_coordinates(geom)[::7]:
        d = GEOD.Inverse(54.71, 20.51, lat, lon)["s12"] / 1000
        assert abs(d - 500) < 1e-3


def test_rings__system_and_site__labelled_figures_with_sources(run_cli):
    proc = run_cli("rings", "--system", "iskander-m", "--site", "chernyakhovsk")
    assert proc.returncode == 0, proc.stderr
    features = json.loads(proc.stdout)["features"]
    kinds = {f["properties"]["figure_kind"] for f in features}
    assert kinds == {"declared", "estimated"}
    assert all(f["properties"]["source_url"].startswith("http") for f in features)
    annulus = [f for f in features if f["properties"]["min_range_km"] > 0]
    assert annulus and shape(annulus[0]["geometry"]).interiors


def test_rings__output_file_written(run_cli, tmp_path):
    out = tmp_path / "ring.geojson"
    proc = run_cli("rings", "--range-km", "1000", "--at", "179,-17", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    geom = shape(json.loads(out.read_text())["features"][0]["geometry"])
    assert geom.geom_type == "MultiPolygon"
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize(
    "args, code, needles",
    [
        (["rings", "--range-km", "500", "--at", "20.51,91"], 2, ["--at", "latitude", "91"]),
        (["rings", "--range-km", "-5", "--at", "20.51,54.71"], 2, ["--range-km", "-5"]),
        (["rings", "--range-km", "500", "--at", "abc"], 2, ["--at"]),
        (["rings", "--range-km", "25000", "--at", "0,0"], 1, ["antipodal"]),
        (["rings", "--range-km", "500", "--min-range-km", "600", "--at", "0,0"], 1, ["min"]),
        (
            ["rings", "--system", "iskandar", "--site", "luga"],
            1,
            ["unknown system 'iskandar'", "iskander-m"],
        ),
        (
            ["rings", "--range-km", "500", "--site", "chernyakovsk"],
            1,
            ["unknown site", "chernyakhovsk"],
        ),
        (["rings", "--range-km", "500"], 2, ["--at"]),
        (
            ["rings", "--range-km", "500", "--at", "1,1", "-o", "/nonexistent-dir/x.geojson"],
            1,
            ["does not exist"],
        ),
        (["claim", "no-such-claim"], 1, ["unknown claim"]),
        (["claim", "--definition", "eu28"], 1, ["unknown definition 'eu28'", "eu27"]),
        (["claim", "--share", "1.5"], 2, ["--share", "1.5"]),
        (["claim", "--territories"], 2, ["--territories", "ad hoc"]),
        (
            ["claim", "grybauskaite-2018-countries", "--targets", "data/capitals.geojson"],
            2,
            ["territories"],
        ),
        (["sites", "--systems", "/dev/zero"], 1, ["/dev/zero", "limit"]),
        (["claim", "-o", "x.html"], 2, ["--map"]),
        (["claim", "--map", "m.html", "-o", "bad.xyz"], 2, ["--format"]),
        (["map", "-o", "out.geojson"], 2, ["HTML"]),
        (["claim", "--json", "--format", "csv"], 2, ["--json"]),
        (["claim", "--range-km", "500", "--at", "0,0", "--claims", "x.yaml"], 2, ["--claims"]),
        (["rings", "--range-km", "5", "--at", "0,0", "-o", "y.txt"], 2, ["--format"]),
        (
            ["map", "--range-km", "500", "--at", "0,0", "--tiles", "no-such-tiles", "-o", "x.html"],
            1,
            ["--tiles"],
        ),
    ],
)
def test_cli__bad_arguments__one_line_and_nonzero_exit(run_cli, args, code, needles):
    assert_one_line_error(run_cli(*args), code, *needles)


def test_claim__default__judges_kaliningrad_with_numbers(run_cli):
    proc = run_cli("claim")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for needle in ("grybauskaite-2018-capitals", "FALSE", "Vilnius", "europe-all", "Range needed"):
        assert needle in out


def test_claim__json__has_the_documented_keys_and_full_precision(run_cli):
    proc = run_cli("claim", "--json")
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    for key in (
        "verdict",
        "share_claimed",
        "range_needed_km",
        "definition",
        "sites",
        "evaluations",
        "targets",
    ):
        assert key in v
    assert v["definition"]["id"] == "europe-all" and v["definition"]["count"] == 51
    assert {"id", "name", "lon", "lat"} <= set(v["sites"][0])
    assert {"range_km", "kind", "targets_in_range", "share", "holds"} <= set(v["evaluations"][0])
    t = v["targets"][0]
    assert {"name", "country", "lon", "lat", "distance_km", "nearest_site"} <= set(t)
    sites = {s["id"]: s for s in v["sites"]}
    for t in v["targets"]:
        s = sites[t["nearest_site"]]
        ref = GEOD.Inverse(s["lat"], s["lon"], t["lat"], t["lon"])["s12"] / 1000
        assert t["distance_km"] == pytest.approx(ref, abs=1e-6)
    distances = sorted(t["distance_km"] for t in v["targets"])
    need = int(np.ceil(v["share_claimed"] * len(distances)))
    assert v["range_needed_km"] == distances[need - 1]


def test_claim__ad_hoc_range_and_point(run_cli):
    proc = run_cli(
        "claim", "--range-km", "3000", "--at", "31.917,53.735", "--share", "0.9", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    assert v["evaluations"][0]["kind"] == "given"
    assert v["sites"][0]["lon"] == 31.917


def test_systems_sites_definitions__list_with_sources(run_cli):
    systems = json.loads(run_cli("systems", "--json").stdout)
    assert any(
        s["id"] == "9m729" and {r["kind"] for r in s["ranges"]} == {"declared", "estimated"}
        for s in systems
    )
    sites = json.loads(run_cli("sites", "--json").stdout)
    assert {"chernyakhovsk", "krichev", "uzhur"} <= {s["id"] for s in sites}
    defs = json.loads(run_cli("definitions", "--json").stdout)
    assert {d["id"]: d["count"] for d in defs} == {
        "europe-all": 51,
        "eu27": 27,
        "eu": 27,
        "nato-europe": 30,
        "council-of-europe": 46,
        "un-europe": 44,
    }
    table = run_cli("systems").stdout
    assert "Iskander-M" in table and "declared" in table


def test_help__explains_options_with_units(run_cli):
    for command in ("rings", "claim", "map"):
        text = run_cli(command, "--help").stdout
        assert "km" in text.lower() or "kilomet" in text.lower()
    assert "LON,LAT" in run_cli("rings", "--help").stdout


USER_SYSTEMS = """\
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
    lon: 24.1
    lat: 56.9
    systems: [my-missile]
"""


@pytest.mark.parametrize(
    "old, new, needles",
    [
        ("    name: My site", "    name: [unclosed", ["systems.yaml:", "YAML syntax error"]),
        ("    lat: 56.9", "    lat: 91", ["systems.yaml:15:", "sites[0].lat", "latitude", "91"]),
        (
            "        km: 1200",
            "        km: -50",
            ["systems.yaml:9:", "systems[0].ranges[0].km", "-50"],
        ),
    ],
)
def test_claim__bad_user_systems_file__file_line_field(run_cli, tmp_path, old, new, needles):
    path = tmp_path / "systems.yaml"
    path.write_text(USER_SYSTEMS.replace(old, new), encoding="utf-8")
    proc = run_cli("claim", "--system", "my-missile", "--systems", str(path))
    assert_one_line_error(proc, 1, *needles)


def test_claim__user_systems_file__used(run_cli, tmp_path):
    path = tmp_path / "systems.yaml"
    path.write_text(USER_SYSTEMS, encoding="utf-8")
    v = json.loads(
        run_cli("claim", "--system", "my-missile", "--systems", str(path), "--json").stdout
    )
    assert v["sites"][0]["id"] == "my-site" and v["evaluations"][0]["range_km"] == 1200


@pytest.mark.parametrize(
    "content, needles",
    [
        (None, ["file not found"]),
        (b"\xff\xfe\x00not utf8", ["not UTF-8"]),
        (b'{"type": "FeatureCollection", "features": [', ["JSON syntax error"]),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
            b'{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, '
            b'"properties": {"name": "x"}}]}',
            ["features[0].geometry.type", "Point"],
        ),
        ("dir", ["--targets", "directory"]),
    ],
)
def test_claim__bad_targets_file__one_line(run_cli, tmp_path, content, needles):
    path = tmp_path / "targets.geojson"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    proc = run_cli("claim", "--range-km", "500", "--at", "20,50", "--targets", str(path))
    assert_one_line_error(proc, 2 if content == "dir" else 1, *needles)


def test_outputs__failed_run_leaves_existing_file_untouched(run_cli, tmp_path):
    out = tmp_path / "ring.geojson"
    out.write_text("good\n")
    proc = run_cli("rings", "--range-km", "25000", "--at", "0,0", "-o", str(out))
    assert proc.returncode == 1
    assert out.read_text() == "good\n" and list(tmp_path.iterdir()) == [out]
    proc = run_cli("rings", "--range-km", "100", "--at", "0,0", "-o", str(tmp_path))
    assert_one_line_error(proc, 2, "-o", "directory")
