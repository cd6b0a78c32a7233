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

import functools
import math
import reprlib
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon, box

from . import _validate as _v
from ._parallel import run_blocks
from .errors import CoordinateError, CoverageWarning, ParameterError

__all__ = [
    "LonLat",
    "WGS84",
    "check_lonlat",
    "distance_km",
    "distance_matrix_km",
    "POLAR_RADIUS_KM",
    "directions",
    "chord_bound",
    "destination",
    "inverse_km",
    "antipodal_distance_km",
    "default_tolerance_km",
    "edge_tolerance_km",
    "range_ring",
    "range_rings",
    "radar_horizon_km",
    "MEAN_RADIUS_KM",
    "rounded",
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
# Pairs per block of a large distance matrix (about 8 MB per array).
_BLOCK_PAIRS = 1_000_000
# Refinement limits: a safety net, never reached for valid input in the test-suite.
_MAX_ROUNDS = 40
_MAX_VERTICES = 200_000
# Azimuths start at an irrational offset so that no vertex falls exactly on a pole.
_AZIMUTH_OFFSET = 1.0 / math.pi


class LonLat(NamedTuple):
    """A position in decimal degrees, longitude first."""

    lon: float
    lat: float


def _one_line(value) -> str:
    """Return a short repr of ``value`` on one line (a numpy array's repr spans lines)."""
    return " ".join(reprlib.repr(value).split())


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
    _v.text(what, "what")
    prefix = f"{what}: " if what else ""
    try:
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
    except (TypeError, ValueError, OverflowError) as err:
        raise CoordinateError(
            f"{prefix}coordinates must be numbers, got {_one_line(lon)}, {_one_line(lat)}"
        ) from err
    # One reduction per array on the common path (a NaN maximum compares false, so it
    # fails too); the details are worked out only for a message.
    if _within(lon_a, 180.0) and _within(lat_a, 90.0):
        return lon_a, lat_a
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


def _within(values: NDArray, limit: float) -> bool:
    """Return True if every value is within [-limit, limit] (NaN is not).

    Called on every distance computation, so written for speed: a lone value is
    compared as a Python float, and arrays with one ufunc and one reduction.
    """
    if values.size == 1:
        return -limit <= values.item() <= limit
    return bool(np.maximum.reduce(np.abs(values), axis=None, initial=0.0) <= limit)


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
    Shapes that do not broadcast are refused, never reshaped.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Decimal degrees, longitude first, of any shapes that broadcast together.

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
    ParameterError
        If the shapes do not broadcast together; the message names the parameters
        (``lon1`` and ``lat1``, ``lon2`` and ``lat2``, or the two points) and shapes.

    Examples
    --------
    >>> round(distance_km(20.51, 54.71, 13.40, 52.52), 1)  # Kaliningrad to Berlin
    529.6
    """
    lon1, lat1 = check_lonlat(lon1, lat1)
    lon2, lat2 = check_lonlat(lon2, lat2)
    _check_broadcast(lon1, lat1, lon2, lat2)
    km = _inv_m(lon1, lat1, lon2, lat2) / 1000.0
    if km.ndim == 0:
        return float(km)
    return km


def distance_matrix_km(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> NDArray:
    """Return the (len(lon1), len(lon2)) matrix of geodesic distances in km.

    Large matrices are computed in blocks of about a million pairs on every core
    (the geodesic routine releases the GIL); the result is the same, to the bit, as
    one call on broadcast arrays. The whole matrix is returned, so its memory is
    8 bytes per pair: for many sites x many targets use
    :func:`coverage.bulk.nearest_site` or :func:`coverage.bulk.within_reach`, which
    never hold it.

    Parameters
    ----------
    lon1, lat1 : array_like
        1-D decimal degrees of the first set of points (e.g. sites), of the same
        length; either may be a single number shared by the whole set (e.g. one
        latitude for points along a parallel), and two numbers are one point.
    lon2, lat2 : array_like
        1-D decimal degrees of the second set (e.g. targets), likewise.

    Returns
    -------
    numpy.ndarray
        float64 array, row i holding the distances from point i of the first set.

    Raises
    ------
    CoordinateError
        As :func:`distance_km`.
    ParameterError
        If an array is not 1-D, or a set's longitudes and latitudes are arrays of
        different lengths (the message names ``lon1``/``lat1`` or ``lon2``/``lat2``).
    """
    lon1, lat1 = check_lonlat(lon1, lat1)
    lon2, lat2 = check_lonlat(lon2, lat2)
    if lon1.shape != lat1.shape or lon2.shape != lat2.shape or lon1.ndim != 1 or lon2.ndim != 1:
        lon1, lat1 = _point_set(lon1, lat1, "first set of points", ("lon1", "lat1"), shared=True)
        lon2, lat2 = _point_set(lon2, lat2, "second set of points", ("lon2", "lat2"), shared=True)
    n, m = lon1.size, lon2.size
    if n * m < 2 * _BLOCK_PAIRS:
        return _matrix_km(lon1, lat1, lon2, lat2)
    out = np.empty((n, m))
    if n >= m:
        step = max(1, _BLOCK_PAIRS // m)
        blocks = [(slice(i, i + step), slice(None)) for i in range(0, n, step)]
    else:
        step = max(1, _BLOCK_PAIRS // n)
        blocks = [(slice(None), slice(j, j + step)) for j in range(0, m, step)]

    def fill(block: tuple[slice, slice]) -> None:
        rows, cols = block
        out[rows, cols] = _matrix_km(lon1[rows], lat1[rows], lon2[cols], lat2[cols])

    run_blocks(fill, blocks, engine="threads")
    return out


def _point_set(
    lon: NDArray, lat: NDArray, what: str, names: tuple[str, str], *, shared: bool = False
) -> tuple[NDArray, NDArray]:
    """Return a set's longitudes and latitudes as two 1-D arrays of the same length.

    Two numbers are one point. Arrays must be 1-D and of the same length: a list of
    one latitude is not stretched over several longitudes (numpy would broadcast it),
    unless ``shared`` and it is a single number, which then holds for every point.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Validated degrees (see :func:`check_lonlat`).
    what : str
        The set, for messages (e.g. ``"sites"``).
    names : tuple of str
        The caller's parameter names for ``lon`` and ``lat``, for messages.
    shared : bool, default False
        Whether a single number may stand for every point of the set.

    Raises
    ------
    ParameterError
        If an array is not 1-D, or the two differ in length (the message names them).
    """
    for values, name in zip((lon, lat), names, strict=True):
        if values.ndim > 1:
            raise ParameterError(f"{what}: {name} must be 1-D, got shape {values.shape}")
    if lon.ndim == lat.ndim == 0:
        return lon.reshape(1), lat.reshape(1)
    if shared and (lon.ndim == 0 or lat.ndim == 0):
        lon, lat = np.broadcast_arrays(lon, lat)
        return lon.ravel(), lat.ravel()
    if lon.size != lat.size:
        either = " (or one be a single number for the whole set)" if shared else ""
        raise ParameterError(
            f"{what}: {lon.size} longitudes but {lat.size} latitudes; {names[0]} and "
            f"{names[1]} must have the same length{either}"
        )
    return lon.reshape(-1), lat.reshape(-1)


def _same_shape(lon: NDArray, lat: NDArray, what: str, names: tuple[str, str]) -> None:
    """Check that longitudes and latitudes have one shape (any shape; no broadcasting).

    Raises
    ------
    ParameterError
        If the shapes differ; the message names the parameters and their shapes.
    """
    if lon.shape != lat.shape:
        raise ParameterError(
            f"{what}: {lon.size} longitudes but {lat.size} latitudes; {names[0]} (shape "
            f"{lon.shape}) and {names[1]} (shape {lat.shape}) must have the same shape"
        )


def _check_broadcast(lon1: NDArray, lat1: NDArray, lon2: NDArray, lat2: NDArray) -> None:
    """Check that the four inputs of :func:`distance_km` broadcast together.

    Raises
    ------
    ParameterError
        Naming the pair that does not broadcast (``lon1`` and ``lat1``, ``lon2`` and
        ``lat2``, or the first points against the second), with the shapes.
    """
    try:
        np.broadcast_shapes(lon1.shape, lat1.shape, lon2.shape, lat2.shape)
        return
    except ValueError:
        pass
    for a, b, names in ((lon1, lat1, "lon1 and lat1"), (lon2, lat2, "lon2 and lat2")):
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise ParameterError(
                f"{names} do not broadcast together: shapes {a.shape} and {b.shape}"
            ) from None
    first = np.broadcast_shapes(lon1.shape, lat1.shape)
    second = np.broadcast_shapes(lon2.shape, lat2.shape)
    raise ParameterError(
        f"the first points (lon1, lat1: shape {first}) and the second (lon2, lat2: shape "
        f"{second}) do not broadcast together"
    )


def _matrix_km(lon1: NDArray, lat1: NDArray, lon2: NDArray, lat2: NDArray) -> NDArray:
    """(n, m) geodesic km between validated 1-D point sets, in one call."""
    n, m = lon1.size, lon2.size
    if n * m == 0:
        return np.zeros((n, m))
    # All four broadcast inputs in one fresh buffer (faster than np.repeat/np.tile for
    # small inputs); inplace: pyproj may overwrite it, which saves it four copies.
    pairs = np.empty((4, n, m))
    pairs[0], pairs[1] = lon1[:, None], lat1[:, None]
    pairs[2], pairs[3] = lon2, lat2
    _, _, dist = WGS84.inv(*pairs.reshape(4, n * m), inplace=True)
    dist = dist.reshape(n, m)
    dist /= 1000.0
    return dist


def _pair_km(lon1: NDArray, lat1: NDArray, lon2: NDArray, lat2: NDArray) -> NDArray:
    """Geodesic km between already validated points, pairwise (first point first).

    The same geodesic routine, argument order and division by 1000 as
    :func:`distance_matrix_km`, so that the two agree to the bit on the same pair.
    """
    return _inv_m(lon1, lat1, lon2, lat2) / 1000.0


@functools.lru_cache(maxsize=1)
def _geocentric() -> Transformer:
    return Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


#: Polar semi-axis of WGS84 in km: the radius of the largest sphere centred at the
#: Earth's centre that fits inside the ellipsoid.
POLAR_RADIUS_KM = WGS84.b / 1000.0


def directions(lon: NDArray, lat: NDArray) -> NDArray:
    """Return unit vectors from the Earth's centre to points on the ellipsoid, shape (n, 3).

    Geocentric directions (EPSG:4978 positions at height 0, normalised) of validated
    decimal degrees. With :func:`chord_bound` they give a lower bound of geodesic
    distance that a k-d tree can search (see :mod:`coverage.bulk`).
    """
    _v.coordinate_arrays(lon, lat, ndim=1)
    x, y, z = _geocentric().transform(lon, lat, np.zeros_like(lon))
    xyz = np.column_stack([x, y, z])
    xyz /= np.linalg.norm(xyz, axis=1)[:, None]
    return xyz


def _ecef_km(lon: NDArray, lat: NDArray) -> NDArray:
    """Earth-centred (EPSG:4978) positions of points on the ellipsoid, km, shape (n, 3).

    The straight line between two of them is never longer than the geodesic between
    the points, so it bounds geodesic distances from below for a k-d tree.
    """
    lon = np.asarray(lon, dtype=float)
    x, y, z = _geocentric().transform(lon, np.asarray(lat, dtype=float), np.zeros_like(lon))
    return np.column_stack([x, y, z]) / 1000.0


def chord_bound(km: ArrayLike) -> NDArray:
    """Return an upper bound of the chord between :func:`directions` of points ``km`` apart.

    ``km`` is a geodesic distance (>= 0); the bound holds for every pair of points
    at most that far apart.

    The ellipsoid lies outside the sphere of radius b (:data:`POLAR_RADIUS_KM`).
    Moving every point of a path on the ellipsoid along its radius onto that sphere
    is the nearest-point map onto a convex ball, which never lengthens a path; so a
    geodesic of length s between two points is at least b times the angle theta
    between their directions, theta <= s / b, and the chord between the unit
    vectors, 2 sin(theta / 2), is at most 2 sin(min(s / b, pi) / 2). Slack of 1e-9
    relative and 1e-12 rad (6 micrometres) absolute covers the rounding of the unit
    vectors (1e-16) and of the geodesic routine (15 nm): the bound may admit more
    points, never fewer.
    """
    _v.numbers_array(km, "km")
    return _chord_bound(km)


def _chord_bound(km: ArrayLike) -> NDArray:
    """Return :func:`chord_bound` of checked distances."""
    theta = np.minimum(np.asarray(km, dtype=float) / POLAR_RADIUS_KM * (1.0 + 1e-9) + 1e-12, np.pi)
    return 2.0 * np.sin(0.5 * theta)


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
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    _v.number(azimuth_deg, "azimuth_deg")
    _v.number(distance_km, "distance_km")
    check_lonlat(lon, lat)
    km = _check_km(distance_km, "distance_km", allow_zero=True)
    if not math.isfinite(float(azimuth_deg)):
        raise ParameterError(f"azimuth_deg must be finite, got {azimuth_deg!r}")
    lon2, lat2, _ = WGS84.fwd(float(lon), float(lat), float(azimuth_deg), km * 1000.0)
    return LonLat(float(lon2), float(lat2))


def inverse_km(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> tuple[NDArray, NDArray] | tuple[float, float]:
    """Return the geodesic distance and the forward azimuth from point 1 to point 2.

    Both come from one solution of the inverse problem on WGS84 (GeographicLib): the
    distance is the same, to the bit, as :func:`distance_km`'s, and the azimuth is the
    direction in which the shortest geodesic leaves point 1. Inputs broadcast against
    each other like numpy arrays.

    Where the direction is undefined the routine's convention is returned: for
    coincident points (distance 0) an arbitrary azimuth (180 with PROJ 9), so callers
    must treat distance 0 separately; from a pole, the limit along the meridian
    ``lon1`` (from the North Pole towards longitude ``lon1 + d`` the azimuth is
    ``180 - d``, from the South Pole it is ``d``); for antipodal points, one of the
    shortest geodesics.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Decimal degrees, longitude first.

    Returns
    -------
    distance_km : float or numpy.ndarray
        Shortest distance along the ellipsoid in km.
    azimuth_deg : float or numpy.ndarray
        Forward azimuth at point 1 in degrees clockwise from true north, in [0, 360)
        (a tiny negative azimuth that would round to 360 is returned as 0). Both are
        floats when every input is a scalar.

    Raises
    ------
    CoordinateError
        As :func:`distance_km`.
    ParameterError
        If the inputs do not broadcast together.

    Examples
    --------
    >>> km, az = inverse_km(20.51, 54.71, 13.40, 52.52)  # Kaliningrad to Berlin
    >>> round(km, 1), round(az, 1)
    (529.6, 245.5)
    """
    lon1, lat1 = check_lonlat(lon1, lat1)
    lon2, lat2 = check_lonlat(lon2, lat2)
    try:
        arrays = np.broadcast_arrays(lon1, lat1, lon2, lat2)
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in (lon1, lat1, lon2, lat2))
        raise ParameterError(f"inverse_km: inputs of shapes {shapes} do not broadcast") from None
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a).ravel() for a in arrays]
    if flat[0].size == 0:
        return np.zeros(shape), np.zeros(shape)
    azimuth, _, dist = WGS84.inv(*flat)
    km = np.asarray(dist, dtype=float).reshape(shape) / 1000.0
    az = np.mod(np.asarray(azimuth, dtype=float), 360.0).reshape(shape)
    az[az >= 360.0] = 0.0
    if km.ndim == 0:
        return float(km), float(az)
    return km, az


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
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    check_lonlat(lon, lat)
    return _HALF_MERIDIAN_KM


#: Half a meridian of WGS84 in km: the distance from any point to its antipode.
_HALF_MERIDIAN_KM = float(_inv_m(0.0, 90.0, 0.0, -90.0)) / 1000.0


#: Relative default drawing tolerance: the drawn edge stays within this share of the range.
DEFAULT_TOLERANCE_SHARE = 0.001
#: The smallest default drawing tolerance, km (5 m: below the 4-decimal rounding of maps).
MIN_DEFAULT_TOLERANCE_KM = 0.005


def default_tolerance_km(max_km: float) -> float:
    """Return the default drawing tolerance for a ring, km: 0.1 % of the range, at least 5 m.

    Relative to the range, so a ring has about the same number of vertices at any
    size and looks round at the zoom that fits it (a 40 km ring is drawn within
    40 m, a 1,000 km ring within 1 km).

    Parameters
    ----------
    max_km : float
        The ring's (outer) range, km.

    Returns
    -------
    float
        ``max(0.005, 0.001 * max_km)``, km.
    """
    _v.number(max_km, "max_km")
    return _default_tolerance_km(max_km)


def _default_tolerance_km(max_km: float) -> float:
    """Return :func:`default_tolerance_km` of a checked range."""
    return max(MIN_DEFAULT_TOLERANCE_KM, DEFAULT_TOLERANCE_SHARE * float(max_km))


def edge_tolerance_km(radius_km: float, tolerance_km: float) -> float:
    """Return the tolerance one edge of a ring is drawn within, km.

    An annulus has two edges: each is drawn within 0.1 % of its own radius (at least
    5 m, :func:`default_tolerance_km`), and never looser than the ring's tolerance.
    So a 50 km dead zone inside a 500 km ring is drawn within 50 m, not 500 m.

    Parameters
    ----------
    radius_km : float
        The edge's radius, km (> 0).
    tolerance_km : float
        The ring's tolerance, km (> 0): by default that of its outer range.

    Returns
    -------
    float
        ``min(tolerance_km, default_tolerance_km(radius_km))``, km.

    Examples
    --------
    >>> edge_tolerance_km(50.0, 0.5)
    0.05
    >>> edge_tolerance_km(2.0, 0.5)  # the 5 m floor
    0.005
    """
    _v.number(radius_km, "radius_km", low=0, low_open=True)
    _v.number(tolerance_km, "tolerance_km", low=0, low_open=True)
    return min(float(tolerance_km), default_tolerance_km(radius_km))


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
        Minimum range in kilometres; above 0 the result is an annulus (one narrower
        than the tolerance is drawn as wide as the tolerance, inward), whose inner
        edge is drawn within 0.1 % of min_km, at least 5 m, if that is tighter
        (:func:`edge_tolerance_km`).
    tolerance_km : float, optional
        Largest allowed gap between a drawn edge and the true circle; by default
        0.1 % of max_km, at least 5 m.

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
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    _v.number(max_km, "max_km")
    _v.number(min_km, "min_km")
    _v.number(tolerance_km, "tolerance_km", optional=True)
    lon_a, lat_a = check_lonlat(lon, lat)
    if lon_a.ndim or lat_a.ndim:
        raise CoordinateError(f"range_ring takes one centre, got arrays {lon!r}, {lat!r}")
    return _range_ring(float(lon_a), float(lat_a), max_km, min_km, tolerance_km)


def _range_ring(
    lon: float, lat: float, max_km: float, min_km: float = 0.0, tolerance_km: float | None = None
) -> Polygon | MultiPolygon:
    """Return :func:`range_ring` of a checked centre (the ranges are checked here)."""
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
    limit_km = _HALF_MERIDIAN_KM  # the antipodal distance, the same from every point
    if outer_km > limit_km + _ANTIPODAL_SLACK_KM:
        raise ParameterError(
            f"max_km={max_km!r} is beyond the antipodal distance from ({lon:g}, {lat:g}), "
            f"{limit_km:.1f} km: no point on Earth is farther"
        )
    if tolerance_km is None:
        tol = _default_tolerance_km(outer_km)
    else:
        tol = _check_km(tolerance_km, "tolerance_km")

    inner_km = _drawn_min_km(outer_km, inner_km, tol)
    area = _disc(lon, lat, outer_km, tol, limit_km)
    if inner_km > 0:
        inner_tol = edge_tolerance_km(inner_km, tol)
        area = area.difference(_disc(lon, lat, inner_km, inner_tol, limit_km))
    return _as_polygonal(area)


def _drawn_min_km(outer_km: float, inner_km: float, tol_km: float) -> float:
    """Return the minimum range to draw: a band narrower than the tolerance is drawn that wide.

    An annulus whose width is under ``tol_km`` is drawn from ``outer_km - tol_km``
    (its inner edge within the tolerance of the true one), not as a sliver that
    rounding the output would fold; a minimum range that would then fall under
    :data:`MIN_RING_KM` is dropped.
    """
    if inner_km <= 0.0 or outer_km - inner_km >= tol_km:
        return inner_km
    drawn = outer_km - tol_km
    return drawn if drawn >= MIN_RING_KM else 0.0


def range_rings(
    lon: ArrayLike, lat: ArrayLike, max_km: ArrayLike, *, vertices: int = 360
) -> NDArray:
    """Return many range rings at once, each traced by a fixed number of vertices.

    The batch counterpart of :func:`range_ring` for drawing many rings: every vertex
    of every ring comes from one vectorised call to the geodesic routine, and rings
    that neither cross the antimeridian nor hold a pole become polygons in one
    vectorised call too. The others get the same topology as :func:`range_ring`
    (split at +-180, closed along a pole, world minus a cap). Vertices are at the
    exact distance; edges are not refined, so at 360 vertices a 1,000 km ring's
    straight lon/lat edges sag about 50 m inside the circle (use :func:`range_ring`
    for a stated tolerance). Rings beyond 3/4 of the antipodal distance (about
    15,000 km) are drawn by :func:`range_ring` with its default tolerance, since
    there the vertices are found around the antipode instead.

    Parameters
    ----------
    lon, lat : array_like
        Centres in decimal degrees, longitude first; 1-D, broadcast with ``max_km``.
    max_km : float or array_like
        Geodesic ranges in km, from 1 mm up to the antipodal distance.
    vertices : int, default 360
        Vertices per ring (at least 8), at equal steps of azimuth.

    Returns
    -------
    numpy.ndarray
        1-D object array of shapely Polygon or MultiPolygon in lon/lat degrees,
        exteriors counter-clockwise (RFC 7946), one per centre.

    Raises
    ------
    CoordinateError
        On invalid centres.
    ParameterError
        If a range is not finite, below 1 mm or beyond the antipodal distance, the
        inputs do not broadcast to one dimension, or ``vertices`` < 8.

    Examples
    --------
    >>> rings = range_rings([20.51, 179.0], [54.71, -17.0], [500, 1000])
    >>> [r.geom_type for r in rings]
    ['Polygon', 'MultiPolygon']
    """
    _v.numbers_array(max_km, "max_km")
    _v.number(vertices, "vertices", integer=True)
    lon_a, lat_a = check_lonlat(lon, lat)
    try:
        km = np.asarray(max_km, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"max_km must be numbers of kilometres, got {max_km!r}") from None
    try:
        lon_a, lat_a, km = np.broadcast_arrays(
            np.atleast_1d(lon_a), np.atleast_1d(lat_a), np.atleast_1d(km)
        )
    except ValueError as err:
        raise ParameterError(f"centres and ranges do not broadcast together: {err}") from None
    if lon_a.ndim != 1:
        raise ParameterError(f"range_rings takes 1-D inputs, got shape {lon_a.shape}")
    if isinstance(vertices, bool) or not isinstance(vertices, (int, np.integer)) or vertices < 8:
        raise ParameterError(f"vertices must be an integer >= 8, got {vertices!r}")
    bad = ~np.isfinite(km) | (km < MIN_RING_KM) | (km > _HALF_MERIDIAN_KM + _ANTIPODAL_SLACK_KM)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"max_km must be a finite distance from {MIN_RING_KM:g} km (1 mm) to the "
            f"antipodal distance, {_HALF_MERIDIAN_KM:.1f} km, got {km[i]!r} (item {i})"
        )
    out = np.empty(lon_a.size, dtype=object)
    near = np.flatnonzero(km <= _FAR_SIDE_FRACTION * _HALF_MERIDIAN_KM)
    for i in np.flatnonzero(km > _FAR_SIDE_FRACTION * _HALF_MERIDIAN_KM):
        out[i] = _range_ring(float(lon_a[i]), float(lat_a[i]), float(km[i]))
    if near.size == 0:
        return out
    n = int(vertices)
    azimuths = (np.arange(n) + _AZIMUTH_OFFSET) * (360.0 / n)
    lons, lats, _ = WGS84.fwd(
        np.repeat(lon_a[near], n),
        np.repeat(lat_a[near], n),
        np.tile(azimuths, near.size),
        np.repeat(km[near] * 1000.0, n),
    )
    lons, lats = np.reshape(lons, (-1, n)), np.reshape(lats, (-1, n))
    # A ring is plain when its curve crosses no antimeridian and holds no pole: then
    # the polygon is the curve itself. Vertices go clockwise (increasing azimuth), so
    # they are reversed for a counter-clockwise exterior.
    jumps = np.abs(np.diff(lons, axis=1, append=lons[:, :1])) > 180.0
    to_poles = _inv_m(lon_a[near, None], lat_a[near, None], 0.0, np.array([[90.0, -90.0]]))
    holds_pole = (to_poles <= km[near, None] * 1000.0).any(axis=1)
    plain = ~jumps.any(axis=1) & ~holds_pole
    coords = np.stack([lons[plain, ::-1], lats[plain, ::-1]], axis=-1)
    out[near[plain]] = shapely.polygons(np.concatenate([coords, coords[:, :1]], axis=1))
    for k in np.flatnonzero(~plain):
        out[near[k]] = _as_polygonal(_assemble(lons[k], lats[k]))
    return out


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
    step = np.empty_like(lons)
    np.subtract(lons[1:], lons[:-1], out=step[:-1])
    step[-1] = lons[0] - lons[-1]
    dlon = _wrap_delta(step)
    winding = float(dlon.sum())
    unwrapped = np.empty_like(lons)
    unwrapped[0] = 0.0
    np.cumsum(dlon[:-1], out=unwrapped[1:])
    unwrapped += lons[0]

    if abs(winding) < 180.0:
        x, y = unwrapped, lats
        curve = shapely.polygons(np.column_stack([x, y]))
        if not curve.is_valid:
            curve = shapely.make_valid(curve)
        # Shoelace formula (twice the area): negative for clockwise travel. On coordinates
        # relative to the curve's mean: with absolute degrees, the rounding of products
        # near 180 x 90 outweighs the area of a ring under a metre and flips the sign.
        xc, yc = x - x.mean(), y - y.mean()
        signed_area = float(xc[:-1] @ yc[1:] - xc[1:] @ yc[:-1] + xc[-1] * yc[0] - xc[0] * yc[-1])
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
        piece = shapely.clip_by_rect(area, -180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        if not piece.is_empty:
            if k:
                piece = shapely.transform(piece, lambda xy, k=k: xy - [360.0 * k, 0.0])
            pieces.extend(shapely.get_parts(piece))
    # The pieces of one window never overlap those of another unless the area spans
    # more than 360 degrees of longitude; only then is a (slower) union needed.
    folded = shapely.multipolygons(pieces)
    return folded if folded.is_valid else shapely.union_all(pieces)


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


def rounded(geom, decimals: int):
    """Return a geometry with its coordinates rounded to a grid, still valid.

    Writers round coordinates (GeoJSON and KML to 6 decimals, the map to 4); rounding
    each vertex on its own can fold a feature thinner than the grid (a sector a
    fraction of a degree wide near its origin, an annulus whose minimum range is
    within metres of its maximum) into a self-intersecting ring. Each vertex is
    rounded on its own when that keeps the geometry valid (the usual case, so output
    is unchanged); otherwise GEOS's precision reducer rounds it to a valid geometry,
    in which parts thinner than the grid collapse (possibly to an empty one).

    Parameters
    ----------
    geom : shapely geometry
        In lon/lat degrees.
    decimals : int
        Decimal places of degrees kept (6 is about 0.1 m, 4 about 11 m).

    Returns
    -------
    shapely geometry
        Valid, with every coordinate a multiple of ``10 ** -decimals`` degrees.

    Examples
    --------
    >>> import shapely
    >>> rounded(shapely.box(0, 0, 1e-9, 1), 6).is_empty
    True
    """
    _v.geometry(geom, "geom")
    _v.number(decimals, "decimals", integer=True, low=0, high=15)
    grid = 10.0**-decimals
    out = shapely.set_precision(geom, grid, mode="pointwise")
    if out.is_valid:
        return out
    return shapely.set_precision(geom, grid)


# Helpers for coverage.areas (distances to and along polygon edges). They take
# validated decimal degrees and return kilometres, so that metres stay in this module.


def _forward_km(lon: NDArray, lat: NDArray, azimuth_deg: NDArray, km: NDArray):
    """Points reached along geodesics: ``(lon2, lat2, back_azimuth_deg)``, arrays.

    ``back_azimuth_deg`` is the azimuth at the destination pointing back to the start
    (add 180 for the direction of travel there).
    """
    args = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lon, lat, azimuth_deg, km)))
    flat = [np.ascontiguousarray(a, dtype=float).ravel().copy() for a in args]
    if flat[0].size == 0:
        empty = np.zeros(args[0].shape)
        return empty, empty.copy(), empty.copy()
    flat[3] *= 1000.0
    lon2, lat2, back = WGS84.fwd(*flat, inplace=True)
    shape = args[0].shape
    return (
        np.asarray(lon2, dtype=float).reshape(shape),
        np.asarray(lat2, dtype=float).reshape(shape),
        np.asarray(back, dtype=float).reshape(shape),
    )


def _inverse_km(lon1: NDArray, lat1: NDArray, lon2: NDArray, lat2: NDArray):
    """Geodesics between points: ``(azimuth12_deg, azimuth21_deg, km)``, arrays.

    ``azimuth12_deg`` is the direction at the first point towards the second,
    ``azimuth21_deg`` the direction at the second point towards the first.
    """
    args = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lon1, lat1, lon2, lat2)))
    flat = [np.ascontiguousarray(a, dtype=float).ravel().copy() for a in args]
    shape = args[0].shape
    if flat[0].size == 0:
        empty = np.zeros(shape)
        return empty, empty.copy(), empty.copy()
    az12, az21, dist = WGS84.inv(*flat, inplace=True)
    return (
        np.asarray(az12, dtype=float).reshape(shape),
        np.asarray(az21, dtype=float).reshape(shape),
        np.asarray(dist, dtype=float).reshape(shape) / 1000.0,
    )


# Mean Earth radius for the spherical step of the intercept iteration, km; the
# iteration converges on the ellipsoid whatever this value (it only sets the rate).
_R_KM = 6371.0088
# Intercept iteration: stop when a step moves less than this (km, 1 micrometre).
_FOOT_STEP_KM = 1e-9
_FOOT_ROUNDS = 30
# Farthest points near the antipode: evenly spaced samples, then golden-section steps.
_FAR_SAMPLES = 16
_GOLDEN_ROUNDS = 60


def _edge_foot_km(
    edge: tuple[NDArray, NDArray, NDArray, NDArray],
    plon: NDArray,
    plat: NDArray,
    s: NDArray,
    *,
    farthest: bool,
) -> NDArray:
    """Distance from each point to the critical point of its edge (nearest or farthest), km.

    ``edge`` holds each point's geodesic edge as ``(lon, lat, azimuth, length_km)``
    of its start; ``s`` is where the search starts along it, km (updated in place).

    The intercept iteration: from the current point X of the edge, the spherical
    along-track distance to the foot of the perpendicular from the point P is
    ``R atan2(sin(d/R) cos(D), cos(d/R))`` (D, the angle at X between the edge and
    the direction to P), or that plus half a great circle for the farthest foot.
    Stepping by it and re-measuring on the ellipsoid converges linearly, with a
    ratio of the order of the flattening, to the point where the geodesic from X to P
    is perpendicular to the edge. Steps are clamped to the edge [0, L].
    """
    alon, alat, az, length = edge
    sign = -1.0 if farthest else 1.0
    active = np.ones(alon.size, dtype=bool)
    for _ in range(_FOOT_ROUNDS):
        i = np.flatnonzero(active)
        if i.size == 0:
            break
        xlon, xlat, back = _forward_km(alon[i], alat[i], az[i], s[i])
        az_xp, _, d = _inverse_km(xlon, xlat, plon[i], plat[i])
        delta = np.radians(az_xp - (back + 180.0))
        ang = d / _R_KM
        along = _R_KM * np.arctan2(sign * np.sin(ang) * np.cos(delta), sign * np.cos(ang))
        along = np.where(d > 0.0, along, 0.0)
        new = np.clip(s[i] + along, 0.0, length[i])
        moved = np.abs(new - s[i])
        s[i] = new
        active[i] = moved > _FOOT_STEP_KM
    xlon, xlat, _ = _forward_km(alon, alat, az, s)
    return _inverse_km(xlon, xlat, plon, plat)[2]


def _edge_far_km(
    edge: tuple[NDArray, NDArray, NDArray, NDArray], plon: NDArray, plat: NDArray
) -> NDArray:
    """Largest distance from each point to its edge, km: samples, then a golden-section search.

    ``edge`` as :func:`_edge_foot_km`.

    Near a point's antipode the distance along an edge rises to a ridge (where the
    shortest geodesic jumps from one side of the ellipsoid to the other) or to a
    smooth top; either way it has one maximum between the neighbours of the best of
    :data:`_FAR_SAMPLES` + 1 evenly spaced samples, which the search closes in on to
    well under a millimetre (a 100 km edge shrinks by 0.618 per step).
    """
    alon, alat, az, length = edge

    def dist(s: NDArray) -> NDArray:
        xlon, xlat, _ = _forward_km(alon, alat, az, s)
        return _inverse_km(xlon, xlat, plon, plat)[2]

    fractions = np.linspace(0.0, 1.0, _FAR_SAMPLES + 1)
    samples = np.column_stack([dist(length * f) for f in fractions])
    j = samples.argmax(axis=1)
    lo = length * fractions[np.maximum(j - 1, 0)]
    hi = length * fractions[np.minimum(j + 1, _FAR_SAMPLES)]
    ratio = 0.5 * (math.sqrt(5.0) - 1.0)
    x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    f1, f2 = dist(x1), dist(x2)
    for _ in range(_GOLDEN_ROUNDS):
        right = f2 > f1  # the maximum lies in [x1, hi]
        lo = np.where(right, x1, lo)
        hi = np.where(right, hi, x2)
        x1, x2 = (
            np.where(right, x2, hi - ratio * (hi - lo)),
            np.where(right, lo + ratio * (hi - lo), x1),
        )
        f_new = dist(np.where(right, x2, x1))
        f1, f2 = np.where(right, f2, f_new), np.where(right, f_new, f1)
    return np.maximum(samples.max(axis=1), np.maximum(f1, f2))


#: Mean radius of WGS84, (2a + b) / 3, in km: the sphere of the radar-horizon model.
MEAN_RADIUS_KM = (2.0 * WGS84.a + WGS84.b) / 3.0 / 1000.0


def radar_horizon_km(
    radar_height_m: ArrayLike, target_height_m: ArrayLike, *, k: float = 4.0 / 3.0
) -> NDArray | float:
    """Return the radar horizon: how far a radar sees a target over a smooth Earth, km.

    The line-of-sight model of radar engineering: a smooth spherical Earth of
    effective radius ``k`` times the mean radius of WGS84 (6,371.0088 km), ``k = 4/3``
    for standard atmospheric refraction, and ``d = sqrt(2 k R h_r) + sqrt(2 k R h_t)``
    (FS-1037C "radar line-of-sight equation"; with heights in metres, about
    4.12 km times (sqrt(h_r) + sqrt(h_t))). It is an upper bound: terrain masking,
    clutter, multipath and ducting (k above 2) are not modelled.

    Parameters
    ----------
    radar_height_m : float or array_like
        Height of the radar antenna above the surface, metres, >= 0.
    target_height_m : float or array_like
        Height of the target above the surface, metres, >= 0.
    k : float, default 4/3
        Effective Earth radius factor, > 0.

    Returns
    -------
    float or numpy.ndarray
        Horizon distance in km (a float for scalar input).

    Raises
    ------
    ParameterError
        If a height is negative or not finite, or ``k`` is not a positive number, or
        either is so large that the horizon overflows a float.

    Examples
    --------
    >>> round(radar_horizon_km(30, 100), 1)  # 30 m mast, target at 100 m
    63.8
    >>> round(radar_horizon_km(30, 5), 1)    # the same radar, a sea-skimmer at 5 m
    31.8
    """
    _v.broadcastable((radar_height_m, "radar_height_m"), (target_height_m, "target_height_m"))
    _v.number(k, "k", low=0, low_open=True)
    if isinstance(k, bool) or not isinstance(k, (int, float)) or not math.isfinite(k) or k <= 0:
        raise ParameterError(f"k: must be a positive number, got {k!r}", parameter="k")
    heights = []
    for name, value in (("radar_height_m", radar_height_m), ("target_height_m", target_height_m)):
        try:
            h = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(
                f"{name}: must be a number of metres, got {value!r}", parameter=name
            ) from None
        if not np.all(np.isfinite(h)) or np.any(h < 0):
            raise ParameterError(
                f"{name}: must be a finite height of 0 m or more, got {value!r}", parameter=name
            )
        heights.append(h)
    radius_m = k * MEAN_RADIUS_KM * 1000.0
    with np.errstate(over="ignore", invalid="ignore"):
        parts = [np.sqrt(2.0 * radius_m * h) for h in heights]
    names = ("k", "radar_height_m", "target_height_m")
    for name, part in zip(names, ([radius_m], *parts), strict=True):
        if not np.all(np.isfinite(part)):
            raise ParameterError(
                f"{name}: too large, the horizon overflows a float", parameter=name
            )
    km = (parts[0] + parts[1]) / 1000.0
    return float(km) if km.ndim == 0 else km
