"""Answer quality on every question set, overall and per answer type, for one version of the code.

    .venv/bin/python bench/answers.py [--label after] [--sets dev,heldout,confirm,blind,peers,fresh,unseen]
    .venv/bin/python bench/answers.py --src /tmp/before/src --label before   # another checkout's code
    .venv/bin/python bench/answers.py --label bonus-0 --setting answer_items_bonus=0   # another setting

Each set is answered by ``Assistant.ask`` over an index of the seed corpus (``peers``: the seed
corpus plus the other councils' documents in ``eval/peer-corpus/``, added the way the README says;
``fresh``, ``unseen``: the seed corpus plus ``eval/fresh-corpus/``, ``eval/unseen-corpus/``).
Reports answer support, refusal of unanswerable questions, false refusal of answerable ones, quoted
headings/template text, citation validity and ``ask`` latency, overall and per answer type.
Indexes live in bench/.cache/answers-<label>-<set>. Writes bench/results/<date>-answers-<label>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from record import machine

ROOT = Path(__file__).resolve().parent.parent
SETS = {  # name -> (questions, extra corpus folder or None)
    "dev": ("eval/questions.jsonl", None),
    "heldout": ("eval/heldout.jsonl", None),
    "confirm": ("eval/confirm.jsonl", None),
    "blind": ("eval/blind.jsonl", None),
    "peers": ("eval/peers.jsonl", "eval/peer-corpus"),
    "fresh": ("eval/fresh.jsonl", "eval/fresh-corpus"),
    "unseen": ("eval/unseen.jsonl", "eval/unseen-corpus"),
    "fourth": ("eval/fourth.jsonl", "eval/fourth-corpus"),
    "fifth": ("eval/fifth.jsonl", "eval/fifth-corpus"),
    "sixth": ("eval/sixth.jsonl", "eval/sixth-corpus"),
    "seventh": ("eval/seventh.jsonl", "eval/seventh-corpus"),
    "eighth": ("eval/eighth.jsonl", "eval/eighth-corpus"),
    "ninth": ("eval/ninth.jsonl", "eval/ninth-corpus"),
    "tenth": ("eval/tenth.jsonl", "eval/tenth-corpus"),
}
KEYS = ("answer_supported", "answer_supported_pooled", "false_abstention", "abstention", "furniture_quoted",
        "citation_validity", "hit@5", "ask_p50_ms", "ask_p95_ms")


def combined_corpus(extra: Path, into: Path) -> Path:
    """The seed corpus and ``extra`` in one folder, their manifests merged (copies, not links)."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    documents = []
    for folder in (ROOT / "corpus", extra):
        manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
        documents += manifest.get("document", [])
        for path in folder.iterdir():
            if path.is_file() and path.name not in ("manifest.toml", "SOURCES.md"):
                shutil.copy2(path, into / path.name)
    lines = ['exclude = ["SOURCES.md", "manifest.toml"]']
    for entry in documents:
        lines.append("\n[[document]]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
    (into / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package to measure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a Settings field to measure at another value, e.g. answer_items_bonus=0.15")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    import assure_qa  # from --src, whatever checkout this script is in
    from assure_qa import Assistant, Settings, set_offline_environment
    from assure_qa.dense import SentenceEmbedder
    from assure_qa.evaluate import evaluate, load_question_set
    from assure_qa.index import build_index

    print(f"measuring {assure_qa.__file__}", flush=True)

    set_offline_environment()
    settings = Settings()
    for setting in args.setting:  # the field's own type: "0.15" for a float, "3" for an int
        name, _, value = setting.partition("=")
        settings = dataclasses.replace(settings, **{name: type(getattr(settings, name))(value)})
    embedder = SentenceEmbedder(settings)
    cache = ROOT / "bench" / ".cache"
    results = {}
    for name in args.sets.split(","):
        questions_path, extra = SETS[name]
        corpus = ROOT / "corpus" if extra is None else combined_corpus(ROOT / extra, cache / f"corpus-{name}")
        index = cache / f"answers-{args.label}-{'seed' if extra is None else name}"
        build_index(corpus, index, settings, embedder)
        assistant = Assistant.open(index, settings=settings, embedder=embedder)
        try:  # cited quotes judged by hand count as evidence in answer_supported_pooled
            questions = load_question_set(ROOT / questions_path, None, ROOT / "eval" / "answer-judgments.jsonl")
        except TypeError:  # an older package (--src) knows no answer judgments
            questions = load_question_set(ROOT / questions_path, None)
        counts = {"questions": questions_path, "count": len(questions),
                  "answerable": sum(q.answerable for q in questions)}
        try:
            report = evaluate(assistant, questions)
        except Exception as exc:  # the code measured failed on this set: record how, measure the rest
            results[name] = {**counts, "error": f"{type(exc).__name__}: {exc}"}
            print(name, "failed:", results[name]["error"], flush=True)
            continue
        results[name] = {**counts, "metrics": {k: report.metrics.get(k) for k in KEYS},
                         "by_type": report.by_type, "per_question": report.per_question}
        print(name, json.dumps(results[name]["metrics"]), flush=True)
        for kind, entry in report.by_type.items():
            print(f"  {kind}: {json.dumps(entry)}", flush=True)
    date = datetime.now(UTC).isoformat(timespec="seconds")
    command = "python bench/answers.py " + " ".join(sys.argv[1:])
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{date[:10]}-answers-{args.label}.json"
    runs = []
    if path.exists():  # a run of other sets the same day with the same label: keep its sets
        earlier = json.loads(path.read_text(encoding="utf-8"))
        runs = earlier.get("runs", [])
        results = {**earlier["results"], **results}
    runs.append({"date": date, "command": command, "sets": args.sets.split(",")})
    output = {"label": args.label, "date": date, "src": str(Path(assure_qa.__file__).parent),
              "command": command, "runs": runs, "machine": machine(), "results": results}
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
