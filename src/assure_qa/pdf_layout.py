"""Lay out a PDF's text the way ``structure`` reads text: from where and how each piece is drawn.

pypdf's ``extract_text(visitor_text=…)`` reports every piece of text with its position, font and
size. From those this module rebuilds each page as lines and decides, before any offset exists:

- **paragraphs**: a vertical gap larger than the document's usual line pitch is a blank line;
- **headings**: a line set larger than the body text (its dominant size by characters), or bold
  where the body is not, stands on its own line between blank lines (a heading wrapped over two
  lines becomes one line), which is what ``structure`` takes for a heading;
- **running headers and footers**: one of the first or last two lines of a page whose text, with
  digits normalised ("Page 3 of 12"), is at the top or bottom of at least half the pages (and at
  least two) is dropped;
- **hyphenated words**: a line ending "letters-" followed on the next line by a letter is joined.
  The hyphen is kept ("self-" + "assessment" -> "self-assessment") when the document writes the
  hyphenated form elsewhere, or the first part is a prefix English hyphenates ("self", "co",
  "non"…) and the document never writes the word closed up; otherwise it is dropped ("assess-" +
  "ment" -> "assessment") when the joined word occurs elsewhere in the document or both sides are
  lower case; a capitalised second part with neither form elsewhere ("Anytown-" + "Borough") keeps
  the hyphen. The rest of the word moves up to the first line;
- **tables**: pieces on one line separated by a gap wider than the font size are cells, joined by
  tabs; a line whose only first "cell" is a paragraph number or list label ("3.1", "(a)") is
  prose, padded with spaces instead. A row whose cells wrap over several lines is put back
  together as one line, each cell's text in its column (``pdf_tables``); a table's header row
  repeated at the top of the next page is dropped, so the table reads on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .pdf_tables import align_wrapped_cells, drop_repeated_table_headers, merge_wrapped_rows
from .text import BULLETS

LABEL = re.compile(rf"^(?:\d{{1,3}}(?:\.\d{{1,3}})*\.?|\(?[a-z]{{1,2}}\)|\(?[ivx]{{1,5}}[.)]|[{BULLETS}\-–*])$")
HYPHEN_PREFIXES = frozenset("self co non ex cross multi well anti pre post semi inter intra sub re "
                            "long short full part over under".split())
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass
class Piece:
    """A run of text drawn at one place: its start, its end (estimated from the font's widths)."""

    x: float
    y: float
    end: float
    size: float
    bold: bool
    text: str


@dataclass
class PdfLine:
    y: float
    pieces: list[Piece]
    text: str = ""
    size: float = 0.0
    bold: bool = False
    table: bool = False
    heading: bool = False
    gap_before: bool = False
    cells: tuple[tuple[float, str], ...] = ()  # (x where it starts, text) of each cell


def _mult(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def _width_function(font: Any) -> Callable[[str], float]:
    """Width in thousandths of an em of a text in ``font`` (a PDF font dictionary); half an em a
    character when the font's widths cannot be read."""
    try:
        from pypdf.generic._font import Font

        metrics = Font.from_font_resource(font)
        return metrics.get_text_width
    except Exception:  # noqa: BLE001 - any font pypdf cannot measure falls back to an estimate
        return lambda text: 500.0 * len(text)


def _weight(font: Any) -> float:
    """The font descriptor's /FontWeight (400 regular, 700 bold); 0 when absent or unreadable."""
    try:
        descriptor = font.get("/FontDescriptor") if font else None
        return float(descriptor.get_object().get("/FontWeight", 0) or 0) if descriptor is not None else 0.0
    except (AttributeError, TypeError, ValueError):
        return 0.0


def page_pieces(page: Any) -> list[Piece]:
    """Every piece of text on a pypdf page, with position, effective size and weight."""
    pieces: list[Piece] = []
    widths: dict[int, Callable[[str], float]] = {}

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        if not text or not text.strip():
            return
        m = _mult(tm, cm)
        scale = (m[2] ** 2 + m[3] ** 2) ** 0.5 or 1.0
        effective = round(float(size) * scale * 2) / 2
        name = str(font.get("/BaseFont", "")) if font else ""
        bold = bool(_BOLD.search(name)) or _weight(font) >= 600
        key = id(font)
        if key not in widths:
            widths[key] = _width_function(font) if font else (lambda t: 500.0 * len(t))
        x, y = m[4], m[5]
        for k, part in enumerate(text.split("\n")):
            if part.strip():
                width = widths[key](part) * float(size) * ((m[0] ** 2 + m[1] ** 2) ** 0.5 or 1.0) / 1000
                pieces.append(Piece(x, y - k * effective * 1.2, x + width, effective, bold, part))

    page.extract_text(visitor_text=visit)
    return pieces


def lines_of(pieces: list[Piece]) -> list[PdfLine]:
    """Pieces grouped into lines, top to bottom; cells split by wide gaps become tab-separated."""
    ordered = sorted(pieces, key=lambda p: -p.y)
    lines: list[PdfLine] = []
    for piece in ordered:
        if lines and abs(lines[-1].y - piece.y) <= 0.4 * max(piece.size, 1.0):
            lines[-1].pieces.append(piece)
        else:
            lines.append(PdfLine(piece.y, [piece]))
    for line in lines:
        line.pieces.sort(key=lambda p: p.x)
        _compose(line)
    return lines


def _compose(line: PdfLine) -> None:
    cells: list[str] = [line.pieces[0].text.strip()]
    starts = [line.pieces[0].x]
    for before, piece in zip(line.pieces, line.pieces[1:], strict=False):
        gap = piece.x - before.end
        text = piece.text.strip()
        if gap > max(piece.size, before.size):
            cells.append(text)
            starts.append(piece.x)
        elif gap > 0.12 * piece.size or before.text.endswith(" ") or piece.text.startswith(" "):
            cells[-1] = f"{cells[-1]} {text}"
        else:
            cells[-1] += text
    if len(cells) == 2 and LABEL.match(cells[0]):
        padding = " " * max(2, round((line.pieces[1].x - line.pieces[0].end) / max(line.pieces[0].size * 0.5, 1)))
        line.text, line.table = cells[0] + padding + cells[1], False
    else:
        line.text, line.table = "\t".join(c.replace("\t", " ") for c in cells), len(cells) > 1
    line.size = max(p.size for p in line.pieces)
    line.bold = all(p.bold for p in line.pieces)
    line.cells = tuple(zip(starts, cells, strict=True))


def _furniture_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def drop_running_lines(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Pages without their running headers and footers (see the module docstring)."""
    if len(pages) < 2:
        return pages
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_furniture_key(line.text) for line in lines[:2] + lines[-2:]})
    threshold = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in seen.items() if count >= threshold}
    result = []
    for lines in pages:
        edge = {id(line) for line in lines[:2] + lines[-2:]}
        result.append([line for line in lines
                       if not (id(line) in edge and _furniture_key(line.text) in running)])
    return result


def body_size(pages: list[list[PdfLine]]) -> tuple[float, bool]:
    """The size and weight most characters of the document's prose (not its tables) are set in."""
    counts: Counter[tuple[float, bool]] = Counter()
    for lines in pages:
        for line in lines:
            for piece in [] if line.table else line.pieces:
                counts[(piece.size, piece.bold)] += len(piece.text.strip())
    return counts.most_common(1)[0][0] if counts else (0.0, False)


def mark_layout(pages: list[list[PdfLine]]) -> None:
    """Headings (larger or bolder than the body) and paragraph gaps (wider than the usual pitch)."""
    size, bold = body_size(pages)
    pitches: Counter[float] = Counter()
    for lines in pages:
        for a, b in zip(lines, lines[1:], strict=False):
            if a.size == size and b.size == size:
                pitches[round(a.y - b.y, 1)] += 1
    pitch = pitches.most_common(1)[0][0] if pitches else size * 1.2
    for lines in pages:
        for i, line in enumerate(lines):
            words = len(line.text.split())
            larger = line.size >= size + 0.9 and not any(p.size < size + 0.9 for p in line.pieces)
            bolder = line.bold and not bold and line.size >= size - 0.5
            line.heading = (larger or bolder) and not line.table and words <= 16
            if i and not (line.table and lines[i - 1].table):  # rows of one table stay together
                line.gap_before = lines[i - 1].y - line.y > max(pitch * 1.35, lines[i - 1].size * 1.5)


def join_hyphens(pages: list[list[PdfLine]]) -> None:
    """Words hyphenated over a line break, joined by the rule in the module docstring."""
    words: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            words.update(w.lower() for w in _WORD.findall(line.text))
    for lines in pages:
        for line, following in zip(lines, lines[1:], strict=False):
            match = re.search(r"([A-Za-z]+)-$", line.text)
            nxt = re.match(r"([A-Za-z]+)([,.;:!?)]*)", following.text)
            if not match or not nxt or line.table or following.table or following.gap_before:
                continue
            left, right = match.group(1), nxt.group(1)
            hyphenated, closed = f"{left}-{right}".lower(), f"{left}{right}".lower()
            keep = words[hyphenated] > 0 or (left.lower() in HYPHEN_PREFIXES and not words[closed])
            drop = not keep and (words[closed] > 0 or (left.islower() and right.islower()))
            if not keep and not drop:
                keep = True
            line.text = line.text[:-1] + ("-" if keep else "") + right + nxt.group(2)
            following.text = following.text[nxt.end():].lstrip()


def page_text(lines: list[PdfLine]) -> str:
    """One page's text: headings between blank lines, a blank line at every paragraph gap."""
    out: list[str] = []
    previous_heading: PdfLine | None = None
    for line in lines:
        if not line.text.strip():
            continue
        if line.heading and previous_heading is not None and out and out[-1] == previous_heading.text \
                and line.size == previous_heading.size and not line.gap_before:
            previous_heading.text = f"{previous_heading.text} {line.text}"
            out[-1] = previous_heading.text  # a heading wrapped over two lines is one heading
            continue
        if out and out[-1] != "" and (line.heading or line.gap_before or previous_heading is not None):
            out.append("")
        out.append(line.text)
        previous_heading = line if line.heading else None
    return "\n".join(out)


def layout_pages(pieces_by_page: list[list[Piece]]) -> list[str]:
    """The text of each page, laid out as described in the module docstring."""
    pages = drop_running_lines([lines_of(pieces) for pieces in pieces_by_page])
    mark_layout(pages)
    align_wrapped_cells(pages)
    merge_wrapped_rows(pages)
    drop_repeated_table_headers(pages)
    join_hyphens(pages)
    return [page_text(lines) for lines in pages]
