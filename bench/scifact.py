"""The retriever on BEIR SciFact (test split), next to published figures.

    .venv/bin/python bench/scifact.py [--data ../shared/bench/beir-scifact] [--limit N]

Uses the product's own parts: the tokeniser and SparseIndex (rank-bm25's Okapi scoring) for BM25, the packaged
all-MiniLM-L6-v2 and the Chroma VectorStore for the dense leg, ``fusion.rrf`` for the hybrid.
Documents are title + text; only each query's ``text`` is read (its metadata holds the answers).
Scores nDCG@10 and recall@100 over the 300 test queries. Document vectors are cached under
bench/.cache. Writes bench/results/<date>-scifact.json.

Published: BM25 nDCG@10 0.665 (BEIR paper, Thakur et al. 2021; Anserini multifield), 0.679
(Anserini flat BM25 regression); all-MiniLM-L6-v2 about 0.645.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline import machine  # noqa: E402

from assure_qa import Settings, set_offline_environment  # noqa: E402
from assure_qa.dense import Embedder, VectorStore, embed_query, make_embedder  # noqa: E402
from assure_qa.fusion import ranked, rrf  # noqa: E402
from assure_qa.records import Chunk  # noqa: E402
from assure_qa.sparse import SparseIndex  # noqa: E402

PUBLISHED = {"bm25_beir": 0.665, "bm25_anserini_flat": 0.679, "minilm_l6": 0.645}


def load(data: Path) -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    docs = {}
    for line in (data / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        docs[item["_id"]] = f"{item.get('title', '')} {item['text']}".strip()
    qrels: dict[str, set[str]] = {}
    for line in (data / "qrels" / "test.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        query, doc, score = line.split("\t")
        if int(score) > 0:
            qrels.setdefault(query, set()).add(doc)
    queries = {}
    for line in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["_id"] in qrels:
            queries[item["_id"]] = item["text"]  # never item["metadata"]: it holds the answers
    return docs, queries, qrels


def ndcg_at(ranking: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranking[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def recall_at(ranking: list[str], relevant: set[str], k: int = 100) -> float:
    return len(set(ranking[:k]) & relevant) / len(relevant)


def score(runs: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    return {"ndcg@10": round(float(np.mean([ndcg_at(runs[q], qrels[q]) for q in runs])), 4),
            "recall@100": round(float(np.mean([recall_at(runs[q], qrels[q]) for q in runs])), 4)}


def document_vectors(docs: dict[str, str], embedder: Embedder) -> tuple[np.ndarray, float | None]:
    """The documents' vectors and the seconds spent embedding them (None when read from cache)."""
    key = hashlib.sha256("\x00".join(f"{k}\x01{v}" for k, v in docs.items()).encode()).hexdigest()[:16]
    # One cache per model: vectors of one model are meaningless to another.
    model = "".join(ch if ch.isalnum() else "-" for ch in getattr(embedder, "name", ""))
    cache = ROOT / "bench" / ".cache" / f"scifact-{model}-{key}.npy"
    if cache.exists():
        return np.load(cache), None
    began = time.perf_counter()
    vectors = embedder.embed(list(docs.values()))
    seconds = round(time.perf_counter() - began, 1)
    print(f"embedded {len(docs)} documents in {seconds} s", flush=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "beir-scifact")
    parser.add_argument("--depth", type=int, default=1000, help="how deep each leg is fetched for fusion")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    set_offline_environment()
    settings = Settings()
    docs, queries, qrels = load(args.data)
    ids = list(docs)
    results: dict[str, dict[str, float]] = {}
    bm25_runs: dict[str, dict[str, list[str]]] = {}
    for name, k1, b in (("bm25 (assure-qa k1=1.2 b=0.75)", settings.bm25_k1, settings.bm25_b),
                        ("bm25 (Anserini k1=0.9 b=0.4)", 0.9, 0.4)):
        began = time.perf_counter()
        index = SparseIndex.build(ids, docs.values(), k1=k1, b=b)
        runs = {q: [d for d, _ in index.search(text, args.depth)] for q, text in queries.items()}
        bm25_runs[name] = runs
        results[name] = {**score(runs, qrels), "seconds": round(time.perf_counter() - began, 1)}
        print(name, results[name], flush=True)

    embedder = make_embedder(settings)
    vectors, embed_seconds = document_vectors(docs, embedder)
    with tempfile.TemporaryDirectory() as tmp:
        store = VectorStore(Path(tmp) / "chroma")
        placeholders = [Chunk(d, d, "scifact", "abstract", "", "", None, None, "none", "none", "", (), None,
                              0, 0, "") for d in ids]
        for i in range(0, len(ids), 2000):
            store.add(placeholders[i:i + 2000], vectors[i:i + 2000])
        began = time.perf_counter()
        dense = {q: [d for d, _ in store.query(embed_query(embedder, text), args.depth)]
                 for q, text in queries.items()}
        dense_name = f"dense ({settings.model_name.split('/')[-1]}, Chroma)"
        results[dense_name] = {**score(dense, qrels), "seconds": round(time.perf_counter() - began, 1)}
        print("dense", results[dense_name], flush=True)

    # The fusion grid the dev set is also scored on: a change is kept only where both agree.
    for bm25_name, runs in bm25_runs.items():
        for k in (20, 60):
            for dense_weight in (1.0, 0.7, 0.5):
                fused = {q: [d for d, _ in ranked(rrf([runs[q], dense[q]], k=k, weights=[1.0, dense_weight]))]
                         for q in queries}
                name = (f"hybrid RRF k={k} dense weight {dense_weight} "
                        f"({bm25_name.split(' (')[1].rstrip(')')} + dense)")
                results[name] = score(fused, qrels)
                print(name, results[name], flush=True)

    date = datetime.now(UTC).isoformat(timespec="seconds")
    output = {"name": "scifact", "date": date, "command": "python bench/scifact.py " + " ".join(sys.argv[1:]),
              "machine": machine(), "data": {"documents": len(docs), "queries": len(queries)},
              "embed_seconds": embed_seconds,  # None: the vectors came from bench/.cache
              "settings": {"rrf_k": settings.rrf_k, "weights": [settings.weight_bm25, settings.weight_dense],
                           "depth": args.depth, "model": settings.model_name},
              "published_ndcg@10": PUBLISHED, "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{date[:10]}-scifact.json"
    path.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
