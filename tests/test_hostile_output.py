"""Hostile places to write and hostile ways to be run (issue #12), through the real console script.

Outputs that are not regular files (device nodes, FIFOs, sockets, ``-``, ``/dev/stdout``),
SIGTERM and SIGHUP in the middle of a write, text that the output cannot encode
(lone surrogates, Latin-1 and ASCII terminals), a closed or broken stdout, output
names of 255 bytes, and inputs over a documented limit refused before the work.
Every case ends in success or one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import console_script

pytestmark = pytest.mark.cli

RING = ["rings", "--range-km", "5", "--at", "20,50"]


def run(*args, env=None, cwd=None, timeout=120, **kwargs):
    """Run the console script with extra environment variables (None removes one)."""
    full = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    for key, value in (env or {}).items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run(
        [console_script(), *args],
        capture_output=True,
        env=full,
        cwd=cwd,
        timeout=timeout,
        **kwargs,
    )


def shell(script, *, env=None, cwd=None, timeout=120):
    """Run ``script`` under sh with ``$TC`` set to the console script."""
    full = dict(os.environ, COLUMNS="120", NO_COLOR="1", TC=console_script())
    for key, value in (env or {}).items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run(
        ["sh", "-c", script], capture_output=True, env=full, cwd=cwd, timeout=timeout
    )


def err_text(proc) -> str:
    return proc.stderr.decode("utf-8", "replace") if isinstance(proc.stderr, bytes) else proc.stderr


def assert_at_most_one_line(proc):
    text = err_text(proc)
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) <= 1, text
    return lines[0] if lines else ""


def assert_one_line_error(proc, code, *needles):
    assert proc.returncode == code, (proc.returncode, err_text(proc))
    line = assert_at_most_one_line(proc)
    assert line, "expected one line on stderr"
    for needle in needles:
        assert needle in line, line
    return line


def leftovers(folder: Path, *keep: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p not in keep)


def write_targets(path: Path, names_or_count) -> Path:
    if isinstance(names_or_count, int):
        names = [f"t{i}" for i in range(names_or_count)]
    else:
        names = list(names_or_count)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [(i % 3600) / 10 - 180, ((i // 3600) % 1700) / 10 - 85],
            },
            "properties": {"name": name, "country": name},
        }
        for i, name in enumerate(names)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# --- 1. outputs that are not regular files -----------------------------------------------


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")
@pytest.mark.parametrize(
    "args",
    [RING, ["claim", "--format", "csv", "-q"], ["map", "--range-km", "500", "--at", "20,50", "-q"]],
    ids=["rings", "claim-csv", "map"],
)
def test_output__device_node__written_into_never_replaced(tmp_path, args):
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    proc = run(*args, "-o", str(node))
    assert proc.returncode == 0, err_text(proc)
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert leftovers(tmp_path, node) == []


def test_output__fifo__written_into_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # The read end is opened first (without blocking), so the writer's open succeeds
    # and the small output waits in the pipe's buffer until it is read here.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        proc = run(*RING, "-o", str(fifo))
        chunks = []
        while True:
            try:
                chunk = os.read(reader, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert proc.returncode == 0, err_text(proc)
    assert json.loads(b"".join(chunks))["type"] == "FeatureCollection"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path, fifo) == []


@pytest.mark.parametrize(
    "args, name",
    [(RING, "s.geojson"), (["map", "--range-km", "500", "--at", "20,50", "-q"], "s.html")],
    ids=["rings", "map"],
)
def test_output__unix_socket__refused_with_one_line(args, name):
    folder = Path(tempfile.mkdtemp(prefix="tc-", dir="/tmp"))  # short: sun_path <= 107 bytes
    path = folder / name
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        proc = run(*args, "-o", str(path))
        assert_one_line_error(proc, 1, "socket", str(path))
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        assert leftovers(folder, path) == []
    finally:
        sock.close()
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "args, check",
    [
        (["map", "--range-km", "500", "--at", "20,50", "-q", "-o", "-"], "<!DOCTYPE html>"),
        ([*RING, "-o", "-"], '"FeatureCollection"'),
        (["claim", "-q", "--format", "kml", "-o", "-"], "<kml"),
        (["claim", "-q", "--format", "csv", "-o", "-"], "name"),
    ],
    ids=["map-html", "rings-geojson", "claim-kml", "claim-csv"],
)
def test_output__dash__writes_standard_output_and_no_file(tmp_path, args, check):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 0, err_text(proc)
    assert check in proc.stdout.decode("utf-8")
    assert_at_most_one_line(proc)
    assert leftovers(tmp_path) == []  # no file called '-', no temporary file


def test_output__dev_stdout__appends_to_a_redirected_file(tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("old line\n")
    proc = shell('"$TC" rings --range-km 5 --at 20,50 -o /dev/stdout >> log.txt', cwd=tmp_path)
    assert proc.returncode == 0, err_text(proc)
    text = log.read_text()
    assert text.startswith("old line\n{")  # appended, as `>>` asks, not replaced
    assert json.loads(text.split("\n", 1)[1])["type"] == "FeatureCollection"
    assert leftovers(tmp_path, log) == []


def test_output__help_documents_dash_devices_and_sockets():
    for command in ("rings", "claim", "map"):
        text = " ".join(run(command, "--help").stdout.decode().split())
        assert "'-'" in text and "standard output" in text, command
        assert "FIFO" in text and "socket" in text, command


# --- 2. signals -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_targets(tmp_path_factory):
    """100,000 targets: `claim --format geojson` writes ~30 MB, slow enough to interrupt."""
    return write_targets(tmp_path_factory.mktemp("many") / "many.geojson", 100_000)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_signal__during_write__no_temporary_file_old_output_intact(tmp_path, many_targets, signum):
    out = tmp_path / "out.geojson"
    old = b'{"old": "output"}\n'
    args = ["claim", "--range-km", "500", "--at", "0,0", "--targets", str(many_targets)]
    args += ["--format", "geojson", "-q", "-o", str(out)]
    for _attempt in range(3):
        out.write_bytes(old)
        proc = subprocess.Popen(
            [console_script(), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=dict(os.environ, COLUMNS="120", NO_COLOR="1"),
            # Under nohup the test runner inherits SIGHUP ignored, and the program then
            # rightly leaves it ignored: give the child the default disposition.
            preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),
        )
        caught = False
        try:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                if leftovers(tmp_path, out):  # the temporary file is being written
                    proc.send_signal(signum)
                    caught = True
                    break
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if caught and proc.returncode == 0:
            # The write finished between seeing the temporary file and the signal: the
            # signal reached an exited process. Not the case under test; try again.
            caught = False
        if caught:
            break
    assert caught, "never signalled the program while its temporary file was being written"
    assert proc.returncode == 128 + signum, (proc.returncode, stderr)
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and len(text.strip().splitlines()) <= 1, text
    assert leftovers(tmp_path, out) == []
    data = out.read_bytes()
    if data != old:  # the signal came after the rename: then the new file is whole
        assert json.loads(data)["type"] == "FeatureCollection"


# --- 3. text that cannot be encoded --------------------------------------------------------

SURROGATE = "bad\ud800name"  # json.dumps writes it as the valid JSON escape "\ud800"


@pytest.fixture(scope="module")
def surrogate_targets(tmp_path_factory):
    path = tmp_path_factory.mktemp("surrogate") / "targets.geojson"
    write_targets(path, [SURROGATE, "plain"])
    assert "\\ud800" in path.read_text()
    return path


@pytest.mark.parametrize(
    "extra, output",
    [
        ([], None),
        (["--json"], None),
        (["--format", "geojson"], None),
        (["--format", "csv"], None),
        (["--format", "kml"], None),
        (["-o", "out.geojson"], "out.geojson"),
        (["-o", "out.csv"], "out.csv"),
        (["-o", "out.kml"], "out.kml"),
        (["--map", "out.html"], "out.html"),
    ],
    ids=["table", "json", "geojson", "csv", "kml", "geojson-file", "csv-file", "kml-file", "map"],
)
def test_surrogate_name__one_line_or_replacement_never_traceback(
    tmp_path, surrogate_targets, extra, output
):
    args = ["claim", "--range-km", "500", "--at", "20,50", "--targets", str(surrogate_targets)]
    proc = run(*args, "-q", *extra, cwd=tmp_path)
    if proc.returncode == 1:  # refused where it is read: one line naming the file
        assert_one_line_error(proc, 1, str(surrogate_targets), "surrogate")
        assert leftovers(tmp_path) == []
        return
    assert proc.returncode == 0, err_text(proc)
    assert_at_most_one_line(proc)
    data = (tmp_path / output).read_bytes() if output else proc.stdout
    text = data.decode("utf-8")  # strict: valid UTF-8 throughout
    assert "plain" in text
    if extra:  # files and machine formats: U+FFFD where the surrogate was
        assert "bad\ufffdname" in text or "bad\ufffd" in text
    else:  # the terminal table shows it escaped
        assert "bad\\ud800name" in text
    assert leftovers(tmp_path, *([tmp_path / output] if output else [])) == []


def test_surrogate_in_systems_yaml__one_line(tmp_path):
    path = tmp_path / "systems.yaml"
    path.write_text(
        'schema_version: 1\nsystems:\n  - id: s\n    name: "Bad \\ud800 missile"\n'
        '    role: ballistic\n    nuclear_capable: {status: "no"}\n    ranges:\n'
        "      - kind: declared\n        km: 3000\n"
        '        source: {title: t, url: "https://example.org/", date: "2020"}\n'
        "sites: []\n",
        encoding="utf-8",
    )
    for args in (["systems"], ["systems", "--json"], ["rings", "--system", "s", "--at", "0,0"]):
        proc = run(*args, "--systems", str(path))
        assert proc.returncode in (0, 1), err_text(proc)
        assert_at_most_one_line(proc)
        if proc.returncode == 1:
            assert "systems.yaml" in err_text(proc)
        else:
            proc.stdout.decode("utf-8")


NARROW_STDOUT = {
    "latin-1": ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
    "C-locale": (
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": None},
        "ascii",
    ),
}


@pytest.mark.parametrize("name", sorted(NARROW_STDOUT))
@pytest.mark.parametrize(
    "args",
    [["claim", "-q"], ["systems"], ["sites"], ["definitions"], ["claim", "-q", "--json"]],
    ids=["claim", "systems", "sites", "definitions", "claim-json"],
)
def test_narrow_stdout_encoding__prints_with_replacements(name, args):
    env, encoding = NARROW_STDOUT[name]
    proc = run(*args, env=env)
    assert proc.returncode == 0, err_text(proc)
    assert_at_most_one_line(proc)
    text = proc.stdout.decode(encoding)  # strict: only characters the encoding has
    assert len(text) > 100


def test_narrow_stdout__surrogate_name_in_table_and_json(surrogate_targets):
    args = ["claim", "--range-km", "500", "--at", "20,50", "--targets", str(surrogate_targets)]
    for extra in ([], ["--json"]):
        proc = run(*args, "-q", *extra, env={"PYTHONIOENCODING": "latin-1"})
        if proc.returncode == 1:  # refused where it is read
            assert_one_line_error(proc, 1, str(surrogate_targets))
            continue
        assert proc.returncode == 0, err_text(proc)
        assert_at_most_one_line(proc)
        assert "plain" in proc.stdout.decode("latin-1")


@pytest.mark.parametrize("columns", ["abc", "-5", "0", "", "99999999999"])
def test_columns_not_a_width__ignored(columns):
    proc = run("systems", env={"COLUMNS": columns})
    assert proc.returncode == 0, err_text(proc)
    assert "Iskander-M" in proc.stdout.decode("utf-8")
    assert_at_most_one_line(proc)


@pytest.mark.parametrize(
    "command",
    ["systems", "systems --json", "claim -q", "rings --range-km 5 --at 0,0", "definitions"],
)
def test_closed_stdout__one_line_and_nonzero(command):
    proc = shell(f'"$TC" {command} >&-')
    assert proc.returncode != 0
    line = assert_at_most_one_line(proc)
    assert line == "" or "standard output" in line


def test_closed_stdout__file_output_still_written(tmp_path):
    proc = shell('"$TC" rings --range-km 5 --at 0,0 -o ring.geojson >&-', cwd=tmp_path)
    assert proc.returncode == 0, err_text(proc)
    assert json.loads((tmp_path / "ring.geojson").read_text())["type"] == "FeatureCollection"


BIG_RINGS = "rings --range-km 5000 --at 0,0 --at 10,10 --at 20,20 --tolerance-km 0.01"  # ~160 kB


@pytest.mark.parametrize(
    "command, reader",
    [
        ("systems", "head -1"),
        ("claim -q --all", "head -1"),
        (BIG_RINGS, "head -c 100"),
        (f"{BIG_RINGS} --format kml -o -", "head -c 100"),
        ("map -q --range-km 500 --at 0,0 -o -", "head -c 100"),
    ],
    ids=["systems", "claim-table", "rings-geojson", "rings-kml", "map-html"],
)
def test_reader_leaves_early__no_traceback(command, reader):
    # Buffered stdout, so that the broken pipe is reported rather than written through.
    script = f'{{ "$TC" {command}; echo "status $?" >&2; }} | {reader} > /dev/null'
    proc = shell(script, env={"PYTHONUNBUFFERED": None})
    text = err_text(proc)
    assert "Traceback" not in text and "Exception ignored" not in text, text
    status = [line for line in text.splitlines() if line.startswith("status ")]
    assert status and status[-1] in ("status 0", "status 1"), text
    assert len([line for line in text.splitlines() if line.strip()]) <= 2, text


# --- 4. names the file system accepts ------------------------------------------------------


@pytest.mark.parametrize(
    "stem, suffix",
    [
        ("a" * 247, ".geojson"),
        ("a" + "é" * 123, ".geojson"),  # 2-byte UTF-8
        ("abc" + "\U0001f6f0" * 61, ".geojson"),  # 4-byte UTF-8
        ("b" * 250, ".html"),
    ],
    ids=["ascii", "latin", "astral", "map"],
)
def test_output__name_of_255_bytes__written(tmp_path, stem, suffix):
    name = stem + suffix
    assert len(os.fsencode(name)) == 255
    out = tmp_path / name
    out.write_text("old\n")
    out.chmod(0o640)
    if suffix == ".html":
        args = ["map", "--range-km", "500", "--at", "20,50", "-q", "-o", str(out)]
    else:
        args = [*RING, "-o", str(out)]
    proc = run(*args)
    assert proc.returncode == 0, err_text(proc)
    assert out.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the permissions are kept
    assert leftovers(tmp_path, out) == []


def test_output__name_over_255_bytes__one_line(tmp_path):
    out = tmp_path / ("a" * 250 + ".geojson")
    assert_one_line_error(run(*RING, "-o", str(out)), 1, "cannot write")
    assert leftovers(tmp_path) == []


# --- 5. refuse early -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def too_many_for_a_map(tmp_path_factory):
    from coverage.render.leaflet import MAX_MAP_TARGETS

    path = tmp_path_factory.mktemp("big") / "big.geojson"
    return write_targets(path, MAX_MAP_TARGETS + 1), MAX_MAP_TARGETS


@pytest.mark.parametrize("command", ["claim", "map"])
def test_map_over_target_limit__refused_with_one_line_before_judging(
    tmp_path, too_many_for_a_map, command
):
    path, limit = too_many_for_a_map
    out = tmp_path / "x.html"
    args = ["--range-km", "500", "--at", "20,50", "--targets", str(path), "-q"]
    if command == "claim":
        proc = run("claim", *args, "--map", str(out), "--format", "csv", "-o", "-")
        assert proc.stdout == b""  # the verdict was not printed: nothing was judged
    else:
        proc = run("map", *args, "-o", str(out))
    assert_one_line_error(
        proc, 1, f"--targets {path}", f"{limit + 1:,} targets", f"at most {limit:,}"
    )
    assert leftovers(tmp_path) == []


def test_write_text_atomic__lone_surrogate_written_as_replacement(tmp_path):
    from coverage._atomic import write_text_atomic

    out = tmp_path / "out.txt"
    write_text_atomic(out, "a\ud800b\udfffc\n")
    assert out.read_bytes() == "a\ufffdb\ufffdc\n".encode()
    assert leftovers(tmp_path, out) == []


# ----------------------------------------------------------------------------- issue 22: names


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (RING + ["-o"], "-o"),
        (["map", "-q", "-o"], "-o"),
        (["claim", "-q", "--map"], "--map"),
    ],
)
def test_output__trailing_slash__refused_in_one_line_and_nothing_written(tmp_path, args, option):
    name = "out.png/" if option != "-o" or args[0] != "rings" else "out.geojson/"
    proc = run(*args, name, cwd=tmp_path)
    line = assert_one_line_error(proc, 2, option, name, "names a folder")
    assert "give a file name" in line
    assert list(tmp_path.iterdir()) == []  # neither out.png nor a temporary file


def test_output__missing_folder__refused_before_the_work(tmp_path):
    target = tmp_path / "missing" / "rings.geojson"
    proc = run(*RING, "-o", str(target))
    assert_one_line_error(proc, 1, "folder", "does not exist")
    assert not target.parent.exists()


def test_write_text__trailing_slash__library_refuses_too(tmp_path):
    from coverage.errors import ExportError
    from coverage.exports import write_text

    with pytest.raises(ExportError, match="names a folder"):
        write_text(f"{tmp_path}/out.geojson/", "{}")
    assert list(tmp_path.iterdir()) == []
