"""Readable terminal tables (rich) for verdicts, systems, sites and definitions.

Every string from data passes through :func:`coverage.text.printable` and rich's
markup escaping, so a name cannot inject control sequences or rich markup.
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


def _origin_cells(outcome, count: int) -> list[str]:
    """Per evaluation: targets in range from these origins, and the people in range."""
    people = outcome.people or (None,) * len(outcome.in_range)
    return [
        f"{c}/{count}\n{p.population:,} people" if p is not None else f"{c}/{count}"
        for c, p in zip(outcome.in_range, people, strict=True)
    ]


def _people(people: stakes.InRange) -> str:
    """E.g. ``"33,800,484 in 2,383 places"``."""
    return f"{people.population:,} in {people.places:,} places"


def _short_figure(e) -> str:
    """Column label of a range figure, e.g. ``500 km D`` (D declared, E estimated, G given)."""
    rng = f"{e.figure.min_km:,.0f}–{e.range_km:,.0f}" if e.figure.min_km else f"{e.range_km:,.0f}"
    return f"{rng} km {e.kind[0].upper()}"


def verdict_renderable(verdict: Verdict, *, max_rows: int | None = None) -> RenderableType:
    """Return the verdict as rich renderables: claim, verdict, figures, targets, definitions.

    Parameters
    ----------
    verdict : Verdict
    max_rows : int, optional
        Show at most this many targets (nearest first); all by default.
    """
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
            f"{printable(s.name, limit=60)} ({s.lon:.4f}, {s.lat:.4f})" for s in verdict.sites
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

    figures = Table(title="At each range figure", box=box.SIMPLE_HEAD, title_justify="left")
    for col, kw in (
        ("system", {}),
        ("kind", {}),
        ("range km", {"justify": "right"}),
        ("in range", {"justify": "right"}),
        ("share", {"justify": "right"}),
        ("holds", {}),
        ("people in range", {"justify": "right"}),
        ("source", {"overflow": "fold"}),
    ):
        figures.add_column(col, **kw)
    figures.caption = "people in range: " + stakes.POPULATION_SOURCE
    figures.caption_justify = "left"
    for e in verdict.evaluations:
        rng = (
            f"{e.figure.min_km:,.0f}–{e.range_km:,.0f}" if e.figure.min_km else f"{e.range_km:,.0f}"
        )
        if e.layer.sector is not None:
            rng += f" in {e.layer.sector}"
        figures.add_row(
            _t(e.system.name if e.system else "given", 30),
            e.kind + ("" if e.figure.against == "surface" else f" vs {e.figure.against}"),
            rng,
            f"{e.targets_in_range}/{len(verdict.targets)}",
            f"{e.share:.0%}",
            Text("yes", style="green") if e.holds else Text("no", style="red"),
            _people(stakes.population_in_range(e.layer)),
            _source(e.figure.source),
        )

    targets = Table(
        title="Targets, nearest first (margin = range − distance, km, + inside; inside a "
        "minimum range: distance − minimum; D declared, E estimated, G given)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    targets.add_column("#", justify="right")
    targets.add_column("target")
    targets.add_column("country")
    targets.add_column(
        "distance to territory km" if verdict.targets.kind == "territories" else "distance km",
        justify="right",
    )
    targets.add_column("nearest site")
    sectors = any(r.azimuth_deg is not None for r in verdict.reaches)
    if sectors:
        targets.add_column("azimuth °", justify="right")
    times = stakes.flight_times(verdict)
    timed = [s for s in stakes.verdict_systems(verdict) if any(t[s.id] is not None for t in times)]
    for s in timed:
        targets.add_column(f"min {_t(s.id, 20)}", justify="right")
    people = [stakes.target_population(r.target) for r in verdict.reaches]
    if any(p is not None for p in people):
        targets.add_column("population", justify="right")
    if timed:
        targets.caption = "min: " + stakes.FLIGHT_TIME_MODEL
        targets.caption_justify = "left"
    for e in verdict.evaluations:
        targets.add_column(f"margin {_short_figure(e)}", justify="right")
    order = sorted(range(len(verdict.reaches)), key=lambda j: verdict.reaches[j].distance_km)
    shown = order if max_rows is None else order[:max_rows]
    for rank, j in enumerate(shown, start=1):
        r = verdict.reaches[j]
        cells = []
        for e in verdict.evaluations:
            margin = e.margins_km[j]
            shown_margin = "outside sector" if math.isinf(margin) else f"{margin:+,.1f}"
            cells.append(Text(shown_margin, style="green" if e.in_range[j] else "dim"))
        if sectors:
            cells.insert(0, Text(f"{r.azimuth_deg:.1f}"))
        for k, s in enumerate(timed):
            minutes = times[j][s.id]
            cells.insert(k + sectors, Text("–" if minutes is None else f"{minutes:,.1f}"))
        if any(p is not None for p in people):
            pop = people[j]
            cells.insert(len(timed) + sectors, Text("–" if pop is None else f"{pop:,}"))
        targets.add_row(
            str(rank),
            _t(r.target.name, 40),
            _t(r.target.country or r.target.iso_a2 or "", 30),
            f"{r.distance_km:,.1f}",
            _t(r.nearest_site.name, 30),
            *cells,
        )
    parts: list[RenderableType] = [
        Panel(header, title=_t(f"Claim {claim.id}"), expand=False),
        figures,
        targets,
    ]
    if max_rows is not None and len(order) > max_rows:
        parts.append(Text(f"… {len(order) - max_rows} more targets (use --all)"))
    if verdict.defences:
        parts.append(_defences_table(verdict))
        parts += _defence_claim_lines(verdict)
    if verdict.by_origin:
        origins = Table(
            title="The same check from each origin (launchers at the towns, or anywhere "
            "in the area: distances from its nearest point)",
            box=box.SIMPLE_HEAD,
            title_justify="left",
        )
        origins.add_column("launched from")
        for e in verdict.evaluations:
            origins.add_column(f"in range {_short_figure(e)}", justify="right")
        origins.add_column("range needed km", justify="right")
        origins.add_column("verdict")
        origins.caption = "people: in places of 1,000+ within the envelope (see the figures above)"
        for i, o in enumerate(verdict.by_origin):
            origins.add_row(
                _t(o.label, 60) + (" (used)" if i == 0 else ""),
                *_origin_cells(o, len(verdict.targets)),
                f"{o.range_needed_km:,.1f}",
                Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
            )
        parts.append(origins)
    if verdict.by_definition:
        defs = Table(
            title="The same check under each definition of “Europe”",
            box=box.SIMPLE_HEAD,
            title_justify="left",
        )
        defs.add_column("definition")
        defs.add_column("count", justify="right")
        defs.add_column("needed", justify="right")
        for e in verdict.evaluations:
            defs.add_column(f"in range {_short_figure(e)}", justify="right")
        defs.add_column("range needed km", justify="right")
        defs.add_column("verdict")
        for o in verdict.by_definition:
            mark = " (used)" if d is not None and o.definition.id == d.id else ""
            defs.add_row(
                _t(o.definition.id) + mark,
                str(o.count),
                str(o.required),
                *[str(c) for c in o.in_range],
                f"{o.range_needed_km:,.1f}",
                Text(o.verdict, style=_VERDICT_STYLE[o.verdict]),
            )
        parts.append(defs)
    return Group(*parts)


def _defence_claim_lines(verdict) -> list[RenderableType]:
    """For a claim about a defence: its verdict word and the numbers, target by target."""
    if not verdict.claim.reading.defences:
        return []
    from .defences import defence_claim

    d = defence_claim(verdict)
    line = Text(f"Claim about defence: {d['verdict'].upper()}. ", style="bold")
    line.append(_t(d["text"], 2000), style="")
    return [line]


def _defences_table(verdict) -> Group:
    """Return what each defence covers against the threat's class, and what is not modelled."""
    from .defences import NOT_MODELLED, counts

    n = len(verdict.targets)
    table = Table(
        title=f"Defences against {verdict.threat_class} (an envelope is where a defence can "
        "engage, not an area it protects)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for col, kw in (
        ("defence", {}),
        ("km used", {"justify": "right"}),
        ("how", {"overflow": "fold"}),
        ("targets inside", {"justify": "right"}),
    ):
        table.add_column(col, **kw)
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
        table.add_row(_t(c.defence.id, 50), km, _t(how, 300), f"{sum(c.covers)}/{n}")
    lines = Text()
    for e in verdict.evaluations:
        inside, outside = counts(e.in_range, verdict.defences)
        lines.append(
            f"{_short_figure(e)}: {e.targets_in_range} in range; {inside} of them inside at "
            f"least one defence envelope, {outside} outside all\n"
        )
    lines.append(NOT_MODELLED, style="dim")
    return Group(table, lines)


def systems_table(catalog: Catalog) -> Table:
    """Return a table of systems with every range figure, its kind and source."""
    table = Table(
        title="Systems (ranges in km; declared = maker/operator, estimated = outside party)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for col in ("id", "name", "role", "nuclear", "kind", "range km", "against", "source"):
        table.add_column(col, overflow="fold", justify="right" if col == "range km" else "left")
    for system in catalog:
        for i, f in enumerate(system.ranges):
            rng = f"{f.min_km:,.0f}–{f.km:,.0f}" if f.min_km else f"{f.km:,.0f}"
            table.add_row(
                _t(system.id) if i == 0 else "",
                _t(system.name, 30) if i == 0 else "",
                system.role if i == 0 else "",
                system.nuclear_capable.status if i == 0 else "",
                f.kind,
                rng,
                f.against,
                _source(f.source),
            )
        table.add_section()
    return table


def sites_table(catalog: Catalog) -> Table:
    """Return a table of basing sites (lon/lat degrees) with what is based there."""
    table = Table(title="Sites (decimal degrees, WGS84)", box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("id", "name", "country", "lon", "lat", "precision", "systems", "since", "source"):
        table.add_column(col, overflow="fold", justify="right" if col in ("lon", "lat") else "left")
    for s in catalog.sites.values():
        table.add_row(
            _t(s.id),
            _t(s.name, 40),
            _t(s.country or ""),
            f"{s.lon:.4f}",
            f"{s.lat:.4f}",
            s.location_precision,
            _t(", ".join(s.systems)),
            _t(s.since or ""),
            _source(s.source),
        )
    return table


def definitions_table(definitions: Iterable[Definition]) -> Table:
    """Return a table of the definitions of "Europe's capitals" with counts and sources."""
    table = Table(
        title="Definitions of “Europe's capitals”", box=box.SIMPLE_HEAD, title_justify="left"
    )
    for col in ("id", "name", "count", "as of", "source"):
        table.add_column(col, overflow="fold", justify="right" if col == "count" else "left")
    for d in definitions:
        table.add_row(_t(d.id), _t(d.name, 60), str(d.count), _t(d.as_of), _source(d.source))
    return table
