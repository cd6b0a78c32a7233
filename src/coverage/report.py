"""One report per verdict: the question a claim asks, its answer, and the rows behind it.

A :class:`~coverage.claims.Verdict` holds numbers; a :class:`Report` says what they
come to, once, for every output: the terminal tables, the JSON, the Leaflet page's
bar, badge, panel and popups, the static figure's header, legend and footer, the
xlsx verdict sheet and a notebook's view. None of them computes a count, a margin
or a sentence of its own; they lay out what :func:`report_for` gives.

The question follows the claim's reading:

- ``"defence"`` when it names defences (``defences: [SYSTEM@SITE]``): the answer is
  the defence verdict (``inside``, ``partly inside``, ``outside``);
- ``"time"`` when it states a time (``time_min``): the answer is the time band
  (``impossible``, ``only on a depressed trajectory``, ``consistent`` ...), or
  ``depends on range`` when the range figures give different bands;
- ``"reach"`` otherwise: ``true``, ``false`` or ``depends on range``.

The reach verdict is kept for every claim (:attr:`Report.reach`).

Distances and ranges are in kilometres, times in minutes, people in persons.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from . import _validate as _v

if TYPE_CHECKING:  # pragma: no cover
    from .claims import Evaluation, Verdict
    from .dated import Reading
    from .defences import HorizonTable
    from .stakes import Stakes, TimeJudgement
    from .systems import Source

__all__ = [
    "Question",
    "NoteKind",
    "Headline",
    "Reason",
    "Note",
    "SourceRow",
    "FigureRow",
    "OriginRow",
    "DefinitionRow",
    "DefenceRow",
    "DefenceTargetRow",
    "Report",
    "report_for",
    "question_of",
    "no_range_because",
    "range_needed_text",
    "summary",
    "report_html",
    "REASONS",
    "TIME_WORDS",
    "TIME_REASONS",
]

Question = Literal["reach", "defence", "time"]
NoteKind = Literal["model", "source", "limitation", "not_modelled"]

#: Why no maximum range makes a reach claim hold, code -> sentence.
REASONS: dict[str, str] = {
    "too_few_targets": "there are fewer targets than the claim needs",
    "inside_minimum_range": "too many targets lie inside the minimum range",
    "outside_sector": "too many targets lie outside the sector",
    "inside_minimum_range_or_outside_sector": (
        "too many targets lie inside the minimum range or outside the sector"
    ),
    "beyond_antipodal_distance": (
        "too many targets lie beyond the antipodal distance, farther than any range reaches"
    ),
}

#: Time bands, from the fastest claim to the slowest (:func:`coverage.stakes.judge_time`).
TIME_WORDS = (
    "impossible",
    "only on a depressed trajectory",
    "faster than the model",
    "consistent",
    "slower than the model",
    "no model",
    "out of range",
)

#: Reason codes of a time headline beyond the band words themselves, code -> sentence.
TIME_REASONS: dict[str, str] = {
    "impossible": (
        "even the fastest possible arrival (the chord at the highest speed, plus the boost "
        "phase where the system or its propellant class has a sourced figure) is later than "
        "the latest time the claim allows"
    ),
    "straddles_band_boundary": (
        "the interval the claim's words allow straddles a boundary between time bands: "
        "the verdict names every band it touches"
    ),
    "figures_disagree": "the range figures give different time bands",
}


@dataclass(frozen=True)
class Reason:
    """Why the headline is what it is: a stable code and a sentence.

    Attributes
    ----------
    code : str
        E.g. ``"holds_at_every_figure"``, ``"outside_sector"``,
        ``"inside_minimum_range"``, ``"inside"``, ``"impossible"``,
        ``"figures_disagree"``.
    text : str
        The same in words, with its numbers (km, minutes).
    """

    code: str
    text: str


@dataclass(frozen=True)
class Headline:
    """The answer to the claim's own question.

    Attributes
    ----------
    question : {"reach", "defence", "time"}
    word : str
        The verdict word answering that question, lower case (``"false"``,
        ``"inside"``, ``"impossible"`` ...). Every output shows this word.
    line : str
        One short line for a bar or a title: the word in capitals and the decisive
        numbers (counts; km; minutes).
    reason : Reason
    """

    question: Question
    word: str
    line: str
    reason: Reason


@dataclass(frozen=True)
class Note:
    """A note an output prints beside the numbers.

    Attributes
    ----------
    kind : {"model", "source", "limitation", "not_modelled"}
        ``model``: how a number is computed; ``source``: where data comes from;
        ``limitation``: what a number does not say; ``not_modelled``: what the
        model leaves out.
    text : str
    """

    kind: NoteKind
    text: str


@dataclass(frozen=True)
class SourceRow:
    """A source with the key the rows cite it by.

    Attributes
    ----------
    key : str
        ``"C1"``... for the claim's sources, ``"F1"``... for the range figures
        (the figure's own key), ``"S1"``... for the sites.
    about : str
        What it is the source of, e.g. ``"claim grybauskaite-2018-capitals"``,
        ``"iskander-m declared 50–500 km"``, ``"site chernyakhovsk"``.
    source : Source or None
        None for a range given by the user.
    """

    key: str
    about: str
    source: Source | None

    @property
    def short(self) -> str:
        """E.g. ``"TASS, 2015-07-13"`` (publisher or title, and date); ``"given by the user"``."""
        s = self.source
        if s is None:
            return "given by the user"
        date = s.date if s.date != "n.d." else ""
        return ", ".join(b for b in (s.publisher or s.title, date) if b)

    @property
    def text(self) -> str:
        """Title (publisher, date) and link on one line, or ``"(given by the user)"``."""
        s = self.source
        if s is None:
            return "(given by the user)"
        head = ", ".join(b for b in (s.publisher or "", s.date if s.date != "n.d." else "") if b)
        return f"{s.title}" + (f" ({head})" if head else "") + f" {s.url}"


@dataclass(frozen=True)
class FigureRow:
    """The claim at one range figure (one evaluation).

    Attributes
    ----------
    key : str
        ``"F1"``, ``"F2"``... in the order of ``Verdict.evaluations``; also the key
        of the figure's source in :attr:`Report.sources`.
    label : str
        The distinct key of the figure in JSON (``margin_km_by_figure``), e.g.
        ``"iskander-m declared 50–500 km"``.
    title : str
        E.g. ``"declared 50–500 km, sector 300°–60°"``.
    system : str
        System id, or ``"given"`` for a range given in km.
    kind : str
        ``"declared"``, ``"estimated"`` or ``"given"``.
    against : str
        What the figure is against (``"surface"``, ``"aircraft"`` ...).
    min_km, max_km : float
        Minimum and maximum range, km.
    sector : str or None
        E.g. ``"300°–60°"``; None in every direction.
    range_text : str
        E.g. ``"50–500"``, ``"500 in 300°–60°"`` (km).
    in_range, count : int
        Targets in range, and targets judged.
    share : float
        ``in_range / count``.
    holds : bool
        Whether the claim holds at this figure.
    range_needed_km : float
        The range at which the claim would hold with this figure's minimum range,
        km (``inf`` if none).
    people, places : int
        Persons in range and the places (1,000+ inhabitants) they live in.
    defended, undefended : int or None
        With defences: targets in range inside at least one defence envelope, and
        outside all; None without defences.
    time : TimeJudgement or None
        The claimed time judged at this figure (time claims only).
    """

    key: str
    label: str
    title: str
    system: str
    kind: str
    against: str
    min_km: float
    max_km: float
    sector: str | None
    range_text: str
    in_range: int
    count: int
    share: float
    holds: bool
    range_needed_km: float
    people: int
    places: int
    defended: int | None = None
    undefended: int | None = None
    time: TimeJudgement | None = None

    @property
    def source_key(self) -> str:
        """The key of this figure's source in :attr:`Report.sources` (the figure's key)."""
        return self.key

    @property
    def short(self) -> str:
        """E.g. ``"50–500 km D"`` (D declared, E estimated, G given)."""
        return f"{self.range_text} km {self.kind[0].upper()}"


@dataclass(frozen=True)
class OriginRow:
    """The same check from one choice of origins (the towns, or the whole area).

    Attributes
    ----------
    label : str
        E.g. ``"anywhere in Kaliningrad Oblast"``.
    used : bool
        Whether this is the choice the verdict judges.
    in_range : tuple of int
        Targets in range, per figure.
    people, places : tuple of int
        Persons in range and their places, per figure.
    range_needed_km : float
        km (``inf`` if no range would do).
    verdict : str
        The reach verdict from these origins.
    """

    label: str
    used: bool
    in_range: tuple[int, ...]
    people: tuple[int, ...]
    places: tuple[int, ...]
    range_needed_km: float
    verdict: str


@dataclass(frozen=True)
class DefinitionRow:
    """The same check under another definition of "Europe's capitals".

    Attributes
    ----------
    id, name : str
    used : bool
        Whether the verdict judges under this definition.
    count, required : int
        Targets under the definition, and how many must be in range.
    in_range : tuple of int
        Targets in range, per figure.
    range_needed_km : float
        km (``inf`` if no range would do).
    verdict : str
        The reach verdict under this definition.
    """

    id: str
    name: str
    used: bool
    count: int
    required: int
    in_range: tuple[int, ...]
    range_needed_km: float
    verdict: str


@dataclass(frozen=True)
class DefenceRow:
    """What one defence covers against the threat's class.

    Attributes
    ----------
    id : str
        ``"SYSTEM@SITE"``.
    km : float or None
        The effective maximum range used, km (None: no sourced figure, no cover).
    covers, count : int
        Targets inside its envelope, and targets judged.
    how : str
        The figure used and how it was derived or capped.
    horizon : HorizonTable or None
        The radar horizon across antenna heights and target altitudes, where a
        horizon caps the envelope (:func:`coverage.defences.horizon_table`).
    """

    id: str
    km: float | None
    covers: int
    count: int
    how: str
    horizon: HorizonTable | None = None


@dataclass(frozen=True)
class DefenceTargetRow:
    """One target against one defence, for a claim about a defence.

    Attributes
    ----------
    target, iso_a2 : str
    defence, site : str
        ``"SYSTEM@SITE"`` and the site's name.
    distance_km : float
        Exact geodesic distance from the defence's site, km.
    km : float or None
        The envelope used, km (None: no sourced figure against the class).
    margin_km : float or None
        Envelope minus distance, km, positive inside.
    inside : bool
    """

    target: str
    iso_a2: str | None
    defence: str
    site: str
    distance_km: float
    km: float | None
    margin_km: float | None
    inside: bool


@dataclass(frozen=True, eq=False)
class Report:
    """Everything the outputs say about one verdict, computed once.

    Build it with :func:`report_for`; ``Verdict.report`` caches it.

    Attributes
    ----------
    verdict : Verdict
        The numbers (read-only; outputs take words and counts from the report).
    headline : Headline
        The claim's question and its answer.
    reach : str
        The reach verdict (``true``, ``false``, ``depends on range``) for every claim.
    range_needed_km : float or None
        The range at which the reach claim would hold, km; None when none would.
    no_range_because : str or None
        With ``range_needed_km`` None, the code of :data:`REASONS` that says why.
    range_needed_text : str
        E.g. ``"it would hold from 1,219 km"``, or why no range would.
    range_needed_detail : str
        E.g. ``"1,218.7 km (where the 13th target comes within reach)"``, or why no
        range would.
    summary : str
        The reach verdict in words with the counts behind it.
    figures : tuple of FigureRow
        One per range figure, keyed ``F1``...
    origins : tuple of OriginRow
        The same check from each choice of origins (empty with one choice).
    definitions : tuple of DefinitionRow
        The same check under each definition (when the targets carry membership).
    defences : tuple of DefenceRow
        What each defence covers (empty without defences).
    defence_targets : tuple of DefenceTargetRow
        For a claim about a defence: every target against every defence.
    stakes : coverage.stakes.Stakes
        Flight times per target, the time claim's judgements, people per figure.
    notes : tuple of Note
    sources : tuple of SourceRow
    as_of : coverage.dated.Reading or None
        The day the verdict was judged as of (a bundled claim: its own date) and
        what the lists and sites of the other day (today, or the claim's date when
        another day was asked) change; its sentences are among the ``source`` notes.
    """

    verdict: Verdict = field(repr=False)
    headline: Headline
    reach: str
    range_needed_km: float | None
    no_range_because: str | None
    range_needed_text: str = ""
    range_needed_detail: str = ""
    summary: str = ""
    figures: tuple[FigureRow, ...] = ()
    origins: tuple[OriginRow, ...] = ()
    definitions: tuple[DefinitionRow, ...] = ()
    defences: tuple[DefenceRow, ...] = ()
    defence_targets: tuple[DefenceTargetRow, ...] = ()
    stakes: Stakes | None = field(default=None, repr=False)
    notes: tuple[Note, ...] = ()
    sources: tuple[SourceRow, ...] = ()
    as_of: Reading | None = None

    @property
    def question(self) -> Question:
        """``"reach"``, ``"defence"`` or ``"time"``."""
        return self.headline.question

    @property
    def word(self) -> str:
        """The headline's verdict word."""
        return self.headline.word

    @property
    def count(self) -> int:
        """Targets judged."""
        return len(self.verdict.targets)

    def notes_of(self, kind: NoteKind) -> tuple[Note, ...]:
        """Return the notes of one kind, in order."""
        return tuple(n for n in self.notes if n.kind == kind)

    def _repr_html_(self) -> str:
        """Escaped HTML for a notebook: headline, figures and the nearest targets."""
        return report_html(self)


# --------------------------------------------------------------------------- the question


def question_of(verdict: Verdict) -> Question:
    """Return what the claim asks: ``"defence"``, ``"time"`` or ``"reach"``."""
    _v.verdict(verdict)
    reading = verdict.claim.reading
    if reading.defences and verdict.defences:
        return "defence"
    if reading.time_min is not None:
        return "time"
    return "reach"


def no_range_because(verdict: Verdict) -> str | None:
    """Return why no maximum range makes the reach claim hold (a :data:`REASONS` code).

    None when some range would (``verdict.range_needed_km`` finite). The cause is
    read from the figure with the smallest minimum range (the one
    ``range_needed_km`` is measured with): its dead zone, its sector, or neither
    (targets beyond the antipodal distance).
    """
    _v.verdict(verdict)
    if math.isfinite(verdict.range_needed_km):
        return None
    if verdict.required > len(verdict.targets):
        return "too_few_targets"
    lowest = min(verdict.evaluations, key=lambda e: e.figure.min_km)
    causes = (lowest.figure.min_km > 0, lowest.layer.sector is not None)
    return {
        (True, False): "inside_minimum_range",
        (False, True): "outside_sector",
        (True, True): "inside_minimum_range_or_outside_sector",
        (False, False): "beyond_antipodal_distance",
    }[causes]


# --------------------------------------------------------------------------- reach


def range_needed_text(verdict: Verdict) -> str:
    """Return e.g. ``"it would hold from 1,219 km"``, or why no range would (the real cause)."""
    _v.verdict(verdict)
    return _range_needed_text(verdict, no_range_because(verdict))


def summary(verdict: Verdict) -> str:
    """Return the reach verdict in words with the counts behind it (:attr:`Report.summary`)."""
    _v.verdict(verdict)
    return _summary(verdict, no_range_because(verdict))


def _range_needed_text(verdict: Verdict, because: str | None) -> str:
    if because is not None:
        return "no maximum range would make it hold: " + REASONS[because]
    return f"it would hold from {verdict.range_needed_km:,.0f} km"


def _range_needed_detail(verdict: Verdict, because: str | None) -> str:
    if because is not None:
        return _range_needed_text(verdict, because)
    from .claims import ordinal

    lowest = min(e.figure.min_km for e in verdict.evaluations)
    beyond = f" beyond the {lowest:,.0f} km minimum" if lowest > 0 else ""
    return (
        f"{verdict.range_needed_km:,.1f} km (where the {ordinal(verdict.required)} "
        f"target comes within reach{beyond})"
    )


_REACH_WORDS = {
    "true": "TRUE: the claim holds at every range figure",
    "false": "FALSE: the claim holds at no range figure",
    "depends on range": "DEPENDS ON RANGE: the claim holds at some range figures only",
}


def _summary(verdict: Verdict, because: str | None) -> str:
    n = len(verdict.targets)
    parts = [f"{e.targets_in_range} of {n} at {e.layer.figure_title}" for e in verdict.evaluations]
    need = f"at least {verdict.required} of {n} needed"
    hold = _range_needed_text(verdict, because)
    return f"{_REACH_WORDS[verdict.verdict]} ({need}; {'; '.join(parts)}; {hold})"


def _reach_line(verdict: Verdict) -> str:
    n = len(verdict.targets)
    best = max(verdict.evaluations, key=lambda e: e.range_km)
    return (
        f"{verdict.verdict.upper()} \u2014 {best.targets_in_range} of {n} at "
        f"{best.range_km:,.0f} km; {verdict.required} needed"
    )


def _reach_reason(verdict: Verdict, because: str | None) -> Reason:
    if because is not None:
        return Reason(because, _range_needed_text(verdict, because))
    code = {
        "true": "holds_at_every_figure",
        "false": "holds_at_no_figure",
        "depends on range": "holds_at_some_figures",
    }[verdict.verdict]
    return Reason(code, _range_needed_text(verdict, because))


def _reach_headline(verdict: Verdict, because: str | None) -> Headline:
    return Headline("reach", verdict.verdict, _reach_line(verdict), _reach_reason(verdict, because))


# --------------------------------------------------------------------------- defence


def _defence_headline(verdict: Verdict) -> Headline:
    d = verdict.defence_claim
    line = (
        f"{d['verdict'].upper()} \u2014 {d['targets_inside']} of {d['targets_count']} "
        f"inside a defence envelope against {d['against']} (where it can engage, "
        "not an area it protects)"
    )
    code = d["verdict"].replace(" ", "_")
    return Headline("defence", d["verdict"], line, Reason(code, d["text"]))


def _defence_rows(verdict: Verdict) -> tuple[DefenceRow, ...]:
    n = len(verdict.targets)
    rows = []
    for c in verdict.defences:
        if c.envelope is None:
            how = f"no sourced figure against {c.against}: no cover"
        else:
            bits = [c.envelope.figure.title, c.derived, c.envelope.cap_note]
            how = "; ".join(b for b in bits if b)
        rows.append(DefenceRow(c.defence.id, c.km, sum(c.covers), n, how, c.horizon_table))
    return tuple(rows)


def _defence_target_rows(verdict: Verdict) -> tuple[DefenceTargetRow, ...]:
    d = verdict.defence_claim
    if d is None:
        return ()
    return tuple(
        DefenceTargetRow(
            target=row["name"],
            iso_a2=row["iso_a2"],
            defence=item["defence"],
            site=item["site"],
            distance_km=item["distance_km"],
            km=item["km"],
            margin_km=item["margin_km"],
            inside=item["inside"],
        )
        for row in d["targets"]
        for item in row["defences"]
    )


# --------------------------------------------------------------------------- time


def _span(values: Sequence[float | None], fmt: str = "{:.1f}") -> str:
    """E.g. ``"2.1"`` or ``"1.1–1.2"``: the values' range as they print."""
    texts = sorted({fmt.format(v) for v in values if v is not None}, key=float)
    return texts[0] if len(texts) == 1 else f"{texts[0]}\u2013{texts[-1]}"


def _first_band(word: str) -> int:
    """Time order of a band word, or of the first band of a joined one."""
    for i, band in enumerate(TIME_WORDS):
        if word == band or word.startswith(band + " or ") or word.startswith(band + ", "):
            return i
    return len(TIME_WORDS)


def _boost_text(judged: Sequence[TimeJudgement], keys: str = "") -> str:
    """E.g. ``" incl. 4.0 min boost (class figure, ...) [B1–B3]"``, or ``""`` without one.

    ``keys`` names the boost's sources in :attr:`Report.sources` (:func:`boost_sources`).
    """
    boosts = {j.boost.text for j in judged if j.boost is not None}
    tail = f" [{keys}]" if keys else ""
    return f" incl. {boosts.pop()}{tail}" if len(boosts) == 1 else ""


def _time_numbers(word: str, judged: Sequence[TimeJudgement], keys: str = "") -> str:
    """Return the decisive numbers of a time band: the model and the bound that decides."""
    bits = []
    if any(j.model_min is not None for j in judged):
        bits.append(f"model {_span([j.model_min for j in judged])} min")
    fastest = [j.fastest_min for j in judged]
    if ("impossible" in word or "depressed" in word) and any(fastest):
        bits.append(f"fastest possible {_span(fastest)} min" + _boost_text(judged, keys))
    bands = [j.band for j in judged if j.band is not None]
    if ("consistent" in word or "than the model" in word) and bands:
        bits.append(
            f"consistent {_span([b[0] for b in bands])}\u2013{_span([b[1] for b in bands])} min"
        )
    return ", ".join(bits)


def _claimed(j: TimeJudgement) -> str:
    """E.g. ``"15 min"``, ``"1.77 min (106 s)"``, or the words and their interval."""
    low, high = j.interval_min
    if low != high:
        words = j.reading.words if j.reading is not None else None
        span = f"{low:g}\u2013{high:g} min"
        return span if words is None else f"\u201c{words}\u201d ({span})"
    minutes = j.claimed_min
    if float(minutes).is_integer():
        return f"{minutes:g} min"
    return f"{minutes:.2f} min ({minutes * 60:.0f} s)"


def _time_word(judged: Sequence[TimeJudgement]) -> str:
    """One word over the figures: theirs when they agree, ``depends on range`` if not."""
    words = {j.verdict for j in judged}
    reaching = words - {"out of range"}
    if not reaching:
        return "out of range"
    if len(reaching) == 1:
        return reaching.pop()
    return "depends on range"


def _by_word(evaluations: Sequence[Evaluation], judged: Sequence[TimeJudgement]) -> str:
    """E.g. ``"impossible at 500 km, only on a depressed trajectory at 700 km"``."""
    kms: dict[str, list[str]] = {}
    for e, j in zip(evaluations, judged, strict=True):
        km = f"{e.range_km:,.0f}"
        if km not in kms.setdefault(j.verdict, []):
            kms[j.verdict].append(km)
    ordered = sorted(kms, key=_first_band)
    return ", ".join(f"{w} at {' and '.join(kms[w])} km" for w in ordered)


def _time_code(word: str, judged: Sequence[TimeJudgement]) -> str:
    """Return the reason code of a time headline (:data:`TIME_REASONS` or the band word)."""
    if word == "depends on range":
        return "figures_disagree"
    if any(j.straddles for j in judged if j.verdict == word):
        return "straddles_band_boundary"
    return word.replace(" ", "_")


def _time_headline(verdict: Verdict, judged: Sequence[TimeJudgement]) -> Headline:
    word = _time_word(judged)
    keys = [k for k, _, _ in boost_sources(verdict, judged)]
    cited = keys[0] if len(keys) == 1 else f"{keys[0]}–{keys[-1]}" if keys else ""
    first = judged[0]
    head = f"{_claimed(first)} claimed for {first.distance_km:,.0f} km"
    if word == "depends on range":
        numbers = _time_numbers("", judged, cited)
        line = f"{head}: {_by_word(verdict.evaluations, judged)}" + (
            f" ({numbers})" if numbers else ""
        )
    else:
        numbers = _time_numbers(word, [j for j in judged if j.verdict == word], cited)
        line = head + (f"; {numbers}" if numbers else "")
    code = _time_code(word, judged)
    text = "; ".join(
        f"at {e.layer.figure_title}: {j.text}"
        for e, j in zip(verdict.evaluations, judged, strict=True)
    )
    if code in TIME_REASONS:
        text = f"{TIME_REASONS[code]}. {text}"
    return Headline("time", word, f"{word.upper()} \u2014 {line}", Reason(code, text))


# --------------------------------------------------------------------------- rows


def _range_text(e: Evaluation) -> str:
    rng = (
        f"{e.figure.min_km:,.0f}\u2013{e.range_km:,.0f}"
        if e.figure.min_km
        else f"{e.range_km:,.0f}"
    )
    return rng + (f" in {e.layer.sector}" if e.layer.sector is not None else "")


def _figure_rows(verdict: Verdict, at_stake: Stakes) -> tuple[FigureRow, ...]:
    from .claims import figure_keys
    from .defences import counts

    n = len(verdict.targets)
    judged = at_stake.time_claim or [None] * len(verdict.evaluations)
    rows = []
    for i, (label, e) in enumerate(zip(figure_keys(verdict), verdict.evaluations, strict=True)):
        defended = counts(e.in_range, verdict.defences) if verdict.defences else (None, None)
        people = at_stake.people[i]
        rows.append(
            FigureRow(
                key=f"F{i + 1}",
                label=label,
                title=e.layer.figure_title,
                system=e.system.id if e.system else "given",
                kind=e.kind,
                against=e.figure.against,
                min_km=e.figure.min_km,
                max_km=e.range_km,
                sector=None if e.layer.sector is None else str(e.layer.sector),
                range_text=_range_text(e),
                in_range=e.targets_in_range,
                count=n,
                share=e.share,
                holds=e.holds,
                range_needed_km=e.range_needed_km,
                people=people.population,
                places=people.places,
                defended=defended[0],
                undefended=defended[1],
                time=judged[i],
            )
        )
    return tuple(rows)


def _origin_rows(verdict: Verdict) -> tuple[OriginRow, ...]:
    rows = []
    for i, o in enumerate(verdict.by_origin):
        people = o.people
        rows.append(
            OriginRow(
                label=o.label,
                used=i == 0,
                in_range=tuple(o.in_range),
                people=tuple(p.population for p in people),
                places=tuple(p.places for p in people),
                range_needed_km=o.range_needed_km,
                verdict=o.verdict,
            )
        )
    return tuple(rows)


def _definition_rows(verdict: Verdict) -> tuple[DefinitionRow, ...]:
    used = verdict.definition.id if verdict.definition is not None else None
    return tuple(
        DefinitionRow(
            id=o.definition.id,
            name=o.definition.name,
            used=o.definition.id == used,
            count=o.count,
            required=o.required,
            in_range=tuple(o.in_range),
            range_needed_km=o.range_needed_km,
            verdict=o.verdict,
        )
        for o in verdict.by_definition
    )


def _sources(
    verdict: Verdict, figures: Sequence[FigureRow], at_stake: Stakes
) -> tuple[SourceRow, ...]:
    """Keyed sources: the claim's (C), the figures' (F), those left out (L), sites (S), boost (B).

    The keys ``L1``... are those of :attr:`coverage.dated.Reading.late_figures` left
    out, ``B1``... those :func:`_boost_text` cites (:func:`boost_sources`).
    """
    from .claims import figure_keys

    claim = verdict.claim
    rows = [SourceRow(f"C{i}", f"claim {claim.id}", s) for i, s in enumerate(claim.sources, 1)]
    rows += [
        SourceRow(f.key, f.label, e.figure.source)
        for f, e in zip(figures, verdict.evaluations, strict=True)
    ]
    if verdict.left_out:
        late = replace(verdict, evaluations=verdict.left_out)
        rows += [
            SourceRow(f"L{i}", f"{label} (left out: published later)", e.figure.source)
            for i, (label, e) in enumerate(zip(figure_keys(late), verdict.left_out, strict=True), 1)
        ]
    sited = [s for s in verdict.sites if s.source is not None]
    rows += [SourceRow(f"S{i}", f"site {s.id}", s.source) for i, s in enumerate(sited, 1)]
    boosts = boost_sources(verdict, at_stake.time_claim if at_stake is not None else None)
    rows += [SourceRow(k, about, src) for k, about, src in boosts]
    return tuple(rows)


def boost_sources(
    verdict: Verdict, judged: Sequence[TimeJudgement] | None
) -> list[tuple[str, str, Source]]:
    """Return ``(key, about, source)`` of the boost phases a time verdict adds, keyed ``B1``...

    Each boost's own sources (the system's sourced figure, or its propellant class's
    studies) and, for a class figure, the source of the system's propellant, which
    decides the class. Empty without a time claim or a boost.
    """
    seen: dict[int, tuple[str, Source]] = {}
    for e, j in zip(verdict.evaluations, judged or (), strict=False):
        if j.boost is None:
            continue
        about = f"boost phase: {j.boost.basis} figure, {j.boost.label}"
        for src in j.boost.sources:
            seen.setdefault(id(src), (about, src))
        propellant = e.system.propellant if j.boost.basis == "class" else None
        if propellant is not None:
            seen.setdefault(
                id(propellant.source), (f"propellant of {e.system.id}", propellant.source)
            )
    return [(f"B{i}", about, src) for i, (about, src) in enumerate(seen.values(), 1)]


def _notes(verdict: Verdict, reading: Reading | None = None) -> tuple[Note, ...]:
    from .defences import NOT_MODELLED
    from .stakes import FLIGHT_TIME_MODEL, POPULATION_SOURCE, verdict_systems

    # The margin note is always the first "model" note (the targets table reads it).
    notes = [
        Note(
            "source",
            "people: at least so many in range, counted in places of 1,000+ inhabitants; "
            + POPULATION_SOURCE,
        ),
        Note("model", "Inside a minimum range the margin is distance \u2212 minimum (negative)."),
    ]
    if verdict.targets.kind == "territories":
        notes.append(
            Note("model", "Distances are to the nearest point of each country's territory.")
        )
    if any(s.role == "ballistic" or s.cruise_speed_kmh for s in verdict_systems(verdict)):
        notes.append(Note("model", "Times to target: " + FLIGHT_TIME_MODEL))
    if verdict.defences:
        notes.append(
            Note(
                "limitation",
                "An envelope is where a defence can engage, not an area it protects.",
            )
        )
        notes.append(Note("not_modelled", NOT_MODELLED))
    if reading is not None:
        notes += [Note("source", line) for line in reading.lines()]
    return tuple(notes)


# --------------------------------------------------------------------------- building


def _headline(verdict: Verdict, question: Question, because: str | None, at_stake) -> Headline:
    if question == "defence":
        return _defence_headline(verdict)
    if question == "time" and at_stake.time_claim:
        return _time_headline(verdict, at_stake.time_claim)
    return _reach_headline(verdict, because)


def report_for(verdict: Verdict) -> Report:
    """Return the report of a verdict: its question, headline, rows, notes and sources.

    Parameters
    ----------
    verdict : Verdict

    Returns
    -------
    Report

    Raises
    ------
    ParameterError
        If ``verdict`` is not a :class:`~coverage.claims.Verdict`.

    Examples
    --------
    >>> from coverage.claims import evaluate_claim, load_claims
    >>> from coverage.systems import load_catalog
    >>> claim = load_claims()["blaszczak-2023-warsaw-patriot-defence"]
    >>> report = evaluate_claim(claim, load_catalog()).report
    >>> report.question, report.word, report.reach
    ('defence', 'inside', 'true')
    >>> [(f.key, f.in_range, f.defended) for f in report.figures]
    [('F1', 1, 1), ('F2', 1, 1), ('F3', 1, 1)]
    """
    _v.verdict(verdict)
    from .claims import Verdict
    from .dated import reading
    from .errors import ParameterError
    from .stakes import verdict_stakes

    if not isinstance(verdict, Verdict):
        raise ParameterError(
            f"verdict: expected a Verdict, got {type(verdict).__name__}", parameter="verdict"
        )
    because = no_range_because(verdict)
    question = question_of(verdict)
    at_stake = verdict_stakes(verdict)
    figures = _figure_rows(verdict, at_stake)
    headline = _headline(verdict, question, because, at_stake)
    as_of = _time_with_later(reading(verdict), verdict, headline)
    return Report(
        verdict=verdict,
        headline=headline,
        reach=verdict.verdict,
        range_needed_km=None if because is not None else verdict.range_needed_km,
        no_range_because=because,
        range_needed_text=_range_needed_text(verdict, because),
        range_needed_detail=_range_needed_detail(verdict, because),
        summary=_summary(verdict, because),
        figures=figures,
        origins=_origin_rows(verdict),
        definitions=_definition_rows(verdict),
        defences=_defence_rows(verdict),
        defence_targets=_defence_target_rows(verdict),
        stakes=at_stake,
        notes=_notes(verdict, as_of),
        sources=_sources(verdict, figures, at_stake),
        as_of=as_of,
    )


def _time_with_later(as_of: Reading | None, verdict: Verdict, headline: Headline):
    """Add to the reading the time band the figures left out would give, when it differs."""
    alt = verdict.with_later
    if as_of is None or alt is None or headline.question != "time":
        return as_of
    word = alt.report.word
    if word == headline.word:
        return as_of
    return replace(as_of, with_later={**as_of.with_later, "time": (word, headline.word)})


# --------------------------------------------------------------------------- notebook view

_HTML_ROWS = 10
_IN, _OUT = "in", "\u2013"


def _html_figures(report: Report) -> str:
    head = "".join(
        f"<th>{h}</th>" for h in ("key", "system", "kind", "range km", "in range", "holds")
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(c))}</td>"
            for c in (
                f.key,
                f.system,
                f.kind,
                f.range_text,
                f"{f.in_range}/{f.count}",
                "yes" if f.holds else "no",
            )
        )
        + "</tr>"
        for f in report.figures
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_targets(report: Report) -> str:
    from .claims import nearest_first

    v = report.verdict
    order = nearest_first(v)
    keys = "".join(f"<th>{html.escape(f.key)}</th>" for f in report.figures)
    rows = []
    for j in order[:_HTML_ROWS]:
        r = v.reaches[j]
        marks = "".join(f"<td>{_IN if e.in_range[j] else _OUT}</td>" for e in v.evaluations)
        rows.append(
            f"<tr><td>{html.escape(r.target.name)}</td>"
            f"<td>{html.escape(r.target.iso_a2 or '')}</td>"
            f"<td>{r.distance_km:,.1f}</td>{marks}</tr>"
        )
    more = len(order) - _HTML_ROWS
    tail = f"<p>\u2026 {more} more targets</p>" if more > 0 else ""
    return (
        f"<table><thead><tr><th>target</th><th>cc</th><th>km</th>{keys}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{tail}"
    )


def report_html(report: Report) -> str:
    """Return a report as escaped HTML: headline, reason, figures and nearest targets.

    Every name is escaped with :func:`html.escape`; nothing from the data reaches
    the page as markup.
    """
    _v.instance(report, "report", Report)
    v = report.verdict
    quote = f"<blockquote>{html.escape(v.claim.quote)}</blockquote>" if v.claim.quote else ""
    reach = (
        ""
        if report.question == "reach"
        else f"<p>Reach: <b>{html.escape(report.reach.upper())}</b> "
        f"({html.escape(report.range_needed_text)})</p>"
    )
    lines = report.as_of.left_out_lines() if report.as_of is not None else []
    later = "".join(f"<p class='tc-left-out'>{html.escape(line)}</p>" for line in lines)
    return (
        f"<div class='threat-coverage-report'><h4>Claim {html.escape(v.claim.id)}</h4>{quote}"
        f"<p><b>{html.escape(report.headline.line)}</b></p>"
        f"<p>{html.escape(report.headline.reason.text)}</p>{reach}{later}"
        f"<p>Targets: {html.escape(v.targets.label)}</p>"
        f"{_html_figures(report)}{_html_targets(report)}</div>"
    )
