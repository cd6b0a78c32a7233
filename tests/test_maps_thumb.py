"""Under a thumb (issue 24, item 1): the claim map on a phone, in an article's iframe, on a desk.

Opened offline in the worker's headless Chromium (tests/conftest.py) once per size: a
375x667 touch phone (``has_touch``, ``is_mobile``), a 700x450 iframe in an article page,
and 1280x800. What a reader would see is measured from the page:

- every popup (each target and site in view, opened by a tap 10 px from its centre)
  lies inside the viewport, clear of every control, and no wider than the map less 16 px;
- every control and target has a hit area of at least 44x44 CSS px;
- the range slider is in the first view, outside the panel, and at least 80 % of the
  area of the envelopes is visible with it; a tap on its track moves it, the count and
  the ring;
- every label is nearer its own dot than any other target's dot, also for targets that
  come into range under the slider.

A popup is judged where it comes to rest: while the taps are made, the page's clock
(timers, animation frames, ``Date``) is playwright's, paused, and run for a second of
page time after each tap, through the pan and the page's own check 0.4 s later, with no
real time waited.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coverage.render.leaflet import save_map, verdict_map

pytestmark = pytest.mark.browser

DEFAULT = "grybauskaite-2018-capitals"
DEFENCE = "blaszczak-2023-warsaw-patriot-defence"
HIT_PX = 44
TAP_OFF_PX = 10


@pytest.fixture(scope="module")
def files(bundled_verdict, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("thumb")
    out = {
        "claim": save_map(verdict_map(bundled_verdict(DEFAULT)), folder / "claim.html"),
        "defence": save_map(verdict_map(bundled_verdict(DEFENCE)), folder / "defence.html"),
    }
    host = folder / "article.html"
    host.write_text(
        "<!doctype html><html><body style='margin:0'><p>Article text.</p>"
        '<iframe id="embed" src="claim.html" width="700" height="450" style="border:0">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    out["article"] = host
    return out


class View:
    """One map opened at one size: the frame holding it and how to tap into it."""

    def __init__(self, context, page, frame, offset, touch, size):
        self.context, self.page, self.frame = context, page, frame
        self.offset, self.touch, self.size = offset, touch, size
        self.errors: list[str] = []

    def tap(self, x: float, y: float) -> None:
        px, py = x + self.offset[0], y + self.offset[1]
        if self.touch:
            self.page.touchscreen.tap(px, py)
        else:
            self.page.mouse.click(px, py)

    def reset(self, *readers: str) -> list:
        """Close any popup and go back to the first view; return what ``readers`` read then.

        Each reader is a page function (``TAPPABLES_JS`` ...), run in the same round trip.
        """
        return self.frame.evaluate(
            "() => { const m = window.threatCoverageMap; m.closePopup();"
            " m.setView(window.__firstView[0], window.__firstView[1], {animate: false});"
            " document.querySelectorAll('.leaflet-popup').forEach(p => p.remove());"
            f" return [{', '.join(f'({r})()' for r in readers)}]; }}"
        )

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the page's clock (timers, animation frames, ``Date``) until the block ends.

        Inside, :meth:`settle_popup` runs the page's timers for it: a popup is judged
        where it comes to rest without waiting for it in real time.
        """
        clock = self.page.clock
        # A second ahead (seconds, as playwright takes them), so that the page's clock,
        # running meanwhile, is not past it yet; timers due by then fire on the way.
        clock.pause_at(self.frame.evaluate("() => Date.now()") / 1000 + 1.0)
        try:
            yield
        finally:
            clock.resume()

    def settle_popup(self, name: str) -> tuple[dict, list[dict]]:
        """With the clock paused: run the page for 1 s of its time; the popup is ``name``'s.

        In that time the pan that brings the popup into view ends (0.25 s) and the
        page checks the popup's place once more (0.4 s after it opened). Returns the
        popup's box (``POPUP_JS``) and the controls' (``CONTROLS_JS``) then.
        """
        self.page.clock.run_for(SETTLE_MS)
        popup, controls = self.frame.evaluate(f"() => [({POPUP_JS})(), ({CONTROLS_JS})()]")
        assert popup and popup["text"].startswith(name), (name, popup)
        return popup, controls


#: How long the page runs, on its own clock, after a tap before its popup is measured, ms.
SETTLE_MS = 1000

SIZES = {
    "phone": dict(page="claim", viewport=(375, 667), touch=True),
    "iframe": dict(page="article", viewport=(1000, 700), touch=False),
    "desktop": dict(page="claim", viewport=(1280, 800), touch=False),
    "defence-phone": dict(page="defence", viewport=(375, 667), touch=True),
}


@pytest.fixture(scope="module")
def views(browser, files):
    """Open each size once, on first use, for the whole module."""
    opened: dict[str, View] = {}

    def open_(name: str) -> View:
        if name in opened:
            return opened[name]
        how = SIZES[name]
        width, height = how["viewport"]
        context = browser.new_context(
            viewport={"width": width, "height": height},
            has_touch=how["touch"],
            is_mobile=how["touch"],
        )
        context.clock.install()  # time flows as usual until a test pauses it (View.paused)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        page.goto(files[how["page"]].resolve().as_uri(), wait_until="load")
        frame, offset, size = page.main_frame, (0.0, 0.0), (width, height)
        if how["page"] == "article":
            element = page.query_selector("#embed")
            frame = element.content_frame()
            box = element.bounding_box()
            offset, size = (box["x"], box["y"]), (700, 450)
        frame.wait_for_function("window.threatCoverageMap !== undefined")
        frame.wait_for_timeout(150)
        frame.evaluate(
            "() => { const m = window.threatCoverageMap;"
            " window.__firstView = [m.getCenter(), m.getZoom()]; }"
        )
        view = View(context, page, frame, offset, how["touch"], size)
        view.errors = errors
        opened[name] = view
        return view

    yield open_
    for view in opened.values():
        view.context.close()
        assert view.errors == []


# --------------------------------------------------------------------------- reading the page

CONTROLS_JS = """() => Array.from(document.querySelectorAll(
        '.tc-panel, .tc-rangebar, .leaflet-control'))
    .map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && r.height > 0)
    .map(r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom}))"""

TAPPABLES_JS = """() => Array.from(document.querySelectorAll('.tc-hit, .tc-site')).map(e => {
    const r = e.getBoundingClientRect();
    return {name: e.title, site: e.classList.contains('tc-site'),
            x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height};
})"""

POPUP_JS = """() => {
    const p = document.querySelector('.leaflet-popup');
    if (!p) return null;
    const boxes = ['.leaflet-popup-content-wrapper', '.leaflet-popup-tip-container']
        .map(s => p.querySelector(s).getBoundingClientRect());
    return {left: Math.min(...boxes.map(b => b.left)), top: Math.min(...boxes.map(b => b.top)),
            right: Math.max(...boxes.map(b => b.right)),
            bottom: Math.max(...boxes.map(b => b.bottom)),
            text: p.querySelector('.leaflet-popup-content').textContent,
            scroll: p.querySelector('.leaflet-popup-content').scrollWidth
                    - p.querySelector('.leaflet-popup-content').clientWidth};
}"""

# The share of the envelopes' area that a reader sees: points on a 6 px grid inside each
# envelope's filled path, on screen and not under a control (the panel, the range bar,
# Leaflet's controls), over all points inside.
RING_AREA_JS = """() => {
    const controls = Array.from(document.querySelectorAll(
        '.tc-panel, .tc-rangebar, .leaflet-control'));
    let inside = 0, seen = 0;
    for (const path of document.querySelectorAll('path.tc-ring')) {
        const box = path.getBoundingClientRect();
        const toPath = path.getScreenCTM().inverse();
        for (let x = box.left + 3; x < box.right; x += 6) {
            for (let y = box.top + 3; y < box.bottom; y += 6) {
                const q = new DOMPoint(x, y).matrixTransform(toPath);
                if (!path.isPointInFill(q)) continue;
                inside += 1;
                if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
                const e = document.elementFromPoint(x, y);
                if (e && !controls.some(c => c.contains(e))) seen += 1;
            }
        }
    }
    return [seen, inside];
}"""

LABELS_JS = """() => Array.from(document.querySelectorAll('.leaflet-pane .tc-label'))
    .filter(e => getComputedStyle(e).visibility !== 'hidden')
    .map(e => { const r = e.getBoundingClientRect();
        return {name: e.textContent, left: r.left, top: r.top, right: r.right,
                bottom: r.bottom}; })"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _inside(x: float, y: float, box: dict) -> bool:
    return box["left"] <= x <= box["right"] and box["top"] <= y <= box["bottom"]


def _gap(box: dict, x: float, y: float) -> float:
    """Distance from a point to a box (0 inside)."""
    dx = max(box["left"] - x, 0.0, x - box["right"])
    dy = max(box["top"] - y, 0.0, y - box["bottom"])
    return math.hypot(dx, dy)


def _tap_point(item: dict, others: list[dict], size, controls) -> tuple[float, float] | None:
    """A point 10 px from the item's centre, nearer to it than to any other, on the map.

    Directions are tried in turn; None when every one is off the map, by a control or
    nearer another target (a dot hemmed in on every side).
    """
    for k in range(16):
        a = k * math.pi / 8
        x, y = item["x"] + TAP_OFF_PX * math.cos(a), item["y"] + TAP_OFF_PX * math.sin(a)
        if not (2 <= x <= size[0] - 2 and 2 <= y <= size[1] - 2):
            continue
        # Not on a control, nor within 6 px of one (a touch is snapped to what is near).
        if any(_gap(c, x, y) < 6 for c in controls):
            continue
        if all(math.hypot(x - o["x"], y - o["y"]) > TAP_OFF_PX + 0.5 for o in others):
            return x, y
    return None


def _in_view(item: dict, size, controls) -> bool:
    x, y = item["x"], item["y"]
    return 0 <= x <= size[0] and 0 <= y <= size[1] and not any(_inside(x, y, c) for c in controls)


# --------------------------------------------------------------------------- popups and taps


def _check_popup(popup: dict, controls: list[dict], size) -> None:
    """In the viewport, no wider than it less 16 px, tables wrapped, clear of every control."""
    assert popup["left"] >= 0 and popup["top"] >= 0, popup
    assert popup["right"] <= size[0] and popup["bottom"] <= size[1], popup
    assert popup["right"] - popup["left"] <= size[0] - 16, popup
    assert popup["scroll"] <= 1, popup  # its tables wrap: nothing runs off to the side
    for box in controls:
        assert not _overlap(popup, box), (popup, box)


@pytest.mark.parametrize("name", ["phone", "iframe", "desktop", "defence-phone"])
def test_tap_10px_off_centre_opens_the_popup_inside_the_view_clear_of_controls(views, name):
    view = views(name)
    frame, size = view.frame, view.size
    controls = frame.evaluate(CONTROLS_JS)
    items = frame.evaluate(TAPPABLES_JS)
    shown = [i for i in items if _in_view(i, size, controls)]
    assert len(shown) >= 3, shown
    tapped, skipped = 0, []
    with view.paused():  # the page's 0.4 s and pans run on its own clock, not in real time
        for item in shown:
            tappables, controls_now = view.reset(TAPPABLES_JS, CONTROLS_JS)
            now = {i["name"]: i for i in tappables}
            here = now[item["name"]]
            others = [o for o in now.values() if o is not here]
            point = _tap_point(here, others, size, controls_now)
            if point is None:
                skipped.append((here, others))
                continue
            view.tap(*point)
            _check_popup(*view.settle_popup(item["name"]), size)
            tapped += 1
        view.reset()
    # A target is passed over only when no point 10 px from it is its own: another dot
    # within 20 px of it, or the edge of the map or a control within 16 px.
    for here, others in skipped:
        near = min(math.hypot(here["x"] - o["x"], here["y"] - o["y"]) for o in others)
        edge = min(here["x"], here["y"], size[0] - here["x"], size[1] - here["y"])
        edge = min([edge] + [_gap(c, here["x"], here["y"]) for c in controls])
        assert near <= 2 * TAP_OFF_PX or edge <= TAP_OFF_PX + 6, here
    assert tapped >= 0.8 * len(shown), (tapped, len(shown))


@pytest.mark.parametrize("name", ["phone", "iframe", "desktop"])
def test_every_control_and_target_hit_area_is_44px(views, name):
    view = views(name)
    frame, size = view.frame, view.size
    view.reset()
    boxes = frame.evaluate(
        """() => { const sel = ['.tc-panel summary', '#tc-range', '.leaflet-control-zoom a',
                '.leaflet-control-layers-toggle', '.leaflet-control-layers-list label',
                '.tc-hit', '.tc-site'];
            return sel.map(s => [s, Array.from(document.querySelectorAll(s))
                .filter(e => e.getClientRects().length)
                .map(e => { const r = e.getBoundingClientRect();
                            return [r.width, r.height]; })]); }"""
    )
    found = {selector: sizes for selector, sizes in boxes}
    for selector in (".tc-panel summary", "#tc-range", ".leaflet-control-zoom a", ".tc-hit"):
        assert found[selector], selector
    assert found[".leaflet-control-layers-toggle"] or found[".leaflet-control-layers-list label"]
    for selector, sizes in found.items():
        for w, h in sizes:
            assert w >= HIT_PX - 0.01 and h >= HIT_PX - 0.01, (selector, w, h)
    # The hit area is what a tap reaches: the element there is the target's, or its dot.
    controls = frame.evaluate(CONTROLS_JS)
    for item in frame.evaluate(TAPPABLES_JS):
        if not _in_view(item, size, controls):
            continue
        under = frame.evaluate(
            """([x, y]) => { const e = document.elementFromPoint(x, y);
                return e && !!e.closest('.tc-hit, .tc-site, path.tc-target'); }""",
            [item["x"] + 15, item["y"]],
        )
        assert under or any(_inside(item["x"] + 15, item["y"], c) for c in controls), item


def test_popup_close_button_hit_area_is_44px(views):
    view = views("phone")
    frame = view.frame
    view.reset()
    with view.paused():
        frame.evaluate(
            "() => document.querySelector('.tc-hit').dispatchEvent("
            "new KeyboardEvent('keypress', {key: 'Enter', keyCode: 13, bubbles: true}))"
        )
        view.settle_popup(frame.evaluate("() => document.querySelector('.tc-hit').title"))
    box = frame.evaluate(
        "() => document.querySelector('.leaflet-popup-close-button')"
        ".getBoundingClientRect().toJSON()"
    )
    x, y = box["left"] + box["width"] / 2, box["top"] + box["height"] / 2
    width, height = view.size
    corners = [(x + dx, y + dy) for dx in (-21, 21) for dy in (-21, 21)]
    corners = [(a, b) for a, b in corners if 0 <= a < width and 0 <= b < height]
    assert len(corners) >= 2
    for a, b in corners:  # the corners of a 42 px square around its centre
        assert frame.evaluate(
            """([x, y]) => { const e = document.elementFromPoint(x, y);
                return !!(e && e.closest('.leaflet-popup-close-button')); }""",
            [a, b],
        ), (a - x, b - y)
    view.reset()


# --------------------------------------------------------------------------- the range bar


@pytest.mark.parametrize("name", ["phone", "iframe", "desktop"])
def test_slider_in_the_first_view_outside_the_panel_rings_80pc_visible(views, name):
    view = views(name)
    frame, (width, height) = view.frame, view.size
    view.reset()
    slider = frame.evaluate("() => document.querySelector('#tc-range').getBoundingClientRect()")
    assert slider["top"] >= 0 and slider["bottom"] <= height, slider
    assert slider["left"] >= 0 and slider["right"] <= width, slider
    assert frame.evaluate(
        "() => !document.querySelector('#tc-panel').contains(document.querySelector('#tc-range'))"
    )
    assert frame.evaluate(
        """([x, y]) => document.elementFromPoint(x, y) === document.querySelector('#tc-range')""",
        [slider["left"] + slider["width"] / 2, slider["top"] + slider["height"] / 2],
    )
    out = frame.evaluate("() => document.querySelector('#tc-range-out').textContent")
    assert re.match(r"\d+ of \d+ at [\d,]+ km", out), out
    seen, inside = frame.evaluate(RING_AREA_JS)
    assert inside > 500 and seen / inside >= 0.8, (seen, inside)


@pytest.mark.parametrize("name", ["phone", "iframe"])
def test_slider_tap_moves_count_ring_and_colours(views, name):
    view = views(name)
    frame = view.frame
    view.reset()
    before = frame.evaluate("() => document.querySelector('#tc-range-out').textContent")
    rings = frame.evaluate(
        "() => Array.from(document.querySelectorAll('path.tc-slider-ring'))"
        ".map(p => p.getAttribute('d').length)"
    )
    box = frame.evaluate("() => document.querySelector('#tc-range').getBoundingClientRect()")
    view.tap(box["left"] + box["width"] * 0.9, box["top"] + box["height"] / 2)
    frame.wait_for_timeout(100)
    value = float(frame.evaluate("() => document.querySelector('#tc-range').value"))
    assert value > 1200
    after = frame.evaluate("() => document.querySelector('#tc-range-out').textContent")
    assert after != before and "holds" in after, after
    assert (
        frame.evaluate(
            "() => Array.from(document.querySelectorAll('path.tc-slider-ring'))"
            ".map(p => p.getAttribute('d').length)"
        )
        != rings
    )
    reds = frame.evaluate(
        "() => Array.from(document.querySelectorAll('path.tc-target'))"
        ".filter(p => p.getAttribute('fill') === '#b2182b').length"
    )
    assert reds == int(after.split(" of ")[0])
    frame.evaluate(
        "() => { const s = document.querySelector('#tc-range'); s.value = s.defaultValue;"
        " s.dispatchEvent(new Event('input')); }"
    )


# --------------------------------------------------------------------------- labels


def _check_labels_nearest_own_dot(frame) -> list[str]:
    labels = frame.evaluate(LABELS_JS)
    dots = [d for d in frame.evaluate(TAPPABLES_JS) if not d["site"]]
    where = {d["name"]: d for d in dots}
    for label in labels:
        own = where[label["name"]]
        mine = _gap(label, own["x"], own["y"])
        for other in dots:
            if other is own:
                continue
            assert mine < _gap(label, other["x"], other["y"]), (label["name"], other["name"])
    return [x["name"] for x in labels]


@pytest.mark.parametrize("name", ["phone", "iframe", "desktop"])
def test_labels_nearer_their_own_dot_also_under_the_slider(views, name, bundled_verdict):
    view = views(name)
    frame = view.frame
    view.reset()
    verdict = bundled_verdict(DEFAULT)
    first = _check_labels_nearest_own_dot(frame)
    assert "Tallinn" in first and "Helsinki" in first
    # Targets that come into range under the slider are named too.
    for km in (1000, 1250):
        frame.evaluate(
            """(km) => { const s = document.querySelector('#tc-range'); s.value = String(km);
                s.dispatchEvent(new Event('input')); }""",
            km,
        )
        frame.wait_for_timeout(50)
        in_range = {r.target.name for r in verdict.reaches if r.distance_km <= km}
        named = set(
            frame.evaluate(
                "() => Array.from(document.querySelectorAll('.leaflet-pane .tc-label'))"
                ".map(e => e.textContent)"
            )
        )
        assert named == in_range
        shown = _check_labels_nearest_own_dot(frame)
        assert len(shown) >= min(len(in_range), 8), (km, shown)
    frame.evaluate(
        "() => { const s = document.querySelector('#tc-range'); s.value = s.defaultValue;"
        " s.dispatchEvent(new Event('input')); }"
    )
