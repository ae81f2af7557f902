"""Filters as boolean masks over the BM25 rows, precomputed once per opened index.

Each metadata value (council, theme, quality statement, document type) maps to a boolean array over
the passages in ``SparseIndex.ids`` order, and dates to two integer arrays, so a filtered search costs
a few vectorised ``|``/``&`` operations instead of a Python loop over every passage per query.
Semantics are exactly ``dense.chunk_matches`` (tests/test_masks.py checks them against it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .dense import date_bounds, doc_type_key
from .records import Chunk, Filters


def _by_value(values: Iterable[Iterable[str]], n: int) -> dict[str, np.ndarray]:
    rows: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(values):
        for key in keys:
            rows[key].append(i)
    masks = {}
    for key, where in rows.items():
        mask = np.zeros(n, dtype=bool)
        mask[where] = True
        masks[key] = mask
    return masks


class FilterMasks:
    """Boolean masks for ``Filters`` over a fixed passage order."""

    def __init__(self, ids: Sequence[str], chunks: Mapping[str, Chunk]) -> None:
        rows = [chunks[cid] for cid in ids]
        self.size = n = len(rows)
        self._council = _by_value(([c.council] for c in rows), n)
        self._theme = _by_value(([c.theme] if c.theme is not None else [] for c in rows), n)
        self._statement = _by_value(([c.quality_statement] if c.quality_statement is not None else [] for c in rows), n)
        self._doc_type = _by_value(({doc_type_key(t) for t in c.doc_type.split(";") if t.strip()}
                                    for c in rows), n)
        bounds = np.asarray([date_bounds(c.date) for c in rows], dtype=np.int64).reshape(n, 2)
        self._low, self._high = bounds[:, 0], bounds[:, 1]
        self._cache: dict[Filters, np.ndarray] = {}

    def council(self, council: str) -> np.ndarray:
        """The rows of one council (all False for a council the index does not hold)."""
        return self._council.get(council, np.zeros(self.size, dtype=bool))

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Rows that pass ``filters``; None when there is no restriction. Cached per distinct filter."""
        if filters.is_empty():
            return None
        if (cached := self._cache.get(filters)) is not None:
            return cached
        mask = np.ones(self.size, dtype=bool)
        for table, wanted in ((self._council, filters.councils), (self._theme, filters.themes),
                              (self._statement, filters.quality_statements),
                              (self._doc_type, tuple(doc_type_key(t) for t in filters.doc_types))):
            if wanted:
                mask &= self._any(table, wanted)
        if filters.date_from:
            mask &= self._high >= date_bounds(filters.date_from)[0]
        if filters.date_to:
            mask &= self._low <= date_bounds(filters.date_to)[1]
        mask.flags.writeable = False  # shared through the cache
        if len(self._cache) < 256:  # filters come from pickers: few distinct values
            self._cache[filters] = mask
        return mask

    def _any(self, table: dict[str, np.ndarray], wanted: Iterable[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for key in wanted:
            if key in table:
                mask |= table[key]
        return mask
