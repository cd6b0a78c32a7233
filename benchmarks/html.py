"""Section 4: the HTML map, its size and build time per ring, and a page load.

Ours is :func:`coverage.render.leaflet.coverage_map` +
:func:`coverage.render.leaflet.save_map` (one GeoJSON layer per figure, coordinates
rounded to 4 decimals, outline drawn from the true circle edges). The alternative is
the folium recipe of one ``folium.Polygon`` per ring at full precision. Both draw the
same 360-vertex rings; the marginal cost of a ring is measured between pages of few
and of many rings. The Kaliningrad claim map is then opened offline in headless
Chromium (Debian's, through playwright), and a page of 5,000 launch sites is built.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import folium
import numpy as np

from coverage.claims import evaluate_claim, load_claims
from coverage.envelopes import Envelope, ad_hoc_figure, ad_hoc_site
from coverage.geodesy import range_rings
from coverage.render.leaflet import coverage_map, save_map, verdict_map
from coverage.systems import load_catalog

from .common import Record, europe_points, median_time

FEW, MANY = 10, 110
#: Sites on the many-sites page (issue 22: a map of 5,000 sites under 10 s).
SITES = 5_000


def _rings(rng, k):
    lon, lat = europe_points(rng, k)
    lat = np.minimum(lat, 60.0)
    km = np.round(rng.uniform(300.0, 1_500.0, k), 3)  # distinct figures: one layer each
    geoms = range_rings(lon, lat, km)
    out = []
    for i, (x, y, r, g) in enumerate(zip(lon, lat, km, geoms, strict=True)):
        envelope = Envelope(
            ad_hoc_site(float(x), float(y), name=f"site {i}"), None, ad_hoc_figure(r)
        )
        envelope.__dict__["geometry"] = g  # the batch's 360-vertex boundary (a cached property)
        out.append(envelope)
    return out


def _ours(rings, path):
    save_map(coverage_map(rings), path)


def _sites_page(rng, folder) -> tuple[float, int]:
    """Seconds to build and save a page of SITES launch sites (scene and page only), and bytes."""
    lon, lat = europe_points(rng, SITES)
    sites = [
        ad_hoc_site(float(x), float(y), name=f"site {i}")
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]
    path = Path(folder) / "sites.html"
    seconds = median_time(lambda: save_map(coverage_map([], sites=sites), path), 1)
    return seconds, path.stat().st_size


def _folium_polygons(rings, path):
    m = folium.Map(tiles=None)
    for ring in rings:
        for polygon in getattr(ring.geometry, "geoms", [ring.geometry]):
            folium.Polygon([(y, x) for x, y in polygon.exterior.coords]).add_to(m)
    m.save(path)


def _per_ring(build, rings, folder, name):
    """Marginal seconds and bytes per ring between a page of FEW and one of MANY rings."""
    out = {}
    for k in (FEW, MANY):
        path = Path(folder) / f"{name}-{k}.html"
        out[k] = (median_time(lambda: build(rings[:k], str(path)), 3), path.stat().st_size)
    span = MANY - FEW
    return (out[MANY][0] - out[FEW][0]) / span, (out[MANY][1] - out[FEW][1]) / span


def _chromium_load(path: Path, repeat: int) -> float | None:
    """Median seconds from navigation to the load event plus the first painted ring."""
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not executable:
        return None
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        # Offline: anything but the file itself is refused.
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        for _ in range(repeat):
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("path.tc-ring", state="attached")
            times.append(time.perf_counter() - start)
        browser.close()
    return statistics.median(times)


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    rings = _rings(rng, MANY)
    with tempfile.TemporaryDirectory() as folder:
        ours_s, ours_b = _per_ring(_ours, rings, folder, "ours")
        alt_s, alt_b = _per_ring(_folium_polygons, rings, folder, "folium")
        verdict = evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())
        path = Path(folder) / "kaliningrad-claim.html"
        build = median_time(lambda: save_map(verdict_map(verdict), path), 3)
        load = _chromium_load(path, 3 if quick else 7)
        page_bytes = path.stat().st_size
        sites_s, sites_bytes = _sites_page(rng, folder)
    records = [
        Record(
            "HTML map, build and save, per 360-vertex ring",
            f"{FEW}-{MANY} rings",
            ours_s,
            "folium.Polygon per ring, full precision",
            alt_s,
            note=f"{ours_b / 1000:.1f} KB per ring, against {alt_b / 1000:.1f} KB",
            target="<= 8.5 KB per ring",
        ),
        Record(
            "Kaliningrad claim map, build and save",
            f"{page_bytes:,} bytes",
            build,
            None,
            None,
            note="verdict_map + save_map, rings drawn to 0.1 % of the range",
        ),
        Record(
            f"Map of {SITES:,} launch sites, build and save",
            f"{sites_bytes:,} bytes",
            sites_s,
            None,
            None,
            note="scene and page only (pins, popups, layer list); no envelopes drawn",
            target="< 10 s with the envelopes (issue 22)",
        ),
    ]
    if load is not None:
        records.append(
            Record(
                "Kaliningrad claim map, load in headless Chromium",
                f"{page_bytes:,} bytes",
                load,
                None,
                None,
                note="navigation to load event and first ring painted, offline",
            )
        )
    return records
