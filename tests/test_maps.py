"""Maps: escaping, atomic saving, and the offline HTML opened in headless Chromium.

Browser tests use Debian's chromium (``shutil.which("chromium")``) through the
playwright package; ``playwright install`` is never run. Without chromium they are
skipped locally and fail when ``CI`` is set. Every request except the page itself is
aborted, so a map that needs the network fails here.

The pictures in docs/ are made by ``scripts/map_screenshots.py``, not by tests.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import struct
from pathlib import Path

import folium
import pytest
import shapely
import tomllib
from branca.element import Element

from coverage.claims import Claim, Reading, evaluate_claim, judge, load_claims
from coverage.envelopes import Envelope, ad_hoc_figure, ad_hoc_site, envelopes
from coverage.errors import ParameterError
from coverage.geodesy import distance_km
from coverage.render import leaflet as maps
from coverage.render.leaflet import (
    MERCATOR_MAX_LAT,
    coverage_map,
    render_html,
    save_map,
    verdict_map,
)
from coverage.render.scene import BASEMAP
from coverage.systems import NuclearCapability, RangeEstimate, Site, Source, System, load_catalog
from coverage.targets import targets_from_points

ROOT = Path(__file__).resolve().parent.parent

HOSTILE_SITE = "<script>alert(1)</script>"
HOSTILE_SYSTEM = "<img src=x onerror=alert(1)>"
HOSTILE_TARGET = "</script><script>alert(2)</script>"
HOSTILE_QUOTE = "`${window.__pwned=1}` <img src=x onerror=window.__pwned=1>"
HOSTILE_URL = 'https://example.org/"><script>window.__pwned=1</script>'
HOSTILE_STRINGS = (HOSTILE_SITE, HOSTILE_SYSTEM, HOSTILE_TARGET, HOSTILE_QUOTE)


# --------------------------------------------------------------------------- maps under test


@pytest.fixture(scope="module")
def kaliningrad_verdict():
    claim = load_claims()["grybauskaite-2018-capitals"]
    return evaluate_claim(claim, load_catalog())


@pytest.fixture(scope="module")
def kaliningrad_html(kaliningrad_verdict, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("maps") / "kaliningrad.html"
    return save_map(verdict_map(kaliningrad_verdict), path)


def hostile_verdict():
    """A verdict whose every name is an injection attempt."""
    source = Source(title=HOSTILE_SYSTEM, publisher=HOSTILE_SITE, url=HOSTILE_URL)
    # A javascript: URL cannot pass validation; build it anyway to check it is not linked.
    bad_source = Source.model_construct(
        title="click me", publisher=None, url="javascript:window.__pwned=1", date="n.d."
    )
    system = System(
        id="evil",
        name=HOSTILE_SYSTEM,
        role="ballistic",
        nuclear_capable=NuclearCapability(status="no"),
        ranges=[
            RangeEstimate(kind="declared", km=400, source=source),
            RangeEstimate(kind="estimated", km=600, source=source),
        ],
    )
    system = system.model_copy(
        update={
            "ranges": [system.ranges[0], system.ranges[1].model_copy(update={"source": bad_source})]
        }
    )
    site = Site(id="evil", name=HOSTILE_SITE, lon=20.51, lat=54.71, source=source)
    targets = targets_from_points(
        [
            (HOSTILE_TARGET, 25.2798, 54.6892),
            ("Warsaw", 21.01178, 52.22977),
            (HOSTILE_QUOTE, 13.41053, 52.52437),
        ]
    )
    claim = Claim(
        id="hostile",
        speaker=HOSTILE_SITE,
        date="2018",
        quote=HOSTILE_QUOTE,
        sources=[source],
        reading=Reading(systems=["evil"], sites=["evil"]),
    )
    return judge(claim, envelopes([site], system), targets)


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("maps") / "hostile.html"
    return save_map(verdict_map(hostile_verdict()), path)


@pytest.fixture(scope="module")
def antimeridian_html(tmp_path_factory) -> Path:
    fiji = ad_hoc_site(179.0, -17.0, name="Fiji")
    rings = [Envelope(*t) for t in [(fiji, None, ad_hoc_figure(1000.0))]]
    path = tmp_path_factory.mktemp("maps") / "antimeridian.html"
    return save_map(coverage_map(rings, title="1,000 km around 179E, 17S"), path)


@pytest.fixture(scope="module")
def pole_html(tmp_path_factory) -> Path:
    arctic = ad_hoc_site(10.0, 80.0, name="Svalbard area")
    moscow = ad_hoc_site(37.6173, 55.7558, name="Moscow")
    rings = [
        Envelope(*t)
        for t in [
            (arctic, None, ad_hoc_figure(2000.0)),
            (moscow, None, ad_hoc_figure(5500.0)),
        ]
    ]
    path = tmp_path_factory.mktemp("maps") / "pole.html"
    return save_map(coverage_map(rings), path)


# --------------------------------------------------------------------------- no browser


def test_kaliningrad_claim_map__single_file_under_budget(kaliningrad_html):
    size = kaliningrad_html.stat().st_size
    text = kaliningrad_html.read_text(encoding="utf-8")
    assert size <= 1_000_000, f"{size:,} bytes"
    lowered = text.lower()
    assert "<script src=" not in lowered
    assert "<link" not in lowered
    assert "cdn.jsdelivr" not in lowered and "cdnjs" not in lowered
    assert 'version="1.9.4"' in text  # the inlined Leaflet


def test_render_html__no_jquery_or_folium_popup(kaliningrad_verdict):
    text = render_html(verdict_map(kaliningrad_verdict))
    assert "$(`" not in text  # folium.Popup's jQuery construct
    assert "L.AwesomeMarkers" not in text
    assert "$(document)" not in text


def test_render_html__same_page_every_time(kaliningrad_verdict):
    m = verdict_map(kaliningrad_verdict)
    assert render_html(m) == render_html(m)


def test_maps_module__never_draws_circles():
    source = inspect.getsource(maps)
    assert "folium.Circle(" not in source
    assert "L.circle(" not in source
    assert ".buffer(" not in source


def test_render_html__rings_are_polygons_not_circles(kaliningrad_verdict):
    text = render_html(verdict_map(kaliningrad_verdict))
    assert "L.circle(" not in text
    assert text.count('"tc-ring tc-ring-') == 3  # one GeoJSON layer per figure


def test_render_html__escapes_hostile_names():
    text = render_html(verdict_map(hostile_verdict()))
    for raw in HOSTILE_STRINGS + (HOSTILE_URL,):
        assert raw not in text, raw
    assert "</script><script>alert" not in text
    assert "<img src=x" not in text and "<img src=\\u0022x" not in text
    # Escaped, they are there as text: in the panel (HTML) and in the inlined JSON.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "\\u0026lt;/script\\u0026gt;\\u0026lt;script\\u0026gt;alert(2)" in text
    assert "javascript:" not in text
    # No tag opened by data: every "<script" in the page is one of ours.
    assert text.count("<script") == text.count("</script>")


def test_js_json__cannot_close_script():
    out = maps._js_json({"name": "</script><!-- & \u2028"})
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out)["name"] == "</script><!-- & \u2028"


def test_link__only_http_and_https():
    link = maps._link("https://a.example/x?a=1&b=2", "t")
    assert link.startswith('<a href="https://a.example/x?a=1&amp;b=2"')
    assert "<a" not in maps._link("javascript:alert(1)", "t")
    assert "<a" not in maps._link("data:text/html,<script>", "t")
    assert maps._link(None, "<b>") == "&lt;b&gt;"


def test_display_polygons__antimeridian_ring_is_not_a_band():
    ring = [Envelope(*t) for t in [(ad_hoc_site(179.0, -17.0), None, ad_hoc_figure(1000.0))]][0]
    assert ring.geometry.geom_type == "MultiPolygon"
    parts = maps._display_polygons(ring.geometry, wrap=True)
    assert len(parts) == 2
    for part in parts:
        minx, _, maxx, _ = part.bounds
        assert maxx - minx < 25.0  # about 19 degrees of longitude at 17S
    # The part around the centre is whole: it contains the site.
    assert any(p.contains(shapely.Point(179.0, -17.0)) for p in parts)
    assert any(p.contains(shapely.Point(179.0 - 360.0, -17.0)) for p in parts)


def test_display_polygons__pole_ring_clipped_to_mercator():
    ring = [Envelope(*t) for t in [(ad_hoc_site(10.0, 80.0), None, ad_hoc_figure(2000.0))]][0]
    parts = maps._display_polygons(ring.geometry, wrap=True)
    assert len(parts) == 1
    minx, miny, maxx, maxy = parts[0].bounds
    assert maxy == pytest.approx(MERCATOR_MAX_LAT)
    assert minx < -180.0 - maps.WRAP_MARGIN_DEG and maxx > 180.0 + maps.WRAP_MARGIN_DEG
    assert 61.0 < miny < 63.0


def _layers(m: folium.Map) -> list[dict]:
    """Every ring GeoJSON layer of a map: its options and its geometry types."""
    out = []
    for layer in maps.page_data(m)["layers"]:
        for part in layer["parts"]:
            types = {f["geometry"]["type"] for f in part["data"]["features"]}
            out.append({"options": part["options"], "types": types})
    return out


def test_add_figure__uncut_ring_is_stroked_once():
    rings = [Envelope(*t) for t in [(ad_hoc_site(20.51, 54.71), None, ad_hoc_figure(500.0))]]
    (layer,) = _layers(coverage_map(rings))
    assert layer["options"]["stroke"] is True and layer["types"] == {"Polygon"}
    assert "tc-ring " in layer["options"]["className"]


def test_add_figure__cut_ring_outline_leaves_out_the_seam():
    # Around the pole: clipped at the Mercator limit and beyond the wrapped copies.
    rings = [Envelope(*t) for t in [(ad_hoc_site(10.0, 80.0), None, ad_hoc_figure(2000.0))]]
    fill, outline = _layers(coverage_map(rings))
    assert fill["options"]["stroke"] is False and fill["types"] == {"Polygon"}
    assert outline["options"]["fill"] is False and outline["types"] == {"LineString"}
    lines = maps._circle_edges(maps._display_polygons(rings[0].geometry, wrap=True)[0])
    xy = shapely.get_coordinates(shapely.multilinestrings(lines))
    assert xy[:, 1].max() < MERCATOR_MAX_LAT - 1.0  # the clip line at the top is not drawn
    assert 61.0 < xy[:, 1].min() < 63.0  # the circle itself is


def test_add_figure__wrapped_antimeridian_ring_is_whole_and_stroked():
    rings = [Envelope(*t) for t in [(ad_hoc_site(179.0, -17.0), None, ad_hoc_figure(1000.0))]]
    (layer,) = _layers(coverage_map(rings))  # the copies at +-360 make each part whole
    assert layer["options"]["stroke"] is True


def test_coverage_map__html_per_360_vertex_ring_within_budget():
    lon = [float(x) for x in range(-8, 40, 2)]
    lat = [45.0 + (i % 7) for i in range(len(lon))]
    km = [400.0 + 13.0 * i for i in range(len(lon))]
    rings = [
        Envelope(ad_hoc_site(x, y, name=f"site {i}"), None, ad_hoc_figure(r))
        for i, (x, y, r) in enumerate(zip(lon, lat, km, strict=True))
    ]
    # 360-vertex boundaries (geometry is a cached property: seed it with the batch).
    from coverage.geodesy import range_rings

    for ring, geometry in zip(rings, range_rings(lon, lat, km), strict=True):
        ring.__dict__["geometry"] = geometry
    from coverage.render.leaflet import _js_json, _pack

    def weight(m):
        # The page less its basemap, whose region grows with the rings.
        base = len(_js_json(_pack(maps.page_data(m)["base"])).encode())
        return len(render_html(m).encode()) - base

    few, many = (weight(coverage_map(rings[:k])) for k in (4, len(rings)))
    per_ring = (many - few) / (len(rings) - 4)
    # 361 vertices at 4 decimals, packed as integer differences, plus the layer and site.
    assert 3_000 < per_ring <= 6_000


def test_save_map__render_error_keeps_existing_file(tmp_path, kaliningrad_verdict):
    path = tmp_path / "map.html"
    path.write_bytes(b"<p>good map</p>")

    class Broken(Element):
        def render(self, **kwargs):
            raise RuntimeError("render failed")

    m = verdict_map(kaliningrad_verdict)
    m.get_root().html.add_child(Broken())
    with pytest.raises(RuntimeError, match="render failed"):
        save_map(m, path)
    assert path.read_bytes() == b"<p>good map</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_save_map__returns_path_and_writes_html(tmp_path):
    rings = [
        Envelope(*t) for t in [(ad_hoc_site(20.51, 54.71), None, ad_hoc_figure(500.0, min_km=50.0))]
    ]
    out = save_map(coverage_map(rings), tmp_path / "ring.html")
    assert out == tmp_path / "ring.html"
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ring.html"]


def test_coverage_map__targets_without_verdict_use_each_figures_sites():
    a, b = ad_hoc_site(0.0, 0.0, name="Site A"), ad_hoc_site(10.0, 0.0, name="Site B")
    rings = [
        Envelope(*t) for t in [(a, None, ad_hoc_figure(100.0)), (b, None, ad_hoc_figure(300.0))]
    ]
    targets = targets_from_points([("Near B", 10.5, 0.0), ("Far away", 40.0, 40.0)])
    text = render_html(coverage_map(rings, targets=targets))
    from_a, from_b = distance_km(0.0, 0.0, 10.5, 0.0), distance_km(10.0, 0.0, 10.5, 0.0)
    assert f"{100.0 - from_a:+,.1f} km" in text
    assert f"{300.0 - from_b:+,.1f} km" in text
    assert text.count('"tc-target tc-target-some"') == 1
    assert text.count('"tc-target tc-target-none"') == 1


def test_coverage_map__equal_layer_titles_made_distinct():
    site = ad_hoc_site(20.0, 50.0)
    source = Source(title="A", url="https://example.org/a")
    one = RangeEstimate(kind="estimated", km=700, label="first source", source=source)
    two = RangeEstimate(kind="estimated", km=700, label="second source", source=source)
    system = System(
        id="x",
        name="X",
        role="ballistic",
        nuclear_capable=NuclearCapability(status="no"),
        ranges=[one, two],
    )
    m = coverage_map([Envelope(*t) for t in [(site, system, one), (site, system, two)]])
    names = [layer["name"] for layer in maps.page_data(m)["layers"]]
    ring_names = [n for n in names if "700 km" in n]
    assert len(ring_names) == 2 and len(set(ring_names)) == 2
    assert "first source" in ring_names[0] and "second source" in ring_names[1]


def test_coverage_map__nothing_to_draw():
    with pytest.raises(ParameterError, match="nothing to draw"):
        coverage_map([])


def test_coverage_map__targets_must_match_verdict(kaliningrad_verdict):
    others = targets_from_points([("Somewhere", 10.0, 50.0)])
    with pytest.raises(ParameterError, match="targets differ"):
        coverage_map([], verdict=kaliningrad_verdict, targets=others)


def test_coverage_map__rejects_non_rings():
    with pytest.raises(ParameterError, match="Envelope"):
        coverage_map([shapely.Point(0, 0)])


def test_coverage_map__tiles_on_request():
    rings = [Envelope(*t) for t in [(ad_hoc_site(20.51, 54.71), None, ad_hoc_figure(500.0))]]
    assert "tile.openstreetmap.org" not in render_html(coverage_map(rings))
    assert "tile.openstreetmap.org" in render_html(coverage_map(rings, tiles="OpenStreetMap"))


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser_context(browser):
    """A fresh context (profile) of the worker's browser for this module, 1200 x 800."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        yield context
    finally:
        context.close()


class Opened:
    """A page opened offline, with everything it asked for and complained about."""

    def __init__(self, context, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.aborted: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page = context.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def route(route):
            if route.request.url == self.url:
                route.continue_()
            else:
                self.aborted.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.goto(self.url, wait_until="load")
        self.page = page

    def assert_clean(self) -> None:
        assert self.requests == [self.url]
        assert self.aborted == []
        assert self.errors == []
        assert self.dialogs == []

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def click_target(self, name: str) -> str:
        """Centre the map on the target called ``name``, click its marker, return the popup text."""
        box = self.page.evaluate(
            """(name) => {
                const map = window.threatCoverageMap;
                let found = null;
                map.eachLayer((layer) => {
                    const tip = layer.getTooltip && layer.getTooltip();
                    if (tip && layer._path && layer._path.classList.contains("tc-target")) {
                        const div = document.createElement("div");
                        div.innerHTML = tip.getContent();
                        if (div.textContent === name) { found = layer; }
                    }
                });
                if (!found) { return null; }
                map.setView(found.getLatLng(), 7, {animate: false});
                const r = found._path.getBoundingClientRect();
                return {x: r.x + r.width / 2, y: r.y + r.height / 2};
            }""",
            name,
        )
        assert box is not None, f"no target marker named {name!r}"
        self.page.mouse.click(box["x"], box["y"])
        popup = self.page.locator(".leaflet-popup-content")
        popup.wait_for(state="visible", timeout=5000)
        return popup.inner_text()

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_map(browser_context):
    opened: list[Opened] = []

    def open_(path: Path) -> Opened:
        o = Opened(browser_context, path)
        opened.append(o)
        return o

    yield open_
    for o in opened:
        o.close()


@pytest.mark.browser
def test_kaliningrad_map__offline_in_browser(open_map, kaliningrad_html, kaliningrad_verdict):
    o = open_map(kaliningrad_html)
    assert o.page.evaluate("L.version") == "1.9.4"
    n_figures = len(kaliningrad_verdict.evaluations)
    assert o.count("path.leaflet-interactive.tc-ring") == n_figures  # two sites merged per figure
    assert o.count("path.leaflet-interactive.tc-target") == len(kaliningrad_verdict.targets)
    in_all = sum(
        all(e.in_range[j] for e in kaliningrad_verdict.evaluations)
        for j in range(len(kaliningrad_verdict.targets))
    )
    assert o.count("path.tc-target-all") == in_all
    assert o.count(".leaflet-marker-icon.tc-site-launch") == len(kaliningrad_verdict.sites)
    assert o.count(".leaflet-marker-icon.tc-site-garrison") == 4  # the four eFP battlegroups
    # The countries of the page's region (Europe and its neighbours), not the world's 240.
    assert 60 < o.count("path.tc-border") < 150
    panel = o.page.locator("#tc-panel").inner_text()
    assert "FALSE" in panel and "1,219 km" in panel and "europe-all" in panel
    assert "TASS" in panel
    hrefs = o.page.eval_on_selector_all("#tc-panel a", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    popup = o.click_target("Vilnius")
    assert "Vilnius" in popup and "km" in popup
    assert "Distance to nearest site" in popup and "+" in popup
    o.assert_clean()


@pytest.mark.browser
def test_hostile_names__shown_as_text(open_map, hostile_html):
    o = open_map(hostile_html)
    page = o.page
    text = hostile_html.read_text(encoding="utf-8")
    assert page.evaluate("document.scripts.length") == text.count("<script")
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    panel = page.locator("#tc-panel").inner_text()
    for raw in (HOSTILE_SITE, HOSTILE_SYSTEM, HOSTILE_QUOTE):
        assert raw in panel, raw
    assert "click me" in panel
    assert (
        page.eval_on_selector_all(
            "#tc-panel a", "els => els.filter(e => !/^https?:$/.test(e.protocol)).length"
        )
        == 0
    )
    layers = page.locator(".leaflet-control-layers").inner_text()
    assert HOSTILE_SYSTEM in layers
    # Every tooltip, opened at once.
    page.evaluate(
        "() => { window.threatCoverageMap.eachLayer("
        "l => { if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } }); }"
    )
    tooltips = " ".join(page.locator(".leaflet-tooltip").all_inner_texts())
    for raw in (HOSTILE_SITE, HOSTILE_TARGET, HOSTILE_SYSTEM):
        assert raw in tooltips, raw
    popup = o.click_target(HOSTILE_TARGET)
    assert HOSTILE_TARGET in popup and HOSTILE_SYSTEM in popup and "km" in popup
    page.wait_for_timeout(100)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    o.assert_clean()


def _ring_boxes(page) -> list[dict]:
    return page.eval_on_selector_all(
        "path.tc-ring",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; })",
    )


def _point(page, lat: float, lon: float) -> dict:
    return page.evaluate(
        """([lat, lon]) => {
            const map = window.threatCoverageMap;
            const p = map.latLngToContainerPoint([lat, lon]);
            const c = map.getContainer().getBoundingClientRect();
            return {x: c.left + p.x, y: c.top + p.y, world: 256 * Math.pow(2, map.getZoom())};
        }""",
        [lat, lon],
    )


def _inside(p: dict, b: dict) -> bool:
    return b["left"] <= p["x"] <= b["right"] and b["top"] <= p["y"] <= b["bottom"]


@pytest.mark.browser
def test_antimeridian_ring__drawn_without_band(open_map, antimeridian_html):
    o = open_map(antimeridian_html)
    page = o.page
    for centre_lon in (179.0, -181.0):  # the ring itself, then after panning across +-180
        page.evaluate(
            "(lon) => { window.threatCoverageMap.setView([-17, lon], 4, {animate: false}); }",
            centre_lon,
        )
        boxes = _ring_boxes(page)
        centre = _point(page, -17.0, centre_lon)
        assert len(boxes) == 2
        for b in boxes:
            assert b["width"] < centre["world"] / 8, (b, centre)  # ~19 degrees, not the world
        assert any(_inside(centre, b) for b in boxes), (centre, boxes)
        # The ring reaches about 9.5 degrees of longitude either side of its centre.
        east = _point(page, -17.0, centre_lon + 9.0)
        west = _point(page, -17.0, centre_lon - 9.0)
        assert any(_inside(east, b) and _inside(west, b) for b in boxes)
    o.assert_clean()


@pytest.mark.browser
def test_pole_rings__reach_top_of_the_world(open_map, pole_html):
    o = open_map(pole_html)
    page = o.page
    page.evaluate("() => { window.threatCoverageMap.setView([60, 20], 2, {animate: false}); }")
    boxes = _ring_boxes(page)
    assert len(boxes) == 2
    top = _point(page, MERCATOR_MAX_LAT, 20.0)
    for b in boxes:
        assert abs(b["top"] - top["y"]) < 3.0, (b, top)
        assert b["width"] >= top["world"] - 1  # all the way round
    # The 2,000 km ring around 80N ends near 62N; the 5,500 km one around Moscow goes further south.
    bottoms = sorted(b["bottom"] for b in boxes)
    assert abs(bottoms[0] - _point(page, 62.0, 10.0)["y"]) < 0.02 * top["world"]
    assert bottoms[1] > _point(page, 10.0, 37.6)["y"]
    o.assert_clean()


@pytest.mark.browser
def test_kaliningrad_map__screenshot(open_map, kaliningrad_html, tmp_path):
    o = open_map(kaliningrad_html)
    page = o.page
    page.wait_for_timeout(300)
    out = tmp_path / "kaliningrad-claim.png"
    page.screenshot(path=str(out))
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 800)
    assert page.locator("#tc-panel").is_visible()
    o.assert_clean()


# --------------------------------------------------------------------------- templates


def template_payloads(marker_dir: Path) -> dict[str, str]:
    """One Jinja construct (and some HTML) per text field that reaches a map.

    The ``quote`` would create ``marker_dir/pwned`` if it were ever evaluated.
    """
    return {
        "target": "T1 {{ 7*7 }} <b>bold</b>",
        "country": "C1 {% raw %} x",
        "target2": "T2 {%",
        "system": "S1 {# note #} <i>it</i>",
        "site": "P1 {% if 1 %}yes{% endif %}",
        "source_title": "ST {{ 6*7 }}",
        "publisher": "PB %} }} {#",
        "url": "https://example.org/{{7*7}}?a={%x%}",
        "quote": "Q {{ lipsum.__globals__.os.mkdir('" + str(marker_dir / "pwned") + "') }}",
        "speaker": "SP {{ config }}",
        "date": "D {{ 'a' ~ 'b' }}",
        "attribution": "AT {{ range(3)|list }}",
    }


def template_verdict(payloads: dict[str, str]):
    from coverage.targets import Target, TargetSet

    p = payloads
    source = Source(title=p["source_title"], publisher=p["publisher"], url=p["url"], date="2018")
    system = System(
        id="tpl",
        name=p["system"],
        role="ballistic",
        nuclear_capable=NuclearCapability(status="no"),
        ranges=[RangeEstimate(kind="declared", km=500, source=source)],
    )
    site = Site(id="tpl", name=p["site"], lon=20.51, lat=54.71, source=source)
    targets = TargetSet(
        (
            Target(name=p["target"], lon=21.01178, lat=52.22977, country=p["country"]),
            Target(name=p["target2"], lon=13.41053, lat=52.52437),
        ),
        source="test",
        attribution=p["attribution"],
    )
    claim = Claim(
        id="tpl",
        speaker=p["speaker"],
        date=p["date"],
        quote=p["quote"],
        sources=[source],
        reading=Reading(systems=["tpl"], sites=["tpl"]),
    )
    return judge(claim, envelopes([site], system), targets)


@pytest.fixture(scope="module")
def template_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    payloads = template_payloads(folder)
    path = save_map(verdict_map(template_verdict(payloads)), folder / "templates.html")
    return path, payloads


def test_render_html__template_syntax_in_data_stays_text(template_map):
    path, payloads = template_map
    text = path.read_text(encoding="utf-8")
    assert not (path.parent / "pwned").exists()
    assert "T1 49" not in text and "ST 42" not in text and "D ab" not in text
    # Every payload is in the page as escaped text (the braces survive untouched).
    for value in payloads.values():
        escaped = maps._e(value)
        json_escaped = maps._js_json(escaped)[1:-1]
        assert escaped in text or json_escaped in text, value


def test_page_js__constant_and_free_of_template_syntax():
    # The script that draws the page is ours and constant: it must not be a template.
    for construct in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert construct not in maps._page_js()


@pytest.mark.browser
def test_template_syntax__shown_literally_in_browser(open_map, template_map):
    path, payloads = template_map
    o = open_map(path)
    page = o.page
    panel = page.locator("#tc-panel").inner_text()
    for key in ("system", "source_title", "publisher", "quote", "speaker", "date"):
        assert payloads[key] in panel, key
    hrefs = page.eval_on_selector_all("#tc-panel a", "els => els.map(e => e.getAttribute('href'))")
    assert payloads["url"] in hrefs
    assert payloads["system"] in page.locator(".leaflet-control-layers").inner_text()
    assert payloads["attribution"] in page.locator(".leaflet-control-attribution").inner_text()
    page.evaluate(
        "() => { window.threatCoverageMap.eachLayer("
        "l => { if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } }); }"
    )
    tooltips = " ".join(page.locator(".leaflet-tooltip").all_inner_texts())
    for key in ("site", "target", "target2", "system"):
        assert payloads[key] in tooltips, key
    popup = o.click_target(payloads["target"])
    assert payloads["target"] in popup and payloads["country"] in popup
    assert payloads["system"] in popup
    whole = page.evaluate("document.body.innerText")
    assert "T1 49" not in whole and "ST 42" not in whole and "TemplateSyntaxError" not in whole
    assert not (path.parent / "pwned").exists()
    o.assert_clean()


@pytest.mark.cli
def test_cli_map__template_syntax_in_targets_file(tmp_path):
    import subprocess
    import sys

    names = ["X {{ 7*7 }} Y", "Z {% raw %}", "W {# c #} {%"]
    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Point", "coordinates": [21.0 + i, 52.0]},
        }
        for i, name in enumerate(names)
    ]
    targets = tmp_path / "t.geojson"
    targets.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    script = Path(sys.executable).with_name("threat-coverage")
    args = ["map", "--range-km", "500", "--at", "20.51,54.71", "--targets", str(targets)]
    done = subprocess.run(
        [str(script), *args, "-o", "x.html"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    text = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "X 49 Y" not in text
    for name in names:
        assert maps._js_json(maps._e(name))[1:-1] in text, name


def test_coverage_map__sector__targets_outside_it_say_so():
    from coverage.sectors import Sector

    site = ad_hoc_site(20.51, 54.71, name="Battery")
    covering = envelopes([site], ad_hoc_figure(1000.0), sector=Sector(180, 300))
    targets = targets_from_points([("Berlin", 13.405, 52.52), ("Vilnius", 25.28, 54.69)])
    data = maps.page_data(coverage_map(covering, targets=targets))
    berlin, vilnius = data["targets"]["points"]
    assert "outside the sector" in vilnius["popup"] and "inf" not in vilnius["popup"]
    assert "in range" in berlin["popup"] and "outside" not in berlin["popup"]
    assert "sector 180°–300°" in data["layers"][0]["name"]


# --------------------------------------------------------------------------- online tiles (#17)


def _kaliningrad_rings():
    return [Envelope(ad_hoc_site(20.51, 54.71), None, ad_hoc_figure(500.0))]


@pytest.mark.parametrize(
    ("name", "url_part", "credit"),
    [
        ("osm", "tile.openstreetmap.org", "OpenStreetMap</a> contributors"),
        ("OSM", "tile.openstreetmap.org", "OpenStreetMap</a> contributors"),
        ("OpenStreetMap", "tile.openstreetmap.org", "OpenStreetMap</a> contributors"),
        ("topo", "opentopomap.org", "OpenTopoMap"),
        ("satellite", "World_Imagery", "Esri"),
        ("humanitarian", "openstreetmap.fr/hot", "Humanitarian OpenStreetMap Team"),
        ("Esri.WorldTopoMap", "World_Topo_Map", "Esri"),
    ],
)
def test_coverage_map__tiles__documented_names_carry_attribution(name, url_part, credit):
    tiles = maps.page_data(coverage_map(_kaliningrad_rings(), tiles=name))["tiles"]
    assert url_part in tiles["url"]
    assert "{z}" in tiles["url"] and "{x}" in tiles["url"] and "{y}" in tiles["url"]
    assert credit in tiles["options"]["attribution"]
    assert tiles["options"]["max_zoom"] > 0
    assert tiles["name"] and tiles["name"] != "Online tiles"


def test_coverage_map__tiles__none_by_default():
    assert maps.page_data(coverage_map(_kaliningrad_rings()))["tiles"] is None


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("no-such-tiles", "unknown tile provider 'no-such-tiles'; give osm"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "attribution"),
    ],
)
def test_coverage_map__tiles__refused_with_one_line(name, needle):
    with pytest.raises(ParameterError, match=needle) as info:
        coverage_map(_kaliningrad_rings(), tiles=name)
    assert info.value.parameter == "tiles"
    assert "\n" not in str(info.value)


def test_page_assets__package_data_not_python_strings():
    # The page's script and styles are files of their own, shipped as package data, and
    # no Python string in src/ holds more than 2,000 characters of JavaScript or CSS.
    root = Path(__file__).resolve().parents[1]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = data["tool"]["setuptools"]["package-data"]["coverage"]
    assert {"render/assets/*.js", "render/assets/*.css"} <= set(shipped)
    assets = root / "src" / "coverage" / "render" / "assets"
    for name in ("page.js", "page.css"):
        text = (assets / name).read_text(encoding="utf-8")
        # nothing in them can close the <script> or <style> element they are put in
        assert "</script" not in text.lower() and "</style" not in text.lower()
        assert "{{" not in text and "{%" not in text
    assert 'getElementById("tc-data")' in maps._page_js()
    assert f"--tc-sea: {BASEMAP.sea}" in maps._page_css()
    assert f"max-width: {maps.NARROW_PX - 1}px" in maps._page_css()
    code_line = re.compile(r"[{};]\s*$")  # a line of JavaScript or CSS ends so
    for path in (root / "src" / "coverage").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                lines = node.value.splitlines()
                code = sum(len(line) for line in lines if code_line.search(line))
                assert code <= 2000, f"{path.name}:{node.lineno}: {code} characters of code"
    assert not (root / "src" / "coverage" / "maps.py").exists()
