"""Evaluation on a question set with gold quotes: retrieval, abstention, citations, latency.

A question is a JSON line: ``id``, ``question``, ``persona``, ``answerable``, optional ``follows``
(the id of the question it follows) and ``gold``: ``[{"doc", "quote"}]`` with each quote an exact
substring of its document. A returned passage *hits* when it contains a gold quote, compared after
normalising white space, quotes and dashes. Metric functions are pure; ``evaluate`` runs them.

Pooled judgments (``eval/judgments.jsonl``, TREC-style): the top passage of every configuration
was judged relevant or not for each answerable question; a relevant one names the quote that
answers. The ``*_pooled`` metrics count those quotes as gold too; the plain metrics do not.
Answers are pooled the same way (``eval/answer-judgments.jsonl``, ``bench/pool_answers.py``): each
quote an answer cited without holding a gold quote is judged on whether it states the answer;
``answer_supported_pooled`` counts an answer citing a quote judged so.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .answer_quality import by_answer_type, furniture_judge
from .answer_types import TYPES
from .errors import AssureQAError
from .quotes import as_written, normalise
from .records import Answer, Citation, Hit

READING_BUDGET = 4000  # characters of ranked passages a reader gets through, for equal-cost hit rates


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    persona: str
    answerable: bool
    gold: tuple[tuple[str, str], ...]  # (doc id, quote)
    follows: str | None = None
    kind: str = ""
    answer_type: str = ""  # quantity | date | person | score | existence | list | reason (answer_types)
    judged: tuple[tuple[str, str], ...] = ()  # further answering quotes, from pooled judgments
    cited_judged: tuple[tuple[str, str, bool], ...] = ()  # (doc, cited text, states the answer?)


def _json_lines(path: str | Path, what: str, parse: Callable[[dict[str, Any]], Any]) -> list[Any]:
    """``parse`` applied to each JSON line; a bad line is reported by file and line number."""
    parsed = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed.append(parse(json.loads(line)))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise AssureQAError(f"{path}:{number}: not a {what} line ({exc})") from exc
    return parsed


def load_questions(path: str | Path) -> list[Question]:
    return _json_lines(path, "question", lambda item: Question(
                str(item["id"]), item["question"], item.get("persona", ""), bool(item["answerable"]),
                tuple((g["doc"], g["quote"]) for g in item.get("gold", [])), item.get("follows"),
                item.get("kind", ""), item.get("answer_type", "")))


def load_judgments(path: str | Path, question_set: str) -> dict[str, list[tuple[str, str]]]:
    """Relevant pooled passages for ``question_set`` (the question file's stem): id -> (doc, quote)."""
    judged: dict[str, list[tuple[str, str]]] = {}
    rows = _json_lines(path, "judgment", lambda item: (
        str(item["id"]), item["doc"], item["quote"] if item["relevant"] else None, item["set"]))
    for qid, doc, quote, name in rows:
        if name == question_set and quote is not None:
            judged.setdefault(qid, []).append((doc, quote))
    return judged


def with_judgments(questions: Sequence[Question], judged: dict[str, list[tuple[str, str]]]) -> list[Question]:
    return [replace(q, judged=tuple(judged.get(q.id, ()))) for q in questions]


def load_question_set(questions: Path, judgments: Path | None, answers: Path | None = None) -> list[Question]:
    """A question file with its pooled judgments of passages and of cited answers (the rows whose
    ``set`` is the file's stem), when the judgments files exist."""
    loaded = load_questions(questions)
    if judgments is not None and judgments.exists():
        loaded = with_judgments(loaded, load_judgments(judgments, questions.stem))
    if answers is not None and answers.exists():
        cited: dict[str, list[tuple[str, str, bool]]] = {}
        for name, qid, judged in _json_lines(answers, "answer judgment", lambda item: (
                item["set"], str(item["id"]), (item["doc"], item["quote"], bool(item["relevant"])))):
            if name == questions.stem:
                cited.setdefault(qid, []).append(judged)
        loaded = [replace(q, cited_judged=tuple(cited.get(q.id, ()))) for q in loaded]
    return loaded


def cited_text(citation: Citation) -> str:
    """A citation as the answer quotes it and as answer judgments name it: lead-in, then unit."""
    return f"{citation.lead} … {citation.quote}" if citation.lead else citation.quote


def history_of(question: Question, by_id: dict[str, Question]) -> list[str]:
    """The earlier questions of the conversation a follow-up belongs to, oldest first."""
    chain: list[str] = []
    current = question
    while current.follows and current.follows in by_id and len(chain) < 10:
        current = by_id[current.follows]
        chain.insert(0, current.question)
    return chain


def gold_found(text: str, doc_id: str, gold: Sequence[tuple[str, str]]) -> set[int]:
    """Indexes of the gold quotes that ``text`` (a passage of ``doc_id``) contains."""
    body = normalise(text)
    return {i for i, (doc, quote) in enumerate(gold) if doc == doc_id and normalise(quote) in body}


def first_hit_rank(hits: Sequence[Hit], gold: Sequence[tuple[str, str]]) -> int | None:
    for hit in hits:
        if gold_found(hit.chunk.text, hit.chunk.doc_id, gold):
            return hit.rank
    return None


def ndcg(hits: Sequence[Hit], gold: Sequence[tuple[str, str]], k: int = 10) -> float:
    """Binary gains: a passage gains 1 when it holds a gold quote not already found higher up."""
    found: set[int] = set()
    dcg = 0.0
    for position, hit in enumerate(hits[:k], start=1):
        new = gold_found(hit.chunk.text, hit.chunk.doc_id, gold) - found
        if new:
            found |= new
            dcg += 1 / math.log2(position + 1)
    ideal = sum(1 / math.log2(p + 1) for p in range(1, min(len(gold), k) + 1))
    return dcg / ideal if ideal else 0.0


def council_coverage(hits: Sequence[Hit], gold: Sequence[tuple[str, str]],
                     council_of: Callable[[str], str], k: int = 10, strict: bool = False) -> float:
    """Share of the councils with gold evidence that are present in the top ``k``: with any
    passage (the issue's definition) or, ``strict``, with the passage holding their gold quote."""
    wanted = {council_of(doc) for doc, _ in gold}
    if strict:
        covered = {council_of(gold[i][0]) for h in hits[:k]
                   for i in gold_found(h.chunk.text, h.chunk.doc_id, gold)}
    else:
        covered = {h.chunk.council for h in hits[:k]}
    return len(covered & wanted) / len(wanted) if wanted else 0.0


def hit_within_budget(hits: Sequence[Hit], gold: Sequence[tuple[str, str]],
                      budget: int = READING_BUDGET) -> bool:
    """Is a gold quote in the passages a reader gets through in ``budget`` characters?"""
    read = 0
    for hit in hits:
        if read >= budget:
            return False
        if gold_found(hit.chunk.text, hit.chunk.doc_id, gold):
            return True
        read += len(hit.chunk.text)
    return False


def citations_valid(answer: Answer, document_text: Callable[[str], str]) -> tuple[int, int]:
    """(valid, total) cited quotes that are exact substrings of their document at their offsets."""
    def valid(c: Citation) -> bool:
        text = document_text(c.doc_id)
        return text[c.start:c.end] == c.quote and (not c.lead or text[c.lead_start:c.lead_end] == c.lead)

    return sum(1 for c in answer.citations if valid(c)), len(answer.citations)


def answer_supported(answer: Answer, gold: Sequence[tuple[str, str]],
                     document_text: Callable[[str], str]) -> bool:
    """Does a cited span overlap a gold quote in its document? A citation cites its unit and the
    unit's lead-in (both quoted in the answer); a quote the document holds twice is answered by
    either place."""
    for c in answer.citations:
        text = document_text(c.doc_id)
        spans = [(c.start, c.end)] + ([(c.lead_start, c.lead_end)] if c.lead_start >= 0 else [])
        for doc, quote in gold:
            if doc == c.doc_id and quote.strip():
                for found in as_written(quote).finditer(text):
                    if any(s < found.end() and found.start() < e for s, e in spans):
                        return True
    return False


@dataclass
class Report:
    mode: str
    questions: int
    metrics: dict[str, float]
    per_question: list[dict[str, Any]] = field(default_factory=list)
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)  # answer_quality.by_answer_type


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else float("nan")


def _pct(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))], 2) if ordered else 0.0


def evaluate(assistant: Any, questions: Sequence[Question], mode: str = "hybrid",
             answers: bool = True, warmup: bool = True) -> Report:
    """Run every question through ``assistant.search`` (and ``ask``) and score the results."""
    by_id = {q.id: q for q in questions}
    councils = {doc: meta["council"] for doc, meta in assistant.status()["documents"].items()}

    def council_of(doc_id: str) -> str:
        return councils.get(doc_id, doc_id)

    if warmup:
        for q in questions:
            assistant.search(q.question, k=10, history=history_of(q, by_id), mode=mode)
    furniture = furniture_judge(assistant) if answers else None
    rows, search_ms, ask_ms = [], [], []
    valid_total = [0, 0]
    for q in questions:
        history = history_of(q, by_id)
        assistant.clear_caches()
        began = time.perf_counter()
        hits = assistant.search(q.question, k=10, history=history, mode=mode)
        search_ms.append((time.perf_counter() - began) * 1000)
        row: dict[str, Any] = {"id": q.id, "kind": q.kind, "answer_type": q.answer_type,
                               "answerable": q.answerable}
        if q.answerable:
            rank = first_hit_rank(hits, q.gold)
            row.update(rank=rank, ndcg=ndcg(hits, q.gold), budget_hit=hit_within_budget(hits, q.gold),
                       rank_pooled=first_hit_rank(hits, q.gold + q.judged) if q.judged else rank)
            if len({council_of(d) for d, _ in q.gold}) > 1:
                row["coverage"] = council_coverage(hits, q.gold, council_of)
                row["gold_coverage"] = council_coverage(hits, q.gold, council_of, strict=True)
        if answers:
            assistant.clear_caches()
            began = time.perf_counter()
            answer = assistant.ask(q.question, history=history)
            ask_ms.append((time.perf_counter() - began) * 1000)
            valid, total = citations_valid(answer, assistant.document_text)
            valid_total[0] += valid
            valid_total[1] += total
            row["found"] = answer.found
            row["furniture"] = [c.n for c in answer.citations if furniture and furniture(c)]
            if q.answerable and answer.found:
                row["supported"] = answer_supported(answer, q.gold, assistant.document_text)
                stating = {(doc, text) for doc, text, relevant in q.cited_judged if relevant}
                row["supported_pooled"] = row["supported"] or any((c.doc_id, cited_text(c)) in stating
                                                                  for c in answer.citations)
        rows.append(row)

    answerable = [r for r in rows if r["answerable"]]
    ranks = [r["rank"] for r in answerable]
    metrics: dict[str, float] = {f"hit@{k}": _mean([1.0 if r and r <= k else 0.0 for r in ranks])
                                 for k in (1, 3, 5, 10)}
    metrics["mrr@10"] = _mean([1 / r if r and r <= 10 else 0.0 for r in ranks])
    pooled = [r["rank_pooled"] for r in answerable]
    metrics["hit@1_pooled"] = _mean([1.0 if r == 1 else 0.0 for r in pooled])
    metrics["hit@5_pooled"] = _mean([1.0 if r and r <= 5 else 0.0 for r in pooled])
    metrics["mrr@10_pooled"] = _mean([1 / r if r and r <= 10 else 0.0 for r in pooled])
    metrics["ndcg@10"] = _mean([r["ndcg"] for r in answerable])
    metrics["hit@4000chars"] = _mean([1.0 if r["budget_hit"] else 0.0 for r in answerable])
    metrics["council_coverage@10"] = _mean([r["coverage"] for r in answerable if "coverage" in r])
    metrics["council_gold_coverage@10"] = _mean([r["gold_coverage"] for r in answerable if "coverage" in r])
    metrics["search_p50_ms"] = _pct(search_ms, 0.5)
    metrics["search_p95_ms"] = _pct(search_ms, 0.95)
    if answers:
        unanswerable = [r for r in rows if not r["answerable"]]
        metrics["abstention"] = _mean([0.0 if r["found"] else 1.0 for r in unanswerable])
        metrics["false_abstention"] = _mean([0.0 if r["found"] else 1.0 for r in answerable])
        metrics["answer_supported"] = _mean([1.0 if r.get("supported") else 0.0 for r in answerable])
        metrics["answer_supported_pooled"] = _mean([1.0 if r.get("supported_pooled") else 0.0 for r in answerable])
        metrics["furniture_quoted"] = _mean([1.0 if r["furniture"] else 0.0 for r in rows if r["found"]])
        metrics["citation_validity"] = round(valid_total[0] / valid_total[1], 4) if valid_total[1] else 1.0
        metrics["ask_p50_ms"] = _pct(ask_ms, 0.5)
        metrics["ask_p95_ms"] = _pct(ask_ms, 0.95)
    by_type = by_answer_type(rows, (*TYPES, "status")) if answers else {}
    return Report(mode, len(questions), metrics, rows, by_type)


def summary_table(reports: Sequence[tuple[str, dict[str, float]]], keys: Sequence[str]) -> str:
    """A Markdown table: one row per configuration, one column per metric."""
    lines = ["| configuration | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for name, metrics in reports:
        cells = [("—" if (v := metrics.get(k)) is None or (isinstance(v, float) and math.isnan(v))
                  else f"{v:g}") for k in keys]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
