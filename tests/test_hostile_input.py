"""Hostile input (#12): YAML that expands, CSV cells that break rows, arrays of wrong shapes.

Each test here failed on the code before the fix it covers: the alias bomb was
loaded and then walked by repr() (seconds, hundreds of MB), a lone carriage return in
a name split a CSV row, and mismatched arrays were broadcast or raised numpy's own
ValueError.
"""

from __future__ import annotations

import csv
import io
import json
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from coverage.bulk import nearest_site, within_reach, within_ring
from coverage.datafile import MAX_YAML_ALIAS_NODES, read_yaml
from coverage.errors import CoverageError, DataError, ParameterError
from coverage.geodesy import distance_km, distance_matrix_km

# ---------------------------------------------------------------------------- YAML aliases


def billion_laughs(levels: int = 9) -> str:
    """Nine levels of nine aliases: 300 bytes that expand to 9**9 (~387 million) strings."""
    lines = ["schema_version: 1", "a: &a [x, x, x, x, x, x, x, x, x]"]
    previous = "a"
    for name in "bcdefghij"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append(f"systems: *{previous}")
    return "\n".join(lines) + "\n"


def quadratic(items: int = 2_000, references: int = 2_000) -> str:
    """One anchored list of ``items`` strings referenced ``references`` times (4e6 nodes)."""
    big = "big: &big [" + ", ".join(["x"] * items) + "]"
    refs = "systems: [" + ", ".join(["*big"] * references) + "]"
    return "\n".join(["schema_version: 1", big, refs]) + "\n"


def refused(loader, path) -> tuple[DataError, float]:
    """Call ``loader(path)``, expecting a DataError; return it and the peak MB traced."""
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as info:
            loader(path)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return info.value, peak


def loaders():
    from coverage.claims import load_claims
    from coverage.systems import load_catalog
    from coverage.targets import load_definitions

    return [read_yaml, load_catalog, load_claims, load_definitions]


@pytest.mark.parametrize("loader", loaders(), ids=lambda f: f.__name__)
def test_yaml__billion_laughs__refused_at_the_alias_line_in_little_memory(tmp_path, loader):
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 500
    err, peak_mb = refused(loader, path)
    message = str(err)
    assert "\n" not in message and len(message) < 300
    # Levels a to f are lines 2 to 7; f's nine *e (66,430 nodes each) pass the budget.
    assert message.startswith(f"{path}:7: YAML aliases expand too far")
    assert err.path == path and err.line == 7
    assert peak_mb < 100, f"peak {peak_mb:.1f} MB"


@pytest.mark.parametrize("loader", loaders(), ids=lambda f: f.__name__)
def test_yaml__one_big_list_referenced_many_times__refused(tmp_path, loader):
    path = tmp_path / "quadratic.yaml"
    path.write_text(quadratic(), encoding="utf-8")
    err, peak_mb = refused(loader, path)
    assert str(err).startswith(f"{path}:3: YAML aliases expand too far")
    assert peak_mb < 100, f"peak {peak_mb:.1f} MB"


def test_yaml__aliases_within_the_budget__load_as_shared_values(tmp_path):
    source = "{title: Report, url: 'https://example.org', date: '2020'}"
    lines = [f"src: &src {source}", "uses:"] + ["  - *src"] * 100
    path = tmp_path / "ok.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_yaml(path)
    assert len(data["uses"]) == 100 and data["uses"][99]["title"] == "Report"
    assert MAX_YAML_ALIAS_NODES >= 100 * 7


def test_yaml__alias_inside_the_node_it_names__is_a_cycle(tmp_path):
    path = tmp_path / "cycle.yaml"
    path.write_text("a: 1\nb: &b\n  - 1\n  - *b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"cycle\.yaml:4: YAML alias \*b is used inside"):
        read_yaml(path)


def test_yaml__merge_keys_count_what_they_repeat(tmp_path):
    lines = ["base: &base {" + ", ".join(f"k{i}: v" for i in range(2_000)) + "}"]
    lines += [f"m{i}: {{<<: *base}}" for i in range(100)]
    path = tmp_path / "merge.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="YAML aliases expand too far"):
        read_yaml(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("schema_version: " + "9" * 5000 + "\n", r":1: YAML value cannot be read: an integer of"),
        ("a: 1\nwhen: 2020-13-45\n", r":2: YAML value cannot be read: month must be in 1\.\.12"),
    ],
)
def test_yaml__values_python_cannot_build__data_error_not_value_error(tmp_path, text, message):
    path = tmp_path / "values.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_yaml(path)


def test_yaml__huge_key_is_not_written_out_in_the_message(tmp_path):
    lines = ["a: &a [" + ", ".join(["x"] * 50) + "]", "b: &b [" + ", ".join(["*a"] * 50) + "]"]
    lines.append("? *b\n: 1")
    path = tmp_path / "key.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="a mapping key must be a plain value") as info:
        read_yaml(path)
    assert len(str(info.value)) < 200


def test_validate__message_shows_only_the_start_of_a_huge_value(tmp_path):
    from coverage.systems import load_catalog

    # Within the alias budget, but each item is a 5,000-item list: too long to print.
    lines = ["schema_version: 1", "a: &a [" + ", ".join(["xxxxxxxx"] * 5_000) + "]"]
    lines.append("systems: [" + ", ".join(["*a"] * 10) + "]")
    path = tmp_path / "wide.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"systems\[0\]: .*got \['xxxxxxxx'") as info:
        load_catalog(path)
    assert len(str(info.value)) < 300


def test_datafile__bundled_yaml_still_loads():
    from coverage.claims import load_claims
    from coverage.systems import load_catalog

    assert load_catalog().systems
    assert load_claims()


# ---------------------------------------------------------------------------- CSV rows

#: Line breaks of every kind a reader may honour, formulas, and both together.
CSV_HOSTILE = [
    "a\rb",
    "c\nd",
    "e\r\nf",
    "g\u2028h",
    "i\u2029j",
    "k\x0bl",
    "m\x0cn",
    "o\x1cp",
    "q\x1dr",
    "s\x1et",
    "u\x85v",
    "=cmd|'/c calc'!A1",
    "@x",
    "\tx",
    "\rx",
    "\n=cmd",
    "x\r=cmd",
    "\u2028=cmd",
    "+1",
    "-2",
    'q"uote,comma',
    "",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(text: str) -> list[list[str]]:
    """Rows as the csv module reads them, from a file opened with newline=''."""
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_one_row_per_record(text: str, records: int) -> list[list[str]]:
    """Check CSV ``text`` three ways: csv module, pandas, and csv over str.splitlines()."""
    rows = csv_rows(text)
    assert len(rows) == records + 1, rows
    assert len({len(r) for r in rows}) == 1
    # A reader that first splits the text into lines at every Unicode line break.
    assert len(list(csv.reader(text.splitlines()))) == records + 1
    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    assert len(frame) == records and list(frame.columns) == rows[0]
    for cells in [*rows, *frame.astype(str).itertuples(index=False)]:
        for cell in cells:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a genuine number may start like a formula
    return rows


def test_csv_text__line_breaks_and_formulas__one_row_per_record():
    from coverage.exports import _csv_text

    columns = ["name", "=header", "margin_km", "tags"]
    records = [
        {"name": name, "=header": name, "margin_km": -12.5 - i, "tags": [name, "x"]}
        for i, name in enumerate(CSV_HOSTILE)
    ]
    rows = assert_one_row_per_record(_csv_text(columns, records), len(records))
    assert rows[0][1] == "'=header"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["a\rb"][2] == "-12.5"  # numbers stay numbers, unquoted
    assert by_name["'=cmd|'/c calc'!A1"] and by_name["'\rx"] and by_name["'@x"]
    assert by_name["'-2"][3] == "'-2;x"  # the guard sees the final (joined) text
    assert by_name["x\r=cmd"][0] == "x\r=cmd"  # kept exactly, in one cell


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("csv_hostile")
    system_name = json.dumps("sys\r\n=evil\u2028x")
    site_name = json.dumps("@site\rname")
    title = json.dumps("=title\rx")
    (d / "systems.yaml").write_text(
        "schema_version: 1\n"
        "systems:\n"
        "  - id: hostile-missile\n"
        f"    name: {system_name}\n"
        "    role: ballistic\n"
        '    nuclear_capable: {status: "no"}\n'
        "    ranges:\n"
        "      - kind: declared\n"
        "        km: 3000\n"
        f'        source: {{title: {title}, url: "https://example.org/", date: "2020"}}\n'
        "sites:\n"
        "  - id: hostile-site\n"
        f"    name: {site_name}\n"
        "    lon: 20.0\n"
        "    lat: 50.0\n"
        "    systems: [hostile-missile]\n",
        encoding="utf-8",
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [20 + i * 0.3, 48 + i * 0.2]},
            "properties": {"name": name or "empty", "country": name},
        }
        for i, name in enumerate(CSV_HOSTILE)
    ]
    (d / "targets.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return d


@pytest.mark.cli
def test_cli_claim_csv__names_with_line_breaks__one_row_per_target(run_cli, hostile_files):
    d = hostile_files
    out = d / "claim.csv"
    proc = run_cli(
        "claim",
        "--system",
        "hostile-missile",
        "--site",
        "hostile-site",
        "--systems",
        str(d / "systems.yaml"),
        "--targets",
        str(d / "targets.geojson"),
        "--format",
        "csv",
        "-o",
        str(out),
        "-q",
    )
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8 (issue 17)
    rows = assert_one_row_per_record(data.decode("utf-8-sig"), len(CSV_HOSTILE))
    names = {row[0] for row in rows[1:]}
    # (the loader strips names, so "\rx" arrives as "x")
    assert {"a\rb", "c\nd", "g\u2028h", "x\r=cmd", "'=cmd|'/c calc'!A1", "'@x"} <= names


@pytest.mark.cli
def test_cli_rings_csv__site_and_system_names_with_line_breaks__one_row(run_cli, hostile_files):
    d = hostile_files
    out = d / "rings.csv"
    proc = run_cli(
        "rings",
        "--system",
        "hostile-missile",
        "--site",
        "hostile-site",
        "--systems",
        str(d / "systems.yaml"),
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    rows = assert_one_row_per_record(out.read_bytes().decode("utf-8-sig"), 1)
    ring = dict(zip(rows[0], rows[1], strict=True))
    assert ring["site_name"] == "'@site\rname" and ring["source_title"] == "'=title\rx"
    assert ring["system_name"] == "sys\r\n=evil\u2028x"


# ---------------------------------------------------------------------------- array shapes

BAD_SHAPES = [
    # nearest_site: one latitude is not stretched over three longitudes
    (lambda: nearest_site([1, 2, 3], [4], [0], [0]), "site_lon and site_lat"),
    (lambda: nearest_site([0], [0], [1, 2, 3], [4]), "target_lon and target_lat"),
    (lambda: nearest_site([0, 1], [0, 1], [1, 2, 3], 5.0), "target_lon and target_lat"),
    (lambda: nearest_site(np.zeros((2, 2)), np.zeros((2, 2)), [0], [0]), "site_lon must be 1-D"),
    (lambda: nearest_site([0], [0], np.zeros((2, 3)), np.zeros((2, 3))), "target_lon must be 1-D"),
    # within_reach: the same sets, and ranges
    (lambda: within_reach([1, 2, 3], [4], [0], [0], 100), "site_lon and site_lat"),
    (lambda: within_reach([0], [0], [[0, 1]], [[0, 1]], 100), "target_lon must be 1-D"),
    (lambda: within_reach([0], [0], [1, 2], 3.0, 100), "target_lon and target_lat"),
    (lambda: within_reach([0], [0], [0], [0], [[1], [1, 2]]), "max_km"),
    # within_ring: any shape, but one shape for both
    (lambda: within_ring(0, 0, 100, [1, 2, 3], [4]), "target_lon .* and target_lat"),
    (lambda: within_ring(0, 0, 100, [[1, 2, 3]], [1, 2, 3]), "target_lon .* and target_lat"),
    (lambda: within_ring(0, 0, 100, [1, 2], 5.0), "target_lon .* and target_lat"),
    (lambda: within_ring([0, 1], 0, 100, [1], [1]), "lon and lat"),
    # distance_km: numpy broadcasting (documented), refused with the names when it fails
    (lambda: distance_km([1, 2, 3], [1, 2], 0, 0), "lon1 and lat1"),
    (lambda: distance_km(0, 0, [1, 2, 3], [[1, 2]] * 2), "lon2 and lat2"),
    (lambda: distance_km([1, 2, 3], [1, 2, 3], [1, 2], [1, 2]), r"lon1, lat1: shape \(3,\)"),
    # distance_matrix_km: 1-D sets of equal length (a single number may be shared)
    (lambda: distance_matrix_km([0, 1, 2], [5], [0], [0]), "lon1 and lat1"),
    (lambda: distance_matrix_km([0], [0], [0, 1], [0, 1, 2]), "lon2 and lat2"),
    (lambda: distance_matrix_km(np.zeros((2, 2)), np.zeros((2, 2)), [0], [0]), "lon1 must be 1-D"),
    (lambda: distance_matrix_km([0], [0], [0, 1], np.zeros((2, 1))), "lat2 must be 1-D"),
]


@pytest.mark.parametrize(
    "call, parameter", BAD_SHAPES, ids=[f"{i:02d}-{p}" for i, (_, p) in enumerate(BAD_SHAPES)]
)
def test_bulk_and_geodesy__shapes_that_do_not_match__parameter_error_naming_them(call, parameter):
    with pytest.raises(ParameterError, match=parameter) as info:
        call()
    assert isinstance(info.value, CoverageError) and isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_shapes__documented_forms_still_work():
    assert distance_matrix_km(np.linspace(0, 10, 5), 50.0, [0.0, 20.0], 50.0).shape == (5, 2)
    assert distance_matrix_km(20.0, 50.0, [1, 2], [3, 4]).shape == (1, 2)
    assert distance_km([[0.0], [1.0]], 0.0, [0.0, 1.0, 2.0], 0.0).shape == (2, 3)
    near = nearest_site(20.51, 54.71, [13.40], [52.52])
    assert near.site_index.tolist() == [0]
    assert within_ring(20.51, 54.71, 500, 21.01, 52.23).shape == ()
    assert within_ring(20.51, 54.71, 500, [[13.40, 21.01]], [[52.52, 52.23]]).shape == (1, 2)


# ---------------------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    "name, text",
    [
        (
            "t.geojson",
            '{"type": "FeatureCollection", "features": [\n'
            '{"type": "Feature", "geometry": null, "properties": {"name": "ok \\ud83d\\ude00"}},\n'
            '{"type": "Feature", "geometry": null, "properties": {"name": "bad \\ud800"}}]}\n',
        ),
        ("t.yaml", 'a: "ok \\ud83d\\ude00"\nb: "bad \\udc00"\n'),
    ],
)
def test_loaders__lone_surrogate__refused_at_its_line(tmp_path, name, text):
    from coverage.datafile import read_json

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    reader = read_json if name.endswith(".geojson") else read_yaml
    with pytest.raises(DataError, match=r":[23]: \\ud[8c]00 is half of a UTF-16 surrogate") as info:
        reader(path)
    assert str(info.value).count(str(path)) == 1
    path.write_text(text.replace("bad", "ok").replace("\\ud800", "").replace("\\udc00", ""))
    assert reader(path)  # a whole pair (an emoji) is fine


# ----------------------------------------------------------------------------- issue 22: size


@pytest.mark.parametrize("suffix", ["geojson", "yaml"])
def test_file_over_the_limit__refused_before_a_byte_is_read(tmp_path, monkeypatch, suffix):
    from coverage import datafile
    from coverage.datafile import MAX_FILE_BYTES, MAX_YAML_BYTES, read_json

    limit = MAX_FILE_BYTES if suffix == "geojson" else MAX_YAML_BYTES
    path = tmp_path / f"big.{suffix}"
    with open(path, "wb") as sparse:  # 10 MB over the limit, and no disk used
        sparse.truncate(limit + 10_000_000)

    def no_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(datafile, "_read_at_most", no_read)
    err, peak_mb = refused(read_json if suffix == "geojson" else read_yaml, path)
    assert str(err) == (
        f"{path}: file is larger than the {limit / 1e6:,.0f} MB limit; split it into smaller files"
    )
    assert peak_mb < 5, f"peak {peak_mb:.1f} MB"


def test_cli__targets_file_over_the_limit__one_line(run_cli, tmp_path):
    path = tmp_path / "big.geojson"
    with open(path, "wb") as sparse:
        sparse.truncate(210_000_000)
    proc = run_cli("claim", "--range-km", "300", "--at", "20,54", "--targets", str(path))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "larger than the 200 MB limit" in lines[0], proc.stderr


# ------------------------------------------------------- issue 22: targets read as a stream

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def _stream_or_error(path):
    """Return ``(document, items)`` as :class:`JsonStream` reads them, or the DataError text."""
    from coverage.datafile import JsonStream

    try:
        with JsonStream(path, array="features") as stream:
            items = list(stream.items())
        return stream.document, items, stream.streamed
    except DataError as err:
        return str(err)


def _loads_or_error(text: str, path):
    """What ``json.loads`` makes of ``text``, as :func:`_stream_or_error` returns it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return str(DataError(f"JSON syntax error: {err.msg}", path=path, line=err.lineno))
    if isinstance(data, dict) and isinstance(data.get("features"), list):
        return data, data.pop("features"), True
    return data, [], False


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    members=st.dictionaries(
        st.sampled_from(["type", "a", "bbox", "name"]), _json_values, max_size=3
    ),
    features=st.one_of(st.lists(_json_values, max_size=6), _json_values),
    first=st.booleans(),
    indent=st.sampled_from([None, 0, 1, 2]),
    chunk=st.sampled_from([1, 2, 5, 16, 1 << 20]),
    edit=st.none()
    | st.tuples(st.floats(0, 1), st.sampled_from(["", ",", ":", "{", "]", '"', "x", "\n"])),
)
def test_json_stream__reads_what_json_loads_reads_whatever_the_window(
    tmp_path, monkeypatch, members, features, first, indent, chunk, edit
):
    # The features come one by one through a window of `chunk` bytes; values, the other
    # members, syntax errors and their lines are json.loads's own, at any window size.
    from coverage import datafile

    monkeypatch.setattr(datafile, "JSON_CHUNK_BYTES", chunk)
    doc = {"features": features, **members} if first else {**members, "features": features}
    text = json.dumps(doc, indent=indent)
    if edit is not None:  # one character taken out, or put in
        at = int(edit[0] * len(text))
        text = text[:at] + edit[1] + text[at + (edit[1] == "") :]
    path = tmp_path / "t.geojson"
    path.write_text(text, encoding="utf-8")
    expected = _loads_or_error(text, path)
    got = _stream_or_error(path)
    if isinstance(got, str) and "duplicate key" in got:  # an edit that repeats a key
        return
    assert got == expected


def test_load_targets__name_of_many_windows__kept_whole(tmp_path, monkeypatch):
    from coverage import datafile
    from coverage.targets import load_targets

    monkeypatch.setattr(datafile, "JSON_CHUNK_BYTES", 1000)
    long_name = "N" * 250_000 + " \u00e9\U0001f600 " + "M" * 250_000  # 500 windows
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [i, 50]},
            "properties": {"name": name},
        }
        for i, name in enumerate(["first", long_name, "last"])
    ]
    path = tmp_path / "long.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert [t.name for t in load_targets(path)] == ["first", long_name, "last"]


def test_load_targets__bad_feature_deep_in_a_big_file__its_line_without_reading_on(
    tmp_path, monkeypatch
):
    from coverage import datafile
    from coverage.targets import load_targets

    monkeypatch.setattr(datafile, "JSON_CHUNK_BYTES", 4096)
    good = json.dumps(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1, 2]},
            "properties": {"name": "a"},
        },
        separators=(",", ":"),
    )
    bad = good.replace("[1,2]", "[1,200]")
    lines = [good] * 5000 + [bad] + [good] * 20_000
    path = tmp_path / "big.geojson"
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}")
    reads = []
    real = datafile.JsonStream._more

    def counted(self):
        reads.append(1)
        return real(self)

    monkeypatch.setattr(datafile.JsonStream, "_more", counted)
    with pytest.raises(DataError) as info:
        load_targets(path)
    assert str(info.value).startswith(f"{path}:5002: features[5000].geometry.coordinates: latitude")
    assert len(reads) < 150  # about 500 KB of 2.3 MB read: the rest is never parsed


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '{"type":"FeatureCollection","features":[],"features":[]}',
            ":1: duplicate key 'features'",
        ),
        ('{"features":[],"type":"Feature","type":"FeatureCollection"}', ":1: duplicate key 'type'"),
        (
            '{"type":"FeatureCollection","features":[\n{"type":"Feature","geometry":'
            '{"type":"Point","coordinates":[1,2]},"properties":{"name":"a"}} x]}',
            ":2: JSON syntax error: Expecting ',' delimiter",
        ),
        (
            '{"type":"FeatureCollection","features":[\n{"type":"Feature","geometry":'
            '{"type":"Point","coordinates":[1,2]},"properties":{"name":"a"}},\nNaN]}',
            ":3: JSON syntax error: NaN is not valid JSON",
        ),
    ],
)
def test_load_targets__streamed_file__one_line_naming_file_and_line(tmp_path, text, message):
    from coverage.targets import load_targets

    path = tmp_path / "t.geojson"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        load_targets(path)
    assert str(info.value).startswith(f"{path}{message}"), str(info.value)


def test_load_targets__more_than_max_targets__counted_and_refused(tmp_path, monkeypatch):
    from coverage import targets

    monkeypatch.setattr(targets, "MAX_TARGETS", 5)
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1, 2]},
        "properties": {"name": "a"},
    }
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature] * 8}))
    with pytest.raises(
        DataError, match=r"features: 8 features is more than the 5 targets supported; split"
    ):
        targets.load_targets(path)


def test_json_stream__fifo_over_the_limit__refused(tmp_path):
    import os
    import threading

    from coverage.datafile import JsonStream

    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as f:
            f.write('{"type":"FeatureCollection","features":[' + "1," * 3000 + "1]}")

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(DataError, match="larger than the 0 MB limit"):
        with JsonStream(fifo, array="features", limit=1000) as stream:
            list(stream.items())
    writer.join(timeout=10)
