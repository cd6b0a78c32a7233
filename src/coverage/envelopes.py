"""Envelopes: what one range figure of one system covers from one origin.

An :class:`Envelope` ties a range figure (its minimum and maximum range, kind and
source) of a system to one origin (a launch point, or a launch area) and, optionally,
an azimuth sector. It owns everything that follows from those alone:

- the **membership rule**: a target is covered when some launch point of the origin
  lies between the minimum and the maximum range of it (``min_km <= d <= max_km``
  for a point origin), and, with a sector, when its forward geodesic azimuth from
  the origin lies in the sector;
- **margins** in km (:meth:`Envelope.margins_km`): positive inside, negative outside,
  the dead zone inside the minimum range included;
- the **range needed** to cover a target with this minimum range
  (:meth:`Envelope.reach_km`), from which a verdict takes the k-th target;
- its **display boundary** (:attr:`Envelope.geometry`: a ring, an annulus, a sector
  or an area's envelope, lon/lat degrees) and its **title**.

Membership is always decided from exact distances (:class:`coverage.reach.Distances`),
never from the drawn boundary. The envelopes of one figure from several origins form
one *layer* (:func:`group`): a target is covered by the layer when any of them covers
it, and its margin is the best over them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Polygon

from . import _validate as _v
from .errors import FieldError, ParameterError
from .geodesy import LonLat, check_lonlat, range_ring
from .sectors import Sector, sector_polygon
from .systems import RangeEstimate, Site, System

if TYPE_CHECKING:
    from .reach import Distances

__all__ = [
    "Envelope",
    "Layer",
    "envelopes",
    "group",
    "ad_hoc_site",
    "ad_hoc_figure",
    "within_envelope",
]


@dataclass(frozen=True, eq=False)
class Envelope:
    """What one range figure of one system covers from one origin.

    Attributes
    ----------
    origin : Site
        The launch point (``lon``/``lat`` degrees) and its name.
    system : System or None
        The system whose figure this is; None for a range given in km.
    figure : RangeEstimate
        ``km`` (maximum range), ``min_km``, kind (declared, estimated, given), source.
    sector : Sector, optional
        Directions covered: a target counts only when its forward geodesic azimuth
        from the origin lies in the sector (the origin itself is in every sector).
    tolerance_km : float, optional
        Largest gap between the drawn boundary and the true one; by default
        :func:`coverage.geodesy.default_tolerance_km` of the maximum range. Display only.
    horizon_km : float, optional
        A radar horizon that caps the figure (air defence against low targets, see
        :func:`coverage.geodesy.radar_horizon_km`): the envelope reaches
        ``min(figure.km, horizon_km)``.
    cap_note : str, optional
        How the cap was derived, in words (heights used and whether they are assumed).
    """

    origin: Site
    system: System | None
    figure: RangeEstimate
    sector: Sector | None = None
    tolerance_km: float | None = field(default=None, repr=False)
    horizon_km: float | None = None
    cap_note: str | None = None

    def __post_init__(self) -> None:
        if self.sector is not None and not isinstance(self.sector, Sector):
            raise ParameterError(
                f"sector: expected a coverage.sectors.Sector, got {type(self.sector).__name__}",
                parameter="sector",
            )
        if self.sector is not None and self.origin.kind == "area":
            raise ParameterError(
                f"sector: {self.origin.name!r} is a launch area, which has no single azimuth "
                "to measure from; use a sector with points or sites only",
                parameter="sector",
            )

    # ------------------------------------------------------------------ the rule

    @property
    def max_km(self) -> float:
        """Maximum range, km: the figure's, or the radar horizon where that is shorter."""
        if self.horizon_km is not None:
            return min(self.figure.km, self.horizon_km)
        return self.figure.km

    @property
    def min_km(self) -> float:
        """Minimum range, km (0 when there is none)."""
        return self.figure.min_km

    @property
    def kind(self) -> str:
        """``"declared"``, ``"estimated"`` or ``"given"``."""
        return self.figure.kind

    def margins_km(
        self, near_km: NDArray, far_km: NDArray | None = None, azimuth_deg: NDArray | None = None
    ) -> NDArray:
        """Return per target how far inside this envelope it lies, km.

        Parameters
        ----------
        near_km : numpy.ndarray
            Distance from the origin to each target (for a target with an area, to
            its nearest point), km.
        far_km : numpy.ndarray, optional
            Distance to each target's farthest point (targets with an area); by
            default ``near_km`` (points).
        azimuth_deg : numpy.ndarray, optional
            Forward azimuth from the origin to each target, degrees; needed with a
            sector.

        Returns
        -------
        numpy.ndarray
            ``max_km - d`` where the target is beyond the minimum range (positive:
            inside, by that much before the maximum range; negative: beyond it), and
            ``d - min_km`` (negative) inside the minimum range, the dead zone. A
            target with an area uses its nearest point outside the dead zone against
            the maximum and its farthest point against the minimum. Outside the
            sector, ``-inf``: no range reaches it from this origin. ``>= 0`` exactly
            when the target is covered.

        Raises
        ------
        ParameterError
            If the envelope has a sector and no azimuths are given.
        """
        _v.numbers_array(near_km, "near_km")
        _v.numbers_array(far_km, "far_km", optional=True)
        _v.numbers_array(azimuth_deg, "azimuth_deg", optional=True)
        return self._margins(near_km, far_km, azimuth_deg)

    def _margins(self, near_km, far_km=None, azimuth_deg=None) -> NDArray:
        """Return :meth:`margins_km` of checked arrays."""
        near = np.asarray(near_km, dtype=float)
        far = near if far_km is None else np.asarray(far_km, dtype=float)
        # A target stretching from `near` to `far` has points at exactly min_km when
        # it reaches into the dead zone: its nearest point outside is max(near, min).
        reachable = np.maximum(near, self.min_km)
        margins = np.where(far >= self.min_km, self.max_km - reachable, far - self.min_km)
        return np.where(self._facing(near, azimuth_deg), margins, -np.inf)

    def _facing(self, near_km: NDArray, azimuth_deg: NDArray | None) -> NDArray | bool:
        """Return True per target whose direction lies in the sector (always, without one)."""
        if self.sector is None:
            return True
        if azimuth_deg is None:
            raise ParameterError(
                "azimuth_deg: an envelope with a sector needs the targets' azimuths "
                "(measure(..., azimuths=True))",
                parameter="azimuth_deg",
            )
        # At the origin itself (distance 0) there is no direction: it is in every sector.
        return (near_km == 0.0) | self.sector.contains(azimuth_deg)

    def reach_km(
        self, near_km: NDArray, far_km: NDArray | None = None, azimuth_deg: NDArray | None = None
    ) -> NDArray:
        """Return per target the smallest maximum range that would cover it, km.

        With this envelope's minimum range: the distance for a point beyond it,
        ``min_km`` for a target with an area reaching into the dead zone, ``inf``
        for a target wholly inside the minimum range or outside the sector.
        """
        _v.numbers_array(near_km, "near_km")
        _v.numbers_array(far_km, "far_km", optional=True)
        _v.numbers_array(azimuth_deg, "azimuth_deg", optional=True)
        return self._reach(near_km, far_km, azimuth_deg)

    def _reach(self, near_km, far_km=None, azimuth_deg=None) -> NDArray:
        """Return :meth:`reach_km` of checked arrays."""
        near = np.asarray(near_km, dtype=float)
        far = near if far_km is None else np.asarray(far_km, dtype=float)
        needed = np.where(far >= self.min_km, np.maximum(near, self.min_km), np.inf)
        return np.where(self._facing(near, azimuth_deg), needed, np.inf)

    # ------------------------------------------------------------------ words

    @property
    def system_name(self) -> str:
        """The system's name, or ``"Given range"`` for a range given in km."""
        return self.system.name if self.system is not None else "Given range"

    @property
    def figure_title(self) -> str:
        """The figure and the sector, e.g. ``"declared 500 km, sector 300\u00b0\u201360\u00b0"``."""
        sector = f", sector {self.sector}" if self.sector is not None else ""
        cap = ""
        if self.horizon_km is not None and self.horizon_km < self.figure.km:
            cap = f", capped at the {self.horizon_km:,.0f} km radar horizon"
        return f"{self.figure.title}{sector}{cap}"

    @property
    def title(self) -> str:
        """E.g. ``"Iskander-M \u2014 declared 50\u2013500 km"``: system and figure."""
        return f"{self.system_name} \u2014 {self.figure_title}"

    @property
    def label(self) -> str:
        """E.g. ``"Iskander-M, declared 50\u2013500 km, from Chernyakhovsk"``."""
        what = self.system.name + ", " if self.system else ""
        return f"{what}{self.figure_title}, from {self.origin.name}"

    @property
    def short_id(self) -> str:
        """E.g. ``"iskander-m declared 50\u2013500 km"``: the system id and figure."""
        return f"{self.system.id} {self.figure_title}" if self.system else self.figure_title

    @property
    def layer_key(self) -> tuple:
        """What the envelopes of one layer share: the system, the figure and the sector."""
        return (self.system.id if self.system is not None else None, self.figure, self.sector)

    # ------------------------------------------------------------------ display

    @property
    def centre(self) -> LonLat:
        """The origin's position, ``LonLat(lon, lat)``."""
        return self.origin.position

    @functools.cached_property
    def geometry(self) -> Polygon | MultiPolygon:
        """The display boundary in lon/lat degrees: ring, annulus, sector or area envelope.

        For display and export only: membership comes from exact distances.

        Raises
        ------
        CoordinateError, ParameterError
            As :func:`coverage.geodesy.range_ring`.
        """
        o = self.origin
        if self.max_km <= self.min_km:  # a horizon inside the minimum range: nothing
            return Polygon()
        if o.kind == "area":
            from .areas import area_envelope

            return area_envelope(
                o.geometry, self.max_km, min_km=self.min_km, tolerance_km=self.tolerance_km
            )
        if self.sector is not None:
            return sector_polygon(
                o.lon,
                o.lat,
                self.max_km,
                self.sector,
                min_km=self.min_km,
                tolerance_km=self.tolerance_km,
            )
        return range_ring(
            o.lon, o.lat, self.max_km, min_km=self.min_km, tolerance_km=self.tolerance_km
        )

    def _repr_html_(self) -> str:
        """Escaped HTML for a notebook: title, origin and a small SVG (coverage.notebook)."""
        from .notebook import envelope_html

        return envelope_html(self)


@dataclass(frozen=True, eq=False)
class Layer:
    """The envelopes of one figure of one system from all its origins.

    A target is covered by the layer when any of its envelopes covers it; its margin
    is the best over them.
    """

    envelopes: tuple[Envelope, ...]

    @property
    def first(self) -> Envelope:
        """The first envelope (they share system and figure)."""
        return self.envelopes[0]

    @property
    def system(self) -> System | None:
        """The system (None for a range given in km)."""
        return self.first.system

    @property
    def figure(self) -> RangeEstimate:
        """The range figure."""
        return self.first.figure

    @property
    def sector(self) -> Sector | None:
        """The sector (None for every direction)."""
        return self.first.sector

    @property
    def kind(self) -> str:
        """``"declared"``, ``"estimated"`` or ``"given"``."""
        return self.first.kind

    @property
    def figure_title(self) -> str:
        """See :attr:`Envelope.figure_title`."""
        return self.first.figure_title

    @property
    def title(self) -> str:
        """See :attr:`Envelope.title`."""
        return self.first.title

    @property
    def short_id(self) -> str:
        """See :attr:`Envelope.short_id`."""
        return self.first.short_id

    def margins_km(self, distances: Distances) -> NDArray:
        """Return per target the best margin over the envelopes, km.

        See :meth:`Envelope.margins_km`.

        ``>= 0`` exactly when some envelope covers the target. From either engine
        of :func:`coverage.reach.measure` the numbers are the same: with the k-d
        tree, an origin not held lies beyond ``max_km + min_km`` and its margin is
        below any held one's, and a target with no origin held takes its nearest's.

        Raises
        ------
        ParameterError
            If an origin was not measured in ``distances``, or the tree's distances
            do not reach this layer (:meth:`coverage.reach.Distances.check_held`).
        """
        _v.distances(distances)
        return self._margins(distances)

    def _margins(self, distances: Distances) -> NDArray:
        """Return :meth:`margins_km` of checked distances."""
        best = self._best(distances, Envelope._margins, np.maximum)
        lone = self._lone(distances)
        if lone is not None:
            best[lone] = self.first.max_km - distances.nearest_km[lone]
        return best

    def covers(self, distances: Distances) -> NDArray:
        """Return a boolean per target: covered by at least one envelope."""
        _v.distances(distances)
        return self._margins(distances) >= 0

    def reach_km(self, distances: Distances) -> NDArray:
        """Return per target the smallest maximum range that covers it from some origin, km."""
        _v.distances(distances)
        return self._reach(distances)

    def _reach(self, distances: Distances) -> NDArray:
        """Return :meth:`reach_km` of checked distances."""
        best = self._best(distances, Envelope._reach, np.minimum)
        lone = self._lone(distances)
        if lone is not None:
            best[lone] = distances.nearest_km[lone]
        return best

    def _best(self, distances: Distances, method, best: np.ufunc) -> NDArray:
        """Return the best of ``method`` over the envelopes, one pass per maximum range.

        The envelopes of a layer share figure and sector; only a radar horizon may give
        them different maximum ranges, so they are taken together by maximum range.
        """
        out = None
        for first, origins in self._by_max:
            part = distances._best_over(origins, functools.partial(method, first), best)
            out = part if out is None else best(out, part)
        return out

    @functools.cached_property
    def _by_max(self) -> list[tuple[Envelope, list[Site]]]:
        """The envelopes by maximum range: ``(first envelope, origins)``, in order."""
        by_max: dict[float, tuple[Envelope, list[Site]]] = {}
        for e in self.envelopes:
            by_max.setdefault(e.max_km, (e, []))[1].append(e.origin)
        return list(by_max.values())

    def _lone(self, distances: Distances) -> NDArray | None:
        """Targets with no origin held by the tree engine (None from the matrix).

        Their nearest origin lies beyond ``max_km + min_km``, so it gives their
        margin and range needed when every envelope has the same maximum range.

        Raises
        ------
        ParameterError
            If the tree's distances do not reach this layer, or its envelopes differ
            in maximum range (radar horizons): measure them with the matrix.
        """
        if distances.engine != "tree":
            return None
        for first, _ in self._by_max:
            distances._check_held(first.max_km, first.min_km)
        if len(self._by_max) > 1:
            raise ParameterError(
                "distances: envelopes of one layer with different maximum ranges need "
                "measure(..., engine='matrix')",
                parameter="distances",
            )
        return ~distances.held

    @property
    def needs_azimuths(self) -> bool:
        """True when an envelope has a sector: targets' azimuths must be measured."""
        return any(e.sector is not None for e in self.envelopes)

    @property
    def origins(self) -> tuple[Site, ...]:
        """The origins, once each, in order."""
        seen: dict[tuple, Site] = {}
        for e in self.envelopes:
            seen.setdefault((e.origin.id, e.origin.name, e.origin.lon, e.origin.lat), e.origin)
        return tuple(seen.values())


def envelopes(
    origins: Iterable[Site],
    figures: System | RangeEstimate | Iterable[RangeEstimate],
    *,
    system: System | None = None,
    sector: Sector | None = None,
    tolerance_km: float | None = None,
) -> list[Envelope]:
    """Return one envelope per (figure, origin), figure by figure.

    Parameters
    ----------
    origins : iterable of Site
        Launch points or areas.
    figures : System, RangeEstimate or iterable of RangeEstimate
        A system (all its range figures), or range figures; a figure given twice is
        kept once.
    system : System, optional
        The system the figures belong to (None for ranges given in km).
    sector : Sector, optional
        Directions covered from every origin (see :class:`Envelope`); by default
        each site's own sector from its data, if it has one.
    tolerance_km : float, optional
        Drawing tolerance of the display boundaries (see :class:`Envelope`).

    Returns
    -------
    list of Envelope

    Raises
    ------
    ParameterError
        If a figure is not a RangeEstimate, or a sector is given for a launch area.

    Examples
    --------
    >>> from coverage.systems import load_catalog
    >>> cat = load_catalog()
    >>> [e.label for e in envelopes([cat.site("chernyakhovsk")], cat.system("iskander-m"))][0]
    'Iskander-M, declared 50–500 km, from Chernyakhovsk'
    """
    _v.sites(origins, "origins")
    _v.range_figures(figures)
    _v.system(system, optional=True)
    _v.instance(sector, "sector", Sector, optional=True)
    _v.number(tolerance_km, "tolerance_km", optional=True)
    return _envelopes(origins, figures, system, sector, tolerance_km)


def _envelopes(
    origins: Iterable[Site],
    figures: System | RangeEstimate | Iterable[RangeEstimate],
    system: System | None = None,
    sector: Sector | None = None,
    tolerance_km: float | None = None,
) -> list[Envelope]:
    """Return :func:`envelopes` of checked arguments."""
    if isinstance(figures, System):
        system, figures = figures, figures.ranges
    elif isinstance(figures, RangeEstimate):
        figures = [figures]
    origin_list = list(origins)
    out: list[Envelope] = []
    seen: list[RangeEstimate] = []
    for figure in figures:
        if not isinstance(figure, RangeEstimate):
            raise ParameterError(
                f"figures: expected RangeEstimate objects, got {type(figure).__name__}",
                parameter="figures",
            )
        if figure in seen:
            continue
        seen.append(figure)
        out.extend(
            Envelope(o, system, figure, sector or _own_sector(o), tolerance_km) for o in origin_list
        )
    return out


def _own_sector(origin: Site) -> Sector | None:
    """Return the sector a site faces according to its data (``sector: [FROM, TO]``), if any."""
    return None if origin.sector is None else Sector(*origin.sector)


def group(items: Sequence[Envelope]) -> list[Layer]:
    """Group envelopes into layers by system and figure, in order of first appearance.

    Raises
    ------
    ParameterError
        If an item is not an Envelope.
    """
    _v.envelope_sequence(items, "items")
    return _group(items)


def _group(items: Sequence[Envelope]) -> list[Layer]:
    """Return :func:`group` of checked items."""
    layers: dict[tuple, list[Envelope]] = {}
    for item in items:
        if not isinstance(item, Envelope):
            raise ParameterError(
                f"envelopes must be coverage.envelopes.Envelope objects, got {type(item).__name__}"
            )
        layers.setdefault(item.layer_key, []).append(item)
    return [Layer(tuple(v)) for v in layers.values()]


def ad_hoc_site(lon: float, lat: float, *, name: str | None = None) -> Site:
    """Return a Site for a point given by the user (lon/lat degrees).

    Raises
    ------
    CoordinateError
        If the coordinates are invalid.
    ParameterError
        If ``name`` is not valid text (empty after the default, over 2,000 characters,
        or holding a lone surrogate).
    """
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    _v.text(name, "name", optional=True)
    from .systems import _ad_hoc_site

    return _ad_hoc_site(lon, lat, name)


def ad_hoc_figure(max_km: float, *, min_km: float = 0.0) -> RangeEstimate:
    """Return a range figure given directly in km; it has no source.

    Raises
    ------
    ParameterError
        Naming ``max_km`` or ``min_km`` if the ranges are not valid (not finite,
        not above 0, beyond the antipodal distance, or ``min_km >= max_km``).
    """
    _v.number(max_km, "max_km")
    _v.number(min_km, "min_km")
    return _ad_hoc_figure(max_km, min_km)


def _ad_hoc_figure(max_km: float, min_km: float = 0.0) -> RangeEstimate:
    """Return :func:`ad_hoc_figure` of checked numbers (the ranges are checked here)."""
    try:
        return RangeEstimate(
            kind="given", km=max_km, min_km=min_km, label="given range", source=None
        )
    except FieldError as err:
        first = err.errors[0]
        if first["type"] == "value_error" and not first["loc"]:
            raise ParameterError(
                f"min_km must be smaller than max_km, got {min_km:g} >= {max_km:g}",
                parameter="min_km",
            ) from None
        name = {"km": "max_km", "min_km": "min_km"}.get(
            str(first["loc"][0]) if first["loc"] else "", "max_km"
        )
        message = first["msg"].removeprefix("Value error, ")
        if ", got " not in message:
            message += f", got {first.get('input')!r}"
        raise ParameterError(f"{name}: {message}", parameter=name) from None


def _area_margins_km(envelope: Envelope, lon: NDArray, lat: NDArray, near: NDArray) -> NDArray:
    """Return the margins of points from a launch area's envelope, given their nearest distances.

    ``near`` holds each point's distance to the area's nearest point, km, or any value
    above ``max_km`` (``inf``) for a point known to lie beyond it. The farthest point
    matters only where the nearest is in the dead zone: elsewhere far >= near >= min_km
    and the margin does not depend on it, so only those are measured.
    """
    from .areas import area_far_km

    far = None
    if envelope.min_km > 0:
        far = near.copy()
        dead = np.flatnonzero(near < envelope.min_km)
        if dead.size:
            far[dead] = area_far_km(envelope.origin.geometry, lon[dead], lat[dead])
    return envelope.margins_km(near, far)


def within_envelope(envelope, target_lon: ArrayLike, target_lat: ArrayLike) -> NDArray:
    """Return a boolean per point: covered by an envelope, exactly, for millions of points.

    The rule is :class:`coverage.envelopes.Envelope`'s; each kind of origin goes to
    the engine that settles most points without measuring them: a point origin to
    :func:`coverage.bulk.within_ring`, a point origin with a sector to
    :func:`coverage.sectors.within_sector`, a launch area to
    :func:`coverage.areas.area_distance_km` (nearest point, a k-d tree bound on its
    boundary) and, with a minimum range, :func:`coverage.areas.area_far_km`.

    Parameters
    ----------
    envelope : coverage.envelopes.Envelope
        What one figure covers from one origin.
    target_lon, target_lat : array_like
        Points in decimal degrees, longitude first: 1-D, of one length.

    Returns
    -------
    numpy.ndarray of bool
        One per point.

    Raises
    ------
    ParameterError
        If ``envelope`` is not an Envelope or the points' shapes differ.
    CoordinateError
        If a coordinate is invalid.
    """
    _v.envelope(envelope)
    _v.numbers_array(target_lon, "target_lon")
    _v.numbers_array(target_lat, "target_lat")
    if not isinstance(envelope, Envelope):
        raise ParameterError(
            f"envelope: expected a coverage.envelopes.Envelope, got {type(envelope).__name__}",
            parameter="envelope",
        )
    o = envelope.origin
    if o.kind == "area":
        import shapely

        from .areas import area_distance_km, area_far_km
        from .geodesy import _pair_km

        lon, lat = np.asarray(target_lon, dtype=float), np.asarray(target_lat, dtype=float)
        if lon.shape != lat.shape:
            raise ParameterError(
                f"target_lon, target_lat: shapes {lon.shape} and {lat.shape} differ",
                parameter="target_lon",
            )
        # Triangle inequality from one vertex v of the area: a point farther than
        # max_km + (v's farthest point of the area) from v is out of reach, and only
        # the rest is measured exactly.
        vlon, vlat = shapely.get_coordinates(o.geometry)[0]
        spread = float(area_far_km(o.geometry, vlon, vlat))
        near = np.full(lon.shape, np.inf)
        flat = lon.ravel(), lat.ravel()
        check_lonlat(*flat, what="points")
        close = np.flatnonzero(
            _pair_km(np.full(flat[0].size, vlon), np.full(flat[0].size, vlat), *flat)
            <= envelope.max_km + spread
        )
        near.ravel()[close] = area_distance_km(o.geometry, flat[0][close], flat[1][close])
        return _area_margins_km(envelope, lon, lat, near) >= 0
    if envelope.sector is not None:
        from .sectors import within_sector

        return within_sector(
            o.lon,
            o.lat,
            envelope.sector,
            target_lon,
            target_lat,
            max_km=envelope.max_km,
            min_km=envelope.min_km,
        )
    from .bulk import within_ring

    return within_ring(
        o.lon, o.lat, envelope.max_km, target_lon, target_lat, min_km=envelope.min_km
    )
