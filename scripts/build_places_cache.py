"""Build data/places.npy: the numbers of data/places.csv, read in a millisecond (issue 21).

Every command that counts people in range reads the 107,000 places; numpy's reader
takes about 0.08 s for the CSV, a tenth of a ``claim --json``. This file holds the
same numbers as a numpy array of int32, one row per place in the order of
places.csv: longitude and latitude in units of 1e-5 degree (the CSV has five
decimals, as the source gives them) and population. ``coverage.stakes.load_places``
divides by 1e5, which gives the same float64 as reading the decimal text (both are the
double nearest the decimal value); this script refuses to write a file for which that
does not hold on every row. Names and countries stay in the CSV, read only when asked.

Rebuild it whenever places.csv changes::

    python scripts/build_places_cache.py

tests/test_stakes.py rebuilds it and compares the bytes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "data" / "places.csv"
OUTPUT_PATH = ROOT / "data" / "places.npy"
SCALE = 100_000  # units per degree


def build(csv_path: Path) -> bytes:
    """Return the bytes of places.npy for a places CSV (header, then one place a row).

    Raises
    ------
    SystemExit
        With one line, if a coordinate has more than five decimals or a population does
        not fit in int32.
    """
    with open(csv_path, encoding="utf-8", newline="") as f:
        f.readline()
        numbers = np.loadtxt(
            f, delimiter=",", usecols=(1, 2, 3), dtype="f8", quotechar=None, comments=None, ndmin=2
        )
    units = np.rint(numbers[:, :2] * SCALE)
    if not np.array_equal(units / SCALE, numbers[:, :2]):
        bad = int(np.flatnonzero((units / SCALE != numbers[:, :2]).any(axis=1))[0])
        raise SystemExit(f"{csv_path}: row {bad + 2}: a coordinate has more than 5 decimals")
    population = numbers[:, 2]
    if population.max() >= 2**31 or population.min() < 0:
        raise SystemExit(f"{csv_path}: a population does not fit in int32")
    table = np.column_stack([units, population]).astype("<i4")
    out = io.BytesIO()
    np.save(out, table, allow_pickle=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=CSV_PATH)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT_PATH)
    args = parser.parse_args(argv)
    data = build(args.csv)
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, args.output)
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
