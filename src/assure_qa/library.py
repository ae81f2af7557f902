"""Managing the corpus from the app: list what the index holds, add an uploaded file, remove one,
and rebuild the index in a background thread while the last good generation keeps answering.

Nothing is written outside the corpus folder: an upload's name is reduced to a plain file name in
the corpus folder itself, and a removal only unlinks a file the index lists, inside that folder. An
upload is read before it is copied in, so a bad file is reported by name and reason and never
enters the corpus. What the user says about a file is appended to ``corpus/manifest.toml``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .config import Settings
from .dense import Embedder
from .errors import AssureQAError, BadQuestion, CorpusError, UnreadableDocument
from .index import IndexFiles, build_index, open_index
from .ingest import UNKNOWN, UNSUPPORTED, doc_id_for, infer_council, infer_date, infer_doc_type, infer_title
from .readers import READERS, read_bytes

DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class CorpusEntry:
    """One row of the Documents view: an indexed file, or one the index could not take and why."""

    file: str
    council: str = ""
    title: str = ""
    doc_type: str = ""
    date: str = ""
    passages: int = 0
    inferred: tuple[str, ...] = ()
    status: str = "indexed"


@dataclass(frozen=True)
class UploadGuess:
    """What an uploaded file says about itself, to prefill the form ("" where nothing was found)."""

    file: str
    council: str
    doc_type: str
    date: str
    title: str


@dataclass
class IndexingStatus:
    """The background build: idle | running | done | failed, its progress and what it did."""

    state: str = "idle"
    done: int = 0
    total: int = 0
    message: str = ""
    generation: str = ""
    failures: list[str] = field(default_factory=list)  # "file: reason" for files the build could not read


def entries(manifest: dict[str, Any]) -> list[CorpusEntry]:
    """Every file the index manifest mentions: indexed, stale, failed, skipped or duplicate."""
    rows = []
    for meta in manifest.get("documents", {}).values():
        status = (f"stale: {meta['stale']} (its previous version is served)" if meta.get("stale")
                  else "indexed" + (f" ({meta['encoding']})" if meta.get("encoding") else ""))
        rows.append(CorpusEntry(meta["path"], meta["council"], meta["title"], meta["doc_type"], meta["date"],
                                meta.get("chunks", 0), tuple(meta.get("inferred", ())), status))
    rows += [CorpusEntry(f["path"], status=f"failed: {f['reason']}") for f in manifest.get("failures", [])
             if f["path"] not in {r.file for r in rows}]
    rows += [CorpusEntry(path, status=f"skipped: {UNSUPPORTED}") for path in manifest.get("skipped", [])]
    rows += [CorpusEntry(d["path"], status=f"duplicate of {d['same_as']}: indexed once")
             for d in manifest.get("duplicates", [])]
    return sorted(rows, key=lambda r: r.file)


def safe_name(filename: str) -> str:
    """A plain file name for an upload: no folders, no leading dot, only letters, digits, '.', '-'
    and '_', a known type's suffix in lower case."""
    base = unicodedata.normalize("NFKC", re.split(r"[\\/]", filename)[-1]).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in READERS:
        raise UnreadableDocument(base or filename, UNSUPPORTED)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:100].strip(".-_")
    return f"{stem or 'document'}.{suffix.lower()}"


def check_size(upload: Path, name: str, limit: int) -> None:
    """Refuse a file over ``limit`` bytes before reading it."""
    size = upload.stat().st_size
    if size > limit:
        raise UnreadableDocument(name, f"the file is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB")


def guess(upload: Path, filename: str, limit: int) -> UploadGuess:
    """Council, type, date and title inferred from an uploaded file's text."""
    name = safe_name(filename)
    check_size(upload, name, limit)
    text = read_bytes(upload.read_bytes(), Path(name).suffix, name).text

    def known(value: str) -> str:
        return "" if value == UNKNOWN else value

    return UploadGuess(name, known(infer_council(text)), known(infer_doc_type(text)), known(infer_date(text)),
                       known(infer_title(text)))


def manifest_entry(name: str, council: str, doc_type: str, day: str, title: str) -> str:
    """A ``[[document]]`` table for corpus/manifest.toml; fields left blank are inferred instead."""
    if day and not DATE.match(day):
        raise BadQuestion(f"date {day!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    fields = {"file": name, "council": council, "title": title, "doc_type": doc_type, "date": day,
              "source": f"uploaded in the app on {date.today().isoformat()}"}
    # A JSON string is a valid TOML basic string (both escape quotes, backslashes and controls).
    lines = [f"{key} = {json.dumps(value.strip(), ensure_ascii=False)}" for key, value in fields.items()
             if value.strip()]
    return "\n[[document]]\n" + "\n".join(lines) + "\n"


def without_entry(text: str, name: str) -> str:
    """manifest.toml's text without the ``[[document]]`` table for ``name`` (comments elsewhere kept)."""
    parts = re.split(r"(?m)^(?=\s*\[)", text)
    kept = []
    for part in parts:
        if part.lstrip().startswith("[[document]]"):
            try:
                tables = tomllib.loads(part).get("document", [])
            except tomllib.TOMLDecodeError:
                tables = []
            if tables and tables[0].get("file") == name:
                continue
        kept.append(part)
    if len(kept) == len(parts):
        return text
    return re.sub(r"\n{3,}", "\n\n", "".join(kept))  # no run of blank lines where the table was


def write_manifest(corpus: Path, text: str) -> None:
    """Replace corpus/manifest.toml atomically, after checking the new text parses."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"manifest.toml would not be valid TOML ({exc}); it was left as it was") from exc
    temporary = corpus / f".manifest.toml.{os.getpid()}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, corpus / "manifest.toml")


class Library:
    """The corpus folder behind an Assistant, and the one background build that updates its index."""

    def __init__(self, corpus_dir: str | Path, index_dir: str | Path, settings: Settings, embedder: Embedder,
                 switch: Callable[[IndexFiles], None]) -> None:
        self.corpus = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self.settings = settings
        self.embedder = embedder
        self.switch = switch  # hands a newly built generation to the Assistant
        self.status = IndexingStatus()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._running = False  # decided under the lock, so a request never falls between two builds
        self._again = False

    def add(self, upload: Path, filename: str, council: str, doc_type: str, day: str, title: str,
            indexed_hashes: dict[str, str]) -> str:
        """Copy an uploaded file into the corpus under a safe name and describe it in the manifest."""
        name = safe_name(filename)
        check_size(upload, name, self.settings.upload_max_bytes)
        raw = upload.read_bytes()
        read_bytes(raw, Path(name).suffix, name)  # a bad file is refused here, before it enters the corpus
        same = indexed_hashes.get(hashlib.sha256(raw).hexdigest())
        if same:
            raise UnreadableDocument(name, f"the same content is already indexed as {same}")
        if not self.corpus.is_dir():
            raise CorpusError(f"corpus folder {str(self.corpus)!r} does not exist")
        taken = {doc_id_for(p) for p in self.corpus.rglob("*") if p.name != "manifest.toml" and p.name[0] != "."}
        if doc_id_for(Path(name)) in taken:
            raise UnreadableDocument(name, "a file of this name is already in the corpus: remove it first or rename")
        manifest = self.corpus / "manifest.toml"
        old = manifest.read_text(encoding="utf-8") if manifest.exists() else ""
        text = old + ("" if not old or old.endswith("\n") else "\n") + manifest_entry(name, council, doc_type,
                                                                                      day, title)
        target = self.corpus / name
        temporary = self.corpus / f".upload-{os.getpid()}-{name}"
        temporary.write_bytes(raw)
        os.replace(temporary, target)
        try:
            write_manifest(self.corpus, text)
        except CorpusError:
            target.unlink()
            raise
        return name

    def remove(self, name: str, listed: set[str]) -> None:
        """Delete a file the index lists (a link is removed, never its target) and its manifest entry."""
        root = self.corpus.absolute()
        target = Path(os.path.normpath(root / name))
        if name not in listed or not target.is_relative_to(root) or target == root:
            raise BadQuestion(f"{name!r} is not a file of the corpus")
        if target.is_symlink() or target.is_file():
            target.unlink()
        manifest = self.corpus / "manifest.toml"
        if manifest.exists():
            old = manifest.read_text(encoding="utf-8")
            new = without_entry(old, name)
            if new != old:
                write_manifest(self.corpus, new)

    def rebuild(self) -> None:
        """Start a background build; if one is running, another follows it with the latest files."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
            self.status = IndexingStatus("running", message="reading the corpus")
            self._thread = threading.Thread(target=self._run, name="assure-qa-index", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> IndexingStatus:
        """Block until the background build (and any that follows it) has finished."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status

    def _progress(self, done: int, total: int) -> None:
        self.status = IndexingStatus("running", done, total, "embedding new passages and sentences")

    def _run(self) -> None:
        while True:
            try:
                report = build_index(self.corpus, self.index_dir, self.settings, self.embedder, self._progress)
                self.switch(open_index(self.index_dir, self.settings))
                self.status = IndexingStatus(
                    "done", report.embedded, report.embedded,
                    f"index {report.generation}: {report.documents} documents, {report.chunks} passages "
                    f"({len(report.added)} added, {len(report.updated)} updated, {len(report.dropped)} removed)",
                    report.generation, [str(f) for f in report.failures])
            except AssureQAError as exc:
                self.status = IndexingStatus("failed", message=f"{exc}; the previous index is still answering")
            except Exception as exc:  # noqa: BLE001 - a background thread's boundary: shown, never lost
                self.status = IndexingStatus("failed", message=f"the build failed ({type(exc).__name__}: {exc}); "
                                                               "the previous index is still answering")
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False
                self.status = IndexingStatus("running", message="reading the corpus again")
