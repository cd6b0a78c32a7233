"""Exports: GeoJSON (RFC 7946), KML and CSV of rings and verdicts; atomic writes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import shapely
from shapely.geometry import shape

from coverage import exports
from coverage.claims import evaluate_claim, load_claims
from coverage.envelopes import Envelope, ad_hoc_figure, ad_hoc_site, envelopes
from coverage.errors import ExportError, ParameterError
from coverage.exports import (
    csv_safe,
    render_rings,
    render_verdict,
    rings_geojson,
    sites_geojson,
    to_json_text,
    write_text,
)
from coverage.fields import field, plain_name

KML = "{http://www.opengis.net/kml/2.2}"

# Minimal GeoJSON schema (RFC 7946 sections 3.1-3.3) for the geometry types we write.
_POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
}
_LINEAR_RING = {"type": "array", "minItems": 4, "items": _POSITION}
_POLYGON = {"type": "array", "minItems": 1, "items": _LINEAR_RING}
GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "not": {"anyOf": [{"required": ["crs"]}]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "properties": {"type": ["object", "null"]},
                    "geometry": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "Point"},
                                    "coordinates": _POSITION,
                                },
                            },
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "Polygon"},
                                    "coordinates": _POLYGON,
                                },
                            },
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "MultiPolygon"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 1,
                                        "items": _POLYGON,
                                    },
                                },
                            },
                        ]
                    },
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def verdict(kaliningrad_verdict):
    return kaliningrad_verdict


@pytest.fixture(scope="module")
def special_rings(catalog):
    """An annulus, a ring across the antimeridian and one beyond a hemisphere."""
    iskander = catalog.system("iskander-m")
    sarmat = catalog.system("sarmat")
    declared = iskander.figures("declared")[0]  # 500 km, min 50 km: an annulus
    assert declared.min_km > 0
    return [
        Envelope(*t)
        for t in [
            (catalog.site("kaliningrad"), iskander, declared),
            (
                ad_hoc_site(179.0, 65.0, name="Chukotka <script>alert(1)</script>"),
                None,
                ad_hoc_figure(1500),
            ),
            (catalog.site("uzhur"), sarmat, sarmat.figures("declared")[0]),
        ]
    ]


def _parts(geom):
    return list(shapely.get_parts(geom))


def _check_rfc7946(doc):
    jsonschema.validate(doc, GEOJSON_SCHEMA)
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        assert geom.is_valid, shapely.is_valid_reason(geom)
        for part in _parts(geom):
            if part.geom_type == "Polygon":
                assert part.exterior.is_ccw, "exterior must be counter-clockwise"
                assert all(not hole.is_ccw for hole in part.interiors), "holes must be clockwise"


def test_rings_geojson__round_trip_rfc7946(special_rings):
    text = render_rings(special_rings, "geojson")
    doc = json.loads(text)
    _check_rfc7946(doc)
    assert "crs" not in doc
    assert len(doc["features"]) == 3
    for feature, ring in zip(doc["features"], special_rings, strict=False):
        props = feature["properties"]
        assert props["range_km"] == ring.max_km
        assert props["min_range_km"] == ring.min_km
        assert props["centre_lon"] == ring.origin.lon and props["centre_lat"] == ring.origin.lat
        for key in ("site_id", "system_id", "figure_kind", "layer", "figure", "label"):
            assert key in props
        # Same area as the drawn ring, to the exported precision.
        assert shape(feature["geometry"]).symmetric_difference(ring.geometry).area < 1e-3


def test_rings_geojson__antimeridian_split(special_rings):
    doc = rings_geojson(special_rings)
    geom = shape(doc["features"][1]["geometry"])
    assert geom.geom_type == "MultiPolygon"
    parts = _parts(geom)
    assert len(parts) == 2
    for part in parts:
        minx, _, maxx, _ = part.bounds
        assert -180 <= minx and maxx <= 180
        assert maxx - minx < 180
    assert {round(p.bounds[0]) for p in parts} | {round(p.bounds[2]) for p in parts} >= {-180, 180}


def test_rings_geojson__annulus_and_beyond_hemisphere_have_holes(special_rings):
    doc = rings_geojson(special_rings)
    annulus = shape(doc["features"][0]["geometry"])
    sarmat = shape(doc["features"][2]["geometry"])
    assert annulus.geom_type == "Polygon" and len(annulus.interiors) == 1
    assert sarmat.geom_type == "Polygon" and len(sarmat.interiors) == 1
    assert sarmat.bounds == (-180.0, -90.0, 180.0, 90.0)


def test_render_verdict__geojson(verdict):
    doc = json.loads(render_verdict(verdict, "geojson"))
    _check_rfc7946(doc)
    layers = [f["properties"]["export_layer"] for f in doc["features"]]
    n_rings = len(verdict.sites) * len(verdict.evaluations)
    assert layers.count("envelopes") == n_rings
    # The two launch sites and the four eFP garrisons there on the claim's date.
    assert layers.count("sites") == len(verdict.sites) + 4
    assert layers.count("launch_areas") == 1  # Kaliningrad Oblast, named by the claim
    assert layers.count("targets") == len(verdict.targets) == 51
    garrisons = [
        f["properties"] for f in doc["features"] if f["properties"].get("site_kind") == "garrison"
    ]
    names = sorted(g["site_name"].split(" (")[0] for g in garrisons)
    assert names == ["Orzysz", "Rukla", "Tapa", "Ādaži"]
    assert all(g["since"].startswith("2017-") for g in garrisons)
    # Every property is a column of the one field table.
    for f in doc["features"]:
        for key in f["properties"]:
            field(key)
    summary = doc["verdict"]
    assert summary["verdict"] == verdict.verdict == "false"
    assert summary["share"] == 0.5
    assert summary["range_needed_km"] == verdict.range_needed_km
    assert summary["definition"] == "europe-all"
    vilnius = next(f for f in doc["features"] if f["properties"].get("name") == "Vilnius")
    props = vilnius["properties"]
    reach = next(r for r in verdict.reaches if r.target.name == "Vilnius")
    assert props["distance_km"] == reach.distance_km  # full precision
    assert props["nearest_site"] == reach.nearest_site.id
    assert props["margin_km_iskander_m_declared_50_500_km"] == 500 - reach.distance_km
    assert props["in_range_iskander_m_declared_50_500_km"] is True
    assert props["iso_a2"] == "LT" and props["country"] == "Lithuania"


def test_render_verdict__kml_well_formed(verdict):
    root = ET.fromstring(render_verdict(verdict, "kml").encode("utf-8"))
    placemarks = root.findall(f".//{KML}Placemark")
    n_rings = len(verdict.sites) * len(verdict.evaluations)
    garrisons, areas = 4, 1
    assert len(placemarks) == n_rings + len(verdict.sites) + garrisons + areas + 51
    folders = [f.findtext(f"{KML}name") for f in root.iter(f"{KML}Folder")]
    assert folders == ["Envelopes", "Sites", "Launch areas", "Targets"]


def _kml_polygons_of(placemark):
    return placemark.findall(f".//{KML}Polygon")


def _coords(element):
    return [tuple(map(float, c.split(",")[:2])) for c in element.text.split()]


def test_render_rings__kml_polygons_holes_and_split(special_rings):
    text = render_rings(special_rings, "kml")
    root = ET.fromstring(text.encode("utf-8"))
    annulus, chukotka, sarmat = root.findall(f".//{KML}Placemark")
    # Annulus: one Polygon with an inner boundary.
    (poly,) = _kml_polygons_of(annulus)
    assert len(poly.findall(f"{KML}innerBoundaryIs")) == 1
    # Across the antimeridian: MultiGeometry of two Polygons, none crossing +-180.
    assert chukotka.find(f"{KML}MultiGeometry") is not None
    polys = _kml_polygons_of(chukotka)
    assert len(polys) == 2
    for p in polys:
        lons = [x for x, _ in _coords(p.find(f".//{KML}outerBoundaryIs//{KML}coordinates"))]
        assert max(lons) - min(lons) < 180 and -180 <= min(lons) and max(lons) <= 180
    # Beyond a hemisphere: world minus a cap; every part narrower than 180 degrees,
    # the cap around the antipode kept as a hole, every exterior counter-clockwise.
    holes = 0
    for p in _kml_polygons_of(sarmat):
        outer = _coords(p.find(f".//{KML}outerBoundaryIs//{KML}coordinates"))
        lons = [x for x, _ in outer]
        assert max(lons) - min(lons) <= 180
        assert shapely.LinearRing(outer).is_ccw
        for inner in p.findall(f"{KML}innerBoundaryIs"):
            assert len(inner.findall(f"{KML}LinearRing")) == 1  # one ring per element
            holes += 1
    assert holes == 1
    # Longitude first: Kaliningrad's ring lies around lon 20, lat 55.
    lon, lat = _coords(annulus.find(f".//{KML}coordinates"))[0]
    assert 10 < lon < 30 and 49 < lat < 60


def test_render_rings__kml_styles_differ_by_kind(catalog):
    iskander = catalog.system("iskander-m")
    rings = [Envelope(*t) for t in [(catalog.site("luga"), iskander, f) for f in iskander.ranges]]
    root = ET.fromstring(render_rings(rings, "kml").encode())
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    used = [p.findtext(f"{KML}styleUrl").lstrip("#") for p in root.iter(f"{KML}Placemark")]
    declared, estimated = styles[used[0]], styles[used[1]]
    assert used[1] == used[2]  # both estimated figures share a style
    width = lambda s: float(s.findtext(f"{KML}LineStyle/{KML}width"))  # noqa: E731
    colour = lambda s, k: s.findtext(f"{KML}{k}/{KML}color")  # noqa: E731
    assert width(declared) > width(estimated)
    assert colour(declared, "LineStyle")[2:] == colour(estimated, "LineStyle")[2:]  # same hue
    assert int(colour(declared, "PolyStyle")[:2], 16) < 0x80  # semi-transparent fill


def test_render_rings__kml_escapes_names(special_rings, catalog):
    nasty = '<script>alert(1)</script> & ]]> <![CDATA[x]]> "q" \x07'
    site = ad_hoc_site(10.0, 50.0, name=nasty)
    rings = [Envelope(*t) for t in [(site, None, ad_hoc_figure(100))]]
    text = render_rings(rings, "kml")
    root = ET.fromstring(text.encode("utf-8"))  # well-formed despite the name
    assert not list(root.iter("script")) and not list(root.iter(f"{KML}script"))
    placemark = root.find(f".//{KML}Placemark")
    name = placemark.findtext(f"{KML}name")
    # Text, not markup; a control character XML forbids becomes U+FFFD.
    assert name == "given 100 km, from " + nasty.replace("\x07", "\ufffd")
    description = placemark.findtext(f"{KML}description")
    # The balloon is HTML: the name appears there escaped, so it stays text on screen.
    assert "<script" not in description and "&lt;script&gt;" in description
    assert "<![CDATA[x" not in description


def test_render_verdict__kml_site_and_target_points_lonlat(verdict):
    root = ET.fromstring(render_verdict(verdict, "kml").encode())
    folder = {f.findtext(f"{KML}name"): f for f in root.iter(f"{KML}Folder")}
    for pm in folder["Targets"].findall(f"{KML}Placemark"):
        if pm.findtext(f"{KML}name") == "Vilnius":
            lon, lat = _coords(pm.find(f".//{KML}coordinates"))[0]
            assert (lon, lat) == pytest.approx((25.2798, 54.6892), abs=0.01)
            break
    else:
        pytest.fail("Vilnius missing")


def test_csv_safe__neutralises_formulas_keeps_numbers():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "-12.3"):
        assert csv_safe(text) == "'" + text
    assert csv_safe(-12.3) == -12.3
    assert csv_safe(0) == 0
    assert csv_safe("Vilnius") == "Vilnius"
    assert csv_safe(True) == "true"
    assert csv_safe(None) == ""
    assert csv_safe(float("nan")) == ""


def test_render_verdict__csv_one_row_per_target(verdict):
    text = render_verdict(verdict, "csv")
    assert "\r" not in text and text.endswith("\n")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    labels = [
        "iskander-m declared 50–500 km",
        "iskander-m estimated 500 km",
        "iskander-m estimated 700 km",
    ]
    expected = ["name", "country", "iso_a2", "lon", "lat", "distance_km", "nearest_site"]
    for label in labels:
        expected += [f"margin_km_{plain_name(label)}", f"in_range_{plain_name(label)}"]
    expected += ["flight_time_min_iskander_m", "population"]  # issue 16
    # Headers are plain snake_case ASCII (issue 17), the keys of verdict_rows (issue 26).
    assert header == expected == list(exports.verdict_rows(verdict)[0])
    assert header[7:9] == [
        "margin_km_iskander_m_declared_50_500_km",
        "in_range_iskander_m_declared_50_500_km",
    ]
    assert all(h.isascii() and h == h.lower() and " " not in h for h in header)
    distances = [float(r[5]) for r in body]
    assert distances == sorted(distances)  # nearest first
    assert len(body) == len(verdict.targets) == 51
    by_name = {r[0]: dict(zip(header, r, strict=False)) for r in body}
    berlin = by_name["Berlin"]
    reach = next(r for r in verdict.reaches if r.target.name == "Berlin")
    assert float(berlin["distance_km"]) == reach.distance_km
    # Negative margins stay numbers, not neutralised text.
    assert berlin["margin_km_iskander_m_declared_50_500_km"].startswith("-")
    assert float(berlin["margin_km_iskander_m_declared_50_500_km"]) == 500 - reach.distance_km
    assert berlin["in_range_iskander_m_estimated_700_km"] in ("true", "false")


def test_render_verdict__csv_neutralises_formula_names(catalog):
    from coverage.claims import ad_hoc_claim, judge
    from coverage.targets import targets_from_points

    targets = targets_from_points(
        [
            ('=HYPERLINK("http://x")', 21.0, 52.2),
            ("-Minus", 25.3, 54.7),
            ("@at", 24.1, 56.9),
            ('Ok, "quoted"', 13.4, 52.5),
        ]
    )
    iskander = catalog.system("iskander-m")
    v = judge(
        ad_hoc_claim(0.5),
        envelopes([catalog.site("kaliningrad")], iskander),
        targets,
    )
    rows = list(csv.DictReader(io.StringIO(render_verdict(v, "csv"))))
    names = [r["name"] for r in rows]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://x")', "'-Minus", "'@at", 'Ok, "quoted"'])
    assert names[3] == 'Ok, "quoted"'  # Berlin's place, the farthest: rows come nearest first
    assert float(rows[3]["margin_km_iskander_m_declared_50_500_km"]) < 0


def test_render_rings__csv_one_row_per_ring(special_rings):
    rows = list(csv.DictReader(io.StringIO(render_rings(special_rings, "csv"))))
    assert len(rows) == 3
    assert [float(r["range_km"]) for r in rows] == [r.max_km for r in special_rings]
    assert "geometry" not in rows[0]
    assert rows[1]["site_name"] == "Chukotka <script>alert(1)</script>"


@pytest.mark.parametrize("fmt", ["shp", "GeoJSON", "", None])
def test_render_verdict__unknown_format(verdict, fmt):
    with pytest.raises(ParameterError, match="use geojson, kml, csv or xlsx"):
        render_verdict(verdict, fmt)


def test_render_rings__existing_formats_kept(special_rings, catalog):
    assert json.loads(render_rings(special_rings, "geojson")) == json.loads(
        to_json_text(rings_geojson(special_rings))
    )
    sites = sites_geojson([catalog.site("kaliningrad")])
    assert sites["features"][0]["geometry"]["coordinates"] == [20.517, 54.717]


def test_write_text__failing_render_leaves_file_untouched(tmp_path, verdict, monkeypatch):
    target = tmp_path / "out.geojson"
    target.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(exports, "_iter_rows", boom)
    with pytest.raises(RuntimeError, match="render failed"):
        write_text(target, lambda: render_verdict(verdict, "geojson"))
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_write_verdict__failing_midway_leaves_file_untouched(tmp_path, verdict, monkeypatch, fmt):
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"old")
    rows = exports._iter_rows

    def some_then_boom(*args, **kwargs):
        for k, row in enumerate(rows(*args, **kwargs)):
            if k == 3:
                raise RuntimeError("render failed")
            yield row

    monkeypatch.setattr(exports, "_iter_rows", some_then_boom)
    with pytest.raises(RuntimeError, match="render failed"):
        exports.write_verdict(target, verdict, fmt)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [f"out.{fmt}"]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "kml"])
def test_write_verdict__same_text_as_render_verdict(tmp_path, verdict, fmt):
    target = tmp_path / f"out.{fmt}"
    exports.write_verdict(target, verdict, fmt)
    assert target.read_text(encoding="utf-8") == render_verdict(verdict, fmt)
    exports.write_verdict(target, verdict, fmt, bom=True)
    expected = ("\ufeff" if fmt == "csv" else "") + render_verdict(verdict, fmt)
    assert target.read_text(encoding="utf-8") == expected


def test_write_verdict__xlsx_same_cells_as_verdict_xlsx(tmp_path, verdict):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "out.xlsx"
    exports.write_verdict(target, verdict, "xlsx")
    streamed = openpyxl.load_workbook(target, read_only=True)
    whole = openpyxl.load_workbook(io.BytesIO(render_verdict(verdict, "xlsx")), read_only=True)
    assert streamed.sheetnames == whole.sheetnames
    for name in whole.sheetnames:
        assert list(streamed[name].iter_rows(values_only=True)) == list(
            whole[name].iter_rows(values_only=True)
        )


def test_write_text__failing_write_leaves_no_temp_file(tmp_path, verdict, monkeypatch):
    target = tmp_path / "out.kml"
    target.write_text("old", encoding="utf-8")
    text = render_verdict(verdict, "kml")
    import coverage._atomic as atomic

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(ExportError, match="out.kml"):
        write_text(target, text)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.kml"]


def test_write_text__writes_all_formats(tmp_path, verdict):
    for fmt in exports.FORMATS:
        path = write_text(tmp_path / f"v.{fmt}", render_verdict(verdict, fmt))
        if fmt == "xlsx":
            assert path.read_bytes()[:2] == b"PK"  # a zip: the workbook (see test_cli_outputs)
        else:
            assert path.read_text(encoding="utf-8") == render_verdict(verdict, fmt)


def test_write_text__stdout(capsys, verdict):
    assert write_text("-", lambda: render_verdict(verdict, "csv")) is None
    assert capsys.readouterr().out == render_verdict(verdict, "csv")


def test_render_verdict__kml_is_deterministic(verdict):
    assert render_verdict(verdict, "kml") == render_verdict(verdict, "kml")


def test_render_rings__kml_template_syntax_stays_text():
    # KML is built by simplekml and escaped here: no template engine sees the names,
    # and "$[...]" (KML's own balloon entity) in data is not expanded by us either.
    nasty = "X {{ 7*7 }} {% raw %} {# c #} $[name] Y"
    site = ad_hoc_site(10.0, 50.0, name=nasty)
    text = render_rings([Envelope(site, None, ad_hoc_figure(100))], "kml")
    root = ET.fromstring(text.encode("utf-8"))
    placemark = root.find(f".//{KML}Placemark")
    assert placemark.findtext(f"{KML}name") == "given 100 km, from " + nasty
    assert "X 49 Y" not in text and nasty in placemark.findtext(f"{KML}description")


def test_xlsx__text_over_the_cell_limit_is_cut_with_ellipsis_and_a_warning():
    openpyxl = pytest.importorskip("openpyxl")
    from coverage.errors import CoverageWarning

    rows = [{"name": "short"}, {"name": "x" * 40_000}, {"name": "y" * exports.XLSX_CELL_MAX}]
    with pytest.warns(CoverageWarning, match=r"32,767 characters.*sheet 't' row 3$"):
        data = exports._xlsx([exports._sheet("t", ["name"], rows)])
    names = [c.value for c in openpyxl.load_workbook(io.BytesIO(data))["t"]["A"]][1:]
    assert names[0] == "short"
    assert names[1] == "x" * (exports.XLSX_CELL_MAX - 1) + "\u2026"
    assert names[2] == "y" * exports.XLSX_CELL_MAX  # exactly at the limit: kept whole


def test_write_verdict__long_target_name_cut_in_xlsx_only(tmp_path, catalog):
    openpyxl = pytest.importorskip("openpyxl")
    from coverage.errors import CoverageWarning
    from coverage.targets import load_targets

    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name},
        }
        for name, lon, lat in [("Berlin", 13.4, 52.5), ("W" * 40_000, 21.0, 52.2)]
    ]
    path = tmp_path / "t.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    verdict = evaluate_claim(
        load_claims()["grybauskaite-2018-capitals"], catalog, load_targets(path)
    )
    out = tmp_path / "v.xlsx"
    with pytest.warns(CoverageWarning, match=r"sheet 'targets' row 2$"):  # Warsaw is nearer
        exports.write_verdict(out, verdict, "xlsx")
    names = [r[0] for r in openpyxl.load_workbook(out)["targets"].iter_rows(values_only=True)]
    assert names[1] == "W" * (exports.XLSX_CELL_MAX - 1) + "\u2026"
    assert names[2] == "Berlin"
    assert "W" * 40_000 in render_verdict(verdict, "csv")  # CSV has no cell limit


# ----------------------------------------------------------------------------- one name per column


def test_every_format__columns_of_the_one_field_table(verdict, special_rings):
    """CSV, XLSX, GeoJSON and KML name every column as coverage.fields does (issue 26)."""
    openpyxl = pytest.importorskip("openpyxl")
    names = set()
    for text in (render_verdict(verdict, "csv"), render_rings(special_rings, "csv")):
        names.update(next(csv.reader(io.StringIO(text))))
    for data in (render_verdict(verdict, "xlsx"), render_rings(special_rings, "xlsx")):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        for sheet in book.worksheets:
            names.update(next(sheet.iter_rows(values_only=True)))
    for text in (render_verdict(verdict, "kml"), render_rings(special_rings, "kml")):
        root = ET.fromstring(text.encode("utf-8"))
        names.update(f.get("name") for f in root.iter(f"{KML}SimpleField"))
        names.update(d.get("name") for d in root.iter(f"{KML}SimpleData"))
    for key in ("source_title", "source_url", "used_for", "figure_kind", "site_kind", "site_id"):
        assert key in names
    assert not {n for n in names if "[" in n or n in ("kind", "id", "title", "url")}
    for name in names:
        field(name)  # raises for a name outside the table


def test_render_verdict__kml_extended_data_typed_by_schema(verdict, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    text = render_verdict(verdict, "kml")
    root = ET.fromstring(text.encode("utf-8"))
    types = {
        (s.get("name"), f.get("name")): f.get("type")
        for s in root.iter(f"{KML}Schema")
        for f in s.iter(f"{KML}SimpleField")
    }
    assert types[("targets", "distance_km")] == "double"
    assert types[("targets", "in_range_iskander_m_declared_50_500_km")] == "bool"
    assert types[("targets", "population")] == "int"
    assert types[("sites", "site_kind")] == "string"
    path = tmp_path / "v.kml"
    path.write_text(text, encoding="utf-8")
    if "LIBKML" not in pyogrio.list_drivers():
        pytest.skip("GDAL without LIBKML")
    targets = pyogrio.read_dataframe(path, layer="Targets", driver="LIBKML")
    assert str(targets["distance_km"].dtype) == "float64"
    assert str(targets["in_range_iskander_m_declared_50_500_km"].dtype) == "bool"
    assert int(targets["in_range_iskander_m_declared_50_500_km"].sum()) == 4
    sites = pyogrio.read_dataframe(path, layer="Sites", driver="LIBKML")
    assert sorted(sites["site_kind"]) == ["garrison"] * 4 + ["launch"] * 2


def test_sites_geojson__names_of_the_field_table(catalog):
    (feature,) = sites_geojson([catalog.site("kaliningrad")])["features"]
    props = feature["properties"]
    assert props["site_id"] == "kaliningrad" and props["iso_a2"] == "RU"
    assert props["site_kind"] == "launch" and "iskander-m" in props["system_ids"].split(";")
    for key in props:
        field(key)


def test_claim_exports__same_layers_as_the_geopackage(bundled_verdict, tmp_path):
    """GeoJSON, KML and GeoPackage hold the same envelopes, defences, sites and areas."""
    pyogrio = pytest.importorskip("pyogrio")
    from coverage.gpkg import write_geopackage

    verdict = bundled_verdict("blaszczak-2023-warsaw-patriot-defence")
    path = write_geopackage(verdict, tmp_path / "v.gpkg")
    in_gpkg = {
        name: pyogrio.read_info(path, layer=name)["features"]
        for name, _ in pyogrio.list_layers(path)
        if name not in ("verdict", "layer_styles")
    }
    doc = json.loads(render_verdict(verdict, "geojson"))
    in_geojson: dict[str, int] = {}
    for f in doc["features"]:
        layer = f["properties"]["export_layer"]
        in_geojson[layer] = in_geojson.get(layer, 0) + 1
    assert in_geojson == in_gpkg
    assert in_gpkg["defences"] >= 1 and in_gpkg["launch_areas"] == 1
    defences = [
        f["properties"] for f in doc["features"] if f["properties"]["export_layer"] == "defences"
    ]
    assert all(d["defence_id"] == f"{d['system_id']}@{d['site_id']}" for d in defences)
    root = ET.fromstring(render_verdict(verdict, "kml").encode("utf-8"))
    folders = {
        f.findtext(f"{KML}name"): len(f.findall(f"{KML}Placemark"))
        for f in root.iter(f"{KML}Folder")
    }
    names = {"Envelopes": "envelopes", "Defences": "defences", "Sites": "sites"}
    names |= {"Launch areas": "launch_areas", "Targets": "targets"}
    assert {names[k]: v for k, v in folders.items()} == in_gpkg
