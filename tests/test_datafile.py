"""datafile.read_yaml: libyaml's events read the bundled files as the pure loader does.

libyaml parses; PyYAML's composer and constructor with our hooks build the values.
A text the C route refuses is read again by the pure-Python loader, so that every
refusal (message and line) is PyYAML's own: these tests compare both routes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coverage import datafile
from coverage.datafile import read_yaml
from coverage.errors import DataError

DATA = Path(datafile.__file__).resolve().parent / "_data"
BUNDLED = sorted(DATA.glob("*.yaml"))


def same(a, b, where: str = "") -> None:
    """Assert two loaded documents equal, with the same types and the same lines."""
    assert type(a) is type(b), where
    assert a == b, where
    if isinstance(a, dict):
        assert a.lines == b.lines, where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert a.lines == b.lines, where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")


def pure(monkeypatch) -> None:
    """Make :func:`read_yaml` use the pure-Python loader only (as before libyaml)."""
    monkeypatch.setattr(datafile, "_CLineLoader", None)


def test_read_yaml__libyaml_is_there():
    assert datafile._CLineLoader is not None, "PyYAML built without libyaml: reading is slow"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_read_yaml__bundled_file__c_route_equals_pure_route(path, monkeypatch):
    text = datafile._read_text(path, datafile.MAX_YAML_BYTES)
    c_route = datafile._load(datafile._CLineLoader, text, path)
    pure_route = datafile._load(datafile._LineLoader, text, path)
    same(c_route, pure_route)
    # and read_yaml itself takes the C route for them: the pure loader is never built
    monkeypatch.setattr(datafile, "_load_checked", lambda *a: pytest.fail("pure route taken"))
    same(read_yaml(path), pure_route)


HOSTILE = {
    "billion_laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 9) + "]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "z: *i\n",
    "cycle": "a: &a\n  b: *a\n",
    "undefined_alias": "a: *nowhere\n",
    "duplicate_key": "a: 1\nb: 2\na: 3\n",
    "key_not_plain": "? [1, 2]\n: x\n",
    "syntax": "a: [1, 2\nb: 3\n",
    "tab_indent": "a:\n\t- 1\n",
    "control_character": "a: 'x\x07y'\n",
    "lone_surrogate": 'a: "\\ud800"\n',
    "surrogate_pair_escaped": 'a: "\\ud83d\\ude00"\n',
    "deep": "a: " + "[" * 3000 + "]" * 3000 + "\n",
    "huge_integer": "a: " + "9" * 5000 + "\n",
    "bad_date": "a: 2020-13-45\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "python_tag": "a: !!python/object:os.system x\n",
    "unknown_tag": "a: !secret x\n",
    "yaml_version": "%YAML 2.0\n---\na: 1\n",
}


def outcome(path: Path):
    """Return what read_yaml gives: ('ok', data) or ('refused', message, line)."""
    try:
        return ("ok", read_yaml(path))
    except DataError as err:
        return ("refused", str(err), err.line)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_read_yaml__hostile_text__same_outcome_as_pure_loader(name, tmp_path, monkeypatch):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    fast = outcome(path)
    pure(monkeypatch)
    slow = outcome(path)
    assert fast == slow
    # every one is refused, except an escaped pair, which PyYAML reads (as before)
    assert fast[0] == ("ok" if name == "surrogate_pair_escaped" else "refused"), fast


def test_read_yaml__duplicate_key__line_of_both(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("x: 0\nsystems:\n  a: 1\n  b: 2\n  a: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"dup\.yaml:5: duplicate key 'a' \(first on line 3\)"):
        read_yaml(path)


def test_read_yaml__lines_of_keys_and_items(tmp_path):
    path = tmp_path / "lines.yaml"
    path.write_text("# c\nsystems:\n  - id: a\n\n  - id: b\n    km: 5\n", encoding="utf-8")
    data = read_yaml(path)
    assert data.lines == {"systems": 2}
    assert data["systems"].lines == [3, 5]
    assert data["systems"][1].lines == {"id": 5, "km": 6}
