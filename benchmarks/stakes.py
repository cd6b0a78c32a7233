"""Section 8: people in range, over every bundled place (issue 16).

Ours is :func:`coverage.stakes.population_in_range` (through
:func:`coverage.envelopes.within_envelope`: rings a margin inside and outside the band
settle most places, only the rest are measured; a launch area prunes by the
triangle inequality from one of its vertices first). The alternative is the exact
rule on every place: ``Geod.inv`` from the origin to each of the 57,790 places (for
the area, :func:`coverage.areas.area_distance_km` on every place), then the band
test and the sum. Both sums are compared, person for person.

- one envelope: Iskander-M's 500 km from Chernyakhovsk, and from anywhere in
  Kaliningrad Oblast;
- 1,000 envelopes at once: 500 km from 1,000 points in the Europe box, each its
  own count (the alternative is timed on 50 of them and scaled).
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from coverage import stakes
from coverage.areas import area_distance_km
from coverage.envelopes import Layer, ad_hoc_figure, ad_hoc_site, envelopes
from coverage.systems import area_site, load_catalog

from .common import Record, europe_points, median_time, size

GEOD = Geod(ellps="WGS84")


def _exact(envelope, places) -> tuple[int, int]:
    """People and places within the envelope, every place measured exactly."""
    o = envelope.origin
    if o.kind == "area":
        km = np.asarray(area_distance_km(o.geometry, places.lon, places.lat))
    else:
        n = len(places)
        _, _, m = GEOD.inv(np.full(n, o.lon), np.full(n, o.lat), places.lon, places.lat)
        km = np.asarray(m) / 1000.0
    hit = (km >= envelope.min_km) & (km <= envelope.max_km)
    return int(places.population[hit].sum()), int(hit.sum())


def _ours(envelope) -> tuple[int, int]:
    stakes.population_in_range.cache_clear()  # time the count, not the caches
    stakes._area_near.cache_clear()
    return tuple(stakes.population_in_range(Layer((envelope,))))


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    places = stakes.load_places()
    catalog = load_catalog()
    iskander = catalog.system("iskander-m")
    figure = next(f for f in iskander.ranges if f.km == 500.0 and f.min_km == 0.0)
    repeat = 3 if quick else 5
    records = []
    for label, origin in (
        ("Chernyakhovsk", catalog.site("chernyakhovsk")),
        ("anywhere in Kaliningrad Oblast", area_site("kaliningrad-oblast")),
    ):
        (envelope,) = envelopes([origin], figure, system=iskander)
        ours = median_time(lambda e=envelope: _ours(e), repeat)
        alt = median_time(lambda e=envelope: _exact(e, places), 1 if origin.kind == "area" else 3)
        same = _ours(envelope) == _exact(envelope, places)
        people, count = _ours(envelope)
        records.append(
            Record(
                f"people in range, one envelope: Iskander-M 500 km from {label}",
                f"{len(places):,} places",
                ours,
                "area_distance_km on every place"
                if origin.kind == "area"
                else "Geod.inv on every place",
                alt,
                note=f"{people:,} people in {count:,} places; sums identical: {same}",
                target="" if origin.kind == "area" else "feels instant (< 0.1 s)",
            )
        )

    n = 200 if quick else 1_000
    lon, lat = europe_points(rng, n)
    many = [
        envelopes([ad_hoc_site(float(x), float(y))], ad_hoc_figure(500.0))[0]
        for x, y in zip(lon, lat, strict=True)
    ]
    ours = median_time(lambda: [_ours(e) for e in many], 1)
    k = 50
    alt = median_time(lambda: [_exact(e, places) for e in many[:k]], 1) * n / k
    same = [_ours(e) for e in many[:k]] == [_exact(e, places) for e in many[:k]]
    records.append(
        Record(
            "people in range, many envelopes at once (500 km each, own count)",
            size(n, len(places)),
            ours,
            "Geod.inv on every place, per envelope",
            alt,
            note=f"alternative timed on {k} envelopes and scaled; sums on those identical: {same}",
        )
    )
    return records
