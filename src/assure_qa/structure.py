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

from .blocks import Builder, Line, is_table_line, split_lines
from .records import Block
from .taxonomy import CQC_TITLE, quality_statement_from_heading, statement_page_title, theme_from_heading
from .text import BULLETS

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# "- 34 On 16 August", "29. The", "- 10. The monthly" — not "- 90,900 High Peak", "12 July 2023".
# "3.1      The council…" (a committee report's paragraph, padded after its number) too.
NUMBERED = re.compile(rf"^\s*(?:[-{BULLETS}]\s*)?(\d{{1,3}}(?:\.\d{{1,2}}){{0,2}})\.?\s+(?!(?:{_MONTHS})\b)"
                      r"(?=[A-Z(*\"'“‘])")
# Where minutes record what was decided: "RESOLVED that…", "Resolved:", "Decision:", "Reasons for the
# decision", "AGREED that…". The block it opens keeps the lettered points that follow it.
RESOLUTION = re.compile(r"^\s*(?:(?:resolved|agreed)\b(?=\s*(?:that\b|to\b|unanimously\b|[:(\-–—]|$))"
                        r"|decisions?[ \t]*(?::|(?=\n)|$)|decisions?\s*[-–—]"
                        r"|reasons?\s+for\s+(?:the\s+)?decisions?\b)", re.I)
LIST_ITEM = re.compile(rf"^\s*(?:[-{BULLETS}*](?!\*)|\(?[a-z]{{1,2}}\)|\(?[ivx]{{1,5}}[.)]|[a-z][.)])\s+")
TEMPLATE_HEADING = re.compile(
    r"^(?:What is our ambition|How do we know|What are our plans|What do others? say|To Maintain\b|"
    r"Plans to Improve\b|Specific Examples of Evidence|What do we want to achieve|"
    r"How will we achieve it|Associated Quality Statements|Areas? for (?:improvement|development)|"
    # A CQC local authority assessment's statement page: the same three headings on every page.
    r"What people expect\s*$|The local authority commitment\s*$|Key findings for this quality statement)",
    re.I)
TOC_ENTRY = re.compile(r"^(.*?)(?:\s*\.{2,}\s*|\t+|\s{2,})(\d{1,3})\s*$")
SEPARATOR = re.compile(r"^[\s|:\-–—]*-{2,}[\s|:\-–—]*$")
# A CQC report's score and rating lines ("Score: 3", "Indicative score: 2", "Good", "Anytown scored
# 61 out of 100"): content to quote, not headings, though they stand alone between blank lines.
SCORE_LINE = re.compile(r"^(?:(?:Indicative\s+)?score\b.*\d%?|Outstanding|Good|Requires improvement|Inadequate"
                        r"|\d\s*[-–]\s*Evidence shows\b.*|.*\bscored\s+\d{1,3}(?:\s*%|\s+out\s+of\s+\d+)\b.*)$", re.I)
# A form field or attendance line, "Report to:   CABINET", "Apologies: Councillor B Moran": not a
# heading, unlike "Appendix A: …" or "Part 2: …" whose label ends in an identifier.
# A labelled line ("Lead: Head of Safeguarding", "Is subject to call in?: Yes") is text, not a heading.
FIELD = re.compile(r"^[A-Za-z][\w'’()/-]*(?:\s+[\w'’()/-]+){0,4}(?<!\s[A-Z0-9])(?<!\s[IVX]{2})(?<!\s\d\d)\??:\s*\S")
DATE_LINE = re.compile(rf"^(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+\d{{4}}(?:\s*\(.*\))?$", re.I)


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
    if s[-1] in ".,;:?!-" or "](" in s or "http" in s or ". " in s or DATE_LINE.match(s) or FIELD.match(s):
        return False
    digits = sum(c.isdigit() for c in s)
    return digits <= len(s) * 0.3 and any(c.isalpha() for c in s)


def numbered_title(text: str) -> bool:
    """An agenda item or a report's numbered section title standing alone: "5. Adult Social Care
    Improvement Plan", "41.     APOLOGIES FOR ABSENCE" — short, no sentence punctuation, its words
    capitalised or in capitals."""
    match = NUMBERED.match(text)
    if not match or not re.match(rf"\s*(?:[-{BULLETS}]\s*)?[\d.]+(?:\.\s|\s{{2,}}|\t)", text):
        return False  # "1 Provider Collaborative" is a count in a graphic, "1. Purpose" a title
    title = text[match.end():].strip()
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", title)
    if not words or len(words) > 20 or len(title) > 160 or title[-1] in ".,;:?!" or ". " in title:
        return False
    letters = [c for c in title if c.isalpha()]
    capitals = sum(c.isupper() for c in letters) / len(letters)
    long_words = [w for w in words if len(w) >= 4]
    titled = sum(w[0].isupper() for w in long_words) / max(len(long_words), 1)
    return capitals >= 0.6 or titled >= 0.6


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
    builder = Builder(text)
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
        if RESOLUTION.match(s) and (s[0].isupper() or prev_blank):  # not "…the Committee\nresolved that"
            builder.open("resolution", line)
            builder.label_only = not RESOLUTION.sub("", s).strip(" :-–—")
        elif prev_blank and next_blank and numbered_title(line.text):
            # An agenda item (or a report's numbered section) is a top-level part of the document.
            number = NUMBERED.match(line.text)
            builder.heading(line, "part" if number and "." not in number.group(1) else "generic", s)
        elif (dense or (prev_blank and next_blank)) and _looks_like_heading(s, toc, known_only=dense):
            role, label = heading_role(s, toc)
            builder.heading(line, role, label)
        elif SEPARATOR.match(s) or s in {"--", "—"}:
            builder.attach(line)
        elif is_table_line(line.text):
            builder.table_line(line)
        elif builder.kind == "table_row" and s.endswith("|") and " | " in s:
            builder.extend(line)  # the rest of a pipe-table row its line broke
        elif (match := NUMBERED.match(line.text)) and not (
                builder.kind == "resolution" or (not prev_blank and _wrapped(before) and not LIST_ITEM.match(before))):
            builder.close()
            builder.open("numbered", line, para=match.group(1))
        elif match and builder.kind is not None:
            builder.extend(line)  # a resolution's numbered point, or a number a line wrap put first
        elif LIST_ITEM.match(line.text):
            builder.list_line(line)
        else:
            builder.text_line(line, prev_blank)
    builder.close()
    return builder.blocks


def _wrapped(line: str) -> bool:
    """A long prose line cut mid-sentence ("…had been scored" / "1. The Strategic Director…")."""
    return len(line) >= 50 and (line[-1].islower() or line[-1] == ",")


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
