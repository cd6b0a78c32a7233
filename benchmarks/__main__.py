"""``python -m benchmarks [--quick] [--json FILE] [--only SECTION ...]``.

Prints one table of medians with the ratio against the alternative measured in the
same run (ratio = alternative time / ours: above 1, ours is faster) and writes the
same rows as a JSON list of records {name, size, ours_s, alternative, alternative_s,
ratio, target, note, date, machine} to benchmarks/results.json (results-quick.json
with --quick) or to FILE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from . import (
    areas,
    decisions,
    html,
    manysites,
    matrix,
    rings,
    scale,
    sectors,
    stakes,
    startup,
    static,
)

SECTIONS = {
    "matrix": matrix.run,
    "decisions": decisions.run,
    "rings": rings.run,
    "html": html.run,
    "scale": scale.run,
    "manysites": manysites.run,
    "areas": areas.run,
    "sectors": sectors.run,
    "stakes": stakes.run,
    "static": static.run,
    "startup": startup.run,
}
HERE = Path(__file__).resolve().parent


def machine() -> str:
    """``"2 cores, AMD EPYC ..., CPython 3.11.7, Linux"``."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return (
        f"{len(os.sched_getaffinity(0))} cores, {model}, "
        f"{platform.python_implementation()} {platform.python_version()}, {platform.system()}"
    )


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1e-3:
        return f"{value * 1e6:,.0f} µs"
    if value < 1:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, same comparisons (under a minute)"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="where to write the records")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(SECTIONS), help="run these sections only"
    )
    args = parser.parse_args(argv)

    # Piped output gets a wide table (rich would wrap it at 80 columns).
    console = Console(width=None if sys.stdout.isatty() else 180)
    date = dt.date.today().isoformat()
    where = machine()
    console.print(f"threat-coverage benchmarks, {date}, {where}{', quick' if args.quick else ''}")
    rng = np.random.default_rng(20261125)
    records = []
    started = time.perf_counter()
    for name in args.only or SECTIONS:
        with console.status(f"{name} ..."):
            section_start = time.perf_counter()
            records += SECTIONS[name](args.quick, rng)
        console.print(f"  {name}: {time.perf_counter() - section_start:,.1f} s")

    table = Table(
        title="ratio = alternative time / ours (above 1: ours is faster)", show_lines=True
    )
    for column in (
        "benchmark",
        "size",
        "ours",
        "alternative",
        "alt. time",
        "ratio",
        "target / note",
    ):
        table.add_column(column, overflow="fold")
    for r in records:
        ratio = "-" if r.ratio is None else f"{r.ratio:,.2f}"
        table.add_row(
            r.name,
            r.size,
            _seconds(r.ours_s),
            r.alternative or "-",
            _seconds(r.alternative_s),
            ratio,
            "\n".join(x for x in (r.target, r.note) if x),
        )
    console.print(table)
    out = args.json or HERE / ("results-quick.json" if args.quick else "results.json")
    rows = [dict(r.as_dict(), date=date, machine=where) for r in records]
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    console.print(f"{len(rows)} records written to {out} in {time.perf_counter() - started:,.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
