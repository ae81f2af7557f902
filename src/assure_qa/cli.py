"""`assure-qa index|search|ask|serve|status`: the command line. Errors become one line and an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from .cli_serve import add_server_commands
from .cli_serve import chroma_option as _chroma_option
from .config import Settings, set_offline_environment
from .errors import AssureQAError
from .records import Answer, Citation, Hit

EXIT_ERROR, EXIT_USAGE = 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    set_offline_environment()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except AssureQAError as exc:
        print(f"assure-qa: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assure-qa", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="build or update the index from the corpus")
    index.add_argument("--corpus", default="corpus")
    index.add_argument("--index", default="index")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    _chroma_option(index)
    index.set_defaults(run=run_index)

    for name, runner, text in (("search", run_search, "ranked passages for a question"),
                               ("ask", run_ask, "a cited, extractive answer")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("question", nargs="?", help="the question (or use --batch)")
        sub.add_argument("--batch", type=Path, help="JSON lines with id, question, optional history")
        sub.add_argument("--index", default="index")
        sub.add_argument("--json", action="store_true", help="one JSON object per question")
        sub.add_argument("--council", action="append", default=[], help="restrict to a council (repeatable)")
        sub.add_argument("--theme", action="append", default=[], help="restrict to a CQC theme")
        sub.add_argument("--doc-type", action="append", default=[], help="restrict to a document type")
        sub.add_argument("--date-from", help="YYYY[-MM[-DD]], inclusive")
        sub.add_argument("--date-to", help="YYYY[-MM[-DD]], inclusive")
        _chroma_option(sub)
        if name == "search":
            sub.add_argument("--k", type=int, default=10)
            sub.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
        sub.set_defaults(run=runner)

    add_server_commands(commands)

    comparison = commands.add_parser("compare", help="a question answered council by council")
    comparison.add_argument("question")
    comparison.add_argument("--index", default="index")
    comparison.add_argument("--council", action="append", default=[], help="only these councils (repeatable)")
    comparison.add_argument("--theme", help="restrict to a CQC theme")
    comparison.add_argument("--json", action="store_true")
    _chroma_option(comparison)
    comparison.set_defaults(run=run_compare)

    ledger = commands.add_parser("commitments", help="the commitments ledger, filtered")
    ledger.add_argument("--index", default="index")
    ledger.add_argument("--council")
    ledger.add_argument("--theme")
    ledger.add_argument("--due-before", help="YYYY-MM-DD, inclusive")
    ledger.add_argument("--due-after", help="YYYY-MM-DD, inclusive")
    ledger.add_argument("--text", help="words or a phrase in the action, lead or reference")
    output = ledger.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object per commitment")
    output.add_argument("--csv", action="store_true")
    _chroma_option(ledger)
    ledger.set_defaults(run=run_commitments)

    ratings = commands.add_parser("scores", help="ratings and quality statement scores the documents state")
    ratings.add_argument("--index", default="index")
    ratings.add_argument("--council", help="one council (its name or part of it)")
    output = ratings.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object per score")
    output.add_argument("--csv", action="store_true")
    _chroma_option(ratings)
    ratings.set_defaults(run=run_scores)

    evaluate = commands.add_parser("eval", help="score retrieval and answers on a question set")
    evaluate.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    evaluate.add_argument("--judgments", type=Path, default=Path("eval/judgments.jsonl"),
                          help="pooled relevance judgments for the *_pooled metrics (skipped if absent)")
    evaluate.add_argument("--index", default="index")
    evaluate.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    evaluate.add_argument("--json", action="store_true", help="metrics and per-question rows as JSON")
    _chroma_option(evaluate)
    evaluate.set_defaults(run=run_eval)

    status = commands.add_parser("status", help="what the index holds")
    status.add_argument("--index", default="index")
    status.set_defaults(run=run_status)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """Settings for this command: the defaults, with the Chroma server address if one was given."""
    return Settings(chroma_url=getattr(args, "chroma_url", "") or "")


def run_index(args: argparse.Namespace) -> int:
    from .dense import make_embedder
    from .index import build_index
    from .ingest import UNSUPPORTED, doc_id_for
    from .render import summary_table

    settings = _settings(args)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if args.quiet:
            return
        if bar is None:
            from tqdm import tqdm

            # The total (new passages and sentences) is known from the first batch: rate and time left hold.
            bar = tqdm(total=total, desc="embedding passages and sentences", unit="text", file=sys.stderr)
        bar.update(done - bar.n)

    report = build_index(args.corpus, args.index, settings, lambda: make_embedder(settings), progress)
    if bar is not None:
        bar.close()
    rows = [("added", path, "") for path in report.added] + [("updated", path, "") for path in report.updated]
    rows += [("removed", path, "no longer in the corpus") for path in report.dropped]
    for failure in report.failures:
        kept = (" (its previous version is still served)"
                if doc_id_for(Path(failure.path)) in report.stale else "")
        rows.append(("failed", failure.path, failure.reason + kept))
    rows += [("skipped", path, UNSUPPORTED) for path in report.skipped]
    rows += [("duplicate", path, f"same content as {original}: indexed once") for path, original in report.duplicates]
    if rows:
        print(summary_table(rows))
    state = "up to date" if report.up_to_date else "built"
    print(f"index {state}: {report.generation}, {report.documents} documents, {report.chunks} chunks "
          f"({report.embedded} embedded, {report.reused} reused, {report.removed} removed; "
          f"{report.sentences_embedded} sentences embedded) "
          f"in {report.seconds:.1f} s")
    if report.documents == 0:
        print("assure-qa: no document could be indexed: see the reasons above", file=sys.stderr)
        return 1
    return 0


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"councils": args.council, "themes": args.theme, "doc_types": args.doc_type,
            "date_from": args.date_from, "date_to": args.date_to}


def _questions(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    if args.batch and args.question:
        raise AssureQAError("give a question or --batch, not both")
    if args.batch:
        with args.batch.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        item = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise AssureQAError(f"{args.batch}:{number}: not JSON ({exc.msg})") from exc
                    yield {"id": item.get("id", number), "question": item["question"],
                           "history": item.get("history") or []}
    elif args.question:
        yield {"id": None, "question": args.question, "history": []}
    else:
        raise AssureQAError("give a question, or --batch FILE")


def hit_json(hit: Hit) -> dict[str, Any]:
    c = hit.chunk
    return {"rank": hit.rank, "chunk_id": c.chunk_id, "doc": c.doc_id, "council": c.council,
            "doc_type": c.doc_type, "date": c.date, "theme": c.theme,
            "quality_statement": c.quality_statement, "section": c.section,
            "paragraphs": list(c.paragraphs), "page": c.page, "start": c.start, "end": c.end,
            "score": round(hit.score, 6), "text": c.text}


def citation_json(c: Citation) -> dict[str, Any]:
    return {"n": c.n, "chunk_id": c.chunk_id, "doc": c.doc_id, "council": c.council, "title": c.title,
            "section": c.section, "paragraphs": list(c.paragraphs), "page": c.page, "start": c.start,
            "end": c.end, "quote": c.quote,
            **({"lead": c.lead, "lead_start": c.lead_start, "lead_end": c.lead_end} if c.lead else {}),
            "superseded_by": asdict(c.superseded_by) if c.superseded_by else None}


def answer_json(answer: Answer) -> dict[str, Any]:
    return {"answer": answer.text, "found": answer.found, "confidence": answer.confidence,
            "answer_type": answer.answer_type, "query": answer.query,
            "citations": [citation_json(c) for c in answer.citations],
            "closest": [hit_json(h) for h in answer.closest], "notes": list(answer.notes)}


def run_search(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from . import render
    from .service import Assistant

    out = out or sys.stdout
    assistant = Assistant.open(args.index, settings=_settings(args))
    for item in _questions(args):
        hits = assistant.search(item["question"], k=args.k, filters=_filters(args),
                                history=item["history"], mode=args.mode)
        if args.json or args.batch:
            out.write(json.dumps({"id": item["id"], "hits": [hit_json(h) for h in hits]},
                                 ensure_ascii=False) + "\n")
        else:
            out.write(render.hits_text(hits) + "\n")
    return 0


def run_ask(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from . import render
    from .service import Assistant

    out = out or sys.stdout
    assistant = Assistant.open(args.index, settings=_settings(args))
    for item in _questions(args):
        answer = assistant.ask(item["question"], filters=_filters(args), history=item["history"])
        if args.json or args.batch:
            out.write(json.dumps({"id": item["id"], **answer_json(answer)}, ensure_ascii=False) + "\n")
        else:
            out.write(render.answer_text(answer) + "\n")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from . import render
    from .service import Assistant

    comparison = Assistant.open(args.index, settings=_settings(args)).compare(
        args.question, councils=args.council or None, theme=args.theme)
    if args.json:
        print(json.dumps({"question": comparison.question, "theme": comparison.theme, "councils": [
            {"council": f.council, "found": f.found, "answer": f.text,
             "citations": [citation_json(c) for c in f.citations]} for f in comparison.councils]},
            ensure_ascii=False))
    else:
        print(render.comparison_text(comparison))
    return 0


def run_commitments(args: argparse.Namespace) -> int:
    from . import render
    from .ledger import to_csv
    from .service import Assistant

    records = Assistant.open(args.index, settings=_settings(args)).commitments(
        args.council, args.theme, args.due_before, args.text, args.due_after)
    if args.csv:
        sys.stdout.write(to_csv(records))
    elif args.json:
        for record in records:
            print(json.dumps(record.to_json(), ensure_ascii=False))
    else:
        print(render.commitments_text(records))
    return 0


def run_scores(args: argparse.Namespace) -> int:
    from . import render
    from .scores import to_csv
    from .service import Assistant

    records = Assistant.open(args.index, settings=_settings(args)).scores(args.council)
    if args.csv:
        sys.stdout.write(to_csv(records))
    elif args.json:
        for record in records:
            print(json.dumps(record.to_json(), ensure_ascii=False))
    else:
        print(render.scores_text(records))
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, load_question_set
    from .service import Assistant

    questions = load_question_set(args.questions, args.judgments)
    report = evaluate(Assistant.open(args.index, settings=_settings(args)), questions, mode=args.mode,
                      answers=args.mode == "hybrid")
    if args.json:
        print(json.dumps({"mode": report.mode, "questions": report.questions, "metrics": report.metrics,
                          "per_question": report.per_question}, ensure_ascii=False))
    else:
        print(f"{report.questions} questions, mode {report.mode}")
        for key, value in report.metrics.items():
            print(f"  {key:22} {value}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from .index import read_manifest

    print(json.dumps(read_manifest(args.index), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
