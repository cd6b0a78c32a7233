"""Static figures (coverage.render.static): projection, geometry, files and the CLI (#15).

Geometry is checked against GeographicLib (independent of pyproj's geodesics): points
at a known geodesic distance from the origin, projected with a transformer built from
the figure's own CRS, must fall inside the drawn envelope when nearer than the range
and outside when farther.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from matplotlib.text import Text
from pyproj import Transformer

from coverage.checks import Request, check
from coverage.errors import ParameterError
from coverage.render import static
from coverage.render.scene import scene_for
from coverage.render.static_geometry import polygons

SVG = "{http://www.w3.org/2000/svg}"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def _ad_hoc(lon, lat, km, **kw):
    verdict = check(Request(range_km=km, points=((lon, lat),), **kw))
    return scene_for(verdict, panel=False, range_control=False)


@pytest.fixture(scope="module")
def kaliningrad(kaliningrad_verdict):
    return scene_for(kaliningrad_verdict, range_control=False)


@pytest.fixture(scope="module")
def sarmat():
    return scene_for(check(Request(systems=("sarmat",), sites=("uzhur",))), range_control=False)


def _ring_points(lon, lat, km, factor, n=72):
    """Points at factor x km from (lon, lat) on n azimuths, by GeographicLib."""
    out = []
    for azi in np.linspace(0, 360, n, endpoint=False):
        r = Geodesic.WGS84.Direct(lat, lon, float(azi), km * factor * 1000.0)
        out.append((r["lon2"], r["lat2"]))
    return np.array(out)


def _projected(lay, pts):
    """Project lon/lat with a transformer built from the figure's CRS (not the Layout's)."""
    t = Transformer.from_crs("EPSG:4326", lay.projection.crs, always_xy=True)
    x, y = t.transform(pts[:, 0], pts[:, 1])
    return np.asarray(x), np.asarray(y)


def _check_ring(scene, lon, lat, km, key="L0"):
    lay = static.layout(scene)
    drawn = lay.layers[key]
    assert drawn.is_valid and not drawn.is_empty
    inside = _projected(lay, _ring_points(lon, lat, km, 0.985))
    outside = _projected(lay, _ring_points(lon, lat, km, 1.015))
    assert shapely.contains_xy(drawn, *inside).all()
    assert not shapely.contains_xy(drawn, *outside).any()
    return lay, drawn


# --------------------------------------------------------------------------- geometry


def test_kaliningrad_targets_in_and_out_of_the_drawn_envelopes(kaliningrad):
    lay = static.layout(kaliningrad)
    assert lay.centre_name  # centred on the launch sites (their mean direction)
    checked = 0
    for la in kaliningrad.threats:
        drawn = lay.layers[la.key]
        for t in kaliningrad.targets:
            margin = t.margins_km[la.key]
            if abs(margin) < 0.01 * la.layer.figure.km:  # too close to the edge to see
                continue
            x, y = _projected(lay, np.array([[t.lon, t.lat]]))
            assert bool(shapely.contains_xy(drawn, x, y)[0]) == t.in_range[la.key], (la.key, t.name)
            checked += 1
    assert checked > 100
    # The view holds every target in range at some figure.
    xmin, ymin, xmax, ymax = lay.extent
    for t in kaliningrad.targets:
        if t.label:
            x, y = lay.project([t.lon], [t.lat])
            assert xmin <= x[0] <= xmax and ymin <= y[0] <= ymax, t.name


def test_ring_is_a_circle_around_its_origin():
    # Azimuthal equidistant centred on the origin: every vertex at the range, exactly
    # within the drawing tolerance (0.1 % of the range).
    lay, drawn = _check_ring(_ad_hoc(20.0, 50.0, 1000.0), 20.0, 50.0, 1000.0)
    xy = shapely.get_coordinates(drawn.exterior)
    r = np.hypot(xy[:, 0], xy[:, 1]) / 1000.0
    assert np.allclose(r, 1000.0, rtol=2e-3)
    assert lay.projection.lon_0 == 20.0 and lay.projection.lat_0 == 50.0
    assert not lay.world


def test_antimeridian_ring_is_one_piece():
    scene = _ad_hoc(170.0, 60.0, 3000.0)
    assert scene.wrap
    assert len(polygons(scene.layers[0].geometry)) == 2  # split at +-180 in lon/lat
    lay, drawn = _check_ring(scene, 170.0, 60.0, 3000.0)
    assert drawn.geom_type == "Polygon" and not drawn.interiors
    # Points on both sides of the antimeridian are inside.
    x, y = _projected(lay, np.array([[179.5, 60.0], [-179.5, 60.0], [-175.0, 62.0]]))
    assert shapely.contains_xy(drawn, x, y).all()


def test_polar_ring_holds_the_pole():
    lay, drawn = _check_ring(_ad_hoc(20.0, 80.0, 2500.0), 20.0, 80.0, 2500.0)
    assert drawn.geom_type == "Polygon" and not drawn.interiors
    x, y = _projected(lay, np.array([[0.0, 90.0], [-120.0, 85.0], [150.0, 86.0]]))
    assert shapely.contains_xy(drawn, x, y).all()


def test_sarmat_ring_beyond_a_hemisphere(sarmat):
    uzhur = sarmat.threats[0].origins[0]
    key = next(la.key for la in sarmat.threats if la.layer.figure.km == 18_000)
    lay, drawn = _check_ring(sarmat, uzhur.lon, uzhur.lat, 18_000.0, key=key)
    assert lay.world
    assert drawn.geom_type == "Polygon" and not drawn.interiors
    # The drawn edge is the 18,000 km circle (radial distance is geodesic distance).
    r = np.hypot(*shapely.get_coordinates(drawn.exterior).T) / 1000.0
    assert np.allclose(r, 18_000.0, rtol=3e-3)
    # Every capital is in range and inside.
    x, y = _projected(lay, np.array([[t.lon, t.lat] for t in sarmat.targets]))
    assert all(t.in_range[key] for t in sarmat.targets)
    assert shapely.contains_xy(drawn, x, y).all()


def test_ring_around_the_projection_antipode_is_drawn_as_the_rest_of_the_disc():
    # Two origins far apart: the projection centres between them and one ring covers
    # the antipode of the centre; it is drawn as the disc minus what it does not cover.
    verdict = check(Request(range_km=6000.0, points=((-170.0, -70.0), (10.0, 50.0))))
    scene = scene_for(verdict, panel=False, range_control=False)
    lay = static.layout(scene)
    drawn = lay.layers["L0"]
    for lon, lat in ((-170.0, -70.0), (10.0, 50.0)):
        x, y = _projected(lay, _ring_points(lon, lat, 6000.0, 0.97, n=36))
        far = np.hypot(x, y) < lay.projection.rim_km() * 1000.0 - 200_000.0
        assert shapely.contains_xy(drawn, x[far], y[far]).all()


# --------------------------------------------------------------------------- files


def test_svg_keeps_text_as_text_with_the_labels(kaliningrad):
    data = static.figure_bytes(kaliningrad, "svg")
    root = ET.fromstring(data)
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    joined = " ".join(" ".join(texts).split())  # lines of a wrapped text are separate elements
    labelled = [t.name for t in kaliningrad.targets if t.label]
    assert len(labelled) >= 4
    for name in labelled:
        assert any(name in t for t in texts), name
    assert "FALSE" in joined and "Natural Earth" in joined and "GeoNames" in joined
    assert "People in range" in joined  # issue 16: people in the static figure
    # Every layer is drawn as a path of its own, in the scene's colour.
    for la in kaliningrad.layers:
        group = root.find(f".//{SVG}g[@id='tc-layer-{la.key}']")
        assert group is not None, la.key
        path = group.find(f"{SVG}path")
        assert la.style.colour in path.get("style")


@pytest.mark.parametrize("size", ["1800x1200", "1200x675", "900x1200"])
def test_in_range_names_are_written_without_overlaps(kaliningrad, size):
    fig = static.figure(kaliningrad, size_px=size)
    renderer = fig.canvas.get_renderer()
    ax = next(a for a in fig.axes if a.get_gid() == "tc-map")
    box = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("tc-label-")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    names = [t.get_text() for t in labels]
    # Every target in range at some figure, and every launch site, is named once.
    for name in [t.name for t in kaliningrad.targets if t.label]:
        assert names.count(name) == 1, name
    for s in kaliningrad.sites:
        if s.kind == "launch":
            assert s.name in names
    for i, a in enumerate(boxes):
        assert box.x0 <= a.x0 and a.x1 <= box.x1 and box.y0 <= a.y0 and a.y1 <= box.y1, names[i]
        for j in range(i):
            assert not a.overlaps(boxes[j]), (names[i], names[j])


def _svg_path(d: str):
    """The area of an SVG path of M/L/z commands (even-odd over its rings), shapely."""
    rings, ring = [], []
    for cmd, x, y in re.findall(r"([MLz])\s*(?:([-\d.e]+)\s+([-\d.e]+))?", d):
        if cmd in "ML":
            if cmd == "M" and len(ring) > 2:
                rings.append(ring)
            if cmd == "M":
                ring = []
            ring.append((float(x), float(y)))
        elif len(ring) > 2:
            rings.append(ring)
            ring = []
    area = shapely.Polygon()
    for r in rings:
        area = area.symmetric_difference(shapely.make_valid(shapely.Polygon(r)))
    return area


def test_svg_layer_paths_hold_the_drawn_target_marks(kaliningrad):
    # End to end in the SVG's own coordinates: each target's mark lies inside a drawn
    # envelope exactly when the verdict has it in range of that figure. Marks are
    # drawn per state, in the scene's order.
    root = ET.fromstring(static.figure_bytes(kaliningrad, "svg"))

    def group(gid):
        return root.find(f".//{SVG}g[@id='{gid}']")

    checked = 0
    for state in ("all", "some", "none"):
        targets = [t for t in kaliningrad.targets if t.state == state]
        g = group(f"tc-targets-{state}")
        xy = np.array([[float(u.get("x")), float(u.get("y"))] for u in g.iter(SVG + "use")])
        assert len(xy) == len(targets)
        for la in kaliningrad.threats:
            drawn = _svg_path(group(f"tc-layer-{la.key}").find(f"{SVG}path").get("d"))
            inside = shapely.contains_xy(drawn, xy[:, 0], xy[:, 1])
            for t, hit in zip(targets, inside, strict=True):
                if abs(t.margins_km[la.key]) > 0.01 * la.layer.figure.km:
                    assert bool(hit) == t.in_range[la.key], (la.key, t.name)
                    checked += 1
    assert checked > 100


def test_png_sizes(kaliningrad, tmp_path):
    out = static.render(kaliningrad, tmp_path / "k.png")
    assert _png_size(out.read_bytes()) == static.DEFAULT_SIZE_PX
    assert static.DEFAULT_SIZE_PX[0] >= 1200
    static.render(kaliningrad, tmp_path / "card.png", size_px="1200x675")
    assert _png_size((tmp_path / "card.png").read_bytes()) == (1200, 675)
    assert not list(tmp_path.glob(".tc-*"))


def test_pdf_is_one_page(sarmat, tmp_path):
    static.render(sarmat, tmp_path / "s.pdf", size_px=(900, 1200))
    data = (tmp_path / "s.pdf").read_bytes()
    assert data.startswith(b"%PDF") and _pdf_pages(data) == 1


def test_file_object_and_format(kaliningrad):
    import io

    buf = io.BytesIO()
    static.render(kaliningrad, buf, format="svg", size_px="600x400")
    assert buf.getvalue().lstrip().startswith(b"<?xml")
    with pytest.raises(ParameterError) as err:
        static.render(kaliningrad, io.BytesIO())
    assert err.value.parameter == "format"


@pytest.mark.parametrize(
    ("size", "expected"),
    [("1200x675", (1200, 675)), (" 800X600 ", (800, 600)), ((640, 480), (640, 480)), (None, None)],
)
def test_parse_size(size, expected):
    assert static.parse_size(size) == (expected or static.DEFAULT_SIZE_PX)


@pytest.mark.parametrize("size", ["1200", "x675", "12x675", "1200x99999", "axb", "1e3x600", "-5x5"])
def test_bad_size_names_the_parameter(size):
    with pytest.raises(ParameterError) as err:
        static.parse_size(size)
    assert err.value.parameter == "size_px"


def test_bad_format_names_the_parameter(kaliningrad, tmp_path):
    for kwargs in ({"path_or_file": tmp_path / "x.gif"}, {"path_or_file": tmp_path / "x"}):
        with pytest.raises(ParameterError) as err:
            static.render(kaliningrad, **kwargs)
        assert err.value.parameter == "format"
    with pytest.raises(ParameterError) as err:
        static.render(kaliningrad, tmp_path / "x.png", format="jpeg")
    assert err.value.parameter == "format"
    assert not list(tmp_path.iterdir())


def _names_file(tmp_path, names) -> Path:
    """A targets GeoJSON with these names, one point each near Kaliningrad."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": n},
            "geometry": {"type": "Point", "coordinates": [20.0 + i, 52.0]},
        }
        for i, n in enumerate(names)
    ]
    path = tmp_path / "t.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _svg_texts(targets_file) -> list[str]:
    """The text of every ``<text>`` of an 800 km ring's SVG over these targets."""
    verdict = check(Request(range_km=800.0, points=((20.5, 54.7),), targets_file=targets_file))
    scene = scene_for(verdict, panel=False, range_control=False)
    root = ET.fromstring(static.figure_bytes(scene, "svg", size_px="900x600"))
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def test_hostile_names_stay_text(tmp_path):
    names = ["$x^2$ <b>&amp;", "{{ 7*7 }}", "\u202eevil"]
    path = _names_file(tmp_path, names)
    texts = _svg_texts(path)
    for n in names:
        assert n in texts, n


@pytest.mark.parametrize("size", ["300x300", "400x300", "300x400"])
def test_size_too_small_for_title_and_credits__parameter_error(kaliningrad, size):
    # Sizes --size accepts (each side 300 px or more) once crashed inside matplotlib
    # ("Width and height specified must be non-negative").
    with pytest.raises(ParameterError) as err:
        static.figure_bytes(kaliningrad, "png", size_px=size)
    assert err.value.parameter == "size_px"


@pytest.mark.cli
def test_cli_size_too_small__one_line(run_cli, tmp_path):
    out = tmp_path / "m.png"
    proc = run_cli("claim", "--map", str(out), "--size", "300x300", "-q")
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and "--size" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_control_characters_in_names__svg_stays_well_formed(tmp_path, recwarn):
    # XML 1.0 cannot hold C0 controls: a name from a user's file with a BEL, NUL or
    # ESC must not make the SVG unreadable (nor warn about missing glyphs).
    names = ["a\x07b\x00c", "\x1b[31mred"]
    path = _names_file(tmp_path, names)
    texts = _svg_texts(path)
    assert "a\ufffdb\ufffdc" in texts and "\ufffd[31mred" in texts
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


# --------------------------------------------------------------------------- every word on the page

#: The four sizes of issue 21: print, a social card, a square post, a small square.
PAGE_SIZES = ("1800x1200", "1200x675", "1080x1080", "800x800")
#: One bundled claim per question: reach, defence, time.
PAGE_CLAIMS = (
    "grybauskaite-2018-capitals",
    "blaszczak-2023-warsaw-patriot-defence",
    "russian-tv-2022-sarmat-berlin-106-s",
)


@pytest.fixture(scope="module")
def claimed(bundled_verdict):
    """Each of :data:`PAGE_CLAIMS` as (verdict, scene), built once."""
    out = {}
    for cid in PAGE_CLAIMS:
        verdict = bundled_verdict(cid)
        out[cid] = (verdict, scene_for(verdict, range_control=False))
    return out


def _page(claimed, cid, fmt, size) -> bytes:
    verdict, scene = claimed[cid]
    return static.figure_bytes(scene, fmt, size_px=size, report=verdict.report)


def _words(text: str) -> str:
    return " ".join(text.split())


def _legend_heading(scene) -> str:
    return scene.legend_groups()[0][0]


def _pdf_words(data: bytes, tmp_path) -> tuple[str, list[tuple[float, ...]], tuple[float, float]]:
    """The text of a one-page PDF, its words' boxes and the page size (points), by pdftotext."""
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    boxes = [
        tuple(float(v) for v in m)
        for m in re.findall(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"', html
        )
    ]
    return _words(text), boxes, (float(page.group(1)), float(page.group(2)))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("size", PAGE_SIZES)
@pytest.mark.parametrize("cid", PAGE_CLAIMS)
def test_pdf_has_title_headline_and_legend_on_the_page(claimed, cid, size, tmp_path):
    # Issue 21: `pdftotext` of the PDF found no title, verdict or legend (placed off
    # the page). Read the PDF as a reader's tool does: the words are there, and every
    # word's box lies on the page.
    verdict, scene = claimed[cid]
    text, boxes, (width, height) = _pdf_words(_page(claimed, cid, "pdf", size), tmp_path)
    w, h = static.parse_size(size)
    assert (width, height) == pytest.approx((w * 72 / static.DPI, h * 72 / static.DPI))
    assert _words(scene.title) in text
    headline = verdict.report.headline
    assert headline.word.upper() in text  # the answer to the claim's own question
    assert _words(headline.line)[:40] in text
    assert _legend_heading(scene) in text
    assert len(boxes) > 50
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 and x1 <= width + 0.5 and 0 <= y0 and y1 <= height + 0.5, (x0, y0, x1, y1)


def test_headline_is_the_reports_word_for_every_bundled_claim(claims, bundled_verdict):
    # The figure's headline answers the claim's question: INSIDE for the defence
    # claim, the time band for the time claims, TRUE/FALSE/DEPENDS for reach.
    words = {}
    for cid in claims:
        verdict = bundled_verdict(cid)
        scene = scene_for(verdict, range_control=False)
        line, _, quote = static._headline(scene, verdict.report)
        assert line.startswith(verdict.report.headline.word.upper()), (cid, line)
        assert quote == verdict.claim.quote
        words[cid] = verdict.report.headline.word
    assert words["blaszczak-2023-warsaw-patriot-defence"] == "inside"
    assert words["russian-tv-2022-sarmat-berlin-106-s"] not in ("true", "false")


def test_headline_is_drawn_in_the_figure(claimed):
    verdict, scene = claimed["blaszczak-2023-warsaw-patriot-defence"]
    fig = static.figure(scene, size_px="1200x675", report=verdict.report)
    drawn = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "tc-verdict"]
    assert len(drawn) == 1 and drawn[0].startswith("INSIDE"), drawn


def _overlap(a, b, tol=0.5) -> bool:
    """Whether boxes (x0, y0, x1, y1) share more than ``tol`` in both directions."""
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _assert_page(texts, width, height, obstacles=(), tol=0.5):
    """Every (name, box) lies on the page and overlaps no other text and no obstacle."""
    for name, box in texts:
        x0, y0, x1, y1 = box
        assert -tol <= x0 and x1 <= width + tol and -tol <= y0 and y1 <= height + tol, (name, box)
    for i, (name, box) in enumerate(texts):
        for other, obox in texts[:i]:
            assert not _overlap(box, obox, tol), (name, other)
        for what, obox in obstacles:
            assert not _overlap(box, obox, tol), (name, what)


@pytest.mark.parametrize("size", PAGE_SIZES)
def test_png_every_text_on_the_page_without_overlaps(claimed, size):
    # Measured by matplotlib at draw time, as the PNG is drawn: every text of the
    # figure (title, headline, legend, notes, credits, names, scale) is on the page
    # and overlaps no other text, no site symbol and no scale bar.
    verdict, scene = claimed["grybauskaite-2018-capitals"]
    fig = static.figure(scene, size_px=size, report=verdict.report)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [
        (t.get_text(), tuple(t.get_window_extent(renderer).extents))
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and not (t.get_gid() or "").startswith("tc-halo")
    ]
    assert len(texts) > 30
    assert {"tc-title", "tc-verdict", "tc-credits"} <= {t.get_gid() for t in fig.findobj(Text)}
    ax = next(a for a in fig.axes if a.get_gid() == "tc-map")
    scale = next(a for a in ax.artists if a.get_gid() == "tc-scale")
    bar = tuple(scale.get_window_extent(renderer).extents)
    scale_texts = {t.get_text() for t in scale.findobj(Text)}
    sites = [
        (f"site {i}", (x - 3, y - 3, x + 3, y + 3))
        for c in ax.collections
        if (c.get_gid() or "").startswith("tc-site-")
        for i, (x, y) in enumerate(ax.transData.transform(c.get_offsets()))
    ]
    assert sites
    width, height = fig.bbox.width, fig.bbox.height
    _assert_page(
        [t for t in texts if t[0] not in scale_texts], width, height, [("scale", bar), *sites]
    )


SVG_BOXES_JS = """
() => {
  const root = document.querySelector('svg');
  const page = root.getBoundingClientRect();
  const box = (e) => { const r = e.getBoundingClientRect();
    return [r.left - page.left, r.top - page.top, r.right - page.left, r.bottom - page.top]; };
  const texts = [...root.querySelectorAll('text')].map((t) => {
    const g = t.closest('g[id^="tc-"]');
    return {text: t.textContent, id: g ? g.id : '', box: box(t)};
  });
  const sites = [...root.querySelectorAll('g[id^="tc-site-"] use')].map(box);
  const scale = root.querySelector('g[id="tc-scale"]');
  return {width: page.width, height: page.height, texts, sites, scale: scale ? box(scale) : null};
}
"""


@pytest.fixture(scope="module")
def svg_page(browser):
    """A page of this worker's headless Debian chromium (conftest) opening an SVG, offline."""
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # offline: nothing is fetched

    def open_svg(data: bytes) -> dict:
        page.set_content(data.decode("utf-8"))
        return page.evaluate(SVG_BOXES_JS)

    try:
        yield open_svg
    finally:
        page.close()


@pytest.mark.parametrize("size", PAGE_SIZES)
@pytest.mark.parametrize("cid", PAGE_CLAIMS[:2])
def test_svg_every_text_inside_the_viewbox_without_overlaps(claimed, svg_page, cid, size):
    # Rendered by a browser: every <text> box (title, headline, legend, notes,
    # credits, names) lies inside the SVG's page and overlaps no other text, no
    # site symbol and no scale bar.
    verdict, scene = claimed[cid]
    data = _page(claimed, cid, "svg", size)
    root = ET.fromstring(data)
    w, h = static.parse_size(size)
    assert root.get("viewBox") == f"0 0 {w * 72 / static.DPI:g} {h * 72 / static.DPI:g}"
    seen = svg_page(data)
    texts = [
        (t["text"], t["box"])
        for t in seen["texts"]
        if t["text"].strip() and not t["id"].startswith(("tc-halo", "tc-scale"))
    ]
    joined = _words(" ".join(t for t, _ in texts))
    assert verdict.report.headline.word.upper() in joined and _legend_heading(scene) in joined
    assert seen["sites"] and seen["scale"] is not None
    obstacles = [("scale bar", seen["scale"])] + [("site", b) for b in seen["sites"]]
    _assert_page(texts, seen["width"], seen["height"], obstacles)


# --------------------------------------------------------------------------- CLI


@pytest.mark.cli
def test_cli__glyphs_the_font_lacks__one_warning_line(run_cli, tmp_path):
    # A name in a script DejaVu Sans does not cover: one line on stderr, no
    # matplotlib warning with a source path and code line.
    targets = _names_file(tmp_path, ["\u6771\u4eac Tokyo", "\U0001f680 rocket"])
    out = tmp_path / "m.png"
    proc = run_cli(
        "claim",
        "--range-km",
        "800",
        "--at",
        "20.5,54.7",
        "--targets",
        str(targets),
        "--map",
        str(out),
        "-q",
    )
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("threat-coverage: warning: ") and "\u6771" in lines[0]
    assert "static.py" not in proc.stderr


@pytest.mark.cli
def test_cli_map_png_svg_pdf(run_cli, tmp_path):
    r = run_cli("map", "-o", str(tmp_path / "k.png"), "-q")
    assert r.returncode == 0, r.stderr
    assert _png_size((tmp_path / "k.png").read_bytes()) == static.DEFAULT_SIZE_PX
    r = run_cli("claim", "--map", str(tmp_path / "k.svg"), "--size", "1200x675", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] == "false"
    assert "threat-coverage: wrote" in r.stderr and "(svg figure)" in r.stderr
    root = ET.fromstring((tmp_path / "k.svg").read_bytes())
    assert root.get("width") == "576pt" and root.get("height") == "324pt"  # 1200x675 at 150 dpi
    texts = "".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
    assert "Warsaw" in texts and "Vilnius" in texts
    r = run_cli("map", "--range-km", "3000", "--at", "170,60", "-o", str(tmp_path / "a.pdf"), "-q")
    assert r.returncode == 0, r.stderr
    assert _pdf_pages((tmp_path / "a.pdf").read_bytes()) == 1


@pytest.mark.cli
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["map", "-o", "x.png", "--size", "1200"], "--size"),
        (["map", "-o", "x.png", "--size", "100x100"], "--size"),
        (["map", "-o", "x.html", "--size", "1200x675"], "--size"),
        (["claim", "--size", "1200x675"], "--size"),
        (["map", "-o", "x.gif"], ".png"),
    ],
)
def test_cli_bad_size_or_extension(run_cli, tmp_path, args, words):
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert not list(tmp_path.iterdir())


@pytest.mark.cli
def test_cli_help_gives_units(run_cli):
    r = run_cli("map", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    assert "--size WxH" in text and "pixels" in text and ".png" in text
