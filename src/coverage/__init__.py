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

from .bulk import Nearest, nearest_site, within_envelope, within_reach, within_ring  # noqa: E402
from .checks import Request, check  # noqa: E402
from .envelopes import Envelope, Layer, ad_hoc_figure, ad_hoc_site, envelopes  # noqa: E402
from .errors import (  # noqa: E402
    ConflictError,
    CoordinateError,
    CoverageError,
    CoverageWarning,
    DataError,
    ExportError,
    ParameterError,
    UnknownNameError,
)
from .frames import (  # noqa: E402  (geopandas is imported by these functions, on first use)
    gdf_to_targets,
    reach_gdf,
    rings_gdf,
    sites_gdf,
    targets_to_gdf,
    verdict_gdf,
)
from .geodesy import (  # noqa: E402
    LonLat,
    antipodal_distance_km,
    default_tolerance_km,
    destination,
    distance_km,
    distance_matrix_km,
    radar_horizon_km,
    range_ring,
    range_rings,
)
from .sectors import Sector  # noqa: E402
from .systems import Catalog, RangeEstimate, Site, Source, System, load_catalog  # noqa: E402

#: Map helpers, imported on first use (folium takes a while to import).
_LAZY_MAPS = ("coverage_map", "verdict_map", "save_map")

__all__ = [
    "__version__",
    "CoverageError",
    "DataError",
    "CoordinateError",
    "ParameterError",
    "ConflictError",
    "UnknownNameError",
    "ExportError",
    "CoverageWarning",
    "LonLat",
    "distance_km",
    "distance_matrix_km",
    "destination",
    "antipodal_distance_km",
    "default_tolerance_km",
    "range_ring",
    "range_rings",
    "radar_horizon_km",
    "Nearest",
    "nearest_site",
    "within_reach",
    "within_ring",
    "within_envelope",
    "Request",
    "check",
    "Sector",
    "Envelope",
    "Layer",
    "envelopes",
    "ad_hoc_site",
    "ad_hoc_figure",
    "Source",
    "RangeEstimate",
    "Site",
    "System",
    "Catalog",
    "load_catalog",
    "targets_to_gdf",
    "gdf_to_targets",
    "sites_gdf",
    "reach_gdf",
    "rings_gdf",
    "verdict_gdf",
    *_LAZY_MAPS,
]


def __getattr__(name: str):
    """Import the map helpers on first use (folium takes a while to import)."""
    if name not in _LAZY_MAPS:
        raise AttributeError(f"module 'coverage' has no attribute {name!r}")
    from . import maps

    value = getattr(maps, name)
    globals()[name] = value
    return value
