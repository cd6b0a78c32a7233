"""Readable terminal tables (rich) for verdicts, systems, sites and definitions.

Every string from data passes through :func:`coverage.text.printable` and rich's
markup escaping, so a name cannot inject control sequences or rich markup.

Tables read at 80 columns: ids, numbers and coordinates are never wrapped or cut
(their columns are ``no_wrap`` and at least as wide as their widest cell), only
long text (names, sources) folds; sources' titles and links are listed once below
a table, or shown in it with ``wide=True``. Per-figure columns of the targets table
are split over several tables when they do not fit the width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import _validate as _v
from . import stakes
from .claims import Verdict, nearest_first
from .report import FigureRow, Report, SourceRow
from .systems import Catalog, Source
from .targets import Definition
from .text import printable

__all__ = [
    "verdict_renderable",
    "hidden_targets",
    "WIDE_SHOWS",
    "systems_table",
    "sites_table",
    "definitions_table",
]

#: What the wide form of each catalogue table adds, for a caller's caption (the
#: tables name no command-line option).
WIDE_SHOWS = {
    "systems": "names, roles, nuclear capability, sources' titles and links",
    "sites": "precision, dates and sources",
    "definitions": "sources' titles and links",
}

_VERDICT_STYLE = {"true": "bold green", "false": "bold red", "depends on range": "bold yellow"}


def _t(value, limit: int | None = 80) -> str:
    """Printable, markup-escaped text for a table cell."""
    return escape(printable("" if value is None else str(value), limit=limit))


def _cell_width(cell) -> int:
    """Width in terminal cells of a table cell (markup text or a rich Text)."""
    text = cell if isinstance(cell, Text) else Text.from_markup(cell)
    return max((Text(line).cell_len for line in text.plain.split("\n")), default=0)


def _table(title: str, columns, rows, *, caption: str | None = None) -> Table:
    """Return a table whose ``"id"`` and ``"num"`` columns never wrap and are never cut.

    ``columns`` are ``(header, kind)`` with kind ``"id"`` (left, no wrap), ``"num"``
    (right, no wrap) or ``"text"`` (folds). Each no-wrap column is given the width of
    its widest cell, so rich narrows only the text columns to fit the console.
    """
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        collapse_padding=True,
        caption=caption,
        caption_justify="left",
    )
    for k, (header, kind) in enumerate(columns):
        if kind == "text":
            table.add_column(header, overflow="fold")
            continue
        width = max([_cell_width(r[k]) for r in rows] + [_cell_width(_t(header)), 1])
        table.add_column(
            header,
            no_wrap=True,
            min_width=width,
            justify="right" if kind == "num" else "left",
        )
    for row in rows:
        table.add_row(*row)
    return table


def _needed(columns, rows, text_min: int = 8) -> int:
    """Width a :func:`_table` needs: its no-wrap columns whole, text columns ``text_min``."""
    total = 0
    for k, (header, kind) in enumerate(columns):
        if kind == "text":
            total += text_min
        else:
            total += max([_cell_width(r[k]) for r in rows] + [_cell_width(_t(header))])
    return total + 2 * max(len(columns) - 1, 0) + 2


def _short_source(source: Source | None) -> str:
    """E.g. ``"TASS, 2015-07-13"``: publisher (or title) and date, for a one-line cell."""
    if source is None:
        return "given by the user"
    who = source.publisher or source.title
    return _t(", ".join(b for b in (who, source.date if source.date != "n.d." else "") if b), 80)


def _source(source: Source | None) -> str:
    if source is None:
        return "(given by the user)"
    bits = [source.publisher or "", source.date if source.date != "n.d." else ""]
    head = ", ".join(b for b in bits if b)
    return (
        f"{_t(source.title, 70)}"
        + (f" ({_t(head, 60)})" if head else "")
        + f"\n{_t(source.url, 200)}"
    )


def hidden_targets(verdict: Verdict, max_rows: int | None) -> int:
    """Return how many targets :func:`verdict_renderable` leaves out with ``max_rows``.

    A caller (the command line) can say how to see them; the tables name no option.
    """
    _v.verdict(verdict)
    _v.number(max_rows, "max_rows", optional=True, integer=True, low=0)
    n = len(verdict.reaches)
    return 0 if max_rows is None else max(n - max_rows, 0)


def verdict_renderable(
    verdict: Verdict,
    *,
    max_rows: int | None = None,
    wide: bool = False,
    console_width: int | None = None,
) -> RenderableType:
    """Return the verdict as rich renderables: claim, verdict, figures, targets, definitions.

    Every word, count and sentence comes from the verdict's report
    (:attr:`coverage.claims.Verdict.report`): the box's ``Verdict:`` line shows the
    headline's word (the answer to the claim's own question); for a claim about
    defence or time the reach verdict follows under its own label. Range figures
    are keyed ``F1``, ``F2``... as in the report; the targets' margin columns carry
    the same keys.

    Parameters
    ----------
    verdict : Verdict
    max_rows : int, optional
        Show at most this many targets (nearest first); all by default. How many
        are left out: :func:`hidden_targets`.
    wide : bool, default False
        Sources in the figures table where they fit ``console_width``; by default
        they are listed below it.
    console_width : int, optional
        Terminal width in cells: narrower, the targets table shows country codes
        instead of names, no population, and splits its figure columns over several
        tables so that no number is cut. None: no limit.
    """
    _v.verdict(verdict)
    _v.number(max_rows, "max_rows", optional=True, integer=True, low=0)
    _v.flag(wide, "wide")
    _v.number(console_width, "console_width", optional=True, integer=True, low=1)
    report = verdict.report
    order = nearest_first(verdict)
    shown = order if max_rows is None else order[:max_rows]
    parts: list[RenderableType] = [
        Panel(_header(report), title=_t(f"Claim {verdict.claim.id}"), expand=False),
        _figures(report, wide=wide, console_width=console_width),
        *_target_tables(report, shown, console_width),
    ]
    hidden = hidden_targets(verdict, max_rows)
    if hidden:
        parts.append(Text(f"\u2026 {hidden} more targets not shown"))
    if report.defences:
        parts.append(_defences_table(report))
        parts += _defence_claim_lines(report)
    if report.origins:
        parts.append(_origins_table(report))
    if report.definitions:
        parts.append(_definitions_table(report))
    return Group(*parts)


# --------------------------------------------------------------------------- the box


def _claim_lines(report: Report) -> Text:
    """Return the quote, who said it and when, the targets and the launch sites."""
    v = report.verdict
    claim = v.claim
    text = Text()
    if claim.quote:
        text.append(f"\u201c{printable(claim.quote, limit=300)}\u201d\n", style="italic")
    who = ", ".join(printable(x) for x in (claim.speaker, claim.date) if x)
    if who:
        text.append(f"\u2014 {who}\n")
    text.append("Targets: ", style="bold")
    text.append(printable(v.targets.label, limit=160) + "\n")
    text.append("Launch sites: ", style="bold")
    sites = "; ".join(f"{printable(s.name, limit=60)} ({s.lon:.4f},{s.lat:.4f})" for s in v.sites)
    text.append(sites + "\n")
    return text


def _header(report: Report) -> Text:
    """Return the box: the claim, the headline's word, the reach verdict and the range needed."""
    v = report.verdict
    text = _claim_lines(report)
    share = (
        f"  (claimed share {v.share_claimed:g}: at least {v.required} of "
        f"{len(v.targets)} in range)\n"
    )
    word = report.word
    text.append("Verdict: ", style="bold")
    text.append(word.upper(), style=_VERDICT_STYLE.get(word, "bold"))
    if report.question == "reach":
        text.append(share)
    else:
        rest = report.headline.line.removeprefix(word.upper())
        text.append(printable(rest, limit=300) + "\n")
        text.append("Reach verdict: ", style="bold")
        text.append(report.reach.upper(), style=_VERDICT_STYLE[report.reach])
        text.append(share)
    text.append("Range needed for the claim to hold: ", style="bold")
    text.append(report.range_needed_detail)
    for f in report.figures:
        if f.time is not None:
            text.append(f"\nTime claimed, at {f.title}: ", style="bold")
            text.append(printable(f.time.text, limit=300))
    return text


# --------------------------------------------------------------------------- figures


_FIGURE_COLUMNS = [
    ("key", "id"),
    ("system", "id"),
    ("kind", "id"),
    ("range km", "num"),
    ("in range", "num"),
    ("share", "num"),
    ("holds", "id"),
    ("people", "num"),
    ("places", "num"),
]


def _figure_row(f: FigureRow, source: SourceRow | None, wide: bool) -> list:
    row = [
        f.key,
        _t(f.system, 40),
        f.kind + ("" if f.against == "surface" else f" vs {f.against}"),
        f.range_text,
        f"{f.in_range}/{f.count}",
        f"{f.share:.0%}",
        Text("yes", style="green") if f.holds else Text("no", style="red"),
        f"{f.people:,}",
        f"{f.places:,}",
    ]
    if wide:
        row.append(_source(source.source if source else None))
    return row


def _fit(columns: list, rows: list, console_width: int | None) -> tuple[list, list]:
    """Drop the source, then the places column, until the figures table fits."""
    for drop in ("source", "places"):  # what gives way, in turn, to fit the width
        if console_width is None or _needed(columns, rows) <= console_width:
            break
        names = [c[0] for c in columns]
        if drop in names:
            k = names.index(drop)
            columns = columns[:k] + columns[k + 1 :]
            rows = [row[:k] + row[k + 1 :] for row in rows]
    return columns, rows


def _figures(report: Report, *, wide: bool, console_width: int | None) -> Group:
    """Return the table of range figures, its notes and (unless in the table) their sources."""
    sources = {s.key: s for s in report.sources}
    rows = [_figure_row(f, sources.get(f.source_key), wide) for f in report.figures]
    columns = _FIGURE_COLUMNS + ([("source", "text")] if wide else [])
    columns, rows = _fit(columns, rows, console_width)
    notes = Text("\n".join(n.text for n in report.notes_of("source")))
    if ("source", "text") not in columns:
        notes.append("\nSources of the range figures:")
        for f in report.figures:
            source = sources.get(f.source_key)
            plain = Text.from_markup(_source(source.source if source else None)).plain
            notes.append(f"\n{f.key}: " + plain)
    for row in (r for r in report.sources if r.key[0] in "LB"):  # left out; boost phases
        notes.append(f"\n{row.key} ({row.about}): " + Text.from_markup(_source(row.source)).plain)
    return Group(_table("At each range figure", columns, rows), notes, Text(""))


# --------------------------------------------------------------------------- targets


def _keys(report: Report) -> str:
    """E.g. ``"F1"`` or ``"F1–F3"``."""
    labels = [f.key for f in report.figures]
    return labels[0] if len(labels) == 1 else f"{labels[0]}\u2013{labels[-1]}"


def _timed(report: Report) -> list:
    """Return the systems with a flight time to some target."""
    times = report.stakes.flight_min
    return [
        s for s in stakes.verdict_systems(report.verdict) if any(t[s.id] is not None for t in times)
    ]


def _target_columns(report: Report, timed: list, full: bool, has_people: bool) -> list:
    sectors = any(r.azimuth_deg is not None for r in report.verdict.reaches)
    columns = [("#", "num"), ("target", "text")]
    columns.append(("country", "text") if full else ("cc", "id"))
    columns += [("km", "num"), ("nearest site", "id")]
    if sectors:
        columns.append(("az \u00b0", "num"))
    columns += [("min" if len(timed) == 1 else f"min {_t(s.id, 20)}", "num") for s in timed]
    if full and has_people:
        columns.append(("population", "num"))
    return columns


def _target_row(report: Report, rank: int, j: int, timed: list, full: bool) -> list:
    r = report.verdict.reaches[j]
    country = r.target.country or r.target.iso_a2 or ""
    row = [
        str(rank),
        _t(r.target.name, 60),
        _t(country, 40) if full else _t(r.target.iso_a2 or "", 4),
        f"{r.distance_km:,.1f}",
        _t(r.nearest_site.id, 40),
    ]
    if r.azimuth_deg is not None:
        row.append(f"{r.azimuth_deg:.1f}")
    for s in timed:
        minutes = report.stakes.flight_min[j][s.id]
        row.append("\u2013" if minutes is None else f"{minutes:,.1f}")
    return row


def _target_base(report: Report, shown: list[int], full: bool) -> tuple[list, list]:
    """Columns and rows of the targets table before the margins."""
    timed = _timed(report)
    people = [stakes.target_population(r.target) for r in report.verdict.reaches]
    has_people = any(p is not None for p in people)
    columns = _target_columns(report, timed, full, has_people)
    rows = []
    for rank, j in enumerate(shown, start=1):
        row = _target_row(report, rank, j, timed, full)
        if full and has_people:
            row.append("\u2013" if people[j] is None else f"{people[j]:,}")
        rows.append(row)
    return columns, rows


def _margins(report: Report, shown: list[int]) -> dict[str, list[Text]]:
    """Per figure key, the margin cells of the shown targets."""
    out = {}
    for f, e in zip(report.figures, report.verdict.evaluations, strict=True):
        out[f.key] = [
            Text(
                "outside sector" if math.isinf(e.margins_km[j]) else f"{e.margins_km[j]:+,.1f}",
                style="green" if e.in_range[j] else "dim",
            )
            for j in shown
        ]
    return out


def _with_margins(base: tuple[list, list], margins: dict, keys: list[str]) -> tuple[list, list]:
    columns, rows = base
    merged = [row + [margins[k][i] for k in keys] for i, row in enumerate(rows)]
    return columns + [(k, "num") for k in keys], merged


def _groups(base, margins: dict, width: int | None) -> list[list[str]]:
    """Split the figure keys over tables that each fit ``width``."""
    groups: list[list[str]] = [[]]
    for key in margins:
        trial = groups[-1] + [key]
        too_wide = width is not None and _needed(*_with_margins(base, margins, trial)) > width
        if groups[-1] and too_wide:
            groups.append([key])
        else:
            groups[-1] = trial
    return groups


def _target_tables(report: Report, shown: list[int], width: int | None) -> list[RenderableType]:
    """Return the targets, nearest first, split by figure columns to fit ``width``; then notes."""
    kind = "to territory " if report.verdict.targets.kind == "territories" else ""
    title = (
        f"Targets, nearest first (km: distance {kind}to the nearest site; "
        f"{_keys(report)}: margin = range \u2212 distance, km, + inside)"
    )
    margins = _margins(report, shown)
    base = _target_base(report, shown, True)
    if width is not None and _needed(*_with_margins(base, margins, list(margins))) > width:
        base = _target_base(report, shown, False)  # country code, no population
    groups = _groups(base, margins, width)
    tables: list[RenderableType] = []
    for n, keys in enumerate(groups):
        suffix = "" if len(groups) == 1 else f" ({n + 1} of {len(groups)})"
        tables.append(_table(title + suffix, *_with_margins(base, margins, keys)))
    tables.append(_target_notes(report, codes=("cc", "id") in base[0]))
    return tables


def _target_notes(report: Report, *, codes: bool) -> Text:
    model = [n.text for n in report.notes_of("model")]
    text = Text(model[0] + (" Country codes: ISO 3166-1 alpha-2." if codes else ""))
    timed = _timed(report)
    if timed:
        text.append(
            "\nmin: minutes of flight"
            + ("" if len(timed) == 1 else " of each system")
            + ". "
            + stakes.FLIGHT_TIME_MODEL
        )
    return text


# --------------------------------------------------------------------------- the same check


def _origins_table(report: Report) -> Table:
    """Return the same check from each choice of origins, with people in range (millions)."""
    rows = [
        [
            _t(o.label, 60) + (" (used)" if o.used else ""),
            *[
                f"{c}/{report.count}\n{p / 1e6:,.1f} M"
                for c, p in zip(o.in_range, o.people, strict=True)
            ],
            f"{o.range_needed_km:,.1f}",
            Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
        ]
        for o in report.origins
    ]
    columns = [("launched from", "text"), *[(f.key, "num") for f in report.figures]]
    columns += [("needed km", "num"), ("verdict", "text")]
    return _table(
        "The same check from each origin (launchers at the towns, or anywhere in "
        f"the area: distances from its nearest point); {_keys(report)}: targets in range "
        "and, below, people in range in millions (places of 1,000+)",
        columns,
        rows,
    )


def _definitions_table(report: Report) -> Table:
    """Return the same check under each definition of "Europe"."""
    rows = [
        [
            _t(o.id) + (" (used)" if o.used else ""),
            str(o.count),
            str(o.required),
            *[str(c) for c in o.in_range],
            f"{o.range_needed_km:,.1f}",
            Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
        ]
        for o in report.definitions
    ]
    columns = [("definition", "id"), ("count", "num"), ("needed", "num")]
    columns += [(f.key, "num") for f in report.figures]
    columns += [("needed km", "num"), ("verdict", "text")]
    return _table(
        "The same check under each definition of \u201cEurope\u201d (needed: targets in range "
        f"for the claim to hold; {_keys(report)}: targets in range; needed km: the range at "
        "which it would)",
        columns,
        rows,
    )


# --------------------------------------------------------------------------- defences


def _defence_claim_lines(report: Report) -> list[RenderableType]:
    """For a claim about a defence: its verdict word and the numbers, target by target."""
    if report.question != "defence":
        return []
    line = Text(f"Claim about defence: {report.word.upper()}. ", style="bold")
    line.append(_t(report.headline.reason.text, 2000), style="")
    return [line]


def _defences_table(report: Report) -> Group:
    """Return what each defence covers against the threat's class, and what is not modelled."""
    rows = [
        [
            _t(d.id, 80),
            "\u2014" if d.km is None else f"{d.km:,.1f}",
            f"{d.covers}/{d.count}",
            _t(d.how, 300),
        ]
        for d in report.defences
    ]
    table = _table(
        f"Defences against {report.verdict.threat_class} (an envelope is where a defence can "
        "engage, not an area it protects)",
        [("defence", "id"), ("km used", "num"), ("covers", "num"), ("how", "text")],
        rows,
    )
    lines = Text()
    for f in report.figures:
        lines.append(
            f"{f.key} ({f.short}): {f.in_range} in range; {f.defended} of them inside at "
            f"least one defence envelope, {f.undefended} outside all\n"
        )
    lines.append("\n".join(n.text for n in report.notes_of("not_modelled")), style="dim")
    horizons = [_horizon_table(d) for d in report.defences if d.horizon is not None]
    return Group(table, *horizons, lines)


def _horizon_table(row) -> Table:
    """Return the radar horizon of one defence across heights, the pair used in bold."""
    h = row.horizon
    used_row, used_col = h.used
    cells = [
        [f"{height:g}"]
        + [
            Text(f"{km:,.1f}", style="bold" if (i, j) == (used_row, used_col) else "")
            for j, km in enumerate(h.km[i])
        ]
        for i, height in enumerate(h.radar_heights_m)
    ]
    return _table(
        f"Radar horizon of {_t(row.id, 80)}, km (k = 4/3; antenna height down, target "
        "altitude across, metres; the pair used in bold)",
        [("antenna m", "num")] + [(f"{a:g} m", "num") for a in h.threat_altitudes_m],
        cells,
    )


def systems_table(
    catalog: Catalog,
    *,
    wide: bool = False,
    console_width: int | None = None,
    caption: str | None = None,
) -> Table:
    """Return a table of systems: one row per range figure, its kind and source.

    By default each figure is one line (the source as publisher and date, cut with an
    ellipsis to fit ``console_width``); with
    ``wide=True`` the system's name, role and nuclear capability and each source's
    title and link are shown too, folded. ``caption`` (shown unless ``wide``) is for
    the caller to say how to see more; :data:`WIDE_SHOWS` says what the wide table adds.
    """
    _v.catalog(catalog)
    _v.flag(wide, "wide")
    _v.number(console_width, "console_width", optional=True, integer=True, low=1)
    rows = []
    for system in catalog:
        for i, f in enumerate(system.ranges):
            rng = f"{f.min_km:,.0f}–{f.km:,.0f}" if f.min_km else f"{f.km:,.0f}"
            row = [_t(system.id), f.kind, rng, f.against]
            if not wide:
                row.insert(1, _t(system.name, 40) if i == 0 else "")
            if wide:
                row[1:1] = [
                    _t(system.name, 60),
                    _t(system.role),
                    _t(system.nuclear_capable.status),
                ]
                row.append(_source(f.source))
            else:
                row.append(_short_source(f.source))
            rows.append(row)
    columns = [("id", "id"), ("kind", "id"), ("range km", "num"), ("against", "id")]
    if wide:
        columns[1:1] = [("name", "text"), ("role", "text"), ("nuclear", "id")]
        columns.append(("source", "text"))
    else:
        columns.insert(1, ("name", "id"))
        columns.append(("source", "id"))
        # The name shows where it fits with 20 cells left for the source.
        if console_width is not None and _needed(columns[:-1], rows) + 20 > console_width:
            columns.pop(1)
            rows = [row[:1] + row[2:] for row in rows]
    table = _table(
        "Systems (ranges in km; declared = maker/operator, estimated = outside party)",
        columns,
        rows,
        caption=None if wide else caption,
    )
    if not wide:  # the source is the one column allowed to be cut, with an ellipsis
        source = table.columns[-1]
        source.min_width = None
        source.overflow = "ellipsis"
        if console_width is not None:
            source.max_width = max(console_width - _needed(columns[:-1], rows) - 2, 8)
    return table


def sites_table(catalog: Catalog, *, wide: bool = False, caption: str | None = None) -> Table:
    """Return a table of basing sites (lon/lat degrees) with what is based there.

    By default one line per site where the width allows (the source as publisher and
    date); ``wide=True`` adds the location's precision, the date and the source's
    title and link. ``caption`` (shown unless ``wide``) is for the caller to say how
    to see more; :data:`WIDE_SHOWS` says what the wide table adds.
    """
    _v.catalog(catalog)
    _v.flag(wide, "wide")
    rows = []
    for s in catalog.sites.values():
        row = [
            _t(s.id),
            _t(s.country or ""),
            f"{s.lon:.4f}",
            f"{s.lat:.4f}",
            "\n".join(_t(x) for x in s.systems),
            _t(s.name, 80),
        ]
        if wide:
            row += [s.location_precision, _t(s.since or ""), _source(s.source)]
        rows.append(row)
    columns = [
        ("id", "id"),
        ("cc", "id"),
        ("lon", "num"),
        ("lat", "num"),
        ("systems", "id"),
        ("name", "text"),
    ]
    if wide:
        columns += [("precision", "text"), ("since", "text"), ("source", "text")]
    return _table(
        "Sites (decimal degrees, WGS84)",
        columns,
        rows,
        caption=None if wide else caption,
    )


def definitions_table(
    definitions: Iterable[Definition], *, wide: bool = False, caption: str | None = None
) -> Table:
    """Return a table of the definitions of "Europe's capitals" with counts and sources.

    ``caption`` (shown unless ``wide``) is for the caller to say how to see more;
    :data:`WIDE_SHOWS` says what the wide table adds.
    """
    _v.definition_sequence(definitions)
    _v.flag(wide, "wide")
    rows = []
    for d in definitions:
        row = [_t(d.id), str(d.count), _t(d.as_of), _t(d.name, 80)]
        row.append(_source(d.source) if wide else _short_source(d.source))
        rows.append(row)
    return _table(
        "Definitions of “Europe's capitals”",
        [("id", "id"), ("count", "num"), ("as of", "id"), ("name", "text"), ("source", "text")],
        rows,
        caption=None if wide else caption,
    )
