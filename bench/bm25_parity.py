"""SparseIndex (sparse-matrix BM25) against rank-bm25's BM25Okapi on all of BEIR SciFact.

    .venv/bin/python bench/bm25_parity.py [--data ../shared/bench/beir-scifact]

Builds both over the 5,183 abstracts (title + text) with the product's tokeniser and settings, runs
every query (only its ``text`` is read), and counts queries whose top 10 differ and the largest
score difference over all documents. Also times a build, save, load and query of each.
Writes bench/results/<date>-bm25-parity.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from rank_bm25 import BM25Okapi  # noqa: E402
from record import machine  # noqa: E402

from assure_qa import Settings  # noqa: E402
from assure_qa.sparse import SparseIndex, tokenize  # noqa: E402


def top10(scores: np.ndarray) -> list[int]:
    """Top 10 by score rounded below float noise, ties by position (as tests/test_sparse_parity.py)."""
    best = np.argsort(-scores, kind="stable")[:50]
    return sorted(best.tolist(), key=lambda i: (-round(float(scores[i]), 9), i))[:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "beir-scifact")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    settings = Settings()
    with open(args.data / "corpus.jsonl", encoding="utf-8") as f:
        docs = [f"{r['title']} {r['text']}" for r in map(json.loads, f)]
    with open(args.data / "queries.jsonl", encoding="utf-8") as f:
        queries = [json.loads(line)["text"] for line in f]
    tokens = [tokenize(d) for d in docs]

    began = time.perf_counter()
    index = SparseIndex.build([str(i) for i in range(len(docs))], docs, settings.bm25_k1, settings.bm25_b)
    build_s = time.perf_counter() - began  # includes tokenising
    with tempfile.TemporaryDirectory() as tmp:
        index.save(Path(tmp))
        began = time.perf_counter()
        index = SparseIndex.load(Path(tmp))
        load_s = time.perf_counter() - began
    began = time.perf_counter()
    reference = BM25Okapi(tokens, k1=settings.bm25_k1, b=settings.bm25_b)
    reference_build_s = time.perf_counter() - began  # tokens given: statistics only

    differ, max_diff, ours_ms, theirs_ms = 0, 0.0, [], []
    for query in queries:
        q = tokenize(query)
        began = time.perf_counter()
        got = index.scores(q)
        ours_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        expected = reference.get_scores(q)
        theirs_ms.append((time.perf_counter() - began) * 1000)
        max_diff = max(max_diff, float(np.max(np.abs(got - expected))))
        differ += top10(got) != top10(expected)

    result = {
        "name": "bm25-parity",
        "command": "python bench/bm25_parity.py",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"k1": settings.bm25_k1, "b": settings.bm25_b, "epsilon": 0.25},
        "documents": len(docs), "queries": len(queries),
        "queries_top10_differ": differ, "max_abs_score_difference": max_diff,
        "sparse_build_s_with_tokenising": round(build_s, 2), "sparse_load_s": round(load_s, 4),
        "rank_bm25_build_s_without_tokenising": round(reference_build_s, 2),
        "sparse_query_ms_p50": round(statistics.median(ours_ms), 3),
        "rank_bm25_query_ms_p50": round(statistics.median(theirs_ms), 3),
    }
    print(json.dumps(result, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{result['date'][:10]}-bm25-parity.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
