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
from .claims import Verdict, ordinal
from .systems import Catalog, Source
from .targets import Definition
from .text import printable

__all__ = ["verdict_renderable", "systems_table", "sites_table", "definitions_table"]

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


def _short_figure(e) -> str:
    """Column label of a range figure, e.g. ``500 km D`` (D declared, E estimated, G given)."""
    rng = f"{e.figure.min_km:,.0f}–{e.range_km:,.0f}" if e.figure.min_km else f"{e.range_km:,.0f}"
    return f"{rng} km {e.kind[0].upper()}"


def verdict_renderable(
    verdict: Verdict,
    *,
    max_rows: int | None = None,
    wide: bool = False,
    console_width: int | None = None,
) -> RenderableType:
    """Return the verdict as rich renderables: claim, verdict, figures, targets, definitions.

    Range figures are keyed ``F1``, ``F2``... in the order of ``verdict.evaluations``;
    the targets' margin columns carry the same keys.

    Parameters
    ----------
    verdict : Verdict
    max_rows : int, optional
        Show at most this many targets (nearest first); all by default.
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
    claim = verdict.claim
    header = Text()
    if claim.quote:
        header.append(f"“{printable(claim.quote, limit=300)}”\n", style="italic")
    who = ", ".join(printable(x) for x in (claim.speaker, claim.date) if x)
    if who:
        header.append(f"— {who}\n")
    d = verdict.definition
    header.append("Targets: ", style="bold")
    header.append(printable(verdict.targets.label, limit=160) + "\n")
    header.append("Launch sites: ", style="bold")
    header.append(
        "; ".join(
            f"{printable(s.name, limit=60)} ({s.lon:.4f},{s.lat:.4f})" for s in verdict.sites
        )
        + "\n"
    )
    header.append("Verdict: ", style="bold")
    header.append(verdict.verdict.upper(), style=_VERDICT_STYLE[verdict.verdict])
    header.append(
        f"  (claimed share {verdict.share_claimed:g}: at least {verdict.required} of "
        f"{len(verdict.targets)} in range)\n"
    )
    header.append("Range needed for the claim to hold: ", style="bold")
    if math.isinf(verdict.range_needed_km):
        header.append(verdict.range_needed_text)
    else:
        lowest_min = min(e.figure.min_km for e in verdict.evaluations)
        beyond = f" beyond the {lowest_min:,.0f} km minimum" if lowest_min > 0 else ""
        header.append(
            f"{verdict.range_needed_km:,.1f} km (where the {ordinal(verdict.required)} "
            f"target comes within reach{beyond})"
        )

    for e, judged in zip(verdict.evaluations, stakes.time_claim(verdict) or [], strict=False):
        header.append(f"\nTime claimed, at {e.layer.figure_title}: ", style="bold")
        header.append(printable(judged.text, limit=300))

    labels = [f"F{i}" for i in range(1, len(verdict.evaluations) + 1)]
    keys = labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"
    fig_rows = []
    for key, e in zip(labels, verdict.evaluations, strict=True):
        rng = (
            f"{e.figure.min_km:,.0f}–{e.range_km:,.0f}" if e.figure.min_km else f"{e.range_km:,.0f}"
        )
        if e.layer.sector is not None:
            rng += f" in {e.layer.sector}"
        people = stakes.population_in_range(e.layer)
        row = [
            key,
            _t(e.system.id if e.system else "given", 40),
            e.kind + ("" if e.figure.against == "surface" else f" vs {e.figure.against}"),
            rng,
            f"{e.targets_in_range}/{len(verdict.targets)}",
            f"{e.share:.0%}",
            Text("yes", style="green") if e.holds else Text("no", style="red"),
            f"{people.population:,}",
            f"{people.places:,}",
        ]
        if wide:
            row.append(_source(e.figure.source))
        fig_rows.append(row)
    fig_columns = [
        ("key", "id"),
        ("system", "id"),
        ("kind", "id"),
        ("range km", "num"),
        ("in range", "num"),
        ("share", "num"),
        ("holds", "id"),
        ("people", "num"),
        ("places", "num"),
    ] + ([("source", "text")] if wide else [])
    in_table = wide
    for drop in ("source", "places"):  # what gives way, in turn, to fit the width
        if console_width is None or _needed(fig_columns, fig_rows) <= console_width:
            break
        k = [c[0] for c in fig_columns].index(drop) if drop in dict(fig_columns) else None
        if k is None:
            continue
        in_table = in_table and drop != "source"
        fig_columns = fig_columns[:k] + fig_columns[k + 1 :]
        fig_rows = [row[:k] + row[k + 1 :] for row in fig_rows]
    notes = Text(
        "people: in range, counted in places of 1,000+ inhabitants; " + stakes.POPULATION_SOURCE
    )
    if not in_table:
        notes.append("\nSources of the range figures:")
        for key, e in zip(labels, verdict.evaluations, strict=True):
            notes.append(f"\n{key}: " + Text.from_markup(_source(e.figure.source)).plain)
    figures = Group(_table("At each range figure", fig_columns, fig_rows), notes, Text(""))

    kind_of_distance = "to territory " if verdict.targets.kind == "territories" else ""
    title = (
        f"Targets, nearest first (km: distance {kind_of_distance}to the nearest site; "
        f"{keys}: margin = range − distance, km, + inside)"
    )
    sectors = any(r.azimuth_deg is not None for r in verdict.reaches)
    times = stakes.flight_times(verdict)
    timed = [s for s in stakes.verdict_systems(verdict) if any(t[s.id] is not None for t in times)]
    people = [stakes.target_population(r.target) for r in verdict.reaches]
    has_people = any(p is not None for p in people)
    order = sorted(range(len(verdict.reaches)), key=lambda j: verdict.reaches[j].distance_km)
    shown = order if max_rows is None else order[:max_rows]

    def base(full: bool):
        columns = [("#", "num"), ("target", "text")]
        columns.append(("country", "text") if full else ("cc", "id"))
        columns += [("km", "num"), ("nearest site", "id")]
        if sectors:
            columns.append(("az °", "num"))
        columns += [("min" if len(timed) == 1 else f"min {_t(s.id, 20)}", "num") for s in timed]
        if full and has_people:
            columns.append(("population", "num"))
        rows = []
        for rank, j in enumerate(shown, start=1):
            r = verdict.reaches[j]
            row = [
                str(rank),
                _t(r.target.name, 60),
                _t(r.target.country or r.target.iso_a2 or "", 40)
                if full
                else _t(r.target.iso_a2 or "", 4),
                f"{r.distance_km:,.1f}",
                _t(r.nearest_site.id, 40),
            ]
            if sectors:
                row.append(f"{r.azimuth_deg:.1f}")
            for s in timed:
                minutes = times[j][s.id]
                row.append("–" if minutes is None else f"{minutes:,.1f}")
            if full and has_people:
                row.append("–" if people[j] is None else f"{people[j]:,}")
            rows.append(row)
        return columns, rows

    margin_cells = []
    for e in verdict.evaluations:
        cells = []
        for j in shown:
            margin = e.margins_km[j]
            text = "outside sector" if math.isinf(margin) else f"{margin:+,.1f}"
            cells.append(Text(text, style="green" if e.in_range[j] else "dim"))
        margin_cells.append(cells)
    width = console_width
    columns, rows = base(True)
    every = [(key, "num") for key in labels]
    every_rows = [list(c) for c in zip(*margin_cells, strict=True)] if margin_cells else []

    def with_margins(cols, base_rows, keys):
        picked = [labels.index(k) for k in keys]
        merged = [
            row + [every_rows[i][m] for m in picked] if every_rows else row
            for i, row in enumerate(base_rows)
        ]
        return cols + [(k, "num") for k in keys], merged

    if width is not None and _needed(*with_margins(columns, rows, labels)) > width:
        columns, rows = base(False)  # country code instead of the name, no population
    groups: list[list[str]] = [[]]
    for key in [k for k, _ in every]:
        trial = groups[-1] + [key]
        too_wide = width is not None and _needed(*with_margins(columns, rows, trial)) > width
        if groups[-1] and too_wide:
            groups.append([key])
        else:
            groups[-1] = trial
    target_tables: list[RenderableType] = []
    for n, group in enumerate(groups):
        cols, merged = with_margins(columns, rows, group)
        suffix = "" if len(groups) == 1 else f" ({n + 1} of {len(groups)})"
        target_tables.append(_table(title + suffix, cols, merged))
    notes = Text(
        "Inside a minimum range the margin is distance − minimum (negative)."
        + (" Country codes: ISO 3166-1 alpha-2." if ("cc", "id") in columns else "")
    )
    if timed:
        notes.append(
            "\nmin: minutes of flight"
            + ("" if len(timed) == 1 else " of each system")
            + ". "
            + stakes.FLIGHT_TIME_MODEL
        )
    target_tables.append(notes)
    parts: list[RenderableType] = [
        Panel(header, title=_t(f"Claim {claim.id}"), expand=False),
        figures,
        *target_tables,
    ]
    if max_rows is not None and len(order) > max_rows:
        parts.append(Text(f"… {len(order) - max_rows} more targets (use --all)"))
    if verdict.defences:
        parts.append(_defences_table(verdict, labels))
        parts += _defence_claim_lines(verdict)
    n = len(verdict.targets)
    if verdict.by_origin:
        rows = [
            [
                _t(o.label, 60) + (" (used)" if i == 0 else ""),
                *_origin_cells(o, n),
                f"{o.range_needed_km:,.1f}",
                Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
            ]
            for i, o in enumerate(verdict.by_origin)
        ]
        columns = [("launched from", "text"), *[(k, "num") for k in labels]]
        columns += [("needed km", "num"), ("verdict", "text")]
        parts.append(
            _table(
                "The same check from each origin (launchers at the towns, or anywhere in "
                f"the area: distances from its nearest point); {keys}: targets in range "
                "and, below, people in range in millions (places of 1,000+)",
                columns,
                rows,
            )
        )
    if verdict.by_definition:
        rows = []
        for o in verdict.by_definition:
            mark = " (used)" if d is not None and o.definition.id == d.id else ""
            rows.append(
                [
                    _t(o.definition.id) + mark,
                    str(o.count),
                    str(o.required),
                    *[str(c) for c in o.in_range],
                    f"{o.range_needed_km:,.1f}",
                    Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
                ]
            )
        columns = [("definition", "id"), ("count", "num"), ("needed", "num")]
        columns += [(k, "num") for k in labels] + [("needed km", "num"), ("verdict", "text")]
        parts.append(
            _table(
                "The same check under each definition of “Europe” (needed: targets in range "
                f"for the claim to hold; {keys}: targets in range; needed km: the range at "
                "which it would)",
                columns,
                rows,
            )
        )
    return Group(*parts)


def _origin_cells(outcome, count: int) -> list[str]:
    """Per evaluation: targets in range from these origins and, below, people in range (M)."""
    return [
        f"{c}/{count}\n{p.population / 1e6:,.1f} M"
        for c, p in zip(outcome.in_range, outcome.people, strict=True)
    ]


def _defence_claim_lines(verdict) -> list[RenderableType]:
    """For a claim about a defence: its verdict word and the numbers, target by target."""
    d = verdict.defence_claim
    if d is None:
        return []
    line = Text(f"Claim about defence: {d['verdict'].upper()}. ", style="bold")
    line.append(_t(d["text"], 2000), style="")
    return [line]


def _defences_table(verdict, labels: list[str]) -> Group:
    """Return what each defence covers against the threat's class, and what is not modelled."""
    from .defences import NOT_MODELLED, counts

    n = len(verdict.targets)
    rows = []
    for c in verdict.defences:
        if c.envelope is None:
            how, km = f"no sourced figure against {c.against}: no cover", "—"
        else:
            how = c.envelope.figure.title
            if c.derived:
                how += "; " + c.derived
            if c.envelope.cap_note:
                how += "; " + c.envelope.cap_note
            km = f"{c.km:,.1f}"
        rows.append([_t(c.defence.id, 80), km, f"{sum(c.covers)}/{n}", _t(how, 300)])
    table = _table(
        f"Defences against {verdict.threat_class} (an envelope is where a defence can "
        "engage, not an area it protects)",
        [("defence", "id"), ("km used", "num"), ("covers", "num"), ("how", "text")],
        rows,
    )
    lines = Text()
    for key, e in zip(labels, verdict.evaluations, strict=True):
        inside, outside = counts(e.in_range, verdict.defences)
        lines.append(
            f"{key} ({_short_figure(e)}): {e.targets_in_range} in range; {inside} of them "
            "inside at "
            f"least one defence envelope, {outside} outside all\n"
        )
    lines.append(NOT_MODELLED, style="dim")
    return Group(table, lines)


def systems_table(
    catalog: Catalog, *, wide: bool = False, console_width: int | None = None
) -> Table:
    """Return a table of systems: one row per range figure, its kind and source.

    By default each figure is one line (the source as publisher and date, cut with an
    ellipsis to fit ``console_width``); with
    ``wide=True`` the system's name, role and nuclear capability and each source's
    title and link are shown too, folded.
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
        caption=None
        if wide
        else "--wide: names, roles, nuclear capability, sources' titles "
        "and links; --json: everything",
    )
    if not wide:  # the source is the one column allowed to be cut, with an ellipsis
        source = table.columns[-1]
        source.min_width = None
        source.overflow = "ellipsis"
        if console_width is not None:
            source.max_width = max(console_width - _needed(columns[:-1], rows) - 2, 8)
    return table


def sites_table(catalog: Catalog, *, wide: bool = False) -> Table:
    """Return a table of basing sites (lon/lat degrees) with what is based there.

    By default one line per site where the width allows (the source as publisher and
    date); ``wide=True`` adds the location's precision, the date and the source's
    title and link.
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
        caption=None if wide else "--wide: precision, dates and sources; --json: everything",
    )


def definitions_table(definitions: Iterable[Definition], *, wide: bool = False) -> Table:
    """Return a table of the definitions of "Europe's capitals" with counts and sources."""
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
        caption=None if wide else "--wide: sources' titles and links",
    )
