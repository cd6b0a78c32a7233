"""Section 4: the HTML map, its size and build time per ring, a page load, and its weight.

Ours is :func:`coverage.render.leaflet.coverage_map` +
:func:`coverage.render.leaflet.save_map` (one GeoJSON layer per figure, coordinates
rounded to 4 decimals, outline drawn from the true circle edges). The alternative is
the folium recipe of one ``folium.Polygon`` per ring at full precision. Both draw the
same 360-vertex rings; the marginal cost of a ring is measured between pages of few
and of many rings. The Kaliningrad claim map is then opened offline in headless
Chromium (Debian's, through playwright), and a page of 5,000 launch sites is built.

**Page weight** (issue 24): the default claim map's bytes and ``gzip -9`` bytes per
part (Leaflet, the page's script and styles, borders, envelopes, slider envelopes,
targets, sites, the rest), each with its ratio to the page as it was built on
2026-12-08 (:data:`TODAY`, recorded: world borders at 1:50m and every ring as
GeoJSON). For first paint and the load event in Chromium, that page is rebuilt in
the same run from today's document (:func:`_today_page`: the whole world's borders,
nothing packed) and both are opened in turn.
"""

from __future__ import annotations

import gzip
import json
import re
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
from coverage.render.leaflet import (
    _js_json,
    _pack,
    coverage_map,
    page_data,
    render_html,
    save_map,
    verdict_map,
)
from coverage.render.scene import borders
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


#: The default claim map as built on 2026-12-08 before issue 24's weight work (commit
#: 3e72324): bytes and gzip bytes (Python's zlib at level 9, as :func:`_gzip`; gzip(1)
#: -9 made 260,889 of the page), the whole page and per part (:func:`_parts`).
TODAY = {
    "date": "2026-12-08",
    "page": (859_511, 261_508),
    "parts": {
        "Leaflet JS": (147_558, 42_439),
        "Leaflet CSS": (19_377, 7_332),
        "page script": (20_620, 9_940),  # page.js and the default marker's images
        "page styles": (5_021, 1_699),
        "borders": (437_798, 156_337),
        "envelopes": (7_732, 2_201),
        "slider envelopes": (79_607, 27_933),
        "targets": (87_798, 5_210),
        "sites": (4_737, 1_523),
        "rest (panel, table, HTML, other data)": (19_997, 4_894),
    },
}

_ISLAND = re.compile(r'(<script type="application/json" id="tc-data">)(.*?)(</script>)', re.S)


def _gzip(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def _parts(page: str) -> dict[str, str]:
    """The page's text by part: Leaflet, the page's own script and styles, the data by key."""
    island = _ISLAND.search(page)
    data = json.loads(island.group(2))
    parts = dict.fromkeys(["Leaflet JS", "Leaflet CSS", "page script", "page styles"], "")

    def take(found: re.Match) -> str:
        tag, block = found.group(1), found.group(2)
        if tag == "script":
            key = "Leaflet JS" if "leafletjs.com" in block[:400] else "page script"
        else:
            key = "Leaflet CSS" if ".leaflet-pane" in block else "page styles"
        parts[key] += block
        return ""

    rest = re.sub(r"<(script|style)>(.*?)</\1>", take, page[: island.start()], flags=re.S)
    rest += re.sub(r"<(script|style)>(.*?)</\1>", take, page[island.end() :], flags=re.S)
    keys = {"base": "borders", "layers": "envelopes", "slider": "slider envelopes"}
    keys |= {"targets": "targets", "sites": "sites"}
    for key, name in keys.items():
        parts[name] = json.dumps(data.pop(key), separators=(",", ":"), ensure_ascii=False)
    parts["rest (panel, table, HTML, other data)"] = rest + json.dumps(data)
    return parts


def _today_page(m: folium.Map) -> str:
    """Our page with today's document: the whole world's borders, nothing packed.

    The page's decoder passes GeoJSON through, and without a region the view is not
    kept in one (minimum zoom 1, as today).
    """
    data = dict(page_data(m))
    data.pop("region", None)
    world, _ = borders()
    data["base"] = {
        **data["base"],
        "parts": [dict(data["base"]["parts"][0], data=world)],
    }
    text = _js_json(data)
    assert _js_json(_pack(data)) != text  # today's document is the unpacked one
    return _ISLAND.sub(lambda found: found.group(1) + text + found.group(3), render_html(m), 1)


def _offline(route) -> None:
    """Let the page read its own file, refuse anything else."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


#: Set before any page script runs: the time of the second animation frame after the
#: load event, when the frame holding the drawn map has been painted (one frame late,
#: for both pages alike).
_PAINTED = """
window.addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__tcPainted = performance.now();
})));
"""


def _paint_times(paths: list[Path], repeat: int) -> list[dict[str, float]] | None:
    """Median seconds per page, opened in turn: the drawn map painted, load event, FCP."""
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not executable:
        return None
    times: list[list[dict[str, float]]] = [[] for _ in paths]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(repeat):
            for i, path in enumerate(paths):
                # A fresh page each time: the timings are the navigation's own.
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.route("**/*", _offline)
                page.add_init_script(_PAINTED)
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function("window.__tcPainted !== undefined")
                times[i].append(
                    page.evaluate(
                        """() => {
                        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
                        const nav = performance.getEntriesByType("navigation")[0];
                        return {painted: window.__tcPainted / 1000, load: nav.loadEventEnd / 1000,
                                fcp: fcp ? fcp.startTime / 1000 : -1};
                    }"""
                    )
                )
                page.close()
        browser.close()
    return [{k: statistics.median(t[k] for t in each) for k in each[0]} for each in times]


def _ratio_line(name: str, raw: int, packed: int) -> str:
    before = TODAY["parts"].get(name)
    was = f" (today {before[0]:,} / {before[1]:,}: x{packed / before[1]:.2f})" if before else ""
    return f"{name}: {raw:,} B, {packed:,} B gzip{was}"


def page_weight(quick: bool, folder: Path) -> list[Record]:
    """The default claim map: bytes per part, and first paint against today's page."""
    verdict = evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())
    m = verdict_map(verdict)
    ours, today = Path(folder) / "weight-ours.html", Path(folder) / "weight-today.html"
    save_map(m, ours)
    today.write_text(_today_page(m), encoding="utf-8")
    page = ours.read_bytes().decode("utf-8")  # as written: no newline translation
    raw, packed = len(page.encode("utf-8")), _gzip(page)
    lines = [_ratio_line(k, len(v.encode("utf-8")), _gzip(v)) for k, v in _parts(page).items()]
    was_raw, was_packed = TODAY["page"]
    size = f"{raw:,} B, {packed:,} B gzip -9 (x{packed / was_packed:.2f} of {was_packed:,})"
    rebuilt = _gzip(today.read_bytes().decode("utf-8"))
    alternative = (
        f"the page as on {TODAY['date']}: {was_raw:,} B, {was_packed:,} B gzip -9 (rebuilt "
        f"in this run from today's document: {rebuilt:,} B gzip)"
    )
    times = _paint_times([ours, today], 3 if quick else 7)
    if times is None:
        ours_t, today_t = {"painted": 0.0, "load": 0.0, "fcp": 0.0}, {}
    else:
        ours_t, today_t = times
    fcp = (
        f"first contentful paint {ours_t['fcp']:.3f} s against {today_t['fcp']:.3f} s"
        if today_t
        else ""
    )
    records = [
        Record(
            "Default claim map, page weight, and the drawn map painted in Chromium",
            size,
            ours_t["painted"],
            alternative,
            today_t.get("painted"),
            note="\n".join([*lines, "time: navigation start to the frame after the load event"]),
            target="<= 130,000 B gzip -9; painted within today's time (issue 24)",
        )
    ]
    if times:
        records.append(
            Record(
                "Default claim map, load event end in Chromium",
                size,
                ours_t["load"],
                alternative,
                today_t["load"],
                note=f"navigation start to the end of the load event, offline, 1280 x 800; {fcp}",
            )
        )
    return records


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
        weight = page_weight(quick, Path(folder))
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
    records += weight
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
