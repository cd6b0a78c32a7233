"""Render the documentation's pictures of the Kaliningrad claim map.

Writes, into ``docs/`` (or the folder given):

- ``kaliningrad-claim.png``: desktop, 1200 x 800;
- ``kaliningrad-claim-phone.png``: a phone, 375 x 667 CSS pixels (device scale 2);
- ``kaliningrad-claim-print.png``: the page as printed on A4 (print stylesheet).

The map is the default claim with the story's defences, as the README's command
makes it (``threat-coverage claim --defence patriot-pac-3-mse@warsaw-babice
--defence patriot-pac-2-gem-t@siauliai --map ...``). Uses Debian's chromium through
playwright, offline: every request but the map itself is refused.

Usage: ``.venv/bin/python scripts/map_screenshots.py [FOLDER]``
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from coverage.checks import Request, check
from coverage.render.leaflet import save_map, verdict_map

ROOT = Path(__file__).resolve().parent.parent
DEFENCES = ("patriot-pac-3-mse@warsaw-babice", "patriot-pac-2-gem-t@siauliai")
A4_PX = (794, 1123)  # 210 x 297 mm at 96 px per inch


def main(argv: list[str]) -> int:
    """Write the three pictures; return the exit status."""
    from playwright.sync_api import sync_playwright

    out = Path(argv[0]) if argv else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    executable = shutil.which("chromium")
    if executable is None:
        print("map_screenshots: chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page_file = save_map(verdict_map(check(Request(defences=DEFENCES))), Path(tmp) / "m.html")
        url = page_file.resolve().as_uri()
        shots = (
            ("kaliningrad-claim.png", (1200, 800), 1, None),
            ("kaliningrad-claim-phone.png", (375, 667), 2, None),
            ("kaliningrad-claim-print.png", A4_PX, 1, "print"),
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for name, (width, height), scale, media in shots:
                page = browser.new_page(
                    viewport={"width": width, "height": height}, device_scale_factor=scale
                )
                page.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url == url else route.abort(),
                )
                if media:
                    page.emulate_media(media=media)
                page.goto(url, wait_until="load")
                page.wait_for_timeout(400)
                page.screenshot(path=str(out / name), full_page=media == "print")
                page.close()
                print(out / name)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
