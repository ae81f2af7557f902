"""Queries over the commitments ledger: filters, due windows, CSV, and matching a question.

Pure functions over ``Commitment`` records; the index builds the ledger (``commitments.py``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache

from .records import Commitment
from .sparse import tokenize

# Questions about what was promised, by whom and by when.
INTENT = re.compile(r"\b(?:commit\w*|promis\w*|pledg\w*|actions?|plans?|planned|who leads|leads? on|lead for|"
                    r"responsible|by when|deadline|target(?:s| date)?|due|resol\w*|agreed?)\b", re.I)
_INTENT_WORDS = frozenset(tokenize("commit committed commitment promise pledge action actions plan plans planned "
                                   "lead leads responsible deadline target date due resolve resolved agree "
                                   "status rag own owns owner owned"))
CSV_FIELDS = ("council", "ref", "kind", "action", "lead", "target", "due", "priority", "rag", "themes",
              "governance", "programme", "title", "section", "page", "doc_id", "start", "end")


def filter_commitments(records: Iterable[Commitment], council: str | None = None, theme: str | None = None,
                       due_before: str | None = None, due_after: str | None = None, text: str | None = None,
                       kinds: Sequence[str] = ()) -> list[Commitment]:
    """Records matching every given condition; ``due_*`` are ISO dates (inclusive)."""
    words = tokenize(text) if text else []
    needle = text.lower().strip() if text else ""
    result = []
    for record in records:
        if council and record.council != council:
            continue
        if theme and theme not in record.themes:
            continue
        if kinds and record.kind not in kinds:
            continue
        if due_before and not (record.due and record.due <= due_before):
            continue
        if due_after and not (record.due and record.due >= due_after):
            continue
        if needle:
            haystack = " ".join((record.ref, record.action, record.lead, record.governance, record.programme))
            if needle not in haystack.lower() and not set(words) <= set(tokenize(haystack)):
                continue
        result.append(record)
    return result


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30,
            31, 30, 31][month]
    return date(year, month + 1, min(day.day, last))


def due_bounds(today: date, months: int | None = None, overdue: bool = False) -> tuple[str | None, str]:
    """(due_after, due_before) as ISO dates: due within ``months`` of ``today`` (both inclusive),
    or (``overdue``) with a target date before ``today``."""
    if overdue:
        return None, date.fromordinal(today.toordinal() - 1).isoformat()
    return today.isoformat(), add_months(today, months or 0).isoformat()


def due_window(records: Iterable[Commitment], today: date, months: int | None = None,
               overdue: bool = False) -> list[Commitment]:
    """The records in the window ``due_bounds`` describes."""
    due_after, due_before = due_bounds(today, months, overdue)
    return filter_commitments(records, due_after=due_after, due_before=due_before)


def to_csv(records: Iterable[Commitment]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = record.to_json()
        row["themes"] = "; ".join(record.themes)
        writer.writerow(row)
    return out.getvalue()


@lru_cache(maxsize=200_000)
def _terms(text: str) -> frozenset[str]:
    """A commitment's words, tokenised once: every commitment question reads every record's."""
    return frozenset(tokenize(text))


def _record_terms(record: Commitment) -> frozenset[str]:
    return _terms(" ".join((record.ref, record.action, record.programme, record.section)))


class LedgerPostings:
    """Which commitments contain each word, so a question reads only the records sharing one of its
    words (``match`` needs at least one), not the whole ledger (19,000 records at 400 councils)."""

    def __init__(self, records: Sequence[Commitment]) -> None:
        self.records = list(records)
        self._postings: dict[str, list[int]] = {}
        for i, record in enumerate(self.records):
            for term in _record_terms(record):
                self._postings.setdefault(term, []).append(i)

    def sharing(self, terms: Iterable[str]) -> list[Commitment]:
        """The records holding any of ``terms``, in ledger order."""
        rows = sorted({i for term in set(terms) for i in self._postings.get(term, ())})
        return [self.records[i] for i in rows]


def match(records: Iterable[Commitment], key_terms: Sequence[str], idf: Callable[[str], float],
          councils: Sequence[str] = (), min_coverage: float = 0.5, limit: int = 5) -> list[Commitment]:
    """Commitments whose text covers the question's topic words (idf-weighted), best first."""
    topic = [t for t in dict.fromkeys(key_terms) if t not in _INTENT_WORDS]
    if not topic:
        return []
    weights = {t: max(idf(t), 0.05) for t in topic}
    total = sum(weights.values())
    scored = []
    for record in records:
        if councils and record.council not in councils:
            continue
        present = _record_terms(record)
        coverage = sum(w for t, w in weights.items() if t in present) / total
        if coverage >= min_coverage:
            kind_rank = 0 if record.kind == "plan action" else 1
            scored.append((-coverage, kind_rank, record.due or "9999", record.start, record))
    scored.sort(key=lambda item: item[:4])
    return [item[-1] for item in scored[:limit]]


# What a commitment states, by the answer type a question asks for: the action itself (what was
# committed, whether there is one), its lead, its target and its status. A figure, a score or a
# reason is none of these: "how much will the recovery plan save?" is not answered by the plan's lead.
STATED = {"": "action", "list": "action", "existence": "action", "person": "lead", "date": "target", "status": "rag"}


def stating(records: Iterable[Commitment], answer_type: str) -> list[Commitment]:
    """The records that state what a question of ``answer_type`` asks for (none for a type the
    ledger does not hold)."""
    field = STATED.get(answer_type)
    return [r for r in records if field is not None and getattr(r, field)]


def describe(record: Commitment) -> str:
    """One line for an answer: the action in its own words, then lead, target and status."""
    parts = [f"{record.ref}: {record.action}" if record.ref else record.action]
    details = [f"Lead: {record.lead}" if record.lead else "", f"Target: {record.target}" if record.target else "",
               f"Priority: {record.priority}" if record.priority else "", f"RAG: {record.rag}" if record.rag else ""]
    details = [d for d in details if d]
    return f"{parts[0]} ({'; '.join(details)})" if details else parts[0]
