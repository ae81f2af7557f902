"""Pipeline benchmark: chunk statistics, full and no-op index builds, ask()/search() latency.

    .venv/bin/python bench/pipeline.py [--corpus corpus] [--repeats 5]

Builds a fresh index in a temporary folder with the real packaged model, then times questions
after one warm-up pass. Writes bench/results/<date>-pipeline.json (settings, corpus hash, machine,
metrics) and prints a summary. Questions are generic examples of the three users' needs, not a
test set: the evaluation set and its metrics are in bench/eval (issue 3).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from record import machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from assure_qa import Assistant, Settings, set_offline_environment  # noqa: E402
from assure_qa.chunking import chunk_document  # noqa: E402
from assure_qa.dense import make_embedder  # noqa: E402
from assure_qa.index import build_index  # noqa: E402
from assure_qa.ingest import scan_corpus  # noqa: E402

QUESTIONS = [
    "What evidence do we have that safeguarding enquiries are timely?",
    "How do other councils support unpaid carers?",
    "What did Durham commit to on advocacy, who leads it and by when?",
    "What was Durham's score for safeguarding?",
    "How many open DoLS does Oxfordshire have?",
    "When is the CQC on-site visit in Oxfordshire?",
    "How does Derbyshire reduce waiting lists for assessments?",
    "What is the council's policy on parking permits?",
]


def corpus_hash(corpus: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    set_offline_environment()
    settings = Settings()

    docs = scan_corpus(args.corpus).documents
    chunks = [c for d in docs for c in chunk_document(d, settings)]
    sizes = [len(c.text) for c in chunks]
    embedder = make_embedder(settings)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        build = build_index(args.corpus, Path(tmp) / "index", settings, embedder)
        full_build = time.perf_counter() - began
        began = time.perf_counter()
        noop = build_index(args.corpus, Path(tmp) / "index", settings, embedder)
        noop_build = time.perf_counter() - began
        assistant = Assistant.open(Path(tmp) / "index", embedder=embedder)
        for question in QUESTIONS:  # warm-up: model load, caches
            assistant.ask(question)
        ask_ms, search_ms = [], []
        for _ in range(args.repeats):
            for question in QUESTIONS:
                assistant.retriever._embed_cached.cache_clear()  # time the query embedding too
                began = time.perf_counter()
                assistant.search(question, k=10)
                search_ms.append((time.perf_counter() - began) * 1000)
                assistant.retriever._embed_cached.cache_clear()
                began = time.perf_counter()
                assistant.ask(question)
                ask_ms.append((time.perf_counter() - began) * 1000)
        examples = []
        for question in QUESTIONS[:5] + QUESTIONS[-1:]:
            answer = assistant.ask(question)
            examples.append({"question": question, "found": answer.found, "answer": answer.text,
                             "citations": [{"n": c.n, "council": c.council, "doc": c.doc_id,
                                            "section": c.section, "paragraphs": list(c.paragraphs),
                                            "start": c.start, "end": c.end} for c in answer.citations]})

    result = {
        "name": "pipeline",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python bench/pipeline.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "corpus": {"path": str(args.corpus), "hash": corpus_hash(args.corpus), "documents": len(docs)},
        "settings": asdict(settings),
        "chunks": {"count": len(chunks), "per_document": {d.doc_id: sum(c.doc_id == d.doc_id for c in chunks)
                                                           for d in docs},
                   "chars_min": min(sizes), "chars_p25": percentile(sizes, 0.25),
                   "chars_median": statistics.median(sizes), "chars_p75": percentile(sizes, 0.75),
                   "chars_p95": percentile(sizes, 0.95), "chars_max": max(sizes),
                   "theme_source": {s: sum(c.theme_source == s for c in chunks)
                                    for s in ("heading", "classifier", "none")}},
        "index": {"full_build_s": round(full_build, 2), "embedded": build.embedded,
                  "sentences_embedded": build.sentences_embedded,
                  "noop_build_s": round(noop_build, 3), "noop_embedded": noop.embedded},
        "latency_ms": {"questions": len(QUESTIONS), "repeats": args.repeats,
                       "ask_p50": round(statistics.median(ask_ms), 1), "ask_p95": round(percentile(ask_ms, 0.95), 1),
                       "search_p50": round(statistics.median(search_ms), 1),
                       "search_p95": round(percentile(search_ms, 0.95), 1)},
        "examples": examples,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{result['date'][:10]}-pipeline.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("chunks", "index", "latency_ms")}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
