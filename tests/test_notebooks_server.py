"""The README's line opens the notebooks: a Jupyter server from this venv lists them.

``.venv/bin/jupyter lab notebooks/`` (with the ``notebook`` extra) starts JupyterLab on
top of jupyter-server; here the server is started the same way, from the interpreter's
own ``bin/`` and with nothing activated, on a free loopback port with a token, and
asked over its HTTP API for the notebooks and the kernel they would run on.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    """``jupyter lab`` when the notebook extra is installed, else ``jupyter server``."""
    jupyter = Path(sys.executable).parent / "jupyter"
    try:
        import jupyterlab  # noqa: F401

        sub = "lab"
    except ImportError:
        sub = "server"
    if jupyter.exists():
        return [str(jupyter), sub]
    return [sys.executable, "-m", "jupyterlab" if sub == "lab" else "jupyter_server"]


def _get(url: str, timeout: float = 5.0) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        return err.code, {}


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("jupyter_server")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JUPYTER") and k not in ("VIRTUAL_ENV", "PYTHONHOME")
    }
    # No user or system configuration: only what the venv brings.
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(tmp_path / name.lower())
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            *_command(),
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT}",
            # CI containers run as root, which Jupyter refuses without this flag.
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                status, _ = _get(f"{base}/api/status?token={token}", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("server did not start:\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.5)
        yield base, token
    finally:
        req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
        try:
            urllib.request.urlopen(req, timeout=5).close()
            proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            proc.terminate()
            proc.wait(timeout=30)
        log.close()


@pytest.mark.notebook
def test_jupyter_server__lists_the_notebooks(server):
    base, token = server
    status, listing = _get(f"{base}/api/contents/notebooks?token={token}")
    assert status == 200
    listed = sorted(c["name"] for c in listing["content"] if c["type"] == "notebook")
    assert listed == NOTEBOOKS
    assert "05_claim_of_the_day.ipynb" in listed

    # Without the token the API refuses.
    assert _get(f"{base}/api/contents/notebooks")[0] in (401, 403)

    # The kernel the notebooks ask for ("python3") is the venv's own interpreter.
    status, specs = _get(f"{base}/api/kernelspecs?token={token}")
    assert status == 200
    assert "python3" in specs["kernelspecs"]
    argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
    assert argv[0] in ("python", sys.executable), argv
