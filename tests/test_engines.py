"""One membership engine: the full matrix and the k-d tree give the same verdicts.

:func:`coverage.reach.measure` measures with the whole site x target matrix or with
the k-d tree of :mod:`coverage.bulk` (nearest sites and the pairs within reach);
every verdict must come out the same to the bit, margins and ranges needed
included, whichever engine measured it.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coverage.claims import ad_hoc_claim, evaluate_claim, judge, load_claims, verdict_to_dict
from coverage.envelopes import ad_hoc_figure, envelopes, group
from coverage.errors import ParameterError
from coverage.reach import AUTO_TREE_PAIRS, measure
from coverage.systems import Site, area_site, load_catalog
from coverage.targets import Target, TargetSet, load_territories

WGS84 = Geodesic.WGS84


def _site(i: int, lon: float, lat: float) -> Site:
    return Site(id=f"s{i}", name=f"Site {i}", lon=lon, lat=lat, location_precision="user")


def _target(i: int, lon: float, lat: float) -> Target:
    return Target(name=f"T{i}", country="Testland", iso_a2="XX", lon=lon, lat=lat)


def _json(verdict) -> str:
    return json.dumps(verdict_to_dict(verdict), sort_keys=True)


def _both(claim, covering, targets):
    matrix = judge(claim, covering, targets, engine="matrix")
    tree = judge(claim, covering, targets, engine="tree")
    assert matrix.distances.engine == "matrix"
    assert tree.distances.engine == "tree"
    return matrix, tree


@pytest.mark.parametrize("claim_id", list(load_claims()))
def test_bundled_claims__same_json_from_both_engines(claim_id):
    claim = load_claims()[claim_id]
    catalog = load_catalog()
    if claim.reading.targets == "territories":
        # Territories are measured pair by pair: the tree hands them to the matrix
        # (the same code path, so the same JSON) and says why.
        (country,) = load_territories().only(["DE"]).targets
        d = measure([catalog.site("chernyakhovsk")], [country], engine="tree", within_km=1e4)
        assert d.engine == "matrix" and d.reason.startswith("territories")
        return
    matrix = evaluate_claim(claim, catalog, engine="matrix")
    tree = evaluate_claim(claim, catalog, engine="tree")
    assert _json(tree) == _json(matrix)
    if claim.reading.targets == "territories" or not claim.reading.sites:
        assert tree.distances.engine == "matrix"
        assert tree.distances.reason  # why the tree could not hold it
    else:
        assert tree.distances.engine == "tree"


lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-80, 80, allow_nan=False)
points = st.tuples(lons, lats)


near_offsets = st.lists(
    st.tuples(st.integers(0, 5), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5)), max_size=10
)


@st.composite
def sites_and_targets(draw):
    """Sites, and targets anywhere plus targets close to a site (in its dead zone or not)."""
    sites = draw(st.lists(points, min_size=2, max_size=6))
    targets = draw(st.lists(points, max_size=15))
    for i, dx, dy in draw(near_offsets):
        lon, lat = sites[i % len(sites)]
        targets.append((((lon + dx + 180.0) % 360.0) - 180.0, max(-89.0, min(89.0, lat + dy))))
    if not targets:
        targets.append(sites[0])
    return sites, targets


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    both=sites_and_targets(),
    max_km=st.floats(50, 6000),
    min_frac=st.sampled_from([0.0, 0.0, 0.05, 0.3, 0.8]),
    share=st.sampled_from([0.1, 0.5, 1.0]),
)
@example(  # a target in one origin's dead zone and in another's range
    both=([(20.0, 50.0), (24.0, 50.0)], [(20.1, 50.0), (30.0, 50.0)]),
    max_km=400.0,
    min_frac=0.3,
    share=0.5,
)
def test_random_sites_and_targets__same_json_from_both_engines(both, max_km, min_frac, share):
    sites, targets = both
    origin = [_site(i, lon, lat) for i, (lon, lat) in enumerate(sites)]
    aimed = TargetSet(tuple(_target(i, lon, lat) for i, (lon, lat) in enumerate(targets)))
    covering = envelopes(origin, ad_hoc_figure(max_km, min_km=min_frac * max_km))
    matrix, tree = _both(ad_hoc_claim(share), covering, aimed)
    assert _json(tree) == _json(matrix)
    # ...and both against geographiclib: in range of some origin by exact distance.
    for j, (tlon, tlat) in enumerate(targets):
        d = [WGS84.Inverse(lat, lon, tlat, tlon)["s12"] / 1000.0 for lon, lat in sites]
        inside = any(min_frac * max_km <= x <= max_km for x in d)
        if min(abs(x - max_km) for x in d) > 1e-6 and (
            min_frac == 0 or min(abs(x - min_frac * max_km) for x in d) > 1e-6
        ):
            assert tree.evaluations[0].in_range[j] == inside
        assert math.isclose(tree.reaches[j].distance_km, min(d), abs_tol=1e-6)


def test_dead_zone_of_one_origin_in_range_of_another():
    # T0 is 7 km from s0 (inside its 120 km minimum range) and 300 km from s1.
    origin = [_site(0, 20.0, 50.0), _site(1, 24.2, 50.0)]
    aimed = TargetSet((_target(0, 20.1, 50.0), _target(1, 40.0, 50.0)))
    covering = envelopes(origin, ad_hoc_figure(400.0, min_km=120.0))
    matrix, tree = _both(ad_hoc_claim(0.5), covering, aimed)
    assert tree.evaluations[0].in_range == (True, False)
    assert tree.evaluations[0].margins_km == matrix.evaluations[0].margins_km
    assert tree.evaluations[0].range_needed_km == matrix.evaluations[0].range_needed_km


def test_dead_zone_of_every_near_origin__measured_from_every_origin():
    # T0 lies in the dead zone of s0 (and nothing else is within reach), while s1,
    # 5,000 km away and beyond reach, is its only origin at or beyond the minimum
    # range: the range needed for T0 is its distance to s1.
    origin = [_site(0, 0.0, 0.0), _site(1, 45.0, 0.0)]
    aimed = TargetSet((_target(0, 0.5, 0.0),))
    covering = envelopes(origin, ad_hoc_figure(300.0, min_km=100.0))
    matrix, tree = _both(ad_hoc_claim(1.0), covering, aimed)
    far = WGS84.Inverse(0.0, 45.0, 0.0, 0.5)["s12"] / 1000.0
    assert tree.evaluations[0].range_needed_km == pytest.approx(far, abs=1e-6)
    assert _json(tree) == _json(matrix)


def test_tree__distances_bit_identical_to_matrix():
    rng = np.random.default_rng(7)
    origin = [
        _site(i, *xy)
        for i, xy in enumerate(zip(rng.uniform(-10, 30, 30), rng.uniform(40, 60, 30), strict=True))
    ]
    aimed = [
        _target(i, *xy)
        for i, xy in enumerate(
            zip(rng.uniform(-15, 40, 500), rng.uniform(35, 65, 500), strict=True)
        )
    ]
    matrix = measure(origin, aimed, engine="matrix")
    tree = measure(origin, aimed, engine="tree", within_km=800.0)
    assert np.array_equal(tree.nearest_km, matrix.nearest_km)
    assert np.array_equal(tree.nearest_index, matrix.nearest_index)
    for i, s in enumerate(origin):
        row = tree.of(s)[0]
        held = np.isfinite(row)
        assert np.array_equal(row[held], matrix.km[i][held])
        assert np.array_equal(held, matrix.km[i] <= 800.0)  # exactly the pairs within reach
    assert tree.km is None


def test_tree__layer_beyond_what_was_held__refused():
    origin = [_site(0, 0.0, 0.0), _site(1, 10.0, 0.0)]
    aimed = [_target(0, 5.0, 0.0)]
    held = measure(origin, aimed, engine="tree", within_km=100.0)
    (layer,) = group(envelopes(origin, ad_hoc_figure(500.0)))
    with pytest.raises(ParameterError, match="within_km") as err:
        layer.margins_km(held)
    assert err.value.parameter == "distances"


def test_auto__chooses_by_size():
    origin = [_site(i, i / 10, 0.0) for i in range(50)]
    few = [_target(0, 0.5, 0.5)]
    assert measure(origin, few).engine == "matrix"
    m = AUTO_TREE_PAIRS // 50 + 1
    lon = np.linspace(-5, 5, m)
    many = [_target(i, float(x), 1.0) for i, x in enumerate(lon)]
    assert measure(origin, many, within_km=10.0).engine == "tree"


def test_areas__matrix_forced_with_reason():
    origin = [area_site("kaliningrad-oblast"), _site(1, 20.0, 50.0)]
    d = measure(origin, [_target(0, 13.4, 52.5)], engine="tree", within_km=600.0)
    assert d.engine == "matrix"
    assert "launch areas" in d.reason


def test_sectors__matrix_forced_with_reason_and_same_verdict():
    from coverage.sectors import Sector

    origin = [_site(0, 20.0, 54.0), _site(1, 24.0, 55.0)]
    aimed = TargetSet(tuple(_target(i, 10.0 + 3 * i, 50.0 + i) for i in range(6)))
    covering = envelopes(origin, ad_hoc_figure(900.0, min_km=100.0), sector=Sector(200, 300))
    tree = judge(ad_hoc_claim(0.5), covering, aimed, engine="tree")
    matrix = judge(ad_hoc_claim(0.5), covering, aimed, engine="matrix")
    assert tree.distances.engine == "matrix" and "sector" in tree.distances.reason
    assert matrix.distances.reason is None
    assert _json(tree) == _json(matrix)


@pytest.mark.parametrize("bad", [{"engine": "gpu"}, {"within_km": -1.0}, {"dead_km": float("nan")}])
def test_measure__bad_engine_options(bad):
    with pytest.raises(ParameterError) as err:
        measure([_site(0, 0.0, 0.0)], [_target(0, 1.0, 1.0)], **bad)
    assert err.value.parameter == next(iter(bad))
