"""A claim through time (issue 23 item 3): coverage.timeline, `threat-coverage timeline`,
the HTML map's date control and the static small multiples.

The counts of every step are checked against `claim --as-of DATE --json` run as its own
process; the date control is moved in Chromium and read as a reader sees it (its
accessible name, its live region, the site pins shown); the small-multiples PDF is read
back with pdftotext and the SVG's text elements.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coverage.checks import Request, check
from coverage.errors import ParameterError
from coverage.render import static
from coverage.render.leaflet import page_data, save_map, timeline_map
from coverage.timeline import Timeline, timeline

DEFAULT = "grybauskaite-2018-capitals"
SVG = "{http://www.w3.org/2000/svg}"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def default_timeline() -> Timeline:
    return timeline(DEFAULT)


@pytest.fixture(scope="module")
def eu_timeline() -> Timeline:
    """The default claim read under the dated EU list: its counts change over time."""
    return timeline(Request(claim_id=DEFAULT, definition="eu"))


def _counts(evaluations) -> list[tuple[str, int, int]]:
    return [(e["figure"], e["targets_in_range"], e["targets_count"]) for e in evaluations]


# --------------------------------------------------------------------------- library


def test_timeline__default_claim_steps_from_the_lists_start_to_the_claims_day(default_timeline):
    t = default_timeline
    assert [s.date.text for s in t.steps] == [
        "1990-10-03", "2015-07-13", "2016-10", "2018-02", "2018-02-05",
    ]  # fmt: skip
    assert t.claim_date.text == "2018-02-05" and t.starts.text == "1990-10-03"
    first, declared, estimated, chernyakhovsk, claimed = t.steps
    assert [e.kind for e in chernyakhovsk.events] == ["deployment"]
    assert chernyakhovsk.events[0].subject == "chernyakhovsk"
    assert {e.kind for e in claimed.events} == {"deployment", "claim"}
    # A claim's sites are counted as it names them; each step says which stood.
    assert first.absent == ("chernyakhovsk", "kaliningrad")
    assert chernyakhovsk.absent == ("kaliningrad",)
    assert claimed.absent == ()
    for step in t.steps[2:]:
        assert [(c.in_range, c.total) for c in step.counts] == [(4, 51), (4, 51), (10, 51)]
        assert step.left_out == ()
    assert "Not in place that day: chernyakhovsk, kaliningrad" in first.line()


def test_timeline__a_figure_counts_from_the_day_its_source_was_published(default_timeline):
    first, declared, estimated = default_timeline.steps[:3]
    # Before 2015-07-13 only the undated CSIS estimate counts; the TASS 500 km
    # (2015-07-13) and the 700 km estimate (2016-10) are left out, with what they count.
    assert [c.figure for c in first.counts] == ["iskander-m estimated 500 km"]
    assert [(c.figure, c.in_range) for c in first.left_out] == [
        ("iskander-m declared 50\u2013500 km", 4),
        ("iskander-m estimated 700 km", 10),
    ]
    assert [e.kind for e in declared.events] == ["publication"]
    assert declared.events[0].source.date == "2015-07-13"
    assert [c.figure for c in declared.left_out] == ["iskander-m estimated 700 km"]
    assert estimated.events[0].label == "Iskander-M \u2014 estimated 700 km published"
    assert default_timeline.figures == [
        "iskander-m declared 50\u2013500 km",
        "iskander-m estimated 500 km",
        "iskander-m estimated 700 km",
    ]
    # Asked for, the later figures count at every step and no publication is a step.
    t = timeline(Request(claim_id=DEFAULT, use_later_figures=True))
    assert [s.date.text for s in t.steps] == ["1990-10-03", "2018-02", "2018-02-05"]
    assert all(len(s.counts) == 3 and s.left_out == () for s in t.steps)


def test_timeline__every_figure_published_later_counts_none_that_day():
    t = timeline("rutte-2025-madrid-london")
    first = t.steps[0]
    assert first.counts == () and len(first.left_out) == 4
    (published,) = [s for s in t.steps if s.date.text == "2024-12-19"]
    assert [c.figure for c in published.counts] == ["oreshnik declared 5,500 km"]
    assert len(t.steps[-1].counts) == 4 and t.steps[-1].left_out == ()


def test_timeline__eu_counts_follow_the_members_of_each_day(eu_timeline):
    t = eu_timeline
    totals = {s.date.text: s.counts[0].total for s in t.steps}
    assert totals["1990-10-03"] == 12
    assert totals["2004-05-01"] == 25
    assert totals["2018-02-05"] == 28  # with London, as on the day of the claim
    assert totals["2020-02-01"] == 27  # the United Kingdom has left
    (brexit,) = [s for s in t.steps if s.date.text == "2020-02-01"]
    assert brexit.events[0].kind == "departure" and brexit.events[0].subject == "GB"
    assert brexit.events[0].source is not None


def test_timeline__every_step_equals_a_check_as_of_its_day(eu_timeline):
    for step in eu_timeline.steps[-3:]:
        fresh = check(Request(claim_id=DEFAULT, definition="eu", as_of=step.date.text))
        assert [(c.in_range, c.total) for c in step.counts] == [
            (e.targets_in_range, len(fresh.targets)) for e in fresh.evaluations
        ]


def test_timeline__rechecks_only_when_something_changes(default_timeline):
    # Five steps; the claim's own day is the check as asked: judged once, not twice.
    assert default_timeline.checks == 5
    assert all(s.rechecked for s in default_timeline.steps)


def test_timeline__ad_hoc_system_uses_the_sites_standing_each_day():
    t = timeline(Request(systems=("iskander-m",), share=0.5))
    assert t.claim_id is None and t.claim_date is None
    by_day = {s.date.text: s for s in t.steps}
    assert "2022-12-19" in by_day  # Asipovichy, Belarus
    before, after = by_day["2018-02-05"], by_day["2022-12-19"]
    assert "asipovichy" in before.absent and "asipovichy" not in after.absent
    assert after.counts[0].in_range > before.counts[0].in_range


def test_timeline__refuses_what_is_not_a_request():
    with pytest.raises(ParameterError, match="request_or_claim: expected") as info:
        timeline(42)
    assert info.value.parameter == "request_or_claim"


def test_timeline__as_dict_holds_the_steps_keys(default_timeline):
    data = default_timeline.as_dict()
    assert data["claim"] == DEFAULT and data["definition"] == "europe-all"
    step = data["steps"][-1]
    assert set(step) >= {"date", "event", "source", "evaluations", "sites"}
    assert step["source"] and all("url" in s for s in step["source"])
    assert {"id": "kaliningrad", "status": "in place"} in step["sites"]


# --------------------------------------------------------------------------- CLI


@pytest.mark.cli
def test_timeline_cli__table_of_the_default_claim(run_cli):
    done = run_cli("timeline")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == f"Timeline of {DEFAULT}"
    rows = [line for line in lines if re.match(r" \d{4}", line)]
    assert [r.split()[0] for r in rows] == [
        "1990-10-03", "2015-07-13", "2016-10", "2018-02", "2018-02-05",
    ]  # fmt: skip
    assert re.search(r"0/2\s+later\s+4/51\s+later\s+none", rows[0])
    assert re.search(r"0/2\s+4/51\s+4/51\s+later\s+none", rows[1])
    assert re.search(r"2/2\s+4/51\s+4/51\s+10/51\s+none", rows[4])
    assert "'later': the figure's source was published after" in " ".join(done.stdout.split())
    assert "F3 = iskander-m estimated 700 km" in done.stdout.replace("\n", " ")


@pytest.mark.cli
def test_timeline_cli__json_counts_equal_claim_as_of_each_step(run_cli):
    done = run_cli("timeline", "--json")
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout)["steps"]
    assert [s["date"] for s in steps] == [
        "1990-10-03", "2015-07-13", "2016-10", "2018-02", "2018-02-05",
    ]  # fmt: skip
    for step in steps:
        assert step["event"] and isinstance(step["source"], list)
        claim = run_cli("claim", "--as-of", step["date"], "--json")
        assert claim.returncode == 0, claim.stderr
        said = json.loads(claim.stdout)
        assert said["as_of"] == step["date"]
        expected = [
            (e["figure"], e["targets_in_range"], said["targets_count"]) for e in said["evaluations"]
        ]
        assert _counts(step["evaluations"]) == expected
        left = [(e["figure"], e["targets_in_range"]) for e in said["figures_left_out"]]
        assert [(e["figure"], e["targets_in_range"]) for e in step["figures_left_out"]] == left


@pytest.mark.cli
def test_timeline_cli__bad_dates_give_one_line(run_cli, tmp_path):
    done = run_cli("timeline", "--dates", "2015-01-01")
    assert done.returncode == 2
    assert "--dates applies to a .png, .svg or .pdf --map file" in done.stderr
    done = run_cli("timeline", "--map", str(tmp_path / "t.pdf"), "--dates", "2015-13-01")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--dates" in done.stderr and "not a real date" in done.stderr
    assert not (tmp_path / "t.pdf").exists()


# --------------------------------------------------------------------------- small multiples


@pytest.mark.cli
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_timeline_cli__pdf_small_multiples_has_each_dates_text(run_cli, tmp_path):
    pdf = tmp_path / "timeline.pdf"
    done = run_cli("timeline", "--map", str(pdf), "--dates", "2015-01-01,2018-02-05,today", "-q")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for day in ("2015-01-01", "2018-02-05"):
        assert day in flat
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", flat.split("2018-02-05", 1)[1])  # today
    # As of 2015-01-01 the TASS 500 km (2015-07-13) and the 700 km estimate (2016-10)
    # were not yet published: counted in two frames of three.
    assert flat.count("10 of 51 in range at iskander-m estimated 700 km") == 2
    assert flat.count("4 of 51 in range at iskander-m declared 50\u2013500 km") == 2
    assert flat.count("4 of 51 in range at iskander-m estimated 500 km") == 3
    assert "Not in place that day: Chernyakhovsk, Kaliningrad" in flat
    assert flat.count("Not in place that day") == 1  # 2015 only
    assert "Made with threat-coverage." in flat


def test_small_multiples__svg_keeps_every_text_as_text(default_timeline):
    frames = static.timeline_frames(default_timeline, ["2015-01-01", "2018-02-05"])
    assert [f.heading for f in frames] == ["2015-01-01", "2018-02-05"]
    # 2015: neither Kaliningrad site is drawn; 2018: both are.
    launch = [{s.name for s in f.scene.sites if s.kind == "launch"} for f in frames]
    assert launch[0].isdisjoint({"Chernyakhovsk", "Kaliningrad"})
    assert {"Chernyakhovsk", "Kaliningrad"} <= launch[1]
    svg = static.multiples_bytes(frames, "svg", size_px="1600x800", title="Two dates")
    root = ET.fromstring(svg)
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Two dates" in texts and "2015-01-01" in texts and "2018-02-05" in texts
    assert "Not in place that day: Chernyakhovsk, Kaliningrad" in texts
    assert root.find(f"{SVG}title").text == "Two dates"


def test_small_multiples__refuses_a_day_before_the_first_step(default_timeline):
    with pytest.raises(ParameterError, match="days: 1980-01-01 is before") as info:
        static.timeline_frames(default_timeline, ["1980-01-01"])
    assert info.value.parameter == "days"
    with pytest.raises(ParameterError, match="frames: expected one to six"):
        static.multiples_bytes([], "png")


# --------------------------------------------------------------------------- HTML date control


@pytest.fixture(scope="module")
def eu_page(eu_timeline, tmp_path_factory) -> Path:
    return save_map(timeline_map(eu_timeline), tmp_path_factory.mktemp("tl") / "eu.html")


def test_timeline_map__page_data_has_per_step_sites_and_counts(eu_timeline):
    data = page_data(timeline_map(eu_timeline))["timeline"]
    assert [s["date"] for s in data["steps"]] == [s.date.text for s in eu_timeline.steps]
    assert data["start"] == [s.date.text for s in eu_timeline.steps].index("2018-02-05")
    first, last = data["steps"][0], data["steps"][-1]
    assert first["counts"][0] == [0, 12] and last["counts"][0] == [3, 27]
    n_pins = sum(len(group["points"]) for group in page_data(timeline_map(eu_timeline))["sites"])
    assert all(len(s["sites"]) == n_pins for s in data["steps"])
    assert sum(first["sites"]) < sum(last["sites"])  # launch sites and garrisons appear


@pytest.mark.browser
def test_timeline_map__date_control_changes_the_count_and_the_pins(browser, eu_page):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(eu_page.resolve().as_uri(), wait_until="load")
        control = page.get_by_role("slider", name=re.compile("date", re.IGNORECASE))
        assert control.count() == 1
        out = page.locator("#tc-date-out")
        assert "As of 2018-02-05" in out.inner_text() and "3 of 28" in out.inner_text()

        def shown_launch_pins() -> int:
            return page.evaluate(
                "Array.from(document.querySelectorAll('.tc-site-launch'))"
                ".filter(e => e.style.display !== 'none').length"
            )

        at_claim = shown_launch_pins()
        page.evaluate(
            "(() => { const i = document.getElementById('tc-date'); i.value = '0';"
            " i.dispatchEvent(new Event('input')); })()"
        )
        assert "As of 1990-10-03" in out.inner_text() and "0 of 12" in out.inner_text()
        assert control.get_attribute("aria-valuetext") == "1990-10-03"
        assert shown_launch_pins() == at_claim - 2  # Chernyakhovsk and Kaliningrad not yet
        assert out.get_attribute("aria-live") == "polite"
    finally:
        context.close()
    assert errors == []


@pytest.fixture(scope="module")
def nato_timeline() -> Timeline:
    """The default claim under NATO-Europe: Montenegro, North Macedonia, Finland, Sweden join."""
    return timeline(Request(claim_id=DEFAULT, definition="nato-europe"))


def test_timeline_map__targets_that_join_later_are_in_the_data_hidden_until_then(nato_timeline):
    data = page_data(timeline_map(nato_timeline))
    names = [p["name"] for p in data["targets"]["points"]]
    assert {"Helsinki", "Stockholm", "Skopje"} <= set(names)  # not members on the claim's day
    by_day = {s["date"]: s["targets"] for s in data["timeline"]["steps"]}
    helsinki = names.index("Helsinki")
    assert by_day["2018-02-05"][helsinki] is None and by_day["2023-04-04"][helsinki] is not None
    for step, s in zip(data["timeline"]["steps"], nato_timeline.steps, strict=True):
        shown = [t for t in step["targets"] if t is not None]
        assert len(shown) == s.counts[0].total
        assert shown.count("all") == min(c.in_range for c in s.counts)
        assert len(shown) - shown.count("none") == max(c.in_range for c in s.counts)


@pytest.mark.browser
def test_timeline_map__date_control_moves_the_target_dots_with_the_counts(
    browser, nato_timeline, tmp_path
):
    page_file = save_map(timeline_map(nato_timeline), tmp_path / "nato.html")
    steps = nato_timeline.as_dict()["steps"]  # what `timeline --json` prints
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())

    def dots() -> dict:
        return page.evaluate(
            "(() => { const out = {all: 0, some: 0, none: 0, names: []};"
            " document.querySelectorAll('path.tc-target').forEach(p => {"
            "  const m = p.getAttribute('class').match(/tc-target-(all|some|none)/);"
            "  out[m[1]] += 1; });"
            " return out; })()"
        )

    def names() -> set:
        return set(
            page.evaluate("Array.from(document.querySelectorAll('.tc-hit')).map(e => e.title)")
        )

    try:
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        for i in (0, len(steps) - 1, nato_timeline.start_index):
            page.evaluate(
                f"(() => {{ const i = document.getElementById('tc-date'); i.value = '{i}';"
                " i.dispatchEvent(new Event('input')); })()"
            )
            counts = [e["targets_in_range"] for e in steps[i]["evaluations"]]
            total = steps[i]["evaluations"][0]["targets_count"]
            seen = dots()
            assert seen["all"] + seen["some"] + seen["none"] == total, (steps[i]["date"], seen)
            assert seen["all"] == min(counts) and seen["all"] + seen["some"] == max(counts)
            out = page.locator("#tc-date-out").inner_text()
            assert f"{counts[0]} of {total}" in out
            shown = names()
            member = steps[i]["date"] >= "2023-04-04"
            assert ("Helsinki" in shown) == member, steps[i]["date"]
            # The range bar counts the targets judged that day, of that day's total.
            assert f" of {total} at " in page.locator("#tc-range-out").inner_text()
        # The keyboard walks the targets on the map, one Tab stop, arrow keys between them.
        stops = page.evaluate(
            "Array.from(document.querySelectorAll('.tc-hit')).filter(e => e.tabIndex === 0)"
            ".map(e => e.title)"
        )
        assert len(stops) == 1
        page.locator(".tc-hit[tabindex='0']").focus()
        page.keyboard.press("Home")
        visited = set()
        for _ in range(len(shown) + 2):
            visited.add(page.evaluate("document.activeElement.title"))
            page.keyboard.press("ArrowDown")
        assert visited == shown
        # A range asked for keeps its colours when the date moves, counted that day.
        page.evaluate(
            "(() => { const s = document.getElementById('tc-range'); s.value = '800';"
            " s.dispatchEvent(new Event('input'));"
            " const i = document.getElementById('tc-date'); i.value = i.max;"
            " i.dispatchEvent(new Event('input')); })()"
        )
        bar = page.locator("#tc-range-out").inner_text()
        reds = page.evaluate(
            "Array.from(document.querySelectorAll('path.tc-target'))"
            ".filter(p => p.getAttribute('fill') === '#b2182b').length"
        )
        total = steps[-1]["evaluations"][0]["targets_count"]
        assert bar.startswith(f"{reds} of {total} at 800 km"), (bar, reds)
    finally:
        context.close()
    assert errors == []


@pytest.mark.browser
def test_timeline_map__range_ring_is_styled_by_the_pages_css(browser, eu_timeline, eu_page):
    # The ring's stroke and fill come from page.css (.tc-slider-ring), not the page data.
    data = page_data(timeline_map(eu_timeline))["slider"]
    options = next(part for ring in data["rings"] if ring for part in ring)["options"]
    assert set(options) == {"interactive", "className", "smoothFactor"}
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(eu_page.resolve().as_uri(), wait_until="load")
        page.evaluate(
            "(() => { const s = document.getElementById('tc-range'); s.value = '800';"
            " s.dispatchEvent(new Event('input')); })()"
        )
        styles = page.evaluate(
            "Array.from(document.querySelectorAll('path.tc-slider-ring')).map(p => {"
            " const c = getComputedStyle(p);"
            " return [c.stroke, c.strokeWidth, c.strokeDasharray, c.fillOpacity]; })"
        )
        assert styles and all(
            s == ["rgb(17, 17, 17)", "2px", "6px, 4px", "0.05"] for s in styles
        ), styles
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", [(375, 667), (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_map__axe_finds_no_violation(browser, eu_page, size):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(eu_page.resolve().as_uri(), wait_until="load")
        page.evaluate("document.querySelector('#tc-panel details').open = true")
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert [v["id"] for v in result.response["violations"]] == []
    finally:
        context.close()


def test_step_line__before_any_figure_was_published__says_so():
    from coverage.timeline import timeline

    first = timeline("rutte-2025-madrid-london").steps[0]
    assert not first.counts
    assert "In range: no figure published yet." in first.line()
