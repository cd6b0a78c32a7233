"""coverage.py shares our import name: the CLI must say so in one line, not fail strangely."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import coverage

pytestmark = pytest.mark.cli
PACKAGE = Path(coverage.__file__).resolve().parent


def run(code: str, pythonpath: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_cli__coverage_py_installed_over_us__one_line_and_exit_1(tmp_path):
    clone = tmp_path / "coverage"
    shutil.copytree(
        PACKAGE, clone, ignore=shutil.ignore_patterns("_data", "_vendor", "__pycache__")
    )
    (clone / "__init__.py").write_text(
        '"""coverage.py stand-in."""\nversion_info = (7, 6, 0)\nclass Coverage: pass\n'
    )
    proc = run("from coverage.cli import main; main(['--help'])", tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "coverage.py" in lines[0] and "pipx" in lines[0]
    assert "Traceback" not in proc.stderr


def test_cli__coverage_py_installed_beside_us__warns_in_one_line(tmp_path):
    dist = tmp_path / "coverage-7.6.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: coverage\nVersion: 7.6.0\n")
    proc = run("from coverage.cli import main; main(['definitions', '--json'])", tmp_path)
    assert proc.returncode == 0, proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "coverage.py" in line]
    assert len(warning) == 1 and "7.6.0" in warning[0]
    assert '"europe-all"' in proc.stdout


def test_cli__no_clash__no_warning(run_cli):
    proc = run_cli("definitions", "--json")
    assert proc.returncode == 0 and "coverage.py" not in proc.stderr
