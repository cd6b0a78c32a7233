"""Reading the project's data files with locations for error messages.

YAML files are parsed with PyYAML's safe loader, extended to remember the line of
every key and list item and to refuse duplicate keys, so that a schema error can be
reported as ``file:line: field: message``. Three limits keep a small hostile file
from taking the machine: its size (:data:`MAX_YAML_BYTES`), its depth (Python's
recursion limit, reported as "nested too deeply") and what its aliases repeat
(:data:`MAX_YAML_ALIAS_NODES`), which stops a "billion laughs" file of a few hundred
bytes while it is being parsed, before anything walks the expanded value.

The events come from libyaml's C parser when PyYAML was built with it (it keeps the
line of every event); the nodes are composed and the values built in Python, by the
same hooks as the pure-Python loader. Any file the C route refuses is read again by
the pure-Python loader, so that every refusal (its message and its line) is the one
PyYAML's own parser gives.

Validation is done by pydantic models in the modules that own each file (systems,
claims, targets); :func:`validate` turns pydantic's first error into one
:class:`~coverage.errors.DataError` line.
"""

from __future__ import annotations

import codecs
import datetime
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from . import _validate as _v
from .errors import DataError, FieldError, ParameterError

__all__ = [
    "ISO2",
    "read_text",
    "read_yaml",
    "read_json",
    "JsonStream",
    "validate",
    "field_path",
    "locate_line",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "MAX_YAML_ALIAS_NODES",
    "JSON_CHUNK_BYTES",
]

#: GeoJSON files larger than this are refused with a clear message instead of exhausting memory.
MAX_FILE_BYTES = 200_000_000
#: YAML nodes are composed in Python (and refused files parsed again in pure Python,
#: about 1 MB/s): larger files are refused rather than hang.
MAX_YAML_BYTES = 20_000_000
#: Most nodes (scalars, lists and mappings) that the aliases (``*name``) of one YAML
#: file may repeat in total, each alias counting every node of what it names. The
#: nodes written out in a file are already bounded by :data:`MAX_YAML_BYTES`; aliases
#: are the only way for a document to grow beyond its text (nine levels of nine
#: aliases make a billion nodes from 300 bytes), so they get a budget of their own.
#: The bundled data files use no aliases; anchoring a source or a list of ranges and
#: repeating it a few hundred times stays far below this.
MAX_YAML_ALIAS_NODES = 100_000

M = TypeVar("M", bound=BaseModel)


class _Mapping(dict):
    """A dict that remembers the 1-based line of each key."""

    lines: dict[Any, int]


class _Sequence(list):
    """A list that remembers the 1-based line of each item."""

    lines: list[int]


class _LineHooks:
    """Hooks of a safe YAML loader that records lines, rejects duplicate keys and bounds aliases.

    Mixed in ahead of PyYAML's composer and constructor by :class:`_LineLoader`
    (pure Python) and :class:`_CLineLoader` (libyaml's events).

    Raises
    ------
    DataError
        From the hooks below: an alias that repeats too much or names a node that
        contains it, a key that is not a plain value, a duplicate key, or a value
        that cannot be built (e.g. an integer of thousands of digits, 2020-13-45).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._open_anchors: set[str] = set()  # anchors of the nodes being composed
        self._sizes: dict[int, int] = {}  # id(node) -> nodes in it, aliases expanded
        self._alias_nodes = 0  # nodes repeated by the aliases so far

    def compose_node(self, parent, index):  # noqa: D102 (PyYAML hook)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)
        if event.anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.add(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.discard(event.anchor)

    def _count_alias(self, event: yaml.AliasEvent) -> None:
        """Add what an alias repeats to the budget, refusing cycles and excess.

        Raises
        ------
        DataError
            If the alias names a node that contains it, or the aliases so far repeat
            more than :data:`MAX_YAML_ALIAS_NODES` nodes.
        """
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # PyYAML reports the undefined alias
        line = event.start_mark.line + 1
        name = _clip(event.anchor, 40)
        if event.anchor in self._open_anchors:
            raise DataError(
                f"YAML alias *{name} is used inside the node it names (a cycle); "
                "repeat a node only after it ends",
                path=self.name,
                line=line,
            )
        self._alias_nodes += _expanded_size(node, self._sizes)
        if self._alias_nodes > MAX_YAML_ALIAS_NODES:
            raise DataError(
                f"YAML aliases expand too far (more than {MAX_YAML_ALIAS_NODES:,} nodes "
                f"repeated, reached at *{name}); write the values out or use fewer aliases",
                path=self.name,
                line=line,
            )

    def construct_object(self, node, deep=False):  # noqa: D102 (PyYAML hook)
        try:
            return super().construct_object(node, deep=deep)
        except DataError:
            raise
        except (ValueError, OverflowError) as err:  # e.g. int("9" * 5000), 2020-13-45
            problem = _clip(str(err), 120)
            if node.tag == "tag:yaml.org,2002:int":
                problem = f"an integer of more than {sys.get_int_max_str_digits()} digits"
            raise DataError(
                f"YAML value cannot be read: {problem}",
                path=self.name,
                line=node.start_mark.line + 1,
            ) from err

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
                    f"a mapping key must be a plain value, got {_short(key)}",
                    path=self.name,
                    line=key_node.start_mark.line + 1,
                ) from err
            if key in result:
                raise DataError(
                    f"duplicate key {_short(key)} (first on line {result.lines[key]})",
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


class _LineLoader(_LineHooks, yaml.SafeLoader):
    """Pure-Python safe loader with the hooks of :class:`_LineHooks`."""


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineHooks.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineHooks.construct_sequence)

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

_CLineLoader: type | None = None
if _CParser is not None:

    class _CLineLoader(  # type: ignore[no-redef]
        _LineHooks,
        yaml.composer.Composer,
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
        _CParser,
    ):
        """Safe loader reading libyaml's events (with their lines) through :class:`_LineHooks`.

        libyaml scans and parses; PyYAML's own composer, resolver and constructor,
        ahead of ``CParser`` in the method order, build the nodes and the values, so
        the alias budget and the line of every key hold as in :class:`_LineLoader`.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._open_anchors = set()
            self._sizes = {}
            self._alias_nodes = 0

    _CLineLoader.add_constructor("tag:yaml.org,2002:map", _LineHooks.construct_mapping)
    _CLineLoader.add_constructor("tag:yaml.org,2002:seq", _LineHooks.construct_sequence)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Return the number of nodes in ``node`` with every alias inside it expanded.

    Each distinct node is visited once (a shared node's size is kept in ``sizes``,
    keyed by ``id``), so the cost follows the text of the file, never the size of the
    expansion. The walk is iterative: deep nesting cannot exhaust the stack here.

    Parameters
    ----------
    node : yaml.Node
        A complete node (no alias inside it refers to a node still being composed).
    sizes : dict
        Sizes already known, updated in place.

    Returns
    -------
    int
        Node count, the node itself included.
    """
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = _children(current)
        if children_done:
            sizes[id(current)] = 1 + sum(sizes[id(child)] for child in children)
        else:
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    """Return the direct children of a node: items, or keys and values."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes, turning every failure into one line.

    Raises
    ------
    DataError
        If the file does not exist, cannot be read, is too large or is not UTF-8.
    """
    _v.path(path, "path")
    _v.number(limit, "limit", integer=True, low=0)
    return _read_text(path, limit)


def _read_text(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> str:
    """Return :func:`read_text` of a checked path and limit."""
    p = Path(path)
    raw = _read_bytes(p, limit)
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


def _too_large(path: Path, limit: int) -> DataError:
    return DataError(
        f"file is larger than the {limit / 1e6:,.0f} MB limit; split it into smaller files",
        path=path,
    )


def _read_bytes(p: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a file; a larger regular file is refused unread.

    A regular file's size is checked with ``fstat`` before anything is read; devices
    and pipes report no size, so at most one byte past the limit is read to tell.

    Raises
    ------
    DataError
        If the file does not exist, cannot be read or is too large.
    """
    with _open_limited(p, limit) as stream:
        try:
            raw = _read_at_most(stream, limit + 1)
        except OSError as err:
            raise DataError(f"cannot read the file: {err.strerror or err}", path=p) from err
    if len(raw) > limit:
        raise _too_large(p, limit)
    return raw


def _open_limited(p: Path, limit: int) -> IO[bytes]:
    """Open a file for reading bytes, refusing a regular file over ``limit`` bytes unread.

    Raises
    ------
    DataError
        If the file does not exist, is a folder, cannot be opened or is too large.
    """
    stream = None
    try:
        if p.is_dir():
            raise DataError("is a folder, not a file", path=p)
        stream = open(p, "rb")  # noqa: SIM115 - returned open, closed by the caller
        st = os.fstat(stream.fileno())
    except FileNotFoundError as err:
        raise DataError("file not found", path=p) from err
    except PermissionError as err:
        raise DataError("permission denied: cannot read the file", path=p) from err
    except OSError as err:
        if stream is not None:
            stream.close()
        raise DataError(f"cannot read the file: {err.strerror or err}", path=p) from err
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        stream.close()
        raise _too_large(p, limit)
    return stream


def _read_at_most(stream: Any, size: int, *, chunk: int = 1 << 20) -> bytes:
    """Read up to ``size`` bytes in chunks of ``chunk`` bytes.

    ``stream.read(size)`` would reserve ``size`` bytes (200 MB for GeoJSON) even for a
    file of a few hundred; reading by chunks costs what the file holds.

    Raises
    ------
    OSError
        As ``stream.read``.
    """
    parts: list[bytes] = []
    total = 0
    while total < size:
        part = stream.read(min(chunk, size - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def read_yaml(path: str | os.PathLike[str]) -> Any:
    """Parse a YAML file safely, keeping line numbers for later messages.

    Files larger than :data:`MAX_YAML_BYTES`, nested deeper than Python's recursion
    limit, or whose aliases repeat more than :data:`MAX_YAML_ALIAS_NODES` nodes are
    refused; aliases are counted while the file is parsed, so a "billion laughs" file
    is refused in milliseconds without ever being expanded.

    Raises
    ------
    DataError
        On any read or syntax error, with the line where the parser stopped; for a
        file over one of the limits above; for an alias that names a node containing
        it; for a value that cannot be built (an integer of thousands of digits); for
        a string holding a lone UTF-16 surrogate (``"\\ud800"``).
    """
    _v.path(path, "path")
    return _read_yaml(path)


def _read_yaml(path: str | os.PathLike[str]) -> Any:
    """Return :func:`read_yaml` of a checked path.

    libyaml's events are tried first; a text that it refuses, or that holds what only
    PyYAML's own reader judges (a character YAML does not allow, an escaped
    surrogate), is read by the pure-Python loader, which gives every refusal.
    """
    text = _read_text(path, MAX_YAML_BYTES)
    if _CLineLoader is not None and not _PURE_ONLY.search(text):
        try:
            return _load(_CLineLoader, text, path)
        except (DataError, yaml.YAMLError, RecursionError, ValueError, OverflowError):
            pass  # read again below, for PyYAML's own message and line
    return _load_checked(text, path)


#: What PyYAML's pure reader or scanner judges on its own: a character YAML does not
#: allow (:class:`yaml.reader.Reader`), or an escaped UTF-16 surrogate (libyaml refuses
#: one with another message; PyYAML reads it and :func:`_refuse_lone_surrogates` tells).
_PURE_ONLY = re.compile(
    yaml.reader.Reader.NON_PRINTABLE.pattern + r"|\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _load(loader_class: type, text: str, path: str | os.PathLike[str]) -> Any:
    """Return the one document of ``text`` read by ``loader_class``, surrogates refused."""
    loader = loader_class(text)
    try:
        loader.name = str(path)
        return _refuse_lone_surrogates(loader.get_single_data(), text, path)
    finally:
        loader.dispose()


def _load_checked(text: str, path: str | os.PathLike[str]) -> Any:
    """Return the document of ``text`` read by the pure-Python loader, every failure one line."""
    try:
        return _load(_LineLoader, text, path)
    except DataError:
        raise
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as err:
        raise _yaml_error(err, text, path) from err


def _yaml_error(err: Exception, text: str, path: str | os.PathLike[str]) -> DataError:
    """Tell what stopped the YAML parser, in one line with the file and line."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = err.problem or err.context or "syntax error"
        return DataError(f"YAML syntax error: {problem}", path=path, line=line)
    if isinstance(err, yaml.reader.ReaderError):
        return DataError(
            f"YAML syntax error: character U+{err.character:04X} is not allowed",
            path=path,
            line=text.count("\n", 0, max(0, err.position)) + 1,
        )
    if isinstance(err, yaml.YAMLError):
        return DataError(f"YAML error: {_clip(str(err), 200)}", path=path)
    if isinstance(err, RecursionError):
        return DataError("YAML nested too deeply", path=path)
    # a value built outside construct_object
    return DataError(f"YAML value cannot be read: {_clip(str(err), 120)}", path=path)


def read_json(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> Any:
    """Parse a JSON (GeoJSON) file of at most ``limit`` bytes.

    Raises
    ------
    DataError
        On any read or syntax error, with the line of the error; for a string
        holding a lone UTF-16 surrogate (``"\\ud800"``), which no output could write.
    """
    _v.path(path, "path")
    _v.number(limit, "limit", integer=True, low=0)
    return _read_json(path, limit)


def _read_json(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> Any:
    """Return :func:`read_json` of a checked path and limit."""
    text = _read_text(path, limit)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise DataError(f"JSON syntax error: {err.msg}", path=path, line=err.lineno) from err
    except ValueError as err:
        raise DataError(str(err), path=path) from err
    except RecursionError as err:
        raise DataError("JSON nested too deeply", path=path) from err
    return _refuse_lone_surrogates(data, text, path)


#: Bytes read at a time when a JSON file is streamed (:class:`JsonStream`); a value
#: longer than this (a name of many megabytes) makes the reads grow with it.
JSON_CHUNK_BYTES = 1 << 20

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class JsonStream:
    """A JSON file read value by value, one member of its top-level object item by item.

    The items of the array named ``array`` (``"features"`` of a GeoJSON
    FeatureCollection) are yielded one at a time by :meth:`items`, each parsed by
    Python's own :mod:`json` decoder on a window of the file, so that memory holds
    one item and what the caller keeps of it, never the whole document: 1,000,000
    features are about 1 GB as one ``json.loads`` result. Every other member is
    parsed whole into :attr:`document`, in file order. What is refused is what
    :func:`read_json` refuses, with the same messages and lines: the file size
    before a byte is read, bytes that are not UTF-8, JSON syntax (``NaN``
    included) and strings holding a lone UTF-16 surrogate; a repeated key of the
    top-level object is refused too (``json.loads`` would keep the last one).

    Parameters
    ----------
    path : str or os.PathLike
        The JSON file.
    array : str
        Name of the top-level member whose array is streamed.
    limit : int, default MAX_FILE_BYTES
        Largest file accepted, bytes.

    Attributes
    ----------
    document : dict or Any
        The top-level members read so far (without ``array`` when it was
        streamed); when the file holds no object, its whole value, once
        :meth:`items` is exhausted.
    streamed : bool
        Whether ``array`` was found as an array and streamed.

    Examples
    --------
    >>> from coverage.targets import DEFAULT_CAPITALS  # the bundled capitals
    >>> with JsonStream(DEFAULT_CAPITALS, array="features") as stream:
    ...     names = [f["properties"]["name"] for f in stream.items()]
    >>> len(names), names[:2], stream.streamed
    (51, ['Andorra la Vella', 'Tirana'], True)
    >>> stream.document["type"]
    'FeatureCollection'
    """

    def __init__(
        self, path: str | os.PathLike[str], *, array: str, limit: int = MAX_FILE_BYTES
    ) -> None:
        _v.path(path, "path")
        _v.text(array, "array")
        _v.number(limit, "limit", integer=True, low=0)
        self.path = Path(path)
        self.array = array
        self.limit = limit
        self.document: Any = {}
        self.streamed = False
        self._stream: Any = None
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._json = json.JSONDecoder(parse_constant=_reject_constant)
        self._text = ""
        self._pos = 0  # where reading goes on in _text
        self._start = 0  # where the last value began in _text
        self._lines_before = 0  # line breaks in the text dropped before _text
        self._read = 0  # bytes read
        self._eof = False

    def __enter__(self) -> JsonStream:
        """Open the file, refusing a regular file over the limit before reading it."""
        self._stream = _open_limited(self.path, self.limit)
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the file."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def line(self) -> int:
        """Return the line (from 1) where the last value read, e.g. the last item, begins."""
        return self._line_at(self._start)

    def items(self) -> Iterator[Any]:
        """Yield the items of the streamed array, reading the other members on the way.

        Raises
        ------
        DataError
            On a read error, a file over the limit, bytes that are not UTF-8, a JSON
            syntax error, a lone surrogate or a repeated top-level key (file and line).
        """
        if self._stream is None:
            raise ParameterError("JsonStream.items: open the stream with `with` first")
        if self._peek() != "{":
            self.document = self._value()
            self._expect_end()
            return
        self._pos += 1
        if self._peek() == "}":
            self._pos += 1
        else:
            yield from self._members()
        self._expect_end()

    def _members(self) -> Iterator[Any]:
        """Read the members of the top-level object, streaming ``array``'s items."""
        while True:
            key = self._key()
            if key == self.array and self._peek() == "[":
                self.streamed = True
                yield from self._array_items()
            else:
                self.document[key] = self._value()
            mark = self._peek()
            self._pos += 1
            if mark == "}":
                return
            if mark != ",":
                raise self._syntax("Expecting ',' delimiter", self._pos - 1)

    def _key(self) -> str:
        """Read a member's key and its ``:``; a key seen before is refused."""
        if self._peek() != '"':
            raise self._syntax("Expecting property name enclosed in double quotes", self._pos)
        key = self._value()
        if key in self.document or (key == self.array and self.streamed):
            raise DataError(f"duplicate key {_short(key)}", path=self.path, line=self.line())
        if self._peek() != ":":
            raise self._syntax("Expecting ':' delimiter", self._pos)
        self._pos += 1
        return key

    def _array_items(self) -> Iterator[Any]:
        """Yield the items of the array opening at the current position."""
        self._pos += 1
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield self._value()
            mark = self._peek()
            self._pos += 1
            if mark == "]":
                return
            if mark != ",":
                raise self._syntax("Expecting ',' delimiter", self._pos - 1)

    def _peek(self) -> str:
        """Skip white space and return the next character ('' at the end of the file)."""
        while True:
            self._pos = _JSON_SPACE.match(self._text, self._pos).end()
            if self._pos < len(self._text) or not self._more():
                return self._text[self._pos : self._pos + 1]

    def _value(self) -> Any:
        """Parse the JSON value at the current position, reading more of the file as needed."""
        self._peek()
        while True:
            try:
                value, end = self._json.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as err:
                if self._cut_short(err) and self._more():
                    continue
                raise self._syntax(err.msg, err.pos) from None
            except RecursionError:
                raise DataError("JSON nested too deeply", path=self.path) from None
            except ValueError as err:  # NaN, Infinity: see _reject_constant
                raise DataError(str(err), path=self.path, line=self._line_at(self._pos)) from None
            if not self._may_go_on(value, end) or not self._more():
                break
        self._start, self._pos = self._pos, end
        self._refuse_lone_surrogates(value)
        return value

    def _may_go_on(self, value: Any, end: int) -> bool:
        """Whether a number read to near the window's end may go on past it (``1.`` of ``1.5``)."""
        return isinstance(value, (int, float)) and end + 3 > len(self._text) and not self._eof

    def _cut_short(self, err: json.JSONDecodeError) -> bool:
        """Whether a decoding error may only mean that the window ends inside the value."""
        return err.pos >= len(self._text) - 8 or err.msg.startswith("Unterminated string")

    def _more(self) -> bool:
        """Read more of the file into the window, dropping what is behind the current value.

        At least :data:`JSON_CHUNK_BYTES` are read, and as much as the window already
        holds of the current value, so that a long value costs a few reads, not many.

        Returns
        -------
        bool
            False at the end of the file.
        """
        if self._eof:
            return False
        keep = self._pos  # the current value starts here, or after white space from here
        self._lines_before += self._text.count("\n", 0, keep)
        self._text = self._text[keep:]
        self._pos -= keep
        self._start = max(0, self._start - keep)
        try:
            raw = self._stream.read(max(JSON_CHUNK_BYTES, len(self._text)))
        except OSError as err:
            raise DataError(f"cannot read the file: {err.strerror or err}", path=self.path) from err
        self._read += len(raw)
        if self._read > self.limit:
            raise _too_large(self.path, self.limit)
        self._eof = not raw
        self._text += self._decode(raw)
        return True

    def _decode(self, raw: bytes) -> str:
        """Decode the next bytes of the file (a character may span two reads)."""
        try:
            return self._decoder.decode(raw, final=self._eof)
        except UnicodeDecodeError as err:
            offset = self._read - len(err.object) + err.start
            line = self._line_at(len(self._text)) + err.object[: err.start].count(b"\n")
            raise DataError(
                f"not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {offset}); "
                "save the file as UTF-8",
                path=self.path,
                line=line,
            ) from None

    def _line_at(self, pos: int) -> int:
        return self._lines_before + self._text.count("\n", 0, pos) + 1

    def _syntax(self, message: str, pos: int) -> DataError:
        return DataError(f"JSON syntax error: {message}", path=self.path, line=self._line_at(pos))

    def _expect_end(self) -> None:
        """Refuse anything but white space after the document."""
        if self._peek():
            raise self._syntax("Extra data", self._pos)

    def _refuse_lone_surrogates(self, value: Any) -> None:
        """Refuse a value holding a lone surrogate, at the line of its escape."""
        if self._text.find("\\", self._start, self._pos) < 0:  # no escape at all
            return
        match = _LONE_SURROGATE.search(self._text, self._start, self._pos)
        if match is None or not _holds_lone_surrogate(value):
            return
        raise DataError(
            f"{match.group(0)} is half of a UTF-16 surrogate pair, not a character; "
            "remove it or give the whole pair",
            path=self.path,
            line=self._line_at(match.start()),
        )


# An escaped UTF-16 surrogate (JSON \ud800, YAML \ud800 or \U0000d800) that is not
# one half of a pair: the only way for a lone surrogate to get into loaded text.
_HIGH = r"\\(?:u|U0000)[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"\\(?:u|U0000)[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE = re.compile(f"{_HIGH}(?!{_LOW})|(?<![0-9a-fA-F]{{4}}){_LOW}")


def _refuse_lone_surrogates(data: Any, text: str, path: str | os.PathLike[str]) -> Any:
    """Return ``data`` unless a string in it holds a lone surrogate (not a character).

    Such a string cannot be written as UTF-8, so every output would fail later;
    it is refused here, at the line of its escape. The data are walked only when
    the text holds a surrogate escape at all.

    Raises
    ------
    DataError
        If a string or key holds a lone surrogate.
    """
    match = _LONE_SURROGATE.search(text)
    if match is None or not _holds_lone_surrogate(data):
        return data
    raise DataError(
        f"{match.group(0)} is half of a UTF-16 surrogate pair, not a character; "
        "remove it or give the whole pair",
        path=path,
        line=text.count("\n", 0, match.start()) + 1,
    )


def _holds_lone_surrogate(data: Any) -> bool:
    """Return True if a string (value or key) anywhere in ``data`` is not valid UTF-8."""
    stack = [data]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))  # YAML aliases share values: visit each once
            stack.extend(item.items() if isinstance(item, dict) else item)
        elif isinstance(item, tuple):
            stack.extend(item)
    return False


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
    _v.sequence(loc, "loc")
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def locate_line(data: Any, loc: Sequence[Any]) -> int | None:
    """Return the line of the deepest element of ``loc`` that the loaded data knows."""
    _v.sequence(loc, "loc")
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
    """Return a repr-like text of ``value`` of at most ``limit`` characters.

    Only as much of ``value`` as fits is looked at: a list of a billion items, or a
    string of twenty million characters, costs no more than a short one.

    Parameters
    ----------
    value : Any
        Typically loaded YAML or JSON: str, numbers, None, lists and dicts.
    limit : int, default 60
        Most characters returned (at least 4).

    Returns
    -------
    str
        ``repr(value)`` when short, else its beginning followed by ``...``.
    """
    parts: list[str] = []
    _emit(value, parts, limit + 1)
    return _clip("".join(parts), limit)


def _emit(value: Any, parts: list[str], budget: int) -> int:
    """Append a repr of ``value`` to ``parts``, stopping after ``budget`` characters.

    Returns
    -------
    int
        The budget left (0 or less once ``parts`` is long enough to be cut).
    """
    if budget <= 0:
        return budget
    if isinstance(value, dict):
        return _emit_items(value.items(), "{}", parts, budget, pairs=True)
    if isinstance(value, list):
        return _emit_items(value, "[]", parts, budget)
    if isinstance(value, tuple):
        return _emit_items(value, "()", parts, budget)
    if isinstance(value, (set, frozenset)):
        return _emit_items(value, "{}", parts, budget)
    text = _scalar_repr(value, budget)
    parts.append(text)
    return budget - len(text)


def _emit_items(
    items: Any, brackets: str, parts: list[str], budget: int, *, pairs: bool = False
) -> int:
    """Emit a container's items (``key: value`` when ``pairs``) until the budget runs out."""
    parts.append(brackets[0])
    budget -= 1
    for i, item in enumerate(items):
        if budget <= 0:
            return budget
        if i:
            parts.append(", ")
            budget -= 2
        if pairs:
            budget = _emit(item[0], parts, budget)
            parts.append(": ")
            budget = _emit(item[1], parts, budget - 2)
        else:
            budget = _emit(item, parts, budget)
    parts.append(brackets[1])
    return budget - 1


def _scalar_repr(value: Any, budget: int) -> str:
    """Return the repr of a non-container value, reading no more than ``budget`` of it."""
    if isinstance(value, (str, bytes)):
        return repr(value[: budget + 1])
    if value is None or isinstance(value, (bool, float, datetime.date, datetime.time)):
        return repr(value)
    if isinstance(value, int):
        # repr() of an integer of thousands of digits is slow, or refused by Python.
        return repr(value) if value.bit_length() <= 256 else "<a very large integer>"
    return f"<{type(value).__name__}>"


def _clip(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validate(model: type[M], data: Any, *, path: str | os.PathLike[str] | None = None) -> M:
    """Validate loaded data against a pydantic model, raising one DataError line.

    Raises
    ------
    DataError
        With file, line and dotted field of the first problem pydantic reports.
    """
    _v.model_type(model)
    _v.path(path, "path", optional=True)
    try:
        return model.model_validate(data)
    except (ValidationError, FieldError) as err:
        problems = err.errors if isinstance(err, FieldError) else err.errors(include_url=False)
        loc, message = _first_problem(model, problems)
        raise DataError(
            _clip(message, 300),
            path=path,
            line=locate_line(data, loc),
            field=_clip(field_path(loc), 200) or None,
        ) from err


def _first_problem(model: type[BaseModel], problems: list[dict]) -> tuple[tuple, str]:
    """Return the location and the message of the first problem pydantic reports.

    Parameters
    ----------
    model : type
        The pydantic model validated.
    problems : list of dict
        ``ValidationError.errors()``: each with ``loc``, ``msg``, ``type`` and ``input``.

    Returns
    -------
    tuple
        The location (keys and indices, pydantic's type tags left out) and the
        message, ending in ``, got <value>`` when the value itself is at fault.
    """
    first = problems[0]
    loc = tuple(p for p in first["loc"] if not _is_union_tag(p))
    message = re.sub(r"^Value error, ", "", first["msg"])
    if not loc and first["type"] in ("model_type", "dict_type"):
        keys = ", ".join(model.model_fields)
        message = f"expected a mapping with the keys {keys} at the top level"
    if first["type"] not in ("missing", "value_error", "assertion_error") and "input" in first:
        message += f", got {_short(first['input'])}"
    return loc, message


def _field_error(model: type[BaseModel], err: ValidationError) -> FieldError:
    """Turn pydantic's error on building ``model`` into one FieldError line naming the field."""
    problems = err.errors(include_url=False)
    loc, message = _first_problem(model, problems)
    field = _clip(field_path(loc), 200) or None
    where = f"{model.__name__}.{field}" if field else model.__name__
    more = len(problems) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return FieldError(
        f"{where}: {_clip(message, 300)}", model=model.__name__, field=field, errors=problems
    )


class Model(BaseModel):
    """Base of the library's pydantic models: a bad field raises :class:`FieldError`.

    Built in code (``Site(id="x", ...)``, ``System.model_validate(mapping)``), a model
    refuses a wrong type, NaN, infinity, ``None`` or a missing field with one
    :class:`~coverage.errors.FieldError` line naming the model and the field
    (``Site.lat: Input should be a valid number, got 'abc'``), never pydantic's
    ``ValidationError``; positional arguments are refused the same way. Data
    files are validated with :func:`validate`, which names the file, line and field.

    Raises
    ------
    FieldError
        On building a model with a field it cannot take.
    """

    def __init__(self, /, *args: Any, **data: Any) -> None:
        name = type(self).__name__
        if args:
            raise FieldError(
                f"{name}: fields are given by name ({name}(id=...)), got {len(args)} "
                "positional argument(s)",
                model=name,
            )
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise _field_error(type(self), err) from err

    # Tells pydantic that this __init__ only wraps its own (as RootModel's does): a model
    # inside another is then validated by pydantic-core, so that a file's error keeps its
    # whole location (systems[3].ranges[0].km) instead of passing through this one.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Any:
        """Validate ``obj`` (a mapping) as this model; see ``pydantic.BaseModel.model_validate``.

        Raises
        ------
        FieldError
            Naming the model and the first field at fault.
        """
        try:
            return super().model_validate(obj, **options)
        except ValidationError as err:
            raise _field_error(cls, err) from err

    @classmethod
    def model_validate_json(cls, json_data: Any, **options: Any) -> Any:
        """Validate JSON text as this model; see ``pydantic.BaseModel.model_validate_json``.

        Raises
        ------
        FieldError
            Naming the model and the first field at fault (or the JSON error).
        """
        try:
            return super().model_validate_json(json_data, **options)
        except ValidationError as err:
            raise _field_error(cls, err) from err


def _is_union_tag(part: Any) -> bool:
    """Pydantic puts type names such as 'function-after[...]' in locations; drop them."""
    return isinstance(part, str) and ("[" in part or part in ("str", "float", "int", "bool"))
