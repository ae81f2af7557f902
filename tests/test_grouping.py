"""Per-council rankings from whole-corpus scores: equal to ranking each council on its own."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assure_qa import Assistant
from assure_qa.acronyms import expand
from assure_qa.dense import chunk_matches
from assure_qa.embedding import length_batches
from assure_qa.fusion import boost, ranked, rrf
from assure_qa.grouping import fuse_per_group, top_per_group
from assure_qa.records import Filters


def test_top_per_group_ranks_within_each_group_ties_by_row() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.1, 0.7, 0.9])
    groups = np.array([0, 1, 0, 0, 1, 0])
    leg = top_per_group(scores, np.array([0, 1, 2, 3, 4, 5]), groups, depth=2)
    assert leg.rows.tolist() == [5, 0, 1, 4]  # group 0: 0.9 (row 5), then 0.5 tied: row 0 before row 2
    assert leg.ranks.tolist() == [1, 2, 1, 2]
    assert top_per_group(scores, np.array([], dtype=np.int64), groups, 2).rows.tolist() == []


def test_fusion_per_group_equals_rrf_boost_ranked_on_each_group() -> None:
    rng = np.random.default_rng(7)
    size, k, depth = 300, 20, 12
    groups = rng.integers(0, 5, size)
    bm25 = np.round(rng.random(size), 1) * (rng.random(size) > 0.4)  # rounded: many ties
    dense = np.round(rng.random(size), 2)
    factors = np.where(rng.random(size) > 0.8, 0.5, 1.0) * np.where(rng.random(size) > 0.7, 1.1, 1.0)
    legs = [top_per_group(bm25, np.flatnonzero(bm25 > 0), groups, depth),
            top_per_group(dense, np.arange(size), groups, depth)]
    rows, fused = fuse_per_group(legs, [1.0, 0.7], k, factors, groups, depth, n=5)
    for group in range(5):
        members = np.flatnonzero(groups == group)
        lists = []
        for scores, keep in ((bm25, bm25[members] > 0), (dense, np.ones(len(members), dtype=bool))):
            own = members[keep]
            lists.append([int(r) for r in own[np.lexsort((own, -scores[own]))][:depth]])
        expected = ranked(boost(rrf(lists, k=k, weights=[1.0, 0.7]), {r: float(factors[r]) for r in members}), 5)
        mine = groups[rows] == group
        assert [int(r) for r in rows[mine]] == [r for r, _ in expected]
        assert fused[mine].tolist() == [s for _, s in expected]  # the same floats, not approximately


QUESTIONS = ["how do other councils support unpaid carers?", "safeguarding enquiries completed on time",
             "What did Durham commit to on advocacy?", "waiting lists for Care Act assessments"]


class ExactStore:
    """The dense leg by exact cosine over the stored passage vectors (Chroma's HNSW can order two
    passages whose cosines differ in the seventh digit either way), ties by row."""

    def __init__(self, assistant: Assistant) -> None:
        self.files = assistant.files

    def query(self, vector: np.ndarray, n: int, filters: Filters) -> list[tuple[str, float]]:
        ids, chunks = self.files.sparse.ids, self.files.chunks
        rows = np.array([i for i, cid in enumerate(ids) if chunk_matches(chunks[cid], filters)], dtype=np.int64)
        cosines = self.files.vectors @ vector
        order = rows[np.lexsort((rows, -cosines[rows]))][:n]
        return [(ids[i], float(cosines[i])) for i in order]


def test_the_passage_vectors_are_the_stored_ones(fake_assistant: Assistant) -> None:
    files = fake_assistant.files
    vector = fake_assistant.retriever.query_vector(fake_assistant.understand("carers assessments"))
    chroma = files.store.query(vector, 40)
    exact = dict(ExactStore(fake_assistant).query(vector, len(files.sparse.ids), Filters()))
    assert [exact[cid] for cid, _ in chroma] == pytest.approx([s for _, s in chroma], abs=1e-5)
    assert [s for _, s in chroma] == pytest.approx(sorted(exact.values(), reverse=True)[:40], abs=1e-5)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
@pytest.mark.parametrize("filters", [Filters(), Filters(quality_statements=("Safeguarding",)),
                                     Filters(doc_types=("self-assessment", "minutes"))])
def test_every_councils_ranking_equals_a_search_within_that_council(
        fake_assistant: Assistant, question: str, mode: str, filters: Filters,
        monkeypatch: pytest.MonkeyPatch) -> None:
    retriever = fake_assistant.retriever
    query = fake_assistant.understand(question)
    councils = fake_assistant.councils()
    together = retriever.by_council(query, councils, 50, filters, mode, 8)
    monkeypatch.setattr(retriever.files, "store", ExactStore(fake_assistant))
    for council in councils:
        alone = retriever._rank(query, 50, replace(filters, councils=(council,)), mode)
        expected = list(alone.scores.items())[:8]
        if not expected:
            assert council not in together
            continue
        got = together[council]
        assert list(got.scores) == [cid for cid, _ in expected], council
        assert list(got.scores.values()) == [s for _, s in expected]
        for cid in got.scores:
            assert got.bm25_rank.get(cid) == alone.bm25_rank.get(cid)
            assert got.dense_rank.get(cid) == alone.dense_rank.get(cid)
            assert got.similarity.get(cid) == pytest.approx(alone.similarity.get(cid), abs=1e-5)


def test_compare_and_the_statement_view_rank_each_council_on_its_own(fake_assistant: Assistant) -> None:
    retriever = fake_assistant.retriever
    query = fake_assistant.understand("how is safeguarding assured?")
    councils = fake_assistant.councils()
    ranked_hits = retriever.search_councils(query, councils, 3, Filters())
    assert set(ranked_hits) == set(councils)
    for council, hits in ranked_hits.items():
        assert [h.rank for h in hits] == [1, 2, 3] and all(h.chunk.council == council for h in hits)
    view = fake_assistant.theme_view("Safeguarding")
    assert [v.council for v in view] == councils
    assert all(p.hit.chunk.quality_statement == "Safeguarding" for v in view for p in v.passages)


def test_length_batches_put_texts_of_similar_length_together() -> None:
    texts = ["aaaa", "b", "cc", "ddd", "e", "ffffff"]
    assert length_batches(texts, 2) == [[1, 4], [2, 3], [0, 5]]
    assert length_batches([], 4) == []


def test_top_rows_keeps_ties_in_row_order() -> None:
    from assure_qa.grouping import top_rows

    scores = np.array([0.2, 0.9, 0.5, 0.9, -0.3, 0.5])
    assert top_rows(scores, np.arange(6), 3).tolist() == [1, 3, 2]
    assert top_rows(scores, np.array([0, 2, 4, 5]), 3).tolist() == [2, 5, 0]
    assert top_rows(scores, np.arange(6), 0).tolist() == []


@pytest.mark.parametrize("filters", [Filters(quality_statements=("Safeguarding",)), Filters(doc_types=("minutes",)),
                                     Filters(councils=("Durham County Council",), date_from="2024-11")])
def test_a_filtered_dense_leg_finds_what_chroma_finds(fake_assistant: Assistant, filters: Filters) -> None:
    retriever = fake_assistant.retriever
    query = fake_assistant.understand("carers assessments and waiting times")
    mine = retriever._dense(query, expand(query.search_text, fake_assistant.files.acronyms), 30, filters)
    chroma = fake_assistant.files.store.query(retriever.query_vector(query), 30, filters)
    assert [s for _, s in mine] == pytest.approx([s for _, s in chroma], abs=1e-5)
    assert len(set(dict(mine)) ^ set(dict(chroma))) <= 2  # a passage tied at the cut may differ
