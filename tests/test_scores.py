"""Ratings and scores: every score the fixtures and Durham's report state, exactly, with spans."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from assure_qa import Settings, cli
from assure_qa.index import build_index
from assure_qa.ingest import scan_corpus
from assure_qa.records import Document
from assure_qa.scores import extract
from assure_qa.taxonomy import QUALITY_STATEMENTS

from .conftest import CORPUS, DURHAM, FakeEmbedder

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = [qs.name for qs in QUALITY_STATEMENTS]


def _doc(tmp_path: Path, name: str) -> Document:
    shutil.copy(FIXTURES / name, tmp_path)
    (doc,) = scan_corpus(tmp_path).documents
    return doc


def _table(rows: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(r.quality_statement, r.score) for r in rows if r.quality_statement]


def test_anytown_report_every_score_and_the_overall_rating(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "anytown-cqc-assessment.txt")
    overall, *rows = extract(doc)
    assert (overall.council, overall.quality_statement, overall.overall_rating, overall.overall_score,
            overall.indicative) == ("Anytown Council", None, "Good", 64, False)
    assert doc.text[overall.start:overall.end].endswith("Good\n\nScore: 64%")
    assert _table(rows) == list(zip(NAMES, [3, 3, 2, 3, 3, 2, 3, 2, 2], strict=True))
    assert all((r.overall_rating, r.overall_score, r.council) == ("Good", 64, "Anytown Council")
               for r in rows)
    assert doc.text[rows[1].start:rows[1].end] == "Supporting people to lead healthier lives\nScore: 3"


def test_pilot_report_indicative_scores_and_out_of_100(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "brookvale-cqc-pilot-assessment.txt")
    overall, *rows = extract(doc)
    assert (overall.overall_rating, overall.overall_score, overall.indicative) == (
        "Requires improvement", 47, True)
    assert doc.text[overall.start:overall.end].endswith("scored 47 out of 100.")
    assert _table(rows) == list(zip(NAMES, [2, 2, 1, 2, 3, 2, 2, 2, 1], strict=True))
    assert all(r.indicative for r in rows)
    assert doc.text[rows[5].start:rows[5].end] == "Safe systems, pathways and transitions\nIndicative score: 2"


def test_statement_pages_alone_give_the_scores(tmp_path: Path) -> None:
    text = (FIXTURES / "brookvale-cqc-pilot-assessment.txt").read_text(encoding="utf-8")
    cut = text[:text.index("Quality statement scores")] + text[text.index("Summary of people's"):]
    (tmp_path / "brookvale.txt").write_text(cut, encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    rows = extract(doc)[1:]
    assert _table(rows) == [("Equity in experiences and outcomes", 1),
                            ("Safe pathways, systems and transitions", 2)]
    assert [doc.text[r.start:r.end] for r in rows] == [
        "Equity in experience and outcomes\n\nScore 1", "Safe systems, pathways and transitions\n\nScore 2"]


def test_durham_score_table_and_rating_from_its_scrutiny_report() -> None:
    durham = next(d for d in scan_corpus(CORPUS).documents if d.doc_id == DURHAM)
    overall, *rows = extract(durham)
    assert (overall.council, overall.overall_rating, overall.overall_score) == (
        "Durham County Council", "Good", None)
    # The first sentence saying so: the council is named after "rating" ("within the Council as 'Good'").
    assert durham.text[overall.start:overall.end] == (
        "In August 2024 CQC published the final assessment outcome, rating adult social care provision "
        "within the Council as 'Good")
    assert _table(rows) == list(zip(NAMES, [2, 3, 2, 3, 3, 3, 2, 3, 3], strict=True))
    assert durham.text[rows[6].start:rows[6].end] == "\tSafeguarding\t2"


def test_documents_that_state_no_score_give_none() -> None:
    others = [d for d in scan_corpus(CORPUS).documents if d.doc_id != DURHAM]
    assert len(others) == 4
    assert [extract(d) for d in others] == [[], [], [], []]


@pytest.fixture(scope="module")
def scored_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("scored") / "corpus"
    corpus.mkdir()
    for name in ("anytown-cqc-assessment.txt", "brookvale-cqc-pilot-assessment.txt"):
        shutil.copy(FIXTURES / name, corpus)
    shutil.copy(CORPUS / f"{DURHAM}.txt", corpus)
    (corpus / "manifest.toml").write_text(
        f'[[document]]\nfile = "{DURHAM}.txt"\ncouncil = "Durham County Council"\n'
        'doc_type = "scrutiny report"\ndate = "2024-11-18"\n', encoding="utf-8")
    index = corpus.parent / "index"
    build_index(corpus, index, Settings(), FakeEmbedder())
    return index


def test_scores_are_built_with_the_index_and_served_by_the_cli(scored_index: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import assure_qa.service as service

    monkeypatch.setattr(service, "make_embedder", lambda settings: FakeEmbedder())
    assert cli.main(["scores", "--index", str(scored_index), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 30  # three documents: an overall row and nine statements each
    assert cli.main(["scores", "--index", str(scored_index), "--council", "anytown", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(table[0]) == ["council", "quality_statement", "score", "overall_rating", "overall_score",
                              "indicative", "doc", "start", "end"]
    assert [(r["quality_statement"], r["score"]) for r in table[:2]] == [("", ""), ("Assessing needs", "3")]
    assert table[0]["overall_rating"] == "Good" and table[0]["overall_score"] == "64"
    assert cli.main(["scores", "--index", str(scored_index), "--council", "Brookvale"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Brookvale Metropolitan Borough Council | overall | Requires improvement 47% (indicative)"
    assert out[3] == "Brookvale Metropolitan Borough Council | Equity in experiences and outcomes | 1 (indicative)"


def test_score_questions_are_answered_from_the_scores_and_cited(scored_index: Path) -> None:
    from assure_qa import Assistant

    assistant = Assistant.open(scored_index, embedder=FakeEmbedder())
    answer = assistant.ask("What did Anytown score for safeguarding?")
    # the score, then the document's own words that state it
    assert answer.text == "Anytown Council: Safeguarding, score 3: “Safeguarding Score: 3” [1]"
    (citation,) = answer.citations
    assert citation.quote == "Safeguarding\nScore: 3"
    assert assistant.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote

    answer = assistant.ask("Which councils scored 2 for assessing needs?")
    assert [line.split(": “")[0] for line in answer.text.splitlines()] == [
        "Brookvale Metropolitan Borough Council: Assessing needs, score 2 (indicative)",
        "Durham County Council: Assessing needs, score 2"]
    assert [c.quote for c in answer.citations] == [
        "Assessing needs\nIndicative score: 2", "Theme 1: Working with People\tAssessing Needs\t2"]

    answer = assistant.ask("What is Anytown's overall rating?")
    assert answer.text == "Anytown Council: overall rating Good, 64%: “Good Score: 64%” [1]"
    assert answer.citations[0].quote == "Good\n\nScore: 64%"
    # The best or worst of a council's statements, or of the councils on one statement
    answer = assistant.ask("Which quality statement did Anytown score lowest on?")
    assert answer.answer_type == "score" and "answered from the scores" in answer.notes
    assert {line.split(": “")[0] for line in answer.text.splitlines()} == {
        f"Anytown Council: {name}, score 2" for name in (
            "Equity in experiences and outcomes", "Safe pathways, systems and transitions",
            "Governance, management and sustainability", "Learning, improvement and innovation")}
    best = assistant.ask("Which council scored highest for equity in experiences and outcomes?")
    assert [line.split(": “")[0] for line in best.text.splitlines()] == [
        "Anytown Council: Equity in experiences and outcomes, score 2",
        "Durham County Council: Equity in experiences and outcomes, score 2"]
    assert assistant.ask("How did CQC rate Anytown on safeguarding?").citations[0].quote == "Safeguarding\nScore: 3"
    # A table row under a score column states its score, though "score" is the question's own word
    row = assistant.ask("How did CQC score Durham on equity of experience and outcomes?")
    assert row.found and row.answer_type == "score"
    assert "Equity in Experience and Outcomes\t2" in row.citations[0].quote
    # Asked for the score as a figure, a rating alone does not answer (Durham's paper gives none)
    figure = assistant.ask("What overall score out of 100 did Durham get?")
    assert figure.answer_type == "score" and not figure.found and "answered from the scores" not in figure.notes
    assert assistant.ask("What overall score out of 100 did Anytown get?").citations[0].quote == "Good\n\nScore: 64%"
    # Not a score question: searched as usual.
    assert assistant.ask("How long did people wait for a major adaptation?").text != answer.text


def _text_doc(tmp_path: Path, text: str) -> Document:
    (tmp_path / "paper.txt").write_text(text, encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    return doc


def test_a_rating_without_a_percentage_does_not_take_the_first_statement_score(tmp_path: Path) -> None:
    doc = _text_doc(tmp_path, "Local authority indicative rating\n\nRequires improvement\n\n"
                              "Quality statement indicative scores\n\nAssessing needs\nIndicative score: 2\n")
    overall, needs = extract(doc)
    assert (overall.overall_rating, overall.overall_score, overall.indicative) == ("Requires improvement", None, True)
    assert doc.text[overall.start:overall.end] == "Requires improvement"
    assert (needs.quality_statement, needs.score) == ("Assessing needs", 2)


def test_a_council_paper_with_columns_lined_up_by_spaces_and_a_wrapped_rating_sentence(tmp_path: Path) -> None:
    doc = _text_doc(tmp_path, (
        "6.1       The Council's adult social care functions were rated Requires\n"
        "          Improvement, with an overall score of 56%. Of 63 assessments, 5 councils were rated Outstanding.\n\n"
        "6.2       The scores for each quality statement were as follows:\n\n"
        "Theme                 Quality statement                            Score\n"
        "Working with people   Assessing needs                              2\n"
        "                      Equity in experience and outcomes            3\n\n"
        "Score key: 3 = evidence shows a good standard.\n"
        "Safeguarding          was discussed at length                      2\n"))
    overall, *rows = extract(doc)
    assert (overall.overall_rating, overall.overall_score) == ("Requires improvement", 56)
    assert doc.text[overall.start:overall.end] == (
        "The Council's adult social care functions were rated Requires\n"
        "          Improvement, with an overall score of 56%")
    assert _table(rows) == [("Assessing needs", 2), ("Equity in experiences and outcomes", 3)]
    assert doc.text[rows[1].start:rows[1].end] == "Equity in experience and outcomes            3"


def test_a_rating_sentence_that_names_the_council_after_rated(tmp_path: Path) -> None:
    doc = _text_doc(tmp_path, "Members noted that CQC had published its report on 14 February 2025 and had\n"
                              "rated the Council as Requires improvement, with an\noverall score of 50%. Two of the\n")
    (overall,) = extract(doc)
    assert (overall.overall_rating, overall.overall_score) == ("Requires improvement", 50)
    assert doc.text[overall.start:overall.end].endswith("with an\noverall score of 50%")


def test_other_councils_ratings_are_not_the_councils(tmp_path: Path) -> None:
    doc = _text_doc(tmp_path, "Nationally, 5 councils were rated Outstanding and 38 were rated Good.\n\n"
                              "Care homes in the county were rated as good by CQC.\n")
    assert extract(doc) == []
    # A list item is a sentence of its own: the council in the item above is not what these rate; a
    # share of services rated "Good or Outstanding" is no one's rating; a council's own judgement of
    # itself is not its rating.
    doc = _text_doc(tmp_path, "The Board noted:\n- the council was relying on 14 agency social workers;\n"
                              "- 81% of CQC-registered providers in the city were rated Good or Outstanding;\n\n"
                              "In its self-assessment the council rated itself as \"Good\" against two themes.\n")
    assert extract(doc) == []
    doc = _text_doc(tmp_path, "The Board noted:\n- in May 2025 CQC rated the council as Requires improvement.\n")
    assert [r.overall_rating for r in extract(doc)] == ["Requires improvement"]


@pytest.mark.parametrize("question, statement", [
    ("How did CQC score Durham on equity of experience and outcomes?", "Equity in experiences and outcomes"),
    ("What did Anytown score for safe systems and transitions?", "Safe pathways, systems and transitions"),
    ("care provision and integration score", "Care provision, integration and continuity"),
    ("What did Anytown score on governance and sustainability?", "Governance, management and sustainability"),
    ("What did Anytown score for partnership working?", None),  # one word of a name is not enough
    ("How many people were supported to live at home?", None),  # words of many questions do not count
])
def test_a_score_question_names_a_statement_in_its_own_words(question: str, statement: str | None) -> None:
    from assure_qa.score_answers import statement_asked

    assert statement_asked(question) == statement


@pytest.mark.parametrize("question, topic", [
    ("How did CQC mark the council on working with charities and local partners?",
     "working with charities and partners"),
    ("What rating did CQC give the council?", ""),  # nothing but the frame
    ("What is the overall score for safeguarding?", ""),  # overall: no statement
    ("What mark did it get for governance and financial management?", "governance and financial management"),
])
def test_what_a_score_question_asks_the_score_of(question: str, topic: str) -> None:
    from assure_qa.score_answers import scored_topic

    assert scored_topic(question) == topic


def test_the_nearest_statement_only_when_clearly_nearest() -> None:
    from assure_qa.score_answers import nearest_statement

    similarities = [0.2] * 9
    assert nearest_statement(similarities, 0.15) is None  # as close to all: names none
    similarities[4] = 0.5
    assert nearest_statement(similarities, 0.15) == "Partnerships and communities"
    similarities[0] = 0.4  # a second statement nearly as close
    assert nearest_statement(similarities, 0.15) is None


def test_a_score_question_describing_a_statement_is_answered_with_its_score(
        tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    """With the packaged model: the framework's description of each statement says which one a
    question means when it does not name it; a question about the council as a whole means none."""
    from assure_qa import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "anytown-cqc-assessment.txt", corpus)
    build_index(corpus, tmp_path / "index", Settings(), real_embedder)
    assistant = Assistant.open(tmp_path / "index", embedder=real_embedder)
    answer = assistant.ask("How did the inspectors mark Anytown on working with charities and local partners?")
    assert answer.answer_type == "score" and "answered from the scores" in answer.notes
    assert answer.text.startswith("Anytown Council: Partnerships and communities, score ")
    assert assistant.ask("What mark did Anytown get for governance and financial management?").text.startswith(
        "Anytown Council: Governance, management and sustainability, score ")
    overall = assistant.ask("What rating did CQC give Anytown's adult social care?")
    assert overall.text.startswith("Anytown Council: overall rating Good")


def test_a_report_saved_as_markdown_gives_its_rating_and_scores(tmp_path: Path) -> None:
    """Markdown heading marks are not words: the rating under "### Local authority indicative
    rating" is the overall one, and a statement named by a heading is the one scored below it."""
    doc = _text_doc(tmp_path, "## Overall summary\n\n### Local authority indicative rating\n\nRequires improvement\n\n"
                              "Evidence shows some shortfalls\n\nThe local authority scored 56 out of 100.\n\n"
                              "### Quality statement scores\n\n#### Assessing needs\n\nIndicative score: 2\n\n"
                              "#### Safeguarding\n\nIndicative score: 3\n")
    overall, *rows = extract(doc)
    assert (overall.overall_rating, overall.overall_score, overall.indicative) == ("Requires improvement", 56, True)
    assert doc.text[overall.start:overall.end].startswith("Requires improvement")
    assert _table(rows) == [("Assessing needs", 2), ("Safeguarding", 3)]
    assert doc.text[rows[1].start:rows[1].end] == "#### Safeguarding\n\nIndicative score: 3"


def test_a_score_read_over_two_passages_is_cited_in_the_parts_they_hold() -> None:
    """A rating line the chunker kept apart from the percentage below it (a heading-like line
    between them that no passage holds): each passage's part is cited, the heading is not."""
    from assure_qa.records import Score
    from assure_qa.score_answers import held_parts

    document = "Requires improvement\n\nEvidence shows some shortfalls\n\nThe local authority scored 56 out of 100.\n"
    rating = (0, len("Requires improvement"))
    percent = (document.index("The local"), len(document) - 1)
    passages = {rating: "rating passage", percent: "percentage passage"}

    def chunk_at(doc: str, start: int, end: int):  # type: ignore[no-untyped-def]
        return next((name for (a, b), name in passages.items() if a <= start and end <= b), None)

    score = Score("Anytown Council", None, None, "Requires improvement", 56, True, "report", 0, percent[1])
    assert held_parts(chunk_at, document, score) == [("rating passage", *rating), ("percentage passage", *percent)]
    passages = {(0, len(document)): "one passage"}
    assert held_parts(chunk_at, document, score) == [("one passage", 0, percent[1])]


def test_scores_written_with_their_meaning_and_on_one_line_with_the_statement(tmp_path: Path) -> None:
    """As the CQC's web pages put them: "Overall score: 58% - this score falls within…", the
    summary list "Assessing needs - Score: 2 - Evidence shows some shortfalls", and a statement
    page's "Score: 3 - Evidence shows a good standard" under its heading."""
    doc = _text_doc(tmp_path, "Local authority rating and score\n\nAnytown Council\n\nRequires improvement\n\n"
                              "Overall score: 58% - this score falls within the Requires improvement rating band.\n\n"
                              "Quality statement scores\n\n"
                              "Assessing needs - Score: 2 - Evidence shows some shortfalls\n\n"
                              "Safeguarding - Score: 3 - Evidence shows a good standard\n\n"
                              "Theme 4: Leadership\n\nLearning, improvement and innovation\n\n"
                              "Score: 1 - Evidence shows significant shortfalls\n\n"
                              "Staff said the score of 2 - evidence shows little - was fair.\n")
    overall, *rows = extract(doc)
    assert (overall.overall_rating, overall.overall_score) == ("Requires improvement", 58)
    assert _table(rows) == [("Assessing needs", 2), ("Safeguarding", 3), ("Learning, improvement and innovation", 1)]
    assert doc.text[rows[0].start:rows[0].end] == "Assessing needs - Score: 2 - Evidence shows some shortfalls"
