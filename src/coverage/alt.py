"""Alternative text for maps and figures: the verdict in a few plain sentences.

A reader who cannot see a map or a figure (a screen reader, a CMS's ``alt`` field,
a search engine) gets what it shows from :func:`alt_text`: the claim and its
headline, the targets in range per range figure, what each defence covers and the
sites the ranges are drawn from. Every word and count is read from the verdict's
report (:class:`coverage.report.Report`); nothing is computed here.

The same text is written into a static figure (SVG ``<title>``/``<desc>``, PNG
``Description`` text chunk, PDF ``/Title`` and ``/Subject``; see
:mod:`coverage.render.static`), is the accessible description of the HTML map's
container (:mod:`coverage.render.leaflet`), and is printed by ``threat-coverage
claim --alt-text`` and ``map --alt-text``.

Distances are in kilometres.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _validate as _v
from .errors import ParameterError

if TYPE_CHECKING:
    from .report import Report

__all__ = ["alt_title", "alt_text", "MAX_SITES_NAMED"]

#: Sites named in the text; more are counted ("and 12 more").
MAX_SITES_NAMED = 8


def _check_report(report) -> None:
    from .report import Report

    if not isinstance(report, Report):
        raise ParameterError(
            f"report: expected a Report (verdict.report), got {type(report).__name__}",
            parameter="report",
        )


def alt_title(report: Report, *, claims: bool = True) -> str:
    """Return a one-line title: the claim's id and its headline, or what was checked.

    Parameters
    ----------
    report : Report
        ``verdict.report``.
    claims : bool, default True
        False for a check that claims nothing (an ad hoc range without a share):
        the title then names the ranges drawn, not a verdict.

    Returns
    -------
    str
        E.g. ``"grybauskaite-2018-capitals: FALSE — 10 of 51 at 700 km; 26 needed"``.

    Raises
    ------
    ParameterError
        If ``report`` is not a Report or ``claims`` not a bool.
    """
    _check_report(report)
    _v.flag(claims, "claims")
    return _alt_title(report, claims)


def _alt_title(report: Report, claims: bool = True) -> str:
    """Return :func:`alt_title` of a checked report."""
    if not claims:
        return "Range rings: " + "; ".join(f.title for f in report.figures)
    claim = report.verdict.claim
    name = getattr(claim, "id", None)
    if name and name != "ad-hoc":
        return f"{name}: {report.headline.line}"
    return report.headline.line


def _alt_pair(report: Report, claims: bool = True) -> tuple[str, str]:
    """Return (:func:`alt_title`, :func:`alt_text`) of a checked report.

    What a renderer writes into a map or figure and ``--alt-text`` prints: a command
    computes it once and hands it to both.
    """
    return _alt_title(report, claims), _alt_text(report, claims)


def alt_text(report: Report, *, claims: bool = True) -> str:
    """Return a plain-text description of a verdict's map or figure.

    Parameters
    ----------
    report : Report
        ``verdict.report``.
    claims : bool, default True
        False for a check that claims nothing: the text then gives the ranges and
        the targets in range, without a verdict.

    Returns
    -------
    str
        A few sentences, e.g. ``"Map of the claim grybauskaite-2018-capitals ...
        FALSE — 10 of 51 at 700 km; 26 needed. Targets in range per range figure:
        declared 50–500 km: 4 of 51; ... Drawn from 3 sites: Chernyakhovsk, ..."``.

    Raises
    ------
    ParameterError
        If ``report`` is not a Report or ``claims`` not a bool.
    """
    _check_report(report)
    _v.flag(claims, "claims")
    return _alt_text(report, claims)


def _alt_text(report: Report, claims: bool = True) -> str:
    """Return :func:`alt_text` of a checked report."""
    parts = [_claim_sentence(report) if claims else "Map of range rings."]
    if claims:
        parts.append(_sentence(report.headline.line))
        if report.headline.question != "reach":
            parts.append(_sentence(f"The threat's reach: {report.reach.upper()}"))
    parts.append(_figures_sentence(report))
    parts.extend(_defence_sentences(report))
    parts.append(_sites_sentence(report))
    return " ".join(p for p in parts if p)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _claim_sentence(report: Report) -> str:
    """Return who claimed what, when the claim says so."""
    claim = report.verdict.claim
    name = getattr(claim, "id", None)
    if not name or name == "ad-hoc":
        return "Map of a range check."
    out = f"Map of the claim {name}"
    quote = getattr(claim, "quote", None)
    if quote:
        out += f": \u201c{quote}\u201d"
    speaker = getattr(claim, "speaker", None)
    if speaker:
        out += f" ({speaker})"
    return _sentence(out)


def _figures_sentence(report: Report) -> str:
    if not report.figures:
        return ""
    rows = "; ".join(f"{f.title}: {f.in_range} of {f.count}" for f in report.figures)
    return _sentence(f"Targets in range per range figure: {rows}")


def _defence_sentences(report: Report) -> list[str]:
    return [
        _sentence(f"Defence {d.id} ({d.how}) covers {d.covers} of {d.count} targets")
        for d in report.defences
    ]


def _sites_sentence(report: Report) -> str:
    sites = report.verdict.sites
    if not sites:
        return ""
    names = [s.name for s in sites[:MAX_SITES_NAMED]]
    more = len(sites) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    plural = "site" if len(sites) == 1 else "sites"
    return _sentence(f"Ranges drawn from {len(sites)} {plural}: {listed}")
