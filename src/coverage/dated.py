"""Dated data: memberships and deployments as of a date, and the list of dated events.

Every claim was made on a date, about alliances and forces as they stood then. This
module reads the dates the data carries and answers "as of DAY":

- :class:`Day` is a date as precise as its source (``"2018"``, ``"2018-02"`` or
  ``"2018-02-05"``), parsed and checked; :func:`as_of` turns a user's value (text,
  :class:`datetime.date`, or None for today) into one.
- :func:`members` gives a definition's members as of a day, from its membership
  history (``history`` in data/definitions.yaml); :func:`definitions_as_of` dates a
  whole set of definitions, for :func:`coverage.targets.load_targets` and the checks.
- :func:`site_status` and :func:`sites` say which sites of the catalogue stand as of
  a day, from their ``since``/``until`` (data/systems.yaml).
- :func:`events` lists every dated step (an accession, a departure, a deployment, a
  withdrawal) with its date, kind, what it concerns and its source, for a timeline.
- :func:`published` and :func:`split_by_publication` tell which range figures were
  published after a day: a check judged as of a day leaves them out unless asked
  (``use_later_figures``), and its :class:`Reading` says which and what they would
  change.

Conventions (also in DESIGN.md):

- ``since`` is the first day a state is a member or a site stands; ``until`` is the
  last day (inclusive); ``until`` null means "still a member" or "still there".
- A date given to the month or the year covers the whole month or year: a ``since``
  of ``"2018-02"`` counts from 2018-02-01, an ``until`` of ``"2017"`` to 2017-12-31.
  A day given to the month or year (``as_of="2022"``) is read as its first day.
- A site without ``since`` has no sourced date: it is never dropped by a date, and
  every output says "date not sourced".
- A range figure's day is its source's ``date``; one published after the day judged
  (its first day later than the day's last) is left out of that day's judgement
  unless asked. A figure whose source has no date (``"n.d."``) is kept, and the
  reading says its date is not sourced.
- A definition without ``history`` is a fixed list (``eu27``, ``europe-all``): the
  same at every date, and outputs say it is not dated. A history starts at
  ``history_from``; a day before it is refused, since no earlier list is sourced.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _validate as _v
from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from .systems import Catalog, Site, Source
    from .targets import Definition

__all__ = [
    "Day",
    "Event",
    "END_NOT_SOURCED",
    "LateFigure",
    "NOT_SOURCED",
    "ListReading",
    "Reading",
    "SiteReading",
    "as_of",
    "changes",
    "claim_day",
    "definitions_as_of",
    "definitions_for",
    "events",
    "in_place",
    "members",
    "published",
    "reading",
    "site_status",
    "sites",
    "split_by_publication",
    "stamped_day",
    "verdict_day",
]

#: What every output says where the data holds no sourced date.
NOT_SOURCED = "date not sourced"
#: A site that has left on a day no source gives (``until: "not sourced"``).
END_NOT_SOURCED = "end date not sourced"

_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_EARLIEST = _dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Day:
    """A date as precise as its source: a day, a month or a year.

    Attributes
    ----------
    text : str
        The date as written (``"2018"``, ``"2018-02"`` or ``"2018-02-05"``).
    first, last : datetime.date
        The first and the last day the text covers (the same day for a full date).
    """

    text: str
    first: _dt.date
    last: _dt.date

    @classmethod
    def parse(cls, value: Any, *, parameter: str = "as_of") -> Day:
        """Read ``value`` (ISO text to the year, month or day, a date, or a Day).

        Parameters
        ----------
        value : str, datetime.date or Day
            E.g. ``"2018-02-05"``, ``"2018-02"``, ``"2018"`` or ``date(2018, 2, 5)``.
        parameter : str, default "as_of"
            The name the error message gives the value.

        Returns
        -------
        Day

        Raises
        ------
        ParameterError
            If the value is not such a date, or not a real one (``"2018-02-30"``).
        """
        _v.text(parameter, "parameter")
        if isinstance(value, Day):
            return value
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return cls(value.isoformat(), value, value)
        if not isinstance(value, str):
            raise ParameterError(
                f"{parameter}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, "
                f"got {type(value).__name__}",
                parameter=parameter,
            )
        return _day_from_text(value.strip(), parameter)

    @classmethod
    def _from_text(cls, text: str, parameter: str) -> Day:
        match = _DAY.match(text)
        if match is None:
            raise ParameterError(
                f"{parameter}: {text[:40]!r} is not a date; give YYYY-MM-DD, YYYY-MM or YYYY",
                parameter=parameter,
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if month is None:
                first, last = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
            elif day is None:
                first = _dt.date(year, month, 1)
                last = _dt.date(year, month, calendar.monthrange(year, month)[1])
            else:
                first = last = _dt.date(year, month, day)
        except ValueError:
            raise ParameterError(
                f"{parameter}: {text!r} is not a real date", parameter=parameter
            ) from None
        if first < _EARLIEST:
            raise ParameterError(
                f"{parameter}: {text!r} is before {_EARLIEST.year}; the data holds no earlier "
                "dates",
                parameter=parameter,
            )
        return cls(text, first, last)

    @classmethod
    def today(cls) -> Day:
        """Today (UTC)."""
        return cls.parse(_dt.datetime.now(_dt.timezone.utc).date())

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        return {10: "day", 7: "month"}.get(len(self.text), "year")

    def __str__(self) -> str:
        return self.text


def checked_text(value: str) -> str:
    """Return ``value`` if it is a real date to the year, month or day (a data file's field).

    Raises
    ------
    ValueError
        Saying what is wrong, without a parameter name (the loader names the file
        and the field).
    """
    try:
        Day.parse(value, parameter="date")
    except ParameterError as err:
        raise ValueError(str(err).removeprefix("date: ")) from None
    return value


@functools.lru_cache(maxsize=4096)
def _day_from_text(text: str, parameter: str) -> Day:
    """Parse ISO text once (the data repeats its dates; a Day is immutable)."""
    return Day._from_text(text, parameter)


def as_of(value: Any = None, *, parameter: str = "as_of") -> Day:
    """Return the day asked for, or today when ``value`` is None.

    Raises
    ------
    ParameterError
        If ``value`` is not a date (see :meth:`Day.parse`).
    """
    return Day.today() if value is None else Day.parse(value, parameter=parameter)


def holds(since: Day | None, until: Day | None, day: Day) -> bool:
    """Whether a spell from ``since`` to ``until`` (inclusive; None: open) covers ``day``.

    A ``since`` or ``until`` to the month or year covers its whole period; ``day``
    counts from its first day.
    """
    start_ok = since is None or since.first <= day.first
    return start_ok and (until is None or day.first <= until.last)


def claim_day(claim: Any) -> Day | None:
    """Return the day a claim was made (its ``date``), or None when it has none.

    A claim dated to the month or year (``"2022"``) gives that period; it is judged
    as of its first day.
    """
    text = getattr(claim, "date", None)
    if not text or text == "n.d.":
        return None
    try:
        return Day.parse(text, parameter="date")
    except ParameterError:
        return None


def definitions_for(claim: Any = None, day: Any = None, definitions=None) -> dict:
    """Return the definitions a check is judged under, each stamped with its day.

    Parameters
    ----------
    claim : Claim, optional
        Without ``day``, the claim's own date is used (today if it has none).
    day : str, datetime.date or Day, optional
        The day asked for; by default the claim's date, else today.
    definitions : dict, optional
        Definitions by id; by default the bundled ones.

    Returns
    -------
    dict of str to Definition
        Copies as of that day (see :meth:`coverage.targets.Definition.on`).

    Raises
    ------
    ParameterError
        If ``day`` is not a date, or is before a dated definition's history.
    """
    from .targets import load_definitions

    _definitions(definitions, optional=True)
    when = as_of(day) if day is not None else (claim_day(claim) or Day.today())
    known = definitions if definitions is not None else load_definitions()
    return definitions_as_of(known, when)


# ---------------------------------------------------------------- memberships


def members(definition: Definition | str, day: Any = None, *, definitions=None) -> frozenset[str]:
    """Return the ISO 3166 alpha-2 codes of a definition's members as of ``day``.

    Parameters
    ----------
    definition : Definition or str
        A definition, or its id among ``definitions``.
    day : str, datetime.date or Day, optional
        The day; by default today.
    definitions : dict, optional
        Definitions by id, for a definition given by id; by default the bundled ones.

    Returns
    -------
    frozenset of str
        The members that day. A fixed list (no history) gives its members at any date.

    Raises
    ------
    ParameterError
        If ``day`` is not a date, or is before the start of the definition's history.
    UnknownNameError
        If the definition id is not known.
    """
    from .targets import Definition

    _v.instance(definition, "definition", (Definition, str))
    _v.mapping(definitions, "definitions", optional=True)
    chosen = _definition(definition, definitions)
    return chosen.members_on(as_of(day))


def _definition(definition, definitions):
    if not isinstance(definition, str):
        return definition
    from .errors import UnknownNameError
    from .targets import load_definitions

    known = definitions if definitions is not None else load_definitions()
    if definition not in known:
        raise UnknownNameError("definition", definition, known)
    return known[definition]


def definitions_as_of(definitions: Mapping[str, Definition], day: Any = None) -> dict:
    """Return every definition as it stood on ``day``, by id, in the same order.

    A dated definition's copy has that day's ``members``, ``count`` and ``as_of``; a
    fixed list is returned as it is.

    Raises
    ------
    ParameterError
        If ``day`` is not a date, or is before a dated definition's history.
    """
    _definitions(definitions)
    when = as_of(day)
    return {key: d.on(when) for key, d in definitions.items()}


def _definitions(definitions: Any, *, optional: bool = False) -> None:
    """Refuse anything but a mapping of ids to Definitions (ParameterError)."""
    _v.mapping(definitions, "definitions", optional=optional)
    if definitions is not None:
        _v.definition_sequence(tuple(definitions.values()), "definitions")


@dataclass(frozen=True)
class Change:
    """How a definition's members differ between two days.

    Attributes
    ----------
    definition : str
        The definition id.
    joined, left : tuple of str
        ISO codes that are members on the later day only, and on the earlier only.
    count_before, count_after : int
        Member counts on the earlier and on the later day.
    """

    definition: str
    joined: tuple[str, ...]
    left: tuple[str, ...]
    count_before: int
    count_after: int

    def __bool__(self) -> bool:
        return bool(self.joined or self.left)


def changes(definition: Definition, before: Any, after: Any = None) -> Change:
    """Return what changes in ``definition``'s members from ``before`` to ``after`` (today).

    Raises
    ------
    ParameterError
        If a day is not a date or is before the definition's history.
    """
    from .targets import Definition

    _v.instance(definition, "definition", Definition)
    old = definition.members_on(as_of(before, parameter="before"))
    new = definition.members_on(as_of(after, parameter="after"))
    return Change(
        definition.id, tuple(sorted(new - old)), tuple(sorted(old - new)), len(old), len(new)
    )


# ---------------------------------------------------------------- sites


def site_status(site: Site, day: Any = None) -> str:
    """Say whether ``site`` stands as of ``day`` (today by default).

    Returns
    -------
    str
        ``"in place"``, ``"not yet"`` (before its ``since``), ``"gone"`` (after its
        ``until``), :data:`NOT_SOURCED` (no ``since`` in the data) or
        :data:`END_NOT_SOURCED` (after its ``since``, with ``until: "not sourced"``:
        it left on a day no source gives).

    Raises
    ------
    ParameterError
        If ``day`` is not a date.
    """
    _v.site(site)
    when = as_of(day)
    if site.since is None or site.since == "n.d.":
        return NOT_SOURCED
    since = Day.parse(site.since, parameter="since")
    if when.first < since.first:
        return "not yet"
    if site.until == "not sourced":
        return END_NOT_SOURCED
    until = Day.parse(site.until, parameter="until") if site.until else None
    return "in place" if holds(since, until, when) else "gone"


def in_place(site: Site, day: Any = None) -> bool:
    """Whether ``site`` may stand as of ``day``: in place, or its date is not sourced.

    Raises
    ------
    ParameterError
        If ``day`` is not a date.
    """
    return site_status(site, day) in {"in place", NOT_SOURCED, END_NOT_SOURCED}


def sites(catalog: Catalog | None = None, day: Any = None, *, undated: bool = True) -> list:
    """Return the catalogue's sites that stand as of ``day`` (today by default).

    Parameters
    ----------
    catalog : Catalog, optional
        By default the bundled catalogue.
    day : str, datetime.date or Day, optional
        The day.
    undated : bool, default True
        Keep the sites whose date (or end date) is not sourced: they cannot be
        dropped by a date, and :func:`site_status` says so.

    Returns
    -------
    list of Site
        In catalogue order.
    """
    from .systems import load_catalog

    _v.catalog(catalog, optional=True)
    _v.flag(undated, "undated")
    when = as_of(day)
    known = catalog if catalog is not None else load_catalog()
    if undated:
        return [s for s in known.sites.values() if in_place(s, when)]
    return [s for s in known.sites.values() if site_status(s, when) == "in place"]


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Event:
    """One dated step: a state joins or leaves, a site is deployed or withdrawn.

    Attributes
    ----------
    date : Day
        The first day the change holds (for a departure, the day after ``until``,
        to the same precision).
    kind : {"accession", "departure", "deployment", "withdrawal"}
    subject : str
        The ISO code of the state, or the site id.
    concerns : tuple of str
        The definition id, or the site's system ids (``("garrison",)`` for a garrison).
    label : str
        One line a reader can take in, e.g. ``"GB leaves eu"``.
    source : Source or None
        Where the date comes from.
    """

    date: Day
    kind: str
    subject: str
    concerns: tuple[str, ...]
    label: str
    source: Source | None

    def as_dict(self) -> dict:
        """Return the event as JSON-ready data (the source as a mapping, or None)."""
        from .systems import source_dict

        return {
            "date": self.date.text,
            "kind": self.kind,
            "subject": self.subject,
            "concerns": list(self.concerns),
            "label": self.label,
            "source": source_dict(self.source),
        }


def _after(day: Day) -> Day:
    """Return the period right after ``day``, to the same precision."""
    nxt = day.last + _dt.timedelta(days=1)
    text = {"day": nxt.isoformat(), "month": nxt.isoformat()[:7]}.get(day.precision, str(nxt.year))
    return Day.parse(text)


def membership_events(definition: Definition) -> Iterable[Event]:
    """Yield a definition's accessions and departures (see :func:`events`), in file order."""
    for spell in definition.history or ():
        source = definition.sources.get(spell.source) if spell.source else None
        if spell.since is not None:
            yield Event(
                Day.parse(spell.since),
                "accession",
                spell.member,
                (definition.id,),
                f"{spell.member} joins {definition.id}",
                source,
            )
        if spell.until is not None:
            yield Event(
                _after(Day.parse(spell.until)),
                "departure",
                spell.member,
                (definition.id,),
                f"{spell.member} leaves {definition.id} (member until {spell.until})",
                source,
            )


def _site_events(site: Site, role: str) -> Iterable[Event]:
    concerns = tuple(site.systems) or (role,)
    what = ", ".join(concerns)
    if site.since and site.since != "n.d.":
        yield Event(
            Day.parse(site.since),
            "deployment",
            site.id,
            concerns,
            f"{what} at {site.name}",
            site.deployment_source,
        )
    if site.until and site.until != "not sourced":
        yield Event(
            _after(Day.parse(site.until)),
            "withdrawal",
            site.id,
            concerns,
            f"{what} leaves {site.name} (there until {site.until})",
            site.until_source or site.deployment_source,
        )


def events(definitions: Mapping[str, Definition] | None = None, catalog=None) -> list[Event]:
    """List every dated step of the definitions' histories and the sites, oldest first.

    Parameters
    ----------
    definitions : dict, optional
        Definitions by id; by default the bundled ones.
    catalog : Catalog, optional
        By default the bundled catalogue.

    Returns
    -------
    list of Event
        Sorted by first day, then kind and subject. Sites without a sourced date give
        no event (see :func:`site_status`).
    """
    from .systems import load_catalog
    from .targets import load_definitions

    _definitions(definitions, optional=True)
    _v.catalog(catalog, optional=True)
    defs = definitions if definitions is not None else load_definitions()
    known = catalog if catalog is not None else load_catalog()
    out: list[Event] = []
    for d in defs.values():
        out.extend(membership_events(d))
    for s in known.sites.values():
        out.extend(_site_events(s, known.role_of(s)))
    return sorted(out, key=lambda e: (e.date.first, e.kind, e.subject))


# ---------------------------------------------------------------- range figures


def published(figure: Any) -> Day | None:
    """Return the day a range figure's source was published, or None when not sourced.

    Parameters
    ----------
    figure : RangeEstimate
        A range figure (its ``source.date``; ``"n.d."``, none or an unreadable date
        give None: never guessed).

    Returns
    -------
    Day or None
    """
    date = getattr(getattr(figure, "source", None), "date", None)
    if not date or date == "n.d.":
        return None
    try:
        return Day.parse(date, parameter="date")
    except ParameterError:
        return None


def published_after(figure: Any, day: Day) -> bool:
    """Whether ``figure``'s source was published after ``day`` (a date not sourced: no).

    A publication date to the month or year counts from its first day, and a day
    judged to the month or year to its last: only a figure surely published later
    is left out.
    """
    when = published(figure)
    return when is not None and when.first > day.last


def split_by_publication(covering: Iterable[Any], day: Day | None) -> tuple[list, list]:
    """Split envelopes into those whose figure was published by ``day`` and the later ones.

    Parameters
    ----------
    covering : iterable of Envelope
        Envelopes, each with its range figure (``figure.source.date``).
    day : Day or None
        The day judged; None keeps every envelope (nothing is left out).

    Returns
    -------
    (list of Envelope, list of Envelope)
        The envelopes used and those left out, each in the given order.

    Raises
    ------
    ParameterError
        If ``covering`` is not a sequence of Envelopes or ``day`` not a Day.
    """
    covering = _v.envelope_sequence(covering, "covering")
    _v.instance(day, "day", Day, optional=True)
    used: list = []
    later: list = []
    for e in covering:
        (later if day is not None and published_after(e.figure, day) else used).append(e)
    return used, later


def stamped_day(definitions: Mapping[str, Any] | None) -> Day | None:
    """Return the day a set of definitions stands for (:meth:`Definition.on`), or None.

    None when no definition carries a day: definitions given undated are judged as
    given, and nothing is left out for a date.

    Raises
    ------
    ParameterError
        If ``definitions`` is not a mapping of ids to Definitions.
    """
    _definitions(definitions, optional=True)
    for d in (definitions or {}).values():
        if getattr(d, "day", None) is not None:
            return d.day
    return None


@dataclass(frozen=True)
class LateFigure:
    """A range figure whose source was published after the day judged.

    Attributes
    ----------
    key : str
        ``"L1"``, ``"L2"``... for a figure left out (the key of its source in the
        report), or the figure's own ``"F1"``... when it is used as asked.
    label : str
        E.g. ``"Iskander-M — declared 50–500 km"``.
    published : str
        The source's date, as written.
    used : bool
        True when it was used as asked (``use_later_figures``); False: left out.
    in_range, count : int
        Targets in range at this figure, and targets judged (left out: what it
        would have counted).
    holds : bool
        Whether the claim holds at this figure.
    """

    key: str
    label: str
    published: str
    used: bool
    in_range: int
    count: int
    holds: bool

    def as_dict(self) -> dict:
        """Return the figure as JSON-ready data."""
        return {
            "key": self.key,
            "figure": self.label,
            "source_date": self.published,
            "used": self.used,
            "targets_in_range": self.in_range,
            "targets_count": self.count,
            "holds": self.holds,
        }


# ---------------------------------------------------------------- a verdict as of a day


@dataclass(frozen=True)
class ListReading:
    """One definition on the day judged, and on the other day of the comparison.

    Attributes
    ----------
    id : str
    dated : bool
        False for a fixed list (the same at every date).
    count, count_other : int
        Members on the day judged and on the other day.
    with_, without : tuple of str
        ISO codes that are members on the other day only, and on the day judged only.
    steps : tuple of Event
        The accessions and departures between the two days, with their sources.
    """

    id: str
    dated: bool
    count: int
    count_other: int
    with_: tuple[str, ...]
    without: tuple[str, ...]
    steps: tuple[Event, ...]

    def as_dict(self) -> dict:
        """Return the row as JSON-ready data."""
        return {
            "id": self.id,
            "dated": self.dated,
            "count": self.count,
            "count_other": self.count_other,
            "with": list(self.with_),
            "without": list(self.without),
            "steps": [e.as_dict() for e in self.steps],
        }


@dataclass(frozen=True)
class SiteReading:
    """One site of a verdict on the day judged and on the other day.

    Attributes
    ----------
    id, name : str
    since, until : str or None
        As in the data (``until`` None: still there).
    status, status_other : str
        :func:`site_status` on each day.
    """

    id: str
    name: str
    since: str | None
    until: str | None
    status: str
    status_other: str

    def as_dict(self) -> dict:
        """Return the row as JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "since": self.since,
            "until": self.until,
            "status": self.status,
            "status_other": self.status_other,
        }


@dataclass(frozen=True)
class Reading:
    """What a verdict was judged as of, and what the other day's lists and sites change.

    A bundled claim is judged as of its own date; the other day is then today. When
    a check is judged as of another day (``as_of``), the other day is the claim's
    own date (today for an ad hoc check).

    Attributes
    ----------
    day, other : Day
        The day judged, and the day compared with.
    other_is : {"today", "the claim's date"}
    claim_day : Day or None
        The claim's own date (None for an ad hoc check).
    lists : tuple of ListReading
        The verdict's definitions (its own first, then those it is compared under).
    sites : tuple of SiteReading
        The catalogue sites the verdict launches from or defends with.
    late_figures : tuple of LateFigure
        Each range figure whose source was published after the day judged: left out
        (keys ``L1``...) or, when asked (``use_later_figures``), used (its ``F`` key).
    undated_figures : tuple of (str, str)
        ``(key, label)`` of each figure used whose source has no date: kept, since
        no publication date is sourced.
    with_later : dict of str to (str, str)
        What leaving the figures out changes: per question (``"reach"``, and the
        claim's own question when it is another), ``(word with them, word
        without)``; only the questions whose word changes.
    """

    day: Day
    other: Day
    other_is: str
    claim_day: Day | None
    lists: tuple[ListReading, ...]
    sites: tuple[SiteReading, ...]
    late_figures: tuple[LateFigure, ...] = ()
    undated_figures: tuple[tuple[str, str], ...] = ()
    with_later: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def left_out(self) -> tuple[LateFigure, ...]:
        """The figures left out of the judgement (published after the day judged)."""
        return tuple(f for f in self.late_figures if not f.used)

    def left_out_lines(self) -> list[str]:
        """Return the sentences on the figures left out and what they would change."""
        day = self.day.text
        out = [
            f"{f.key} {f.label} (source published {f.published}) left out: published after "
            f"{day}; with it, {f.in_range} of {f.count} in range."
            for f in self.left_out
        ]
        if out:
            them = "it" if len(out) == 1 else "them"
            changed = [
                f"the {'' if q == 'reach' else q + ' '}verdict would be {w.upper()}, "
                f"not {was.upper()}"
                for q, (w, was) in self.with_later.items()
            ]
            same = "the verdict would be the same"
            out.append(f"With {them}, " + ("; ".join(changed) if changed else same) + ".")
        return out

    @property
    def changed(self) -> bool:
        """Whether a list or a site's status differs on the other day."""
        return any(r.with_ or r.without for r in self.lists) or any(
            s.status != s.status_other for s in self.sites
        )

    @property
    def day_is(self) -> str:
        """``"the claim's date"``, ``"today"`` or ``"asked"``: why the day judged."""
        if self.claim_day is not None and self.claim_day.text == self.day.text:
            return "the claim's date"
        return "today" if self.day.text == Day.today().text else "asked"

    def lines(self) -> list[str]:
        """Return the reading in sentences, for the notes of every output."""
        out = [
            f"Judged as of {self.day.text} ({self.day_is}): each definition's members "
            "and each site as they stood that day."
        ]
        if self.day.precision != "day":
            out[0] += f" A date to the {self.day.precision} is read as its first day."
        fixed = [r.id for r in self.lists if not r.dated]
        if fixed:
            out.append(f"Fixed lists, the same at every date: {', '.join(fixed)}.")
        out += [line for s in self.sites if (line := _site_line(s, self))]
        out += _figure_lines(self)
        moved = [_list_words(r) for r in self.lists if r.with_ or r.without]
        other = f"As of {self.other.text} ({self.other_is})"
        if moved:
            out.append(f"{other} instead: " + "; ".join(moved) + ".")
        elif not self.changed and self.other.text != self.day.text:
            out.append(f"{other}, nothing in these lists or sites changes.")
        return out

    def as_dict(self) -> dict:
        """Return the reading as JSON-ready data."""
        return {
            "as_of": self.day.text,
            "as_of_is": self.day_is,
            "compared_with": self.other.text,
            "compared_with_is": self.other_is,
            "changed": self.changed,
            "definitions": [r.as_dict() for r in self.lists],
            "sites": [s.as_dict() for s in self.sites],
            "figures_published_later": [f.as_dict() for f in self.late_figures],
            "figures_undated": [{"key": k, "figure": label} for k, label in self.undated_figures],
            "with_figures_left_out": {
                question: {"verdict": words[0], "instead_of": words[1]}
                for question, words in self.with_later.items()
            },
        }


def _figure_lines(reading: Reading) -> list[str]:
    """Say which figures were left out as published later, used as asked, or undated."""
    day = reading.day.text
    out = reading.left_out_lines()
    used = [f"{f.key} {f.label} ({f.published})" for f in reading.late_figures if f.used]
    if used:
        out.append(f"Published after {day}, used as asked: " + "; ".join(used) + ".")
    if reading.undated_figures and reading.day.text != Day.today().text:
        undated = "; ".join(f"{k} {label}" for k, label in reading.undated_figures)
        out.append(f"Publication date not sourced, so kept as of {day}: {undated}.")
    return out


def _list_words(row: ListReading) -> str:
    text = f"{row.id} {row.count_other} members, not {row.count}"
    parts = []
    if row.with_:
        parts.append("with " + ", ".join(row.with_))
    if row.without:
        parts.append("without " + ", ".join(row.without))
    return text + f" ({'; '.join(parts)})"


def _site_line(site: SiteReading, reading: Reading) -> str | None:
    """Say what a site's dates mean for the verdict, when it is not simply in place."""
    if site.status == NOT_SOURCED:
        return f"{site.name}: {NOT_SOURCED}; used as the claim's reading gives it."
    if site.status == END_NOT_SOURCED:
        return f"{site.name}: there since {site.since}; {END_NOT_SOURCED}."
    if site.status != "in place":
        since = f"since {site.since}" + (f", until {site.until}" if site.until else "")
        return (
            f"{site.name}: {site.status} as of {reading.day.text} ({since}), judged as the "
            f"claim's reading gives it; {site.status_other} as of {reading.other.text}."
        )
    if site.status_other != site.status:
        return f"{site.name}: {site.status_other} as of {reading.other.text}."
    return None


def verdict_day(verdict: Any) -> Day | None:
    """Return the day a verdict was judged as of: its definitions' day, or None.

    None for a verdict judged on definitions given without a day (see
    :meth:`coverage.targets.Definition.on`).
    """
    _v.verdict(verdict)
    return _verdict_day(verdict)


def _verdict_day(verdict: Any) -> Day | None:
    """Return the day a verdict's definitions stand for (see :meth:`Definition.on`)."""
    chosen = verdict.targets.definition
    stamped = [chosen] if chosen is not None else []
    stamped += [o.definition for o in verdict.by_definition]
    for d in stamped:
        if getattr(d, "day", None) is not None:
            return d.day
    return None


def _verdict_lists(verdict: Any, day: Day, other: Day) -> tuple[ListReading, ...]:
    seen: dict[str, Any] = {}
    if verdict.targets.definition is not None:
        seen[verdict.targets.definition.id] = verdict.targets.definition
    for o in verdict.by_definition:
        seen.setdefault(o.definition.id, o.definition)
    rows = []
    lo, hi = sorted((day, other), key=lambda d: d.first)
    for d in seen.values():
        change = changes(d, day, other)
        steps = tuple(e for e in membership_events(d) if lo.first < e.date.first <= hi.first)
        rows.append(
            ListReading(
                d.id, d.dated, change.count_before, change.count_after,
                change.joined, change.left, steps,
            )
        )  # fmt: skip
    return tuple(rows)


def _verdict_sites(verdict: Any) -> list:
    """Return the catalogue sites of a verdict: its origins, then its defences' sites."""
    sites = list(verdict.sites) + [c.defence.site for c in getattr(verdict, "defences", ())]
    seen: dict[str, Any] = {}
    for s in sites:
        if s.since is not None or s.deployment_source is not None:
            seen.setdefault(s.id, s)
    return list(seen.values())


def reading(verdict: Any) -> Reading | None:
    """Return what a verdict was judged as of, and what the other day changes.

    Parameters
    ----------
    verdict : coverage.claims.Verdict

    Returns
    -------
    Reading or None
        None when the verdict's definitions carry no day (a verdict of
        :func:`coverage.claims.judge` on targets loaded without dating).
    """
    _v.verdict(verdict)
    day = _verdict_day(verdict)
    if day is None:
        return None
    claim = claim_day(verdict.claim)
    today = Day.today()
    if claim is not None and claim.text != day.text:
        other, other_is = claim, "the claim's date"
    else:
        other, other_is = today, "today"
    sites = tuple(
        SiteReading(
            s.id, s.name, s.since, s.until, site_status(s, day), site_status(s, other)
        )
        for s in _verdict_sites(verdict)
    )  # fmt: skip
    lists = _verdict_lists(verdict, day, other)
    return Reading(
        day, other, other_is, claim, lists, sites, _late_figures(verdict, day),
        _undated_figures(verdict), _with_later(verdict),
    )  # fmt: skip


def _late_figure(key: str, e: Any, used: bool) -> LateFigure:
    count = len(e.in_range)
    return LateFigure(
        key, e.layer.title, e.figure.source.date, used, int(e.targets_in_range), count,
        bool(e.holds),
    )  # fmt: skip


def _late_figures(verdict: Any, day: Day) -> tuple[LateFigure, ...]:
    """Return the figures published after ``day``: used as asked (F keys), left out (L keys)."""
    used = [
        _late_figure(f"F{i}", e, True)
        for i, e in enumerate(verdict.evaluations, 1)
        if published_after(e.figure, day)
    ]
    left = [_late_figure(f"L{i}", e, False) for i, e in enumerate(verdict.left_out, 1)]
    return tuple(used + left)


def _undated_figures(verdict: Any) -> tuple[tuple[str, str], ...]:
    """Return ``(key, label)`` of each sourced figure used whose source gives no date."""
    return tuple(
        (f"F{i}", e.layer.title)
        for i, e in enumerate(verdict.evaluations, 1)
        if e.figure.source is not None and published(e.figure) is None
    )


def _with_later(verdict: Any) -> dict[str, tuple[str, str]]:
    """Return the reach verdict with the figures left out, when it differs from the verdict's."""
    alt = getattr(verdict, "with_later", None)
    if alt is None or alt.verdict == verdict.verdict:
        return {}
    return {"reach": (alt.verdict, verdict.verdict)}
