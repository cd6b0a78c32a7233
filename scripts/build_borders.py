"""Build data/borders.geojson: a small, whole-world country basemap for offline maps.

Source
------
Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm
package ``world-atlas`` 2.0.2 (ISC licence). npm is needed only to rebuild
this file, never at run time. Install the package outside the repository::

    npm install --prefix /tmp/wa world-atlas@2.0.2
    python scripts/build_borders.py /tmp/wa/node_modules/world-atlas/countries-50m.json

What it does
------------
1. Decodes the TopoJSON ``countries`` object (delta-decoded, unquantized arcs;
   arc index ``~i`` is arc ``i`` reversed).
2. Builds shapely polygons, drops degenerate rings (fewer than 4 points) and
   repairs invalid geometries with ``make_valid``.
3. Drops islets far from Europe (parts under ``ISLET_AREA_DEG2`` that are
   not their country's largest part and lie outside ``EUROPE_BOX``); they
   cost bytes and matter to no European map.
4. Simplifies all countries together with ``shapely.coverage_simplify``
   (Visvalingam-Whyatt), so that neighbours keep one shared border, then
   snaps coordinates to a 0.001 degree grid with ``shapely.set_precision``
   (which keeps them valid) and orients exterior rings counter-clockwise
   as RFC 7946 asks.

The tolerance trades detail for size: with 0.12 degree the file is about
440 kB, and borders in Europe stay within a few km of Natural Earth 1:50m
except for narrow spits and small islands, which may move up to about 0.5
degree. It is a display basemap only: whether a capital is reached is
computed from exact geodesic distances, never from these shapes.

The whole world is kept (range rings can cross the antimeridian or cover a
pole), and so are the microstates (Andorra, Liechtenstein, Malta, Monaco,
San Marino, Vatican). Each feature has only a ``name`` property (Kosovo has no
numeric id in world-atlas, so features are keyed on name). Output is compact
JSON, features sorted by name, deterministic for a given shapely/GEOS.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_PATH = ROOT / "data" / "borders.geojson"

ATTRIBUTION = "Borders: Natural Earth 1:50m (public domain), via world-atlas 2.0.2"
#: coverage_simplify tolerance in degrees: about the square root of the area
#: (in square degrees) of the triangles Visvalingam-Whyatt removes.
SIMPLIFY_TOLERANCE_DEG = 0.12
#: Islets smaller than this (square degrees) outside EUROPE_BOX are dropped,
#: unless they are their country's largest part.
ISLET_AREA_DEG2 = 0.1
#: (west, south, east, north) in degrees: parts touching this box are all kept.
EUROPE_BOX = (-32.0, 24.0, 80.0, 76.0)
#: Output grid in degrees; 0.001 degree is about 110 m of latitude.
GRID_DEG = 0.001
DECIMALS = 3
MICROSTATES = ("Andorra", "Liechtenstein", "Malta", "Monaco", "San Marino", "Vatican")


class BuildError(Exception):
    """Raised when the borders cannot be built; str() is one line."""


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Return the topology's arcs as lists of absolute (lon, lat) positions in degrees.

    Quantized arcs are delta-encoded integers; each position is the running sum
    times ``transform.scale`` plus ``transform.translate``.
    """
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_coordinates(
    arc_indexes: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """Join arcs into one ring; a negative index ``~i`` means arc ``i`` reversed.

    The first point of each arc after the first repeats the last point of the
    previous arc and is dropped.
    """
    ring: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def build_polygon(
    rings: list[list[int]], arcs: list[list[tuple[float, float]]]
) -> Polygon | MultiPolygon | None:
    """Return a Polygon from TopoJSON rings (exterior first), or None if degenerate.

    Holes with fewer than 4 points are dropped; a degenerate exterior drops
    the whole polygon.
    """
    coordinates = [ring_coordinates(ring, arcs) for ring in rings]
    if len(coordinates[0]) < 4:
        return None
    holes = [ring for ring in coordinates[1:] if len(ring) >= 4]
    if crosses_antimeridian(coordinates[0]):
        return split_at_antimeridian(coordinates[0])
    return Polygon(coordinates[0], holes)


def crosses_antimeridian(ring: list[tuple[float, float]]) -> bool:
    """True when consecutive points jump by more than 180 degrees of longitude.

    A jump along a pole (both points at latitude +-90, as Antarctica's outline is
    drawn in Natural Earth) is already planar and does not count.
    """
    xy = np.asarray(ring, dtype=float)
    jump = np.abs(np.diff(xy[:, 0])) > 180
    along_pole = (np.abs(xy[:-1, 1]) > 89.99) & (np.abs(xy[1:, 1]) > 89.99)
    return bool((jump & ~along_pole).any())


def split_at_antimeridian(ring: list[tuple[float, float]]) -> Polygon | MultiPolygon:
    """Return a ring that crosses +-180 as planar polygons within [-180, 180].

    World-atlas rings are spherical: Fiji and Chukotka jump from +180 to -180, and
    Antarctica winds once around the South Pole. Planar, such a ring draws a band
    across the map. Unwrap the longitudes; a ring winding around a pole is closed
    along it; then cut the result into 360-degree windows and shift each back.
    (Holes of such polygons are dropped: none of the crossing ones has any.)
    """
    xy = np.asarray(ring, dtype=float)
    step = (np.diff(xy[:, 0]) + 180.0) % 360.0 - 180.0
    lons = xy[0, 0] + np.r_[0.0, np.cumsum(step)]
    winding = lons[-1] - lons[0]
    coords = np.column_stack([lons, xy[:, 1]])
    if abs(winding) > 180.0:  # around a pole: close along the pole on the ring's side
        pole = -90.0 if xy[:, 1].mean() < 0 else 90.0
        coords = np.vstack([coords, [[lons[-1], pole], [lons[0], pole]]])
    area = shapely.make_valid(Polygon(coords))
    minx, _, maxx, _ = area.bounds
    pieces = []
    for k in range(
        int(np.floor((minx + 180.0) / 360.0)), int(np.floor((maxx + 180.0) / 360.0)) + 1
    ):
        window = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = area.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.transform(piece, lambda p, k=k: p - [360.0 * k, 0.0]))
    return polygonal_part(shapely.union_all(pieces))


def polygonal_part(geometry: shapely.Geometry) -> Polygon | MultiPolygon:
    """Return the polygons of a geometry (dropping points and lines), as one geometry."""
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, (Polygon, MultiPolygon)) and not part.is_empty
    ]
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


#: Box holding Crimea and none of Russia's mainland (the Taman peninsula starts at 36.62 E).
CRIMEA_BOX = (32.0, 44.0, 36.6, 46.3)


def assign_crimea_to_ukraine(countries: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Move Crimea from Natural Earth's Russia to Ukraine.

    Natural Earth draws de facto control, so its 1:50m Russia includes Crimea. This
    project follows internationally recognised borders (UN General Assembly
    resolution 68/262, 27 March 2014), as it does for launch sites (Tskhinvali is in
    Georgia, Tiraspol in Moldova). Crimea is a separate part of Russia's
    MultiPolygon, picked out by ``CRIMEA_BOX``.

    Raises
    ------
    BuildError
        If no part of Russia lies in the box (the source data changed).
    """
    box = shapely.box(*CRIMEA_BOX)
    parts = list(shapely.get_parts(countries["Russia"]))
    crimea = [p for p in parts if box.contains(p.representative_point())]
    if len(crimea) != 1 or not box.contains(crimea[0]):
        raise BuildError(f"expected Crimea as one part of Russia inside {CRIMEA_BOX}")
    rest = [p for p in parts if p is not crimea[0]]
    result = dict(countries)
    result["Russia"] = MultiPolygon(rest) if len(rest) > 1 else rest[0]
    result["Ukraine"] = polygonal_part(shapely.union_all([countries["Ukraine"], crimea[0]]))
    return result


def decode_countries(topology: dict[str, Any]) -> dict[str, shapely.Geometry]:
    """Return a valid geometry for each country of ``objects.countries``, keyed by name.

    Raises
    ------
    BuildError
        If the topology has no ``countries`` object or two countries share a name.
    """
    try:
        collection = topology["objects"]["countries"]
    except KeyError as err:
        raise BuildError("the TopoJSON file has no objects.countries") from err
    arcs = decode_arcs(topology)
    countries: dict[str, shapely.Geometry] = {}
    for item in collection["geometries"]:
        name = item["properties"]["name"]
        if name in countries:
            raise BuildError(f"two countries are named {name!r}")
        if item["type"] == "Polygon":
            polygons = [build_polygon(item["arcs"], arcs)]
        elif item["type"] == "MultiPolygon":
            polygons = [build_polygon(rings, arcs) for rings in item["arcs"]]
        else:
            continue  # no area to draw
        polygons = [q for p in polygons if p is not None for q in shapely.get_parts(p)]
        if not polygons:
            continue
        geometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
        if not geometry.is_valid:
            geometry = polygonal_part(shapely.make_valid(geometry))
        if not geometry.is_empty:
            countries[name] = geometry
    return countries


def drop_remote_islets(countries: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Drop small polygons far from Europe, keeping each country's largest part.

    A part is dropped when its planar area is below ``ISLET_AREA_DEG2``
    square degrees, it is not the largest part of its country and it does
    not intersect ``EUROPE_BOX``. Removing polygons keeps a coverage valid.
    """
    box = shapely.box(*EUROPE_BOX)
    result = {}
    for name, geometry in countries.items():
        parts = shapely.get_parts(geometry)
        areas = shapely.area(parts)
        largest = int(areas.argmax())
        keep = [
            part
            for i, (part, area) in enumerate(zip(parts, areas, strict=True))
            if i == largest or area >= ISLET_AREA_DEG2 or part.intersects(box)
        ]
        result[name] = keep[0] if len(keep) == 1 else MultiPolygon(keep)
    return result


def simplify(countries: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Simplify all countries together, snap to the output grid and orient rings.

    ``coverage_simplify`` simplifies each shared border once, so neighbours
    still meet; ``set_precision`` then snaps to ``GRID_DEG`` and keeps each
    geometry valid.
    """
    names = sorted(countries)
    geometries = shapely.coverage_simplify([countries[n] for n in names], SIMPLIFY_TOLERANCE_DEG)
    geometries = shapely.set_precision(geometries, GRID_DEG)
    geometries = shapely.orient_polygons(geometries)
    result = {}
    for name, geometry in zip(names, geometries, strict=True):
        geometry = polygonal_part(shapely.make_valid(resplit(geometry)))
        if geometry.is_empty:
            raise BuildError(f"{name} vanished when simplified; lower the tolerance")
        if not geometry.is_valid:
            raise BuildError(f"{name} is invalid after simplification")
        result[name] = geometry
    return result


def resplit(geometry: shapely.Geometry) -> shapely.Geometry:
    """Split again any ring that simplification turned into an antimeridian jump.

    Simplifying can drop the vertices of a cut along +-180 and -90 (Antarctica),
    leaving a chord from one side of the map to the other; rebuild such parts.
    """
    parts = []
    for part in shapely.get_parts(geometry):
        coords = list(part.exterior.coords) if isinstance(part, Polygon) else []
        if coords and crosses_antimeridian(coords):
            parts.extend(shapely.get_parts(split_at_antimeridian(coords)))
        else:
            parts.append(part)
    if len(parts) == 1:
        return shapely.orient_polygons(parts[0])
    return shapely.orient_polygons(MultiPolygon(parts))


def rounded(value: Any) -> Any:
    """Round every number in nested coordinate tuples/lists to ``DECIMALS``."""
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return round(float(value), DECIMALS)


def build_collection(topology: dict[str, Any]) -> dict[str, Any]:
    """Return the borders FeatureCollection built from a world-atlas topology."""
    countries = simplify(drop_remote_islets(assign_crimea_to_ukraine(decode_countries(topology))))
    missing = [name for name in MICROSTATES if name not in countries]
    if missing:
        raise BuildError(f"microstates missing from the output: {', '.join(missing)}")
    features = []
    for name in sorted(countries):
        geometry = mapping(countries[name])
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": rounded(geometry["coordinates"]),
                },
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def render(collection: dict[str, Any]) -> str:
    """Serialise compactly and deterministically, with a final newline."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def build_main(argv, *, doc: str, source: str, output: Path, build) -> int:
    """Run a world-atlas build script: read the TopoJSON, ``build`` it, write compact JSON.

    Shared by build_territories.py and build_areas.py; returns the exit status.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("topojson", type=Path, help=f"world-atlas {source}")
    parser.add_argument("--output", type=Path, default=output)
    args = parser.parse_args(argv)
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    text = json.dumps(build(topology), ensure_ascii=False, separators=(",", ":")) + "\n"
    write_atomically(args.output, text)
    print(f"wrote {args.output}: {len(text.encode()):,} bytes")
    return 0


def write_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` via a temporary file in the same directory."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; data files are world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "topojson",
        type=Path,
        help="path of world-atlas countries-50m.json",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT_PATH,
        help="output file (default: data/borders.geojson)",
    )
    args = parser.parse_args(argv)
    try:
        with open(args.topojson, encoding="utf-8") as f:
            topology = json.load(f)
        collection = build_collection(topology)
    except (OSError, ValueError) as err:
        print(f"error: cannot read {args.topojson}: {err}", file=sys.stderr)
        return 1
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    text = render(collection)
    write_atomically(args.output, text)
    size = len(text.encode("utf-8"))
    count = len(collection["features"])
    print(f"wrote {args.output}: {size} bytes ({size / 1000:.1f} kB), {count} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
