"""Question understanding: councils and CQC themes named in a question, peer questions, follow-ups.

Nothing here hard-filters: what it finds steers ranking (see ``retrieve``) so that "what does
Durham do…" prefers Durham's passages without hiding the others, and "how do other councils…"
spreads the results across councils.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .answer_types import answer_type, asked_detail, frame_terms
from .focus import focus_terms
from .sparse import tokenize
from .taxonomy import QUALITY_STATEMENTS, themes_named

_COUNCIL_WORDS = re.compile(
    r"\s+(?:County|Borough|City|District|Metropolitan Borough|Metropolitan District|Metropolitan)?\s*Council$", re.I)
# "London Borough of Barnet", "Royal Borough of Greenwich", "City of York Council", "Council of the
# Isles of Scilly": people say "Barnet", "Greenwich", "York", "Isles of Scilly".
_COUNCIL_PREFIX = re.compile(r"^(?:the\s+)?(?:London\s+Borough|Royal\s+Borough|Metropolitan\s+Borough|Borough|City|"
                             r"County|Council)\s+of\s+(?:the\s+)?", re.I)
PEERS = re.compile(
    r"\b(?:other|peer|peers|each|every|all|different|various|neighbouring|similar)\s+"
    r"(?:councils?|local\s+authorit(?:y|ies)|authorit(?:y|ies)|LAs)\b|\bcompar(?:e|es|ing|ison)\b|"
    r"\bside\s+by\s+side\b|\bothers\b|\bacross\s+(?:the\s+)?councils\b|\bcouncils\b|"
    # "peer review", "peer challenge": an exercise one council went through, not its peers
    r"\bpeers?\b(?![\s-]+(?:reviews?|reviewers?|challenges?|support|mentors?|mentoring|led|assessments?)\b)", re.I)
FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|plus|but|so|what about|how about|and what about|what of|same for|"
    r"and for|is that|are they|does it|do they)\b", re.I)
ANAPHORA = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|he|she|same)\b", re.I)
_PARTITIVE = re.compile(r"\b(?:of|among|from)\s+(?:those|them|these)\b", re.I)
# Words that say what kind of answer is wanted rather than what it is about; and "s" and "t", what
# is left of "CQC's" and "don't" (search keeps them: BM25 weighs them by their own rarity).
GENERIC = frozenset(tokenize(
    "council councils authority authorities local evidence show shows say says tell document "
    "documents find found example examples please question approach approaches doing done "
    "commit commits committed commitment commitments promise promised many much "
    "someone anyone everyone something get gets got give gives given s t onto into upon "
    # Light verbs and adverbs shape how a question is put, not what it is about: "how is X trying
    # to…", "what did the review pick out", "is it actually practised", "currently".
    "try tries tried trying attempt attempts attempting pick picks picked picking actually really "
    "exactly physically specifically particularly currently"))
# "How long…", "how many…": the words ask for a quantity; they say nothing of the topic.
_HOW = "many|much|long|far|often|soon|quickly"  # "how many…": the frame, never the topic
_FRAMES = re.compile(rf"\bhow\s+(?:{_HOW})\b|\bgoing\s+to\b", re.I)  # and the future: "is X going to…"
# Of a quality statement, these ask for its score: "how well did Anytown do on safeguarding?", "what did
# Anytown get for assessing needs?", "which council came out better on safeguarding?"
_HOW_WELL = re.compile(r"\bhow\s+(?:well|good|badly)\b|\bperform(?:ed|s|ing)?\b|"
                       r"\bc[oa]me\s+out\s+(?:better|worse|best|worst|ahead|on\s+top|higher|lower|stronger|weaker)\b|"
                       r"\bwhat\s+(?:did|does|do|would|will)\s+(?:[\w'’-]+\s+){1,3}(?:get|receive|achieve)\b", re.I)
_YES_NO_ONLY = re.compile(r"^\s*(?:is|are|was|were|does|do|did|has|have|had)\s+(?:there|any)\b", re.I)


@dataclass(frozen=True)
class Query:
    original: str
    text: str  # what is searched: the question, completed from history for a follow-up
    councils: tuple[str, ...]
    statements: tuple[str, ...]  # quality statements named
    themes: tuple[str, ...]
    peers: bool
    followup: bool
    search_text: str = ""  # ``text`` without council names: councils steer by boost, not by words
    answer_type: str = ""  # what the question asks for: quantity, date, person, score… (answer_types)
    detail: str = ""  # the finer kind of it asked for: duration, share, chair… (answer_types.DETAILS)
    focus: tuple[str, ...] = ()  # what a count, share or lead is asked of: "young carers" (``focus``)


class CouncilNames:
    """Recognises councils in text by full name or short name ("Durham", "County Durham")."""

    def __init__(self, councils: Iterable[str]) -> None:
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        for council in sorted(set(councils)):
            if not council or council == "unknown":
                continue
            short = _COUNCIL_PREFIX.sub("", _COUNCIL_WORDS.sub("", council).strip()).strip() or council
            names = {council, short} | ({f"County {short}"} if "County" in council else set())
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self.patterns.append((council, re.compile(rf"\b(?:{alternatives})(?:'s|’s)?\b", re.I)))

    def find(self, text: str) -> tuple[str, ...]:
        return tuple(c for c, p in self.patterns if p.search(text))

    def remove(self, text: str) -> str:
        for _, pattern in self.patterns:
            text = pattern.sub(" ", text)
        return " ".join(text.split())


def content_terms(text: str, names: CouncilNames) -> list[str]:
    """Tokens that say what the question is about (no council names, no generic words)."""
    return [t for t in tokenize(_FRAMES.sub(" ", names.remove(text))) if t not in GENERIC]


def understand(question: str, names: CouncilNames, history: Sequence[str] | None = None) -> Query:
    """Interpret ``question`` in the light of the earlier questions of the conversation."""
    previous: Query | None = None
    for earlier in history or ():
        previous = _interpret(earlier, names, previous)
    return _interpret(question, names, previous)


def _interpret(question: str, names: CouncilNames, previous: Query | None) -> Query:
    councils = names.find(question)
    peers = bool(PEERS.search(names.remove(question)))
    statements = tuple(qs.name for qs in QUALITY_STATEMENTS if qs.pattern.search(question))
    themes = tuple(themes_named(question))
    text, followup = question, False
    kind = answer_type(question)
    if previous is not None and _is_followup(question, names, kind):
        followup = True
        base = names.remove(previous.text) if councils else previous.text
        text = f"{base} {question}"
        councils = councils or (() if peers else previous.councils)
        statements = statements or previous.statements
        themes = themes or previous.themes
        peers = peers or (previous.peers and not councils)
    search_text = names.remove(text) if names.find(text) else text
    if statements and kind in ("", "list") and _HOW_WELL.search(question):
        kind = "score"  # the statement's score answers it
    detail = asked_detail(question, kind)
    if followup and previous is not None and (not kind or (kind == "existence" and not _YES_NO_ONLY.match(question))):
        kind, detail = previous.answer_type, previous.detail  # "and for Derbyshire?" asks what was asked before
    focus = focus_terms(names.remove(question))
    if not focus and followup and previous is not None and kind == previous.answer_type:
        focus = previous.focus  # "How many of those…", "And in Derbyshire?": the same thing counted
    return Query(question, text, councils, statements, themes, peers, followup, search_text or text, kind, detail,
                 focus)


_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z]+")


def unknown_names(question: str, known: Callable[[str], bool]) -> list[str]:
    """Capitalised words (not starting a sentence) the corpus never uses, e.g. "Kent", "Ofsted".

    A question about something the documents never mention cannot be answered from them,
    however close the passages look in meaning.
    """
    names = []
    for match in _NAME.finditer(question.strip()):
        tokens = tokenize(match.group())
        if tokens and not known(tokens[0]) and match.group() not in names:
            names.append(match.group())
    return names


def _is_followup(question: str, names: CouncilNames, kind: str) -> bool:
    """A short question that points back ("Who owns that action, and is it on track?"): what it
    asks for (``kind``: who; on track) is not what it is about, so only its other words count."""
    if _PARTITIVE.search(question):
        return True  # "what share of those…": the ones the last question was about
    frame = frame_terms(kind, question=question)
    terms = [t for t in content_terms(question, names) if t not in frame]
    if FOLLOWUP_START.match(question) and len(terms) <= 4:
        return True
    return len(terms) <= 2 and (bool(ANAPHORA.search(question)) or bool(names.find(question)))
