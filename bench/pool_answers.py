"""The cited quotes of answers that hold no gold quote, for judging (TREC-style answer pooling).

    .venv/bin/python bench/pool_answers.py [--label round3-html] [--sets blind,peers,fresh,unseen]
                                           [--out bench/.cache/answer-pool.jsonl]

A question set names one passage per fact, but a document often states a fact twice (a CQC
report's score list and its statement page) or in other words elsewhere, so "the answer holds the
gold quote" undercounts right answers. For every answerable question whose answer is found but holds
no gold quote, this writes each cited quote (with its lead-in) that ``eval/answer-judgments.jsonl``
does not judge yet, with the question and the document's council and title, and nothing of the
gold or of which system answered. A judge marks each row ``relevant`` (the quote itself states the
answer, for the council asked about) and appends the rows to ``eval/answer-judgments.jsonl``;
``evaluate`` then reports ``answer_supported_pooled`` next to the strict ``answer_supported``.
Reads the indexes ``bench/answers.py --label <label>`` built; writes only ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from answers import SETS  # noqa: E402

from assure_qa import Assistant, set_offline_environment  # noqa: E402
from assure_qa.evaluate import answer_supported, cited_text, history_of, load_question_set  # noqa: E402

ANSWER_JUDGMENTS = ROOT / "eval" / "answer-judgments.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="round3-html")
    parser.add_argument("--sets", default="blind,peers,fresh,unseen")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".cache" / "answer-pool.jsonl")
    args = parser.parse_args()
    set_offline_environment()
    rows = []
    for name in args.sets.split(","):
        questions_path, extra = SETS[name]
        index = ROOT / "bench" / ".cache" / f"answers-{args.label}-{'seed' if extra is None else name}"
        assistant = Assistant.open(index)
        documents = assistant.status()["documents"]
        questions = load_question_set(ROOT / questions_path, None, ANSWER_JUDGMENTS)
        by_id = {q.id: q for q in questions}
        for q in questions:
            if not q.answerable:
                continue
            answer = assistant.ask(q.question, history=history_of(q, by_id))
            if not answer.found or answer_supported(answer, q.gold, assistant.document_text):
                continue
            judged = {(doc, text) for doc, text, _ in q.cited_judged}
            for c in answer.citations:
                quote = cited_text(c)
                if (c.doc_id, quote) in judged:
                    continue
                meta = documents.get(c.doc_id, {})
                rows.append({"set": Path(questions_path).stem, "id": q.id, "question": q.question,
                             "history": history_of(q, by_id), "doc": c.doc_id,
                             "council": meta.get("council", ""), "title": meta.get("title", ""),
                             "section": c.section, "quote": quote, "relevant": None})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cited quotes to judge, written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
