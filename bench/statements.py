"""Which quality statement a score question means when it describes one in its own words.

    .venv/bin/python bench/statements.py [--sets dev,heldout,...] [--out bench/results]

A score question that names no statement ("How did CQC mark Anytown on working with charities?")
is matched to the statement whose framework description its topic is closest to, when closer than
the next by ``score_statement_margin``. This measures that rule on the committed question sets,
without any index: for every question the code types as a score question,

- *named*: it names a statement in the CQC's words or its own (``statement_asked``); its topic is
  matched anyway, and the match should be that statement;
- *unnamed*: it names none. Most ask for the overall rating ("What rating did CQC give X?") and
  should match nothing; a few describe a statement (the cases the rule is for), which only reading
  them can tell: the output lists each with its match for that.

Writes bench/results/<date>-statements.json with every question's nearest statement and margin.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from assure_qa import Settings, set_offline_environment  # noqa: E402
from assure_qa.answer_types import answer_type  # noqa: E402
from assure_qa.dense import embed_query, make_embedder  # noqa: E402
from assure_qa.evaluate import load_questions  # noqa: E402
from assure_qa.query import CouncilNames  # noqa: E402
from assure_qa.score_answers import scored_topic, statement_asked  # noqa: E402
from assure_qa.taxonomy import QUALITY_STATEMENTS  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from answers import SETS  # noqa: E402
from record import write_result  # noqa: E402


def councils() -> list[str]:
    names = []
    for manifest in [ROOT / "corpus" / "manifest.toml", *sorted((ROOT / "eval").glob("*/manifest.toml"))]:
        names += [d.get("council", "") for d in tomllib.loads(manifest.read_text(encoding="utf-8")).get("document", [])]
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    set_offline_environment()
    settings = Settings()
    embedder = make_embedder(settings)
    names = CouncilNames(councils())
    described = embedder.embed([f"{qs.name}. {qs.description}" for qs in QUALITY_STATEMENTS])
    rows = []
    for name in args.sets.split(","):
        for q in load_questions(ROOT / SETS[name][0]):
            if answer_type(q.question) != "score":
                continue
            topic = scored_topic(names.remove(q.question))
            row = {"set": name, "id": q.id, "question": q.question, "named": statement_asked(q.question),
                   "topic": topic, "nearest": None, "margin": None}
            if topic:
                similarities = described @ embed_query(embedder, topic)
                first, second = np.argsort(-similarities)[:2]
                row["nearest"] = QUALITY_STATEMENTS[first].name
                row["margin"] = round(float(similarities[first] - similarities[second]), 3)
            rows.append(row)
    margin = settings.score_statement_margin
    named = [r for r in rows if r["named"] and r["margin"] is not None]
    unnamed = [r for r in rows if not r["named"] and r["margin"] is not None]
    summary = {
        "margin": margin,
        "named": len(named),
        "named_matched_right": sum(r["margin"] >= margin and r["nearest"] == r["named"] for r in named),
        "named_matched_wrong": sum(r["margin"] >= margin and r["nearest"] != r["named"] for r in named),
        "unnamed_with_topic": len(unnamed),
        "unnamed_matched": [(r["id"], r["nearest"], r["margin"], r["question"]) for r in unnamed
                            if r["margin"] >= margin],
        "unnamed_margins": sorted(r["margin"] for r in unnamed),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    write_result(args.out, "statements", {"summary": summary, "questions": rows}, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
