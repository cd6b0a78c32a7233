"""With a keyboard (issue 24, item 2): the claim map used with Tab, Enter, Space, arrows, Escape.

Opened offline in the worker's headless Chromium (tests/conftest.py) once per size, at
1280x800 (panel open, layer list open) and in a 700x450 iframe of an article (panel a
bar, layer list a button). Only the keyboard is used, as a reader without a mouse would:

- Tab reaches the panel's toggle, the range slider, the zoom buttons, the layer list and
  the targets, each with a visible focus ring (an outline of at least 2 px whose colour
  has a contrast of at least 3:1 with white, the land and the sea); the targets are one
  stop of Tab (a roving tabindex), the arrow keys, Home and End move between them,
  nearest first;
- arrow keys move the slider and the count changes;
- Enter (or Space) on a target opens its popup; Escape closes it and gives the focus
  back to the target; Escape closes the panel and the layer list;
- Enter on a zoom button zooms; Space on a layer's box hides the layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coverage.render.leaflet import save_map, verdict_map
from coverage.render.scene import BASEMAP

pytestmark = pytest.mark.browser

DEFAULT = "grybauskaite-2018-capitals"


@pytest.fixture(scope="module")
def files(bundled_verdict, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keyboard")
    claim = save_map(verdict_map(bundled_verdict(DEFAULT)), folder / "claim.html")
    host = folder / "article.html"
    host.write_text(
        "<!doctype html><html><body style='margin:0'><p>Article text.</p>"
        '<iframe id="embed" src="claim.html" width="700" height="450" style="border:0">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    return {"claim": claim, "article": host}


@pytest.fixture(scope="module")
def views(browser, files):
    """Open each size once, on first use: (page, frame) for "desktop" and "iframe"."""
    opened: dict[str, tuple] = {}
    errors: list[str] = []

    def open_(name: str):
        if name in opened:
            return opened[name][1:]
        viewport = {"desktop": (1280, 800), "iframe": (1000, 700)}[name]
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        page.goto(files["claim" if name == "desktop" else "article"].resolve().as_uri())
        frame = page.main_frame
        if name == "iframe":
            frame = page.query_selector("#embed").content_frame()
        frame.wait_for_function("window.threatCoverageMap !== undefined")
        frame.wait_for_timeout(150)
        opened[name] = (context, page, frame)
        return page, frame

    yield open_
    for context, _, _ in opened.values():
        context.close()
    assert errors == []


# What has the focus, in words, and how its focus ring is drawn.
FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return {what: 'body'};
    const s = getComputedStyle(e);
    const what = e.matches('.tc-panel summary') ? 'toggle'
        : e.id === 'tc-range' ? 'slider'
        : e.matches('.leaflet-control-zoom-in') ? 'zoom-in'
        : e.matches('.leaflet-control-zoom-out') ? 'zoom-out'
        : e.matches('.leaflet-control-layers-toggle') ? 'layers'
        : e.matches('.leaflet-control-layers input') ? 'layer'
        : e.matches('.tc-hit') ? 'target'
        : e.matches('.tc-site') ? 'site'
        : e.matches('.leaflet-container') ? 'map' : e.tagName.toLowerCase();
    return {what, name: e.title || '', ring: s.outlineStyle, width: parseFloat(s.outlineWidth),
            colour: s.outlineColor, shadow: s.boxShadow};
}"""


RINGED = ("toggle", "slider", "zoom-in", "zoom-out", "layers", "layer", "target")


def _rgb(css: str) -> tuple[float, float, float]:
    if css.startswith("#"):
        return tuple(int(css[i : i + 2], 16) for i in (1, 3, 5))
    inside = css[css.index("(") + 1 : css.index(")")].replace(",", " ").split()
    return tuple(float(x) for x in inside[:3])


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(css: str) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in _rgb(css))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _start(page, frame) -> None:
    """Put the focus at the start of the map's document, as a reader arriving there."""
    frame.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    if frame is not page.main_frame:
        page.focus("#embed")
    else:
        page.evaluate("() => window.focus()")


def _tab_until(page, frame, what: str, limit: int = 60) -> list[dict]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = frame.evaluate(FOCUS_JS)
        seen.append(now)
        if now["what"] == what:
            return seen
    raise AssertionError(f"Tab never reached {what}: {[s['what'] for s in seen]}")


@pytest.mark.parametrize("name", ["desktop", "iframe"])
def test_tab_order_toggle_slider_zoom_layers_targets_with_a_visible_ring(
    views, name, bundled_verdict
):
    page, frame = views(name)
    _start(page, frame)
    seen = _tab_until(page, frame, "target")
    order = [s["what"] for s in seen]
    first = {what: order.index(what) for what in reversed(order)}
    layers = first.get("layers", first.get("layer"))
    assert layers is not None, order
    assert first["toggle"] < first["slider"] < first["zoom-in"] < first["zoom-out"], order
    assert first["zoom-out"] < layers < first["target"], order
    # Targets come nearest first.
    verdict = bundled_verdict(DEFAULT)
    nearest = min(verdict.reaches, key=lambda r: r.distance_km).target.name
    assert seen[-1]["name"] == nearest
    # The targets are one stop of Tab: arrow keys move between them, nearest first.
    order = sorted(verdict.reaches, key=lambda r: r.distance_km)
    for key, reach in (("ArrowDown", order[1]), ("ArrowRight", order[2]), ("ArrowUp", order[1])):
        page.keyboard.press(key)
        now = frame.evaluate(FOCUS_JS)
        assert (now["what"], now["name"]) == ("target", reach.target.name), (key, now)
        seen.append(now)
    page.keyboard.press("End")
    assert frame.evaluate(FOCUS_JS)["name"] == order[-1].target.name
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert frame.evaluate(FOCUS_JS)["what"] != "target"
    for stop in seen:
        if stop["what"] in RINGED:
            _check_ring(stop)


def _check_ring(stop: dict) -> None:
    """A focus ring of at least 2 px, at least 3:1 against white, the land and the sea."""
    assert stop["ring"] not in ("none", "") and stop["width"] >= 2, stop
    for ground in ("#ffffff", BASEMAP.land, BASEMAP.sea):
        assert _contrast(stop["colour"], ground) >= 3, (stop, ground)


@pytest.mark.parametrize("name", ["desktop", "iframe"])
def test_arrow_keys_move_the_slider_and_the_count(views, name):
    page, frame = views(name)
    frame.focus("#tc-range")

    def value() -> float:
        return float(frame.evaluate("() => document.querySelector('#tc-range').value"))

    def count() -> str:
        return frame.evaluate("() => document.querySelector('#tc-range-out').textContent")

    start, before = value(), count()
    step = float(frame.evaluate("() => document.querySelector('#tc-range').step"))
    for _ in range(11):
        page.keyboard.press("ArrowRight")
    assert value() == start + 11 * step
    after = count()
    assert after != before and after.startswith(f"{int(after.split()[0])} of 51 at 1,250 km")
    assert "holds" in after
    for _ in range(11):
        page.keyboard.press("ArrowLeft")
    assert value() == start and count() == before


@pytest.mark.parametrize("name", ["desktop", "iframe"])
def test_enter_on_a_target_opens_its_popup_escape_closes_it(views, name):
    page, frame = views(name)
    targets = frame.query_selector_all(".tc-hit")
    for key, target in (("Enter", targets[0]), (" ", targets[1])):
        title = target.get_attribute("title")
        target.focus()
        page.keyboard.press(key)
        frame.wait_for_function(
            "(name) => { const p = document.querySelector('.leaflet-popup-content');"
            " return !!p && p.textContent.startsWith(name); }",
            arg=title,
        )
        page.keyboard.press("Escape")
        frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        assert frame.evaluate(FOCUS_JS)["name"] == title  # the focus is back on the target
    # Escape with no popup open closes the panel (on the desktop it starts open).
    if name == "desktop":
        page.keyboard.press("Escape")
        assert frame.evaluate("() => document.querySelector('#tc-panel details').open") is False
        assert frame.evaluate(FOCUS_JS)["what"] == "toggle"
        page.keyboard.press("Enter")
        assert frame.evaluate("() => document.querySelector('#tc-panel details').open") is True


def test_iframe__the_panel_opens_with_enter_and_closes_with_escape(views):
    page, frame = views("iframe")
    frame.focus(".tc-panel summary")
    opened = "() => document.querySelector('#tc-panel details').open"
    assert frame.evaluate(opened) is False
    page.keyboard.press("Enter")
    assert frame.evaluate(opened) is True
    page.keyboard.press("Tab")  # into the panel's links
    page.keyboard.press("Escape")
    assert frame.evaluate(opened) is False
    assert frame.evaluate(FOCUS_JS)["what"] == "toggle"


def test_iframe__layer_list_opens_with_enter_space_hides_a_layer_escape_closes(views):
    page, frame = views("iframe")
    frame.focus(".leaflet-control-layers-toggle")
    rings = "() => document.querySelectorAll('path.tc-ring').length"
    before = frame.evaluate(rings)
    page.keyboard.press("Enter")
    assert frame.evaluate(FOCUS_JS)["what"] == "layer"
    assert frame.is_visible(".leaflet-control-layers-list")
    # Leaflet ignores clicks in the list until its next task after opening it.
    frame.wait_for_timeout(50)
    page.keyboard.press(" ")  # the first overlay: an envelope
    assert frame.evaluate(rings) < before
    page.keyboard.press(" ")
    assert frame.evaluate(rings) == before
    page.keyboard.press("Escape")
    assert not frame.is_visible(".leaflet-control-layers-list")
    assert frame.evaluate(FOCUS_JS)["what"] == "layers"


def test_desktop__enter_on_zoom_in_zooms(views):
    page, frame = views("desktop")
    zoom = "() => window.threatCoverageMap.getZoom()"
    before = frame.evaluate(zoom)
    frame.focus(".leaflet-control-zoom-in")
    page.keyboard.press("Enter")
    frame.wait_for_function(
        f"() => window.threatCoverageMap.getZoom() > {before}"
        " && !window.threatCoverageMap._animatingZoom"
    )
    frame.focus(".leaflet-control-zoom-out")
    page.keyboard.press("Enter")
    frame.wait_for_function(f"() => Math.abs(window.threatCoverageMap.getZoom() - {before}) < 1e-6")
