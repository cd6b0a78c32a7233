"""Small functions, kept small: the complexity limits of ``src/`` (issue 21, item 7).

Two measures, both run as the developer would from the repository root:

- ruff's mccabe check (``C90``) with ``max-complexity = 10``, as in pyproject.toml;
- radon's cyclomatic complexity, which also counts boolean operators and
  comprehensions: no function at rank D or worse (above 20).

A failure lists every offender, ``path:line name (complexity)``. There are no
per-function exceptions: split a function by what varies instead. Run only these with
``pytest -m complexity``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
MAX_MCCABE = 10  # ruff C90, pyproject.toml [tool.ruff.lint.mccabe]
MAX_RADON = 20  # rank D and worse

pytestmark = pytest.mark.complexity


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_complexity__pyproject_selects_c90_at_10():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest's own dependency
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "C90" in lint["select"]
    assert lint["mccabe"]["max-complexity"] == MAX_MCCABE


def test_complexity__ruff_c90_passes_on_src():
    done = _run(
        "ruff", "check", "--no-cache", "--select", "C90", "--output-format", "json",
        "--config", f"lint.mccabe.max-complexity={MAX_MCCABE}", str(SRC),
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    offenders = [
        f"{Path(d['filename']).relative_to(ROOT)}:{d['location']['row']} {d['message']}"
        for d in json.loads(done.stdout)
    ]
    assert not offenders, f"{len(offenders)} functions above {MAX_MCCABE}:\n" + "\n".join(offenders)


def test_complexity__radon_lists_nothing_above_20():
    done = _run("radon", "cc", "--json", "-n", "D", str(SRC / "coverage"))
    assert done.returncode == 0, done.stderr
    offenders = []
    for path, blocks in json.loads(done.stdout).items():
        where = Path(path).relative_to(ROOT)
        if isinstance(blocks, dict):  # {"error": ...}: radon could not read the file
            offenders.append(f"{where}: {blocks.get('error')}")
            continue
        offenders += [f"{where}:{b['lineno']} {b['name']} ({b['complexity']})" for b in blocks]
    assert not offenders, f"radon cc above {MAX_RADON} (rank D or worse):\n" + "\n".join(
        sorted(offenders)
    )
