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


def _days(text: str | None, found) -> list[str]:
    """Return the days of the small multiples: --dates, else the start, the claim's day, today.

    Raises
    ------
    click.BadParameter
        For more than six days or an empty item.
    """
    if text is None:
        wanted = [found.steps[0].date.text if found.steps else None]
        wanted += [found.claim_date.text if found.claim_date else None, "today"]
        return list(dict.fromkeys(d for d in wanted if d))
    days = [d.strip() for d in text.split(",")]
    if not all(days) or len(days) > 6:
        raise click.BadParameter(
            f"{text!r}: give one to six dates separated by commas, e.g. "
            "2015-01-01,2018-02-05,today",
            param_hint="--dates",
        )
    return days


def _table(found):
    """Return the timeline as a rich table: date, what changes, sites in place, counts."""
    from rich.console import Group
    from rich.text import Text

    from ..tables import _t, _table

    counts = found.steps[0].counts if found.steps else ()
    keys = [f"F{i + 1}" for i in range(len(counts))]
    columns = [("Date", "id"), ("What changes", "text"), ("Sites", "num")]
    columns += [(k, "num") for k in keys] + [("Holds at", "id")]
    rows = [
        [_t(s.date.text), _t(s.event, 400), f"{len(s.sites) - len(s.absent)}/{len(s.sites)}"]
        + [f"{c.in_range}/{c.total}" for c in s.counts]
        + [", ".join(k for k, c in zip(keys, s.counts, strict=True) if c.holds) or "none"]
        for s in found.steps
    ]
    title = f"Timeline of {found.claim_id}" if found.claim_id else "Timeline of the check"
    figures = "; ".join(f"{k} = {_t(c.figure)}" for k, c in zip(keys, counts, strict=True))
    caption = (
        f"{figures}. Counts: targets in range / targets judged ({_t(found.definition)}) from "
        "that date on, as judged as of that date. Sites: the check's sites in place that day"
        + (" (a claim's sites are counted as it names them, in place or not)." if found.claim_id
           else ".")
    )
    notes = [Text(line) for line in _notes(found)]
    return Group(_table(title, columns, rows, caption=caption), *notes)


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


def _write_map(found, path: Path, *, days: str | None, size_px, quiet: bool) -> None:
    """Write the HTML map with its date control, or the static small multiples."""
    from ..exports import write_text

    if is_static(path):
        from ..render.static import timeline_frames, write_multiples

        chosen = _days(days, found)
        with status(quiet, "Drawing the figure"):
            frames = timeline_frames(found, chosen)
            title = found.verdict.report.headline.line
            write_multiples(
                frames,
                path,
                size_px=size_px,
                title=f"{_heading(found)}: as of {', '.join(f.heading for f in frames)}",
                subtitle=f"As judged on the claim's day: {title}",
            )
        return
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
    from ..timeline import timeline as make_timeline

    with status(quiet, "Judging the claim at each step"):
        found = make_timeline(request)
    if map_file is not None:
        _write_map(found, map_file, days=dates, size_px=size_px, quiet=quiet)
    if as_json:
        emit_json(found.as_dict())
    else:
        _print_table(found)
    if map_file is not None:
        wrote(map_file, map_format(map_file), quiet=quiet)
