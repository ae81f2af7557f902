"""Lines of a document and the Blocks they are gathered into (``structure.parse`` decides which).

A ``Line`` knows its offsets; ``Builder`` keeps the open block, the current table's header and
whether its rows are keyed by a reference, and closes each block as an exact span of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Block
from .text import HTML_TAG

REF = re.compile(r"^(?:<[^>]+>\s*)*([A-Z]\d{1,2}(?:\.\d{1,2})?)\.?(?=\s|$|<)")
# A table whose first column holds references ("Ref", "No.", "Action ref"): "1.1" there is a key.
NUMBERED_KEY = re.compile(r"^(?:ref(?:erence)?|no|number|#|action\s+(?:ref|no))\.?\s*(?:\||$)", re.I)


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


class Builder:
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
        self.label_only = False  # an open resolution block holds only its label ("Decision:")

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
        if ref is None and self.header and NUMBERED_KEY.match(self.header) and re.fullmatch(r"\d{1,2}\.\d{1,2}", first):
            ref = first  # "| 1.1 | Reduce the waiting list… |" under a "Ref | Action…" header
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
            refs = [m.group(1) for c in row[:2] if (m := REF.match(c))] or [ref]
            self.open("table_row", line, para=max(refs, key=len))
        elif self.kind == "table_row" and (not first or self.keyed) and len(row) > 1:
            self.extend(line)  # a continuation: empty first cell, or no reference in a keyed table
        else:
            para = first.rstrip(".") if re.fullmatch(r"[ivx]{1,5}\.?|\d{1,3}\.?", first) else None
            self.open("table_row", line, para=para)

    def list_line(self, line: Line) -> None:
        if self.kind in ("numbered", "resolution"):
            self.extend(line)  # lettered items belong to their numbered paragraph or resolution
            self.label_only = False
        else:
            self.open("list", line)

    def text_line(self, line: Line, prev_blank: bool) -> None:
        s = line.stripped
        continues = s[:1].islower() or s[:1] in ",;)"
        in_prose = self.kind in ("numbered", "list", "paragraph", "resolution") and (not prev_blank or continues)
        if self.kind == "resolution" and self.label_only:
            self.extend(line)  # "Decision:" reads on into the paragraph that states it
            self.label_only = False
        elif in_prose or (self.kind == "table_row" and continues):
            self.extend(line)
        else:
            self.open("paragraph", line)
