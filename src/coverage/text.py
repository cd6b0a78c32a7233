"""Text safety for terminals and one-line messages."""

from __future__ import annotations

import codecs
import unicodedata

from . import _validate as _v

__all__ = ["printable", "numbered", "REPLACE_ERRORS"]


def numbered(labels, sep: str = " #") -> list[str]:
    """Give repeated labels numbers (``"x"``, ``"x #2"``) so that every one is distinct.

    Examples
    --------
    >>> numbered(["a", "b", "a"])
    ['a', 'b', 'a #2']
    """
    _v.strings(labels, "labels")
    _v.text(sep, "sep")
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}{sep}{seen[label]}")
    return out


def printable(text: str, *, limit: int | None = None, keep_newlines: bool = False) -> str:
    """Return ``text`` with control, format and bidi characters escaped as ``\\uXXXX``.

    Terminal output built from data (names from a user's file) must not move the
    cursor, change colours or reorder text with right-to-left marks. Newlines and
    tabs become spaces (newlines are kept with ``keep_newlines``). ``limit`` shortens
    the result with an ellipsis.
    """
    _v.text(text, "text")
    _v.number(limit, "limit", optional=True, integer=True, low=0)
    _v.flag(keep_newlines, "keep_newlines")
    return _printable(text, limit, keep_newlines)


def _printable(text: str, limit: int | None = None, keep_newlines: bool = False) -> str:
    """Return :func:`printable` of checked arguments."""
    out = []
    for ch in str(text):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    result = "".join(out)
    if limit is not None and len(result) > limit:
        result = result[: max(0, limit - 1)] + "…"
    return result


#: Name of the codec error handler that writes U+FFFD for a character the encoding
#: cannot take (a lone surrogate in UTF-8), or ``?`` where U+FFFD cannot be encoded
#: either (ASCII, Latin-1). Use as ``errors=REPLACE_ERRORS`` in ``open`` or
#: ``TextIOWrapper.reconfigure``.
REPLACE_ERRORS = "threat-coverage-replace"


def _replace_unencodable(err: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler behind :data:`REPLACE_ERRORS`.

    Raises
    ------
    UnicodeError
        ``err`` itself when it is not an encoding error (decoding keeps its own rules).
    """
    if not isinstance(err, UnicodeEncodeError):
        raise err
    try:
        mark = "\ufffd".encode(err.encoding)
    except (UnicodeError, LookupError):
        mark = "?".encode(err.encoding)
    return mark * (err.end - err.start), err.end


codecs.register_error(REPLACE_ERRORS, _replace_unencodable)
