"""List questions: the list whose lead-in names the items asked for answers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure_qa import Assistant, Settings
from assure_qa.lists import asked_items, introduces

from .conftest import FakeEmbedder, one_document

REVIEW = """Anytown peer review

1. The peer review team spent three days in Anytown in March 2025 and met 60 staff, partners and
people who use services.

2. The review found the following strengths:
- staff are proud to work for the council and committed to the people they support;
- waiting lists are well managed, with regular contact while people wait;
- a mature Safeguarding Adults Board with good grip of its priorities.

3. The review also identified these areas for development:
- embedding strengths-based practice in every team, so that reviews record what people can do;
- better use of data in the peer review follow-up and in performance reports;
- faster financial assessments.
"""


@pytest.mark.parametrize("question, items", [
    ("What strengths did the peer review find?", "strength"),
    ("Which two areas did CQC mark down most heavily?", "area"),
    ("What are the four priorities in the strategy?", "prioriti"),
    ("Which services are brought together in the hub?", "servic"),
    ("What kinds of technology are used?", ""),  # the kind is not the item
    ("What has the council done about waiting lists?", ""),
    ("How do councils support carers?", ""),
])
def test_the_items_a_list_question_asks_for(question: str, items: str) -> None:
    assert asked_items(question) == items


def test_a_lead_in_names_its_items() -> None:
    assert introduces("strength", "The review found the following strengths:")
    assert not introduces("strength", "The review also identified these areas for development:")
    assert not introduces("", "The review found the following strengths:")


def test_the_list_of_the_items_asked_for_answers(tmp_path: Path) -> None:
    """Both lists share the question's words ("strengths-based", "peer review"); the one whose
    lead-in names strengths is the answer, its items first, in document order."""
    question = "What strengths did the peer review find in Anytown?"
    answer = one_document(tmp_path, "anytown-peer-review.txt", REVIEW, "Anytown Council", "peer review").ask(question)
    assert [c.quote.split()[0] for c in answer.citations[:3]] == ["staff", "waiting", "a"]
    assert "The review found the following strengths:" in answer.text
    unranked = Assistant.open(tmp_path / "index", settings=Settings(answer_items_bonus=0.0),
                              embedder=FakeEmbedder()).ask(question)
    assert unranked.citations[0].quote.startswith("embedding strengths-based")  # what the ranking changes
