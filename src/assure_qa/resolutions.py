"""What a committee resolved or decided, point by point, with who is to act.

Minutes and decision records state decisions as a block ("RESOLVED that:", "Resolved: (i) That…",
"Decision:") whose points are lettered or numbered ("(a)", "a)", "(iv)", "1."), or as one sentence
("RESOLVED that the report be noted"). ``points`` splits a block into its points as exact spans;
``owner`` finds who a point asks to act when it names them: an office holder or body as the
subject ("the Director of Adult Social Care to report back…", "the Assistant Director, Adult
Social Care Operations, circulate…", "That the Panel submit…"), as the one asked ("to ask the Head
of Commissioning to publish…") or as the agent of a passive ("…to be drafted by the Chair and
Vice-Chair").
"""

from __future__ import annotations

import re

from .structure import RESOLUTION
from .text import BULLETS

# A point's marker where a line starts, or straight after the block's label ("Resolved: (i)That").
MARKER = re.compile(r"(?:^|(?<=\n)|(?<=:))[ \t\xa0]*(\(?(?:[ivx]{1,5}|[a-z])\)|\d{1,2}[.)]|[" + BULLETS + r"*-])"
                    r"[ \t\xa0]*(?=\S)")
# The decision is recorded; the reasons, alternatives and declarations around it are not decisions.
NOT_A_DECISION = re.compile(r"^\s*(?:reasons?\s+for|alternative\s+options?)", re.I)
_ROLE_NOUN = (r"(?:Director|Head|Manager|Officer|Executive|Member|Members|Chair|Chairman|Vice-Chair|Lead|Leader|"
              r"Worker|Board|Panel|Committee|Cabinet|Team|Group|Council|Service|Services|Commissioner|Partnership)")
# "the Director of Adult Social Care", "the Head of Commissioning (Adults)", "the Cabinet Member for Adults"
ROLE = (r"(?:[Tt]he\s+)?(?:[A-Z][\w'’&-]*\s+|(?:of|for|and|the|&)\s+)*?" + _ROLE_NOUN +
        r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’&-]*(?:\s+(?:and\s+)?[A-Z][\w'’&-]*)*)?(?:\s*\([A-Z][^)]{0,40}\))?")
_ACT = (r"(?:to\s+\w+|be\s+(?:asked|requested|instructed|authorised|delegated)\b|submit|circulate|provide|report|"
        r"bring|present|prepare|write|arrange|review|ensure|develop|establish|share|update|undertake|produce|"
        r"publish|monitor|lead|respond|draft|investigate|explore|meet|give|consider|continue|take)\b")
SUBJECT = re.compile(rf"^(?:[Tt]hat\s+)?(?P<owner>{ROLE}(?:,\s*[A-Z][^,;]{{2,60}}(?=,))?),?\s+{_ACT}")
AGENT = re.compile(rf"\b(?:drafted|prepared|submitted|led|presented|circulated|provided|produced|reported|"
                   rf"undertaken|delivered|reviewed|developed|agreed|arranged|written)\s+by\s+(?P<owner>{ROLE}"
                   rf"(?:\s+and\s+{ROLE})?)")

# "…and to ask the Head of Commissioning to publish it", "delegate authority to the Director to…"
ASKED = re.compile(rf"\b(?:ask|asks|asked|request|requests|requested|instruct|instructs|instructed|authorise|"
                   rf"authorises|authorised|delegate\s+authority\s+to)\s+(?P<owner>{ROLE})\s+to\s+\w+")


def is_decision(block_text: str) -> bool:
    """A resolution or decision block (not its reasons)."""
    return bool(RESOLUTION.match(block_text)) and not NOT_A_DECISION.match(block_text)


def points(block_text: str) -> list[tuple[int, int, str]]:
    """(start, end, marker) of each point of a resolution block, offsets into ``block_text``; the
    block after its label as one point when it has no markers."""
    label = RESOLUTION.match(block_text)
    body_start = label.end() if label else 0
    markers = [m for m in MARKER.finditer(block_text, body_start)]
    spans: list[tuple[int, int, str]] = []
    if not markers:
        start = body_start + len(block_text[body_start:]) - len(block_text[body_start:].lstrip(" \t\n:-–—\xa0"))
        spans.append((start, len(block_text.rstrip()), ""))
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(block_text)
        text = block_text[marker.end():end]
        ref = marker.group(1) if marker.group(1)[-1] in ".)" else ""  # a bullet is no reference
        spans.append((marker.end(), marker.end() + len(text.rstrip(" \t\n\xa0")), ref))
    return [(a, b, ref) for a, b, ref in spans if b > a]


def owner(point: str) -> str:
    """Who the point asks to act, as written; empty when it names no one."""
    flat = " ".join(point.split())
    found = SUBJECT.match(flat) or ASKED.search(flat) or AGENT.search(flat)
    if not found:
        return ""
    name = found.group("owner").strip()
    return "" if name.lower() in ("that", "the") else name
