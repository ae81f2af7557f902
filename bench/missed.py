"""Answers that miss the evidence the search found: where the passage that answers came first and the
answer still did not quote it, and why.

    .venv/bin/python bench/missed.py [--label after] [--sets ninth,eighth] [--show]

For every answerable question of each set whose first retrieved passage holds a gold quote, this
checks whether the answer cites it. When it does not, it finds the reading unit that holds the
quote among the candidates the answer step scored and says why that unit lost:

- ``not a candidate``: no unit holds the quote (cut across units, or dropped as template text);
- ``off topic``: it does not hold enough of the question's key terms, nor enough with a close
  meaning (``Scorer.on_topic``);
- ``untyped``: on the topic, but it does not state what the question asks for (a figure, a date…);
- ``outscored``: on the topic and stating the type, but another unit led the answer.

Each is counted apart for answered questions (the answer quoted something else) and refused ones.
Uses the indexes ``bench/answers.py --label LABEL`` built (bench/.cache/answers-LABEL-…), so run
that first. Prints only; writes nothing. Questions answered from the scores or the commitments
ledger are left out: they do not go through the passages' units.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

from answers import ROOT, SETS

sys.path.insert(0, str(ROOT / "src"))

from assure_qa import Assistant, Settings, set_offline_environment  # noqa: E402
from assure_qa.dense import SentenceEmbedder  # noqa: E402
from assure_qa.evaluate import answer_supported, as_written, history_of, load_questions  # noqa: E402
from assure_qa.query import Query, content_terms  # noqa: E402
from assure_qa.records import Hit  # noqa: E402

REASONS = ("not a candidate", "off topic", "untyped", "outscored")


def why_missed(assistant: Assistant, query: Query, hits: list[Hit], patterns: list[re.Pattern[str]],
               ) -> tuple[str, str]:
    """Why the unit of the first passage that holds a gold quote did not lead the answer: (reason, detail)."""
    top = hits[0].chunk
    scorer = assistant.answerer.scorer
    key_terms = content_terms(query.text, assistant.names)
    candidates = scorer.candidates(query, hits, key_terms, assistant.retriever.query_vector(query))
    for place, c in enumerate(candidates):
        if c.hit.chunk.chunk_id == top.chunk_id and any(p.search(c.unit_text) for p in patterns):
            detail = (f"candidate {place + 1} of {len(candidates)}: coverage {max(c.coverage, c.in_context):.2f}, "
                      f"similarity {c.similarity:.2f}, {query.answer_type or 'untyped question'}")
            if not scorer.on_topic(c):
                return "off topic", detail
            return ("untyped" if not c.typed else "outscored"), detail
    return "not a candidate", f"{len(candidates)} candidates"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after", help="the bench/answers.py run whose indexes to read")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--show", action="store_true", help="print each missed question and why")
    args = parser.parse_args()
    set_offline_environment()
    settings = Settings()
    embedder = SentenceEmbedder(settings)
    cache = ROOT / "bench" / ".cache"
    total: Counter[str] = Counter()
    for name in args.sets.split(","):
        questions_path, extra = SETS[name]
        index = cache / f"answers-{args.label}-{'seed' if extra is None else name}"
        if not index.exists():
            print(f"{name}: no index at {index}; run bench/answers.py --label {args.label} --sets {name} first")
            continue
        assistant = Assistant.open(index, settings=settings, embedder=embedder)
        questions = load_questions(ROOT / questions_path)
        by_id = {q.id: q for q in questions}
        counts: Counter[str] = Counter()
        for q in questions:
            if not q.answerable:
                continue
            history = history_of(q, by_id)
            answer = assistant.ask(q.question, history=history)
            if any(note.lower().startswith("answered from") for note in answer.notes):
                continue  # from the scores or the ledger, not from the passages' units
            query = assistant.understand(assistant.slips.read(q.question)[0], history)
            hits = assistant.retriever.search(query, max(10, settings.answer_passages), assistant._filters(None))
            patterns = [as_written(quote) for doc, quote in q.gold if hits and doc == hits[0].chunk.doc_id]
            if not any(p.search(hits[0].chunk.text) for p in patterns):
                continue
            counts["first passage holds the gold"] += 1
            if answer.found and answer_supported(answer, q.gold, assistant.document_text):
                continue
            reason, detail = why_missed(assistant, query, hits, patterns)
            outcome = "answered" if answer.found else "refused"
            counts[f"{outcome}: {reason}"] += 1
            if args.show:
                print(f"  {name} {q.id} {outcome}, {reason} ({detail}): {q.question}")
        total.update(counts)
        print(name, dict(sorted(counts.items())), flush=True)
    print("all", dict(sorted(total.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
