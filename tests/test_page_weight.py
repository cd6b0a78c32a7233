"""The default claim map weighs what a photo weighs (issue 24, item 7).

- ``gzip -9`` of the page ``threat-coverage claim --map`` writes is at most 130 KB
  (860 KB raw and 261 KB gzipped on 2026-12-08, before the payload was packed).
- The page's geometry travels packed (:func:`coverage.render.leaflet._packed`); the
  page's own decoder, run in Chromium, gives back the document
  :func:`~coverage.render.leaflet.page_data` holds, number for number, and the
  envelopes Leaflet draws, read back from its layers, have every vertex at the range
  from an origin (pyproj.Geod) within the drawing tolerance.
- The basemap holds the borders of the region the page lets a reader see, and the
  reader cannot zoom or pan out of it.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import numpy as np
import pytest
from pyproj import Geod

from coverage.geodesy import default_tolerance_km
from coverage.render.leaflet import (
    _js_json,
    _pack,
    _packed,
    page_data,
    save_map,
    verdict_map,
)

#: The issue's budget for the default claim map, bytes of ``gzip -9``.
GZIP_BUDGET = 130_000

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def claim_map(kaliningrad_verdict):
    return verdict_map(kaliningrad_verdict)


@pytest.fixture(scope="module")
def claim_html(claim_map, tmp_path_factory):
    return save_map(claim_map, tmp_path_factory.mktemp("weight") / "claim.html")


# --------------------------------------------------------------------------- bytes


@pytest.mark.cli
def test_claim_map__default_claim_gzipped_within_budget(run_cli, tmp_path):
    path = tmp_path / "k.html"
    proc = run_cli("claim", "-q", "--map", str(path))
    assert proc.returncode == 0, proc.stderr
    raw = path.read_bytes()
    sizes = {"zlib level 9": len(gzip.compress(raw, compresslevel=9, mtime=0))}
    if shutil.which("gzip"):  # gzip(1) -9, as the issue measures (its deflate differs a little)
        done = subprocess.run(["gzip", "-9", "-c"], input=raw, capture_output=True, check=True)
        sizes["gzip -9"] = len(done.stdout)
    for how, packed in sizes.items():
        assert packed <= GZIP_BUDGET, f"{how}: {packed:,} bytes ({len(raw):,} raw)"
    assert len(raw) <= 500_000, f"{len(raw):,} bytes"


def test_packed__round_trip_is_exact():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[20.5171, 54.7171], [21.0, 55.1234], [19.9999, 55.0], [20.5171, 54.7171]]
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[-179.5, -16.0], [-179.0, -16.5], [-179.9, -17.25], [-179.5, -16.0]]],
                        [[[179.5, -16.0], [179.9, -16.5], [179.0, -17.0], [179.5, -16.0]]],
                    ],
                },
            },
        ],
    }
    packed = _packed(collection)
    assert packed["q"] == 10_000  # the coarsest grid that holds 4 decimals
    first = packed["polygons"][0][0][0]
    assert first[:2] == [205171, 547171] and first[2:4] == [210000 - 205171, 551234 - 547171]
    assert len(first) == 6  # three positions: the closing one is left out
    assert _decoded_in_python(packed) == collection


def test_packed__left_as_it_is_when_off_every_grid_or_with_properties():
    off_grid = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[0.1234567, 1.0], [2.0, 3.0]]},
            }
        ],
    }
    assert _packed(off_grid) is off_grid
    named = json.loads(json.dumps(off_grid))
    named["features"][0]["properties"] = {"name": "x"}
    named["features"][0]["geometry"]["coordinates"][0][0] = 0.5
    assert _packed(named) is named


def _decoded_in_python(packed: dict) -> dict:
    """A second, independent reading of the packed format (the page's is decode.js)."""
    q = packed["q"]
    polygons = "polygons" in packed

    def positions(flat, closed):
        xy = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) / q
        out = xy.tolist()
        return out + [out[0]] if closed else out

    features = []
    for parts in packed["polygons" if polygons else "lines"]:
        coords = [
            [positions(r, True) for r in p] if polygons else positions(p, False) for p in parts
        ]
        kind = "Polygon" if polygons else "LineString"
        geometry = (
            {"type": kind, "coordinates": coords[0]}
            if len(coords) == 1
            else {"type": "Multi" + kind, "coordinates": coords}
        )
        features.append({"type": "Feature", "properties": {}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def test_page__basemap_is_the_region_not_the_world(claim_map):
    data = page_data(claim_map)
    (south, west), (north, east) = data["region"]
    (vs, vw), (vn, ve) = data["view"]
    assert west < vw and east > ve and south < vs and north > vn
    (part,) = data["base"]["parts"]
    xy = np.asarray(
        [
            pos
            for f in part["data"]["features"]
            for poly in (
                f["geometry"]["coordinates"]
                if f["geometry"]["type"] == "MultiPolygon"
                else [f["geometry"]["coordinates"]]
            )
            for ring in poly
            for pos in ring
        ]
    )
    # Cut a degree beyond the region, then put on the bundled 0.001 degree grid.
    assert xy[:, 0].min() >= west - 1.001 and xy[:, 0].max() <= east + 1.001
    assert xy[:, 1].min() >= south - 1.001 and xy[:, 1].max() <= north + 1.001
    assert np.array_equal(np.round(xy, 3), xy)
    # Every target and site lies inside the region.
    for layer in ("targets",):
        for p in data[layer]["points"]:
            assert west <= p["lon"] <= east and south <= p["lat"] <= north


def test_page__wrapping_map_keeps_the_world_and_its_copies():
    from coverage.envelopes import Envelope, ad_hoc_figure, ad_hoc_site
    from coverage.render.leaflet import WRAP_MARGIN_DEG, coverage_map

    m = coverage_map([Envelope(ad_hoc_site(179.0, -17.0), None, ad_hoc_figure(1000.0))])
    data = page_data(m)
    (south, west), (north, east) = data["region"]
    assert (west, east) == (-180.0 - WRAP_MARGIN_DEG, 180.0 + WRAP_MARGIN_DEG)
    assert south < -85.0 and north > 85.0
    world, copies = data["base"]["parts"]
    assert len(world["data"]["features"]) > 200 and copies["data"]["features"]


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture
def page(browser, claim_html):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(claim_html.as_uri(), wait_until="load")
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.browser
def test_page__decoder_gives_back_page_data_number_for_number(page, claim_map):
    decoded = page.evaluate(
        """() => JSON.stringify(tcPayload.decode(
               JSON.parse(document.getElementById("tc-data").textContent)))"""
    )
    expected = json.loads(_js_json(page_data(claim_map)))
    assert json.loads(decoded) == expected
    # ... and what travelled was packed: no GeoJSON coordinates in the page.
    assert '"coordinates"' not in json.dumps(_pack(page_data(claim_map)))


def _drawn_vertices(page, class_name: str) -> list[list[list[float]]]:
    """(lon, lat) vertices of each Leaflet path whose className holds class_name."""
    return page.evaluate(
        """(name) => {
            const out = [];
            window.threatCoverageMap.eachLayer((layer) => {
                const cls = (layer.options && layer.options.className) || "";
                if (!layer.getLatLngs || !cls.split(" ").includes(name)) { return; }
                const flat = [];
                const walk = (x) => Array.isArray(x) ? x.forEach(walk) : flat.push([x.lng, x.lat]);
                walk(layer.getLatLngs());
                out.push(flat);
            });
            return out;
        }""",
        class_name,
    )


def _off_km(vertices, origins, bounds_km) -> np.ndarray:
    """Per vertex: the least |geodesic distance - bound| over origins and bounds, km."""
    xy = np.asarray(vertices, dtype=float)
    best = np.full(len(xy), np.inf)
    for lon, lat in origins:
        _, _, metres = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        for bound in bounds_km:
            best = np.minimum(best, np.abs(metres / 1000.0 - bound))
    return best


@pytest.mark.browser
def test_page__drawn_envelopes_within_drawing_tolerance(page, kaliningrad_verdict):
    origins = [(s.lon, s.lat) for s in kaliningrad_verdict.sites]
    for evaluation in kaliningrad_verdict.evaluations:
        figure = evaluation.figure
        # The page's envelope layer for this figure: the one drawn at its range.
        bounds = [figure.km] + ([figure.min_km] if figure.min_km else [])
        tolerance = default_tolerance_km(figure.km)
        drawn = [v for path in _drawn_vertices(page, "tc-ring") for v in path]
        off = _off_km(drawn, origins, bounds)
        near = off <= tolerance
        assert near.sum() >= 50, f"{figure}: {near.sum()} vertices at its range"
    # Every drawn envelope vertex lies at some figure's range from some origin.
    all_bounds = {b for e in kaliningrad_verdict.evaluations for b in (e.figure.km,)}
    all_bounds |= {e.figure.min_km for e in kaliningrad_verdict.evaluations if e.figure.min_km}
    largest = max(e.figure.km for e in kaliningrad_verdict.evaluations)
    drawn = [v for path in _drawn_vertices(page, "tc-ring") for v in path]
    off = _off_km(drawn, origins, sorted(all_bounds))
    assert off.max() <= default_tolerance_km(largest), off.max()
    # Vertices on a circle are only rounded to 4 decimals (< 15 m); the rest are where
    # two circles cross, within the tolerance.
    assert np.mean(off <= 0.015) >= 0.9


@pytest.mark.browser
def test_page__slider_rings_drawn_within_drawing_tolerance(page, kaliningrad_verdict):
    data = page.evaluate(
        """() => tcPayload.decode(JSON.parse(document.getElementById("tc-data").textContent))
               .slider"""
    )
    origins = [(s.lon, s.lat) for s in kaliningrad_verdict.sites]
    steps = [i for i, ring in enumerate(data["rings"]) if ring]
    assert len(steps) >= 30
    for i in steps:
        km = (i + 1) * data["step"]
        vertices = [
            pos
            for part in data["rings"][i]
            for f in part["data"]["features"]
            for ring in f["geometry"]["coordinates"]
            for pos in ring
        ]
        off = _off_km(vertices, origins, [km])
        assert off.max() <= default_tolerance_km(km), (km, off.max())
    # One step as Leaflet draws it when the slider is moved there.
    km = (steps[len(steps) // 2] + 1) * data["step"]
    page.evaluate(
        """(km) => {
            const input = document.querySelector("input[type=range]");
            input.value = String(km);
            input.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        km,
    )
    drawn = [v for path in _drawn_vertices(page, "tc-slider-ring") for v in path]
    assert len(drawn) >= 50
    assert _off_km(drawn, origins, [km]).max() <= default_tolerance_km(km)


@pytest.mark.browser
def test_page__reader_cannot_leave_the_region(page):
    result = page.evaluate(
        """() => {
            const map = window.threatCoverageMap;
            const fitted = map.getZoom();
            map.setZoom(0, {animate: false});
            map.panBy([-5000, -5000], {animate: false});
            const region = map.options.maxBounds;
            return {fitted: fitted, min: map.getMinZoom(), zoom: map.getZoom(),
                    inside: region.contains(map.getBounds()), borders:
                    document.querySelectorAll("path.tc-border").length};
        }"""
    )
    assert result["zoom"] == result["min"] < result["fitted"]  # room to zoom out, a limit
    assert result["inside"], result
    assert result["borders"] > 60
