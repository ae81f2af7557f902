"""Embedding for index builds: texts streamed through the model in batches of similar length.

A batch is padded to its longest text, so batches of mixed lengths spend most of their time on
padding; sorting the texts by length first makes each batch nearly uniform (sentence-transformers
sorts only within the batch it is given). Each batch goes straight to its destination, so memory
does not grow with the number of texts beyond their vectors. Progress is reported as texts embedded
against a total known before the first batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Embed = Callable[[list[str]], np.ndarray]


def length_batches(texts: Sequence[str], size: int) -> list[list[int]]:
    """Indices of ``texts`` in batches of at most ``size``, shortest texts first (ties by index)."""
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    size = max(1, size)
    return [order[i:i + size] for i in range(0, len(order), size)]


def embed_batches(texts: Sequence[str], embed: Embed, size: int,
                  sink: Callable[[list[int], np.ndarray], None], tick: Callable[[int], None]) -> None:
    """Embed ``texts`` a length-sorted batch at a time; ``sink(indices, vectors)`` takes each batch,
    ``tick(n)`` counts it."""
    for part in length_batches(texts, size):
        sink(part, embed([texts[i] for i in part]))
        tick(len(part))


class Counter:
    """Texts embedded so far against the build's total, passed on as ``progress(done, total)``."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self._progress = total, 0, progress

    def tick(self, n: int) -> None:
        self.done += n
        if self._progress:
            self._progress(self.done, self.total)


class Buffer:
    """Embedded batches handed on ``size`` rows at a time: a vector store write has a fixed cost
    (Chroma: about 0.1 s a call), so 32-row writes made it a fifth of a large build."""

    def __init__(self, write: Callable[[list[int], np.ndarray], None], size: int = 2048) -> None:
        self._write, self._size = write, size
        self._rows: list[int] = []
        self._vectors: list[np.ndarray] = []

    def add(self, rows: list[int], vectors: np.ndarray) -> None:
        self._rows += rows
        self._vectors.append(vectors)
        if len(self._rows) >= self._size:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._write(self._rows, np.vstack(self._vectors))
        self._rows, self._vectors = [], []
