"""Question + filters -> both legs -> fusion -> ranked Hits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .acronyms import expand
from .config import Settings
from .dense import Embedder, embed_query
from .fusion import boost, ranked, rrf
from .grouping import GroupedLeg, fuse_per_group, top_per_group, top_rows
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
        rows = [files.chunks[cid] for cid in files.sparse.ids]
        code = {council: i for i, council in enumerate(self._councils)}
        self._codes = np.asarray([code[c.council] for c in rows], dtype=np.int64)  # council per BM25 row
        self._template = np.asarray([c.template for c in rows], dtype=bool)
        # Every council is ranked with the same text: score the corpus once per leg.
        self._bm25_scores = lru_cache(maxsize=8)(lambda text: files.sparse.scores(tokenize(text)))
        self._dense_scores = lru_cache(maxsize=8)(self._cosines)

    def clear_cache(self) -> None:
        """Forget cached question embeddings (for honest latency measurements)."""
        self._embed_cached.cache_clear()
        self._bm25_scores.cache_clear()
        self._dense_scores.cache_clear()

    def _cosines(self, text: str) -> np.ndarray:
        """Cosine similarity of every passage (BM25 row order) to the question's vector."""
        vectors = self.files.vectors
        if not len(vectors):
            return np.zeros(len(self.files.sparse.ids), dtype=np.float32)
        return np.asarray(vectors @ self._embed_cached(text), dtype=np.float32)

    def _embed(self, text: str) -> np.ndarray:
        return embed_query(self.embedder, text)

    def query_vector(self, query: Query) -> np.ndarray:
        """The question's embedding, as the dense leg uses it (cached: a search already made it)."""
        return self._embed_cached(expand(query.search_text, self.files.acronyms))

    def search(self, query: Query, k: int, filters: Filters, mode: str = "hybrid") -> list[Hit]:
        """Top ``k`` chunks for ``query``; ``mode`` is hybrid, bm25 or dense.

        For a peer question each council's best passage comes first, as a search within that
        council ranks it (a corpus-wide fetch can miss a council whose few relevant passages rank
        behind many of a larger document's); every council's ranking comes from one pass over the
        corpus (``by_council``), not one search per council. For a question naming a council, the
        ``k`` best of a search within that council come first (naming several, each its share of
        ``k``), in the corpus-wide order where that reached them: its relevant passages may rank
        behind many of other councils' that share the question's words ("Which quality statement
        was Calderwick's best?"), and an answer to it quotes the named councils only.
        """
        depth = max(k * self.settings.overfetch, 50)
        ranking = self._rank(query, depth, filters, mode)
        order = list(ranking.scores)
        own: dict[str, _Ranking] = {}
        if query.peers and self.settings.peer_search:
            own = self.by_council(query, self.councils(filters), 50, filters, mode, 1)
        elif query.councils and not query.peers and (
                named := [c for c in query.councils if c in self.councils(filters)]):
            own = self.by_council(query, named, depth, filters, mode, -(-k // len(named)))  # each its share of k
        if own:
            firsts = []
            for council_ranking in own.values():
                ranking.absorb(council_ranking)
                firsts += list(council_ranking.scores)
            position = {cid: i for i, cid in enumerate(order)}
            firsts.sort(key=lambda cid: position.get(cid, len(position)))  # in the corpus-wide order
            order = list(dict.fromkeys(firsts + order))
        return ranking.hits(order[:k], self.files.chunks)

    def search_councils(self, query: Query, councils: list[str], k: int, filters: Filters,
                        mode: str = "hybrid") -> dict[str, list[Hit]]:
        """Top ``k`` passages of each of ``councils`` for ``query`` (the filters still apply); a
        council with no matching passage is absent."""
        own = self.by_council(query, councils, max(k * self.settings.overfetch, 50), filters, mode, k)
        return {council: ranking.hits(list(ranking.scores), self.files.chunks) for council, ranking in own.items()}

    def by_council(self, query: Query, councils: list[str], depth: int, filters: Filters, mode: str,
                   n: int) -> dict[str, _Ranking]:
        """Each council's own ranking (both legs to ``depth`` within the council, fused and steered as
        ``_rank`` does), its ``n`` best passages; from the question's scores over the whole corpus,
        computed once (``grouping.py``)."""
        allowed = self.masks.mask(replace(filters, councils=tuple(councils)))
        if not councils or allowed is None:
            return {}
        text = expand(query.search_text, self.files.acronyms)
        empty = GroupedLeg(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        bm25, dense, cosines = empty, empty, None
        if mode != "dense":
            scores = self._bm25_scores(text)
            bm25 = top_per_group(scores, np.flatnonzero((scores > 0) & allowed), self._codes, depth)
        if mode != "bm25":
            cosines = self._dense_scores(text)
            dense = top_per_group(cosines, np.flatnonzero(allowed), self._codes, depth)
        settings = self.settings
        rows, fused = fuse_per_group([bm25, dense], [settings.weight_bm25, settings.weight_dense], settings.rrf_k,
                                     self._factors(query), self._codes, depth, n)
        bm25_rank = dict(zip(bm25.rows.tolist(), bm25.ranks.tolist(), strict=True))
        dense_rank = dict(zip(dense.rows.tolist(), dense.ranks.tolist(), strict=True))
        rankings: dict[str, _Ranking] = {}
        ids = self.files.sparse.ids
        for row, score in zip(rows.tolist(), fused.tolist(), strict=True):
            ranking = rankings.setdefault(self._councils[self._codes[row]], _Ranking({}, {}, {}, {}))
            cid = ids[row]
            ranking.scores[cid] = score
            if row in bm25_rank:
                ranking.bm25_rank[cid] = bm25_rank[row]
            if row in dense_rank and cosines is not None:
                ranking.dense_rank[cid] = dense_rank[row]
                ranking.similarity[cid] = float(cosines[row])
        return rankings

    def _factors(self, query: Query) -> np.ndarray:
        """``_steering`` for every passage at once (same factors, multiplied in the same order)."""
        settings, masks = self.settings, self.masks
        factors = np.ones(masks.size)
        if query.councils and not query.peers:
            factors[masks.mask(Filters(councils=query.councils))] *= settings.council_boost
        named = np.zeros(masks.size, dtype=bool)
        for selection in (Filters(quality_statements=query.statements), Filters(themes=query.themes)):
            if (mask := masks.mask(selection)) is not None:
                named |= mask
        factors[named] *= settings.theme_boost
        factors[self._template] *= settings.template_weight
        return factors

    def councils(self, filters: Filters) -> list[str]:
        return [c for c in self._councils if not filters.councils or c in filters.councils]

    def _rank(self, query: Query, depth: int, filters: Filters, mode: str) -> _Ranking:
        """Both legs to ``depth``, fused and steered; scores in rank order."""
        settings = self.settings
        text = expand(query.search_text, self.files.acronyms)
        sparse = (self.files.sparse.top(self._bm25_scores(text), depth, self.masks.mask(filters))
                  if mode != "dense" else [])
        dense = self._dense(query, text, depth, filters) if mode != "bm25" else []
        fused = rrf([[cid for cid, _ in sparse], [cid for cid, _ in dense]], k=settings.rrf_k,
                    weights=[settings.weight_bm25, settings.weight_dense])
        fused = boost(fused, self._steering(query, list(fused)))
        return _Ranking(dict(ranked(fused)),
                        {cid: i for i, (cid, _) in enumerate(sparse, start=1)},
                        {cid: i for i, (cid, _) in enumerate(dense, start=1)}, dict(dense))

    def _dense(self, query: Query, text: str, depth: int, filters: Filters) -> list[tuple[str, float]]:
        """Nearest passages: Chroma's HNSW index when unfiltered; with filters, exact cosine over the
        rows of the filter's mask (Chroma filters through its metadata store: 170 ms a question at
        22,000 passages, against a few ms here)."""
        mask = self.masks.mask(filters)
        if mask is None:
            return self.files.store.query(self.query_vector(query), depth, filters)
        cosines = self._dense_scores(text)
        ids = self.files.sparse.ids
        return [(ids[i], float(cosines[i])) for i in top_rows(cosines, np.flatnonzero(mask), depth).tolist()]

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
