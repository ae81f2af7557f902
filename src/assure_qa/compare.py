"""Peers side by side: per-council answers to one question, and a quality statement's view.

Each council is ranked on its own (so a small document is not crowded out by a large one; every
council's ranking comes from one pass over the corpus, ``Retriever.search_councils``) and answered
with the same extractive, cited sentence selection as ``ask``, at most three sentences, and with the
same abstention: a council with nothing relevant is listed as such, never padded with weak matches.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .answer import Answerer
from .query import Query
from .records import Comparison, CouncilFindings, CouncilTheme, Filters, ThemePassage
from .retrieve import Retriever
from .taxonomy import QS_BY_NAME

NONE_FOUND = "No passage found in {council}'s documents."
CATEGORIES = (
    ("strengths", re.compile(r"What is our ambition|What do we want to achieve|Key Strengths", re.I)),
    ("evidence", re.compile(r"How do we know|Specific Examples of Evidence", re.I)),
    ("plans", re.compile(r"What are our plans|Plans to Improve|To Maintain|How will we achieve it", re.I)),
    ("others say", re.compile(r"What do others? say", re.I)),
)


def compare(retriever: Retriever, answerer: Answerer, query: Query, councils: list[str], filters: Filters,
            key_terms: list[str], max_sentences: int = 3) -> Comparison:
    """One entry per council, in the order given, citations numbered across the comparison."""
    findings: list[CouncilFindings] = []
    number = 0
    vector = retriever.query_vector(query)  # one embedding for every council's answer
    ranked = retriever.search_councils(query, councils, 8, filters)
    for council in councils:
        hits = ranked.get(council, [])
        answer = answerer.answer(replace(query, councils=(), peers=False), hits, key_terms,
                                 max_sentences=max_sentences, query_vector=vector)
        if not answer.found:
            findings.append(CouncilFindings(council, False, NONE_FOUND.format(council=council), ()))
            continue
        citations = []
        text = answer.text
        for c in answer.citations:
            number += 1
            text = text.replace(f"[{c.n}]", f"[#{number}]")
            citations.append(replace(c, n=number))
        findings.append(CouncilFindings(council, True, text.replace("[#", "["), tuple(citations)))
    theme = filters.themes[0] if filters.themes else None
    return Comparison(query.original, theme, tuple(findings))


def category(section: str) -> str:
    for name, pattern in CATEGORIES:
        if pattern.search(section):
            return name
    return "overview"


def theme_view(retriever: Retriever, statement: str, councils: list[str], per_council: int = 8) -> list[CouncilTheme]:
    """Per council, the passages filed under one quality statement, best matches first."""
    qs = QS_BY_NAME[statement]
    text = f"{qs.name} {' '.join(qs.lexicon[:12])}"
    query = Query(text, text, (), (statement,), (qs.theme,), False, False, text)
    filters = Filters(quality_statements=(statement,))
    ranked = retriever.search_councils(query, councils, per_council, filters)
    return [CouncilTheme(council, tuple(ThemePassage(category(h.chunk.section), h) for h in ranked.get(council, [])))
            for council in councils]

