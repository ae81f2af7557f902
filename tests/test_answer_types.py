"""Answer types: what a question asks for, and whether a sentence states it."""

from __future__ import annotations

import pytest

from assure_qa.answer_types import answer_type, frame_terms, states
from assure_qa.sparse import tokenize


@pytest.mark.parametrize("question, expected", [
    ("How many case files are audited each month?", "quantity"),
    ("What proportion of carers feel supported?", "quantity"),
    ("How long do people wait for an assessment?", "quantity"),
    ("When will the new carers strategy be published?", "date"),
    ("By when must the advocacy action be complete?", "date"),
    ("Who leads the work on advocacy?", "person"),
    ("Which team signs off safeguarding minutes?", "person"),
    ("What did Anytown score for safeguarding?", "score"),
    ("Is there a strategy for unpaid carers?", "existence"),
    ("Has Darlington had any Safeguarding Adults Reviews?", "existence"),
    ("Why was the hoarding protocol changed?", "reason"),
    ("What actions are planned on transitions?", "list"),
    ("How do other councils support unpaid carers?", "list"),
    ("What did we commit to on advocacy, who leads it and by when?", "list"),  # the first thing asked
    ("Is Durham rated good for safeguarding?", "score"),  # a yes/no question that asks for a rating
    ("How did CQC rate Anytown on safeguarding?", "score"),  # "how did…" asks how, "rate" asks for a score
    ("What was Anytown's weakest area in the CQC assessment?", "score"),
    ("Which quality statement did Anytown do best on?", "score"),
    ("What is the response rate to the carers survey?", "quantity"),  # "rate" as a noun: a figure, no score
    ("How did Durham score for helping people live healthier lives?", "score"),
    ("How did the inspectors mark Anytown on working with charities?", "score"),  # "mark" as "rate"
    ("What mark did Anytown get for equity?", "score"),
    ("What did the council do to mark Carers Week?", "list"),  # to mark an occasion: no score
    ("Is Ravensholme's annual reviews action on track?", "status"),
    ("safeguarding adults board", ""),
    # "who" and "when" ask only where they open a clause; after a noun they are relative.
    ("Where does Darlington rank for people who use services feeling safe?", "quantity"),
    ("What happens when a safeguarding concern is raised?", ""),
    ("What support is there for carers who look after someone with dementia?", "list"),
    ("Tell me who signs off the plan", "person"),
    ("And by when?", "date"),
    ("Which days in May was the site visit?", "date"),
    # Keywords name what they want with a noun.
    ("oxfordshire peer review dates", "date"),
    ("carers strategy lead durham", "person"),
    ("darlington reablement ranking ASCOF", "quantity"),
    ("safeguarding triage timescale", "quantity"),
    ("What is the safeguarding lead's view?", ""),  # a question, not keywords: its nouns are topic
    # The noun a what/which question asks about says what it wants: a measure, a figure; an
    # organisation, who. Its head decides, past a determiner or an owner, before a verb or a name.
    ("What hourly rate does Anytown pay home care providers?", "quantity"),
    ("What is Anytown's adult social care budget for this year?", "quantity"),
    ("What's the 30-day readmission rate for people leaving hospital?", "quantity"),
    ("What's the lowest hourly price Anytown pays home care agencies?", "quantity"),
    ("What was Anytown's median waiting time for a Care Act assessment?", "quantity"),
    ("What fee uplift did the council agree for care homes?", "quantity"),
    ("Which provider won the advocacy contract?", "person"),
    ("Which charity leads the advocacy consortium?", "person"),
    ("What rating did CQC give Anytown?", "score"),  # a rating is a score, not a rate
    ("What waiting list initiatives are there?", ""),  # its head is "initiatives", not the wait
    ("What time did the meeting end?", ""),  # a time of day, not a waiting time
])
def test_the_type_a_question_asks_for(question: str, expected: str) -> None:
    assert answer_type(question) == expected


@pytest.mark.parametrize("kind, text, expected", [
    ("quantity", "27 cases are selected each month for audit.", True),
    ("quantity", "B4.3 Maintain a focus on recruitment.", False),  # a reference is a label
    ("quantity", "28 The visit took place in March.", False),  # a paragraph number is a label
    # no document is numbered that far: a figure opening a key fact, with or without its bullet glyph
    ("quantity", "740 Deprivation of Liberty Safeguards applications were awaiting allocation.", True),
    ("quantity", "■ 740 Deprivation of Liberty Safeguards applications were awaiting allocation.", True),
    ("date", "The strategy will be published by March 2025.", True),
    ("date", "Target: Apr 25", True),
    ("date", "The strategy will be published soon.", False),
    ("person", "Lead: Strategic Manager – Safeguarding", True),
    ("person", "Audits happen every month.", False),
    ("score", "Score: 2", True),
    ("score", "2 - Evidence shows some shortfalls", True),
    ("score", "The local authority worked with partners.", False),
    # a word of scoring states a score only with its value
    ("score", "Safeguarding had been scored 1 (significant shortfalls).", True),
    ("score", "Adult social care was rated good overall.", True),
    ("score", "An ADASS RAG rating tool is used when requests are received.", False),
    ("score", "We did not give indicative scores for the 2 quality statements in the leadership theme.", False),
    ("existence", "Anything at all.", True),  # not a required type: any sentence on the topic
])
def test_what_states_each_type(kind: str, text: str, expected: bool) -> None:
    assert states(kind, text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Median wait for a Care Act assessment (days) | 71 | 34 | 28", True),  # its label gives the unit
    ("The median wait was 34 days.", True),
    ("People waiting for a Care Act assessment | 2,214 | 1,038 | 600", False),  # counts, not times
])
def test_a_row_labelled_with_its_unit_of_time_says_how_long(text: str, expected: bool) -> None:
    assert states("quantity", text, "What is the median wait now?", "duration") is expected


def test_frame_words_are_not_the_topic() -> None:
    assert set(tokenize("lead responsible accountable")) <= frame_terms("person")
    assert "peer" in frame_terms("list", peers=True) and "peer" not in frame_terms("list")


def test_the_words_of_every_frame_a_question_uses_are_not_its_topic() -> None:
    question = "Who owns the reviews action, and is it on track?"
    assert {"own", "track"} <= frame_terms("person", question=question)
    assert "track" not in frame_terms("person")  # without the question, only the type's own frame


def test_a_score_question_on_one_statement_is_not_answered_by_anothers_score() -> None:
    from assure_qa.answer_types import asked_detail
    from assure_qa.candidates import other_statement

    asked = ("Learning, improvement and innovation",)
    assert other_statement("score", asked, "Assessing needs Indicative score: 2")
    assert not other_statement("score", asked, "Learning, improvement and innovation Score: 3")
    assert not other_statement("score", asked, "Score: 3")  # names no statement: its lead-in or context may
    assert not other_statement("quantity", asked, "Assessing needs: 412 people were waiting")
    # "what percentage score…", "a score out of 100": the figure, which a rating alone does not state
    assert asked_detail("What overall percentage score did Westbridge get?", "score") == "figure"
    assert asked_detail("What overall score out of 100 did Harrowmere get?", "score") == "figure"
    assert asked_detail("What overall rating did Harrowmere get?", "score") == ""
    assert not states("score", "CQC rated the Council as 'Requires improvement'.", detail="figure")
    assert states("score", "Harrowmere Borough Council scored 56 out of 100", detail="figure")
