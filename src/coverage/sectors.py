"""Azimuth sectors: envelopes limited to the directions a launcher or radar faces.

A :class:`Sector` is a range of forward azimuths at the origin, in degrees clockwise
from true north, running clockwise from ``from_deg`` to ``to_deg`` (both included) and
allowed to wrap through north (``300,60``). A target is in a sector envelope when

    ``min_km <= distance <= max_km`` and (``distance == 0`` or its azimuth is in the sector),

with distance and forward azimuth from one exact solution of the inverse geodesic
problem (:func:`coverage.geodesy.inverse_km`). At the origin itself (distance 0) the
azimuth is undefined and the origin is inside every sector whose band starts at 0 km.

- :func:`within_sector` decides one origin against millions of points, exactly: a
  cheap bound settles most points and only the rest are measured.
- :func:`sector_polygon` draws the wedge (or annular wedge) for display, to a stated
  tolerance, split at +-180 and closed along a pole as :func:`coverage.geodesy.range_ring`
  is; whether a target is inside comes from the rule above, never from the polygon.

This module reuses private helpers of :mod:`coverage.geodesy` (curve assembly and
refinement pieces, ``_forward_km``), so that metres and ``pyproj.Geod`` stay there.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Polygon

from . import _validate as _v
from .errors import CoverageWarning, ParameterError
from .geodesy import (
    MIN_RING_KM,
    POLAR_RADIUS_KM,
    WGS84,
    _as_polygonal,
    _assemble,
    _check_km,
    _drawn_min_km,
    _forward_km,
    _start_count,
    _wrap_delta,
    check_lonlat,
    default_tolerance_km,
    edge_tolerance_km,
    inverse_km,
    range_ring,
)

__all__ = ["Sector", "sector_polygon", "within_sector"]

#: Flattening of WGS84 (dimensionless) and its semi-axes in km.
_F = float(WGS84.f)
_B_KM = POLAR_RADIUS_KM
_A_KM = POLAR_RADIUS_KM / (1.0 - _F)
#: Largest range :func:`sector_polygon` draws, km: pi b^2 / a, about 19,903.6 km. The
#: curvature of WGS84 is at most a^2 / b^4 (at the poles) and its shortest closed
#: geodesic is a meridian (40,007.9 km), so by Klingenberg's lemma every geodesic from
#: any point is a shortest path for at least min(pi b^2 / a, 20,003.9 km): up to this
#: range the wedge is exactly the set of points reached by walking out along azimuths
#: of the sector, and its edges can be traced with the direct problem.
MAX_SECTOR_KM = math.pi * _B_KM * _B_KM / _A_KM
# Arc length on the auxiliary sphere (radians) beyond which within_sector measures
# every point (see _bounds: a shortest geodesic spans at most pi + 0.0053 there).
_SIGMA_CAP = 0.9 * math.pi
# Below this arc (radians, about 6 m) points are measured: rounding dominates the bound.
_SIGMA_MIN = 1e-6
# Degrees of latitude per km at a pole (1 degree of meridian there is 111.694 km).
_DEG_PER_KM_AT_POLE = 180.0 / (math.pi * _A_KM * _A_KM / _B_KM)
# Refinement limits: a safety net, never reached for valid input in the test-suite.
_MAX_ROUNDS = 40
_MAX_VERTICES = 200_000
_PAIR = re.compile(r"^\s*([^,\s]+)\s*,\s*([^,\s]+)\s*$")


@dataclass(frozen=True)
class Sector:
    """Directions from ``from_deg`` clockwise to ``to_deg``, degrees from true north.

    Both edges belong to the sector. ``to_deg`` may be smaller than ``from_deg``: the
    sector then wraps through north (``Sector(300, 60)`` is 120 degrees wide, centred
    on north).

    Parameters
    ----------
    from_deg, to_deg : float
        Azimuths in degrees within [0, 360]; 360 is accepted as a synonym of 0 and
        stored as 0.

    Raises
    ------
    ParameterError
        If an azimuth is not a finite number within [0, 360], or the two are the same
        direction (a sector needs a width; for every direction use no sector at all).

    Examples
    --------
    >>> s = Sector(300, 60)
    >>> str(s), s.width_deg
    ('300°–60°', 120.0)
    >>> s.contains([0.0, 59.9, 180.0]).tolist()
    [True, True, False]
    """

    from_deg: float
    to_deg: float

    def __post_init__(self) -> None:
        values = []
        for name, value in (("from_deg", self.from_deg), ("to_deg", self.to_deg)):
            if isinstance(value, bool):
                raise ParameterError(f"sector: {name} must be a number of degrees, got {value!r}")
            try:
                deg = float(value)
            except (TypeError, ValueError) as err:
                raise ParameterError(
                    f"sector: {name} must be a number of degrees, got {value!r}"
                ) from err
            if not (math.isfinite(deg) and 0.0 <= deg <= 360.0):
                raise ParameterError(
                    f"sector: {name} must be an azimuth within [0, 360] degrees, got {value!r}"
                )
            values.append(0.0 if deg == 360.0 else deg)
        if values[0] == values[1]:
            raise ParameterError(
                f"sector: FROM and TO are the same direction ({self.from_deg!r}, "
                f"{self.to_deg!r}); a sector needs a width, and for every direction "
                "give no sector"
            )
        object.__setattr__(self, "from_deg", values[0])
        object.__setattr__(self, "to_deg", values[1])

    @classmethod
    def parse(cls, text: str) -> Sector:
        """Return the sector written ``"FROM,TO"`` in degrees, e.g. ``"300,60"``.

        Parameters
        ----------
        text : str
            Two azimuths in degrees separated by a comma; spaces are allowed.

        Returns
        -------
        Sector

        Raises
        ------
        ParameterError
            If the text is not two numbers separated by a comma, or they do not make
            a valid sector (see :class:`Sector`).

        Examples
        --------
        >>> Sector.parse("300, 60")
        Sector(from_deg=300.0, to_deg=60.0)
        """
        _v.text(text, "sector")
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> Sector:
        """Return :meth:`parse` of checked text."""
        match = _PAIR.match(text) if isinstance(text, str) else None
        if match is None:
            raise ParameterError(
                f"sector: must be FROM,TO in degrees clockwise from north, e.g. '300,60', "
                f"got {text!r}"
            )
        numbers = []
        for part in match.groups():
            try:
                numbers.append(float(part))
            except ValueError:
                raise ParameterError(
                    f"sector: must be FROM,TO in degrees clockwise from north, e.g. '300,60', "
                    f"got {text!r}"
                ) from None
        return cls(*numbers)

    @property
    def width_deg(self) -> float:
        """Angular width in degrees, in (0, 360)."""
        return (self.to_deg - self.from_deg) % 360.0

    def contains(self, azimuth_deg: ArrayLike) -> bool | NDArray:
        """Return whether azimuths lie in the sector (edges included), vectorised.

        Parameters
        ----------
        azimuth_deg : float or array_like
            Azimuths in degrees clockwise from north. Values in [0, 360), as
            :func:`coverage.geodesy.inverse_km` returns them, are compared as they are
            (``from_deg <= az <= to_deg``, or ``az >= from_deg or az <= to_deg`` for a
            sector through north), so the decision is exact; other finite values are
            first reduced modulo 360. NaN and ±inf are outside.

        Returns
        -------
        bool or numpy.ndarray
            A bool for a scalar, else a bool array of the input's shape.
        """
        _v.numbers_array(azimuth_deg, "azimuth_deg")
        az = np.asarray(azimuth_deg, dtype=float)
        outside = (az < 0.0) | (az >= 360.0)
        if np.any(outside):
            with np.errstate(invalid="ignore"):  # ±inf reduces to NaN: outside, like NaN
                az = np.where(outside, np.mod(az, 360.0), az)
            az = np.where(az >= 360.0, 0.0, az)
        lo, hi = self.from_deg, self.to_deg
        inside = (az >= lo) & (az <= hi) if lo < hi else (az >= lo) | (az <= hi)
        return bool(inside) if inside.ndim == 0 else inside

    def __str__(self) -> str:
        return f"{self.from_deg:g}°–{self.to_deg:g}°"


def _decide(sector: Sector, km: NDArray, az: NDArray, min_km: float, max_km: float) -> NDArray:
    """Apply the membership rule to exact distances (km) and azimuths (degrees)."""
    return (km >= min_km) & (km <= max_km) & ((km == 0.0) | sector.contains(az))


def _check_sector(sector: object) -> Sector:
    if not isinstance(sector, Sector):
        raise ParameterError(
            f"sector: must be a Sector (e.g. Sector.parse('300,60')), got {sector!r}"
        )
    return sector


def _one_centre(lon: ArrayLike, lat: ArrayLike, caller: str) -> tuple[float, float]:
    lon_a, lat_a = check_lonlat(lon, lat, what="centre")
    if lon_a.size != 1 or lat_a.size != 1:
        raise ParameterError(f"lon, lat: {caller} takes one centre, got {lon!r}, {lat!r}")
    return float(lon_a.item()), float(lat_a.item())


def _band(max_km: float, min_km: float) -> tuple[float, float]:
    top = _check_km(max_km, "max_km")
    bottom = _check_km(min_km, "min_km", allow_zero=True)
    if bottom >= top:
        raise ParameterError(
            f"min_km must be smaller than max_km, got min_km={min_km!r} >= max_km={max_km!r}"
        )
    return top, bottom


def _reduced(lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Sine and cosine of the reduced latitude, tan(beta) = (1 - f) tan(lat)."""
    phi = np.radians(lat)
    sb = (1.0 - _F) * np.sin(phi)
    cb = np.cos(phi)
    h = np.hypot(sb, cb)
    return sb / h, cb / h


def within_sector(
    lon: float,
    lat: float,
    sector: Sector,
    lons: ArrayLike,
    lats: ArrayLike,
    *,
    max_km: float,
    min_km: float = 0.0,
) -> NDArray:
    """Return a boolean per point: within the band and the sector from one origin, exactly.

    The rule is ``min_km <= d <= max_km and (d == 0 or sector.contains(az))`` with
    ``d, az = inverse_km(lon, lat, lons, lats)``, and the answer is identical to applying
    it to every point; but most points are settled by a bound and only the rest are
    measured. Hand-written: no library bounds geodesic azimuths this way.

    The bound works on the auxiliary sphere of the geodesic problem (reduced latitudes
    beta, tan(beta) = (1 - f) tan(lat)), where a geodesic is a great circle with the
    same azimuths, its length s satisfies b sigma <= s <= a sigma (sigma, its arc), and
    its longitude on the sphere differs from the ellipsoidal one by at most
    f |sin(alpha_0)| sigma = f |sin(az)| cos(beta_1) sigma (Karney 2013, eq. 8: the
    integrand of I3 is at most 1). Measuring the great circle to (beta_2, lon_2)
    therefore misplaces the target by at most L = f |sin(az)| cos(beta_1) cos(beta_2)
    sigma along its parallel, which turns its azimuth by at most L / sin(sigma -+ L)
    and its arc by at most L. Points whose bounded distance and azimuth are clear of
    the band's and the sector's edges are decided; the others (near an edge, within
    6 m of the origin, or more than 0.9 pi of arc away) are measured.

    Parameters
    ----------
    lon, lat : float
        Origin in decimal degrees, longitude first.
    sector : Sector
        Directions covered, clockwise from ``sector.from_deg`` to ``sector.to_deg``.
    lons, lats : array_like
        1-D decimal degrees of the points, of the same length.
    max_km : float
        Maximum range in km (> 0).
    min_km : float, default 0.0
        Minimum range in km (>= 0, below ``max_km``).

    Returns
    -------
    numpy.ndarray
        bool, one per point.

    Raises
    ------
    CoordinateError
        If the origin or a point is invalid.
    ParameterError
        If the origin is not one point, ``sector`` is not a :class:`Sector`, ``lons``
        or ``lats`` is not 1-D or they differ in length, or a range is not finite,
        negative, ``max_km`` is 0 or ``min_km >= max_km``.

    Examples
    --------
    >>> east = Sector(45, 135)
    >>> within_sector(20.51, 54.71, east, [27.56, 13.40, 20.51], [53.90, 52.52, 54.71],
    ...               max_km=600).tolist()  # Minsk (east), Berlin (west), the origin
    [True, False, True]
    """
    _v.numbers_array(lon, "lon")
    _v.numbers_array(lat, "lat")
    _v.instance(sector, "sector", Sector)
    _v.numbers_array(lons, "lons")
    _v.numbers_array(lats, "lats")
    _v.number(max_km, "max_km")
    _v.number(min_km, "min_km")
    clon, clat = _one_centre(lon, lat, "within_sector")
    sector = _check_sector(sector)
    x, y = check_lonlat(lons, lats, what="points")
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise ParameterError(
            f"lons, lats must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}"
        )
    top, bottom = _band(max_km, min_km)
    result = np.zeros(x.size, dtype=bool)
    if x.size == 0:
        return result
    undecided = _bounds(clon, clat, sector, x, y, top, bottom, result)
    if undecided.size:
        km, az = inverse_km(clon, clat, x[undecided], y[undecided])
        result[undecided] = _decide(sector, km, az, bottom, top)
    return result


def _bounds(
    clon: float,
    clat: float,
    sector: Sector,
    x: NDArray,
    y: NDArray,
    top: float,
    bottom: float,
    result: NDArray,
) -> NDArray:
    """Settle what the bound allows (writing True into ``result``); return the rest's indices.

    See :func:`within_sector` for the reasoning. Every comparison carries slack for
    rounding: 1e-9 relative and 1 micrometre on distances, and on azimuths 1e-12 rad
    plus 1e-14 rad / sin(sigma) (a 64 nm misplacement, four times GeographicLib's error).
    """
    s1, c1 = (float(v) for v in _reduced(clat))
    s2, c2 = _reduced(y)
    dlon = np.radians(x - clon)
    cos_dlon = np.cos(dlon)
    cos_sigma = s1 * s2 + c1 * c2 * cos_dlon
    # First pass on cos(sigma) alone: points surely beyond max_km or inside min_km.
    # There L <= k sigma with k = f c1 / (1 - f c1), and s >= b (sigma - L) holds even
    # for a (near-antipodal) geodesic whose arc exceeds pi.
    k = _F * c1 / (1.0 - _F * c1)
    far = (top * (1.0 + 1e-9) + 1e-9) / (_B_KM * (1.0 - k)) + 1e-7
    keep = np.ones(x.size, dtype=bool) if far >= math.pi else cos_sigma >= math.cos(far)
    near = (bottom * (1.0 - 1e-9) - 1e-9) / (_A_KM * (1.0 + k)) - 1e-7
    if 1e-6 < near < _SIGMA_CAP:
        keep &= cos_sigma <= math.cos(near)
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return idx
    s2, c2, dlon, cos_sigma = s2[idx], c2[idx], dlon[idx], cos_sigma[idx]
    north = c1 * s2 - s1 * c2 * cos_dlon[idx]
    east = c2 * np.sin(dlon)
    sin_sigma = np.hypot(north, east)
    sigma = np.arctan2(sin_sigma, cos_sigma)
    azimuth = np.degrees(np.arctan2(east, north))
    q = _F * c1 * c2
    with np.errstate(divide="ignore", invalid="ignore"):
        ell = q * sigma / (1.0 - q)  # with |sin(az)| <= 1
        min_sin = np.minimum(np.sin(sigma - ell), np.sin(sigma + ell))
        turn = (ell * (1.0 + 1e-9) + 1e-14) / min_sin + 1e-12
        # Again with |sin(az)| bounded by the first estimate: much tighter near 0 and 180.
        sin_az = np.minimum(1.0, np.abs(east) / sin_sigma + turn + 1e-15)
        ell = ell * sin_az
        turn = np.degrees((ell * (1.0 + 1e-9) + 1e-14) / min_sin + 1e-12) + 1e-9
    valid = (sigma > _SIGMA_MIN) & (sigma + ell < _SIGMA_CAP) & (min_sin > 0)
    lo_km = _B_KM * (sigma - ell) * (1.0 - 1e-9) - 1e-9
    hi_km = _A_KM * (sigma + ell) * (1.0 + 1e-9) + 1e-9
    offset = np.mod(azimuth - sector.from_deg, 360.0)
    width = sector.width_deg
    az_in = (offset >= turn) & (offset <= width - turn)
    az_out = (offset > width + turn) & (offset < 360.0 - turn)
    d_in = hi_km <= top
    if bottom > 0:
        d_in &= lo_km >= bottom
    d_out = (lo_km > top) | (hi_km < bottom)
    sure_in = valid & az_in & d_in
    sure_out = valid & (az_out | d_out)
    result[idx[sure_in]] = True
    return idx[~(sure_in | sure_out)]


# --------------------------------------------------------------------------- drawing


def sector_polygon(
    lon: float,
    lat: float,
    max_km: float,
    sector: Sector,
    *,
    min_km: float = 0.0,
    tolerance_km: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the wedge of points within a band of distance and a sector of azimuth.

    The area is the set of points at geodesic distance ``min_km <= d <= max_km`` whose
    forward azimuth from the origin lies in ``sector`` (a wedge, or an annular wedge
    when ``min_km > 0``). Its boundary is the two radial geodesics at ``from_deg`` and
    ``to_deg`` and the arcs of the circles between them; vertices lie exactly on them
    (radial vertices at the exact azimuth, arc vertices at the exact distance) and are
    placed densely enough that every straight lon/lat edge stays within
    ``tolerance_km`` of the true boundary (checked, and refined where needed). A wedge
    crossing the antimeridian is split at +-180 (RFC 7946); one holding a pole, or
    drawn from a pole, is closed along it. A wedge narrower than ``tolerance_km`` at
    ``max_km`` is drawn that wide around its middle azimuth, and one whose gap is
    narrower than that is drawn as the whole ring (or annulus): both within the
    tolerance, and never a sliver that rounding would fold; so is an annular wedge
    narrower than the tolerance (drawn that wide, inward).

    Parameters
    ----------
    lon, lat : float
        Origin in decimal degrees, longitude first. At a pole, azimuths follow
        GeographicLib's convention (the pole as the limit along the meridian ``lon``).
    max_km : float
        Range in km, > 0, at most :data:`MAX_SECTOR_KM` (about 19,903.6 km, where
        geodesics from any point are still shortest paths; beyond it, near the
        antipode, use :func:`coverage.geodesy.range_ring` or decide with
        :func:`within_sector`).
    sector : Sector
        Directions covered.
    min_km : float, default 0.0
        Minimum range in km; above 0 the wedge does not reach the origin.
    tolerance_km : float, optional
        Largest allowed gap between a drawn edge and the true boundary; by default
        0.1 % of max_km, at least 5 m, as for range rings.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid geometry in lon/lat degrees (x = longitude), exteriors counter-clockwise.
        For display only: membership comes from :func:`within_sector`.

    Raises
    ------
    CoordinateError
        If the origin is invalid.
    ParameterError
        If the origin is not one point, ``sector`` is not a :class:`Sector`, a range
        is not finite, ``max_km <= 0``, ``min_km < 0``, ``min_km >= max_km``, a range
        is below 1 mm, ``max_km`` exceeds :data:`MAX_SECTOR_KM`, or
        ``tolerance_km <= 0``.

    Examples
    --------
    >>> from shapely import Point
    >>> wedge = sector_polygon(20.51, 54.71, 500, Sector(45, 135))
    >>> wedge.geom_type, wedge.contains(Point(23.0, 54.5))
    ('Polygon', True)
    """
    _v.numbers_array(lon, "lon")
    _v.numbers_array(lat, "lat")
    _v.number(max_km, "max_km")
    _v.instance(sector, "sector", Sector)
    _v.number(min_km, "min_km")
    _v.number(tolerance_km, "tolerance_km", optional=True)
    clon, clat = _one_centre(lon, lat, "sector_polygon")
    sector = _check_sector(sector)
    outer, inner = _band(max_km, min_km)
    for name, km in (("max_km", outer), ("min_km", inner)):
        if 0 < km < MIN_RING_KM:
            raise ParameterError(
                f"{name} must be 0 or at least {MIN_RING_KM:g} km (1 mm) to be drawn, got {km!r}"
            )
    if outer > MAX_SECTOR_KM:
        raise ParameterError(
            f"max_km={max_km!r} is beyond {MAX_SECTOR_KM:,.1f} km, the largest range a "
            "sector is drawn for (near the antipode azimuths stop following geodesics "
            "from the origin); decide membership with within_sector"
        )
    tol = (
        default_tolerance_km(outer)
        if tolerance_km is None
        else _check_km(tolerance_km, "tolerance_km")
    )
    inner = _drawn_min_km(outer, inner, tol)
    drawn = _drawn_sector(sector, outer, tol)
    if drawn is None:
        return range_ring(clon, clat, outer, min_km=inner, tolerance_km=tol)
    lons, lats = _wedge_curve(clon, clat, drawn, outer, inner, tol)
    return _as_polygonal(_assemble(lons, lats))


def _drawn_sector(sector: Sector, outer: float, tol: float) -> Sector | None:
    """Return the sector to draw: None for the whole ring, or one at least ``tol`` wide.

    A wedge of ``w`` radians is at most ``w * outer`` km wide (the reduced length of
    a geodesic never exceeds its length), so a gap narrower than ``tol`` at the
    outer arc is within the tolerance of the whole ring (or annulus), which is drawn
    instead; and a wedge narrower than that is drawn ``tol`` wide around its middle
    azimuth, within ``tol / 2`` of the true one, rather than as a sliver that no
    output could round without folding it.
    """
    span = math.degrees(tol / outer)
    if span >= 360.0 or 360.0 - sector.width_deg <= span:
        return None
    if sector.width_deg >= span:
        return sector
    middle = sector.from_deg + 0.5 * sector.width_deg
    return Sector((middle - 0.5 * span) % 360.0, (middle + 0.5 * span) % 360.0)


def _wedge_curve(
    clon: float, clat: float, sector: Sector, outer: float, inner: float, tol: float
) -> tuple[NDArray, NDArray]:
    """Vertices of the wedge's boundary, clockwise (covered side on the right)."""
    first, width = sector.from_deg, sector.width_deg
    last = first + width
    snap = min(1e-3, 0.01 * tol)  # km: vertices this close to a pole are put on it
    at_pole = abs(clat) == 90.0
    parts = []
    out_from = _radial(clon, clat, first, inner, outer, tol, snap, at_pole)
    out_to = _radial(clon, clat, sector.to_deg, inner, outer, tol, snap, at_pole)
    arc_out = _arc(clon, clat, outer, first, last, tol, snap)
    parts += [out_from, _inner_part(arc_out), _reverse(out_to)]
    if inner > 0:
        arc_in = _arc(clon, clat, inner, first, last, edge_tolerance_km(inner, tol), snap)
        # The curve closes from the inner end of the TO edge to that of the FROM edge.
        parts.append(_inner_part(_reverse(arc_in)))
    else:
        parts[2] = (parts[2][0][:-1], parts[2][1][:-1])  # the origin, once
    lons = np.concatenate([p[0] for p in parts])
    lats = np.concatenate([p[1] for p in parts])
    pole_lat = 90.0 - snap * _DEG_PER_KM_AT_POLE
    lats = np.where(lats >= pole_lat, 90.0, np.where(lats <= -pole_lat, -90.0, lats))
    return _through_poles(lons, lats)


def _inner_part(part: tuple[NDArray, NDArray]) -> tuple[NDArray, NDArray]:
    """Return an arc without its end vertices (those belong to the radial edges)."""
    return part[0][1:-1], part[1][1:-1]


def _reverse(part: tuple[NDArray, NDArray]) -> tuple[NDArray, NDArray]:
    return part[0][::-1], part[1][::-1]


def _radial(
    clon: float,
    clat: float,
    azimuth: float,
    s0: float,
    s1: float,
    tol: float,
    snap: float,
    at_pole: bool,
) -> tuple[NDArray, NDArray]:
    """Vertices of the geodesic leaving the origin at ``azimuth``, from s0 to s1 km."""

    def point(s: NDArray) -> tuple[NDArray, NDArray]:
        return _forward_km(clon, clat, azimuth, s)[:2]

    if at_pole:
        # From a pole every geodesic is a meridian: straight in lon/lat, exactly.
        lons, lats = point(np.array([max(s0, 0.0), s1]))
        if s0 == 0.0:
            lats[0] = clat
        return lons, lats

    def deviation(plon: NDArray, plat: NDArray) -> NDArray:
        km, _ = inverse_km(clon, clat, plon, plat)
        qlon, qlat = point(km)
        return inverse_km(plon, plat, qlon, qlat)[0]

    def pole_passes() -> list[float]:
        out = []
        for pole in (90.0, -90.0):
            km, _ = inverse_km(clon, clat, 0.0, pole)
            if s0 < km < s1:
                qlon, qlat = point(np.array([km]))
                if inverse_km(qlon, qlat, 0.0, pole)[0][0] < snap:
                    out.append(float(km))
        return out

    return _trace(point, deviation, s0, s1, tol, 8, pole_passes())


def _arc(
    clon: float, clat: float, radius: float, a0: float, a1: float, tol: float, snap: float
) -> tuple[NDArray, NDArray]:
    """Vertices of the circle of ``radius`` km from azimuth a0 clockwise to a1 (> a0)."""

    def point(az: NDArray) -> tuple[NDArray, NDArray]:
        return _forward_km(clon, clat, az, radius)[:2]

    def deviation(plon: NDArray, plat: NDArray) -> NDArray:
        return np.abs(inverse_km(clon, clat, plon, plat)[0] - radius)

    passes = []
    for pole in (90.0, -90.0):
        km, az = inverse_km(clon, clat, 0.0, pole)
        t = a0 + (az - a0) % 360.0
        if a0 < t < a1 and abs(km - radius) < snap:
            qlon, qlat = point(np.array([t]))
            if inverse_km(qlon, qlat, 0.0, pole)[0][0] < snap:
                passes.append(float(t))
    start = max(4, math.ceil(_start_count(radius, tol) * (a1 - a0) / 360.0))
    return _trace(point, deviation, a0, a1, tol, start, passes)


def _trace(
    point: Callable[[NDArray], tuple[NDArray, NDArray]],
    deviation: Callable[[NDArray, NDArray], NDArray],
    t0: float,
    t1: float,
    tol: float,
    start: int,
    extra: list[float],
) -> tuple[NDArray, NDArray]:
    """Vertices of a path from t0 to t1 whose straight lon/lat edges stay within tol km.

    As :func:`coverage.geodesy._refine`, for an open path: each edge is probed at a
    quarter, half and three quarters of its length (in unwrapped lon/lat, as drawn) and
    split at the middle parameter while a probe strays more than 90 % of the tolerance.
    ``extra`` parameters (where the path passes a pole) are added at the end.
    """
    t = np.linspace(t0, t1, start + 1)
    lons, lats = point(t)
    fractions = np.array([0.25, 0.5, 0.75])
    floor = 1e-12 * max(1.0, abs(t1 - t0))
    for _ in range(_MAX_ROUNDS):
        dlon = _wrap_delta(np.diff(lons))
        dlat = np.diff(lats)
        plon = _wrap_delta(lons[:-1, None] + fractions[None, :] * dlon[:, None])
        plat = lats[:-1, None] + fractions[None, :] * dlat[:, None]
        bad = (deviation(plon.ravel(), plat.ravel()).reshape(plon.shape) > 0.9 * tol).any(axis=1)
        bad &= np.diff(t) > floor
        if not bad.any():
            break
        if t.size + bad.sum() > _MAX_VERTICES:
            warnings.warn(
                f"sector drawn with {t.size} vertices without meeting the {tol:g} km "
                "tolerance everywhere",
                CoverageWarning,
                stacklevel=5,
            )
            break
        mid = 0.5 * (t[:-1][bad] + t[1:][bad])
        t, lons, lats = _merge(t, lons, lats, mid, point)
    if extra:
        t, lons, lats = _merge(t, lons, lats, np.array(extra), point)
    return lons, lats


def _merge(t, lons, lats, new_t, point):
    new_lon, new_lat = point(new_t)
    order = np.argsort(np.r_[t, new_t], kind="stable")
    return np.r_[t, new_t][order], np.r_[lons, new_lon][order], np.r_[lats, new_lat][order]


def _through_poles(lons: NDArray, lats: NDArray) -> tuple[NDArray, NDArray]:
    """Replace each vertex on a pole by a walk along the pole's line in lon/lat.

    A boundary that passes through a pole arrives along one meridian and leaves along
    another. With the covered side on the right, the covered longitudes are those east
    of the arriving meridian up to the leaving one at the North Pole, and west of it at
    the South Pole, so the walk goes that way, in steps under 180 degrees so that the
    longitude winding of the curve stays unambiguous.
    """
    on_pole = np.abs(lats) == 90.0
    if not on_pole.any():
        return lons, lats
    # Collapse runs of consecutive pole vertices (cyclically) to one.
    keep = ~(on_pole & np.roll(on_pole, 1) & (lats == np.roll(lats, 1)))
    if not keep.any():
        return lons, lats
    lons, lats = lons[keep], lats[keep]
    on_pole = np.abs(lats) == 90.0
    n = lons.size
    out_lon: list[NDArray] = []
    out_lat: list[NDArray] = []
    for i in range(n):
        if not on_pole[i]:
            out_lon.append(lons[i : i + 1])
            out_lat.append(lats[i : i + 1])
            continue
        before, after = lons[(i - 1) % n], lons[(i + 1) % n]
        if lats[i] > 0:
            amount = (after - before) % 360.0
        else:
            amount = -((before - after) % 360.0)
        steps = max(1, math.ceil(abs(amount) / 90.0))
        walk = before + amount * np.arange(steps + 1) / steps
        out_lon.append(_wrap_delta(walk))
        out_lat.append(np.full(steps + 1, lats[i]))
    return np.concatenate(out_lon), np.concatenate(out_lat)
