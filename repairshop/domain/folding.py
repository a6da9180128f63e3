"""Text folded the way people type it: no diacritics, no case, Latin letters only.

A clerk types ``novak`` for "Novák", ``zolc`` for "Żółć", ``lukasz`` for
"Łukasz", ``szollosi`` for "Szőllősi" and ``gross`` for "Groß". The search
index holds folded text and every query is folded by the same :func:`fold`, so
the two always agree. anyascii transliterates every script to ASCII: "ß"
becomes "ss", "ł" becomes "l", and Cyrillic is transliterated ("Кузнецова" →
"kuznetsova"), so a Russian customer is found by the name typed in Cyrillic
and by its Latin spelling alike.
"""

from __future__ import annotations

from anyascii import anyascii


class _FoldedCharacters(dict[int, str]):
    """Each character's folded form, looked up by anyascii the first time it is seen.

    anyascii transliterates character by character, so ``str.translate`` with
    this table gives the same text, at C speed once the shop's alphabet is known
    (the migration folds a million jobs' texts).
    """

    def __missing__(self, codepoint: int) -> str:
        folded = anyascii(chr(codepoint)).lower()
        self[codepoint] = folded
        return folded


_FOLDED = _FoldedCharacters()


def fold(text: str) -> str:
    """``text`` in lower-case ASCII: transliterated, diacritics dropped, case folded."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDED)


def same_person_name(first: str, second: str) -> bool:
    """Whether two written names are the same name: folded, word order and spacing aside
    ("Kovács János" and "Janos Kovacs" are; "Jan Novák" and "Eva Nováková" are not)."""
    return sorted(fold(first).split()) == sorted(fold(second).split())
