"""Every notebook runs top to bottom offline, and the repository keeps them output-free."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 120
# A kernel name of our own, so a user- or system-wide "python3" kernelspec pointing to
# another interpreter can never be picked up instead of the one running the tests.
KERNEL_NAME = "threat-coverage-tests"


@pytest.fixture(scope="module")
def kernel_manager_class():
    """The docs build's kernel manager (docs/_ext/steady_kernel.py): no reply is waited
    for until the cell's timeout when pyzmq loses a wake-up."""
    pytest.importorskip("nbclient")
    spec = importlib.util.spec_from_file_location(
        "steady_kernel", ROOT / "docs" / "_ext" / "steady_kernel.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SteadyKernelManager


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory):
    """Register a kernelspec running this interpreter (works in a fresh, unactivated venv)."""
    jupyter_dir = tmp_path_factory.mktemp("jupyter")
    spec_dir = jupyter_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "threat-coverage tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_dir), old]))
    yield KERNEL_NAME
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


def test_notebooks__present():
    names = [p.name for p in NOTEBOOKS]
    assert names == [
        "01_kaliningrad_claim.ipynb",
        "02_your_own_system.ipynb",
        "03_definitions_and_ranges.ipynb",
        "04_flight_times.ipynb",
        "05_claim_of_the_day.ipynb",
    ]


def test_notebooks__reproduced_by_the_script(tmp_path, monkeypatch):
    """notebooks/ is what scripts/make_notebooks.py writes (edit the script, not the files)."""

    spec = importlib.util.spec_from_file_location(
        "make_notebooks", ROOT / "scripts" / "make_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for path in NOTEBOOKS:
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(
            encoding="utf-8"
        ), f"{path.name} differs from scripts/make_notebooks.py: run it again"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook__stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} of {path.name} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} of {path.name} has a count"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook__runs_top_to_bottom(
    path, kernel_name, kernel_manager_class, tmp_path, monkeypatch
):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_name,
        kernel_manager_class=kernel_manager_class,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(tmp_path)}},  # run in an empty working dir
        allow_errors=False,
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    last = nb.cells[-1] if nb.cells[-1].cell_type == "code" else None
    if path.stem == "01_kaliningrad_claim":
        # The map is the last expression: it must render inline as HTML.
        assert any("text/html" in out.get("data", {}) for out in last.outputs)
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    html_out = "".join(str(out.get("data", {}).get("text/html", "")) for out in outputs)
    if path.stem in ("01_kaliningrad_claim", "03_definitions_and_ranges", "05_claim_of_the_day"):
        # The range control is drawn as a widget, and its first redraw filled its output.
        assert any(
            "application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs
        )
        assert "threat-coverage-explore" in json.dumps(nb.metadata.get("widgets", {})) or (
            "threat-coverage-explore" in html_out
        )
    if path.stem == "01_kaliningrad_claim":
        # The verdict and the envelope show themselves as HTML.
        assert "threat-coverage-report" in html_out and "FALSE" in html_out
        assert "threat-coverage-envelope" in html_out and "<svg" in html_out
    if path.stem == "05_claim_of_the_day":
        # The student's claim is read, judged, re-judged and exported.
        assert "threat-coverage-claim" in html_out and "Example only" in html_out
        assert "threat-coverage-report" in html_out
        assert any("image/png" in out.get("data", {}) for out in outputs)  # the exported figure
        text = "".join(out.get("text", "") for out in outputs)
        assert "my-claim.png" in text, text
    if path.stem == "03_definitions_and_ranges":
        outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
        assert any("image/png" in out.get("data", {}) for out in outputs)  # the curves
        # The sampled launch area: counts far below the 26 capitals the claim needs.
        text = "".join(out.get("text", "") for out in last.outputs)
        assert "of 51; the claim needs 26" in text, text
    if path.stem == "04_flight_times":
        text = "".join(
            out.get("text", "")
            for cell in nb.cells
            if cell.cell_type == "code"
            for out in cell.outputs
        )
        # The closed form agrees with the integration (to well under 0.1 %), and the
        # claims about time get their bands.
        difference = float(text.split("largest time difference: ")[1].split(" %")[0])
        assert difference < 0.1, text
        assert "IMPOSSIBLE" in text and "CONSISTENT" in text, text
        assert "50.5 min free flight" in text, text
