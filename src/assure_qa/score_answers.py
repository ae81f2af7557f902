"""Score and rating questions ("what did Anytown score for safeguarding?", "which councils scored 2
for assessing needs?", "what is Durham's overall rating?", "what was Anytown's weakest area?")
matched against the stored scores."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .answer_types import RATE_ASKED, SUPERLATIVE_SCORE
from .dense import Embedder, embed_query
from .records import Chunk, Score
from .sparse import tokenize
from .taxonomy import QUALITY_STATEMENTS, quality_statement_named

INTENT = re.compile(rf"\b(?:scor(?:e|ed|es|ing)|rat(?:ed|ing|ings)|marked)\b|{RATE_ASKED}|{SUPERLATIVE_SCORE.pattern}",
                    re.I)
_HIGHEST = re.compile(r"\b(?:highest|best|strongest|top|most)\b", re.I)
_LOWEST = re.compile(r"\b(?:lowest|worst|weakest|poorest|bottom|least)\b", re.I)
_VALUE = re.compile(r"\bscor(?:e|ed|es|ing)\s+(?:an?\s+|of\s+)?([1-4])\b(?!\s*%)", re.I)
_OVERALL = re.compile(r"\boverall\b|\brat(?:ed|ing)\b", re.I)


_COMMON = set(tokenize("people supporting live lives care"))  # words of many questions, not of one statement
_NAME_WORDS = {qs.name: set(tokenize(qs.name)) - _COMMON for qs in QUALITY_STATEMENTS}


def statement_asked(question: str) -> str | None:
    """The quality statement a question names, in the CQC's wording or in its own ("equity of
    experience and outcomes", "safe systems and transitions"): two or more words of one statement's
    name, and more of them than of any other's."""
    if (named := quality_statement_named(question)) is not None:
        return named
    words = set(tokenize(question))
    counts = sorted(((len(words & name), qs) for qs, name in _NAME_WORDS.items()), reverse=True)
    best, runner_up = counts[0], counts[1]
    return best[1] if best[0] >= 2 and best[0] > runner_up[0] else None


# Words that frame a score question rather than say what is scored.
_FRAME = re.compile(
    r"\b(?:how|what|which|who|did|does|do|was|were|is|are|has|have|had|would|will|cqc|inspectors?|assessors?|"
    r"the|a|an|its|their|it|they|for|on|in|of|as|at|to|from|by|according|council|local|authority|quality|"
    r"statements?|themes?|number|figure|out|scor(?:e|ed|es|ing)|rat(?:e|ed|es|ing|ings)|marks?|marked|"
    r"grade[sd]?|get|got|give|gave|given|receive[sd]?|awarded?|indicative|self|assessments?|areas?|best|worst|"
    r"highest|lowest|strongest|weakest|good|outstanding|inadequate|requires\s+improvement)\b|[^\w\s'’-]",
    re.I)  # "in its CQC assessment", "rated Good" are the frame too


def scored_topic(question: str) -> str:
    """What a score question asks the score of, in its own words, council names already removed:
    "How did CQC mark Anytown on working with charities?" -> "working with charities". Empty when
    it names nothing but the frame ("What did CQC rate Anytown?") or asks for the overall rating."""
    if re.search(r"\boverall\b", question, re.I):
        return ""
    words = _FRAME.sub(" ", question).split()
    return " ".join(words) if len(words) >= 2 else ""


def nearest_statement(similarities: Sequence[float], margin: float) -> str | None:
    """The quality statement a topic is about, by the similarity of its wording to each statement's
    description (``QUALITY_STATEMENTS`` order): the closest, when it is closer than the next by
    ``margin``. "Adult social care" is as close to one statement as to another: it names none."""
    order = sorted(range(len(QUALITY_STATEMENTS)), key=lambda i: -similarities[i])
    best, second = order[0], order[1]
    return QUALITY_STATEMENTS[best].name if similarities[best] - similarities[second] >= margin else None


class StatementMatcher:
    """The quality statement a topic describes (``nearest_statement``), by the similarity of its
    embedding to those of the statements' descriptions (embedded once, on first use)."""

    def __init__(self, embedder: Embedder, margin: float) -> None:
        self.embedder, self.margin = embedder, margin
        self._described: Any = None

    def __call__(self, topic: str) -> str | None:
        if not topic:
            return None
        if self._described is None:
            self._described = self.embedder.embed([f"{qs.name}. {qs.description}" for qs in QUALITY_STATEMENTS])
        similarities = self._described @ embed_query(self.embedder, topic)
        return nearest_statement([float(x) for x in similarities], self.margin)


def held_parts(chunk_at: Callable[[str, int, int], Chunk | None], document: str,
               score: Score) -> list[tuple[Chunk, int, int]]:
    """The span a score was read from, as the passages hold it: whole, or, where it runs over
    passages (a rating line kept apart from the percentage below it), each passage's lines of it."""
    whole = chunk_at(score.doc, score.start, score.end)
    if whole is not None:
        return [(whole, score.start, score.end)]
    parts: list[tuple[Chunk, int, int]] = []
    for line in re.finditer(r"[^\n]*\S[^\n]*", document[score.start:score.end]):
        start, end = score.start + line.start(), score.start + line.end()
        if (chunk := chunk_at(score.doc, start, end)) is None:
            continue  # a heading between them, which no passage holds
        if parts and parts[-1][0] == chunk:
            parts[-1] = (chunk, parts[-1][1], end)
        else:
            parts.append((chunk, start, end))
    return parts


def match_scores(question: str, scores: Sequence[Score], councils: Sequence[str], detail: str = "",
                 statement: str | None = None) -> list[Score]:
    """The scores a question asks about, in stored order; empty when it is not a score question or
    the scores do not cover it (then the question is searched as usual). ``detail`` is the question's
    asked-for detail (``answer_types.DETAILS``): "figure" wants the overall percentage. ``statement``
    is the one the question is known to ask the score of ("how well did Anytown do on safeguarding?",
    or described in its own words: ``nearest_statement``), else it is read from the question."""
    if statement is None and not INTENT.search(question):
        return []
    statement = statement or statement_asked(question)
    value = _VALUE.search(question)
    extreme = max if _HIGHEST.search(question) else min if _LOWEST.search(question) else None
    if statement is None and value is None and extreme is None and not _OVERALL.search(question):
        return []
    rows = [s for s in scores if not councils or s.council in councils]
    if statement is not None or value is not None or extreme is not None:
        rows = [s for s in rows if s.quality_statement is not None and s.score is not None
                and (statement is None or s.quality_statement == statement)
                and (value is None or s.score == int(value.group(1)))]
    else:  # the overall rating; "what percentage score…" asks for its figure, which not every report gives
        rows = [s for s in rows if s.quality_statement is None and (detail != "figure" or s.overall_score is not None)]
    if extreme is not None and value is None:
        # the best or worst of each council's statements; for a named statement, across councils
        groups: dict[str, list[Score]] = {}
        for s in rows:
            groups.setdefault("" if statement else s.council, []).append(s)
        rows = [s for group in groups.values() for s in group
                if s.score == extreme(g.score for g in group if g.score is not None)]
    return rows


def describe_score(score: Score) -> str:
    """One line stating a score as the document does, e.g. "Anytown Council: Safeguarding, score 3"."""
    kind = " (indicative)" if score.indicative else ""
    if score.quality_statement is None:
        percent = f", {score.overall_score}%" if score.overall_score is not None else ""
        return f"{score.council}: overall rating {score.overall_rating or 'not stated'}{percent}{kind}"
    return f"{score.council}: {score.quality_statement}, score {score.score}{kind}"
