"""threat-coverage: exact geodesic range rings and honest verdicts on missile-range claims.

Distances are geodesic on the WGS84 ellipsoid (pyproj.Geod, GeographicLib) in
kilometres; coordinates are decimal degrees, longitude first (x, y). Whether a target
is in range is decided by its exact distance, never by a drawn polygon.

The import name ``coverage`` is also coverage.py's: install threat-coverage in its own
virtual environment or with pipx, never beside coverage.py or pytest-cov.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

#: Marks this ``coverage`` package as threat-coverage's (see coverage._clash).
__threat_coverage__ = True
__version__ = "0.1.0"

if TYPE_CHECKING:  # the names as type checkers and IDEs see them; loaded lazily at run time
    from .bulk import Nearest, nearest_site, within_reach, within_ring
    from .checks import Request, check
    from .envelopes import (
        Envelope,
        Layer,
        ad_hoc_figure,
        ad_hoc_site,
        envelopes,
        within_envelope,
    )
    from .errors import (
        ConflictError,
        CoordinateError,
        CoverageError,
        CoverageWarning,
        DataError,
        ExportError,
        ParameterError,
        UnknownNameError,
    )
    from .frames import (
        gdf_to_targets,
        reach_gdf,
        rings_gdf,
        sites_gdf,
        targets_to_gdf,
        verdict_gdf,
    )
    from .geodesy import (
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
    from .render.leaflet import coverage_map, save_map, verdict_map
    from .sectors import Sector
    from .systems import Catalog, RangeEstimate, Site, Source, System, load_catalog

#: Where each public name lives; imported on first use (PEP 562), so that
#: ``import coverage`` (and ``threat-coverage --help``) loads no numpy, pyproj,
#: shapely, geopandas or folium until a name that needs them is used.
_LAZY = {
    **dict.fromkeys(("Nearest", "nearest_site", "within_reach", "within_ring"), "bulk"),
    **dict.fromkeys(("Request", "check"), "checks"),
    **dict.fromkeys(
        ("Envelope", "Layer", "ad_hoc_figure", "ad_hoc_site", "envelopes", "within_envelope"),
        "envelopes",
    ),
    **dict.fromkeys(
        (
            "ConflictError",
            "CoordinateError",
            "CoverageError",
            "CoverageWarning",
            "DataError",
            "ExportError",
            "ParameterError",
            "UnknownNameError",
        ),
        "errors",
    ),
    **dict.fromkeys(
        ("gdf_to_targets", "reach_gdf", "rings_gdf", "sites_gdf", "targets_to_gdf", "verdict_gdf"),
        "frames",
    ),
    **dict.fromkeys(
        (
            "LonLat",
            "antipodal_distance_km",
            "default_tolerance_km",
            "destination",
            "distance_km",
            "distance_matrix_km",
            "radar_horizon_km",
            "range_ring",
            "range_rings",
        ),
        "geodesy",
    ),
    "Sector": "sectors",
    **dict.fromkeys(
        ("Catalog", "RangeEstimate", "Site", "Source", "System", "load_catalog"), "systems"
    ),
    **dict.fromkeys(("coverage_map", "verdict_map", "save_map"), "render.leaflet"),
}

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
    "coverage_map",
    "verdict_map",
    "save_map",
]


def __getattr__(name: str):
    """Import a public name's module on first use (see :data:`_LAZY`)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coverage' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names with the module's own (tab completion, ``dir()``)."""
    return sorted(set(globals()) | set(__all__))
