"""Where an index generation's dense vectors live: embedded Chroma in the generation's folder (the
default), or a collection on a ``chroma run`` server. Pure: no client is created here (``dense.py``
does that).

On a server every generation has its own collection, named from the index's id and the generation
(``aqa-<index id>-gen-000002``), so a build fills a new collection while the served one is untouched,
``CURRENT`` still switches generations atomically, and pruning a generation deletes its collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import VectorStoreError

EMBEDDED, SERVER = "embedded", "chroma-server"
EMBEDDED_FOLDER, EMBEDDED_COLLECTION = "chroma", "chunks"


@dataclass(frozen=True)
class VectorLocation:
    """A Chroma collection: in ``path`` (embedded) or on the server at ``url``."""

    collection: str
    path: Path | None = None
    url: str = ""

    @classmethod
    def embedded(cls, path: Path) -> VectorLocation:
        return cls(EMBEDDED_COLLECTION, path=path)

    @property
    def kind(self) -> str:
        return EMBEDDED if self.path is not None else SERVER

    def to_json(self) -> dict[str, str]:
        """The manifest's ``vectors`` entry (an embedded path is relative to the generation)."""
        if self.path is not None:
            return {"store": EMBEDDED, "path": EMBEDDED_FOLDER, "collection": self.collection}
        return {"store": SERVER, "url": self.url, "collection": self.collection}


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of ``http[s]://HOST:PORT``; anything else is refused with the reason."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError as exc:
        raise VectorStoreError(f"--chroma-url {url!r}: {exc}; expected http://HOST:PORT") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VectorStoreError(f"--chroma-url {url!r}: expected http://HOST:PORT (a Chroma server's address)")
    if parts.path.strip("/") or parts.query:
        raise VectorStoreError(f"--chroma-url {url!r}: a server address has no path; expected http://HOST:PORT")
    return parts.hostname, port or (443 if parts.scheme == "https" else 8000), parts.scheme == "https"


def collection_name(index_id: str, generation: str) -> str:
    return f"{collection_prefix(index_id)}{generation}"


def collection_prefix(index_id: str) -> str:
    return f"aqa-{index_id}-"


def normal_url(url: str) -> str:
    host, port, ssl = parse_chroma_url(url)
    return f"{'https' if ssl else 'http'}://{host}:{port}"


def recorded(manifest: dict[str, Any], generation: Path) -> VectorLocation:
    """Where a built generation's vectors are, as its manifest says."""
    vectors = manifest.get("vectors") or {}
    if vectors.get("store") == SERVER:
        return VectorLocation(vectors["collection"], url=vectors["url"])
    return VectorLocation(vectors.get("collection", EMBEDDED_COLLECTION),
                          path=generation / vectors.get("path", EMBEDDED_FOLDER))


def served(manifest: dict[str, Any], generation: Path, chroma_url: str) -> VectorLocation:
    """Where to read a generation's vectors: as recorded, reaching a server at ``chroma_url`` when
    given (the same server seen from another machine). An embedded index opened with a server
    address is refused: its vectors are not there."""
    location = recorded(manifest, generation)
    if not chroma_url:
        return location
    if location.path is not None:
        raise VectorStoreError(
            f"the index in {str(generation.parent)!r} keeps its vectors in its own folder (embedded Chroma), "
            f"not on {chroma_url}: put them there with `assure-qa index --index {generation.parent} "
            f"--chroma-url {chroma_url}`, or leave out --chroma-url")
    return VectorLocation(location.collection, url=normal_url(chroma_url))


def target(chroma_url: str, old_manifest: dict[str, Any], index_id: str, generation: str,
           work: Path) -> VectorLocation:
    """Where a new generation's vectors go: to the server at ``chroma_url`` when given; else where the
    current generation keeps them; else (a new index) embedded in the generation's folder."""
    old = old_manifest.get("vectors") or {}
    url = normal_url(chroma_url) if chroma_url else (old.get("url", "") if old.get("store") == SERVER else "")
    if url:
        return VectorLocation(collection_name(index_id, generation), url=url)
    return VectorLocation.embedded(work / EMBEDDED_FOLDER)


def moved(chroma_url: str, old_manifest: dict[str, Any]) -> bool:
    """Whether ``chroma_url`` asks for the vectors somewhere the current generation does not keep them."""
    if not chroma_url or not old_manifest:
        return False
    old = old_manifest.get("vectors") or {}
    return old.get("store") != SERVER or old.get("url") != normal_url(chroma_url)
