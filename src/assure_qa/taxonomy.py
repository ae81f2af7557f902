"""The CQC local authority assessment framework: four themes, nine quality statements.

Documents word these names in many ways ("CQC Theme Two: Providing support.", "Theme 3: Ensuring
Safety", "Quality statement one: Assessing needs:", "Safe systems, pathways, and transitions").
This module maps the variants onto canonical names and, for text outside any theme heading,
classifies a passage with a keyword lexicon drawn from the framework's own descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class QualityStatement:
    key: str  # "1.1"
    name: str
    theme: str
    pattern: re.Pattern[str]  # matches the name as documents word it
    lexicon: tuple[str, ...]  # words and phrases typical of passages about it
    description: str = ""  # the framework's "we statement": what the statement assesses, in its words


THEMES: tuple[str, ...] = (
    "Working with people",
    "Providing support",
    "Ensuring safety",
    "Leadership",
)

_THEME_PATTERNS = (
    re.compile(r"working\s+with\s+people", re.I),
    re.compile(r"providing\s+support", re.I),
    re.compile(r"ensur(?:es|ing)\s+safety", re.I),
    re.compile(r"leadership", re.I),
)


def _qs(key: str, name: str, theme: int, pattern: str, lexicon: str) -> QualityStatement:
    words = tuple(w.strip() for w in lexicon.split(",") if w.strip())
    return QualityStatement(key, name, THEMES[theme - 1], re.compile(pattern, re.I), words, _WE[key])


# The CQC's "we statements" for local authorities, one per quality statement: what each assesses,
# as the framework words it. A question may name a statement by what it is about ("working with
# charities and local partners") rather than by its title.
_WE = {
    "1.1": "We maximise the effectiveness of people's care and treatment by assessing and reviewing their health, "
           "care, wellbeing and communication needs with them.",
    "1.2": "We support people to manage their health and wellbeing so they can maximise their independence, choice "
           "and control, live healthier lives and where possible, reduce future needs for care and support.",
    "1.3": "We actively seek out and listen to information about people who are most likely to experience "
           "inequality in experience or outcomes. We tailor the care, support and treatment in response to this.",
    "2.1": "We understand the diverse health and care needs of people and our local communities, so care is "
           "joined-up, flexible and supports choice and continuity.",
    "2.2": "We understand our duty to collaborate and work in partnership, so our services work seamlessly for "
           "people. We share information and learning with partners and collaborate for improvement.",
    "3.1": "We work with people and our partners to establish and maintain safe systems of care, in which safety "
           "is managed, monitored and assured. We ensure continuity of care, including when people move between "
           "different services.",
    "3.2": "We work with people to understand what being safe means to them and work with our partners to develop "
           "the best way to achieve this. We concentrate on improving people's lives while protecting their right "
           "to live in safety, free from bullying, harassment, abuse, discrimination, avoidable harm and neglect. "
           "We make sure we share concerns quickly and appropriately.",
    "4.1": "We have clear responsibilities, roles, systems of accountability and good governance to manage and "
           "deliver good quality, sustainable care, treatment and support. We act on the best information about "
           "risk, performance and outcomes, and we share this securely with others when appropriate.",
    "4.2": "We focus on continuous learning, innovation and improvement across our organisation and the local "
           "system. We encourage creative ways of delivering equality of experience, outcome and quality of life "
           "for people. We actively contribute to safe, effective practice and research.",
}


QUALITY_STATEMENTS: tuple[QualityStatement, ...] = (
    _qs("1.1", "Assessing needs", 1, r"assessing\s+needs",
        # Not bare "assessment" or "review": in these documents they mostly mean the CQC's
        # assessment of the council or a peer review, not an assessment of someone's needs.
        "needs assessment, assessment of need, care act assessment, care act assessments, reassessment, "
        "reassessments, awaiting assessment, awaiting an assessment, assessment and review, annual review, "
        "eligibility, waiting list, waiting lists, waiting times, backlog, financial assessment, "
        "financial assessments, carers assessment, carers assessments, care plan, care planning, "
        "strengths-based, strength based, occupational therapy, direct payment, direct payments, "
        "charging, timeliness, front door, triage, allocation"),
    _qs("1.2", "Supporting people to live healthier lives", 1,
        r"supporting\s+people\s+to\s+(?:live|lead)\s+healthier\s+lives|healthier\s+lives",
        "prevention, preventative, prevent, reablement, wellbeing, well-being, information and "
        "advice, signposting, equipment, assistive technology, technology enabled care, tec, "
        "early help, independence, healthier, intermediate care, community connector, carers, "
        "unpaid carers"),
    _qs("1.3", "Equity in experiences and outcomes", 1,
        r"equity\s+in\s+experiences?\s+and\s+out-?\s*comes",
        "equity, equality, diversity, inclusion, edi, inequalities, inequality, protected "
        "characteristics, ethnicity, lgbt, traveller, deprivation, deprived, accessible, "
        "accessibility, seldom heard, marginalised, disadvantaged"),
    _qs("2.1", "Care provision, integration and continuity", 2,
        r"care\s+provision,?\s+integration,?\s+and\s+continuity",
        "market, market shaping, commissioning, commission, providers, provider, homecare, home "
        "care, domiciliary, residential, nursing, care home, care homes, supported living, extra "
        "care, sufficiency, personal assistants, fair cost of care, placements, capacity"),
    _qs("2.2", "Partnerships and communities", 2, r"partnerships?\s+and\s+communities",
        "partnership, partnerships, partners, integration, integrated, icb, nhs, health and "
        "wellbeing board, vcse, voluntary, community sector, collaborate, collaboration, joint "
        "working, place, alliance, housing"),
    _qs("3.1", "Safe pathways, systems and transitions", 3,
        r"safe\s+(?:systems|pathways),?\s+(?:pathways|systems),?\s+and\s+transitions",
        "transition, transitions, hospital discharge, discharge, continuity, moving between, "
        "pathway, pathways, out of area, preparing for adulthood, moving into adulthood, "
        "emergency, contingency, risk management, homelessness"),
    _qs("3.2", "Safeguarding", 3, r"\bsafeguarding\b",
        "safeguarding, s.42, section 42, enquiry, enquiries, concerns, abuse, neglect, "
        "making safeguarding personal, msp, safeguarding adults board, sab, safeguarding adults "
        "review, sar, sars, deprivation of liberty, dols, mental capacity, advocacy, advocate, "
        "modern slavery, restrictive practice, restraint"),
    _qs("4.1", "Governance, management and sustainability", 4,
        r"governance,?\s+management,?\s+and\s+sustainability",
        "governance, accountability, board, boards, budget, financial, finance, mtfp, risk "
        "register, performance, scrutiny, oversight, quality assurance, strategy, sustainability, "
        "workforce, recruitment, retention, cabinet, leaders, leadership"),
    _qs("4.2", "Learning, improvement and innovation", 4,
        r"learning,?\s+improvement,?\s+and\s+innovation",
        "learning, improvement, innovation, innovative, training, development, co-production, "
        "coproduction, co-produce, feedback, complaints, research, digital, artificial "
        "intelligence, continuous improvement, peer review, apprenticeship"),
)

# A CQC local authority assessment names its council only in its page titles
# ("Anytown Council: local authority assessment"); the body says "the local authority".
CQC_TITLE = re.compile(r"^[ \t]*(.+?):[ \t]*local authority assessment[ \t]*$", re.I | re.M)
QS_BY_NAME = {qs.name: qs for qs in QUALITY_STATEMENTS}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# "CQC Theme Two: Providing support.", "Theme 3: Ensuring Safety", "Theme 1 Working with People"
THEME_HEADING = re.compile(r"^\W*(?:CQC\s+)?Theme\s+(one|two|three|four|[1-4])\b\s*[:.\-–]?\s*(.*)$", re.I)
# "Quality statement one: Assessing needs:", "Quality Statement two: Leadership – Learning, ..."
QS_HEADING = re.compile(r"^\W*Quality\s+statement\s+(one|two|three|[1-3])\b\s*[:.\-–]?\s*(.*)$", re.I)


def theme_from_heading(line: str) -> str | None:
    """Canonical theme named by a theme heading, or None if the line is not one."""
    match = THEME_HEADING.match(line.strip())
    if not match:
        return None
    number = _NUMBER_WORDS[match.group(1).lower()]
    rest = match.group(2)
    for i, pattern in enumerate(_THEME_PATTERNS):
        if pattern.search(rest):
            return THEMES[i]
    return THEMES[number - 1]


def quality_statement_from_heading(line: str, theme: str | None) -> str | None:
    """Canonical quality statement named by a heading such as "Quality statement two: Safeguarding"."""
    match = QS_HEADING.match(line.strip())
    if not match:
        return None
    rest = match.group(2)
    named = quality_statement_named(rest)
    if named:
        return named
    if theme:  # "Quality statement one:" alone: the n-th statement of the current theme
        in_theme = [qs for qs in QUALITY_STATEMENTS if qs.theme == theme]
        index = _NUMBER_WORDS[match.group(1).lower()] - 1
        if index < len(in_theme):
            return in_theme[index].name
    return None


def statement_page_title(line: str) -> str | None:
    """The quality statement a CQC assessment's statement page is titled after: the whole line is
    "<Council>: <statement name>", e.g. "Anytown Council: safeguarding" (any known wording)."""
    head, sep, name = line.strip().rstrip(".").partition(":")
    if not sep or not head.strip() or not name.strip():
        return None
    return next((qs.name for qs in QUALITY_STATEMENTS if qs.pattern.fullmatch(name.strip())), None)


def quality_statement_named(text: str) -> str | None:
    """The quality statement whose name appears in ``text`` (first by position), if any."""
    found = [(m.start(), qs.name) for qs in QUALITY_STATEMENTS if (m := qs.pattern.search(text))]
    return min(found)[1] if found else None


def themes_named(text: str) -> list[str]:
    """Themes whose names appear in ``text``."""
    return [THEMES[i] for i, pattern in enumerate(_THEME_PATTERNS) if pattern.search(text)]


def theme_of(quality_statement: str) -> str:
    return QS_BY_NAME[quality_statement].theme


def canonical_theme(value: str) -> str:
    """Accept a theme's canonical name, any documented variant or its number."""
    value = value.strip()
    if value in THEMES:
        return value
    if value.isdigit() and 1 <= int(value) <= 4:
        return THEMES[int(value) - 1]
    found = themes_named(value) or ([t] if (t := theme_from_heading(value)) else [])
    if not found:
        raise ValueError(f"unknown CQC theme {value!r}; use one of: {', '.join(THEMES)}")
    return found[0]


def canonical_quality_statement(value: str) -> str:
    value = value.strip()
    for qs in QUALITY_STATEMENTS:
        if value in (qs.name, qs.key) or qs.pattern.search(value):
            return qs.name
    names = ", ".join(qs.name for qs in QUALITY_STATEMENTS)
    raise ValueError(f"unknown quality statement {value!r}; use one of: {names}")


def _lexicon_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", re.I)


# Each phrase with its case-folded form: a phrase absent from the folded text cannot match, and a
# substring test is far cheaper than the bounded regular expression (40 s of a 45,000-passage build).
_LEXICON = [(qs, [(p.casefold(), _lexicon_pattern(p)) for p in qs.lexicon]) for qs in QUALITY_STATEMENTS]


def classify(text: str, within: tuple[str, ...] = ()) -> tuple[str | None, float]:
    """Most likely quality statement for a passage, and its score (distinct lexicon hits).

    ``within`` restricts the choice, e.g. to the statements a section heading lists. A passage
    with fewer than two distinct lexicon hits is left unclassified: a guess would mislead a filter.
    """
    best: tuple[int, int, str | None] = (0, 0, None)
    folded = text.casefold()
    for qs, lexicon in _LEXICON:
        if within and qs.name not in within:
            continue
        patterns = [pattern for phrase, pattern in lexicon if phrase in folded]
        distinct = sum(1 for p in patterns if p.search(text))
        total = sum(len(p.findall(text)) for p in patterns) if distinct else 0
        if (distinct, total) > best[:2]:
            best = (distinct, total, qs.name)
    if best[0] < 2:
        return None, float(best[0])
    return best[2], float(best[0])
