"""Exact geodesy on the WGS84 ellipsoid: distances, destinations and range rings.

This is the only module that touches :class:`pyproj.Geod` (GeographicLib's algorithms)
and the only place where metres exist; everything public takes and returns kilometres
and decimal degrees, longitude first (x, y) as in GeoJSON and shapely.

Whether a target is within range is decided by :func:`distance_km`. The polygons of
:func:`range_ring` are for drawing and export; they follow the true geodesic circle to
within a stated tolerance, and they are right across the antimeridian, around the
poles and for ranges beyond a hemisphere.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box

from .errors import CoordinateError, CoverageWarning, ParameterError

__all__ = [
    "LonLat",
    "WGS84",
    "check_lonlat",
    "distance_km",
    "distance_matrix_km",
    "nearest_km",
    "destination",
    "antipodal_distance_km",
    "default_tolerance_km",
    "range_ring",
]

#: The ellipsoid every computation uses.
WGS84 = Geod(ellps="WGS84")

_WORLD = box(-180.0, -90.0, 180.0, 90.0)
#: Smallest ring radius drawn, km (1 mm): below it the vertices coincide in floating point.
MIN_RING_KM = 1e-6
# Ranges are rejected when they exceed the antipodal distance by more than this (km);
# within it they are read as "the whole world" (rounding in a user's figure).
_ANTIPODAL_SLACK_KM = 1e-6
# Above this fraction of the antipodal distance, rings are traced around the antipode
# (see _far_side_boundary), where geodesics from the centre stop being shortest paths.
_FAR_SIDE_FRACTION = 0.75
# Refinement limits: a safety net, never reached for valid input in the test-suite.
_MAX_ROUNDS = 40
_MAX_VERTICES = 200_000
# Azimuths start at an irrational offset so that no vertex falls exactly on a pole.
_AZIMUTH_OFFSET = 1.0 / math.pi


class LonLat(NamedTuple):
    """A position in decimal degrees, longitude first."""

    lon: float
    lat: float


def check_lonlat(lon: ArrayLike, lat: ArrayLike, *, what: str = "") -> tuple[NDArray, NDArray]:
    """Validate longitudes and latitudes and return them as float arrays.

    Parameters
    ----------
    lon, lat : float or array_like
        Decimal degrees, longitude first. Longitudes must lie in [-180, 180] (data in
        0..360 must be converted first), latitudes in [-90, 90]; both must be finite.
    what : str, optional
        Name of the thing being checked, used in the message (e.g. ``"site 'luga'"``).

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` as float64 arrays of the input shapes.

    Raises
    ------
    CoordinateError
        If a value is not a number, not finite or outside its interval.
    """
    prefix = f"{what}: " if what else ""
    try:
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
    except (TypeError, ValueError) as err:
        raise CoordinateError(f"{prefix}coordinates must be numbers, got {lon!r}, {lat!r}") from err
    for name, values, limit in (("longitude", lon_a, 180.0), ("latitude", lat_a, 90.0)):
        bad = ~np.isfinite(values) | (np.abs(values) > limit)
        if bad.any():
            index = int(np.flatnonzero(bad)[0])
            value = float(values.flat[index])
            at = f" (item {index})" if values.ndim else ""
            hint = (
                "; subtract 360 from longitudes given as 0..360"
                if name == "longitude" and (np.isfinite(value) and 180 < value <= 360)
                else ""
            )
            raise CoordinateError(
                f"{prefix}{name} must be a finite number within [-{limit:g}, {limit:g}] "
                f"degrees, got {value!r}{at}{hint}"
            )
    return lon_a, lat_a


def _check_km(value: float, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite positive distance in km."""
    try:
        km = float(value)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"{name} must be a number of kilometres, got {value!r}") from err
    if not math.isfinite(km) or km < 0 or (km == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ParameterError(f"{name} must be a finite distance {bound} km, got {value!r}")
    return km


def _inv_m(lon1, lat1, lon2, lat2) -> NDArray:
    """Geodesic distance in metres between broadcast arrays of points."""
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lon1, lat1, lon2, lat2)))
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a).ravel() for a in arrays]
    if flat[0].size == 0:
        return np.zeros(shape)
    _, _, dist = WGS84.inv(*flat)
    return np.asarray(dist, dtype=float).reshape(shape)


def distance_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike):
    """Return the geodesic distance on WGS84 between points, in kilometres.

    Inputs broadcast against each other like numpy arrays, so one site against many
    targets, or a (sites, 1) column against a (targets,) row, needs no Python loop.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Decimal degrees, longitude first.

    Returns
    -------
    float or numpy.ndarray
        Shortest distance along the ellipsoid in km (GeographicLib, accurate to
        nanometres); a float when every input is a scalar.

    Raises
    ------
    CoordinateError
        If a latitude is outside [-90, 90], a longitude outside [-180, 180], or a
        value is not finite.

    Examples
    --------
    >>> round(distance_km(20.51, 54.71, 13.40, 52.52), 1)  # Kaliningrad to Berlin
    529.6
    """
    lon1, lat1 = check_lonlat(lon1, lat1)
    lon2, lat2 = check_lonlat(lon2, lat2)
    km = _inv_m(lon1, lat1, lon2, lat2) / 1000.0
    if km.ndim == 0:
        return float(km)
    return km


def distance_matrix_km(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> NDArray:
    """Return the (len(lon1), len(lon2)) matrix of geodesic distances in km.

    Parameters
    ----------
    lon1, lat1 : array_like
        1-D decimal degrees of the first set of points (e.g. sites).
    lon2, lat2 : array_like
        1-D decimal degrees of the second set (e.g. targets).

    Returns
    -------
    numpy.ndarray
        float64 array, row i holding the distances from point i of the first set.

    Raises
    ------
    CoordinateError
        As :func:`distance_km`.
    """
    lon1, lat1 = (np.atleast_1d(a) for a in check_lonlat(lon1, lat1))
    lon2, lat2 = (np.atleast_1d(a) for a in check_lonlat(lon2, lat2))
    return _inv_m(lon1[:, None], lat1[:, None], lon2[None, :], lat2[None, :]) / 1000.0


def nearest_km(
    site_lon: ArrayLike,
    site_lat: ArrayLike,
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    *,
    chunk_pairs: int = 2_000_000,
) -> tuple[NDArray, NDArray]:
    """Return, for every target, the distance to its nearest site and that site's index.

    Works through the site x target pairs in chunks, so the full matrix is never held
    in memory for large target sets.

    Parameters
    ----------
    site_lon, site_lat : array_like
        1-D decimal degrees of at least one site.
    target_lon, target_lat : array_like
        1-D decimal degrees of the targets.
    chunk_pairs : int, default 2_000_000
        Number of pairs computed per call to the geodesic routine.

    Returns
    -------
    distances : numpy.ndarray
        km from each target to its nearest site.
    index : numpy.ndarray
        Index of that site (the first one on a tie).

    Raises
    ------
    CoordinateError
        As :func:`distance_km`.
    ParameterError
        If there is no site.
    """
    slon, slat = (np.atleast_1d(a) for a in check_lonlat(site_lon, site_lat))
    tlon, tlat = (np.atleast_1d(a) for a in check_lonlat(target_lon, target_lat))
    if slon.size == 0:
        raise ParameterError("at least one site is needed to measure distances")
    best = np.full(tlon.shape, np.inf)
    index = np.zeros(tlon.shape, dtype=int)
    step = max(1, chunk_pairs // max(1, slon.size))
    for start in range(0, tlon.size, step):
        part = slice(start, start + step)
        km = _inv_m(slon[:, None], slat[:, None], tlon[None, part], tlat[None, part]) / 1000.0
        index[part] = np.argmin(km, axis=0)
        best[part] = km[index[part], np.arange(km.shape[1])]
    return best, index


def destination(lon: float, lat: float, azimuth_deg: float, distance_km: float) -> LonLat:
    """Return the point reached from (lon, lat) along a geodesic.

    Parameters
    ----------
    lon, lat : float
        Start in decimal degrees, longitude first.
    azimuth_deg : float
        Initial direction in degrees clockwise from north.
    distance_km : float
        Distance travelled in km (>= 0).

    Returns
    -------
    LonLat
        Destination, longitude normalised to [-180, 180].

    Raises
    ------
    CoordinateError, ParameterError
        On invalid coordinates or distance.
    """
    check_lonlat(lon, lat)
    km = _check_km(distance_km, "distance_km", allow_zero=True)
    if not math.isfinite(float(azimuth_deg)):
        raise ParameterError(f"azimuth_deg must be finite, got {azimuth_deg!r}")
    lon2, lat2, _ = WGS84.fwd(float(lon), float(lat), float(azimuth_deg), km * 1000.0)
    return LonLat(float(lon2), float(lat2))


def _antipode(lon: float, lat: float) -> LonLat:
    return LonLat(lon - 180.0 if lon > 0 else lon + 180.0, -lat)


def antipodal_distance_km(lon: float, lat: float) -> float:
    """Return the geodesic distance from a point to its antipode, in km.

    This is the largest distance any point can be from (lon, lat), hence the largest
    valid range. On the oblate WGS84 ellipsoid the shortest path to the antipode runs
    over a pole, so the distance is half a meridian, about 20,003.93 km, from every
    point (the tests check this against geographiclib).

    Raises
    ------
    CoordinateError
        On invalid coordinates.
    """
    check_lonlat(lon, lat)
    return _HALF_MERIDIAN_KM


#: Half a meridian of WGS84 in km: the distance from any point to its antipode.
_HALF_MERIDIAN_KM = float(_inv_m(0.0, 90.0, 0.0, -90.0)) / 1000.0


def default_tolerance_km(max_km: float) -> float:
    """Return the default drawing tolerance for a ring: max(1 km, 0.1 % of the range)."""
    return max(1.0, 0.001 * float(max_km))


def range_ring(
    lon: float,
    lat: float,
    max_km: float,
    *,
    min_km: float = 0.0,
    tolerance_km: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the area within a geodesic distance of a point on WGS84.

    Vertices are points at exactly the given geodesic distance, placed densely enough
    that every straight lon/lat edge between them stays within ``tolerance_km`` of the
    true circle (checked, and refined where needed, including near the poles). A ring
    crossing the antimeridian is split at +-180 into a MultiPolygon; one containing a
    pole is closed along it; one beyond a hemisphere is the world minus a cap around
    the antipode, whose edge is found exactly even where geodesics from the centre are
    no longer shortest paths.

    Parameters
    ----------
    lon, lat : float
        Centre in decimal degrees, longitude first (x, y), as in GeoJSON.
    max_km : float
        Geodesic range in kilometres, > 0, up to the antipodal distance (about
        20,000 km, see :func:`antipodal_distance_km`); at that distance the ring is
        the whole world.
    min_km : float, default 0.0
        Minimum range in kilometres; above 0 the result is an annulus.
    tolerance_km : float, optional
        Largest allowed gap between a drawn edge and the true circle; by default
        max(1 km, 0.1 % of max_km).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid geometry in lon/lat degrees (EPSG:4326, x = longitude), exteriors
        counter-clockwise as RFC 7946 asks. Use it for display only: whether a target
        is reached comes from :func:`distance_km`.

    Raises
    ------
    CoordinateError
        If lat is outside [-90, 90], lon outside [-180, 180], or either is not finite.
    ParameterError
        If a range is not finite, max_km <= 0, min_km < 0, min_km >= max_km, a range
        exceeds the antipodal distance or is below 1 mm (:data:`MIN_RING_KM`), or
        tolerance_km <= 0.

    See Also
    --------
    distance_km : exact distance used to decide whether a target is reached.

    Examples
    --------
    >>> ring = range_ring(20.51, 54.71, 500)  # Kaliningrad, 500 km
    >>> ring.geom_type
    'Polygon'
    >>> range_ring(179.0, -17.0, 1000).geom_type  # Fiji: split at the antimeridian
    'MultiPolygon'
    """
    lon_a, lat_a = check_lonlat(lon, lat)
    if lon_a.ndim or lat_a.ndim:
        raise CoordinateError(f"range_ring takes one centre, got arrays {lon!r}, {lat!r}")
    lon, lat = float(lon_a), float(lat_a)
    outer_km = _check_km(max_km, "max_km")
    inner_km = _check_km(min_km, "min_km", allow_zero=True)
    for name, km in (("max_km", outer_km), ("min_km", inner_km)):
        if 0 < km < MIN_RING_KM:
            raise ParameterError(
                f"{name} must be 0 or at least {MIN_RING_KM:g} km (1 mm) to be drawn, got {km!r}"
            )
    if inner_km >= outer_km:
        raise ParameterError(
            f"min_km must be smaller than max_km, got min_km={min_km!r} >= max_km={max_km!r}"
        )
    limit_km = antipodal_distance_km(lon, lat)
    if outer_km > limit_km + _ANTIPODAL_SLACK_KM:
        raise ParameterError(
            f"max_km={max_km!r} is beyond the antipodal distance from ({lon:g}, {lat:g}), "
            f"{limit_km:.1f} km: no point on Earth is farther"
        )
    if tolerance_km is None:
        tol = default_tolerance_km(outer_km)
    else:
        tol = _check_km(tolerance_km, "tolerance_km")

    area = _disc(lon, lat, outer_km, tol, limit_km)
    if inner_km > 0:
        area = area.difference(_disc(lon, lat, inner_km, tol, limit_km))
    return _as_polygonal(area)


def _disc(lon: float, lat: float, radius_km: float, tol_km: float, limit_km: float):
    """Return the polygonal area within ``radius_km`` of the centre (no hole)."""
    if radius_km >= limit_km - _ANTIPODAL_SLACK_KM:
        return _WORLD
    radius_m, tol_m = radius_km * 1000.0, tol_km * 1000.0

    def deviation_m(lons: NDArray, lats: NDArray) -> NDArray:
        return np.abs(_inv_m(lon, lat, lons, lats) - radius_m)

    if radius_km <= _FAR_SIDE_FRACTION * limit_km:

        def boundary(azimuths: NDArray) -> tuple[NDArray, NDArray]:
            n = azimuths.size
            lons, lats, _ = WGS84.fwd(
                np.full(n, lon), np.full(n, lat), azimuths, np.full(n, radius_m)
            )
            return np.asarray(lons), np.asarray(lats)

        lons, lats = _refine(boundary, deviation_m, tol_m, start=_start_count(radius_km, tol_km))
    else:
        boundary = _far_side_boundary(lon, lat, radius_m, limit_km * 1000.0)
        lons, lats = _refine(
            boundary, deviation_m, tol_m, start=_start_count(limit_km - radius_km, tol_km)
        )
        # Traced clockwise around the antipode; reverse it so that, like the near-side
        # rings, the covered side lies to the right of the direction of travel.
        lons, lats = lons[::-1], lats[::-1]
    return _assemble(lons, lats)


def _start_count(radius_km: float, tol_km: float) -> int:
    """Return a first guess of the vertex count for a circle of ``radius_km``.

    Chords of a circle that sag less than the tolerance, plus 30 % for the lon/lat
    distortion; refinement still checks every edge, so this only saves rounds.
    """
    sag_limited = math.pi * math.sqrt(max(radius_km, tol_km) / (2.0 * tol_km))
    return int(min(4096, max(16, math.ceil(1.3 * sag_limited))))


def _far_side_boundary(
    lon: float, lat: float, radius_m: float, limit_m: float
) -> Callable[[NDArray], tuple[NDArray, NDArray]]:
    """Return a function tracing the ring by azimuth around the centre's antipode.

    Near the antipode, geodesics leaving the centre pass the cut locus and stop being
    shortest paths, so points reached by walking ``radius_m`` from the centre are not
    all at that shortest distance. Instead, walk out from the antipode along each
    azimuth and bisect for the point whose shortest distance to the centre is
    exactly the radius. Hand-written: no library offers an inverse-distance circle.
    """
    a = _antipode(lon, lat)
    # Going out from the antipode the distance to the centre falls from limit_m; at
    # s_hi it is about halfway between the radius and a quarter of the way round.
    s_hi = limit_m - 0.5 * (radius_m + 0.5 * limit_m)

    def boundary(azimuths: NDArray) -> tuple[NDArray, NDArray]:
        n = azimuths.size
        lo, hi = np.zeros(n), np.full(n, s_hi)
        alon, alat = np.full(n, a.lon), np.full(n, a.lat)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            plon, plat, _ = WGS84.fwd(alon, alat, azimuths, mid)
            beyond = _inv_m(lon, lat, plon, plat) > radius_m  # still farther than the radius
            lo = np.where(beyond, mid, lo)
            hi = np.where(beyond, hi, mid)
            if np.max(hi - lo) < 1e-4:  # 0.1 mm
                break
        plon, plat, _ = WGS84.fwd(alon, alat, azimuths, 0.5 * (lo + hi))
        return np.asarray(plon), np.asarray(plat)

    return boundary


def _wrap_delta(d: NDArray) -> NDArray:
    """Wrap longitude differences into [-180, 180)."""
    return (d + 180.0) % 360.0 - 180.0


def _refine(
    boundary: Callable[[NDArray], tuple[NDArray, NDArray]],
    deviation_m: Callable[[NDArray, NDArray], NDArray],
    tol_m: float,
    *,
    start: int = 32,
) -> tuple[NDArray, NDArray]:
    """Place boundary vertices so that every straight lon/lat edge stays within tol_m.

    Each edge is checked at a quarter, half and three quarters of its length (in
    unwrapped lon/lat, as it will be drawn and as shapely sees it); an edge whose
    points stray more than 90 % of the tolerance from the circle is split at the
    middle azimuth. The curve is smooth, so the error along an edge is close to a
    parabola peaking at its middle, and checking these points bounds it.
    """
    step = 360.0 / start
    azimuths = (np.arange(start) + _AZIMUTH_OFFSET) * step
    lons, lats = boundary(azimuths)
    fractions = np.array([0.25, 0.5, 0.75])
    for _ in range(_MAX_ROUNDS):
        next_az = np.r_[azimuths[1:], azimuths[0] + 360.0]
        dlon = _wrap_delta(np.r_[lons[1:], lons[0]] - lons)
        dlat = np.r_[lats[1:], lats[0]] - lats
        probe_lon = lons[:, None] + fractions[None, :] * dlon[:, None]
        probe_lat = lats[:, None] + fractions[None, :] * dlat[:, None]
        bad = (deviation_m(probe_lon, probe_lat) > 0.9 * tol_m).any(axis=1)
        bad &= (next_az - azimuths) > 1e-9  # cannot split further (a curve touching a pole)
        if not bad.any():
            return lons, lats
        if azimuths.size + bad.sum() > _MAX_VERTICES:
            break
        new_az = 0.5 * (azimuths[bad] + next_az[bad]) % 360.0
        new_lon, new_lat = boundary(new_az)
        order = np.argsort(np.r_[azimuths, new_az], kind="stable")
        azimuths = np.r_[azimuths, new_az][order]
        lons = np.r_[lons, new_lon][order]
        lats = np.r_[lats, new_lat][order]
    warnings.warn(
        f"range ring drawn with {azimuths.size} vertices without meeting the "
        f"{tol_m / 1000:g} km tolerance everywhere",
        CoverageWarning,
        stacklevel=4,
    )
    return lons, lats


def _assemble(lons: NDArray, lats: NDArray):
    """Turn a closed curve into the polygonal area on its right-hand side.

    The curve is given as vertices in lon/lat degrees, in order, travelling with the
    covered area on the right (clockwise around it as seen from above). The total
    change of longitude along it tells whether it winds around a pole (+-360) or not
    (0); the orientation then tells which side is covered. Hand-written: shapely is
    planar and knows nothing of the antimeridian or the poles.
    """
    dlon = _wrap_delta(np.r_[lons[1:], lons[0]] - lons)
    winding = float(dlon.sum())
    unwrapped = lons[0] + np.r_[0.0, np.cumsum(dlon[:-1])]

    if abs(winding) < 180.0:
        curve = Polygon(np.column_stack([unwrapped, lats]))
        if not curve.is_valid:
            curve = shapely.make_valid(curve)
        x, y = unwrapped, lats
        signed_area = 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
        inside = _fold_into_world(curve)
        return inside if signed_area < 0 else _WORLD.difference(inside)

    # The curve winds once around a pole. Start it where it crosses the antimeridian so
    # that it runs from exactly -180 to exactly +180 (or back), then close it along the
    # pole on the covered side: eastward travel covers the south, westward the north.
    east = winding > 0
    closed = np.r_[unwrapped, unwrapped[0] + winding]
    lat_closed = np.r_[lats, lats[0]]
    if east:
        cut = 180.0 + 360.0 * math.floor((closed[0] - 180.0) / 360.0 + 1.0)
        j = int(np.argmax(closed >= cut))
    else:
        cut = -180.0 + 360.0 * math.ceil((closed[0] + 180.0) / 360.0 - 1.0)
        j = int(np.argmax(closed <= cut))
    j = max(j, 1)
    x0, x1 = closed[j - 1], closed[j]
    t = 0.0 if x1 == x0 else (cut - x0) / (x1 - x0)
    lat_cut = lat_closed[j - 1] + t * (lat_closed[j] - lat_closed[j - 1])
    xs = np.r_[cut, closed[j:], closed[1:j] + winding, cut + winding]
    ys = np.r_[lat_cut, lat_closed[j:], lat_closed[1:j], lat_cut]
    shift = cut + 180.0 if east else cut - 180.0
    xs = xs - shift
    xs[0], xs[-1] = (-180.0, 180.0) if east else (180.0, -180.0)
    pole = -90.0 if east else 90.0
    ring = np.column_stack([np.r_[xs, xs[-1], xs[0]], np.r_[ys, pole, pole]])
    area = Polygon(ring)
    if not area.is_valid:
        area = shapely.make_valid(area)
    return _fold_into_world(area)


def _fold_into_world(area):
    """Cut an area drawn in unwrapped longitudes into [-180, 180], shifting the pieces."""
    minx, _, maxx, _ = area.bounds
    if minx >= -180.0 and maxx <= 180.0:
        return area
    pieces = []
    for k in range(math.floor((minx + 180.0) / 360.0), math.floor((maxx + 180.0) / 360.0) + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = area.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.transform(piece, lambda xy, k=k: xy - [360.0 * k, 0.0]))
    return shapely.union_all(pieces)


def _as_polygonal(geom) -> Polygon | MultiPolygon:
    """Return a valid Polygon or MultiPolygon with RFC 7946 winding."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys)
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    return shapely.orient_polygons(geom, exterior_cw=False)
