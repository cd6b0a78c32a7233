"""The renderer-free scene: membership from the verdict, one style table, sites by kind."""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic

from coverage.checks import Request, check
from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
from coverage.render import scene as sc


@pytest.fixture(scope="module")
def defended():
    return check(
        Request(defences=("patriot-pac-3-mse@warsaw-babice", "patriot-pac-2-gem-t@siauliai"))
    )


@pytest.fixture(scope="module")
def scene(defended):
    return sc.scene_for(defended)


def test_scene_for__membership_and_counts_are_the_verdicts(defended, scene):
    threats = scene.threats
    assert [la.in_range_count for la in threats] == [
        e.targets_in_range for e in defended.evaluations
    ]
    for j, t in enumerate(scene.targets):
        flags = [bool(e.in_range[j]) for e in defended.evaluations]
        assert [t.in_range[la.key] for la in threats] == flags
        assert t.label == any(flags)
        assert t.defended_by == tuple(c.defence.id for c in defended.defences if c.covers[j])


def test_scene_for__defence_margins_match_geographiclib(defended, scene):
    cover = defended.defences[0]
    site = cover.defence.site
    (la,) = [la for la in scene.defences if la.layer.first.origin.id == site.id]
    for t in scene.targets:
        d = Geodesic.WGS84.Inverse(site.lat, site.lon, t.lat, t.lon)["s12"] / 1000.0
        assert t.margins_km[la.key] == pytest.approx(cover.envelope.max_km - d, abs=1e-6)
        assert t.in_range[la.key] == (d <= cover.envelope.max_km)


def test_layer_styles__threat_and_defence_never_share_a_colour(scene):
    threat = {la.style.colour for la in scene.threats}
    defence = {la.style.colour for la in scene.defences}
    assert threat and defence and not threat & defence
    assert all(
        la.style.fill_opacity < min(x.style.fill_opacity for x in scene.threats)
        for la in scene.defences
    )
    assert {la.against for la in scene.defences} == {"ballistic missiles"}
    groups = [g for g, _ in scene.legend_groups()]
    assert groups == ["Iskander-M", "Defences against ballistic missiles"]


def test_envelope_styles__one_colour_per_system_in_order():
    cat_env = check(Request(systems=("iskander-m", "kalibr"), sites=("kaliningrad",))).envelopes
    styles = sc.envelope_styles(cat_env)
    by_system = {}
    for e in cat_env:
        by_system.setdefault(e.system.id, set()).add(styles[e.layer_key].colour)
    assert by_system == {"iskander-m": {sc.THREAT_PALETTE[0]}, "kalibr": {sc.THREAT_PALETTE[1]}}


def test_scene_for__garrisons_and_sites_by_kind(scene):
    kinds = {m.id: m.kind for m in scene.sites}
    assert kinds["chernyakhovsk"] == "launch" and kinds["warsaw-babice"] == "defence"
    assert {k for k, v in kinds.items() if v == "garrison"} == {"tapa", "adazi", "rukla", "orzysz"}
    assert all(m.date for m in scene.sites if m.kind == "garrison")


def test_scene_for__view_holds_envelopes_and_labelled_targets(scene):
    west, south, east, north = scene.view
    for t in scene.targets:
        if t.label:
            assert west <= t.lon <= east and south <= t.lat <= north
    for la in scene.layers:
        minx, miny, maxx, maxy = la.geometry.bounds
        assert west <= minx and maxx <= east and south <= miny and maxy <= north
    # Lisbon, far out of range, is not what the view is fitted to.
    assert west > -9.0


def test_range_control__counts_are_exact_distances(defended, scene):
    rc = scene.range_control
    assert rc.total == len(defended.targets) and rc.required == defended.required
    assert rc.max_km > defended.range_needed_km
    near = [r.distance_km for r in defended.reaches]
    for km in (300.0, 700.0, 1200.0, 1250.0):
        assert rc.count(scene.targets, km) == sum(d <= km for d in near)
    assert rc.count(scene.targets, math.floor(defended.range_needed_km)) < rc.required
    assert rc.count(scene.targets, math.ceil(defended.range_needed_km)) >= rc.required
    kms = [km for km, _ in rc.rings]
    assert kms == sorted(kms) and all(km % rc.step_km == 0 for km in kms)


def test_offsets__pins_at_the_same_place_are_set_apart():
    a, b = ad_hoc_site(20.0, 54.0, name="A"), ad_hoc_site(20.0, 54.0, name="B")
    covering = envelopes([a, b], [ad_hoc_figure(100)])
    s = sc.scene_of(covering)
    offsets = [m.offset_px for m in s.sites]
    assert len(set(offsets)) == 2
    assert all(math.hypot(*o) >= sc.PIN_SEPARATION_PX - 0.5 for o in offsets)


def test_scene_module__imports_no_renderer():
    import subprocess
    import sys

    code = (
        "import sys, coverage.render.scene; "
        "print(any(m.split('.')[0] in ('folium', 'matplotlib', 'branca') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_kml_and_map__one_colour_per_system():
    import xml.etree.ElementTree as ET

    from coverage.exports import render_rings
    from coverage.render.leaflet import coverage_map, page_data

    covering = check(Request(systems=("iskander-m", "kalibr"), sites=("kaliningrad",))).envelopes
    kml = ET.fromstring(render_rings(list(covering), "kml").encode())
    ns = "{http://www.opengis.net/kml/2.2}"
    kml_colours = {s.findtext(f"{ns}LineStyle/{ns}color")[2:] for s in kml.iter(f"{ns}Style")} - {
        None
    }
    # KML writes aabbggrr: compare as rrggbb.
    kml_rgb = {f"#{c[4:6]}{c[2:4]}{c[0:2]}" for c in kml_colours if c}
    html = {
        part["options"]["color"]
        for layer in page_data(coverage_map(covering))["layers"]
        for part in layer["parts"]
        if "color" in part["options"]
    }
    assert html == {sc.THREAT_PALETTE[0], sc.THREAT_PALETTE[1]}
    assert html <= kml_rgb


def test_scene_for__defences_alone__targets_follow_the_defences():
    v = check(Request(systems=("patriot-pac-3-mse",), sites=("warsaw-babice",)))
    s = sc.scene_for(v, panel=False)
    assert s.layers and all(la.role == sc.DEFENCE for la in s.layers)
    assert {la.against for la in s.layers} == {"ballistic missiles", "aircraft"}
    (warsaw,) = [t for t in s.targets if t.name == "Warsaw"]
    assert warsaw.label and warsaw.state == "all"
    assert s.title == "Air and missile defence envelopes"


def test_scene_of__too_many_in_range__names_on_hover_only():
    from coverage.targets import targets_from_points

    n = sc.MAX_LABELS + 1
    points = [(f"T{i}", 20.0 + 0.001 * i, 52.0) for i in range(n)]
    covering = envelopes([ad_hoc_site(20.0, 52.0)], [ad_hoc_figure(100)])
    s = sc.scene_of(covering, targets=targets_from_points(points))
    assert all(t.state == "all" for t in s.targets) and not any(t.label for t in s.targets)
    fewer = sc.scene_of(covering, targets=targets_from_points(points[:10]))
    assert all(t.label for t in fewer.targets)


def test_claim_about_defence__headline_is_the_defences_not_the_threats():
    # Błaszczak 2023: the threat reaches Warsaw (claim verdict "true"), but what the
    # claim says is about the defence: the headline, badge and panel lead with it.
    from coverage.defences import defence_claim
    from coverage.render.leaflet import render_html, verdict_map

    verdict = check(Request(claim_id="blaszczak-2023-warsaw-patriot-defence"))
    d = defence_claim(verdict)
    assert d["verdict"] == "inside" and verdict.verdict == "true"
    s = sc.scene_for(verdict)
    assert s.verdict_line.startswith("INSIDE \u2014 1 of 1 inside a defence envelope")
    assert s.verdict == "true"
    panel = render_html(verdict_map(verdict))
    assert panel.index("The defence claimed") < panel.index("The threat: is the target")
    # A claim without defences keeps the threat's headline.
    plain = sc.scene_for(check(Request(claim_id="grybauskaite-2018-capitals")))
    assert plain.verdict_line.startswith("FALSE \u2014 10 of 51 at 700 km")


def test_scene__no_escape_hatch_to_the_verdict(defended, scene):
    # Renderers read the scene only: no field holds the verdict (or its report), and the
    # claim's words are the report's rows, laid out.
    import dataclasses

    from coverage.claims import Verdict
    from coverage.report import Report

    values = [getattr(scene, f.name) for f in dataclasses.fields(scene)]
    values += [getattr(scene.claim, f.name) for f in dataclasses.fields(scene.claim)]
    assert not [v for v in values if isinstance(v, Verdict | Report)]
    assert not hasattr(scene, "verdict_obj")
    report = defended.report
    assert scene.claim.headline == report.headline
    assert scene.claim.figures == report.figures
    assert scene.claim.origins == report.origins
    assert scene.verdict_line == report.headline.line


def test_site_kinds__one_table_of_marks_and_words():
    assert set(sc.SITE_KINDS) == set(sc.SITE_STYLES) == set(sc.SITE_WORDS)
    for kind, k in sc.SITE_KINDS.items():
        assert sc.SITE_STYLES[kind] is k.style and sc.SITE_WORDS[kind] == k.many
    assert sc.SITE_KINDS["garrison"].one == "Garrison"
