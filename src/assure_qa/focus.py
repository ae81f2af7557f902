"""What a question asks a figure or a person *of*: its focus, which the answering unit must name.

"How many young carers does Anytown support?" counts young carers: "Anytown supported 3,480 carers"
states a count, on the topic, but not of young carers; the documents touch the question without
answering it. "Who chairs the Safeguarding Adults Board?" asks for the chair of that board, not of
the Improvement Board a neighbouring sentence names. The focus is the noun phrase the asking frame
governs ("how many …", "what proportion of …", "who chairs …", "who is the chair of …"), cut where
its describing clause starts (a verb, a preposition, a participle after the noun: "people finishing
reablement" counts people). Words that say only what kind of thing is counted ("people", "staff",
"action") are left out: a figure of "1,274 were waiting" counts people without saying so.

A unit names the focus when each of its words is in the unit, its lead-in, its table header, or
the section or document it sits in (a table of safeguarding figures need not repeat
"safeguarding" in every row), an acronym standing for its long form and the other way round. A
focus word that none of the passages considered uses is the question's paraphrase ("inspectors"
for "members of the assessment team") and is not required (``candidates``).

The same noun phrase, after "what" or "which", can say what kind of answer is wanted: a measure
("What hourly rate…") asks for a figure, an organisation ("Which provider…") asks which one
(``asked_by_noun``, used by ``answer_types``).
"""

from __future__ import annotations

import re

from .sparse import tokenize

# Where the noun phrase ends: auxiliaries, prepositions, conjunctions, relative words.
_ENDS = frozenset((
    "are were is was be been being am did does do have has had will would can could should may might must "
    "in at on for by from with within across over under during since between per to of about into onto "
    "than as and or but nor who whom whose which that where when while compared versus vs like "
    "a an each every last this next now currently still so").split())
# Verbs questions put after the counted noun that do not end in -ed or -s ("How many staff went…").
_VERBS = frozenset((
    "went go goes came come comes said say says got get gets made make makes took take takes gave give "
    "gives saw see sees felt feel feels told tell tells left leave leaves need needs use uses found find "
    "finds kept keep keeps began begin begins spent spend spends sent send sends met meet meets paid pay "
    "pays hold holds held run runs ran bring brought think thought know knew known become became "
    "receive receives rely relies wait waits live lives stay stays work works").split())
_FRAMES = (
    re.compile(r"\bhow\s+many\s+(?:more\s+|fewer\s+|extra\s+|additional\s+)?(?P<np>.+)", re.I),
    re.compile(r"\bwhat\s+(?:is\s+|was\s+|are\s+|were\s+)?(?:the\s+)?(?:total\s+)?(?:number|numbers|percentage|"
               r"proportion|share|count|total|amount)\s+of\s+(?P<np>.+)", re.I),
    re.compile(r"\bwho\s+(?:chairs|chaired|leads|led|heads|headed|runs|oversees|manages|owns|"
               r"is\s+(?:the\s+)?(?:\w+\s+)?(?:chair|chairman|chairperson|head|lead|leader|owner|manager)\s+(?:of|for))"
               r"\s+(?P<np>.+)", re.I),
)
# Words that say what kind of thing is counted or led, not which: a count of "people" is stated
# as "1,274 were waiting"; "the action to…" is a row of a plan.
_KIND_WORDS = frozenset(tokenize(
    "people person persons adults adult individuals residents staff members users clients families "
    "times number numbers total figure figures amount action actions item items thing things "
    "the those these them they it its their there any all both"))
_WORD = re.compile(r"[\w'’-]+")


def focus_of(question: str) -> str:
    """The noun phrase ``question`` asks a count, share or lead of ("" when it asks none or only
    points back: "how many of those…")."""
    for frame in _FRAMES:
        if (match := frame.search(question)) is None:
            continue
        words: list[str] = []
        for word in _WORD.findall(match.group("np").split("?")[0].split(",")[0]):
            low = word.lower().strip("'’")
            if low in _ENDS or low in _VERBS or (words and low.endswith("ed")):
                break
            if words and low.endswith("ing") and _is_plural(words[-1]):
                break  # "people finishing reablement": a participle starts the describing clause
            if not words and low.endswith("ing") and frame is _FRAMES[2]:
                return ""  # "who leads getting take-up to 33%": an activity, named by a plan's row
            words.append(word)
            if len(words) == 4:
                break
        return " ".join(words)
    return ""


def _is_plural(word: str) -> bool:
    low = word.lower().strip("'’")
    return low in ("people", "staff", "children") or (low.endswith("s") and not low.endswith("ss"))


def focus_terms(question: str) -> tuple[str, ...]:
    """The stemmed words of the focus that say which thing is asked about."""
    # (not the "s" of a possessive: "how many people's experiences" counts experiences)
    return tuple(dict.fromkeys(t for t in tokenize(focus_of(question)) if t not in _KIND_WORDS and len(t) > 1))


# A what/which question whose noun phrase is a measure asks for a figure ("What hourly rate does…",
# "What is Durham's adult social care budget…", "What's the 30-day readmission rate…"); one whose
# noun phrase is an organisation asks which ("Which provider won…", "Which charity leads…").
# The phrase's last word, its head, says which: "what waiting list initiatives" asks for neither.
_HEADS = {"quantity": frozenset("rate budget cost price spend spending figure total amount average median value fee "
                                "uplift overspend underspend deficit saving caseload ratio wait".split()),
          "person": frozenset("provider charity company organisation agency".split())}
_TIMED = frozenset("waiting wait response turnaround".split())  # "waiting time": a length of time
_WHAT = re.compile(r"\b(?:what|which)(?:\s+(?:is|are|was|were)\b|['’]s\b)?", re.I)
_DETERMINERS = frozenset("the its their our his her your".split())


def noun_phrase(text: str) -> list[str]:
    """The words of the noun phrase ``text`` opens, without its determiner or owner ("the",
    "Durham's"): up to an auxiliary, preposition, verb or participle, or to a name after its noun
    ("the price Wealdshire pays")."""
    words: list[str] = []
    for word in _WORD.findall(text.split("?")[0].split(",")[0]):
        low = word.lower().strip("'’")
        if not words and (low in _DETERMINERS or low.endswith(("'s", "’s"))):
            continue
        if words and low in _DETERMINERS | {"a", "an"}:
            return words[:-1]  # "Which charity leads the…": the word before a determiner was a verb
        named = words and word[0].isupper() and words[-1].islower()  # "the price Wealdshire pays"
        if low in _ENDS or low in _VERBS or (words and low.endswith("ed")) or named:
            break
        words.append(word)
    return words[:6]


def asked_by_noun(question: str) -> tuple[int, str] | None:
    """Where ``question`` asks for a figure or a person by naming it, and which: (position, type)."""
    for match in _WHAT.finditer(question):
        words = [w.lower().removesuffix("s") for w in noun_phrase(question[match.end():])]  # not stems: "rating"
        if words[-2:-1] and words[-1] == "time" and words[-2] in _TIMED:
            return match.start(), "quantity"
        for kind, heads in _HEADS.items():
            if words and words[-1] in heads:
                return match.start(), kind
    return None
