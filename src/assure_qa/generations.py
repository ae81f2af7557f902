"""The index folder's generations: ``CURRENT`` names the one served, a new one is switched in with
an atomic rename, and older ones are pruned (on a Chroma server, with their collections)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from . import stores
from .dense import delete_collections
from .errors import IndexMissing


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    path = index_dir / pointer.read_text(encoding="utf-8").strip()
    return path if (path / "manifest.json").exists() else None


def read_manifest(index_dir: str | Path) -> dict[str, Any]:
    generation = current_generation(Path(index_dir))
    if generation is None:
        raise IndexMissing(str(index_dir))
    return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))


def switch(index_dir: Path, name: str) -> None:
    pointer = index_dir / "CURRENT"
    temporary = index_dir / f".CURRENT.{os.getpid()}"
    temporary.write_text(name + "\n", encoding="utf-8")
    os.replace(temporary, pointer)


def remove_old_generations(index_dir: Path, keep: set[str], location: stores.VectorLocation, index_id: str,
                            old_manifest: dict[str, Any]) -> None:
    """Delete generations other than ``keep``, and on a server their collections (and any an
    interrupted build of this index left there)."""
    for path in index_dir.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    if location.path is None:
        kept = {location.collection, (old_manifest.get("vectors") or {}).get("collection", "")}
        delete_collections(location.url, stores.collection_prefix(index_id), kept)
