"""Pure text helpers shared by the engine and the renderer (no engine imports)."""

from __future__ import annotations

import re
from functools import lru_cache

HTML_TAG = re.compile(r"<[^>]+>")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
_EDGE_PIPES = re.compile(r"(?:\s*\|\s*)+(?=\s*$)|^(?:\s*\|\s*)+", re.M)
_RUN_OF_PIPES = re.compile(r"(?:[ \t]*\|[ \t]*){2,}")
_RULE_LINE = re.compile(r"^[\s|:\-–—]*-{2,}[\s|:\-–—]*$", re.M)

# The glyphs documents set list items with, besides "-" and "*": word processors and PDF printers
# use squares, arrows, circles and ticks as often as the round bullet.
BULLETS = "•✓✔▪◦●■□▫◆◇►▶▸‣⁃○❖➢➤·"

__all__ = ["BULLETS", "HTML_TAG", "MARKDOWN_LINK", "plain_text"]


@lru_cache(maxsize=65_536)  # a passage's text is cleaned at chunking, embedding, BM25 and every answer
def plain_text(text: str) -> str:
    """Text as a reader (or a retriever) should see it: cells separated by " | ", HTML tags,
    Markdown link targets, bold markers and spacing removed. Never used for offsets."""
    # Each pattern needs a character the text may not hold: skipping it then changes nothing.
    if "](" in text:
        text = MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")")
    if "<" in text:
        text = AUTOLINK.sub(r"\1", text)  # <https://…> is a link, not a tag
        text = HTML_TAG.sub(" ", text.replace("\t", " | "))
    text = text.replace("\t", " | ").replace("**", "")
    if "|" in text:
        text = _RUN_OF_PIPES.sub(" | ", _EDGE_PIPES.sub("", text))
    if "--" in text:
        text = _RULE_LINE.sub("", text)
    return " ".join(text.split())
