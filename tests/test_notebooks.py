"""Every notebook runs top to bottom offline, and the repository keeps them output-free."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def executed(docs_build):
    """Each notebook as the docs build executed it, by file name.

    The build (``docs_build`` in conftest.py) runs every notebook top to bottom offline,
    in an empty folder, in a kernel running this interpreter, and fails on the first
    cell that raises (``nb_execution_raise_on_error``); myst-nb keeps what it executed
    in a jupyter-cache, read here, so no notebook is executed twice.
    """
    jupyter_cache = pytest.importorskip("jupyter_cache")
    cache = jupyter_cache.get_cache(str(docs_build[1]))
    return {
        Path(record.uri).name: cache.get_cache_bundle(record.pk).nb
        for record in cache.list_cache_records()
    }


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
def test_notebook__runs_top_to_bottom(path, executed):
    assert path.name in executed, f"the docs build did not execute {path.name}"
    nb = executed[path.name]
    stored = json.loads(path.read_text(encoding="utf-8"))
    # The cache keeps the code cells (markdown has no outputs): every one, as stored.
    code = ["".join(c["source"]) for c in stored["cells"] if c["cell_type"] == "code"]
    assert [c.source for c in nb.cells if c.cell_type == "code"] == code
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
