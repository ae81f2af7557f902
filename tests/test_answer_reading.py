"""How an answer reads its passages: continuations, lists, evidence that is not the question's own
words, scores quoted in the document's words, acronyms the documents only spell out.

A small fictional council's report, indexed for real (Chroma, BM25) with the fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure_qa import Assistant, Settings
from assure_qa.acronyms import spelled_out
from assure_qa.answer_types import answer_type, asked_detail, states
from assure_qa.candidates import Candidate, Scorer
from assure_qa.index import build_index
from assure_qa.periods import of_other_years
from assure_qa.sentences import Span

from .conftest import FakeEmbedder

REPORT = """Northfield Council: adult social care self-assessment

Workforce

We moved away from the duty rota model for the locality teams in March 2024. This has enabled us to \
use the staff we have on the assessments and safeguarding enquiries that matter most.

Peer challenge

The peer challenge in June 2024 looked at our front door and our waiting lists.
A peer challenge team of 6 reviewers met 40 people who use services.
The feedback named the following strengths:
- Staff know their communities and are proud of their work.
- Waiting lists are managed with a clear risk tool.
- The safeguarding board is mature and challenges partners.

Spending

Northfield spends more per head on adult social care than similar councils.
The home care service is large and is run by the council itself, which is the main reason for the difference.

Assessment queue

At the end of October 2024, 612 people were waiting for a Care Act assessment in Northfield.
The median wait was 58 days and the longest was 311 days.

Governance

The Senior Responsible Officer for inspection readiness is the Assistant Director of Operations.
The brokerage team was restructured in 2023.
Over 85% of regulated care services in Northfield are rated 'Good' by CQC.

Reviews of care and support plans

Our annual performance report for 2023/24 covers the reviews of care and support plans.
Reviews are planned with each person and their family carer.
Of the reviews that fell due, 1,140 were completed on time.
"""


@pytest.fixture(scope="module")
def northfield(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("northfield")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "northfield-2024-self-assessment.txt").write_text(REPORT, encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '[[document]]\nfile = "northfield-2024-self-assessment.txt"\ncouncil = "Northfield Council"\n'
        'doc_type = "self-assessment"\ndate = "2024-09-01"\n', encoding="utf-8")
    build_index(corpus, root / "index", Settings(), FakeEmbedder())
    return Assistant.open(Path(root / "index"), embedder=FakeEmbedder())


def test_a_why_question_quotes_the_sentence_that_carries_on(northfield: Assistant) -> None:
    answer = northfield.ask("Why did Northfield move away from the duty rota model?")
    assert answer.found
    assert "This has enabled us" in answer.text  # the reason, in the sentence after the fact
    assert answer.text.count("We moved away") == 1  # the lead-in is not repeated before it


def test_a_question_naming_a_year_is_not_answered_from_another_years_events(northfield: Assistant) -> None:
    assert northfield.ask("Why did Northfield move away from the duty rota model in 2024?").found
    answer = northfield.ask("Why did Northfield move away from the duty rota model in 2023?")
    assert not answer.found and answer.closest  # it moved in March 2024; 2023 was another change


def test_a_list_question_gets_the_items_under_the_lead_in(northfield: Assistant) -> None:
    answer = northfield.ask("What strengths did the peer challenge find in Northfield?")
    assert answer.found and answer.answer_type == "list"
    for item in ("Staff know their communities", "Waiting lists are managed", "safeguarding board is mature"):
        assert item in answer.text
    assert [c.start for c in answer.citations[1:]] == sorted(c.start for c in answer.citations[1:])


def test_the_question_own_words_do_not_state_the_answer(northfield: Assistant) -> None:
    # "the brokerage team" names the topic; it does not say who leads it
    answer = northfield.ask("Who manages the brokerage team in Northfield?")
    assert not answer.found and "do not state who manages" in answer.text
    assert answer.closest  # the nearest passages are still shown


def test_an_acronym_the_documents_only_spell_out_is_understood(northfield: Assistant) -> None:
    answer = northfield.ask("Who is the SRO for inspection readiness in Northfield?")
    assert answer.found and "Assistant Director of Operations" in answer.text
    assert "do not mention" not in answer.text
    assert not northfield.ask("Who is the XQZ for inspection readiness?").found


def test_a_why_answer_brings_the_reason_stated_beside_the_fact(northfield: Assistant) -> None:
    answer = northfield.ask("Why does Northfield spend more per head than similar councils?")
    assert answer.found and "spends more per head" in answer.text
    assert "main reason for the difference" in answer.text


def test_a_unit_is_on_the_topic_its_neighbours_establish(northfield: Assistant) -> None:
    """"The median wait was 58 days" says how long only in the light of the sentence before it,
    about the Care Act assessment waiting list; the neighbours' words count towards its topic."""
    answer = northfield.ask("How long were people waiting for a Care Act assessment in Northfield?")
    assert answer.found and "58 days" in answer.text
    # The neighbours make a unit on the topic; they do not make it state what is asked.
    assert not northfield.ask("How much does a Care Act assessment cost in Northfield?").found


def test_a_figure_stating_no_year_is_of_its_passages_year(northfield: Assistant) -> None:
    """"1,140 were completed on time" sits in a passage on 2023/24: it does not say how many
    reviews were done on time in 2024/25, a year the passage does not name."""
    assert "1,140" in northfield.ask("How many reviews were completed on time in Northfield in 2023/24?").text
    answer = northfield.ask("How many reviews were completed on time in Northfield in 2024/25?")
    assert not answer.found and answer.closest


@pytest.mark.parametrize("question, unit, passage, expected", [
    ("How many in 2025/26?", "Net budget | £112.6 million", "Key figures 2023/24 Net budget | £112.6 million", True),
    ("How many in 2023/24?", "Net budget | £112.6 million", "Key figures 2023/24 Net budget | £112.6 million", False),
    ("How many in 2025/26?", "The plan runs to 2025/26 and costs £2 million.", "In 2023 the council…", False),
    ("How many in 2025/26?", "It costs £2 million.", "The council agreed a plan.", False),  # no year to judge by
    ("How many this year?", "It costs £2 million.", "In 2023 the council…", False),  # no year asked
    # the year of what a figure is compared with is not the figure's own
    ("How many in 2025/26?", "3,410 nights, up from 2,880 nights in 2024/25.", "Year one: 2025/26", False),
    ("How many in 2025/26?", "3,410 nights, up from 2,880 nights in 2024/25.", "Year one: 2024", True),
    ("How many in 2024/25?", "3,410 nights, up from 2,880 nights in 2024/25.", "Year one: 2025/26", False),
])
def test_a_figure_is_of_the_years_its_unit_states_or_else_its_passage(question: str, unit: str, passage: str,
                                                                     expected: bool) -> None:
    assert of_other_years(question, unit, passage) is expected


def test_spelled_out_needs_every_initial_in_order() -> None:
    texts = ["The Senior Responsible Officer for assurance", "a Safeguarding Adults Review"]
    assert spelled_out("SRO", texts) == "Senior Responsible Officer"
    assert spelled_out("SAR", texts) == "Safeguarding Adults Review"
    assert spelled_out("ROS", texts) is None
    assert spelled_out("Kent", texts) is None  # not an acronym


def test_spelled_out_reads_hyphenated_words_and_lower_case_letters_of_an_initial() -> None:
    texts = ["Contacts go to the Multi-Agency Safeguarding Hub.", "Each plan has an Equality Impact Assessment."]
    assert spelled_out("MASH", texts) == "Multi-Agency Safeguarding Hub"
    assert spelled_out("EqIA", texts) == "Equality Impact Assessment"
    assert spelled_out("MSH", texts) is None  # "Agency" is a word of its own: its initial is needed
    assert spelled_out("EIA", texts) == "Equality Impact Assessment"  # the usual acronym too
    assert spelled_out("EqA", texts) is None


def test_spelled_out_finds_a_long_form_written_in_lower_case_when_it_has_three_initials() -> None:
    texts = ["An adult multi-agency safeguarding hub was set up in February 2024.", "a personal assistant"]
    assert spelled_out("MASH", texts) == "multi-agency safeguarding hub"
    assert spelled_out("PA", texts) is None  # two lower-case words match by chance too easily
    assert spelled_out("MSH", texts) is None


@pytest.mark.parametrize("kind, text, question, expected", [
    ("person", "The DoLS team was restructured.", "Who manages the DoLS team?", False),
    ("person", "The DoLS team is managed by the Head of Safeguarding.", "Who manages the DoLS team?", True),
    ("quantity", "The waiting list fell by 64% by November 2024.", "How many people were waiting in November 2024?",
     False),
    ("quantity", "1,313 people were waiting in November 2024.", "How many people were waiting in November 2024?",
     True),
    ("quantity", "The waiting list fell by 64%.", "What percentage did the waiting list fall by?", True),
    ("quantity", "The longest wait for assessment is 43 days.", "How many people were waiting for assessment?",
     False),  # a length of time does not count people
    ("quantity", "The longest wait for assessment is 43 days.", "How many days was the longest wait?", True),
    ("quantity", "3,350 hours of home care a week were unmet.", "How many people were waiting for home care?",
     False),
    ("quantity", "137 people waited more than 28 days.", "How many people were waiting?", True),
    ("quantity", "The board published 3 reviews in 2023/24.", "How many reviews were published in 2022/23?", False),
    ("quantity", "The board published 3 reviews in 2023/24.", "How many reviews were published in 2023?", True),
    ("quantity", "The board published 3 reviews.", "How many reviews were published in 2022/23?", True),
    ("quantity", "The strategy was refreshed in 2023.", "How many strategies are there?", False),
    ("score", "79% of people were satisfied with their neighbourhood.", "What rating did CQC give?", False),
    ("score", "The council was rated as 'Good' by CQC.", "What rating did CQC give?", True),
    ("score", "Anytown scored 64 out of 100.", "What did Anytown score?", True),
])
def test_what_states_the_answer_is_not_copied_from_the_question(kind: str, text: str, question: str,
                                                                 expected: bool) -> None:
    assert states(kind, text, question) is expected


@pytest.mark.parametrize("question, kind, detail", [
    ("How long do people wait for an assessment?", "quantity", "duration"),
    ("On average, how many days does an assessment take?", "quantity", "duration"),
    ("How many people were waiting, and how long was the longest wait?", "quantity", ""),  # the count is asked first
    ("How often is the self-assessment refreshed?", "quantity", "frequency"),
    ("Are reviews on time - what proportion are done within the year?", "quantity", "share"),
    ("How much did Anytown spend on agency staff?", "quantity", "money"),
    ("How much has the waiting list fallen?", "quantity", ""),
    ("Where did Anytown's result rank nationally?", "quantity", "rank"),
    ("Who chairs the safeguarding partnership?", "person", "chair"),
    ("Who manages Anytown's DoLS team?", "person", "manager"),
    ("What is the name of Anytown's Principal Social Worker?", "person", "name"),
    ("What RAG status is the advocacy action showing?", "status", ""),
    ("Who owns the advocacy action, and is it on track?", "person", ""),
])
def test_a_question_can_ask_for_a_detail_of_its_type(question: str, kind: str, detail: str) -> None:
    assert answer_type(question) == kind and asked_detail(question, kind) == detail


@pytest.mark.parametrize("detail, kind, text, expected", [
    ("duration", "quantity", "547 people had a review.", False),
    ("duration", "quantity", "547 people who attended a day centre had a review.", False),  # a place, not a time
    ("duration", "quantity", "Assessments took 58 days on average.", True),
    ("name", "person", "Members include the Director of Public Health, the Assistant Director and others.", False),
    ("name", "person", "The board is chaired by Jane Smith, Corporate Director of Adults.", True),
    ("duration", "quantity", "Reviews are done within a week of discharge by 12 staff.", True),
    ("duration", "quantity", "The average number of days to complete an assessment fell from 40 to 38.", True),
    ("duration", "quantity", "Triage is completed within 2 working days.", True),
    ("frequency", "quantity", "Audits cover 27 cases.", False),
    ("frequency", "quantity", "27 cases are audited each month.", True),
    ("", "quantity", "The dashboard of caseloads is checked weekly.", False),  # how often is not how many
    ("frequency", "quantity", "The dashboard of caseloads is checked weekly.", True),
    ("share", "quantity", "1,313 people were waiting.", False),
    ("share", "quantity", "Almost 80% of reviews were on time.", True),
    ("money", "quantity", "Two agencies assessed 400 people.", False),
    ("money", "quantity", "The agencies cost £1.2m.", True),
    ("rank", "quantity", "On 1 April 2023 the new duties began.", False),
    ("rank", "quantity", "The rating placed it joint third nationally out of 11 reports.", True),
    ("chair", "person", "The partnership has a learning subgroup.", False),
    ("chair", "person", "The board is chaired by the Director of Adult Services.", True),
    ("manager", "person", "Service management arrangements changed.", False),
    ("manager", "person", "The team is managed by the Head of Safeguarding.", True),
    ("name", "person", "Preparation is supported by an Assurance Lead.", False),
    ("name", "person", "Councillor Hovvels asked about caseloads.", True),
    ("", "status", "Lead: Strategic Manager; Target date: Apr 25", False),
    ("", "status", "Target date: Apr 25; Status: Delayed", True),
])
def test_a_unit_must_state_the_asked_detail(detail: str, kind: str, text: str, expected: bool) -> None:
    assert states(kind, text, "", detail) is expected


def test_a_figure_that_is_not_a_duration_does_not_say_how_long(northfield: Assistant) -> None:
    answer = northfield.ask("How long did the peer challenge in Northfield last?")
    assert not answer.found and "do not state how long" in answer.text
    counted = northfield.ask("How many people did the peer challenge in Northfield meet?")
    assert counted.found and "40 people" in counted.text


def test_a_provider_rating_question_is_not_sent_to_the_council_scores(northfield: Assistant) -> None:
    answer = northfield.ask("What proportion of regulated care services in Northfield are rated good?")
    assert answer.answer_type == "quantity" and "answered from the scores" not in answer.notes
    assert answer.found and "Over 85%" in answer.text


@pytest.mark.parametrize("coverage, similarity, in_passage, expected", [
    (0.2, 0.5, 0.6, True),  # a few key terms, close in meaning, in a first passage about the question
    (0.2, 0.5, 0.0, False),  # the same unit in a later passage: too few key terms on its own
    (0.05, 0.5, 0.6, False),  # none of the question's words at all
    (0.2, 0.3, 0.6, False),  # about something else in that passage
    (0.2, 0.5, 0.3, False),  # the passage itself holds too few of the key terms
])
def test_a_unit_of_the_first_passage_is_on_the_topic_the_passage_establishes(
        coverage: float, similarity: float, in_passage: float, expected: bool) -> None:
    scorer = Scorer(Settings(), lambda term: 1.0, lambda doc: "")
    unit = Candidate(0.0, coverage, similarity, hit=None, span=Span(0, 1, "x"),  # type: ignore[arg-type]
                     in_context=coverage, in_passage=in_passage)
    assert scorer.on_topic(unit) is expected
