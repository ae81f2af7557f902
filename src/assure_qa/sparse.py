"""BM25 over chunks (rank-bm25's Okapi scoring on a sparse matrix): tokenise, build, save, load, search.

The term counts are persisted as a CSR matrix in ``bm25.npz`` with the terms and chunk ids in
``bm25-vocab.json``, not a pickle: numpy arrays load in milliseconds at any corpus size and the
format does not depend on a library version.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves us
""".split())

_WORD = re.compile(r"[a-z0-9]+")
# British and American spellings meet in one form before stemming: organisation/organization,
# behaviour/behavior, programme/program. Applied to documents and questions alike.
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$")
_OUR = re.compile(r"(?<=[a-z]{3})our(s|ed|ing|al)?$")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    word = _ISE.sub(r"iz\1", word)
    word = _OUR.sub(r"or\1", word)
    if word.endswith("programme") or word.endswith("programmes"):
        word = word.replace("programme", "program")
    return str(_stemmer().stemWord(word))


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens, stop words removed, stemmed (Snowball English)."""
    return [normalise_word(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class SparseIndex:
    """BM25Okapi over a fixed list of chunk ids, scored from a sparse term-by-passage matrix.

    The scoring is rank-bm25's ``BM25Okapi`` (0.2.2) exactly: idf ``log(N - n + 0.5) - log(n + 0.5)``
    with a negative idf replaced by ``epsilon`` times the mean idf, and the Okapi term weight
    ``tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl))``. Each term's weight over all passages is
    precomputed once per load as one row of a CSR matrix, so a query costs the postings of its terms,
    not a Python loop over every passage (tests/test_sparse_parity.py checks the scores against
    rank-bm25 itself).
    """

    def __init__(self, ids: Sequence[str], vocabulary: Sequence[str], tf: sparse.csr_matrix,
                 k1: float, b: float, epsilon: float = 0.25) -> None:
        self.ids = list(ids)
        self.vocabulary = list(vocabulary)
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self._tf = tf.tocsr()  # terms x passages, raw counts
        self._term = {t: i for i, t in enumerate(self.vocabulary)}
        self._position = {cid: i for i, cid in enumerate(self.ids)}
        n = len(self.ids)
        self._doc_len = np.asarray(self._tf.sum(axis=0), dtype=float).ravel() if n else np.zeros(0)
        # rank-bm25 divides by the vocabulary size and the mean length: with no tokens there is no BM25.
        self._empty = not self.vocabulary or not self._doc_len.sum()
        self._idf = self._okapi_idf(np.diff(self._tf.indptr).astype(float), n)
        self._weights = self._okapi_weights()

    def _okapi_idf(self, df: np.ndarray, n: int) -> np.ndarray:
        if self._empty:
            return np.zeros(len(df))
        idf = np.log(n - df + 0.5) - np.log(df + 0.5)
        # rank-bm25 sums the raw idfs in vocabulary order; sum() order only matters to the last ulp.
        idf[idf < 0] = self.epsilon * (idf.sum() / len(idf))
        return idf

    def _okapi_weights(self) -> sparse.csr_matrix:
        weights = self._tf.astype(float, copy=True)
        if self._empty:
            return weights
        avgdl = self._doc_len.sum() / len(self.ids)
        tf = weights.data
        norm = self.k1 * (1 - self.b + self.b * self._doc_len[weights.indices] / avgdl)
        rows = np.repeat(np.arange(weights.shape[0]), np.diff(weights.indptr))
        weights.data = self._idf[rows] * (tf * (self.k1 + 1) / (tf + norm))
        return weights

    @classmethod
    def build(cls, ids: Sequence[str], texts: Iterable[str], k1: float, b: float) -> SparseIndex:
        """Tokenise ``texts`` (one per id) and index them."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for col, text in enumerate(texts):
            for token, count in Counter(tokenize(text)).items():
                rows.append(vocabulary.setdefault(token, len(vocabulary)))
                cols.append(col)
                counts.append(count)
        tf = sparse.csr_matrix((np.asarray(counts, dtype=np.int32), (rows, cols)),
                               shape=(len(vocabulary), len(ids)))
        return cls(ids, list(vocabulary), tf, k1, b)

    def save(self, directory: Path) -> None:
        """Write ``bm25.npz`` (the counts matrix) and ``bm25-vocab.json`` (ids, terms, parameters)."""
        tf = self._tf
        with open(directory / "bm25.npz", "wb") as out:
            np.savez(out, data=tf.data.astype(np.int32), indices=tf.indices, indptr=tf.indptr,
                     shape=np.asarray(tf.shape))
        meta = {"k1": self.k1, "b": self.b, "epsilon": self.epsilon, "ids": self.ids,
                "vocabulary": self.vocabulary}
        (directory / "bm25-vocab.json").write_text(json.dumps(meta, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> SparseIndex:
        """Read what :meth:`save` wrote."""
        meta = json.loads((directory / "bm25-vocab.json").read_text(encoding="utf-8"))
        with np.load(directory / "bm25.npz") as arrays:
            tf = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                   shape=tuple(int(x) for x in arrays["shape"]))
        return cls(meta["ids"], meta["vocabulary"], tf, meta["k1"], meta["b"], meta["epsilon"])

    def knows(self, token: str) -> bool:
        """Does any indexed passage contain ``token``?"""
        return not self._empty and token in self._term

    def idf(self, token: str) -> float:
        """BM25 idf; a token no chunk contains gets the idf of a zero-frequency term (the highest):
        a question about something the corpus never mentions must not look answered."""
        unseen = math.log((len(self.ids) + 0.5) / 0.5)
        if self._empty or (i := self._term.get(token)) is None:
            return unseen
        return float(self._idf[i])

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage (index order); a repeated query term counts each time."""
        counts = Counter(self._term[t] for t in query_tokens if t in self._term)
        if self._empty or not counts:
            return np.zeros(len(self.ids))
        rows = np.fromiter(counts.keys(), dtype=np.int64)
        times = np.fromiter(counts.values(), dtype=float)
        return np.asarray(self._weights[rows].T @ times, dtype=float).ravel()

    def mask(self, ids: Iterable[str]) -> np.ndarray:
        """A boolean row mask selecting ``ids`` (ids the index does not hold are ignored)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[[i for cid in ids if (i := self._position.get(cid)) is not None]] = True
        return mask

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``n`` (chunk id, score) with a positive score, optionally among the rows of ``mask``."""
        return self.top(self.scores(tokenize(query)), n, mask)

    def top(self, scores: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``n`` of precomputed ``scores`` (index order, ties by position), positive only."""
        if n < 1:
            return []
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if len(positive) > n:  # partial selection first: at 45,000 passages a full sort dominates;
            # everything tied with the n-th best stays in, so ties still go to the earlier position.
            nth = -np.partition(-scores[positive], n - 1)[n - 1]
            positive = positive[scores[positive] >= nth]
        order = positive[np.lexsort((positive, -scores[positive]))][:n]
        return [(self.ids[i], float(scores[i])) for i in order]
