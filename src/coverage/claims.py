"""Claims about what missiles can reach, and honest verdicts with the numbers behind them.

A claim is read as a check: systems launched from sites against a set of targets
(Europe's capitals under a named definition), of which at least a share must be in
range. :func:`evaluate_claim` measures every target's exact geodesic distance to
the nearest site and judges the claim at each range figure of the systems,
declared and estimated alike. The verdict is ``"true"`` when the claim holds at
every figure, ``"false"`` when it holds at none, and ``"depends on range"``
otherwise; ``range_needed_km`` is the smallest range at which it would hold.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field, model_validator

from . import _validate as _v
from . import resources
from .datafile import ISO2, Model, _read_yaml, validate
from .dated import definitions_for, split_by_publication, stamped_day
from .envelopes import Envelope, Layer, _envelopes, _group
from .errors import ParameterError, UnknownNameError
from .reach import Distances, TargetReach, _measure
from .stakes import (
    evaluation_stakes,
    population_in_range,
    stakes_summary,
    target_stakes,
)
from .systems import Catalog, RangeEstimate, Site, Source, System, area_site, source_dict
from .targets import (
    Definition,
    TargetSet,
    _load_targets,
    _load_territories,
)
from .text import numbered

__all__ = [
    "Claim",
    "Reading",
    "Evaluation",
    "DefinitionOutcome",
    "OriginOutcome",
    "Verdict",
    "load_claims",
    "evaluate_claim",
    "judge",
    "find_claim",
    "ad_hoc_claim",
    "verdict_to_dict",
    "DEFAULT_CLAIMS",
    "DEFAULT_CLAIM",
]

DEFAULT_CLAIMS: Path = resources.data_path("claims.yaml")
#: The claim judged when none is named: Grybauskaite, 5 February 2018.
DEFAULT_CLAIM = "grybauskaite-2018-capitals"

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Share = Annotated[float, Field(gt=0, le=1)]
DefenceId = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*@[a-z0-9]+(-[a-z0-9]+)*$", max_length=161)
]


class Reading(Model):
    """A claim read as a check: systems x sites against targets, at least ``share`` in range.

    ``sites`` are catalogue sites (garrison towns); ``areas`` are launch areas of
    ``data/areas.geojson`` (launchers anywhere inside). With both, the claim is
    judged from the sites and, side by side, from the areas (``Verdict.by_origin``).
    ``time_min`` makes it a claim about time (:mod:`coverage.stakes`); ``defences``
    (``SYSTEM@SITE``) with ``against`` (the threat class, which must be the systems'
    own) a claim about defence (:func:`coverage.defences.defence_claim`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    systems: list[Id] = Field(min_length=1)
    sites: list[Id] = Field(default_factory=list)
    areas: list[Id] = Field(default_factory=list)
    targets: Literal["capitals", "territories"] = "capitals"
    definition: Id = "europe-all"
    share: Share = 0.5
    only: list[ISO2] | None = None
    # A claim about time: "reaches the target in time_min minutes" (coverage.stakes),
    # read as said: time_said holds the words as quoted ("a little over two minutes"),
    # time_interval_min the interval they allow, minutes (by default the one
    # coverage.stakes.read_time_words gives; a bare figure is exact).
    time_min: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    time_said: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    time_interval_min: (
        tuple[
            Annotated[float, Field(ge=0, allow_inf_nan=False)],
            Annotated[float, Field(gt=0, allow_inf_nan=False)],
        ]
        | None
    ) = None
    # A claim about defence: these defences (SYSTEM@SITE) against the threat's class
    # (coverage.defences); `against` states the class and must be the systems' own.
    defences: list[DefenceId] = Field(default_factory=list)
    against: Literal["ballistic missiles", "cruise missiles", "aircraft"] | None = None

    @model_validator(mode="after")
    def _some_origin(self):
        if not self.sites and not self.areas:
            raise ValueError("a reading needs sites or areas to launch from")
        if self.against is not None and not self.defences:
            raise ValueError("against names the threat class for defences: give defences too")
        if self.time_min is not None and (self.only is None or len(self.only) != 1):
            raise ValueError("time_min needs only: [ISO2] naming the one target country")
        return self._time_as_said()

    def _time_as_said(self):
        """Check time_said and time_interval_min against time_min."""
        if self.time_min is None:
            if self.time_said is not None or self.time_interval_min is not None:
                raise ValueError("time_said and time_interval_min need time_min, the stated time")
            return self
        if self.time_interval_min is not None:
            low, high = self.time_interval_min
            if not low <= self.time_min <= high:
                raise ValueError(
                    f"time_interval_min must hold time_min: need {low!r} <= {self.time_min!r} "
                    f"<= {high!r}"
                )
        return self


class Claim(Model):
    """A public claim: who said what, when, where it was reported, and its reading."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id
    speaker: str | None = None
    date: str | None = None
    quote: str | None = None
    quote_language: str | None = None
    sources: list[Source] = Field(default_factory=list)
    reading: Reading
    notes: str | None = None

    def _repr_html_(self) -> str:
        """Escaped HTML for a notebook: speaker, date, quote and reading (coverage.notebook)."""
        from .notebook import claim_html

        return claim_html(self)


class _ClaimsFile(Model):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    claims: list[Claim]

    @model_validator(mode="after")
    def _unique(self):
        seen: set[str] = set()
        for c in self.claims:
            if c.id in seen:
                raise ValueError(f"duplicate claim id {c.id!r}")
            seen.add(c.id)
        return self


def load_claims(path: str | os.PathLike[str] = DEFAULT_CLAIMS) -> dict[str, Claim]:
    """Load the claims file, by id in file order.

    Raises
    ------
    DataError
        If the file is unreadable or invalid (file, line, field).
    """
    _v.path(path, "path")
    return _load_claims(path)


def _load_claims(path: str | os.PathLike[str] = DEFAULT_CLAIMS) -> dict[str, Claim]:
    """Return :func:`load_claims` of a checked path."""
    data = _read_yaml(path)
    parsed = validate(_ClaimsFile, data, path=path)
    return {c.id: c for c in parsed.claims}


def find_claim(claim_id: str, claims: dict[str, Claim]) -> Claim:
    """Return a claim by id.

    Raises
    ------
    UnknownNameError
        With close ids suggested.
    """
    _v.text(claim_id, "claim_id")
    _v.mapping(claims, "claims")
    return _find_claim(claim_id, claims)


def _find_claim(claim_id: str, claims: dict[str, Claim]) -> Claim:
    """Return :func:`find_claim` of checked arguments."""
    try:
        return claims[claim_id]
    except KeyError:
        raise UnknownNameError("claim", claim_id, claims) from None


@dataclass(frozen=True)
class Evaluation:
    """The claim judged at one range figure.

    Attributes
    ----------
    layer : Layer
        The envelopes of this figure from every origin (see :mod:`coverage.envelopes`).
    in_range : tuple of bool
        Per target, in the order of ``Verdict.targets``.
    margins_km : tuple of float
        Per target: range minus distance (positive inside), or, inside the minimum
        range, distance minus minimum (negative); see
        :meth:`coverage.envelopes.Envelope.margins_km`.
    range_needed_km : float
        Smallest maximum range at which the claim would hold with this figure's
        minimum range (``inf`` if no range would do).
    targets_in_range : int
    share : float
        targets_in_range / number of targets.
    holds : bool
        Whether at least the claimed share is in range.
    """

    layer: Layer
    in_range: tuple[bool, ...]
    margins_km: tuple[float, ...]
    range_needed_km: float
    targets_in_range: int
    share: float
    holds: bool

    @property
    def system(self) -> System | None:
        """The system; None for a range given directly in km."""
        return self.layer.system

    @property
    def figure(self) -> RangeEstimate:
        """``km`` and ``min_km`` (km), kind (declared/estimated/given), source."""
        return self.layer.figure

    @property
    def envelopes(self) -> tuple[Envelope, ...]:
        """One envelope per origin."""
        return self.layer.envelopes

    @property
    def range_km(self) -> float:
        """Maximum range of the figure, km."""
        return self.figure.km

    @property
    def kind(self) -> str:
        """``"declared"``, ``"estimated"`` or ``"given"``."""
        return self.figure.kind


@dataclass(frozen=True)
class DefinitionOutcome:
    """How the claim fares under another definition of "Europe's capitals"."""

    definition: Definition
    count: int
    required: int
    in_range: tuple[int, ...]  # per evaluation, same order as Verdict.evaluations
    holds: tuple[bool, ...]
    range_needed_km: float
    verdict: str


@dataclass(frozen=True)
class OriginOutcome:
    """How the claim fares from one choice of origins (the towns, or the whole area)."""

    label: str
    sites: tuple[Site, ...]
    in_range: tuple[int, ...]  # per evaluation, same order as Verdict.evaluations
    holds: tuple[bool, ...]
    range_needed_km: float
    verdict: str
    layers: tuple[Layer, ...] = ()  # per evaluation: its envelopes from these origins

    @property
    def people(self) -> tuple:
        """Per evaluation, people in range from these origins (:class:`coverage.stakes.InRange`).

        See :data:`coverage.stakes.POPULATION_SOURCE` for what is counted.
        """
        return tuple(population_in_range(layer) for layer in self.layers)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a claim with every number behind it.

    Attributes
    ----------
    claim : Claim
    verdict : {"true", "false", "depends on range"}
    share_claimed : float
        Fraction of the targets the claim says are in range ("half" = 0.5).
    required : int
        Targets that must be in range: ceil(share_claimed x count).
    range_needed_km : float
        Smallest range at which the claim would hold: the ``required``-th smallest
        distance to the nearest site (with the smallest minimum range among the
        figures; each Evaluation has its own).
    targets : TargetSet
        The targets judged, with the definition used.
    sites : tuple of Site
    reaches : tuple of TargetReach
        Per target (file order): distance to the nearest site, km.
    evaluations : tuple of Evaluation
        One per range figure, declared and estimated.
    by_definition : tuple of DefinitionOutcome
        The same check under each definition (when the targets carry membership).
    by_origin : tuple of OriginOutcome
        The same check from each choice of origins the reading names (its sites, its
        launch areas), the first being the one judged here; empty with one choice.
    threat_class : str or None
        With defences: the class of the threat (ballistic missiles, cruise missiles).
    defences : tuple of coverage.defences.Cover
        What each defence covers against that class (see :func:`coverage.defences.defend`).
    distances : Distances
        The site x target distances, km: the full matrix, or what the k-d tree
        held (see :class:`coverage.reach.Distances`).
    needed_km : numpy.ndarray
        Per target: the smallest maximum range that reaches it, km, at the figure
        with the smallest minimum range (``inf`` where none would); its
        ``required``-th smallest is ``range_needed_km``, and the map's range slider
        counts these.
    left_out : tuple of Evaluation
        The range figures left out because their source was published after the day
        judged (:func:`coverage.dated.split_by_publication`), each judged all the
        same so that outputs can say what it would have counted; not part of the
        verdict.
    with_later : Verdict or None
        With figures left out: the claim judged with them too (what it would have
        been); None otherwise.
    """

    claim: Claim
    verdict: str
    share_claimed: float
    required: int
    range_needed_km: float
    targets: TargetSet
    sites: tuple[Site, ...]
    reaches: tuple[TargetReach, ...]
    evaluations: tuple[Evaluation, ...]
    by_definition: tuple[DefinitionOutcome, ...]
    distances: Distances
    needed_km: np.ndarray | None = field(default=None, compare=False, repr=False)
    by_origin: tuple[OriginOutcome, ...] = ()
    threat_class: str | None = None
    defences: tuple = ()
    left_out: tuple[Evaluation, ...] = ()
    with_later: Verdict | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def defence_claim(self) -> dict | None:
        """What a claim about a defence comes to, or None for other claims.

        Computed once per verdict by :func:`coverage.defences.defence_claim` when the
        claim's reading names defences; ``defence_claim`` in ``--json``.
        """
        if not self.claim.reading.defences:
            return None
        from .defences import defence_claim

        return defence_claim(self)

    @functools.cached_property
    def report(self):
        """The report every output tells (:func:`coverage.report.report_for`), built once."""
        from .report import report_for

        return report_for(self)

    @property
    def envelopes(self) -> tuple[Envelope, ...]:
        """Every evaluation's envelopes, figure by figure."""
        return tuple(e for ev in self.evaluations for e in ev.envelopes)

    @property
    def definition(self) -> Definition | None:
        """The definition of the targets, or None when they were used as given."""
        return self.targets.definition

    @property
    def range_needed_text(self) -> str:
        """E.g. ``"it would hold from 1,219 km"``, or why no range would (the real cause).

        The same words as :attr:`coverage.report.Report.range_needed_text`, without
        building the whole report.
        """
        from .report import range_needed_text

        return range_needed_text(self)

    @property
    def summary(self) -> str:
        """The reach verdict in words, with the counts behind it.

        The same words as :attr:`coverage.report.Report.summary`, without building
        the whole report (people in range are not needed for it).
        """
        from .report import summary

        return summary(self)

    def _repr_html_(self) -> str:
        """Escaped HTML for a notebook: the report's headline, counts and targets."""
        return self.report._repr_html_()


def _required(share: float, count: int) -> int:
    """Targets needed for "at least share of count": ceil, robust to float noise."""
    return max(1, math.ceil(share * count - 1e-9))


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 26 -> "26th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _kth(values, k: int) -> float:
    """Return the k-th smallest value (1-based) as a float."""
    return float(np.sort(values)[k - 1])


def _verdict_word(holds: Sequence[bool]) -> str:
    if all(holds):
        return "true"
    if not any(holds):
        return "false"
    return "depends on range"


def judge(
    claim: Claim,
    covering: Sequence[Envelope],
    targets: TargetSet,
    *,
    definitions: dict[str, Definition] | None = None,
    engine: str = "auto",
) -> Verdict:
    """Judge a claim from explicit envelopes and targets.

    Parameters
    ----------
    claim : Claim
        Supplies the share (``claim.reading.share``) and the words shown.
    covering : sequence of Envelope
        What each range figure covers from each origin (see
        :func:`coverage.envelopes.envelopes`); the envelopes of one figure are judged
        together (a target counts when any origin reaches it).
    targets : TargetSet
    definitions : dict, optional
        Definitions to compare under, when the targets carry membership.
    engine : {"auto", "matrix", "tree"}, default "auto"
        How distances are measured (:func:`coverage.reach.measure`): the full
        matrix or the k-d tree, the same verdict to the bit either way; ``"auto"``
        chooses by size. The tree holds pairs up to the largest ``max_km + min_km``
        of the envelopes.

    Returns
    -------
    Verdict

    Raises
    ------
    ParameterError
        If there is no envelope or no target, the share is not in (0, 1], or
        ``engine`` is unknown.
    """
    _v.claim(claim)
    _v.envelope_sequence(covering, "covering")
    _v.targets(targets)
    _v.mapping(definitions, "definitions", optional=True)
    _v.text(engine, "engine")
    return _judge(claim, covering, targets, definitions, engine)


def _judge(
    claim: Claim,
    covering: Sequence[Envelope],
    targets: TargetSet,
    definitions: dict[str, Definition] | None = None,
    engine: str = "auto",
) -> Verdict:
    """Return :func:`judge` of checked arguments."""
    share = claim.reading.share
    if not (0 < share <= 1):
        raise ParameterError(f"share must be in (0, 1], got {share!r}", parameter="share")
    layers = _group(covering)
    if not layers:
        raise ParameterError(
            f"claim {claim.id!r}: no range figure to judge at", parameter="covering"
        )
    if not len(targets):
        raise ParameterError(
            f"claim {claim.id!r}: the target set {targets.label} is empty", parameter="targets"
        )
    sites = _origins(layers)
    how = {
        "azimuths": any(layer.needs_azimuths for layer in layers),
        "engine": engine,
        "within_km": max(e.max_km + e.min_km for e in covering),
        "dead_km": max(e.min_km for e in covering),
    }
    full, dist = _measure_once(sites, targets, compare=bool(definitions), how=how)
    required = _required(share, len(targets))
    evaluations = tuple(_evaluation(layer, dist, required) for layer in layers)
    needed = min(layers, key=lambda layer: layer.figure.min_km)._reach(dist)
    by_definition = _by_definition(full, layers, share, definitions) if full else ()
    return Verdict(
        claim=claim,
        verdict=_verdict_word([e.holds for e in evaluations]),
        share_claimed=share,
        required=required,
        range_needed_km=_kth(needed, required),
        targets=targets,
        sites=sites,
        reaches=_reaches(dist),
        evaluations=evaluations,
        by_definition=by_definition,
        distances=dist,
        needed_km=needed,
    )


def _reaches(dist: Distances) -> tuple[TargetReach, ...]:
    """Per target: its distance to the nearest site, that site, and the azimuth from it."""
    nearest = dist.nearest_index
    nearest_km = dist.nearest_km
    azimuth = dist.azimuth_deg
    return tuple(
        TargetReach(
            t,
            float(nearest_km[j]),
            dist.sites[int(nearest[j])],
            None if azimuth is None else float(azimuth[nearest[j], j]),
        )
        for j, t in enumerate(dist.targets)
    )


def _evaluation(layer: Layer, dist: Distances, required: int) -> Evaluation:
    """Judge the claim at one layer: membership, margins and the range needed."""
    margins = layer._margins(dist)
    mask = margins >= 0
    count = int(mask.sum())
    n = len(dist.targets)
    return Evaluation(
        layer=layer,
        in_range=tuple(mask.tolist()),
        margins_km=tuple(margins.tolist()),
        range_needed_km=_kth(layer._reach(dist), required),
        targets_in_range=count,
        share=count / n,
        holds=count >= required,
    )


def _origins(layers: Sequence[Layer]) -> tuple[Site, ...]:
    """Every layer's origins, once each, in order."""
    seen: dict[tuple, Site] = {}
    for layer in layers:
        for s in layer.origins:
            seen.setdefault((s.id, s.name, s.lon, s.lat), s)
    return tuple(seen.values())


def _measure_once(
    sites, targets: TargetSet, *, compare: bool, how: dict
) -> tuple[Distances | None, Distances]:
    """Measure site-target distances once; return ``(unfiltered or None, judged)``.

    When the verdict also compares definitions, every target of the unfiltered set
    is measured and the judged targets are a slice of it (territories cost about
    0.2 s to measure); otherwise only the judged targets are measured. ``how`` holds
    the keywords of :func:`coverage.reach.measure` (engine, reach, azimuths).
    """
    if not (compare and targets.carries_membership):
        return None, _measure(list(sites), list(targets.targets), **how)
    base = targets.unfiltered or targets.targets
    position = {id(t): i for i, t in enumerate(base)}
    if not all(id(t) in position for t in targets.targets):  # a set assembled by hand
        return (
            _measure(list(sites), list(base), **how),
            _measure(list(sites), list(targets.targets), **how),
        )
    full = _measure(list(sites), list(base), **how)
    return full, full.subset([position[id(t)] for t in targets.targets])


def _by_definition(full: Distances, layers, share, definitions) -> tuple[DefinitionOutcome, ...]:
    """Re-judge under each definition, from the distances to the unfiltered targets.

    Margins and ranges needed are per target, so each layer's are computed once over
    every target and each definition takes its members' columns.
    """
    covered = [layer._margins(full) >= 0 for layer in layers]
    lowest = min(layers, key=lambda layer: layer.figure.min_km)
    needed = lowest._reach(full)
    outcomes = []
    for definition in definitions.values():
        members = [
            i
            for i, t in enumerate(full.targets)
            if t.definitions is not None and definition.id in t.definitions
        ]
        count = len(members)
        if count == 0:
            continue
        required = _required(share, count)
        counts = tuple(int(c[members].sum()) for c in covered)
        holds = tuple(c >= required for c in counts)
        outcomes.append(
            DefinitionOutcome(
                definition=definition,
                count=count,
                required=required,
                in_range=counts,
                holds=holds,
                range_needed_km=_kth(needed[members], required),
                verdict=_verdict_word(holds),
            )
        )
    return tuple(outcomes)


def evaluate_claim(
    claim: Claim,
    catalog: Catalog,
    targets: TargetSet | None = None,
    *,
    definition: str | None = None,
    kind: str | None = None,
    definitions: dict[str, Definition] | None = None,
    engine: str = "auto",
    use_later_figures: bool = False,
) -> Verdict:
    """Judge a claim on the catalogue and the targets.

    Parameters
    ----------
    claim : Claim
        Its reading names the systems, sites, definition, share and (optionally) the
        countries it is about (``only``).
    catalog : Catalog
        Systems and sites (see :func:`coverage.systems.load_catalog`).
    targets : TargetSet, optional
        By default the bundled capitals under the claim's definition (or
        ``definition`` if given). A user's target set is used as given.
    definition : str, optional
        Definition id overriding the claim's.
    kind : {"declared", "estimated"}, optional
        Judge only at figures of this kind; by default at every figure.
    definitions : dict, optional
        Definitions by id; by default the bundled ones as of the claim's own date
        (:func:`coverage.dated.definitions_for`).
    engine : {"auto", "matrix", "tree"}, default "auto"
        How distances are measured (see :func:`judge`); the verdict is the same.
    use_later_figures : bool, default False
        Also judge at the range figures whose source was published after the day
        the definitions stand for (the claim's own date by default). By default
        they are left out (``Verdict.left_out``) and the report says so, with what
        they would have changed.

    Returns
    -------
    Verdict

    Raises
    ------
    UnknownNameError
        If a system, site or definition of the reading is not known.
    ParameterError
        If the claim cannot be judged (no targets, no figure, bad share, a
        country in ``only`` without a target, or every figure published after the
        day judged).
    """
    _v.claim(claim)
    _v.catalog(catalog)
    _v.targets(targets, optional=True)
    _v.text(definition, "definition", optional=True)
    _v.text(kind, "kind", optional=True)
    _v.mapping(definitions, "definitions", optional=True)
    _v.text(engine, "engine")
    _v.flag(use_later_figures, "use_later_figures")
    return _evaluate_claim(
        claim, catalog, targets, definition, kind, definitions, engine, use_later_figures
    )


def _evaluate_claim(
    claim: Claim,
    catalog: Catalog,
    targets: TargetSet | None = None,
    definition: str | None = None,
    kind: str | None = None,
    definitions: dict[str, Definition] | None = None,
    engine: str = "auto",
    use_later_figures: bool = False,
) -> Verdict:
    """Return :func:`evaluate_claim` of checked arguments."""
    reading = claim.reading
    systems = [catalog._system(s) for s in reading.systems]
    choices = []
    if reading.sites:
        choices.append([catalog._site(s) for s in reading.sites])
    if reading.areas:
        choices.append([area_site(a) for a in reading.areas])
    known = definitions if definitions is not None else definitions_for(claim)
    targets = _claim_targets(reading, targets, definition or reading.definition, known)
    if not any(s.figures(kind) for s in systems):
        raise ParameterError(
            f"claim {claim.id!r}: the systems have no {kind} range figure", parameter="kind"
        )

    day = None if use_later_figures else stamped_day(known)

    def covering(origins: list[Site]) -> tuple[list[Envelope], list[Envelope]]:
        drawn = [e for s in systems for e in _envelopes(origins, s.figures(kind), s)]
        return split_by_publication(drawn, day)

    compare = None if reading.only else known
    verdict = _judge_as_of(claim, *covering(choices[0]), targets, compare, engine, day)
    if len(choices) > 1:
        outcomes = [_origin_outcome(verdict)]
        for origins in choices[1:]:
            judged = _judge(claim, covering(origins)[0], targets, engine=engine)
            outcomes.append(_origin_outcome(judged))
        verdict = replace(verdict, by_origin=tuple(outcomes))
    return _defended(verdict, catalog) if reading.defences else verdict


def _judge_as_of(
    claim: Claim,
    used: Sequence[Envelope],
    later: Sequence[Envelope],
    targets: TargetSet,
    definitions: dict[str, Definition] | None,
    engine: str,
    day,
) -> Verdict:
    """Judge at the figures ``used``; judge the ``later`` ones too, only to say what they change.

    ``later`` holds the envelopes of figures published after ``day``
    (:func:`coverage.dated.split_by_publication`): the verdict is that of ``used``,
    with the later figures' evaluations in ``left_out`` and the verdict with them in
    ``with_later``.

    Raises
    ------
    ParameterError
        Naming ``use_later_figures`` when every figure was published after ``day``.
    """
    if not later:
        return _judge(claim, used, targets, definitions, engine)
    if not used:
        dates = "; ".join(f"{layer.title}: {layer.figure.source.date}" for layer in _group(later))
        what = "the check" if claim.id == "ad-hoc" else f"claim {claim.id!r}"
        raise ParameterError(
            f"{what} as of {day}: every range figure was published after that "
            f"day ({dates}); set use_later_figures to judge with them",
            parameter="use_later_figures",
        )
    verdict = _judge(claim, used, targets, definitions, engine)
    alt = _judge(claim, [*used, *later], targets, None, engine)
    late = {id(e.figure) for e in later}
    left = tuple(e for e in alt.evaluations if id(e.figure) in late)
    return replace(verdict, left_out=left, with_later=alt)


def _claim_targets(
    reading: Reading, targets: TargetSet | None, definition: str, known: dict[str, Definition]
) -> TargetSet:
    """Return the targets a reading is judged on: given, or the bundled ones, then ``only``."""
    if targets is None and reading.targets == "territories":
        targets = _load_territories(None, definition, known)
    elif targets is None:
        targets = _load_targets(None, definition, known)
    return targets._only(reading.only) if reading.only else targets


def _defended(verdict: Verdict, catalog: Catalog) -> Verdict:
    """Add the defences a claim's reading names (``defences``, ``against``).

    Raises
    ------
    ParameterError
        If ``against`` is not the class of the reading's systems.
    UnknownNameError
        If a defence's system or site is not in the catalogue.
    """
    from .defences import _defend, _parse_defence, threat_class

    reading = verdict.claim.reading
    classes = {threat_class(e.system) for e in verdict.evaluations}
    if reading.against is not None and classes != {reading.against}:
        raise ParameterError(
            f"claim {verdict.claim.id!r}: against is {reading.against!r} but the systems are "
            f"{', '.join(sorted(classes))}",
            parameter="against",
        )
    return _defend(verdict, [_parse_defence(text, catalog) for text in reading.defences])


def origin_label(sites: Sequence[Site]) -> str:
    """E.g. ``"Chernyakhovsk, Kaliningrad"`` or ``"anywhere in Kaliningrad Oblast"``."""
    names = [("anywhere in " if s.kind == "area" else "") + s.name for s in sites]
    return ", ".join(names)


def _origin_outcome(verdict: Verdict) -> OriginOutcome:
    """Summarise a verdict as the outcome from its origins."""
    return OriginOutcome(
        label=origin_label(verdict.sites),
        sites=verdict.sites,
        in_range=tuple(e.targets_in_range for e in verdict.evaluations),
        holds=tuple(e.holds for e in verdict.evaluations),
        range_needed_km=verdict.range_needed_km,
        verdict=verdict.verdict,
        layers=tuple(e.layer for e in verdict.evaluations),
    )


def ad_hoc_claim(
    share: float = 0.5,
    *,
    systems: Sequence[str] = ("given",),
    sites: Sequence[str] = ("given",),
    definition: str = "europe-all",
) -> Claim:
    """Return a Claim for a check typed on the command line (no speaker, no sources).

    Raises
    ------
    ParameterError
        If the share is not in (0, 1].
    """
    _v.number(share, "share")
    _v.id_sequence(systems, "systems", slugs=True, nonempty=True)
    _v.id_sequence(sites, "sites", slugs=True, nonempty=True)
    _v.slug(definition, "definition")
    return _ad_hoc_claim(share, systems, sites, definition)


def _ad_hoc_claim(
    share: float = 0.5,
    systems: Sequence[str] = ("given",),
    sites: Sequence[str] = ("given",),
    definition: str = "europe-all",
) -> Claim:
    """Return :func:`ad_hoc_claim` of checked arguments (the share is checked here)."""
    try:
        share = float(share)
    except (TypeError, ValueError):
        raise ParameterError(
            f"share must be a fraction in (0, 1], got {share!r}", parameter="share"
        ) from None
    if not math.isfinite(share) or not (0 < share <= 1):
        raise ParameterError(
            f"share must be a fraction in (0, 1], got {share!r}", parameter="share"
        )
    return Claim(
        id="ad-hoc",
        reading=Reading(
            systems=list(systems), sites=list(sites), definition=definition, share=share
        ),
    )


def verdict_to_dict(verdict: Verdict) -> dict:
    """Return the verdict as plain JSON-ready data, distances in full-precision km.

    Read from the verdict's report (:attr:`Verdict.report`). Keys: ``verdict`` (the
    answer to the claim's own question: for a claim about defence its defence word,
    e.g. ``inside``; for a claim about time its time band, e.g. ``impossible``),
    ``question`` (``reach``, ``defence`` or ``time``), ``reach_verdict`` (``true``,
    ``false`` or ``depends on range``, for every claim), ``reason`` (``code`` and
    ``text`` of the headline's reason), ``summary`` (the reach verdict in words),
    ``share_claimed``, ``required``, ``range_needed_km`` (null when no range would
    make the claim hold) with ``no_range_because`` (then a code of
    :data:`coverage.report.REASONS`, e.g. ``outside_sector``; else null), ``claim``,
    ``definition`` (``id``, ``name``, ``count``, or None for targets used as given),
    ``targets_source`` (``data/capitals.geojson`` for the bundled file, a user's file
    by the name given; never an absolute path of this machine), ``targets_kind``
    (``points`` or ``territories``: distances to the nearest point of a country),
    ``sites`` (``id``, ``name``, ``kind``: ``"point"`` or ``"area"``, ``lon``, ``lat``:
    for an area, a point inside it), ``evaluations`` (``figure``: the label that
    keys the targets' numbers, e.g. ``"iskander-m declared 50–500 km"``, ``system``, ``range_km``,
    ``min_km``, ``kind``, ``against``, ``sector``, ``targets_in_range``, ``share``,
    ``holds``, ``source``), ``figures_left_out`` (the range figures left out as
    published after the day judged, keyed ``L1``...: the keys of ``evaluations``
    with ``key`` and ``left_out``, the reason; empty when none is; see
    ``as_of_reading`` for what they would change), ``targets`` (``name``,
    ``country``, ``iso_a2``, ``lon``,
    ``lat``, ``distance_km`` to the nearest origin, 0 inside an area,
    ``nearest_site``, with a sector ``azimuth_deg`` from that origin, ``margins_km``
    and ``in_range`` per evaluation, in the order of ``evaluations``, and the same
    keyed by each evaluation's ``figure`` label in ``margin_km_by_figure`` and
    ``in_range_by_figure``; a margin outside a sector is null; nearest first),
    ``by_origin`` (the same check from each choice of origins of the reading:
    ``label``, ``sites``, ``targets_in_range``, ``holds``, ``population_in_range``
    and ``places_in_range`` per evaluation, ``range_needed_km``, ``verdict``),
    ``by_definition``. With defences
    (:func:`coverage.defences.defend`): ``threat_class``, ``defences`` (``system``,
    ``site``, ``against``, ``km``: the effective maximum used, ``min_km``,
    ``figure_km``, ``horizon_km``, ``radar_height_m``, ``threat_altitude_m``,
    ``assumed``, ``derived``, ``figures``), ``defences_not_modelled``, and
    ``defended_by`` on each target and ``in_range_defended`` /
    ``in_range_undefended`` on each evaluation. For a claim whose reading names
    defences, ``defence_claim`` (:func:`coverage.defences.defence_claim`: per target
    the distance from each defence, the envelope, the margin and whether it is
    inside; the count; a verdict word; what is not modelled).
    """
    _v.verdict(verdict)
    out = _verdict_dict(verdict)
    if verdict.defences:
        _add_defences(out, verdict)
        _add_defence_claim(out, verdict)
    return out


def nearest_first(verdict: Verdict) -> NDArray[np.intp]:
    """Return the indices of the verdict's targets, nearest first (ties keep their order).

    The one order of every output: tables, JSON, CSV, XLSX, GeoJSON, KML, frames.

    Parameters
    ----------
    verdict : Verdict
        A judged claim.

    Returns
    -------
    numpy.ndarray
        Read-only 1-D integer array (``intp``), one index into ``verdict.reaches``
        per target, by distance to the nearest origin (km), ascending; a stable sort,
        so targets at equal distances keep the verdict's order. 8 bytes per target,
        where a list of Python ints would hold about 70 while it is sorted.
    """
    _v.verdict(verdict)
    reaches = verdict.reaches
    distances = np.fromiter((r.distance_km for r in reaches), float, count=len(reaches))
    order = np.argsort(distances, kind="stable")
    order.flags.writeable = False
    return order


def figure_keys(verdict: Verdict) -> list[str]:
    """Return one distinct key per evaluation (its envelope's short id, numbered if repeated).

    The keys of ``margin_km_by_figure`` and ``in_range_by_figure`` in ``--json``.
    """
    return numbered(e.layer.short_id for e in verdict.evaluations)


def _add_defence_claim(out: dict, verdict: Verdict) -> None:
    """Add ``defence_claim`` for a claim whose reading names defences (#14)."""
    if verdict.defence_claim is not None:
        out["defence_claim"] = verdict.defence_claim


def _add_defences(out: dict, verdict: Verdict) -> None:
    """Add what the defences cover (``claim --defence``) to the JSON-ready verdict."""
    from .defences import NOT_MODELLED

    out["threat_class"] = verdict.threat_class
    out["defences"] = [c.to_dict() for c in verdict.defences]
    out["defences_not_modelled"] = NOT_MODELLED
    for j, target in zip(nearest_first(verdict), out["targets"], strict=True):
        target["defended_by"] = [c.defence.id for c in verdict.defences if c.covers[j]]
    for row, item in zip(verdict.report.figures, out["evaluations"], strict=True):
        item["in_range_defended"], item["in_range_undefended"] = row.defended, row.undefended


def _sector_list(e: Evaluation) -> list[float] | None:
    sector = e.layer.sector
    return None if sector is None else [sector.from_deg, sector.to_deg]


def _evaluation_dicts(verdict: Verdict) -> list[dict]:
    at_stake = verdict.report.stakes
    return [
        {
            "figure": row.label,
            "system": e.system.id if e.system else None,
            "range_km": e.range_km,
            "min_km": e.figure.min_km,
            "kind": e.kind,
            "against": e.figure.against,
            "sector": _sector_list(e),
            "targets_in_range": e.targets_in_range,
            "share": e.share,
            "holds": e.holds,
            "range_needed_km": e.range_needed_km,
            "source": source_dict(e.figure.source),
            **evaluation_stakes(at_stake, i),
        }
        for i, (row, e) in enumerate(zip(verdict.report.figures, verdict.evaluations, strict=True))
    ]


def _left_out_dicts(verdict: Verdict) -> list[dict]:
    """Return ``figures_left_out``: each figure published after the day judged, as judged."""
    reading = verdict.report.as_of
    if not verdict.left_out or reading is None:
        return []
    because = f"published after {reading.day.text}"
    return [
        {
            "key": f"L{i}",
            "figure": label,
            "system": e.system.id if e.system else None,
            "range_km": e.range_km,
            "min_km": e.figure.min_km,
            "kind": e.kind,
            "against": e.figure.against,
            "sector": _sector_list(e),
            "left_out": because,
            "targets_in_range": e.targets_in_range,
            "share": e.share,
            "holds": e.holds,
            "range_needed_km": e.range_needed_km,
            "source": source_dict(e.figure.source),
        }
        for i, (label, e) in enumerate(
            zip(
                numbered(e.layer.short_id for e in verdict.left_out), verdict.left_out, strict=True
            ),
            1,
        )
    ]


def _target_dict(verdict: Verdict, j: int, labels: list[str]) -> dict:
    r = verdict.reaches[j]
    evaluations = verdict.evaluations
    return {
        "name": r.target.name,
        "country": r.target.country,
        "iso_a2": r.target.iso_a2,
        "lon": r.target.lon,
        "lat": r.target.lat,
        "distance_km": r.distance_km,
        "nearest_site": r.nearest_site.id,
        **({} if r.azimuth_deg is None else {"azimuth_deg": r.azimuth_deg}),
        "margins_km": [e.margins_km[j] for e in evaluations],
        "in_range": [e.in_range[j] for e in evaluations],
        "margin_km_by_figure": {
            label: e.margins_km[j] for label, e in zip(labels, evaluations, strict=True)
        },
        "in_range_by_figure": {
            label: bool(e.in_range[j]) for label, e in zip(labels, evaluations, strict=True)
        },
        **target_stakes(verdict.report.stakes, r.target, j),
    }


def _origin_dicts(verdict: Verdict) -> list[dict]:
    return [
        {
            "label": o.label,
            "sites": [{"id": s.id, "name": s.name, "kind": s.kind} for s in o.sites],
            "targets_in_range": list(o.in_range),
            "holds": list(o.holds),
            "range_needed_km": o.range_needed_km,
            "verdict": o.verdict,
            "population_in_range": list(row.people),
            "places_in_range": list(row.places),
        }
        for o, row in zip(verdict.by_origin, verdict.report.origins, strict=True)
    ]


def _definition_dicts(verdict: Verdict) -> list[dict]:
    return [
        {
            "id": o.definition.id,
            "name": o.definition.name,
            "count": o.count,
            "required": o.required,
            "targets_in_range": list(o.in_range),
            "holds": list(o.holds),
            "range_needed_km": o.range_needed_km,
            "verdict": o.verdict,
        }
        for o in verdict.by_definition
    ]


def _claim_dict(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "speaker": claim.speaker,
        "date": claim.date,
        "quote": claim.quote,
        "sources": [source_dict(s) for s in claim.sources],
        "systems": claim.reading.systems,
        "only": claim.reading.only,
    }


def _definition_dict(verdict: Verdict) -> dict | None:
    d = verdict.definition
    if d is None:
        return None
    return {"id": d.id, "name": d.name, "count": verdict.targets.definition_count}


def _as_of_dict(reading) -> dict:
    """Return ``as_of`` (the day judged) and ``as_of_reading`` (see coverage.dated.Reading)."""
    if reading is None:
        return {"as_of": None, "as_of_reading": None}
    return {"as_of": reading.day.text, "as_of_reading": reading.as_dict()}


def _verdict_dict(verdict: Verdict) -> dict:
    """Return the JSON-ready verdict, read from its report (:attr:`Verdict.report`)."""
    from .resources import public_source

    report = verdict.report
    labels = [row.label for row in report.figures]
    return {
        "verdict": report.word,
        "question": report.question,
        "reach_verdict": report.reach,
        "reason": {"code": report.headline.reason.code, "text": report.headline.reason.text},
        "summary": report.summary,
        "share_claimed": verdict.share_claimed,
        "required": verdict.required,
        "range_needed_km": report.range_needed_km,
        "no_range_because": report.no_range_because,
        "claim": _claim_dict(verdict.claim),
        **_as_of_dict(report.as_of),
        "definition": _definition_dict(verdict),
        "only": list(verdict.targets.only_countries) or None,
        "targets_count": len(verdict.targets),
        "targets_source": public_source(verdict.targets.source),
        "targets_kind": verdict.targets.kind,
        **stakes_summary(verdict, report.stakes),
        "sites": [
            {"id": s.id, "name": s.name, "kind": s.kind, "lon": s.lon, "lat": s.lat}
            for s in verdict.sites
        ],
        "evaluations": _evaluation_dicts(verdict),
        "figures_left_out": _left_out_dicts(verdict),
        "targets": [_target_dict(verdict, j, labels) for j in nearest_first(verdict)],
        "by_origin": _origin_dicts(verdict),
        "by_definition": _definition_dicts(verdict),
    }
