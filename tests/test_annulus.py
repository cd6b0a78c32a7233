"""An annulus's inner edge is drawn within 0.1 % of its own radius (issue 23, item 6).

Checked against GeographicLib's distances of the drawn vertices and of points along
the drawn (straight lon/lat) edges, never against our own geodesy.
"""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from shapely.geometry import MultiPolygon, Polygon

from coverage.geodesy import default_tolerance_km, edge_tolerance_km, range_ring
from coverage.sectors import Sector, sector_polygon

G = Geodesic.WGS84
KALININGRAD = (20.51, 54.71)


def _rings(geom: Polygon | MultiPolygon, which: str) -> list[np.ndarray]:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    if which == "interiors":
        return [np.asarray(r.coords) for p in polys for r in p.interiors]
    return [np.asarray(p.exterior.coords) for p in polys]


def _km(lon0: float, lat0: float, lon: float, lat: float) -> float:
    return G.Inverse(lat0, lon0, lat, lon)["s12"] / 1000.0


def _edge_deviation_km(coords: np.ndarray, lon0: float, lat0: float, radius_km: float):
    """Largest |distance - radius| over the vertices and along each drawn edge, km."""
    worst_vertex = max(abs(_km(lon0, lat0, x, y) - radius_km) for x, y in coords)
    worst_edge = 0.0
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
        for t in (0.25, 0.5, 0.75):
            d = _km(lon0, lat0, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
            worst_edge = max(worst_edge, abs(d - radius_km))
    return worst_vertex, worst_edge


@pytest.mark.parametrize(("inner_km", "outer_km"), [(50.0, 500.0), (2.0, 300.0), (400.0, 2000.0)])
def test_range_ring__inner_edge_within_its_own_tolerance(inner_km, outer_km):
    lon0, lat0 = KALININGRAD
    ring = range_ring(lon0, lat0, outer_km, min_km=inner_km)
    (hole,) = _rings(ring, "interiors")
    vertex, edge = _edge_deviation_km(hole, lon0, lat0, inner_km)
    own = max(0.005, 0.001 * inner_km)
    assert vertex < 1e-6  # every vertex at exactly the minimum range
    assert edge <= own
    # The outer edge keeps the ring's tolerance.
    (outside,) = _rings(ring, "exteriors")
    assert _edge_deviation_km(outside, lon0, lat0, outer_km)[1] <= default_tolerance_km(outer_km)


def test_range_ring__50_km_dead_zone_no_longer_drawn_to_the_outer_tolerance():
    # Issue 23: a 50 km dead zone inside 500 km was drawn to 0.5 km (1 % of its radius).
    lon0, lat0 = KALININGRAD
    (hole,) = _rings(range_ring(lon0, lat0, 500.0, min_km=50.0), "interiors")
    assert _edge_deviation_km(hole, lon0, lat0, 50.0)[1] <= 0.05


def test_sector_polygon__inner_arc_within_its_own_tolerance():
    lon0, lat0 = KALININGRAD
    wedge = sector_polygon(lon0, lat0, 500.0, Sector(45.0, 135.0), min_km=50.0)
    (coords,) = _rings(wedge, "exteriors")
    near = [abs(_km(lon0, lat0, x, y) - 50.0) < 1e-6 for x, y in coords]
    # Edges of the inner arc: both ends at exactly the minimum range.
    edges = [i for i in range(len(coords) - 1) if near[i] and near[i + 1]]
    assert len(edges) >= 2
    worst = max(_edge_deviation_km(coords[i : i + 2], lon0, lat0, 50.0)[1] for i in edges)
    assert worst <= 0.05


def test_edge_tolerance_km__relative_with_a_floor_and_never_looser():
    assert edge_tolerance_km(50.0, 0.5) == pytest.approx(0.05)
    assert edge_tolerance_km(1.0, 0.5) == 0.005
    assert edge_tolerance_km(5000.0, 0.5) == 0.5  # never looser than the ring's own
