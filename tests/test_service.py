"""Assistant.search and .ask over the real corpus (fake embedder): filters, steering, answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure_qa import Assistant, BadQuestion, Settings
from assure_qa.answer import NOT_FOUND
from assure_qa.index import build_index
from assure_qa.query import CouncilNames, understand
from assure_qa.sentences import sentences

from .conftest import DURHAM, FakeEmbedder

COUNCILS = ["Darlington Borough Council", "Derbyshire County Council", "Durham County Council",
            "Oxfordshire County Council"]


def test_what_the_index_holds(fake_assistant: Assistant) -> None:
    assert fake_assistant.councils() == COUNCILS
    assert fake_assistant.doc_types() == ["improvement plan", "minutes", "scrutiny report", "self-assessment"]
    assert fake_assistant.status()["counts"]["documents"] == 5


@pytest.mark.parametrize("filters, check", [
    ({"councils": ["Derbyshire County Council"]}, lambda c: c.council == "Derbyshire County Council"),
    ({"doc_types": ["minutes"]}, lambda c: c.doc_type == "minutes"),
    ({"doc_types": ["improvement plan"]}, lambda c: "improvement plan" in c.doc_type),
    ({"themes": ["3"]}, lambda c: c.theme == "Ensuring safety"),
    ({"quality_statements": ["Safeguarding"]}, lambda c: c.quality_statement == "Safeguarding"),
    ({"date_from": "2024-11", "date_to": "2024-12-31"}, lambda c: c.date in ("2024-11-18", "2024-12-04")),
    ({"date_to": "2024-03"}, lambda c: c.date == "2024-02"),
])
def test_filters_restrict_both_legs(fake_assistant: Assistant, filters, check) -> None:  # type: ignore[no-untyped-def]
    for mode in ("hybrid", "bm25", "dense"):
        hits = fake_assistant.search("safeguarding and carers", k=10, filters=filters, mode=mode)
        assert hits, (filters, mode)
        assert all(check(h.chunk) for h in hits), (filters, mode)


def test_bad_filters_and_questions_are_refused_clearly(fake_assistant: Assistant) -> None:
    with pytest.raises(BadQuestion, match="unknown CQC theme"):
        fake_assistant.search("x", filters={"themes": ["Parking"]})
    with pytest.raises(BadQuestion, match="no documents from Kent"):
        fake_assistant.search("x", filters={"councils": ["Kent County Council"]})
    with pytest.raises(BadQuestion, match="empty"):
        fake_assistant.ask("   ")


def test_a_named_councils_own_best_passages_come_first(fake_assistant: Assistant) -> None:
    plain = fake_assistant.search("waiting lists for assessments", k=10)
    steered = fake_assistant.search("waiting lists for assessments in Derbyshire", k=10)
    assert any(h.chunk.council != "Derbyshire County Council" for h in plain)
    # The k best of a search within the named council, whatever other councils' passages share the
    # question's words; in the corpus-wide order, and other councils' passages after them.
    own = fake_assistant.search("waiting lists for assessments", k=10,
                                filters={"councils": ["Derbyshire County Council"]})
    assert {h.chunk.chunk_id for h in steered} == {h.chunk.chunk_id for h in own}
    everything = fake_assistant.search("waiting lists for assessments in Derbyshire", k=1000)
    assert {h.chunk.council for h in everything} == set(COUNCILS)  # after them, not hidden


def test_peer_questions_spread_across_councils(fake_assistant: Assistant) -> None:
    hits = fake_assistant.search("how do other councils support unpaid carers?", k=10)
    assert {h.chunk.council for h in hits[:4]} == set(COUNCILS)


def test_query_understanding_and_follow_ups() -> None:
    names = CouncilNames(COUNCILS)
    query = understand("What does County Durham do about safeguarding?", names)
    assert query.councils == ("Durham County Council",) and query.statements == ("Safeguarding",)
    assert query.search_text == "What does do about safeguarding?"
    assert understand("how do other councils support carers?", names).peers
    follow = understand("and who leads it?", names, ["What did Durham commit to on advocacy?"])
    assert follow.followup and follow.councils == ("Durham County Council",)
    assert follow.text == "What did Durham commit to on advocacy? and who leads it?"
    switch = understand("what about Derbyshire?", names, ["How does Durham reduce waiting lists?"])
    assert switch.councils == ("Derbyshire County Council",)
    assert "waiting lists" in switch.text and "Durham" not in switch.text
    fresh = understand("How does Oxfordshire manage DoLS applications?", names, ["carers in Durham"])
    assert not fresh.followup and fresh.text == "How does Oxfordshire manage DoLS applications?"
    # Of a quality statement, "how well did X do", "what did X get", "which came out better" ask for its score
    for question in ("What did Durham get for assessing needs?", "How well did Durham do on safeguarding?",
                     "Between Durham and Derbyshire, which came out better on safeguarding?"):
        assert understand(question, names).answer_type == "score", question
    assert understand("What did Durham get from the carers grant?", names).answer_type != "score"


def test_sentences_are_exact_spans() -> None:
    text = "- 34 On 16 August the report was published. It was rated 'Good'.\nB1.4\tEnsure access.\tM\tJun 25\n"
    spans = sentences(text, base=100)
    assert [(s.start, s.text) for s in spans] == [
        (102, "34 On 16 August the report was published."),
        (144, "It was rated 'Good'."),
        (165, "B1.4\tEnsure access.\tM\tJun 25"),
    ]
    for span in spans:
        assert text[span.start - 100:span.end - 100] == span.text


def test_answers_cite_exact_passages(fake_assistant: Assistant) -> None:
    answer = fake_assistant.ask("What did Durham commit to on advocacy, who leads it and by when?")
    assert answer.found
    first = answer.citations[0]
    assert (first.doc_id, first.paragraphs) == (DURHAM, ("B3.1",))
    assert answer.text.startswith("B3.1: Enhance the use and timeliness of advocacy")
    assert "(Lead: Strategic Manager – Safeguarding; Target: Apr 25; Priority: H) [1]" in answer.text
    for c in answer.citations:
        source = fake_assistant.document_text(c.doc_id)
        assert source[c.start:c.end] == c.quote
        assert c.passage[c.start - c.passage_start:c.end - c.passage_start] == c.quote
        assert f"[{c.n}]" in answer.text


def test_table_rows_read_with_their_header(fake_assistant: Assistant) -> None:
    # A score question is answered from the scores (scores.py), citing the table row, never the header.
    answer = fake_assistant.ask("What was Durham's score for safeguarding?")
    assert answer.text.startswith("Durham County Council: Safeguarding, score 2: “39 The Council's score")
    assert answer.text.endswith("… Quality Statements: Safeguarding; DCC Score: 2” [1]")  # the row, its header
    assert answer.citations[0].quote == "\tSafeguarding\t2"
    assert answer.citations[0].lead.startswith("39 The Council's score for each")
    assert answer.notes == ("answered from the scores",)


def test_unanswerable_question_says_so_and_shows_closest(fake_assistant: Assistant) -> None:
    answer = fake_assistant.ask("What is the council's policy on parking permits for residents?")
    assert not answer.found and answer.text == NOT_FOUND
    assert answer.citations == () and len(answer.closest) == 3


def test_names_the_corpus_never_uses_are_caught() -> None:
    from assure_qa.query import unknown_names

    known = {"durham", "cqc", "rate"}.__contains__
    assert unknown_names("What was Kent County Council's CQC rating?", known) == ["Kent", "County", "Council"]
    assert unknown_names("What rating did CQC give Durham?", known) == []
    assert unknown_names("Ofsted: what did it say? Durham asked.", known) == []  # sentence starts are not names


def test_a_question_about_something_never_mentioned_says_so(fake_assistant: Assistant) -> None:
    answer = fake_assistant.ask("What was Kent's CQC rating?")
    assert not answer.found
    assert answer.text.startswith("The documents do not mention Kent. ")
    assert answer.closest


def test_quantity_questions_are_recognised_and_their_frame_is_not_a_topic() -> None:
    from assure_qa.query import content_terms

    names = CouncilNames(["Durham County Council"])
    for question in ("How many people are waiting?", "How long does reablement last?",
                     "What proportion of carers feel supported?", "How has the backlog changed?"):
        assert understand(question, names).answer_type == "quantity", question
    for question in ("Who leads the advocacy work?", "What are Durham's plans for carers?"):
        assert understand(question, names).answer_type != "quantity", question
    # a follow-up asks what the question before it asked
    assert understand("and in Durham?", names, ["How many people are waiting?"]).answer_type == "quantity"
    assert content_terms("How long can someone get short-term support?", names) == ["short", "term", "support"]


def test_light_verbs_and_adverbs_of_a_question_are_not_its_topic() -> None:
    from assure_qa.query import content_terms

    names = CouncilNames(["Derbyshire County Council"])
    assert content_terms("How is Derbyshire trying to get more people onto direct payments?", names) == [
        "peopl", "direct", "payment"]
    assert content_terms("What strengths did the peer review pick out?", names) == ["strength", "peer", "review"]
    assert content_terms("Is it actually practised?", names) == ["practiz"]
    # "going to" is the future, not a topic; "go live" is one
    assert content_terms("Which languages is Derbyshire going to translate its leaflets into?", names) == [
        "languag", "translat", "leaflet"]
    assert "go" in content_terms("When does the new system go live?", names)


@pytest.mark.parametrize("text, expected", [
    ("A total of 10 members of the assessment team were on-site.", True),
    ("Reablement lasts up to six weeks.", True),
    ("The Self-Assessment has an annual refresh.", False),  # how often, which only "how often" asks
    ("B4.3 Maintain a sustained focus on recruitment and retention.", False),  # a reference is a label
    ("- 28 The on-site visit from the assessment team was well run.", False),  # so is a paragraph number
    ("- ii. Bespoke training on DoLS for staff.", False),
])
def test_what_counts_as_stating_a_quantity(text: str, expected: bool) -> None:
    from assure_qa.answer import states_quantity

    assert states_quantity(text) is expected


def test_a_quantity_question_prefers_a_sentence_with_a_figure(fake_assistant: Assistant) -> None:
    answer = fake_assistant.ask("How many open DoLS does Oxfordshire have?")
    assert answer.found and "1313" in answer.text.split("[1]")[0]


def test_councils_named_the_london_and_city_way_are_found_by_their_place_name() -> None:
    names = CouncilNames(["London Borough of Barnet", "Royal Borough of Greenwich", "City of York Council",
                          "Council of the Isles of Scilly", "City of Bradford Metropolitan District Council"])
    assert names.find("What did Barnet's scrutiny committee agree?") == ("London Borough of Barnet",)
    assert names.find("greenwich carers") == ("Royal Borough of Greenwich",)
    assert names.find("How does York assess needs?") == ("City of York Council",)
    assert names.find("Isles of Scilly waiting list") == ("Council of the Isles of Scilly",)
    assert names.find("Bradford's rating") == ("City of Bradford Metropolitan District Council",)
    assert names.find("the London Borough of Barnet report") == ("London Borough of Barnet",)
    assert names.find("What does the borough of Greenwich do?") == ("Royal Borough of Greenwich",)
    assert names.find("Other councils' carers support") == ()


def test_a_short_question_pointing_back_is_a_follow_up_whatever_it_asks_for() -> None:
    names = CouncilNames(["Durham County Council", "Derbyshire County Council"])
    follow = understand("Who owns that action, and is it on track?", names,
                        ["By when should Durham have cleared its overdue reviews?"])
    assert follow.followup and follow.councils == ("Durham County Council",) and follow.answer_type == "person"
    fresh = understand("Who owns the Derbyshire carers hub expansion action?", names,
                       ["By when should Durham have cleared its overdue reviews?"])
    assert not fresh.followup and fresh.councils == ("Derbyshire County Council",)


def test_a_question_about_a_share_of_those_is_a_follow_up_however_long() -> None:
    names = CouncilNames(["Durham County Council"])
    follow = understand("What share of those were done within four weeks of the request?", names,
                        ["How many carers' assessments did Durham complete in 2023/24?"])
    assert follow.followup and follow.councils == ("Durham County Council",) and "carers" in follow.text
    fresh = understand("What share of carers' assessments were done within four weeks of the request?", names,
                       ["How many safeguarding concerns did Durham receive?"])
    assert not fresh.followup


def test_a_peer_review_is_something_a_council_had_not_a_question_about_its_peers() -> None:
    names = CouncilNames(["Oxfordshire County Council", "Durham County Council"])
    review = understand("How long did Oxfordshire's LGA peer review last?", names)
    assert not review.peers and review.councils == ("Oxfordshire County Council",)
    assert not understand("What did the peer challenge find?", names).peers
    assert understand("What do Oxfordshire's peers do about carers?", names).peers
    assert understand("How do peer councils handle DoLS backlogs?", names).peers


def test_two_named_councils_are_answered_side_by_side(tmp_path: Path) -> None:
    """"Which has more, Anytown or Brookvale?": each named council's own answering sentence, though
    one says it in fewer of the question's words (it would be background to the other's)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "anytown-report.txt").write_text(
        "Direct payments\n\nIn 2024, 412 people with long-term support were using direct payments to arrange "
        "their own care in Anytown, up from 380 people using direct payments in 2023.\n", encoding="utf-8")
    (corpus / "brookvale-report.txt").write_text(
        "Choice and control\n\nIn Brookvale, 96 adults had a direct payment in March 2024.\n", encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '[[document]]\nfile = "anytown-report.txt"\ncouncil = "Anytown Council"\ndoc_type = "committee report"\n'
        '[[document]]\nfile = "brookvale-report.txt"\ncouncil = "Brookvale Council"\ndoc_type = "committee report"\n',
        encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assistant = Assistant.open(tmp_path / "index", embedder=FakeEmbedder())
    answer = assistant.ask("How many people were using direct payments in Anytown and in Brookvale?")
    assert answer.found
    assert {c.council for c in answer.citations} == {"Anytown Council", "Brookvale Council"}
    one = assistant.ask("How many people were using direct payments in Anytown?")
    assert {c.council for c in one.citations} == {"Anytown Council"}
