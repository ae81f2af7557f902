"""Scores recall: every rating and score the documents state, against the blind-written gold.

    .venv/bin/python bench/scores.py [--label after] [--src src]

Builds an index of the seed corpus plus ``eval/peer-corpus/`` (manifests merged as
``bench/answers.py`` does) and compares ``Assistant.scores()`` with ``eval/peers-scores.jsonl``.
A gold row is matched by council and quality statement (None: the overall rating; the gold's
wording of a statement, e.g. "Equity in experience and outcomes", is read as the framework's
canonical name, as the product names it); it is ``correct`` when a row of its document gives the
same value (the score, or the rating and the percentage, None when the gold states none) and
indicative flag, ``wrong`` when the council's row for that statement gives another value,
``missed`` when there is none. ``extra`` rows are rows the gold does not hold, listed for the
documents the gold covers and, separately, for documents it does not cover (checked by hand).

Then score questions over the same index, written from the gold's councils and statements by
templates (never edited per row): "What did <council> score for <statement>?", "What is <council>'s
overall rating?", "Which councils scored <n> for <statement>?" and "How did other councils score on
<statement>?". Each must be answered from the scores (the note says so) with a citation per
council the scores hold for it, whose quote states the value.
Writes bench/results/<date>-scores-<label>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from answers import ROOT, combined_corpus
from record import write_result

GOLD = ROOT / "eval" / "peers-scores.jsonl"


def gold_rows() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:  # the gold writes a percentage as "64%"
        if isinstance(row.get("overall_score"), str):
            row["overall_score"] = int(row["overall_score"].rstrip("%"))
    return rows


def same_value(gold: dict[str, Any], row: Any) -> bool:
    if gold["quality_statement"] is None:
        return bool(row.overall_rating == gold["overall_rating"] and row.overall_score == gold["overall_score"])
    return bool(row.score == gold["score"])


def compare(gold: list[dict[str, Any]], found: list[Any], text_of: Any) -> dict[str, Any]:
    """Per gold row: correct, wrong or missed; the rows no gold row accounts for."""
    used: set[int] = set()
    outcomes = []
    for g in gold:
        same_key = [i for i, r in enumerate(found)
                    if r.council == g["council"] and r.quality_statement == g["quality_statement"]]
        right = [i for i in same_key if found[i].doc == g["doc"] and same_value(g, found[i])
                 and found[i].indicative == g["indicative"]]
        used.update(same_key)
        if right:
            row = found[right[0]]
            span = text_of(row.doc)[row.start:row.end]
            outcomes.append({**_key(g), "outcome": "correct", "quote_in_span": g["quote"] in span})
        elif same_key:
            row = found[same_key[0]]
            outcomes.append({**_key(g), "outcome": "wrong", "found": row.to_json()})
        else:
            outcomes.append({**_key(g), "outcome": "missed"})
    covered = {g["doc"] for g in gold}
    extra = [found[i].to_json() for i in range(len(found)) if i not in used]
    return {"outcomes": outcomes,
            "extra_in_gold_documents": [r for r in extra if r["doc"] in covered],
            "extra_in_other_documents": [r for r in extra if r["doc"] not in covered]}


def _key(g: dict[str, Any]) -> dict[str, Any]:
    return {"council": g["council"], "quality_statement": g["quality_statement"], "doc": g["doc"]}


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    outcomes = result["outcomes"]
    by_council: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "correct": 0, "wrong": 0, "missed": 0})
    for o in outcomes:
        entry = by_council[o["council"]]
        entry["gold"] += 1
        entry[o["outcome"]] += 1
    extra_by_council: dict[str, int] = defaultdict(int)
    for r in result["extra_in_gold_documents"] + result["extra_in_other_documents"]:
        extra_by_council[r["council"]] += 1
    for council, n in extra_by_council.items():
        by_council[council]["extra"] = n
    correct = sum(o["outcome"] == "correct" for o in outcomes)
    return {"gold": len(outcomes), "correct": correct,
            "recall": round(correct / len(outcomes), 4) if outcomes else None,
            "wrong": sum(o["outcome"] == "wrong" for o in outcomes),
            "missed": sum(o["outcome"] == "missed" for o in outcomes),
            "quote_in_span": sum(bool(o.get("quote_in_span")) for o in outcomes),
            "extra_in_gold_documents": len(result["extra_in_gold_documents"]),
            "extra_in_other_documents": len(result["extra_in_other_documents"]),
            "by_council": {k: dict(v) for k, v in sorted(by_council.items())}}


def _short(council: str) -> str:
    """"Northmoor" for "Northmoor County Council": how people name a council in a question."""
    return council.split()[0]


def score_questions(assistant: Any, gold: list[dict[str, Any]], found: list[Any]) -> list[dict[str, Any]]:
    """Each templated question, what the scores say it should cite, and whether the answer does."""
    from assure_qa.score_answers import describe_score

    asked: list[tuple[str, list[Any]]] = []
    statements = sorted({g["quality_statement"] for g in gold if g["quality_statement"]})
    for g in gold:
        rows = [r for r in found if r.council == g["council"] and r.quality_statement == g["quality_statement"]]
        if g["quality_statement"]:
            asked.append((f"What did {_short(g['council'])} score for {g['quality_statement'].lower()}?", rows))
        else:
            asked.append((f"What is {_short(g['council'])}'s overall rating?", rows))
    for statement in statements:
        for value in (1, 2, 3, 4):
            rows = [r for r in found if r.quality_statement == statement and r.score == value]
            if rows:
                asked.append((f"Which councils scored {value} for {statement.lower()}?", rows))
        asked.append((f"How did other councils score on {statement.lower()}?",
                      [r for r in found if r.quality_statement == statement]))
    results = []
    for question, rows in asked:
        answer = assistant.ask(question)
        expected = [describe_score(r) for r in rows]
        lines = [line.rsplit(" [", 1)[0] for line in answer.text.splitlines()]
        spans_ok = all(assistant.document_text(c.doc_id)[c.start:c.end] == c.quote for c in answer.citations)
        ok = ("answered from the scores" in answer.notes and lines == expected
              and len(answer.citations) == len(rows) and spans_ok)
        results.append({"question": question, "ok": ok, "answer": answer.text,
                        "expected": expected, "councils": sorted({r.council for r in rows})})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package to measure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    import assure_qa  # from --src, whatever checkout this script is in
    from assure_qa import Assistant, Settings, set_offline_environment
    from assure_qa.dense import SentenceEmbedder
    from assure_qa.index import build_index
    from assure_qa.taxonomy import canonical_quality_statement

    print(f"measuring {assure_qa.__file__}", flush=True)
    set_offline_environment()
    settings = Settings()
    embedder = SentenceEmbedder(settings)
    cache = ROOT / "bench" / ".cache"
    corpus = combined_corpus(ROOT / "eval" / "peer-corpus", cache / "corpus-scores")
    index = cache / f"scores-{args.label}"
    build_index(corpus, index, settings, embedder)
    assistant = Assistant.open(index, settings=settings, embedder=embedder)
    found = assistant.scores()
    gold = gold_rows()
    for row in gold:
        if row["quality_statement"]:
            row["quality_statement"] = canonical_quality_statement(row["quality_statement"])
    result = compare(gold, found, assistant.document_text)
    result["questions"] = score_questions(assistant, gold, found)
    summary = summarise(result)
    asked = result["questions"]
    summary["questions"] = {"asked": len(asked), "answered": sum(q["ok"] for q in asked),
                            "failed": [q["question"] for q in asked if not q["ok"]]}
    print(json.dumps(summary, indent=2), flush=True)
    for o in result["outcomes"]:
        if o["outcome"] != "correct" or not o["quote_in_span"]:
            print("  ", json.dumps(o, ensure_ascii=False), flush=True)
    for q in result["questions"]:
        if not q["ok"]:
            print("   question:", json.dumps(q, ensure_ascii=False), flush=True)
    write_result(args.out, f"scores-{args.label}", {
        "label": args.label, "src": str(Path(assure_qa.__file__).parent), "gold": str(GOLD.relative_to(ROOT)),
        "documents": len(assistant.documents()), "rows": len(found), "summary": summary, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
