"""Dev-set evaluation of every configuration in one run, on the same questions.

    .venv/bin/python bench/eval.py [--questions eval/questions.jsonl] [--name dev]

Configurations: the assistant (hybrid), its BM25 and dense legs alone, the hybrid without query
steering (council and theme boosts off; ablation), and a generic pipeline of the kind people use by
default: fixed 1,000-character chunks with 200 overlap, no structure, the same model, RRF, no
steering and no per-council search for peer questions. Indexes are cached under
bench/.cache (vectors are reused between runs). Writes bench/results/<date>-<name>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline import corpus_hash  # noqa: E402
from record import machine  # noqa: E402

from assure_qa import Assistant, Settings, set_offline_environment  # noqa: E402
from assure_qa.dense import make_embedder  # noqa: E402
from assure_qa.evaluate import evaluate, load_question_set, summary_table  # noqa: E402
from assure_qa.index import build_index  # noqa: E402

KEYS = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "mrr@10_pooled", "hit@5_pooled",
        "ndcg@10", "hit@4000chars", "council_coverage@10",
        "council_gold_coverage@10",
        "abstention", "false_abstention", "answer_supported", "citation_validity", "ask_p50_ms",
        "search_p50_ms"]


def configurations(base: Settings) -> list[tuple[str, Settings, str, bool]]:
    """(name, settings, mode, score answers too)."""
    flat = replace(base, council_boost=1.0, theme_boost=1.0)
    generic = replace(flat, chunker="fixed", peer_search=False)
    return [
        ("assure-qa hybrid", base, "hybrid", True),
        ("assure-qa BM25 only", base, "bm25", False),
        ("assure-qa dense only", base, "dense", False),
        ("assure-qa hybrid, no steering", flat, "hybrid", True),
        ("generic: fixed 1000/200, RRF", generic, "hybrid", True),
        ("generic BM25 only", generic, "bm25", False),
        ("generic dense only", generic, "dense", False),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--judgments", type=Path, default=ROOT / "eval" / "judgments.jsonl",
                        help="pooled relevance judgments; the *_pooled metrics use them")
    parser.add_argument("--name", default="dev")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    args.questions, args.corpus, args.judgments = (p.resolve() for p in (args.questions, args.corpus, args.judgments))
    set_offline_environment()
    base = Settings()
    questions = load_question_set(args.questions, args.judgments)
    embedder = make_embedder(base)
    results = []
    for name, settings, mode, answers in configurations(base):
        index = ROOT / "bench" / ".cache" / f"index-{settings.chunker}"
        build_index(args.corpus, index, settings, embedder)
        assistant = Assistant.open(index, settings=settings, embedder=embedder)
        report = evaluate(assistant, questions, mode=mode, answers=answers)
        results.append({"configuration": name, "mode": mode, "chunker": settings.chunker,
                        "steering": settings.council_boost != 1.0, "metrics": report.metrics,
                        "misses": [r["id"] for r in report.per_question if r["answerable"] and not r["rank"]],
                        "per_question": report.per_question})
        print(f"{name}: " + ", ".join(f"{k} {report.metrics.get(k)}" for k in KEYS if k in report.metrics),
              flush=True)
    table = summary_table([(r["configuration"], r["metrics"]) for r in results], KEYS)
    date = datetime.now(UTC).isoformat(timespec="seconds")
    output = {"name": args.name, "date": date, "command": "python bench/eval.py " + " ".join(sys.argv[1:]),
              "machine": machine(), "corpus": {"hash": corpus_hash(args.corpus)},
              "judgments": str(args.judgments.relative_to(ROOT)) if args.judgments.exists() else None,
              "questions": {"path": str(args.questions.relative_to(ROOT)), "count": len(questions),
                            "answerable": sum(q.answerable for q in questions)},
              "settings": asdict(base), "table": table, "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{date[:10]}-{args.name}.json"
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table)
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
