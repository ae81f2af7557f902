"""Score and rating questions ("what did Anytown score for safeguarding?", "which councils scored 2
for assessing needs?", "what is Durham's overall rating?", "what was Anytown's weakest area?")
matched against the stored scores."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .answer_types import RATE_ASKED, SUPERLATIVE_SCORE
from .records import Score
from .sparse import tokenize
from .taxonomy import QUALITY_STATEMENTS, quality_statement_named

INTENT = re.compile(rf"\b(?:scor(?:e|ed|es|ing)|rat(?:ed|ing|ings))\b|{RATE_ASKED}|{SUPERLATIVE_SCORE.pattern}", re.I)
_HIGHEST = re.compile(r"\b(?:highest|best|strongest|top|most)\b", re.I)
_LOWEST = re.compile(r"\b(?:lowest|worst|weakest|poorest|bottom|least)\b", re.I)
_VALUE = re.compile(r"\bscored?\s+(?:an?\s+|of\s+)?([1-4])\b(?!\s*%)", re.I)
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


def match_scores(question: str, scores: Sequence[Score], councils: Sequence[str], detail: str = "") -> list[Score]:
    """The scores a question asks about, in stored order; empty when it is not a score question or
    the scores do not cover it (then the question is searched as usual). ``detail`` is the question's
    asked-for detail (``answer_types.DETAILS``): "figure" wants the overall percentage."""
    if not INTENT.search(question):
        return []
    statement = statement_asked(question)
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
