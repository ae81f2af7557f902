"""Question + filters -> both legs -> fusion -> ranked Hits."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .acronyms import expand
from .config import Settings
from .dense import Embedder, chunk_matches
from .fusion import boost, ranked, round_robin, rrf
from .index import IndexFiles
from .query import Query
from .records import Filters, Hit


class Retriever:
    """Hybrid retrieval over one opened index generation."""

    def __init__(self, files: IndexFiles, embedder: Embedder, settings: Settings) -> None:
        self.files = files
        self.embedder = embedder
        self.settings = settings
        self._embed_cached = lru_cache(maxsize=2048)(self._embed)

    def clear_cache(self) -> None:
        """Forget cached question embeddings (for honest latency measurements)."""
        self._embed_cached.cache_clear()

    def _embed(self, text: str) -> np.ndarray:
        return self.embedder.embed([text])[0]

    def search(self, query: Query, k: int, filters: Filters, mode: str = "hybrid") -> list[Hit]:
        """Top ``k`` chunks for ``query``; ``mode`` is hybrid, bm25 or dense."""
        settings, chunks = self.settings, self.files.chunks
        depth = max(k * settings.overfetch, 50)
        allowed = None if filters.is_empty() else {
            cid for cid, chunk in chunks.items() if chunk_matches(chunk, filters)}
        text = expand(query.search_text, self.files.acronyms)
        sparse = self.files.sparse.search(text, depth, allowed) if mode != "dense" else []
        dense = (self.files.store.query(self._embed_cached(text), depth, filters)
                 if mode != "bm25" else [])
        similarity = dict(dense)
        fused = rrf([[cid for cid, _ in sparse], [cid for cid, _ in dense]], k=settings.rrf_k,
                    weights=[settings.weight_bm25, settings.weight_dense])
        fused = boost(fused, self._steering(query, list(fused)))
        order = [cid for cid, _ in ranked(fused)]
        if query.peers:  # side by side: every council's best passage first
            order = round_robin(order, key=lambda cid: chunks[cid].council)
        sparse_rank = {cid: i for i, (cid, _) in enumerate(sparse, start=1)}
        dense_rank = {cid: i for i, (cid, _) in enumerate(dense, start=1)}
        return [Hit(rank=i, chunk=chunks[cid], score=fused[cid], bm25_rank=sparse_rank.get(cid),
                    dense_rank=dense_rank.get(cid), dense_similarity=similarity.get(cid))
                for i, cid in enumerate(order[:k], start=1)]

    def _steering(self, query: Query, candidates: list[str]) -> dict[str, float]:
        """Boost factors: a council named in a non-peer question, a theme or statement named."""
        settings, chunks = self.settings, self.files.chunks
        factors: dict[str, float] = {}
        for cid in candidates:
            chunk, factor = chunks[cid], 1.0
            if query.councils and not query.peers and chunk.council in query.councils:
                factor *= settings.council_boost
            if (query.statements and chunk.quality_statement in query.statements) or (
                    query.themes and chunk.theme in query.themes):
                factor *= settings.theme_boost
            if factor != 1.0:
                factors[cid] = factor
        return factors
