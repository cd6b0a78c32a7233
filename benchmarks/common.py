"""Timing, inputs and the result record shared by the benchmark sections."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: The "Europe box" of ../shared/research/performance.md: lon 10W-40E, lat 35-70N.
EUROPE = (-10.0, 40.0, 35.0, 70.0)


@dataclass
class Record:
    """One comparison: our time and the alternative's, on the same inputs, in seconds.

    ``ratio`` is ``alternative_s / ours_s``: above 1 means ours is faster. ``target``
    says what the issue asks of the ratio; ``note`` carries what a time cannot
    (errors in km, bytes, memory).
    """

    name: str
    size: str
    ours_s: float
    alternative: str | None
    alternative_s: float | None
    note: str = ""
    target: str = ""

    @property
    def ratio(self) -> float | None:
        if self.alternative_s is None or self.ours_s <= 0:
            return None
        return self.alternative_s / self.ours_s

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "size": self.size,
            "ours_s": self.ours_s,
            "alternative": self.alternative,
            "alternative_s": self.alternative_s,
            "ratio": self.ratio,
            "target": self.target,
            "note": self.note,
        }


def median_time(fn: Callable[[], object], repeat: int, inner: int = 1) -> float:
    """Median over ``repeat`` runs of the wall time per call, in seconds.

    Each run makes ``inner`` calls (many, for calls of microseconds, whose single
    timings are mostly noise); garbage is collected before each run.
    """
    times = []
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def europe_points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in lon/lat over the Europe box, as (lon, lat) arrays."""
    west, east, south, north = EUROPE
    return rng.uniform(west, east, n), rng.uniform(south, north, n)


def size(n: int, m: int | None = None) -> str:
    """``"1,000 x 50,000"`` or ``"1,000,000"``."""
    return f"{n:,}" if m is None else f"{n:,} x {m:,}"
