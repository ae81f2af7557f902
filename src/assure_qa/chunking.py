"""Document -> Chunks by theme and section.

Blocks from ``structure.parse`` are grouped by the heading path they sit under (part or CQC
theme › quality statement(s) › template question › sub-heading) and packed, in order, into
passages of at most ``chunk_max_chars``. A block is never split: a numbered paragraph or a table
row longer than the limit becomes a passage of its own. Each chunk is an exact span of the
source text; its heading path and table header travel beside it as ``context``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .config import Settings
from .records import Block, Chunk, Document
from .structure import parse
from .taxonomy import (
    QUALITY_STATEMENTS,
    classify,
    quality_statement_from_heading,
    statement_page_title,
    theme_of,
)
from .text import plain_text

SEPARATOR = " › "
# Headings of a CQC statement page whose text is the framework's own, identical in every report.
TEMPLATE_SECTIONS = ("what people expect", "the local authority commitment")
ACTION_REF = re.compile(r"^[A-Z]?\d{1,2}\.\d{1,2}$")


@dataclass
class _Path:
    """Where the parser is in the document's outline."""

    part: str | None = None
    theme: str | None = None  # canonical theme
    theme_text: str | None = None  # as the document words it
    statements: list[tuple[str, str | None]] = field(default_factory=list)  # (text, canonical)
    question: str | None = None
    sub: str | None = None
    last_role: str | None = None

    def enter(self, block: Block, text: str) -> None:
        role = block.role
        if role == "theme" and self.last_role == "qs" and self.statements and all(
                c and theme_of(c) == block.label for _, c in self.statements):
            # A CQC statement page: its title ("Anytown Council: safeguarding") comes before
            # the theme line, and the statement stays in force below it.
            self.theme, self.theme_text = block.label, text
        elif role in ("part", "theme"):
            self.part = text if role == "part" else None
            self.theme = block.label if role == "theme" else None
            self.theme_text = text if role == "theme" else None
            self.statements, self.question, self.sub = [], None, None
        elif role == "qs":
            canonical = (quality_statement_from_heading(text, self.theme)
                         or statement_page_title(text))
            if canonical and theme_of(canonical) != self.theme:
                # A statement heading with no theme heading above it names its theme.
                self.theme, self.theme_text, self.part = theme_of(canonical), theme_of(canonical), None
                self.statements = []
            if self.last_role != "qs":
                self.statements = []
            self.statements.append((text, canonical))
            self.question, self.sub = None, None
        elif role == "question":
            self.question, self.sub = text, None
        else:
            self.sub = text
        self.last_role = role

    def path(self) -> str:
        qs = " & ".join(text for text, _ in self.statements) or None
        parts = [self.part, self.theme_text, qs, self.question, self.sub]
        return SEPARATOR.join(p for p in parts if p)

    def named_statements(self) -> tuple[str, ...]:
        return tuple(c for _, c in self.statements if c)


def retrieval_text(chunk: Chunk) -> str:
    """What both retrievers index: the heading path and table header, then the passage as plain
    text (no HTML, no link targets), so a table row reads with its header and the embedder's
    256-token window is spent on words rather than markup."""
    body = plain_text(chunk.text)
    return f"{chunk.context}\n{body}" if chunk.context else body


def chunk_document(doc: Document, settings: Settings | None = None) -> list[Chunk]:
    """Split one document into chunks, in document order."""
    settings = settings or Settings()
    if settings.chunker == "fixed":
        return fixed_chunks(doc, settings.fixed_chunk_chars, settings.fixed_overlap_chars)
    chunks: list[Chunk] = []
    outline = _Path()
    pending: list[Block] = []

    def flush() -> None:
        for group in _pack(pending, settings, doc.page_at):
            chunks.append(_make_chunk(doc, group, outline))
        pending.clear()

    for block in parse(doc.text):
        if block.kind == "heading":
            flush()
            outline.enter(block, doc.text[block.start:block.end].strip(" \t*#"))
        elif block.kind != "contents":
            pending.append(block)
    flush()
    return _unique_ids(chunks)


def fixed_chunks(doc: Document, size: int, overlap: int) -> list[Chunk]:
    """The generic baseline: windows of ``size`` characters overlapping by ``overlap``, cut at
    white space, with no headings, no tables and no paragraph numbers."""
    text, start = doc.text, 0
    chunks: list[Chunk] = []
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            block = Block("paragraph", start + lead, start + lead + len(body))
            chunks.append(_make_chunk(doc, [block], _Path()))
        if end >= len(text):
            break
        nxt = max(end - overlap, start + 1)
        space = text.find(" ", nxt, end)
        start = space + 1 if space != -1 else nxt
    return _unique_ids(chunks)


def _pack(blocks: list[Block], settings: Settings,
          page_at: Callable[[int], int | None]) -> list[list[Block]]:
    """Greedy packing of consecutive blocks on one page; a short tail joins the group before it."""
    groups: list[list[Block]] = []
    for block in blocks:
        alone = _is_action(block)
        if groups and not alone and not _is_action(groups[-1][-1]) and (
                page_at(block.start) == page_at(groups[-1][0].start)) and (
                block.end - groups[-1][0].start <= settings.chunk_max_chars):
            groups[-1].append(block)
        else:
            groups.append([block])
    if len(groups) > 1:
        tail, before = groups[-1], groups[-2]
        tail_len = tail[-1].end - tail[0].start
        if tail_len < settings.chunk_min_chars and page_at(tail[0].start) == page_at(before[0].start) and (
                tail[-1].end - before[0].start <= settings.chunk_max_chars + settings.chunk_min_chars):
            before.extend(groups.pop())
    return groups


def _is_action(block: Block) -> bool:
    """A plan row with its own reference (A1.1, B3.2): one action, retrieved on its own."""
    return block.kind == "table_row" and bool(block.para) and bool(ACTION_REF.match(block.para or ""))


def _make_chunk(doc: Document, blocks: list[Block], outline: _Path) -> Chunk:
    start, end = blocks[0].start, blocks[-1].end
    text = doc.text[start:end]
    section = outline.path()
    headers = list(dict.fromkeys(b.header for b in blocks if b.header))
    context = "\n".join([section, *headers]) if section or headers else ""
    theme, theme_source = outline.theme, "heading" if outline.theme else "none"
    named = outline.named_statements()
    statement: str | None
    if len(named) == 1:
        statement, qs_source = named[0], "heading"
    else:
        within = named or tuple(qs.name for qs in QUALITY_STATEMENTS if theme and qs.theme == theme)
        statement, _ = classify(f"{section}\n{text}", within)
        qs_source = "classifier" if statement else "none"
        if statement and not theme:
            theme, theme_source = theme_of(statement), "classifier"
    chunk = Chunk(
        chunk_id="",
        doc_id=doc.doc_id,
        council=doc.council,
        doc_type=doc.doc_type,
        date=doc.date,
        title=doc.title,
        theme=theme,
        quality_statement=statement,
        theme_source=theme_source,
        qs_source=qs_source,
        section=section,
        paragraphs=tuple(dict.fromkeys(b.para for b in blocks if b.para)),
        page=doc.page_at(start),
        start=start,
        end=end,
        text=text,
        context=context,
        template=(outline.question or "").strip(" :").lower() in TEMPLATE_SECTIONS,
    )
    # The id hashes exactly what is embedded and what is quoted: the same id means the same vector.
    digest = hashlib.sha256(
        f"{doc.doc_id}\x00{retrieval_text(chunk)}\x00{text}".encode()).hexdigest()[:16]
    return replace(chunk, chunk_id=f"{doc.doc_id[:40]}:{digest}")


def _unique_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Identical passages under an identical heading get -2, -3… in document order."""
    seen: dict[str, int] = {}
    result = []
    for chunk in chunks:
        count = seen.get(chunk.chunk_id, 0) + 1
        seen[chunk.chunk_id] = count
        if count > 1:
            chunk = replace(chunk, chunk_id=f"{chunk.chunk_id}-{count}")
        result.append(chunk)
    return result
