"""Ratings and scores stated in the corpus: CQC local authority assessment reports and council
papers that report them.

A CQC report states its overall rating under "Local authority rating and score" (or, in the 2023
pilot, "Local authority indicative rating"): the rating word on its own line, then "Score: 64%",
"Score: 75" or "<Council> scored 78 out of 100". Its "Quality statement scores" list puts each
statement's name on one line and "Score: N" ("Indicative score: N", "Score N") on the next; each
statement page repeats the score under its title. A council paper reports them as a table whose
header names a score ("Theme | Quality Statements | DCC Score"), its columns separated by tabs,
pipes or runs of spaces (a plain-text paper lines them up), and, in prose, "rated as 'Good'",
"were rated Requires Improvement, with an overall score of 56%", sentences wrapped over lines.
Each record keeps the exact span it was read from.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import fields, replace
from pathlib import Path

from .blocks import Line, cells, is_table_line, split_lines
from .records import Document, Score
from .taxonomy import QUALITY_STATEMENTS, statement_page_title
from .text import BULLETS

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
_RATING = re.compile(r"^\W*(Outstanding|Good|Requires\s+improvement|Inadequate)\W*$", re.I)
_OVERALL_HEADING = re.compile(r"^Local authority (?:indicative )?rating\b", re.I)
# "Score: 2", "Indicative score: 2", "Score: 2 - Evidence shows some shortfalls" (the CQC's meaning of
# the score after it), and on one line with the statement: "Assessing needs - Score: 2 - Evidence…"
_MEANING = r"(?:\s*[-–—:]\s*evidence\s+shows\b.*)?"
_STATEMENT_SCORE = re.compile(rf"^(Indicative score|Score)\s*:?\s*([1-4]){_MEANING}\s*$", re.I)
_NAMED_SCORE = re.compile(rf"^(.+?)\s*[-–—:|]\s*(Indicative score|Score)\s*:?\s*([1-4]){_MEANING}\s*$", re.I)
# "Score: 64%", "Overall score: 58% - this score falls within…", "<Council> scored 78 out of 100"
_PERCENT = re.compile(r"^(?:Overall\s+)?(?:Indicative score|Score)\s*:?\s*(\d{1,3})\s*(?:%.*)?$|"
                      r"\bscored\s+(\d{1,3})\s+out\s+of\s+100\b", re.I)
# "rating adult social care provision within the Council as 'Good'", "The council was rated as
# '**Good**'", "The Council's functions were rated Requires Improvement", "given an overall rating of
# Requires Improvement": a sentence about the council (not "provision in the county was rated as
# 'good'", not "5 councils were rated Outstanding"), which may wrap over lines but not paragraphs.
_RATED = re.compile(
    r"\b(?:rated|rating)\b(?:(?:[^.\n]|\n(?![ \t]*\n)){0,60}?\bas\b|\s+of\b)?\s+['‘\"*]*"
    r"(Outstanding|Good|Requires\s+improvement|Inadequate)\b", re.I)
_ABOUT_COUNCIL = re.compile(r"\bcouncil\b(?!s)", re.I)
# a sentence ends at a full stop, a blank line, or where a list item starts on the next line
_SENTENCE_BREAK = re.compile(r"\.|\n[ \t]*\n|\n(?=[ \t]*(?:[-" + BULLETS + r"*]|\(?[a-z0-9]{1,3}[.)])[ \t])")
# Not the council's rating: a share of services rated "Good or Outstanding", a council rating itself
_THRESHOLD = re.compile(r"['’\"*]*\s*(?:or|and)\s+(?:better|above|outstanding|good)\b", re.I)
_SELF_RATED = re.compile(r"\brat(?:ed|es|ing)\s+(?:itself|ourselves|themselves)\b|\bself-?rat", re.I)
_SENTENCE_LEAD = re.compile(r"[\s\-*]*(?:\(?\w\)\s+|\d+\s+)?")  # a paragraph's "(a)" or number's tail
_PROSE_PERCENT = re.compile(r"(?:[^.\n]|\n(?![ \t]*\n))*?(?:\bscore\s+of\s+(\d{1,3})\s*%"
                            r"|\bscored\s+(\d{1,3})\s+out\s+of\s+100\b)", re.I)
# A table line whose columns are lined up with runs of spaces (two or more) rather than tabs.
_ALIGNED = re.compile(r"\S {2,}\S")
_SCORE_HEADER = re.compile(r"^(?:\S+\s+){0,3}scores?$", re.I)
_STATEMENT_LIST = re.compile(r"^quality statements?\b", re.I)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_LOOKAHEAD = 8  # lines after "Local authority rating" that may hold the rating and percentage


def statement_named_exactly(text: str) -> str | None:
    """The canonical quality statement when ``text`` is exactly one of its wordings."""
    s = text.strip(" \t\r\xa0*-:" + BULLETS)
    return next((qs.name for qs in QUALITY_STATEMENTS if qs.pattern.fullmatch(s)), None)


def _rating_word(text: str) -> str:
    word = " ".join(text.split()).capitalize()
    return next(r for r in RATINGS if r.lower() == word.lower())


def extract(doc: Document) -> list[Score]:
    """Every rating and score ``doc`` states, overall row first, then statements in document order;
    one record per quality statement (the summary list, else the statement page, else a table)."""
    lines = split_lines(doc.text)
    # a Markdown heading's marks are not its words: "### Local authority indicative rating"
    stripped = [_MARKDOWN_HEADING.sub("", line.text.strip(" \t\r\xa0")) for line in lines]
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
        if is_table_line(line.text) or _ALIGNED.search(s):
            row = [c for c in (cells(line.text) if is_table_line(line.text) else re.split(r" {2,}", s)) if c]
            in_table = in_table or any(_SCORE_HEADER.match(c) for c in row)
            named = [n for c in row if (n := statement_named_exactly(c))]
            if in_table and named and re.fullmatch(r"[1-4]", row[-1]):
                indent = 0 if is_table_line(line.text) else len(line.text) - len(line.text.lstrip(" "))
                found.setdefault(named[0], _score(doc, named[0], int(row[-1]), line.start + indent, line.end,
                                                  indicative))
            continue
        in_table = False
        if (same_line := _NAMED_SCORE.match(s)) and (stated := statement_named_exactly(same_line.group(1))):
            found.setdefault(stated, _score(doc, stated, int(same_line.group(3)), line.start, line.end,
                                            indicative or same_line.group(2).lower().startswith("indicative")))
            continue
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
            if _STATEMENT_LIST.match(stripped[j]) or statement_named_exactly(stripped[j]):
                break  # the statements' scores start: a score under them is not the overall one
            if (word := _RATING.match(stripped[j])) and rating is None:
                rating, end = _rating_word(word.group(1)), lines[j].end
                start = lines[j].start if percent is None else start
            elif (number := _PERCENT.search(stripped[j])) and percent is None:
                percent, end = int(number.group(1) or number.group(2)), lines[j].end
                start = lines[j].start if rating is None else start
        if rating or percent is not None:
            return Score(doc.council, None, None, rating, percent,
                         indicative or "indicative" in s.lower(), doc.doc_id, start, end)
    return _prose_rating(doc, indicative)


def _prose_rating(doc: Document, indicative: bool) -> Score | None:
    """The first sentence saying the council was rated (as) one of the four ratings, with the
    overall percentage when the same sentence gives it ("with an overall score of 56%")."""
    for rated in _RATED.finditer(doc.text):
        window = doc.text[max(0, rated.start() - 1000):rated.start()]
        sentence = _SENTENCE_BREAK.split(window)[-1]
        if not _ABOUT_COUNCIL.search(sentence + rated.group(0)):  # "… had rated the Council as Good"
            continue
        if _THRESHOLD.match(doc.text, rated.end()) or _SELF_RATED.search(sentence + rated.group(0)):
            continue
        start = rated.start() - len(sentence)
        lead = _SENTENCE_LEAD.match(doc.text, start)
        start = lead.end() if lead else start
        end, percent = rated.end(), None
        if (number := _PROSE_PERCENT.match(doc.text, rated.end())) is not None:
            end, percent = number.end(), int(number.group(1) or number.group(2))
        return Score(doc.council, None, None, _rating_word(rated.group(1)), percent, indicative,
                     doc.doc_id, start, end)
    return None


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
