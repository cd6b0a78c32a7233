"""Library errors in the command line's words: one table from parameters to options.

The library names its parameters (``ParameterError.parameter``, ``range_km`` in a
message); the command line names its options (``--range-km``). :data:`OPTION_NAMES`
is the one table between the two; :class:`Command` translates every
:class:`~coverage.errors.CoverageError` a command raises into a click error, which
:func:`coverage.cli.main.main` prints as one line.
"""

from __future__ import annotations

import re

import click

from ..errors import ConflictError, CoverageError, ParameterError
from ..text import printable

__all__ = ["OPTION_NAMES", "Command", "option_words"]

#: The command line's name for each library parameter that a message may name.
OPTION_NAMES = {
    "claim_id": "CLAIM_ID",
    "systems": "--system",
    "range_km": "--range-km",
    "max_km": "--range-km",
    "min_range_km": "--min-range-km",
    "min_km": "--min-range-km",
    "sites": "--site",
    "points": "--at",
    "areas": "--area",
    "area_files": "--area-file",
    "sector": "--sector",
    "defences": "--defence",
    "threat_altitude_m": "--threat-altitude-m",
    "radar_height_m": "--radar-height-m",
    "share": "--share",
    "definition": "--definition",
    "kind": "--kind",
    "systems_file": "--systems",
    "targets_file": "--targets",
    "targets": "--targets",
    "claims_file": "--claims",
    "territories": "--territories",
    "tiles": "--tiles",
    "size_px": "--size",
    "tolerance_km": "--tolerance-km",
    "path": "-o",
}

_UNDERSCORED = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in OPTION_NAMES if "_" in n) + r")(?!\w)"
)


def option_words(message: str, parameter: str | None = None) -> str:
    """Name the command line's options where a library message names its parameters.

    Library messages name parameters in three ways, each unambiguous: a leading
    ``name:`` for the parameter at fault (``share: must be ...``), a name in
    backticks (``give `points` or `sites```), or a name with an underscore
    (``range_km``). Each known one becomes its option (see :data:`OPTION_NAMES`).

    Parameters
    ----------
    message : str
        The library's message.
    parameter : str, optional
        The parameter the error names (``ParameterError.parameter``); a leading
        ``name:`` is translated only when it is this one (or none is named).

    Returns
    -------
    str
    """
    lead = message.split(":", 1)[0]
    if lead in OPTION_NAMES and (parameter is None or parameter == lead):
        message = OPTION_NAMES[lead] + message[len(lead) :]
    message = re.sub(r"`(\w+)`", lambda m: OPTION_NAMES.get(m.group(1), m.group(1)), message)
    return _UNDERSCORED.sub(lambda m: OPTION_NAMES[m.group(0)], message)


def click_error(err: CoverageError) -> click.ClickException:
    """Return the click error that tells ``err`` in one line, with option names.

    A :class:`~coverage.errors.ConflictError` (options that cannot go together)
    becomes a usage error (exit status 2); every other error exit status 1.
    Control and bidi characters are escaped so that the line cannot be spoofed.
    """
    if isinstance(err, ConflictError):
        return click.UsageError(printable(option_words(str(err), err.parameter)))
    if isinstance(err, ParameterError):
        return click.ClickException(printable(option_words(str(err), err.parameter)))
    return click.ClickException(printable(str(err)))


class Command(click.Command):
    """A click command whose CoverageErrors reach the user as one line (see :func:`click_error`)."""

    def invoke(self, ctx: click.Context):  # noqa: D102 (click hook)
        try:
            return super().invoke(ctx)
        except CoverageError as err:
            raise click_error(err) from err
