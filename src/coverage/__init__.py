"""threat-coverage: exact geodesic range rings and honest verdicts on missile-range claims.

Distances are geodesic on the WGS84 ellipsoid (pyproj.Geod, GeographicLib) in
kilometres; coordinates are decimal degrees, longitude first (x, y). Whether a target
is in range is decided by its exact distance, never by a drawn polygon.

The import name ``coverage`` is also coverage.py's: install threat-coverage in its own
virtual environment or with pipx, never beside coverage.py or pytest-cov.
"""

from __future__ import annotations

#: Marks this ``coverage`` package as threat-coverage's (see coverage._clash).
__threat_coverage__ = True
__version__ = "0.1.0"

from .errors import (  # noqa: E402
    CoordinateError,
    CoverageError,
    CoverageWarning,
    DataError,
    ExportError,
    ParameterError,
    UnknownNameError,
)
from .geodesy import (  # noqa: E402
    LonLat,
    antipodal_distance_km,
    default_tolerance_km,
    destination,
    distance_km,
    distance_matrix_km,
    nearest_km,
    range_ring,
)
from .rings import Ring, build_rings  # noqa: E402
from .systems import Catalog, RangeEstimate, Site, Source, System, load_catalog  # noqa: E402

__all__ = [
    "__version__",
    "CoverageError",
    "DataError",
    "CoordinateError",
    "ParameterError",
    "UnknownNameError",
    "ExportError",
    "CoverageWarning",
    "LonLat",
    "distance_km",
    "distance_matrix_km",
    "nearest_km",
    "destination",
    "antipodal_distance_km",
    "default_tolerance_km",
    "range_ring",
    "Ring",
    "build_rings",
    "Source",
    "RangeEstimate",
    "Site",
    "System",
    "Catalog",
    "load_catalog",
]
