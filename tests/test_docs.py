"""The documentation: its examples run as written, and the site builds offline.

Every Python block of README.md and docs/ runs (Sybil parses the Markdown), each in a
fresh namespace and an empty working folder; every ``threat-coverage`` command shown
in a shell block uses options its command has. The site builds with warnings as errors,
notebooks executed.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import console_script
from sybil import Document
from sybil.parsers.markdown import PythonCodeBlockParser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

pytestmark = pytest.mark.docs

PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md")), *sorted(DOCS.glob("guide/*.md"))]

KEY_PAGES = [
    "index.html",
    "getting-started.html",
    "guide/claims.html",
    "guide/own-system.html",
    "guide/areas-sectors.html",
    "guide/exports.html",
    "guide/scale.html",
    "guide/static-figures.html",
    "gallery.html",
    "maps/kaliningrad-claim.html",
    "cli.html",
    "completion.html",
    "method.html",
    "sources.html",
    "changelog.html",
    "notebooks/01_kaliningrad_claim.html",
    "notebooks/02_your_own_system.html",
    "notebooks/03_definitions_and_ranges.html",
    "api/index.html",
    *(
        f"api/{name}.html"
        for name in (
            "geodesy envelopes areas sectors checks claims systems targets reach bulk maps "
            "static exports frames errors"
        ).split()
    ),
]


@pytest.fixture(scope="module")
def site(docs_build):
    """The built site's folder (``docs_build`` in conftest.py: one build per worker)."""
    return docs_build[0]


def test_docs__build_writes_every_key_page(site):
    missing = [page for page in KEY_PAGES if not (site / page).is_file()]
    assert not missing


def test_docs__index_has_the_two_readme_commands(site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert block[0] in index and block[1] in index


def test_docs__cli_reference_from_click(site):
    text = (site / "cli.html").read_text(encoding="utf-8")
    for command in ("claim", "map", "rings", "systems", "sites", "definitions"):
        assert f'id="threat-coverage-{command}"' in text, command
    for option in ("range-km", "sector", "area", "tiles"):
        assert f'id="cmdoption-threat-coverage-claim-{option}"' in text or (
            f'id="cmdoption-threat-coverage-map-{option}"' in text
        ), option


def test_docs__api_reference_from_docstrings(site):
    geodesy = (site / "api" / "geodesy.html").read_text(encoding="utf-8")
    assert 'id="coverage.geodesy.range_ring"' in geodesy
    assert "Raises" in geodesy and "kilometres" in geodesy
    frames = (site / "api" / "frames.html").read_text(encoding="utf-8")
    assert "assume_crs" in frames


def test_docs__notebooks_rendered_with_outputs(site):
    text = (site / "notebooks" / "03_definitions_and_ranges.html").read_text(encoding="utf-8")
    assert "of 51; the claim needs 26" in text  # a printed output, not only the code
    assert "<img" in text  # the curves, as an image
    assert "cell_output" in (site / "notebooks" / "01_kaliningrad_claim.html").read_text(
        encoding="utf-8"
    )


def test_docs__completion_and_sources(site):
    completion = (site / "completion.html").read_text(encoding="utf-8")
    assert "_THREAT_COVERAGE_COMPLETE" in completion and "bash_source" in completion
    source = (DOCS / "completion.md").read_text(encoding="utf-8")
    assert '"$(_THREAT_COVERAGE_COMPLETE=bash_source threat-coverage)"' in source
    sources = (site / "sources.html").read_text(encoding="utf-8")
    assert "GeoNames" in sources and "Natural Earth" in sources


def test_docs__gallery_of_static_figures(site):
    import re

    text = (site / "gallery.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
    names = {Path(src).name for src in images}
    for name in ("kaliningrad-claim", "sarmat-uzhur", "kamchatka-antimeridian", "severomorsk-pole"):
        assert f"{name}.png" in names, name
    for src in images:
        assert (site / src).is_file(), src
    assert '<iframe src="maps/kaliningrad-claim.html"' in text
    assert (site / "maps" / "kaliningrad-claim.html").stat().st_size > 100_000


def test_docs__ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == block[1]  # the second line of the README's first block
    assert block[1].endswith(".venv/bin/python -m pytest")  # -n auto comes from addopts


# -- examples that run --------------------------------------------------------------


def _python_blocks(page: Path) -> Document:
    return Document.parse(str(page), PythonCodeBlockParser())


def _example_params():
    return [
        pytest.param(page, example.line, id=f"{page.relative_to(ROOT)}:{example.line}")
        for page in PAGES
        for example in _python_blocks(page)
    ]


def test_docs__every_python_fence_is_collected():
    fences = sum(
        len(re.findall(r"^```python\s*$", page.read_text(encoding="utf-8"), re.M)) for page in PAGES
    )
    assert fences >= 13
    assert len(_example_params()) == fences


@pytest.mark.parametrize(("page", "line"), _example_params())
def test_docs__python_block_runs_as_written(page, line, tmp_path, monkeypatch):
    """A block runs alone, in a fresh namespace, in an empty folder (it writes its files there)."""
    monkeypatch.chdir(tmp_path)
    (example,) = [e for e in _python_blocks(page) if e.line == line]
    example.evaluate()


# -- shell commands that exist ------------------------------------------------------

SHELL_FENCE = re.compile(r"^```(?:sh|console|bash|shell)\s*\n(.*?)^```", re.M | re.S)
OPTION = re.compile(r"--?[A-Za-z]")  # not a negative number such as -70.5,40


def _shown_commands() -> list[tuple[str, str, tuple[str, ...]]]:
    """Return (page, command, options) for every ``threat-coverage CMD ...`` shown."""
    shown = []
    for page in PAGES:
        for block in SHELL_FENCE.findall(page.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                starts = [i for i, w in enumerate(words) if w.endswith("threat-coverage")]
                for i in starts[:1]:
                    args = words[i + 1 :]
                    if args and not args[0].startswith("-"):
                        options = tuple(a.split("=", 1)[0] for a in args if OPTION.match(a))
                        shown.append((page.name, args[0], options))
    return shown


@functools.cache
def _help(command: str) -> str:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    done = subprocess.run(
        [console_script(), command, "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, f"threat-coverage {command} --help: {done.stderr.strip()}"
    return done.stdout


def test_docs__shell_commands_use_options_that_exist():
    shown = _shown_commands()
    assert {command for _, command, _ in shown} >= {"claim", "map", "rings", "systems"}
    missing = [
        f"{page}: threat-coverage {command} {option}"
        for page, command, options in shown
        for option in options
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", _help(command))
    ]
    assert not missing, "options shown in the docs that the CLI does not have:\n" + "\n".join(
        missing
    )
