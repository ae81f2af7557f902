"""Scoring the reading units of retrieved passages as candidate answers.

Each unit of the top passages (``units``) is scored on how much of the question's key-term weight
it holds (its own words fully, its section heading's and its neighbours' words half), on whether it
states what the question asks for (``answer_types``), on its closeness in meaning to the question,
and on its passage's rank; for a list question, an item of a list whose lead-in names the items
asked for ranks higher (``lists``). ``Scorer.on_topic`` says whether a unit is about the question's
topic; ``answer`` chooses among the candidates and shapes the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .acronyms import Acronyms, both_ways
from .answer_types import REQUIRED, frame_terms, gives_reason, states
from .blocks import cells
from .config import Settings
from .lists import asked_items, introduces, lead_in
from .periods import of_other_years
from .query import Query
from .records import Chunk, Hit
from .sentences import SentenceVectors, Span
from .sparse import tokenize
from .taxonomy import QUALITY_STATEMENTS
from .units import Unit, reading_units, scored_row, template_key


def _present(term: str, tokens: set[str]) -> bool:
    """A key term is present as a token or, when it is long enough to be specific, as the start or
    end of one: "wait" in "await", "commission" in "recommission" (stems do not join these)."""
    return term in tokens or (len(term) >= 4 and any(len(t) > len(term) and (t.startswith(term) or t.endswith(term))
                                                     for t in tokens))


def other_statement(kind: str, asked: Sequence[str], text: str) -> bool:
    """For a score question naming quality statements, does ``text`` name only others? "Assessing
    needs … Score: 2" states another statement's score, not the one asked about."""
    if kind != "score" or not asked:
        return False
    named = {qs.name for qs in QUALITY_STATEMENTS if qs.pattern.search(text)}
    return bool(named) and not named & set(asked)


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
    in_passage: float = 0.0  # coverage by the whole passage, when it is the first the answer may use

    @property
    def unit_text(self) -> str:
        return f"{self.lead.text} {self.span.text}" if self.lead else self.span.text


class Scorer:
    """Scores the units of a question's top passages (a passage's units are cached)."""

    def __init__(self, settings: Settings, idf: Callable[[str], float], document_text: Callable[[str], str],
                 vectors: SentenceVectors | None = None, template: frozenset[str] = frozenset(),
                 acronyms: Acronyms | None = None) -> None:
        self.settings = settings
        self.idf = idf
        self.document_text = document_text
        self.vectors = vectors
        self.template = template
        self.acronyms = acronyms or {}
        self._units: dict[str, list[Unit]] = {}

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
        items = asked_items(query.original) if kind == "list" else ""  # "what strengths…": strengths
        # "in Elmshaw compared with Tollbridge": a comparison's words frame it, as a peer question's do
        frame = frame_terms(kind, query.peers or len(query.councils) > 1, query.original)
        topic = [t for t in key_terms if t not in frame] or key_terms
        weights = {t: max(self.idf(t), 0.05) for t in set(topic)}
        total = sum(weights.values()) or 1.0
        # A distinctive term that none of these passages uses: they are about something else
        # ("support for people living with dementia" where dementia is never mentioned).
        seen = set().union(*(tokenize(f"{h.chunk.context} {h.chunk.text}") for h in top)) if top else set()
        absent = max((w for t, w in weights.items() if not _present(t, seen)), default=0.0) / total
        by_words = absent <= self.settings.abstain_max_missing  # else only a paraphrase can be on topic
        # The focus words these passages use: one none of them uses is the question's paraphrase of
        # what they call it ("inspectors" for "members of the assessment team") and cannot be required.
        if query.focus:
            used = set(tokenize(both_ways(" ".join(f"{h.chunk.context} {h.chunk.text}" for h in top), self.acronyms)))
            focus = tuple(t for t in query.focus if _present(t, used))
        else:
            focus = ()
        found: list[Candidate] = []
        for hit in top:
            prior = 0.15 / hit.rank
            # The passage the search put first is about the question as a whole (``on_topic``).
            passage = f"{hit.chunk.context} {hit.chunk.text}"
            whole = set(tokenize(f"{passage} {hit.chunk.section}")) if hit is top[0] else set()
            in_passage = sum(w for t, w in weights.items() if _present(t, whole)) / total
            header_line = hit.chunk.context.partition("\n")[2]  # its table header(s), if any
            header = set(tokenize(header_line))
            # The section a unit sits under says what it is about ("LGA Peer Review" over a list of
            # strengths); its words count half, so a unit still has to say something on the topic.
            heading = set(tokenize(hit.chunk.section))
            # What the passage is about as a whole (its headings, title and table header) may name the focus.
            about = set(tokenize(both_ways(f"{hit.chunk.title} {hit.chunk.section} {header_line}", self.acronyms))
                        ) if focus else set()
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
                if typed and of_other_years(query.text, text, passage):
                    typed = False  # of another year than the one asked about ("why … in 2025/26?", not 2024/25)
                if typed and focus and not self.names_focus(focus, text, about):
                    typed = False  # a figure or a lead, but of something else ("carers" for "young carers")
                factor = 1.0 if typed and (kind != "reason" or gives_reason(text)) else \
                    0.75 if typed else self.settings.answer_untyped_factor
                coverage, in_context = coverage * factor, in_context * factor
                similarity = max((self._similarity(query_vector, p.text) for p in unit.pieces), default=0.0)
                if coverage > 0 or similarity >= self.settings.abstain_sentence_similarity:
                    score = coverage + self.settings.answer_semantic_weight * similarity + prior
                    if items and introduces(items, lead_in(unit)):
                        score += self.settings.answer_items_bonus  # a list of the items asked for
                    found.append(Candidate(score, coverage, similarity, hit, span, unit.lead, typed, by_words,
                                           in_context, in_passage))
        return sorted(found, key=lambda c: (-c.typed, -c.score)) if kind in REQUIRED else \
            sorted(found, key=lambda c: -c.score)

    def names_focus(self, focus: tuple[str, ...], text: str, about: set[str]) -> bool:
        """Does a unit name what the question counts or asks the lead of (``focus``), itself or
        through the passage's headings, title or table header?"""
        tokens = set(tokenize(both_ways(text, self.acronyms))) | about
        return all(_present(t, tokens) for t in focus)

    def _similarity(self, query_vector: np.ndarray | None, text: str) -> float:
        if self.vectors is None:
            return 0.0
        return max(self.vectors.similarity(query_vector, text) or 0.0, 0.0)

    def on_topic(self, c: Candidate) -> bool:
        """Enough of the question's key terms with no distinctive one missing, or some of them and
        close in meaning to the question (a paraphrase: "inspectors" for "assessment team"). In the
        passage the search put first, which holds enough of the key terms as a whole, a unit
        holding a few of them and close in meaning is on the topic too: the passage says what the
        unit is about ("The Head of Adult Services indicated that during COVID the reviews had
        suffered" in the minute on annual reviews, for "why did they fall behind on reviews?")."""
        s = self.settings
        coverage = max(c.coverage, c.in_context)
        if c.in_passage >= s.abstain_passage_coverage and coverage >= s.abstain_passage_unit_coverage and (
                c.similarity >= s.abstain_passage_similarity):
            return True
        if not c.by_words:  # the words do not establish the topic: only a close paraphrase does
            return coverage >= s.abstain_sentence_coverage and c.similarity >= s.abstain_absent_similarity
        return coverage >= s.abstain_min_coverage or (
            coverage >= s.abstain_sentence_coverage and c.similarity >= s.abstain_sentence_similarity)
