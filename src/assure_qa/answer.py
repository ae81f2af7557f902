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
from dataclasses import dataclass

import numpy as np

from .answer_types import DESCRIBE, REQUIRED, frame_terms, gives_reason, other_statement, states
from .blocks import cells
from .config import Settings
from .errors import IndexCorrupt
from .query import Query
from .records import Answer, Chunk, Citation, Hit
from .sentences import SentenceVectors, Span
from .sparse import tokenize
from .text import plain_text
from .units import Unit, readable_row, reading_units, scored_row, template_key

NOT_FOUND = ("The documents do not answer this directly. "
             "The closest passages are listed below; check them before relying on them.")
NOT_MENTIONED = "The documents do not mention {names}. "
NOT_STATED = ("The documents discuss this but do not state {what} for it. "
              "The closest passages are listed below; check them before relying on them.")
DIRECT, PARTIAL, RELATED, NONE = "direct answer", "partial answer", "related evidence only", "not found"


def states_quantity(text: str) -> bool:
    """Does the sentence state a figure, share, count, duration or frequency?"""
    return states("quantity", text)


def _present(term: str, tokens: set[str]) -> bool:
    """A key term is present as a token or, when it is long enough to be specific, as the start or
    end of one: "wait" in "await", "commission" in "recommission" (stems do not join these)."""
    return term in tokens or (len(term) >= 4 and any(len(t) > len(term) and (t.startswith(term) or t.endswith(term))
                                                     for t in tokens))


@dataclass(frozen=True)
class Candidate:
    """A unit an answer may quote, with what it was scored on."""

    score: float  # coverage + semantic weight x similarity + passage-rank prior
    coverage: float  # share of the question's key-term weight it holds (halved if it lacks the type)
    similarity: float  # cosine similarity to the question (0 without sentence vectors)
    hit: Hit
    span: Span
    lead: Span | None = None
    typed: bool = True  # states what the question asks for (a figure, date, role, score)
    by_words: bool = True  # False: a distinctive key term is absent from every passage considered
    in_context: float = 0.0  # coverage counting the neighbouring units' words half (for the topic test)

    @property
    def unit_text(self) -> str:
        return f"{self.lead.text} {self.span.text}" if self.lead else self.span.text


class Answerer:
    """Chooses the units that answer a question from the top passages."""

    def __init__(self, settings: Settings, idf: Callable[[str], float],
                 document_text: Callable[[str], str],
                 page_at: Callable[[str, int], int | None],
                 vectors: SentenceVectors | None = None, template: frozenset[str] = frozenset()) -> None:
        self.settings = settings
        self.idf = idf
        self.document_text = document_text
        self.page_at = page_at
        self.vectors = vectors
        self.template = template
        self._units: dict[str, list[Unit]] = {}

    def answer(self, query: Query, hits: list[Hit], key_terms: list[str],
               unknown: Sequence[str] = (), max_sentences: int | None = None,
               query_vector: np.ndarray | None = None) -> Answer:
        """Choose and cite units; ``unknown`` names the question uses that the corpus never does."""
        kind = query.answer_type
        if unknown:
            text = NOT_MENTIONED.format(names=", ".join(unknown)) + NOT_FOUND
            return Answer(query.original, False, text, (), tuple(hits[:3]), query.text, confidence=NONE,
                          answer_type=kind)
        scored = self.candidates(query, hits, key_terms, query_vector)
        on_topic = [c for c in scored if self._on_topic(c)]
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
                if c.hit.chunk.council in councils or not (self._on_topic(c) and c.typed):
                    continue
            elif not same and not (self._on_topic(c) and c.typed):
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
        units = self.units(best.hit.chunk)
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

    def units(self, chunk: Chunk) -> list[Unit]:
        """A passage's reading units, repeated text (template, running headers) left out."""
        if chunk.chunk_id not in self._units:
            document = self.document_text(chunk.doc_id)
            self._units[chunk.chunk_id] = [u for u in reading_units(chunk.text, chunk.start, document)
                                           if template_key(u.span.text) not in self.template]
        return self._units[chunk.chunk_id]

    def candidates(self, query: Query, hits: list[Hit], key_terms: list[str],
                   query_vector: np.ndarray | None = None) -> list[Candidate]:
        """The units of the passages an answer may use, best first. A question naming one council
        ("What does Derbyshire do…") uses that council's passages only: another council's figure is
        not an answer (the closest passages still show)."""
        top = hits[: self.settings.answer_passages]
        if query.councils and not query.peers:
            top = [h for h in hits if h.chunk.council in query.councils][: self.settings.answer_passages]
        kind = query.answer_type
        frame = frame_terms(kind, query.peers, query.original)
        topic = [t for t in key_terms if t not in frame] or key_terms
        weights = {t: max(self.idf(t), 0.05) for t in set(topic)}
        total = sum(weights.values()) or 1.0
        # A distinctive term that none of these passages uses: they are about something else
        # ("support for people living with dementia" where dementia is never mentioned).
        seen = set().union(*(tokenize(f"{h.chunk.context} {h.chunk.text}") for h in top)) if top else set()
        absent = max((w for t, w in weights.items() if not _present(t, seen)), default=0.0) / total
        by_words = absent <= self.settings.abstain_max_missing  # else only a paraphrase can be on topic
        found: list[Candidate] = []
        for hit in top:
            prior = 0.15 / hit.rank
            header_line = hit.chunk.context.partition("\n")[2]  # its table header(s), if any
            header = set(tokenize(header_line))
            # The section a unit sits under says what it is about ("LGA Peer Review" over a list of
            # strengths); its words count half, so a unit still has to say something on the topic.
            heading = set(tokenize(hit.chunk.section))
            units = self.units(hit.chunk)
            words = [set(tokenize(f"{u.lead.text} {u.span.text}" if u.lead else u.span.text)) for u in units]
            reach = self.settings.answer_context_units
            for i, unit in enumerate(units):
                span = unit.span
                row = unit.kind == "row"
                if row and " | ".join(c for c in cells(span.text) if c) in header_line.split("\n"):
                    continue  # the header row itself says nothing
                text = f"{unit.lead.text} {span.text}" if unit.lead else span.text
                if other_statement(kind, query.statements, text):
                    continue
                present = set(tokenize(text)) | (header if row else set())
                # The units around it say what it is about too: "The median wait was 58 days" follows
                # the sentence about the assessment waiting list. Their words count half, like the
                # heading's, and only towards whether the unit is on the topic, not its rank.
                near = set().union(*words[max(0, i - reach):i], *words[i + 1:i + 1 + reach])
                held = half = beside = 0.0
                for t, w in weights.items():
                    if _present(t, present):
                        held += w
                    elif _present(t, heading):
                        half += w
                    elif _present(t, near):
                        beside += w
                coverage = (held + 0.5 * half) / total
                in_context = coverage + 0.5 * beside / total
                typed = states(kind, f"{header_line} {text}" if row else text, query.text, query.detail) or (
                    row and kind == "score" and scored_row(header_line, span.text))
                factor = 1.0 if typed and (kind != "reason" or gives_reason(text)) else \
                    0.75 if typed else self.settings.answer_untyped_factor
                coverage, in_context = coverage * factor, in_context * factor
                similarity = max((self._similarity(query_vector, p.text) for p in unit.pieces), default=0.0)
                if coverage > 0 or similarity >= self.settings.abstain_sentence_similarity:
                    score = coverage + self.settings.answer_semantic_weight * similarity + prior
                    found.append(Candidate(score, coverage, similarity, hit, span, unit.lead, typed, by_words,
                                           in_context))
        return sorted(found, key=lambda c: (-c.typed, -c.score)) if kind in REQUIRED else \
            sorted(found, key=lambda c: -c.score)

    def _similarity(self, query_vector: np.ndarray | None, text: str) -> float:
        if self.vectors is None:
            return 0.0
        return max(self.vectors.similarity(query_vector, text) or 0.0, 0.0)

    def _on_topic(self, c: Candidate) -> bool:
        """Enough of the question's key terms with no distinctive one missing, or some of them and
        close in meaning to the question (a paraphrase: "inspectors" for "assessment team")."""
        s = self.settings
        coverage = max(c.coverage, c.in_context)
        if not c.by_words:  # the words do not establish the topic: only a close paraphrase does
            return coverage >= s.abstain_sentence_coverage and c.similarity >= s.abstain_absent_similarity
        return coverage >= s.abstain_min_coverage or (
            coverage >= s.abstain_sentence_coverage and c.similarity >= s.abstain_sentence_similarity)

    def cite_unit(self, n: int, chunk: Chunk, start: int, end: int) -> tuple[Citation, str]:
        """A citation of the reading unit that holds the span ``start:end`` (the sentence or table
        row stating a score, with its lead-in), and the unit as an answer quotes it; the span itself
        when no unit holds it."""
        for unit in reading_units(chunk.text, chunk.start, self.document_text(chunk.doc_id)):
            if unit.span.start <= start and end <= unit.span.end:
                quote = readable_row(unit.span.text, chunk.context)
                text = f"{plain_text(unit.lead.text)} … {quote}" if unit.lead else quote
                return self._cite(n, chunk, unit.span, unit.lead), text
        citation = self.cite_span(n, chunk, start, end)
        return citation, plain_text(citation.quote)

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
