"""Question + filters -> both legs -> fusion -> ranked Hits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .acronyms import expand
from .config import Settings
from .dense import Embedder, embed_query
from .fusion import boost, ranked, rrf
from .index import IndexFiles
from .masks import FilterMasks
from .query import Query
from .records import Chunk, Filters, Hit
from .sparse import tokenize


@dataclass
class _Ranking:
    """One fused ranking and what each leg said about its passages."""

    scores: dict[str, float]  # chunk id -> fused score, best first
    bm25_rank: dict[str, int]
    dense_rank: dict[str, int]
    similarity: dict[str, float]

    def absorb(self, other: _Ranking) -> None:
        """Take another ranking's scores for passages this one did not reach."""
        for cid, score in other.scores.items():
            self.scores.setdefault(cid, score)
        for mine, theirs in ((self.bm25_rank, other.bm25_rank), (self.dense_rank, other.dense_rank)):
            for cid, rank in theirs.items():
                mine.setdefault(cid, rank)
        for cid, sim in other.similarity.items():
            self.similarity.setdefault(cid, sim)

    def hits(self, order: list[str], chunks: dict[str, Chunk]) -> list[Hit]:
        return [Hit(rank=i, chunk=chunks[cid], score=self.scores[cid], bm25_rank=self.bm25_rank.get(cid),
                    dense_rank=self.dense_rank.get(cid), dense_similarity=self.similarity.get(cid))
                for i, cid in enumerate(order, start=1)]


class Retriever:
    """Hybrid retrieval over one opened index generation."""

    def __init__(self, files: IndexFiles, embedder: Embedder, settings: Settings) -> None:
        self.files = files
        self.embedder = embedder
        self.settings = settings
        self._embed_cached = lru_cache(maxsize=2048)(self._embed)
        self._councils = sorted({c.council for c in files.chunks.values()})
        self.masks = FilterMasks(files.sparse.ids, files.chunks)
        # A peer question ranks every council with the same text: score the corpus once.
        self._bm25_scores = lru_cache(maxsize=8)(lambda text: files.sparse.scores(tokenize(text)))

    def clear_cache(self) -> None:
        """Forget cached question embeddings (for honest latency measurements)."""
        self._embed_cached.cache_clear()
        self._bm25_scores.cache_clear()

    def _embed(self, text: str) -> np.ndarray:
        return embed_query(self.embedder, text)

    def query_vector(self, query: Query) -> np.ndarray:
        """The question's embedding, as the dense leg uses it (cached: a search already made it)."""
        return self._embed_cached(expand(query.search_text, self.files.acronyms))

    def search(self, query: Query, k: int, filters: Filters, mode: str = "hybrid") -> list[Hit]:
        """Top ``k`` chunks for ``query``; ``mode`` is hybrid, bm25 or dense.

        For a peer question each council's best passage comes first, found by a search within
        that council: a corpus-wide fetch can miss a council whose few relevant passages rank
        behind many of a larger document's.
        """
        ranking = self._rank(query, max(k * self.settings.overfetch, 50), filters, mode)
        order = list(ranking.scores)
        if query.peers and self.settings.peer_search:
            firsts = []
            for council in self.councils(filters):
                own = self._rank_council(query, council, 50, filters, mode)
                if own.scores:
                    firsts.append(next(iter(own.scores)))
                    ranking.absorb(own)
            position = {cid: i for i, cid in enumerate(order)}
            firsts.sort(key=lambda cid: position.get(cid, len(position)))  # best-ranked council first
            order = list(dict.fromkeys(firsts + order))
        return ranking.hits(order[:k], self.files.chunks)

    def search_council(self, query: Query, council: str, k: int, filters: Filters,
                       mode: str = "hybrid") -> list[Hit]:
        """Top ``k`` passages of one council for ``query`` (the filters still apply)."""
        ranking = self._rank_council(query, council, max(k * self.settings.overfetch, 50), filters, mode)
        return ranking.hits(list(ranking.scores)[:k], self.files.chunks)

    def _rank_council(self, query: Query, council: str, depth: int, filters: Filters, mode: str) -> _Ranking:
        return self._rank(query, depth, replace(filters, councils=(council,)), mode)

    def councils(self, filters: Filters) -> list[str]:
        return [c for c in self._councils if not filters.councils or c in filters.councils]

    def _rank(self, query: Query, depth: int, filters: Filters, mode: str) -> _Ranking:
        """Both legs to ``depth``, fused and steered; scores in rank order."""
        settings = self.settings
        text = expand(query.search_text, self.files.acronyms)
        sparse = (self.files.sparse.top(self._bm25_scores(text), depth, self.masks.mask(filters))
                  if mode != "dense" else [])
        dense = (self.files.store.query(self.query_vector(query), depth, filters)
                 if mode != "bm25" else [])
        fused = rrf([[cid for cid, _ in sparse], [cid for cid, _ in dense]], k=settings.rrf_k,
                    weights=[settings.weight_bm25, settings.weight_dense])
        fused = boost(fused, self._steering(query, list(fused)))
        return _Ranking(dict(ranked(fused)),
                        {cid: i for i, (cid, _) in enumerate(sparse, start=1)},
                        {cid: i for i, (cid, _) in enumerate(dense, start=1)}, dict(dense))

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
            if chunk.template:
                factor *= settings.template_weight
            if factor != 1.0:
                factors[cid] = factor
        return factors
