"""What a question asks for, and whether a sentence states it.

"How many case files are audited each month?" is answered by a sentence that states a figure,
"who leads…" by one that names a role, "what did X score…" by a score. A sentence about the right
topic that does not state the asked-for thing is related evidence, not an answer: "the documents
discuss audits but give no figure" is the honest reply. The types:

- quantity: a count, share, duration, rate or sum of money
- date: a date, month, year, quarter or deadline
- person: a person, role, team, board or organisation
- score: a score, rating or grade
- existence: yes or no, whether something exists or is done
- list: actions, approaches, measures, examples
- reason: why something happened or was done
- status: where an action stands (RAG, complete, on track, delayed)

A question can ask for a finer kind of its type, a *detail*: "how long" wants a duration, "how
often" a frequency, "what percentage" a share, "how much did it cost" a sum of money, "where does X
rank" a position, "who chairs" a chair, "the name of" a person's name. A figure that is not a
duration does not say how long; a team that is not said to chair anything does not say who chairs.

The first four and status are *required*: a sentence that does not state one cannot be the answer. A reason
is preferred, not required (documents often give reasons without a causal word). Existence and
list questions are answered by any sentence on the topic; a list answer keeps several items.
"""

from __future__ import annotations

import re

from .focus import asked_by_noun
from .periods import of_other_years
from .sparse import tokenize
from .text import plain_text

TYPES = ("quantity", "date", "person", "score", "existence", "list", "reason")
REQUIRED = frozenset({"quantity", "date", "person", "score", "status"})

_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")

# An interrogative "who" or "when" opens a clause: at the start, after a comma or a conjunction, or
# after a verb of asking or knowing ("tell me who…", "and by when?"). After a noun it is relative or
# a conjunction and asks nothing: "people who use services", "what happens when a concern is raised".
_CLAUSE = (r"(?:^\W*|[,;:(]\s*|\b(?:and|or|but|so|then|also|now|know|knows|tell|me|us|say|says|said|show|shows|"
           r"ask|asked|asking|explain|confirm|out|see|check|about|of|to|for|with|by|from|on|until|since)\s+)")
# "What was our weakest area?", "which quality statement did Anytown score highest on?": a score
# question answered by comparing the scores.
SUPERLATIVE_SCORE = re.compile(
    r"\b(?:weakest|strongest|best|worst|lowest|highest|poorest)\s+(?:[\w'’-]+\s+){0,2}(?:areas?|statements?|"
    r"scores?|ratings?)\b|\bwhich\s+(?:quality\s+)?statements?\b(?=.*\b(?:best|worst|highest|lowest|strongest|"
    r"weakest|top|bottom)\b)", re.I)
# "How did CQC rate Anytown…", "what did inspectors rate…": "rate" (or "mark") as a verb asks for a rating.
RATE_ASKED = (r"\b(?:did|does|do|would|will)\s+(?:[\w'’-]+\s+){0,4}(?<!\bto\s)(?:rate|mark)\b|"
              r"\bwhat\s+marks?\b")  # "how did inspectors mark Anytown on…", "what mark…"; not "to mark Carers Week"
# Question frames, matched anywhere; a question asking several things gets the one asked first (at
# the same place, the specific frame: "How did CQC rate X" asks for a score, not how something is done).
_ASKS = {
    "quantity": re.compile(
        r"\bhow\s+(?:many|much|long|far|often|soon|quickly|big|large|high|low)\b|"
        r"\bwhat\s+(?:proportion|percentage|share|number|rate|figure|level|amount|volume|budget|cost|"
        r"total|average|waiting\s+time|timescales?|response\s+rate)\b|\bwhat\s+(?:per\s*cent|%)|"
        r"\bwhat\s+(?:is|are|was|were)\s+(?:the\s+|its\s+|their\s+)?(?:average|median|mean|typical|total|number|"
        r"proportion|percentage|share|rate|size|cost|budget)\b|"
        r"\bhow\s+(?:has|have|did|does)\s+\w+(?:\s+\w+)?\s+(?:changed|fallen|risen|grown|reduced|increased)\b|"
        r"\bwhere\s+(?:[\w'’-]+\s+){1,8}rank(?:ed|s)?\b|"
        r"\bwhat\s+(?:[\w'’-]+\s+){0,3}(?:rank|ranking|position)\b", re.I),
    "date": re.compile(
        rf"{_CLAUSE}when\b|\b(?:what|which)\s+(?:dates?|days?|weeks?|months?|years?|quarters?|deadlines?)\b|"
        r"\b(?:target|due|completion|start|deadline)\s+dates?\b|\bdeadline\b", re.I),
    "person": re.compile(
        rf"{_CLAUSE}(?:who|whose|whom)\b|\b(?:name\s+of|named)\b(?=.*\b(?:lead|manager|director|officer|chair|head|"
        r"worker|member|councillor|coordinator|champion|principal|commissioner|assessor)s?\b)|\bwhich\s+(?:team|teams|officer|officers|role|body|bodies|board|person|people|"
        r"manager|director|organisation|organisations|partner|partners|service|group|committee)\b|"
        r"\b(?:led|owned|chaired|signed\s+off)\s+by\b|\bresponsible\s+for\b|\baccountable\b", re.I),
    "score": re.compile(r"\bscor(?:e|ed|es|ing)\b|\brat(?:ed|ing|ings)\b|\bgraded?\b|\bjudged\b|"
                        r"\bhow\s+(?:did|does|do|would|will|was|were)\s+(?:[\w'’-]+\s+){0,4}(?:rate|score|mark)\b|"
                        rf"{RATE_ASKED}|{SUPERLATIVE_SCORE.pattern}", re.I),
    "status": re.compile(r"\b(?:what|which)\s+(?:[\w'’-]+\s+){0,2}(?:status|RAG)\b|\bRAG\s+(?:status|rating)\b|"
                         r"\b(?:is|are)\s+(?:[\w'’-]+\s+){1,6}?(?:still\s+)?(?:on|off)\s+track\b",
                         re.I),
    "reason": re.compile(r"\bwhy\b|\bwhat\s+(?:caused|causes|led\s+to|drove|drives|is\s+behind|prompted)\b|"
                         r"\breasons?\b|\bhow\s+come\b", re.I),
    "list": re.compile(
        r"\bwhat\s+(?:actions?|steps|measures|approaches|plans|priorities|initiatives|services|support|"
        r"improvements?|areas?|strengths|changes|work|arrangements|examples|options)\b|"
        r"\bwhat\s+(?:is|are|was|were|has|have|will)\s+(?:[\w'’-]+\s+){1,3}(?:doing|done|do|committed|planned|"
        r"planning|agreed|offer|offering|provide|providing)\b|\bhow\s+(?:do|does|did|are|is|will|can)\b|"
        r"\bwhat\s+did\s+(?:[\w'’-]+\s+){1,4}(?:commit|agree|decide|resolve|find|say|do)\b", re.I),
}
# A query typed as keywords ("oxfordshire peer review dates") names what it wants with a noun.
_ASKING = re.compile(r"^\W*(?:what|who|whom|whose|when|where|why|how|which|is|are|was|were|does|do|did|has|have|"
                     r"had|can|could|will|would|should|tell|list|show|describe|explain|give)\b", re.I)
_KEYWORD_ASKS = {
    "date": re.compile(r"\b(?:dates?|deadlines?|timetable|timeline)\b", re.I),
    "person": re.compile(r"\b(?:lead|leads|owner|owners|chair|responsible|accountable|contact)\b", re.I),
    "quantity": re.compile(r"\b(?:numbers?|figures?|percentage|proportion|total|count|rank|ranking|timescales?|"
                           r"rates?|budgets?|overspend|underspend|spend|costs?|fees?|uplift|median|average|caseloads?)\b",
                           re.I),  # a timescale is a duration: "within 2 working days"; a measure, a figure
}
_YES_NO = re.compile(r"^\s*(?:is|are|was|were|does|do|did|has|have|had|can|will|should)\b", re.I)

# What states each required type. References (B3.1), list and paragraph numbers are labels.
# A paragraph number is followed by a capital ("28 The visit…"); a figure by a word ("27 cases…").
# A number over 150 is a figure whatever follows ("740 Deprivation of Liberty Safeguards
# applications…" in a list of key facts): documents are not numbered that far.
_LABELS = re.compile(r"^[\W\d]*?(?P<para>\d+)[.)]?\s+(?=(?-i:[A-Z(]))|\b[A-Z]{1,2}\d+(?:\.\d+)+\b|^\W*\(?[ivx]+[.)]\s",
                     re.I)
_MAX_PARAGRAPH = 150


def _unlabelled(match: re.Match[str]) -> str:
    para = match.group("para")
    return match.group(0) if para is not None and int(para) > _MAX_PARAGRAPH else " "
_QUANTITY = re.compile(
    r"\d[\d,.:/]*\s*(?:%|per\s*cent)?|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|half|third|quarter|double|doubled|twice|treble|daily|weekly|"
    r"fortnightly|monthly|quarterly|annual|annually|yearly)\b", re.I)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b\.?\s*(?:\d{{2}}|\d{{4}})\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|"
    r"\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bQ[1-4]\b|\b\d{2}/\d{2}\b|"
    r"\b(?:spring|summer|autumn|winter)\b|\b(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?(?:year|month|quarter)\b",
    re.I)
_PERSON = re.compile(
    r"\b(?:manager|managers|director|directors|head\s+of|lead|leads|led\s+by|leading|officer|officers|chair|"
    r"chaired|team|teams|board|boards|member|members|committee|group|partnership|coordinator|co-ordinator|"
    r"principal|cabinet|trust|worker|workers|commissioner|commissioners|champion|executive|chief|deputy|"
    r"responsib\w*|accountab\w*|owner|cllr|councillor|mr|mrs|ms|dr|healthwatch|service|provider|"
    r"association|charity|organisation|practitioner|practitioners|panel|forum|network|ombudsman|cqc|lga)\b",
    re.I)
# A percentage or a "good" states a score only beside a word of rating ("rated as 'Good'", "Score:
# 56%"): a sentence such as "79% of people were satisfied" or "good working relationships" does not.
# A word of scoring states a score only with its value: "scored 3", "rated as Good"; not "a RAG
# rating tool" or "how scores are calculated".
_SCORE = re.compile(
    r"\b(?:scor(?:e|ed|es|ing)|rat(?:ed|ing|ings)|grade[sd]?)\b(?:\s*:|\s+(?:of|was|were|is|are|as|an?|the|overall|at|"
    r"had|has|been|be|now|only|just)\b)*\s*['‘\"“]?(?:\d|(?:outstanding|good|inadequate|requires\s+improvement)\b)|\b(?:outstanding|inadequate|requires\s+improvement)\b|['‘\"“]good['’\"”]|"
    r"\b\d+\s*out\s+of\s+\d+|\b[1-4]\s*(?:-|–|—)\s*evidence\b", re.I)
_STATUS = re.compile(
    r"\b(?:red|amber|green|RAG|complete|completed|on\s+track|off\s+track|delayed|in\s+progress|not\s+(?:yet\s+)?"
    r"started|ongoing|achieved|overdue|closed|slipped|behind|ahead|met|partially|underway|under\s+way|on\s+hold|"
    r"paused|superseded)\b", re.I)
_CARRIES = {"quantity": _QUANTITY, "date": _DATE, "person": _PERSON, "score": _SCORE, "status": _STATUS}

_TIME_UNIT = r"(?:days?|weeks?|fortnights?|months?|years?|hours?|hrs|minutes?|mins)"
# detail -> (its type, how a question asks for it, what a unit stating it holds besides the type).
DETAILS: dict[str, tuple[str, re.Pattern[str], re.Pattern[str]]] = {
    "duration": ("quantity", re.compile(
        rf"\bhow\s+(?:long|quickly|soon)\b|\bhow\s+many\s+(?:working\s+|calendar\s+)?{_TIME_UNIT}\b|"
        r"\b(?:average|median|mean|typical)\s+(?:time|wait|waiting\s+time|duration)\b|"
        r"\b(?:waiting|wait|response|turnaround)\s+times?\b|\btimescales?\b", re.I),
        # A length of time: a time unit counted ("58 days", "a week", "two-year"); "a day centre" is a place.
        re.compile(rf"(?:\d|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several|"
                   rf"many|half)\b)[\s-]*(?:working\s+|calendar\s+|school\s+)?{_TIME_UNIT}\b"
                   r"(?!\s+(?:centres?|care|services?|opportunit\w*))|"
                   rf"\b(?:number|average|median|mean)\s+(?:of\s+)?(?:working\s+|calendar\s+)?{_TIME_UNIT}\b|"
                   rf"\((?:working\s+|calendar\s+)?{_TIME_UNIT}\)|"  # a row's label in its unit: "Median wait (days)"
                   r"\bsame\s+(?:working\s+)?day\b|\bovernight\b", re.I)),
    "frequency": ("quantity", re.compile(r"\bhow\s+(?:often|frequently)\b|\bwhat\s+frequency\b", re.I),
                  re.compile(r"\b(?:daily|weekly|fortnightly|monthly|quarterly|annual|annually|yearly|bi-?annual\w*|"
                             r"once|twice|times|every|each|per)\b", re.I)),
    "share": ("quantity", re.compile(r"\bwhat\s+(?:[\w'’-]+\s+){0,2}(?:percentage|proportion|share|per\s*cent|"
                                     r"fraction)\b|\bin\s+percentage\s+terms\b|\bwhat\s+%", re.I),
              re.compile(r"%|\bper\s*cent\b|\bpercentage\b|\bproportion\b|\b(?:half|thirds?|quarters?)\b|"
                         r"\b\d+\s+(?:in|out\s+of)\s+(?:every\s+)?\d+\b|\bone\s+in\s+\w+\b", re.I)),
    "money": ("quantity", re.compile(
        r"\bhow\s+much\b(?=.*\b(?:spend|spends|spent|cost|costs|costing|budget|fund\w*|invest\w*|money|pay|pays|"
        r"paid|price|fees?|savings?|save|overspend|deficit|income|grant|worth)\b)|£", re.I),
        re.compile(r"£|\b\d[\d,.]*\s*(?:m|bn|k|million|billion|thousand|pounds)\b|\b(?:million|billion)\b", re.I)),
    "rank": ("quantity", re.compile(r"\brank(?:ed|s|ing)?\b|\bleague\s+table\b|\bposition\s+(?:nationally|"
                                    r"regionally|in\s+the\s+(?:region|country|table))\b", re.I),
             re.compile(r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                        r"top|bottom|highest|lowest|best|worst|quartile|decile|ranked|ranking|ranks|placed|position|"
                        r"above|below)\b", re.I)),
    "chair": ("person", re.compile(r"\bwho\s+(?:[\w'’-]+\s+){0,2}chair(?:s|ed)?\b|\bchair(?:man|person)?\s+of\b", re.I),
              re.compile(r"\bchair\w*\b", re.I)),
    "manager": ("person", re.compile(r"\bwho\s+(?:[\w'’-]+\s+)?(?:manages|managed|manage)\b", re.I),
                re.compile(r"\bmanagers?\b|\bmanaged\s+by\b|\bhead\s+of\b|\bled\s+by\b", re.I)),
    # A score as a figure ("what percentage score…", "a score out of 100"): a rating word alone does
    # not state it.
    "figure": ("score", re.compile(r"\b(?:percentage|per\s*cent)\b|%|\bout\s+of\s+(?:100|a\s+hundred|4|four)\b", re.I),
               re.compile(r"\d\s*(?:%|per\s*cent)|\b\d+\s+out\s+of\s+\d+|\bscor\w*\s*:?\s*(?:of\s+)?\d", re.I)),
    # A person's name, not a role: "Councillor Hovvels", "Jane Smith, Corporate Director".
    "name": ("person", re.compile(r"\bname\s+of\b|\bnamed\b|\bwhat\s+is\s+(?:his|her|their)\s+name\b", re.I),
             re.compile(r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof|Professor)\.?\s+[A-Z][a-z]+|(?<!\bof\s)(?<!\band\s)\b[A-Z][a-z]+\s+"
                        r"[A-Z][a-z'-]+,\s+(?:the\s+)?(?:[A-Z][a-z]+\s+){0,3}(?:Director|Head|Chair|Manager|Lead|"
                        r"Member|Officer|Councillor|Principal)\b")),
}
_REASON = re.compile(
    r"\bbecause\b|\bdue\s+to\b|\bas\s+a\s+(?:result|consequence)\b|\bowing\s+to\b|\bin\s+order\s+to\b|"
    r"\bso\s+that\b|\bto\s+ensure\b|\bfollowing\b|\breflect\w*\b|\bdriven\s+by\b|\bin\s+response\s+to\b|"
    r"\bresult(?:ed|s|ing)?\s+(?:in|from)\b|\bcaus\w+\b|\breasons?\b|\bled\s+to\b|\btherefore\b|\bsince\b|"
    r"\bconsequen\w+\b|\baim\w*\s+(?:to|of)\b|\bpurpose\b|\bneed\s+to\b|\bthanks\s+to\b|"
    r"\b(?:credited|attributed|attributable)\s+to\b|\b(?:has|have|had)\s+(?:enabled|allowed|helped)\b|"
    r"\b(?:this|which|it)\s+(?:was|is)\s+to\b|\bin\s+light\s+of\b", re.I)

# The words of a frame say what kind of answer is wanted, not what it is about.
FRAME_TERMS = {
    # "How long does X last", "how far has X come down": verbs of duration and change frame the question.
    "quantity": frozenset(tokenize("number proportion percentage share figure amount total average level "
                                   "rate volume last lasts take takes come down up go gone fall fallen rise "
                                   "risen change changed rank ranked ranking position")),
    "date": frozenset(tokenize("when date day month year deadline due target completion timescale")),
    "person": frozenset(tokenize("who whose lead leads led responsible accountable charge own owns owner owned "
                                 "signs sign off chaired")),
    "score": frozenset(tokenize("score scored scores scoring rating rated ratings grade graded judged mark marks "
                                "marked came come better worse well badly perform performed performing")),
    "reason": frozenset(tokenize("why reason reasons cause caused prompted")),
    "existence": frozenset(tokenize("any there exist exists")),
    "list": frozenset(),
    "status": frozenset(tokenize("status rag track progress")),
}
# "How do other councils…": the words that make a question a peer question say nothing of its topic.
PEER_TERMS = frozenset(tokenize("other others peer peers neighbouring similar different various each every all "
                                "across compare compared comparison side"))
DESCRIBE = {"quantity": "a figure", "date": "a date", "person": "who is responsible",
            "score": "a score or rating", "reason": "a reason", "status": "a status",
            "duration": "how long", "frequency": "how often", "share": "a percentage or proportion",
            "money": "a sum of money", "rank": "a ranking or position", "chair": "who chairs",
            "manager": "who manages", "name": "a person's name", "figure": "a score as a figure"}


def answer_type(question: str) -> str:
    """The type of answer ``question`` asks for ("" when it asks for nothing in particular)."""
    frames = [(m.start(), kind not in REQUIRED, kind) for kind, pattern in _ASKS.items()
              if (m := pattern.search(question))]
    if named := asked_by_noun(question):  # "What hourly rate…", "Which provider…"
        frames.append((named[0], False, named[1]))
    if frames:
        kind = min(frames)[2]
        # "Is there a strategy…", "Has Darlington had any SARs?": a yes/no question, unless the
        # first clause itself asks for a figure, date, role or score ("Is Durham rated…").
        if _YES_NO.match(question) and kind not in REQUIRED:
            return "existence"
        return kind
    if _YES_NO.match(question):
        return "existence"
    if "?" not in question and not _ASKING.match(question):
        found = [(m.start(), kind) for kind, pattern in _KEYWORD_ASKS.items() if (m := pattern.search(question))]
        if found:
            return min(found)[1]
    return ""


_COUNT_ASKED = re.compile(r"\bhow\s+many\b", re.I)
_SHARE_ASKED = re.compile(r"per\s*cent|percentage|proportion|share|%|\brate\b", re.I)
_SHARE = re.compile(r"%|per\s*cent", re.I)
_FREQUENCY = re.compile(r"daily|weekly|fortnightly|monthly|quarterly|annual|annually|yearly", re.I)
_TIME_AFTER = re.compile(rf"\s*(?:working\s+|calendar\s+)?{_TIME_UNIT}\b", re.I)
_YEAR = re.compile(r"(?:19|20)\d{2}|\d{2,4}/\d{2,4}")


# Where the clause that asks ends: "How many were waiting, and how long was the longest wait?" asks
# for a count first; its second question's "how long" is not a detail of the first.
_NEXT_QUESTION = re.compile(r"[?;]|,?\s+(?:and|or|but)\s+(?=(?:how|what|when|who|whom|whose|which|why|where|is|are|"
                            r"was|were|does|do|did|has|have)\b)", re.I)


def asked_detail(question: str, kind: str) -> str:
    """The detail of ``kind`` that ``question`` asks for ("" for none), in the clause that asks for
    ``kind``: the detail asked first there."""
    frame = _ASKS[kind].search(question) if kind in _ASKS else None
    at = frame.start() if frame else 0
    # the clause runs from the boundary before the frame ("What percentage score…") to the next one
    start = max((m.end() for m in _NEXT_QUESTION.finditer(question) if m.end() <= at), default=0)
    end = next((m.start() for m in _NEXT_QUESTION.finditer(question, at + 1)), len(question))
    clause = question[start:end]
    found = [(m.start(), name) for name, (of, asks, _) in DETAILS.items() if of == kind and (m := asks.search(clause))]
    return min(found)[1] if found else ""


def states(kind: str, text: str, question: str = "", detail: str = "") -> bool:
    """Does ``text`` state what a question of type ``kind`` asks for? Unrequired types: always.

    What states it must not be the question's own words: "Who manages the DoLS team?" is not
    answered by a sentence naming "the DoLS team", nor "how many were waiting in November 2024?"
    by its "2024". A "how many" question wants a count, not a percentage or a length of time. A
    figure stated for other years only does not answer a question about a year it names. A
    ``detail`` (``DETAILS``) must be stated too: "how long…" is not answered by "547 people were
    reviewed"."""
    pattern = _CARRIES.get(kind)
    if pattern is None:
        return True
    plain = plain_text(text)
    if kind == "quantity":
        plain = _LABELS.sub(_unlabelled, plain)
    asked = set(tokenize(question))
    wants_count = kind == "quantity" and bool(_COUNT_ASKED.search(question)) and not _SHARE_ASKED.search(question)
    asks_duration = detail == "duration" or bool(DETAILS["duration"][1].search(question))
    if kind == "quantity" and of_other_years(question, plain, ""):
        return False  # a figure for another year: "how many in 2022/23?" is not answered by 2023/24's
    for match in pattern.finditer(plain):
        words = set(tokenize(match.group(0)))
        if words and words <= asked:
            continue
        if wants_count and _SHARE.search(match.group(0)):
            continue
        if wants_count and not asks_duration and _TIME_AFTER.match(plain, match.end()):
            continue  # "43 days" says how long, not how many people or cases
        if kind == "quantity" and _YEAR.fullmatch(match.group(0).strip().rstrip(".,:/")):
            continue  # "in 2023" dates, it does not count
        if kind == "quantity" and detail not in ("frequency", "duration") and _FREQUENCY.fullmatch(match.group(0)):
            continue  # "reviewed weekly" says how often, not how many or how much
        return detail not in DETAILS or bool(DETAILS[detail][2].search(plain))
    return False


def gives_reason(text: str) -> bool:
    return bool(_REASON.search(plain_text(text)))


def frame_terms(kind: str, peers: bool = False, question: str = "") -> frozenset[str]:
    """Question words that say what kind of answer is wanted (and, for a peer question, from
    whom) rather than what it is about: those of ``kind`` and of every other frame ``question``
    uses ("Who owns the reviews action, and is it on track?": "track" is not its topic)."""
    asked = [k for k, pattern in _ASKS.items() if k != kind and pattern.search(question)] if question else []
    return frozenset().union(FRAME_TERMS.get(kind, frozenset()), *(FRAME_TERMS.get(k, frozenset()) for k in asked),
                             PEER_TERMS if peers else frozenset())
