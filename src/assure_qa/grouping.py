"""Per-council rankings for every council at once, from whole-corpus scores: pure numpy, no I/O.

A peer question, a comparison and the quality statement view each need every council's own ranking.
Searching council by council costs one corpus scan (and one vector-store query) per council: at 400
councils that is seconds. Here a question's BM25 and cosine scores are computed once over the whole
corpus and both legs are ranked within every council by one sort keyed (council, -score, position),
then fused per council exactly as ``fusion.rrf`` and ``fusion.boost`` fuse one ranking: the same
float operations in the same order, ties kept in the same order (the BM25 leg's ids first, in rank
order, then the dense-only ones), so a council's ranking equals the one a search within that council
makes, whatever the number of councils.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupedLeg:
    """One leg's top rows within each group: parallel arrays, grouped, best first in each group."""

    rows: np.ndarray  # passage rows (index order)
    ranks: np.ndarray  # 1-based rank within the row's group


def top_per_group(scores: np.ndarray, rows: np.ndarray, groups: np.ndarray, depth: int) -> GroupedLeg:
    """The ``depth`` best of ``rows`` by ``scores`` within each group (``groups[row]``), ties by row."""
    if depth < 1 or len(rows) == 0:
        return GroupedLeg(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    rows = np.asarray(rows, dtype=np.int64)
    order = rows[np.lexsort((rows, -scores[rows], groups[rows]))]
    ranks = _place_in_group(groups[order]) + 1
    keep = ranks <= depth
    return GroupedLeg(order[keep], ranks[keep])


def top_rows(scores: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` best of ``rows`` by ``scores``, best first, ties by row (partial selection first)."""
    if n < 1 or len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(rows) > n:  # everything tied with the n-th best stays in, so ties still go to the earlier row
        nth = -np.partition(-scores[rows], n - 1)[n - 1]
        rows = rows[scores[rows] >= nth]
    return rows[np.lexsort((rows, -scores[rows]))][:n]


def _place_in_group(group: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal ``group`` values (sorted input)."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))


def fuse_per_group(legs: list[GroupedLeg], weights: list[float], k: int, factors: np.ndarray,
                   groups: np.ndarray, depth: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal rank fusion of ``legs`` within each group, times ``factors[row]``; the ``n`` best
    rows of each group as (rows grouped and best first, their fused scores).

    Ties keep ``rrf``'s insertion order: rows of the first leg by its rank, then rows only in later
    legs by theirs (so the first leg must be BM25, as in ``Retriever._rank``).
    """
    size = len(groups)
    fused = np.zeros(size)
    tie = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    for number, (leg, weight) in enumerate(zip(legs, weights, strict=True)):
        fused[leg.rows] += weight / (k + leg.ranks)
        fresh = ~seen[leg.rows]
        tie[leg.rows[fresh]] = number * (depth + 1) + leg.ranks[fresh]
        seen[leg.rows] = True
    candidates = np.flatnonzero(seen)
    score = fused[candidates] * factors[candidates]
    order = np.lexsort((tie[candidates], -score, groups[candidates]))
    keep = _place_in_group(groups[candidates[order]]) < n
    return candidates[order][keep], score[order][keep]
