"""Which words of the committed questions are read as typing slips, and what the speller costs.

    .venv/bin/python bench/spelling.py [--sets dev,heldout,...] [--scale 100] [--out bench/results]

For every question of each set, ``spelling.Slips`` reads it against that set's corpus (the seed
documents and the set's own), as ``Assistant.ask`` does: the words the corpus uses are its
documents' stemmed tokens, the English words those of the packaged model's vocabulary. Every
reading is listed, so a real word "corrected" shows. No index is needed.

Costs: building the speller from the seed documents repeated ``--scale`` times (the size
``bench/scale.py`` measures serving at), and reading a slip against it.

Writes bench/results/<date>-spelling.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from answers import SETS  # noqa: E402
from record import write_result  # noqa: E402

from assure_qa import Settings  # noqa: E402
from assure_qa.evaluate import load_questions  # noqa: E402
from assure_qa.ingest import scan_corpus  # noqa: E402
from assure_qa.sparse import tokenize  # noqa: E402
from assure_qa.spelling import Slips, Speller, english_words  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    words = english_words(Settings().model_package)
    seed = [d.text for d in scan_corpus(ROOT / "corpus").documents]
    readings, counts = [], {}
    for name in args.sets.split(","):
        questions_path, extra = SETS[name]
        texts = seed + ([d.text for d in scan_corpus(ROOT / extra).documents] if extra else [])
        known = {t for text in texts for t in tokenize(text)}
        slips = Slips(known.__contains__, lambda texts=texts: texts, words)
        questions = load_questions(ROOT / questions_path)
        counts[name] = len(questions)
        for q in questions:
            _, read = slips.read(q.question)
            readings += [{"set": name, "id": q.id, "read": r, "question": q.question} for r in read]
    start = time.perf_counter()
    speller = Speller.from_texts(seed * args.scale)
    built = time.perf_counter() - start
    start = time.perf_counter()
    for slip in ("statment", "referalls", "dashbord", "assesing", "challange"):
        speller.meant(slip)
    looked_up = (time.perf_counter() - start) / 5
    summary = {"questions": counts, "questions_total": sum(counts.values()), "readings": len(readings),
               "speller_build_s": round(built, 3), "speller_chars": sum(map(len, seed)) * args.scale,
               "speller_words": len(speller.counts), "slip_read_ms": round(looked_up * 1000, 2)}
    print(json.dumps(summary, indent=1))
    for r in readings:
        print(f"{r['set']} {r['id']}: {r['read']} | {r['question']}")
    write_result(args.out, "spelling", {"scale": args.scale, "summary": summary, "readings": readings}, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
