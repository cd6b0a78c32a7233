"""Maps where journalists put them: a phone, an article iframe, a desktop, an A4 print.

Headless Debian chromium through playwright, offline (every request but the map's
own files is aborted). The worker's browser (tests/conftest.py); each check opens a
page at the size it needs. Geometry is read from the page: the bounding boxes of the envelopes'
SVG paths against the panel's, the element under a point, the labels' text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coverage.checks import Request, check
from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
from coverage.render.leaflet import coverage_map, save_map, verdict_map

pytestmark = pytest.mark.browser

SIZES = {"phone": (375, 667), "desktop": (1280, 800)}
A4_PX = (794, 1123)  # 210 x 297 mm at 96 px per inch


@pytest.fixture(scope="module")
def verdict():
    return check(
        Request(defences=("patriot-pac-3-mse@warsaw-babice", "patriot-pac-2-gem-t@siauliai"))
    )


@pytest.fixture(scope="module")
def files(verdict, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("embed")
    claim = save_map(verdict_map(verdict), folder / "claim.html")
    patriot = check(Request(systems=("patriot-pac-3-mse",), sites=("warsaw-babice",)))
    small = save_map(verdict_map(patriot, panel=False), folder / "patriot.html")
    a, b = ad_hoc_site(21.0, 52.0, name="Pin A"), ad_hoc_site(21.0, 52.0, name="Pin B")
    same = save_map(coverage_map(envelopes([a, b], ad_hoc_figure(300))), folder / "same.html")
    host = folder / "article.html"
    host.write_text(
        "<!doctype html><html><body style='margin:0'><p>Article text.</p>"
        '<iframe id="embed" src="claim.html" width="700" height="450" style="border:0">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    return {"claim": claim, "patriot": small, "same": same, "article": host}


@pytest.fixture
def open_page(browser, files):
    pages = []
    allowed = {p.resolve().as_uri() for p in files.values()}

    def open_(name: str, width: int, height: int, *, media: str | None = None):
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url in allowed else route.abort(),
        )
        if media:
            page.emulate_media(media=media)
        page.goto(files[name].resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(150)
        page.errors = errors
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert page.errors == []
        page.close()


BOXES_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            text: e.textContent, x: r.left + r.width / 2, y: r.top + r.height / 2};
})"""


def _boxes(frame, selector: str) -> list[dict]:
    return frame.evaluate(BOXES_JS, selector)


def _panel(frame) -> dict:
    (box,) = _boxes(frame, ".tc-panel")
    return box


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def _check_envelopes_clear(frame, width: int, height: int) -> None:
    """Every envelope is on screen and none is covered by the panel."""
    rings = _boxes(frame, "path.tc-ring")
    assert rings
    panel = _panel(frame)
    for r in rings:
        assert r["left"] >= -1 and r["top"] >= -1, r
        assert r["right"] <= width + 1 and r["bottom"] <= height + 1, r
        assert not _overlap(r, panel), (r, panel)


def _in_range_names(verdict) -> set[str]:
    return {
        r.target.name
        for j, r in enumerate(verdict.reaches)
        if any(e.in_range[j] for e in verdict.evaluations)
    }


def _check_labels(frame, verdict) -> None:
    labels = _boxes(frame, ".leaflet-pane .tc-label")
    assert {x["text"] for x in labels} == _in_range_names(verdict)
    hidden = frame.evaluate(
        "Array.from(document.querySelectorAll('.tc-label'))"
        ".filter(e => getComputedStyle(e).visibility === 'hidden').length"
    )
    assert hidden == 0
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])


def _check_toggle_tappable(frame) -> None:
    (summary,) = _boxes(frame, ".tc-panel summary")
    hit = frame.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return !!(e && e.closest('summary')); }",
        [summary["x"], summary["y"]],
    )
    assert hit


def test_phone__panel_is_a_bar_that_opens_and_rings_stay_clear(open_page, verdict):
    width, height = SIZES["phone"]
    page = open_page("claim", width, height)
    assert page.evaluate("document.querySelector('.tc-panel details').open") is False
    panel = _panel(page)
    assert panel["bottom"] - panel["top"] < 60
    assert "FALSE" in panel["text"]
    _check_envelopes_clear(page, width, height)
    _check_labels(page, verdict)
    _check_toggle_tappable(page)
    page.mouse.click(*[_boxes(page, ".tc-panel summary")[0][k] for k in ("x", "y")])
    assert page.evaluate("document.querySelector('.tc-panel details').open") is True
    # Attribution never covers the panel: the panel is drawn above it.
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.tc-panel')).zIndex"
        " > getComputedStyle(document.querySelector('.leaflet-bottom')).zIndex"
    )
    content = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable" not in content


def test_iframe_700x450__rings_in_view_clear_of_the_panel(open_page, verdict):
    page = open_page("article", 1000, 700)
    frame = page.query_selector("#embed").content_frame()
    frame.wait_for_function("window.threatCoverageMap !== undefined")
    frame.wait_for_timeout(100)
    assert frame.evaluate("document.querySelector('.tc-panel details').open") is False
    _check_envelopes_clear(frame, 700, 450)
    _check_labels(frame, verdict)
    _check_toggle_tappable(frame)


def test_desktop__panel_open_rings_clear_of_panel_and_layer_list(open_page, verdict):
    width, height = SIZES["desktop"]
    page = open_page("claim", width, height)
    assert page.evaluate("document.querySelector('.tc-panel details').open") is True
    _check_envelopes_clear(page, width, height)
    (layers,) = _boxes(page, ".leaflet-control-layers")
    assert not _overlap(layers, _panel(page))
    for r in _boxes(page, "path.tc-ring"):
        assert not _overlap(r, layers), r
    _check_labels(page, verdict)
    _check_toggle_tappable(page)


def test_a4_print__map_holds_every_envelope_and_the_panel_is_below(open_page):
    page = open_page("claim", *A4_PX, media="print")
    page.wait_for_timeout(150)
    (m,) = _boxes(page, ".folium-map")
    assert m["bottom"] - m["top"] > 400
    for r in _boxes(page, "path.tc-ring"):
        assert m["left"] - 1 <= r["left"] and r["right"] <= m["right"] + 1, (r, m)
        assert m["top"] - 1 <= r["top"] and r["bottom"] <= m["bottom"] + 1, (r, m)
    panel = _panel(page)
    assert panel["top"] >= m["bottom"] - 1
    shown = page.locator(".tc-panel").inner_text()  # what is rendered, not hidden text
    assert "FALSE" in shown and "1,219 km" in shown and "Needed" in shown
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_slider__counts_by_exact_distance(open_page, verdict):
    page = open_page("claim", *SIZES["desktop"])
    assert page.locator("input[type=range]").count() == 1
    near = [r.distance_km for r in verdict.reaches]
    n = len(near)
    step = float(page.get_attribute("input[type=range]", "step"))
    for km in (100.0, 500.0, 700.0, 1200.0, 1250.0, 1800.0):
        km = round(km / step) * step
        text = page.evaluate(
            """(km) => { const s = document.querySelector('input[type=range]');
                s.value = String(km); s.dispatchEvent(new Event('input'));
                return document.getElementById('tc-range-out').textContent; }""",
            km,
        )
        found = re.search(r"(\d+) of (\d+)", text)
        expected = sum(d <= km for d in near)
        assert found and (int(found.group(1)), int(found.group(2))) == (expected, n), text
        assert ("holds" in text) == (expected >= verdict.required), text
        assert page.locator("path.tc-slider-ring").count() >= 1
        reds = page.evaluate(
            "Array.from(document.querySelectorAll('path.tc-target'))"
            ".filter(p => p.getAttribute('fill') === '#b2182b').length"
        )
        assert reds == expected


def test_small_envelope_opens_at_its_own_zoom(open_page):
    page = open_page("patriot", *SIZES["desktop"])
    rings = _boxes(page, "path.tc-ring")
    assert rings
    width = max(r["right"] for r in rings) - min(r["left"] for r in rings)
    assert width > 200, width
    # Drawn with its vertices (0.1 % tolerance), not simplified by Leaflet into corners.
    vertices = page.evaluate(
        "Math.min(...Array.from(document.querySelectorAll('path.tc-ring'))"
        ".map(p => p.getAttribute('d').split('L').length))"
    )
    assert vertices >= 48, vertices  # 1 km tolerance or 1 px smoothing: about 20


def test_pins_at_the_same_place__each_visible_and_clickable(open_page):
    page = open_page("same", *SIZES["phone"])
    pins = _boxes(page, ".tc-site")
    assert len(pins) == 2
    for i, pin in enumerate(pins):
        hit = page.evaluate(
            "([x, y, i]) => { const e = document.elementFromPoint(x, y);"
            " return e && e.closest('.tc-site') === document.querySelectorAll('.tc-site')[i]; }",
            [pin["x"], pin["y"], i],
        )
        assert hit, pin
    page.mouse.click(pins[1]["x"], pins[1]["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=5000)
    assert "Pin " in popup.inner_text()


def test_kaliningrad_town_pins__both_clickable_on_a_phone(open_page):
    page = open_page("claim", *SIZES["phone"])
    pins = page.evaluate(BOXES_JS.replace("(sel) =>", "() =>").replace("sel", "'.tc-site-launch'"))
    assert len(pins) == 2
    names = set()
    for pin in pins:
        title = page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y);"
            " const s = e && e.closest('.tc-site'); return s ? s.title : null; }",
            [pin["x"], pin["y"]],
        )
        names.add(title)
    assert names == {"Chernyakhovsk", "Kaliningrad"}


def test_target_dots_close_together__each_clickable(open_page):
    # Rome and Vatican City are 3 km apart: one pixel at zoom 4.
    page = open_page("claim", *SIZES["desktop"])
    page.evaluate("window.threatCoverageMap.setView([41.9, 12.47], 4, {animate: false})")
    page.wait_for_timeout(100)
    result = page.evaluate(
        """() => {
            const paths = Array.from(document.querySelectorAll('path.tc-target'));
            let inView = 0, hit = 0;
            for (const p of paths) {
                const r = p.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (x < 460 || y < 10 || x > innerWidth - 300 || y > innerHeight - 40) continue;
                inView += 1;
                if (document.elementFromPoint(x, y) === p) hit += 1;
            }
            return [inView, hit];
        }"""
    )
    assert result[0] >= 10 and result[0] == result[1], result


@pytest.fixture(scope="module")
def claim_maps(claims, bundled_verdict, tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """Every bundled claim's map, with the word its report's headline answers."""
    folder = tmp_path_factory.mktemp("claims")
    out = {}
    for claim_id in claims:
        verdict = bundled_verdict(claim_id)
        path = save_map(verdict_map(verdict), folder / f"{claim_id}.html")
        out[claim_id] = (verdict.report.headline.word, path)
    return out


def test_every_bundled_claim__badge_shows_the_reports_headline_word(browser, claim_maps):
    # The bar's badge (what a reader sees first, also on a phone) and the panel's first
    # badge answer the claim's own question: the word of verdict.report.headline.
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    try:
        seen = {}
        for claim_id, (word, path) in claim_maps.items():
            page.goto(path.resolve().as_uri(), wait_until="load")
            badges = page.eval_on_selector_all(
                ".tc-panel .tc-badge", "els => els.map(e => e.innerText.trim())"
            )
            seen[claim_id] = (badges[:2], word.upper())
        wrong = {k: v for k, v in seen.items() if v[0] != [v[1], v[1]]}
        assert not wrong, wrong
        assert len(seen) >= 16
    finally:
        page.close()
