"""Answer-quality measures that do not trust the answerer: quoted furniture, and results per type.

``furniture`` judges a cited quote on its own evidence, with rules of its own rather than the
answerer's: a quote is a heading or template text when, without a lead-in quoted before it, it is a
whole line that reads as a heading (short, no closing punctuation) or a list caption (ends with a
colon), or when its words stand in the documents of two or more councils or three times in its own
document. A quote that states a value is evidence, not furniture, however short or often its words
recur: a score line ("Safeguarding / Score: 3", "2 - Evidence shows some shortfalls"), a rating on
its own line ("Requires improvement"), a table row ending in its figure, a labelled figure or date
("Assessment published: 14 March 2025"). Nor is a labelled value a heading ("Decision Maker: Cabinet
Member for Adult Social Care", as ``structure`` reads such lines), though a repeated one is template
text. Every answer should score 0 here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .records import Citation
from .structure import FIELD, is_table_line
from .text import BULLETS

_WORD = re.compile(r"[a-z0-9]+")
_EDGE = " \t\r\xa0-*" + BULLETS  # a list item's marker is not part of its line
_CLOSED = re.compile(r"[.!?;)\"”’]\s*$")
_VALUE = re.compile(r"\bscore\s*:?\s*\d|\bscored\s+\d|\b\d+\s*out\s+of\s+\d+|^\W*[1-4]\s*[-–—]\s*evidence\b|"
                    r"^\W*(?:outstanding|good|requires\s+improvement|inadequate)\W*$|(?:\S(?:\t|\s{2,})|\|\s*)\d{1,3}%?\W*$|"
                    r"^[^:\n]{1,40}:[ \t]+[^\n]*\d",
                    re.I | re.M)


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


class Furniture:
    """Judges cited quotes against the whole corpus (documents as ``doc_id -> (council, text)``)."""

    def __init__(self, documents: dict[str, tuple[str, str]]) -> None:
        self.documents = documents
        self._words = {doc: _words(text) for doc, (_, text) in documents.items()}
        self._councils = [set(_WORD.findall(council.lower())) for council, _ in documents.values()]

    def heading_like(self, citation: Citation) -> bool:
        if citation.lead:
            return False
        text = self.documents.get(citation.doc_id, ("", ""))[1]
        line_start = text.rfind("\n", 0, citation.start) + 1
        line_end = text.find("\n", citation.end)
        line = text[line_start: line_end if line_end >= 0 else len(text)]
        whole = line.strip(_EDGE) == citation.quote.strip(_EDGE)
        if not whole or is_table_line(line):
            return False
        quote = citation.quote.strip()
        if FIELD.match(quote) and not self._names_council(quote.split(":")[0]):
            return False  # a labelled value ("Decision Maker: Cabinet Member for…"), not a page title ("Anytown: …")
        return quote.endswith(":") or (len(quote.split()) <= 12 and not _CLOSED.search(quote))

    def _names_council(self, label: str) -> bool:
        """Is ``label`` a council's name, or part of one ("Anytown" of "Anytown Borough Council")?"""
        words = set(_WORD.findall(label.lower()))
        return bool(words) and any(words <= council for council in self._councils)

    def repeated(self, citation: Citation) -> bool:
        words = _words(citation.quote)
        if len(words.split()) < 4:
            return False
        councils = {self.documents[d][0] for d, text in self._words.items() if words in text}
        return len(councils) >= 2 or self._words.get(citation.doc_id, "").count(words) >= 3

    def __call__(self, citation: Citation) -> bool:
        if _VALUE.search(citation.quote):
            return False  # a score, rating or figure is what the answer is for
        return self.heading_like(citation) or self.repeated(citation)


def by_answer_type(rows: Iterable[dict[str, Any]], types: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per answer type: answerable questions, answer support, false refusal; unanswerable
    questions and refusal. ``rows`` are ``evaluate``'s per-question rows."""
    table: dict[str, dict[str, float]] = {}
    rows = list(rows)
    for kind in [*types, ""]:
        mine = [r for r in rows if r.get("answer_type", "") == kind and "found" in r]
        if not mine:
            continue
        answerable = [r for r in mine if r["answerable"]]
        unanswerable = [r for r in mine if not r["answerable"]]
        entry: dict[str, float] = {"answerable": len(answerable), "unanswerable": len(unanswerable)}
        if answerable:
            entry["answer_supported"] = round(sum(bool(r.get("supported")) for r in answerable) / len(answerable), 4)
            entry["false_abstention"] = round(sum(not r["found"] for r in answerable) / len(answerable), 4)
        if unanswerable:
            entry["abstention"] = round(sum(not r["found"] for r in unanswerable) / len(unanswerable), 4)
        table[kind or "untyped"] = entry
    return table


def furniture_judge(assistant: Any) -> Callable[[Citation], bool]:
    """A ``Furniture`` over every document the assistant's index holds."""
    documents = {doc: (meta.get("council", ""), assistant.document_text(doc))
                 for doc, meta in assistant.status()["documents"].items()}
    return Furniture(documents)
