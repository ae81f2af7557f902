"""Supersession: a citation says when a newer document of the same council, of the same type or on
the same quality statement, may replace the document it cites."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assure_qa import Assistant, Settings, cli
from assure_qa.index import build_index
from assure_qa.render import answer_text, source_html
from assure_qa.supersession import DocFacts, later, superseded_by

from .conftest import FakeEmbedder

FIXTURES = Path(__file__).parent / "fixtures"
ANYTOWN = "Anytown Council"


@pytest.mark.parametrize("a, b, after", [
    ("2025-03-14", "2024-11", True), ("2024-11", "2024-11-30", False), ("2025", "2024-12-31", True),
    ("2024", "2024-06", False), ("unknown", "2020", False), ("2024-01", "", False)])
def test_later_compares_dates_at_the_precision_both_give(a: str, b: str, after: bool) -> None:
    assert later(a, b) is after


def test_a_newer_document_of_the_same_kind_or_statement_supersedes() -> None:
    facts = {d.doc_id: d for d in [
        DocFacts("sa-2023", ANYTOWN, "Self-assessment 2023", "2023-05", ("self-assessment",), frozenset()),
        DocFacts("sa-2024", ANYTOWN, "Self-assessment 2024", "2024-04", ("self-assessment",), frozenset()),
        DocFacts("cqc-2025", ANYTOWN, "CQC report", "2025-03-14", ("CQC report",), frozenset({"Safeguarding"})),
        DocFacts("other", "Elsewhere Council", "CQC report", "2026", ("CQC report",), frozenset({"Safeguarding"})),
    ]}
    newer = superseded_by("sa-2023", None, facts)
    assert newer is not None and (newer.doc_id, newer.reason, newer.date) == ("sa-2024", "newer self-assessment",
                                                                             "2024-04")
    safeguarding = superseded_by("sa-2023", "Safeguarding", facts)
    assert safeguarding is not None and (safeguarding.doc_id, safeguarding.reason) == (
        "cqc-2025", "newer document on Safeguarding")
    assert superseded_by("sa-2024", "Assessing needs", facts) is None
    assert superseded_by("cqc-2025", "Safeguarding", facts) is None  # the other council's report does not count


def index_two_reports(root: Path) -> Assistant:
    """Anytown's 2025 report and an earlier one (2023) that scored safeguarding 2, not 3."""
    corpus = root / "corpus"
    corpus.mkdir()
    text = (FIXTURES / "anytown-cqc-assessment.txt").read_text(encoding="utf-8")
    shutil.copy(FIXTURES / "anytown-cqc-assessment.txt", corpus / "anytown-2025.txt")
    old = text.replace("Safeguarding\nScore: 3", "Safeguarding\nScore: 2", 1)
    (corpus / "anytown-2023.txt").write_text(old.replace("14 March 2025", "2 May 2023"), encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '[[document]]\nfile = "anytown-2023.txt"\ntitle = "Anytown <b>2023</b> report"\ndate = "2023-05-02"\n\n'
        '[[document]]\nfile = "anytown-2025.txt"\ntitle = "Anytown 2025 report"\ndate = "2025-03-14"\n',
        encoding="utf-8")
    build_index(corpus, corpus.parent / "index", Settings(), FakeEmbedder())
    return Assistant.open(corpus.parent / "index", embedder=FakeEmbedder())


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return index_two_reports(tmp_path_factory.mktemp("two-reports"))


def test_citations_of_the_older_report_say_the_newer_one_supersedes_them(two_reports: Assistant, capsys,
                                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answer = two_reports.ask("What did Anytown score for safeguarding?")
    assert answer.text.splitlines() == ["Anytown Council: Safeguarding, score 2: “Safeguarding Score: 2” [1]",
                                        "Anytown Council: Safeguarding, score 3: “Safeguarding Score: 3” [2]"]
    old, new = answer.citations
    assert old.title == "Anytown <b>2023</b> report" and new.superseded_by is None
    assert old.superseded_by is not None
    assert (old.superseded_by.title, old.superseded_by.date, old.superseded_by.reason) == (
        "Anytown 2025 report", "2025-03-14", "newer CQC report")
    assert "    Superseded by a newer CQC report: Anytown 2025 report (2025-03-14)" in answer_text(answer)

    import assure_qa.service as service

    monkeypatch.setattr(service, "make_embedder", lambda settings: FakeEmbedder())
    assert cli.main(["ask", "What did Anytown score for safeguarding?", "--index", str(two_reports.files.root.parent),
                     "--json"]) == 0
    cited = json.loads(capsys.readouterr().out)["citations"]
    assert cited[0]["superseded_by"] == {"doc_id": new.doc_id, "title": "Anytown 2025 report", "date": "2025-03-14",
                                         "reason": "newer CQC report"}
    assert cited[1]["superseded_by"] is None


def test_the_older_reports_source_escapes_its_title(two_reports: Assistant) -> None:
    old = next(s for s in two_reports.scores() if s.quality_statement == "Safeguarding" and s.score == 2)
    citation = two_reports.score_source(old)
    assert citation is not None and citation.superseded_by is not None
    html = source_html(citation)
    assert "Anytown &lt;b&gt;2023&lt;/b&gt; report" in html and "<b>2023</b>" not in html
    assert '<p class="superseded">Superseded by a newer CQC report: Anytown 2025 report (2025-03-14)</p>' in html
