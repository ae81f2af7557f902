"""Chunks by theme and section: exact spans, metadata, ids, and what is never split."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure_qa import Settings
from assure_qa.chunking import chunk_document, retrieval_text
from assure_qa.ingest import scan_corpus
from assure_qa.structure import parse

from .conftest import CORPUS, DARLINGTON, DERBYSHIRE, DURHAM, OXFORDSHIRE


@pytest.fixture(scope="module")
def docs() -> dict[str, object]:
    return {d.doc_id: d for d in scan_corpus(CORPUS).documents}


@pytest.fixture(scope="module")
def chunks(docs) -> dict[str, list]:  # type: ignore[no-untyped-def]
    return {doc_id: chunk_document(doc) for doc_id, doc in docs.items()}


def test_every_chunk_is_an_exact_span_of_its_document(docs, chunks) -> None:  # type: ignore[no-untyped-def]
    for doc_id, doc_chunks in chunks.items():
        text = docs[doc_id].text
        assert doc_chunks, doc_id
        for chunk in doc_chunks:
            assert text[chunk.start:chunk.end] == chunk.text
        starts = [c.start for c in doc_chunks]
        assert starts == sorted(starts)


def test_durham_action_b3_1_is_one_chunk_with_full_metadata(chunks) -> None:  # type: ignore[no-untyped-def]
    (b31,) = [c for c in chunks[DURHAM] if c.paragraphs == ("B3.1",)]
    assert b31.text == (
        "B3.1\tEnhance the use and timeliness of advocacy and ensure the accurate and appropriate "
        "recording of the existence of advocates: <ul style=\"list-style-type: none\"> - including "
        "system updates - Further communication to the workforce. \tH\tStrategic Manager – "
        "Safeguarding\tApr 25\t\tQILT")
    assert b31.council == "Durham County Council"
    assert b31.doc_type == "scrutiny report; improvement plan"
    assert b31.date == "2024-11-18"
    assert (b31.theme, b31.theme_source) == ("Ensuring safety", "heading")
    assert b31.section == "Theme 3: Ensuring Safety › How will we achieve it?"
    assert b31.context.endswith("Ref | Action | H/M/L | Lead | Target Date | RAG | Governance/Work Programme")
    assert b31.page is None
    assert retrieval_text(b31).startswith("Theme 3: Ensuring Safety › How will we achieve it?\nRef | Action")


def test_numbered_paragraphs_and_table_rows_are_never_split(docs, chunks) -> None:  # type: ignore[no-untyped-def]
    for doc_id, doc in docs.items():
        spans = [(c.start, c.end) for c in chunks[doc_id]]
        for block in parse(doc.text):
            if block.kind in ("numbered", "table_row"):
                assert any(s <= block.start and block.end <= e for s, e in spans), (doc_id, block)


def test_theme_from_a_statement_heading_when_the_theme_heading_is_missing(chunks) -> None:  # type: ignore[no-untyped-def]
    # Darlington's text goes from Theme Two straight to "Quality statement one: Safe systems…".
    safety = [c for c in chunks[DARLINGTON] if "Quality statement two: Safeguarding" in c.section]
    assert safety and all(c.theme == "Ensuring safety" and c.theme_source == "heading" for c in safety)
    both = ("Ensuring safety › Quality statement one: Safe systems, pathways, and transitions. & "
            "Quality statement two: Safeguarding")
    assert safety[0].section == both  # the statements' own descriptions
    assert f"{both} › What is our ambition and how are we performing? › Introduction and summary" in {
        c.section for c in safety}
    assert {c.qs_source for c in safety} <= {"classifier", "none"}  # two statements: text decides


def test_single_statement_sections_take_the_statement_from_the_heading(chunks) -> None:  # type: ignore[no-untyped-def]
    equity = [c for c in chunks[DARLINGTON] if "Quality statement three: Equity" in c.section]
    assert equity and {(c.quality_statement, c.qs_source) for c in equity} == {
        ("Equity in experiences and outcomes", "heading")}


def test_documents_without_theme_headings_are_classified(chunks) -> None:  # type: ignore[no-untyped-def]
    dols = [c for c in chunks[OXFORDSHIRE] if "number of open DoLS has reduced" in c.text]
    assert len(dols) == 1
    assert (dols[0].quality_statement, dols[0].theme_source) == ("Safeguarding", "classifier")
    assert dols[0].paragraphs == ("21", "22")


def test_derbyshire_sections_follow_its_template(chunks) -> None:  # type: ignore[no-untyped-def]
    plans = [c for c in chunks[DERBYSHIRE] if c.section == "Theme 3: Ensuring Safety › Plans to Improve"]
    assert len(plans) == 1
    assert plans[0].text.startswith("- Revision of the safeguarding adults board partnership")


def test_ids_are_stable_and_unique(docs) -> None:  # type: ignore[no-untyped-def]
    first = [c.chunk_id for d in docs.values() for c in chunk_document(d)]
    second = [c.chunk_id for d in docs.values() for c in chunk_document(d)]
    assert first == second
    assert len(set(first)) == len(first)


def test_size_limit_packs_blocks_without_splitting_them(docs) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(chunk_max_chars=400, chunk_min_chars=50)
    doc = docs[OXFORDSHIRE]
    small = chunk_document(doc, settings)
    default = chunk_document(doc)
    assert len(small) > len(default)
    for chunk in small:
        assert doc.text[chunk.start:chunk.end] == chunk.text


def test_a_document_with_no_structure_still_chunks(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("Just one line of text about carers support in Anytown.\n")
    (doc,) = scan_corpus(tmp_path).documents
    (chunk,) = chunk_document(doc)
    assert chunk.text == "Just one line of text about carers support in Anytown."
    assert chunk.section == ""
