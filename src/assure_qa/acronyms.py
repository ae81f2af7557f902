"""Acronyms the documents define, mined at index time, used to expand questions both ways.

Council documents define their acronyms inline: "Safeguarding Adults Review (SARS)", "Deprivation
of Liberty Safeguards (DoLS)", "Personal Assistants (PAs)". A question that says "Safeguarding Adults
Reviews" should find a plan row that only says "SARs", and the other way round. A definition counts
only when the capital letters of the acronym are the initials of the words before it, so "(Adults)"
after "Principal Social Worker" is not taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .sparse import tokenize

_DEFINED = re.compile(r"\(([A-Z][A-Za-z]{1,8})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_LINKING = frozenset({"of", "and", "the", "for", "to", "in", "on", "with", "a", "an"})

# acronym token (as tokenised) -> {"short": spellings as defined, "long": long forms as written}
Acronyms = dict[str, dict[str, list[str]]]


def _letters(acronym: str) -> list[str]:
    capitals = "".join(c for c in acronym if c.isupper())
    forms = [capitals]
    if acronym.endswith("s") or (len(capitals) > 2 and capitals.endswith("S")):
        forms.append(capitals[:-1])  # a plural: PAs, SARS
    return [f for f in forms if len(f) >= 2]


def _long_form(before: str, letters: str) -> str | None:
    words = [(m.start(), m.group()) for m in _WORD.finditer(before)]
    parts: list[tuple[int, str]] = []  # (offset, initial) of content words, hyphen parts split
    for start, word in words:
        if word.lower() in _LINKING:
            continue
        offset = start
        for piece in word.split("-"):
            if piece:
                parts.append((offset, piece[0].upper()))
            offset += len(piece) + 1
    if len(parts) < len(letters):
        return None
    tail = parts[-len(letters):]
    if "".join(initial for _, initial in tail) != letters:
        return None
    return " ".join(before[tail[0][0]:].split())


def mine(texts: Iterable[str]) -> Acronyms:
    """Acronym definitions found in ``texts``."""
    found: Acronyms = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            before = text[max(0, match.start() - 160):match.start()].split("\n")[-1]
            for letters in _letters(match.group(1)):
                long_form = _long_form(before, letters)
                keys = tokenize(match.group(1))
                if long_form and len(keys) == 1:
                    entry = found.setdefault(keys[0], {"short": [], "long": []})
                    for field, value in (("short", match.group(1)), ("long", long_form)):
                        if value not in entry[field]:
                            entry[field].append(value)
                    break
    return {key: {f: sorted(v) for f, v in entry.items()} for key, entry in sorted(found.items())}


def expand(question: str, acronyms: Acronyms) -> str:
    """``question`` plus the acronym of each long form it spells out.

    Only this direction: documents define an acronym next to its long form, so a question that
    uses the acronym already matches the definition; one that spells out a term the documents
    abbreviate ("Safeguarding Adults Reviews" for "SARs") needs the acronym added. Expanding
    acronyms into long forms too was measured on the dev set and lowered hit@1 (common acronyms
    like CQC flood the question with frequent words).
    """
    joined = f" {' '.join(tokenize(question))} "
    extra = [entry["short"][0] for entry in acronyms.values()
             if any(f" {' '.join(t)} " in joined for form in entry["long"] if (t := tokenize(form)))]
    return f"{question} {' '.join(dict.fromkeys(extra))}" if extra else question


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The capitalised phrase whose initials an acronym the documents never use stands for
    ("SRO" -> "Senior Responsible Officer"), as the documents write it; None when none does.

    A question may use an abbreviation its reader knows while the documents only ever spell the
    words out; such a question is about something the documents do mention."""
    # Each capital starts a word; lower-case letters after it are that word's next letters ("EqIA":
    # Equality Impact Assessment). A hyphenated word gives an initial per part ("MASH": Multi-Agency
    # Safeguarding Hub).
    starts = re.findall(r"[A-Z][a-z]*", acronym)
    if not (2 <= len(starts) <= 6 and "".join(starts) == "".join(c for c in acronym if c.isalpha())):
        return None
    linking = r"(?:(?:of|and|the|for|to|in|on|with)\s+)?"
    joint = r"(?:-|\s+" + linking + ")"
    capitalised = re.compile(r"\b" + joint.join(f"{start}[a-z]+" for start in starts) + r"\b")
    # Running text often writes the long form in lower case ("an adult multi-agency safeguarding
    # hub"); three or more initials make a chance match of ordinary words unlikely.
    any_case = re.compile(r"\b" + joint.join(f"[{start[0]}{start[0].lower()}]{start[1:]}[a-z]+" for start in starts)
                          + r"\b") if len(starts) >= 3 else None
    texts = list(texts)
    for phrase in (p for p in (capitalised, any_case) if p is not None):
        for text in texts:
            if (match := phrase.search(text)) is not None:
                return " ".join(match.group().split())
    return None


def both_ways(text: str, acronyms: Acronyms) -> str:
    """``text`` plus the acronym of each long form it spells out and the long form of each acronym
    it uses: for checking that a passage names something, not for searching (see ``expand``)."""
    tokens = set(tokenize(text))
    long_forms = [entry["long"][0] for key, entry in acronyms.items() if key in tokens and entry["long"]]
    return " ".join([expand(text, acronyms), *long_forms])
