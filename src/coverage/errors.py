"""Exceptions raised by threat-coverage.

The whole tree, one sentence per class on when it is raised::

    CoverageError(Exception)                        root; the CLI catches only this
    ├── DataError(CoverageError, ValueError)         a bad YAML/GeoJSON file; .path .line .field
    ├── CoordinateError(CoverageError, ValueError)   latitude outside [-90, 90], longitude outside
    │                                                [-180, 180], or a coordinate that is not finite
    ├── ParameterError(CoverageError, ValueError)    a bad range, share or option value, or an
    │                                                argument of the wrong type; .parameter
    │   ├── ConflictError(ParameterError)            parameters that cannot be given together
    │   └── FieldError(ParameterError)               a model (Site, System, Claim ...) built with a
    │                                                field it cannot take; .model .field .errors
    ├── UnknownNameError(CoverageError, LookupError) unknown system, site, claim or definition
    └── ExportError(CoverageError, OSError)          an output could not be written; nothing was
                                                     left behind and no existing file was touched
    CoverageWarning(UserWarning)                     something worth knowing that is not an error

Each message is one line: where, what, the value received, and what would work,
for example ``data/systems.yaml:41: systems[3].ranges[0].km: must be > 0, got -50``.
The mixed-in builtins let ``except ValueError`` or ``except LookupError`` keep working.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "CoverageError",
    "DataError",
    "CoordinateError",
    "ParameterError",
    "ConflictError",
    "FieldError",
    "UnknownNameError",
    "ExportError",
    "CoverageWarning",
]


class CoverageError(Exception):
    """Root of every error threat-coverage raises on purpose."""


class DataError(CoverageError, ValueError):
    """A data file (YAML or GeoJSON) is malformed, unreadable or fails validation.

    Parameters
    ----------
    message : str
        What is wrong and what would be valid.
    path : str or os.PathLike, optional
        The file, when the data came from one.
    line : int, optional
        1-based line number in that file, when known.
    field : str, optional
        Dotted path of the offending field, e.g. ``systems[3].ranges[0].km``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else Path(path)
        self.line = line
        self.field = field
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        if field:
            where += f"{field}: "
        super().__init__(_one_line(where + message))


class CoordinateError(CoverageError, ValueError):
    """A longitude or latitude is outside its valid interval or not finite."""


class ParameterError(CoverageError, ValueError):
    """A parameter has a value that cannot work (e.g. a negative range) or the wrong type.

    Every public function checks its arguments first (see ``coverage._validate``):
    a string where a number is expected, ``None`` where a verdict is expected, or a
    single string where a sequence of ids or paths is expected is refused with this
    error rather than a raw ``TypeError``, ``AttributeError`` or ``OverflowError``.

    The message names the library's parameter (``max_km: must be greater than 0``);
    ``parameter`` holds that name, so that a command line can name its own option
    instead (``--range-km``).
    """

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class ConflictError(ParameterError):
    """Parameters that cannot be given together, or one given without another it needs."""


class FieldError(ParameterError):
    """A library model (``Site``, ``System``, ``Claim`` ...) built with a field it cannot take.

    Raised instead of pydantic's ``ValidationError`` when a model is built in code
    (``Site(id=None, ...)``); the message names the model and the first field at
    fault, e.g. ``Site.lat: Input should be a finite number, got nan``. Data files
    are reported as :class:`DataError` with their file and line instead.

    Parameters
    ----------
    message : str
        The one-line message.
    model : str
        Name of the model class.
    field : str, optional
        Dotted path of the first field at fault (``ranges[0].km``); None when the
        model as a whole is refused (e.g. ``min_km >= km``).
    errors : list of dict, optional
        Every problem pydantic reported (``loc``, ``msg``, ``type``, ``input``).
    """

    def __init__(
        self,
        message: str,
        *,
        model: str,
        field: str | None = None,
        errors: list[dict] | None = None,
    ) -> None:
        super().__init__(_one_line(message), parameter=field)
        self.model = model
        self.field = field
        self.errors = list(errors or ())


class UnknownNameError(CoverageError, LookupError):
    """A system, site, claim or definition id is not known; the message suggests close ids."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        import difflib

        close = difflib.get_close_matches(name, self.known, n=3, cutoff=0.5)
        if close:
            hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
        elif self.known:
            shown = ", ".join(self.known[:12]) + (", ..." if len(self.known) > 12 else "")
            hint = f"known: {shown}"
        else:
            hint = "none are defined"
        super().__init__(_one_line(f"unknown {kind} {name!r}; {hint}"))

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return str(self.args[0])


class ExportError(CoverageError, OSError):
    """An output file could not be written; any existing file at the target is unchanged."""

    def __str__(self) -> str:  # OSError's __str__ would add errno decorations
        return str(self.args[0])


class CoverageWarning(UserWarning):
    """Something the user should know that does not stop the work."""


def _one_line(text: str) -> str:
    """Collapse whitespace, including newlines, so a message always fits on one line."""
    return " ".join(str(text).split())
