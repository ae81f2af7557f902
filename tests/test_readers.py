"""Every file a council publishes gets in, or says why not; nothing from outside corpus/ does."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from assure_qa import Settings, cli
from assure_qa.chunking import chunk_document
from assure_qa.index import build_index, read_manifest
from assure_qa.ingest import scan_corpus
from assure_qa.readers import decode_text, html_to_text

from .conftest import FakeEmbedder, one_document


def pdf_bytes() -> bytes:
    styles = getSampleStyleSheet()
    story = [Paragraph("Anytown Borough Council", styles["Title"]),
             Paragraph("We complete safeguarding enquiries within 20 working days.", styles["Normal"]),
             PageBreak(),
             Paragraph("We will publish a carers strategy by June 2025.", styles["Normal"])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def owner_only(algorithm: str) -> bytes:
    """A PDF anyone can open (empty user password) whose owner password restricts printing."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_owner_password_pdfs_are_read_with_their_pages(tmp_path: Path, algorithm: str) -> None:
    data = owner_only(algorithm)
    assert PdfReader(io.BytesIO(data)).is_encrypted
    (tmp_path / "plan.pdf").write_bytes(data)
    scan = scan_corpus(tmp_path)
    assert scan.failures == []
    (doc,) = scan.documents
    assert doc.page_at(doc.text.index("within 20 working days")) == 1
    assert doc.page_at(doc.text.index("carers strategy by June 2025")) == 2


def make_docx(path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Anytown Borough Council: Carers Plan", level=1)
    word.add_paragraph("Published 3 February 2025 by the Adult Social Care Directorate.")
    word.add_heading("What we will do", level=2)
    word.add_paragraph("We will:")
    word.add_paragraph("Open a carers hub in every locality.", style="List Bullet")
    word.add_paragraph("Offer a carer's assessment within 28 days.", style="List Bullet")
    table = word.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Action", "Lead", "Target"),
                                       ("Carers hub", "Head of Commissioning", "June 2025"),
                                       ("Assessments", "Principal Social Worker", "March 2026")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    word.save(str(path))


def test_a_word_document_keeps_headings_lists_and_table_rows(tmp_path: Path) -> None:
    make_docx(tmp_path / "carers-plan.docx")
    (doc,) = scan_corpus(tmp_path).documents
    assert doc.text.startswith("Anytown Borough Council: Carers Plan\n\nPublished 3 February 2025")
    assert "We will:\n• Open a carers hub in every locality.\n• Offer a carer's assessment within 28 days." in doc.text
    assert "Action\tLead\tTarget\nCarers hub\tHead of Commissioning\tJune 2025\n" in doc.text
    assert (doc.council, doc.date) == ("Anytown Borough Council", "2025-02-03")
    chunks = chunk_document(doc)
    row = next(c for c in chunks if "Head of Commissioning" in c.text)
    assert row.section == "What we will do" and "Action | Lead | Target" in row.context
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


PAGE = """<!doctype html><html><head><title>Minutes</title><style>p { color: red }</style>
<script>var secret = "do not index this";</script></head>
<body><nav><a href="/">Home</a> | <a href="/meetings">Meetings</a></nav>
<main><h1>Adults Scrutiny Committee, 14 January 2025</h1>
<p>Members of Anytown Borough Council noted the report &amp; its appendices.</p>
<h2>Resolved</h2><ul><li>That the carers strategy be approved.</li><li>That officers report back in June.</li></ul>
<table><tr><th>Action</th><th>Lead</th></tr><tr><td>Carers hub</td><td>Head of Commissioning</td></tr></table>
<script>track();</script></main><footer>Cookies | Accessibility</footer></body></html>"""


def test_a_web_page_keeps_its_main_text_and_drops_scripts_and_navigation(tmp_path: Path) -> None:
    assert html_to_text(PAGE) == (
        "Adults Scrutiny Committee, 14 January 2025\n\n"
        "Members of Anytown Borough Council noted the report & its appendices.\n\n"
        "Resolved\n\n"
        "• That the carers strategy be approved.\n• That officers report back in June.\n\n"
        "Action\tLead\nCarers hub\tHead of Commissioning\n")
    (tmp_path / "minutes.html").write_text(PAGE, encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    assert "secret" not in doc.text and "Cookies" not in doc.text and "Meetings" not in doc.text
    assert doc.date == "2025-01-14"
    # the "Resolved" heading opens a resolution block that holds its points
    (chunk,) = [c for c in chunk_document(doc) if "Resolved" in c.text]
    assert "Resolved\n\n• That the carers strategy be approved.\n• That officers report back in June." in chunk.text


@pytest.mark.parametrize("raw, encoding", [
    ("Café provision – 20 days\n".encode("utf-16"), "utf-16"),
    ("Café provision – 20 days\n".encode("utf-8-sig"), "utf-8-sig"),
    ("Café provision – 20 days\n".encode("utf-16-le"), "utf-16-le"),
    ("Café provision – 20 days\n".encode("cp1252"), "cp1252"),
    ("Café provision – 20 days\n".encode(), "utf-8"),
])
def test_text_encodings_are_detected_and_named(raw: bytes, encoding: str) -> None:
    read = decode_text(raw, "notes.txt")
    assert (read.text, read.encoding) == ("Café provision – 20 days\n", encoding)


def test_binary_files_links_out_of_the_corpus_duplicates_and_unknown_types_are_reported(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("Private notes that must never be indexed.\n")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "notes.txt").symlink_to(outside / "secret.txt")
    (corpus / "shared").symlink_to(outside, target_is_directory=True)
    (corpus / "plan.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    (corpus / "plan copy.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    (corpus / "data.bin.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04")
    scan = scan_corpus(corpus)
    assert [d.path for d in scan.documents] == ["plan copy.txt"]
    assert scan.duplicates == [("plan.txt", "plan copy.txt")]
    reasons = {f.path: f.reason for f in scan.failures}
    assert set(reasons) == {"passwd.txt", "notes.txt", "shared", "data.bin.txt"}
    assert all(reasons[p].startswith("refused: it is a link to a file outside the corpus folder")
               for p in ("passwd.txt", "notes.txt", "shared"))
    assert reasons["data.bin.txt"] == "looks like a binary file, not text"
    assert scan.skipped == ["slides.pptx"]
    assert not any("root:" in d.text or "Private" in d.text for d in scan.documents)


def test_a_link_inside_the_corpus_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    os.symlink("plan.txt", tmp_path / "alias.txt")
    scan = scan_corpus(tmp_path)
    assert [d.path for d in scan.documents] == ["plan.txt"] and scan.failures == []
    assert scan.duplicates == [("alias.txt", "plan.txt")]  # the real file stays, not the link


def test_adding_a_copy_keeps_the_indexed_file_and_the_manifest_decides_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    (corpus / "a-copy.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    report = build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assert report.up_to_date is False and report.added == [] and report.dropped == []
    assert report.duplicates == [("a-copy.txt", "plan.txt")]
    (corpus / "manifest.toml").write_text('[[document]]\nfile = "a-copy.txt"\ncouncil = "Anytown Borough Council"\n')
    scan = scan_corpus(corpus, indexed=["plan.txt"])
    assert [d.path for d in scan.documents] == ["a-copy.txt"] and scan.duplicates == [("plan.txt", "a-copy.txt")]


def test_a_file_replaced_by_a_link_out_of_the_corpus_is_not_served_from_before(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (corpus / "keep.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    (corpus / "notes.txt").write_text("Anytown publishes its carers strategy in May 2025.\n")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    (outside / "secret.txt").write_text("Private notes that must never be indexed.\n")
    (corpus / "notes.txt").unlink()
    (corpus / "notes.txt").symlink_to(outside / "secret.txt")
    report = build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assert [f.path for f in report.failures] == ["notes.txt"] and report.stale == []
    manifest = read_manifest(tmp_path / "index")
    assert [m["path"] for m in manifest["documents"].values()] == ["keep.txt"]


def test_the_index_command_prints_a_summary_and_fails_only_when_nothing_is_indexed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04")
    assert cli.main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "failed   broken.pdf   not a readable PDF" in out
    assert "skipped  slides.pptx  unsupported type: assure-qa reads .txt, .md, .pdf, .docx, .html, .htm" in out
    assert "no document could be indexed" in err

    (corpus / "plan.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    (corpus / "copy.txt").write_text("Anytown will open a carers hub by June 2025.\n")
    report = build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assert report.added == ["copy.txt"] and report.duplicates == [("plan.txt", "copy.txt")]
    assert [f.path for f in report.failures] == ["broken.pdf"] and report.skipped == ["slides.pptx"]
    (corpus / "copy.txt").write_text("Anytown will open a carers hub by July 2025.\n")
    report = build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assert (report.added, report.updated) == (["plan.txt"], ["copy.txt"])


def test_hidden_elements_end_where_they_end_and_cells_keep_their_lists() -> None:
    page = ("<body><div hidden>Cookie banner<p>Accept all</div><p>Keep this text.</p>"
            "<table><tr><th>Action</th><th>Steps</th></tr>"
            "<tr><td>Carers hub</td><td><ul><li>Find a site</li><li>Open it</li></ul></td></tr></table>"
            "<img hidden src='x.png'><p>And this.</p></body>")
    assert html_to_text(page) == (
        "Keep this text.\n\nAction\tSteps\nCarers hub\tFind a site Open it\n\nAnd this.\n")


def test_an_articles_own_header_is_kept_inside_main() -> None:
    page = ("<body><header>Site banner</header><main><article><header><h1>Carers Strategy</h1></header>"
            "<p>Body text.</p><footer>Share this page</footer></article></main></body>")
    assert html_to_text(page) == "Carers Strategy\n\nBody text.\n"


def test_a_definition_list_reads_as_labelled_lines() -> None:
    """A page's "Date of assessment" / "3 March 2025" pair is one line, so the date reads with what
    it is the date of; a value without a term stays on its own."""
    page = ("<p>Intro.</p><dl>\n  <dt>Date of assessment</dt>\n  <dd>3 March 2025 to 7 March 2025</dd>\n"
            "  <dt>Local authority type</dt>\n  <dd>County council</dd>\n</dl><dl><dd>A value alone</dd></dl>")
    assert html_to_text(page) == ("Intro.\n\nDate of assessment: 3 March 2025 to 7 March 2025\n\n"
                                  "Local authority type: County council\n\nA value alone\n")


TRACKER = ("Anytown CQC action tracker\r\nPurpose: progress update for Adults Scrutiny, 24 September 2025\r\n\r\n"
           "Ref\tArea for improvement\tAction\tLead officer\tTarget date\tRAG status\tProgress update\r\n"
           "1.1\tAssessing needs\tReduce the Care Act assessment waiting list to under 300 people\t"
           "Head of Adult Social Work\t31/03/2026\tAmber\t\"Waiting list at 412 in August 2025.\r\n"
           "Agency team extended to December.\"\r\n"
           "2.1\tSafeguarding\tTriage all safeguarding concerns within 2 working days\tHead of Safeguarding\t"
           "30/09/2025\tRed\t\"Triage within 2 days for 61% of concerns in Q1.\r\nRevised date: 31/12/2025.\"\r\n")


def test_windows_line_breaks_are_read_as_one_kind_and_citations_resolve(tmp_path: Path) -> None:
    """A tracker exported from Excel as tab-separated text has "\\r\\n" line breaks (and line breaks
    inside quoted cells). Its text has "\\n" only, and every answer cites offsets that resolve in
    the stored text: before, the stored text lost its "\\r"s on reading and answers failed."""
    assert decode_text(TRACKER.encode("utf-8"), "t.txt").text == TRACKER.replace("\r\n", "\n")
    assert decode_text(b"one\rtwo\r\n", "t.txt").text == "one\ntwo\n"
    assistant = one_document(tmp_path, "anytown-action-tracker.txt", TRACKER.encode("utf-8"))
    for question in ("When is the revised date for safeguarding triage?", "What was the waiting list in August 2025?",
                     "Who leads the waiting list action?"):
        answer = assistant.ask(question)
        assert answer.found
        for citation in answer.citations:
            assert assistant.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


DECISION_PAGE = """<html><body><nav>Home</nav><main><h1>Decision details</h1><h2>Recommissioning of advocacy</h2>
<p><span class="mgLabel">Decision Maker: </span>Cabinet</p>
<p><strong>Is Key decision?:</strong> Yes</p>
<p><span class="mgLabel">Is subject to call in?: </span>Yes</p>
<dl><dt>Decision status:</dt><dd>Recommendations Approved</dd></dl>
<h3>Decision:</h3><p>Cabinet agreed to award a five-year contract worth £2.4 million.</p>
</main></body></html>"""


def test_a_decision_page_keeps_each_label_with_its_value_in_a_passage(tmp_path: Path) -> None:
    """modern.gov writes a decision's fields as a label element and its value: the space between
    them is kept ("Decision Maker: Cabinet", not "Maker:Cabinet"), a term that ends in a colon gets
    no second one, and a labelled line that asks ("Is subject to call in?: Yes") is text in a passage,
    not a heading."""
    text = html_to_text(DECISION_PAGE)
    for line in ("Decision Maker: Cabinet", "Is Key decision?: Yes", "Is subject to call in?: Yes",
                 "Decision status: Recommendations Approved"):
        assert f"\n{line}\n" in text
    (tmp_path / "anytown-decision.html").write_text(DECISION_PAGE, encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    passages = " ".join(c.text for c in chunk_document(doc))
    assert "Is subject to call in?: Yes" in passages and "Is Key decision?: Yes" in passages


def test_a_tab_separated_rows_quoted_cells_keep_the_row_on_one_line(tmp_path: Path) -> None:
    """Excel quotes a cell that holds line breaks; its breaks are read as spaces, so the progress
    update reads with its row's action, lead and dates. A quote that opens no cell (prose, or one
    never closed) is left as it is."""
    from assure_qa.readers import rows_joined

    assert rows_joined('1.1\tCut waits\t"At 412.\nAgency extended."\n"Quoted" prose.\nA\t"open\nB\tC\n') == (
        '1.1\tCut waits\t"At 412. Agency extended."\n"Quoted" prose.\nA\t"open\nB\tC\n')
    assistant = one_document(tmp_path, "anytown-action-tracker.txt", TRACKER.encode("utf-8"))
    answer = assistant.ask("What is the revised date for triaging safeguarding concerns?")
    quote = answer.citations[0].quote
    assert "Head of Safeguarding" in quote and "Revised date: 31/12/2025" in quote and "\n" not in quote
