"""The Assistant: the one object the CLI and the app talk to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from .acronyms import spelled_out
from .answer import Answerer
from .compare import compare, theme_view
from .config import Settings, set_offline_environment
from .dense import Embedder, make_embedder
from .errors import BadQuestion, CorpusError
from .index import IndexFiles, open_index
from .ledger import INTENT, LedgerPostings, describe, filter_commitments, match, stating
from .library import CorpusEntry, IndexingStatus, Library, UploadGuess, entries, guess
from .query import CouncilNames, Query, content_terms, understand, unknown_names
from .ratings import COUNCIL, grid, sort_rows
from .records import Answer, Citation, Commitment, Comparison, CouncilTheme, Filters, Hit, RatingRow, Score
from .retrieve import Retriever
from .score_answers import INTENT as SCORE_INTENT
from .score_answers import StatementMatcher, describe_score, held_parts, match_scores, scored_topic, statement_asked
from .scores import filter_scores
from .spelling import Slips, english_words
from .supersession import document_facts, superseded_by
from .taxonomy import QUALITY_STATEMENTS, THEMES, canonical_quality_statement, canonical_theme

MODES = ("hybrid", "bm25", "dense")


class Assistant:
    """Search and cited answers over an index built by ``assure-qa index``."""

    def __init__(self, files: IndexFiles, embedder: Embedder, settings: Settings) -> None:
        self.settings = settings
        self.embedder = embedder
        self.library: Library | None = None  # set by open(corpus_dir=…): the app may then manage documents
        self.statement_meant = StatementMatcher(embedder, settings.score_statement_margin)
        self._use(files)

    def _use(self, files: IndexFiles) -> None:
        """Serve ``files`` (a generation is immutable: councils are computed once per generation).
        The engine parts are swapped before ``files``, so a question arriving during a switch is
        answered from one generation or the other; the previous generation stays on disk."""
        retriever = Retriever(files, self.embedder, self.settings)
        councils = retriever.councils(Filters())
        answerer = Answerer(self.settings, files.sparse.idf, files.document_text, files.page_at, files.sentences,
                            files.template, files.acronyms)
        facts = document_facts(files.manifest["documents"], files.chunks.values(), files.scores)
        self.retriever, self._councils, self.answerer, self._facts = retriever, councils, answerer, facts
        self.ledger = LedgerPostings(files.commitments)
        self.names = CouncilNames(councils)
        self._spelled: dict[str, str | None] = {}  # acronym -> the words it stands for, per generation
        self.slips = Slips(files.sparse.knows, lambda: (c.text for c in files.chunks.values()),
                           english_words(self.settings.model_package))
        self.files = files

    @classmethod
    def open(cls, index_dir: str | Path = "index", settings: Settings | None = None,
             embedder: Embedder | None = None, corpus_dir: str | Path | None = None) -> Assistant:
        """Open the current index generation in ``index_dir``; with ``corpus_dir``, documents can
        also be added and removed (``add_document``), the index rebuilt in the background."""
        set_offline_environment()
        settings = settings or Settings()
        files = open_index(index_dir, settings)
        assistant = cls(files, embedder or make_embedder(settings), settings)
        if corpus_dir is not None:
            assistant.library = Library(corpus_dir, index_dir, settings, assistant.embedder, assistant._use)
        return assistant

    # The corpus, managed from the app (library.py does the work).
    def documents(self) -> list[CorpusEntry]:
        """Every file the index knows: indexed (with its passages and inferred fields) or why not."""
        return entries(self.files.manifest)

    def describe_upload(self, upload: str | Path, filename: str) -> UploadGuess:
        """Council, type, date and title inferred from an uploaded file, to prefill the form."""
        return guess(Path(upload), filename, self.settings.upload_max_bytes)

    def add_document(self, upload: str | Path, filename: str, council: str = "", doc_type: str = "",
                     date: str = "", title: str = "") -> str:
        """Copy an upload into the corpus, describe it in manifest.toml, start a background build;
        returns the file's name in the corpus. Raises UnreadableDocument with the reason."""
        hashes = {meta["sha256"]: meta["path"] for meta in self.files.manifest["documents"].values()}
        name = self._library().add(Path(upload), filename, council, doc_type, date, title, hashes)
        self._library().rebuild()
        return name

    def remove_document(self, name: str) -> None:
        """Delete a corpus file the index lists, and its manifest entry; start a background build."""
        self._library().remove(name, {entry.file for entry in self.documents()})
        self._library().rebuild()

    def indexing(self) -> IndexingStatus:
        """The background build's state and progress (idle when documents are not managed here)."""
        return self.library.status if self.library else IndexingStatus()

    def _library(self) -> Library:
        if self.library is None:
            raise CorpusError("documents can be managed only when the app knows its corpus folder: "
                              "assure-qa serve --corpus corpus")
        return self.library

    # What the index holds, for pickers and status lines.
    def councils(self) -> list[str]:
        return list(self._councils)

    def doc_types(self) -> list[str]:
        types = {t.strip() for c in self.files.chunks.values() for t in c.doc_type.split(";")}
        return sorted(t for t in types if t)

    @staticmethod
    def themes() -> list[str]:
        return list(THEMES)

    @staticmethod
    def quality_statements() -> list[str]:
        return [qs.name for qs in QUALITY_STATEMENTS]

    def status(self) -> dict[str, Any]:
        manifest = self.files.manifest
        return {"generation": self.files.root.name, "built_at": manifest["built_at"],
                "counts": manifest["counts"], "model": manifest["model"],
                "documents": manifest["documents"], "failures": manifest["failures"]}

    def understand(self, question: str, history: Sequence[str] | None = None) -> Query:
        if not question or not question.strip():
            raise BadQuestion("the question is empty: type what you want to find")
        return understand(question.strip(), self.names, list(history or ()))

    def search(self, question: str, k: int = 10, filters: Filters | dict[str, Any] | None = None,
               history: Sequence[str] | None = None, mode: str = "hybrid") -> list[Hit]:
        """The ``k`` passages that best match ``question`` (and the conversation so far)."""
        if mode not in MODES:
            raise BadQuestion(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if k < 1:
            raise BadQuestion("k must be at least 1")
        query = self.understand(self.slips.read(question)[0], [self.slips.read(h)[0] for h in history or ()])
        return self.retriever.search(query, k, self._filters(filters), mode)

    def ask(self, question: str, filters: Filters | dict[str, Any] | None = None,
            history: Sequence[str] | None = None) -> Answer:
        """An extractive answer whose every sentence cites the passage it comes from; a typing slip
        is read as the corpus word meant, and the answer says so (``spelling``)."""
        question, read = self.slips.read(question)
        answer = self._answer(question, filters, [self.slips.read(h)[0] for h in history or ()])
        return replace(answer, notes=answer.notes + tuple(read)) if read else answer

    def _answer(self, question: str, filters: Filters | dict[str, Any] | None, history: Sequence[str]) -> Answer:
        query = self.understand(question, history)
        chosen = self._filters(filters)
        unknown = unknown_names(question, self.files.sparse.knows) if self.files.chunks else []
        for name in list(unknown):  # "SRO" where the documents only say "Senior Responsible Officer"
            if (words := self._spelled_out(name)) is not None:
                unknown.remove(name)
                query = replace(query, text=re.sub(rf"\b{re.escape(name)}\b", words, query.text))
        if query.answer_type == "score" and not statement_asked(query.text):
            # "How did CQC mark Anytown on working with charities?": the score of Partnerships and
            # communities; the question is searched and answered under the statement's name.
            topic = scored_topic(self.names.remove(query.text))
            if (statement := self.statement_meant(topic)) is not None:
                query = replace(query, text=_named(query.text, topic, statement), statements=(statement,),
                                search_text=_named(query.search_text, topic, statement))
        key_terms = content_terms(query.text, self.names)
        if not unknown and query.answer_type == "score" and (SCORE_INTENT.search(query.text) or query.statements):
            scored = self._score_answer(query, chosen)
            if scored is not None:
                return scored
        if not unknown and INTENT.search(query.text):  # the ledger first: no search needed then
            ledger = self._ledger_answer(query, key_terms, chosen)
            if ledger is not None:
                return ledger
        hits = self.retriever.search(query, max(10, self.settings.answer_passages), chosen)
        answer = self.answerer.answer(query, hits, key_terms, unknown,
                                      query_vector=self.retriever.query_vector(query) if hits else None)
        return replace(answer, citations=tuple(self._dated(c) for c in answer.citations))

    def _dated(self, citation: Citation, statement: str | None = None) -> Citation:
        """``citation`` with the newer document of its council that may supersede its own: one of
        the same kind, or one on the quality statement it is about (``statement``, else its passage's)."""
        if statement is None and (chunk := self.files.chunks.get(citation.chunk_id)) is not None:
            statement = chunk.quality_statement
        return replace(citation, superseded_by=superseded_by(citation.doc_id, statement, self._facts))

    def _spelled_out(self, acronym: str) -> str | None:
        if acronym not in self._spelled:
            self._spelled[acronym] = spelled_out(acronym, (c.text for c in self.files.chunks.values()))
        return self._spelled[acronym]

    def _ledger_answer(self, query: Query, key_terms: list[str], filters: Filters) -> Answer | None:
        """Commitment questions answered from the ledger: action, lead, target, each cited.
        The user's council and theme filters apply here as they do to passages."""
        councils = filters.councils or (() if query.peers else query.councils)
        candidates = [r for r in self.ledger.sharing(key_terms)
                      if not filters.themes or set(filters.themes) & set(r.themes)]
        records = match(stating(candidates, query.answer_type), key_terms, self.files.sparse.idf, councils)
        citations: list[Citation] = []
        lines: list[str] = []
        for record in records:
            chunk = self.files.chunk_at(record.doc_id, record.start, record.end)
            if chunk is None:
                continue
            n = len(citations) + 1
            citations.append(self._dated(self.answerer.cite_span(n, chunk, record.start, record.end)))
            lines.append(f"{describe(record)} [{n}]")
        if not citations:
            return None
        return Answer(query.original, True, " ".join(lines), tuple(citations), (), query.text,
                      ("answered from the commitments ledger",), confidence="direct answer",
                      answer_type=query.answer_type)

    def _score_answer(self, query: Query, filters: Filters) -> Answer | None:
        """Score and rating questions answered from the stored scores, each cited to its span."""
        councils = filters.councils or (() if query.peers else query.councils)
        citations: list[Citation] = []
        lines: list[str] = []
        statement = query.statements[0] if len(query.statements) == 1 else None
        for score in match_scores(query.text, self.files.scores, councils, query.detail, statement):
            quotes = []
            # each part a passage holds: a span of headings only (a report's overview) is not citable
            for chunk, start, end in held_parts(self.files.chunk_at, self.document_text(score.doc), score):
                n = len(citations) + 1
                citation, quote = self.answerer.cite_unit(n, chunk, start, end)
                citations.append(self._dated(citation, score.quality_statement))
                quotes.append(f"“{quote}” [{n}]")
            if quotes:
                lines.append(f"{describe_score(score)}: {' '.join(quotes)}")
        if not citations:
            return None
        return Answer(query.original, True, "\n".join(lines), tuple(citations), (), query.text,
                      ("answered from the scores",), confidence="direct answer", answer_type="score")

    def clear_caches(self) -> None:
        self.retriever.clear_cache()

    def compare(self, question: str, councils: Sequence[str] | None = None, theme: str | None = None,
                history: Sequence[str] | None = None) -> Comparison:
        """The question answered for each council separately, side by side."""
        query = self.understand(question, history)
        chosen = list(councils or query.councils or self.councils())
        filters = self._filters({"councils": chosen, "themes": [theme] if theme else []})
        comparison = compare(self.retriever, self.answerer, query, chosen, replace(filters, councils=()),
                             content_terms(query.text, self.names))
        findings = tuple(replace(f, citations=tuple(self._dated(c) for c in f.citations))
                         for f in comparison.councils)
        return replace(comparison, councils=findings)

    def theme_view(self, quality_statement: str, councils: Sequence[str] | None = None) -> list[CouncilTheme]:
        """Per council, what its documents say under one of the nine quality statements."""
        try:
            statement = canonical_quality_statement(quality_statement)
        except ValueError as exc:
            raise BadQuestion(str(exc)) from exc
        return theme_view(self.retriever, statement, list(councils or self.councils()))

    def commitments(self, council: str | None = None, theme: str | None = None, due_before: str | None = None,
                    text: str | None = None, due_after: str | None = None,
                    kinds: Sequence[str] = ()) -> list[Commitment]:
        """The ledger, filtered; dates are ISO (YYYY-MM-DD), inclusive."""
        try:
            theme = canonical_theme(theme) if theme else None
            for value in (due_before, due_after):
                if value:
                    date.fromisoformat(value)
        except ValueError as exc:
            raise BadQuestion(f"{exc}: dates are YYYY-MM-DD") from exc
        return filter_commitments(self.files.commitments, council, theme, due_before, due_after, text, kinds)

    def scores(self, council: str | None = None) -> list[Score]:
        """Every rating and score the corpus states (overall rows have no quality statement), of one
        council when named; each with the document and span it was read from."""
        return filter_scores(self.files.scores, council)

    def ratings(self, sort_by: str = COUNCIL, descending: bool = False) -> list[RatingRow]:
        """The ratings grid: per council, the overall rating and percentage and each quality
        statement's score from its newest document stating it, each cell with its cited source;
        sorted by council or by one column (``ratings.SORTS``), councils without that score last."""
        dates = {doc_id: str(meta.get("date", "")) for doc_id, meta in self.files.manifest["documents"].items()}
        try:
            return sort_rows(grid(self.files.scores, dates, self.score_source), sort_by, descending)
        except ValueError as exc:
            raise BadQuestion(str(exc)) from exc

    def score_source(self, score: Score, n: int = 1) -> Citation | None:
        """The cited source of a score: its exact span in its passage, with the document's title,
        section and page, and the newer document that may supersede it; None when the span lies
        in no passage."""
        chunk = self.files.chunk_at(score.doc, score.start, score.end)
        if chunk is None:
            return None
        return self._dated(self.answerer.cite_span(n, chunk, score.start, score.end), score.quality_statement)

    def document_text(self, doc_id: str) -> str:
        return self.files.document_text(doc_id)

    def _filters(self, value: Filters | dict[str, Any] | None) -> Filters:
        filters = Filters.coerce(value)
        try:
            themes = tuple(canonical_theme(t) for t in filters.themes)
            statements = tuple(canonical_quality_statement(q) for q in filters.quality_statements)
        except ValueError as exc:
            raise BadQuestion(str(exc)) from exc
        unknown = [c for c in filters.councils if c not in self._councils]
        if unknown:
            raise BadQuestion(f"no documents from {', '.join(unknown)}; "
                              f"councils in the index: {', '.join(self._councils)}")
        return Filters(filters.councils, filters.doc_types, themes, statements,
                       filters.date_from, filters.date_to)


def _named(text: str, topic: str, statement: str) -> str:
    """``text`` with the words of ``topic`` (what it describes) replaced by the statement's name."""
    words = set(topic.casefold().split())
    kept = [w for w in text.split() if w.casefold().strip("?.,;:!()'’\"") not in words]
    return f"{' '.join(kept)} {statement}"
