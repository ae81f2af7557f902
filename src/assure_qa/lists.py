"""What kind of item a list question asks for: "What strengths did the peer review find?" asks for
strengths, "Which services are brought together…" for services. A list whose lead-in names that
kind ("The feedback highlighted the following strengths:") is the answer, rather than a list of
something else that mentions the word ("strengths-based practice") or a sentence about the review.
"""

from __future__ import annotations

import re

from .sparse import tokenize
from .units import Unit

_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
# "What strengths…", "Which two areas…", "What are the main themes…", "What kinds of support…"
_ITEMS = re.compile(
    rf"^\W*(?:what|which)\s+(?:(?:are|were|is|was|the|its|their|key|main|other|specific|particular|{_NUMBER}|"
    r"kinds?\s+of|types?\s+of|sorts?\s+of)\s+)*([a-z][a-z'-]*s)\b", re.I)
_NOT_ITEMS = frozenset(tokenize("others ones councils things kinds types sorts"))


def asked_items(question: str) -> str:
    """The stem of the plural noun naming the items a list question asks for, or ""."""
    match = _ITEMS.match(question)
    if not match:
        return ""
    stems = tokenize(match.group(1))
    return stems[0] if len(stems) == 1 and stems[0] not in _NOT_ITEMS else ""


def introduces(items: str, lead_in: str) -> bool:
    """Does a list's lead-in (or the part of a sentence before its colon) name the items?"""
    return bool(items) and items in tokenize(lead_in)


def lead_in(unit: Unit) -> str:
    """What introduces a unit's items: its lead-in, or the part of a sentence before its colon
    ("…through three approaches: a weekly call, …"); "" for a unit that introduces nothing."""
    if unit.lead is not None:
        return unit.lead.text
    head, colon, _ = unit.span.text.partition(":")
    return head if colon else ""
