"""Air and missile defences: what a defence can engage, against which class of threat.

A defence is a system of role ``air defence`` or ``missile defence`` at a site
(``SYSTEM@SITE``). Its range figures are per target class (``against``: aircraft,
cruise missiles, ballistic missiles), each with its source. Against a threat of one
class a defence covers what its figure against that class reaches, and no more:

- **ballistic missiles**: only a sourced figure against ballistic missiles (a
  defended footprint of tens of km, not the headline range against aircraft). No such
  figure, no cover.
- **cruise missiles**: a sourced figure against cruise missiles, or, where none is
  sourced, the figure against aircraft (both are air-breathing targets); either is
  capped at the radar horizon for the threat's altitude
  (:func:`coverage.geodesy.radar_horizon_km`) and labelled as derived that way.
- **aircraft**: the figure against aircraft, capped at the radar horizon for the
  aircraft's altitude.

Where a system has several figures against the class, the **smallest** decides which
targets it covers (``defended_by``): a defence is never made to look stronger than its
most cautious sourced figure; every figure is still listed. Heights: the radar's
antenna height comes from the system's data where a source gives it, else it is
:data:`ASSUMED_RADAR_HEIGHT_M`, shown as an assumption; the threat's altitude
defaults per class (:data:`DEFAULT_THREAT_ALTITUDE_M`, assumptions too). A defence is
never called a shield: :data:`NOT_MODELLED` says what these envelopes leave out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as _v
from .envelopes import Envelope
from .errors import ParameterError
from .geodesy import radar_horizon_km
from .systems import Catalog, RangeEstimate, Site, System

__all__ = [
    "THREAT_CLASSES",
    "DEFENCE_ROLES",
    "ASSUMED_RADAR_HEIGHT_M",
    "DEFAULT_THREAT_ALTITUDE_M",
    "NOT_MODELLED",
    "HORIZON_RADAR_HEIGHTS_M",
    "HORIZON_THREAT_ALTITUDES_M",
    "HorizonTable",
    "horizon_table",
    "Defence",
    "Cover",
    "parse_defence",
    "threat_class",
    "cover",
    "counts",
    "inside_any",
    "defend",
    "DEFENCE_VERDICTS",
    "defence_claim",
]

#: Classes of threat a defence figure can be against.
THREAT_CLASSES = ("ballistic missiles", "cruise missiles", "aircraft")
#: System roles that make a defence.
DEFENCE_ROLES = ("air defence", "missile defence")
#: Radar antenna height used where no source gives one, metres: a trailer-mounted
#: radar such as Patriot's AN/MPQ-53/65. An assumption (no source for the height of
#: its antenna was found; research notes §1c give 3-5 m as unconfirmed), shown as such,
#: with the horizon at other heights beside it (:func:`horizon_table`).
ASSUMED_RADAR_HEIGHT_M = 4.0
#: Threat altitude above the surface by class, metres, where the user gives none.
#: Assumptions: sources only say "low-altitude" for cruise missiles (bands of 10-50 m
#: over sea and 50-150 m over land are unconfirmed); 1,000 m stands for a low-flying
#: aircraft. Ballistic missiles come from above: no horizon applies to them.
DEFAULT_THREAT_ALTITUDE_M = {"cruise missiles": 50.0, "aircraft": 1000.0}
#: What a defence envelope leaves out, said wherever defences are shown.
NOT_MODELLED = (
    "not modelled: numbers of batteries, launchers and interceptors; saturation; "
    "cueing and sensor networks; terrain masking; the threat's trajectory, speed and "
    "manoeuvres. An envelope is where a defence can engage, not an area it protects."
)
#: Antenna heights of the horizon table, metres: trailer-mounted (4), a short mast
#: (10), masts of about 25 and 40 m (such as the towers of S-300/S-400 radars; heights
#: unconfirmed). Illustrations, not sourced figures.
HORIZON_RADAR_HEIGHTS_M = (4.0, 10.0, 25.0, 40.0)
#: Target altitudes of the horizon table, metres: sea-skimming (10) and low cruise
#: missiles (30-150; the bands are unconfirmed), and a low-flying aircraft (1,000).
HORIZON_THREAT_ALTITUDES_M = (10.0, 30.0, 50.0, 100.0, 150.0, 1000.0)
_ROLE_CLASS = {
    "ballistic": "ballistic missiles",
    "air-launched ballistic": "ballistic missiles",
    "cruise": "cruise missiles",
}
_PAIR = re.compile(r"^\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*@\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*$")


class HorizonTable(NamedTuple):
    """The radar horizon across antenna heights and target altitudes (k = 4/3).

    Attributes
    ----------
    radar_heights_m : tuple of float
        Rows: antenna heights above the surface, metres.
    threat_altitudes_m : tuple of float
        Columns: target altitudes above the surface, metres.
    km : tuple of tuple of float
        ``km[i][j]``: horizon for row i and column j, km.
    used : tuple of int
        ``(row, column)`` of the pair the envelope uses.
    """

    radar_heights_m: tuple[float, ...]
    threat_altitudes_m: tuple[float, ...]
    km: tuple[tuple[float, ...], ...]
    used: tuple[int, int]

    def as_dict(self) -> dict:
        """JSON-ready: the same names, ``used`` as ``[row, column]``."""
        return {
            "radar_height_m": list(self.radar_heights_m),
            "threat_altitude_m": list(self.threat_altitudes_m),
            "km": [list(row) for row in self.km],
            "used": list(self.used),
        }


def _grid(value, name: str) -> np.ndarray:
    """Return a horizon grid as a 1-D float array of finite heights, metres (>= 0)."""
    grid = np.atleast_1d(_v.numbers_array(value, name, finite=True))
    if grid.ndim != 1 or (grid < 0).any():
        raise ParameterError(f"{name}: expected a sequence of heights in metres (>= 0)")
    return grid


def horizon_table(
    radar_height_m: float,
    threat_altitude_m: float,
    *,
    radar_heights_m: Sequence[float] = HORIZON_RADAR_HEIGHTS_M,
    threat_altitudes_m: Sequence[float] = HORIZON_THREAT_ALTITUDES_M,
) -> HorizonTable:
    """Return the radar horizon across heights, with the pair used among them.

    Parameters
    ----------
    radar_height_m, threat_altitude_m : float
        The heights the envelope uses, metres (>= 0); added to the grid if absent.
    radar_heights_m, threat_altitudes_m : sequence of float
        The grid, metres (default :data:`HORIZON_RADAR_HEIGHTS_M` and
        :data:`HORIZON_THREAT_ALTITUDES_M`).

    Returns
    -------
    HorizonTable
        Distances from :func:`coverage.geodesy.radar_horizon_km`, km.

    Examples
    --------
    >>> t = horizon_table(4.0, 50.0)
    >>> round(t.km[t.used[0]][t.used[1]], 1)
    37.4
    """
    _v.number(radar_height_m, "radar_height_m", low=0)
    _v.number(threat_altitude_m, "threat_altitude_m", low=0)
    heights = _grid(radar_heights_m, "radar_heights_m")
    altitudes = _grid(threat_altitudes_m, "threat_altitudes_m")
    rows = tuple(sorted({float(h) for h in heights} | {float(radar_height_m)}))
    cols = tuple(sorted({float(a) for a in altitudes} | {float(threat_altitude_m)}))
    km = radar_horizon_km(np.array(rows)[:, None], np.array(cols)[None, :])
    return HorizonTable(
        rows,
        cols,
        tuple(tuple(float(x) for x in row) for row in np.atleast_2d(km)),
        (rows.index(float(radar_height_m)), cols.index(float(threat_altitude_m))),
    )


@dataclass(frozen=True, eq=False)
class Defence:
    """A defence system at a site."""

    system: System
    site: Site

    @property
    def id(self) -> str:
        """``"SYSTEM@SITE"``, e.g. ``"patriot-pac-3-mse@warsaw-babice"``."""
        return f"{self.system.id}@{self.site.id}"


@dataclass(frozen=True, eq=False)
class Cover:
    """What one defence covers against one class of threat.

    Attributes
    ----------
    defence : Defence
    against : str
        The threat class, one of :data:`THREAT_CLASSES`.
    envelope : Envelope or None
        The envelope used (smallest sourced figure, capped at the horizon where one
        applies); None when the system has no figure against the class: no cover.
    figures : tuple of RangeEstimate
        Every figure of the system that applies to the class.
    derived : str or None
        How the envelope was derived when it is not a figure against the class
        itself (the aircraft figure used against cruise missiles).
    radar_height_m, threat_altitude_m : float or None
        Heights used for the horizon, metres (None where no horizon applies).
    assumed : tuple of str
        Which of those heights are assumptions, not sourced or given.
    covers : tuple of bool
        Per target, in the order given: inside the envelope by exact distance.
    margins_km : tuple of float
        Per target: the envelope's maximum range minus the distance, km (see
        :meth:`coverage.envelopes.Envelope.margins_km`); empty without an envelope.
    distances_km : tuple of float
        Per target: the exact geodesic distance from the defence's site, km (to a
        territory's nearest point); measured with or without an envelope.
    """

    defence: Defence
    against: str
    envelope: Envelope | None
    figures: tuple[RangeEstimate, ...]
    derived: str | None
    radar_height_m: float | None
    threat_altitude_m: float | None
    assumed: tuple[str, ...]
    covers: tuple[bool, ...]
    margins_km: tuple[float, ...] = ()
    distances_km: tuple[float, ...] = ()

    @property
    def km(self) -> float | None:
        """The effective maximum range used, km (the figure capped at the horizon)."""
        return None if self.envelope is None else self.envelope.max_km

    @property
    def horizon_km(self) -> float | None:
        """The radar horizon applied, km (None against ballistic missiles)."""
        return None if self.envelope is None else self.envelope.horizon_km

    @property
    def horizon_table(self) -> HorizonTable | None:
        """The horizon across antenna heights and target altitudes (None without a horizon)."""
        if self.horizon_km is None or self.radar_height_m is None:
            return None
        return horizon_table(self.radar_height_m, self.threat_altitude_m or 0.0)

    def to_dict(self) -> dict:
        """Return the JSON-ready description (the keys of ``claim --json``'s ``defences``)."""
        e = self.envelope
        return {
            "system": self.defence.system.id,
            "site": self.defence.site.id,
            "against": self.against,
            "km": self.km,
            "min_km": None if e is None else e.min_km,
            "figure_km": None if e is None else e.figure.km,
            "horizon_km": self.horizon_km,
            "radar_height_m": self.radar_height_m,
            "threat_altitude_m": self.threat_altitude_m,
            "assumed": list(self.assumed),
            "derived": self.derived,
            "figures": [
                {"km": f.km, "min_km": f.min_km, "kind": f.kind, "against": f.against}
                for f in self.figures
            ],
            "covers": sum(self.covers),
        } | self._horizon_dict()

    def _horizon_dict(self) -> dict:
        """``horizon_table`` where a horizon applies (absent against ballistic missiles)."""
        table = self.horizon_table
        return {} if table is None else {"horizon_table": table.as_dict()}


def parse_defence(text: str, catalog: Catalog) -> Defence:
    """Return the defence named ``"SYSTEM@SITE"`` (ids of the catalogue).

    Raises
    ------
    ParameterError
        If the text is not ``SYSTEM@SITE`` or the system is not a defence.
    UnknownNameError
        If the system or site is not in the catalogue.
    """
    _v.text(text, "text")
    _v.catalog(catalog)
    return _parse_defence(text, catalog)


def _parse_defence(text: str, catalog: Catalog) -> Defence:
    """Return :func:`parse_defence` of checked arguments."""
    match = _PAIR.match(text) if isinstance(text, str) else None
    if match is None:
        raise ParameterError(
            f"defences: expected SYSTEM@SITE (ids, e.g. patriot-pac-3-mse@warsaw-babice), "
            f"got {text!r}",
            parameter="defences",
        )
    system, site = catalog._system(match.group(1)), catalog._site(match.group(2))
    if system.role not in DEFENCE_ROLES:
        raise ParameterError(
            f"defences: {system.id!r} is a {system.role} system, not an air or missile defence",
            parameter="defences",
        )
    return Defence(system, site)


def threat_class(system: System | None) -> str:
    """Return the class of threat a system is (a range given in km: a ballistic missile).

    Raises
    ------
    ParameterError
        If the system is itself a defence.
    """
    _v.system(system, optional=True)
    if system is None:
        return "ballistic missiles"
    if system.role in _ROLE_CLASS:
        return _ROLE_CLASS[system.role]
    raise ParameterError(
        f"threat_class: {system.id!r} is a {system.role} system, not a threat", parameter="systems"
    )


def _smallest(figures: Sequence[RangeEstimate]) -> RangeEstimate:
    return min(figures, key=lambda f: (f.km, f.min_km))


def _figures_against(system: System, against: str) -> tuple[list[RangeEstimate], str | None]:
    """Return the system's figures that apply to a threat class, and how they were derived."""
    own = [f for f in system.ranges if f.against == against]
    if own or against != "cruise missiles":
        return own, None
    own = [f for f in system.ranges if f.against == "aircraft"]
    derived = (
        "no sourced figure against cruise missiles: the figure against aircraft "
        "(both air-breathing), capped at the radar horizon"
    )
    return own, derived if own else None


@dataclass(frozen=True)
class _Horizon:
    """The radar horizon applied against an air-breathing threat (heights in m, km)."""

    radar_m: float | None = None
    altitude_m: float | None = None
    km: float | None = None
    assumed: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        if self.km is None:
            return None
        heights = {"radar_height_m": "antenna height", "threat_altitude_m": "target altitude"}
        assumed = (
            f"; assumptions (no source): {', '.join(heights[a] for a in self.assumed)}"
            if self.assumed
            else ""
        )
        return (
            f"radar horizon {self.km:,.1f} km for a radar at {self.radar_m:g} m and a target at "
            f"{self.altitude_m:g} m (k = 4/3){assumed}"
        )


def _horizon(against: str, radar_height_m: float | None, threat_altitude_m: float | None):
    """Return the horizon for a class (none against ballistic missiles), heights defaulted."""
    if against == "ballistic missiles":
        return _Horizon()
    assumed = []
    if radar_height_m is None:
        radar_height_m = ASSUMED_RADAR_HEIGHT_M
        assumed.append("radar_height_m")
    if threat_altitude_m is None:
        threat_altitude_m = DEFAULT_THREAT_ALTITUDE_M[against]
        assumed.append("threat_altitude_m")
    km = float(radar_horizon_km(radar_height_m, threat_altitude_m))
    return _Horizon(radar_height_m, threat_altitude_m, km, tuple(assumed))


def _measured(envelope: Envelope | None, site: Site, targets: Sequence):
    """Return ``(covers, margins_km, distances_km)`` of the targets from a defence's site."""
    if not targets:
        return (), (), ()
    from .reach import _measure

    near, far, _ = _measure([site], list(targets)).of(site)
    distances = tuple(float(d) for d in near)
    if envelope is None:
        return tuple(False for _ in targets), (), distances
    margin = envelope._margins(near, far)
    return tuple(bool(m) for m in margin >= 0), tuple(float(m) for m in margin), distances


def cover(
    defence: Defence,
    against: str,
    targets: Sequence,
    *,
    threat_altitude_m: float | None = None,
    radar_height_m: float | None = None,
) -> Cover:
    """Return what a defence covers against a class of threat, target by target.

    Parameters
    ----------
    defence : Defence
    against : {"ballistic missiles", "cruise missiles", "aircraft"}
        The threat class.
    targets : sequence of Target
        Points (lon/lat degrees); membership by exact geodesic distance.
    threat_altitude_m : float, optional
        The threat's altitude above the surface, metres; by default
        :data:`DEFAULT_THREAT_ALTITUDE_M` of the class (an assumption).
    radar_height_m : float, optional
        The radar antenna's height, metres; by default the system's sourced value,
        else :data:`ASSUMED_RADAR_HEIGHT_M` (an assumption).

    Returns
    -------
    Cover

    Raises
    ------
    ParameterError
        For an unknown class or a bad height.
    """
    _v.instance(defence, "defence", Defence)
    _v.text(against, "against")
    _v.sequence(targets, "targets")
    _v.number(threat_altitude_m, "threat_altitude_m", optional=True)
    _v.number(radar_height_m, "radar_height_m", optional=True)
    return _cover(defence, against, targets, threat_altitude_m, radar_height_m)


def _cover(
    defence: Defence,
    against: str,
    targets: Sequence,
    threat_altitude_m: float | None = None,
    radar_height_m: float | None = None,
) -> Cover:
    """Return :func:`cover` of checked arguments."""
    if against not in THREAT_CLASSES:
        raise ParameterError(
            f"against: must be one of {', '.join(THREAT_CLASSES)}, got {against!r}",
            parameter="against",
        )
    own, derived = _figures_against(defence.system, against)
    horizon = _horizon(against, radar_height_m, threat_altitude_m) if own else _Horizon()
    envelope = None
    if own:
        envelope = Envelope(
            defence.site,
            defence.system,
            _smallest(own),
            horizon_km=horizon.km,
            cap_note=horizon.note,
        )
    covers, margins, distances = _measured(envelope, defence.site, targets)
    return Cover(
        defence=defence,
        against=against,
        envelope=envelope,
        figures=tuple(own),
        derived=derived,
        radar_height_m=horizon.radar_m,
        threat_altitude_m=horizon.altitude_m,
        assumed=horizon.assumed,
        covers=covers,
        margins_km=margins,
        distances_km=distances,
    )


def _finite(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ParameterError(f"{name}: must be a number of metres, got {value!r}", parameter=name)
    return float(value)


def inside_any(covers: Sequence[Cover], count: int) -> np.ndarray:
    """Return per target (``count`` of them) whether it lies inside at least one envelope."""
    _v.instances(covers, "covers", Cover)
    _v.number(count, "count", integer=True, low=0)
    inside = np.zeros(count, dtype=bool)
    for c in covers:
        inside |= np.asarray(c.covers, dtype=bool)
    return inside


def counts(in_range: Sequence[bool], covers: Sequence[Cover]) -> tuple[int, int]:
    """Return ``(in range and inside a footprint, in range and outside all)`` for one figure.

    Counted once per verdict, by its report (:attr:`coverage.report.FigureRow.defended`).
    """
    _v.flags(in_range, "in_range")
    _v.instances(covers, "covers", Cover)
    inside = inside_any(covers, len(in_range))
    hit = np.asarray(in_range, dtype=bool)
    return int((hit & inside).sum()), int((hit & ~inside).sum())


def defend(
    verdict,
    defences: Sequence[Defence],
    *,
    threat_altitude_m: float | None = None,
    radar_height_m: float | None = None,
):
    """Return the verdict with what each defence covers against the threat's class.

    The threat's class comes from the verdict's systems (:func:`threat_class`); every
    defence is measured against it for every target, by exact distance.

    Parameters
    ----------
    verdict : coverage.claims.Verdict
    defences : sequence of Defence
        Repeats of one defence (the same ``SYSTEM@SITE``) are merged into one, in
        the order first given, with a :class:`~coverage.errors.CoverageWarning`.
    threat_altitude_m, radar_height_m : float, optional
        See :func:`cover`.

    Returns
    -------
    coverage.claims.Verdict
        With ``threat_class`` and ``defences`` (one :class:`Cover` per distinct
        defence) set.

    Raises
    ------
    ParameterError
        If the verdict's systems are of several classes, or a height is bad.
    """
    _v.verdict(verdict)
    _v.instances(defences, "defences", Defence)
    _v.number(threat_altitude_m, "threat_altitude_m", optional=True)
    _v.number(radar_height_m, "radar_height_m", optional=True)
    return _defend(verdict, defences, threat_altitude_m, radar_height_m)


def _defend(
    verdict,
    defences: Sequence[Defence],
    threat_altitude_m: float | None = None,
    radar_height_m: float | None = None,
):
    """Return :func:`defend` of checked arguments."""
    defences = _merged(defences)
    from dataclasses import replace

    classes = {threat_class(e.system) for e in verdict.evaluations}
    if len(classes) != 1:
        raise ParameterError(
            "defences: the systems judged are of several threat classes "
            f"({', '.join(sorted(classes))}); judge them one at a time",
            parameter="defences",
        )
    (against,) = classes
    threat_altitude_m = _finite(threat_altitude_m, "threat_altitude_m")
    radar_height_m = _finite(radar_height_m, "radar_height_m")
    targets = list(verdict.targets.targets)
    covers = tuple(_cover(d, against, targets, threat_altitude_m, radar_height_m) for d in defences)
    return replace(verdict, threat_class=against, defences=covers)


def _merged(defences: Sequence[Defence]) -> list[Defence]:
    """Return the defences with repeats of one ``SYSTEM@SITE`` merged, first order kept.

    A repeat says nothing new (the same system at the same site covers the same
    targets), so it is kept once; a :class:`~coverage.errors.CoverageWarning` says
    which were given more than once and how often.
    """
    kept: dict[str, Defence] = {}
    times: dict[str, int] = {}
    for defence in defences:
        kept.setdefault(defence.id, defence)
        times[defence.id] = times.get(defence.id, 0) + 1
    repeated = [f"{i!r} x{n:,}" for i, n in times.items() if n > 1]
    if repeated:
        import warnings

        from .errors import CoverageWarning

        shown = ", ".join(repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        warnings.warn(
            f"defences: given more than once, counted once: {shown}", CoverageWarning, stacklevel=3
        )
    return list(kept.values())


#: Verdict words of a claim about a defence (:func:`defence_claim`): where the targets
#: lie against the defence envelopes. Never "shield" or "protected".
DEFENCE_VERDICTS = ("inside", "partly inside", "outside")


def defence_claim(verdict) -> dict:
    """Return what a claim about a defence comes to, with its numbers (JSON-ready).

    For a claim whose reading names defences (``defences: [SYSTEM@SITE]``), against
    the class of its threat: per target, the exact distance from each defence's
    site, the envelope used (km), the margin (km, positive inside) and whether it is
    inside; the count of targets inside at least one envelope; a verdict word of
    :data:`DEFENCE_VERDICTS` (``"inside"`` when every target is inside one,
    ``"outside"`` when none is); a sentence; and what is not modelled.

    Raises
    ------
    ParameterError
        If the verdict carries no defences.
    """
    _v.verdict(verdict)
    if not verdict.defences:
        raise ParameterError(
            "verdict: no defences to describe; judge with defences first", parameter="verdict"
        )
    targets = list(verdict.targets.targets)
    inside = inside_any(verdict.defences, len(targets))
    rows = [
        {
            "name": target.name,
            "iso_a2": target.iso_a2,
            "defences": [_defence_item(c, j) for c in verdict.defences],
        }
        for j, target in enumerate(targets)
    ]
    count = int(inside.sum())
    word = "inside" if count == len(targets) else "outside" if count == 0 else "partly inside"
    return {
        "against": verdict.threat_class,
        "defences": [c.defence.id for c in verdict.defences],
        "verdict": word,
        "targets_inside": count,
        "targets_count": len(targets),
        "targets": rows,
        "text": _defence_sentence(verdict, rows, count),
        "not_modelled": NOT_MODELLED,
    }


def _defence_item(c: Cover, j: int) -> dict:
    """One target ``j`` against one defence: distance, envelope, margin (km), inside."""
    return {
        "defence": c.defence.id,
        "site": c.defence.site.name,
        "distance_km": c.distances_km[j],
        "km": c.km,
        "figure": None if c.envelope is None else c.envelope.figure_title,
        "margin_km": c.margins_km[j] if c.margins_km else None,
        "inside": bool(c.covers[j]),
    }


def _defence_sentence(verdict, rows: list[dict], count: int) -> str:
    """E.g. "1 of 1 targets inside ...: Warsaw 8.2 km from ..., inside ... by 31.8 km"."""
    parts = []
    for row in rows:
        for item in row["defences"]:
            if item["km"] is None:
                where = f"no sourced figure of {item['defence']} against {verdict.threat_class}"
            else:
                side = "inside" if item["inside"] else "outside"
                where = (
                    f"{side} its {item['km']:,.1f} km envelope ({item['figure']}) by "
                    f"{abs(item['margin_km']):,.1f} km"
                )
            parts.append(
                f"{row['name']} is {item['distance_km']:,.1f} km from {item['defence']} "
                f"({item['site']}): {where}"
            )
    head = (
        f"{count} of {len(rows)} targets inside at least one defence envelope against "
        f"{verdict.threat_class} (where a defence can engage, not an area it protects)"
    )
    return head + ". " + "; ".join(parts) + "."
