"""How a gold quote is found in a document as read: as an answer shows text, so white space,
curly quotes and dashes, and Markdown bold markers do not tell a quote from its place.

A quote of what the reader sees ("3,410 nights of respite were provided") is found where the file
says "**3,410 nights of respite** were provided", and one written with the markers still is.
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTES_PAIRS = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("\xa0", " "))
_QUOTES = str.maketrans(dict(_QUOTES_PAIRS))


def normalise(text: str) -> str:  # as an answer shows it: no Markdown bold markers ("**3,410** nights")
    return " ".join(text.translate(_QUOTES).replace("**", "").split())


_BOLD = r"(?:\*\*)?"  # a Markdown bold marker, which the answer does not show


@lru_cache(maxsize=4096)
def as_written(quote: str) -> re.Pattern[str]:
    """``quote`` wherever a document holds it, as ``normalise`` compares text: a line break or run
    of spaces for a space (a PDF's lines, a table cell's wrapping), a curly quote or dash for a
    straight one, with or without Markdown bold markers between words or around punctuation.
    Retrieval's hit measures (``gold_found``) compare the same way."""
    variants: dict[str, str] = {}
    for original, plain in ((k, v) for k, v in _QUOTES_PAIRS if v != " "):
        variants.setdefault(plain, plain)
        variants[plain] += original
    words = []
    for word in normalise(quote).split(" "):
        pieces = []
        for i, ch in enumerate(word):
            if i and ch.isalnum() != word[i - 1].isalnum():
                pieces.append(_BOLD)  # "'**Good**'" for "'Good'"
            pieces.append(f"[{re.escape(variants[ch])}]" if ch in variants else re.escape(ch))
        words.append("".join(pieces))
    return re.compile(rf"{_BOLD}\s+{_BOLD}".join(words))
