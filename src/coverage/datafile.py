"""Reading the project's data files with locations for error messages.

YAML files are parsed with PyYAML's safe loader, extended to remember the line of
every key and list item and to refuse duplicate keys, so that a schema error can be
reported as ``file:line: field: message``. Validation is done by pydantic models in
the modules that own each file (systems, claims, targets); :func:`validate` turns
pydantic's first error into one :class:`~coverage.errors.DataError` line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from .errors import DataError

__all__ = [
    "ISO2",
    "read_text",
    "read_yaml",
    "read_json",
    "validate",
    "field_path",
    "locate_line",
    "MAX_FILE_BYTES",
]

#: GeoJSON files larger than this are refused with a clear message instead of exhausting memory.
MAX_FILE_BYTES = 200_000_000
#: YAML is parsed in pure Python (about 1 MB/s): larger files are refused rather than hang.
MAX_YAML_BYTES = 20_000_000

M = TypeVar("M", bound=BaseModel)


class _Mapping(dict):
    """A dict that remembers the 1-based line of each key."""

    lines: dict[Any, int]


class _Sequence(list):
    """A list that remembers the 1-based line of each item."""

    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records lines and rejects duplicate keys."""

    def construct_mapping(self, node, deep=False):  # noqa: D102 (PyYAML hook)
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)
        result = _Mapping()
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError as err:
                raise DataError(
                    f"a mapping key must be a plain value, got {key!r}",
                    path=self.name,
                    line=key_node.start_mark.line + 1,
                ) from err
            if key in result:
                raise DataError(
                    f"duplicate key {key!r} (first on line {result.lines[key]})",
                    path=self.name,
                    line=key_node.start_mark.line + 1,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):  # noqa: D102 (PyYAML hook)
        result = _Sequence(self.construct_object(child, deep=True) for child in node.value)
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes, turning every failure into one line.

    Raises
    ------
    DataError
        If the file does not exist, cannot be read, is too large or is not UTF-8.
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise DataError("is a folder, not a file", path=p)
        # Read at most one byte past the limit: devices and pipes report no size.
        with open(p, "rb") as stream:
            raw = stream.read(limit + 1)
    except FileNotFoundError as err:
        raise DataError("file not found", path=p) from err
    except PermissionError as err:
        raise DataError("permission denied: cannot read the file", path=p) from err
    except OSError as err:
        raise DataError(f"cannot read the file: {err.strerror or err}", path=p) from err
    if len(raw) > limit:
        raise DataError(
            f"file is larger than the {limit / 1e6:,.0f} MB limit; split it into smaller files",
            path=p,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save the file as UTF-8",
            path=p,
            line=line,
        ) from err


def read_yaml(path: str | os.PathLike[str]) -> Any:
    """Parse a YAML file safely, keeping line numbers for later messages.

    Raises
    ------
    DataError
        On any read or syntax error, with the line where the parser stopped.
    """
    text = read_text(path, limit=MAX_YAML_BYTES)
    loader = None
    try:
        loader = _LineLoader(text)
        loader.name = str(path)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = err.problem or err.context or "syntax error"
        raise DataError(f"YAML syntax error: {problem}", path=path, line=line) from err
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, max(0, err.position)) + 1
        raise DataError(
            f"YAML syntax error: character U+{err.character:04X} is not allowed",
            path=path,
            line=line,
        ) from err
    except yaml.YAMLError as err:
        raise DataError(f"YAML error: {err}", path=path) from err
    except RecursionError as err:
        raise DataError("YAML nested too deeply", path=path) from err
    finally:
        if loader is not None:
            loader.dispose()


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON (GeoJSON) file.

    Raises
    ------
    DataError
        On any read or syntax error, with the line of the error.
    """
    text = read_text(path)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise DataError(f"JSON syntax error: {err.msg}", path=path, line=err.lineno) from err
    except ValueError as err:
        raise DataError(str(err), path=path) from err
    except RecursionError as err:
        raise DataError("JSON nested too deeply", path=path) from err


def _reject_constant(name: str) -> None:
    raise ValueError(f"JSON syntax error: {name} is not valid JSON; use a finite number")


def _iso2_value(value: Any) -> Any:
    if value is False:  # YAML 1.1 reads a bare NO (Norway) as false
        raise ValueError('write Norway as "NO" in quotes: YAML reads a bare NO as false')
    return value


#: An ISO 3166-1 alpha-2 code (XK for Kosovo), with a clear message for YAML's bare NO.
ISO2 = Annotated[str, BeforeValidator(_iso2_value), Field(pattern=r"^[A-Z]{2}$")]


def field_path(loc: Sequence[Any]) -> str:
    """Format a location tuple as ``systems[3].ranges[0].km``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def locate_line(data: Any, loc: Sequence[Any]) -> int | None:
    """Return the line of the deepest element of ``loc`` that the loaded data knows."""
    line = None
    node = data
    for part in loc:
        lines = getattr(node, "lines", None)
        try:
            if isinstance(node, dict) and part in node:
                line = lines.get(part, line) if isinstance(lines, dict) else line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line = lines[part] if isinstance(lines, list) else line
                node = node[part]
            else:
                break
        except (TypeError, KeyError, IndexError):
            break
    return line


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validate(model: type[M], data: Any, *, path: str | os.PathLike[str] | None = None) -> M:
    """Validate loaded data against a pydantic model, raising one DataError line.

    Raises
    ------
    DataError
        With file, line and dotted field of the first problem pydantic reports.
    """
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        loc = tuple(p for p in first["loc"] if not _is_union_tag(p))
        message = re.sub(r"^Value error, ", "", first["msg"])
        if not loc and first["type"] in ("model_type", "dict_type"):
            keys = ", ".join(model.model_fields)
            message = f"expected a mapping with the keys {keys} at the top level"
        if first["type"] not in ("missing", "value_error", "assertion_error") and "input" in first:
            message += f", got {_short(first['input'])}"
        raise DataError(
            message, path=path, line=locate_line(data, loc), field=field_path(loc) or None
        ) from err


def _is_union_tag(part: Any) -> bool:
    """Pydantic puts type names such as 'function-after[...]' in locations; drop them."""
    return isinstance(part, str) and ("[" in part or part in ("str", "float", "int", "bool"))
