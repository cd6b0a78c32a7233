"""Colour and contrast (issue 24, item 4): never by hue alone, readable by every reader.

- Every pair of colours that must be told apart (target states, and each against the
  land and the sea; threat systems, the given range and the defence classes among
  themselves; site kinds) stays at least 10 CIEDE2000 apart as seen, and after a
  Machado et al. (2009) simulation of protanopia, deuteranopia and tritanopia at full
  severity (colour-science's matrices, applied to linear sRGB).
- Every text colour is at least 4.5:1 against what it is written on (WCAG 1.4.3),
  from the relative luminance formula written out here, read from the style table.
- Marks differ by shape or fill as well as colour: in a static figure's SVG (its marker
  paths and their fill), in its legend, and on the HTML page in Chromium, before and
  after the range slider moves. Envelope classes differ by line weight or dash.
"""

from __future__ import annotations

import itertools
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from coverage.envelopes import Layer
from coverage.render import scene as sc
from coverage.render.leaflet import render_html, save_map, verdict_map
from coverage.render.scene import scene_for
from coverage.render.static import figure_bytes

colour = pytest.importorskip("colour")

DEFAULT = "grybauskaite-2018-capitals"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
#: Machado et al. (2009) deficiencies, as colour-science names them (severity 1: full).
SIMULATIONS = {
    "protanopia": "Protanomaly",
    "deuteranopia": "Deuteranomaly",
    "tritanopia": "Tritanomaly",
}
MIN_DELTA_E = 10.0
MIN_TEXT_CONTRAST = 4.5


# --------------------------------------------------------------------------- colour maths


def _rgb(hex_colour: str) -> np.ndarray:
    value = hex_colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) for i in (0, 2, 4)]) / 255.0


def _seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """Return the colour as seen (sRGB 0-1), simulated on linear sRGB, clipped to the gamut."""
    rgb = _rgb(hex_colour)
    if deficiency is None:
        return rgb
    with warnings.catch_warnings():
        # colour-science warns that Machado's tritanomaly matrices approximate
        # tritanopia by a shift of the S cone: the model the issue asks for.
        warnings.simplefilter("ignore")
        matrix = colour.blindness.matrix_cvd_Machado2009(SIMULATIONS[deficiency], 1.0)
    linear = np.clip(matrix @ colour.models.eotf_sRGB(rgb), 0.0, 1.0)
    return colour.models.eotf_inverse_sRGB(linear)


def delta_e(a: str, b: str, deficiency: str | None = None) -> float:
    """CIEDE2000 between two colours as seen with a deficiency (None: as seen)."""
    lab_a, lab_b = (colour.XYZ_to_Lab(colour.sRGB_to_XYZ(_seen(c, deficiency))) for c in (a, b))
    return float(colour.delta_E(lab_a, lab_b, method="CIE 2000"))


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of linearised sRGB."""
    c = _rgb(hex_colour)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_delta_e__agrees_with_published_values():
    # Sharma, Wu & Dalal (2005), table 1, pair 1 is Lab; here: identical colours and a
    # pure hue swap that every simulation of red-green blindness collapses.
    assert delta_e("#336699", "#336699", "deuteranopia") == pytest.approx(0.0, abs=1e-9)
    assert delta_e("#ff0000", "#00ff00") > 80
    assert delta_e("#d0d000", "#e8b800", "deuteranopia") < delta_e("#d0d000", "#e8b800")


def test_contrast__agrees_with_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # just passes


# --------------------------------------------------------------------------- pairs to tell apart


def _envelope_colours() -> dict[str, str]:
    out = {f"threat {i}": c for i, c in enumerate(sc.THREAT_PALETTE)}
    out["given range"] = sc.GIVEN_COLOUR
    out.update({f"defence against {k}": c for k, c in sc.DEFENCE_COLOURS.items()})
    return out


def _pairs() -> list[tuple[str, str, str, str]]:
    """Return (name, colour, name, colour) of every pair a reader must tell apart."""
    pairs = []
    groups = [
        {f"target {k}": s.colour for k, s in sc.TARGET_STYLES.items()},
        _envelope_colours(),
        {f"site {k}": s.colour for k, s in sc.SITE_STYLES.items()},
    ]
    for group in groups:
        pairs += [(a, group[a], b, group[b]) for a, b in itertools.combinations(group, 2)]
    ground = {"land": sc.BASEMAP.land, "sea": sc.BASEMAP.sea}
    for marks in (groups[0], groups[1]):  # marks and envelope lines on the ground
        pairs += [(a, marks[a], b, ground[b]) for a in marks for b in ground]
    return pairs


@pytest.mark.parametrize("deficiency", [None, *SIMULATIONS])
def test_palette__every_pair_apart_under_each_simulation(deficiency):
    too_close = [
        (a, b, round(d, 1))
        for a, ca, b, cb in _pairs()
        if (d := delta_e(ca, cb, deficiency)) < MIN_DELTA_E
    ]
    assert too_close == []


def test_palette__threats_and_defences_keep_their_hues():
    # The meaning of colours stays in every output: threats from purple through red to
    # orange and brown (CIELCh hue), defences from teal to blue.
    def hue(c: str) -> float:
        return float(colour.Lab_to_LCHab(colour.XYZ_to_Lab(colour.sRGB_to_XYZ(_rgb(c))))[2])

    assert all(hue(c) >= 310 or hue(c) <= 75 for c in sc.THREAT_PALETTE)
    assert all(150 <= hue(c) < 310 for c in sc.DEFENCE_COLOURS.values())


def test_palette__envelope_lines_stand_out_from_the_ground():
    # WCAG 1.4.11 (non-text contrast): a range's edge at least 3:1 on land and on sea.
    for name, c in _envelope_colours().items():
        for ground in (sc.BASEMAP.land, sc.BASEMAP.sea):
            assert contrast(c, ground) >= 3.0, (name, c, ground)


# --------------------------------------------------------------------------- text


def _page_css() -> str:
    return (Path(sc.__file__).parent / "assets" / "page.css").read_text(encoding="utf-8")


def _css_colour(selector: str, prop: str = "color") -> str:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", _page_css()).group(1)
    return re.search(rf"(?<![-\w]){prop}:\s*(#[0-9a-fA-F]{{3,6}})", block).group(1)


def _long(c: str) -> str:
    return "#" + "".join(2 * ch for ch in c[1:]) if len(c) == 4 else c


def test_text__every_colour_reaches_4_5_to_1():
    t = sc.TEXT
    pairs = {
        "body text on the page": (t.ink, t.paper),
        "notes and credits": (t.muted, t.paper),
        "names on the map, over their halo": (t.ink, t.halo),
        "page labels over their halo": (_long(_css_colour(".tc-label")), t.halo),
        "panel text": (_long(_css_colour(".tc-panel")), t.paper),
    }
    for tone, c in sc.TONE_COLOURS.items():
        pairs[f"headline {tone} on the figure"] = (c, t.paper)
        pairs[f"white badge word on {tone}"] = ("#ffffff", c)
    low = {k: round(contrast(*v), 2) for k, v in pairs.items() if contrast(*v) < MIN_TEXT_CONTRAST}
    assert low == {}


def test_text__every_colour_of_the_page_styles_reaches_4_5_to_1():
    # Every text colour page.css sets, on the white panel (badges: on their tone, above).
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", _page_css())
    colours = {
        sel.strip(): _long(m.group(1))
        for sel, body in rules
        if (m := re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body))
        and ".tc-badge" not in sel
    }
    assert len(colours) >= 4  # the panel, its headings, small print and labels
    low = {k: c for k, c in colours.items() if contrast(c, sc.TEXT.paper) < MIN_TEXT_CONTRAST}
    assert low == {}


def test_text__page_badges_take_the_tone_table(default):
    html = render_html(verdict_map(default))
    for tone, c in sc.TONE_COLOURS.items():
        assert f"--tc-tone-{tone.split()[0]}: {c};" in html
        assert f".tc-badge-{tone.split()[0]} {{ background: var(--tc-tone-" in html


# --------------------------------------------------------------------------- shapes and lines


def test_styles__targets_differ_by_shape_or_fill():
    looks = {k: (s.symbol, s.hollow) for k, s in sc.TARGET_STYLES.items()}
    assert len(set(looks.values())) == len(looks)
    assert sc.TARGET_STYLES["none"].hollow and sc.TARGET_STYLES["none"].face == "#ffffff"
    assert sc.TARGET_STYLES["some"].symbol == "diamond"
    assert len({s.symbol for s in sc.SITE_STYLES.values()}) == len(sc.SITE_STYLES)


def test_styles__envelope_classes_differ_by_weight_or_dash(catalog):
    def style(system_id: str, kind: str) -> sc.Style:
        from coverage.envelopes import Envelope

        system = catalog.systems[system_id]
        figure = next(f for f in system.ranges if f.kind == kind)
        site = next(iter(catalog.sites.values()))
        (st,) = sc.layer_styles([Layer((Envelope(site, system, figure),))])
        return st

    classes = {
        "threat declared": style("iskander-m", "declared"),
        "threat estimated": style("iskander-m", "estimated"),
        "defence declared": style("s-400", "declared"),
        "defence estimated": style("s-400", "estimated"),
        "launch area": sc.AREA_OUTLINE,
    }
    for (a, sa), (b, sb) in itertools.combinations(classes.items(), 2):
        if sa.role != sb.role or a == "launch area" or b == "launch area":
            assert sa.dash != sb.dash or abs(sa.weight - sb.weight) >= 1.0, (a, b)
    assert classes["defence declared"].weight > classes["threat declared"].weight
    assert classes["launch area"].fill_opacity == 0.0


@pytest.fixture(scope="module")
def default(bundled_verdict):
    return bundled_verdict(DEFAULT)


@pytest.fixture(scope="module")
def svg_root(default):
    return ET.fromstring(figure_bytes(scene_for(default), "svg", report=default.report))


def _marks(root, gid: str) -> tuple[str, set[str]]:
    """Return the marker path drawn in a group, and the fills its uses give it."""
    group = root.find(f".//{SVG}g[@id='{gid}']")
    uses = list(group.iter(f"{SVG}use"))
    ref = uses[0].get(XLINK).lstrip("#")
    path = root.find(f".//{SVG}path[@id='{ref}']")
    fills = {
        re.search(r"fill: (#[0-9a-f]{6})", u.get("style")).group(1) for u in group.iter(f"{SVG}use")
    }
    return path.get("d"), fills


def _svg_shape(d: str) -> str:
    """Return the shape of a matplotlib marker path: Bezier arcs or four corners."""
    if " C " in d:
        return "circle"
    return "diamond" if d.count("L") == 3 else "other"


def test_static__targets_drawn_as_circle_diamond_and_ring(svg_root):
    d_all, fill_all = _marks(svg_root, "tc-targets-all")
    d_some, fill_some = _marks(svg_root, "tc-targets-some")
    d_none, fill_none = _marks(svg_root, "tc-targets-none")
    assert _svg_shape(d_all) == _svg_shape(d_none) == "circle"
    assert _svg_shape(d_some) == "diamond"
    assert fill_all == {sc.TARGET_STYLES["all"].colour}
    assert fill_some == {sc.TARGET_STYLES["some"].colour}
    assert fill_none == {"#ffffff"}  # hollow: a ring of its colour round a white centre
    ring = svg_root.find(f".//{SVG}g[@id='tc-targets-none']//{SVG}use").get("style")
    assert f"stroke: {sc.TARGET_STYLES['none'].colour}" in ring


def test_static__legend_shows_each_shape(svg_root):
    # Each legend swatch is the mark as the map draws it: same path, same fill.
    for state in ("all", "some", "none"):
        legend, legend_fills = _marks(svg_root, f"tc-key-{state}")
        on_map, map_fills = _marks(svg_root, f"tc-targets-{state}")
        assert _svg_shape(legend) == _svg_shape(on_map) == sc.TARGET_STYLES[state].symbol
        assert legend_fills == map_fills


def test_static__defence_edge_heavier_than_threat_edge(bundled_verdict):
    verdict = bundled_verdict("blaszczak-2023-warsaw-patriot-defence")
    root = ET.fromstring(figure_bytes(scene_for(verdict), "svg", report=verdict.report))

    def width(gid: str) -> float:
        path = root.find(f".//{SVG}g[@id='{gid}']/{SVG}path")
        return float(re.search(r"stroke-width: ([\d.]+)", path.get("style")).group(1))

    assert width("tc-layer-edge-D0") > width("tc-layer-edge-L0")


# --------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def page(browser, default, tmp_path_factory):
    path = tmp_path_factory.mktemp("colour") / "claim.html"
    save_map(verdict_map(default), path)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    opened.goto(path.resolve().as_uri(), wait_until="load")
    yield opened
    context.close()
    assert errors == []


# Marks outside the view are not drawn (Leaflet gives them the path "M0 0").
_READ_MARKS = """cls => Array.from(document.querySelectorAll('path.' + cls))
  .filter(p => p.getAttribute('d') !== 'M0 0').map(p => ({
    d: p.getAttribute('d'), fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
    width: p.getAttribute('stroke-width')}))"""


def _shape(d: str) -> str:
    return "circle" if "a" in d else ("diamond" if d.count("L") == 3 else "other")


@pytest.mark.browser
def test_page__targets_differ_in_shape_and_fill(page):
    seen = {}
    for state, st in sc.TARGET_STYLES.items():
        marks = page.evaluate(_READ_MARKS, f"tc-target-{state}")
        assert marks, state
        seen[state] = {(_shape(m["d"]), m["fill"], m["stroke"]) for m in marks}
        assert seen[state] == {(st.symbol, st.face, st.line)}
    assert len({next(iter(v)) for v in seen.values()}) == 3


@pytest.mark.browser
def test_page__slider_turns_marks_into_rings_and_dots(page):
    slider = page.locator("#tc-range")
    every = """() => Array.from(document.querySelectorAll('path.tc-target')).map(p => ({
        d: p.getAttribute('d'), fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke')}))"""
    looks = {(st.face, st.line): state for state, st in sc.TARGET_STYLES.items()}
    for value in ("0", "1000", slider.get_attribute("max")):
        slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value)
        marks = page.evaluate(every)
        states = [looks[(m["fill"], m["stroke"])] for m in marks]
        # In range at the slider's range: a filled dot; out: a hollow ring; all circles.
        n = int(page.locator("#tc-range-out").text_content().split(" of ")[0])
        assert states.count("all") == n and states.count("none") == len(marks) - n
        assert {_shape(m["d"]) for m in marks if m["d"] != "M0 0"} == {"circle"}
    assert 0 < n < len(marks)


@pytest.mark.browser
def test_page__legend_draws_the_shapes(page):
    panel = page.locator("#tc-panel")
    svg = panel.locator("h3:has-text('Targets') + p svg")
    assert svg.count() >= 3
    shapes = [svg.nth(i).evaluate("e => e.querySelector('g > *').tagName") for i in range(3)]
    fills = [
        svg.nth(i).evaluate("e => e.querySelector('g').getAttribute('fill')") for i in range(3)
    ]
    assert shapes == ["circle", "polygon", "circle"]
    assert fills == [sc.TARGET_STYLES[s].face for s in ("all", "some", "none")]
