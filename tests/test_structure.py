"""Structure recovery on snippets of the real documents."""

from __future__ import annotations

from assure_qa.blocks import cells, split_lines
from assure_qa.structure import heading_role, parse
from assure_qa.text import plain_text

from .conftest import DARLINGTON, DERBYSHIRE, DURHAM, OXFORDSHIRE, read


def blocks_of(text: str) -> list[tuple[str, str | None, str]]:
    return [(b.kind, b.para, text[b.start:b.end]) for b in parse(text)]


def test_lines_keep_offsets_and_page_breaks() -> None:
    text = "one\ntwo\fthree\n"
    assert [(line.start, line.end, line.text) for line in split_lines(text)] == [
        (0, 3, "one"), (4, 7, "two"), (8, 13, "three"), (14, 14, "")]


def test_numbered_paragraph_keeps_its_lettered_items_across_a_blank_line() -> None:
    text = ("Recommendation(s)\n\n- 9 Adults Wellbeing is recommended to:\n - (a) note the outcome;\n"
            " - (b) approve the Plan;\n\n- (c) agree to annual update reports.\n\nBackground\n\n"
            "- 10 In December 2021, the Government published.\n")
    assert blocks_of(text) == [
        ("heading", None, "Recommendation(s)"),
        ("numbered", "9", "- 9 Adults Wellbeing is recommended to:\n - (a) note the outcome;\n"
                          " - (b) approve the Plan;\n\n- (c) agree to annual update reports."),
        ("heading", None, "Background"),
        ("numbered", "10", "- 10 In December 2021, the Government published."),
    ]


def test_lower_case_continuation_after_a_page_break_stays_in_the_paragraph() -> None:
    text = "37 Whilst the majority were good. This was\n\nreflected in the Self-Assessment.\n\n38 Key extracts:\n"
    assert [(k, p) for k, p, _ in blocks_of(text)] == [("numbered", "37"), ("numbered", "38")]
    assert blocks_of(text)[0][2].endswith("reflected in the Self-Assessment.")


def test_numbers_that_are_not_paragraph_numbers() -> None:
    text = "- 90,900 High Peak\n- 12 July 2023 Cabinet Report\n"
    assert [k for k, _, _ in blocks_of(text)] == ["list", "list"]


def test_durham_plan_row_split_across_lines_is_one_block_with_its_header() -> None:
    text = read(DURHAM)
    start = text.index("Ref\tAction\tH/M/L\tLead\tTarget Date\tRAG\tGovernance/Work Programme\nB2.1")
    end = text.index("Theme 3: Ensuring Safety", start)
    rows = [b for b in parse(text[start:end]) if b.kind == "table_row"]
    assert [b.para for b in rows] == ["B2.1", "B2.2", "B2.3", "B2.4"]
    b22 = text[start + rows[1].start:start + rows[1].end]
    assert b22.startswith("B2.2\tImprove the take up of Direct Payments")
    assert b22.endswith("\n\n\t\t\tManager OP PDSS")  # the cell that ran onto the next line
    assert rows[1].header == "Ref | Action | H/M/L | Lead | Target Date | RAG | Governance/Work Programme"


def test_markdown_pipe_table_rows_and_continuations() -> None:
    text = read(OXFORDSHIRE)
    start = text.index("| | Area of focus (abbreviated)")
    end = text.index("Timeliness of Assessment, Safeguarding and Deprivation")
    blocks = parse(text[start:end])
    rows = [b for b in blocks if b.kind == "table_row"]
    assert [b.para for b in rows] == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    assert all(b.header == "Area of focus (abbreviated) | Action(s) taken" for b in rows)
    iv = text[start + rows[3].start:start + rows[3].end]
    assert "Gloriously Ordinary Language" in iv  # the continuation row after the page break


def test_heading_roles_follow_the_cqc_framework_and_the_contents_list() -> None:
    text = read(DARLINGTON)
    headings = [(b.role, text[b.start:b.end]) for b in parse(text) if b.kind == "heading"]
    assert ("theme", "CQC Theme One: Working with people") in headings
    assert ("qs", "Quality statement two: Safeguarding") in headings
    assert ("question", "How do we know? What makes us confident we understand our performance?") in headings
    assert ("part", "Conclusion") in headings  # listed in the contents: a top-level part
    assert not any(h.endswith(":") and role == "generic" for role, h in headings)


def test_derbyshire_template_headings() -> None:
    text = read(DERBYSHIRE)
    roles = [(b.role, text[b.start:b.end]) for b in parse(text) if b.kind == "heading"]
    assert roles.count(("question", "Plans to Improve")) == 4
    assert roles.count(("question", "To Maintain")) == 4
    assert ("theme", "Theme 3: Ensuring Safety") in roles
    assert ("part", "Our Self-assessment Process and Sign Off") in roles


def test_heading_role_direct() -> None:
    assert heading_role("CQC Theme Two: Providing support.", set()) == ("theme", "Providing support")
    assert heading_role("Theme 3: Ensuring Safety", set()) == ("theme", "Ensuring safety")
    assert heading_role("To Maintain", set()) == ("question", "To Maintain")
    assert heading_role("Background", {"background"}) == ("part", "Background")


def test_cells_and_plain_text() -> None:
    assert cells("B1.4\tEnsure that <p>information</p> is inclusive.\tM\t\tJun 25") == [
        "B1.4", "Ensure that information is inclusive.", "M", "", "Jun 25"]
    assert cells("| ii. | Green <p>shoots</p> | x |") == ["ii.", "Green shoots", "x"]
    assert plain_text("See [the report](#) \\(2024\\)\t**Good**\t\t") == "See the report (2024) | Good"


def test_score_and_rating_lines_are_content_not_headings() -> None:
    text = ("Local authority rating and score\n\nAnytown Council\n\nRequires improvement\n\n"
            "Anytown Council scored 61 out of 100\n\nQuality statement scores\n\n- Safeguarding\nScore 2\n")
    kinds = {body: kind for kind, _, body in blocks_of(text)}
    assert kinds["Local authority rating and score"] == "heading"
    assert "heading" not in {kinds.get("Requires improvement"), kinds.get("Anytown Council scored 61 out of 100")}
    scored = "Anytown Council scored 61 out of 100"
    assert any(scored in body and kind != "heading" for kind, _, body in blocks_of(text))
