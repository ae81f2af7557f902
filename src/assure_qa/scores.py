"""Ratings and scores stated in the corpus: CQC local authority assessment reports and council
papers that report them.

A CQC report states its overall rating under "Local authority rating and score" (or, in the 2023
pilot, "Local authority indicative rating"): the rating word on its own line, then "Score: 64%",
"Score: 75" or "<Council> scored 78 out of 100". Its "Quality statement scores" list puts each
statement's name on one line and "Score: N" ("Indicative score: N", "Score N") on the next; each
statement page repeats the score under its title. A council paper reports them as a table whose
header names a score ("Theme | Quality Statements | DCC Score") and, in prose, "rated as 'Good'".
Each record keeps the exact span it was read from.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import fields, replace
from pathlib import Path

from .records import Document, Score
from .structure import Line, cells, is_table_line, split_lines
from .taxonomy import QUALITY_STATEMENTS, statement_page_title

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
_RATING = re.compile(r"^\W*(Outstanding|Good|Requires\s+improvement|Inadequate)\W*$", re.I)
_OVERALL_HEADING = re.compile(r"^Local authority (?:indicative )?rating\b", re.I)
_STATEMENT_SCORE = re.compile(r"^(Indicative score|Score)\s*:?\s*([1-4])\s*$", re.I)
_PERCENT = re.compile(r"^(?:Indicative score|Score)\s*:?\s*(\d{1,3})\s*%?\s*$|\bscored\s+(\d{1,3})\s+out\s+of\s+100\b",
                      re.I)
# "rating adult social care provision within the Council as 'Good'", "The council was rated as
# '**Good**'": a sentence about the council (not "provision in the county was rated as 'good'").
_PROSE_RATING = re.compile(  # anchored at a sentence's start: unanchored, every character restarts the scan
    r"(?:\A|(?<=[.\n]))[^.\n]*\b[Cc]ouncil\b[^.\n]*?\b(?:rated|rating)\b[^.\n]{0,60}?\bas\s+['‘\"*]*"
    r"(Outstanding|Good|Requires improvement|Inadequate)\b")
_LOOKAHEAD = 8  # lines after "Local authority rating" that may hold the rating and percentage


def statement_named_exactly(text: str) -> str | None:
    """The canonical quality statement when ``text`` is exactly one of its wordings."""
    s = text.strip(" \t\r\xa0*-•:")
    return next((qs.name for qs in QUALITY_STATEMENTS if qs.pattern.fullmatch(s)), None)


def _rating_word(text: str) -> str:
    word = " ".join(text.split()).capitalize()
    return next(r for r in RATINGS if r.lower() == word.lower())


def extract(doc: Document) -> list[Score]:
    """Every rating and score ``doc`` states, overall row first, then statements in document order;
    one record per quality statement (the summary list, else the statement page, else a table)."""
    lines = split_lines(doc.text)
    stripped = [line.text.strip(" \t\r\xa0") for line in lines]
    indicative = bool(re.search(r"\bindicative (?:score|rating)\b", doc.text, re.I))
    overall = _overall(doc, lines, stripped, indicative)
    found: dict[str, Score] = {}
    page: str | None = None  # the statement page the line sits on
    in_table = False
    for i, line in enumerate(lines):
        s = stripped[i]
        if not s:
            continue
        title = statement_page_title(s) if ":" in s else None
        if title:
            page = title
            continue
        if is_table_line(line.text):
            row = [c for c in cells(line.text) if c]
            in_table = in_table or any("score" in c.lower() for c in row)
            named = [n for c in row if (n := statement_named_exactly(c))]
            if in_table and named and re.fullmatch(r"[1-4]", row[-1]):
                found.setdefault(named[0], _score(doc, named[0], int(row[-1]), line.start, line.end,
                                                  indicative))
            continue
        in_table = False
        match = _STATEMENT_SCORE.match(s)
        if not match:
            continue
        previous = next((j for j in range(i - 1, -1, -1) if stripped[j]), None)
        named_before = statement_named_exactly(stripped[previous]) if previous is not None else None
        statement = named_before or page
        if statement:
            start = lines[previous].start if named_before and previous is not None else line.start
            found.setdefault(statement, _score(doc, statement, int(match.group(2)), start, line.end,
                                               indicative or match.group(1).lower().startswith("indicative")))
    rows = sorted(found.values(), key=lambda r: r.start)
    if overall is None:
        return rows
    rows = [replace(r, overall_rating=overall.overall_rating, overall_score=overall.overall_score)
            for r in rows]
    return [overall, *rows]


def _score(doc: Document, statement: str, value: int, start: int, end: int, indicative: bool) -> Score:
    return Score(doc.council, statement, value, None, None, indicative, doc.doc_id, start, end)


def _overall(doc: Document, lines: list[Line], stripped: list[str], indicative: bool) -> Score | None:
    """The overall rating (and percentage) under "Local authority rating and score", else the
    first sentence saying the council was rated as one of the four ratings."""
    for i, s in enumerate(stripped):
        if not _OVERALL_HEADING.match(s):
            continue
        rating: str | None = None
        percent: int | None = None
        start = end = lines[i].end
        for j in range(i + 1, min(i + 1 + _LOOKAHEAD, len(lines))):
            if (word := _RATING.match(stripped[j])) and rating is None:
                rating, end = _rating_word(word.group(1)), lines[j].end
                start = lines[j].start if percent is None else start
            elif (number := _PERCENT.search(stripped[j])) and percent is None:
                percent, end = int(number.group(1) or number.group(2)), lines[j].end
                start = lines[j].start if rating is None else start
        if rating or percent is not None:
            return Score(doc.council, None, None, rating, percent,
                         indicative or "indicative" in s.lower(), doc.doc_id, start, end)
    prose = _PROSE_RATING.search(doc.text)
    if prose is None:
        return None
    start = prose.start() + len(prose.group()) - len(prose.group().lstrip(" -*"))
    return Score(doc.council, None, None, _rating_word(prose.group(1)), None, indicative,
                 doc.doc_id, start, prose.end())


def filter_scores(scores: list[Score], council: str | None = None) -> list[Score]:
    """Scores in the order stored, of one council when named: its full name or a part of it
    ("Durham" for "Durham County Council"), case ignored."""
    if not council:
        return list(scores)
    wanted = council.strip().lower()
    return [s for s in scores if wanted == s.council.lower() or wanted in s.council.lower()]


SCORE_FIELDS = tuple(f.name for f in fields(Score))


def to_csv(scores: list[Score]) -> str:
    """Scores as CSV with the ``Score`` fields as columns, empty cells for None."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SCORE_FIELDS, lineterminator="\n")
    writer.writeheader()
    for score in scores:
        writer.writerow({k: "" if v is None else v for k, v in score.to_json().items()})
    return out.getvalue()


def write_scores(generation: Path, scores: list[Score]) -> None:
    """Store the scores with an index generation (``scores.jsonl``), like the commitments ledger."""
    with (generation / "scores.jsonl").open("w", encoding="utf-8") as out:
        for score in scores:
            out.write(json.dumps(score.to_json(), ensure_ascii=False) + "\n")


def read_scores(generation: Path) -> list[Score]:
    """The scores stored with a generation (none before index format 5)."""
    path = generation / "scores.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [Score.from_json(json.loads(line)) for line in lines if line.strip()]
