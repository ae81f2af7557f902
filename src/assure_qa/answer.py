"""Hits -> an extractive, cited Answer. Returns data only; ``render`` turns it into HTML.

Every sentence of an answer is a span of a retrieved passage, kept in its own words, and its
citation gives the exact offsets. When the passages do not cover the question's key terms and
are not semantically close, the answer says so and lists the closest passages instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .config import Settings
from .errors import IndexCorrupt
from .query import Query
from .records import Answer, Chunk, Citation, Hit
from .sentences import SentenceVectors, Span, sentences
from .sparse import tokenize
from .structure import cells, is_table_line
from .text import plain_text

NOT_FOUND = ("The documents do not answer this directly. "
             "The closest passages are listed below; check them before relying on them.")
NOT_MENTIONED = "The documents do not mention {names}. "

MIN_SENTENCE = 25
# A question asking "how many / how long / what proportion" is answered by a sentence that states a
# quantity: a figure, a number word, a share or a frequency. References (B3.1), list and paragraph
# numbers are labels, not quantities.
_LABELS = re.compile(r"^[\W\d]*\d+[.)]?\s|\b[A-Z]{1,2}\d+(?:\.\d+)+\b|^\W*\(?[ivx]+[.)]\s", re.I)
_QUANTITY = re.compile(
    r"\d|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|half|third|quarter|double|doubled|twice|treble|daily|weekly|"
    r"fortnightly|monthly|quarterly|annual|annually|yearly)\b", re.I)


def states_quantity(text: str) -> bool:
    """Does the sentence state a figure, share, count, duration or frequency?"""
    return bool(_QUANTITY.search(_LABELS.sub(" ", plain_text(text))))


def _is_row(text: str) -> bool:
    """A short table row such as "Safeguarding | 2" is an answer in itself."""
    return is_table_line(text) and sum(1 for c in cells(text) if c) >= 2


def _readable(quote: str, context: str) -> str:
    """A quote for the answer text. A table row whose cells line up with its header reads as
    "Header: cell; Header: cell" — both header and cells are the document's own words."""
    header_line = context.split("\n")[-1] if "\n" in context else ""
    if _is_row(quote) and header_line:
        header = [h.strip() for h in header_line.split(" | ")]
        row = cells(quote)
        if len(header) == len(row):
            return "; ".join(f"{h}: {c}" for h, c in zip(header, row, strict=True) if c and h)
    return plain_text(quote)


@dataclass(frozen=True)
class Candidate:
    """A sentence an answer may quote, with what it was scored on."""

    score: float  # coverage + semantic weight x similarity + passage-rank prior
    coverage: float  # share of the question's key-term weight it holds
    similarity: float  # cosine similarity to the question (0 without sentence vectors)
    hit: Hit
    span: Span


class Answerer:
    """Chooses the sentences that answer a question from the top passages."""

    def __init__(self, settings: Settings, idf: Callable[[str], float],
                 document_text: Callable[[str], str],
                 page_at: Callable[[str, int], int | None],
                 vectors: SentenceVectors | None = None) -> None:
        self.settings = settings
        self.idf = idf
        self.document_text = document_text
        self.page_at = page_at
        self.vectors = vectors

    def answer(self, query: Query, hits: list[Hit], key_terms: list[str],
               unknown: Sequence[str] = (), max_sentences: int | None = None,
               query_vector: np.ndarray | None = None) -> Answer:
        """Choose and cite sentences; ``unknown`` names the question uses that the corpus never does.

        A sentence scores by the share of the question's key-term weight it holds (idf), plus a
        little for its closeness in meaning to the question (``query_vector``, the question's
        embedding) and for the rank of its passage."""
        if unknown:
            text = NOT_MENTIONED.format(names=", ".join(unknown)) + NOT_FOUND
            return Answer(query.original, False, text, (), tuple(hits[:3]), query.text)
        scored = self.candidates(query, hits, key_terms, query_vector)
        if not self._answerable(scored):
            return Answer(query.original, False, NOT_FOUND, (), tuple(hits[:3]), query.text)
        chosen: list[tuple[Hit, Span]] = []
        seen: list[set[str]] = []
        best = scored[0].score if scored else 0.0
        for candidate in scored:
            hit, span = candidate.hit, candidate.span
            words = set(plain_text(span.text).lower().split())
            if candidate.score < best * self.settings.answer_relative_cutoff or any(
                    len(words & other) >= 0.8 * min(len(words), len(other)) for other in seen):
                continue  # too weak, or (nearly) a sentence already chosen
            seen.append(words)
            chosen.append((hit, span))
            if len(chosen) == (max_sentences or self.settings.answer_max_sentences):
                break
        if not chosen:
            return Answer(query.original, False, NOT_FOUND, (), tuple(hits[:3]), query.text)
        citations = tuple(self._cite(n, hit.chunk, span) for n, (hit, span) in enumerate(chosen, start=1))
        text = " ".join(f"{_readable(c.quote, hit.chunk.context)} [{c.n}]"
                        for c, (hit, _) in zip(citations, chosen, strict=True))
        return Answer(query.original, True, text, citations, (), query.text)

    def candidates(self, query: Query, hits: list[Hit], key_terms: list[str],
                   query_vector: np.ndarray | None = None) -> list[Candidate]:
        """The sentences of the passages an answer may use, best first. A question naming one
        council ("What does Derbyshire do…") uses that council's passages only: another council's
        figure is not an answer (the closest passages still show)."""
        top = hits[: self.settings.answer_passages]
        if query.councils and not query.peers:
            top = [h for h in hits if h.chunk.council in query.councils][: self.settings.answer_passages]
        weights = {t: max(self.idf(t), 0.05) for t in set(key_terms)}
        total = sum(weights.values()) or 1.0
        found: list[Candidate] = []
        for hit in top:
            prior = 0.15 / hit.rank
            header_line = hit.chunk.context.partition("\n")[2]  # its table header(s), if any
            header = set(tokenize(header_line))
            for span in sentences(hit.chunk.text, hit.chunk.start):
                row = _is_row(span.text)
                if row and " | ".join(c for c in cells(span.text) if c) in header_line.split("\n"):
                    continue  # the header row itself says nothing
                if not row and (len(span.text) < MIN_SENTENCE or len(plain_text(span.text).split()) < 3):
                    continue
                present = set(tokenize(span.text)) | (header if row else set())
                coverage = sum(w for t, w in weights.items() if t in present) / total
                if query.quantity and not states_quantity(span.text):
                    coverage *= self.settings.answer_untyped_factor
                similarity = self._similarity(query_vector, span.text)
                if coverage > 0 or similarity >= self.settings.abstain_sentence_similarity:
                    score = coverage + self.settings.answer_semantic_weight * similarity + prior
                    found.append(Candidate(score, coverage, similarity, hit, span))
        return sorted(found, key=lambda c: -c.score)

    def _similarity(self, query_vector: np.ndarray | None, text: str) -> float:
        if self.vectors is None:
            return 0.0
        return max(self.vectors.similarity(query_vector, text) or 0.0, 0.0)

    def _answerable(self, scored: list[Candidate]) -> bool:
        """One sentence must cover enough of the question's key terms, or cover some of them and
        be close in meaning to the question (a paraphrase: "inspectors" for "assessment team")."""
        s = self.settings
        return any(c.coverage >= s.abstain_min_coverage or (
            c.coverage >= s.abstain_sentence_coverage and c.similarity >= s.abstain_sentence_similarity)
            for c in scored)

    def cite_span(self, n: int, chunk: Chunk, start: int, end: int) -> Citation:
        """A citation for any exact span inside a passage (used for ledger answers)."""
        return self._cite(n, chunk, Span(start, end, self.document_text(chunk.doc_id)[start:end]))

    def _cite(self, n: int, chunk: Chunk, span: Span) -> Citation:
        source = self.document_text(chunk.doc_id)
        if source[span.start:span.end] != span.text:  # the index and its documents disagree
            raise IndexCorrupt(f"citation offsets do not resolve in {chunk.doc_id}: "
                               "rebuild the index with `assure-qa index`")
        return Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, council=chunk.council,
                        title=chunk.title, section=chunk.section, paragraphs=chunk.paragraphs,
                        page=self.page_at(chunk.doc_id, span.start), start=span.start, end=span.end,
                        quote=span.text,
                        passage=chunk.text, passage_start=chunk.start)
