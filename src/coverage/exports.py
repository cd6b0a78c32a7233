"""GeoJSON, KML and CSV output of rings, sites and per-target results.

Every writer renders the whole document in memory first and then writes it through
:mod:`coverage._atomic`, so a failure leaves no half-written file and never replaces
a good one. ``path`` may be ``"-"`` for standard output.

GeoJSON follows RFC 7946: WGS84 lon/lat, exteriors counter-clockwise, rings that
cross the antimeridian split at +-180 (never wrapped past it), 6 decimals (~0.1 m).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from ._atomic import write_text_atomic
from .rings import Ring
from .systems import Site, Source

__all__ = [
    "COORDINATE_DECIMALS",
    "rings_geojson",
    "sites_geojson",
    "to_json_text",
    "write_text",
]

#: Decimal places of exported coordinates: 1e-6 degree is about 0.1 m.
COORDINATE_DECIMALS = 6


def _source_properties(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {"source_title": None, "source_publisher": None, "source_url": None, "source_date": None}
    return {
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_url": source.url,
        "source_date": source.date,
    }


def _geometry(geom, decimals: int = COORDINATE_DECIMALS) -> dict[str, Any]:
    rounded = shapely.set_precision(geom, 10.0**-decimals, mode="pointwise")
    rounded = shapely.orient_polygons(rounded, exterior_cw=False)
    return _plain(mapping(rounded))


def _plain(obj):
    """Turn shapely's nested tuples into lists (json writes both; lists are clearer)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def ring_properties(ring: Ring) -> dict[str, Any]:
    """Return the GeoJSON/CSV properties describing a ring (km, degrees, source)."""
    system = ring.system
    props = {
        "site_id": ring.site.id,
        "site_name": ring.site.name,
        "centre_lon": ring.site.lon,
        "centre_lat": ring.site.lat,
        "system_id": system.id if system else None,
        "system_name": system.name if system else None,
        "kind": ring.figure.kind,
        "against": ring.figure.against,
        "range_km": ring.range_km,
        "min_range_km": ring.min_km,
        "label": ring.label,
    }
    props.update(_source_properties(ring.figure.source))
    return props


def rings_geojson(rings: Sequence[Ring]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection with one feature per ring.

    Each feature's properties hold the centre (``centre_lon``, ``centre_lat``,
    degrees), ``range_km`` and ``min_range_km`` (km), the system and the figure's
    kind and source.
    """
    features = [
        {"type": "Feature", "geometry": _geometry(r.geometry), "properties": ring_properties(r)}
        for r in rings
    ]
    return {"type": "FeatureCollection", "features": features}


def sites_geojson(sites: Sequence[Site]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of sites as points."""
    features = []
    for s in sites:
        props = {
            "id": s.id,
            "name": s.name,
            "country": s.country,
            "location_precision": s.location_precision,
            "systems": list(s.systems),
        }
        props.update(_source_properties(s.source))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _finite_or_none(obj):
    """Replace NaN/inf, which JSON cannot hold, with null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite_or_none(v) for v in obj]
    if isinstance(obj, np.generic):
        return _finite_or_none(obj.item())
    return obj


def to_json_text(obj: Any, *, indent: int | None = None) -> str:
    """Serialise to strict JSON text (UTF-8, no NaN), ending with a newline."""
    return json.dumps(_finite_or_none(obj), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"


def write_text(path: str | os.PathLike[str] | None, text: str) -> Path | None:
    """Write text to a file atomically, or to standard output for ``None`` or ``"-"``.

    Raises
    ------
    ExportError
        If the file cannot be written; an existing file is left untouched.
    """
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return write_text_atomic(path, text)


def render_rings(rings: Sequence[Ring], fmt: str) -> str:
    """Render rings as text in ``fmt``: ``"geojson"``, ``"kml"`` or ``"csv"``.

    Raises
    ------
    ParameterError
        For an unknown format.
    """
    if fmt == "geojson":
        return to_json_text(rings_geojson(rings))
    from .errors import ParameterError

    raise ParameterError(f"format {fmt!r} is not available for rings; use geojson, kml or csv")
