"""Shared fixtures: a fake embedder for stage tests, the real model and real index for integration."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assure_qa import Assistant, Settings, set_offline_environment
from assure_qa.index import build_index
from assure_qa.sparse import tokenize

set_offline_environment()

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DURHAM = "durham-2024-11-18-cqc-outcome-scrutiny-report"
DARLINGTON = "darlington-2024-07-asc-self-assessment"
OXFORDSHIRE = "oxfordshire-2024-12-04-asc-assurance-scrutiny-report"
DERBYSHIRE = "derbyshire-2024-02-asc-self-assessment"
MINUTES = "durham-2024-asc-update-scrutiny-minutes"


class FakeEmbedder:
    """Bag of hashed word stems: texts sharing words are close. Deterministic, instant."""

    name = "fake-hash-64"

    def __init__(self, dims: int = 64) -> None:
        self.dims = dims
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                out[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dims] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


class FailingEmbedder(FakeEmbedder):
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("embedder crashed mid-build")


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


def read(doc_id: str) -> str:
    path = next(CORPUS.glob(f"{doc_id}.*"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus indexed with the fake embedder (session-wide, read-only)."""
    index_dir = tmp_path_factory.mktemp("fake-index")
    build_index(CORPUS, index_dir, Settings(), FakeEmbedder())
    return index_dir


@pytest.fixture(scope="session")
def fake_assistant(fake_index: Path) -> Assistant:
    return Assistant.open(fake_index, embedder=FakeEmbedder())


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    from assure_qa.dense import make_embedder

    return make_embedder(Settings())


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """The real corpus with the real packaged model: built once per test session."""
    index_dir = tmp_path_factory.mktemp("real-index")
    build_index(CORPUS, index_dir, Settings(), real_embedder)
    return index_dir


@pytest.fixture(scope="session")
def real_assistant(real_index: Path, real_embedder) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant.open(real_index, embedder=real_embedder)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A copy of two real documents and a manifest, to change freely."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id in (OXFORDSHIRE, MINUTES):
        shutil.copy(next(CORPUS.glob(f"{doc_id}.*")), corpus)
    manifest = (CORPUS / "manifest.toml").read_text(encoding="utf-8")
    (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
    return corpus


def one_document(tmp_path: Path, name: str, content: str | bytes, council: str = "",
                 doc_type: str = "") -> Assistant:
    """An Assistant over a corpus of one document ``name`` (text, or bytes written as they are),
    described in the manifest when ``council`` is given; built with the fake embedder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if council:
        (corpus / "manifest.toml").write_text(f'[[document]]\nfile = "{name}"\ncouncil = "{council}"\n'
                                              f'doc_type = "{doc_type}"\n', encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    return Assistant.open(tmp_path / "index", embedder=FakeEmbedder())
