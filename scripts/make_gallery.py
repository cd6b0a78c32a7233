"""Write the documentation's gallery: static figures and one HTML map.

    python scripts/make_gallery.py            # writes docs/gallery/*.png, docs/_extra/maps/*.html
    python scripts/make_gallery.py --check    # exit 1 if a figure is missing

Each figure is drawn by coverage.render.static from the scene of a verdict, exactly as
``threat-coverage map -o NAME.png`` draws it, then reduced to a 256-colour palette
(Pillow, a dependency of matplotlib) so that the committed images stay small. The
commands next to each figure in docs/gallery.md reproduce it.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "gallery"
EXTRA = ROOT / "docs" / "_extra" / "maps"

#: name -> (Request fields, size in pixels)
FIGURES = {
    "kaliningrad-claim": ({}, "1500x1000"),
    "kaliningrad-card": ({}, "1200x675"),
    "kaliningrad-defences": (
        {"defences": ("patriot-pac-3-mse@warsaw-babice", "patriot-pac-2-gem-t@siauliai")},
        "1500x1000",
    ),
    "sarmat-uzhur": ({"systems": ("sarmat",), "sites": ("uzhur",)}, "1500x1000"),
    "kamchatka-antimeridian": (
        {"range_km": 3000.0, "points": ((158.65, 53.02),)},
        "1500x1000",
    ),
    "severomorsk-pole": ({"range_km": 2500.0, "points": ((33.42, 69.07),)}, "1000x1000"),
}


def _png(scene, size: str) -> bytes:
    from PIL import Image

    from coverage.render.static import figure_bytes

    image = Image.open(io.BytesIO(figure_bytes(scene, "png", size_px=size))).convert("RGB")
    out = io.BytesIO()
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every file exists")
    args = parser.parse_args(argv)
    wanted = [GALLERY / f"{name}.png" for name in FIGURES] + [EXTRA / "kaliningrad-claim.html"]
    if args.check:
        missing = [str(p.relative_to(ROOT)) for p in wanted if not p.is_file()]
        for p in missing:
            print(f"missing: {p}", file=sys.stderr)
        return 1 if missing else 0

    from coverage._atomic import write_bytes_atomic
    from coverage.checks import Request, check
    from coverage.render.leaflet import save_map, verdict_map
    from coverage.render.scene import scene_for

    GALLERY.mkdir(parents=True, exist_ok=True)
    EXTRA.mkdir(parents=True, exist_ok=True)
    for name, (fields, size) in FIGURES.items():
        request = Request(**fields)
        verdict = check(request)
        scene = scene_for(verdict, panel=request.claims_anything, range_control=False)
        path = write_bytes_atomic(GALLERY / f"{name}.png", _png(scene, size))
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
        if name == "kaliningrad-claim":
            html = save_map(verdict_map(verdict), EXTRA / "kaliningrad-claim.html")
            print(f"{html.relative_to(ROOT)}: {html.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
