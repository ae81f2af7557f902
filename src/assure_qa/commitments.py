"""The commitments ledger: every action, plan, resolution and dated activity in the corpus.

Sources, richest first:
- improvement-plan table rows with a reference (A1.1, B3.4): their cells are put back together
  column by column across the lines and pages the row was broken over, into the action (with its
  sub-bullets), lead, target date, priority, RAG status, CQC theme and governance;
- bullets and sentences under a plans heading ("Plans to Improve", "To Maintain", "What are our
  plans…", "How will we achieve it?");
- committee resolutions and decisions, point by point ("RESOLVED that: (a)…", "Resolved: (i) That…",
  "Decision:"), each with the officer or body it asks to act when it names one (``resolutions``);
- "we will…" statements anywhere; rows of a timeline table whose cells include a date.
Each record cites the exact span it came from. Fields the text does not give stay empty.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from .blocks import cells as table_cells
from .blocks import is_table_line
from .labelled import LabelledRun, labelled_runs
from .records import Block, Chunk, Commitment, Document
from .resolutions import is_decision, owner, points
from .structure import parse
from .taxonomy import THEMES, themes_named
from .text import BULLETS, HTML_TAG, plain_text

ACTION = re.compile(r"^(?:<[^>]+>\s*)*([A-Z]\d{1,2}\.\d{1,2})\s+")
PLANS_HEADING = re.compile(r"Plans to Improve|To Maintain|What are our plans|How will we achieve it", re.I)
WE_WILL = re.compile(r"\b(?:we|the council|the service|the team) will\b(?! be (?:able|pleased))|\bis planned\b|"
                     r"\bto go live\b|\bwill be (?:delivered|completed|developed|implemented|introduced|"
                     r"reviewed|published|launched|presented)\b", re.I)
# "If the concern meets the threshold we will…", "we will consider…": how a process runs, not a promise.
PROCEDURE = re.compile(r"\b(?:if|when|whether|where|once|should|unless)\b", re.I)
PROCEDURE_VERB = re.compile(r"\s+(?:consider|always|usually|normally|also consider|be able)\b", re.I)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {"sept": 9}
DATE_TEXT = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(" + "|".join(sorted(_MONTHS, key=len, reverse=True))
                       + r")\.?\s+(\d{4}|\d{2})\b", re.I)
TARGET_IN_TEXT = re.compile(r"\b(?:by|before|until|no later than|from|in|during|end of)\s+((?:\d{1,2}\s+)?(?:"
                            + "|".join(m for m in calendar.month_name if m) + r")\s+\d{4})\b", re.I)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
PRIORITY = re.compile(r"^[HML]$")


def parse_due(text: str) -> str | None:
    """The first date in a target as written, as ISO; a month alone means its last day.

    "Jun 25" -> 2025-06-30; "Review annually – from 31 March 25" -> 2025-03-31;
    "Jan 25 (and as required)" -> 2025-01-31; "18/11/24" -> 2024-11-18.
    """
    found = DATE_TEXT.search(text)
    numeric = NUMERIC_DATE.search(text)
    if numeric and (not found or numeric.start() < found.start()):
        day, month, year = (int(g) for g in numeric.groups())
        year += 2000 if year < 100 else 0
    elif found:
        day_text, month_text, year_text = found.groups()
        month = _MONTHS[month_text.lower()]
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        day = int(day_text) if day_text else calendar.monthrange(year, month)[1]
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def extract(doc: Document, chunks: Iterable[Chunk]) -> list[Commitment]:
    """All commitments in one document, in document order."""
    chunks = list(chunks)
    records = _plan_rows(doc, chunks)
    covered = [(c.start, c.end) for c in records]
    decisions, spans = _decisions(doc, chunks)
    records += decisions
    covered += spans
    labelled = [r for r in _labelled_actions(doc, chunks) if not any(a <= r.start < b for a, b in covered)]
    records += labelled
    covered += [(r.start, r.end) for r in labelled]
    for chunk in chunks:
        records.extend(r for r in _prose(doc, chunk) if not any(a <= r.start < b for a, b in covered))
    records.sort(key=lambda c: c.start)
    return records


def _chunk_at(chunks: list[Chunk], offset: int) -> Chunk | None:
    return next((c for c in chunks if c.start <= offset < c.end), None)


# Other names plan tables give their columns, by the name the ledger uses.
_COLUMNS = {"lead officer": "Lead", "owner": "Lead", "responsible officer": "Lead", "target": "Target Date",
            "due date": "Target Date", "deadline": "Target Date", "priority": "H/M/L", "status": "RAG",
            "rag status": "RAG"}


def _plan_rows(doc: Document, chunks: list[Chunk]) -> list[Commitment]:
    records: list[Commitment] = []
    programme, programme_themes = "", tuple[str, ...]()
    heading = ""  # the last group title row of a plan table ("| PRIORITY 1 - ASSESSING NEEDS |")
    for block in parse(doc.text):
        if block.kind == "table_row" and not block.para:
            row = [c for c in table_cells(doc.text[block.start:block.end].split("\n")[0]) if c]
            heading = row[0] if len(row) == 1 and doc.text[block.start:block.end].lstrip().startswith("|") else ""
        if block.kind != "table_row" or not block.para or not re.fullmatch(r"[A-Z]?\d{1,2}\.\d{1,2}", block.para):
            continue
        header = [h.strip() for h in (block.header or "").split(" | ")]
        line_end = doc.text.find("\n", block.end)  # the block's span drops the last line's empty cells
        cells = _merge_lines(doc.text[block.start:line_end if line_end != -1 else len(doc.text)], header)
        fields = {_COLUMNS.get(h.lower(), h.title() if h.lower() == "target date" else h): c
                  for h, c in zip(header, cells, strict=False)}
        action_key = next((h for h in header if h.lower() in ("action", "milestone/action")), None)
        if action_key is None:
            continue
        chunk = _chunk_at(chunks, block.start)
        if fields.get("Improvement Priority"):  # the first action of a Part A group names it
            programme = fields["Improvement Priority"]
            programme_themes = tuple(themes_named(fields.get("CQC Theme", "")))
        in_group = "Improvement Priority" in fields
        themes = tuple(themes_named(fields.get("CQC Theme", ""))) or (
            programme_themes if in_group else ()) or ((chunk.theme,) if chunk and chunk.theme else ())
        action = ACTION.sub("", fields[action_key]).strip()
        records.append(_record(doc, chunk, block, kind="plan action", ref=block.para, action=action,
                               lead=fields.get("Lead", ""), target=fields.get("Target Date", ""),
                               priority=fields.get("H/M/L", ""), rag=fields.get("RAG", ""),
                               governance=fields.get("Governance/Work Programme", ""), themes=themes,
                               programme=programme if in_group else heading))
    return records


_REF = re.compile(r"\b([A-Z]{1,2}\d{1,2}(?:\.\d{1,2})+)\b")


def _labelled_actions(doc: Document, chunks: list[Chunk]) -> list[Commitment]:
    """Runs of labelled lines that give an action's lead or target date (``labelled``), each one
    record citing all its lines; without an "Action:" line the heading above names the action."""
    return [r for run in labelled_runs(doc.text) if (r := _labelled_record(doc, chunks, run)) is not None]


def _labelled_record(doc: Document, chunks: list[Chunk], run: LabelledRun) -> Commitment | None:
    fields = run.fields
    if not (fields.get("lead") or parse_due(fields.get("target", ""))):  # "Target: 80%" is a measure's
        return None
    chunk = _chunk_at(chunks, run.start)
    title = chunk.section.split(" › ")[-1] if chunk else ""
    action = fields.get("action") or title
    if not action:
        return None
    ref = fields.get("ref") or next((m.group(1) for m in (_REF.search(action), _REF.search(title)) if m), "")
    if ref and not fields.get("action"):  # the heading names it: "Action W1.2: Reduce the waiting list"
        action = re.sub(rf"^\W*(?:action\s+)?{re.escape(ref)}\W*", "", action, flags=re.I)
    return _record(doc, chunk, Block("labelled", run.start, run.end), kind="plan action", ref=ref,
                   action=plain_text(action), lead=fields.get("lead", ""), target=fields.get("target", ""),
                   priority="", rag=fields.get("rag", ""), governance="",
                   themes=(chunk.theme,) if chunk and chunk.theme else (),
                   programme=title if fields.get("action") else "")


def _decisions(doc: Document, chunks: list[Chunk]) -> tuple[list[Commitment], list[tuple[int, int]]]:
    """Each point of each resolution or decision block, and the blocks' spans (nothing else is
    read from them)."""
    records: list[Commitment] = []
    spans: list[tuple[int, int]] = []
    for block in parse(doc.text):
        if block.kind != "resolution":
            continue
        spans.append((block.start, block.end))
        text = doc.text[block.start:block.end]
        if not is_decision(text):
            continue
        for start, end, ref in points(text):
            chunk = _chunk_at(chunks, block.start + start)
            if chunk is None:
                continue
            record = _span_record(doc, chunk, block.start + start, text[start:end], "resolution", ref=ref)
            records.append(replace(record, lead=owner(text[start:end])))
    return records, spans


def _merge_lines(row: str, header: list[str]) -> list[str]:
    """A table row's cells, joined column by column over its continuation lines.

    An "Outcome(s):" line belongs to the action group, not the row. A continuation line with
    fewer cells than the header (the extraction dropped empty ones) keeps its cells' positions up
    to the lead; after that each cell goes by what it holds: a date to the target, CQC theme words
    to the theme, lower-case text to the column the line before ended in, anything else to the
    last column (governance).
    """
    width = max(len(header), 1)
    if row.lstrip().startswith("|"):  # a pipe row broken over lines is one line wrapped
        return (table_cells(" ".join(row.split("\n"))) + [""] * width)[:width]
    columns: list[list[str]] = [[] for _ in range(width)]
    last = 0
    for number, line in enumerate(row.split("\n")):
        cells = [" ".join(HTML_TAG.sub(" ", c).split()) for c in line.rstrip("\r").split("\t")]
        if not any(cells) or re.fullmatch(r"[\s\-|]*", line) or cells[0].startswith("Outcome"):
            continue
        if number and len(cells) < width:
            cells = _align(cells, header, last)
        for i, cell in enumerate(cells[:width]):
            if cell:
                columns[i].append(cell)
                last = i
    return [" ".join(parts) for parts in columns]


def _align(cells: list[str], header: list[str], last: int) -> list[str]:
    position = {name: i for i, name in enumerate(header)}
    lead = position.get("Lead", min(2, len(header) - 1))
    aligned = [""] * len(header)
    for i, cell in enumerate(cells):
        if not cell:
            continue
        if i <= lead:
            column = i
        elif cell[0].islower():
            column = last
        elif parse_due(cell) and "Target Date" in position:
            column = position["Target Date"]
        elif themes_named(cell) and "CQC Theme" in position:
            column = position["CQC Theme"]
        else:
            column = len(header) - 1
        aligned[column] = f"{aligned[column]} {cell}".strip()
    return aligned


def _prose(doc: Document, chunk: Chunk) -> list[Commitment]:
    records = []
    in_plans = bool(PLANS_HEADING.search(chunk.section))
    for line_start, line in _lines(chunk):
        text = line.strip()
        if not text:
            continue
        if is_table_line(line):  # plan rows are read whole above; here only dated timeline rows
            if due := _timeline_date(line):
                records.append(_span_record(doc, chunk, line_start, line, "timeline", due))
            continue
        if in_plans and len(plain_text(text)) >= 25:
            records.append(_span_record(doc, chunk, line_start, line, "plan"))
        else:
            for sentence_start, sentence in _sentences(line):
                if (found := WE_WILL.search(sentence)) and not PROCEDURE.search(sentence[:found.start()]) \
                        and not PROCEDURE_VERB.match(sentence[found.end():]):
                    records.append(_span_record(doc, chunk, line_start + sentence_start, sentence, "statement"))
    return records


def _timeline_date(line: str) -> str | None:
    cells = [c.strip() for c in re.split(r"\t|\|", line) if c.strip() and not re.fullmatch(r"-+", c.strip())]
    dated = [c for c in cells if re.fullmatch(r"[\d/\s]+(?:to\s+[\d/]+)?", c) and NUMERIC_DATE.search(c)]
    return dated[-1] if dated and len(cells) >= 2 else None


def _lines(chunk: Chunk) -> Iterable[tuple[int, str]]:
    offset = chunk.start
    for line in chunk.text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _sentences(line: str) -> Iterable[tuple[int, str]]:
    start = 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", line):
        yield start, line[start:match.start()]
        start = match.end()
    yield start, line[start:]


def _span_record(doc: Document, chunk: Chunk, start: int, text: str, kind: str, due_text: str = "",
                 ref: str = "") -> Commitment:
    stripped = text.rstrip(" \t\r")
    lead = len(stripped) - len(stripped.lstrip(" -\t" + BULLETS))
    start, span = start + lead, stripped[lead:]
    due_text = due_text or (m.group(1) if (m := TARGET_IN_TEXT.search(span)) else "")
    block = Block(kind, start, start + len(span))
    return _record(doc, chunk, block, kind=kind, ref=ref, action=plain_text(span), lead="", target=due_text,
                   priority="", rag="", governance="", themes=(chunk.theme,) if chunk.theme else (), programme="")


def _record(doc: Document, chunk: Chunk | None, block: Block, *, kind: str, ref: str, action: str, lead: str,
            target: str, priority: str, rag: str, governance: str, themes: tuple[str, ...],
            programme: str) -> Commitment:
    source = doc.text[block.start:block.end]
    digest = hashlib.sha256(f"{doc.doc_id}\x00{block.start}\x00{source}".encode()).hexdigest()[:12]
    return Commitment(
        commitment_id=f"{doc.doc_id[:40]}:{digest}", kind=kind, ref=ref, action=action, lead=lead,
        target=target, due=parse_due(target) if target else None, priority=priority if PRIORITY.match(priority) else "",
        rag=rag, governance=governance, programme=programme,
        themes=tuple(t for t in themes if t in THEMES), council=doc.council, doc_id=doc.doc_id,
        title=doc.title, section=chunk.section if chunk else "", page=doc.page_at(block.start),
        start=block.start, end=block.end, source=source)

