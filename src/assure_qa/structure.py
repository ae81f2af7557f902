"""Recover the structure of extracted council documents: headings, paragraphs, lists, tables.

The input is text as PDF extraction left it: headings are short lines between blank lines,
numbered paragraphs look like "- 34 On 16 August…" or "29. …", tables are tab-separated or
Markdown pipe rows whose cells may hold stray HTML, and a table row can run over several lines
(a page break, a cell split mid-word). The output is a list of Blocks, each an indivisible span
of the source: a numbered paragraph keeps its lettered items, a table row keeps its continuation
lines and knows its table's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Block
from .taxonomy import CQC_TITLE, quality_statement_from_heading, statement_page_title, theme_from_heading
from .text import HTML_TAG

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# "- 34 On 16 August", "29. The", "- 10. The monthly" — not "- 90,900 High Peak", "12 July 2023".
NUMBERED = re.compile(rf"^\s*(?:[-•]\s*)?(\d{{1,3}})\.?\s+(?!(?:{_MONTHS})\b)(?=[A-Z(*\"'“‘])")
LIST_ITEM = re.compile(r"^\s*(?:[-•✓▪◦●*](?!\*)|\(?[a-z]{1,2}\)|\(?[ivx]{1,5}[.)]|[a-z][.)])\s+")
TEMPLATE_HEADING = re.compile(
    r"^(?:What is our ambition|How do we know|What are our plans|What do others? say|To Maintain\b|"
    r"Plans to Improve\b|Specific Examples of Evidence|What do we want to achieve|"
    r"How will we achieve it|Associated Quality Statements|Areas? for (?:improvement|development)|"
    # A CQC local authority assessment's statement page: the same three headings on every page.
    r"What people expect\s*$|The local authority commitment\s*$|Key findings for this quality statement)",
    re.I)
TOC_ENTRY = re.compile(r"^(.*?)(?:\s*\.{2,}\s*|\t+|\s{2,})(\d{1,3})\s*$")
SEPARATOR = re.compile(r"^[\s|:\-–—]*-{2,}[\s|:\-–—]*$")
REF = re.compile(r"^(?:<[^>]+>\s*)*([A-Z]\d{1,2}(?:\.\d{1,2})?)\.?(?=\s|$|<)")
# A CQC report's score and rating lines ("Score: 3", "Indicative score: 2", "Good"): content to
# quote, not headings, though they stand alone between blank lines.
SCORE_LINE = re.compile(r"^(?:(?:Indicative\s+)?score\b.*\d%?|Outstanding|Good|Requires improvement|Inadequate"
                        r"|\d\s*[-–]\s*Evidence shows\b.*)$", re.I)
DATE_LINE = re.compile(rf"^(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+\d{{4}}(?:\s*\(.*\))?$", re.I)


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, without the newline
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip(" \t\r\xa0\u200b")


def split_lines(text: str) -> list[Line]:
    """Lines with offsets; form feeds (page breaks) also end a line."""
    return [Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n\f]*", text)
            if m.start() == 0 or text[m.start() - 1] in "\n\f"]


def is_table_line(line: str) -> bool:
    s = line.strip(" \r\xa0")
    return "\t" in s or s.startswith("|")


def cells(line: str) -> list[str]:
    """Cells of a table line, HTML removed and whitespace collapsed."""
    s = line.strip(" \r\n\xa0")
    if s.startswith("|"):
        parts = s.strip("|").split("|")
    else:
        parts = line.rstrip("\r\n").split("\t")
    return [" ".join(HTML_TAG.sub(" ", p).split()) for p in parts]


def clean_heading(text: str) -> str:
    return text.strip(" \t\r\xa0*#_").replace("**", "").strip()


def _toc_title(text: str) -> str | None:
    match = TOC_ENTRY.match(text.strip())
    return clean_heading(match.group(1)).rstrip(". ") if match else None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _looks_like_heading(text: str, toc: set[str], known_only: bool = False) -> bool:
    s = clean_heading(text)
    if not s or is_table_line(text) or LIST_ITEM.match(text) or NUMBERED.match(text) or SCORE_LINE.match(s):
        return False
    if _norm(s.rstrip(".:")) in toc or TEMPLATE_HEADING.match(s):
        return True
    if theme_from_heading(s) or quality_statement_from_heading(s, None) is not None:
        return True
    if CQC_TITLE.match(s) or statement_page_title(s):
        return True
    if known_only:
        return False
    if len(s) > 100 or len(s.split()) > 14 or not (s[0].isupper() or s[0].isdigit()):
        return False
    if s[-1] in ".,;:?!-" or "](" in s or "http" in s or ". " in s or DATE_LINE.match(s):
        return False
    digits = sum(c.isdigit() for c in s)
    return digits <= len(s) * 0.3 and any(c.isalpha() for c in s)


def heading_role(text: str, toc: set[str]) -> tuple[str, str]:
    """(role, label) for a heading line: theme, qs, question, part or generic."""
    s = clean_heading(text)
    theme = theme_from_heading(s)
    if theme:
        return "theme", theme
    if CQC_TITLE.match(s):
        return "part", s  # a CQC assessment's overview page
    if statement_page_title(s):
        return "qs", s  # a CQC assessment's statement page, "<Council>: <statement>"
    if re.match(r"^\W*Quality\s+statement(?!\s+scores)", s, re.I):
        return "qs", s
    if TEMPLATE_HEADING.match(s):
        return "question", s
    if _norm(s.rstrip(".:")) in toc:
        return "part", s
    return "generic", s


def parse(text: str) -> list[Block]:
    """Split a document into Blocks, in order, covering every non-blank line."""
    lines = split_lines(text)
    toc = _contents_titles(lines)
    builder = _Builder(text)
    in_contents = False
    # PDF text often has no blank lines at all: there a sentence's end ends a paragraph and only
    # unmistakable headings (CQC themes, statements, template questions) are recognised.
    inner = lines[:-1] if lines and not lines[-1].stripped else lines
    blanks = sum(1 for line in inner if not line.stripped and text[line.end:line.end + 1] != "\f")
    dense = blanks <= 0.05 * len(inner)
    for i, line in enumerate(lines):
        s = line.stripped
        before = lines[i - 1].stripped if i else ""
        prev_blank = (i == 0 or not before or text[line.start - 1] == "\f"
                      or (dense and before[-1] in ".:;!?"))
        next_blank = i + 1 == len(lines) or not lines[i + 1].stripped
        if not s:
            builder.blank()
            continue
        if i and text[line.start - 1] == "\f":
            builder.close()  # a page break ends every block: each passage sits on one page
        if in_contents and _toc_title(s) is not None:
            builder.extend_or_open("contents", line)
            continue
        in_contents = False
        if clean_heading(s).lower() == "contents" and prev_blank:
            builder.close()
            builder.open("contents", line)
            in_contents = True
            continue
        if (dense or (prev_blank and next_blank)) and _looks_like_heading(s, toc, known_only=dense):
            role, label = heading_role(s, toc)
            builder.heading(line, role, label)
        elif SEPARATOR.match(s) or s in {"--", "—"}:
            builder.attach(line)
        elif is_table_line(line.text):
            builder.table_line(line)
        elif match := NUMBERED.match(line.text):
            builder.close()
            builder.open("numbered", line, para=match.group(1))
        elif LIST_ITEM.match(line.text):
            builder.list_line(line)
        else:
            builder.text_line(line, prev_blank)
    builder.close()
    return builder.blocks


def _contents_titles(lines: list[Line]) -> set[str]:
    """Normalised titles listed under a "Contents" line, to recognise top-level parts."""
    titles: set[str] = set()
    for i, line in enumerate(lines):
        if clean_heading(line.stripped).lower() != "contents":
            continue
        for follower in lines[i + 1:]:
            if not follower.stripped:
                if titles:
                    break
                continue
            title = _toc_title(follower.stripped)
            if title is None:
                break
            titles.add(_norm(title))
        break
    return titles


class _Builder:
    """Accumulates lines into Blocks; knows which block is open and the current table header."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.kind: str | None = None
        self.start = self.end = 0
        self.para: str | None = None
        self.header: str | None = None
        self.keyed = False  # rows of the current table start with a reference like "B3.1"
        self.blank_since = False

    def open(self, kind: str, line: Line, para: str | None = None) -> None:
        self.close()
        self.kind, self.start, self.end, self.para = kind, line.start, line.end, para
        self.blank_since = False

    def extend(self, line: Line) -> None:
        self.end = line.end
        self.blank_since = False

    def extend_or_open(self, kind: str, line: Line) -> None:
        if self.kind == kind:
            self.extend(line)
        else:
            self.open(kind, line)

    def attach(self, line: Line) -> None:
        if self.kind is None:
            return  # a stray separator between blocks belongs to no passage
        self.extend(line)

    def blank(self) -> None:
        self.blank_since = True

    def close(self) -> None:
        if self.kind is None:
            return
        span = self.text[self.start:self.end].rstrip(" \t\r\xa0")
        end = self.start + len(span)
        header = self.header if self.kind == "table_row" else None
        self.blocks.append(Block(self.kind, self.start, end, self.para, header=header))
        self.kind, self.para = None, None

    def heading(self, line: Line, role: str, label: str) -> None:
        self.close()
        self.header, self.keyed = None, False
        span = line.text.rstrip(" \t\r\xa0")
        self.blocks.append(Block("heading", line.start, line.start + len(span), role=role, label=label))

    def table_line(self, line: Line) -> None:
        row = cells(line.text)
        filled = [c for c in row if c]
        first = row[0] if row else ""
        ref = next((m.group(1) for c in row[:2] if (m := REF.match(c))), None)
        starting_table = self.kind not in ("table_row", "table_header") and self.header is None
        if starting_table and len(filled) >= 2 and all(len(c) <= 40 for c in filled) and not ref:
            self.open("table_header", line)
            self.header = " | ".join(filled)
            self.close()
            return
        if self.kind == "table_header":
            self.close()
        if not filled:
            self.attach(line)
            return
        if ref:
            self.keyed = True
            refs = [m.group(1) for c in row[:2] if (m := REF.match(c))]
            self.open("table_row", line, para=max(refs, key=len))
        elif self.kind == "table_row" and (not first or self.keyed):
            self.extend(line)  # a continuation: empty first cell, or no reference in a keyed table
        else:
            para = first.rstrip(".") if re.fullmatch(r"[ivx]{1,5}\.?|\d{1,3}\.?", first) else None
            self.open("table_row", line, para=para)

    def list_line(self, line: Line) -> None:
        if self.kind == "numbered":
            self.extend(line)  # lettered items belong to their numbered paragraph
        else:
            self.open("list", line)

    def text_line(self, line: Line, prev_blank: bool) -> None:
        s = line.stripped
        continues = s[:1].islower() or s[:1] in ",;)"
        in_prose = self.kind in ("numbered", "list", "paragraph") and (not prev_blank or continues)
        if in_prose or (self.kind == "table_row" and continues):
            self.extend(line)
        else:
            self.open("paragraph", line)
