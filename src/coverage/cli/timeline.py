"""``threat-coverage timeline``: each dated step of a claim and the counts in range from then on."""

from __future__ import annotations

from pathlib import Path

import click

from .options import OutputPath, json_opt, request_options, size_opt
from .outputs import MAP_FORMATS, check_output, check_size, is_static, map_format, output_format
from .terminal import emit_json, print_table, status, wrote

__all__ = ["timeline"]

#: The table's width, terminal columns (narrower on a narrower terminal).
TABLE_COLUMNS = 80


def _parse_days(text: str | None) -> list[str] | None:
    """Read --dates: one to six days (ISO to the year, month or day, or 'today'), checked.

    Raises
    ------
    click.BadParameter
        For an empty item, more than six days, or one that is not a date.
    """
    if text is None:
        return None
    from ..errors import ParameterError
    from ..timeline import day_of

    days = [d.strip() for d in text.split(",")]
    if not all(days) or len(days) > 6:
        raise click.BadParameter(
            f"{text!r}: give one to six dates separated by commas, e.g. "
            "2015-01-01,2018-02-05,today",
            param_hint="--dates",
        )
    for day in days:
        try:
            day_of(day, "days")
        except ParameterError as err:
            raise click.BadParameter(str(err).removeprefix("days: "), param_hint="--dates") from err
    return days


def _default_days(found) -> list[str]:
    """Return the days of the small multiples without --dates: first step, claim's day, today."""
    wanted = [found.steps[0].date.text if found.steps else None]
    wanted += [found.claim_date.text if found.claim_date else None, "today"]
    return list(dict.fromkeys(d for d in wanted if d))


def _table(found):
    """Return the timeline as a rich table: date, what changes, sites in place, counts."""
    from rich.console import Group
    from rich.text import Text

    from ..tables import _t, _table

    labels = found.figures
    keys = {label: f"F{i + 1}" for i, label in enumerate(labels)}
    columns = [("Date", "id"), ("What changes", "text"), ("Sites", "num")]
    columns += [(k, "num") for k in keys.values()] + [("Holds at", "id")]
    rows = [
        [_t(s.date.text), _t(s.event, 400), f"{len(s.sites) - len(s.absent)}/{len(s.sites)}"]
        + _cells(s, labels)
        + [", ".join(keys[c.figure] for c in s.counts if c.holds) or "none"]
        for s in found.steps
    ]
    title = f"Timeline of {found.claim_id}" if found.claim_id else "Timeline of the check"
    figures = "; ".join(f"{k} = {_t(label)}" for label, k in keys.items())
    later = any(s.left_out for s in found.steps)
    caption = (
        f"{figures}. Counts: targets in range / targets judged ({_t(found.definition)}) from "
        "that date on, as judged as of that date"
        + (
            "; 'later': the figure's source was published after that date, so it is left "
            "out (--use-later-figures counts it)"
            if later
            else ""
        )
        + ". Sites: the check's sites in place that day"
        + (
            " (a claim's sites are counted as it names them, in place or not)."
            if found.claim_id
            else "."
        )
    )
    notes = [Text(line) for line in _notes(found)]
    return Group(_table(title, columns, rows, caption=caption), *notes)


def _cells(step, labels: list[str]) -> list[str]:
    """Per figure of the check: ``"in/total"`` that day, or ``"later"`` if left out."""
    counts = {c.figure: f"{c.in_range}/{c.total}" for c in step.counts}
    counts.update({c.figure: "later" for c in step.left_out})
    return [counts.get(label, "") for label in labels]


def _notes(found) -> list[str]:
    """Return the lines under the table: where the steps start, and each source with its dates."""
    from ..text import printable

    out = []
    if found.starts is not None:
        out.append(
            f"Steps start at {found.starts.text}, the first day every membership list is "
            "sourced for."
        )
    dates: dict = {}
    for step in found.steps:
        for source in step.sources:
            dates.setdefault(source, []).append(step.date.text)
    for source, days in dates.items():
        where = ", ".join(b for b in (source.publisher, source.date) if b and b != "n.d.")
        line = f"{', '.join(days)}: {source.title}" + (f" ({where})" if where else "")
        out.append(printable(line, limit=300) + (f" {source.url}" if source.url else ""))
    return out


def _print_table(found) -> None:
    """Print the table at most :data:`TABLE_COLUMNS` wide."""
    from rich.constrain import Constrain

    print_table(Constrain(_table(found), TABLE_COLUMNS))


def _write_figure(found, path: Path, *, days: list[str] | None, size_px, quiet: bool) -> None:
    """Write the small multiples of the timeline at ``days`` (a .png, .svg or .pdf file)."""
    from ..errors import ParameterError
    from ..render.static import timeline_frames, write_multiples

    try:
        frames = timeline_frames(found, days or _default_days(found))
    except ParameterError as err:
        if err.parameter != "days":
            raise
        raise click.BadParameter(str(err).removeprefix("days: "), param_hint="--dates") from err
    with status(quiet, "Drawing the figure"):
        write_multiples(
            frames,
            path,
            size_px=size_px,
            title=f"{_heading(found)}: as of {', '.join(f.heading for f in frames)}",
            subtitle=f"The check as asked: {found.verdict.report.headline.line}",
        )


def _write_page(found, path: Path, *, quiet: bool) -> None:
    """Write the HTML map of the timeline, with its date control."""
    from ..exports import write_text
    from ..render.leaflet import render_html, timeline_map

    with status(quiet, "Drawing the map"):
        m = timeline_map(found)
        write_text(path, lambda: render_html(m))


def _heading(found) -> str:
    """Return the page's title: the claim, or the check."""
    claim = found.verdict.claim
    if found.claim_id and claim is not None:
        return f"{claim.speaker or claim.id}, {claim.date}" if claim.date else claim.id
    return "The check"


@click.command()
@request_options
@json_opt
@click.option(
    "--map",
    "map_file",
    type=OutputPath(),
    default=None,
    metavar="FILE.html|.png|.svg|.pdf",
    help="Also write a map: an offline HTML page with a date control that steps through "
    "the timeline (sites and counts as of each step), or, for .png, .svg or .pdf, small "
    "multiples of the dates of --dates on one page.",
)
@click.option(
    "--dates",
    default=None,
    metavar="DATE,DATE,...",
    help="The dates of the small multiples (.png, .svg, .pdf --map), one to six, "
    "YYYY-MM-DD (or YYYY-MM, YYYY) or 'today' [default: the first step, the claim's "
    "date and today].",
)
@size_opt
def timeline(request, quiet, as_json, map_file, dates, size_px):
    """List each dated step of a claim and the counts in range per figure from then on.

    A step is a day on which something the check reads changes: a state joins or
    leaves the definition of "Europe's capitals" judged, one of its sites is
    deployed or withdrawn, or the claim is made. Each step's counts are those of
    `claim --as-of DATE` (a named claim's sites are counted as its reading names
    them, and the table says when one was not in place yet). Steps start at the
    first day every membership list is sourced for.

    Takes the options of `claim`; --as-of sets the date the HTML map starts at.

    \b
    Examples:
      threat-coverage timeline
      threat-coverage timeline grybauskaite-2018-capitals --definition eu --json
      threat-coverage timeline --system iskander-m --share 0.5
      threat-coverage timeline --map timeline.html
      threat-coverage timeline --map timeline.pdf --dates 2015-01-01,2018-02-05,today
    """
    if map_file is not None:
        if str(map_file) == "-":
            raise click.UsageError(
                "--map -: the timeline goes to standard output; give a file name"
            )
        output_format(None, map_file, MAP_FORMATS, option="--map")
        check_output(map_file)
    check_size(size_px, map_file, "--map")
    if dates is not None and not is_static(map_file):
        raise click.UsageError("--dates applies to a .png, .svg or .pdf --map file")
    days = _parse_days(dates)
    from ..timeline import timeline as make_timeline

    with status(quiet, "Judging the claim at each step"):
        found = make_timeline(request)
    if map_file is not None and is_static(map_file):
        _write_figure(found, map_file, days=days, size_px=size_px, quiet=quiet)
    elif map_file is not None:
        _write_page(found, map_file, quiet=quiet)
    if as_json:
        emit_json(found.as_dict())
    else:
        _print_table(found)
    if map_file is not None:
        wrote(map_file, map_format(map_file), quiet=quiet)
