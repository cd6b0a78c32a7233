"""Verdicts: every distance against geographiclib, and the edge cases of counting."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from coverage import ParameterError
from coverage.claims import (
    ad_hoc_claim,
    judge,
    verdict_to_dict,
)
from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
from coverage.geodesy import distance_km
from coverage.systems import RangeEstimate, Source
from coverage.targets import TargetSet, load_targets, targets_from_points

GEOD = Geodesic.WGS84
SRC = Source(title="test", url="https://example.org/test")


def fig(km, kind="declared", min_km=0.0):
    return RangeEstimate(kind=kind, km=km, min_km=min_km, source=SRC)


@pytest.fixture(scope="module")
def kaliningrad(kaliningrad_verdict):
    return kaliningrad_verdict


def test_evaluate_claim__kaliningrad__every_distance_matches_geographiclib(kaliningrad):
    v = kaliningrad
    assert len(v.reaches) == 51 and v.definition.id == "europe-all"
    for j, r in enumerate(v.reaches):
        refs = [
            GEOD.Inverse(s.lat, s.lon, r.target.lat, r.target.lon)["s12"] / 1000 for s in v.sites
        ]
        assert r.distance_km == pytest.approx(min(refs), abs=1e-6)
        assert r.nearest_site == v.sites[int(np.argmin(refs))]
        for e in v.evaluations:
            inside = any(e.figure.min_km <= d <= e.range_km for d in refs)
            assert e.in_range[j] == inside
            band = [e.range_km - d if d >= e.figure.min_km else d - e.figure.min_km for d in refs]
            assert e.margins_km[j] == pytest.approx(max(band), abs=1e-6)
            assert (e.margins_km[j] >= 0) == e.in_range[j]


def test_evaluate_claim__kaliningrad__verdict_and_range_needed(kaliningrad):
    v = kaliningrad
    assert v.required == 26
    distances = sorted(r.distance_km for r in v.reaches)
    assert v.range_needed_km == distances[25]
    assert v.verdict == "false"  # the 500 and 700 km figures reach far fewer than 26 capitals
    assert {e.kind for e in v.evaluations} == {"declared", "estimated"}
    assert all(not e.holds for e in v.evaluations)
    vilnius = next(r for r in v.reaches if r.target.name == "Vilnius")
    assert all(e.in_range[v.reaches.index(vilnius)] for e in v.evaluations)
    ids = [o.definition.id for o in v.by_definition]
    assert ids == ["europe-all", "eu27", "eu", "nato-europe", "council-of-europe", "un-europe"]
    eu = v.by_definition[1]
    eu_targets = load_targets(definition="eu27")
    eu_d = sorted(min(distance_km(s.lon, s.lat, t.lon, t.lat) for s in v.sites) for t in eu_targets)
    assert eu.count == 27 and eu.required == 14
    assert eu.range_needed_km == pytest.approx(eu_d[13], abs=1e-9)


def test_judge__target_exactly_at_the_range_is_in_range():
    site = ad_hoc_site(10.0, 50.0)
    p = GEOD.Direct(50.0, 10.0, 77.0, 400_000.0)
    targets = targets_from_points([("edge", p["lon2"], p["lat2"])])
    d = distance_km(10.0, 50.0, p["lon2"], p["lat2"])
    at = judge(ad_hoc_claim(1.0), envelopes([site], fig(d)), targets)
    assert at.evaluations[0].in_range == (True,) and at.verdict == "true"
    below = judge(ad_hoc_claim(1.0), envelopes([site], fig(math.nextafter(d, 0))), targets)
    assert below.evaluations[0].in_range == (False,) and below.verdict == "false"
    assert at.range_needed_km == d


def test_judge__ties_at_the_kth_distance():
    site = ad_hoc_site(0.0, 0.0)
    targets = targets_from_points(
        [("near", 0.5, 0), ("east", 2, 0), ("west", -2, 0), ("far", 5, 0)]
    )
    v = judge(ad_hoc_claim(0.5), envelopes([site], fig(300)), targets)
    d_tie = distance_km(0, 0, 2, 0)
    assert d_tie == distance_km(0, 0, -2, 0)
    assert v.required == 2 and v.range_needed_km == d_tie
    at_tie = judge(ad_hoc_claim(0.5), envelopes([site], fig(d_tie)), targets)
    assert at_tie.evaluations[0].targets_in_range == 3 and at_tie.verdict == "true"


def test_judge__several_sites__nearest_decides_and_min_range_per_site():
    west, east = ad_hoc_site(0.0, 0.0, name="west"), ad_hoc_site(10.0, 0.0, name="east")
    targets = targets_from_points([("by-west", 0.2, 0), ("by-east", 9.9, 0)])
    v = judge(ad_hoc_claim(1.0), envelopes([west, east], fig(100, min_km=15)), targets)
    assert [r.nearest_site.name for r in v.reaches] == ["west", "east"]
    # by-east is 11 km from east (inside the minimum range) and ~1,100 km from west
    assert v.evaluations[0].in_range == (True, False)
    assert v.verdict == "false"


def test_judge__depends_on_range():
    site = ad_hoc_site(0.0, 0.0)
    targets = targets_from_points([("a", 1, 0), ("b", 6, 0)])
    v = judge(
        ad_hoc_claim(1.0),
        envelopes([site], [fig(200), fig(800, kind="estimated")]),
        targets,
    )
    assert v.verdict == "depends on range"
    assert [e.holds for e in v.evaluations] == [False, True]


def test_judge__empty_target_set_and_bad_share_are_refused():
    site = ad_hoc_site(0.0, 0.0)
    with pytest.raises(ParameterError, match="empty"):
        judge(ad_hoc_claim(0.5), envelopes([site], fig(100)), TargetSet(()))
    for share in (0, 1.5, float("nan"), -0.1):
        with pytest.raises(ParameterError, match="share"):
            ad_hoc_claim(share)


def test_load_targets__definition_without_targets_is_refused(tmp_path):
    import json

    path = tmp_path / "t.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                        "properties": {"name": "A", "definitions": ["eu27"]},
                    }
                ],
            }
        )
    )
    with pytest.raises(ParameterError, match="selects no targets"):
        load_targets(path, definition="nato-europe")


def test_verdict_to_dict__full_precision_distances(kaliningrad):
    d = verdict_to_dict(kaliningrad)
    nearest = min(kaliningrad.reaches, key=lambda r: r.distance_km)
    assert d["targets"][0]["name"] == nearest.target.name  # nearest first (issue 17)
    assert d["targets"][0]["distance_km"] == nearest.distance_km
    distances = [t["distance_km"] for t in d["targets"]]
    assert distances == sorted(distances)
    assert d["definition"] == {"id": "europe-all", "name": kaliningrad.definition.name, "count": 51}


def test_ad_hoc_figure__bad_ranges():
    with pytest.raises(ParameterError, match="min"):
        ad_hoc_figure(100, min_km=200)
    with pytest.raises(ParameterError, match="antipodal"):
        ad_hoc_figure(30_000)


def test_judge__minimum_range__dead_zone_margins_and_range_needed():
    site = ad_hoc_site(0.0, 0.0)
    targets = targets_from_points([("close", 1, 0), ("mid", 4, 0), ("far", 8, 0)])
    d = [distance_km(0, 0, x, 0) for x in (1, 4, 8)]  # ~111, ~445, ~890 km
    v = judge(ad_hoc_claim(2 / 3), envelopes([site], fig(1000, min_km=200)), targets)
    e = v.evaluations[0]
    assert e.in_range == (False, True, True)
    assert e.margins_km[0] == pytest.approx(d[0] - 200)  # negative: inside the dead zone
    assert e.margins_km[1] == pytest.approx(1000 - d[1])
    # "close" can never be reached with a 200 km minimum: the 2nd target that can is "far"
    assert e.range_needed_km == pytest.approx(d[2])
    assert v.range_needed_km == pytest.approx(d[2])
    none = judge(ad_hoc_claim(1.0), envelopes([site], fig(1000, min_km=200)), targets)
    assert none.evaluations[0].range_needed_km == math.inf and none.verdict == "false"
    # The report says why: the dead zone, not a sector; JSON has null and the code.
    assert none.report.no_range_because == "inside_minimum_range"
    assert none.range_needed_text.endswith("too many targets lie inside the minimum range")
    d = verdict_to_dict(none)
    assert d["range_needed_km"] is None and d["no_range_because"] == "inside_minimum_range"
    assert d["verdict"] == d["reach_verdict"] == "false" and d["question"] == "reach"
