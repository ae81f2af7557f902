"""BM25 over chunks with rank-bm25: tokenise, build, save, load, search.

The tokens are persisted (``bm25.json``), not a pickle: loading rebuilds the BM25 statistics in
milliseconds for this corpus size and the file stays readable and version-independent.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

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
    """BM25Okapi over a fixed list of chunk ids."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[list[str]], k1: float, b: float) -> None:
        from rank_bm25 import BM25Okapi

        self.ids = list(ids)
        self.tokens = [list(t) for t in tokens]
        self.k1, self.b = k1, b
        self._position = {cid: i for i, cid in enumerate(self.ids)}
        # rank-bm25 divides by the vocabulary size: an empty index has no BM25 at all.
        self._bm25 = BM25Okapi(self.tokens, k1=k1, b=b) if any(self.tokens) else None

    @classmethod
    def build(cls, ids: Sequence[str], texts: Iterable[str], k1: float, b: float) -> SparseIndex:
        return cls(ids, [tokenize(t) for t in texts], k1, b)

    def save(self, path: Path) -> None:
        data = {"k1": self.k1, "b": self.b, "ids": self.ids, "tokens": self.tokens}
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SparseIndex:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["ids"], data["tokens"], data["k1"], data["b"])

    def knows(self, token: str) -> bool:
        """Does any indexed passage contain ``token``?"""
        return self._bm25 is not None and token in self._bm25.idf

    def idf(self, token: str) -> float:
        """BM25 idf; a token no chunk contains gets the idf of a zero-frequency term (the highest):
        a question about something the corpus never mentions must not look answered."""
        unseen = math.log((len(self.ids) + 0.5) / 0.5)
        return float(self._bm25.idf.get(token, unseen)) if self._bm25 else unseen

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.ids))
        return np.asarray(self._bm25.get_scores(list(query_tokens)), dtype=float)

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``n`` (chunk id, score) with a positive score, optionally among ``allowed`` ids."""
        scores = self.scores(tokenize(query))
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            for cid in allowed:
                if (i := self._position.get(cid)) is not None:
                    mask[i] = True
            scores = np.where(mask, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:n]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]
