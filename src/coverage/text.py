"""Text safety for terminals and one-line messages."""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]


def printable(text: str, *, limit: int | None = None, keep_newlines: bool = False) -> str:
    """Return ``text`` with control, format and bidi characters escaped as ``\\uXXXX``.

    Terminal output built from data (names from a user's file) must not move the
    cursor, change colours or reorder text with right-to-left marks. Newlines and
    tabs become spaces (newlines are kept with ``keep_newlines``). ``limit`` shortens
    the result with an ellipsis.
    """
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
