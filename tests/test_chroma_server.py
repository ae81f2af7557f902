"""Chroma server mode: a real `chroma run` on loopback holds each generation's vectors in its own
collection; answers equal embedded mode's; a failed build leaves the served collection answering."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from assure_qa import Assistant, Settings
from assure_qa.cli import _parser
from assure_qa.errors import VectorStoreError
from assure_qa.index import build_index, read_manifest

from .conftest import FakeEmbedder

pytestmark = pytest.mark.chroma_server

QUESTIONS = ["DoLS waiting list", "How is the council reducing waiting times for assessments?",
             "What did the committee resolve about the update?", "carers support", "safeguarding"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    """`chroma run` from the installed chromadb package, answering its heartbeat."""
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma) if chroma.exists() else shutil.which("chroma") or "chroma",
               "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("chroma run did not answer its heartbeat within 60 s")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    process = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)


def server_collections(url: str) -> list[str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
    return sorted(c.name for c in client.list_collections())


def answers(assistant: Assistant) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for question in QUESTIONS:
        dense = [(h.chunk.chunk_id, round(h.score, 6)) for h in assistant.search(question, k=8, mode="dense")]
        hybrid = [h.chunk.chunk_id for h in assistant.search(question, k=8)]
        answer = assistant.ask(question)
        rows.append((question, dense, hybrid, answer.text, [c.chunk_id for c in answer.citations]))
    return rows


class FailsAfter(FakeEmbedder):
    """Embeds ``calls`` batches, then crashes: the build has written part of its new collection."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.allowed = calls

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.calls >= self.allowed:
            raise RuntimeError("embedder crashed mid-build")
        return super().embed(texts)


def test_server_mode_answers_as_embedded_mode_does(small_corpus: Path, tmp_path: Path, chroma_url: str) -> None:
    build_index(small_corpus, tmp_path / "embedded", Settings(), FakeEmbedder())
    report = build_index(small_corpus, tmp_path / "served", Settings(chroma_url=chroma_url), FakeEmbedder())
    manifest = read_manifest(tmp_path / "served")
    collection = f"aqa-{manifest['index_id']}-gen-000001"
    assert manifest["vectors"] == {"store": "chroma-server", "url": chroma_url, "collection": collection}
    assert not (tmp_path / "served" / report.generation / "chroma").exists()
    assert collection in server_collections(chroma_url)
    embedded = Assistant.open(tmp_path / "embedded", embedder=FakeEmbedder())
    served = Assistant.open(tmp_path / "served", embedder=FakeEmbedder())  # the manifest's address
    assert served.files.store.count() == embedded.files.store.count() == report.chunks
    assert answers(served) == answers(embedded)
    # Given explicitly (as another machine would reach the same server), the same collection is read.
    again = Assistant.open(tmp_path / "served", settings=Settings(chroma_url=chroma_url + "/"),
                           embedder=FakeEmbedder())
    assert again.files.store.location.collection == collection


def test_generations_get_their_own_collections_and_pruning_deletes_them(
        small_corpus: Path, tmp_path: Path, chroma_url: str) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(chroma_url=chroma_url), FakeEmbedder())
    index_id = read_manifest(index)["index_id"]
    prefix = f"aqa-{index_id}-"
    mine = lambda: [n for n in server_collections(chroma_url) if n.startswith(prefix)]  # noqa: E731
    (small_corpus / "extra.md").write_text("# Anytown Borough Council\n\nWe support unpaid carers well.\n")
    embedder = FakeEmbedder()
    second = build_index(small_corpus, index, Settings(), embedder)  # no address: stays on the server
    assert second.embedded == 1 and mine() == [prefix + "gen-000001", prefix + "gen-000002"]
    (small_corpus / "extra.md").unlink()
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    assert mine() == [prefix + "gen-000002", prefix + "gen-000003"]
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000002", "gen-000003"]
    assert Assistant.open(index, embedder=FakeEmbedder()).files.store.count() == second.chunks - 1


def test_a_failed_build_leaves_the_served_collection_answering(
        small_corpus: Path, tmp_path: Path, chroma_url: str) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(chroma_url=chroma_url), FakeEmbedder())
    serving = Assistant.open(index, embedder=FakeEmbedder())
    before = answers(serving)
    collections = server_collections(chroma_url)
    (small_corpus / "new.txt").write_text("Anytown Borough Council\n\nCarers\n\nWe fund respite breaks.\n\n"
                                          "Transport\n\nDial-a-ride buses run on weekdays.\n")
    # The first batch of new passages reaches the new collection, then the model fails.
    with pytest.raises(RuntimeError, match="crashed"):
        build_index(small_corpus, index, Settings(chroma_url=chroma_url), FailsAfter(calls=1))
    assert (index / "CURRENT").read_text().strip() == "gen-000001"
    assert server_collections(chroma_url) == collections  # the half-built collection is gone
    assert answers(serving) == before
    assert answers(Assistant.open(index, embedder=FakeEmbedder())) == before


def test_an_embedded_index_moves_to_the_server_reusing_its_vectors(
        small_corpus: Path, tmp_path: Path, chroma_url: str) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(), FakeEmbedder())
    before = answers(Assistant.open(index, embedder=FakeEmbedder()))
    with pytest.raises(VectorStoreError, match="keeps its vectors in its own folder"):
        Assistant.open(index, settings=Settings(chroma_url=chroma_url), embedder=FakeEmbedder())
    embedder = FakeEmbedder()
    moved = build_index(small_corpus, index, Settings(chroma_url=chroma_url), embedder)
    assert not moved.up_to_date and moved.embedded == 0 and embedder.texts == 0
    assert read_manifest(index)["vectors"]["store"] == "chroma-server"
    assert answers(Assistant.open(index, embedder=FakeEmbedder())) == before


def test_unreachable_server_and_bad_addresses_are_refused_by_name(
        small_corpus: Path, tmp_path: Path, chroma_url: str) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, Settings(chroma_url=chroma_url), FakeEmbedder())
    nobody = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(VectorStoreError, match=rf"the Chroma server at {nobody} did not answer.*chroma run"):
        Assistant.open(index, settings=Settings(chroma_url=nobody), embedder=FakeEmbedder())
    for bad in ("localhost:8000", "ftp://host:1", "http://host:port", "http://127.0.0.1:8000/api"):
        with pytest.raises(VectorStoreError, match="expected http://HOST:PORT"):
            build_index(small_corpus, tmp_path / "other", Settings(chroma_url=bad), FakeEmbedder())
    assert not list((tmp_path / "other").glob("gen-*"))


def test_the_address_comes_from_the_option_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSURE_QA_CHROMA_URL", "http://10.0.0.5:8000")
    for command in (["index"], ["serve"], ["ask", "q"], ["search", "q"]):
        assert _parser().parse_args(command).chroma_url == "http://10.0.0.5:8000"
    assert _parser().parse_args(["ask", "q", "--chroma-url", "http://h:1"]).chroma_url == "http://h:1"
    monkeypatch.delenv("ASSURE_QA_CHROMA_URL")
    assert _parser().parse_args(["index"]).chroma_url == ""


@pytest.mark.model
def test_server_mode_with_the_real_model(real_embedder, tmp_path: Path, chroma_url: str) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "anytown.md").write_text(
        "# Anytown Borough Council\n\n## Carers\n\nUnpaid carers can book respite breaks online every month.\n\n"
        "## Safeguarding\n\nSafeguarding enquiries are completed within 20 working days.\n\n"
        "## Transport\n\nDial-a-ride buses take older people to day centres on weekdays.\n", encoding="utf-8")
    build_index(corpus, tmp_path / "embedded", Settings(), real_embedder)
    build_index(corpus, tmp_path / "served", Settings(chroma_url=chroma_url), real_embedder)
    embedded = Assistant.open(tmp_path / "embedded", embedder=real_embedder)
    served = Assistant.open(tmp_path / "served", embedder=real_embedder)
    for question in ("how long do safeguarding enquiries take?", "help for people who look after relatives"):
        assert [(h.chunk.chunk_id, round(h.score, 5)) for h in served.search(question, k=3, mode="dense")] == \
               [(h.chunk.chunk_id, round(h.score, 5)) for h in embedded.search(question, k=3, mode="dense")]
        assert served.ask(question).text == embedded.ask(question).text
