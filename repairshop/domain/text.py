"""Text a person typed or pasted, made fit to store, search and print.

A NUL or another control character pasted from elsewhere cannot be stored in PostgreSQL
(or breaks SQLite's full-text search), and half of a character (a lone surrogate, which
Python allows in a string) cannot be stored in either database. :func:`clean_text`
drops the control characters (keeping tabs and line breaks) and puts U+FFFD in place of
a lone surrogate; a combining mark at the very start, with no letter to sit on, goes too
(it would print left of its box); right-to-left marks and every real character stay.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters (tabs and line breaks stay) or lone surrogates."""
    text = _CONTROLS.sub("", text)
    if _SURROGATES.search(text):  # a pair is one character; a lone half becomes U+FFFD
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    start = 0
    while start < len(text) and unicodedata.combining(text[start]):
        start += 1
    return text[start:]
