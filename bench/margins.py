"""How far the paraphrase rule's similarity threshold sits from the questions either side of it.

    .venv/bin/python bench/margins.py [--index index] [eval/questions.jsonl eval/heldout.jsonl ...]

A question is answered when one sentence covers ``abstain_min_coverage`` of the key-term weight, or
covers ``abstain_sentence_coverage`` with similarity >= ``abstain_sentence_similarity``. For every
question the first test does not already settle, this prints the best similarity among sentences
that pass the coverage floor: unanswerable questions should sit below the threshold, answerable
ones above. Prints only; it changes nothing and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from assure_qa import Assistant, set_offline_environment  # noqa: E402
from assure_qa.evaluate import load_questions  # noqa: E402
from assure_qa.query import content_terms, unknown_names  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("questions", nargs="*", type=Path,
                        default=[ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "heldout.jsonl"])
    args = parser.parse_args()
    set_offline_environment()
    assistant = Assistant.open(args.index)
    s = assistant.settings
    rows = []
    for path in args.questions:
        questions = {q.id: q for q in load_questions(path)}
        for q in questions.values():
            history = [questions[q.follows].question] if q.follows in questions else None
            query = assistant.understand(q.question, history)
            if unknown_names(q.question, assistant.files.sparse.knows):
                continue  # refused before any sentence is scored
            hits = assistant.retriever.search(query, max(10, s.answer_passages), assistant._filters(None))
            scored = assistant.answerer.candidates(query, hits, content_terms(query.text, assistant.names),
                                                   assistant.retriever.query_vector(query) if hits else None)
            if any(c.coverage >= s.abstain_min_coverage for c in scored):
                continue  # answered on key terms alone
            near = max((c.similarity for c in scored if c.coverage >= s.abstain_sentence_coverage), default=0.0)
            rows.append((near, q.answerable, q.id))
    print(f"threshold {s.abstain_sentence_similarity} (coverage floor {s.abstain_sentence_coverage})")
    for near, answerable, qid in sorted(rows, reverse=True):
        side = "answered" if near >= s.abstain_sentence_similarity else "refused"
        print(f"{near:.3f}  {'answerable' if answerable else 'unanswerable':12}  {side:8}  {qid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
