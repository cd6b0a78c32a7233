"""A claim through time: each dated step and the counts in range from then on.

A claim is judged as of a day (:mod:`coverage.dated`): the members of its definition
of "Europe's capitals" and the launch sites standing that day. :func:`timeline`
lists every dated step that changes one of those for a check (a state joins or
leaves the definition, one of the check's sites is deployed or withdrawn), plus the
day the claim was made, and judges the check as of each step with
:func:`coverage.checks.check`: the counts are those of ``claim --as-of DAY``, number
for number. A step is re-checked only when something the check reads has changed
since the step before (the definition's members or the sites standing); otherwise
it keeps the step before's verdict.

    >>> from coverage.timeline import timeline
    >>> t = timeline("grybauskaite-2018-capitals")
    >>> [s.date.text for s in t.steps]
    ['1990-10-03', '2015-07-13', '2016-10', '2018-02', '2018-02-05']
    >>> [(c.in_range, c.total) for c in t.steps[-1].counts]
    [(4, 51), (4, 51), (10, 51)]

A range figure counts from the day its source was published (the rule of ``claim
--as-of``): each publication is a step, and a step's figures published later are
listed apart (:attr:`Step.left_out`, ``figures_left_out`` in JSON) with the counts
they would give, unless the request asks for them (``use_later_figures``).

Steps before a dated definition's history starts are left out (no earlier list is
sourced, and a check as of a day dates every list; :attr:`Timeline.starts` says
from when), and sites whose date is not sourced stand at every step
(:data:`coverage.dated.NOT_SOURCED`). A named claim's sites are counted as its reading
names them at every step, as ``claim --as-of`` does; each step says which of them
were not in place that day.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _validate as _v
from .dated import (
    END_NOT_SOURCED,
    NOT_SOURCED,
    Day,
    Event,
    claim_day,
    events,
    published,
    published_after,
    site_status,
)
from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from .checks import Request
    from .claims import Verdict

__all__ = ["Count", "Step", "Timeline", "day_of", "standing", "timeline"]

#: Site statuses (:func:`coverage.dated.site_status`) under which a site is shown and used.
STANDING = frozenset({"in place", NOT_SOURCED, END_NOT_SOURCED})
_MEMBERSHIP = ("accession", "departure")
_SITES = ("deployment", "withdrawal")


@dataclass(frozen=True)
class Count:
    """The count in range at one range figure, as of one step.

    Attributes
    ----------
    figure : str
        The figure's label, as ``evaluations[].figure`` of ``claim --json``.
    system : str or None
        The system id (None for a range given in km).
    in_range : int
        Targets in range at this figure (``targets_in_range``).
    total : int
        Targets judged that day (``targets_count``): the definition's members then.
    holds : bool
        Whether the claim holds at this figure that day.
    """

    figure: str
    system: str | None
    in_range: int
    total: int
    holds: bool

    def as_dict(self) -> dict:
        """Return the count as JSON-ready data (``claim --json``'s key names)."""
        return {
            "figure": self.figure,
            "system": self.system,
            "targets_in_range": self.in_range,
            "targets_count": self.total,
            "holds": self.holds,
        }


@dataclass(frozen=True)
class Step:
    """One dated step of a timeline and the counts in range from that day on.

    Attributes
    ----------
    date : Day
        The first day of the step (to the precision of its source).
    events : tuple of Event
        What changes that day (:class:`coverage.dated.Event`); besides accessions,
        departures, deployments and withdrawals, an event of kind ``"claim"`` marks
        the day the claim was made, one of kind ``"publication"`` the day a range
        figure's source was published, and one of kind ``"start"`` the first day of
        the timeline (:attr:`Timeline.starts`) when nothing else happens then.
    counts : tuple of Count
        Per range figure used that day, the targets in range and the total, from
        that day on (the ``evaluations`` of ``claim --as-of DAY --json``).
    sites : tuple of (str, str)
        The check's sites and their status that day (:func:`coverage.dated.site_status`:
        ``"in place"``, ``"not yet"``, ``"gone"``, or a date not sourced). A named
        claim's sites are counted as its reading names them whatever their status
        (as ``claim --as-of``); a system drawn from its known sites uses those
        standing that day.
    verdict : Verdict
        The verdict as of :attr:`date` (shared with the step before when nothing the
        check reads changed).
    rechecked : bool
        Whether the check was run again for this step.
    left_out : tuple of Count
        The range figures left out that day, their source published later, with the
        counts they would give (``figures_left_out`` of ``claim --as-of DAY
        --json``); empty when the request asks for them (``use_later_figures``).
    """

    date: Day
    events: tuple[Event, ...]
    counts: tuple[Count, ...]
    sites: tuple[tuple[str, str], ...]
    verdict: Verdict = field(repr=False, compare=False)
    rechecked: bool = True
    left_out: tuple[Count, ...] = ()

    @property
    def event(self) -> str:
        """What happens that day, one line (the events' labels joined by ``"; "``)."""
        return "; ".join(e.label for e in self.events)

    @property
    def absent(self) -> tuple[str, ...]:
        """Ids of the check's sites not standing that day (not yet there, or gone)."""
        return tuple(i for i, status in self.sites if status not in STANDING)

    @property
    def sources(self) -> list:
        """The distinct sources of the step's events, in order (:class:`Source` objects)."""
        out: list = []
        for e in self.events:
            if e.source is not None and e.source not in out:
                out.append(e.source)
        return out

    def line(self, names: Mapping[str, str] | None = None) -> str:
        """Return the step in one sentence: its day, what changed, the counts per figure.

        Parameters
        ----------
        names : mapping of str to str, optional
            Site names by id, for the sites not standing that day (ids otherwise).

        Returns
        -------
        str
            One line, ending with a full stop.

        Raises
        ------
        ParameterError
            If ``names`` is not a mapping, or the name it gives an absent site is not a string.

        Examples
        --------
        ``"As of 2018-02-05: iskander-m at Kaliningrad. In range: 4 of 51 at
        iskander-m declared 50–500 km; ..."``
        """
        names = _v.mapping(names, "names", optional=True) or {}
        counts = "; ".join(f"{c.in_range} of {c.total} at {c.figure}" for c in self.counts)
        text = f"As of {self.date.text}: {self.event}. " + (
            f"In range: {counts}." if counts else "In range: no figure published yet."
        )
        if self.absent:
            who = ", ".join(_v.text(names.get(i, i), f"names[{i!r}]") for i in self.absent)
            text += f" Not in place that day: {who} (a claim's sites are counted as it reads them)."
        return text

    def as_dict(self) -> dict:
        """Return the step as JSON-ready data (see :meth:`Timeline.as_dict`)."""
        return {
            "date": self.date.text,
            "event": self.event,
            "source": [s.model_dump() for s in self.sources],
            "events": [e.as_dict() for e in self.events],
            "sites": [{"id": i, "status": status} for i, status in self.sites],
            "evaluations": [c.as_dict() for c in self.counts],
            "figures_left_out": [c.as_dict() for c in self.left_out],
        }


@dataclass(frozen=True)
class Timeline:
    """Every dated step of a check, oldest first, with the counts in range from then on.

    Attributes
    ----------
    request : Request
        The check (:class:`coverage.checks.Request`).
    claim_id : str or None
        The named claim, None for an ad hoc check.
    claim_date : Day or None
        The day the claim was made (None when the claim has no date, or ad hoc).
    definition : str
        The id of the definition of "Europe's capitals" judged.
    starts : Day or None
        The first day of the timeline: the first day for which every dated definition
        has a sourced list (no check can be judged before it); None without dated
        definitions. Earlier events are left out.
    steps : tuple of Step
        Oldest first.
    checks : int
        How many times the check was run (steps with nothing changed reuse a verdict).
    verdict : Verdict
        The check as asked (a named claim as of its own date): what a map of the
        timeline draws, with the steps' sites and counts over it.
    """

    request: Request
    claim_id: str | None
    claim_date: Day | None
    definition: str
    starts: Day | None
    steps: tuple[Step, ...]
    checks: int
    verdict: Verdict = field(repr=False, compare=False)

    @property
    def start_index(self) -> int:
        """Index of the step a view starts at: ``as_of``, else the claim's day, else the last."""
        day = self.request.as_of or self.claim_date
        index = len(self.steps) - 1
        if day is None:
            return index
        when = day_of(day, "as_of")
        index = 0
        for i, step in enumerate(self.steps):
            if step.date.first <= when.first:
                index = i
        return index

    @property
    def figures(self) -> list[str]:
        """The labels of the check's range figures, in the data's order (used or not).

        A step counts some of them (:attr:`Step.counts`) and may leave the others out
        (:attr:`Step.left_out`): published after its day.
        """
        from .claims import figure_keys

        return figure_keys(self.verdict.with_later or self.verdict)

    def step_on(self, day: Any) -> Step | None:
        """Return the step in force on ``day`` (None before the first step).

        Parameters
        ----------
        day : str, datetime.date or Day
            E.g. ``"2018-02-05"`` or ``"today"``.

        Raises
        ------
        ParameterError
            If ``day`` is not a date.
        """
        when = day_of(day, "day")
        found = None
        for step in self.steps:
            if step.date.first <= when.first:
                found = step
        return found

    def as_dict(self) -> dict:
        """Return the timeline as JSON-ready data (``timeline --json``).

        Keys: ``claim``, ``claim_date``, ``definition``, ``starts``, ``checks`` and
        ``steps``: each with ``date``, ``event`` (one line), ``source`` (the events'
        sources), ``events`` (each event in full), ``sites`` (the check's sites, each
        ``id`` and ``status`` that day) and ``evaluations`` (per figure:
        ``figure``, ``system``, ``targets_in_range``, ``targets_count``, ``holds``:
        the numbers of ``claim --as-of DATE --json``) and ``figures_left_out`` (the
        same keys, for the figures published after that day).
        """
        return {
            "claim": self.claim_id,
            "claim_date": None if self.claim_date is None else self.claim_date.text,
            "definition": self.definition,
            "starts": None if self.starts is None else self.starts.text,
            "checks": self.checks,
            "steps": [s.as_dict() for s in self.steps],
        }


def day_of(value: Any, parameter: str = "day") -> Day:
    """Read a day: ISO text to the year, month or day, a date, a Day, or ``"today"``.

    Raises
    ------
    ParameterError
        If ``value`` is not such a date (naming ``parameter``).
    """
    _v.text(parameter, "parameter")
    if isinstance(value, str) and value.strip().lower() == "today":
        return Day.today()
    return Day.parse(value, parameter=parameter)


def standing(site, day: Any) -> bool:
    """Return whether ``site`` is shown and used as of ``day``.

    A site stands when it is in place that day, or when its date (or end date) is
    not sourced: a site without a sourced date is never dropped by a date.

    Parameters
    ----------
    site : Site
    day : str, datetime.date or Day

    Raises
    ------
    ParameterError
        If ``site`` is not a Site or ``day`` is not a date.
    """
    _v.site(site)
    return site_status(site, day_of(day, "day")) in STANDING


def timeline(request_or_claim: Request | str | None = None) -> Timeline:
    """Return the timeline of a check: each dated step and the counts in range from then on.

    The steps are the days on which something the check reads changes: a state
    joins or leaves its definition of "Europe's capitals" (accession, departure), or
    one of its sites is deployed or withdrawn, plus the day the claim was made. The
    check is judged as of each step (``as_of``, :func:`coverage.checks.check`), and
    again only when the definition's members or the standing sites differ from the
    step before.

    Parameters
    ----------
    request_or_claim : Request or str, optional
        A :class:`coverage.checks.Request` (a named claim or an ad hoc check), or a
        claim id; by default the default claim.

    Returns
    -------
    Timeline

    Raises
    ------
    ParameterError
        If ``request_or_claim`` is neither a Request nor a claim id, or a field is bad.
    UnknownNameError, DataError, ConflictError
        As :func:`coverage.checks.check`.

    Examples
    --------
    >>> t = timeline("grybauskaite-2018-capitals")
    >>> t.steps[-1].counts[0].in_range, t.steps[-1].counts[0].total
    (4, 51)
    """
    from .checks import Request, catalog_for, check

    request = _request(request_or_claim, Request)
    base = check(request)
    catalog = catalog_for(request)
    definition = base.definition
    origin_ids = _origin_ids(request, base, catalog)
    origins = [catalog.sites[i] for i in origin_ids if i in catalog.sites]
    said = None if request.is_ad_hoc else claim_day(base.claim)
    found = _relevant(events({definition.id: definition}, catalog), definition.id, origin_ids)
    if said is not None:
        found.append(_claim_event(base.claim, said))
    figures = _figures(base)
    if not request.use_later_figures:
        found += _publication_events(base)
    start = _history_start()
    days = _group([e for e in found if start is None or e.date.first >= start.first])
    if start is not None and (not days or days[0][0].first > start.first):
        days.insert(0, (start, (_start_event(start, _before(found, start)),)))
    if _from_known_sites(request):  # no step before one of the system's sites stands
        days = [(d, h) for d, h in days if any(standing(s, d) for s in origins)]
    known = {said.text: base} if said is not None and request.as_of is None else {}
    state = _State(definition, origins, () if request.use_later_figures else figures)
    steps, runs = _steps(days, state, lambda day: _judged_on(request, day, check), known)
    return Timeline(
        request=request,
        claim_id=None if request.is_ad_hoc else base.claim.id,
        claim_date=said,
        definition=definition.id,
        starts=start,
        steps=tuple(steps),
        checks=1 + runs,
        verdict=base,
    )


def _from_known_sites(request: Request) -> bool:
    """Whether the check draws its systems from their known sites standing each day."""
    return request.is_ad_hoc and not request.has_origin and bool(request.systems)


def _before(found: Sequence[Event], start: Day | None) -> bool:
    """Whether any event falls before ``start``."""
    return start is not None and any(e.date.first < start.first for e in found)


def _history_start() -> Day | None:
    """Return the first day every dated definition has a sourced list for (None: no history).

    A check as of a day dates every definition, so a timeline starts where the
    latest-starting history does.
    """
    from .targets import load_definitions

    starts = [Day.parse(d.history_from) for d in load_definitions().values() if d.history]
    return max(starts, key=lambda d: d.first, default=None)


def _start_event(start: Day, earlier: bool) -> Event:
    """Return the event that opens a timeline: the first day every list is sourced for."""
    left = "; earlier steps left out" if earlier else ""
    return Event(start, "start", "history", (), f"the membership lists start{left}", None)


@dataclass(frozen=True)
class _State:
    """What a check reads that can change with the day: members, sites, figures published."""

    definition: Any
    origins: Sequence[Any]
    figures: Sequence[Any]  # empty when later figures are used anyway

    def on(self, day: Day) -> tuple:
        statuses = tuple((s.id, site_status(s, day)) for s in self.origins)
        known = tuple(not published_after(f, day) for f in self.figures)
        return self.definition.members_on(day), statuses, known

    def statuses(self, day: Day) -> tuple:
        return tuple((s.id, site_status(s, day)) for s in self.origins)


def _figures(verdict: Verdict) -> list:
    """Every range figure of a check, used or left out, in the data's order."""
    return [e.figure for e in (verdict.with_later or verdict).evaluations]


def _publication_events(verdict: Verdict) -> list[Event]:
    """Return one event per range figure: the day its source was published (when sourced)."""
    out = []
    for e in (verdict.with_later or verdict).evaluations:
        day = published(e.figure)
        if day is not None:
            concerns = (e.system.id,) if e.system is not None else ()
            label = f"{e.layer.title} published"
            out.append(Event(day, "publication", e.layer.title, concerns, label, e.figure.source))
    return out


def _judged_on(request: Request, day: Day, check) -> Verdict:
    """Judge the check as of ``day``; with every figure published later, judge with them.

    Such a step counts no figure (:func:`_step` lists them all as left out), as
    ``claim --as-of`` refuses to judge that day without them.
    """
    asked = _as_of(request, day)
    try:
        return check(asked)
    except ParameterError as err:
        if err.parameter != "use_later_figures":
            raise
        return check(dataclasses.replace(asked, use_later_figures=True))


def _steps(days, state: _State, run, known: dict) -> tuple[list[Step], int]:
    """Judge each day whose state differs from the day before's; return the steps and runs.

    ``run(day)`` judges the check as of a day; ``known`` holds verdicts already
    judged, by day text (the check as asked, as of the claim's date).
    """
    steps: list[Step] = []
    before = None
    runs = 0
    for day, happened in days:
        statuses = state.statuses(day)
        now = state.on(day)
        rechecked = not steps or now != before
        if not rechecked:
            verdict = steps[-1].verdict
        elif day.text in known:
            verdict = known[day.text]
        else:
            verdict, runs = run(day), runs + 1
        steps.append(_step(day, happened, statuses, verdict, rechecked, bool(state.figures)))
        before = now
    return steps, runs


def _request(value: Any, request_type: type) -> Request:
    """Return the request asked for: a Request as it is, a claim id as a named claim."""
    if value is None:
        return request_type()
    if isinstance(value, str):
        return request_type(claim_id=_v.slug(value, "request_or_claim"))
    if not isinstance(value, request_type):
        raise ParameterError(
            "request_or_claim: expected a coverage.checks.Request or a claim id, got "
            f"{type(value).__name__}",
            parameter="request_or_claim",
        )
    return _v.request(value, "request_or_claim")


def _as_of(request: Request, day: Day) -> Request:
    """Return the request judged as of ``day``."""
    return dataclasses.replace(request, as_of=day.text)


def _origin_ids(request: Request, verdict: Verdict, catalog) -> list[str]:
    """Return the ids of the sites the check may launch from, in order.

    The request's sites, a named claim's sites, the verdict's, and for a system
    named without any origin every known site of it (those standing on a day are
    used that day).
    """
    ids = list(request.sites)
    if not request.is_ad_hoc:
        ids += list(verdict.claim.reading.sites)
    elif not request.has_origin:
        ids += [s.id for name in request.systems for s in catalog.sites_of(name)]
    ids += [s.id for s in verdict.sites]
    return list(dict.fromkeys(ids))


def _relevant(found: Iterable[Event], definition_id: str, site_ids: Sequence[str]) -> list[Event]:
    """Keep the events that change what the check reads: its definition, its sites."""
    sites = set(site_ids)
    return [
        e
        for e in found
        if (e.kind in _MEMBERSHIP and definition_id in e.concerns)
        or (e.kind in _SITES and e.subject in sites)
    ]


def _claim_event(claim, day: Day) -> Event:
    """Return the event of the day the claim was made."""
    speaker = getattr(claim, "speaker", None) or claim.id
    source = claim.sources[0] if claim.sources else None
    return Event(day, "claim", claim.id, (), f"claim made ({speaker})", source)


def _group(found: Iterable[Event]) -> list[tuple[Day, tuple[Event, ...]]]:
    """Group events by first day, oldest first (a day to the month before that month's days)."""
    by_day: dict = {}
    for e in sorted(found, key=lambda e: (e.date.first, len(e.date.text), e.date.text)):
        by_day.setdefault(e.date.first, (e.date, []))[1].append(e)
    return [(day, tuple(items)) for day, items in by_day.values()]


def _step(day: Day, happened, sites, verdict: Verdict, rechecked: bool, dated: bool) -> Step:
    """Return one step from its verdict (the counts as ``claim --json`` gives them).

    With ``dated``, a figure published after ``day`` is counted apart (``left_out``):
    those the verdict left out, and all its figures when every one was published
    later (:func:`_judged_on`).
    """
    from .claims import figure_keys
    from .text import numbered

    total = len(verdict.targets)
    used = list(zip(figure_keys(verdict), verdict.evaluations, strict=True))
    late = [(label, e) for label, e in used if dated and published_after(e.figure, day)]
    labels = numbered(e.layer.short_id for e in verdict.left_out)
    late += list(zip(labels, verdict.left_out, strict=True))
    skip = {id(e) for _, e in late}
    counts = tuple(_count(label, e, total) for label, e in used if id(e) not in skip)
    left_out = tuple(_count(label, e, total) for label, e in late)
    return Step(day, happened, counts, sites, verdict, rechecked, left_out)


def _count(label: str, e, total: int) -> Count:
    """Return the count of one evaluation."""
    return Count(
        figure=label,
        system=e.system.id if e.system else None,
        in_range=int(e.targets_in_range),
        total=total,
        holds=bool(e.holds),
    )
