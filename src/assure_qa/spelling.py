"""Typing slips in questions, read as the corpus word they were meant to be.

People type searches fast: "greyford quality statment scores", "dashbord", "referalls". A word the
corpus never uses finds nothing by its words, and a question about something the documents never
mention is refused for it; a slip should not be. A word is read as a corpus word when:

- the corpus never uses it (in any form its stem covers) and it is a plain lower-case word of five
  letters or more (not a name, not an acronym);
- a corpus word starts with the same letter (slips rarely hit the first) and is one edit away
  (a letter added, dropped, changed, or two swapped), or two for a word of nine letters or more;
- of such words, the one the corpus uses most.

- it is not an English word: one of the whole words the packaged embedding model's vocabulary
  holds ("alone", "meant", "drove"), or one of them with a common ending or beginning ("shorten",
  "rewriting"). No word list is downloaded: the model package ships its vocabulary.

A real word the corpus lacks is thereby not "corrected": "alone" is not read as "along", nor
"hoarding" as "boarding" (another first letter), nor "hoarders" as "holders" (two edits in eight
letters). The answer says what was read ("read "statment" as "statement"").
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from .sparse import tokenize

_WORD = re.compile(r"[a-z]+")
_QUESTION_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "en", "ly", "est")
_BEGINNINGS = ("re", "un", "co", "pre")


@lru_cache(maxsize=4)
def english_words(package: str) -> frozenset[str]:
    """The whole English words in the vocabulary file (``vocab.txt``) the model package ships;
    empty when it ships none (then no word is read as another)."""
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or ()) if spec else []
    for folder in folders:
        for path in sorted(Path(folder).rglob("vocab.txt")):
            lines = path.read_text(encoding="utf-8").splitlines()
            return frozenset(w for w in lines if w.isalpha() and w.islower())
    return frozenset()


def is_word(word: str, words: frozenset[str]) -> bool:
    """Is ``word`` English: a whole word of ``words``, or one with a common ending or beginning?"""
    stems = [word] + [word[:-len(e)] for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= 3]
    stems += [s + "e" for s in stems[1:]] + [word[len(b):] for b in _BEGINNINGS if word.startswith(b)]
    return any(s in words for s in stems)


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between ``a`` and ``b`` (adjacent swaps count one), or
    ``limit + 1`` once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    """The corpus's words by first letter, with how often the corpus uses each."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self._by_letter: dict[str, list[str]] = {}
        for word in counts:
            self._by_letter.setdefault(word[0], []).append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Speller:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in _WORD.findall(text.lower()) if len(w) >= 4)
        return cls(counts)

    def meant(self, word: str) -> str | None:
        """The corpus word ``word`` was most likely meant to be, or None."""
        limit = 1 if len(word) < 9 else 2
        close = [w for w in self._by_letter.get(word[0], ()) if abs(len(w) - len(word)) <= limit
                 and edits(word, w, limit) <= limit]
        return max(close, key=lambda w: (self.counts[w], w)) if close else None


class Slips:
    """Reads the slips in a corpus's questions; the speller is built from its passages on the
    first word the corpus does not know."""

    def __init__(self, knows: Callable[[str], bool], texts: Callable[[], Iterable[str]],
                 words: frozenset[str]) -> None:
        self.knows = knows  # does the corpus use this stemmed token?
        self.texts = texts
        self.words = words  # English words: not slips, though the corpus lacks them
        self._speller: Speller | None = None

    def read(self, question: str) -> tuple[str, list[str]]:
        """``question`` with each slip read as the corpus word meant, and what was read as what."""
        readings: dict[str, str] = {}
        for match in _QUESTION_WORD.finditer(question):
            word, low = match.group(), match.group().lower()
            if (len(low) < 5 or low in readings or not self.words or self._known(low) or is_word(low, self.words)
                    or (word[0].isupper() and match.start() > 0)):
                continue
            if (meant := self._meant(low)) is not None:
                readings[low] = meant
        if not readings:
            return question, []

        def read(match: re.Match[str]) -> str:
            meant = readings.get(match.group().lower())
            if meant is None:
                return match.group()
            return meant.capitalize() if match.group()[0].isupper() else meant

        return _QUESTION_WORD.sub(read, question), [f"read “{typo}” as “{meant}”" for typo, meant in readings.items()]

    def _known(self, word: str) -> bool:
        tokens = tokenize(word)
        return not tokens or self.knows(tokens[0])  # a stop word is known

    def _meant(self, word: str) -> str | None:
        if self._speller is None:
            self._speller = Speller.from_texts(self.texts())
        return self._speller.meant(word)
