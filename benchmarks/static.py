"""Section: static figures of a scene, against the HTML page of the same verdict.

Ours is :func:`coverage.render.static.figure_bytes` (matplotlib on an azimuthal
equidistant projection: borders projected, envelopes rebuilt across cuts, names
placed). The alternative is what a user would otherwise make of the same verdict: the
HTML map (:func:`coverage.render.leaflet.verdict_map` +
:func:`coverage.render.leaflet.render_html`), which leaves projection and drawing to
the browser. Both start from the same judged verdict; the scene is built once for
ours (as the CLI does), inside the HTML path.

Many marks (issue 22): a figure with thousands of targets in range, or thousands of
sites, every one a name to place. The scene of one 800 km ring over Kaliningrad gets
N copies of a target in range (or of its launch site) spread at random over the
ring, so that only the drawing is timed, not the judging of N points. The code before
(names compared with every placed name, a plot per site) took 141 s for 5,000 targets
and did not finish 5,000 sites in 60 s, too long to run here: the ratio is against the
same figure with 50 targets or 2 sites (how cost grows with N). Goal: under 10 s.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coverage.checks import Request, check
from coverage.render.leaflet import render_html, verdict_map
from coverage.render.scene import scene_for
from coverage.render.static import figure_bytes

from .common import Record, median_time

CASES = [
    ("Kaliningrad claim", Request()),
    ("Sarmat 18,000 km from Uzhur (world disc)", Request(systems=("sarmat",), sites=("uzhur",))),
]


def _crowded(kind: str, n: int, rng: np.random.Generator):
    """The 800 km Kaliningrad ring's scene with ``n`` targets in range or ``n`` launch sites."""
    verdict = check(Request(range_km=800.0, points=((20.5, 54.7),)))
    scene = scene_for(verdict, panel=False, range_control=False)
    lon = 20.5 + rng.uniform(-7.0, 7.0, n)
    lat = 54.7 + rng.uniform(-4.0, 4.0, n)
    if kind == "targets":
        seed = next(t for t in scene.targets if t.state == "all")
        marks = tuple(
            replace(seed, id=f"t{i}", name=f"Place {i}", lon=float(x), lat=float(y), label=True)
            for i, (x, y) in enumerate(zip(lon, lat, strict=True))
        )
        return replace(scene, targets=marks)
    seed = scene.sites[0]
    sites = tuple(
        replace(seed, id=f"s{i}", name=f"Site {i}", lon=float(x), lat=float(y))
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    )
    return replace(scene, sites=sites)


def _many(quick: bool, rng: np.random.Generator) -> list[Record]:
    """Rows for a figure with many targets in range and with many sites."""
    records = []
    for kind, small, big in (("targets", 50, 5_000), ("sites", 2, 5_000)):
        big = 1_000 if quick else big
        few, many = _crowded(kind, small, rng), _crowded(kind, big, rng)
        few_s = median_time(lambda few=few: figure_bytes(few, "png"), 1 if quick else 3)
        many_s = median_time(lambda many=many: figure_bytes(many, "png"), 1)
        what = "targets in range, each named if there is room" if kind == "targets" else "sites"
        records.append(
            Record(
                f"static figure, {big:,} {what}",
                "PNG 1800x1200",
                many_s,
                f"the same figure with {small} {kind} (how cost grows)",
                few_s,
                note=f"{kind} {small} -> {big:,}: {many_s / few_s:.1f}x the time",
                target="under 10 s (issue 22)",
            )
        )
    return records


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    repeat = 2 if quick else 5
    records = _many(quick, rng)
    for name, request in CASES:
        verdict = check(request)
        claim = request.claims_anything
        html_s = median_time(lambda: render_html(verdict_map(verdict, panel=claim)), repeat)
        html_bytes = len(render_html(verdict_map(verdict, panel=claim)).encode("utf-8"))
        for fmt in ("png", "svg", "pdf"):

            def ours(fmt=fmt):
                return figure_bytes(scene_for(verdict, panel=claim, range_control=False), fmt)

            ours_s = median_time(ours, repeat)
            records.append(
                Record(
                    f"static figure, {name}",
                    f"{fmt.upper()} 1800x1200",
                    ours_s,
                    "HTML map of the same verdict (folium page, drawn by the browser)",
                    html_s,
                    note=f"{len(ours()):,} bytes; the HTML page {html_bytes:,} bytes",
                )
            )
    return records
