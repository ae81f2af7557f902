"""Managing documents from the app: safe names, uploads described in the manifest, removal, and
the background build that keeps the last good index answering until the new one is ready."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assure_qa import Assistant, Settings
from assure_qa.errors import BadQuestion, UnreadableDocument
from assure_qa.index import build_index
from assure_qa.library import safe_name, without_entry
from assure_qa.ui import _message_text, build_demo

from .conftest import FailingEmbedder, FakeEmbedder
from .test_app import callback, chromium_page, on_loopback
from .test_readers import make_docx, pdf_bytes

CARERS = ("Anytown Borough Council\n\nCarers\n\nAnytown Borough Council funds respite breaks for unpaid carers "
          "every month, published 4 March 2025.\n")
MANIFEST = "# Describe each file.\nexclude = [\"SOURCES.md\"]\n"


@pytest.fixture
def managed(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "carers.txt").write_text(CARERS, encoding="utf-8")
    (corpus / "transport.txt").write_text("Transport\n\nDial-a-ride buses run on weekdays in Anytown.\n",
                                          encoding="utf-8")
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    return Assistant.open(tmp_path / "index", embedder=FakeEmbedder(), corpus_dir=corpus)


@pytest.mark.parametrize("given, safe", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\me\\My Report (final).PDF", "My-Report-final.pdf"),
    (".hidden.md", "hidden.md"),
    ("Durham – plan 2025.docx", "Durham-plan-2025.docx"),
    ("...html", "document.html"),
])
def test_upload_names_are_plain_file_names(given: str, safe: str) -> None:
    assert safe_name(given) == safe


@pytest.mark.parametrize("given", ["slides.pptx", "plan", "archive.tar.gz"])
def test_upload_of_an_unsupported_type_is_refused_by_name(given: str) -> None:
    with pytest.raises(UnreadableDocument, match="unsupported type"):
        safe_name(given)


def test_an_upload_is_described_in_the_manifest_indexed_and_answered(managed: Assistant, tmp_path: Path) -> None:
    upload = tmp_path / "uploads" / "Carers Plan (Anytown).docx"
    upload.parent.mkdir()
    make_docx(upload)
    guess = managed.describe_upload(upload, upload.name)
    assert (guess.file, guess.council, guess.date) == ("Carers-Plan-Anytown.docx", "Anytown Borough Council",
                                                       "2025-02-03")
    name = managed.add_document(upload, upload.name, council="Anytown Borough Council",
                                doc_type="improvement plan", date="2025-02", title="Carers Plan")
    assert name == "Carers-Plan-Anytown.docx"
    corpus = managed.library.corpus if managed.library else Path()
    entry = tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))["document"][0]
    assert {k: entry[k] for k in ("file", "council", "doc_type", "date", "title")} == {
        "file": name, "council": "Anytown Borough Council", "doc_type": "improvement plan", "date": "2025-02",
        "title": "Carers Plan"}
    assert (corpus / "manifest.toml").read_text(encoding="utf-8").startswith(MANIFEST)  # comments kept
    status = managed.library.wait(60) if managed.library else None
    assert status is not None and status.state == "done", status
    assert "1 added" in status.message
    rows = {e.file: e for e in managed.documents()}
    assert rows[name].doc_type == "improvement plan" and rows[name].date == "2025-02"
    assert rows[name].passages > 0 and rows[name].inferred == ()
    assert rows["carers.txt"].status == "indexed (utf-8)"
    hits = managed.search("Head of Commissioning carers hub", k=3, mode="bm25")
    assert hits[0].chunk.doc_id == "carers-plan-anytown" and hits[0].chunk.doc_type == "improvement plan"


def test_bad_uploads_are_refused_by_name_and_reason_and_nothing_enters_the_corpus(
        managed: Assistant, tmp_path: Path) -> None:
    assert managed.library is not None
    corpus = managed.library.corpus
    before = sorted(p.name for p in corpus.iterdir())
    broken = tmp_path / "minutes.pdf"
    broken.write_bytes(b"%PDF-1.7 garbage")
    with pytest.raises(UnreadableDocument, match=r"^minutes\.pdf: not a readable PDF"):
        managed.add_document(broken, broken.name)
    copy = tmp_path / "copy.txt"
    copy.write_text(CARERS, encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="already indexed as carers.txt"):
        managed.add_document(copy, "copy.txt")
    other = tmp_path / "other.txt"
    other.write_text("Anytown Borough Council opened a carers hub.\n", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="already in the corpus"):
        managed.add_document(other, "Carers.TXT")
    with pytest.raises(BadQuestion, match="use YYYY, YYYY-MM or YYYY-MM-DD"):
        managed.add_document(other, "other.txt", date="March 2025")
    big = tmp_path / "big.pdf"
    big.write_bytes(pdf_bytes())
    small = Settings(upload_max_bytes=1000)
    managed.library.settings = small
    with pytest.raises(UnreadableDocument, match=r"^big\.pdf: the file is 0\.0 MB; the limit is 0 MB"):
        managed.add_document(big, "big.pdf")
    managed.settings = small
    with pytest.raises(UnreadableDocument, match=r"^big\.pdf: the file is 0\.0 MB; the limit is 0 MB"):
        managed.describe_upload(big, "big.pdf")
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert managed.indexing().state == "idle"


def test_removing_a_document_deletes_the_file_and_its_entry_only_inside_the_corpus(
        managed: Assistant, tmp_path: Path) -> None:
    assert managed.library is not None
    corpus = managed.library.corpus
    upload = tmp_path / "plan.txt"
    upload.write_text("Anytown Borough Council will open a carers hub by June 2025.\n", encoding="utf-8")
    managed.add_document(upload, "plan.txt", council="Anytown Borough Council")
    managed.library.wait(60)
    assert "plan.txt" in {e.file for e in managed.documents()}
    (tmp_path / "outside.txt").write_text("keep me\n", encoding="utf-8")
    for name in ("../outside.txt", "manifest.toml", "nothing.txt"):
        with pytest.raises(BadQuestion, match="is not a file of the corpus"):
            managed.remove_document(name)
    managed.remove_document("plan.txt")
    assert managed.library.wait(60).state == "done"
    assert not (corpus / "plan.txt").exists() and (tmp_path / "outside.txt").exists()
    assert [e.file for e in managed.documents()] == ["carers.txt", "transport.txt"]
    assert "plan.txt" not in (corpus / "manifest.toml").read_text(encoding="utf-8")


def test_without_entry_drops_only_that_table() -> None:
    text = ('# top comment\nexclude = ["x"]\n\n[[document]]\nfile = "a.txt"\ncouncil = "A"\n\n'
            '[[document]]\nfile = "b.txt"\n# note on b\ncouncil = "B"\n')
    assert without_entry(text, "a.txt") == '# top comment\nexclude = ["x"]\n\n[[document]]\nfile = "b.txt"\n' \
                                           '# note on b\ncouncil = "B"\n'
    assert without_entry(text, "c.txt") == text


class GatedEmbedder(FakeEmbedder):
    """Blocks inside the build until the test opens the gate: the build is caught half-way."""

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.gate = threading.Event(), threading.Event()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.entered.set()
        assert self.gate.wait(30)
        return super().embed(texts)


def test_the_last_good_index_answers_during_a_build_then_the_new_one(managed: Assistant, tmp_path: Path) -> None:
    assert managed.library is not None
    gated = GatedEmbedder()
    managed.library.embedder = gated
    before = managed.status()["generation"]
    upload = tmp_path / "hub.txt"
    upload.write_text("Anytown Borough Council will open a dementia hub by June 2025.\n", encoding="utf-8")
    managed.add_document(upload, "hub.txt")
    assert gated.entered.wait(30)
    assert managed.indexing().state == "running"
    assert managed.status()["generation"] == before
    # The app's own (ungated) embedder answers from the generation it had before the upload.
    assert [h.chunk.doc_id for h in managed.search("respite breaks", k=1)] == ["carers"]
    assert {h.chunk.doc_id for h in managed.search("dementia hub", k=5)} == {"carers", "transport"}
    gated.gate.set()
    assert managed.library.wait(60).state == "done"
    assert managed.status()["generation"] != before
    assert managed.search("dementia hub", k=1)[0].chunk.doc_id == "hub"


def test_a_failed_build_is_reported_and_the_previous_index_keeps_answering(
        managed: Assistant, tmp_path: Path) -> None:
    assert managed.library is not None
    managed.library.embedder = FailingEmbedder()
    before = managed.status()["generation"]
    upload = tmp_path / "hub.txt"
    upload.write_text("Anytown Borough Council will open a dementia hub by June 2025.\n", encoding="utf-8")
    managed.add_document(upload, "hub.txt")
    status = managed.library.wait(60)
    assert status.state == "failed"
    assert status.message == ("the build failed (RuntimeError: embedder crashed mid-build); "
                              "the previous index is still answering")
    assert managed.status()["generation"] == before
    assert [h.chunk.doc_id for h in managed.search("respite breaks", k=1)] == ["carers"]


def test_document_callbacks(managed: Assistant, tmp_path: Path) -> None:
    demo = build_demo(managed)
    upload = tmp_path / "notes.html"
    upload.write_text("<html><body><nav>Home</nav><main><h1>Anytown Borough Council carers notes</h1>"
                      "<p>Published 9 May 2025. Carers can book respite online.</p></main></body></html>",
                      encoding="utf-8")
    council, doc_type, day, title = callback(demo, "prefill")(str(upload))
    assert (council, day, title) == ("Anytown Borough Council", "2025-05-09", "Anytown Borough Council carers notes")
    status, cleared = callback(demo, "add_document")(str(upload), council, "minutes", day, title)
    assert cleared is None and status.startswith(("Indexing", "Indexed"))
    assert managed.library is not None and managed.library.wait(60).state == "done"
    table = [row[0] for row in callback(demo, "refresh")("gen-000001")[1]]
    assert "minutes" in callback(demo, "pickers")()[1]["choices"]
    assert table == ["carers.txt", "notes.html", "transport.txt"]
    status, kept = callback(demo, "add_document")(str(upload), council, "minutes", day, title)
    assert status.startswith("Not added: notes.html: the same content is already indexed as notes.html")
    assert kept == str(upload)
    assert callback(demo, "remove_document")("notes.html").startswith(("Indexing", "Indexed"))
    managed.library.wait(60)
    assert [e.file for e in managed.documents()] == ["carers.txt", "transport.txt"]


def test_upload_through_the_launched_app(managed: Assistant, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    upload = tmp_path / "Hub Plan.txt"
    upload.write_text("Anytown Borough Council will open a dementia hub by June 2025.\n", encoding="utf-8")
    for url in on_loopback(build_demo(managed)):
        client = Client(url, verbose=False)
        council, _, day, _ = client.predict(handle_file(str(upload)), api_name="/prefill")
        assert (council, day) == ("Anytown Borough Council", "2025-06")
        status, _ = client.predict(handle_file(str(upload)), council, "improvement plan", day, "Hub plan",
                                   api_name="/add_document")
        assert status.startswith(("Indexing", "Indexed")), status
        assert managed.library is not None and managed.library.wait(60).state == "done"
        chat, _, _ = client.predict("dementia hub", [], [], [], [], api_name="/ask")
        assert "dementia hub by June 2025" in _message_text(chat[1]["content"])
        assert {e.file: e.doc_type for e in managed.documents()}["Hub-Plan.txt"] == "improvement plan"


@pytest.mark.browser
def test_in_a_real_browser_upload_a_pdf_see_it_indexed_and_ask_about_it(managed: Assistant, tmp_path: Path) -> None:
    upload = tmp_path / "Anytown strategy.pdf"
    upload.write_bytes(pdf_bytes())
    for url in on_loopback(build_demo(managed)):
        with chromium_page() as page:
            page.goto(url, wait_until="load")
            page.get_by_role("tab", name="Documents").click()
            page.locator("#documents-upload input[type=file]").set_input_files(str(upload))
            page.wait_for_function("document.querySelector('#documents-council textarea, #documents-council input')"
                                   ".value === 'Anytown Borough Council'", timeout=30_000)
            page.locator("#documents-add").click()
            page.wait_for_function("document.querySelector('#documents-table').innerText"
                                   ".includes('Anytown-strategy.pdf')", timeout=60_000)
            assert "Indexed: index gen-000002" in page.locator("#documents-status").inner_text()
            page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)
            page.get_by_role("tab", name="Ask").click()
            page.locator("#question textarea").fill("safeguarding enquiries working days")
            page.locator("#ask").click()
            page.wait_for_function("document.querySelector('#chat').innerText.includes('within 20 working days')",
                                   timeout=30_000)
            page.reload(wait_until="load")
            page.get_by_text("Answers are sentences quoted from 3 documents").wait_for(timeout=30_000)
            assert "Index gen-000002" in page.get_by_text("Answers are sentences quoted from").inner_text()
