"""``threat-coverage systems``, ``sites`` and ``definitions``: what the catalogue holds.

The tables (and rich) are imported only when a table is printed: ``--json`` needs
neither.
"""

from __future__ import annotations

import click

from .options import as_of_opt, json_opt, systems_file_opt, wide_opt
from .terminal import console, null_dates, show

__all__ = ["definitions", "sites", "systems"]


def _caption(table: str, *, json_too: bool = True, above: str | None = None) -> str:
    """Say under a compact catalogue table what --wide (and --json) show, after ``above``."""
    from ..tables import WIDE_SHOWS

    words = f"--wide: {WIDE_SHOWS[table]}" + ("; --json: everything" if json_too else "")
    return words if above is None else f"{above}\n{words}"


def _catalog(systems_file):
    """Return the bundled catalogue with the user's systems file added."""
    from ..systems import DEFAULT_SYSTEMS, load_catalog

    return load_catalog([DEFAULT_SYSTEMS] + ([systems_file] if systems_file else []))


@click.command()
@systems_file_opt
@json_opt
@wide_opt
def systems(systems_file, as_json, wide):
    """List the known systems: one line per range figure (km), its kind and source."""
    catalog = _catalog(systems_file)

    def table():
        from ..tables import systems_table

        return systems_table(
            catalog, wide=wide, console_width=console().width, caption=_caption("systems")
        )

    show(as_json, lambda: null_dates([s.model_dump() for s in catalog]), table)


@click.command()
@systems_file_opt
@as_of_opt
@json_opt
@wide_opt
def sites(systems_file, as_of, as_json, wide):
    """List the known basing sites (lon/lat degrees) with what is based there and sources.

    With --as-of DATE, only the sites there that day, and those whose date is not
    sourced (kept, and named as such: a date is never guessed).
    """
    catalog = _catalog(systems_file)
    words = None
    if as_of is not None:
        catalog, words = _sites_as_of(catalog, as_of)

    def records():
        return null_dates(
            [
                {**s.model_dump(), "kind": catalog.role_of(s), "shape": s.kind, **_status(s, as_of)}
                for s in catalog.sites.values()
            ]
        )

    def table():
        from ..tables import sites_table

        return sites_table(catalog, wide=wide, caption=_caption("sites", above=words))

    show(as_json, records, table)


def _status(site, as_of) -> dict:
    """Return ``{"as_of_status": ...}`` with --as-of (see coverage.dated.site_status)."""
    from ..dated import site_status

    return {} if as_of is None else {"as_of_status": site_status(site, as_of)}


def _sites_as_of(catalog, as_of: str):
    """Return the catalogue with the sites there as of ``as_of``, and words saying so."""
    from dataclasses import replace

    from ..dated import NOT_SOURCED, site_status, sites

    kept = sites(catalog, as_of)
    undated = [s.id for s in kept if site_status(s, as_of) != "in place"]
    words = f"As of {as_of}: {len(kept) - len(undated)} sites in place"
    if undated:
        words += f"; kept, {NOT_SOURCED} (or its end): {', '.join(undated)}"
    return replace(catalog, sites={s.id: s for s in kept}), f"{words}."


@click.command()
@as_of_opt
@json_opt
@wide_opt
def definitions(as_of, as_json, wide):
    """List the definitions of "Europe's capitals" with their counts and sources.

    With --as-of DATE, each dated definition (eu, nato-europe, council-of-europe,
    un-europe) lists its members and count as of that day.
    """
    from ..targets import load_definitions

    defs = load_definitions()
    before: dict[str, str] = {}
    words = None
    if as_of is not None:
        defs, before, words = _definitions_as_of(defs, as_of)

    def records():
        if as_of is None:
            return null_dates([{**d.model_dump(), "dated": d.dated} for d in defs.values()])
        rows = [{**d.model_dump(), "dated": d.dated, "as_of_day": as_of} for d in defs.values()]
        rows += [
            {"id": i, "dated": True, "as_of_day": as_of, "count": None, "history_from": start}
            for i, start in before.items()
        ]
        return null_dates(rows)

    def table():
        from ..tables import definitions_table

        caption = _caption("definitions", json_too=False, above=words)
        return definitions_table(defs.values(), wide=wide, caption=caption)

    show(as_json, records, table)


def _definitions_as_of(defs: dict, as_of: str):
    """Return the definitions as of ``as_of``, those whose history starts later, and words."""
    from ..dated import Day
    from ..errors import ParameterError

    day = Day.parse(as_of)
    out, before = {}, {}
    for key, d in defs.items():
        try:
            out[key] = d.on(day)
        except ParameterError:
            before[key] = d.history_from
    fixed = ", ".join(d.id for d in out.values() if not d.dated)
    words = f"As of {as_of}; fixed lists, the same at every date: {fixed}."
    if before:
        starts = ", ".join(f"{k} (from {v})" for k, v in before.items())
        words += f" No sourced list that day: {starts}."
    return out, before, words
