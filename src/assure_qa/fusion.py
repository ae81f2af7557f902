"""Rank fusion and re-ranking: pure functions over ids and scores, no I/O.

Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): score(d) = Σ w_i / (k + rank_i(d)),
ranks starting at 1, k = 60 by default. A document missing from a leg contributes nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence


def rrf(rankings: Sequence[Sequence[str]], k: int = 60,
        weights: Sequence[float] | None = None) -> dict[str, float]:
    """Fuse ranked id lists; returns id -> fused score (not sorted)."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, doc_id in enumerate(ranking, start=1):
            fused[doc_id] = fused.get(doc_id, 0.0) + weight / (k + rank)
    return fused


def boost(scores: Mapping[str, float], factors: Mapping[str, float]) -> dict[str, float]:
    """Multiply each id's score by its factor (default 1)."""
    return {doc_id: score * factors.get(doc_id, 1.0) for doc_id, score in scores.items()}


def ranked(scores: Mapping[str, float], n: int | None = None) -> list[tuple[str, float]]:
    """Highest score first; ties keep insertion order (so earlier legs win ties)."""
    items = sorted(scores.items(), key=lambda item: -item[1])
    return items if n is None else items[:n]


def round_robin(items: Sequence[str], key: Callable[[str], str], per_group: int = 1) -> list[str]:
    """Reorder so the first ``per_group`` items of every group come first, in rank order.

    Used for peer questions: each council's best passage appears before any council's second.
    The remaining items follow in their original order. (A full interleave was measured and
    lowered council coverage: it gives slots to councils with only weak matches.)
    """
    taken: dict[str, int] = {}
    head, tail = [], []
    for item in items:
        group = key(item)
        if taken.get(group, 0) < per_group:
            taken[group] = taken.get(group, 0) + 1
            head.append(item)
        else:
            tail.append(item)
    return head + tail
