"""Find documents in corpus/, read them into Documents (``readers``), attach manifest metadata.

Text is kept exactly as read: every offset in the index points into ``Document.text``. A PDF's
text is its pages' extracted text joined with a form feed, and ``page_starts`` records where each
page begins, so every character has a page number. Nothing outside the corpus folder is read: a
link whose target lies elsewhere is refused. A file whose bytes are those of another is indexed
once and reported as a duplicate; a file of a type no reader knows is reported, never ignored.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import re
import tomllib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpusError, RefusedDocument, UnreadableDocument
from .readers import READERS, read_bytes
from .records import Document
from .taxonomy import CQC_TITLE

SUPPORTED = READERS
MANIFEST_NAMES = ("manifest.toml",)
UNKNOWN = "unknown"
UNSUPPORTED = "unsupported type: assure-qa reads " + ", ".join(READERS)


@dataclass
class CorpusScan:
    """What a pass over corpus/ found: readable documents and per-file failures."""

    documents: list[Document] = field(default_factory=list)
    failures: list[UnreadableDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of unsupported types, reported as such
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats)


def doc_id_for(path: Path) -> str:
    """A stable id from the file name: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def load_manifest(corpus_dir: Path) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Entries of corpus/manifest.toml by file name, and the names it excludes."""
    path = corpus_dir / "manifest.toml"
    if not path.exists():
        return {}, set()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc}); fix it or remove it") from exc
    entries: dict[str, dict[str, Any]] = {}
    for entry in data.get("document", []):
        if "file" not in entry:
            raise CorpusError(f"{path}: every [[document]] needs a 'file' key")
        entries[entry["file"]] = entry
    return entries, set(data.get("exclude", []))


def scan_corpus(corpus_dir: str | Path, indexed: Collection[str] = ()) -> CorpusScan:
    """Read every supported file under ``corpus_dir``; failures are collected, not raised.
    ``indexed`` names the files the current index holds: of identical files, the one already
    indexed stays (unless manifest.toml describes another), so adding a copy changes nothing."""
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {str(root)!r} does not exist")
    manifest, excluded = load_manifest(root)
    scan = CorpusScan()
    seen_ids: dict[str, Path] = {}
    readable: list[tuple[Path, Document]] = []
    real_root = root.resolve()
    for path in _files(root):
        name = path.relative_to(root).as_posix()
        if name in excluded or path.name in MANIFEST_NAMES or path.name.startswith("."):
            continue
        if not path.resolve().is_relative_to(real_root):
            scan.failures.append(RefusedDocument(
                name, "refused: it is a link to a file outside the corpus folder; copy the file in instead"))
            continue
        if path.is_dir():
            continue  # a link to a folder inside the corpus: its files are found on their own path
        if path.suffix.lower() not in SUPPORTED:
            scan.skipped.append(name)
            continue
        doc_id = doc_id_for(path)
        if doc_id in seen_ids:
            scan.failures.append(UnreadableDocument(
                name, f"same document id {doc_id!r} as {seen_ids[doc_id].name}; rename one of them"))
            continue
        try:
            document = read_document(path, name, manifest.get(name, {}))
        except UnreadableDocument as exc:
            scan.failures.append(exc)
            continue
        readable.append((path, document))
        seen_ids[doc_id] = path
    scan.documents, scan.duplicates = _once_each(readable, set(manifest), set(indexed))
    return scan


def _once_each(readable: list[tuple[Path, Document]], described: set[str],
               indexed: set[str]) -> tuple[list[Document], list[tuple[str, str]]]:
    """One document per distinct content, and (file, the file it repeats) for the others. The
    one kept is the copy manifest.toml describes, else the one already indexed, else a real file
    rather than a link to it, else the first by name."""
    groups: dict[str, list[tuple[Path, Document]]] = {}
    for path, document in readable:
        groups.setdefault(document.sha256, []).append((path, document))
    keep = {sha: min(group, key=lambda item: (item[1].path not in described, item[1].path not in indexed,
                                              item[0].is_symlink(), item[1].path))[1].path
            for sha, group in groups.items()}
    documents = [d for _, d in readable if keep[d.sha256] == d.path]
    return documents, [(d.path, keep[d.sha256]) for _, d in readable if keep[d.sha256] != d.path]


def _files(root: Path) -> list[Path]:
    """Every file below ``root`` in name order, links included (as themselves, not followed into
    folders), so that a link can be checked before anything is read through it."""
    found = []
    for folder, folders, files in os.walk(root, followlinks=False):
        here = Path(folder)
        found += [here / f for f in files]
        found += [here / d for d in folders if (here / d).is_symlink()]
    return sorted(found)


def read_document(path: Path, name: str, meta: dict[str, Any]) -> Document:
    """Read one file and describe it, from the manifest where given, else from its text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot be opened ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise UnreadableDocument(name, "the file is empty")
    read = read_bytes(raw, path.suffix, name)
    text, page_starts = read.text, read.page_starts
    inferred: list[str] = []

    def pick(key: str, guess: str) -> str:
        value = str(meta.get(key) or "").strip()
        if value:
            return value
        inferred.append(key)
        return guess or UNKNOWN

    return Document(
        doc_id=doc_id_for(path),
        path=name,
        title=pick("title", infer_title(text)),
        council=pick("council", infer_council(text)),
        doc_type=pick("doc_type", infer_doc_type(text)),
        date=pick("date", infer_date(text)),
        source=pick("source", name),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        page_starts=page_starts,
        inferred=tuple(inferred),
        encoding=read.encoding,
    )


_COUNCIL = re.compile(
    r"\b((?:[A-Z][a-z]+\s){1,3}(?:County|Borough|City|District|Metropolitan Borough)\s+Council)\b")
_MONTHS = "|".join(calendar.month_name[1:])
_DATE = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({_MONTHS})\s+(20\d\d)\b")


_PUBLISHED = re.compile(r"^[ \t]*Assessment published:[ \t]*(.+)$", re.I | re.M)


def infer_council(text: str) -> str:
    """The council a CQC assessment's title names, else the one most often named in the opening."""
    title = CQC_TITLE.search(text[:3000])
    if title:
        return title.group(1).strip()
    names = Counter(m.group(1) for m in _COUNCIL.finditer(text[:20000]))
    return names.most_common(1)[0][0] if names else UNKNOWN


def infer_date(text: str) -> str:
    """A CQC assessment's publication date, else the first full or month date in the opening
    of the document, as YYYY-MM[-DD]."""
    published = _PUBLISHED.search(text[:3000])
    match = _DATE.search(published.group(1)) if published else None
    match = match or _DATE.search(text[:3000])
    if not match:
        return UNKNOWN
    day, month, year = match.groups()
    number = list(calendar.month_name).index(month)
    return f"{year}-{number:02d}-{int(day):02d}" if day else f"{year}-{number:02d}"


_TYPES = (
    ("CQC report", CQC_TITLE),
    ("minutes", re.compile(r"\bminutes\b", re.I)),
    ("self-assessment", re.compile(r"\bself[- ]assessment\b", re.I)),
    ("improvement plan", re.compile(r"\bimprovement\s+plan\b", re.I)),
    ("scrutiny report", re.compile(r"\bscrutiny\s+committee\b", re.I)),
    ("CQC report", re.compile(r"\bassessment\s+report\b|\bCQC\s+report\b", re.I)),
)


def infer_doc_type(text: str) -> str:
    head = text[:1500]
    for name, pattern in _TYPES:
        if pattern.search(head):
            return name
    return UNKNOWN


def infer_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" *#\t")
        if 3 <= len(line) <= 150:
            return line
    return UNKNOWN
