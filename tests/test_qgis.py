"""The GeoPackage opened in QGIS itself: every layer valid, styled as the map, counted right.

QGIS runs as Debian's ``python3-qgis`` under the system Python (``/usr/bin/python3``),
headless (``QT_QPA_PLATFORM=offscreen``), in a subprocess that prints what it sees
as JSON. Without it the test fails and says what to install: the GeoPackage's styles
are only worth anything if QGIS really reads them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pyogrio
import pytest

from coverage.claims import evaluate_claim, figure_keys, load_claims
from coverage.gpkg import write_geopackage
from coverage.render.scene import THREAT_PALETTE
from coverage.systems import load_catalog

SYSTEM_PYTHON = "/usr/bin/python3"
INSTALL = "apt-get install -y python3-qgis"

# Runs under QGIS's Python: open each layer as QGIS does (default style from the
# GeoPackage's layer_styles) and report validity, counts, renderer and labels.
_PROBE = textwrap.dedent(
    """
    import json, os, sys
    from qgis.core import QgsApplication, QgsRenderContext, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    path = sys.argv[1]
    out = {}
    for name in sys.argv[2:]:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        renderer = layer.renderer()
        info = {
            "valid": layer.isValid(),
            "count": layer.featureCount(),
            "renderer": renderer.type() if renderer else None,
            "labels": bool(layer.labelsEnabled()),
        }
        if renderer is not None and renderer.type() == "categorizedSymbol":
            context = QgsRenderContext()
            renderer.startRender(context, layer.fields())
            info["drawn"] = sum(
                renderer.symbolForFeature(f, context) is not None for f in layer.getFeatures()
            )
            renderer.stopRender(context)
            info["attribute"] = renderer.classAttribute()
            info["categories"] = {}
            for c in renderer.categories():
                symbol = c.symbol()
                line = [symbol.symbolLayer(i) for i in range(symbol.symbolLayerCount())][-1]
                props = line.properties()
                info["categories"][str(c.value())] = {
                    "colour": symbol.color().name(),
                    "dashed": props.get("use_custom_dash") == "1",
                    "shape": props.get("name"),
                    "outline": props.get("outline_color"),
                }
        out[name] = info
    print(json.dumps(out), flush=True)
    # QGIS 3.22's Python bindings crash while tearing down at interpreter exit (after
    # the work is done): leave at once, with the status of the work.
    os._exit(0)
    """
)


def _qgis_python() -> str:
    """The system Python, checked to import qgis.core; fail with what to install."""
    if not os.path.exists(SYSTEM_PYTHON):
        pytest.fail(f"{SYSTEM_PYTHON} not found: QGIS's Python is needed ({INSTALL})")
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.fail(
            f"{SYSTEM_PYTHON} cannot import qgis.core ({INSTALL}): "
            + (probe.stderr.strip().splitlines() or ["no message"])[-1]
        )
    return SYSTEM_PYTHON


def _open_in_qgis(path, layers) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env.update(QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(path.parent))
    done = subprocess.run(
        [_qgis_python(), "-c", _PROBE, str(path), *layers],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def verdict():
    return evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())


def test_qgis__opens_every_layer_with_its_style(verdict, tmp_path):
    path = write_geopackage(verdict, tmp_path / "claim.gpkg")
    names = [name for name, _ in pyogrio.list_layers(path) if name != "layer_styles"]
    seen = _open_in_qgis(path, names)
    assert sorted(seen) == sorted(names)
    assert all(info["valid"] for info in seen.values()), seen
    counts = {n: pyogrio.read_info(path, layer=n)["features"] for n in names}
    assert {n: info["count"] for n, info in seen.items()} == counts
    assert seen["targets"]["count"] == len(verdict.targets)
    # every feature matches a category of its layer's style: none is left undrawn
    assert {n: i["drawn"] for n, i in seen.items() if "drawn" in i} == {
        n: counts[n] for n in ("targets", "envelopes", "sites", "launch_areas")
    }

    envelopes = seen["envelopes"]
    assert envelopes["renderer"] == "categorizedSymbol" and envelopes["attribute"] == "layer"
    titles = pyogrio.read_dataframe(path, layer="envelopes", columns=["layer", "figure_kind"])
    kinds = dict(zip(titles.layer, titles.figure_kind, strict=True))
    # one category per figure, as the map's layer list: declared solid, estimated dashed
    assert set(envelopes["categories"]) == set(kinds)
    assert len(kinds) == len(figure_keys(verdict))
    for title, style in envelopes["categories"].items():
        assert style["dashed"] == (kinds[title] == "estimated"), title
    colours = {s["colour"] for s in envelopes["categories"].values()}
    assert colours == {THREAT_PALETTE[0]}  # one system, one colour, as on the map

    targets = seen["targets"]
    assert targets["attribute"] == "state" and targets["labels"] is True
    # As on the map: a red dot, an amber diamond, a hollow grey-blue ring.
    assert {k: v["colour"] for k, v in targets["categories"].items()} == {
        "all": "#b2182b",
        "some": "#f0a030",
        "none": "#ffffff",
    }
    assert {k: v["shape"] for k, v in targets["categories"].items()} == {
        "all": "circle",
        "some": "diamond",
        "none": "circle",
    }
    assert targets["categories"]["none"]["outline"].startswith("107,127,149,")  # #6b7f95
    sites = seen["sites"]
    assert {k: v["shape"] for k, v in sites["categories"].items()} == {
        "launch": "triangle",
        "defence": "square",
        "garrison": "diamond",
    }
    areas = seen["launch_areas"]
    assert areas["attribute"] == "origin_used" and set(areas["categories"]) == {"true", "false"}
    assert seen["verdict"]["valid"] and seen["verdict"]["renderer"] is None


def test_qgis__without_qgis_the_test_fails_saying_what_to_install(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "SYSTEM_PYTHON", sys.executable)
    with pytest.raises(pytest.fail.Exception, match="cannot import qgis.core.*python3-qgis"):
        _qgis_python()


def test_qgis__defences_in_their_own_colours(tmp_path):
    from coverage.render.scene import DEFENCE_COLOURS

    verdict = evaluate_claim(load_claims()["blaszczak-2023-warsaw-patriot-defence"], load_catalog())
    path = write_geopackage(verdict, tmp_path / "defence.gpkg")
    seen = _open_in_qgis(path, ["defences", "envelopes", "sites"])
    assert all(info["valid"] for info in seen.values()), seen
    defences = seen["defences"]
    assert (
        defences["count"] == defences["drawn"] == len([c for c in verdict.defences if c.envelope])
    )
    colours = {s["colour"] for s in defences["categories"].values()}
    assert colours == {DEFENCE_COLOURS[verdict.threat_class]}
    assert "defence" in seen["sites"]["categories"]
