"""Hostile input (issue #12): YAML that expands, CSV cells that break rows, arrays of the wrong shape.

Each test here failed on the code before the fix it covers: the alias bomb was
loaded and then walked by repr() (seconds, hundreds of MB), a lone carriage return in
a name split a CSV row, and mismatched arrays were broadcast or raised numpy's own
ValueError.
"""

from __future__ import annotations

import tracemalloc

import pytest

from coverage.datafile import MAX_YAML_ALIAS_NODES, read_yaml
from coverage.errors import DataError

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
