"""PDFs as councils publish them: headings from fonts, running headers and footers dropped,
hyphenated words joined, table rows kept whole over a page break, every passage on its page."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from assure_qa.chunking import chunk_document
from assure_qa.commitments import extract
from assure_qa.ingest import scan_corpus
from assure_qa.pdf_layout import PdfLine, Piece, drop_running_lines, join_hyphens
from assure_qa.pdf_tables import align_wrapped_cells, merge_wrapped_rows
from assure_qa.records import Document
from assure_qa.structure import parse

BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=13, spaceAfter=6)
NUMBERED = ParagraphStyle("numbered", parent=BODY, leftIndent=1.5 * cm, bulletIndent=0)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=18, leading=22, spaceAfter=10)
H2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=8, spaceAfter=6)
H3 = ParagraphStyle("h3", fontName="Times-Bold", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=4)
HEADER = "Anytown Borough Council | Adults and Health Scrutiny Committee"
FILLER = ("The service reviewed how people are supported at home and what they told us about it. "
          "Staff spoke about the pressures of winter and how they were managed with partners. ") * 3


def _furniture(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(2 * cm, A4[1] - 1.2 * cm, HEADER)
    canvas.drawRightString(A4[0] - 2 * cm, 1 * cm, f"Page {doc.page} of 2")
    canvas.restoreState()


def published_pdf() -> bytes:
    """A self-assessment set in three fonts and four sizes, a running header and a page footer on
    every page, words hyphenated at line ends and a 50-row table that runs onto page 2 with its
    header row repeated there."""
    rows = [["Action", "Lead", "Target"]] + [
        [f"A{i}. Review carers support in locality {i}", "Head of Service", f"June {2025 + i % 2}"]
        for i in range(1, 51)]
    story = [
        Paragraph("Adult Social Care Self-Assessment 2025", TITLE),
        Paragraph("Assessing needs", H2),
        Paragraph("Our self-assessment sets out what we do well. " + FILLER, BODY),
        Paragraph("We complete a Care Act assess-<br/>ment for every person who asks within 28 days, "
                  "and our self-<br/>assessment was checked by peers.", NUMBERED, bulletText="3.1"),
        Paragraph("Waiting lists", H3),
        Paragraph("The assessment waiting list fell from 1,203 people to 886 people in six months. " + FILLER,
                  BODY),
        Table(rows, repeatRows=1, colWidths=[9 * cm, 4 * cm, 3 * cm]),
        Paragraph("Carers", H2),
        Paragraph("Unpaid carers are offered an assessment of their own.", BODY),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=_furniture, onLaterPages=_furniture)
    return out.getvalue()


def _document(tmp_path: Path) -> Document:
    (tmp_path / "anytown-self-assessment.pdf").write_bytes(published_pdf())
    scan = scan_corpus(tmp_path)
    assert scan.failures == []
    (doc,) = scan.documents
    return doc


def test_headings_from_font_size_and_weight_give_sections(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    headings = [doc.text[b.start:b.end] for b in parse(doc.text) if b.kind == "heading"]
    # Larger (18 and 13 pt Helvetica Bold) and bolder (Times Bold at the body's 10.5 pt) lines.
    assert headings == ["Adult Social Care Self-Assessment 2025", "Assessing needs", "Waiting lists", "Carers"]
    chunks = chunk_document(doc)
    waiting = next(c for c in chunks if "fell from 1,203 people" in c.text)
    assert waiting.section.endswith("Waiting lists")
    carers = next(c for c in chunks if "Unpaid carers are offered" in c.text)
    assert carers.section.endswith("Carers") and carers.page == 2
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


def test_running_header_and_page_footer_are_dropped(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    assert len(doc.page_starts) == 2
    assert HEADER not in doc.text and "Adults and Health Scrutiny Committee" not in doc.text
    assert "Page 1 of 2" not in doc.text and "Page 2 of 2" not in doc.text


def test_hyphenated_words_are_joined_and_compounds_keep_their_hyphen(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    assert "a Care Act assessment" in doc.text and "assess-" not in doc.text
    assert "our self-assessment\n" in doc.text  # written "self-assessment" elsewhere: the hyphen stays
    assert "selfassessment" not in doc.text
    # the numbered paragraph keeps its number, padded, on the line it starts
    assert "3.1      We complete a Care Act assessment\n" in doc.text


def test_table_rows_stay_rows_over_the_page_break(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    blocks = parse(doc.text)
    rows = [b for b in blocks if b.kind == "table_row"]
    assert len(rows) == 50  # the header repeated on page 2 is not a row
    assert all(b.header == "Action | Lead | Target" for b in rows)
    assert doc.text[rows[0].start:rows[0].end] == "A1. Review carers support in locality 1\tHead of Service\tJune 2026"
    assert doc.text.count("Action\tLead\tTarget") == 1
    pages = [doc.page_at(b.start) for b in rows]
    assert pages[0] == 1 and pages[-1] == 2 and pages == sorted(pages)
    assert next(c for c in chunk_document(doc) if "locality 50\t" in c.text).page == 2


def _line(text: str, gap: bool = False) -> PdfLine:
    return PdfLine(0.0, [Piece(0.0, 0.0, 1.0, 10.0, False, text)], text=text, gap_before=gap)


def test_a_line_close_under_a_row_is_its_wrap_and_one_a_row_apart_is_a_row_of_its_own() -> None:
    """Inside a cell lines are 11 points apart; rows, with the cells' padding, 17. A line with an
    empty first cell 17 points down is a new row, not a wrap; on a page whose table shows one pitch
    only (no padding), nothing is merged: wraps cannot be told from rows there."""
    def line(y: float, *cells: tuple[float, str]) -> PdfLine:
        pieces = [Piece(x, y, x + 5 * len(t), 9.0, False, t) for x, t in cells]
        text = "\t".join(t for _, t in cells)
        return PdfLine(y, pieces, text=text, size=9.0, table=len(cells) > 1, cells=tuple(cells))

    page = [line(700, (50, "Ref"), (100, "Action"), (300, "Lead")),
            line(683, (50, "A1"), (100, "Reduce the waiting"), (300, "Head of")),
            line(672, (100, "list to 500"), (300, "Operations")),
            line(655, (100, "Report to the Committee"), (300, "Director")),
            line(638, (50, "A2"), (100, "Open the hub"), (300, "Director"))]
    pages = [page]
    align_wrapped_cells(pages)
    merge_wrapped_rows(pages)
    assert [x.text for x in pages[0]] == ["Ref\tAction\tLead", "A1\tReduce the waiting list to 500\tHead of Operations",
                                          "\tReport to the Committee\tDirector", "A2\tOpen the hub\tDirector"]
    even = [[line(700 - 11 * i, (50, f"A{i}"), (100, "Action"), (300, "Lead")) for i in range(3)]
            + [line(667, (100, "Report to the Committee"), (300, "Director"))]]
    merge_wrapped_rows(even)
    assert len(even[0]) == 4


def test_hyphen_rule() -> None:
    lines = [_line("an assess-"), _line("ment of need"), _line("a well-"), _line("being check"),
             _line("the Anytown-"), _line("Borough line"), _line("a multi-"), _line("agency"),
             _line("a Re-"), _line("view", gap=True), _line("we co-"), _line("ordinate care"),
             _line("and coordinate it.")]
    join_hyphens([lines])
    assert [line.text for line in lines] == ["an assessment", "of need", "a well-being", "check",
                                             "the Anytown-Borough", "line", "a multi-agency", "",
                                             "a Re-", "view", "we coordinate", "care", "and coordinate it."]


def test_running_lines_are_those_repeated_at_the_edges_of_half_the_pages() -> None:
    words = ["Carers", "Safeguarding", "Workforce"]
    pages = [[_line("Anytown Council Self-Assessment"), _line(f"{words[n - 1]} comes first on this page"),
              _line("We will act."), _line("We will act."), _line(f"{words[n - 1]} ends it."),
              _line(f"Page {n} of 3")] for n in range(1, 4)]
    pages[1][0] = _line("A heading only page 2 starts with")
    kept = drop_running_lines(pages)
    # lines repeated in the middle of the pages are body text
    assert [line.text for line in kept[0]] == ["Carers comes first on this page", "We will act.", "We will act.",
                                               "Carers ends it."]
    # the header line is dropped on the two pages it heads; page 2's own first line is kept
    assert [line.text for line in kept[1]][:2] == ["A heading only page 2 starts with",
                                                   "Safeguarding comes first on this page"]
    single = [[_line("Page 1 of 1"), _line("Only page.")]]
    assert drop_running_lines(single) == single


def test_a_row_whose_cells_wrap_reads_as_one_line_with_each_cell_whole(tmp_path: Path) -> None:
    """Cells wrapped over several lines (in any column, the first too) are put back in their row,
    each cell whole, so a quote of an action or an indicator matches the text as read."""
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
    rows = [["Ref", "Action", "Lead", "Target date"],
            ["1.1", Paragraph("Reduce the waiting list for Care Act assessments to fewer than 500 people", cell),
             Paragraph("Head of Commissioning (Adults and Health)", cell), "March 2026"],
            ["1.2", "Publish the carers strategy", Paragraph("Principal Social Worker", cell), "June 2025"]]
    figures = [["Indicator", "Anytown", "England"],
               [Paragraph("People receiving long-term support who were reviewed in the last 12 months", cell),
                "58%", "57%"],
               ["Carers satisfied with support", "33.8%", "36.3%"]]
    story = [Paragraph("Our improvement plan for the year.", BODY),
             Table(rows, colWidths=[1.2 * cm, 7 * cm, 3.5 * cm, 3 * cm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
             Paragraph("Progress is reported to the Committee every quarter.", BODY),
             Table(figures, colWidths=[6 * cm, 3 * cm, 3 * cm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    (tmp_path / "anytown-plan.pdf").write_bytes(out.getvalue())
    (doc,) = scan_corpus(tmp_path).documents
    assert [line for line in doc.text.split("\n") if "\t" in line] == [
        "Ref\tAction\tLead\tTarget date",
        "1.1\tReduce the waiting list for Care Act assessments to fewer than 500 people\t"
        "Head of Commissioning (Adults and Health)\tMarch 2026",
        "1.2\tPublish the carers strategy\tPrincipal Social Worker\tJune 2025",
        "Indicator\tAnytown\tEngland",
        "People receiving long-term support who were reviewed in the last 12 months\t58%\t57%",
        "Carers satisfied with support\t33.8%\t36.3%"]
    assert "Progress is reported to the Committee every quarter." in doc.text.split("\n")
    actions = [(c.ref, c.action, c.lead, c.due) for c in extract(doc, chunk_document(doc)) if c.kind == "plan action"]
    assert actions == [
        ("1.1", "Reduce the waiting list for Care Act assessments to fewer than 500 people",
         "Head of Commissioning (Adults and Health)", "2026-03-31"),
        ("1.2", "Publish the carers strategy", "Principal Social Worker", "2025-06-30")]
