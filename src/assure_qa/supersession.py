"""Is a cited document out of date? A newer document of the same council supersedes it when it is
of the same kind (a later CQC report, a later self-assessment) or when it scores or covers the same
quality statement the citation is about. Pure functions over what an index generation holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .records import Chunk, Score, Supersession

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class DocFacts:
    """What supersession needs to know about one document."""

    doc_id: str
    council: str
    title: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD; anything else is treated as unknown
    doc_types: tuple[str, ...]
    statements: frozenset[str]  # quality statements it scores or has a heading for


def document_facts(documents: Mapping[str, Mapping[str, Any]], chunks: Iterable[Chunk],
                   scores: Iterable[Score]) -> dict[str, DocFacts]:
    """Per document (from the manifest's ``documents``): its council, date, types and the quality
    statements it scores or files passages under by heading (a keyword classifier's guess does not
    count: a passage that mentions safeguarding does not make a document a newer word on it)."""
    statements: dict[str, set[str]] = {doc_id: set() for doc_id in documents}
    for chunk in chunks:
        if chunk.quality_statement and chunk.qs_source == "heading" and chunk.doc_id in statements:
            statements[chunk.doc_id].add(chunk.quality_statement)
    for score in scores:
        if score.quality_statement and score.doc in statements:
            statements[score.doc].add(score.quality_statement)
    return {doc_id: DocFacts(doc_id, str(meta.get("council", "")), str(meta.get("title", "")),
                             str(meta.get("date", "")),
                             tuple(t.strip() for t in str(meta.get("doc_type", "")).split(";") if t.strip()),
                             frozenset(statements[doc_id]))
            for doc_id, meta in documents.items()}


def later(a: str, b: str) -> bool:
    """Is date ``a`` strictly after ``b`` at the precision both give? "2024-11-18" is after
    "2024-07", but neither "2024" nor "2024-11" is after the other: the year alone cannot tell."""
    if not (_DATE.match(a) and _DATE.match(b)):
        return False
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def superseded_by(doc_id: str, statement: str | None, facts: Mapping[str, DocFacts]) -> Supersession | None:
    """The newest document of ``doc_id``'s council that is later than it and of a kind it shares
    or on ``statement``; None when there is none (or the document's council or date is unknown)."""
    cited = facts.get(doc_id)
    if cited is None or not cited.council or cited.council == "unknown":
        return None
    best: tuple[DocFacts, str] | None = None
    for other in facts.values():
        if other.doc_id == doc_id or other.council != cited.council or not later(other.date, cited.date):
            continue
        kinds = [t for t in other.doc_types if t in cited.doc_types]
        if kinds:
            reason = f"newer {kinds[0]}"
        elif statement and statement in other.statements:
            reason = f"newer document on {statement}"
        else:
            continue
        if best is None or later(other.date, best[0].date):
            best = (other, reason)
    if best is None:
        return None
    other, reason = best
    return Supersession(other.doc_id, other.title, other.date, reason)
