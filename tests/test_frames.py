"""GeoDataFrame API: conversion, reach by exact distance, rings, verdicts, errors."""

from __future__ import annotations

import doctest
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from shapely import LineString, Point, Polygon

from coverage import frames
from coverage.claims import evaluate_claim, load_claims
from coverage.errors import CoordinateError, DataError, ParameterError, UnknownNameError
from coverage.frames import (
    gdf_to_targets,
    reach_gdf,
    rings_gdf,
    sites_gdf,
    targets_to_gdf,
    verdict_gdf,
)
from coverage.targets import load_targets

WGS84 = Geodesic.WGS84


@pytest.fixture(scope="module")
def capitals():
    return targets_to_gdf(load_targets())


def _geographiclib_km(lon1, lat1, lon2, lat2):
    return WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def test_frames__docstring_examples():
    result = doctest.testmod(frames, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 6 and result.failed == 0


def test_frames__geopandas_not_imported_by_package():
    code = "import coverage, sys; print('geopandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_targets_to_gdf__columns_and_crs(capitals):
    assert capitals.crs.to_epsg() == 4326
    assert list(capitals.columns) == ["name", "country", "iso_a2", "definitions", "geometry"]
    assert len(capitals) == 51
    row = capitals[capitals.name == "Vilnius"].iloc[0]
    assert (row.geometry.x, row.geometry.y) == pytest.approx((25.2798, 54.6892), abs=0.01)


def test_gdf_to_targets__round_trip(capitals):
    targets = gdf_to_targets(capitals)
    original = load_targets()
    assert [(t.name, t.lon, t.lat, t.iso_a2, t.definitions) for t in targets] == [
        (t.name, t.lon, t.lat, t.iso_a2, t.definitions) for t in original
    ]
    assert targets.carries_membership


def test_reach_gdf__distances_match_geographiclib(capitals, catalog):
    sites = catalog.sites_of("iskander-m")
    out = reach_gdf(capitals, sites, range_km=[500, 700])
    for _, row in out.iterrows():
        expected = min(
            _geographiclib_km(s.lon, s.lat, row.geometry.x, row.geometry.y) for s in sites
        )
        assert abs(row["distance_km"] - expected) < 1e-6  # 1 mm
        assert row["margin_km_given_500_km"] == pytest.approx(500 - expected, abs=1e-6)
        assert row["in_range_given_500_km"] == (expected <= 500)
        assert row["in_range_given_700_km"] == (expected <= 700)


def test_reach_gdf__antimeridian_and_pole_distances():
    targets = gpd.GeoDataFrame(
        {"name": ["Suva", "North Pole", "Apia"]},
        geometry=[Point(178.44, -18.14), Point(0.0, 90.0), Point(-171.77, -13.83)],
        crs=4326,
    )
    sites = gpd.GeoDataFrame({"name": ["Date line"]}, geometry=[Point(179.9, -16.0)], crs=4326)
    out = reach_gdf(targets, sites, range_km=1000)
    for _, row in out.iterrows():
        expected = _geographiclib_km(179.9, -16.0, row.geometry.x, row.geometry.y)
        assert abs(row["distance_km"] - expected) < 1e-6
    assert out["nearest_site"].tolist() == ["date-line"] * 3
    assert out["in_range_given_1000_km"].tolist() == [True, False, True]


def test_reach_gdf__system_figures_and_min_range(catalog):
    kaliningrad = catalog.site("kaliningrad")
    near = gpd.GeoDataFrame(
        {"name": ["Next door", "Vilnius"]},
        geometry=[Point(20.6, 54.75), Point(25.2798, 54.6892)],
        crs=4326,
    )
    out = reach_gdf(near, [kaliningrad], system=catalog.system("iskander-m"))
    # Declared figure has a 50 km minimum range: the target next door is too close.
    assert out["in_range_iskander_m_declared_50_500_km"].tolist() == [False, True]
    assert out["in_range_iskander_m_estimated_500_km"].tolist() == [True, True]
    assert out["margin_km_iskander_m_estimated_700_km"].iloc[1] == pytest.approx(
        700 - out["distance_km"].iloc[1]
    )


def test_reach_gdf__reprojects_epsg3035(capitals, catalog):
    projected = capitals.to_crs(3035)
    assert projected.crs.to_epsg() == 3035
    site = catalog.site("kaliningrad")
    out = reach_gdf(projected, site, range_km=500)
    assert out.crs.to_epsg() == 4326
    ref = reach_gdf(capitals, site, range_km=500)
    np.testing.assert_allclose(out["distance_km"], ref["distance_km"], atol=1e-6)
    assert out["in_range_given_500_km"].tolist() == ref["in_range_given_500_km"].tolist()
    targets = gdf_to_targets(projected)
    assert targets.targets[0].lon == pytest.approx(capitals.geometry.x.iloc[0], abs=1e-9)


def test_reach_gdf__sites_gdf_in_other_crs(capitals, catalog):
    sites = sites_gdf(catalog.sites_of("iskander-m")).to_crs(3857)
    out = reach_gdf(capitals, sites, range_km=500)
    ref = reach_gdf(capitals, catalog.sites_of("iskander-m"), range_km=500)
    np.testing.assert_allclose(out["distance_km"], ref["distance_km"], atol=1e-6)
    assert out["nearest_site"].tolist() == ref["nearest_site"].tolist()


def test_gdf_to_targets__not_points():
    gdf = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[Point(0, 0), Polygon([(0, 0), (1, 0), (1, 1)])],
        crs=4326,
    )
    with pytest.raises(DataError, match=r"row 1 is a Polygon, expected a Point"):
        gdf_to_targets(gdf)
    lines = gpd.GeoDataFrame({"name": ["l"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=4326)
    with pytest.raises(DataError, match="LineString"):
        gdf_to_targets(lines)


def test_gdf_to_targets__missing_geometry():
    gdf = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(0, 0), None], crs=4326)
    with pytest.raises(DataError, match="row 1 has no geometry"):
        gdf_to_targets(gdf)


def test_gdf_to_targets__missing_names():
    gdf = gpd.GeoDataFrame({"city": ["a"]}, geometry=[Point(0, 0)], crs=4326)
    with pytest.raises(DataError, match="no column 'name'.*city"):
        gdf_to_targets(gdf)
    blank = gpd.GeoDataFrame({"name": ["a", "  "]}, geometry=[Point(0, 0), Point(1, 1)], crs=4326)
    with pytest.raises(DataError, match="row 1 needs a non-empty text name"):
        gdf_to_targets(blank)
    numbers = gpd.GeoDataFrame({"name": [3]}, geometry=[Point(0, 0)], crs=4326)
    with pytest.raises(DataError, match="got 3"):
        gdf_to_targets(numbers)


@pytest.mark.parametrize(
    "point, match",
    [
        (Point(200.0, 10.0), "longitude .* got 200.0"),
        (Point(10.0, 95.0), "latitude .* got 95.0"),
        (Point(float("nan"), 10.0), "longitude .* got nan"),
    ],
)
def test_gdf_to_targets__bad_coordinates(point, match):
    gdf = gpd.GeoDataFrame({"name": ["ok", "bad"]}, geometry=[Point(0, 0), point], crs=4326)
    with pytest.raises(CoordinateError, match=match):
        gdf_to_targets(gdf)


def test_gdf_to_targets__no_crs_lonlat_only_when_assumed():
    gdf = gpd.GeoDataFrame({"name": ["Riga"]}, geometry=[Point(24.1, 56.9)])
    assert gdf_to_targets(gdf, assume_crs=4326).targets[0].position == (24.1, 56.9)
    metres = gpd.GeoDataFrame({"name": ["x"]}, geometry=[Point(5_000_000.0, 3_000_000.0)])
    with pytest.raises(CoordinateError, match="longitude"):
        gdf_to_targets(metres, assume_crs="EPSG:4326")


def test_gdf_to_targets__not_a_geodataframe():
    with pytest.raises(DataError, match="expected a geopandas GeoDataFrame, got list"):
        gdf_to_targets([("a", 0, 0)])


def test_gdf_to_targets__empty():
    with pytest.raises(DataError, match="no rows"):
        gdf_to_targets(gpd.GeoDataFrame({"name": []}, geometry=[], crs=4326))


@pytest.mark.parametrize(
    "range_km, match",
    [(-5, "must be > 0|greater than 0"), ("500", "number"), (30_000, "antipodal")],
)
def test_reach_gdf__bad_range(capitals, catalog, range_km, match):
    with pytest.raises(ParameterError, match=match):
        reach_gdf(capitals, catalog.site("kaliningrad"), range_km=range_km)


def test_reach_gdf__bad_sites(capitals):
    with pytest.raises(DataError, match="expected a Site"):
        reach_gdf(capitals, ["kaliningrad"], range_km=500)
    with pytest.raises(ParameterError, match="no site"):
        reach_gdf(capitals, [], range_km=500)


def test_rings_gdf__polygons_and_properties(catalog):
    gdf = rings_gdf(catalog.sites_of("iskander-m"), system="iskander-m", catalog=catalog)
    assert gdf.crs.to_epsg() == 4326
    n_sites = len(catalog.sites_of("iskander-m"))
    assert len(gdf) == n_sites * len(catalog.system("iskander-m").ranges)
    assert {"site_id", "system_id", "figure_kind", "range_km", "min_range_km", "label"} <= set(
        gdf.columns
    )
    assert gdf.geometry.is_valid.all()
    declared = gdf[gdf.figure_kind == "declared"].geometry.iloc[0]
    assert len(declared.interiors) == 1  # 50 km minimum range


def test_rings_gdf__antimeridian_and_hemisphere(catalog):
    from coverage.envelopes import ad_hoc_site

    far = rings_gdf([ad_hoc_site(179.0, 65.0)], range_km=1500)
    assert far.geometry.iloc[0].geom_type == "MultiPolygon"
    assert all(p.bounds[2] - p.bounds[0] < 180 for p in far.geometry.iloc[0].geoms)
    sarmat = rings_gdf(catalog.site("uzhur"), range_km=18_000)
    assert sarmat.geometry.iloc[0].bounds == (-180.0, -90.0, 180.0, 90.0)


def test_rings_gdf__catalog_systems_of_site(catalog):
    gdf = rings_gdf(catalog.site("kaliningrad"), catalog=catalog)
    assert set(gdf.system_id) == {"iskander-m", "s-400", "bastion-p"}


def test_rings_gdf__errors(catalog):
    with pytest.raises(ParameterError, match="give range_km"):
        rings_gdf(catalog.site("luga"))
    with pytest.raises(ParameterError, match="catalog"):
        rings_gdf(catalog.site("luga"), system="iskander-m")
    with pytest.raises(UnknownNameError, match="did you mean 'iskander-m'"):
        rings_gdf(catalog.site("luga"), system="iskandar", catalog=catalog)
    with pytest.raises(ParameterError, match="min"):
        rings_gdf(catalog.site("luga"), range_km=100, min_km=200)


def test_verdict_gdf__matches_verdict(catalog):
    v = evaluate_claim(load_claims()["grybauskaite-2018-capitals"], catalog)
    gdf = verdict_gdf(v)
    assert len(gdf) == len(v.targets)
    assert gdf.crs.to_epsg() == 4326
    for label, e in zip(
        [
            "iskander_m_declared_50_500_km",
            "iskander_m_estimated_500_km",
            "iskander_m_estimated_700_km",
        ],
        v.evaluations,
        strict=False,
    ):
        assert int(gdf[f"in_range_{label}"].sum()) == e.targets_in_range
    assert gdf["distance_km"].tolist() == sorted(r.distance_km for r in v.reaches)


def test_sites_gdf__catalog(catalog):
    gdf = sites_gdf(catalog)
    assert len(gdf) == len(catalog.sites)
    assert gdf.set_index("site_id").loc["uzhur", "system_ids"] == "sarmat"


def test_targets_to_gdf__points_in_epsg_4326():
    gdf = frames.targets_to_gdf(load_targets(definition="eu27"))
    assert len(gdf) == 27 and gdf.crs.to_epsg() == 4326


def test_verdict_gdf__notebook_html_repr_escapes_names():
    # What a notebook shows: pandas' own HTML repr, which escapes cell text.
    from coverage.claims import ad_hoc_claim, judge
    from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes
    from coverage.targets import targets_from_points

    nasty = "<b>X</b> {{ 7*7 }} {% raw %}"
    targets = targets_from_points([(nasty, 21.0, 52.2)])
    covering = envelopes([ad_hoc_site(20.51, 54.71)], ad_hoc_figure(500))
    html = verdict_gdf(judge(ad_hoc_claim(1.0), covering, targets))._repr_html_()
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt; {{ 7*7 }} {% raw %}" in html


# --------------------------------------------------------------------------- CRS kept (#17)


def _bare(names, points):
    """A GeoDataFrame of named points that carries no CRS."""
    return gpd.GeoDataFrame({"name": names}, geometry=points)


def test_gdf_to_targets__no_crs__refused_naming_the_parameter():
    with pytest.raises(ParameterError, match=r"^gdf: the GeoDataFrame has no CRS") as info:
        gdf_to_targets(_bare(["Riga"], [Point(24.1, 56.9)]))
    assert info.value.parameter == "gdf"
    assert "assume_crs" in str(info.value) and "\n" not in str(info.value)


def test_reach_gdf__no_crs__refused_naming_the_parameter(catalog):
    site = catalog.site("kaliningrad")
    with pytest.raises(ParameterError, match=r"^targets_gdf: .*no CRS") as info:
        reach_gdf(_bare(["Riga"], [Point(24.1, 56.9)]), site, range_km=500)
    assert info.value.parameter == "targets_gdf"
    targets = targets_to_gdf(load_targets(definition="eu27"))
    with pytest.raises(ParameterError, match=r"^sites: .*no CRS") as info:
        reach_gdf(targets, _bare(["Battery"], [Point(20.5, 54.7)]), range_km=500)
    assert info.value.parameter == "sites"


def test_rings_gdf__no_crs__refused_then_assumed():
    sites = _bare(["Battery"], [Point(20.5, 54.7)])
    with pytest.raises(ParameterError, match=r"^sites: .*no CRS"):
        rings_gdf(sites, range_km=300)
    out = rings_gdf(sites, range_km=300, assume_crs=4326)
    assert out.crs.to_epsg() == 4326
    assert (out["centre_lon"].iloc[0], out["centre_lat"].iloc[0]) == (20.5, 54.7)


def test_reach_gdf__assume_crs__projected_coordinates_reprojected(capitals, catalog):
    site = catalog.site("kaliningrad")
    projected = capitals.to_crs(3035)
    bare = projected.set_crs(None, allow_override=True)
    out = reach_gdf(bare, site, range_km=500, assume_crs="EPSG:3035")
    ref = reach_gdf(capitals, site, range_km=500)
    assert out.crs.to_epsg() == 4326
    np.testing.assert_allclose(out["distance_km"], ref["distance_km"], atol=1e-6)
    assert out["in_range_given_500_km"].tolist() == ref["in_range_given_500_km"].tolist()


def test_reach_gdf__output_always_epsg4326(catalog):
    site = catalog.site("kaliningrad")
    for crs in (4326, "OGC:CRS84", 3857):
        gdf = gpd.GeoDataFrame({"name": ["Riga"]}, geometry=[Point(24.1, 56.9)], crs=4326)
        out = reach_gdf(gdf.to_crs(crs), site)
        assert out.crs.to_epsg() == 4326, crs
        assert out.geometry.iloc[0].x == pytest.approx(24.1)
    bare = _bare(["Riga"], [Point(24.1, 56.9)])
    assert reach_gdf(bare, site, assume_crs=4326).crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("assume_crs", "match"),
    [
        ("EPSG:999999", "assume_crs: not a CRS pyproj knows, got 'EPSG:999999'"),
        (True, "assume_crs: expected a CRS, got True"),
        (3035, "assume_crs: EPSG:3035 differs from the CRS gdf carries, EPSG:4326"),
    ],
)
def test_gdf_to_targets__assume_crs__bad_or_contradicting(assume_crs, match):
    gdf = gpd.GeoDataFrame({"name": ["Riga"]}, geometry=[Point(24.1, 56.9)], crs=4326)
    if assume_crs != 3035:
        gdf = gdf.set_crs(None, allow_override=True)
    with pytest.raises(ParameterError, match=match) as info:
        gdf_to_targets(gdf, assume_crs=assume_crs)
    assert info.value.parameter == "assume_crs"


def test_gdf_to_targets__assume_crs__same_as_carried_is_fine():
    gdf = gpd.GeoDataFrame({"name": ["Riga"]}, geometry=[Point(24.1, 56.9)], crs=4326)
    assert gdf_to_targets(gdf, assume_crs="EPSG:4326").targets[0].position == (24.1, 56.9)
