"""Range rings: one polygon per site and range figure, with what it stands for.

A :class:`Ring` ties a geodesic ring from :func:`coverage.geodesy.range_ring` to its
centre, the system and figure it draws, and the figure's source, so that maps and
exports can label every ring honestly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon

from .geodesy import LonLat, check_lonlat, range_ring
from .systems import RangeEstimate, Site, System

__all__ = ["Ring", "ad_hoc_site", "ad_hoc_figure", "build_rings"]


@dataclass(frozen=True)
class Ring:
    """A drawn range ring and what it stands for.

    Attributes
    ----------
    site : Site
        The centre (lon/lat degrees) and its name.
    system : System or None
        The system whose figure is drawn; None for a bare ``--range-km`` ring.
    figure : RangeEstimate
        The range figure: ``km`` (max), ``min_km``, kind, source.
    geometry : shapely.Polygon or shapely.MultiPolygon
        The ring in lon/lat degrees, for display and export only.
    """

    site: Site
    system: System | None
    figure: RangeEstimate
    geometry: Polygon | MultiPolygon

    @property
    def centre(self) -> LonLat:
        """The ring's centre, ``LonLat(lon, lat)``."""
        return self.site.position

    @property
    def range_km(self) -> float:
        """Maximum range in km."""
        return self.figure.km

    @property
    def min_km(self) -> float:
        """Minimum range in km (0 when there is none)."""
        return self.figure.min_km

    @property
    def label(self) -> str:
        """Readable label, e.g. ``"Iskander-M, declared 500 km, from Chernyakhovsk"``."""
        what = self.system.name + ", " if self.system else ""
        return f"{what}{self.figure.title}, from {self.site.name}"


def ad_hoc_site(lon: float, lat: float, *, name: str | None = None) -> Site:
    """Return a Site for a point given by the user (``--at LON,LAT``).

    Raises
    ------
    CoordinateError
        If the coordinates are invalid.
    """
    check_lonlat(lon, lat, what=f"point {name or ''}".strip())
    label = name or f"{lon:g}, {lat:g}"
    return Site(
        id="point",
        name=label,
        lon=float(lon),
        lat=float(lat),
        location_precision="user",
    )


def ad_hoc_figure(max_km: float, *, min_km: float = 0.0) -> RangeEstimate:
    """Return a range figure given directly in km (``--range-km``); it has no source.

    Raises
    ------
    ParameterError
        If the ranges are not valid (see :func:`coverage.geodesy.range_ring`).
    """
    from pydantic import ValidationError

    from .errors import ParameterError

    try:
        return RangeEstimate(
            kind="given", km=max_km, min_km=min_km, label="given range", source=None
        )
    except ValidationError as err:
        if err.errors(include_url=False)[0]["type"] == "value_error" and min_km >= max_km:
            raise ParameterError(
                f"--min-range-km must be smaller than --range-km, got {min_km:g} >= {max_km:g}"
            ) from None
        first = err.errors(include_url=False)[0]
        name = {"km": "--range-km", "min_km": "--min-range-km"}.get(
            str(first["loc"][0]) if first["loc"] else "", "range"
        )
        message = first["msg"].removeprefix("Value error, ")
        if ", got " not in message:
            message += f", got {first.get('input')!r}"
        raise ParameterError(f"{name}: {message}") from None


def build_rings(
    pairs: Iterable[tuple[Site, System | None, RangeEstimate]],
    *,
    tolerance_km: float | None = None,
    progress: Callable[[Sequence], Iterable] | None = None,
) -> list[Ring]:
    """Draw one ring per (site, system, figure).

    Parameters
    ----------
    pairs : iterable of (Site, System or None, RangeEstimate)
        What to draw.
    tolerance_km : float, optional
        Passed to :func:`coverage.geodesy.range_ring`.
    progress : callable, optional
        Wraps the work list to report progress (the CLI passes a rich progress bar).

    Returns
    -------
    list of Ring

    Raises
    ------
    CoordinateError, ParameterError
        As :func:`coverage.geodesy.range_ring` (e.g. a range beyond the antipodal distance).
    """
    work = list(pairs)
    iterable = progress(work) if progress else work
    rings = []
    for site, system, figure in iterable:
        geometry = range_ring(
            site.lon, site.lat, figure.km, min_km=figure.min_km, tolerance_km=tolerance_km
        )
        rings.append(Ring(site=site, system=system, figure=figure, geometry=geometry))
    return rings
