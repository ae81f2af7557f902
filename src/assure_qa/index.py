"""Build or update the index under index/, and load it.

Layout: ``index/CURRENT`` names the generation being served (``gen-000001`` …). A build copies
the current generation to a new folder, embeds only chunks whose ids are new, deletes vanished
ones, writes ``manifest.json`` last and then switches ``CURRENT`` with an atomic rename. A build
that fails leaves ``CURRENT`` untouched, so the last good index keeps serving. The dense vectors
live in the generation's folder (embedded Chroma) or in a collection of the generation's own on a
Chroma server (``stores.py``); the manifest records which.

A document that can no longer be read keeps its previous chunks (marked stale in the manifest)
rather than silently disappearing from answers.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from . import stores
from .acronyms import Acronyms
from .acronyms import mine as mine_acronyms
from .catalogue import changes, describe, unchanged
from .chunking import chunk_document, retrieval_text
from .commitments import extract as extract_commitments
from .config import Settings
from .dense import Embedder, LazyEmbedder, VectorStore, new_generation_store
from .embedding import Buffer, Counter, embed_batches
from .errors import IndexMismatch, IndexMissing, RefusedDocument, UnreadableDocument
from .generations import current_generation, read_manifest, remove_old_generations, switch  # noqa: F401
from .ingest import CorpusScan, scan_corpus
from .records import Chunk, Commitment, Document, Score
from .scores import extract as extract_scores
from .scores import read_scores, write_scores
from .sentences import SentenceVectors, embed_sentences, plan_vectors
from .sparse import SparseIndex
from .units import repeated_text

FORMAT = 10  # 2: acronyms.json; 3: commitments.jsonl; 4: sentences.npz; 5: template.json; 6: bm25.npz;
# 7: scores.jsonl; 8: the manifest's index_id and vectors (embedded folder or Chroma server collection);
# 9/10: passages.npy (every passage's vector in BM25 row order, for per-council rankings)
PASSAGE_VECTORS = "passages.npy"  # every passage's vector, in BM25 row order (per-council rankings)
Progress = Callable[[int, int], None]  # (done, total) texts embedded, passages then sentences


@dataclass
class BuildReport:
    generation: str
    up_to_date: bool
    documents: int
    chunks: int
    embedded: int  # passages
    reused: int
    removed: int
    seconds: float
    failures: list[UnreadableDocument] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # doc ids served from an earlier build
    sentences_embedded: int = 0
    added: list[str] = field(default_factory=list)  # files new to the index
    updated: list[str] = field(default_factory=list)  # files whose content or description changed
    dropped: list[str] = field(default_factory=list)  # files no longer in the corpus
    skipped: list[str] = field(default_factory=list)  # files of unsupported types
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats)


@dataclass
class IndexFiles:
    """An opened generation: its manifest, chunks, documents' text and both retrieval legs."""

    root: Path
    manifest: dict[str, Any]
    chunks: dict[str, Chunk]
    sparse: SparseIndex
    store: VectorStore
    acronyms: Acronyms = field(default_factory=dict)
    commitments: list[Commitment] = field(default_factory=list)
    sentences: SentenceVectors | None = None
    template: frozenset[str] = frozenset()  # keys of repeated text (units.repeated_text)
    scores: list[Score] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))  # BM25 row order
    _texts: dict[str, str] = field(default_factory=dict)
    _by_doc: dict[str, list[Chunk]] = field(default_factory=dict)

    def chunk_at(self, doc_id: str, start: int, end: int) -> Chunk | None:
        """The passage of ``doc_id`` that holds the span ``start:end``, if one does."""
        if not self._by_doc:
            for chunk in sorted(self.chunks.values(), key=lambda c: c.start):
                self._by_doc.setdefault(chunk.doc_id, []).append(chunk)
        passages = self._by_doc.get(doc_id, [])
        i = bisect.bisect_right([c.start for c in passages], start) - 1
        return passages[i] if i >= 0 and end <= passages[i].end else None

    def page_at(self, doc_id: str, offset: int) -> int | None:
        """1-based page of a character of a document, None for text without pages."""
        starts = self.manifest["documents"].get(doc_id, {}).get("page_starts") or []
        return bisect.bisect_right(starts, offset) or None

    def document_text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = _stored(self.root / "docs" / f"{doc_id}.txt")
        return self._texts[doc_id]


def open_index(index_dir: str | Path, settings: Settings) -> IndexFiles:
    """Load the current generation, checking it was built with compatible settings."""
    index_dir = Path(index_dir)
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(str(index_dir))
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise IndexMismatch(str(index_dir), f"index format {manifest.get('format')}, expected {FORMAT}")
    if manifest.get("settings") != settings.index_signature():
        changed = sorted(k for k, v in settings.index_signature().items()
                         if manifest.get("settings", {}).get(k) != v)
        raise IndexMismatch(str(index_dir), "changed settings: " + ", ".join(changed))
    chunks = _read_chunks(generation / "chunks.jsonl")
    vectors = np.load(generation / PASSAGE_VECTORS, allow_pickle=False)
    if len(vectors) != len(chunks):
        raise IndexMismatch(str(index_dir), f"{len(vectors)} passage vectors for {len(chunks)} passages")
    return IndexFiles(generation, manifest, chunks, SparseIndex.load(generation),
                      VectorStore(stores.served(manifest, generation, settings.chroma_url)),
                      _load_json(generation / "acronyms.json"),
                      read_commitments(generation), SentenceVectors.load(generation),
                      frozenset(_load_json(generation / "template.json").get("keys", [])),
                      read_scores(generation), vectors)


def build_index(corpus_dir: str | Path, index_dir: str | Path, settings: Settings,
                embedder: Embedder | Callable[[], Embedder], progress: Progress | None = None) -> BuildReport:
    """Bring ``index_dir`` up to date with ``corpus_dir``, doing only the work that changed."""
    began = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    previous = current_generation(index_dir)
    old_manifest = _load_json(previous / "manifest.json") if previous else {}
    scan = scan_corpus(corpus_dir, [m["path"] for m in old_manifest.get("documents", {}).values()])
    compatible = old_manifest.get("settings") == settings.index_signature() \
        and old_manifest.get("format") == FORMAT
    # Vectors stay valid while the model is the same: chunk ids hash the embedded text.
    same_model = bool(old_manifest) and all(
        old_manifest.get("settings", {}).get(key) == value
        for key, value in settings.index_signature().items() if key.startswith("model"))
    if previous and compatible and unchanged(old_manifest, scan) and not stores.moved(settings.chroma_url,
                                                                                       old_manifest):
        counts = old_manifest["counts"]
        return BuildReport(previous.name, True, counts["documents"], counts["chunks"], 0,
                           counts["chunks"], 0, time.perf_counter() - began, scan.failures,
                           [d for d, m in old_manifest["documents"].items() if m.get("stale")],
                           skipped=scan.skipped, duplicates=scan.duplicates)

    number = int(previous.name.split("-")[1]) + 1 if previous else 1
    final = index_dir / f"gen-{number:06d}"
    work = index_dir / f".building-{number:06d}-{os.getpid()}"
    index_id = old_manifest.get("index_id") or uuid.uuid4().hex[:12]
    location = stores.target(settings.chroma_url, old_manifest, index_id, final.name, work)
    shutil.rmtree(work, ignore_errors=True)
    store: VectorStore | None = None
    try:
        work.mkdir(parents=True, exist_ok=True)
        store = new_generation_store(location, stores.recorded(old_manifest, previous)
                                     if previous and same_model else None)
        report = _build_into(work, store, index_id, scan, previous if same_model else None, old_manifest,
                             settings, embedder, progress)
        shutil.rmtree(final, ignore_errors=True)
        work.rename(final)
        switch(index_dir, final.name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if store is not None:
            store.drop()  # a server collection of this build only: the served one is another
        raise
    remove_old_generations(index_dir, {final.name, previous.name if previous else ""}, location, index_id,
                           old_manifest)
    report.generation, report.seconds = final.name, time.perf_counter() - began
    return report


def _build_into(work: Path, store: VectorStore, index_id: str, scan: CorpusScan, previous: Path | None,
                old_manifest: dict[str, Any], settings: Settings, embedder: Embedder | Callable[[], Embedder],
                progress: Progress | None) -> BuildReport:
    documents: dict[str, Document] = {d.doc_id: d for d in scan.documents}
    chunks: list[Chunk] = [c for d in scan.documents for c in chunk_document(d, settings)]
    texts = {d.doc_id: d.text for d in scan.documents}
    stale = _carry_over_unreadable(scan, previous, old_manifest, chunks, texts)

    # Chroma writes synchronously: nothing to flush or close before the folder is renamed.
    existing = store.ids()
    wanted = {c.chunk_id for c in chunks}
    new = [c for c in chunks if c.chunk_id not in existing]
    removed = sorted(existing - wanted)
    store.delete(removed)
    store.update_metadata([c for c in chunks if c.chunk_id in existing])
    model = LazyEmbedder(embedder)  # loaded only if something needs embedding
    plan = plan_vectors((c.text for c in chunks), SentenceVectors.load(previous) if previous else None)
    counter = Counter(len(new) + len(plan.missing), progress)  # the whole total known up front
    buffer = Buffer(lambda part, vectors: store.add([new[i] for i in part], vectors))
    embed_batches([retrieval_text(c) for c in new], model.embed, settings.embed_batch_size, buffer.add, counter.tick)
    buffer.flush()
    embed_sentences(plan, model.embed, settings.embed_batch_size, counter.tick)
    vectors, sentences_embedded = plan.vectors(), len(plan.missing)
    vectors.save(work)
    model_name = getattr(embedder, "name", settings.model_name)

    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    ledger = [c for d in scan.documents for c in extract_commitments(d, by_doc.get(d.doc_id, []))]
    if stale and previous is not None:  # the last good version's commitments too
        ledger += [c for c in read_commitments(previous) if c.doc_id in stale]
    with (work / "commitments.jsonl").open("w", encoding="utf-8") as out:
        for record in sorted(ledger, key=lambda c: (c.doc_id, c.start)):
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    template = repeated_text((c.council, c.doc_id, c.text, c.start) for c in chunks)
    (work / "template.json").write_text(json.dumps({"keys": sorted(template)}), encoding="utf-8")
    scores = [s for d in scan.documents for s in extract_scores(d)]
    write_scores(work, scores + [s for s in read_scores(previous) if s.doc in stale] if previous else scores)
    (work / "acronyms.json").write_text(json.dumps(mine_acronyms(texts.values()), indent=1, ensure_ascii=False),
                                        encoding="utf-8")
    np.save(work / PASSAGE_VECTORS, store.vectors([c.chunk_id for c in chunks]))
    SparseIndex.build([c.chunk_id for c in chunks], [retrieval_text(c) for c in chunks],
                      settings.bm25_k1, settings.bm25_b).save(work)
    with (work / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    (work / "docs").mkdir(exist_ok=True)
    for doc_id, text in texts.items():
        (work / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")

    per_doc = {doc_id: len(passages) for doc_id, passages in by_doc.items()}
    manifest = {
        "format": FORMAT,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings.index_signature(),
        "model": {"name": model_name, "package": settings.model_package},
        "index_id": index_id,
        "vectors": store.location.to_json(),
        "bm25": {"k1": settings.bm25_k1, "b": settings.bm25_b, "tokenizer": "snowball-english+uk-us"},
        "counts": {"documents": len(texts), "chunks": len(chunks), "commitments": len(ledger), "embedded": len(new),
                   "reused": len(chunks) - len(new), "removed": len(removed), "sentences": len(vectors),
                   "sentences_embedded": sentences_embedded},
        "documents": {doc_id: describe(documents.get(doc_id), old_manifest, doc_id, per_doc, stale)
                      for doc_id in sorted(texts)},
        "failures": [{"path": f.path, "reason": f.reason} for f in scan.failures],
        "skipped": scan.skipped,
        "duplicates": [{"path": name, "same_as": original} for name, original in scan.duplicates],
    }
    (work / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    added, updated, dropped = changes(old_manifest, scan, per_doc)
    return BuildReport("", False, len(texts), len(chunks), len(new), len(chunks) - len(new),
                       len(removed), 0.0, scan.failures, sorted(stale), sentences_embedded,
                       added=added, updated=updated, dropped=dropped,
                       skipped=scan.skipped, duplicates=scan.duplicates)


def _carry_over_unreadable(scan: CorpusScan, previous: Path | None, old_manifest: dict[str, Any],
                           chunks: list[Chunk], texts: dict[str, str]) -> dict[str, str]:
    """Keep the last good version of documents that are now unreadable; returns doc id -> reason."""
    if previous is None:
        return {}
    by_path = {meta["path"]: doc_id for doc_id, meta in old_manifest.get("documents", {}).items()}
    stale: dict[str, str] = {}
    old_chunks: dict[str, list[Chunk]] | None = None
    for failure in scan.failures:
        doc_id = by_path.get(failure.path)
        if doc_id is None or doc_id in texts or isinstance(failure, RefusedDocument):
            continue
        if old_chunks is None:
            old_chunks = {}
            for chunk in _read_chunks(previous / "chunks.jsonl").values():
                old_chunks.setdefault(chunk.doc_id, []).append(chunk)
        chunks.extend(old_chunks.get(doc_id, []))
        texts[doc_id] = _stored(previous / "docs" / f"{doc_id}.txt")
        stale[doc_id] = failure.reason
    return stale


def read_commitments(generation: Path) -> list[Commitment]:
    path = generation / "commitments.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [Commitment.from_json(json.loads(line)) for line in lines if line.strip()]


def _read_chunks(path: Path) -> dict[str, Chunk]:
    chunks = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            chunk = Chunk.from_json(json.loads(line))
            chunks[chunk.chunk_id] = chunk
    return chunks


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stored(path: Path) -> str:
    """A document's text exactly as the index stored it: no line-break translation, so its offsets
    are the ones its passages and citations were made with."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()
