"""Hits -> an extractive, cited Answer. Returns data only; ``render`` turns it into HTML.

Every sentence of an answer is a reading unit of a retrieved passage (``units``), kept in its own
words, and its citation gives the exact offsets of the unit and of its lead-in. A unit answers when
it is about the question's topic (it holds enough of the question's key-term weight, with no
distinctive term missing, or some of it and is close in meaning: a paraphrase) and states what the
question asks for (``answer_types``: a figure, a date, a role, a score). The answer leads with the
best such unit, adds the units of the same passage that support it, in document order, and stops
when the rest is background. When nothing on the topic states the asked-for thing it says so
plainly; when nothing is on the topic, it says it does not answer. Either way it lists the closest
passages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .acronyms import Acronyms
from .answer_types import DESCRIBE, REQUIRED, gives_reason, states
from .candidates import Candidate, Scorer
from .config import Settings
from .errors import IndexCorrupt
from .query import Query
from .records import Answer, Chunk, Citation, Hit
from .sentences import SentenceVectors, Span
from .text import plain_text
from .units import label_line_lead, readable_row, reading_units

NOT_FOUND = ("The documents do not answer this directly. "
             "The closest passages are listed below; check them before relying on them.")
NOT_MENTIONED = "The documents do not mention {names}. "
NOT_STATED = ("The documents discuss this but do not state {what} for it. "
              "The closest passages are listed below; check them before relying on them.")
DIRECT, PARTIAL, RELATED, NONE = "direct answer", "partial answer", "related evidence only", "not found"


def states_quantity(text: str) -> bool:
    """Does the sentence state a figure, share, count, duration or frequency?"""
    return states("quantity", text)


class Answerer:
    """Chooses the units that answer a question from the top passages."""

    def __init__(self, settings: Settings, idf: Callable[[str], float],
                 document_text: Callable[[str], str],
                 page_at: Callable[[str, int], int | None],
                 vectors: SentenceVectors | None = None, template: frozenset[str] = frozenset(),
                 acronyms: Acronyms | None = None) -> None:
        self.settings = settings
        self.document_text = document_text
        self.page_at = page_at
        self.scorer = Scorer(settings, idf, document_text, vectors, template, acronyms)

    def answer(self, query: Query, hits: list[Hit], key_terms: list[str],
               unknown: Sequence[str] = (), max_sentences: int | None = None,
               query_vector: np.ndarray | None = None) -> Answer:
        """Choose and cite units; ``unknown`` names the question uses that the corpus never does."""
        kind = query.answer_type
        if unknown:
            text = NOT_MENTIONED.format(names=", ".join(unknown)) + NOT_FOUND
            return Answer(query.original, False, text, (), tuple(hits[:3]), query.text, confidence=NONE,
                          answer_type=kind)
        scored = self.scorer.candidates(query, hits, key_terms, query_vector)
        on_topic = [c for c in scored if self.scorer.on_topic(c)]
        answering = [c for c in on_topic if c.typed]
        if not answering:
            what = DESCRIBE.get(query.detail) or DESCRIBE.get(kind, "")
            refusal = NOT_STATED.format(what=what) if on_topic and kind in REQUIRED else NOT_FOUND
            return Answer(query.original, False, refusal, (), tuple(hits[:3]), query.text,
                          confidence=RELATED if on_topic else NONE, answer_type=kind)
        chosen = self._shape(answering[0], scored, query, max_sentences or self.settings.answer_max_sentences)
        citations = tuple(self._cite(n, c.hit.chunk, c.span, c.lead) for n, c in enumerate(chosen, start=1))
        text = " ".join(f"{self._read(c, shown=chosen[:n - 1])} [{n}]" for n, c in enumerate(chosen, start=1))
        best = answering[0]
        confidence = DIRECT if best.coverage >= self.settings.abstain_min_coverage else PARTIAL
        if kind == "reason" and not any(gives_reason(c.unit_text) for c in chosen):
            confidence = RELATED  # on the topic, but no quoted unit gives a reason
        return Answer(query.original, True, text, citations, (), query.text, confidence=confidence,
                      answer_type=kind)

    def _shape(self, best: Candidate, scored: list[Candidate], query: Query, limit: int) -> list[Candidate]:
        """The answering unit first, then support: units of its passage scoring near it, in document
        order, then other passages' units that answer on their own (one per council for a peer
        question, or each council a question names: "Which has more, Anytown or Brookvale?").
        Near-duplicates and units far below the best are background and left out; a named
        council's own best is never background to another's."""
        cutoff = best.score * self.settings.answer_relative_cutoff
        named = len(query.councils) > 1 and not query.peers
        side_by_side = query.peers or named
        chosen = [best]
        seen = [set(plain_text(s.text).lower().split()) for s in (best.span, best.lead) if s is not None]
        councils = {best.hit.chunk.council}
        for c in (self._continuations(best, scored, query) + self._reason_beside(best, query))[: limit - 1]:
            chosen.append(c)
            seen.append(set(plain_text(c.span.text).lower().split()))
        for c in scored:
            if len(chosen) >= limit:
                break
            if c in chosen or (c.score < cutoff and not (named and c.hit.chunk.council not in councils)):
                continue
            same = c.hit.chunk.chunk_id == best.hit.chunk.chunk_id
            if side_by_side:  # each council's best unit that answers on its own
                if c.hit.chunk.council in councils or not (self.scorer.on_topic(c) and c.typed):
                    continue
            elif not same and not (self.scorer.on_topic(c) and c.typed):
                continue  # another passage's unit must answer on its own
            words = set(plain_text(c.span.text).lower().split())
            if any(len(words & other) >= 0.8 * min(len(words), len(other)) for other in seen):
                continue
            seen.append(words)
            chosen.append(c)
            councils.add(c.hit.chunk.council)
        if side_by_side:
            return chosen
        head, rest = chosen[0], chosen[1:]
        # Keep each passage's units together and in document order, the leading passage first.
        order = {head.hit.chunk.chunk_id: -1}
        for c in rest:
            order.setdefault(c.hit.chunk.chunk_id, len(order))
        return [head] + sorted(rest, key=lambda c: (order[c.hit.chunk.chunk_id], c.span.start))

    @staticmethod
    def _continuations(best: Candidate, scored: list[Candidate], query: Query) -> list[Candidate]:
        """Units that carry on from the answering one, whatever their own score: the sentence that
        opens "This…" after it, the items of the list it introduces, and for a list question the
        other items under the same lead-in; in document order."""
        chunk_id = best.hit.chunk.chunk_id
        found = {}
        for c in scored:
            if c is best or c.hit.chunk.chunk_id != chunk_id or c.span.start in found:
                continue
            follows = c.lead == best.span  # spans are values: same offsets, same text
            sibling = query.answer_type == "list" and best.lead is not None and c.lead == best.lead
            if follows or sibling:
                found[c.span.start] = c
        return [found[start] for start in sorted(found)]

    def _reason_beside(self, best: Candidate, query: Query) -> list[Candidate]:
        """For a "why" question whose answering unit states the fact but not its cause, the nearest
        unit of the same passage (the one after it, else the one before) that gives a reason:
        documents say what happened, then why ("… an outlier in spend per head. This is primarily
        due to …")."""
        if query.answer_type != "reason" or gives_reason(best.unit_text):
            return []
        units = self.scorer.units(best.hit.chunk)
        at = next((i for i, u in enumerate(units) if u.span == best.span), None)
        if at is None:
            return []
        for i in (at + 1, at - 1):
            if 0 <= i < len(units) and units[i].span != best.lead:
                unit = units[i]
                text = f"{unit.lead.text} {unit.span.text}" if unit.lead else unit.span.text
                if gives_reason(text):
                    return [Candidate(best.score, 0.0, 0.0, best.hit, unit.span, unit.lead)]
        return []

    def _read(self, c: Candidate, shown: Sequence[Candidate] = ()) -> str:
        """The unit as the answer quotes it: its lead-in first, unless the answer already quoted it."""
        quote = readable_row(c.span.text, c.hit.chunk.context)
        lead = c.lead
        same_doc = [s for s in shown if s.hit.chunk.doc_id == c.hit.chunk.doc_id]
        if lead is None or any(lead in (s.span, s.lead) for s in same_doc):
            return quote
        return f"{plain_text(lead.text)} … {quote}"

    def cite_unit(self, n: int, chunk: Chunk, start: int, end: int) -> tuple[Citation, str]:
        """A citation of the reading unit that holds the span ``start:end`` (the sentence or table
        row stating a score, with its lead-in), and the unit as an answer quotes it; the span itself
        when no unit holds it."""
        for unit in reading_units(chunk.text, chunk.start, self.document_text(chunk.doc_id)):
            if unit.span.start <= start and end <= unit.span.end:
                quote = readable_row(unit.span.text, chunk.context)
                text = f"{plain_text(unit.lead.text)} … {quote}" if unit.lead else quote
                return self._cite(n, chunk, unit.span, unit.lead), text
        source = self.document_text(chunk.doc_id)
        lead = label_line_lead(source, start, end)  # "Safeguarding … Score: 2"
        citation = self._cite(n, chunk, Span(start, end, source[start:end]), lead)
        quote = plain_text(citation.quote)
        return citation, f"{plain_text(lead.text)} … {quote}" if lead else quote

    def cite_span(self, n: int, chunk: Chunk, start: int, end: int) -> Citation:
        """A citation for any exact span inside a passage (used for ledger answers)."""
        return self._cite(n, chunk, Span(start, end, self.document_text(chunk.doc_id)[start:end]))

    def _cite(self, n: int, chunk: Chunk, span: Span, lead: Span | None = None) -> Citation:
        source = self.document_text(chunk.doc_id)
        if source[span.start:span.end] != span.text or (
                lead is not None and source[lead.start:lead.end] != lead.text):  # index and documents disagree
            raise IndexCorrupt(f"citation offsets do not resolve in {chunk.doc_id}: "
                               "rebuild the index with `assure-qa index`")
        return Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, council=chunk.council,
                        title=chunk.title, section=chunk.section, paragraphs=chunk.paragraphs,
                        page=self.page_at(chunk.doc_id, span.start), start=span.start, end=span.end,
                        quote=span.text, passage=chunk.text, passage_start=chunk.start,
                        lead=lead.text if lead else "", lead_start=lead.start if lead else -1,
                        lead_end=lead.end if lead else -1)
