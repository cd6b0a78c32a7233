"""Objects that show themselves in a notebook, and the range control (coverage.notebook)."""

from __future__ import annotations

import dataclasses
import html
import json
import xml.etree.ElementTree as ET

import pytest
from geographiclib.geodesic import Geodesic

from coverage.claims import Claim, evaluate_claim, load_claims
from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
from coverage.errors import ParameterError, UnknownNameError
from coverage.notebook import explore, explore_widget, origin_choices
from coverage.systems import load_catalog
from coverage.targets import load_targets

HOSTILE = "<script>alert('x')</script> & \"Kaliningrad\""


@pytest.fixture(scope="module")
def verdict():
    return evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())


def _nearest_km(sites, target) -> float:
    """Distance to the nearest site by GeographicLib itself, km (independent of our code)."""
    return min(
        Geodesic.WGS84.Inverse(s.lat, s.lon, target.lat, target.lon)["s12"] / 1000 for s in sites
    )


def _svg(markup: str) -> ET.Element:
    start = markup.index("<svg")
    return ET.fromstring(markup[start : markup.index("</svg>") + len("</svg>")])


# --------------------------------------------------------------------------- _repr_html_


def test_envelope_repr_html__title_origin_and_svg_escaped():
    site = ad_hoc_site(20.51, 54.71, name=HOSTILE)
    (env,) = envelopes([site], ad_hoc_figure(500))
    out = env._repr_html_()
    assert "<script>" not in out
    assert html.escape(HOSTILE) in out  # the name, escaped, in the text and the SVG title
    assert "Given range — given 500 km" in out
    assert "20.5100, 54.7100" in out
    svg = _svg(out)  # well-formed XML, with the escaped name as its title
    ns = "{http://www.w3.org/2000/svg}"
    assert HOSTILE in svg.find(f"{ns}title").text
    paths = svg.findall(f".//{ns}path")
    assert len(paths) == 1
    # The drawn ring spans the envelope's display boundary (±500 km is about ±4.5° of lat).
    d = paths[0].get("d").replace("M", "L").replace("z", "")
    lats = [float(p.split(",")[1]) for p in d.split("L")[1:]]
    assert min(lats) == pytest.approx(env.geometry.bounds[1])
    assert max(lats) == pytest.approx(env.geometry.bounds[3])


@pytest.mark.parametrize(
    ("km", "lon", "lat", "parts"),
    [(1500, 179.0, 65.0, 2), (18000, 89.9, 55.9, 1), (500, 0.0, 89.5, 1)],
    ids=["crosses-antimeridian", "beyond-a-hemisphere", "holds-a-pole"],
)
def test_envelope_svg__hard_rings_are_well_formed(km, lon, lat, parts):
    (env,) = envelopes([ad_hoc_site(lon, lat)], ad_hoc_figure(km))
    svg = _svg(env._repr_html_())
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path")) == parts


def test_envelope_svg__nothing_to_draw_is_still_a_picture():
    (env,) = envelopes([ad_hoc_site(20.0, 54.0)], ad_hoc_figure(500, min_km=100))
    capped = dataclasses.replace(env, horizon_km=50)  # a horizon inside the minimum range
    svg = _svg(capped._repr_html_())
    assert not svg.findall(".//{http://www.w3.org/2000/svg}path")
    assert svg.findall(".//{http://www.w3.org/2000/svg}ellipse")  # the origin


def test_envelope_repr_html__launch_area(verdict):
    areas = origin_choices(verdict)["anywhere in Kaliningrad Oblast"]
    (env,) = envelopes(areas, ad_hoc_figure(300))
    out = env._repr_html_()
    assert "From anywhere in Kaliningrad Oblast" in out
    assert _svg(out).findall(".//{http://www.w3.org/2000/svg}path")


def test_claim_repr_html__speaker_quote_reading_escaped():
    base = load_claims()["grybauskaite-2018-capitals"]
    claim = Claim.model_validate(
        {**base.model_dump(), "speaker": HOSTILE, "quote": "<b>half</b> of Europe's capitals"}
    )
    # The loader refuses such a URL; the HTML would not link it either (model_copy skips checks).
    bad = claim.sources[0].model_copy(update={"url": "javascript:alert(1)"})
    out = claim.model_copy(update={"sources": [bad, *claim.sources[1:]]})._repr_html_()
    assert "<script>" not in out and "<b>half</b>" not in out
    assert html.escape(HOSTILE) in out
    assert "&lt;b&gt;half&lt;/b&gt; of Europe&#x27;s capitals" in out
    assert "javascript:" not in out  # only http(s) sources become links
    assert "<th>share</th><td>50%</td>" in out
    assert "<th>areas</th><td>kaliningrad-oblast</td>" in out
    assert 'href="http://www.deutschlandfunk.de/' in out


def test_targets_repr_html__definition_count_short_table():
    targets = load_targets(definition="eu27")
    out = targets._repr_html_()
    assert "eu27: European Union member states (27 capitals)" in out
    assert out.count("<tr>") == 1 + 10  # header and the first ten
    assert "… and 17 more" in out
    assert html.escape(targets.targets[0].name) in out


def test_verdict_repr_html__report_headline_and_counts(verdict):
    out = verdict._repr_html_()
    assert html.escape(verdict.report.headline.line) in out
    assert "FALSE" in out


# --------------------------------------------------------------------------- explore


def test_explore__range_from_the_towns_against_geographiclib(verdict):
    e = explore(verdict, range_km=1300, origin="sites")
    sites = origin_choices(verdict)["Chernyakhovsk, Kaliningrad"]
    expected = [t.name for t in verdict.targets if _nearest_km(sites, t) <= 1300]
    assert (
        e.counts
        == {"Iskander-M — given 1,300 km": len(expected)}
        == {"Iskander-M — given 1,300 km": 27}
    )
    assert sorted(e.in_range["Iskander-M — given 1,300 km"]) == sorted(expected)
    assert e.verdict.verdict == "true"  # 27 of 51, 26 needed
    assert "TRUE" in e.line and "27 of 51" in e.line
    assert e._repr_html_().count("<tr>") >= 2


def test_explore__definition_and_launch_area(verdict):
    e = explore(verdict, range_km=600, definition="eu27", origin="areas")
    assert e.origin == "anywhere in Kaliningrad Oblast"
    assert e.definition == "eu27"
    assert len(e.verdict.targets) == 27
    (names,) = e.in_range.values()
    assert names[:3] == ("Vilnius", "Riga", "Warsaw")  # nearest first
    assert e.verdict.verdict == "false"


def test_explore__no_change_gives_the_verdicts_counts(verdict):
    e = explore(verdict)
    assert list(e.counts.values()) == [ev.targets_in_range for ev in verdict.evaluations]
    assert e.verdict.range_needed_km == verdict.range_needed_km


def test_explore__rejudges_with_the_lists_of_the_verdicts_own_day(verdict):
    # The claim is of 2018-02-05: the EU then had 28 members, London among them.
    e = explore(verdict, definition="eu")
    assert e.definition == "eu" and len(e.verdict.targets) == 28
    assert "London" in {t.name for t in e.verdict.targets}
    assert e.verdict.definition.count == 28  # the list of that day, not today's 27
    assert e.verdict.report.as_of.day.text == "2018-02-05"
    nato = {o.definition.id: o.count for o in e.verdict.by_definition}["nato-europe"]
    assert nato == 27  # with Montenegro (2017); before North Macedonia, Finland, Sweden


@pytest.mark.parametrize(
    ("kwargs", "error", "parameter"),
    [
        ({"origin": "Moscow"}, ParameterError, "origin"),
        ({"range_km": -5}, ParameterError, "range_km"),
        ({"range_km": 40, "min_km": 50}, ParameterError, "min_km"),
        ({"definition": "eu28"}, UnknownNameError, None),
    ],
)
def test_explore__bad_values_name_the_parameter(verdict, kwargs, error, parameter):
    with pytest.raises(error) as info:
        explore(verdict, **kwargs)
    if parameter:
        assert info.value.parameter == parameter
    assert "\n" not in str(info.value)


def test_explore__figure_is_a_png(verdict):
    png = explore(verdict, range_km=800).figure("png", size_px=(800, 533))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- the widget


def test_explore_widget__callback_redraws(verdict):
    pytest.importorskip("ipywidgets")
    shown = []
    w = explore_widget(verdict, show=shown.append)
    assert w.range_km.value == 700  # the largest figure
    assert list(w.origin.options) == list(origin_choices(verdict))
    assert shown[-1].counts == {"Iskander-M — given 700 km": 10}

    w.range_km.value = 1300  # observe() calls the callback, as a slider move would
    assert shown[-1].counts == {"Iskander-M — given 1,300 km": 27}
    w.definition.value = "eu27"
    assert shown[-1].definition == "eu27" and len(shown[-1].verdict.targets) == 27
    w.origin.value = "anywhere in Kaliningrad Oblast"
    assert shown[-1].origin == "anywhere in Kaliningrad Oblast"
    assert w.update() is w.last is not None
    assert w.last.counts == shown[-1].counts


def test_explore__hostile_target_names_are_escaped_everywhere(tmp_path):
    from coverage.checks import Request, check

    features = [
        {
            "type": "Feature",
            "properties": {"name": f"{HOSTILE} {i}", "country": "<img src=x onerror=alert(1)>"},
            "geometry": {"type": "Point", "coordinates": [20.5 + i, 52.0]},
        }
        for i in range(3)
    ]
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    v = check(Request(range_km=100, points=((20.5, 54.7),), targets_file=path))
    e = explore(v, range_km=400)
    assert e.counts == {"Given range — given 400 km": 3}
    for out in (e._repr_html_(), v.targets._repr_html_(), v._repr_html_()):
        assert "<script>" not in out and "<img" not in out
        assert html.escape(f"{HOSTILE} 0") in out
    with pytest.raises(ParameterError, match="carry no definitions") as info:
        explore(v, definition="eu27")
    assert info.value.parameter == "definition"
