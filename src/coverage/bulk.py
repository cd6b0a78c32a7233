"""Distances and range decisions at scale: many sites x many targets, exact.

For N sites and M targets the full distance matrix is N x M numbers (4 GB for
10,000 x 50,000) and N x M geodesic computations (5 to 7 minutes on one core). The
functions here give the same answers, to the bit, while computing far less and
holding only one block of targets at a time:

- Every point becomes its direction from the Earth's centre, a unit vector
  (:func:`coverage.geodesy.directions`), and the sites go into a k-d tree
  (:class:`scipy.spatial.cKDTree`). A geodesic of length ``d`` spans an angle of
  at most ``d / b`` at the centre (b, the polar semi-axis, is the radius of the
  largest sphere inside the ellipsoid: see :func:`coverage.geodesy.chord_bound`
  for the proof), so the sites within geodesic distance ``d`` of a target all lie
  within a known chord of it on the unit sphere: the tree hands over those
  candidates and only they are measured exactly with the geodesic routine.
- Targets are processed in blocks of ``chunk_size``, so memory grows with the block
  and the candidates, never with N x M. Blocks run on every local core, or on a Dask
  cluster (see ``engine``).

Results are identical to measuring every pair with
:func:`coverage.geodesy.distance_matrix_km` (the same geodesic call on the same
pairs, ties to the lowest site index); the tests check this for every engine.
The pruning pays most when every target has a site near it; a target far from all
sites has as candidates the sites almost as far as its nearest one, so the cost grows
towards brute force as the sites surround it at the same distance.

:func:`within_ring` decides one centre against very many points: polygons inside
and outside the circle settle the points far from its edge, and only the points in
between are measured.
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from . import _validate as _v
from ._parallel import cores, run_blocks
from .errors import ParameterError
from .geodesy import (
    MIN_RING_KM,
    _chord_bound,
    _forward_km,
    _pair_km,
    _point_set,
    _same_shape,
    antipodal_distance_km,
    check_lonlat,
    default_tolerance_km,
    directions,
    range_ring,
)

__all__ = ["Nearest", "nearest_site", "within_reach", "within_ring"]

#: Most site-target pairs measured in one geodesic call within a block.
PAIR_BUDGET = 1_000_000


class Nearest(NamedTuple):
    """Nearest site of each target.

    Attributes
    ----------
    distance_km : numpy.ndarray
        float64, km from each target to its nearest site.
    site_index : numpy.ndarray
        int64, index of that site (the lowest one on a tie).
    """

    distance_km: NDArray
    site_index: NDArray


@dataclass(frozen=True)
class _Sites:
    """Sites ready for searching: validated degrees, directions and their k-d tree."""

    lon: NDArray
    lat: NDArray
    xyz: NDArray  # unit vectors
    tree: Any  # scipy.spatial.cKDTree (scipy is imported on first use: it is slow to import)

    @classmethod
    def build(cls, lon: ArrayLike, lat: ArrayLike) -> _Sites:
        slon, slat = _point_set(*check_lonlat(lon, lat, what="sites"), "sites", _SITE_NAMES)
        if slon.size == 0:
            raise ParameterError("at least one site is needed to measure distances")
        from scipy.spatial import cKDTree

        xyz = directions(slon, slat)
        return cls(slon, slat, xyz, cKDTree(xyz))


_SITE_NAMES = ("site_lon", "site_lat")
_TARGET_NAMES = ("target_lon", "target_lat")


def _targets(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Return validated targets as two 1-D arrays of the same length.

    Raises
    ------
    CoordinateError
        If a coordinate is invalid.
    ParameterError
        If an array is not 1-D or the two differ in length.
    """
    return _point_set(*check_lonlat(lon, lat, what="targets"), "targets", _TARGET_NAMES)


def _blocks(lon: NDArray, lat: NDArray, chunk_size: int | None) -> list[tuple[NDArray, NDArray]]:
    """Split targets into blocks of ``(lon, lat)``, each task carrying only its own.

    By default blocks are of 1,024 to 65,536 targets, two per core where that allows.
    """
    m = lon.size
    if chunk_size is None:
        step = min(65_536, max(1_024, math.ceil(m / (2 * cores()))))
    elif (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, (int, np.integer))
        or chunk_size < 1
    ):
        raise ParameterError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    else:
        step = int(chunk_size)
    return [(lon[i : i + step], lat[i : i + step]) for i in range(0, m, step)]


def _candidates(tree: Any, xyz: NDArray, radius: NDArray, counts: NDArray | None = None):
    """Yield ``(target, site)`` index arrays of pairs within chord ``radius``.

    Pairs come in batches of at most :data:`PAIR_BUDGET` (a single target with more
    candidates is a batch of its own), so memory stays bounded whatever the radii.
    ``counts``, the number of candidates per target, is counted here unless given.
    """
    if counts is None:
        counts = tree.query_ball_point(xyz, radius, return_length=True)
    ends = np.cumsum(counts)
    start = 0
    while start < len(counts):
        base = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, base + PAIR_BUDGET, side="right")))
        part = slice(start, stop)
        lists = tree.query_ball_point(xyz[part], radius[part])
        total = int(counts[part].sum())
        site = np.fromiter(chain.from_iterable(lists), dtype=np.intp, count=total)
        target = np.repeat(np.arange(start, stop), counts[part])
        yield target, site
        start = stop


def _nearest_block(sites: _Sites, block: tuple[NDArray, NDArray]) -> tuple[NDArray, NDArray]:
    """Exact nearest site of each target of one block (see the module docstring)."""
    tlon, tlat = block
    return _nearest(sites, tlon, tlat, directions(tlon, tlat))


def _chord_nearest(
    sites: _Sites, tlon: NDArray, tlat: NDArray, xyz: NDArray
) -> tuple[NDArray, NDArray]:
    """Index of each target's nearest site by chord, and its exact distance, km."""
    _, first = sites.tree.query(xyz, k=1)
    first = np.asarray(first, dtype=np.intp)
    return first, _pair_km(sites.lon[first], sites.lat[first], tlon, tlat)


def _nearest(sites: _Sites, tlon: NDArray, tlat: NDArray, xyz: NDArray) -> tuple[NDArray, NDArray]:
    """Exact nearest site of each target, given the targets' directions ``xyz``."""
    first, best = _chord_nearest(sites, tlon, tlat, xyz)
    index = first.copy()
    # Every site at geodesic distance <= best is within this chord.
    radius = _chord_bound(best)
    counts = sites.tree.query_ball_point(xyz, radius, return_length=True)
    open_ = np.flatnonzero(counts > 1)  # with one candidate, it is `first` itself
    if open_.size:
        for target, site in _candidates(
            sites.tree, xyz[open_], radius[open_], counts=counts[open_]
        ):
            t = open_[target]
            km = _pair_km(sites.lon[site], sites.lat[site], tlon[t], tlat[t])
            # Per target: smallest distance, then lowest site index (as argmin does).
            order = np.lexsort((site, km, t))
            t, km, site = t[order], km[order], site[order]
            head = np.r_[True, t[1:] != t[:-1]]
            best[t[head]], index[t[head]] = km[head], site[head]
    return best, index


def nearest_site(
    site_lon: ArrayLike,
    site_lat: ArrayLike,
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    *,
    chunk_size: int | None = None,
    engine: str = "auto",
) -> Nearest:
    """Return, for every target, the geodesic distance to its nearest site and its index.

    Exact on WGS84 and identical to the minimum of the full distance matrix, but
    computed for the candidate sites only (see the module docstring), one block of
    targets at a time.

    Parameters
    ----------
    site_lon, site_lat : array_like
        1-D decimal degrees of at least one site, longitude first, of the same
        length (one site may be given as two numbers).
    target_lon, target_lat : array_like
        1-D decimal degrees of the targets, likewise.
    chunk_size : int, optional
        Targets per block; memory use grows with it. By default enough blocks for
        two per core, of 1,024 to 65,536 targets each.
    engine : {"auto", "serial", "threads", "dask"}, default "auto"
        Where blocks run: ``"serial"`` on one core, ``"threads"`` on every local
        core, ``"dask"`` with the Dask scheduler in effect (local threads, or the
        cluster of a ``distributed.Client`` you created). ``"auto"`` is ``"dask"``
        when you have created a ``distributed.Client``, else ``"threads"``. The
        answer is the same.

    Returns
    -------
    Nearest
        ``(distance_km, site_index)`` arrays, one entry per target.

    Raises
    ------
    CoordinateError
        If a coordinate is invalid (the message says sites or targets, and the item).
    ParameterError
        If there is no site, an array is not 1-D, the longitudes and latitudes of
        sites or of targets differ in number (a single latitude is not stretched over
        several longitudes; the message names the parameters), or ``chunk_size`` or
        ``engine`` is invalid.

    Examples
    --------
    >>> d, i = nearest_site([20.51, 30.32], [54.71, 59.94], [13.40, 24.75], [52.52, 59.44])
    >>> d.round(1).tolist(), i.tolist()  # Berlin from Kaliningrad, Tallinn from St Petersburg
    ([529.6, 318.5], [0, 1])
    """
    _v.numbers_array(site_lon, "site_lon")
    _v.numbers_array(site_lat, "site_lat")
    _v.numbers_array(target_lon, "target_lon")
    _v.numbers_array(target_lat, "target_lat")
    _v.number(chunk_size, "chunk_size", optional=True, integer=True, low=1)
    _v.text(engine, "engine")
    sites = _Sites.build(site_lon, site_lat)
    tlon, tlat = _targets(target_lon, target_lat)
    parts = run_blocks(_nearest_block, _blocks(tlon, tlat, chunk_size), shared=sites, engine=engine)
    if not parts:
        return Nearest(np.zeros(0), np.zeros(0, dtype=np.int64))
    return Nearest(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]).astype(np.int64),
    )


def _per_site(value: ArrayLike, n: int, name: str) -> NDArray:
    """Return ranges in km, one per site, from one number or one per site.

    Raises
    ------
    ParameterError
        Naming ``name``, if the values are not numbers, not one or ``n`` of them
        (a 1-D array), negative or not finite.
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as err:  # e.g. ragged nested lists
        raise ParameterError(
            f"{name} must be numbers of kilometres, got {reprlib.repr(value)}"
        ) from err
    if raw.dtype.kind not in "iuf":
        raise ParameterError(f"{name} must be numbers of kilometres, got {reprlib.repr(value)}")
    km = np.broadcast_to(raw.astype(float), (n,)) if raw.ndim == 0 else raw.astype(float)
    if km.shape != (n,):
        raise ParameterError(f"{name} must be one number or one per site ({n}), got {km.shape}")
    if not np.isfinite(km).all() or (km < 0).any():
        i = int(np.flatnonzero(~np.isfinite(km) | (km < 0))[0])
        raise ParameterError(f"{name} must be finite distances >= 0 km, got {km[i]!r} (item {i})")
    return km


@dataclass(frozen=True)
class _Reach:
    """Sites with their ranges, km (one per site)."""

    sites: _Sites
    max_km: NDArray
    min_km: NDArray

    @property
    def plain(self) -> bool:
        """No minimum range and one maximum: any site within ``max_km`` reaches."""
        return not self.min_km.any() and bool((self.max_km == self.max_km[0]).all())


#: Directions (degrees) of the probe points of :func:`_probe`.
PROBE_AZIMUTHS = (0.0, 90.0, 180.0, 270.0, 45.0, 135.0, 225.0, 315.0)


def _reach_block(reach: _Reach, block: tuple[NDArray, NDArray]) -> NDArray:
    """In-range flags for one block: some site j with min_km[j] <= d <= max_km[j]."""
    sites, max_km, min_km = reach.sites, reach.max_km, reach.min_km
    tlon, tlat = block
    xyz = directions(tlon, tlat)
    if reach.plain:
        # Whether some site is within range, not which is nearest: the nearest by chord
        # settles the targets it reaches; the others are measured against every site
        # within chord reach (none, for most of them).
        hit = _chord_nearest(sites, tlon, tlat, xyz)[1] <= max_km[0]
        open_ = np.flatnonzero(~hit)
    else:
        near, index = _nearest(sites, tlon, tlat, xyz)
        hit = (near >= min_km[index]) & (near <= max_km[index])
        # The nearest site settles a target unless a minimum range or unequal maxima
        # leave room for a farther site to reach it.
        open_ = np.flatnonzero(~hit & (near <= max_km.max()))
        open_ = _probe(reach, tlon, tlat, open_, hit)
    if open_.size:
        _every_candidate(reach, tlon, tlat, xyz, open_, hit)
    return hit


def _probe(reach: _Reach, tlon: NDArray, tlat: NDArray, open_: NDArray, hit: NDArray) -> NDArray:
    """Settle open targets from a few likely sites; return those still open.

    A target in the dead zone of its nearest site is usually reached by a site near
    a point in the middle of the band around it: for each of :data:`PROBE_AZIMUTHS`,
    the site nearest (by chord) to the point at the band's middle distance in that
    direction is measured exactly. A site found in range settles the target (``hit``
    is set); the others stay open for :func:`_every_candidate`. Only a proposal:
    whether a site reaches a target is always its exact distance.
    """
    sites, max_km, min_km = reach.sites, reach.max_km, reach.min_km
    low, high = float(min_km.max()), float(max_km.min())
    if high <= low:
        return open_
    middle = (low + high) / 2.0
    for azimuth in PROBE_AZIMUTHS:
        if not open_.size:
            break
        plon, plat, _ = _forward_km(tlon[open_], tlat[open_], azimuth, middle)
        _, j = sites.tree.query(directions(plon, plat), k=1)
        km = _pair_km(sites.lon[j], sites.lat[j], tlon[open_], tlat[open_])
        inside = (km >= min_km[j]) & (km <= max_km[j])
        hit[open_[inside]] = True
        open_ = open_[~inside]
    return open_


def _every_candidate(
    reach: _Reach, tlon: NDArray, tlat: NDArray, xyz: NDArray, open_: NDArray, hit: NDArray
) -> None:
    """Measure every site within chord reach of the open targets; set ``hit`` where in range."""
    sites, max_km, min_km = reach.sites, reach.max_km, reach.min_km
    radius = np.full(open_.size, _chord_bound(max_km.max()))
    site_radius = _chord_bound(max_km)
    open_xyz = xyz[open_]
    for target, site in _candidates(sites.tree, open_xyz, radius):
        chord = np.linalg.norm(sites.xyz[site] - open_xyz[target], axis=1)
        keep = chord <= site_radius[site]
        target, site = target[keep], site[keep]
        t = open_[target]
        km = _pair_km(sites.lon[site], sites.lat[site], tlon[t], tlat[t])
        inside = (km >= min_km[site]) & (km <= max_km[site])
        hit[t[inside]] = True


def within_reach(
    site_lon: ArrayLike,
    site_lat: ArrayLike,
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    max_km: ArrayLike,
    *,
    min_km: ArrayLike = 0.0,
    chunk_size: int | None = None,
    engine: str = "auto",
) -> NDArray:
    """Return a boolean per target: within range of at least one site.

    A target is in range of site ``j`` when its geodesic distance ``d`` satisfies
    ``min_km[j] <= d <= max_km[j]`` (inclusive, as everywhere in threat-coverage).
    Exact, and identical to testing the full distance matrix, computed as
    :func:`nearest_site` is.

    Parameters
    ----------
    site_lon, site_lat, target_lon, target_lat : array_like
        As :func:`nearest_site`.
    max_km : float or array_like
        Maximum range in km, one for all sites or one per site.
    min_km : float or array_like, default 0.0
        Minimum range in km, one for all sites or one per site.
    chunk_size, engine
        As :func:`nearest_site`.

    Returns
    -------
    numpy.ndarray
        bool, one per target.

    Raises
    ------
    CoordinateError, ParameterError
        As :func:`nearest_site`; ParameterError also for a range that is not a
        number, negative, not finite, not one per site, or a minimum above its maximum.

    Examples
    --------
    >>> within_reach([20.51], [54.71], [13.40, 21.01], [52.52, 52.23], 500).tolist()
    [False, True]
    """
    _v.numbers_array(site_lon, "site_lon")
    _v.numbers_array(site_lat, "site_lat")
    _v.numbers_array(target_lon, "target_lon")
    _v.numbers_array(target_lat, "target_lat")
    _v.numbers_array(max_km, "max_km", finite=True)
    _v.numbers_array(min_km, "min_km", finite=True)
    _v.number(chunk_size, "chunk_size", optional=True, integer=True, low=1)
    _v.text(engine, "engine")
    sites = _Sites.build(site_lon, site_lat)
    tlon, tlat = _targets(target_lon, target_lat)
    top = _per_site(max_km, sites.lon.size, "max_km")
    bottom = _per_site(min_km, sites.lon.size, "min_km")
    if (bottom > top).any():
        i = int(np.flatnonzero(bottom > top)[0])
        raise ParameterError(
            f"min_km must not exceed max_km, got {bottom[i]!r} > {top[i]!r} (site {i})"
        )
    parts = run_blocks(
        _reach_block,
        _blocks(tlon, tlat, chunk_size),
        shared=_Reach(sites, top, bottom),
        engine=engine,
    )
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def within_ring(
    lon: float,
    lat: float,
    max_km: float,
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    *,
    min_km: float = 0.0,
) -> NDArray:
    """Return a boolean per point: within ``[min_km, max_km]`` of one centre, exactly.

    The answer is the exact one, ``min_km <= distance_km(...) <= max_km``, but most
    points are settled without measuring them: two rings drawn by
    :func:`coverage.geodesy.range_ring`, one a margin inside the band and one a
    margin outside it, say "surely in" and "surely out"; only points between them are
    measured with the geodesic routine. The margin is three times the rings' drawing
    tolerance, so a drawn edge, which strays from the true circle by less than the
    tolerance, never crosses the band's edge. Hand-written: no library decides
    geodesic distance against polygons this way.

    Parameters
    ----------
    lon, lat : float
        Centre in decimal degrees, longitude first.
    max_km : float
        Maximum range in km (> 0).
    target_lon, target_lat : array_like
        Points in decimal degrees, longitude first: two arrays of the same shape,
        any shape (or two numbers).
    min_km : float, default 0.0
        Minimum range in km (>= 0, below ``max_km``).

    Returns
    -------
    numpy.ndarray
        bool, of the shape of the points.

    Raises
    ------
    CoordinateError
        If the centre or a point is invalid.
    ParameterError
        If a range is negative, not finite, or ``min_km >= max_km``, the centre is
        not one point, or ``target_lon`` and ``target_lat`` differ in shape (they are
        not broadcast: a single latitude is not stretched over several longitudes).

    Examples
    --------
    >>> within_ring(20.51, 54.71, 500, [13.40, 21.01], [52.52, 52.23]).tolist()
    [False, True]
    """
    _v.numbers_array(lon, "lon")
    _v.numbers_array(lat, "lat")
    _v.number(max_km, "max_km")
    _v.number(min_km, "min_km")
    _v.numbers_array(target_lon, "target_lon")
    _v.numbers_array(target_lat, "target_lat")
    centre = check_lonlat(lon, lat, what="centre")
    if centre[0].size != 1 or centre[1].size != 1:
        raise ParameterError(
            f"within_ring takes one centre (lon and lat one number each), "
            f"got {reprlib.repr(lon)}, {reprlib.repr(lat)}"
        )
    clon, clat = (float(v.item()) for v in centre)
    tlon, tlat = check_lonlat(target_lon, target_lat, what="points")
    _same_shape(tlon, tlat, "points", _TARGET_NAMES)
    top = _per_site(max_km, 1, "max_km")[0]
    bottom = _per_site(min_km, 1, "min_km")[0]
    if top <= 0 or bottom >= top:
        raise ParameterError(
            f"need 0 <= min_km < max_km and max_km > 0, got min_km={min_km!r}, max_km={max_km!r}"
        )
    limit = antipodal_distance_km(clon, clat)
    tol = default_tolerance_km(top)
    margin = 3.0 * tol

    def ring(outer: float, inner: float):
        """Return the drawn band [inner, outer] (km), or None when it is empty."""
        outer = min(outer, limit)
        inner = inner if inner >= MIN_RING_KM else 0.0
        if outer < MIN_RING_KM or inner >= outer:
            return None
        geom = range_ring(clon, clat, outer, min_km=inner, tolerance_km=tol)
        shapely.prepare(geom)
        return geom

    surely_in = ring(top - margin, bottom + margin)
    maybe_in = ring(top + margin, max(0.0, bottom - margin))
    assert maybe_in is not None  # top + margin >= 3 km
    x, y = tlon.ravel(), tlat.ravel()
    result = np.zeros(x.size, dtype=bool)
    # intersects, not contains: a point on a cut of the outer polygon (+-180, a pole)
    # may be inside the circle. contains below: a point on a cut of the inner one is
    # measured.
    idx = np.flatnonzero(shapely.intersects_xy(maybe_in, x, y))
    if surely_in is not None and idx.size:
        sure = shapely.contains_xy(surely_in, x[idx], y[idx])
        result[idx[sure]] = True
        idx = idx[~sure]
    if idx.size:
        km = _pair_km(np.full(idx.size, clon), np.full(idx.size, clat), x[idx], y[idx])
        result[idx] = (km >= bottom) & (km <= top)
    return result.reshape(tlon.shape)
