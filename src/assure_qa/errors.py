"""Typed errors. Library code raises these; the CLI and the app show them at one boundary."""

from __future__ import annotations


class AssureQAError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class UnreadableDocument(AssureQAError):
    """A corpus file could not be read. The rest of the corpus is still indexed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RefusedDocument(UnreadableDocument):
    """A corpus file that must not be read at all (a link out of the corpus folder). Unlike an
    unreadable one, its previous version is not kept either: it may never have belonged there."""


class CorpusError(AssureQAError):
    """The corpus folder or its manifest is unusable."""


class IndexMissing(AssureQAError):
    """No index has been built yet in the given folder."""

    def __init__(self, index_dir: str) -> None:
        super().__init__(
            f"no index in {index_dir!r}: build it with `assure-qa index --index {index_dir}`"
        )


class IndexMismatch(AssureQAError):
    """The index on disk was built with other settings or another chunker version."""

    def __init__(self, index_dir: str, detail: str) -> None:
        super().__init__(
            f"the index in {index_dir!r} does not match this version ({detail}): "
            f"rebuild it with `assure-qa index --index {index_dir}`"
        )


class VectorStoreError(AssureQAError):
    """The Chroma store of an index generation cannot be reached or does not hold its collection."""


class AccessError(AssureQAError):
    """Users file, password or bind address refused: the message says which and why."""


class BadQuestion(AssureQAError):
    """The question or a filter value cannot be used."""


class IndexCorrupt(AssureQAError):
    """The index's stored documents and chunks disagree."""
