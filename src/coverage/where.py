"""Which country a point lies in: to echo ad hoc points and catch swapped coordinates.

A point is looked up first in the bundled territories of Europe's states
(``data/territories.geojson``, Natural Earth 1:50m, with ISO codes), then in the
world basemap (``data/borders.geojson``, Natural Earth 1:50m simplified for display,
names only); a point in neither is at sea. These are display outlines: whether a
target is in range never depends on them. Two uses:

- :func:`swap_hint` says when a point given as ``LON,LAT`` was most likely typed
  latitude first: it lies at sea or far from every target, while the swapped reading
  lies in a country among the targets.
- :func:`check_site_countries` refuses a site of a user's systems file whose
  ``country`` code disagrees with where its point lies, by more than
  :data:`SITE_TOLERANCE_KM` (exact geodesic distance to that country's territory).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import _validate as _v
from . import resources
from .errors import DataError, ParameterError

__all__ = [
    "SITE_TOLERANCE_KM",
    "FAR_KM",
    "NEAR_KM",
    "Where",
    "country_at",
    "SwapHint",
    "swap_hint",
    "locate_points",
    "check_site_countries",
]

#: How far (km, geodesic) a site may lie outside the territory of the country its
#: ``country`` code names before its file is refused. Sites sit next to borders and on
#: coasts (Kaliningrad's bases, Baltic ports), and the bundled outlines are Natural
#: Earth 1:50m, whose coasts and borders lie up to a few km from the true ones (more on
#: narrow spits): 25 km lets every bundled site pass (the farthest lies 0 km outside)
#: while a swapped pair of coordinates lands hundreds to thousands of km away.
SITE_TOLERANCE_KM = 25.0

#: A point is "far from every target" beyond this distance to the nearest one, km.
FAR_KM = 1_000.0

#: A swapped reading "falls among the targets" within this distance of one, km.
NEAR_KM = 500.0


@dataclass(frozen=True)
class Where:
    """Where a point lies: a country's ``name`` and ``iso_a2`` (None at sea or unknown)."""

    name: str | None
    iso_a2: str | None = None

    @property
    def text(self) -> str:
        """E.g. ``"Russia (RU)"``, ``"Saudi Arabia"`` or ``"the sea"``."""
        if self.name is None:
            return "the sea"
        return f"{self.name} ({self.iso_a2})" if self.iso_a2 else self.name

    @property
    def phrase(self) -> str:
        """E.g. ``"in Russia (RU)"`` or ``"at sea"``."""
        return f"in {self.text}" if self.on_land else "at sea"

    @property
    def on_land(self) -> bool:
        """True when the point lies in some country."""
        return self.name is not None


@functools.lru_cache(maxsize=1)
def _layers() -> tuple[list[tuple[Any, str, str | None]], list[tuple[Any, str, str | None]]]:
    """Return the territories and the borders as prepared (geometry, name, iso_a2) lists."""
    import shapely
    from shapely.geometry import shape

    layers = []
    for name in ("territories.geojson", "borders.geojson"):
        with open(resources.data_path(name), encoding="utf-8") as stream:
            features = json.load(stream)["features"]
        layer = []
        for f in features:
            geom = shape(f["geometry"])
            shapely.prepare(geom)
            props = f["properties"]
            layer.append((geom, props.get("country") or props["name"], props.get("iso_a2")))
        layers.append(layer)
    return layers[0], layers[1]


def country_at(lon: float, lat: float) -> Where:
    """Return the country a point lies in, from the bundled outlines.

    Parameters
    ----------
    lon, lat : float
        Decimal degrees, longitude first.

    Returns
    -------
    Where
        ``Where(None)`` at sea (or on a coast the 1:50m outlines leave out).

    Examples
    --------
    >>> country_at(20.51, 54.71).text, country_at(54.7, 20.5).text, country_at(-30, 40).text
    ('Russia (RU)', 'Saudi Arabia', 'the sea')
    """
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    return _country_at(lon, lat)


def _country_at(lon: float, lat: float) -> Where:
    """Return :func:`country_at` of checked numbers."""
    import shapely

    territories, borders = _layers()
    for layer in (territories, borders):
        for geom, name, iso in layer:
            if shapely.contains_xy(geom, lon, lat) or shapely.intersects_xy(geom, lon, lat):
                return Where(name, iso)
    return Where(None)


def _territory(iso_a2: str):
    """Return the bundled territory (shapely geometry) of a country code, or None."""
    for geom, _name, iso in _layers()[0]:
        if iso == iso_a2:
            return geom
    return None


def _point_text(lon: float, lat: float) -> str:
    """Return ``point LON,LAT`` (decimal degrees, longitude first)."""
    return f"point {lon:g},{lat:g}"


@dataclass(frozen=True)
class SwapHint:
    """A point that was most likely typed latitude first, with the numbers behind it.

    ``nearest_km``/``nearest_name``: the given point's nearest target; ``swapped_km``
    and ``swapped_name``: the swapped reading's; ``where``/``swapped_where``: the
    countries (or sea) of both readings.
    """

    lon: float
    lat: float
    where: Where
    nearest_name: str
    nearest_km: float
    swapped_where: Where
    swapped_name: str
    swapped_km: float

    @property
    def text(self) -> str:
        """One warning line ending in ``did you mean point LAT,LON?``."""
        return self.describe()

    def describe(self, point: Callable[[float, float], str] = _point_text) -> str:
        """Return the warning line, naming the given point and its swap with ``point``.

        Parameters
        ----------
        point : callable, optional
            ``point(lon, lat)`` words a point as the caller's user typed it, e.g.
            ``--at 20.5,54.7`` on a command line; by default ``point 20.5,54.7``.

        Returns
        -------
        str
            One line ending in ``did you mean <point(lat, lon)>? (longitude first)``.

        Raises
        ------
        ParameterError
            If ``point`` is not callable.
        """
        if not callable(point):
            raise ParameterError(
                f"point: must be a function of (lon, lat), got {type(point).__name__}",
                parameter="point",
            )
        return (
            f"{point(self.lon, self.lat)} lies {self.where.phrase}, "
            f"{self.nearest_km:,.0f} km from the nearest target ({self.nearest_name}), while "
            f"{self.lat:g},{self.lon:g} lies {self.swapped_where.phrase}, "
            f"{self.swapped_km:,.0f} km from {self.swapped_name}: did you mean "
            f"{point(self.lat, self.lon)}? (longitude first)"
        )


def swap_hint(
    lon: float, lat: float, targets: Sequence[tuple[str, float, float]]
) -> SwapHint | None:
    """Return a hint when ``(lon, lat)`` reads better as ``(lat, lon)``, else None.

    The hint is given when the point lies at sea or more than :data:`FAR_KM` from every
    target, while the swapped reading is a valid point in a country, at most
    :data:`NEAR_KM` from some target and less than a third of the given point's
    distance to its nearest. Distances are geodesic (WGS84), km.

    Parameters
    ----------
    lon, lat : float
        The point as given, decimal degrees.
    targets : sequence of (name, lon, lat), or TargetSet
        The targets of the check (e.g. the capitals); a
        :class:`~coverage.targets.TargetSet` is read as it is, without a copy.

    Examples
    --------
    >>> from coverage.targets import load_targets
    >>> capitals = [(t.name, t.lon, t.lat) for t in load_targets()]
    >>> swap_hint(54.7, 20.5, capitals).text.rsplit(": ", 1)[-1]
    'did you mean point 20.5,54.7? (longitude first)'
    >>> swap_hint(20.5, 54.7, capitals) is None
    True
    """
    _v.number(lon, "lon", finite=False)
    _v.number(lat, "lat", finite=False)
    return _swap_hint(lon, lat, _NamedPoints.of(targets, "targets"))


#: Targets measured per call of the distance routine while looking for the nearest:
#: enough to keep the routine busy, few enough that its temporary arrays stay small
#: (about 3.5 MB for both readings of a point) whatever the number of targets.
_CHUNK = 1 << 16


@dataclass(frozen=True)
class _NamedPoints:
    """Targets as the swap hint reads them: ``name(i)``, and lon/lat arrays (degrees)."""

    name: Callable[[int], str]
    lons: Any
    lats: Any

    @staticmethod
    def of(targets: Any, name: str) -> _NamedPoints:
        """Check ``targets`` (triples, or a TargetSet, checked when it was loaded) and wrap them."""
        import numpy as np

        from .targets import TargetSet

        if isinstance(targets, TargetSet):
            items: Sequence[Any] = targets.targets
            n = len(items)
            return _NamedPoints(
                lambda i: items[i].name,
                np.fromiter((t.lon for t in items), float, count=n),
                np.fromiter((t.lat for t in items), float, count=n),
            )
        triples = _v.named_points(targets, name)
        n = len(triples)
        return _NamedPoints(
            lambda i: triples[i][0],
            np.fromiter((float(t[1]) for t in triples), float, count=n),
            np.fromiter((float(t[2]) for t in triples), float, count=n),
        )

    def nearest(self, lons: Sequence[float], lats: Sequence[float]) -> list[tuple[int, float]]:
        """Return, per query point, the index of the nearest target and its distance, km.

        Exact geodesic distances, measured :data:`_CHUNK` targets at a time; a tie goes
        to the first target, as one ``argmin`` over all of them would give.
        """
        from .geodesy import distance_matrix_km

        best = [(-1, float("inf"))] * len(lons)
        for start in range(0, len(self.lons), _CHUNK):
            part = slice(start, start + _CHUNK)
            d = distance_matrix_km(lons, lats, self.lons[part], self.lats[part])
            for q, row in enumerate(d):
                i = int(row.argmin())
                if row[i] < best[q][1]:
                    best[q] = (start + i, float(row[i]))
        return best


def _swap_hint(
    lon: float, lat: float, targets: _NamedPoints, where: Where | None = None
) -> SwapHint | None:
    """Return :func:`swap_hint` of checked arguments; ``where`` is the point's, if known.

    Both readings are placed (countries, from the outlines) before both are measured
    (distances to the targets, from geodesy): one pass over each.
    """
    if not len(targets.lons) or abs(lon) > 90 or lon == lat:
        return None
    where = _country_at(lon, lat) if where is None else where
    swapped_where = _country_at(lat, lon)
    if not swapped_where.on_land:
        return None
    (near, near_km), (swapped, swapped_km) = targets.nearest([lon, lat], [lat, lon])
    if where.on_land and near_km <= FAR_KM:
        return None
    if swapped_km > NEAR_KM or swapped_km * 3 >= near_km:
        return None
    return SwapHint(
        lon,
        lat,
        where,
        targets.name(near),
        near_km,
        swapped_where,
        targets.name(swapped),
        swapped_km,
    )


def locate_points(
    points: Sequence[tuple[float, float]], targets: Sequence[tuple[str, float, float]]
) -> list[tuple[Where, SwapHint | None]]:
    """Return where each point lies and, when it reads better swapped, the hint.

    One call for what a command echoes about the points a user typed: per point,
    :func:`country_at` and :func:`swap_hint` against ``targets``. Memory does not
    grow with the targets beyond two arrays of their coordinates (16 bytes each).

    Parameters
    ----------
    points : sequence of (lon, lat)
        Decimal degrees, longitude first.
    targets : sequence of (name, lon, lat), or TargetSet
        The targets of the check (e.g. the capitals); a
        :class:`~coverage.targets.TargetSet` is read as it is, without a copy.

    Returns
    -------
    list of (Where, SwapHint or None)
        One pair per point, in order.

    Examples
    --------
    >>> from coverage.targets import load_targets
    >>> capitals = [(t.name, t.lon, t.lat) for t in load_targets()]
    >>> [(w.text, h is None) for w, h in locate_points([(20.51, 54.71)], capitals)]
    [('Russia (RU)', True)]
    """
    if isinstance(points, Iterator):  # read once, then checked like a sequence
        points = tuple(points)
    points = _v.point_sequence(points, "points")
    for i, (lon, lat) in enumerate(points):
        _v.number(lon, f"points[{i}]", finite=False)
        _v.number(lat, f"points[{i}]", finite=False)
    return _locate_points(points, targets)


def _locate_points(
    points: Sequence[tuple[float, float]], targets: Any
) -> list[tuple[Where, SwapHint | None]]:
    """Return :func:`locate_points` of checked points (``(lon, lat)`` pairs of numbers).

    ``targets`` is checked here (a TargetSet, checked when it was loaded, is read as
    it is); a caller holding a checked request's points, such as the CLI's echo of
    them, calls this directly.
    """
    named = _NamedPoints.of(targets, "targets")
    out = []
    for lon, lat in points:
        where = _country_at(lon, lat)
        out.append((where, _swap_hint(lon, lat, named, where)))
    return out


def check_site_countries(sites: Sequence[Any], data: Any, path) -> None:
    """Refuse a point site whose ``country`` code disagrees with where its point lies.

    A site passes when its point lies within :data:`SITE_TOLERANCE_KM` (exact geodesic
    distance) of the bundled territory of its country. Codes the bundled territories
    do not hold (states outside Europe's 51) are not checked; nor are areas.

    Parameters
    ----------
    sites : sequence of Site
        The sites of one file, in file order.
    data : object
        The loaded YAML (with line numbers, see :mod:`coverage.datafile`).
    path : path
        The file, for the message.

    Raises
    ------
    DataError
        Naming the file, the line and field of the site's ``country``, and both
        countries, e.g. ``mine.yaml:12: sites[0].country: 'LT' but the point (54.7,
        25.3) lies in Saudi Arabia, 3,021 km from LT's territory ...``.
    """
    _v.sites(sites)
    from .areas import area_distance_km
    from .datafile import locate_line

    for i, site in enumerate(sites):
        if site.country is None or site.geometry is not None or site.lon is None:
            continue
        territory = _territory(site.country)
        if territory is None:
            continue
        km = float(area_distance_km(territory, site.lon, site.lat))
        if km <= SITE_TOLERANCE_KM:
            continue
        where = country_at(site.lon, site.lat)
        swapped = ""
        if abs(site.lon) <= 90:
            back = float(area_distance_km(territory, site.lat, site.lon))
            if back <= SITE_TOLERANCE_KM:
                swapped = f"; swapped ({site.lat:g}, {site.lon:g}), it lies in {site.country}"
        raise DataError(
            f"{site.country!r} but the point (lon {site.lon:g}, lat {site.lat:g}) lies "
            f"{where.phrase}, {km:,.0f} km from {site.country}'s territory{swapped}; fix "
            "country, lon or lat (longitude first)",
            path=path,
            line=locate_line(data, ("sites", i, "country")),
            field=f"sites[{i}].country",
        )
