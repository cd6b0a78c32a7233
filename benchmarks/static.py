"""Section: static figures of a scene, against the HTML page of the same verdict.

Ours is :func:`coverage.render.static.figure_bytes` (matplotlib on an azimuthal
equidistant projection: borders projected, envelopes rebuilt across cuts, names
placed). The alternative is what a user would otherwise make of the same verdict: the
HTML map (:func:`coverage.maps.verdict_map` + :func:`coverage.maps.render_html`),
which leaves projection and drawing to the browser. Both start from the same judged
verdict; the scene is built once for ours (as the CLI does), inside the HTML path.
"""

from __future__ import annotations

import numpy as np

from coverage.checks import Request, check
from coverage.maps import render_html, verdict_map
from coverage.render.scene import scene_for
from coverage.render.static import figure_bytes

from .common import Record, median_time

CASES = [
    ("Kaliningrad claim", Request()),
    ("Sarmat 18,000 km from Uzhur (world disc)", Request(systems=("sarmat",), sites=("uzhur",))),
]


def run(quick: bool, rng: np.random.Generator) -> list[Record]:
    repeat = 2 if quick else 5
    records = []
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
