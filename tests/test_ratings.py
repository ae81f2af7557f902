"""The ratings grid: newest document per cell, colour classes, sorting, CSV; its tab, called
directly and in a real browser after uploading a report."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from assure_qa import Assistant, BadQuestion, Settings
from assure_qa.index import build_index
from assure_qa.ratings import COLUMNS, grid, sort_rows, to_csv
from assure_qa.records import Score
from assure_qa.ui import build_demo

from .conftest import FakeEmbedder
from .test_app import callback, chromium_page, on_loopback
from .test_supersession import index_two_reports

FIXTURES = Path(__file__).parent / "fixtures"
ANYTOWN = "Anytown Council"


def _overall(council: str, rating: str | None, percent: int | None, doc: str, indicative: bool = False) -> Score:
    return Score(council, None, None, rating, percent, indicative, doc, 0, 1)


def _statement(council: str, statement: str, value: int, doc: str, indicative: bool = False) -> Score:
    return Score(council, statement, value, None, None, indicative, doc, 0, 1)


SCORES = [
    _overall("Bexley", "Good", 64, "bex-2025"),
    _statement("Bexley", "Assessing needs", 3, "bex-2025"),
    _statement("Bexley", "Safeguarding", 2, "bex-2025"),
    _overall("avon", "Requires improvement", None, "avon-2023", indicative=True),
    _statement("avon", "Assessing needs", 2, "avon-2023", indicative=True),
    _statement("avon", "Assessing needs", 4, "avon-2022"),  # an older document: superseded
    _statement("Carrow", "Safeguarding", 1, "car-2024"),
]
DATES = {"bex-2025": "2025-02", "avon-2023": "2023-12-08", "avon-2022": "2022", "car-2024": "2024-06-01"}


def test_the_grid_holds_each_councils_newest_score_with_its_colour_classes() -> None:
    rows = grid(SCORES, DATES)
    assert [r.council for r in rows] == ["avon", "Bexley", "Carrow"]
    avon, bexley, carrow = ({c.column: c for c in r.cells if c} for r in rows)
    assert [(c.text, c.value, c.css) for c in avon.values()] == [
        ("Requires improvement*", 2, "rating-requires-improvement indicative"),
        ("2*", 2, "score-2 indicative")]
    assert avon["Assessing needs"].score.doc == "avon-2023" and avon["Assessing needs"].date == "2023-12-08"
    assert [(k, c.text, c.css) for k, c in bexley.items()] == [
        ("Overall rating", "Good", "rating-good"), ("Overall %", "64%", "rating-good"),
        ("Assessing needs", "3", "score-3"), ("Safeguarding", "2", "score-2")]
    assert [(k, c.css) for k, c in carrow.items()] == [("Safeguarding", "score-1")]
    assert len(rows[0].cells) == len(COLUMNS) == 11


def test_rows_sort_by_council_or_any_column_with_missing_values_last() -> None:
    rows = grid(SCORES, DATES)

    def order(by: str, descending: bool = False) -> list[str]:
        return [r.council for r in sort_rows(rows, by, descending)]

    assert order("Council", descending=True) == ["Carrow", "Bexley", "avon"]
    assert order("Safeguarding") == ["Carrow", "Bexley", "avon"]
    assert order("Safeguarding", descending=True) == ["Bexley", "Carrow", "avon"]
    assert order("Overall rating") == ["avon", "Bexley", "Carrow"]  # Requires improvement < Good
    assert order("Overall %", descending=True) == ["Bexley", "avon", "Carrow"]
    with pytest.raises(ValueError, match="cannot sort by 'Score'"):
        sort_rows(rows, "Score")


def test_the_grid_as_csv() -> None:
    table = list(csv.reader(io.StringIO(to_csv(grid(SCORES, DATES)))))
    assert table[0] == ["Council", *COLUMNS, "Indicative", "Sources"]
    assert table[1] == ["avon", "Requires improvement", "", "2", "", "", "", "", "", "", "", "", "yes", "avon-2023"]
    assert table[2] == ["Bexley", "Good", "64", "3", "", "", "", "", "", "2", "", "", "no", "bex-2025"]
    assert table[3][-2:] == ["no", "car-2024"] and table[3][9] == "1"


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return index_two_reports(tmp_path_factory.mktemp("two-reports"))


def test_the_ratings_tab_shows_the_newest_report_escaped_sorted_and_as_csv(two_reports: Assistant) -> None:
    (row,) = two_reports.ratings()
    cells = {c.column: c for c in row.cells if c}
    assert cells["Safeguarding"].text == "3" and cells["Safeguarding"].date == "2025-03-14"
    source = cells["Safeguarding"].source
    assert source is not None and source.quote == "Safeguarding\nScore: 3" and source.superseded_by is None
    with pytest.raises(BadQuestion, match="cannot sort by"):
        two_reports.ratings("Colour")

    demo = build_demo(two_reports)
    html = callback(demo, "show_ratings")("Safeguarding", "Descending")
    assert '<td class="score-3" data-council="Anytown Council" data-column="Safeguarding">' in html
    assert '<td class="rating-good" data-council="Anytown Council" data-column="Overall %">' in html
    assert "<mark>Safeguarding\nScore: 3</mark>" in html and "Anytown 2025 report" in html
    with open(callback(demo, "download_ratings")("Council", "Ascending"), encoding="utf-8") as out:
        table = list(csv.reader(out))
    assert table[1] == ["Anytown Council", "Good", "64", "3", "3", "2", "3", "3", "2", "3", "2", "2", "no",
                        "Anytown 2025 report (2025-03-14)"]




def report_pdf(text: str) -> bytes:
    """A real PDF of a report, one paragraph per line of ``text`` (reportlab; pypdf reads it back)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    normal = getSampleStyleSheet()["Normal"]
    story = [Paragraph(escape(line), normal) if line.strip() else Spacer(1, 6) for line in text.split("\n")]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


@pytest.mark.browser
def test_in_a_real_browser_upload_a_report_ask_about_it_and_open_a_ratings_cell(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "transport.txt").write_text("Transport\n\nDial-a-ride buses run on weekdays in Anytown.\n",
                                          encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    managed = Assistant.open(tmp_path / "index", embedder=FakeEmbedder(), corpus_dir=corpus)
    upload = tmp_path / "Anytown CQC report.pdf"
    upload.write_bytes(report_pdf((FIXTURES / "anytown-cqc-assessment.txt").read_text(encoding="utf-8")))
    for url in on_loopback(build_demo(managed)):
        with chromium_page() as page:
            page.goto(url, wait_until="load")
            page.get_by_role("tab", name="Ratings").click()
            page.get_by_text("No document in the index states a rating or score").wait_for(timeout=30_000)
            page.get_by_role("tab", name="Documents").click()
            page.locator("#documents-upload input[type=file]").set_input_files(str(upload))
            page.wait_for_function("document.querySelector('#documents-council textarea, #documents-council input')"
                                   ".value === 'Anytown Council'", timeout=30_000)
            page.locator("#documents-add").click()
            page.wait_for_function("document.querySelector('#documents-table').innerText"
                                   ".includes('Anytown-CQC-report.pdf')", timeout=60_000)
            page.get_by_role("tab", name="Ask").click()
            page.locator("#question textarea").fill("What is Anytown's overall rating?")
            page.locator("#ask").click()
            page.wait_for_function("document.querySelector('#chat').innerText"
                                   ".includes('Anytown Council: overall rating Good, 64%')", timeout=30_000)
            page.reload(wait_until="load")  # the grid is read again on page load
            page.get_by_role("tab", name="Ratings").click()
            cell = page.locator('#ratings-grid td[data-council="Anytown Council"][data-column="Safeguarding"]')
            cell.wait_for(timeout=30_000)
            assert "score-3" in (cell.get_attribute("class") or "")
            row = page.locator("#ratings-grid tbody tr").first.inner_text()
            assert row.split() == ["Anytown", "Council", "Good", "64%", "3", "3", "2", "3", "3", "2", "3", "2", "2"]
            cell.locator("summary").click()
            popover = cell.locator(".popover")
            popover.wait_for(state="visible", timeout=10_000)
            assert cell.locator("mark").inner_text() == "Safeguarding\nScore: 3"
            assert "Anytown Council: local authority assessment" in popover.inner_text()
            assert "p. 1" in popover.inner_text()
            page.screenshot(path=str(tmp_path / "ratings.png"), full_page=True)
