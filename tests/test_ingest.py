"""Reading .txt/.md/.pdf, the manifest, inference, and per-file failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

from assure_qa.chunking import chunk_document
from assure_qa.errors import CorpusError
from assure_qa.ingest import scan_corpus

from .conftest import CORPUS, DURHAM


def make_pdf(path: Path) -> None:
    """Three pages: a heading and paragraphs, a table, then a numbered paragraph."""
    styles = getSampleStyleSheet()
    story = [
        Paragraph("Anytown Borough Council", styles["Title"]),
        Paragraph("Adult Social Care Self-Assessment, 12 March 2025", styles["Normal"]),
        Paragraph("Theme 3: Ensuring Safety", styles["Heading2"]),
        Paragraph("We complete safeguarding enquiries within 20 working days.", styles["Normal"]),
        PageBreak(),
        Paragraph("Waiting times", styles["Heading2"]),
        Table([["Measure", "Target", "Actual"], ["Assessment wait", "28 days", "41 days"],
               ["Review wait", "12 months", "14 months"]]),
        PageBreak(),
        Paragraph("Theme 4: Leadership", styles["Heading2"]),
        Paragraph("We will publish a co-production plan by June 2025.", styles["Normal"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def make_encrypted_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 720, "Confidential minutes")
    pdf.save()


def test_manifest_metadata_and_exact_text() -> None:
    scan = scan_corpus(CORPUS)
    assert scan.failures == [] and scan.skipped == []
    docs = {d.doc_id: d for d in scan.documents}
    assert len(docs) == 5
    durham = docs[DURHAM]
    assert (durham.council, durham.doc_type, durham.date) == (
        "Durham County Council", "scrutiny report; improvement plan", "2024-11-18")
    assert durham.inferred == ()
    assert durham.text == (CORPUS / f"{DURHAM}.txt").read_text(encoding="utf-8")
    assert durham.page_starts == ()


def test_unlisted_document_gets_inferred_metadata(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "# Minutes of the Health Scrutiny Committee\n\n14 January 2025\n\n"
        "Members of Anytown Borough Council noted the report. Anytown Borough Council will reply.\n")
    (doc,) = scan_corpus(tmp_path).documents
    assert doc.council == "Anytown Borough Council"
    assert doc.date == "2025-01-14"
    assert doc.doc_type == "minutes"
    assert doc.title == "Minutes of the Health Scrutiny Committee"
    assert set(doc.inferred) == {"title", "council", "doc_type", "date", "source"}


def test_nothing_inferable_is_marked_unknown(tmp_path: Path) -> None:
    (tmp_path / "scrap.txt").write_text("some text without names or dates\n")
    (doc,) = scan_corpus(tmp_path).documents
    assert (doc.council, doc.date, doc.doc_type) == ("unknown", "unknown", "unknown")


def test_pdf_pages_are_kept_for_every_character(tmp_path: Path) -> None:
    make_pdf(tmp_path / "anytown.pdf")
    (doc,) = scan_corpus(tmp_path).documents
    assert len(doc.page_starts) == 3
    assert doc.page_at(doc.text.index("within 20 working days")) == 1
    assert doc.page_at(doc.text.index("Assessment wait")) == 2
    assert doc.page_at(doc.text.index("co-production plan")) == 3
    assert (doc.council, doc.date) == ("Anytown Borough Council", "2025-03-12")
    chunks = chunk_document(doc)
    pages = {c.page for c in chunks}
    assert pages == {1, 2, 3}
    table = next(c for c in chunks if "Assessment wait" in c.text)
    assert table.page == 2 and doc.text[table.start:table.end] == table.text
    leadership = next(c for c in chunks if "co-production plan" in c.text)
    assert leadership.theme == "Leadership"


def test_broken_encrypted_and_empty_files_are_reported_by_name(tmp_path: Path) -> None:
    make_pdf(tmp_path / "good.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    make_encrypted_pdf(tmp_path / "locked.pdf")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    scan = scan_corpus(tmp_path)
    assert [d.path for d in scan.documents] == ["good.pdf"]
    reasons = {f.path: f.reason for f in scan.failures}
    assert set(reasons) == {"broken.pdf", "locked.pdf", "empty.pdf", "blank.txt"}
    assert reasons["locked.pdf"] == "the PDF needs a password to open"
    assert reasons["empty.pdf"] == "the file is empty"
    assert "not a readable PDF" in reasons["broken.pdf"] or "no extractable text" in reasons["broken.pdf"]
    assert scan.skipped == ["picture.png"]
    assert str(scan.failures[0]).startswith(scan.failures[0].path + ": ")


def test_bad_manifest_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text("[[document]\nfile=")
    with pytest.raises(CorpusError, match="not valid TOML"):
        scan_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        scan_corpus(tmp_path / "nowhere")


FIXTURES = Path(__file__).parent / "fixtures"


def test_cqc_assessment_metadata_comes_from_its_title_and_publication_line(tmp_path: Path) -> None:
    for name in ("anytown-cqc-assessment.txt", "brookvale-cqc-pilot-assessment.txt"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    docs = {d.path: d for d in scan_corpus(tmp_path).documents}
    anytown = docs["anytown-cqc-assessment.txt"]
    brookvale = docs["brookvale-cqc-pilot-assessment.txt"]
    assert (anytown.council, anytown.date, anytown.doc_type) == (
        "Anytown Council", "2025-03-14", "CQC report")
    assert anytown.title == "Anytown Council: local authority assessment"
    assert (brookvale.council, brookvale.date, brookvale.doc_type) == (
        "Brookvale Metropolitan Borough Council", "2023-11-21", "CQC report")
