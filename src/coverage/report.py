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
  (``impossible``, ``only on a depressed trajectory``, ``consistent`` ...);
- ``"reach"`` otherwise: ``true``, ``false`` or ``depends on range``.

The reach verdict is kept for every claim (:attr:`Report.reach`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from . import _validate as _v

if TYPE_CHECKING:  # pragma: no cover
    from .claims import Verdict

__all__ = [
    "Question",
    "Headline",
    "Reason",
    "Report",
    "report_for",
    "REASONS",
]

Question = Literal["reach", "defence", "time"]

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


@dataclass(frozen=True)
class Reason:
    """Why the headline is what it is: a stable code and a sentence.

    Attributes
    ----------
    code : str
        E.g. ``"holds_at_every_figure"``, ``"outside_sector"``,
        ``"inside_minimum_range"``, ``"all_inside"``, ``"time_band"``.
    text : str
        The same in words, with its numbers.
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
        One line for a bar or a title: the word in capitals and the counts.
    reason : Reason
    """

    question: Question
    word: str
    line: str
    reason: Reason


@dataclass(frozen=True)
class Report:
    """Everything the outputs say about one verdict, computed once.

    Build it with :func:`report_for`; ``Verdict.report`` caches it.

    Attributes
    ----------
    verdict : Verdict
        The numbers (read-only; renderers take words from the report).
    headline : Headline
        The claim's question and its answer.
    reach : str
        The reach verdict (``true``, ``false``, ``depends on range``) for every claim.
    range_needed_km : float or None
        The range at which the reach claim would hold, km; None when none would.
    no_range_because : str or None
        With ``range_needed_km`` None, the code of :data:`REASONS` that says why.
    """

    verdict: Verdict
    headline: Headline
    reach: str
    range_needed_km: float | None
    no_range_because: str | None

    @property
    def question(self) -> Question:
        """``"reach"``, ``"defence"`` or ``"time"``."""
        return self.headline.question

    @property
    def word(self) -> str:
        """The headline's verdict word."""
        return self.headline.word


def question_of(verdict: Verdict) -> Question:
    """Return what the claim asks: ``"defence"``, ``"time"`` or ``"reach"``."""
    reading = verdict.claim.reading
    if reading.defences and verdict.defences:
        return "defence"
    if reading.time_min is not None:
        return "time"
    return "reach"


def no_range_because(verdict: Verdict) -> str | None:
    """Return why no maximum range makes the reach claim hold (a :data:`REASONS` code).

    None when some range would (``verdict.range_needed_km`` finite).
    """
    if math.isfinite(verdict.range_needed_km):
        return None
    if verdict.required > len(verdict.targets):
        return "too_few_targets"
    dead_zone = any(e.figure.min_km > 0 for e in verdict.evaluations)
    sector = any(e.layer.sector is not None for e in verdict.evaluations)
    if sector and not dead_zone:
        return "outside_sector"
    if dead_zone and not sector:
        return "inside_minimum_range"
    if dead_zone and sector:
        return "inside_minimum_range_or_outside_sector"
    return "beyond_antipodal_distance"


def _time_word(verdict: Verdict) -> tuple[str, str]:
    """Return the time verdict word over the figures and its sentence."""
    from .stakes import time_claim

    judged = time_claim(verdict) or []
    words = {j.verdict for j in judged}
    if len(words) == 1:
        word = words.pop()
    else:
        reaching = {j.verdict for j in judged if j.verdict != "out of range"}
        word = reaching.pop() if len(reaching) == 1 else "depends on range"
    text = "; ".join(
        f"at {e.layer.figure_title}: {j.text}"
        for e, j in zip(verdict.evaluations, judged, strict=False)
    )
    return word, text


def _reach_line(verdict: Verdict) -> str:
    n = len(verdict.targets)
    if not verdict.evaluations:
        return verdict.verdict.upper()
    best = max(verdict.evaluations, key=lambda e: e.range_km)
    return (
        f"{verdict.verdict.upper()} \u2014 {best.targets_in_range} of {n} at "
        f"{best.range_km:,.0f} km; {verdict.required} needed"
    )


def _reach_reason(verdict: Verdict, because: str | None) -> Reason:
    if because is not None:
        return Reason(because, "no maximum range would make it hold: " + REASONS[because])
    code = {
        "true": "holds_at_every_figure",
        "false": "holds_at_no_figure",
        "depends on range": "holds_at_some_figures",
    }[verdict.verdict]
    return Reason(code, f"it would hold from {verdict.range_needed_km:,.0f} km")


def _headline(verdict: Verdict, question: Question, because: str | None) -> Headline:
    if question == "defence":
        d = verdict.defence_claim
        line = (
            f"{d['verdict'].upper()} \u2014 {d['targets_inside']} of {d['targets_count']} "
            f"inside a defence envelope against {d['against']} (where it can engage, "
            "not an area it protects)"
        )
        code = d["verdict"].replace(" ", "_")
        return Headline("defence", d["verdict"], line, Reason(code, d["text"]))
    if question == "time":
        word, text = _time_word(verdict)
        return Headline("time", word, f"{word.upper()} \u2014 {text}", Reason("time_band", text))
    return Headline(
        "reach", verdict.verdict, _reach_line(verdict), _reach_reason(verdict, because)
    )


def report_for(verdict: Verdict) -> Report:
    """Return the report of a verdict: its question, headline and rows.

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
    """
    _v.verdict(verdict)
    from .claims import Verdict
    from .errors import ParameterError

    if not isinstance(verdict, Verdict):
        raise ParameterError(
            f"verdict: expected a Verdict, got {type(verdict).__name__}", parameter="verdict"
        )
    because = no_range_because(verdict)
    question = question_of(verdict)
    return Report(
        verdict=verdict,
        headline=_headline(verdict, question, because),
        reach=verdict.verdict,
        range_needed_km=None if because is not None else verdict.range_needed_km,
        no_range_because=because,
    )
