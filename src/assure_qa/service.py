"""The Assistant: the one object the CLI and the app talk to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .answer import Answerer
from .config import Settings, set_offline_environment
from .dense import Embedder, SentenceEmbedder
from .errors import BadQuestion
from .index import IndexFiles, open_index
from .query import CouncilNames, Query, content_terms, understand, unknown_names
from .records import Answer, Filters, Hit
from .retrieve import Retriever
from .taxonomy import QUALITY_STATEMENTS, THEMES, canonical_quality_statement, canonical_theme

MODES = ("hybrid", "bm25", "dense")


class Assistant:
    """Search and cited answers over an index built by ``assure-qa index``."""

    def __init__(self, files: IndexFiles, embedder: Embedder, settings: Settings) -> None:
        self.files = files
        self.settings = settings
        self.retriever = Retriever(files, embedder, settings)
        self.names = CouncilNames(self.councils())
        self.answerer = Answerer(settings, files.sparse.idf, files.document_text, files.page_at)

    @classmethod
    def open(cls, index_dir: str | Path = "index", settings: Settings | None = None,
             embedder: Embedder | None = None) -> Assistant:
        """Open the current index generation in ``index_dir``."""
        set_offline_environment()
        settings = settings or Settings()
        files = open_index(index_dir, settings)
        return cls(files, embedder or SentenceEmbedder(settings), settings)

    # What the index holds, for pickers and status lines.
    def councils(self) -> list[str]:
        return sorted({c.council for c in self.files.chunks.values()})

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
        query = self.understand(question, history)
        return self.retriever.search(query, k, self._filters(filters), mode)

    def ask(self, question: str, filters: Filters | dict[str, Any] | None = None,
            history: Sequence[str] | None = None) -> Answer:
        """An extractive answer whose every sentence cites the passage it comes from."""
        query = self.understand(question, history)
        hits = self.retriever.search(query, max(10, self.settings.answer_passages),
                                     self._filters(filters))
        unknown = unknown_names(question, self.files.sparse.knows) if self.files.chunks else []
        return self.answerer.answer(query, hits, content_terms(query.text, self.names), unknown)

    def clear_caches(self) -> None:
        self.retriever.clear_cache()

    def document_text(self, doc_id: str) -> str:
        return self.files.document_text(doc_id)

    def _filters(self, value: Filters | dict[str, Any] | None) -> Filters:
        filters = Filters.coerce(value)
        try:
            themes = tuple(canonical_theme(t) for t in filters.themes)
            statements = tuple(canonical_quality_statement(q) for q in filters.quality_statements)
        except ValueError as exc:
            raise BadQuestion(str(exc)) from exc
        unknown = [c for c in filters.councils if c not in self.councils()]
        if unknown:
            raise BadQuestion(f"no documents from {', '.join(unknown)}; "
                              f"councils in the index: {', '.join(self.councils())}")
        return Filters(filters.councils, filters.doc_types, themes, statements,
                       filters.date_from, filters.date_to)
