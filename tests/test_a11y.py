"""Every reader (issue 24): alternative text, screen readers and axe-core.

- The alternative text (:mod:`coverage.alt`) says the headline, the counts per figure
  and the sites, read from the report; static figures carry it (SVG ``<title>`` and
  ``<desc>``, PNG text chunks, PDF ``/Title`` and ``/Subject``, each read back here);
  ``claim --alt-text`` and ``map --alt-text`` print it.
- The HTML map, opened offline in the worker's headless Chromium (tests/conftest.py),
  is read as assistive technology reads it (roles, accessible names and
  descriptions, the live region) and checked by axe-core (``axe-playwright-python``)
  under the WCAG 2.0, 2.1 and 2.2 A and AA tags at a phone's and a desktop's size.

The docs gallery page is checked too, from a Sphinx build of that one page with the
docs' own configuration (a few seconds; notebooks are not run: it has none).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coverage.alt import alt_text, alt_title
from coverage.errors import ParameterError
from coverage.render.leaflet import render_html, save_map, verdict_map
from coverage.render.scene import TARGET_WORDS, scene_for
from coverage.render.static import figure_bytes, write_figure

DEFAULT = "grybauskaite-2018-capitals"
DEFENCE = "blaszczak-2023-warsaw-patriot-defence"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = [(375, 667), (1280, 800)]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def default(bundled_verdict):
    return bundled_verdict(DEFAULT)


@pytest.fixture(scope="module")
def defence(bundled_verdict):
    return bundled_verdict(DEFENCE)


# --------------------------------------------------------------------------- the text


def test_alt_text__says_the_headline_counts_and_sites(default):
    report = default.report
    text = alt_text(report)
    assert text.startswith(f"Map of the claim {DEFAULT}")
    assert report.headline.line in text  # "FALSE — 10 of 51 at 700 km; 26 needed"
    for row in report.figures:
        assert f"{row.title}: {row.in_range} of {row.count}" in text
    assert "4 of 51" in text and "10 of 51" in text
    for site in default.sites:
        assert site.name in text
    assert "\n" not in text and "<" not in text
    assert alt_title(report) == f"{DEFAULT}: {report.headline.line}"


def test_alt_text__of_a_defence_claim_names_the_defence(defence):
    report = defence.report
    text = alt_text(report)
    assert report.headline.line in text  # "INSIDE — 1 of 1 inside a defence envelope ..."
    assert text.count("INSIDE") == 1
    (row,) = report.defences
    assert f"Defence {row.id} ({row.how}) covers {row.covers} of {row.count} targets" in text
    assert "The threat's reach: TRUE." in text  # the reach verdict, when not the question


def test_alt_text__of_a_check_that_claims_nothing_gives_no_verdict(default):
    text = alt_text(default.report, claims=False)
    assert text.startswith("Map of range rings.")
    assert "FALSE" not in text and "needed" not in text
    assert "10 of 51" in text


def test_alt_text__refuses_what_is_not_a_report(default):
    with pytest.raises(ParameterError, match="report") as err:
        alt_text(default)
    assert err.value.parameter == "report"
    with pytest.raises(ParameterError, match="claims"):
        alt_text(default.report, claims="yes")


# --------------------------------------------------------------------------- static figures


@pytest.fixture(scope="module")
def figures(default, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("alt")
    return {
        ext: write_figure(default, folder / f"claim.{ext}", size_px="800x500")
        for ext in ("svg", "png", "pdf")
    }


def test_svg__title_and_desc_come_first(figures, default):
    root = ET.parse(figures["svg"]).getroot()
    first, second = list(root)[:2]
    assert (first.tag, second.tag) == (SVG + "title", SVG + "desc")
    assert first.text == alt_title(default.report)
    assert second.text == alt_text(default.report)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == first.get("id")
    assert root.get("aria-describedby") == second.get("id")
    assert len(root.findall(SVG + "title")) == 1  # matplotlib's own title is not added


def test_svg__title_and_desc_are_escaped(default):
    scene = scene_for(default, range_control=False)
    evil = ("a < b & </title><script>x</script>", 'd "</desc>" & <b>')
    svg = figure_bytes(scene, "svg", size_px="800x500", alt=evil)
    root = ET.fromstring(svg)  # well-formed XML
    assert [root[0].text, root[1].text] == list(evil)
    assert root.find(f".//{SVG}script") is None


def test_png__description_text_chunk(figures, default):
    from PIL import Image

    with Image.open(figures["png"]) as image:
        chunks = dict(image.text)
    assert chunks["Title"] == alt_title(default.report)
    assert chunks["Description"] == alt_text(default.report)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) missing")
def test_pdf__title_and_subject(figures, default):
    info = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(figures["pdf"])],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    ).stdout
    fields = dict(re.findall(r"^(\w+):\s+(.*)$", info, re.MULTILINE))
    assert fields["Title"] == alt_title(default.report)
    assert fields["Subject"] == alt_text(default.report)


def test_figure_bytes__refuses_a_bad_alt(default):
    scene = scene_for(default, range_control=False)
    with pytest.raises(ParameterError, match="alt") as err:
        figure_bytes(scene, "png", alt="just a string")
    assert err.value.parameter == "alt"


def test_figure_without_a_claim__describes_the_rings(tmp_path):
    from coverage.checks import Request, check

    verdict = check(Request(range_km=1000.0, points=((20.51, 54.71),)))
    out = io.BytesIO()
    write_figure(verdict, out, format="png", size_px="800x500", panel=False)
    from PIL import Image

    out.seek(0)
    with Image.open(out) as image:
        text = image.text["Description"]
    assert text == alt_text(verdict.report, claims=False)
    assert text.startswith("Map of range rings.") and "15 of 51" in text


# --------------------------------------------------------------------------- the CLI


def test_cli__claim_alt_text_prints_it_alone(run_cli, default):
    result = run_cli("claim", "--alt-text")
    assert result.returncode == 0, result.stderr
    assert result.stdout == alt_text(default.report) + "\n"


def test_cli__map_alt_text_writes_the_map_and_prints_it(run_cli, defence, tmp_path):
    out = tmp_path / "d.html"
    result = run_cli("map", DEFENCE, "--alt-text", "-q", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == alt_text(defence.report) + "\n"
    assert 'id="tc-alt"' in out.read_text(encoding="utf-8")


def test_cli__alt_text_and_json_on_stdout_are_refused(run_cli):
    result = run_cli("claim", "--alt-text", "--json")
    assert result.returncode == 2
    assert "--alt-text" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- the HTML map


def test_page__lang_and_title(default):
    page = render_html(verdict_map(default))
    assert re.search(r"<html lang=\"en\">", page)
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert default.report.headline.line in title
    assert "Grybauskaite" in title


@pytest.fixture(scope="module")
def pages(default, defence, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("a11y")
    return {
        "claim": save_map(verdict_map(default), folder / "claim.html"),
        "defence": save_map(verdict_map(defence), folder / "defence.html"),
    }


@pytest.fixture
def open_map(browser, pages):
    opened = []

    def open_(name: str | Path, width: int, height: int):
        path = name if isinstance(name, Path) else pages[name]
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(100)
        opened.append((context, errors))
        return page

    yield open_
    for context, errors in opened:
        context.close()
        assert errors == []


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("name", ["claim", "defence"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_axe__no_violations(open_map, name, size):
    page = open_map(name, *size)
    assert _axe(page) == []
    # The panel open too (it starts as a bar on a phone): its tables, links and slider.
    page.evaluate("document.querySelector('#tc-panel details').open = true")
    assert _axe(page) == []


DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory) -> Path:
    """The docs' gallery page, built by Sphinx alone with the docs' conf.py and styles."""
    pytest.importorskip("sphinx")
    folder = tmp_path_factory.mktemp("docs")
    source = folder / "src"
    source.mkdir()
    shutil.copy(DOCS / "conf.py", source)
    shutil.copy(DOCS / "gallery.md", source)
    for sub in ("gallery", "_extra", "_static", "_ext"):
        shutil.copytree(DOCS / sub, source / sub)
    (source / "index.md").write_text("# threat-coverage\n\n```{toctree}\ngallery\n```\n")
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html"]
    command += ["-D", "nb_execution_mode=off", str(source), str(folder / "out")]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return folder / "out" / "gallery.html"


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_axe__gallery_page_no_violations(open_map, gallery, size):
    page = open_map(gallery, *size)
    assert page.locator("img").count() >= 3  # the figures, with their alt text
    assert _axe(page) == []


@pytest.mark.browser
def test_screen_reader__reaches_the_headline_first(open_map, default):
    page = open_map("claim", 375, 667)
    headline = default.report.headline.line
    assert headline in page.title()
    first = page.evaluate(
        "() => Array.from(document.querySelectorAll('h1, h2, h3'))[0].textContent"
    )
    assert headline in first
    h1 = page.get_by_role("heading", level=1)
    assert h1.count() == 1 and headline in h1.inner_text()
    # It comes before the map and the panel in the document.
    assert page.evaluate(
        """() => { const h = document.querySelector('h1');
            const m = document.querySelector('.folium-map');
            return !!(h.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING); }"""
    )


@pytest.mark.browser
def test_screen_reader__map_is_described_by_the_alt_text(open_map, default):
    page = open_map("claim", 1280, 800)
    region = page.get_by_role("region", name="Map")
    assert region.count() == 1
    described = region.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").text_content() == alt_text(default.report)
    from playwright.sync_api import expect

    expect(region).to_have_accessible_description(alt_text(default.report))


@pytest.mark.browser
def test_screen_reader__table_of_every_target(open_map, default):
    page = open_map("claim", 375, 667)
    table = page.locator("table#tc-table")
    assert table.count() == 1
    assert "every target" in table.locator("caption").text_content()
    heads = table.locator("thead th[scope=col]").all_text_contents()
    assert heads[:3] == ["Target", "Country", "Distance (km)"]
    assert heads[-1] == "In range"
    assert len(heads) == 3 + len(default.report.figures) + 1
    rows = table.locator("tbody tr")
    assert rows.count() == len(default.targets)
    # Vilnius: its distance and words, from the verdict's exact numbers.
    scene = scene_for(default)
    vilnius = next(t for t in scene.targets if t.name == "Vilnius")
    row = table.locator("tbody tr", has=page.locator("th", has_text="Vilnius"))
    cells = row.locator("td").all_text_contents()
    assert cells[0] == "Lithuania"
    assert cells[1] == f"{vilnius.distance_km:,.1f}"
    assert cells[-1] == TARGET_WORDS[vilnius.state]
    assert sum(
        TARGET_WORDS["all"] == r
        for r in table.locator("tbody tr td:last-child").all_text_contents()
    ) == scene.state_counts().get("all", 0)
    # Visually hidden, but in the accessibility tree.
    hidden = table.evaluate("t => t.closest('.tc-sr').getBoundingClientRect().toJSON()")
    assert hidden["width"] <= 1 and hidden["height"] <= 1
    assert page.get_by_role("table", name=re.compile("every target")).count() == 1
    assert page.get_by_role("rowheader", name="Vilnius").count() == 1


@pytest.mark.browser
def test_screen_reader__decorative_layers_hidden(open_map):
    page = open_map("claim", 1280, 800)
    assert page.evaluate(
        "() => document.querySelector('.tc-border').closest('[aria-hidden=true]') !== null"
    )
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('.tc-label'))"
        ".every(e => e.closest('[aria-hidden=true]') !== null)"
    )


@pytest.mark.browser
def test_screen_reader__slider_announces_politely(open_map, default):
    page = open_map("claim", 1280, 800)
    out = page.locator("#tc-range-out")
    assert out.get_attribute("aria-live") == "polite"
    slider = page.get_by_role("slider")
    slider.focus()
    before = out.text_content()
    step = float(slider.get_attribute("step"))
    km = float(slider.input_value())
    page.keyboard.press("ArrowRight")
    km += step
    text = out.text_content()
    assert text != before
    n = sum(r.distance_km <= km for r in default.reaches)
    assert text.startswith(f"{n} of {len(default.targets)} at {km:,.0f} km"), text
