"""Which targets a system reaches from a set of sites, decided by exact distance.

This module measures; :mod:`coverage.envelopes` decides. Membership never comes from
a drawn polygon: a target is in range of a figure when its geodesic distance to some
site is between the figure's minimum and maximum range, inclusive
(``min_km <= distance_km <= km``), as :class:`coverage.envelopes.Envelope` states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from .errors import ParameterError
from .geodesy import check_lonlat, distance_km, distance_matrix_km, inverse_km
from .systems import Site
from .targets import Target

__all__ = [
    "Distances",
    "measure",
    "distance_to_area_km",
    "TargetReach",
]


@dataclass(frozen=True)
class Distances:
    """Geodesic distances from sites to targets, km.

    Attributes
    ----------
    sites : tuple of Site
    targets : tuple of Target
    km : numpy.ndarray
        (len(sites), len(targets)) distances in km; for a territory, to its nearest
        point; from a launch area, from its nearest point (0 inside it).
    far_km : numpy.ndarray or None
        For territories, the distance to the farthest vertex of the outline (a lower
        bound of the farthest point); from a launch area, to its farthest point. Used
        with minimum ranges: a target is out of reach only if every launch point is
        closer than the minimum range. None when every site and target is a point.
    azimuth_deg : numpy.ndarray or None
        (len(sites), len(targets)) forward geodesic azimuths from each site, degrees
        clockwise from north in [0, 360), from the same inverse solution as ``km``;
        measured when asked for (azimuth sectors), else None.
    """

    sites: tuple[Site, ...]
    targets: tuple[Target, ...]
    km: NDArray
    far_km: NDArray | None = None
    azimuth_deg: NDArray | None = None

    def subset(self, columns: Sequence[int]) -> Distances:
        """Return the distances to the targets at ``columns`` (indices), in that order."""
        idx = np.asarray(columns, dtype=int)
        far = None if self.far_km is None else self.far_km[:, idx]
        az = None if self.azimuth_deg is None else self.azimuth_deg[:, idx]
        targets = tuple(self.targets[i] for i in idx)
        return Distances(self.sites, targets, self.km[:, idx], far, az)

    def of(self, origin: Site) -> tuple[NDArray, NDArray | None, NDArray | None]:
        """Return what was measured from one origin, per target.

        ``(near_km, far_km or None, azimuth_deg or None)``: see the attributes.

        Raises
        ------
        ParameterError
            If ``origin`` was not measured from.
        """
        key = _site_key(origin)
        for i, site in enumerate(self.sites):
            if _site_key(site) == key:
                far = None if self.far_km is None else self.far_km[i]
                az = None if self.azimuth_deg is None else self.azimuth_deg[i]
                return self.km[i], far, az
        raise ParameterError(f"origin: {origin.name!r} was not measured from", parameter="origin")

    @property
    def nearest_index(self) -> NDArray:
        """Index of the nearest site for each target (the first one on a tie)."""
        return np.argmin(self.km, axis=0)

    @property
    def nearest_km(self) -> NDArray:
        """Distance in km from each target to its nearest site."""
        return self.km.min(axis=0)


def _site_key(site: Site) -> tuple:
    return (site.id, site.name, site.lon, site.lat)


def measure(
    sites: Sequence[Site], targets: Sequence[Target], *, azimuths: bool = False
) -> Distances:
    """Measure every site-to-target geodesic distance (km) without Python loops.

    For a target with an ``area`` (a territory) the distance is to the nearest point
    of the area, 0 inside it (see :func:`distance_to_area_km`).

    Parameters
    ----------
    sites : sequence of Site
        Origins.
    targets : sequence of Target
        Points or territories.
    azimuths : bool, default False
        Also keep the forward azimuth from each site to each point (azimuth sectors);
        distances then come from the same inverse solutions, identical to the bit.

    Raises
    ------
    ParameterError
        If there is no site or no target, or azimuths are asked for territories
        (a country has no single direction).
    """
    if not sites:
        raise ParameterError("sites: no site to measure from", parameter="sites")
    if not targets:
        raise ParameterError("targets: no targets to measure to", parameter="targets")
    slon = np.array([s.lon for s in sites])
    slat = np.array([s.lat for s in sites])
    tlon = np.array([t.lon for t in targets])
    tlat = np.array([t.lat for t in targets])
    az = None
    if azimuths:
        if any(t.area is not None for t in targets):
            raise ParameterError(
                "sector: a territory has no single azimuth; judge its capital instead",
                parameter="sector",
            )
        km, az = inverse_km(slon[:, None], slat[:, None], tlon[None, :], tlat[None, :])
    else:
        km = distance_matrix_km(slon, slat, tlon, tlat)
    far = None
    areas = [i for i, s in enumerate(sites) if s.kind == "area"]
    if areas:
        if azimuths:
            raise ParameterError(
                "sector: a launch area has no single azimuth to measure from",
                parameter="sector",
            )
        from .areas import area_distance_km, area_far_km

        far = km.copy()
        points = np.array([t.area is None for t in targets])
        for i in areas:
            km[i, points] = area_distance_km(sites[i].geometry, tlon[points], tlat[points])
            far[i, points] = area_far_km(sites[i].geometry, tlon[points], tlat[points])
    for j, target in enumerate(targets):
        if target.area is not None:
            if far is None:
                far = km.copy()
            xy = shapely.get_coordinates(target.area)
            for i, s in enumerate(sites):
                if s.kind == "area":
                    km[i, j], far[i, j] = _area_to_territory_km(s.geometry, target.area)
                else:
                    km[i, j] = distance_to_area_km(s.lon, s.lat, target.area)
                    far[i, j] = distance_km(s.lon, s.lat, xy[:, 0], xy[:, 1]).max()
    return Distances(tuple(sites), tuple(targets), km, far, az)


def _area_to_territory_km(area, territory) -> tuple[float, float]:
    """Return the distance from a launch area to a territory, km: ``(nearest, far)``.

    ``nearest`` is 0 where the outlines overlap. Otherwise the shortest distance
    between two polygons runs from a vertex of one to the boundary of the other, so it
    is the smaller of (a) the exact distance from each outline vertex of the territory
    to the area (:func:`coverage.areas.area_distance_km`, geodesic edges) and (b) the
    distance from each vertex of the area to the territory
    (:func:`distance_to_area_km`, within about 0.06 km), measured only for the area's
    vertices that can be nearest: those whose nearest territory vertex (k-d tree,
    exact) lies within half the territory's longest edge of the best so far. ``far``
    is the largest of (a), a lower bound of the farthest distance, as for points.
    Hand-written: no library measures ellipsoidal polygon-to-polygon distances.
    """
    from .areas import area_distance_km
    from .bulk import nearest_site

    t_xy = shapely.get_coordinates(territory)
    to_area = np.asarray(area_distance_km(area, t_xy[:, 0], t_xy[:, 1]), dtype=float)
    far = float(to_area.max())
    best = float(to_area.min())
    if best == 0.0 or shapely.intersects(area, territory):
        return 0.0, far
    longest = 0.0
    for polygon in shapely.get_parts(territory):
        for ring in (polygon.exterior, *polygon.interiors):
            r = np.asarray(ring.coords)
            longest = max(
                longest, float(distance_km(r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]).max())
            )
    a_xy = shapely.get_coordinates(area)
    vertex_km = nearest_site(t_xy[:, 0], t_xy[:, 1], a_xy[:, 0], a_xy[:, 1]).distance_km
    for k in np.argsort(vertex_km):
        if vertex_km[k] - longest / 2.0 >= best:
            break
        best = min(best, distance_to_area_km(a_xy[k, 0], a_xy[k, 1], territory))
    return best, far


#: Step in degrees at which candidate outline edges are sampled (about 110 m or less).
AREA_STEP_DEG = 0.001


def distance_to_area_km(lon: float, lat: float, area) -> float:
    """Return the geodesic distance in km from a point to the nearest point of an area.

    The area is a shapely (Multi)Polygon in lon/lat degrees whose edges are straight
    in lon/lat (as Natural Earth draws them). 0 when the point is inside. Otherwise
    the distance to every vertex is measured exactly; only edges that could hold a
    nearer point (lower bound: nearer endpoint minus edge length) are then sampled
    every ``AREA_STEP_DEG`` degrees, so the result is within about 0.06 km of the
    exact distance to the drawn outline. Hand-written: no library measures
    ellipsoidal point-to-polygon distances.

    Raises
    ------
    CoordinateError
        If the point's coordinates are invalid.
    """
    check_lonlat(lon, lat)
    if shapely.intersects_xy(area, lon, lat):
        return 0.0
    starts, ends = [], []
    for polygon in shapely.get_parts(area):
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            starts.append(xy[:-1])
            ends.append(xy[1:])
    a, b = np.concatenate(starts), np.concatenate(ends)
    da = distance_km(lon, lat, a[:, 0], a[:, 1])
    db = distance_km(lon, lat, b[:, 0], b[:, 1])
    length = distance_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    best = float(min(da.min(), db.min()))
    candidates = np.flatnonzero(np.minimum(da, db) - length < best)
    for i in candidates:
        steps = int(np.ceil(np.abs(b[i] - a[i]).max() / AREA_STEP_DEG)) + 1
        t = np.linspace(0.0, 1.0, steps)
        px = a[i, 0] + t * (b[i, 0] - a[i, 0])
        py = a[i, 1] + t * (b[i, 1] - a[i, 1])
        best = min(best, float(distance_km(lon, lat, px, py).min()))
    return best


@dataclass(frozen=True)
class TargetReach:
    """One target's distance (km) to its nearest site.

    ``azimuth_deg`` is the forward azimuth from that site (degrees clockwise from
    north, [0, 360)) when azimuths were measured (azimuth sectors), else None.
    Margins per figure are in :class:`coverage.claims.Evaluation` (see
    :meth:`coverage.envelopes.Layer.margins_km`).
    """

    target: Target
    distance_km: float
    nearest_site: Site
    azimuth_deg: float | None = None
