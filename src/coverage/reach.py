"""Which targets a system reaches from a set of sites, decided by exact distance.

Membership never comes from a drawn polygon: a target is in range of a figure when
its geodesic distance to some site is between the figure's minimum and maximum
range, inclusive (``min_km <= distance_km <= km``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import ParameterError
from .geodesy import distance_matrix_km
from .systems import RangeEstimate, Site
from .targets import Target

__all__ = ["Distances", "measure", "in_range", "TargetReach"]


@dataclass(frozen=True)
class Distances:
    """Geodesic distances from sites to targets, km.

    Attributes
    ----------
    sites : tuple of Site
    targets : tuple of Target
    km : numpy.ndarray
        (len(sites), len(targets)) distances in km.
    """

    sites: tuple[Site, ...]
    targets: tuple[Target, ...]
    km: NDArray

    @property
    def nearest_index(self) -> NDArray:
        """Index of the nearest site for each target (the first one on a tie)."""
        return np.argmin(self.km, axis=0)

    @property
    def nearest_km(self) -> NDArray:
        """Distance in km from each target to its nearest site."""
        return self.km.min(axis=0)


def measure(sites: Sequence[Site], targets: Sequence[Target]) -> Distances:
    """Measure every site-to-target geodesic distance (km) without Python loops.

    Raises
    ------
    ParameterError
        If there is no site or no target.
    """
    if not sites:
        raise ParameterError("no site to measure from; give --site ID or --at LON,LAT")
    if not targets:
        raise ParameterError("no targets to measure to")
    slon = np.array([s.lon for s in sites])
    slat = np.array([s.lat for s in sites])
    tlon = np.array([t.lon for t in targets])
    tlat = np.array([t.lat for t in targets])
    return Distances(tuple(sites), tuple(targets), distance_matrix_km(slon, slat, tlon, tlat))


def in_range(distances: Distances, figure: RangeEstimate) -> NDArray:
    """Return a boolean per target: reached from at least one site by this figure.

    A target is reached from a site when ``figure.min_km <= distance <= figure.km``.
    """
    km = distances.km
    return ((km >= figure.min_km) & (km <= figure.km)).any(axis=0)


@dataclass(frozen=True)
class TargetReach:
    """One target's distance to its nearest site.

    ``margin_km(range_km)`` is range minus distance: positive inside, negative outside.
    """

    target: Target
    distance_km: float
    nearest_site: Site

    def margin_km(self, range_km: float) -> float:
        """Range minus distance, km (positive = inside the range)."""
        return range_km - self.distance_km
