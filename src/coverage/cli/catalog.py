"""``threat-coverage systems``, ``sites`` and ``definitions``: what the catalogue holds."""

from __future__ import annotations

import click

from .options import json_opt, systems_file_opt, wide_opt
from .terminal import console, null_dates, show

__all__ = ["definitions", "sites", "systems"]


def _caption(table: str, *, json_too: bool = True) -> str:
    """Say under a compact catalogue table what --wide (and --json) show."""
    from ..tables import WIDE_SHOWS

    return f"--wide: {WIDE_SHOWS[table]}" + ("; --json: everything" if json_too else "")


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
    from ..tables import systems_table

    catalog = _catalog(systems_file)
    show(
        as_json,
        lambda: null_dates([s.model_dump() for s in catalog]),
        lambda: systems_table(
            catalog, wide=wide, console_width=console().width, caption=_caption("systems")
        ),
    )


@click.command()
@systems_file_opt
@json_opt
@wide_opt
def sites(systems_file, as_json, wide):
    """List the known basing sites (lon/lat degrees) with what is based there and sources."""
    from ..tables import sites_table

    catalog = _catalog(systems_file)

    def records():
        return null_dates(
            [
                {**s.model_dump(), "kind": catalog.role_of(s), "shape": s.kind}
                for s in catalog.sites.values()
            ]
        )

    show(as_json, records, lambda: sites_table(catalog, wide=wide, caption=_caption("sites")))


@click.command()
@json_opt
@wide_opt
def definitions(as_json, wide):
    """List the definitions of "Europe's capitals" with their counts and sources."""
    from ..tables import definitions_table
    from ..targets import load_definitions

    defs = load_definitions()
    show(
        as_json,
        lambda: null_dates([d.model_dump() for d in defs.values()]),
        lambda: definitions_table(
            defs.values(), wide=wide, caption=_caption("definitions", json_too=False)
        ),
    )
