"""Pure text helpers shared by the engine and the renderer (no engine imports)."""

from __future__ import annotations

import re

HTML_TAG = re.compile(r"<[^>]+>")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")

__all__ = ["HTML_TAG", "MARKDOWN_LINK", "plain_text"]


def plain_text(text: str) -> str:
    """Text as a reader (or a retriever) should see it: cells separated by " | ", HTML tags,
    Markdown link targets, bold markers and spacing removed. Never used for offsets."""
    text = MARKDOWN_LINK.sub(r"\1", text).replace("\\(", "(").replace("\\)", ")")
    text = AUTOLINK.sub(r"\1", text)  # <https://…> is a link, not a tag
    text = HTML_TAG.sub(" ", text.replace("\t", " | ")).replace("**", "")
    text = re.sub(r"(?:\s*\|\s*)+(?=\s*$)|^(?:\s*\|\s*)+", "", text, flags=re.M)
    text = re.sub(r"(?:[ \t]*\|[ \t]*){2,}", " | ", text)
    text = re.sub(r"^[\s|:\-–—]*-{2,}[\s|:\-–—]*$", "", text, flags=re.M)
    return " ".join(text.split())
