"""SparseIndex scores equal rank-bm25's BM25Okapi (the reference) on real text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from assure_qa.sparse import SparseIndex, tokenize

ROOT = Path(__file__).resolve().parent.parent
SCIFACT = ROOT.parent / "shared" / "bench" / "beir-scifact"


def top10(scores: np.ndarray) -> list[int]:
    # Order by score rounded below float noise, then position: equal scores tie the same way in both.
    return sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 9), i))[:10]


def assert_parity(docs: list[str], queries: list[str], k1: float = 1.2, b: float = 0.75) -> None:
    index = SparseIndex.build([str(i) for i in range(len(docs))], docs, k1=k1, b=b)
    reference = BM25Okapi([tokenize(d) for d in docs], k1=k1, b=b)
    assert {t: index.idf(t) for t in reference.idf} == pytest.approx(reference.idf, rel=1e-12)
    for query in queries:
        tokens = tokenize(query)
        expected = reference.get_scores(tokens)
        got = index.scores(tokens)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
        assert top10(got) == top10(expected), query


@pytest.mark.skipif(not SCIFACT.exists(), reason="BEIR SciFact is not next to this checkout")
def test_top10_equals_rank_bm25_on_scifact_queries() -> None:
    docs = []
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs.append(f"{row['title']} {row['text']}")
            if len(docs) == 400:
                break
    with open(SCIFACT / "queries.jsonl", encoding="utf-8") as f:
        queries = [json.loads(line)["text"] for line in f][:300]
    assert_parity(docs, queries)


def test_parity_on_the_seed_corpus_with_negative_idf_and_repeated_terms() -> None:
    paragraphs = [p for path in sorted((ROOT / "corpus").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()][:600]
    # "council" and "care" occur in more than half of a small set: their idf is floored at epsilon.
    small = ["the council care plan", "council care homes", "care council review", "unpaid carers"]
    assert_parity(small, ["council care", "care care unpaid", "nothing here"])
    assert_parity(paragraphs, ["safeguarding enquiries completed within 28 days",
                               "unpaid carers assessment waiting list", "direct payments direct"],
                  k1=0.9, b=0.4)


def test_saved_index_loads_with_the_same_scores(tmp_path: Path) -> None:
    index = SparseIndex.build(["a", "b", "c"], ["carers respite", "safeguarding adults", ""], k1=1.2, b=0.75)
    index.save(tmp_path)
    again = SparseIndex.load(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25-vocab.json", "bm25.npz"]
    assert again.ids == ["a", "b", "c"]
    np.testing.assert_array_equal(again.scores(["carer"]), index.scores(["carer"]))
    assert again.search("safeguarding", 5) == [("b", index.scores(tokenize("safeguarding"))[1])]
    assert again.search("carers", 0) == []
    # Equal scores keep index order, also when a partial selection cuts through the tie.
    tied = SparseIndex.build(list("pqrstuvwxyz"), ["carers"] * 5 + ["respite"] * 6, k1=1.2, b=0.75)
    assert [cid for cid, _ in tied.search("carers", 2)] == ["p", "q"]
    assert [cid for cid, _ in tied.search("carers", 2, tied.mask({"s", "r"}))] == ["r", "s"]
    empty = SparseIndex.build(["x"], [""], k1=1.2, b=0.75)
    assert empty.search("anything", 5) == [] and not empty.knows("anyth")
