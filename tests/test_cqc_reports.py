"""CQC local authority assessment reports (fictional fixtures in the published format): every
passage knows its council and quality statement; the template text is flagged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assure_qa.chunking import chunk_document
from assure_qa.ingest import scan_corpus
from assure_qa.records import Chunk
from assure_qa.taxonomy import QUALITY_STATEMENTS, statement_page_title

FIXTURES = Path(__file__).parent / "fixtures"
ANYTOWN = "anytown-cqc-assessment.txt"
BROOKVALE = "brookvale-cqc-pilot-assessment.txt"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Chunk]]:
    corpus = tmp_path_factory.mktemp("cqc")
    for name in (ANYTOWN, BROOKVALE):
        shutil.copy(FIXTURES / name, corpus)
    return {d.path: chunk_document(d) for d in scan_corpus(corpus).documents}


def _statement_pages(chunks: list[Chunk]) -> list[Chunk]:
    return [c for c in chunks if "local authority assessment" not in c.section]


def test_statement_page_titles_in_every_wording() -> None:
    assert statement_page_title("Anytown Council: supporting people to lead healthier lives") == (
        "Supporting people to live healthier lives")
    assert statement_page_title("Brookvale Council: safe systems, pathways and transitions") == (
        "Safe pathways, systems and transitions")
    assert statement_page_title("Anytown Council: equity in experience and outcomes") == (
        "Equity in experiences and outcomes")
    assert statement_page_title("Safeguarding") is None  # a bare name is not a page title
    assert statement_page_title("Key issue: safeguarding adults in care homes") is None


def test_every_statement_page_passage_has_its_council_and_statement(reports) -> None:  # type: ignore[no-untyped-def]
    anytown = reports[ANYTOWN]
    assert {c.council for c in anytown} == {"Anytown Council"}
    pages = _statement_pages(anytown)
    assert all(c.qs_source == "heading" for c in pages)
    assert {c.quality_statement for c in pages} == {qs.name for qs in QUALITY_STATEMENTS}
    by_text = {c.text.split(".")[0]: c for c in pages}
    unpaid = by_text["Unpaid carers could have an assessment from the local authority or from the "
                     "commissioned carers' centre"]
    # The lexicon alone would call this "live healthier lives" (carers); the page says otherwise.
    assert (unpaid.quality_statement, unpaid.theme) == ("Assessing needs", "Working with people")
    assert unpaid.section == (
        "Theme 1: Working with people › Anytown Council: assessing needs › "
        "Key findings for this quality statement › Assessment and support planning for unpaid carers")
    direct = by_text["14% of people receiving long-term support used a direct payment, below the "
                     "England average of 26%"]
    assert direct.quality_statement == "Supporting people to live healthier lives"


def test_template_text_is_flagged_and_findings_are_not(reports) -> None:  # type: ignore[no-untyped-def]
    pages = _statement_pages(reports[ANYTOWN])
    template = [c for c in pages if c.template]
    assert len(template) == 18  # "What people expect" and the commitment on each of nine pages
    assert all(c.section.endswith(("What people expect", "The local authority commitment"))
               for c in template)
    assert sum(c.text.startswith("We ") for c in template) == 9
    assert not any(c.template for c in reports[ANYTOWN] if "Key findings" in c.section)


def test_pilot_report_variants(reports) -> None:  # type: ignore[no-untyped-def]
    pages = _statement_pages(reports[BROOKVALE])
    assert {c.council for c in pages} == {"Brookvale Metropolitan Borough Council"}
    assert [(c.quality_statement, c.text[:7]) for c in pages if not c.template] == [
        ("Equity in experiences and outcomes", "Score 1"), ("Equity in experiences and outcomes", "The loc"),
        ("Safe pathways, systems and transitions", "Score 2"), ("Safe pathways, systems and transitions", "Transit")]
    assert sum(c.template for c in pages) == 4


SPACED_SCORES = """Anytown County Council: local authority assessment

Assessment published: 14 March 2025

Quality statement scores

Working with people

Assessing needs

Score: 2

Supporting people to live healthier lives

Score: 3

How the local authority ensures safety within the system

Safeguarding

Score: 1

Summary of people's experiences

Most people we heard from were positive about the care and support they received.
"""


def test_a_score_line_is_cited_with_the_statement_above_it_across_a_blank_line(tmp_path: Path) -> None:
    """A CQC report printed to PDF sets its scores list with space between the lines, so each
    statement's name stands alone like a heading and its "Score: 1" starts a passage. The answer
    cites the score with the name it reads with, not "Score: 1" alone."""
    from .conftest import one_document

    answer = one_document(tmp_path, "anytown-cqc-assessment.txt", SPACED_SCORES).ask(
        "What did Anytown score for Safeguarding?")
    (citation,) = answer.citations
    assert citation.quote == "Score: 1" and citation.lead == "Safeguarding"
    assert "Safeguarding … Score: 1" in answer.text
    source = SPACED_SCORES
    assert source[citation.lead_start:citation.lead_end] == "Safeguarding"
