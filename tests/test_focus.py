"""A count, share or lead must be of what the question asks about: its focus."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure_qa import Assistant
from assure_qa.acronyms import both_ways
from assure_qa.focus import focus_of, focus_terms

from .conftest import one_document

REPORT = """Anytown adult social care annual report 2024/25

Carers

1. The Anytown Carers Centre, which the council funds, supported 3,480 carers with advice, peer
groups and wellbeing activities during the year.

2. At 31 March 2025, 412 carers were waiting for a carer's assessment, and the median wait was 63 days.

3. The Carers Partnership Board agreed the refreshed carers strategy in June 2024. The carers
strategy steering group is chaired by the Head of Commissioning.

Transitions

4. The transitions team supported 85 young people moving from children's services during the year.

Safeguarding

5. The Safeguarding Adults Board (SAB) met six times during the year. The SAB is chaired by
Dr Helen Marsh, an independent chair appointed in 2023.

Governance

6. The Improvement Board is chaired by the Chief Executive and meets monthly.
"""


@pytest.mark.parametrize("question, focus", [
    ("How many young carers does the Carers Centre support?", "young carers"),
    ("How many staff went to the training?", "staff"),
    ("How many people finishing reablement needed no ongoing care?", "people"),  # a participle ends it
    ("What share of the assessment workforce completed recording training?", "the assessment workforce"),
    ("How many case files are audited each month?", "case files"),
    ("How many agency occupational therapists are used?", "agency occupational therapists"),
    ("Who is the independent chair of the Safeguarding Adults Board?", "the Safeguarding Adults Board"),
    ("Who chairs the health scrutiny committee?", "the health scrutiny committee"),
    ("How many of those did they go through?", ""),  # points back: the follow-up keeps the earlier focus
    ("Who leads cutting the DoLS waiting list?", ""),  # an activity: a plan's row names it its own way
    ("When is the next board meeting?", ""),
])
def test_what_a_question_asks_a_count_or_a_lead_of(question: str, focus: str) -> None:
    assert focus_of(question) == focus


def test_kind_words_are_not_the_focus() -> None:
    assert focus_terms("How many people were waiting?") == ()  # "1,274 were waiting" counts people
    assert focus_terms("How many young carers were supported?") == ("young", "carer")
    assert focus_terms("How many people's experiences did they follow?") == ("experi",)  # not the "s"


def test_an_acronym_names_its_long_form_and_the_other_way_round() -> None:
    acronyms = {"sab": {"short": ["SAB"], "long": ["Safeguarding Adults Board"]}}
    assert "Safeguarding Adults Board" in both_ways("The SAB met six times.", acronyms)
    assert "SAB" in both_ways("The Safeguarding Adults Board met.", acronyms)


def _assistant(tmp_path: Path) -> Assistant:
    return one_document(tmp_path, "anytown-annual-report.txt", REPORT, "Anytown Council", "annual report")


def test_a_figure_of_something_else_does_not_answer(tmp_path: Path) -> None:
    """"3,480 carers" and "412 carers" are on the topic, but neither counts young carers: the
    documents discuss carers without stating the figure asked for."""
    assistant = _assistant(tmp_path)
    answered = assistant.ask("How many carers did the Anytown Carers Centre support?")
    assert answered.found and "3,480 carers" in answered.citations[0].quote
    young = assistant.ask("How many young carers did the Anytown Carers Centre support?")
    assert not young.found
    assert young.text.startswith("The documents discuss this but do not state")
    assert young.closest  # the nearest passages are still shown
    followup = assistant.ask("And how many were waiting?",
                             history=["How many young carers did the Anytown Carers Centre support?"])
    assert not followup.found  # the follow-up still counts young carers


def test_a_lead_of_another_body_does_not_answer(tmp_path: Path) -> None:
    """The chair of the carers strategy steering group, beside the Carers Partnership Board, is not
    that board's chair; the Safeguarding Adults Board's own chair is found through its acronym."""
    assistant = _assistant(tmp_path)
    chair = assistant.ask("Who chairs the Anytown Safeguarding Adults Board?")
    assert chair.found and "Dr Helen Marsh" in chair.citations[0].quote
    assert "Chief Executive" in assistant.ask("Who chairs the Anytown Improvement Board?").citations[0].quote
    other = assistant.ask("Who chairs the Anytown Carers Partnership Board?")
    assert not other.found  # the documents name that board but not its chair


def test_a_focus_word_no_passage_uses_is_a_paraphrase(tmp_path: Path) -> None:
    """No passage says "family": the question's own word for the carers cannot be required, and
    the count of carers the centre supported still answers it."""
    assistant = _assistant(tmp_path)
    answer = assistant.ask("How many family carers did the Anytown Carers Centre support?")
    assert answer.found and "3,480 carers" in answer.citations[0].quote
