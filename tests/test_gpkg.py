"""GeoPackage and GeoParquet: layers, typed fields and styles, read back with GDAL and pyarrow."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pyogrio
import pytest
import shapely

from coverage import gpkg
from coverage.claims import evaluate_claim, figure_keys, load_claims
from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
from coverage.errors import ExportError, ParameterError
from coverage.fields import FIELDS, LAYERS, field, per_figure
from coverage.gpkg import write_geopackage, write_rings_geopackage
from coverage.parquet import write_geoparquet
from coverage.systems import load_catalog

OGR_TYPES = {
    "TEXT": ("OFTString", "OFSTNone"),
    "REAL": ("OFTReal", "OFSTNone"),
    "INTEGER": ("OFTInteger64", "OFSTNone"),
    "BOOLEAN": ("OFTInteger", "OFSTBoolean"),
    "DATE": ("OFTDate", "OFSTNone"),
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def verdict(catalog):
    return evaluate_claim(load_claims()["grybauskaite-2018-capitals"], catalog)


@pytest.fixture(scope="module")
def defence_verdict(catalog):
    return evaluate_claim(load_claims()["blaszczak-2023-warsaw-patriot-defence"], catalog)


@pytest.fixture(scope="module")
def claim_gpkg(verdict, tmp_path_factory):
    return write_geopackage(verdict, tmp_path_factory.mktemp("gpkg") / "claim.gpkg")


def _layers(path) -> dict[str, str | None]:
    return {name: gt for name, gt in pyogrio.list_layers(path)}


def _styles(path) -> dict[str, tuple[str, str, int]]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles"
        ).fetchall()
    return {name: (geom, qml, default) for name, geom, qml, default in rows}


# --------------------------------------------------------------------------- claim


def test_write_geopackage__layers_geometry_types_and_counts(verdict, claim_gpkg):
    layers = _layers(claim_gpkg)
    assert layers == {
        "targets": "Point",
        "envelopes": "MultiPolygon",
        "sites": "Point",
        "launch_areas": "MultiPolygon",
        "verdict": None,
        "layer_styles": None,
    }
    assert pyogrio.read_info(claim_gpkg, layer="targets")["features"] == len(verdict.targets)
    assert pyogrio.read_info(claim_gpkg, layer="envelopes")["features"] == len(verdict.envelopes)
    sites = pyogrio.read_dataframe(claim_gpkg, layer="sites")
    # the two launch sites and the four eFP garrisons the map draws (Rukla since issue 23)
    assert sorted(sites.site_kind) == ["garrison"] * 4 + ["launch"] * 2
    assert set(sites.site_id[sites.site_kind == "launch"]) == {s.id for s in verdict.sites}
    # judged from the two towns; the claim's reading also names the whole oblast
    areas = pyogrio.read_dataframe(claim_gpkg, layer="launch_areas")
    assert list(areas.site_id) == ["kaliningrad-oblast"] and list(areas.origin_used) == [False]
    assert shapely.is_valid(areas.geometry.values).all()


def test_write_geopackage__every_field_has_its_declared_type(claim_gpkg):
    for name in ("targets", "envelopes", "sites", "launch_areas", "verdict"):
        info = pyogrio.read_info(claim_gpkg, layer=name)
        for column, ogr, sub in zip(
            info["fields"], info["ogr_types"], info["ogr_subtypes"], strict=True
        ):
            assert (ogr, sub) == OGR_TYPES[field(column).type], (name, column)
        if name in LAYERS:
            assert tuple(info["fields"][: len(LAYERS[name])]) == LAYERS[name]


def test_write_geopackage__targets_carry_the_verdicts_numbers(verdict, claim_gpkg):
    df = pyogrio.read_dataframe(claim_gpkg, layer="targets")
    assert list(df.name) == [r.target.name for r in verdict.reaches]
    np.testing.assert_allclose(df.distance_km, [r.distance_km for r in verdict.reaches], rtol=0)
    assert list(df.nearest_site) == [r.nearest_site.id for r in verdict.reaches]
    for key, ev in zip(figure_keys(verdict), verdict.evaluations, strict=True):
        assert list(df[per_figure("in_range_<figure>", key)]) == list(ev.in_range)
        np.testing.assert_allclose(df[per_figure("margin_km_<figure>", key)], ev.margins_km)
    # a target in range at every figure shown is "all", at none "none"; labels on those in range
    last = verdict.evaluations[-1].in_range
    assert df.labelled.tolist() == [bool(x) for x in last]
    assert set(df.state[~df.labelled]) == {"none"}
    assert np.allclose(shapely.get_x(df.geometry), df.lon)
    # flight times per system, as the CSV's flight_time_min_<system>
    assert df.flight_time_min_iskander_m.notna().all()
    assert (np.diff(df.flight_time_min_iskander_m[np.argsort(df.distance_km)]) >= 0).all()


def test_write_geopackage__sites_since_is_a_date(claim_gpkg):
    df = pyogrio.read_dataframe(claim_gpkg, layer="sites")
    garrisons = df[df.site_kind == "garrison"]
    assert str(garrisons.since.dtype).startswith("datetime64")
    for text, day in zip(garrisons.since_text, garrisons.since, strict=True):
        assert day.strftime("%Y-%m-%d").startswith(text)


def test_write_geopackage__envelopes_valid_and_styled_by_figure(verdict, claim_gpkg):
    df = pyogrio.read_dataframe(claim_gpkg, layer="envelopes")
    assert shapely.is_valid(df.geometry.values).all()
    assert set(df.figure) == set(figure_keys(verdict))
    assert set(df.figure_kind) == {"declared", "estimated"}
    _, qml, default = _styles(claim_gpkg)["envelopes"]
    assert default == 1
    root = ET.fromstring(qml.split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "layer"
    categories = {c.get("value"): c.get("symbol") for c in renderer.iter("category")}
    assert set(categories) == set(df.layer)
    # declared solid, estimated dashed: the outline's custom dash follows the figure's kind
    kinds = dict(zip(df.layer, df.figure_kind, strict=True))
    for value, symbol in categories.items():
        line = root.find(f".//symbol[@name='{symbol}']/layer[@class='SimpleLine']")
        dashed = line.find("Option/Option[@name='use_custom_dash']").get("value") == "1"
        assert dashed == (kinds[value] == "estimated"), value


def test_write_geopackage__a_style_row_per_layer(claim_gpkg):
    styles = _styles(claim_gpkg)
    assert set(styles) == set(_layers(claim_gpkg)) - {"layer_styles"}
    assert styles["targets"][0] == "geom" and styles["verdict"][0] == ""
    targets = ET.fromstring(styles["targets"][1].split("\n", 1)[1])
    assert targets.get("labelsEnabled") == "1"
    assert targets.find("labeling/rules/rule").get("filter") == '"labelled"'
    assert {c.get("value") for c in targets.iter("category")} == {"all", "some", "none"}
    sites = ET.fromstring(styles["sites"][1].split("\n", 1)[1])
    shapes = {
        c.get("value"): sites.find(
            f".//symbol[@name='{c.get('symbol')}']/layer/Option/Option[@name='name']"
        ).get("value")
        for c in sites.iter("category")
    }
    assert shapes == {"launch": "triangle", "defence": "square", "garrison": "diamond"}


def test_write_geopackage__verdict_table_headline_figures_sources(verdict, claim_gpkg):
    df = pyogrio.read_dataframe(claim_gpkg, layer="verdict")
    report = verdict.report
    head = df[df.section == "headline"].iloc[0]
    assert (head.word, head.line, head.question) == (report.word, report.headline.line, "reach")
    assert head.claim_id == "grybauskaite-2018-capitals"
    figures = df[df.section == "figure"]
    assert list(figures.key) == [f.key for f in report.figures]
    assert list(figures.targets_in_range) == [f.in_range for f in report.figures]
    assert list(figures.holds) == [f.holds for f in report.figures]
    sources = df[df.section == "source"]
    assert list(sources.key) == [s.key for s in report.sources]
    assert len(df[df.section == "note"]) == len(report.notes)


def test_write_geopackage__defences_layer(defence_verdict, tmp_path):
    path = write_geopackage(defence_verdict, tmp_path / "defence.gpkg")
    layers = _layers(path)
    assert layers["defences"] == "MultiPolygon"
    df = pyogrio.read_dataframe(path, layer="defences")
    covers = [c for c in defence_verdict.defences if c.envelope]
    assert sorted(df.defence_id) == sorted(c.defence.id for c in covers)
    assert set(df.role) == {"defence"}
    assert sorted(df.targets_in_range) == sorted(sum(c.covers) for c in covers)
    assert "defences" in _styles(path)


# --------------------------------------------------------------------------- rings


def test_write_rings_geopackage__across_the_antimeridian(tmp_path):
    rings = envelopes([ad_hoc_site(-170.0, 60.0)], [ad_hoc_figure(1500.0), ad_hoc_figure(500.0)])
    path = write_rings_geopackage(rings, tmp_path / "rings.gpkg")
    assert _layers(path) == {
        "envelopes": "MultiPolygon",
        "sites": "Point",
        "layer_styles": None,
    }
    df = pyogrio.read_dataframe(path, layer="envelopes")
    assert list(df.range_km) == [1500.0, 500.0]
    assert shapely.is_valid(df.geometry.values).all()
    big = df.geometry.iloc[0]
    assert len(big.geoms) == 2  # split at +-180
    west, _, east, _ = big.bounds
    assert west == pytest.approx(-180) and east == pytest.approx(180)
    assert set(df.figure_kind) == {"given"}


def test_write_rings_geopackage__nothing_to_write(tmp_path):
    with pytest.raises(ParameterError, match="nothing"):
        write_rings_geopackage([], tmp_path / "none.gpkg")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "error",
    [OSError(28, "No space left on device"), sqlite3.OperationalError("database or disk is full")],
)
def test_write_geopackage__failure_keeps_the_old_file(verdict, tmp_path, monkeypatch, error):
    path = tmp_path / "claim.gpkg"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(gpkg, "write_styles", broken)
    with pytest.raises(ExportError, match=f"cannot write {path}: .*(space|full)"):
        write_geopackage(verdict, path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["claim.gpkg"]


def test_write_geopackage__missing_folder(verdict, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_geopackage(verdict, tmp_path / "no" / "claim.gpkg")


def test_qml__hostile_names_are_escaped():
    from coverage.render.scene import Style

    table = gpkg.Table("envelopes", LAYERS["envelopes"])
    name = 'A & B <script>"x"</script>'
    table.categories = [gpkg.Category(name, name, Style("#c0392b", 0.1, 2.5, "9 6", "threat"))]
    root = ET.fromstring(gpkg.qml(table).split("\n", 1)[1])
    assert root.find(".//category").get("value") == name


# --------------------------------------------------------------------------- fields


def test_fields__names_are_snake_case_ascii_and_typed():
    for name, f in FIELDS.items():
        assert name.replace("<figure>", "x").isascii()
        assert name == name.lower() and " " not in name
        assert f.type in OGR_TYPES
    for columns in LAYERS.values():
        assert all(c in FIELDS for c in columns)
    assert field("margin_km_given_500_km").unit == "km"
    with pytest.raises(ParameterError, match="no column"):
        field("margin")


def test_fields__documented_once(request):
    doc = request.config.rootpath / "docs" / "guide" / "fields.md"
    text = doc.read_text(encoding="utf-8")
    for name, f in FIELDS.items():
        assert f"| `{name}` | {f.type} |" in text, name


# --------------------------------------------------------------------------- GDAL


def _ogrinfo() -> str:
    path = shutil.which("ogrinfo")
    if path is None:
        pytest.fail("ogrinfo not found: install Debian's gdal-bin (apt-get install -y gdal-bin)")
    return path


def test_ogrinfo__reads_every_layer(verdict, claim_gpkg):
    out = subprocess.run(
        [_ogrinfo(), "-ro", "-so", "-al", str(claim_gpkg)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C"},
    ).stdout
    blocks = {b.split("\n", 1)[0].strip(): b for b in out.split("Layer name: ")[1:]}
    assert set(blocks) == {
        "targets",
        "envelopes",
        "sites",
        "launch_areas",
        "verdict",
        "layer_styles",
    }
    assert f"Feature Count: {len(verdict.targets)}" in blocks["targets"]
    assert "Geometry: Point" in blocks["targets"]
    assert "Geometry: Multi Polygon" in blocks["envelopes"]
    assert "since: Date" in blocks["sites"]
    assert "distance_km: Real" in blocks["targets"]
    key = per_figure("in_range_<figure>", figure_keys(verdict)[0])
    assert f"{key}: Integer(Boolean)" in blocks["targets"]
    assert "population: Integer64" in blocks["targets"]


# --------------------------------------------------------------------------- GeoParquet


def test_write_geoparquet__row_groups_and_values(verdict, tmp_path):
    import pyarrow.parquet as pq

    path = write_geoparquet(verdict, tmp_path / "claim.parquet", row_group=20)
    f = pq.ParquetFile(path)
    assert f.metadata.num_row_groups == 3  # 51 targets in groups of 20
    geo = json.loads(f.schema_arrow.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    table = f.read()
    assert table.column("name").to_pylist() == [r.target.name for r in verdict.reaches]
    np.testing.assert_allclose(
        table.column("distance_km").to_numpy(), [r.distance_km for r in verdict.reaches], rtol=0
    )
    for key, ev in zip(figure_keys(verdict), verdict.evaluations, strict=True):
        assert table.column(per_figure("in_range_<figure>", key)).to_pylist() == list(ev.in_range)
    points = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    np.testing.assert_allclose(shapely.get_y(points), table.column("lat").to_numpy())
    assert f.schema_arrow.field("distance_km").metadata == {b"unit": b"km"}


def test_write_geoparquet__read_by_geopandas(verdict, tmp_path):
    geopandas = pytest.importorskip("geopandas")
    path = write_geoparquet(verdict, tmp_path / "claim.parquet")
    df = geopandas.read_parquet(path)
    assert df.crs.to_string() == "OGC:CRS84"
    assert len(df) == len(verdict.targets)


def test_write_geoparquet__bad_row_group(verdict, tmp_path):
    with pytest.raises(ParameterError, match="row_group"):
        write_geoparquet(verdict, tmp_path / "x.parquet", row_group=0)
    assert not list(tmp_path.iterdir())


def test_write_geopackage__into_a_fifo(verdict, tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_geopackage(verdict, fifo)
    reader.join(timeout=60)
    assert received and received[0].startswith(b"SQLite format 3\x00")
    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(received[0])
    assert pyogrio.read_info(copy, layer="targets")["features"] == len(verdict.targets)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.gpkg", "pipe"]


# --------------------------------------------------------------------------- command line


@pytest.mark.cli
def test_cli_claim__gpkg_every_layer_read_back(run_cli, tmp_path):
    out = tmp_path / "claim.gpkg"
    done = run_cli("claim", "-q", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _layers(out) == {
        "targets": "Point",
        "envelopes": "MultiPolygon",
        "sites": "Point",
        "launch_areas": "MultiPolygon",
        "verdict": None,
        "layer_styles": None,
    }
    sites = pyogrio.read_dataframe(out, layer="sites")
    assert sorted(sites["site_kind"]) == ["garrison"] * 4 + ["launch"] * 2
    targets = pyogrio.read_dataframe(out, layer="targets")
    assert len(targets) == 51
    assert int(targets["in_range_iskander_m_estimated_700_km"].sum()) == 10


@pytest.mark.cli
def test_cli_rings__gpkg_read_back(run_cli, tmp_path):
    out = tmp_path / "rings.gpkg"
    done = run_cli(
        "rings", "-q", "--system", "iskander-m", "--site", "chernyakhovsk", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    envelopes_ = pyogrio.read_dataframe(out, layer="envelopes")
    assert set(envelopes_["site_id"]) == {"chernyakhovsk"}
    assert set(envelopes_["figure_kind"]) == {"declared", "estimated"}
    assert pyogrio.read_info(out, layer="sites")["features"] == 1


@pytest.mark.cli
def test_cli_claim__parquet_read_back(run_cli, tmp_path):
    geopandas = pytest.importorskip("geopandas")
    out = tmp_path / "claim.parquet"
    done = run_cli("claim", "-q", "--format", "parquet", "-o", str(out))
    assert done.returncode == 0, done.stderr
    # Read with geopandas (pyarrow): GDAL's Parquet driver is not loadable everywhere.
    frame = geopandas.read_parquet(out)
    assert len(frame) == 51 and frame.crs.to_string() == "OGC:CRS84"
    assert int(frame["in_range_iskander_m_declared_50_500_km"].sum()) == 4


@pytest.mark.cli
def test_cli_claim__gpkg_to_standard_output(tmp_path):
    from conftest import console_script

    done = subprocess.run(
        [console_script(), "claim", "-q", "--format", "gpkg", "-o", "-"],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"SQLite format 3\x00")
    out = tmp_path / "piped.gpkg"
    out.write_bytes(done.stdout)
    assert pyogrio.read_info(out, layer="targets")["features"] == 51


@pytest.mark.cli
def test_cli_claim__gpkg_refused_on_a_terminal():
    import pty

    from conftest import console_script

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [console_script(), "claim", "-q", "-o", "-", "--format", "gpkg"],
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    lines = done.stderr.decode().strip().splitlines()
    assert "not written to a terminal" in lines[-1] and "Traceback" not in done.stderr.decode()
