"""Shared fixtures and settings for the threat-coverage test-suite.

The suite runs on every core (pytest-xdist, ``-n auto`` in pyproject.toml). What many
tests read is built once per worker by the session fixtures below: the bundled
catalogue, claims and capitals, the default claim's verdict and its map, and one
headless Chromium (``browser``) shared by every browser test of the worker. How the
tests are dealt out to the workers is at the end (``pytest_xdist_make_scheduler``);
hypothesis runs its "ci" profile when ``CI`` is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"

# Two workers share two cores: one BLAS thread each (and in every subprocess they start),
# not two each fighting over the cores for a small matrix product.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def pytest_configure(config):
    """Compile the package once, before the workers start.

    Hundreds of tests run the real console script in a subprocess; where
    ``PYTHONDONTWRITEBYTECODE`` is set, each of them would compile ``src/coverage``
    again (about 0.15 s). The byte code goes to ``__pycache__`` (ignored by git).
    """
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        import compileall

        compileall.compile_dir(ROOT / "src" / "coverage", quiet=1)


# Hypothesis profiles, all derandomized but "long": the same examples on every run, so a
# result is reproducible. "dev" (the default) tries 60 examples a test; "ci" (chosen when
# CI is set) 25, to keep the whole suite within its time; HYPOTHESIS_PROFILE=long explores
# 2,000 fresh examples a test. Examples pinned with @example run under every profile.
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", settings.get_profile("dev"), max_examples=25)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def examples(n: int) -> int:
    """Scale a test's own ``max_examples`` (chosen for "dev") to the loaded profile.

    Never more than ``n`` (HYPOTHESIS_PROFILE=long does not raise an explicit setting),
    never fewer than 3.
    """
    return max(3, min(n, round(n * settings.default.max_examples / 60)))


def pytest_report_header(config):
    import pyproj
    import shapely

    return (
        f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), "
        f"shapely {shapely.__version__}"
    )


def console_script() -> str:
    """Path of the installed console script, next to the running interpreter."""
    candidate = Path(sys.executable).with_name("threat-coverage")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("threat-coverage")
    if not found:
        pytest.fail("the threat-coverage console script is not installed (pip install -e .)")
    return found


@pytest.fixture
def run_cli():
    """Run the real console script in a subprocess; return the CompletedProcess."""

    def run(*args: str, cwd: Path | None = None, input: str | None = None, timeout: float = 120):
        env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
        return subprocess.run(
            [console_script(), *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            input=input,
            timeout=timeout,
        )

    return run


# -- the docs site, built once per worker -------------------------------------------

#: A guard against a hung build, not a speed limit: about 35 s of CPU, but minutes of
#: wall time on a machine busy with other work.
DOCS_BUILD_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory):
    """The docs site built as CI builds it (``sphinx -W``, notebooks executed), once.

    Returns ``(html, jupyter_cache)``: the site's folder, and the cache where myst-nb
    keeps each notebook as it executed it. The notebook tests read their outputs from
    that cache, so every notebook is executed once per run, not once for the site and
    again for the tests (tests/test_docs.py and tests/test_notebooks.py share a worker).
    """
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_nb")
    base = tmp_path_factory.mktemp("docs")
    html, cache = base / "html", base / "jupyter-cache"
    command = [sys.executable, "-m", "sphinx", "-W", "-E", "-q", "-b", "html"]
    command += ["-D", "nb_execution_mode=cache", "-D", f"nb_execution_cache_path={cache}"]
    done = subprocess.run(
        [*command, str(ROOT / "docs"), str(html)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=DOCS_BUILD_TIMEOUT_S,
        env={**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"},
    )
    assert done.returncode == 0, done.stderr[-5000:]
    return html, cache


# -- bundled data, read once per worker ---------------------------------------------------
# Frozen objects (or, for claims, a dict no test may change): safe to share.

DEFAULT_CLAIM = "grybauskaite-2018-capitals"


@pytest.fixture(scope="session")
def catalog():
    """The bundled catalogue of systems and sites (``load_catalog()``)."""
    from coverage.systems import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def claims():
    """The bundled claims by id (``load_claims()``); read it, never change it."""
    from coverage.claims import load_claims

    return load_claims()


@pytest.fixture(scope="session")
def capitals():
    """The bundled capitals (``load_targets()``), every definition's members."""
    from coverage.targets import load_targets

    return load_targets()


@pytest.fixture(scope="session")
def bundled_verdict(claims, catalog):
    """Return the verdict of a bundled claim by id, judged once per worker."""
    from functools import cache

    from coverage.claims import evaluate_claim

    @cache
    def verdict(claim_id: str):
        return evaluate_claim(claims[claim_id], catalog)

    return verdict


@pytest.fixture(scope="session")
def kaliningrad_verdict(bundled_verdict):
    """The default claim's verdict (Grybauskaite 2018, "half of Europe's capitals")."""
    return bundled_verdict(DEFAULT_CLAIM)


# -- one browser per worker -------------------------------------------------------------

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """This worker's headless Debian chromium (playwright's sync API), open for the session.

    ``playwright install`` is never run: the browser is ``shutil.which("chromium")``.
    Without it (or without playwright) browser tests are skipped locally and fail when
    ``CI`` is set. Open a context (``browser.new_context()``) or a page per test or
    module, and close it. While it is open, playwright's event loop is this thread's
    running loop: code calling ``asyncio.run`` must run in a subprocess.
    """
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = [
        what
        for what, ok in (
            ("chromium (apt-get install chromium)", executable),
            ("the playwright package", sync_playwright),
        )
        if not ok
    ]
    if missing:
        message = f"cannot open maps in a browser: {' and '.join(missing)} not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests must run in CI")
        pytest.skip(message)
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, headless=True, args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


# -- how the tests are shared between the workers --------------------------------------

#: Files with no module fixture, whose tests share nothing costlier than the session
#: fixtures above: each test is a work unit of its own, so that their many short tests
#: (subprocess runs, brute-force checks) fill the end of the run on whichever worker is
#: free. Every other file goes to one worker whole (``--dist loadfile``), so that its
#: module fixtures are built once.
ONE_TEST_AT_A_TIME = frozenset(
    {
        "tests/test_areas.py",
        "tests/test_bulk.py",
        "tests/test_checks.py",
        "tests/test_cli.py",
        "tests/test_cli_ux.py",
        "tests/test_defences.py",
        "tests/test_engines.py",
        "tests/test_fuzz.py",
        "tests/test_stakes.py",
    }
)
#: Files that read the same costly session fixture (every bundled claim judged, through
#: ``bundled_verdict``) go to the same worker, which judges each claim once for both. The
#: notebook tests go with the docs build (which executes the same notebooks), so that two
#: workers never start Jupyter kernels at the same time: kernels started together stalled
#: for about two minutes in some runs (the docs build took 401 s of wall time for 36 s of CPU).
TOGETHER = {
    "tests/test_maps_embed.py": "tests/test_static.py",
    "tests/test_notebooks.py": "tests/test_docs.py",
}
#: Files that hold one long step (the Sphinx build, notebooks executed): started first,
#: so that the other worker runs everything else meanwhile.
START_FIRST = ("tests/test_docs.py",)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (pyproject.toml), refined by the three tables above.

    Other ``--dist`` modes are xdist's own.
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return nodeid if path in ONE_TEST_AT_A_TIME else TOGETHER.get(path, path)

        def _assign_work_unit(self, node) -> None:
            for first in reversed(START_FIRST):
                if first in self.workqueue:
                    self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)
