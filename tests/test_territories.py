"""Claims about "countries": distances to the nearest point of a territory."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from coverage.claims import ad_hoc_claim, evaluate_claim, judge, load_claims
from coverage.envelopes import ad_hoc_site, envelopes
from coverage.reach import distance_to_area_km, measure
from coverage.systems import RangeEstimate, Source, load_catalog
from coverage.targets import load_targets, load_territories

GEOD = Geodesic.WGS84
SQUARE = shapely.Polygon([(10, 50), (11, 50), (11, 50.5), (10.2, 50.8)])


def brute_km(lon, lat, area, step=0.0004, stride=25):
    """Smallest GeographicLib distance to points every ``step`` degrees along the edges, km.

    The distance along one short edge has a single minimum, so every ``stride``-th
    sample finds where it lies and only the samples around it are measured: the same
    minimum over the same dense samples, with far fewer calls.
    """
    best = np.inf
    for polygon in shapely.get_parts(area):
        xy = np.asarray(polygon.exterior.coords)
        for a, b in zip(xy[:-1], xy[1:], strict=False):
            ts = np.linspace(0, 1, int(np.ceil(np.abs(b - a).max() / step)) + 1)

            def km(i, a=a, b=b, ts=ts):
                x, y = a + ts[i] * (b - a)
                return GEOD.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] / 1000

            coarse = min(range(0, len(ts), stride), key=km)
            near = range(max(0, coarse - stride), min(len(ts), coarse + stride + 1))
            best = min(best, min(km(i) for i in near))
    return best


@settings(max_examples=15)
@given(st.floats(5, 16), st.floats(47, 54))
def test_distance_to_area_km__matches_dense_geographiclib_sampling(lon, lat):
    got = distance_to_area_km(lon, lat, SQUARE)
    if shapely.intersects_xy(SQUARE, lon, lat):
        assert got == 0.0
    else:
        assert got == pytest.approx(brute_km(lon, lat, SQUARE), abs=0.07)


def test_load_territories__bundled__51_valid_and_labelled_at_capitals():
    territories = load_territories()
    capitals = {t.iso_a2: t for t in load_targets()}
    assert len(territories) == 51 and territories.kind == "territories"
    for t in territories:
        assert t.area.is_valid and t.area.geom_type in ("Polygon", "MultiPolygon")
        assert (t.lon, t.lat) == (capitals[t.iso_a2].lon, capitals[t.iso_a2].lat)
    assert len(load_territories(definition="eu27")) == 27


def test_measure__territory_never_farther_than_its_capital():
    catalog = load_catalog()
    sites = [catalog.site("chernyakhovsk"), catalog.site("krichev"), catalog.site("deveselu")]
    territories = measure(sites, load_territories().targets)
    capitals = {t.iso_a2: j for j, t in enumerate(load_targets().targets)}
    capital_km = measure(sites, load_targets().targets).km
    for j, t in enumerate(territories.targets):
        # 1.5 km: Natural Earth's Vatican outline lies about 1 km west of the GeoNames point
        assert (territories.km[:, j] <= capital_km[:, capitals[t.iso_a2]] + 1.5).all(), t.name


def test_evaluate_claim__countries_reading__more_reached_than_capitals():
    claims = load_claims()
    catalog = load_catalog()
    countries = evaluate_claim(claims["grybauskaite-2018-countries"], catalog)
    capitals = evaluate_claim(claims["grybauskaite-2018-capitals"], catalog)
    assert countries.targets.kind == "territories"
    reached = {
        r.target.iso_a2
        for r, ok in zip(countries.reaches, countries.evaluations[0].in_range, strict=False)
        if ok
    }
    assert {"RU", "PL", "LT", "LV", "BY", "SE", "DK"} <= reached
    russia = next(r for r in countries.reaches if r.target.iso_a2 == "RU")
    assert russia.distance_km == 0.0
    for a, b in zip(countries.evaluations, capitals.evaluations, strict=False):
        assert a.targets_in_range >= b.targets_in_range
    assert countries.range_needed_km <= capitals.range_needed_km


def test_in_range__territory_within_the_minimum_range_is_still_reached_beyond_it():
    site = ad_hoc_site(10.5, 50.5)  # inside SQUARE
    from coverage.targets import Target, TargetSet

    target = Target(name="square", lon=10.5, lat=50.5, area=SQUARE)
    figure = RangeEstimate(
        kind="declared", km=500, min_km=50, source=Source(title="t", url="https://x.org")
    )
    v = judge(
        ad_hoc_claim(1.0),
        envelopes([site], figure),
        TargetSet((target,), kind="territories"),
    )
    assert v.targets.kind == "territories"
    assert v.reaches[0].distance_km == 0.0 and v.evaluations[0].in_range == (True,)
    tiny = Target(
        name="tiny", lon=10.5, lat=50.5, area=shapely.box(10.45, 50.45, 10.55, 50.55)
    )  # < 8 km
    v = judge(
        ad_hoc_claim(1.0),
        envelopes([site], figure),
        TargetSet((tiny,), kind="territories"),
    )
    assert v.evaluations[0].in_range == (False,)


def test_margins__territory_reaching_into_the_dead_zone_is_measured_from_its_edge():
    from coverage.targets import Target, TargetSet

    site = ad_hoc_site(10.5, 50.5)  # inside SQUARE
    target = Target(name="square", lon=10.5, lat=50.5, area=SQUARE)
    src = Source(title="t", url="https://x.org")
    figure = RangeEstimate(kind="declared", km=500, min_km=50, source=src)
    v = judge(
        ad_hoc_claim(1.0),
        envelopes([site], figure),
        TargetSet((target,), kind="territories"),
    )
    e = v.evaluations[0]
    assert e.margins_km[0] == pytest.approx(450.0)  # from the first point beyond 50 km
    assert e.range_needed_km == pytest.approx(50.0) and v.range_needed_km == pytest.approx(50.0)


def test_load_territories__internationally_recognised_borders():
    """Natural Earth draws Crimea inside Russia (de facto); we follow UN GA res. 68/262."""
    t = {x.iso_a2: x for x in load_territories()}
    sevastopol, simferopol = (33.52, 44.60), (34.10, 44.95)
    for lon, lat in (sevastopol, simferopol):
        assert shapely.intersects_xy(t["UA"].area, lon, lat)
        assert not shapely.intersects_xy(t["RU"].area, lon, lat)
    assert shapely.intersects_xy(t["RU"].area, 37.0, 45.2)  # the Taman peninsula stays Russian
    assert distance_to_area_km(20.517, 54.717, t["RU"].area) == 0.0  # Kaliningrad
