"""Sentence vectors (stored once per distinct sentence, reused across builds) and how the
answerer uses them: a paraphrase is answered, a near-miss in words alone is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assure_qa import Settings
from assure_qa.answer import NOT_FOUND, Answerer
from assure_qa.index import build_index, read_manifest
from assure_qa.query import CouncilNames, understand
from assure_qa.records import Chunk, Hit
from assure_qa.sentences import SentenceVectors, build_vectors, sentence_key, sentences
from assure_qa.sparse import tokenize

from .conftest import MINUTES, FakeEmbedder

DURHAM = "Durham County Council"
PASSAGE = ("A total of 10 members of the assessment team were on-site. "
           "The team met staff, partners and people who use services over three days.")


def unit(values: list[float]) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def hit(text: str, council: str = DURHAM, rank: int = 1) -> Hit:
    chunk = Chunk(chunk_id=f"c{rank}", doc_id="doc", council=council, doc_type="scrutiny report",
                  date="2024", title="Report", theme=None, quality_statement=None, theme_source="none",
                  qs_source="none", section="Assessment", paragraphs=(), page=None, start=0,
                  end=len(text), text=text)
    return Hit(rank=rank, chunk=chunk, score=1.0)


def answerer(vectors: SentenceVectors | None) -> Answerer:
    idf = {"inspector": 2.0, "came": 1.0, "site": 1.0}.get
    return Answerer(Settings(), lambda term: idf(term, 1.0), lambda _: PASSAGE, lambda *_: None, vectors)


def test_vectors_round_trip_and_unknown_sentences_have_no_similarity(tmp_path: Path) -> None:
    spans = sentences(PASSAGE)
    vectors = SentenceVectors([sentence_key(s.text) for s in spans], np.vstack([unit([1, 0]), unit([0, 1])]))
    vectors.save(tmp_path)
    loaded = SentenceVectors.load(tmp_path)
    assert loaded.keys == vectors.keys and np.array_equal(loaded.vectors, vectors.vectors)
    assert loaded.similarity(unit([1, 0]), spans[0].text) == pytest.approx(1.0)
    assert loaded.similarity(unit([1, 0]), "a sentence the index never saw") is None
    assert loaded.similarity(None, spans[0].text) is None
    assert len(SentenceVectors.load(tmp_path / "elsewhere")) == 0  # no file: answers fall back to words
    with pytest.raises(ValueError, match="2 sentence keys but 1 vectors"):
        SentenceVectors(vectors.keys, unit([1, 0])[None, :])


def test_building_reuses_vectors_of_sentences_already_seen() -> None:
    embedder = FakeEmbedder()
    first, embedded = build_vectors([PASSAGE, PASSAGE], embedder.embed, None, batch=1)
    assert len(first) == 2 == embedded  # equal sentences share one vector
    changed = PASSAGE.replace("three days", "four days")
    second, embedded = build_vectors([changed], embedder.embed, first, batch=8)
    assert embedded == 1 and len(second) == 2
    assert np.array_equal(second.get(sentence_key(sentences(changed)[0].text)), first.vectors[0])


def test_a_paraphrase_close_in_meaning_is_answered_and_without_vectors_it_is_not() -> None:
    names = CouncilNames([DURHAM])
    query = understand("How many inspectors came on site for Durham's assessment?", names)
    terms = [t for t in tokenize(query.text) if t in {"inspector", "came", "site"}]
    first, second = sentences(PASSAGE)
    vectors = SentenceVectors([sentence_key(first.text), sentence_key(second.text)],
                              np.vstack([unit([0.8, 0.6]), unit([0, 1])]))
    question = unit([1, 0])  # cosine 0.8 with the first sentence, 0 with the second
    found = answerer(vectors).answer(query, [hit(PASSAGE)], terms, query_vector=question)
    assert found.found and found.citations[0].quote == first.text
    # Words alone: "site" is a quarter of the key-term weight, too little to answer.
    assert answerer(None).answer(query, [hit(PASSAGE)], terms).text == NOT_FOUND
    far = SentenceVectors(vectors.keys, np.vstack([unit([0.2, 0.98]), unit([0, 1])]))
    assert not answerer(far).answer(query, [hit(PASSAGE)], terms, query_vector=question).found


def test_a_named_council_is_answered_only_from_its_own_passages() -> None:
    names = CouncilNames([DURHAM, "Darlington Borough Council"])
    query = understand("How many members of the assessment team were on site in Durham?", names)
    terms = tokenize("members assessment team site")
    elsewhere = answerer(None).answer(query, [hit(PASSAGE, council="Darlington Borough Council")], terms)
    assert not elsewhere.found and elsewhere.closest  # another council's figure is not the answer
    assert answerer(None).answer(query, [hit(PASSAGE)], terms).found


def test_possessives_and_contractions_leave_no_one_letter_key_terms() -> None:
    from assure_qa.query import content_terms

    terms = content_terms("When is CQC's visit to Durham, or don't they say?", CouncilNames([DURHAM]))
    assert terms == ["cqc", "visit", "don"]


def test_the_index_stores_sentence_vectors_and_a_rebuild_embeds_only_new_sentences(
        small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(small_corpus, index, Settings(), FakeEmbedder())
    counts = read_manifest(index)["counts"]
    assert counts["sentences"] > first.chunks and counts["sentences_embedded"] == counts["sentences"]
    assert first.sentences_embedded == counts["sentences"]
    minutes = small_corpus / f"{MINUTES}.txt"
    text = minutes.read_text(encoding="utf-8")
    minutes.write_text(text.replace("(ii) That the progress", "(ii) That the good progress"), encoding="utf-8")
    embedder = FakeEmbedder()
    changed = build_index(small_corpus, index, Settings(), embedder)
    assert changed.embedded == 1 and changed.sentences_embedded == 1
    assert embedder.texts == 2  # one passage and its one changed sentence, nothing else
    assert read_manifest(index)["counts"]["sentences"] == counts["sentences"]


def test_sentences_end_across_the_paragraph_tags_a_web_page_left() -> None:
    text = ("<p>With a further 44 people moving (252 reviews completed so far).</p> <p>547 people had a review.</p> "
            "<p>Increase the Usage Of Direct Payments</p><p>How do we know?</p>")
    spans = sentences(text, base=10)
    assert [s.text for s in spans] == ["With a further 44 people moving (252 reviews completed so far).",
                                       "547 people had a review.", "Increase the Usage Of Direct Payments",
                                       "How do we know?"]
    assert all(text[s.start - 10:s.end - 10] == s.text for s in spans)  # exact offsets, tags left out
    assert [s.text for s in sentences("<p>One whole paragraph, kept.</p>")] == ["<p>One whole paragraph, kept.</p>"]
