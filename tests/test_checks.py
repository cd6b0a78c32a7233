"""Envelopes, launch areas and sectors end to end: the library's one call and the CLI's.

A notebook must reproduce any CLI verdict with one call (coverage.checks.check);
areas and sectors are checked against geographiclib, never against our own code.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from coverage.areas import area_distance_km, load_areas
from coverage.checks import Request, check, resolve_envelopes
from coverage.claims import ad_hoc_claim, evaluate_claim, judge, load_claims, verdict_to_dict
from coverage.envelopes import Envelope, ad_hoc_figure, ad_hoc_site, envelopes, group
from coverage.errors import ConflictError, ParameterError
from coverage.exports import to_json_text
from coverage.geodesy import default_tolerance_km
from coverage.sectors import Sector
from coverage.systems import Site, load_catalog
from coverage.targets import targets_from_points

GEOD = Geodesic.WGS84
OBLAST = load_areas()["kaliningrad-oblast"].geometry


def _json(verdict) -> dict:
    return json.loads(to_json_text(verdict_to_dict(verdict)))


# --------------------------------------------------------------------------- one call


@pytest.mark.cli
@pytest.mark.parametrize(
    ("args", "request_"),
    [
        ((), Request()),
        (
            ("--system", "iskander-m", "--area", "kaliningrad-oblast"),
            Request(systems=("iskander-m",), areas=("kaliningrad-oblast",)),
        ),
        (
            ("--range-km", "1000", "--at", "20.51,54.71", "--sector", "300,60"),
            Request(range_km=1000, points=((20.51, 54.71),), sector="300,60"),
        ),
        (("bild-2013-berlin-527-km",), Request(claim_id="bild-2013-berlin-527-km")),
    ],
)
def test_check__reproduces_the_cli_verdict_with_one_call(run_cli, args, request_):
    proc = run_cli("claim", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == _json(check(request_))


# --------------------------------------------------------------------------- areas


@pytest.mark.cli
def test_claim_json__area_origin__contract(run_cli):
    proc = run_cli("claim", "--system", "iskander-m", "--area", "kaliningrad-oblast", "--json")
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    for key in ("verdict", "summary", "range_needed_km", "definition", "sites", "evaluations"):
        assert key in v
    assert [s["kind"] for s in v["sites"]] == ["area"]
    lon = np.array([t["lon"] for t in v["targets"]])
    lat = np.array([t["lat"] for t in v["targets"]])
    expected = area_distance_km(OBLAST, lon, lat)
    assert [t["distance_km"] for t in v["targets"]] == expected.tolist()  # full precision
    assert {t["nearest_site"] for t in v["targets"]} == {"kaliningrad-oblast"}
    assert "azimuth_deg" not in v["targets"][0]


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


def _samples(ring, step_km: float, *, geodesic: bool = True) -> list[tuple]:
    """Each edge of a ring sampled every ``step_km`` or less, both ends included.

    An edge is ``(point, n, gap_km)``: ``point(i)`` gives sample ``i`` of ``n`` as
    (lon, lat), and no two neighbours lie more than ``gap_km`` apart. Geodesic edges are
    sampled along the geodesic (geographiclib), where neighbours are ``length / (n - 1)``
    apart along it; straight lon/lat edges are interpolated in degrees, and their gap is
    the largest one measured.
    """
    edges = []
    for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True):
        line = GEOD.InverseLine(y1, x1, y2, x2)
        n = max(2, int(math.ceil(line.s13 / 1000.0 / step_km)) + 1)
        if geodesic:

            def point(i, line=line, n=n):
                p = line.Position(line.s13 * i / (n - 1), Geodesic.LATITUDE | Geodesic.LONGITUDE)
                return p["lon2"], p["lat2"]

            gap = line.s13 / 1000.0 / (n - 1)
        else:

            def point(i, a=(x1, y1), b=(x2, y2), n=n):
                t = i / (n - 1)
                return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])

            gap = max(_km(*point(i), *point(i + 1)) for i in range(n - 1))
        edges.append((point, n, gap))
    return edges


def _runs(edges, per_run: int) -> list[tuple[tuple[float, float], float, range, object]]:
    """Cut sampled edges into runs: (middle sample, radius bound in km, indices, point)."""
    out = []
    for point, n, gap in edges:
        for start in range(0, n, per_run):
            indices = range(start, min(n, start + per_run))
            middle = indices[len(indices) // 2]
            radius = gap * max(middle - indices[0], indices[-1] - middle)
            out.append((point(middle), radius, indices, point))
    return out


def _brute_min_km(a_edges, b_edges, per_run: int) -> float:
    """Least geographiclib distance between a sample of ``a_edges`` and one of ``b_edges``.

    Exactly the minimum over every pair of samples, without measuring every pair: the
    samples of a run lie within its radius of its middle one, so (triangle inequality)
    two runs whose middles are more than the best distance found plus both radii apart
    hold no nearer pair; every other pair of runs is measured sample by sample.
    """
    pairs = []
    for ma, ra, ia, pa in _runs(a_edges, per_run):
        for mb, rb, ib, pb in _runs(b_edges, per_run):
            km = _km(*ma, *mb)
            pairs.append((km - ra - rb, km, ia, pa, ib, pb))
    pairs.sort(key=lambda pair: pair[0])
    best = min(pair[1] for pair in pairs)  # the distance of two real samples
    for bound, _, ia, pa, ib, pb in pairs:
        if bound > best:
            break  # sorted by their bound: no later pair of runs can hold a nearer one
        b_points = [pb(j) for j in ib]
        best = min(best, *(_km(*pa(i), *b) for i in ia for b in b_points))
    return best


def _brute_area_km(ring: np.ndarray, lon: float, lat: float, step_km: float = 0.002) -> float:
    """Distance to a polygon boundary whose edges are geodesics, sampled every 2 m."""
    at = [(lambda i: (lon, lat), 1, 0.0)]
    return _brute_min_km(_samples(ring.tolist(), step_km), at, per_run=100)


@pytest.mark.cli
def test_claim_area_file__across_antimeridian__within_1_m_of_brute_force(run_cli, tmp_path):
    # One area split at +-180 (RFC 7946): 178E..178W, 64N..66N, with a hole.
    east = [[178.0, 64.0], [180.0, 64.0], [180.0, 66.0], [178.0, 66.0], [178.0, 64.0]]
    west = [[-180.0, 64.0], [-178.0, 64.0], [-178.0, 66.0], [-180.0, 66.0], [-180.0, 64.0]]
    hole = [[178.6, 64.6], [178.6, 65.2], [179.2, 65.2], [179.2, 64.6], [178.6, 64.6]]
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[east, hole], [west]]}))
    points = [("north", 179.5, 67.0), ("west", -176.0, 65.1), ("in hole", 178.9, 64.9)]
    targets = tmp_path / "t.geojson"
    targets.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": n},
                        "geometry": {"type": "Point", "coordinates": [x, y]},
                    }
                    for n, x, y in points
                ],
            }
        )
    )
    proc = run_cli(
        "claim", "--range-km", "100", "--area-file", str(area), "--targets", str(targets), "--json"
    )
    assert proc.returncode == 0, proc.stderr
    got = {t["name"]: t["distance_km"] for t in json.loads(proc.stdout)["targets"]}
    # Brute force along the geodesic edges of the real boundary (the seam is not one).
    boundary = {
        "north": np.array([[178.0, 66.0], [180.0, 66.0]]),
        "west": np.array([[-178.0, 64.0], [-178.0, 66.0]]),
        "in hole": np.array(hole),
    }
    for name, ring in boundary.items():
        lon, lat = next((x, y) for n, x, y in points if n == name)
        assert abs(got[name] - _brute_area_km(ring, lon, lat)) < 0.001, name


@pytest.mark.cli
def test_rings_area__rfc7946_envelope_within_tolerance(run_cli, tmp_path):
    out = tmp_path / "F.geojson"
    proc = run_cli("rings", "--area", "kaliningrad-oblast", "--range-km", "500", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(out.read_text())
    (feature,) = fc["features"]
    geom = shape(feature["geometry"])
    assert geom.is_valid and geom.geom_type == "Polygon"
    assert shapely.is_ccw(geom.exterior)
    xy = shapely.get_coordinates(geom.exterior)
    d = area_distance_km(OBLAST, xy[:, 0], xy[:, 1])
    tolerance = default_tolerance_km(500.0)
    assert np.all(np.abs(d - 500.0) <= tolerance + 1e-6), (d.min(), d.max())
    assert geom.contains(shapely.Point(21.4, 54.8))


@pytest.mark.cli
def test_rings_area_file__across_antimeridian__split(run_cli, tmp_path):
    east = [[178.0, 64.0], [180.0, 64.0], [180.0, 66.0], [178.0, 66.0], [178.0, 64.0]]
    west = [[-180.0, 64.0], [-178.0, 64.0], [-178.0, 66.0], [-180.0, 66.0], [-180.0, 64.0]]
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[east], [west]]}))
    out = tmp_path / "F.geojson"
    proc = run_cli("rings", "--area-file", str(area), "--range-km", "300", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    geom = shape(json.loads(out.read_text())["features"][0]["geometry"])
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    xy = shapely.get_coordinates(geom)
    assert xy[:, 0].min() >= -180.0 and xy[:, 0].max() <= 180.0
    assert xy[:, 0].min() < -170.0 and xy[:, 0].max() > 170.0


@pytest.mark.cli
def test_claim__sector_on_area__refused_in_one_line(run_cli):
    proc = run_cli("claim", "--range-km", "500", "--area", "kaliningrad-oblast", "--sector", "0,90")
    assert proc.returncode != 0
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "--sector" in lines[0] and "area" in lines[0]
    assert "Traceback" not in proc.stderr


def test_evaluate_claim__reading_with_areas__judged_from_both_origins():
    claim = load_claims()["bild-2013-berlin-527-km"]
    v = evaluate_claim(claim, load_catalog())
    towns, oblast = v.by_origin
    assert [s.kind for s in towns.sites] == ["point", "point"]
    assert [s.kind for s in oblast.sites] == ["area"]
    berlin = v.targets.targets[0]
    from_oblast = float(area_distance_km(OBLAST, berlin.lon, berlin.lat))
    assert oblast.range_needed_km == pytest.approx(from_oblast, abs=1e-9)
    assert towns.range_needed_km == pytest.approx(v.reaches[0].distance_km, abs=1e-9)
    assert from_oblast < 500.0 < towns.range_needed_km  # the origin decides at 500 km
    assert oblast.in_range[0] == 1 and towns.in_range[0] == 0


def test_site__area_in_catalogue_yaml(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "schema_version: 1\nsites:\n"
        "  - {id: oblast, name: Oblast, area: kaliningrad-oblast}\n"
        "  - {id: battery, name: Battery, lon: 20.0, lat: 54.9, sector: [300, 60]}\n"
    )
    catalog = load_catalog(path)
    assert catalog.site("oblast").kind == "area"
    assert catalog.site("battery").kind == "point"
    (e,) = envelopes([catalog.site("battery")], ad_hoc_figure(300))
    assert e.sector == Sector(300, 60)
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nsites:\n  - {id: o, name: O, area: atlantis}\n")
    with pytest.raises(Exception, match=r"bad.yaml:3.*atlantis"):
        load_catalog(bad)


# --------------------------------------------------------------------------- sectors


def _in_sector(az: float, lo: float, hi: float) -> bool:
    az %= 360.0
    return lo <= az <= hi if lo < hi else (az >= lo or az <= hi)


lons = st.floats(-180.0, 180.0, allow_nan=False)
lats = st.floats(-89.0, 89.0, allow_nan=False)
azimuths = st.floats(0.0, 359.0, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lon=lons,
    lat=st.one_of(lats, st.sampled_from([88.9, -88.9, 0.0])),
    lo=azimuths,
    width=st.floats(5.0, 300.0),
    km=st.floats(100.0, 15_000.0),
    points=st.lists(st.tuples(lons, lats), min_size=5, max_size=25),
)
def test_judge__sector_membership_matches_geographiclib(lon, lat, lo, width, km, points):
    hi = (lo + width) % 360.0
    assume(abs(hi - lo) > 1e-6)
    sector = Sector(lo, hi)
    targets = targets_from_points([(f"p{i}", x, y) for i, (x, y) in enumerate(points)])
    v = judge(
        ad_hoc_claim(0.5),
        envelopes([ad_hoc_site(lon, lat)], ad_hoc_figure(km), sector=sector),
        targets,
    )
    for j, (x, y) in enumerate(points):
        ref = GEOD.Inverse(lat, lon, y, x)
        d, az = ref["s12"] / 1000.0, ref["azi1"] % 360.0
        near_edge = min(abs((az - lo + 180) % 360 - 180), abs((az - hi + 180) % 360 - 180))
        assume(abs(d - km) > 1e-6 and near_edge > 1e-7 and d > 1e-3)
        expected = d <= km and _in_sector(az, lo, hi)
        assert v.evaluations[0].in_range[j] == expected, (x, y, d, az)
        assert v.reaches[j].azimuth_deg == pytest.approx(az, abs=1e-7) or (
            abs(v.reaches[j].azimuth_deg - az) > 359.9
        )


def test_envelope__outside_sector__margin_minus_inf_and_no_range_needed():
    site = ad_hoc_site(20.51, 54.71)
    e = Envelope(site, None, ad_hoc_figure(1000), Sector(180, 300))
    near = np.array([500.0, 500.0, 0.0])
    az = np.array([200.0, 10.0, 10.0])
    m = e.margins_km(near, None, az)
    assert m[0] == 500.0 and m[1] == -np.inf and m[2] == 1000.0  # the origin: any sector
    assert e.reach_km(near, None, az).tolist() == [500.0, np.inf, 0.0]
    with pytest.raises(ParameterError, match="azimuth_deg"):
        e.margins_km(near)
    assert "sector 180°–300°" in e.title


def test_envelope__sector_on_area__refused():
    oblast = Site(id="o", name="Oblast", area="kaliningrad-oblast")
    with pytest.raises(ParameterError, match="sector"):
        Envelope(oblast, None, ad_hoc_figure(500), Sector(0, 90))


def test_group__one_layer_per_figure_best_margin_over_origins():
    a, b = ad_hoc_site(0.0, 0.0, name="A"), ad_hoc_site(10.0, 0.0, name="B")
    layers = group(envelopes([a, b], [ad_hoc_figure(300), ad_hoc_figure(900)]))
    assert [len(layer.envelopes) for layer in layers] == [2, 2]
    targets = targets_from_points([("t", 10.5, 0.0)])
    v = judge(ad_hoc_claim(1.0), [e for layer in layers for e in layer.envelopes], targets)
    from_b = GEOD.Inverse(0.0, 10.0, 0.0, 10.5)["s12"] / 1000.0
    assert v.evaluations[0].margins_km[0] == pytest.approx(300.0 - from_b, abs=1e-9)


# --------------------------------------------------------------------------- parameters


def test_check__library_errors_name_parameters_not_options():
    with pytest.raises(ParameterError) as err:
        check(Request(range_km=-5.0, points=((0.0, 0.0),)))
    assert "--" not in str(err.value) and "max_km" in str(err.value)
    with pytest.raises(ConflictError, match="claim_id") as conflict:
        check(Request(claim_id="grybauskaite-2018-capitals", range_km=300.0))
    assert "--" not in str(conflict.value)
    with pytest.raises(ConflictError, match="range_km needs an origin"):
        resolve_envelopes(Request(range_km=300.0))


def test_rings_gdf__error_names_the_parameter():
    from coverage.frames import rings_gdf

    with pytest.raises(ParameterError) as err:
        rings_gdf(ad_hoc_site(0.0, 0.0), range_km=-5)
    assert "--" not in str(err.value)


# --------------------------------------------------------------------------- bulk


@pytest.mark.parametrize(
    "kind",
    ["point", "annulus", "sector", "area", "area with minimum range"],
)
def test_within_envelope__same_membership_as_exact_rule(kind):
    from coverage.envelopes import within_envelope

    rng = np.random.default_rng(7)
    lon = rng.uniform(5.0, 40.0, 400)
    lat = rng.uniform(45.0, 65.0, 400)
    point = ad_hoc_site(20.51, 54.71)
    oblast = Site(id="o", name="Oblast", area="kaliningrad-oblast")
    figure = ad_hoc_figure(
        700.0, min_km=200.0 if kind in ("annulus", "area with minimum range") else 0.0
    )
    origin = oblast if kind.startswith("area") else point
    sector = Sector(200, 20) if kind == "sector" else None
    envelope = Envelope(origin, None, figure, sector)
    got = within_envelope(envelope, lon, lat)
    if origin is point:  # geographiclib, point by point
        expected = []
        for x, y in zip(lon, lat, strict=True):
            ref = GEOD.Inverse(point.lat, point.lon, y, x)
            d, az = ref["s12"] / 1000.0, ref["azi1"] % 360.0
            ok = figure.min_km <= d <= figure.km
            expected.append(ok and (sector is None or _in_sector(az, 200, 20)))
    else:  # the verdict's own distances (areas are checked against geographiclib elsewhere)
        targets = targets_from_points(
            [(f"p{i}", x, y) for i, (x, y) in enumerate(zip(lon, lat, strict=True))]
        )
        expected = judge(ad_hoc_claim(1.0), [envelope], targets).evaluations[0].in_range
    assert got.tolist() == list(expected)
    assert 0 < got.sum() < len(got)


# --------------------------------------------------------------------------- area to territory


def test_measure__area_to_territory__matches_brute_force():
    from coverage.reach import measure
    from coverage.targets import Target

    area_ring = [[20.0, 54.0], [21.0, 54.0], [21.0, 55.0], [20.0, 55.0], [20.0, 54.0]]
    territory_ring = [[22.5, 53.0], [24.0, 54.6], [22.2, 56.0], [22.5, 53.0]]
    area = Site(id="a", name="A", geometry=shapely.Polygon(area_ring))
    territory = Target(name="T", lon=23.0, lat=54.5, area=shapely.Polygon(territory_ring))
    d = measure([area], [territory])
    # Every 1 km along both boundaries: the area's edges are geodesics, the territory's
    # straight in lon/lat (as a country's outline is drawn).
    brute = _brute_min_km(
        _samples(area_ring, 1.0), _samples(territory_ring, 1.0, geodesic=False), per_run=10
    )
    assert abs(float(d.km[0, 0]) - brute) < 0.1, (float(d.km[0, 0]), brute)
    assert float(d.far_km[0, 0]) > float(d.km[0, 0])


def test_evaluate_claim__countries_from_the_oblast__overlap_is_zero(bundled_verdict):
    v = bundled_verdict("grybauskaite-2018-countries")  # evaluate_claim, once per worker
    towns, oblast = v.by_origin
    assert [s.kind for s in oblast.sites] == ["area"]
    # More countries are reached from anywhere in the oblast than from the towns.
    assert all(o >= t for o, t in zip(oblast.in_range, towns.in_range, strict=True))
    assert oblast.range_needed_km <= towns.range_needed_km


def test_request__repeated_defences__merged_with_no_loss():
    one = "patriot-pac-3-mse@warsaw-babice"
    request = Request(systems=("iskander-m",), sites=("chernyakhovsk",), defences=(one,))
    from coverage.errors import CoverageWarning

    with pytest.warns(CoverageWarning, match=r"given more than once, counted once: .* x10,000"):
        many = Request(
            systems=("iskander-m",),
            sites=("chernyakhovsk",),
            defences=(one,) * 5_000 + ("patriot-pac-3-mse @ warsaw-babice",) * 5_000,
        )
    assert many.defences == (one,) == request.defences
    assert Request(defences=one).defences == (one,)  # one string is one defence, not letters
    assert verdict_to_dict(check(many)) == verdict_to_dict(check(request))


def test_request__claims_anything_and_default_output_name():
    from coverage.checks import default_output_name

    named = Request()
    ad_hoc = Request(range_km=1000.0, points=((20.51, 54.71),))
    assert named.claims_anything and not ad_hoc.claims_anything
    assert Request(range_km=1000.0, points=((20.51, 54.71),), share=0.5).claims_anything
    assert default_output_name(named, check(named)) == "grybauskaite-2018-capitals.html"
    assert default_output_name(ad_hoc, None, ".png") == "1000km-from-20.51e-54.71n.png"
    west = Request(systems=("sarmat",), points=((-70.5, -40.0),))
    assert default_output_name(west, None) == "sarmat-from-70.5w-40s.html"


def _docstrings(tree) -> set[int]:
    """ids of the docstring nodes of a module, its classes and functions."""
    import ast

    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr):
            found.add(id(node.body[0].value))
    return found


def test_library__no_message_names_a_command_line_option():
    """Only coverage.cli words options; the library names its parameters (issue 21 item 6)."""
    import ast
    import re
    from pathlib import Path

    import coverage

    # A CSS custom property (``--tc-sea: ...``) is not an option: its name is followed by ':'.
    option = re.compile(r"(?<![\w`-])--[a-z][a-z-]+(?![a-z-]*:)")
    root = Path(coverage.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if "cli" in path.relative_to(root).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in skip and option.search(node.value):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


@pytest.mark.parametrize(
    "request_",
    [
        Request(claim_id="grybauskaite-2018-capitals", defences=("patriot-pac-3-mse@sochaczew",)),
        Request(
            systems=("iskander-m",),
            sites=("chernyakhovsk",),
            defences=("patriot-pac-3-mse@sochaczew",),
        ),
    ],
    ids=["named", "ad-hoc"],
)
def test_check__loads_each_file_once(monkeypatch, request_):
    """A request's catalogue and definitions are loaded once (one context), defences included."""
    import coverage.checks as checks
    import coverage.targets as targets

    calls = {"catalog": 0, "definitions": 0}

    def counted(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(checks, "_load_catalog", counted("catalog", checks._load_catalog))
    monkeypatch.setattr(
        targets, "load_definitions", counted("definitions", targets.load_definitions)
    )
    v = check(request_)
    assert calls == {"catalog": 1, "definitions": 1}
    assert [c.defence.id for c in v.defences][-1] == "patriot-pac-3-mse@sochaczew"


def test_check__ad_hoc_range_needs_no_catalogue(monkeypatch):
    """An ad hoc range from a point names no system or site: no catalogue is read."""
    import coverage.checks as checks

    def refuse(*args, **kwargs):
        raise AssertionError("the catalogue was loaded")

    monkeypatch.setattr(checks, "_load_catalog", refuse)
    v = check(Request(range_km=1000, points=((20.51, 54.71),)))
    assert v.evaluations[0].targets_in_range == 15


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2018-02-30", r"^as_of: '2018-02-30' is not a real date"),
        ("soon", r"^as_of: 'soon' is not a date; give YYYY-MM-DD, YYYY-MM or YYYY"),
        (2018, r"^as_of: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got int"),
    ],
)
def test_request__bad_as_of__refused_when_made(as_of, message):
    """A Request reads its date when it is made: no check starts on a bad one."""
    with pytest.raises(ParameterError, match=message) as caught:
        Request(range_km=500, points=((20.5, 54.7),), as_of=as_of)
    assert caught.value.parameter == "as_of"
    good = Request(range_km=500, points=((20.5, 54.7),), as_of="2018-02")
    assert good.as_of == "2018-02"  # kept as given
    assert check(good).report.as_of.day.text == "2018-02"
