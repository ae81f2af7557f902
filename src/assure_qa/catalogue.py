"""What the index manifest says about each document, and what changed between two builds."""

from __future__ import annotations

from typing import Any

from .ingest import CorpusScan
from .records import Document

_COMPARED = ("sha256", "title", "council", "doc_type", "date")


def describe(doc: Document | None, old_manifest: dict[str, Any], doc_id: str,
             per_doc: dict[str, int], stale: dict[str, str]) -> dict[str, Any]:
    """A document's manifest entry (a stale one keeps its previous entry, marked stale)."""
    if doc is None:  # carried over from the previous build
        return {**old_manifest["documents"][doc_id], "stale": stale[doc_id]}
    return {"path": doc.path, "sha256": doc.sha256, "title": doc.title, "council": doc.council,
            "doc_type": doc.doc_type, "date": doc.date, "source": doc.source,
            "pages": len(doc.page_starts) or None, "page_starts": list(doc.page_starts),
            "characters": len(doc.text),
            "chunks": per_doc.get(doc_id, 0), "inferred": list(doc.inferred),
            **({"encoding": doc.encoding} if doc.encoding else {})}


def unchanged(manifest: dict[str, Any], scan: CorpusScan) -> bool:
    """Would a build from ``scan`` hold exactly what ``manifest`` describes (and report the same)?"""
    old = {meta["path"]: (meta["sha256"], meta["title"], meta["council"], meta["doc_type"], meta["date"])
           for meta in manifest.get("documents", {}).values() if not meta.get("stale")}
    new = {d.path: (d.sha256, d.title, d.council, d.doc_type, d.date) for d in scan.documents}
    old_failures = {(f["path"], f["reason"]) for f in manifest.get("failures", [])}
    old_duplicates = {(d["path"], d["same_as"]) for d in manifest.get("duplicates", [])}
    return old == new and old_failures == {(f.path, f.reason) for f in scan.failures} and (
        old_duplicates == set(scan.duplicates) and manifest.get("skipped", []) == scan.skipped)


def changes(old_manifest: dict[str, Any], scan: CorpusScan,
            per_doc: dict[str, int]) -> tuple[list[str], list[str], list[str]]:
    """(added, updated, dropped) files since the build ``old_manifest`` describes. A file that
    failed to read is not dropped: its last good version is still served."""
    old = {meta["path"]: meta for meta in old_manifest.get("documents", {}).values()}
    new = {d.path: describe(d, {}, d.doc_id, per_doc, {}) for d in scan.documents}
    failed = {f.path for f in scan.failures}
    return (sorted(p for p in new if p not in old),
            sorted(p for p, meta in new.items() if p in old and any(old[p].get(k) != meta[k] for k in _COMPARED)),
            sorted(p for p in old if p not in new and p not in failed))
