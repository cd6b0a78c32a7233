"""Build data/territories.geojson: the territory of each European state, for "countries" claims.

A claim that missiles threaten "half of all European countries" is about territory,
not capitals: a country is reached when any part of it is within range. This file
holds the outline of each of the 51 states of the ``europe-all`` definition, at
Natural Earth 1:50m resolution, unsimplified, so that the distance from a launch site
to the nearest point of a country can be measured (see coverage.territories).

Source
------
Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm package
``world-atlas`` 2.0.2 (ISC licence); npm is needed only to rebuild this file::

    npm install --prefix /tmp/wa world-atlas@2.0.2
    python scripts/build_territories.py /tmp/wa/node_modules/world-atlas/countries-50m.json

Each feature is labelled at its capital (from data/capitals.geojson). The TopoJSON
decoding and antimeridian split are those of scripts/build_borders.py; membership
in each definition comes from data/definitions.yaml, as for the capitals.
Borders are the internationally recognised ones: Crimea is moved from Natural Earth's
(de facto) Russia to Ukraine (see build_borders.assign_crimea_to_ukraine).
Natural Earth's "France", "Norway" and others include overseas parts; they are kept
(they are far from any European site and never the nearest point). Northern Cyprus
is not part of "Cyprus" in Natural Earth and is left out, as the capitals file leaves
it out. Output: compact JSON, features sorted by ISO code, coordinates rounded to 4
decimals (about 10 m), deterministic for a given shapely/GEOS.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_borders  # noqa: E402  (sibling script: TopoJSON decoding)
import build_capitals  # noqa: E402  (sibling script: definition membership)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_PATH = ROOT / "data" / "territories.geojson"
DECIMALS = 4
ATTRIBUTION = (
    "Territories: Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2"
)

#: Natural Earth (world-atlas) name of each state of the europe-all definition.
NAMES = {
    "AD": "Andorra",
    "AL": "Albania",
    "AM": "Armenia",
    "AT": "Austria",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herz.",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BY": "Belarus",
    "CH": "Switzerland",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GE": "Georgia",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IS": "Iceland",
    "IT": "Italy",
    "KZ": "Kazakhstan",
    "LI": "Liechtenstein",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MC": "Monaco",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MK": "Macedonia",
    "MT": "Malta",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "SM": "San Marino",
    "TR": "Turkey",
    "UA": "Ukraine",
    "VA": "Vatican",
    "XK": "Kosovo",
}


def rounded(value: Any) -> Any:
    """Round every number in nested coordinate tuples/lists to ``DECIMALS``."""
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return round(float(value), DECIMALS)


def build_collection(topology: dict[str, Any]) -> dict[str, Any]:
    """Return the territories FeatureCollection for the europe-all states."""
    countries = build_borders.assign_crimea_to_ukraine(build_borders.decode_countries(topology))
    memberships = build_capitals.load_memberships()
    capitals = json.loads((ROOT / "data" / "capitals.geojson").read_text(encoding="utf-8"))
    country_name = {
        f["properties"]["iso_a2"]: f["properties"]["country"] for f in capitals["features"]
    }
    capital_at = {
        f["properties"]["iso_a2"]: f["geometry"]["coordinates"] for f in capitals["features"]
    }
    features = []
    for code in sorted(NAMES):
        geometry = countries.get(NAMES[code])
        if geometry is None:
            raise SystemExit(f"error: {NAMES[code]!r} ({code}) is not in the TopoJSON file")
        geometry = shapely.orient_polygons(geometry)
        label_lon, label_lat = capital_at[code]  # labelled at the capital, as on the maps
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": country_name.get(code, NAMES[code]),
                    "country": country_name.get(code, NAMES[code]),
                    "iso_a2": code,
                    "definitions": sorted(memberships.get(code, [])),
                    "label_lon": label_lon,
                    "label_lat": label_lat,
                },
                "geometry": {
                    "type": mapping(geometry)["type"],
                    "coordinates": rounded(mapping(geometry)["coordinates"]),
                },
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def main(argv: list[str] | None = None) -> int:
    """Build the file; return the exit status."""
    return build_borders.build_main(
        argv, doc=__doc__, source="countries-50m.json", output=OUTPUT_PATH, build=build_collection
    )


if __name__ == "__main__":
    raise SystemExit(main())
