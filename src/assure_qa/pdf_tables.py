"""Tables in a PDF's text: rows whose cells wrap over several lines put back together.

A table cell too long for its column wraps: the PDF draws its words on several lines, each line
holding the pieces of every cell that reached it. Read line by line, a row such as
"IP01 | Reduce the median wait for an occupational therapy assessment … | Head of Occupational
Therapy | September 2025" interleaves its cells; no sentence of a cell reads whole, and a quote of
the action does not match the text. So a line close under the row above it, nearer than the
table's rows are to each other (cells are padded), is that row's wrap whatever column it starts in:
its text joins the row's cells column by column, and the row is one line of tab-separated cells, as
``structure`` reads a table row. Where a page's table shows one pitch only, nothing is merged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pdf_layout import PdfLine


def align_wrapped_cells(pages: list[list[PdfLine]]) -> None:
    """A table cell wrapped onto the next line: that line's text goes to its columns (by where it
    starts under the row above), so a cell continued in the second column reads "\tHealth)"."""
    for lines in pages:
        columns: tuple[float, ...] = ()
        for above, line in zip(lines, lines[1:], strict=False):
            if above.table and len(above.cells) >= len(columns):
                columns = tuple(x for x, _ in above.cells)
            if not columns or line.gap_before or not (above.table or above.text.startswith("\t")):
                columns = () if not above.table else columns
                continue
            if not line.table and line.cells[0][0] <= columns[0] + line.size:
                continue  # starts in the first column: a new paragraph or the first cell's wrap
            line.text = "\t".join(_by_column(line, columns)).rstrip("\t")
            line.table = True


def _by_column(line: PdfLine, columns: tuple[float, ...]) -> list[str]:
    """A line's cells in the table's columns, by where each starts."""
    placed = [""] * len(columns)
    for x, text in line.cells:
        column = max((i for i, start in enumerate(columns) if start <= x + line.size / 2), default=0)
        placed[column] = f"{placed[column]} {text}".strip()
    return placed


def _wrap_gap(lines: list[PdfLine]) -> float | None:
    """The gap below which a line is a wrap of the table row above it: halfway between the line
    pitch inside a cell and the larger one between rows (cell padding), from the page's gaps between
    table lines. None when the page shows one pitch only: wraps cannot be told from rows."""
    gaps = sorted(above.y - line.y for above, line in zip(lines, lines[1:], strict=False)
                  if above.table and line.table)
    if not gaps:
        return None
    size = max(line.size for line in lines if line.table)
    wider = [g for g in gaps if g >= gaps[0] + 0.3 * size]
    return (gaps[0] + wider[0]) / 2 if wider else None


def _placed(line: PdfLine, columns: tuple[float, ...]) -> list[str]:
    """A line's cells in the table's columns (a line aligned already, its text starting with a tab,
    is split at its tabs)."""
    if line.text.startswith("\t") or not columns or not line.cells:
        return line.text.split("\t")
    return _by_column(line, columns)


def merge_wrapped_rows(pages: list[list[PdfLine]]) -> None:
    """Each table row with the lines its cells wrapped onto, as one line (module docstring)."""
    for number, lines in enumerate(pages):
        limit = _wrap_gap(lines)
        kept: list[PdfLine] = []
        row: list[str] | None = None
        columns: tuple[float, ...] = ()  # where the cells of the table's widest line start
        last_y = 0.0
        for line in lines:
            if row is not None and limit is not None and last_y - line.y < limit and not (
                    line.gap_before or line.heading):
                for column, text in enumerate(_placed(line, columns)):
                    if text:
                        row.extend([""] * (column + 1 - len(row)))
                        joint = "" if row[column].endswith("-") or not row[column] else " "
                        row[column] = f"{row[column]}{joint}{text}"
                kept[-1].text, kept[-1].table = "\t".join(row).rstrip("\t"), True
                last_y = line.y
                continue
            if not line.table:
                columns = ()
            elif not line.text.startswith("\t") and len(line.cells) > len(columns):
                columns = tuple(x for x, _ in line.cells)
            if line.table and row is not None and limit is not None and last_y - line.y < 2 * limit:
                line.gap_before = False  # the next row of the same table, below a wrapped one
            row = _placed(line, columns) if line.table else None
            if row is not None:
                line.text = "\t".join(row).rstrip("\t")  # a row with an empty first cell keeps its columns
            last_y = line.y
            kept.append(line)
        pages[number] = kept


def drop_repeated_table_headers(pages: list[list[PdfLine]]) -> None:
    """A table header row repeated at the top of a page its table continues onto is dropped."""
    for before, lines in zip(pages, pages[1:], strict=False):
        if not before or not lines or not before[-1].table or not lines[0].table:
            continue
        run = len(before)
        while run > 0 and before[run - 1].table:
            run -= 1
        if before[run].text == lines[0].text and run < len(before) - 1:
            del lines[0]
