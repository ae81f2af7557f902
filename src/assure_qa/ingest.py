"""Find documents in corpus/, read .txt/.md/.pdf into Documents, attach manifest metadata.

Text is kept exactly as read: every offset in the index points into ``Document.text``. A PDF's
text is its pages' extracted text joined with a form feed, and ``page_starts`` records where each
page begins, so every character has a page number.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpusError, UnreadableDocument
from .records import Document
from .taxonomy import CQC_TITLE

SUPPORTED = (".txt", ".md", ".pdf")
MANIFEST_NAMES = ("manifest.toml",)
UNKNOWN = "unknown"
PAGE_BREAK = "\f"


@dataclass
class CorpusScan:
    """What a pass over corpus/ found: readable documents and per-file failures."""

    documents: list[Document] = field(default_factory=list)
    failures: list[UnreadableDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unsupported file types


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


def scan_corpus(corpus_dir: str | Path) -> CorpusScan:
    """Read every supported file under ``corpus_dir``; failures are collected, not raised."""
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {str(root)!r} does not exist")
    manifest, excluded = load_manifest(root)
    scan = CorpusScan()
    seen_ids: dict[str, Path] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name in excluded or path.name in MANIFEST_NAMES or path.name.startswith("."):
            continue
        if path.suffix.lower() not in SUPPORTED:
            scan.skipped.append(name)
            continue
        doc_id = doc_id_for(path)
        if doc_id in seen_ids:
            scan.failures.append(UnreadableDocument(
                name, f"same document id {doc_id!r} as {seen_ids[doc_id].name}; rename one of them"))
            continue
        try:
            scan.documents.append(read_document(path, name, manifest.get(name, {})))
            seen_ids[doc_id] = path
        except UnreadableDocument as exc:
            scan.failures.append(exc)
    return scan


def read_document(path: Path, name: str, meta: dict[str, Any]) -> Document:
    """Read one file and describe it, from the manifest where given, else from its text."""
    raw = path.read_bytes()
    if not raw.strip():
        raise UnreadableDocument(name, "the file is empty")
    if path.suffix.lower() == ".pdf":
        text, page_starts = read_pdf(raw, name)
    else:
        text, page_starts = decode_text(raw, name), ()
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
    )


def decode_text(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise UnreadableDocument(name, "looks like a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise UnreadableDocument(name, "the file has no text")
    return text


def read_pdf(raw: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """Extract each page's text with pypdf; report encrypted, broken and image-only PDFs."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(name, "the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    except DependencyError as exc:  # e.g. AES encryption without the crypto extra
        raise UnreadableDocument(name, f"the PDF is encrypted ({exc})") from exc
    except PyPdfError as exc:
        raise UnreadableDocument(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise UnreadableDocument(name, "the PDF has no extractable text (scanned images need OCR)")
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(pages), tuple(starts)


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
