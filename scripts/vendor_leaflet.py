"""Vendor Leaflet 1.9.4 into src/coverage/_vendor/leaflet/ for offline maps.

Source
------
The npm package ``leaflet`` 1.9.4 (BSD-2-Clause, copyright Volodymyr Agafonkin
and CloudMade). npm is needed only to refresh the vendored copy, never at run
time. Install the package outside the repository::

    npm install --prefix /tmp/lf leaflet@1.9.4
    python scripts/vendor_leaflet.py /tmp/lf/node_modules/leaflet

What it copies
--------------
``dist/leaflet.js``, ``dist/leaflet.css``, ``dist/images/*.png`` and ``LICENSE``,
byte for byte, and writes ``VERSION`` (``1.9.4``). ``coverage.render.leaflet`` reads them
with :mod:`importlib.resources` and inlines them (images as data URIs) so that a
saved map is one HTML file that needs no network.

``--check`` compares instead of copying and exits 1 if anything differs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "src" / "coverage" / "_vendor" / "leaflet"
VERSION = "1.9.4"
FILES = ("dist/leaflet.js", "dist/leaflet.css", "LICENSE")
IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)


def _plan(package: Path) -> list[tuple[Path, Path]]:
    """Return (source, destination) pairs, after checking the package version."""
    manifest = package / "package.json"
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SystemExit(f"{manifest}: cannot read the npm package manifest: {err}") from err
    if meta.get("name") != "leaflet" or meta.get("version") != VERSION:
        raise SystemExit(
            f"{manifest}: expected leaflet {VERSION}, got "
            f"{meta.get('name')!r} {meta.get('version')!r}; "
            f"run: npm install --prefix /tmp/lf leaflet@{VERSION}"
        )
    pairs = [(package / name, DEST / Path(name).name) for name in FILES]
    pairs += [(package / "dist" / "images" / name, DEST / "images" / name) for name in IMAGES]
    missing = [str(src) for src, _ in pairs if not src.is_file()]
    if missing:
        raise SystemExit(f"missing in the npm package: {', '.join(missing)}")
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Copy (or with ``--check`` compare) the Leaflet files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package", type=Path, help="folder of the npm package (node_modules/leaflet)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the vendored copy differs")
    args = parser.parse_args(argv)
    pairs = _plan(args.package)
    version_file = DEST / "VERSION"
    if args.check:
        differ = [
            str(dst)
            for src, dst in pairs
            if not dst.is_file() or dst.read_bytes() != src.read_bytes()
        ]
        version_ok = (
            version_file.is_file() and version_file.read_text(encoding="utf-8").strip() == VERSION
        )
        if not version_ok:
            differ.append(str(version_file))
        for path in differ:
            print(f"differs: {path}", file=sys.stderr)
        return 1 if differ else 0
    (DEST / "images").mkdir(parents=True, exist_ok=True)
    for src, dst in pairs:
        shutil.copyfile(src, dst)
    version_file.write_text(VERSION + "\n", encoding="utf-8")
    print(f"vendored leaflet {VERSION} into {DEST.relative_to(ROOT)} ({len(pairs) + 1} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
