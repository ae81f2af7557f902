"""Do refused answerable questions and correctly refused near misses differ in how well their best
unit scores? If they overlap, no threshold on that score can tell them apart.

    .venv/bin/python bench/refusals.py [--index index] [eval/blind.jsonl eval/heldout.jsonl ...]

For every question the answer step refuses, this takes the best-scoring unit that states what the
question asks for (``Candidate.typed``) and prints its score, coverage, similarity and passage rank;
for an answerable question also whether it holds the gold quote. It ends with the score range of
each side. Prints only; it changes nothing and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from assure_qa import Assistant, set_offline_environment  # noqa: E402
from assure_qa.evaluate import history_of, load_questions  # noqa: E402
from assure_qa.query import content_terms  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("questions", nargs="*", type=Path,
                        default=[ROOT / "eval" / name for name in ("questions.jsonl", "heldout.jsonl",
                                                                   "confirm.jsonl", "blind.jsonl")])
    args = parser.parse_args()
    set_offline_environment()
    assistant = Assistant.open(Path(args.index))
    sides: dict[str, list[float]] = {"answerable, best unit holds the gold": [],
                                     "answerable, best unit does not": [], "unanswerable": []}
    for path in args.questions:
        questions = load_questions(path)
        by_id = {q.id: q for q in questions}
        for q in questions:
            history = history_of(q, by_id)
            if assistant.ask(q.question, history=history).found:
                continue
            query = assistant.understand(q.question, history)
            hits = assistant.retriever.search(query, 10, assistant._filters(None))
            candidates = assistant.answerer.scorer.candidates(query, hits, content_terms(query.text, assistant.names),
                                                       assistant.retriever.query_vector(query))
            typed = [c for c in candidates if c.typed]
            if not typed:
                print(f"{q.id:6s} {'answerable' if q.answerable else 'unanswerable':12s} no unit states the type")
                continue
            best = typed[0]
            text = assistant.document_text(best.hit.chunk.doc_id)
            gold = any(doc == best.hit.chunk.doc_id and 0 <= (at := text.find(quote)) < best.span.end
                       and best.span.start < at + len(quote) for doc, quote in q.gold)
            side = "unanswerable" if not q.answerable else (
                "answerable, best unit holds the gold" if gold else "answerable, best unit does not")
            sides[side].append(best.score)
            print(f"{q.id:6s} {side:38s} score {best.score:.2f} coverage {best.coverage:.2f} "
                  f"similarity {best.similarity:.2f} rank {best.hit.rank}")
    for side, scores in sides.items():
        if scores:
            ordered = sorted(scores)
            print(f"{side}: n={len(scores)}, score {ordered[0]:.2f}–{ordered[-1]:.2f}, "
                  f"median {ordered[len(ordered) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
