"""Reading units: the pieces of a passage an answer may quote, each able to stand on its own.

A sentence split out of a passage does not always read alone. A bullet needs its lead-in ("We
will:"), a score line needs the statement it scores ("• Safeguarding" / "Score: 2"), a sentence
opening "This…" needs the sentence it points back to, and a sentence that a hard line break cut in
two is still one sentence. Some lines are never an answer: headings and page titles, list captions
without their list, and text repeated across documents (template wording, running headers).

Units are built from ``sentences.sentences`` spans, so their vectors are the sentence vectors
the index already holds. Everything is an exact span of the document.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .blocks import cells
from .sentences import Span, sentences
from .structure import LIST_ITEM, is_table_line
from .text import BULLETS, plain_text

MIN_CHARS = 25
MIN_WORDS = 3
HEADING_WORDS = 12
_END = re.compile(r"[.!?;,)\"”’]\s*$")
_STOP = re.compile(r"[.!?;][\"”’)]*\s*$")  # a sentence (or a list item) ends here; a comma does not end one
_LEAD_IN = re.compile(r":\s*$")
_LABEL = re.compile(r"^\W*[A-Z][\w ()/-]{0,30}:\s*\S.{0,30}$")  # "Score: 2", "Lead: Head of Service"
_ANAPHOR = re.compile(r"^\W*(?:this|these|they|those|that|such|it|its|their|he|she|both|all\s+of\s+these)\b", re.I)
# A reported question, as minutes record one: "Councillor Lal asked why the decisions were slow."
# It states no answer; the reply after it does, and reads with it. Not a passive ("people were
# asked about the outcomes they wanted"): no form of "be" before the verb.
_ASKED = re.compile(r"^(?:(?!\b(?:was|were|been|being|be|is|are)\b)[^.;:?!])*?\b(?:asked|queried|enquired|"
                    r"questioned|wondered|sought\s+(?:clarification|assurance))\s+(?:whether|why|how|what|if|about|"
                    r"when|who|which|where|for|on|as\s+to)\b", re.I)
_BULLET = re.compile(rf"^[ \t\xa0]*(?:[-{BULLETS}*>]|\(?[a-z]{{1,2}}\)|\(?[ivx]{{1,5}}[.)]|\d{{1,2}}[.)])\s")


@dataclass(frozen=True)
class Unit:
    """A quotable span and what it needs quoted before it to read alone."""

    span: Span
    lead: Span | None
    kind: str  # sentence | item | row | label
    pieces: tuple[Span, ...]  # the sentence spans it covers (their vectors are in the index)


@dataclass(frozen=True)
class _Line:
    spans: list[Span]
    raw: str
    bullet: bool
    table: bool

    @property
    def words(self) -> int:
        return len(plain_text(self.raw).split())


def _lines(text: str, base: int) -> list[_Line]:
    by_line: dict[int, list[Span]] = defaultdict(list)
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    for span in sentences(text, base):
        by_line[bisect.bisect_right(starts, span.start - base) - 1].append(span)
    lines = []
    for number in sorted(by_line):
        end = text.find("\n", starts[number])
        raw = text[starts[number]: end if end >= 0 else len(text)]
        lines.append(_Line(by_line[number], raw, bool(_BULLET.match(raw) or LIST_ITEM.match(raw)),
                           is_table_line(raw)))
    return lines


def _runs_on(span: Span, index: int, line: _Line, nxt: _Line) -> bool:
    """Whether a sentence that reaches the end of its line without ending goes on in the next:
    the next line starts lower case, or the sentence began after another on its line ("…within
    28 days. The" / "Head of…"), or the line is a long line of prose a hard wrap cut (a heading or
    caption is short)."""
    if nxt.spans[0].text[:1].islower():
        return len(span.text.split()) >= 3 or index > 0
    return index > 0 or len(plain_text(line.raw)) >= 60


def _joined(a: Span, b: Span, document: str) -> Span:
    return Span(a.start, b.end, document[a.start:b.end])


def heading_like(line: _Line, last: bool) -> bool:
    """A short line that ends without punctuation and is followed by more text: a heading, a page
    title, a navigation link. A list item is not one (it is quoted with its lead-in)."""
    text = plain_text(line.raw)
    return (not line.table and not line.bullet and not last and len(line.spans) == 1
            and len(text.split()) <= HEADING_WORDS and not _END.search(text) and not _LEAD_IN.search(text))


def reading_units(text: str, base: int, document: str) -> list[Unit]:
    """The units of a passage ``text`` that starts at ``base`` in ``document``, in order.

    Headings, lead-ins without their items, and fragments too short to say anything are left out
    (a lead-in and a heading may still be the ``lead`` of what follows them)."""
    lines = _lines(text, base)
    # A sentence a hard line break cut in two: the line ends mid-sentence, the next starts lower case.
    merged: list[tuple[Span, _Line, tuple[Span, ...]]] = []
    carry: tuple[Span, tuple[Span, ...]] | None = None
    for i, line in enumerate(lines):
        for j, span in enumerate(line.spans):
            if carry is not None and j == 0:
                span, pieces = _joined(carry[0], span, document), carry[1] + (span,)
                carry = None
            else:
                pieces = (span,)
            last_in_line = j == len(line.spans) - 1
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if (last_in_line and nxt is not None and not line.table and not nxt.table and not nxt.bullet
                    and not _STOP.search(span.text) and not _LEAD_IN.search(span.text) and nxt.spans
                    and _runs_on(span, j, line, nxt)):
                carry = (span, pieces)
                continue
            merged.append((span, line, pieces))
    if carry is not None:
        merged.append((carry[0], lines[-1], carry[1]))

    units: list[Unit] = []
    lead_in: Span | None = None  # the open list caption, if the lines since it are its items
    previous: Span | None = None  # the previous quotable sentence, for "This…"
    previous_line: _Line | None = None
    asked: Unit | None = None  # a reported question waiting for the reply it leads

    def flush() -> None:
        """No reply follows (a heading, a caption, a table, another question, the passage's end):
        the question stays a unit of its own."""
        nonlocal asked
        if asked is not None:
            units.append(asked)
            asked = None

    def add(unit: Unit) -> None:
        """A reported question is held back to lead the sentence or item after it, its reply."""
        nonlocal asked
        prose = unit.kind in ("sentence", "item")
        question = prose and bool(_ASKED.match(_BULLET.sub("", plain_text(unit.span.text), count=1)))
        if question or not prose:
            flush()
        if question:
            asked = unit
            return
        if asked is not None:
            unit, asked = Unit(unit.span, asked.span, unit.kind, unit.pieces), None
        units.append(unit)

    for k, (span, line, pieces) in enumerate(merged):
        plain = plain_text(span.text)
        is_last = k == len(merged) - 1
        if _LEAD_IN.search(plain) and not line.table:
            flush()
            lead_in, previous, previous_line = span, None, line
            continue
        label = (_LABEL.match(plain) and len(plain.split()) <= 6 and previous_line is not None
                 and not line.table and previous_line.spans)
        if (not label and line is not previous_line and heading_like(line, is_last) and len(line.spans) == 1
                and len(pieces) == 1):
            flush()
            lead_in, previous, previous_line = None, None, line  # a heading ends a list
            continue
        if line.table:
            add(Unit(span, lead_in, "row", pieces))
        elif label and previous_line is not None:
            # "Score: 2" reads with the line before it ("• Safeguarding").
            add(Unit(span, previous_line.spans[-1], "label", pieces))
        elif line.bullet or (lead_in is not None and line is not previous_line and len(line.spans) == 1):
            short = len(plain) < MIN_CHARS or len(plain.split()) < MIN_WORDS
            if lead_in is not None and len(plain.split()) >= 2 or not short:
                add(Unit(span, lead_in, "item", pieces))
        elif len(plain) >= MIN_CHARS and len(plain.split()) >= MIN_WORDS:
            lead = previous if previous is not None and _ANAPHOR.match(plain) else None
            add(Unit(span, lead, "sentence", pieces))
            if line is not previous_line:
                lead_in = None
        previous = span if not line.table else previous
        previous_line = line
    flush()
    return units


def label_line_lead(document: str, start: int, end: int) -> Span | None:
    """For a label line that a passage starts with ("Score: 2", its statement's name the heading
    above it, as a PDF of a CQC report lays out its scores list), the line before it, across blank
    lines and page breaks, when that line is short and ends no sentence: what it reads with."""
    line = document[start:end].strip()
    if "\n" in line or not _LABEL.match(plain_text(line)):
        return None  # one label line only: a rating and its score ("Good" / "Score: 64%") read alone
    before = document[max(0, start - 200):start].rstrip()
    line = before.rsplit("\n", 1)[-1].strip(" \t\f\xa0")
    if not line or len(line.split()) > HEADING_WORDS or _END.search(line) or _LABEL.match(line):
        return None
    at = document.rindex(line, 0, start)
    return Span(at, at + len(line), line)


def template_key(text: str) -> str:
    """The key of a sentence for repeated-text detection: words only, case folded."""
    words = re.findall(r"[a-z0-9]+", plain_text(text).lower())
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:16] if len(words) >= 4 else ""


def repeated_text(passages: Iterable[tuple[str, str, str, int]], min_councils: int = 2,
                  min_repeats: int = 3) -> set[str]:
    """Keys of sentences that are template or furniture rather than findings: the same words in the
    documents of ``min_councils`` or more councils (a report template, the CQC's "What people
    expect"), or ``min_repeats`` times within one document (a running header, a page title).
    ``passages`` are (council, doc_id, text, start) tuples."""
    councils: dict[str, set[str]] = defaultdict(set)
    per_doc: Counter[tuple[str, str]] = Counter()
    for council, doc_id, text, start in passages:
        for span in sentences(text, start):
            key = template_key(span.text)
            if key:
                councils[key].add(council)
                per_doc[(key, doc_id)] += 1
    repeated = {key for key, names in councils.items() if len(names) >= min_councils}
    repeated |= {key for (key, _), count in per_doc.items() if count >= min_repeats}
    return repeated


def _is_row(text: str) -> bool:
    """A short table row such as "Safeguarding | 2" is an answer in itself."""
    return is_table_line(text) and sum(1 for c in cells(text) if c) >= 2


_SCORE_COLUMN = re.compile(r"\bscor|\brat(?:ing|ed)\b|\bgrade", re.I)


def scored_row(header: str, row: str) -> bool:
    """A table row under a score column ("Quality Statements | DCC Score") states a score in its
    figure, though the word "score" is the question's own: the column names what the figure is."""
    return bool(_SCORE_COLUMN.search(header)) and any(re.fullmatch(r"\d{1,3}%?", c) for c in cells(row))


def readable_row(quote: str, context: str) -> str:
    """A quote for the answer text. A table row whose cells line up with its header reads as
    "Header: cell; Header: cell" — both header and cells are the document's own words."""
    header_line = context.split("\n")[-1] if "\n" in context else ""
    if _is_row(quote) and header_line:
        header = [h.strip() for h in header_line.split(" | ")]
        row = cells(quote)
        if len(header) == len(row):
            return "; ".join(f"{h}: {c}" for h, c in zip(header, row, strict=True) if c and h)
    return plain_text(quote)
