"""Sentences of passages: exact spans, and their vectors computed once at index time.

An answer is made of sentences, so the answerer needs to know how close each candidate sentence
is in meaning to the question, not only which of its words it shares. Embedding a few hundred
sentences per question would cost seconds; the index stores one vector per distinct sentence
(``sentences.npz``), keyed by a hash of its text, and a rebuild embeds only sentences it has not
seen. The question's vector is the one dense retrieval already computed, so a question costs a
dictionary lookup and a dot product per sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embedding import Counter, embed_batches
from .structure import is_table_line
from .text import BULLETS, plain_text

FILE = "sentences.npz"
_TAG = r"</?[A-Za-z][^<>\n]*>"
_BLOCK = r"(?:p|li|div|h[1-6]|td|tr|br)"
# A sentence ends at a full stop before a capital; HTML that a web page left in the text ("…so
# far).</p> <p>547 people…") sits between them; a closing paragraph tag before an opening one ends a
# sentence whatever precedes it (a cell or a caption without a full stop).
_BOUNDARY = re.compile(rf"(?<=[.!?])(?P<keep>[\"”’)]?(?:{_TAG})*)\s+(?=(?:{_TAG})*[A-Z0-9\"“‘(])|"
                       rf"(?P<close></{_BLOCK}>)\s*(?=<{_BLOCK}\b)")
_EDGE_TAGS = re.compile(rf"^(?:\s*{_TAG})+|(?:\s*{_TAG})+\s*$")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|no|nos|st|mr|mrs|ms|dr|cllr|s|para|ref|vs)\.)$", re.I)
# Not tabs: a leading empty cell is part of the row. A paragraph or point number padded with spaces
# ("3.1      The council…", "(ii)   Councillor…") is layout, not part of the sentence.
_LEADER = re.compile(rf"^(?:[ \xa0\-{BULLETS}*>]+|[ \xa0]*"
                     r"(?:\(?[a-z]{1,2}\)|\(?[ivx]{1,5}[.)]|\d{1,3}(?:\.\d{1,2}){0,2}\.?)[ \xa0]{2,})+")
MAX_TABLE_LINE = 1100  # a table row is one sentence up to a passage's length (a tracker row with its progress)


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the document
    end: int
    text: str


def sentences(text: str, base: int = 0) -> list[Span]:
    """Sentence spans of a passage: a table line is one sentence; prose splits at full stops."""
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        if is_table_line(line) and len(line) <= MAX_TABLE_LINE:
            pieces = [(0, len(line))]
        else:
            pieces, begin = [], 0
            for match in _BOUNDARY.finditer(line):
                if _ABBREVIATION.search(line[:match.start() + 1]):
                    continue
                pieces.append((begin, match.start() + len(match.group("keep") or match.group("close") or "")))
                begin = match.end()
            pieces.append((begin, len(line)))
        for a, b in pieces:
            piece = line[a:b]
            if len(pieces) > 1:  # a split line's pieces lose the paragraph tags around them
                inner = _EDGE_TAGS.sub(lambda m: " " * len(m.group(0)), piece)
                a, piece = a + len(inner) - len(inner.lstrip()), inner.strip()
                piece = line[a:a + len(piece)]
            lead = len(piece) - len(_LEADER.sub("", piece))
            piece = piece[lead:].rstrip(" \t\r\xa0")
            if piece:
                start = base + line_start + a + lead
                spans.append(Span(start, start + len(piece), piece))
    return spans


def sentence_key(text: str) -> str:
    """The vector key of a sentence: equal texts share a vector wherever they occur."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


class SentenceVectors:
    """One L2-normalised vector per distinct sentence of the indexed passages."""

    def __init__(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        self.keys = list(keys)
        self.vectors = vectors.astype(np.float32, copy=False)
        if self.vectors.shape[0] != len(self.keys):
            raise ValueError(f"{len(self.keys)} sentence keys but {self.vectors.shape[0]} vectors")
        self._row = {key: row for row, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, key: str) -> np.ndarray | None:
        row = self._row.get(key)
        return None if row is None else self.vectors[row]

    def similarity(self, query_vector: np.ndarray | None, text: str) -> float | None:
        """Cosine similarity of a sentence to the question; None when either vector is unknown."""
        row = self._row.get(sentence_key(text))
        if query_vector is None or row is None:
            return None
        return float(self.vectors[row] @ query_vector)

    def save(self, directory: Path) -> None:
        np.savez(directory / FILE, keys=np.array(self.keys, dtype=str), vectors=self.vectors)

    @classmethod
    def load(cls, directory: Path) -> SentenceVectors:
        """The generation's vectors; empty when the file is absent (answers fall back to words)."""
        path = directory / FILE
        if not path.exists():
            return cls([], np.zeros((0, 0), dtype=np.float32))
        with np.load(path, allow_pickle=False) as data:
            return cls([str(k) for k in data["keys"]], data["vectors"])


@dataclass
class SentencePlan:
    """The distinct sentences of a build: those whose vectors are known, and those to embed."""

    keys: list[str]
    texts: dict[str, str]  # key -> sentence
    found: dict[str, np.ndarray]
    missing: list[str]  # keys without a vector yet

    def embed_texts(self) -> list[str]:
        """What is embedded for each missing sentence (its plain text, markup removed)."""
        return [plain_text(self.texts[k]) or self.texts[k] for k in self.missing]

    def vectors(self) -> SentenceVectors:
        rows = [self.found[k] for k in self.keys]
        return SentenceVectors(self.keys, np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32))


def plan_vectors(passages: Iterable[str], previous: SentenceVectors | None) -> SentencePlan:
    """Every distinct sentence of ``passages``, reusing ``previous`` vectors (same model) by key."""
    texts: dict[str, str] = {}
    for passage in passages:
        for span in sentences(passage):
            texts.setdefault(sentence_key(span.text), span.text)
    found: dict[str, np.ndarray] = {}
    for key in texts:
        vector = previous.get(key) if previous is not None else None
        if vector is not None:
            found[key] = vector
    return SentencePlan(list(texts), texts, found, [k for k in texts if k not in found])


def build_vectors(passages: Iterable[str], embed: Callable[[list[str]], np.ndarray],
                  previous: SentenceVectors | None, batch: int,
                  progress: Callable[[int, int], None] | None = None) -> tuple[SentenceVectors, int]:
    """Vectors for every sentence of ``passages``, reusing ``previous`` ones (same model) by key,
    the rest embedded in length-sorted batches. Returns the vectors and how many were embedded."""
    plan = plan_vectors(passages, previous)
    embed_sentences(plan, embed, batch, Counter(len(plan.missing), progress).tick)
    return plan.vectors(), len(plan.missing)


def embed_sentences(plan: SentencePlan, embed: Callable[[list[str]], np.ndarray], batch: int,
                    tick: Callable[[int], None]) -> None:
    """Fill in ``plan.found`` for its missing sentences."""
    def keep(part: list[int], vectors: np.ndarray) -> None:
        plan.found.update(zip([plan.missing[i] for i in part], vectors, strict=True))

    embed_batches(plan.embed_texts(), embed, batch, keep, tick)
